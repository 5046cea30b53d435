#!/usr/bin/python3
# test_subclass.py: Python subclasses of Io.Stream driven by C
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import gc
import io
import shutil
import warnings

from iotest import GLib, Gio, Io, IoTestCase, PyBuffer, RawIo, main, raw_bytes, text_lines

E = Gio.IOErrorEnum


class Faulty(Io.Stream):
    """Every vfunc raises `self.exc` while `self.fail` is set; close only
    when `self.close_fails` is set too (disposing closes the others)."""

    def __init__(self, exc):
        super().__init__()
        self.exc = exc
        self.fail = True
        self.close_fails = False

    def do_read_chunk(self, count):
        if self.fail:
            raise self.exc
        self.fail = True
        return b'abc'

    def do_write(self, buffer, count):
        raise self.exc

    def do_seek(self, offset, whence):
        raise self.exc

    def do_flush(self):
        raise self.exc

    def do_close(self):
        if self.close_fails:
            raise self.exc


class DrivenByC(IoTestCase):
    def test_c_readall_collects_every_chunk(self):
        data = bytes(range(256)) * 50
        stream = PyBuffer(data, chunk=999)
        self.assertEqual(raw_bytes(RawIo.Stream.readall(stream)), data)
        self.assertGreater(stream.calls.count('read_chunk'), len(data) // 999)

    def test_c_readlines_and_readline(self):
        data = text_lines(50, width=30) + b'tail'
        stream = PyBuffer(data)
        self.assertEqual(raw_bytes(RawIo.Stream.readline(stream, -1)), data[:30])
        lines = [raw_bytes(b) for b in RawIo.Stream.readlines(stream, 0)]
        self.assertEqual(lines, io.BytesIO(data[30:]).readlines())

    def test_memory_stream_feeds_a_python_stream_through_c(self):
        data = text_lines(300)
        source = Io.MemoryStream(data)
        lines = RawIo.Stream.readlines(source, 0)
        sink = PyBuffer()
        self.assertTrue(RawIo.Stream.writelines(sink, lines))
        self.assertEqual(bytes(sink.data), data)
        # and back: C reads the Python stream into a memory stream
        sink.seek(0)
        copy = Io.MemoryStream()
        self.assertEqual(RawIo.Stream.write_bytes(copy, RawIo.Stream.readall(sink)), len(data))
        self.assertEqual(copy.getvalue(), data)

    def test_python_api_over_a_python_stream(self):
        stream = PyBuffer(b'hello world\nsecond line\n')
        self.assertIsInstance(stream, io.BufferedIOBase)
        self.assertTrue(stream.readable() and stream.writable() and stream.seekable())
        self.assertEqual(stream.read(5), b'hello')
        self.assertEqual(stream.read1(100), b' worl')
        buffer = bytearray(4)
        self.assertEqual(stream.readinto(buffer), 4)
        self.assertEqual(buffer, b'd\nse')
        self.assertEqual(stream.peek(3), b'con')
        self.assertEqual(stream.tell(), 14)
        self.assertEqual(list(stream), [b'cond line\n'])
        stream.seek(0, 2)
        self.assertEqual(stream.write(bytearray(b'more')), 4)
        stream.truncate(5)
        self.assertEqual(bytes(stream.data), b'hello')
        self.assertEqual(stream.tell(), 28)
        stream.seek(0)
        self.assertEqual(stream.read(), b'hello')
        with stream:
            pass
        self.assertTrue(stream.closed)
        self.assertTrue(stream.closed_by_c)
        self.assertClosedError(stream.read)

    def test_read_all_of_a_large_python_stream(self):
        data = bytes(range(256)) * 1000

        class EndTooEarly(PyBuffer):
            """Reports an end before the real one, like a growing file."""

            def do_seek(self, offset, whence):
                if whence == 2:
                    self.pos = len(self.data) // 2 + offset
                    return self.pos
                return super().do_seek(offset, whence)

        for stream in (PyBuffer(data, chunk=7000), EndTooEarly(data, chunk=7000)):
            with self.subTest(stream=type(stream).__name__):
                stream.seek(3)
                self.assertEqual(stream.read(), data[3:])
                self.assertEqual(stream.read(), b'')

    def test_shutil_copies_both_ways(self):
        data = bytes(range(256)) * 300
        stream = PyBuffer()
        shutil.copyfileobj(Io.MemoryStream(data), stream, 1000)
        self.assertEqual(bytes(stream.data), data)
        stream.seek(0)
        out = Io.MemoryStream()
        shutil.copyfileobj(stream, out)
        self.assertEqual(out.getvalue(), data)


class ErrorsReachC(IoTestCase):
    """A Python exception in a vfunc is a GError in C, never an end of stream."""

    def assertGError(self, code, func, *args):
        with self.assertRaises(GLib.Error) as caught:
            func(*args)
        self.assertTrue(caught.exception.matches(Gio.io_error_quark(), code),
                        '%r is not code %s' % (caught.exception, code))
        return caught.exception

    def test_every_vfunc(self):
        stream = Faulty(KeyError('boom'))
        stream.close_fails = True
        for func, args in [(RawIo.Stream.read, (stream, 10)),
                           (RawIo.Stream.read_bytes, (stream, -1)),
                           (RawIo.Stream.readline, (stream, -1)),
                           (RawIo.Stream.write, (stream, b'x')),
                           (RawIo.Stream.seek, (stream, 0, Io.Whence.SET)),
                           (RawIo.Stream.flush, (stream,))]:
            with self.subTest(func=func):
                error = self.assertGError(E.FAILED, func, *args)
                self.assertEqual(error.message, "KeyError: 'boom'")
        self.assertGError(E.FAILED, RawIo.Stream.close, stream)
        self.assertTrue(stream.closed)

    def test_os_errors_keep_their_errno(self):
        stream = Faulty(PermissionError(13, 'Permission denied', '/secret'))
        error = self.assertGError(E.PERMISSION_DENIED, RawIo.Stream.read, stream, 1)
        self.assertEqual(error.message, "[Errno 13] Permission denied: '/secret'")
        with self.assertRaises(PermissionError) as caught:
            stream.read(1)
        self.assertEqual(caught.exception.filename, '/secret')

    def test_mapped_python_exceptions(self):
        for exc, code in [(io.UnsupportedOperation('nope'), E.NOT_SUPPORTED),
                          (BlockingIOError(11, 'Resource temporarily unavailable'),
                           E.WOULD_BLOCK),
                          (ValueError('bad'), E.INVALID_ARGUMENT),
                          (TypeError('bad'), E.INVALID_ARGUMENT),
                          (BufferError('locked'), E.BUSY),
                          (MemoryError(), E.NO_SPACE),
                          (KeyboardInterrupt(), E.FAILED)]:
            with self.subTest(exc=exc):
                self.assertGError(code, RawIo.Stream.read, Faulty(exc), 1)

    def test_glib_errors_pass_unchanged(self):
        exc = GLib.Error('custom', 'g-io-error-quark', int(E.TIMED_OUT))
        self.assertGError(E.TIMED_OUT, RawIo.Stream.read, Faulty(exc), 1)
        with self.assertRaises(TimeoutError):
            Faulty(exc).read(1)

    def test_data_before_an_error_is_kept(self):
        stream = Faulty(OSError(5, 'Input/output error'))
        stream.fail = False
        self.assertEqual(stream.read(10), b'abc')
        with self.assertRaises(OSError) as caught:
            stream.read(10)
        self.assertEqual(caught.exception.errno, 5)

    def test_bad_read_chunk_results(self):
        class Returns(Io.Stream):
            def __init__(self, value):
                super().__init__()
                self.value = value

            def do_read_chunk(self, count):
                return self.value

        self.assertGError(E.WOULD_BLOCK, RawIo.Stream.read, Returns(None), 4)
        self.assertGError(E.INVALID_ARGUMENT, RawIo.Stream.read, Returns(42), 4)
        self.assertGError(E.FAILED, RawIo.Stream.read, Returns(b'too long'), 4)
        self.assertEqual(RawIo.Stream.read(Returns(bytearray(b'ok')), 2), b'ok')
        self.assertEqual(RawIo.Stream.read(Returns(memoryview(b'ok')), 2), b'ok')
        self.assertEqual(RawIo.Stream.read(Returns(GLib.Bytes.new(b'ok')), 2), b'ok')

    def test_none_results_mean_success(self):
        class Quiet(Io.Stream):
            def __init__(self):
                super().__init__()
                self.written = b''

            def do_write(self, buffer, count):
                self.written += buffer

            def do_flush(self):
                pass

            def do_close(self):
                pass

        stream = Quiet()
        self.assertEqual(stream.write(b'abc'), 3)
        self.assertEqual(stream.written, b'abc')
        stream.flush()
        stream.close()
        self.assertTrue(stream.closed)

    def test_writelines_on_a_stream_that_would_block(self):
        class Full(Io.Stream):
            """Takes 3 bytes, then would block."""

            def __init__(self):
                super().__init__()
                self.room = 3

            def do_write(self, buffer, count):
                if not self.room:
                    raise BlockingIOError(11, 'Resource temporarily unavailable')
                n = min(count, self.room)
                self.room -= n
                return n

        self.assertEqual(Full().write(b'abcdef'), 3)
        with self.assertRaises(BlockingIOError) as caught:
            Full().writelines([b'ab', b'cd'])
        self.assertEqual(caught.exception.characters_written, 3)
        self.assertIsInstance(caught.exception, GLib.Error)

    def test_vfuncs_of_deeper_subclasses_are_guarded(self):
        class Base(PyBuffer):
            pass

        class Deeper(Base):
            def do_read_chunk(self, count):
                raise LookupError('deep')

        error = self.assertGError(E.FAILED, RawIo.Stream.read, Deeper(), 1)
        self.assertEqual(error.message, 'LookupError: deep')
        self.assertEqual(Base(b'xy').read(), b'xy')


class Custom(BaseException):
    """A BaseException of the program's own, outside Exception."""


class PythonExceptionsReachPython(IoTestCase):
    """Issue 16, item 4: what a vfunc raises that no GError can stand for
    reaches the Python caller as itself, through C."""

    CALLS = (
        ('read', lambda s: s.read(4)),
        ('read(-1)', lambda s: s.read()),
        ('readall', lambda s: s.readall()),
        ('read1', lambda s: s.read1(4)),
        ('readinto', lambda s: s.readinto(bytearray(4))),
        ('readline', lambda s: s.readline()),
        ('readlines', lambda s: s.readlines()),
        ('next', next),
        ('write', lambda s: s.write(b'data')),
        ('writelines', lambda s: s.writelines([b'data'])),
    )

    def test_base_exceptions_are_not_os_errors(self):
        for make in (KeyboardInterrupt, lambda: SystemExit(3), lambda: Custom('mine')):
            for name, call in self.CALLS:
                exc = make()
                stream = Faulty(exc)
                with self.subTest(exc=exc, call=name):
                    with self.assertRaises(type(exc)) as caught:
                        try:
                            call(stream)
                        except Exception as wrong:  # noqa: BLE001 -- the bug
                            self.fail('%r reached Python as %r' % (exc, wrong))
                    self.assertIs(caught.exception, exc)
                # The traceback holds the stream: no cycle left to collect.
                exc.__traceback__ = caught = None

    def test_base_exception_after_data(self):
        # The data read before the exception comes first; the exception
        # itself on the next call, as itself still.
        stream = Faulty(KeyboardInterrupt())
        stream.fail = False
        self.assertEqual(stream.read(10), b'abc')
        with self.assertRaises(KeyboardInterrupt):
            stream.read(10)

    def test_c_still_gets_a_gerror(self):
        # C callers see the GError; the exception is not raised twice.
        with self.assertRaises(GLib.Error) as caught:
            RawIo.Stream.read(Faulty(SystemExit(2)), 1)
        self.assertTrue(caught.exception.matches(Gio.io_error_quark(), E.FAILED))
        stream = Faulty(ValueError('plain'))
        with self.assertRaises(ValueError) as caught:
            stream.read(1)
        self.assertIsInstance(caught.exception, GLib.Error)

    def test_bad_write_results(self):
        class Returns(Io.Stream):
            def __init__(self, value):
                super().__init__()
                self.value = value

            def do_write(self, buffer, count):
                return self.value

        for value, exc in (('3', TypeError), (2 ** 70, OverflowError), (-2 ** 70, OverflowError),
                           (1.5, TypeError)):
            for name, call in (('write', lambda s: s.write(b'abc')),
                               ('writelines', lambda s: s.writelines([b'abc']))):
                with self.subTest(value=value, call=name):
                    with self.assertRaises(exc) as caught:
                        call(Returns(value))
                    self.assertNotIsInstance(caught.exception, GLib.Error)

    def test_bad_read_and_position_results(self):
        class Returns(PyBuffer):
            def __init__(self, name, value):
                super().__init__(b'data')
                self.name = name
                self.value = value

            def do_read_chunk(self, count):
                return self.value if self.name == 'read' else super().do_read_chunk(count)

            def do_seek(self, offset, whence):
                return self.value if self.name == 'seek' else super().do_seek(offset, whence)

            def do_tell(self):
                return self.value if self.name == 'tell' else super().do_tell()

            def do_truncate(self, size):
                return self.value if self.name == 'truncate' else super().do_truncate(size)

        cases = [('read', 42, TypeError, lambda s: s.read(2)),
                 ('read', 42, TypeError, lambda s: s.readline()),
                 ('seek', '1', TypeError, lambda s: s.seek(1)),
                 ('seek', 2 ** 70, OverflowError, lambda s: s.seek(1)),
                 ('tell', None, TypeError, lambda s: s.tell()),
                 ('tell', 2 ** 70, OverflowError, lambda s: s.tell()),
                 ('truncate', 1.5, TypeError, lambda s: s.truncate(1))]
        for name, value, exc, call in cases:
            with self.subTest(vfunc=name, value=value):
                with self.assertRaises(exc) as caught:
                    call(Returns(name, value))
                self.assertNotIsInstance(caught.exception, GLib.Error)
        # C still gets the GError.
        with self.assertRaises(GLib.Error) as caught:
            RawIo.Stream.seek(Returns('seek', '1'), 1, Io.Whence.SET)
        self.assertTrue(caught.exception.matches(Gio.io_error_quark(), E.INVALID_ARGUMENT))
        self.assertEqual(Returns('truncate', None).truncate(2), 2)


class Buffering(Io.Stream):
    """Keeps its writes in a Python attribute until do_close() flushes them
    to @sink, as a backend with a buffer of its own does."""

    def __init__(self, sink):
        super().__init__()
        self.sink = sink
        self.pending = []

    def do_write(self, buffer, count=None):
        self.pending.append(bytes(buffer))
        return len(buffer)

    def do_close(self):
        self.sink.extend(self.pending)
        self.pending.clear()
        return True


class DroppedOpen(IoTestCase):
    """A Python backend dropped while open is closed while it lives, as
    IOBase.__del__ closes, so its do_close() still has its attributes."""

    def test_closed_with_its_attributes(self):
        sink = []
        stream = Buffering(sink)
        stream.write(b'abc')
        with self.assertWarnsRegex(ResourceWarning, 'unclosed stream'):
            del stream
            gc.collect()
        self.assertEqual(sink, [b'abc'])

    def test_closed_stream_does_not_warn(self):
        sink = []
        stream = Buffering(sink)
        stream.write(b'x')
        stream.close()
        with warnings.catch_warnings():
            warnings.simplefilter('error', ResourceWarning)
            del stream
            gc.collect()
        self.assertEqual(sink, [b'x'])

    def test_kept_open_while_c_holds_it(self):
        class Pass(Io.FilterStream):
            pass

        sink = []
        base = Buffering(sink)
        base.write(b'kept')
        layer = Pass(base_stream=base)
        del base
        gc.collect()
        self.assertEqual(sink, [])
        layer.close()
        self.assertEqual(sink, [b'kept'])

    def test_streams_of_the_library_are_left_to_dispose(self):
        with warnings.catch_warnings():
            warnings.simplefilter('error', ResourceWarning)
            stream = Io.MemoryStream(b'data')
            del stream
            gc.collect()


if __name__ == '__main__':
    main()
