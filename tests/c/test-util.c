/* test-util.c: helpers the C suites share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <fcntl.h>
#include <string.h>

#include "test-util.h"

guint
test_util_count_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

gboolean
test_util_is_open (int fd)
{
  return fcntl (fd, F_GETFD) >= 0;
}

char *
test_util_os_error_message (int         errsv,
                          const char *quoted_filename)
{
  if (quoted_filename == NULL)
    return g_strdup_printf ("[Errno %d] %s", errsv, g_strerror (errsv));
  return g_strdup_printf ("[Errno %d] %s: %s", errsv, g_strerror (errsv), quoted_filename);
}

void
test_util_write_text (IoStream   *stream,
                    const char *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (io_stream_write (stream, (const guint8 *) text, strlen (text), &error),
                   ==, (gssize) strlen (text));
  g_assert_no_error (error);
}

void
test_util_assert_read_all (IoStream   *stream,
                         const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = io_stream_readall (stream, &error);

  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   expected, strlen (expected));
}

void
test_util_close_ok (IoStream *stream)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (io_stream_close (stream, &error));
  g_assert_no_error (error);
}
