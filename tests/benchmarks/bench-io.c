/* bench-io.c: libstream's file and pipe streams against their peers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The same runner as bench-memory.c (see bench-util.h). Files live in
 * $TMPDIR (default /tmp) and are read from the page cache, never the disk;
 * writes never fsync. Pipes move data from the main thread to a reader
 * thread, the two pinned to different CPUs when the machine has two (the
 * placement where small transfers are fastest; see docs/performance.md).
 *
 * IoFileStream and IoPipeStream are raw streams, like Python's FileIO: one
 * system call per read or write. The 16-byte file rows compare the
 * buffered layer over a file (io_open(), Python's open()) with buffered
 * peers, the raw IoFileStream beside them; getc() and readline() run
 * through the buffered layer, against getc_unlocked() and a memory
 * stream's readline(). The 64 KiB rows time the layer with open()'s default
 * buffer (st_blksize), which such reads and writes bypass, as CPython's do.
 *
 * Every read checks that the first byte of each chunk is the expected one,
 * and every written file is read back, so --quick is a correctness smoke
 * test as well.
 *
 * Usage: bench-io [--quick] [--reps N] [--only SUBSTRING]
 */

#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#include <libstream.h>

#include "bench-getc.h"
#include "bench-util.h"

#define BUFFER_SIZE (64 * 1024)

static guint8 *pattern;        /* the content of every file and pipe */
static gsize   pattern_size;
static char   *read_path;      /* pattern_size bytes, in the page cache */
static char   *write_path;

typedef struct
{
  gsize chunk;
  gsize total;
} IoParams;

static void
make_files (gsize size)
{
  const char *dir = g_get_tmp_dir ();
  GError *error = NULL;

  pattern_size = size;
  pattern = g_malloc (size);
  for (gsize i = 0; i < size; i++)
    pattern[i] = (guint8) ((i * 2654435761u) >> 13);
  read_path = g_strdup_printf ("%s/libstream-bench-read-%d", dir, (int) getpid ());
  write_path = g_strdup_printf ("%s/libstream-bench-write-%d", dir, (int) getpid ());
  if (!g_file_set_contents (read_path, (const char *) pattern, (gssize) size, &error))
    g_error ("%s", error->message);
}

static int
open_or_die (const char *path,
             int         flags)
{
  int fd = open (path, flags | O_CLOEXEC, 0666);

  if (fd < 0)
    g_error ("open %s: %s", path, g_strerror (errno));
  return fd;
}

/* The reader's side of every case: counts the bytes and checks that each
 * chunk starts with the byte the pattern has there. */
typedef struct
{
  gsize bytes;
  gsize bad;
} ReadTally;

static inline void
tally (ReadTally    *t,
       const guint8 *chunk,
       gssize        n)
{
  if G_UNLIKELY (chunk[0] != pattern[t->bytes % pattern_size])
    t->bad++;
  t->bytes += (gsize) n;
}

static void
check_tally (BenchCase       *c,
             const ReadTally *t,
             gsize            total)
{
  if (t->bytes != total)
    bench_fail (c, "read %" G_GSIZE_FORMAT " bytes, expected %" G_GSIZE_FORMAT, t->bytes, total);
  if (t->bad > 0)
    bench_fail (c, "%" G_GSIZE_FORMAT " chunks differ from the pattern", t->bad);
}

/* ---------------------------------------------------------------------- */
/* File reads: the whole file, front to back                              */

/* An open (outside the clock), an inline read returning the count (0 at
 * the end), a close. */
#define DEFINE_READ_CASE(name, Type, open_fn, read_fn, close_fn)           \
  static gdouble                                                           \
  name (BenchCase *c,                                                      \
        gpointer   data)                                                   \
  {                                                                        \
    const IoParams *p = data;                                              \
    guint8 *dst = g_malloc (p->chunk);                                     \
    Type *s = open_fn (p);                                                 \
    ReadTally t = { 0, 0 };                                                \
    guint64 t0;                                                            \
    gdouble ns;                                                            \
                                                                           \
    t0 = bench_now ();                                                     \
    while (t.bytes < p->total)  /* the file may be longer */               \
      {                                                                    \
        gssize n = read_fn (c, s, dst, p->chunk);                          \
                                                                           \
        if (n <= 0)                                                        \
          break;                                                           \
        tally (&t, dst, n);                                                \
      }                                                                    \
    ns = bench_since (t0);                                                 \
                                                                           \
    check_tally (c, &t, p->total);                                         \
    close_fn (s);                                                          \
    g_free (dst);                                                          \
    return ns;                                                             \
  }

/* floor: read(2), unbuffered, and a minimal buffered reader over it */
typedef struct
{
  int     fd;
  guint8 *buf;
  guint8 *pos;
  guint8 *end;
} FdReader;

static FdReader *
fd_reader_open (const IoParams *p)
{
  FdReader *r = g_new0 (FdReader, 1);

  r->fd = open_or_die (read_path, O_RDONLY);
  r->buf = g_malloc (BUFFER_SIZE);
  r->pos = r->end = r->buf;
  return r;
}

static inline gssize
fd_read (BenchCase *c,
         FdReader  *r,
         guint8    *dst,
         gsize      n)
{
  gssize got = read (r->fd, dst, n);

  if G_UNLIKELY (got < 0)
    bench_fail (c, "read: %s", g_strerror (errno));
  return got;
}

G_NO_INLINE static gssize
fd_reader_refill (BenchCase *c,
                  FdReader  *r,
                  guint8    *dst,
                  gsize      n)
{
  gssize got = fd_read (c, r, r->buf, BUFFER_SIZE);

  if (got <= 0)
    return got;
  r->pos = r->buf;
  r->end = r->buf + got;
  n = MIN (n, (gsize) got);
  memcpy (dst, r->pos, n);
  r->pos += n;
  return (gssize) n;
}

static inline gssize
fd_read_buffered (BenchCase *c,
                  FdReader  *r,
                  guint8    *dst,
                  gsize      n)
{
  if G_LIKELY ((gsize) (r->end - r->pos) >= n)
    {
      memcpy (dst, r->pos, n);
      r->pos += n;
      return (gssize) n;
    }
  if (r->end > r->pos)
    {
      n = (gsize) (r->end - r->pos);
      memcpy (dst, r->pos, n);
      r->pos += n;
      return (gssize) n;
    }
  return fd_reader_refill (c, r, dst, n);
}

static void
fd_reader_close (FdReader *r)
{
  close (r->fd);
  g_free (r->buf);
  g_free (r);
}

DEFINE_READ_CASE (read_fd, FdReader, fd_reader_open, fd_read, fd_reader_close)
DEFINE_READ_CASE (read_fd_buffered, FdReader, fd_reader_open, fd_read_buffered, fd_reader_close)

/* stdio */
static FILE *
stdio_open_read (const IoParams *p)
{
  return fopen (read_path, "rb");
}

static inline gssize
stdio_read (BenchCase *c,
            FILE      *f,
            guint8    *dst,
            gsize      n)
{
  return (gssize) fread (dst, 1, n, f);
}

static inline gssize
stdio_read_unlocked (BenchCase *c,
                     FILE      *f,
                     guint8    *dst,
                     gsize      n)
{
  return (gssize) fread_unlocked (dst, 1, n, f);
}

DEFINE_READ_CASE (read_stdio, FILE, stdio_open_read, stdio_read, fclose)
DEFINE_READ_CASE (read_stdio_unlocked, FILE, stdio_open_read, stdio_read_unlocked, fclose)

/* GIO: GUnixInputStream, bare and buffered */
static GInputStream *
gunix_open_read (const IoParams *p)
{
  return g_unix_input_stream_new (open_or_die (read_path, O_RDONLY), TRUE);
}

static GInputStream *
gbuffered_open_read (const IoParams *p)
{
  GInputStream *base = gunix_open_read (p);
  GInputStream *in = g_buffered_input_stream_new_sized (base, BUFFER_SIZE);

  g_object_unref (base);
  return in;
}

static inline gssize
gio_read (BenchCase    *c,
          GInputStream *in,
          guint8       *dst,
          gsize         n)
{
  return g_input_stream_read (in, dst, n, NULL, NULL);
}

DEFINE_READ_CASE (read_gunix, GInputStream, gunix_open_read, gio_read, g_object_unref)
DEFINE_READ_CASE (read_gbuffered, GInputStream, gbuffered_open_read, gio_read, g_object_unref)

/* libstream: IoFileStream */
static IoStream *
libstream_open_read (const IoParams *p)
{
  GError *error = NULL;
  IoStream *stream = io_file_stream_new (read_path, "rb", &error);

  if (stream == NULL)
    g_error ("%s", error->message);
  return stream;
}

static inline gssize
libstream_read (BenchCase *c,
                IoStream  *stream,
                guint8    *dst,
                gsize      n)
{
  GError *error = NULL;
  gssize got = io_stream_read (stream, dst, n, &error);

  if G_UNLIKELY (got < 0)
    bench_fail (c, "read failed: %s", error->message);
  return got;
}

DEFINE_READ_CASE (read_libstream, IoStream, libstream_open_read, libstream_read,
                  g_object_unref)

/* libstream: the buffered layer io_open() puts over the file, with the
 * peers' 64 KiB buffer, or with the file's block size (open()'s default,
 * and fopen()'s): on a machine where a system call is slow the size of the
 * buffer, not the layer, decides the small reads' time. */
static IoStream *
buffered_open (const char *path,
               const char *mode,
               int         buffering)
{
  GError *error = NULL;
  IoStream *stream = io_open (path, mode, buffering, &error);

  if (stream == NULL)
    g_error ("%s", error->message);
  return stream;
}

static IoStream *
buffered_open_read (const IoParams *p)
{
  return buffered_open (read_path, "rb", BUFFER_SIZE);
}

static IoStream *
buffered_open_read_default (const IoParams *p)
{
  return buffered_open (read_path, "rb", -1);
}

DEFINE_READ_CASE (read_buffered_default, IoStream, buffered_open_read_default, libstream_read,
                  g_object_unref)
DEFINE_READ_CASE (read_buffered, IoStream, buffered_open_read, libstream_read, g_object_unref)

/* GIO over a GFileInputStream, as the issue measures it */
static GInputStream *
gbuffered_file_open_read (const IoParams *p)
{
  GFile *file = g_file_new_for_path (read_path);
  GInputStream *base = G_INPUT_STREAM (g_file_read (file, NULL, NULL));
  GInputStream *in = g_buffered_input_stream_new_sized (base, BUFFER_SIZE);

  g_object_unref (base);
  g_object_unref (file);
  return in;
}

DEFINE_READ_CASE (read_gbuffered_file, GInputStream, gbuffered_file_open_read, gio_read,
                  g_object_unref)

/* One byte at a time: getc_unlocked() and io_stream_getc(), a count of 1
 * per byte */
DEFINE_READ_CASE (read_getc_unlocked, FILE, stdio_open_read, bench_stdio_getc, fclose)
DEFINE_READ_CASE (read_buffered_getc, IoStream, buffered_open_read, bench_libstream_getc,
                  g_object_unref)

/* ---------------------------------------------------------------------- */
/* File writes: a new file (truncated outside the clock), closed inside   */

static void
check_written_file (BenchCase      *c,
                    const IoParams *p)
{
  char *contents;
  gsize len;
  GError *error = NULL;

  if (!g_file_get_contents (write_path, &contents, &len, &error))
    bench_fail (c, "%s", error->message);
  if (len != p->total || memcmp (contents, pattern, len) != 0)
    bench_fail (c, "the file has %" G_GSIZE_FORMAT " bytes, not the %" G_GSIZE_FORMAT
                " written", len, p->total);
  g_free (contents);
}

#define DEFINE_WRITE_CASE(name, Type, open_fn, write_fn, close_fn)         \
  static gdouble                                                           \
  name (BenchCase *c,                                                      \
        gpointer   data)                                                   \
  {                                                                        \
    const IoParams *p = data;                                              \
    Type *s = open_fn (p);                                                 \
    guint64 t0;                                                            \
    gdouble ns;                                                            \
                                                                           \
    t0 = bench_now ();                                                     \
    for (gsize off = 0; off < p->total; off += p->chunk)                   \
      write_fn (c, s, pattern + off, p->chunk);                            \
    close_fn (c, s);                                                       \
    ns = bench_since (t0);                                                 \
                                                                           \
    check_written_file (c, p);                                             \
    return ns;                                                             \
  }

/* floor: write(2), unbuffered, and a minimal buffered writer over it */
typedef struct
{
  int     fd;
  guint8 *buf;
  gsize   len;
} FdWriter;

static FdWriter *
fd_writer_open (const IoParams *p)
{
  FdWriter *w = g_new0 (FdWriter, 1);

  w->fd = open_or_die (write_path, O_WRONLY | O_CREAT | O_TRUNC);
  w->buf = g_malloc (BUFFER_SIZE);
  return w;
}

static void
fd_write_all (BenchCase    *c,
              int           fd,
              const guint8 *src,
              gsize         n)
{
  while (n > 0)
    {
      gssize done = write (fd, src, n);

      if (done < 0 && errno == EINTR)
        continue;
      if (done <= 0)
        bench_fail (c, "write: %s", g_strerror (errno));
      src += done;
      n -= (gsize) done;
    }
}

static inline void
fd_write (BenchCase    *c,
          FdWriter     *w,
          const guint8 *src,
          gsize         n)
{
  fd_write_all (c, w->fd, src, n);
}

G_NO_INLINE static void
fd_writer_flush (BenchCase *c,
                 FdWriter  *w)
{
  fd_write_all (c, w->fd, w->buf, w->len);
  w->len = 0;
}

static inline void
fd_write_buffered (BenchCase    *c,
                   FdWriter     *w,
                   const guint8 *src,
                   gsize         n)
{
  if G_UNLIKELY (BUFFER_SIZE - w->len < n)
    fd_writer_flush (c, w);
  memcpy (w->buf + w->len, src, n);
  w->len += n;
}

static void
fd_writer_close (BenchCase *c,
                 FdWriter  *w)
{
  fd_writer_flush (c, w);
  close (w->fd);
  g_free (w->buf);
  g_free (w);
}

DEFINE_WRITE_CASE (write_fd, FdWriter, fd_writer_open, fd_write, fd_writer_close)
DEFINE_WRITE_CASE (write_fd_buffered, FdWriter, fd_writer_open, fd_write_buffered,
                   fd_writer_close)

/* stdio */
static FILE *
stdio_open_write (const IoParams *p)
{
  return fopen (write_path, "wb");
}

static inline void
stdio_write (BenchCase    *c,
             FILE         *f,
             const guint8 *src,
             gsize         n)
{
  fwrite (src, 1, n, f);
}

static inline void
stdio_write_unlocked (BenchCase    *c,
                      FILE         *f,
                      const guint8 *src,
                      gsize         n)
{
  fwrite_unlocked (src, 1, n, f);
}

static void
stdio_close (BenchCase *c,
             FILE      *f)
{
  if (fclose (f) != 0)
    bench_fail (c, "fclose: %s", g_strerror (errno));
}

DEFINE_WRITE_CASE (write_stdio, FILE, stdio_open_write, stdio_write, stdio_close)
DEFINE_WRITE_CASE (write_stdio_unlocked, FILE, stdio_open_write, stdio_write_unlocked,
                   stdio_close)

/* GIO: GUnixOutputStream, bare and buffered */
static GOutputStream *
gunix_open_write (const IoParams *p)
{
  return g_unix_output_stream_new (open_or_die (write_path, O_WRONLY | O_CREAT | O_TRUNC), TRUE);
}

static GOutputStream *
gbuffered_open_write (const IoParams *p)
{
  GOutputStream *base = gunix_open_write (p);
  GOutputStream *out = g_buffered_output_stream_new_sized (base, BUFFER_SIZE);

  g_object_unref (base);
  return out;
}

static inline void
gio_write (BenchCase     *c,
           GOutputStream *out,
           const guint8  *src,
           gsize          n)
{
  if G_UNLIKELY (!g_output_stream_write_all (out, src, n, NULL, NULL, NULL))
    bench_fail (c, "write_all failed");
}

static void
gio_close (BenchCase     *c,
           GOutputStream *out)
{
  if (!g_output_stream_close (out, NULL, NULL))
    bench_fail (c, "close failed");
  g_object_unref (out);
}

DEFINE_WRITE_CASE (write_gunix, GOutputStream, gunix_open_write, gio_write, gio_close)
DEFINE_WRITE_CASE (write_gbuffered, GOutputStream, gbuffered_open_write, gio_write, gio_close)

/* libstream: IoFileStream */
static IoStream *
libstream_open_write (const IoParams *p)
{
  GError *error = NULL;
  IoStream *stream = io_file_stream_new (write_path, "wb", &error);

  if (stream == NULL)
    g_error ("%s", error->message);
  return stream;
}

static inline void
libstream_write (BenchCase    *c,
                 IoStream     *stream,
                 const guint8 *src,
                 gsize         n)
{
  GError *error = NULL;

  if G_UNLIKELY (io_stream_write (stream, src, n, &error) != (gssize) n)
    bench_fail (c, "write failed: %s", error != NULL ? error->message : "short count");
}

static void
libstream_close (BenchCase *c,
                 IoStream  *stream)
{
  GError *error = NULL;

  if (!io_stream_close (stream, &error))
    bench_fail (c, "close failed: %s", error->message);
  g_object_unref (stream);
}

DEFINE_WRITE_CASE (write_libstream, IoStream, libstream_open_write, libstream_write,
                   libstream_close)

static IoStream *
buffered_open_write (const IoParams *p)
{
  return buffered_open (write_path, "wb", BUFFER_SIZE);
}

static IoStream *
buffered_open_write_default (const IoParams *p)
{
  return buffered_open (write_path, "wb", -1);
}

DEFINE_WRITE_CASE (write_buffered_default, IoStream, buffered_open_write_default,
                   libstream_write, libstream_close)

DEFINE_WRITE_CASE (write_buffered, IoStream, buffered_open_write, libstream_write,
                   libstream_close)

/* GIO over a GFileOutputStream */
static GOutputStream *
gbuffered_file_open_write (const IoParams *p)
{
  GFile *file = g_file_new_for_path (write_path);
  GOutputStream *base = G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE,
                                                         NULL, NULL));
  GOutputStream *out = g_buffered_output_stream_new_sized (base, BUFFER_SIZE);

  g_object_unref (base);
  g_object_unref (file);
  return out;
}

DEFINE_WRITE_CASE (write_gbuffered_file, GOutputStream, gbuffered_file_open_write, gio_write,
                   gio_close)

/* ---------------------------------------------------------------------- */
/* Lines: readline_into() over a buffered file and over a memory stream   */

static char *lines_path;
static guint8 *lines_text;
static gsize lines_size;
static gsize lines_count;

static void
make_lines_file (gsize size)
{
  GError *error = NULL;

  lines_text = bench_make_lines (size, &lines_count);
  lines_size = size;
  lines_path = g_strdup_printf ("%s/libstream-bench-lines-%d", g_get_tmp_dir (), (int) getpid ());
  if (!g_file_set_contents (lines_path, (const char *) lines_text, (gssize) lines_size, &error))
    g_error ("%s", error->message);
}

static IoStream *
lines_open_buffered (void)
{
  return buffered_open (lines_path, "rb", BUFFER_SIZE);
}

static IoStream *
lines_open_memory (void)
{
  GBytes *bytes = g_bytes_new_static (lines_text, lines_size);
  IoStream *stream = io_memory_stream_new_from_bytes (bytes);

  g_bytes_unref (bytes);
  return stream;
}

static gdouble
run_lines (BenchCase   *c,
           IoStream  *(*open_fn) (void))
{
  IoStream *stream = open_fn ();
  GError *error = NULL;
  guint8 *line = NULL;
  gsize cap = 0, total = 0;
  guint64 t0;
  gdouble ns;
  gssize len;

  t0 = bench_now ();
  while ((len = io_stream_readline_into (stream, -1, &line, &cap, &error)) > 0)
    total += (gsize) len;
  ns = bench_since (t0);

  if (len < 0)
    bench_fail (c, "readline_into failed: %s", error->message);
  if (total != lines_size)
    bench_fail (c, "read %" G_GSIZE_FORMAT " bytes of lines, not %" G_GSIZE_FORMAT, total,
                lines_size);
  g_free (line);
  g_object_unref (stream);
  return ns;
}

static gdouble
lines_buffered (BenchCase *c,
                gpointer   data)
{
  return run_lines (c, lines_open_buffered);
}

static gdouble
lines_memory (BenchCase *c,
              gpointer   data)
{
  return run_lines (c, lines_open_memory);
}

/* Text lines over the same buffered file: the binary line validated as
 * UTF-8 (the floor), GDataInputStream's read_line_utf8() over a
 * GFileInputStream, and an io_open_text() stream's readline_into(). */

static gdouble
text_lines_finish (BenchCase *c,
                   guint64    t0,
                   gsize      total,
                   gboolean   failed)
{
  gdouble ns = bench_since (t0);

  if (failed)
    bench_fail (c, "a text line failed");
  if (total != lines_size)
    bench_fail (c, "read %" G_GSIZE_FORMAT " bytes of text lines, not %" G_GSIZE_FORMAT, total,
                lines_size);
  return ns;
}

static gdouble
text_lines_floor (BenchCase *c,
                  gpointer   data)
{
  IoStream *stream = lines_open_buffered ();
  guint8 *line = NULL;
  gsize cap = 0, total = 0;
  guint64 t0 = bench_now ();
  gssize len;
  gdouble ns;

  while ((len = io_stream_readline_into (stream, -1, &line, &cap, NULL)) > 0 &&
         g_utf8_validate_len ((const char *) line, (gsize) len, NULL))
    total += (gsize) len;
  ns = text_lines_finish (c, t0, total, len != 0);
  g_free (line);
  g_object_unref (stream);
  return ns;
}

/* The least a reader handing out one line at a time pays here: a 64 KiB
 * buffer over read(2) and memchr() for each line end, inline, with no
 * copy and no check (bench-memory's "memchr, zero copy" floor plus the
 * page-cache reads). */
static gdouble
text_lines_least (BenchCase *c,
                  gpointer   data)
{
  int fd = open_or_die (lines_path, O_RDONLY);
  guint8 *buf = g_malloc (BUFFER_SIZE), *pos = buf, *end = buf;
  gsize total = 0;
  gboolean eof = FALSE;
  guint64 t0 = bench_now ();
  gdouble ns;

  for (;;)
    {
      guint8 *nl = memchr (pos, '\n', (gsize) (end - pos));
      gsize len;

      if G_UNLIKELY (nl == NULL)
        {
          gsize kept = (gsize) (end - pos);
          gssize got;

          if (eof)
            {
              if (kept == 0)
                break;
              nl = end - 1;
            }
          else
            {
              memmove (buf, pos, kept);
              pos = buf;
              end = buf + kept;
              got = read (fd, end, BUFFER_SIZE - kept);
              if (got < 0)
                bench_fail (c, "read: %s", g_strerror (errno));
              eof = got == 0;
              end += got;
              continue;
            }
        }
      len = (gsize) (nl + 1 - pos);
      pos += len;
      total += len;
    }
  ns = text_lines_finish (c, t0, total, FALSE);
  g_free (buf);
  close (fd);
  return ns;
}

static gdouble
text_lines_gdata (BenchCase *c,
                  gpointer   data)
{
  GFile *file = g_file_new_for_path (lines_path);
  GInputStream *base = G_INPUT_STREAM (g_file_read (file, NULL, NULL));
  GDataInputStream *in = g_data_input_stream_new (base);
  gsize total = 0, len;
  guint64 t0;
  gdouble ns;
  char *line;

  g_buffered_input_stream_set_buffer_size (G_BUFFERED_INPUT_STREAM (in), BUFFER_SIZE);
  t0 = bench_now ();
  while ((line = g_data_input_stream_read_line_utf8 (in, &len, NULL, NULL)) != NULL)
    {
      total += len + 1;  /* read_line drops the newline */
      g_free (line);
    }
  ns = text_lines_finish (c, t0, total, FALSE);
  g_object_unref (in);
  g_object_unref (base);
  g_object_unref (file);
  return ns;
}

static gdouble
text_lines_libstream (BenchCase *c,
                      gpointer   data)
{
  IoTextStream *text = io_open_text (lines_path, "r", BUFFER_SIZE, "utf-8", NULL, NULL, NULL);
  char *line = NULL;
  gsize cap = 0, total = 0;
  guint64 t0 = bench_now ();
  gssize len;
  gdouble ns;

  while ((len = io_text_stream_readline_into (text, -1, &line, &cap, NULL)) > 0)
    total += (gsize) len;
  ns = text_lines_finish (c, t0, total, len != 0);
  g_free (line);
  g_object_unref (text);
  return ns;
}

/* ---------------------------------------------------------------------- */
/* Pipes: the main thread writes, a reader thread reads to the end        */

static gboolean pin_threads;

static void
pin_to_cpu (int cpu)
{
  cpu_set_t set;

  if (!pin_threads)
    return;
  CPU_ZERO (&set);
  CPU_SET (cpu, &set);
  pthread_setaffinity_np (pthread_self (), sizeof set, &set);
}

static void
unpin (void)
{
  cpu_set_t set;

  if (!pin_threads)
    return;
  CPU_ZERO (&set);
  for (int i = 0; i < CPU_SETSIZE; i++)
    CPU_SET (i, &set);
  pthread_setaffinity_np (pthread_self (), sizeof set, &set);
}

typedef struct
{
  BenchCase      *c;
  const IoParams *p;
  gpointer        reader;
  ReadTally       tally;
} PipeJob;

/* A case makes both ends (outside the clock), starts the reader thread,
 * writes total bytes in chunks, closes its end and waits for the reader to
 * see the end of the stream. */
#define DEFINE_PIPE_CASE(name, RType, WType, open_fn, write_fn, wclose_fn, read_fn, rclose_fn) \
  static gpointer                                                          \
  name##_reader (gpointer data)                                            \
  {                                                                        \
    PipeJob *job = data;                                                   \
    guint8 *dst = g_malloc (job->p->chunk);                                \
                                                                           \
    pin_to_cpu (1);                                                        \
    for (;;)                                                               \
      {                                                                    \
        gssize n = read_fn (job->c, (RType *) job->reader, dst, job->p->chunk); \
                                                                           \
        if (n <= 0)                                                        \
          break;                                                           \
        tally (&job->tally, dst, n);                                       \
      }                                                                    \
    rclose_fn ((RType *) job->reader);                                     \
    g_free (dst);                                                          \
    return NULL;                                                           \
  }                                                                        \
                                                                           \
  static gdouble                                                           \
  name (BenchCase *c,                                                      \
        gpointer   data)                                                   \
  {                                                                        \
    const IoParams *p = data;                                              \
    PipeJob job = { c, p, NULL, { 0, 0 } };                                \
    WType *writer = open_fn (&job.reader);                                 \
    GThread *thread;                                                       \
    guint64 t0;                                                            \
    gdouble ns;                                                            \
                                                                           \
    pin_to_cpu (0);                                                        \
    t0 = bench_now ();                                                     \
    thread = g_thread_new ("reader", name##_reader, &job);                 \
    for (gsize off = 0; off < p->total; off += p->chunk)                   \
      write_fn (c, writer, pattern + off % pattern_size, p->chunk);        \
    wclose_fn (c, writer);                                                 \
    g_thread_join (thread);                                                \
    ns = bench_since (t0);                                                 \
    unpin ();                                                              \
                                                                           \
    check_tally (c, &job.tally, p->total);                                 \
    return ns;                                                             \
  }

/* floor: read(2) and write(2) */
static FdWriter *
fd_pipe_open (gpointer *reader)
{
  int fds[2];
  FdReader *r = g_new0 (FdReader, 1);
  FdWriter *w = g_new0 (FdWriter, 1);

  if (pipe2 (fds, O_CLOEXEC) != 0)
    g_error ("pipe: %s", g_strerror (errno));
  r->fd = fds[0];
  w->fd = fds[1];
  *reader = r;
  return w;
}

static void
fd_pipe_close_writer (BenchCase *c,
                      FdWriter  *w)
{
  close (w->fd);
  g_free (w);
}

static void
fd_pipe_close_reader (FdReader *r)
{
  close (r->fd);
  g_free (r);
}

DEFINE_PIPE_CASE (pipe_fd, FdReader, FdWriter, fd_pipe_open, fd_write, fd_pipe_close_writer,
                  fd_read, fd_pipe_close_reader)

/* GIO: GUnixOutputStream to GUnixInputStream */
static GOutputStream *
gunix_pipe_open (gpointer *reader)
{
  int fds[2];

  if (pipe2 (fds, O_CLOEXEC) != 0)
    g_error ("pipe: %s", g_strerror (errno));
  *reader = g_unix_input_stream_new (fds[0], TRUE);
  return g_unix_output_stream_new (fds[1], TRUE);
}

DEFINE_PIPE_CASE (pipe_gunix, GInputStream, GOutputStream, gunix_pipe_open, gio_write, gio_close,
                  gio_read, g_object_unref)

/* libstream: IoPipeStream pair; the reader makes one read(2) per call */
static IoStream *
libstream_pipe_open (gpointer *reader)
{
  IoStream *writer = NULL;
  GError *error = NULL;

  if (!io_pipe_stream_new_pair ((IoStream **) reader, &writer, &error))
    g_error ("%s", error->message);
  return writer;
}

static inline gssize
libstream_read1 (BenchCase *c,
                 IoStream  *stream,
                 guint8    *dst,
                 gsize      n)
{
  GError *error = NULL;
  gssize got = io_stream_read1 (stream, dst, n, &error);

  if G_UNLIKELY (got < 0)
    bench_fail (c, "read1 failed: %s", error->message);
  return got;
}

DEFINE_PIPE_CASE (pipe_libstream, IoStream, IoStream, libstream_pipe_open, libstream_write,
                  libstream_close, libstream_read1, g_object_unref)

/* ---------------------------------------------------------------------- */
/* The groups                                                             */

static IoParams *
params (gsize chunk,
        gsize total)
{
  IoParams *p = g_new0 (IoParams, 1);

  p->chunk = chunk;
  p->total = total;
  return p;
}

static void
add_file_read_group (BenchRun *run,
                     gsize     chunk,
                     gsize     total)
{
  IoParams *p = params (chunk, total);
  char *id = g_strdup_printf ("file-read-%s", bench_size (chunk));
  char *title = g_strdup_printf ("file read (page cache), %s chunks, %s", bench_size (chunk),
                                 bench_size (total));
  BenchGroup *g = bench_group_add (run, id, title, chunk, total / chunk);
  gboolean small = chunk < BUFFER_SIZE;

  if (small)
    {
      bench_case_add (g, "floor", "floor: 64 KiB buffered reader over read(2), inline",
                      read_fd_buffered, p);
      bench_case_add (g, "read", "read(2) per operation, unbuffered", read_fd, p);
    }
  else
    bench_case_add (g, "floor", "floor: read(2)", read_fd, p);
  bench_case_add (g, "fread", "fopen + fread", read_stdio, p);
  if (small)
    bench_case_add (g, "fread-unlocked", "fopen + fread_unlocked", read_stdio_unlocked, p);
  bench_case_add (g, "gunix", "GUnixInputStream read", read_gunix, p);
  bench_case_add (g, "gbuffered", "GBufferedInputStream(GUnixInputStream, 64 KiB) read",
                  read_gbuffered, p);
  bench_case_add (g, "gbuffered-file", "GBufferedInputStream(GFileInputStream, 64 KiB) read",
                  read_gbuffered_file, p);
  if (small)
    {
      bench_case_add (g, "raw", "IoFileStream io_stream_read (raw: one read(2) each)",
                      read_libstream, p);
      bench_case_add (g, "buffered-blksize",
                      "io_open(\"rb\", -1) io_stream_read (st_blksize buffer)",
                      read_buffered_default, p);
      bench_case_add_libstream (g, "libstream",
                                "**io_open(\"rb\", 64 KiB) io_stream_read** (IoBufferedReader)",
                                read_buffered, p);
    }
  else
    {
      bench_case_add_libstream (g, "libstream", "**IoFileStream io_stream_read**",
                                read_libstream, p);
      bench_case_add (g, "buffered",
                      "**io_open(\"rb\", -1) io_stream_read** (IoBufferedReader, bypassed)",
                      read_buffered_default, p);
    }
  g_free (id);
  g_free (title);
}

static void
add_file_write_group (BenchRun *run,
                      gsize     chunk,
                      gsize     total)
{
  IoParams *p = params (chunk, total);
  char *id = g_strdup_printf ("file-write-%s", bench_size (chunk));
  char *title = g_strdup_printf ("file write (new file, no fsync), %s chunks, %s",
                                 bench_size (chunk), bench_size (total));
  BenchGroup *g = bench_group_add (run, id, title, chunk, total / chunk);
  gboolean small = chunk < BUFFER_SIZE;

  if (small)
    {
      bench_case_add (g, "floor", "floor: 64 KiB buffered writer over write(2), inline",
                      write_fd_buffered, p);
      bench_case_add (g, "write", "write(2) per operation, unbuffered", write_fd, p);
    }
  else
    bench_case_add (g, "floor", "floor: write(2)", write_fd, p);
  bench_case_add (g, "fwrite", "fopen + fwrite", write_stdio, p);
  if (small)
    bench_case_add (g, "fwrite-unlocked", "fopen + fwrite_unlocked", write_stdio_unlocked, p);
  bench_case_add (g, "gunix", "GUnixOutputStream write_all", write_gunix, p);
  bench_case_add (g, "gbuffered", "GBufferedOutputStream(GUnixOutputStream, 64 KiB) write_all",
                  write_gbuffered, p);
  bench_case_add (g, "gbuffered-file",
                  "GBufferedOutputStream(GFileOutputStream, 64 KiB) write_all",
                  write_gbuffered_file, p);
  if (small)
    {
      bench_case_add (g, "raw", "IoFileStream io_stream_write (raw: one write(2) each)",
                      write_libstream, p);
      bench_case_add (g, "buffered-blksize",
                      "io_open(\"wb\", -1) io_stream_write (st_blksize buffer)",
                      write_buffered_default, p);
      bench_case_add_libstream (g, "libstream",
                                "**io_open(\"wb\", 64 KiB) io_stream_write** (IoBufferedWriter)",
                                write_buffered, p);
    }
  else
    {
      bench_case_add_libstream (g, "libstream", "**IoFileStream io_stream_write**",
                                write_libstream, p);
      bench_case_add (g, "buffered",
                      "**io_open(\"wb\", -1) io_stream_write** (IoBufferedWriter, bypassed)",
                      write_buffered_default, p);
    }
  g_free (id);
  g_free (title);
}

static void
add_getc_group (BenchRun *run,
                gsize     total)
{
  IoParams *p = params (1, total);
  char *title = g_strdup_printf ("file getc (page cache), %s", bench_size (total));
  BenchGroup *g = bench_group_add (run, "file-getc", title, 1, total);

  bench_case_add (g, "getc-unlocked", "fopen + getc_unlocked", read_getc_unlocked, p);
  bench_case_add_libstream (g, "libstream", "**io_open(\"rb\", 64 KiB) io_stream_getc**",
                            read_buffered_getc, p);
  g_free (title);
}

static void
add_lines_group (BenchRun *run)
{
  char *title = g_strdup_printf ("readline_into, ~80 B lines, %s",
                                 bench_size (lines_size));
  BenchGroup *g = bench_group_add (run, "lines", title, lines_size / lines_count, lines_count);

  bench_case_add (g, "memory", "IoMemoryStream readline_into", lines_memory, NULL);
  bench_case_add_libstream (g, "libstream", "**io_open(\"rb\", 64 KiB) readline_into** (page cache)",
                            lines_buffered, NULL);
  g_free (title);
}

static void
add_text_lines_group (BenchRun *run)
{
  char *title = g_strdup_printf ("UTF-8 text lines, ~80 B, buffered file, %s",
                                 bench_size (lines_size));
  BenchGroup *g = bench_group_add (run, "text-lines", title, lines_size / lines_count,
                                   lines_count);

  bench_case_add (g, "floor", "floor: io_open(\"rb\") readline_into + g_utf8_validate",
                  text_lines_floor, NULL);
  bench_case_add (g, "least", "least: 64 KiB buffer over read(2) + memchr, no copy, no check, "
                  "inline", text_lines_least, NULL);
  bench_case_add (g, "gdata-utf8", "GDataInputStream(GFileInputStream) read_line_utf8",
                  text_lines_gdata, NULL);
  bench_case_add_libstream (g, "libstream", "**io_open_text(\"r\") readline_into**",
                            text_lines_libstream, NULL);
  g_free (title);
}

static void
add_pipe_group (BenchRun *run,
                gsize     chunk,
                gsize     total)
{
  IoParams *p = params (chunk, total);
  char *id = g_strdup_printf ("pipe-%s", bench_size (chunk));
  char *title = g_strdup_printf ("pipe, %s writes and reads, %s, %s", bench_size (chunk),
                                 bench_size (total),
                                 pin_threads ? "writer and reader pinned to CPUs 0 and 1"
                                             : "threads unpinned");
  BenchGroup *g = bench_group_add (run, id, title, chunk, total / chunk);

  /* Its cases start a reader thread, after which the process stays
   * multi-threaded: run it after the file groups. */
  bench_group_set_threaded (g);
  bench_case_add (g, "floor", "floor: write(2) / read(2)", pipe_fd, p);
  bench_case_add (g, "gunix", "GUnixOutputStream write_all / GUnixInputStream read",
                  pipe_gunix, p);
  bench_case_add_libstream (g, "libstream", "**IoPipeStream io_stream_write / io_stream_read1**",
                            pipe_libstream, p);
  g_free (id);
  g_free (title);
}

int
main (int    argc,
      char **argv)
{
  BenchRun *run = bench_run_new (&argc, &argv);
  gsize big = run->quick ? 1 << 20 : 64 << 20;
  gsize small_read = run->quick ? 64 << 10 : 4 << 20;
  gsize small_write = run->quick ? 64 << 10 : 1 << 20;
  gsize pipe_total = run->quick ? 1 << 20 : 256 << 20;
  int status;

  pin_threads = g_get_num_processors () >= 2;
  make_files (big);

  add_file_read_group (run, 16, small_read);
  add_file_read_group (run, BUFFER_SIZE, big);
  add_file_write_group (run, 16, small_write);
  add_file_write_group (run, BUFFER_SIZE, big);
  add_getc_group (run, small_read);
  make_lines_file (small_read);
  add_lines_group (run);
  add_text_lines_group (run);
  add_pipe_group (run, 4096, pipe_total);
  add_pipe_group (run, BUFFER_SIZE, pipe_total);

  bench_target (run, "file-read-64K", "libstream", BENCH_MAX_X_FLOOR, 1.0 / 0.95, "floor");
  bench_target (run, "file-write-64K", "libstream", BENCH_MAX_X_FLOOR, 1.0 / 0.95, "floor");
  bench_target (run, "file-read-16B", "libstream", BENCH_MIN_SPEEDUP, 5.0, "fread");
  bench_target (run, "file-read-16B", "libstream", BENCH_MIN_SPEEDUP, 8.0, "gbuffered-file");
  bench_target (run, "file-write-16B", "libstream", BENCH_MIN_SPEEDUP, 5.0, "fwrite");
  bench_target (run, "file-write-16B", "libstream", BENCH_MIN_SPEEDUP, 8.0, "gbuffered-file");
  bench_target (run, "file-read-64K", "buffered", BENCH_MAX_X_FLOOR, 1.0 / 0.95, "floor");
  bench_target (run, "file-write-64K", "buffered", BENCH_MAX_X_FLOOR, 1.0 / 0.95, "floor");
  bench_target (run, "file-getc", "libstream", BENCH_MAX_X_FLOOR, 1.1, "getc-unlocked");
  bench_target (run, "lines", "libstream", BENCH_MAX_X_FLOOR, 1.3, "memory");
  bench_target (run, "text-lines", "libstream", BENCH_MAX_X_FLOOR, 1.5, "floor");
  bench_target (run, "text-lines", "libstream", BENCH_MIN_SPEEDUP, 10.0, "gdata-utf8");
  bench_target (run, "pipe-4K", "libstream", BENCH_MAX_X_FLOOR, 1.0 / 0.9, "floor");
  bench_target (run, "pipe-4K", "libstream", BENCH_MIN_SPEEDUP, 1.8, "gunix");
  bench_target (run, "pipe-64K", "libstream", BENCH_MAX_X_FLOOR, 1.0 / 0.9, "floor");

  status = bench_run_main (run);
  unlink (read_path);
  unlink (write_path);
  unlink (lines_path);
  return status;
}
