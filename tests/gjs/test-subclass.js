// test-subclass.js: Io.Stream subclasses written in JavaScript, driven by the
// C loops of libstream (read/readall/readline/readlines/writelines/peek) and
// copied to and from an Io.MemoryStream
//
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Every JavaScript stream is closed explicitly: a stream that is still open
// when it is garbage-collected would be closed from its dispose, where GJS
// refuses to run the JavaScript flush/close vfuncs.

import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import Io from 'gi://Io?version=1';

import {ArrayStream, ChunkStream, SinkStream, TerminalStream} from './js-streams.js';
import {assertBytes, assertEqual, assertIoError, assertTrue, bytes, run, test} from './tap.js';

const {CLOSED, NOT_SUPPORTED, BUSY, FAILED} = Gio.IOErrorEnum;

test('a JS backend collected open is reported, not closed from the collector', () => {
    const script = GLib.build_filenamev([
        GLib.path_get_dirname(GLib.filename_from_uri(import.meta.url)[0]), 'drop-open-streams.js']);
    const child = Gio.Subprocess.new(['gjs', '-m', script],
        Gio.SubprocessFlags.STDOUT_PIPE | Gio.SubprocessFlags.STDERR_PIPE);
    const [, stdout, stderr] = child.communicate_utf8(null, null);
    assertTrue(child.get_successful(), `the child to exit cleanly, stderr: ${stderr}`);
    assertEqual(stderr.includes('during garbage collection'), false,
        `no JS callback during garbage collection, stderr: ${stderr}`);
    for (const type of ['Gjs_JsBackend', 'Gjs_JsBackendChild']) {
        assertTrue(new RegExp(`WARNING \\*\\*: [0-9:.]+: ${type} 0x[0-9a-f]+ was disposed while ` +
            'open and is left unclosed: a stream of this type must be closed explicitly with ' +
            'close\\(\\)\n').test(stderr), `the warning for ${type}, stderr: ${stderr}`);
    }
    assertEqual(stderr.includes('Gjs_JsFilter'), false, 'no warning for a class without JS vfuncs');
    assertEqual(stdout, "vfuncs run: []\nfilter's base closed: true\n", 'what ran and closed');
});

/** Runs `fn(stream)` and closes the stream whatever happens. */
function withStream(stream, fn) {
    try {
        fn(stream);
    } finally {
        stream.close();
    }
}

test('capabilities follow the vfuncs a JavaScript class implements', () => {
    withStream(new ArrayStream(), s => {
        assertTrue(s.readable() && s.writable() && s.seekable(), 'ArrayStream reads, writes, seeks');
    });
    withStream(new ChunkStream([]), s => {
        assertTrue(s.readable(), 'ChunkStream to be readable');
        assertEqual(s.writable(), false, 'ChunkStream writable()');
        assertEqual(s.seekable(), false, 'ChunkStream seekable()');
        assertIoError(NOT_SUPPORTED, () => s.write(bytes('x')));
        assertIoError(NOT_SUPPORTED, () => s.seek(0, Io.Whence.SET));
        assertIoError(NOT_SUPPORTED, () => s.tell());
        assertIoError(NOT_SUPPORTED, () => s.truncate(0));
        assertIoError(NOT_SUPPORTED, () => s.fileno());
    });
    withStream(new SinkStream(b => b.length), s => {
        assertEqual(s.readable(), false, 'SinkStream readable()');
        assertTrue(s.writable(), 'SinkStream to be writable');
        assertIoError(NOT_SUPPORTED, () => s.read(1));
    });
});

test('C read loops call vfunc_read_chunk until the request is filled', () => {
    withStream(new ArrayStream(bytes('0123456789')), s => {
        assertBytes(s.read(7), '0123456', 'read(7) over 3-byte chunks');
        assertEqual(s.calls.read_chunk, 3, 'read_chunk calls for read(7)');
        assertBytes(s.read1(7), '789', 'read1 makes a single call');
        assertEqual(s.calls.read_chunk, 4, 'read_chunk calls after read1');
        s.seek(0, Io.Whence.SET);
        const all = s.readall();
        assertTrue(all instanceof GLib.Bytes, 'readall() to return a GLib.Bytes');
        assertBytes(all, '0123456789', 'readall');
        assertTrue(s.calls.read_chunk >= 9, 'readall to loop in C');
        s.seek(-4, Io.Whence.END);
        assertBytes(s.read_bytes(-1), '6789', 'read_bytes(-1)');
    });
});

test('readline, readlines and readlines_joined run in C on a seekable JS stream', () => {
    withStream(new ArrayStream(bytes('alpha\nbeta\ngamma'), 4), s => {
        assertBytes(s.readline(-1), 'alpha\n', 'readline');
        assertEqual(s.tell(), 6, 'readline leaves the position after the newline');
        const lines = s.readlines(-1);
        assertEqual(lines.length, 2, 'readlines count');
        assertBytes(lines[0], 'beta\n');
        assertBytes(lines[1], 'gamma');
        s.seek(0, Io.Whence.SET);
        assertBytes(s.readlines_joined(-1), 'alpha\nbeta\ngamma', 'readlines_joined');
    });
});

test('readline and readlines on an unseekable JS stream lose no byte', () => {
    withStream(new ChunkStream([bytes('one\ntw'), bytes('o\nthree')]), s => {
        assertBytes(s.readline(-1), 'one\n', 'first line');
        assertBytes(s.readline_array(-1), 'two\n', 'a line across two chunks');
        assertBytes(s.readall(), 'three', 'the rest');
    });
});

test('peek on a JS stream does not move it', () => {
    withStream(new ArrayStream(bytes('abcdef')), s => {
        s.seek(1, Io.Whence.SET);
        assertBytes(s.peek(2), 'bc', 'peek(2)');
        assertEqual(s.tell(), 1, 'position after peek');
        assertBytes(s.read(2), 'bc', 'the peeked bytes are still there');
    });
});

test('C write loops call vfunc_write until everything is written', () => {
    withStream(new ArrayStream(new Uint8Array(0), 3), s => {
        assertEqual(s.write(bytes('0123456789')), 10, 'write returns the full count');
        assertEqual(s.calls.write, 4, 'vfunc_write calls for 10 bytes in 3-byte writes');
        assertEqual(s.write_bytes(new GLib.Bytes(bytes('ab'))), 2, 'write_bytes');
        assertTrue(s.writelines([new GLib.Bytes(bytes('\nx')), new GLib.Bytes(bytes('y\n'))]),
            'writelines');
        assertTrue(s.flush(), 'flush');
        assertEqual(s.calls.flush, 1, 'vfunc_flush calls');
        assertBytes(s.value, '0123456789ab\nxy\n');
    });
});

test('seek, tell and truncate reach the vfuncs with Io.Whence and 64-bit offsets', () => {
    withStream(new ArrayStream(bytes('abcdef')), s => {
        assertEqual(s.seek(2, Io.Whence.SET), 2, 'seek SET');
        assertEqual(s.seek(1, Io.Whence.CUR), 3, 'seek CUR');
        assertEqual(s.seek(-1, Io.Whence.END), 5, 'seek END');
        assertEqual(s.seek(2n ** 40n, Io.Whence.SET), 2 ** 40, 'a BigInt offset');
        assertEqual(s.tell(), 2 ** 40, 'tell');
        assertTrue(s.calls.seek >= 4 && s.calls.tell >= 1, 'the vfuncs to be called');
        assertEqual(s.truncate(3), 3, 'truncate');
        assertEqual(s.calls.truncate, 1, 'vfunc_truncate calls');
        assertBytes(s.value, 'abc');
        s.seek(0, Io.Whence.SET);
        assertBytes(s.read(-1), 'abc', 'the content after truncate');
    });
});

test('data round-trips between a JS stream and an Io.MemoryStream through C', () => {
    const text = 'first line\nsecond line\nthird\n';
    const memory = Io.MemoryStream.new(bytes(text));
    withStream(new ArrayStream(new Uint8Array(0), 5), js => {
        assertTrue(js.writelines(memory.readlines(-1)), 'MemoryStream lines into the JS stream');
        assertBytes(js.value, text, 'the JS stream after the copy');
        js.seek(0, Io.Whence.SET);
        const copy = new Io.MemoryStream();
        assertEqual(copy.write_bytes(js.readall()), text.length, 'the JS stream into a MemoryStream');
        assertBytes(copy.get_value(), text, 'the MemoryStream after the copy back');

        js.seek(0, Io.Whence.SET);
        const chunked = new Io.MemoryStream();
        for (let chunk = js.read1_bytes(4); chunk.get_size() > 0; chunk = js.read1_bytes(4))
            chunked.write_bytes(chunk);
        assertBytes(chunked.get_value(), text, 'a chunk-by-chunk copy');
    });
});

test('close calls vfunc_close once, and a closed JS stream never reaches its vfuncs', () => {
    const s = new ArrayStream(bytes('abc'));
    assertTrue(s.close(), 'close');
    assertTrue(s.close(), 'close again');
    assertEqual(s.calls.close, 1, 'vfunc_close calls');
    assertTrue(s.closed, 'closed');
    const before = JSON.stringify(s.calls);
    assertIoError(CLOSED, () => s.read(1));
    assertIoError(CLOSED, () => s.write(bytes('x')));
    assertIoError(CLOSED, () => s.seek(0, Io.Whence.SET));
    assertIoError(CLOSED, () => s.tell());
    assertIoError(CLOSED, () => s.flush());
    assertEqual(JSON.stringify(s.calls), before, 'no vfunc called after close');
});

test('a JS exception in vfunc_read_chunk reaches the caller, never a silent EOF', () => {
    const boom = () => {
        throw new Error('disk on fire');
    };
    withStream(new ChunkStream([], boom), s => {
        let caught = null;
        try {
            s.readall();
        } catch (e) {
            caught = e;
        }
        assertTrue(caught !== null, 'readall() to throw');
        assertTrue(String(caught).includes('disk on fire'), `the JS error, got ${caught}`);
    });
    withStream(new ChunkStream([bytes('ab'), bytes('cd')], boom), s => {
        assertBytes(s.read(-1), 'abcd', 'the bytes read before the failure are returned');
        let caught = null;
        try {
            s.read(-1);
        } catch (e) {
            caught = e;
        }
        assertTrue(String(caught).includes('disk on fire'), `the next read to throw, got ${caught}`);
    });
});

test('a GLib.Error thrown in a vfunc keeps its domain and code', () => {
    const busy = () => {
        throw new GLib.Error(Gio.IOErrorEnum, BUSY, 'backend busy');
    };
    withStream(new ChunkStream([], busy), s => {
        const e = assertIoError(BUSY, () => s.read(1));
        assertEqual(e.message, 'backend busy', 'message');
    });
    withStream(new SinkStream(busy), s => {
        assertIoError(BUSY, () => s.write(bytes('x')));
    });
});

test('a vfunc that returns nonsense fails with FAILED', () => {
    withStream(new ChunkStream([], () => null), s => {
        assertIoError(FAILED, () => s.read(1));
    });
    withStream(new ChunkStream([], () => bytes('too many bytes')), s => {
        const e = assertIoError(FAILED, () => s.read1(2));
        assertTrue(e.message.includes('more than'), `a message about the size, got "${e.message}"`);
    });
    withStream(new SinkStream(() => 0), s => {
        assertIoError(FAILED, () => s.write(bytes('x')));
    });
    withStream(new SinkStream(buffer => buffer.length + 5), s => {
        assertIoError(FAILED, () => s.write(bytes('x')));
    });
});

test('a JS exception in vfunc_write reaches the caller', () => {
    withStream(new SinkStream(() => {
        throw new TypeError('bad sink');
    }), s => {
        let caught = null;
        try {
            s.write(bytes('x'));
        } catch (e) {
            caught = e;
        }
        assertTrue(caught !== null && String(caught).includes('bad sink'),
            `write() to throw the JS error, got ${caught}`);
    });
});

test('isatty, fileno and peek reach the optional vfuncs', () => {
    withStream(new TerminalStream(), s => {
        assertEqual(s.isatty(), true, 'isatty()');
        assertEqual(s.fileno(), 7, 'fileno()');
        assertBytes(s.peek(2), '>>', 'peek(2)');
        assertBytes(s.read(-1), '', 'peek did not consume anything');
    });
    withStream(new ArrayStream(), s => {
        assertEqual(s.isatty(), false, 'the default isatty()');
        assertIoError(NOT_SUPPORTED, () => s.fileno());
    });
});

run();
