/* test-threads.c: the concurrency contract of docs/concurrency.md
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A stream is used by one thread at a time; different streams may be used
 * from different threads at once, a stream may move between threads through
 * any synchronisation, and the GBytes a stream hands out are immutable and
 * may be read from any thread while the stream goes on being written. These
 * tests exercise exactly that, and are meant to run under ThreadSanitizer
 * (tools/check-sanitizers.sh tsan) as well as in the plain suites.
 */

#include <glib/gstdio.h>
#include <pthread.h>

#include "libstream.h"

#define N_THREADS 4
#define N_ROUNDS 300

/* A queue between threads on pthread primitives: GLib's GMutex and GCond
 * are futexes on Linux, a synchronisation ThreadSanitizer cannot see (GLib
 * is not built with it), so GAsyncQueue would make every hand-off look like
 * a race. */
typedef struct
{
  pthread_mutex_t lock;
  pthread_cond_t cond;
  GQueue items;
} Mailbox;

static Mailbox *
mailbox_new (void)
{
  Mailbox *box = g_new0 (Mailbox, 1);

  pthread_mutex_init (&box->lock, NULL);
  pthread_cond_init (&box->cond, NULL);
  return box;
}

static void
mailbox_free (Mailbox *box)
{
  g_assert_true (g_queue_is_empty (&box->items));
  pthread_mutex_destroy (&box->lock);
  pthread_cond_destroy (&box->cond);
  g_free (box);
}

static void
mailbox_push (Mailbox  *box,
              gpointer  item)
{
  pthread_mutex_lock (&box->lock);
  g_queue_push_tail (&box->items, item);
  pthread_cond_signal (&box->cond);
  pthread_mutex_unlock (&box->lock);
}

static gpointer
mailbox_pop (Mailbox *box)
{
  gpointer item;

  pthread_mutex_lock (&box->lock);
  while (g_queue_is_empty (&box->items))
    pthread_cond_wait (&box->cond, &box->lock);
  item = g_queue_pop_head (&box->items);
  pthread_mutex_unlock (&box->lock);
  return item;
}

/* Deterministic per-thread content. */
static void
fill (guint8 *data,
      gsize   len,
      guint   seed)
{
  for (gsize i = 0; i < len; i++)
    data[i] = (guint8) ((i * 31 + seed * 7) % 251);
  if (len > 0)
    data[len / 2] = '\n';
}

/* One stream, used only by the calling thread: every operation family, and
 * the result checked against what was written. */
static void
exercise_stream (IoStream *stream,
                 guint     seed,
                 gboolean  is_memory)
{
  for (guint round = 0; round < N_ROUNDS; round++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) back = NULL;
      g_autoptr(GBytes) line = NULL;
      guint8 data[97];
      gsize len = 1 + (round * 13 + seed) % sizeof data;

      fill (data, len, seed + round);
      g_assert_cmpint (io_stream_seek (stream, 0, IO_WHENCE_SET, &error), ==, 0);
      g_assert_cmpint (io_stream_write (stream, data, len, &error), ==, (gssize) len);
      g_assert_cmpint (io_stream_truncate (stream, -1, &error), ==, (gint64) len);
      g_assert_cmpint (io_stream_seek (stream, 0, IO_WHENCE_SET, &error), ==, 0);
      line = io_stream_readline (stream, -1, &error);
      back = io_stream_read_bytes (stream, -1, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_bytes_get_size (line) + g_bytes_get_size (back), ==, len);
      g_assert_cmpmem (g_bytes_get_data (line, NULL), g_bytes_get_size (line),
                       data, g_bytes_get_size (line));
      g_assert_cmpmem (g_bytes_get_data (back, NULL), g_bytes_get_size (back),
                       data + g_bytes_get_size (line), g_bytes_get_size (back));

      if (is_memory)
        {
          g_autoptr(GBytes) value = io_memory_stream_get_value (IO_MEMORY_STREAM (stream), &error);
          guint8 *view;
          gsize view_len;

          g_assert_cmpmem (g_bytes_get_data (value, NULL), g_bytes_get_size (value), data, len);
          g_assert_true (io_memory_stream_acquire_buffer (IO_MEMORY_STREAM (stream), &view,
                                                          &view_len, &error));
          g_assert_cmpmem (view, view_len, data, len);
          io_memory_stream_release_buffer (IO_MEMORY_STREAM (stream));
          g_assert_no_error (error);
        }
    }
}

typedef struct
{
  guint seed;
  char *dir;
} Worker;

/* Each thread creates its own streams of every kind and uses them. */
static gpointer
own_streams_thread (gpointer data)
{
  Worker *worker = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup_printf ("%s/file-%u", worker->dir, worker->seed);
  IoStream *memory = io_memory_stream_new (NULL, 0);
  IoStream *file = io_file_stream_new (path, "w+", &error);
  IoStream *reader = NULL;
  IoStream *writer = NULL;
  g_autoptr(GBytes) got = NULL;

  g_assert_no_error (error);
  exercise_stream (memory, worker->seed, TRUE);
  exercise_stream (file, worker->seed, FALSE);

  /* A pipe within the thread: small enough never to block. */
  g_assert_true (io_pipe_stream_new_pair (&reader, &writer, &error));
  g_assert_cmpint (io_stream_write (writer, (const guint8 *) "ping\n", 5, &error), ==, 5);
  g_assert_true (io_stream_close (writer, &error));
  got = io_stream_readall (reader, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (got, NULL), g_bytes_get_size (got), "ping\n", 5);

  g_assert_finalize_object (memory);
  g_assert_finalize_object (file);
  g_assert_finalize_object (reader);
  g_assert_finalize_object (writer);
  g_assert_no_errno (g_unlink (path));
  return NULL;
}

static void
test_own_streams (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("io-threads-XXXXXX", &error);
  GThread *threads[N_THREADS];
  Worker workers[N_THREADS];

  g_assert_no_error (error);
  /* GLib initialises a class once whatever the thread, but it is not built
   * with ThreadSanitizer, which cannot see that synchronisation and would
   * report the first reads of a class made in another thread. The classes
   * are therefore made here; thread creation orders them before every use. */
  g_type_class_ref (IO_TYPE_MEMORY_STREAM);
  g_type_class_ref (IO_TYPE_FILE_STREAM);
  g_type_class_ref (IO_TYPE_PIPE_STREAM);
  for (guint i = 0; i < N_THREADS; i++)
    {
      workers[i] = (Worker) { i, dir };
      threads[i] = g_thread_new ("own-streams", own_streams_thread, &workers[i]);
    }
  for (guint i = 0; i < N_THREADS; i++)
    g_thread_join (threads[i]);
  g_assert_no_errno (g_rmdir (dir));
}

/* One stream passed from thread to thread through a queue: each holder
 * appends its mark, then passes it on. The queue orders the accesses. */
typedef struct
{
  Mailbox *inbox;
  Mailbox *outbox;
  guint8 mark;
} Relay;

static gpointer
relay_thread (gpointer data)
{
  Relay *relay = data;

  for (guint round = 0; round < N_ROUNDS; round++)
    {
      IoStream *stream = mailbox_pop (relay->inbox);
      g_autoptr(GError) error = NULL;

      g_assert_cmpint (io_stream_seek (stream, 0, IO_WHENCE_END, &error), >=, 0);
      g_assert_cmpint (io_stream_write (stream, &relay->mark, 1, &error), ==, 1);
      g_assert_no_error (error);
      mailbox_push (relay->outbox, stream);
    }
  return NULL;
}

static void
test_handoff (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) value = NULL;
  IoStream *stream = io_memory_stream_new (NULL, 0);
  Mailbox *queues[N_THREADS];
  GThread *threads[N_THREADS];
  Relay relays[N_THREADS];
  const guint8 *data;
  gsize len;

  for (guint i = 0; i < N_THREADS; i++)
    queues[i] = mailbox_new ();
  for (guint i = 0; i < N_THREADS; i++)
    {
      relays[i] = (Relay) { queues[i], queues[(i + 1) % N_THREADS], (guint8) ('a' + i) };
      threads[i] = g_thread_new ("relay", relay_thread, &relays[i]);
    }
  mailbox_push (queues[0], stream);
  for (guint i = 0; i < N_THREADS; i++)
    g_thread_join (threads[i]);

  /* The stream went round N_ROUNDS times, each thread writing in turn. */
  g_assert_true (mailbox_pop (queues[0]) == stream);
  value = io_memory_stream_get_value (IO_MEMORY_STREAM (stream), &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (value, &len);
  g_assert_cmpuint (len, ==, N_THREADS * N_ROUNDS);
  for (gsize i = 0; i < len; i++)
    g_assert_cmpint (data[i], ==, 'a' + i % N_THREADS);

  for (guint i = 0; i < N_THREADS; i++)
    mailbox_free (queues[i]);
  g_assert_finalize_object (stream);
}

/* The values get_value() hands out are read in other threads while the
 * stream keeps being written: copy-on-write must leave them untouched. */
typedef struct
{
  Mailbox *values;
  Mailbox *done;
} Checker;

static gpointer
checker_thread (gpointer data)
{
  Checker *checker = data;
  GBytes *value;

  while ((value = mailbox_pop (checker->values)) != (gpointer) checker)
    {
      gsize len;
      const guint8 *bytes = g_bytes_get_data (value, &len);

      /* Every value is one byte repeated: the round it was taken in. */
      for (gsize i = 0; i < len; i++)
        g_assert_cmpint (bytes[i], ==, bytes[0]);
      /* Dropped by the writer: GBytes counts references with atomics in
       * GLib, where ThreadSanitizer cannot see them order this read before
       * the writer takes the storage back. */
      mailbox_push (checker->done, value);
    }
  return NULL;
}

/* Drops the values the checker is done with; with @wait, at least one, so
 * the writer sometimes gets its storage back and sometimes must copy. */
static void
drop_checked (Checker  *checker,
              gboolean  wait)
{
  if (wait)
    g_bytes_unref (mailbox_pop (checker->done));
  for (;;)
    {
      GBytes *value = NULL;

      pthread_mutex_lock (&checker->done->lock);
      if (!g_queue_is_empty (&checker->done->items))
        value = g_queue_pop_head (&checker->done->items);
      pthread_mutex_unlock (&checker->done->lock);
      if (value == NULL)
        return;
      g_bytes_unref (value);
    }
}

static void
test_shared_values (void)
{
  IoStream *stream = io_memory_stream_new (NULL, 0);
  Checker checker = { mailbox_new (), mailbox_new () };
  GThread *thread = g_thread_new ("checker", checker_thread, &checker);

  for (guint round = 0; round < N_ROUNDS * 4; round++)
    {
      g_autoptr(GError) error = NULL;
      guint8 data[64];

      memset (data, round % 256, sizeof data);
      /* Rewrite the whole content in place: a stream that wrote into the
       * storage it lent would change a value the checker is reading. */
      g_assert_cmpint (io_stream_seek (stream, 0, IO_WHENCE_SET, &error), ==, 0);
      drop_checked (&checker, round > 8);
      for (guint i = 0; i < 4; i++)
        g_assert_cmpint (io_stream_write (stream, data, sizeof data, &error), ==, sizeof data);
      mailbox_push (checker.values, io_memory_stream_get_value (IO_MEMORY_STREAM (stream),
                                                                      &error));
      g_assert_no_error (error);
    }
  mailbox_push (checker.values, &checker);
  g_thread_join (thread);
  while (!g_queue_is_empty (&checker.done->items))
    g_bytes_unref (mailbox_pop (checker.done));
  mailbox_free (checker.values);
  mailbox_free (checker.done);
  g_assert_finalize_object (stream);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/threads/own-streams", test_own_streams);
  g_test_add_func ("/threads/handoff", test_handoff);
  g_test_add_func ("/threads/shared-values", test_shared_values);

  return g_test_run ();
}
