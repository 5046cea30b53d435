// drop-open-streams.js: run by test-subclass.js as a child gjs process whose
// standard error it checks. Drops streams while open and collects them:
// JavaScript backends (with vfuncs, and a subclass of one) must only be
// reported, C streams closed as before. Prints what was closed.
//
// SPDX-License-Identifier: LGPL-2.1-or-later

import GObject from 'gi://GObject';
import Io from 'gi://Io?version=1';
import System from 'system';

const calls = [];

const JsBackend = GObject.registerClass(class JsBackend extends Io.Stream {
    vfunc_flush() {
        calls.push('flush');
        return true;
    }

    vfunc_close() {
        calls.push('close');
        return true;
    }
});

const JsBackendChild = GObject.registerClass(class JsBackendChild extends JsBackend {});

// A JavaScript class over C vfuncs only: closing it runs no JavaScript.
const JsFilter = GObject.registerClass(class JsFilter extends Io.FilterStream {});

const base = new Io.MemoryStream();
(() => {
    new JsBackend();
    new JsBackendChild();
    new JsFilter({base_stream: base});
})();
System.gc();
print(`vfuncs run: [${calls}]`);
print(`filter's base closed: ${base.closed}`);
