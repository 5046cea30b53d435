/* demo.c: the libstream seed scenario in C. demo.py, demo.js and demo.vala
 * print the same lines.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <stdio.h>
#include <stdlib.h>

#include <libstream.h>

/* Stops the demo on an error nobody expected. */
static void
check (GError *error)
{
  if (error != NULL)
    {
      fprintf (stderr, "demo: %s\n", error->message);
      exit (EXIT_FAILURE);
    }
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
  g_autoptr(GBytes) got = NULL;
  guint8 *view;
  gsize view_len;
  gint64 n;

  printf ("s = MemoryStream(b'')\n");
  n = io_stream_write (s, (const guint8 *) "hello", 5, &error);
  check (error);
  show_number ("write(b'hello')", n, NULL);

  got = io_stream_read_bytes (s, -1, &error);
  check (error);
  show_bytes ("read()", got, "the cursor is at the end");
  g_clear_pointer (&got, g_bytes_unref);

  n = io_stream_seek (s, 0, IO_WHENCE_SET, &error);
  check (error);
  show_number ("seek(0)", n, NULL);

  got = io_stream_read_bytes (s, -1, &error);
  check (error);
  show_bytes ("read()", got, NULL);
  g_clear_pointer (&got, g_bytes_unref);

  n = io_stream_seek (s, 0, IO_WHENCE_SET, &error);
  check (error);
  show_number ("seek(0)", n, NULL);

  n = io_stream_write (s, (const guint8 *) "J", 1, &error);
  check (error);
  show_number ("write(b'J')", n, "overwrites in place");

  n = io_stream_seek (s, 0, IO_WHENCE_END, &error);
  check (error);
  show_number ("seek(0, SEEK_END)", n, NULL);

  n = io_stream_write (s, (const guint8 *) " world", 6, &error);
  check (error);
  show_number ("write(b' world')", n, "appends");

  n = io_stream_tell (s, &error);
  check (error);
  show_number ("tell()", n, NULL);

  got = io_stream_read_bytes (s, -1, &error);
  check (error);
  show_bytes ("read()", got, "at the end again");
  g_clear_pointer (&got, g_bytes_unref);

  got = io_memory_stream_get_value (memory, &error);
  check (error);
  show_bytes ("getvalue()", got, "the whole value, whatever the position");
  g_clear_pointer (&got, g_bytes_unref);

  io_memory_stream_acquire_buffer (memory, &view, &view_len, &error);
  check (error);
  printf ("view = getbuffer() -> %" G_GSIZE_FORMAT " bytes\n", view_len);
  view[0] = 'j';
  printf ("view[0] = b'j'\n");

  got = io_memory_stream_get_value (memory, &error);
  check (error);
  show_bytes ("getvalue()", got, "the view is the live buffer");
  g_clear_pointer (&got, g_bytes_unref);

  n = io_stream_write (s, (const guint8 *) "!", 1, &error);
  refused ("write(b'!')", n < 0, error);
  g_clear_error (&error);
  n = io_stream_truncate (s, 5, &error);
  refused ("truncate(5)", n < 0, error);
  g_clear_error (&error);

  io_memory_stream_release_buffer (memory);
  printf ("release the view\n");

  n = io_stream_write (s, (const guint8 *) "!", 1, &error);
  check (error);
  show_number ("write(b'!')", n, NULL);

  got = io_memory_stream_get_value (memory, &error);
  check (error);
  show_bytes ("getvalue()", got, NULL);

  io_stream_close (s, &error);
  check (error);
  return EXIT_SUCCESS;
}
