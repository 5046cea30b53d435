// test-override.js: what the GJS override (bindings/gjs/overrides/Io.js)
// adds to the Io namespace
//
// SPDX-License-Identifier: LGPL-2.1-or-later

import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import Io from 'gi://Io?version=1';

import {ArrayStream} from './js-streams.js';
import {assertBytes, assertEqual, assertIoError, assertTrue, bytes, run, test} from './tap.js';

const memory = text => Io.MemoryStream.new(bytes(text));
const decoder = new TextDecoder();
const texts = lines => lines.map(line => decoder.decode(line));

test('the override is loaded from the source tree', () => {
    const override = imports.overrides.Io;
    assertTrue(override !== undefined, 'imports.overrides.Io to exist');
    assertTrue(typeof override._init === 'function', 'the override to have _init()');
});

test('for...of a stream yields its lines as Uint8Arrays', () => {
    const lines = [...memory('one\ntwo\n\nlast')];
    assertEqual(lines.length, 4, 'the number of lines');
    assertTrue(lines.every(line => line instanceof Uint8Array), 'every line to be a Uint8Array');
    assertEqual(JSON.stringify(texts(lines)), JSON.stringify(['one\n', 'two\n', '\n', 'last']),
        'the lines');
    assertEqual([...memory('')].length, 0, 'the lines of an empty stream');
    assertEqual(JSON.stringify(texts([...memory('a\nb\n')])), JSON.stringify(['a\n', 'b\n']),
        'lines ending with a newline');
});

test('iteration starts at the position and a break leaves the stream after the line', () => {
    const s = memory('skip\nfirst\nsecond\nthird\n');
    s.seek(5, Io.Whence.SET);
    for (const line of s) {
        assertBytes(line, 'first\n');
        break;
    }
    assertEqual(s.tell(), 11, 'the position after the line taken');
    assertBytes(s.read(-1), 'second\nthird\n', 'the rest');
    assertEqual([...s].length, 0, 'the lines at the end');
    assertTrue(typeof s[Symbol.iterator] === 'function', 'Symbol.iterator on a MemoryStream');
});

test('iteration works on every stream: a JS subclass, a pipe', () => {
    const js = new ArrayStream(bytes('x\ny\nz'), 2);
    assertEqual(JSON.stringify(texts([...js])), JSON.stringify(['x\n', 'y\n', 'z']),
        'the lines of a JS stream read 2 bytes at a time');
    js.close();  // not at garbage collection, where GJS runs no vfunc
    const [, reader, writer] = Io.PipeStream.new_pair();
    writer.write(bytes('piped\nlines\n'));
    writer.close();
    assertEqual(JSON.stringify(texts([...reader])), JSON.stringify(['piped\n', 'lines\n']),
        'the lines of a pipe');
    reader.close();
});

test('each step reads one line; a closed stream throws CLOSED', () => {
    const iterator = memory('a\nb\n')[Symbol.iterator]();
    const first = iterator.next();
    assertEqual(first.done, false, 'the first step is done');
    assertBytes(first.value, 'a\n', 'the first step');
    assertBytes(iterator.next().value, 'b\n', 'the second step');
    assertEqual(iterator.next().done, true, 'the step at the end is done');
    const s = memory('a\n');
    s.close();
    assertIoError(Gio.IOErrorEnum.CLOSED, () => [...s]);
});

test('the initial-bytes property takes a Uint8Array', () => {
    const data = bytes('abc');
    for (const name of ['initial_bytes', 'initial-bytes', 'initialBytes']) {
        const s = new Io.MemoryStream({[name]: data});
        assertBytes(s.read(-1), 'abc', `new Io.MemoryStream({${name}: Uint8Array})`);
        assertBytes(s.get_value(), 'abc', `the value given ${name}`);
    }
    const s = new Io.MemoryStream({initial_bytes: data});
    data[0] = 'X'.charCodeAt(0);
    s.seek(0, Io.Whence.END);
    s.write(bytes('d'));
    assertBytes(s.get_value(), 'abcd', 'a stream with a copy of its Uint8Array');
    assertBytes(data, 'Xbc', 'the Uint8Array, left alone by the stream');
    assertBytes(new Io.MemoryStream({initial_bytes: bytes('dvw').subarray(1)}).read(-1), 'vw',
        'a subarray');
    assertBytes(new Io.MemoryStream({initial_bytes: new Uint16Array([0x6968])}).read(-1), 'hi',
        'another typed array');
    assertBytes(new Io.MemoryStream({initial_bytes: bytes('ab').buffer}).read(-1), 'ab',
        'an ArrayBuffer');
    assertBytes(new Io.MemoryStream({initial_bytes: new Uint8Array(0)}).read(-1), '',
        'an empty Uint8Array');
});

test('the other ways to give initial bytes keep working', () => {
    const props = {initial_bytes: new GLib.Bytes(bytes('gb'))};
    assertBytes(new Io.MemoryStream(props).read(-1), 'gb', 'a GLib.Bytes');
    assertTrue(props.initial_bytes instanceof GLib.Bytes, 'the caller\'s object, unchanged');
    const plain = {initial_bytes: bytes('p')};
    new Io.MemoryStream(plain);  // eslint-disable-line no-new
    assertTrue(plain.initial_bytes instanceof Uint8Array, 'the caller\'s object, not converted');
    assertBytes(new Io.MemoryStream({initial_bytes: null}).read(-1), '', 'null');
    assertBytes(new Io.MemoryStream({}).read(-1), '', 'no property');
    assertBytes(new Io.MemoryStream().read(-1), '', 'no argument');
    assertBytes(Io.MemoryStream.new_from_bytes(bytes('nb')).read(-1), 'nb',
        'new_from_bytes(Uint8Array)');
    assertTrue(new Io.MemoryStream({initial_bytes: bytes('x')}) instanceof Io.MemoryStream,
        'the class of the stream');
});

run();
