/* fault-model.c: a stream stack over an Io.FaultStream, checked against a model
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <errno.h>
#include <string.h>

#include "fault-model.h"

typedef struct
{
  const FaultModelRun *run;
  IoStream *stream;     /* the top of the stack */
  IoFaultStream *raw;
  GRand *rand;
  GByteArray *content;  /* the model */
  gint64 position;
  guint step;
  const char *op;
} Runner;

#define CHECK(r, cond, ...) \
  G_STMT_START { \
    if (!(cond)) \
      fail ((r), __VA_ARGS__); \
  } G_STMT_END

G_GNUC_PRINTF (2, 3) G_GNUC_NORETURN static void
fail (Runner     *r,
      const char *format,
      ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_error ("fault model, seed %u, step %u (%s): %s (replay with FAULT_MODEL_SEED=%u)",
           r->run->seed, r->step, r->op, what, r->run->seed);
}

/* Checks that @error (consumed) is one of the injected kinds, after which
 * the caller calls again: a failed call moved nothing, whatever the error,
 * so no byte is lost by calling again. Any other error fails the run. */
static void
expect_injected (Runner *r,
                 GError *error)
{
  static const struct { IoFaultKind kind; int errsv; } kinds[] = {
    { IO_FAULT_KIND_INTERRUPTED, EINTR },
    { IO_FAULT_KIND_WOULD_BLOCK, EAGAIN },
    { IO_FAULT_KIND_NO_SPACE, ENOSPC },
    { IO_FAULT_KIND_FAIL, EIO },
  };
  int errsv = io_error_get_errno (error);
  gboolean injected = FALSE;

  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    injected |= (r->run->kinds & kinds[i].kind) != 0 && errsv == kinds[i].errsv;
  if (!injected)
    fail (r, "unexpected error: %s", error->message);
  g_error_free (error);
}

/* Writes @data at the model's position; a gap past the end is zeros. */
static void
model_write (Runner       *r,
             const guint8 *data,
             gsize         len)
{
  gsize end = (gsize) r->position + len;

  /* An empty write moves nothing, past the end either (BytesIO). */
  if (len == 0)
    return;
  if (end > r->content->len)
    {
      gsize old = r->content->len;

      g_byte_array_set_size (r->content, (guint) end);
      memset (r->content->data + old, 0, end - old);
    }
  memcpy (r->content->data + r->position, data, len);
  r->position = (gint64) end;
}

static gsize
model_remaining (Runner *r)
{
  return (gsize) r->position < r->content->len ? r->content->len - (gsize) r->position : 0;
}

static gsize
chunk_size (Runner *r)
{
  gsize max = r->run->max_chunk > 0 ? r->run->max_chunk : 64;

  if (g_rand_int_range (r->rand, 0, 8) == 0)
    max *= 16;
  return (gsize) g_rand_int_range (r->rand, 0, (gint32) max + 1);
}

typedef gssize (*Transfer) (IoStream  *stream,
                            guint8    *buffer,
                            gsize      count,
                            GError   **error);

static gssize
write_transfer (IoStream  *stream,
                guint8    *buffer,
                gsize      count,
                GError   **error)
{
  return io_stream_write (stream, buffer, count, error);
}

/* Calls @transfer until @len bytes moved or it returns 0 (the end of the
 * stream), calling again after an error; returns what moved. */
static gsize
transfer_all (Runner   *r,
              Transfer  transfer,
              guint8   *buffer,
              gsize     len)
{
  gsize done = 0;

  while (done < len)
    {
      GError *error = NULL;
      gssize n = transfer (r->stream, buffer + done, len - done, &error);

      if (n < 0)
        {
          expect_injected (r, error);
          continue;
        }
      CHECK (r, (gsize) n <= len - done, "returned %" G_GSSIZE_FORMAT, n);
      if (n == 0)
        break;
      done += (gsize) n;
    }
  return done;
}

static void
do_write (Runner *r)
{
  gsize len = chunk_size (r);
  g_autofree guint8 *data = g_malloc (len + 1);

  for (gsize i = 0; i < len; i++)
    data[i] = (guint8) g_rand_int (r->rand);
  CHECK (r, transfer_all (r, write_transfer, data, len) == len, "a write returned 0");
  model_write (r, data, len);
}

/* read(): loops until @len bytes or the end, as io.BufferedReader.read(). */
static void
do_read (Runner *r)
{
  gsize len = chunk_size (r);
  g_autofree guint8 *buffer = g_malloc (len + 1);
  gsize expected = MIN (len, model_remaining (r));
  gsize done = transfer_all (r, io_stream_read, buffer, len);

  CHECK (r, done == expected, "read %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT
         " bytes, the model has %" G_GSIZE_FORMAT, done, len, expected);
  CHECK (r, done == 0 || memcmp (buffer, r->content->data + r->position, done) == 0,
         "read bytes that differ from the model at %" G_GINT64_FORMAT, r->position);
  r->position += (gint64) done;
}

/* read1(): one call that succeeds; it may be short but not empty before
 * the end. */
static void
do_read1 (Runner *r)
{
  /* Not MAX (), which would draw twice. */
  gsize len = chunk_size (r) + 1;
  g_autofree guint8 *buffer = g_malloc (len);
  gssize n;

  for (;;)
    {
      GError *error = NULL;

      n = io_stream_read1 (r->stream, buffer, len, &error);
      if (n >= 0)
        break;
      expect_injected (r, error);
    }
  CHECK (r, (gsize) n <= MIN (len, model_remaining (r)), "read1 returned %" G_GSSIZE_FORMAT, n);
  CHECK (r, n > 0 || model_remaining (r) == 0, "read1 returned 0 before the end");
  CHECK (r, n == 0 || memcmp (buffer, r->content->data + r->position, (gsize) n) == 0,
         "read1 bytes differ from the model at %" G_GINT64_FORMAT, r->position);
  r->position += n;
}

/* Calls @op until it is not interrupted; returns its value. */
static gint64
retry_position (Runner *r,
                gint64  (*op) (IoStream *, gint64, GError **),
                gint64  arg)
{
  for (;;)
    {
      GError *error = NULL;
      gint64 value = op (r->stream, arg, &error);

      if (value >= 0)
        return value;
      expect_injected (r, error);
    }
}

static gint64
seek_set (IoStream  *stream,
          gint64     offset,
          GError   **error)
{
  return io_stream_seek (stream, offset, IO_WHENCE_SET, error);
}

static gint64
tell (IoStream  *stream,
      gint64     unused,
      GError   **error)
{
  return io_stream_tell (stream, error);
}

static gint64
flush (IoStream  *stream,
       gint64     unused,
       GError   **error)
{
  return io_stream_flush (stream, error) ? 0 : -1;
}

/* Calls @op with an offset or size from 0 to @past beyond the model's end;
 * it must return what it was given, which is returned. */
static gint64
call_with_target (Runner  *r,
                  gint64  (*op) (IoStream *, gint64, GError **),
                  gint32   past)
{
  gint64 target = g_rand_int_range (r->rand, 0, (gint32) r->content->len + past + 1);
  gint64 got = retry_position (r, op, target);

  CHECK (r, got == target, "given %" G_GINT64_FORMAT ", returned %" G_GINT64_FORMAT,
         target, got);
  return target;
}

static void
do_seek (Runner *r)
{
  r->position = call_with_target (r, seek_set, 8);
}

static void
do_tell (Runner *r)
{
  gint64 got = retry_position (r, tell, 0);

  CHECK (r, got == r->position, "tell returned %" G_GINT64_FORMAT ", the model is at %"
         G_GINT64_FORMAT, got, r->position);
}

/* A shrinking truncate: BytesIO and FileIO agree there, and the position
 * stays. */
static void
do_truncate (Runner *r)
{
  g_byte_array_set_size (r->content, (guint) call_with_target (r, io_stream_truncate, 0));
}

static void
do_flush (Runner *r)
{
  retry_position (r, flush, 0);
}

static const struct
{
  const char *name;
  void (*func) (Runner *r);
  guint weight;
} ops[] = {
  { "write", do_write, 6 },
  { "read", do_read, 4 },
  { "read1", do_read1, 3 },
  { "seek", do_seek, 3 },
  { "tell", do_tell, 2 },
  { "truncate", do_truncate, 1 },
  { "flush", do_flush, 1 },
};

void
fault_model_run_init (FaultModelRun *run,
                      guint32        seed)
{
  memset (run, 0, sizeof *run);
  run->seed = seed;
  run->n_ops = 200;
  run->probability = 1.0 / 3;
  run->kinds = IO_FAULT_KIND_SHORT | IO_FAULT_KIND_INTERRUPTED | IO_FAULT_KIND_WOULD_BLOCK;
}

guint64
fault_model_run (const FaultModelRun *run)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) value = NULL;
  IoFaultOp fault_ops = run->ops != 0 ? run->ops : IO_FAULT_OP_ALL & ~IO_FAULT_OP_CLOSE;
  IoStream *memory;
  guint total_weight = 0;
  guint64 faults;
  Runner r = { 0 };

  r.run = run;
  r.raw = IO_FAULT_STREAM (io_fault_stream_new (NULL));
  r.stream = run->stack != NULL ? run->stack (IO_STREAM (r.raw), run->user_data)
                                : g_object_ref (IO_STREAM (r.raw));
  r.rand = g_rand_new_with_seed (run->seed);
  r.content = g_byte_array_new ();
  memory = g_object_ref (io_filter_stream_get_base_stream (IO_FILTER_STREAM (r.raw)));
  io_fault_stream_set_random (r.raw, run->seed, run->probability, fault_ops, run->kinds);

  for (gsize i = 0; i < G_N_ELEMENTS (ops); i++)
    total_weight += ops[i].weight;
  for (r.step = 0; r.step < run->n_ops; r.step++)
    {
      guint pick = (guint) g_rand_int_range (r.rand, 0, (gint32) total_weight);
      gsize i = 0;

      while (pick >= ops[i].weight)
        pick -= ops[i++].weight;
      r.op = ops[i].name;
      if (g_getenv ("FAULT_MODEL_VERBOSE") != NULL)
        g_printerr ("step %u: %s at %" G_GINT64_FORMAT " of %u, raw offset %" G_GINT64_FORMAT "\n",
                    r.step, r.op, r.position, r.content->len, io_fault_stream_get_offset (r.raw));
      ops[i].func (&r);
    }

  /* Everything written reaches the memory, once. */
  r.op = "final flush";
  do_flush (&r);
  faults = io_fault_stream_get_faults (r.raw, IO_FAULT_OP_ALL);
  io_fault_stream_clear (r.raw);
  value = io_memory_stream_get_value (IO_MEMORY_STREAM (memory), &error);
  g_assert_no_error (error);
  CHECK (&r, g_bytes_get_size (value) == r.content->len &&
         memcmp (g_bytes_get_data (value, NULL), r.content->data, r.content->len) == 0,
         "the memory holds %" G_GSIZE_FORMAT " bytes, the model %u, or they differ",
         g_bytes_get_size (value), r.content->len);
  r.op = "close";
  CHECK (&r, io_stream_close (r.stream, &error), "close failed: %s", error->message);
  CHECK (&r, io_stream_is_closed (memory), "the memory stream is still open");

  g_object_unref (r.stream);
  g_object_unref (r.raw);
  g_object_unref (memory);
  g_byte_array_unref (r.content);
  g_rand_free (r.rand);
  return faults;
}

static guint32
env_number (const char *name,
            guint32     fallback)
{
  const char *value = g_getenv (name);

  return value != NULL ? (guint32) g_ascii_strtoull (value, NULL, 10) : fallback;
}

guint32
fault_model_first_seed (void)
{
  return env_number ("FAULT_MODEL_SEED", 1);
}

guint32
fault_model_last_seed (guint32 default_count)
{
  if (g_getenv ("FAULT_MODEL_SEED") != NULL)
    return fault_model_first_seed ();
  return env_number ("FAULT_MODEL_RUNS", default_count);
}
