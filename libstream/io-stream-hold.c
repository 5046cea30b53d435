/* io-stream-hold.c: one thread at a time inside a stream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <gio/gio.h>

#include "io-stream-inline-private.h"

/* The owner word of a stream is NULL while nobody is inside, the calling
 * thread's pointer while a synchronous call runs, and has its low bit set
 * while an asynchronous operation owns the stream: ASYNC_QUEUED until the
 * operation's thread enters it, then that thread's pointer with the bit.
 * Thread pointers are aligned, so the bit is free. */
#define ASYNC_BIT ((guintptr) 1)

static const guint8 async_queued_token[2];
#define ASYNC_QUEUED ((gpointer) ((guintptr) &async_queued_token[0] | ASYNC_BIT))

static inline gboolean
is_async (gpointer owner)
{
  return ((guintptr) owner & ASYNC_BIT) != 0;
}

static inline gpointer
without_async_bit (gpointer owner)
{
  return (gpointer) ((guintptr) owner & ~ASYNC_BIT);
}

/* Takes the stream for @thread if nobody is inside it; returns the owner
 * found: NULL (taken now) or whoever is inside. */
static inline gpointer
try_take (IoStreamPrivate *priv,
          gpointer         thread)
{
  gpointer owner = NULL;

  (void) __atomic_compare_exchange_n (&priv->owner, &owner, thread, FALSE,
                                      __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
  return owner;
}

static gboolean
set_pending_error (GError **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PENDING,
                       "Stream has outstanding operation");
  return FALSE;
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

/* Takes the stream for @thread (or for an asynchronous operation when
 * @thread is ASYNC_QUEUED), waiting while a synchronous call of another
 * thread is inside. Returns the owner it found at the end: NULL (taken),
 * or one it must not wait for: @thread itself, or an asynchronous owner. */
static gpointer
take_or_wait (IoStreamPrivate *priv,
              gpointer         thread)
{
  gulong waits = 0;
  gpointer owner;

  while ((owner = try_take (priv, thread)) != NULL &&
         without_async_bit (owner) != thread && !is_async (owner))
    {
      /* Look with plain loads until it is free (or taken by an
       * asynchronous operation, which fails the call), then try again. */
      do
        {
          wait_a_little (&waits);
          owner = __atomic_load_n (&priv->owner, __ATOMIC_RELAXED);
        }
      while (owner != NULL && !is_async (owner));
    }
  return owner;
}

gboolean
io_stream_hold (IoStream      *self,
                IoStreamHold  *hold,
                GError       **error)
{
  gpointer thread = io_current_thread ();
  gpointer owner = take_or_wait (IO_STREAM_PRIV (self), thread);

  hold->stream = self;
  hold->taken = owner == NULL;
  /* Inside already: the same thread's call, or the thread running the
   * asynchronous operation that owns the stream. */
  if (owner == NULL || without_async_bit (owner) == thread)
    return TRUE;
  return set_pending_error (error);
}

void
io_stream_hold_clear (IoStreamHold *hold)
{
  if (hold->taken)
    io_stream_inline_leave (IO_STREAM_PRIV (hold->stream));
  hold->taken = FALSE;
}

gboolean
io_stream_begin_async (IoStream  *self,
                       GError   **error)
{
  IoStreamPrivate *priv = IO_STREAM_PRIV (self);

  if (take_or_wait (priv, ASYNC_QUEUED) != NULL)
    return set_pending_error (error);
  priv->async_owned = 1;
  io_stream_update_read_stop (priv);
  return TRUE;
}

void
io_stream_enter_async (IoStream *self)
{
  gpointer owner = ASYNC_QUEUED;

  if (!__atomic_compare_exchange_n (&IO_STREAM_PRIV (self)->owner, &owner,
                                    (gpointer) ((guintptr) io_current_thread () | ASYNC_BIT),
                                    FALSE, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
    g_critical ("io_stream_enter_async: %p has no asynchronous operation waiting", self);
}

void
io_stream_leave_async (IoStream *self)
{
  __atomic_store_n (&IO_STREAM_PRIV (self)->owner, ASYNC_QUEUED, __ATOMIC_RELEASE);
}

void
io_stream_end_async (IoStream *self)
{
  IoStreamPrivate *priv = IO_STREAM_PRIV (self);

  priv->async_owned = 0;
  io_stream_update_read_stop (priv);
  io_stream_inline_leave (priv);
}
