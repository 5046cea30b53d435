// test-async.js: the asynchronous methods from GJS with Gio._promisify and
// await, on a memory stream, a file and a pipe; cancellation; 256 MiB
// through a pipe in the main loop with no GTask thread
//
// SPDX-License-Identifier: LGPL-2.1-or-later

import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import Io from 'gi://Io?version=1';

import {assertBytes, assertEqual, assertTrue, bytes} from './tap.js';

const PAIRS = ['read_bytes', 'read1_bytes', 'readall', 'readline', 'write_bytes', 'write_all',
    'flush', 'close'];
for (const name of PAIRS)
    Gio._promisify(Io.Stream.prototype, `${name}_async`, `${name}_finish`);

const PRIORITY = GLib.PRIORITY_DEFAULT;

/**
 * Fails unless `promise` rejects with a GLib.Error in G_IO_ERROR with `code`.
 *
 * @param {number} code - a Gio.IOErrorEnum value
 * @param {Promise} promise - the operation
 */
async function assertRejects(code, promise) {
    let result;
    try {
        result = await promise;
    } catch (e) {
        assertTrue(e instanceof GLib.Error, `${e} is a GLib.Error`);
        assertTrue(e.matches(Gio.IOErrorEnum, code), `${e} has code ${code}`);
        return;
    }
    throw new Error(`expected Gio.IOErrorEnum code ${code}, got ${result}`);
}

/** @returns {string[]} the names of the process's threads */
function threadNames() {
    const tasks = Gio.File.new_for_path('/proc/self/task')
        .enumerate_children('standard::name', Gio.FileQueryInfoFlags.NONE, null);
    const names = [];
    for (let info; (info = tasks.next_file(null)) !== null;) {
        const [, comm] = GLib.file_get_contents(`/proc/self/task/${info.get_name()}/comm`);
        names.push(new TextDecoder().decode(comm).trim());
    }
    tasks.close(null);
    return names;
}

/**
 * Every operation: writes on `writer`, then reads back on `reader`.
 *
 * @param {Io.Stream} reader - reads what `writer` wrote
 * @param {Io.Stream} writer - the same stream for a seekable one
 */
async function everyOp(reader, writer) {
    assertEqual(await writer.write_bytes_async(bytes('one\n'), PRIORITY, null), 4);
    const [written] = await writer.write_all_async(bytes('two\nthree'), PRIORITY, null);
    assertEqual(written, 9, 'bytes_written');
    assertEqual(await writer.flush_async(PRIORITY, null), true);
    if (reader === writer)
        reader.seek(0, Io.Whence.SET);
    else
        assertEqual(await writer.close_async(PRIORITY, null), true);

    assertBytes(await reader.readline_async(-1, PRIORITY, null), 'one\n');
    assertBytes(await reader.read_bytes_async(2, PRIORITY, null), 'tw');
    assertBytes(await reader.read1_bytes_async(1, PRIORITY, null), 'o');
    assertBytes(await reader.readall_async(PRIORITY, null), '\nthree');
    assertBytes(await reader.read_bytes_async(5, PRIORITY, null), '');
    assertEqual(await reader.close_async(PRIORITY, null), true);
    assertTrue(reader.is_closed(), 'closed');
}

const tests = [];
const test = (name, fn) => tests.push({name, fn});

// First, while no GTask thread has run in the process: the pipe is served
// by the main loop alone, 256 MiB in 1 MiB writes and 64 KiB reads (about
// 3 s of processor time, most of it in the JS side of each await).
test('a big transfer through a pipe runs on no GTask thread', async () => {
    const total = 256 * 1024 * 1024;
    const chunk = new Uint8Array(1024 * 1024);
    const [, reader, writer] = Io.PipeStream.new_pair();
    assertTrue(!threadNames().some(n => n.startsWith('pool-')), 'no pool thread before');

    const write = (async () => {
        for (let sent = 0; sent < total; sent += chunk.length) {
            chunk.fill(sent / chunk.length & 0xff);
            // eslint-disable-next-line no-await-in-loop
            const [written] = await writer.write_all_async(chunk, PRIORITY, null);
            assertEqual(written, chunk.length, 'written');
        }
        writer.close();
    })();
    let received = 0;
    for (;;) {
        // eslint-disable-next-line no-await-in-loop
        const data = (await reader.read1_bytes_async(65536, PRIORITY, null)).toArray();
        if (data.length === 0)
            break;
        assertEqual(data[0], received / chunk.length & 0xff, `byte ${received}`);
        received += data.length;
    }
    await write;
    reader.close();
    assertEqual(received, total, 'bytes received');
    assertTrue(!threadNames().some(n => n.startsWith('pool-')), 'no pool thread after');
});

test('every operation on a memory stream', () => {
    const stream = new Io.MemoryStream();
    return everyOp(stream, stream);
});

test('every operation on a file', async () => {
    const [fd, path] = GLib.file_open_tmp('libstream-gjs-XXXXXX');
    GLib.close(fd);
    try {
        const stream = Io.FileStream.new(path, 'w+');
        await everyOp(stream, stream);
    } finally {
        GLib.unlink(path);
    }
});

test('every operation on a pipe', () => {
    const [, reader, writer] = Io.PipeStream.new_pair();
    return everyOp(reader, writer);
});

test('a cancelled cancellable moves nothing, the memory stream included', async () => {
    const cancellable = new Gio.Cancellable();
    cancellable.cancel();
    const stream = new Io.MemoryStream({initial_bytes: bytes('abc')});
    await assertRejects(Gio.IOErrorEnum.CANCELLED,
        stream.read_bytes_async(2, PRIORITY, cancellable));
    await assertRejects(Gio.IOErrorEnum.CANCELLED,
        stream.write_all_async(bytes('x'), PRIORITY, cancellable));
    assertEqual(stream.tell(), 0, 'position');
    assertBytes(await stream.readall_async(PRIORITY, null), 'abc');
});

// With no byte written, only the cancellation can end the read.
test('a cancel from a timeout ends a read waiting on an empty pipe at once', async () => {
    const [, reader, writer] = Io.PipeStream.new_pair();
    const cancellable = new Gio.Cancellable();
    let settled = false, waitingAtCancel = false;
    const read = reader.read_bytes_async(10, PRIORITY, cancellable);
    read.then(() => (settled = true), () => (settled = true));
    GLib.timeout_add(PRIORITY, 20, () => {
        waitingAtCancel = !settled;
        cancellable.cancel();
        return GLib.SOURCE_REMOVE;
    });
    await assertRejects(Gio.IOErrorEnum.CANCELLED, read);
    assertTrue(waitingAtCancel, 'the read was still waiting when the timeout ran');
    writer.write(bytes('x\n'));
    assertBytes(await reader.readline_async(-1, PRIORITY, null), 'x\n');
    reader.close();
    writer.close();
});

test('a second operation fails with PENDING until the first one ends', async () => {
    const stream = new Io.MemoryStream({initial_bytes: bytes('ab')});
    const first = stream.read_bytes_async(1, PRIORITY, null);
    const second = stream.read_bytes_async(1, PRIORITY, null);
    let error = null;
    try {
        stream.read(1);
    } catch (e) {
        error = e;
    }
    assertTrue(error?.matches(Gio.IOErrorEnum, Gio.IOErrorEnum.PENDING),
        `sync read is PENDING, not ${error}`);
    await assertRejects(Gio.IOErrorEnum.PENDING, second);
    assertBytes(await first, 'a');
    assertBytes(stream.read_bytes(1), 'b');
});

// The TAP runner, for async tests: each runs in the main loop in turn.
const loop = new GLib.MainLoop(null, false);
let failed = 0;
(async () => {
    print(`1..${tests.length}`);
    for (const [i, {name, fn}] of tests.entries()) {
        try {
            // eslint-disable-next-line no-await-in-loop
            await fn();
            print(`ok ${i + 1} - ${name}`);
        } catch (e) {
            failed++;
            print(`not ok ${i + 1} - ${name}`);
            for (const line of `${e}\n${e.stack ?? ''}`.trimEnd().split('\n'))
                print(`#   ${line}`);
        }
    }
})().finally(() => loop.quit());
loop.run();
if (failed > 0)
    imports.system.exit(1);
