/* test-converter-stream.vala: Io.ConverterStream from Vala: a gzip file
 * written by GIO read through Io.FileStream, one written through the
 * stream read back by GIO, truncated input and the direction
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

using IoTest;

static string make_text () {
  var text = new GLib.StringBuilder ();
  for (var i = 0; i < 3000; i++)
    text.append_printf ("line %d of the text\n", i);
  return text.str;
}

static string temp_path () throws GLib.Error {
  string path;
  var fd = GLib.FileUtils.open_tmp ("libstream-vala-gz-XXXXXX", out path);
  GLib.FileUtils.close (fd);
  return path;
}

static GLib.Converter gzip () {
  return new GLib.ZlibCompressor (GLib.ZlibCompressorFormat.GZIP, -1);
}

static GLib.Converter gunzip () {
  return new GLib.ZlibDecompressor (GLib.ZlibCompressorFormat.GZIP);
}

static void test_read_gzip_file () {
  try {
    var text = make_text ();
    var path = temp_path ();
    var file = GLib.File.new_for_path (path);
    var out_stream = new GLib.ConverterOutputStream (
      file.replace (null, false, GLib.FileCreateFlags.NONE), gzip ());
    out_stream.write_all (text.data, null);
    out_stream.close ();

    var stream = new Io.ConverterStream (new Io.FileStream (path, "rb"), gunzip ());
    assert_true (stream.readable () && !stream.writable () && !stream.seekable ());
    assert_bytes (stream.readline (-1), "line 0 of the text\n");
    assert_bytes (stream.read_bytes (-1), text.substring ("line 0 of the text\n".length));
    stream.close ();
    GLib.FileUtils.unlink (path);
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  }
}

static void test_write_gzip_file () {
  try {
    var text = make_text ();
    var path = temp_path ();
    var stream = new Io.ConverterStream (new Io.FileStream (path, "wb"), gzip ());
    foreach (var line in text.split ("\n"))
      stream.write ((line + "\n").data);
    stream.close ();

    var input = new GLib.ConverterInputStream (GLib.File.new_for_path (path).read (), gunzip ());
    var decoded = new uint8[text.length + 2];
    size_t n;
    input.read_all (decoded, out n);
    input.close ();
    /* split () leaves an empty last piece: one newline more. */
    assert_cmpuint ((uint) n, GLib.CompareOperator.EQ, text.length + 1);
    assert_data (decoded[0:n], text + "\n");
    GLib.FileUtils.unlink (path);
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  }
}

static void test_truncated_and_direction () {
  try {
    var gz = new Io.MemoryStream (null);
    var writer = new Io.ConverterStream (gz, gzip ());
    writer.close_base = false;
    writer.write ("payload".data);
    assert_false (writer.readable ());
    assert_io_error (() => writer.read_bytes (1), GLib.IOError.NOT_SUPPORTED);
    writer.close ();

    var whole = gz.get_value ();
    var cut = new GLib.Bytes.from_bytes (whole, 0, whole.get_size () - 4);
    var reader = new Io.ConverterStream (new Io.MemoryStream.from_bytes (cut), gunzip ());
    assert_bytes (reader.read_bytes (-1), "payload");
    assert_io_error (() => reader.read_bytes (-1), GLib.IOError.PARTIAL_INPUT);
    reader.close ();
  } catch (GLib.Error e) {
    GLib.error ("%s", e.message);
  }
}

int main (string[] args) {
  GLib.Test.init (ref args);
  GLib.Test.add_func ("/vala/converter/read-gzip-file", test_read_gzip_file);
  GLib.Test.add_func ("/vala/converter/write-gzip-file", test_write_gzip_file);
  GLib.Test.add_func ("/vala/converter/truncated-and-direction", test_truncated_and_direction);
  return GLib.Test.run ();
}
