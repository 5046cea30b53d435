/* test-buffered-model.c: random operation sequences on the buffered
 * layers, over a raw that makes short reads and writes and reports EINTR,
 * checked against a memory stream as the model: every byte written is
 * read back once, none lost or duplicated, and the positions agree.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include "libstream.h"
#include "test-buffered-raw.h"
#include "test-util.h"

#define N_SEQUENCES 150
#define N_OPS 120

typedef enum {
  OP_READ,
  OP_READ1,
  OP_PEEK,
  OP_READLINE,
  OP_GETC,
  OP_WRITE,
  OP_SEEK,
  OP_TELL,
  OP_TRUNCATE,
  OP_FLUSH,
  N_OPS_KINDS
} Op;

typedef struct
{
  GType type;
  gboolean reads;
  gboolean writes;
} Layer;

static gsize
model_size (IoStream *model)
{
  gint64 here = io_stream_tell (model, NULL);
  gint64 end = io_stream_seek (model, 0, IO_WHENCE_END, NULL);

  io_stream_seek (model, here, IO_WHENCE_SET, NULL);
  return (gsize) end;
}

/* Reads @n bytes from the model and checks they are @data. */
static void
model_expect (IoStream     *model,
              const guint8 *data,
              gsize         n)
{
  g_autoptr(GBytes) want = io_stream_read_bytes (model, (gssize) n, NULL);

  g_assert_cmpmem (data, n, g_bytes_get_data (want, NULL), g_bytes_get_size (want));
}

static void
run_op (IoStream *layer,
        IoStream *model,
        TestRaw  *raw,
        Op        op,
        GRand    *rand)
{
  g_autoptr(GError) error = NULL;
  guint8 buffer[64];
  gsize n = (gsize) g_rand_int_range (rand, 0, 40);

  raw->max_read = (gsize) g_rand_int_range (rand, 0, 6);
  raw->max_write = (gsize) g_rand_int_range (rand, 0, 6);
  raw->eintr_calls = g_rand_int_range (rand, 0, 8) == 0 ? 1 : 0;

  switch (op)
    {
    case OP_READ:
      {
        gssize got = io_stream_read (layer, buffer, n, &error);
        guint8 want[64];

        g_assert_no_error (error);
        g_assert_cmpint (io_stream_read (model, want, n, NULL), ==, got);
        g_assert_cmpmem (buffer, got, want, got);
      }
      break;

    case OP_READ1:
      {
        gssize got = io_stream_read1 (layer, buffer, n, &error);

        g_assert_no_error (error);
        g_assert_cmpint (got, >=, 0);
        /* At most n, and nothing only at the end (or for n = 0). */
        g_assert_cmpint (got, <=, n);
        if (got == 0 && n > 0)
          g_assert_cmpint (io_stream_tell (model, NULL), >=, model_size (model));
        model_expect (model, buffer, (gsize) got);
      }
      break;

    case OP_PEEK:
      {
        g_autoptr(GBytes) seen = io_stream_peek (layer, n, &error);
        g_autoptr(GBytes) want = NULL;
        gint64 here = io_stream_tell (model, NULL);
        gsize len;
        const guint8 *data;

        g_assert_no_error (error);
        data = g_bytes_get_data (seen, &len);
        want = io_stream_read_bytes (model, (gssize) len, NULL);
        g_assert_cmpmem (data, len, g_bytes_get_data (want, NULL), g_bytes_get_size (want));
        io_stream_seek (model, here, IO_WHENCE_SET, NULL);
      }
      break;

    case OP_READLINE:
      {
        gssize limit = g_rand_boolean (rand) ? -1 : (gssize) n;
        g_autoptr(GBytes) line = io_stream_readline (layer, limit, &error);
        g_autoptr(GBytes) want = io_stream_readline (model, limit, NULL);

        g_assert_no_error (error);
        g_assert_true (g_bytes_equal (line, want));
      }
      break;

    case OP_GETC:
      {
        int got = io_stream_getc (layer, &error);
        int want = io_stream_getc (model, NULL);

        g_assert_no_error (error);
        g_assert_cmpint (got, ==, want);
      }
      break;

    case OP_WRITE:
      for (gsize i = 0; i < n; i++)
        buffer[i] = (guint8) g_rand_int_range (rand, 'a', 'z' + 1);
      if (g_rand_int_range (rand, 0, 4) == 0)
        buffer[n / 2] = '\n';
      g_assert_cmpint (io_stream_write (layer, buffer, n, &error), ==, (gssize) n);
      g_assert_no_error (error);
      g_assert_cmpint (io_stream_write (model, buffer, n, NULL), ==, (gssize) n);
      break;

    case OP_SEEK:
      {
        gsize size = model_size (model);
        gint64 here = io_stream_tell (model, NULL);
        gint64 target = g_rand_int_range (rand, 0, (gint32) size + 1);
        IoWhence whence = g_rand_int_range (rand, 0, 3);
        gint64 offset = whence == IO_WHENCE_SET ? target
                      : whence == IO_WHENCE_CUR ? target - here
                      : target - (gint64) size;

        g_assert_cmpint (io_stream_seek (layer, offset, whence, &error), ==, target);
        g_assert_no_error (error);
        io_stream_seek (model, target, IO_WHENCE_SET, NULL);
      }
      break;

    case OP_TELL:
      g_assert_cmpint (io_stream_tell (layer, &error), ==, io_stream_tell (model, NULL));
      g_assert_no_error (error);
      break;

    case OP_TRUNCATE:
      {
        gint64 size = g_rand_int_range (rand, 0, (gint32) model_size (model) + 1);

        g_assert_cmpint (io_stream_truncate (layer, size, &error), ==, size);
        g_assert_no_error (error);
        io_stream_truncate (model, size, NULL);
      }
      break;

    case OP_FLUSH:
      g_assert_true (io_stream_flush (layer, &error));
      g_assert_no_error (error);
      break;

    default:
      g_assert_not_reached ();
    }
}

static gboolean
op_applies (const Layer *layer,
            Op           op)
{
  switch (op)
    {
    case OP_READ:
    case OP_READ1:
    case OP_PEEK:
    case OP_READLINE:
    case OP_GETC:
      return layer->reads;
    case OP_WRITE:
    case OP_TRUNCATE:
      return layer->writes;
    default:
      return TRUE;
    }
}

static void
test_model (gconstpointer data)
{
  const Layer *kind = data;
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());

  for (guint seq = 0; seq < N_SEQUENCES; seq++)
    {
      const char *initial = "hello\nworld\nthis is the raw stream\n\nend";
      TestRaw *raw = test_raw_new (initial, strlen (initial));
      g_autoptr(IoStream) model = test_util_memory_stream_new (initial);
      gsize size = (gsize) g_rand_int_range (rand, 1, 17);
      g_autoptr(GError) error = NULL;
      g_autoptr(IoStream) layer = NULL;
      g_autofree char *content = NULL;

      raw->readable = kind->reads;
      raw->writable = kind->writes;
      layer = g_initable_new (kind->type, NULL, &error, "base-stream", raw,
                              "buffer-size", (guint64) size, NULL);
      g_assert_no_error (error);

      for (guint i = 0; i < N_OPS; i++)
        {
          Op op = g_rand_int_range (rand, 0, N_OPS_KINDS);

          if (op_applies (kind, op))
            run_op (layer, model, raw, op, rand);
        }

      /* Whatever was written reached the raw, once. (The layer holds the
       * raw until the end of the iteration; our reference goes below.) */
      test_util_close_ok (layer);
      content = g_strndup ((const char *) raw->data->data, raw->data->len);
      {
        g_autoptr(GBytes) want = io_memory_stream_get_value (IO_MEMORY_STREAM (model), NULL);

        g_assert_cmpmem (raw->data->data, raw->data->len, g_bytes_get_data (want, NULL),
                         g_bytes_get_size (want));
      }
      g_object_unref (raw);
    }
}

int
main (int    argc,
      char **argv)
{
  /* The types are known only at run time: filled in below, and kept
   * for the tests, which run after main() has set them. */
  static Layer layers[] = {
    { 0, TRUE, FALSE },
    { 0, FALSE, TRUE },
    { 0, TRUE, TRUE },
  };

  g_test_init (&argc, &argv, NULL);

  layers[0].type = IO_TYPE_BUFFERED_READER;
  layers[1].type = IO_TYPE_BUFFERED_WRITER;
  layers[2].type = IO_TYPE_BUFFERED_RANDOM;
  g_test_add_data_func ("/buffered-model/reader", &layers[0], test_model);
  g_test_add_data_func ("/buffered-model/writer", &layers[1], test_model);
  g_test_add_data_func ("/buffered-model/random", &layers[2], test_model);

  return g_test_run ();
}
