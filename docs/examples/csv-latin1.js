// csv-latin1.js: reads a Latin-1 CSV file with \r\n line ends through
// Io.open_text() and prints its rows (`gjs -m csv-latin1.js FILE.csv`).
// csv-latin1.c, csv-latin1.py and csv-latin1.vala print the same lines.
//
// SPDX-License-Identifier: LGPL-2.1-or-later

import Io from 'gi://Io?version=1';
import System from 'system';

const LINE_ENDS = {'\r': 'CR', '\n': 'LF', '\r\n': 'CRLF'};

const [path] = System.programArgs;
// The strings are JavaScript's whatever the file's charset; each "\r\n" is "\n".
const csv = Io.open_text(path, 'r', -1, 'latin-1', null, null);
const fields = line => line.replace(/\n$/, '').split(';');

print(`columns: ${fields(csv.readline()).join(', ')}`);
let rows = 0;
for (const line of csv) {
    const [name, city, born] = fields(line);
    print(`${name} (${[...name].length} letters) from ${city}, born ${born}`);
    rows++;
}
print(`${rows} rows; line ends seen: ${csv.get_newlines().map(end => LINE_ENDS[end]).join(' ')}`);
csv.close();
