# iotest.py: the setup every Python suite shares
#
# SPDX-License-Identifier: LGPL-2.1-or-later

"""Imports `Io` the way the suites need it and offers common assertions.

Importing this module fails, and with it the suite, when the typelib or
PyGObject is missing: binding suites fail rather than skip.
"""

import os
import unittest

import gi

gi.require_version('Io', '1')

from gi.module import get_introspection_module  # noqa: E402
from gi.repository import GLib, Gio, Io  # noqa: E402

# The introspected classes without the override, to call C directly.
RawIo = get_introspection_module('Io')

__all__ = ['GLib', 'Gio', 'Io', 'RawIo', 'IoTestCase', 'PyBuffer', 'main']


def main():
    unittest.main(verbosity=2)


class IoTestCase(unittest.TestCase):
    """A TestCase with assertions on the override's exceptions."""

    def assertIoError(self, std_type, code, func, *args, message=None, **kwargs):
        """@func raises an exception that is a @std_type and a GLib.Error
        in G_IO_ERROR with @code; returns it."""
        with self.assertRaises(std_type) as caught:
            func(*args, **kwargs)
        exc = caught.exception
        self.assertIsInstance(exc, GLib.Error)
        self.assertIsInstance(exc, Io.Error)
        self.assertTrue(exc.matches(Gio.io_error_quark(), code),
                        '%r is not G_IO_ERROR %s but %s' % (exc, code, exc.code))
        if message is not None:
            self.assertEqual(str(exc), message)
        return exc

    def assertClosedError(self, func, *args, **kwargs):
        return self.assertIoError(ValueError, Gio.IOErrorEnum.CLOSED, func, *args,
                                  message='I/O operation on closed file.', **kwargs)


def outcomes_in_child(prepare, calls):
    """What each of @calls gives, ('ok', result) or ('exc', what, message)
    -- what being the errno of an OSError, else the exception's class name
    -- in a child process that runs @prepare first (to set a resource
    limit that must not outlive the test)."""
    import ast
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read_end)
            prepare()
            results = []
            for call in calls:
                try:
                    results.append(('ok', call()))
                except Exception as e:
                    what = e.errno if isinstance(e, OSError) else type(e).__name__
                    results.append(('exc', what, str(e)))
            os.write(write_end, repr(results).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, 'rb') as pipe:
        text = pipe.read().decode()
    os.waitpid(pid, 0)
    return ast.literal_eval(text)


def source_root():
    return os.environ.get('IO_SOURCE_ROOT')


def raw_bytes(gbytes):
    """The contents of a GLib.Bytes as bytes."""
    return gbytes.get_data() if gbytes.get_size() else b''


def single_threaded():
    """Whether this process has never started a second thread, as glibc
    says (`__libc_single_threaded`, which libstream reads too), or None
    where that cannot be read."""
    import ctypes
    try:
        flag = ctypes.c_char.in_dll(ctypes.CDLL(None), '__libc_single_threaded')
    except (OSError, ValueError):
        return None
    return flag.value != b'\0'


def text_lines(count, width=80):
    """@count lines of about @width bytes, as one bytes object."""
    return b''.join((b'line %d ' % i).ljust(width - 1, b'.') + b'\n' for i in range(count))


class PyBuffer(Io.Stream):
    """A seekable read/write stream kept in a bytearray, returning bytes from
    do_read_chunk and plain ints everywhere, short reads of at most `chunk`."""

    def __init__(self, data=b'', chunk=5):
        super().__init__()
        self.data = bytearray(data)
        self.pos = 0
        self.chunk = chunk
        self.calls = []
        self.closed_by_c = False

    def do_read_chunk(self, count):
        self.calls.append('read_chunk')
        out = bytes(self.data[self.pos:self.pos + min(count, self.chunk)])
        self.pos += len(out)
        return out

    def do_write(self, buffer, count):
        self.calls.append('write')
        end = self.pos + count
        if self.pos > len(self.data):
            self.data.extend(bytes(self.pos - len(self.data)))
        self.data[self.pos:end] = buffer
        self.pos = end
        return count

    def do_seek(self, offset, whence):
        self.calls.append('seek')
        base = (0, self.pos, len(self.data))[whence]
        self.pos = max(base + offset, 0)
        return self.pos

    def do_tell(self):
        return self.pos

    def do_truncate(self, size):
        del self.data[size:]
        return size

    def do_close(self):
        self.closed_by_c = True
