/* test-stream.c: the invariants IoStream enforces around any backend
 *
 * A scripted backend (TestStream) misbehaves on demand: short reads and
 * writes, counts larger than asked, failures without a GError, errors after
 * partial progress, would-block, failing flush and close.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "libstream.h"
#include "io-stream-lines-private.h"
#include "io-stream-lock-private.h"
#include "test-util.h"

typedef enum {
  READ_OK,
  READ_TOO_MANY,
  READ_FAIL_SILENTLY,
  READ_ERROR_AT,
  READ_WOULD_BLOCK_AT,
} ReadMode;

typedef enum {
  WRITE_OK,
  WRITE_ZERO,
  WRITE_FAIL_SILENTLY,
  WRITE_TOO_MANY,
  WRITE_WOULD_BLOCK_AT,
  WRITE_ERROR_AT,
} WriteMode;

#define TEST_TYPE_STREAM (test_stream_get_type ())
G_DECLARE_FINAL_TYPE (TestStream, test_stream, TEST, STREAM, IoStream)

struct _TestStream
{
  IoStream parent_instance;

  /* Reads come from `source`, at most `chunk` bytes a call. */
  const char *source;
  gsize source_len;
  gsize read_pos;
  gsize chunk;
  ReadMode read_mode;
  gsize fail_at;
  guint read_calls;

  GString *sink;
  WriteMode write_mode;

  gboolean fail_flush;
  gboolean fail_close;
  gboolean busy_close;
  guint close_calls;
  /* Whether the first flush, or the close, closes the stream again. */
  gboolean reentrant_flush;
  gboolean reentrant_close;
  guint flush_calls;
};

G_DEFINE_FINAL_TYPE (TestStream, test_stream, IO_TYPE_STREAM)

static gssize
test_stream_read (IoStream  *stream,
                  guint8    *buffer,
                  gsize      count,
                  GError   **error)
{
  TestStream *self = TEST_STREAM (stream);
  gsize n = MIN (MIN (count, self->chunk), self->source_len - self->read_pos);

  self->read_calls++;
  switch (self->read_mode)
    {
    case READ_TOO_MANY:
      return (gssize) count + 1;
    case READ_FAIL_SILENTLY:
      return -1;
    case READ_ERROR_AT:
    case READ_WOULD_BLOCK_AT:
      if (self->read_pos >= self->fail_at)
        {
          gboolean block = self->read_mode == READ_WOULD_BLOCK_AT;

          /* Fail once, then behave. */
          self->read_mode = READ_OK;
          g_set_error_literal (error, G_IO_ERROR,
                               block ? G_IO_ERROR_WOULD_BLOCK : G_IO_ERROR_CONNECTION_CLOSED,
                               block ? "would block" : "scripted failure");
          return -1;
        }
      n = MIN (n, self->fail_at - self->read_pos);
      break;
    case READ_OK:
      break;
    }

  memcpy (buffer, self->source + self->read_pos, n);
  self->read_pos += n;
  return (gssize) n;
}

static gssize
test_stream_write (IoStream      *stream,
                   const guint8  *buffer,
                   gsize          count,
                   GError       **error)
{
  TestStream *self = TEST_STREAM (stream);
  gsize n = MIN (count, self->chunk);

  switch (self->write_mode)
    {
    case WRITE_ZERO:
      return 0;
    case WRITE_FAIL_SILENTLY:
      return -1;
    case WRITE_TOO_MANY:
      return (gssize) count + 1;
    case WRITE_WOULD_BLOCK_AT:
    case WRITE_ERROR_AT:
      if (self->sink->len >= self->fail_at)
        {
          gboolean block = self->write_mode == WRITE_WOULD_BLOCK_AT;

          g_set_error_literal (error, G_IO_ERROR,
                               block ? G_IO_ERROR_WOULD_BLOCK : G_IO_ERROR_NO_SPACE,
                               block ? "would block" : "disk full");
          return -1;
        }
      n = MIN (n, self->fail_at - self->sink->len);
      break;
    case WRITE_OK:
      break;
    }

  g_string_append_len (self->sink, (const char *) buffer, (gssize) n);
  return (gssize) n;
}

/* A close from inside the flush or close vfunc, which must do nothing. */
static void
close_again (IoStream *stream,
             gboolean  when)
{
  g_assert_false (io_stream_is_closed (stream));
  if (when)
    g_assert_true (io_stream_close (stream, NULL));
}

static gboolean
test_stream_flush (IoStream  *stream,
                   GError   **error)
{
  close_again (stream, ++TEST_STREAM (stream)->flush_calls == 1 &&
                       TEST_STREAM (stream)->reentrant_flush);
  if (TEST_STREAM (stream)->fail_flush)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "flush failed");
      return FALSE;
    }
  return TRUE;
}

static gboolean
test_stream_close (IoStream  *stream,
                   GError   **error)
{
  TestStream *self = TEST_STREAM (stream);

  close_again (stream, ++self->close_calls == 1 && self->reentrant_close);
  if (self->busy_close)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BUSY, "busy");
      return FALSE;
    }
  if (self->fail_close)
    return FALSE; /* without an error: the base class must supply one */
  return TRUE;
}

static void
test_stream_finalize (GObject *object)
{
  g_string_free (TEST_STREAM (object)->sink, TRUE);

  G_OBJECT_CLASS (test_stream_parent_class)->finalize (object);
}

static void
test_stream_class_init (TestStreamClass *klass)
{
  IoStreamClass *stream_class = IO_STREAM_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = test_stream_finalize;
  stream_class->read = test_stream_read;
  stream_class->write = test_stream_write;
  stream_class->flush = test_stream_flush;
  stream_class->close = test_stream_close;
}

static void
test_stream_init (TestStream *self)
{
  self->sink = g_string_new (NULL);
  self->chunk = G_MAXSIZE;
}

static TestStream *
test_stream_new (const char *source,
                 gsize       chunk)
{
  TestStream *self = g_object_new (TEST_TYPE_STREAM, NULL);

  self->source = source;
  self->source_len = strlen (source);
  self->chunk = chunk;
  return self;
}

/* A stream whose class implements nothing but read_chunk, as bindings do. */
#define TEST_TYPE_CHUNK_STREAM (test_chunk_stream_get_type ())
G_DECLARE_FINAL_TYPE (TestChunkStream, test_chunk_stream, TEST, CHUNK_STREAM, IoStream)

struct _TestChunkStream
{
  IoStream parent_instance;
  gboolean return_null;
  gboolean return_too_many;
  gsize served;
};

G_DEFINE_FINAL_TYPE (TestChunkStream, test_chunk_stream, IO_TYPE_STREAM)

static GBytes *
test_chunk_stream_read_chunk (IoStream  *stream,
                              gsize      count,
                              GError   **error)
{
  TestChunkStream *self = TEST_CHUNK_STREAM (stream);
  static const char data[] = "line one\nline two\n";
  gsize n = MIN (MIN (count, 5), sizeof data - 1 - self->served);

  if (self->return_null)
    return NULL;
  if (self->return_too_many)
    return g_bytes_new (data, MIN (count + 1, sizeof data - 1));
  self->served += n;
  return g_bytes_new (data + self->served - n, n);
}

static void
test_chunk_stream_class_init (TestChunkStreamClass *klass)
{
  IO_STREAM_CLASS (klass)->read_chunk = test_chunk_stream_read_chunk;
}

static void
test_chunk_stream_init (TestChunkStream *self)
{
}

static void
test_capabilities_follow_vfuncs (void)
{
  IoStream *stream = g_object_new (TEST_TYPE_CHUNK_STREAM, NULL);
  g_autoptr(GError) error = NULL;
  guint8 buffer[4] = { 0 };

  g_assert_true (io_stream_readable (stream, &error));
  g_assert_false (io_stream_writable (stream, &error));
  g_assert_false (io_stream_seekable (stream, &error));
  g_assert_no_error (error);

  g_assert_cmpint (io_stream_write (stream, buffer, 1, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_cmpint (io_stream_seek (stream, 0, IO_WHENCE_SET, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_cmpint (io_stream_tell (stream, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_cmpint (io_stream_truncate (stream, 0, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_cmpint (io_stream_fileno (stream, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_null (io_stream_peek (stream, 1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_false (io_stream_isatty (stream, &error));
  g_assert_no_error (error);
  g_assert_true (io_stream_flush (stream, &error));
  g_assert_finalize_object (stream);
}

static void
test_read_chunk_backend (void)
{
  IoStream *stream = g_object_new (TEST_TYPE_CHUNK_STREAM, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) line = io_stream_readline (stream, -1, &error);
  g_autoptr(GBytes) rest = io_stream_readall (stream, &error);
  guint8 buffer[4];

  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (line, NULL), g_bytes_get_size (line), "line one\n", 9);
  g_assert_cmpmem (g_bytes_get_data (rest, NULL), g_bytes_get_size (rest), "line two\n", 9);
  g_assert_cmpint (io_stream_read (stream, buffer, sizeof buffer, &error), ==, 0);
  g_assert_finalize_object (stream);
}

static void
test_read_chunk_misbehaving (void)
{
  TestChunkStream *chunks = g_object_new (TEST_TYPE_CHUNK_STREAM, NULL);
  IoStream *stream = IO_STREAM (chunks);
  g_autoptr(GError) error = NULL;
  guint8 buffer[4];

  /* NULL without an error is what a binding returns when its code raised:
   * it must not look like the end of the stream. */
  chunks->return_null = TRUE;
  g_assert_cmpint (io_stream_read (stream, buffer, sizeof buffer, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "read_chunk() returned NULL without an error"));
  g_clear_error (&error);

  chunks->return_null = FALSE;
  chunks->return_too_many = TRUE;
  g_assert_cmpint (io_stream_read1 (stream, buffer, 2, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_finalize_object (stream);
}

static void
test_read_loops_over_short_reads (void)
{
  TestStream *test = test_stream_new ("abcdefghij", 3);
  IoStream *stream = IO_STREAM (test);
  g_autoptr(GError) error = NULL;
  guint8 buffer[16];

  g_assert_cmpint (io_stream_read (stream, buffer, 8, &error), ==, 8);
  g_assert_cmpmem (buffer, 8, "abcdefgh", 8);
  g_assert_cmpuint (test->read_calls, ==, 3);

  test->read_pos = 0;
  test->read_calls = 0;
  g_assert_cmpint (io_stream_read1 (stream, buffer, 8, &error), ==, 3);
  g_assert_cmpuint (test->read_calls, ==, 1);
  g_assert_no_error (error);
  g_assert_finalize_object (stream);
}

static void
test_read_misbehaving_backend (void)
{
  TestStream *test = test_stream_new ("abcdef", 3);
  IoStream *stream = IO_STREAM (test);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) none = NULL;
  guint8 buffer[8];

  test->read_mode = READ_TOO_MANY;
  g_assert_cmpint (io_stream_read (stream, buffer, 4, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "more than the 4 asked for"));
  g_clear_error (&error);

  test->read_mode = READ_FAIL_SILENTLY;
  none = io_stream_read_bytes (stream, -1, &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "TestStream.read() failed without setting an error"));
  g_assert_finalize_object (stream);
}

static void
test_read_error_after_partial (void)
{
  TestStream *test = test_stream_new ("abcdefgh", 3);
  IoStream *stream = IO_STREAM (test);
  g_autoptr(GError) error = NULL;
  guint8 buffer[8];

  /* The bytes before the failure are returned; the error comes next. */
  test->read_mode = READ_ERROR_AT;
  test->fail_at = 4;
  g_assert_cmpint (io_stream_read (stream, buffer, 8, &error), ==, 4);
  g_assert_no_error (error);
  g_assert_cmpmem (buffer, 4, "abcd", 4);
  g_assert_cmpint (io_stream_read (stream, buffer, 8, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
  g_clear_error (&error);
  g_assert_cmpint (io_stream_read (stream, buffer, 8, &error), ==, 4);
  g_assert_cmpmem (buffer, 4, "efgh", 4);
  g_assert_finalize_object (stream);
}

static void
test_readall_error_after_partial (void)
{
  TestStream *test = test_stream_new ("abcdefgh", 3);
  IoStream *stream = IO_STREAM (test);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) failed = NULL;
  g_autoptr(GBytes) rest = NULL;

  test->read_mode = READ_ERROR_AT;
  test->fail_at = 5;
  first = io_stream_readall (stream, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (first, NULL), g_bytes_get_size (first), "abcde", 5);
  failed = io_stream_readline (stream, -1, &error);
  g_assert_null (failed);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
  rest = io_stream_readall (stream, NULL);
  g_assert_cmpmem (g_bytes_get_data (rest, NULL), g_bytes_get_size (rest), "fgh", 3);
  g_assert_finalize_object (stream);
}

static void
test_read_would_block (void)
{
  TestStream *test = test_stream_new ("abcdefgh", 8);
  IoStream *stream = IO_STREAM (test);
  g_autoptr(GError) error = NULL;
  guint8 buffer[8];

  /* Would-block after some data: a short count and no error at all. */
  test->read_mode = READ_WOULD_BLOCK_AT;
  test->fail_at = 3;
  g_assert_cmpint (io_stream_read (stream, buffer, 8, &error), ==, 3);
  g_assert_no_error (error);
  g_assert_cmpint (io_stream_read (stream, buffer, 8, &error), ==, 5);
  g_assert_no_error (error);

  /* With nothing read yet it is an error. */
  test->read_pos = 0;
  test->read_mode = READ_WOULD_BLOCK_AT;
  test->fail_at = 0;
  g_assert_cmpint (io_stream_read (stream, buffer, 8, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
  g_assert_finalize_object (stream);
}

static void
test_readline_without_window (void)
{
  TestStream *test = test_stream_new ("ab\ncd", 16);
  IoStream *stream = IO_STREAM (test);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) first = io_stream_readline (stream, -1, &error);
  g_autoptr(GBytes) second = io_stream_readline (stream, -1, &error);

  g_assert_no_error (error);
  /* Not seekable, no window: one byte a call, so nothing is over-read. */
  g_assert_cmpmem (g_bytes_get_data (first, NULL), g_bytes_get_size (first), "ab\n", 3);
  g_assert_cmpuint (test->read_calls, ==, 3 + 3);
  g_assert_cmpmem (g_bytes_get_data (second, NULL), g_bytes_get_size (second), "cd", 2);
  g_assert_finalize_object (stream);
}

static void
test_write_loops_over_partial_writes (void)
{
  TestStream *test = test_stream_new ("", 3);
  IoStream *stream = IO_STREAM (test);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (io_stream_write (stream, (const guint8 *) "abcdefgh", 8, &error), ==, 8);
  g_assert_no_error (error);
  g_assert_cmpstr (test->sink->str, ==, "abcdefgh");
  g_assert_cmpint (io_stream_write (stream, NULL, 0, &error), ==, 0);
  g_assert_finalize_object (stream);
}

static void
assert_write_fails (TestStream  *test,
                    WriteMode    mode,
                    gint         code,
                    const char  *message_part)
{
  g_autoptr(GError) error = NULL;

  test->write_mode = mode;
  g_assert_cmpint (io_stream_write (IO_STREAM (test), (const guint8 *) "abc", 3, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, code);
  g_assert_nonnull (strstr (error->message, message_part));
}

static void
test_write_misbehaving_backend (void)
{
  TestStream *test = test_stream_new ("", 8);

  assert_write_fails (test, WRITE_ZERO, G_IO_ERROR_FAILED, "wrote nothing");
  assert_write_fails (test, WRITE_FAIL_SILENTLY, G_IO_ERROR_FAILED, "without setting an error");
  assert_write_fails (test, WRITE_TOO_MANY, G_IO_ERROR_FAILED, "more bytes than it was given");
  test->fail_at = 0;
  assert_write_fails (test, WRITE_ERROR_AT, G_IO_ERROR_NO_SPACE, "disk full");
  assert_write_fails (test, WRITE_WOULD_BLOCK_AT, G_IO_ERROR_WOULD_BLOCK, "would block");
  g_assert_finalize_object (test);
}

static void
test_write_would_block_after_partial (void)
{
  TestStream *test = test_stream_new ("", 2);
  IoStream *stream = IO_STREAM (test);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) a = g_bytes_new_static ("abcdef", 6);

  test->write_mode = WRITE_WOULD_BLOCK_AT;
  test->fail_at = 5;
  g_assert_cmpint (io_stream_write (stream, (const guint8 *) "abcdefgh", 8, &error), ==, 5);
  g_assert_no_error (error);
  g_assert_cmpstr (test->sink->str, ==, "abcde");

  /* writelines cannot report a short count: it fails instead. */
  g_string_truncate (test->sink, 0);
  g_assert_false (io_stream_writelines (stream, &a, 1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
  g_assert_finalize_object (stream);
}

static void
test_close_flush_failure_still_closes (void)
{
  TestStream *test = test_stream_new ("", 8);
  IoStream *stream = IO_STREAM (test);
  g_autoptr(GError) error = NULL;
  guint notified = 0;

  g_signal_connect (stream, "notify::closed", G_CALLBACK (test_util_count_notify), &notified);
  test->fail_flush = TRUE;
  g_assert_false (io_stream_close (stream, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_true (io_stream_is_closed (stream));
  g_assert_cmpuint (test->close_calls, ==, 1);
  g_assert_cmpuint (notified, ==, 1);
  g_clear_error (&error);
  g_assert_true (io_stream_close (stream, &error));
  g_assert_cmpuint (test->close_calls, ==, 1);
  g_assert_finalize_object (stream);
}

static void
test_close_failure_still_closes (void)
{
  TestStream *test = test_stream_new ("", 8);
  IoStream *stream = IO_STREAM (test);
  g_autoptr(GError) error = NULL;

  test->fail_close = TRUE;
  g_assert_false (io_stream_close (stream, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "TestStream.close() failed without setting an error"));
  g_assert_true (io_stream_is_closed (stream));
  g_clear_error (&error);
  g_assert_cmpint (io_stream_write (stream, (const guint8 *) "x", 1, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_assert_finalize_object (stream);
}

static void
test_close_busy_stays_open (void)
{
  TestStream *test = test_stream_new ("", 8);
  IoStream *stream = IO_STREAM (test);
  g_autoptr(GError) error = NULL;

  test->busy_close = TRUE;
  g_assert_false (io_stream_close (stream, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_assert_false (io_stream_is_closed (stream));
  g_clear_error (&error);
  g_assert_cmpint (io_stream_write (stream, (const guint8 *) "x", 1, &error), ==, 1);
  test->busy_close = FALSE;
  g_assert_true (io_stream_close (stream, &error));
  g_assert_cmpuint (test->close_calls, ==, 2);
  g_assert_finalize_object (stream);
}

/* A close from inside the flush or close vfunc does nothing: each vfunc
 * runs once, on the open stream, and the outer close finishes. */
static void
test_close_reentrant (void)
{
  for (guint i = 0; i < 2; i++)
    {
      TestStream *test = test_stream_new ("", 8);
      g_autoptr(GError) error = NULL;
      guint notified = 0;

      test->reentrant_flush = i == 0;
      test->reentrant_close = i == 1;
      g_signal_connect (test, "notify::closed", G_CALLBACK (test_util_count_notify), &notified);
      g_assert_true (io_stream_close (IO_STREAM (test), &error));
      g_assert_no_error (error);
      g_assert_true (io_stream_is_closed (IO_STREAM (test)));
      g_assert_cmpuint (test->flush_calls, ==, 1);
      g_assert_cmpuint (test->close_calls, ==, 1);
      g_assert_cmpuint (notified, ==, 1);
      g_assert_finalize_object (test);
    }
}

static void
test_dispose_closes_once (void)
{
  TestStream *test = test_stream_new ("", 8);
  guint calls;

  g_object_run_dispose (G_OBJECT (test));
  calls = test->close_calls;
  g_assert_cmpuint (calls, ==, 1);
  g_assert_true (io_stream_is_closed (IO_STREAM (test)));
  g_assert_finalize_object (test);
}

static void
test_dispose_close_failure_warns (void)
{
  if (g_test_subprocess ())
    {
      TestStream *test = test_stream_new ("", 8);

      test->fail_flush = TRUE;
      g_object_unref (test);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*WARNING*Error closing TestStream*while disposing it: flush failed*");
}

/* A type that requires explicit closing (a JavaScript backend's): dispose
 * warns and calls no vfunc. In a subprocess, as the mark is for good. */
static void
test_dispose_explicit_close_warns (void)
{
  if (g_test_subprocess ())
    {
      TestStream *test = test_stream_new ("", 8);
      TestStream *closed = test_stream_new ("", 8);

      io_stream_require_explicit_close (G_OBJECT_TYPE (test));
      /* The warning is checked by the parent. */
      g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
      g_object_run_dispose (G_OBJECT (test));
      g_assert_cmpuint (test->flush_calls, ==, 0);
      g_assert_cmpuint (test->close_calls, ==, 0);
      g_assert_false (io_stream_is_closed (IO_STREAM (test)));
      g_assert_finalize_object (test);

      /* Closed in time, it is disposed in silence. */
      test_util_close_ok (IO_STREAM (closed));
      g_assert_finalize_object (closed);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("\n(*): Io-WARNING **: *: TestStream 0x* was disposed while open and "
                             "is left unclosed: a stream of this type must be closed explicitly "
                             "with close()\n");
}

static void
test_invalid_arguments (void)
{
  TestStream *test = test_stream_new ("abc", 8);
  IoStream *stream = IO_STREAM (test);
  GError *error = NULL;
  gsize len;

  g_assert_null (io_stream_read_array (stream, -2, &len, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (io_stream_read1_array (stream, -5, &len, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (io_stream_readline_array (stream, G_MINSSIZE, &len, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (io_stream_readlines_joined (stream, -2, &len, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_cmpint (io_stream_write (stream, (const guint8 *) "x", (gsize) G_MAXSSIZE + 1, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_finalize_object (stream);
}

/* Every public method called with NULL for the stream: a critical naming
 * the method, and the error value, never a crash. */
static gboolean
null_read (void)
{
  guint8 b[1];
  return io_stream_read (NULL, b, 1, NULL) == -1;
}

static gboolean
null_read1 (void)
{
  guint8 b[1];
  return io_stream_read1 (NULL, b, 1, NULL) == -1;
}

static gboolean
null_read_bytes (void)
{
  return io_stream_read_bytes (NULL, 4, NULL) == NULL;
}

static gboolean
null_peek (void)
{
  return io_stream_peek (NULL, 4, NULL) == NULL;
}

static gboolean
null_readline_array (void)
{
  gsize n;
  return io_stream_readline_array (NULL, -1, &n, NULL) == NULL;
}

static gboolean
null_readline_into (void)
{
  guint8 *line = NULL;
  gsize cap = 0;
  return io_stream_readline_into (NULL, -1, &line, &cap, NULL) == -1;
}

static gboolean
null_getc (void)
{
  return io_stream_getc (NULL, NULL) == -1;
}

static gboolean
null_readlines (void)
{
  return io_stream_readlines (NULL, -1, NULL) == NULL;
}

static gboolean
null_write (void)
{
  return io_stream_write (NULL, (const guint8 *) "x", 1, NULL) == -1;
}

static gboolean
null_writelines (void)
{
  return !io_stream_writelines (NULL, NULL, 0, NULL);
}

static gboolean
null_seek (void)
{
  return io_stream_seek (NULL, 0, IO_WHENCE_SET, NULL) == -1;
}

static gboolean
null_tell (void)
{
  return io_stream_tell (NULL, NULL) == -1;
}

static gboolean
null_truncate (void)
{
  return io_stream_truncate (NULL, 0, NULL) == -1;
}

static gboolean
null_flush (void)
{
  return !io_stream_flush (NULL, NULL);
}

static gboolean
null_close (void)
{
  return !io_stream_close (NULL, NULL);
}

static gboolean
null_is_closed (void)
{
  return io_stream_is_closed (NULL);
}

static gboolean
null_readable (void)
{
  return !io_stream_readable (NULL, NULL);
}

static gboolean
null_fileno (void)
{
  return io_stream_fileno (NULL, NULL) == -1;
}

typedef struct
{
  const char *method;
  gboolean (*call) (void);
} NullCall;

static const NullCall null_calls[] = {
  { "io_stream_read", null_read },
  { "io_stream_read1", null_read1 },
  { "io_stream_read_bytes", null_read_bytes },
  { "io_stream_peek", null_peek },
  { "io_stream_readline_array", null_readline_array },
  { "io_stream_readline_into", null_readline_into },
  { "io_stream_getc", null_getc },
  { "io_stream_readlines", null_readlines },
  { "io_stream_write", null_write },
  { "io_stream_writelines", null_writelines },
  { "io_stream_seek", null_seek },
  { "io_stream_tell", null_tell },
  { "io_stream_truncate", null_truncate },
  { "io_stream_flush", null_flush },
  { "io_stream_close", null_close },
  { "io_stream_is_closed", null_is_closed },
  { "io_stream_readable", null_readable },
  { "io_stream_fileno", null_fileno }
};

static void
test_precondition_null_stream (gconstpointer data)
{
  const NullCall *call = data;
  g_autofree char *expected = NULL;

  if (g_test_subprocess ())
    {
      g_assert_true (call->call ());
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  expected = g_strdup_printf ("*CRITICAL*%s*IO_IS_STREAM (self)*", call->method);
  g_test_trap_assert_stderr (expected);
}

static void
test_precondition_null_buffer (void)
{
  if (g_test_subprocess ())
    {
      IoStream *stream = io_memory_stream_new (NULL, 0);

      g_assert_cmpint (io_stream_write (stream, NULL, 4, NULL), ==, -1);
      g_object_unref (stream);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CRITICAL*io_stream_write*buffer != NULL || count == 0*");
}

static void
test_precondition_not_a_stream (void)
{
  if (g_test_subprocess ())
    {
      GObject *object = g_object_new (G_TYPE_OBJECT, NULL);

      g_assert_cmpint (io_stream_tell ((IoStream *) object, NULL), ==, -1);
      g_object_unref (object);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CRITICAL*io_stream_tell*IO_IS_STREAM (self)*");
}

/* A backend whose positioning, peek, flush and fileno vfuncs lie: each
 * reports failure without an error, or a result it was not asked for. */
typedef enum {
  LIE_NONE,
  LIE_NEGATIVE,
  LIE_NULL_PEEK,
  LIE_PEEK_TOO_MANY,
  LIE_TRUNCATE_OTHER_SIZE,
  LIE_CLOSE_IN_FILENO,    /* not a lie: fileno closes the stream */
} LieMode;

#define TEST_TYPE_LIAR (test_liar_get_type ())
G_DECLARE_FINAL_TYPE (TestLiar, test_liar, TEST, LIAR, IoStream)

struct _TestLiar
{
  IoStream parent_instance;
  LieMode lie;
  int fd;
  guint calls_when_closed;
};

G_DEFINE_FINAL_TYPE (TestLiar, test_liar, IO_TYPE_STREAM)

static gssize
test_liar_read (IoStream  *stream,
                guint8    *buffer,
                gsize      count,
                GError   **error)
{
  return 0;
}

static gssize
test_liar_write (IoStream      *stream,
                 const guint8  *buffer,
                 gsize          count,
                 GError       **error)
{
  return (gssize) count;
}

static gint64
test_liar_seek (IoStream  *stream,
                gint64     offset,
                IoWhence   whence,
                GError   **error)
{
  return TEST_LIAR (stream)->lie == LIE_NEGATIVE ? -5 : 0;
}

static gint64
test_liar_tell (IoStream  *stream,
                GError   **error)
{
  if (io_stream_is_closed (stream))
    TEST_LIAR (stream)->calls_when_closed++;
  return TEST_LIAR (stream)->lie == LIE_NEGATIVE ? -1 : 3;
}

static gint64
test_liar_truncate (IoStream  *stream,
                    gint64     size,
                    GError   **error)
{
  switch (TEST_LIAR (stream)->lie)
    {
    case LIE_NEGATIVE:
      return -2;
    case LIE_TRUNCATE_OTHER_SIZE:
      return size + 1;
    default:
      return size;
    }
}

static GBytes *
test_liar_peek (IoStream  *stream,
                gsize      count,
                GError   **error)
{
  switch (TEST_LIAR (stream)->lie)
    {
    case LIE_NULL_PEEK:
      return NULL;
    case LIE_PEEK_TOO_MANY:
      return g_bytes_new_take (g_malloc0 (count + 1), count + 1);
    default:
      return g_bytes_new ("x", 1);
    }
}

static gboolean
test_liar_flush (IoStream  *stream,
                 GError   **error)
{
  return TEST_LIAR (stream)->lie != LIE_NEGATIVE;
}

static int
test_liar_fileno (IoStream  *stream,
                  GError   **error)
{
  if (TEST_LIAR (stream)->lie == LIE_CLOSE_IN_FILENO)
    {
      g_assert_true (io_stream_close (stream, NULL));
      return TEST_LIAR (stream)->fd;
    }
  return TEST_LIAR (stream)->lie == LIE_NEGATIVE ? -1 : 7;
}

static void
test_liar_class_init (TestLiarClass *klass)
{
  IoStreamClass *stream_class = IO_STREAM_CLASS (klass);

  stream_class->read = test_liar_read;
  stream_class->write = test_liar_write;
  stream_class->seek = test_liar_seek;
  stream_class->tell = test_liar_tell;
  stream_class->truncate = test_liar_truncate;
  stream_class->peek = test_liar_peek;
  stream_class->flush = test_liar_flush;
  stream_class->fileno = test_liar_fileno;
}

static void
test_liar_init (TestLiar *self)
{
}

static void
assert_lie_caught (GError     *error,
                   const char *vfunc)
{
  g_autofree char *name = g_strdup_printf ("TestLiar.%s()", vfunc);

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_true (g_str_has_prefix (error->message, name));
}

/* A vfunc that fails without an error, or returns what it was not asked
 * for, fails the call with G_IO_ERROR_FAILED naming the vfunc; the same
 * vfuncs telling the truth pass their results through. */
static void
test_lying_vfuncs (void)
{
  TestLiar *liar = g_object_new (TEST_TYPE_LIAR, NULL);
  IoStream *stream = IO_STREAM (liar);
  GError *error = NULL;
  GBytes *bytes;

  g_assert_cmpint (io_stream_seek (stream, 0, IO_WHENCE_SET, &error), ==, 0);
  g_assert_cmpint (io_stream_tell (stream, &error), ==, 3);
  g_assert_cmpint (io_stream_truncate (stream, 9, &error), ==, 9);
  g_assert_cmpint (io_stream_truncate (stream, -1, &error), ==, 3);
  bytes = io_stream_peek (stream, 4, &error);
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, 1);
  g_bytes_unref (bytes);
  g_assert_true (io_stream_flush (stream, &error));
  g_assert_cmpint (io_stream_fileno (stream, &error), ==, 7);
  g_assert_no_error (error);

  liar->lie = LIE_NEGATIVE;
  g_assert_cmpint (io_stream_seek (stream, 0, IO_WHENCE_END, &error), ==, -1);
  assert_lie_caught (error, "seek");
  g_clear_error (&error);
  g_assert_cmpint (io_stream_tell (stream, &error), ==, -1);
  assert_lie_caught (error, "tell");
  g_clear_error (&error);
  g_assert_cmpint (io_stream_truncate (stream, 4, &error), ==, -1);
  assert_lie_caught (error, "truncate");
  g_clear_error (&error);
  g_assert_false (io_stream_flush (stream, &error));
  assert_lie_caught (error, "flush");
  g_clear_error (&error);
  g_assert_cmpint (io_stream_fileno (stream, &error), ==, -1);
  assert_lie_caught (error, "fileno");
  g_clear_error (&error);

  liar->lie = LIE_TRUNCATE_OTHER_SIZE;
  g_assert_cmpint (io_stream_truncate (stream, 4, &error), ==, -1);
  assert_lie_caught (error, "truncate");
  g_clear_error (&error);

  liar->lie = LIE_NULL_PEEK;
  g_assert_null (io_stream_peek (stream, 4, &error));
  assert_lie_caught (error, "peek");
  g_clear_error (&error);

  liar->lie = LIE_PEEK_TOO_MANY;
  g_assert_null (io_stream_peek (stream, 4, &error));
  assert_lie_caught (error, "peek");
  g_clear_error (&error);

  /* Closing flushes: the stream is closed all the same, and says why. */
  liar->lie = LIE_NEGATIVE;
  g_assert_false (io_stream_close (stream, &error));
  assert_lie_caught (error, "flush");
  g_clear_error (&error);
  g_assert_true (io_stream_is_closed (stream));
  g_assert_finalize_object (liar);
}

/* readall() sizes its buffer from the regular file under the stream, with
 * a fileno and a tell: a fileno that closes the stream stops it before the
 * tell, and readall() fails with CLOSED. */
static void
test_readall_fileno_closes (void)
{
  TestLiar *liar = g_object_new (TEST_TYPE_LIAR, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  liar->fd = g_file_open_tmp ("io-stream-XXXXXX", &path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (write (liar->fd, "abcdefgh", 8), ==, 8);
  liar->lie = LIE_CLOSE_IN_FILENO;

  g_assert_null (io_stream_readall (IO_STREAM (liar), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_assert_cmpuint (liar->calls_when_closed, ==, 0);
  close (liar->fd);
  g_unlink (path);
  g_assert_finalize_object (liar);
}

/* _io_stream_take_window_line(), the Python accelerator's line maker: a
 * line the window holds whole goes to the taker and is consumed; anything
 * else (no whole line, a taker that declines, a closed stream, a stream
 * another thread holds) is left to the ordinary call, without waiting. */
static gpointer
take_line_copy (const guint8 *data,
                gsize         len,
                gpointer      user_data)
{
  return user_data == NULL ? g_strndup ((const char *) data, len) : NULL;
}

static gpointer
hold_stream_in_thread (gpointer data)
{
  TestUtilGate *gate = g_object_get_data (data, "gate");

  g_assert_true (io_stream_lock (data, NULL));
  test_util_gate_enter (gate);
  io_stream_unlock (data);
  return NULL;
}

static void
test_take_window_line (void)
{
  IoStream *stream = test_util_memory_stream_new ("ab\ncdef\ngh");
  TestUtilGate gate = TEST_UTIL_GATE_INIT;
  g_autoptr(GError) error = NULL;
  GThread *thread;
  char *line;

  line = _io_stream_take_window_line (stream, -1, take_line_copy, NULL);
  g_assert_cmpstr (line, ==, "ab\n");
  g_free (line);
  line = _io_stream_take_window_line (stream, 2, take_line_copy, NULL);
  g_assert_cmpstr (line, ==, "cd");
  g_free (line);

  /* A taker that declines leaves the line where it was. */
  g_assert_null (_io_stream_take_window_line (stream, -1, take_line_copy, stream));
  g_assert_cmpint (io_stream_tell (stream, &error), ==, 5);
  g_assert_null (_io_stream_take_window_line (stream, 0, take_line_copy, NULL));
  g_assert_null (_io_stream_take_window_line (stream, -2, take_line_copy, NULL));
  line = _io_stream_take_window_line (stream, -1, take_line_copy, NULL);
  g_assert_cmpstr (line, ==, "ef\n");
  g_free (line);

  /* A last line without its newline is the ordinary call's. */
  g_assert_null (_io_stream_take_window_line (stream, -1, take_line_copy, NULL));
  g_assert_cmpint (io_stream_tell (stream, &error), ==, 8);
  line = _io_stream_take_window_line (stream, 2, take_line_copy, NULL);
  g_assert_cmpstr (line, ==, "gh");
  g_free (line);

  /* Held by another thread: NULL at once, nothing consumed. */
  g_assert_cmpint (io_stream_seek (stream, 0, IO_WHENCE_SET, &error), ==, 0);
  g_object_set_data (G_OBJECT (stream), "gate", &gate);
  thread = g_thread_new ("holder", hold_stream_in_thread, stream);
  test_util_gate_wait_inside (&gate);
  g_assert_null (_io_stream_take_window_line (stream, -1, take_line_copy, NULL));
  test_util_gate_open (&gate);
  g_thread_join (thread);
  test_util_gate_clear (&gate);
  g_assert_cmpint (io_stream_tell (stream, &error), ==, 0);

  test_util_close_ok (stream);
  g_assert_null (_io_stream_take_window_line (stream, -1, take_line_copy, NULL));
  g_assert_finalize_object (stream);
}

/* _io_stream_try_lock(), the accelerator's lock that never waits: the
 * calling thread's when the stream is free or its own lock, nested like
 * io_stream_lock(); FALSE at once while another thread holds it. */
static gpointer
try_lock_in_thread (gpointer data)
{
  gboolean locked = _io_stream_try_lock (data);

  if (locked)
    io_stream_unlock (data);
  return GINT_TO_POINTER (locked);
}

/* A read callback that records what _io_stream_try_lock() says inside
 * the call, giving back what it took. */
typedef struct
{
  IoStream *stream;
  gboolean locked;
} TryInside;

static gssize
try_lock_inside_read (gpointer   user_data,
                      guint8    *buffer,
                      gsize      count,
                      GError   **error)
{
  TryInside *inside = user_data;

  inside->locked = _io_stream_try_lock (inside->stream);
  if (inside->locked)
    io_stream_unlock (inside->stream);
  return 0;
}

static void
test_try_lock (void)
{
  IoStream *stream = test_util_memory_stream_new ("abcdef");
  TestUtilGate gate = TEST_UTIL_GATE_INIT;
  g_autoptr(GError) error = NULL;
  guint8 two[2];
  GThread *thread;

  g_assert_true (_io_stream_try_lock (stream));
  g_assert_true (_io_stream_try_lock (stream));
  g_assert_false (GPOINTER_TO_INT (g_thread_join (g_thread_new ("other", try_lock_in_thread,
                                                                stream))));
  /* The owner's calls pass meanwhile. */
  g_assert_cmpint (io_stream_read (stream, two, 2, &error), ==, 2);
  io_stream_unlock (stream);
  g_assert_false (GPOINTER_TO_INT (g_thread_join (g_thread_new ("other", try_lock_in_thread,
                                                                stream))));
  io_stream_unlock (stream);
  g_assert_true (GPOINTER_TO_INT (g_thread_join (g_thread_new ("other", try_lock_in_thread,
                                                               stream))));

  /* Held by another thread: FALSE at once, and nothing owed. */
  g_object_set_data (G_OBJECT (stream), "gate", &gate);
  thread = g_thread_new ("holder", hold_stream_in_thread, stream);
  test_util_gate_wait_inside (&gate);
  g_assert_false (_io_stream_try_lock (stream));
  test_util_gate_open (&gate);
  g_thread_join (thread);
  test_util_gate_clear (&gate);
  g_assert_true (_io_stream_try_lock (stream));
  io_stream_unlock (stream);

  /* A nested lock of the same thread. */
  g_assert_true (io_stream_lock (stream, &error));
  g_assert_true (_io_stream_try_lock (stream));
  io_stream_unlock (stream);
  io_stream_unlock (stream);
  g_assert_true (GPOINTER_TO_INT (g_thread_join (g_thread_new ("other", try_lock_in_thread,
                                                               stream))));
  g_assert_cmpint (io_stream_tell (stream, &error), ==, 2);
  g_assert_finalize_object (stream);
}

/* Inside a call of its own, which gives the stream back when it returns,
 * the thread gets FALSE, as io_stream_lock() refuses; inside a call made
 * under its lock, the lock nests. */
static void
test_try_lock_inside_call (void)
{
  static const IoStreamFuncs funcs = {
    .struct_size = sizeof (IoStreamFuncs),
    .read = try_lock_inside_read,
  };
  g_autoptr(GError) error = NULL;
  TryInside inside = { NULL, TRUE };
  guint8 one;

  inside.stream = io_stream_new_from_funcs (&funcs, &inside, NULL);
  g_assert_cmpint (io_stream_read1 (inside.stream, &one, 1, &error), ==, 0);
  g_assert_false (inside.locked);
  g_assert_true (GPOINTER_TO_INT (g_thread_join (g_thread_new ("other", try_lock_in_thread,
                                                               inside.stream))));

  g_assert_true (io_stream_lock (inside.stream, &error));
  g_assert_cmpint (io_stream_read1 (inside.stream, &one, 1, &error), ==, 0);
  g_assert_true (inside.locked);
  io_stream_unlock (inside.stream);
  g_assert_true (GPOINTER_TO_INT (g_thread_join (g_thread_new ("other", try_lock_in_thread,
                                                               inside.stream))));
  g_assert_no_error (error);
  g_assert_finalize_object (inside.stream);
}

/* _io_stream_window_untaken(): the window is the caller's to read and move
 * in a process with one thread while nobody holds the stream, and in no
 * other case. In a subprocess, which has one thread until the test starts
 * one (glibc's flag; where it is missing, never). */
static void
test_window_untaken (void)
{
  if (g_test_subprocess ())
    {
      IoStream *stream = test_util_memory_stream_new ("ab\ncd\n");
      g_autoptr(GError) error = NULL;
      IoWindowLines lines;
      IoStreamWindow *window;
      GThread *thread;

      _io_window_lines_init (&lines);
      if (*lines.single_threaded == 0)
        {
          g_assert_null (_io_stream_window_untaken (&lines, stream));
          g_assert_finalize_object (stream);
          return;
        }
      window = _io_stream_window_untaken (&lines, stream);
      g_assert_nonnull (window);
      g_assert_cmpuint (io_window_line_length (window, -1), ==, 3);
      window->pos += 3;
      g_assert_cmpint (io_stream_tell (stream, &error), ==, 3);

      /* Held, even by this thread: the call must take it. */
      g_assert_true (io_stream_lock (stream, &error));
      g_assert_null (_io_stream_window_untaken (&lines, stream));
      io_stream_unlock (stream);
      g_assert_true (_io_stream_window_untaken (&lines, stream) == window);

      /* Once a second thread has run, never again. */
      thread = g_thread_new ("second", (GThreadFunc) g_strdup, "");
      g_free (g_thread_join (thread));
      g_assert_null (_io_stream_window_untaken (&lines, stream));

      /* Closed, the window is withdrawn: no line there. */
      test_util_close_ok (stream);
      g_assert_cmpuint (io_window_line_length (window, -1), ==, 0);
      g_assert_finalize_object (stream);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Io/Stream/capabilities-follow-vfuncs", test_capabilities_follow_vfuncs);
  g_test_add_func ("/Io/Stream/read-chunk/backend", test_read_chunk_backend);
  g_test_add_func ("/Io/Stream/read-chunk/misbehaving", test_read_chunk_misbehaving);
  g_test_add_func ("/Io/Stream/read/loops-over-short-reads", test_read_loops_over_short_reads);
  g_test_add_func ("/Io/Stream/read/misbehaving-backend", test_read_misbehaving_backend);
  g_test_add_func ("/Io/Stream/read/error-after-partial", test_read_error_after_partial);
  g_test_add_func ("/Io/Stream/readall/error-after-partial", test_readall_error_after_partial);
  g_test_add_func ("/Io/Stream/read/would-block", test_read_would_block);
  g_test_add_func ("/Io/Stream/readline/without-window", test_readline_without_window);
  g_test_add_func ("/Io/Stream/readline/take-window-line", test_take_window_line);
  g_test_add_func ("/Io/Stream/lock/try-lock", test_try_lock);
  g_test_add_func ("/Io/Stream/lock/try-lock-inside-call", test_try_lock_inside_call);
  g_test_add_func ("/Io/Stream/readline/window-untaken", test_window_untaken);
  g_test_add_func ("/Io/Stream/write/loops-over-partial-writes", test_write_loops_over_partial_writes);
  g_test_add_func ("/Io/Stream/write/misbehaving-backend", test_write_misbehaving_backend);
  g_test_add_func ("/Io/Stream/write/would-block-after-partial", test_write_would_block_after_partial);
  g_test_add_func ("/Io/Stream/close/flush-failure-still-closes", test_close_flush_failure_still_closes);
  g_test_add_func ("/Io/Stream/close/failure-still-closes", test_close_failure_still_closes);
  g_test_add_func ("/Io/Stream/close/busy-stays-open", test_close_busy_stays_open);
  g_test_add_func ("/Io/Stream/close/reentrant", test_close_reentrant);
  g_test_add_func ("/Io/Stream/dispose/closes-once", test_dispose_closes_once);
  g_test_add_func ("/Io/Stream/dispose/close-failure-warns", test_dispose_close_failure_warns);
  g_test_add_func ("/Io/Stream/dispose/explicit-close-warns", test_dispose_explicit_close_warns);
  g_test_add_func ("/Io/Stream/invalid-arguments", test_invalid_arguments);
  g_test_add_func ("/Io/Stream/lying-vfuncs", test_lying_vfuncs);
  g_test_add_func ("/Io/Stream/readall/fileno-closes", test_readall_fileno_closes);
  for (guint i = 0; i < G_N_ELEMENTS (null_calls); i++)
    {
      g_autofree char *path = g_strdup_printf ("/Io/Stream/precondition/null-stream/%s",
                                               null_calls[i].method);

      g_test_add_data_func (path, &null_calls[i], test_precondition_null_stream);
    }
  g_test_add_func ("/Io/Stream/precondition/null-buffer", test_precondition_null_buffer);
  g_test_add_func ("/Io/Stream/precondition/not-a-stream", test_precondition_not_a_stream);

  return g_test_run ();
}
