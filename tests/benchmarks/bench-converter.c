/* bench-converter.c: Io.ConverterStream against GIO's converter streams
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The same runner as bench-memory.c (see bench-util.h). One text of lines
 * (32 MiB; 1 MiB with --quick), gzip-compressed once by GIO, is decoded
 * from memory by GConverterInputStream over a GMemoryInputStream and by
 * IoConverterStream over an IoMemoryStream, with the same
 * GZlibDecompressor: in 64 KiB reads, and line by line (GDataInputStream
 * against io_stream_readline_into()). The floor is the decompressor
 * called directly, with no stream. Encoding writes the text in 64 KiB
 * pieces through GConverterOutputStream and IoConverterStream.
 *
 * Every case checks what it decoded (length, first and last bytes, or
 * line count) or, for encoding, decodes its output once outside the
 * clock, so --quick is a correctness smoke test as well.
 *
 * Usage: bench-converter [--quick] [--reps N] [--only SUBSTRING]
 */

#include <string.h>

#include <gio/gio.h>
#include <libstream.h>

#include "bench-util.h"

#define CHUNK (64 * 1024)

static GBytes *text;        /* the decoded content */
static GBytes *gz;          /* it, gzip-compressed */
static guint n_lines;

static GConverter *
gzip_new (void)
{
  return G_CONVERTER (g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6));
}

static void
make_data (gsize size)
{
  GString *s = g_string_sized_new (size + 128);
  GConverter *compressor;
  GConverterResult result;
  GError *error = NULL;
  guint8 *out;
  gsize read, written;
  guint32 seed = 1;

  while (s->len < size)
    {
      seed = seed * 1103515245 + 12345;
      g_string_append_printf (s, "%u,%08x,%s\n", n_lines++, seed,
                              (seed >> 9) % 4 == 0 ? "some repeated field text" : "short");
    }
  text = g_string_free_to_bytes (s);

  compressor = gzip_new ();
  out = g_malloc (g_bytes_get_size (text) + 4096);
  result = g_converter_convert (compressor, g_bytes_get_data (text, NULL),
                                g_bytes_get_size (text), out, g_bytes_get_size (text) + 4096,
                                G_CONVERTER_INPUT_AT_END, &read, &written, &error);
  if (result != G_CONVERTER_FINISHED)
    g_error ("compressing the text: %s", error != NULL ? error->message : "not finished");
  gz = g_bytes_new_take (g_realloc (out, written), written);
  g_object_unref (compressor);
}

static GConverter *
gunzip_new (void)
{
  return G_CONVERTER (g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP));
}

/* Checks a decode of @len bytes whose last chunk ended with @last. */
static void
check_decoded (BenchCase    *c,
               gsize         len,
               const guint8 *last,
               gsize         last_len)
{
  gsize size;
  const guint8 *expected = g_bytes_get_data (text, &size);

  if (len != size)
    bench_fail (c, "decoded %" G_GSIZE_FORMAT " bytes, not %" G_GSIZE_FORMAT, len, size);
  if (last_len == 0 || memcmp (last, expected + size - last_len, last_len) != 0)
    bench_fail (c, "the last chunk differs from the text");
}

/* ---------------------------------------------------------------------- */
/* Decoding in 64 KiB reads                                               */

static gdouble
read_floor (BenchCase *c,
            gpointer   data)
{
  GConverter *converter = gunzip_new ();
  gsize in_len;
  const guint8 *in = g_bytes_get_data (gz, &in_len);
  guint8 *dst = g_malloc (CHUNK);
  gsize total = 0, n = 0;
  GConverterResult result;
  guint64 t0 = bench_now ();
  gdouble ns;

  do
    {
      GError *error = NULL;
      gsize read;

      result = g_converter_convert (converter, in, in_len, dst, CHUNK, G_CONVERTER_INPUT_AT_END,
                                    &read, &n, &error);
      if (result == G_CONVERTER_ERROR)
        bench_fail (c, "%s", error->message);
      in += read;
      in_len -= read;
      total += n;
    }
  while (result != G_CONVERTER_FINISHED);
  ns = bench_since (t0);

  check_decoded (c, total, dst, n);
  g_free (dst);
  g_object_unref (converter);
  return ns;
}

static GInputStream *
gio_gunzip_new (void)
{
  GConverter *converter = gunzip_new ();
  GInputStream *base = g_memory_input_stream_new_from_bytes (gz);
  GInputStream *in = g_converter_input_stream_new (base, converter);

  g_object_unref (base);
  g_object_unref (converter);
  return in;
}

static IoStream *
libstream_gunzip_new (void)
{
  GConverter *converter = gunzip_new ();
  IoStream *base = io_memory_stream_new_from_bytes (gz);
  IoStream *stream = io_converter_stream_new (base, converter);

  g_object_unref (base);
  g_object_unref (converter);
  return stream;
}

typedef gssize (*ReadFunc) (gpointer  stream,
                            guint8   *dst,
                            gsize     count,
                            GError  **error);

static gssize
gio_read (gpointer  stream,
          guint8   *dst,
          gsize     count,
          GError  **error)
{
  return g_input_stream_read (stream, dst, count, NULL, error);
}

static gssize
libstream_read (gpointer  stream,
                guint8   *dst,
                gsize     count,
                GError  **error)
{
  return io_stream_read (stream, dst, count, error);
}

/* Reads @stream (which it drops) to its end in 64 KiB reads. */
static gdouble
time_reads (BenchCase *c,
            gpointer   stream,
            ReadFunc   read_fn)
{
  guint8 *dst = g_malloc (CHUNK);
  GError *error = NULL;
  gsize total = 0;
  gssize n, last = 0;
  guint64 t0 = bench_now ();
  gdouble ns;

  while ((n = read_fn (stream, dst, CHUNK, &error)) > 0)
    {
      total += (gsize) n;
      last = n;
    }
  ns = bench_since (t0);

  if (n < 0)
    bench_fail (c, "read failed: %s", error->message);
  check_decoded (c, total, dst, (gsize) last);
  g_object_unref (stream);
  g_free (dst);
  return ns;
}

static gdouble
read_gio (BenchCase *c,
          gpointer   data)
{
  return time_reads (c, gio_gunzip_new (), gio_read);
}

static gdouble
read_libstream (BenchCase *c,
                gpointer   data)
{
  return time_reads (c, libstream_gunzip_new (), libstream_read);
}

/* ---------------------------------------------------------------------- */
/* Decoding line by line                                                  */

static void
check_lines (BenchCase *c,
             guint      lines)
{
  if (lines != n_lines)
    bench_fail (c, "read %u lines, not %u", lines, n_lines);
}

static gdouble
lines_gio (BenchCase *c,
           gpointer   data)
{
  GInputStream *in = gio_gunzip_new ();
  GDataInputStream *lines = g_data_input_stream_new (in);
  guint count = 0;
  char *line;
  gsize len;
  guint64 t0 = bench_now ();
  gdouble ns;

  while ((line = g_data_input_stream_read_line (lines, &len, NULL, NULL)) != NULL)
    {
      count++;
      g_free (line);
    }
  ns = bench_since (t0);

  check_lines (c, count);
  g_object_unref (lines);
  g_object_unref (in);
  return ns;
}

static gdouble
lines_libstream (BenchCase *c,
                 gpointer   data)
{
  IoStream *stream = libstream_gunzip_new ();
  GError *error = NULL;
  guint8 *line = NULL;
  gsize capacity = 0;
  guint count = 0;
  gssize n;
  guint64 t0 = bench_now ();
  gdouble ns;

  while ((n = io_stream_readline_into (stream, -1, &line, &capacity, &error)) > 0)
    count++;
  ns = bench_since (t0);

  if (n < 0)
    bench_fail (c, "readline failed: %s", error->message);
  check_lines (c, count);
  g_free (line);
  g_object_unref (stream);
  return ns;
}

/* ---------------------------------------------------------------------- */
/* Encoding in 64 KiB writes                                              */

/* Decodes @encoded with GIO, outside the clock, and checks it. */
static void
check_encoded (BenchCase *c,
               GBytes    *encoded)
{
  GConverter *converter = gunzip_new ();
  gsize size = g_bytes_get_size (text);
  guint8 *out = g_malloc (size + 1);
  gsize read, written;
  GConverterResult result;

  result = g_converter_convert (converter, g_bytes_get_data (encoded, NULL),
                                g_bytes_get_size (encoded), out, size + 1,
                                G_CONVERTER_INPUT_AT_END, &read, &written, NULL);
  if (result != G_CONVERTER_FINISHED || written != size ||
      memcmp (out, g_bytes_get_data (text, NULL), size) != 0)
    bench_fail (c, "the encoded text does not decode back");
  g_free (out);
  g_object_unref (converter);
}

/* A stream that compresses into memory: write all, close, and take what
 * it wrote. */
typedef struct
{
  gpointer (*open) (GConverter *converter, gpointer *base);
  gboolean (*write_all) (gpointer stream, const guint8 *src, gsize count);
  gboolean (*close) (gpointer stream);
  GBytes  *(*steal) (gpointer base);
} Writer;

static gpointer
gio_open (GConverter *converter,
          gpointer   *base)
{
  *base = g_memory_output_stream_new_resizable ();
  return g_converter_output_stream_new (*base, converter);
}

static gboolean
gio_write_all (gpointer      stream,
               const guint8 *src,
               gsize         count)
{
  return g_output_stream_write_all (stream, src, count, NULL, NULL, NULL);
}

static gboolean
gio_close (gpointer stream)
{
  return g_output_stream_close (stream, NULL, NULL);
}

static GBytes *
gio_steal (gpointer base)
{
  return g_memory_output_stream_steal_as_bytes (base);
}

static gpointer
libstream_open (GConverter *converter,
                gpointer   *base)
{
  IoStream *out;

  *base = io_memory_stream_new (NULL, 0);
  out = io_converter_stream_new (*base, converter);
  io_filter_stream_set_close_base (IO_FILTER_STREAM (out), FALSE);
  return out;
}

static gboolean
libstream_write_all (gpointer      stream,
                     const guint8 *src,
                     gsize         count)
{
  return io_stream_write_all (stream, src, count, NULL, NULL);
}

static gboolean
libstream_close (gpointer stream)
{
  return io_stream_close (stream, NULL);
}

static GBytes *
libstream_steal (gpointer base)
{
  return io_memory_stream_get_value (base, NULL);
}

static const Writer gio_writer = { gio_open, gio_write_all, gio_close, gio_steal };
static const Writer libstream_writer = {
  libstream_open, libstream_write_all, libstream_close, libstream_steal,
};

static gdouble
time_writes (BenchCase *c,
             gpointer   data)
{
  const Writer *w = data;
  GConverter *converter = gzip_new ();
  gpointer base;
  gpointer out = w->open (converter, &base);
  gsize size;
  const guint8 *src = g_bytes_get_data (text, &size);
  GBytes *encoded;
  guint64 t0 = bench_now ();
  gdouble ns;

  for (gsize done = 0; done < size; done += CHUNK)
    if (!w->write_all (out, src + done, MIN (CHUNK, size - done)))
      bench_fail (c, "write failed");
  if (!w->close (out))
    bench_fail (c, "close failed");
  ns = bench_since (t0);

  encoded = w->steal (base);
  check_encoded (c, encoded);
  g_bytes_unref (encoded);
  g_object_unref (out);
  g_object_unref (base);
  g_object_unref (converter);
  return ns;
}

int
main (int    argc,
      char **argv)
{
  BenchRun *run = bench_run_new (&argc, &argv);
  gsize size;
  BenchGroup *g;
  char *title;

  make_data (run->quick ? 1 << 20 : 32 << 20);
  size = g_bytes_get_size (text);

  title = g_strdup_printf ("gzip decoding from memory, 64 KiB reads, %s (%s compressed)",
                           bench_size (size), bench_size (g_bytes_get_size (gz)));
  g = bench_group_add (run, "gunzip-64K", title, CHUNK, size / CHUNK);
  bench_case_add (g, "floor", "floor: GZlibDecompressor, g_converter_convert() alone",
                  read_floor, NULL);
  bench_case_add (g, "gio", "GConverterInputStream(GMemoryInputStream) read", read_gio, NULL);
  bench_case_add_libstream (g, "libstream", "**IoConverterStream(IoMemoryStream) io_stream_read**",
                            read_libstream, NULL);
  g_free (title);

  title = g_strdup_printf ("gzip decoding from memory, line by line, %u lines", n_lines);
  g = bench_group_add (run, "gunzip-lines", title, size / n_lines, n_lines);
  bench_case_add (g, "gio", "GDataInputStream(GConverterInputStream) read_line", lines_gio, NULL);
  bench_case_add_libstream (g, "libstream", "**IoConverterStream io_stream_readline_into**",
                            lines_libstream, NULL);
  g_free (title);

  title = g_strdup_printf ("gzip encoding to memory, 64 KiB writes, %s", bench_size (size));
  g = bench_group_add (run, "gzip-64K", title, CHUNK, size / CHUNK);
  bench_case_add (g, "gio", "GConverterOutputStream(GMemoryOutputStream) write_all",
                  time_writes, (gpointer) &gio_writer);
  bench_case_add_libstream (g, "libstream", "**IoConverterStream(IoMemoryStream) write_all**",
                            time_writes, (gpointer) &libstream_writer);
  g_free (title);

  bench_target (run, "gunzip-64K", "libstream", BENCH_MIN_SPEEDUP, 0.95, "gio");
  bench_target (run, "gunzip-lines", "libstream", BENCH_MIN_SPEEDUP, 0.95, "gio");
  bench_target (run, "gzip-64K", "libstream", BENCH_MIN_SPEEDUP, 0.95, "gio");

  return bench_run_main (run);
}
