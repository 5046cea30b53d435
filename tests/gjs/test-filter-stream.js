// test-filter-stream.js: Io.FilterStream from JavaScript: a pass-through
// filter over an Io.MemoryStream, a JavaScript subclass that transforms
// what it reads, close-base and detach()
//
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Every JavaScript filter is closed explicitly (see test-subclass.js).

import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import Io from 'gi://Io?version=1';

import {assertBytes, assertEqual, assertIoError, assertTrue, bytes, run, test} from './tap.js';

const {CLOSED, NOT_SUPPORTED} = Gio.IOErrorEnum;

/** Upper-cases the ASCII letters it reads from its base. */
const UpperFilter = GObject.registerClass(
class UpperFilter extends Io.FilterStream {
    vfunc_read_chunk(count) {
        const data = this.base_stream.read1(count);
        return new GLib.Bytes(data.map(b => b >= 0x61 && b <= 0x7a ? b - 0x20 : b));
    }
});

/** Overrides nothing: every call is the base class's forwarding. */
const PassFilter = GObject.registerClass(
class PassFilter extends Io.FilterStream {});

const memory = text => new Io.MemoryStream({initial_bytes: new GLib.Bytes(bytes(text))});

test('a filter that overrides nothing passes every operation through', () => {
    const base = memory('one\ntwo\n');
    const filter = new PassFilter({base_stream: base});
    assertTrue(filter.base_stream === base, 'base_stream');
    assertTrue(filter.close_base, 'close_base defaults to true');
    assertTrue(filter.readable() && filter.writable() && filter.seekable(), 'capabilities');
    assertBytes(filter.readline(-1), 'one\n', 'readline');
    assertEqual(base.tell(), 4, 'position of the base');
    filter.seek(0, Io.Whence.END);
    assertEqual(filter.write(bytes('six')), 3, 'write');
    assertBytes(base.get_value(), 'one\ntwo\nsix', 'content of the base');
    assertIoError(NOT_SUPPORTED, () => filter.fileno());
    filter.close();
    assertTrue(base.closed, 'closing the filter closes its base');
});

test('a JavaScript subclass transforms through read_chunk', () => {
    const base = memory('shout\nquietly');
    const filter = new UpperFilter({base_stream: base});
    assertBytes(filter.readline(-1), 'SHOUT\n', 'readline');
    assertBytes(filter.read(-1), 'QUIETLY', 'read');
    filter.close();
});

test('close_base false leaves the base open', () => {
    const base = memory('x');
    const filter = new PassFilter({base_stream: base, close_base: false});
    filter.close();
    assertEqual(base.closed, false, 'base closed');
    assertBytes(base.read(-1), 'x', 'the base still reads');
});

test('detach gives the base back and closes the filter', () => {
    const base = memory('abc');
    const filter = new PassFilter({base_stream: base});
    assertBytes(filter.read(1), 'a', 'read');
    const detached = filter.detach();
    assertTrue(detached === base, 'detach returns the base');
    assertEqual(base.closed, false, 'base closed');
    assertTrue(filter.closed, 'the filter is closed');
    const error = assertIoError(CLOSED, () => filter.read(1));
    assertEqual(error.message, 'raw stream has been detached', 'message');
    filter.close();
    assertBytes(base.read(-1), 'bc', 'the base reads on');
});

run();
