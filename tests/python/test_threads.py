#!/usr/bin/python3
# test_threads.py: one stream shared by Python threads, as io.BytesIO is
#
# PyGObject lets go of the GIL while a libstream call runs, so two Python
# threads really are inside one stream at once unless the stream serialises
# them. io.BytesIO is serialised by the GIL: every call happens whole, before
# or after the others. These tests hold Io.MemoryStream to that.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import struct
import subprocess
import sys
import threading
import time

from iotest import Io, IoTestCase, main

N_THREADS = 4
N_RECORDS = 2000
RECORD = struct.Struct('<II')


def run_threads(target, count=N_THREADS):
    """Runs @target(index) in @count threads at once; re-raises a failure."""
    failures = []
    start = threading.Barrier(count)

    def body(index):
        try:
            start.wait()
            target(index)
        except BaseException as e:  # reported in the main thread
            failures.append(e)

    threads = [threading.Thread(target=body, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]


def wait_until_blocked_in_read(thread, fd):
    """Waits until @thread is blocked in read(2) on @fd, as the kernel says
    (/proc/self/task/TID/syscall: the system call's number and arguments)."""
    path = '/proc/self/task/%d/syscall' % thread.native_id
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with open(path) as f:
            fields = f.read().split()
        if fields[:2] == [str(READ_SYSCALL), hex(fd)]:
            return
        time.sleep(0.01)
    raise AssertionError('the reader never blocked in read(2)')


# read(2)'s number on x86-64 and on the generic table (aarch64, riscv).
READ_SYSCALL = {'x86_64': 0}.get(os.uname().machine, 63)


class SharedStreamTests(IoTestCase):
    def setUp(self):
        # Switch threads as often as possible, so the calls overlap.
        self.addCleanup(sys.setswitchinterval, sys.getswitchinterval())
        sys.setswitchinterval(1e-6)

    def test_writers(self):
        stream = Io.MemoryStream()

        def write_records(index):
            for seq in range(N_RECORDS):
                record = RECORD.pack(index, seq)
                # bytes and a bytearray take different paths into C.
                stream.write(record if seq % 2 else bytearray(record))

        run_threads(write_records)
        value = stream.getvalue()
        self.assertEqual(len(value), N_THREADS * N_RECORDS * RECORD.size)
        self.assertEqual(stream.tell(), len(value))
        next_seq = [0] * N_THREADS
        for index, seq in RECORD.iter_unpack(value):
            self.assertEqual(seq, next_seq[index])
            next_seq[index] += 1

    def test_readers(self):
        records = [RECORD.pack(0xA5, i) for i in range(N_THREADS * N_RECORDS)]
        stream = Io.MemoryStream(b''.join(records))
        seen = [[] for _ in range(N_THREADS)]

        def read_records(index):
            buffer = bytearray(RECORD.size)
            for call in range(sys.maxsize):
                if call % 2:
                    n = stream.readinto(buffer)
                    record = bytes(buffer[:n])
                else:
                    record = stream.read(RECORD.size)
                if not record:
                    return
                self.assertEqual(len(record), RECORD.size)
                seen[index].append(RECORD.unpack(record)[1])

        run_threads(read_records)
        for numbers in seen:
            self.assertEqual(numbers, sorted(numbers))
        self.assertEqual(sorted(n for numbers in seen for n in numbers),
                         list(range(N_THREADS * N_RECORDS)))

    def test_iteration_against_readline(self):
        # One thread iterates, another reads lines one by one: every line
        # reaches exactly one of them, whole, and each thread's lines are
        # in stream order (each next() is one call, as on io.BytesIO).
        lines = [b'%07d\n' % i for i in range(20000)]
        stream = Io.MemoryStream(b''.join(lines))
        seen = [[], []]

        def consume(index):
            if index == 0:
                for line in stream:
                    seen[0].append(line)
            else:
                while True:
                    line = stream.readline()
                    if not line:
                        return
                    seen[1].append(line)

        run_threads(consume, 2)
        self.assertEqual(sorted(seen[0] + seen[1]), lines)
        for taken in seen:
            self.assertEqual(taken, sorted(taken))

    def test_lines_wait_for_a_thread_that_holds_the_stream(self):
        # Another thread holds the stream (io_stream_lock()) and moves it
        # meanwhile: next() and readline() wait for it, without keeping
        # the GIL it needs to finish, and take the line where it left the
        # stream. A memory stream's line is otherwise made with the GIL
        # held, straight from the window.
        for take in (next, Io.MemoryStream.readline):
            with self.subTest(take=take.__name__):
                stream = Io.MemoryStream(b'one\ntwo\nthree\n')
                held, moved = threading.Event(), []

                def hold():
                    stream.lock()
                    try:
                        held.set()
                        time.sleep(0.2)
                        moved.append(stream.seek(4))
                    finally:
                        stream.unlock()

                holder = threading.Thread(target=hold)
                holder.start()
                self.assertTrue(held.wait(10))
                self.assertEqual(take(stream), b'two\n')
                self.assertEqual(moved, [4])
                holder.join(10)
                self.assertEqual(take(stream), b'three\n')

    def test_call_waits_for_the_other_thread(self):
        # A read held up inside a Python backend keeps another thread's call
        # on the same stream waiting until it returns; nothing fails, and the
        # waiting call sees what the read did.
        stream = Gated()
        got = []
        reader = threading.Thread(target=lambda: got.append(stream.read1(4)))
        reader.start()
        self.assertTrue(stream.inside.wait(10))
        told = []
        teller = threading.Thread(target=lambda: told.append(stream.tell()))
        teller.start()
        teller.join(0.2)
        self.assertEqual(told, [])
        stream.gate.set()
        reader.join(10)
        teller.join(10)
        self.assertEqual(got, [b'x'])
        self.assertEqual(told, [1])

    def test_call_waits_behind_a_blocked_pipe_read(self):
        # Outside the main thread (which waits for a pipe in Python, to run
        # the signal handlers) a read blocked on a pipe keeps another
        # thread's call on the same pipe waiting until data comes.
        reader, writer = Io.PipeStream.new_pair()
        self.addCleanup(writer.close)
        self.addCleanup(reader.close)
        fd = reader.fileno()  # asked now: it too would wait behind the read
        got = []
        blocked = threading.Thread(target=lambda: got.append(reader.read(4)))
        blocked.start()
        wait_until_blocked_in_read(blocked, fd)
        done = []
        waiter = threading.Thread(target=lambda: done.append(reader.readable()))
        waiter.start()
        waiter.join(0.2)
        self.assertEqual(done, [])
        writer.write(b'data')
        blocked.join(10)
        waiter.join(10)
        self.assertEqual(got, [b'data'])
        self.assertEqual(done, [True])

# A child process where another thread holds a memory stream with lock()
# and needs the GIL to give it back: it waits for an event that a timer
# thread sets, then moves the stream with move() (to 4, writes b'X',
# leaving it at 5) and unlocks. argv[1] prepares the stream and may
# replace move(), argv[2] is the call made meanwhile, whose result is
# printed.
HELD_CHILD = """
import sys, threading
import gi
gi.require_version('Io', '1')
from gi.repository import Io
stream = Io.MemoryStream(b'0123456789')
buf = bytearray(2)
def move():
    stream.seek(4)
    stream.write(b'X')
exec(sys.argv[1])
held, release = threading.Event(), threading.Event()
def hold():
    stream.lock()
    try:
        held.set()
        release.wait()
        move()
    finally:
        stream.unlock()
holder = threading.Thread(target=hold)
holder.start()
held.wait()
threading.Timer(0.1, release.set).start()
result = eval(sys.argv[2])
holder.join()
print(repr(result))
"""

# (preparation, call, what it returns once the holder let go).
HELD_CALLS = [
    ('', 'stream.read(2)', b'56'),
    ('', 'stream.read()', b'56789'),
    ('', 'stream.read(0), stream.tell()', (b'', 5)),
    ('', 'stream.read(1 << 27)', b'56789'),
    ('', 'stream.read1(2)', b'56'),
    ('', 'stream.read1()', b'56789'),
    ('', 'stream.readinto(buf), bytes(buf)', (2, b'56')),
    ('', 'stream.readinto1(buf), bytes(buf)', (2, b'56')),
    ('', 'stream.readline()', b'56789'),
    ('', 'next(stream)', b'56789'),
    ('', 'stream.readlines()', [b'56789']),
    ('', 'stream.peek(1)[:1]', b'5'),
    ('', 'stream.write(b"ab"), stream.getvalue()', (2, b'0123Xab789')),
    ('', 'stream.write(memoryview(b"ab")), stream.getvalue()', (2, b'0123Xab789')),
    ('', 'stream.writelines([b"a", b"b"]), stream.getvalue()', (None, b'0123Xab789')),
    ('', 'stream.seek(1, 1)', 6),
    ('', 'stream.tell()', 5),
    ('', 'stream.truncate(), stream.getvalue()', (5, b'0123X')),
    ('', 'stream.seekable(), stream.tell()', (True, 5)),
    ('', 'stream.getvalue()', b'0123X56789'),
    ('', 'bytes(stream.getbuffer())', b'0123X56789'),
    # The end of an export, taken before the stream was held (whose holder
    # only seeks, since the export forbids writes): after it the stream may
    # grow.
    ('view = stream.getbuffer()\nmove = lambda: stream.seek(5)',
     'view.release(), stream.write(b"moremore"), stream.getvalue()',
     (None, 8, b'01234moremore')),
    ("text = Io.TextStream(buffer=stream, encoding='ascii')", 'next(text)', '56789'),
]


class HeldStreamTests(IoTestCase):
    def test_calls_wait_for_a_thread_that_holds_the_stream(self):
        # Each call waits for the holder without keeping the GIL it needs
        # to let go, then sees what it did. A call that kept the GIL would
        # hang the child: it is killed and the call reported.
        children = [(call, expected,
                     subprocess.Popen([sys.executable, '-c', HELD_CHILD, prepare, call],
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE))
                    for prepare, call, expected in HELD_CALLS]
        deadline = time.monotonic() + 60
        failures = []
        for call, expected, child in children:
            try:
                out, err = child.communicate(timeout=max(deadline - time.monotonic(), 1))
            except subprocess.TimeoutExpired:
                child.kill()
                child.communicate()
                failures.append('%s hung' % call)
                continue
            if child.returncode != 0 or out.decode().strip() != repr(expected):
                failures.append('%s gave %r (exit %d): %s'
                                % (call, out.decode().strip(), child.returncode,
                                   err.decode().strip()))
        self.assertEqual(failures, [], "\n".join(failures))


class Gated(Io.Stream):
    """A Python backend whose read waits at a gate, and counts."""

    def __init__(self):
        super().__init__()
        self.inside = threading.Event()
        self.gate = threading.Event()
        self.position = 0

    def do_read_chunk(self, count):
        self.inside.set()
        self.gate.wait(10)
        self.position += 1
        return b'x'

    def do_seek(self, offset, whence):
        return self.position

    def do_tell(self):
        return self.position

if __name__ == '__main__':
    main()
