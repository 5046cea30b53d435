/* demo.vala: the libstream seed scenario in Vala. demo.c, demo.py and
 * demo.js print the same lines.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Formats @data the way Python prints a bytes object. */
string repr (uint8[]? data) {
  var text = new StringBuilder ("b'");
  foreach (var byte in data ?? new uint8[0]) {
    if (byte == '\\' || byte == '\'')
      text.append_printf ("\\%c", byte);
    else if (byte >= 0x20 && byte < 0x7f)
      text.append_c ((char) byte);
    else
      text.append_printf ("\\x%02x", byte);
  }
  return text.append ("'").str;
}

void show (string call, string result, string? note = null) {
  print ("%s -> %s%s\n", call, result, note != null ? "  # " + note : "");
}

delegate void Action () throws Error;

/* Prints a call the export lock refuses: IOError.BUSY is Python's
 * BufferError. */
void refused (string call, Action action) throws Error {
  try {
    action ();
  } catch (IOError.BUSY e) {
    print ("%s -> BufferError: %s\n", call, e.message);
    return;
  }
  error ("%s was not refused", call);
}

int main () {
  try {
    var s = new Io.MemoryStream (null);
    print ("s = MemoryStream(b'')\n");
    show ("write(b'hello')", s.write ("hello".data).to_string ());
    show ("read()", repr (s.read_array (-1)), "the cursor is at the end");
    show ("seek(0)", s.seek (0, Io.Whence.SET).to_string ());
    show ("read()", repr (s.read_array (-1)));
    show ("seek(0)", s.seek (0, Io.Whence.SET).to_string ());
    show ("write(b'J')", s.write ("J".data).to_string (), "overwrites in place");
    show ("seek(0, SEEK_END)", s.seek (0, Io.Whence.END).to_string ());
    show ("write(b' world')", s.write (" world".data).to_string (), "appends");
    show ("tell()", s.tell ().to_string ());
    show ("read()", repr (s.read_array (-1)), "at the end again");
    show ("getvalue()", repr (s.get_value ().get_data ()),
          "the whole value, whatever the position");

    unowned uint8[] view;
    s.acquire_buffer (out view);
    print ("view = getbuffer() -> %d bytes\n", view.length);
    view[0] = 'j';
    print ("view[0] = b'j'\n");
    show ("getvalue()", repr (s.get_value ().get_data ()), "the view is the live buffer");
    refused ("write(b'!')", () => s.write ("!".data));
    refused ("truncate(5)", () => s.truncate (5));
    s.release_buffer ();
    print ("release the view\n");
    show ("write(b'!')", s.write ("!".data).to_string ());
    show ("getvalue()", repr (s.get_value ().get_data ()));
    s.close ();
  } catch (Error e) {
    printerr ("demo: %s\n", e.message);
    return 1;
  }
  return 0;
}
