// check-installed.js ROOT: fails unless the Io typelib, libstream-1 and the
// Io override that GJS loads come from under ROOT (the temporary install).
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

const override = imports.overrides.Io;
if (override === undefined) {
    printerr('check-installed.js: GJS found no overrides/Io.js');
    System.exit(1);
}
check('override', override.__file__);
const lines = [...Io.MemoryStream.new(new TextEncoder().encode('a\nb\n'))];
if (lines.length !== 2 || !(lines[0] instanceof Uint8Array)) {
    printerr('check-installed.js: for...of an Io.Stream does not give its lines');
    System.exit(1);
}
print('the override is active');

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
