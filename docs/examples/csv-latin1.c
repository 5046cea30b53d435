/* csv-latin1.c: reads a Latin-1 CSV file with \r\n line ends through
 * io_open_text() and prints its rows. csv-latin1.py, csv-latin1.js and
 * csv-latin1.vala print the same lines.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <stdio.h>
#include <string.h>

#include <libstream.h>

static const char *
line_end_name (const char *end)
{
  return strcmp (end, "\r\n") == 0 ? "CRLF" : strcmp (end, "\r") == 0 ? "CR" : "LF";
}

/* The fields of @line, its "\n" (every line end, read with newline NULL)
 * dropped. */
static char **
split_fields (char  *line,
              gsize  len)
{
  if (len > 0 && line[len - 1] == '\n')
    line[len - 1] = '\0';
  return g_strsplit (line, ";", -1);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IoTextStream) csv = NULL;
  g_autofree char *header = NULL;
  g_auto(GStrv) columns = NULL;
  g_auto(GStrv) seen = NULL;
  char *line;
  gsize len;
  guint rows = 0;

  if (argc != 2)
    {
      fprintf (stderr, "usage: %s FILE.csv\n", argv[0]);
      return 2;
    }
  /* The text is UTF-8 whatever the file's charset; each "\r\n" is "\n". */
  csv = io_open_text (argv[1], "r", -1, "latin-1", NULL, NULL, &error);
  if (csv == NULL || (header = io_text_stream_readline (csv, -1, &len, &error)) == NULL)
    goto failed;
  columns = split_fields (header, len);
  g_free (g_steal_pointer (&header));
  header = g_strjoinv (", ", columns);
  printf ("columns: %s\n", header);
  while ((line = io_text_stream_next_line (csv, &len, &error)) != NULL)
    {
      g_auto(GStrv) fields = split_fields (line, len);

      g_free (line);
      if (g_strv_length (fields) != 3)
        {
          fprintf (stderr, "csv-latin1: a row without 3 fields\n");
          return 1;
        }
      printf ("%s (%ld letters) from %s, born %s\n", fields[0],
              g_utf8_strlen (fields[0], -1), fields[1], fields[2]);
      rows++;
    }
  if (error != NULL)
    goto failed;
  printf ("%u rows; line ends seen:", rows);
  seen = io_text_stream_get_newlines (csv);
  for (char **end = seen; *end != NULL; end++)
    printf (" %s", line_end_name (*end));
  printf ("\n");
  if (!io_text_stream_close (csv, &error))
    goto failed;
  return 0;

failed:
  fprintf (stderr, "csv-latin1: %s\n", error->message);
  return 1;
}
