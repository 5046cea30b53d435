/* test-funcs-stream.c: backends plugged in as a plain table of callbacks
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include "libstream.h"
#include "test-util.h"

/* A fixed-size byte array with a cursor: the smallest real backend. */
typedef struct {
  guint8 data[16];
  gsize size;
  gint64 position;
  guint closes;
  gboolean *destroyed;
} Cookie;

static gssize
cookie_read (gpointer  user_data,
             guint8   *buffer,
             gsize     count,
             GError  **error)
{
  Cookie *cookie = user_data;
  gsize n;

  if ((gsize) cookie->position >= cookie->size)
    return 0;
  n = MIN (count, cookie->size - (gsize) cookie->position);
  memcpy (buffer, cookie->data + cookie->position, n);
  cookie->position += n;
  return (gssize) n;
}

static gssize
cookie_write (gpointer       user_data,
              const guint8  *buffer,
              gsize          count,
              GError       **error)
{
  Cookie *cookie = user_data;
  gsize n;

  if ((gsize) cookie->position >= sizeof cookie->data)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "cookie full");
      return -1;
    }
  n = MIN (count, sizeof cookie->data - (gsize) cookie->position);
  memcpy (cookie->data + cookie->position, buffer, n);
  cookie->position += n;
  cookie->size = MAX (cookie->size, (gsize) cookie->position);
  return (gssize) n;
}

static gint64
cookie_seek (gpointer   user_data,
             gint64     offset,
             IoWhence   whence,
             GError   **error)
{
  Cookie *cookie = user_data;
  gint64 to = test_util_seek_position (cookie->position, (gint64) cookie->size,
                                       (gint64) sizeof cookie->data, offset, whence,
                                       "out of range", error);

  if (to >= 0)
    cookie->position = to;
  return to;
}

static gboolean
cookie_close (gpointer   user_data,
              GError   **error)
{
  ((Cookie *) user_data)->closes++;
  return TRUE;
}

static void
cookie_free (gpointer user_data)
{
  Cookie *cookie = user_data;

  *cookie->destroyed = TRUE;
  g_free (cookie);
}

static const IoStreamFuncs cookie_funcs = {
  .struct_size = sizeof (IoStreamFuncs),
  .read = cookie_read,
  .write = cookie_write,
  .seek = cookie_seek,
  .close = cookie_close,
};

static void
test_round_trip (void)
{
  gboolean destroyed = FALSE;
  Cookie *cookie = g_new0 (Cookie, 1);
  IoStream *stream;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) all = NULL;
  g_autoptr(GBytes) line = NULL;

  cookie->destroyed = &destroyed;
  stream = io_stream_new_from_funcs (&cookie_funcs, cookie, cookie_free);

  g_assert_true (io_stream_readable (stream, &error));
  g_assert_true (io_stream_writable (stream, &error));
  g_assert_true (io_stream_seekable (stream, &error));
  g_assert_cmpint (io_stream_write (stream, (const guint8 *) "one\ntwo\n", 8, &error), ==, 8);
  g_assert_cmpint (io_stream_tell (stream, &error), ==, 8);
  g_assert_cmpint (io_stream_seek (stream, 0, IO_WHENCE_SET, &error), ==, 0);
  g_assert_no_error (error);

  /* Seekable without a window: readline reads ahead and seeks back. */
  line = io_stream_readline (stream, -1, &error);
  g_assert_cmpmem (g_bytes_get_data (line, NULL), g_bytes_get_size (line), "one\n", 4);
  g_assert_cmpint (io_stream_tell (stream, &error), ==, 4);
  all = io_stream_readall (stream, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (all, NULL), g_bytes_get_size (all), "two\n", 4);

  /* The peek fallback for seekable streams leaves the position alone. */
  g_assert_cmpint (io_stream_seek (stream, 2, IO_WHENCE_SET, &error), ==, 2);
  {
    g_autoptr(GBytes) peeked = io_stream_peek (stream, 3, &error);
    g_assert_cmpmem (g_bytes_get_data (peeked, NULL), g_bytes_get_size (peeked), "e\nt", 3);
  }
  g_assert_cmpint (io_stream_tell (stream, &error), ==, 2);

  /* The backend's own errors come through unchanged. */
  g_assert_cmpint (io_stream_seek (stream, 100, IO_WHENCE_SET, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_cmpint (io_stream_seek (stream, 0, IO_WHENCE_END, &error), ==, 8);
  /* Eight bytes fit: their count, then the error on the next write. */
  g_assert_cmpint (io_stream_write (stream, (const guint8 *) "0123456789", 10, &error), ==, 8);
  g_assert_no_error (error);
  g_assert_cmpint (io_stream_write (stream, (const guint8 *) "89", 2, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_clear_error (&error);

  /* No truncate callback: not supported. */
  g_assert_cmpint (io_stream_truncate (stream, 0, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);

  g_assert_true (io_stream_close (stream, &error));
  g_assert_true (io_stream_close (stream, &error));
  g_assert_cmpuint (cookie->closes, ==, 1);
  g_assert_false (destroyed);
  g_assert_finalize_object (stream);
  g_assert_true (destroyed);
}

static gssize
zero_read (gpointer  user_data,
           guint8   *buffer,
           gsize     count,
           GError  **error)
{
  memset (buffer, 0, count);
  return (gssize) count;
}

static void
test_read_only (void)
{
  static const IoStreamFuncs funcs = {
    .struct_size = sizeof (IoStreamFuncs),
    .read = zero_read,
  };
  IoStream *stream = io_stream_new_from_funcs (&funcs, NULL, NULL);
  g_autoptr(GError) error = NULL;
  guint8 buffer[4] = { 1, 1, 1, 1 };

  g_assert_true (io_stream_readable (stream, &error));
  g_assert_false (io_stream_writable (stream, &error));
  g_assert_false (io_stream_seekable (stream, &error));
  g_assert_cmpint (io_stream_read (stream, buffer, 4, &error), ==, 4);
  g_assert_cmpuint (buffer[3], ==, 0);
  g_assert_cmpint (io_stream_write (stream, buffer, 4, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_cmpint (io_stream_tell (stream, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_true (io_stream_close (stream, &error));
  g_assert_finalize_object (stream);
}

/* A cookie that also truncates and flushes, and can fail its flush. */
typedef struct {
  Cookie cookie;
  guint flushes;
  gboolean fail_flush;
  gint64 truncated_to;
} FlushingCookie;

static gint64
cookie_truncate (gpointer   user_data,
                 gint64     size,
                 GError   **error)
{
  FlushingCookie *cookie = user_data;

  cookie->truncated_to = size;
  cookie->cookie.size = MIN (cookie->cookie.size, (gsize) size);
  return size;
}

static gboolean
cookie_flush (gpointer   user_data,
              GError   **error)
{
  FlushingCookie *cookie = user_data;

  cookie->flushes++;
  if (cookie->fail_flush)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "flush failed");
      return FALSE;
    }
  return TRUE;
}

/* truncate() and flush() reach their callbacks with the arguments the
 * stream validated; a failing flush fails flush() and close(), and the
 * stream is closed all the same. */
static void
test_truncate_and_flush (void)
{
  static const IoStreamFuncs funcs = {
    .struct_size = sizeof (IoStreamFuncs),
    .read = cookie_read,
    .write = cookie_write,
    .seek = cookie_seek,
    .truncate = cookie_truncate,
    .flush = cookie_flush,
    .close = cookie_close,
  };
  FlushingCookie cookie = { { { 0 } } };
  IoStream *stream = io_stream_new_from_funcs (&funcs, &cookie, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (io_stream_write (stream, (const guint8 *) "abcdef", 6, &error), ==, 6);
  g_assert_cmpint (io_stream_truncate (stream, 4, &error), ==, 4);
  g_assert_cmpint (cookie.truncated_to, ==, 4);
  /* -1 is the position after a flush, which the stream asks the seek
   * callback for. */
  g_assert_cmpint (io_stream_seek (stream, 2, IO_WHENCE_SET, &error), ==, 2);
  g_assert_cmpuint (cookie.flushes, ==, 0);
  g_assert_cmpint (io_stream_truncate (stream, -1, &error), ==, 2);
  g_assert_cmpint (cookie.truncated_to, ==, 2);
  g_assert_cmpuint (cookie.flushes, ==, 1);
  g_assert_no_error (error);
  /* A negative size never reaches the callback. */
  g_assert_cmpint (io_stream_truncate (stream, -2, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_cmpint (cookie.truncated_to, ==, 2);

  g_assert_true (io_stream_flush (stream, &error));
  g_assert_cmpuint (cookie.flushes, ==, 2);
  cookie.fail_flush = TRUE;
  g_assert_false (io_stream_flush (stream, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_clear_error (&error);
  /* A failed flush fails truncate (-1) before it truncates anything. */
  g_assert_cmpint (io_stream_truncate (stream, -1, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_clear_error (&error);
  g_assert_cmpint (cookie.truncated_to, ==, 2);
  g_assert_false (io_stream_close (stream, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_clear_error (&error);
  g_assert_cmpuint (cookie.flushes, ==, 5);
  g_assert_cmpuint (cookie.cookie.closes, ==, 1);
  g_assert_true (io_stream_is_closed (stream));
  g_assert_false (io_stream_flush (stream, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_assert_cmpuint (cookie.flushes, ==, 5);
  g_assert_finalize_object (stream);
}

/* A table from a caller built against a later version, with a callback
 * this one does not know: accepted, and the known callbacks used. */
static void
test_newer_table (void)
{
  struct {
    IoStreamFuncs funcs;
    gpointer future_callback;
  } newer = {
    { .struct_size = sizeof newer, .read = zero_read },
    (gpointer) zero_read,
  };
  IoStream *stream = io_stream_new_from_funcs (&newer.funcs, NULL, NULL);
  g_autoptr(GError) error = NULL;
  guint8 buffer[2] = { 1, 1 };

  g_assert_cmpint (io_stream_read (stream, buffer, 2, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_cmpuint (buffer[0], ==, 0);
  g_assert_false (io_stream_writable (stream, &error));
  g_assert_finalize_object (stream);
}

static void
test_precondition_struct_size (void)
{
  if (g_test_subprocess ())
    {
      /* Smaller than the table has ever been. */
      IoStreamFuncs funcs = { .struct_size = sizeof (gsize) + sizeof (gpointer) };

      g_assert_null (io_stream_new_from_funcs (&funcs, NULL, NULL));
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CRITICAL*io_stream_new_from_funcs*struct_size*");
}

/* A sink that takes @limit bytes in all, @chunk at most per call, then
 * fails with @code (or would block, for G_IO_ERROR_WOULD_BLOCK). */
typedef struct {
  GString *data;
  gsize limit;
  gsize chunk;
  GIOErrorEnum code;
  guint writes;
  guint flushes;
} Sink;

static gssize
sink_write (gpointer       user_data,
            const guint8  *buffer,
            gsize          count,
            GError       **error)
{
  Sink *sink = user_data;
  gsize n;

  sink->writes++;
  if (sink->data->len >= sink->limit)
    {
      g_set_error_literal (error, G_IO_ERROR, sink->code, "sink full");
      return -1;
    }
  n = MIN (MIN (count, sink->chunk), sink->limit - sink->data->len);
  g_string_append_len (sink->data, (const char *) buffer, (gssize) n);
  return (gssize) n;
}

static gboolean
sink_flush (gpointer   user_data,
            GError   **error)
{
  ((Sink *) user_data)->flushes++;
  return TRUE;
}

static const IoStreamFuncs sink_funcs = {
  .struct_size = sizeof (IoStreamFuncs),
  .write = sink_write,
  .flush = sink_flush,
};

static IoStream *
sink_stream_new (Sink         *sink,
                 gsize         limit,
                 GIOErrorEnum  code)
{
  sink->data = g_string_new (NULL);
  sink->limit = limit;
  sink->chunk = 3;
  sink->code = code;
  sink->writes = sink->flushes = 0;
  return io_stream_new_from_funcs (&sink_funcs, sink, NULL);
}

/* The end of every sink test: nothing is left pending (a flush, when
 * @flush, then the close, succeed), and the sink's data is freed. */
static void
sink_finish (IoStream *stream,
             Sink     *sink,
             gboolean  flush)
{
  g_autoptr(GError) error = NULL;

  if (flush)
    {
      g_assert_true (io_stream_flush (stream, &error));
      g_assert_no_error (error);
    }
  test_util_close_ok (stream);
  g_string_free (sink->data, TRUE);
}

/* A write that fails after bytes moved returns their count; the error
 * waits for the next write, which reports it without calling the
 * backend, and is reported once. */
static void
test_partial_write_count (void)
{
  Sink sink;
  g_autoptr(IoStream) stream = sink_stream_new (&sink, 4, G_IO_ERROR_NO_SPACE);
  g_autoptr(GError) error = NULL;
  guint writes;

  g_assert_cmpint (io_stream_write (stream, (const guint8 *) "0123456789", 10, &error), ==, 4);
  g_assert_no_error (error);
  g_assert_cmpstr (sink.data->str, ==, "0123");
  writes = sink.writes;
  /* Neither a seek (not supported here) nor a read takes it. */
  g_assert_cmpint (io_stream_tell (stream, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_cmpint (io_stream_write (stream, (const guint8 *) "x", 1, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_cmpstr (error->message, ==, "sink full");
  g_assert_cmpuint (sink.writes, ==, writes);
  g_clear_error (&error);
  /* Reported once: the next write asks the backend again. */
  g_assert_cmpint (io_stream_write (stream, (const guint8 *) "x", 1, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_cmpuint (sink.writes, ==, writes + 1);
  g_clear_error (&error);
  /* Nothing pending: flush() and close() succeed. */
  sink_finish (stream, &sink, TRUE);
}

/* flush() and close() report a pending write error too; close() still
 * closes, and calls the flush vfunc. */
static void
test_partial_write_flush_close (void)
{
  Sink sink;
  g_autoptr(IoStream) stream = sink_stream_new (&sink, 5, G_IO_ERROR_NO_SPACE);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (io_stream_write (stream, (const guint8 *) "0123456789", 10, &error), ==, 5);
  g_assert_false (io_stream_flush (stream, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_cmpuint (sink.flushes, ==, 0);
  g_clear_error (&error);
  g_assert_true (io_stream_flush (stream, &error));
  g_assert_cmpuint (sink.flushes, ==, 1);

  sink.limit = 7;
  g_assert_cmpint (io_stream_write (stream, (const guint8 *) "abcdef", 6, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_false (io_stream_close (stream, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_true (io_stream_is_closed (stream));
  g_assert_cmpuint (sink.flushes, ==, 2);
  g_clear_error (&error);
  g_assert_cmpstr (sink.data->str, ==, "01234ab");
  /* Closing again does nothing, and fails no more. */
  sink_finish (stream, &sink, FALSE);
}

/* A would-block after progress is no error: the short count, nothing
 * pending. */
static void
test_partial_write_would_block (void)
{
  Sink sink;
  g_autoptr(IoStream) stream = sink_stream_new (&sink, 4, G_IO_ERROR_WOULD_BLOCK);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (io_stream_write (stream, (const guint8 *) "0123456789", 10, &error), ==, 4);
  g_assert_no_error (error);
  g_assert_true (io_stream_flush (stream, &error));
  g_assert_cmpint (io_stream_write (stream, (const guint8 *) "x", 1, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
  g_clear_error (&error);
  sink_finish (stream, &sink, FALSE);
}

/* writelines() has no count: a line that stops short fails it with the
 * backend's own error, which is not left pending. */
static void
test_partial_writelines (void)
{
  Sink sink;
  g_autoptr(IoStream) stream = sink_stream_new (&sink, 6, G_IO_ERROR_NO_SPACE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) a = g_bytes_new_static ("ab", 2);
  g_autoptr(GBytes) b = g_bytes_new_static ("cdefgh", 6);
  GBytes *lines[] = { a, b };

  g_assert_false (io_stream_writelines (stream, lines, 2, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_cmpstr (sink.data->str, ==, "abcdef");
  g_clear_error (&error);
  sink_finish (stream, &sink, TRUE);
}

/* write_all() reports the error at once, with the count; nothing is left
 * pending. */
static void
test_write_all (void)
{
  Sink sink;
  g_autoptr(IoStream) stream = sink_stream_new (&sink, 4, G_IO_ERROR_NO_SPACE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new_static ("xyz", 3);
  gsize written = 99;

  g_assert_false (io_stream_write_all (stream, (const guint8 *) "0123456789", 10, &written,
                                       &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_cmpuint (written, ==, 4);
  g_clear_error (&error);
  g_assert_true (io_stream_flush (stream, &error));
  g_assert_no_error (error);

  /* An error a write() left is reported first, with nothing written. */
  sink.limit = 6;
  g_assert_cmpint (io_stream_write (stream, (const guint8 *) "abc", 3, &error), ==, 2);
  sink.limit = 100;
  written = 99;
  g_assert_false (io_stream_write_all_bytes (stream, bytes, &written, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_cmpuint (written, ==, 0);
  g_clear_error (&error);
  g_assert_true (io_stream_write_all_bytes (stream, bytes, &written, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (written, ==, 3);
  g_assert_true (io_stream_write_all (stream, NULL, 0, NULL, &error));
  g_assert_cmpstr (sink.data->str, ==, "0123abxyz");

  /* A would-block after progress: WOULD_BLOCK, with the count. */
  sink.limit = 11;
  sink.code = G_IO_ERROR_WOULD_BLOCK;
  g_assert_false (io_stream_write_all (stream, (const guint8 *) "12345", 5, &written, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
  g_assert_cmpuint (written, ==, 2);
  g_clear_error (&error);
  sink_finish (stream, &sink, FALSE);
}

/* writelines_all() says which line stopped, and after how many bytes. */
static void
test_writelines_all (void)
{
  Sink sink;
  g_autoptr(IoStream) stream = sink_stream_new (&sink, 6, G_IO_ERROR_NO_SPACE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) a = g_bytes_new_static ("ab", 2);
  g_autoptr(GBytes) b = g_bytes_new_static ("cd", 2);
  g_autoptr(GBytes) c = g_bytes_new_static ("efgh", 4);
  GBytes *lines[] = { a, b, c, a };
  gsize lines_written = 99, bytes_written = 99;

  g_assert_false (io_stream_writelines_all (stream, lines, 4, &lines_written, &bytes_written,
                                            &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_cmpuint (lines_written, ==, 2);
  g_assert_cmpuint (bytes_written, ==, 2);
  g_assert_cmpstr (sink.data->str, ==, "abcdef");
  g_clear_error (&error);

  sink.limit = 100;
  g_assert_true (io_stream_writelines_all (stream, lines, 2, &lines_written, &bytes_written,
                                           &error));
  g_assert_no_error (error);
  g_assert_cmpuint (lines_written, ==, 2);
  g_assert_cmpuint (bytes_written, ==, 0);
  sink_finish (stream, &sink, FALSE);
}

/* A read callback that fills what it is given and claims 3 bytes more. */
static gssize
over_reporting_read (gpointer  user_data,
                     guint8   *buffer,
                     gsize     count,
                     GError  **error)
{
  memset (buffer, 'r', count);
  return (gssize) count + 3;
}

/* Every read entry point refuses a count above the one asked for, with
 * an error naming the callback's stream, and returns no data: the stream
 * never trusts a backend with the caller's memory. */
static void
test_read_over_count (void)
{
  static const IoStreamFuncs funcs = {
    .struct_size = sizeof (IoStreamFuncs),
    .read = over_reporting_read,
  };
  IoStream *stream = io_stream_new_from_funcs (&funcs, NULL, NULL);
  guint8 buffer[16];

  for (guint call = 0; call < 6; call++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = NULL;
      gssize n = 0;

      switch (call)
        {
        case 0: n = io_stream_read (stream, buffer, 4, &error); break;
        case 1: n = io_stream_read1 (stream, buffer, 4, &error); break;
        case 2: n = (bytes = io_stream_read_bytes (stream, 8, &error)) ? 0 : -1; break;
        case 3: n = (bytes = io_stream_readall (stream, &error)) ? 0 : -1; break;
        case 4: n = (bytes = io_stream_readline (stream, -1, &error)) ? 0 : -1; break;
        case 5: n = io_stream_getc (stream, &error); break;
        default: g_assert_not_reached ();
        }
      g_assert_cmpint (n, ==, -1);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
      g_assert_nonnull (strstr (error->message, "bytes, more than the"));
    }
  g_assert_finalize_object (stream);
}

/* A write callback that claims 3 bytes more than it was given. */
static gssize
over_reporting_write (gpointer       user_data,
                      const guint8  *buffer,
                      gsize          count,
                      GError       **error)
{
  return (gssize) count + 3;
}

/* Every write entry point refuses a count above the one given, with an
 * error, and the stream's position does not move past the data. */
static void
test_write_over_count (void)
{
  static const IoStreamFuncs funcs = {
    .struct_size = sizeof (IoStreamFuncs),
    .write = over_reporting_write,
  };
  IoStream *stream = io_stream_new_from_funcs (&funcs, NULL, NULL);
  g_autoptr(GBytes) bytes = g_bytes_new_static ("abcd", 4);
  GBytes *lines[] = { bytes, bytes };

  for (guint call = 0; call < 4; call++)
    {
      g_autoptr(GError) error = NULL;
      gboolean failed = FALSE;

      switch (call)
        {
        case 0: failed = io_stream_write (stream, (const guint8 *) "abcd", 4, &error) < 0; break;
        case 1: failed = io_stream_write_bytes (stream, bytes, &error) < 0; break;
        case 2: failed = !io_stream_write_all (stream, (const guint8 *) "abcd", 4, NULL, &error);
                break;
        case 3: failed = !io_stream_writelines (stream, lines, 2, &error); break;
        default: g_assert_not_reached ();
        }
      g_assert_true (failed);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
      g_assert_nonnull (strstr (error->message, "claims more bytes than it was given"));
    }
  g_assert_finalize_object (stream);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Io/FuncsStream/round-trip", test_round_trip);
  g_test_add_func ("/Io/FuncsStream/read-over-count", test_read_over_count);
  g_test_add_func ("/Io/FuncsStream/write-over-count", test_write_over_count);
  g_test_add_func ("/Io/FuncsStream/read-only", test_read_only);
  g_test_add_func ("/Io/FuncsStream/truncate-and-flush", test_truncate_and_flush);
  g_test_add_func ("/Io/FuncsStream/newer-table", test_newer_table);
  g_test_add_func ("/Io/FuncsStream/partial-write/count", test_partial_write_count);
  g_test_add_func ("/Io/FuncsStream/partial-write/flush-close", test_partial_write_flush_close);
  g_test_add_func ("/Io/FuncsStream/partial-write/would-block", test_partial_write_would_block);
  g_test_add_func ("/Io/FuncsStream/partial-write/writelines", test_partial_writelines);
  g_test_add_func ("/Io/FuncsStream/partial-write/write-all", test_write_all);
  g_test_add_func ("/Io/FuncsStream/partial-write/writelines-all", test_writelines_all);
  g_test_add_func ("/Io/FuncsStream/precondition/struct-size", test_precondition_struct_size);

  return g_test_run ();
}
