/* test-buffered-open.c: io_open() and io_open_fd(), Python's open() for
 * the binary modes
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libstream.h"
#include "test-util.h"

static char *tmp_dir;

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

static gsize
buffer_size_of (IoStream *stream)
{
  guint64 size = 0;

  g_object_get (stream, "buffer-size", &size, NULL);
  return (gsize) size;
}

/* Each mode gives CPython's class. */
static void
test_modes_give_classes (void)
{
  g_autofree char *path = tmp_path ("classes");
  struct {
    const char *mode;
    GType type;
  } cases[] = {
    { "wb", IO_TYPE_BUFFERED_WRITER },
    { "rb", IO_TYPE_BUFFERED_READER },
    { "br", IO_TYPE_BUFFERED_READER },
    { "ab", IO_TYPE_BUFFERED_WRITER },
    { "r+b", IO_TYPE_BUFFERED_RANDOM },
    { "wb+", IO_TYPE_BUFFERED_RANDOM },
    { "ab+", IO_TYPE_BUFFERED_RANDOM },
  };
  gsize i;

  test_util_write_file (path, "x", -1);
  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (IoStream) stream = io_open (path, cases[i].mode, -1, &error);
      IoStream *raw;

      g_assert_no_error (error);
      g_assert_cmpstr (G_OBJECT_TYPE_NAME (stream), ==, g_type_name (cases[i].type));
      raw = io_filter_stream_get_base_stream (IO_FILTER_STREAM (stream));
      g_assert_true (IO_IS_FILE_STREAM (raw));
      test_util_close_ok (stream);
      g_assert_true (io_stream_is_closed (raw));
    }
}

static void
test_read_write_round_trip (void)
{
  g_autofree char *path = tmp_path ("round-trip");
  g_autoptr (IoStream) writer = NULL;
  g_autoptr (IoStream) reader = NULL;
  g_autoptr (IoStream) appender = NULL;
  g_autoptr (GBytes) line = NULL;
  g_autofree char *content = NULL;

  writer = io_open (path, "wb", -1, NULL);
  test_util_write_text (writer, "first\n");
  test_util_close_ok (writer);
  appender = io_open (path, "ab", 64, NULL);
  test_util_write_text (appender, "second\n");
  test_util_close_ok (appender);
  content = test_util_read_file (path, NULL);
  g_assert_cmpstr (content, ==, "first\nsecond\n");

  reader = io_open (path, NULL, -1, NULL);
  line = io_stream_readline (reader, -1, NULL);
  test_util_assert_bytes (line, "first\n", 6);
  test_util_assert_read (reader, -1, "second\n");
}

/* truncate() without a size in append mode truncates where the pending
 * bytes end once written out (at the end of the file), as CPython's
 * BufferedWriter does, not at the position before they were appended. */
static void
test_append_truncate_at_end (void)
{
  g_autofree char *path = tmp_path ("append-truncate");
  g_autoptr (IoStream) appender = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *content = NULL;

  test_util_write_file (path, "0123456789", 10);
  appender = io_open (path, "ab", 64, &error);
  g_assert_no_error (error);
  g_assert_cmpint (io_stream_seek (appender, 0, IO_WHENCE_SET, &error), ==, 0);
  test_util_write_text (appender, "abc");
  g_assert_cmpint (io_stream_tell (appender, &error), ==, 3);
  g_assert_cmpint (io_stream_truncate (appender, -1, &error), ==, 13);
  g_assert_no_error (error);
  g_assert_cmpint (io_stream_tell (appender, &error), ==, 13);
  test_util_close_ok (appender);
  content = test_util_read_file (path, NULL);
  g_assert_cmpstr (content, ==, "0123456789abc");
}

/* buffering: 0 gives the raw file, -1 the block size, n a buffer of n. */
static void
test_buffering (void)
{
  g_autofree char *path = tmp_path ("buffering");
  g_autoptr (IoStream) raw = NULL;
  g_autoptr (IoStream) sized = NULL;
  g_autoptr (IoStream) blocks = NULL;
  g_autoptr (GError) error = NULL;
  struct stat st;

  test_util_write_file (path, "data", -1);
  raw = io_open (path, "rb", 0, &error);
  g_assert_no_error (error);
  g_assert_true (IO_IS_FILE_STREAM (raw));

  sized = io_open (path, "rb", 100, &error);
  g_assert_cmpuint (buffer_size_of (sized), ==, 100);

  g_assert_cmpint (stat (path, &st), ==, 0);
  blocks = io_open (path, "rb", -1, &error);
  g_assert_cmpuint (buffer_size_of (blocks), ==,
                    st.st_blksize > 1 ? (gsize) st.st_blksize : IO_DEFAULT_BUFFER_SIZE);
  test_util_assert_read (blocks, -1, "data");
}

/* open()'s errors, in open()'s order, before any file is touched. */
static void
test_errors (void)
{
  g_autofree char *path = tmp_path ("errors");
  g_autofree char *missing = tmp_path ("missing");
  struct {
    const char *mode;
    int buffering;
    int code;
    const char *message;
  } cases[] = {
    { "rq", -1, G_IO_ERROR_INVALID_ARGUMENT, "invalid mode: 'rq'" },
    { "rbb", -1, G_IO_ERROR_INVALID_ARGUMENT, "invalid mode: 'rbb'" },
    { "rtb", -1, G_IO_ERROR_INVALID_ARGUMENT, "can't have text and binary mode at once" },
    { "rwb", -1, G_IO_ERROR_INVALID_ARGUMENT,
      "must have exactly one of create/read/write/append mode" },
    { "b", -1, G_IO_ERROR_INVALID_ARGUMENT,
      "must have exactly one of create/read/write/append mode" },
    { "r", -1, G_IO_ERROR_NOT_SUPPORTED,
      "text mode 'r': io_open() opens binary modes, io_open_text() text ones" },
    { "wt", -1, G_IO_ERROR_NOT_SUPPORTED,
      "text mode 'wt': io_open() opens binary modes, io_open_text() text ones" },
    { "rb", 1, G_IO_ERROR_INVALID_ARGUMENT,
      "line buffering (buffering=1) isn't supported in binary mode" },
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (IoStream) exclusive = NULL;
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_null (io_open (path, cases[i].mode, cases[i].buffering, &error));
      g_assert_error (error, G_IO_ERROR, cases[i].code);
      g_assert_cmpstr (error->message, ==, cases[i].message);
      g_clear_error (&error);
      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
    }

  g_assert_null (io_open (missing, "rb", -1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  test_util_write_file (path, "", 0);
  g_assert_null (io_open (path, "xb", -1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);
  exclusive = io_open (missing, "xb", -1, &error);
  g_assert_true (IO_IS_BUFFERED_WRITER (exclusive));
}

static void
test_open_fd (void)
{
  g_autofree char *path = tmp_path ("fd");
  g_autoptr (IoStream) stream = NULL;
  g_autoptr (IoStream) kept = NULL;
  g_autoptr (GError) error = NULL;
  int fd;

  test_util_write_file (path, "by descriptor", -1);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);

  kept = io_open_fd (fd, "rb", 4, FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (IO_IS_BUFFERED_READER (kept));
  test_util_assert_read (kept, 2, "by");
  test_util_close_ok (kept);
  g_assert_true (test_util_is_open (fd));
  /* The buffer read 4 bytes ahead, as CPython's would. */
  g_assert_cmpint (lseek (fd, 0, SEEK_CUR), ==, 4);

  g_assert_null (io_open_fd (fd, "r", -1, TRUE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_true (test_util_is_open (fd));

  stream = io_open_fd (fd, NULL, -1, TRUE, NULL);
  test_util_assert_read (stream, -1, "escriptor");
  test_util_close_ok (stream);
  g_assert_false (test_util_is_open (fd));
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = test_util_make_tmp_dir ("test-buffered-open-XXXXXX");

  g_test_add_func ("/open/modes-give-classes", test_modes_give_classes);
  g_test_add_func ("/open/read-write-round-trip", test_read_write_round_trip);
  g_test_add_func ("/open/buffering", test_buffering);
  g_test_add_func ("/open/append-truncate-at-end", test_append_truncate_at_end);
  g_test_add_func ("/open/errors", test_errors);
  g_test_add_func ("/open/fd", test_open_fd);

  status = g_test_run ();
  test_util_remove_tree (tmp_dir);
  g_free (tmp_dir);
  return status;
}
