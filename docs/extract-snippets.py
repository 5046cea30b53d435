#!/usr/bin/env python3
# extract-snippets.py LANG MARKDOWN OUTPUT: writes the one fenced LANG code
# block of MARKDOWN that is a whole program (it defines main) to OUTPUT, so
# the docs suite can compile and run what a reader would copy. Fails when
# there is none, or more than one.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import re
import sys

lang, markdown, output = sys.argv[1:]
with open(markdown, encoding='utf-8') as f:
    text = f.read()
programs = [body for body in re.findall(r'^```%s\n(.*?)^```' % re.escape(lang), text,
                                        re.M | re.S)
            if re.search(r'\bmain\s*\(', body)]
if len(programs) != 1:
    sys.exit('%s: %d whole %s programs, expected 1' % (markdown, len(programs), lang))
with open(output, 'w', encoding='utf-8') as f:
    f.write(programs[0])
