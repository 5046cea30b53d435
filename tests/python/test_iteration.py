#!/usr/bin/python3
# test_iteration.py: `for line in stream`, a line from C per step, coherent with every other call
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import io
import os
import random
import tempfile

from differential import INITIAL_VALUES, DifferentialMixin
from iotest import Io, IoTestCase, PyBuffer, RawIo, main, single_threaded, text_lines


class Pipe(Io.Stream):
    """A readable, non-seekable stream over fixed data, one short chunk per read."""

    def __init__(self, data, chunk=7):
        super().__init__()
        self.data = data
        self.pos = 0
        self.chunk = chunk

    def do_read_chunk(self, count):
        n = min(count, self.chunk)
        out = self.data[self.pos:self.pos + n]
        self.pos += len(out)
        return out


SAMPLES = [
    b'',
    b'one line without newline',
    b'\n\n\n',
    b'a\nbb\nccc\n',
    b'a\nbb\nccc',
    text_lines(3000),
    b'x' * 10000 + b'\n' + b'y' * 9000 + b'\nz',
    b'\r\n'.join(b'crlf %d' % i for i in range(100)),
]


class IterationDifferential(DifferentialMixin, IoTestCase):
    """Lines taken from a running iterator between random other operations
    agree with io.BytesIO's."""

    def test_random_sequences(self):
        for seed in range(300):
            initial = INITIAL_VALUES[seed % 4] * (1 + seed % 3) * 300
            with self.subTest(seed=seed):
                self.run_sequence(seed, initial, iterate=True)


class Iteration(IoTestCase):
    def test_lines_match_bytesio(self):
        for data in SAMPLES:
            with self.subTest(data=data[:20]):
                self.assertEqual(list(Io.MemoryStream(data)), list(io.BytesIO(data)))
                self.assertEqual(list(PyBuffer(data)), list(io.BytesIO(data)))
                self.assertEqual(list(Pipe(data)), list(io.BytesIO(data)))

    def test_a_backend_that_iterates_another_stream(self):
        """A Python backend whose read loops over other streams in the
        same thread, with lines longer than the outer loop's: each loop
        reads into a line buffer of its own."""
        inner = b''.join(b'%d' % i * (3000 + 500 * i) + b'\n' for i in range(8))
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        path = os.path.join(directory.name, 'inner')
        with open(path, 'wb') as f:
            f.write(inner)

        class Nested(Pipe):
            def do_read_chunk(inner_self, count):
                with Io.FileStream(path, 'r') as f:
                    self.assertEqual(list(f), inner.splitlines(keepends=True))
                return super().do_read_chunk(count)

        data = b'a\nbb\nccc\n' * 4
        self.assertEqual(list(Nested(data)), data.splitlines(keepends=True))
        self.assertEqual(Nested(data).readline(), b'a\n')

    def test_iteration_starts_at_the_position(self):
        s = Io.MemoryStream(b'abc\ndef\nghi\n')
        s.read(5)
        self.assertEqual(list(s), [b'ef\n', b'ghi\n'])
        self.assertEqual(s.tell(), 12)

    def test_tell_during_iteration(self):
        data = text_lines(5000)
        s = Io.MemoryStream(data)
        expected = 0
        for line in s:
            expected += len(line)
            self.assertEqual(s.tell(), expected)
        self.assertEqual(expected, len(data))

    def test_other_calls_during_iteration_see_the_logical_position(self):
        data = text_lines(2000, width=40)
        reference = io.BytesIO(data)
        s = Io.MemoryStream(data)
        rng = random.Random(7)
        iterator = iter(s)
        while True:
            line = next(iterator, None)
            self.assertEqual(line, next(reference, None))
            if line is None:
                break
            choice = rng.randrange(6)
            if choice == 0:
                n = rng.randrange(100)
                self.assertEqual(s.read(n), reference.read(n))
            elif choice == 1:
                self.assertEqual(s.readline(), reference.readline())
            elif choice == 2:
                offset = rng.randrange(-60, 30)
                self.assertEqual(s.seek(offset, 1), reference.seek(offset, 1))
            elif choice == 3:
                buffer, theirs = bytearray(13), bytearray(13)
                self.assertEqual(s.readinto(buffer), reference.readinto(theirs))
                self.assertEqual(buffer, theirs)
            elif choice == 4:
                self.assertEqual(s.write(b'W\n'), reference.write(b'W\n'))
            self.assertEqual(s.tell(), reference.tell())
        self.assertEqual(s.getvalue(), reference.getvalue())

    def test_lines_while_this_thread_holds_the_stream(self):
        # With one thread in the process the accelerator makes each line
        # from the window itself; held, even by this thread (lock()), the
        # stream is left to libstream's call, which lets its holder in.
        # Either way the lines and the position are BytesIO's.
        self.assertIsNot(single_threaded(), False,
                         'a thread was started: these tests miss the path without a call')
        data = text_lines(40, width=30)
        reference = io.BytesIO(data)
        s = Io.MemoryStream(data)
        self.assertEqual(next(s), next(reference))
        s.lock()
        try:
            for _ in range(10):
                self.assertEqual(next(s), next(reference))
                self.assertEqual(s.readline(7), reference.readline(7))
            self.assertEqual(s.write(b'held\n'), reference.write(b'held\n'))
            self.assertEqual(s.tell(), reference.tell())
        finally:
            s.unlock()
        self.assertEqual(list(s), list(reference))
        self.assertEqual(s.tell(), len(data))

    def test_readline_during_iteration(self):
        data = text_lines(3000, width=20)
        for limit in (-1, 5, 0):
            with self.subTest(limit=limit):
                reference = io.BytesIO(data)
                s = Io.MemoryStream(data)
                for line in s:
                    self.assertEqual(line, next(reference))
                    self.assertEqual(s.readline(limit), reference.readline(limit))
                    self.assertEqual(s.tell(), reference.tell())
                self.assertEqual(s.readline(), b'')

    def test_breaking_out_gives_the_position_back_to_c(self):
        data = text_lines(1000)
        s = Io.MemoryStream(data)
        for i, line in enumerate(s):
            if i == 9:
                break
        offset = 10 * 80
        # C, which knows nothing of the batch, sees the position after line 10.
        self.assertEqual(RawIo.Stream.tell(s), offset)
        self.assertEqual(RawIo.Stream.read(s, 5), data[offset:offset + 5])

    def test_introspected_methods_see_the_logical_position(self):
        s = Io.MemoryStream(b'1\n2\n3\n4\n')
        iterator = iter(s)
        self.assertEqual(next(iterator), b'1\n')
        self.assertEqual(Io.Stream.read_bytes(s, 2).get_data(), b'2\n')
        self.assertEqual(next(iterator), b'3\n')

    def test_an_abandoned_iterator_resumes_where_the_stream_is(self):
        s = Io.MemoryStream(b'1\n2\n3\n4\n5\n')
        first = iter(s)
        self.assertEqual(next(first), b'1\n')
        second = iter(s)
        self.assertEqual(next(second), b'2\n')
        self.assertEqual(next(first), b'3\n')
        s.seek(0)
        self.assertEqual(next(second), b'1\n')
        self.assertEqual(s.read(), b'2\n3\n4\n5\n')
        self.assertIsNone(next(first, None))

    def test_next_resumes_after_the_end_like_bytesio(self):
        s = Io.MemoryStream(b'a\n')
        self.assertEqual(next(s), b'a\n')
        with self.assertRaises(StopIteration):
            next(s)
        s.write(b'b\n')
        s.seek(-2, 1)
        self.assertEqual(next(s), b'b\n')

    def test_an_error_does_not_end_the_iterator(self):
        class Flaky(PyBuffer):
            failures = 2

            def do_read_chunk(self, count):
                if self.pos >= 1000 and self.failures:
                    self.failures -= 1
                    raise OSError(5, 'Input/output error')
                return super().do_read_chunk(count)

        data = text_lines(100, width=40)
        stream = Flaky(data, chunk=333)  # the error comes mid-line
        iterator = iter(stream)
        lines, errors = [], 0
        while True:
            try:
                line = next(iterator)
            except OSError as e:
                self.assertEqual(e.errno, 5)
                errors += 1
                continue
            except StopIteration:
                break
            lines.append(line)
        self.assertEqual(errors, 2)
        self.assertEqual(lines, io.BytesIO(data).readlines())

    def test_close_during_iteration(self):
        s = Io.MemoryStream(b'a\nb\nc\n')
        iterator = iter(s)
        self.assertEqual(next(iterator), b'a\n')
        s.close()
        self.assertClosedError(next, iterator)

    def test_iter_of_a_closed_stream_fails_on_next(self):
        s = Io.MemoryStream(b'a\n')
        s.close()
        iterator = iter(s)
        self.assertClosedError(next, iterator)

    def test_a_non_seekable_stream_is_read_one_line_at_a_time(self):
        data = b'first\nsecond\nthird\n'
        p = Pipe(data, chunk=64)
        iterator = iter(p)
        self.assertEqual(next(iterator), b'first\n')
        # Nothing was read ahead of the line: a plain read continues after it.
        self.assertEqual(p.read(3), b'sec')
        self.assertEqual(list(iterator), [b'ond\n', b'third\n'])

    def test_a_seekable_python_stream_gets_its_position_back(self):
        data = text_lines(500)
        source = PyBuffer(data, chunk=1000)
        iterator = iter(source)
        self.assertEqual(next(iterator), data[:80])
        self.assertEqual(source.tell(), 80)
        self.assertEqual(source.read(80), data[80:160])
        self.assertEqual(source.pos, 160)
        self.assertEqual(next(iterator), data[160:240])

    def test_each_line_comes_from_c(self):
        # No read-ahead in Python: after every line, C (and the backend)
        # are right after it.
        data = text_lines(400)
        source = PyBuffer(data, chunk=1 << 20)
        for count, line in enumerate(source, 1):
            self.assertEqual(line, data[80 * (count - 1):80 * count])
            self.assertEqual(RawIo.Stream.tell(source), 80 * count)
            self.assertEqual(source.pos, 80 * count)
        self.assertIs(iter(source), source)

    def test_readlines_and_readline(self):
        data = b'a\nbb\n\nccc'
        s = Io.MemoryStream(data)
        self.assertEqual(s.readline(), b'a\n')
        self.assertEqual(s.readline(1), b'b')
        self.assertEqual(s.readlines(), [b'b\n', b'\n', b'ccc'])
        s.seek(0)
        self.assertEqual(s.readlines(3), [b'a\n', b'bb\n'])
        self.assertEqual(Pipe(data).readlines(), io.BytesIO(data).readlines())


if __name__ == '__main__':
    main()
