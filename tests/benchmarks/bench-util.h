/* bench-util.h: a tiny interleaving benchmark runner
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _BenchCase BenchCase;
typedef struct _BenchGroup BenchGroup;
typedef struct _BenchRun BenchRun;

/* Runs one repetition: prepares outside the clock, brackets the measured
 * loop with bench_now()/bench_since(), checks the result with bench_fail()
 * and returns the measured nanoseconds. */
typedef gdouble (*BenchFunc) (BenchCase *c,
                              gpointer   data);

struct _BenchCase
{
  char       *id;
  char       *label;
  BenchFunc   func;
  gpointer    data;
  BenchGroup *group;
  GArray     *ns;        /* gdouble, one per recorded repetition */
};

struct _BenchGroup
{
  char      *id;
  char      *title;
  gsize      ops;          /* operations per repetition */
  gdouble    bytes_per_op;
  GPtrArray *cases;        /* BenchCase */
  BenchCase *libstream;    /* the row the speedup column is computed for */
  gboolean   threaded;     /* run once a second thread is up (see below) */
  guint      seen_single;  /* cases run while the process had one thread */
  guint      seen_multi;   /* cases run while it had more */
};

/* A process stays multi-threaded once it started a thread (glibc's
 * __libc_single_threaded never goes back), and libstream and stdio take
 * their locks differently then. So bench_run_main() runs the groups in two
 * phases: first every group not marked with bench_group_set_threaded(), in
 * a process that has one thread, then it starts an idle helper thread
 * (parked on a condition variable until the end) and runs the marked ones.
 * Every table says which process its group saw. */

typedef enum {
  BENCH_MAX_NS,        /* libstream ns/op <= value */
  BENCH_MIN_SPEEDUP,   /* peer time / libstream time >= value */
  BENCH_MAX_X_FLOOR,   /* libstream time / peer time <= value */
} BenchTargetKind;

struct _BenchRun
{
  gboolean   quick;
  gboolean   callgrind;
  gboolean   warmup;
  guint      reps;
  char     **only;
  char      *tsv_path;
  GPtrArray *groups;       /* BenchGroup */
  GPtrArray *targets;
};

BenchRun   *bench_run_new            (int          *argc,
                                      char       ***argv);
BenchGroup *bench_group_add          (BenchRun     *run,
                                      const char   *id,
                                      const char   *title,
                                      gsize         bytes_per_op,
                                      gsize         ops);
BenchCase  *bench_case_add           (BenchGroup   *group,
                                      const char   *id,
                                      const char   *label,
                                      BenchFunc     func,
                                      gpointer      data);
BenchCase  *bench_case_add_libstream (BenchGroup   *group,
                                      const char   *id,
                                      const char   *label,
                                      BenchFunc     func,
                                      gpointer      data);
void        bench_group_set_threaded (BenchGroup   *group);
void        bench_target             (BenchRun     *run,
                                      const char   *group_id,
                                      const char   *case_id,
                                      BenchTargetKind kind,
                                      gdouble       value,
                                      const char   *peer_id);
int         bench_run_main           (BenchRun     *run);

guint64     bench_now                (void);
gdouble     bench_since              (guint64       start);
void        bench_fail               (BenchCase    *c,
                                      const char   *format,
                                      ...) G_GNUC_PRINTF (2, 3) G_GNUC_NORETURN;
const char *bench_size               (gsize         bytes);
guint8     *bench_make_lines         (gsize         size,
                                      gsize        *n_lines);

G_END_DECLS
