/* test-text-stream.c: IoTextStream, decoded text over a binary stream
 *
 * Most tests run over a memory stream and over TrickleFilter, a stream
 * whose reads return at most a few bytes, so that every multibyte
 * character, byte order mark and "\r\n" pair is split at every offset.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include "io-text-stream-private.h"
#include "libstream.h"
#include "test-util.h"

#define LINE_DOTS "......................................................................"

#define TRICKLE_TYPE_FILTER (trickle_filter_get_type ())
G_DECLARE_FINAL_TYPE (TrickleFilter, trickle_filter, TRICKLE, FILTER, IoFilterStream)

struct _TrickleFilter
{
  IoFilterStream parent_instance;
  gsize step;
  guint flushes;
  guint empty_reads;
};

G_DEFINE_FINAL_TYPE (TrickleFilter, trickle_filter, IO_TYPE_FILTER_STREAM)

static gssize
trickle_filter_read (IoStream  *stream,
                     guint8    *buffer,
                     gsize      count,
                     GError   **error)
{
  IoStream *base = io_filter_stream_get_base_stream (IO_FILTER_STREAM (stream));
  gssize n = io_stream_read1 (base, buffer, MIN (count, TRICKLE_FILTER (stream)->step), error);

  TRICKLE_FILTER (stream)->empty_reads += n == 0;
  return n;
}

static gboolean
trickle_filter_flush (IoStream  *stream,
                      GError   **error)
{
  TRICKLE_FILTER (stream)->flushes++;
  return IO_STREAM_CLASS (trickle_filter_parent_class)->flush (stream, error);
}

static void
trickle_filter_class_init (TrickleFilterClass *klass)
{
  IO_STREAM_CLASS (klass)->read = trickle_filter_read;
  IO_STREAM_CLASS (klass)->flush = trickle_filter_flush;
}

static void
trickle_filter_init (TrickleFilter *self)
{
}

/* A stream holding @len bytes of @data, read @step bytes at a time (all
 * at once for 0). */
static IoStream *
stream_new (const char *data,
            gssize      len,
            gsize       step)
{
  IoStream *memory = io_memory_stream_new ((const guint8 *) data,
                                           len < 0 ? strlen (data) : (gsize) len);
  TrickleFilter *trickle;

  if (step == 0)
    return memory;
  trickle = g_object_new (TRICKLE_TYPE_FILTER, "base-stream", memory, NULL);
  trickle->step = step;
  g_object_unref (memory);
  return IO_STREAM (trickle);
}

static IoTextStream *
text_new (const char *data,
          gssize      len,
          gsize       step,
          const char *encoding,
          const char *errors,
          const char *newline)
{
  g_autoptr(IoStream) buffer = stream_new (data, len, step);
  g_autoptr(GError) error = NULL;
  IoTextStream *text = io_text_stream_new (buffer, encoding, errors, newline, FALSE, FALSE,
                                           &error);

  g_assert_no_error (error);
  g_assert_nonnull (text);
  return text;
}

typedef char *(*TextReader) (IoTextStream *, gssize, gsize *, GError **);

/* Checks that @reader (read or readline) with @size gives @expected. */
static void
assert_text (TextReader    reader,
             IoTextStream *text,
             gssize        size,
             const char   *expected)
{
  g_autoptr(GError) error = NULL;
  gsize len;
  g_autofree char *got = reader (text, size, &len, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (got, ==, expected);
  g_assert_cmpuint (len, ==, strlen (expected));
}

#define assert_readline(text, limit, expected) \
  assert_text (io_text_stream_readline, (text), (limit), (expected))
#define assert_read(text, n_chars, expected) \
  assert_text (io_text_stream_read, (text), (n_chars), (expected))

static void
assert_lines (IoTextStream      *text,
              const char *const *expected)
{
  for (; *expected != NULL; expected++)
    assert_readline (text, -1, *expected);
  assert_readline (text, -1, "");
}

/* readline_into(): one buffer reused from line to line, started empty or
 * too small, so that it grows; the line NUL-terminated, its length
 * returned; the end of the stream 0, with an empty string. */
static void
assert_lines_into (IoTextStream      *text,
                   gsize              initial,
                   const char *const *expected)
{
  g_autoptr(GError) error = NULL;
  char *buffer = initial > 0 ? g_malloc (initial) : NULL;
  gsize capacity = initial;

  for (; *expected != NULL; expected++)
    {
      gssize len = io_text_stream_readline_into (text, -1, &buffer, &capacity, &error);

      g_assert_no_error (error);
      g_assert_cmpint (len, ==, strlen (*expected));
      g_assert_cmpstr (buffer, ==, *expected);
      g_assert_cmpuint (capacity, >, (gsize) len);
    }
  g_assert_cmpint (io_text_stream_readline_into (text, -1, &buffer, &capacity, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpstr (buffer, ==, "");
  g_free (buffer);
}

/* The text of a buffer that is a memory stream, or a trickle over one. */
static char *
buffer_contents (IoTextStream *text,
                 gsize        *len)
{
  IoStream *buffer = io_text_stream_get_buffer (text);
  g_autoptr(GBytes) bytes = NULL;
  const guint8 *data;

  if (IO_IS_FILTER_STREAM (buffer))
    buffer = io_filter_stream_get_base_stream (IO_FILTER_STREAM (buffer));
  bytes = io_memory_stream_get_value (IO_MEMORY_STREAM (buffer), NULL);
  data = g_bytes_get_data (bytes, len);
  return g_memdup2 (data, *len);
}

static const gsize steps[] = { 0, 1, 2, 3, 5 };

/* Every newline mode, as CPython splits and translates the same bytes. */
static void
test_newline_modes (void)
{
  static const char input[] = "a\xc3\xa9\r\nb\xe2\x82\xac\rc\nd\xf0\x9f\x98\x80\r";
  static const struct {
    const char *newline;
    const char *lines[6];
  } modes[] = {
    { NULL, { "a\xc3\xa9\n", "b\xe2\x82\xac\n", "c\n", "d\xf0\x9f\x98\x80\n", NULL } },
    { "", { "a\xc3\xa9\r\n", "b\xe2\x82\xac\r", "c\n", "d\xf0\x9f\x98\x80\r", NULL } },
    { "\n", { "a\xc3\xa9\r\n", "b\xe2\x82\xac\rc\n", "d\xf0\x9f\x98\x80\r", NULL } },
    { "\r", { "a\xc3\xa9\r", "\nb\xe2\x82\xac\r", "c\nd\xf0\x9f\x98\x80\r", NULL } },
    { "\r\n", { "a\xc3\xa9\r\n", "b\xe2\x82\xac\rc\nd\xf0\x9f\x98\x80\r", NULL } },
  };

  static const gsize initial[] = { 0, 1, 4, 256 };

  for (gsize m = 0; m < G_N_ELEMENTS (modes); m++)
    for (gsize s = 0; s < G_N_ELEMENTS (steps); s++)
      {
        g_autoptr(IoTextStream) text = text_new (input, -1, steps[s], NULL, NULL,
                                                 modes[m].newline);
        assert_lines (text, modes[m].lines);
        /* The same through readline_into(), whatever the buffer's size. */
        for (gsize i = 0; i < G_N_ELEMENTS (initial); i++)
          {
            g_autoptr(IoTextStream) into = text_new (input, -1, steps[s], NULL, NULL,
                                                     modes[m].newline);
            assert_lines_into (into, initial[i], modes[m].lines);
          }
      }
}

static void
test_newlines_seen (void)
{
  g_autoptr(IoTextStream) text = text_new ("a\r\nb\nc", -1, 0, NULL, NULL, NULL);
  g_auto(GStrv) seen = NULL;

  g_assert_null (io_text_stream_get_newlines (text));
  assert_read (text, -1, "a\nb\nc");
  seen = io_text_stream_get_newlines (text);
  g_assert_cmpstrv (seen, ((const char *const[]) { "\n", "\r\n", NULL }));
}

static void
test_readline_limit_and_read_chars (void)
{
  for (gsize s = 0; s < G_N_ELEMENTS (steps); s++)
    {
      g_autoptr(IoTextStream) text = text_new ("\xc3\xa9t\xc3\xa9\nab", -1, steps[s],
                                               NULL, NULL, NULL);

      assert_readline (text, 2, "\xc3\xa9t");
      assert_readline (text, 0, "");
      assert_readline (text, 5, "\xc3\xa9\n");
      assert_read (text, 1, "a");
      assert_read (text, 5, "b");
      assert_read (text, 5, "");
    }
}

static void
test_readlines_and_iteration (void)
{
  g_autoptr(IoTextStream) text = text_new ("a\nbb\nccc\n", -1, 0, NULL, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = io_text_stream_readlines (text, 3, &error);
  g_autofree char *line = NULL;
  IoTextCookie cookie;

  g_assert_no_error (error);
  g_assert_cmpstrv (lines, ((const char *const[]) { "a\n", "bb\n", NULL }));
  /* As after next() in CPython, tell() waits for the end of the loop. */
  g_assert_false (io_text_stream_tell (text, &cookie, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_clear_error (&error);
  line = io_text_stream_next_line (text, NULL, &error);
  g_assert_cmpstr (line, ==, "ccc\n");
  g_assert_null (io_text_stream_next_line (text, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (io_text_stream_tell (text, &cookie, &error));
  g_assert_cmpint (cookie.position, ==, 9);
}

/* Each charset decodes, whatever the chunks. */
static void
test_charsets (void)
{
  static const struct {
    const char *encoding;
    const char *bytes;
    gsize len;
    const char *text;
  } cases[] = {
    { "latin-1", "caf\xe9\r\n\xff", 7, "caf\xc3\xa9\n\xc3\xbf" },
    { "ISO-8859-15", "\xa4", 1, "\xe2\x82\xac" },
    { "utf-8-sig", "\xef\xbb\xbf" "a\xef\xbb\xbf", 7, "a\xef\xbb\xbf" },
    { "utf-8-sig", "ab", 2, "ab" },
    { "utf_16", "\xff\xfe" "a\0\r\0\n\0=\xd8\0\xde", 12, "a\n\xf0\x9f\x98\x80" },
    { "UTF-16", "\xfe\xff\0a\0\r", 6, "a\n" },
    { "utf-16-be", "\0a\xfe\xff", 4, "a\xef\xbb\xbf" },
    { "utf-32", "\xff\xfe\0\0" "a\0\0\0", 8, "a" },
    { "shift_jis", "\x82\xa0\x8a\xbf\r\n\xb6", 7, "\xe3\x81\x82\xe6\xbc\xa2\n\xef\xbd\xb6" },
    { "EUC-JP", "\xa4\xa2", 2, "\xe3\x81\x82" },
  };

  for (gsize c = 0; c < G_N_ELEMENTS (cases); c++)
    for (gsize s = 0; s < G_N_ELEMENTS (steps); s++)
      {
        g_autoptr(IoTextStream) text = text_new (cases[c].bytes, cases[c].len, steps[s],
                                                 cases[c].encoding, NULL, NULL);
        assert_read (text, -1, cases[c].text);
      }
}

static void
test_bad_arguments (void)
{
  g_autoptr(IoStream) buffer = io_memory_stream_new (NULL, 0);
  g_autoptr(GError) error = NULL;

  g_assert_null (io_text_stream_new (buffer, "no-such-charset", NULL, NULL, FALSE, FALSE,
                                     &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_null (io_text_stream_new (buffer, NULL, "fancy", NULL, FALSE, FALSE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (io_text_stream_new (buffer, NULL, NULL, "\n\n", FALSE, FALSE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  if (g_test_subprocess ())
    {
      IoTextStream *text = io_text_stream_new (NULL, NULL, NULL, NULL, FALSE, FALSE, NULL);
      g_assert_null (text);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*IO_IS_STREAM (buffer)*");
}

static void
test_decoding_errors (void)
{
  for (gsize s = 0; s < G_N_ELEMENTS (steps); s++)
    {
      g_autoptr(IoTextStream) strict = text_new ("ab\ncd\xff" "ef", 8, steps[s], NULL, NULL,
                                                 NULL);
      g_autoptr(IoTextStream) replace = text_new ("a\xe2\x82" "b\xff", 5, steps[s], NULL,
                                                  "replace", NULL);
      g_autoptr(IoTextStream) ignore = text_new ("a\xe2\x82" "b\xff", 5, steps[s], NULL,
                                                 "ignore", NULL);
      g_autoptr(IoTextStream) truncated = text_new ("a\0b\xe2\x82", 5, steps[s], NULL, NULL,
                                                    NULL);
      g_autoptr(GError) error = NULL;
      g_autofree char *line = NULL;
      gsize len;

      if (steps[s] != 0)
        assert_readline (strict, -1, "ab\n");
      line = io_text_stream_read (strict, -1, NULL, &error);
      g_assert_null (line);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      g_assert_nonnull (strstr (error->message, "byte 0xff in position 5"));
      g_clear_error (&error);

      /* One U+FFFD for a cut sequence, as CPython replaces it. */
      assert_read (replace, -1, "a\xef\xbf\xbd" "b\xef\xbf\xbd");
      assert_read (ignore, -1, "ab");

      line = io_text_stream_read (truncated, 2, &len, &error);
      g_assert_no_error (error);
      g_assert_cmpmem (line, len, "a\0", 2);
      g_clear_pointer (&line, g_free);
      line = io_text_stream_read (truncated, -1, NULL, &error);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      g_assert_nonnull (strstr (error->message, "position 3-4: unexpected end of data"));
    }
}

static void
test_utf16_needs_bom (void)
{
  g_autoptr(IoTextStream) text = text_new ("a\0", 2, 0, "utf-16", NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *got = io_text_stream_read (text, -1, NULL, &error);

  g_assert_null (got);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_cmpstr (error->message, ==, "UTF-16 stream does not start with BOM");
}

static void
assert_contents (IoTextStream *text,
                 const char   *expected,
                 gsize         expected_len)
{
  gsize len;
  g_autofree char *contents = buffer_contents (text, &len);

  g_assert_cmpmem (contents, len, expected, expected_len);
}

static void
test_write (void)
{
  g_autoptr(IoTextStream) crlf = text_new ("", 0, 0, "latin-1", "backslashreplace", "\r\n");
  g_autoptr(IoTextStream) strict = text_new ("", 0, 0, "latin-1", NULL, NULL);
  g_autoptr(IoTextStream) sjis = text_new ("", 0, 0, "shift_jis", "replace", NULL);
  g_autoptr(IoTextStream) jis = text_new ("", 0, 0, "iso2022_jp", NULL, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (io_text_stream_write (crlf, "caf\xc3\xa9\n\xe2\x82\xac\xf0\x9f\x98\x80", -1,
                                         &error), ==, 7);
  g_assert_no_error (error);
  assert_contents (crlf, "caf\xe9\r\n\\u20ac\\U0001f600", 22);

  g_assert_cmpint (io_text_stream_write (strict, "a\xe2\x82\xac", -1, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "in position 1"));
  g_clear_error (&error);
  g_assert_cmpint (io_text_stream_write (strict, "\xff", 1, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_cmpint (io_text_stream_write (sjis, "\xe3\x81\x82\xc3\xa9!", -1, &error), ==, 3);
  g_assert_no_error (error);
  assert_contents (sjis, "\x82\xa0?!", 4);

  /* After a seek past the start, an ISO-2022-JP encoder designates ASCII
   * again, as CPython's after setstate(0), whatever came before. */
  g_assert_cmpint (io_text_stream_write (jis, "\xe6\x97\xa5", -1, &error), ==, 1);
  g_assert_cmpint (io_text_stream_seek_end (jis, &error), ==, 5);
  g_assert_cmpint (io_text_stream_write (jis, "a\xe6\x97\xa5" "b", -1, &error), ==, 3);
  g_assert_no_error (error);
  assert_contents (jis, "\x1b$BF|\x1b(Ba\x1b$BF|\x1b(Bb", 18);
}

/* A byte order mark once at the start, again after seek(0). */
static void
test_write_bom (void)
{
  static const char *const encodings[] = { "utf-16", "utf-8-sig" };
  static const char *const expected[] = { "\xff\xfe" "a\0b\0", "\xef\xbb\xbf" "ab" };
  static const gsize lens[] = { 6, 5 };

  for (gsize e = 0; e < G_N_ELEMENTS (encodings); e++)
    {
      g_autoptr(IoTextStream) text = text_new ("", 0, 0, encodings[e], NULL, NULL);
      g_autoptr(GError) error = NULL;
      IoTextCookie start = { 0 };

      g_assert_cmpint (io_text_stream_write (text, "a", -1, &error), ==, 1);
      g_assert_cmpint (io_text_stream_write (text, "b", -1, &error), ==, 1);
      assert_contents (text, expected[e], lens[e]);
      g_assert_true (io_text_stream_seek (text, &start, &error));
      g_assert_cmpint (io_text_stream_write (text, "a", -1, &error), ==, 1);
      assert_contents (text, expected[e], lens[e]);
      g_assert_cmpint (io_text_stream_seek_end (text, &error), ==, lens[e]);
      g_assert_cmpint (io_text_stream_write (text, "", -1, &error), ==, 0);
      assert_contents (text, expected[e], lens[e]);
      g_assert_true (io_text_stream_seek (text, &start, &error));
      assert_read (text, -1, "ab");
      g_assert_no_error (error);
    }
}

/* surrogateescape reads each undecodable byte as U+DC80..U+DCFF in
 * generalized UTF-8 and writes those back as the bytes. */
static void
test_surrogateescape (void)
{
  static const struct {
    const char *encoding;
    const char *bytes;
    gsize len;
    const char *const lines[3];
  } cases[] = {
    { "utf-8", "a\xff\xc3\r\nb\xe2\x82", 8,
      { "a\xed\xb3\xbf\xed\xb3\x83\n", "b\xed\xb3\xa2\xed\xb2\x82" } },
    { "ascii", "caf\xe9\r\x80", 6, { "caf\xed\xb3\xa9\n", "\xed\xb2\x80" } },
    { "shift_jis", "\x82\xa0\xff\r\n", 5, { "\xe3\x81\x82\xed\xb3\xbf\n" } },
  };

  for (gsize c = 0; c < G_N_ELEMENTS (cases); c++)
    for (gsize s = 0; s < G_N_ELEMENTS (steps); s++)
      {
        g_autoptr(IoTextStream) text = text_new (cases[c].bytes, cases[c].len, steps[s],
                                                 cases[c].encoding, "surrogateescape", NULL);
        g_autoptr(IoTextStream) copy = text_new ("", 0, 0, cases[c].encoding,
                                                 "surrogateescape", "\r\n");
        g_autoptr(GError) error = NULL;
        IoTextCookie start = { 0 };
        g_autofree char *all = NULL;
        gsize len;

        assert_lines (text, cases[c].lines);
        g_assert_true (io_text_stream_seek (text, &start, &error));
        all = io_text_stream_read (text, -1, &len, &error);
        g_assert_no_error (error);
        g_assert_cmpint (io_text_stream_write (copy, all, len, &error), ==,
                         g_utf8_strlen (all, len));
        g_assert_no_error (error);
        /* Only the \r\n line ends read as \n come back otherwise. */
        if (c != 1)
          assert_contents (copy, cases[c].bytes, cases[c].len);
        else
          assert_contents (copy, "caf\xe9\r\n\x80", 7);
      }
}

/* An escape is an error for every other handler, and surrogateescape
 * takes no byte below 0x80 nor other surrogates, as CPython. */
static void
test_surrogateescape_errors (void)
{
  g_autoptr(IoTextStream) strict = text_new ("", 0, 0, NULL, NULL, NULL);
  g_autoptr(IoTextStream) latin1 = text_new ("", 0, 0, "latin-1", "replace", NULL);
  g_autoptr(IoTextStream) escape = text_new ("", 0, 0, "ascii", "surrogateescape", NULL);
  g_autoptr(IoTextStream) utf16 = text_new ("\xff\xfe\x00\xd8" "a\0", 6, 0, "utf-16",
                                            "surrogateescape", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *got = NULL;

  g_assert_cmpint (io_text_stream_write (strict, "ab\xed\xb3\xbf", -1, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_cmpstr (error->message, ==, "'utf-8' codec can't encode character '\\udcff' in "
                   "position 2: surrogates not allowed");
  g_clear_error (&error);
  g_assert_cmpint (io_text_stream_write (latin1, "\xed\xb3\xbf!", -1, &error), ==, 2);
  assert_contents (latin1, "?!", 2);
  /* U+DC41 would be "A", U+D800 is no escape, U+00E9 is no surrogate. */
  g_assert_cmpint (io_text_stream_write (escape, "\xed\xb1\x81", -1, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_assert_cmpint (io_text_stream_write (escape, "\xed\xa0\x80", -1, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_assert_cmpint (io_text_stream_write (escape, "\xc3\xa9", -1, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "can't encode character '\\u00e9' in position 0"));
  g_clear_error (&error);
  assert_contents (escape, "", 0);
  /* A cut escape is still not UTF-8. */
  g_assert_cmpint (io_text_stream_write (strict, "\xed\xb3", -1, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  got = io_text_stream_read (utf16, -1, NULL, &error);
  g_assert_null (got);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "bytes in position 2-3"));
}

/* surrogatepass: UTF-8's encoded surrogates read and written as they
 * are, every other error stands, as in CPython. */
static void
test_surrogatepass (void)
{
  for (gsize s = 0; s < G_N_ELEMENTS (steps); s++)
    {
      g_autoptr(IoTextStream) text = text_new ("a\xed\xb2\x80\xed\xa0\xbd" "b", 8, steps[s],
                                               "utf-8", "surrogatepass", NULL);
      g_autoptr(IoTextStream) bad = text_new ("a\xed\xb2" "b\xff", 5, steps[s], "utf-8",
                                              "surrogatepass", NULL);
      g_autoptr(IoTextStream) copy = text_new ("", 0, 0, "utf-8", "surrogatepass", NULL);
      g_autoptr(IoTextStream) latin1 = text_new ("", 0, 0, "latin-1", "surrogatepass", NULL);
      g_autoptr(GError) error = NULL;
      g_autofree char *got = NULL;

      assert_read (text, 2, "a\xed\xb2\x80");
      assert_read (text, -1, "\xed\xa0\xbd" "b");
      got = io_text_stream_read (bad, -1, NULL, &error);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      g_assert_nonnull (strstr (error->message, "byte 0xed in position 1"));
      g_clear_error (&error);

      g_assert_cmpint (io_text_stream_write (copy, "a\xed\xb2\x80" "b", -1, &error), ==, 3);
      assert_contents (copy, "a\xed\xb2\x80" "b", 5);
      g_assert_cmpint (io_text_stream_write (latin1, "\xed\xb2\x80", -1, &error), ==, -1);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
    }
}

/* tell() before each character and seek() back to it, for every
 * charset and chunking: the rest read from there is the same. */
static void
test_tell_seek_round_trip (void)
{
  static const struct {
    const char *encoding;
    const char *newline;
    const char *bytes;
    gsize len;
    const char *errors;
  } cases[] = {
    { NULL, NULL, "a\xc3\xa9\r\nb\r\rc\xf0\x9f\x98\x80\r", 14 },
    { NULL, NULL, "a\xff\r\n\xe2\x82\xac\xe2\x82", 9, "surrogateescape" },
    { "shift_jis", NULL, "\x82\xa0\xff\x82\xa0\x82", 6, "surrogateescape" },
    { NULL, "", "a\r\n\r\xc3\xa9\n", 7 },
    { "utf-8-sig", NULL, "\xef\xbb\xbf" "a\r\nb", 7 },
    { "utf-16", NULL, "\xff\xfe" "a\0\r\0\n\0=\xd8\0\xde" "b\0", 14 },
    { "utf-16", "\r\n", "\xfe\xff\0a\0\r\0\n\0b", 10 },
    { "shift_jis", NULL, "\x82\xa0\r\n\x8a\xbf" "a", 7 },
    { "latin-1", "\r", "\xe9\r\n\r", 4 },
    /* The shift state of ISO-2022 in a cookie: "a日本\r\nb日\n", … */
    { "iso2022_jp", NULL, "a\x1b$BF|K\\\x1b(B\r\nb\x1b$BF|\x1b(B\n", 23 },
    { "ISO-2022-JP-2", "", "\x1b$BF|\x1b$(D+1\x1b$BK\\\x1b(B\r\nb\x1b$BF|\x1b(B\n", 31 },
    { "ISO-2022-KR", NULL, "\x1b$)Ca\x0eGQ19\x0f\r\nb\x0eGQ\x0f\n", 19 },
    /* glibc reads an ESC that starts no escape sequence as a character. */
    { "iso2022_jp", NULL, "a\x1b\x1b$BF|K\\\x1b(Bb", 13 },
    { "ISO-2022-CN", NULL, "a\x1b$)A\x0eHU1>\x0f\r\nb\x1b$)A\x0eHU\x0f\n", 23 },
  };

  for (gsize c = 0; c < G_N_ELEMENTS (cases); c++)
    for (gsize s = 0; s < G_N_ELEMENTS (steps); s++)
      {
        g_autoptr(IoTextStream) text = text_new (cases[c].bytes, cases[c].len, steps[s],
                                                 cases[c].encoding, cases[c].errors,
                                                 cases[c].newline);
        g_autoptr(GArray) cookies = g_array_new (FALSE, FALSE, sizeof (IoTextCookie));
        g_autoptr(GPtrArray) rests = g_ptr_array_new_with_free_func (g_free);
        g_autoptr(GError) error = NULL;
        g_autofree char *all = io_text_stream_read (text, -1, NULL, &error);
        IoTextCookie start = { 0 };

        g_assert_no_error (error);
        g_assert_true (io_text_stream_seek (text, &start, &error));
        for (const char *p = all;; p = g_utf8_next_char (p))
          {
            IoTextCookie cookie;
            g_autofree char *one = NULL;

            g_assert_true (io_text_stream_tell (text, &cookie, &error));
            g_assert_no_error (error);
            g_array_append_val (cookies, cookie);
            g_ptr_array_add (rests, g_strdup (p));
            one = io_text_stream_read (text, 1, NULL, &error);
            g_assert_no_error (error);
            if (*p == '\0')
              {
                g_assert_cmpstr (one, ==, "");
                break;
              }
            g_assert_cmpmem (one, strlen (one), p, g_utf8_next_char (p) - p);
          }
        for (guint i = cookies->len; i-- > 0;)
          {
            g_assert_true (io_text_stream_seek (text, &g_array_index (cookies, IoTextCookie, i),
                                                &error));
            g_assert_no_error (error);
            assert_read (text, -1, rests->pdata[i]);
          }
      }
}

static void
test_seek_errors (void)
{
  g_autoptr(IoTextStream) text = text_new ("abc", -1, 0, NULL, NULL, NULL);
  g_autoptr(GError) error = NULL;
  IoTextCookie cookie = { .position = -1 };

  g_assert_false (io_text_stream_seek (text, &cookie, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  cookie = (IoTextCookie) { .position = 1, .chars_to_skip = 5, .bytes_to_feed = 2 };
  g_assert_false (io_text_stream_seek (text, &cookie, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_cmpint (io_text_stream_seek_end (text, &error), ==, 3);
  assert_read (text, -1, "");
}

static void
test_truncate_detach_close (void)
{
  g_autoptr(IoTextStream) text = text_new ("abc\ndef", -1, 0, NULL, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(IoStream) buffer = NULL;
  g_autofree char *got = NULL;

  g_assert_cmpint (io_text_stream_truncate (text, 4, &error), ==, 4);
  assert_read (text, -1, "abc\n");
  buffer = io_text_stream_detach (text, &error);
  g_assert_no_error (error);
  g_assert_true (IO_IS_MEMORY_STREAM (buffer));
  g_assert_null (io_text_stream_get_buffer (text));
  g_assert_true (io_text_stream_is_closed (text));
  got = io_text_stream_read (text, -1, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_assert_cmpstr (error->message, ==, "underlying buffer has been detached");
  g_clear_error (&error);
  g_assert_true (io_text_stream_close (text, &error));

  g_clear_object (&text);
  text = io_text_stream_new (buffer, NULL, NULL, NULL, FALSE, FALSE, &error);
  g_assert_true (io_text_stream_close (text, &error));
  g_assert_true (io_stream_is_closed (buffer));
  g_assert_true (io_text_stream_is_closed (text));
  g_assert_cmpint (io_text_stream_write (text, "x", -1, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_assert_finalize_object (g_steal_pointer (&text));
}

static void
test_line_buffering (void)
{
  g_autoptr(IoTextStream) text = text_new ("", 0, 4, NULL, NULL, NULL);
  TrickleFilter *buffer = TRICKLE_FILTER (io_text_stream_get_buffer (text));
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (io_text_stream_write (text, "a\n", -1, &error), ==, 2);
  g_assert_cmpuint (buffer->flushes, ==, 0);
  g_assert_true (io_text_stream_reconfigure (text, NULL, NULL, FALSE, NULL, TRUE, -1, &error));
  g_assert_true (io_text_stream_get_line_buffering (text));
  g_assert_cmpuint (buffer->flushes, ==, 1);
  g_assert_cmpint (io_text_stream_write (text, "b", -1, &error), ==, 1);
  g_assert_cmpuint (buffer->flushes, ==, 1);
  g_assert_cmpint (io_text_stream_write (text, "c\r", -1, &error), ==, 2);
  g_assert_cmpuint (buffer->flushes, ==, 2);
  g_assert_no_error (error);
}

static void
test_reconfigure (void)
{
  g_autoptr(IoTextStream) text = text_new ("\xe9\r\n\xe9", 4, 0, NULL, NULL, "");
  g_autoptr(GError) error = NULL;
  IoTextCookie start = { 0 };

  g_assert_true (io_text_stream_reconfigure (text, "latin-1", NULL, TRUE, NULL, -1, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (io_text_stream_get_encoding (text), ==, "latin-1");
  g_assert_cmpstr (io_text_stream_get_errors (text), ==, "strict");
  g_assert_null (io_text_stream_get_newline (text));
  g_assert_true (io_text_stream_get_write_through (text));
  assert_readline (text, -1, "\xc3\xa9\n");
  g_assert_false (io_text_stream_reconfigure (text, "utf-8", NULL, FALSE, NULL, -1, -1,
                                              &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  /* A seek gives the decoded text up, and the charset can change. */
  g_assert_true (io_text_stream_seek (text, &start, &error));
  g_assert_true (io_text_stream_reconfigure (text, "utf-8", "replace", FALSE, NULL, -1, -1,
                                             &error));
  assert_read (text, -1, "\xef\xbf\xbd\n\xef\xbf\xbd");
}

static gssize
sink_write (gpointer       user_data,
            const guint8  *buffer,
            gsize          count,
            GError       **error)
{
  g_string_append_len (user_data, (const char *) buffer, count);
  return count;
}

/* Over a write-only, unseekable stream: no decoder, no cookies. */
static void
test_write_only_unseekable (void)
{
  static const IoStreamFuncs funcs = { sizeof funcs, .write = sink_write };
  GString *sink = g_string_new (NULL);
  g_autoptr(IoStream) buffer = io_stream_new_from_funcs (&funcs, sink, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(IoTextStream) text = io_text_stream_new (buffer, "utf-16", NULL, "\r\n", FALSE,
                                                     FALSE, &error);
  g_autofree char *got = NULL;
  IoTextCookie cookie;

  g_assert_no_error (error);
  g_assert_false (io_text_stream_readable (text, &error));
  g_assert_true (io_text_stream_writable (text, &error));
  g_assert_false (io_text_stream_seekable (text, &error));
  g_assert_no_error (error);
  got = io_text_stream_read (text, -1, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_cmpstr (error->message, ==, "not readable");
  g_clear_error (&error);
  g_assert_false (io_text_stream_tell (text, &cookie, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_cmpstr (error->message, ==, "underlying stream is not seekable");
  g_clear_error (&error);
  g_assert_cmpint (io_text_stream_write (text, "a\n", -1, &error), ==, 2);
  g_assert_cmpmem (sink->str, sink->len, "\xff\xfe" "a\0\r\0\n\0", 8);
  g_string_free (sink, TRUE);
}

/* io_open_text() is open() in a text mode: a text stream over the
 * buffered layer the mode with `b` gives, with open()'s checks. */
/* Lines longer than the vectorised search's steps and than a chunk, with
 * every newline mode's line end at each offset of a 32-byte step. */
static void
test_readline_into_long_lines (void)
{
  static const char *const newlines[] = { NULL, "", "\n", "\r", "\r\n" };
  static const gsize lengths[] = { 1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 80, 127, 128, 129,
                                   8191, 8192, 8193, 20000 };

  for (gsize n = 0; n < G_N_ELEMENTS (newlines); n++)
    {
      const char *end = newlines[n] == NULL || newlines[n][0] == '\0' ? "\r\n" : newlines[n];
      const char *want_end = newlines[n] == NULL ? "\n" : end;
      g_autoptr(GString) input = g_string_new (NULL);
      g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(IoTextStream) text = NULL;

      for (gsize l = 0; l < G_N_ELEMENTS (lengths); l++)
        {
          g_autofree char *body = g_strnfill (lengths[l], (char) ('a' + l));

          g_string_append_printf (input, "%s%s", body, end);
          g_ptr_array_add (expected, g_strconcat (body, want_end, NULL));
        }
      g_ptr_array_add (expected, NULL);
      text = text_new (input->str, input->len, 0, NULL, NULL, newlines[n]);
      assert_lines_into (text, 0, (const char *const *) expected->pdata);
    }
}

/* A '\r' that ends a read: universal newlines wait for the next read to
 * tell "\r\n" from '\r'. The short reads are Io.FaultStream's. */
static void
test_readline_into_cr_at_chunk_end (void)
{
  static const char input[] = "ab\r\ncd\ref\r";
  static const struct {
    const char *newline;
    const char *lines[4];
  } modes[] = {
    { NULL, { "ab\n", "cd\n", "ef\n", NULL } },
    { "", { "ab\r\n", "cd\r", "ef\r", NULL } },
  };

  for (gsize m = 0; m < G_N_ELEMENTS (modes); m++)
    for (gint64 cut = 1; cut < (gint64) sizeof input - 1; cut++)
      {
        g_autoptr(IoStream) memory = io_memory_stream_new ((const guint8 *) input,
                                                           sizeof input - 1);
        g_autoptr(IoStream) fault = io_fault_stream_new (memory);
        g_autoptr(GError) error = NULL;
        g_autoptr(IoTextStream) text = NULL;

        /* The first read stops at @cut, the next one moves one byte. */
        io_fault_stream_add_fault (IO_FAULT_STREAM (fault), IO_FAULT_OP_READ,
                                   IO_FAULT_KIND_SHORT, 0, cut, 1, 1);
        text = io_text_stream_new (fault, NULL, NULL, modes[m].newline, FALSE,
                                   FALSE, &error);
        g_assert_no_error (error);
        assert_lines_into (text, 0, modes[m].lines);
      }
}

/* The limit counts characters, a line cut by it goes on at the next call,
 * and a line longer than a chunk is cut inside a later chunk. */
static void
test_readline_into_limit (void)
{
  g_autofree char *long_line = g_strnfill (10000, 'x');
  g_autofree char *input = g_strconcat ("\xc3\xa9t\xc3\xa9\n", long_line, "\n", NULL);

  for (gsize s = 0; s < G_N_ELEMENTS (steps); s++)
    {
      g_autoptr(IoTextStream) text = text_new (input, -1, steps[s], NULL, NULL, NULL);
      g_autoptr(GError) error = NULL;
      g_autofree char *buffer = NULL;
      gsize capacity = 0;

      g_assert_cmpint (io_text_stream_readline_into (text, 2, &buffer, &capacity, &error),
                       ==, 3);
      g_assert_cmpstr (buffer, ==, "\xc3\xa9t");
      g_assert_cmpint (io_text_stream_readline_into (text, 0, &buffer, &capacity, &error),
                       ==, 0);
      g_assert_cmpstr (buffer, ==, "");
      g_assert_cmpint (io_text_stream_readline_into (text, 5, &buffer, &capacity, &error),
                       ==, 3);
      g_assert_cmpstr (buffer, ==, "\xc3\xa9\n");
      g_assert_cmpint (io_text_stream_readline_into (text, 9000, &buffer, &capacity, &error),
                       ==, 9000);
      g_assert_cmpmem (buffer, 9000, long_line, 9000);
      g_assert_cmpint (buffer[9000], ==, '\0');
      g_assert_cmpint (io_text_stream_readline_into (text, -1, &buffer, &capacity, &error),
                       ==, 1001);
      g_assert_cmpint (buffer[1000], ==, '\n');
      g_assert_no_error (error);
    }
}

/* Errors: -1 with the error, the buffer still the caller's; a decoding
 * error, a failing read in the middle of a line, a closed, detached or
 * write-only stream; and the programmer errors. */
static void
test_readline_into_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *buffer = g_malloc (4);
  gsize capacity = 4;

  for (gsize s = 0; s < G_N_ELEMENTS (steps); s++)
    {
      g_autoptr(IoTextStream) text = text_new ("ab\ncd\xff" "ef\n", 9, steps[s], NULL, NULL,
                                               NULL);

      /* Read whole, the chunk fails before its first line, as in CPython. */
      if (steps[s] != 0)
        {
          g_assert_cmpint (io_text_stream_readline_into (text, -1, &buffer, &capacity, &error),
                           ==, 3);
          g_assert_cmpstr (buffer, ==, "ab\n");
        }
      g_assert_cmpint (io_text_stream_readline_into (text, -1, &buffer, &capacity, &error),
                       ==, -1);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      g_assert_nonnull (strstr (error->message, "byte 0xff in position 5"));
      g_clear_error (&error);
    }

  {
    g_autoptr(IoStream) memory = io_memory_stream_new ((const guint8 *) "abcdef\n", 7);
    g_autoptr(IoStream) fault = io_fault_stream_new (memory);
    g_autoptr(IoTextStream) text = NULL;

    io_fault_stream_add_fault (IO_FAULT_STREAM (fault), IO_FAULT_OP_READ, IO_FAULT_KIND_FAIL,
                               0, 3, 0, 1);
    text = io_text_stream_new (fault, NULL, NULL, NULL, FALSE, FALSE, &error);
    g_assert_no_error (error);
    g_assert_cmpint (io_text_stream_readline_into (text, -1, &buffer, &capacity, &error),
                     ==, -1);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
    g_clear_error (&error);
    g_assert_cmpint (io_text_stream_readline_into (text, -1, &buffer, &capacity, &error),
                     ==, 4);
    g_assert_cmpstr (buffer, ==, "def\n");

    g_assert_true (io_text_stream_close (text, &error));
    g_assert_cmpint (io_text_stream_readline_into (text, -1, &buffer, &capacity, &error),
                     ==, -1);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
    g_clear_error (&error);
  }

  {
    g_autoptr(IoTextStream) text = text_new ("ab\ncd\n", -1, 0, NULL, NULL, NULL);
    g_autoptr(IoStream) detached = NULL;

    g_assert_cmpint (io_text_stream_readline_into (text, -1, &buffer, &capacity, &error),
                     ==, 3);
    detached = io_text_stream_detach (text, &error);
    g_assert_no_error (error);
    g_assert_cmpint (io_text_stream_readline_into (text, -1, &buffer, &capacity, &error),
                     ==, -1);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
    g_clear_error (&error);
  }

  {
    static const IoStreamFuncs funcs = { sizeof funcs, .write = sink_write };
    GString *sink = g_string_new (NULL);
    IoStream *writer = io_stream_new_from_funcs (&funcs, sink, NULL);
    IoTextStream *text = io_text_stream_new (writer, NULL, NULL, NULL, FALSE, FALSE, &error);

    g_assert_no_error (error);
    g_assert_cmpint (io_text_stream_readline_into (text, -1, &buffer, &capacity, &error),
                     ==, -1);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
    g_clear_error (&error);
    g_object_unref (text);
    g_object_unref (writer);
    g_string_free (sink, TRUE);
  }

  if (g_test_subprocess ())
    {
      g_autoptr(IoTextStream) text = text_new ("a\n", -1, 0, NULL, NULL, NULL);
      char *none = NULL;
      gsize some = 8;

      g_assert_cmpint (io_text_stream_readline_into (text, -1, &none, &some, NULL), ==, -1);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*buffer != NULL || *capacity == 0*");
}

/* readline_into() keeps tell() working, as readline() does (only the
 * loop of next_line() turns it off), with cookies that seek back to the
 * line after it. */
static void
test_readline_into_tell (void)
{
  for (gsize s = 0; s < G_N_ELEMENTS (steps); s++)
    {
      g_autoptr(IoTextStream) text = text_new ("a\xc3\xa9\r\nb\rc\n", -1, steps[s], NULL,
                                               NULL, NULL);
      g_autoptr(GError) error = NULL;
      g_autofree char *buffer = NULL;
      gsize capacity = 0;
      IoTextCookie cookie;

      g_assert_cmpint (io_text_stream_readline_into (text, -1, &buffer, &capacity, &error),
                       ==, 4);
      g_assert_true (io_text_stream_tell (text, &cookie, &error));
      g_assert_no_error (error);
      g_assert_cmpint (io_text_stream_readline_into (text, -1, &buffer, &capacity, &error),
                       ==, 2);
      g_assert_cmpstr (buffer, ==, "b\n");
      g_assert_true (io_text_stream_seek (text, &cookie, &error));
      g_assert_cmpint (io_text_stream_readline_into (text, -1, &buffer, &capacity, &error),
                       ==, 2);
      g_assert_cmpstr (buffer, ==, "b\n");
      g_assert_cmpint (io_text_stream_readline_into (text, -1, &buffer, &capacity, &error),
                       ==, 2);
      g_assert_cmpstr (buffer, ==, "c\n");
      g_assert_true (io_text_stream_tell (text, &cookie, &error));
      g_assert_cmpint (cookie.position, ==, 9);
      g_assert_no_error (error);
    }
}

/* ASCII lines, several chunks of them, with @extra (if any) at @at. */
static GString *
window_text (const char *extra,
             gsize       at)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; text->len < 30000; i++)
    g_string_append_printf (text, "line %u %.*s\n", i, (int) (i % 70), LINE_DOTS);
  if (extra != NULL)
    g_string_insert (text, at, extra);
  return text;
}

/* Reads lines to the end, or to an error, checking each against @text. */
static gsize
read_window_lines (IoTextStream  *stream,
                   const char    *text,
                   GError       **error)
{
  g_autofree char *line = NULL;
  gsize capacity = 0, offset = 0;
  gssize len;

  while ((len = io_text_stream_readline_into (stream, -1, &line, &capacity, error)) > 0)
    {
      g_assert_cmpmem (line, len, text + offset, len);
      offset += len;
    }
  return offset;
}

/* Lines taken straight from the buffer's window (ASCII chunks) keep what
 * CPython shows of its chunks: a decoding error fails the readline that
 * reads the chunk holding it, not the line it is in; the buffer, its
 * position and the text after a line are where the chunk leaves them. */
static void
test_window_chunks (void)
{
  g_autoptr(GString) plain = window_text (NULL, 0);
  g_autoptr(GString) bad = window_text ("\xff", 20000);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  gsize capacity = 0, ends_before = 0;
  IoTextCookie cookie;

  /* Over memory and over a file: every line, and tell() at its end. */
  {
    g_autofree char *dir = test_util_make_tmp_dir ("io-text-window-XXXXXX");
    g_autofree char *path = g_build_filename (dir, "lines.txt", NULL);
    g_autoptr(IoTextStream) memory = text_new (plain->str, plain->len, 0, NULL, NULL, NULL);
    g_autoptr(IoTextStream) file = NULL;

    test_util_write_file (path, plain->str, plain->len);
    file = io_open_text (path, "r", -1, "utf-8", NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (read_window_lines (memory, plain->str, &error), ==, plain->len);
    g_assert_no_error (error);
    g_assert_cmpuint (read_window_lines (file, plain->str, &error), ==, plain->len);
    g_assert_no_error (error);
    g_assert_true (io_text_stream_close (file, &error));
    test_util_remove_tree (dir);
  }

  /* Over a buffered reader of 64 KiB (its window filled by a peek, as
   * the read1() of a chunk would fill it), in reads of 20000 bytes: each
   * readline() at the end reads the raw stream's end once. */
  {
    g_autoptr(IoStream) raw = stream_new (plain->str, plain->len, 20000);
    g_autoptr(IoStream) reader = io_buffered_reader_new (raw, 65536, &error);
    g_autoptr(IoTextStream) text = NULL;

    g_assert_no_error (error);
    text = io_text_stream_new (reader, "utf-8", NULL, NULL, FALSE, FALSE, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (read_window_lines (text, plain->str, &error), ==, plain->len);
    g_assert_no_error (error);
    g_assert_cmpuint (TRICKLE_FILTER (raw)->empty_reads, ==, 1);
    g_assert_cmpint (io_text_stream_readline_into (text, -1, &line, &capacity, &error), ==, 0);
    g_assert_cmpuint (TRICKLE_FILTER (raw)->empty_reads, ==, 2);
  }

  /* The line that reaches the chunk [16384, 24576) fails. */
  for (const char *p = bad->str; (p = strchr (p, '\n')) != NULL && p < bad->str + 16384; p++)
    ends_before = p + 1 - bad->str;
  {
    g_autoptr(IoTextStream) text = text_new (bad->str, bad->len, 0, NULL, NULL, NULL);

    g_assert_cmpuint (read_window_lines (text, bad->str, &error), ==, ends_before);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
    g_assert_nonnull (strstr (error->message, "byte 0xff in position 20000"));
    g_clear_error (&error);
  }

  /* After a line, tell() gives its end, the buffer sits at the chunk's
   * end, and a write lands there. */
  {
    g_autoptr(IoTextStream) text = text_new (plain->str, plain->len, 0, NULL, NULL, NULL);
    IoStream *buffer = io_text_stream_get_buffer (text);
    gssize len = io_text_stream_readline_into (text, -1, &line, &capacity, &error);
    g_autoptr(GBytes) value = NULL;

    g_assert_cmpint (len, >, 0);
    g_assert_true (io_text_stream_tell (text, &cookie, &error));
    g_assert_cmpint (cookie.position, ==, len);
    g_assert_cmpint (io_text_stream_readline_into (text, -1, &line, &capacity, &error), >, 0);
    g_assert_cmpint (io_text_stream_write (text, "XYZ", -1, &error), ==, 3);
    g_assert_true (io_text_stream_flush (text, &error));
    value = io_memory_stream_get_value (IO_MEMORY_STREAM (buffer), &error);
    g_assert_cmpmem (g_bytes_get_data (value, NULL), 8192, plain->str, 8192);
    g_assert_cmpmem ((const char *) g_bytes_get_data (value, NULL) + 8192, 3, "XYZ", 3);
    g_assert_no_error (error);
  }
  {
    g_autoptr(IoTextStream) text = text_new (plain->str, plain->len, 0, NULL, NULL, NULL);

    g_assert_cmpint (io_text_stream_readline_into (text, -1, &line, &capacity, &error), >, 0);
    g_assert_cmpint (io_stream_tell (io_text_stream_get_buffer (text), &error), ==, 8192);
    g_assert_no_error (error);
  }
}

/* Whether @data holds only ASCII other than @stop, byte by byte. */
static gboolean
plain_bytes (const guint8 *data,
             gsize         len,
             char          stop)
{
  for (gsize i = 0; i < len; i++)
    if (data[i] >= 0x80 || data[i] == (guint8) stop)
      return FALSE;
  return TRUE;
}

/* The checks that make a chunk a window chunk, SSE2 and AVX2 (which the
 * stream uses where the CPU has it), agree with a byte loop at every
 * length, stop byte, position and kind of byte that is not plain. */
static void
test_window_chunk_check (void)
{
  static const guint8 odd[] = { 0x80, 0xff, '\r', 0 };
  static const char stops[] = { '\r', '\0' };
  guint8 data[200];

  for (gsize len = 0; len <= sizeof data; len++)
    for (guint s = 0; s < G_N_ELEMENTS (stops); s++)
      for (gsize at = 0; at <= len; at++)
        for (guint k = 0; k < G_N_ELEMENTS (odd); k++)
          {
            gboolean expected;

            for (gsize i = 0; i < len; i++)
              data[i] = (guint8) ('a' + i % 26);
            if (at < len)
              data[at] = odd[k];
            expected = plain_bytes (data, len, stops[s]);
            g_assert_cmpint (io_text_is_plain_sse2 (data, len, stops[s]), ==, expected);
#ifdef IO_TEXT_HAVE_AVX2
            if (__builtin_cpu_supports ("avx2"))
              g_assert_cmpint (io_text_is_plain_avx2 (data, len, stops[s]), ==, expected);
#endif
          }
}

/* tell() replays the decoder from its snapshot and puts the state back,
 * a held '\r' included: the chunk after it must not be read as a window
 * chunk, whose text is its bytes, or the '\r' would be lost. Here the
 * first chunk (8192 bytes) ends with '\r' and the second is plain ASCII. */
static void
test_tell_keeps_held_cr (void)
{
  g_autoptr(GString) data = g_string_new ("x\n");
  g_autofree char *line = NULL;
  g_autoptr(GError) error = NULL;
  IoTextCookie cookie;
  IoTextStream *text;
  gsize len;

  while (data->len < 8191)
    g_string_append_c (data, 'a');
  g_string_append (data, "\rbb\nbb\n");
  text = text_new (data->str, data->len, 0, NULL, NULL, NULL);
  assert_text (io_text_stream_readline, text, -1, "x\n");
  g_assert_true (io_text_stream_tell (text, &cookie, &error));
  g_assert_no_error (error);
  line = io_text_stream_readline (text, -1, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (len, ==, 8190);
  g_assert_cmpstr (line + 8185, ==, "aaaa\n");
  assert_text (io_text_stream_readline, text, -1, "bb\n");
  assert_text (io_text_stream_readline, text, -1, "bb\n");
  assert_text (io_text_stream_readline, text, -1, "");
  g_assert_finalize_object (text);
}

static void
test_open_text (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = test_util_make_tmp_dir ("io-open-text-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "latin1.csv", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing", NULL);
  g_autofree char *line = NULL;
  g_autofree char *content = NULL;
  IoTextStream *text;
  gsize len;

  test_util_write_file (path, "caf\xe9;1\r\nna\xefve;2\r\n", -1);
  text = io_open_text (path, "rt", -1, "latin-1", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (IO_IS_BUFFERED_READER (io_text_stream_get_buffer (text)));
  line = io_text_stream_readline (text, -1, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "caf\xc3\xa9;1\n");
  g_assert_true (io_text_stream_close (text, &error));
  g_assert_finalize_object (text);

  /* Written as UTF-8 with \r\n, read back whole; line buffering with 1. */
  text = io_open_text (path, "w", 1, NULL, NULL, "\r\n", &error);
  g_assert_no_error (error);
  g_assert_true (io_text_stream_get_line_buffering (text));
  g_assert_true (IO_IS_BUFFERED_WRITER (io_text_stream_get_buffer (text)));
  g_assert_cmpint (io_text_stream_write (text, "\xe2\x82\xac\n", -1, &error), ==, 2);
  g_assert_true (io_text_stream_close (text, &error));
  g_assert_finalize_object (text);
  content = test_util_read_file (path, &len);
  g_assert_cmpmem (content, len, "\xe2\x82\xac\r\n", 5);

  text = io_open_text (path, "r+", -1, "utf-8", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (IO_IS_BUFFERED_RANDOM (io_text_stream_get_buffer (text)));
  g_assert_true (io_text_stream_close (text, &error));
  g_assert_finalize_object (text);

  /* open()'s refusals. */
  g_assert_null (io_open_text (path, "rb", -1, NULL, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_null (io_open (path, "r", -1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_null (io_open_text (path, "r", 0, NULL, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "can't have unbuffered text I/O");
  g_clear_error (&error);
  g_assert_null (io_open_text (path, "rw", -1, NULL, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (io_open_text (missing, "r", -1, NULL, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (io_open_text (path, "r", -1, "no-such-charset", NULL, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  test_util_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/TextStream/newline-modes", test_newline_modes);
  g_test_add_func ("/TextStream/readline-into/long-lines", test_readline_into_long_lines);
  g_test_add_func ("/TextStream/readline-into/cr-at-chunk-end",
                   test_readline_into_cr_at_chunk_end);
  g_test_add_func ("/TextStream/readline-into/limit", test_readline_into_limit);
  g_test_add_func ("/TextStream/readline-into/errors", test_readline_into_errors);
  g_test_add_func ("/TextStream/readline-into/tell", test_readline_into_tell);
  g_test_add_func ("/TextStream/newlines-seen", test_newlines_seen);
  g_test_add_func ("/TextStream/readline-limit-and-read-chars",
                   test_readline_limit_and_read_chars);
  g_test_add_func ("/TextStream/readlines-and-iteration", test_readlines_and_iteration);
  g_test_add_func ("/TextStream/charsets", test_charsets);
  g_test_add_func ("/TextStream/bad-arguments", test_bad_arguments);
  g_test_add_func ("/TextStream/decoding-errors", test_decoding_errors);
  g_test_add_func ("/TextStream/surrogateescape", test_surrogateescape);
  g_test_add_func ("/TextStream/surrogateescape-errors", test_surrogateescape_errors);
  g_test_add_func ("/TextStream/surrogatepass", test_surrogatepass);
  g_test_add_func ("/TextStream/utf16-needs-bom", test_utf16_needs_bom);
  g_test_add_func ("/TextStream/write", test_write);
  g_test_add_func ("/TextStream/write-bom", test_write_bom);
  g_test_add_func ("/TextStream/tell-seek-round-trip", test_tell_seek_round_trip);
  g_test_add_func ("/TextStream/seek-errors", test_seek_errors);
  g_test_add_func ("/TextStream/truncate-detach-close", test_truncate_detach_close);
  g_test_add_func ("/TextStream/line-buffering", test_line_buffering);
  g_test_add_func ("/TextStream/reconfigure", test_reconfigure);
  g_test_add_func ("/TextStream/write-only-unseekable", test_write_only_unseekable);
  g_test_add_func ("/TextStream/window-chunks", test_window_chunks);
  g_test_add_func ("/TextStream/window-chunk-check", test_window_chunk_check);
  g_test_add_func ("/TextStream/tell-keeps-held-cr", test_tell_keeps_held_cr);
  g_test_add_func ("/TextStream/open-text", test_open_text);

  return g_test_run ();
}
