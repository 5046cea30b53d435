/* test-memory-stream.c: IoMemoryStream against CPython 3.11's io.BytesIO
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include "io-buffer-private.h"
#include "io-stream-private.h"
#include "libstream.h"
#include "test-util.h"

static void
assert_value (IoStream   *stream,
              const char *expected,
              gsize       expected_len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) value = io_memory_stream_get_value (IO_MEMORY_STREAM (stream), &error);

  g_assert_no_error (error);
  test_util_assert_bytes (value, expected, expected_len);
}

static void
assert_tell (IoStream *stream,
             gint64    expected)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (io_stream_tell (stream, &error), ==, expected);
  g_assert_no_error (error);
}

static void
test_new_empty (void)
{
  IoStream *stream = io_memory_stream_new (NULL, 0);
  g_autoptr(GError) error = NULL;

  assert_tell (stream, 0);
  assert_value (stream, "", 0);
  test_util_assert_read (stream, -1, "");
  g_assert_true (io_stream_readable (stream, &error));
  g_assert_true (io_stream_writable (stream, &error));
  g_assert_true (io_stream_seekable (stream, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (stream);
}

static void
test_new_copies_data (void)
{
  char data[] = "abc";
  IoStream *stream = io_memory_stream_new ((const guint8 *) data, 3);

  data[0] = 'X';
  assert_value (stream, "abc", 3);
  assert_tell (stream, 0);
  g_assert_finalize_object (stream);
}

static void
test_from_bytes_shares (void)
{
  g_autoptr(GBytes) initial = g_bytes_new_static ("hello", 5);
  IoStream *stream = io_memory_stream_new_from_bytes (initial);
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) second = NULL;
  g_autoptr(GBytes) after = NULL;

  first = io_memory_stream_get_value (IO_MEMORY_STREAM (stream), NULL);
  g_assert_true (first == initial);

  /* Copy-on-write: the first write leaves the shared bytes alone. */
  test_util_write_text (stream, "J");
  test_util_assert_bytes (initial, "hello", 5);
  assert_value (stream, "Jello", 5);

  second = io_memory_stream_get_value (IO_MEMORY_STREAM (stream), NULL);
  after = io_memory_stream_get_value (IO_MEMORY_STREAM (stream), NULL);
  g_assert_true (second == after);
  g_assert_true (g_bytes_get_data (second, NULL) == g_bytes_get_data (after, NULL));

  /* A write after get_value() un-shares; the old value does not change. */
  test_util_seek_to (stream, 0, IO_WHENCE_END, 5);
  test_util_write_text (stream, "!");
  test_util_assert_bytes (second, "Jello", 5);
  assert_value (stream, "Jello!", 6);
  g_assert_finalize_object (stream);
}

static void
test_get_value_steals_back (void)
{
  IoStream *stream = test_util_memory_stream_new ("");
  const guint8 *lent;

  test_util_write_text (stream, "abcdef");
  {
    g_autoptr(GBytes) value = io_memory_stream_get_value (IO_MEMORY_STREAM (stream), NULL);
    lent = g_bytes_get_data (value, NULL);
  }
  /* Nobody holds the value any more: the write takes the storage back. */
  test_util_write_text (stream, "g");
  {
    g_autoptr(GBytes) value = io_memory_stream_get_value (IO_MEMORY_STREAM (stream), NULL);
    g_assert_true (g_bytes_get_data (value, NULL) == lent);
    test_util_assert_bytes (value, "abcdefg", 7);
  }
  g_assert_finalize_object (stream);
}

static void
test_seed_scenario (void)
{
  IoStream *stream = io_memory_stream_new (NULL, 0);

  test_util_write_text (stream, "hello");
  test_util_assert_read (stream, -1, "");
  test_util_seek_to (stream, 0, IO_WHENCE_SET, 0);
  test_util_assert_read (stream, -1, "hello");

  test_util_seek_to (stream, 0, IO_WHENCE_SET, 0);
  test_util_write_text (stream, "J");
  assert_value (stream, "Jello", 5);
  assert_tell (stream, 1);
  test_util_assert_read (stream, -1, "ello");

  test_util_seek_to (stream, 0, IO_WHENCE_END, 5);
  test_util_write_text (stream, " world");
  assert_value (stream, "Jello world", 11);
  g_assert_finalize_object (stream);
}

static void
test_seek_past_end (void)
{
  IoStream *stream = test_util_memory_stream_new ("abc");
  g_autoptr(GError) error = NULL;
  guint8 buffer[4] = { 7, 7, 7, 7 };

  test_util_seek_to (stream, 10, IO_WHENCE_SET, 10);
  test_util_assert_read (stream, -1, "");
  g_assert_cmpint (io_stream_read (stream, buffer, sizeof buffer, &error), ==, 0);
  g_assert_no_error (error);
  {
    g_autoptr(GBytes) line = io_stream_readline (stream, -1, &error);
    g_assert_no_error (error);
    test_util_assert_bytes (line, "", 0);
  }
  assert_tell (stream, 10);

  test_util_seek_to (stream, 6, IO_WHENCE_SET, 6);
  test_util_write_text (stream, "X");
  assert_value (stream, "abc\0\0\0X", 7);
  g_assert_finalize_object (stream);
}

static void
test_seek_edges (void)
{
  IoStream *stream = test_util_memory_stream_new ("abc");
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (io_stream_seek (stream, -1, IO_WHENCE_SET, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "negative seek value -1");
  g_clear_error (&error);

  /* Relative seeks before the start clamp to 0, as in BytesIO. */
  test_util_seek_to (stream, 1, IO_WHENCE_SET, 1);
  test_util_seek_to (stream, -5, IO_WHENCE_CUR, 0);
  test_util_seek_to (stream, -5, IO_WHENCE_END, 0);
  test_util_seek_to (stream, -1, IO_WHENCE_END, 2);
  test_util_seek_to (stream, 2, IO_WHENCE_CUR, 4);

  g_assert_cmpint (io_stream_seek (stream, 0, (IoWhence) 3, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "invalid whence (3, should be 0, 1 or 2)");
  g_clear_error (&error);
  g_assert_cmpint (io_stream_seek (stream, 0, (IoWhence) -1, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  test_util_seek_to (stream, G_MAXINT64, IO_WHENCE_SET, G_MAXINT64);
  g_assert_cmpint (io_stream_seek (stream, 1, IO_WHENCE_CUR, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  assert_tell (stream, G_MAXINT64);
  test_util_assert_read (stream, -1, "");

  /* Writing there cannot be allocated: a clean error, nothing changed. */
  g_assert_cmpint (io_stream_write (stream, (const guint8 *) "x", 1, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_clear_error (&error);
  assert_value (stream, "abc", 3);
  g_assert_finalize_object (stream);
}

static void
test_huge_write_fails_cleanly (void)
{
  IoStream *stream = test_util_memory_stream_new ("abc");
  g_autoptr(GError) error = NULL;

  test_util_seek_to (stream, G_GINT64_CONSTANT (1) << 62, IO_WHENCE_SET, G_GINT64_CONSTANT (1) << 62);
  g_assert_cmpint (io_stream_write (stream, (const guint8 *) "x", 1, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  assert_value (stream, "abc", 3);
  g_assert_finalize_object (stream);
}

static void
test_truncate (void)
{
  IoStream *stream = test_util_memory_stream_new ("abcdef");
  g_autoptr(GError) error = NULL;

  /* Never extends, yet returns the size asked for. */
  g_assert_cmpint (io_stream_truncate (stream, 10, &error), ==, 10);
  g_assert_no_error (error);
  assert_value (stream, "abcdef", 6);
  assert_tell (stream, 0);

  test_util_seek_to (stream, 5, IO_WHENCE_SET, 5);
  g_assert_cmpint (io_stream_truncate (stream, 2, &error), ==, 2);
  assert_value (stream, "ab", 2);
  assert_tell (stream, 5);
  test_util_write_text (stream, "Z");
  assert_value (stream, "ab\0\0\0Z", 6);

  test_util_seek_to (stream, 3, IO_WHENCE_SET, 3);
  g_assert_cmpint (io_stream_truncate (stream, -1, &error), ==, 3);
  assert_value (stream, "ab\0", 3);
  assert_tell (stream, 3);

  g_assert_cmpint (io_stream_truncate (stream, -2, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "negative size value -2");
  g_assert_finalize_object (stream);
}

/* Within the spare capacity a shrunk stream still owns, truncate never
 * extends either: the bytes cut off do not come back. */
static void
test_truncate_within_capacity (void)
{
  IoStream *stream = io_memory_stream_new (NULL, 0);
  g_autoptr(GError) error = NULL;

  test_util_write_text (stream, "abcdefgh");
  g_assert_cmpint (io_stream_truncate (stream, 2, &error), ==, 2);
  g_assert_cmpint (io_stream_truncate (stream, 5, &error), ==, 5);
  g_assert_no_error (error);
  assert_value (stream, "ab", 2);
  test_util_seek_to (stream, 0, IO_WHENCE_END, 2);
  test_util_seek_to (stream, 0, IO_WHENCE_SET, 0);
  test_util_assert_read_all (stream, "ab");
  g_assert_finalize_object (stream);
}

/* A value get_value() returned never changes: writes over its bytes in
 * place, inline (16 bytes or fewer) or not, go to a copy. */
static void
test_value_survives_writes_in_place (void)
{
  static const char *const texts[] = { "X", "0123456789abcdefXYZ" };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      IoStream *stream = io_memory_stream_new (NULL, 0);
      g_autoptr(GBytes) value = NULL;

      test_util_write_text (stream, "the quick brown fox jumps");
      value = io_memory_stream_get_value (IO_MEMORY_STREAM (stream), NULL);
      test_util_seek_to (stream, 0, IO_WHENCE_SET, 0);
      test_util_write_text (stream, texts[i]);
      test_util_assert_bytes (value, "the quick brown fox jumps", 25);
      g_clear_pointer (&value, g_bytes_unref);
      value = io_memory_stream_get_value (IO_MEMORY_STREAM (stream), NULL);
      g_assert_cmpmem (g_bytes_get_data (value, NULL), strlen (texts[i]),
                       texts[i], strlen (texts[i]));
      g_assert_finalize_object (stream);
    }
}

static void
test_truncate_shared (void)
{
  g_autoptr(GBytes) initial = g_bytes_new_static ("abcdef", 6);
  IoStream *stream = io_memory_stream_new_from_bytes (initial);

  g_assert_cmpint (io_stream_truncate (stream, 3, NULL), ==, 3);
  assert_value (stream, "abc", 3);
  test_util_assert_bytes (initial, "abcdef", 6);
  test_util_seek_to (stream, 0, IO_WHENCE_END, 3);
  test_util_write_text (stream, "X");
  assert_value (stream, "abcX", 4);
  test_util_assert_bytes (initial, "abcdef", 6);
  g_assert_finalize_object (stream);
}

static void
test_read_sizes (void)
{
  IoStream *stream = test_util_memory_stream_new ("abcdef");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) none = NULL;

  test_util_assert_read (stream, 0, "");
  test_util_assert_read (stream, 2, "ab");
  /* A huge size returns what is there (and must not allocate it). */
  test_util_assert_read (stream, G_MAXSSIZE, "cdef");
  test_util_assert_read (stream, 5, "");

  none = io_stream_read_bytes (stream, -2, &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_finalize_object (stream);
}

static void
test_read1 (void)
{
  IoStream *stream = test_util_memory_stream_new ("abcdef");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) first = io_stream_read1_bytes (stream, 2, &error);
  g_autoptr(GBytes) rest = io_stream_read1_bytes (stream, -1, &error);
  g_autoptr(GBytes) end = io_stream_read1_bytes (stream, -1, &error);
  guint8 buffer[8];

  g_assert_no_error (error);
  test_util_assert_bytes (first, "ab", 2);
  test_util_assert_bytes (rest, "cdef", 4);
  test_util_assert_bytes (end, "", 0);

  test_util_seek_to (stream, 1, IO_WHENCE_SET, 1);
  g_assert_cmpint (io_stream_read1 (stream, buffer, sizeof buffer, &error), ==, 5);
  g_assert_cmpmem (buffer, 5, "bcdef", 5);
  g_assert_finalize_object (stream);
}

static void
test_readinto (void)
{
  IoStream *stream = test_util_memory_stream_new ("abcdef");
  g_autoptr(GError) error = NULL;
  guint8 buffer[4];

  memset (buffer, '.', sizeof buffer);
  g_assert_cmpint (io_stream_read (stream, buffer, 4, &error), ==, 4);
  g_assert_cmpmem (buffer, 4, "abcd", 4);
  memset (buffer, '.', sizeof buffer);
  g_assert_cmpint (io_stream_read (stream, buffer, 4, &error), ==, 2);
  g_assert_cmpmem (buffer, 4, "ef..", 4);
  g_assert_cmpint (io_stream_read (stream, buffer, 4, &error), ==, 0);
  g_assert_no_error (error);

  test_util_seek_to (stream, 0, IO_WHENCE_SET, 0);
  g_assert_cmpint (io_stream_readinto_address (stream, (guintptr) buffer, 3, &error), ==, 3);
  g_assert_cmpmem (buffer, 3, "abc", 3);
  g_assert_cmpint (io_stream_readinto1_address (stream, (guintptr) buffer, 4, &error), ==, 3);
  g_assert_cmpmem (buffer, 3, "def", 3);
  g_assert_no_error (error);

  g_assert_cmpint (io_stream_readinto_address (stream, 0, 4, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_finalize_object (stream);
}

static void
assert_line (IoStream   *stream,
             gssize      limit,
             const char *expected,
             gsize       expected_len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) line = io_stream_readline (stream, limit, &error);

  g_assert_no_error (error);
  test_util_assert_bytes (line, expected, expected_len);
}

static void
test_readline (void)
{
  IoStream *stream = io_memory_stream_new ((const guint8 *) "a\nbb\n\0c\nlast", 12);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) none = NULL;

  assert_line (stream, 1, "a", 1);
  assert_line (stream, -1, "\n", 1);
  assert_line (stream, 0, "", 0);
  assert_line (stream, 10, "bb\n", 3);
  assert_line (stream, -1, "\0c\n", 3);
  assert_line (stream, -1, "last", 4);
  assert_line (stream, -1, "", 0);

  none = io_stream_readline (stream, -2, &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_finalize_object (stream);
}

static void
test_readlines (void)
{
  IoStream *stream = test_util_memory_stream_new ("a\nbb\nccc\n");
  g_autoptr(GError) error = NULL;
  const char * const first[] = { "a\n", "bb\n", NULL };
  const char * const rest[] = { "ccc\n", NULL };
  const char * const all[] = { "a\n", "bb\n", "ccc\n", NULL };
  const char * const none[] = { NULL };
  GPtrArray *lines;
  guint8 *joined;
  gsize len;

  /* Stops once the total reaches the hint. */
  lines = io_stream_readlines (stream, 3, &error);
  g_assert_no_error (error);
  test_util_assert_lines (lines, first);
  g_ptr_array_unref (lines);
  lines = io_stream_readlines (stream, -1, &error);
  test_util_assert_lines (lines, rest);
  g_ptr_array_unref (lines);
  lines = io_stream_readlines (stream, 0, &error);
  test_util_assert_lines (lines, none);
  g_ptr_array_unref (lines);

  test_util_seek_to (stream, 0, IO_WHENCE_SET, 0);
  lines = io_stream_readlines (stream, 0, &error);
  test_util_assert_lines (lines, all);
  g_ptr_array_unref (lines);

  test_util_seek_to (stream, 0, IO_WHENCE_SET, 0);
  joined = io_stream_readlines_joined (stream, 3, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (joined, len, "a\nbb\n", 5);
  g_free (joined);

  lines = io_stream_readlines (stream, -3, &error);
  g_assert_null (lines);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_finalize_object (stream);
}

static void
test_readline_into (void)
{
  g_autofree char *long_line = g_strnfill (300, 'x');
  g_autofree char *text = g_strconcat ("short\n", long_line, "\n", "tail", NULL);
  IoStream *stream = test_util_memory_stream_new (text);
  g_autoptr(GError) error = NULL;
  guint8 *line = NULL;
  gsize capacity = 0;

  g_assert_cmpint (io_stream_readline_into (stream, 2, &line, &capacity, &error), ==, 2);
  g_assert_cmpmem (line, 2, "sh", 2);
  g_assert_cmpuint (line[2], ==, '\0');
  g_assert_cmpuint (capacity, >=, 3);
  g_assert_cmpint (io_stream_readline_into (stream, -1, &line, &capacity, &error), ==, 4);
  g_assert_cmpstr ((const char *) line, ==, "ort\n");

  /* Longer than the inline path serves, and longer than the buffer. */
  g_assert_cmpint (io_stream_readline_into (stream, -1, &line, &capacity, &error), ==, 301);
  g_assert_cmpmem (line, 300, long_line, 300);
  g_assert_cmpuint (line[300], ==, '\n');
  g_assert_cmpuint (line[301], ==, '\0');
  g_assert_cmpuint (capacity, >=, 302);

  g_assert_cmpint (io_stream_readline_into (stream, -1, &line, &capacity, &error), ==, 4);
  g_assert_cmpstr ((const char *) line, ==, "tail");
  g_assert_cmpint (io_stream_readline_into (stream, -1, &line, &capacity, &error), ==, 0);
  g_assert_no_error (error);
  assert_tell (stream, (gint64) strlen (text));

  g_assert_cmpint (io_stream_readline_into (stream, -7, &line, &capacity, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_true (io_stream_close (stream, NULL));
  g_assert_cmpint (io_stream_readline_into (stream, -1, &line, &capacity, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_free (line);
  g_assert_finalize_object (stream);
}

static void
test_getc (void)
{
  IoStream *stream = test_util_memory_stream_new ("ab");
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (io_stream_getc (stream, &error), ==, 'a');
  assert_tell (stream, 1);
  g_assert_cmpint (io_stream_getc (stream, &error), ==, 'b');
  g_assert_cmpint (io_stream_getc (stream, &error), ==, -1);
  g_assert_no_error (error);

  /* Writes and seeks move the inline cursor with them. */
  test_util_seek_to (stream, 1, IO_WHENCE_SET, 1);
  test_util_write_text (stream, "\xff");
  test_util_seek_to (stream, 0, IO_WHENCE_SET, 0);
  g_assert_cmpint (io_stream_getc (stream, &error), ==, 'a');
  g_assert_cmpint (io_stream_getc (stream, &error), ==, 0xff);
  g_assert_no_error (error);

  g_assert_true (io_stream_close (stream, NULL));
  g_assert_cmpint (io_stream_getc (stream, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_assert_finalize_object (stream);
}

static void
test_peek (void)
{
  IoStream *stream = test_util_memory_stream_new ("abc");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) two = io_stream_peek (stream, 2, &error);
  g_autoptr(GBytes) any = io_stream_peek (stream, 0, &error);
  g_autoptr(GBytes) at_end = NULL;

  g_assert_no_error (error);
  test_util_assert_bytes (two, "ab", 2);
  test_util_assert_bytes (any, "abc", 3);
  assert_tell (stream, 0);
  test_util_seek_to (stream, 0, IO_WHENCE_END, 3);
  at_end = io_stream_peek (stream, 1, &error);
  test_util_assert_bytes (at_end, "", 0);
  g_assert_finalize_object (stream);
}

static void
test_writelines (void)
{
  IoStream *stream = io_memory_stream_new (NULL, 0);
  g_autoptr(GBytes) a = g_bytes_new_static ("one", 3);
  g_autoptr(GBytes) b = g_bytes_new_static ("two\n", 4);
  GBytes *lines[] = { a, b };
  g_autoptr(GError) error = NULL;

  g_assert_true (io_stream_writelines (stream, lines, 2, &error));
  g_assert_no_error (error);
  assert_value (stream, "onetwo\n", 7);
  g_assert_cmpint (io_stream_write_bytes (stream, a, &error), ==, 3);
  assert_value (stream, "onetwo\none", 10);
  g_assert_true (io_stream_flush (stream, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (stream);
}

static void
assert_busy (gboolean ok,
             GError **error)
{
  g_assert_false (ok);
  g_assert_error (*error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_assert_cmpstr ((*error)->message, ==, "Existing exports of data: object cannot be re-sized");
  g_clear_error (error);
}

static void
test_export_lock (void)
{
  IoStream *stream = test_util_memory_stream_new ("abcdef");
  IoMemoryStream *memory = IO_MEMORY_STREAM (stream);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) snapshot = NULL;
  guint8 *view = NULL;
  guint8 *second = NULL;
  gsize len = 0;

  g_assert_true (io_memory_stream_acquire_buffer (memory, &view, &len, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (len, ==, 6);
  g_assert_cmpuint (io_memory_stream_get_exports (memory), ==, 1);

  /* Even an in-place write is refused, and so are truncate and close. */
  assert_busy (io_stream_write (stream, (const guint8 *) "x", 1, &error) >= 0, &error);
  assert_busy (io_stream_truncate (stream, 1, &error) >= 0, &error);
  assert_busy (io_stream_close (stream, &error), &error);
  g_assert_false (io_stream_is_closed (stream));

  /* Reads, seeks and get_value still work; the view writes through. */
  test_util_assert_read (stream, 2, "ab");
  test_util_seek_to (stream, 0, IO_WHENCE_SET, 0);
  view[0] = 'A';
  snapshot = io_memory_stream_get_value (memory, &error);
  test_util_assert_bytes (snapshot, "Abcdef", 6);
  view[1] = 'B';
  test_util_assert_bytes (snapshot, "Abcdef", 6);
  assert_value (stream, "ABcdef", 6);

  g_assert_true (io_memory_stream_acquire_buffer (memory, &second, &len, &error));
  g_assert_true (second == view);
  io_memory_stream_release_buffer (memory);
  assert_busy (io_stream_write (stream, (const guint8 *) "x", 1, &error) >= 0, &error);

  io_memory_stream_release_buffer (memory);
  g_assert_cmpuint (io_memory_stream_get_exports (memory), ==, 0);
  test_util_write_text (stream, "x");
  assert_value (stream, "xBcdef", 6);
  g_assert_true (io_stream_close (stream, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (stream);
}

static void
test_export_shared_copies (void)
{
  g_autoptr(GBytes) initial = g_bytes_new_static ("abc", 3);
  IoStream *stream = io_memory_stream_new_from_bytes (initial);
  guint8 *view;
  gsize len;

  g_assert_true (io_memory_stream_acquire_buffer (IO_MEMORY_STREAM (stream), &view, &len, NULL));
  view[0] = 'X';
  test_util_assert_bytes (initial, "abc", 3);
  assert_value (stream, "Xbc", 3);
  io_memory_stream_release_buffer (IO_MEMORY_STREAM (stream));
  g_assert_finalize_object (stream);
}

static void
test_export_holds_reference (void)
{
  IoStream *stream = test_util_memory_stream_new ("abc");
  gsize len;
  guintptr address;

  address = io_memory_stream_acquire_buffer_address (IO_MEMORY_STREAM (stream), &len, NULL);
  g_assert_cmpuint (address, !=, 0);
  g_assert_cmpuint (len, ==, 3);
  /* The export keeps the stream alive after its owner lets go. */
  g_object_unref (stream);
  g_assert_cmpmem ((const guint8 *) address, 3, "abc", 3);
  g_object_ref (stream);
  io_memory_stream_release_buffer (IO_MEMORY_STREAM (stream));
  g_assert_finalize_object (stream);
}

/* Buffers inside the stream's own storage: reads into the exported buffer
 * and writes from it, or from get_value() bytes, act as memmove() would,
 * as g_string_insert_len() does with a source inside its string. The
 * content is checked against a model moved with memmove(); under ASan the
 * copies must not overlap (memcpy-param-overlap) and a growing write must
 * not read its source after freeing the old storage (heap-use-after-free). */
#define OWN_LEN 128

static void
fill_pattern (guint8 *data,
              gsize   len)
{
  for (gsize i = 0; i < len; i++)
    data[i] = (guint8) (i * 7 + 1);
}

static void
test_read_into_own_buffer (void)
{
  g_autoptr(GError) error = NULL;
  guint8 model[OWN_LEN];
  IoStream *stream;
  guint8 *view;
  gsize len;

  fill_pattern (model, OWN_LEN);
  stream = io_memory_stream_new (model, OWN_LEN);
  g_assert_true (io_memory_stream_acquire_buffer (IO_MEMORY_STREAM (stream), &view, &len, &error));

  /* Served by the window, longer than the inline copies. */
  g_assert_cmpint (io_stream_read (stream, view + 8, 32, &error), ==, 32);
  memmove (model + 8, model, 32);
  g_assert_cmpint (io_stream_read1 (stream, view + 24, 40, &error), ==, 40);
  memmove (model + 24, model + 32, 40);
  /* Past the window's end: the backend's read. */
  test_util_seek_to (stream, 100, IO_WHENCE_SET, 100);
  g_assert_cmpint (io_stream_readinto_address (stream, (guintptr) (view + 96), 32, &error), ==, 28);
  memmove (model + 96, model + 100, 28);
  g_assert_no_error (error);
  g_assert_cmpmem (view, OWN_LEN, model, OWN_LEN);

  io_memory_stream_release_buffer (IO_MEMORY_STREAM (stream));
  g_assert_finalize_object (stream);
}

/* The live buffer, which stays valid until the stream next changes. */
static guint8 *
peek_storage (IoStream *stream)
{
  guint8 *view;
  gsize len;

  g_assert_true (io_memory_stream_acquire_buffer (IO_MEMORY_STREAM (stream), &view, &len, NULL));
  io_memory_stream_release_buffer (IO_MEMORY_STREAM (stream));
  return view;
}

/* Writes @count bytes from @source at @position, which must all be taken. */
static void
write_at (IoStream     *stream,
          gint64        position,
          const guint8 *source,
          gsize         count)
{
  g_autoptr(GError) error = NULL;

  test_util_seek_to (stream, position, IO_WHENCE_SET, position);
  g_assert_cmpint (io_stream_write (stream, source, count, &error), ==, (gssize) count);
  g_assert_no_error (error);
}

static void
test_write_from_own_storage (void)
{
  guint8 model[5 * OWN_LEN];
  IoStream *stream;
  GBytes *value;
  const guint8 *data;

  fill_pattern (model, OWN_LEN);
  stream = io_memory_stream_new (model, 64);

  /* In place through the window, the ranges overlapping. */
  write_at (stream, 0, peek_storage (stream) + 4, 40);
  memmove (model, model + 4, 40);
  /* Growing: the source is the storage that growth replaces. */
  write_at (stream, 64, peek_storage (stream), 64);
  memmove (model + 64, model, 64);
  assert_value (stream, (const char *) model, 128);
  /* Growing, the source overlapping the destination. */
  write_at (stream, 100, peek_storage (stream) + 80, 40);
  memmove (model + 100, model + 80, 40);
  assert_value (stream, (const char *) model, 140);

  /* From get_value() bytes the caller let go of, which the stream takes
   * back as its storage before growing it. */
  value = io_memory_stream_get_value (IO_MEMORY_STREAM (stream), NULL);
  data = g_bytes_get_data (value, NULL);
  g_bytes_unref (value);
  write_at (stream, 140, data, 140);
  memmove (model + 140, model, 140);
  assert_value (stream, (const char *) model, 280);
  g_assert_finalize_object (stream);

  /* From the bytes a stream was made over, which only it still holds:
   * its first write copies them and drops them. */
  value = g_bytes_new (model, 64);
  stream = io_memory_stream_new_from_bytes (value);
  data = g_bytes_get_data (value, NULL);
  g_bytes_unref (value);
  write_at (stream, 32, data, 64);
  memmove (model + 32, model, 64);
  assert_value (stream, (const char *) model, 96);
  g_assert_finalize_object (stream);
}

static void
test_reset (void)
{
  g_autoptr(GBytes) initial = g_bytes_new_static ("xyz", 3);
  g_autoptr(GBytes) value = NULL;
  IoStream *stream = test_util_memory_stream_new ("abcdef");
  IoMemoryStream *memory = IO_MEMORY_STREAM (stream);
  g_autoptr(GError) error = NULL;
  guint8 *view = NULL;
  gsize len = 0;

  /* New content, shared, at position 0, whatever came before. */
  test_util_seek_to (stream, 4, IO_WHENCE_SET, 4);
  g_assert_true (io_memory_stream_reset (memory, initial, &error));
  g_assert_no_error (error);
  assert_tell (stream, 0);
  value = io_memory_stream_get_value (memory, NULL);
  g_assert_true (value == initial);
  g_clear_pointer (&value, g_bytes_unref);
  test_util_assert_read (stream, 2, "xy");

  /* Copy-on-write as after new_from_bytes(). */
  test_util_write_text (stream, "Z");
  test_util_assert_bytes (initial, "xyz", 3);
  assert_value (stream, "xyZ", 3);

  /* NULL empties it; writes and reads start again from 0. */
  g_assert_true (io_memory_stream_reset (memory, NULL, &error));
  assert_tell (stream, 0);
  assert_value (stream, "", 0);
  test_util_write_text (stream, "hello");
  test_util_seek_to (stream, 0, IO_WHENCE_SET, 0);
  test_util_assert_read (stream, -1, "hello");

  /* Refused, with everything kept, while a buffer is exported. */
  test_util_seek_to (stream, 1, IO_WHENCE_SET, 1);
  g_assert_true (io_memory_stream_acquire_buffer (memory, &view, &len, &error));
  assert_busy (io_memory_stream_reset (memory, initial, &error), &error);
  assert_tell (stream, 1);
  assert_value (stream, "hello", 5);
  io_memory_stream_release_buffer (memory);

  g_assert_true (io_stream_close (stream, &error));
  g_assert_false (io_memory_stream_reset (memory, initial, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_assert_true (io_stream_is_closed (stream));
  g_assert_finalize_object (stream);
}

static void
test_tty_and_fileno (void)
{
  IoStream *stream = test_util_memory_stream_new ("");
  g_autoptr(GError) error = NULL;

  g_assert_false (io_stream_isatty (stream, &error));
  g_assert_no_error (error);
  g_assert_cmpint (io_stream_fileno (stream, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_finalize_object (stream);
}

static void
test_growth (void)
{
  IoStream *stream = io_memory_stream_new (NULL, 0);
  g_autoptr(GBytes) value = NULL;
  const guint8 *data;
  gsize len;

  for (guint i = 0; i < 100000; i++)
    {
      guint8 byte = (guint8) (i * 7);

      g_assert_cmpint (io_stream_write (stream, &byte, 1, NULL), ==, 1);
    }
  value = io_memory_stream_get_value (IO_MEMORY_STREAM (stream), NULL);
  data = g_bytes_get_data (value, &len);
  g_assert_cmpuint (len, ==, 100000);
  for (guint i = 0; i < 100000; i++)
    g_assert_cmpuint (data[i], ==, (guint8) (i * 7));
  g_assert_finalize_object (stream);
}

/* Growth is geometric: the buffer at least doubles each time it grows, so
 * a million one-byte writes grow it about 14 times (linear growth would
 * take thousands). The write window's end is the end of the buffer, and
 * moves only when the buffer does. */
static void
test_growth_is_geometric (void)
{
  IoStream *stream = io_memory_stream_new (NULL, 0);
  const IoStreamWindow *window = io_stream_get_window (stream);
  const guint8 *end = NULL;
  gsize span = 0;
  guint grows = 0;
  guint8 *data = NULL;
  gsize capacity = 0;

  for (guint i = 0; i < 1000000; i++)
    {
      guint8 byte = (guint8) i;

      g_assert_cmpint (io_stream_write (stream, &byte, 1, NULL), ==, 1);
      if (window->write_end != end)
        {
          /* The room the window offers from the start, at least doubled. */
          gsize new_span = (gsize) (window->write_end - window->pos) + i + 1;

          g_assert_cmpuint (new_span, >=, 2 * span);
          span = new_span;
          end = window->write_end;
          grows++;
        }
    }
  g_assert_cmpuint (grows, <=, 20);
  g_assert_finalize_object (stream);

  /* The policy itself, for any size asked. */
  grows = 0;
  for (gsize needed = 1; needed <= 1 << 22; needed++)
    {
      gsize before = capacity;

      g_assert_true (io_grow_capacity (&data, &capacity, needed, NULL));
      g_assert_cmpuint (capacity, >=, needed);
      if (capacity != before)
        {
          g_assert_cmpuint (capacity, >=, 2 * before);
          grows++;
        }
    }
  g_assert_cmpuint (grows, <=, 17);
  g_clear_pointer (&data, g_free);
  capacity = 0;

  /* Sizes beyond any address space fail before the allocator sees them. */
  g_assert_false (io_grow_capacity (&data, &capacity, IO_BUFFER_MAX + 1, NULL));
  g_assert_null (data);
}

/* Large storage: from 2 MiB up the stream maps its storage (2 MiB-aligned,
 * grown with mremap() on Linux) instead of g_realloc()ing it. These cross
 * that threshold every way the storage can move. */
#define LARGE_THRESHOLD ((gsize) 2 << 20)

static guint8
large_byte (gsize i)
{
  return (guint8) ((i * 2654435761u) >> 13);
}

/* Writes bytes [from, to) of the large pattern at the position, in
 * @chunk-byte writes. */
static void
large_fill (IoStream *stream,
            gsize     from,
            gsize     to,
            gsize     chunk)
{
  g_autofree guint8 *buf = g_malloc (chunk);

  while (from < to)
    {
      gsize n = MIN (chunk, to - from);

      for (gsize i = 0; i < n; i++)
        buf[i] = large_byte (from + i);
      g_assert_cmpint (io_stream_write (stream, buf, n, NULL), ==, (gssize) n);
      from += n;
    }
}

static void
large_assert_pattern (const guint8 *data,
                      gsize         from,
                      gsize         to)
{
  for (gsize i = from; i < to; i++)
    if (data[i] != large_byte (i))
      g_error ("byte %" G_GSIZE_FORMAT " is %u, expected %u", i, data[i], large_byte (i));
}

static void
large_assert_value (IoStream *stream,
                    gsize     len)
{
  g_autoptr(GBytes) value = io_memory_stream_get_value (IO_MEMORY_STREAM (stream), NULL);

  g_assert_cmpuint (g_bytes_get_size (value), ==, len);
  large_assert_pattern (g_bytes_get_data (value, NULL), 0, len);
}

static void
test_large_grow_through (void)
{
  IoStream *stream = io_memory_stream_new (NULL, 0);
  IoMemoryStream *memory = IO_MEMORY_STREAM (stream);
  gsize total = 4 * LARGE_THRESHOLD + 123;
  guint8 *data;
  gsize len;

  /* 16-byte writes (the inline window) up to and across the threshold,
   * then large ones across two more doublings. */
  large_fill (stream, 0, LARGE_THRESHOLD + 16, 16);
  large_fill (stream, LARGE_THRESHOLD + 16, total, 65536 + 7);
  g_assert_true (io_memory_stream_acquire_buffer (memory, &data, &len, NULL));
  g_assert_cmpuint (len, ==, total);
  large_assert_pattern (data, 0, total);
#ifdef __linux__
  g_assert_cmpuint ((guintptr) data % LARGE_THRESHOLD, ==, 0);
#endif
  io_memory_stream_release_buffer (memory);

  /* A gap past the end is zero-filled across the threshold too. */
  test_util_seek_to (stream, 0, IO_WHENCE_SET, 0);
  g_assert_true (io_memory_stream_reset (memory, NULL, NULL));
  test_util_seek_to (stream, (gint64) LARGE_THRESHOLD, IO_WHENCE_SET, (gint64) LARGE_THRESHOLD);
  test_util_write_text (stream, "x");
  g_assert_true (io_memory_stream_acquire_buffer (memory, &data, &len, NULL));
  g_assert_cmpuint (len, ==, LARGE_THRESHOLD + 1);
  for (gsize i = 0; i < LARGE_THRESHOLD; i += 4093)
    g_assert_cmpuint (data[i], ==, 0);
  g_assert_cmpuint (data[LARGE_THRESHOLD], ==, 'x');
  io_memory_stream_release_buffer (memory);
  g_assert_finalize_object (stream);
}

static void
test_large_get_value (void)
{
  IoStream *stream = io_memory_stream_new (NULL, 0);
  IoMemoryStream *memory = IO_MEMORY_STREAM (stream);
  gsize total = LARGE_THRESHOLD + 4096;
  GBytes *held;
  const guint8 *lent;

  large_fill (stream, 0, total, 4096);

  /* Nobody keeps the value: the next write takes the mapping back. */
  {
    g_autoptr(GBytes) value = io_memory_stream_get_value (memory, NULL);
    lent = g_bytes_get_data (value, NULL);
    g_assert_true (io_memory_stream_get_value (memory, NULL) == value);
    g_bytes_unref (value);
  }
  large_fill (stream, total, total + 16, 16);
  total += 16;
  {
    g_autoptr(GBytes) value = io_memory_stream_get_value (memory, NULL);
    g_assert_true (g_bytes_get_data (value, NULL) == lent);
    g_assert_cmpuint (g_bytes_get_size (value), ==, total);
  }

  /* Copy-on-write: the held value keeps the old content, and outlives
   * both the stream's next growth and the stream. */
  held = io_memory_stream_get_value (memory, NULL);
  test_util_seek_to (stream, 0, IO_WHENCE_SET, 0);
  test_util_write_text (stream, "ZZ");
  test_util_seek_to (stream, 0, IO_WHENCE_END, (gint64) total);
  large_fill (stream, total, 2 * LARGE_THRESHOLD + 1, 65536);
  g_assert_cmpuint (g_bytes_get_size (held), ==, total);
  large_assert_pattern (g_bytes_get_data (held, NULL), 0, total);
  {
    g_autoptr(GBytes) value = io_memory_stream_get_value (memory, NULL);
    const guint8 *data = g_bytes_get_data (value, NULL);

    g_assert_true (data != g_bytes_get_data (held, NULL));
    g_assert_cmpmem (data, 2, "ZZ", 2);
    large_assert_pattern (data, 2, 2 * LARGE_THRESHOLD + 1);
  }
  g_assert_finalize_object (stream);
  large_assert_pattern (g_bytes_get_data (held, NULL), 0, total);
  g_bytes_unref (held);
}

/* The value's last reference may go on another thread while the stream
 * takes its storage back: whichever side is last, the mapping is freed
 * once (or taken back) and the content is right. */
static gpointer
unref_bytes_thread (gpointer data)
{
  g_bytes_unref (data);
  return NULL;
}

static void
test_large_get_value_threads (void)
{
  IoStream *stream = io_memory_stream_new (NULL, 0);
  IoMemoryStream *memory = IO_MEMORY_STREAM (stream);
  gsize total = LARGE_THRESHOLD;

  large_fill (stream, 0, total, 65536);
  for (guint i = 0; i < 40; i++)
    {
      GBytes *value = io_memory_stream_get_value (memory, NULL);
      GThread *thread = g_thread_new ("unref", unref_bytes_thread, value);

      large_fill (stream, total, total + 16, 16);
      total += 16;
      g_thread_join (thread);
      large_assert_value (stream, total);
    }
  g_assert_finalize_object (stream);
}

static void
test_large_truncate (void)
{
  IoStream *stream = io_memory_stream_new (NULL, 0);
  IoMemoryStream *memory = IO_MEMORY_STREAM (stream);
  gsize total = 2 * LARGE_THRESHOLD + 5;
  g_autoptr(GBytes) held = NULL;

  large_fill (stream, 0, total, 65536);

  /* Shrunk below the threshold, the storage stays mapped: lent, taken
   * back, grown again. */
  g_assert_cmpint (io_stream_truncate (stream, 1000, NULL), ==, 1000);
  large_assert_value (stream, 1000);
  test_util_seek_to (stream, 1000, IO_WHENCE_SET, 1000);
  large_fill (stream, 1000, total + 7, 65536);
  large_assert_value (stream, total + 7);

  /* Truncating shared content, then writing, copies it: a large copy, and
   * a small one out of a mapping. */
  held = io_memory_stream_get_value (memory, NULL);
  g_assert_cmpint (io_stream_truncate (stream, (gint64) LARGE_THRESHOLD + 3, NULL), ==,
                   (gint64) LARGE_THRESHOLD + 3);
  test_util_seek_to (stream, 0, IO_WHENCE_END, (gint64) LARGE_THRESHOLD + 3);
  large_fill (stream, LARGE_THRESHOLD + 3, total, 4096);
  large_assert_value (stream, total);

  g_clear_pointer (&held, g_bytes_unref);
  held = io_memory_stream_get_value (memory, NULL);
  g_assert_cmpint (io_stream_truncate (stream, 100, NULL), ==, 100);
  test_util_seek_to (stream, 0, IO_WHENCE_END, 100);
  large_fill (stream, 100, 200, 16);
  large_assert_value (stream, 200);
  large_fill (stream, 200, LARGE_THRESHOLD + 1, 65536);
  large_assert_value (stream, LARGE_THRESHOLD + 1);
  large_assert_pattern (g_bytes_get_data (held, NULL), 0, total);
  g_assert_finalize_object (stream);
}

static void
test_large_export (void)
{
  IoStream *stream = io_memory_stream_new (NULL, 0);
  IoMemoryStream *memory = IO_MEMORY_STREAM (stream);
  gsize total = LARGE_THRESHOLD + 1;
  g_autoptr(GBytes) held = NULL;
  g_autoptr(GError) error = NULL;
  guint8 *data;
  gsize len;

  large_fill (stream, 0, total, 65536);
  held = io_memory_stream_get_value (memory, NULL);

  /* Exporting lent storage copies it out of the value... */
  g_assert_true (io_memory_stream_acquire_buffer (memory, &data, &len, &error));
  g_assert_no_error (error);
  g_assert_true (data != g_bytes_get_data (held, NULL));
  g_assert_cmpuint (len, ==, total);
  data[0] = 'A';
  data[total - 1] = 'B';
  g_assert_cmpint (io_stream_write (stream, (const guint8 *) "x", 1, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_clear_error (&error);
  {
    /* ...and get_value() copies while it is exported. */
    g_autoptr(GBytes) value = io_memory_stream_get_value (memory, NULL);
    const guint8 *bytes = g_bytes_get_data (value, NULL);

    g_assert_true (bytes != data);
    g_assert_cmpuint (bytes[0], ==, 'A');
    g_assert_cmpuint (bytes[total - 1], ==, 'B');
  }
  io_memory_stream_release_buffer (memory);
  large_assert_pattern (g_bytes_get_data (held, NULL), 0, total);

  /* Released, the stream grows again past the next doubling. */
  test_util_seek_to (stream, 0, IO_WHENCE_END, (gint64) total);
  large_fill (stream, total, 3 * LARGE_THRESHOLD, 65536);
  g_assert_true (io_memory_stream_acquire_buffer (memory, &data, &len, NULL));
  g_assert_cmpuint (len, ==, 3 * LARGE_THRESHOLD);
  g_assert_cmpuint (data[0], ==, 'A');
  large_assert_pattern (data, total, 3 * LARGE_THRESHOLD);
  io_memory_stream_release_buffer (memory);
  g_assert_finalize_object (stream);
}

static void
test_large_reset_close (void)
{
  IoStream *stream = io_memory_stream_new (NULL, 0);
  IoMemoryStream *memory = IO_MEMORY_STREAM (stream);
  g_autoptr(GBytes) big = NULL;
  g_autoptr(GBytes) held = NULL;
  g_autofree guint8 *model = g_malloc (LARGE_THRESHOLD + 9);

  /* Reset releases a mapping, lent or not. */
  large_fill (stream, 0, LARGE_THRESHOLD + 9, 65536);
  held = io_memory_stream_get_value (memory, NULL);
  g_assert_true (io_memory_stream_reset (memory, NULL, NULL));
  large_assert_pattern (g_bytes_get_data (held, NULL), 0, LARGE_THRESHOLD + 9);
  large_fill (stream, 0, LARGE_THRESHOLD + 9, 65536);
  g_assert_true (io_memory_stream_reset (memory, NULL, NULL));
  assert_value (stream, "", 0);

  /* Large bytes it was given are copied into a mapping on the first
   * write, and left alone. */
  for (gsize i = 0; i < LARGE_THRESHOLD + 9; i++)
    model[i] = large_byte (i);
  big = g_bytes_new (model, LARGE_THRESHOLD + 9);
  g_assert_true (io_memory_stream_reset (memory, big, NULL));
  test_util_seek_to (stream, 0, IO_WHENCE_END, (gint64) LARGE_THRESHOLD + 9);
  large_fill (stream, LARGE_THRESHOLD + 9, 2 * LARGE_THRESHOLD + 1, 65536);
  large_assert_value (stream, 2 * LARGE_THRESHOLD + 1);
  large_assert_pattern (g_bytes_get_data (big, NULL), 0, LARGE_THRESHOLD + 9);

  /* Closing frees the mapping; a value lent before stays valid. */
  g_clear_pointer (&held, g_bytes_unref);
  held = io_memory_stream_get_value (memory, NULL);
  test_util_close_ok (stream);
  large_assert_pattern (g_bytes_get_data (held, NULL), 0, 2 * LARGE_THRESHOLD + 1);
  g_assert_finalize_object (stream);

  /* And finalizing a stream with a large storage, never lent. */
  stream = io_memory_stream_new (NULL, 0);
  large_fill (stream, 0, LARGE_THRESHOLD + 1, 65536);
  g_assert_finalize_object (stream);
}

static void
assert_closed_error (gboolean ok,
                     GError **error)
{
  g_assert_false (ok);
  g_assert_error (*error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_clear_error (error);
}

static void
test_closed (void)
{
  IoStream *stream = test_util_memory_stream_new ("abc");
  IoMemoryStream *memory = IO_MEMORY_STREAM (stream);
  GError *error = NULL;
  guint8 buffer[2];
  guint8 *view;
  gsize len;

  g_assert_true (io_stream_close (stream, &error));
  g_assert_true (io_stream_close (stream, &error));
  g_assert_no_error (error);
  g_assert_true (io_stream_is_closed (stream));

  assert_closed_error (io_memory_stream_get_value (memory, &error) != NULL, &error);
  assert_closed_error (io_memory_stream_acquire_buffer (memory, &view, &len, &error), &error);
  assert_closed_error (io_stream_read (stream, buffer, 2, &error) >= 0, &error);
  assert_closed_error (io_stream_write (stream, buffer, 2, &error) >= 0, &error);
  assert_closed_error (io_stream_seek (stream, 0, IO_WHENCE_SET, &error) >= 0, &error);
  assert_closed_error (io_stream_tell (stream, &error) >= 0, &error);
  assert_closed_error (io_stream_truncate (stream, 0, &error) >= 0, &error);
  assert_closed_error (io_stream_flush (stream, &error), &error);
  assert_closed_error (io_stream_readable (stream, &error), &error);
  assert_closed_error (io_stream_writable (stream, &error), &error);
  assert_closed_error (io_stream_seekable (stream, &error), &error);
  assert_closed_error (io_stream_isatty (stream, &error), &error);
  assert_closed_error (io_stream_fileno (stream, &error) >= 0, &error);
  assert_closed_error (io_stream_readline (stream, -1, &error) != NULL, &error);
  assert_closed_error (io_stream_readlines (stream, -1, &error) != NULL, &error);
  assert_closed_error (io_stream_read1_bytes (stream, -1, &error) != NULL, &error);
  assert_closed_error (io_stream_peek (stream, 1, &error) != NULL, &error);
  assert_closed_error (io_stream_readall (stream, &error) != NULL, &error);
  g_assert_finalize_object (stream);
}

static void
test_properties (void)
{
  g_autoptr(GBytes) initial = g_bytes_new_static ("xyz", 3);
  IoStream *stream = g_object_new (IO_TYPE_MEMORY_STREAM, "initial-bytes", initial, NULL);
  guint notified = 0;
  gboolean closed = TRUE;

  assert_value (stream, "xyz", 3);
  g_object_get (stream, "closed", &closed, NULL);
  g_assert_false (closed);

  g_signal_connect (stream, "notify::closed", G_CALLBACK (test_util_count_notify), &notified);
  g_assert_true (io_stream_close (stream, NULL));
  g_assert_true (io_stream_close (stream, NULL));
  g_assert_cmpuint (notified, ==, 1);
  g_object_get (stream, "closed", &closed, NULL);
  g_assert_true (closed);
  g_assert_finalize_object (stream);
}

static void
test_dispose_closes (void)
{
  IoStream *stream = test_util_memory_stream_new ("abc");
  guint notified = 0;

  g_signal_connect (stream, "notify::closed", G_CALLBACK (test_util_count_notify), &notified);
  g_object_run_dispose (G_OBJECT (stream));
  g_assert_true (io_stream_is_closed (stream));
  g_assert_cmpuint (notified, ==, 1);
  g_assert_finalize_object (stream);
}

static void
test_precondition_new (void)
{
  if (g_test_subprocess ())
    {
      IoStream *stream = io_memory_stream_new (NULL, 3);

      g_assert_null (stream);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CRITICAL*io_memory_stream_new*data != NULL || len == 0*");
}

static void
test_precondition_release (void)
{
  if (g_test_subprocess ())
    {
      IoStream *stream = test_util_memory_stream_new ("abc");

      io_memory_stream_release_buffer (IO_MEMORY_STREAM (stream));
      g_object_unref (stream);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CRITICAL*io_memory_stream_release_buffer*exports > 0*");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Io/MemoryStream/new/empty", test_new_empty);
  g_test_add_func ("/Io/MemoryStream/new/copies-data", test_new_copies_data);
  g_test_add_func ("/Io/MemoryStream/new/from-bytes-shares", test_from_bytes_shares);
  g_test_add_func ("/Io/MemoryStream/get-value/steals-back", test_get_value_steals_back);
  g_test_add_func ("/Io/MemoryStream/seed-scenario", test_seed_scenario);
  g_test_add_func ("/Io/MemoryStream/seek/past-end", test_seek_past_end);
  g_test_add_func ("/Io/MemoryStream/seek/edges", test_seek_edges);
  g_test_add_func ("/Io/MemoryStream/write/huge-offset", test_huge_write_fails_cleanly);
  g_test_add_func ("/Io/MemoryStream/truncate", test_truncate);
  g_test_add_func ("/Io/MemoryStream/truncate/shared", test_truncate_shared);
  g_test_add_func ("/Io/MemoryStream/truncate/within-capacity", test_truncate_within_capacity);
  g_test_add_func ("/Io/MemoryStream/get-value/survives-writes-in-place",
                   test_value_survives_writes_in_place);
  g_test_add_func ("/Io/MemoryStream/read/sizes", test_read_sizes);
  g_test_add_func ("/Io/MemoryStream/read1", test_read1);
  g_test_add_func ("/Io/MemoryStream/readinto", test_readinto);
  g_test_add_func ("/Io/MemoryStream/readline", test_readline);
  g_test_add_func ("/Io/MemoryStream/readlines", test_readlines);
  g_test_add_func ("/Io/MemoryStream/readline-into", test_readline_into);
  g_test_add_func ("/Io/MemoryStream/getc", test_getc);
  g_test_add_func ("/Io/MemoryStream/peek", test_peek);
  g_test_add_func ("/Io/MemoryStream/writelines", test_writelines);
  g_test_add_func ("/Io/MemoryStream/export/lock", test_export_lock);
  g_test_add_func ("/Io/MemoryStream/export/shared-copies", test_export_shared_copies);
  g_test_add_func ("/Io/MemoryStream/export/holds-reference", test_export_holds_reference);
  g_test_add_func ("/Io/MemoryStream/own-storage/read-into", test_read_into_own_buffer);
  g_test_add_func ("/Io/MemoryStream/own-storage/write-from", test_write_from_own_storage);
  g_test_add_func ("/Io/MemoryStream/reset", test_reset);
  g_test_add_func ("/Io/MemoryStream/tty-and-fileno", test_tty_and_fileno);
  g_test_add_func ("/Io/MemoryStream/growth", test_growth);
  g_test_add_func ("/Io/MemoryStream/growth-is-geometric", test_growth_is_geometric);
  g_test_add_func ("/Io/MemoryStream/large/grow-through", test_large_grow_through);
  g_test_add_func ("/Io/MemoryStream/large/get-value", test_large_get_value);
  g_test_add_func ("/Io/MemoryStream/large/get-value-threads", test_large_get_value_threads);
  g_test_add_func ("/Io/MemoryStream/large/truncate", test_large_truncate);
  g_test_add_func ("/Io/MemoryStream/large/export", test_large_export);
  g_test_add_func ("/Io/MemoryStream/large/reset-close", test_large_reset_close);
  g_test_add_func ("/Io/MemoryStream/closed", test_closed);
  g_test_add_func ("/Io/MemoryStream/properties", test_properties);
  g_test_add_func ("/Io/MemoryStream/dispose-closes", test_dispose_closes);
  g_test_add_func ("/Io/MemoryStream/precondition/new", test_precondition_new);
  g_test_add_func ("/Io/MemoryStream/precondition/release", test_precondition_release);

  return g_test_run ();
}
