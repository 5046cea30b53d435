/* test-pipe-stream.c: IoPipeStream, io.FileIO's behaviour on pipes
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* F_SETPIPE_SZ, pipe2() */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test-util.h"
#include "io-fd-private.h"

/* Every test must leave as many descriptors open as it found. */
typedef struct
{
  guint n_fds;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->n_fds = test_util_count_fds ();
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_assert_cmpuint (test_util_count_fds (), ==, fixture->n_fds);
}

static void
new_pair (IoStream **reader,
          IoStream **writer)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (io_pipe_stream_new_pair (reader, writer, &error));
  g_assert_no_error (error);
  g_assert_true (IO_IS_PIPE_STREAM (*reader));
  g_assert_true (IO_IS_PIPE_STREAM (*writer));
}

static void
set_nonblocking (IoStream *stream,
                 gboolean  nonblocking)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (io_pipe_stream_set_nonblocking (IO_PIPE_STREAM (stream), nonblocking, &error));
  g_assert_no_error (error);
  g_assert_cmpint (io_pipe_stream_get_nonblocking (IO_PIPE_STREAM (stream)), ==, nonblocking);
  g_assert_cmpint (!!(fcntl (io_stream_fileno (stream, NULL), F_GETFL) & O_NONBLOCK), ==, nonblocking);
}

static void
test_pair (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(IoStream) reader = NULL;
  g_autoptr(IoStream) writer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *mode = NULL;
  gboolean closefd;
  gboolean nonblocking;
  int fd;

  new_pair (&reader, &writer);
  g_assert_cmpstr (io_pipe_stream_get_mode (IO_PIPE_STREAM (reader)), ==, "rb");
  g_assert_cmpstr (io_pipe_stream_get_mode (IO_PIPE_STREAM (writer)), ==, "wb");
  g_assert_true (io_pipe_stream_get_closefd (IO_PIPE_STREAM (reader)));
  g_assert_false (io_pipe_stream_get_nonblocking (IO_PIPE_STREAM (reader)));
  g_assert_true (io_stream_readable (reader, NULL));
  g_assert_false (io_stream_writable (reader, NULL));
  g_assert_false (io_stream_readable (writer, NULL));
  g_assert_true (io_stream_writable (writer, NULL));
  g_assert_false (io_stream_isatty (reader, &error));
  g_assert_no_error (error);

  /* Child processes do not inherit the pipe. */
  g_assert_true (fcntl (io_stream_fileno (reader, NULL), F_GETFD) & FD_CLOEXEC);
  g_assert_true (fcntl (io_stream_fileno (writer, NULL), F_GETFD) & FD_CLOEXEC);

  g_object_get (writer, "mode", &mode, "closefd", &closefd, "nonblocking", &nonblocking,
                "fd", &fd, NULL);
  g_assert_cmpstr (mode, ==, "wb");
  g_assert_true (closefd);
  g_assert_false (nonblocking);
  g_assert_cmpint (fd, ==, io_stream_fileno (writer, NULL));

  test_util_write_text (writer, "hello");
  test_util_close_ok (writer);
  g_object_get (writer, "fd", &fd, NULL);
  g_assert_cmpint (fd, ==, -1);
  test_util_assert_read_all (reader, "hello");
}

static void
test_not_seekable (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(IoStream) reader = NULL;
  g_autoptr(IoStream) writer = NULL;
  IoStream *streams[2];

  new_pair (&reader, &writer);
  streams[0] = reader;
  streams[1] = writer;
  for (guint i = 0; i < G_N_ELEMENTS (streams); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (io_stream_seekable (streams[i], &error));
      g_assert_no_error (error);
      g_assert_cmpint (io_stream_seek (streams[i], 0, IO_WHENCE_SET, &error), ==, -1);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
      g_clear_error (&error);
      g_assert_cmpint (io_stream_seek (streams[i], 0, IO_WHENCE_CUR, &error), ==, -1);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
      g_clear_error (&error);
      g_assert_cmpint (io_stream_tell (streams[i], &error), ==, -1);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
      g_clear_error (&error);
      g_assert_cmpint (io_stream_truncate (streams[i], 0, &error), ==, -1);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
    }
}

/* The end of the stream comes only once every writer has closed its end. */
static void
test_eof (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(IoStream) reader = NULL;
  g_autoptr(IoStream) writer = NULL;
  g_autoptr(GError) error = NULL;
  guint8 buffer[16];
  int second_writer;

  new_pair (&reader, &writer);
  second_writer = dup (io_stream_fileno (writer, NULL));
  g_assert_cmpint (second_writer, >=, 0);

  test_util_write_text (writer, "abc");
  test_util_close_ok (writer);
  /* One raw read returns what is there without waiting for more. */
  g_assert_cmpint (io_stream_read1 (reader, buffer, sizeof buffer, &error), ==, 3);
  g_assert_no_error (error);
  g_assert_cmpmem (buffer, 3, "abc", 3);

  /* Another writer is open: an empty pipe is not the end. */
  set_nonblocking (reader, TRUE);
  g_assert_cmpint (io_stream_read1 (reader, buffer, sizeof buffer, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
  g_clear_error (&error);
  set_nonblocking (reader, FALSE);

  g_assert_cmpint (write (second_writer, "de", 2), ==, 2);
  close (second_writer);
  g_assert_cmpint (io_stream_read (reader, buffer, sizeof buffer, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_cmpint (io_stream_read1 (reader, buffer, sizeof buffer, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpint (io_stream_read (reader, buffer, sizeof buffer, &error), ==, 0);
  g_assert_no_error (error);
}

static volatile sig_atomic_t sigpipe_count;

static void
count_sigpipe (int signum)
{
  sigpipe_count++;
}

static gboolean
sigpipe_pending (void)
{
  sigset_t pending;

  g_assert_cmpint (sigpending (&pending), ==, 0);
  return sigismember (&pending, SIGPIPE);
}

static gboolean
sigpipe_blocked (void)
{
  sigset_t mask;

  g_assert_cmpint (pthread_sigmask (SIG_BLOCK, NULL, &mask), ==, 0);
  return sigismember (&mask, SIGPIPE);
}

/* The two ways a write reaches the kernel: the stream's (pwritev2() with
 * RWF_NOSIGNAL where the kernel has it) and the SIGPIPE-masking fallback
 * on its own, which older kernels use. */
typedef gssize (*WriteFunc) (IoStream  *writer,
                             GError   **error);

static gssize
write_through_stream (IoStream  *writer,
                      GError   **error)
{
  return io_stream_write (writer, (const guint8 *) "x", 1, error);
}

static gssize
write_masked (IoStream  *writer,
              GError   **error)
{
  return io_fd_write_masked (io_stream_fileno (writer, NULL), (const guint8 *) "x", 1, error);
}

static void
assert_broken_pipe (IoStream  *writer,
                    WriteFunc  write_func)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = test_util_os_error_message (EPIPE, NULL);

  g_assert_cmpint (write_func (writer, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE);
  g_assert_cmpstr (error->message, ==, message);
}

/* Writing without a reader: BrokenPipeError, with SIGPIPE at its default
 * disposition (which would kill the process) and with a handler (which must
 * not run). The thread's mask is left as it was. */
static void
test_broken_pipe (Fixture       *fixture,
                  gconstpointer  data)
{
  WriteFunc write_func = (WriteFunc) data;
  g_autoptr(IoStream) reader = NULL;
  g_autoptr(IoStream) writer = NULL;
  struct sigaction action = { 0 };
  struct sigaction old_action;

  g_assert_cmpint (sigaction (SIGPIPE, NULL, &old_action), ==, 0);
  action.sa_handler = SIG_DFL;
  g_assert_cmpint (sigaction (SIGPIPE, &action, NULL), ==, 0);

  new_pair (&reader, &writer);
  test_util_close_ok (reader);
  assert_broken_pipe (writer, write_func);
  assert_broken_pipe (writer, write_func);
  g_assert_false (sigpipe_pending ());
  g_assert_false (sigpipe_blocked ());

  sigpipe_count = 0;
  action.sa_handler = count_sigpipe;
  g_assert_cmpint (sigaction (SIGPIPE, &action, NULL), ==, 0);
  assert_broken_pipe (writer, write_func);
  g_assert_cmpint (sigpipe_count, ==, 0);
  g_assert_false (sigpipe_pending ());
  g_assert_false (sigpipe_blocked ());

  /* A signal sent to the process on purpose is still delivered. */
  g_assert_cmpint (raise (SIGPIPE), ==, 0);
  g_assert_cmpint (sigpipe_count, ==, 1);

  g_assert_cmpint (sigaction (SIGPIPE, &old_action, NULL), ==, 0);
}

/* Masked writes on several threads at once, each to a pipe without a
 * reader, under a handler that counts: every SIGPIPE the kernel raises
 * is addressed to the writing thread and must be drained there before its
 * mask is restored, so the handler never runs, none stays pending, and
 * every thread's mask ends as it began. */
#define MASKED_THREADS 4
#define MASKED_WRITES 200

static gpointer
masked_writer_thread (gpointer data)
{
  IoStream *writer = data;

  for (guint i = 0; i < MASKED_WRITES; i++)
    assert_broken_pipe (writer, write_masked);
  g_assert_false (sigpipe_pending ());
  g_assert_false (sigpipe_blocked ());
  return NULL;
}

static void
test_broken_pipe_masked_threads (Fixture       *fixture,
                                 gconstpointer  data)
{
  IoStream *writers[MASKED_THREADS];
  GThread *threads[MASKED_THREADS];
  struct sigaction action = { 0 };
  struct sigaction old_action;

  sigpipe_count = 0;
  action.sa_handler = count_sigpipe;
  g_assert_cmpint (sigaction (SIGPIPE, &action, &old_action), ==, 0);
  for (guint i = 0; i < MASKED_THREADS; i++)
    {
      g_autoptr(IoStream) reader = NULL;

      new_pair (&reader, &writers[i]);
      test_util_close_ok (reader);
    }
  for (guint i = 0; i < MASKED_THREADS; i++)
    threads[i] = g_thread_new ("masked-writer", masked_writer_thread, writers[i]);
  for (guint i = 0; i < MASKED_THREADS; i++)
    {
      g_thread_join (threads[i]);
      g_object_unref (writers[i]);
    }
  g_assert_cmpint (sigpipe_count, ==, 0);
  g_assert_false (sigpipe_pending ());
  g_assert_cmpint (sigaction (SIGPIPE, &old_action, NULL), ==, 0);
}

/* A thread that blocks SIGPIPE itself keeps its mask. The masking write
 * leaves the signal pending, as write(2) would; RWF_NOSIGNAL raises none. */
static void
test_broken_pipe_caller_blocks (Fixture       *fixture,
                                gconstpointer  data)
{
  static const struct timespec no_wait = { 0, 0 };
  g_autoptr(IoStream) reader = NULL;
  g_autoptr(IoStream) writer = NULL;
  sigset_t set;
  sigset_t old_mask;

  sigemptyset (&set);
  sigaddset (&set, SIGPIPE);
  g_assert_cmpint (pthread_sigmask (SIG_BLOCK, &set, &old_mask), ==, 0);

  new_pair (&reader, &writer);
  test_util_close_ok (reader);
  assert_broken_pipe (writer, write_masked);
  g_assert_true (sigpipe_blocked ());
  g_assert_true (sigpipe_pending ());
  g_assert_cmpint (sigtimedwait (&set, NULL, &no_wait), ==, SIGPIPE);
  g_assert_false (sigpipe_pending ());

  assert_broken_pipe (writer, write_through_stream);
  g_assert_true (sigpipe_blocked ());
  while (sigtimedwait (&set, NULL, &no_wait) == SIGPIPE)
    ;
  g_assert_false (sigpipe_pending ());

  g_assert_cmpint (pthread_sigmask (SIG_SETMASK, &old_mask, NULL), ==, 0);
}

static gpointer
close_reader_later (gpointer data)
{
  g_usleep (100 * 1000);
  test_util_close_ok (data);
  return NULL;
}

/* The reader goes away while a blocking write waits on a full pipe: the
 * write(2) returns what the pipe took, the next one fails with EPIPE.
 * io_stream_write() returns that count, and the next write reports the
 * EPIPE, as FileIO does; SIGPIPE at its default disposition never
 * reaches the process. */
static void
test_broken_pipe_after_progress (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(IoStream) reader = NULL;
  g_autoptr(IoStream) writer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *buffer = g_malloc0 (1024 * 1024);
  struct sigaction action = { 0 };
  struct sigaction old_action;
  GThread *thread;
  gssize n;

  g_assert_cmpint (sigaction (SIGPIPE, NULL, &old_action), ==, 0);
  action.sa_handler = SIG_DFL;
  g_assert_cmpint (sigaction (SIGPIPE, &action, NULL), ==, 0);

  new_pair (&reader, &writer);
  thread = g_thread_new ("closer", close_reader_later, reader);
  n = io_stream_write (writer, buffer, 1024 * 1024, &error);
  g_thread_join (thread);
  g_assert_no_error (error);
  g_assert_cmpint (n, >, 0);
  g_assert_cmpint (n, <, 1024 * 1024);
  assert_broken_pipe (writer, write_through_stream);
  g_assert_false (sigpipe_pending ());

  g_assert_cmpint (sigaction (SIGPIPE, &old_action, NULL), ==, 0);
}

/* The same through the SIGPIPE-masking write that older kernels use: the
 * kernel raises SIGPIPE for the write(2) that returns a partial count
 * too, and the masking write must take it, or unblocking SIGPIPE would
 * kill the process. In a child, which it would kill. */
static void
test_broken_pipe_after_progress_masked (Fixture       *fixture,
                                        gconstpointer  data)
{
  if (g_test_subprocess ())
    {
      g_autoptr(IoStream) reader = NULL;
      g_autoptr(IoStream) writer = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree guint8 *buffer = g_malloc0 (1024 * 1024);
      struct sigaction action = { 0 };
      GThread *thread;
      gssize n;

      action.sa_handler = SIG_DFL;
      g_assert_cmpint (sigaction (SIGPIPE, &action, NULL), ==, 0);
      new_pair (&reader, &writer);
      thread = g_thread_new ("closer", close_reader_later, reader);
      n = io_fd_write_masked (io_stream_fileno (writer, NULL), buffer, 1024 * 1024, &error);
      g_thread_join (thread);
      g_assert_no_error (error);
      g_assert_cmpint (n, >, 0);
      g_assert_cmpint (n, <, 1024 * 1024);
      g_assert_false (sigpipe_pending ());
      g_assert_false (sigpipe_blocked ());
      assert_broken_pipe (writer, write_masked);
      g_assert_false (sigpipe_pending ());
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* Deterministic would-block: a pipe shrunk to one page. */
static void
test_would_block (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(IoStream) reader = NULL;
  g_autoptr(IoStream) writer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *eagain = test_util_os_error_message (EAGAIN, NULL);
  g_autofree guint8 *block = g_malloc (10000);
  g_autofree guint8 *buffer = g_malloc (10000);
  const int page = (int) sysconf (_SC_PAGESIZE);

  memset (block, 'z', 10000);
  new_pair (&reader, &writer);
  g_assert_cmpint (fcntl (io_stream_fileno (writer, NULL), F_SETPIPE_SZ, page), ==, page);
  set_nonblocking (reader, TRUE);
  set_nonblocking (writer, TRUE);

  /* Empty: would block, raw or looping. */
  g_assert_cmpint (io_stream_read1 (reader, buffer, 10, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
  g_assert_cmpstr (error->message, ==, eagain);
  g_clear_error (&error);
  g_assert_cmpint (io_stream_read (reader, buffer, 10, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
  g_clear_error (&error);

  /* A write larger than the pipe is partial; then the full pipe blocks. */
  g_assert_cmpint (io_stream_write (writer, block, 10000, &error), ==, page);
  g_assert_no_error (error);
  g_assert_cmpint (io_stream_write (writer, block, 1, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
  g_assert_cmpstr (error->message, ==, eagain);
  g_clear_error (&error);

  /* The looping read returns what there was, then the would-block is
   * reported by nothing: the next read starts afresh. */
  g_assert_cmpint (io_stream_read (reader, buffer, 10000, &error), ==, page);
  g_assert_no_error (error);
  g_assert_cmpint (io_stream_read1 (reader, buffer, 10, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
  g_clear_error (&error);

  test_util_write_text (writer, "tail");
  test_util_close_ok (writer);
  test_util_assert_read_all (reader, "tail");
}

static void
test_nonblocking_property (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(IoStream) reader = NULL;
  g_autoptr(IoStream) writer = NULL;
  g_autoptr(IoStream) wrapped = NULL;
  g_autoptr(GError) error = NULL;
  guint notified = 0;

  new_pair (&reader, &writer);
  g_signal_connect (reader, "notify::nonblocking", G_CALLBACK (test_util_count_notify), &notified);
  set_nonblocking (reader, TRUE);
  set_nonblocking (reader, TRUE);
  g_assert_cmpuint (notified, ==, 1);

  /* Wrapping a descriptor that is already non-blocking says so. */
  wrapped = io_pipe_stream_new_for_fd (io_stream_fileno (reader, NULL), NULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (io_pipe_stream_get_nonblocking (IO_PIPE_STREAM (wrapped)));

  set_nonblocking (reader, FALSE);
  g_assert_cmpuint (notified, ==, 2);
  /* The flag belongs to the open file description: changed through the
   * other stream, it reads back changed here too. */
  g_assert_false (io_pipe_stream_get_nonblocking (IO_PIPE_STREAM (wrapped)));
  g_assert_cmpint (fcntl (io_stream_fileno (reader, NULL), F_SETFL, O_NONBLOCK), ==, 0);
  g_assert_true (io_pipe_stream_get_nonblocking (IO_PIPE_STREAM (reader)));
  g_assert_true (io_pipe_stream_get_nonblocking (IO_PIPE_STREAM (wrapped)));

  test_util_close_ok (reader);
  /* Closed, it keeps the last mode it saw. */
  g_assert_true (io_pipe_stream_get_nonblocking (IO_PIPE_STREAM (reader)));
  g_assert_false (io_pipe_stream_set_nonblocking (IO_PIPE_STREAM (reader), TRUE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
}

#define TRANSFER_SIZE (64 * 1024 * 1024)

typedef struct
{
  IoStream *writer;
  guint64 checksum;
  gsize written;
  guint delay_ms;
} WriterData;

static guint64
mix (guint64 checksum,
     guint8  byte)
{
  /* FNV-1a */
  return (checksum ^ byte) * G_GUINT64_CONSTANT (0x100000001b3);
}

static guint8
pattern_byte (gsize position)
{
  guint32 x = (guint32) position * 2654435761u;

  return (guint8) ((x >> 13) ^ (x >> 24) ^ position);
}

static gpointer
writer_thread (gpointer user_data)
{
  WriterData *wd = user_data;
  g_autofree guint8 *chunk = g_malloc (100003);
  /* Sizes that do not divide the pipe's buffer, to cut records apart. */
  static const gsize sizes[] = { 1, 4096, 65536, 100003, 777, 32768 + 5 };
  guint64 checksum = G_GUINT64_CONSTANT (0xcbf29ce484222325);
  gsize position = 0;
  guint k = 0;

  if (wd->delay_ms > 0)
    g_usleep (wd->delay_ms * 1000);

  while (position < TRANSFER_SIZE)
    {
      GError *error = NULL;
      gsize n = MIN (sizes[k++ % G_N_ELEMENTS (sizes)], TRANSFER_SIZE - position);
      gssize written;

      for (gsize i = 0; i < n; i++)
        {
          chunk[i] = pattern_byte (position + i);
          checksum = mix (checksum, chunk[i]);
        }
      written = io_stream_write (wd->writer, chunk, n, &error);
      g_assert_no_error (error);
      g_assert_cmpint (written, ==, (gssize) n);
      position += n;
    }

  wd->checksum = checksum;
  wd->written = position;
  io_stream_close (wd->writer, NULL);
  return NULL;
}

/* Reads to the end in the calling thread; returns the checksum. */
static guint64
read_to_end (IoStream *reader,
             gsize    *total)
{
  g_autofree guint8 *buffer = g_malloc (65536);
  guint64 checksum = G_GUINT64_CONSTANT (0xcbf29ce484222325);
  gboolean in_order = TRUE;

  *total = 0;
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      gssize n = io_stream_read1 (reader, buffer, 65536, &error);

      g_assert_no_error (error);
      g_assert_cmpint (n, >=, 0);
      if (n == 0)
        break;
      for (gssize i = 0; i < n; i++)
        {
          in_order = in_order && buffer[i] == pattern_byte (*total + (gsize) i);
          checksum = mix (checksum, buffer[i]);
        }
      *total += (gsize) n;
    }

  g_assert_true (in_order);
  return checksum;
}

static void
test_threads_64mib (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(IoStream) reader = NULL;
  g_autoptr(IoStream) writer = NULL;
  WriterData wd = { 0 };
  GThread *thread;
  guint64 checksum;
  gsize total;

  new_pair (&reader, &writer);
  wd.writer = writer;
  thread = g_thread_new ("writer", writer_thread, &wd);
  checksum = read_to_end (reader, &total);
  g_thread_join (thread);

  g_assert_cmpuint (total, ==, TRANSFER_SIZE);
  g_assert_cmpuint (wd.written, ==, TRANSFER_SIZE);
  g_assert_cmpuint (checksum, ==, wd.checksum);
}

static volatile sig_atomic_t alarm_count;

static void
count_alarm (int signum)
{
  alarm_count++;
}

/* Starts @func in a thread that blocks SIGALRM, so that only the calling
 * thread takes it; then installs a SIGALRM handler without SA_RESTART and
 * fires it every 5 ms. */
static GThread *
start_alarms (const char       *name,
              GThreadFunc       func,
              gpointer          user_data,
              struct sigaction *old_action)
{
  static const struct itimerval timer = { { 0, 5000 }, { 0, 5000 } };
  struct sigaction action = { 0 };
  sigset_t alarm_set;
  GThread *thread;

  sigemptyset (&alarm_set);
  sigaddset (&alarm_set, SIGALRM);
  pthread_sigmask (SIG_BLOCK, &alarm_set, NULL);
  thread = g_thread_new (name, func, user_data);
  pthread_sigmask (SIG_UNBLOCK, &alarm_set, NULL);

  action.sa_handler = count_alarm;
  action.sa_flags = 0;
  sigemptyset (&action.sa_mask);
  g_assert_cmpint (sigaction (SIGALRM, &action, old_action), ==, 0);
  alarm_count = 0;
  g_assert_cmpint (setitimer (ITIMER_REAL, &timer, NULL), ==, 0);
  return thread;
}

static void
stop_alarms (struct sigaction *old_action)
{
  static const struct itimerval no_timer = { { 0, 0 }, { 0, 0 } };
  static const struct timespec no_wait = { 0, 0 };
  sigset_t alarm_set;
  sigset_t old_mask;

  g_assert_cmpint (setitimer (ITIMER_REAL, &no_timer, NULL), ==, 0);
  /* A SIGALRM generated before the timer stopped may still be pending
   * (valgrind delivers signals late): take it before the default action,
   * which kills the process, comes back. */
  sigemptyset (&alarm_set);
  sigaddset (&alarm_set, SIGALRM);
  pthread_sigmask (SIG_BLOCK, &alarm_set, &old_mask);
  while (sigtimedwait (&alarm_set, NULL, &no_wait) == SIGALRM || errno == EINTR)
    ;
  g_assert_cmpint (sigaction (SIGALRM, old_action, NULL), ==, 0);
  pthread_sigmask (SIG_SETMASK, &old_mask, NULL);
}

/* SIGALRM with a handler installed without SA_RESTART interrupts the
 * blocking read(2) with EINTR, every 5 ms, while the writer thread (which
 * blocks the signal) waits 300 ms before writing: the stream retries and
 * loses nothing. */
static void
test_eintr_read (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(IoStream) reader = NULL;
  g_autoptr(IoStream) writer = NULL;
  g_autoptr(GError) error = NULL;
  struct sigaction old_action;
  WriterData wd = { 0 };
  GThread *thread;
  guint64 checksum;
  gsize total;
  guint8 first;

  new_pair (&reader, &writer);
  wd.writer = writer;
  wd.delay_ms = 300;
  thread = start_alarms ("writer", writer_thread, &wd, &old_action);

  /* The first byte comes after many interruptions. */
  g_assert_cmpint (io_stream_read1 (reader, &first, 1, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (alarm_count, >, 0);
  g_assert_cmpint (first, ==, pattern_byte (0));
  checksum = mix (G_GUINT64_CONSTANT (0xcbf29ce484222325), first);

  /* The rest, still under fire. */
  {
    g_autofree guint8 *buffer = g_malloc (65536);
    gssize n;

    total = 1;
    while ((n = io_stream_read (reader, buffer, 65536, &error)) > 0)
      {
        for (gssize i = 0; i < n; i++)
          {
            g_assert_cmpint (buffer[i], ==, pattern_byte (total + (gsize) i));
            checksum = mix (checksum, buffer[i]);
          }
        total += (gsize) n;
      }
    g_assert_no_error (error);
  }

  stop_alarms (&old_action);
  g_thread_join (thread);

  g_assert_cmpuint (total, ==, TRANSFER_SIZE);
  g_assert_cmpuint (checksum, ==, wd.checksum);
}

typedef struct
{
  IoStream *reader;
  gsize total;
  guint64 checksum;
} ReaderData;

static gpointer
slow_reader_thread (gpointer user_data)
{
  ReaderData *rd = user_data;

  g_usleep (300 * 1000);
  rd->checksum = read_to_end (rd->reader, &rd->total);
  return NULL;
}

/* The same for a write blocked on a full pipe. */
static void
test_eintr_write (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(IoStream) reader = NULL;
  g_autoptr(IoStream) writer = NULL;
  struct sigaction old_action;
  ReaderData rd = { 0 };
  WriterData wd = { 0 };
  GThread *thread;

  new_pair (&reader, &writer);
  rd.reader = reader;
  wd.writer = writer;
  thread = start_alarms ("reader", slow_reader_thread, &rd, &old_action);
  writer_thread (&wd);
  stop_alarms (&old_action);
  g_assert_cmpint (alarm_count, >, 0);
  g_thread_join (thread);

  g_assert_cmpuint (rd.total, ==, TRANSFER_SIZE);
  g_assert_cmpuint (rd.checksum, ==, wd.checksum);
}

/* _io_fd_set_interruptible(), the Python accelerator's switch: in the
 * thread that turned it on, a read(2) or write(2) that a signal cuts
 * before any byte moved fails with EINTR instead of being made again;
 * turned off, the calls wait through the signals and lose nothing. */
static void
test_eintr_interruptible (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(IoStream) reader = NULL;
  g_autoptr(IoStream) writer = NULL;
  g_autoptr(GError) error = NULL;
  struct sigaction old_action;
  WriterData wd = { 0 };
  ReaderData rd = { 0 };
  GThread *thread;
  guint64 checksum;
  gsize filled = 0;
  guint8 byte = 0;

  /* A read of an empty pipe, whose writer starts after 300 ms. */
  new_pair (&reader, &writer);
  wd.writer = writer;
  wd.delay_ms = 300;
  thread = start_alarms ("writer", writer_thread, &wd, &old_action);
  g_assert_false (_io_fd_set_interruptible (TRUE));
  g_assert_cmpint (io_stream_read1 (reader, &byte, 1, &error), ==, -1);
  g_assert_cmpint (io_error_get_errno (error), ==, EINTR);
  g_clear_error (&error);
  g_assert_true (_io_fd_set_interruptible (FALSE));
  checksum = read_to_end (reader, &rd.total);
  stop_alarms (&old_action);
  /* The writer's results are read once it is joined: its close(2) that
   * ended the read orders them too, but in the kernel, where
   * ThreadSanitizer cannot see it. */
  g_thread_join (thread);
  g_assert_cmpuint (checksum, ==, wd.checksum);
  g_assert_cmpuint (rd.total, ==, TRANSFER_SIZE);
  g_clear_object (&reader);
  g_clear_object (&writer);

  /* A write to a full pipe, whose reader starts after 300 ms. */
  new_pair (&reader, &writer);
  set_nonblocking (writer, TRUE);
  while (byte = pattern_byte (filled), io_stream_write (writer, &byte, 1, &error) == 1)
    filled++;
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
  g_clear_error (&error);
  set_nonblocking (writer, FALSE);
  rd.reader = reader;
  thread = start_alarms ("reader", slow_reader_thread, &rd, &old_action);
  g_assert_false (_io_fd_set_interruptible (TRUE));
  g_assert_cmpint (io_stream_write (writer, &byte, 1, &error), ==, -1);
  g_assert_cmpint (io_error_get_errno (error), ==, EINTR);
  g_clear_error (&error);
  g_assert_true (_io_fd_set_interruptible (FALSE));
  g_assert_cmpint (io_stream_write (writer, &byte, 1, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_true (io_stream_close (writer, &error));
  g_assert_no_error (error);
  stop_alarms (&old_action);
  g_thread_join (thread);
  g_assert_cmpuint (rd.total, ==, filled + 1);
}

/* _io_fd_stream_get_waits(), which the Python accelerator asks before a
 * call in the main thread: a pipe's ends may wait (the write end, open for
 * writing, says so too), for the stream's whole life; a regular file's
 * calls never do, whatever its mode. */
static void
test_fd_waits (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(IoStream) reader = NULL;
  g_autoptr(IoStream) writer = NULL;
  g_autoptr(IoStream) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  int fd;

  new_pair (&reader, &writer);
  g_assert_cmpuint (_io_fd_stream_get_waits (reader), ==, IO_FD_WAITS);
  g_assert_cmpuint (_io_fd_stream_get_waits (writer), ==, IO_FD_WAITS | IO_FD_WAITS_WRITABLE);
  test_util_close_ok (writer);
  g_assert_cmpuint (_io_fd_stream_get_waits (writer), ==, IO_FD_WAITS | IO_FD_WAITS_WRITABLE);

  fd = g_file_open_tmp ("test-pipe-stream-XXXXXX", &path, &error);
  g_assert_no_error (error);
  file = io_file_stream_new_for_fd (fd, "r+", TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (_io_fd_stream_get_waits (file), ==, 0);
  unlink (path);
}

/* The same for the SIGPIPE-masking write that kernels without RWF_NOSIGNAL
 * use: 4 MiB written with it in 64 KiB blocks while SIGALRM interrupts the
 * blocked writes, and every byte arrives once, in order. */
static void
test_eintr_write_masked (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(IoStream) reader = NULL;
  g_autoptr(IoStream) writer = NULL;
  g_autofree guint8 *block = g_malloc (65536);
  struct sigaction old_action;
  ReaderData rd = { 0 };
  guint64 checksum = G_GUINT64_CONSTANT (0xcbf29ce484222325);
  const gsize size = 4 * 1024 * 1024;
  GThread *thread;
  gsize position = 0;

  new_pair (&reader, &writer);
  rd.reader = reader;
  thread = start_alarms ("reader", slow_reader_thread, &rd, &old_action);
  while (position < size)
    {
      g_autoptr(GError) error = NULL;
      gsize n = MIN (65536, size - position);
      gssize written;

      for (gsize i = 0; i < n; i++)
        block[i] = pattern_byte (position + i);
      written = io_fd_write_masked (io_stream_fileno (writer, NULL), block, n, &error);
      g_assert_no_error (error);
      g_assert_cmpint (written, >, 0);
      for (gssize i = 0; i < written; i++)
        checksum = mix (checksum, block[i]);
      position += (gsize) written;
    }
  stop_alarms (&old_action);
  g_assert_cmpint (alarm_count, >, 0);
  g_assert_true (io_stream_close (writer, NULL));
  g_thread_join (thread);

  g_assert_cmpuint (rd.total, ==, size);
  g_assert_cmpuint (rd.checksum, ==, checksum);
}

static void
test_wrap_fd (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  IoStream *stream;
  int fds[2];

  g_assert_cmpint (pipe2 (fds, O_CLOEXEC), ==, 0);

  /* Without a mode, the access mode of the descriptor decides. */
  stream = io_pipe_stream_new_for_fd (fds[0], NULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (io_pipe_stream_get_mode (IO_PIPE_STREAM (stream)), ==, "rb");
  g_assert_false (io_pipe_stream_get_closefd (IO_PIPE_STREAM (stream)));
  test_util_close_ok (stream);
  g_object_unref (stream);
  g_assert_true (test_util_is_open (fds[0]));

  stream = io_pipe_stream_new_for_fd (fds[1], NULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (io_pipe_stream_get_mode (IO_PIPE_STREAM (stream)), ==, "wb");
  test_util_write_text (stream, "ab");
  /* Finalizing without closing leaves a closefd=FALSE descriptor open. */
  g_object_unref (stream);
  g_assert_true (test_util_is_open (fds[1]));

  /* An explicit mode wins; closefd=TRUE closes on finalize. */
  stream = io_pipe_stream_new_for_fd (fds[0], "r+b", TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (io_pipe_stream_get_mode (IO_PIPE_STREAM (stream)), ==, "rb+");
  g_assert_true (io_stream_writable (stream, NULL));
  g_object_unref (stream);
  g_assert_false (test_util_is_open (fds[0]));
  close (fds[1]);
}

static void
test_wrap_fd_errors (Fixture       *fixture,
                     gconstpointer  data)
{
  static const char *const bad_modes[] = { "", "rw", "r++", "b", "a", "x" };
  g_autoptr(GError) error = NULL;
  g_autoptr(IoStream) stream = NULL;
  g_autofree char *ebadf = test_util_os_error_message (EBADF, NULL);
  int fds[2];

  stream = io_pipe_stream_new_for_fd (-1, "r", TRUE, &error);
  g_assert_null (stream);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_cmpint (pipe2 (fds, O_CLOEXEC), ==, 0);
  close (fds[1]);
  stream = io_pipe_stream_new_for_fd (fds[1], "w", TRUE, &error);
  g_assert_null (stream);
  g_assert_cmpstr (error->message, ==, ebadf);
  g_clear_error (&error);

  for (guint i = 0; i < G_N_ELEMENTS (bad_modes); i++)
    {
      stream = io_pipe_stream_new_for_fd (fds[0], bad_modes[i], TRUE, &error);
      g_assert_null (stream);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_clear_error (&error);
      /* A failed wrap leaves the descriptor with the caller. */
      g_assert_true (test_util_is_open (fds[0]));
    }
  stream = io_pipe_stream_new_for_fd (fds[0], "rt", TRUE, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "invalid mode: rt");
  close (fds[0]);
}

static void
test_std_streams (Fixture       *fixture,
                  gconstpointer  data)
{
  IoStream *(*constructors[]) (GError **) = {
    io_pipe_stream_new_stdin, io_pipe_stream_new_stdout, io_pipe_stream_new_stderr,
  };
  static const char *const modes[] = { "rb", "wb", "wb" };

  for (int fd = 0; fd < 3; fd++)
    {
      g_autoptr(GError) error = NULL;
      IoStream *stream = constructors[fd] (&error);

      g_assert_no_error (error);
      g_assert_cmpint (io_stream_fileno (stream, NULL), ==, fd);
      g_assert_cmpstr (io_pipe_stream_get_mode (IO_PIPE_STREAM (stream)), ==, modes[fd]);
      g_assert_false (io_pipe_stream_get_closefd (IO_PIPE_STREAM (stream)));
      test_util_close_ok (stream);
      g_object_unref (stream);
      g_assert_true (test_util_is_open (fd));
    }
}

typedef struct
{
  IoStream *stream;
  gsize size;
} FeedData;

static gpointer
feed_thread (gpointer user_data)
{
  FeedData *fd = user_data;
  g_autofree guint8 *data = g_malloc (fd->size);
  GError *error = NULL;

  for (gsize i = 0; i < fd->size; i++)
    data[i] = pattern_byte (i);
  g_assert_cmpint (io_stream_write (fd->stream, data, fd->size, &error), ==, (gssize) fd->size);
  g_assert_no_error (error);
  g_assert_true (io_stream_close (fd->stream, &error));
  g_assert_no_error (error);
  return NULL;
}

static void
assert_child_exits (GPid pid,
                    int  code)
{
  int status;

  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, code);
  g_spawn_close_pid (pid);
}

/* Spawns @argv in @working_directory with the streams asked for, and
 * checks that it worked. */
static void
spawn_ok (const char * const  *argv,
          const char          *working_directory,
          IoStream           **child_in,
          IoStream           **child_out,
          IoStream           **child_err,
          GPid                *pid)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (io_pipe_stream_spawn ((char **) argv, working_directory,
                                       child_err != NULL ? IO_SPAWN_STDERR_PIPE : IO_SPAWN_STDERR_INHERIT,
                                       child_in, child_out, child_err, pid, &error));
  g_assert_no_error (error);
}

/* Writes @input to the child's stdin and closes it, then checks all that
 * comes out of its stdout and stderr. */
static void
converse (IoStream   *child_in,
          const char *input,
          IoStream   *child_out,
          const char *output,
          IoStream   *child_err,
          const char *errors)
{
  test_util_write_text (child_in, input);
  test_util_close_ok (child_in);
  test_util_assert_read_all (child_out, output);
  test_util_assert_read_all (child_err, errors);
}

/* A cat round trip: 1 MiB in through the child's stdin, the same out of
 * its stdout. */
static void
test_spawn_cat (Fixture       *fixture,
                gconstpointer  data)
{
  const char *argv[] = { "cat", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(IoStream) child_in = NULL;
  g_autoptr(IoStream) child_out = NULL;
  g_autoptr(IoStream) child_err = NULL;
  g_autoptr(GBytes) output = NULL;
  FeedData feed;
  GThread *thread;
  GPid pid = 0;
  const guint8 *out;
  gsize len;

  spawn_ok (argv, NULL, &child_in, &child_out, &child_err, &pid);
  g_assert_cmpint (pid, >, 0);
  g_assert_true (io_stream_writable (child_in, NULL));
  g_assert_true (io_stream_readable (child_out, NULL));
  g_assert_true (io_stream_readable (child_err, NULL));
  g_assert_true (fcntl (io_stream_fileno (child_in, NULL), F_GETFD) & FD_CLOEXEC);
  g_assert_true (fcntl (io_stream_fileno (child_out, NULL), F_GETFD) & FD_CLOEXEC);

  feed.stream = child_in;
  feed.size = 1024 * 1024;
  thread = g_thread_new ("feed", feed_thread, &feed);
  output = io_stream_readall (child_out, &error);
  g_assert_no_error (error);
  g_thread_join (thread);

  out = g_bytes_get_data (output, &len);
  g_assert_cmpuint (len, ==, feed.size);
  for (gsize i = 0; i < len; i++)
    if (out[i] != pattern_byte (i))
      g_assert_cmpuint (i, ==, len);

  test_util_assert_read_all (child_err, "");
  assert_child_exits (pid, 0);
}

/* A shell script run as a child, with the streams it asks for, what it is
 * given on stdin and what must come out. Streams left out are not
 * created, and the child gets /dev/null as stdin. Without a child_pid the
 * caller cannot reap the child, so none is left to reap: no child of this
 * process remains, not even a zombie. */
typedef struct
{
  const char *script;
  const char *working_directory;
  gboolean with_stdin_and_stderr;
  gboolean with_pid;
  const char *input;
  const char *output;
  const char *errors;
  int exit_code;
} SpawnScript;

static const SpawnScript spawn_stderr = {
  "read line; echo \"out:$line\"; echo err >&2; exit 3", "/", TRUE, TRUE,
  "ping\n", "out:ping\n", "err\n", 3,
};
static const SpawnScript spawn_partial = { "cat; echo done", NULL, FALSE, TRUE, NULL, "done\n", NULL, 0 };
static const SpawnScript spawn_unreaped = { "echo bye", NULL, FALSE, FALSE, NULL, "bye\n", NULL, 0 };

static void
test_spawn_script (Fixture       *fixture,
                   gconstpointer  data)
{
  const SpawnScript *script = data;
  const char *argv[] = { "sh", "-c", script->script, NULL };
  g_autoptr(IoStream) child_in = NULL;
  g_autoptr(IoStream) child_out = NULL;
  g_autoptr(IoStream) child_err = NULL;
  gboolean both = script->with_stdin_and_stderr;
  GPid pid = 0;

  spawn_ok (argv, script->working_directory, both ? &child_in : NULL, &child_out,
            both ? &child_err : NULL, script->with_pid ? &pid : NULL);
  if (both)
    converse (child_in, script->input, child_out, script->output, child_err, script->errors);
  else
    test_util_assert_read_all (child_out, script->output);
  if (script->with_pid)
    assert_child_exits (pid, script->exit_code);
  else
    {
      g_assert_cmpint (waitpid (-1, NULL, WNOHANG), ==, -1);
      g_assert_cmpint (errno, ==, ECHILD);
    }
}

/* A parent whose descriptor 0 is closed gets 0 from pipe(): the child's
 * ends must still reach its 0, 1 and 2. */
static void
test_spawn_with_stdin_closed (Fixture       *fixture,
                              gconstpointer  data)
{
  const char *argv[] = { "cat", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(IoStream) child_in = NULL;
  g_autoptr(IoStream) child_out = NULL;
  g_autoptr(IoStream) child_err = NULL;
  int saved_stdin = dup (STDIN_FILENO);
  GPid pid = 0;
  gboolean spawned;

  g_assert_cmpint (saved_stdin, >, STDERR_FILENO);
  close (STDIN_FILENO);
  spawned = io_pipe_stream_spawn ((char **) argv, NULL, IO_SPAWN_STDERR_PIPE, &child_in,
                                  &child_out, &child_err, &pid, &error);
  g_assert_cmpint (dup2 (saved_stdin, STDIN_FILENO), ==, STDIN_FILENO);
  close (saved_stdin);
  g_assert_no_error (error);
  g_assert_true (spawned);

  converse (child_in, "through cat\n", child_out, "through cat\n", child_err, "");
  assert_child_exits (pid, 0);
}

/* A child that cannot start: the G_IO_ERROR of its errno, naming the
 * program or the directory, as subprocess's OSError does. */
typedef struct
{
  const char *program;
  const char *working_directory;
  int code;
  int errsv;
} SpawnFailure;

static const SpawnFailure spawn_missing = { "/nonexistent/program", NULL, G_IO_ERROR_NOT_FOUND, ENOENT };
static const SpawnFailure spawn_missing_in_path = { "libstream-no-such-program", NULL, G_IO_ERROR_NOT_FOUND, ENOENT };
static const SpawnFailure spawn_not_executable = { "/etc/passwd", NULL, G_IO_ERROR_PERMISSION_DENIED, EACCES };
static const SpawnFailure spawn_bad_cwd = { "true", "/nonexistent/directory", G_IO_ERROR_NOT_FOUND, ENOENT };
static const SpawnFailure spawn_cwd_not_dir = { "true", "/etc/passwd", G_IO_ERROR_NOT_DIRECTORY, ENOTDIR };

static void
test_spawn_error (Fixture       *fixture,
                  gconstpointer  data)
{
  const SpawnFailure *failure = data;
  const char *argv[] = { failure->program, NULL };
  const char *named = failure->working_directory ? failure->working_directory : failure->program;
  g_autoptr(GError) error = NULL;
  g_autofree char *quoted = g_strdup_printf ("'%s'", named);
  g_autofree char *message = test_util_os_error_message (failure->errsv, quoted);
  g_autofree char *filename = NULL;
  IoStream *child_in = (IoStream *) 0x1;
  IoStream *child_out = (IoStream *) 0x1;
  IoStream *child_err = (IoStream *) 0x1;
  GPid pid = 1;

  g_assert_false (io_pipe_stream_spawn ((char **) argv, failure->working_directory,
                                        IO_SPAWN_STDERR_PIPE, &child_in, &child_out, &child_err,
                                        &pid, &error));
  g_assert_error (error, G_IO_ERROR, failure->code);
  g_assert_cmpstr (error->message, ==, message);
  g_assert_cmpint (io_error_get_errno (error), ==, failure->errsv);
  filename = io_error_get_filename (error);
  g_assert_cmpstr (filename, ==, named);
  g_assert_null (child_in);
  g_assert_null (child_out);
  g_assert_null (child_err);
  g_assert_cmpint (pid, ==, 0);
  g_assert_cmpint (waitpid (-1, NULL, WNOHANG), ==, -1);
  g_assert_cmpint (errno, ==, ECHILD);
}

/* Waits through @stream, which must give @returncode, as every later call
 * and get_returncode() must. */
static void
assert_waits (IoStream *stream,
              int       returncode)
{
  g_autoptr(GError) error = NULL;
  int code = G_MININT;

  g_assert_true (io_pipe_stream_wait (IO_PIPE_STREAM (stream), &code, &error));
  g_assert_no_error (error);
  g_assert_cmpint (code, ==, returncode);
  code = G_MININT;
  g_assert_true (io_pipe_stream_get_returncode (IO_PIPE_STREAM (stream), &code));
  g_assert_cmpint (code, ==, returncode);
}

/* wait() reaps the child once for all the streams of the spawn: its exit
 * status, or minus the signal that killed it. */
static void
test_spawn_wait (Fixture       *fixture,
                 gconstpointer  data)
{
  const char *argv[] = { "sh", "-c", data, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(IoStream) child_in = NULL;
  g_autoptr(IoStream) child_out = NULL;
  GPid pid = 0;
  int code = 0;
  int expected = g_str_has_prefix (data, "kill") ? -SIGTERM : 3;

  spawn_ok (argv, NULL, &child_in, &child_out, NULL, &pid);
  g_assert_false (io_pipe_stream_get_returncode (IO_PIPE_STREAM (child_out), &code));
  test_util_close_ok (child_in);
  assert_waits (child_out, expected);
  /* The other stream knows it too, and the child is gone. */
  g_assert_true (io_pipe_stream_get_returncode (IO_PIPE_STREAM (child_in), &code));
  g_assert_cmpint (code, ==, expected);
  assert_waits (child_in, expected);
  g_assert_cmpint (waitpid (pid, NULL, WNOHANG), ==, -1);
  g_assert_cmpint (errno, ==, ECHILD);
  test_util_assert_read_all (child_out, "");
}

/* No child to wait for: a pipe of new_pair(), a spawn without pid, a
 * child the caller reaped itself. */
static void
test_spawn_wait_errors (Fixture       *fixture,
                        gconstpointer  data)
{
  const char *argv[] = { "true", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(IoStream) reader = NULL;
  g_autoptr(IoStream) writer = NULL;
  g_autoptr(IoStream) child_out = NULL;
  g_autoptr(IoStream) reaped_out = NULL;
  GPid pid = 0;
  int code = 7;

  new_pair (&reader, &writer);
  g_assert_false (io_pipe_stream_wait (IO_PIPE_STREAM (reader), &code, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_cmpint (code, ==, 7);
  g_clear_error (&error);
  g_assert_false (io_pipe_stream_get_returncode (IO_PIPE_STREAM (reader), &code));

  spawn_ok (argv, NULL, NULL, &child_out, NULL, NULL);
  g_assert_false (io_pipe_stream_wait (IO_PIPE_STREAM (child_out), NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);

  spawn_ok (argv, NULL, NULL, &reaped_out, NULL, &pid);
  assert_child_exits (pid, 0);
  g_assert_false (io_pipe_stream_wait (IO_PIPE_STREAM (reaped_out), NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpint (io_error_get_errno (error), ==, ECHILD);
  g_assert_false (io_pipe_stream_get_returncode (IO_PIPE_STREAM (reaped_out), NULL));
}

/* Where the child's standard error goes, for each IoSpawnStderr. The
 * parent's own stderr is a pipe here, read back after the child exits. */
typedef struct
{
  IoSpawnStderr mode;
  const char *out;      /* what the child's stdout pipe gets */
  const char *parent;   /* what the parent's stderr gets */
} SpawnStderrCase;

static const SpawnStderrCase stderr_inherit = { IO_SPAWN_STDERR_INHERIT, "o\n", "e\n" };
static const SpawnStderrCase stderr_stdout = { IO_SPAWN_STDERR_STDOUT, "o\ne\n", "" };
static const SpawnStderrCase stderr_devnull = { IO_SPAWN_STDERR_DEVNULL, "o\n", "" };

static void
test_spawn_stderr_mode (Fixture       *fixture,
                        gconstpointer  data)
{
  const SpawnStderrCase *c = data;
  const char *argv[] = { "sh", "-c", "echo o; echo e >&2", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(IoStream) child_out = NULL;
  g_autoptr(IoStream) parent_err = NULL;
  IoStream *child_err = (IoStream *) 0x1;
  int fds[2];
  int saved_stderr = dup (STDERR_FILENO);
  GPid pid = 0;
  gboolean spawned;

  g_assert_cmpint (pipe2 (fds, O_CLOEXEC), ==, 0);
  g_assert_cmpint (dup2 (fds[1], STDERR_FILENO), ==, STDERR_FILENO);
  close (fds[1]);
  spawned = io_pipe_stream_spawn ((char **) argv, NULL, c->mode, NULL, &child_out, &child_err,
                                  &pid, &error);
  g_assert_cmpint (dup2 (saved_stderr, STDERR_FILENO), ==, STDERR_FILENO);
  close (saved_stderr);
  g_assert_no_error (error);
  g_assert_true (spawned);
  g_assert_null (child_err);

  test_util_assert_read_all (child_out, c->out);
  assert_waits (child_out, 0);
  parent_err = io_pipe_stream_new_for_fd (fds[0], "rb", TRUE, &error);
  g_assert_no_error (error);
  test_util_assert_read_all (parent_err, c->parent);
}

/* Merged into stdout when the child's stdout is inherited too: the
 * child's stderr is the parent's stdout. */
static void
test_spawn_stderr_to_inherited_stdout (Fixture       *fixture,
                                       gconstpointer  data)
{
  if (g_test_subprocess ())
    {
      const char *argv[] = { "sh", "-c", "echo merged >&2", NULL };
      g_autoptr(GError) error = NULL;
      g_autoptr(IoStream) child_in = NULL;
      GPid pid = 0;

      g_assert_true (io_pipe_stream_spawn ((char **) argv, NULL, IO_SPAWN_STDERR_STDOUT,
                                           &child_in, NULL, NULL, &pid, &error));
      g_assert_no_error (error);
      assert_waits (child_in, 0);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("merged\n");
  g_test_trap_assert_stderr ("");
}

/* IO_SPAWN_STDERR_PIPE without a place for the stream is a programmer
 * error: nothing is spawned. */
static void
test_spawn_pipe_without_stream (Fixture       *fixture,
                                gconstpointer  data)
{
  if (g_test_subprocess ())
    {
      const char *argv[] = { "true", NULL };
      g_autoptr(IoStream) child_out = NULL;

      io_pipe_stream_spawn ((char **) argv, NULL, IO_SPAWN_STDERR_PIPE, NULL, &child_out, NULL,
                            NULL, NULL);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CRITICAL*io_pipe_stream_spawn*stderr_stream != NULL*");
}

static const TestUtilCase cases[] = {
  TEST_UTIL_CASE ("pair", test_pair),
  TEST_UTIL_CASE ("not-seekable", test_not_seekable),
  TEST_UTIL_CASE ("eof", test_eof),
  TEST_UTIL_CASE_DATA ("broken-pipe/stream", test_broken_pipe, write_through_stream),
  TEST_UTIL_CASE_DATA ("broken-pipe/masked-write", test_broken_pipe, write_masked),
  TEST_UTIL_CASE ("broken-pipe/caller-blocks-sigpipe", test_broken_pipe_caller_blocks),
  TEST_UTIL_CASE ("broken-pipe/masked-write-threads", test_broken_pipe_masked_threads),
  TEST_UTIL_CASE ("broken-pipe/after-progress", test_broken_pipe_after_progress),
  TEST_UTIL_CASE ("broken-pipe/after-progress-masked", test_broken_pipe_after_progress_masked),
  TEST_UTIL_CASE ("would-block", test_would_block),
  TEST_UTIL_CASE ("nonblocking-property", test_nonblocking_property),
  TEST_UTIL_CASE ("threads-64mib", test_threads_64mib),
  TEST_UTIL_CASE ("eintr/read", test_eintr_read),
  TEST_UTIL_CASE ("eintr/write", test_eintr_write),
  TEST_UTIL_CASE ("eintr/write-masked", test_eintr_write_masked),
  TEST_UTIL_CASE ("eintr/interruptible", test_eintr_interruptible),
  TEST_UTIL_CASE ("fd/waits", test_fd_waits),
  TEST_UTIL_CASE ("fd/wrap", test_wrap_fd),
  TEST_UTIL_CASE ("fd/errors", test_wrap_fd_errors),
  TEST_UTIL_CASE ("std-streams", test_std_streams),
  TEST_UTIL_CASE ("spawn/cat", test_spawn_cat),
  TEST_UTIL_CASE_DATA ("spawn/stderr", test_spawn_script, &spawn_stderr),
  TEST_UTIL_CASE_DATA ("spawn/partial", test_spawn_script, &spawn_partial),
  TEST_UTIL_CASE_DATA ("spawn/error/missing", test_spawn_error, &spawn_missing),
  TEST_UTIL_CASE_DATA ("spawn/error/missing-in-path", test_spawn_error, &spawn_missing_in_path),
  TEST_UTIL_CASE_DATA ("spawn/error/not-executable", test_spawn_error, &spawn_not_executable),
  TEST_UTIL_CASE_DATA ("spawn/error/bad-cwd", test_spawn_error, &spawn_bad_cwd),
  TEST_UTIL_CASE_DATA ("spawn/error/cwd-not-directory", test_spawn_error, &spawn_cwd_not_dir),
  TEST_UTIL_CASE_DATA ("spawn/wait/exit", test_spawn_wait, "cat; exit 3"),
  TEST_UTIL_CASE_DATA ("spawn/wait/signal", test_spawn_wait, "kill -TERM $$"),
  TEST_UTIL_CASE ("spawn/wait/errors", test_spawn_wait_errors),
  TEST_UTIL_CASE_DATA ("spawn/stderr-mode/inherit", test_spawn_stderr_mode, &stderr_inherit),
  TEST_UTIL_CASE_DATA ("spawn/stderr-mode/stdout", test_spawn_stderr_mode, &stderr_stdout),
  TEST_UTIL_CASE_DATA ("spawn/stderr-mode/devnull", test_spawn_stderr_mode, &stderr_devnull),
  TEST_UTIL_CASE ("spawn/stderr-mode/stdout-inherited", test_spawn_stderr_to_inherited_stdout),
  TEST_UTIL_CASE ("spawn/stderr-mode/pipe-without-stream", test_spawn_pipe_without_stream),
  TEST_UTIL_CASE_DATA ("spawn/unreaped", test_spawn_script, &spawn_unreaped),
  TEST_UTIL_CASE ("spawn/with-stdin-closed", test_spawn_with_stdin_closed),
};

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  test_util_settle_glib_fds ();
  test_util_add_cases ("/Io/PipeStream/", sizeof (Fixture), (GTestFixtureFunc) fixture_setup,
                       (GTestFixtureFunc) fixture_teardown, cases, G_N_ELEMENTS (cases));
  return g_test_run ();
}
