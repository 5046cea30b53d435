/* test-memory-stream.vala: Io.MemoryStream from Vala, every core operation
 * through the generated VAPI, the caller-buffer read included
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

using IoTest;

static Io.Stream memory (string text) {
  return new Io.MemoryStream (text.data);
}

static void test_construct () {
  try {
    assert_bytes (memory ("abc").readall (), "abc");
    assert_bytes (new Io.MemoryStream (null).readall (), "");
    var shared = new GLib.Bytes ("def".data);
    assert_bytes (new Io.MemoryStream.from_bytes (shared).readall (), "def");
    var property = (Io.MemoryStream) GLib.Object.new (typeof (Io.MemoryStream),
                                                      "initial-bytes", shared);
    assert_bytes (property.get_value (), "def");
    assert_true (memory ("") is Io.MemoryStream);
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  }
}

static void test_read_caller_buffer () {
  try {
    var s = memory ("hello world");
    var buffer = new uint8[5];
    assert_true (s.read (buffer) == 5);
    assert_data (buffer, "hello");

    /* A read past the end is short and leaves the rest of the buffer. */
    var big = new uint8[10];
    GLib.Memory.set (big, 'x', big.length);
    assert_true (s.read (big) == 6);
    assert_data (big[0:6], " world");
    assert_true (big[6] == 'x');
    assert_true (s.read (big) == 0);

    s.seek (0, Io.Whence.SET);
    var one = new uint8[100];
    assert_true (s.read1 (one) == 11);
    assert_data (one[0:11], "hello world");
    assert_true (s.read (new uint8[0]) == 0);
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  }
}

static void test_read_new_data () {
  try {
    var s = memory ("one\ntwo\nthree\nlast");
    assert_data (s.read_array (2), "on");
    assert_bytes (s.read_bytes (2), "e\n");
    assert_data (s.read1_array (-1), "two\nthree\nlast");
    s.seek (0, Io.Whence.SET);
    assert_bytes (s.read1_bytes (3), "one");
    assert_bytes (s.peek (2), "\nt");
    assert_true (s.tell () == 3);
    assert_bytes (s.readall (), "\ntwo\nthree\nlast");
    assert_bytes (s.readall (), "");
    assert_data (s.read_array (-1), "");
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  }
}

static void test_lines () {
  try {
    var s = memory ("one\ntwo\nthree\nlast");
    assert_bytes (s.readline (-1), "one\n");
    assert_bytes (s.readline (2), "tw");
    assert_data (s.readline_array (-1), "o\n");
    var lines = s.readlines (-1);
    assert_cmpuint (lines.length, GLib.CompareOperator.EQ, 2);
    assert_bytes (lines[0], "three\n");
    assert_bytes (lines[1], "last");
    assert_bytes (s.readline (-1), "");
    s.seek (0, Io.Whence.SET);
    assert_cmpuint (s.readlines (5).length, GLib.CompareOperator.EQ, 2);
    s.seek (0, Io.Whence.SET);
    assert_data (s.readlines_joined (-1), "one\ntwo\nthree\nlast");
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  }
}

static void test_write () {
  try {
    var s = new Io.MemoryStream (null);
    assert_true (s.write ("abc".data) == 3);
    assert_true (s.write_bytes (new GLib.Bytes ("de".data)) == 2);
    GLib.Bytes[] lines = { new GLib.Bytes ("\n1".data), new GLib.Bytes ("\n2".data) };
    assert_true (s.writelines (lines));
    assert_true (s.flush ());
    assert_true (s.tell () == 9);
    assert_bytes (s.get_value (), "abcde\n1\n2");
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  }
}

static void test_bytesio_traps () {
  try {
    var s = new Io.MemoryStream (null);
    s.write ("hello".data);
    assert_bytes (s.readall (), "");
    assert_true (s.seek (0, Io.Whence.SET) == 0);
    assert_bytes (s.readall (), "hello");

    s.seek (0, Io.Whence.SET);
    s.write ("J".data);
    assert_bytes (s.get_value (), "Jello");
    assert_true (s.seek (0, Io.Whence.END) == 5);
    s.write ("!".data);
    assert_bytes (s.get_value (), "Jello!");

    /* Past the end: reads nothing, a write fills the gap with zeros. */
    assert_true (s.seek (8, Io.Whence.SET) == 8);
    assert_bytes (s.readall (), "");
    s.write ("Z".data);
    uint8[] gap = { 'J', 'e', 'l', 'l', 'o', '!', 0, 0, 'Z' };
    assert_cmpmem (s.get_value ().get_data (), gap);

    /* A relative seek before the start stops at 0. */
    assert_true (s.seek (-100, Io.Whence.CUR) == 0);
    assert_true (s.seek (-100, Io.Whence.END) == 0);

    /* truncate shrinks, never extends, keeps the position. */
    s.seek (4, Io.Whence.SET);
    assert_true (s.truncate (2) == 2);
    assert_true (s.tell () == 4);
    assert_true (s.truncate (10) == 10);
    assert_bytes (s.get_value (), "Je");
    s.seek (1, Io.Whence.SET);
    assert_true (s.truncate (-1) == 1);
    assert_bytes (s.get_value (), "J");
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  }
}

static void test_64bit_offsets () {
  try {
    var s = memory ("x");
    int64 far = (int64) 1 << 40;
    assert_true (s.seek (far, Io.Whence.SET) == far);
    assert_true (s.tell () == far);
    assert_true (s.seek (far, Io.Whence.CUR) == 2 * far);
    assert_bytes (s.readall (), "");
    assert_true (((Io.MemoryStream) s).get_value ().length == 1);
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  }
}

static void test_state () {
  try {
    var s = memory ("abc");
    assert_true (s.readable () && s.writable () && s.seekable ());
    assert_false (s.isatty ());
    assert_false (s.closed);
    assert_false (s.is_closed ());
    assert_true (s.close ());
    assert_true (s.closed);
    assert_true (s.is_closed ());
    assert_true (s.close ());
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  }
}

static void test_closed_errors () {
  var s = memory ("abc\n");
  try {
    s.close ();
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  }

  /* The errordomain code is catchable directly. */
  try {
    s.read (new uint8[1]);
    GLib.error ("read on a closed stream succeeded");
  } catch (GLib.IOError.CLOSED e) {
    assert_true (e.domain == GLib.IOError.quark ());
  } catch (GLib.Error e) {
    GLib.error ("wrong error: %s", e.message);
  }

  assert_io_error (() => s.read1 (new uint8[1]), GLib.IOError.CLOSED);
  assert_io_error (() => s.read_array (1), GLib.IOError.CLOSED);
  assert_io_error (() => s.read_bytes (1), GLib.IOError.CLOSED);
  assert_io_error (() => s.readall (), GLib.IOError.CLOSED);
  assert_io_error (() => s.peek (1), GLib.IOError.CLOSED);
  assert_io_error (() => s.readline (-1), GLib.IOError.CLOSED);
  assert_io_error (() => s.readlines (-1), GLib.IOError.CLOSED);
  assert_io_error (() => s.write ("x".data), GLib.IOError.CLOSED);
  assert_io_error (() => s.write_bytes (new GLib.Bytes ("x".data)), GLib.IOError.CLOSED);
  assert_io_error (() => s.flush (), GLib.IOError.CLOSED);
  assert_io_error (() => s.seek (0, Io.Whence.SET), GLib.IOError.CLOSED);
  assert_io_error (() => s.tell (), GLib.IOError.CLOSED);
  assert_io_error (() => s.truncate (0), GLib.IOError.CLOSED);
  assert_io_error (() => s.readable (), GLib.IOError.CLOSED);
  assert_io_error (() => s.writable (), GLib.IOError.CLOSED);
  assert_io_error (() => s.seekable (), GLib.IOError.CLOSED);
  assert_io_error (() => s.isatty (), GLib.IOError.CLOSED);
  assert_io_error (() => s.fileno (), GLib.IOError.CLOSED);
  assert_io_error (() => ((Io.MemoryStream) s).get_value (), GLib.IOError.CLOSED);
}

static void test_argument_errors () {
  var s = memory ("abc");
  assert_io_error (() => s.fileno (), GLib.IOError.NOT_SUPPORTED);
  assert_io_error (() => s.read_array (-2), GLib.IOError.INVALID_ARGUMENT);
  assert_io_error (() => s.readline (-3), GLib.IOError.INVALID_ARGUMENT);
  assert_io_error (() => s.seek (-1, Io.Whence.SET), GLib.IOError.INVALID_ARGUMENT);
  assert_io_error (() => s.seek (0, (Io.Whence) 7), GLib.IOError.INVALID_ARGUMENT);
  assert_io_error (() => s.truncate (-2), GLib.IOError.INVALID_ARGUMENT);
}

static void test_export () {
  try {
    var s = new Io.MemoryStream ("hello".data);
    unowned uint8[] view;
    assert_true (s.acquire_buffer (out view));
    assert_cmpuint (s.get_exports (), GLib.CompareOperator.EQ, 1);
    assert_data (view, "hello");

    /* The view is the live buffer: writing through it changes the value. */
    view[0] = 'J';
    assert_bytes (s.get_value (), "Jello");
    assert_bytes (s.readall (), "Jello");

    assert_io_error (() => s.write ("x".data), GLib.IOError.BUSY);
    assert_io_error (() => s.truncate (1), GLib.IOError.BUSY);
    assert_io_error (() => s.close (), GLib.IOError.BUSY);
    assert_false (s.closed);

    size_t len;
    assert_true (s.acquire_buffer_address (out len) == (uintptr) view);
    assert_true (len == 5);
    s.release_buffer ();
    assert_io_error (() => s.write ("x".data), GLib.IOError.BUSY);
    s.release_buffer ();
    assert_cmpuint (s.get_exports (), GLib.CompareOperator.EQ, 0);
    assert_true (s.write ("!".data) == 1);
    assert_bytes (s.get_value (), "Jello!");
    assert_true (s.close ());
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  }
}

int main (string[] args) {
  GLib.Test.init (ref args);
  GLib.Test.add_func ("/vala/memory-stream/construct", test_construct);
  GLib.Test.add_func ("/vala/memory-stream/read-caller-buffer", test_read_caller_buffer);
  GLib.Test.add_func ("/vala/memory-stream/read-new-data", test_read_new_data);
  GLib.Test.add_func ("/vala/memory-stream/lines", test_lines);
  GLib.Test.add_func ("/vala/memory-stream/write", test_write);
  GLib.Test.add_func ("/vala/memory-stream/bytesio-traps", test_bytesio_traps);
  GLib.Test.add_func ("/vala/memory-stream/64bit-offsets", test_64bit_offsets);
  GLib.Test.add_func ("/vala/memory-stream/state", test_state);
  GLib.Test.add_func ("/vala/memory-stream/closed-errors", test_closed_errors);
  GLib.Test.add_func ("/vala/memory-stream/argument-errors", test_argument_errors);
  GLib.Test.add_func ("/vala/memory-stream/export", test_export);
  return GLib.Test.run ();
}
