/* gnome-recipes.c: the recipes of docs/gnome-integration.md, runnable
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Each recipe prints what it got and aborts if it is wrong, so the 'demo'
 * suite runs this file as a test.
 */

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <libstream.h>

/* Recipe: lines of an Io.Stream through GDataInputStream */
static void
data_input_lines (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IoStream) stream = io_memory_stream_new ((const guint8 *) "one\ntwo\n", 8);
  g_autoptr(GInputStream) input = io_stream_as_input_stream (stream);
  g_autoptr(GDataInputStream) data = g_data_input_stream_new (input);
  char *line;

  while ((line = g_data_input_stream_read_line (data, NULL, NULL, &error)) != NULL)
    {
      g_print ("line: %s\n", line);
      g_free (line);
    }
  g_assert_no_error (error);
}

/* Recipe: splice a GFile into an Io.MemoryStream */
static void
splice_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) source = g_file_read (file, NULL, &error);
  g_autoptr(IoStream) memory = io_memory_stream_new (NULL, 0);
  g_autoptr(GOutputStream) target = io_stream_as_output_stream (memory);
  gssize n;

  g_assert_no_error (error);
  /* Keep the memory stream open when the splice closes its target. */
  g_object_set (target, "close-base", FALSE, NULL);
  n = g_output_stream_splice (target, G_INPUT_STREAM (source),
                              G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE |
                              G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, io_stream_tell (memory, NULL));
  g_print ("spliced %" G_GSSIZE_FORMAT " bytes\n", n);
}

/* Recipe: a PNG held in memory, decoded by GdkPixbuf */
static void
pixbuf_from_memory (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) image = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 4, 3);
  g_autofree char *png = NULL;
  gsize png_len;
  g_autoptr(IoStream) stream = NULL;
  g_autoptr(GInputStream) input = NULL;
  g_autoptr(GdkPixbuf) loaded = NULL;

  gdk_pixbuf_fill (image, 0xff8000ff);
  gdk_pixbuf_save_to_buffer (image, &png, &png_len, "png", &error, NULL);
  g_assert_no_error (error);
  stream = io_memory_stream_new ((const guint8 *) png, png_len);
  input = io_stream_as_input_stream (stream);
  loaded = gdk_pixbuf_new_from_stream (input, NULL, &error);
  g_assert_no_error (error);
  g_print ("image: %dx%d\n", gdk_pixbuf_get_width (loaded), gdk_pixbuf_get_height (loaded));
}

/* Recipe: a subprocess's output, line by line */
static void
subprocess_lines (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process =
    g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, "printf", "a\\nb\\n", NULL);
  g_autoptr(IoStream) output = NULL;
  g_autoptr(GBytes) line = NULL;

  g_assert_no_error (error);
  output = io_stream_new_for_input_stream (g_subprocess_get_stdout_pipe (process));
  while ((line = io_stream_readline (output, -1, &error)) != NULL &&
         g_bytes_get_size (line) > 0)
    {
      g_print ("child: %.*s", (int) g_bytes_get_size (line),
               (const char *) g_bytes_get_data (line, NULL));
      g_clear_pointer (&line, g_bytes_unref);
    }
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (process, NULL, &error));
}

int
main (int    argc,
      char **argv)
{
  data_input_lines ();
  splice_file (argv[0]);
  pixbuf_from_memory ();
  subprocess_lines ();
  return 0;
}
