/* test-fault-model.c: random operations over an Io.FaultStream, checked
 * against a model (fault-model.c)
 *
 * The fault stream alone and under a pass-through filter, for 100 seeds
 * each, with transient faults and with every kind, must never differ from
 * the model; a layer that loses the bytes of a partial write must be
 * caught.
 *
 * FAULT_MODEL_SEED=n replays one seed; FAULT_MODEL_RUNS=n runs more.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fault-model.h"
#include "test-util.h"

#define PASS_TYPE_FILTER (pass_filter_get_type ())
TEST_UTIL_DEFINE_EMPTY_SUBCLASS (PassFilter, pass_filter, PASS, FILTER,
                                 IoFilterStream, IO_TYPE_FILTER_STREAM)

/* A broken layer: a write that stopped short claims it wrote everything. */
#define LOSSY_TYPE_FILTER (lossy_filter_get_type ())
G_DECLARE_FINAL_TYPE (LossyFilter, lossy_filter, LOSSY, FILTER, IoFilterStream)

struct _LossyFilter
{
  IoFilterStream parent_instance;
};

G_DEFINE_FINAL_TYPE (LossyFilter, lossy_filter, IO_TYPE_FILTER_STREAM)

static gssize
lossy_filter_write (IoStream      *stream,
                    const guint8  *buffer,
                    gsize          count,
                    GError       **error)
{
  IoStream *base = io_filter_stream_get_base_stream (IO_FILTER_STREAM (stream));
  gssize n = io_stream_write (base, buffer, count, error);

  return n > 0 ? (gssize) count : n;
}

static void
lossy_filter_class_init (LossyFilterClass *klass)
{
  IO_STREAM_CLASS (klass)->write = lossy_filter_write;
}

static void
lossy_filter_init (LossyFilter *self)
{
}

static IoStream *
stack_filter (IoStream *raw,
              gpointer  user_data)
{
  return g_object_new (GPOINTER_TO_SIZE (user_data), "base-stream", raw, NULL);
}

static void
run_seeds (FaultModelStackFunc stack,
           GType               type,
           IoFaultKind         kinds)
{
  guint64 faults = 0;
  guint32 last = fault_model_last_seed (100);

  for (guint32 seed = fault_model_first_seed (); seed <= last; seed++)
    {
      FaultModelRun run;

      fault_model_run_init (&run, seed);
      run.stack = stack;
      run.kinds = kinds;
      run.user_data = GSIZE_TO_POINTER (type);
      faults += fault_model_run (&run);
    }
  /* The runs did meet faults. */
  g_assert_cmpuint (faults, >, 10 * (last - fault_model_first_seed () + 1));
}

#define TRANSIENT \
  (IO_FAULT_KIND_SHORT | IO_FAULT_KIND_INTERRUPTED | IO_FAULT_KIND_WOULD_BLOCK)

static void
test_fault_stream_alone (void)
{
  run_seeds (NULL, G_TYPE_NONE, TRANSIENT);
}

static void
test_under_filter (void)
{
  run_seeds (stack_filter, PASS_TYPE_FILTER, TRANSIENT);
}

/* Every kind, the permanent ones too: a call that fails moves nothing, so
 * calling again loses and doubles nothing. */
static void
test_every_kind (void)
{
  run_seeds (NULL, G_TYPE_NONE, IO_FAULT_KIND_ALL);
  run_seeds (stack_filter, PASS_TYPE_FILTER, IO_FAULT_KIND_ALL);
}

/* The model catches a layer that loses bytes. */
static void
test_catches_loss (void)
{
  if (g_test_subprocess ())
    {
      run_seeds (stack_filter, LOSSY_TYPE_FILTER, TRANSIENT);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*fault model, seed *FAULT_MODEL_SEED=*");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Io/FaultModel/fault-stream", test_fault_stream_alone);
  g_test_add_func ("/Io/FaultModel/under-filter", test_under_filter);
  g_test_add_func ("/Io/FaultModel/every-kind", test_every_kind);
  g_test_add_func ("/Io/FaultModel/catches-loss", test_catches_loss);

  return g_test_run ();
}
