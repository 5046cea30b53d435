#!/usr/bin/python3
# bench_python.py: the Python layer's speed against io.BytesIO
#
# SPDX-License-Identifier: LGPL-2.1-or-later

"""Times the same operations on io.BytesIO and Io.MemoryStream, then on
io.FileIO and Io.FileStream / Io.PipeStream (a regular file, a pipe, a
socket pair), and prints the ratios (1.00 = as fast as the io class).
Before timing a case it checks it: everything each call returned, the
whole content and the position (for a pipe or socket, everything read)
must be the io class's, or it exits 1 (the smoke suite runs it with
--quick for that). Run it by hand or from the benchmark suite, with the
environment of `meson devenv`.

    bench_python.py [--quick] [--json] [--only WORD]

Targets: bulk 1 MiB reads and writes at most ~1.2x, and
`for line in stream` at most 1.2x; `for line in` an Io.TextStream at most
2x io.TextIOWrapper over BytesIO; the descriptor calls at most 1.2x
FileIO; `for line in Io.open(p, "rb")` at most 1.5x `open()`'s and
`for line in Io.open(p, encoding="utf-8")` at most 2x. The
descriptor calls are timed in CPU time of the process (system calls
included), which a loaded machine's waits for a CPU do not blur.
"""

import argparse
import hashlib
import io
import json
import os
import socket
import statistics
import sys
import tempfile
import time
import timeit

import gi

gi.require_version('Io', '1')
from gi.repository import Io  # noqa: E402

MIB = 1 << 20


def lines_of(count, width=80):
    return b''.join((b'line %d ' % i).ljust(width - 1, b'.') + b'\n' for i in range(count))


def looped_case(open_stream, body, count, content):
    """A case running @body @count times, from the start, on the stream
    open_stream(cls) gives; its check runs the same loop and digests
    everything the calls returned, then the position and content(stream),
    the whole content."""
    def case(cls):
        stream = open_stream(cls)
        def run():
            stream.seek(0)
            for _ in range(count):
                body(stream)
        def check():
            digest = hashlib.sha256()
            stream.seek(0)
            for _ in range(count):
                digest.update(repr(body(stream)).encode())
            return digest.hexdigest(), stream.tell(), hashlib.sha256(content(stream)).hexdigest()
        return run, count, check
    return case


def iterated(stream, n_lines):
    """A case iterating over @stream's @n_lines lines from the start; its
    check digests every line (text lines encoded) and the end position."""
    def run():
        stream.seek(0)
        for _ in stream:
            pass
    def check():
        stream.seek(0)
        digest = hashlib.sha256()
        for line in stream:
            digest.update(line.encode() if isinstance(line, str) else line)
            digest.update(b'|')
        return digest.hexdigest(), stream.tell()
    return run, n_lines, check


def file_content(stream):
    with open(stream.name, 'rb') as f:
        return f.read()


def cases(quick):
    chunk = bytes(range(256)) * 4096
    total = 16 if quick else 64
    big = chunk * total
    text = lines_of(20_000 if quick else 200_000)
    n_lines = text.count(b'\n')
    bulk = bytearray(MIB)

    def looped(data, body, count):
        """A case running @body @count times on a stream made from @data."""
        return looped_case(lambda make: make(data) if data is not None else make(), body, count,
                           lambda stream: stream.getvalue())

    read_1mib = looped(big, lambda s: s.read(MIB), total)
    readinto_1mib = looped(big, lambda s: s.readinto(bulk), total)
    write_1mib = looped(None, lambda s: s.write(chunk), total)
    write_1mib_bytearray = looped(None, lambda s: s.write(bulk), total)
    readline = looped(text, lambda s: s.readline(), 10_000)
    read_16 = looped(big, lambda s: s.read(16), 10_000)
    write_16 = looped(None, lambda s: s.write(b'0123456789abcdef'), 10_000)

    def read_all(make):
        stream = make(big)
        def run():
            stream.seek(1)  # BytesIO returns its bytes without a copy at 0
            return stream.read()
        def check():
            return hashlib.sha256(run()).hexdigest(), stream.tell()
        return run, 1, check

    def for_line(make):
        return iterated(make(text), n_lines)

    def for_text_line(make):
        # io.TextIOWrapper over BytesIO against Io.TextStream over
        # Io.MemoryStream, the pair Io.open(p, encoding='utf-8') will be.
        wrap = io.TextIOWrapper if make is io.BytesIO else Io.TextStream
        return iterated(wrap(make(text), encoding='utf-8'), n_lines)

    return [
        ('read(1 MiB)', read_1mib, 1.2),
        ('readinto(1 MiB bytearray)', readinto_1mib, 1.2),
        ('write(1 MiB bytes)', write_1mib, 1.2),
        ('write(1 MiB bytearray)', write_1mib_bytearray, 1.2),
        ('read() of %d MiB from offset 1' % total, read_all, None),
        ('for line in stream (80 B lines)', for_line, 1.2),
        ('readline() (80 B lines)', readline, None),
        ('for line in text stream (UTF-8)', for_text_line, 2.0),
        ('read(16)', read_16, None),
        ('write(16 B)', write_16, None),
    ]


def fd_cases(quick, directory):
    """The FileIO cases: each is case(cls), with cls io.FileIO or the Io
    class it is compared with, as cases() gives them."""
    count = 2_000 if quick else 20_000
    record = b'0123456789abcdef'
    path = os.path.join(directory, 'read')
    with open(path, 'wb') as f:
        f.write(os.urandom(16 * count))
    block = os.urandom(4096)
    small = bytearray(16)

    def on_file(name, mode, body):
        """@body @count times on the file @name opened with @mode, each
        class writing a file of its own; what readinto() read is checked
        with its count."""
        def open_stream(cls):
            return cls(os.path.join(directory, name if mode == 'rb' else name + cls.__name__),
                       mode)
        return looped_case(open_stream, lambda s: (body(s), bytes(small)), count, file_content)

    def transfer(make_pair):
        """A 4 KiB write then a 4 KiB read, @count times, between the two
        ends @make_pair() gives as descriptors; the check digests what
        the writes returned and the reads read."""
        def case(cls):
            reader_fd, writer_fd = make_pair()
            reader, writer = cls(reader_fd, 'rb'), cls(writer_fd, 'wb')
            def body():
                return writer.write(block), reader.read(4096)
            def run():
                for _ in range(count):
                    body()
            def check():
                digest = hashlib.sha256()
                for _ in range(count):
                    written, data = body()
                    digest.update(b'%d|' % written)
                    digest.update(data)
                return digest.hexdigest()
            return run, count, check
        return case

    def socket_pair():
        a, b = socket.socketpair()
        return a.detach(), b.detach()

    file_stream, pipe_stream = Io.FileStream, Io.PipeStream
    return [
        ('file read(16)', on_file('read', 'rb', lambda s: s.read(16)), 1.2, file_stream),
        ('file readinto(16 B bytearray)', on_file('read', 'rb', lambda s: s.readinto(small)),
         1.2, file_stream),
        ('file write(16 B)', on_file('write', 'wb', lambda s: s.write(record)), 1.2,
         file_stream),
        ('pipe 4 KiB write + read', transfer(os.pipe), 1.2, pipe_stream),
        ('socket pair 4 KiB write + read', transfer(socket_pair), 1.2, pipe_stream),
    ]


def open_cases(quick, directory):
    """The cases of files opened with open() against Io.open(): each is
    case(opener), with opener one of the two."""
    path = os.path.join(directory, 'lines')
    n_lines = 20_000 if quick else 200_000
    with open(path, 'wb') as f:
        f.write(lines_of(n_lines))

    def for_line(opener):
        return iterated(opener(path, 'rb'), n_lines)

    def for_text_line(opener):
        return iterated(opener(path, encoding='utf-8'), n_lines)

    return [
        ('for line in open(p, "rb")', for_line, 1.5),
        ('for line in open(p, encoding="utf-8")', for_text_line, 2.0),
    ]


def measure(run, repeat, timer=time.perf_counter):
    return min(timeit.repeat(run, number=1, repeat=repeat, timer=timer))


def compare(name, case, target, peer, cls, timer, repeat, rounds):
    """The row of @case run on @cls against @peer (the io class), or None
    if their results differ."""
    theirs_run, ops, theirs_check = case(peer)
    ours_run, _, ours_check = case(cls)
    # The results first, in full: what every call returned, then the
    # content and the position, the same as the io class's.
    expected, got = theirs_check(), ours_check()
    if got != expected:
        print('bench_python.py: %s: Io.%s gave %r, %s %r'
              % (name, cls.__name__, got, expected, peer.__name__), file=sys.stderr)
        return None
    theirs, ours = [], []
    for _ in range(rounds):  # interleaved, so drift hits both alike
        theirs.append(measure(theirs_run, repeat, timer))
        ours.append(measure(ours_run, repeat, timer))
    t_theirs = statistics.median(theirs) / ops
    t_ours = statistics.median(ours) / ops
    return {'case': name, 'peer': peer.__name__, 'peer_ns': t_theirs * 1e9,
            'io_ns': t_ours * 1e9, 'ratio': t_ours / t_theirs, 'target': target}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--quick', action='store_true', help='small sizes, few repeats')
    parser.add_argument('--json', action='store_true', help='print JSON instead of a table')
    parser.add_argument('--only', metavar='WORD', default='',
                        help='only the cases whose name or peer contains WORD (FileIO, pipe...)')
    args = parser.parse_args()
    repeat = 3 if args.quick else 7
    rounds = 1 if args.quick else 3

    results = []
    with tempfile.TemporaryDirectory() as directory:
        groups = [(name, case, target, io.BytesIO, Io.MemoryStream, time.perf_counter)
                  for name, case, target in cases(args.quick)]
        groups += [(name, case, target, io.FileIO, cls, time.process_time)
                   for name, case, target, cls in fd_cases(args.quick, directory)]
        groups += [(name, case, target, open, Io.open, time.perf_counter)
                   for name, case, target in open_cases(args.quick, directory)]
        for name, case, target, peer, cls, timer in groups:
            if args.only not in name and args.only != peer.__name__:
                continue
            result = compare(name, case, target, peer, cls, timer, repeat, rounds)
            if result is None:
                return 1
            results.append(result)

    if args.json:
        json.dump(results, sys.stdout, indent=2)
        print()
        return 0
    print('%-34s %8s %12s %12s %7s %7s' % ('case', 'peer', 'peer ns/op', 'Io ns/op', 'ratio',
                                           'target'))
    for r in results:
        target = '<=%.1f' % r['target'] if r['target'] else '-'
        print('%-34s %8s %12.1f %12.1f %7.2f %7s' % (r['case'], r['peer'], r['peer_ns'],
                                                     r['io_ns'], r['ratio'], target))
    return 0


if __name__ == '__main__':
    sys.exit(main())
