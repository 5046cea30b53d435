// Io.js: the GJS override of the Io namespace
//
// GJS loads it, as it loads its own overrides of GLib and Gio, the first
// time the namespace is imported (`import Io from 'gi://Io?version=1'` or
// `imports.gi.Io`): it looks for overrides/Io.js in every directory of its
// search path ($GJS_PATH, `gjs -I DIR`, then $XDG_DATA_DIRS/gjs-1.0) and
// calls _init() with the namespace as `this`. It is a script, not an ES
// module, as GJS requires of overrides.
//
// SPDX-License-Identifier: LGPL-2.1-or-later

/* exported _init */

const {GLib, GObject} = imports.gi;

// The construct properties that take a GLib.Bytes, by class, in the three
// spellings GJS accepts for a property name.
const BYTES_PROPERTIES = {
    MemoryStream: ['initial_bytes', 'initial-bytes', 'initialBytes'],
};

/**
 * @param {*} value - a construct property's value
 * @returns {*} a GLib.Bytes copy of a Uint8Array (or of any other
 *   ArrayBuffer view, or of an ArrayBuffer), else the value itself
 */
function toBytes(value) {
    if (value instanceof ArrayBuffer)
        return new GLib.Bytes(new Uint8Array(value));
    if (ArrayBuffer.isView(value)) {
        const view = value instanceof Uint8Array ? value
            : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
        return new GLib.Bytes(view);
    }
    return value;
}

/**
 * Makes the constructor of @klass take a Uint8Array where a property wants
 * a GLib.Bytes: GJS converts function arguments, not property values.
 *
 * @param {Function} klass - an introspected class of the namespace
 * @param {string[]} names - its GBytes properties
 */
function acceptArraysFor(klass, names) {
    const parentInit = klass.prototype._init;
    klass.prototype._init = function _init(props, ...args) {
        if (props !== null && typeof props === 'object' &&
            names.some(name => name in props)) {
            props = {...props};
            for (const name of names) {
                if (name in props)
                    props[name] = toBytes(props[name]);
            }
        }
        return parentInit.call(this, props, ...args);
    };
}

/**
 * `for (const line of stream)`: the lines of the stream, each a Uint8Array
 * ending with its newline (the last one may have none), read one at a time
 * from the position until readline_array() gives nothing, as Python's
 * `for line in stream` does. Errors are thrown from the step that meets
 * them; after a `break` the stream is right after the last line taken.
 *
 * @yields {Uint8Array} the next line
 */
function* streamLines() {
    for (;;) {
        const line = this.readline_array(-1);
        if (line.length === 0)
            return;
        yield line;
    }
}

/**
 * `GObject.registerClass()` of a subclass of Io.Stream: a class that
 * implements a vfunc in JavaScript must be closed explicitly. GJS disposes
 * a stream dropped open from its garbage collector, where no JavaScript
 * may run: libstream then warns instead of calling `vfunc_close()`.
 *
 * @param {Function} klass - the JavaScript class being registered
 * @returns {Function} the registered class
 */
function streamClassInit(klass) {
    klass = GObject.Object._classInit(klass);
    if (Object.getOwnPropertyNames(klass.prototype).some(name => name.startsWith('vfunc_')))
        this.require_explicit_close(klass.$gtype);
    return klass;
}

// ---- TextStream ----

const utf8 = new TextDecoder();
const utf8Encoder = new TextEncoder();
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The string of UTF-8 @bytes that may hold the 3-byte generalized UTF-8
 * of lone surrogates (errors="surrogateescape"), read as those surrogates,
 * as Python reads them.
 *
 * @param {Uint8Array} bytes the text's bytes
 * @returns {string} the text
 */
function decodeText(bytes) {
    let out = '', done = 0;
    for (let i = bytes.indexOf(0xed); i >= 0 && i + 2 < bytes.length;
        i = bytes.indexOf(0xed, i + 1)) {
        if (bytes[i + 1] < 0xa0)
            continue;
        out += utf8.decode(bytes.subarray(done, i)) +
            String.fromCharCode(0xd000 | (bytes[i + 1] & 0x3f) << 6 | bytes[i + 2] & 0x3f);
        done = i + 3;
    }
    return done === 0 ? utf8.decode(bytes) : out + utf8.decode(bytes.subarray(done));
}

/**
 * The UTF-8 of @string, its lone surrogates as 3-byte generalized UTF-8,
 * which surrogateescape writes back as the bytes they stand for.
 *
 * @param {string} string text that holds lone surrogates
 * @returns {Uint8Array} its bytes
 */
function encodeText(string) {
    const parts = [];
    for (const ch of string) {
        const c = ch.charCodeAt(0);
        if (ch.length === 1 && c >= 0xd800 && c <= 0xdfff)
            parts.push(new Uint8Array([0xed, 0x80 | c >> 6 & 0x3f, 0x80 | c & 0x3f]));
        else
            parts.push(utf8Encoder.encode(ch));
    }
    const bytes = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
    parts.reduce((at, part) => (bytes.set(part, at), at + part.length), 0);
    return bytes;
}

/**
 * Makes Io.TextStream's text methods take and return plain strings: the
 * C functions' byte lengths and success flags stay out of the way, and
 * text is read through the GBytes twins, so embedded NULs survive, and
 * so do surrogateescape's lone surrogates, both ways.
 *
 * @param {object} TextStream the introspected class
 */
function overrideTextStream(TextStream) {
    const {tell, write} = TextStream.prototype;
    const text = bytes => decodeText(bytes.toArray());

    Object.assign(TextStream.prototype, {
        read(nChars = -1) {
            return text(this.read_bytes(nChars));
        },
        readline(limit = -1) {
            return text(this.readline_bytes(limit));
        },
        tell() {
            return tell.call(this)[1];
        },
        write(string) {
            if (LONE_SURROGATE.test(string))
                return this.write_bytes(new GLib.Bytes(encodeText(string)));
            return write.call(this, string, -1);
        },
        *[Symbol.iterator]() {
            for (let line; (line = this.next_line_bytes()) !== null;)
                yield text(line);
        },
    });
}

function _init() {
    const Io = this;

    Io.Stream.prototype[Symbol.iterator] = streamLines;
    Io.Stream._classInit = streamClassInit;
    overrideTextStream(Io.TextStream);

    for (const [name, properties] of Object.entries(BYTES_PROPERTIES))
        acceptArraysFor(Io[name], properties);
}
