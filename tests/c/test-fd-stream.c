/* test-fd-stream.c: IoFdStream, the base class of the file and pipe streams
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <fcntl.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "test-util.h"

/* A subclass from outside the library: it wraps the descriptor it is
 * given, as the base class does by default. */
#define TEST_TYPE_WRAPPER (test_wrapper_get_type ())
TEST_UTIL_DEFINE_EMPTY_SUBCLASS (TestWrapper, test_wrapper, TEST, WRAPPER,
                                 IoFdStream, IO_TYPE_FD_STREAM)

/* One stream of each descriptor class, on one pipe and one file. */
typedef struct
{
  char *dir;
  char *path;
  guint n_fds;
  IoStream *file;
  IoStream *reader;
  IoStream *writer;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->n_fds = test_util_count_fds ();
  fixture->dir = test_util_make_tmp_dir ("test-fd-stream-XXXXXX");
  fixture->path = g_build_filename (fixture->dir, "data.bin", NULL);
  fixture->file = io_file_stream_new (fixture->path, "a+", &error);
  g_assert_no_error (error);
  g_assert_true (io_pipe_stream_new_pair (&fixture->reader, &fixture->writer, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_assert_finalize_object (fixture->file);
  g_assert_finalize_object (fixture->reader);
  g_assert_finalize_object (fixture->writer);
  g_assert_cmpint (g_unlink (fixture->path), ==, 0);
  g_assert_cmpint (g_rmdir (fixture->dir), ==, 0);
  g_free (fixture->path);
  g_free (fixture->dir);
  g_assert_cmpuint (test_util_count_fds (), ==, fixture->n_fds);
}

static void
test_type (void)
{
  GTypeQuery query;

  g_assert_true (G_TYPE_IS_ABSTRACT (IO_TYPE_FD_STREAM));
  g_assert_true (G_TYPE_IS_DERIVABLE (IO_TYPE_FD_STREAM));
  g_assert_true (g_type_is_a (IO_TYPE_FD_STREAM, IO_TYPE_STREAM));
  g_assert_true (g_type_is_a (IO_TYPE_FD_STREAM, G_TYPE_INITABLE));
  g_assert_true (g_type_parent (IO_TYPE_FILE_STREAM) == IO_TYPE_FD_STREAM);
  g_assert_true (g_type_parent (IO_TYPE_PIPE_STREAM) == IO_TYPE_FD_STREAM);

  /* The class struct keeps room to grow. */
  g_type_query (IO_TYPE_FD_STREAM, &query);
  g_assert_cmpuint (query.class_size, ==, sizeof (IoFdStreamClass));
  g_assert_cmpuint (query.class_size, ==, sizeof (IoStreamClass) + 8 * sizeof (gpointer));
}

/* The properties belong to the base class; the subclasses add theirs. */
static void
test_properties_owned (void)
{
  static const char *const shared[] = { "fd", "mode", "closefd" };
  g_autoptr(GTypeClass) file_class = g_type_class_ref (IO_TYPE_FILE_STREAM);
  g_autoptr(GTypeClass) pipe_class = g_type_class_ref (IO_TYPE_PIPE_STREAM);
  GParamSpec *pspec;

  for (guint i = 0; i < G_N_ELEMENTS (shared); i++)
    {
      pspec = g_object_class_find_property (G_OBJECT_CLASS (file_class), shared[i]);
      g_assert_nonnull (pspec);
      g_assert_true (pspec->owner_type == IO_TYPE_FD_STREAM);
      g_assert_true (pspec == g_object_class_find_property (G_OBJECT_CLASS (pipe_class),
                                                            shared[i]));
    }
  pspec = g_object_class_find_property (G_OBJECT_CLASS (file_class), "name");
  g_assert_true (pspec->owner_type == IO_TYPE_FILE_STREAM);
  pspec = g_object_class_find_property (G_OBJECT_CLASS (pipe_class), "nonblocking");
  g_assert_true (pspec->owner_type == IO_TYPE_PIPE_STREAM);
}

static void
assert_fd_stream (IoStream   *stream,
                  const char *mode,
                  gboolean    closefd)
{
  IoFdStream *fd_stream;
  g_autofree char *mode_prop = NULL;
  gboolean closefd_prop;
  int fd_prop;

  g_assert_true (IO_IS_FD_STREAM (stream));
  fd_stream = IO_FD_STREAM (stream);

  g_object_get (fd_stream, "fd", &fd_prop, "mode", &mode_prop, "closefd", &closefd_prop, NULL);
  g_assert_cmpint (fd_prop, ==, io_stream_fileno (stream, NULL));
  g_assert_cmpint (io_fd_stream_get_fd (fd_stream), ==, fd_prop);
  g_assert_cmpstr (mode_prop, ==, mode);
  g_assert_cmpstr (io_fd_stream_get_mode (fd_stream), ==, mode);
  g_assert_cmpint (closefd_prop, ==, closefd);
  g_assert_cmpint (io_fd_stream_get_closefd (fd_stream), ==, closefd);
}

static void
test_read_through_base (Fixture       *fixture,
                        gconstpointer  data)
{
  assert_fd_stream (fixture->file, "ab+", TRUE);
  assert_fd_stream (fixture->reader, "rb", TRUE);
  assert_fd_stream (fixture->writer, "wb", TRUE);

  /* The subclasses' own getters give the same answers. */
  g_assert_cmpstr (io_file_stream_get_mode (IO_FILE_STREAM (fixture->file)), ==, "ab+");
  g_assert_true (io_file_stream_get_closefd (IO_FILE_STREAM (fixture->file)));
  g_assert_cmpstr (io_pipe_stream_get_mode (IO_PIPE_STREAM (fixture->writer)), ==, "wb");
  g_assert_true (io_pipe_stream_get_closefd (IO_PIPE_STREAM (fixture->writer)));

  /* Closed: no descriptor, the same mode. */
  test_util_close_ok (fixture->file);
  test_util_close_ok (fixture->reader);
  g_assert_cmpint (io_fd_stream_get_fd (IO_FD_STREAM (fixture->file)), ==, -1);
  g_assert_cmpint (io_fd_stream_get_fd (IO_FD_STREAM (fixture->reader)), ==, -1);
  g_assert_cmpstr (io_fd_stream_get_mode (IO_FD_STREAM (fixture->file)), ==, "ab+");
  g_assert_cmpstr (io_fd_stream_get_mode (IO_FD_STREAM (fixture->reader)), ==, "rb");
}

/* A descriptor wrapped without closefd, through either subclass. */
static void
test_closefd (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  int fd = io_stream_fileno (fixture->writer, NULL);
  GType types[] = { IO_TYPE_FILE_STREAM, IO_TYPE_PIPE_STREAM };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      IoStream *stream = g_initable_new (types[i], NULL, &error,
                                         "fd", fd, "mode", "w", "closefd", FALSE, NULL);

      g_assert_no_error (error);
      assert_fd_stream (stream, "wb", FALSE);
      test_util_close_ok (stream);
      g_assert_true (test_util_is_open (fd));
      g_assert_finalize_object (stream);
    }
}

/* Each subclass accepts its own main modes, with FileIO's messages. */
static void
test_mode_errors (void)
{
  g_autoptr(GError) error = NULL;
  IoStream *stream;

  stream = io_pipe_stream_new_for_fd (STDERR_FILENO, "a", FALSE, &error);
  g_assert_null (stream);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "invalid mode: a");
  g_clear_error (&error);

  stream = io_pipe_stream_new_for_fd (STDERR_FILENO, "rw", FALSE, &error);
  g_assert_null (stream);
  g_assert_cmpstr (error->message, ==,
                   "Must have exactly one of read/write mode and at most one plus");
  g_clear_error (&error);

  stream = io_file_stream_new_for_fd (STDERR_FILENO, "b+", FALSE, &error);
  g_assert_null (stream);
  g_assert_cmpstr (error->message, ==,
                   "Must have exactly one of create/read/write/append mode and at most one plus");
  g_clear_error (&error);

  stream = io_file_stream_new_for_fd (-1, "r", FALSE, &error);
  g_assert_null (stream);
  g_assert_cmpstr (error->message, ==, "negative file descriptor");
  g_clear_error (&error);

  stream = io_pipe_stream_new_for_fd (-1, "r", FALSE, &error);
  g_assert_null (stream);
  g_assert_cmpstr (error->message, ==, "negative file descriptor");
  g_assert_true (test_util_is_open (STDERR_FILENO));
}

static void
test_subclass (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  int fd = io_stream_fileno (fixture->writer, NULL);
  IoStream *stream;

  stream = g_initable_new (TEST_TYPE_WRAPPER, NULL, &error, "fd", fd, "closefd", FALSE, NULL);
  g_assert_no_error (error);
  assert_fd_stream (stream, "wb", FALSE);
  g_assert_false (io_stream_seekable (stream, NULL));
  test_util_write_text (stream, "hi");
  test_util_close_ok (stream);
  g_assert_finalize_object (stream);
  test_util_close_ok (fixture->writer);
  test_util_assert_read_all (fixture->reader, "hi");

  fd = io_stream_fileno (fixture->reader, NULL);
  stream = g_initable_new (TEST_TYPE_WRAPPER, NULL, &error, "fd", fd, "mode", "x", NULL);
  g_assert_null (stream);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "invalid mode: x");
  g_clear_error (&error);

  stream = g_initable_new (TEST_TYPE_WRAPPER, NULL, &error, NULL);
  g_assert_null (stream);
  g_assert_cmpstr (error->message, ==, "negative file descriptor");
}

/* A failed open answers every later GInitable.init() the same way. */
static void
test_init_error_kept (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) again = NULL;
  GInitable *stream = g_object_new (IO_TYPE_PIPE_STREAM, "fd", -1, NULL);

  g_assert_false (g_initable_init (stream, NULL, &error));
  g_assert_false (g_initable_init (stream, NULL, &again));
  g_assert_error (again, error->domain, error->code);
  g_assert_cmpstr (again->message, ==, error->message);
  g_assert_cmpint (io_fd_stream_get_fd (IO_FD_STREAM (stream)), ==, -1);
  g_assert_finalize_object (stream);
}

static const TestUtilCase cases[] = {
  TEST_UTIL_CASE ("read-through-base", test_read_through_base),
  TEST_UTIL_CASE ("closefd", test_closefd),
  TEST_UTIL_CASE ("subclass", test_subclass),
};

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Io/FdStream/type", test_type);
  g_test_add_func ("/Io/FdStream/properties-owned", test_properties_owned);
  test_util_add_cases ("/Io/FdStream/", sizeof (Fixture), (GTestFixtureFunc) fixture_setup,
                       (GTestFixtureFunc) fixture_teardown, cases, G_N_ELEMENTS (cases));
  g_test_add_func ("/Io/FdStream/mode-errors", test_mode_errors);
  g_test_add_func ("/Io/FdStream/init-error-kept", test_init_error_kept);

  return g_test_run ();
}
