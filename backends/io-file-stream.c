/* io-file-stream.c: a stream over a file descriptor, Python's io.FileIO in C
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io-error-private.h"
#include "io-fd-stream-private.h"
#include "io-file-stream.h"

/**
 * IoFileStream:
 *
 * A raw stream over a file descriptor with the semantics of CPython 3.11's
 * `io.FileIO`. An [class@Io.FdStream], which holds the descriptor, its
 * mode and its reads and writes; this class opens paths and seeks.
 *
 * - Opened from a path with a Python mode string: exactly one of `r`
 *   (read), `w` (create or truncate, write), `a` (create, append) and `x`
 *   (create a new file, fail if it exists), at most one `+` (read and
 *   write), and any number of `b`. Anything else, `t` included, fails with
 *   %G_IO_ERROR_INVALID_ARGUMENT and Python's `ValueError` message. The
 *   file is opened with `O_CLOEXEC`; a new file gets the creation mode
 *   (default `0666`) minus the umask.
 * - Or wrapping a descriptor with [ctor@Io.FileStream.new_for_fd], which
 *   closes it on close only when [property@Io.FdStream:closefd] is set.
 *   If wrapping fails, the descriptor is left open: the caller still owns
 *   it. A descriptor the stream opened itself is closed on every failure.
 * - The stream's own [vfunc@Io.Stream.read] is one `read(2)`: the raw
 *   read of `FileIO.read()`, short when the system call is.
 *   [method@Io.Stream.read1] and [method@Io.Stream.read1_bytes] give that
 *   one system call to C callers; [method@Io.Stream.read] and
 *   [method@Io.Stream.read_bytes] loop until the buffer is full or the
 *   file ends, as `BufferedIOBase` does. A write is one `write(2)`,
 *   possibly partial; [method@Io.Stream.write] loops.
 * - In append mode (`a`) every write goes to the end of the file whatever
 *   the position (`O_APPEND`); the position starts at the end.
 * - [method@Io.Stream.seek] is `lseek(2)`: a position past the end is
 *   allowed, one before the start fails with `EINVAL`.
 *   [method@Io.Stream.truncate] extends the file with zeros when the size
 *   is larger (unlike [class@Io.MemoryStream]) and never moves the
 *   position. A stream is seekable when `lseek(2)` works on its descriptor
 *   (not on a pipe or a terminal).
 * - Opening a directory fails with %G_IO_ERROR_IS_DIRECTORY, as
 *   `IsADirectoryError`.
 * - A system call interrupted by a signal (`EINTR`) is retried. Every other
 *   failure is a #GError in %G_IO_ERROR with the code that
 *   g_io_error_from_errno() gives and the message Python's `OSError`
 *   prints, such as `[Errno 2] No such file or directory: 'data.bin'`, so
 *   the Python layer raises the matching `OSError` subclass with `errno`
 *   and `filename`.
 * - Writing to a descriptor that is not a regular file (a pipe or a
 *   socket) whose reader is gone fails with %G_IO_ERROR_BROKEN_PIPE and
 *   never kills the process with `SIGPIPE`; see [class@Io.PipeStream].
 *
 * Opening can fail, so the stream is a [iface@Gio.Initable]: the
 * constructors return `NULL` with an error, and bindings that build the
 * object from properties (`name`, `mode`, `fd`, `closefd`,
 * `creation-mode`) must call [method@Gio.Initable.init] before using it.
 *
 * ```c
 * g_autoptr(GError) error = NULL;
 * g_autoptr(IoStream) file = io_file_stream_new ("data.bin", "rb", &error);
 * g_autoptr(GBytes) content = NULL;
 *
 * if (file == NULL)
 *   g_printerr ("%s\n", error->message);
 * else
 *   content = io_stream_readall (file, &error);
 * ```
 */

/**
 * IoFileStreamClass:
 * @parent_class: the parent class
 *
 * The class of [class@Io.FileStream], a final type: it cannot be subclassed.
 */

struct _IoFileStream
{
  IoFdStream parent_instance;

  char *name;
  guint creation_mode;

  guint seekable : 1;
};

G_DEFINE_FINAL_TYPE (IoFileStream, io_file_stream, IO_TYPE_FD_STREAM)

enum {
  PROP_0,
  PROP_NAME,
  PROP_CREATION_MODE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define FD_PRIV(self) io_fd_stream_get_private (IO_FD_STREAM (self))

/* Sets an OSError about the file: named by its path when it has one, by
 * the descriptor otherwise (what FileIO puts in `filename`). */
static void
set_file_error (IoFileStream  *self,
                int            errsv,
                gboolean       own_fd,
                GError       **error)
{
  if (own_fd)
    io_set_error_from_errno (error, errsv, self->name);
  else
    io_set_error_from_errno_fd (error, errsv, FD_PRIV (self)->fd);
}

/* IoFdStreamOps.open: the path, with the flags of the mode. */
static int
open_path (IoFdStream   *stream,
           int           flags,
           struct stat  *st,
           GError      **error)
{
  IoFileStream *self = IO_FILE_STREAM (stream);
  int fd;

  if (self->name == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "A file stream needs a path or a file descriptor");
      return -1;
    }
  if (!FD_PRIV (self)->closefd)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "Cannot use closefd=False with file name");
      return -1;
    }

  do
    fd = open (self->name, flags, (mode_t) self->creation_mode);
  while (fd < 0 && errno == EINTR);
  if (fd < 0)
    return io_set_error_from_errno_n (error, errno, self->name);

  if (fstat (fd, st) < 0)
    {
      io_set_error_from_errno (error, errno, self->name);
      close (fd);
      return -1;
    }
  return fd;
}

/* IoFdStreamOps.opened: no directory; seekable or not; an appending
 * file starts at its end. */
static gboolean
check_file (IoFdStream         *stream,
            const struct stat  *st,
            int                 status_flags,
            gboolean            own_fd,
            GError            **error)
{
  IoFileStream *self = IO_FILE_STREAM (stream);
  IoFdStreamPrivate *priv = FD_PRIV (self);

  if (S_ISDIR (st->st_mode))
    {
      set_file_error (self, EISDIR, own_fd, error);
      return FALSE;
    }

  self->seekable = lseek (priv->fd, 0, SEEK_CUR) >= 0;

  /* Like FileIO: start at the end, not only at the first write. */
  if (priv->appending && lseek (priv->fd, 0, SEEK_END) < 0 && errno != ESPIPE)
    {
      set_file_error (self, errno, own_fd, error);
      return FALSE;
    }
  return TRUE;
}

static const IoFdStreamOps file_ops = {
  .main_modes = "xrwa",
  .default_mode = "r",
  .open = open_path,
  .opened = check_file,
};

static gboolean
io_file_stream_can_seek (IoStream *stream)
{
  return IO_FILE_STREAM (stream)->seekable;
}

static gint64
io_file_stream_seek (IoStream  *stream,
                     gint64     offset,
                     IoWhence   whence,
                     GError   **error)
{
  off_t result;

  /* IoWhence has the values of SEEK_SET, SEEK_CUR and SEEK_END. */
  result = lseek (FD_PRIV (stream)->fd, (off_t) offset, (int) whence);
  if (result < 0)
    return io_set_error_from_errno_n (error, errno, NULL);
  return (gint64) result;
}

static gint64
io_file_stream_tell (IoStream  *stream,
                     GError   **error)
{
  return io_file_stream_seek (stream, 0, IO_WHENCE_CUR, error);
}

static gint64
io_file_stream_truncate (IoStream  *stream,
                         gint64     size,
                         GError   **error)
{
  int result;

  do
    result = ftruncate (FD_PRIV (stream)->fd, (off_t) size);
  while (result < 0 && errno == EINTR);

  if (result < 0)
    return io_set_error_from_errno_n (error, errno, NULL);
  return size;
}

static void
io_file_stream_finalize (GObject *object)
{
  IoFileStream *self = IO_FILE_STREAM (object);

  g_clear_pointer (&self->name, g_free);

  G_OBJECT_CLASS (io_file_stream_parent_class)->finalize (object);
}

static void
io_file_stream_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  IoFileStream *self = IO_FILE_STREAM (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_CREATION_MODE:
      g_value_set_uint (value, self->creation_mode);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
io_file_stream_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  IoFileStream *self = IO_FILE_STREAM (object);

  switch (prop_id)
    {
    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;

    case PROP_CREATION_MODE:
      self->creation_mode = g_value_get_uint (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
io_file_stream_class_init (IoFileStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  IoStreamClass *stream_class = IO_STREAM_CLASS (klass);

  object_class->finalize = io_file_stream_finalize;
  object_class->get_property = io_file_stream_get_property;
  object_class->set_property = io_file_stream_set_property;

  stream_class->can_seek = io_file_stream_can_seek;
  stream_class->seek = io_file_stream_seek;
  stream_class->tell = io_file_stream_tell;
  stream_class->truncate = io_file_stream_truncate;

  /**
   * IoFileStream:name: (getter get_name)
   *
   * The path the stream opened, or a label for a wrapped descriptor
   * (`NULL` when none was given).
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * IoFileStream:creation-mode:
   *
   * The permission bits of a file the stream creates, before the umask
   * applies.
   */
  properties[PROP_CREATION_MODE] =
    g_param_spec_uint ("creation-mode", NULL, NULL,
                       0, 07777, 0666,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
io_file_stream_init (IoFileStream *self)
{
  io_fd_stream_set_ops (IO_FD_STREAM (self), &file_ops);
  self->creation_mode = 0666;
}

/**
 * io_file_stream_new:
 * @path: (type filename): the file to open
 * @mode: (nullable): a Python mode string such as `rb`, `w`, `a+` or `x`;
 *   `NULL` means `r`
 * @error: return location for a #GError
 *
 * Opens @path like Python's `io.FileIO(path, mode)`, creating it with
 * mode `0666` minus the umask when @mode asks for it.
 *
 * Returns: (transfer full) (type IoFileStream): a new file stream, or
 *   `NULL` with @error set
 */
IoStream *
io_file_stream_new (const char  *path,
                    const char  *mode,
                    GError     **error)
{
  return io_file_stream_new_full (path, mode, 0666, error);
}

/**
 * io_file_stream_new_full:
 * @path: (type filename): the file to open
 * @mode: (nullable): a Python mode string; `NULL` means `r`
 * @creation_mode: the permission bits of a new file, before the umask
 * @error: return location for a #GError
 *
 * [ctor@Io.FileStream.new] with the permissions of a file it creates.
 *
 * Returns: (transfer full) (type IoFileStream): a new file stream, or
 *   `NULL` with @error set
 */
IoStream *
io_file_stream_new_full (const char  *path,
                         const char  *mode,
                         guint        creation_mode,
                         GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_initable_new (IO_TYPE_FILE_STREAM, NULL, error,
                         "name", path,
                         "mode", mode,
                         "creation-mode", creation_mode & 07777,
                         NULL);
}

/**
 * io_file_stream_new_for_fd:
 * @fd: an open file descriptor
 * @mode: (nullable): the Python mode string saying what the stream may do
 *   with @fd; `NULL` means `r`
 * @closefd: whether closing the stream closes @fd
 * @error: return location for a #GError
 *
 * Wraps @fd like Python's `io.FileIO(fd, mode, closefd)`. The mode only
 * decides what the stream allows; @fd is used as it is (its `O_APPEND`
 * and `O_NONBLOCK` included).
 *
 * A negative @fd fails with %G_IO_ERROR_INVALID_ARGUMENT, one that is not
 * open with an `EBADF` error, a directory with
 * %G_IO_ERROR_IS_DIRECTORY. On failure @fd stays open whatever @closefd
 * says.
 *
 * Returns: (transfer full) (type IoFileStream): a new file stream, or
 *   `NULL` with @error set
 */
IoStream *
io_file_stream_new_for_fd (int          fd,
                           const char  *mode,
                           gboolean     closefd,
                           GError     **error)
{
  return io_fd_stream_new_for_fd (IO_TYPE_FILE_STREAM, fd, mode, closefd, error);
}

/**
 * io_file_stream_get_name: (get-property name)
 * @self: an #IoFileStream
 *
 * Returns the path the stream opened (Python's `FileIO.name`), or the
 * label given with a descriptor.
 *
 * Returns: (nullable) (type filename): the name, or `NULL` for a
 *   descriptor without one
 */
const char *
io_file_stream_get_name (IoFileStream *self)
{
  g_return_val_if_fail (IO_IS_FILE_STREAM (self), NULL);

  return self->name;
}

/**
 * io_file_stream_get_mode:
 * @self: an #IoFileStream
 *
 * Returns the mode normalised as Python's `FileIO.mode`: `rb`, `rb+`,
 * `wb`, `ab`, `ab+`, `xb` or `xb+`. Still works once the stream is closed.
 * The same as [method@Io.FdStream.get_mode].
 *
 * Returns: the mode string
 */

/**
 * io_file_stream_get_closefd:
 * @self: an #IoFileStream
 *
 * Returns whether closing the stream closes its descriptor (Python's
 * `FileIO.closefd`). The same as [method@Io.FdStream.get_closefd].
 *
 * Returns: `TRUE` if the stream owns its descriptor
 */
IO_FD_STREAM_DEFINE_GETTERS (IoFileStream, io_file_stream, IO_IS_FILE_STREAM)
