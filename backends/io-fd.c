/* io-fd.c: the system calls of the descriptor streams (IoFdStream)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* pwritev2() */
#define _GNU_SOURCE

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "io-error-private.h"
#include "io-fd-private.h"

/* See _io_fd_set_interruptible(): read only once a call was interrupted. */
static __thread gboolean interruptible;

gboolean
_io_fd_set_interruptible (gboolean value)
{
  gboolean was = interruptible;

  interruptible = value;
  return was;
}

/* Whether a system call that failed with @errsv is to be made again. */
#define RETRY(errsv) G_UNLIKELY ((errsv) == EINTR && !interruptible)

gssize
io_fd_read (int       fd,
            guint8   *buffer,
            gsize     count,
            GError  **error)
{
  gssize n;

  do
    n = read (fd, buffer, count);
  while (n < 0 && RETRY (errno));

  if G_UNLIKELY (n < 0)
    return io_set_error_from_errno_n (error, errno, NULL);
  return n;
}

gboolean
io_fd_ready (int      fd,
             short    events,
             GError **error)
{
  struct pollfd pfd = { fd, events, 0 };
  int n;

  do
    n = poll (&pfd, 1, 0);
  while G_UNLIKELY (n < 0 && errno == EINTR);

  if G_UNLIKELY (n < 0)
    return io_set_error_from_errno_n (error, errno, NULL) == 0;
  if (n == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK,
                           "Operation would block");
      return FALSE;
    }
  return TRUE;
}

/* Linux 6.14 and later: a write that fails with EPIPE raises no SIGPIPE. */
#ifndef RWF_NOSIGNAL
# define RWF_NOSIGNAL 0x00000100
#endif

/* Whether the kernel knows RWF_NOSIGNAL, probed once on a private pipe
 * (an older kernel rejects the unknown flag with EOPNOTSUPP). The answer
 * is read and written atomically: g_once_init_leave() orders it already,
 * but inside GLib, where ThreadSanitizer cannot see it (a plain load on
 * x86, so free). */
static gboolean
have_rwf_nosignal (void)
{
  static gsize probed = 0;
  static gint supported = FALSE;

  if (g_once_init_enter (&probed))
    {
      struct iovec iov = { (void *) "", 1 };
      int fds[2];

      if (pipe2 (fds, O_CLOEXEC) == 0)
        {
          g_atomic_int_set (&supported, pwritev2 (fds[1], &iov, 1, -1, RWF_NOSIGNAL) == 1);
          close (fds[0]);
          close (fds[1]);
        }
      g_once_init_leave (&probed, 1);
    }
  return g_atomic_int_get (&supported);
}

/* Linux queues the SIGPIPE of a failed pipe write on the writing thread,
 * even when it is ignored, as long as it is blocked; sigtimedwait() takes
 * thread-directed signals before process-directed ones, so the one taken
 * below is the one our write raised (if it raised one). */
static gssize
write_masked (int           fd,
              const guint8 *buffer,
              gsize         count,
              int          *errsv)
{
  static const struct timespec no_wait = { 0, 0 };
  sigset_t sigpipe_set;
  sigset_t old_mask;
  gboolean was_blocked;
  gssize n;

  sigemptyset (&sigpipe_set);
  sigaddset (&sigpipe_set, SIGPIPE);
  pthread_sigmask (SIG_BLOCK, &sigpipe_set, &old_mask);
  was_blocked = sigismember (&old_mask, SIGPIPE);

  do
    n = write (fd, buffer, count);
  while (n < 0 && RETRY (errno));
  *errsv = errno;

  /* A caller that blocks SIGPIPE itself gets it pending, as it asked.
   * The kernel raises it for a write that the reader's close cut short
   * as well, which returns the partial count: take one after any short
   * write too (none pending is no error). */
  if (!was_blocked)
    {
      if ((n < 0 && *errsv == EPIPE) || (n >= 0 && (gsize) n < count))
        {
          while (sigtimedwait (&sigpipe_set, NULL, &no_wait) < 0 && errno == EINTR)
            ;
        }
      pthread_sigmask (SIG_SETMASK, &old_mask, NULL);
    }

  return n;
}

gssize
io_fd_write (int            fd,
             const guint8  *buffer,
             gsize          count,
             gboolean       guard_sigpipe,
             GError       **error)
{
  int errsv;
  gssize n;

  if (guard_sigpipe && have_rwf_nosignal ())
    {
      struct iovec iov = { (void *) buffer, count };

      /* One system call, no signal; a descriptor whose driver takes no
       * flags refuses with EOPNOTSUPP and gets the masked write. */
      do
        n = pwritev2 (fd, &iov, 1, -1, RWF_NOSIGNAL);
      while (n < 0 && RETRY (errno));
      errsv = errno;
      if G_UNLIKELY (n < 0 && errsv == EOPNOTSUPP)
        n = write_masked (fd, buffer, count, &errsv);
    }
  else if (guard_sigpipe)
    n = write_masked (fd, buffer, count, &errsv);
  else
    {
      do
        n = write (fd, buffer, count);
      while (n < 0 && RETRY (errno));
      errsv = errno;
    }

  if G_UNLIKELY (n < 0)
    return io_set_error_from_errno_n (error, errsv, NULL);
  return n;
}

gssize
io_fd_write_masked (int            fd,
                    const guint8  *buffer,
                    gsize          count,
                    GError       **error)
{
  int errsv;
  gssize n = write_masked (fd, buffer, count, &errsv);

  if (n < 0)
    return io_set_error_from_errno_n (error, errsv, NULL);
  return n;
}

gboolean
io_fd_close (int       fd,
             GError  **error)
{
  if (close (fd) < 0 && errno != EINTR)
    {
      io_set_error_from_errno (error, errno, NULL);
      return FALSE;
    }
  return TRUE;
}

gboolean
io_fd_isatty (int       fd,
              GError  **error)
{
  if (isatty (fd))
    return TRUE;
  if (errno == EBADF)
    io_set_error_from_errno (error, errno, NULL);
  return FALSE;
}
