#!/usr/bin/python3
# check-installed.py ROOT [accel]: fails unless the Io typelib, libstream-1
# and the gi.overrides.Io module this Python loads all come from under ROOT
# (the temporary install), and the override is active; with "accel", its
# compiled accelerator too.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import io
import os
import sys

import gi

gi.require_version('GIRepository', '2.0')
gi.require_version('Io', '1')
from gi.repository import GIRepository, Io  # noqa: E402
import gi.overrides  # noqa: E402

root = os.path.realpath(sys.argv[1]) + os.sep


def check(what, path):
    path = os.path.realpath(path)
    if not path.startswith(root):
        sys.exit(f'check-installed.py: {what} comes from {path}, not from under {root}')
    print(f'{what}: {path}')


check('typelib', GIRepository.Repository.get_default().get_typelib_path('Io'))
with open('/proc/self/maps') as maps:
    libraries = {line.split()[-1] for line in maps if 'libstream-1.so' in line}
if len(libraries) != 1:
    sys.exit(f'check-installed.py: expected one libstream-1.so mapped, got {libraries}')
check('library', libraries.pop())

override = sys.modules.get('gi.overrides.Io')
if override is None:
    sys.exit('check-installed.py: gi.overrides.Io was not loaded')
check('override', override.__file__)
if not any(os.path.realpath(p).startswith(root) for p in gi.overrides.__path__):
    sys.exit(f'check-installed.py: gi.overrides.__path__ {gi.overrides.__path__} misses {root}')

if sys.argv[2:] == ['accel']:
    if override._accel is None:
        sys.exit('check-installed.py: the override runs without gi.overrides._ioaccel')
    check('accelerator', override._accel.__file__)

stream = Io.MemoryStream(b'installed')
if not isinstance(stream, io.BufferedIOBase) or stream.read() != b'installed':
    sys.exit('check-installed.py: Io.MemoryStream is not the override\'s BytesIO')
print('override active: Io.MemoryStream is an io.BufferedIOBase')
