/* io-stream-private.h: what the files of IoStream share, and the hold
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "io-stream.h"
#include "io-stream-window.h"

G_BEGIN_DECLS

/* Chunk size for reads whose total size is unknown. */
#define IO_CHUNK_SIZE (64 * 1024)

typedef struct
{
  /* First, so the inline paths reach it at the private offset itself. */
  IoStreamWindow window;
  GError *pending_error;
  /* The error of a write that had already moved bytes, kept for the next
   * write, flush or close (see io-stream-write.c); no inline writes while
   * it waits. */
  GError *pending_write_error;
  /* The thread inside a public method, or NULL, and the queue of the
   * threads waiting for it (see io-stream-hold.c). */
  gpointer owner;
  guint waiters;
  guint next_ticket;
  guint serving;
  guint wake_seq;
  /* How many io_stream_lock() calls the owner has not undone. */
  guint lock_depth;
  /* Read atomically by io_stream_is_closed(), which takes no hold. */
  gint closed;
  guint caps_known : 1;
  guint can_read : 1;
  guint can_write : 1;
  guint can_seek : 1;
  guint detached : 1;
  /* While close() runs the flush and close vfuncs, which may call it. */
  guint closing : 1;
  /* Set once the backend has lent a window: it refills on a read. */
  guint lends_window : 1;
  /* While an asynchronous operation owns the stream: io_stream_getc()'s
   * inline path, which takes no hold, must then fail too. */
  guint async_owned : 1;
} IoStreamPrivate;

extern gint io_stream_private_offset;

/* The private part of @self, with no type check. */
#define IO_STREAM_PRIV(self) \
  ((IoStreamPrivate *) (gpointer) ((guint8 *) (self) + io_stream_private_offset))

/*
 * IoStreamHold:
 *
 * A public method's claim on its stream, which is what makes the contract
 * of docs/concurrency.md hold: one thread at a time is inside a stream.
 * io_stream_hold() takes the stream for the calling thread, waiting while
 * another thread is inside, or finds it already taken by the calling
 * thread (a backend or a callback calling back into its own stream, which
 * goes on). It fails with G_IO_ERROR_PENDING, without waiting, while an
 * asynchronous operation owns the stream and the caller is not that
 * operation (see io_stream_begin_async()). io_stream_hold_clear(), which
 * g_auto() runs when the method returns, gives the stream back if this
 * hold took it. Backends hold their own public methods the same way:
 *
 *   g_auto (IoStreamHold) hold = IO_STREAM_HOLD_INIT;
 *   ...
 *   if (!io_stream_hold (stream, &hold, error))
 *     return FALSE;
 */
typedef struct
{
  IoStream *stream;
  gboolean taken;
} IoStreamHold;

#define IO_STREAM_HOLD_INIT { NULL, FALSE }

gboolean io_stream_hold       (IoStream      *self,
                               IoStreamHold  *hold,
                               GError       **error);
void     io_stream_hold_clear (IoStreamHold  *hold);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (IoStreamHold, io_stream_hold_clear)

/* An asynchronous operation's claim on a stream, GIO's "pending" rule:
 * io_stream_begin_async() takes the stream for an operation about to be
 * started (waiting for a synchronous call that is inside to leave, failing
 * with G_IO_ERROR_PENDING if another asynchronous operation owns it); from
 * then until io_stream_end_async() every call fails with
 * G_IO_ERROR_PENDING, except those of the thread that runs the operation
 * between io_stream_enter_async() and io_stream_leave_async(). */
gboolean io_stream_begin_async (IoStream  *self,
                                GError   **error);
void     io_stream_enter_async (IoStream  *self);
void     io_stream_leave_async (IoStream  *self);
void     io_stream_end_async   (IoStream  *self);

/* Errors every part of the contract reports. */
gboolean io_stream_set_closed_error      (IoStream    *self,
                                          GError     **error);
gboolean io_stream_set_unsupported_error (GError     **error,
                                          const char  *what);
void     io_stream_set_vfunc_failed      (IoStream    *self,
                                          const char  *vfunc,
                                          const char  *what,
                                          GError     **error);
void     io_stream_set_too_many_error    (IoStream    *self,
                                          const char  *vfunc,
                                          gsize        returned,
                                          gsize        count,
                                          GError     **error);
gboolean io_stream_check_size            (gssize       size,
                                          const char  *what,
                                          GError     **error);
gboolean io_stream_check_count           (gsize        count,
                                          GError     **error);
gboolean io_stream_check_address         (guintptr     address,
                                          gsize        count,
                                          GError     **error);

void     io_stream_load_caps             (IoStream    *self);

/* Hands the error of the close that disposing @self ran to the handler
 * of io_stream_set_drop_error_handler() (io-stream-drop.c). */
void     io_stream_report_drop_error     (IoStream     *self,
                                          const GError *error);

/* Closes @self without flushing or calling its close vfunc: the window is
 * withdrawn, a pending error dropped, and :closed notified. */
void     io_stream_mark_closed           (IoStream    *self);

/* Sets read_stop from the window, the pending error and the
 * asynchronous owner. */
static inline void
io_stream_update_read_stop (IoStreamPrivate *priv)
{
  gboolean inline_reads = priv->pending_error == NULL && !priv->async_owned;

  priv->window.read_stop = inline_reads ? priv->window.read_end : NULL;
}

static inline IoStreamPrivate *
io_stream_get_caps (IoStream *self)
{
  IoStreamPrivate *priv = IO_STREAM_PRIV (self);

  if G_UNLIKELY (!priv->caps_known)
    io_stream_load_caps (self);
  return priv;
}

/* Open, readable, and no error left over from an earlier partial read. */
static inline gboolean
io_stream_check_readable (IoStream  *self,
                          GError   **error)
{
  IoStreamPrivate *priv = io_stream_get_caps (self);

  if G_UNLIKELY (priv->closed)
    return io_stream_set_closed_error (self, error);
  if G_UNLIKELY (!priv->can_read)
    return io_stream_set_unsupported_error (error, "Stream is not readable");
  if G_UNLIKELY (priv->pending_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&priv->pending_error));
      io_stream_update_read_stop (priv);
      return FALSE;
    }
  return TRUE;
}

static inline gboolean
io_stream_check_writable (IoStream  *self,
                          GError   **error)
{
  IoStreamPrivate *priv = io_stream_get_caps (self);

  if G_UNLIKELY (priv->closed)
    return io_stream_set_closed_error (self, error);
  if G_UNLIKELY (!priv->can_write)
    return io_stream_set_unsupported_error (error, "Stream is not writable");
  return TRUE;
}

/* Reports, and forgets, the error of an earlier partial write. */
static inline gboolean
io_stream_check_write_pending (IoStream  *self,
                               GError   **error)
{
  IoStreamPrivate *priv = IO_STREAM_PRIV (self);

  if G_UNLIKELY (priv->pending_write_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&priv->pending_write_error));
      return FALSE;
    }
  return TRUE;
}

static inline gboolean
io_stream_check_seekable (IoStream  *self,
                          GError   **error)
{
  IoStreamPrivate *priv = io_stream_get_caps (self);

  if G_UNLIKELY (priv->closed)
    return io_stream_set_closed_error (self, error);
  if G_UNLIKELY (!priv->can_seek)
    return io_stream_set_unsupported_error (error, "Stream is not seekable");
  return TRUE;
}

/* The readers (io-stream-read.c) that lines and the rest share. */

/* One call into the backend: the raw read, its result checked. Fails with
 * CLOSED instead on a stream closed meanwhile (by the backend itself), and
 * when the read closed the stream and returned nothing. */
gssize   io_stream_read_once          (IoStream  *self,
                                       guint8    *buffer,
                                       gsize      count,
                                       GError   **error);

/* Keeps data already transferred: the error is reported by the next
 * read. Returns @done, or -1 with @error set when nothing was read. */
gssize   io_stream_partial_read_result (IoStream *self,
                                        gsize     done,
                                        GError   *local_error,
                                        GError  **error);

GBytes  *io_stream_bytes_take_or_null (guint8   *data,
                                       gsize    *len);

/* IO_DEFINE_QUARK (QN, q_n): G_DEFINE_QUARK for quarks first asked for
 * from any thread (a stream's dispose, an async call). G_DEFINE_QUARK caches
 * the quark in a plain static that racing first calls both write: a data race
 * ThreadSanitizer reports. Here the cache is read and written atomically; two
 * racing first calls store the same quark. */
#define IO_DEFINE_QUARK(QN, q_n)                                              \
GQuark                                                                        \
q_n##_quark (void)                                                            \
{                                                                             \
  static guint q_;                                                            \
  guint quark = (guint) g_atomic_int_get (&q_);                               \
                                                                              \
  if G_UNLIKELY (quark == 0)                                                  \
    {                                                                         \
      quark = g_quark_from_static_string (#QN);                               \
      g_atomic_int_set (&q_, quark);                                          \
    }                                                                         \
  return quark;                                                               \
}

G_END_DECLS
