/* test-subclass.vala: an Io.Stream written in Vala, overriding the
 * caller-buffer read, driven by the C loops of libstream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

using IoTest;

/* A seekable read-write stream over a GLib.ByteArray that moves at most
 * max_chunk bytes per call, so the C loops must call it several times. */
class ArrayStream : Io.Stream {
  public GLib.ByteArray data = new GLib.ByteArray ();
  public int64 position = 0;
  public size_t max_chunk;
  public uint reads = 0;
  public uint writes = 0;
  public uint seeks = 0;
  public uint flushes = 0;
  public uint closes = 0;

  public ArrayStream (string initial, size_t max_chunk = 3) {
    this.data.append (initial.data);
    this.max_chunk = max_chunk;
  }

  public override ssize_t read (uint8[] buffer) throws GLib.IOError {
    reads++;
    if (position >= data.len)
      return 0;
    var n = size_t.min (size_t.min (buffer.length, max_chunk), data.len - (size_t) position);
    GLib.Memory.copy (buffer, (uint8 *) data.data + position, n);
    position += (int64) n;
    return (ssize_t) n;
  }

  public override ssize_t write (uint8[] buffer) throws GLib.IOError {
    writes++;
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

  public override int64 truncate (int64 size) throws GLib.IOError {
    data.set_size ((uint) int64.min (size, data.len));
    return size;
  }

  public override bool flush () throws GLib.IOError {
    flushes++;
    return true;
  }

  public override bool close () throws GLib.IOError {
    closes++;
    return true;
  }

  public string text () {
    return ((string) data.data).substring (0, data.len);
  }
}

/* A read-only stream that gives @chunks one per read, then throws. */
class FailingStream : Io.Stream {
  private string[] chunks;
  private int next = 0;

  public FailingStream (string[] chunks) {
    this.chunks = chunks;
  }

  public override ssize_t read (uint8[] buffer) throws GLib.IOError {
    if (next == chunks.length)
      throw new GLib.IOError.CONNECTION_CLOSED ("the peer went away");
    unowned uint8[] chunk = chunks[next++].data;
    GLib.Memory.copy (buffer, chunk, chunk.length);
    return chunk.length;
  }
}

/* A stream that claims to be a terminal on descriptor 7 and answers peek
 * from its own lookahead, for the optional vfuncs. */
class TerminalStream : Io.Stream {
  public override ssize_t read (uint8[] buffer) throws GLib.IOError {
    return 0;
  }

  public override GLib.Bytes? peek (size_t count) throws GLib.IOError {
    return new GLib.Bytes (">>> ".data[0:size_t.min (count, 4)]);
  }

  public override bool isatty () throws GLib.IOError {
    return true;
  }

  public override int fileno () throws GLib.IOError {
    return 7;
  }
}

static void test_capabilities () {
  try {
    var s = new ArrayStream ("");
    assert_true (s.readable () && s.writable () && s.seekable ());
    var f = new FailingStream ({});
    assert_true (f.readable ());
    assert_false (f.writable ());
    assert_false (f.seekable ());
    assert_io_error (() => f.write ("x".data), GLib.IOError.NOT_SUPPORTED);
    assert_io_error (() => f.seek (0, Io.Whence.SET), GLib.IOError.NOT_SUPPORTED);
    assert_io_error (() => f.truncate (0), GLib.IOError.NOT_SUPPORTED);
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  }
}

static void test_read_loops () {
  try {
    var s = new ArrayStream ("0123456789");
    var buffer = new uint8[7];
    assert_true (s.read (buffer) == 7);
    assert_data (buffer, "0123456");
    assert_cmpuint (s.reads, GLib.CompareOperator.EQ, 3);
    assert_true (s.read1 (buffer) == 3);
    assert_data (buffer[0:3], "789");
    assert_cmpuint (s.reads, GLib.CompareOperator.EQ, 4);

    s.seek (0, Io.Whence.SET);
    assert_bytes (s.readall (), "0123456789");
    assert_cmpuint (s.reads, GLib.CompareOperator.GE, 9);
    s.seek (-4, Io.Whence.END);
    assert_data (s.read_array (-1), "6789");
    s.seek (1, Io.Whence.SET);
    assert_bytes (s.peek (2), "12");
    assert_true (s.tell () == 1);
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  }
}

static void test_lines () {
  try {
    var s = new ArrayStream ("alpha\nbeta\ngamma", 4);
    assert_bytes (s.readline (-1), "alpha\n");
    assert_true (s.tell () == 6);
    var lines = s.readlines (-1);
    assert_cmpuint (lines.length, GLib.CompareOperator.EQ, 2);
    assert_bytes (lines[0], "beta\n");
    assert_bytes (lines[1], "gamma");
    s.seek (0, Io.Whence.SET);
    assert_data (s.readlines_joined (-1), "alpha\nbeta\ngamma");
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  }
}

static void test_write_loops () {
  try {
    var s = new ArrayStream ("", 3);
    assert_true (s.write ("0123456789".data) == 10);
    assert_cmpuint (s.writes, GLib.CompareOperator.EQ, 4);
    assert_true (s.write_bytes (new GLib.Bytes ("ab".data)) == 2);
    GLib.Bytes[] lines = { new GLib.Bytes ("\nx".data), new GLib.Bytes ("y\n".data) };
    assert_true (s.writelines (lines));
    assert_true (s.flush ());
    assert_cmpuint (s.flushes, GLib.CompareOperator.EQ, 1);
    assert_cmpstr (s.text (), GLib.CompareOperator.EQ, "0123456789ab\nxy\n");
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  }
}

static void test_positioning () {
  try {
    var s = new ArrayStream ("abcdef");
    assert_true (s.seek (2, Io.Whence.SET) == 2);
    assert_true (s.seek (1, Io.Whence.CUR) == 3);
    assert_true (s.seek (-1, Io.Whence.END) == 5);
    int64 far = (int64) 1 << 40;
    assert_true (s.seek (far, Io.Whence.SET) == far);
    assert_true (s.tell () == far);
    assert_true (s.truncate (3) == 3);
    assert_cmpstr (s.text (), GLib.CompareOperator.EQ, "abc");
    assert_io_error (() => s.seek (-1, Io.Whence.SET), GLib.IOError.INVALID_ARGUMENT);
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  }
}

static void test_copy_with_memory_stream () {
  try {
    var text = "first line\nsecond line\nthird\n";
    var memory = new Io.MemoryStream (text.data);
    var vala = new ArrayStream ("", 5);
    assert_true (vala.writelines (memory.readlines (-1).data));
    assert_cmpstr (vala.text (), GLib.CompareOperator.EQ, text);

    vala.seek (0, Io.Whence.SET);
    var copy = new Io.MemoryStream (null);
    assert_true (copy.write_bytes (vala.readall ()) == text.length);
    assert_bytes (copy.get_value (), text);

    /* Through a caller buffer, chunk by chunk. */
    vala.seek (0, Io.Whence.SET);
    var chunked = new Io.MemoryStream (null);
    var buffer = new uint8[4];
    ssize_t n;
    while ((n = vala.read1 (buffer)) > 0)
      chunked.write (buffer[0:n]);
    assert_bytes (chunked.get_value (), text);
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  }
}

static void test_close () {
  try {
    var s = new ArrayStream ("abc");
    assert_true (s.close ());
    assert_true (s.close ());
    assert_cmpuint (s.closes, GLib.CompareOperator.EQ, 1);
    var reads = s.reads;
    assert_io_error (() => s.read (new uint8[1]), GLib.IOError.CLOSED);
    assert_io_error (() => s.write ("x".data), GLib.IOError.CLOSED);
    assert_cmpuint (s.reads, GLib.CompareOperator.EQ, reads);
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  }
}

static void test_errors_reach_the_caller () {
  try {
    var s = new FailingStream ({ "ab", "cd" });
    /* The bytes before the failure come back; the error comes next. */
    assert_bytes (s.readall (), "abcd");
    try {
      s.readall ();
      GLib.error ("the failure was lost");
    } catch (GLib.IOError.CONNECTION_CLOSED e) {
      assert_cmpstr (e.message, GLib.CompareOperator.EQ, "the peer went away");
    }
    assert_io_error (() => new FailingStream ({}).read (new uint8[4]),
                     GLib.IOError.CONNECTION_CLOSED);
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  }
}

static void test_optional_vfuncs () {
  try {
    var s = new TerminalStream ();
    assert_true (s.isatty ());
    assert_cmpint (s.fileno (), GLib.CompareOperator.EQ, 7);
    assert_bytes (s.peek (2), ">>");
    assert_bytes (s.readall (), "");
    var plain = new ArrayStream ("");
    assert_false (plain.isatty ());
    assert_io_error (() => plain.fileno (), GLib.IOError.NOT_SUPPORTED);
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  }
}

int main (string[] args) {
  GLib.Test.init (ref args);
  GLib.Test.add_func ("/vala/subclass/capabilities", test_capabilities);
  GLib.Test.add_func ("/vala/subclass/read-loops", test_read_loops);
  GLib.Test.add_func ("/vala/subclass/lines", test_lines);
  GLib.Test.add_func ("/vala/subclass/write-loops", test_write_loops);
  GLib.Test.add_func ("/vala/subclass/positioning", test_positioning);
  GLib.Test.add_func ("/vala/subclass/copy-with-memory-stream", test_copy_with_memory_stream);
  GLib.Test.add_func ("/vala/subclass/close", test_close);
  GLib.Test.add_func ("/vala/subclass/errors-reach-the-caller", test_errors_reach_the_caller);
  GLib.Test.add_func ("/vala/subclass/optional-vfuncs", test_optional_vfuncs);
  return GLib.Test.run ();
}
