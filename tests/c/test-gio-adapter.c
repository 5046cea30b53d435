/* test-gio-adapter.c: libstream streams as GInputStream, GOutputStream, GIOStream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <gio/gfiledescriptorbased.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "libstream.h"
#include "test-util.h"

static void
assert_gio_read (GInputStream *input,
                 gsize         count,
                 const char   *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes (input, count, NULL, &error);

  g_assert_no_error (error);
  test_util_assert_bytes (bytes, expected, strlen (expected));
}

/* Reads, skips and seeks through the adapter move the stream's position,
 * and GIO's seek types land where their names say. */
static void
test_input_read_seek (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IoStream) stream = test_util_memory_stream_new ("0123456789");
  g_autoptr(GInputStream) input = io_stream_as_input_stream (stream);
  GSeekable *seekable = G_SEEKABLE (input);

  g_assert_true (G_IS_SEEKABLE (input));
  g_assert_false (G_IS_FILE_DESCRIPTOR_BASED (input));
  g_assert_false (G_IS_POLLABLE_INPUT_STREAM (input));
  assert_gio_read (input, 3, "012");
  g_assert_cmpint (io_stream_tell (stream, &error), ==, 3);
  g_assert_cmpint (g_input_stream_skip (input, 2, NULL, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_cmpint (g_seekable_tell (seekable), ==, 5);

  /* G_SEEK_CUR is 0 and G_SEEK_SET 1, the other way round from IoWhence. */
  g_assert_true (g_seekable_can_seek (seekable));
  g_assert_true (g_seekable_seek (seekable, 1, G_SEEK_CUR, NULL, &error));
  g_assert_cmpint (g_seekable_tell (seekable), ==, 6);
  g_assert_true (g_seekable_seek (seekable, 1, G_SEEK_SET, NULL, &error));
  g_assert_cmpint (g_seekable_tell (seekable), ==, 1);
  g_assert_true (g_seekable_seek (seekable, -2, G_SEEK_END, NULL, &error));
  g_assert_no_error (error);
  assert_gio_read (input, 10, "89");
  assert_gio_read (input, 10, "");

  /* A skip stops at the end, as a read would. */
  g_assert_true (g_seekable_seek (seekable, 7, G_SEEK_SET, NULL, &error));
  g_assert_cmpint (g_input_stream_skip (input, 100, NULL, &error), ==, 3);
  g_assert_no_error (error);

  /* An input stream never truncates, as in GIO. */
  g_assert_false (g_seekable_can_truncate (seekable));
  g_assert_false (g_seekable_truncate (seekable, 0, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);

  /* A negative position is the stream's error, in G_IO_ERROR. */
  g_assert_false (g_seekable_seek (seekable, -1, G_SEEK_SET, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

/* Reads of a memory stream come from its window: the adapter moves the
 * position by exactly what it returns, whatever was read inline. */
static void
test_input_window_reads (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IoStream) stream = test_util_memory_stream_new ("abcdef");
  g_autoptr(GInputStream) input = io_stream_as_input_stream (stream);
  guint8 buffer[16];

  g_assert_cmpint (io_stream_getc (stream, &error), ==, 'a');
  g_assert_cmpint (g_input_stream_read (input, buffer, 2, NULL, &error), ==, 2);
  g_assert_cmpmem (buffer, 2, "bc", 2);
  g_assert_cmpint (io_stream_getc (stream, &error), ==, 'd');
  g_assert_cmpint (g_input_stream_read (input, buffer, sizeof buffer, NULL, &error), ==, 2);
  g_assert_cmpmem (buffer, 2, "ef", 2);
  g_assert_no_error (error);
}

static void
test_input_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(IoStream) stream = test_util_memory_stream_new ("abc");
  g_autoptr(GInputStream) input = io_stream_as_input_stream (stream);
  guint8 buffer[4];

  /* A cancelled cancellable: nothing moves. */
  g_cancellable_cancel (cancellable);
  g_assert_cmpint (g_input_stream_read (input, buffer, 1, cancellable, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpint (io_stream_tell (stream, &error), ==, 0);

  /* The stream closed under the adapter: its CLOSED error. */
  test_util_close_ok (stream);
  g_assert_cmpint (g_input_stream_read (input, buffer, 1, NULL, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_clear_error (&error);
  g_assert_false (g_seekable_can_seek (G_SEEKABLE (input)));
  g_assert_true (g_input_stream_close (input, NULL, &error));
  g_assert_no_error (error);
}

static void
test_input_not_readable (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = test_util_make_tmp_dir ("io-gio-adapter-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "out", NULL);
  g_autoptr(IoStream) stream = io_file_stream_new (path, "w", &error);
  g_autoptr(GInputStream) input = io_stream_as_input_stream (stream);
  guint8 buffer[4];

  g_assert_no_error (error);
  g_assert_cmpint (g_input_stream_read (input, buffer, 1, NULL, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_clear_object (&input);
  g_assert_true (io_stream_is_closed (stream));
  test_util_remove_tree (dir);
}

/* Closing the adapter closes the stream, unless close-base is FALSE; so
 * does dropping it, as for every GIO stream. */
static void
test_close_base (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IoStream) stream = test_util_memory_stream_new ("abc");
  GInputStream *input = io_stream_as_input_stream (stream);
  GOutputStream *output;
  gboolean close_base = FALSE;

  g_object_get (input, "close-base", &close_base, NULL);
  g_assert_true (close_base);
  g_object_set (input, "close-base", FALSE, NULL);
  g_assert_true (g_input_stream_close (input, NULL, &error));
  g_assert_false (io_stream_is_closed (stream));
  g_assert_finalize_object (input);
  g_assert_false (io_stream_is_closed (stream));

  output = io_stream_as_output_stream (stream);
  g_assert_true (g_output_stream_close (output, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (io_stream_is_closed (stream));
  g_assert_finalize_object (output);

  g_clear_object (&stream);
  stream = test_util_memory_stream_new ("abc");
  input = io_stream_as_input_stream (stream);
  g_assert_finalize_object (input);
  g_assert_true (io_stream_is_closed (stream));
}

static void
test_output (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IoStream) stream = io_memory_stream_new (NULL, 0);
  g_autoptr(GOutputStream) output = io_stream_as_output_stream (stream);
  GSeekable *seekable = G_SEEKABLE (output);
  g_autoptr(GBytes) value = NULL;
  gsize written = 0;

  g_assert_true (g_output_stream_write_all (output, "hello world", 11, &written, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (written, ==, 11);
  g_assert_true (g_output_stream_flush (output, NULL, &error));
  g_assert_true (g_seekable_can_truncate (seekable));
  g_assert_true (g_seekable_truncate (seekable, 5, NULL, &error));
  g_assert_no_error (error);
  /* Python's truncate keeps the position; GIO's seek then moves it. */
  g_assert_cmpint (g_seekable_tell (seekable), ==, 11);
  g_assert_true (g_seekable_seek (seekable, 0, G_SEEK_END, NULL, &error));
  g_assert_true (g_output_stream_write_all (output, "!", 1, NULL, NULL, &error));
  g_assert_no_error (error);
  value = io_memory_stream_get_value (IO_MEMORY_STREAM (stream), &error);
  test_util_assert_bytes (value, "hello!", 6);
}

/* A GIOStream: both streams share the position; closing one leaves the
 * stream open, closing the GIOStream closes it. */
static void
test_io_stream (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IoStream) stream = io_memory_stream_new (NULL, 0);
  GIOStream *io = io_stream_as_io_stream (stream);
  GInputStream *input = g_io_stream_get_input_stream (io);
  GOutputStream *output = g_io_stream_get_output_stream (io);

  g_assert_true (g_io_stream_get_input_stream (io) == input);
  g_assert_true (g_output_stream_write_all (output, "line\n", 5, NULL, NULL, &error));
  g_assert_true (G_IS_SEEKABLE (io));
  g_assert_true (g_seekable_seek (G_SEEKABLE (io), 1, G_SEEK_SET, NULL, &error));
  g_assert_no_error (error);
  assert_gio_read (input, 100, "ine\n");

  g_assert_true (g_input_stream_close (input, NULL, &error));
  g_assert_false (io_stream_is_closed (stream));
  g_assert_true (g_io_stream_close (io, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (io_stream_is_closed (stream));
  g_assert_finalize_object (io);
}

/* A pipe: GFileDescriptorBased and pollable; the main loop wakes when data
 * arrives; a cancel ends a read blocked on an empty pipe. */
typedef struct
{
  GMainLoop *loop;
  gboolean fired;
} SourceData;

static gboolean
on_readable (GObject  *pollable,
             gpointer  user_data)
{
  SourceData *data = user_data;

  data->fired = TRUE;
  g_main_loop_quit (data->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
cancel_soon (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static gpointer
write_later (gpointer user_data)
{
  g_usleep (50 * 1000);
  test_util_write_text (user_data, "x");
  return NULL;
}

static void
test_pipe_pollable (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IoStream) reader = NULL;
  g_autoptr(IoStream) writer = NULL;
  g_autoptr(GInputStream) input = NULL;
  g_autoptr(GOutputStream) output = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GSource) source = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  SourceData data = { loop, FALSE };
  GPollFD pollfd;
  GThread *thread;
  guint8 buffer[8];
  gssize n;

  g_assert_true (io_pipe_stream_new_pair (&reader, &writer, &error));
  input = io_stream_as_input_stream (reader);
  output = io_stream_as_output_stream (writer);
  g_assert_true (G_IS_FILE_DESCRIPTOR_BASED (input));
  g_assert_cmpint (g_file_descriptor_based_get_fd (G_FILE_DESCRIPTOR_BASED (input)), ==,
                   io_stream_fileno (reader, &error));
  g_assert_true (g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (input)));
  g_assert_true (g_pollable_output_stream_can_poll (G_POLLABLE_OUTPUT_STREAM (output)));
  g_assert_true (g_pollable_output_stream_is_writable (G_POLLABLE_OUTPUT_STREAM (output)));
  g_assert_false (g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (input)));
  n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (input), buffer,
                                                sizeof buffer, NULL, &error);
  g_assert_cmpint (n, ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
  g_clear_error (&error);

  /* A cancel from the main loop ends a read blocked on the empty pipe.
   * The cancellable's eventfd, which the read waits on, is made before the
   * cancelling thread starts and released after it ends: GLib hands it
   * over under its own locks, which ThreadSanitizer cannot see. */
  g_assert_true (g_cancellable_make_pollfd (cancellable, &pollfd));
  g_timeout_add (20, cancel_soon, cancellable);
  thread = g_thread_new ("cancel", (GThreadFunc) (void (*) (void)) g_main_loop_run, loop);
  n = g_input_stream_read (input, buffer, sizeof buffer, cancellable, &error);
  g_main_loop_quit (loop);
  g_thread_join (thread);
  g_cancellable_release_fd (cancellable);
  g_assert_cmpint (n, ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* The source fires once a byte is there. */
  source = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (input), NULL);
  g_source_set_callback (source, G_SOURCE_FUNC (on_readable), &data, NULL);
  g_source_attach (source, NULL);
  thread = g_thread_new ("writer", write_later, writer);
  g_main_loop_run (loop);
  g_thread_join (thread);
  g_assert_true (data.fired);
  g_assert_true (g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (input)));
  n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (input), buffer,
                                                sizeof buffer, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 1);
  g_source_destroy (source);
}

/* A regular file has a descriptor, which poll(2) cannot wait on. */
static void
test_file_descriptor (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = test_util_make_tmp_dir ("io-gio-adapter-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "file", NULL);
  g_autoptr(IoStream) stream = io_file_stream_new (path, "w+", &error);
  g_autoptr(GOutputStream) output = io_stream_as_output_stream (stream);

  g_assert_true (G_IS_FILE_DESCRIPTOR_BASED (output));
  g_assert_false (g_pollable_output_stream_can_poll (G_POLLABLE_OUTPUT_STREAM (output)));
  g_assert_true (g_output_stream_write_all (output, "data", 4, NULL, NULL, &error));
  g_assert_true (g_output_stream_close (output, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (io_stream_is_closed (stream));
  test_util_remove_tree (dir);
}

/* libstream -> GIO -> libstream, and GIO -> libstream -> GIO: working
 * streams both ways. */
static void
test_round_trips (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IoStream) stream = test_util_memory_stream_new ("one\ntwo\n");
  g_autoptr(GInputStream) input = io_stream_as_input_stream (stream);
  g_autoptr(IoStream) back = io_stream_new_for_input_stream (input);
  g_autoptr(GBytes) line = NULL;
  g_autoptr(GBytes) data = g_bytes_new_static ("abcdef", 6);
  g_autoptr(GInputStream) memory = g_memory_input_stream_new_from_bytes (data);
  g_autoptr(IoStream) wrapped = io_stream_new_for_input_stream (memory);
  g_autoptr(GInputStream) again = io_stream_as_input_stream (wrapped);

  g_assert_true (io_stream_seekable (back, &error));
  line = io_stream_readline (back, -1, &error);
  test_util_assert_bytes (line, "one\n", 4);
  test_util_seek_to (back, 0, IO_WHENCE_SET, 0);
  test_util_assert_read_all (back, "one\ntwo\n");
  test_util_close_ok (back);
  g_assert_true (io_stream_is_closed (stream));

  /* GIO is never unwrapped: a new adapter over the wrapper. */
  g_assert_true (again != memory);
  g_assert_true (g_seekable_seek (G_SEEKABLE (again), 2, G_SEEK_SET, NULL, &error));
  assert_gio_read (again, 100, "cdef");
  g_assert_true (g_input_stream_close (again, NULL, &error));
  g_assert_true (g_input_stream_is_closed (memory));
}

/* The output direction both ways. */
static void
test_output_round_trips (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(IoStream) wrapped = io_stream_new_for_output_stream (memory);
  g_autoptr(GOutputStream) again = io_stream_as_output_stream (wrapped);
  g_autoptr(IoStream) stream = io_memory_stream_new (NULL, 0);
  g_autoptr(GOutputStream) output = io_stream_as_output_stream (stream);
  g_autoptr(IoStream) back = io_stream_new_for_output_stream (output);
  g_autoptr(GBytes) value = NULL;

  g_assert_true (g_output_stream_write_all (again, "gio", 3, NULL, NULL, &error));
  g_assert_true (g_output_stream_close (again, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_is_closed (memory));
  value = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
  test_util_assert_bytes (value, "gio", 3);
  g_clear_pointer (&value, g_bytes_unref);

  test_util_write_text (back, "libstream");
  g_assert_cmpint (io_stream_seek (back, 3, IO_WHENCE_SET, &error), ==, 3);
  test_util_write_text (back, "S");
  value = io_memory_stream_get_value (IO_MEMORY_STREAM (stream), &error);
  test_util_assert_bytes (value, "libStream", 9);
  test_util_close_ok (back);
  g_assert_true (io_stream_is_closed (stream));
}

/* GIO's default asynchronous methods over the adapters: a thread for a
 * memory stream, the pollable path for a pipe. */
static void
on_read_bytes (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GBytes **out = user_data;
  GError *error = NULL;

  *out = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  g_assert_no_error (error);
}

static GBytes *
read_bytes_async (GInputStream *input,
                  gsize         count)
{
  GBytes *bytes = NULL;

  g_input_stream_read_bytes_async (input, count, G_PRIORITY_DEFAULT, NULL, on_read_bytes, &bytes);
  while (bytes == NULL)
    g_main_context_iteration (NULL, TRUE);
  return bytes;
}

static void
test_default_async (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IoStream) stream = test_util_memory_stream_new ("async");
  g_autoptr(GInputStream) input = io_stream_as_input_stream (stream);
  g_autoptr(IoStream) reader = NULL;
  g_autoptr(IoStream) writer = NULL;
  g_autoptr(GInputStream) pipe_input = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GThread *thread;

  bytes = read_bytes_async (input, 3);
  test_util_assert_bytes (bytes, "asy", 3);
  g_clear_pointer (&bytes, g_bytes_unref);

  g_assert_true (io_pipe_stream_new_pair (&reader, &writer, &error));
  pipe_input = io_stream_as_input_stream (reader);
  thread = g_thread_new ("writer", write_later, writer);
  bytes = read_bytes_async (pipe_input, 10);
  g_thread_join (thread);
  test_util_assert_bytes (bytes, "x", 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gio-adapter/input/read-seek", test_input_read_seek);
  g_test_add_func ("/gio-adapter/input/window-reads", test_input_window_reads);
  g_test_add_func ("/gio-adapter/input/errors", test_input_errors);
  g_test_add_func ("/gio-adapter/input/not-readable", test_input_not_readable);
  g_test_add_func ("/gio-adapter/close-base", test_close_base);
  g_test_add_func ("/gio-adapter/output", test_output);
  g_test_add_func ("/gio-adapter/io-stream", test_io_stream);
  g_test_add_func ("/gio-adapter/pipe-pollable", test_pipe_pollable);
  g_test_add_func ("/gio-adapter/file-descriptor", test_file_descriptor);
  g_test_add_func ("/gio-adapter/round-trips", test_round_trips);
  g_test_add_func ("/gio-adapter/output-round-trips", test_output_round_trips);
  g_test_add_func ("/gio-adapter/default-async", test_default_async);

  return g_test_run ();
}
