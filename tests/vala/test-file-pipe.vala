/* test-file-pipe.vala: Io.FileStream and Io.PipeStream from Vala: open
 * with several modes, write, seek, read, truncate, the errors, a pipe pair
 * and a round trip through a child process (cat)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

using IoTest;

/* A new, empty temporary file; the caller unlinks it. */
static string temp_file () {
  try {
    string path;
    int fd = GLib.FileUtils.open_tmp ("libstream-vala-XXXXXX", out path);
    GLib.FileUtils.close (fd);
    return path;
  } catch (GLib.FileError e) {
    GLib.error ("%s", e.message);
  }
}

/* The whole content of the file at @path. */
static uint8[] contents (string path) {
  try {
    uint8[] data;
    GLib.FileUtils.get_data (path, out data);
    return data;
  } catch (GLib.FileError e) {
    GLib.error ("%s", e.message);
  }
}

/* Reaps @pid with a child watch and returns its wait status; fails after
 * 10 s rather than hanging. */
static int wait_child (GLib.Pid pid) {
  var loop = new GLib.MainLoop (null, false);
  int status = -1;
  bool reaped = false;
  GLib.ChildWatch.add (pid, (child, wait_status) => {
    status = wait_status;
    reaped = true;
    GLib.Process.close_pid (child);
    loop.quit ();
  });
  var timeout = GLib.Timeout.add_seconds (10, () => {
    loop.quit ();
    return GLib.Source.REMOVE;
  });
  loop.run ();
  if (!reaped)
    GLib.error ("child %d did not exit within 10 s", (int) pid);
  GLib.Source.remove (timeout);
  return status;
}

static void test_read_write_seek () {
  var path = temp_file ();
  try {
    var f = new Io.FileStream (path, "w+");
    assert_true (f is Io.FileStream);
    assert_true (f.readable () && f.writable () && f.seekable ());
    assert_true (f.write ("hello world".data) == 11);
    assert_true (f.tell () == 11);
    assert_true (f.seek (0, Io.Whence.SET) == 0);
    var five = new uint8[5];
    assert_true (f.read (five) == 5);
    assert_data (five, "hello");
    assert_true (f.seek (1, Io.Whence.CUR) == 6);
    assert_data (f.read_array (-1), "world");
    assert_data (f.read_array (10), "");
    assert_true (f.seek (-5, Io.Whence.END) == 6);
    assert_true (f.write ("WORLD".data) == 5);
    assert_true (f.seek (0, Io.Whence.SET) == 0);
    assert_bytes (f.readall (), "hello WORLD");
    assert_true (f.fileno () == f.fd);
    assert_false (f.isatty ());
    assert_true (f.flush ());
    assert_true (f.close ());
    assert_data (contents (path), "hello WORLD");
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  } finally {
    GLib.FileUtils.unlink (path);
  }
}

static void test_modes () {
  var path = temp_file ();
  var fresh = path + ".x";
  try {
    GLib.FileUtils.set_data (path, "line 1\n".data);

    var r = (Io.FileStream) new Io.FileStream (path, "r");
    assert_cmpstr (r.mode, GLib.CompareOperator.EQ, "rb");
    assert_cmpstr (r.get_mode (), GLib.CompareOperator.EQ, "rb");
    assert_cmpstr (r.name, GLib.CompareOperator.EQ, path);
    assert_true (r.closefd);
    assert_false (r.writable ());
    assert_bytes (r.readline (-1), "line 1\n");
    assert_io_error (() => r.write ("x".data), GLib.IOError.NOT_SUPPORTED);
    r.close ();

    var a = (Io.FileStream) new Io.FileStream (path, "ab");
    assert_cmpstr (a.mode, GLib.CompareOperator.EQ, "ab");
    assert_false (a.readable ());
    a.seek (0, Io.Whence.SET);
    a.write ("line 2\n".data);
    assert_true (a.tell () == 14);
    a.close ();

    var ap = (Io.FileStream) new Io.FileStream (path, "a+");
    assert_cmpstr (ap.mode, GLib.CompareOperator.EQ, "ab+");
    ap.write ("line 3\n".data);
    ap.seek (0, Io.Whence.SET);
    var lines = ap.readlines (-1);
    assert_cmpuint (lines.length, GLib.CompareOperator.EQ, 3);
    assert_bytes (lines[2], "line 3\n");
    ap.close ();

    var w = (Io.FileStream) new Io.FileStream (path, "w");
    assert_cmpstr (w.mode, GLib.CompareOperator.EQ, "wb");
    assert_false (w.readable ());
    w.close ();
    assert_data (contents (path), "");

    var rp = (Io.FileStream) new Io.FileStream (path, "r+");
    assert_cmpstr (rp.mode, GLib.CompareOperator.EQ, "rb+");
    rp.close ();

    var x = (Io.FileStream) new Io.FileStream.full (fresh, "x+", 0600);
    assert_cmpstr (x.mode, GLib.CompareOperator.EQ, "xb+");
    x.write ("new".data);
    x.close ();
    assert_data (contents (fresh), "new");
    var info = GLib.File.new_for_path (fresh).query_info ("unix::mode", 0);
    assert_cmpuint (info.get_attribute_uint32 ("unix::mode") & 0777, GLib.CompareOperator.EQ, 0600);
    try {
      new Io.FileStream (fresh, "x");
      GLib.error ("x on an existing file did not fail");
    } catch (GLib.IOError.EXISTS e) {
    }
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  } finally {
    GLib.FileUtils.unlink (fresh);
    GLib.FileUtils.unlink (path);
  }
}

static void test_large_offsets () {
  var path = temp_file ();
  try {
    int64 far = 5 * ((int64) 1 << 30) + 3;
    var f = new Io.FileStream (path, "w+");
    assert_true (f.seek (far, Io.Whence.SET) == far);
    assert_true (f.write ("end".data) == 3);
    assert_true (f.tell () == far + 3);
    assert_true (f.seek (0, Io.Whence.END) == far + 3);
    assert_true (f.seek (-3, Io.Whence.CUR) == far);
    assert_data (f.read_array (10), "end");
    assert_true (f.seek (far - 2, Io.Whence.SET) == far - 2);
    assert_cmpmem (f.read_array (4), new uint8[] { 0, 0, 'e', 'n' });
    assert_io_error (() => f.seek (-1, Io.Whence.SET), GLib.IOError.INVALID_ARGUMENT);
    f.close ();
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  } finally {
    GLib.FileUtils.unlink (path);
  }
}

static void test_truncate () {
  var path = temp_file ();
  try {
    var f = new Io.FileStream (path, "w+");
    f.write ("abc".data);
    assert_true (f.truncate (6) == 6);
    assert_true (f.tell () == 3);
    f.seek (0, Io.Whence.SET);
    assert_cmpmem (f.read_array (-1), new uint8[] { 'a', 'b', 'c', 0, 0, 0 });
    f.seek (2, Io.Whence.SET);
    assert_true (f.truncate (-1) == 2);
    assert_true (f.seek (0, Io.Whence.END) == 2);
    f.close ();
    assert_data (contents (path), "ab");
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  } finally {
    GLib.FileUtils.unlink (path);
  }
}

static void test_errors () {
  var path = temp_file ();
  try {
    var missing = GLib.Path.build_filename (GLib.Environment.get_tmp_dir (),
                                            "libstream-vala-no-such-dir", "f");
    try {
      new Io.FileStream (missing, "r");
      GLib.error ("opening a missing file did not fail");
    } catch (GLib.IOError.NOT_FOUND e) {
      assert_true (e.message.length > 0);
      assert_cmpint (Io.error_get_errno (e), GLib.CompareOperator.EQ, 2 /* ENOENT */);
      assert_cmpstr (Io.error_get_filename (e), GLib.CompareOperator.EQ, missing);
      assert_null (Io.error_get_filename2 (e));
    }
    foreach (var mode in new string[] { "rw", "q", "rt", "r++", "" }) {
      try {
        new Io.FileStream (path, mode);
        GLib.error ("mode \"%s\" did not fail", mode);
      } catch (GLib.IOError.INVALID_ARGUMENT e) {
      }
    }
    assert_io_error (() => new Io.FileStream (GLib.Environment.get_tmp_dir (), "w"),
                     GLib.IOError.IS_DIRECTORY);

    var f = (Io.FileStream) new Io.FileStream (path, "r+");
    assert_true (f.close ());
    assert_true (f.is_closed () && f.closed);
    assert_cmpstr (f.mode, GLib.CompareOperator.EQ, "rb+");
    assert_cmpint (f.fd, GLib.CompareOperator.EQ, -1);
    assert_true (f.close ());
    try {
      f.read_array (1);
      GLib.error ("read on a closed stream did not fail");
    } catch (GLib.IOError.CLOSED e) {
    }
    assert_io_error (() => f.write ("x".data), GLib.IOError.CLOSED);
    assert_io_error (() => f.seek (0, Io.Whence.SET), GLib.IOError.CLOSED);
    assert_io_error (() => f.tell (), GLib.IOError.CLOSED);
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  } finally {
    GLib.FileUtils.unlink (path);
  }
}

static void test_for_fd () {
  var path = temp_file ();
  try {
    GLib.FileUtils.set_data (path, "wrapped".data);
    var owner = (Io.FileStream) new Io.FileStream (path, "r");
    var f = (Io.FileStream) new Io.FileStream.for_fd (owner.fd, "r", false);
    assert_false (f.closefd);
    assert_data (f.read_array (-1), "wrapped");
    f.close ();
    assert_true (owner.seek (0, Io.Whence.SET) == 0);
    assert_data (owner.read_array (4), "wrap");
    owner.close ();
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  } finally {
    GLib.FileUtils.unlink (path);
  }
}

static void test_pipe_pair () {
  try {
    Io.Stream reader, writer;
    assert_true (Io.PipeStream.new_pair (out reader, out writer));
    assert_true (reader is Io.PipeStream && writer is Io.PipeStream);
    assert_true (reader.readable () && !reader.writable ());
    assert_true (writer.writable () && !writer.readable ());
    assert_false (reader.seekable ());
    assert_true (writer.write ("through the pipe".data) == 16);
    assert_data (reader.read_array (7), "through");
    try {
      reader.seek (0, Io.Whence.SET);
      GLib.error ("seek on a pipe did not fail");
    } catch (GLib.IOError.NOT_SUPPORTED e) {
    }
    assert_io_error (() => reader.tell (), GLib.IOError.NOT_SUPPORTED);
    assert_io_error (() => writer.truncate (0), GLib.IOError.NOT_SUPPORTED);
    writer.close ();
    assert_bytes (reader.readall (), " the pipe");
    assert_data (reader.read_array (10), "");
    reader.close ();
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  }
}

static void test_broken_pipe () {
  try {
    Io.Stream reader, writer;
    Io.PipeStream.new_pair (out reader, out writer);
    reader.close ();
    assert_io_error (() => writer.write ("lost".data), GLib.IOError.BROKEN_PIPE);
    writer.close ();
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  }
}

static void test_spawn_cat () {
  try {
    Io.Stream? input, output, errors;
    GLib.Pid pid;
    assert_true (Io.PipeStream.spawn ({ "cat" }, null, Io.SpawnStderr.PIPE, out input, out output, out errors, out pid));
    assert_nonnull (input);
    assert_nonnull (output);
    assert_nonnull (errors);
    assert_true ((int) pid > 0);

    var expected = new GLib.StringBuilder ();
    var received = new GLib.ByteArray ();
    /* Lines in batches that fit the pipe buffer, each read back before the
     * next, so cat never blocks on a full stdout while we still write. */
    for (int batch = 0; batch < 20; batch++) {
      var chunk = new GLib.StringBuilder ();
      for (int i = batch * 100; i < (batch + 1) * 100; i++)
        chunk.append_printf ("line %d %s\n", i, string.nfill (i % 50, 'x'));
      expected.append (chunk.str);
      uint8[] data = chunk.str.data;
      size_t done = 0;
      while (done < data.length)
        done += (size_t) input.write (data[done:data.length]);
      size_t got = 0;
      while (got < data.length) {
        var part = output.read_array ((ssize_t) (data.length - got));
        assert_true (part.length > 0);
        received.append (part);
        got += part.length;
      }
    }
    input.write ("tail without newline".data);
    expected.append ("tail without newline");
    input.close ();
    var rest = output.readall ();
    received.append (rest.get_data ());
    assert_data (output.read_array (1), "");
    output.close ();
    errors.close ();

    assert_cmpuint ((uint) expected.len, GLib.CompareOperator.GT, 65536);
    assert_data (received.data, expected.str);
    assert_true (GLib.Process.check_wait_status (wait_child (pid)));
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  }
}

static void test_spawn_readlines () {
  try {
    Io.Stream? input, output, errors;
    GLib.Pid pid;
    Io.PipeStream.spawn ({ "cat" }, GLib.Environment.get_tmp_dir (), Io.SpawnStderr.PIPE,
                         out input, out output, out errors, out pid);
    input.write ("alpha\nbeta\ngamma\n".data);
    input.close ();
    var lines = output.readlines (-1);
    assert_data (output.read_array (1), "");
    output.close ();
    errors.close ();
    assert_cmpuint (lines.length, GLib.CompareOperator.EQ, 3);
    assert_bytes (lines[1], "beta\n");
    assert_true (GLib.Process.check_wait_status (wait_child (pid)));
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  }
}

/* A child that cannot start is a GLib.IOError with its errno, as
 * subprocess's OSError. */
static void assert_spawn_fails (string program, string? directory, int code, int errsv) {
  Io.Stream? input = null, output = null, errors = null;
  GLib.Pid pid;
  try {
    Io.PipeStream.spawn ({ program }, directory, Io.SpawnStderr.PIPE,
                         out input, out output, out errors, out pid);
    GLib.error ("spawning %s did not fail", program);
  } catch (GLib.IOError e) {
    assert_true (e.code == code);
    assert_cmpint (Io.error_get_errno (e), GLib.CompareOperator.EQ, errsv);
    assert_cmpstr (Io.error_get_filename (e), GLib.CompareOperator.EQ, directory ?? program);
    assert_null (input);
    assert_null (output);
    assert_null (errors);
  }
}

static void test_spawn_errors () {
  assert_spawn_fails ("libstream-vala-no-such-program", null, GLib.IOError.NOT_FOUND, Posix.ENOENT);
  assert_spawn_fails ("/etc/passwd", null, GLib.IOError.PERMISSION_DENIED, Posix.EACCES);
  assert_spawn_fails ("true", "/nonexistent/directory", GLib.IOError.NOT_FOUND, Posix.ENOENT);
}

/* stderr merged into the stdout pipe, then wait () and get_returncode (). */
static void test_spawn_wait_merged () {
  try {
    Io.Stream? input, output, errors;
    GLib.Pid pid;
    Io.PipeStream.spawn ({ "sh", "-c", "echo out; echo err >&2; exit 5" }, null,
                         Io.SpawnStderr.STDOUT, out input, out output, out errors, out pid);
    assert_null (errors);
    var pipe = (Io.PipeStream) output;
    int code;
    assert_false (pipe.get_returncode (out code));
    assert_data (output.readall ().get_data (), "out\nerr\n");
    pipe.wait (out code);
    assert_cmpint (code, GLib.CompareOperator.EQ, 5);
    assert_true (((Io.PipeStream) input).get_returncode (out code));
    assert_cmpint (code, GLib.CompareOperator.EQ, 5);
    input.close ();
    output.close ();
  } catch (GLib.IOError e) {
    GLib.error ("%s", e.message);
  }
}

int main (string[] args) {
  GLib.Test.init (ref args);
  GLib.Test.add_func ("/vala/file-stream/read-write-seek", test_read_write_seek);
  GLib.Test.add_func ("/vala/file-stream/modes", test_modes);
  GLib.Test.add_func ("/vala/file-stream/large-offsets", test_large_offsets);
  GLib.Test.add_func ("/vala/file-stream/truncate", test_truncate);
  GLib.Test.add_func ("/vala/file-stream/errors", test_errors);
  GLib.Test.add_func ("/vala/file-stream/for-fd", test_for_fd);
  GLib.Test.add_func ("/vala/pipe-stream/pair", test_pipe_pair);
  GLib.Test.add_func ("/vala/pipe-stream/broken-pipe", test_broken_pipe);
  GLib.Test.add_func ("/vala/pipe-stream/spawn-cat", test_spawn_cat);
  GLib.Test.add_func ("/vala/pipe-stream/spawn-readlines", test_spawn_readlines);
  GLib.Test.add_func ("/vala/pipe-stream/spawn-errors", test_spawn_errors);
  GLib.Test.add_func ("/vala/pipe-stream/spawn-wait-merged", test_spawn_wait_merged);
  return GLib.Test.run ();
}
