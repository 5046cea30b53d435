#!/usr/bin/python3
# test_stdlib.py: stdlib consumers of binary file objects accept libstream streams
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import gzip
import io
import json
import pickle
import shutil
import tarfile
import zipfile

from iotest import Io, IoTestCase, PyBuffer, main, text_lines


def memory_stream(data=b''):
    return Io.MemoryStream(data)


def python_stream(data=b''):
    return PyBuffer(data, chunk=4096)


FACTORIES = [memory_stream, python_stream]


def contents(stream):
    stream.seek(0)
    return stream.read()


class StdlibConsumers(IoTestCase):
    def each_stream(self):
        for factory in FACTORIES:
            with self.subTest(stream=factory.__name__):
                yield factory

    def test_shutil_copyfileobj(self):
        data = bytes(range(256)) * 1000
        for factory in self.each_stream():
            source = factory(data)
            target = factory()
            shutil.copyfileobj(source, target, 3000)
            self.assertEqual(contents(target), data)
            plain = io.BytesIO()
            target.seek(0)
            shutil.copyfileobj(target, plain)
            self.assertEqual(plain.getvalue(), data)

    def test_zipfile(self):
        for factory in self.each_stream():
            stream = factory()
            with zipfile.ZipFile(stream, 'w', zipfile.ZIP_DEFLATED) as archive:
                archive.writestr('a.txt', b'alpha\n' * 100)
                archive.writestr('dir/b.bin', bytes(range(256)))
            self.assertFalse(stream.closed)
            raw = contents(stream)
            self.assertIsNone(zipfile.ZipFile(io.BytesIO(raw)).testzip())
            with zipfile.ZipFile(stream) as archive:
                self.assertEqual(archive.namelist(), ['a.txt', 'dir/b.bin'])
                self.assertEqual(archive.read('a.txt'), b'alpha\n' * 100)
                with archive.open('dir/b.bin') as member:
                    self.assertEqual(member.read(), bytes(range(256)))
            # append to an existing archive in the stream
            with zipfile.ZipFile(stream, 'a') as archive:
                archive.writestr('c.txt', b'gamma')
            with zipfile.ZipFile(stream) as archive:
                self.assertEqual(archive.read('c.txt'), b'gamma')

    def test_tarfile(self):
        payload = text_lines(200)
        for factory in self.each_stream():
            stream = factory()
            with tarfile.open(fileobj=stream, mode='w:gz') as archive:
                info = tarfile.TarInfo('lines.txt')
                info.size = len(payload)
                archive.addfile(info, io.BytesIO(payload))
            stream.seek(0)
            with tarfile.open(fileobj=stream, mode='r:*') as archive:
                self.assertEqual(archive.getnames(), ['lines.txt'])
                self.assertEqual(archive.extractfile('lines.txt').read(), payload)
            stream.seek(0)
            with tarfile.open(fileobj=stream, mode='r|gz') as archive:
                member = next(iter(archive))
                self.assertEqual(archive.extractfile(member).read(), payload)

    def test_gzip(self):
        payload = text_lines(500)
        for factory in self.each_stream():
            stream = factory()
            with gzip.GzipFile(fileobj=stream, mode='wb') as compressed:
                compressed.write(payload)
            self.assertEqual(gzip.decompress(contents(stream)), payload)
            stream.seek(0)
            with gzip.GzipFile(fileobj=stream, mode='rb') as compressed:
                self.assertEqual(compressed.readline(), payload[:80])
                self.assertEqual(compressed.read(), payload[80:])
            stream.seek(0)
            self.assertEqual(list(gzip.GzipFile(fileobj=stream)), io.BytesIO(payload).readlines())

    def test_pickle(self):
        values = [{'a': [1, 2.5, None], 'b': b'bytes' * 100}, 'text', list(range(1000))]
        for factory in self.each_stream():
            stream = factory()
            for protocol in (0, 2, pickle.HIGHEST_PROTOCOL):
                for value in values:
                    pickle.dump(value, stream, protocol=protocol)
            stream.seek(0)
            for protocol in (0, 2, pickle.HIGHEST_PROTOCOL):
                for value in values:
                    self.assertEqual(pickle.load(stream), value)
            self.assertEqual(stream.read(), b'')

    def test_text_io_wrapper(self):
        for factory in self.each_stream():
            stream = factory()
            text = io.TextIOWrapper(stream, encoding='utf-8', newline='')
            text.write('héllo\nwörld\r\nlast')
            text.flush()
            self.assertEqual(contents(stream), 'héllo\nwörld\r\nlast'.encode())
            text.seek(0)
            self.assertEqual(text.readline(), 'héllo\n')
            position = text.tell()
            self.assertEqual(text.read(), 'wörld\r\nlast')
            text.seek(position)
            self.assertEqual(text.readlines(), ['wörld\r\n', 'last'])
            self.assertIs(text.detach(), stream)
            self.assertFalse(stream.closed)
            universal = io.TextIOWrapper(stream, encoding='utf-8')
            universal.seek(0)
            self.assertEqual(list(universal), ['héllo\n', 'wörld\n', 'last'])
            universal.close()
            self.assertTrue(stream.closed)

    def test_json_through_a_text_wrapper(self):
        document = {'name': 'libstream', 'numbers': list(range(50)), 'nested': {'ok': True}}
        for factory in self.each_stream():
            stream = factory()
            writer = io.TextIOWrapper(stream, encoding='utf-8')
            json.dump(document, writer)
            writer.flush()
            writer.detach()
            stream.seek(0)
            self.assertEqual(json.load(io.TextIOWrapper(stream, encoding='utf-8')), document)

    def test_buffered_reader_over_a_stream(self):
        data = text_lines(100)
        for factory in self.each_stream():
            reader = io.BufferedReader(factory(data))
            self.assertEqual(reader.readline(), data[:80])
            self.assertEqual(reader.read(), data[80:])


if __name__ == '__main__':
    main()
