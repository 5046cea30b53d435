/* io-stream.c: the abstract stream every libstream backend implements: its
 * type, state, errors, positioning and lifecycle. Reads, lines, writes, the
 * hold and the inline fast path live in the io-stream-*.c files beside it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "io-stream-async-private.h"
#include "io-stream-inline-private.h"

/**
 * IoStream:
 *
 * A byte stream with the contract of Python's `io.IOBase` and
 * `io.BufferedIOBase`: one object that may read, write and seek.
 *
 * `IoStream` is abstract. Backends such as [class@Io.MemoryStream] fill the
 * [`IoStreamClass`](class.Stream.html#class-struct) vtable with the raw operations only; every public
 * method here enforces the contract once, before and after the vfunc:
 *
 * - on a closed stream every method, `seek()`, `tell()` and `readable()`
 *   included, fails with %G_IO_ERROR_CLOSED; closing twice does nothing, and
 *   disposing an open stream closes it;
 * - an operation the backend does not implement, or that the stream was not
 *   opened for, fails with %G_IO_ERROR_NOT_SUPPORTED;
 * - bad arguments (a negative size other than the documented -1, an invalid
 *   [enum@Io.Whence], a negative absolute seek) fail with
 *   %G_IO_ERROR_INVALID_ARGUMENT, never with a crash or a huge allocation;
 * - whatever a vfunc returns is checked: a count larger than asked for, or a
 *   failure without a `GError` (what a language binding returns when its
 *   code raised), becomes %G_IO_ERROR_FAILED and never looks like the end of
 *   the stream.
 *
 * Reads follow `BufferedIOBase`: [method@Io.Stream.read] and
 * [method@Io.Stream.read_bytes] return fewer bytes than asked only at the end
 * of the stream (or when a non-blocking backend would block), while the
 * `read1` family makes at most one call into the backend. If the backend
 * fails after part of a read was already transferred, the part is returned
 * and the error is reported by the next read, so no byte is lost.
 *
 * Writes loop until every byte is written; a non-blocking backend that would
 * block after a partial write makes [method@Io.Stream.write] return the
 * short count.
 *
 * ## Implementing a backend
 *
 * Subclass `IoStream` and fill the vfuncs you support, or, from C without
 * any GObject code, fill an [struct@Io.StreamFuncs] table and call
 * [ctor@Io.Stream.new_from_funcs]. Language bindings implement
 * `read_chunk` (Python `do_read_chunk`, GJS `vfunc_read_chunk`), which
 * returns new bytes, rather than the caller-buffer `read`.
 */

/**
 * IoStreamClass::can_read:
 * @self: an #IoStream
 *
 * Whether the class supports reading, which [method@Io.Stream.readable]
 * reports on an open stream. The default is `TRUE` when the class
 * implements `read` or `read_chunk`; override it when that depends on the instance (a file
 * opened read-only, a pipe end).
 *
 * Returns: `TRUE` if the stream supports reading
 */

/**
 * IoStreamClass::can_write:
 * @self: an #IoStream
 *
 * Whether the class supports writing, which [method@Io.Stream.writable]
 * reports on an open stream. The default is `TRUE` when the class
 * implements `write`; override it when that depends on the instance (a file
 * opened read-only, a pipe end).
 *
 * Returns: `TRUE` if the stream supports writing
 */

/**
 * IoStreamClass::can_seek:
 * @self: an #IoStream
 *
 * Whether the class supports seeking, which [method@Io.Stream.seekable]
 * reports on an open stream. The default is `TRUE` when the class
 * implements `seek`; override it when that depends on the instance (a file
 * opened read-only, a pipe end).
 *
 * Returns: `TRUE` if the stream supports seeking
 */

/**
 * IoStreamClass::read_chunk:
 * @self: an #IoStream
 * @count: the most bytes to return
 * @error: return location for a #GError
 *
 * Reads at most @count bytes with at most one underlying operation. The
 * read vfunc that language bindings implement.
 *
 * Returns: (transfer full): the bytes read, empty at the end of the stream
 */

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (IoStream, io_stream, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLOSED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* IoStream_private_offset, for the other files of the class. */
gint io_stream_private_offset;

/* Where the window lies in an instance, for io_stream_getc_inline(). */
gssize io_stream_window_offset;

GType io_stream_checked_type;

G_NO_INLINE gboolean
io_stream_check_instance_slow (GTypeInstance *instance)
{
  if (!g_type_check_instance_is_a (instance, IO_TYPE_STREAM))
    return FALSE;
  __atomic_store_n (&io_stream_checked_type, instance->g_class->g_type, __ATOMIC_RELAXED);
  return TRUE;
}

gboolean
io_stream_set_closed_error (IoStream  *self,
                            GError   **error)
{
  /* A filter whose base was taken back with detach() is closed too, and
   * says why as CPython's buffered objects do. */
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED,
                       IO_STREAM_PRIV (self)->detached ? "raw stream has been detached"
                                                       : "I/O operation on closed stream");
  return FALSE;
}

gboolean
io_stream_set_unsupported_error (GError    **error,
                                 const char *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "%s", what);
  return FALSE;
}

void
io_stream_load_caps (IoStream *self)
{
  IoStreamClass *klass = IO_STREAM_GET_CLASS (self);
  IoStreamPrivate *priv = IO_STREAM_PRIV (self);

  priv->can_read = klass->can_read (self) ? 1 : 0;
  priv->can_write = klass->can_write (self) ? 1 : 0;
  priv->can_seek = klass->can_seek (self) ? 1 : 0;
  priv->caps_known = 1;
}

gboolean
io_stream_check_size (gssize      size,
                      const char *what,
                      GError    **error)
{
  if G_UNLIKELY (size < -1)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "negative %s value %" G_GSSIZE_FORMAT, what, size);
      return FALSE;
    }
  return TRUE;
}

gboolean
io_stream_check_count (gsize    count,
                       GError **error)
{
  if G_UNLIKELY (count > G_MAXSSIZE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Count %" G_GSIZE_FORMAT " is larger than G_MAXSSIZE", count);
      return FALSE;
    }
  return TRUE;
}

gboolean
io_stream_check_address (guintptr  address,
                         gsize     count,
                         GError  **error)
{
  if (address == 0 && count > 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "NULL buffer address");
      return FALSE;
    }
  return TRUE;
}

/* A vfunc reported failure without saying why: what a language binding
 * does when its implementation raised or returned a value it could not
 * convert. */
void
io_stream_set_vfunc_failed (IoStream   *self,
                            const char *vfunc,
                            const char *what,
                            GError    **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
               "%s.%s() %s", G_OBJECT_TYPE_NAME (self), vfunc, what);
}

/* A vfunc returned more bytes than it was asked for. */
void
io_stream_set_too_many_error (IoStream   *self,
                              const char *vfunc,
                              gsize       returned,
                              gsize       count,
                              GError    **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
               "%s.%s() returned %" G_GSIZE_FORMAT " bytes, more than the %"
               G_GSIZE_FORMAT " asked for", G_OBJECT_TYPE_NAME (self), vfunc, returned, count);
}

/**
 * io_stream_lend_window: (skip)
 * @self: an #IoStream
 * @pos: (nullable): the byte at the position, or `NULL` to withdraw the window
 * @read_end: the end of the content readable from @pos
 * @write_end: (nullable): the end of the space writable in place from @pos,
 *   or `NULL` for no inline writes
 *
 * Lends the stream a window over the backend's memory (see
 * [struct@Io.StreamWindow]). Called by backends from their vfuncs and
 * methods; ignored (the window stays empty) once the stream is closed.
 */
void
io_stream_lend_window (IoStream *self,
                       guint8   *pos,
                       guint8   *read_end,
                       guint8   *write_end)
{
  IoStreamPrivate *priv = IO_STREAM_PRIV (self);

  if (pos == NULL || priv->closed)
    pos = read_end = write_end = NULL;
  else
    priv->lends_window = 1;
  /* An error from a partial write must reach the next write. */
  if G_UNLIKELY (priv->pending_write_error != NULL)
    write_end = NULL;
  priv->window.pos = pos;
  priv->window.read_end = read_end;
  priv->window.write_end = write_end;
  io_stream_update_read_stop (priv);
}

/**
 * io_stream_get_window: (skip)
 * @self: an #IoStream
 *
 * The window lent with [method@Io.Stream.lend_window], as the stream has
 * moved it since: the backend takes its position (`pos` minus the start of
 * its memory) and size (`read_end` minus the start) back from it.
 *
 * Returns: (transfer none): the window; `pos` is `NULL` when none is lent
 */
const IoStreamWindow *
io_stream_get_window (IoStream *self)
{
  return &IO_STREAM_PRIV (self)->window;
}

/**
 * io_stream_flush: (virtual flush)
 * @self: an #IoStream
 * @error: return location for a #GError
 *
 * Writes out whatever the stream buffers. Does nothing on unbuffered
 * streams, but still fails on a closed one, as in Python.
 *
 * Returns: `TRUE` on success
 */
gboolean
io_stream_flush (IoStream  *self,
                 GError   **error)
{
  g_auto (IoStreamHold) hold = IO_STREAM_HOLD_INIT;
  IoStreamClass *klass;
  GError *local_error = NULL;

  io_return_val_if_not_stream (self, FALSE);
  if (!io_stream_hold (self, &hold, error))
    return FALSE;

  if (IO_STREAM_PRIV (self)->closed)
    return io_stream_set_closed_error (self, error);
  /* A write that moved bytes before failing left its error here. */
  if G_UNLIKELY (!io_stream_check_write_pending (self, error))
    return FALSE;

  klass = IO_STREAM_GET_CLASS (self);
  if (klass->flush == NULL)
    return TRUE;
  if (!klass->flush (self, &local_error) || local_error != NULL)
    {
      if (local_error == NULL)
        io_stream_set_vfunc_failed (self, "flush", "failed without setting an error", &local_error);
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

/* Validates a position or size a vfunc returned. */
static gint64
checked_offset (IoStream   *self,
                const char *vfunc,
                gint64      result,
                GError     *local_error,
                GError    **error)
{
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return -1;
    }
  if (result < 0)
    {
      io_stream_set_vfunc_failed (self, vfunc, "returned a negative offset without an error",
                                  error);
      return -1;
    }
  return result;
}

/**
 * io_stream_seek: (virtual seek)
 * @self: an #IoStream
 * @offset: the offset in bytes, relative to @whence
 * @whence: where @offset counts from
 * @error: return location for a #GError
 *
 * Moves the stream position and returns the new one (Python's `seek()`).
 *
 * A negative absolute position fails with %G_IO_ERROR_INVALID_ARGUMENT, and
 * so does a @whence outside [enum@Io.Whence]. Whether a position past the
 * end, or a relative one before the start, is allowed is the backend's
 * business; see [class@Io.MemoryStream].
 *
 * Returns: the new position, or -1 on error
 */
gint64
io_stream_seek (IoStream  *self,
                gint64     offset,
                IoWhence   whence,
                GError   **error)
{
  g_auto (IoStreamHold) hold = IO_STREAM_HOLD_INIT;
  GError *local_error = NULL;
  gint64 result;

  io_return_val_if_not_stream (self, -1);
  if (!io_stream_hold (self, &hold, error))
    return -1;

  if (!io_stream_check_seekable (self, error))
    return -1;
  if ((guint) whence > IO_WHENCE_END)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "invalid whence (%d, should be 0, 1 or 2)", (int) whence);
      return -1;
    }
  if (whence == IO_WHENCE_SET && offset < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "negative seek value %" G_GINT64_FORMAT, offset);
      return -1;
    }

  result = IO_STREAM_GET_CLASS (self)->seek (self, offset, whence, &local_error);
  return checked_offset (self, "seek", result, local_error, error);
}

/**
 * io_stream_tell: (virtual tell)
 * @self: an #IoStream
 * @error: return location for a #GError
 *
 * Returns the current stream position (Python's `tell()`). A stream that
 * cannot seek fails with %G_IO_ERROR_NOT_SUPPORTED, as seek() does.
 *
 * Returns: the position, or -1 on error
 */
gint64
io_stream_tell (IoStream  *self,
                GError   **error)
{
  g_auto (IoStreamHold) hold = IO_STREAM_HOLD_INIT;
  IoStreamClass *klass;
  GError *local_error = NULL;
  gint64 result;

  io_return_val_if_not_stream (self, -1);
  if (!io_stream_hold (self, &hold, error))
    return -1;

  klass = IO_STREAM_GET_CLASS (self);
  if (klass->tell == NULL)
    return io_stream_seek (self, 0, IO_WHENCE_CUR, error);
  /* As seek() does: a stream that cannot seek has no position to tell. */
  if (!io_stream_check_seekable (self, error))
    return -1;

  result = klass->tell (self, &local_error);
  return checked_offset (self, "tell", result, local_error, error);
}

/**
 * io_stream_truncate: (virtual truncate)
 * @self: an #IoStream
 * @size: the new size, or -1 for the current position
 * @error: return location for a #GError
 *
 * Resizes the stream to @size bytes (Python's `truncate()`).
 *
 * The position does not move. Whether a larger @size extends the stream is
 * the backend's business: a memory stream never grows here, a file grows
 * with zeros. With -1 the stream is flushed first, then truncated at its
 * position, as CPython's buffered `truncate()` does (in append mode the
 * pending bytes go to the end, which is then the position).
 *
 * Returns: @size (the position after the flush when it was -1), or -1 on
 *   error
 */
gint64
io_stream_truncate (IoStream  *self,
                    gint64     size,
                    GError   **error)
{
  g_auto (IoStreamHold) hold = IO_STREAM_HOLD_INIT;
  IoStreamClass *klass;
  GError *local_error = NULL;
  gint64 result;

  io_return_val_if_not_stream (self, -1);
  if (!io_stream_hold (self, &hold, error))
    return -1;

  if (!io_stream_check_writable (self, error))
    return -1;
  klass = IO_STREAM_GET_CLASS (self);
  if (klass->truncate == NULL || !IO_STREAM_PRIV (self)->can_seek)
    return io_stream_set_unsupported_error (error, "truncate") - 1;
  if (size < -1)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "negative size value %" G_GINT64_FORMAT, size);
      return -1;
    }
  if (size == -1)
    {
      /* Pending bytes are written out first, as CPython's buffered
       * truncate() does: in append mode they land at the end, which is
       * then the position (before, it was where the layer would have
       * put them). */
      if (!io_stream_flush (self, error))
        return -1;
      size = io_stream_tell (self, error);
      if (size < 0)
        return -1;
      /* The backend may have closed its own stream from inside the tell. */
      if G_UNLIKELY (IO_STREAM_PRIV (self)->closed)
        return io_stream_set_closed_error (self, error) - 1;
    }

  result = klass->truncate (self, size, &local_error);
  result = checked_offset (self, "truncate", result, local_error, error);
  if G_UNLIKELY (result >= 0 && result != size)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "%s.truncate() returned %" G_GINT64_FORMAT " for a size of %"
                   G_GINT64_FORMAT, G_OBJECT_TYPE_NAME (self), result, size);
      return -1;
    }
  return result;
}

void
io_stream_mark_closed (IoStream *self)
{
  IoStreamPrivate *priv = IO_STREAM_PRIV (self);

  g_atomic_int_set (&priv->closed, TRUE);
  io_stream_lend_window (self, NULL, NULL, NULL);
  g_clear_error (&priv->pending_error);
  g_clear_error (&priv->pending_write_error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOSED]);
}

/**
 * io_stream_close: (virtual close)
 * @self: an #IoStream
 * @error: return location for a #GError
 *
 * Flushes and closes the stream (Python's `close()`).
 *
 * Closing a closed stream does nothing, and so does a close from inside
 * the backend's flush or close, which the close in progress finishes. If
 * flushing or closing fails the stream is closed all the same and the
 * first error is returned, except that a backend may refuse with
 * %G_IO_ERROR_BUSY (a memory stream whose buffer is exported), which
 * leaves the stream open.
 *
 * Returns: `TRUE` on success
 */
gboolean
io_stream_close (IoStream  *self,
                 GError   **error)
{
  g_auto (IoStreamHold) hold = IO_STREAM_HOLD_INIT;
  IoStreamPrivate *priv;
  IoStreamClass *klass;
  GError *flush_error = NULL;
  GError *close_error = NULL;
  GError *write_error;

  io_return_val_if_not_stream (self, FALSE);
  if (!io_stream_hold (self, &hold, error))
    return FALSE;

  /* A close from inside the flush or close vfunc does nothing: the close
   * in progress finishes the job, and calls each vfunc once, on an open
   * stream. */
  priv = IO_STREAM_PRIV (self);
  if (priv->closed || priv->closing)
    return TRUE;

  klass = IO_STREAM_GET_CLASS (self);
  /* The error of an earlier partial write comes first, as the flush error
   * it would have been in a buffered writer; the flush still runs. */
  write_error = g_steal_pointer (&priv->pending_write_error);
  priv->closing = 1;
  (void) io_stream_flush (self, &flush_error);
  if (klass->close != NULL &&
      (!klass->close (self, &close_error) || close_error != NULL) &&
      close_error == NULL)
    io_stream_set_vfunc_failed (self, "close", "failed without setting an error", &close_error);
  priv->closing = 0;

  if (g_error_matches (close_error, G_IO_ERROR, G_IO_ERROR_BUSY))
    {
      /* Still open: the write error waits for the next call again. */
      g_clear_error (&flush_error);
      priv->pending_write_error = write_error;
      g_propagate_error (error, close_error);
      return FALSE;
    }

  if (write_error != NULL)
    {
      g_clear_error (&flush_error);
      flush_error = write_error;
    }

  io_stream_mark_closed (self);

  if (flush_error != NULL)
    {
      g_clear_error (&close_error);
      g_propagate_error (error, flush_error);
      return FALSE;
    }
  if (close_error != NULL)
    {
      g_propagate_error (error, close_error);
      return FALSE;
    }
  return TRUE;
}

/**
 * io_stream_is_closed: (get-property closed)
 * @self: an #IoStream
 *
 * Whether the stream is closed (Python's `closed`).
 *
 * Returns: `TRUE` once [method@Io.Stream.close] has run
 */
gboolean
io_stream_is_closed (IoStream *self)
{
  io_return_val_if_not_stream (self, TRUE);

  return g_atomic_int_get (&IO_STREAM_PRIV (self)->closed);
}

/**
 * io_stream_readable:
 * @self: an #IoStream
 * @error: return location for a #GError
 *
 * Whether the stream can be read (Python's `readable()`). Fails with
 * %G_IO_ERROR_CLOSED on a closed stream.
 *
 * Returns: `TRUE` if the stream is readable
 */
gboolean
io_stream_readable (IoStream  *self,
                    GError   **error)
{
  g_auto (IoStreamHold) hold = IO_STREAM_HOLD_INIT;
  IoStreamPrivate *priv;

  io_return_val_if_not_stream (self, FALSE);
  if (!io_stream_hold (self, &hold, error))
    return FALSE;

  priv = io_stream_get_caps (self);
  if (priv->closed)
    return io_stream_set_closed_error (self, error);
  return priv->can_read;
}

/**
 * io_stream_writable:
 * @self: an #IoStream
 * @error: return location for a #GError
 *
 * Whether the stream can be written (Python's `writable()`). Fails with
 * %G_IO_ERROR_CLOSED on a closed stream.
 *
 * Returns: `TRUE` if the stream is writable
 */
gboolean
io_stream_writable (IoStream  *self,
                    GError   **error)
{
  g_auto (IoStreamHold) hold = IO_STREAM_HOLD_INIT;
  IoStreamPrivate *priv;

  io_return_val_if_not_stream (self, FALSE);
  if (!io_stream_hold (self, &hold, error))
    return FALSE;

  priv = io_stream_get_caps (self);
  if (priv->closed)
    return io_stream_set_closed_error (self, error);
  return priv->can_write;
}

/**
 * io_stream_seekable:
 * @self: an #IoStream
 * @error: return location for a #GError
 *
 * Whether the stream supports [method@Io.Stream.seek] (Python's
 * `seekable()`). Fails with %G_IO_ERROR_CLOSED on a closed stream.
 *
 * Returns: `TRUE` if the stream is seekable
 */
gboolean
io_stream_seekable (IoStream  *self,
                    GError   **error)
{
  g_auto (IoStreamHold) hold = IO_STREAM_HOLD_INIT;
  IoStreamPrivate *priv;

  io_return_val_if_not_stream (self, FALSE);
  if (!io_stream_hold (self, &hold, error))
    return FALSE;

  priv = io_stream_get_caps (self);
  if (priv->closed)
    return io_stream_set_closed_error (self, error);
  return priv->can_seek;
}

/**
 * io_stream_isatty: (virtual isatty)
 * @self: an #IoStream
 * @error: return location for a #GError
 *
 * Whether the stream is an interactive terminal (Python's `isatty()`).
 *
 * Returns: `TRUE` for a terminal; `FALSE` otherwise or on error
 */
gboolean
io_stream_isatty (IoStream  *self,
                  GError   **error)
{
  g_auto (IoStreamHold) hold = IO_STREAM_HOLD_INIT;
  IoStreamClass *klass;
  GError *local_error = NULL;
  gboolean result;

  io_return_val_if_not_stream (self, FALSE);
  if (!io_stream_hold (self, &hold, error))
    return FALSE;

  if (IO_STREAM_PRIV (self)->closed)
    return io_stream_set_closed_error (self, error);
  klass = IO_STREAM_GET_CLASS (self);
  if (klass->isatty == NULL)
    return FALSE;
  result = klass->isatty (self, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return result;
}

/**
 * io_stream_fileno: (virtual fileno)
 * @self: an #IoStream
 * @error: return location for a #GError
 *
 * Returns the file descriptor under the stream (Python's `fileno()`).
 * Streams without one fail with %G_IO_ERROR_NOT_SUPPORTED.
 *
 * Returns: the file descriptor, or -1 on error
 */
int
io_stream_fileno (IoStream  *self,
                  GError   **error)
{
  g_auto (IoStreamHold) hold = IO_STREAM_HOLD_INIT;
  IoStreamClass *klass;
  GError *local_error = NULL;
  int fd;

  io_return_val_if_not_stream (self, -1);
  if (!io_stream_hold (self, &hold, error))
    return -1;

  if (IO_STREAM_PRIV (self)->closed)
    return io_stream_set_closed_error (self, error) - 1;
  klass = IO_STREAM_GET_CLASS (self);
  if (klass->fileno == NULL)
    return io_stream_set_unsupported_error (error, "fileno") - 1;
  fd = klass->fileno (self, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return -1;
    }
  if (fd < 0)
    {
      io_stream_set_vfunc_failed (self, "fileno", "returned a negative descriptor without an error",
                        error);
      return -1;
    }
  return fd;
}

static gboolean
io_stream_real_can_read (IoStream *self)
{
  IoStreamClass *klass = IO_STREAM_GET_CLASS (self);

  return klass->read != NULL || klass->read_chunk != NULL;
}

static gboolean
io_stream_real_can_write (IoStream *self)
{
  return IO_STREAM_GET_CLASS (self)->write != NULL;
}

static gboolean
io_stream_real_can_seek (IoStream *self)
{
  return IO_STREAM_GET_CLASS (self)->seek != NULL;
}

GQuark io_stream_explicit_close_quark (void);
IO_DEFINE_QUARK (io-stream-explicit-close, io_stream_explicit_close)

/**
 * io_stream_require_explicit_close:
 * @type: a subtype of [class@Io.Stream]
 *
 * Declares that streams of @type, and of its subtypes, must be closed
 * explicitly: disposing one that is still open does not close it (no vfunc
 * is called) but warns that it was not closed.
 *
 * For backends written in a language that cannot run code while its
 * garbage collector frees the object, such as JavaScript: GJS collects a
 * stream dropped open and disposes it from the collector, where its
 * `vfunc_close()` cannot run. The GJS override declares every JavaScript
 * class that implements a vfunc; C and Python backends are closed by
 * dispose. Call it before the first instance of @type is made.
 */
void
io_stream_require_explicit_close (GType type)
{
  g_return_if_fail (g_type_is_a (type, IO_TYPE_STREAM));

  g_type_set_qdata (type, io_stream_explicit_close_quark (), GINT_TO_POINTER (TRUE));
}

static gboolean
requires_explicit_close (GType type)
{
  for (; type != IO_TYPE_STREAM; type = g_type_parent (type))
    if (g_type_get_qdata (type, io_stream_explicit_close_quark ()) != NULL)
      return TRUE;
  return FALSE;
}

static void
io_stream_dispose (GObject *object)
{
  IoStream *self = IO_STREAM (object);
  GError *error = NULL;

  if (!IO_STREAM_PRIV (self)->closed && requires_explicit_close (G_OBJECT_TYPE (self)))
    g_warning ("%s %p was disposed while open and is left unclosed: "
               "a stream of this type must be closed explicitly with close()",
               G_OBJECT_TYPE_NAME (self), self);
  else if (!IO_STREAM_PRIV (self)->closed && !io_stream_close (self, &error))
    {
      io_stream_report_drop_error (self, error);
      g_clear_error (&error);
    }

  G_OBJECT_CLASS (io_stream_parent_class)->dispose (object);
}

static void
io_stream_finalize (GObject *object)
{
  IoStreamPrivate *priv = IO_STREAM_PRIV (IO_STREAM (object));

  g_clear_error (&priv->pending_error);
  g_clear_error (&priv->pending_write_error);

  G_OBJECT_CLASS (io_stream_parent_class)->finalize (object);
}

static void
io_stream_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  IoStream *self = IO_STREAM (object);

  switch (prop_id)
    {
    case PROP_CLOSED:
      g_value_set_boolean (value, io_stream_is_closed (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
io_stream_class_init (IoStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = io_stream_dispose;
  object_class->finalize = io_stream_finalize;
  object_class->get_property = io_stream_get_property;

  io_stream_private_offset = IoStream_private_offset;
  io_stream_window_offset = IoStream_private_offset +
                            (gssize) G_STRUCT_OFFSET (IoStreamPrivate, window);

  klass->can_read = io_stream_real_can_read;
  klass->can_write = io_stream_real_can_write;
  klass->can_seek = io_stream_real_can_seek;
  io_stream_class_init_async (klass);

  /**
   * IoStream:closed: (getter is_closed)
   *
   * Whether the stream is closed. Notified once, when it closes.
   */
  properties[PROP_CLOSED] =
    g_param_spec_boolean ("closed", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
io_stream_init (IoStream *self)
{
}
