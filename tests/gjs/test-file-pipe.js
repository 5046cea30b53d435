// test-file-pipe.js: Io.FileStream and Io.PipeStream from GJS: open, write,
// seek (BigInt offsets past 4 GiB), read, truncate, the errors, a pipe pair
// and a round trip through a child process (cat)
//
// SPDX-License-Identifier: LGPL-2.1-or-later

import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import Io from 'gi://Io?version=1';

import {
    assertBytes, assertEqual, assertIoError, assertTrue, bytes, run, test, withTempFile,
} from './tap.js';

/**
 * Runs `fn` with `stream` and closes the stream afterwards whatever happens
 * (GJS cannot run the stream's teardown during garbage collection).
 *
 * @param {Io.Stream} stream - the stream to hand over and close
 * @param {Function} fn - called with the stream
 * @returns {*} what `fn` returns
 */
function using(stream, fn) {
    try {
        return fn(stream);
    } finally {
        if (!stream.is_closed())
            stream.close();
    }
}

/** The whole content of the file at `path`, read through GLib. */
const contents = path => GLib.file_get_contents(path)[1];

test('write, seek, tell and read back with w+', () => withTempFile(path => {
    using(Io.FileStream.new(path, 'w+'), f => {
        assertTrue(f instanceof Io.FileStream, 'new() to return an Io.FileStream');
        assertTrue(f instanceof Io.Stream, 'a FileStream to be an Io.Stream');
        assertEqual(f.readable(), true, 'readable()');
        assertEqual(f.writable(), true, 'writable()');
        assertEqual(f.seekable(), true, 'seekable()');
        assertEqual(f.write(bytes('hello world')), 11, 'write() count');
        assertEqual(f.tell(), 11, 'tell() after the write');
        assertEqual(f.seek(0, Io.Whence.SET), 0, 'seek(0, SET)');
        assertBytes(f.read(5), 'hello', 'read(5)');
        assertEqual(f.seek(1, Io.Whence.CUR), 6, 'seek(1, CUR)');
        assertBytes(f.read(-1), 'world', 'read(-1)');
        assertBytes(f.read(10), '', 'read at EOF');
        assertEqual(f.seek(-5, Io.Whence.END), 6, 'seek(-5, END)');
        assertEqual(f.write(bytes('WORLD')), 5, 'overwrite');
        assertEqual(f.seek(0, Io.Whence.SET), 0, 'rewind');
        assertBytes(f.readall(), 'hello WORLD', 'readall()');
        assertEqual(f.fileno(), f.fd, 'fileno() is the fd property');
        assertEqual(f.isatty(), false, 'isatty()');
        assertEqual(f.flush(), true, 'flush()');
    });
    assertBytes(contents(path), 'hello WORLD', 'the file on disk');
}));

test('modes r, a, x and their normalised names', () => withTempFile(path => {
    GLib.file_set_contents(path, bytes('line 1\n'));
    using(Io.FileStream.new(path, 'r'), f => {
        assertEqual(f.mode, 'rb', 'mode of r');
        assertEqual(f.get_mode(), 'rb', 'get_mode()');
        assertEqual(f.name, path, 'name property');
        assertEqual(f.closefd, true, 'closefd property');
        assertEqual(f.writable(), false, 'an r stream is not writable');
        assertBytes(f.readline(-1), 'line 1\n', 'readline()');
        assertIoError(Gio.IOErrorEnum.NOT_SUPPORTED, () => f.write(bytes('x')));
    });
    using(Io.FileStream.new(path, 'ab'), f => {
        assertEqual(f.mode, 'ab', 'mode of ab');
        f.seek(0, Io.Whence.SET);
        f.write(bytes('line 2\n'));
        assertEqual(f.tell(), 14, 'an append lands at the end whatever the position');
        assertEqual(f.readable(), false, 'an a stream is not readable');
    });
    using(Io.FileStream.new(path, 'a+'), f => {
        assertEqual(f.mode, 'ab+', 'mode of a+');
        f.write(bytes('line 3\n'));
        f.seek(0, Io.Whence.SET);
        const lines = f.readlines(-1);
        assertEqual(lines.length, 3, 'lines in the appended file');
        assertBytes(lines[2], 'line 3\n', 'the last line');
    });
    using(Io.FileStream.new(path, 'w'), f => {
        assertEqual(f.mode, 'wb', 'mode of w');
        assertEqual(f.readable(), false, 'a w stream is not readable');
    });
    assertBytes(contents(path), '', 'w truncates the file');
    using(Io.FileStream.new(path, 'r+'), f => assertEqual(f.mode, 'rb+', 'mode of r+'));

    const fresh = `${path}.x`;
    try {
        using(Io.FileStream.new_full(fresh, 'x+', 0o600), f => {
            assertEqual(f.mode, 'xb+', 'mode of x+');
            f.write(bytes('new'));
        });
        assertBytes(contents(fresh), 'new', 'the file x created');
        assertEqual(Gio.File.new_for_path(fresh).query_info('unix::mode', 0, null)
            .get_attribute_uint32('unix::mode') & 0o777, 0o600, 'creation mode');
        assertIoError(Gio.IOErrorEnum.EXISTS, () => Io.FileStream.new(fresh, 'x'));
    } finally {
        GLib.unlink(fresh);
    }
}));

test('BigInt offsets beyond 4 GiB on a sparse file', () => withTempFile(path => {
    const far = 5n * 2n ** 30n + 3n;
    using(Io.FileStream.new(path, 'w+'), f => {
        assertEqual(f.seek(far, Io.Whence.SET), Number(far), 'seek(BigInt, SET)');
        assertEqual(f.write(bytes('end')), 3, 'write past 4 GiB');
        assertEqual(f.tell(), Number(far) + 3, 'tell() past 4 GiB');
        assertEqual(f.seek(0n, Io.Whence.END), Number(far) + 3, 'seek(0n, END) is the size');
        assertEqual(f.seek(-3n, Io.Whence.CUR), Number(far), 'seek(-3n, CUR)');
        assertBytes(f.read(10), 'end', 'read back past 4 GiB');
        assertEqual(f.seek(far - 2n, Io.Whence.SET), Number(far) - 2, 'seek into the hole');
        assertBytes(f.read(4), new Uint8Array([0, 0, 0x65, 0x6e]), 'the hole reads as zeros');
        assertIoError(Gio.IOErrorEnum.INVALID_ARGUMENT, () => f.seek(-1n, Io.Whence.SET));
    });
}));

test('truncate extends with zeros and keeps the position', () => withTempFile(path => {
    using(Io.FileStream.new(path, 'w+'), f => {
        f.write(bytes('abc'));
        assertEqual(f.truncate(6), 6, 'truncate(6) extends');
        assertEqual(f.tell(), 3, 'the position after extending');
        f.seek(0, Io.Whence.SET);
        assertBytes(f.read(-1), new Uint8Array([0x61, 0x62, 0x63, 0, 0, 0]), 'zero-extended');
        f.seek(2, Io.Whence.SET);
        assertEqual(f.truncate(-1), 2, 'truncate(-1) cuts at the position');
        assertEqual(f.seek(0, Io.Whence.END), 2, 'the size after truncate(-1)');
    });
    assertBytes(contents(path), 'ab', 'the file on disk');
}));

test('errors: missing file, bad mode, directory, closed stream', () => withTempFile(path => {
    const missing = GLib.build_filenamev([GLib.get_tmp_dir(), 'libstream-gjs-no-such-dir', 'f']);
    const e = assertIoError(Gio.IOErrorEnum.NOT_FOUND, () => Io.FileStream.new(missing, 'r'));
    assertTrue(e.message.length > 0, 'a message');
    for (const mode of ['rw', 'q', 'rt', 'r++', ''])
        assertIoError(Gio.IOErrorEnum.INVALID_ARGUMENT, () => Io.FileStream.new(path, mode));
    assertIoError(Gio.IOErrorEnum.IS_DIRECTORY, () => Io.FileStream.new(GLib.get_tmp_dir(), 'w'));

    const f = Io.FileStream.new(path, 'r+');
    f.close();
    assertEqual(f.is_closed(), true, 'is_closed()');
    assertEqual(f.closed, true, 'closed property');
    assertEqual(f.mode, 'rb+', 'mode once closed');
    assertEqual(f.fd, -1, 'fd once closed');
    assertEqual(f.close(), true, 'a second close is a no-op');
    assertIoError(Gio.IOErrorEnum.CLOSED, () => f.read(1));
    assertIoError(Gio.IOErrorEnum.CLOSED, () => f.write(bytes('x')));
    assertIoError(Gio.IOErrorEnum.CLOSED, () => f.seek(0, Io.Whence.SET));
    assertIoError(Gio.IOErrorEnum.CLOSED, () => f.tell());
}));

test('new_for_fd wraps a descriptor and closefd decides who closes it', () => withTempFile(path => {
    GLib.file_set_contents(path, bytes('wrapped'));
    using(Io.FileStream.new(path, 'r'), owner => {
        using(Io.FileStream.new_for_fd(owner.fd, 'r', false), f => {
            assertEqual(f.closefd, false, 'closefd property');
            assertBytes(f.read(-1), 'wrapped', 'read through the wrapper');
        });
        assertEqual(owner.seek(0, Io.Whence.SET), 0, 'the descriptor is still open');
        assertBytes(owner.read(4), 'wrap', 'and still reads');
    });
}));

test('a pipe pair: round trip, EOF after the writer closes, no seeking', () => {
    const [ok, reader, writer] = Io.PipeStream.new_pair();
    assertEqual(ok, true, 'new_pair() leading boolean');
    using(reader, r => using(writer, w => {
        assertTrue(r instanceof Io.PipeStream && w instanceof Io.PipeStream, 'two PipeStreams');
        assertEqual(r.readable(), true, 'the reader is readable');
        assertEqual(r.writable(), false, 'the reader is not writable');
        assertEqual(w.writable(), true, 'the writer is writable');
        assertEqual(r.seekable(), false, 'a pipe is not seekable');
        assertEqual(w.write(bytes('through the pipe')), 16, 'write()');
        assertBytes(r.read(7), 'through', 'a short read');
        assertIoError(Gio.IOErrorEnum.NOT_SUPPORTED, () => r.seek(0, Io.Whence.SET));
        assertIoError(Gio.IOErrorEnum.NOT_SUPPORTED, () => r.tell());
        assertIoError(Gio.IOErrorEnum.NOT_SUPPORTED, () => w.truncate(0));
        w.close();
        assertBytes(r.readall(), ' the pipe', 'readall() up to EOF');
        assertBytes(r.read(10), '', 'EOF once the writer is closed');
    }));
    assertEqual(reader.is_closed() && writer.is_closed(), true, 'both ends closed');
});

test('a broken pipe fails with BROKEN_PIPE instead of killing the process', () => {
    const [, reader, writer] = Io.PipeStream.new_pair();
    reader.close();
    using(writer, w => assertIoError(Gio.IOErrorEnum.BROKEN_PIPE, () => w.write(bytes('lost'))));
});

test('a round trip through cat spawned with PipeStream.spawn', () => {
    const [ok, stdin, stdout, stderr, pid] = Io.PipeStream.spawn(['cat'], null, Io.SpawnStderr.PIPE);
    assertEqual(ok, true, 'spawn() leading boolean');
    assertTrue(pid > 0, 'a child pid');
    const lines = Array.from({length: 2000}, (_, i) => `line ${i} ${'x'.repeat(i % 50)}\n`);
    const expected = lines.join('');
    const received = [];
    using(stderr, () => using(stdout, out => {
        using(stdin, input => {
            assertEqual(input.writable(), true, 'the child stdin is writable');
            assertEqual(out.readable(), true, 'the child stdout is readable');
            // Lines in batches that fit the pipe buffer, each read back
            // before the next, so cat never blocks on a full stdout while
            // we are still writing.
            for (let i = 0; i < lines.length; i += 100) {
                const chunk = bytes(lines.slice(i, i + 100).join(''));
                let done = 0;
                while (done < chunk.length)
                    done += input.write(chunk.subarray(done));
                let got = 0;
                while (got < chunk.length) {
                    const part = out.read(chunk.length - got);
                    assertTrue(part.length > 0, 'cat to echo before EOF');
                    received.push(part);
                    got += part.length;
                }
            }
            input.write(bytes('tail without newline'));
        });
        received.push(out.readall().toArray());
        assertBytes(out.read(1), '', 'EOF after cat exits');
    }));
    assertTrue(expected.length > 65536, 'enough data for several pipe buffers');
    assertBytes(concat(received), `${expected}tail without newline`, 'everything cat echoed');

    const status = waitChild(pid);
    assertEqual(GLib.spawn_check_wait_status(status), true, 'cat exits with status 0');
});

test('spawn: a child stdout read whole after closing its stdin', () => {
    const [, stdin, stdout, stderr, pid] = Io.PipeStream.spawn(['cat'], GLib.get_tmp_dir(), Io.SpawnStderr.PIPE);
    const text = 'alpha\nbeta\ngamma\n';
    using(stdin, input => input.write(bytes(text)));
    const got = using(stderr, () => using(stdout, out => {
        const lines = out.readlines(-1);
        assertBytes(out.read(1), '', 'EOF after readlines');
        return lines;
    }));
    assertEqual(got.length, 3, 'lines read from cat');
    assertBytes(got[1], 'beta\n', 'the second line');
    assertEqual(GLib.spawn_check_wait_status(waitChild(pid)), true, 'cat exits cleanly');
});

/**
 * Asserts that spawning `argv` in `cwd` throws the Gio.IOErrorEnum `code`
 * with `errno` and the `filename` subprocess's OSError names.
 */
function assertSpawnFails(argv, cwd, code, errno, filename) {
    let error = null;
    try {
        Io.PipeStream.spawn(argv, cwd, Io.SpawnStderr.PIPE);
    } catch (e) {
        error = e;
    }
    assertTrue(error instanceof GLib.Error, `spawn(${argv}) to throw a GLib.Error`);
    assertTrue(error.matches(Gio.IOErrorEnum, code), `Gio.IOErrorEnum ${code}, got ${error}`);
    assertEqual(Io.error_get_errno(error), errno, 'the errno');
    assertEqual(Io.error_get_filename(error), filename, 'the filename');
}

test('spawn: a child that cannot start throws the IOError of its errno', () => {
    assertSpawnFails(['libstream-gjs-no-such-program'], null, Gio.IOErrorEnum.NOT_FOUND, 2,
        'libstream-gjs-no-such-program');
    assertSpawnFails(['/etc/passwd'], null, Gio.IOErrorEnum.PERMISSION_DENIED, 13, '/etc/passwd');
    assertSpawnFails(['true'], '/nonexistent/directory', Gio.IOErrorEnum.NOT_FOUND, 2,
        '/nonexistent/directory');
});

test('spawn: stderr merged into stdout, then wait() and get_returncode()', () => {
    const [, stdin, stdout, stderr] = Io.PipeStream.spawn(
        ['sh', '-c', 'echo out; echo err >&2; exit 6'], null, Io.SpawnStderr.STDOUT);
    assertEqual(stderr, null, 'no stderr stream when merged');
    using(stdin, () => using(stdout, out => {
        assertEqual(out.get_returncode()[0], false, 'no return code before wait()');
        assertBytes(out.readall().toArray(), 'out\nerr\n', 'both streams in one pipe');
        const [, code] = out.wait();
        assertEqual(code, 6, 'the exit status');
        assertEqual(stdin.get_returncode()[1], 6, 'the other stream knows it too');
    }));
});

test('spawn: stderr to /dev/null, and a child killed by a signal', () => {
    const [, stdin, stdout, stderr] = Io.PipeStream.spawn(
        ['sh', '-c', 'echo err >&2; kill -TERM $$'], null, Io.SpawnStderr.DEVNULL);
    assertEqual(stderr, null, 'no stderr stream for /dev/null');
    using(stdin, () => using(stdout, out => {
        assertBytes(out.readall().toArray(), '', 'nothing on stdout');
        assertEqual(out.wait()[1], -15, 'minus SIGTERM');
    }));
});

/** The bytes of several Uint8Arrays, in order. */
function concat(parts) {
    const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
        all.set(p, at);
        at += p.length;
    }
    return all;
}

/**
 * Reaps a child with a child watch and returns its wait status; fails
 * after 10 s rather than hanging.
 *
 * @param {number} pid - the child
 * @returns {number} the wait status
 */
function waitChild(pid) {
    const loop = new GLib.MainLoop(null, false);
    let status = null;
    GLib.child_watch_add(GLib.PRIORITY_DEFAULT, pid, (_pid, waitStatus) => {
        status = waitStatus;
        GLib.spawn_close_pid(pid);
        loop.quit();
    });
    const timeout = GLib.timeout_add_seconds(GLib.PRIORITY_DEFAULT, 10, () => {
        loop.quit();
        return GLib.SOURCE_REMOVE;
    });
    loop.run();
    if (status === null)
        throw new Error(`child ${pid} did not exit within 10 s`);
    GLib.source_remove(timeout);
    return status;
}

run();
