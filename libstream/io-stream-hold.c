/* io-stream-hold.c: one thread at a time inside a stream, served in turn
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#ifdef HAVE_LINUX_FUTEX
#include <linux/futex.h>
#endif
#ifdef HAVE_LINUX_MEMBARRIER
#include <linux/membarrier.h>
#endif
#include <limits.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "io-stream-inline-private.h"
#include "io-stream-lock-private.h"

/* How a stream is taken (docs/concurrency.md):
 *
 * - The owner word is NULL while nobody is inside, the calling thread's
 *   pointer while a synchronous call runs, and has its low bit set while an
 *   asynchronous operation owns the stream: ASYNC_QUEUED until the
 *   operation's thread enters it, then that thread's pointer with the bit.
 *   Thread pointers are aligned, so the bit is free.
 * - Uncontended, a call takes a free stream with one compare-and-swap (a
 *   plain store in a process with one thread) and gives it back with a
 *   release store followed by one plain load of `waiters`.
 * - Contended, a caller takes a ticket, counts itself in `waiters`, and
 *   parks on the `wake_seq` futex until `serving` reaches its ticket and the
 *   stream is free; it then takes it and moves `serving` on. While anybody
 *   waits, new callers do not take a free stream on the fast path but queue
 *   too, so waiters are served in the order they came: a thread looping on
 *   a stream cannot starve another.
 * - A release has no atomic read-modify-write and no fence, so it could
 *   miss a waiter that counts itself just as the release happens. The
 *   waiter therefore runs membarrier(2) after counting itself and before it
 *   looks at the owner word: every running thread then passes a full
 *   barrier, so either the release's store is visible to the waiter (which
 *   takes the stream) or the release's load sees the waiter (and wakes it).
 *   The cost of ordering is paid by the waiter, which is about to sleep,
 *   not by every call. Where the kernel refuses membarrier(2), releases
 *   pay a full fence instead.
 */
#define ASYNC_BIT ((guintptr) 1)

static const guint8 async_queued_token[2];
#define ASYNC_QUEUED ((gpointer) ((guintptr) &async_queued_token[0] | ASYNC_BIT))

gboolean io_hold_release_needs_fence;

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

static gboolean
set_pending_error (GError **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PENDING,
                       "Stream has outstanding operation");
  return FALSE;
}

#ifdef HAVE_LINUX_MEMBARRIER
static gboolean
register_membarrier (void)
{
  return syscall (__NR_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0;
}
#endif

/* Orders a waiter's announcement before its look at the owner word
 * against every release (see the top of this file). */
static void
barrier_against_releases (void)
{
  static gsize registered = 0;

  if (g_once_init_enter (&registered))
    {
#ifdef HAVE_LINUX_MEMBARRIER
      gboolean ok = register_membarrier ();
#else
      gboolean ok = FALSE;
#endif
      /* Waiters count themselves with a full barrier from here on; the
       * fence on the release side is set before the first of them can
       * rely on it, and stays. */
      if (!ok)
        __atomic_store_n (&io_hold_release_needs_fence, TRUE, __ATOMIC_SEQ_CST);
      g_once_init_leave (&registered, 1);
    }

#ifdef HAVE_LINUX_MEMBARRIER
  if (!__atomic_load_n (&io_hold_release_needs_fence, __ATOMIC_RELAXED) &&
      syscall (__NR_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) == 0)
    return;
#endif
  __atomic_store_n (&io_hold_release_needs_fence, TRUE, __ATOMIC_SEQ_CST);
  __atomic_thread_fence (__ATOMIC_SEQ_CST);
}

#ifndef HAVE_LINUX_FUTEX
static GMutex park_lock;
static GCond park_cond;
#endif

/* Sleeps until *@word no longer holds @seen (or spuriously). */
static void
park (guint *word,
      guint  seen)
{
#ifdef HAVE_LINUX_FUTEX
  while (syscall (SYS_futex, word, FUTEX_WAIT_PRIVATE, seen, NULL, NULL, 0) < 0 &&
         errno == EINTR)
    ;
#else
  g_mutex_lock (&park_lock);
  while (__atomic_load_n (word, __ATOMIC_ACQUIRE) == seen)
    g_cond_wait (&park_cond, &park_lock);
  g_mutex_unlock (&park_lock);
#endif
}

/* Wakes every thread parked on the stream, so the one whose turn it is
 * can look. */
void
io_stream_wake_waiters (IoStreamPrivate *priv)
{
  __atomic_fetch_add (&priv->wake_seq, 1, __ATOMIC_SEQ_CST);
#ifdef HAVE_LINUX_FUTEX
  (void) syscall (SYS_futex, &priv->wake_seq, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
#else
  g_mutex_lock (&park_lock);
  g_cond_broadcast (&park_cond);
  g_mutex_unlock (&park_lock);
#endif
}

/* Waits in line for the stream and takes it for @thread (ASYNC_QUEUED for
 * an asynchronous operation). Fails, after its turn, when an asynchronous
 * operation owns the stream: such callers fail at once rather than wait. */
static gboolean
queue_and_take (IoStreamPrivate *priv,
                gpointer         thread)
{
  guint ticket = __atomic_fetch_add (&priv->next_ticket, 1, __ATOMIC_RELAXED);
  gboolean taken = FALSE;

  __atomic_fetch_add (&priv->waiters, 1, __ATOMIC_SEQ_CST);
  barrier_against_releases ();

  for (;;)
    {
      guint seen = __atomic_load_n (&priv->wake_seq, __ATOMIC_ACQUIRE);

      if (__atomic_load_n (&priv->serving, __ATOMIC_ACQUIRE) == ticket)
        {
          gpointer owner = NULL;

          if (__atomic_compare_exchange_n (&priv->owner, &owner, thread, FALSE,
                                           __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
            {
              taken = TRUE;
              break;
            }
          if (is_async (owner))
            break;
        }
      park (&priv->wake_seq, seen);
    }

  /* The next ticket's turn: it takes the stream at the next release, or
   * now, to fail, if this turn found an asynchronous owner. */
  __atomic_store_n (&priv->serving, ticket + 1, __ATOMIC_RELEASE);
  __atomic_fetch_sub (&priv->waiters, 1, __ATOMIC_SEQ_CST);
  if (!taken || is_async (thread))
    io_stream_wake_waiters (priv);
  return taken;
}

/* Takes the stream for @thread; returns the owner that made that
 * unnecessary (@thread itself, or the asynchronous operation @thread runs)
 * or that made it fail (another asynchronous operation), or NULL once
 * taken. */
static gpointer
take (IoStreamPrivate *priv,
      gpointer         thread)
{
  gpointer owner = __atomic_load_n (&priv->owner, __ATOMIC_ACQUIRE);

  if (owner != NULL && (without_async_bit (owner) == thread || is_async (owner)))
    return owner;
  if (owner == NULL && io_stream_try_take (priv, thread))
    return NULL;
  if (queue_and_take (priv, thread))
    return NULL;
  return __atomic_load_n (&priv->owner, __ATOMIC_RELAXED);
}

gboolean
io_stream_hold (IoStream      *self,
                IoStreamHold  *hold,
                GError       **error)
{
  gpointer thread = io_current_thread ();
  gpointer owner = take (IO_STREAM_PRIV (self), thread);

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
    io_stream_release (IO_STREAM_PRIV (hold->stream));
  hold->taken = FALSE;
}

gboolean
io_stream_begin_async (IoStream  *self,
                       GError   **error)
{
  IoStreamPrivate *priv = IO_STREAM_PRIV (self);

  if (take (priv, ASYNC_QUEUED) != NULL)
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

  /* Pairs with io_stream_leave_async() in the thread that ran the
   * operation: what it did to the stream is visible here. */
  (void) __atomic_load_n (&priv->owner, __ATOMIC_ACQUIRE);
  priv->async_owned = 0;
  io_stream_update_read_stop (priv);
  io_stream_release (priv);
}

/**
 * io_stream_lock:
 * @self: an #IoStream
 * @error: return location for a #GError
 *
 * Takes @self for the calling thread until [method@Io.Stream.unlock], like
 * stdio's `flockfile()` and Rust's `Stdout::lock()`: other threads' calls
 * wait until then, so a sequence of calls (a seek and a read, a header and
 * a body) happens whole, and the calling thread's own calls meanwhile take
 * the stream with a plain load and compare, no atomic operation, which
 * makes small calls in a loop as cheap as in a process with one thread.
 *
 * Locks nest: each call needs its own unlock. Waits its turn like any
 * call while another thread is inside @self; fails with
 * %G_IO_ERROR_PENDING while an asynchronous operation owns it.
 *
 * Returns: `TRUE` once the stream is the calling thread's
 */
gboolean
io_stream_lock (IoStream  *self,
                GError   **error)
{
  IoStreamHold hold = IO_STREAM_HOLD_INIT;

  io_return_val_if_not_stream (self, FALSE);

  if (!io_stream_hold (self, &hold, error))
    return FALSE;
  /* Taken now, or held already by this thread (a nested lock, or a lock
   * from inside a call): either way one more unlock is owed. */
  IO_STREAM_PRIV (self)->lock_depth++;
  if (!hold.taken && IO_STREAM_PRIV (self)->lock_depth == 1)
    {
      /* Inside a call of this thread that will give the stream back when
       * it returns: the lock cannot outlive it. */
      IO_STREAM_PRIV (self)->lock_depth--;
      g_critical ("io_stream_lock: called from inside a call on %p", self);
      return FALSE;
    }
  return TRUE;
}

gboolean
_io_stream_try_lock (IoStream *self)
{
  IoStreamPrivate *priv;
  gpointer thread = io_current_thread ();
  gpointer owner;

  io_return_val_if_not_stream (self, FALSE);

  priv = IO_STREAM_PRIV (self);
  owner = __atomic_load_n (&priv->owner, __ATOMIC_RELAXED);
  /* Held by this thread: a lock nests, but a call of its own it is inside
   * gives the stream back when it returns (io_stream_lock()). */
  if (owner == thread && priv->lock_depth == 0)
    return FALSE;
  if (owner != thread && (owner != NULL || !io_stream_try_take (priv, thread)))
    return FALSE;
  priv->lock_depth++;
  return TRUE;
}

/**
 * io_stream_unlock:
 * @self: an #IoStream
 *
 * Undoes one [method@Io.Stream.lock] of the calling thread; the last one
 * lets other threads in, the longest waiting first.
 */
void
io_stream_unlock (IoStream *self)
{
  IoStreamPrivate *priv;

  if (!io_stream_check_instance (self))
    {
      g_return_if_fail_warning (G_LOG_DOMAIN, G_STRFUNC, "IO_IS_STREAM (self)");
      return;
    }
  priv = IO_STREAM_PRIV (self);
  g_return_if_fail (__atomic_load_n (&priv->owner, __ATOMIC_RELAXED) == io_current_thread ());
  g_return_if_fail (priv->lock_depth > 0);

  if (--priv->lock_depth == 0)
    io_stream_release (priv);
}
