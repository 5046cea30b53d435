/* gzip-lines.c: the example of docs/converters.md
 *
 * Writes a few lines to a gzip file through an Io.ConverterStream with a
 * GZlibCompressor, then reads the file back line by line through
 * Io.FileStream and an Io.ConverterStream with a GZlibDecompressor; with a
 * file name argument, counts the lines of that gzip file instead.
 *
 *   gzip-lines [FILE.gz]
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <glib/gstdio.h>
#include <libstream.h>

static gboolean
write_gzip (const char  *path,
            GError     **error)
{
  g_autoptr(GConverter) gzip =
    G_CONVERTER (g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1));
  g_autoptr(IoStream) file = io_file_stream_new (path, "wb", error);
  g_autoptr(IoStream) out = NULL;

  if (file == NULL)
    return FALSE;
  out = io_converter_stream_new (file, gzip);
  for (int i = 1; i <= 3; i++)
    {
      g_autofree char *line = g_strdup_printf ("line %d\n", i);

      if (!io_stream_write_all (out, (const guint8 *) line, strlen (line), NULL, error))
        return FALSE;
    }
  /* Closing writes the gzip trailer, then closes the file. */
  return io_stream_close (out, error);
}

static gboolean
print_lines (const char  *path,
             GError     **error)
{
  g_autoptr(GConverter) gunzip =
    G_CONVERTER (g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP));
  g_autoptr(IoStream) file = io_file_stream_new (path, "rb", error);
  g_autoptr(IoStream) in = NULL;
  g_autofree guint8 *line = NULL;
  gsize capacity = 0;
  gssize len;
  guint count = 0;

  if (file == NULL)
    return FALSE;
  in = io_converter_stream_new (file, gunzip);
  /* A truncated file ends in G_IO_ERROR_PARTIAL_INPUT, not in an early
   * end of stream. */
  while ((len = io_stream_readline_into (in, -1, &line, &capacity, error)) > 0)
    {
      count++;
      if (count <= 3)
        g_print ("%s", (const char *) line);
    }
  if (len < 0)
    return FALSE;
  g_print ("%u lines\n", count);
  return io_stream_close (in, error);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  gboolean ok;

  if (argc > 1)
    ok = print_lines (argv[1], &error);
  else
    {
      int fd = g_file_open_tmp ("gzip-lines-XXXXXX.gz", &path, &error);

      if (fd < 0)
        ok = FALSE;
      else
        {
          g_close (fd, NULL);
          ok = write_gzip (path, &error) && print_lines (path, &error);
          g_unlink (path);
        }
    }
  if (!ok)
    {
      g_printerr ("gzip-lines: %s\n", error->message);
      return 1;
    }
  return 0;
}
