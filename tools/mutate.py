#!/usr/bin/env python3
"""tools/mutate.py: plant one-line bugs in the core and backends, one at a
time, and report which the test suites catch.

    python3 tools/mutate.py [--suites c,fuzz,python] [--only NAME]... [--list]

Each mutation in MUTATIONS is a small edit a careless change could make (a
check dropped, a comparison off by one, a flag lost). The script copies
the committed tree (git archive HEAD) to a temporary directory, builds it
once, then for each mutation applies it, rebuilds, runs the suites and
restores the file. A mutation is caught when at least one test fails (or
the build breaks, which is reported apart: the mutation is then useless);
it is missed when every test passes. The exit status is 1 when any is
missed, so the pass can gate a change to the suites.

The working tree is never touched. A run of the default suites takes about
a minute per mutation on two cores.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

# (name, file, text the file holds exactly once, what replaces it)
MUTATIONS = [
    ('memory-truncate-grows', 'backends/io-memory-stream.c',
     'if ((guint64) size < self->size)',
     'if ((guint64) size < self->capacity)'),
    ('memory-write-into-shared-bytes', 'backends/io-memory-stream.c',
     'self->data = g_bytes_unref_to_data (shared, &size);',
     'self->data = (guint8 *) g_bytes_get_data (shared, &size); g_bytes_unref (shared);'),
    ('memory-write-no-gap-fill', 'backends/io-memory-stream.c',
     'memset (self->data + self->size, 0, position - self->size);',
     ';'),
    ('read-over-count-unchecked', 'libstream/io-stream-read.c',
     'if G_UNLIKELY ((gsize) n > count)',
     'if G_UNLIKELY (FALSE)'),
    ('read-chunk-over-count-unchecked', 'libstream/io-stream-read.c',
     'if (len > count)',
     'if (FALSE)'),
    ('write-over-count-unchecked', 'libstream/io-stream-write.c',
     'if G_UNLIKELY ((gsize) n > count - done)',
     'if G_UNLIKELY (FALSE)'),
    ('write-error-not-kept', 'libstream/io-stream-write.c',
     '      priv->pending_write_error = local_error;\n',
     '      g_error_free (local_error);\n'),
    ('readline-window-off-by-one', 'libstream/io-stream-lines.c',
     'return (gsize) (newline - priv->window.pos) + 1;',
     'return (gsize) (newline - priv->window.pos);'),
    ('readline-limit-ignored', 'libstream/io-stream-lines.c',
     '    return 0;\n  span = limit < 0 ? available : MIN (available, (gsize) limit);',
     '    return 0;\n  span = available;'),
    ('fd-read-eintr-surfaces', 'backends/io-fd.c',
     'while G_UNLIKELY (n < 0 && errno == EINTR);\n\n  if G_UNLIKELY (n < 0)',
     'while (FALSE);\n\n  if G_UNLIKELY (n < 0)'),
    ('masked-write-sigpipe-not-drained', 'backends/io-fd.c',
     'while (sigtimedwait (&sigpipe_set, NULL, &no_wait) < 0 && errno == EINTR)\n            ;',
     '(void) no_wait;'),
    ('mode-x-not-exclusive', 'backends/io-fd-stream.c',
     '*flags |= O_EXCL | O_CREAT;',
     '*flags |= O_CREAT;'),
    ('mode-a-not-append', 'backends/io-fd-stream.c',
     '*flags |= O_APPEND | O_CREAT;',
     '*flags |= O_CREAT;'),
    ('errno-code-lost', 'libstream/io-error.c',
     'local_error = g_error_new_literal (G_IO_ERROR, g_io_error_from_errno (errsv), message->str);',
     'local_error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, message->str);'),
]

DEFAULT_SUITES = 'c,fuzz,python'


def run(cmd, cwd, log, timeout=None):
    with open(log, 'ab') as out:
        return subprocess.run(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                              timeout=timeout).returncode


def failed_tests(build):
    """The names of the tests that did not pass in the last meson test run."""
    import json
    names = []
    path = os.path.join(build, 'meson-logs', 'testlog.json')
    if not os.path.exists(path):
        return names
    with open(path) as f:
        for line in f:
            result = json.loads(line)
            if result.get('result') not in ('OK', 'SKIP', 'EXPECTEDFAIL'):
                names.append(result['name'])
    return names


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--suites', default=DEFAULT_SUITES,
                        help='comma-separated meson suites to run (default: %(default)s)')
    parser.add_argument('--only', action='append', default=[],
                        help='run only the named mutation (repeatable)')
    parser.add_argument('--list', action='store_true', help='list the mutations and exit')
    args = parser.parse_args()

    mutations = [m for m in MUTATIONS if not args.only or m[0] in args.only]
    if args.list or not mutations:
        for name, path, _, _ in MUTATIONS:
            print(f'{name:36} {path}')
        return 0 if args.list else 2

    root = subprocess.run(['git', 'rev-parse', '--show-toplevel'], check=True,
                          capture_output=True, text=True).stdout.strip()
    work = tempfile.mkdtemp(prefix='io-mutate-')
    log = os.path.join(work, 'mutate.log')
    tree = os.path.join(work, 'tree')
    build = os.path.join(tree, '_build')
    os.mkdir(tree)
    archive = subprocess.run(['git', '-C', root, 'archive', 'HEAD'], check=True,
                             capture_output=True).stdout
    subprocess.run(['tar', '-x', '-C', tree], input=archive, check=True)

    # Every mutation must apply to exactly one place, or the list is stale.
    for name, path, old, _ in mutations:
        with open(os.path.join(tree, path)) as f:
            count = f.read().count(old)
        if count != 1:
            print(f'{name}: the text to mutate occurs {count} times in {path}', file=sys.stderr)
            return 2

    print(f'building the unmutated tree in {build} (log: {log})', flush=True)
    if run(['meson', 'setup', build], tree, log) != 0 or run(['ninja', '-C', build], tree, log):
        print('the unmutated tree does not build', file=sys.stderr)
        return 2
    suite_args = [a for s in args.suites.split(',') for a in ('--suite', s)]
    test_cmd = ['meson', 'test', '-C', build, '--no-rebuild', '--print-errorlogs'] + suite_args
    if run(test_cmd, tree, log) != 0:
        print('the unmutated tree fails its suites: fix that first '
              f'({", ".join(failed_tests(build))})', file=sys.stderr)
        return 2

    missed = []
    for name, path, old, new in mutations:
        source = os.path.join(tree, path)
        with open(source) as f:
            original = f.read()
        start = time.monotonic()
        try:
            with open(source, 'w') as f:
                f.write(original.replace(old, new))
            if run(['ninja', '-C', build], tree, log) != 0:
                verdict = 'BUILD BROKEN (a useless mutation: fix the list)'
            elif run(test_cmd, tree, log, timeout=1800) == 0:
                verdict = 'MISSED'
                missed.append(name)
            else:
                verdict = 'caught by ' + ', '.join(failed_tests(build))
        finally:
            with open(source, 'w') as f:
                f.write(original)
        print(f'{name:36} {time.monotonic() - start:5.0f}s  {verdict}', flush=True)

    run(['ninja', '-C', build], tree, log)
    print(f'{len(mutations) - len(missed)} of {len(mutations)} mutations caught'
          + (f'; missed: {", ".join(missed)}' if missed else ''))
    shutil.rmtree(work)
    return 1 if missed else 0


if __name__ == '__main__':
    sys.exit(main())
