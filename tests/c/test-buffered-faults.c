/* test-buffered-faults.c: every fault kind under every buffered operation,
 * and the buffered random layer in the fault model
 *
 * The matrix: each IoFaultKind, injected into the next raw call, under each
 * operation of IoBufferedReader, IoBufferedWriter and IoBufferedRandom
 * (over an IoFaultStream over memory), from a state where the operation
 * must reach the raw. What the operation reports is applied to a model (a
 * byte array and a position): the error must be the injected one (EINTR
 * never), the bytes it gives must be the model's, and after the fault the
 * stream must go on: its position is the model's, reading it all back
 * gives the model's bytes, and the memory holds them once closed (every
 * byte written read back once, none lost or doubled). A close that cannot
 * write everything out must say so.
 *
 * The fault model (fault-model.c): random operations on a BufferedRandom
 * of several sizes over random faults, for 60 seeds each
 * (FAULT_MODEL_SEED=n replays one, FAULT_MODEL_RUNS=n runs more).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include "fault-model.h"
#include "libstream.h"
#include "test-util.h"

#define CONTENT "0123456789\nabcdefghij\nklmnopqrstuvwxyz\nABCDEFGHIJKLMNOPQRSTUVWXYZ\n"
#define CONTENT_LEN (sizeof CONTENT - 1)
#define BUFFER_SIZE 8
#define CHUNK "WRITTEN-BYTES"
#define CHUNK_LEN (sizeof CHUNK - 1)

typedef enum {
  LAYER_READER,
  LAYER_WRITER,
  LAYER_RANDOM,
  N_LAYERS
} Layer;

typedef struct
{
  IoStream *memory;
  IoStream *fault;
  IoStream *layer;
  GByteArray *model;
  gint64 pos;
} Stack;

/* --- The model ------------------------------------------------------------ */

static void
model_write (Stack        *s,
             const guint8 *data,
             gsize         len)
{
  gsize end = (gsize) s->pos + len;

  if (end > s->model->len)
    {
      gsize old = s->model->len;

      g_byte_array_set_size (s->model, end);
      memset (s->model->data + old, 0, end - old);
    }
  memcpy (s->model->data + s->pos, data, len);
  s->pos = (gint64) end;
}

/* @data (@len bytes) is what the model holds at the position. */
static void
assert_model_bytes (Stack        *s,
                    const guint8 *data,
                    gsize         len)
{
  gsize avail = s->pos < (gint64) s->model->len ? s->model->len - (gsize) s->pos : 0;

  g_assert_cmpuint (len, <=, avail);
  g_assert_cmpmem (data, len, s->model->data + s->pos, len);
}

static void
model_read (Stack        *s,
            const guint8 *data,
            gsize         len)
{
  assert_model_bytes (s, data, len);
  s->pos += (gint64) len;
}

/* --- The operations: each applies what it reports to the model ------------ */

typedef gboolean (*OpFunc) (Stack   *s,
                            GError **error);

/* Applies the bytes a read returned (NULL on error) to the model. */
static gboolean
take_read (Stack   *s,
           GBytes  *bytes,
           gboolean is_line)
{
  gsize len;
  const guint8 *data;

  if (bytes == NULL)
    return FALSE;
  data = g_bytes_get_data (bytes, &len);
  /* A line has no newline before its end. */
  if (is_line && len > 0)
    g_assert_null (memchr (data, '\n', len - 1));
  model_read (s, data, len);
  g_bytes_unref (bytes);
  return TRUE;
}

static gboolean
op_read (Stack   *s,
         GError **error)
{
  return take_read (s, io_stream_read_bytes (s->layer, 10, error), FALSE);
}

static gboolean
op_read1 (Stack   *s,
          GError **error)
{
  return take_read (s, io_stream_read1_bytes (s->layer, 10, error), FALSE);
}

static gboolean
op_readline (Stack   *s,
             GError **error)
{
  return take_read (s, io_stream_readline (s->layer, -1, error), TRUE);
}

/* readinto(): into the caller's memory. */
static gboolean
op_readinto (Stack   *s,
             GError **error)
{
  guint8 buffer[20];
  gssize n = io_stream_read (s->layer, buffer, sizeof buffer, error);

  if (n < 0)
    return FALSE;
  model_read (s, buffer, (gsize) n);
  return TRUE;
}

static gboolean
op_peek (Stack   *s,
         GError **error)
{
  g_autoptr (GBytes) bytes = io_stream_peek (s->layer, 5, error);

  if (bytes == NULL)
    return FALSE;
  g_assert_cmpuint (g_bytes_get_size (bytes), >, 0);
  assert_model_bytes (s, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  return TRUE;
}

static gboolean
op_write (Stack   *s,
          GError **error)
{
  gssize n = io_stream_write (s->layer, (const guint8 *) CHUNK, CHUNK_LEN, error);

  if (n < 0)
    return FALSE;
  model_write (s, (const guint8 *) CHUNK, (gsize) n);
  return TRUE;
}

static gboolean
op_flush (Stack   *s,
          GError **error)
{
  return io_stream_flush (s->layer, error);
}

static gboolean
op_seek (Stack   *s,
         GError **error)
{
  gint64 result = io_stream_seek (s->layer, 30, IO_WHENCE_SET, error);

  if (result < 0)
    return FALSE;
  g_assert_cmpint (result, ==, 30);
  s->pos = 30;
  return TRUE;
}

static gboolean
op_tell (Stack   *s,
         GError **error)
{
  gint64 result = io_stream_tell (s->layer, error);

  if (result < 0)
    return FALSE;
  g_assert_cmpint (result, ==, s->pos);
  return TRUE;
}

static gboolean
op_truncate (Stack   *s,
             GError **error)
{
  gint64 result = io_stream_truncate (s->layer, 14, error);

  if (result < 0)
    return FALSE;
  g_assert_cmpint (result, ==, 14);
  g_byte_array_set_size (s->model, 14);
  return TRUE;
}

static gboolean
op_close (Stack   *s,
          GError **error)
{
  return io_stream_close (s->layer, error);
}

static const struct
{
  const char *name;
  OpFunc func;
  gboolean reads;
  gboolean writes;
} ops[] = {
  { "read", op_read, TRUE, FALSE },
  { "read1", op_read1, TRUE, FALSE },
  { "readinto", op_readinto, TRUE, FALSE },
  { "peek", op_peek, TRUE, FALSE },
  { "readline", op_readline, TRUE, FALSE },
  { "write", op_write, FALSE, TRUE },
  { "flush", op_flush, FALSE, FALSE },
  { "seek", op_seek, FALSE, FALSE },
  { "tell", op_tell, FALSE, FALSE },
  { "truncate", op_truncate, FALSE, TRUE },
  { "close", op_close, FALSE, FALSE },
};

/* Each kind, and the error a call it hits may report (none for a short
 * transfer, nor for EINTR, which the layer retries). */
static const struct
{
  const char *name;
  IoFaultKind kind;
  gboolean fails;
  GIOErrorEnum code;
} kinds[] = {
  { "SHORT", IO_FAULT_KIND_SHORT, FALSE, 0 },
  { "INTERRUPTED", IO_FAULT_KIND_INTERRUPTED, FALSE, 0 },
  { "WOULD_BLOCK", IO_FAULT_KIND_WOULD_BLOCK, TRUE, G_IO_ERROR_WOULD_BLOCK },
  { "NO_SPACE", IO_FAULT_KIND_NO_SPACE, TRUE, G_IO_ERROR_NO_SPACE },
  { "FAIL", IO_FAULT_KIND_FAIL, TRUE, G_IO_ERROR_FAILED },
};

/* --- The matrix ----------------------------------------------------------- */

/* The layer over a fault stream over CONTENT, in a state where every
 * operation reaches the raw: the buffer read to its end, or bytes
 * waiting to be written (BufferedRandom: both, one after the other). */
static void
stack_init (Stack *s,
            Layer  layer)
{
  g_autoptr (GError) error = NULL;
  guint8 buffer[BUFFER_SIZE];

  s->memory = io_memory_stream_new ((const guint8 *) CONTENT, CONTENT_LEN);
  s->fault = io_fault_stream_new (s->memory);
  io_filter_stream_set_close_base (IO_FILTER_STREAM (s->fault), FALSE);
  if (layer == LAYER_READER)
    s->layer = io_buffered_reader_new (s->fault, BUFFER_SIZE, &error);
  else if (layer == LAYER_WRITER)
    s->layer = io_buffered_writer_new (s->fault, BUFFER_SIZE, &error);
  else
    s->layer = io_buffered_random_new (s->fault, BUFFER_SIZE, &error);
  g_assert_no_error (error);
  s->model = g_byte_array_new ();
  g_byte_array_append (s->model, (const guint8 *) CONTENT, CONTENT_LEN);
  s->pos = 0;

  if (layer != LAYER_WRITER)
    {
      g_assert_cmpint (io_stream_read (s->layer, buffer, BUFFER_SIZE, &error), ==, BUFFER_SIZE);
      g_assert_no_error (error);
      model_read (s, buffer, BUFFER_SIZE);
    }
  if (layer != LAYER_READER)
    {
      g_assert_cmpint (io_stream_write (s->layer, (const guint8 *) "wxyz", 4, &error), ==, 4);
      g_assert_no_error (error);
      model_write (s, (const guint8 *) "wxyz", 4);
    }
}

static void
stack_clear (Stack *s)
{
  g_clear_object (&s->layer);
  g_clear_object (&s->fault);
  g_clear_object (&s->memory);
  g_byte_array_unref (s->model);
}

static void
assert_memory_is_model (Stack *s)
{
  g_autoptr (GBytes) value = io_memory_stream_get_value (IO_MEMORY_STREAM (s->memory), NULL);

  test_util_assert_bytes (value, (const char *) s->model->data, s->model->len);
}

static void
check_case (Layer       layer,
            gsize       op,
            gsize       kind)
{
  Stack s;
  g_autoptr (GError) error = NULL;
  gboolean readable = layer != LAYER_WRITER;
  gboolean ok;

  /* A short transfer hits reads and writes; the other kinds any call. */
  IoFaultOp armed = kinds[kind].kind == IO_FAULT_KIND_SHORT
                      ? IO_FAULT_OP_READ | IO_FAULT_OP_WRITE : IO_FAULT_OP_ALL;
  guint64 calls;

  stack_init (&s, layer);
  calls = io_fault_stream_get_calls (IO_FAULT_STREAM (s.fault), armed);
  io_fault_stream_add_fault (IO_FAULT_STREAM (s.fault), armed, kinds[kind].kind, 0, -1, 1, 1);
  ok = ops[op].func (&s, &error);

  /* The operation met the fault: every one reaches the raw from this
   * state, and all but tell() and a reader's flush(), seek() and close()
   * read or write it. Only the injected error reached the caller. */
  if (io_fault_stream_get_calls (IO_FAULT_STREAM (s.fault), armed) > calls)
    g_assert_cmpuint (io_fault_stream_get_faults (IO_FAULT_STREAM (s.fault), armed), ==, 1);
  else
    g_assert_true (kinds[kind].kind == IO_FAULT_KIND_SHORT &&
                   (ops[op].func == op_tell ||
                    (layer == LAYER_READER && (ops[op].func == op_flush ||
                                               ops[op].func == op_seek ||
                                               ops[op].func == op_close))));
  if (!ok)
    {
      if (!kinds[kind].fails)
        g_error ("%s under %s failed: %s", ops[op].name, kinds[kind].name, error->message);
      g_assert_error (error, G_IO_ERROR, (gint) kinds[kind].code);
      g_clear_error (&error);
    }

  if (ops[op].func == op_close)
    {
      /* Closed all the same; what could not be written is reported. */
      g_assert_true (io_stream_is_closed (s.layer));
      g_assert_true (ok || kinds[kind].fails);
      if (ok)
        assert_memory_is_model (&s);
      stack_clear (&s);
      return;
    }

  /* The stream goes on where the model is. A failed operation is made
   * again; a write or read kept back by the error reports it now. */
  if (!ok)
    {
      ok = ops[op].func (&s, &error);
      g_assert_no_error (error);
      g_assert_true (ok);
    }
  g_assert_cmpint (io_stream_tell (s.layer, &error), ==, s.pos);
  g_assert_no_error (error);
  g_assert_true (io_stream_flush (s.layer, &error));
  g_assert_no_error (error);
  if (readable)
    {
      g_autoptr (GBytes) all = NULL;

      test_util_seek_to (s.layer, 0, IO_WHENCE_SET, 0);
      all = io_stream_readall (s.layer, &error);
      g_assert_no_error (error);
      test_util_assert_bytes (all, (const char *) s.model->data, s.model->len);
    }
  g_assert_true (io_stream_close (s.layer, &error));
  g_assert_no_error (error);
  assert_memory_is_model (&s);
  stack_clear (&s);
}

static void
test_matrix (gconstpointer data)
{
  Layer layer = GPOINTER_TO_INT (data);

  for (gsize op = 0; op < G_N_ELEMENTS (ops); op++)
    {
      if ((layer == LAYER_WRITER && ops[op].reads) ||
          (layer == LAYER_READER && ops[op].writes))
        continue;
      for (gsize kind = 0; kind < G_N_ELEMENTS (kinds); kind++)
        {
          g_test_message ("%s under %s", ops[op].name, kinds[kind].name);
          check_case (layer, op, kind);
        }
    }
}

/* --- The fault model ------------------------------------------------------ */

static IoStream *
stack_random (IoStream *raw,
              gpointer  user_data)
{
  g_autoptr (GError) error = NULL;
  IoStream *layer = io_buffered_random_new (raw, GPOINTER_TO_SIZE (user_data), &error);

  g_assert_no_error (error);
  return layer;
}

static void
run_model (IoFaultKind kinds_drawn)
{
  static const gsize sizes[] = { 1, 7, 64, IO_DEFAULT_BUFFER_SIZE };
  guint32 last = fault_model_last_seed (60);
  guint64 faults = 0;

  for (guint32 seed = fault_model_first_seed (); seed <= last; seed++)
    {
      FaultModelRun run;

      fault_model_run_init (&run, seed);
      run.kinds = kinds_drawn;
      run.stack = stack_random;
      run.user_data = GSIZE_TO_POINTER (sizes[seed % G_N_ELEMENTS (sizes)]);
      faults += fault_model_run (&run);
    }
  g_assert_cmpuint (faults, >, 10 * (last - fault_model_first_seed () + 1));
}

static void
test_model_transient (void)
{
  run_model (IO_FAULT_KIND_SHORT | IO_FAULT_KIND_INTERRUPTED | IO_FAULT_KIND_WOULD_BLOCK);
}

static void
test_model_every_kind (void)
{
  run_model (IO_FAULT_KIND_ALL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/BufferedFaults/matrix/reader", GINT_TO_POINTER (LAYER_READER),
                        test_matrix);
  g_test_add_data_func ("/BufferedFaults/matrix/writer", GINT_TO_POINTER (LAYER_WRITER),
                        test_matrix);
  g_test_add_data_func ("/BufferedFaults/matrix/random", GINT_TO_POINTER (LAYER_RANDOM),
                        test_matrix);
  g_test_add_func ("/BufferedFaults/model/transient", test_model_transient);
  g_test_add_func ("/BufferedFaults/model/every-kind", test_model_every_kind);

  return g_test_run ();
}
