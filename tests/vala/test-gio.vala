/* test-gio.vala: libstream streams as GIO streams and back, from Vala, with
 * the GNOME consumers of issue 12 (GLib.DataInputStream, splice, GdkPixbuf,
 * GLib.Subprocess, a gzip file through new_for_file, a converter and a
 * buffer)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

using IoTest;

static Io.Stream memory (string text) {
  return new Io.MemoryStream (text.data);
}

static void test_data_input_lines () {
  try {
    var stream = memory ("alpha\nbeta\ngamma");
    var data = new GLib.DataInputStream (stream.as_input_stream ());
    string[] lines = {};
    string? line;
    while ((line = data.read_line_utf8 (null)) != null)
      lines += line;
    assert_cmpstrv (lines, {"alpha", "beta", "gamma"});
    data.close ();
    assert_true (stream.closed);
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  }
}

static void test_seek_and_close_base () {
  try {
    var stream = memory ("0123456789");
    var input = stream.as_input_stream ();
    var seekable = (GLib.Seekable) input;
    seekable.seek (4, GLib.SeekType.SET);
    seekable.seek (2, GLib.SeekType.CUR);
    assert_cmpint ((int) stream.tell (), GLib.CompareOperator.EQ, 6);
    input.set ("close-base", false);
    input.close ();
    assert_false (stream.closed);
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  }
}

static void test_splice_file () {
  try {
    GLib.FileIOStream tmp;
    var file = GLib.File.new_tmp ("io-gio-XXXXXX", out tmp);
    tmp.close ();
    var text = string.nfill (1000, 'x');
    file.replace_contents (text.data, null, false, GLib.FileCreateFlags.NONE, null);
    var stream = new Io.MemoryStream (null);
    var output = stream.as_output_stream ();
    output.set ("close-base", false);
    var n = output.splice (file.read (), GLib.OutputStreamSpliceFlags.CLOSE_SOURCE |
                           GLib.OutputStreamSpliceFlags.CLOSE_TARGET);
    assert_cmpint ((int) n, GLib.CompareOperator.EQ, 1000);
    assert_bytes (stream.get_value (), text);
    file.delete ();
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  }
}

static void test_pixbuf_png () {
  try {
    var image = new Gdk.Pixbuf (Gdk.Colorspace.RGB, true, 8, 3, 2);
    image.fill (0x11223344);
    uint8[] png;
    image.save_to_buffer (out png, "png");
    var stream = new Io.MemoryStream (png);
    var loaded = new Gdk.Pixbuf.from_stream (stream.as_input_stream ());
    assert_cmpint (loaded.width, GLib.CompareOperator.EQ, 3);
    assert_cmpint (loaded.height, GLib.CompareOperator.EQ, 2);
    assert_cmpint (loaded.get_pixels ()[1], GLib.CompareOperator.EQ, 0x22);
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  }
}

static void test_subprocess_lines () {
  try {
    var process = new GLib.Subprocess.newv ({"/bin/sh", "-c", "printf 'one\\ntwo\\nthree'"},
                                            GLib.SubprocessFlags.STDOUT_PIPE);
    var stream = Io.Stream.new_for_input_stream (process.get_stdout_pipe ());
    assert_true (stream is Io.GioStream);
    assert_bytes (stream.readline (-1), "one\n");
    assert_bytes (stream.readline (-1), "two\n");
    assert_bytes (stream.readline (-1), "three");
    assert_bytes (stream.readline (-1), "");
    assert_true (process.wait_check ());
    stream.close ();
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  }
}

static void test_from_gio () {
  try {
    var gin = new GLib.MemoryInputStream.from_data ("0123456789".data);
    var stream = Io.Stream.new_for_input_stream (gin);
    assert_true (stream.readable () && stream.seekable () && !stream.writable ());
    assert_cmpint ((int) stream.seek (-2, Io.Whence.END), GLib.CompareOperator.EQ, 8);
    assert_cmpint ((int) stream.seek (1, Io.Whence.SET), GLib.CompareOperator.EQ, 1);
    assert_cmpint ((int) stream.seek (2, Io.Whence.CUR), GLib.CompareOperator.EQ, 3);
    assert_io_error (() => stream.write ("x".data), GLib.IOError.NOT_SUPPORTED);
    ((Io.GioStream) stream).close_base = false;
    stream.close ();
    assert_false (gin.is_closed ());

    var back = Io.Stream.new_for_input_stream (memory ("abc").as_input_stream ());
    assert_bytes (back.readall (), "abc");
    back.close ();
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  }
}

static void test_new_for_file () {
  try {
    GLib.FileIOStream tmp;
    var file = GLib.File.new_tmp ("io-gio-XXXXXX", out tmp);
    tmp.close ();
    var output = Io.Stream.new_for_file (file, "wb");
    assert_true (output is Io.FileStream);
    output.write ("local".data);
    output.close ();
    var input = Io.Stream.new_for_file (file, null);
    assert_bytes (input.readall (), "local");
    input.close ();
    file.delete ();
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  }
}

/* GIO's gzip writer, then new_for_file, an Io.ConverterStream and an
 * Io.BufferedReader read the file back line by line. */
static void test_gzip_file_lines () {
  try {
    string[] lines = {};
    var content = new GLib.StringBuilder ();
    for (int i = 0; i < 4000; i++) {
      var fill = string.nfill (i * 7919 % 3000, (char) ('a' + i % 26));
      lines += "%d %s\n".printf (i, fill);
      content.append (lines[i]);
    }
    lines += "no newline";
    content.append (lines[4000]);

    GLib.FileIOStream tmp;
    var file = GLib.File.new_tmp ("io-gio-XXXXXX.gz", out tmp);
    tmp.close ();
    var gzip = new GLib.ZlibCompressor (GLib.ZlibCompressorFormat.GZIP, -1);
    var output = new GLib.ConverterOutputStream (
      file.replace (null, false, GLib.FileCreateFlags.NONE), gzip);
    size_t written;
    output.write_all (content.str.data, out written);
    output.close ();

    var raw = Io.Stream.new_for_file (file, "rb");
    assert_true (raw is Io.FileStream);
    var gunzip = new GLib.ZlibDecompressor (GLib.ZlibCompressorFormat.GZIP);
    var reader = new Io.BufferedReader (new Io.ConverterStream (raw, gunzip), 8192);
    int count = 0;
    for (var line = reader.readline (-1); line.get_size () > 0;
         line = reader.readline (-1), count++) {
      assert_cmpint (count, GLib.CompareOperator.LT, lines.length);
      assert_bytes (line, lines[count]);
    }
    assert_cmpint (count, GLib.CompareOperator.EQ, lines.length);
    reader.close ();
    assert_true (raw.closed);
    file.delete ();
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  }
}

int main (string[] args) {
  GLib.Test.init (ref args);
  GLib.Test.add_func ("/vala/gio/data-input-lines", test_data_input_lines);
  GLib.Test.add_func ("/vala/gio/seek-and-close-base", test_seek_and_close_base);
  GLib.Test.add_func ("/vala/gio/splice-file", test_splice_file);
  GLib.Test.add_func ("/vala/gio/pixbuf-png", test_pixbuf_png);
  GLib.Test.add_func ("/vala/gio/child-stdout-lines", test_subprocess_lines);
  GLib.Test.add_func ("/vala/gio/from-gio", test_from_gio);
  GLib.Test.add_func ("/vala/gio/new-for-file", test_new_for_file);
  GLib.Test.add_func ("/vala/gio/gzip-file-lines", test_gzip_file_lines);
  return GLib.Test.run ();
}
