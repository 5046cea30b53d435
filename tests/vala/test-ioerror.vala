/* test-ioerror.vala: every throwing call of the VAPI is `throws
 * GLib.IOError`, so `catch (GLib.IOError e)` alone handles it. meson
 * compiles this file with --fatal-warnings: a call still declared `throws
 * GLib.Error` makes valac warn "unhandled error `GLib.Error'", and the
 * build fails. No other catch clause appears here.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* A Vala backend: its overrides throw GLib.IOError, which C passes on
 * unchanged, code included. */
class Refusing : Io.Stream {
  public override ssize_t read (uint8[] buffer) throws GLib.IOError {
    throw new GLib.IOError.WOULD_BLOCK ("nothing yet");
  }

  public override ssize_t write (uint8[] buffer) throws GLib.IOError {
    throw new GLib.IOError.NO_SPACE ("full");
  }

  public override GLib.Bytes read_chunk (size_t count) throws GLib.IOError {
    throw new GLib.IOError.WOULD_BLOCK ("nothing yet");
  }
}

/* Fails unless @code is the code of the IOError @e caught. */
static void check_code (GLib.IOError e, int code) {
  GLib.assert_error (e, GLib.IOError.quark (), code);
}

static void test_memory_stream () {
  var s = new Io.MemoryStream ("one\ntwo\n".data);
  try {
    var buffer = new uint8[3];
    GLib.assert_true (s.read (buffer) == 3);
    GLib.assert_true (s.read1 (buffer) == 3);
    s.seek (0, Io.Whence.SET);
    GLib.assert_true (s.readline (-1).length == 4);
    GLib.assert_true (s.readline_array (-1).length == 4);
    s.seek (0, Io.Whence.SET);
    GLib.assert_true (s.readlines (-1).length == 2);
    s.seek (0, Io.Whence.SET);
    GLib.assert_true (s.readlines_joined (-1).length == 8);
    s.seek (0, Io.Whence.SET);
    GLib.assert_true (s.read_array (1).length == 1);
    GLib.assert_true (s.read_bytes (1).length == 1);
    GLib.assert_true (s.read1_array (1).length == 1);
    GLib.assert_true (s.read1_bytes (1).length == 1);
    GLib.assert_true (s.getc () == 't');
    GLib.assert_true (s.peek (1).length >= 1);
    GLib.assert_true (s.readall ().length == 3);
    GLib.assert_true (s.readable () && s.writable () && s.seekable ());
    GLib.assert_false (s.isatty ());
    GLib.assert_true (s.tell () == 8);
    GLib.assert_true (s.write ("three\n".data) == 6);
    GLib.assert_true (s.write_bytes (new GLib.Bytes ("x".data)) == 1);
    GLib.assert_true (s.writelines ({ new GLib.Bytes ("y".data) }));
    GLib.assert_true (s.truncate (-1) == 16);
    GLib.assert_true (s.flush ());
    GLib.assert_true (s.get_value ().length == 16);
    GLib.assert_true (s.reset (new GLib.Bytes ("new".data)));
    GLib.assert_true (s.tell () == 0);
    GLib.assert_true (s.lock ());
    s.unlock ();

    unowned uint8[] view;
    GLib.assert_true (s.acquire_buffer (out view));
    GLib.assert_true (view.length == 3);
    try {
      s.reset (null);
      GLib.assert_not_reached ();
    } catch (GLib.IOError e) {
      check_code (e, GLib.IOError.BUSY);
    }
    s.release_buffer ();
    GLib.assert_true (s.close ());
    s.fileno ();
    GLib.assert_not_reached ();
  } catch (GLib.IOError e) {
    check_code (e, GLib.IOError.CLOSED);
  }
}

static void test_files_and_pipes () {
  try {
    new Io.FileStream ("/nonexistent/libstream-test", "r");
    GLib.assert_not_reached ();
  } catch (GLib.IOError e) {
    check_code (e, GLib.IOError.NOT_FOUND);
  }

  try {
    Io.Stream reader, writer;
    GLib.assert_true (Io.PipeStream.new_pair (out reader, out writer));
    GLib.assert_true (((Io.PipeStream) reader).set_nonblocking (true));
    GLib.assert_true (writer.write ("ab".data) == 2);
    GLib.assert_true (reader.read (new uint8[4]) == 2);
    reader.read (new uint8[4]);
    GLib.assert_not_reached ();
  } catch (GLib.IOError e) {
    check_code (e, GLib.IOError.WOULD_BLOCK);
  }

  try {
    var fd = Posix.dup (0);
    var pipe_stream = new Io.PipeStream.for_fd (fd, null, true);
    pipe_stream.close ();
    var file_stream = new Io.FileStream.full ("/dev/null", "w", 0666);
    GLib.assert_true (file_stream.write ("x".data) == 1);
    file_stream.close ();
    Io.error_set_from_errno (Posix.ENOENT, "missing", null);
    GLib.assert_not_reached ();
  } catch (GLib.IOError e) {
    check_code (e, GLib.IOError.NOT_FOUND);
    GLib.assert_true (Io.error_get_errno (e) == Posix.ENOENT);
  }
}

static void test_vala_backend () {
  var s = new Refusing ();
  try {
    s.read (new uint8[1]);
    GLib.assert_not_reached ();
  } catch (GLib.IOError e) {
    check_code (e, GLib.IOError.WOULD_BLOCK);
    GLib.assert_true (e.message == "nothing yet");
  }
  try {
    s.write ("x".data);
    GLib.assert_not_reached ();
  } catch (GLib.IOError e) {
    check_code (e, GLib.IOError.NO_SPACE);
  }
}

int main (string[] args) {
  GLib.Test.init (ref args);
  GLib.Test.add_func ("/vala/ioerror/memory-stream", test_memory_stream);
  GLib.Test.add_func ("/vala/ioerror/files-and-pipes", test_files_and_pipes);
  GLib.Test.add_func ("/vala/ioerror/vala-backend", test_vala_backend);
  return GLib.Test.run ();
}
