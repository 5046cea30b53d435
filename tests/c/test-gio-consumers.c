/* test-gio-consumers.c: GNOME APIs reading and writing libstream streams
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Real consumers, each through the adapters of gio/: GDataInputStream,
 * g_output_stream_splice(), GdkPixbuf and GSubprocess; and a gzip file
 * opened with io_stream_new_for_file() and read through an
 * Io.ConverterStream and an Io.BufferedReader.
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

/* Reads @stream line by line with io_stream_readline() up to its end, or up
 * to an error, which is left in @error. */
static GPtrArray *
read_lines (IoStream  *stream,
            GError   **error)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  GBytes *line;

  while ((line = io_stream_readline (stream, -1, error)) != NULL &&
         g_bytes_get_size (line) > 0)
    g_ptr_array_add (lines, line);
  g_clear_pointer (&line, g_bytes_unref);
  return lines;
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
  g_autoptr(GPtrArray) lines = NULL;
  static const char * const expected[] = { "one\n", "two\n", "three", NULL };

  g_assert_no_error (error);
  stream = io_stream_new_for_input_stream (g_subprocess_get_stdout_pipe (process));
  g_assert_cmpint (io_stream_fileno (stream, &error), >=, 0);
  lines = read_lines (stream, &error);
  g_assert_no_error (error);
  test_util_assert_lines (lines, expected);
  g_assert_true (g_subprocess_wait_check (process, NULL, &error));
  g_assert_no_error (error);
}

/* The stack of issue 12's gzip consumer: io_stream_new_for_file (@file,
 * "rb"), which must give a @file_type, an Io.ConverterStream with a gzip
 * GZlibDecompressor over it, and an Io.BufferedReader over that. */
static IoStream *
open_gzip_lines (GFile *file,
                 GType  file_type)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IoStream) raw = io_stream_new_for_file (file, "rb", NULL, &error);
  g_autoptr(GZlibDecompressor) gunzip =
    g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(IoStream) text = NULL;
  IoStream *reader;

  g_assert_no_error (error);
  g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (raw, file_type));
  text = io_converter_stream_new (raw, G_CONVERTER (gunzip));
  reader = io_buffered_reader_new (text, IO_DEFAULT_BUFFER_SIZE, &error);
  g_assert_no_error (error);
  return reader;
}

/* Writes @content to @file through GIO's own gzip writer. */
static void
write_gzip_with_gio (GFile      *file,
                     const char *content,
                     gsize       len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileOutputStream) out =
    g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);
  g_autoptr(GZlibCompressor) gzip =
    g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
  g_autoptr(GOutputStream) converter = NULL;

  g_assert_no_error (error);
  converter = g_converter_output_stream_new (G_OUTPUT_STREAM (out), G_CONVERTER (gzip));
  g_assert_true (g_output_stream_write_all (converter, content, len, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (converter, NULL, &error));
  g_assert_no_error (error);
}

/* A gzip file GIO wrote, read line by line through new_for_file(), the
 * converter and the buffered layer: every line comes back, across the
 * buffers of all three; closing the top closes the file. A truncated copy
 * gives its lines, then G_IO_ERROR_PARTIAL_INPUT, never a quiet end. */
static void
test_gzip_file_lines (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = test_util_make_tmp_dir ("io-gio-consumers-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "lines.gz", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GString) content = g_string_new (NULL);
  g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(IoStream) reader = NULL;
  g_autofree char *gz = NULL;
  gsize gz_len;

  /* Lines of every length up to 3 KiB, the last one without a newline. */
  for (guint i = 0; i < 4000; i++)
    {
      g_autofree char *fill = g_strnfill (i * 7919 % 3000, 'a' + i % 26);
      char *line = g_strdup_printf ("%u %s%s", i, fill, i < 3999 ? "\n" : "");

      g_string_append (content, line);
      g_ptr_array_add (expected, line);
    }
  g_ptr_array_add (expected, NULL);
  write_gzip_with_gio (file, content->str, content->len);

  reader = open_gzip_lines (file, IO_TYPE_FILE_STREAM);
  lines = read_lines (reader, &error);
  g_assert_no_error (error);
  test_util_assert_lines (lines, (const char * const *) expected->pdata);
  test_util_close_ok (reader);
  g_assert_true (io_stream_is_closed (
    io_filter_stream_get_base_stream (IO_FILTER_STREAM (
      io_filter_stream_get_base_stream (IO_FILTER_STREAM (reader))))));
  g_clear_object (&reader);
  g_clear_pointer (&lines, g_ptr_array_unref);

  /* Without its 8-byte trailer and a little more. */
  g_assert_true (g_file_get_contents (path, &gz, &gz_len, &error));
  test_util_write_file (path, gz, (gssize) gz_len - 20);
  reader = open_gzip_lines (file, IO_TYPE_FILE_STREAM);
  lines = read_lines (reader, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT);
  g_assert_cmpuint (lines->len, >, 3000);
  g_assert_cmpuint (lines->len, <=, 4000);
  for (guint i = 0; i + 1 < lines->len; i++)
    test_util_assert_bytes (g_ptr_array_index (lines, i), g_ptr_array_index (expected, i),
                            strlen (g_ptr_array_index (expected, i)));
  g_clear_object (&reader);
  test_util_remove_tree (dir);
}

/* The same stack over a resource:// file, which new_for_file() opens with
 * GIO's own stream (an Io.GioStream). */
static void
test_gzip_resource_lines (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file =
    g_file_new_for_uri ("resource:///org/libstream/tests/lines.txt.gz");
  g_autoptr(IoStream) reader = open_gzip_lines (file, IO_TYPE_GIO_STREAM);
  g_autoptr(GPtrArray) lines = read_lines (reader, &error);
  static const char * const expected[] = {
    "first line\n", "second line\n", "third line\n", NULL
  };

  g_assert_no_error (error);
  test_util_assert_lines (lines, expected);
  test_util_close_ok (reader);
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
  g_test_add_func ("/gio-consumers/gzip-file-lines", test_gzip_file_lines);
  g_test_add_func ("/gio-consumers/gzip-resource-lines", test_gzip_resource_lines);

  return g_test_run ();
}
