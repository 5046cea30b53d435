// check-installed.js ROOT: fails unless the Io typelib and libstream-1 that
// GJS loads come from under ROOT (the temporary install).
//
// SPDX-License-Identifier: LGPL-2.1-or-later

import GIRepository from 'gi://GIRepository?version=2.0';
import GLib from 'gi://GLib';
import Io from 'gi://Io?version=1';
import System from 'system';

const root = `${GLib.canonicalize_filename(ARGV[0], null)}/`;

function check(what, path) {
    const real = GLib.canonicalize_filename(path, null);
    if (!real.startsWith(root)) {
        printerr(`check-installed.js: ${what} comes from ${real}, not from under ${root}`);
        System.exit(1);
    }
    print(`${what}: ${real}`);
}

check('typelib', GIRepository.Repository.get_default().get_typelib_path('Io'));

// GJS opens the library at the first call, so look after one.
const stream = Io.MemoryStream.new(new TextEncoder().encode('installed'));
if (new TextDecoder().decode(stream.read(-1)) !== 'installed') {
    printerr('check-installed.js: the installed Io.MemoryStream does not read back');
    System.exit(1);
}
print('Io.MemoryStream works');

const [, maps] = GLib.file_get_contents('/proc/self/maps');
const libraries = new Set(new TextDecoder().decode(maps).split('\n')
    .filter(line => line.includes('libstream-1.so'))
    .map(line => line.split(/\s+/).pop()));
if (libraries.size !== 1) {
    printerr(`check-installed.js: expected one libstream-1.so mapped, got ${[...libraries]}`);
    System.exit(1);
}
check('library', [...libraries][0]);
