/* io-stream-inline-private.h: the inline fast path over a lent window
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <string.h>
#ifdef HAVE_SYS_SINGLE_THREADED_H
#include <sys/single_threaded.h>
#endif

#include "io-stream-private.h"
#include "io-stream-window-private.h"

G_BEGIN_DECLS

/* The concrete type that last passed io_stream_check_instance(). */
extern GType io_stream_checked_type;

gboolean io_stream_check_instance_slow (GTypeInstance *instance);

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

/* g_return_val_if_fail (IO_IS_STREAM (self), val) with the cached type
 * check, reporting a failure under public method @func's name, as callers
 * (and tests) know it, even from the method's out-of-line half. */
#ifdef G_DISABLE_CHECKS
#define io_return_val_if_fail_text_in(func, expr, text, val) G_STMT_START { } G_STMT_END
#else
#define io_return_val_if_fail_text_in(func, expr, text, val)          \
  G_STMT_START {                                                      \
    if G_UNLIKELY (!(expr))                                           \
      {                                                               \
        g_return_if_fail_warning (G_LOG_DOMAIN, func, text);          \
        return (val);                                                 \
      }                                                               \
  } G_STMT_END
#endif

#define io_return_val_if_fail_in(func, expr, val) \
  io_return_val_if_fail_text_in (func, expr, #expr, val)
#define io_return_val_if_not_stream_in(func, self, val) \
  io_return_val_if_fail_text_in (func, io_stream_check_instance (self), "IO_IS_STREAM (self)", val)
#define io_return_val_if_not_stream(self, val) \
  io_return_val_if_not_stream_in (G_STRFUNC, self, val)

/* The calling thread, as the owner word records it. */
static inline gpointer
io_current_thread (void)
{
#ifdef HAVE_BUILTIN_THREAD_POINTER
  return __builtin_thread_pointer ();
#else
  return g_thread_self ();
#endif
}

/* Whether no second thread was ever started in this process: glibc's
 * __libc_single_threaded, which its own stdio locks read for the same
 * purpose. Without it, every process counts as multi-threaded. */
static inline gboolean
io_process_is_single_threaded (void)
{
#ifdef HAVE_SYS_SINGLE_THREADED_H
  return __libc_single_threaded != 0;
#else
  return FALSE;
#endif
}

/* Set when the kernel cannot order a release for the waiters
 * (membarrier(2) refused): releases then pay a full fence. */
extern gboolean io_hold_release_needs_fence;

void io_stream_wake_waiters (IoStreamPrivate *priv);

/* Gives the stream back: a release store, then one plain look for
 * waiters to wake. A waiter announces itself before it looks at the owner
 * word and orders the two with membarrier(2), which makes this store
 * visible to it or this load see it (see io-stream-hold.c). */
static inline void
io_stream_release (IoStreamPrivate *priv)
{
  __atomic_store_n (&priv->owner, NULL, __ATOMIC_RELEASE);
  if G_UNLIKELY (io_hold_release_needs_fence)
    __atomic_thread_fence (__ATOMIC_SEQ_CST);
  else
    __atomic_signal_fence (__ATOMIC_SEQ_CST);
  if G_UNLIKELY (__atomic_load_n (&priv->waiters, __ATOMIC_RELAXED) != 0)
    io_stream_wake_waiters (priv);
}

/* Takes a free stream for @thread with nobody queued for it: a plain store
 * in a process with one thread, one compare-and-swap otherwise. */
static inline gboolean
io_stream_try_take (IoStreamPrivate *priv,
                    gpointer         thread)
{
  gpointer expected = NULL;

  if (__atomic_load_n (&priv->waiters, __ATOMIC_RELAXED) != 0)
    return FALSE;
  if (io_process_is_single_threaded ())
    {
      __atomic_store_n (&priv->owner, thread, __ATOMIC_RELAXED);
      return TRUE;
    }
  return __atomic_compare_exchange_n (&priv->owner, &expected, thread, FALSE,
                                      __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

/* The private part of @self when it is a stream of the cached type, its
 * owner word in *@owner; NULL otherwise. */
static inline IoStreamPrivate *
io_stream_inline_priv (IoStream *self,
                       gpointer *owner)
{
  IoStreamPrivate *priv;

  if G_UNLIKELY (!io_stream_is_checked_type (self))
    return NULL;
  priv = IO_STREAM_PRIV (self);
  *owner = __atomic_load_n (&priv->owner, __ATOMIC_RELAXED);
  return priv;
}

/* @priv for the calling thread, given the owner word read from it: as
 * io_stream_inline_enter(). */
static inline IoStreamPrivate *
io_stream_inline_take (IoStreamPrivate *priv,
                       gpointer         owner,
                       gboolean        *taken)
{
  *taken = FALSE;
  if G_LIKELY (owner == NULL)
    {
      if G_LIKELY (io_process_is_single_threaded ())
        return priv;
      *taken = io_stream_try_take (priv, io_current_thread ());
      return *taken ? priv : NULL;
    }
  return owner == io_current_thread () ? priv : NULL;
}

/* The start of every inline fast path: the private part of @self when it
 * is a stream of the cached type that the calling thread may use now;
 * NULL sends the call to its out-of-line half, which checks and reports
 * everything. The stream costs no atomic operation when the process has
 * one thread (the inline paths call nothing, so none can start meanwhile)
 * or when the calling thread holds it already (io_stream_lock()), and one
 * compare-and-swap otherwise; *@taken then says to give it back with
 * io_stream_inline_leave(). */
static inline IoStreamPrivate *
io_stream_inline_enter (IoStream *self,
                        gboolean *taken)
{
  gpointer owner;
  IoStreamPrivate *priv = io_stream_inline_priv (self, &owner);

  if G_UNLIKELY (priv == NULL)
    return NULL;
  return io_stream_inline_take (priv, owner, taken);
}

/* io_stream_inline_enter() for a stream known to be one, such as a
 * layer's base stream: no type check. */
static inline IoStreamPrivate *
io_stream_inline_enter_stream (IoStream *self,
                               gboolean *taken)
{
  IoStreamPrivate *priv = IO_STREAM_PRIV (self);

  return io_stream_inline_take (priv, __atomic_load_n (&priv->owner, __ATOMIC_RELAXED), taken);
}

/* The first half of a fast path, which must call nothing so as to need
 * no stack frame: the private part of @self when it is a stream of the
 * cached type that the calling thread may use without taking it (the
 * process has one thread, or the thread holds it already); NULL sends the
 * call on to the half that takes it with io_stream_inline_enter(). */
static inline IoStreamPrivate *
io_stream_inline_enter_untaken (IoStream *self)
{
  gpointer owner;
  IoStreamPrivate *priv = io_stream_inline_priv (self, &owner);

  if G_LIKELY (priv != NULL &&
               (owner == NULL ? io_process_is_single_threaded () : owner == io_current_thread ()))
    return priv;
  return NULL;
}

static inline void
io_stream_inline_leave (IoStreamPrivate *priv,
                        gboolean         taken)
{
  if (taken)
    io_stream_release (priv);
}

/* The inline paths copy up to this many bytes themselves and leave larger
 * copies to out-of-line memcpy() calls, so that they call nothing and need
 * no stack frame. */
#define IO_INLINE_COPY_MAX 16

/* A copy of at most 16 bytes, inline: a memcpy call costs more than the
 * bytes. Loads come before stores, as memmove would have it. */
static inline void
io_copy_small (guint8       *dst,
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

G_END_DECLS
