#!/usr/bin/env python3
# callgrind.py: instructions per operation for every benchmark case
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Runs a benchmark program under valgrind --tool=callgrind with collection
# switched on only inside the measured loops (the program's --callgrind
# mode dumps one profile per case), then prints a Markdown table of user-space
# instructions per operation. Unlike wall time these counts are stable on a
# noisy machine; syscalls and page faults are not in them, and a `rep movsb`
# counts once per byte, so bulk copies are overstated.
#
# Usage: callgrind.py BENCH-PROGRAM [--only GROUPS] [--keep DIR]
#   e.g. tests/benchmarks/callgrind.py _build-bench/tests/benchmarks/bench-memory \
#          --only write-16B,read-16B,read-1B,lines

import argparse
import glob
import os
import re
import subprocess
import sys
import tempfile


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('program')
    parser.add_argument('--only', default='write-1B,write-16B,read-1B,read-16B,lines')
    parser.add_argument('--keep', help='keep the callgrind.out files in this directory')
    args = parser.parse_args()

    outdir = args.keep or tempfile.mkdtemp(prefix='bench-callgrind-')
    os.makedirs(outdir, exist_ok=True)
    for old in glob.glob(os.path.join(outdir, 'callgrind.out*')):
        os.unlink(old)
    cmd = ['valgrind', '--tool=callgrind', '--collect-atstart=no', '--compress-strings=no',
           '--callgrind-out-file=' + os.path.join(outdir, 'callgrind.out.%p'),
           args.program, '--callgrind', '--quick', '--only', args.only]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    rows = []
    for path in glob.glob(os.path.join(outdir, 'callgrind.out.*')):
        trigger = None
        total = None
        with open(path) as f:
            for line in f:
                m = re.match(r'desc: Trigger: Client Request: (\S+)', line)
                if m:
                    trigger = m.group(1)
                m = re.match(r'(?:summary|totals): (\d+)', line)
                if m:
                    total = int(m.group(1))
        if trigger is None or total is None:
            continue
        group, case, ops = trigger.rsplit('/', 2)
        rows.append((group, case, total / int(ops)))

    if not rows:
        sys.exit('no profiles found in ' + outdir)
    order = {g: i for i, g in enumerate(args.only.split(','))}
    rows.sort(key=lambda r: (order.get(r[0], len(order)), r[0], r[2]))
    print('| group | case | instructions/op |')
    print('|---|---|---:|')
    for group, case, per_op in rows:
        print(f'| {group} | {case} | {per_op:.1f} |')


if __name__ == '__main__':
    main()
