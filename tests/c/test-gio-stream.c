/* test-gio-stream.c: GIO streams and files as libstream streams (IoGioStream)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#include <glib/gstdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include "libstream.h"
#include "test-util.h"

#define RESOURCE_LINES "resource:///org/libstream/tests/lines.txt"
#define LINES "first line\nsecond line\nthird line\n"

static GInputStream *
memory_input (const char *text)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  return g_memory_input_stream_new_from_bytes (bytes);
}

/* A GInputStream: readable, not writable, seekable when it is, with the
 * whence values mapped by name. */
static void
test_input_stream (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) input = memory_input ("0123456789");
  g_autoptr(IoStream) stream = io_stream_new_for_input_stream (input);
  guint8 buffer[4];

  g_assert_true (IO_IS_GIO_STREAM (stream));
  g_assert_true (io_stream_readable (stream, &error));
  g_assert_false (io_stream_writable (stream, &error));
  g_assert_true (io_stream_seekable (stream, &error));
  test_util_assert_read (stream, 2, "01");
  test_util_seek_to (stream, 3, IO_WHENCE_CUR, 5);
  test_util_seek_to (stream, 1, IO_WHENCE_SET, 1);
  test_util_seek_to (stream, -1, IO_WHENCE_END, 9);
  test_util_assert_read_all (stream, "9");
  test_util_seek_to (stream, 4, IO_WHENCE_SET, 4);
  g_assert_cmpint (g_seekable_tell (G_SEEKABLE (input)), ==, 4);

  g_assert_cmpint (io_stream_write (stream, (const guint8 *) "x", 1, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_cmpint (io_stream_fileno (stream, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_false (io_stream_isatty (stream, &error));
  g_assert_no_error (error);

  /* GMemoryInputStream refuses a position past its end: its error. */
  g_assert_cmpint (io_stream_seek (stream, 100, IO_WHENCE_SET, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* peek over a seekable stream reads and seeks back. */
  {
    g_autoptr(GBytes) ahead = io_stream_peek (stream, 3, &error);

    test_util_assert_bytes (ahead, "456", 3);
  }
  test_util_assert_read (stream, 1, "4");

  /* The GIO stream closed under it: G_IO_ERROR_CLOSED from GIO. */
  g_assert_true (g_input_stream_close (input, NULL, &error));
  g_assert_cmpint (io_stream_read (stream, buffer, 1, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
}

/* Lines and peek over a GBufferedInputStream come from its buffer. */
static void
test_buffered_peek (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) pipe_input = NULL;
  g_autoptr(GInputStream) buffered = NULL;
  g_autoptr(IoStream) stream = NULL;
  g_autoptr(GBytes) ahead = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  static const char * const expected[] = { "cd\n", NULL };
  int fds[2];

  /* A pipe: no seek to peek with, only the buffer. */
  g_assert_no_errno (pipe (fds));
  g_assert_cmpint (write (fds[1], "ab\ncd\n", 6), ==, 6);
  g_assert_no_errno (close (fds[1]));
  pipe_input = g_unix_input_stream_new (fds[0], TRUE);
  buffered = g_buffered_input_stream_new (pipe_input);
  stream = io_stream_new_for_input_stream (buffered);
  g_assert_false (io_stream_seekable (stream, &error));
  ahead = io_stream_peek (stream, 2, &error);
  test_util_assert_bytes (ahead, "ab", 2);
  g_assert_cmpuint (g_buffered_input_stream_get_available (G_BUFFERED_INPUT_STREAM (buffered)),
                    ==, 6);
  test_util_assert_read (stream, 3, "ab\n");
  g_clear_pointer (&ahead, g_bytes_unref);
  ahead = io_stream_peek (stream, 0, &error);
  test_util_assert_bytes (ahead, "cd\n", 3);
  lines = io_stream_readlines (stream, -1, &error);
  test_util_assert_lines (lines, expected);
}

static void
test_output_stream (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) output = g_memory_output_stream_new_resizable ();
  g_autoptr(IoStream) stream = io_stream_new_for_output_stream (output);
  g_autoptr(GBytes) data = NULL;
  guint8 buffer[4];

  g_assert_false (io_stream_readable (stream, &error));
  g_assert_true (io_stream_writable (stream, &error));
  test_util_write_text (stream, "hello world");
  g_assert_cmpint (io_stream_truncate (stream, 5, &error), ==, 5);
  g_assert_no_error (error);
  g_assert_cmpint (io_stream_read (stream, buffer, 1, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  test_util_close_ok (stream);
  g_assert_true (g_output_stream_is_closed (output));
  data = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (output));
  test_util_assert_bytes (data, "hello", 5);
}

/* close-base FALSE leaves the GIO stream open, and can be read back. */
static void
test_close_base (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) input = memory_input ("abc");
  IoStream *stream = io_stream_new_for_input_stream (input);
  guint notified = 0;

  g_assert_true (io_gio_stream_get_close_base (IO_GIO_STREAM (stream)));
  g_signal_connect (stream, "notify::close-base", G_CALLBACK (test_util_count_notify), &notified);
  io_gio_stream_set_close_base (IO_GIO_STREAM (stream), FALSE);
  io_gio_stream_set_close_base (IO_GIO_STREAM (stream), FALSE);
  g_assert_cmpuint (notified, ==, 1);
  test_util_close_ok (stream);
  g_assert_false (g_input_stream_is_closed (input));
  g_assert_finalize_object (stream);
  g_assert_false (g_input_stream_is_closed (input));
}

/* Descriptors: a GUnixInputStream's fd is the stream's fileno. */
static void
test_unix_streams (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) input = NULL;
  g_autoptr(GOutputStream) output = NULL;
  g_autoptr(IoStream) reader = NULL;
  g_autoptr(IoStream) writer = NULL;
  int fds[2];

  g_assert_no_errno (pipe (fds));
  input = g_unix_input_stream_new (fds[0], TRUE);
  output = g_unix_output_stream_new (fds[1], TRUE);
  reader = io_stream_new_for_input_stream (input);
  writer = io_stream_new_for_output_stream (output);
  g_assert_cmpint (io_stream_fileno (reader, &error), ==, fds[0]);
  g_assert_cmpint (io_stream_fileno (writer, &error), ==, fds[1]);
  g_assert_no_error (error);
  g_assert_false (io_stream_seekable (reader, &error));
  test_util_write_text (writer, "one\ntwo\n");
  test_util_close_ok (writer);
  g_assert_true (g_output_stream_is_closed (output));
  test_util_assert_read_all (reader, "one\ntwo\n");
}

/* A socket connection: its socket's descriptor, both directions. */
static void
test_socket_connection (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) one = NULL;
  g_autoptr(GSocket) two = NULL;
  g_autoptr(GSocketConnection) near = NULL;
  g_autoptr(GSocketConnection) far = NULL;
  g_autoptr(IoStream) stream = NULL;
  g_autoptr(IoStream) peer = NULL;
  int fds[2];

  g_assert_no_errno (socketpair (AF_UNIX, SOCK_STREAM, 0, fds));
  one = g_socket_new_from_fd (fds[0], &error);
  two = g_socket_new_from_fd (fds[1], &error);
  g_assert_no_error (error);
  near = g_socket_connection_factory_create_connection (one);
  far = g_socket_connection_factory_create_connection (two);
  stream = io_stream_new_for_io_stream (G_IO_STREAM (near));
  peer = io_stream_new_for_io_stream (G_IO_STREAM (far));
  g_assert_cmpint (io_stream_fileno (stream, &error), ==, fds[0]);
  g_assert_false (io_stream_seekable (stream, &error));
  g_assert_no_error (error);
  test_util_write_text (stream, "ping\n");
  {
    g_autoptr(GBytes) line = io_stream_readline (peer, -1, &error);

    test_util_assert_bytes (line, "ping\n", 5);
  }
  test_util_close_ok (stream);
  g_assert_true (g_io_stream_is_closed (G_IO_STREAM (near)));
  test_util_assert_read_all (peer, "");
}

/* A GIOStream: one position for both directions. */
static void
test_io_stream (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = test_util_make_tmp_dir ("io-gio-stream-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "file", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileIOStream) io = g_file_create_readwrite (file, G_FILE_CREATE_NONE, NULL, &error);
  g_autoptr(IoStream) stream = NULL;

  g_assert_no_error (error);
  stream = io_stream_new_for_io_stream (G_IO_STREAM (io));
  g_assert_true (io_stream_readable (stream, &error));
  g_assert_true (io_stream_writable (stream, &error));
  g_assert_true (io_stream_seekable (stream, &error));
  test_util_write_text (stream, "hello");
  test_util_seek_to (stream, 1, IO_WHENCE_SET, 1);
  test_util_assert_read_all (stream, "ello");
  g_assert_cmpint (io_stream_truncate (stream, 2, &error), ==, 2);
  test_util_close_ok (stream);
  g_assert_true (g_io_stream_is_closed (G_IO_STREAM (io)));
  {
    g_autofree char *content = test_util_read_file (path, NULL);

    g_assert_cmpstr (content, ==, "he");
  }
  test_util_remove_tree (dir);
}

/* io_stream_new_for_file(): a FileStream for a local file. */
static void
test_file_native (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = test_util_make_tmp_dir ("io-gio-stream-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "file", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(IoStream) stream = io_stream_new_for_file (file, "xb", NULL, &error);

  g_assert_no_error (error);
  g_assert_true (IO_IS_FILE_STREAM (stream));
  test_util_write_text (stream, "local");
  test_util_close_ok (stream);
  g_clear_object (&stream);
  stream = io_stream_new_for_file (file, "x", NULL, &error);
  g_assert_null (stream);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);
  stream = io_stream_new_for_file (file, NULL, NULL, &error);
  test_util_assert_read_all (stream, "local");
  test_util_remove_tree (dir);
}

/* io_stream_new_for_file(): GIO's own streams for a resource. */
static void
test_file_resource (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_file_new_for_uri (RESOURCE_LINES);
  g_autoptr(GFile) missing = g_file_new_for_uri ("resource:///org/libstream/tests/none");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(IoStream) stream = io_stream_new_for_file (file, "rb", NULL, &error);
  g_autoptr(GBytes) line = NULL;
  g_autoptr(IoStream) other = NULL;
  const char *bad_modes[] = { "", "rw", "r++", "rt", "bb", "q", "r b" };

  g_assert_no_error (error);
  g_assert_true (IO_IS_GIO_STREAM (stream));
  g_assert_false (io_stream_writable (stream, &error));
  line = io_stream_readline (stream, -1, &error);
  test_util_assert_bytes (line, "first line\n", 11);
  test_util_seek_to (stream, 0, IO_WHENCE_SET, 0);
  test_util_assert_read_all (stream, LINES);

  other = io_stream_new_for_file (missing, "r", NULL, &error);
  g_assert_null (other);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  other = io_stream_new_for_file (file, "w", NULL, &error);
  g_assert_null (other);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  other = io_stream_new_for_file (file, "a+", NULL, &error);
  g_assert_null (other);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  for (gsize i = 0; i < G_N_ELEMENTS (bad_modes); i++)
    {
      other = io_stream_new_for_file (file, bad_modes[i], NULL, &error);
      g_assert_null (other);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_clear_error (&error);
    }
  g_cancellable_cancel (cancellable);
  other = io_stream_new_for_file (file, "r", cancellable, &error);
  g_assert_null (other);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* GIO -> libstream -> GIO: a resource read by GDataInputStream. */
static void
test_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_file_new_for_uri (RESOURCE_LINES);
  g_autoptr(IoStream) stream = io_stream_new_for_file (file, "r", NULL, &error);
  g_autoptr(GInputStream) input = io_stream_as_input_stream (stream);
  g_autoptr(GDataInputStream) data = g_data_input_stream_new (input);
  g_autofree char *first = g_data_input_stream_read_line (data, NULL, NULL, &error);
  g_autofree char *second = g_data_input_stream_read_line (data, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (first, ==, "first line");
  g_assert_cmpstr (second, ==, "second line");
  g_assert_true (g_input_stream_close (G_INPUT_STREAM (data), NULL, &error));
  g_assert_true (io_stream_is_closed (stream));
}

/* Made from properties: nothing to read or write, and it still closes;
 * an io-stream given with an input-stream wins, without a leak. */
static void
test_properties (void)
{
  g_autoptr(GError) error = NULL;
  IoStream *empty = g_object_new (IO_TYPE_GIO_STREAM, NULL);
  g_autoptr(GInputStream) input = memory_input ("in");
  g_autoptr(GInputStream) other = memory_input ("other");
  g_autoptr(GOutputStream) output = g_memory_output_stream_new_resizable ();
  g_autoptr(GIOStream) io = g_simple_io_stream_new (input, output);
  IoStream *both;
  GInputStream *got = NULL;

  g_assert_false (io_stream_readable (empty, &error));
  g_assert_false (io_stream_writable (empty, &error));
  g_assert_false (io_stream_seekable (empty, &error));
  test_util_close_ok (empty);
  g_assert_finalize_object (empty);

  both = g_object_new (IO_TYPE_GIO_STREAM, "input-stream", other, "io-stream", io, NULL);
  g_object_get (both, "input-stream", &got, NULL);
  g_assert_true (got == input);
  g_object_unref (got);
  test_util_assert_read_all (both, "in");
  g_assert_finalize_object (both);
  g_assert_true (g_io_stream_is_closed (io));
}

static void
test_preconditions_subprocess (void)
{
  G_GNUC_UNUSED IoStream *stream = io_stream_new_for_input_stream (NULL);
}

static void
test_preconditions (void)
{
  g_test_trap_subprocess ("/gio-stream/preconditions/subprocess", 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*G_IS_INPUT_STREAM*");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gio-stream/input", test_input_stream);
  g_test_add_func ("/gio-stream/buffered-peek", test_buffered_peek);
  g_test_add_func ("/gio-stream/output", test_output_stream);
  g_test_add_func ("/gio-stream/close-base", test_close_base);
  g_test_add_func ("/gio-stream/unix-streams", test_unix_streams);
  g_test_add_func ("/gio-stream/io-stream", test_io_stream);
  g_test_add_func ("/gio-stream/socket-connection", test_socket_connection);
  g_test_add_func ("/gio-stream/file/native", test_file_native);
  g_test_add_func ("/gio-stream/file/resource", test_file_resource);
  g_test_add_func ("/gio-stream/round-trip", test_round_trip);
  g_test_add_func ("/gio-stream/properties", test_properties);
  g_test_add_func ("/gio-stream/preconditions", test_preconditions);
  g_test_add_func ("/gio-stream/preconditions/subprocess", test_preconditions_subprocess);

  return g_test_run ();
}
