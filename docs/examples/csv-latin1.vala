/* csv-latin1.vala: reads a Latin-1 CSV file with \r\n line ends through
 * Io.open_text () and prints its rows. csv-latin1.c, csv-latin1.py and
 * csv-latin1.js print the same lines.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

string line_end_name (string end) {
  return end == "\r\n" ? "CRLF" : end == "\r" ? "CR" : "LF";
}

/* The fields of @line, its "\n" (every line end, read with newline null)
 * dropped. */
string[] split_fields (string line) {
  return (line.has_suffix ("\n") ? line[0:line.length - 1] : line).split (";");
}

int main (string[] args) {
  if (args.length != 2) {
    stderr.printf ("usage: %s FILE.csv\n", args[0]);
    return 2;
  }
  try {
    /* The strings are UTF-8 whatever the file's charset; each "\r\n" is "\n". */
    var csv = Io.open_text (args[1], "r", -1, "latin-1", null, null);
    size_t len;
    stdout.printf ("columns: %s\n", string.joinv (", ", split_fields (csv.readline (-1, out len))));
    /* stdout.printf (), not print (): GLib's print () converts to the
     * locale's charset, which may have no "ë". */
    var rows = 0;
    string? line;
    while ((line = csv.next_line (out len)) != null) {
      var fields = split_fields (line);
      stdout.printf ("%s (%d letters) from %s, born %s\n", fields[0], fields[0].char_count (),
             fields[1], fields[2]);
      rows++;
    }
    var ends = new StringBuilder ();
    foreach (var end in csv.get_newlines ())
      ends.append (" ").append (line_end_name (end));
    stdout.printf ("%d rows; line ends seen:%s\n", rows, ends.str);
    csv.close ();
  } catch (Error e) {
    stderr.printf ("csv-latin1: %s\n", e.message);
    return 1;
  }
  return 0;
}
