/* fault-model.h: a stream stack over an Io.FaultStream, checked against a model
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * fault_model_run() builds LAYER (made by a callback, or none) over an
 * IoFaultStream over an IoMemoryStream, injects random faults from a seed,
 * and runs a random sequence of writes, reads, read1s, seeks, tells,
 * truncates and flushes on the top of the stack, as a careful caller of
 * write(2) would: a count is taken as what moved, an error (one of the
 * injected kinds) means the call moved nothing, and it is made again. With
 * the permanent kinds too (NO_SPACE, FAIL) that checks that no layer loses
 * or doubles a byte when it reports an error. Every result is compared
 * with a model (a byte array and a position): each byte written must be
 * read back once, at its place, none lost or doubled, and every position
 * must agree. At the end the stack is flushed and closed and the memory's
 * content compared whole.
 *
 * A layer's suite adds fault-model.c to its sources and calls it with its
 * constructor, for many seeds; a failure names the seed and the step, and
 * FAULT_MODEL_SEED=n replays that seed alone, FAULT_MODEL_VERBOSE=1 prints
 * each step (see test-fault-model.c).
 */

#pragma once

#include "libstream.h"

G_BEGIN_DECLS

/* Makes the stream under test over @raw, taking a reference of its own. */
typedef IoStream *(*FaultModelStackFunc) (IoStream *raw,
                                          gpointer  user_data);

typedef struct
{
  guint32 seed;
  guint n_ops;
  /* The chance that a raw call is hit, and the kinds drawn. */
  double probability;
  IoFaultKind kinds;
  /* The operations faults hit; 0 for READ, WRITE, FLUSH, SEEK, TELL and
   * TRUNCATE. */
  IoFaultOp ops;
  /* Writes and reads are up to this long (0: 64 bytes); a few are 16 times
   * as long, to go past a layer's buffer. */
  gsize max_chunk;
  /* NULL tests the fault stream itself. */
  FaultModelStackFunc stack;
  gpointer user_data;
} FaultModelRun;

/* Fills @run with the defaults for @seed: 200 operations, faults on one raw
 * call in three, the transient kinds (SHORT, INTERRUPTED, WOULD_BLOCK), no
 * layer. */
void      fault_model_run_init  (FaultModelRun       *run,
                                 guint32              seed);

/* Runs @run; aborts (g_error) at the first difference from the model, with
 * the seed and the step. Returns the faults the raw stream injected. */
guint64   fault_model_run       (const FaultModelRun *run);

/* The seeds to run: FAULT_MODEL_SEED alone when it is set, else 1 to
 * @default_count (FAULT_MODEL_RUNS overrides the count). */
guint32   fault_model_first_seed (void);
guint32   fault_model_last_seed  (guint32             default_count);

G_END_DECLS
