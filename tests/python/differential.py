# differential.py: the same random operations on io.BytesIO and Io.MemoryStream
#
# SPDX-License-Identifier: LGPL-2.1-or-later

"""Differential testing against io.BytesIO: each random operation runs on
both objects, and results, exception types and messages must agree."""

import array
import io
import random

from iotest import GLib, Io

INITIAL_VALUES = [b'', b'hello\nworld\n', b'a\nbb\n\nccc', bytes(range(256))]


def _readinto(method, size):
    def op(stream):
        buffer = bytearray(b'#' * size)
        n = getattr(stream, method)(buffer)
        return n, bytes(buffer)
    return op


def _random_data(rng):
    data = bytes(rng.randrange(256) if rng.random() < 0.3 else rng.choice(b'ab\n')
                 for _ in range(rng.choice([0, 1, 2, 5, 9, 30])))
    kind = rng.randrange(5)
    if kind == 1:
        return bytearray(data)
    if kind == 2:
        return memoryview(data)
    if kind == 3:
        return array.array('b', data)
    return data


class Differential:
    """Random operation sequences run on io.BytesIO and Io.MemoryStream."""

    def __init__(self, rng, iterate=False):
        self.rng = rng
        self.views = ([], [])
        # With @iterate, half the operations take a line from an iterator
        # kept across the other operations, as in `for line in stream:`.
        self.iterate = iterate
        self.iterators = [None, None]

    def random_op(self):
        rng = self.rng
        size = rng.choice([-5, -1, None, 0, 1, 2, 3, 7, 50, 1.5, 'x'])
        pos = rng.choice([0, 1, 3, 10, 40, -1, -3, 2 ** 20])
        choices = [
            ('read(%r)' % (size,), lambda s: s.read(size)),
            ('read()', lambda s: s.read()),
            ('read1(%r)' % (size,), lambda s: s.read1(size)),
            ('readline(%r)' % (size,), lambda s: s.readline(size)),
            ('readline()', lambda s: s.readline()),
            ('readlines(%r)' % (size,), lambda s: s.readlines(size)),
            ('next()', next),
            ('readinto(%r)' % pos, _readinto('readinto', abs(pos) % 9)),
            ('readinto1(%r)' % pos, _readinto('readinto1', abs(pos) % 9)),
            ('seek(%r)' % pos, lambda s: s.seek(pos)),
            ('seek(%r, 1)' % pos, lambda s: s.seek(pos, 1)),
            ('seek(%r, 2)' % pos, lambda s: s.seek(pos, 2)),
            ('seek(0, 3)', lambda s: s.seek(0, 3)),
            ('seek(%r)' % (size,), lambda s: s.seek(size)),
            ('tell()', lambda s: s.tell()),
            ('truncate(%r)' % (size,), lambda s: s.truncate(size)),
            ('truncate()', lambda s: s.truncate()),
            ('getvalue()', lambda s: s.getvalue()),
            ('flush()', lambda s: s.flush()),
            ('isatty()', lambda s: s.isatty()),
            ('readable()', lambda s: s.readable()),
            ('writable()', lambda s: s.writable()),
            ('seekable()', lambda s: s.seekable()),
            ('closed', lambda s: s.closed),
            ('write(str)', lambda s: s.write('text')),
            ('readinto(bytes)', lambda s: s.readinto(b'abc')),
            ('writelines([..., str])', lambda s: s.writelines([b'ok', 'text'])),
            ('fileno()', lambda s: s.fileno()),
            ('detach()', lambda s: s.detach()),
        ]
        name, op = rng.choice(choices)
        if self.iterate and rng.random() < 0.5:
            name, op = 'next(iterator)', self.next_line
        elif rng.random() < 0.25:
            data = _random_data(rng)
            name, op = 'write(%r)' % (bytes(data),), lambda s: s.write(data)
        elif rng.random() < 0.05:
            lines = [bytes(_random_data(rng)) for _ in range(3)]
            name, op = 'writelines(%r)' % lines, lambda s: s.writelines(lines)
        elif rng.random() < 0.04:
            name, op = 'getbuffer()', self.getbuffer
        elif rng.random() < 0.05:
            name, op = 'release()', self.release
        elif rng.random() < 0.02:
            name, op = 'close()', lambda s: s.close()
        return name, op

    def next_line(self, stream):
        which = isinstance(stream, Io.Stream)
        if self.iterators[which] is None:
            self.iterators[which] = iter(stream)
        try:
            return next(self.iterators[which])
        except StopIteration:
            self.iterators[which] = None
            raise

    def getbuffer(self, stream):
        view = stream.getbuffer()
        self.views[isinstance(stream, Io.Stream)].append(view)
        if len(view):
            view[0] = ord('V')
        return bytes(view)

    def release(self, stream):
        views = self.views[isinstance(stream, Io.Stream)]
        if views:
            views.pop(0).release()
        return len(views)


def outcome(op, stream):
    try:
        result = op(stream)
    except Exception as exc:  # the exception is the outcome being compared
        return 'raise', exc
    if isinstance(result, (bytearray, memoryview)):
        result = bytes(result)
    return 'ok', result


class DifferentialMixin:
    """Runs the sequences and compares every outcome (for an IoTestCase)."""

    def check_same(self, name, ours, theirs, history):
        where = 'after %s' % ' ; '.join(history)
        self.assertEqual(ours[0], theirs[0], '%s: %r vs BytesIO %r (%s)'
                         % (name, ours[1], theirs[1], where))
        if theirs[0] == 'ok':
            self.assertEqual(ours[1], theirs[1], '%s (%s)' % (name, where))
            self.assertIs(type(ours[1]), type(theirs[1]), name)
            return
        ours_exc, their_exc = ours[1], theirs[1]
        self.assertIsInstance(ours_exc, type(their_exc), '%s (%s)' % (name, where))
        if not isinstance(their_exc, StopIteration):
            self.assertIsInstance(ours_exc, GLib.Error, name)
        self.assertEqual(str(ours_exc), str(their_exc), '%s (%s)' % (name, where))

    def run_sequence(self, seed, initial, iterate=False):
        rng = random.Random(seed)
        diff = Differential(rng, iterate)
        theirs = io.BytesIO(initial)
        ours = Io.MemoryStream(initial)
        history = []
        for _ in range(60):
            name, op = diff.random_op()
            history.append(name)
            self.check_same(name, outcome(op, ours), outcome(op, theirs), history)
        for stream in (theirs, ours):
            for view in diff.views[stream is ours]:
                view.release()
        self.check_same('getvalue()', outcome(lambda s: s.getvalue(), ours),
                        outcome(lambda s: s.getvalue(), theirs), history)
