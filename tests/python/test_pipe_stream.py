#!/usr/bin/python3
# test_pipe_stream.py: Io.PipeStream, io.FileIO's behaviour on pipes
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import errno
import fcntl
import hashlib
import io
import os
import signal
import struct
import subprocess
import termios
import threading
import time

from iotest import Gio, GLib, Io, IoTestCase, main

E = Gio.IOErrorEnum
F_SETPIPE_SZ = 1031


class PipeStreamTest(IoTestCase):

    def pair(self):
        reader, writer = Io.PipeStream.new_pair()
        self.addCleanup(reader.close)
        self.addCleanup(writer.close)
        return reader, writer

    def test_pair(self):
        reader, writer = self.pair()
        self.assertIsInstance(reader, Io.PipeStream)
        self.assertIsInstance(reader, io.BufferedIOBase)
        self.assertEqual((reader.mode, writer.mode), ('rb', 'wb'))
        self.assertTrue(reader.closefd)
        self.assertEqual((reader.readable(), reader.writable(), reader.seekable()),
                         (True, False, False))
        self.assertEqual((writer.readable(), writer.writable(), writer.seekable()),
                         (False, True, False))
        self.assertFalse(reader.isatty())
        self.assertFalse(os.get_inheritable(reader.fileno()))
        self.assertFalse(os.get_inheritable(writer.fileno()))
        self.assertFalse(reader.props.nonblocking)

    def assertSameCheck(self, ours, theirs):
        """IOBase's _check*() methods of @ours agree with @theirs (FileIO)."""
        for name in ('_checkClosed', '_checkReadable', '_checkWritable', '_checkSeekable'):
            with self.subTest(mode=theirs.mode, closed=theirs.closed, check=name):
                try:
                    expected = getattr(theirs, name)()
                except Exception as exc:  # noqa: BLE001 -- compared below
                    with self.assertRaises(type(exc)) as caught:
                        getattr(ours, name)()
                    self.assertEqual(str(caught.exception), str(exc))
                else:
                    self.assertEqual(getattr(ours, name)(), expected)

    def test_raw_io_base(self):
        # A raw stream, as FileIO on a pipe is, with what io.RawIOBase has.
        reader, writer = self.pair()
        ra, wa = os.pipe()
        theirs = io.FileIO(ra, 'r'), io.FileIO(wa, 'w')
        for f in theirs:
            self.addCleanup(f.close)
        self.assertTrue(issubclass(Io.PipeStream, io.RawIOBase))
        public = {name for name in dir(io.RawIOBase) if name not in ('_abc_impl',
                                                                     '__abstractmethods__')}
        for ours, fileio in zip((reader, writer), theirs):
            self.assertIsInstance(ours, io.RawIOBase)
            self.assertEqual(public - set(dir(ours)), set())
            self.assertSameCheck(ours, fileio)
        self.assertEqual(writer.write(b'raw data'), 8)
        self.assertEqual(writer.write(memoryview(b'!')), 1)
        buffer = bytearray(4)
        self.assertEqual(reader.readinto(buffer), 4)
        self.assertEqual(buffer, b'raw ')
        self.assertEqual(reader.read(100), b'data!')
        # Buffered objects take it as their raw stream.
        buffered_writer = io.BufferedWriter(writer)
        buffered_writer.write(b'one\ntwo\n')
        buffered_writer.flush()
        buffered_reader = io.BufferedReader(reader)
        self.assertEqual(buffered_reader.readline(), b'one\n')
        buffered_writer.close()
        self.assertEqual(buffered_reader.read(), b'two\n')
        buffered_reader.close()
        for ours, fileio in zip((reader, writer), theirs):
            fileio.close()
            self.assertTrue(ours.closed)
            self.assertSameCheck(ours, fileio)

    def test_round_trip_and_eof(self):
        reader, writer = self.pair()
        self.assertEqual(writer.write(b'hello'), 5)
        # One system call: what the pipe holds, without waiting for more.
        self.assertEqual(reader.read(100), b'hello')
        second = os.dup(writer.fileno())
        writer.write(b'ab')
        writer.close()
        self.assertEqual(reader.read(1), b'a')
        os.write(second, b'cd')
        os.close(second)
        # The end comes once every writer is closed.
        self.assertEqual(reader.readall(), b'bcd')
        self.assertEqual(reader.read(10), b'')
        self.assertEqual(reader.read(), b'')

    def test_not_seekable(self):
        reader, writer = self.pair()
        for stream in (reader, writer):
            for op in (lambda: stream.seek(0), lambda: stream.seek(0, 1), stream.tell,
                       lambda: stream.truncate(0)):
                self.assertIoError(io.UnsupportedOperation, E.NOT_SUPPORTED, op)

    def test_broken_pipe(self):
        reader, writer = self.pair()
        reader.close()
        exc = self.assertIoError(BrokenPipeError, E.BROKEN_PIPE, writer.write, b'x')
        self.assertEqual(exc.errno, errno.EPIPE)
        self.assertEqual(str(exc), '[Errno 32] Broken pipe')

    def test_broken_pipe_with_default_sigpipe(self):
        """Python ignores SIGPIPE; with the default action restored the
        write must still fail rather than kill the interpreter."""
        reader, writer = self.pair()
        reader.close()
        old = signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        try:
            self.assertRaises(BrokenPipeError, writer.write, b'x')
            self.assertNotIn(signal.SIGPIPE, signal.sigpending())
            self.assertNotIn(signal.SIGPIPE, signal.pthread_sigmask(signal.SIG_BLOCK, []))
        finally:
            signal.signal(signal.SIGPIPE, old)

    def test_broken_pipe_after_progress_like_fileio(self):
        """The reader closes while a write waits on a full pipe: FileIO
        returns what the pipe took, and the next write raises EPIPE. So
        does PipeStream, whose write loops: the count, then the error."""
        def write_until_reader_closes(writer, reader_fd, close_reader):
            # The reader closes once the write has filled the pipe, so the
            # write is waiting then however late a loaded machine runs it.
            def close_when_full():
                size = fcntl.fcntl(reader_fd, fcntl.F_GETPIPE_SZ)
                while struct.unpack('i', fcntl.ioctl(reader_fd, termios.FIONREAD,
                                                     b'\0' * 4))[0] < size:
                    time.sleep(0.01)
                close_reader()
            closer = threading.Thread(target=close_when_full)
            closer.start()
            try:
                first = writer.write(b'x' * (1 << 20))
            finally:
                closer.join()
            try:
                writer.write(b'x')
            except BrokenPipeError as e:
                return first, e.errno
            return first, None

        r, w = os.pipe()
        fileio = io.FileIO(w, 'w')
        self.addCleanup(fileio.close)
        expected = write_until_reader_closes(fileio, r, lambda: os.close(r))
        reader, writer = self.pair()
        actual = write_until_reader_closes(writer, reader.fileno(), reader.close)
        self.assertEqual(actual, expected)
        self.assertEqual(actual[1], errno.EPIPE)
        self.assertGreater(actual[0], 0)
        self.assertLess(actual[0], 1 << 20)

    def test_would_block_like_fileio(self):
        """Side by side with io.FileIO over a second pipe: None where FileIO
        returns None."""
        reader, writer = self.pair()
        ra, wa = os.pipe()
        fileio_r, fileio_w = io.FileIO(ra, 'r'), io.FileIO(wa, 'w')
        self.addCleanup(fileio_r.close)
        self.addCleanup(fileio_w.close)
        for stream in (reader, writer):
            stream.set_nonblocking(True)
            self.assertTrue(stream.props.nonblocking)
        for fd in (ra, wa):
            os.set_blocking(fd, False)
        self.assertEqual(fcntl.fcntl(writer.fileno(), F_SETPIPE_SZ, 4096), 4096)
        self.assertEqual(fcntl.fcntl(wa, F_SETPIPE_SZ, 4096), 4096)

        self.assertIsNone(fileio_r.read(10))
        self.assertIsNone(reader.read(10))
        self.assertIsNone(fileio_r.readall())
        self.assertIsNone(reader.readall())
        self.assertIsNone(fileio_r.readinto(bytearray(4)))
        self.assertIsNone(reader.readinto(bytearray(4)))

        self.assertEqual(writer.write(b'z' * 10000), fileio_w.write(b'z' * 10000))
        self.assertIsNone(fileio_w.write(b'z'))
        self.assertIsNone(writer.write(b'z'))

        self.assertEqual(reader.readall(), fileio_r.readall())
        # The C methods say WOULD_BLOCK, as a BlockingIOError.
        self.assertIoError(BlockingIOError, E.WOULD_BLOCK, reader.read1, 10)

        reader.set_nonblocking(False)
        self.assertFalse(reader.props.nonblocking)
        writer.write(b'end')
        writer.close()
        self.assertEqual(reader.read(), b'end')

    def test_threads(self):
        reader, writer = self.pair()
        size = 64 * 1024 * 1024
        block = bytes(range(256)) * 4099
        sent = hashlib.sha256()

        def produce():
            left = size
            while left:
                chunk = block[:min(left, len(block))]
                writer.write(chunk)
                sent.update(chunk)
                left -= len(chunk)
            writer.close()

        thread = threading.Thread(target=produce)
        thread.start()
        received = hashlib.sha256()
        total = 0
        while True:
            chunk = reader.read(65536)
            if not chunk:
                break
            received.update(chunk)
            total += len(chunk)
        thread.join()
        self.assertEqual(total, size)
        self.assertEqual(received.hexdigest(), sent.hexdigest())

    def alarm_after(self, seconds, handler, interval=0.0):
        """Installs @handler for SIGALRM and fires it after @seconds."""
        old = signal.signal(signal.SIGALRM, handler)
        self.addCleanup(signal.signal, signal.SIGALRM, old)
        self.addCleanup(signal.setitimer, signal.ITIMER_REAL, 0)
        signal.setitimer(signal.ITIMER_REAL, seconds, interval)

    def assert_handler_ends_call(self, call, *args):
        """A handler that raises ends @call(*args), blocked on a pipe, as
        soon as it runs (PEP 475), with its exception; FileIO does the same
        on a twin pipe."""
        class Alarm(Exception):
            pass

        def handler(signum, frame):
            raise Alarm

        for make in (lambda r, w: (io.FileIO(r, 'rb'), io.FileIO(w, 'wb')),
                     lambda r, w: (Io.PipeStream(r, 'rb'), Io.PipeStream(w, 'wb'))):
            reader, writer = make(*os.pipe())
            self.addCleanup(reader.close)
            self.addCleanup(writer.close)
            fcntl.fcntl(writer.fileno(), F_SETPIPE_SZ, 4096)
            self.alarm_after(0.2, handler)
            start = time.monotonic()
            with self.subTest(stream=type(reader).__name__), self.assertRaises(Alarm):
                call(reader, writer, *args)
            self.assertLess(time.monotonic() - start, 5)
            signal.setitimer(signal.ITIMER_REAL, 0)
            yield reader, writer

    def test_signal_handler_ends_blocked_read(self):
        # Nothing is lost: what the writer sends later is read whole.
        for reader, writer in self.assert_handler_ends_call(lambda r, w: r.read(4)):
            writer.write(b'late')
            self.assertEqual(reader.read(4), b'late')

    def test_signal_handler_ends_blocked_readinto_and_readall(self):
        for reader, writer in self.assert_handler_ends_call(
                lambda r, w: r.readinto(bytearray(4))):
            pass
        for reader, writer in self.assert_handler_ends_call(lambda r, w: r.readall()):
            writer.write(b'rest')
            writer.close()
            self.assertEqual(reader.readall(), b'rest')

    def test_signal_handler_ends_blocked_write(self):
        def fill_then_write(reader, writer):
            writer.write(b'x' * 4096)
            writer.write(b'y')

        for reader, writer in self.assert_handler_ends_call(fill_then_write):
            # The blocked write wrote nothing.
            self.assertEqual(reader.read(8192), b'x' * 4096)

    # Every call that may wait on a pipe, as (name, call, direction): the
    # reading ones on an empty pipe, the writing ones on a full pipe that
    # nobody reads.
    BLOCKING_CALLS = (
        ('read', lambda r, w: r.read(4), 'r'),
        ('read(-1)', lambda r, w: r.read(-1), 'r'),
        ('read1', lambda r, w: r.read1(4), 'r'),
        ('read1(-1)', lambda r, w: r.read1(), 'r'),
        ('readinto', lambda r, w: r.readinto(bytearray(4)), 'r'),
        ('readinto1', lambda r, w: r.readinto1(bytearray(4)), 'r'),
        ('readall', lambda r, w: r.readall(), 'r'),
        ('readline', lambda r, w: r.readline(), 'r'),
        ('readline(10)', lambda r, w: r.readline(10), 'r'),
        ('readlines', lambda r, w: r.readlines(), 'r'),
        ('next', lambda r, w: next(r), 'r'),
        ('for', lambda r, w: [line for line in r], 'r'),
        ('write', lambda r, w: w.write(b'y'), 'w'),
        ('write(1 MiB)', lambda r, w: w.write(b'y' * (1 << 20)), 'w'),
        ('writelines', lambda r, w: w.writelines([b'y\n'] * 3), 'w'),
    )

    PIPE_MAKERS = (
        ('FileIO', lambda r, w: (io.FileIO(r, 'rb'), io.FileIO(w, 'wb'))),
        ('PipeStream', lambda r, w: (Io.PipeStream(r, 'rb'), Io.PipeStream(w, 'wb'))),
        ('FileStream', lambda r, w: (Io.FileStream(r, 'rb'), Io.FileStream(w, 'wb'))),
    )

    def blocked_pipe(self, make, direction):
        """A pipe made by @make: empty, or full when @direction is 'w'."""
        reader, writer = make(*os.pipe())
        self.addCleanup(reader.close)
        self.addCleanup(writer.close)
        if direction == 'w':
            fcntl.fcntl(writer.fileno(), F_SETPIPE_SZ, 4096)
            os.set_blocking(writer.fileno(), False)
            try:
                while True:
                    os.write(writer.fileno(), b'x' * 4096)
            except BlockingIOError:
                pass
            os.set_blocking(writer.fileno(), True)
        return reader, writer

    def test_signal_handler_ends_every_blocked_call(self):
        # Issue 16: read1(), readinto1(), readline(), readlines(),
        # iteration and a write larger than the free space waited in C,
        # where a raising handler only ran once data came (or forever).
        class Alarm(Exception):
            pass

        def handler(signum, frame):
            raise Alarm

        for kind, make in self.PIPE_MAKERS:
            for name, call, direction in self.BLOCKING_CALLS:
                if kind == 'FileIO' and ('read1' in name or 'readinto1' in name):
                    continue  # FileIO has neither
                with self.subTest(stream=kind, call=name):
                    reader, writer = self.blocked_pipe(make, direction)
                    start = time.monotonic()
                    with self.assertRaises(Alarm):
                        # Armed in the block: a loaded machine may run the
                        # handler before the call starts.
                        self.alarm_after(0.05, handler)
                        call(reader, writer)
                    self.assertLess(time.monotonic() - start, 2)
                    signal.setitimer(signal.ITIMER_REAL, 0)

    def test_ctrl_c_ends_every_blocked_call(self):
        # A real SIGINT with Python's own handler: KeyboardInterrupt.
        self.assertIs(signal.getsignal(signal.SIGINT), signal.default_int_handler)
        for kind, make in self.PIPE_MAKERS[1:]:
            for name, call, direction in self.BLOCKING_CALLS:
                with self.subTest(stream=kind, call=name):
                    reader, writer = self.blocked_pipe(make, direction)
                    timer = threading.Timer(0.05, os.kill, (os.getpid(), signal.SIGINT))
                    self.addCleanup(timer.cancel)
                    start = time.monotonic()
                    with self.assertRaises(KeyboardInterrupt):
                        timer.start()
                        call(reader, writer)
                    self.assertLess(time.monotonic() - start, 2)
                    timer.join()

    def test_interrupted_big_write_returns_short_count(self):
        # A write that moved bytes before the signal returns their count,
        # as FileIO's does, when the handler returns; nothing is lost.
        calls = []
        for kind, make in self.PIPE_MAKERS:
            with self.subTest(stream=kind):
                reader, writer = make(*os.pipe())
                self.addCleanup(reader.close)
                self.addCleanup(writer.close)
                fcntl.fcntl(writer.fileno(), F_SETPIPE_SZ, 65536)
                # Repeated: the first one may come before the write waits.
                self.alarm_after(0.05, lambda signum, frame: calls.append(signum), 0.05)
                start = time.monotonic()
                written = writer.write(b'y' * (1 << 20))
                signal.setitimer(signal.ITIMER_REAL, 0)
                self.assertLess(time.monotonic() - start, 2)
                self.assertEqual(written, 65536)
                self.assertEqual(set(calls), {signal.SIGALRM})
                calls.clear()
                self.assertEqual(reader.read(1 << 20), b'y' * 65536)

    def test_signal_handler_that_returns_lets_writelines_go_on(self):
        # writelines() writes everything even when a signal cuts a write
        # short: a handler that returns lets the call go on (PEP 475).
        for kind, make in self.PIPE_MAKERS[1:]:
            with self.subTest(stream=kind):
                reader, writer = make(*os.pipe())
                self.addCleanup(reader.close)
                calls = []
                self.alarm_after(0.05, lambda signum, frame: calls.append(signum), 0.05)
                received = []

                def drain():
                    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
                    time.sleep(0.3)
                    received.append(reader.readall())

                thread = threading.Thread(target=drain)
                thread.start()
                lines = [bytes([65 + i]) * (1 << 20) for i in range(3)]
                writer.writelines(lines)
                signal.setitimer(signal.ITIMER_REAL, 0)
                writer.close()
                thread.join()
                self.assertGreater(len(calls), 1)
                self.assertEqual(received, [b''.join(lines)])

    def test_signal_handler_that_returns_lets_write_go_on(self):
        # PEP 475: a write blocked on a full pipe, which a signal cuts
        # before any byte moved, is made again after a handler that
        # returns, and writes once the reader makes room.
        for kind, make in self.PIPE_MAKERS:
            with self.subTest(stream=kind):
                reader, writer = self.blocked_pipe(make, 'w')
                handled = []
                self.alarm_after(0.02, lambda signum, frame: handled.append(signum), 0.02)
                received = []

                def drain():
                    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
                    time.sleep(0.15)
                    received.append(reader.read(8192))

                thread = threading.Thread(target=drain)
                thread.start()
                self.assertEqual(writer.write(b'y'), 1)
                signal.setitimer(signal.ITIMER_REAL, 0)
                thread.join()
                self.assertGreater(len(handled), 1)
                self.assertEqual(received, [b'x' * len(received[0])])
                writer.close()
                self.assertEqual(reader.readall()[-1:], b'y')

    def test_wrong_direction_fails_at_once_in_the_main_thread(self):
        # Nothing waits for a direction the mode does not allow: the call
        # raises FileIO's error at once.
        for kind, make in self.PIPE_MAKERS:
            with self.subTest(stream=kind):
                reader, writer = self.blocked_pipe(make, 'r')
                for call in (lambda: writer.read(4), lambda: writer.readinto(bytearray(4))):
                    with self.assertRaisesRegex(io.UnsupportedOperation,
                                                '^File not open for reading$'):
                        call()
                with self.assertRaisesRegex(io.UnsupportedOperation,
                                            '^File not open for writing$'):
                    reader.write(b'x')

    def test_calls_after_close_in_the_main_thread(self):
        # The main thread's waits know the descriptor was closed.
        for kind, make in self.PIPE_MAKERS:
            reader, writer = make(*os.pipe())
            writer.write(b'x\n')
            reader.readline()
            reader.close()
            writer.close()
            for name, call, direction in self.BLOCKING_CALLS:
                if kind == 'FileIO' and ('read1' in name or 'readinto1' in name):
                    continue
                with self.subTest(stream=kind, call=name):
                    with self.assertRaisesRegex(ValueError, '^I/O operation on closed file'):
                        call(reader, writer)

    def test_signal_handler_that_returns_lets_every_read_go_on(self):
        # PEP 475: the calls that now wait in Python retry after a handler
        # that returns, and get the data that comes later.
        calls = (('read', lambda r: r.read(100), b'line\n'),
                 ('readinto', lambda r: (lambda b: bytes(b[:r.readinto(b)]))(bytearray(100)),
                  b'line\n'),
                 ('read1', lambda r: r.read1(100), b'line\n'),
                 ('readinto1', lambda r: (lambda b: bytes(b[:r.readinto1(b)]))(bytearray(100)),
                  b'line\n'),
                 ('readline', lambda r: r.readline(), b'line\n'),
                 ('next', next, b'line\n'),
                 ('readlines', lambda r: r.readlines(1), [b'line\n']))
        for kind, make in self.PIPE_MAKERS[1:]:
            for name, call, expected in calls:
                with self.subTest(stream=kind, call=name):
                    reader, writer = make(*os.pipe())
                    self.addCleanup(reader.close)
                    self.addCleanup(writer.close)
                    handled = []
                    self.alarm_after(0.02, lambda signum, frame: handled.append(signum), 0.02)

                    def late():
                        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
                        time.sleep(0.15)
                        writer.write(b'line\n')

                    thread = threading.Thread(target=late)
                    thread.start()
                    self.assertEqual(call(reader), expected)
                    signal.setitimer(signal.ITIMER_REAL, 0)
                    thread.join()
                    self.assertGreater(len(handled), 1)

    def test_readline_waits_in_python_without_taking_more(self):
        # The main thread's readline() reads no byte past the newline, and
        # a line that comes in pieces comes whole.
        for kind, make in self.PIPE_MAKERS[1:]:
            with self.subTest(stream=kind):
                reader, writer = make(*os.pipe())
                self.addCleanup(reader.close)
                self.addCleanup(writer.close)

                def late():
                    for piece in (b'one ', b'line', b'\ntwo\nthr', b'ee'):
                        time.sleep(0.02)
                        writer.write(piece)
                    writer.close()

                thread = threading.Thread(target=late)
                thread.start()
                self.assertEqual(reader.readline(), b'one line\n')
                self.assertEqual(os.read(reader.fileno(), 4), b'two\n')
                self.assertEqual(reader.readline(3), b'thr')
                self.assertEqual(list(reader), [b'ee'])
                thread.join()

    def test_signal_handler_that_returns_lets_read_go_on(self):
        reader, writer = self.pair()
        calls = []
        self.alarm_after(0.05, lambda signum, frame: calls.append(signum), 0.05)

        def late():
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            time.sleep(0.5)
            writer.write(b'data')

        thread = threading.Thread(target=late)
        thread.start()
        self.assertEqual(reader.read(4), b'data')
        thread.join()
        self.assertGreater(len(calls), 1)

    def test_wrap_fd(self):
        r, w = os.pipe()
        stream = Io.PipeStream.new_for_fd(r, None, False)
        self.assertEqual(stream.mode, 'rb')
        self.assertFalse(stream.closefd)
        stream.close()
        os.fstat(r)
        stream = Io.PipeStream.new_for_fd(w, 'w', True)
        stream.close()
        self.assertRaises(OSError, os.fstat, w)
        self.assertIoError(ValueError, E.INVALID_ARGUMENT, Io.PipeStream.new_for_fd, r, 'rt', True,
                           message='invalid mode: rt')
        with self.assertRaisesRegex(ValueError, '^embedded null character$'):
            Io.PipeStream(r, 'r\0')
        os.fstat(r)
        os.close(r)
        exc = self.assertIoError(OSError, E.FAILED, Io.PipeStream.new_for_fd, r, 'r', True)
        self.assertEqual(exc.errno, errno.EBADF)

    def test_constructor(self):
        r, w = os.pipe()
        reader = Io.PipeStream(r)
        writer = Io.PipeStream(w, 'wb', closefd=False)
        self.assertIsInstance(reader, Io.PipeStream)
        self.assertEqual((reader.mode, writer.mode), ('rb', 'wb'))
        self.assertEqual((reader.name, reader.fileno()), (r, r))
        writer.write(b'abc')
        writer.close()
        os.fstat(w)
        os.close(w)
        self.assertEqual(reader.read(), b'abc')
        reader.close()
        self.assertRaises(OSError, os.fstat, r)
        exc = self.assertIoError(OSError, E.FAILED, Io.PipeStream, r)
        self.assertEqual(exc.errno, errno.EBADF)
        self.assertIoError(ValueError, E.INVALID_ARGUMENT, Io.PipeStream, -1)

    def test_std_streams(self):
        for fd, make, mode in ((0, Io.PipeStream.new_stdin, 'rb'),
                               (1, Io.PipeStream.new_stdout, 'wb'),
                               (2, Io.PipeStream.new_stderr, 'wb')):
            stream = make()
            self.assertEqual(stream.fileno(), fd)
            self.assertEqual(stream.mode, mode)
            self.assertFalse(stream.closefd)
            stream.close()
            os.fstat(fd)

    def test_spawn_cat(self):
        child_in, child_out, child_err, pid = Io.PipeStream.spawn(
            ['cat'], None, Io.SpawnStderr.PIPE)
        self.addCleanup(child_out.close)
        self.addCleanup(child_err.close)
        data = os.urandom(1 << 20)

        def feed():
            child_in.write(data)
            child_in.close()

        thread = threading.Thread(target=feed)
        thread.start()
        echoed = child_out.readall()
        thread.join()
        self.assertEqual(echoed, data)
        self.assertEqual(child_err.readall(), b'')
        self.assertEqual(os.waitpid(pid, 0), (pid, 0))

    def assert_spawn_raises(self, exc_class, code, argv, cwd, filename):
        with self.assertRaises(exc_class) as caught:
            Io.PipeStream.spawn(argv, cwd, Io.SpawnStderr.PIPE)
        error = caught.exception
        self.assertEqual(error.errno, code)
        self.assertEqual(error.strerror, os.strerror(code))
        self.assertEqual(error.filename, filename)
        self.assertIsInstance(error, GLib.Error)
        # What subprocess raises for the same child.
        with self.assertRaises(exc_class) as expected:
            subprocess.Popen(argv, cwd=cwd)
        self.assertEqual(str(error), str(expected.exception))

    def test_spawn_error(self):
        self.assert_spawn_raises(FileNotFoundError, errno.ENOENT, ['/nonexistent/program'],
                                 None, '/nonexistent/program')
        self.assert_spawn_raises(FileNotFoundError, errno.ENOENT, ['libstream-no-such-program'],
                                 None, 'libstream-no-such-program')
        self.assert_spawn_raises(PermissionError, errno.EACCES, ['/etc/passwd'],
                                 None, '/etc/passwd')
        self.assert_spawn_raises(FileNotFoundError, errno.ENOENT, ['true'],
                                 '/nonexistent/directory', '/nonexistent/directory')
        self.assert_spawn_raises(NotADirectoryError, errno.ENOTDIR, ['true'],
                                 '/etc/passwd', '/etc/passwd')

    def test_spawn_wait(self):
        child_in, child_out, child_err, pid = Io.PipeStream.spawn(
            ['sh', '-c', 'cat; exit 4'], os.path.dirname(__file__))
        self.addCleanup(child_out.close)
        self.assertIsNone(child_err)
        self.assertIsNone(child_out.returncode)
        child_in.write(b'data')
        child_in.close()
        self.assertEqual(child_out.read(), b'data')
        self.assertEqual(child_out.wait(), 4)
        self.assertEqual(child_out.returncode, 4)
        # Reaped once for both streams; the pid is gone.
        self.assertEqual(child_in.returncode, 4)
        self.assertEqual(child_in.wait(), 4)
        with self.assertRaises(ChildProcessError):
            os.waitpid(pid, 0)

    def test_spawn_wait_signal(self):
        child_in, child_out, _, _ = Io.PipeStream.spawn(['sh', '-c', 'kill -KILL $$'])
        self.addCleanup(child_in.close)
        self.addCleanup(child_out.close)
        self.assertEqual(child_out.wait(), -signal.SIGKILL)

    def test_wait_without_child(self):
        reader, writer = Io.PipeStream.new_pair()
        self.addCleanup(reader.close)
        self.addCleanup(writer.close)
        with self.assertRaises(io.UnsupportedOperation):
            reader.wait()
        self.assertIsNone(reader.returncode)

    def test_spawn_stderr_modes(self):
        script = ['sh', '-c', 'echo out; echo err >&2']
        _, out, err, _ = Io.PipeStream.spawn(script, None, Io.SpawnStderr.STDOUT)
        self.assertIsNone(err)
        self.assertEqual(out.readall(), b'out\nerr\n')
        self.assertEqual(out.wait(), 0)
        out.close()
        _, out, err, _ = Io.PipeStream.spawn(script, stderr=Io.SpawnStderr.PIPE)
        self.assertEqual(out.readall(), b'out\n')
        self.assertEqual(err.readall(), b'err\n')
        self.assertEqual(err.wait(), 0)
        out.close()
        err.close()
        _, out, err, _ = Io.PipeStream.spawn(script, stderr=Io.SpawnStderr.DEVNULL)
        self.assertIsNone(err)
        self.assertEqual(out.readall(), b'out\n')
        self.assertEqual(out.wait(), 0)
        out.close()

if __name__ == '__main__':
    main()
