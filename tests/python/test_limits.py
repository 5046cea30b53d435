"""The streams at the edge of the process's resource limits, beside io's.

Out of descriptors, FileStream and PipeStream raise what FileIO and
os.pipe() raise; out of address space, MemoryStream raises BytesIO's
MemoryError and keeps its content. Each case runs in a child process, so
the limit it sets dies with it.
"""

import errno
import io
import os
import resource
import shutil
import tempfile

import iotest
from iotest import Io, IoTestCase, main


def no_free_descriptor():
    """RLIMIT_NOFILE at the lowest free descriptor: none left."""
    lowest = os.dup(0)
    os.close(lowest)
    resource.setrlimit(resource.RLIMIT_NOFILE,
                       (lowest, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))


def in_use():
    """The process's address space now, in bytes (VmSize)."""
    with open('/proc/self/status') as status:
        for line in status:
            if line.startswith('VmSize:'):
                return int(line.split()[1]) * 1024
    raise AssertionError('no VmSize')


HEADROOM = 96 << 20


def little_address_space():
    resource.setrlimit(resource.RLIMIT_AS,
                       (in_use() + HEADROOM, resource.getrlimit(resource.RLIMIT_AS)[1]))


class DescriptorLimitTest(IoTestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir)
        self.path = os.path.join(self.dir, 'file')
        with open(self.path, 'wb') as f:
            f.write(b'content')

    def test_open_without_descriptors(self):
        """FileStream raises FileIO's OSError: EMFILE, naming the file."""
        def outcomes(make):
            return iotest.outcomes_in_child(no_free_descriptor,
                                            [lambda: make(self.path, 'r') and None])

        expected = outcomes(io.FileIO)
        self.assertEqual(expected[0][:2], ('exc', errno.EMFILE))
        self.assertEqual(outcomes(Io.FileStream), expected)

    def test_pipe_without_descriptors(self):
        """new_pair raises os.pipe()'s OSError: EMFILE, and after the limit
        is lifted the process has the descriptors it had."""
        def pair_then_count(make):
            def run():
                try:
                    make()
                finally:
                    resource.setrlimit(resource.RLIMIT_NOFILE, saved)
                return None
            return [run, lambda: len(os.listdir('/proc/self/fd'))]

        saved = resource.getrlimit(resource.RLIMIT_NOFILE)
        expected = iotest.outcomes_in_child(no_free_descriptor, pair_then_count(os.pipe))
        actual = iotest.outcomes_in_child(no_free_descriptor,
                                          pair_then_count(Io.PipeStream.new_pair))
        self.assertEqual(expected[0][:2], ('exc', errno.EMFILE))
        self.assertEqual(actual[0][:2], expected[0][:2])
        self.assertEqual(actual[1], expected[1])


class AddressSpaceLimitTest(IoTestCase):

    def fill(self, make):
        """Writes 1 MiB chunks until the memory runs out; then what the
        stream holds, where it is, and a write once memory is freed."""
        holder = []
        chunk = bytes(range(256)) * 4096

        def fill():
            stream = holder[0]
            try:
                while True:
                    stream.write(chunk)
            except MemoryError:
                return 'MemoryError'

        def state():
            stream, piece = holder
            size = stream.tell()
            stream.seek(0)
            intact = all(stream.readinto(piece) == len(chunk) and piece == chunk
                         for _ in range(size // len(chunk)))
            stream.truncate(len(chunk))
            stream.seek(0, io.SEEK_END)
            return (size % len(chunk), intact, stream.write(b'more'), stream.tell())

        def start():
            holder.append(make())
            holder.append(bytearray(len(chunk)))  # read back into it, later

        calls = [start, fill, state]
        return iotest.outcomes_in_child(little_address_space, calls)

    def test_memory_error_keeps_content(self):
        """Both raise MemoryError. BytesIO then drops its buffer and is
        closed (CPython's _PyBytes_Resize frees it on failure); the memory
        stream keeps every byte it took, its position, and works on:
        libstream loses no data (docs/reliability.md)."""
        expected = self.fill(io.BytesIO)
        self.assertEqual(expected[1], ('ok', 'MemoryError'))
        self.assertEqual(expected[2][:2], ('exc', 'ValueError'))
        actual = self.fill(Io.MemoryStream)
        self.assertEqual(actual[1], expected[1])
        self.assertEqual(actual[2], ('ok', (0, True, 4, (1 << 20) + 4)))


if __name__ == '__main__':
    main()
