#!/usr/bin/python3
# demo.py: the libstream seed scenario in Python, through the gi override
# that makes Io.MemoryStream a drop-in io.BytesIO. demo.c, demo.js and
# demo.vala print the same lines.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import io
import sys

import gi

gi.require_version('Io', '1')
from gi.repository import Io  # noqa: E402

# With --bytesio the same lines come from io.BytesIO itself: run-demo.sh
# checks that CPython prints what the four demos print.
MemoryStream = io.BytesIO if sys.argv[1:] == ['--bytesio'] else Io.MemoryStream


def show(call, result, note=None):
    print(f'{call} -> {result!r}' + (f'  # {note}' if note else ''))


def refused(call, action):
    try:
        action()
    except BufferError as e:  # G_IO_ERROR_BUSY
        print(f'{call} -> BufferError: {e}')
    else:
        raise AssertionError(f'{call} was not refused')


s = MemoryStream(b'')
print("s = MemoryStream(b'')")
show("write(b'hello')", s.write(b'hello'))
show('read()', s.read(), 'the cursor is at the end')
show('seek(0)', s.seek(0))
show('read()', s.read())
show('seek(0)', s.seek(0))
show("write(b'J')", s.write(b'J'), 'overwrites in place')
show('seek(0, SEEK_END)', s.seek(0, 2))
show("write(b' world')", s.write(b' world'), 'appends')
show('tell()', s.tell())
show('read()', s.read(), 'at the end again')
show('getvalue()', s.getvalue(), 'the whole value, whatever the position')

view = s.getbuffer()
print(f'view = getbuffer() -> {len(view)} bytes')
view[0] = ord('j')
print("view[0] = b'j'")
show('getvalue()', s.getvalue(), 'the view is the live buffer')
refused("write(b'!')", lambda: s.write(b'!'))
refused('truncate(5)', lambda: s.truncate(5))
view.release()
print('release the view')
show("write(b'!')", s.write(b'!'))
show('getvalue()', s.getvalue())
s.close()
