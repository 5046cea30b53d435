/* test-text-stream.vala: Io.TextStream from Vala: the lines of a Latin-1
 * file with \r\n line ends, text written through a charset, and a
 * tell () cookie as a value
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

using IoTest;

/* "café;1\r\nnaïve;2\r\n" in Latin-1 */
const uint8[] LATIN1_CSV = {
  'c', 'a', 'f', 0xe9, ';', '1', '\r', '\n', 'n', 'a', 0xef, 'v', 'e', ';', '2', '\r', '\n'
};

static void test_latin1_lines () {
  try {
    var text = new Io.TextStream (new Io.MemoryStream (LATIN1_CSV), "latin-1", null, null,
                                  false, false);
    size_t len;
    assert_cmpstr (text.readline (-1, out len), GLib.CompareOperator.EQ, "café;1\n");
    assert_cmpuint ((uint) len, GLib.CompareOperator.EQ, 8);
    Io.TextCookie cookie;
    text.tell (out cookie);
    assert_cmpint ((int) cookie.position, GLib.CompareOperator.EQ, 8);
    assert_cmpstr (text.readline (-1, out len), GLib.CompareOperator.EQ, "naïve;2\n");
    assert_cmpstr (text.readline (-1, out len), GLib.CompareOperator.EQ, "");
    text.seek (cookie);
    var lines = text.readlines (-1);
    assert_cmpuint (lines.length, GLib.CompareOperator.EQ, 1);
    assert_cmpstr (lines[0], GLib.CompareOperator.EQ, "naïve;2\n");
  } catch (GLib.IOError e) {
    GLib.error ("%s", e.message);
  }
}

static void test_write_text () {
  try {
    var buffer = new Io.MemoryStream (null);
    var text = new Io.TextStream (buffer, "latin-1", "backslashreplace", "\r\n", false, false);
    assert_cmpint ((int) text.write ("déjà €\n"), GLib.CompareOperator.EQ, 7);
    text.flush ();
    var expected = new GLib.Bytes ({ 'd', 0xe9, 'j', 0xe0, ' ', '\\', 'u', '2', '0', 'a',
                                     'c', '\r', '\n' });
    assert_true (buffer.get_value ().compare (expected) == 0);
  } catch (GLib.IOError e) {
    GLib.error ("%s", e.message);
  }
}

static void test_errors () {
  try {
    var text = new Io.TextStream (new Io.MemoryStream ({ 'a', 0xff }), null, null, null,
                                  false, false);
    size_t len;
    try {
      text.read (-1, out len);
      assert_not_reached ();
    } catch (GLib.IOError e) {
      assert_true (e is GLib.IOError.INVALID_DATA);
    }
  } catch (GLib.IOError e) {
    GLib.error ("%s", e.message);
  }
}

int main (string[] args) {
  GLib.Test.init (ref args);
  GLib.Test.add_func ("/vala/text/latin1-lines", test_latin1_lines);
  GLib.Test.add_func ("/vala/text/write-text", test_write_text);
  GLib.Test.add_func ("/vala/text/errors", test_errors);
  return GLib.Test.run ();
}
