/* io-fd-private.h: the system calls of the descriptor streams (IoFdStream)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include "io-stream.h"
#include "io-version-macros.h"

G_BEGIN_DECLS

/* One read(2), retried on EINTR; -1 with an OSError-style @error. */
gssize    io_fd_read     (int            fd,
                          guint8        *buffer,
                          gsize          count,
                          GError       **error);

/* One write(2), retried on EINTR. With @guard_sigpipe, a write to a pipe
 * or socket without reader fails with G_IO_ERROR_BROKEN_PIPE instead of
 * killing the process: on Linux 6.14 and later through pwritev2() with
 * RWF_NOSIGNAL (one system call); elsewhere SIGPIPE is blocked in the
 * calling thread for the call and the one the write raised is consumed. */
gssize    io_fd_write    (int            fd,
                          const guint8  *buffer,
                          gsize          count,
                          gboolean       guard_sigpipe,
                          GError       **error);

/* The SIGPIPE-masking write on its own, whatever the kernel supports
 * (io_fd_write() falls back to it; the suites call it directly). */
gssize    io_fd_write_masked (int            fd,
                              const guint8  *buffer,
                              gsize          count,
                              GError       **error);

/* Whether @events (POLLIN or POLLOUT) would not wait on @fd now, by a
 * poll(2) that does not wait: FALSE with G_IO_ERROR_WOULD_BLOCK when they
 * would (a hang-up or an error counts as ready: the call reports it). */
gboolean  io_fd_ready    (int            fd,
                          short          events,
                          GError       **error);

/* Whether the read(2) and write(2) of io_fd_read() and io_fd_write() in
 * the calling thread fail with EINTR when a signal handler interrupts
 * them before any byte moved, instead of being retried; returns the
 * previous setting. Private ABI, not API: exported for the Python
 * accelerator (gi/overrides/_ioaccel.c), which turns it on around one
 * call in the main thread, runs Python's signal handlers on EINTR and
 * retries, as CPython's FileIO does (PEP 475). */
IO_AVAILABLE_IN_ALL
gboolean  _io_fd_set_interruptible (gboolean       interruptible);

/* What _io_fd_stream_get_waits() says of a descriptor stream. */
#define IO_FD_WAITS          (1 << 0)  /* not a regular file or a block device */
#define IO_FD_WAITS_WRITABLE (1 << 1)  /* and open for writing */

/* Whether the calls of @stream, an IoFdStream (not checked), may wait: IO_FD_WAITS for a
 * descriptor that is not a regular file or a block device (as the fstat(2)
 * of its opening found it), with IO_FD_WAITS_WRITABLE if the stream is
 * open for writing; 0 otherwise. Fixed for the stream's life, read without
 * taking the stream or a system call. Private ABI, not API: exported for
 * the Python accelerator, which asks before each call in the main thread
 * whether to wait where the signal handlers run. */
IO_AVAILABLE_IN_ALL
guint     _io_fd_stream_get_waits (IoStream     *stream);

/* close(2); EINTR counts as success (Linux has released the fd). */
gboolean  io_fd_close    (int            fd,
                          GError       **error);

/* isatty(3); FALSE without error when the fd is not a terminal. */
gboolean  io_fd_isatty   (int            fd,
                          GError       **error);

G_END_DECLS
