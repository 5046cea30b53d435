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

/* Recipe: a cancel from a timeout ends a read waiting on an empty pipe */
static gboolean
cancel_read (gpointer cancellable)
{
  g_cancellable_cancel (cancellable);
  return G_SOURCE_REMOVE;
}

static void
read_done (GObject      *source,
           GAsyncResult *result,
           gpointer      loop)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes =
    io_stream_read_bytes_finish (IO_STREAM (source), result, &error);

  /* G_IO_ERROR_CANCELLED: nothing was written, the timeout ended it. */
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_print ("read: %s\n", error->message);
  g_main_loop_quit (loop);
}

static void
cancel_from_timeout (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IoStream) reader = NULL;
  g_autoptr(IoStream) writer = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  io_pipe_stream_new_pair (&reader, &writer, &error);
  g_assert_no_error (error);
  g_timeout_add (100, cancel_read, cancellable);
  io_stream_read_bytes_async (reader, 4096, G_PRIORITY_DEFAULT, cancellable,
                              read_done, loop);
  g_main_loop_run (loop);
}

/* Recipe: a gzip file, line by line, through new_for_file(), a converter
 * and a buffered reader; written first through a converter too. */
static void
gzip_lines (GFile *gfile)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GZlibCompressor) gzip =
    g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
  g_autoptr(IoStream) out = io_stream_new_for_file (gfile, "wb", NULL, &error);
  g_autoptr(IoStream) packed = NULL;
  g_autoptr(GZlibDecompressor) gunzip =
    g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(IoStream) file = NULL;
  g_autoptr(IoStream) text = NULL;
  g_autoptr(IoStream) lines = NULL;
  g_autoptr(GBytes) line = NULL;
  guint count = 0;

  g_assert_no_error (error);
  packed = io_converter_stream_new (out, G_CONVERTER (gzip));
  io_stream_write_all (packed, (const guint8 *) "one\ntwo\n", 8, NULL, &error);
  g_assert_no_error (error);
  io_stream_close (packed, &error);  /* writes the gzip trailer */
  g_assert_no_error (error);

  file = io_stream_new_for_file (gfile, "rb", NULL, &error);
  g_assert_no_error (error);
  text = io_converter_stream_new (file, G_CONVERTER (gunzip));
  lines = io_buffered_reader_new (text, IO_DEFAULT_BUFFER_SIZE, &error);
  g_assert_no_error (error);
  while ((line = io_stream_readline (lines, -1, &error)) != NULL &&
         g_bytes_get_size (line) > 0)
    {
      g_print ("gzip: %.*s", (int) g_bytes_get_size (line),
               (const char *) g_bytes_get_data (line, NULL));
      g_clear_pointer (&line, g_bytes_unref);
      count++;
    }
  /* A truncated file would end in G_IO_ERROR_PARTIAL_INPUT here. */
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 2);
}

int
main (int    argc,
      char **argv)
{
  data_input_lines ();
  splice_file (argv[0]);
  pixbuf_from_memory ();
  subprocess_lines ();
  cancel_from_timeout ();
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GFileIOStream) tmp = NULL;
    g_autoptr(GFile) gz = g_file_new_tmp ("gnome-recipes-XXXXXX.gz", &tmp, &error);

    g_assert_no_error (error);
    gzip_lines (gz);
    g_file_delete (gz, NULL, NULL);
  }
  return 0;
}
