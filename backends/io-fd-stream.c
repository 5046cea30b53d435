/* io-fd-stream.c: the base class of the streams over a file descriptor
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io-error-private.h"
#include "io-fd-private.h"
#include "io-fd-stream-private.h"
#include "io-stream-async-private.h"

/**
 * IoFdStream:
 *
 * The abstract base class of the raw streams over a file descriptor,
 * [class@Io.FileStream] and [class@Io.PipeStream], as GIO's
 * `GFilterInputStream` is the one of its filters.
 *
 * It owns what they share:
 *
 * - the [property@Io.FdStream:fd], [property@Io.FdStream:mode] and
 *   [property@Io.FdStream:closefd] properties;
 * - the Python mode string: exactly one main mode (`r`, `w`, and for
 *   [class@Io.FileStream] `a` and `x`), at most one `+`, any number of
 *   `b`; anything else fails with %G_IO_ERROR_INVALID_ARGUMENT and
 *   `FileIO`'s `ValueError` message;
 * - the [iface@Gio.Initable] that checks the descriptor, or lets the
 *   subclass open one, and keeps the error of a failed open, so that every
 *   later [method@Gio.Initable.init] gives the same answer. A descriptor
 *   handed in stays with the caller when the stream cannot take it; one
 *   the stream opened is closed;
 * - the raw operations: one `read(2)` or `write(2)` per call, retried on
 *   `EINTR`; `close(2)` (only with [property@Io.FdStream:closefd]);
 *   `isatty(3)`; [method@Io.Stream.fileno]. Every system call failure is a
 *   #GError in %G_IO_ERROR with the code g_io_error_from_errno() gives and
 *   the message of Python's `OSError`, such as `[Errno 32] Broken pipe`;
 * - writes to a descriptor that is not a regular file or a block device
 *   (a pipe, a socket) that fail with %G_IO_ERROR_BROKEN_PIPE instead of
 *   killing the process with `SIGPIPE`.
 *
 * The subclasses add how they get their descriptor (a path, a pipe, a
 * child process) and what only they do: seeking for a file,
 * non-blocking mode for a pipe. The class cannot be instantiated; code
 * that takes any descriptor stream tests for it with
 * `IO_IS_FD_STREAM()` and reads the shared properties through it.
 *
 * How the library's subclasses open their descriptor stays private. A
 * subclass written elsewhere wraps the descriptor it is constructed with
 * (a negative one fails), accepts the `r` and `w` modes, follows the
 * descriptor's access mode when the mode is unset, and must be built
 * with g_initable_new() or have [method@Gio.Initable.init] called before
 * use.
 */

static void io_fd_stream_initable_iface_init (GInitableIface *iface);

G_DEFINE_ABSTRACT_TYPE_WITH_CODE (IoFdStream, io_fd_stream, IO_TYPE_STREAM,
                                  G_ADD_PRIVATE (IoFdStream)
                                  G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                         io_fd_stream_initable_iface_init))

enum {
  PROP_0,
  PROP_FD,
  PROP_MODE,
  PROP_CLOSEFD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A stream that wraps the descriptor it is given. */
static const IoFdStreamOps default_ops = {
  .main_modes = "rw",
};

#define GET_PRIV(self) ((IoFdStreamPrivate *) io_fd_stream_get_instance_private (self))
#define STREAM_PRIV(stream) GET_PRIV ((IoFdStream *) (stream))

IoFdStreamPrivate *
io_fd_stream_get_private (IoFdStream *self)
{
  return GET_PRIV (self);
}

void
io_fd_stream_set_ops (IoFdStream          *self,
                      const IoFdStreamOps *ops)
{
  GET_PRIV (self)->ops = ops;
}

gboolean
io_fd_stream_hold_fd (IoFdStream    *self,
                      IoStreamHold  *hold,
                      int           *fd,
                      GError       **error)
{
  gboolean held = io_stream_hold (IO_STREAM (self), hold, error);

  *fd = GET_PRIV (self)->fd;
  return held;
}

static void
set_negative_fd_error (GError **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "negative file descriptor");
}

IoStream *
io_fd_stream_new_for_fd (GType        type,
                         int          fd,
                         const char  *mode,
                         gboolean     closefd,
                         GError     **error)
{
  g_return_val_if_fail (g_type_is_a (type, IO_TYPE_FD_STREAM), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Checked here too: -1 lets a subclass open a descriptor itself. */
  if (fd < 0)
    {
      set_negative_fd_error (error);
      return NULL;
    }
  return g_initable_new (type, NULL, error,
                         "fd", fd,
                         "mode", mode,
                         "closefd", closefd,
                         NULL);
}

/* What FileIO's message about the main mode calls each letter. */
static const char *
main_mode_word (char letter)
{
  switch (letter)
    {
    case 'x':
      return "create";
    case 'r':
      return "read";
    case 'w':
      return "write";
    default:
      return "append";
    }
}

static void
set_bad_mode_error (const char  *main_modes,
                    GError     **error)
{
  g_autoptr(GString) message = g_string_new ("Must have exactly one of ");
  const char *s;

  for (s = main_modes; *s != '\0'; s++)
    {
      if (s != main_modes)
        g_string_append_c (message, '/');
      g_string_append (message, main_mode_word (*s));
    }
  g_string_append (message, " mode and at most one plus");
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, message->str);
}

/* One main mode letter: what it allows and its open(2) flags. */
static void
apply_main_mode (IoFdStreamPrivate *priv,
                 char               letter,
                 int               *flags)
{
  switch (letter)
    {
    case 'x':
      priv->created = priv->writable = TRUE;
      *flags |= O_EXCL | O_CREAT;
      break;

    case 'r':
      priv->readable = TRUE;
      break;

    case 'w':
      priv->writable = TRUE;
      *flags |= O_CREAT | O_TRUNC;
      break;

    default:
      priv->appending = priv->writable = TRUE;
      *flags |= O_APPEND | O_CREAT;
      break;
    }
}

/* CPython's FileIO mode parser (Modules/_io/fileio.c), message for
 * message, restricted to the main modes in @main_modes. Sets what the
 * stream allows and the open(2) flags of @mode in @flags. */
static gboolean
parse_mode (IoFdStreamPrivate  *priv,
            const char         *main_modes,
            const char         *mode,
            int                *flags,
            GError            **error)
{
  gboolean main_mode = FALSE;
  gboolean plus = FALSE;
  const char *s;

  *flags = 0;
  for (s = mode; *s != '\0'; s++)
    {
      if (*s == '+')
        {
          if (plus)
            goto bad_mode;
          plus = TRUE;
          priv->readable = priv->writable = TRUE;
        }
      else if (*s != 'b' && strchr (main_modes, *s) != NULL)
        {
          if (main_mode)
            goto bad_mode;
          main_mode = TRUE;
          apply_main_mode (priv, *s, flags);
        }
      else if (*s != 'b')
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "invalid mode: %.200s", mode);
          return FALSE;
        }
    }

  if (!main_mode)
    goto bad_mode;

  if (priv->readable && priv->writable)
    *flags |= O_RDWR;
  else if (priv->readable)
    *flags |= O_RDONLY;
  else
    *flags |= O_WRONLY;
  *flags |= O_CLOEXEC;
  return TRUE;

bad_mode:
  set_bad_mode_error (main_modes, error);
  return FALSE;
}

/* The mode of a stream whose mode is neither given nor defaulted: what
 * the descriptor was opened for. */
static void
follow_access_mode (IoFdStreamPrivate *priv,
                    int                status_flags)
{
  int access_mode = status_flags & O_ACCMODE;

  priv->readable = access_mode == O_RDONLY || access_mode == O_RDWR;
  priv->writable = access_mode == O_WRONLY || access_mode == O_RDWR;
}

/* Applies the mode, given or defaulted, or follows the descriptor's. */
static gboolean
apply_mode (IoFdStreamPrivate  *priv,
            int                 status_flags,
            int                *open_flags,
            GError            **error)
{
  const char *mode = priv->mode_arg != NULL ? priv->mode_arg : priv->ops->default_mode;

  if (mode != NULL)
    return parse_mode (priv, priv->ops->main_modes, mode, open_flags, error);
  follow_access_mode (priv, status_flags);
  return TRUE;
}

/* Looks at a descriptor handed in; the error names no file, as FileIO's
 * does. */
static gboolean
inspect_fd (IoFdStreamPrivate  *priv,
            struct stat        *st,
            int                *status_flags,
            GError            **error)
{
  if (fstat (priv->fd, st) < 0 || (*status_flags = fcntl (priv->fd, F_GETFL)) < 0)
    {
      io_set_error_from_errno (error, errno, NULL);
      return FALSE;
    }
  return TRUE;
}

/* Gets the descriptor ready: the mode, the descriptor itself (opened by
 * the subclass when none was handed in) and the subclass's checks. A mode
 * that defaults to the descriptor's access mode is applied after the
 * descriptor is looked at; any other before, as FileIO does. */
static gboolean
open_stream (IoFdStream  *self,
             GError     **error)
{
  IoFdStreamPrivate *priv = GET_PRIV (self);
  const IoFdStreamOps *ops = priv->ops;
  gboolean mode_first = ops->default_mode != NULL;
  gboolean own_fd = FALSE;
  int open_flags = 0;
  int status_flags = 0;
  struct stat st;

  if (priv->fd < 0 && ops->open == NULL)
    {
      set_negative_fd_error (error);
      return FALSE;
    }

  if (mode_first && !apply_mode (priv, 0, &open_flags, error))
    return FALSE;

  if (priv->fd >= 0)
    {
      if (!inspect_fd (priv, &st, &status_flags, error))
        return FALSE;
    }
  else
    {
      priv->fd = ops->open (self, open_flags, &st, error);
      if (priv->fd < 0)
        return FALSE;
      own_fd = TRUE;
      status_flags = open_flags;
    }

  if (!mode_first && !apply_mode (priv, status_flags, &open_flags, error))
    goto fail;

  priv->may_sigpipe = !S_ISREG (st.st_mode) && !S_ISBLK (st.st_mode);
  priv->pollable = S_ISFIFO (st.st_mode) || S_ISSOCK (st.st_mode) || S_ISCHR (st.st_mode);
  if (ops->opened != NULL && !ops->opened (self, &st, status_flags, own_fd, error))
    goto fail;
  return TRUE;

fail:
  /* A descriptor that was handed in stays open: the caller owns it. */
  if (own_fd)
    close (priv->fd);
  return FALSE;
}

static gboolean
io_fd_stream_initable_init (GInitable     *initable,
                            GCancellable  *cancellable,
                            GError       **error)
{
  IoFdStream *self = IO_FD_STREAM (initable);
  IoFdStreamPrivate *priv = GET_PRIV (self);

  if (!priv->initialized)
    {
      priv->initialized = TRUE;
      if (!open_stream (self, &priv->init_error))
        {
          priv->fd = -1;
          priv->readable = priv->writable = FALSE;
        }
    }

  if (priv->init_error != NULL)
    {
      g_propagate_error (error, g_error_copy (priv->init_error));
      return FALSE;
    }
  return TRUE;
}

static void
io_fd_stream_initable_iface_init (GInitableIface *iface)
{
  iface->init = io_fd_stream_initable_init;
}

static gboolean
io_fd_stream_can_read (IoStream *stream)
{
  return STREAM_PRIV (stream)->readable;
}

static gboolean
io_fd_stream_can_write (IoStream *stream)
{
  return STREAM_PRIV (stream)->writable;
}

static gssize
io_fd_stream_read (IoStream  *stream,
                   guint8    *buffer,
                   gsize      count,
                   GError   **error)
{
  IoFdStreamPrivate *priv = STREAM_PRIV (stream);

  if G_UNLIKELY (priv->nowait && !io_fd_ready (priv->fd, POLLIN, error))
    return -1;
  return io_fd_read (priv->fd, buffer, count, error);
}

static gssize
io_fd_stream_write (IoStream      *stream,
                    const guint8  *buffer,
                    gsize          count,
                    GError       **error)
{
  IoFdStreamPrivate *priv = STREAM_PRIV (stream);

  /* Not waiting: a blocking descriptor that polls writable takes
   * PIPE_BUF bytes without waiting, not always more. */
  if G_UNLIKELY (priv->nowait)
    {
      if (!io_fd_ready (priv->fd, POLLOUT, error))
        return -1;
      count = MIN (count, PIPE_BUF);
    }
  return io_fd_write (priv->fd, buffer, count, priv->may_sigpipe, error);
}

/* Unchecked: its one caller, the accelerator, has checked the type, and
 * a type check would cost as much as the rest of its work. */
guint
_io_fd_stream_get_waits (IoStream *stream)
{
  IoFdStreamPrivate *priv = STREAM_PRIV (stream);

  if (!priv->may_sigpipe)
    return 0;
  return IO_FD_WAITS | (priv->writable ? IO_FD_WAITS_WRITABLE : 0);
}

static gboolean
io_fd_stream_close (IoStream  *stream,
                    GError   **error)
{
  IoFdStreamPrivate *priv = STREAM_PRIV (stream);
  int fd = priv->fd;

  priv->fd = -1;
  if (fd < 0 || !priv->closefd)
    return TRUE;
  return io_fd_close (fd, error);
}

static gboolean
io_fd_stream_isatty (IoStream  *stream,
                     GError   **error)
{
  return io_fd_isatty (STREAM_PRIV (stream)->fd, error);
}

static int
io_fd_stream_fileno (IoStream  *stream,
                     GError   **error)
{
  return STREAM_PRIV (stream)->fd;
}

static void
io_fd_stream_set_nowait (IoStream *stream,
                         gboolean  nowait)
{
  STREAM_PRIV (stream)->nowait = nowait;
}

/* Pipes, sockets and terminals are waited for in the caller's main
 * context; regular files, which poll(2) cannot wait for, go to a
 * thread. */
static void
io_fd_stream_run_async (IoStream *stream,
                        GTask    *task)
{
  IoFdStreamPrivate *priv = STREAM_PRIV (stream);

  if (priv->fd < 0)
    io_stream_async_run_now (stream, task);  /* closed: it fails at once */
  else if (priv->pollable)
    io_stream_async_run_polled (stream, task, priv->fd, io_fd_stream_set_nowait);
  else
    io_stream_async_run_in_thread (stream, task);
}

static void
io_fd_stream_finalize (GObject *object)
{
  IoFdStreamPrivate *priv = STREAM_PRIV (object);

  g_clear_pointer (&priv->mode_arg, g_free);
  g_clear_error (&priv->init_error);

  G_OBJECT_CLASS (io_fd_stream_parent_class)->finalize (object);
}

static void
io_fd_stream_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  IoFdStream *self = IO_FD_STREAM (object);

  switch (prop_id)
    {
    case PROP_FD:
      g_value_set_int (value, io_fd_stream_get_fd (self));
      break;

    case PROP_MODE:
      g_value_set_string (value, io_fd_stream_get_mode (self));
      break;

    case PROP_CLOSEFD:
      g_value_set_boolean (value, io_fd_stream_get_closefd (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
io_fd_stream_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  IoFdStreamPrivate *priv = STREAM_PRIV (object);

  switch (prop_id)
    {
    case PROP_FD:
      priv->fd = g_value_get_int (value);
      break;

    case PROP_MODE:
      priv->mode_arg = g_value_dup_string (value);
      break;

    case PROP_CLOSEFD:
      priv->closefd = g_value_get_boolean (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
io_fd_stream_class_init (IoFdStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  IoStreamClass *stream_class = IO_STREAM_CLASS (klass);

  object_class->finalize = io_fd_stream_finalize;
  object_class->get_property = io_fd_stream_get_property;
  object_class->set_property = io_fd_stream_set_property;

  stream_class->can_read = io_fd_stream_can_read;
  stream_class->can_write = io_fd_stream_can_write;
  stream_class->read = io_fd_stream_read;
  stream_class->write = io_fd_stream_write;
  stream_class->close = io_fd_stream_close;
  stream_class->isatty = io_fd_stream_isatty;
  stream_class->fileno = io_fd_stream_fileno;
  io_stream_class_set_async_runner (stream_class, io_fd_stream_run_async);

  /**
   * IoFdStream:fd: (getter get_fd)
   *
   * The descriptor to wrap. Left at -1, the subclass opens its own:
   * [class@Io.FileStream] opens [property@Io.FileStream:name]. Reads as
   * the open descriptor, -1 once the stream is closed.
   */
  properties[PROP_FD] =
    g_param_spec_int ("fd", NULL, NULL,
                      -1, G_MAXINT, -1,
                      (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * IoFdStream:mode: (getter get_mode)
   *
   * The Python mode string the stream was opened with. Unset, it is `r`
   * for [class@Io.FileStream] and follows the descriptor's access mode for
   * [class@Io.PipeStream]. Reads back normalised as `FileIO.mode` does:
   * `rb`, `rb+`, `wb`, `ab`, `ab+`, `xb` or `xb+` (`w+` reads as `rb+`).
   */
  properties[PROP_MODE] =
    g_param_spec_string ("mode", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * IoFdStream:closefd: (getter get_closefd)
   *
   * Whether closing the stream closes the descriptor. Must stay `TRUE`
   * when the stream opens the descriptor itself (a path).
   */
  properties[PROP_CLOSEFD] =
    g_param_spec_boolean ("closefd", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
io_fd_stream_init (IoFdStream *self)
{
  IoFdStreamPrivate *priv = GET_PRIV (self);

  priv->ops = &default_ops;
  priv->fd = -1;
  priv->closefd = TRUE;
}

/**
 * io_fd_stream_get_fd: (get-property fd)
 * @self: an #IoFdStream
 *
 * Returns the descriptor under the stream without failing once it is
 * closed, unlike [method@Io.Stream.fileno].
 *
 * Returns: the descriptor, or -1 once the stream is closed or when it
 *   could not be opened
 */
int
io_fd_stream_get_fd (IoFdStream *self)
{
  g_return_val_if_fail (IO_IS_FD_STREAM (self), -1);

  return GET_PRIV (self)->fd;
}

/**
 * io_fd_stream_get_mode: (get-property mode)
 * @self: an #IoFdStream
 *
 * Returns the mode normalised as Python's `FileIO.mode`: `rb`, `rb+`,
 * `wb`, `ab`, `ab+`, `xb` or `xb+`. Still works once the stream is closed.
 *
 * Returns: the mode string
 */
const char *
io_fd_stream_get_mode (IoFdStream *self)
{
  IoFdStreamPrivate *priv;

  g_return_val_if_fail (IO_IS_FD_STREAM (self), NULL);

  priv = GET_PRIV (self);
  if (priv->created)
    return priv->readable ? "xb+" : "xb";
  if (priv->appending)
    return priv->readable ? "ab+" : "ab";
  if (priv->readable)
    return priv->writable ? "rb+" : "rb";
  return "wb";
}

/**
 * io_fd_stream_get_closefd: (get-property closefd)
 * @self: an #IoFdStream
 *
 * Returns whether closing the stream closes its descriptor (Python's
 * `FileIO.closefd`).
 *
 * Returns: `TRUE` if the stream owns its descriptor
 */
gboolean
io_fd_stream_get_closefd (IoFdStream *self)
{
  g_return_val_if_fail (IO_IS_FD_STREAM (self), FALSE);

  return GET_PRIV (self)->closefd;
}
