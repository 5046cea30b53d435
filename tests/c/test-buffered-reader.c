/* test-buffered-reader.c: IoBufferedReader, CPython's io.BufferedReader
 * over any stream, proved by counting the raw stream's calls
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <errno.h>
#include <string.h>

#include "libstream.h"
#include "test-buffered-raw.h"
#include "test-util.h"

#define DIGITS "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define DIGITS_LEN (sizeof DIGITS - 1)

/* A reader with a buffer of @size over a raw holding DIGITS; the reader
 * holds the only reference on the raw. */
static IoStream *
new_reader (TestRaw **raw,
            gsize     size)
{
  g_autoptr (GError) error = NULL;
  IoStream *reader;

  *raw = test_raw_new (DIGITS, DIGITS_LEN);
  reader = io_buffered_reader_new (IO_STREAM (*raw), size, &error);
  g_assert_no_error (error);
  g_assert_true (IO_IS_BUFFERED_READER (reader));
  g_object_unref (*raw);
  return reader;
}

static void
assert_read (IoStream   *stream,
             gsize       count,
             const char *expected)
{
  g_autoptr (GError) error = NULL;
  guint8 buffer[256];
  gssize n = io_stream_read (stream, buffer, count, &error);

  g_assert_no_error (error);
  g_assert_cmpmem (buffer, n, expected, strlen (expected));
}

static void
test_properties (void)
{
  TestRaw *raw;
  IoStream *reader = new_reader (&raw, 16);
  g_autoptr (IoStream) got = NULL;
  guint64 size = 0;

  g_object_ref (raw);

  g_assert_true (io_buffered_reader_get_raw (IO_BUFFERED_READER (reader)) == IO_STREAM (raw));
  g_assert_cmpuint (io_buffered_reader_get_buffer_size (IO_BUFFERED_READER (reader)), ==, 16);
  g_object_get (reader, "raw", &got, "buffer-size", &size, NULL);
  g_assert_true (got == IO_STREAM (raw));
  g_assert_cmpuint (size, ==, 16);
  g_clear_object (&got);
  g_assert_true (io_stream_readable (reader, NULL));
  g_assert_false (io_stream_writable (reader, NULL));
  g_assert_true (io_stream_seekable (reader, NULL));

  g_object_unref (reader);
  g_assert_true (io_stream_is_closed (IO_STREAM (raw)));
  g_assert_finalize_object (raw);
}

static void
test_default_size (void)
{
  g_autoptr (IoStream) raw = test_util_memory_stream_new ("x");
  g_autoptr (IoStream) reader = g_object_new (IO_TYPE_BUFFERED_READER, "base-stream", raw, NULL);

  g_assert_cmpuint (io_buffered_reader_get_buffer_size (IO_BUFFERED_READER (reader)), ==,
                    IO_DEFAULT_BUFFER_SIZE);
  test_util_assert_read (reader, -1, "x");
}

static void
test_construction_errors (void)
{
  g_autoptr (TestRaw) raw = test_raw_new ("", 0);
  g_autoptr (GError) error = NULL;

  g_assert_null (io_buffered_reader_new (IO_STREAM (raw), 0, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "buffer size must be strictly positive");
  g_clear_error (&error);

  raw->readable = FALSE;
  g_assert_null (io_buffered_reader_new (IO_STREAM (raw), 8, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_cmpstr (error->message, ==, "File or stream is not readable.");
  g_clear_error (&error);

  g_assert_true (io_stream_close (IO_STREAM (raw), NULL));
  g_assert_null (io_buffered_reader_new (IO_STREAM (raw), 8, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
}

/* Small reads come from the buffer: one raw read of a whole buffer. */
static void
test_small_reads_from_buffer (void)
{
  TestRaw *raw;
  g_autoptr (IoStream) reader = new_reader (&raw, 16);

  assert_read (reader, 4, "0123");
  g_assert_cmpuint (raw->reads, ==, 1);
  g_assert_cmpuint (raw->last_read_count, ==, 16);
  assert_read (reader, 4, "4567");
  assert_read (reader, 8, "89abcdef");
  g_assert_cmpuint (raw->reads, ==, 1);
  g_assert_cmpint (io_stream_getc (reader, NULL), ==, 'g');
  g_assert_cmpuint (raw->reads, ==, 2);
}

/* peek() gives at least one byte and at most the buffer, and reads the
 * raw only when the buffer is empty. */
static void
test_peek (void)
{
  TestRaw *raw;
  g_autoptr (IoStream) reader = new_reader (&raw, 16);
  g_autoptr (GBytes) first = NULL;
  g_autoptr (GBytes) second = NULL;
  g_autoptr (GBytes) third = NULL;

  first = io_stream_peek (reader, 0, NULL);
  test_util_assert_bytes (first, "0123456789abcdef", 16);
  g_assert_cmpuint (raw->reads, ==, 1);
  assert_read (reader, 15, "0123456789abcde");
  second = io_stream_peek (reader, 100, NULL);
  test_util_assert_bytes (second, "f", 1);
  g_assert_cmpuint (raw->reads, ==, 1);
  assert_read (reader, 1, "f");
  third = io_stream_peek (reader, 2, NULL);
  test_util_assert_bytes (third, "gh", 2);
  g_assert_cmpuint (raw->reads, ==, 2);
  assert_read (reader, 3, "ghi");
}

/* read1() serves the buffer first, and makes at most one raw read. */
static void
test_read1 (void)
{
  TestRaw *raw;
  g_autoptr (IoStream) reader = new_reader (&raw, 16);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) rest = NULL;
  g_autoptr (GBytes) next = NULL;
  guint8 buffer[64];

  assert_read (reader, 10, "0123456789");
  g_assert_cmpint (io_stream_read1 (reader, buffer, sizeof buffer, &error), ==, 6);
  g_assert_no_error (error);
  g_assert_cmpmem (buffer, 6, "abcdef", 6);
  g_assert_cmpuint (raw->reads, ==, 1);

  raw->max_read = 5;
  rest = io_stream_read1_bytes (reader, 40, &error);
  g_assert_no_error (error);
  test_util_assert_bytes (rest, "ghijk", 5);
  g_assert_cmpuint (raw->reads, ==, 2);
  next = io_stream_read1_bytes (reader, -1, &error);
  test_util_assert_bytes (next, "lmnop", 5);
  g_assert_cmpuint (raw->reads, ==, 3);
}

/* read(n) reads the raw until it has n bytes or the raw ends. */
static void
test_read_loops_short_raw_reads (void)
{
  TestRaw *raw;
  g_autoptr (IoStream) reader = new_reader (&raw, 8);

  raw->max_read = 3;
  assert_read (reader, 10, "0123456789");
  g_assert_cmpuint (raw->reads, ==, 4);
  test_util_assert_read (reader, -1, DIGITS + 10);
  test_util_assert_read (reader, 5, "");
}

/* A read of a buffer or more goes straight into the caller's memory. */
static void
test_large_read_bypasses_buffer (void)
{
  TestRaw *raw;
  g_autoptr (IoStream) reader = new_reader (&raw, 8);

  assert_read (reader, 2, "01");
  g_assert_cmpuint (raw->last_read_count, ==, 8);
  assert_read (reader, 40, "23456789abcdefghijklmnopqrstuvwxyzABCDEF");
  /* 6 bytes from the buffer, then the 34 others asked of the raw at once. */
  g_assert_cmpuint (raw->reads, ==, 2);
  g_assert_cmpuint (raw->last_read_count, ==, 34);
  g_assert_cmpint (io_stream_tell (reader, NULL), ==, 42);
}

static void
test_tell_and_seek (void)
{
  TestRaw *raw;
  g_autoptr (IoStream) reader = new_reader (&raw, 16);
  g_autoptr (GError) error = NULL;

  assert_read (reader, 5, "01234");
  g_assert_cmpint (io_stream_tell (reader, &error), ==, 5);
  g_assert_no_error (error);
  test_raw_reset_counts (raw);

  /* Inside the buffer: no raw seek, no raw read. */
  test_util_seek_to (reader, 12, IO_WHENCE_SET, 12);
  assert_read (reader, 2, "cd");
  test_util_seek_to (reader, -10, IO_WHENCE_CUR, 4);
  assert_read (reader, 1, "4");
  test_util_seek_to (reader, 16, IO_WHENCE_SET, 16);
  g_assert_cmpuint (raw->seeks, ==, 0);
  g_assert_cmpuint (raw->reads, ==, 0);

  /* Outside: one raw seek, the buffer dropped. */
  test_util_seek_to (reader, 3, IO_WHENCE_CUR, 19);
  g_assert_cmpuint (raw->seeks, ==, 1);
  assert_read (reader, 2, "jk");
  test_util_seek_to (reader, -2, IO_WHENCE_END, (gint64) DIGITS_LEN - 2);
  assert_read (reader, 5, "YZ");
  test_util_seek_to (reader, 0, IO_WHENCE_SET, 0);
  assert_read (reader, 1, "0");
}

/* A raw seek that fails leaves the raw where it was: the bytes read
 * ahead stay the stream's, as in CPython. */
static void
test_failed_raw_seek_keeps_buffer (void)
{
  g_autoptr (IoStream) fault = io_fault_stream_new (NULL);
  g_autoptr (IoStream) reader = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (io_stream_write (fault, (const guint8 *) DIGITS, DIGITS_LEN, NULL), ==,
                   DIGITS_LEN);
  test_util_seek_to (fault, 0, IO_WHENCE_SET, 0);
  reader = io_buffered_reader_new (fault, 16, &error);
  g_assert_no_error (error);
  assert_read (reader, 2, "01");

  io_fault_stream_add_fault (IO_FAULT_STREAM (fault), IO_FAULT_OP_SEEK, IO_FAULT_KIND_FAIL,
                             0, -1, 0, 1);
  g_assert_cmpint (io_stream_seek (reader, 40, IO_WHENCE_SET, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_cmpint (io_stream_tell (reader, &error), ==, 2);
  g_assert_no_error (error);
  assert_read (reader, 3, "234");
}

/* Lines, getc() and iteration run on the buffer, inline: one raw read per
 * buffer, whatever the lines. */
static void
test_lines_through_buffer (void)
{
  g_autoptr (TestRaw) raw = test_raw_new ("one\ntwo\n\nthree\nfour", 19);
  g_autoptr (IoStream) reader = io_buffered_reader_new (IO_STREAM (raw), 64, NULL);
  g_autoptr (GPtrArray) lines = NULL;
  g_autoptr (GBytes) first = NULL;
  const char *const expected[] = { "two\n", "\n", "three\n", "four", NULL };

  first = io_stream_readline (reader, -1, NULL);
  test_util_assert_bytes (first, "one\n", 4);
  lines = io_stream_readlines (reader, -1, NULL);
  test_util_assert_lines (lines, expected);
  /* The fill, and the read that found the end. */
  g_assert_cmpuint (raw->reads, ==, 2);
  g_assert_cmpuint (raw->seeks, ==, 0);
}

static void
test_readline_across_buffers (void)
{
  g_autoptr (TestRaw) raw = test_raw_new ("abcdefghij\nkl\n", 14);
  g_autoptr (IoStream) reader = io_buffered_reader_new (IO_STREAM (raw), 4, NULL);
  g_autoptr (GBytes) line = NULL;
  g_autoptr (GBytes) limited = NULL;

  line = io_stream_readline (reader, -1, NULL);
  test_util_assert_bytes (line, "abcdefghij\n", 11);
  limited = io_stream_readline (reader, 1, NULL);
  test_util_assert_bytes (limited, "k", 1);
  g_assert_cmpuint (raw->seeks, ==, 0);
  g_assert_cmpint (io_stream_tell (IO_STREAM (reader), NULL), ==, 12);
}

static void
test_getc (void)
{
  TestRaw *raw;
  g_autoptr (IoStream) reader = new_reader (&raw, 7);
  g_autoptr (GError) error = NULL;
  gsize i;

  for (i = 0; i < DIGITS_LEN; i++)
    g_assert_cmpint (io_stream_getc (reader, &error), ==, DIGITS[i]);
  g_assert_cmpint (io_stream_getc (reader, &error), ==, -1);
  g_assert_no_error (error);
  g_assert_cmpuint (raw->reads, ==, (DIGITS_LEN + 6) / 7 + 1);
}

/* EINTR from the raw is retried and never reaches the caller. */
static void
test_eintr_retried (void)
{
  TestRaw *raw;
  g_autoptr (IoStream) reader = new_reader (&raw, 8);
  g_autoptr (GBytes) peeked = NULL;

  raw->eintr_calls = 3;
  assert_read (reader, 3, "012");
  g_assert_cmpuint (raw->reads, ==, 4);
  raw->eintr_calls = 1;
  assert_read (reader, 20, "3456789abcdefghijklm");
  raw->eintr_calls = 2;
  peeked = io_stream_peek (reader, 1, NULL);
  test_util_assert_bytes (peeked, "n", 1);
  raw->eintr_calls = 1;
  test_util_seek_to (reader, 40, IO_WHENCE_SET, 40);
}

/* A raw that would block: the bytes read so far, or WOULD_BLOCK. */
static void
test_would_block (void)
{
  TestRaw *raw;
  g_autoptr (IoStream) reader = new_reader (&raw, 8);
  g_autoptr (GError) error = NULL;
  guint8 buffer[16];

  assert_read (reader, 2, "01");
  raw->read_would_block = TRUE;
  g_assert_cmpint (io_stream_read (reader, buffer, 10, &error), ==, 6);
  g_assert_no_error (error);
  g_assert_cmpint (io_stream_read (reader, buffer, 10, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
  raw->read_would_block = FALSE;
  assert_read (reader, 2, "89");
}

/* A raw error after bytes came from the buffer: the bytes first, the
 * error from the next read, nothing lost. */
static void
test_raw_error_after_buffered_bytes (void)
{
  TestRaw *raw;
  g_autoptr (IoStream) reader = new_reader (&raw, 8);
  g_autoptr (GError) error = NULL;
  guint8 buffer[16];

  assert_read (reader, 5, "01234");
  raw->read_error = G_IO_ERROR_BROKEN_PIPE;
  g_assert_cmpint (io_stream_read (reader, buffer, 10, &error), ==, 3);
  g_assert_no_error (error);
  g_assert_cmpmem (buffer, 3, "567", 3);
  g_assert_cmpint (io_stream_read (reader, buffer, 10, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE);
  raw->read_error = -1;
  assert_read (reader, 2, "89");
}

static void
test_detach (void)
{
  TestRaw *raw;
  IoStream *reader = new_reader (&raw, 8);
  g_autoptr (IoStream) back = NULL;
  g_autoptr (GError) error = NULL;
  guint8 byte;

  assert_read (reader, 2, "01");
  back = io_filter_stream_detach (IO_FILTER_STREAM (reader), &error);
  g_assert_no_error (error);
  g_assert_true (back == IO_STREAM (raw));
  g_assert_cmpuint (raw->flushes, ==, 1);
  g_assert_false (io_stream_is_closed (back));
  g_assert_null (io_buffered_reader_get_raw (IO_BUFFERED_READER (reader)));

  g_assert_cmpint (io_stream_read (reader, &byte, 1, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_assert_cmpstr (error->message, ==, "raw stream has been detached");
  g_assert_cmpint (io_stream_getc (reader, NULL), ==, -1);
  g_assert_finalize_object (reader);
  g_assert_false (io_stream_is_closed (back));
  g_assert_cmpuint (raw->closes, ==, 0);
}

static void
test_close_closes_raw (void)
{
  TestRaw *raw;
  g_autoptr (IoStream) reader = new_reader (&raw, 8);
  g_autoptr (GError) error = NULL;

  raw->close_error = G_IO_ERROR_PERMISSION_DENIED;
  g_assert_false (io_stream_close (reader, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_assert_true (io_stream_is_closed (reader));
  g_assert_true (io_stream_is_closed (IO_STREAM (raw)));
}

/* Layers stack: a reader over a reader over a memory stream. */
static void
test_stacks (void)
{
  g_autoptr (IoStream) memory = test_util_memory_stream_new ("line 1\nline 2\n");
  g_autoptr (IoStream) inner = io_buffered_reader_new (memory, 3, NULL);
  g_autoptr (IoStream) outer = io_buffered_reader_new (inner, 5, NULL);
  g_autoptr (GBytes) line = io_stream_readline (outer, -1, NULL);

  test_util_assert_bytes (line, "line 1\n", 7);
  test_util_assert_read (outer, -1, "line 2\n");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/BufferedReader/properties", test_properties);
  g_test_add_func ("/BufferedReader/default-size", test_default_size);
  g_test_add_func ("/BufferedReader/construction-errors", test_construction_errors);
  g_test_add_func ("/BufferedReader/small-reads-from-buffer", test_small_reads_from_buffer);
  g_test_add_func ("/BufferedReader/peek", test_peek);
  g_test_add_func ("/BufferedReader/read1", test_read1);
  g_test_add_func ("/BufferedReader/read-loops-short-raw-reads",
                   test_read_loops_short_raw_reads);
  g_test_add_func ("/BufferedReader/large-read-bypasses-buffer",
                   test_large_read_bypasses_buffer);
  g_test_add_func ("/BufferedReader/tell-and-seek", test_tell_and_seek);
  g_test_add_func ("/BufferedReader/failed-raw-seek-keeps-buffer",
                   test_failed_raw_seek_keeps_buffer);
  g_test_add_func ("/BufferedReader/lines-through-buffer", test_lines_through_buffer);
  g_test_add_func ("/BufferedReader/readline-across-buffers", test_readline_across_buffers);
  g_test_add_func ("/BufferedReader/getc", test_getc);
  g_test_add_func ("/BufferedReader/eintr-retried", test_eintr_retried);
  g_test_add_func ("/BufferedReader/would-block", test_would_block);
  g_test_add_func ("/BufferedReader/raw-error-after-buffered-bytes",
                   test_raw_error_after_buffered_bytes);
  g_test_add_func ("/BufferedReader/detach", test_detach);
  g_test_add_func ("/BufferedReader/close-closes-raw", test_close_closes_raw);
  g_test_add_func ("/BufferedReader/stacks", test_stacks);

  return g_test_run ();
}
