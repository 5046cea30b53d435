/* io-fd-stream-private.h: what IoFdStream shares with its subclasses
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <sys/stat.h>

#include "io-fd-stream.h"
#include "io-stream-private.h"

G_BEGIN_DECLS

typedef struct _IoFdStreamOps IoFdStreamOps;

/* The state of every descriptor stream. A subclass reads it freely and
 * writes only what its hooks are documented to write. The bit-fields are
 * set while the stream is built and never after, so any thread may read
 * them without holding the stream (_io_fd_stream_get_waits()). */
typedef struct
{
  const IoFdStreamOps *ops;
  int fd;
  char *mode_arg;
  GError *init_error;
  guint closefd : 1;
  guint readable : 1;
  guint writable : 1;
  guint created : 1;
  guint appending : 1;
  guint may_sigpipe : 1;
  guint initialized : 1;
  /* A pipe, socket or character device (a terminal): asynchronous
   * operations wait for it in the main context, with no thread. */
  guint pollable : 1;
  /* While such an operation runs a step: the raw reads and writes do
   * not wait (see io_stream_async_run_polled()). Apart from the
   * bit-fields: it changes under the stream's hold. */
  gboolean nowait;
} IoFdStreamPrivate;

/* How a subclass opens its descriptor, given once to
 * io_fd_stream_set_ops() from its instance init. Without it the stream
 * wraps the descriptor of the `fd` property with the `r`/`w` modes, the
 * mode following the descriptor's access mode when unset. */
struct _IoFdStreamOps
{
  /* The letters of the main modes the stream accepts, in the order the
   * error about a mode without exactly one of them names them; a subset
   * of "xrwa". */
  const char *main_modes;

  /* The mode when the `mode` property is unset, read before the
   * descriptor (FileIO's order); NULL follows the descriptor's access
   * mode, so the descriptor is looked at first. */
  const char *default_mode;

  /* Opens a descriptor when none was handed in, with the open(2) @flags
   * of the mode, and fstat()s it into @st. Returns it, or -1 with @error
   * set and nothing left open. NULL: a negative descriptor fails. */
  int (*open) (IoFdStream   *self,
               int           flags,
               struct stat  *st,
               GError      **error);

  /* Checks and completes the descriptor: @st is its fstat(),
   * @status_flags its F_GETFL (the open flags for one the stream opened),
   * @own_fd whether the stream opened it. On failure the base class
   * closes a descriptor it owns. */
  gboolean (*opened) (IoFdStream         *self,
                      const struct stat  *st,
                      int                 status_flags,
                      gboolean            own_fd,
                      GError            **error);
};

IoFdStreamPrivate *io_fd_stream_get_private (IoFdStream           *self);

void               io_fd_stream_set_ops     (IoFdStream           *self,
                                             const IoFdStreamOps  *ops);

/* A new stream of @type (a subclass) wrapping @fd: the new_for_fd()
 * constructors. A negative @fd fails; on failure @fd stays open. */
IoStream          *io_fd_stream_new_for_fd  (GType                 type,
                                             int                   fd,
                                             const char           *mode,
                                             gboolean              closefd,
                                             GError              **error);

/* Takes @self for the calling thread (see IoStreamHold) and sets @fd to
 * its descriptor, -1 once the stream is closed: the one place the
 * descriptor streams hold their own methods. FALSE, with @error set, while
 * an asynchronous operation owns the stream (@fd is still set). */
gboolean           io_fd_stream_hold_fd     (IoFdStream           *self,
                                             IoStreamHold         *hold,
                                             int                  *fd,
                                             GError              **error);

/* The mode and closefd getters IoFileStream and IoPipeStream had before
 * their base class owned the properties, kept for their callers. */
#define IO_FD_STREAM_DEFINE_GETTERS(TypeName, type_name, IS_TYPE)  \
  const char *                                                     \
  type_name##_get_mode (TypeName *self)                            \
  {                                                                \
    g_return_val_if_fail (IS_TYPE (self), NULL);                   \
    return io_fd_stream_get_mode (IO_FD_STREAM (self));            \
  }                                                                \
                                                                   \
  gboolean                                                         \
  type_name##_get_closefd (TypeName *self)                         \
  {                                                                \
    g_return_val_if_fail (IS_TYPE (self), FALSE);                  \
    return io_fd_stream_get_closefd (IO_FD_STREAM (self));         \
  }

G_END_DECLS
