/* test-gio-consumers.c: GNOME APIs reading and writing libstream streams
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Real consumers, each through the adapters of gio/: GDataInputStream,
 * g_output_stream_splice(), GdkPixbuf and GSubprocess.
 */

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "libstream.h"
#include "test-util.h"

/* GDataInputStream reads lines over as_input_stream(). */
static void
test_data_input_lines (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IoStream) stream = test_util_memory_stream_new ("alpha\nbeta\r\ngamma");
  g_autoptr(GInputStream) input = io_stream_as_input_stream (stream);
  g_autoptr(GDataInputStream) data = g_data_input_stream_new (input);
  const char *expected[] = { "alpha", "beta", "gamma" };
  char *line;

  g_data_input_stream_set_newline_type (data, G_DATA_STREAM_NEWLINE_TYPE_ANY);
  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      line = g_data_input_stream_read_line (data, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (line, ==, expected[i]);
      g_free (line);
    }
  line = g_data_input_stream_read_line (data, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (line);
}

/* g_output_stream_splice() from a GFile into a memory stream. */
static void
test_splice_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = test_util_make_tmp_dir ("io-gio-consumers-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "source", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) source = NULL;
  g_autoptr(IoStream) stream = io_memory_stream_new (NULL, 0);
  g_autoptr(GOutputStream) output = io_stream_as_output_stream (stream);
  g_autoptr(GString) content = g_string_new (NULL);
  g_autoptr(GBytes) value = NULL;
  gssize n;

  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (content, "line %u\n", i);
  test_util_write_file (path, content->str, (gssize) content->len);
  source = g_file_read (file, NULL, &error);
  g_assert_no_error (error);
  g_object_set (output, "close-base", FALSE, NULL);
  n = g_output_stream_splice (output, G_INPUT_STREAM (source),
                              G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE |
                              G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, (gssize) content->len);
  g_assert_true (g_output_stream_is_closed (output));
  g_assert_false (io_stream_is_closed (stream));
  value = io_memory_stream_get_value (IO_MEMORY_STREAM (stream), &error);
  test_util_assert_bytes (value, content->str, content->len);
  test_util_remove_tree (dir);
}

/* gdk_pixbuf_new_from_stream() decodes a PNG held in a memory stream. */
static void
test_pixbuf_png (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) image = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, 7, 5);
  g_autoptr(GdkPixbuf) loaded = NULL;
  g_autoptr(IoStream) stream = NULL;
  g_autoptr(GInputStream) input = NULL;
  g_autofree char *png = NULL;
  gsize png_len;

  gdk_pixbuf_fill (image, 0x336699ff);
  g_assert_true (gdk_pixbuf_save_to_buffer (image, &png, &png_len, "png", &error, NULL));
  g_assert_no_error (error);
  stream = io_memory_stream_new ((const guint8 *) png, png_len);
  input = io_stream_as_input_stream (stream);
  loaded = gdk_pixbuf_new_from_stream (input, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (loaded), ==, 7);
  g_assert_cmpint (gdk_pixbuf_get_height (loaded), ==, 5);
  g_assert_cmpmem (gdk_pixbuf_read_pixels (loaded), 4, gdk_pixbuf_read_pixels (image), 4);

  /* Not a PNG: GdkPixbuf's error, nothing of libstream's. */
  g_clear_object (&input);
  g_clear_object (&stream);
  stream = test_util_memory_stream_new ("not an image");
  input = io_stream_as_input_stream (stream);
  g_assert_null (gdk_pixbuf_new_from_stream (input, NULL, &error));
  g_assert_error (error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_UNKNOWN_TYPE);
}

/* A subprocess's stdout, read as an Io.Stream line by line. */
static void
test_subprocess_lines (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process =
    g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                      "/bin/sh", "-c", "printf 'one\\ntwo\\nthree'", NULL);
  g_autoptr(IoStream) stream = NULL;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  static const char * const expected[] = { "one\n", "two\n", "three", NULL };

  g_assert_no_error (error);
  stream = io_stream_new_for_input_stream (g_subprocess_get_stdout_pipe (process));
  g_assert_cmpint (io_stream_fileno (stream, &error), >=, 0);
  for (;;)
    {
      GBytes *line = io_stream_readline (stream, -1, &error);

      g_assert_no_error (error);
      if (g_bytes_get_size (line) == 0)
        {
          g_bytes_unref (line);
          break;
        }
      g_ptr_array_add (lines, line);
    }
  test_util_assert_lines (lines, expected);
  g_assert_true (g_subprocess_wait_check (process, NULL, &error));
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gio-consumers/data-input-lines", test_data_input_lines);
  g_test_add_func ("/gio-consumers/splice-file", test_splice_file);
  g_test_add_func ("/gio-consumers/pixbuf-png", test_pixbuf_png);
  g_test_add_func ("/gio-consumers/child-stdout-lines", test_subprocess_lines);

  return g_test_run ();
}
