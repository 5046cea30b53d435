/* bench-memory.c: libstream against its peers on in-memory workloads
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * One run measures every case of a group in turn (repetition 1 of every
 * case, then repetition 2, with the order rotated each time), so drift on a
 * shared machine hits all peers alike. Each group prints a Markdown table:
 * the median ns per operation, GB/s, the median of the per-repetition ratio
 * to the group's floor, and how many times faster the group's libstream row
 * is than each row (the per-repetition ratio peer/libstream, median).
 *
 * Every case checks its result (sizes, a checksum of the bytes moved, line
 * counts) and the program exits with status 1 on a mismatch, so the quick
 * mode is a correctness smoke test as well. Nothing here asserts a time.
 *
 * The 16-byte write and read groups and the line group run in three
 * processes, as issue 13 asks: with one thread (libstream and stdio take
 * no atomic), with an idle helper thread started (one compare-and-swap a
 * call), and with the helper up but the libstream case holding its stream
 * with io_stream_lock() (and stdio its FILE with flockfile()) around the
 * timed loop. bench-util runs the multi-threaded groups last.
 *
 * Usage: bench-memory [--quick] [--reps N] [--only SUBSTRING]
 */

#define _GNU_SOURCE

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gio/gio.h>
#include <libstream.h>

#include "bench-getc.h"
#include "bench-util.h"

/* The process a group runs in. */
typedef enum
{
  MODE_SINGLE,    /* one thread */
  MODE_THREADED,  /* an idle helper thread is up */
  MODE_LOCKED,    /* the helper is up; libstream and stdio hold their stream */
} Mode;

/* The held cases take their stream inside the clock, around the loop. */
static inline void
no_hold (BenchCase *c,
         gpointer   s)
{
}

static inline void
libstream_hold (BenchCase *c,
                IoStream  *stream)
{
  GError *error = NULL;

  if (!io_stream_lock (stream, &error))
    bench_fail (c, "io_stream_lock failed: %s", error->message);
}

static inline void
libstream_unhold (BenchCase *c,
                  IoStream  *stream)
{
  io_stream_unlock (stream);
}

static inline void
file_hold (BenchCase *c,
           FILE      *f)
{
  flockfile (f);
}

static inline void
file_unhold (BenchCase *c,
             FILE      *f)
{
  funlockfile (f);
}

/* ---------------------------------------------------------------------- */
/* Shared source data                                                     */

static guint8 *source;          /* bench_scale.source_size bytes of a pattern */
static gsize   source_size;
static guint64 source_sum_cache[8];

static void
make_source (gsize size)
{
  source_size = size;
  source = g_malloc (size);
  for (gsize i = 0; i < size; i++)
    source[i] = (guint8) ((i * 2654435761u) >> 13);
  memset (source_sum_cache, 0, sizeof source_sum_cache);
}

/* Sum of the first byte of every @chunk-sized block in source[0, total):
 * the checksum every read case accumulates. */
static guint64
expected_first_byte_sum (gsize chunk,
                         gsize total)
{
  guint64 sum = 0;

  for (gsize off = 0; off < total; off += chunk)
    sum += source[off];
  return sum;
}

/* ---------------------------------------------------------------------- */
/* Floors: what the hardware and a hand-written buffer can do             */

typedef struct
{
  guint8 *data;
  gsize   len;
  gsize   cap;
} FloorBuf;

static inline void
floor_buf_append (FloorBuf     *b,
                  const guint8 *src,
                  gsize         n)
{
  if G_UNLIKELY (b->len + n > b->cap)
    {
      gsize cap = b->cap ? b->cap : 64;

      while (cap < b->len + n)
        cap *= 2;
      b->data = realloc (b->data, cap);
      if (b->data == NULL)
        g_error ("out of memory");
      b->cap = cap;
    }
  memcpy (b->data + b->len, src, n);
  b->len += n;
}

/* The same append behind a function pointer the compiler cannot see
 * through: the cost of virtual dispatch without any GObject machinery. */
typedef struct
{
  void (*append) (FloorBuf *b, const guint8 *src, gsize n);
  gsize (*read) (const guint8 **p, const guint8 *end, guint8 *dst, gsize n);
} FloorVtable;

__attribute__((noipa)) static void
floor_vt_append (FloorBuf     *b,
                 const guint8 *src,
                 gsize         n)
{
  floor_buf_append (b, src, n);
}

__attribute__((noipa)) static gsize
floor_vt_read (const guint8 **p,
               const guint8  *end,
               guint8        *dst,
               gsize          n)
{
  gsize avail = (gsize) (end - *p);

  n = MIN (n, avail);
  memcpy (dst, *p, n);
  *p += n;
  return n;
}

static FloorVtable floor_vtable = { floor_vt_append, floor_vt_read };
static FloorVtable *volatile floor_vtable_ptr = &floor_vtable;

/* ---------------------------------------------------------------------- */
/* Write workloads: warm (a grown buffer rewritten from 0) and cold       */

typedef struct
{
  gsize    chunk;
  gsize    total;
  gboolean cold;
  Mode     mode;
} WriteParams;

static void
check_written (BenchCase    *c,
               const guint8 *data,
               gsize         len,
               gsize         chunk,
               gsize         total)
{
  gsize ops = total / chunk;

  if (len != ops * chunk)
    bench_fail (c, "wrote %" G_GSIZE_FORMAT " bytes, expected %" G_GSIZE_FORMAT,
                len, ops * chunk);
  if (memcmp (data, source, chunk) != 0 ||
      memcmp (data + (ops - 1) * chunk, source, chunk) != 0)
    bench_fail (c, "content differs from the source");
}

/* Each writer has an open function (which for a warm run fills the target
 * once and rewinds it, outside the clock), an inline write and a finish
 * that checks the content and frees. DEFINE_WRITE_CASE makes the measured
 * loop, so every peer runs the same loop with its write inlined; the _HELD
 * form brackets it with hold_fn/unhold_fn on the clock. */
#define DEFINE_WRITE_CASE_HELD(name, Type, open_fn, write_fn, sync_fn, finish_fn, \
                               hold_fn, unhold_fn)                           \
  static gdouble                                                             \
  name (BenchCase *c,                                                        \
        gpointer   data)                                                     \
  {                                                                          \
    const WriteParams *p = data;                                             \
    gsize ops = p->total / p->chunk;                                         \
    Type *s = open_fn (p);                                                   \
    guint64 t0;                                                              \
    gdouble ns;                                                              \
                                                                             \
    t0 = bench_now ();                                                       \
    hold_fn (c, s);                                                          \
    for (gsize i = 0; i < ops; i++)                                          \
      write_fn (c, s, source, p->chunk);                                     \
    sync_fn (s);                                                             \
    unhold_fn (c, s);                                                        \
    ns = bench_since (t0);                                                   \
                                                                             \
    finish_fn (c, s, p);                                                     \
    return ns;                                                               \
  }

#define DEFINE_WRITE_CASE(name, Type, open_fn, write_fn, sync_fn, finish_fn) \
  DEFINE_WRITE_CASE_HELD (name, Type, open_fn, write_fn, sync_fn, finish_fn, no_hold, no_hold)

static void
no_sync (gpointer s)
{
}

/* Every writer, floors included, is made afresh for each repetition; a
 * warm one is filled and rewound before the clock starts. */

/* floor: a growable buffer, realloc doubling and a memcpy call */
static FloorBuf *
floor_open (const WriteParams *p)
{
  FloorBuf *b = g_new0 (FloorBuf, 1);
  gsize ops = p->total / p->chunk;

  if (!p->cold)
    {
      for (gsize i = 0; i < ops; i++)
        floor_buf_append (b, source, p->chunk);
    }
  b->len = 0;
  return b;
}

static inline void
floor_write (BenchCase    *c,
             FloorBuf     *b,
             const guint8 *src,
             gsize         n)
{
  floor_buf_append (b, src, n);
}

static inline void
floor_write_vtable (BenchCase    *c,
                    FloorBuf     *b,
                    const guint8 *src,
                    gsize         n)
{
  floor_vtable_ptr->append (b, src, n);
}

static void
floor_finish (BenchCase         *c,
              FloorBuf          *b,
              const WriteParams *p)
{
  check_written (c, b->data, b->len, p->chunk, p->total);
  free (b->data);
  g_free (b);
}

DEFINE_WRITE_CASE (write_floor, FloorBuf, floor_open, floor_write, no_sync, floor_finish)
DEFINE_WRITE_CASE (write_floor_vtable, FloorBuf, floor_open, floor_write_vtable, no_sync,
                   floor_finish)

/* GByteArray */
static GByteArray *
byte_array_open (const WriteParams *p)
{
  GByteArray *array = g_byte_array_new ();
  gsize ops = p->total / p->chunk;

  if (!p->cold)
    {
      for (gsize i = 0; i < ops; i++)
        g_byte_array_append (array, source, (guint) p->chunk);
      g_byte_array_set_size (array, 0);
    }
  return array;
}

static inline void
byte_array_write (BenchCase    *c,
                  GByteArray   *array,
                  const guint8 *src,
                  gsize         n)
{
  g_byte_array_append (array, src, (guint) n);
}

static void
byte_array_finish (BenchCase         *c,
                   GByteArray        *array,
                   const WriteParams *p)
{
  check_written (c, array->data, array->len, p->chunk, p->total);
  g_byte_array_unref (array);
}

DEFINE_WRITE_CASE (write_byte_array, GByteArray, byte_array_open, byte_array_write, no_sync,
                   byte_array_finish)

/* stdio: open_memstream */
typedef struct
{
  FILE  *f;
  char  *buf;
  size_t len;
} MemStream;

static MemStream *
memstream_open (const WriteParams *p)
{
  MemStream *m = g_new0 (MemStream, 1);
  gsize ops = p->total / p->chunk;

  m->f = open_memstream (&m->buf, &m->len);
  if (!p->cold)
    {
      for (gsize i = 0; i < ops; i++)
        fwrite (source, 1, p->chunk, m->f);
      fseek (m->f, 0, SEEK_SET);
    }
  return m;
}

static inline void
memstream_write (BenchCase    *c,
                 MemStream    *m,
                 const guint8 *src,
                 gsize         n)
{
  fwrite (src, 1, n, m->f);
}

static inline void
memstream_write_unlocked (BenchCase    *c,
                          MemStream    *m,
                          const guint8 *src,
                          gsize         n)
{
  fwrite_unlocked (src, 1, n, m->f);
}

static void
memstream_sync (MemStream *m)
{
  fflush (m->f);
}

static void
memstream_finish (BenchCase         *c,
                  MemStream         *m,
                  const WriteParams *p)
{
  /* After the rewind, len is the position, which ends at the size. */
  check_written (c, (guint8 *) m->buf, m->len, p->chunk, p->total);
  fclose (m->f);
  free (m->buf);
  g_free (m);
}

DEFINE_WRITE_CASE (write_memstream, MemStream, memstream_open, memstream_write,
                   memstream_sync, memstream_finish)
DEFINE_WRITE_CASE (write_memstream_unlocked, MemStream, memstream_open,
                   memstream_write_unlocked, memstream_sync, memstream_finish)

static inline void
memstream_hold (BenchCase *c,
                MemStream *m)
{
  flockfile (m->f);
}

static inline void
memstream_unhold (BenchCase *c,
                  MemStream *m)
{
  funlockfile (m->f);
}

DEFINE_WRITE_CASE_HELD (write_memstream_held, MemStream, memstream_open, memstream_write,
                        memstream_sync, memstream_finish, memstream_hold, memstream_unhold)

/* GIO: GMemoryOutputStream */
static GOutputStream *
gmos_open (const WriteParams *p)
{
  GOutputStream *out = g_memory_output_stream_new_resizable ();
  gsize ops = p->total / p->chunk;

  if (!p->cold)
    {
      for (gsize i = 0; i < ops; i++)
        g_output_stream_write_all (out, source, p->chunk, NULL, NULL, NULL);
      g_seekable_seek (G_SEEKABLE (out), 0, G_SEEK_SET, NULL, NULL);
    }
  return out;
}

static inline void
gmos_write_all (BenchCase     *c,
                GOutputStream *out,
                const guint8  *src,
                gsize          n)
{
  g_output_stream_write_all (out, src, n, NULL, NULL, NULL);
}

static inline void
gmos_write (BenchCase     *c,
            GOutputStream *out,
            const guint8  *src,
            gsize          n)
{
  g_output_stream_write (out, src, n, NULL, NULL);
}

static void
gmos_finish (BenchCase         *c,
             GOutputStream     *out,
             const WriteParams *p)
{
  GMemoryOutputStream *mos = G_MEMORY_OUTPUT_STREAM (out);

  check_written (c, g_memory_output_stream_get_data (mos),
                 g_memory_output_stream_get_data_size (mos), p->chunk, p->total);
  g_object_unref (out);
}

DEFINE_WRITE_CASE (write_gmos_write_all, GOutputStream, gmos_open, gmos_write_all, no_sync,
                   gmos_finish)
DEFINE_WRITE_CASE (write_gmos_write, GOutputStream, gmos_open, gmos_write, no_sync,
                   gmos_finish)

/* libstream: IoMemoryStream */
static IoStream *
libstream_open (const WriteParams *p)
{
  IoStream *stream = io_memory_stream_new (NULL, 0);
  gsize ops = p->total / p->chunk;

  if (!p->cold)
    {
      for (gsize i = 0; i < ops; i++)
        io_stream_write (stream, source, p->chunk, NULL);
      io_stream_seek (stream, 0, IO_WHENCE_SET, NULL);
    }
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
libstream_finish (BenchCase         *c,
                  IoStream          *stream,
                  const WriteParams *p)
{
  GBytes *value = io_memory_stream_get_value (IO_MEMORY_STREAM (stream), NULL);
  gsize len;
  const guint8 *content = g_bytes_get_data (value, &len);

  check_written (c, content, len, p->chunk, p->total);
  g_bytes_unref (value);
  g_object_unref (stream);
}

DEFINE_WRITE_CASE (write_libstream, IoStream, libstream_open, libstream_write, no_sync,
                   libstream_finish)
DEFINE_WRITE_CASE_HELD (write_libstream_held, IoStream, libstream_open, libstream_write,
                        no_sync, libstream_finish, libstream_hold, libstream_unhold)

/* ---------------------------------------------------------------------- */
/* Read workloads: the source read front to back in fixed chunks          */

typedef struct
{
  gsize chunk;
  gsize total;
  Mode  mode;
} ReadParams;

/* Set by --quick (the smoke suite): every read case then compares every
 * byte it read with the source, not just the first byte of each chunk. */
static gboolean verify_content;

static void
check_read (BenchCase        *c,
            const ReadParams *p,
            gsize             bytes,
            guint64           sum,
            gboolean          content_ok)
{
  if (bytes != p->total)
    bench_fail (c, "read %" G_GSIZE_FORMAT " bytes, expected %" G_GSIZE_FORMAT,
                bytes, p->total);
  if (sum != expected_first_byte_sum (p->chunk, p->total))
    bench_fail (c, "checksum mismatch");
  if (!content_ok)
    bench_fail (c, "the bytes read differ from the source");
}

/* As for writes: an open, an inline read returning the count (<= 0 at the
 * end), a close. The loop sums the first byte of every chunk read. */
#define DEFINE_READ_CASE_HELD(name, Type, open_fn, read_fn, close_fn,     \
                              hold_fn, unhold_fn)                          \
  static gdouble                                                           \
  name (BenchCase *c,                                                      \
        gpointer   data)                                                   \
  {                                                                        \
    const ReadParams *p = data;                                            \
    guint8 *dst = g_malloc (p->chunk);                                     \
    Type *s = open_fn (p);                                                 \
    gsize bytes = 0;                                                       \
    guint64 sum = 0;                                                       \
    gboolean content_ok = TRUE;                                            \
    guint64 t0;                                                            \
    gdouble ns;                                                            \
                                                                           \
    t0 = bench_now ();                                                     \
    hold_fn (c, s);                                                        \
    for (;;)                                                               \
      {                                                                    \
        gssize n = read_fn (c, s, dst, p->chunk);                          \
                                                                           \
        if (n <= 0)                                                        \
          break;                                                           \
        if G_UNLIKELY (verify_content &&                                   \
                       memcmp (dst, source + bytes, (gsize) n) != 0)       \
          content_ok = FALSE;                                              \
        bytes += (gsize) n;                                                \
        sum += dst[0];                                                     \
      }                                                                    \
    unhold_fn (c, s);                                                      \
    ns = bench_since (t0);                                                 \
                                                                           \
    check_read (c, p, bytes, sum, content_ok);                             \
    close_fn (s);                                                          \
    g_free (dst);                                                          \
    return ns;                                                             \
  }

#define DEFINE_READ_CASE(name, Type, open_fn, read_fn, close_fn)           \
  DEFINE_READ_CASE_HELD (name, Type, open_fn, read_fn, close_fn, no_hold, no_hold)

/* floor: a pointer pair and a memcpy call */
typedef struct
{
  const guint8 *pos;
  const guint8 *end;
} FloorReader;

static FloorReader *
floor_reader_open (const ReadParams *p)
{
  FloorReader *r = g_new (FloorReader, 1);

  r->pos = source;
  r->end = source + p->total;
  return r;
}

static inline gssize
floor_read (BenchCase   *c,
            FloorReader *r,
            guint8      *dst,
            gsize        n)
{
  n = MIN (n, (gsize) (r->end - r->pos));
  memcpy (dst, r->pos, n);
  r->pos += n;
  return (gssize) n;
}

static inline gssize
floor_read_vtable (BenchCase   *c,
                   FloorReader *r,
                   guint8      *dst,
                   gsize        n)
{
  return (gssize) floor_vtable_ptr->read (&r->pos, r->end, dst, n);
}

static inline gssize
floor_getc (BenchCase   *c,
            FloorReader *r,
            guint8      *dst,
            gsize        n)
{
  int ch = r->pos < r->end ? *r->pos++ : -1;

  if (ch < 0)
    return 0;
  dst[0] = (guint8) ch;
  return 1;
}

DEFINE_READ_CASE (read_floor, FloorReader, floor_reader_open, floor_read, g_free)
DEFINE_READ_CASE (read_floor_vtable, FloorReader, floor_reader_open, floor_read_vtable, g_free)
DEFINE_READ_CASE (read_getc_inline, FloorReader, floor_reader_open, floor_getc, g_free)

/* stdio: fmemopen */
static FILE *
fmem_open (const ReadParams *p)
{
  return fmemopen (source, p->total, "r");
}

static inline gssize
fmem_read (BenchCase *c,
           FILE      *f,
           guint8    *dst,
           gsize      n)
{
  return (gssize) fread (dst, 1, n, f);
}

static inline gssize
fmem_read_unlocked (BenchCase *c,
                    FILE      *f,
                    guint8    *dst,
                    gsize      n)
{
  return (gssize) fread_unlocked (dst, 1, n, f);
}

DEFINE_READ_CASE (read_fmemopen, FILE, fmem_open, fmem_read, fclose)
DEFINE_READ_CASE (read_fmemopen_unlocked, FILE, fmem_open, fmem_read_unlocked, fclose)
DEFINE_READ_CASE (read_getc_unlocked, FILE, fmem_open, bench_stdio_getc, fclose)
DEFINE_READ_CASE_HELD (read_fmemopen_held, FILE, fmem_open, fmem_read, fclose,
                       file_hold, file_unhold)

/* GIO: GMemoryInputStream, bare and under a GBufferedInputStream */
static GInputStream *
gmis_open (const ReadParams *p)
{
  return g_memory_input_stream_new_from_data (source, (gssize) p->total, NULL);
}

static GInputStream *
gbis_open (const ReadParams *p)
{
  GInputStream *base = gmis_open (p);
  GInputStream *in = g_buffered_input_stream_new (base);

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

static inline gssize
gbis_read_byte (BenchCase    *c,
                GInputStream *in,
                guint8       *dst,
                gsize         n)
{
  int ch = g_buffered_input_stream_read_byte (G_BUFFERED_INPUT_STREAM (in), NULL, NULL);

  if (ch < 0)
    return 0;
  dst[0] = (guint8) ch;
  return 1;
}

DEFINE_READ_CASE (read_gmis, GInputStream, gmis_open, gio_read, g_object_unref)
DEFINE_READ_CASE (read_gbis, GInputStream, gbis_open, gio_read, g_object_unref)
DEFINE_READ_CASE (read_gbis_read_byte, GInputStream, gbis_open, gbis_read_byte, g_object_unref)

/* libstream: IoMemoryStream over the source, shared without a copy */
static IoStream *
libstream_reader_open (const ReadParams *p)
{
  GBytes *bytes = g_bytes_new_static (source, p->total);
  IoStream *stream = io_memory_stream_new_from_bytes (bytes);

  g_bytes_unref (bytes);
  return stream;
}

static inline gssize
libstream_read (BenchCase *c,
                IoStream  *stream,
                guint8    *dst,
                gsize      n)
{
  GError *error = NULL;
  gssize r = io_stream_read (stream, dst, n, &error);

  if G_UNLIKELY (r < 0)
    bench_fail (c, "read failed: %s", error->message);
  return r;
}

static inline gssize
libstream_read1 (BenchCase *c,
                 IoStream  *stream,
                 guint8    *dst,
                 gsize      n)
{
  GError *error = NULL;
  gssize r = io_stream_read1 (stream, dst, n, &error);

  if G_UNLIKELY (r < 0)
    bench_fail (c, "read1 failed: %s", error->message);
  return r;
}

static inline gssize
libstream_read_bytes (BenchCase *c,
                      IoStream  *stream,
                      guint8    *dst,
                      gsize      n)
{
  GError *error = NULL;
  GBytes *bytes = io_stream_read_bytes (stream, (gssize) n, &error);
  gsize size;

  if G_UNLIKELY (bytes == NULL)
    bench_fail (c, "read_bytes failed: %s", error->message);
  size = g_bytes_get_size (bytes);
  /* The first byte for the checksum; all of them when they are checked. */
  if (size > 0)
    memcpy (dst, g_bytes_get_data (bytes, NULL), verify_content ? size : 1);
  g_bytes_unref (bytes);
  return (gssize) size;
}

DEFINE_READ_CASE (read_libstream, IoStream, libstream_reader_open, libstream_read,
                  g_object_unref)
DEFINE_READ_CASE (read_libstream_getc, IoStream, libstream_reader_open, bench_libstream_getc,
                  g_object_unref)
DEFINE_READ_CASE (read_libstream_read1, IoStream, libstream_reader_open, libstream_read1,
                  g_object_unref)
DEFINE_READ_CASE (read_libstream_read_bytes, IoStream, libstream_reader_open,
                  libstream_read_bytes, g_object_unref)
DEFINE_READ_CASE_HELD (read_libstream_held, IoStream, libstream_reader_open, libstream_read,
                       g_object_unref, libstream_hold, libstream_unhold)
DEFINE_READ_CASE_HELD (read_libstream_read1_held, IoStream, libstream_reader_open,
                       libstream_read1, g_object_unref, libstream_hold, libstream_unhold)

/* ---------------------------------------------------------------------- */
/* Lines: ~80-byte lines read one by one                                  */

typedef struct
{
  gsize total;
  Mode  mode;
} LineParams;

static guint8 *lines;
static gsize   lines_size;
static gsize   lines_count;

static void
check_lines (BenchCase *c,
             gsize      count,
             gsize      bytes)
{
  if (count != lines_count || bytes != lines_size)
    bench_fail (c, "%" G_GSIZE_FORMAT " lines of %" G_GSIZE_FORMAT " bytes, expected %"
                G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT, count, bytes, lines_count, lines_size);
}

/* An open, an inline readline returning the line's length including its
 * newline (0 at the end), and a close. */
#define DEFINE_LINES_CASE_HELD(name, Type, open_fn, readline_fn, close_fn, \
                               hold_fn, unhold_fn)                         \
  static gdouble                                                           \
  name (BenchCase *c,                                                      \
        gpointer   data)                                                   \
  {                                                                        \
    Type *s = open_fn ();                                                  \
    gsize count = 0;                                                       \
    gsize bytes = 0;                                                       \
    guint64 t0;                                                            \
    gdouble ns;                                                            \
                                                                           \
    t0 = bench_now ();                                                     \
    hold_fn (c, s);                                                        \
    for (;;)                                                               \
      {                                                                    \
        gsize len = readline_fn (c, s);                                    \
                                                                           \
        if (len == 0)                                                      \
          break;                                                           \
        bytes += len;                                                      \
        count++;                                                           \
      }                                                                    \
    unhold_fn (c, s);                                                      \
    ns = bench_since (t0);                                                 \
                                                                           \
    check_lines (c, count, bytes);                                         \
    close_fn (s);                                                          \
    return ns;                                                             \
  }

#define DEFINE_LINES_CASE(name, Type, open_fn, readline_fn, close_fn)      \
  DEFINE_LINES_CASE_HELD (name, Type, open_fn, readline_fn, close_fn, no_hold, no_hold)

/* floor: memchr over a pointer pair, the line borrowed or copied out */
typedef struct
{
  const guint8 *pos;
  const guint8 *end;
  guint8       *line;
  gsize         cap;
} FloorLines;

static FloorLines *
floor_lines_open (void)
{
  FloorLines *r = g_new0 (FloorLines, 1);

  r->pos = lines;
  r->end = lines + lines_size;
  r->cap = 256;
  r->line = g_malloc (r->cap);
  return r;
}

static inline gsize
floor_lines_borrow (BenchCase  *c,
                    FloorLines *r,
                    gboolean    copy)
{
  const guint8 *nl = memchr (r->pos, '\n', (gsize) (r->end - r->pos));
  gsize len = nl != NULL ? (gsize) (nl - r->pos) + 1 : (gsize) (r->end - r->pos);

  if (copy)
    {
      if G_UNLIKELY (len > r->cap)
        {
          r->cap = len * 2;
          r->line = g_realloc (r->line, r->cap);
        }
      memcpy (r->line, r->pos, len);
    }
  r->pos += len;
  return len;
}

static inline gsize
floor_lines_zero_copy (BenchCase  *c,
                       FloorLines *r)
{
  return floor_lines_borrow (c, r, FALSE);
}

static inline gsize
floor_lines_copy (BenchCase  *c,
                  FloorLines *r)
{
  return floor_lines_borrow (c, r, TRUE);
}

static void
floor_lines_close (FloorLines *r)
{
  g_free (r->line);
  g_free (r);
}

DEFINE_LINES_CASE (lines_memchr, FloorLines, floor_lines_open, floor_lines_zero_copy,
                   floor_lines_close)
DEFINE_LINES_CASE (lines_memchr_copy, FloorLines, floor_lines_open, floor_lines_copy,
                   floor_lines_close)

/* stdio: getline on fmemopen, into one reused buffer */
typedef struct
{
  FILE  *f;
  char  *line;
  size_t cap;
} GetLine;

static GetLine *
getline_open (void)
{
  GetLine *g = g_new0 (GetLine, 1);

  g->f = fmemopen (lines, lines_size, "r");
  return g;
}

static inline gsize
getline_read (BenchCase *c,
              GetLine   *g)
{
  ssize_t len = getline (&g->line, &g->cap, g->f);

  return len > 0 ? (gsize) len : 0;
}

static void
getline_close (GetLine *g)
{
  fclose (g->f);
  free (g->line);
  g_free (g);
}

DEFINE_LINES_CASE (lines_getline, GetLine, getline_open, getline_read, getline_close)

static inline void
getline_hold (BenchCase *c,
              GetLine   *g)
{
  flockfile (g->f);
}

static inline void
getline_unhold (BenchCase *c,
                GetLine   *g)
{
  funlockfile (g->f);
}

DEFINE_LINES_CASE_HELD (lines_getline_held, GetLine, getline_open, getline_read,
                        getline_close, getline_hold, getline_unhold)

/* GIO: GDataInputStream over a GMemoryInputStream; each line is a new string */
static GDataInputStream *
gdata_open (void)
{
  GInputStream *base = g_memory_input_stream_new_from_data (lines, (gssize) lines_size, NULL);
  GDataInputStream *in = g_data_input_stream_new (base);

  g_object_unref (base);
  g_data_input_stream_set_newline_type (in, G_DATA_STREAM_NEWLINE_TYPE_LF);
  return in;
}

static inline gsize
gdata_read_line (BenchCase        *c,
                 GDataInputStream *in)
{
  gsize len;
  char *line = g_data_input_stream_read_line (in, &len, NULL, NULL);

  if (line == NULL)
    return 0;
  g_free (line);
  return len + 1;  /* read_line drops the newline */
}

DEFINE_LINES_CASE (lines_gdata, GDataInputStream, gdata_open, gdata_read_line, g_object_unref)

/* libstream: each line is a new allocation (or GBytes) the caller frees */
static IoStream *
libstream_lines_open (void)
{
  GBytes *bytes = g_bytes_new_static (lines, lines_size);
  IoStream *stream = io_memory_stream_new_from_bytes (bytes);

  g_bytes_unref (bytes);
  return stream;
}

static inline gsize
libstream_readline_array (BenchCase *c,
                          IoStream  *stream)
{
  GError *error = NULL;
  gsize len;
  guint8 *line = io_stream_readline_array (stream, -1, &len, &error);

  if G_UNLIKELY (line == NULL)
    bench_fail (c, "readline failed: %s", error->message);
  g_free (line);
  return len;
}

static inline gsize
libstream_readline_bytes (BenchCase *c,
                          IoStream  *stream)
{
  GError *error = NULL;
  GBytes *line = io_stream_readline (stream, -1, &error);
  gsize len;

  if G_UNLIKELY (line == NULL)
    bench_fail (c, "readline failed: %s", error->message);
  len = g_bytes_get_size (line);
  g_bytes_unref (line);
  return len;
}

/* libstream's getline(): one buffer reused from line to line */
typedef struct
{
  IoStream *stream;
  guint8   *line;
  gsize     cap;
} LibstreamLines;

static LibstreamLines *
libstream_lines_into_open (void)
{
  LibstreamLines *l = g_new0 (LibstreamLines, 1);

  l->stream = libstream_lines_open ();
  return l;
}

static inline gsize
libstream_readline_into (BenchCase      *c,
                         LibstreamLines *l)
{
  GError *error = NULL;
  gssize len = io_stream_readline_into (l->stream, -1, &l->line, &l->cap, &error);

  if G_UNLIKELY (len < 0)
    bench_fail (c, "readline_into failed: %s", error->message);
  return (gsize) len;
}

static void
libstream_lines_into_close (LibstreamLines *l)
{
  g_object_unref (l->stream);
  g_free (l->line);
  g_free (l);
}

DEFINE_LINES_CASE (lines_libstream_into, LibstreamLines, libstream_lines_into_open,
                   libstream_readline_into, libstream_lines_into_close)

static inline void
libstream_lines_hold (BenchCase      *c,
                      LibstreamLines *l)
{
  libstream_hold (c, l->stream);
}

static inline void
libstream_lines_unhold (BenchCase      *c,
                        LibstreamLines *l)
{
  libstream_unhold (c, l->stream);
}

DEFINE_LINES_CASE_HELD (lines_libstream_into_held, LibstreamLines, libstream_lines_into_open,
                        libstream_readline_into, libstream_lines_into_close,
                        libstream_lines_hold, libstream_lines_unhold)
DEFINE_LINES_CASE (lines_libstream_array, IoStream, libstream_lines_open,
                   libstream_readline_array, g_object_unref)
DEFINE_LINES_CASE (lines_libstream_bytes, IoStream, libstream_lines_open,
                   libstream_readline_bytes, g_object_unref)

/* Text lines: UTF-8 decoded and validated, each line a new string */

/* floor: the binary line, then g_utf8_validate() over it */
static inline gsize
libstream_readline_validated (BenchCase *c,
                              IoStream  *stream)
{
  GError *error = NULL;
  gsize len;
  guint8 *line = io_stream_readline_array (stream, -1, &len, &error);

  if G_UNLIKELY (line == NULL)
    bench_fail (c, "readline failed: %s", error->message);
  if G_UNLIKELY (!g_utf8_validate_len ((const char *) line, len, NULL))
    bench_fail (c, "invalid UTF-8");
  g_free (line);
  return len;
}

DEFINE_LINES_CASE (lines_validated, IoStream, libstream_lines_open,
                   libstream_readline_validated, g_object_unref)

static inline gsize
gdata_read_line_utf8 (BenchCase        *c,
                      GDataInputStream *in)
{
  gsize len;
  char *line = g_data_input_stream_read_line_utf8 (in, &len, NULL, NULL);

  if (line == NULL)
    return 0;
  g_free (line);
  return len + 1;  /* read_line drops the newline */
}

DEFINE_LINES_CASE (lines_gdata_utf8, GDataInputStream, gdata_open, gdata_read_line_utf8,
                   g_object_unref)

static IoTextStream *
text_lines_open (void)
{
  IoStream *buffer = libstream_lines_open ();
  IoTextStream *text = io_text_stream_new (buffer, "utf-8", NULL, NULL, FALSE, FALSE, NULL);

  g_object_unref (buffer);
  return text;
}

static inline gsize
text_readline (BenchCase    *c,
               IoTextStream *text)
{
  GError *error = NULL;
  gsize len;
  char *line = io_text_stream_readline (text, -1, &len, &error);

  if G_UNLIKELY (line == NULL)
    bench_fail (c, "readline failed: %s", error->message);
  g_free (line);
  return len;
}

DEFINE_LINES_CASE (lines_text, IoTextStream, text_lines_open, text_readline, g_object_unref)

/* IoTextStream's getline(): one buffer reused from line to line */
typedef struct
{
  IoTextStream *text;
  char         *line;
  gsize         cap;
} TextLines;

static TextLines *
text_lines_into_open (void)
{
  TextLines *l = g_new0 (TextLines, 1);

  l->text = text_lines_open ();
  return l;
}

static inline gsize
text_readline_into (BenchCase *c,
                    TextLines *l)
{
  GError *error = NULL;
  gssize len = io_text_stream_readline_into (l->text, -1, &l->line, &l->cap, &error);

  if G_UNLIKELY (len < 0)
    bench_fail (c, "readline_into failed: %s", error->message);
  return (gsize) len;
}

static void
text_lines_into_close (TextLines *l)
{
  g_object_unref (l->text);
  g_free (l->line);
  g_free (l);
}

DEFINE_LINES_CASE (lines_text_into, TextLines, text_lines_into_open, text_readline_into,
                   text_lines_into_close)

/* The quick mode also checks the line readers against each other on the
 * awkward cases the timed loops never meet: limits that split lines, a
 * buffer that must grow, a last line without a newline. */
static void
self_check_lines (void)
{
  static const gsize lengths[] = { 1, 2, 15, 16, 17, 40, 63, 64, 65, 100, 127, 128, 129, 200, 7 };
  static const gssize limits[] = { -1, 1, 2, 5, 64, 100, 128, 129 };
  GString *text = g_string_new (NULL);

  /* Lines around every size the inline paths treat differently, then a
   * last line without its newline. */
  for (guint round = 0; round < 3; round++)
    for (guint i = 0; i < G_N_ELEMENTS (lengths); i++)
      {
        for (gsize j = 0; j + 1 < lengths[i]; j++)
          g_string_append_c (text, (char) ('a' + (i + j + round) % 26));
        g_string_append_c (text, '\n');
      }
  g_string_append (text, "last");

  for (guint i = 0; i < G_N_ELEMENTS (limits); i++)
    {
      GBytes *bytes = g_bytes_new_static (text->str, text->len);
      IoStream *a = io_memory_stream_new_from_bytes (bytes);
      IoStream *b = io_memory_stream_new_from_bytes (bytes);
      guint8 *line = NULL;
      gsize cap = 0;

      for (;;)
        {
          GError *error = NULL;
          gsize expected_len;
          guint8 *expected = io_stream_readline_array (a, limits[i], &expected_len, &error);
          gssize len = io_stream_readline_into (b, limits[i], &line, &cap, &error);

          g_assert_no_error (error);
          g_assert_nonnull (expected);
          g_assert_cmpint (len, ==, (gssize) expected_len);
          g_assert_nonnull (line);
          g_assert_cmpmem (line, len, expected, expected_len);
          g_assert_cmpint (line[len], ==, '\0');
          g_assert_cmpuint (cap, >, (gsize) len);
          g_free (expected);
          if (len == 0)
            break;
        }
      g_free (line);
      g_object_unref (a);
      g_object_unref (b);
      g_bytes_unref (bytes);
    }
  g_string_free (text, TRUE);
}

/* And io_stream_getc() against what the stream holds after inline writes,
 * at the end, and once closed. */
static void
self_check_getc (void)
{
  IoStream *stream = io_memory_stream_new (NULL, 0);
  GError *error = NULL;

  g_assert_cmpint (io_stream_write (stream, (const guint8 *) "abc", 3, &error), ==, 3);
  g_assert_cmpint (io_stream_seek (stream, 0, IO_WHENCE_SET, &error), ==, 0);
  g_assert_cmpint (io_stream_write (stream, (const guint8 *) "XY", 2, &error), ==, 2);
  g_assert_cmpint (io_stream_getc (stream, &error), ==, 'c');
  g_assert_cmpint (io_stream_getc (stream, &error), ==, -1);
  g_assert_no_error (error);
  g_assert_cmpint (io_stream_write (stream, (const guint8 *) "Z", 1, &error), ==, 1);
  g_assert_cmpint (io_stream_seek (stream, -2, IO_WHENCE_CUR, &error), ==, 2);
  g_assert_cmpint (io_stream_getc (stream, &error), ==, 'c');
  g_assert_cmpint (io_stream_getc (stream, &error), ==, 'Z');
  g_assert_cmpint (io_stream_getc (stream, &error), ==, -1);
  g_assert_cmpint (io_stream_seek (stream, 0, IO_WHENCE_SET, &error), ==, 0);
  g_assert_true (io_stream_close (stream, &error));
  g_assert_cmpint (io_stream_getc (stream, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_clear_error (&error);
  g_object_unref (stream);
}

/* ---------------------------------------------------------------------- */
/* The groups                                                             */

/* The group id and title of a mode's variant of a group. */
static const char *mode_suffix[] = { "", "-threads", "-locked" };
static const char *mode_title[] = {
  "",
  "; MULTI-THREADED: an idle thread is up",
  "; MULTI-THREADED, HELD: libstream under io_stream_lock(), stdio under flockfile()",
};

static BenchGroup *
add_mode_group (BenchRun   *run,
                const char *id,
                const char *title,
                Mode        mode,
                gsize       bytes_per_op,
                gsize       ops)
{
  char *mode_id = g_strconcat (id, mode_suffix[mode], NULL);
  char *mode_title_text = g_strconcat (title, mode_title[mode], NULL);
  BenchGroup *g = bench_group_add (run, mode_id, mode_title_text, bytes_per_op, ops);

  if (mode != MODE_SINGLE)
    bench_group_set_threaded (g);
  g_free (mode_id);
  g_free (mode_title_text);
  return g;
}

static void
add_write_group (BenchRun   *run,
                 const char *id,
                 gsize       chunk,
                 gsize       total,
                 gboolean    cold,
                 Mode        mode)
{
  WriteParams *p = g_new0 (WriteParams, 1);
  BenchGroup *g;
  char *title;

  p->chunk = chunk;
  p->total = total;
  p->cold = cold;
  p->mode = mode;
  title = g_strdup_printf ("memory write, %s chunks, %s, %s", bench_size (chunk),
                           bench_size (total),
                           cold ? "COLD: a fresh stream grows (page faults included)"
                                : "WARM: a grown buffer rewritten after a seek to 0");
  g = add_mode_group (run, id, title, mode, chunk, total / chunk);
  bench_case_add (g, "floor", "floor: growable buffer (realloc x2) + memcpy", write_floor, p);
  if (chunk <= 256)
    bench_case_add (g, "floor-vtable", "floor via a vtable call", write_floor_vtable, p);
  bench_case_add (g, "bytearray", "GByteArray append", write_byte_array, p);
  if (mode == MODE_LOCKED)
    bench_case_add (g, "memstream", "open_memstream + fwrite, under flockfile",
                    write_memstream_held, p);
  else
    bench_case_add (g, "memstream", "open_memstream + fwrite", write_memstream, p);
  if (chunk <= 256)
    bench_case_add (g, "memstream-unlocked", "open_memstream + fwrite_unlocked",
                    write_memstream_unlocked, p);
  bench_case_add (g, "gmos-write-all", "GMemoryOutputStream write_all", write_gmos_write_all, p);
  if (!cold && chunk <= 256)
    bench_case_add (g, "gmos-write", "GMemoryOutputStream write", write_gmos_write, p);
  if (mode == MODE_LOCKED)
    {
      bench_case_add_libstream (g, "libstream",
                                "**IoMemoryStream io_stream_write, under io_stream_lock**",
                                write_libstream_held, p);
      bench_case_add (g, "libstream-shared", "IoMemoryStream io_stream_write, not held",
                      write_libstream, p);
    }
  else
    bench_case_add_libstream (g, "libstream", "**IoMemoryStream io_stream_write**",
                              write_libstream, p);
  g_free (title);
}

static void
add_read_group (BenchRun   *run,
                const char *id,
                gsize       chunk,
                gsize       total,
                Mode        mode)
{
  ReadParams *p = g_new0 (ReadParams, 1);
  BenchGroup *g;
  char *title;

  p->chunk = chunk;
  p->total = total;
  p->mode = mode;
  title = g_strdup_printf ("memory read, %s chunks, %s", bench_size (chunk), bench_size (total));
  g = add_mode_group (run, id, title, mode, chunk, total / chunk);
  bench_case_add (g, "floor", "floor: pointer pair + memcpy", read_floor, p);
  if (chunk <= 256)
    bench_case_add (g, "floor-vtable", "floor via a vtable call", read_floor_vtable, p);
  if (chunk == 1)
    {
      bench_case_add (g, "getc-inline", "inline getc (p < end ? *p++)", read_getc_inline, p);
      bench_case_add (g, "getc-unlocked", "fmemopen + getc_unlocked", read_getc_unlocked, p);
    }
  if (mode == MODE_LOCKED)
    bench_case_add (g, "fread", "fmemopen + fread, under flockfile", read_fmemopen_held, p);
  else
    bench_case_add (g, "fread", "fmemopen + fread", read_fmemopen, p);
  if (chunk <= 256)
    bench_case_add (g, "fread-unlocked", "fmemopen + fread_unlocked", read_fmemopen_unlocked, p);
  bench_case_add (g, "gmis", "GMemoryInputStream read", read_gmis, p);
  if (chunk <= 4096)
    bench_case_add (g, "gbis", "GBufferedInputStream(GMemoryInputStream) read", read_gbis, p);
  if (chunk == 1)
    bench_case_add (g, "gbis-read-byte", "GBufferedInputStream read_byte", read_gbis_read_byte, p);
  if (mode == MODE_LOCKED)
    {
      bench_case_add_libstream (g, "libstream",
                                "**IoMemoryStream io_stream_read, under io_stream_lock**",
                                read_libstream_held, p);
      bench_case_add (g, "libstream-shared", "IoMemoryStream io_stream_read, not held",
                      read_libstream, p);
    }
  else
    bench_case_add_libstream (g, "libstream", "**IoMemoryStream io_stream_read**",
                              read_libstream, p);
  if (chunk <= 256 && mode == MODE_LOCKED)
    bench_case_add (g, "libstream-read1", "IoMemoryStream io_stream_read1, under io_stream_lock",
                    read_libstream_read1_held, p);
  else if (chunk <= 256)
    bench_case_add (g, "libstream-read1", "IoMemoryStream io_stream_read1",
                    read_libstream_read1, p);
  if ((chunk == 16 || chunk == 4096) && mode == MODE_SINGLE)
    bench_case_add (g, "libstream-read-bytes", "IoMemoryStream io_stream_read_bytes (GBytes)",
                    read_libstream_read_bytes, p);
  if (chunk == 1)
    bench_case_add (g, "libstream-getc", "IoMemoryStream io_stream_getc (inline)",
                    read_libstream_getc, p);
  g_free (title);
}

static void
add_text_lines_group (BenchRun *run)
{
  LineParams *p = g_new0 (LineParams, 1);
  BenchGroup *g;
  char *title;

  p->total = lines_size;
  p->mode = MODE_SINGLE;
  title = g_strdup_printf ("UTF-8 text readline, ~80 B lines, %s (%" G_GSIZE_FORMAT " lines)",
                           bench_size (lines_size), lines_count);
  g = bench_group_add (run, "text-lines", title, 0, lines_count);
  g->bytes_per_op = (gdouble) lines_size / (gdouble) lines_count;
  bench_case_add (g, "floor", "floor: io_stream_readline_array + g_utf8_validate",
                  lines_validated, p);
  bench_case_add (g, "gdata-utf8", "GDataInputStream read_line_utf8", lines_gdata_utf8, p);
  bench_case_add_libstream (g, "libstream",
                            "**IoTextStream(IoMemoryStream) readline_into** (reused buffer)",
                            lines_text_into, p);
  bench_case_add (g, "libstream-alloc", "IoTextStream(IoMemoryStream) readline (new string)",
                  lines_text, p);
  g_free (title);
}

static void
add_lines_group (BenchRun *run,
                 Mode      mode)
{
  LineParams *p = g_new0 (LineParams, 1);
  BenchGroup *g;
  char *title;

  p->total = lines_size;
  p->mode = mode;
  title = g_strdup_printf ("readline, ~80 B lines, %s (%" G_GSIZE_FORMAT " lines)",
                           bench_size (lines_size), lines_count);
  g = add_mode_group (run, "lines", title, mode, 0, lines_count);
  g->bytes_per_op = (gdouble) lines_size / (gdouble) lines_count;
  bench_case_add (g, "floor", "floor: memchr, zero copy", lines_memchr, p);
  bench_case_add (g, "floor-copy", "memchr + copy into a reused buffer", lines_memchr_copy, p);
  if (mode == MODE_LOCKED)
    bench_case_add (g, "getline", "fmemopen + getline, under flockfile", lines_getline_held, p);
  else
    bench_case_add (g, "getline", "fmemopen + getline", lines_getline, p);
  bench_case_add (g, "gdata", "GDataInputStream read_line", lines_gdata, p);
  if (mode == MODE_LOCKED)
    {
      bench_case_add_libstream (g, "libstream",
                                "**IoMemoryStream io_stream_readline_into, under "
                                "io_stream_lock**", lines_libstream_into_held, p);
      bench_case_add (g, "libstream-shared", "IoMemoryStream io_stream_readline_into, not held",
                      lines_libstream_into, p);
      g_free (title);
      return;
    }
  bench_case_add_libstream (g, "libstream", "**IoMemoryStream io_stream_readline_into** (reused buffer)",
                            lines_libstream_into, p);
  bench_case_add (g, "libstream-array", "IoMemoryStream io_stream_readline_array (new array)",
                  lines_libstream_array, p);
  bench_case_add (g, "libstream-bytes", "IoMemoryStream io_stream_readline (GBytes)",
                  lines_libstream_bytes, p);
  g_free (title);
}

int
main (int    argc,
      char **argv)
{
  BenchRun *run = bench_run_new (&argc, &argv);
  gsize big = run->quick ? 1 << 20 : 64 << 20;
  gsize cold = run->quick ? 1 << 20 : 256 << 20;
  gsize small = run->quick ? 1 << 18 : 16 << 20;
  static const gsize chunks[] = { 1, 16, 256, 4096, 1 << 20 };

  verify_content = run->quick;
  if (run->quick)
    {
      self_check_lines ();
      self_check_getc ();
    }
  make_source (MAX (big, cold));
  lines = bench_make_lines (small, &lines_count);
  lines_size = small;

  for (guint i = 0; i < G_N_ELEMENTS (chunks); i++)
    {
      char *id = g_strdup_printf ("write-%s", bench_size (chunks[i]));

      add_write_group (run, id, chunks[i], chunks[i] == 1 ? small : big, FALSE, MODE_SINGLE);
      g_free (id);
    }
  add_write_group (run, "cold-16B", 16, cold, TRUE, MODE_SINGLE);
  add_write_group (run, "cold-1M", 1 << 20, cold, TRUE, MODE_SINGLE);
  for (guint i = 0; i < G_N_ELEMENTS (chunks); i++)
    {
      char *id = g_strdup_printf ("read-%s", bench_size (chunks[i]));

      add_read_group (run, id, chunks[i], chunks[i] == 1 ? small : big, MODE_SINGLE);
      g_free (id);
    }
  add_lines_group (run, MODE_SINGLE);
  add_text_lines_group (run);
  /* Issue 13's three processes; bench-util runs these two modes last. */
  for (Mode mode = MODE_THREADED; mode <= MODE_LOCKED; mode++)
    {
      add_write_group (run, "write-16B", 16, big, FALSE, mode);
      add_read_group (run, "read-16B", 16, big, mode);
      add_lines_group (run, mode);
    }

  bench_target (run, "write-16B", "libstream", BENCH_MAX_NS, 5.0, NULL);
  bench_target (run, "write-16B", "libstream", BENCH_MIN_SPEEDUP, 7.0, "gmos-write-all");
  bench_target (run, "write-16B", "libstream", BENCH_MIN_SPEEDUP, 3.5, "memstream");
  bench_target (run, "read-16B", "libstream", BENCH_MAX_NS, 5.0, NULL);
  bench_target (run, "read-16B", "libstream", BENCH_MIN_SPEEDUP, 6.5, "gmis");
  bench_target (run, "read-16B", "libstream", BENCH_MIN_SPEEDUP, 2.5, "fread");
  bench_target (run, "cold-16B", "libstream", BENCH_MAX_X_FLOOR, 1.0, "floor");
  bench_target (run, "read-1B", "libstream-getc", BENCH_MAX_NS, 1.0, NULL);
  bench_target (run, "lines", "libstream", BENCH_MAX_NS, 20.0, NULL);
  bench_target (run, "lines", "libstream", BENCH_MIN_SPEEDUP, 8.0, "gdata");
  bench_target (run, "lines", "libstream", BENCH_MIN_SPEEDUP, 1.3, "getline");
  bench_target (run, "text-lines", "libstream", BENCH_MAX_X_FLOOR, 1.5, "floor");
  bench_target (run, "text-lines", "libstream", BENCH_MIN_SPEEDUP, 10.0, "gdata-utf8");
  bench_target (run, "write-1M", "libstream", BENCH_MAX_X_FLOOR, 1.0 / 0.95, "floor");
  bench_target (run, "cold-1M", "libstream", BENCH_MAX_X_FLOOR, 1.0 / 0.95, "floor");
  bench_target (run, "read-1M", "libstream", BENCH_MAX_X_FLOOR, 1.0 / 0.95, "floor");
  bench_target (run, "write-16B-threads", "libstream", BENCH_MIN_SPEEDUP, 2.5, "gmos-write-all");
  bench_target (run, "write-16B-locked", "libstream", BENCH_MIN_SPEEDUP, 7.0, "gmos-write-all");
  bench_target (run, "read-16B-threads", "libstream", BENCH_MIN_SPEEDUP, 2.5, "gmis");
  bench_target (run, "read-16B-locked", "libstream", BENCH_MIN_SPEEDUP, 6.5, "gmis");

  return bench_run_main (run);
}
