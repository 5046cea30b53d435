/* test-fault-stream.c: IoFaultStream, the fault-injection stream
 *
 * Every error kind on every operation, at a call and at an offset; short
 * reads and writes; the core's handling of an error after a partial
 * transfer; random faults replayed from their seed.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <errno.h>

#include "libstream.h"
#include "test-util.h"

#define CONTENT "hello, world"
#define CONTENT_LEN 12

/* A fault stream over a memory stream holding CONTENT, at 0. */
static IoFaultStream *
new_fault_stream (void)
{
  g_autoptr(IoStream) base = test_util_memory_stream_new (CONTENT);

  return IO_FAULT_STREAM (io_fault_stream_new (base));
}

static IoStream *
base_of (IoFaultStream *self)
{
  return io_filter_stream_get_base_stream (IO_FILTER_STREAM (self));
}

/* The content of @self's memory base. */
static void
assert_content (IoFaultStream *self,
                const char    *expected,
                gsize          expected_len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) value = io_memory_stream_get_value (IO_MEMORY_STREAM (base_of (self)),
                                                        &error);

  g_assert_no_error (error);
  test_util_assert_bytes (value, expected, expected_len);
}

/* @error is what a descriptor backend sets for @errsv. */
static void
assert_os_error (const GError *error,
                 int           errsv)
{
  g_autofree char *message = test_util_os_error_message (errsv, NULL);

  g_assert_nonnull (error);
  g_assert_error (error, G_IO_ERROR, (gint) g_io_error_from_errno (errsv));
  g_assert_cmpint (io_error_get_errno (error), ==, errsv);
  g_assert_cmpstr (error->message, ==, message);
}

static const struct
{
  IoFaultKind kind;
  int errsv;
  GIOErrorEnum code;
} error_kinds[] = {
  { IO_FAULT_KIND_INTERRUPTED, EINTR, G_IO_ERROR_FAILED },
  { IO_FAULT_KIND_WOULD_BLOCK, EAGAIN, G_IO_ERROR_WOULD_BLOCK },
  { IO_FAULT_KIND_NO_SPACE, ENOSPC, G_IO_ERROR_NO_SPACE },
  { IO_FAULT_KIND_FAIL, EIO, G_IO_ERROR_FAILED },
};

/* One call of @op on @self: its result (a count, a position, 1 for TRUE),
 * or -1 with @error set. */
static gint64
call_op (IoFaultStream  *self,
         IoFaultOp       op,
         GError        **error)
{
  IoStream *stream = IO_STREAM (self);
  guint8 buffer[4];

  switch (op)
    {
    case IO_FAULT_OP_READ:
      return io_stream_read1 (stream, buffer, sizeof buffer, error);
    case IO_FAULT_OP_WRITE:
      return io_stream_write (stream, (const guint8 *) "WXYZ", 4, error);
    case IO_FAULT_OP_FLUSH:
      return io_stream_flush (stream, error) ? 1 : -1;
    case IO_FAULT_OP_CLOSE:
      return io_stream_close (stream, error) ? 1 : -1;
    case IO_FAULT_OP_SEEK:
      return io_stream_seek (stream, 2, IO_WHENCE_SET, error);
    case IO_FAULT_OP_TELL:
      return io_stream_tell (stream, error);
    case IO_FAULT_OP_TRUNCATE:
      return io_stream_truncate (stream, 5, error);
    default:
      g_assert_not_reached ();
    }
}

/* What a successful call_op() of @op leaves in the base, read back. */
static const char *
content_after (IoFaultOp op)
{
  switch (op)
    {
    case IO_FAULT_OP_WRITE:
      return "WXYZo, world";
    case IO_FAULT_OP_TRUNCATE:
      return "hello";
    default:
      return CONTENT;
    }
}

static const IoFaultOp all_ops[] = {
  IO_FAULT_OP_READ, IO_FAULT_OP_WRITE, IO_FAULT_OP_FLUSH, IO_FAULT_OP_SEEK, IO_FAULT_OP_TELL,
  IO_FAULT_OP_TRUNCATE, IO_FAULT_OP_CLOSE,
};

/* Each error kind on each operation, at its first call: the call fails
 * with the backend's error and changes nothing; the next call goes
 * through. */
static void
test_error_at_call (void)
{
  for (gsize k = 0; k < G_N_ELEMENTS (error_kinds); k++)
    for (gsize o = 0; o < G_N_ELEMENTS (all_ops); o++)
      {
        IoFaultOp op = all_ops[o];
        g_autoptr(GError) error = NULL;
        IoFaultStream *self = new_fault_stream ();
        IoStream *base = g_object_ref (base_of (self));
        g_autofree char *op_name = g_flags_to_string (IO_TYPE_FAULT_OP, op);
        g_autofree char *kind_name = g_flags_to_string (IO_TYPE_FAULT_KIND, error_kinds[k].kind);

        g_test_message ("%s on %s", kind_name, op_name);
        io_fault_stream_add_fault (self, op, error_kinds[k].kind, 0, -1, 0, 1);
        g_assert_cmpint (call_op (self, op, &error), ==, -1);
        assert_os_error (error, error_kinds[k].errsv);
        g_assert_error (error, G_IO_ERROR, (gint) error_kinds[k].code);
        g_clear_error (&error);
        g_assert_cmpuint (io_fault_stream_get_faults (self, op), ==, 1);
        g_assert_cmpuint (io_fault_stream_get_faults (self, IO_FAULT_OP_ALL & ~op), ==, 0);
        g_assert_cmpuint (io_fault_stream_get_calls (self, op), ==, 1);

        if (op == IO_FAULT_OP_CLOSE)
          {
            /* close(2) releases the descriptor even when it fails: the
             * stream and its base are closed. */
            g_assert_true (io_stream_is_closed (IO_STREAM (self)));
            g_assert_true (io_stream_is_closed (base));
            g_assert_finalize_object (self);
            g_assert_finalize_object (base);
            continue;
          }

        /* Nothing moved, nothing changed. */
        g_assert_cmpint (io_fault_stream_get_offset (self), ==, 0);
        test_util_seek_to (base, 0, IO_WHENCE_CUR, 0);
        assert_content (self, CONTENT, CONTENT_LEN);

        /* The fault was for one call. */
        g_assert_cmpint (call_op (self, op, &error), >=, 0);
        g_assert_no_error (error);
        assert_content (self, content_after (op), strlen (content_after (op)));
        g_assert_cmpuint (io_fault_stream_get_faults (self, IO_FAULT_OP_ALL), ==, 1);
        g_assert_cmpuint (io_fault_stream_get_calls (self, op), ==, 2);

        test_util_close_ok (IO_STREAM (self));
        g_assert_true (io_stream_is_closed (base));
        g_assert_finalize_object (self);
        g_assert_finalize_object (base);
      }
}

/* at_call counts the calls of the fault's operations made after it was
 * added; the others do not count. */
static void
test_error_at_nth_call (void)
{
  g_autoptr(GError) error = NULL;
  IoFaultStream *self = new_fault_stream ();
  IoStream *stream = IO_STREAM (self);
  guint8 buffer[2];

  g_assert_cmpint (io_stream_read1 (stream, buffer, 2, &error), ==, 2);
  io_fault_stream_add_fault (self, IO_FAULT_OP_READ, IO_FAULT_KIND_FAIL, 3, -1, 0, 2);
  g_assert_cmpint (io_stream_read1 (stream, buffer, 2, &error), ==, 2);
  g_assert_cmpint (io_stream_tell (stream, &error), ==, 4);
  g_assert_cmpint (io_stream_read1 (stream, buffer, 2, &error), ==, 2);
  g_assert_no_error (error);
  /* The third and fourth reads since it was added fail, the fifth works. */
  g_assert_cmpint (io_stream_read1 (stream, buffer, 2, &error), ==, -1);
  assert_os_error (error, EIO);
  g_clear_error (&error);
  g_assert_cmpint (io_stream_read1 (stream, buffer, 2, &error), ==, -1);
  assert_os_error (error, EIO);
  g_clear_error (&error);
  g_assert_cmpint (io_stream_read1 (stream, buffer, 2, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_cmpmem (buffer, 2, " w", 2);
  g_assert_cmpuint (io_fault_stream_get_calls (self, IO_FAULT_OP_READ), ==, 6);
  g_assert_cmpuint (io_fault_stream_get_faults (self, IO_FAULT_OP_READ), ==, 2);

  g_assert_finalize_object (self);
}

/* A fault for several operations hits whichever comes; one with count 0
 * hits every call from then on. */
static void
test_ops_mask_and_forever (void)
{
  g_autoptr(GError) error = NULL;
  IoFaultStream *self = new_fault_stream ();
  IoStream *stream = IO_STREAM (self);
  guint8 buffer[2];

  io_fault_stream_add_fault (self, IO_FAULT_OP_READ | IO_FAULT_OP_SEEK,
                             IO_FAULT_KIND_WOULD_BLOCK, 2, -1, 0, 0);
  g_assert_cmpint (io_stream_seek (stream, 1, IO_WHENCE_SET, &error), ==, 1);
  g_assert_no_error (error);
  for (guint i = 0; i < 5; i++)
    {
      g_assert_cmpint (io_stream_read1 (stream, buffer, 2, &error), ==, -1);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
      g_clear_error (&error);
      g_assert_cmpint (io_stream_seek (stream, 0, IO_WHENCE_SET, &error), ==, -1);
      assert_os_error (error, EAGAIN);
      g_clear_error (&error);
    }
  /* Writes are not in the mask. */
  g_assert_cmpint (io_stream_write (stream, (const guint8 *) "E", 1, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpuint (io_fault_stream_get_faults (self, IO_FAULT_OP_READ | IO_FAULT_OP_SEEK), ==, 10);

  io_fault_stream_clear (self);
  g_assert_cmpint (io_stream_seek (stream, 0, IO_WHENCE_SET, &error), ==, 0);
  test_util_assert_read (stream, -1, "hEllo, world");
  /* Clearing keeps the counts. */
  g_assert_cmpuint (io_fault_stream_get_faults (self, IO_FAULT_OP_ALL), ==, 10);
  g_assert_cmpuint (io_fault_stream_get_calls (self, IO_FAULT_OP_WRITE), ==, 1);

  g_assert_finalize_object (self);
}

/* A short read shows in read1(); read() loops over it. */
static void
test_short_read (void)
{
  g_autoptr(GError) error = NULL;
  IoFaultStream *self = new_fault_stream ();
  IoStream *stream = IO_STREAM (self);
  guint8 buffer[CONTENT_LEN];

  io_fault_stream_add_fault (self, IO_FAULT_OP_READ, IO_FAULT_KIND_SHORT, 2, -1, 3, 1);
  g_assert_cmpint (io_stream_read1 (stream, buffer, 4, &error), ==, 4);
  g_assert_cmpint (io_stream_read1 (stream, buffer, 8, &error), ==, 3);
  g_assert_cmpmem (buffer, 3, "o, ", 3);
  g_assert_cmpint (io_fault_stream_get_offset (self), ==, 7);
  g_assert_no_error (error);

  io_fault_stream_add_fault (self, IO_FAULT_OP_READ, IO_FAULT_KIND_SHORT, 0, -1, 1, 3);
  g_assert_cmpint (io_stream_read (stream, buffer, 5, &error), ==, 5);
  g_assert_no_error (error);
  g_assert_cmpmem (buffer, 5, "world", 5);
  /* Three one-byte reads, then the rest in one. */
  g_assert_cmpuint (io_fault_stream_get_calls (self, IO_FAULT_OP_READ), ==, 6);
  g_assert_cmpuint (io_fault_stream_get_faults (self, IO_FAULT_OP_READ), ==, 4);

  g_assert_finalize_object (self);
}

/* A short write is retried by write(), as on a descriptor. */
static void
test_short_write (void)
{
  g_autoptr(GError) error = NULL;
  IoFaultStream *self = IO_FAULT_STREAM (io_fault_stream_new (NULL));
  IoStream *stream = IO_STREAM (self);

  io_fault_stream_add_fault (self, IO_FAULT_OP_WRITE, IO_FAULT_KIND_SHORT, 0, -1, 2, 3);
  g_assert_cmpint (io_stream_write (stream, (const guint8 *) "abcdefghij", 10, &error), ==, 10);
  g_assert_no_error (error);
  assert_content (self, "abcdefghij", 10);
  /* 2 + 2 + 2 + 4. */
  g_assert_cmpuint (io_fault_stream_get_calls (self, IO_FAULT_OP_WRITE), ==, 4);
  g_assert_cmpuint (io_fault_stream_get_faults (self, IO_FAULT_OP_WRITE), ==, 3);
  g_assert_cmpint (io_fault_stream_get_offset (self), ==, 10);

  g_assert_finalize_object (self);
}

/* ENOSPC at an offset: the write that crosses it stops there and returns
 * its count; the next write reports the error, as on a full disk, and the
 * disk stays full. */
static void
test_no_space_at_offset (void)
{
  g_autoptr(GError) error = NULL;
  IoFaultStream *self = IO_FAULT_STREAM (io_fault_stream_new (NULL));
  IoStream *stream = IO_STREAM (self);
  gsize written = 0;

  io_fault_stream_add_fault (self, IO_FAULT_OP_WRITE, IO_FAULT_KIND_NO_SPACE, 0, 6, 0, 0);
  g_assert_cmpint (io_stream_write (stream, (const guint8 *) "abcd", 4, &error), ==, 4);
  g_assert_cmpint (io_stream_write (stream, (const guint8 *) "efgh", 4, &error), ==, 2);
  g_assert_no_error (error);
  assert_content (self, "abcdef", 6);

  /* The error the partial write left, without a call. */
  g_assert_cmpint (io_stream_write (stream, (const guint8 *) "x", 1, &error), ==, -1);
  assert_os_error (error, ENOSPC);
  g_clear_error (&error);
  g_assert_cmpuint (io_fault_stream_get_calls (self, IO_FAULT_OP_WRITE), ==, 3);
  /* Then the full disk itself, with write_all()'s count. */
  g_assert_false (io_stream_write_all (stream, (const guint8 *) "y", 1, &written, &error));
  assert_os_error (error, ENOSPC);
  g_clear_error (&error);
  g_assert_cmpuint (written, ==, 0);
  g_assert_cmpuint (io_fault_stream_get_faults (self, IO_FAULT_OP_WRITE), ==, 2);

  /* Before the offset there is room. */
  test_util_seek_to (stream, 0, IO_WHENCE_SET, 0);
  g_assert_cmpint (io_stream_write (stream, (const guint8 *) "AB", 2, &error), ==, 2);
  g_assert_no_error (error);
  assert_content (self, "ABcdef", 6);

  g_assert_finalize_object (self);
}

/* The errors of a flush left pending: close() reports ENOSPC too. */
static void
test_no_space_reported_by_close (void)
{
  g_autoptr(GError) error = NULL;
  IoFaultStream *self = IO_FAULT_STREAM (io_fault_stream_new (NULL));
  IoStream *stream = IO_STREAM (self);
  IoStream *base = g_object_ref (base_of (self));

  io_fault_stream_add_fault (self, IO_FAULT_OP_WRITE, IO_FAULT_KIND_NO_SPACE, 0, 3, 0, 0);
  g_assert_cmpint (io_stream_write (stream, (const guint8 *) "abcdef", 6, &error), ==, 3);
  g_assert_false (io_stream_close (stream, &error));
  assert_os_error (error, ENOSPC);
  g_assert_true (io_stream_is_closed (stream));
  g_assert_true (io_stream_is_closed (base));

  g_assert_finalize_object (self);
  g_assert_finalize_object (base);
}

/* EINTR at an offset: the read crossing it keeps its bytes, the next read
 * reports the interruption, the one after goes on. */
static void
test_interrupted_read_at_offset (void)
{
  g_autoptr(GError) error = NULL;
  IoFaultStream *self = new_fault_stream ();
  IoStream *stream = IO_STREAM (self);
  guint8 buffer[CONTENT_LEN];

  io_fault_stream_add_fault (self, IO_FAULT_OP_READ, IO_FAULT_KIND_INTERRUPTED, 0, 5, 0, 1);
  g_assert_cmpint (io_stream_read (stream, buffer, CONTENT_LEN, &error), ==, 5);
  g_assert_no_error (error);
  g_assert_cmpmem (buffer, 5, "hello", 5);
  g_assert_cmpint (io_stream_read (stream, buffer, CONTENT_LEN, &error), ==, -1);
  assert_os_error (error, EINTR);
  g_clear_error (&error);
  test_util_assert_read (stream, -1, ", world");

  g_assert_finalize_object (self);
}

/* Each error kind on reads and writes at an offset, through read1() and
 * write(): the call crossing the offset is cut at it, the next fails. */
static void
test_error_at_offset (void)
{
  for (gsize k = 0; k < G_N_ELEMENTS (error_kinds); k++)
    for (IoFaultOp op = IO_FAULT_OP_READ; op <= IO_FAULT_OP_WRITE; op <<= 1)
      {
        g_autoptr(GError) error = NULL;
        IoFaultStream *self = new_fault_stream ();
        IoStream *stream = IO_STREAM (self);
        guint8 buffer[8];

        io_fault_stream_add_fault (self, op, error_kinds[k].kind, 0, 3, 0, 1);
        if (op == IO_FAULT_OP_READ)
          {
            g_assert_cmpint (io_stream_read1 (stream, buffer, 8, &error), ==, 3);
            g_assert_cmpint (io_stream_read1 (stream, buffer, 8, &error), ==, -1);
          }
        else
          {
            g_assert_cmpint (io_stream_write (stream, (const guint8 *) "ABCDEFGH", 8, &error),
                             ==, 3);
            if (error_kinds[k].kind == IO_FAULT_KIND_WOULD_BLOCK)
              {
                /* write()'s loop hit the fault after 3 bytes: a would-block
                 * after progress is no error, and nothing is left pending. */
                g_assert_cmpint (io_stream_write (stream, (const guint8 *) "IJ", 2, &error),
                                 ==, 2);
                g_assert_no_error (error);
                assert_content (self, "ABCIJ, world", CONTENT_LEN);
                g_assert_cmpuint (io_fault_stream_get_faults (self, op), ==, 1);
                g_assert_finalize_object (self);
                continue;
              }
            /* Any other error waits for the next write. */
            g_assert_cmpint (io_stream_write (stream, (const guint8 *) "IJ", 2, &error),
                             ==, -1);
          }
        assert_os_error (error, error_kinds[k].errsv);
        g_clear_error (&error);
        g_assert_cmpint (io_fault_stream_get_offset (self), ==, 3);
        if (op == IO_FAULT_OP_WRITE)
          assert_content (self, "ABClo, world", CONTENT_LEN);
        g_assert_cmpuint (io_fault_stream_get_faults (self, op), ==, 1);
        g_assert_finalize_object (self);
      }
}

/* Each error kind on each other operation at an offset: they compare it
 * with the position, so the call succeeds before it and fails from it on. */
static void
test_error_at_position (void)
{
  for (gsize k = 0; k < G_N_ELEMENTS (error_kinds); k++)
    for (gsize o = 0; o < G_N_ELEMENTS (all_ops); o++)
      {
        IoFaultOp op = all_ops[o];
        g_autoptr(GError) error = NULL;
        IoFaultStream *self;
        guint8 buffer[4];

        if ((op & (IO_FAULT_OP_READ | IO_FAULT_OP_WRITE)) != 0)
          continue;
        self = new_fault_stream ();
        io_fault_stream_add_fault (self, op, error_kinds[k].kind, 0, 3, 0, 1);
        if (op != IO_FAULT_OP_CLOSE)
          {
            g_assert_cmpint (call_op (self, op, &error), >=, 0);
            g_assert_no_error (error);
            test_util_seek_to (IO_STREAM (self), 0, IO_WHENCE_SET, 0);
          }
        g_assert_cmpint (io_stream_read1 (IO_STREAM (self), buffer, 3, &error), ==, 3);
        g_assert_cmpuint (io_fault_stream_get_faults (self, IO_FAULT_OP_ALL), ==, 0);
        g_assert_cmpint (call_op (self, op, &error), ==, -1);
        assert_os_error (error, error_kinds[k].errsv);
        g_assert_cmpuint (io_fault_stream_get_faults (self, op), ==, 1);
        g_assert_finalize_object (self);
      }
}

/* A short read at an offset: cut there first, then short. */
static void
test_short_at_offset (void)
{
  g_autoptr(GError) error = NULL;
  IoFaultStream *self = new_fault_stream ();
  IoStream *stream = IO_STREAM (self);
  guint8 buffer[8];

  io_fault_stream_add_fault (self, IO_FAULT_OP_READ, IO_FAULT_KIND_SHORT, 0, 2, 1, 2);
  g_assert_cmpint (io_stream_read1 (stream, buffer, 8, &error), ==, 2);
  g_assert_cmpint (io_stream_read1 (stream, buffer, 8, &error), ==, 1);
  g_assert_cmpint (io_stream_read1 (stream, buffer, 8, &error), ==, 1);
  g_assert_cmpmem (buffer, 1, "l", 1);
  g_assert_cmpint (io_stream_read1 (stream, buffer, 8, &error), ==, 8);
  g_assert_cmpmem (buffer, 8, "o, world", 8);
  g_assert_no_error (error);
  g_assert_cmpuint (io_fault_stream_get_faults (self, IO_FAULT_OP_READ), ==, 2);

  g_assert_finalize_object (self);
}

/* Over a pipe, which cannot tell: offsets count from 0 through the reads. */
static void
test_over_pipe (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IoStream) reader = NULL;
  g_autoptr(IoStream) writer = NULL;
  IoFaultStream *self;
  guint8 buffer[8];

  g_assert_true (io_pipe_stream_new_pair (&reader, &writer, &error));
  g_assert_no_error (error);
  test_util_write_text (writer, "hello");
  test_util_close_ok (writer);
  self = IO_FAULT_STREAM (io_fault_stream_new (reader));
  g_assert_false (io_stream_seekable (IO_STREAM (self), &error));
  g_assert_cmpint (io_fault_stream_get_offset (self), ==, 0);
  io_fault_stream_add_fault (self, IO_FAULT_OP_READ, IO_FAULT_KIND_WOULD_BLOCK, 0, 2, 0, 1);
  g_assert_cmpint (io_stream_read1 (IO_STREAM (self), buffer, 8, &error), ==, 2);
  g_assert_cmpint (io_stream_read1 (IO_STREAM (self), buffer, 8, &error), ==, -1);
  assert_os_error (error, EAGAIN);
  g_clear_error (&error);
  test_util_assert_read (IO_STREAM (self), -1, "llo");
  g_assert_cmpint (io_fault_stream_get_offset (self), ==, 5);

  g_assert_finalize_object (self);
}

/* Other operations compare the offset with the position. */
static void
test_seek_fault_at_offset (void)
{
  g_autoptr(GError) error = NULL;
  IoFaultStream *self = new_fault_stream ();
  IoStream *stream = IO_STREAM (self);

  io_fault_stream_add_fault (self, IO_FAULT_OP_SEEK | IO_FAULT_OP_TRUNCATE, IO_FAULT_KIND_FAIL,
                             0, 4, 0, 0);
  test_util_seek_to (stream, 3, IO_WHENCE_SET, 3);
  g_assert_cmpint (io_stream_truncate (stream, 10, &error), ==, 10);
  test_util_seek_to (stream, 5, IO_WHENCE_SET, 5);
  g_assert_cmpint (io_stream_seek (stream, 0, IO_WHENCE_SET, &error), ==, -1);
  assert_os_error (error, EIO);
  g_clear_error (&error);
  g_assert_cmpint (io_stream_truncate (stream, 2, &error), ==, -1);
  assert_os_error (error, EIO);
  g_clear_error (&error);
  assert_content (self, "hello, wor", 10);

  g_assert_finalize_object (self);
}

/* The first fault added wins a call; the others still count it. */
static void
test_first_fault_wins (void)
{
  g_autoptr(GError) error = NULL;
  IoFaultStream *self = new_fault_stream ();
  IoStream *stream = IO_STREAM (self);

  io_fault_stream_add_fault (self, IO_FAULT_OP_FLUSH, IO_FAULT_KIND_NO_SPACE, 0, -1, 0, 1);
  io_fault_stream_add_fault (self, IO_FAULT_OP_FLUSH, IO_FAULT_KIND_FAIL, 0, -1, 0, 1);
  io_fault_stream_add_fault (self, IO_FAULT_OP_FLUSH, IO_FAULT_KIND_INTERRUPTED, 2, -1, 0, 1);
  g_assert_false (io_stream_flush (stream, &error));
  assert_os_error (error, ENOSPC);
  g_clear_error (&error);
  /* The second fault has seen one call, and hits this one. */
  g_assert_false (io_stream_flush (stream, &error));
  assert_os_error (error, EIO);
  g_clear_error (&error);
  /* The third, armed from the second call on, hits the first free one. */
  g_assert_false (io_stream_flush (stream, &error));
  assert_os_error (error, EINTR);
  g_clear_error (&error);
  g_assert_true (io_stream_flush (stream, &error));
  g_assert_no_error (error);

  g_assert_finalize_object (self);
}

/* A failing close closes the stream, and its base unless close-base is
 * off. */
static void
test_close_fault_keeps_base (void)
{
  g_autoptr(GError) error = NULL;
  IoFaultStream *self = new_fault_stream ();
  IoStream *base = g_object_ref (base_of (self));

  io_filter_stream_set_close_base (IO_FILTER_STREAM (self), FALSE);
  io_fault_stream_add_fault (self, IO_FAULT_OP_CLOSE, IO_FAULT_KIND_FAIL, 0, -1, 0, 1);
  g_assert_false (io_stream_close (IO_STREAM (self), &error));
  assert_os_error (error, EIO);
  g_assert_true (io_stream_is_closed (IO_STREAM (self)));
  g_assert_false (io_stream_is_closed (base));
  test_util_assert_read (base, -1, CONTENT);

  g_assert_finalize_object (self);
  g_assert_finalize_object (base);
}

/* Two fault streams stacked: a failing close of the base reaches the top,
 * unless the top's own close fault comes first. */
static void
test_close_fault_of_base (void)
{
  for (guint top_fails = 0; top_fails < 2; top_fails++)
    {
      g_autoptr(GError) error = NULL;
      IoFaultStream *inner = IO_FAULT_STREAM (io_fault_stream_new (NULL));
      IoFaultStream *outer = IO_FAULT_STREAM (io_fault_stream_new (IO_STREAM (inner)));

      io_fault_stream_add_fault (inner, IO_FAULT_OP_CLOSE, IO_FAULT_KIND_FAIL, 0, -1, 0, 1);
      if (top_fails)
        io_fault_stream_add_fault (outer, IO_FAULT_OP_CLOSE, IO_FAULT_KIND_NO_SPACE, 0, -1, 0, 1);
      g_assert_false (io_stream_close (IO_STREAM (outer), &error));
      assert_os_error (error, top_fails ? ENOSPC : EIO);
      g_assert_true (io_stream_is_closed (IO_STREAM (outer)));
      g_assert_true (io_stream_is_closed (IO_STREAM (inner)));
      g_assert_cmpuint (io_fault_stream_get_faults (inner, IO_FAULT_OP_CLOSE), ==, 1);
      g_assert_finalize_object (outer);
      g_assert_finalize_object (inner);
    }
}

/* Made without a base, over its own memory; over a base, from the base's
 * position. */
static void
test_construction (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IoStream) base = test_util_memory_stream_new (CONTENT);
  IoFaultStream *self;

  self = g_object_new (IO_TYPE_FAULT_STREAM, NULL);
  g_assert_true (IO_IS_MEMORY_STREAM (base_of (self)));
  g_assert_true (io_stream_readable (IO_STREAM (self), &error));
  g_assert_true (io_stream_writable (IO_STREAM (self), &error));
  g_assert_true (io_stream_seekable (IO_STREAM (self), &error));
  g_assert_finalize_object (self);

  test_util_seek_to (base, 7, IO_WHENCE_SET, 7);
  self = IO_FAULT_STREAM (io_fault_stream_new (base));
  g_assert_true (base_of (self) == base);
  g_assert_cmpint (io_fault_stream_get_offset (self), ==, 7);
  io_fault_stream_add_fault (self, IO_FAULT_OP_READ, IO_FAULT_KIND_FAIL, 0, 9, 0, 1);
  /* The read stops at the fault's offset, the next one reports it. */
  test_util_assert_read (IO_STREAM (self), 5, "wo");
  g_assert_null (io_stream_read_bytes (IO_STREAM (self), 4, &error));
  assert_os_error (error, EIO);
  g_clear_error (&error);
  g_assert_cmpuint (io_fault_stream_get_faults (self, IO_FAULT_OP_READ), ==, 1);

  /* Raw: a peek is a read and a seek back, which faults can hit. */
  io_fault_stream_add_fault (self, IO_FAULT_OP_SEEK, IO_FAULT_KIND_FAIL, 0, -1, 0, 1);
  g_assert_null (io_stream_peek (IO_STREAM (self), 1, &error));
  assert_os_error (error, EIO);
  g_clear_error (&error);
  g_assert_cmpuint (io_fault_stream_get_calls (self, IO_FAULT_OP_READ), ==, 3);

  /* detach() gives the base back, as for every filter. */
  g_assert_true (io_filter_stream_detach (IO_FILTER_STREAM (self), &error) == base);
  g_assert_no_error (error);
  g_object_unref (base);
  g_assert_finalize_object (self);
}

/* The outcome of each call of a fixed sequence, for two runs to compare. */
static GString *
random_run (guint32 seed,
            double  probability)
{
  g_autoptr(GError) error = NULL;
  IoFaultStream *self = IO_FAULT_STREAM (io_fault_stream_new (NULL));
  IoStream *stream = IO_STREAM (self);
  GString *log = g_string_new (NULL);
  guint8 buffer[16];

  io_fault_stream_set_random (self, seed, probability, IO_FAULT_OP_ALL & ~IO_FAULT_OP_CLOSE,
                              IO_FAULT_KIND_ALL);
  for (guint i = 0; i < 200; i++)
    {
      gint64 n;

      switch (i % 4)
        {
        case 0:
          n = io_stream_write (stream, (const guint8 *) "0123456789abcdef", 16, &error);
          break;
        case 1:
          n = io_stream_seek (stream, -8, IO_WHENCE_CUR, &error);
          break;
        case 2:
          n = io_stream_read1 (stream, buffer, 16, &error);
          break;
        default:
          n = io_stream_flush (stream, &error) ? 1 : -1;
          break;
        }
      g_string_append_printf (log, "%" G_GINT64_FORMAT ":%d ", n,
                              error != NULL ? io_error_get_errno (error) : 0);
      g_clear_error (&error);
    }
  g_string_append_printf (log, "faults %" G_GUINT64_FORMAT,
                          io_fault_stream_get_faults (self, IO_FAULT_OP_ALL));
  io_fault_stream_clear (self);
  g_assert_finalize_object (self);
  return log;
}

static void
test_random_reproducible (void)
{
  g_autoptr(GString) first = random_run (1234, 0.3);
  g_autoptr(GString) again = random_run (1234, 0.3);
  g_autoptr(GString) other = random_run (4321, 0.3);
  g_autoptr(GString) none = random_run (1234, 0.0);

  g_test_message ("%s", first->str);
  g_assert_cmpstr (first->str, ==, again->str);
  g_assert_cmpstr (first->str, !=, other->str);
  /* Every kind came up: short writes and reads, and each errno. */
  g_assert_nonnull (strstr (first->str, ":4 "));
  g_assert_nonnull (strstr (first->str, ":11 "));
  g_assert_nonnull (strstr (first->str, ":28 "));
  g_assert_nonnull (strstr (first->str, ":5 "));
  g_assert_true (g_str_has_suffix (none->str, "faults 0"));
  g_assert_null (strstr (none->str, "-1:"));
}

/* Random short reads only: every read1() of 2 bytes or more is short,
 * never empty; a 1-byte read cannot be short. */
static void
test_random_short (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IoStream) base = test_util_memory_stream_new (CONTENT CONTENT CONTENT);
  IoFaultStream *self = IO_FAULT_STREAM (io_fault_stream_new (base));
  IoStream *stream = IO_STREAM (self);
  g_autoptr(GByteArray) got = g_byte_array_new ();
  guint8 buffer[8];
  gssize n;

  io_fault_stream_set_random (self, 7, 1.0, IO_FAULT_OP_READ, IO_FAULT_KIND_SHORT);
  while ((n = io_stream_read1 (stream, buffer, sizeof buffer, &error)) > 0)
    {
      g_assert_cmpint (n, <, (gssize) sizeof buffer);
      g_byte_array_append (got, buffer, (guint) n);
    }
  g_assert_no_error (error);
  g_assert_cmpmem (got->data, got->len, CONTENT CONTENT CONTENT, 3 * CONTENT_LEN);
  test_util_seek_to (stream, 0, IO_WHENCE_SET, 0);
  g_assert_cmpint (io_stream_read1 (stream, buffer, 1, &error), ==, 1);
  g_assert_cmpuint (io_fault_stream_get_faults (self, IO_FAULT_OP_READ),
                    ==, io_fault_stream_get_calls (self, IO_FAULT_OP_READ) - 1);

  g_assert_finalize_object (self);
}

/* A writer that retries what a real one may retry loses nothing under
 * random transient faults. */
static void
test_random_transient_writes (void)
{
  g_autoptr(GError) error = NULL;
  IoFaultStream *self = IO_FAULT_STREAM (io_fault_stream_new (NULL));
  IoStream *stream = IO_STREAM (self);
  g_autoptr(GString) model = g_string_new (NULL);

  io_fault_stream_set_random (self, 99, 0.5, IO_FAULT_OP_WRITE,
                              IO_FAULT_KIND_SHORT | IO_FAULT_KIND_INTERRUPTED |
                              IO_FAULT_KIND_WOULD_BLOCK);
  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *chunk = g_strdup_printf ("<%u>", i);
      gsize len = strlen (chunk);
      gsize done = 0;

      while (done < len)
        {
          gssize n = io_stream_write (stream, (const guint8 *) chunk + done, len - done, &error);

          if (n < 0)
            {
              g_assert_true (io_error_get_errno (error) == EINTR ||
                             io_error_get_errno (error) == EAGAIN);
              g_clear_error (&error);
              continue;
            }
          done += (gsize) n;
        }
      g_string_append (model, chunk);
    }
  g_assert_cmpuint (io_fault_stream_get_faults (self, IO_FAULT_OP_WRITE), >, 100);
  assert_content (self, model->str, model->len);

  g_assert_finalize_object (self);
}

static const char *precondition_cases[] = {
  "short-flush", "short-zero", "two-kinds", "no-op", "offset", "probability",
};

/* Each misuse is a critical naming the function. */
static void
test_precondition (gconstpointer data)
{
  const char *which = data;
  g_autoptr(IoStream) stream = NULL;
  IoFaultStream *self;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_failed ();
      g_test_trap_assert_stderr ("*CRITICAL*io_fault_stream_*");
      return;
    }

  stream = io_fault_stream_new (NULL);
  self = IO_FAULT_STREAM (stream);
  if (g_str_equal (which, "short-flush"))
    io_fault_stream_add_fault (self, IO_FAULT_OP_FLUSH, IO_FAULT_KIND_SHORT, 0, -1, 1, 1);
  else if (g_str_equal (which, "short-zero"))
    io_fault_stream_add_fault (self, IO_FAULT_OP_READ, IO_FAULT_KIND_SHORT, 0, -1, 0, 1);
  else if (g_str_equal (which, "two-kinds"))
    io_fault_stream_add_fault (self, IO_FAULT_OP_READ,
                               IO_FAULT_KIND_FAIL | IO_FAULT_KIND_NO_SPACE, 0, -1, 0, 1);
  else if (g_str_equal (which, "no-op"))
    io_fault_stream_add_fault (self, IO_FAULT_OP_NONE, IO_FAULT_KIND_FAIL, 0, -1, 0, 1);
  else if (g_str_equal (which, "offset"))
    io_fault_stream_add_fault (self, IO_FAULT_OP_READ, IO_FAULT_KIND_FAIL, 0, -2, 0, 1);
  else
    io_fault_stream_set_random (self, 1, 1.5, IO_FAULT_OP_READ, IO_FAULT_KIND_FAIL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Io/FaultStream/construction", test_construction);
  g_test_add_func ("/Io/FaultStream/error-at-call", test_error_at_call);
  g_test_add_func ("/Io/FaultStream/error-at-nth-call", test_error_at_nth_call);
  g_test_add_func ("/Io/FaultStream/ops-mask-and-forever", test_ops_mask_and_forever);
  g_test_add_func ("/Io/FaultStream/error-at-offset", test_error_at_offset);
  g_test_add_func ("/Io/FaultStream/error-at-position", test_error_at_position);
  g_test_add_func ("/Io/FaultStream/short-at-offset", test_short_at_offset);
  g_test_add_func ("/Io/FaultStream/over-pipe", test_over_pipe);
  g_test_add_func ("/Io/FaultStream/short-read", test_short_read);
  g_test_add_func ("/Io/FaultStream/short-write", test_short_write);
  g_test_add_func ("/Io/FaultStream/no-space-at-offset", test_no_space_at_offset);
  g_test_add_func ("/Io/FaultStream/no-space-reported-by-close", test_no_space_reported_by_close);
  g_test_add_func ("/Io/FaultStream/interrupted-read-at-offset", test_interrupted_read_at_offset);
  g_test_add_func ("/Io/FaultStream/seek-fault-at-offset", test_seek_fault_at_offset);
  g_test_add_func ("/Io/FaultStream/first-fault-wins", test_first_fault_wins);
  g_test_add_func ("/Io/FaultStream/close-fault-keeps-base", test_close_fault_keeps_base);
  g_test_add_func ("/Io/FaultStream/close-fault-of-base", test_close_fault_of_base);
  g_test_add_func ("/Io/FaultStream/random-reproducible", test_random_reproducible);
  g_test_add_func ("/Io/FaultStream/random-short", test_random_short);
  g_test_add_func ("/Io/FaultStream/random-transient-writes", test_random_transient_writes);
  for (gsize i = 0; i < G_N_ELEMENTS (precondition_cases); i++)
    {
      g_autofree char *path = g_strconcat ("/Io/FaultStream/precondition/",
                                           precondition_cases[i], NULL);

      g_test_add_data_func (path, precondition_cases[i], test_precondition);
    }

  return g_test_run ();
}
