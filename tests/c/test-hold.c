/* test-hold.c: how an asynchronous operation holds a stream (GIO's rule)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * While an asynchronous operation owns a stream, every other call fails at
 * once with G_IO_ERROR_PENDING, from any thread, the one that started it
 * included; the thread that runs the operation calls the stream as usual.
 * A synchronous call already inside is waited for, as any caller waits.
 */

#include "libstream.h"
#include "io-stream-private.h"
#include "test-util.h"

static void
assert_read_pending (IoStream *stream)
{
  g_autoptr(GError) error = NULL;
  guint8 byte;

  g_assert_cmpint (io_stream_read (stream, &byte, 1, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PENDING);
}

static gpointer
read_pending_in_thread (gpointer data)
{
  assert_read_pending (data);
  return NULL;
}

static gpointer
run_operation (gpointer data)
{
  IoStream *stream = data;
  g_autoptr(GError) error = NULL;
  guint8 buffer[2];

  io_stream_enter_async (stream);
  g_assert_cmpint (io_stream_read (stream, buffer, 2, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_cmpmem (buffer, 2, "ab", 2);
  g_assert_cmpint (io_stream_tell (stream, &error), ==, 2);
  io_stream_leave_async (stream);
  return NULL;
}

static void
test_pending_fails_others (void)
{
  IoStream *stream = test_util_memory_stream_new ("abcdef");
  g_autoptr(GError) error = NULL;
  guint8 byte;

  g_assert_true (io_stream_begin_async (stream, &error));
  g_assert_no_error (error);

  /* The starting thread, the inline path included, and another thread. */
  assert_read_pending (stream);
  g_assert_cmpint (io_stream_getc (stream, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PENDING);
  g_clear_error (&error);
  g_thread_join (g_thread_new ("other", read_pending_in_thread, stream));

  /* A second operation is refused, and so is closing. */
  g_assert_false (io_stream_begin_async (stream, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PENDING);
  g_clear_error (&error);
  g_assert_false (io_stream_close (stream, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PENDING);
  g_clear_error (&error);
  g_assert_false (io_stream_is_closed (stream));

  /* The operation's own thread goes on; the others still fail after it
   * left, until the operation ends. */
  g_thread_join (g_thread_new ("operation", run_operation, stream));
  assert_read_pending (stream);
  io_stream_end_async (stream);

  g_assert_cmpint (io_stream_read (stream, &byte, 1, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (byte, ==, 'c');
  g_assert_finalize_object (stream);
}

/* A read vfunc that lets the test in once it is inside, and waits. */
static TestUtilGate gate = TEST_UTIL_GATE_INIT;

static gssize
gated_read (gpointer  user_data,
            guint8   *buffer,
            gsize     count,
            GError  **error)
{
  test_util_gate_enter (&gate);
  buffer[0] = 'x';
  return 1;
}

static void
test_begin_waits_for_a_call_inside (void)
{
  static const IoStreamFuncs funcs = { sizeof (IoStreamFuncs), gated_read };
  IoStream *stream = io_stream_new_from_funcs (&funcs, NULL, NULL);
  g_autoptr(GError) error = NULL;
  GThread *reader;
  GThread *opener;

  reader = test_util_read1_in_thread (stream);
  test_util_gate_wait_inside (&gate);

  /* The read is inside: the operation waits for it instead of failing. */
  opener = test_util_gate_open_soon (&gate);
  g_assert_true (io_stream_begin_async (stream, &error));
  g_assert_no_error (error);
  g_assert_true (gate.open);
  io_stream_end_async (stream);

  g_thread_join (reader);
  g_thread_join (opener);
  g_assert_finalize_object (stream);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hold/pending-fails-others", test_pending_fails_others);
  g_test_add_func ("/hold/begin-waits-for-a-call-inside", test_begin_waits_for_a_call_inside);

  return g_test_run ();
}
