// test-memory-stream.js: Io.MemoryStream from GJS, every core operation with
// Uint8Array and GLib.Bytes in and out, 64-bit offsets and the BytesIO traps
//
// SPDX-License-Identifier: LGPL-2.1-or-later

import GLib from 'gi://GLib';
import Io from 'gi://Io?version=1';

import {assertBytes, assertEqual, assertTrue, bytes, run, test} from './tap.js';

const memory = text => Io.MemoryStream.new(bytes(text));

test('the four ways to construct a memory stream', () => {
    assertBytes(Io.MemoryStream.new(bytes('abc')).read(-1), 'abc', 'new(Uint8Array)');
    assertBytes(Io.MemoryStream.new(null).read(-1), '', 'new(null)');
    assertBytes(new Io.MemoryStream().read(-1), '', 'new Io.MemoryStream()');
    const initial = new GLib.Bytes(bytes('def'));
    assertBytes(new Io.MemoryStream({initial_bytes: initial}).read(-1), 'def',
        'initial_bytes property');
    assertBytes(Io.MemoryStream.new_from_bytes(initial).read(-1), 'def', 'new_from_bytes(GLib.Bytes)');
    assertBytes(Io.MemoryStream.new_from_bytes(bytes('ghi')).read(-1), 'ghi',
        'new_from_bytes(Uint8Array)');
    assertTrue(Io.MemoryStream.new(null) instanceof Io.Stream, 'a MemoryStream to be an Io.Stream');
});

test('read returns a Uint8Array and fills unless at the end', () => {
    const s = memory('hello world');
    const first = s.read(5);
    assertTrue(first instanceof Uint8Array, 'read() to return a Uint8Array');
    assertBytes(first, 'hello');
    assertBytes(s.read(100), ' world', 'a read past the end is short');
    assertBytes(s.read(100), '', 'a read at the end is empty');
    s.seek(0, Io.Whence.SET);
    assertBytes(s.read(-1), 'hello world', 'read(-1)');
    s.seek(0, Io.Whence.SET);
    assertBytes(s.read(0), '', 'read(0)');
    assertEqual(s.tell(), 0, 'position after read(0)');
});

test('read1 makes one backend call and read_bytes/read1_bytes return GLib.Bytes', () => {
    const s = memory('abcdef');
    assertBytes(s.read1(2), 'ab');
    const chunk = s.read_bytes(2);
    assertTrue(chunk instanceof GLib.Bytes, 'read_bytes() to return a GLib.Bytes');
    assertBytes(chunk, 'cd');
    const one = s.read1_bytes(-1);
    assertTrue(one instanceof GLib.Bytes, 'read1_bytes() to return a GLib.Bytes');
    assertBytes(one, 'ef');
    assertBytes(s.read1(-1), '', 'read1 at the end');
});

test('readall and peek', () => {
    const s = memory('peekaboo');
    assertBytes(s.peek(4), 'peek', 'peek(4)');
    assertEqual(s.tell(), 0, 'peek does not move');
    assertTrue(s.peek(0).get_size() >= 1, 'peek(0) to return what is available');
    s.seek(4, Io.Whence.SET);
    const rest = s.readall();
    assertTrue(rest instanceof GLib.Bytes, 'readall() to return a GLib.Bytes');
    assertBytes(rest, 'aboo');
    assertBytes(s.peek(1), '', 'peek at the end');
});

test('readline, readline_array, readlines and readlines_joined', () => {
    const s = memory('one\ntwo\nthree\nlast');
    assertBytes(s.readline(-1), 'one\n', 'readline(-1)');
    assertBytes(s.readline(2), 'tw', 'readline(limit)');
    assertBytes(s.readline_array(-1), 'o\n', 'readline_array');
    const lines = s.readlines(-1);
    assertTrue(Array.isArray(lines), 'readlines() to return an array');
    assertEqual(lines.length, 2, 'number of lines');
    assertBytes(lines[0], 'three\n');
    assertBytes(lines[1], 'last', 'the last line has no newline');
    assertBytes(s.readline(-1), '', 'readline at the end');
    assertEqual(s.readlines(-1).length, 0, 'readlines at the end');

    s.seek(0, Io.Whence.SET);
    assertEqual(s.readlines(5).length, 2, 'readlines(hint) stops once the hint is reached');
    s.seek(0, Io.Whence.SET);
    assertBytes(s.readlines_joined(-1), 'one\ntwo\nthree\nlast', 'readlines_joined');
});

test('write takes a Uint8Array, a string or an array of numbers', () => {
    const s = new Io.MemoryStream();
    assertEqual(s.write(bytes('abc')), 3, 'write(Uint8Array)');
    assertEqual(s.write('dé'), 3, 'write(string) writes its UTF-8');
    assertEqual(s.write([0x21, 0x0a]), 2, 'write(number[])');
    assertEqual(s.write(new Uint8Array(0)), 0, 'an empty write');
    assertBytes(s.get_value(), bytes('abcdé!\n'));
});

test('write_bytes takes a GLib.Bytes or a Uint8Array, writelines a list of GLib.Bytes', () => {
    const s = new Io.MemoryStream();
    assertEqual(s.write_bytes(new GLib.Bytes(bytes('xy'))), 2, 'write_bytes(GLib.Bytes)');
    assertEqual(s.write_bytes(bytes('z')), 1, 'write_bytes(Uint8Array)');
    assertTrue(s.writelines([new GLib.Bytes(bytes('1\n')), new GLib.Bytes(bytes('2\n'))]),
        'writelines() to succeed');
    assertTrue(s.flush(), 'flush() to succeed');
    assertBytes(s.get_value(), 'xyz1\n2\n');
    assertEqual(s.tell(), 7, 'position after the writes');
});

test('BytesIO trap: a read after a write starts at the end', () => {
    const s = new Io.MemoryStream();
    s.write(bytes('hello'));
    assertBytes(s.read(-1), '', 'read right after the write');
    assertEqual(s.seek(0, Io.Whence.SET), 0, 'seek returns the new position');
    assertBytes(s.read(-1), 'hello', 'read after seek(0)');
});

test('BytesIO trap: writes overwrite in place, seek to END appends', () => {
    const s = memory('hello');
    s.write(bytes('J'));
    assertBytes(s.get_value(), 'Jello', 'overwrite at 0');
    assertEqual(s.seek(0, Io.Whence.END), 5, 'seek(0, END)');
    s.write(bytes(' world'));
    assertBytes(s.get_value(), 'Jello world', 'append');
    assertEqual(s.seek(-5, Io.Whence.END), 6, 'seek(-5, END)');
    assertBytes(s.read(-1), 'world');
    assertEqual(s.seek(-2, Io.Whence.CUR), 9, 'seek(-2, CUR)');
});

test('BytesIO trap: get_value ignores the position', () => {
    const s = memory('abc');
    s.seek(0, Io.Whence.END);
    assertBytes(s.read(-1), '', 'read at the end');
    const value = s.get_value();
    assertTrue(value instanceof GLib.Bytes, 'get_value() to return a GLib.Bytes');
    assertBytes(value, 'abc');
    assertEqual(s.tell(), 3, 'get_value does not move');
});

test('BytesIO trap: seeking past the end, then writing, fills the gap with zeros', () => {
    const s = memory('ab');
    assertEqual(s.seek(5, Io.Whence.SET), 5, 'seek past the end');
    assertBytes(s.read(-1), '', 'read past the end');
    assertEqual(s.get_value().get_size(), 2, 'the seek alone does not grow the stream');
    s.write(bytes('Z'));
    assertBytes(s.get_value(), new Uint8Array([0x61, 0x62, 0, 0, 0, 0x5a]));
});

test('BytesIO trap: a relative seek before the start stops at 0', () => {
    const s = memory('abc');
    assertEqual(s.seek(-10, Io.Whence.CUR), 0, 'seek(-10, CUR)');
    assertEqual(s.seek(-10, Io.Whence.END), 0, 'seek(-10, END)');
});

test('BytesIO trap: truncate shrinks, never extends, keeps the position', () => {
    const s = memory('abcdef');
    s.seek(4, Io.Whence.SET);
    assertEqual(s.truncate(2), 2, 'truncate(2)');
    assertBytes(s.get_value(), 'ab');
    assertEqual(s.tell(), 4, 'position after truncate');
    assertEqual(s.truncate(10), 10, 'truncate returns the size it was given');
    assertBytes(s.get_value(), 'ab', 'truncate does not extend');
    s.seek(1, Io.Whence.SET);
    assertEqual(s.truncate(-1), 1, 'truncate(-1) cuts at the position');
    assertBytes(s.get_value(), 'a');
});

test('64-bit offsets: BigInt in, Number out', () => {
    const s = memory('x');
    const big = 2n ** 40n;
    assertEqual(s.seek(big, Io.Whence.SET), 2 ** 40, 'seek(2n**40n)');
    assertEqual(s.tell(), 2 ** 40, 'tell() after it');
    assertBytes(s.read(-1), '', 'a read there');
    assertEqual(s.seek(1n, Io.Whence.CUR), 2 ** 40 + 1, 'seek(1n, CUR)');
    let rangeError = null;
    try {
        s.seek(2n ** 63n, Io.Whence.SET);
    } catch (e) {
        rangeError = e;
    }
    assertTrue(rangeError !== null && !(rangeError instanceof GLib.Error),
        'an offset beyond int64 to be refused by GJS before C sees it');
    assertEqual(s.seek(2 ** 33, Io.Whence.SET), 2 ** 33, 'a Number above 2**32');
    assertEqual(s.get_value().get_size(), 1, 'seeking alone never allocates');
});

test('Io.Whence has the POSIX values', () => {
    assertEqual(Io.Whence.SET, 0, 'SET');
    assertEqual(Io.Whence.CUR, 1, 'CUR');
    assertEqual(Io.Whence.END, 2, 'END');
    const s = memory('abc');
    s.seek(2, Io.Whence.SET);
    assertEqual(s.seek(0, 0), 0, 'a plain 0 means SET, not CUR');
});

test('capabilities, closed and close', () => {
    const s = memory('abc');
    assertTrue(s.readable() && s.writable() && s.seekable(), 'a memory stream to read, write, seek');
    assertEqual(s.isatty(), false, 'isatty()');
    assertEqual(s.closed, false, 'closed property while open');
    assertEqual(s.is_closed(), false, 'is_closed() while open');
    let notified = 0;
    s.connect('notify::closed', () => notified++);
    assertTrue(s.close(), 'close()');
    assertEqual(s.closed, true, 'closed property after close');
    assertEqual(s.is_closed(), true, 'is_closed() after close');
    assertTrue(s.close(), 'closing twice');
    assertTrue(notified >= 1, 'notify::closed to be emitted');
});

test('acquire_buffer_address exports the buffer, release_buffer gives it back', () => {
    const s = memory('abcd');
    assertEqual(s.get_exports(), 0, 'no export at first');
    const [address, length] = s.acquire_buffer_address();
    assertTrue(address > 0, 'a non-zero address');
    assertEqual(length, 4, 'the exported length');
    assertEqual(s.get_exports(), 1, 'one export');
    assertBytes(s.read(2), 'ab', 'reads work while exported');
    assertEqual(s.seek(0, Io.Whence.SET), 0, 'seeks work while exported');
    assertBytes(s.get_value(), 'abcd', 'get_value works while exported');
    s.release_buffer();
    assertEqual(s.get_exports(), 0, 'released');
    assertEqual(s.write(bytes('z')), 1, 'writes work again');
});

test('readinto_address fills an exported buffer in place', () => {
    const target = memory('hello');
    const [address, length] = target.acquire_buffer_address();
    const source = memory('HEL');
    assertEqual(source.readinto_address(address, 2), 2, 'readinto_address');
    assertEqual(source.readinto1_address(address + 2, length - 2), 1, 'readinto1_address');
    assertBytes(target.get_value(), 'HELlo', 'the target changed through its export');
    assertEqual(source.readinto_address(address, length), 0, 'readinto_address at the end');
    target.release_buffer();
});

run();
