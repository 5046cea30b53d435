/* test-error.c: the errno and filenames behind libstream's OS errors
 *
 * io_error_get_errno() and io_error_get_filename() answer for the errors
 * libstream set from a failed system call, for copies of them too, and
 * give 0 and NULL for every other error.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <errno.h>
#include <gio/gio.h>
#include <unistd.h>

#include "libstream.h"

static void
test_failed_open (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) copy = NULL;
  g_autofree char *filename = NULL;
  IoStream *stream;

  stream = io_file_stream_new ("/nonexistent/libstream-test-error", "rb", &error);
  g_assert_null (stream);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_cmpint (io_error_get_errno (error), ==, ENOENT);
  filename = io_error_get_filename (error);
  g_assert_cmpstr (filename, ==, "/nonexistent/libstream-test-error");
  g_assert_null (io_error_get_filename2 (error));

  /* Bindings copy the error into their exception and free the original. */
  copy = g_error_copy (error);
  g_clear_error (&error);
  g_assert_cmpint (io_error_get_errno (copy), ==, ENOENT);
}

static void
test_failed_read_on_a_bad_fd (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (IoStream) stream = NULL;
  guint8 buffer[4];
  int fds[2];

  g_assert_no_errno (pipe (fds));
  stream = io_file_stream_new_for_fd (fds[0], "rb", FALSE, &error);
  g_assert_no_error (error);
  /* The descriptor goes away behind the stream's back. */
  close (fds[0]);
  close (fds[1]);

  g_assert_cmpint (io_stream_read (stream, buffer, sizeof buffer, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpint (io_error_get_errno (error), ==, EBADF);
  g_assert_null (io_error_get_filename (error));
}

static void
test_two_filenames (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *filename = NULL;
  g_autofree char *filename2 = NULL;

  g_assert_false (io_error_set_from_errno (EXDEV, "a", "it's b", &error));
  g_assert_error (error, G_IO_ERROR, (int) g_io_error_from_errno (EXDEV));
  g_assert_cmpstr (error->message, ==,
                   "[Errno 18] Invalid cross-device link: 'a' -> \"it's b\"");
  g_assert_cmpint (io_error_get_errno (error), ==, EXDEV);
  filename = io_error_get_filename (error);
  filename2 = io_error_get_filename2 (error);
  g_assert_cmpstr (filename, ==, "a");
  g_assert_cmpstr (filename2, ==, "it's b");
}

static void
test_errors_without_errno (void)
{
  g_autoptr (GError) closed = NULL;
  g_autoptr (GError) foreign = NULL;
  g_autoptr (IoStream) stream = io_memory_stream_new (NULL, 0);
  guint8 buffer[4];

  /* Not an OS error. */
  io_stream_close (stream, NULL);
  g_assert_cmpint (io_stream_read (stream, buffer, sizeof buffer, &closed), ==, -1);
  g_assert_error (closed, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_assert_cmpint (io_error_get_errno (closed), ==, 0);
  g_assert_null (io_error_get_filename (closed));

  /* Not ours, though it reads like ours. */
  foreign = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                 "[Errno 2] No such file or directory: 'nowhere'");
  g_assert_cmpint (io_error_get_errno (foreign), ==, 0);
  g_assert_null (io_error_get_filename (foreign));
  g_assert_cmpint (io_error_get_errno (NULL), ==, 0);
}

static void
test_the_table_is_bounded (void)
{
  g_autoptr (GError) first = NULL;
  g_autoptr (GError) last = NULL;
  int i;

  io_error_set_from_errno (ENOENT, "libstream-first", NULL, &first);
  /* 256 distinct errors later, the first is forgotten... */
  for (i = 0; i < 256; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *name = g_strdup_printf ("libstream-%d", i);

      io_error_set_from_errno (ENOENT, name, NULL, &error);
    }
  g_assert_cmpint (io_error_get_errno (first), ==, 0);
  /* ...and the same message again is recorded once. */
  for (i = 0; i < 300; i++)
    {
      g_clear_error (&last);
      io_error_set_from_errno (EACCES, "libstream-again", NULL, &last);
    }
  g_assert_cmpint (io_error_get_errno (last), ==, EACCES);
  g_clear_error (&last);
  io_error_set_from_errno (ENOENT, "libstream-255", NULL, &last);
  g_assert_cmpint (io_error_get_errno (last), ==, ENOENT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Io/Error/failed-open", test_failed_open);
  g_test_add_func ("/Io/Error/failed-read-on-a-bad-fd", test_failed_read_on_a_bad_fd);
  g_test_add_func ("/Io/Error/two-filenames", test_two_filenames);
  g_test_add_func ("/Io/Error/without-errno", test_errors_without_errno);
  g_test_add_func ("/Io/Error/bounded", test_the_table_is_bounded);

  return g_test_run ();
}
