/* io-pipe-stream.c: a stream over one end of a pipe
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* pipe2() */
#define _GNU_SOURCE

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io-error-private.h"
#include "io-fd-stream-private.h"
#include "io-pipe-stream-private.h"

/**
 * IoPipeStream:
 *
 * A raw, unseekable stream over one end of a pipe (or any descriptor that
 * is read and written in sequence: a FIFO, a terminal, a socket), with the
 * semantics of CPython 3.11's `io.FileIO` on such a descriptor.
 *
 * - [func@Io.PipeStream.new_pair] creates a connected reader and writer
 *   (`pipe2()` with `O_CLOEXEC`); [ctor@Io.PipeStream.new_for_fd] wraps a
 *   descriptor, closing it on close only when
 *   [property@Io.FdStream:closefd] is set;
 *   [ctor@Io.PipeStream.new_stdin], [ctor@Io.PipeStream.new_stdout] and
 *   [ctor@Io.PipeStream.new_stderr] wrap descriptors 0, 1 and 2 and never
 *   close them; [func@Io.PipeStream.spawn] starts a child process whose
 *   standard streams are pipe streams.
 * - The stream is never seekable: [method@Io.Stream.seek],
 *   [method@Io.Stream.tell] and [method@Io.Stream.truncate] fail with
 *   %G_IO_ERROR_NOT_SUPPORTED.
 * - The raw read is one `read(2)`; it returns what the pipe holds, and 0
 *   (the end of the stream) only once every writer has closed its end.
 *   [method@Io.Stream.read1] makes that one call; [method@Io.Stream.read]
 *   loops until the buffer is full or the stream ends. A blocking stream
 *   goes straight to the system call, with no `poll()` before it.
 * - Writing when every reader has closed its end fails with
 *   %G_IO_ERROR_BROKEN_PIPE (`BrokenPipeError`) and never kills the
 *   process, whatever the process's `SIGPIPE` disposition (which is left
 *   alone). On Linux 6.14 and later the write is one `pwritev2()` with
 *   `RWF_NOSIGNAL`, so no signal is raised at all. On older kernels
 *   `SIGPIPE` is blocked in the calling thread only around each `write(2)`,
 *   and the signal the failed write raised is taken off the thread's
 *   pending set before the mask is restored; a thread that blocks `SIGPIPE`
 *   itself then finds it pending, as it would without this library.
 * - In non-blocking mode ([method@Io.PipeStream.set_nonblocking]) a read
 *   on an empty pipe, or a write to a full one, fails with
 *   %G_IO_ERROR_WOULD_BLOCK (the Python layer returns `None` there, as
 *   `FileIO` does). `O_NONBLOCK` belongs to the open file description, so
 *   it also applies to every other descriptor that shares it.
 * - A system call interrupted by a signal (`EINTR`) is retried; every other
 *   failure is a #GError in %G_IO_ERROR with the code that
 *   g_io_error_from_errno() gives and the message Python's `OSError`
 *   prints (`[Errno 32] Broken pipe`).
 *
 * Wrapping can fail (the descriptor may not be open), so the stream is a
 * [iface@Gio.Initable]; the constructors return `NULL` with an error.
 *
 * ```c
 * IoStream *reader, *writer;
 *
 * if (!io_pipe_stream_new_pair (&reader, &writer, &error))
 *   return FALSE;
 * io_stream_write (writer, (const guint8 *) "hi", 2, &error);
 * io_stream_close (writer, &error);
 * data = io_stream_readall (reader, &error);   // "hi", then the end
 * ```
 */

/**
 * IoPipeStreamClass:
 * @parent_class: the parent class
 *
 * The class of [class@Io.PipeStream], a final type: it cannot be subclassed.
 */

struct _IoPipeStream
{
  IoFdStream parent_instance;

  guint nonblocking : 1;
};

G_DEFINE_FINAL_TYPE (IoPipeStream, io_pipe_stream, IO_TYPE_FD_STREAM)

enum {
  PROP_0,
  PROP_NONBLOCKING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* IoFdStreamOps.opened: the descriptor's O_NONBLOCK, for once it is
 * closed. */
static gboolean
check_pipe (IoFdStream         *stream,
            const struct stat  *st,
            int                 status_flags,
            gboolean            own_fd,
            GError            **error)
{
  IO_PIPE_STREAM (stream)->nonblocking = (status_flags & O_NONBLOCK) != 0;
  return TRUE;
}

/* `r` or `w`, at most one `+`, any number of `b`: FileIO's grammar without
 * the modes that create files. Unset, the mode follows the descriptor's
 * access mode. */
static const IoFdStreamOps pipe_ops = {
  .main_modes = "rw",
  .opened = check_pipe,
};

static void
io_pipe_stream_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  IoPipeStream *self = IO_PIPE_STREAM (object);

  switch (prop_id)
    {
    case PROP_NONBLOCKING:
      g_value_set_boolean (value, io_pipe_stream_get_nonblocking (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
io_pipe_stream_class_init (IoPipeStreamClass *klass)
{
  /* Never seekable: the class sets no seek vfunc, even over a regular
   * file. */
  G_OBJECT_CLASS (klass)->get_property = io_pipe_stream_get_property;

  /**
   * IoPipeStream:nonblocking: (getter get_nonblocking)
   *
   * Whether the descriptor is in non-blocking mode (`O_NONBLOCK`), where
   * reads and writes that would wait fail with %G_IO_ERROR_WOULD_BLOCK.
   * Change it with [method@Io.PipeStream.set_nonblocking].
   */
  properties[PROP_NONBLOCKING] =
    g_param_spec_boolean ("nonblocking", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (G_OBJECT_CLASS (klass), N_PROPS, properties);
}

static void
io_pipe_stream_init (IoPipeStream *self)
{
  io_fd_stream_set_ops (IO_FD_STREAM (self), &pipe_ops);
}

/**
 * io_pipe_stream_new_for_fd:
 * @fd: an open file descriptor
 * @mode: (nullable): `r`, `w`, `r+` or `w+` (with any `b`); `NULL`
 *   follows the access mode @fd was opened with
 * @closefd: whether closing the stream closes @fd
 * @error: return location for a #GError
 *
 * Wraps @fd, typically one end of a pipe. A negative @fd or a bad @mode
 * fails with %G_IO_ERROR_INVALID_ARGUMENT, a descriptor that is not open
 * with an `EBADF` error; on failure @fd stays open whatever @closefd says.
 *
 * Returns: (transfer full) (type IoPipeStream): a new pipe stream, or
 *   `NULL` with @error set
 */
IoStream *
io_pipe_stream_new_for_fd (int          fd,
                           const char  *mode,
                           gboolean     closefd,
                           GError     **error)
{
  return io_fd_stream_new_for_fd (IO_TYPE_PIPE_STREAM, fd, mode, closefd, error);
}

/**
 * io_pipe_stream_new_stdin:
 * @error: return location for a #GError
 *
 * Wraps the process's standard input (descriptor 0) for reading. Closing
 * the stream leaves descriptor 0 open; wrap it with
 * [ctor@Io.PipeStream.new_for_fd] to close it.
 *
 * Returns: (transfer full) (type IoPipeStream): a new pipe stream, or
 *   `NULL` with @error set when descriptor 0 is not open
 */
IoStream *
io_pipe_stream_new_stdin (GError **error)
{
  return io_pipe_stream_new_for_fd (STDIN_FILENO, "rb", FALSE, error);
}

/**
 * io_pipe_stream_new_stdout:
 * @error: return location for a #GError
 *
 * Wraps the process's standard output (descriptor 1) for writing. Closing
 * the stream leaves descriptor 1 open.
 *
 * Returns: (transfer full) (type IoPipeStream): a new pipe stream, or
 *   `NULL` with @error set when descriptor 1 is not open
 */
IoStream *
io_pipe_stream_new_stdout (GError **error)
{
  return io_pipe_stream_new_for_fd (STDOUT_FILENO, "wb", FALSE, error);
}

/**
 * io_pipe_stream_new_stderr:
 * @error: return location for a #GError
 *
 * Wraps the process's standard error (descriptor 2) for writing. Closing
 * the stream leaves descriptor 2 open.
 *
 * Returns: (transfer full) (type IoPipeStream): a new pipe stream, or
 *   `NULL` with @error set when descriptor 2 is not open
 */
IoStream *
io_pipe_stream_new_stderr (GError **error)
{
  return io_pipe_stream_new_for_fd (STDERR_FILENO, "wb", FALSE, error);
}

/* Closes @fd if wrapping it fails. */
IoStream *
io_pipe_stream_wrap_own_fd (int          fd,
                            const char  *mode,
                            GError     **error)
{
  IoStream *stream = io_pipe_stream_new_for_fd (fd, mode, TRUE, error);

  if (stream == NULL)
    close (fd);
  return stream;
}

/**
 * io_pipe_stream_new_pair:
 * @reader: (out) (transfer full): return location for the read end, an
 *   [class@Io.PipeStream]
 * @writer: (out) (transfer full): return location for the write end, an
 *   [class@Io.PipeStream]
 * @error: return location for a #GError
 *
 * Creates a pipe (`pipe2()` with `O_CLOEXEC`, so child processes do not
 * inherit it) and wraps its two ends. Both streams block and own their
 * descriptors.
 *
 * Python gets `reader, writer = Io.PipeStream.new_pair()`. GJS 1.74 does
 * not drop the skipped boolean: `const [, reader, writer] = ...`.
 *
 * Returns: (skip): `TRUE` on success; on failure @reader and @writer are
 *   set to `NULL`
 */
gboolean
io_pipe_stream_new_pair (IoStream **reader,
                         IoStream **writer,
                         GError   **error)
{
  int fds[2];

  g_return_val_if_fail (reader != NULL, FALSE);
  g_return_val_if_fail (writer != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *reader = *writer = NULL;

  if (pipe2 (fds, O_CLOEXEC) < 0)
    {
      io_set_error_from_errno (error, errno, NULL);
      return FALSE;
    }

  *reader = io_pipe_stream_wrap_own_fd (fds[0], "rb", error);
  if (*reader == NULL)
    {
      close (fds[1]);
      return FALSE;
    }
  *writer = io_pipe_stream_wrap_own_fd (fds[1], "wb", error);
  if (*writer == NULL)
    {
      g_clear_object (reader);
      return FALSE;
    }
  return TRUE;
}

/**
 * io_pipe_stream_get_mode:
 * @self: an #IoPipeStream
 *
 * Returns what the stream may do: `rb`, `wb` or `rb+`. The same as
 * [method@Io.FdStream.get_mode].
 *
 * Returns: the mode string
 */

/**
 * io_pipe_stream_get_closefd:
 * @self: an #IoPipeStream
 *
 * Returns whether closing the stream closes its descriptor. The same as
 * [method@Io.FdStream.get_closefd].
 *
 * Returns: `TRUE` if the stream owns its descriptor
 */
IO_FD_STREAM_DEFINE_GETTERS (IoPipeStream, io_pipe_stream, IO_IS_PIPE_STREAM)

/**
 * io_pipe_stream_get_nonblocking: (get-property nonblocking)
 * @self: an #IoPipeStream
 *
 * Returns whether the stream is in non-blocking mode: whether its
 * descriptor has `O_NONBLOCK` now, whoever set it; the last mode it had
 * once it is closed.
 *
 * Returns: `TRUE` if reads and writes that would wait fail with
 *   %G_IO_ERROR_WOULD_BLOCK
 */
gboolean
io_pipe_stream_get_nonblocking (IoPipeStream *self)
{
  g_auto (IoStreamHold) hold = IO_STREAM_HOLD_INIT;
  int flags;
  int fd;

  g_return_val_if_fail (IO_IS_PIPE_STREAM (self), FALSE);

  /* Waits for a synchronous call inside; during an asynchronous
   * operation the flag is read without the stream. */
  (void) io_fd_stream_hold_fd (IO_FD_STREAM (self), &hold, &fd, NULL);
  /* The flag as the descriptor has it now: another descriptor for the same
   * pipe end (a child's, say) may have changed it since. */
  if (fd >= 0 && (flags = fcntl (fd, F_GETFL)) >= 0)
    self->nonblocking = (flags & O_NONBLOCK) != 0;
  return self->nonblocking;
}

/**
 * io_pipe_stream_set_nonblocking:
 * @self: an #IoPipeStream
 * @nonblocking: whether reads and writes that would wait should fail
 *   with %G_IO_ERROR_WOULD_BLOCK instead
 * @error: return location for a #GError
 *
 * Switches the descriptor's `O_NONBLOCK` flag (Python's
 * `os.set_blocking()`). The flag belongs to the open file description:
 * other descriptors for the same pipe end, in this process or another,
 * change with it.
 *
 * Returns: `TRUE` on success
 */
gboolean
io_pipe_stream_set_nonblocking (IoPipeStream  *self,
                                gboolean       nonblocking,
                                GError       **error)
{
  g_auto (IoStreamHold) hold = IO_STREAM_HOLD_INIT;
  int flags;
  int new_flags;
  int fd;

  g_return_val_if_fail (IO_IS_PIPE_STREAM (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!io_fd_stream_hold_fd (IO_FD_STREAM (self), &hold, &fd, error))
    return FALSE;

  if (io_stream_is_closed (IO_STREAM (self)) || fd < 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED,
                           "I/O operation on closed stream");
      return FALSE;
    }

  nonblocking = !!nonblocking;
  flags = fcntl (fd, F_GETFL);
  if (flags < 0)
    {
      io_set_error_from_errno (error, errno, NULL);
      return FALSE;
    }
  new_flags = nonblocking ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK);
  if (new_flags != flags && fcntl (fd, F_SETFL, new_flags) < 0)
    {
      io_set_error_from_errno (error, errno, NULL);
      return FALSE;
    }

  if (self->nonblocking != (guint) nonblocking)
    {
      self->nonblocking = nonblocking;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NONBLOCKING]);
    }
  return TRUE;
}
