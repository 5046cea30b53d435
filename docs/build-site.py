#!/usr/bin/env python3
# build-site.py: gi-docgen generate, then the index without empty rows.
#
#   build-site.py OUTPUT_DIR GI-DOCGEN ARG...
#
# Runs `GI-DOCGEN ARG...` (which writes OUTPUT_DIR), then removes from
# OUTPUT_DIR/index.html the rows of the library table whose link is empty:
# gi-docgen's basic theme always prints Website and Source, as `href=""`
# when the configuration has no website_url or browse_url.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import re
import subprocess
import sys

EMPTY_ROW = re.compile(r'^\s*<tr><td><em>[^<]*</em></td><td><a href="" [^>]*></a></td></tr>\n',
                       re.M)


def main():
    output_dir, *command = sys.argv[1:]
    subprocess.run(command, check=True)
    index = os.path.join(output_dir, 'index.html')
    with open(index, encoding='utf-8') as f:
        text = f.read()
    with open(index, 'w', encoding='utf-8') as f:
        f.write(EMPTY_ROW.sub('', text))


if __name__ == '__main__':
    main()
