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
#include "io-fd-private.h"
#include "io-file-stream.h"

/**
 * IoFileStream:
 *
 * A raw stream over a file descriptor with the semantics of CPython 3.11's
 * `io.FileIO`.
 *
 * - Opened from a path with a Python mode string: exactly one of `r`
 *   (read), `w` (create or truncate, write), `a` (create, append) and `x`
 *   (create a new file, fail if it exists), at most one `+` (read and
 *   write), and any number of `b`. Anything else, `t` included, fails with
 *   %G_IO_ERROR_INVALID_ARGUMENT and Python's `ValueError` message. The
 *   file is opened with `O_CLOEXEC`; a new file gets the creation mode
 *   (default `0666`) minus the umask.
 * - Or wrapping a descriptor with [ctor@Io.FileStream.new_for_fd], which
 *   closes it on close only when [property@Io.FileStream:closefd] is set.
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

struct _IoFileStream
{
  IoStream parent_instance;
  IoFdState state;

  char *name;
  char *mode_arg;
  guint creation_mode;

  guint appending : 1;
  guint created : 1;
  guint seekable : 1;
};

IO_FD_STATE_CHECK_LAYOUT (IoFileStream);

static gboolean open_stream (IoFileStream  *self,
                             GError       **error);
static void io_file_stream_initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (IoFileStream, io_file_stream, IO_TYPE_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      io_file_stream_initable_iface_init))

enum {
  PROP_0,
  PROP_NAME,
  PROP_FD,
  PROP_MODE,
  PROP_CLOSEFD,
  PROP_CREATION_MODE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* CPython's FileIO mode parser (Modules/_io/fileio.c), message for
 * message. */
static gboolean
parse_mode (IoFileStream  *self,
            const char    *mode,
            int           *flags,
            GError       **error)
{
  gboolean rwa = FALSE;
  gboolean plus = FALSE;
  const char *s;

  *flags = 0;
  for (s = mode; *s != '\0'; s++)
    {
      switch (*s)
        {
        case 'x':
          if (rwa)
            goto bad_mode;
          rwa = TRUE;
          self->created = TRUE;
          self->state.writable = TRUE;
          *flags |= O_EXCL | O_CREAT;
          break;

        case 'r':
          if (rwa)
            goto bad_mode;
          rwa = TRUE;
          self->state.readable = TRUE;
          break;

        case 'w':
          if (rwa)
            goto bad_mode;
          rwa = TRUE;
          self->state.writable = TRUE;
          *flags |= O_CREAT | O_TRUNC;
          break;

        case 'a':
          if (rwa)
            goto bad_mode;
          rwa = TRUE;
          self->state.writable = TRUE;
          self->appending = TRUE;
          *flags |= O_APPEND | O_CREAT;
          break;

        case 'b':
          break;

        case '+':
          if (plus)
            goto bad_mode;
          self->state.readable = self->state.writable = TRUE;
          plus = TRUE;
          break;

        default:
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "invalid mode: %.200s", mode);
          return FALSE;
        }
    }

  if (!rwa)
    goto bad_mode;

  if (self->state.readable && self->state.writable)
    *flags |= O_RDWR;
  else if (self->state.readable)
    *flags |= O_RDONLY;
  else
    *flags |= O_WRONLY;
  *flags |= O_CLOEXEC;
  return TRUE;

bad_mode:
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "Must have exactly one of create/read/write/append "
                       "mode and at most one plus");
  return FALSE;
}

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
    io_set_error_from_errno_fd (error, errsv, self->state.fd);
}

static gboolean
open_stream (IoFileStream  *self,
             GError       **error)
{
  struct stat st;
  gboolean own_fd = FALSE;
  int flags;

  if (!parse_mode (self, self->mode_arg != NULL ? self->mode_arg : "r", &flags, error))
    goto fail;

  if (self->state.fd >= 0)
    {
      if (fstat (self->state.fd, &st) < 0)
        {
          io_set_error_from_errno (error, errno, NULL);
          goto fail;
        }
    }
  else if (self->name == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "A file stream needs a path or a file descriptor");
      goto fail;
    }
  else
    {
      if (!self->state.closefd)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "Cannot use closefd=False with file name");
          goto fail;
        }

      do
        self->state.fd = open (self->name, flags, (mode_t) self->creation_mode);
      while (self->state.fd < 0 && errno == EINTR);
      if (self->state.fd < 0)
        {
          io_set_error_from_errno (error, errno, self->name);
          goto fail;
        }
      own_fd = TRUE;

      if (fstat (self->state.fd, &st) < 0)
        {
          set_file_error (self, errno, own_fd, error);
          goto fail;
        }
    }

  if (S_ISDIR (st.st_mode))
    {
      set_file_error (self, EISDIR, own_fd, error);
      goto fail;
    }

  self->state.may_sigpipe = !S_ISREG (st.st_mode) && !S_ISBLK (st.st_mode);
  self->seekable = lseek (self->state.fd, 0, SEEK_CUR) >= 0;

  /* Like FileIO: start at the end, not only at the first write. */
  if (self->appending && lseek (self->state.fd, 0, SEEK_END) < 0 && errno != ESPIPE)
    {
      set_file_error (self, errno, own_fd, error);
      goto fail;
    }

  return TRUE;

fail:
  /* A descriptor that was handed in stays open: the caller owns it. */
  if (own_fd)
    close (self->state.fd);
  return FALSE;
}

static gboolean
io_file_stream_initable_init (GInitable     *initable,
                              GCancellable  *cancellable,
                              GError       **error)
{
  IoFileStream *self = IO_FILE_STREAM (initable);

  return io_fd_state_initable_init (&self->state, (IoFdOpenFunc) open_stream, self, error);
}

static void
io_file_stream_initable_iface_init (GInitableIface *iface)
{
  iface->init = io_file_stream_initable_init;
}

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
  result = lseek (IO_FD_STATE (stream)->fd, (off_t) offset, (int) whence);
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
    result = ftruncate (IO_FD_STATE (stream)->fd, (off_t) size);
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
  g_clear_pointer (&self->mode_arg, g_free);
  io_fd_state_clear (&self->state);

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

    case PROP_FD:
      g_value_set_int (value, self->state.fd);
      break;

    case PROP_MODE:
      g_value_set_string (value, io_file_stream_get_mode (self));
      break;

    case PROP_CLOSEFD:
      g_value_set_boolean (value, self->state.closefd);
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

    case PROP_FD:
      self->state.fd = g_value_get_int (value);
      break;

    case PROP_MODE:
      self->mode_arg = g_value_dup_string (value);
      break;

    case PROP_CLOSEFD:
      self->state.closefd = g_value_get_boolean (value);
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

  io_fd_stream_class_init (stream_class);
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
   * IoFileStream:fd:
   *
   * The descriptor to wrap, or -1 to open [property@Io.FileStream:name].
   * Reads as the open descriptor, -1 once the stream is closed.
   */
  properties[PROP_FD] =
    g_param_spec_int ("fd", NULL, NULL,
                      -1, G_MAXINT, -1,
                      (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * IoFileStream:mode: (getter get_mode)
   *
   * The Python mode string the stream was opened with (`r` when unset).
   * Reads back normalised as `FileIO.mode` does: `rb`, `rb+`, `wb`, `ab`,
   * `ab+`, `xb` or `xb+` (`w+` reads as `rb+`).
   */
  properties[PROP_MODE] =
    g_param_spec_string ("mode", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * IoFileStream:closefd: (getter get_closefd)
   *
   * Whether closing the stream closes the descriptor. Must stay `TRUE`
   * when the stream opens a path.
   */
  properties[PROP_CLOSEFD] =
    g_param_spec_boolean ("closefd", NULL, NULL,
                          TRUE,
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
  io_fd_state_init (&self->state);
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
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (fd < 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "negative file descriptor");
      return NULL;
    }

  return g_initable_new (IO_TYPE_FILE_STREAM, NULL, error,
                         "fd", fd,
                         "mode", mode,
                         "closefd", closefd,
                         NULL);
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
 * io_file_stream_get_mode: (get-property mode)
 * @self: an #IoFileStream
 *
 * Returns the mode normalised as Python's `FileIO.mode`: `rb`, `rb+`,
 * `wb`, `ab`, `ab+`, `xb` or `xb+`. Still works once the stream is closed.
 *
 * Returns: the mode string
 */
const char *
io_file_stream_get_mode (IoFileStream *self)
{
  g_return_val_if_fail (IO_IS_FILE_STREAM (self), NULL);

  if (self->created)
    return self->state.readable ? "xb+" : "xb";
  if (self->appending)
    return self->state.readable ? "ab+" : "ab";
  if (self->state.readable)
    return self->state.writable ? "rb+" : "rb";
  return "wb";
}

/**
 * io_file_stream_get_closefd: (get-property closefd)
 * @self: an #IoFileStream
 *
 * Returns whether closing the stream closes its descriptor (Python's
 * `FileIO.closefd`).
 *
 * Returns: `TRUE` if the stream owns its descriptor
 */
gboolean
io_file_stream_get_closefd (IoFileStream *self)
{
  g_return_val_if_fail (IO_IS_FILE_STREAM (self), FALSE);

  return self->state.closefd;
}
