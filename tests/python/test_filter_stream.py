# test_filter_stream.py: Io.FilterStream from Python: a pass-through filter,
# a Python subclass that transforms through do_read_chunk, close-base and
# detach()
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import io
import unittest

import gi
gi.require_version('Io', '1')
from gi.repository import GLib, Io  # noqa: E402


class Upper(Io.FilterStream):
    def do_read_chunk(self, count):
        return GLib.Bytes(self.props.base_stream.read1(count).upper())


class Pass(Io.FilterStream):
    pass


class FilterStreamTest(unittest.TestCase):
    def test_pass_through(self):
        base = Io.MemoryStream(b'one\ntwo\n')
        f = Pass(base_stream=base)
        self.assertIs(f.props.base_stream, base)
        self.assertTrue(f.props.close_base)
        self.assertIsInstance(f, io.BufferedIOBase)
        self.assertTrue(f.readable() and f.writable() and f.seekable())
        self.assertEqual(f.readline(), b'one\n')
        self.assertEqual(base.tell(), 4)
        f.seek(0, io.SEEK_END)
        self.assertEqual(f.write(b'six'), 3)
        self.assertEqual(base.getvalue(), b'one\ntwo\nsix')
        with self.assertRaises(io.UnsupportedOperation):
            f.fileno()
        f.close()
        self.assertTrue(base.closed)

    def test_subclass_transforms(self):
        base = Io.MemoryStream(b'shout\nquietly')
        with Upper(base_stream=base) as f:
            self.assertEqual(f.readline(), b'SHOUT\n')
            self.assertEqual(f.read(), b'QUIETLY')
        self.assertTrue(base.closed)

    def test_close_base_false(self):
        base = Io.MemoryStream(b'x')
        Pass(base_stream=base, close_base=False).close()
        self.assertFalse(base.closed)
        self.assertEqual(base.read(), b'x')

    def test_detach(self):
        base = Io.MemoryStream(b'abc')
        f = Pass(base_stream=base)
        self.assertEqual(f.read(1), b'a')
        self.assertIs(f.detach(), base)
        self.assertTrue(f.closed)
        self.assertFalse(base.closed)
        for call in (lambda: f.read(1), f.tell, f.readline):
            with self.assertRaises(ValueError) as caught:
                call()
            self.assertEqual(str(caught.exception), 'raw stream has been detached')
        self.assertEqual(base.read(), b'bc')

    def test_capabilities_asked_first_after_detach(self):
        base = Io.MemoryStream(b'abc')
        f = Pass(base_stream=base)
        self.assertIs(f.detach(), base)
        with self.assertRaises(ValueError):
            f.readable()
        self.assertEqual(base.read(), b'abc')


if __name__ == '__main__':
    unittest.main()
