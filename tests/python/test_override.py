#!/usr/bin/python3
# test_override.py: the override is active, registered with io, and maps errors
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import errno
import io
import os
import sys

from iotest import GLib, Gio, Io, IoTestCase, RawIo, main, source_root

E = Gio.IOErrorEnum


class ErrorStream(Io.Stream):
    """Reading raises whatever exception the test put in `exc`."""

    def __init__(self, exc):
        super().__init__()
        self.exc = exc

    def do_read_chunk(self, count):
        raise self.exc


class OverrideActive(IoTestCase):
    def test_classes_come_from_the_override(self):
        self.assertEqual(Io.Stream.__module__, 'gi.overrides.Io')
        self.assertEqual(Io.MemoryStream.__module__, 'gi.overrides.Io')
        self.assertIn(Io.Stream, Io.MemoryStream.__mro__)
        self.assertTrue(hasattr(Io.MemoryStream, 'getvalue'))
        self.assertTrue(hasattr(Io.MemoryStream, 'getbuffer'))

    def test_the_override_under_test_is_the_source_tree_one(self):
        root = source_root()
        self.assertIsNotNone(root, 'IO_SOURCE_ROOT is not set: run the suite with meson test')
        expected = os.path.join(root, 'bindings', 'python', 'gi', 'overrides', 'Io.py')
        self.assertEqual(os.path.realpath(sys.modules['gi.overrides.Io'].__file__),
                         os.path.realpath(expected))

    def test_the_accelerator_is_used_unless_disabled(self):
        override = sys.modules['gi.overrides.Io']
        if os.environ.get('IO_PYTHON_NO_ACCEL'):
            self.assertIsNone(override._accel)
            self.assertNotIsInstance(Io.MemoryStream(), override._ACCEL_BASES)
        else:
            self.assertIsNotNone(override._accel, 'gi.overrides._ioaccel was not built')
            self.assertIs(type(vars(Io.Stream)['read']),
                          type(vars(override._accel.StreamBase)['read']))
            # FileIO's calls of the descriptor streams, PEP 475 included,
            # each class's own (CPython calls those without its generic
            # checks on the class's instances).
            compiled = vars(override._accel.StreamBase)
            for cls in (Io.FileStream, Io.PipeStream):
                for name in ('read', 'readinto', 'write'):
                    method = vars(cls)[name]
                    self.assertIs(type(method), type(compiled['_fd_' + name]))
                    self.assertEqual(method.__name__, '_fd_' + name)
                    self.assertIs(method.__objclass__, cls)
                    with self.assertRaises(TypeError):
                        method(Io.MemoryStream(), b'')  # not a cls
            # The memory stream's hot calls, its own too.
            for name in ('read', 'read1', 'readinto', 'readinto1', 'readline', 'peek',
                         'write', 'tell', 'seek'):
                method = vars(Io.MemoryStream)[name]
                self.assertIs(type(method), type(compiled[name]))
                self.assertEqual(method.__name__, name)
                self.assertIs(method.__objclass__, Io.MemoryStream)
            self.assertEqual(Io.MemoryStream(b'ab\ncd').readline(), b'ab\n')
            with self.assertRaises(TypeError):
                override._accel.method_for(int, '_fd_read')
            with self.assertRaises(AttributeError):
                override._accel.method_for(Io.FileStream, 'no_such_method')

    def test_objects_made_in_c_get_the_override(self):
        s = RawIo.MemoryStream.new(b'abc')
        self.assertIsInstance(s, Io.MemoryStream)
        self.assertEqual(s.read(), b'abc')
        self.assertEqual(s.getvalue(), b'abc')
        self.assertIs(type(s.read()), bytes)

    def test_registered_with_the_io_abcs(self):
        class Sub(Io.Stream):
            def do_read_chunk(self, count):
                return b''
        for stream in (Io.MemoryStream(), Sub()):
            self.assertIsInstance(stream, io.BufferedIOBase)
            self.assertIsInstance(stream, io.IOBase)
        self.assertTrue(issubclass(Io.Stream, io.BufferedIOBase))
        self.assertTrue(issubclass(Io.MemoryStream, io.BufferedIOBase))

    def test_raw_methods_stay_reachable(self):
        s = Io.MemoryStream(b'abcdef')
        chunk = Io.Stream.read_bytes(s, 4)
        self.assertIsInstance(chunk, GLib.Bytes)
        self.assertEqual(chunk.get_data(), b'abcd')
        self.assertEqual(RawIo.Stream.read(s, -1), b'ef')


class ErrorsFromC(IoTestCase):
    """Each G_IO_ERROR arrives as the io exception and as a GLib.Error."""

    def test_closed(self):
        s = Io.MemoryStream(b'x')
        s.close()
        exc = self.assertClosedError(s.read)
        self.assertIsInstance(exc, Io.ClosedError)
        self.assertEqual(exc.domain, 'g-io-error-quark')
        self.assertEqual(exc.code, int(E.CLOSED))
        self.assertEqual(exc.message, 'I/O operation on closed stream')
        try:
            s.write(b'y')
        except GLib.Error as e:
            self.assertTrue(e.matches(Gio.io_error_quark(), E.CLOSED))
        else:
            self.fail('write on a closed stream succeeded')

    def test_not_supported(self):
        exc = self.assertIoError(io.UnsupportedOperation, E.NOT_SUPPORTED,
                                 Io.MemoryStream().fileno, message='fileno')
        self.assertIsInstance(exc, Io.NotSupportedError)
        self.assertIsInstance(exc, OSError)
        self.assertIsInstance(exc, ValueError)

    def test_not_readable(self):
        class WriteOnly(Io.Stream):
            def do_write(self, data, count):
                return count
        self.assertIoError(io.UnsupportedOperation, E.NOT_SUPPORTED, WriteOnly().read)
        self.assertIoError(io.UnsupportedOperation, E.NOT_SUPPORTED, WriteOnly().seek, 0)

    def test_invalid_argument(self):
        exc = self.assertIoError(ValueError, E.INVALID_ARGUMENT, Io.MemoryStream().seek, -1,
                                 message='negative seek value -1')
        self.assertIsInstance(exc, Io.InvalidArgumentError)

    def test_busy(self):
        s = Io.MemoryStream(b'abc')
        view = s.getbuffer()
        exc = self.assertIoError(BufferError, E.BUSY, s.write, b'x',
                                 message='Existing exports of data: object cannot be re-sized')
        self.assertIsInstance(exc, Io.BusyError)
        view.release()

    def test_would_block(self):
        s = ErrorStream(BlockingIOError(errno.EAGAIN, 'Resource temporarily unavailable'))
        exc = self.assertIoError(BlockingIOError, E.WOULD_BLOCK, s.read, 1)
        self.assertIsInstance(exc, Io.WouldBlockError)
        self.assertEqual(exc.errno, errno.EAGAIN)

    def test_os_errors_of_python_backends_round_trip(self):
        cases = [
            (FileNotFoundError(errno.ENOENT, 'No such file or directory', 'data.txt'),
             FileNotFoundError, E.NOT_FOUND),
            (PermissionError(errno.EACCES, 'Permission denied', "it's here"),
             PermissionError, E.PERMISSION_DENIED),
            (IsADirectoryError(errno.EISDIR, 'Is a directory', '/tmp'),
             IsADirectoryError, E.IS_DIRECTORY),
            (OSError(errno.EIO, 'Input/output error'), OSError, E.FAILED),
            (OSError(errno.EXDEV, 'Invalid cross-device link', 'a', None, 'b'),
             OSError, E.FAILED),
            (BrokenPipeError(errno.EPIPE, 'Broken pipe'), BrokenPipeError, E.BROKEN_PIPE),
        ]
        for original, std_type, code in cases:
            with self.subTest(original=original):
                exc = self.assertIoError(std_type, code, ErrorStream(original).read, 1)
                self.assertIs(type(exc).__mro__[1], std_type)
                self.assertEqual(exc.errno, original.errno)
                self.assertEqual(exc.strerror, original.strerror)
                self.assertEqual(exc.filename, original.filename)
                self.assertEqual(exc.filename2, original.filename2)
                self.assertEqual(str(exc), str(original))

    def test_codes_without_errno_message(self):
        cases = [
            (E.NOT_FOUND, FileNotFoundError, errno.ENOENT),
            (E.PERMISSION_DENIED, PermissionError, errno.EACCES),
            (E.TIMED_OUT, TimeoutError, errno.ETIMEDOUT),
            (E.FAILED, OSError, None),
        ]
        for code, std_type, expected_errno in cases:
            with self.subTest(code=code):
                gerror = GLib.Error('it went wrong', 'g-io-error-quark', int(code))
                exc = self.assertIoError(std_type, code, ErrorStream(gerror).read, 1)
                self.assertEqual(exc.errno, expected_errno)
                self.assertEqual(exc.message, 'it went wrong')

    def test_no_space_is_memory_error(self):
        gerror = GLib.Error('Cannot allocate', 'g-io-error-quark', int(E.NO_SPACE))
        self.assertIoError(MemoryError, E.NO_SPACE, ErrorStream(gerror).read, 1)

    def test_other_domains_pass_through(self):
        gerror = GLib.Error('odd', 'libstream-test-quark', 7)
        with self.assertRaises(GLib.Error) as caught:
            ErrorStream(gerror).read(1)
        self.assertIs(type(caught.exception), GLib.Error)
        self.assertEqual(caught.exception.domain, 'libstream-test-quark')
        self.assertEqual(caught.exception.code, 7)

    def test_python_exceptions_become_failed(self):
        exc = self.assertIoError(OSError, E.FAILED, ErrorStream(KeyError('k')).read, 1)
        self.assertEqual(exc.message, "KeyError: 'k'")
        self.assertIsNone(exc.errno)
        self.assertIoError(ValueError, E.INVALID_ARGUMENT, ErrorStream(ValueError('v')).read, 1,
                           message='v')


class StructuredErrors(IoTestCase):
    """errno and filenames come from C's record of the error, in Python as
    in every binding."""

    def test_gerror_of_a_failed_open(self):
        path = '/nonexistent/libstream-test-\udcff'
        with self.assertRaises(GLib.Error) as caught:
            RawIo.FileStream.new(path, 'rb')
        error = caught.exception
        self.assertEqual(Io.error_get_errno(error), errno.ENOENT)
        self.assertEqual(Io.error_get_filename(error), path)
        self.assertIsNone(Io.error_get_filename2(error))

    def test_override_exceptions_are_gerrors_too(self):
        with self.assertRaises(FileNotFoundError) as caught:
            Io.FileStream('/nonexistent/libstream-test')
        self.assertEqual(Io.error_get_errno(caught.exception), errno.ENOENT)

    def test_errors_without_errno(self):
        s = Io.MemoryStream()
        s.close()
        with self.assertRaises(ValueError) as caught:
            s.read()
        self.assertEqual(Io.error_get_errno(caught.exception), 0)
        self.assertIsNone(Io.error_get_filename(caught.exception))
        lookalike = GLib.Error("[Errno 2] No such file or directory: 'x'",
                               'g-io-error-quark', int(E.NOT_FOUND))
        self.assertEqual(Io.error_get_errno(lookalike), 0)

    def test_python_backend_errors_reach_c_with_their_errno(self):
        stream = ErrorStream(OSError(errno.EXDEV, 'Invalid cross-device link', 'a', None, 'b'))
        with self.assertRaises(GLib.Error) as caught:
            RawIo.Stream.read(stream, 1)
        self.assertEqual(Io.error_get_errno(caught.exception), errno.EXDEV)
        self.assertEqual(Io.error_get_filename(caught.exception), 'a')
        self.assertEqual(Io.error_get_filename2(caught.exception), 'b')

    def test_set_from_errno(self):
        with self.assertRaises(GLib.Error) as caught:
            Io.error_set_from_errno(errno.EACCES, "it's", None)
        error = caught.exception
        self.assertTrue(error.matches(Gio.io_error_quark(), E.PERMISSION_DENIED))
        self.assertEqual(error.message, str(PermissionError(errno.EACCES, os.strerror(errno.EACCES),
                                                            "it's")))
        self.assertEqual(Io.error_get_errno(error), errno.EACCES)


class EveryMethodTranslates(IoTestCase):
    """Introspected methods the override does not redefine, backends and
    constructors included, raise the translated exceptions too."""

    def test_every_throwing_method_is_wrapped(self):
        classes = [getattr(Io, name) for name in dir(RawIo)
                   if isinstance(getattr(RawIo, name), type)
                   and issubclass(getattr(RawIo, name), RawIo.Stream)]
        self.assertIn(Io.FileStream, classes)
        for cls in classes:
            for info in cls.__info__.get_methods():
                if info.can_throw_gerror():
                    with self.subTest(cls=cls.__name__, method=info.get_name()):
                        method = getattr(cls, info.get_name())
                        self.assertNotIsInstance(method, type(RawIo.Stream.read))

    def test_raw_method_on_a_closed_stream(self):
        s = Io.MemoryStream(b'abc')
        s.close()
        self.assertClosedError(Io.Stream.read_bytes, s, 1)
        self.assertClosedError(Io.MemoryStream.get_value, s)

    def test_constructor_errors(self):
        exc = self.assertIoError(FileNotFoundError, E.NOT_FOUND, Io.FileStream.new,
                                 '/nonexistent/libstream-test', 'rb')
        self.assertEqual(exc.errno, errno.ENOENT)
        self.assertEqual(exc.filename, '/nonexistent/libstream-test')


class ArgumentErrors(IoTestCase):
    """Errors the override raises itself are GLib.Errors too."""

    def test_type_errors(self):
        s = Io.MemoryStream()
        exc = self.assertIoError(TypeError, E.INVALID_ARGUMENT, s.write, 'text',
                                 message="a bytes-like object is required, not 'str'")
        self.assertIsInstance(exc, Io.ArgumentTypeError)
        self.assertIoError(TypeError, E.INVALID_ARGUMENT, s.read, 1.5,
                           message="argument should be integer or None, not 'float'")
        self.assertIoError(TypeError, E.INVALID_ARGUMENT, s.seek, 'x',
                           message="'str' object cannot be interpreted as an integer")

    def test_detach(self):
        self.assertIoError(io.UnsupportedOperation, E.NOT_SUPPORTED, Io.MemoryStream().detach,
                           message='detach')


if __name__ == '__main__':
    main()
