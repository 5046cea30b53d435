/* test-fault-stream.vala: Io.FaultStream from Vala: each injected fault
 * is caught as the GLib.IOError a real backend throws, with its errno;
 * short reads, ENOSPC after N bytes, random faults from a seed
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

using IoTest;

/* Linux's numbers. */
const int EINTR = 4;
const int EIO = 5;
const int EAGAIN = 11;
const int ENOSPC = 28;

static Io.FaultStream faulty (string text) {
  return new Io.FaultStream (new Io.MemoryStream (text.data));
}

static void assert_errno (GLib.Error e, int expected) {
  assert_cmpint (Io.error_get_errno (e), GLib.CompareOperator.EQ, expected);
  assert_cmpstr (e.message, GLib.CompareOperator.EQ,
                 "[Errno %d] %s".printf (expected, GLib.strerror (expected)));
}

static void test_errors () {
  try {
    var s = faulty ("hello, world");
    var buffer = new uint8[4];

    s.add_fault (Io.FaultOp.READ, Io.FaultKind.INTERRUPTED, 0, -1, 0, 1);
    s.add_fault (Io.FaultOp.READ, Io.FaultKind.WOULD_BLOCK, 2, -1, 0, 1);
    s.add_fault (Io.FaultOp.FLUSH | Io.FaultOp.SEEK, Io.FaultKind.FAIL, 0, -1, 0, 2);
    try {
      s.read1 (buffer);
      GLib.error ("no EINTR");
    } catch (GLib.IOError e) {
      assert_errno (e, EINTR);
    }
    try {
      s.read1 (buffer);
      GLib.error ("no EAGAIN");
    } catch (GLib.IOError.WOULD_BLOCK e) {
      assert_errno (e, EAGAIN);
    }
    try {
      s.flush ();
      GLib.error ("no EIO");
    } catch (GLib.IOError.FAILED e) {
      assert_errno (e, EIO);
    }
    assert_io_error (() => s.seek (3, Io.Whence.SET), GLib.IOError.FAILED);
    assert_cmpint ((int) s.read1 (buffer), GLib.CompareOperator.EQ, 4);
    assert_data (buffer, "hell");
    assert_cmpuint ((uint) s.get_faults (Io.FaultOp.ALL), GLib.CompareOperator.EQ, 4);
    assert_cmpuint ((uint) s.get_calls (Io.FaultOp.READ), GLib.CompareOperator.EQ, 3);
    s.close ();
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  }
}

static void test_short_read () {
  try {
    var s = faulty ("hello, world");
    var buffer = new uint8[8];

    s.add_fault (Io.FaultOp.READ, Io.FaultKind.SHORT, 0, -1, 3, 1);
    assert_cmpint ((int) s.read1 (buffer), GLib.CompareOperator.EQ, 3);
    assert_data (buffer[0:3], "hel");
    assert_bytes (s.read_bytes (-1), "lo, world");
    s.close ();
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  }
}

static void test_no_space () {
  try {
    var s = new Io.FaultStream (null);

    s.add_fault (Io.FaultOp.WRITE, Io.FaultKind.NO_SPACE, 0, 6, 0, 0);
    assert_cmpint ((int) s.write ("abcd".data), GLib.CompareOperator.EQ, 4);
    assert_cmpint ((int) s.write ("efgh".data), GLib.CompareOperator.EQ, 2);
    try {
      s.write ("i".data);
      GLib.error ("no ENOSPC");
    } catch (GLib.IOError.NO_SPACE e) {
      assert_errno (e, ENOSPC);
    }
    assert_bytes (((Io.MemoryStream) s.base_stream).get_value (), "abcdef");
    assert_cmpint ((int) s.get_offset (), GLib.CompareOperator.EQ, 6);
    s.close ();
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  }
}

static string random_run (uint32 seed) {
  var s = new Io.FaultStream (null);
  var log = new GLib.StringBuilder ();
  var buffer = new uint8[10];

  s.set_random (seed, 0.3, Io.FaultOp.READ | Io.FaultOp.WRITE | Io.FaultOp.SEEK,
                Io.FaultKind.ALL);
  for (var i = 0; i < 120; i++) {
    try {
      if (i % 3 == 0)
        log.append_printf ("%d ", (int) s.write ("0123456789".data));
      else if (i % 3 == 1)
        log.append_printf ("%d ", (int) s.seek (-4, Io.Whence.CUR));
      else
        log.append_printf ("%d ", (int) s.read1 (buffer));
    } catch (GLib.Error e) {
      log.append_printf ("errno%d ", Io.error_get_errno (e));
    }
  }
  s.clear ();
  try {
    s.close ();
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  }
  return log.str;
}

static void test_random () {
  var first = random_run (5);
  assert_cmpstr (random_run (5), GLib.CompareOperator.EQ, first);
  assert_cmpstr (random_run (6), GLib.CompareOperator.NE, first);
  foreach (var code in new int[] { EINTR, EIO, EAGAIN, ENOSPC })
    assert_true (("errno%d ".printf (code)) in first);
}

int main (string[] args) {
  GLib.Test.init (ref args);
  GLib.Test.add_func ("/vala/fault/errors", test_errors);
  GLib.Test.add_func ("/vala/fault/short-read", test_short_read);
  GLib.Test.add_func ("/vala/fault/no-space", test_no_space);
  GLib.Test.add_func ("/vala/fault/random", test_random);
  return GLib.Test.run ();
}
