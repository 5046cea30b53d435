# test_text_stream.py: Io.TextStream against io.TextIOWrapper
#
# SPDX-License-Identifier: LGPL-2.1-or-later

"""Io.TextStream from Python: io.TextIOWrapper's signature and exceptions,
and a Hypothesis state machine running the same random reads, lines,
writes, tell() and seek(cookie) on both over the same bytes."""

import io
import os
import tempfile
import threading
import unittest

from hypothesis import settings, strategies as st
from hypothesis.stateful import (RuleBasedStateMachine, initialize, invariant,
                                 precondition, rule)

from iotest import GLib, Gio, Io, IoTestCase, PyBuffer, main, raw_bytes

ENCODINGS = ['utf-8', 'utf-8-sig', 'utf-16', 'latin-1', 'shift_jis', 'ascii', 'iso2022_jp']
NEWLINES = [None, '', '\n', '\r', '\r\n']
# Characters each charset encodes the same way in iconv and Python (glibc's
# SHIFT_JIS reads 0x5c and 0x7e as yen and overline, see docs/text.md).
ALPHABETS = {
    'utf-8': 'ab\r\n\u00e9\u20ac\U0001f600',
    'utf-8-sig': 'ab\r\n\u00e9\u20ac\U0001f600',
    'utf-16': 'ab\r\n\u00e9\u20ac\U0001f600',
    'latin-1': 'ab\r\n\u00e9\u00ff',
    'shift_jis': 'ab\r\n\u3042\u6f22\uff76',
    'ascii': 'ab\r\n',
    'iso2022_jp': 'ab\r\n\u65e5\u672c\u3042',
}
# surrogateescape: bytes no charset here decodes, read as U+DC80..U+DCFF
# and written back as the bytes.
ESCAPED = {'utf-8': b'\x80\xff', 'ascii': b'\x80\xff', 'shift_jis': b'\xff'}
# The decoders' flags are CPython's, so cookies are equal when both read
# the same chunks.
SAME_COOKIES = set(ENCODINGS)
# But for ISO-2022, whose shift state Io puts in the flags (CPython's
# decoder keeps it in bytes to feed again): only the text after seek()
# must agree.
SAME_COOKIES.discard('iso2022_jp')


# The window machine's: charsets that read ASCII as itself, and mostly
# ASCII lines, the odd '\r' or other character stopping a window chunk.
WINDOW_ENCODINGS = ('utf-8', 'ascii', 'latin-1')
WINDOW_ALPHABETS = {False: 'ab\n', True: 'ab\n' * 20 + '\r\u00e9'}


def memory(data):
    return Io.MemoryStream(data)


class TestTextStream(IoTestCase):

    def test_signature_and_registration(self):
        text = Io.TextStream(memory(b'abc'), 'latin-1', None, None, False, True)
        self.assertIsInstance(text, io.TextIOBase)
        self.assertEqual(text.encoding, 'latin-1')
        self.assertEqual(text.errors, 'strict')
        self.assertFalse(text.line_buffering)
        self.assertTrue(text.write_through)
        self.assertEqual(text.read(), 'abc')
        text = Io.TextStream(buffer=memory(b'x'), encoding='utf_16', newline='\r\n')
        self.assertEqual(text.encoding, 'utf_16')

    def test_bad_arguments(self):
        self.assertRaises(LookupError, Io.TextStream, memory(b''), encoding='no-such-codec')
        self.assertRaises(ValueError, Io.TextStream, memory(b''), newline='x')
        self.assertRaises(TypeError, Io.TextStream, memory(b''), newline=b'\n')
        self.assertRaises(TypeError, Io.TextStream, memory(b''), errors=1)

    def test_read_returns_str(self):
        text = Io.TextStream(memory('h\u00e9\r\nl\u00e0\n'.encode()), encoding='utf-8')
        self.assertEqual(text.readline(), 'h\u00e9\n')
        self.assertEqual(text.read(1), 'l')
        self.assertEqual(text.read(), '\u00e0\n')
        self.assertEqual(text.read(), '')
        self.assertEqual(text.newlines, ('\n', '\r\n'))

    def test_decode_error(self):
        text = Io.TextStream(memory(b'abc\xffdef'), encoding='utf-8')
        with self.assertRaises(UnicodeDecodeError) as caught:
            text.read()
        self.assertEqual(caught.exception.start, 3)
        self.assertEqual(caught.exception.reason, 'invalid start byte')
        # Worded as CPython's, one bad byte and a cut sequence alike.
        for data in (b'abc\xffdef', b'abc\xe2\x82'):
            with self.assertRaises(UnicodeDecodeError) as theirs:
                io.TextIOWrapper(io.BytesIO(data), encoding='utf-8').read()
            with self.assertRaises(UnicodeDecodeError) as ours:
                Io.TextStream(memory(data), encoding='utf-8').read()
            self.assertEqual(str(ours.exception), str(theirs.exception))
        text = Io.TextStream(memory(b'abc\xffdef'), encoding='utf-8', errors='replace')
        self.assertEqual(text.read(), 'abc\ufffddef')
        text = Io.TextStream(memory(b'abc\xffdef'), encoding='utf-8', errors='ignore')
        self.assertEqual(text.read(), 'abcdef')

    def test_encode_error(self):
        text = Io.TextStream(memory(b''), encoding='latin-1')
        self.assertRaises(UnicodeEncodeError, text.write, 'a\u20ac')
        text = Io.TextStream(memory(b''), encoding='latin-1', errors='backslashreplace')
        self.assertEqual(text.write('a\u20ac\n'), 3)
        self.assertEqual(raw_bytes(text.buffer.getbuffer_bytes())
                         if hasattr(text.buffer, 'getbuffer_bytes') else text.buffer.getvalue(),
                         b'a\\u20ac\n')
        self.assertRaises(TypeError, text.write, b'bytes')

    def assert_same_rest_after_seek(self, ref, ours):
        """tell() before each character of @ref and @ours, then seek() back
        to each point: the same text is read from there."""
        points = []
        while True:
            points.append((ref.tell(), ours.tell()))
            char = ref.read(1)
            self.assertEqual(ours.read(1), char)
            if not char:
                break
        for ref_cookie, cookie in reversed(points):
            ref.seek(ref_cookie)
            ours.seek(cookie)
            self.assertEqual(ours.read(), ref.read())

    def test_iso2022_shift_state(self):
        # Cookies inside shifted runs: CPython's differ (its decoder keeps
        # the state in bytes to feed again), the text after seek() agrees.
        # (Inside an iso2022_kr SO run CPython's tell() raises
        # OverflowError, so tests/c checks ISO-2022-KR alone.)
        for encoding, text in (('iso2022_jp', 'a\u65e5\u672c\r\nb\u3042\u3044\n\u65e5'),
                               ('iso2022_jp_2', '\u65e5\u00e9\u672c\r\nb\u00e0\u3042\n')):
            raw = text.encode(encoding)
            for newline in (None, ''):
                self.assert_same_rest_after_seek(
                    io.TextIOWrapper(io.BytesIO(raw), encoding, newline=newline),
                    Io.TextStream(memory(raw), encoding, newline=newline))

    def test_surrogateescape(self):
        for encoding, raw in (('utf-8', b'a\xff\xc3\r\n\xe2\x82\xacb\xe2\x82'),
                              ('ascii', b'caf\xe9\r\nz\x80'),
                              ('shift_jis', b'\x82\xa0\xff\r\n\x82')):
            def pair(raw=raw, encoding=encoding):
                return (io.TextIOWrapper(io.BytesIO(raw), encoding, 'surrogateescape'),
                        Io.TextStream(memory(raw), encoding, 'surrogateescape'))
            ref, ours = pair()
            self.assertEqual(list(ours), list(ref))
            ref, ours = pair()
            self.assertEqual(ours.readline(), ref.readline())
            self.assertEqual(ours.read(2), ref.read(2))
            self.assert_same_rest_after_seek(*pair())
            # Written back, the text makes the same bytes.
            ours.seek(0)
            text = ours.read()
            out = Io.TextStream(memory(b''), encoding, 'surrogateescape', newline='\r\n')
            self.assertEqual(out.write(text), len(text))
            self.assertEqual(out.buffer.getvalue(), raw)

    def test_surrogatepass(self):
        raw = b'a\xed\xb2\x80\xed\xa0\xbdb\n'
        ref = io.TextIOWrapper(io.BytesIO(raw), 'utf-8', 'surrogatepass')
        ours = Io.TextStream(memory(raw), 'utf-8', 'surrogatepass')
        self.assertEqual(ours.read(), ref.read())
        ref.seek(0)
        self.assertEqual(ref.read(), 'a\udc80\ud83db\n')
        out = Io.TextStream(memory(b''), 'utf-8', 'surrogatepass')
        self.assertEqual(out.write('a\udc80\ud83db\n'), 5)
        self.assertEqual(out.buffer.getvalue(), raw)
        for raw in (b'a\xff', b'a\xed\xb2'):
            with self.assertRaises(UnicodeDecodeError):
                io.TextIOWrapper(io.BytesIO(raw), 'utf-8', 'surrogatepass').read()
            with self.assertRaises(UnicodeDecodeError):
                Io.TextStream(memory(raw), 'utf-8', 'surrogatepass').read()
        self.assertRaises(UnicodeEncodeError,
                          Io.TextStream(memory(b''), 'latin-1', 'surrogatepass').write, '\udc80')

    def test_surrogates_are_unencodable(self):
        text = Io.TextStream(memory(b''), encoding='utf-8')
        with self.assertRaises(UnicodeEncodeError) as caught:
            text.write('ab\udcff')
        self.assertEqual((caught.exception.start, caught.exception.reason),
                         (2, 'surrogates not allowed'))
        text = Io.TextStream(memory(b''), encoding='ascii', errors='surrogateescape')
        self.assertRaises(UnicodeEncodeError, text.write, '\udc41')
        self.assertRaises(UnicodeEncodeError, text.write, '\u00e9')
        text = Io.TextStream(memory(b''), encoding='latin-1', errors='replace')
        self.assertEqual(text.write('\ud800!'), 2)
        self.assertEqual(text.buffer.getvalue(), b'?!')

    def test_open_surrogateescape(self):
        tmpdir = tempfile.TemporaryDirectory()
        self.addCleanup(tmpdir.cleanup)
        path = os.path.join(tmpdir.name, 'escaped.txt')
        with Io.open(path, 'w', encoding='utf-8', errors='surrogateescape') as f:
            f.write('caf\udce9\n\u00e9\n')
        with open(path, 'rb') as f:
            self.assertEqual(f.read(), b'caf\xe9\n\xc3\xa9\n')
        with Io.open(path, encoding='utf-8', errors='surrogateescape') as f:
            self.assertEqual(f.readlines(), ['caf\udce9\n', '\u00e9\n'])

    def test_iteration_disables_tell(self):
        text = Io.TextStream(memory(b'a\nb\n'), encoding='utf-8')
        self.assertEqual(next(text), 'a\n')
        self.assertRaises(OSError, text.tell)
        self.assertEqual(list(text), ['b\n'])
        self.assertEqual(text.tell(), 4)

    def test_iteration_over_chunks(self):
        # Lines across several 8 KiB chunks, ASCII chunks (made into str
        # without decoding) and chunks with other characters, lines cut by
        # chunk ends, a decoding error in the middle of the loop; over
        # memory and over a file opened in text mode, as Python reads them.
        lines = [('line %d ' % i).ljust(79, '.') + '\n' for i in range(300)]
        lines[150] = 'caf\u00e9 \u20ac\U0001f600\n'
        lines[151] = 'x' * 20000 + '\r\n'
        data = ''.join(lines).encode()
        expected = list(io.TextIOWrapper(io.BytesIO(data), encoding='utf-8'))
        self.assertEqual(list(Io.TextStream(memory(data), encoding='utf-8')), expected)
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        path = os.path.join(directory.name, 'lines.txt')
        with open(path, 'wb') as f:
            f.write(data)
        with Io.open(path, encoding='utf-8') as text:
            self.assertEqual(list(text), expected)
            self.assertEqual(text.tell(), len(data))
        bad = data[:12000] + b'\xff' + data[12000:]
        text = Io.TextStream(memory(bad), encoding='utf-8')
        with self.assertRaises(UnicodeDecodeError) as caught:
            for _ in text:
                pass
        self.assertEqual(caught.exception.start, 12000)

    def window_streams(self, data, **kwargs):
        """Pairs of the text of @data over io.BytesIO (CPython's) and ours
        over a memory stream, then over a file opened 'r+b' (a buffered
        random) of the default size and of 64 KiB, whose window a peek
        fills: all lend the window ASCII chunks are read from."""
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        path = os.path.join(directory.name, 'window.txt')
        with open(path, 'wb') as f:
            f.write(data)
        for buffer in (memory(data), Io.open(path, 'r+b'), Io.open(path, 'r+b', 65536)):
            text = Io.TextStream(buffer, **kwargs)
            self.addCleanup(buffer.close)
            yield io.TextIOWrapper(io.BytesIO(data), **kwargs), text

    def test_window_chunks_as_cpython(self):
        # ASCII lines over several 8 KiB chunks, then: an undecodable byte
        # in a later chunk, which fails the readline() that reads that
        # chunk; '\r\n' in one; a non-ASCII character in one. Each
        # line, error, tell() and the newlines seen must be CPython's.
        lines = b''.join(b'%d ' % i + b'.' * (i % 90) + b'\n' for i in range(700))
        cases = [lines, lines[:20000] + b'\xff' + lines[20000:],
                 lines[:17000] + b'\r\n' + lines[17000:], lines[:25000] + 'é'.encode() + lines[25000:]]
        for data in cases:
            for newline in (None, '', '\n'):
                for ref, text in self.window_streams(data, encoding='utf-8', newline=newline):
                    for step in range(800):
                        results = []
                        for stream in (ref, text):
                            try:
                                results.append((stream.readline(), stream.tell(), stream.newlines))
                            except UnicodeDecodeError:
                                results.append('error')
                        self.assertEqual(results[0], results[1], (step, newline))
                        if results[0] == 'error' or results[0][0] == '':
                            break

    def test_tell_keeps_a_held_cr_as_cpython(self):
        # A chunk ending with '\r' leaves it held until the next character
        # shows whether "\r\n" follows; tell() replays the decoder and puts
        # that state back, and the plain ASCII chunk after it must still
        # not be read as a window chunk, or the line end is lost. Over
        # memory the first chunk is 8192 bytes; over 2-byte reads under a
        # 64 KiB reader it is what each read gave (found by the fuzzer).
        data = b'x\n' + b'a' * 8189 + b'\r' + b'bb\n' * 50
        short = b'\n\r\x05\x04\x01\x04\x1f\x00b\raa\n\r'
        raw = PyBuffer(short, 2)  # kept: a dropped stream closes
        cases = [(data, memory(data)), (short, Io.BufferedReader(raw, 65536))]
        for content, buffer in cases:
            ref = io.TextIOWrapper(io.BytesIO(content), encoding='latin-1')
            text = Io.TextStream(buffer, encoding='latin-1')
            lines = []
            for stream in (ref, text):
                first = stream.readline(2)
                stream.tell()
                lines.append([first] + stream.readlines())
            self.assertEqual(lines[1], lines[0])

    def test_window_chunk_leaves_the_buffer_as_cpython(self):
        # Whatever sees the buffer's position after readline() sees the
        # end of the chunk read, as in CPython: the buffer's tell(), a
        # write, truncate(), detach(); read() and readline(size) go on
        # with the chunk's text.
        data = b''.join(b'line %d\n' % i for i in range(3000))
        operations = [
            lambda t: t.buffer.tell(),
            lambda t: (t.write('XYZ'), t.flush(), t.seek(0), t.read())[3],
            lambda t: (t.truncate(), t.seek(0), len(t.read()))[2],
            lambda t: t.detach().tell(),
            lambda t: t.read(50000)[-20:],
            lambda t: t.readline(3) + t.readline(),
            lambda t: (t.tell(), t.seek(0, 2), t.tell())[::2],
        ]
        for lines_first, encoding in ((1, 'utf-8'), (3, 'ascii'), (700, 'latin-1'), (1500, 'utf-8')):
            for operation in operations:
                for ref, text in self.window_streams(data, encoding=encoding):
                    for _ in range(lines_first):
                        self.assertEqual(text.readline(), ref.readline())
                    self.assertEqual(operation(text), operation(ref), lines_first)

    def test_window_chunk_waits_for_a_held_buffer(self):
        # A buffer another thread holds is read once it lets go, through
        # the ordinary path: the lines stay whole and in order.
        data = b''.join(b'line %d\n' % i for i in range(5000))
        buffer = memory(data)
        text = Io.TextStream(buffer, encoding='utf-8')
        self.assertEqual(text.readline(), 'line 0\n')
        held = threading.Event()
        release = threading.Event()

        def holder():
            buffer.lock()
            held.set()
            release.wait()
            buffer.unlock()

        thread = threading.Thread(target=holder)
        thread.start()
        held.wait()
        timer = threading.Timer(0.05, release.set)
        timer.start()
        rest = text.readlines()
        thread.join()
        timer.join()
        self.assertEqual(rest, [line.decode() + '\n' for line in data.split(b'\n')[1:-1]])

    def test_detach_and_close(self):
        buffer = memory(b'abc')
        text = Io.TextStream(buffer)
        self.assertIs(text.detach(), buffer)
        self.assertIsNone(text.buffer)
        self.assertRaises(ValueError, text.read)
        theirs = io.TextIOWrapper(io.BytesIO(b'abc'))
        theirs.detach()
        for call in (next, lambda t: t.readline(), lambda t: t.read()):
            with self.assertRaises(ValueError) as expected:
                call(theirs)
            with self.assertRaises(ValueError) as caught:
                call(text)
            self.assertEqual(str(caught.exception), str(expected.exception))
        self.assertRaises(ValueError, text.close)
        self.assertRaises(ValueError, getattr, text, 'closed')
        self.assertFalse(buffer.closed)
        text = Io.TextStream(buffer)
        with text:
            pass
        self.assertTrue(buffer.closed)
        self.assertTrue(text.closed)
        self.assertRaises(ValueError, text.read)

    def test_reconfigure(self):
        text = Io.TextStream(memory(b'a\r\nb'), encoding='utf-8', newline='')
        text.reconfigure(newline=None, line_buffering=True)
        self.assertTrue(text.line_buffering)
        self.assertEqual(text.readline(), 'a\n')
        self.assertRaises(io.UnsupportedOperation, text.reconfigure, encoding='latin-1')

    def test_python_buffer(self):
        raw = io.BytesIO('h\u00e9\r\nx'.encode('latin-1'))
        text = Io.TextStream(raw, encoding='latin-1')
        self.assertIs(text.buffer, raw)
        self.assertEqual(text.readline(), 'h\u00e9\n')
        cookie = text.tell()
        self.assertEqual(text.read(), 'x')
        text.seek(cookie)
        self.assertEqual(text.write('y\n'), 2)
        text.flush()
        self.assertEqual(raw.getvalue(), b'h\xe9\r\ny\n')
        self.assertIs(text.detach(), raw)
        reader = io.BufferedReader(io.BytesIO(b'a\nb'))
        with Io.TextStream(reader) as text:
            self.assertEqual(list(text), ['a\n', 'b'])
        self.assertTrue(reader.closed)

    def test_nested_iteration(self):
        # A Python buffer whose reads loop over another text stream, in the
        # same thread, while the outer loop waits for them: each loop keeps
        # its own lines, the inner ones long enough to grow a line buffer.
        inner_lines = ['%d ' % i + 'y' * 5000 + '\n' for i in range(3)]
        seen = []

        class Nested(io.RawIOBase):
            def __init__(self, data):
                self.data = io.BytesIO(data)

            def readable(self):
                return True

            def readinto(self, b):
                inner = Io.TextStream(memory(''.join(inner_lines).encode()), encoding='utf-8')
                seen.append(list(inner))
                return self.data.readinto(b)

        outer_lines = ['line %d\n' % i for i in range(2000)]
        text = Io.TextStream(io.BufferedReader(Nested(''.join(outer_lines).encode()), 64),
                             encoding='utf-8')
        self.assertEqual(list(text), outer_lines)
        self.assertTrue(seen)
        for lines in seen:
            self.assertEqual(lines, inner_lines)

    def test_seek_errors(self):
        text = Io.TextStream(memory(b'abc'))
        self.assertRaises(io.UnsupportedOperation, text.seek, 1, 1)
        self.assertRaises(io.UnsupportedOperation, text.seek, 1, 2)
        self.assertRaises(ValueError, text.seek, 0, 3)
        self.assertRaises(ValueError, text.seek, -1)
        self.assertEqual(text.seek(0, 2), 3)


def _kind(exc):
    """The io exception class an error falls in, for comparing."""
    for cls in (UnicodeDecodeError, UnicodeEncodeError, UnicodeError, io.UnsupportedOperation,
                ValueError, OSError, TypeError):
        if isinstance(exc, cls):
            return cls
    return type(exc)


class TextMachine(RuleBasedStateMachine):
    """The same operations on io.TextIOWrapper over io.BytesIO and on
    Io.TextStream over a memory stream or a stream of short reads."""

    # Over ASCII text in files too: the lines then come from the window
    # chunks of a memory stream's or a buffered file's window.
    WINDOW = False

    @initialize(encoding=st.sampled_from(ENCODINGS), newline=st.sampled_from(NEWLINES),
                data=st.data(), repeat=st.sampled_from([1, 1, 3, 200, 700]),
                short_reads=st.sampled_from([0, 0, 1, 2, 3, 7]), garbage=st.booleans(),
                escape=st.booleans())
    def setup(self, encoding, newline, data, repeat, short_reads, garbage, escape):
        if self.WINDOW:
            encoding = encoding if encoding in WINDOW_ENCODINGS else 'utf-8'
        self.encoding = encoding
        self.alphabet = ALPHABETS[encoding]
        if self.WINDOW:
            self.alphabet = ''.join(c for c in WINDOW_ALPHABETS[garbage] if c in ALPHABETS[encoding])
        errors = 'surrogateescape' if escape and encoding in ESCAPED else 'strict'
        if errors == 'surrogateescape':
            self.alphabet += ''.join(chr(0xdc00 + b) for b in ESCAPED[encoding])
        text = data.draw(st.text(self.alphabet, max_size=40)) * repeat
        raw = text.encode(encoding, errors)
        if errors == 'surrogateescape':
            # Escaped bytes anywhere, even inside a character: the text
            # read does not depend on the chunks.
            for _ in range(data.draw(st.integers(0, 3))):
                cut = data.draw(st.integers(0, len(raw)))
                raw = raw[:cut] + data.draw(st.sampled_from(ESCAPED[encoding])
                                            ).to_bytes(1, 'big') + raw[cut:]
        # Where a decoding error shows depends on the chunks: only
        # compare it when both read the same chunks.
        elif garbage and not short_reads and encoding in ('utf-8', 'utf-16'):
            cut = data.draw(st.integers(0, len(raw)))
            raw = raw[:cut] + b'\xff' + raw[cut:] if encoding == 'utf-8' else raw + b'x'
        self.ref = io.TextIOWrapper(io.BytesIO(raw), encoding=encoding, errors=errors,
                                    newline=newline)
        if self.WINDOW and short_reads:
            buffer = self.file_buffer(raw, 65536 if short_reads % 2 else -1)
        else:
            buffer = PyBuffer(raw, short_reads) if short_reads else Io.MemoryStream(raw)
        self.ours = Io.TextStream(buffer, encoding=encoding, errors=errors, newline=newline)
        self.cookies = []
        self.broken = False
        self.short_reads = short_reads
        # next() stops the snapshots tell() needs, and flush() lets tell()
        # run again, on a stale snapshot in CPython: no tell() until a
        # seek or the end of the loop.
        self.iterating = False

    def file_buffer(self, raw, size):
        self.directory = tempfile.TemporaryDirectory()
        path = os.path.join(self.directory.name, 'text')
        with open(path, 'wb') as f:
            f.write(raw)
        return Io.open(path, 'r+b', size)

    def both(self, op):
        results = []
        for stream in (self.ref, self.ours):
            try:
                results.append(('ok', op(stream)))
            except Exception as e:  # noqa: B902 - compared below
                results.append(('error', _kind(e)))
                if isinstance(e, UnicodeError):
                    # After a codec error the decoders' states may differ.
                    self.broken = True
        ref, ours = results
        assert ref == ours, (ref, ours)
        return ref

    @precondition(lambda self: not self.broken)
    @rule(size=st.sampled_from([-1, 0, 1, 2, 3, 5, 17, 100, 5000]))
    def read(self, size):
        self.both(lambda s: s.read(size))

    @precondition(lambda self: not self.broken)
    @rule(size=st.sampled_from([-1, -1, 0, 1, 2, 5, 100]))
    def readline(self, size):
        self.both(lambda s: s.readline(size))

    @precondition(lambda self: not self.broken and not self.iterating)
    @rule()
    def tell(self):
        cookies = []
        for stream in (self.ref, self.ours):
            try:
                cookies.append(stream.tell())
            except OSError as e:
                cookies.append(_kind(e))
        ref, ours = cookies
        if isinstance(ref, int) and isinstance(ours, int):
            self.cookies.append((ref, ours))
            if self.encoding in SAME_COOKIES and not self.short_reads:
                assert ref == ours, (ref, ours)
        else:
            assert ref == ours, (ref, ours)

    @precondition(lambda self: not self.broken and self.cookies)
    @rule(data=st.data())
    def seek_cookie(self, data):
        ref, ours = data.draw(st.sampled_from(self.cookies))
        assert self.ref.seek(ref) == ref
        assert self.ours.seek(ours) == ours
        self.iterating = False

    @precondition(lambda self: not self.broken)
    @rule(end=st.booleans())
    def seek_start_or_end(self, end):
        self.both(lambda s: s.seek(0, 2 if end else 0))
        self.iterating = False

    @precondition(lambda self: not self.broken)
    @rule(data=st.data())
    def write(self, data):
        text = data.draw(st.text(self.alphabet, max_size=12))
        if self.short_reads:
            # Text written after a read goes where the buffer's reads
            # stopped, and tell() may find another, equivalent, byte to
            # restart from: both depend on the chunks, so append instead.
            self.both(lambda s: (s.seek(0, 2), s.write(text))[1])
            self.iterating = False
        else:
            self.both(lambda s: s.write(text))

    @precondition(lambda self: not self.broken)
    @rule()
    def next_line(self):
        def op(stream):
            try:
                return next(stream)
            except StopIteration:
                return StopIteration
        self.iterating = self.both(op)[1] is not StopIteration

    @precondition(lambda self: not self.broken)
    @rule()
    def reread_all(self):
        self.both(lambda s: (s.flush(), s.seek(0), s.read())[2])
        self.iterating = False

    @rule()
    def flush(self):
        self.both(lambda s: s.flush())

    def teardown(self):
        if not self.broken:
            self.both(lambda s: (s.seek(0), s.read())[1])
        self.ref.close()
        self.ours.close()
        if getattr(self, 'directory', None) is not None:
            self.directory.cleanup()


# The same examples on every run, and no database left in the tree, as
# the buffered layer's machines: random runs also reach CPython's own
# iso2022_jp codec where it crashes (a call through a NULL pointer in
# _codecs_iso2022) or decodes bytes a write cut in two otherwise than
# iconv does (see docs/text.md), which no run of CI may depend on.
TextMachine.TestCase.settings = settings(max_examples=150, stateful_step_count=30,
                                         deadline=None, report_multiple_bugs=False,
                                         derandomize=True, database=None)
TestTextMachine = TextMachine.TestCase


class TextWindowMachine(TextMachine):
    """TextMachine over ASCII lines, long enough for several chunks, in a
    memory stream or a file opened 'r+b' (for the short reads): the lines
    come from window chunks, and every other call must find the buffer
    and the text where CPython's chunks leave them."""
    WINDOW = True


TextWindowMachine.TestCase.settings = TextMachine.TestCase.settings
TestTextWindowMachine = TextWindowMachine.TestCase

if __name__ == '__main__':
    main()
