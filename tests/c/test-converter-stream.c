/* test-converter-stream.c: IoConverterStream, a GConverter on read or on write
 *
 * GIO's own GConverterInputStream and GConverterOutputStream are the
 * reference: what one compresses the other must decompress, both ways.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include "libstream.h"
#include "test-util.h"

static const GZlibCompressorFormat formats[] = {
  G_ZLIB_COMPRESSOR_FORMAT_GZIP,
  G_ZLIB_COMPRESSOR_FORMAT_ZLIB,
  G_ZLIB_COMPRESSOR_FORMAT_RAW,
};

static GConverter *
compressor_new (GZlibCompressorFormat format,
                int                   level)
{
  return G_CONVERTER (g_zlib_compressor_new (format, level));
}

static GConverter *
decompressor_new (GZlibCompressorFormat format)
{
  return G_CONVERTER (g_zlib_decompressor_new (format));
}

/* Checks that a call failed (returned -1) with @code, and clears the
 * error. */
static void
assert_fails_with (gint64         result,
                   GError       **error,
                   GIOErrorEnum   code)
{
  g_assert_cmpint (result, ==, -1);
  g_assert_error (*error, G_IO_ERROR, (gint) code);
  g_clear_error (error);
}

/* @len bytes of text lines, compressible but not trivially. */
static GBytes *
make_text (gsize len)
{
  GString *text = g_string_sized_new (len + 64);
  guint32 seed = 12345;

  for (guint line = 0; text->len < len; line++)
    {
      seed = seed * 1103515245 + 12345;
      g_string_append_printf (text, "line %u: %08x %s\n", line, seed,
                              (seed >> 8) % 3 == 0 ? "the quick brown fox" : "jumps");
    }
  g_string_truncate (text, len);
  return g_string_free_to_bytes (text);
}

/* What GIO's GConverterOutputStream makes of @data. */
static GBytes *
gio_convert (GConverter *converter,
             GBytes     *data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) out = g_converter_output_stream_new (memory, converter);
  gsize len;
  const guint8 *bytes = g_bytes_get_data (data, &len);

  g_assert_true (g_output_stream_write_all (out, bytes, len, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, &error));
  g_assert_no_error (error);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
}

/* A converter stream reading @data through @converter. */
static IoStream *
reader_new (GBytes     *data,
            GConverter *converter)
{
  g_autoptr(IoStream) base = io_memory_stream_new_from_bytes (data);

  return io_converter_stream_new (base, converter);
}

/* Everything @converter makes of @data, read through a converter stream. */
static GBytes *
read_converted (GBytes     *data,
                GConverter *converter)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IoStream) stream = reader_new (data, converter);
  GBytes *result = io_stream_readall (stream, &error);

  g_assert_no_error (error);
  test_util_close_ok (stream);
  return result;
}

/* What @converter makes of @data written in pieces of @step bytes through
 * a converter stream over a memory stream, which it closes. */
static GBytes *
write_converted (GBytes     *data,
                 GConverter *converter,
                 gsize       step)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IoStream) base = io_memory_stream_new (NULL, 0);
  g_autoptr(IoStream) stream = io_converter_stream_new (base, converter);
  gsize len;
  const guint8 *bytes = g_bytes_get_data (data, &len);
  GBytes *result;

  io_filter_stream_set_close_base (IO_FILTER_STREAM (stream), FALSE);
  for (gsize done = 0; done < len; done += step)
    {
      gsize n = MIN (step, len - done);

      g_assert_cmpint (io_stream_write (stream, bytes + done, n, &error), ==, (gssize) n);
      g_assert_no_error (error);
    }
  test_util_close_ok (stream);
  g_assert_false (io_stream_is_closed (base));
  result = io_memory_stream_get_value (IO_MEMORY_STREAM (base), &error);
  g_assert_no_error (error);
  return result;
}

/* @head followed by @len bytes of @tail. */
static GBytes *
concat (GBytes     *head,
        const void *tail,
        gsize       len)
{
  GByteArray *both = g_byte_array_new ();

  g_byte_array_append (both, g_bytes_get_data (head, NULL), g_bytes_get_size (head));
  g_byte_array_append (both, tail, len);
  return g_byte_array_free_to_bytes (both);
}

static void
assert_bytes_equal (GBytes *bytes,
                    GBytes *expected)
{
  g_assert_nonnull (bytes);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
}

static void
test_properties (void)
{
  g_autoptr(GConverter) converter = decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(IoStream) base = test_util_memory_stream_new ("");
  g_autoptr(IoStream) stream = io_converter_stream_new (base, converter);
  g_autoptr(GConverter) got = NULL;
  g_autoptr(IoStream) got_base = NULL;
  gboolean close_base;

  g_assert_true (IO_IS_FILTER_STREAM (stream));
  g_assert_true (io_converter_stream_get_converter (IO_CONVERTER_STREAM (stream)) == converter);
  g_object_get (stream, "converter", &got, "base-stream", &got_base, "close-base", &close_base,
                NULL);
  g_assert_true (got == converter);
  g_assert_true (got_base == base);
  g_assert_true (close_base);
}

/* GIO compresses, the stream decompresses; the stream compresses, GIO
 * decompresses; in every zlib format. */
static void
test_zlib_round_trips (void)
{
  g_autoptr(GBytes) text = make_text (300 * 1000);

  for (gsize i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autoptr(GConverter) compressor = compressor_new (formats[i], -1);
      g_autoptr(GConverter) decompressor = decompressor_new (formats[i]);
      g_autoptr(GBytes) by_gio = gio_convert (compressor, text);
      g_autoptr(GBytes) read = read_converted (by_gio, decompressor);
      g_autoptr(GBytes) written = NULL;
      g_autoptr(GBytes) back = NULL;

      g_assert_cmpuint (g_bytes_get_size (by_gio), <, g_bytes_get_size (text) / 2);
      assert_bytes_equal (read, text);

      g_converter_reset (compressor);
      g_converter_reset (decompressor);
      written = write_converted (text, compressor, 1000);
      g_assert_cmpuint (g_bytes_get_size (written), <, g_bytes_get_size (text) / 2);
      back = gio_convert (decompressor, written);
      assert_bytes_equal (back, text);
    }
}

/* Written in one piece, the compressed bytes are GIO's, byte for byte: the
 * close finishes the stream, with no flush marker before the trailer. */
static void
test_write_matches_gio (void)
{
  g_autoptr(GBytes) text = make_text (100 * 1000);
  g_autoptr(GConverter) compressor = compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6);
  g_autoptr(GBytes) by_gio = gio_convert (compressor, text);
  g_autoptr(GBytes) ours = NULL;

  g_converter_reset (compressor);
  ours = write_converted (text, compressor, g_bytes_get_size (text));
  assert_bytes_equal (ours, by_gio);
}

/* Reads of every kind, small and large, over the window and beside it. */
static void
test_read_mixed_sizes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) text = make_text (2 * 1000 * 1000 + 17);
  g_autoptr(GConverter) compressor = compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
  g_autoptr(GConverter) decompressor = decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(GBytes) gz = gio_convert (compressor, text);
  g_autoptr(IoStream) stream = reader_new (gz, decompressor);
  g_autoptr(GByteArray) got = g_byte_array_new ();
  static const gsize sizes[] = { 1, 7, 100 * 1000, 3, 8192, 65536, 5, 200 * 1000 };
  guint8 *buffer = g_malloc (200 * 1000);

  for (guint i = 0;; i++)
    {
      gsize size;
      gssize n;

      if (i % 3 == 0)
        {
          int c = io_stream_getc (stream, &error);
          guint8 byte = (guint8) c;

          g_assert_no_error (error);
          if (c < 0)
            break;
          g_byte_array_append (got, &byte, 1);
          continue;
        }
      if (i % 3 == 1)
        {
          g_autoptr(GBytes) line = io_stream_readline (stream, -1, &error);

          g_assert_no_error (error);
          g_byte_array_append (got, g_bytes_get_data (line, NULL), g_bytes_get_size (line));
        }
      size = sizes[i % G_N_ELEMENTS (sizes)];
      n = (i % 2 ? io_stream_read1 : io_stream_read) (stream, buffer, size, &error);
      g_assert_no_error (error);
      g_assert_cmpint (n, >=, 0);
      g_byte_array_append (got, buffer, (guint) n);
    }
  g_free (buffer);
  g_assert_cmpmem (got->data, got->len, g_bytes_get_data (text, NULL), g_bytes_get_size (text));
}

/* Lines and getc run on the window the stream lends over its output. */
static void
test_lines_on_window (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) text = make_text (50 * 1000);
  g_autoptr(GConverter) compressor = compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB, -1);
  g_autoptr(GConverter) decompressor = decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB);
  g_autoptr(GBytes) compressed = gio_convert (compressor, text);
  g_autoptr(IoStream) stream = reader_new (compressed, decompressor);
  g_autoptr(GBytes) first = io_stream_readline (stream, -1, &error);
  const IoStreamWindow *window = io_stream_get_window (stream);
  g_autoptr(GPtrArray) rest = NULL;
  const char *data = g_bytes_get_data (text, NULL);
  guint newlines = 0;
  gsize total;

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (g_bytes_get_data (first, NULL), "line 0: "));
  /* The rest of the converted chunk is lent. */
  g_assert_nonnull (window->pos);
  g_assert_cmpuint (window->read_end - window->pos, >, 1000);
  g_assert_cmpint (io_stream_getc (stream, &error), ==, 'l');
  g_assert_no_error (error);

  rest = io_stream_readlines (stream, -1, &error);
  g_assert_no_error (error);
  total = g_bytes_get_size (first) + 1;
  for (guint i = 0; i < rest->len; i++)
    total += g_bytes_get_size (rest->pdata[i]);
  g_assert_cmpuint (total, ==, g_bytes_get_size (text));
  for (gsize i = 0; i < g_bytes_get_size (text); i++)
    newlines += data[i] == '\n';
  /* The text ends inside a line, which counts as one more. */
  g_assert_cmpuint (data[g_bytes_get_size (text) - 1], !=, '\n');
  g_assert_cmpuint (rest->len, ==, newlines);
}

static void
test_peek (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) text = g_bytes_new_static ("hello, world\n", 13);
  g_autoptr(GConverter) compressor = compressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW, -1);
  g_autoptr(GConverter) decompressor = decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW);
  g_autoptr(GBytes) compressed = gio_convert (compressor, text);
  g_autoptr(IoStream) stream = reader_new (compressed, decompressor);
  g_autoptr(GBytes) peeked = io_stream_peek (stream, 5, &error);

  g_assert_no_error (error);
  test_util_assert_bytes (peeked, "hello", 5);
  g_assert_false (io_stream_writable (stream, NULL));
  test_util_assert_read_all (stream, "hello, world\n");
}

/* Latin-1 to UTF-8 on read; UTF-8 to UTF-16LE on write, one byte at a
 * time, so that characters are split across writes. */
static void
test_charset (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCharsetConverter) from_latin1 = g_charset_converter_new ("UTF-8", "ISO-8859-1",
                                                                      &error);
  g_autoptr(GCharsetConverter) to_utf16 = NULL;
  g_autoptr(GBytes) latin1 = g_bytes_new_static ("caf\xe9 cr\xe8me\n", 11);
  g_autoptr(GBytes) utf8 = g_bytes_new_static ("café crème ✓\n", 17);
  g_autoptr(GBytes) read = NULL;
  g_autoptr(GBytes) written = NULL;
  static const guint8 utf16[] = {
    'c', 0, 'a', 0, 'f', 0, 0xe9, 0, ' ', 0, 'c', 0, 'r', 0, 0xe8, 0, 'm', 0, 'e', 0, ' ', 0,
    0x13, 0x27, '\n', 0,
  };

  g_assert_no_error (error);
  read = read_converted (latin1, G_CONVERTER (from_latin1));
  test_util_assert_bytes (read, "café crème\n", 13);

  to_utf16 = g_charset_converter_new ("UTF-16LE", "UTF-8", &error);
  g_assert_no_error (error);
  written = write_converted (utf8, G_CONVERTER (to_utf16), 1);
  g_assert_cmpmem (g_bytes_get_data (written, NULL), g_bytes_get_size (written),
                   utf16, sizeof utf16);
}

/* A read that ends before the converter does is an error, never the end
 * of the stream: the bytes before it come first. */
static void
test_truncated_input (void)
{
  g_autoptr(GBytes) text = make_text (200 * 1000);

  for (gsize i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GConverter) compressor = compressor_new (formats[i], -1);
      g_autoptr(GConverter) decompressor = decompressor_new (formats[i]);
      g_autoptr(GBytes) whole = gio_convert (compressor, text);
      g_autoptr(GBytes) cut = g_bytes_new_from_bytes (whole, 0, g_bytes_get_size (whole) - 4);
      g_autoptr(IoStream) stream = reader_new (cut, decompressor);
      g_autoptr(GBytes) got = NULL;
      gsize len;
      g_autofree guint8 *all = NULL;

      /* Everything decoded up to the cut, then the error. */
      all = io_stream_read_array (stream, -1, &len, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (len, >, 0);
      g_assert_cmpmem (all, len, g_bytes_get_data (text, NULL), len);
      got = io_stream_read_bytes (stream, -1, &error);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT);
      g_assert_null (got);
    }
}

static void
test_empty_input (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GConverter) decompressor = decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(IoStream) stream = reader_new (empty, decompressor);
  g_autoptr(GBytes) got = io_stream_readall (stream, &error);

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT);
  g_assert_null (got);
}

static void
test_truncated_character (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCharsetConverter) converter = g_charset_converter_new ("UTF-16LE", "UTF-8", &error);
  /* "é" cut after its first byte. */
  g_autoptr(GBytes) cut = g_bytes_new_static ("ab\xc3", 3);
  g_autoptr(IoStream) stream = NULL;
  g_autoptr(GBytes) got = NULL;
  guint8 buffer[16];

  g_assert_no_error (error);
  stream = reader_new (cut, G_CONVERTER (converter));
  g_assert_cmpint (io_stream_read (stream, buffer, sizeof buffer, &error), ==, 4);
  g_assert_no_error (error);
  g_assert_cmpmem (buffer, 4, "a\0b\0", 4);
  got = io_stream_read_bytes (stream, -1, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT);
}

/* A gzip file of two members reads as both, as gunzip reads it. */
static void
test_gzip_members (void)
{
  g_autoptr(GConverter) compressor = compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
  g_autoptr(GConverter) decompressor = decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(GBytes) one = g_bytes_new_static ("first member\n", 13);
  g_autoptr(GBytes) two = g_bytes_new_static ("second\n", 7);
  g_autoptr(GBytes) gz_one = gio_convert (compressor, one);
  g_autoptr(GBytes) gz_two = NULL;
  g_autoptr(GBytes) both = NULL;
  g_autoptr(GBytes) padded = NULL;
  g_autoptr(GBytes) got = NULL;

  g_converter_reset (compressor);
  gz_two = gio_convert (compressor, two);
  both = concat (gz_one, g_bytes_get_data (gz_two, NULL), g_bytes_get_size (gz_two));
  /* Zeros after the last member are padding. */
  padded = concat (both, "\0\0\0\0", 4);
  got = read_converted (padded, decompressor);
  test_util_assert_bytes (got, "first member\nsecond\n", 20);
}

/* What follows a gzip member is another member or an error. */
static void
test_gzip_trailing_garbage (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GConverter) compressor = compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
  g_autoptr(GConverter) decompressor = decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(GBytes) text = g_bytes_new_static ("member\n", 7);
  g_autoptr(GBytes) gz = gio_convert (compressor, text);
  g_autoptr(GBytes) garbage = concat (gz, "\0garbage", 8);
  g_autoptr(IoStream) stream = reader_new (garbage, decompressor);
  g_autoptr(GBytes) got = NULL;

  test_util_assert_read (stream, 7, "member\n");
  got = io_stream_read_bytes (stream, -1, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

/* A zlib stream ends where the converter finishes: what follows it in the
 * base is not read as more data. */
static void
test_zlib_ends_at_finish (void)
{
  g_autoptr(GConverter) compressor = compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB, -1);
  g_autoptr(GConverter) decompressor = decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB);
  g_autoptr(GBytes) text = g_bytes_new_static ("payload", 7);
  g_autoptr(GBytes) compressed = gio_convert (compressor, text);
  g_autoptr(GBytes) trailing = concat (compressed, "not zlib", 8);
  g_autoptr(GBytes) got = read_converted (trailing, decompressor);

  test_util_assert_bytes (got, "payload", 7);
}

/* The converter's errors keep their codes, on read and on write. */
static void
test_converter_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GConverter) decompressor = decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(GBytes) garbage = g_bytes_new_static ("this is not gzip at all", 23);
  g_autoptr(IoStream) reader = reader_new (garbage, decompressor);
  g_autoptr(GBytes) got = io_stream_read_bytes (reader, 10, &error);
  g_autoptr(GCharsetConverter) from_utf8 = NULL;
  g_autoptr(IoStream) base = io_memory_stream_new (NULL, 0);
  g_autoptr(IoStream) writer = NULL;

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_null (got);
  g_clear_error (&error);

  from_utf8 = g_charset_converter_new ("UTF-16LE", "UTF-8", &error);
  g_assert_no_error (error);
  writer = io_converter_stream_new (base, G_CONVERTER (from_utf8));
  assert_fails_with (io_stream_write (writer, (const guint8 *) "\xff\xfe", 2, &error), &error,
                     G_IO_ERROR_INVALID_DATA);
  /* After a valid prefix: the prefix is written, the error comes next. */
  g_assert_cmpint (io_stream_write (writer, (const guint8 *) "ok\xff", 3, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_false (io_stream_flush (writer, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

/* The first operation fixes the direction; readable() and writable() say
 * what is left. */
static void
test_direction (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GConverter) converter = compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
  g_autoptr(IoStream) base = io_memory_stream_new (NULL, 0);
  g_autoptr(IoStream) stream = io_converter_stream_new (base, converter);
  guint8 buffer[4];

  /* Undecided over a base that does both. */
  g_assert_true (io_stream_readable (stream, &error));
  g_assert_true (io_stream_writable (stream, &error));
  g_assert_false (io_stream_seekable (stream, &error));
  g_assert_no_error (error);

  test_util_write_text (stream, "abc");
  g_assert_false (io_stream_readable (stream, &error));
  g_assert_true (io_stream_writable (stream, &error));
  g_assert_no_error (error);
  assert_fails_with (io_stream_read (stream, buffer, sizeof buffer, &error), &error,
                     G_IO_ERROR_NOT_SUPPORTED);
  g_assert_null (io_stream_peek (stream, 1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  assert_fails_with (io_stream_getc (stream, &error), &error, G_IO_ERROR_NOT_SUPPORTED);
  assert_fails_with (io_stream_seek (stream, 0, IO_WHENCE_SET, &error), &error,
                     G_IO_ERROR_NOT_SUPPORTED);
  assert_fails_with (io_stream_tell (stream, &error), &error, G_IO_ERROR_NOT_SUPPORTED);
}

static void
test_direction_read_first (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCharsetConverter) converter = g_charset_converter_new ("UTF-8", "ISO-8859-1",
                                                                    &error);
  g_autoptr(IoStream) base = test_util_memory_stream_new ("x\n");
  g_autoptr(IoStream) stream = io_converter_stream_new (base, G_CONVERTER (converter));

  g_assert_no_error (error);
  g_assert_cmpint (io_stream_getc (stream, &error), ==, 'x');
  g_assert_true (io_stream_readable (stream, &error));
  g_assert_false (io_stream_writable (stream, &error));
  g_assert_no_error (error);
  assert_fails_with (io_stream_write (stream, (const guint8 *) "y", 1, &error), &error,
                     G_IO_ERROR_NOT_SUPPORTED);
  test_util_assert_read_all (stream, "\n");
}

/* A base that goes one way only fixes the direction at once. */
static void
test_direction_from_base (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GConverter) converter = compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
  IoStream *reader;
  IoStream *writer;
  g_autoptr(IoStream) read_side = NULL;
  g_autoptr(IoStream) write_side = NULL;

  g_assert_true (io_pipe_stream_new_pair (&reader, &writer, &error));
  g_assert_no_error (error);
  read_side = io_converter_stream_new (reader, converter);
  write_side = io_converter_stream_new (writer, converter);
  g_object_unref (reader);
  g_object_unref (writer);

  g_assert_true (io_stream_readable (read_side, NULL));
  g_assert_false (io_stream_writable (read_side, NULL));
  g_assert_false (io_stream_readable (write_side, NULL));
  g_assert_true (io_stream_writable (write_side, NULL));
  g_assert_cmpint (io_stream_fileno (write_side, &error), ==, io_stream_fileno (writer, NULL));
  g_assert_no_error (error);
}

/* flush() makes everything written so far decodable from the base. */
static void
test_flush (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GConverter) compressor = compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
  g_autoptr(GConverter) decompressor = decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(IoStream) base = io_memory_stream_new (NULL, 0);
  g_autoptr(IoStream) stream = io_converter_stream_new (base, compressor);
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) flushed = NULL;
  g_autoptr(IoStream) reader = NULL;
  char buffer[32];

  test_util_write_text (stream, "first part, ");
  /* Held by the compressor until a flush. */
  before = io_memory_stream_get_value (IO_MEMORY_STREAM (base), &error);
  g_assert_cmpuint (g_bytes_get_size (before), <=, 10);

  g_assert_true (io_stream_flush (stream, &error));
  g_assert_no_error (error);
  flushed = io_memory_stream_get_value (IO_MEMORY_STREAM (base), &error);
  reader = reader_new (flushed, decompressor);
  g_assert_cmpint (io_stream_read (reader, (guint8 *) buffer, 12, &error), ==, 12);
  g_assert_no_error (error);
  g_assert_cmpmem (buffer, 12, "first part, ", 12);
  /* A flush is not the end. */
  assert_fails_with (io_stream_read (reader, (guint8 *) buffer, 1, &error), &error,
                     G_IO_ERROR_PARTIAL_INPUT);
}

static void
test_close_base (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GConverter) compressor = compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
  g_autoptr(GConverter) decompressor = decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(IoStream) base = io_memory_stream_new (NULL, 0);
  IoStream *stream = io_converter_stream_new (base, compressor);
  g_autoptr(GBytes) gz = NULL;
  g_autoptr(GBytes) back = NULL;

  io_filter_stream_set_close_base (IO_FILTER_STREAM (stream), FALSE);
  test_util_write_text (stream, "kept open");
  test_util_close_ok (stream);
  g_assert_finalize_object (stream);
  g_assert_false (io_stream_is_closed (base));
  gz = io_memory_stream_get_value (IO_MEMORY_STREAM (base), &error);
  g_assert_no_error (error);
  back = gio_convert (decompressor, gz);
  test_util_assert_bytes (back, "kept open", 9);

  /* By default the base closes with the stream, even one dropped open,
   * which still finishes the conversion first. */
  stream = io_converter_stream_new (base, compressor);
  g_converter_reset (compressor);
  test_util_write_text (stream, "x");
  g_assert_finalize_object (stream);
  g_assert_true (io_stream_is_closed (base));
}

/* Closing before any read or write converts nothing. */
static void
test_close_undecided (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GConverter) compressor = compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
  g_autoptr(IoStream) base = io_memory_stream_new (NULL, 0);
  g_autoptr(IoStream) stream = io_converter_stream_new (base, compressor);
  g_autoptr(GBytes) value = NULL;

  io_filter_stream_set_close_base (IO_FILTER_STREAM (stream), FALSE);
  test_util_close_ok (stream);
  value = io_memory_stream_get_value (IO_MEMORY_STREAM (base), &error);
  g_assert_cmpuint (g_bytes_get_size (value), ==, 0);
}

/* Over a base that can only be written the stream is a writer from the
 * start: closed at once, it leaves a valid empty gzip stream. */
static void
test_close_write_only (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GConverter) compressor = compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
  g_autoptr(GConverter) decompressor = decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(IoStream) reader = NULL;
  g_autoptr(IoStream) writer = NULL;
  g_autoptr(IoStream) stream = NULL;
  g_autoptr(GBytes) gz = NULL;
  g_autoptr(GBytes) back = NULL;

  g_assert_true (io_pipe_stream_new_pair (&reader, &writer, &error));
  g_assert_no_error (error);
  stream = io_converter_stream_new (writer, compressor);
  test_util_close_ok (stream);
  g_assert_true (io_stream_is_closed (writer));
  gz = io_stream_readall (reader, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (gz), >=, 18);
  back = read_converted (gz, decompressor);
  g_assert_cmpuint (g_bytes_get_size (back), ==, 0);
}

/* 24 MiB each way, in writes that do not line up with anything. */
static void
test_big_data (void)
{
  g_autoptr(GBytes) text = make_text (24 * 1024 * 1024 + 3);
  g_autoptr(GConverter) compressor = compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 1);
  g_autoptr(GConverter) decompressor = decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(GBytes) gz = write_converted (text, compressor, 1000 * 1000 + 7);
  g_autoptr(GBytes) back = read_converted (gz, decompressor);

  assert_bytes_equal (back, text);
}

/* Expander: a converter that turns each byte into EXPANSION copies of it
 * at once, and with less room than that fails with G_IO_ERROR_NO_SPACE,
 * which the stream answers by growing its buffer. */
#define EXPANSION (100 * 1000)

#define EXPANDER_TYPE (expander_get_type ())
G_DECLARE_FINAL_TYPE (Expander, expander, EXPANDER, CONVERTER, GObject)

struct _Expander
{
  GObject parent_instance;
};

static GConverterResult
expander_convert (GConverter      *converter,
                  const void      *inbuf,
                  gsize            inbuf_size,
                  void            *outbuf,
                  gsize            outbuf_size,
                  GConverterFlags  flags,
                  gsize           *bytes_read,
                  gsize           *bytes_written,
                  GError         **error)
{
  *bytes_read = *bytes_written = 0;
  if (inbuf_size == 0)
    {
      if (flags & G_CONVERTER_INPUT_AT_END)
        return G_CONVERTER_FINISHED;
      if (flags & G_CONVERTER_FLUSH)
        return G_CONVERTER_FLUSHED;
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT, "Need more input");
      return G_CONVERTER_ERROR;
    }
  if (outbuf_size < EXPANSION)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "Not enough space");
      return G_CONVERTER_ERROR;
    }
  memset (outbuf, *(const guint8 *) inbuf, EXPANSION);
  *bytes_read = 1;
  *bytes_written = EXPANSION;
  return G_CONVERTER_CONVERTED;
}

static void
expander_reset (GConverter *converter)
{
}

static void
expander_converter_init (GConverterIface *iface)
{
  iface->convert = expander_convert;
  iface->reset = expander_reset;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (Expander, expander, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_CONVERTER, expander_converter_init))

static void
expander_class_init (ExpanderClass *klass)
{
}

static void
expander_init (Expander *self)
{
}

static void
assert_expanded (GBytes     *bytes,
                 gsize       offset,
                 const char *letters)
{
  const guint8 *data = g_bytes_get_data (bytes, NULL);
  gsize len = strlen (letters) * EXPANSION - offset;

  g_assert_cmpuint (g_bytes_get_size (bytes), ==, len);
  for (gsize i = 0; i < len; i++)
    if (data[i] != letters[(i + offset) / EXPANSION])
      g_error ("byte %" G_GSIZE_FORMAT ": %c", i, data[i]);
}

static void
test_no_space (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GConverter) expander = g_object_new (EXPANDER_TYPE, NULL);
  g_autoptr(GBytes) input = g_bytes_new_static ("abc", 3);
  g_autoptr(IoStream) reader = reader_new (input, expander);
  g_autoptr(GBytes) rest = NULL;
  g_autoptr(GBytes) written = NULL;
  guint8 *buffer = g_malloc (EXPANSION / 2);

  /* A small read, then a large one smaller than the converter needs. */
  g_assert_cmpint (io_stream_read1 (reader, buffer, 1, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (buffer[0], ==, 'a');
  g_assert_cmpint (io_stream_read (reader, buffer, EXPANSION / 2, &error), ==, EXPANSION / 2);
  g_assert_no_error (error);
  g_assert_cmpint (buffer[EXPANSION / 2 - 1], ==, 'a');
  rest = io_stream_readall (reader, &error);
  g_assert_no_error (error);
  assert_expanded (rest, EXPANSION / 2 + 1, "abc");
  g_free (buffer);

  written = write_converted (input, expander, 2);
  assert_expanded (written, 0, "abc");
}

int
main (int   argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ConverterStream/properties", test_properties);
  g_test_add_func ("/ConverterStream/zlib-round-trips", test_zlib_round_trips);
  g_test_add_func ("/ConverterStream/write-matches-gio", test_write_matches_gio);
  g_test_add_func ("/ConverterStream/read-mixed-sizes", test_read_mixed_sizes);
  g_test_add_func ("/ConverterStream/lines-on-window", test_lines_on_window);
  g_test_add_func ("/ConverterStream/peek", test_peek);
  g_test_add_func ("/ConverterStream/charset", test_charset);
  g_test_add_func ("/ConverterStream/truncated-input", test_truncated_input);
  g_test_add_func ("/ConverterStream/empty-input", test_empty_input);
  g_test_add_func ("/ConverterStream/truncated-character", test_truncated_character);
  g_test_add_func ("/ConverterStream/gzip-members", test_gzip_members);
  g_test_add_func ("/ConverterStream/gzip-trailing-garbage", test_gzip_trailing_garbage);
  g_test_add_func ("/ConverterStream/zlib-ends-at-finish", test_zlib_ends_at_finish);
  g_test_add_func ("/ConverterStream/converter-errors", test_converter_errors);
  g_test_add_func ("/ConverterStream/direction", test_direction);
  g_test_add_func ("/ConverterStream/direction-read-first", test_direction_read_first);
  g_test_add_func ("/ConverterStream/direction-from-base", test_direction_from_base);
  g_test_add_func ("/ConverterStream/flush", test_flush);
  g_test_add_func ("/ConverterStream/close-base", test_close_base);
  g_test_add_func ("/ConverterStream/close-undecided", test_close_undecided);
  g_test_add_func ("/ConverterStream/close-write-only", test_close_write_only);
  g_test_add_func ("/ConverterStream/big-data", test_big_data);
  g_test_add_func ("/ConverterStream/no-space", test_no_space);

  return g_test_run ();
}
