#!/usr/bin/python3
# test_memory_stream.py: Io.MemoryStream as a drop-in io.BytesIO
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import array
import copy
import copyreg
import gc
import io
import pickle

from differential import INITIAL_VALUES, DifferentialMixin
from iotest import GLib, Gio, Io, IoTestCase, main

E = Gio.IOErrorEnum


class DifferentialTests(DifferentialMixin, IoTestCase):
    """The same operations give the same results and exceptions."""

    def test_random_sequences(self):
        for seed in range(400):
            with self.subTest(seed=seed):
                self.run_sequence(seed, INITIAL_VALUES[seed % 4])


class CountingStream(Io.MemoryStream):
    """A Python subclass, as people subclass io.BytesIO."""

    def write(self, b):
        self.writes = getattr(self, 'writes', 0) + 1
        return super().write(b)


def _pair_subclasses():
    """The same subclass of BytesIO and of Io.MemoryStream, whose __init__
    takes other arguments (module level, for pickle)."""
    made = []
    for base in (io.BytesIO, Io.MemoryStream):
        class Pair(base):
            inits = 0

            def __init__(self, first, second):
                super().__init__(first + second)
                self.first = first
                type(self).inits += 1

        Pair.__name__ = Pair.__qualname__ = 'Pair' + base.__name__
        globals()[Pair.__name__] = Pair
        made.append(Pair)
    return made


PairBytesIO, PairMemoryStream = _pair_subclasses()


class BytesIOContract(IoTestCase):
    def test_python_subclass(self):
        s = CountingStream(b'abc')
        s.seek(0, 2)
        s.write(b'def')
        self.assertEqual(s.writes, 1)
        self.assertEqual(s.getvalue(), b'abcdef')
        self.assertIsInstance(s, io.BufferedIOBase)
        clone = pickle.loads(pickle.dumps(s))
        self.assertIs(type(clone), CountingStream)
        self.assertEqual((clone.getvalue(), clone.tell(), clone.writes), (b'abcdef', 6, 1))
        with self.assertRaises(TypeError):
            class Vfuncs(Io.MemoryStream):
                def do_read_chunk(self, count):
                    return b''


    def test_constructors(self):
        self.assertEqual(Io.MemoryStream().getvalue(), b'')
        self.assertEqual(Io.MemoryStream(b'abc').read(), b'abc')
        self.assertEqual(Io.MemoryStream(initial_bytes=b'abc').read(), b'abc')
        self.assertEqual(Io.MemoryStream(bytearray(b'xy')).read(), b'xy')
        self.assertEqual(Io.MemoryStream(memoryview(b'xyz')[1:]).read(), b'yz')
        self.assertEqual(Io.MemoryStream(GLib.Bytes.new(b'gb')).read(), b'gb')
        self.assertEqual(Io.MemoryStream(None).getvalue(), b'')
        self.assertIoError(TypeError, E.INVALID_ARGUMENT, Io.MemoryStream, 'text',
                           message="a bytes-like object is required, not 'str'")
        s = Io.MemoryStream(b'abc')
        self.assertEqual(s.tell(), 0)

    def test_init_again_reinitialises(self):
        # As BytesIO.__init__(): new content at 0, whatever the state.
        for args in [(b'xyz',), (), (None,), (bytearray(b'xy'),), (memoryview(b'vwxyz')[1:],),
                     (array.array('b', [1, 2]),), (b'',), ('text',), (5,),
                     (memoryview(b'abcd')[::2],)]:
            with self.subTest(args=args):
                outcomes = []
                for stream in (io.BytesIO(b'abcdef'), Io.MemoryStream(b'abcdef')):
                    stream.seek(4)
                    try:
                        stream.__init__(*args)
                        error = None
                    except Exception as exc:  # noqa: BLE001 -- compared below
                        error = (type(exc).__mro__[0 if type(exc).__module__ == 'builtins'
                                                   else 1], str(exc))
                    outcomes.append((error, stream.getvalue(), stream.tell(), stream.read()))
                    stream.write(b'!')
                    outcomes.append(stream.getvalue())
                self.assertEqual(outcomes[2:], outcomes[:2])
        s = Io.MemoryStream(b'abc')
        self.assertIoError(TypeError, E.INVALID_ARGUMENT, s.__init__, 'text')
        s.__init__(initial_bytes=GLib.Bytes.new(b'gbytes'))
        self.assertEqual((s.read(2), s.getvalue()), (b'gb', b'gbytes'))
        with self.assertRaises(TypeError):
            s.__init__(b'x', closed=True)
        self.assertEqual(s.getvalue(), b'gbytes')

    def test_init_again_while_exported(self):
        s = Io.MemoryStream(b'abc')
        s.seek(1)
        view = s.getbuffer()
        self.assertIoError(BufferError, E.BUSY, s.__init__, b'new',
                           message='Existing exports of data: object cannot be re-sized')
        self.assertIoError(BufferError, E.BUSY, s.__init__, 'text')
        # Unlike BytesIO, which empties itself first, nothing changed.
        self.assertEqual((s.getvalue(), s.tell(), bytes(view)), (b'abc', 1, b'abc'))
        view.release()
        s.__init__(b'new')
        self.assertEqual((s.getvalue(), s.tell()), (b'new', 0))

    def test_init_again_of_a_subclass(self):
        s = CountingStream(b'abc')
        s.write(b'X')
        s.__init__(b'fresh')
        self.assertEqual((s.getvalue(), s.tell(), s.writes), (b'fresh', 0, 1))

    def test_init_again_when_closed(self):
        for stream in (io.BytesIO(b'abc'), Io.MemoryStream(b'abc')):
            stream.close()
            stream.__init__()  # BytesIO does nothing
            self.assertTrue(stream.closed)
            self.assertRaises(ValueError, stream.__init__, bytearray(b'x'))
        s = Io.MemoryStream(b'abc')
        s.close()
        # BytesIO reopens for bytes; a closed Io.Stream stays closed.
        self.assertClosedError(s.__init__, b'x')
        self.assertTrue(s.closed)

    def test_seed_scenario(self):
        s = Io.MemoryStream()
        self.assertEqual(s.write(b'hello'), 5)
        self.assertEqual(s.read(), b'')
        self.assertEqual(s.seek(0), 0)
        self.assertEqual(s.read(), b'hello')
        s.seek(0)
        s.write(b'J')
        s.seek(0, 2)
        s.write(b' world')
        self.assertEqual(s.getvalue(), b'Jello world')
        self.assertEqual(s.read(), b'')

    def test_write_returns_bytes_count(self):
        s = Io.MemoryStream()
        self.assertEqual(s.write(array.array('i', [1, 2])), 2 * array.array('i').itemsize)
        self.assertEqual(s.write(memoryview(b'abcd').cast('B', (2, 2))), 4)
        self.assertIoError(BufferError, E.INVALID_ARGUMENT, s.write, memoryview(b'abcd')[::2],
                           message='memoryview: underlying buffer is not C-contiguous')

    def test_large_bytes_likes_are_written_in_place(self):
        data = bytes(range(256)) * 1024
        cases = [bytearray(data), memoryview(data), memoryview(data)[1000:200000],
                 memoryview(bytearray(data))[5:], array.array('d', range(40000)),
                 memoryview(data).cast('B', (1024, 256))]
        for value in cases:
            with self.subTest(value=type(value).__name__, size=memoryview(value).nbytes):
                ours, theirs = Io.MemoryStream(b'xy'), io.BytesIO(b'xy')
                ours.seek(1)
                theirs.seek(1)
                self.assertEqual(ours.write(value), theirs.write(value))
                self.assertEqual(ours.getvalue(), theirs.getvalue())
        s = Io.MemoryStream()
        view = s.getbuffer()
        self.assertIoError(BufferError, E.BUSY, s.write, bytearray(100000))
        view.release()
        self.assertIoError(ValueError, E.INVALID_ARGUMENT, Io.Stream.write_address, s, 0, 4,
                           message='NULL buffer address')
        self.assertEqual(Io.Stream.write_address(s, 0, 0), 0)

    def test_write_past_end_fills_zeros(self):
        s = Io.MemoryStream(b'ab')
        s.seek(5)
        s.write(b'c')
        self.assertEqual(s.getvalue(), b'ab\0\0\0c')

    def test_truncate_never_extends(self):
        s = Io.MemoryStream(b'abcdef')
        s.seek(4)
        self.assertEqual(s.truncate(10), 10)
        self.assertEqual(s.getvalue(), b'abcdef')
        self.assertEqual(s.truncate(), 4)
        self.assertEqual(s.getvalue(), b'abcd')
        self.assertEqual(s.truncate(2), 2)
        self.assertEqual(s.tell(), 4)

    def test_readinto_is_in_place(self):
        s = Io.MemoryStream(bytes(range(10)))
        buffer = bytearray(4)
        self.assertEqual(s.readinto(buffer), 4)
        self.assertEqual(buffer, bytes(range(4)))
        view = memoryview(buffer)[1:3]
        self.assertEqual(s.readinto(view), 2)
        self.assertEqual(buffer, bytes([0, 4, 5, 3]))
        numbers = array.array('h', [0, 0])
        self.assertEqual(s.readinto1(numbers), 4)
        self.assertEqual(numbers.tobytes(), bytes([6, 7, 8, 9]))
        self.assertEqual(s.readinto(bytearray(3)), 0)
        self.assertEqual(s.readinto(bytearray()), 0)

    def test_big_reads(self):
        data = bytes(range(256)) * 4096 * 3
        s = Io.MemoryStream(data)
        self.assertEqual(s.read(1 << 20), data[:1 << 20])
        self.assertEqual(s.read(1 << 21), data[1 << 20:])
        self.assertEqual(s.read(1 << 20), b'')
        s.seek(len(data) - 10)
        self.assertEqual(s.read(1 << 30), data[-10:])
        s.seek(5)
        self.assertEqual(s.read(), data[5:])

    def test_getvalue_is_bytes_whatever_the_position(self):
        s = Io.MemoryStream(b'abc')
        s.seek(2)
        value = s.getvalue()
        self.assertIs(type(value), bytes)
        self.assertEqual(value, b'abc')
        self.assertEqual(s.tell(), 2)
        s.write(b'Z')
        self.assertEqual(value, b'abc')
        self.assertEqual(s.getvalue(), b'abZ')

    def test_getbuffer_is_a_live_writable_view(self):
        s = Io.MemoryStream(b'abcdef')
        view = s.getbuffer()
        self.assertEqual(view.format, 'B')
        self.assertFalse(view.readonly)
        self.assertEqual(bytes(view), b'abcdef')
        view[0] = ord('X')
        self.assertEqual(s.getvalue(), b'Xbcdef')
        self.assertEqual(s.read(2), b'Xb')
        s.seek(0)
        self.assertIoError(BufferError, E.BUSY, s.write, b'y')
        self.assertIoError(BufferError, E.BUSY, s.truncate, 1)
        self.assertIoError(BufferError, E.BUSY, s.close)
        self.assertFalse(s.closed)
        view.release()
        s.write(b'y')
        self.assertEqual(s.getvalue(), b'ybcdef')

    def test_getbuffer_lock_lasts_until_the_last_view(self):
        s = Io.MemoryStream(b'abcdef')
        first = s.getbuffer()
        second = s.getbuffer()
        part = first[2:4]
        first.release()
        self.assertEqual(Io.MemoryStream.get_exports(s), 2)
        del second
        gc.collect()
        self.assertEqual(Io.MemoryStream.get_exports(s), 1)
        self.assertIoError(BufferError, E.BUSY, s.write, b'y')
        self.assertEqual(bytes(part), b'cd')
        del part
        self.assertEqual(Io.MemoryStream.get_exports(s), 0)
        s.write(b'y')

    def test_getbuffer_in_a_with_block(self):
        s = Io.MemoryStream(b'abc')
        with s.getbuffer() as view:
            view[:] = b'xyz'
        self.assertEqual(Io.MemoryStream.get_exports(s), 0)
        s.close()
        self.assertClosedError(s.getbuffer)

    def test_getbuffer_keeps_the_stream_alive(self):
        view = Io.MemoryStream(b'kept').getbuffer()
        gc.collect()
        self.assertEqual(bytes(view), b'kept')
        view.release()

    def test_getbuffer_of_an_empty_stream(self):
        s = Io.MemoryStream()
        view = s.getbuffer()
        self.assertEqual(len(view), 0)
        self.assertIoError(BufferError, E.BUSY, s.write, b'x')
        del view
        s.write(b'x')
        self.assertEqual(s.getvalue(), b'x')

    def test_integers_out_of_range(self):
        for big in (2 ** 63, -2 ** 63 - 1):
            for what, op in [('read', lambda f: f.read(big)), ('read1', lambda f: f.read1(big)),
                             ('readline', lambda f: f.readline(big)),
                             ('readlines', lambda f: f.readlines(big)),
                             ('seek', lambda f: f.seek(big)), ('seek cur', lambda f: f.seek(big, 1)),
                             ('seek whence', lambda f: f.seek(0, big)),
                             ('seek both', lambda f: f.seek(big, big)),
                             ('truncate', lambda f: f.truncate(big))]:
                for closed in (False, True):
                    with self.subTest(op=what, value=big, closed=closed):
                        expected, actual = io.BytesIO(b'abc'), Io.MemoryStream(b'abc')
                        if closed:
                            expected.close()
                            actual.close()
                        with self.assertRaises(Exception) as context:
                            op(expected)
                        exc = context.exception
                        with self.assertRaises(type(exc)) as context:
                            op(actual)
                        self.assertEqual(str(context.exception), str(exc))

    def test_closed_stream(self):
        s = Io.MemoryStream(b'abc')
        self.assertFalse(s.closed)
        s.close()
        self.assertTrue(s.closed)
        s.close()
        for method, args in [('read', ()), ('read1', ()), ('readline', ()), ('readlines', ()),
                             ('readinto', (bytearray(1),)), ('readinto1', (bytearray(1),)),
                             ('write', (b'x',)), ('write', ('x',)), ('writelines', ([],)),
                             ('seek', (0,)), ('seek', (0, 5)), ('tell', ()), ('truncate', ()),
                             ('truncate', (-1,)), ('getvalue', ()), ('getbuffer', ()),
                             ('flush', ()), ('isatty', ()), ('readable', ()), ('writable', ()),
                             ('seekable', ()), ('__enter__', ()), ('__next__', ()),
                             ('peek', ())]:
            with self.subTest(method=method, args=args):
                self.assertClosedError(getattr(s, method), *args)
        iterator = iter(s)
        self.assertClosedError(next, iterator)

    def test_context_manager(self):
        with Io.MemoryStream(b'abc') as s:
            self.assertEqual(s.read(), b'abc')
        self.assertTrue(s.closed)

    def test_capabilities(self):
        s = Io.MemoryStream()
        self.assertTrue(s.readable())
        self.assertTrue(s.writable())
        self.assertTrue(s.seekable())
        self.assertFalse(s.isatty())
        self.assertIoError(io.UnsupportedOperation, E.NOT_SUPPORTED, s.fileno, message='fileno')

    def test_peek_does_not_consume(self):
        s = Io.MemoryStream(b'abcdef')
        s.read(1)
        self.assertEqual(s.peek(2), b'bc')
        self.assertTrue(s.peek().startswith(b'b'))
        self.assertEqual(s.read(), b'bcdef')
        self.assertEqual(s.peek(), b'')

    def test_pickle(self):
        s = Io.MemoryStream(b'pickled data')
        s.seek(3)
        s.extra = 'kept'
        for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
            with self.subTest(protocol=protocol):
                clone = pickle.loads(pickle.dumps(s, protocol))
                self.assertIsInstance(clone, Io.MemoryStream)
                self.assertEqual(clone.getvalue(), b'pickled data')
                self.assertEqual(clone.tell(), 3)
                self.assertEqual(clone.extra, 'kept')
        self.assertEqual(copy.copy(s).getvalue(), b'pickled data')
        s.close()
        self.assertClosedError(pickle.dumps, s)

    def test_pickle_a_subclass_with_other_init_arguments(self):
        # copyreg's protocol, as for BytesIO subclasses: __new__ without
        # __init__, then __setstate__.
        def snapshot(stream):
            return (type(stream).__name__[4:], stream.getvalue(), stream.tell(),
                    {k: v for k, v in vars(stream).items() if k != 'me'})

        def copies(stream, protocols):
            made = [('pickle %d' % p, pickle.loads(pickle.dumps(stream, p))) for p in protocols]
            return made + [('copy', copy.copy(stream)), ('deepcopy', copy.deepcopy(stream))]

        theirs, ours = PairBytesIO(b'ab', b'cd'), PairMemoryStream(b'ab', b'cd')
        for stream in (theirs, ours):
            stream.seek(3)
            stream.extra = [1]
        self.assertEqual(snapshot(ours)[1:], snapshot(theirs)[1:])
        expected = copies(theirs, range(2, pickle.HIGHEST_PROTOCOL + 1))
        # BytesIO subclasses cannot be pickled with protocols 0 and 1; ours can.
        actual = copies(ours, range(2, pickle.HIGHEST_PROTOCOL + 1))
        actual += copies(ours, (0, 1))[:2]
        self.assertEqual((PairBytesIO.inits, PairMemoryStream.inits), (1, 1))
        for (how, clone), (_, model) in zip(actual, expected + expected[:2]):
            with self.subTest(how=how):
                self.assertIs(type(clone), PairMemoryStream)
                self.assertEqual(snapshot(clone)[1:], snapshot(model)[1:])
                self.assertEqual(snapshot(clone), snapshot(ours))
                clone.write(b'!')
                self.assertEqual(ours.getvalue(), b'abcd')
        self.assertIs(copy.copy(ours).extra, ours.extra)
        self.assertIsNot(copy.deepcopy(ours).extra, ours.extra)
        ours.me = ours
        for clone in (pickle.loads(pickle.dumps(ours)), copy.deepcopy(ours)):
            self.assertIs(clone.me, clone)
        self.assertIs(theirs.__reduce_ex__(2)[0], copyreg.__newobj__)
        self.assertEqual(ours.__reduce_ex__(2)[:2], (copyreg.__newobj__, (PairMemoryStream,)))

        class OldPickle:
            # What the earlier __reduce__ gave: such pickles still load.
            def __reduce__(self):
                return (Io._restore_memory_stream, (Io.MemoryStream, b'old', 1, None))

        clone = pickle.loads(pickle.dumps(OldPickle()))
        self.assertEqual((type(clone), clone.getvalue(), clone.tell()),
                         (Io.MemoryStream, b'old', 1))

    def test_getstate_and_setstate(self):
        states = [5, (b'a',), (b'a', 1, None, 4), ('a', 0, None), (b'a', 'x', None),
                  (b'a', -1, None), (b'a', 2 ** 63, None), (b'a', 0, 5), (b'ab', True, None),
                  (bytearray(b'ab'), 1, {'k': 1}), (memoryview(b'ab'), 5, None)]
        for state in states:
            with self.subTest(state=state):
                outcomes = []
                for stream in (io.BytesIO(b'zzz'), Io.MemoryStream(b'zzz')):
                    stream.kept = 1
                    try:
                        stream.__setstate__(state)
                        error = None
                    except Exception as exc:  # noqa: BLE001 -- compared below
                        error = type(exc).__mro__[0 if type(exc).__module__ == 'builtins' else 1]
                        error = (error, str(exc).replace('_io.BytesIO', 'Io.MemoryStream'))
                    outcomes.append((error, stream.getvalue(), stream.tell(),
                                     stream.__getstate__()[2]))
                self.assertEqual(outcomes[1], outcomes[0])
        for stream in (io.BytesIO(b'q'), Io.MemoryStream(b'q')):
            view = stream.getbuffer()
            self.assertRaises(BufferError, stream.__setstate__, (b'a', 0, None))
            view.release()
            stream.close()
            self.assertRaises(ValueError, stream.__setstate__, (b'a', 0, None))
            self.assertRaises(ValueError, stream.__getstate__)

    def test_writelines_stops_at_the_bad_item(self):
        for stream in (io.BytesIO(), Io.MemoryStream()):
            with self.assertRaises(TypeError):
                stream.writelines([b'a', bytearray(b'b'), 'c', b'd'])
            self.assertEqual(stream.getvalue(), b'ab')

    def test_writelines_of_a_failing_iterator_keeps_what_came_before(self):
        def lines():
            yield b'one'
            raise KeyError('stop')
        s = Io.MemoryStream()
        with self.assertRaises(KeyError):
            s.writelines(lines())
        self.assertEqual(s.getvalue(), b'one')

    def test_writelines_many(self):
        s = Io.MemoryStream()
        lines = [b'%d\n' % i for i in range(5000)]
        s.writelines(iter(lines))
        self.assertEqual(s.getvalue(), b''.join(lines))


if __name__ == '__main__':
    main()
