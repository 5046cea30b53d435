#!/usr/bin/env python3
# site-dir.py PREFIX: prints the directory, under PREFIX, where this Python
# looks for packages (a dist-packages or site-packages entry of sys.path),
# or nothing when it looks in none there. Debian's interpreter searches
# /usr/local/lib/python3.X/dist-packages for the default prefix, not the
# lib/python3/dist-packages that a generic guess would pick.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import sys

prefix = os.path.realpath(sys.argv[1]) + os.sep
for entry in sys.path:
    path = os.path.realpath(entry) if entry else ''
    if path.startswith(prefix) and os.path.basename(path) in ('dist-packages', 'site-packages'):
        print(path)
        break
