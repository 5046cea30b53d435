/* test-limits.c: the streams at the edge of the process's resource limits
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Out of descriptors (RLIMIT_NOFILE) and out of address space (RLIMIT_AS)
 * a stream fails with the error FileIO and BytesIO give, leaks nothing,
 * keeps what it held, and works again once the limit is lifted. Each case
 * runs in a child (g_test_trap_subprocess) so that the limit it sets dies
 * with it.
 */

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "libstream.h"
#include "test-util.h"

/* A descriptor limit that leaves none free: the lowest free descriptor
 * (open(2) would take it; every one below it is in use). Those open above
 * it stay usable. */
static rlim_t
no_free_descriptor_limit (void)
{
  int lowest_free = fcntl (0, F_DUPFD, 0);

  g_assert_no_errno (lowest_free);
  g_assert_no_errno (close (lowest_free));
  return (rlim_t) lowest_free;
}

static void
set_soft_limit (int    resource,
                rlim_t value)
{
  struct rlimit limit;

  g_assert_no_errno (getrlimit (resource, &limit));
  limit.rlim_cur = value;
  g_assert_no_errno (setrlimit (resource, &limit));
}

static void
assert_errno_error (GError     *error,
                    int         code,
                    int         errsv)
{
  g_assert_error (error, G_IO_ERROR, code);
  g_assert_cmpint (io_error_get_errno (error), ==, errsv);
}

/* Valgrind and AddressSanitizer reserve address space of their own, and
 * RLIMIT_AS then fails them rather than the stream. */
static gboolean
address_space_is_the_process_own (void)
{
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  return FALSE;
#else
  g_autofree char *maps = NULL;

  return g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL) &&
         strstr (maps, "vgpreload") == NULL;
#endif
}

/* TRUE in the child that runs the test's body, under a limit that dies
 * with it; in the parent, runs that child and checks that it passed. With
 * @address_space, skips where a tool shares the address space. */
static gboolean
in_child (gboolean address_space)
{
  if (address_space && !address_space_is_the_process_own ())
    {
      g_test_skip ("the address space is shared with a tool");
      return FALSE;
    }
  if (g_test_subprocess ())
    return TRUE;
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  return FALSE;
}

/* FileIO: OSError(EMFILE) naming the file; the pipe pair: OSError(EMFILE)
 * with neither end left open. Lifting the limit makes both work. */
static void
test_nofile (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  struct rlimit saved;
  guint fds_before;

  if (!in_child (FALSE))
    return;

  dir = test_util_make_tmp_dir ("io-limits-XXXXXX");
  path = g_build_filename (dir, "file", NULL);
  test_util_write_file (path, "content", -1);
  g_assert_no_errno (getrlimit (RLIMIT_NOFILE, &saved));
  fds_before = test_util_count_fds ();

  set_soft_limit (RLIMIT_NOFILE, no_free_descriptor_limit ());
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GError) pipe_error = NULL;
    g_autofree char *filename = NULL;
    IoStream *reader = NULL;
    IoStream *writer = NULL;

    g_assert_null (io_file_stream_new (path, "r", &error));
    assert_errno_error (error, G_IO_ERROR_TOO_MANY_OPEN_FILES, EMFILE);
    filename = io_error_get_filename (error);
    g_assert_cmpstr (filename, ==, path);

    g_assert_false (io_pipe_stream_new_pair (&reader, &writer, &pipe_error));
    assert_errno_error (pipe_error, G_IO_ERROR_TOO_MANY_OPEN_FILES, EMFILE);
    g_assert_null (reader);
    g_assert_null (writer);
  }

  /* Nothing leaked while the limit held. */
  g_assert_no_errno (setrlimit (RLIMIT_NOFILE, &saved));
  g_assert_cmpuint (test_util_count_fds (), ==, fds_before);
  {
    g_autoptr(GError) error = NULL;
    IoStream *stream = io_file_stream_new (path, "r", &error);
    IoStream *reader = NULL;
    IoStream *writer = NULL;

    g_assert_no_error (error);
    test_util_assert_read_all (stream, "content");
    test_util_close_ok (stream);
    g_assert_finalize_object (stream);
    g_assert_true (io_pipe_stream_new_pair (&reader, &writer, &error));
    g_assert_no_error (error);
    g_assert_finalize_object (reader);
    g_assert_finalize_object (writer);
  }
  g_assert_cmpuint (test_util_count_fds (), ==, fds_before);
  test_util_remove_tree (dir);
}

/* A descriptor limit that leaves exactly one free: a pipe needs two, and
 * the stream that could open takes the last one. */
static void
test_nofile_last_descriptor (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  IoStream *reader = NULL;
  IoStream *writer = NULL;
  IoStream *stream;

  if (!in_child (FALSE))
    return;

  dir = test_util_make_tmp_dir ("io-limits-XXXXXX");
  path = g_build_filename (dir, "file", NULL);
  set_soft_limit (RLIMIT_NOFILE, no_free_descriptor_limit () + 1);

  g_assert_false (io_pipe_stream_new_pair (&reader, &writer, &error));
  assert_errno_error (error, G_IO_ERROR_TOO_MANY_OPEN_FILES, EMFILE);
  g_clear_error (&error);

  stream = io_file_stream_new (path, "w", &error);
  g_assert_no_error (error);
  g_assert_cmpint (io_stream_write (stream, (const guint8 *) "x", 1, &error), ==, 1);
  g_assert_no_error (error);
  test_util_close_ok (stream);
  g_assert_finalize_object (stream);
  test_util_remove_tree (dir);
}

/* The address space in use now, from /proc/self/status (VmSize, in kB). */
static rlim_t
address_space_in_use (void)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "VmSize:");
  g_assert_nonnull (line);
  return (rlim_t) g_ascii_strtoull (line + strlen ("VmSize:"), NULL, 10) * 1024;
}

#define HEADROOM (96 * 1024 * 1024)
#define CHUNK (1024 * 1024)

/* Out of memory, BytesIO.write raises MemoryError and drops its buffer;
 * the memory stream fails with NO_SPACE and loses nothing: its content and
 * position are what the writes that succeeded left, and it writes again
 * once memory is freed. */
static void
test_address_space_memory_stream (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) value = NULL;
  g_autofree guint8 *chunk = NULL;
  IoStream *stream;
  gsize written = 0;

  if (!in_child (TRUE))
    return;

  chunk = g_malloc (CHUNK);
  stream = io_memory_stream_new (NULL, 0);
  set_soft_limit (RLIMIT_AS, address_space_in_use () + HEADROOM);
  for (;;)
    {
      gssize n;

      memset (chunk, 'a' + (written / CHUNK) % 26, CHUNK);
      n = io_stream_write (stream, chunk, CHUNK, &error);
      if (n < 0)
        break;
      g_assert_cmpint (n, ==, CHUNK);
      written += CHUNK;
      g_assert_cmpuint (written, <, HEADROOM);
    }
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_clear_error (&error);
  g_assert_cmpuint (written, >, 0);

  g_assert_cmpint (io_stream_tell (stream, &error), ==, (gint64) written);
  g_assert_no_error (error);
  value = io_memory_stream_get_value (IO_MEMORY_STREAM (stream), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (value), ==, written);
  for (gsize i = 0; i < written; i += CHUNK)
    {
      const guint8 *data = g_bytes_get_data (value, NULL);

      g_assert_cmpint (data[i], ==, 'a' + (i / CHUNK) % 26);
      g_assert_cmpint (data[i + CHUNK - 1], ==, 'a' + (i / CHUNK) % 26);
    }
  g_clear_pointer (&value, g_bytes_unref);

  /* Room again: the stream takes writes where it stopped. */
  g_assert_cmpint (io_stream_truncate (stream, CHUNK, &error), ==, CHUNK);
  g_assert_no_error (error);
  test_util_seek_to (stream, CHUNK, IO_WHENCE_SET, CHUNK);
  g_assert_cmpint (io_stream_write (stream, chunk, CHUNK, &error), ==, CHUNK);
  g_assert_no_error (error);
  g_assert_cmpint (io_stream_tell (stream, &error), ==, 2 * CHUNK);
  test_util_close_ok (stream);
  g_assert_finalize_object (stream);
}

/* readall() of a file bigger than the memory left: FileIO raises
 * MemoryError and drops what it read; the stream, as after any error that
 * follows progress (docs/semantics.md), returns the bytes that fitted with
 * the position right after them, fails the next call with NO_SPACE, never
 * aborts, and the rest of the file then reads in pieces. */
static void
test_address_space_readall (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) all = NULL;
  g_autoptr(GBytes) piece = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  IoStream *stream;
  gsize got;

  if (!in_child (TRUE))
    return;

  dir = test_util_make_tmp_dir ("io-limits-XXXXXX");
  path = g_build_filename (dir, "big", NULL);
  stream = io_file_stream_new (path, "w+", &error);
  g_assert_no_error (error);
  /* A sparse file: twice the headroom, without writing it. */
  g_assert_cmpint (io_stream_truncate (stream, 2 * HEADROOM, &error), ==, 2 * HEADROOM);
  g_assert_no_error (error);
  test_util_seek_to (stream, 0, IO_WHENCE_SET, 0);

  set_soft_limit (RLIMIT_AS, address_space_in_use () + HEADROOM);
  all = io_stream_readall (stream, &error);
  g_assert_no_error (error);
  g_assert_nonnull (all);
  got = g_bytes_get_size (all);
  g_assert_cmpuint (got, >, 0);
  g_assert_cmpuint (got, <, 2 * HEADROOM);
  g_assert_cmpint (io_stream_tell (stream, &error), ==, (gint64) got);
  g_clear_pointer (&all, g_bytes_unref);

  g_assert_null (io_stream_read_bytes (stream, 1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_clear_error (&error);

  while ((piece = io_stream_read_bytes (stream, CHUNK, &error)) != NULL &&
         g_bytes_get_size (piece) > 0)
    {
      got += g_bytes_get_size (piece);
      g_clear_pointer (&piece, g_bytes_unref);
    }
  g_assert_no_error (error);
  g_assert_cmpuint (got, ==, 2 * HEADROOM);
  test_util_close_ok (stream);
  g_assert_finalize_object (stream);
  test_util_remove_tree (dir);
}

/* A full device through the buffered layer, as open("/dev/full", "wb")
 * behaves: the write fits the buffer and succeeds, flush() fails with
 * ENOSPC, and close() fails with it again (the buffer still holds the
 * bytes) but closes the descriptor all the same. Raw, the first write
 * fails at once. */
static void
test_full_device (void)
{
  g_autoptr(GError) error = NULL;
  IoStream *stream;
  guint fds_before;

  if (!g_file_test ("/dev/full", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no /dev/full");
      return;
    }
  fds_before = test_util_count_fds ();

  stream = io_open ("/dev/full", "wb", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (io_stream_write (stream, (const guint8 *) "abc", 3, &error), ==, 3);
  g_assert_no_error (error);
  g_assert_false (io_stream_flush (stream, &error));
  assert_errno_error (error, G_IO_ERROR_NO_SPACE, ENOSPC);
  g_clear_error (&error);
  g_assert_false (io_stream_close (stream, &error));
  assert_errno_error (error, G_IO_ERROR_NO_SPACE, ENOSPC);
  g_clear_error (&error);
  g_assert_true (io_stream_is_closed (stream));
  g_assert_finalize_object (stream);
  g_assert_cmpuint (test_util_count_fds (), ==, fds_before);

  stream = io_open ("/dev/full", "wb", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (io_stream_write (stream, (const guint8 *) "abc", 3, &error), ==, -1);
  assert_errno_error (error, G_IO_ERROR_NO_SPACE, ENOSPC);
  g_clear_error (&error);
  test_util_close_ok (stream);
  g_assert_finalize_object (stream);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/limits/nofile", test_nofile);
  g_test_add_func ("/limits/nofile-last-descriptor", test_nofile_last_descriptor);
  g_test_add_func ("/limits/address-space/memory-stream", test_address_space_memory_stream);
  g_test_add_func ("/limits/address-space/readall", test_address_space_readall);
  g_test_add_func ("/limits/full-device", test_full_device);
  return g_test_run ();
}
