/* demo.c: the libstream seed scenario in C. demo.py, demo.js and demo.vala
 * print the same lines.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <stdio.h>
#include <stdlib.h>

#include <libstream.h>

/* Returns @result, or stops the demo if the call set @error. */
static gint64
checked (gint64   result,
         GError **error)
{
  if (*error != NULL)
    {
      fprintf (stderr, "demo: %s\n", (*error)->message);
      exit (EXIT_FAILURE);
    }
  return result;
}

/* Prints @data the way Python prints a bytes object. */
static void
print_repr (const guint8 *data,
            gsize         len)
{
  printf ("b'");
  for (gsize i = 0; i < len; i++)
    {
      if (data[i] == '\\' || data[i] == '\'')
        printf ("\\%c", data[i]);
      else if (data[i] >= 0x20 && data[i] < 0x7f)
        putchar (data[i]);
      else
        printf ("\\x%02x", data[i]);
    }
  printf ("'");
}

static void
print_note (const char *note)
{
  if (note != NULL)
    printf ("  # %s", note);
  printf ("\n");
}

static void
show_bytes (const char *call,
            GBytes     *bytes,
            const char *note)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  printf ("%s -> ", call);
  print_repr (data, len);
  print_note (note);
}

/* read(): everything from the cursor to the end. */
static void
show_read (IoStream   *s,
           const char *note)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = io_stream_read_bytes (s, -1, &error);

  checked (0, &error);
  show_bytes ("read()", bytes, note);
}

/* getvalue(): the whole content, whatever the cursor. */
static void
show_value (IoMemoryStream *s,
            const char     *note)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = io_memory_stream_get_value (s, &error);

  checked (0, &error);
  show_bytes ("getvalue()", bytes, note);
}

static void
show_number (const char *call,
             gint64      number,
             const char *note)
{
  printf ("%s -> %" G_GINT64_FORMAT, call, number);
  print_note (note);
}

/* Reports a call that the export lock must refuse with G_IO_ERROR_BUSY,
 * the error Python raises as BufferError. */
static void
refused (const char *call,
         gboolean    failed,
         GError     *error)
{
  if (!failed || !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BUSY))
    {
      fprintf (stderr, "demo: %s was not refused with G_IO_ERROR_BUSY\n", call);
      exit (EXIT_FAILURE);
    }
  printf ("%s -> BufferError: %s\n", call, error->message);
}

int
main (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IoStream) s = io_memory_stream_new (NULL, 0);
  IoMemoryStream *memory = IO_MEMORY_STREAM (s);
  guint8 *view;
  gsize view_len;
  gint64 n;

  printf ("s = MemoryStream(b'')\n");
  n = io_stream_write (s, (const guint8 *) "hello", 5, &error);
  show_number ("write(b'hello')", checked (n, &error), NULL);
  show_read (s, "the cursor is at the end");
  n = io_stream_seek (s, 0, IO_WHENCE_SET, &error);
  show_number ("seek(0)", checked (n, &error), NULL);
  show_read (s, NULL);
  n = io_stream_seek (s, 0, IO_WHENCE_SET, &error);
  show_number ("seek(0)", checked (n, &error), NULL);
  n = io_stream_write (s, (const guint8 *) "J", 1, &error);
  show_number ("write(b'J')", checked (n, &error), "overwrites in place");
  n = io_stream_seek (s, 0, IO_WHENCE_END, &error);
  show_number ("seek(0, SEEK_END)", checked (n, &error), NULL);
  n = io_stream_write (s, (const guint8 *) " world", 6, &error);
  show_number ("write(b' world')", checked (n, &error), "appends");
  n = io_stream_tell (s, &error);
  show_number ("tell()", checked (n, &error), NULL);
  show_read (s, "at the end again");
  show_value (memory, "the whole value, whatever the position");

  /* getbuffer(): the live buffer, locked against resizing until released. */
  io_memory_stream_acquire_buffer (memory, &view, &view_len, &error);
  checked (0, &error);
  printf ("view = getbuffer() -> %" G_GSIZE_FORMAT " bytes\n", view_len);
  view[0] = 'j';
  printf ("view[0] = b'j'\n");
  show_value (memory, "the view is the live buffer");

  n = io_stream_write (s, (const guint8 *) "!", 1, &error);
  refused ("write(b'!')", n < 0, error);
  g_clear_error (&error);
  n = io_stream_truncate (s, 5, &error);
  refused ("truncate(5)", n < 0, error);
  g_clear_error (&error);

  io_memory_stream_release_buffer (memory);
  printf ("release the view\n");
  n = io_stream_write (s, (const guint8 *) "!", 1, &error);
  show_number ("write(b'!')", checked (n, &error), NULL);
  show_value (memory, NULL);

  io_stream_close (s, &error);
  checked (0, &error);
  return EXIT_SUCCESS;
}
