/* bench-util.c: a tiny interleaving benchmark runner
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <valgrind/callgrind.h>

#include "bench-util.h"

#if defined(__has_include)
# if __has_include(<sys/single_threaded.h>)
#  include <sys/single_threaded.h>
#  define BENCH_HAVE_SINGLE_THREADED 1
# endif
#endif

typedef struct
{
  char            *group_id;
  char            *case_id;
  BenchTargetKind  kind;
  gdouble          value;
  char            *peer_id;
} BenchTarget;

static gboolean callgrind_mode;
static BenchCase *current_case;

/* What libstream and stdio read to skip their atomics: whether the process
 * never started a second thread. Unknown counts as multi-threaded. */
static gboolean
process_is_single_threaded (void)
{
#ifdef BENCH_HAVE_SINGLE_THREADED
  return __libc_single_threaded != 0;
#else
  return FALSE;
#endif
}

/* The helper of the multi-threaded phase: started, then parked on a
 * condition variable until the run ends, so it never competes for a CPU. */
static GMutex   helper_lock;
static GCond    helper_cond;
static gboolean helper_stop;

static gpointer
helper_main (gpointer data)
{
  g_mutex_lock (&helper_lock);
  while (!helper_stop)
    g_cond_wait (&helper_cond, &helper_lock);
  g_mutex_unlock (&helper_lock);
  return NULL;
}

guint64
bench_now (void)
{
  struct timespec ts;

  if (callgrind_mode)
    CALLGRIND_TOGGLE_COLLECT;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (guint64) ts.tv_sec * G_GUINT64_CONSTANT (1000000000) + (guint64) ts.tv_nsec;
}

gdouble
bench_since (guint64 start)
{
  struct timespec ts;
  guint64 now;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  now = (guint64) ts.tv_sec * G_GUINT64_CONSTANT (1000000000) + (guint64) ts.tv_nsec;
  if (callgrind_mode)
    {
      char *name = g_strdup_printf ("%s/%s/%" G_GSIZE_FORMAT,
                                    current_case->group->id, current_case->id,
                                    current_case->group->ops);

      CALLGRIND_TOGGLE_COLLECT;
      CALLGRIND_DUMP_STATS_AT (name);
      g_free (name);
    }
  return (gdouble) (now - start);
}

void
bench_fail (BenchCase  *c,
            const char *format,
            ...)
{
  va_list args;

  fprintf (stderr, "FAIL %s/%s: ", c->group->id, c->id);
  va_start (args, format);
  vfprintf (stderr, format, args);
  va_end (args);
  fputc ('\n', stderr);
  exit (1);
}

const char *
bench_size (gsize bytes)
{
  static char ring[8][32];
  static guint next;
  char *buf = ring[next++ % G_N_ELEMENTS (ring)];

  if (bytes >= (1 << 20) && bytes % (1 << 20) == 0)
    g_snprintf (buf, sizeof ring[0], "%" G_GSIZE_FORMAT "M", bytes >> 20);
  else if (bytes >= 1024 && bytes % 1024 == 0)
    g_snprintf (buf, sizeof ring[0], "%" G_GSIZE_FORMAT "K", bytes >> 10);
  else
    g_snprintf (buf, sizeof ring[0], "%" G_GSIZE_FORMAT "B", bytes);
  return buf;
}

BenchRun *
bench_run_new (int    *argc,
               char ***argv)
{
  BenchRun *run = g_new0 (BenchRun, 1);
  gboolean quick = FALSE;
  gboolean callgrind = FALSE;
  gboolean no_warmup = FALSE;
  int reps = 0;
  char *only = NULL;
  char *tsv = NULL;
  GOptionEntry entries[] = {
    { "quick", 'q', 0, G_OPTION_ARG_NONE, &quick,
      "Small sizes and 2 repetitions: a smoke test of every case", NULL },
    { "reps", 'r', 0, G_OPTION_ARG_INT, &reps, "Recorded repetitions (default 5)", "N" },
    { "only", 'o', 0, G_OPTION_ARG_STRING, &only,
      "Run only the groups whose id contains one of these comma-separated strings", "IDS" },
    { "tsv", 0, 0, G_OPTION_ARG_FILENAME, &tsv,
      "Also write every repetition as group, case, rep, ns, ops to FILE", "FILE" },
    { "no-warmup", 0, 0, G_OPTION_ARG_NONE, &no_warmup,
      "Skip the unrecorded first round", NULL },
    { "callgrind", 0, 0, G_OPTION_ARG_NONE, &callgrind,
      "Instrument only the measured loops and dump one profile per case "
      "(run under valgrind --tool=callgrind --collect-atstart=no; see callgrind.py)", NULL },
    { NULL }
  };
  GOptionContext *context = g_option_context_new ("- libstream against its peers");
  GError *error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      exit (2);
    }
  g_option_context_free (context);

  run->quick = quick;
  run->callgrind = callgrind_mode = callgrind;
  run->reps = reps > 0 ? (guint) reps : (quick || callgrind) ? (callgrind ? 1 : 2) : 5;
  run->warmup = !no_warmup && !quick && !callgrind;
  run->only = only != NULL ? g_strsplit (only, ",", -1) : NULL;
  run->tsv_path = tsv;
  run->groups = g_ptr_array_new ();
  run->targets = g_ptr_array_new ();
  g_free (only);
  return run;
}

static gboolean
group_selected (BenchRun   *run,
                const char *id)
{
  if (run->only == NULL)
    return TRUE;
  for (char **s = run->only; *s != NULL; s++)
    if (strstr (id, *s) != NULL)
      return TRUE;
  return FALSE;
}

BenchGroup *
bench_group_add (BenchRun   *run,
                 const char *id,
                 const char *title,
                 gsize       bytes_per_op,
                 gsize       ops)
{
  BenchGroup *group = g_new0 (BenchGroup, 1);

  group->id = g_strdup (id);
  group->title = g_strdup (title);
  group->ops = MAX (ops, 1);
  group->bytes_per_op = (gdouble) bytes_per_op;
  group->cases = g_ptr_array_new ();
  /* Unselected groups are built (their parameters are shared) but not run. */
  if (group_selected (run, id))
    g_ptr_array_add (run->groups, group);
  return group;
}

BenchCase *
bench_case_add (BenchGroup *group,
                const char *id,
                const char *label,
                BenchFunc   func,
                gpointer    data)
{
  BenchCase *c = g_new0 (BenchCase, 1);

  c->id = g_strdup (id);
  c->label = g_strdup (label);
  c->func = func;
  c->data = data;
  c->group = group;
  c->ns = g_array_new (FALSE, FALSE, sizeof (gdouble));
  g_ptr_array_add (group->cases, c);
  return c;
}

BenchCase *
bench_case_add_libstream (BenchGroup *group,
                          const char *id,
                          const char *label,
                          BenchFunc   func,
                          gpointer    data)
{
  group->libstream = bench_case_add (group, id, label, func, data);
  return group->libstream;
}

void
bench_group_set_threaded (BenchGroup *group)
{
  group->threaded = TRUE;
}

void
bench_target (BenchRun        *run,
              const char      *group_id,
              const char      *case_id,
              BenchTargetKind  kind,
              gdouble          value,
              const char      *peer_id)
{
  BenchTarget *t = g_new0 (BenchTarget, 1);

  t->group_id = g_strdup (group_id);
  t->case_id = g_strdup (case_id);
  t->kind = kind;
  t->value = value;
  t->peer_id = g_strdup (peer_id);
  g_ptr_array_add (run->targets, t);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  gdouble x = *(const gdouble *) a;
  gdouble y = *(const gdouble *) b;

  return x < y ? -1 : x > y;
}

static gdouble
median (gdouble *values,
        guint    n)
{
  gdouble *sorted = g_memdup2 (values, n * sizeof (gdouble));
  gdouble m;

  qsort (sorted, n, sizeof (gdouble), compare_doubles);
  m = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  g_free (sorted);
  return m;
}

static gdouble
case_median_ns (BenchCase *c)
{
  return median ((gdouble *) (gpointer) c->ns->data, c->ns->len);
}

/* The median over repetitions of the paired ratio a/b. */
static gdouble
paired_ratio (BenchCase *a,
              BenchCase *b)
{
  guint n = MIN (a->ns->len, b->ns->len);
  gdouble *ratios = g_new (gdouble, n);
  gdouble m;

  for (guint i = 0; i < n; i++)
    ratios[i] = g_array_index (a->ns, gdouble, i) / g_array_index (b->ns, gdouble, i);
  m = median (ratios, n);
  g_free (ratios);
  return m;
}

static BenchCase *
find_case (BenchGroup *group,
           const char *id)
{
  for (guint i = 0; i < group->cases->len; i++)
    {
      BenchCase *c = g_ptr_array_index (group->cases, i);

      if (g_str_equal (c->id, id))
        return c;
    }
  return NULL;
}

static BenchGroup *
find_group (BenchRun   *run,
            const char *id)
{
  for (guint i = 0; i < run->groups->len; i++)
    {
      BenchGroup *group = g_ptr_array_index (run->groups, i);

      if (g_str_equal (group->id, id))
        return group;
    }
  return NULL;
}

static void
format_ns (char    *buf,
           gsize    size,
           gdouble  ns)
{
  if (ns >= 100000)
    g_snprintf (buf, size, "%.0f us", ns / 1000);
  else if (ns >= 100)
    g_snprintf (buf, size, "%.0f", ns);
  else if (ns >= 10)
    g_snprintf (buf, size, "%.1f", ns);
  else
    g_snprintf (buf, size, "%.2f", ns);
}

static void
spread (BenchCase *c,
        gdouble   *lo,
        gdouble   *hi)
{
  gdouble m = case_median_ns (c);

  *lo = *hi = 0;
  for (guint i = 0; i < c->ns->len; i++)
    {
      gdouble r = g_array_index (c->ns, gdouble, i) / m - 1;

      *lo = MIN (*lo, r);
      *hi = MAX (*hi, r);
    }
}

/* Which process the group's cases saw, as observed while they ran. */
static const char *
group_process (BenchGroup *group)
{
  if (group->seen_multi == 0)
    return "single-threaded (no other thread was ever started)";
  if (group->seen_single == 0)
    return group->threaded ? "multi-threaded (an idle helper thread is parked)"
                           : "multi-threaded";
  return "**mixed**: some repetitions ran with one thread, some with more";
}

static void
print_group (BenchGroup *group)
{
  BenchCase *floor_case = find_case (group, "floor");

  printf ("\n#### %s\n\nProcess: %s.\n\n", group->title, group_process (group));
  printf ("| case | ns/op | GB/s | x floor | libstream is N x faster | spread |\n");
  printf ("|---|---:|---:|---:|---:|---:|\n");
  for (guint i = 0; i < group->cases->len; i++)
    {
      BenchCase *c = g_ptr_array_index (group->cases, i);
      gdouble ns = case_median_ns (c);
      gdouble per_op = ns / (gdouble) group->ops;
      char ns_text[32];
      char floor_text[32] = "-";
      char speedup_text[32] = "-";
      gdouble lo, hi;

      format_ns (ns_text, sizeof ns_text, per_op);
      if (floor_case != NULL && floor_case != c)
        g_snprintf (floor_text, sizeof floor_text, "%.2f", paired_ratio (c, floor_case));
      if (group->libstream != NULL && group->libstream != c)
        g_snprintf (speedup_text, sizeof speedup_text, "%.2f", paired_ratio (c, group->libstream));
      spread (c, &lo, &hi);
      printf ("| %s | %s | %.2f | %s | %s | %+.0f%%..%+.0f%% |\n",
              c->label, ns_text,
              group->bytes_per_op * (gdouble) group->ops / ns,
              floor_text, speedup_text, lo * 100, hi * 100);
    }
  fflush (stdout);
}

static void
print_targets (BenchRun *run)
{
  gboolean header = FALSE;

  for (guint i = 0; i < run->targets->len; i++)
    {
      BenchTarget *t = g_ptr_array_index (run->targets, i);
      BenchGroup *group = find_group (run, t->group_id);
      BenchCase *c = group ? find_case (group, t->case_id) : NULL;
      BenchCase *peer = group && t->peer_id ? find_case (group, t->peer_id) : NULL;
      gdouble measured;
      gboolean met;
      const char *unit = "x";
      char *what;

      if (c == NULL || (t->peer_id != NULL && peer == NULL))
        continue;
      if (!header)
        {
          printf ("\n#### Targets\n\n| group | target | measured | met |\n|---|---|---:|---|\n");
          header = TRUE;
        }
      switch (t->kind)
        {
        case BENCH_MAX_NS:
          measured = case_median_ns (c) / (gdouble) group->ops;
          met = measured <= t->value;
          what = g_strdup_printf ("%s <= %.1f ns/op", c->id, t->value);
          unit = " ns";
          break;
        case BENCH_MIN_SPEEDUP:
          measured = paired_ratio (peer, c);
          met = measured >= t->value;
          what = g_strdup_printf ("%s >= %.2fx faster than %s", c->id, t->value, peer->id);
          break;
        case BENCH_MAX_X_FLOOR:
        default:
          measured = paired_ratio (c, peer);
          met = measured <= t->value;
          what = g_strdup_printf ("%s <= %.2fx the time of %s", c->id, t->value, peer->id);
          break;
        }
      printf ("| %s | %s | %.2f%s | %s |\n", group->id, what, measured, unit, met ? "yes" : "**no**");
      g_free (what);
    }
}

static void
run_round (GPtrArray *groups,
           guint      round,
           gboolean   record,
           FILE      *tsv)
{
  for (guint g = 0; g < groups->len; g++)
    {
      BenchGroup *group = g_ptr_array_index (groups, g);
      guint n = group->cases->len;

      /* Rotate the order each round so no case always runs first. */
      for (guint i = 0; i < n; i++)
        {
          BenchCase *c = g_ptr_array_index (group->cases, (i + round) % n);
          gdouble ns;

          current_case = c;
          if (process_is_single_threaded ())
            group->seen_single++;
          else
            group->seen_multi++;
          ns = c->func (c, c->data);
          if (!record)
            continue;
          g_array_append_val (c->ns, ns);
          if (tsv != NULL)
            fprintf (tsv, "%s\t%s\t%u\t%.0f\t%" G_GSIZE_FORMAT "\n",
                     group->id, c->id, round, ns, group->ops);
        }
    }
}

static void
run_phase (BenchRun  *run,
           GPtrArray *groups,
           FILE      *tsv)
{
  if (groups->len == 0)
    return;
  if (run->warmup)
    run_round (groups, 0, FALSE, NULL);
  for (guint r = 0; r < run->reps; r++)
    run_round (groups, r, TRUE, tsv);
}

int
bench_run_main (BenchRun *run)
{
  FILE *tsv = NULL;
  GPtrArray *single = g_ptr_array_new ();
  GPtrArray *threaded = g_ptr_array_new ();
  GThread *helper = NULL;

  if (run->tsv_path != NULL)
    {
      tsv = fopen (run->tsv_path, "w");
      if (tsv == NULL)
        {
          perror (run->tsv_path);
          return 2;
        }
    }

  for (guint g = 0; g < run->groups->len; g++)
    {
      BenchGroup *group = g_ptr_array_index (run->groups, g);

      g_ptr_array_add (group->threaded ? threaded : single, group);
    }

  printf ("%s: %u repetition(s)%s, cases interleaved; medians.\n",
          g_get_prgname (), run->reps,
          run->quick ? " at smoke-test sizes (numbers meaningless)" : "");
  if (threaded->len > 0)
    printf ("The multi-threaded groups run last, after an idle helper thread was started.\n");
  fflush (stdout);

  run_phase (run, single, tsv);
  if (threaded->len > 0)
    {
      helper = g_thread_new ("bench-helper", helper_main, NULL);
      run_phase (run, threaded, tsv);
      g_mutex_lock (&helper_lock);
      helper_stop = TRUE;
      g_cond_signal (&helper_cond);
      g_mutex_unlock (&helper_lock);
      g_thread_join (helper);
    }
  g_ptr_array_unref (single);
  g_ptr_array_unref (threaded);

  if (tsv != NULL)
    fclose (tsv);

  if (run->callgrind)
    {
      printf ("callgrind: one profile dumped per case; see callgrind.py\n");
      return 0;
    }
  for (guint g = 0; g < run->groups->len; g++)
    print_group (g_ptr_array_index (run->groups, g));
  print_targets (run);
  return 0;
}

/* @size bytes of ASCII lines of 40 to 120 bytes with their '\n' (80 on
 * average, as the issues' "80-byte lines"), the same on every run; the
 * last line may be shorter. Free with g_free(). */
guint8 *
bench_make_lines (gsize  size,
                  gsize *n_lines)
{
  GRand *rand = g_rand_new_with_seed (42);
  guint8 *lines = g_malloc (size);
  gsize pos = 0, count = 0;

  while (pos < size)
    {
      gsize len = MIN ((gsize) g_rand_int_range (rand, 40, 121), size - pos);

      for (gsize i = 0; i + 1 < len; i++)
        lines[pos + i] = (guint8) ('a' + (pos + i) % 26);
      lines[pos + len - 1] = '\n';
      pos += len;
      count++;
    }
  g_rand_free (rand);
  *n_lines = count;
  return lines;
}
