// demo.js: the libstream seed scenario in GJS (`gjs -m demo.js`). demo.c,
// demo.py and demo.vala print the same lines.
//
// SPDX-License-Identifier: LGPL-2.1-or-later

import Gio from 'gi://Gio';
import Io from 'gi://Io?version=1';

const encode = text => new TextEncoder().encode(text);

/** Formats bytes the way Python prints a bytes object. */
function repr(data) {
    if (!(data instanceof Uint8Array))
        data = data.toArray();
    let text = '';
    for (const byte of data) {
        if (byte === 0x5c || byte === 0x27)
            text += `\\${String.fromCharCode(byte)}`;
        else if (byte >= 0x20 && byte < 0x7f)
            text += String.fromCharCode(byte);
        else
            text += `\\x${byte.toString(16).padStart(2, '0')}`;
    }
    return `b'${text}'`;
}

function show(call, result, note = null) {
    const value = typeof result === 'number' ? String(result) : repr(result);
    print(`${call} -> ${value}${note ? `  # ${note}` : ''}`);
}

/** Prints a call the export lock refuses: G_IO_ERROR_BUSY is Python's BufferError. */
function refused(call, action) {
    try {
        action();
    } catch (e) {
        if (!e.matches?.(Gio.IOErrorEnum, Gio.IOErrorEnum.BUSY))
            throw e;
        print(`${call} -> BufferError: ${e.message}`);
        return;
    }
    throw new Error(`${call} was not refused`);
}

const s = Io.MemoryStream.new(null);
print("s = MemoryStream(b'')");
show("write(b'hello')", s.write(encode('hello')));
show('read()', s.read(-1), 'the cursor is at the end');
show('seek(0)', s.seek(0, Io.Whence.SET));
show('read()', s.read(-1));
show('seek(0)', s.seek(0, Io.Whence.SET));
show("write(b'J')", s.write(encode('J')), 'overwrites in place');
show('seek(0, SEEK_END)', s.seek(0, Io.Whence.END));
show("write(b' world')", s.write(encode(' world')), 'appends');
show('tell()', s.tell());
show('read()', s.read(-1), 'at the end again');
show('getvalue()', s.get_value(), 'the whole value, whatever the position');

// JavaScript cannot see foreign memory, so the view is an address, and the
// byte is stored at it by libstream itself: a read into that address.
const [view, viewLength] = s.acquire_buffer_address();
print(`view = getbuffer() -> ${viewLength} bytes`);
Io.MemoryStream.new(encode('j')).readinto_address(view, 1);
print("view[0] = b'j'");
show('getvalue()', s.get_value(), 'the view is the live buffer');
refused("write(b'!')", () => s.write(encode('!')));
refused('truncate(5)', () => s.truncate(5));
s.release_buffer();
print('release the view');
show("write(b'!')", s.write(encode('!')));
show('getvalue()', s.get_value());
s.close();
