/* test-buffered-writer.c: IoBufferedWriter, CPython's io.BufferedWriter
 * over any stream, proved by counting the raw stream's calls
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <errno.h>
#include <string.h>

#include "libstream.h"
#include "test-buffered-raw.h"
#include "test-util.h"

/* A writer with a buffer of @size over an empty raw, which the writer
 * holds the only reference on. */
static IoStream *
new_writer (TestRaw **raw,
            gsize     size)
{
  g_autoptr (GError) error = NULL;
  IoStream *writer;

  *raw = test_raw_new ("", 0);
  writer = io_buffered_writer_new (IO_STREAM (*raw), size, &error);
  g_assert_no_error (error);
  g_assert_true (IO_IS_BUFFERED_WRITER (writer));
  g_object_unref (*raw);
  return writer;
}

static void
write_ok (IoStream   *stream,
          const char *text)
{
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (io_stream_write (stream, (const guint8 *) text, strlen (text), &error), ==,
                   (gssize) strlen (text));
  g_assert_no_error (error);
}

static void
test_properties (void)
{
  TestRaw *raw;
  g_autoptr (IoStream) writer = new_writer (&raw, 32);
  g_autoptr (GError) error = NULL;
  guint8 byte;

  g_assert_true (io_buffered_writer_get_raw (IO_BUFFERED_WRITER (writer)) == IO_STREAM (raw));
  g_assert_cmpuint (io_buffered_writer_get_buffer_size (IO_BUFFERED_WRITER (writer)), ==, 32);
  g_assert_false (io_stream_readable (writer, NULL));
  g_assert_true (io_stream_writable (writer, NULL));
  g_assert_cmpint (io_stream_read (writer, &byte, 1, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
}

static void
test_construction_errors (void)
{
  g_autoptr (TestRaw) raw = test_raw_new ("", 0);
  g_autoptr (GError) error = NULL;

  raw->writable = FALSE;
  g_assert_null (io_buffered_writer_new (IO_STREAM (raw), 8, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_cmpstr (error->message, ==, "File or stream is not writable.");
}

/* Writes that fit are copied; nothing reaches the raw before a flush,
 * which writes everything at once and does not flush the raw. */
static void
test_small_writes_copied (void)
{
  TestRaw *raw;
  g_autoptr (IoStream) writer = new_writer (&raw, 16);
  g_autoptr (GError) error = NULL;

  write_ok (writer, "abc");
  write_ok (writer, "defgh");
  g_assert_cmpuint (raw->writes, ==, 0);
  g_assert_cmpint (io_stream_tell (writer, NULL), ==, 8);
  g_assert_true (io_stream_flush (writer, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (raw->writes, ==, 1);
  g_assert_cmpuint (raw->flushes, ==, 0);
  test_raw_assert_data (raw, "abcdefgh", 8);
  g_assert_true (io_stream_flush (writer, &error));
  g_assert_cmpuint (raw->writes, ==, 1);
}

/* A write that does not fit flushes the buffer; one larger than the
 * buffer then goes straight to the raw. */
static void
test_large_write_through (void)
{
  TestRaw *raw;
  g_autoptr (IoStream) writer = new_writer (&raw, 8);

  write_ok (writer, "abc");
  write_ok (writer, "0123456789");
  g_assert_cmpuint (raw->writes, ==, 2);
  g_assert_cmpuint (raw->last_write_count, ==, 10);
  test_raw_assert_data (raw, "abc0123456789", 13);
  /* Does not fit, no larger than the buffer: flushed, then copied. */
  write_ok (writer, "xyz12");
  write_ok (writer, "ABCDEF");
  g_assert_cmpuint (raw->writes, ==, 3);
  test_util_close_ok (writer);
  test_raw_assert_data (raw, "abc0123456789xyz12ABCDEF", 24);
}

static void
test_short_raw_writes_retried (void)
{
  TestRaw *raw;
  g_autoptr (IoStream) writer = new_writer (&raw, 8);

  raw->max_write = 3;
  write_ok (writer, "abcdef");
  write_ok (writer, "ghijklmnopqrstuvwxyz");
  test_util_close_ok (writer);
  test_raw_assert_data (raw, "abcdefghijklmnopqrstuvwxyz", 26);
}

static void
test_eintr_retried (void)
{
  TestRaw *raw;
  g_autoptr (IoStream) writer = new_writer (&raw, 8);

  write_ok (writer, "abcdef");
  raw->eintr_calls = 2;
  g_assert_true (io_stream_flush (writer, NULL));
  raw->eintr_calls = 1;
  write_ok (writer, "0123456789");
  test_raw_assert_data (raw, "abcdef0123456789", 16);
}

/* seek, truncate, detach and close flush first. */
static void
test_flush_before_positioning (void)
{
  TestRaw *raw;
  IoStream *writer = new_writer (&raw, 16);
  g_autoptr (IoStream) back = NULL;

  g_object_ref (raw);
  write_ok (writer, "hello world");
  test_util_seek_to (writer, 6, IO_WHENCE_SET, 6);
  test_raw_assert_data (raw, "hello world", 11);
  write_ok (writer, "W");
  g_assert_cmpint (io_stream_truncate (writer, -1, NULL), ==, 7);
  test_raw_assert_data (raw, "hello W", 7);
  write_ok (writer, "!");
  back = io_filter_stream_detach (IO_FILTER_STREAM (writer), NULL);
  g_assert_true (back == IO_STREAM (raw));
  test_raw_assert_data (raw, "hello W!", 8);
  g_assert_finalize_object (writer);
  g_assert_false (io_stream_is_closed (back));
  g_object_unref (raw);
}

/* close() flushes, closes the raw even when the flush failed, and
 * reports the flush error. */
static void
test_close_after_failed_flush (void)
{
  TestRaw *raw;
  g_autoptr (IoStream) writer = new_writer (&raw, 16);
  g_autoptr (GError) error = NULL;

  write_ok (writer, "data");
  raw->write_error = G_IO_ERROR_NO_SPACE;
  raw->close_error = G_IO_ERROR_PERMISSION_DENIED;
  g_assert_false (io_stream_close (writer, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_true (io_stream_is_closed (writer));
  g_assert_true (io_stream_is_closed (IO_STREAM (raw)));
  g_assert_cmpuint (raw->closes, ==, 1);
}

/* A failed flush keeps the bytes it could not write for the next one. */
static void
test_failed_flush_keeps_data (void)
{
  TestRaw *raw;
  g_autoptr (IoStream) writer = new_writer (&raw, 16);
  g_autoptr (GError) error = NULL;

  write_ok (writer, "abcdefgh");
  raw->max_write = 3;
  raw->write_room = 5;
  g_assert_false (io_stream_flush (writer, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
  test_raw_assert_data (raw, "abcde", 5);
  g_assert_cmpint (io_stream_tell (writer, NULL), ==, 8);
  raw->write_room = -1;
  g_assert_true (io_stream_flush (writer, NULL));
  test_raw_assert_data (raw, "abcdefgh", 8);
}

/* A raw that would block: a write reports how many bytes the buffer took
 * (CPython's characters_written), WOULD_BLOCK when none. */
static void
test_would_block (void)
{
  TestRaw *raw;
  g_autoptr (IoStream) writer = new_writer (&raw, 8);
  g_autoptr (GError) error = NULL;

  raw->write_room = 2;
  write_ok (writer, "abcdef");
  /* The flush writes 2 bytes and blocks: 4 more bytes fit behind the 4
   * left. */
  g_assert_cmpint (io_stream_write (writer, (const guint8 *) "ghijklmn", 8, &error), ==, 4);
  g_assert_no_error (error);
  g_assert_cmpint (io_stream_write (writer, (const guint8 *) "klmn", 4, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
  g_clear_error (&error);
  raw->write_room = -1;
  test_util_close_ok (writer);
  test_raw_assert_data (raw, "abcdefghij", 10);
}

/* A raw that would block at once under a write larger than the buffer:
 * the buffer takes what it can. */
static void
test_would_block_large_write (void)
{
  TestRaw *raw;
  g_autoptr (IoStream) writer = new_writer (&raw, 4);
  g_autoptr (GError) error = NULL;

  raw->write_room = 0;
  g_assert_cmpint (io_stream_write (writer, (const guint8 *) "0123456789", 10, &error), ==, 4);
  g_assert_no_error (error);
  raw->write_room = -1;
  test_util_close_ok (writer);
  test_raw_assert_data (raw, "0123", 4);
}

static void
test_raw_error_reported (void)
{
  TestRaw *raw;
  g_autoptr (IoStream) writer = new_writer (&raw, 4);
  g_autoptr (GError) error = NULL;

  raw->write_error = G_IO_ERROR_NO_SPACE;
  write_ok (writer, "ab");
  g_assert_cmpint (io_stream_write (writer, (const guint8 *) "cdefgh", 6, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  raw->write_error = -1;
  test_util_close_ok (writer);
  test_raw_assert_data (raw, "ab", 2);
}

/* Dropping a writer that holds data flushes it. */
static void
test_dispose_flushes (void)
{
  TestRaw *raw = test_raw_new ("", 0);
  IoStream *writer = io_buffered_writer_new (IO_STREAM (raw), 16, NULL);

  write_ok (writer, "kept");
  g_assert_finalize_object (writer);
  test_raw_assert_data (raw, "kept", 4);
  g_assert_true (io_stream_is_closed (IO_STREAM (raw)));
  g_assert_finalize_object (raw);
}

typedef struct
{
  guint calls;
  char *type_name;
  GError *error;
} DropRecord;

static void
record_drop (IoStream     *stream,
             const GError *error,
             gpointer      user_data)
{
  DropRecord *record = user_data;

  record->calls++;
  g_assert_true (io_stream_is_closed (stream));
  record->type_name = g_strdup (G_OBJECT_TYPE_NAME (stream));
  record->error = g_error_copy (error);
}

static void
free_drop_record (gpointer user_data)
{
  DropRecord *record = user_data;

  g_free (record->type_name);
  g_clear_error (&record->error);
  record->calls = G_MAXUINT;
}

/* A failing flush in dispose reaches the handler, not the void. */
static void
test_dispose_error_to_handler (void)
{
  TestRaw *raw = test_raw_new ("", 0);
  IoStream *writer = io_buffered_writer_new (IO_STREAM (raw), 16, NULL);
  DropRecord record = { 0, };

  io_stream_set_drop_error_handler (record_drop, &record, free_drop_record);
  write_ok (writer, "lost");
  raw->write_error = G_IO_ERROR_NO_SPACE;
  g_assert_finalize_object (writer);
  g_assert_cmpuint (record.calls, ==, 1);
  g_assert_cmpstr (record.type_name, ==, "IoBufferedWriter");
  g_assert_error (record.error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_true (io_stream_is_closed (IO_STREAM (raw)));

  io_stream_set_drop_error_handler (NULL, NULL, NULL);
  g_assert_cmpuint (record.calls, ==, G_MAXUINT);
  g_assert_finalize_object (raw);
}

/* The default handler warns, naming the stream and the error. */
static void
test_dispose_error_default_warning (void)
{
  if (g_test_subprocess ())
    {
      TestRaw *raw = test_raw_new ("", 0);
      IoStream *writer = io_buffered_writer_new (IO_STREAM (raw), 16, NULL);

      write_ok (writer, "lost");
      raw->write_error = G_IO_ERROR_NO_SPACE;
      g_object_unref (raw);
      g_object_unref (writer);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*Error closing IoBufferedWriter * while disposing it: "
                             "injected fault*");
}

/* Writes through the window: a run of small writes costs one raw write
 * per buffer. */
static void
test_many_small_writes (void)
{
  TestRaw *raw;
  g_autoptr (IoStream) writer = new_writer (&raw, 64);
  g_autoptr (GString) expected = g_string_new (NULL);
  int i;

  for (i = 0; i < 100; i++)
    {
      char chunk[8];

      g_snprintf (chunk, sizeof chunk, "%04d", i);
      write_ok (writer, chunk);
      g_string_append (expected, chunk);
    }
  g_assert_cmpint (io_stream_tell (writer, NULL), ==, 400);
  test_util_close_ok (writer);
  g_assert_cmpuint (raw->writes, ==, 7);
  test_raw_assert_data (raw, expected->str, expected->len);
}

#define RECORDS 2000

typedef struct
{
  IoStream *writer;
  const char *record;
} RecordWriter;

static gpointer
write_records (gpointer data)
{
  RecordWriter *w = data;

  for (guint i = 0; i < RECORDS; i++)
    write_ok (w->writer, w->record);
  return NULL;
}

/* Two threads writing one writer: each write lands whole (see
 * docs/concurrency.md), and every byte once. */
static void
test_threads_write_whole_records (void)
{
  TestRaw *raw;
  g_autoptr (IoStream) writer = new_writer (&raw, 64);
  RecordWriter writers[2] = { { writer, "aaaaaaaaaaa\n" }, { writer, "BBBBBBB\n" } };
  GThread *threads[2];
  guint counts[2] = { 0, 0 };
  const char *p, *end;

  g_object_ref (raw);
  for (guint t = 0; t < 2; t++)
    threads[t] = g_thread_new ("writer", write_records, &writers[t]);
  for (guint t = 0; t < 2; t++)
    g_thread_join (threads[t]);
  test_util_close_ok (writer);

  p = (const char *) raw->data->data;
  end = p + raw->data->len;
  while (p < end)
    {
      guint t = *p == 'a' ? 0 : 1;
      gsize len = strlen (writers[t].record);

      g_assert_cmpint (end - p, >=, (gssize) len);
      g_assert_cmpmem (p, len, writers[t].record, len);
      counts[t]++;
      p += len;
    }
  g_assert_cmpuint (counts[0], ==, RECORDS);
  g_assert_cmpuint (counts[1], ==, RECORDS);
  g_object_unref (raw);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/BufferedWriter/properties", test_properties);
  g_test_add_func ("/BufferedWriter/construction-errors", test_construction_errors);
  g_test_add_func ("/BufferedWriter/small-writes-copied", test_small_writes_copied);
  g_test_add_func ("/BufferedWriter/large-write-through", test_large_write_through);
  g_test_add_func ("/BufferedWriter/short-raw-writes-retried", test_short_raw_writes_retried);
  g_test_add_func ("/BufferedWriter/eintr-retried", test_eintr_retried);
  g_test_add_func ("/BufferedWriter/flush-before-positioning", test_flush_before_positioning);
  g_test_add_func ("/BufferedWriter/close-after-failed-flush", test_close_after_failed_flush);
  g_test_add_func ("/BufferedWriter/failed-flush-keeps-data", test_failed_flush_keeps_data);
  g_test_add_func ("/BufferedWriter/would-block", test_would_block);
  g_test_add_func ("/BufferedWriter/would-block-large-write", test_would_block_large_write);
  g_test_add_func ("/BufferedWriter/raw-error-reported", test_raw_error_reported);
  g_test_add_func ("/BufferedWriter/dispose-flushes", test_dispose_flushes);
  g_test_add_func ("/BufferedWriter/dispose-error-to-handler", test_dispose_error_to_handler);
  g_test_add_func ("/BufferedWriter/dispose-error-default-warning",
                   test_dispose_error_default_warning);
  g_test_add_func ("/BufferedWriter/many-small-writes", test_many_small_writes);
  g_test_add_func ("/BufferedWriter/threads-write-whole-records",
                   test_threads_write_whole_records);

  return g_test_run ();
}
