/* test-buffered-random.c: IoBufferedRandom and IoBufferedRWPair, CPython's
 * io.BufferedRandom and io.BufferedRWPair
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include "libstream.h"
#include "test-buffered-raw.h"
#include "test-util.h"

/* A BufferedRandom with a buffer of @size over a raw holding @content;
 * the layer holds the only reference on the raw. */
static IoStream *
new_random (TestRaw    **raw,
            const char  *content,
            gsize        size)
{
  g_autoptr (GError) error = NULL;
  IoStream *random;

  *raw = test_raw_new (content, strlen (content));
  random = io_buffered_random_new (IO_STREAM (*raw), size, &error);
  g_assert_no_error (error);
  g_assert_true (IO_IS_BUFFERED_RANDOM (random));
  g_object_unref (*raw);
  return random;
}

static void
test_random_properties (void)
{
  TestRaw *raw;
  g_autoptr (IoStream) random = new_random (&raw, "", 8);

  g_assert_true (io_buffered_random_get_raw (IO_BUFFERED_RANDOM (random)) == IO_STREAM (raw));
  g_assert_cmpuint (io_buffered_random_get_buffer_size (IO_BUFFERED_RANDOM (random)), ==, 8);
  g_assert_true (io_stream_readable (random, NULL));
  g_assert_true (io_stream_writable (random, NULL));
  g_assert_true (io_stream_seekable (random, NULL));
}

/* CPython checks seekable, then readable, then writable. */
static void
test_random_construction_errors (void)
{
  g_autoptr (TestRaw) raw = test_raw_new ("", 0);
  g_autoptr (GError) error = NULL;

  raw->seekable = raw->readable = FALSE;
  g_assert_null (io_buffered_random_new (IO_STREAM (raw), 8, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_cmpstr (error->message, ==, "File or stream is not seekable.");
}

/* A read after writes flushes them first. */
static void
test_read_after_write_flushes (void)
{
  TestRaw *raw;
  g_autoptr (IoStream) random = new_random (&raw, "0123456789", 16);

  test_util_write_text (random, "ab");
  g_assert_cmpuint (raw->writes, ==, 0);
  test_util_assert_read (random, 3, "234");
  g_assert_cmpuint (raw->writes, ==, 1);
  test_raw_assert_data (raw, "ab23456789", 10);
  g_assert_cmpint (io_stream_tell (random, NULL), ==, 5);
}

/* A write after reads lands at the stream position, not where the raw
 * read ahead to. */
static void
test_write_after_read (void)
{
  TestRaw *raw;
  g_autoptr (IoStream) random = new_random (&raw, "0123456789", 16);

  test_util_assert_read (random, 3, "012");
  g_assert_cmpuint (raw->position, ==, 10);
  test_util_write_text (random, "XY");
  g_assert_cmpint (io_stream_tell (random, NULL), ==, 5);
  test_util_assert_read (random, 2, "56");
  test_util_close_ok (random);
  test_raw_assert_data (raw, "012XY56789", 10);
}

static void
test_seek_inside_buffer (void)
{
  TestRaw *raw;
  g_autoptr (IoStream) random = new_random (&raw, "0123456789", 16);

  test_util_assert_read (random, 1, "0");
  test_raw_reset_counts (raw);
  test_util_seek_to (random, 7, IO_WHENCE_SET, 7);
  test_util_assert_read (random, 1, "7");
  test_util_seek_to (random, -6, IO_WHENCE_CUR, 2);
  test_util_assert_read (random, 2, "23");
  g_assert_cmpuint (raw->seeks, ==, 0);
  g_assert_cmpuint (raw->reads, ==, 0);
  test_util_seek_to (random, -1, IO_WHENCE_END, 9);
  g_assert_cmpuint (raw->seeks, ==, 1);
  test_util_assert_read (random, -1, "9");
}

/* Writes pending at a seek reach the raw before it moves. */
static void
test_seek_flushes_writes (void)
{
  TestRaw *raw;
  g_autoptr (IoStream) random = new_random (&raw, "0123456789", 16);

  test_util_seek_to (random, 4, IO_WHENCE_SET, 4);
  test_util_write_text (random, "ab");
  g_assert_cmpint (io_stream_tell (random, NULL), ==, 6);
  test_util_seek_to (random, 1, IO_WHENCE_CUR, 7);
  test_raw_assert_data (raw, "0123ab6789", 10);
  test_util_write_text (random, "Z");
  test_util_seek_to (random, 0, IO_WHENCE_SET, 0);
  test_util_assert_read (random, -1, "0123ab6Z89");
}

/* flush() moves the raw back to the stream position, as CPython's. */
static void
test_flush_rewinds_raw (void)
{
  TestRaw *raw;
  g_autoptr (IoStream) random = new_random (&raw, "0123456789", 16);

  test_util_assert_read (random, 4, "0123");
  g_assert_true (io_stream_flush (random, NULL));
  g_assert_cmpuint (raw->position, ==, 4);
  test_util_assert_read (random, 2, "45");
}

static void
test_truncate (void)
{
  TestRaw *raw;
  g_autoptr (IoStream) random = new_random (&raw, "0123456789", 16);

  test_util_assert_read (random, 2, "01");
  test_util_write_text (random, "ab");
  g_assert_cmpint (io_stream_truncate (random, -1, NULL), ==, 4);
  test_raw_assert_data (raw, "01ab", 4);
  g_assert_cmpint (io_stream_tell (random, NULL), ==, 4);
  test_util_write_text (random, "c");
  test_util_close_ok (random);
  test_raw_assert_data (raw, "01abc", 5);
}

/* Alternating small reads and writes agree with the bytes in the raw. */
static void
test_interleaved (void)
{
  TestRaw *raw;
  g_autoptr (IoStream) random = new_random (&raw, "abcdefghijklmnopqrstuvwxyz", 4);
  int i;

  for (i = 0; i < 6; i++)
    {
      guint8 byte;

      g_assert_cmpint (io_stream_read (random, &byte, 1, NULL), ==, 1);
      g_assert_cmpint (byte, ==, 'a' + 2 * i);
      byte = (guint8) g_ascii_toupper ((char) ('a' + 2 * i + 1));
      g_assert_cmpint (io_stream_write (random, &byte, 1, NULL), ==, 1);
    }
  g_assert_cmpint (io_stream_tell (random, NULL), ==, 12);
  test_util_close_ok (random);
  test_raw_assert_data (raw, "aBcDeFgHiJkLmnopqrstuvwxyz", 26);
}

/* A pair over two raws: reads from one, writes to the other. */
static IoStream *
new_pair (TestRaw **reader,
          TestRaw **writer,
          gsize     size)
{
  g_autoptr (GError) error = NULL;
  IoStream *pair;

  *reader = test_raw_new ("line 1\nline 2\n", 14);
  *writer = test_raw_new ("", 0);
  pair = io_buffered_rw_pair_new (IO_STREAM (*reader), IO_STREAM (*writer), size, &error);
  g_assert_no_error (error);
  g_assert_true (IO_IS_BUFFERED_RW_PAIR (pair));
  g_object_unref (*reader);
  g_object_unref (*writer);
  return pair;
}

static void
test_pair (void)
{
  TestRaw *reader, *writer;
  g_autoptr (IoStream) pair = new_pair (&reader, &writer, 8);
  g_autoptr (GBytes) line = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (io_buffered_rw_pair_get_reader (IO_BUFFERED_RW_PAIR (pair)) ==
                 IO_STREAM (reader));
  g_assert_true (io_buffered_rw_pair_get_writer (IO_BUFFERED_RW_PAIR (pair)) ==
                 IO_STREAM (writer));
  g_assert_cmpuint (io_buffered_rw_pair_get_buffer_size (IO_BUFFERED_RW_PAIR (pair)), ==, 8);
  g_assert_true (io_stream_readable (pair, NULL));
  g_assert_true (io_stream_writable (pair, NULL));
  g_assert_false (io_stream_seekable (pair, NULL));

  test_util_write_text (pair, "hi");
  line = io_stream_readline (pair, -1, NULL);
  test_util_assert_bytes (line, "line 1\n", 7);
  test_util_write_text (pair, " there");
  g_assert_cmpuint (writer->writes, ==, 0);
  g_assert_true (io_stream_flush (pair, NULL));
  test_raw_assert_data (writer, "hi there", 8);
  test_raw_assert_data (reader, "line 1\nline 2\n", 14);
  test_util_assert_read (pair, -1, "line 2\n");

  g_assert_cmpint (io_stream_tell (pair, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_cmpint (io_stream_fileno (pair, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
}

/* Closing closes the writer, then the reader, even when the first fails,
 * and reports the first error. */
static void
test_pair_close (void)
{
  TestRaw *reader, *writer;
  g_autoptr (IoStream) pair = new_pair (&reader, &writer, 8);
  g_autoptr (GError) error = NULL;

  g_object_ref (reader);
  g_object_ref (writer);
  test_util_write_text (pair, "bye");
  writer->close_error = G_IO_ERROR_BROKEN_PIPE;
  reader->close_error = G_IO_ERROR_PERMISSION_DENIED;
  g_assert_false (io_stream_close (pair, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE);
  g_assert_true (io_stream_is_closed (IO_STREAM (writer)));
  g_assert_true (io_stream_is_closed (IO_STREAM (reader)));
  test_raw_assert_data (writer, "bye", 3);
  g_object_unref (reader);
  g_object_unref (writer);
}

static void
test_pair_construction_errors (void)
{
  g_autoptr (TestRaw) reader = test_raw_new ("", 0);
  g_autoptr (TestRaw) writer = test_raw_new ("", 0);
  g_autoptr (GError) error = NULL;

  writer->writable = FALSE;
  g_assert_null (io_buffered_rw_pair_new (IO_STREAM (reader), IO_STREAM (writer), 8, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_cmpstr (error->message, ==, "File or stream is not writable.");
}

/* The two ends of a real pipe. */
static void
test_pair_over_pipe (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (IoStream) read_end = NULL;
  g_autoptr (IoStream) write_end = NULL;
  g_autoptr (IoStream) pair = NULL;
  g_autoptr (GBytes) line = NULL;

  g_assert_true (io_pipe_stream_new_pair (&read_end, &write_end, &error));
  g_assert_no_error (error);
  pair = io_buffered_rw_pair_new (read_end, write_end, IO_DEFAULT_BUFFER_SIZE, &error);
  g_assert_no_error (error);
  test_util_write_text (pair, "ping\n");
  g_assert_true (io_stream_flush (pair, NULL));
  line = io_stream_readline (pair, -1, &error);
  test_util_assert_bytes (line, "ping\n", 5);
  test_util_close_ok (pair);
  g_assert_true (io_stream_is_closed (read_end));
  g_assert_true (io_stream_is_closed (write_end));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/BufferedRandom/properties", test_random_properties);
  g_test_add_func ("/BufferedRandom/construction-errors", test_random_construction_errors);
  g_test_add_func ("/BufferedRandom/read-after-write-flushes", test_read_after_write_flushes);
  g_test_add_func ("/BufferedRandom/write-after-read", test_write_after_read);
  g_test_add_func ("/BufferedRandom/seek-inside-buffer", test_seek_inside_buffer);
  g_test_add_func ("/BufferedRandom/seek-flushes-writes", test_seek_flushes_writes);
  g_test_add_func ("/BufferedRandom/flush-rewinds-raw", test_flush_rewinds_raw);
  g_test_add_func ("/BufferedRandom/truncate", test_truncate);
  g_test_add_func ("/BufferedRandom/interleaved", test_interleaved);
  g_test_add_func ("/BufferedRWPair/reads-and-writes", test_pair);
  g_test_add_func ("/BufferedRWPair/close", test_pair_close);
  g_test_add_func ("/BufferedRWPair/construction-errors", test_pair_construction_errors);
  g_test_add_func ("/BufferedRWPair/over-pipe", test_pair_over_pipe);

  return g_test_run ();
}
