# test_fault_stream.py: Io.FaultStream from Python: each injected fault is
# the exception CPython raises for its errno, with that errno, str() and
# class; short reads, ENOSPC after N bytes, random faults from a seed
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import errno
import io
import os
import unittest

import gi
gi.require_version('Io', '1')
from gi.repository import GLib, Io  # noqa: E402

Op = Io.FaultOp
Kind = Io.FaultKind

# Each error kind: its errno and the class CPython gives OSError(errno).
ERRORS = [
    (Kind.INTERRUPTED, errno.EINTR, InterruptedError),
    (Kind.WOULD_BLOCK, errno.EAGAIN, BlockingIOError),
    (Kind.NO_SPACE, errno.ENOSPC, OSError),
    (Kind.FAIL, errno.EIO, OSError),
]

CALLS = {
    Op.READ: lambda s: s.read1(4),
    Op.WRITE: lambda s: s.write(b'WXYZ'),
    Op.FLUSH: lambda s: s.flush(),
    Op.SEEK: lambda s: s.seek(2),
    Op.TELL: lambda s: s.tell(),
    Op.TRUNCATE: lambda s: s.truncate(5),
    Op.CLOSE: lambda s: s.close(),
}


def stream(content=b'hello, world'):
    return Io.FaultStream(Io.MemoryStream(content))


class FaultStreamTest(unittest.TestCase):
    def assert_os_error(self, exc, code, cls):
        """@exc is what CPython raises for @code, and a GLib.Error."""
        expected = OSError(code, os.strerror(code))
        self.assertIs(type(expected), cls)
        self.assertIsInstance(exc, cls)
        self.assertIsInstance(exc, GLib.Error)
        self.assertEqual(exc.errno, code)
        self.assertEqual(exc.strerror, expected.strerror)
        self.assertEqual(str(exc), str(expected))
        self.assertIsNone(exc.filename)

    def test_construction(self):
        s = Io.FaultStream()
        self.assertIsInstance(s.props.base_stream, Io.MemoryStream)
        self.assertIsInstance(s, io.BufferedIOBase)
        base = Io.MemoryStream(b'abc')
        self.assertIs(Io.FaultStream(base).props.base_stream, base)
        self.assertIs(Io.FaultStream(base_stream=base).props.base_stream, base)
        self.assertIs(Io.FaultStream.new(base).props.base_stream, base)

    def test_every_error_on_every_op(self):
        for kind, code, cls in ERRORS:
            for op, call in CALLS.items():
                with self.subTest(kind=kind, op=op):
                    s = stream()
                    s.add_fault(op, kind, 0, -1, 0, 1)
                    with self.assertRaises(cls) as cm:
                        call(s)
                    self.assert_os_error(cm.exception, code, cls)
                    self.assertEqual(s.get_faults(op), 1)
                    if op == Op.CLOSE:
                        self.assertTrue(s.closed)
                        self.assertTrue(s.props.base_stream.closed)
                        continue
                    self.assertEqual(s.props.base_stream.getvalue(), b'hello, world')
                    call(s)  # the fault was for one call
                    self.assertEqual(s.get_calls(op), 2)

    def test_short_read(self):
        s = stream()
        s.add_fault(Op.READ, Kind.SHORT, 0, -1, 3, 2)
        self.assertEqual(s.read1(8), b'hel')
        self.assertEqual(s.read1(8), b'lo,')
        self.assertEqual(s.read1(8), b' world')
        # read() loops over short reads, as BufferedReader.read() does.
        s.seek(0)
        s.add_fault(Op.READ, Kind.SHORT, 0, -1, 1, 5)
        self.assertEqual(s.read(8), b'hello, w')
        self.assertEqual(s.get_faults(Op.READ), 7)

    def test_no_space_after_n_bytes(self):
        """A full disk at 6 bytes: the write that fills it returns its
        count, the next raises what FileIO on /dev/full raises."""
        s = Io.FaultStream()
        s.add_fault(Op.WRITE, Kind.NO_SPACE, 0, 6, 0, 0)
        self.assertEqual(s.write(b'abcd'), 4)
        self.assertEqual(s.write(b'efgh'), 2)
        with self.assertRaises(OSError) as cm:
            s.write(b'i')
        self.assert_os_error(cm.exception, errno.ENOSPC, OSError)
        if os.path.exists('/dev/full'):
            with open('/dev/full', 'wb', buffering=0) as full:
                with self.assertRaises(OSError) as real:
                    full.write(b'i')
            self.assertIs(type(real.exception), OSError)
            self.assertEqual(str(cm.exception), str(real.exception))
            self.assertEqual(cm.exception.errno, real.exception.errno)
        self.assertEqual(s.props.base_stream.getvalue(), b'abcdef')
        # The error was reported once; closing writes nothing more.
        s.close()
        self.assertTrue(s.closed)

    def test_close_reports_a_pending_no_space(self):
        s = Io.FaultStream()
        s.add_fault(Op.WRITE, Kind.NO_SPACE, 0, 2, 0, 0)
        self.assertEqual(s.write(b'abcd'), 2)
        with self.assertRaises(OSError) as cm:
            s.close()
        self.assert_os_error(cm.exception, errno.ENOSPC, OSError)
        self.assertTrue(s.closed)

    def test_interrupted_read_keeps_its_bytes(self):
        s = stream()
        s.add_fault(Op.READ, Kind.INTERRUPTED, 0, 5, 0, 1)
        self.assertEqual(s.read(12), b'hello')
        with self.assertRaises(InterruptedError):
            s.read(12)
        self.assertEqual(s.read(), b', world')

    def test_would_block_write(self):
        s = Io.FaultStream()
        s.add_fault(Op.WRITE, Kind.WOULD_BLOCK, 0, -1, 0, 1)
        with self.assertRaises(BlockingIOError) as cm:
            s.write(b'abc')
        self.assertEqual(cm.exception.errno, errno.EAGAIN)
        self.assertEqual(s.write(b'abc'), 3)

    def test_random_is_reproducible(self):
        def run(seed):
            s = Io.FaultStream()
            s.set_random(seed, 0.3, Op.READ | Op.WRITE | Op.SEEK | Op.FLUSH, Kind.ALL)
            log = []
            for i in range(120):
                try:
                    if i % 3 == 0:
                        log.append(s.write(b'0123456789'))
                    elif i % 3 == 1:
                        log.append(s.seek(-4, io.SEEK_CUR))
                    else:
                        log.append(s.read1(10))
                except OSError as e:
                    log.append((type(e).__mro__[1], e.errno))
            s.clear()
            return log, s.get_faults(Op.ALL)

        first = run(5)
        self.assertEqual(first, run(5))
        self.assertNotEqual(first, run(6))
        kinds = {entry for entry in first[0] if isinstance(entry, tuple)}
        self.assertEqual(kinds, {(InterruptedError, errno.EINTR),
                                 (BlockingIOError, errno.EAGAIN),
                                 (OSError, errno.ENOSPC), (OSError, errno.EIO)})
        self.assertGreater(first[1], 0)

    def test_add_fault_defaults(self):
        """at_call=0, at_offset=-1, size=0, count=1: the next call, once."""
        s = stream()
        s.add_fault(Op.READ, Kind.FAIL)
        with self.assertRaises(OSError):
            s.read1(2)
        self.assertEqual(s.read1(2), b'he')
        s.add_fault(Op.READ, Kind.SHORT, size=1, count=2)
        self.assertEqual(s.read1(4), b'l')
        self.assertEqual(s.read1(4), b'l')
        self.assertEqual(s.read1(4), b'o, w')
        s.add_fault(Op.WRITE, Kind.NO_SPACE, at_offset=9, count=0)
        self.assertEqual(s.write(b'ABCDE'), 1)
        with self.assertRaises(OSError):
            s.write(b'x')
        with self.assertRaises(OSError):
            s.write(b'x')

    def test_counters_and_offset(self):
        s = Io.FaultStream()
        self.assertEqual(s.get_calls(Op.ALL), 0)
        self.assertEqual(s.get_offset(), 0)
        s.write(b'abc')
        self.assertEqual(s.get_offset(), 3)
        self.assertEqual(s.get_calls(Op.WRITE), 1)


if __name__ == '__main__':
    unittest.main()
