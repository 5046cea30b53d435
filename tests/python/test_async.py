#!/usr/bin/python3
# test_async.py: the asynchronous methods from Python in the callback form,
# with a GLib.MainLoop (PyGObject on Debian 12 has no asyncio integration)
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import errno
import os
import tempfile
import threading

from iotest import GLib, Gio, Io, IoTestCase, main

E = Gio.IOErrorEnum
PRIORITY = GLib.PRIORITY_DEFAULT


def run_op(stream, name, *args, cancellable=None):
    """Starts `stream.<name>_async(*args)`, runs a main loop until its
    callback, and returns what `<name>_finish` returned or raised (the
    exception is returned, not raised), checking that the callback ran in
    this thread."""
    loop = GLib.MainLoop()
    outcome = {}

    def done(source, result, data):
        outcome['thread'] = threading.current_thread()
        outcome['data'] = data
        try:
            outcome['value'] = getattr(source, name + '_finish')(result)
        except Exception as exc:  # noqa: BLE001 - returned to the test
            outcome['value'] = exc
        loop.quit()

    getattr(stream, name + '_async')(*args, PRIORITY, cancellable, done, 'data')
    assert 'value' not in outcome, 'the callback ran inside the call'
    loop.run()
    assert outcome['thread'] is threading.current_thread()
    assert outcome['data'] == 'data'
    return outcome['value']


class Ops:
    """Every operation, writing on `writer` then reading on `reader`."""

    def pipe(self):
        """A new pipe, both ends closed after the test."""
        reader, writer = Io.PipeStream.new_pair()
        self.addCleanup(writer.close)
        self.addCleanup(reader.close)
        return reader, writer

    def check_every_op(self, reader, writer):
        self.assertEqual(run_op(writer, 'write_bytes', b'one\n'), 4)
        self.assertEqual(run_op(writer, 'write_all', bytearray(b'two\nthree')),
                         (True, 9))
        self.assertTrue(run_op(writer, 'flush'))
        if reader is writer:
            reader.seek(0)
        else:
            self.assertTrue(run_op(writer, 'close'))
        self.assertEqual(run_op(reader, 'readline', -1).get_data(), b'one\n')
        self.assertEqual(run_op(reader, 'read_bytes', 2).get_data(), b'tw')
        self.assertEqual(run_op(reader, 'read1_bytes', 1).get_data(), b'o')
        self.assertEqual(run_op(reader, 'readall').get_data(), b'\nthree')
        self.assertEqual(run_op(reader, 'read_bytes', 5).get_data(), b'')
        self.assertTrue(run_op(reader, 'close'))
        self.assertTrue(reader.closed)


class TestOps(Ops, IoTestCase):

    def test_memory(self):
        stream = Io.MemoryStream()
        self.check_every_op(stream, stream)

    def test_file(self):
        with tempfile.TemporaryDirectory() as directory:
            stream = Io.FileStream.new(os.path.join(directory, 'f'), 'w+')
            self.check_every_op(stream, stream)

    def test_pipe(self):
        reader, writer = self.pipe()
        self.check_every_op(reader, writer)


class PyBackend(Io.Stream):
    """A Python backend: the default runs its vfuncs on a GTask thread."""

    def __init__(self, data):
        super().__init__()
        self.data = data
        self.threads = set()

    def do_read_chunk(self, count):
        self.threads.add(threading.current_thread())
        chunk, self.data = self.data[:count], self.data[count:]
        return chunk

    def do_write(self, buffer, count):
        self.threads.add(threading.current_thread())
        self.data += bytes(buffer)
        return count


class TestPythonBackend(IoTestCase):

    def test_default_runs_vfuncs_in_a_thread(self):
        stream = PyBackend(b'line\nrest')
        self.assertEqual(run_op(stream, 'readline', -1).get_data(), b'line\n')
        self.assertEqual(run_op(stream, 'readall').get_data(), b'rest')
        self.assertEqual(run_op(stream, 'write_all', b'more'), (True, 4))
        self.assertEqual(stream.data, b'more')
        self.assertTrue(stream.threads)
        self.assertNotIn(threading.current_thread(), stream.threads)
        self.assertTrue(run_op(stream, 'close'))


class TestErrors(Ops, IoTestCase):

    def assertCancelled(self, exc):
        self.assertIsInstance(exc, OSError)
        self.assertIsInstance(exc, GLib.Error)
        self.assertEqual(exc.errno, errno.ECANCELED)
        self.assertEqual(exc.code, E.CANCELLED)

    def test_cancelled_before_moves_nothing(self):
        cancellable = Gio.Cancellable()
        cancellable.cancel()
        stream = Io.MemoryStream(b'abc')
        self.assertCancelled(run_op(stream, 'read_bytes', 2, cancellable=cancellable))
        exc = run_op(stream, 'write_all', b'xyz', cancellable=cancellable)
        self.assertCancelled(exc)
        self.assertEqual(exc.characters_written, 0)
        self.assertEqual(stream.tell(), 0)
        self.assertEqual(stream.getvalue(), b'abc')

    def test_cancel_ends_a_blocked_read(self):
        reader, writer = self.pipe()
        cancellable = Gio.Cancellable()
        GLib.timeout_add(20, lambda: cancellable.cancel() and False)
        self.assertCancelled(run_op(reader, 'read_bytes', 10, cancellable=cancellable))
        writer.write(b'x\n')
        self.assertEqual(run_op(reader, 'readline', -1).get_data(), b'x\n')

    def test_write_all_error_says_how_much_was_written(self):
        reader, writer = self.pipe()
        GLib.timeout_add(20, lambda: reader.close() and False)
        size = 4 * 1024 * 1024
        exc = run_op(writer, 'write_all', bytes(size))
        self.assertIsInstance(exc, BrokenPipeError)
        self.assertIsInstance(exc, GLib.Error)
        self.assertGreater(exc.characters_written, 0)
        self.assertLess(exc.characters_written, size)

    def test_closed(self):
        stream = Io.MemoryStream()
        stream.close()
        exc = run_op(stream, 'readline', -1)
        self.assertIsInstance(exc, Io.ClosedError)
        self.assertIsInstance(exc, ValueError)

    def test_pending(self):
        stream = Io.MemoryStream(b'ab')
        loop = GLib.MainLoop()
        results = []

        def done(source, result, data):
            try:
                results.append(source.read_bytes_finish(result).get_data())
            except GLib.Error as exc:
                results.append(exc)
            if len(results) == 2:
                loop.quit()

        stream.read_bytes_async(1, PRIORITY, None, done, None)
        with self.assertRaises(GLib.Error) as caught:
            stream.read(1)
        self.assertEqual(caught.exception.code, E.PENDING)
        stream.read_bytes_async(1, PRIORITY, None, done, None)
        loop.run()
        # Both callbacks come from idles, the first operation's first.
        self.assertEqual(results[0], b'a')
        self.assertEqual(results[1].code, E.PENDING)
        self.assertEqual(stream.read(1), b'b')


if __name__ == '__main__':
    main()
