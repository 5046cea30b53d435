/* io-stream-async.c: the asynchronous methods of IoStream, GIO's way
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib-unix.h>

#include "io-stream-async-private.h"
#include "io-stream-async.h"
#include "io-stream-inline-private.h"

/* How an operation runs (docs/async.md):
 *
 * - The public method checks what it can at once (the stream, a size
 *   below -1, GIO's pending rule, a cancellable already cancelled) and
 *   reports a failure through a GTask tagged with itself, as GIO does.
 *   Otherwise it takes the stream for the operation with
 *   io_stream_begin_async() and calls the vfunc with a callback of its
 *   own, which gives the stream back (io_stream_end_async()) just before
 *   the caller's callback runs.
 * - The default vfuncs describe the operation (an IoStreamAsyncOp, the
 *   task data) and hand the task to the runner the backend chose: a GTask
 *   thread, the calling thread at once, or steps in the caller's main
 *   context that wait on a descriptor.
 * - Whoever runs the operation enters the stream (io_stream_enter_async())
 *   around its calls of the ordinary methods and leaves it before the task
 *   returns.
 */

static void start (IoStream            *self,
                   int                  kind,
                   gssize               size,
                   GBytes              *bytes,
                   int                  io_priority,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data);

typedef enum
{
  OP_READ,
  OP_READ1,
  OP_READALL,
  OP_READLINE,
  OP_WRITE,
  OP_WRITE_ALL,
  OP_FLUSH,
  OP_CLOSE,
} OpKind;

typedef struct
{
  OpKind kind;
  /* The size of a read, the limit of a line. */
  gssize size;
  /* What a write writes, and how much of it is written. */
  GBytes *bytes;
  gsize written;
  /* What a read in steps has read. */
  GByteArray *read;
  /* The outcome: bytes for a read, a count or a boolean otherwise. */
  GBytes *result_bytes;
  gssize result;
  GError *error;
  /* For an operation run in steps. */
  int fd;
  IoStreamNowaitFunc set_nowait;
  /* Counts the handoffs between threads (see op_take()). */
  int handoffs;
} IoStreamAsyncOp;

/* GLib hands a task from thread to thread under its own locks (the thread
 * pool's queue, the main context's, the task's reference count), which
 * ThreadSanitizer cannot see, as GLib is not built with it. A thread takes
 * @op (and with it the stream) by reading the count of handoffs atomically
 * and, once done with them, hands them over by counting one: the order is
 * GLib's already, this makes it visible. */
static IoStreamAsyncOp *
op_take (gpointer op)
{
  (void) g_atomic_int_get (&((IoStreamAsyncOp *) op)->handoffs);
  return op;
}

static void
op_hand_over (gpointer op)
{
  g_atomic_int_inc (&((IoStreamAsyncOp *) op)->handoffs);
}

/* What a write_all wrote, for the caller's thread. */
static gsize
op_written (GTask *task)
{
  IoStreamAsyncOp *op = op_take (g_task_get_task_data (task));
  gsize written = op->written;

  op_hand_over (op);
  return written;
}

static void
op_free (gpointer data)
{
  IoStreamAsyncOp *op = op_take (data);

  g_clear_pointer (&op->bytes, g_bytes_unref);
  g_clear_pointer (&op->read, g_byte_array_unref);
  g_clear_pointer (&op->result_bytes, g_bytes_unref);
  g_clear_error (&op->error);
  g_free (op);
}

static gboolean
op_reads (const IoStreamAsyncOp *op)
{
  return op->kind <= OP_READLINE;
}

/* The caller's callback, which the operation's own wraps. */
typedef struct
{
  IoStream *stream;
  GAsyncReadyCallback callback;
  gpointer user_data;
} Outstanding;

/* GIO's rule: the stream is free again when the caller's callback runs. */
static void
outstanding_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  Outstanding *outstanding = data;

  io_stream_end_async (outstanding->stream);
  if (outstanding->callback != NULL)
    outstanding->callback (source, result, outstanding->user_data);
  g_object_unref (outstanding->stream);
  g_free (outstanding);
}

/* The checks of every public method, failures reported through a task
 * tagged @tag. Returns the wrapped callback's data once the stream is the
 * operation's, or NULL when a failure was reported. */
static Outstanding *
begin (IoStream            *self,
       gpointer             tag,
       gssize               size,
       GCancellable        *cancellable,
       GAsyncReadyCallback  callback,
       gpointer             user_data)
{
  GError *error = NULL;
  Outstanding *outstanding;

  if (io_stream_check_size (size, "size", &error) &&
      io_stream_begin_async (self, &error))
    {
      /* Cancelled already: nothing moves, the memory stream included. */
      if (!g_cancellable_set_error_if_cancelled (cancellable, &error))
        {
          outstanding = g_new (Outstanding, 1);
          outstanding->stream = g_object_ref (self);
          outstanding->callback = callback;
          outstanding->user_data = user_data;
          return outstanding;
        }
      io_stream_end_async (self);
    }

  g_task_report_error (self, callback, user_data, tag, error);
  return NULL;
}

#define io_return_if_bad_call(self, cancellable)                                         \
  G_STMT_START {                                                                         \
    g_return_if_fail (IO_IS_STREAM (self));                                              \
    g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));            \
  } G_STMT_END

#define io_return_val_if_bad_result(self, result, val)                                   \
  G_STMT_START {                                                                         \
    io_return_val_if_not_stream (self, val);                                             \
    g_return_val_if_fail (G_IS_ASYNC_RESULT (result), val);                              \
  } G_STMT_END

/* A failure the public method @tag reported itself. */
static gboolean
is_reported (GAsyncResult *result,
             gpointer      tag)
{
  return g_async_result_is_tagged (result, tag);
}

typedef GBytes *(*BytesFinish) (IoStream *, GAsyncResult *, GError **);
typedef gboolean (*BooleanFinish) (IoStream *, GAsyncResult *, GError **);

static GBytes *
finish_bytes (IoStream      *self,
              GAsyncResult  *result,
              gpointer       tag,
              BytesFinish    vfunc,
              GError       **error)
{
  if (is_reported (result, tag))
    return g_task_propagate_pointer (G_TASK (result), error);
  return vfunc (self, result, error);
}

static gboolean
finish_boolean (IoStream       *self,
                GAsyncResult   *result,
                gpointer        tag,
                BooleanFinish   vfunc,
                GError        **error)
{
  if (is_reported (result, tag))
    return g_task_propagate_boolean (G_TASK (result), error);
  return vfunc (self, result, error);
}

/**
 * io_stream_read_bytes_async: (virtual read_bytes_async)
 * @self: an #IoStream
 * @size: how many bytes to read, or -1 for everything up to the end
 * @io_priority: the I/O priority of the request, such as
 *   %G_PRIORITY_DEFAULT
 * @cancellable: (nullable): optional #GCancellable object, `NULL` to ignore
 * @callback: (scope async) (closure user_data): the callback to call when
 *   the request is satisfied
 * @user_data: the data to pass to @callback
 *
 * Starts [method@Io.Stream.read_bytes] without waiting; @callback gets the
 * result in the thread-default main context of the calling thread, and
 * [method@Io.Stream.read_bytes_finish] takes it.
 *
 * Until @callback runs, every other call on @self fails with
 * %G_IO_ERROR_PENDING (see [Threads](concurrency.html)). A cancellable
 * cancelled already fails with %G_IO_ERROR_CANCELLED before a byte moves;
 * cancelled while the read waits, it ends it at once, and the bytes read
 * by then are returned with the error kept for the next read, as a sync
 * read keeps a failure that comes after some bytes.
 */
void
io_stream_read_bytes_async (IoStream            *self,
                            gssize               size,
                            int                  io_priority,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  Outstanding *outstanding;

  io_return_if_bad_call (self, cancellable);

  outstanding = begin (self, io_stream_read_bytes_async, size, cancellable, callback, user_data);
  if (outstanding != NULL)
    IO_STREAM_GET_CLASS (self)->read_bytes_async (self, size, io_priority, cancellable,
                                                  outstanding_done, outstanding);
}

/**
 * io_stream_read_bytes_finish: (virtual read_bytes_finish)
 * @self: an #IoStream
 * @result: the #GAsyncResult passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Io.Stream.read_bytes_async].
 *
 * Returns: (transfer full): the bytes read, fewer than asked only at the
 *   end of the stream (or when the read was cancelled after some bytes),
 *   or `NULL` on error
 */
GBytes *
io_stream_read_bytes_finish (IoStream      *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  io_return_val_if_bad_result (self, result, NULL);

  return finish_bytes (self, result, io_stream_read_bytes_async,
                       IO_STREAM_GET_CLASS (self)->read_bytes_finish, error);
}

/**
 * io_stream_read1_bytes_async: (virtual read1_bytes_async)
 * @self: an #IoStream
 * @size: the most bytes to read, or -1 for what one backend call returns
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): optional #GCancellable object, `NULL` to ignore
 * @callback: (scope async) (closure user_data): the callback to call when
 *   the request is satisfied
 * @user_data: the data to pass to @callback
 *
 * Starts [method@Io.Stream.read1_bytes] without waiting, as
 * [method@Io.Stream.read_bytes_async] does: the read returns as soon as
 * any byte is there.
 */
void
io_stream_read1_bytes_async (IoStream            *self,
                             gssize               size,
                             int                  io_priority,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  Outstanding *outstanding;

  io_return_if_bad_call (self, cancellable);

  outstanding = begin (self, io_stream_read1_bytes_async, size, cancellable, callback, user_data);
  if (outstanding != NULL)
    IO_STREAM_GET_CLASS (self)->read1_bytes_async (self, size, io_priority, cancellable,
                                                   outstanding_done, outstanding);
}

/**
 * io_stream_read1_bytes_finish: (virtual read1_bytes_finish)
 * @self: an #IoStream
 * @result: the #GAsyncResult passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Io.Stream.read1_bytes_async].
 *
 * Returns: (transfer full): the bytes read, empty at the end of the
 *   stream, or `NULL` on error
 */
GBytes *
io_stream_read1_bytes_finish (IoStream      *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  io_return_val_if_bad_result (self, result, NULL);

  return finish_bytes (self, result, io_stream_read1_bytes_async,
                       IO_STREAM_GET_CLASS (self)->read1_bytes_finish, error);
}

/**
 * io_stream_readall_async: (virtual readall_async)
 * @self: an #IoStream
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): optional #GCancellable object, `NULL` to ignore
 * @callback: (scope async) (closure user_data): the callback to call when
 *   the request is satisfied
 * @user_data: the data to pass to @callback
 *
 * Starts [method@Io.Stream.readall] without waiting, as
 * [method@Io.Stream.read_bytes_async] does.
 */
void
io_stream_readall_async (IoStream            *self,
                         int                  io_priority,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  Outstanding *outstanding;

  io_return_if_bad_call (self, cancellable);

  outstanding = begin (self, io_stream_readall_async, -1, cancellable, callback, user_data);
  if (outstanding != NULL)
    IO_STREAM_GET_CLASS (self)->readall_async (self, io_priority, cancellable,
                                               outstanding_done, outstanding);
}

/**
 * io_stream_readall_finish: (virtual readall_finish)
 * @self: an #IoStream
 * @result: the #GAsyncResult passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Io.Stream.readall_async].
 *
 * Returns: (transfer full): the bytes up to the end of the stream (or up
 *   to a cancellation after some bytes), or `NULL` on error
 */
GBytes *
io_stream_readall_finish (IoStream      *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  io_return_val_if_bad_result (self, result, NULL);

  return finish_bytes (self, result, io_stream_readall_async,
                       IO_STREAM_GET_CLASS (self)->readall_finish, error);
}

/**
 * io_stream_readline_async: (virtual readline_async)
 * @self: an #IoStream
 * @limit: the most bytes to return, or -1 for no limit
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): optional #GCancellable object, `NULL` to ignore
 * @callback: (scope async) (closure user_data): the callback to call when
 *   the request is satisfied
 * @user_data: the data to pass to @callback
 *
 * Starts [method@Io.Stream.readline] without waiting, as
 * [method@Io.Stream.read_bytes_async] does.
 */
void
io_stream_readline_async (IoStream            *self,
                          gssize               limit,
                          int                  io_priority,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  Outstanding *outstanding;

  io_return_if_bad_call (self, cancellable);

  outstanding = begin (self, io_stream_readline_async, limit, cancellable, callback, user_data);
  if (outstanding != NULL)
    IO_STREAM_GET_CLASS (self)->readline_async (self, limit, io_priority, cancellable,
                                                outstanding_done, outstanding);
}

/**
 * io_stream_readline_finish: (virtual readline_finish)
 * @self: an #IoStream
 * @result: the #GAsyncResult passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Io.Stream.readline_async].
 *
 * Returns: (transfer full): the line with its `\n`, empty at the end of
 *   the stream, or `NULL` on error
 */
GBytes *
io_stream_readline_finish (IoStream      *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  io_return_val_if_bad_result (self, result, NULL);

  return finish_bytes (self, result, io_stream_readline_async,
                       IO_STREAM_GET_CLASS (self)->readline_finish, error);
}

/**
 * io_stream_write_bytes_async: (virtual write_bytes_async)
 * @self: an #IoStream
 * @bytes: the bytes to write
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): optional #GCancellable object, `NULL` to ignore
 * @callback: (scope async) (closure user_data): the callback to call when
 *   the request is satisfied
 * @user_data: the data to pass to @callback
 *
 * Starts [method@Io.Stream.write_bytes] without waiting, as
 * [method@Io.Stream.read_bytes_async] does. The write waits until every
 * byte is written, as the synchronous one does on a blocking stream; a
 * failure or a cancellation after some bytes gives their count, and the
 * error goes to the next write.
 */
void
io_stream_write_bytes_async (IoStream            *self,
                             GBytes              *bytes,
                             int                  io_priority,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  Outstanding *outstanding;

  io_return_if_bad_call (self, cancellable);
  g_return_if_fail (bytes != NULL);

  outstanding = begin (self, io_stream_write_bytes_async, -1, cancellable, callback, user_data);
  if (outstanding != NULL)
    IO_STREAM_GET_CLASS (self)->write_bytes_async (self, bytes, io_priority, cancellable,
                                                   outstanding_done, outstanding);
}

/**
 * io_stream_write_bytes_finish: (virtual write_bytes_finish)
 * @self: an #IoStream
 * @result: the #GAsyncResult passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Io.Stream.write_bytes_async].
 *
 * Returns: the number of bytes written, or -1 on error
 */
gssize
io_stream_write_bytes_finish (IoStream      *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  io_return_val_if_bad_result (self, result, -1);

  if (is_reported (result, io_stream_write_bytes_async))
    return g_task_propagate_int (G_TASK (result), error);
  return IO_STREAM_GET_CLASS (self)->write_bytes_finish (self, result, error);
}

/**
 * io_stream_write_all_async: (virtual write_all_async)
 * @self: an #IoStream
 * @bytes: the bytes to write
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): optional #GCancellable object, `NULL` to ignore
 * @callback: (scope async) (closure user_data): the callback to call when
 *   the request is satisfied
 * @user_data: the data to pass to @callback
 *
 * Starts [method@Io.Stream.write_all_bytes] without waiting, as
 * [method@Io.Stream.read_bytes_async] does. Like GIO's
 * g_output_stream_write_all_async(), every failure, a cancellation
 * included, reports how many bytes were written before it.
 */
void
io_stream_write_all_async (IoStream            *self,
                           GBytes              *bytes,
                           int                  io_priority,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  Outstanding *outstanding;

  io_return_if_bad_call (self, cancellable);
  g_return_if_fail (bytes != NULL);

  outstanding = begin (self, io_stream_write_all_async, -1, cancellable, callback, user_data);
  if (outstanding != NULL)
    IO_STREAM_GET_CLASS (self)->write_all_async (self, bytes, io_priority, cancellable,
                                                 outstanding_done, outstanding);
}

/**
 * io_stream_write_all_finish: (virtual write_all_finish)
 * @self: an #IoStream
 * @result: the #GAsyncResult passed to the callback
 * @bytes_written: (out) (optional): the number of bytes written, also on
 *   failure
 * @error: return location for a #GError
 *
 * Finishes [method@Io.Stream.write_all_async].
 *
 * Returns: `TRUE` once every byte is written
 */
gboolean
io_stream_write_all_finish (IoStream      *self,
                            GAsyncResult  *result,
                            gsize         *bytes_written,
                            GError       **error)
{
  gsize written = 0;
  gboolean ok;

  io_return_val_if_bad_result (self, result, FALSE);

  if (is_reported (result, io_stream_write_all_async))
    ok = g_task_propagate_boolean (G_TASK (result), error);
  else
    ok = IO_STREAM_GET_CLASS (self)->write_all_finish (self, result, &written, error);
  if (bytes_written != NULL)
    *bytes_written = written;
  return ok;
}

/**
 * io_stream_get_write_all_progress:
 * @self: an #IoStream
 * @result: the #GAsyncResult a [method@Io.Stream.write_all_async] callback
 *   got
 *
 * How many bytes the write wrote, also when it failed: what
 * [method@Io.Stream.write_all_finish] sets in `bytes_written`, for language
 * bindings whose `_finish` raises the error and drops the out-parameter
 * (Python sets it as the exception's `characters_written`). Call it before
 * or after the `_finish`.
 *
 * Returns: the number of bytes written; 0 for a write that a backend's own
 *   override ran
 */
gsize
io_stream_get_write_all_progress (IoStream     *self,
                                  GAsyncResult *result)
{
  io_return_val_if_bad_result (self, result, 0);

  if (!G_IS_TASK (result) || !g_task_is_valid (result, self) ||
      g_task_get_source_tag (G_TASK (result)) != start)
    return 0;
  return op_written (G_TASK (result));
}

/**
 * io_stream_flush_async: (virtual flush_async)
 * @self: an #IoStream
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): optional #GCancellable object, `NULL` to ignore
 * @callback: (scope async) (closure user_data): the callback to call when
 *   the request is satisfied
 * @user_data: the data to pass to @callback
 *
 * Starts [method@Io.Stream.flush] without waiting, as
 * [method@Io.Stream.read_bytes_async] does.
 */
void
io_stream_flush_async (IoStream            *self,
                       int                  io_priority,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  Outstanding *outstanding;

  io_return_if_bad_call (self, cancellable);

  outstanding = begin (self, io_stream_flush_async, -1, cancellable, callback, user_data);
  if (outstanding != NULL)
    IO_STREAM_GET_CLASS (self)->flush_async (self, io_priority, cancellable,
                                             outstanding_done, outstanding);
}

/**
 * io_stream_flush_finish: (virtual flush_finish)
 * @self: an #IoStream
 * @result: the #GAsyncResult passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Io.Stream.flush_async].
 *
 * Returns: `TRUE` on success
 */
gboolean
io_stream_flush_finish (IoStream      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  io_return_val_if_bad_result (self, result, FALSE);

  return finish_boolean (self, result, io_stream_flush_async,
                         IO_STREAM_GET_CLASS (self)->flush_finish, error);
}

/**
 * io_stream_close_async: (virtual close_async)
 * @self: an #IoStream
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): optional #GCancellable object, `NULL` to ignore
 * @callback: (scope async) (closure user_data): the callback to call when
 *   the request is satisfied
 * @user_data: the data to pass to @callback
 *
 * Starts [method@Io.Stream.close] without waiting, as
 * [method@Io.Stream.read_bytes_async] does. A cancellable cancelled
 * before the close starts leaves the stream open.
 */
void
io_stream_close_async (IoStream            *self,
                       int                  io_priority,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  Outstanding *outstanding;

  io_return_if_bad_call (self, cancellable);

  outstanding = begin (self, io_stream_close_async, -1, cancellable, callback, user_data);
  if (outstanding != NULL)
    IO_STREAM_GET_CLASS (self)->close_async (self, io_priority, cancellable,
                                             outstanding_done, outstanding);
}

/**
 * io_stream_close_finish: (virtual close_finish)
 * @self: an #IoStream
 * @result: the #GAsyncResult passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Io.Stream.close_async].
 *
 * Returns: `TRUE` on success
 */
gboolean
io_stream_close_finish (IoStream      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  io_return_val_if_bad_result (self, result, FALSE);

  return finish_boolean (self, result, io_stream_close_async,
                         IO_STREAM_GET_CLASS (self)->close_finish, error);
}

/* The runners. */

static GQuark io_stream_async_runner_quark (void);
static IO_DEFINE_QUARK (io-stream-async-runner, io_stream_async_runner)

void
io_stream_class_set_async_runner (IoStreamClass       *klass,
                                  IoStreamAsyncRunner  runner)
{
  g_type_set_qdata (G_TYPE_FROM_CLASS (klass), io_stream_async_runner_quark (), (gpointer) runner);
}

static IoStreamAsyncRunner
find_runner (IoStream *self)
{
  GType type;

  for (type = G_TYPE_FROM_INSTANCE (self); type != 0; type = g_type_parent (type))
    {
      gpointer runner = g_type_get_qdata (type, io_stream_async_runner_quark ());

      if (runner != NULL)
        return (IoStreamAsyncRunner) runner;
      if (type == IO_TYPE_STREAM)
        break;
    }
  return io_stream_async_run_in_thread;
}

/* Returns the task with the outcome in @op. Called once the stream is
 * left: the callback may run at once and give the stream back. @op is
 * handed over first and not touched after. */
static void
deliver (GTask           *task,
         IoStreamAsyncOp *op)
{
  GError *error = g_steal_pointer (&op->error);
  GBytes *bytes = g_steal_pointer (&op->result_bytes);
  gboolean reads = op_reads (op);
  gboolean writes = op->kind == OP_WRITE;
  gssize result = op->result;

  op_hand_over (op);
  if (error != NULL)
    {
      g_clear_pointer (&bytes, g_bytes_unref);
      g_task_return_error (task, error);
    }
  else if (reads)
    g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
  else if (writes)
    g_task_return_int (task, result);
  else
    g_task_return_boolean (task, TRUE);
}

/* The whole synchronous method, into @op. */
static void
run_whole (IoStream        *self,
           IoStreamAsyncOp *op)
{
  switch (op->kind)
    {
    case OP_READ:
      op->result_bytes = io_stream_read_bytes (self, op->size, &op->error);
      break;
    case OP_READ1:
      op->result_bytes = io_stream_read1_bytes (self, op->size, &op->error);
      break;
    case OP_READALL:
      op->result_bytes = io_stream_readall (self, &op->error);
      break;
    case OP_READLINE:
      op->result_bytes = io_stream_readline (self, op->size, &op->error);
      break;
    case OP_WRITE:
      op->result = io_stream_write_bytes (self, op->bytes, &op->error);
      break;
    case OP_WRITE_ALL:
      (void) io_stream_write_all_bytes (self, op->bytes, &op->written, &op->error);
      break;
    case OP_FLUSH:
      (void) io_stream_flush (self, &op->error);
      break;
    case OP_CLOSE:
      (void) io_stream_close (self, &op->error);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
run_now_in_thread (GTask        *task,
                   gpointer      source,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  IoStream *self = source;
  IoStreamAsyncOp *op = op_take (task_data);

  /* Cancelled while the task waited for a thread: nothing has moved. */
  if (!g_cancellable_set_error_if_cancelled (cancellable, &op->error))
    {
      io_stream_enter_async (self);
      run_whole (self, op);
      io_stream_leave_async (self);
    }
  deliver (task, op);
}

void
io_stream_async_run_in_thread (IoStream *self,
                               GTask    *task)
{
  op_hand_over (g_task_get_task_data (task));
  g_task_run_in_thread (task, run_now_in_thread);
}

void
io_stream_async_run_now (IoStream *self,
                         GTask    *task)
{
  run_now_in_thread (task, self, g_task_get_task_data (task), g_task_get_cancellable (task));
}

/* Operations in steps (io_stream_async_run_polled()). */

/* Ends a read in steps that failed: what was read comes back and the
 * error waits for the next read, as in a sync read. */
static void
end_read_with_error (IoStream        *self,
                     IoStreamAsyncOp *op,
                     GError          *error)
{
  if (io_stream_partial_read_result (self, op->read->len, error, &op->error) >= 0)
    op->result_bytes = g_byte_array_free_to_bytes (g_steal_pointer (&op->read));
}

/* Ends a write in steps that failed: with bytes written, their count comes
 * back and the error waits for the next write, as in a sync write. */
static void
end_write_with_error (IoStream        *self,
                      IoStreamAsyncOp *op,
                      GError          *error)
{
  IoStreamPrivate *priv = IO_STREAM_PRIV (self);

  if (op->written == 0 || op->kind == OP_WRITE_ALL || priv->closed)
    {
      op->error = error;
      return;
    }
  op->result = (gssize) op->written;
  if (priv->pending_write_error == NULL)
    {
      priv->pending_write_error = error;
      priv->window.write_end = NULL;
    }
  else
    g_error_free (error);
}

/* What one step moves at most before it lets the main loop run (other
 * sources, a cancellation): a descriptor that never makes it wait would
 * otherwise hold the loop for the whole operation. */
#define STEP_BUDGET (1024 * 1024)

/* The condition a step waits for; with its budget spent, the descriptor
 * is ready already and the step resumes at the next iteration. */
#define READ_READY (G_IO_IN | G_IO_HUP | G_IO_ERR)
#define WRITE_READY (G_IO_OUT | G_IO_HUP | G_IO_ERR)

static gboolean
is_would_block (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
}

/* One step of a read: as many raw reads as go without waiting. Returns
 * the condition to wait for, or 0 when the read is over. */
static GIOCondition
read_step (IoStream        *self,
           IoStreamAsyncOp *op)
{
  gsize start = op->read->len;

  for (;;)
    {
      GError *error = NULL;
      gssize want;
      GBytes *chunk;
      gsize len;
      const guint8 *data;

      switch (op->kind)
        {
        case OP_READ:
          if (op->size >= 0 && op->read->len >= (gsize) op->size)
            goto done;
          want = op->size < 0 ? IO_CHUNK_SIZE : op->size - (gssize) op->read->len;
          break;
        case OP_READLINE:
          if (op->size >= 0 && op->read->len >= (gsize) op->size)
            goto done;
          /* A byte at a time: none past the newline may be taken. */
          want = 1;
          break;
        case OP_READALL:
          want = IO_CHUNK_SIZE;
          break;
        default:
          want = op->size;
          break;
        }

      chunk = io_stream_read1_bytes (self, want, &error);
      if (chunk == NULL)
        {
          if (is_would_block (error))
            {
              g_error_free (error);
              return READ_READY;
            }
          end_read_with_error (self, op, error);
          return 0;
        }
      data = g_bytes_get_data (chunk, &len);
      g_byte_array_append (op->read, data, (guint) len);
      g_bytes_unref (chunk);
      if (len == 0 || op->kind == OP_READ1 ||
          (op->kind == OP_READLINE && op->read->data[op->read->len - 1] == '\n'))
        goto done;
      if (op->read->len - start >= STEP_BUDGET)
        return READ_READY;
    }

done:
  op->result_bytes = g_byte_array_free_to_bytes (g_steal_pointer (&op->read));
  return 0;
}

/* One step of a write, as read_step(). */
static GIOCondition
write_step (IoStream        *self,
            IoStreamAsyncOp *op)
{
  IoStreamPrivate *priv = IO_STREAM_PRIV (self);
  gsize len;
  const guint8 *data = g_bytes_get_data (op->bytes, &len);
  GError *error = NULL;
  gsize start = op->written;
  gssize n;

  do
    {
      n = io_stream_write (self, data + op->written, len - op->written, &error);
      if (n < 0)
        {
          if (is_would_block (error))
            {
              g_error_free (error);
              return WRITE_READY;
            }
          end_write_with_error (self, op, error);
          return 0;
        }
      op->written += (gsize) n;
    }
  /* Short: the backend would block, failed, or closed the stream. */
  while (op->written < len && priv->pending_write_error == NULL && !priv->closed &&
         n > 0 && op->written - start < STEP_BUDGET);

  if (op->written < len && priv->pending_write_error == NULL && !priv->closed)
    return WRITE_READY;
  if (op->written < len && op->kind == OP_WRITE_ALL)
    {
      if (priv->pending_write_error != NULL)
        op->error = g_steal_pointer (&priv->pending_write_error);
      else
        io_stream_set_closed_error (self, &op->error);
      return 0;
    }
  op->result = (gssize) op->written;
  return 0;
}

static GIOCondition
step (IoStream        *self,
      IoStreamAsyncOp *op)
{
  if (op_reads (op))
    return read_step (self, op);
  if (op->kind == OP_WRITE || op->kind == OP_WRITE_ALL)
    return write_step (self, op);
  run_whole (self, op);
  return 0;
}

/* Ends an operation in steps cancelled while it waited: at once, keeping
 * what moved by then. */
static void
end_cancelled (IoStream        *self,
               IoStreamAsyncOp *op,
               GError          *error)
{
  if (op_reads (op))
    end_read_with_error (self, op, error);
  else
    end_write_with_error (self, op, error);
}

static gboolean polled_step (gpointer data);

/* The GUnixFDSourceFunc that g_task_attach_source() calls. */
static gboolean
fd_ready (int          fd,
          GIOCondition condition,
          gpointer     data)
{
  return polled_step (data);
}

static void
wait_for (GTask           *task,
          IoStreamAsyncOp *op,
          GIOCondition     condition)
{
  GCancellable *cancellable = g_task_get_cancellable (task);
  GSource *source = g_unix_fd_source_new (op->fd, condition);

  /* A cancellation wakes the wait too (GIO's pollable sources do it). */
  if (cancellable != NULL)
    {
      GSource *cancelled = g_cancellable_source_new (cancellable);

      g_source_set_dummy_callback (cancelled);
      g_source_add_child_source (source, cancelled);
      g_source_unref (cancelled);
    }
  g_task_attach_source (task, source, (GSourceFunc) (void (*) (void)) fd_ready);
  g_source_unref (source);
}

static gboolean
polled_step (gpointer data)
{
  GTask *task = data;
  IoStream *self = g_task_get_source_object (task);
  IoStreamAsyncOp *op = g_task_get_task_data (task);
  GError *error = NULL;
  GIOCondition condition = 0;

  io_stream_enter_async (self);
  if (g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &error))
    end_cancelled (self, op, error);
  else
    {
      op->set_nowait (self, TRUE);
      condition = step (self, op);
      op->set_nowait (self, FALSE);
    }
  io_stream_leave_async (self);

  if (condition != 0)
    wait_for (task, op, condition);
  else
    deliver (task, op);
  return G_SOURCE_REMOVE;
}

void
io_stream_async_run_polled (IoStream           *self,
                            GTask              *task,
                            int                 fd,
                            IoStreamNowaitFunc  set_nowait)
{
  IoStreamAsyncOp *op = g_task_get_task_data (task);

  op->fd = fd;
  op->set_nowait = set_nowait;
  if (op_reads (op))
    op->read = g_byte_array_new ();
  /* Tried at once; waits only when it must. */
  (void) polled_step (task);
}

/* The default vfuncs. */

static void
start (IoStream            *self,
       int                  kind,
       gssize               size,
       GBytes              *bytes,
       int                  io_priority,
       GCancellable        *cancellable,
       GAsyncReadyCallback  callback,
       gpointer             user_data)
{
  IoStreamAsyncOp *op = g_new0 (IoStreamAsyncOp, 1);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  op->kind = kind;
  op->size = size;
  op->bytes = bytes != NULL ? g_bytes_ref (bytes) : NULL;
  op->fd = -1;
  g_task_set_source_tag (task, start);
  g_task_set_name (task, "[libstream] asynchronous operation");
  g_task_set_priority (task, io_priority);
  g_task_set_task_data (task, op, op_free);
  /* What moved before a cancellation is the result, not an error. */
  g_task_set_check_cancellable (task, FALSE);
  find_runner (self) (self, task);
  g_object_unref (task);
}

#define DEFINE_SIZED_START(name, kind)                                   \
  static void                                                            \
  real_##name##_async (IoStream            *self,                        \
                       gssize               size,                        \
                       int                  io_priority,                 \
                       GCancellable        *cancellable,                 \
                       GAsyncReadyCallback  callback,                    \
                       gpointer             user_data)                   \
  {                                                                      \
    start (self, kind, size, NULL, io_priority, cancellable, callback,   \
           user_data);                                                   \
  }

#define DEFINE_PLAIN_START(name, kind)                                   \
  static void                                                            \
  real_##name##_async (IoStream            *self,                        \
                       int                  io_priority,                 \
                       GCancellable        *cancellable,                 \
                       GAsyncReadyCallback  callback,                    \
                       gpointer             user_data)                   \
  {                                                                      \
    start (self, kind, -1, NULL, io_priority, cancellable, callback,     \
           user_data);                                                   \
  }

#define DEFINE_WRITE_START(name, kind)                                   \
  static void                                                            \
  real_##name##_async (IoStream            *self,                        \
                       GBytes              *bytes,                       \
                       int                  io_priority,                 \
                       GCancellable        *cancellable,                 \
                       GAsyncReadyCallback  callback,                    \
                       gpointer             user_data)                   \
  {                                                                      \
    start (self, kind, -1, bytes, io_priority, cancellable, callback,    \
           user_data);                                                   \
  }

DEFINE_SIZED_START (read_bytes, OP_READ)
DEFINE_SIZED_START (read1_bytes, OP_READ1)
DEFINE_PLAIN_START (readall, OP_READALL)
DEFINE_SIZED_START (readline, OP_READLINE)
DEFINE_WRITE_START (write_bytes, OP_WRITE)
DEFINE_WRITE_START (write_all, OP_WRITE_ALL)
DEFINE_PLAIN_START (flush, OP_FLUSH)
DEFINE_PLAIN_START (close, OP_CLOSE)

/* A result of start(), or NULL after a critical. */
static GTask *
own_task (IoStream     *self,
          GAsyncResult *result)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == start, NULL);
  op_hand_over (op_take (g_task_get_task_data (G_TASK (result))));
  return G_TASK (result);
}

static GBytes *
real_bytes_finish (IoStream      *self,
                   GAsyncResult  *result,
                   GError       **error)
{
  GTask *task = own_task (self, result);

  return task != NULL ? g_task_propagate_pointer (task, error) : NULL;
}

static gssize
real_write_bytes_finish (IoStream      *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  GTask *task = own_task (self, result);

  return task != NULL ? g_task_propagate_int (task, error) : -1;
}

static gboolean
real_boolean_finish (IoStream      *self,
                     GAsyncResult  *result,
                     GError       **error)
{
  GTask *task = own_task (self, result);

  return task != NULL && g_task_propagate_boolean (task, error);
}

static gboolean
real_write_all_finish (IoStream      *self,
                       GAsyncResult  *result,
                       gsize         *bytes_written,
                       GError       **error)
{
  GTask *task = own_task (self, result);

  if (task == NULL)
    return FALSE;
  *bytes_written = op_written (task);
  return g_task_propagate_boolean (task, error);
}

/* The asynchronous vfuncs took 16 of the 18 reserved slots: the class
 * keeps its size, 14 synchronous vfuncs and 18 slots after the parent. */
G_STATIC_ASSERT (sizeof (IoStreamClass) == sizeof (GObjectClass) + (14 + 18) * sizeof (gpointer));

void
io_stream_class_init_async (IoStreamClass *klass)
{
  klass->read_bytes_async = real_read_bytes_async;
  klass->read_bytes_finish = real_bytes_finish;
  klass->read1_bytes_async = real_read1_bytes_async;
  klass->read1_bytes_finish = real_bytes_finish;
  klass->readall_async = real_readall_async;
  klass->readall_finish = real_bytes_finish;
  klass->readline_async = real_readline_async;
  klass->readline_finish = real_bytes_finish;
  klass->write_bytes_async = real_write_bytes_async;
  klass->write_bytes_finish = real_write_bytes_finish;
  klass->write_all_async = real_write_all_async;
  klass->write_all_finish = real_write_all_finish;
  klass->flush_async = real_flush_async;
  klass->flush_finish = real_boolean_finish;
  klass->close_async = real_close_async;
  klass->close_finish = real_boolean_finish;
}
