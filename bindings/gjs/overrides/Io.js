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

function _init() {
    const Io = this;

    Io.Stream.prototype[Symbol.iterator] = streamLines;
}
