# test_converter_stream.py: Io.ConverterStream from Python, checked against
# CPython's gzip module: gzip files read through Io.FileStream, written
# back, truncated, of several members, and charset conversion
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import gzip
import io
import os
import tempfile
import zlib

from iotest import Gio, Io, IoTestCase, main, text_lines

GZIP = Gio.ZlibCompressorFormat.GZIP


def gunzip():
    return Gio.ZlibDecompressor.new(GZIP)


class ConverterStreamTest(IoTestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.dir.name, 'data.gz')
        self.text = text_lines(5000)

    def tearDown(self):
        self.dir.cleanup()

    def test_read_gzip_file(self):
        with gzip.open(self.path, 'wb') as f:
            f.write(self.text)
        base = Io.FileStream(self.path, 'rb')
        with Io.ConverterStream(base, gunzip()) as stream:
            self.assertIsInstance(stream, io.BufferedIOBase)
            self.assertTrue(stream.readable())
            self.assertFalse(stream.writable())
            self.assertFalse(stream.seekable())
            self.assertEqual(stream.fileno(), base.fileno())
            first = stream.readline()
            rest = list(stream)
        self.assertTrue(base.closed)
        with gzip.open(self.path, 'rb') as f:
            expected = f.readlines()
        self.assertEqual([first] + rest, expected)
        self.assertEqual(b''.join(expected), self.text)

    def test_write_gzip_file(self):
        compressor = Gio.ZlibCompressor.new(GZIP, -1)
        with Io.ConverterStream(Io.FileStream(self.path, 'wb'), compressor) as stream:
            for line in io.BytesIO(self.text):
                stream.write(line)
        with gzip.open(self.path, 'rb') as f:
            self.assertEqual(f.read(), self.text)

    def test_flush_makes_a_readable_prefix(self):
        base = Io.MemoryStream()
        stream = Io.ConverterStream(base, Gio.ZlibCompressor.new(GZIP, -1), close_base=False)
        stream.write(b'so far')
        stream.flush()
        decompressor = zlib.decompressobj(31)
        self.assertEqual(decompressor.decompress(base.getvalue()), b'so far')
        self.assertFalse(decompressor.eof)
        stream.close()
        self.assertFalse(base.closed)
        self.assertEqual(gzip.decompress(base.getvalue()), b'so far')

    def test_several_members(self):
        data = gzip.compress(b'one\n') + b'\0\0' + gzip.compress(b'two\n') + b'\0' * 5
        stream = Io.ConverterStream(Io.MemoryStream(data), gunzip())
        self.assertEqual(gzip.decompress(data), b'one\ntwo\n')
        self.assertEqual(stream.read(), gzip.decompress(data))

    def test_truncated_is_eof_error(self):
        data = gzip.compress(self.text)[:-10]
        with self.assertRaises(EOFError):
            gzip.decompress(data)
        stream = Io.ConverterStream(Io.MemoryStream(data), gunzip())
        # What was decoded comes first (libstream keeps what a read moved),
        # then the error that gzip raises.
        got = stream.read(len(self.text) - 100)
        got += stream.read()
        self.assertGreater(len(got), len(self.text) - 100)
        self.assertEqual(got, self.text[:len(got)])
        self.assertIoError(EOFError, Gio.IOErrorEnum.PARTIAL_INPUT, stream.read)
        self.assertIsInstance(Io.TruncatedInputError('x'), EOFError)

    def test_invalid_data(self):
        stream = Io.ConverterStream(Io.MemoryStream(b'not gzip data at all'), gunzip())
        self.assertIoError(OSError, Gio.IOErrorEnum.INVALID_DATA, stream.read)

    def test_direction(self):
        stream = Io.ConverterStream(Io.MemoryStream(), Gio.ZlibCompressor.new(GZIP, -1))
        self.assertTrue(stream.readable() and stream.writable())
        stream.write(b'x')
        self.assertFalse(stream.readable())
        self.assertIoError(io.UnsupportedOperation, Gio.IOErrorEnum.NOT_SUPPORTED, stream.read)
        self.assertIoError(io.UnsupportedOperation, Gio.IOErrorEnum.NOT_SUPPORTED, stream.tell)

    def test_charset(self):
        converter = Gio.CharsetConverter.new('UTF-8', 'UTF-16LE')
        data = 'žluťoučký kůň\n'.encode('utf-16-le')
        stream = Io.ConverterStream(Io.MemoryStream(data), converter)
        self.assertEqual(stream.read().decode('utf-8'), 'žluťoučký kůň\n')

    def test_text_io_wrapper(self):
        text = 'žluťoučký\nkůň\n'
        stream = Io.ConverterStream(Io.MemoryStream(gzip.compress(text.encode())), gunzip())
        self.assertEqual(io.TextIOWrapper(stream, encoding='utf-8').readlines(),
                         ['žluťoučký\n', 'kůň\n'])
        base = Io.MemoryStream()
        writer = Io.ConverterStream(base, Gio.ZlibCompressor.new(GZIP, -1), close_base=False)
        with io.TextIOWrapper(writer, encoding='utf-8') as wrapper:
            wrapper.write(text)
        self.assertEqual(gzip.decompress(base.getvalue()).decode(), text)

    def test_properties(self):
        converter = gunzip()
        stream = Io.ConverterStream(base_stream=Io.MemoryStream(), converter=converter)
        self.assertIs(stream.props.converter, converter)
        self.assertIs(stream.get_converter(), converter)
        self.assertTrue(stream.props.close_base)


if __name__ == '__main__':
    main()
