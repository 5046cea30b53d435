/* io-stream.c: the abstract stream every libstream backend implements
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/stat.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "io-buffer-private.h"
#include "io-stream-private.h"
#include "io-stream.h"

/**
 * IoStream:
 *
 * A byte stream with the contract of Python's `io.IOBase` and
 * `io.BufferedIOBase`: one object that may read, write and seek.
 *
 * `IoStream` is abstract. Backends such as [class@Io.MemoryStream] fill the
 * [struct@Io.StreamClass] vtable with the raw operations only; every public
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
 * IoStreamClass::peek_window: (skip)
 * @self: an #IoStream
 * @available: (out): the number of bytes readable at the returned address
 *
 * Borrows the bytes readable at the position, for backends that keep them
 * in contiguous memory. The window stays valid until the next call on the
 * stream. An empty window is not the end of the stream.
 *
 * Returns: (transfer none): the start of the window
 */

/**
 * IoStreamClass::consume: (skip)
 * @self: an #IoStream
 * @count: how many bytes of the window to consume
 *
 * Advances the position over @count bytes of the last window.
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

/* Chunk size for reads whose total size is unknown. */
#define IO_CHUNK_SIZE (64 * 1024)

typedef struct
{
  /* First, so the inline paths reach it at the private offset itself;
   * io_stream_getc() in io-stream.h mirrors the layout of these two. */
  IoStreamWindow window;
  /* The end the inline reads stop at: window.read_end as lent, or NULL
   * while an error is pending. Inline writes that extend the content leave
   * it behind, which is safe (it stays below read_end) and costs nothing:
   * the position is then at the end, and only a seek, which relends the
   * window, can bring anything to read before it. */
  guint8 *read_stop;
  GError *pending_error;
  /* The thread inside a public method, or NULL (see IoStreamHold). */
  gpointer owner;
  /* Read atomically by io_stream_is_closed(), which takes no hold. */
  gint closed;
  guint caps_known : 1;
  guint can_read : 1;
  guint can_write : 1;
  guint can_seek : 1;
} IoStreamPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (IoStream, io_stream, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLOSED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define GET_PRIV(self) ((IoStreamPrivate *) io_stream_get_instance_private (self))

/* The last concrete type that passed io_stream_check_instance(). */
static GType io_stream_checked_type;

G_NO_INLINE static gboolean
io_stream_check_instance_slow (GTypeInstance *instance)
{
  if (!g_type_check_instance_is_a (instance, IO_TYPE_STREAM))
    return FALSE;
  __atomic_store_n (&io_stream_checked_type, instance->g_class->g_type, __ATOMIC_RELAXED);
  return TRUE;
}

/* The same answer as IO_IS_STREAM(), for a fraction of the cost on the
 * common path. IO_IS_STREAM() on an instance of a subclass misses GLib's
 * inline exact-type test and walks the type hierarchy in
 * g_type_check_instance_is_a(); here the concrete type that last passed is
 * remembered, so a program using one backend pays two loads and a compare
 * per call, and anything else still gets the full check. */
static inline gboolean
io_stream_is_checked_type (gconstpointer self)
{
  const GTypeInstance *instance = self;

  return instance != NULL && instance->g_class != NULL &&
         instance->g_class->g_type == __atomic_load_n (&io_stream_checked_type,
                                                       __ATOMIC_RELAXED);
}

static inline gboolean
io_stream_check_instance (gconstpointer self)
{
  GTypeInstance *instance = (GTypeInstance *) self;

  if G_LIKELY (io_stream_is_checked_type (self))
    return TRUE;
  if G_UNLIKELY (instance == NULL || instance->g_class == NULL)
    return FALSE;
  return io_stream_check_instance_slow (instance);
}

/* g_return_val_if_fail() in the out-of-line half of public method @func,
 * reporting the failure under the public name as callers (and tests) know
 * it. */
#ifdef G_DISABLE_CHECKS
#define return_val_if_fail_in(func, expr, val) G_STMT_START { } G_STMT_END
#else
#define return_val_if_fail_in(func, expr, val)                        \
  G_STMT_START {                                                      \
    if G_UNLIKELY (!(expr))                                           \
      {                                                               \
        g_return_if_fail_warning (G_LOG_DOMAIN, func, #expr);         \
        return (val);                                                 \
      }                                                               \
  } G_STMT_END
#endif

/* Every public method below checks its instance with this. */
#undef IO_IS_STREAM
#define IO_IS_STREAM(self) io_stream_check_instance (self)

/* A copy of at most 16 bytes, inline: a memcpy call costs more than the
 * bytes. Loads come before stores, as memmove would have it. */
static inline void
copy_small (guint8       *dst,
            const guint8 *src,
            gsize         n)
{
  if (n >= 8)
    {
      guint64 head, tail;

      memcpy (&head, src, 8);
      memcpy (&tail, src + n - 8, 8);
      memcpy (dst, &head, 8);
      memcpy (dst + n - 8, &tail, 8);
    }
  else if (n >= 4)
    {
      guint32 head, tail;

      memcpy (&head, src, 4);
      memcpy (&tail, src + n - 4, 4);
      memcpy (dst, &head, 4);
      memcpy (dst + n - 4, &tail, 4);
    }
  else if (n > 0)
    {
      guint8 first = src[0], middle = src[n / 2], last = src[n - 1];

      dst[0] = first;
      dst[n / 2] = middle;
      dst[n - 1] = last;
    }
}

/* The inline paths copy up to this many bytes themselves and leave larger
 * copies to the out-of-line window_read() and window_write(), so that they
 * call nothing and need no stack frame. */
#define IO_INLINE_COPY_MAX 16

/* How many bytes the window can serve inline for a read, or 0 when the
 * read must go to the backend (no window, or an error is pending). */
static inline gsize
window_readable (IoStreamPrivate *priv)
{
  if G_UNLIKELY (priv->window.pos >= priv->read_stop)
    return 0;
  return (gsize) (priv->read_stop - priv->window.pos);
}

/* Sets read_stop from the window and the pending error. */
static inline void
update_read_stop (IoStreamPrivate *priv)
{
  priv->read_stop = priv->pending_error == NULL ? priv->window.read_end : NULL;
}

/* The offset of the inline read cursor from the instance, for
 * io_stream_getc(); set before the first instance exists. */
gssize _io_stream_cursor_offset;

G_STATIC_ASSERT (G_STRUCT_OFFSET (IoStreamPrivate, window.pos) ==
                 G_STRUCT_OFFSET (_IoStreamCursor, pos));
G_STATIC_ASSERT (G_STRUCT_OFFSET (IoStreamPrivate, read_stop) ==
                 G_STRUCT_OFFSET (_IoStreamCursor, stop));

G_NO_INLINE static void
window_read (IoStreamPrivate *priv,
             guint8          *buffer,
             gsize            count)
{
  memcpy (buffer, priv->window.pos, count);
  priv->window.pos += count;
}

G_NO_INLINE static void
window_write (IoStreamPrivate *priv,
              const guint8    *buffer,
              gsize            count)
{
  memcpy (priv->window.pos, buffer, count);
  priv->window.pos += count;
  if (priv->window.pos > priv->window.read_end)
    priv->window.read_end = priv->window.pos;
}

const IoStreamWindow *
io_stream_get_window (IoStream *self)
{
  return &GET_PRIV (self)->window;
}

void
io_stream_set_window (IoStream *self,
                      guint8   *pos,
                      guint8   *read_end,
                      guint8   *write_end)
{
  IoStreamPrivate *priv = GET_PRIV (self);

  if (pos == NULL || priv->closed)
    pos = read_end = write_end = NULL;
  priv->window.pos = pos;
  priv->window.read_end = read_end;
  priv->window.write_end = write_end;
  update_read_stop (priv);
}

/* The calling thread, as the owner word records it. */
static inline gpointer
current_thread (void)
{
#ifdef HAVE_BUILTIN_THREAD_POINTER
  return __builtin_thread_pointer ();
#else
  return g_thread_self ();
#endif
}

/* Takes the stream for the calling thread if nobody is inside it; returns
 * the owner found: NULL (taken now), the calling thread (already inside) or
 * another thread (nothing taken). */
static inline gpointer
try_take (IoStreamPrivate *priv,
          gpointer         thread)
{
  gpointer owner = NULL;

  (void) __atomic_compare_exchange_n (&priv->owner, &owner, thread, FALSE,
                                      __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
  return owner;
}

/* Takes the stream for an inline fast path: TRUE when it was free. */
static inline gboolean
take_inline (IoStreamPrivate *priv)
{
  return try_take (priv, current_thread ()) == NULL;
}

static inline void
give_back (IoStreamPrivate *priv)
{
  __atomic_store_n (&priv->owner, NULL, __ATOMIC_RELEASE);
}

/* One wait for another thread to leave the stream: 64 yields first, then,
 * if its call is a long one (a read waiting on a pipe), sleeps doubling from
 * 64 us to a millisecond. @waits counts the waits so far. */
static void
wait_a_little (gulong *waits)
{
  if (*waits < 64)
    {
      g_thread_yield ();
      (*waits)++;
    }
  else
    {
      g_usleep (*waits);
      *waits = MIN (*waits * 2, 1000);
    }
}

void
io_stream_hold (IoStream     *self,
                IoStreamHold *hold)
{
  IoStreamPrivate *priv = GET_PRIV (self);
  gpointer thread = current_thread ();
  gpointer owner;
  gulong waits = 0;

  while ((owner = try_take (priv, thread)) != NULL && owner != thread)
    {
      /* Look with plain loads until it is free, then try to take it. */
      do
        wait_a_little (&waits);
      while (__atomic_load_n (&priv->owner, __ATOMIC_RELAXED) != NULL);
    }
  hold->stream = self;
  hold->taken = owner == NULL;
}

void
io_stream_hold_clear (IoStreamHold *hold)
{
  if (hold->taken)
    give_back (GET_PRIV (hold->stream));
  hold->taken = FALSE;
}

static gboolean
set_closed_error (GError **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED,
                       "I/O operation on closed stream");
  return FALSE;
}

static gboolean
set_unsupported_error (GError    **error,
                       const char *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "%s", what);
  return FALSE;
}

static void
load_caps (IoStream        *self,
           IoStreamPrivate *priv)
{
  IoStreamClass *klass = IO_STREAM_GET_CLASS (self);

  priv->can_read = klass->can_read (self) ? 1 : 0;
  priv->can_write = klass->can_write (self) ? 1 : 0;
  priv->can_seek = klass->can_seek (self) ? 1 : 0;
  priv->caps_known = 1;
}

static inline IoStreamPrivate *
get_caps (IoStream *self)
{
  IoStreamPrivate *priv = GET_PRIV (self);

  if G_UNLIKELY (!priv->caps_known)
    load_caps (self, priv);
  return priv;
}

/* Open, readable, and no error left over from an earlier partial read. */
static inline gboolean
check_readable (IoStream  *self,
                GError   **error)
{
  IoStreamPrivate *priv = get_caps (self);

  if G_UNLIKELY (priv->closed)
    return set_closed_error (error);
  if G_UNLIKELY (!priv->can_read)
    return set_unsupported_error (error, "Stream is not readable");
  if G_UNLIKELY (priv->pending_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&priv->pending_error));
      update_read_stop (priv);
      return FALSE;
    }
  return TRUE;
}

static inline gboolean
check_writable (IoStream  *self,
                GError   **error)
{
  IoStreamPrivate *priv = get_caps (self);

  if G_UNLIKELY (priv->closed)
    return set_closed_error (error);
  if G_UNLIKELY (!priv->can_write)
    return set_unsupported_error (error, "Stream is not writable");
  return TRUE;
}

static inline gboolean
check_seekable (IoStream  *self,
                GError   **error)
{
  IoStreamPrivate *priv = get_caps (self);

  if G_UNLIKELY (priv->closed)
    return set_closed_error (error);
  if G_UNLIKELY (!priv->can_seek)
    return set_unsupported_error (error, "Stream is not seekable");
  return TRUE;
}

static gboolean
check_size (gssize      size,
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

static gboolean
check_count (gsize    count,
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

/* A vfunc reported failure without saying why: what a language binding
 * does when its implementation raised or returned a value it could not
 * convert. */
static void
set_vfunc_failed (IoStream   *self,
                  const char *vfunc,
                  const char *what,
                  GError    **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
               "%s.%s() %s", G_OBJECT_TYPE_NAME (self), vfunc, what);
}

/* A vfunc returned more bytes than it was asked for. */
static void
set_too_many_error (IoStream   *self,
                    const char *vfunc,
                    gsize       returned,
                    gsize       count,
                    GError    **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
               "%s.%s() returned %" G_GSIZE_FORMAT " bytes, more than the %"
               G_GSIZE_FORMAT " asked for", G_OBJECT_TYPE_NAME (self), vfunc, returned, count);
}

/* One call into the backend: the raw read. */
static gssize
read_once (IoStream  *self,
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
          set_vfunc_failed (self, "read", "failed without setting an error", error);
          return -1;
        }
      if G_UNLIKELY ((gsize) n > count)
        {
          set_too_many_error (self, "read", (gsize) n, count, error);
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
          set_vfunc_failed (self, "read_chunk", "returned NULL without an error", error);
          return -1;
        }
      len = g_bytes_get_size (chunk);
      if (len > count)
        {
          set_too_many_error (self, "read_chunk", len, count, error);
          g_bytes_unref (chunk);
          return -1;
        }
      if (len > 0)
        memcpy (buffer, g_bytes_get_data (chunk, NULL), len);
      g_bytes_unref (chunk);
      return (gssize) len;
    }

  set_unsupported_error (error, "read");
  return -1;
}

/* Keeps data already transferred: the error is reported by the next read. */
static gssize
partial_read_result (IoStream *self,
                     gsize     done,
                     GError   *local_error,
                     GError  **error)
{
  if (done == 0)
    {
      g_propagate_error (error, local_error);
      return -1;
    }
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    g_error_free (local_error);
  else
    {
      IoStreamPrivate *priv = GET_PRIV (self);

      priv->pending_error = local_error;
      update_read_stop (priv);
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
      gssize n = read_once (self, buffer + done, count - done, &local_error);

      if G_UNLIKELY (n < 0)
        return partial_read_result (self, done, local_error, error);
      if (n == 0)
        break;
      done += (gsize) n;
    }

  return (gssize) done;
}

/* The checks and the backend calls of io_stream_read(), out of line so the
 * inline path needs no stack frame; the same for the other fast methods. */
G_NO_INLINE static gssize
read_slow (IoStream  *self,
           guint8    *buffer,
           gsize      count,
           GError   **error)
{
  g_auto (IoStreamHold) hold = IO_STREAM_HOLD_INIT;

  return_val_if_fail_in ("io_stream_read", IO_IS_STREAM (self), -1);
  return_val_if_fail_in ("io_stream_read", buffer != NULL || count == 0, -1);
  io_stream_hold (self, &hold);

  if G_UNLIKELY (!check_readable (self, error) || !check_count (count, error))
    return -1;

  return read_full (self, buffer, count, error);
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
  IoStreamPrivate *priv;

  /* Served from the backend's window when it holds all of it (an empty
   * read, which must still fail on a closed stream, never is). The inline
   * path calls nothing, so it needs no stack frame; the argument checks and
   * everything else are read_slow()'s. */
  if G_LIKELY (io_stream_is_checked_type (self) && buffer != NULL &&
               take_inline (priv = GET_PRIV (self)))
    {
      if G_LIKELY (count - 1 < window_readable (priv))
        {
          if (count > IO_INLINE_COPY_MAX)
            window_read (priv, buffer, count);
          else
            {
              copy_small (buffer, priv->window.pos, count);
              priv->window.pos += count;
            }
          give_back (priv);
          return (gssize) count;
        }
      give_back (priv);
    }

  return read_slow (self, buffer, count, error);
}

G_NO_INLINE static gssize
read1_slow (IoStream  *self,
            guint8    *buffer,
            gsize      count,
            GError   **error)
{
  g_auto (IoStreamHold) hold = IO_STREAM_HOLD_INIT;

  return_val_if_fail_in ("io_stream_read1", IO_IS_STREAM (self), -1);
  return_val_if_fail_in ("io_stream_read1", buffer != NULL || count == 0, -1);
  io_stream_hold (self, &hold);

  if G_UNLIKELY (!check_readable (self, error) || !check_count (count, error))
    return -1;
  if G_UNLIKELY (count == 0)
    return 0;

  return read_once (self, buffer, count, error);
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
  IoStreamPrivate *priv;
  gsize available;

  /* What the backend's read would return, served from its window. */
  if G_LIKELY (io_stream_is_checked_type (self) && buffer != NULL &&
               count - 1 < (gsize) G_MAXSSIZE && take_inline (priv = GET_PRIV (self)))
    {
      available = window_readable (priv);
      if G_LIKELY (available > 0)
        {
          count = MIN (count, available);
          if (count > IO_INLINE_COPY_MAX)
            window_read (priv, buffer, count);
          else
            {
              copy_small (buffer, priv->window.pos, count);
              priv->window.pos += count;
            }
          give_back (priv);
          return (gssize) count;
        }
      give_back (priv);
    }

  return read1_slow (self, buffer, count, error);
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

  if (klass->fileno == NULL || klass->tell == NULL || !GET_PRIV (self)->can_seek)
    return 0;
  fd = klass->fileno (self, &local_error);
  if (local_error != NULL || fd < 0 || fstat (fd, &st) < 0 || !S_ISREG (st.st_mode))
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
  IoStreamClass *klass = IO_STREAM_GET_CLASS (self);
  IoBuffer buffer = IO_BUFFER_INIT;
  GError *local_error = NULL;
  gsize left = regular_file_left (self);

  /* A file is read into a buffer of its size plus one byte, which the
   * read that finds the end (or the growth since the fstat) lands in. */
  if (left > 0 && (buffer.data = g_try_malloc (left + 1)) != NULL)
    buffer.capacity = left + 1;

  if (klass->peek_window != NULL)
    {
      gsize available = 0;
      const guint8 *window = klass->peek_window (self, &available);

      if (!io_buffer_append (&buffer, window, available, error))
        return NULL;
      klass->consume (self, available);
    }

  for (;;)
    {
      gssize n;

      /* A chunk of room for each read, except into a file's sized buffer,
       * which grows only once full (the file grew). */
      if (buffer.capacity - buffer.len < (left > 0 ? 1 : IO_CHUNK_SIZE) &&
          !io_grow_capacity (&buffer.data, &buffer.capacity,
                             buffer.len + IO_CHUNK_SIZE, &local_error))
        break;
      n = read_once (self, buffer.data + buffer.len, buffer.capacity - buffer.len,
                     &local_error);
      if (n <= 0)
        break;
      buffer.len += (gsize) n;
    }

  if (local_error != NULL)
    {
      if (partial_read_result (self, buffer.len, local_error, error) < 0)
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
  IoStreamClass *klass = IO_STREAM_GET_CLASS (self);
  IoBuffer buffer = IO_BUFFER_INIT;
  GError *local_error = NULL;
  gsize step = MIN (size, IO_CHUNK_SIZE);

  if (klass->peek_window != NULL)
    {
      gsize available = 0;

      (void) klass->peek_window (self, &available);
      /* An empty window is not the end of the stream: still ask the
       * backend for a byte (and never do arithmetic on a NULL buffer). */
      step = MIN (size, MAX (available, 1));
    }

  while (buffer.len < size)
    {
      gsize want = MIN (size - buffer.len, MAX (step, buffer.len));
      gssize n;

      if (!io_grow_capacity (&buffer.data, &buffer.capacity, buffer.len + want, &local_error))
        break;
      n = read_once (self, buffer.data + buffer.len, want, &local_error);
      if (n <= 0)
        break;
      buffer.len += (gsize) n;
      if (once)
        break;
    }

  if (local_error != NULL &&
      partial_read_result (self, buffer.len, local_error, error) < 0)
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

  g_return_val_if_fail (IO_IS_STREAM (self), NULL);
  g_return_val_if_fail (out_len != NULL, NULL);

  *out_len = 0;
  io_stream_hold (self, &hold);
  if (!check_readable (self, error) || !check_size (size, "size", error))
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
  IoStreamClass *klass;
  gsize available;

  g_return_val_if_fail (IO_IS_STREAM (self), NULL);
  g_return_val_if_fail (out_len != NULL, NULL);

  *out_len = 0;
  io_stream_hold (self, &hold);
  if (!check_readable (self, error) || !check_size (size, "size", error))
    return NULL;

  klass = IO_STREAM_GET_CLASS (self);
  if (size == -1)
    {
      available = IO_CHUNK_SIZE;
      if (klass->peek_window != NULL)
        (void) klass->peek_window (self, &available);
      size = (gssize) MAX (available, 1);
    }
  return read_sized (self, (gsize) size, TRUE, out_len, error);
}

static GBytes *
bytes_take_or_null (guint8 *data,
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

  g_return_val_if_fail (IO_IS_STREAM (self), NULL);

  return bytes_take_or_null (io_stream_read_array (self, size, &len, error), &len);
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

  g_return_val_if_fail (IO_IS_STREAM (self), NULL);

  return bytes_take_or_null (io_stream_read1_array (self, size, &len, error), &len);
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

static gboolean
check_address (guintptr  address,
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
  g_return_val_if_fail (IO_IS_STREAM (self), -1);

  if (!check_address (address, count, error))
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
  g_return_val_if_fail (IO_IS_STREAM (self), -1);

  if (!check_address (address, count, error))
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

  g_return_val_if_fail (IO_IS_STREAM (self), NULL);
  io_stream_hold (self, &hold);

  if (!check_readable (self, error) || !check_count (count, error))
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
        set_vfunc_failed (self, "peek", "returned NULL without an error", error);
      else if G_UNLIKELY (g_bytes_get_size (result) > count)
        {
          set_too_many_error (self, "peek", g_bytes_get_size (result), count, error);
          g_clear_pointer (&result, g_bytes_unref);
        }
      return result;
    }

  if (klass->peek_window != NULL)
    {
      gsize available = 0;
      const guint8 *window = klass->peek_window (self, &available);

      return g_bytes_new (window, MIN (available, count));
    }

  if (!GET_PRIV (self)->can_seek)
    {
      set_unsupported_error (error, "peek");
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

/* Appends to @line up to and including the next newline, at most @limit
 * bytes in all. Backends with a window are searched in place; seekable ones
 * are read in blocks and repositioned after the newline; the rest one byte
 * at a time, like Python's RawIOBase.readline(). */
static gboolean
read_line_into (IoStream *self,
                IoBuffer *line,
                gsize     limit,
                GError  **error)
{
  IoStreamClass *klass = IO_STREAM_GET_CLASS (self);
  GError *local_error = NULL;
  guint8 block[256];

  while (line->len < limit)
    {
      gsize want = limit - line->len;
      const guint8 *data;
      const guint8 *newline;
      gsize available;
      gsize take;
      gssize n;

      if (klass->peek_window != NULL)
        {
          data = klass->peek_window (self, &available);
          if (available == 0)
            {
              /* The window may be empty only until the next backend read. */
              n = read_once (self, block, 1, &local_error);
              if (n <= 0)
                break;
              if (!io_buffer_append (line, block, 1, &local_error))
                break;
              if (block[0] == '\n')
                return TRUE;
              continue;
            }
          take = MIN (available, want);
          newline = memchr (data, '\n', take);
          if (newline != NULL)
            take = (gsize) (newline - data) + 1;
          if (!io_buffer_append (line, data, take, &local_error))
            break;
          klass->consume (self, take);
          if (newline != NULL)
            return TRUE;
          continue;
        }

      want = GET_PRIV (self)->can_seek ? MIN (want, sizeof block) : 1;
      n = read_once (self, block, want, &local_error);
      if (n <= 0)
        break;
      take = (gsize) n;
      newline = memchr (block, '\n', take);
      if (newline != NULL)
        take = (gsize) (newline - block) + 1;
      if (!io_buffer_append (line, block, take, &local_error))
        break;
      if (take < (gsize) n &&
          io_stream_seek (self, (gint64) take - n, IO_WHENCE_CUR, &local_error) < 0)
        break;
      if (newline != NULL)
        return TRUE;
    }

  if (local_error != NULL)
    return partial_read_result (self, line->len, local_error, error) >= 0;
  return TRUE;
}

/* The length of the line (or the @limit bytes of one) that the window
 * holds whole, or 0 when the backend must be asked. */
static inline gsize
window_line_length (IoStreamPrivate *priv,
                    gssize           limit)
{
  gsize available = window_readable (priv);
  gsize span;
  const guint8 *newline;

  if (available == 0 || limit == 0 || limit < -1)
    return 0;
  span = limit < 0 ? available : MIN (available, (gsize) limit);
  newline = memchr (priv->window.pos, '\n', span);
  if (newline != NULL)
    return (gsize) (newline - priv->window.pos) + 1;
  return span == (gsize) limit ? span : 0;
}

G_NO_INLINE static guint8 *
readline_slow (IoStream  *self,
               gssize     limit,
               gsize     *out_len,
               GError   **error)
{
  g_auto (IoStreamHold) hold = IO_STREAM_HOLD_INIT;
  IoBuffer line = IO_BUFFER_INIT;

  return_val_if_fail_in ("io_stream_readline_array", IO_IS_STREAM (self), NULL);
  return_val_if_fail_in ("io_stream_readline_array", out_len != NULL, NULL);

  *out_len = 0;
  io_stream_hold (self, &hold);
  if (!check_readable (self, error) || !check_size (limit, "size", error))
    return NULL;

  if (!read_line_into (self, &line, limit < 0 ? G_MAXSSIZE : (gsize) limit, error))
    {
      io_buffer_clear (&line);
      return NULL;
    }
  return io_buffer_steal (&line, out_len);
}

/* The out-of-line half of io_stream_getc() (io-stream.h): one byte through
 * read1, with every check. */
int
_io_stream_getc_slow (IoStream  *self,
                      GError   **error)
{
  guint8 byte;

  return_val_if_fail_in ("io_stream_getc", IO_IS_STREAM (self), -1);

  return io_stream_read1 (self, &byte, 1, error) == 1 ? byte : -1;
}

/**
 * io_stream_readline_array:
 * @self: an #IoStream
 * @limit: the most bytes to return, or -1 for no limit
 * @out_len: (out): the length of the line
 * @error: return location for a #GError
 *
 * Reads one line, keeping its `\n` (Python's `readline(size)`).
 *
 * With a @limit the line may be split. The last line of a stream may lack
 * its newline; an empty result means the end of the stream.
 *
 * Returns: (transfer full) (array length=out_len) (nullable): the line, or
 *   `NULL` on error
 */
guint8 *
io_stream_readline_array (IoStream  *self,
                          gssize     limit,
                          gsize     *out_len,
                          GError   **error)
{
  /* A line the backend's window holds whole: one search, one allocation of
   * the exact size, one copy. */
  IoStreamPrivate *priv;

  if G_LIKELY (io_stream_is_checked_type (self) && out_len != NULL &&
               take_inline (priv = GET_PRIV (self)))
    {
      gsize len = window_line_length (priv, limit);
      guint8 *data = len > 0 ? g_try_malloc (len) : NULL;

      if G_LIKELY (data != NULL)
        {
          memcpy (data, priv->window.pos, len);
          priv->window.pos += len;
          give_back (priv);
          *out_len = len;
          return data;
        }
      give_back (priv);
    }

  return readline_slow (self, limit, out_len, error);
}

/* Lines up to this long are found and copied inline by
 * io_stream_readline_into(), with no call and no stack frame. */
#define IO_INLINE_LINE_MAX 128

/* The length of the line that starts the @n bytes at @p when 16-byte loads
 * inside the @n find its newline within IO_INLINE_LINE_MAX bytes; 0 leaves
 * the search to memchr(). */
#ifdef __SSE2__
/* A bit for each newline among the 64 bytes at @p. */
static inline guint64
newlines_in_64 (const guint8 *p)
{
  const __m128i newline = _mm_set1_epi8 ('\n');
  guint64 mask = 0;

  for (guint i = 0; i < 4; i++)
    {
      __m128i block = _mm_loadu_si128 ((const __m128i *) (const void *) (p + 16 * i));

      mask |= (guint64) (guint) _mm_movemask_epi8 (_mm_cmpeq_epi8 (block, newline)) << (16 * i);
    }
  return mask;
}
#endif

static inline gsize
short_line_length (const guint8 *p,
                   gsize         n)
{
#ifdef __SSE2__
  const __m128i newline = _mm_set1_epi8 ('\n');

  /* With room for it, the whole span in two steps and few branches. */
  if G_LIKELY (n >= IO_INLINE_LINE_MAX)
    {
      guint64 mask = newlines_in_64 (p);

      if (mask != 0)
        return (gsize) __builtin_ctzll (mask) + 1;
      mask = newlines_in_64 (p + 64);
      return mask != 0 ? 64 + (gsize) __builtin_ctzll (mask) + 1 : 0;
    }

  for (gsize i = 0; i + 16 <= n && i < IO_INLINE_LINE_MAX; i += 16)
    {
      __m128i block = _mm_loadu_si128 ((const __m128i *) (const void *) (p + i));
      guint mask = (guint) _mm_movemask_epi8 (_mm_cmpeq_epi8 (block, newline));

      if (mask != 0)
        return i + (gsize) __builtin_ctz (mask) + 1;
    }
#endif
  return 0;
}

/* Copies 16 < @n <= IO_INLINE_LINE_MAX bytes in 16-byte moves, the last
 * one overlapping the one before. */
static inline void
copy_short_line (guint8       *dst,
                 const guint8 *src,
                 gsize         n)
{
  for (gsize i = 0; i + 16 < n; i += 16)
    memcpy (dst + i, src + i, 16);
  memcpy (dst + n - 16, src + n - 16, 16);
}

G_NO_INLINE static gssize
readline_into_slow (IoStream  *self,
                    gssize     limit,
                    guint8   **line,
                    gsize     *capacity,
                    GError   **error)
{
  g_auto (IoStreamHold) hold = IO_STREAM_HOLD_INIT;
  IoBuffer buffer = IO_BUFFER_INIT;
  GError *local_error = NULL;

  return_val_if_fail_in ("io_stream_readline_into", IO_IS_STREAM (self), -1);
  return_val_if_fail_in ("io_stream_readline_into", line != NULL, -1);
  return_val_if_fail_in ("io_stream_readline_into", capacity != NULL, -1);
  return_val_if_fail_in ("io_stream_readline_into", *line != NULL || *capacity == 0, -1);
  io_stream_hold (self, &hold);

  /* A line the window holds whole, too long for the inline search. */
  if (*line != NULL)
    {
      IoStreamPrivate *priv = GET_PRIV (self);
      gsize len = window_line_length (priv, limit);

      if (len > 0 && len < *capacity)
        {
          memcpy (*line, priv->window.pos, len);
          (*line)[len] = '\0';
          priv->window.pos += len;
          return (gssize) len;
        }
    }

  if (!check_readable (self, error) || !check_size (limit, "size", error))
    return -1;

  /* The line is read into the caller's buffer, grown as needed. */
  buffer.data = *line;
  buffer.capacity = *capacity;
  if (read_line_into (self, &buffer, limit < 0 ? G_MAXSSIZE - 1 : (gsize) limit, &local_error))
    (void) io_grow_capacity (&buffer.data, &buffer.capacity, buffer.len + 1, &local_error);
  *line = buffer.data;
  *capacity = buffer.capacity;
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return -1;
    }
  buffer.data[buffer.len] = '\0';
  return (gssize) buffer.len;
}

/**
 * io_stream_readline_into: (skip)
 * @self: an #IoStream
 * @limit: the most bytes to return, or -1 for no limit
 * @line: (inout): a buffer allocated with g_malloc(), or a pointer to `NULL`
 * @capacity: (inout): the size of *@line in bytes, 0 for `NULL`
 * @error: return location for a #GError
 *
 * Reads one line into a buffer the caller reuses from line to line, like
 * POSIX `getline()`: the line keeps its `\n`, is followed by a `\0` that
 * the returned length does not count, and *@line is grown with g_realloc()
 * (updating *@capacity) when it is too small. Free it with g_free().
 *
 * This is the line reader for C loops: no allocation per line.
 * [method@Io.Stream.readline_array] is the same returning a new array.
 *
 * Returns: the length of the line, 0 at the end of the stream, or -1 on
 *   error (*@line then stays valid, and is still the caller's to free)
 */
gssize
io_stream_readline_into (IoStream  *self,
                         gssize     limit,
                         guint8   **line,
                         gsize     *capacity,
                         GError   **error)
{
  /* A short line the window holds whole that fits the caller's buffer,
   * found and copied inline; the rest, long lines included, is
   * readline_into_slow()'s. */
  IoStreamPrivate *priv;

  if G_LIKELY (io_stream_is_checked_type (self) && line != NULL && *line != NULL &&
               capacity != NULL && limit >= -1 && limit != 0 &&
               take_inline (priv = GET_PRIV (self)))
    {
      gsize available = window_readable (priv);
      gsize span = limit < 0 ? available : MIN (available, (gsize) limit);
      gsize len = short_line_length (priv->window.pos, span);

      if G_LIKELY (len > 0 && len < *capacity)
        {
          if (span >= IO_INLINE_LINE_MAX && *capacity >= IO_INLINE_LINE_MAX)
            memcpy (*line, priv->window.pos, IO_INLINE_LINE_MAX);
          else if (len > 16)
            copy_short_line (*line, priv->window.pos, len);
          else
            copy_small (*line, priv->window.pos, len);
          (*line)[len] = '\0';
          priv->window.pos += len;
          give_back (priv);
          return (gssize) len;
        }
      give_back (priv);
    }

  return readline_into_slow (self, limit, line, capacity, error);
}

/**
 * io_stream_readline:
 * @self: an #IoStream
 * @limit: the most bytes to return, or -1 for no limit
 * @error: return location for a #GError
 *
 * The `GBytes` twin of [method@Io.Stream.readline_array].
 *
 * Returns: (transfer full) (nullable): the line, empty at the end of the
 *   stream, or `NULL` on error
 */
GBytes *
io_stream_readline (IoStream  *self,
                    gssize     limit,
                    GError   **error)
{
  gsize len;

  g_return_val_if_fail (IO_IS_STREAM (self), NULL);

  return bytes_take_or_null (io_stream_readline_array (self, limit, &len, error), &len);
}

/* Reads whole lines into @joined until the end of the stream or until they
 * add up to @hint bytes; @ends receives where each line ends. */
static gboolean
read_lines_into (IoStream *self,
                 gssize    hint,
                 IoBuffer *joined,
                 GArray   *ends,
                 GError  **error)
{
  if (!check_readable (self, error) || !check_size (hint, "hint", error))
    return FALSE;

  for (;;)
    {
      gsize before = joined->len;

      if (!read_line_into (self, joined, G_MAXSSIZE, error))
        return FALSE;
      if (joined->len == before)
        return TRUE;
      if (ends != NULL)
        g_array_append_val (ends, joined->len);
      if (hint > 0 && joined->len >= (gsize) hint)
        return TRUE;
      /* A failure after part of the lines was read is kept for the next
       * call: stop here rather than read past it (and lose it). */
      if (GET_PRIV (self)->pending_error != NULL)
        return TRUE;
      /* So does a line cut short by a read that would block: the rest of
       * it, read later, would look like a line of its own. */
      if (joined->data[joined->len - 1] != '\n')
        return TRUE;
    }
}

/**
 * io_stream_readlines_joined:
 * @self: an #IoStream
 * @hint: stop once the lines read add up to this many bytes; 0 or -1 for
 *   no limit
 * @out_len: (out): the length of the result
 * @error: return location for a #GError
 *
 * Reads whole lines as [method@Io.Stream.readlines] does, returned joined
 * in one array.
 *
 * Every line but the last ends with `\n`, so splitting after each newline
 * recovers them. This is how the Python layer fetches lines in batches.
 *
 * Returns: (transfer full) (array length=out_len) (nullable): the lines, or
 *   `NULL` on error
 */
guint8 *
io_stream_readlines_joined (IoStream  *self,
                            gssize     hint,
                            gsize     *out_len,
                            GError   **error)
{
  g_auto (IoStreamHold) hold = IO_STREAM_HOLD_INIT;
  IoBuffer joined = IO_BUFFER_INIT;

  g_return_val_if_fail (IO_IS_STREAM (self), NULL);
  g_return_val_if_fail (out_len != NULL, NULL);

  *out_len = 0;
  io_stream_hold (self, &hold);
  if (!read_lines_into (self, hint, &joined, NULL, error))
    {
      io_buffer_clear (&joined);
      return NULL;
    }
  return io_buffer_steal (&joined, out_len);
}

/**
 * io_stream_readlines:
 * @self: an #IoStream
 * @hint: stop once the lines read add up to this many bytes; 0 or -1 for
 *   no limit
 * @error: return location for a #GError
 *
 * Reads lines until the end of the stream, or until their total size
 * reaches @hint (Python's `readlines(hint)`).
 *
 * The array frees its lines itself: unreference it and nothing else. (It is
 * annotated `transfer container` because GJS and PyGObject would otherwise
 * take over lines the array still frees.)
 *
 * Returns: (transfer container) (element-type GBytes) (nullable): the lines,
 *   or `NULL` on error
 */
GPtrArray *
io_stream_readlines (IoStream  *self,
                     gssize     hint,
                     GError   **error)
{
  g_auto (IoStreamHold) hold = IO_STREAM_HOLD_INIT;
  IoBuffer joined = IO_BUFFER_INIT;
  GArray *ends;
  GPtrArray *lines = NULL;
  GBytes *all;
  guint8 *data;
  gsize len;
  gsize start = 0;

  g_return_val_if_fail (IO_IS_STREAM (self), NULL);
  io_stream_hold (self, &hold);

  ends = g_array_new (FALSE, FALSE, sizeof (gsize));
  if (!read_lines_into (self, hint, &joined, ends, error))
    {
      io_buffer_clear (&joined);
      g_array_unref (ends);
      return NULL;
    }

  /* Two statements: the argument order would leave len unset. */
  data = io_buffer_steal (&joined, &len);
  all = g_bytes_new_take (data, len);
  lines = g_ptr_array_new_full (ends->len, (GDestroyNotify) g_bytes_unref);
  for (guint i = 0; i < ends->len; i++)
    {
      gsize end = g_array_index (ends, gsize, i);

      g_ptr_array_add (lines, g_bytes_new_from_bytes (all, start, end - start));
      start = end;
    }
  g_bytes_unref (all);
  g_array_unref (ends);
  return lines;
}

G_NO_INLINE static gssize
write_slow (IoStream      *self,
            const guint8  *buffer,
            gsize          count,
            GError       **error)
{
  g_auto (IoStreamHold) hold = IO_STREAM_HOLD_INIT;
  IoStreamClass *klass;
  gsize done = 0;

  return_val_if_fail_in ("io_stream_write", IO_IS_STREAM (self), -1);
  return_val_if_fail_in ("io_stream_write", buffer != NULL || count == 0, -1);
  io_stream_hold (self, &hold);

  if G_UNLIKELY (!check_writable (self, error) || !check_count (count, error))
    return -1;

  klass = IO_STREAM_GET_CLASS (self);
  if G_UNLIKELY (klass->write == NULL)
    return set_unsupported_error (error, "write") - 1;

  do
    {
      GError *local_error = NULL;
      /* done > 0 implies buffer != NULL: no arithmetic on a NULL buffer
       * for an empty write. */
      gssize n = klass->write (self, done > 0 ? buffer + done : buffer, count - done,
                               &local_error);

      if G_UNLIKELY (local_error != NULL)
        {
          if (done > 0 && g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            {
              g_error_free (local_error);
              break;
            }
          g_propagate_error (error, local_error);
          return -1;
        }
      if G_UNLIKELY (n <= 0 && count > 0)
        {
          set_vfunc_failed (self, "write",
                            n < 0 ? "failed without setting an error" : "wrote nothing",
                            error);
          return -1;
        }
      if G_UNLIKELY ((gsize) n > count - done)
        {
          set_vfunc_failed (self, "write", "claims more bytes than it was given", error);
          return -1;
        }
      done += (gsize) n;
    }
  while (done < count);

  return (gssize) done;
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
 * The backend is called until every byte is written. A non-blocking
 * backend that would block after a partial write makes this return the
 * short count without an error; when nothing could be written it fails
 * with %G_IO_ERROR_WOULD_BLOCK.
 *
 * Returns: the number of bytes written (@count unless a write would block),
 *   or -1 on error
 */
gssize
io_stream_write (IoStream      *self,
                 const guint8  *buffer,
                 gsize          count,
                 GError       **error)
{
  IoStreamPrivate *priv;

  /* Written in place in the backend's window when it fits (never an empty
   * write, which must still fail on a closed stream). */
  if G_LIKELY (io_stream_is_checked_type (self) && buffer != NULL &&
               take_inline (priv = GET_PRIV (self)))
    {
      /* Reads move pos past a write_end left behind by a backend that
       * closed the write window, hence the first test. */
      if G_LIKELY (priv->window.pos < priv->window.write_end &&
                   count - 1 < (gsize) (priv->window.write_end - priv->window.pos))
        {
          if (count > IO_INLINE_COPY_MAX)
            window_write (priv, buffer, count);
          else
            {
              copy_small (priv->window.pos, buffer, count);
              priv->window.pos += count;
              if (priv->window.pos > priv->window.read_end)
                priv->window.read_end = priv->window.pos;
            }
          give_back (priv);
          return (gssize) count;
        }
      give_back (priv);
    }

  return write_slow (self, buffer, count, error);
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

  g_return_val_if_fail (IO_IS_STREAM (self), -1);
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
  g_return_val_if_fail (IO_IS_STREAM (self), -1);

  if (!check_address (address, count, error))
    return -1;
  return io_stream_write (self, (const guint8 *) address, count, error);
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
 * Returns: `TRUE` if every chunk was written in full
 */
gboolean
io_stream_writelines (IoStream      *self,
                      GBytes *const *lines,
                      gsize          n_lines,
                      GError       **error)
{
  g_auto (IoStreamHold) hold = IO_STREAM_HOLD_INIT;

  g_return_val_if_fail (IO_IS_STREAM (self), FALSE);
  g_return_val_if_fail (lines != NULL || n_lines == 0, FALSE);
  io_stream_hold (self, &hold);

  if (!check_writable (self, error))
    return FALSE;

  for (gsize i = 0; i < n_lines; i++)
    {
      gsize len;
      gssize n;

      g_return_val_if_fail (lines[i] != NULL, FALSE);
      (void) g_bytes_get_data (lines[i], &len);
      n = io_stream_write_bytes (self, lines[i], error);
      if (n < 0)
        return FALSE;
      if ((gsize) n < len)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK,
                               "Write would block");
          return FALSE;
        }
    }
  return TRUE;
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

  g_return_val_if_fail (IO_IS_STREAM (self), FALSE);
  io_stream_hold (self, &hold);

  if (GET_PRIV (self)->closed)
    return set_closed_error (error);

  klass = IO_STREAM_GET_CLASS (self);
  if (klass->flush == NULL)
    return TRUE;
  if (!klass->flush (self, &local_error) || local_error != NULL)
    {
      if (local_error == NULL)
        set_vfunc_failed (self, "flush", "failed without setting an error", &local_error);
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
      set_vfunc_failed (self, vfunc, "returned a negative offset without an error", error);
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

  g_return_val_if_fail (IO_IS_STREAM (self), -1);
  io_stream_hold (self, &hold);

  if (!check_seekable (self, error))
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

  g_return_val_if_fail (IO_IS_STREAM (self), -1);
  io_stream_hold (self, &hold);

  klass = IO_STREAM_GET_CLASS (self);
  if (klass->tell == NULL)
    return io_stream_seek (self, 0, IO_WHENCE_CUR, error);
  /* As seek() does: a stream that cannot seek has no position to tell. */
  if (!check_seekable (self, error))
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
 * with zeros.
 *
 * Returns: @size (the current position when it was -1), or -1 on error
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

  g_return_val_if_fail (IO_IS_STREAM (self), -1);
  io_stream_hold (self, &hold);

  if (!check_writable (self, error))
    return -1;
  klass = IO_STREAM_GET_CLASS (self);
  if (klass->truncate == NULL || !GET_PRIV (self)->can_seek)
    return set_unsupported_error (error, "truncate") - 1;
  if (size < -1)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "negative size value %" G_GINT64_FORMAT, size);
      return -1;
    }
  if (size == -1)
    {
      size = io_stream_tell (self, error);
      if (size < 0)
        return -1;
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

/**
 * io_stream_close: (virtual close)
 * @self: an #IoStream
 * @error: return location for a #GError
 *
 * Flushes and closes the stream (Python's `close()`).
 *
 * Closing a closed stream does nothing. If flushing or closing fails the
 * stream is closed all the same and the first error is returned, except
 * that a backend may refuse with %G_IO_ERROR_BUSY (a memory stream whose
 * buffer is exported), which leaves the stream open.
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

  g_return_val_if_fail (IO_IS_STREAM (self), FALSE);
  io_stream_hold (self, &hold);

  priv = GET_PRIV (self);
  if (priv->closed)
    return TRUE;

  klass = IO_STREAM_GET_CLASS (self);
  (void) io_stream_flush (self, &flush_error);
  if (klass->close != NULL &&
      (!klass->close (self, &close_error) || close_error != NULL) &&
      close_error == NULL)
    set_vfunc_failed (self, "close", "failed without setting an error", &close_error);

  if (g_error_matches (close_error, G_IO_ERROR, G_IO_ERROR_BUSY))
    {
      g_clear_error (&flush_error);
      g_propagate_error (error, close_error);
      return FALSE;
    }

  g_atomic_int_set (&priv->closed, TRUE);
  io_stream_set_window (self, NULL, NULL, NULL);
  g_clear_error (&priv->pending_error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOSED]);

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
  g_return_val_if_fail (IO_IS_STREAM (self), TRUE);

  return g_atomic_int_get (&GET_PRIV (self)->closed);
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

  g_return_val_if_fail (IO_IS_STREAM (self), FALSE);
  io_stream_hold (self, &hold);

  priv = get_caps (self);
  if (priv->closed)
    return set_closed_error (error);
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

  g_return_val_if_fail (IO_IS_STREAM (self), FALSE);
  io_stream_hold (self, &hold);

  priv = get_caps (self);
  if (priv->closed)
    return set_closed_error (error);
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

  g_return_val_if_fail (IO_IS_STREAM (self), FALSE);
  io_stream_hold (self, &hold);

  priv = get_caps (self);
  if (priv->closed)
    return set_closed_error (error);
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

  g_return_val_if_fail (IO_IS_STREAM (self), FALSE);
  io_stream_hold (self, &hold);

  if (GET_PRIV (self)->closed)
    return set_closed_error (error);
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

  g_return_val_if_fail (IO_IS_STREAM (self), -1);
  io_stream_hold (self, &hold);

  if (GET_PRIV (self)->closed)
    return set_closed_error (error) - 1;
  klass = IO_STREAM_GET_CLASS (self);
  if (klass->fileno == NULL)
    return set_unsupported_error (error, "fileno") - 1;
  fd = klass->fileno (self, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return -1;
    }
  if (fd < 0)
    {
      set_vfunc_failed (self, "fileno", "returned a negative descriptor without an error",
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

static void
io_stream_dispose (GObject *object)
{
  IoStream *self = IO_STREAM (object);
  GError *error = NULL;

  if (!GET_PRIV (self)->closed && !io_stream_close (self, &error))
    {
      g_warning ("Error closing %s %p while disposing it: %s",
                 G_OBJECT_TYPE_NAME (self), self, error->message);
      g_clear_error (&error);
    }

  G_OBJECT_CLASS (io_stream_parent_class)->dispose (object);
}

static void
io_stream_finalize (GObject *object)
{
  IoStreamPrivate *priv = GET_PRIV (IO_STREAM (object));

  g_clear_error (&priv->pending_error);

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

  _io_stream_cursor_offset = IoStream_private_offset;

  klass->can_read = io_stream_real_can_read;
  klass->can_write = io_stream_real_can_write;
  klass->can_seek = io_stream_real_can_seek;

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
