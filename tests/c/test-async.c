/* test-async.c: the asynchronous methods, their cancellation and GIO's
 * pending rule, on the memory, file and pipe streams
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "libstream.h"
#include "test-util.h"

/* The result an operation delivered, and where its callback ran. */
typedef struct
{
  GAsyncResult *result;
  GThread *thread;
  gboolean in_call;
} Wait;

static void
got_result (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  Wait *wait = data;

  g_assert_null (wait->result);
  g_assert_false (wait->in_call);
  wait->result = g_object_ref (result);
  wait->thread = g_thread_self ();
}

/* Spins the thread-default main context until @wait has its result, which
 * is delivered in this thread and never from inside the starting call. */
static GAsyncResult *
wait_result (Wait *wait)
{
  GMainContext *context = g_main_context_get_thread_default ();

  while (wait->result == NULL)
    g_main_context_iteration (context, TRUE);
  g_assert_true (wait->thread == g_thread_self ());
  return wait->result;
}

static void
wait_clear (Wait *wait)
{
  test_util_clear_result (&wait->result);
}

/* g_assert_finalize_object() for a stream a GTask thread used: the
 * thread drops its reference to the task, which holds the stream, a
 * moment after the callback may have run. */
static void
assert_finalize_soon (IoStream *stream)
{
  gpointer weak = stream;
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

  g_object_add_weak_pointer (G_OBJECT (stream), &weak);
  g_object_unref (stream);
  while (weak != NULL && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_null (weak);
}

#define START(wait, call) G_STMT_START { (wait)->in_call = TRUE; call; (wait)->in_call = FALSE; } G_STMT_END

typedef GBytes *(*BytesFinish) (IoStream *, GAsyncResult *, GError **);

static GBytes *
finish_bytes (IoStream    *stream,
              Wait        *wait,
              BytesFinish  finish,
              GError     **error)
{
  GBytes *bytes = finish (stream, wait_result (wait), error);

  wait_clear (wait);
  return bytes;
}

static GBytes *
read_bytes (IoStream *stream,
            gssize    size,
            GError  **error)
{
  Wait wait = { 0 };

  START (&wait, io_stream_read_bytes_async (stream, size, G_PRIORITY_DEFAULT, NULL,
                                            got_result, &wait));
  return finish_bytes (stream, &wait, io_stream_read_bytes_finish, error);
}

static GBytes *
read1_bytes (IoStream *stream,
             gssize    size,
             GError  **error)
{
  Wait wait = { 0 };

  START (&wait, io_stream_read1_bytes_async (stream, size, G_PRIORITY_DEFAULT, NULL,
                                             got_result, &wait));
  return finish_bytes (stream, &wait, io_stream_read1_bytes_finish, error);
}

static GBytes *
readall (IoStream *stream,
         GError  **error)
{
  Wait wait = { 0 };

  START (&wait, io_stream_readall_async (stream, G_PRIORITY_DEFAULT, NULL, got_result, &wait));
  return finish_bytes (stream, &wait, io_stream_readall_finish, error);
}

static GBytes *
readline (IoStream *stream,
          gssize    limit,
          GError  **error)
{
  Wait wait = { 0 };

  START (&wait, io_stream_readline_async (stream, limit, G_PRIORITY_DEFAULT, NULL,
                                          got_result, &wait));
  return finish_bytes (stream, &wait, io_stream_readline_finish, error);
}

static gssize
write_text (IoStream   *stream,
            const char *text,
            GError    **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  Wait wait = { 0 };
  gssize n;

  START (&wait, io_stream_write_bytes_async (stream, bytes, G_PRIORITY_DEFAULT, NULL,
                                             got_result, &wait));
  n = io_stream_write_bytes_finish (stream, wait_result (&wait), error);
  wait_clear (&wait);
  return n;
}

static gboolean
write_all_bytes (IoStream     *stream,
                 GBytes       *bytes,
                 GCancellable *cancellable,
                 gsize        *written,
                 GError      **error)
{
  Wait wait = { 0 };
  gboolean ok;

  START (&wait, io_stream_write_all_async (stream, bytes, G_PRIORITY_DEFAULT, cancellable,
                                           got_result, &wait));
  ok = io_stream_write_all_finish (stream, wait_result (&wait), written, error);
  /* What bindings read instead of the out-parameter. */
  g_assert_cmpuint (io_stream_get_write_all_progress (stream, wait.result), ==, *written);
  wait_clear (&wait);
  return ok;
}

typedef gboolean (*BooleanFinish) (IoStream *, GAsyncResult *, GError **);

static gboolean
finish_boolean (IoStream      *stream,
                Wait          *wait,
                BooleanFinish  finish,
                GError       **error)
{
  gboolean ok = finish (stream, wait_result (wait), error);

  wait_clear (wait);
  return ok;
}

static gboolean
flush (IoStream *stream,
       GError  **error)
{
  Wait wait = { 0 };

  START (&wait, io_stream_flush_async (stream, G_PRIORITY_DEFAULT, NULL, got_result, &wait));
  return finish_boolean (stream, &wait, io_stream_flush_finish, error);
}

static gboolean
close_stream (IoStream *stream,
              GError  **error)
{
  Wait wait = { 0 };

  START (&wait, io_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, got_result, &wait));
  return finish_boolean (stream, &wait, io_stream_close_finish, error);
}

/* Checks the bytes an operation gave against @expected, with no error,
 * and lets them go. */
static void
assert_got (GBytes      *got,
            GError     **error,
            const char  *expected,
            gsize        expected_len)
{
  g_assert_no_error (*error);
  test_util_assert_bytes (got, expected, expected_len);
  g_bytes_unref (got);
}

/* Every read on @reader, which holds "one\ntwo\nthree\nfour", and every
 * write on @writer, whose bytes @check_written reads back. */
static void
check_reads (IoStream *reader)
{
  g_autoptr(GError) error = NULL;

  assert_got (readline (reader, -1, &error), &error, "one\n", 4);
  assert_got (readline (reader, 2, &error), &error, "tw", 2);
  assert_got (read_bytes (reader, 3, &error), &error, "o\nt", 3);
  assert_got (read1_bytes (reader, 2, &error), &error, "hr", 2);
  assert_got (readall (reader, &error), &error, "ee\nfour", 7);
  /* The end: every read gives nothing. */
  assert_got (readline (reader, -1, &error), &error, "", 0);
  assert_got (read_bytes (reader, 5, &error), &error, "", 0);
}

static void
check_writes (IoStream *writer)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) rest = g_bytes_new_static ("three\nfour", 10);
  gsize written = 0;

  g_assert_cmpint (write_text (writer, "one\n", &error), ==, 4);
  g_assert_no_error (error);
  g_assert_cmpint (write_text (writer, "two\n", &error), ==, 4);
  g_assert_no_error (error);
  g_assert_true (write_all_bytes (writer, rest, NULL, &written, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (written, ==, 10);
  g_assert_true (flush (writer, &error));
  g_assert_no_error (error);
}

static void
check_close (IoStream *stream)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (close_stream (stream, &error));
  g_assert_no_error (error);
  g_assert_true (io_stream_is_closed (stream));
  g_assert_null (read_bytes (stream, 1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_clear_error (&error);
  g_assert_true (close_stream (stream, &error));
  g_assert_no_error (error);
}

static void
test_memory_ops (void)
{
  IoStream *stream = io_memory_stream_new (NULL, 0);
  g_autoptr(GError) error = NULL;

  check_writes (stream);
  test_util_seek_to (stream, 0, IO_WHENCE_SET, 0);
  check_reads (stream);
  check_close (stream);
  g_assert_finalize_object (stream);
}

static char *
tmp_path (char **dir)
{
  *dir = test_util_make_tmp_dir ("test-async-XXXXXX");
  return g_build_filename (*dir, "file", NULL);
}

static void
test_file_ops (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = tmp_path (&dir);
  g_autoptr(GError) error = NULL;
  IoStream *stream = io_file_stream_new (path, "w+", &error);

  g_assert_no_error (error);
  check_writes (stream);
  test_util_seek_to (stream, 0, IO_WHENCE_SET, 0);
  check_reads (stream);
  check_close (stream);
  assert_finalize_soon (stream);
  test_util_remove_tree (dir);
}

static void
new_pipe (IoStream **reader,
          IoStream **writer)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (io_pipe_stream_new_pair (reader, writer, &error));
  g_assert_no_error (error);
}

static void
test_pipe_ops (void)
{
  IoStream *reader, *writer;

  new_pipe (&reader, &writer);
  check_writes (writer);
  check_close (writer);
  check_reads (reader);
  check_close (reader);
  g_assert_finalize_object (reader);
  g_assert_finalize_object (writer);
}

/* A pipe's reads wait for the writer in the main loop. */
static gboolean
write_later (gpointer data)
{
  test_util_write_text (data, "late\n");
  return G_SOURCE_REMOVE;
}

static void
test_pipe_read_waits (void)
{
  IoStream *reader, *writer;
  g_autoptr(GError) error = NULL;

  new_pipe (&reader, &writer);
  g_timeout_add (20, write_later, writer);
  assert_got (readline (reader, -1, &error), &error, "late\n", 5);
  g_assert_finalize_object (reader);
  g_assert_finalize_object (writer);
}

/* Every kind of stream, with a cancellable cancelled before the start:
 * CANCELLED, and nothing moved. */
static void
check_cancelled_before (IoStream *stream,
                        gboolean  reads)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GBytes) bytes = g_bytes_new_static ("xyz", 3);
  g_autoptr(GError) error = NULL;
  Wait wait = { 0 };
  gsize written = 99;

  g_cancellable_cancel (cancellable);
  if (reads)
    {
      START (&wait, io_stream_read_bytes_async (stream, 2, G_PRIORITY_DEFAULT, cancellable,
                                                got_result, &wait));
      g_assert_null (io_stream_read_bytes_finish (stream, wait_result (&wait), &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_clear_error (&error);
      wait_clear (&wait);
      START (&wait, io_stream_readline_async (stream, -1, G_PRIORITY_DEFAULT, cancellable,
                                              got_result, &wait));
      g_assert_null (io_stream_readline_finish (stream, wait_result (&wait), &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_clear_error (&error);
      wait_clear (&wait);
    }
  else
    {
      g_assert_false (write_all_bytes (stream, bytes, cancellable, &written, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_cmpuint (written, ==, 0);
      g_clear_error (&error);
    }
  START (&wait, io_stream_close_async (stream, G_PRIORITY_DEFAULT, cancellable,
                                       got_result, &wait));
  g_assert_false (io_stream_close_finish (stream, wait_result (&wait), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  wait_clear (&wait);
  g_assert_false (io_stream_is_closed (stream));
}

static void
test_cancelled_before (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = tmp_path (&dir);
  g_autoptr(GError) error = NULL;
  IoStream *memory = test_util_memory_stream_new ("abc");
  IoStream *file;
  IoStream *reader, *writer;

  check_cancelled_before (memory, TRUE);
  check_cancelled_before (memory, FALSE);
  g_assert_cmpint (io_stream_tell (memory, &error), ==, 0);
  test_util_assert_read_all (memory, "abc");
  g_assert_finalize_object (memory);

  test_util_write_file (path, "abc", -1);
  file = io_file_stream_new (path, "r+", &error);
  g_assert_no_error (error);
  check_cancelled_before (file, TRUE);
  check_cancelled_before (file, FALSE);
  test_util_assert_read_all (file, "abc");
  assert_finalize_soon (file);

  new_pipe (&reader, &writer);
  test_util_write_text (writer, "abc");
  check_cancelled_before (reader, TRUE);
  check_cancelled_before (writer, FALSE);
  test_util_close_ok (writer);
  test_util_assert_read_all (reader, "abc");
  g_assert_finalize_object (reader);
  g_assert_finalize_object (writer);
  test_util_remove_tree (dir);
}

static gboolean
cancel_later (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

/* A cancel from a timeout ends a read waiting on an empty pipe at once:
 * with no byte written, only the cancellation can end it. */
static void
test_cancel_blocked_read (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  IoStream *reader, *writer;
  Wait wait = { 0 };

  new_pipe (&reader, &writer);
  g_timeout_add (20, cancel_later, cancellable);
  START (&wait, io_stream_read_bytes_async (reader, 10, G_PRIORITY_DEFAULT, cancellable,
                                            got_result, &wait));
  g_assert_null (io_stream_read_bytes_finish (reader, wait_result (&wait), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  wait_clear (&wait);

  /* The stream works on. */
  test_util_write_text (writer, "x\n");
  assert_got (readline (reader, -1, &error), &error, "x\n", 2);
  g_assert_finalize_object (reader);
  g_assert_finalize_object (writer);
}

/* Cancelled after some bytes came: they are returned, and the next read
 * reports the cancellation (no byte is lost). */
static void
test_cancel_partial_read (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  IoStream *reader, *writer;
  Wait wait = { 0 };
  GBytes *bytes;

  new_pipe (&reader, &writer);
  test_util_write_text (writer, "abc");
  g_timeout_add (20, cancel_later, cancellable);
  START (&wait, io_stream_readall_async (reader, G_PRIORITY_DEFAULT, cancellable,
                                         got_result, &wait));
  assert_got (io_stream_readall_finish (reader, wait_result (&wait), &error), &error, "abc", 3);
  wait_clear (&wait);

  bytes = read1_bytes (reader, 1, &error);
  g_assert_null (bytes);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_finalize_object (reader);
  g_assert_finalize_object (writer);
}

/* A descriptor that is always ready (/dev/zero, a character device, so
 * waited for in the main loop) does not hold the loop: readall() of it
 * never ends by itself, and a cancel from a source of the same priority
 * ends it, keeping what it read. */
static gboolean
cancel_now (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel_never_waiting (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  IoStream *zero = io_file_stream_new ("/dev/zero", "r", &error);
  Wait wait = { 0 };
  GBytes *bytes;

  g_assert_no_error (error);
  START (&wait, io_stream_readall_async (zero, G_PRIORITY_DEFAULT, cancellable,
                                         got_result, &wait));
  g_idle_add_full (G_PRIORITY_DEFAULT, cancel_now, cancellable, NULL);
  bytes = io_stream_readall_finish (zero, wait_result (&wait), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (bytes), >, 0);
  g_bytes_unref (bytes);
  wait_clear (&wait);
  g_assert_null (read1_bytes (zero, 1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_finalize_object (zero);
}

/* write_all() into a pipe nobody reads, cancelled: the error says how
 * much went in, and that is what the pipe holds. */
static void
test_cancel_write_all (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) back = NULL;
  IoStream *reader, *writer;
  gsize size = 4 * 1024 * 1024;
  gsize written = 0;

  new_pipe (&reader, &writer);
  bytes = g_bytes_new_take (g_malloc0 (size), size);
  g_timeout_add (20, cancel_later, cancellable);
  g_assert_false (write_all_bytes (writer, bytes, cancellable, &written, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (written, >, 0);
  g_assert_cmpuint (written, <, size);
  g_clear_error (&error);

  test_util_close_ok (writer);
  back = io_stream_readall (reader, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (back), ==, written);
  g_assert_finalize_object (reader);
  g_assert_finalize_object (writer);
}

/* write_all() into a pipe whose reader goes away once it is full: the
 * broken pipe says how much went in first. */
static gboolean
close_later (gpointer data)
{
  test_util_close_ok (data);
  return G_SOURCE_REMOVE;
}

static void
test_write_all_error_progress (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  IoStream *reader, *writer;
  gsize size = 4 * 1024 * 1024;
  gsize written = 0;

  new_pipe (&reader, &writer);
  bytes = g_bytes_new_take (g_malloc0 (size), size);
  g_timeout_add (20, close_later, reader);
  g_assert_false (write_all_bytes (writer, bytes, NULL, &written, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE);
  g_assert_cmpuint (written, >, 0);
  g_assert_cmpuint (written, <, size);
  g_assert_finalize_object (reader);
  g_assert_finalize_object (writer);
}

/* GIO's rule, and the serialisation with synchronous callers. */
static gpointer
read_in_thread (gpointer data)
{
  g_autoptr(GError) error = NULL;
  guint8 byte;

  g_assert_cmpint (io_stream_read (data, &byte, 1, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PENDING);
  return NULL;
}

typedef struct
{
  IoStream *stream;
  gboolean ran;
} InCallback;

/* The stream is free again when the callback runs. */
static void
use_in_callback (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  InCallback *in = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = io_stream_read_bytes_finish (in->stream, result, &error);
  guint8 byte;

  g_assert_no_error (error);
  test_util_assert_bytes (bytes, "a", 1);
  g_assert_cmpint (io_stream_read (in->stream, &byte, 1, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (byte, ==, 'b');
  in->ran = TRUE;
}

static void
check_pending (IoStream *stream)
{
  g_autoptr(GError) error = NULL;
  InCallback in = { stream, FALSE };
  Wait second = { 0 };
  guint8 byte;

  io_stream_read_bytes_async (stream, 1, G_PRIORITY_DEFAULT, NULL, use_in_callback, &in);
  /* Every call fails at once, from this thread and from another. */
  g_assert_cmpint (io_stream_read (stream, &byte, 1, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PENDING);
  g_clear_error (&error);
  g_assert_false (io_stream_close (stream, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PENDING);
  g_clear_error (&error);
  g_thread_join (g_thread_new ("other", read_in_thread, stream));
  START (&second, io_stream_read_bytes_async (stream, 1, G_PRIORITY_DEFAULT, NULL,
                                              got_result, &second));
  g_assert_null (io_stream_read_bytes_finish (stream, wait_result (&second), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PENDING);
  wait_clear (&second);

  while (!in.ran)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (io_stream_is_closed (stream));
}

static void
test_pending (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = tmp_path (&dir);
  g_autoptr(GError) error = NULL;
  IoStream *memory = test_util_memory_stream_new ("abc");
  IoStream *file;
  IoStream *reader, *writer;

  check_pending (memory);
  g_assert_finalize_object (memory);

  test_util_write_file (path, "abc", -1);
  file = io_file_stream_new (path, "r", &error);
  g_assert_no_error (error);
  check_pending (file);
  assert_finalize_soon (file);

  new_pipe (&reader, &writer);
  test_util_write_text (writer, "abc");
  check_pending (reader);
  g_assert_finalize_object (reader);
  g_assert_finalize_object (writer);
  test_util_remove_tree (dir);
}

/* A synchronous call inside the stream in another thread: the operation
 * starts after it, in turn, and sees what it did. */
static TestUtilGate gate = TEST_UTIL_GATE_INIT;

static gssize
gated_read (gpointer  user_data,
            guint8   *buffer,
            gsize     count,
            GError  **error)
{
  GThread **reader_thread = user_data;

  if (*reader_thread == NULL)
    test_util_gate_enter (&gate);
  else
    g_assert_true (*reader_thread != g_thread_self ());
  buffer[0] = 'x';
  return 1;
}

/* A backend without an override runs on a GTask thread, never the
 * caller's; and a call inside is waited for. */
static void
test_default_runs_in_thread (void)
{
  static const IoStreamFuncs funcs = { sizeof (IoStreamFuncs), gated_read };
  GThread *main_thread = NULL;
  IoStream *stream = io_stream_new_from_funcs (&funcs, &main_thread, NULL);
  g_autoptr(GError) error = NULL;
  GThread *reader, *opener;
  GBytes *bytes;

  reader = test_util_read1_in_thread (stream);
  test_util_gate_wait_inside (&gate);
  opener = test_util_gate_open_soon (&gate);
  main_thread = g_thread_self ();
  bytes = read1_bytes (stream, 1, &error);
  g_assert_no_error (error);
  g_assert_true (gate.open);
  test_util_assert_bytes (bytes, "x", 1);
  g_bytes_unref (bytes);
  g_thread_join (reader);
  g_thread_join (opener);
  assert_finalize_soon (stream);
}

/* 256 MiB through a pipe, both ends asynchronous in one main loop: no
 * thread but the main one ever runs (checked in a fresh process). */
#define BIG_TOTAL (256u * 1024 * 1024)
#define BIG_CHUNK (1024u * 1024)

typedef struct
{
  IoStream *reader;
  IoStream *writer;
  GMainLoop *loop;
  GThread *main_thread;
  gsize sent;
  gsize received;
  gboolean writer_done;
  gboolean reader_done;
} Big;

static GBytes *
big_chunk (gsize offset)
{
  guint8 *data = g_malloc (BIG_CHUNK);
  gsize i;

  for (i = 0; i < BIG_CHUNK; i++)
    data[i] = (guint8) ((offset + i) % 251);
  return g_bytes_new_take (data, BIG_CHUNK);
}

static void big_write_next (Big *big);

static void
big_wrote (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  Big *big = data;
  g_autoptr(GError) error = NULL;
  gsize written = 0;

  g_assert_true (g_thread_self () == big->main_thread);
  g_assert_true (io_stream_write_all_finish (big->writer, result, &written, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (written, ==, BIG_CHUNK);
  big->sent += written;
  big_write_next (big);
}

static void
big_write_next (Big *big)
{
  g_autoptr(GBytes) chunk = NULL;

  if (big->sent == BIG_TOTAL)
    {
      test_util_close_ok (big->writer);
      big->writer_done = TRUE;
      return;
    }
  chunk = big_chunk (big->sent);
  io_stream_write_all_async (big->writer, chunk, G_PRIORITY_DEFAULT, NULL, big_wrote, big);
}

static void
big_read (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  Big *big = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = io_stream_read1_bytes_finish (big->reader, result, &error);
  const guint8 *p;
  gsize len, i;

  g_assert_true (g_thread_self () == big->main_thread);
  g_assert_no_error (error);
  p = g_bytes_get_data (bytes, &len);
  for (i = 0; i < len; i++)
    if G_UNLIKELY (p[i] != (guint8) ((big->received + i) % 251))
      g_error ("byte %" G_GSIZE_FORMAT " is wrong", big->received + i);
  big->received += len;
  if (len == 0)
    {
      big->reader_done = TRUE;
      g_main_loop_quit (big->loop);
      return;
    }
  io_stream_read1_bytes_async (big->reader, 64 * 1024, G_PRIORITY_DEFAULT, NULL, big_read, big);
}

/* The threads of the process besides the main one, by name. GTask's
 * class init starts GLib's worker context thread, "gmain", which runs no
 * stream work; any other thread (a GTask pool thread among them) is
 * counted. Under ThreadSanitizer, one thread that bears the program's own
 * name, as the main thread does, is left out too: the sanitizer's
 * background thread, which it leaves unnamed. GLib names the threads it
 * starts ("pool-...", "gmain"), so none of them passes for it. */
static guint
count_other_threads (void)
{
  GDir *dir = g_dir_open ("/proc/self/task", 0, NULL);
  g_autofree char *main_tid = g_strdup_printf ("%d", (int) getpid ());
  g_autofree char *main_name = NULL;
#ifdef __SANITIZE_THREAD__
  gboolean sanitizer_thread_seen = FALSE;
#endif
  const char *tid;
  guint n = 0;

  g_assert_nonnull (dir);
  g_assert_true (g_file_get_contents ("/proc/self/comm", &main_name, NULL, NULL));
  while ((tid = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_strdup_printf ("/proc/self/task/%s/comm", tid);
      g_autofree char *name = NULL;

      if (strcmp (tid, main_tid) == 0 ||
          (g_file_get_contents (path, &name, NULL, NULL) && strcmp (name, "gmain\n") == 0))
        continue;
#ifdef __SANITIZE_THREAD__
      if (!sanitizer_thread_seen && name != NULL && strcmp (name, main_name) == 0)
        {
          sanitizer_thread_seen = TRUE;
          continue;
        }
#endif
      g_test_message ("thread %s: %s", tid, name != NULL ? name : "?");
      n++;
    }
  g_dir_close (dir);
  return n;
}

static void
test_big_pipe (void)
{
  if (g_test_subprocess ())
    {
      Big big = { 0 };

      g_assert_cmpuint (count_other_threads (), ==, 0);
      new_pipe (&big.reader, &big.writer);
      big.loop = g_main_loop_new (NULL, FALSE);
      big.main_thread = g_thread_self ();
      io_stream_read1_bytes_async (big.reader, 64 * 1024, G_PRIORITY_DEFAULT, NULL,
                                   big_read, &big);
      big_write_next (&big);
      g_main_loop_run (big.loop);

      g_assert_true (big.writer_done);
      g_assert_true (big.reader_done);
      g_assert_cmpuint (big.received, ==, BIG_TOTAL);
      /* No GTask thread, nor any other, was ever started. */
      g_assert_cmpuint (count_other_threads (), ==, 0);
      g_main_loop_unref (big.loop);
      g_assert_finalize_object (big.reader);
      g_assert_finalize_object (big.writer);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* The callback runs in the thread-default context of the caller, even in
 * another thread's context. */
static gpointer
ops_in_own_context (gpointer data)
{
  GMainContext *context = g_main_context_new ();
  IoStream *reader, *writer;

  g_main_context_push_thread_default (context);
  new_pipe (&reader, &writer);
  test_util_write_text (writer, "one\ntwo\nthree\nfour");
  test_util_close_ok (writer);
  check_reads (reader);
  g_assert_finalize_object (reader);
  g_assert_finalize_object (writer);
  g_main_context_pop_thread_default (context);
  g_main_context_unref (context);
  return NULL;
}

static void
test_thread_default_context (void)
{
  g_thread_join (g_thread_new ("context", ops_in_own_context, NULL));
}

/* A size below -1 is a runtime error, reported through the callback, and
 * leaves the stream free. */
static void
test_bad_size (void)
{
  IoStream *stream = test_util_memory_stream_new ("abc");
  g_autoptr(GError) error = NULL;

  g_assert_null (read_bytes (stream, -2, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (readline (stream, -5, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  assert_got (read_bytes (stream, -1, &error), &error, "abc", 3);
  g_assert_finalize_object (stream);
}

/* Programmer errors: criticals, and nothing starts. */
static void
test_preconditions (void)
{
  if (g_test_subprocess ())
    {
      IoStream *stream = test_util_memory_stream_new ("abc");
      IoStream *other = test_util_memory_stream_new ("xyz");
      g_autoptr(GError) error = NULL;
      Wait wait = { 0 };

      g_test_expect_message ("Io", G_LOG_LEVEL_CRITICAL, "*bytes != NULL*");
      io_stream_write_all_async (stream, NULL, G_PRIORITY_DEFAULT, NULL, got_result, &wait);
      g_test_assert_expected_messages ();
      g_test_expect_message ("Io", G_LOG_LEVEL_CRITICAL, "*IO_IS_STREAM*");
      io_stream_read_bytes_async (NULL, 1, G_PRIORITY_DEFAULT, NULL, got_result, &wait);
      g_test_assert_expected_messages ();

      /* A result of another stream's operation. */
      START (&wait, io_stream_read_bytes_async (other, 1, G_PRIORITY_DEFAULT, NULL,
                                                got_result, &wait));
      g_test_expect_message ("Io", G_LOG_LEVEL_CRITICAL, "*g_task_is_valid*");
      g_assert_null (io_stream_read_bytes_finish (stream, wait_result (&wait), &error));
      g_test_assert_expected_messages ();
      wait_clear (&wait);
      g_assert_finalize_object (stream);
      g_assert_finalize_object (other);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/async/big-pipe", test_big_pipe);
  g_test_add_func ("/async/memory/ops", test_memory_ops);
  g_test_add_func ("/async/file/ops", test_file_ops);
  g_test_add_func ("/async/pipe/ops", test_pipe_ops);
  g_test_add_func ("/async/pipe/read-waits", test_pipe_read_waits);
  g_test_add_func ("/async/cancel/before", test_cancelled_before);
  g_test_add_func ("/async/cancel/blocked-read", test_cancel_blocked_read);
  g_test_add_func ("/async/cancel/partial-read", test_cancel_partial_read);
  g_test_add_func ("/async/cancel/write-all", test_cancel_write_all);
  g_test_add_func ("/async/cancel/never-waiting", test_cancel_never_waiting);
  g_test_add_func ("/async/write-all/error-progress", test_write_all_error_progress);
  g_test_add_func ("/async/pending", test_pending);
  g_test_add_func ("/async/default-runs-in-thread", test_default_runs_in_thread);
  g_test_add_func ("/async/thread-default-context", test_thread_default_context);
  g_test_add_func ("/async/bad-size", test_bad_size);
  g_test_add_func ("/async/preconditions", test_preconditions);

  return g_test_run ();
}
