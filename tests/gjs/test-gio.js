// test-gio.js: libstream streams as GIO streams and back, from JavaScript,
// with the GNOME consumers of issue 12 (Gio.DataInputStream, splice,
// GdkPixbuf, Gio.Subprocess, a gzip file through new_for_file, a converter
// and a buffer)
//
// SPDX-License-Identifier: LGPL-2.1-or-later

import GdkPixbuf from 'gi://GdkPixbuf?version=2.0';
import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import Io from 'gi://Io?version=1';

import {assertBytes, assertEqual, assertIoError, assertTrue, bytes, run, test} from './tap.js';

const {CLOSED, NOT_SUPPORTED} = Gio.IOErrorEnum;

const memory = text => new Io.MemoryStream({initial_bytes: new GLib.Bytes(bytes(text))});

test('Gio.DataInputStream reads lines over as_input_stream()', () => {
    const stream = memory('alpha\nbeta\ngamma');
    const data = new Gio.DataInputStream({base_stream: stream.as_input_stream()});
    const lines = [];
    for (;;) {
        const [line] = data.read_line_utf8(null);
        if (line === null)
            break;
        lines.push(line);
    }
    assertEqual(lines.join(','), 'alpha,beta,gamma', 'the lines');
    data.close(null);
    assertTrue(stream.is_closed(), 'closing the data stream closes the Io.Stream');
});

test('GSeekable maps the seek types by name; close-base; errors', () => {
    const stream = memory('0123456789');
    const input = stream.as_input_stream();
    assertTrue(input instanceof Gio.Seekable, 'a Gio.Seekable');
    input.seek(4, GLib.SeekType.SET, null);
    input.seek(2, GLib.SeekType.CUR, null);
    assertEqual(stream.tell(), 6, 'position');
    input.close_base = false;
    input.close(null);
    assertTrue(!stream.is_closed(), 'close-base false leaves the stream open');
    const other = memory('x').as_input_stream();
    other.base_stream.close();
    assertIoError(CLOSED, () => other.read_bytes(1, null));
});

test('g_output_stream_splice from a GFile into an Io.MemoryStream', () => {
    const [file, iostream] = Gio.File.new_tmp('io-gio-XXXXXX');
    iostream.close(null);
    file.replace_contents(bytes('spliced\n'.repeat(1000)), null, false, 0, null);
    const stream = new Io.MemoryStream();
    const output = stream.as_output_stream();
    output.close_base = false;
    const n = output.splice(file.read(null), Gio.OutputStreamSpliceFlags.CLOSE_SOURCE |
        Gio.OutputStreamSpliceFlags.CLOSE_TARGET, null);
    assertEqual(n, 8000, 'bytes spliced');
    assertBytes(stream.get_value(), 'spliced\n'.repeat(1000), 'the memory stream');
    file.delete(null);
});

test('GdkPixbuf.Pixbuf.new_from_stream loads a PNG from an Io.MemoryStream', () => {
    const image = GdkPixbuf.Pixbuf.new(GdkPixbuf.Colorspace.RGB, true, 8, 3, 2);
    image.fill(0x11223344);
    const [ok, png] = image.save_to_bufferv('png', [], []);
    assertTrue(ok, 'saved');
    const stream = new Io.MemoryStream({initial_bytes: new GLib.Bytes(png)});
    const loaded = GdkPixbuf.Pixbuf.new_from_stream(stream.as_input_stream(), null);
    assertEqual(loaded.get_width(), 3, 'width');
    assertEqual(loaded.get_height(), 2, 'height');
    assertEqual(loaded.get_pixels()[1], 0x22, 'a pixel');
});

test('a Gio.Subprocess stdout read as an Io.Stream line by line', () => {
    const proc = Gio.Subprocess.new(['/bin/sh', '-c', 'printf "one\\ntwo\\nthree"'],
        Gio.SubprocessFlags.STDOUT_PIPE);
    const stream = Io.Stream.new_for_input_stream(proc.get_stdout_pipe());
    assertTrue(stream instanceof Io.GioStream, 'an Io.GioStream');
    const lines = [];
    for (let line = stream.readline(-1); line.get_size() > 0; line = stream.readline(-1))
        lines.push(new TextDecoder().decode(line.toArray()));
    assertEqual(lines.join('|'), 'one\n|two\n|three', 'the lines');
    assertTrue(proc.wait_check(null), 'exit status');
    stream.close();
});

test('GIO -> libstream: capabilities, seek, close-base, round trips', () => {
    const gin = Gio.MemoryInputStream.new_from_bytes(new GLib.Bytes(bytes('0123456789')));
    const stream = Io.Stream.new_for_input_stream(gin);
    assertTrue(stream.readable() && stream.seekable() && !stream.writable(), 'capabilities');
    assertEqual(stream.seek(-2, Io.Whence.END), 8, 'seek END');
    assertEqual(stream.seek(1, Io.Whence.SET), 1, 'seek SET');
    assertEqual(stream.seek(2, Io.Whence.CUR), 3, 'seek CUR');
    assertIoError(NOT_SUPPORTED, () => stream.write(bytes('x')));
    const data = new Gio.DataInputStream({base_stream: stream.as_input_stream()});
    assertEqual(data.read_line_utf8(null)[0], '3456789', 'GIO -> libstream -> GIO');
    stream.close_base = false;
    stream.close();
    assertTrue(!gin.is_closed(), 'close-base false');
    const back = Io.Stream.new_for_input_stream(memory('abc').as_input_stream());
    assertBytes(back.readall(), 'abc', 'libstream -> GIO -> libstream');
    back.close();
});

test('Io.Stream.new_for_file opens a local file as an Io.FileStream', () => {
    const [file, iostream] = Gio.File.new_tmp('io-gio-XXXXXX');
    iostream.close(null);
    const out = Io.Stream.new_for_file(file, 'wb', null);
    assertTrue(out instanceof Io.FileStream, 'an Io.FileStream');
    out.write(bytes('local'));
    out.close();
    const input = Io.Stream.new_for_file(file, null, null);
    assertBytes(input.readall(), 'local', 'read back');
    input.close();
    file.delete(null);
});

test('a gzip file read through new_for_file, a ConverterStream and a BufferedReader', () => {
    const lines = [];
    for (let i = 0; i < 4000; i++)
        lines.push(`${i} ${String.fromCharCode(97 + i % 26).repeat(i * 7919 % 3000)}\n`);
    lines.push('no newline');
    const [file, iostream] = Gio.File.new_tmp('io-gio-XXXXXX.gz');
    iostream.close(null);
    // GIO's own gzip writer.
    const gzip = new Gio.ConverterOutputStream({
        base_stream: file.replace(null, false, Gio.FileCreateFlags.NONE, null),
        converter: new Gio.ZlibCompressor({format: Gio.ZlibCompressorFormat.GZIP}),
    });
    gzip.write_all(bytes(lines.join('')), null);
    gzip.close(null);

    const raw = Io.Stream.new_for_file(file, 'rb', null);
    assertTrue(raw instanceof Io.FileStream, 'an Io.FileStream');
    const text = Io.ConverterStream.new(raw,
        new Gio.ZlibDecompressor({format: Gio.ZlibCompressorFormat.GZIP}));
    const reader = Io.BufferedReader.new(text, 8192);
    let count = 0;
    for (let line; (line = reader.readline(-1)).get_size() > 0; count++) {
        if (count < lines.length)
            assertBytes(line, lines[count], `line ${count}`);
    }
    assertEqual(count, lines.length, 'lines read');
    reader.close();
    assertTrue(raw.is_closed(), 'closing the reader closes the file');
    file.delete(null);
});

run();
