/* test-file-stream.c: IoFileStream against CPython 3.11's io.FileIO
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* posix_openpt() and friends */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test-util.h"

/* Every test runs in a fresh directory and must leave as many descriptors
 * open as it found. */
typedef struct
{
  char *dir;
  guint n_fds;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->dir = test_util_make_tmp_dir ("test-file-stream-XXXXXX");
  fixture->n_fds = test_util_count_fds ();
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_assert_cmpuint (test_util_count_fds (), ==, fixture->n_fds);
  test_util_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static char *
path_in (Fixture    *fixture,
         const char *name)
{
  return g_build_filename (fixture->dir, name, NULL);
}

static IoStream *
open_ok (const char *path,
         const char *mode)
{
  g_autoptr(GError) error = NULL;
  IoStream *stream = io_file_stream_new (path, mode, &error);

  g_assert_no_error (error);
  g_assert_true (IO_IS_FILE_STREAM (stream));
  return stream;
}

static void
assert_open_fails (const char *path,
                   const char *mode,
                   int         code,
                   const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IoStream) stream = io_file_stream_new (path, mode, &error);

  g_assert_null (stream);
  g_assert_error (error, G_IO_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
}

typedef struct
{
  const char *mode;
  const char *normalised;
  gboolean readable;
  gboolean writable;
  gboolean creates;
  gboolean truncates;
  gboolean appends;
} ModeCase;

static void
test_modes (Fixture       *fixture,
            gconstpointer  data)
{
  static const ModeCase cases[] = {
    { "r",   "rb",  TRUE,  FALSE, FALSE, FALSE, FALSE },
    { "rb",  "rb",  TRUE,  FALSE, FALSE, FALSE, FALSE },
    { "br",  "rb",  TRUE,  FALSE, FALSE, FALSE, FALSE },
    { "r+",  "rb+", TRUE,  TRUE,  FALSE, FALSE, FALSE },
    { "+rb", "rb+", TRUE,  TRUE,  FALSE, FALSE, FALSE },
    { "w",   "wb",  FALSE, TRUE,  TRUE,  TRUE,  FALSE },
    { "wbb", "wb",  FALSE, TRUE,  TRUE,  TRUE,  FALSE },
    { "w+",  "rb+", TRUE,  TRUE,  TRUE,  TRUE,  FALSE },
    { "a",   "ab",  FALSE, TRUE,  TRUE,  FALSE, TRUE  },
    { "ab+", "ab+", TRUE,  TRUE,  TRUE,  FALSE, TRUE  },
    { "x",   "xb",  FALSE, TRUE,  TRUE,  FALSE, FALSE },
    { "x+b", "xb+", TRUE,  TRUE,  TRUE,  FALSE, FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const ModeCase *c = &cases[i];
      g_autofree char *existing = path_in (fixture, "existing");
      g_autofree char *missing = path_in (fixture, "missing");
      g_autoptr(GError) error = NULL;
      g_autoptr(IoStream) stream = NULL;
      g_autofree char *content = NULL;
      gsize len;

      g_test_message ("mode %s", c->mode);
      test_util_write_file (existing, "0123456789", -1);
      g_unlink (missing);

      stream = io_file_stream_new (c->creates && !c->truncates && !c->appends ? missing : existing,
                                   c->mode, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (io_file_stream_get_mode (IO_FILE_STREAM (stream)), ==, c->normalised);
      g_assert_true (io_file_stream_get_closefd (IO_FILE_STREAM (stream)));
      g_assert_cmpint (io_stream_readable (stream, NULL), ==, c->readable);
      g_assert_cmpint (io_stream_writable (stream, NULL), ==, c->writable);
      g_assert_true (io_stream_seekable (stream, NULL));
      g_assert_true (fcntl (io_stream_fileno (stream, NULL), F_GETFD) & FD_CLOEXEC);

      /* Append mode starts at the end (FileIO seeks there at open). */
      g_assert_cmpint (io_stream_tell (stream, NULL), ==, c->appends ? 10 : 0);

      if (c->writable)
        {
          test_util_seek_to (stream, 0, IO_WHENCE_SET, 0);
          test_util_write_text (stream, "ab");
        }
      test_util_close_ok (stream);

      if (c->creates && !c->truncates && !c->appends)
        {
          content = test_util_read_file (missing, &len);
          g_assert_cmpstr (content, ==, "ab");
        }
      else
        {
          content = test_util_read_file (existing, &len);
          if (c->truncates)
            g_assert_cmpstr (content, ==, "ab");
          else if (c->appends)
            g_assert_cmpstr (content, ==, "0123456789ab");
          else if (c->writable)
            g_assert_cmpstr (content, ==, "ab23456789");
          else
            g_assert_cmpstr (content, ==, "0123456789");
        }
    }
}

static void
test_default_mode (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = path_in (fixture, "f");
  g_autoptr(IoStream) stream = NULL;

  test_util_write_file (path, "abc", -1);
  stream = open_ok (path, NULL);
  g_assert_cmpstr (io_file_stream_get_mode (IO_FILE_STREAM (stream)), ==, "rb");
  g_assert_cmpstr (io_file_stream_get_name (IO_FILE_STREAM (stream)), ==, path);
  g_assert_false (io_stream_writable (stream, NULL));
  test_util_assert_read_all (stream, "abc");
}

static void
test_bad_modes (Fixture       *fixture,
                gconstpointer  data)
{
  static const char *const exactly_one[] = { "", "b", "+", "rw", "wa", "xr", "r++", "ra", "aw+", "bb" };
  static const char *const invalid[] = { "rt", "t", "z", "rU", "w+t", "r b" };
  g_autofree char *path = path_in (fixture, "f");

  test_util_write_file (path, "abc", -1);
  for (gsize i = 0; i < G_N_ELEMENTS (exactly_one); i++)
    assert_open_fails (path, exactly_one[i], G_IO_ERROR_INVALID_ARGUMENT,
                       "Must have exactly one of create/read/write/append mode and at most one plus");
  for (gsize i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autofree char *message = g_strdup_printf ("invalid mode: %s", invalid[i]);

      assert_open_fails (path, invalid[i], G_IO_ERROR_INVALID_ARGUMENT, message);
    }

  /* Nothing was created or truncated on the way. */
  assert_open_fails (path, "wt", G_IO_ERROR_INVALID_ARGUMENT, "invalid mode: wt");
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  {
    gsize len;
    g_autofree char *content = test_util_read_file (path, &len);

    g_assert_cmpstr (content, ==, "abc");
  }
}

static void
test_open_errors (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *missing = path_in (fixture, "missing");
  g_autofree char *existing = path_in (fixture, "existing");
  g_autofree char *below_file = path_in (fixture, "existing/child");
  g_autofree char *quoted = NULL;
  g_autofree char *message = NULL;

  test_util_write_file (existing, "abc", -1);

  quoted = g_strdup_printf ("'%s'", missing);
  message = test_util_os_error_message (ENOENT, quoted);
  assert_open_fails (missing, "r", G_IO_ERROR_NOT_FOUND, message);
  assert_open_fails (missing, "r+", G_IO_ERROR_NOT_FOUND, message);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  g_clear_pointer (&quoted, g_free);
  g_clear_pointer (&message, g_free);

  quoted = g_strdup_printf ("'%s'", existing);
  message = test_util_os_error_message (EEXIST, quoted);
  assert_open_fails (existing, "x", G_IO_ERROR_EXISTS, message);
  assert_open_fails (existing, "xb+", G_IO_ERROR_EXISTS, message);
  g_clear_pointer (&quoted, g_free);
  g_clear_pointer (&message, g_free);

  quoted = g_strdup_printf ("'%s'", below_file);
  message = test_util_os_error_message (ENOTDIR, quoted);
  assert_open_fails (below_file, "w", G_IO_ERROR_NOT_DIRECTORY, message);
  g_clear_pointer (&quoted, g_free);
  g_clear_pointer (&message, g_free);

  /* An empty path is just another missing file. */
  message = test_util_os_error_message (ENOENT, "''");
  assert_open_fails ("", "r", G_IO_ERROR_NOT_FOUND, message);
}

/* io.FileIO('/tmp') raises IsADirectoryError: for reading the open()
 * succeeds and the fstat() after it fails the stream; for writing open()
 * fails itself. */
static void
test_directory (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *quoted = g_strdup_printf ("'%s'", fixture->dir);
  g_autofree char *message = test_util_os_error_message (EISDIR, quoted);
  static const char *const modes[] = { "r", "rb", "w", "r+", "a" };

  for (gsize i = 0; i < G_N_ELEMENTS (modes); i++)
    assert_open_fails (fixture->dir, modes[i], G_IO_ERROR_IS_DIRECTORY, message);
}

/* repr() of the filename, as Python prints it. */
static void
test_error_filename_repr (Fixture       *fixture,
                          gconstpointer  data)
{
  static const struct {
    const char *name;
    const char *repr;
  } cases[] = {
    { "it's", "\"it's\"" },
    { "say \"hi\"", "'say \"hi\"'" },
    { "both '\"", "'both \\'\"'" },
    { "tab\there", "'tab\\there'" },
    { "back\\slash", "'back\\\\slash'" },
    { "bell\a", "'bell\\x07'" },
    { "caf\xc3\xa9", "'caf\xc3\xa9'" },
    { "nbsp\xc2\xa0", "'nbsp\\xa0'" },
    { "raw\xff", "'raw\\udcff'" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_build_filename (fixture->dir, cases[i].name, NULL);
      g_autofree char *dir_repr = g_strdup_printf ("'%s/", fixture->dir);
      g_autofree char *expected_repr = NULL;
      g_autofree char *message = NULL;

      /* The directory part is plain; the quotes follow the whole name. */
      if (cases[i].repr[0] == '"')
        expected_repr = g_strdup_printf ("\"%s/%s", fixture->dir, cases[i].repr + 1);
      else
        expected_repr = g_strdup_printf ("%s%s", dir_repr, cases[i].repr + 1);
      message = test_util_os_error_message (ENOENT, expected_repr);
      assert_open_fails (path, "r", G_IO_ERROR_NOT_FOUND, message);
    }
}

static void
test_creation_mode (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *path = path_in (fixture, "private");
  g_autofree char *path2 = path_in (fixture, "default");
  g_autoptr(GError) error = NULL;
  g_autoptr(IoStream) stream = NULL;
  g_autoptr(IoStream) stream2 = NULL;
  mode_t mask = umask (022);
  struct stat st;

  stream = io_file_stream_new_full (path, "x", 0640, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0640);

  stream2 = io_file_stream_new (path2, "w", &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path2, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0644);

  umask (mask);
}

/* The stream's own read vfunc is one read(2): over a pipe holding 3 bytes,
 * read1 of 10 returns the 3 without waiting for more. */
static void
test_read_one_syscall (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IoStream) stream = NULL;
  guint8 buffer[10];
  int fds[2];

  g_assert_cmpint (pipe (fds), ==, 0);
  g_assert_cmpint (write (fds[1], "abc", 3), ==, 3);

  stream = io_file_stream_new_for_fd (fds[0], "rb", TRUE, &error);
  g_assert_no_error (error);
  g_assert_false (io_stream_seekable (stream, NULL));
  g_assert_cmpint (io_stream_read1 (stream, buffer, sizeof buffer, &error), ==, 3);
  g_assert_no_error (error);
  g_assert_cmpmem (buffer, 3, "abc", 3);

  g_assert_cmpint (write (fds[1], "defg", 4), ==, 4);
  close (fds[1]);
  /* read() loops to fill the buffer, up to the end of the stream. */
  g_assert_cmpint (io_stream_read (stream, buffer, sizeof buffer, &error), ==, 4);
  g_assert_no_error (error);
  g_assert_cmpint (io_stream_read1 (stream, buffer, sizeof buffer, &error), ==, 0);
  g_assert_no_error (error);
}

static void
test_read_write (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *path = path_in (fixture, "f");
  g_autoptr(GError) error = NULL;
  g_autoptr(IoStream) stream = open_ok (path, "w+");
  g_autoptr(GBytes) bytes = NULL;
  guint8 buffer[16];

  test_util_write_text (stream, "hello world");
  g_assert_cmpint (io_stream_tell (stream, NULL), ==, 11);
  /* One position for reading and writing, as FileIO. */
  g_assert_cmpint (io_stream_read1 (stream, buffer, sizeof buffer, &error), ==, 0);
  g_assert_no_error (error);

  test_util_seek_to (stream, 6, IO_WHENCE_SET, 6);
  g_assert_cmpint (io_stream_read1 (stream, buffer, 3, &error), ==, 3);
  g_assert_cmpmem (buffer, 3, "wor", 3);
  test_util_seek_to (stream, -2, IO_WHENCE_CUR, 7);
  bytes = io_stream_read1_bytes (stream, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "orld", 4);
  test_util_seek_to (stream, -5, IO_WHENCE_END, 6);
  test_util_write_text (stream, "W");
  test_util_seek_to (stream, 0, IO_WHENCE_SET, 0);
  test_util_assert_read_all (stream, "hello World");

  /* Past the end: reading gives nothing, writing leaves a hole of zeros. */
  test_util_seek_to (stream, 20, IO_WHENCE_SET, 20);
  g_assert_cmpint (io_stream_read1 (stream, buffer, sizeof buffer, &error), ==, 0);
  g_assert_no_error (error);
  test_util_write_text (stream, "!");
  test_util_seek_to (stream, 0, IO_WHENCE_END, 21);
  test_util_seek_to (stream, 9, IO_WHENCE_SET, 9);
  g_clear_pointer (&bytes, g_bytes_unref);
  bytes = io_stream_readall (stream, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   "ld\0\0\0\0\0\0\0\0\0!", 12);
}

static void
test_seek_errors (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *path = path_in (fixture, "f");
  g_autofree char *einval = test_util_os_error_message (EINVAL, NULL);
  g_autoptr(IoStream) stream = NULL;

  test_util_write_file (path, "abc", -1);
  stream = open_ok (path, "r");
  test_util_seek_to (stream, 2, IO_WHENCE_SET, 2);

  /* FileIO: OSError [Errno 22] for a position before the start. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_cmpint (io_stream_seek (stream, -3, IO_WHENCE_CUR, &error), ==, -1);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    g_assert_cmpstr (error->message, ==, einval);
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_cmpint (io_stream_seek (stream, -100, IO_WHENCE_END, &error), ==, -1);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    g_assert_cmpstr (error->message, ==, einval);
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_cmpint (io_stream_seek (stream, -1, IO_WHENCE_SET, &error), ==, -1);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  }
  /* A failed seek leaves the position alone. */
  g_assert_cmpint (io_stream_tell (stream, NULL), ==, 2);
}

static void
test_truncate (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *path = path_in (fixture, "f");
  g_autoptr(GError) error = NULL;
  g_autoptr(IoStream) stream = NULL;
  g_autofree char *content = NULL;
  gsize len;

  test_util_write_file (path, "abc", -1);
  stream = open_ok (path, "r+");
  test_util_seek_to (stream, 1, IO_WHENCE_SET, 1);

  /* FileIO extends with zeros, unlike BytesIO, and keeps the position. */
  g_assert_cmpint (io_stream_truncate (stream, 10, &error), ==, 10);
  g_assert_no_error (error);
  g_assert_cmpint (io_stream_tell (stream, NULL), ==, 1);
  content = test_util_read_file (path, &len);
  g_assert_cmpmem (content, len, "abc\0\0\0\0\0\0\0", 10);
  g_clear_pointer (&content, g_free);

  /* -1 is the current position (Python's truncate() with no argument). */
  g_assert_cmpint (io_stream_truncate (stream, -1, &error), ==, 1);
  g_assert_no_error (error);
  content = test_util_read_file (path, &len);
  g_assert_cmpmem (content, len, "a", 1);

  test_util_seek_to (stream, 5, IO_WHENCE_SET, 5);
  g_assert_cmpint (io_stream_truncate (stream, 0, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpint (io_stream_tell (stream, NULL), ==, 5);
  test_util_close_ok (stream);
  g_clear_object (&stream);

  /* Not open for writing: UnsupportedOperation. */
  stream = open_ok (path, "r");
  g_assert_cmpint (io_stream_truncate (stream, 0, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
}

static void
test_append (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *path = path_in (fixture, "f");
  g_autoptr(IoStream) stream = NULL;
  g_autofree char *content = NULL;
  gsize len;

  test_util_write_file (path, "abc", -1);
  stream = open_ok (path, "a+");
  g_assert_cmpint (io_stream_tell (stream, NULL), ==, 3);
  test_util_seek_to (stream, 0, IO_WHENCE_SET, 0);
  /* O_APPEND: the write goes to the end whatever the position. */
  test_util_write_text (stream, "de");
  g_assert_cmpint (io_stream_tell (stream, NULL), ==, 5);
  test_util_seek_to (stream, 1, IO_WHENCE_SET, 1);
  test_util_assert_read_all (stream, "bcde");
  test_util_close_ok (stream);

  content = test_util_read_file (path, &len);
  g_assert_cmpstr (content, ==, "abcde");
}

static void
test_readall (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *path = path_in (fixture, "big");
  g_autoptr(GError) error = NULL;
  g_autoptr(IoStream) stream = NULL;
  g_autoptr(GBytes) all = NULL;
  g_autoptr(GBytes) rest = NULL;
  g_autoptr(GBytes) empty = NULL;
  const gsize size = 3 * 1024 * 1024 + 17;
  g_autofree guint8 *content = g_malloc (size);
  guint32 state = 12345;

  for (gsize i = 0; i < size; i++)
    {
      state = state * 1103515245 + 12345;
      content[i] = (guint8) (state >> 16);
    }
  test_util_write_file (path, (const char *) content, (gssize) size);

  stream = open_ok (path, "rb");
  all = io_stream_readall (stream, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (all, NULL), g_bytes_get_size (all), content, size);

  /* At the end: empty, not an error. */
  empty = io_stream_readall (stream, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (empty), ==, 0);

  test_util_seek_to (stream, (gint64) size - 1000, IO_WHENCE_SET, (gint64) size - 1000);
  rest = io_stream_read_bytes (stream, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (rest, NULL), g_bytes_get_size (rest), content + size - 1000, 1000);

  /* Past the end, the size gives no hint and nothing is read. */
  g_clear_pointer (&empty, g_bytes_unref);
  test_util_seek_to (stream, (gint64) size + 5000, IO_WHENCE_SET, (gint64) size + 5000);
  empty = io_stream_readall (stream, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (empty), ==, 0);
}

/* Offsets past 4 GiB, in a sparse file. */
static void
test_large_offsets (Fixture       *fixture,
                    gconstpointer  data)
{
  const gint64 five_gib = G_GINT64_CONSTANT (5) << 30;
  const gint64 six_gib = G_GINT64_CONSTANT (6) << 30;
  g_autofree char *path = path_in (fixture, "sparse");
  g_autoptr(GError) error = NULL;
  g_autoptr(IoStream) stream = open_ok (path, "w+");
  guint8 buffer[4];
  struct stat st;

  test_util_seek_to (stream, five_gib, IO_WHENCE_SET, five_gib);
  test_util_write_text (stream, "xyz");
  g_assert_cmpint (io_stream_tell (stream, &error), ==, five_gib + 3);
  g_assert_no_error (error);
  test_util_seek_to (stream, 0, IO_WHENCE_END, five_gib + 3);
  test_util_seek_to (stream, -3, IO_WHENCE_CUR, five_gib);
  g_assert_cmpint (io_stream_read (stream, buffer, sizeof buffer, &error), ==, 3);
  g_assert_no_error (error);
  g_assert_cmpmem (buffer, 3, "xyz", 3);

  g_assert_cmpint (io_stream_truncate (stream, six_gib, &error), ==, six_gib);
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, six_gib);
  test_util_seek_to (stream, six_gib - 2, IO_WHENCE_SET, six_gib - 2);
  g_assert_cmpint (io_stream_read (stream, buffer, sizeof buffer, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_cmpmem (buffer, 2, "\0\0", 2);

  g_assert_cmpint (io_stream_truncate (stream, five_gib + 1, &error), ==, five_gib + 1);
  g_assert_no_error (error);
  test_util_seek_to (stream, 0, IO_WHENCE_END, five_gib + 1);
}

static void
test_wrap_fd (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *path = path_in (fixture, "f");
  g_autoptr(GError) error = NULL;
  IoStream *stream;
  int fd;

  test_util_write_file (path, "abcdef", -1);

  /* closefd=FALSE: the descriptor survives close and finalize. */
  fd = open (path, O_RDWR | O_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  stream = io_file_stream_new_for_fd (fd, "r+", FALSE, &error);
  g_assert_no_error (error);
  g_assert_null (io_file_stream_get_name (IO_FILE_STREAM (stream)));
  g_assert_false (io_file_stream_get_closefd (IO_FILE_STREAM (stream)));
  g_assert_cmpint (io_stream_fileno (stream, NULL), ==, fd);
  test_util_seek_to (stream, 2, IO_WHENCE_SET, 2);
  test_util_assert_read_all (stream, "cdef");
  test_util_close_ok (stream);
  g_assert_true (test_util_is_open (fd));
  g_object_unref (stream);
  g_assert_true (test_util_is_open (fd));
  /* The stream used the descriptor's own offset. */
  g_assert_cmpint (lseek (fd, 0, SEEK_CUR), ==, 6);

  /* closefd=TRUE: finalizing an open stream closes the descriptor. */
  stream = io_file_stream_new_for_fd (fd, NULL, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (io_file_stream_get_mode (IO_FILE_STREAM (stream)), ==, "rb");
  g_object_unref (stream);
  g_assert_false (test_util_is_open (fd));
}

static void
test_wrap_fd_errors (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IoStream) stream = NULL;
  g_autofree char *ebadf = test_util_os_error_message (EBADF, NULL);
  g_autofree char *eisdir = NULL;
  g_autofree char *fd_text = NULL;
  int fd;

  stream = io_file_stream_new_for_fd (-1, "r", TRUE, &error);
  g_assert_null (stream);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "negative file descriptor");
  g_clear_error (&error);

  /* A descriptor that is not open. */
  fd = open ("/dev/null", O_RDONLY | O_CLOEXEC);
  close (fd);
  stream = io_file_stream_new_for_fd (fd, "r", TRUE, &error);
  g_assert_null (stream);
  g_assert_cmpstr (error->message, ==, ebadf);
  g_assert_true (g_str_has_prefix (error->message, "[Errno 9] "));
  g_clear_error (&error);

  /* A directory: IsADirectoryError naming the descriptor; the caller keeps
   * the descriptor even with closefd. */
  fd = open (fixture->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  fd_text = g_strdup_printf ("%d", fd);
  eisdir = test_util_os_error_message (EISDIR, fd_text);
  stream = io_file_stream_new_for_fd (fd, "r", TRUE, &error);
  g_assert_null (stream);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
  g_assert_cmpstr (error->message, ==, eisdir);
  g_clear_error (&error);
  g_assert_true (test_util_is_open (fd));

  /* A bad mode leaves it open too. */
  stream = io_file_stream_new_for_fd (fd, "rt", TRUE, &error);
  g_assert_null (stream);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_true (test_util_is_open (fd));
  close (fd);
}

static void
test_name_with_closefd_false (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *path = path_in (fixture, "f");
  g_autoptr(GError) error = NULL;
  g_autoptr(IoStream) stream = NULL;

  test_util_write_file (path, "abc", -1);
  stream = g_initable_new (IO_TYPE_FILE_STREAM, NULL, &error,
                           "name", path,
                           "closefd", FALSE,
                           NULL);
  g_assert_null (stream);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "Cannot use closefd=False with file name");
  g_clear_error (&error);

  stream = g_initable_new (IO_TYPE_FILE_STREAM, NULL, &error, NULL);
  g_assert_null (stream);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

/* Built from properties, as bindings do, then initialised; init is
 * idempotent, a failure included. */
static void
test_initable (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *path = path_in (fixture, "f");
  g_autofree char *missing = path_in (fixture, "missing");
  g_autoptr(GError) error = NULL;
  g_autoptr(IoStream) stream = NULL;
  g_autoptr(IoStream) broken = NULL;
  g_autofree char *name = NULL;
  g_autofree char *mode = NULL;
  gboolean closefd;
  int fd;
  guint creation_mode;

  test_util_write_file (path, "abc", -1);
  stream = g_object_new (IO_TYPE_FILE_STREAM, "name", path, "mode", "r+b", NULL);
  g_assert_true (g_initable_init (G_INITABLE (stream), NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_initable_init (G_INITABLE (stream), NULL, &error));
  g_assert_no_error (error);
  g_object_get (stream, "name", &name, "mode", &mode, "closefd", &closefd, "fd", &fd,
                "creation-mode", &creation_mode, NULL);
  g_assert_cmpstr (name, ==, path);
  g_assert_cmpstr (mode, ==, "rb+");
  g_assert_true (closefd);
  g_assert_cmpint (fd, ==, io_stream_fileno (stream, NULL));
  g_assert_cmpuint (creation_mode, ==, 0666);
  test_util_assert_read_all (stream, "abc");
  test_util_close_ok (stream);
  g_object_get (stream, "fd", &fd, NULL);
  g_assert_cmpint (fd, ==, -1);

  broken = g_object_new (IO_TYPE_FILE_STREAM, "name", missing, NULL);
  g_assert_false (g_initable_init (G_INITABLE (broken), NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (g_initable_init (G_INITABLE (broken), NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
}

static void
test_closed (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *path = path_in (fixture, "f");
  g_autoptr(GError) error = NULL;
  g_autoptr(IoStream) stream = open_ok (path, "w+");
  guint8 byte;

  test_util_close_ok (stream);
  test_util_close_ok (stream);
  g_assert_true (io_stream_is_closed (stream));

  g_assert_cmpint (io_stream_read1 (stream, &byte, 1, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_clear_error (&error);
  g_assert_cmpint (io_stream_write (stream, &byte, 1, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_clear_error (&error);
  g_assert_cmpint (io_stream_seek (stream, 0, IO_WHENCE_SET, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_clear_error (&error);
  g_assert_cmpint (io_stream_tell (stream, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_clear_error (&error);
  g_assert_cmpint (io_stream_fileno (stream, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_clear_error (&error);

  /* name, mode and closefd outlive the descriptor, as in FileIO. */
  g_assert_cmpstr (io_file_stream_get_name (IO_FILE_STREAM (stream)), ==, path);
  g_assert_cmpstr (io_file_stream_get_mode (IO_FILE_STREAM (stream)), ==, "rb+");
  g_assert_true (io_file_stream_get_closefd (IO_FILE_STREAM (stream)));
}

static void
test_isatty (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *path = path_in (fixture, "f");
  g_autoptr(GError) error = NULL;
  g_autoptr(IoStream) file = open_ok (path, "w");
  g_autoptr(IoStream) tty = NULL;
  int master;
  int slave;

  g_assert_false (io_stream_isatty (file, &error));
  g_assert_no_error (error);

  master = posix_openpt (O_RDWR | O_NOCTTY | O_CLOEXEC);
  g_assert_cmpint (master, >=, 0);
  g_assert_cmpint (grantpt (master), ==, 0);
  g_assert_cmpint (unlockpt (master), ==, 0);
  slave = open (ptsname (master), O_RDWR | O_NOCTTY | O_CLOEXEC);
  g_assert_cmpint (slave, >=, 0);

  tty = io_file_stream_new_for_fd (slave, "r+", TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (io_stream_isatty (tty, &error));
  g_assert_no_error (error);
  g_assert_false (io_stream_seekable (tty, NULL));
  test_util_close_ok (tty);
  g_assert_false (test_util_is_open (slave));
  close (master);
}

/* FileIO over a pipe whose reader is gone: BrokenPipeError, and the
 * process lives on. */
static void
test_broken_pipe (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IoStream) stream = NULL;
  g_autofree char *epipe = test_util_os_error_message (EPIPE, NULL);
  int fds[2];

  g_assert_cmpint (pipe2 (fds, O_CLOEXEC), ==, 0);
  close (fds[0]);
  stream = io_file_stream_new_for_fd (fds[1], "w", TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (io_stream_write (stream, (const guint8 *) "x", 1, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE);
  g_assert_cmpstr (error->message, ==, epipe);
}

/* FileIO under RLIMIT_FSIZE = 1000: write(2000 bytes) returns 1000, and
 * the next write raises EFBIG. In a child, which may lower its limit. */
static void
test_file_size_limit (Fixture       *fixture,
                      gconstpointer  data)
{
  if (g_test_subprocess ())
    {
      g_autofree char *path = path_in (fixture, "f");
      g_autoptr(GError) error = NULL;
      g_autoptr(IoStream) stream = NULL;
      struct rlimit limit = { 1000, 1000 };
      guint8 buffer[2000];
      g_autofree char *content = NULL;
      gsize len;

      memset (buffer, 'x', sizeof buffer);
      signal (SIGXFSZ, SIG_IGN);
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
      stream = open_ok (path, "w");
      g_assert_cmpint (io_stream_write (stream, buffer, 2000, &error), ==, 1000);
      g_assert_no_error (error);
      g_assert_cmpint (io_stream_write (stream, buffer, 10, &error), ==, -1);
      g_assert_nonnull (error);
      g_assert_cmpint (io_error_get_errno (error), ==, EFBIG);
      g_clear_error (&error);
      /* Reported once; the OS refuses again, with no progress. */
      g_assert_cmpint (io_stream_write (stream, buffer, 10, &error), ==, -1);
      g_assert_cmpint (io_error_get_errno (error), ==, EFBIG);
      g_clear_error (&error);
      test_util_close_ok (stream);
      content = test_util_read_file (path, &len);
      g_assert_cmpuint (len, ==, 1000);

      /* write_all() tells both at once. */
      {
        g_autoptr(IoStream) other = open_ok (path, "w");
        gsize written = 0;

        g_assert_cmpint (io_stream_write (other, buffer, 600, &error), ==, 600);
        g_assert_false (io_stream_write_all (other, buffer, 600, &written, &error));
        g_assert_cmpint (io_error_get_errno (error), ==, EFBIG);
        g_assert_cmpuint (written, ==, 400);
        g_clear_error (&error);
        test_util_close_ok (other);
      }
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* /dev/full: ENOSPC at the first write(2), nothing written, so an error. */
static void
test_dev_full (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IoStream) stream = NULL;

  if (!g_file_test ("/dev/full", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no /dev/full");
      return;
    }
  stream = open_ok ("/dev/full", "w");
  g_assert_cmpint (io_stream_write (stream, (const guint8 *) "abc", 3, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_cmpint (io_error_get_errno (error), ==, ENOSPC);
  g_clear_error (&error);
  test_util_close_ok (stream);
}

static void
test_not_readable_not_writable (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autofree char *path = path_in (fixture, "f");
  g_autoptr(GError) error = NULL;
  g_autoptr(IoStream) reader = NULL;
  g_autoptr(IoStream) writer = NULL;
  guint8 byte = 'x';

  test_util_write_file (path, "abc", -1);
  reader = open_ok (path, "r");
  writer = open_ok (path, "a");
  g_assert_cmpint (io_stream_write (reader, &byte, 1, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_cmpint (io_stream_read1 (writer, &byte, 1, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
}

static const TestUtilCase cases[] = {
  TEST_UTIL_CASE ("open/modes", test_modes),
  TEST_UTIL_CASE ("open/default-mode", test_default_mode),
  TEST_UTIL_CASE ("open/bad-modes", test_bad_modes),
  TEST_UTIL_CASE ("open/errors", test_open_errors),
  TEST_UTIL_CASE ("open/directory", test_directory),
  TEST_UTIL_CASE ("open/error-filename-repr", test_error_filename_repr),
  TEST_UTIL_CASE ("open/creation-mode", test_creation_mode),
  TEST_UTIL_CASE ("open/closefd-with-name", test_name_with_closefd_false),
  TEST_UTIL_CASE ("open/initable", test_initable),
  TEST_UTIL_CASE ("fd/wrap", test_wrap_fd),
  TEST_UTIL_CASE ("fd/errors", test_wrap_fd_errors),
  TEST_UTIL_CASE ("read/one-syscall", test_read_one_syscall),
  TEST_UTIL_CASE ("read/readall", test_readall),
  TEST_UTIL_CASE ("read-write", test_read_write),
  TEST_UTIL_CASE ("seek/errors", test_seek_errors),
  TEST_UTIL_CASE ("seek/large-offsets", test_large_offsets),
  TEST_UTIL_CASE ("truncate", test_truncate),
  TEST_UTIL_CASE ("append", test_append),
  TEST_UTIL_CASE ("closed", test_closed),
  TEST_UTIL_CASE ("isatty", test_isatty),
  TEST_UTIL_CASE ("broken-pipe", test_broken_pipe),
  TEST_UTIL_CASE ("partial-write/file-size-limit", test_file_size_limit),
  TEST_UTIL_CASE ("partial-write/dev-full", test_dev_full),
  TEST_UTIL_CASE ("not-readable-not-writable", test_not_readable_not_writable),
};

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  test_util_settle_glib_fds ();
  test_util_add_cases ("/Io/FileStream/", sizeof (Fixture), (GTestFixtureFunc) fixture_setup,
                       (GTestFixtureFunc) fixture_teardown, cases, G_N_ELEMENTS (cases));
  return g_test_run ();
}
