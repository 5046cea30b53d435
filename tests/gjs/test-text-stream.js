// test-text-stream.js: Io.TextStream from JavaScript: lines of a Latin-1
// file with \r\n line ends, text written through a charset, tell()/seek()
//
// SPDX-License-Identifier: LGPL-2.1-or-later

import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import Io from 'gi://Io?version=1';

import {assertBytes, assertEqual, assertIoError, assertTrue, run, test} from './tap.js';

const {CLOSED, INVALID_DATA} = Gio.IOErrorEnum;

const memory = data => new Io.MemoryStream({initial_bytes: new GLib.Bytes(data)});
// "café;1\r\nnaïve;2\r\n" in Latin-1
const LATIN1_CSV = new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x3b, 0x31, 0x0d, 0x0a,
    0x6e, 0x61, 0xef, 0x76, 0x65, 0x3b, 0x32, 0x0d, 0x0a]);

test('the lines of a Latin-1 file with \\r\\n, as strings', () => {
    const text = Io.TextStream.new(memory(LATIN1_CSV), 'latin-1', null, null, false, false);
    assertEqual(text.readline(), 'café;1\n', 'first line, translated');
    assertEqual(text.readline(), 'naïve;2\n', 'second line');
    assertEqual(text.readline(), '', 'end of the stream');
    text.seek(new Io.TextCookie());
    assertEqual([...text].join('|'), 'café;1\n|naïve;2\n', 'iteration');
    assertEqual(text.get_newlines().join(','), '\r\n', 'newlines seen');
});

test('newline "" keeps the line ends', () => {
    const text = Io.TextStream.new(memory(LATIN1_CSV), 'iso-8859-1', null, '', false, false);
    assertEqual(text.read(8), 'café;1\r\n', 'read counts characters');
});

test('write returns characters and encodes with \\r\\n', () => {
    const buffer = new Io.MemoryStream();
    const text = Io.TextStream.new(buffer, 'latin-1', 'replace', '\r\n', false, false);
    assertEqual(text.write('déjà vu\n€\n'), 10, 'characters written');
    text.flush();
    assertBytes(buffer.get_value(), new Uint8Array([0x64, 0xe9, 0x6a, 0xe0, 0x20, 0x76, 0x75,
        0x0d, 0x0a, 0x3f, 0x0d, 0x0a]), 'bytes written in Latin-1');
});

test('tell() and seek() restore a position inside a UTF-16 text', () => {
    const data = new Uint8Array([0xff, 0xfe, 0x61, 0, 0x0d, 0, 0x0a, 0, 0x62, 0]);
    const text = Io.TextStream.new(memory(data), 'utf-16', null, null, false, false);
    assertEqual(text.read(1), 'a', 'first character');
    const cookie = text.tell();
    assertEqual(text.read(), '\nb', 'the rest');
    assertTrue(text.seek(cookie), 'seek');
    assertEqual(text.read(), '\nb', 'the rest again');
});

test('surrogateescape reads and writes lone surrogates, as Python', () => {
    const data = new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0d, 0x0a, 0xc3, 0xa9, 0xff]);
    const text = Io.TextStream.new(memory(data), 'utf-8', 'surrogateescape', null, false, false);
    assertEqual(text.readline(), 'caf\udce9\n', 'an undecodable byte is U+DC80..U+DCFF');
    assertEqual([...text].join('|'), '\u00e9\udcff', 'iteration');
    const buffer = new Io.MemoryStream();
    const out = Io.TextStream.new(buffer, 'utf-8', 'surrogateescape', '\r\n', false, false);
    assertEqual(out.write('caf\udce9\n\u00e9\udcff'), 7, 'characters written');
    assertBytes(buffer.get_value(), data, 'the same bytes back');
    const strict = Io.TextStream.new(new Io.MemoryStream(), 'utf-8', null, null, false, false);
    assertIoError(INVALID_DATA, () => strict.write('\udcff'));
});

test('decoding errors and closed streams throw', () => {
    const text = Io.TextStream.new(memory(new Uint8Array([0x61, 0xff])), null, null, null,
        false, false);
    assertIoError(INVALID_DATA, () => text.read());
    text.close();
    assertTrue(text.is_closed(), 'closed');
    assertIoError(CLOSED, () => text.readline());
});

run();
