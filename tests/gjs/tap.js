// tap.js: a minimal TAP producer and the assertions the GJS suites share
//
// SPDX-License-Identifier: LGPL-2.1-or-later

import Gio from 'gi://Gio';
import GLib from 'gi://GLib';

const tests = [];

/**
 * Registers a test; run() executes them in order.
 *
 * @param {string} name - what the test checks
 * @param {Function} fn - the test body; it passes unless it throws
 */
export function test(name, fn) {
    tests.push({name, fn});
}

/**
 * Runs every registered test, printing TAP, and sets the exit status.
 */
export function run() {
    print(`1..${tests.length}`);
    let failed = 0;
    tests.forEach(({name, fn}, i) => {
        try {
            fn();
            print(`ok ${i + 1} - ${name}`);
        } catch (e) {
            failed++;
            print(`not ok ${i + 1} - ${name}`);
            for (const line of `${e}\n${e.stack ?? ''}`.trimEnd().split('\n'))
                print(`#   ${line}`);
        }
    });
    if (failed > 0)
        imports.system.exit(1);
}

function fail(message) {
    throw new Error(message);
}

function show(value) {
    if (value instanceof Uint8Array)
        return `Uint8Array [${Array.from(value).join(', ')}]`;
    if (typeof value === 'bigint')
        return `${value}n`;
    return JSON.stringify(value) ?? String(value);
}

/**
 * Fails unless `actual === expected`.
 *
 * @param {*} actual - the value produced
 * @param {*} expected - the value wanted
 * @param {string} [what] - what the value is, for the message
 */
export function assertEqual(actual, expected, what = 'value') {
    if (actual !== expected)
        fail(`${what}: expected ${show(expected)}, got ${show(actual)}`);
}

/**
 * Fails unless `value` is truthy.
 *
 * @param {*} value - the condition
 * @param {string} what - what was expected to hold
 */
export function assertTrue(value, what) {
    if (!value)
        fail(`expected ${what}`);
}

/** The UTF-8 bytes of a string. */
export const bytes = text => new TextEncoder().encode(text);

/**
 * Fails unless `actual` (a Uint8Array or a GLib.Bytes) holds exactly the
 * bytes of `expected` (a string or a Uint8Array). A GLib.Bytes must be
 * passed as such: the check that it is one is part of the assertion.
 *
 * @param {Uint8Array|GLib.Bytes} actual - the data produced
 * @param {string|Uint8Array} expected - the data wanted
 * @param {string} [what] - what the data is, for the message
 */
export function assertBytes(actual, expected, what = 'bytes') {
    if (actual instanceof GLib.Bytes)
        actual = actual.toArray();
    if (!(actual instanceof Uint8Array))
        fail(`${what}: expected a Uint8Array or GLib.Bytes, got ${show(actual)}`);
    const want = typeof expected === 'string' ? bytes(expected) : expected;
    if (actual.length !== want.length || actual.some((b, i) => b !== want[i]))
        fail(`${what}: expected ${show(want)}, got ${show(actual)}`);
}

/**
 * Fails unless `fn` throws a GLib.Error in G_IO_ERROR with `code`.
 *
 * @param {number} code - a Gio.IOErrorEnum value
 * @param {Function} fn - the code that must throw
 * @returns {GLib.Error} the error, for further checks
 */
export function assertIoError(code, fn) {
    let result;
    try {
        result = fn();
    } catch (e) {
        if (!(e instanceof GLib.Error))
            fail(`expected a GLib.Error with code ${code}, got ${e}`);
        if (!e.matches(Gio.IOErrorEnum, code))
            fail(`expected Gio.IOErrorEnum code ${code}, got ${GLib.quark_to_string(e.domain)} ${e.code}: ${e.message}`);
        return e;
    }
    return fail(`expected Gio.IOErrorEnum code ${code}, but the call returned ${show(result)}`);
}

/**
 * Runs `fn` with the path of a new, empty temporary file, removed afterwards.
 *
 * @param {Function} fn - called with the path
 */
export function withTempFile(fn) {
    const [fd, path] = GLib.file_open_tmp('libstream-gjs-XXXXXX');
    GLib.close(fd);
    try {
        fn(path);
    } finally {
        GLib.unlink(path);
    }
}
