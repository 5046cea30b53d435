/* test-buffered.vala: a raw stream written in Vala under the C buffered
 * layers, and io_open() from Vala
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

using IoTest;

/* A seekable read-write raw over a GLib.ByteArray that counts its calls
 * and moves at most max_chunk bytes per call. */
class CountingRaw : Io.Stream {
  public GLib.ByteArray data = new GLib.ByteArray ();
  public int64 position = 0;
  public size_t max_chunk;
  public size_t last_read_count = 0;
  public uint reads = 0;
  public uint writes = 0;
  public uint seeks = 0;
  public uint closes = 0;
  public bool fail_writes = false;

  public CountingRaw (string initial, size_t max_chunk = 1024) {
    this.data.append (initial.data);
    this.max_chunk = max_chunk;
  }

  public override ssize_t read (uint8[] buffer) throws GLib.IOError {
    reads++;
    last_read_count = buffer.length;
    if (position >= data.len)
      return 0;
    var n = size_t.min (size_t.min (buffer.length, max_chunk), data.len - (size_t) position);
    GLib.Memory.copy (buffer, (uint8 *) data.data + position, n);
    position += (int64) n;
    return (ssize_t) n;
  }

  public override ssize_t write (uint8[] buffer) throws GLib.IOError {
    writes++;
    if (fail_writes)
      throw new GLib.IOError.NO_SPACE ("disk full");
    var n = size_t.min (buffer.length, max_chunk);
    if (position + (int64) n > data.len)
      data.set_size ((uint) (position + (int64) n));
    GLib.Memory.copy ((uint8 *) data.data + position, buffer, n);
    position += (int64) n;
    return (ssize_t) n;
  }

  public override int64 seek (int64 offset, Io.Whence whence) throws GLib.IOError {
    seeks++;
    int64 base_position = whence == Io.Whence.SET ? 0 : whence == Io.Whence.CUR ? position : data.len;
    position = int64.max (0, base_position + offset);
    return position;
  }

  public override int64 tell () throws GLib.IOError {
    return position;
  }

  public override bool close () throws GLib.IOError {
    closes++;
    return true;
  }

  public string text () {
    return ((string) data.data).substring (0, data.len);
  }
}

static void test_reader () {
  try {
    var raw = new CountingRaw ("one\ntwo\nthree\n", 5);
    var reader = new Io.BufferedReader (raw, 8);
    assert_true (reader.raw == raw);
    assert_cmpuint ((uint) reader.buffer_size, GLib.CompareOperator.EQ, 8);

    var first = new uint8[2];
    assert_true (reader.read (first) == 2);
    assert_data (first, "on");
    /* One raw read of the buffer size, cut short by the raw to 5. */
    assert_cmpuint (raw.reads, GLib.CompareOperator.EQ, 1);
    assert_cmpuint ((uint) raw.last_read_count, GLib.CompareOperator.EQ, 8);
    assert_bytes (reader.peek (10), "e\nt");
    assert_cmpuint (raw.reads, GLib.CompareOperator.EQ, 1);
    assert_bytes (reader.readline (-1), "e\n");
    assert_true (reader.tell () == 4);
    /* read1 serves the buffer first, then makes one raw read. */
    assert_bytes (reader.read1_bytes (-1), "t");
    assert_cmpuint (raw.reads, GLib.CompareOperator.EQ, 1);
    assert_bytes (reader.read1_bytes (-1), "wo\nth");
    assert_cmpuint (raw.reads, GLib.CompareOperator.EQ, 2);
    var lines = reader.readlines (-1);
    assert_cmpuint (lines.length, GLib.CompareOperator.EQ, 1);
    assert_bytes (lines[0], "ree\n");
    assert_true (reader.getc () == -1);

    assert_true (reader.seek (4, Io.Whence.SET) == 4);
    assert_bytes (reader.read_bytes (3), "two");
    reader.close ();
    assert_cmpuint (raw.closes, GLib.CompareOperator.EQ, 1);
  } catch (GLib.IOError e) {
    GLib.error ("%s", e.message);
  }
}

static void test_writer () {
  try {
    var raw = new CountingRaw ("", 3);
    var writer = new Io.BufferedWriter (raw, 16);
    assert_true (writer.write ("hello ".data) == 6);
    assert_true (writer.write ("world".data) == 5);
    assert_cmpuint (raw.writes, GLib.CompareOperator.EQ, 0);
    assert_true (writer.tell () == 11);
    /* The flush retries the raw's short writes. */
    assert_true (writer.flush ());
    assert_cmpuint (raw.writes, GLib.CompareOperator.EQ, 4);
    assert_cmpstr (raw.text (), GLib.CompareOperator.EQ, "hello world");

    /* Larger than the buffer: written through. */
    assert_true (writer.write ("0123456789abcdefXYZ".data) == 19);
    assert_cmpstr (raw.text (), GLib.CompareOperator.EQ, "hello world0123456789abcdefXYZ");

    var back = writer.detach ();
    assert_true (back == raw);
    assert_io_error (() => writer.write ("x".data), GLib.IOError.CLOSED);
  } catch (GLib.IOError e) {
    GLib.error ("%s", e.message);
  }
}

/* close() closes the raw even when the flush failed, and throws the
 * flush error. */
static void test_writer_close_error () {
  try {
    var raw = new CountingRaw ("");
    var writer = new Io.BufferedWriter (raw, Io.DEFAULT_BUFFER_SIZE);
    writer.write ("lost".data);
    raw.fail_writes = true;
    assert_io_error (() => writer.close (), GLib.IOError.NO_SPACE);
    assert_true (writer.closed);
    assert_cmpuint (raw.closes, GLib.CompareOperator.EQ, 1);
  } catch (GLib.IOError e) {
    GLib.error ("%s", e.message);
  }
}

static void test_construction_errors () {
  var raw = new CountingRaw ("");
  assert_io_error (() => new Io.BufferedReader (raw, 0), GLib.IOError.INVALID_ARGUMENT);
  var memory = new Io.MemoryStream (null);
  assert_io_error (() => new Io.BufferedRWPair (raw, memory, 0), GLib.IOError.INVALID_ARGUMENT);
}

static void test_open () {
  try {
    string dir = GLib.DirUtils.make_tmp ("vala-buffered-XXXXXX");
    string path = GLib.Path.build_filename (dir, "file");
    var writer = Io.open (path, "wb", -1);
    assert_true (writer is Io.BufferedWriter);
    writer.write ("vala\n".data);
    writer.close ();
    var reader = Io.open (path, "rb", 0);
    assert_true (reader is Io.FileStream);
    assert_bytes (reader.readall (), "vala\n");
    reader.close ();
    assert_io_error (() => Io.open (path, "r", -1), GLib.IOError.NOT_SUPPORTED);
    GLib.FileUtils.unlink (path);
    GLib.DirUtils.remove (dir);
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  }
}

int main (string[] args) {
  GLib.Test.init (ref args);
  GLib.Test.add_func ("/vala/buffered/reader", test_reader);
  GLib.Test.add_func ("/vala/buffered/writer", test_writer);
  GLib.Test.add_func ("/vala/buffered/writer-close-error", test_writer_close_error);
  GLib.Test.add_func ("/vala/buffered/construction-errors", test_construction_errors);
  GLib.Test.add_func ("/vala/buffered/open", test_open);
  return GLib.Test.run ();
}
