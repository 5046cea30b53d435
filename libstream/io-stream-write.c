/* io-stream-write.c: the writes of IoStream, the inline one included
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "io-stream-inline-private.h"

/* memmove(), as the reads' window_read(): @buffer may lie in the window's
 * own memory. */
G_NO_INLINE static void
window_write (IoStreamWindow *window,
              const guint8   *buffer,
              gsize           count)
{
  memmove (window->pos, buffer, count);
  window->pos += count;
  if (window->pos > window->read_end)
    window->read_end = window->pos;
}

/* Copies @count bytes to the position; the content grows to the position
 * if it passed its end. */
static inline void
window_write_inline (IoStreamWindow *window,
                     const guint8   *buffer,
                     gsize           count)
{
  if (count > IO_INLINE_COPY_MAX)
    {
      window_write (window, buffer, count);
      return;
    }
  io_copy_small (window->pos, buffer, count);
  window->pos += count;
  if (window->pos > window->read_end)
    window->read_end = window->pos;
}

/* Calls the backend until all of @buffer is written, a write would block
 * after a partial write, or the backend closed the stream. *done is the
 * count written, also on failure. FALSE with @error set on an error, which
 * may come after bytes moved: the callers decide what becomes of it. */
static gboolean
write_loop (IoStream      *self,
            IoStreamClass *klass,
            const guint8  *buffer,
            gsize          count,
            gsize         *done_out,
            GError       **error)
{
  gsize done = 0;

  *done_out = 0;
  do
    {
      GError *local_error = NULL;
      /* done > 0 implies buffer != NULL: no arithmetic on a NULL buffer
       * for an empty write. */
      gssize n = klass->write (self, done > 0 ? buffer + done : buffer, count - done,
                               &local_error);

      if G_UNLIKELY (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
      if G_UNLIKELY (n <= 0 && count > 0)
        {
          io_stream_set_vfunc_failed (self, "write",
                            n < 0 ? "failed without setting an error" : "wrote nothing",
                            error);
          return FALSE;
        }
      if G_UNLIKELY ((gsize) n > count - done)
        {
          io_stream_set_vfunc_failed (self, "write", "claims more bytes than it was given", error);
          return FALSE;
        }
      done += (gsize) n;
      *done_out = done;
    }
  /* The backend may have closed its own stream from inside the write: no
   * write on a closed stream. */
  while (done < count && !IO_STREAM_PRIV (self)->closed);

  return TRUE;
}

/* The checks every write makes before the backend: open, writable, no
 * error left by an earlier partial write. */
static IoStreamClass *
write_begin (IoStream  *self,
             gsize      count,
             GError   **error)
{
  IoStreamClass *klass;

  if G_UNLIKELY (!io_stream_check_writable (self, error) ||
                 !io_stream_check_write_pending (self, error) ||
                 !io_stream_check_count (count, error))
    return NULL;

  klass = IO_STREAM_GET_CLASS (self);
  if G_UNLIKELY (klass->write == NULL)
    {
      io_stream_set_unsupported_error (error, "write");
      return NULL;
    }
  return klass;
}

G_NO_INLINE static gssize
write_slow (IoStream      *self,
            const guint8  *buffer,
            gsize          count,
            GError       **error)
{
  g_auto (IoStreamHold) hold = IO_STREAM_HOLD_INIT;
  IoStreamClass *klass;
  GError *local_error = NULL;
  gsize done;

  io_return_val_if_not_stream_in ("io_stream_write", self, -1);
  io_return_val_if_fail_in ("io_stream_write", buffer != NULL || count == 0, -1);
  if (!io_stream_hold (self, &hold, error))
    return -1;

  klass = write_begin (self, count, error);
  if G_UNLIKELY (klass == NULL)
    return -1;

  if G_LIKELY (write_loop (self, klass, buffer, count, &done, &local_error))
    return (gssize) done;

  if (done == 0)
    {
      g_propagate_error (error, local_error);
      return -1;
    }
  /* Bytes moved before the error: their count is returned, as a raw
   * write(2) returns it, and the error waits for the next write, flush
   * or close. A would-block after progress is no error at all, and a
   * stream the backend closed reports its close. */
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK) ||
      IO_STREAM_PRIV (self)->closed)
    g_error_free (local_error);
  else
    {
      IoStreamPrivate *priv = IO_STREAM_PRIV (self);

      priv->pending_write_error = local_error;
      priv->window.write_end = NULL;
    }
  return (gssize) done;
}

/* Whether the window takes all @count bytes of a write. Reads move pos
 * past a write_end left behind by a backend that closed the write window,
 * hence the first test. */
static inline gboolean
window_takes (const IoStreamWindow *window,
              gsize                 count)
{
  return window->pos < window->write_end &&
         count - 1 < (gsize) (window->write_end - window->pos);
}

/* io_stream_write()'s second half: a write the window takes, by a thread
 * that may have to take the stream, or a large one; the argument checks
 * and everything else are write_slow()'s. */
G_NO_INLINE static gssize
write_taking (IoStream      *self,
              const guint8  *buffer,
              gsize          count,
              GError       **error)
{
  IoStreamPrivate *priv;
  gboolean taken;

  if G_LIKELY (buffer != NULL && (priv = io_stream_inline_enter (self, &taken)) != NULL)
    {
      gboolean served = window_takes (&priv->window, count);

      if G_LIKELY (served)
        window_write_inline (&priv->window, buffer, count);
      io_stream_inline_leave (priv, taken);
      if G_LIKELY (served)
        return (gssize) count;
    }

  return write_slow (self, buffer, count, error);
}

/**
 * io_stream_write: (virtual write)
 * @self: an #IoStream
 * @buffer: (array length=count) (element-type guint8): the bytes to write
 * @count: (in): the number of bytes in @buffer
 * @error: return location for a #GError
 *
 * Writes all of @buffer (Python's `BufferedIOBase.write()`).
 *
 * The backend is called until every byte is written. A call that
 * writes nothing fails; one that stops short after writing some bytes
 * returns their count, without an error, so that no caller is unsure how
 * much was written:
 *
 * - a non-blocking backend that would block: the would-block is dropped
 *   (when nothing could be written the call fails with
 *   %G_IO_ERROR_WOULD_BLOCK);
 * - a backend that closes the stream from inside the write: the next call
 *   fails with %G_IO_ERROR_CLOSED;
 * - any other error (a full disk, a file size limit, a broken pipe): the
 *   error is kept, and the next write, [method@Io.Stream.writelines],
 *   [method@Io.Stream.write_all], [method@Io.Stream.flush] or
 *   [method@Io.Stream.close] reports it without calling the backend.
 *
 * [method@Io.Stream.write_all] reports such an error at once, with the
 * count.
 *
 * Returns: the number of bytes written (@count unless the write stopped
 *   short as above), or -1 on error
 */
gssize
io_stream_write (IoStream      *self,
                 const guint8  *buffer,
                 gsize          count,
                 GError       **error)
{
  IoStreamPrivate *priv;

  /* A small write that fits the backend's window (never an empty write,
   * which must still fail on a closed stream), by a thread that need not
   * take the stream: it calls nothing, so it needs no stack frame. */
  if G_LIKELY (buffer != NULL && count - 1 < IO_INLINE_COPY_MAX &&
               (priv = io_stream_inline_enter_untaken (self)) != NULL &&
               window_takes (&priv->window, count))
    {
      window_write_inline (&priv->window, buffer, count);
      return (gssize) count;
    }

  return write_taking (self, buffer, count, error);
}

/**
 * io_stream_write_bytes:
 * @self: an #IoStream
 * @bytes: the bytes to write
 * @error: return location for a #GError
 *
 * The `GBytes` twin of [method@Io.Stream.write].
 *
 * Returns: the number of bytes written, or -1 on error
 */
gssize
io_stream_write_bytes (IoStream  *self,
                       GBytes    *bytes,
                       GError   **error)
{
  gsize len;
  const guint8 *data;

  io_return_val_if_not_stream (self, -1);
  g_return_val_if_fail (bytes != NULL, -1);

  data = g_bytes_get_data (bytes, &len);
  return io_stream_write (self, data, len, error);
}

/**
 * io_stream_write_address:
 * @self: an #IoStream
 * @address: the address of @count readable bytes
 * @count: how many bytes to write
 * @error: return location for a #GError
 *
 * [method@Io.Stream.write] for a buffer given by its address.
 *
 * This is how the Python layer's `write()` hands a `bytearray`, a
 * `memoryview` or any other bytes-like object to C without copying it
 * first; it is not meant for other callers.
 *
 * Returns: the number of bytes written, or -1 on error
 */
gssize
io_stream_write_address (IoStream  *self,
                         guintptr   address,
                         gsize      count,
                         GError   **error)
{
  io_return_val_if_not_stream (self, -1);

  if (!io_stream_check_address (address, count, error))
    return -1;
  return io_stream_write (self, (const guint8 *) address, count, error);
}

/* write_all() and the lines: io_stream_write(), inline path included, with
 * the error of a write that stopped short reported at once. @done is what
 * was written, also on failure. */
static gboolean
write_all_held (IoStream      *self,
                const guint8  *buffer,
                gsize          count,
                gsize         *done,
                GError       **error)
{
  IoStreamPrivate *priv = IO_STREAM_PRIV (self);
  gssize n = io_stream_write (self, buffer, count, error);

  *done = n > 0 ? (gsize) n : 0;
  if (n < 0)
    return FALSE;
  if G_LIKELY ((gsize) n == count)
    return TRUE;
  /* Short: the backend failed, closed the stream, or would block. */
  if (priv->pending_write_error != NULL)
    g_propagate_error (error, g_steal_pointer (&priv->pending_write_error));
  else if (priv->closed)
    io_stream_set_closed_error (self, error);
  else
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, "Write would block");
  return FALSE;
}

/**
 * io_stream_write_all: (skip)
 * @self: an #IoStream
 * @buffer: (array length=count) (element-type guint8): the bytes to write
 * @count: the number of bytes in @buffer
 * @bytes_written: (out) (optional): return location for the number of
 *   bytes written, also on failure
 * @error: return location for a #GError
 *
 * Writes all of @buffer, or fails saying how much was written (GIO's
 * `g_output_stream_write_all()`).
 *
 * Where [method@Io.Stream.write] returns the count of a write that stopped
 * short and keeps its error for the next call, this reports the error at
 * once, with the count in @bytes_written: an error from the backend after
 * some bytes moved, %G_IO_ERROR_WOULD_BLOCK when a non-blocking backend
 * would block, %G_IO_ERROR_CLOSED when the backend closed the stream from
 * inside the write. An error an earlier [method@Io.Stream.write] kept is
 * reported first, with nothing written.
 *
 * Returns: `TRUE` if all of @buffer was written
 */
gboolean
io_stream_write_all (IoStream      *self,
                     const guint8  *buffer,
                     gsize          count,
                     gsize         *bytes_written,
                     GError       **error)
{
  g_auto (IoStreamHold) hold = IO_STREAM_HOLD_INIT;
  gsize done = 0;
  gboolean ok;

  if (bytes_written != NULL)
    *bytes_written = 0;
  io_return_val_if_not_stream (self, FALSE);
  g_return_val_if_fail (buffer != NULL || count == 0, FALSE);
  if (!io_stream_hold (self, &hold, error))
    return FALSE;

  ok = write_all_held (self, buffer, count, &done, error);
  if (bytes_written != NULL)
    *bytes_written = done;
  return ok;
}

/**
 * io_stream_write_all_bytes:
 * @self: an #IoStream
 * @bytes: the bytes to write
 * @bytes_written: (out) (optional): return location for the number of
 *   bytes written, also on failure
 * @error: return location for a #GError
 *
 * The `GBytes` twin of [method@Io.Stream.write_all].
 *
 * Bindings that raise a `GError` as an exception drop the out values, and
 * with them @bytes_written: there, [method@Io.Stream.write] gives the
 * count of a write that stopped short, and the next call the error.
 *
 * Returns: `TRUE` if all of @bytes was written
 */
gboolean
io_stream_write_all_bytes (IoStream  *self,
                           GBytes    *bytes,
                           gsize     *bytes_written,
                           GError   **error)
{
  gsize len;
  const guint8 *data;

  if (bytes_written != NULL)
    *bytes_written = 0;
  io_return_val_if_not_stream (self, FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);

  data = g_bytes_get_data (bytes, &len);
  return io_stream_write_all (self, data, len, bytes_written, error);
}

/**
 * io_stream_writelines_all:
 * @self: an #IoStream
 * @lines: (array length=n_lines): the chunks to write
 * @n_lines: the number of chunks
 * @lines_written: (out) (optional): return location for the number of
 *   chunks written in full, also on failure
 * @bytes_written: (out) (optional): return location for the number of
 *   bytes written of the chunk that failed, or 0
 * @error: return location for a #GError
 *
 * [method@Io.Stream.writelines], saying on failure how far it got: chunks
 * `0` to @lines_written - 1 were written, and the first @bytes_written
 * bytes of chunk @lines_written. As [method@Io.Stream.write_all] does for
 * one buffer, the error of a chunk is reported at once, with the counts.
 *
 * Returns: `TRUE` if every chunk was written in full
 */
gboolean
io_stream_writelines_all (IoStream      *self,
                          GBytes *const *lines,
                          gsize          n_lines,
                          gsize         *lines_written,
                          gsize         *bytes_written,
                          GError       **error)
{
  g_auto (IoStreamHold) hold = IO_STREAM_HOLD_INIT;
  gsize i;

  if (lines_written != NULL)
    *lines_written = 0;
  if (bytes_written != NULL)
    *bytes_written = 0;
  io_return_val_if_not_stream (self, FALSE);
  g_return_val_if_fail (lines != NULL || n_lines == 0, FALSE);
  if (!io_stream_hold (self, &hold, error))
    return FALSE;

  if (!io_stream_check_writable (self, error) || !io_stream_check_write_pending (self, error))
    return FALSE;

  for (i = 0; i < n_lines; i++)
    {
      const guint8 *data;
      gsize len, done;

      g_return_val_if_fail (lines[i] != NULL, FALSE);
      data = g_bytes_get_data (lines[i], &len);
      if (!write_all_held (self, data, len, &done, error))
        {
          if (bytes_written != NULL)
            *bytes_written = done;
          return FALSE;
        }
      if (lines_written != NULL)
        *lines_written = i + 1;
    }
  return TRUE;
}

/**
 * io_stream_writelines:
 * @self: an #IoStream
 * @lines: (array length=n_lines): the chunks to write
 * @n_lines: the number of chunks
 * @error: return location for a #GError
 *
 * Writes each chunk in turn, adding no separators (Python's
 * `writelines()`).
 *
 * It has no count to return, so a chunk that stops short fails it at once:
 * with the backend's error, %G_IO_ERROR_WOULD_BLOCK, or %G_IO_ERROR_CLOSED
 * when the backend closed the stream. [method@Io.Stream.writelines_all]
 * says how much was written.
 *
 * Returns: `TRUE` if every chunk was written in full
 */
gboolean
io_stream_writelines (IoStream      *self,
                      GBytes *const *lines,
                      gsize          n_lines,
                      GError       **error)
{
  return io_stream_writelines_all (self, lines, n_lines, NULL, NULL, error);
}
