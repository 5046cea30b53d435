/* io-fd-private.h: the system calls the file and pipe backends share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include "io-stream.h"

G_BEGIN_DECLS

/* The state the descriptor backends share. Each puts it right after its
 * parent instance, so that the shared vfuncs below find it. */
typedef struct
{
  int fd;
  GError *init_error;
  guint closefd : 1;
  guint readable : 1;
  guint writable : 1;
  guint may_sigpipe : 1;
  guint initialized : 1;
} IoFdState;

#define IO_FD_STATE(stream) ((IoFdState *) ((IoStream *) (stream) + 1))
#define IO_FD_STATE_CHECK_LAYOUT(Type) \
  G_STATIC_ASSERT (G_STRUCT_OFFSET (Type, state) == sizeof (IoStream))

typedef gboolean (*IoFdOpenFunc) (gpointer   self,
                                  GError   **error);

void      io_fd_state_init          (IoFdState     *state);
void      io_fd_state_clear         (IoFdState     *state);

/* GInitable.init(): runs @open_func once and keeps its error, so later
 * calls give the same answer. */
gboolean  io_fd_state_initable_init (IoFdState     *state,
                                     IoFdOpenFunc   open_func,
                                     gpointer       self,
                                     GError       **error);

/* Fills can_read, can_write, read, write, close, isatty and fileno. */
void      io_fd_stream_class_init   (IoStreamClass *klass);

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

/* close(2); EINTR counts as success (Linux has released the fd). */
gboolean  io_fd_close    (int            fd,
                          GError       **error);

/* isatty(3); FALSE without error when the fd is not a terminal. */
gboolean  io_fd_isatty   (int            fd,
                          GError       **error);

G_END_DECLS
