// test-converter-stream.js: Io.ConverterStream from GJS: a gzip file read
// through Io.FileStream, a gzip file written and read back by GIO,
// truncated input, direction and charset conversion
//
// SPDX-License-Identifier: LGPL-2.1-or-later

import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import Io from 'gi://Io?version=1';

import {
    assertBytes, assertEqual, assertIoError, assertTrue, bytes, run, test, withTempFile,
} from './tap.js';

const {GZIP} = Gio.ZlibCompressorFormat;
const {NOT_SUPPORTED, PARTIAL_INPUT} = Gio.IOErrorEnum;

const TEXT = Array.from({length: 3000}, (_, i) => `line ${i} of the text\n`).join('');

/**
 * Compresses `text` with GIO's own GConverterOutputStream.
 *
 * @param {string} text - what to compress
 * @returns {Uint8Array} the gzip data
 */
function gzipWithGio(text) {
    const memory = Gio.MemoryOutputStream.new_resizable();
    const out = new Gio.ConverterOutputStream({
        base_stream: memory,
        converter: new Gio.ZlibCompressor({format: GZIP}),
    });
    out.write_all(bytes(text), null);
    out.close(null);
    return memory.steal_as_bytes().toArray();
}

const gunzipOver = base => Io.ConverterStream.new(base, new Gio.ZlibDecompressor({format: GZIP}));

test('a gzip file reads through Io.FileStream and a ConverterStream', () => {
    withTempFile(path => {
        GLib.file_set_contents(path, gzipWithGio(TEXT));
        const stream = gunzipOver(Io.FileStream.new(path, 'rb'));
        assertTrue(stream.readable() && !stream.writable(), 'a reader');
        assertEqual(stream.seekable(), false, 'seekable');
        assertBytes(stream.readline(-1), 'line 0 of the text\n', 'first line');
        const rest = stream.readall();
        stream.close();
        assertEqual(rest.get_size(), TEXT.length - 'line 0 of the text\n'.length, 'rest');
        assertBytes(rest, TEXT.slice('line 0 of the text\n'.length), 'rest of the text');
    });
});

test('what a ConverterStream compresses, GIO decompresses', () => {
    withTempFile(path => {
        const out = Io.ConverterStream.new(Io.FileStream.new(path, 'wb'),
            new Gio.ZlibCompressor({format: GZIP}));
        for (const line of TEXT.split(/(?<=\n)/))
            out.write(bytes(line));
        out.close();
        const file = Gio.File.new_for_path(path);
        const input = new Gio.ConverterInputStream({
            base_stream: file.read(null),
            converter: new Gio.ZlibDecompressor({format: GZIP}),
        });
        const chunks = [];
        for (let chunk; (chunk = input.read_bytes(65536, null)).get_size() > 0;)
            chunks.push(...chunk.toArray());
        input.close(null);
        assertBytes(new Uint8Array(chunks), TEXT, 'the text decoded by GIO');
    });
});

test('a truncated gzip file is PARTIAL_INPUT, not the end', () => {
    const gz = gzipWithGio(TEXT);
    const base = new Io.MemoryStream({initial_bytes: new GLib.Bytes(gz.slice(0, gz.length - 12))});
    const stream = gunzipOver(base);
    const got = stream.readall();
    assertTrue(got.get_size() > 0 && got.get_size() < TEXT.length, 'the part before the cut');
    assertIoError(PARTIAL_INPUT, () => stream.read(-1));
    stream.close();
});

test('the first operation fixes the direction', () => {
    const base = new Io.MemoryStream();
    const stream = Io.ConverterStream.new(base, new Gio.ZlibCompressor({format: GZIP}));
    stream.close_base = false;
    assertTrue(stream.readable() && stream.writable(), 'undecided');
    stream.write(bytes('x'));
    assertEqual(stream.readable(), false, 'readable after a write');
    assertIoError(NOT_SUPPORTED, () => stream.read(1));
    stream.close();
    assertEqual(base.closed, false, 'close_base = false');
    assertTrue(base.get_value().get_size() > 10, 'a header and a trailer');
});

test('a charset converter recodes on read', () => {
    const latin1 = new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a]);
    const stream = Io.ConverterStream.new(
        new Io.MemoryStream({initial_bytes: new GLib.Bytes(latin1)}),
        Gio.CharsetConverter.new('UTF-8', 'ISO-8859-1'));
    assertBytes(stream.readall(), 'café\n', 'UTF-8');
    assertTrue(stream.converter instanceof Gio.CharsetConverter, 'converter property');
    stream.close();
});

run();
