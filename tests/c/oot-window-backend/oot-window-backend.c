/* oot-window-backend.c: a backend that lends a window, built out of tree
 *
 * tests/install/test-oot-backend.sh compiles this file against an installed
 * copy of libstream only (`cc $(pkg-config --cflags --libs libstream-1)`),
 * as a project outside libstream would, so it proves that the public window
 * protocol (io-stream-window.h) is enough to reach the inline paths:
 *
 * - OotArrayStream, a read-only, seekable stream over a fixed array, lends
 *   the stream a window over the array, either all of it or one page at a
 *   time (so that reads, lines and getc also cross window boundaries);
 * - every read method gives the bytes of the array, inline and through the
 *   read vfunc;
 * - 10,000 getc(), 16-byte reads or readline_into() calls over bytes the
 *   window holds make no vfunc call at all;
 * - what they cost against IoMemoryStream, measured in the same run, is
 *   printed (the median of five per-run ratios), not asserted: a timing is
 *   no test on a shared machine; the count of vfunc calls above is the
 *   proof that the inline path is taken, and the printed ratio shows what
 *   it is worth (a backend that misses it is about 10 times slower).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <libstream.h>
#include <string.h>
#include <time.h>

#define OOT_TYPE_ARRAY_STREAM (oot_array_stream_get_type ())
G_DECLARE_FINAL_TYPE (OotArrayStream, oot_array_stream, OOT, ARRAY_STREAM, IoStream)

struct _OotArrayStream
{
  IoStream parent_instance;

  const guint8 *data;
  gsize size;
  /* While a window is lent, the stream moves the position in it, and
   * claim_window() takes it back. */
  gsize position;
  /* How many bytes from the position a window covers, at most; 0 for all
   * of the rest. */
  gsize page;

  guint read_calls;
  guint seek_calls;
};

G_DEFINE_FINAL_TYPE (OotArrayStream, oot_array_stream, IO_TYPE_STREAM)

/* At the start of every vfunc: the stream may have moved the position
 * inside the window since it was lent. */
static void
claim_window (OotArrayStream *self)
{
  const IoStreamWindow *window = io_stream_get_window (IO_STREAM (self));

  if (window->pos != NULL)
    self->position = (gsize) (window->pos - self->data);
}

/* At the end of every vfunc: the bytes from the position, read-only. An
 * empty window at the end is fine (the stream then asks read(), which
 * returns 0); past the end there is no window at all. */
static void
lend_window (OotArrayStream *self)
{
  guint8 *pos;
  gsize available;

  if (self->position > self->size)
    {
      io_stream_lend_window (IO_STREAM (self), NULL, NULL, NULL);
      return;
    }
  pos = (guint8 *) self->data + self->position;
  available = self->size - self->position;
  if (self->page > 0)
    available = MIN (available, self->page);
  io_stream_lend_window (IO_STREAM (self), pos, pos + available, NULL);
}

static gssize
oot_array_stream_read (IoStream  *stream,
                       guint8    *buffer,
                       gsize      count,
                       GError   **error)
{
  OotArrayStream *self = OOT_ARRAY_STREAM (stream);
  gsize n = 0;

  claim_window (self);
  self->read_calls++;
  if (self->position < self->size)
    {
      n = MIN (count, self->size - self->position);
      memcpy (buffer, self->data + self->position, n);
      self->position += n;
    }
  lend_window (self);
  return (gssize) n;
}

static gint64
oot_array_stream_seek (IoStream  *stream,
                       gint64     offset,
                       IoWhence   whence,
                       GError   **error)
{
  OotArrayStream *self = OOT_ARRAY_STREAM (stream);
  gint64 base = 0;

  claim_window (self);
  self->seek_calls++;
  if (whence == IO_WHENCE_CUR)
    base = (gint64) self->position;
  else if (whence == IO_WHENCE_END)
    base = (gint64) self->size;

  if (offset < -base || offset > G_MAXINT64 - base)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "Cannot seek outside 0 to G_MAXINT64");
      lend_window (self);
      return -1;
    }
  self->position = (gsize) (base + offset);
  lend_window (self);
  return (gint64) self->position;
}

static void
oot_array_stream_class_init (OotArrayStreamClass *klass)
{
  IoStreamClass *stream_class = IO_STREAM_CLASS (klass);

  stream_class->read = oot_array_stream_read;
  stream_class->seek = oot_array_stream_seek;
}

static void
oot_array_stream_init (OotArrayStream *self)
{
}

static OotArrayStream *
oot_array_stream_new (const guint8 *data,
                      gsize         size,
                      gsize         page)
{
  OotArrayStream *self = g_object_new (OOT_TYPE_ARRAY_STREAM, NULL);

  self->data = data;
  self->size = size;
  self->page = page;
  lend_window (self);
  return self;
}

/* The content: numbered lines of 20 to 119 bytes, a little over 1 MiB. */

static guint8 *content;
static gsize content_size;

static void
make_content (void)
{
  GString *s = g_string_new (NULL);
  GRand *rand = g_rand_new_with_seed (11);

  for (guint number = 0; s->len < (1 << 20); number++)
    {
      gint32 len = g_rand_int_range (rand, 20, 120);

      g_string_append_printf (s, "%08u:", number);
      for (gint32 i = 10; i < len; i++)
        g_string_append_c (s, (char) ('a' + i % 26));
      g_string_append_c (s, '\n');
    }
  content_size = s->len;
  content = (guint8 *) g_string_free (s, FALSE);
  g_rand_free (rand);
}

#define check_no_error(error) \
  G_STMT_START { if ((error) != NULL) g_error ("%s", (error)->message); } G_STMT_END

static void
check_seek (IoStream *stream,
            gint64    offset,
            IoWhence  whence,
            gint64    expected)
{
  GError *error = NULL;

  g_assert_cmpint (io_stream_seek (stream, offset, whence, &error), ==, expected);
  check_no_error (error);
}

static void
check_read (IoStream *stream,
            gsize     count,
            gsize     position)
{
  GError *error = NULL;
  guint8 *buffer = g_malloc (count + 1);
  gssize n = io_stream_read (stream, buffer, count, &error);
  gsize expected = position < content_size ? MIN (count, content_size - position) : 0;

  check_no_error (error);
  g_assert_cmpint (n, ==, (gssize) expected);
  g_assert_cmpmem (buffer, expected, content + position, expected);
  g_free (buffer);
}

/* Every read method, on a stream whose window holds everything or only
 * @page bytes at a time. */
static void
test_results (gsize page)
{
  g_autoptr (OotArrayStream) self = oot_array_stream_new (content, content_size, page);
  IoStream *stream = IO_STREAM (self);
  GError *error = NULL;
  g_autoptr (GBytes) peeked = NULL;
  g_autoptr (GBytes) line = NULL;
  g_autoptr (GBytes) rest = NULL;
  guint8 *into = NULL;
  gsize capacity = 0;
  const IoStreamWindow *window;
  gsize held;
  guint8 buffer[16];
  gssize n;
  gsize position = 0;
  gsize first_line = (gsize) ((guint8 *) memchr (content, '\n', content_size) - content) + 1;

  g_assert_true (io_stream_readable (stream, NULL));
  g_assert_true (io_stream_seekable (stream, NULL));
  g_assert_false (io_stream_writable (stream, NULL));

  /* peek, then readline: the same first line */
  peeked = io_stream_peek (stream, 9, &error);
  check_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (peeked, NULL), 9, "00000000:", 9);
  line = io_stream_readline (stream, -1, &error);
  check_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (line, NULL), g_bytes_get_size (line), content, first_line);
  position = first_line;

  /* getc over the rest of the page and across it */
  for (guint i = 0; i < 300; i++)
    {
      int c = io_stream_getc (stream, &error);

      check_no_error (error);
      g_assert_cmpint (c, ==, content[position++]);
    }

  /* read1 (what the window holds, when it holds anything), then read */
  window = io_stream_get_window (stream);
  held = (gsize) (window->read_end - window->pos);
  n = io_stream_read1 (stream, buffer, 16, &error);
  check_no_error (error);
  g_assert_cmpint (n, ==, (gssize) MIN (16, held > 0 ? held : content_size - position));
  g_assert_cmpmem (buffer, (gsize) n, content + position, (gsize) n);
  position += (gsize) n;
  check_read (stream, 16, position);
  position += 16;
  check_read (stream, 5000, position);
  position += 5000;

  /* readline_into, line by line to the end */
  while (position < content_size)
    {
      gssize len = io_stream_readline_into (stream, -1, &into, &capacity, &error);

      check_no_error (error);
      g_assert_cmpint (len, >, 0);
      g_assert_cmpmem (into, (gsize) len, content + position, (gsize) len);
      position += (gsize) len;
    }
  g_assert_cmpint (io_stream_readline_into (stream, -1, &into, &capacity, &error), ==, 0);
  check_no_error (error);
  g_free (into);

  /* seek, then read */
  check_seek (stream, 1000, IO_WHENCE_SET, 1000);
  check_read (stream, 16, 1000);
  check_seek (stream, -16, IO_WHENCE_CUR, 1000);
  g_assert_cmpint (io_stream_getc (stream, &error), ==, content[1000]);
  check_no_error (error);
  g_assert_cmpint (io_stream_tell (stream, &error), ==, 1001);
  check_seek (stream, -5, IO_WHENCE_END, (gint64) content_size - 5);
  check_read (stream, 16, content_size - 5);    /* short, at the end */
  check_read (stream, 16, content_size);        /* the end */
  g_assert_cmpint (io_stream_getc (stream, &error), ==, -1);
  check_no_error (error);

  /* past the end, where no window is lent */
  check_seek (stream, 10, IO_WHENCE_END, (gint64) content_size + 10);
  check_read (stream, 16, content_size + 10);
  check_seek (stream, (gint64) content_size / 2, IO_WHENCE_SET, (gint64) content_size / 2);
  rest = io_stream_read_bytes (stream, -1, &error);
  check_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (rest, NULL), g_bytes_get_size (rest),
                   content + content_size / 2, content_size - content_size / 2);

  /* a window of pages must have sent reads to the backend */
  if (page > 0)
    g_assert_cmpuint (self->read_calls, >, 0);
}

static void
test_results_whole (void)
{
  test_results (0);
}

static void
test_results_paged (void)
{
  test_results (61);
}

/* The three inline loops the performance check also times. */

static gsize
loop_getc (IoStream *stream,
           gsize     ops)
{
  gsize sum = 0;

  for (gsize i = 0; i < ops; i++)
    sum += (gsize) io_stream_getc (stream, NULL);
  return sum;
}

static gsize
loop_read16 (IoStream *stream,
             gsize     ops)
{
  guint8 buffer[16];
  gsize sum = 0;

  for (gsize i = 0; i < ops; i++)
    sum += (gsize) io_stream_read (stream, buffer, sizeof buffer, NULL) + buffer[0];
  return sum;
}

static gsize
loop_readline_into (IoStream *stream,
                    gsize     ops)
{
  guint8 *line = NULL;
  gsize capacity = 0;
  gsize sum = 0;

  for (gsize i = 0; i < ops; i++)
    sum += (gsize) io_stream_readline_into (stream, -1, &line, &capacity, NULL);
  g_free (line);
  return sum;
}

typedef struct
{
  const char *name;
  gsize (*loop) (IoStream *stream, gsize ops);
  gsize ops;    /* that the whole content holds */
} Loop;

static const Loop loops[] = {
  { "getc", loop_getc, 1 << 20 },
  { "16-byte read", loop_read16, (1 << 20) / 16 },
  { "readline_into", loop_readline_into, 10000 },
};

static void
test_no_vfunc_calls (void)
{
  g_autoptr (OotArrayStream) self = oot_array_stream_new (content, content_size, 0);

  for (guint i = 0; i < G_N_ELEMENTS (loops); i++)
    {
      GError *error = NULL;
      gsize ops = MAX (loops[i].ops, 10000);
      gsize sum;

      check_seek (IO_STREAM (self), 0, IO_WHENCE_SET, 0);
      self->read_calls = self->seek_calls = 0;
      sum = loops[i].loop (IO_STREAM (self), ops);
      g_print ("%" G_GSIZE_FORMAT " x %s: %u read and %u seek calls (sum %" G_GSIZE_FORMAT ")\n",
               ops, loops[i].name, self->read_calls, self->seek_calls, sum);
      g_assert_cmpuint (self->read_calls, ==, 0);
      g_assert_cmpuint (self->seek_calls, ==, 0);
      g_assert_cmpint (io_stream_tell (IO_STREAM (self), &error), >, 0);
      check_no_error (error);
    }
}

static gdouble
time_loop (IoStream   *stream,
           const Loop *loop,
           gsize      *sum)
{
  struct timespec start, end;
  gsize passes = 20;

  clock_gettime (CLOCK_MONOTONIC, &start);
  for (gsize p = 0; p < passes; p++)
    {
      check_seek (stream, 0, IO_WHENCE_SET, 0);
      *sum += loop->loop (stream, loop->ops);
    }
  clock_gettime (CLOCK_MONOTONIC, &end);
  return ((gdouble) (end.tv_sec - start.tv_sec) * 1e9 + (gdouble) (end.tv_nsec - start.tv_nsec))
         / (gdouble) (passes * loop->ops);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  gdouble x = *(const gdouble *) a, y = *(const gdouble *) b;

  return (x > y) - (x < y);
}

static gdouble
median5 (gdouble *values)
{
  qsort (values, 5, sizeof *values, compare_doubles);
  return values[2];
}

/* Five runs, the two streams alternating which goes first; the medians of
 * the times and of the per-run ratios. */
static void
test_speed (void)
{
  g_autoptr (OotArrayStream) self = oot_array_stream_new (content, content_size, 0);
  g_autoptr (GBytes) bytes = g_bytes_new_static (content, content_size);
  g_autoptr (IoStream) memory = io_memory_stream_new_from_bytes (bytes);

  for (guint i = 0; i < G_N_ELEMENTS (loops); i++)
    {
      gdouble oot[5], mem[5], ratio[5];
      gdouble oot_ns, mem_ns, median_ratio;
      gsize oot_sum = 0, mem_sum = 0;

      for (guint run = 0; run < 5; run++)
        {
          if (run % 2 == 0)
            {
              oot[run] = time_loop (IO_STREAM (self), &loops[i], &oot_sum);
              mem[run] = time_loop (memory, &loops[i], &mem_sum);
            }
          else
            {
              mem[run] = time_loop (memory, &loops[i], &mem_sum);
              oot[run] = time_loop (IO_STREAM (self), &loops[i], &oot_sum);
            }
          ratio[run] = oot[run] / mem[run];
        }
      g_assert_cmpuint (oot_sum, ==, mem_sum);

      oot_ns = median5 (oot);
      mem_ns = median5 (mem);
      median_ratio = median5 (ratio);
      g_print ("%-14s out of tree %6.2f ns/op, IoMemoryStream %6.2f ns/op, ratio %.2f\n",
               loops[i].name, oot_ns, mem_ns, median_ratio);
      g_assert_cmpuint (self->read_calls, ==, 0);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  make_content ();

  g_test_add_func ("/oot-window-backend/results/whole-window", test_results_whole);
  g_test_add_func ("/oot-window-backend/results/paged-window", test_results_paged);
  g_test_add_func ("/oot-window-backend/no-vfunc-calls", test_no_vfunc_calls);
  g_test_add_func ("/oot-window-backend/speed", test_speed);

  return g_test_run ();
}
