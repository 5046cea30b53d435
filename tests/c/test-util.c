/* test-util.c: helpers the C suites share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <fcntl.h>
#include <glib-unix.h>
#include <signal.h>
#include <glib/gstdio.h>
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

void
test_util_settle_glib_fds (void)
{
  /* A Unix signal source starts GLib's worker context, the one its child
   * watches use for SIGCHLD; destroying the source leaves it running. */
  GSource *source = g_unix_signal_source_new (SIGUSR2);

  g_source_destroy (source);
  g_source_unref (source);
}

char *
test_util_os_error_message (int         errsv,
                            const char *quoted_filename)
{
  if (quoted_filename == NULL)
    return g_strdup_printf ("[Errno %d] %s", errsv, g_strerror (errsv));
  return g_strdup_printf ("[Errno %d] %s: %s", errsv, g_strerror (errsv), quoted_filename);
}

char *
test_util_make_tmp_dir (const char *tmpl)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp (tmpl, &error);

  g_assert_no_error (error);
  return dir;
}

void
test_util_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            test_util_remove_tree (child);
          else
            g_assert_cmpint (g_unlink (child), ==, 0);
        }
    }
  g_assert_cmpint (g_rmdir (path), ==, 0);
}

void
test_util_write_file (const char *path,
                      const char *content,
                      gssize      len)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, content, len, &error);
  g_assert_no_error (error);
}

char *
test_util_read_file (const char *path,
                     gsize      *len)
{
  g_autoptr(GError) error = NULL;
  char *content = NULL;

  g_file_get_contents (path, &content, len, &error);
  g_assert_no_error (error);
  return content;
}

IoStream *
test_util_memory_stream_new (const char *text)
{
  return io_memory_stream_new ((const guint8 *) text, strlen (text));
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
test_util_seek_to (IoStream *stream,
                   gint64    offset,
                   IoWhence  whence,
                   gint64    expected)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (io_stream_seek (stream, offset, whence, &error), ==, expected);
  g_assert_no_error (error);
}

void
test_util_assert_bytes (GBytes     *bytes,
                        const char *expected,
                        gsize       expected_len)
{
  gsize len;
  const guint8 *data;

  g_assert_nonnull (bytes);
  data = g_bytes_get_data (bytes, &len);
  g_assert_cmpmem (data, len, expected, expected_len);
}

void
test_util_assert_read (IoStream   *stream,
                       gssize      size,
                       const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = io_stream_read_bytes (stream, size, &error);

  g_assert_no_error (error);
  test_util_assert_bytes (bytes, expected, strlen (expected));
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
test_util_assert_lines (GPtrArray          *lines,
                        const char * const *expected)
{
  guint i;

  g_assert_nonnull (lines);
  for (i = 0; expected[i] != NULL; i++)
    {
      g_assert_cmpuint (i, <, lines->len);
      test_util_assert_bytes (g_ptr_array_index (lines, i), expected[i], strlen (expected[i]));
    }
  g_assert_cmpuint (lines->len, ==, i);
}

void
test_util_close_ok (IoStream *stream)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (io_stream_close (stream, &error));
  g_assert_no_error (error);
}

void
test_util_count_notify (GObject    *object,
                        GParamSpec *pspec,
                        gpointer    user_data)
{
  (*(guint *) user_data)++;
}

gint64
test_util_seek_position (gint64       position,
                         gint64       size,
                         gint64       limit,
                         gint64       offset,
                         IoWhence     whence,
                         const char  *message,
                         GError     **error)
{
  gint64 base = whence == IO_WHENCE_SET ? 0 : whence == IO_WHENCE_CUR ? position : size;

  if (offset < -base || offset > limit - base)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, message);
      return -1;
    }
  return base + offset;
}

void
test_util_gate_enter (TestUtilGate *gate)
{
  pthread_mutex_lock (&gate->lock);
  gate->inside = TRUE;
  pthread_cond_broadcast (&gate->cond);
  while (!gate->open)
    pthread_cond_wait (&gate->cond, &gate->lock);
  pthread_mutex_unlock (&gate->lock);
}

void
test_util_gate_wait_inside (TestUtilGate *gate)
{
  pthread_mutex_lock (&gate->lock);
  while (!gate->inside)
    pthread_cond_wait (&gate->cond, &gate->lock);
  pthread_mutex_unlock (&gate->lock);
}

void
test_util_gate_open (TestUtilGate *gate)
{
  pthread_mutex_lock (&gate->lock);
  gate->open = TRUE;
  pthread_cond_broadcast (&gate->cond);
  pthread_mutex_unlock (&gate->lock);
}

static gpointer
open_gate_soon (gpointer data)
{
  g_usleep (20 * G_TIME_SPAN_MILLISECOND);
  test_util_gate_open (data);
  return NULL;
}

GThread *
test_util_gate_open_soon (TestUtilGate *gate)
{
  return g_thread_new ("opener", open_gate_soon, gate);
}

void
test_util_clear_result (GAsyncResult **result)
{
  if (*result == NULL)
    return;
  while (g_atomic_int_get (&G_OBJECT (*result)->ref_count) > 1)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (100);
    }
  g_clear_object (result);
}

static gpointer
read_one (gpointer data)
{
  g_autoptr(GError) error = NULL;
  guint8 byte;

  g_assert_cmpint (io_stream_read1 (data, &byte, 1, &error), ==, 1);
  g_assert_no_error (error);
  return NULL;
}

GThread *
test_util_read1_in_thread (IoStream *stream)
{
  return g_thread_new ("reader", read_one, stream);
}

void
test_util_gate_clear (TestUtilGate *gate)
{
  pthread_mutex_destroy (&gate->lock);
  pthread_cond_destroy (&gate->cond);
}

void
test_util_add_cases (const char         *prefix,
                     gsize               fixture_size,
                     GTestFixtureFunc    setup,
                     GTestFixtureFunc    teardown,
                     const TestUtilCase *cases,
                     gsize               n_cases)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      g_autofree char *path = g_strconcat (prefix, cases[i].path, NULL);

      g_test_add_vtable (path, fixture_size, cases[i].data, setup, cases[i].func, teardown);
    }
}
