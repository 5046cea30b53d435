#!/usr/bin/python3
# csv-latin1.py: reads a Latin-1 CSV file with \r\n line ends through
# Io.open() in text mode and prints its rows. csv-latin1.c, csv-latin1.js
# and csv-latin1.vala print the same lines; with --builtin this program
# reads through Python's own open(), and prints them too.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import sys

import gi

gi.require_version('Io', '1')
from gi.repository import Io  # noqa: E402

LINE_ENDS = {'\r': 'CR', '\n': 'LF', '\r\n': 'CRLF'}


def main(path, opener):
    with opener(path, 'r', encoding='latin-1', newline=None) as csv:
        header = csv.readline().rstrip('\n').split(';')
        print('columns: ' + ', '.join(header))
        rows = 0
        for line in csv:
            name, city, born = line.rstrip('\n').split(';')
            print(f'{name} ({len(name)} letters) from {city}, born {born}')
            rows += 1
        seen = csv.newlines
        seen = (seen,) if isinstance(seen, str) else seen or ()
        print(f'{rows} rows; line ends seen: ' + ' '.join(LINE_ENDS[end] for end in seen))


if __name__ == '__main__':
    builtin = '--builtin' in sys.argv[1:]
    main([arg for arg in sys.argv[1:] if arg != '--builtin'][0], open if builtin else Io.open)
