/* io-stream-read.c: the reads of IoStream, the inline ones included
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <sys/stat.h>

#include "io-buffer-private.h"
#include "io-stream-inline-private.h"

/* memmove(), not memcpy(): @buffer may lie in the very memory the window
 * lends (a read into a memory stream's exported buffer). The inline copies
 * of up to 16 bytes load everything before they store, so they need no
 * such care. */
G_NO_INLINE static void
window_read (IoStreamWindow *window,
             guint8         *buffer,
             gsize           count)
{
  memmove (buffer, window->pos, count);
  window->pos += count;
}

/* The inline read of @count bytes the window holds (all of them). */
static inline void
window_read_inline (IoStreamWindow *window,
                    guint8         *buffer,
                    gsize           count)
{
  if (count > IO_INLINE_COPY_MAX)
    window_read (window, buffer, count);
  else
    {
      io_copy_small (buffer, window->pos, count);
      window->pos += count;
    }
}

/* The first half of io_stream_read() and io_stream_read1(): a read of 1
 * to 16 bytes the backend's window holds all of (an empty read, which must
 * still fail on a closed stream, never is), by a thread that need not take
 * the stream. It calls nothing, so the functions need no stack frame
 * before they know that they must call. */
static inline gboolean
window_read_small_untaken (IoStream *self,
                           guint8   *buffer,
                           gsize     count)
{
  IoStreamPrivate *priv;

  if G_LIKELY (buffer != NULL && count - 1 < IO_INLINE_COPY_MAX &&
               (priv = io_stream_inline_enter_untaken (self)) != NULL &&
               count - 1 < io_window_readable (&priv->window))
    {
      io_copy_small (buffer, priv->window.pos, count);
      priv->window.pos += count;
      return TRUE;
    }
  return FALSE;
}

/* Moves the bytes the window holds, at most @count of them, into @buffer:
 * what the backend's read would have returned. */
static gsize
take_from_window (IoStream *self,
                  IoBuffer *buffer,
                  gsize     count,
                  GError  **error)
{
  IoStreamWindow *window = &IO_STREAM_PRIV (self)->window;
  gsize n = MIN (io_window_readable (window), count);

  if (n == 0 || !io_buffer_append (buffer, window->pos, n, error))
    return 0;
  window->pos += n;
  return n;
}

/* The raw read, its result checked. */
static gssize
read_backend (IoStream  *self,
              guint8    *buffer,
              gsize      count,
              GError   **error)
{
  IoStreamClass *klass = IO_STREAM_GET_CLASS (self);
  GError *local_error = NULL;
  gssize n;

  if G_LIKELY (klass->read != NULL)
    {
      n = klass->read (self, buffer, count, &local_error);
      if G_UNLIKELY (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return -1;
        }
      if G_UNLIKELY (n < 0)
        {
          io_stream_set_vfunc_failed (self, "read", "failed without setting an error", error);
          return -1;
        }
      if G_UNLIKELY ((gsize) n > count)
        {
          io_stream_set_too_many_error (self, "read", (gsize) n, count, error);
          return -1;
        }
      return n;
    }
  else if (klass->read_chunk != NULL)
    {
      GBytes *chunk = klass->read_chunk (self, count, &local_error);
      gsize len;

      if (local_error != NULL)
        {
          g_clear_pointer (&chunk, g_bytes_unref);
          g_propagate_error (error, local_error);
          return -1;
        }
      if (chunk == NULL)
        {
          io_stream_set_vfunc_failed (self, "read_chunk", "returned NULL without an error", error);
          return -1;
        }
      len = g_bytes_get_size (chunk);
      if (len > count)
        {
          io_stream_set_too_many_error (self, "read_chunk", len, count, error);
          g_bytes_unref (chunk);
          return -1;
        }
      if (len > 0)
        memcpy (buffer, g_bytes_get_data (chunk, NULL), len);
      g_bytes_unref (chunk);
      return (gssize) len;
    }

  io_stream_set_unsupported_error (error, "read");
  return -1;
}

/* One call into the backend, on an open stream only. A backend (or a
 * callback of it) may close its own stream from inside a read: a loop
 * calling again then gets CLOSED here instead of a vfunc call on a closed
 * stream, and io_stream_partial_read_result() keeps what the loop already
 * read. A read that closed the stream and returned nothing reports the
 * close, not the end of the stream. */
gssize
io_stream_read_once (IoStream  *self,
                     guint8    *buffer,
                     gsize      count,
                     GError   **error)
{
  IoStreamPrivate *priv = IO_STREAM_PRIV (self);
  gssize n;

  if G_UNLIKELY (priv->closed)
    return io_stream_set_closed_error (self, error) - 1;
  n = read_backend (self, buffer, count, error);
  if G_UNLIKELY (n == 0 && priv->closed)
    return io_stream_set_closed_error (self, error) - 1;
  return n;
}

/* Keeps data already transferred: the error is reported by the next read.
 * On a stream closed meanwhile (by the backend, from inside the read) the
 * next read reports the close, and the error goes, as close() drops a
 * pending error. */
gssize
io_stream_partial_read_result (IoStream *self,
                               gsize     done,
                               GError   *local_error,
                               GError  **error)
{
  if (done == 0)
    {
      g_propagate_error (error, local_error);
      return -1;
    }
  if (IO_STREAM_PRIV (self)->closed ||
      g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    g_error_free (local_error);
  else
    {
      IoStreamPrivate *priv = IO_STREAM_PRIV (self);

      priv->pending_error = local_error;
      io_stream_update_read_stop (priv);
    }
  return (gssize) done;
}

static gssize
read_full (IoStream  *self,
           guint8    *buffer,
           gsize      count,
           GError   **error)
{
  GError *local_error = NULL;
  gsize done = 0;

  while (done < count)
    {
      gssize n = io_stream_read_once (self, buffer + done, count - done, &local_error);

      if G_UNLIKELY (n < 0)
        return io_stream_partial_read_result (self, done, local_error, error);
      if (n == 0)
        break;
      done += (gsize) n;
    }

  return (gssize) done;
}

/* The checks of the out-of-line halves of io_stream_read() and
 * io_stream_read1() (@func), which need no stack frame on their inline
 * paths. */
static inline gboolean
begin_read_into (const char    *func,
                 IoStream      *self,
                 guint8        *buffer,
                 gsize          count,
                 IoStreamHold  *hold,
                 GError       **error)
{
  io_return_val_if_not_stream_in (func, self, FALSE);
  io_return_val_if_fail_in (func, buffer != NULL || count == 0, FALSE);

  return io_stream_hold (self, hold, error) &&
         io_stream_check_readable (self, error) &&
         io_stream_check_count (count, error);
}

G_NO_INLINE static gssize
read_slow (IoStream  *self,
           guint8    *buffer,
           gsize      count,
           GError   **error)
{
  g_auto (IoStreamHold) hold = IO_STREAM_HOLD_INIT;

  if G_UNLIKELY (!begin_read_into ("io_stream_read", self, buffer, count, &hold, error))
    return -1;
  return read_full (self, buffer, count, error);
}

/* io_stream_read()'s second half: a read the window holds all of, by a
 * thread that may have to take the stream, or a large one; the argument
 * checks and everything else are read_slow()'s. */
G_NO_INLINE static gssize
read_taking (IoStream  *self,
             guint8    *buffer,
             gsize      count,
             GError   **error)
{
  IoStreamPrivate *priv;
  gboolean taken;

  if G_LIKELY (buffer != NULL && (priv = io_stream_inline_enter (self, &taken)) != NULL)
    {
      gboolean served = count - 1 < io_window_readable (&priv->window);

      if G_LIKELY (served)
        window_read_inline (&priv->window, buffer, count);
      io_stream_inline_leave (priv, taken);
      if G_LIKELY (served)
        return (gssize) count;
    }

  return read_slow (self, buffer, count, error);
}

/**
 * io_stream_read: (virtual read) (skip)
 * @self: an #IoStream
 * @buffer: (out caller-allocates) (array length=count) (element-type guint8):
 *   the buffer to fill
 * @count: (in): the size of @buffer in bytes
 * @error: return location for a #GError
 *
 * Reads into @buffer until it is full or the stream ends (Python's
 * `BufferedIOBase.readinto()`).
 *
 * The bytes of @buffer past the returned count are left alone. This method
 * is for C and Vala; bindings use [method@Io.Stream.read_bytes].
 *
 * Returns: the number of bytes read, 0 at the end of the stream, or -1 on
 *   error
 */
gssize
io_stream_read (IoStream  *self,
                guint8    *buffer,
                gsize      count,
                GError   **error)
{
  if G_LIKELY (window_read_small_untaken (self, buffer, count))
    return (gssize) count;
  return read_taking (self, buffer, count, error);
}

G_NO_INLINE static gssize
read1_slow (IoStream  *self,
            guint8    *buffer,
            gsize      count,
            GError   **error)
{
  g_auto (IoStreamHold) hold = IO_STREAM_HOLD_INIT;

  if G_UNLIKELY (!begin_read_into ("io_stream_read1", self, buffer, count, &hold, error))
    return -1;
  if G_UNLIKELY (count == 0)
    return 0;
  return io_stream_read_once (self, buffer, count, error);
}

/* io_stream_read1()'s second half, as read_taking() is io_stream_read()'s. */
G_NO_INLINE static gssize
read1_taking (IoStream  *self,
              guint8    *buffer,
              gsize      count,
              GError   **error)
{
  IoStreamPrivate *priv;
  gboolean taken;

  /* What the backend's read would return, served from its window. */
  if G_LIKELY (buffer != NULL && count - 1 < (gsize) G_MAXSSIZE &&
               (priv = io_stream_inline_enter (self, &taken)) != NULL)
    {
      gsize available = MIN (count, io_window_readable (&priv->window));

      if G_LIKELY (available > 0)
        window_read_inline (&priv->window, buffer, available);
      io_stream_inline_leave (priv, taken);
      if G_LIKELY (available > 0)
        return (gssize) available;
    }

  return read1_slow (self, buffer, count, error);
}

/**
 * io_stream_read1: (skip)
 * @self: an #IoStream
 * @buffer: (out caller-allocates) (array length=count) (element-type guint8):
 *   the buffer to fill
 * @count: (in): the size of @buffer in bytes
 * @error: return location for a #GError
 *
 * Reads into @buffer with at most one call into the backend (Python's
 * `readinto1()`), so the count may be short before the end of the stream.
 *
 * Returns: the number of bytes read, 0 at the end of the stream, or -1 on
 *   error
 */
gssize
io_stream_read1 (IoStream  *self,
                 guint8    *buffer,
                 gsize      count,
                 GError   **error)
{
  if G_LIKELY (window_read_small_untaken (self, buffer, count))
    return (gssize) count;
  return read1_taking (self, buffer, count, error);
}

/* How many bytes are left before the end of a regular file under the
 * stream, as FileIO's readall() sizes its buffer; 0 when there is no such
 * file or it ends before the position. One fstat(2) and one tell. */
static gsize
regular_file_left (IoStream *self)
{
  IoStreamClass *klass = IO_STREAM_GET_CLASS (self);
  GError *local_error = NULL;
  struct stat st;
  gint64 position;
  int fd;

  if (klass->fileno == NULL || klass->tell == NULL || !IO_STREAM_PRIV (self)->can_seek)
    return 0;
  fd = klass->fileno (self, &local_error);
  /* The fileno vfunc may have closed the stream: no tell on it then. */
  if (local_error != NULL || fd < 0 || IO_STREAM_PRIV (self)->closed ||
      fstat (fd, &st) < 0 || !S_ISREG (st.st_mode))
    {
      g_clear_error (&local_error);
      return 0;
    }
  position = klass->tell (self, &local_error);
  if (local_error != NULL || position < 0 || position >= st.st_size ||
      (guint64) (st.st_size - position) >= IO_BUFFER_MAX)
    {
      g_clear_error (&local_error);
      return 0;
    }
  return (gsize) (st.st_size - position);
}

/* Reads everything to the end of the stream. */
static guint8 *
read_to_end (IoStream *self,
             gsize    *out_len,
             GError  **error)
{
  IoBuffer buffer = IO_BUFFER_INIT;
  GError *local_error = NULL;
  gsize left = regular_file_left (self);

  /* A file is read into a buffer of its size plus one byte, which the
   * read that finds the end (or the growth since the fstat) lands in. */
  if (left > 0 && (buffer.data = g_try_malloc (left + 1)) != NULL)
    buffer.capacity = left + 1;

  (void) take_from_window (self, &buffer, G_MAXSIZE, &local_error);

  while (local_error == NULL)
    {
      gssize n;

      /* A chunk of room for each read, except into a file's sized buffer,
       * which grows only once full (the file grew). */
      if (buffer.capacity - buffer.len < (left > 0 ? 1 : IO_CHUNK_SIZE) &&
          !io_grow_capacity (&buffer.data, &buffer.capacity,
                             buffer.len + IO_CHUNK_SIZE, &local_error))
        break;
      n = io_stream_read_once (self, buffer.data + buffer.len, buffer.capacity - buffer.len,
                               &local_error);
      if (n <= 0)
        break;
      buffer.len += (gsize) n;
    }

  if (local_error != NULL)
    {
      if (io_stream_partial_read_result (self, buffer.len, local_error, error) < 0)
        {
          io_buffer_clear (&buffer);
          return NULL;
        }
    }
  return io_buffer_steal (&buffer, out_len);
}

/* Reads at most @size bytes (all of them, or one backend call when @once)
 * into a new allocation, which grows with the data so that a huge @size on a
 * short stream allocates only what is there. */
static guint8 *
read_sized (IoStream *self,
            gsize     size,
            gboolean  once,
            gsize    *out_len,
            GError  **error)
{
  IoBuffer buffer = IO_BUFFER_INIT;
  GError *local_error = NULL;
  gsize step = MIN (size, IO_CHUNK_SIZE);

  /* What the window holds comes first; with @once it is the whole answer
   * (an empty window is not the end of the stream: then the backend is
   * asked). */
  if (take_from_window (self, &buffer, size, &local_error) > 0 && once)
    return io_buffer_steal (&buffer, out_len);

  while (local_error == NULL && buffer.len < size)
    {
      gsize want = MIN (size - buffer.len, MAX (step, buffer.len));
      gssize n;

      if (!io_grow_capacity (&buffer.data, &buffer.capacity, buffer.len + want, &local_error))
        break;
      n = io_stream_read_once (self, buffer.data + buffer.len, want, &local_error);
      if (n <= 0)
        break;
      buffer.len += (gsize) n;
      if (once)
        break;
    }

  if (local_error != NULL &&
      io_stream_partial_read_result (self, buffer.len, local_error, error) < 0)
    {
      io_buffer_clear (&buffer);
      return NULL;
    }
  return io_buffer_steal (&buffer, out_len);
}

/**
 * io_stream_read_array: (rename-to io_stream_read)
 * @self: an #IoStream
 * @size: how many bytes to read, or -1 for everything up to the end
 * @out_len: (out): the number of bytes returned
 * @error: return location for a #GError
 *
 * Reads up to @size bytes, fewer only at the end of the stream (Python's
 * `read(size)`).
 *
 * The fastest read for language bindings: Python gets `bytes`, GJS a
 * `Uint8Array`. [method@Io.Stream.read_bytes] is the same as a `GBytes`.
 *
 * Returns: (transfer full) (array length=out_len) (nullable): the bytes read,
 *   empty at the end of the stream, or `NULL` on error
 */
guint8 *
io_stream_read_array (IoStream  *self,
                      gssize     size,
                      gsize     *out_len,
                      GError   **error)
{
  g_auto (IoStreamHold) hold = IO_STREAM_HOLD_INIT;

  io_return_val_if_not_stream (self, NULL);
  g_return_val_if_fail (out_len != NULL, NULL);

  *out_len = 0;
  if (!io_stream_hold (self, &hold, error))
    return NULL;
  if (!io_stream_check_readable (self, error) || !io_stream_check_size (size, "size", error))
    return NULL;
  if (size == -1)
    return read_to_end (self, out_len, error);
  return read_sized (self, (gsize) size, FALSE, out_len, error);
}

/**
 * io_stream_read1_array: (rename-to io_stream_read1)
 * @self: an #IoStream
 * @size: the most bytes to read, or -1 for what one backend call returns
 * @out_len: (out): the number of bytes returned
 * @error: return location for a #GError
 *
 * Reads up to @size bytes with at most one call into the backend (Python's
 * `read1(size)`); the result may be short before the end of the stream.
 *
 * Returns: (transfer full) (array length=out_len) (nullable): the bytes read,
 *   empty at the end of the stream, or `NULL` on error
 */
guint8 *
io_stream_read1_array (IoStream  *self,
                       gssize     size,
                       gsize     *out_len,
                       GError   **error)
{
  g_auto (IoStreamHold) hold = IO_STREAM_HOLD_INIT;
  gsize available;

  io_return_val_if_not_stream (self, NULL);
  g_return_val_if_fail (out_len != NULL, NULL);

  *out_len = 0;
  if (!io_stream_hold (self, &hold, error))
    return NULL;
  if (!io_stream_check_readable (self, error) || !io_stream_check_size (size, "size", error))
    return NULL;

  if (size == -1)
    {
      available = io_window_readable (&IO_STREAM_PRIV (self)->window);
      size = (gssize) (available > 0 ? available : IO_CHUNK_SIZE);
    }
  return read_sized (self, (gsize) size, TRUE, out_len, error);
}

GBytes *
io_stream_bytes_take_or_null (guint8 *data,
                    gsize  *len)
{
  return data != NULL ? g_bytes_new_take (data, *len) : NULL;
}

/**
 * io_stream_read_bytes:
 * @self: an #IoStream
 * @size: how many bytes to read, or -1 for everything up to the end
 * @error: return location for a #GError
 *
 * Reads up to @size bytes, fewer only at the end of the stream (Python's
 * `read(size)`). Never allocates more than the data it returns, whatever
 * @size says.
 *
 * Returns: (transfer full) (nullable): the bytes read, empty at the end of
 *   the stream, or `NULL` on error
 */
GBytes *
io_stream_read_bytes (IoStream  *self,
                      gssize     size,
                      GError   **error)
{
  gsize len;

  io_return_val_if_not_stream (self, NULL);

  return io_stream_bytes_take_or_null (io_stream_read_array (self, size, &len, error), &len);
}

/**
 * io_stream_read1_bytes:
 * @self: an #IoStream
 * @size: the most bytes to read, or -1 for what one backend call returns
 * @error: return location for a #GError
 *
 * The `GBytes` twin of [method@Io.Stream.read1_array].
 *
 * Returns: (transfer full) (nullable): the bytes read, empty at the end of
 *   the stream, or `NULL` on error
 */
GBytes *
io_stream_read1_bytes (IoStream  *self,
                       gssize     size,
                       GError   **error)
{
  gsize len;

  io_return_val_if_not_stream (self, NULL);

  return io_stream_bytes_take_or_null (io_stream_read1_array (self, size, &len, error), &len);
}

/**
 * io_stream_readall:
 * @self: an #IoStream
 * @error: return location for a #GError
 *
 * Reads everything up to the end of the stream (Python's `readall()`).
 *
 * Returns: (transfer full) (nullable): the bytes read, or `NULL` on error
 */
GBytes *
io_stream_readall (IoStream  *self,
                   GError   **error)
{
  return io_stream_read_bytes (self, -1, error);
}

/**
 * io_stream_readinto_address:
 * @self: an #IoStream
 * @address: the address of a writable buffer of @count bytes
 * @count: the size of the buffer
 * @error: return location for a #GError
 *
 * [method@Io.Stream.read] for a buffer given by its address.
 *
 * This is the entry point of the Python layer's in-place `readinto()`; it
 * is not meant for other callers.
 *
 * Returns: the number of bytes read, 0 at the end of the stream, or -1 on
 *   error
 */
gssize
io_stream_readinto_address (IoStream  *self,
                            guintptr   address,
                            gsize      count,
                            GError   **error)
{
  io_return_val_if_not_stream (self, -1);

  if (!io_stream_check_address (address, count, error))
    return -1;
  return io_stream_read (self, (guint8 *) address, count, error);
}

/**
 * io_stream_readinto1_address:
 * @self: an #IoStream
 * @address: the address of a writable buffer of @count bytes
 * @count: the size of the buffer
 * @error: return location for a #GError
 *
 * [method@Io.Stream.read1] for a buffer given by its address, for the
 * Python layer's `readinto1()`.
 *
 * Returns: the number of bytes read, 0 at the end of the stream, or -1 on
 *   error
 */
gssize
io_stream_readinto1_address (IoStream  *self,
                             guintptr   address,
                             gsize      count,
                             GError   **error)
{
  io_return_val_if_not_stream (self, -1);

  if (!io_stream_check_address (address, count, error))
    return -1;
  return io_stream_read1 (self, (guint8 *) address, count, error);
}

/**
 * io_stream_peek:
 * @self: an #IoStream
 * @count: how many bytes the caller would like to see; 0 for whatever is
 *   cheaply available
 * @error: return location for a #GError
 *
 * Returns bytes at the current position without consuming them.
 *
 * The result has at least one byte unless the stream is at its end, and may
 * be shorter than @count. Streams that can neither peek nor seek fail with
 * %G_IO_ERROR_NOT_SUPPORTED.
 *
 * Returns: (transfer full) (nullable): the bytes ahead, or `NULL` on error
 */
GBytes *
io_stream_peek (IoStream  *self,
                gsize      count,
                GError   **error)
{
  g_auto (IoStreamHold) hold = IO_STREAM_HOLD_INIT;
  IoStreamClass *klass;
  GError *local_error = NULL;
  GBytes *result;
  gint64 position;

  io_return_val_if_not_stream (self, NULL);
  if (!io_stream_hold (self, &hold, error))
    return NULL;

  if (!io_stream_check_readable (self, error) || !io_stream_check_count (count, error))
    return NULL;

  klass = IO_STREAM_GET_CLASS (self);
  if (count == 0)
    count = IO_CHUNK_SIZE;

  if (klass->peek != NULL)
    {
      result = klass->peek (self, count, &local_error);
      if (local_error != NULL)
        {
          g_clear_pointer (&result, g_bytes_unref);
          g_propagate_error (error, local_error);
          return NULL;
        }
      if (result == NULL)
        io_stream_set_vfunc_failed (self, "peek", "returned NULL without an error", error);
      else if G_UNLIKELY (g_bytes_get_size (result) > count)
        {
          io_stream_set_too_many_error (self, "peek", g_bytes_get_size (result), count, error);
          g_clear_pointer (&result, g_bytes_unref);
        }
      return result;
    }

  if (io_window_readable (&IO_STREAM_PRIV (self)->window) > 0)
    {
      const IoStreamWindow *window = &IO_STREAM_PRIV (self)->window;

      return g_bytes_new (window->pos, MIN (io_window_readable (window), count));
    }

  if (!IO_STREAM_PRIV (self)->can_seek)
    {
      io_stream_set_unsupported_error (error, "peek");
      return NULL;
    }

  position = io_stream_tell (self, error);
  if (position < 0)
    return NULL;
  result = io_stream_read1_bytes (self, (gssize) count, error);
  if (result != NULL && io_stream_seek (self, position, IO_WHENCE_SET, error) < 0)
    g_clear_pointer (&result, g_bytes_unref);
  return result;
}

/**
 * io_stream_getc:
 * @self: an #IoStream
 * @error: return location for a #GError
 *
 * Reads one byte, like `getc_unlocked()` (Python's `read1(1)` as a
 * number).
 *
 * In C, `io_stream_getc()` is a macro for an inline function that takes
 * the byte straight from the window the backend lends (see
 * [struct@Io.StreamWindow]), with no call, and calls this function only
 * when the window is empty; so a loop of getc() over an
 * [class@Io.MemoryStream], or over any backend that lends a window, costs
 * what `getc_unlocked()` costs. Like `getc_unlocked()`, and unlike every
 * other method, that inline path does not take the stream (see
 * docs/concurrency.md): call it only while no other thread calls @self.
 * This function itself checks everything [method@Io.Stream.read1] does.
 *
 * Returns: the byte (0 to 255), or -1 at the end of the stream or on error
 *   (with @error set)
 */
int
(io_stream_getc) (IoStream  *self,
                  GError   **error)
{
  guint8 byte;

  io_return_val_if_not_stream_in ("io_stream_getc", self, -1);

  return io_stream_read1 (self, &byte, 1, error) == 1 ? byte : -1;
}
