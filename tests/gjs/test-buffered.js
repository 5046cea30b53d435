// test-buffered.js: a raw stream written in JavaScript under the C
// buffered layers, and io_open() from GJS
//
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Every layer is closed explicitly, which closes its JavaScript raw: GJS
// refuses to run JavaScript vfuncs from a dispose.

import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import Io from 'gi://Io?version=1';

import {ArrayStream, SinkStream} from './js-streams.js';
import {assertBytes, assertEqual, assertIoError, assertTrue, bytes, run, test} from './tap.js';

const {CLOSED, INVALID_ARGUMENT, NOT_SUPPORTED, NO_SPACE} = Gio.IOErrorEnum;

/** An ArrayStream whose writes fail once `full` is set, like a full disk. */
const FullDiskStream = GObject.registerClass(
class FullDiskStream extends ArrayStream {
    vfunc_write(buffer) {
        if (this.full)
            throw new GLib.Error(Gio.IOErrorEnum, NO_SPACE, 'disk full');
        return super.vfunc_write(buffer);
    }
});

test('a BufferedReader over a JavaScript raw reads it a buffer at a time', () => {
    const raw = new ArrayStream(bytes('one\ntwo\nthree\n'), 5);
    const reader = Io.BufferedReader.new(raw, 8);
    try {
        assertTrue(reader.raw === raw, 'raw to be the JavaScript stream');
        assertEqual(reader.buffer_size, 8, 'buffer_size');
        assertBytes(reader.read(2), 'on', 'read(2)');
        assertEqual(raw.calls.read_chunk, 1, 'raw reads after the first read');
        assertBytes(reader.peek(10), 'e\nt', 'peek shows the buffer');
        assertEqual(raw.calls.read_chunk, 1, 'raw reads after peek');
        assertBytes(reader.readline(-1), 'e\n', 'readline from the buffer');
        assertEqual(reader.tell(), 4, 'tell: raw position less the bytes read ahead');
        assertBytes(reader.read1(-1), 't', 'read1 serves the buffer first');
        assertEqual(raw.calls.read_chunk, 1, 'raw reads after read1 from the buffer');
        assertBytes(reader.read1(-1), 'wo\nth', 'then makes one raw read');
        assertEqual(raw.calls.read_chunk, 2, 'raw reads after read1');
        const lines = reader.readlines(-1);
        assertEqual(lines.length, 1, 'readlines count');
        assertBytes(lines[0], 'ree\n');
        assertEqual(reader.getc(), -1, 'getc at the end');
        assertEqual(reader.seek(4, Io.Whence.SET), 4, 'seek');
        assertBytes(reader.read(3), 'two', 'read after seek');
    } finally {
        reader.close();
    }
    assertEqual(raw.calls.close, 1, 'closing the reader closes the raw');
});

test('a BufferedWriter over a JavaScript raw copies small writes', () => {
    const raw = new ArrayStream(new Uint8Array(0), 3);
    const writer = Io.BufferedWriter.new(raw, 16);
    try {
        assertEqual(writer.write(bytes('hello ')), 6, 'write');
        assertEqual(writer.write(bytes('world')), 5, 'write');
        assertEqual(raw.calls.write, 0, 'raw writes before the flush');
        assertEqual(writer.tell(), 11, 'tell counts the pending bytes');
        assertTrue(writer.flush(), 'flush');
        assertEqual(raw.calls.write, 4, 'short raw writes retried');
        assertBytes(raw.value, 'hello world', 'raw content');
        assertEqual(writer.write(bytes('0123456789abcdefXYZ')), 19, 'large write');
        assertBytes(raw.value, 'hello world0123456789abcdefXYZ', 'written through');
        const back = writer.detach();
        assertTrue(back === raw, 'detach gives the raw back');
        assertIoError(CLOSED, () => writer.write(bytes('x')));
    } finally {
        raw.close();
    }
});

test('closing a writer whose flush fails closes the raw and throws', () => {
    const raw = new FullDiskStream();
    const writer = Io.BufferedWriter.new(raw, Io.DEFAULT_BUFFER_SIZE);
    writer.write(bytes('lost'));
    raw.full = true;
    assertIoError(NO_SPACE, () => writer.close());
    assertTrue(writer.closed, 'the writer to be closed');
    assertEqual(raw.calls.close, 1, 'raw close calls');
    assertTrue(raw.closed, 'the raw to be closed');
});

test('constructors refuse what CPython refuses', () => {
    const raw = new ArrayStream();
    try {
        assertIoError(INVALID_ARGUMENT, () => Io.BufferedReader.new(raw, 0));
        const sink = new SinkStream(b => b.length);
        assertIoError(NOT_SUPPORTED, () => Io.BufferedReader.new(sink, 8));
        sink.close();
    } finally {
        raw.close();
    }
});

test('Io.open opens files as Python open() does in binary mode', () => {
    const dir = GLib.dir_make_tmp('gjs-buffered-XXXXXX');
    const path = GLib.build_filenamev([dir, 'file']);
    const writer = Io.open(path, 'wb', -1);
    assertTrue(writer instanceof Io.BufferedWriter, 'wb gives a BufferedWriter');
    writer.write(bytes('gjs\n'));
    writer.close();
    const reader = Io.open(path, 'rb', -1);
    assertTrue(reader instanceof Io.BufferedReader, 'rb gives a BufferedReader');
    assertBytes(reader.readline(-1), 'gjs\n', 'readline');
    reader.close();
    const random = Io.open(path, 'r+b', 0);
    assertTrue(random instanceof Io.FileStream, 'buffering 0 gives the raw file');
    random.close();
    assertIoError(NOT_SUPPORTED, () => Io.open(path, 'r', -1));
    GLib.unlink(path);
    GLib.rmdir(dir);
});

run();
