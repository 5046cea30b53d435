# test_buffered.py: Io.BufferedReader/Writer/Random/RWPair and Io.open()
# from Python, each contract point run on io's class over the same raw and
# compared; a Hypothesis state machine drives Io.open() against open()
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import errno
import gc
import io
from builtins import open as builtins_open
import os
import shutil
import sys
import tempfile
import warnings

from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import (RuleBasedStateMachine, initialize, invariant, precondition,
                                 rule)

from iotest import Gio, Io, IoTestCase, PyBuffer, main

# No example database left in the tree: each run starts from the seeds.
settings.register_profile('libstream', database=None)
settings.load_profile('libstream')

CLASSES = [
    (io.BufferedReader, Io.BufferedReader),
    (io.BufferedWriter, Io.BufferedWriter),
    (io.BufferedRandom, Io.BufferedRandom),
]
DEFAULT_SIZE = io.DEFAULT_BUFFER_SIZE


def std_class(exc):
    """The class io would raise for @exc: the first class of its MRO that
    is Python's own (Io's classes add GLib.Error to it)."""
    for cls in type(exc).__mro__:
        if cls.__module__ in ('builtins', 'io', '_io'):
            return cls
    return type(exc)


def outcome(func, *args):
    """('ok', result) or ('exc', io's class, message) for @func(*args)."""
    try:
        return ('ok', func(*args))
    except Exception as exc:
        return ('exc', std_class(exc), str(exc))


class Raw(io.RawIOBase):
    """A raw file over a bytearray that logs its calls, reads at most
    @chunk bytes per call, and may raise @exc from the methods in @fail."""

    def __init__(self, data=b'', chunk=None, caps='rws', blocked=False):
        super().__init__()
        self.data = bytearray(data)
        self.pos = 0
        self.chunk = chunk
        self.caps = caps
        self.calls = []
        self.fail = {}
        self.blocked = {'readinto', 'write'} if blocked else set()

    def _maybe_fail(self, name):
        # As FileIO: a closed raw refuses everything.
        if self.closed:
            raise ValueError('I/O operation on closed file')
        self.calls.append(name)
        exc = self.fail.get(name)
        if isinstance(exc, list):
            exc = exc.pop(0) if exc else None
        if exc is not None:
            raise exc

    def readable(self):
        self._checkClosed()
        return 'r' in self.caps

    def writable(self):
        self._checkClosed()
        return 'w' in self.caps

    def seekable(self):
        self._checkClosed()
        return 's' in self.caps

    def readinto(self, buffer):
        self._maybe_fail('readinto')
        if 'readinto' in self.blocked:
            return None
        n = min(len(buffer), len(self.data) - self.pos, self.chunk or len(buffer))
        n = max(n, 0)
        buffer[:n] = self.data[self.pos:self.pos + n]
        self.pos += n
        return n

    def write(self, b):
        self._maybe_fail('write')
        if 'write' in self.blocked:
            return None
        b = bytes(b)
        if self.chunk is not None:
            b = b[:self.chunk]
        end = self.pos + len(b)
        if self.pos > len(self.data):
            self.data.extend(bytes(self.pos - len(self.data)))
        self.data[self.pos:end] = b
        self.pos = end
        return len(b)

    def seek(self, pos, whence=0):
        self._maybe_fail('seek')
        self.pos = max(0, [pos, self.pos + pos, len(self.data) + pos][whence])
        return self.pos

    def tell(self):
        self._maybe_fail('tell')
        return self.pos

    def truncate(self, size=None):
        self._maybe_fail('truncate')
        size = self.pos if size is None else size
        del self.data[size:]
        return size

    def close(self):
        if not self.closed:
            self._maybe_fail('close')
        super().close()


class Boom(Exception):
    """A raw's own exception, which must reach the caller as itself."""


def both(data=b'', chunk=None, caps='rws', **kwargs):
    """Two equal raws, one for io and one for Io."""
    return Raw(data, chunk, caps, **kwargs), Raw(data, chunk, caps, **kwargs)


class Construction(IoTestCase):
    def test_signatures_and_default_size(self):
        for std, ours in CLASSES:
            layer = ours(Raw())
            self.assertEqual(layer.props.buffer_size, DEFAULT_SIZE)
            self.assertEqual(ours(Raw(), 100).props.buffer_size, 100)
            self.assertEqual(ours(raw=Raw(), buffer_size=7).props.buffer_size, 7)
            self.assertIsInstance(layer, io.BufferedIOBase)
            layer.close()
        pair = Io.BufferedRWPair(Raw(), Raw(), buffer_size=5)
        self.assertEqual(pair.props.buffer_size, 5)
        self.assertIsInstance(pair, io.BufferedIOBase)
        self.assertEqual(Io.BufferedRWPair(Raw(), Raw()).props.buffer_size, DEFAULT_SIZE)

    def test_bad_buffer_size_as_io(self):
        for std, ours in CLASSES:
            for size in (0, -1):
                self.assertEqual(outcome(ours, Raw(), size), outcome(std, Raw(), size))
            self.assertEqual(outcome(ours, Raw(), 'x')[1], outcome(std, Raw(), 'x')[1])
        self.assertEqual(outcome(Io.BufferedRWPair, Raw(), Raw(), 0),
                         outcome(io.BufferedRWPair, Raw(), Raw(), 0))

    def test_raw_capabilities_checked_as_io(self):
        for caps in ('', 'r', 'w', 's', 'rw', 'rs', 'ws'):
            for std, ours in CLASSES:
                expected = outcome(std, Raw(caps=caps))
                got = outcome(ours, Raw(caps=caps))
                if expected[0] == 'exc':
                    self.assertEqual(got, expected, (std, caps))
                else:
                    self.assertEqual(got[0], 'ok', (std, caps))
            for reader, writer in (('', 'w'), ('r', ''), ('r', 'w')):
                expected = outcome(io.BufferedRWPair, Raw(caps=reader), Raw(caps=writer))
                got = outcome(Io.BufferedRWPair, Raw(caps=reader), Raw(caps=writer))
                self.assertEqual(got[0], expected[0])
                if got[0] == 'exc':
                    self.assertEqual(got, expected)

    def test_raw_check_exception_passes_through(self):
        raw = Raw()
        raw.readable = lambda: (_ for _ in ()).throw(Boom('readable'))
        with self.assertRaises(Boom):
            Io.BufferedReader(raw)


class RawAndDetach(IoTestCase):
    def test_raw_is_the_object_passed(self):
        for std, ours in CLASSES:
            for raw in (Raw(b'abc'), io.BytesIO(b'abc'), Io.MemoryStream(b'abc')):
                layer = ours(raw)
                self.assertIs(layer.raw, raw)
                self.assertIs(layer.detach(), raw)
                self.assertFalse(raw.closed)
                self.assertEqual(raw.read(), b'abc')

    def test_file_raw(self):
        fd, path = tempfile.mkstemp()
        os.close(fd)
        self.addCleanup(os.unlink, path)
        raw = io.FileIO(path, 'r+')
        layer = Io.BufferedRandom(raw, 16)
        layer.write(b'over a FileIO')
        layer.seek(0)
        self.assertEqual(layer.read(4), b'over')
        self.assertEqual(layer.tell(), 4)
        self.assertIs(layer.raw, raw)
        self.assertEqual(layer.fileno(), raw.fileno())
        layer.close()
        self.assertTrue(raw.closed)
        with open(path, 'rb') as f:
            self.assertEqual(f.read(), b'over a FileIO')

    def test_detached_as_io(self):
        for std, ours in CLASSES:
            layers = [std(Raw(b'abc')), ours(Raw(b'abc'))]
            for layer in layers:
                layer.write(b'x') if layer.writable() else layer.read(1)
                raw = layer.detach()
                self.assertFalse(raw.closed)
            for op in (lambda s: s.read(1), lambda s: s.tell(), lambda s: s.flush(),
                       lambda s: s.detach(), lambda s: s.raw, lambda s: s.close(),
                       lambda s: s.closed, lambda s: s.write(b''), lambda s: s.readline(),
                       lambda s: s.seek(0), lambda s: s.truncate(), lambda s: s.readable(),
                       lambda s: s.writable(), lambda s: s.fileno()):
                self.assertEqual(outcome(op, layers[1]), outcome(op, layers[0]), std)
            self.assertEqual(hasattr(layers[1], 'peek'), hasattr(layers[0], 'peek'))

    def test_detach_flushes(self):
        for std, ours in CLASSES[1:]:
            raws = both()
            for cls, raw in zip((std, ours), raws):
                layer = cls(raw)
                layer.write(b'pending')
                self.assertIs(layer.detach(), raw)
            self.assertEqual(raws[1].data, raws[0].data)
            self.assertEqual(bytes(raws[1].data), b'pending')

    def test_pair_has_no_raw_and_refuses_detach(self):
        for cls in (io.BufferedRWPair, Io.BufferedRWPair):
            pair = cls(Raw(b'in'), Raw())
            self.assertFalse(hasattr(pair, 'raw'))
            self.assertEqual(outcome(pair.detach)[:2], ('exc', io.UnsupportedOperation))

    def test_pair_reads_one_raw_and_writes_the_other(self):
        results = []
        for cls in (io.BufferedRWPair, Io.BufferedRWPair):
            reader, writer = Raw(b'from the reader'), Raw()
            pair = cls(reader, writer, 4)
            results.append((pair.read(4), pair.write(b'to the writer'), bytes(writer.data),
                            pair.peek(1)[:1], pair.read(), pair.flush(), bytes(writer.data)))
            pair.close()
            self.assertTrue(reader.closed and writer.closed)
        self.assertEqual(results[1], results[0])


class Contract(IoTestCase):
    """Each point run on io's class and ours over equal raws."""

    def run_both(self, cls_index, script, data=b'', chunk=None, size=8, prepare=None):
        std, ours = CLASSES[cls_index]
        results = []
        raws = both(data, chunk)
        for cls, raw in zip((std, ours), raws):
            # Kept alive with its raw: a layer collected early closes and
            # flushes, and the raw's calls would count those too.
            layer = raw.layer = cls(raw, size)
            # io asks the raw's position as it starts: not part of the ops.
            raw.calls.clear()
            if prepare is not None:
                prepare(raw)
            results.append([outcome(step, layer) for step in script])
            results[-1].append(bytes(raw.data))
        self.assertEqual(results[1], results[0])
        return raws

    def test_read_loops_until_n_or_eof(self):
        self.run_both(0, [lambda s: s.read(20), lambda s: s.read(20), lambda s: s.read()],
                      data=bytes(range(30)), chunk=3)

    def test_read1_one_raw_read_buffer_first(self):
        raws = self.run_both(0, [lambda s: s.read(2), lambda s: s.read1(50),
                                 lambda s: s.read1(50), lambda s: s.read1(2)],
                             data=bytes(range(40)), chunk=5)
        self.assertEqual(raws[1].calls.count('readinto'), raws[0].calls.count('readinto'))

    def test_peek_no_raw_read_when_buffered(self):
        for cls, raw in zip(CLASSES[0], both(b'abcdefghij')):
            layer = cls(raw, 4)
            layer.read(1)
            calls = len(raw.calls)
            self.assertEqual(layer.peek(1)[:1], b'b')
            self.assertEqual(len(raw.calls), calls)

    def test_big_read_bypasses_the_buffer(self):
        data = bytes(range(256)) * 4
        for cls, raw in zip(CLASSES[0], both(data)):
            layer = cls(raw, 16)
            raw.calls.clear()
            buffer = bytearray(600)
            self.assertEqual(layer.readinto(buffer), 600)
            self.assertEqual(bytes(buffer), data[:600])
            self.assertEqual(raw.calls, ['readinto'])

    def test_tell_and_seek_inside_the_buffer(self):
        raws = self.run_both(0, [lambda s: s.read(3), lambda s: s.tell(), lambda s: s.seek(5),
                                 lambda s: s.read(1), lambda s: s.tell(),
                                 lambda s: s.seek(-2, 1), lambda s: s.read(2)],
                             data=b'0123456789abcdef')
        self.assertEqual(raws[1].calls.count('seek'), raws[0].calls.count('seek'))

    def test_seek_before_start_is_the_raw_s(self):
        self.run_both(2, [lambda s: s.write(b'ab'), lambda s: s.seek(-1),
                          lambda s: s.tell()], data=b'0123')
        self.run_both(0, [lambda s: s.read(1), lambda s: s.seek(-3), lambda s: s.read(1)],
                      data=b'0123')

    def test_writes_copied_then_written_through(self):
        raws = self.run_both(1, [lambda s: s.write(b'abc'), lambda s: bytes(s.raw.data),
                                 lambda s: s.write(b'x' * 20), lambda s: bytes(s.raw.data),
                                 lambda s: s.tell(), lambda s: s.flush()])
        self.assertEqual(raws[1].calls, raws[0].calls)

    def test_random_flushes_before_read_seek_truncate(self):
        self.run_both(2, [lambda s: s.write(b'abc'), lambda s: s.seek(0),
                          lambda s: s.read(2), lambda s: s.write(b'Z'), lambda s: s.read(),
                          lambda s: s.truncate(3), lambda s: s.tell(), lambda s: s.seek(0, 2)],
                      data=b'0123456789')

    def test_short_raw_writes_retried(self):
        self.run_both(1, [lambda s: s.write(b'x' * 30), lambda s: s.flush()], chunk=3)

    def test_close_closes_raw_after_a_failed_flush(self):
        for cls, raw in zip(CLASSES[1], both()):
            layer = cls(raw)
            layer.write(b'abc')
            exc = Boom('flush')
            raw.fail['write'] = exc
            with self.assertRaises(Boom) as caught:
                layer.close()
            self.assertIs(caught.exception, exc)
            self.assertTrue(raw.closed)
            self.assertTrue(layer.closed)

    def test_failed_raw_close_is_tried_again(self):
        def fail_close(raw):
            raw.fail['close'] = [Boom('close')]

        script = [lambda s: s.close(), lambda s: s.closed, lambda s: s.close(),
                  lambda s: s.closed, lambda s: s.raw.calls]
        self.run_both(1, script, prepare=fail_close)

    def test_raw_exceptions_pass_through(self):
        steps = {
            'readinto': (0, lambda s: s.read(1)),
            'write': (1, lambda s: (s.write(b'a'), s.flush())),
            'seek': (2, lambda s: s.seek(1)),
            'tell': (2, lambda s: s.tell()),
            'truncate': (2, lambda s: s.truncate(0)),
            'close': (1, lambda s: s.close()),
        }
        for name, (index, step) in steps.items():
            for cls, raw in zip(CLASSES[index], both(b'data')):
                layer = cls(raw)
                for exc in (Boom(name), KeyboardInterrupt(), OSError(errno.EIO, name)):
                    raw.fail[name] = exc
                    with self.assertRaises(type(exc)) as caught:
                        step(layer)
                    self.assertIs(caught.exception, exc, (cls, name))
                    raw.fail.pop(name)
                    if layer.closed:
                        break

    def test_interrupted_raw_is_retried(self):
        # io retries the reads and writes (PEP 475), not a seek.
        for index, name, step in ((0, 'readinto', lambda s: s.read(3)),
                                  (1, 'write', lambda s: (s.write(b'abc'), s.flush())),
                                  (2, 'seek', lambda s: s.seek(2))):
            def prepare(raw):
                raw.fail[name] = [InterruptedError(errno.EINTR, 'interrupted') for _ in '12']

            raws = self.run_both(index, [step, lambda s: s.tell()], data=b'0123456789',
                                 prepare=prepare)
            for raw in raws:
                self.assertEqual(len(raw.fail[name]), 0 if name != 'seek' else 1)
                self.assertEqual(raw.calls.count(name), 3 if name != 'seek' else 1)

    def test_blocking_write_characters_written(self):
        results = []
        for cls, raw in zip(CLASSES[1], both(chunk=3)):
            layer = cls(raw, 4)
            seen = []
            for chunk in (b'ab', b'cdef', b'ghijk', b'x'):
                if chunk == b'ghijk':
                    raw.blocked.add('write')
                try:
                    seen.append(layer.write(chunk))
                except BlockingIOError as exc:
                    # (io's errno is whatever C's errno was: not compared)
                    seen.append((std_class(exc), exc.strerror, exc.characters_written))
            raw.blocked.clear()
            seen.append(outcome(layer.flush))
            seen.append(bytes(raw.data))
            results.append(seen)
        self.assertEqual(results[1], results[0])
        self.assertIn((BlockingIOError, 'write could not complete without blocking', 0),
                      results[1])

    def test_blocking_read(self):
        def readinto(method):
            return lambda s: getattr(s, method)(bytearray(2))

        def block(raw):
            raw.blocked.add('readinto')

        script = [lambda s: s.read(2), lambda s: s.read1(2), readinto('readinto'),
                  readinto('readinto1'), lambda s: s.read(), lambda s: s.raw.blocked.clear(),
                  lambda s: s.read(2)]
        self.run_both(0, script, data=b'abc', prepare=block)
        self.assertIsNone(Io.BufferedReader(Raw(blocked=True)).read(1))


class PythonBackendRaw(IoTestCase):
    """A raw written in Python as an Io.Stream backend (do_read_chunk...)
    under the C layers, against io's classes over the same kind of raw:
    both see the same file object, results and content agree."""

    def run_both(self, cls_index, script, data=b''):
        results = []
        for cls in CLASSES[cls_index]:
            raw = PyBuffer(data, chunk=3)
            layer = cls(raw, 8)
            self.assertIs(layer.raw, raw)
            results.append([outcome(step, layer) for step in script] + [bytes(raw.data)])
            self.assertIs(layer.detach(), raw)
        self.assertEqual(results[1], results[0])

    def test_reader(self):
        self.run_both(0, [lambda s: s.read(5), lambda s: s.readline(), lambda s: s.tell(),
                          lambda s: s.peek(1)[:1], lambda s: s.seek(2), lambda s: s.read(30),
                          lambda s: s.read()], data=b'first line\nsecond line\nthird')

    def test_writer(self):
        self.run_both(1, [lambda s: s.write(b'abc'), lambda s: bytes(s.raw.data),
                          lambda s: s.write(b'x' * 20), lambda s: s.tell(),
                          lambda s: s.seek(1), lambda s: s.write(b'Z'), lambda s: s.flush(),
                          lambda s: bytes(s.raw.data)])

    def test_random(self):
        self.run_both(2, [lambda s: s.read(3), lambda s: s.write(b'XY'), lambda s: s.tell(),
                          lambda s: s.read(), lambda s: s.seek(0), lambda s: s.read(6),
                          lambda s: s.truncate(), lambda s: s.seek(0, 2)],
                      data=b'0123456789')


class DropErrors(IoTestCase):
    def setUp(self):
        self.seen = []
        hook = sys.unraisablehook
        sys.unraisablehook = self.seen.append
        self.addCleanup(setattr, sys, 'unraisablehook', hook)

    def test_dropped_writer_goes_to_unraisablehook(self):
        raw = Raw()
        exc = OSError(errno.ENOSPC, 'full')
        raw.fail['write'] = exc
        layer = Io.BufferedWriter(raw)
        layer.write(b'lost?')
        del layer
        gc.collect()
        self.assertEqual(len(self.seen), 1)
        self.assertIs(self.seen[0].exc_value, exc)
        self.assertIs(self.seen[0].exc_type, OSError)
        self.assertIsInstance(self.seen[0].object, Io.BufferedWriter)
        self.assertTrue(raw.closed)

    def test_c_drop_handler_goes_to_unraisablehook(self):
        stream = Io.FaultStream(Io.MemoryStream())
        stream.add_fault(Io.FaultOp.CLOSE, Io.FaultKind.FAIL)
        del stream
        gc.collect()
        self.assertEqual(len(self.seen), 1)
        self.assertIsInstance(self.seen[0].exc_value, OSError)
        self.assertEqual(self.seen[0].exc_value.errno, errno.EIO)

    def test_open_file_dropped_with_data_flushes(self):
        directory = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, directory)
        path = os.path.join(directory, 'f')
        f = Io.open(path, 'wb')
        f.write(b'kept')
        del f
        gc.collect()
        with open(path, 'rb') as f:
            self.assertEqual(f.read(), b'kept')
        self.assertEqual(self.seen, [])


class Open(IoTestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir)
        self.path = os.path.join(self.dir, 'file')
        with open(self.path, 'wb') as f:
            f.write(b'line 1\nline 2\n')

    def test_classes_by_mode_and_buffering(self):
        with Io.open(self.path, 'rb') as f:
            self.assertEqual(list(f), [b'line 1\n', b'line 2\n'])
        names = {'rb': 'BufferedReader', 'wb': 'BufferedWriter', 'ab': 'BufferedWriter',
                 'r+b': 'BufferedRandom', 'w+b': 'BufferedRandom', 'a+b': 'BufferedRandom'}
        for mode, name in names.items():
            for buffering in (-1, 0, 100):
                with open(self.path, mode, buffering) as std, \
                        Io.open(self.path, mode, buffering) as ours:
                    self.assertEqual(type(ours).__name__,
                                     'FileStream' if buffering == 0 else name)
                    self.assertEqual(type(std).__name__,
                                     'FileIO' if buffering == 0 else name)
                    self.assertEqual(ours.mode, std.mode)
                    self.assertEqual(ours.name, std.name)
                    if buffering != 0:
                        self.assertEqual(ours.props.buffer_size, 100 if buffering == 100
                                         else os.stat(self.path).st_blksize)

    def test_line_buffering_warns_as_open(self):
        messages = []
        for opener in (open, Io.open):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter('always')
                with opener(self.path, 'rb', 1) as f:
                    self.assertEqual(f.read(), b'line 1\nline 2\n')
            self.assertEqual(len(caught), 1)
            self.assertEqual(caught[0].filename, __file__)
            messages.append((caught[0].category, str(caught[0].message)))
        self.assertEqual(messages[1], messages[0])
        with warnings.catch_warnings(record=True):
            warnings.simplefilter('always')
            with Io.open(self.path, 'rb', 1) as f:
                self.assertEqual(f.props.buffer_size, os.stat(self.path).st_blksize)

    def test_errors_as_open(self):
        missing = os.path.join(self.dir, 'missing')
        cases = [(missing, 'rb'), (self.dir, 'wb'), (self.path, 'xb'), (self.path, 'rq'),
                 (self.path, 'rbt'), (self.path, 'rwb'), (self.path, 'b'), (self.path, 'rrb'),
                 (self.path, 1), (1.5, 'rb'), (self.path, 'rb', 'x'),
                 (self.path, 'rb', -1, 'utf-8'), (self.path, 'rb', -1, None, 'strict'),
                 (self.path, 'rb', -1, None, None, '\n'), (self.path, 'r', 0),
                 (self.path, 'wb', -1, None, None, None, False)]
        for args in cases:
            got, expected = outcome(Io.open, *args), outcome(open, *args)
            if expected[0] == 'ok':
                expected[1].close()
            self.assertEqual(got[0], 'exc', args)
            self.assertEqual(got[1], expected[1], args)
            if got[1] is not TypeError:
                self.assertEqual(got[2], expected[2], args)

    def test_text_modes(self):
        """A text mode gives an Io.TextStream over the buffered layer, and
        reads, writes, positions and errors as open()'s TextIOWrapper."""
        def run(opener, path):
            with builtins_open(path, 'wb') as f:
                f.write(b'caf\xe9;1\r\nna\xefve\rend')
            results = []
            with opener(path, encoding='latin-1') as f:
                # newlines before tell(): CPython's tell() replays the
                # decoder and forgets what it had seen (docs/text.md).
                results += [f.mode, f.line_buffering, isinstance(f, io.TextIOBase),
                            f.readline(), f.newlines, f.tell(), f.read()]
            with opener(path, 'rt', encoding='latin-1', newline='') as f:
                results.append(list(f))
            with opener(path, 'w', encoding='utf-8', newline='\r\n') as f:
                results += [f.write('\u20ac\n'), f.tell()]
            with opener(path, 'a', buffering=1, encoding='utf-8') as f:
                results += [f.line_buffering, f.write('x\n')]
            with opener(path, 'r+', encoding='utf-8') as f:
                results += [f.read(1), f.seek(0, io.SEEK_END), f.write('y')]
            with builtins_open(path, 'rb') as f:
                results.append(f.read())
            for args in (('r', 0), ('rb', -1, 'utf-8'), ('r', -1, 'no-such-codec')):
                try:
                    opener(path, *args)
                except Exception as e:  # noqa: BLE001 -- the comparison is the test
                    results.append((type(e).__mro__[1:3] if type(e).__module__ == 'gi.repository.Io'
                                    else type(e).__mro__[0:2], str(e)))
            try:
                opener(path + '.missing', 'r')
            except FileNotFoundError as e:
                results.append(('FileNotFoundError', e.errno))
            return results

        with warnings.catch_warnings():
            warnings.simplefilter('error')
            got = run(Io.open, self.path)
            expected = run(builtins_open, self.path + '.py')
        self.assertEqual(got[:-4], expected[:-4])
        self.assertEqual([r[1] for r in got[-4:-1]][:2], [r[1] for r in expected[-4:-1]][:2])
        self.assertTrue(issubclass(got[-4][0][0], ValueError))
        self.assertTrue(issubclass(got[-2][0][0], LookupError))
        self.assertEqual(got[-1], expected[-1])
        with Io.open(self.path, encoding='utf-8') as f:
            self.assertIsInstance(f, Io.TextStream)
            self.assertIsInstance(f.buffer, Io.BufferedReader)

    def test_fd_and_opener(self):
        fd = os.open(self.path, os.O_RDONLY)
        with Io.open(fd, 'rb') as f:
            self.assertEqual(f.read(4), b'line')
        self.assertRaises(OSError, os.fstat, fd)
        seen = []

        def opener(path, flags):
            seen.append(flags)
            return os.open(path, flags)

        with Io.open(self.path, 'ab', opener=opener) as f:
            self.assertEqual(f.tell(), 14)
        self.assertEqual(len(seen), 1)


# --- Differential: Hypothesis state machines -------------------------------

SIZES = st.sampled_from([-1, 0, 1, 2, 3, 5, 8, 17, 100, None])
POSITIONS = st.integers(min_value=-20, max_value=60)
DATA = st.binary(max_size=40).map(lambda b: b.replace(b'\x00', b'\n'))


class _Differential(RuleBasedStateMachine):
    """Runs each rule on io's object and on ours: results and exception
    classes must agree. peek() may give fewer bytes (at most n): only the
    prefix both give is compared."""

    def both(self, op, peek=False):
        expected = outcome(op, self.std)
        got = outcome(op, self.ours)
        if peek and expected[0] == got[0] == 'ok':
            n = min(len(expected[1]), len(got[1]))
            assert got[1][:n] == expected[1][:n], (got, expected)
            assert (len(got[1]) == 0) == (len(expected[1]) == 0), (got, expected)
            return
        assert got[:2] == expected[:2], (got, expected)

    @rule(size=SIZES)
    def read(self, size):
        self.both(lambda s: s.read(size))

    @rule(size=SIZES)
    def read1(self, size):
        self.both_read1(size)

    def both_read1(self, size):
        """read1(): ours fills the buffer where io reads n bytes from the
        raw (docs/buffered.md), so the two may give different counts: the
        shorter is completed with read() and the bytes compared."""
        expected = outcome(lambda s: s.read1(size), self.std)
        got = outcome(lambda s: s.read1(size), self.ours)
        if expected[0] == got[0] == 'ok' and expected[1] is not None and got[1] is not None:
            expected, got = expected[1], got[1]
            assert (len(got) == 0) == (len(expected) == 0), (got, expected)
            if len(got) < len(expected):
                got += self.ours.read(len(expected) - len(got))
            elif len(expected) < len(got):
                expected += self.std.read(len(got) - len(expected))
            assert got == expected, (got, expected)
            return
        assert got[:2] == expected[:2], (got, expected)

    @rule(size=st.integers(min_value=0, max_value=30))
    def readinto(self, size):
        def op(s):
            buffer = bytearray(size)
            n = s.readinto(buffer)
            return n, bytes(buffer)
        self.both(op)

    @precondition(lambda self: self.readable)
    @rule(size=st.integers(min_value=0, max_value=30))
    def peek(self, size):
        # (io.BufferedWriter has no peek(); ours is refused.)
        self.both(lambda s: s.peek(size), peek=True)

    @rule(size=SIZES)
    def readline(self, size):
        self.both(lambda s: s.readline(size))

    @rule(pos=POSITIONS, whence=st.sampled_from([0, 1, 2]))
    def seek(self, pos, whence):
        self.both(lambda s: s.seek(pos, whence))

    @rule()
    def tell(self):
        self.both(lambda s: s.tell())

    @invariant()
    def same_state(self):
        if hasattr(self, 'ours'):
            assert self.ours.closed == self.std.closed


class _Writing(_Differential):
    """The rules of a writable stream, beside the reads."""

    @rule(data=DATA)
    def write(self, data):
        self.both(lambda s: s.write(data))

    @rule(size=SIZES)
    def read1(self, size):
        if self.mode_plus:
            # CPython 3.11's BufferedRandom.read1() reads the raw without
            # writing the pending bytes first (stale data, then the bytes
            # land after them); ours writes them (docs/buffered.md).
            self.both(lambda s: s.flush())
        self.both_read1(size)

    @rule()
    def flush(self):
        self.both(lambda s: s.flush())

    @rule(size=st.one_of(st.none(), st.integers(min_value=-1, max_value=50)))
    def truncate(self, size):
        self.both(lambda s: s.truncate(size))

    @rule()
    def capabilities(self):
        self.both(lambda s: (s.readable(), s.writable(), s.seekable()))

    @rule()
    def close(self):
        self.both(lambda s: s.close())


class OpenMachine(_Writing):
    """Io.open(p, mode) against open(p, mode) over two equal files."""

    @initialize(mode=st.sampled_from(['rb', 'wb', 'r+b', 'ab']), data=DATA,
                buffering=st.sampled_from([-1, 2, 4, 16]))
    def open_both(self, mode, data, buffering):
        self.dir = tempfile.mkdtemp()
        self.paths = [os.path.join(self.dir, name) for name in ('std', 'ours')]
        for path in self.paths:
            with open(path, 'wb') as f:
                f.write(data)
        self.std = open(self.paths[0], mode, buffering)
        self.ours = Io.open(self.paths[1], mode, buffering)
        self.readable = self.std.readable()
        self.mode_plus = '+' in mode

    def teardown(self):
        if not hasattr(self, 'std'):
            return
        self.std.close()
        self.ours.close()
        contents = []
        for path in self.paths:
            with open(path, 'rb') as f:
                contents.append(f.read())
        shutil.rmtree(self.dir)
        assert contents[1] == contents[0], contents


class RawWriteMachine(_Writing):
    """Io.BufferedWriter and BufferedRandom over a Python raw that may
    read and write short, against io's over the same kind of raw."""

    @initialize(random=st.booleans(), data=DATA, chunk=st.sampled_from([None, 1, 3]),
                size=st.sampled_from([1, 2, 5, 16]))
    def make(self, random, data, chunk, size):
        self.raws = both(data, chunk)
        std, ours = CLASSES[2 if random else 1]
        self.std = std(self.raws[0], size)
        self.ours = ours(self.raws[1], size)
        self.readable = self.mode_plus = random

    def teardown(self):
        if not hasattr(self, 'std'):
            return
        self.both(lambda s: s.close())
        assert self.raws[1].data == self.raws[0].data, self.raws


class ReaderMachine(_Differential):
    """Io.BufferedReader over a Python raw against io.BufferedReader over
    the same kind of raw (one that may read short)."""

    @initialize(data=st.binary(max_size=200), chunk=st.sampled_from([None, 1, 3, 7]),
                size=st.sampled_from([1, 2, 5, 16, DEFAULT_SIZE]))
    def make(self, data, chunk, size):
        self.std = io.BufferedReader(Raw(data, chunk), size)
        self.ours = Io.BufferedReader(Raw(data, chunk), size)
        self.readable = True


MACHINE_SETTINGS = settings(max_examples=60, stateful_step_count=30, deadline=None,
                            derandomize=True, database=None,
                            suppress_health_check=list(HealthCheck))


class OpenDifferential(OpenMachine.TestCase):
    settings = MACHINE_SETTINGS


class ReaderDifferential(ReaderMachine.TestCase):
    settings = MACHINE_SETTINGS


class RawWriteDifferential(RawWriteMachine.TestCase):
    settings = MACHINE_SETTINGS


if __name__ == '__main__':
    main()
