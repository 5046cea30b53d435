#!/usr/bin/python3
# gnome-recipes.py: the recipes of docs/gnome-integration.md, in Python
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import gzip
import io
import os
import sys
import tempfile

import gi
gi.require_version('GdkPixbuf', '2.0')
gi.require_version('Io', '1')
from gi.repository import GdkPixbuf, Gio, Io  # noqa: E402

# Recipe: lines of an Io.Stream through Gio.DataInputStream
stream = Io.MemoryStream(b'one\ntwo\n')
data = Gio.DataInputStream.new(stream.as_input_stream())
while (line := data.read_line_utf8(None)[0]) is not None:
    print('line:', line)

# Recipe: splice a Gio.File into an Io.MemoryStream
memory = Io.MemoryStream()
target = memory.as_output_stream()
target.props.close_base = False     # keep the memory stream open
n = target.splice(Gio.File.new_for_path(sys.argv[0]).read(None),
                  Gio.OutputStreamSpliceFlags.CLOSE_SOURCE
                  | Gio.OutputStreamSpliceFlags.CLOSE_TARGET, None)
assert memory.getvalue() == open(sys.argv[0], 'rb').read()
print('spliced', n, 'bytes')

# Recipe: a PNG held in memory, decoded by GdkPixbuf
image = GdkPixbuf.Pixbuf.new(GdkPixbuf.Colorspace.RGB, False, 8, 4, 3)
png = image.save_to_bufferv('png', [], [])[1]
loaded = GdkPixbuf.Pixbuf.new_from_stream(Io.MemoryStream(png).as_input_stream(), None)
print('image: %dx%d' % (loaded.get_width(), loaded.get_height()))

# Recipe: a subprocess's output, line by line
process = Gio.Subprocess.new(['printf', 'a\\nb\\n'], Gio.SubprocessFlags.STDOUT_PIPE)
for line in Io.Stream.new_for_input_stream(process.get_stdout_pipe()):
    print('child:', line.decode(), end='')
process.wait_check(None)

# Recipe: a gzip file, line by line, through new_for_file, a converter and
# a buffered reader (Python's gzip writes it)
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, 'lines.gz')
    with gzip.open(path, 'wb') as f:
        f.write(b'one\ntwo\n')
    gfile = Gio.File.new_for_path(path)
    gunzip = Gio.ZlibDecompressor.new(Gio.ZlibCompressorFormat.GZIP)
    text = Io.ConverterStream(Io.Stream.new_for_file(gfile, 'rb', None), gunzip)
    with Io.BufferedReader.new(text, io.DEFAULT_BUFFER_SIZE) as lines:
        read = []
        for line in lines:
            print('gzip:', line.decode(), end='')
            read.append(line)
    assert read == [b'one\n', b'two\n']
