// test-errors.js: every G_IO_ERROR the core raises, caught from GJS with
// e.matches(Gio.IOErrorEnum, ...)
//
// SPDX-License-Identifier: LGPL-2.1-or-later

import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import Io from 'gi://Io?version=1';

import {assertBytes, assertEqual, assertIoError, assertTrue, bytes, run, test} from './tap.js';

const {CLOSED, NOT_SUPPORTED, INVALID_ARGUMENT, BUSY} = Gio.IOErrorEnum;

test('a G_IO_ERROR is a GLib.Error in the Gio.IOErrorEnum domain', () => {
    const s = Io.MemoryStream.new(null);
    s.close();
    const e = assertIoError(CLOSED, () => s.read(-1));
    assertTrue(e instanceof GLib.Error, 'a GLib.Error');
    assertEqual(e.domain, Gio.io_error_quark(), 'domain');
    assertEqual(GLib.quark_to_string(e.domain), 'g-io-error-quark', 'domain name');
    assertEqual(e.code, CLOSED, 'code');
    assertTrue(e.matches(Gio.io_error_quark(), CLOSED), 'matches() with the quark');
    assertTrue(!e.matches(Gio.IOErrorEnum, BUSY), 'no match for another code');
    assertTrue(e.message.length > 0, 'a message');
});

test('CLOSED: every operation on a closed stream', () => {
    const s = Io.MemoryStream.new(bytes('abc\n'));
    s.close();
    const calls = {
        read: () => s.read(1),
        read1: () => s.read1(1),
        read_bytes: () => s.read_bytes(1),
        read1_bytes: () => s.read1_bytes(1),
        readall: () => s.readall(),
        peek: () => s.peek(1),
        readline: () => s.readline(-1),
        readline_array: () => s.readline_array(-1),
        readlines: () => s.readlines(-1),
        readlines_joined: () => s.readlines_joined(-1),
        write: () => s.write(bytes('x')),
        write_bytes: () => s.write_bytes(new GLib.Bytes(bytes('x'))),
        writelines: () => s.writelines([new GLib.Bytes(bytes('x'))]),
        flush: () => s.flush(),
        seek: () => s.seek(0, Io.Whence.SET),
        tell: () => s.tell(),
        truncate: () => s.truncate(0),
        readable: () => s.readable(),
        writable: () => s.writable(),
        seekable: () => s.seekable(),
        isatty: () => s.isatty(),
        fileno: () => s.fileno(),
        get_value: () => s.get_value(),
        acquire_buffer_address: () => s.acquire_buffer_address(),
    };
    for (const [name, call] of Object.entries(calls)) {
        try {
            assertIoError(CLOSED, call);
        } catch (e) {
            throw new Error(`${name}: ${e.message}`);
        }
    }
    assertTrue(s.close(), 'close() on a closed stream succeeds');
    assertTrue(s.closed, 'closed');
});

test('NOT_SUPPORTED: fileno on a memory stream', () => {
    const s = Io.MemoryStream.new(null);
    assertIoError(NOT_SUPPORTED, () => s.fileno());
    assertTrue(!s.closed, 'the stream stays open');
});

test('INVALID_ARGUMENT: negative sizes and offsets', () => {
    const s = Io.MemoryStream.new(bytes('abc'));
    assertIoError(INVALID_ARGUMENT, () => s.read(-2));
    assertIoError(INVALID_ARGUMENT, () => s.read_bytes(-5));
    assertIoError(INVALID_ARGUMENT, () => s.read1(-2));
    assertIoError(INVALID_ARGUMENT, () => s.readline(-3));
    assertIoError(INVALID_ARGUMENT, () => s.seek(-1, Io.Whence.SET));
    assertIoError(INVALID_ARGUMENT, () => s.truncate(-2));
    assertEqual(s.tell(), 0, 'the failed calls left the position alone');
    assertBytes(s.get_value(), 'abc', 'the failed calls left the content alone');
});

test('an invalid Io.Whence is refused before it reaches C', () => {
    const s = Io.MemoryStream.new(bytes('abc'));
    let error = null;
    try {
        s.seek(0, 7);
    } catch (e) {
        error = e;
    }
    assertTrue(error !== null, 'seek(0, 7) to throw');
    assertEqual(s.tell(), 0, 'the position');
});

test('BUSY: an exported buffer locks writes, truncation and closing', () => {
    const s = Io.MemoryStream.new(bytes('abc'));
    s.acquire_buffer_address();
    const e = assertIoError(BUSY, () => s.write(bytes('x')));
    assertTrue(e.message.includes('export'), `a BytesIO-like message, got "${e.message}"`);
    assertIoError(BUSY, () => s.write_bytes(new GLib.Bytes(bytes('x'))));
    s.seek(0, Io.Whence.END);
    assertIoError(BUSY, () => s.write(bytes('appended')));
    assertIoError(BUSY, () => s.truncate(1));
    assertIoError(BUSY, () => s.close());
    assertTrue(!s.closed, 'a refused close leaves the stream open');
    assertBytes(s.get_value(), 'abc', 'nothing changed');

    s.acquire_buffer_address();
    s.release_buffer();
    assertIoError(BUSY, () => s.write(bytes('x')));
    s.release_buffer();
    assertEqual(s.write(bytes('!')), 1, 'the write after the last release');
    assertEqual(s.truncate(2), 2, 'truncate after the release');
    assertTrue(s.close(), 'close after the release');
});

test('an OS error carries its errno and filename', () => {
    const path = '/nonexistent/libstream-gjs-test';
    const e = assertIoError(Gio.IOErrorEnum.NOT_FOUND, () => Io.FileStream.new(path, 'rb'));
    assertEqual(Io.error_get_errno(e), 2, 'errno (ENOENT)');
    assertEqual(Io.error_get_filename(e), path, 'filename');
    assertEqual(Io.error_get_filename2(e), null, 'no second filename');

    const s = Io.MemoryStream.new(null);
    s.close();
    assertEqual(Io.error_get_errno(assertIoError(CLOSED, () => s.read(1))), 0,
        'no errno for an error that is not an OS error');
});

run();
