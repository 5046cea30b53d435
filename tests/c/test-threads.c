/* test-threads.c: the concurrency contract of docs/concurrency.md
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * One thread at a time is inside a stream: calls from other threads wait
 * their turn, and a thread may call back into a stream it is inside.
 * Different streams are used from different threads at once, a stream may
 * move between threads, and the GBytes a stream hands out are immutable and
 * may be read from any thread while the stream goes on being written. These
 * tests exercise exactly that, and are meant to run under ThreadSanitizer
 * (tools/check-sanitizers.sh tsan) as well as in the plain suites.
 */

#include <glib/gstdio.h>
#include <pthread.h>

#include "libstream.h"
#include "io-stream-private.h"
#include "test-util.h"

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
  g_autofree char *dir = test_util_make_tmp_dir ("io-threads-XXXXXX");
  GThread *threads[N_THREADS];
  Worker workers[N_THREADS];

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

/* Records of 8 bytes: the thread that wrote it and a sequence number. */
#define N_RECORDS 2000
#define RECORD_SIZE 8

static void
make_record (guint8 *record,
             guint   thread,
             guint   seq)
{
  guint32 words[2] = { GUINT32_TO_LE (thread), GUINT32_TO_LE (seq) };

  memcpy (record, words, RECORD_SIZE);
}

static void
parse_record (const guint8 *record,
              guint        *thread,
              guint        *seq)
{
  guint32 words[2];

  memcpy (words, record, RECORD_SIZE);
  *thread = GUINT32_FROM_LE (words[0]);
  *seq = GUINT32_FROM_LE (words[1]);
}

typedef struct
{
  IoStream *stream;
  guint id;
  /* Records read, in the order this thread read them. */
  GArray *seen;
} Sharer;

static gpointer
writer_thread (gpointer data)
{
  Sharer *sharer = data;

  for (guint seq = 0; seq < N_RECORDS; seq++)
    {
      g_autoptr(GError) error = NULL;
      guint8 record[RECORD_SIZE];

      make_record (record, sharer->id, seq);
      /* The inline path (the window has room) and, at every growth, the
       * backend's; a GBytes write now and then takes the slow path. */
      if (seq % 7 == 0)
        {
          g_autoptr(GBytes) bytes = g_bytes_new (record, sizeof record);

          g_assert_cmpint (io_stream_write_bytes (sharer->stream, bytes, &error), ==, RECORD_SIZE);
        }
      else
        g_assert_cmpint (io_stream_write (sharer->stream, record, sizeof record, &error), ==,
                         RECORD_SIZE);
      g_assert_no_error (error);
    }
  return NULL;
}

/* Four threads write into one stream at once: every write lands whole, none
 * is lost or overwritten, and each thread's records keep their order. */
static void
test_shared_writers (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) value = NULL;
  IoStream *stream = io_memory_stream_new (NULL, 0);
  Sharer sharers[N_THREADS];
  GThread *threads[N_THREADS];
  guint next_seq[N_THREADS] = { 0 };
  const guint8 *data;
  gsize len;

  for (guint i = 0; i < N_THREADS; i++)
    {
      sharers[i] = (Sharer) { stream, i, NULL };
      threads[i] = g_thread_new ("writer", writer_thread, &sharers[i]);
    }
  for (guint i = 0; i < N_THREADS; i++)
    g_thread_join (threads[i]);

  value = io_memory_stream_get_value (IO_MEMORY_STREAM (stream), &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (value, &len);
  g_assert_cmpuint (len, ==, N_THREADS * N_RECORDS * RECORD_SIZE);
  g_assert_cmpint (io_stream_tell (stream, &error), ==, (gint64) len);
  for (gsize at = 0; at < len; at += RECORD_SIZE)
    {
      guint thread, seq;

      parse_record (data + at, &thread, &seq);
      g_assert_cmpuint (thread, <, N_THREADS);
      g_assert_cmpuint (seq, ==, next_seq[thread]);
      next_seq[thread]++;
    }
  g_clear_pointer (&value, g_bytes_unref);
  g_assert_finalize_object (stream);
}

static gpointer
reader_thread (gpointer data)
{
  Sharer *sharer = data;

  for (guint call = 0;; call++)
    {
      g_autoptr(GError) error = NULL;
      guint8 record[RECORD_SIZE];
      gssize n;

      /* Mixes the inline read with the allocating and the line readers. */
      if (call % 5 == 0)
        {
          g_autoptr(GBytes) bytes = io_stream_read_bytes (sharer->stream, RECORD_SIZE, &error);

          g_assert_no_error (error);
          n = (gssize) g_bytes_get_size (bytes);
          if (n > 0)
            memcpy (record, g_bytes_get_data (bytes, NULL), (gsize) n);
        }
      else if (call % 5 == 1)
        {
          gsize line_len = 0;
          g_autofree guint8 *line = io_stream_readline_array (sharer->stream, RECORD_SIZE,
                                                              &line_len, &error);

          g_assert_no_error (error);
          n = (gssize) line_len;
          if (n > 0)
            memcpy (record, line, (gsize) n);
        }
      else
        n = io_stream_read (sharer->stream, record, sizeof record, &error);
      g_assert_no_error (error);
      if (n == 0)
        break;
      /* The records hold no newline, so the line reader stops at its
       * limit too: every read takes one whole record. */
      g_assert_cmpint (n, ==, RECORD_SIZE);
      g_array_append_vals (sharer->seen, record, 1);
    }
  return NULL;
}

/* Four threads read one stream at once: every record is read exactly once,
 * whole, and each thread sees the records in stream order. */
static void
test_shared_readers (void)
{
  g_autoptr(GByteArray) content = g_byte_array_new ();
  g_autofree gboolean *read_once = g_new0 (gboolean, N_THREADS * N_RECORDS);
  IoStream *stream;
  Sharer sharers[N_THREADS];
  GThread *threads[N_THREADS];
  guint total = 0;

  for (guint i = 0; i < N_THREADS * N_RECORDS; i++)
    {
      guint8 record[RECORD_SIZE];

      /* "rec:" and the index in three 7-bit digits with the top bit set:
       * no record holds a '\n'. */
      memcpy (record, "rec:", 4);
      record[4] = (guint8) (i & 0x7f) | 0x80;
      record[5] = (guint8) ((i >> 7) & 0x7f) | 0x80;
      record[6] = (guint8) ((i >> 14) & 0x7f) | 0x80;
      record[7] = 0x80;
      g_byte_array_append (content, record, sizeof record);
    }
  stream = io_memory_stream_new (content->data, content->len);

  for (guint i = 0; i < N_THREADS; i++)
    {
      sharers[i] = (Sharer) { stream, i, g_array_new (FALSE, FALSE, RECORD_SIZE) };
      threads[i] = g_thread_new ("reader", reader_thread, &sharers[i]);
    }
  for (guint i = 0; i < N_THREADS; i++)
    {
      gint last = -1;

      g_thread_join (threads[i]);
      for (guint j = 0; j < sharers[i].seen->len; j++)
        {
          const guint8 *record = (const guint8 *) sharers[i].seen->data + j * RECORD_SIZE;
          gint index = (record[4] & 0x7f) | (record[5] & 0x7f) << 7 | (record[6] & 0x7f) << 14;

          g_assert_cmpint (index, <, N_THREADS * N_RECORDS);
          g_assert_cmpmem (record, RECORD_SIZE, content->data + index * RECORD_SIZE, RECORD_SIZE);
          g_assert_false (read_once[index]);
          read_once[index] = TRUE;
          g_assert_cmpint (index, >, last);
          last = index;
        }
      total += sharers[i].seen->len;
      g_array_unref (sharers[i].seen);
    }
  g_assert_cmpuint (total, ==, N_THREADS * N_RECORDS);
  g_assert_finalize_object (stream);
}

/* A callback backend whose read can be made to wait, and which calls back
 * into its own stream. */
typedef struct
{
  IoStream *stream;
  TestUtilGate gate;
  gint64 position;
} Gated;

static gssize
gated_read (gpointer   user_data,
            guint8    *buffer,
            gsize      count,
            GError   **error)
{
  Gated *gated = user_data;
  g_autoptr(GError) local_error = NULL;

  /* Calling back into the stream from inside it goes on at once. */
  g_assert_cmpint (io_stream_tell (gated->stream, &local_error), ==, gated->position);
  g_assert_no_error (local_error);

  test_util_gate_enter (&gated->gate);

  buffer[0] = 'x';
  gated->position++;
  return 1;
}

static gint64
gated_seek (gpointer   user_data,
            gint64     offset,
            IoWhence   whence,
            GError   **error)
{
  Gated *gated = user_data;

  g_assert_cmpint (whence, ==, IO_WHENCE_CUR);
  g_assert_cmpint (offset, ==, 0);
  return gated->position;
}

static gpointer
gated_reader_thread (gpointer data)
{
  Gated *gated = data;
  g_autoptr(GError) error = NULL;
  guint8 byte = 0;

  g_assert_cmpint (io_stream_read1 (gated->stream, &byte, 1, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (byte, ==, 'x');
  return NULL;
}

static gpointer
gated_teller_thread (gpointer data)
{
  Gated *gated = data;
  g_autoptr(GError) error = NULL;
  gint64 position = io_stream_tell (gated->stream, &error);

  g_assert_no_error (error);
  return GINT_TO_POINTER ((gint) position + 1);
}

/* A call from a second thread waits until the first thread's call has
 * returned, and then sees everything it did. */
static void
test_calls_wait_their_turn (void)
{
  static const IoStreamFuncs funcs = {
    .struct_size = sizeof (IoStreamFuncs),
    .read = gated_read,
    .seek = gated_seek,
  };
  Gated gated = { NULL, TEST_UTIL_GATE_INIT, 0 };
  GThread *reader, *teller;

  gated.stream = io_stream_new_from_funcs (&funcs, &gated, NULL);
  reader = g_thread_new ("reader", gated_reader_thread, &gated);

  test_util_gate_wait_inside (&gated.gate);

  /* The reader is inside, held at the gate: the teller must wait for it,
   * so it reports the position after the read, never the one before. */
  teller = g_thread_new ("teller", gated_teller_thread, &gated);
  g_usleep (20 * G_TIME_SPAN_MILLISECOND);
  test_util_gate_open (&gated.gate);

  g_thread_join (reader);
  g_assert_cmpint (GPOINTER_TO_INT (g_thread_join (teller)) - 1, ==, 1);
  g_assert_finalize_object (gated.stream);
  test_util_gate_clear (&gated.gate);
}

/* A backend that gives three bytes, then fails once. */
static gssize
failing_read (gpointer   user_data,
              guint8    *buffer,
              gsize      count,
              GError   **error)
{
  guint *calls = user_data;

  if ((*calls)++ == 1)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "gone");
      return -1;
    }
  memcpy (buffer, "abc", MIN (count, 3));
  return (gssize) MIN (count, 3);
}

static gpointer
pending_error_thread (gpointer data)
{
  Mailbox *box = data;
  IoStream *stream = mailbox_pop (box);
  g_autoptr(GError) error = NULL;
  guint8 buffer[8];

  /* The error the first thread's partial read kept comes out here. */
  g_assert_cmpint (io_stream_read (stream, buffer, sizeof buffer, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
  g_clear_error (&error);
  g_assert_cmpint (io_stream_read (stream, buffer, 3, &error), ==, 3);
  g_assert_no_error (error);
  return NULL;
}

/* A stream moved to another thread with an error pending from a partial
 * read: the new thread gets the error, then the data after it. */
static void
test_handoff_with_pending_error (void)
{
  static const IoStreamFuncs funcs = {
    .struct_size = sizeof (IoStreamFuncs),
    .read = failing_read,
  };
  guint calls = 0;
  IoStream *stream = io_stream_new_from_funcs (&funcs, &calls, NULL);
  g_autoptr(GError) error = NULL;
  Mailbox *box = mailbox_new ();
  GThread *thread = g_thread_new ("pending", pending_error_thread, box);
  guint8 buffer[8];

  g_assert_cmpint (io_stream_read (stream, buffer, sizeof buffer, &error), ==, 3);
  g_assert_no_error (error);
  mailbox_push (box, stream);
  g_thread_join (thread);
  mailbox_free (box);
  g_assert_finalize_object (stream);
}

/* Two threads that call tell() on one stream in a loop. Each says when it
 * is about to call (`waiting`); inside the stream, each call of one thread
 * counts itself against the other if the other is waiting and queued for
 * the stream (the stream's count of waiters, which only the other can be
 * in), and each call looks at how many calls of the other went in while it
 * was queued. */
typedef struct
{
  IoStream *stream;
  gint waiting[2];
  gint went_in_meanwhile[2];
  guint overtaken_waits[2];
  gint most_overtaken[2];
  gint ready;
} Rivals;

static Rivals rivals;
static __thread guint rival_self;

/* Inside the stream: the bookkeeping, then a couple of microseconds of
 * work, so that the two threads' calls overlap most of the time. */
static gint64
rival_seek (gpointer   user_data,
            gint64     offset,
            IoWhence   whence,
            GError   **error)
{
  guint self = rival_self, other = 1 - self;
  gint meanwhile = __atomic_exchange_n (&rivals.went_in_meanwhile[self], 0, __ATOMIC_ACQ_REL);
  gint64 until;

  if (meanwhile > 1)
    rivals.overtaken_waits[self]++;
  rivals.most_overtaken[self] = MAX (rivals.most_overtaken[self], meanwhile);
  if (__atomic_load_n (&rivals.waiting[other], __ATOMIC_ACQUIRE) &&
      __atomic_load_n (&IO_STREAM_PRIV (rivals.stream)->waiters, __ATOMIC_ACQUIRE) > 0)
    __atomic_fetch_add (&rivals.went_in_meanwhile[other], 1, __ATOMIC_ACQ_REL);

  until = g_get_monotonic_time () + 2;
  while (g_get_monotonic_time () < until)
    ;
  return 0;
}

static gpointer
rival_thread (gpointer data)
{
  IoStream *stream = data;
  guint self = __atomic_fetch_add (&rivals.ready, 1, __ATOMIC_ACQ_REL);

  rival_self = self;
  /* Both start together. */
  while (__atomic_load_n (&rivals.ready, __ATOMIC_ACQUIRE) < 2)
    g_thread_yield ();

  for (guint i = 0; i < 10000; i++)
    {
      __atomic_store_n (&rivals.went_in_meanwhile[self], 0, __ATOMIC_RELEASE);
      __atomic_store_n (&rivals.waiting[self], 1, __ATOMIC_RELEASE);
      g_assert_cmpint (io_stream_tell (stream, NULL), ==, 0);
      __atomic_store_n (&rivals.waiting[self], 0, __ATOMIC_RELEASE);
    }
  return NULL;
}

/* Waiters are served in the order they came: once a call of one thread is
 * queued for a stream that another thread calls in a loop, at most one
 * call of the other (one that queued first) goes in before it, never a
 * run of them; and so for both threads. Counted, not timed, and counted
 * only while the waiter is really queued, so neither a loaded machine nor
 * a preemption before the call reaches the stream can fail it; a lock that
 * lets callers barge in, or whose waiters sleep, fails it with tens to
 * hundreds of overtaken waits. */

/* ThreadSanitizer and valgrind run the threads on a scheduler of their
 * own (valgrind one thread at a time), under which the order of arrival
 * this test counts means nothing. */
static gboolean
threads_are_rescheduled (void)
{
#ifdef __SANITIZE_THREAD__
  return TRUE;
#else
  g_autofree char *maps = NULL;

  return g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL) &&
         strstr (maps, "vgpreload") != NULL;
#endif
}

static void
test_waiters_served_in_turn (void)
{
  static const IoStreamFuncs funcs = {
    .struct_size = sizeof (IoStreamFuncs),
    .seek = rival_seek,
  };
  IoStream *stream;
  GThread *threads[2];

  if (threads_are_rescheduled ())
    {
      g_test_skip ("threads run on the tool's own scheduler");
      return;
    }
  stream = io_stream_new_from_funcs (&funcs, NULL, NULL);
  memset (&rivals, 0, sizeof rivals);
  rivals.stream = stream;
  threads[0] = g_thread_new ("first", rival_thread, stream);
  threads[1] = g_thread_new ("second", rival_thread, stream);
  g_thread_join (threads[0]);
  g_thread_join (threads[1]);

  for (guint i = 0; i < 2; i++)
    {
      g_test_message ("thread %u: %u of its 10000 calls were queued while more than one call "
                      "of the other went in, at most %d", i, rivals.overtaken_waits[i],
                      rivals.most_overtaken[i]);
      g_assert_cmpuint (rivals.overtaken_waits[i], ==, 0);
    }
  g_assert_finalize_object (stream);
}

typedef struct
{
  IoStream *stream;
  pthread_mutex_t lock;
  pthread_cond_t cond;
  gboolean started;
} Intruder;

static gpointer
intruder_thread (gpointer data)
{
  Intruder *intruder = data;
  g_autoptr(GError) error = NULL;

  pthread_mutex_lock (&intruder->lock);
  intruder->started = TRUE;
  pthread_cond_broadcast (&intruder->cond);
  pthread_mutex_unlock (&intruder->lock);
  g_assert_cmpint (io_stream_write (intruder->stream, (const guint8 *) "!", 1, &error), ==, 1);
  g_assert_no_error (error);
  return NULL;
}

/* io_stream_lock() makes a sequence of calls whole: another thread's write
 * waits until the unlock, and lands after everything the locked sequence
 * wrote. Locks nest, and the owner's calls go on inside them. */
static void
test_lock_keeps_others_out (void)
{
  Intruder intruder = { io_memory_stream_new (NULL, 0), PTHREAD_MUTEX_INITIALIZER,
                        PTHREAD_COND_INITIALIZER, FALSE };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) value = NULL;
  GThread *thread;

  g_assert_true (io_stream_lock (intruder.stream, &error));
  g_assert_true (io_stream_lock (intruder.stream, &error));
  g_assert_no_error (error);
  thread = g_thread_new ("intruder", intruder_thread, &intruder);
  pthread_mutex_lock (&intruder.lock);
  while (!intruder.started)
    pthread_cond_wait (&intruder.cond, &intruder.lock);
  pthread_mutex_unlock (&intruder.lock);

  for (guint i = 0; i < 1000; i++)
    g_assert_cmpint (io_stream_write (intruder.stream, (const guint8 *) "ab", 2, &error), ==, 2);
  io_stream_unlock (intruder.stream);
  /* Still locked once: the intruder still waits. */
  g_assert_cmpint (io_stream_tell (intruder.stream, &error), ==, 2000);
  io_stream_unlock (intruder.stream);
  g_thread_join (thread);

  value = io_memory_stream_get_value (IO_MEMORY_STREAM (intruder.stream), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (value), ==, 2001);
  g_assert_cmpint (((const char *) g_bytes_get_data (value, NULL))[2000], ==, '!');
  g_assert_finalize_object (intruder.stream);
  pthread_mutex_destroy (&intruder.lock);
  pthread_cond_destroy (&intruder.cond);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/threads/own-streams", test_own_streams);
  g_test_add_func ("/threads/handoff", test_handoff);
  g_test_add_func ("/threads/shared-values", test_shared_values);
  g_test_add_func ("/threads/shared-writers", test_shared_writers);
  g_test_add_func ("/threads/shared-readers", test_shared_readers);
  g_test_add_func ("/threads/calls-wait-their-turn", test_calls_wait_their_turn);
  g_test_add_func ("/threads/handoff-with-pending-error", test_handoff_with_pending_error);
  g_test_add_func ("/threads/waiters-served-in-turn", test_waiters_served_in_turn);
  g_test_add_func ("/threads/lock-keeps-others-out", test_lock_keeps_others_out);

  return g_test_run ();
}
