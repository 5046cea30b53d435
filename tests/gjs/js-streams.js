// js-streams.js: Io.Stream subclasses written in JavaScript, for the suites
// that drive them from C
//
// SPDX-License-Identifier: LGPL-2.1-or-later

import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import Io from 'gi://Io?version=1';

/**
 * A seekable read-write stream over a growable Uint8Array that returns at
 * most `maxChunk` bytes per read, so every C loop has to call it several
 * times. It counts the calls each vfunc gets.
 */
export const ArrayStream = GObject.registerClass(
class ArrayStream extends Io.Stream {
    constructor(initial = new Uint8Array(0), maxChunk = 3) {
        super();
        this.data = Uint8Array.from(initial);
        this.position = 0;
        this.maxChunk = maxChunk;
        this.calls = {read_chunk: 0, write: 0, seek: 0, tell: 0, truncate: 0, flush: 0, close: 0};
    }

    get value() {
        return this.data;
    }

    vfunc_read_chunk(count) {
        this.calls.read_chunk++;
        const n = Math.max(0, Math.min(count, this.maxChunk, this.data.length - this.position));
        const chunk = this.data.slice(this.position, this.position + n);
        this.position += n;
        return new GLib.Bytes(chunk);
    }

    vfunc_write(buffer) {
        this.calls.write++;
        const n = Math.min(buffer.length, this.maxChunk);
        const end = this.position + n;
        if (end > this.data.length) {
            const grown = new Uint8Array(end);
            grown.set(this.data);
            this.data = grown;
        }
        this.data.set(buffer.subarray(0, n), this.position);
        this.position = end;
        return n;
    }

    vfunc_seek(offset, whence) {
        this.calls.seek++;
        const base = [0, this.position, this.data.length][whence];
        this.position = Math.max(0, base + offset);
        return this.position;
    }

    vfunc_tell() {
        this.calls.tell++;
        return this.position;
    }

    vfunc_truncate(size) {
        this.calls.truncate++;
        this.data = this.data.slice(0, size);
        return size;
    }

    vfunc_flush() {
        this.calls.flush++;
        return true;
    }

    vfunc_close() {
        this.calls.close++;
        return true;
    }
});

/**
 * A read-only, unseekable stream that yields `chunks` one per read as
 * Uint8Arrays, then calls `fail` (if given) instead of reporting the end.
 */
export const ChunkStream = GObject.registerClass(
class ChunkStream extends Io.Stream {
    constructor(chunks, fail = null) {
        super();
        this.chunks = chunks.map(c => Uint8Array.from(c));
        this.fail = fail;
    }

    vfunc_read_chunk(count) {
        if (this.chunks.length === 0)
            return this.fail ? this.fail() : new Uint8Array(0);
        const chunk = this.chunks[0];
        if (chunk.length <= count)
            return this.chunks.shift();
        this.chunks[0] = chunk.subarray(count);
        return chunk.subarray(0, count);
    }
});

/**
 * A write-only stream whose write vfunc is `write(buffer)`, for the tests
 * of what C makes of a misbehaving or failing implementation.
 */
export const SinkStream = GObject.registerClass(
class SinkStream extends Io.Stream {
    constructor(write) {
        super();
        this.write_impl = write;
    }

    vfunc_write(buffer) {
        return this.write_impl(buffer);
    }
});

/**
 * A stream that claims to be a terminal on descriptor 7 and answers peek
 * from its own lookahead, for the optional vfuncs.
 */
export const TerminalStream = GObject.registerClass(
class TerminalStream extends Io.Stream {
    vfunc_read_chunk(count) {
        return new Uint8Array(0);
    }

    vfunc_peek(count) {
        return new GLib.Bytes(new TextEncoder().encode('>>> '.slice(0, count)));
    }

    vfunc_isatty() {
        return true;
    }

    vfunc_fileno() {
        return 7;
    }
});
