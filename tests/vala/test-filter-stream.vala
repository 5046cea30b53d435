/* test-filter-stream.vala: Io.FilterStream from Vala: a subclass that
 * transforms what it reads (a caller-buffer read, as C subclasses
 * override), close-base and detach ()
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

using IoTest;

/* Upper-cases the ASCII letters it reads from its base. */
class UpperFilter : Io.FilterStream {
  public UpperFilter (Io.Stream base_stream) {
    Object (base_stream: base_stream);
  }

  public override ssize_t read (uint8[] buffer) throws GLib.IOError {
    var n = base_stream.read1 (buffer);
    for (var i = 0; i < n; i++)
      buffer[i] = ((char) buffer[i]).toupper ();
    return n;
  }
}

/* Overrides nothing: every call is the base class's forwarding. */
class PassFilter : Io.FilterStream {
  public PassFilter (Io.Stream base_stream, bool close_base = true) {
    Object (base_stream: base_stream, close_base: close_base);
  }
}

static Io.Stream memory (string text) {
  return new Io.MemoryStream (text.data);
}

static void test_pass_through () {
  try {
    var base_stream = memory ("one\ntwo\n");
    var filter = new PassFilter (base_stream);
    assert_true (filter.base_stream == base_stream);
    assert_true (filter.close_base);
    assert_true (filter.readable () && filter.writable () && filter.seekable ());
    assert_bytes (filter.readline (-1), "one\n");
    assert_cmpint ((int) base_stream.tell (), GLib.CompareOperator.EQ, 4);
    filter.seek (0, Io.Whence.END);
    filter.write ("six".data);
    assert_bytes (((Io.MemoryStream) base_stream).get_value (), "one\ntwo\nsix");
    assert_io_error (() => filter.fileno (), GLib.IOError.NOT_SUPPORTED);
    filter.close ();
    assert_true (base_stream.closed);
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  }
}

static void test_subclass_transforms () {
  try {
    var filter = new UpperFilter (memory ("shout\nquietly"));
    assert_bytes (filter.readline (-1), "SHOUT\n");
    assert_bytes (filter.read_bytes (-1), "QUIETLY");
    filter.close ();
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  }
}

static void test_close_base_and_detach () {
  try {
    var base_stream = memory ("abc");
    var kept = new PassFilter (base_stream, false);
    kept.close ();
    assert_false (base_stream.closed);

    var filter = new PassFilter (base_stream);
    assert_bytes (filter.read_bytes (1), "a");
    var detached = filter.detach ();
    assert_true (detached == base_stream);
    assert_true (filter.closed);
    assert_false (base_stream.closed);
    try {
      filter.read_bytes (1);
      GLib.error ("a detached filter read");
    } catch (GLib.IOError.CLOSED e) {
      assert_cmpstr (e.message, GLib.CompareOperator.EQ, "raw stream has been detached");
    }
    assert_bytes (base_stream.read_bytes (-1), "bc");
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  }
}

int main (string[] args) {
  GLib.Test.init (ref args);
  GLib.Test.add_func ("/vala/filter/pass-through", test_pass_through);
  GLib.Test.add_func ("/vala/filter/subclass-transforms", test_subclass_transforms);
  GLib.Test.add_func ("/vala/filter/close-base-and-detach", test_close_base_and_detach);
  return GLib.Test.run ();
}
