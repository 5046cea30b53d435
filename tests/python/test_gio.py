# test_gio.py: libstream streams as GIO streams and back, from Python, with
# the GNOME consumers of issue 12 (Gio.DataInputStream, splice, GdkPixbuf,
# Gio.Subprocess, a gzip file through new_for_file, a converter and a buffer)
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import gzip
import io
import os
import tempfile

import gi
gi.require_version('GdkPixbuf', '2.0')
from gi.repository import GdkPixbuf  # noqa: E402

from iotest import GLib, Gio, Io, IoTestCase, main  # noqa: E402


class AsGioTest(IoTestCase):
    def test_data_input_stream_lines(self):
        stream = Io.MemoryStream(b'alpha\nbeta\ngamma')
        data = Gio.DataInputStream.new(stream.as_input_stream())
        lines = []
        while True:
            line, _ = data.read_line_utf8(None)
            if line is None:
                break
            lines.append(line)
        self.assertEqual(lines, ['alpha', 'beta', 'gamma'])
        data.close(None)
        self.assertTrue(stream.closed)

    def test_seek_types_by_name(self):
        stream = Io.MemoryStream(b'0123456789')
        gin = stream.as_input_stream()
        self.assertIsInstance(gin, Gio.Seekable)
        gin.seek(4, GLib.SeekType.SET, None)
        gin.seek(2, GLib.SeekType.CUR, None)
        self.assertEqual(stream.tell(), 6)
        self.assertEqual(gin.read_bytes(10, None).get_data(), b'6789')

    def test_close_base(self):
        stream = Io.MemoryStream(b'abc')
        gin = stream.as_input_stream()
        self.assertTrue(gin.props.close_base)
        self.assertIs(gin.props.base_stream, stream)
        gin.props.close_base = False
        gin.close(None)
        self.assertFalse(stream.closed)
        self.assertEqual(stream.read(), b'abc')

    def test_errors_keep_their_codes(self):
        stream = Io.MemoryStream(b'abc')
        gin = stream.as_input_stream()
        stream.close()
        with self.assertRaises(GLib.Error) as caught:
            gin.read_bytes(1, None)
        self.assertTrue(caught.exception.matches(Gio.io_error_quark(), Gio.IOErrorEnum.CLOSED))

    def test_splice_file_into_memory(self):
        with tempfile.NamedTemporaryFile() as f:
            f.write(b'spliced\n' * 1000)
            f.flush()
            source = Gio.File.new_for_path(f.name).read(None)
            stream = Io.MemoryStream()
            out = stream.as_output_stream()
            out.props.close_base = False
            n = out.splice(source, Gio.OutputStreamSpliceFlags.CLOSE_SOURCE
                           | Gio.OutputStreamSpliceFlags.CLOSE_TARGET, None)
            self.assertEqual(n, 8000)
            self.assertEqual(stream.getvalue(), b'spliced\n' * 1000)

    def test_pixbuf_from_memory_stream(self):
        image = GdkPixbuf.Pixbuf.new(GdkPixbuf.Colorspace.RGB, True, 8, 3, 2)
        image.fill(0x11223344)
        ok, png = image.save_to_bufferv('png', [], [])
        self.assertTrue(ok)
        stream = Io.MemoryStream(png)
        loaded = GdkPixbuf.Pixbuf.new_from_stream(stream.as_input_stream(), None)
        self.assertEqual((loaded.get_width(), loaded.get_height()), (3, 2))
        self.assertEqual(loaded.get_pixels()[:4], b'\x11\x22\x33\x44')

    def test_pipe_is_pollable(self):
        r, w = Io.PipeStream.new_pair()
        gin = r.as_input_stream()
        self.assertIsInstance(gin, Gio.PollableInputStream)
        self.assertIsInstance(gin, Gio.FileDescriptorBased)
        self.assertEqual(gin.get_fd(), r.fileno())
        self.assertTrue(gin.can_poll())
        self.assertFalse(gin.is_readable())
        w.write(b'x')
        self.assertTrue(gin.is_readable())
        self.assertEqual(gin.read_bytes(4, None).get_data(), b'x')
        r.close()
        w.close()

    def test_io_stream(self):
        stream = Io.MemoryStream()
        gio = stream.as_io_stream()
        gio.get_output_stream().write_all(b'both ways', None)
        gio.seek(0, GLib.SeekType.SET, None)
        self.assertEqual(gio.get_input_stream().read_bytes(4, None).get_data(), b'both')
        gio.close(None)
        self.assertTrue(stream.closed)


class FromGioTest(IoTestCase):
    def test_subprocess_stdout_lines(self):
        proc = Gio.Subprocess.new(['/bin/sh', '-c', 'printf "one\\ntwo\\nthree"'],
                                  Gio.SubprocessFlags.STDOUT_PIPE)
        stream = Io.Stream.new_for_input_stream(proc.get_stdout_pipe())
        self.assertIsInstance(stream, Io.GioStream)
        self.assertEqual(list(stream), [b'one\n', b'two\n', b'three'])
        self.assertTrue(proc.wait_check(None))

    def test_memory_input_stream(self):
        gin = Gio.MemoryInputStream.new_from_bytes(GLib.Bytes(b'0123456789'))
        stream = Io.Stream.new_for_input_stream(gin)
        self.assertTrue(stream.readable() and stream.seekable())
        self.assertFalse(stream.writable())
        self.assertEqual(stream.seek(-2, io.SEEK_END), 8)
        self.assertEqual(stream.read(), b'89')
        self.assertEqual(stream.seek(1, io.SEEK_SET), 1)
        self.assertEqual(stream.seek(2, io.SEEK_CUR), 3)
        self.assertEqual(stream.peek(2), b'34')
        self.assertIoError(io.UnsupportedOperation, Gio.IOErrorEnum.NOT_SUPPORTED,
                           stream.write, b'x')
        stream.props.close_base = False
        stream.close()
        self.assertFalse(gin.is_closed())

    def test_new_for_file(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, 'f')
            gfile = Gio.File.new_for_path(path)
            with Io.Stream.new_for_file(gfile, 'xb', None) as f:
                self.assertIsInstance(f, Io.FileStream)
                f.write(b'local')
            self.assertIoError(FileExistsError, Gio.IOErrorEnum.EXISTS,
                               Io.Stream.new_for_file, gfile, 'x', None)
            with Io.Stream.new_for_file(gfile, 'rb', None) as f:
                self.assertEqual(f.read(), b'local')

    def test_gzip_file_lines(self):
        # Python's gzip writes, libstream reads: new_for_file, then a
        # ConverterStream with a GZIP ZlibDecompressor, then a BufferedReader.
        lines = [b'%d %s\n' % (i, bytes([97 + i % 26]) * (i * 7919 % 3000))
                 for i in range(4000)] + [b'no newline']

        def open_lines(path):
            raw = Io.Stream.new_for_file(Gio.File.new_for_path(path), 'rb', None)
            self.assertIsInstance(raw, Io.FileStream)
            gunzip = Gio.ZlibDecompressor.new(Gio.ZlibCompressorFormat.GZIP)
            reader = Io.BufferedReader.new(Io.ConverterStream(raw, gunzip),
                                           io.DEFAULT_BUFFER_SIZE)
            self.assertIsInstance(reader, Io.BufferedReader)
            return raw, reader

        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, 'lines.gz')
            with gzip.open(path, 'wb') as f:
                f.writelines(lines)
            raw, reader = open_lines(path)
            with reader:
                read = []
                while line := reader.readline():
                    read.append(line)
            self.assertEqual(len(read), len(lines))
            for i, (got, written) in enumerate(zip(read, lines)):
                self.assertEqual(got, written, 'line %d' % i)
            self.assertTrue(raw.closed)
            # Truncated, it is an EOFError as with Python's gzip, not an end.
            os.truncate(path, os.path.getsize(path) - 20)
            with open_lines(path)[1] as reader:
                with self.assertRaises(Io.TruncatedInputError):
                    for line in reader:
                        pass

    def test_round_trip(self):
        gin = Gio.MemoryInputStream.new_from_bytes(GLib.Bytes(b'one\ntwo\n'))
        back = Io.Stream.new_for_input_stream(gin).as_input_stream()
        data = Gio.DataInputStream.new(back)
        self.assertEqual(data.read_line_utf8(None)[0], 'one')
        stream = Io.MemoryStream(b'abc')
        again = Io.Stream.new_for_input_stream(stream.as_input_stream())
        self.assertEqual(again.read(), b'abc')
        again.close()
        self.assertTrue(stream.closed)


if __name__ == '__main__':
    main()
