// test-fault-stream.js: Io.FaultStream from JavaScript: each injected
// fault is the GLib.Error a real backend throws, with its errno; short
// reads, ENOSPC after N bytes, random faults from a seed
//
// SPDX-License-Identifier: LGPL-2.1-or-later

import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import Io from 'gi://Io?version=1';

import {assertBytes, assertEqual, assertIoError, assertTrue, bytes, run, test} from './tap.js';

const {FAILED, WOULD_BLOCK, NO_SPACE} = Gio.IOErrorEnum;
const {READ, WRITE, FLUSH, SEEK, TELL, TRUNCATE, CLOSE} = Io.FaultOp;

// Linux's numbers.
const ERRORS = [
    {kind: Io.FaultKind.INTERRUPTED, errno: 4, code: FAILED},
    {kind: Io.FaultKind.WOULD_BLOCK, errno: 11, code: WOULD_BLOCK},
    {kind: Io.FaultKind.NO_SPACE, errno: 28, code: NO_SPACE},
    {kind: Io.FaultKind.FAIL, errno: 5, code: FAILED},
];

const CALLS = [
    [READ, s => s.read1(4)],
    [WRITE, s => s.write(bytes('WXYZ'))],
    [FLUSH, s => s.flush()],
    [SEEK, s => s.seek(2, Io.Whence.SET)],
    [TELL, s => s.tell()],
    [TRUNCATE, s => s.truncate(5)],
    [CLOSE, s => s.close()],
];

const memory = text => new Io.MemoryStream({initial_bytes: new GLib.Bytes(bytes(text))});

function assertOsError(error, {errno, code}) {
    assertTrue(error.matches(Gio.IOErrorEnum, code), `code ${code}: ${error.message}`);
    assertEqual(Io.error_get_errno(error), errno, 'errno');
    assertEqual(error.message, `[Errno ${errno}] ${GLib.strerror(errno)}`, 'message');
}

test('new() without a base injects faults in front of its own memory', () => {
    const s = Io.FaultStream.new(null);
    assertTrue(s.base_stream instanceof Io.MemoryStream, 'base is a memory stream');
    const t = new Io.FaultStream();
    assertTrue(t.base_stream instanceof Io.MemoryStream, 'so does the GObject constructor');
    const base = memory('abc');
    assertTrue(new Io.FaultStream({base_stream: base}).base_stream === base, 'given base');
});

test('every error kind on every operation is the backend\'s error', () => {
    for (const err of ERRORS) {
        for (const [op, call] of CALLS) {
            const s = Io.FaultStream.new(memory('hello, world'));
            s.add_fault(op, err.kind, 0, -1, 0, 1);
            assertOsError(assertIoError(err.code, () => call(s)), err);
            assertEqual(s.get_faults(op), 1, 'faults');
            if (op === CLOSE) {
                assertTrue(s.closed && s.base_stream.closed, 'closed, base too');
                continue;
            }
            assertBytes(s.base_stream.get_value(), 'hello, world', 'nothing changed');
            call(s);
            assertEqual(s.get_calls(op), 2, 'calls');
            s.close();
        }
    }
});

test('a short read shows in read1(), read() loops over it', () => {
    const s = Io.FaultStream.new(memory('hello, world'));
    s.add_fault(READ, Io.FaultKind.SHORT, 0, -1, 3, 1);
    assertBytes(s.read1(8), 'hel', 'short read1');
    s.add_fault(READ, Io.FaultKind.SHORT, 0, -1, 1, 4);
    assertBytes(s.read_bytes(6), 'lo, wo', 'read() over short reads');
    assertEqual(s.get_faults(READ), 5, 'faults');
    s.close();
});

test('ENOSPC after N bytes: a partial write, then the error', () => {
    const s = Io.FaultStream.new(null);
    s.add_fault(WRITE, Io.FaultKind.NO_SPACE, 0, 6, 0, 0);
    assertEqual(s.write(bytes('abcd')), 4, 'first write');
    assertEqual(s.write(bytes('efgh')), 2, 'the write that fills the disk');
    assertOsError(assertIoError(NO_SPACE, () => s.write(bytes('i'))), ERRORS[2]);
    assertBytes(s.base_stream.get_value(), 'abcdef', 'content');
    assertEqual(s.get_offset(), 6, 'offset');
    s.close();
});

test('random faults replay from their seed', () => {
    const runOnce = seed => {
        const s = Io.FaultStream.new(null);
        s.set_random(seed, 0.3, READ | WRITE | SEEK | FLUSH, Io.FaultKind.ALL);
        const log = [];
        for (let i = 0; i < 120; i++) {
            try {
                if (i % 3 === 0)
                    log.push(s.write(bytes('0123456789')));
                else if (i % 3 === 1)
                    log.push(s.seek(-4, Io.Whence.CUR));
                else
                    log.push(s.read1(10).length);
            } catch (e) {
                log.push(`errno ${Io.error_get_errno(e)}`);
            }
        }
        s.clear();
        s.close();
        return log.join(' ');
    };
    const first = runOnce(5);
    assertEqual(runOnce(5), first, 'same seed, same faults');
    assertTrue(runOnce(6) !== first, 'another seed, other faults');
    for (const errno of [4, 5, 11, 28])
        assertTrue(first.includes(`errno ${errno}`), `errno ${errno} came up`);
});

run();
