#!/usr/bin/python3
# test_file_stream.py: Io.FileStream side by side with io.FileIO
#
# SPDX-License-Identifier: LGPL-2.1-or-later

"""Every operation runs on an io.FileIO over one file and on an
Io.FileStream over an identical twin; results, exception types and
messages, errno, filename and the files' contents must agree."""

import errno
import functools
import gc
import io
import os
import random
import shutil
import tempfile
import warnings

import iotest
from iotest import GLib, Gio, Io, IoTestCase, main


def raised_as_nobody(calls):
    """What each of @calls raises (None if nothing) when made by user nobody,
    in a child process: root may open any file."""
    def as_nobody():
        os.setgroups([])
        os.setgid(65534)
        os.setuid(65534)

    def closed_or_error(call):
        try:
            call().close()
            return None
        except OSError as e:
            return (type(e).__name__, e.errno, e.filename, e.strerror)

    outcomes = iotest.outcomes_in_child(as_nobody, [functools.partial(closed_or_error, call)
                                                    for call in calls])
    return [result for _, result in outcomes]


def outcome(func):
    try:
        return ('ok', func())
    except Exception as exc:  # noqa: BLE001 -- the comparison is the test
        return ('exc', exc)


class FileIOParity(IoTestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix='test-file-stream-')
        self.addCleanup(shutil.rmtree, self.dir)

    def twins(self, name, content=b'0123456789'):
        """Two paths, for FileIO and for FileStream; None content: absent."""
        a = os.path.join(self.dir, name + '.fileio')
        b = os.path.join(self.dir, name + '.stream')
        for path in (a, b):
            if content is not None:
                with open(path, 'wb') as f:
                    f.write(content)
        return a, b

    def assertSameOutcome(self, expected, actual, what, a=None, b=None):
        """@actual (FileStream) agrees with @expected (FileIO). Paths @a in
        FileIO's messages stand for @b in FileStream's."""
        if expected[0] == 'ok':
            self.assertEqual(actual[0], 'ok', '%s: FileIO gave %r, FileStream raised %r'
                             % (what, expected[1], actual[1]))
            self.assertEqual(actual[1], expected[1], what)
            return
        exc = expected[1]
        self.assertEqual(actual[0], 'exc', '%s: FileIO raised %r, FileStream gave %r'
                         % (what, exc, actual[1]))
        got = actual[1]
        self.assertIsInstance(got, type(exc), '%s: %r is not a %s' % (what, got, type(exc)))
        message = str(exc) if a is None else str(exc).replace(a, b)
        self.assertEqual(str(got), message, what)
        if isinstance(exc, OSError) and exc.errno is not None:
            self.assertIsInstance(got, GLib.Error, what)
            self.assertEqual(got.errno, exc.errno, what)
            filename = exc.filename
            if a is not None and isinstance(filename, str):
                filename = filename.replace(a, b)
            elif a is not None and isinstance(filename, bytes):
                filename = filename.replace(os.fsencode(a), os.fsencode(b))
            self.assertEqual(got.filename, filename, what)

    def compare(self, what, fileio_op, stream_op, a=None, b=None):
        expected = outcome(fileio_op)
        actual = outcome(stream_op)
        self.assertSameOutcome(expected, actual, what, a, b)
        return expected, actual

    def assertSameContent(self, a, b):
        with open(a, 'rb') as fa, open(b, 'rb') as fb:
            self.assertEqual(fb.read(), fa.read())

    def open_twins(self, a, b, mode):
        fileio = io.FileIO(a, mode)
        stream = Io.FileStream(b, mode)
        self.addCleanup(fileio.close)
        self.addCleanup(stream.close)
        return fileio, stream

    # Opening

    def test_modes(self):
        for mode in ('r', 'rb', 'r+', 'rb+', '+r', 'w', 'wb', 'w+', 'a', 'ab', 'a+',
                     'x', 'xb', 'x+', 'br+'):
            with self.subTest(mode=mode):
                a, b = self.twins('m' + mode.replace('+', 'p'),
                                  None if 'x' in mode else b'0123456789')
                fileio, stream = self.open_twins(a, b, mode)
                self.assertIsInstance(stream, Io.FileStream)
                self.assertIsInstance(stream, io.BufferedIOBase)
                for attr in ('mode', 'closefd', 'readable', 'writable', 'seekable', 'tell',
                             'isatty'):
                    self.compare(attr, lambda: self.attr(fileio, attr),
                                 lambda: self.attr(stream, attr))
                self.assertEqual(stream.name, b)
                self.compare('seek', lambda: fileio.seek(2), lambda: stream.seek(2))
                self.compare('write', lambda: fileio.write(b'ab'), lambda: stream.write(b'ab'))
                self.compare('seek', lambda: fileio.seek(0), lambda: stream.seek(0))
                self.compare('read', lambda: fileio.read(), lambda: stream.read())
                fileio.close()
                stream.close()
                self.assertSameContent(a, b)

    @staticmethod
    def attr(obj, name):
        value = getattr(obj, name)
        return value() if callable(value) else value

    def test_raw_io_base(self):
        # A raw stream, as FileIO is, with everything io.RawIOBase has.
        public = {name for name in dir(io.RawIOBase) if name not in ('_abc_impl',
                                                                     '__abstractmethods__')}
        for mode in ('r', 'w', 'r+', 'a'):
            with self.subTest(mode=mode):
                a, b = self.twins('raw' + mode.replace('+', 'p'), b'line 1\nline 2\n')
                fileio, stream = self.open_twins(a, b, mode)
                self.assertIsInstance(stream, io.RawIOBase)
                self.assertTrue(issubclass(Io.FileStream, io.RawIOBase))
                self.assertEqual(public - set(dir(stream)), set())
                for name in ('_checkClosed', '_checkReadable', '_checkWritable',
                             '_checkSeekable'):
                    self.compare(name, getattr(fileio, name), getattr(stream, name))
                # (Reading everything from a write-only file is a documented
                # difference: EBADF in FileIO.)
                if fileio.readable():
                    for size in ((), (None,), (-1,)):
                        self.compare('seek', lambda: fileio.seek(0), lambda: stream.seek(0))
                        self.compare('read%r' % (size,), lambda: fileio.read(*size),
                                     lambda: stream.read(*size))
                    self.compare('seek', lambda: fileio.seek(3), lambda: stream.seek(3))
                    self.compare('readall', fileio.readall, stream.readall)
                self.compare('seek', lambda: fileio.seek(3), lambda: stream.seek(3))
                self.compare('readinto', lambda: self.readinto(fileio, 4),
                             lambda: self.readinto(stream, 4))
                self.compare('write', lambda: fileio.write(b'xyz'), lambda: stream.write(b'xyz'))
                self.compare('write', lambda: fileio.write(bytearray(b'!')),
                             lambda: stream.write(bytearray(b'!')))
                fileio.close()
                stream.close()
                for name in ('_checkClosed', '_checkReadable', '_checkWritable',
                             '_checkSeekable'):
                    self.compare('closed ' + name, getattr(fileio, name), getattr(stream, name))
                self.assertSameContent(a, b)

    def test_buffered_over_a_file_stream(self):
        # The buffered classes of io and of _pyio (which asks the raw
        # stream's _checkSeekable()) take it as they take a FileIO.
        import _pyio
        for module in (io, _pyio):
            for cls, mode in ((module.BufferedReader, 'r'), (module.BufferedWriter, 'w'),
                              (module.BufferedRandom, 'r+')):
                with self.subTest(cls=cls, mode=mode):
                    a, b = self.twins('buf' + mode.replace('+', 'p'), b'0123456789' * 100)
                    fileio, stream = self.open_twins(a, b, mode)
                    outer = [cls(raw, 16) for raw in (fileio, stream)]
                    for what, op in [('readable', lambda f: f.readable()),
                                     ('read', lambda f: f.read(20) if f.readable() else None),
                                     ('write', lambda f: f.write(b'ab' * 20)
                                      if f.writable() else None),
                                     ('seek', lambda f: f.seek(5) if f.seekable() else None),
                                     ('tell', lambda f: f.tell()),
                                     ('flush', lambda f: f.flush())]:
                        self.compare(what, lambda: op(outer[0]), lambda: op(outer[1]))
                    for f in outer:
                        f.close()
                    self.assertTrue(stream.closed)
                    self.assertSameContent(a, b)

    def test_bad_modes(self):
        a, b = self.twins('f')
        for mode in ('', 'b', '+', 'rw', 'wa', 'xr', 'r++', 'bb', 'rt', 't', 'z', 'rU',
                     'w+t', 'r b', 'r\0', 'w\0x', '\0'):
            with self.subTest(mode=mode):
                expected, actual = self.compare(mode, lambda: io.FileIO(a, mode),
                                                lambda: Io.FileStream(b, mode))
                self.assertIsInstance(expected[1], ValueError)
                self.assertEqual(str(actual[1]), str(expected[1]))
        self.assertSameContent(a, b)
        # The mode is checked before the descriptor, as FileIO does.
        for fd in (-1, 2 ** 20):
            with self.subTest(fd=fd):
                expected, actual = self.compare('fd', lambda: io.FileIO(fd, 'r\0'),
                                                lambda: Io.FileStream(fd, 'r\0'))
                self.assertIsInstance(expected[1], ValueError)
                self.assertEqual(str(actual[1]), str(expected[1]))

    def test_open_errors(self):
        a, b = self.twins('f')
        cases = [
            ('missing', lambda p: p + '.missing', 'r'),
            ('missing r+', lambda p: p + '.missing', 'r+'),
            ('exists', lambda p: p, 'x'),
            ('not a directory', lambda p: os.path.join(p, 'child'), 'w'),
            ('directory', lambda p: os.path.dirname(p), 'r'),
            ('directory for writing', lambda p: os.path.dirname(p), 'w'),
            ('directory for appending', lambda p: os.path.dirname(p), 'a+'),
            ('empty path', lambda p: '', 'r'),
            ('quote', lambda p: p + "it's", 'r'),
            ('both quotes', lambda p: p + 'both \'"', 'r'),
            ('control and unicode', lambda p: p + '\t\a\xa0\xe9', 'r'),
        ]
        for what, path_of, mode in cases:
            with self.subTest(what=what):
                pa, pb = path_of(a), path_of(b)
                self.compare(what, lambda: io.FileIO(pa, mode), lambda: Io.FileStream(pb, mode),
                             a, b)
        self.assertSameContent(a, b)

    def test_permission_denied(self):
        # A file the user may not open: PermissionError, with FileIO's errno,
        # filename and text. root may open anything, so as root the two are
        # compared in a child running as nobody.
        a, b = self.twins('secret')
        for path in (a, b):
            os.chmod(path, 0o600 if os.geteuid() == 0 else 0)
        modes = ('r', 'w', 'a', 'r+')
        if os.geteuid() != 0:
            for mode in modes:
                with self.subTest(mode=mode):
                    expected, _ = self.compare(mode, lambda: io.FileIO(a, mode),
                                               lambda: Io.FileStream(b, mode), a, b)
                    self.assertIsInstance(expected[1], PermissionError)
            return
        os.chmod(self.dir, 0o711)
        fileio = raised_as_nobody([lambda mode=mode: io.FileIO(a, mode) for mode in modes])
        stream = raised_as_nobody([lambda mode=mode: Io.FileStream(b, mode) for mode in modes])
        denied = ('PermissionError', errno.EACCES, os.strerror(errno.EACCES))
        self.assertEqual(fileio, [denied[:2] + (a,) + denied[2:]] * len(modes))
        self.assertEqual(stream, [denied[:2] + (b,) + denied[2:]] * len(modes))

    def test_undecodable_and_bytes_paths(self):
        a, b = self.twins('f')
        pa = os.fsencode(a) + b'\xff'
        pb = os.fsencode(b) + b'\xff'
        expected, actual = self.compare('bytes path', lambda: io.FileIO(pa),
                                        lambda: Io.FileStream(pb), a, b)
        self.assertIsInstance(actual[1], FileNotFoundError)
        # A bytes path opens and keeps its name as given, as in FileIO.
        with Io.FileStream(os.fsencode(b), 'rb') as stream:
            self.assertEqual(stream.name, os.fsencode(b))
            self.assertEqual(stream.read(), b'0123456789')

    def test_nul_in_path(self):
        a, b = self.twins('f')
        self.compare('NUL', lambda: io.FileIO(a + '\0x'), lambda: Io.FileStream(b + '\0x'))
        self.compare('NUL bytes', lambda: io.FileIO(os.fsencode(a) + b'\0'),
                     lambda: Io.FileStream(os.fsencode(b) + b'\0'))

    def test_creation_mode_and_cloexec(self):
        a, b = self.twins('new', None)
        fileio, stream = self.open_twins(a, b, 'x')
        self.assertEqual(os.stat(b).st_mode & 0o7777, os.stat(a).st_mode & 0o7777)
        self.assertFalse(os.get_inheritable(stream.fileno()))
        self.assertEqual(os.get_inheritable(stream.fileno()), os.get_inheritable(fileio.fileno()))

    def test_repr_and_blksize(self):
        a, b = self.twins('f')
        fd_a, fd_b = os.open(a, os.O_RDWR), os.open(b, os.O_RDWR)
        for fileio, stream in (self.open_twins(a, b, 'a+'),
                               (io.FileIO(fd_a, 'r', closefd=False),
                                Io.FileStream(fd_b, 'r', closefd=False))):
            expected = repr(fileio).replace('_io.FileIO', 'Io.FileStream')
            expected = expected.replace(a, b).replace('name=%d ' % fd_a, 'name=%d ' % fd_b)
            self.assertEqual(repr(stream), expected)
            self.assertEqual(stream._blksize, fileio._blksize)
            fileio.close()
            stream.close()
            self.assertEqual(repr(stream), '<Io.FileStream [closed]>')
            self.assertEqual(repr(fileio), '<_io.FileIO [closed]>')
        os.close(fd_a)
        os.close(fd_b)

    def test_closefd_false_with_name(self):
        a, b = self.twins('f')
        self.compare('closefd', lambda: io.FileIO(a, 'r', closefd=False),
                     lambda: Io.FileStream(b, 'r', closefd=False))

    # Descriptors

    def test_wrap_fd(self):
        a, b = self.twins('f')
        for closefd in (True, False):
            with self.subTest(closefd=closefd):
                fa = os.open(a, os.O_RDWR)
                fb = os.open(b, os.O_RDWR)
                fileio = io.FileIO(fa, 'r+', closefd=closefd)
                stream = Io.FileStream(fb, 'r+', closefd=closefd)
                self.assertEqual(stream.name, fb)
                self.assertEqual(fileio.name, fa)
                self.assertEqual(stream.closefd, fileio.closefd)
                self.assertEqual(stream.fileno(), fb)
                self.compare('read', lambda: fileio.read(4), lambda: stream.read(4))
                self.compare('write', lambda: fileio.write(b'XY'), lambda: stream.write(b'XY'))
                fileio.close()
                stream.close()
                self.assertEqual(stream.name, fb)
                for fd in (fa, fb):
                    if closefd:
                        self.assertRaises(OSError, os.fstat, fd)
                    else:
                        os.close(fd)
                self.assertSameContent(a, b)

    def test_wrap_fd_errors(self):
        self.compare('negative', lambda: io.FileIO(-1), lambda: Io.FileStream(-1))
        fd = os.open(os.devnull, os.O_RDONLY)
        os.close(fd)
        self.compare('not open', lambda: io.FileIO(fd), lambda: Io.FileStream(fd))
        dir_fd = os.open(self.dir, os.O_RDONLY)
        try:
            self.compare('directory', lambda: io.FileIO(dir_fd), lambda: Io.FileStream(dir_fd))
            # The caller keeps the descriptor of a failed wrap.
            os.fstat(dir_fd)
        finally:
            os.close(dir_fd)
        self.compare('float', lambda: io.FileIO(1.5), lambda: Io.FileStream(1.5))

    # Operations

    def test_operations(self):
        a, b = self.twins('f', b'line one\nline two\nthree')
        fileio, stream = self.open_twins(a, b, 'r+')
        script = [
            ('read(4)', lambda f: f.read(4)),
            ('read(0)', lambda f: f.read(0)),
            ('tell', lambda f: f.tell()),
            ('readline', lambda f: f.readline()),
            ('readline(3)', lambda f: f.readline(3)),
            ('readlines', lambda f: f.readlines()),
            ('read at end', lambda f: f.read(5)),
            ('readall at end', lambda f: f.readall()),
            ('seek(-3, 2)', lambda f: f.seek(-3, 2)),
            ('readinto', lambda f: self.readinto(f, 8)),
            ('seek(0)', lambda f: f.seek(0)),
            ('read()', lambda f: f.read()),
            ('read(None)', lambda f: (f.seek(5), f.read(None))),
            ('seek(-1)', lambda f: f.seek(-1)),
            ('seek(-100, 1)', lambda f: f.seek(-100, 1)),
            ('seek(-100, 2)', lambda f: f.seek(-100, 2)),
            ('seek(0, 3)', lambda f: f.seek(0, 3)),
            ('seek(0, 4)', lambda f: f.seek(0, 4)),
            ('seek(0, 5)', lambda f: f.seek(0, 5)),
            ('seek(1.5)', lambda f: f.seek(1.5)),
            ('tell after failed seeks', lambda f: f.tell()),
            ('seek past end', lambda f: f.seek(40)),
            ('read past end', lambda f: f.read(3)),
            ('write past end', lambda f: f.write(b'!')),
            ('seek(0, 1)', lambda f: f.seek(0, 1)),
            ('truncate(50)', lambda f: f.truncate(50)),
            ('tell after extend', lambda f: f.tell()),
            ('truncate()', lambda f: (f.seek(10), f.truncate())),
            ('truncate(-1)', lambda f: f.truncate(-1)),
            ('truncate(2.0)', lambda f: f.truncate(2.0)),
            ('write bytearray', lambda f: f.write(bytearray(b'ba'))),
            ('write memoryview', lambda f: f.write(memoryview(b'mv'))),
            ('write str', lambda f: f.write('str')),
            ('writelines', lambda f: f.writelines([b'a', b'b'])),
            ('flush', lambda f: f.flush()),
            ('isatty', lambda f: f.isatty()),
            ('seek(0); readall', lambda f: (f.seek(0), f.readall())),
            ('caps', lambda f: (f.readable(), f.writable(), f.seekable())),
            ('close', lambda f: f.close()),
            ('closed', lambda f: f.closed),
            ('close again', lambda f: f.close()),
        ]
        for what, op in script:
            self.compare(what, lambda: op(fileio), lambda: op(stream))
        for what, op in [('read', lambda f: f.read(1)), ('write', lambda f: f.write(b'x')),
                         ('seek', lambda f: f.seek(0)), ('tell', lambda f: f.tell()),
                         ('truncate', lambda f: f.truncate()), ('flush', lambda f: f.flush()),
                         ('fileno', lambda f: f.fileno()), ('isatty', lambda f: f.isatty()),
                         ('readable', lambda f: f.readable()), ('readall', lambda f: f.readall()),
                         ('mode', lambda f: f.mode), ('closefd', lambda f: f.closefd),
                         # FileIO words the closed error of the methods it
                         # inherits from IOBase as BytesIO does.
                         ('readinto', lambda f: self.readinto(f, 2)),
                         ('readline', lambda f: f.readline()),
                         ('readlines', lambda f: f.readlines()),
                         ('writelines', lambda f: f.writelines([b'x'])),
                         ('next', next), ('iter', iter), ('enter', lambda f: f.__enter__()),
                         ('seek(0, 3)', lambda f: f.seek(0, 3)),
                         ('truncate(1.5)', lambda f: f.truncate(1.5)),
                         ('writable', lambda f: f.writable()),
                         ('seekable', lambda f: f.seekable())]:
            self.compare('closed ' + what, lambda: op(fileio), lambda: op(stream))
        self.assertEqual(stream.name, b)
        self.assertSameContent(a, b)

    def test_integers_out_of_range(self):
        # FileIO converts some arguments before it checks the stream and
        # its mode, and others after: each state is compared.
        a, b = self.twins('f')
        for big in (2 ** 63, -2 ** 63 - 1):
            for what, op in [('read', lambda f: f.read(big)),
                             ('readline', lambda f: f.readline(big)),
                             ('readlines', lambda f: f.readlines(big)),
                             ('seek', lambda f: f.seek(big)), ('seek cur', lambda f: f.seek(big, 1)),
                             ('seek end', lambda f: f.seek(big, 2)),
                             ('seek whence', lambda f: f.seek(0, big)),
                             ('seek both', lambda f: f.seek(big, big)),
                             ('truncate', lambda f: f.truncate(big))]:
                for state in ('r+', 'r', 'closed'):
                    fileio, stream = self.open_twins(a, b, 'r' if state == 'closed' else state)
                    if state == 'closed':
                        fileio.close()
                        stream.close()
                    self.compare('%s(%d) %s' % (what, big, state),
                                 lambda: op(fileio), lambda: op(stream))
        self.assertSameContent(a, b)

    def test_iterator_after_close(self):
        a, b = self.twins('f', b'a\nb\nc\n')
        fileio, stream = self.open_twins(a, b, 'r')
        iterators = iter(fileio), iter(stream)
        self.compare('next', lambda: next(iterators[0]), lambda: next(iterators[1]))
        fileio.close()
        stream.close()
        self.compare('next after close', lambda: next(iterators[0]), lambda: next(iterators[1]))

    @staticmethod
    def readinto(f, size):
        buffer = bytearray(b'#' * size)
        return f.readinto(buffer), bytes(buffer)

    def test_not_open_for(self):
        a, b = self.twins('f')
        for mode, ops in (('r', [('write', lambda f: f.write(b'x')),
                                 ('writelines', lambda f: f.writelines([b'x'])),
                                 ('truncate', lambda f: f.truncate(0)),
                                 ('truncate(-1)', lambda f: f.truncate(-1)),
                                 ('truncate(1.5)', lambda f: f.truncate(1.5))]),
                          ('w', [('read', lambda f: f.read(1)),
                                 ('readinto', lambda f: self.readinto(f, 2)),
                                 ('readline', lambda f: f.readline()),
                                 ('readlines', lambda f: f.readlines()),
                                 ('next', next)]),
                          ('a', [('read', lambda f: f.read())])):
            fileio, stream = self.open_twins(a, b, mode)
            for what, op in ops:
                with self.subTest(mode=mode, op=what):
                    expected, actual = self.compare(what, lambda: op(fileio), lambda: op(stream))
                    self.assertIsInstance(actual[1], io.UnsupportedOperation)
            # FileIO.readall() skips the check and gets EBADF from read(2);
            # the stream checks as read() does: both are OSErrors.
            if mode == 'w':
                self.assertRaises(OSError, fileio.readall)
                self.assertRaises(io.UnsupportedOperation, stream.readall)
        self.assertSameContent(a, b)

    def test_append_mode(self):
        a, b = self.twins('f', b'abc')
        fileio, stream = self.open_twins(a, b, 'a+')
        for what, op in [('tell', lambda f: f.tell()), ('seek(0)', lambda f: f.seek(0)),
                         ('write', lambda f: f.write(b'de')), ('tell', lambda f: f.tell()),
                         ('seek(1)', lambda f: f.seek(1)), ('read', lambda f: f.read())]:
            self.compare(what, lambda: op(fileio), lambda: op(stream))
        self.assertSameContent(a, b)

    def test_large_offsets(self):
        a, b = self.twins('sparse', b'')
        fileio, stream = self.open_twins(a, b, 'r+')
        five_gib = 5 << 30
        for what, op in [('seek 5 GiB', lambda f: f.seek(five_gib)),
                         ('write', lambda f: f.write(b'xyz')),
                         ('tell', lambda f: f.tell()),
                         ('seek end', lambda f: f.seek(0, 2)),
                         ('seek back', lambda f: f.seek(-3, 1)),
                         ('read', lambda f: f.read(10)),
                         ('truncate 6 GiB', lambda f: f.truncate(6 << 30)),
                         ('read zeros', lambda f: (f.seek((6 << 30) - 2), f.read(10))),
                         ('truncate back', lambda f: f.truncate(five_gib + 1))]:
            self.compare(what, lambda: op(fileio), lambda: op(stream))
        self.assertEqual(os.stat(b).st_size, os.stat(a).st_size)

    def test_random_operations(self):
        rng = random.Random(4)
        for round_ in range(30):
            content = bytes(rng.choice(b'ab\n\0') for _ in range(rng.randrange(40)))
            a, b = self.twins('r%d' % round_, content)
            mode = rng.choice(['r', 'r+', 'w+', 'a+', 'rb+'])
            fileio, stream = self.open_twins(a, b, mode)
            for step in range(40):
                name, op = self.random_op(rng)
                self.compare('round %d step %d mode %s: %s' % (round_, step, mode, name),
                             lambda: op(fileio), lambda: op(stream))
            fileio.close()
            stream.close()
            self.assertSameContent(a, b)

    def random_op(self, rng):
        size = rng.choice([-1, 0, 1, 3, 7, 100])
        pos = rng.choice([-5, -1, 0, 2, 10, 60])
        whence = rng.choice([0, 1, 2])
        data = bytes(rng.choice(b'xy\n') for _ in range(rng.randrange(6)))
        return rng.choice([
            ('read(%d)' % size, lambda f: f.read(size)),
            ('readall', lambda f: f.readall()),
            ('readinto(%d)' % max(size, 0), lambda f: self.readinto(f, max(size, 0))),
            ('readline(%d)' % size, lambda f: f.readline(size)),
            ('write(%r)' % data, lambda f: f.write(data)),
            ('seek(%d, %d)' % (pos, whence), lambda f: f.seek(pos, whence)),
            ('tell', lambda f: f.tell()),
            ('truncate(%d)' % pos, lambda f: f.truncate(pos)),
            ('truncate()', lambda f: f.truncate()),
            ('flush', lambda f: f.flush()),
        ])

    # Descriptors that are not regular files

    def test_pipe(self):
        ra, wa = os.pipe()
        rb, wb = os.pipe()
        fileio, stream = io.FileIO(ra, 'r'), Io.FileStream(rb, 'r')
        self.addCleanup(fileio.close)
        self.addCleanup(stream.close)
        for fd in (wa, wb):
            os.write(fd, b'abc')
        # One system call: what the pipe holds, without waiting for more.
        self.compare('read(10)', lambda: fileio.read(10), lambda: stream.read(10))
        self.compare('seekable', fileio.seekable, stream.seekable)
        for fd in (ra, rb):
            os.set_blocking(fd, False)
        self.compare('empty read', lambda: fileio.read(10), lambda: stream.read(10))
        self.compare('empty readall', fileio.readall, stream.readall)
        self.compare('empty readinto', lambda: self.readinto(fileio, 4),
                     lambda: self.readinto(stream, 4))
        for fd in (wa, wb):
            os.write(fd, b'xyz')
        self.compare('readall until would-block', fileio.readall, stream.readall)
        # FileIO gives OSError(ESPIPE) where the stream says it cannot seek:
        # both are OSErrors.
        for what, op in [('seek', lambda f: f.seek(0)), ('tell', lambda f: f.tell())]:
            expected, actual = outcome(lambda: op(fileio)), outcome(lambda: op(stream))
            self.assertIsInstance(expected[1], OSError)
            self.assertIsInstance(actual[1], OSError)
        for fd in (wa, wb):
            os.close(fd)
        for fd in (ra, rb):
            os.set_blocking(fd, True)
        self.compare('end', lambda: fileio.read(10), lambda: stream.read(10))

    def test_pipe_write(self):
        ra, wa = os.pipe()
        rb, wb = os.pipe()
        fileio, stream = io.FileIO(wa, 'w'), Io.FileStream(wb, 'w')
        self.addCleanup(fileio.close)
        self.addCleanup(stream.close)
        for r, w in ((ra, wa), (rb, wb)):
            os.set_blocking(w, False)
            self.assertEqual(__import__('fcntl').fcntl(w, 1031, 4096), 4096)  # F_SETPIPE_SZ
        self.compare('fill', lambda: fileio.write(b'z' * 10000), lambda: stream.write(b'z' * 10000))
        self.compare('full', lambda: fileio.write(b'z'), lambda: stream.write(b'z'))
        for r in (ra, rb):
            os.close(r)
        self.compare('broken pipe', lambda: fileio.write(b'z'), lambda: stream.write(b'z'))

    def test_isatty(self):
        master, slave = os.openpty()
        self.addCleanup(os.close, master)
        stream = Io.FileStream(slave, 'r+')
        with stream:
            self.assertTrue(stream.isatty())
            self.assertFalse(stream.seekable())
        self.assertRaises(OSError, os.fstat, slave)

    def test_no_descriptor_leaks(self):
        a, b = self.twins('f')
        before = len(os.listdir('/proc/self/fd'))
        for _ in range(50):
            for args in ((self.dir, 'r'), (self.dir, 'w'), (b, 'rt'), (b + '.missing', 'r'),
                         (b, 'x'), (os.path.join(b, 'child'), 'w')):
                self.assertRaises(Exception, Io.FileStream, *args)
            Io.FileStream(b, 'r+').close()
            with Io.FileStream(b, 'a') as stream:
                stream.write(b'x')
            with self.assertWarns(ResourceWarning):
                Io.FileStream(b, 'rb')  # finalized without close()
                gc.collect()
        self.assertEqual(len(os.listdir('/proc/self/fd')), before)

    def test_unclosed_resource_warning(self):
        # As FileIO: a stream that owns its descriptor and is finalized open
        # warns, naming itself, and closes it; a closed one, or one that
        # does not own its descriptor, says nothing.
        a, b = self.twins('f')
        for path, make in ((a, io.FileIO), (b, Io.FileStream)):
            with self.subTest(make=make.__name__):
                stream = make(path, 'rb')
                fd = stream.fileno()
                text = 'unclosed file %r' % stream
                with self.assertWarns(ResourceWarning) as caught:
                    del stream
                    gc.collect()
                self.assertEqual(str(caught.warning), text)
                self.assertRaises(OSError, os.fstat, fd)
                with warnings.catch_warnings():
                    warnings.simplefilter('error')
                    make(path, 'rb').close()
                    fd = os.open(path, os.O_RDONLY)
                    make(fd, 'rb', closefd=False)
                    gc.collect()
                    os.close(fd)

    def test_held_by_a_layer_stays_open(self):
        # Dropping the Python object of a stream a layer still holds closes
        # nothing: CPython's BufferedReader keeps its FileIO alive, and the
        # GObject lives on in the layer. The layer's close closes it. (A
        # stream made in C, which has no Python state to keep its wrapper.)
        a, b = self.twins('f', b'held\n')
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            raw = Io.Stream.new_for_file(Gio.File.new_for_path(b), 'rb', None)
            self.assertIsInstance(raw, Io.FileStream)
            reader = Io.BufferedReader.new(raw, 8)
            del raw
            gc.collect()
            self.assertEqual(reader.readline(), b'held\n')
            raw = reader.props.raw
            reader.close()
            self.assertTrue(raw.closed)
            del raw, reader
            gc.collect()
        self.assertEqual([str(w.message) for w in caught
                          if issubclass(w.category, ResourceWarning)], [])

    def test_opener(self):
        # FileIO's opener= gets the path and FileIO's flags, its descriptor
        # becomes the stream's; what it returns is checked as FileIO does.
        for index, mode in enumerate(('r', 'rb', 'r+', 'w', 'w+', 'a', 'ab+', 'x', 'x+')):
            a, b = self.twins('op%d' % index, None if 'x' in mode else b'content')
            flags = {}

            def opener(path, given, flags=flags):
                flags[path] = given
                return os.open(path, given, 0o644)

            with self.subTest(mode=mode):
                fileio = io.FileIO(a, mode, opener=opener)
                stream = Io.FileStream(b, mode, opener=opener)
                self.assertEqual(flags[b], flags[a])
                for name in ('name', 'mode', 'closefd', 'readable', 'writable', 'tell'):
                    expected = self.attr(fileio, name)
                    self.assertEqual(self.attr(stream, name), a == expected and b or expected,
                                     name)
                fileio.close()
                stream.close()
        for result in (-1, 'x', 2 ** 40, None):
            with self.subTest(result=result):
                self.compare(result, lambda: io.FileIO(a, 'r', opener=lambda p, f: result),
                             lambda: Io.FileStream(b, 'r', opener=lambda p, f: result))
        # The mode is checked before the opener is called.
        calls = []
        self.compare('bad mode', lambda: io.FileIO(a, 'rw', opener=calls.append),
                     lambda: Io.FileStream(b, 'rw', opener=calls.append))
        self.assertEqual(calls, [])

    # Partial writes

    @staticmethod
    def outcomes_in_child(limit, calls):
        """@calls' outcomes in a child under RLIMIT_FSIZE=@limit with
        SIGXFSZ ignored, as FileIO sees it."""
        import resource
        import signal

        def prepare():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        return iotest.outcomes_in_child(prepare, calls)

    def writes_under_limit(self, make):
        """write(2000 bytes) under a limit of 1000, then write() again, and
        close(), on the file @make opens."""
        holder = []

        def write(size):
            return lambda: holder[0].write(b'x' * size)

        def close():
            holder[0].close()
            return os.path.getsize(path)

        path = os.path.join(self.dir, 'limited')
        calls = [lambda: holder.append(make(path)), write(2000), write(10), write(10), close]
        return self.outcomes_in_child(1000, calls)

    def test_write_past_file_size_limit(self):
        """FileIO returns the 1000 bytes written and raises EFBIG on the
        next write; so do FileStream and PipeStream, and the OS refuses
        again after that."""
        expected = self.writes_under_limit(lambda p: io.FileIO(p, 'w'))
        self.assertEqual(expected[1], ('ok', 1000))
        self.assertEqual(expected[2][:2], ('exc', errno.EFBIG))
        self.assertEqual(expected[4], ('ok', 1000))

        def pipe_stream(path):
            return Io.PipeStream(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), 'wb')

        for make in (lambda p: Io.FileStream(p, 'w'), pipe_stream):
            self.assertEqual(self.writes_under_limit(make), expected)

    def test_write_all_lines_past_file_size_limit(self):
        """writelines() raises the error with the count of what it wrote,
        and leaves nothing for close() to raise."""
        path = os.path.join(self.dir, 'limited')
        holder = []

        def writelines():
            try:
                holder[0].writelines([b''] * 1000 + [b'x'] * 24 + [b'y' * 2000])  # two batches
            except OSError as e:
                return (e.errno, e.characters_written)
            return None

        calls = [lambda: holder.append(Io.FileStream(path, 'w')), writelines,
                 lambda: holder[0].close()]
        self.assertEqual(self.outcomes_in_child(1000, calls),
                         [('ok', None), ('ok', (errno.EFBIG, 1000)), ('ok', None)])

    def test_write_to_full_device(self):
        """/dev/full: ENOSPC at once, no byte written, as FileIO raises."""
        if not os.path.exists('/dev/full'):
            self.skipTest('no /dev/full')
        fileio, stream = self.open_twins('/dev/full', '/dev/full', 'w')
        for what in ('first write', 'second write'):
            expected, actual = self.compare(what, lambda: fileio.write(b'abc'),
                                            lambda: stream.write(b'abc'))
            self.assertEqual(actual[1].errno, errno.ENOSPC)

    def test_gerror_compatibility(self):
        """The OSErrors are GLib.Errors in G_IO_ERROR as well."""
        a, b = self.twins('f')
        with self.assertRaises(GLib.Error) as caught:
            Io.FileStream(b + '.missing')
        self.assertIsInstance(caught.exception, FileNotFoundError)
        self.assertEqual(caught.exception.errno, errno.ENOENT)
        self.assertEqual(caught.exception.filename, b + '.missing')


if __name__ == '__main__':
    main()
