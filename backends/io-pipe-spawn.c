/* io-pipe-spawn.c: child processes connected to pipe streams
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* pipe2() */
#define _GNU_SOURCE

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gio/gio.h>

#include "io-error-private.h"
#include "io-pipe-stream-private.h"
#include "io-stream-private.h"

/* The child behind the streams of one spawn, shared by them (an atomic
 * refcounted box): whichever stream waits reaps it once for all. */
typedef struct {
  GMutex lock;          /* held while waiting */
  GPid pid;
  int reaped;           /* atomic: returncode is set */
  int returncode;
} IoChild;

GQuark io_pipe_stream_child_quark (void);
IO_DEFINE_QUARK (io-pipe-stream-child, io_pipe_stream_child)

static void
child_clear (gpointer child)
{
  g_mutex_clear (&((IoChild *) child)->lock);
}

static void
child_unref (gpointer child)
{
  g_atomic_rc_box_release_full (child, child_clear);
}

/* The errno behind a G_SPAWN_ERROR of exec(), or 0. */
static int
exec_errno (int code)
{
  switch (code)
    {
    case G_SPAWN_ERROR_ACCES: return EACCES;
    case G_SPAWN_ERROR_PERM: return EPERM;
    case G_SPAWN_ERROR_TOO_BIG: return E2BIG;
    case G_SPAWN_ERROR_NOEXEC: return ENOEXEC;
    case G_SPAWN_ERROR_NAMETOOLONG: return ENAMETOOLONG;
    case G_SPAWN_ERROR_NOENT: return ENOENT;
    case G_SPAWN_ERROR_NOMEM: return ENOMEM;
    case G_SPAWN_ERROR_NOTDIR: return ENOTDIR;
    case G_SPAWN_ERROR_LOOP: return ELOOP;
    case G_SPAWN_ERROR_TXTBUSY: return ETXTBSY;
    case G_SPAWN_ERROR_IO: return EIO;
    case G_SPAWN_ERROR_NFILE: return ENFILE;
    case G_SPAWN_ERROR_MFILE: return EMFILE;
    case G_SPAWN_ERROR_INVAL: return EINVAL;
    case G_SPAWN_ERROR_ISDIR: return EISDIR;
    case G_SPAWN_ERROR_LIBBAD: return ELIBBAD;
    default: return 0;
    }
}

/* Why the child could not chdir() to @directory (GLib only puts it in
 * the message): what the same path gives the parent. */
static int
chdir_errno (const char *directory)
{
  struct stat st;

  if (stat (directory, &st) < 0)
    return errno;
  if (!S_ISDIR (st.st_mode))
    return ENOTDIR;
  if (access (directory, X_OK) < 0)
    return errno;
  return 0;
}

/* Replaces a G_SPAWN_ERROR with the G_IO_ERROR of its errno, naming the
 * program or the directory as subprocess's OSError does. */
static void
set_spawn_error (GError     **error,
                 GError      *spawn_error,
                 const char  *program,
                 const char  *working_directory)
{
  int errsv = 0;
  const char *filename = program;

  if (spawn_error->domain == G_SPAWN_ERROR && spawn_error->code == G_SPAWN_ERROR_CHDIR)
    {
      errsv = chdir_errno (working_directory);
      filename = working_directory;
    }
  else if (spawn_error->domain == G_SPAWN_ERROR)
    errsv = exec_errno (spawn_error->code);

  if (errsv != 0)
    io_set_error_from_errno (error, errsv, filename);
  else
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, spawn_error->message);
  g_error_free (spawn_error);
}

/* Moves *@fd to a descriptor above 2 (close-on-exec) if it is one of 0-2,
 * which a process that closed its standard streams gets from pipe2(): the
 * child's end there would be dup2()ed onto itself, or overwritten by
 * another end, before the child starts. */
static gboolean
move_above_stdio (int *fd)
{
  int moved;

  if (*fd > STDERR_FILENO)
    return TRUE;
  moved = fcntl (*fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
  if (moved < 0)
    return FALSE;
  close (*fd);
  *fd = moved;
  return TRUE;
}

/**
 * io_pipe_stream_spawn:
 * @argv: (array zero-terminated=1) (element-type filename): the program
 *   (looked up in `PATH`) and its arguments
 * @working_directory: (type filename) (nullable): the child's working
 *   directory, or `NULL` for the parent's
 * @stderr_mode: what to do with the child's standard error
 * @stdin_stream: (out) (optional) (nullable) (transfer full):
 *   return location for a stream writing to the child's standard input, or
 *   `NULL` to give the child `/dev/null`
 * @stdout_stream: (out) (optional) (nullable) (transfer full):
 *   return location for a stream reading the child's standard output, or
 *   `NULL` to let it inherit the parent's
 * @stderr_stream: (out) (optional) (nullable) (transfer full):
 *   return location for a stream reading the child's standard error; set
 *   only with %IO_SPAWN_STDERR_PIPE, to `NULL` otherwise
 * @child_pid: (out) (optional): return location for the child's process ID
 * @error: return location for a #GError
 *
 * Starts a child process connected to pipe streams, with
 * g_spawn_async_with_pipes_and_fds(). The pipes are created with
 * `O_CLOEXEC`, so the parent's ends are never inherited by another child,
 * and block. Close the stdin stream to send the child the end of its
 * input.
 *
 * The child's standard error is the parent's, a pipe, its standard output
 * (pipe or not) or `/dev/null`, as @stderr_mode says; a @stderr_stream is
 * required with %IO_SPAWN_STDERR_PIPE.
 *
 * A child that cannot start fails as `subprocess.Popen` does: with the
 * %G_IO_ERROR of its errno (%G_IO_ERROR_NOT_FOUND for a missing program or
 * working directory, %G_IO_ERROR_PERMISSION_DENIED for one that is not
 * executable), which io_error_get_errno() and io_error_get_filename()
 * give back (the filename is `argv[0]`, or @working_directory when the
 * child could not enter it). Python raises `FileNotFoundError`,
 * `PermissionError`, ... Other failures (no process could be forked) are
 * %G_IO_ERROR_FAILED.
 *
 * With @child_pid the child is the caller's to reap: wait for it with
 * [method@Io.PipeStream.wait] on any of the streams (Python's `wait()`
 * and `returncode`), or with `waitpid()` or g_child_watch_add() and then
 * g_spawn_close_pid(). Without it the child is none of the caller's
 * business: it is spawned through an intermediate process and never
 * becomes a zombie, and the streams cannot wait for it.
 *
 * @argv is not `const` (as in g_spawn_async()) so that the Vala binding
 * can pass a `string[]`; C callers with a constant array cast it. Python
 * gets `(stdin, stdout, stderr, pid)`; GJS 1.74 puts the skipped boolean
 * first.
 *
 * The pipes work whichever of the descriptors 0 to 2 the caller has
 * closed.
 *
 * Returns: (skip): `TRUE` on success; on failure every stream is set to
 *   `NULL` and no process is left running
 */
gboolean
io_pipe_stream_spawn (char               **argv,
                      const char          *working_directory,
                      IoSpawnStderr        stderr_mode,
                      IoStream           **stdin_stream,
                      IoStream           **stdout_stream,
                      IoStream           **stderr_stream,
                      GPid                *child_pid,
                      GError             **error)
{
  /* One pipe per standard stream asked for; the parent keeps one end
   * (O_CLOEXEC from the start, so no other child inherits it while we
   * spawn), the child gets the other as its descriptor 0, 1 or 2. */
  struct {
    IoStream **stream;
    int fds[2];
  } pipes[3] = {
    { stdin_stream, { -1, -1 } },
    { stdout_stream, { -1, -1 } },
    { stderr_mode == IO_SPAWN_STDERR_PIPE ? stderr_stream : NULL, { -1, -1 } },
  };
  int child_fds[3] = { -1, -1, -1 };
  GSpawnFlags flags = G_SPAWN_SEARCH_PATH;
  GError *spawn_error = NULL;
  IoChild *child = NULL;
  gboolean spawned = FALSE;
  GPid pid = 0;
  guint i;

  g_return_val_if_fail (argv != NULL && argv[0] != NULL, FALSE);
  g_return_val_if_fail (stderr_mode <= IO_SPAWN_STDERR_DEVNULL, FALSE);
  g_return_val_if_fail (stderr_mode != IO_SPAWN_STDERR_PIPE || stderr_stream != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (child_pid != NULL)
    *child_pid = 0;
  if (stderr_stream != NULL)
    *stderr_stream = NULL;
  for (i = 0; i < G_N_ELEMENTS (pipes); i++)
    {
      if (pipes[i].stream == NULL)
        continue;
      *pipes[i].stream = NULL;
      if (pipe2 (pipes[i].fds, O_CLOEXEC) < 0 ||
          !move_above_stdio (&pipes[i].fds[0]) || !move_above_stdio (&pipes[i].fds[1]))
        {
          io_set_error_from_errno (error, errno, NULL);
          goto fail;
        }
      /* The child reads its stdin and writes the other two. */
      child_fds[i] = pipes[i].fds[i == 0 ? 0 : 1];
    }
  if (stderr_mode == IO_SPAWN_STDERR_STDOUT)
    child_fds[2] = child_fds[1] >= 0 ? child_fds[1] : STDOUT_FILENO;
  else if (stderr_mode == IO_SPAWN_STDERR_DEVNULL)
    flags |= G_SPAWN_STDERR_TO_DEV_NULL;

  /* Without @child_pid the child is nobody's to reap: GLib spawns it
   * through an intermediate process, so that init reaps it. */
  if (child_pid != NULL)
    flags |= G_SPAWN_DO_NOT_REAP_CHILD;
  if (!g_spawn_async_with_pipes_and_fds (working_directory, (const char * const *) argv, NULL,
                                         flags, NULL, NULL,
                                         child_fds[0], child_fds[1], child_fds[2],
                                         NULL, NULL, 0,
                                         &pid, NULL, NULL, NULL,
                                         &spawn_error))
    {
      set_spawn_error (error, spawn_error, argv[0], working_directory);
      goto fail;
    }
  spawned = TRUE;

  if (flags & G_SPAWN_DO_NOT_REAP_CHILD)
    {
      child = g_atomic_rc_box_new0 (IoChild);
      g_mutex_init (&child->lock);
      child->pid = pid;
    }

  for (i = 0; i < G_N_ELEMENTS (pipes); i++)
    {
      int *parent_end = &pipes[i].fds[i == 0 ? 1 : 0];
      int *child_end = &pipes[i].fds[i == 0 ? 0 : 1];

      if (pipes[i].stream == NULL)
        continue;
      close (g_steal_fd (child_end));
      *pipes[i].stream = io_pipe_stream_wrap_own_fd (g_steal_fd (parent_end),
                                                     i == 0 ? "wb" : "rb", error);
      if (*pipes[i].stream == NULL)
        goto fail;
      if (child != NULL)
        g_object_set_qdata_full (G_OBJECT (*pipes[i].stream), io_pipe_stream_child_quark (),
                                 g_atomic_rc_box_acquire (child), child_unref);
    }

  if (child_pid != NULL)
    *child_pid = pid;
  g_clear_pointer (&child, child_unref);
  return TRUE;

fail:
  for (i = 0; i < G_N_ELEMENTS (pipes); i++)
    {
      if (pipes[i].fds[0] >= 0)
        close (pipes[i].fds[0]);
      if (pipes[i].fds[1] >= 0)
        close (pipes[i].fds[1]);
      if (pipes[i].stream != NULL)
        g_clear_object (pipes[i].stream);
    }
  if (spawned)
    {
      kill (pid, SIGKILL);
      /* Ours to reap only if it is our child (see above). */
      if (flags & G_SPAWN_DO_NOT_REAP_CHILD)
        {
          (void) waitpid (pid, NULL, 0);
          g_atomic_int_set (&child->reaped, TRUE);
        }
      g_spawn_close_pid (pid);
    }
  g_clear_pointer (&child, child_unref);
  return FALSE;
}

/**
 * io_pipe_stream_wait:
 * @self: an #IoPipeStream made by [func@Io.PipeStream.spawn]
 * @returncode: (out) (optional): return location for the child's return
 *   code
 * @error: return location for a #GError
 *
 * Waits for the child process the stream is connected to, and reaps it:
 * `subprocess.Popen.wait()`. The return code is the child's exit status,
 * or minus the number of the signal that killed it (`-9` for `SIGKILL`).
 * Once the child is reaped, every stream of the spawn returns its code
 * at once; streams stay open.
 *
 * A stream that [func@Io.PipeStream.spawn] did not make, or made without
 * `child_pid` (the child is then not the caller's), fails with
 * %G_IO_ERROR_NOT_SUPPORTED; a child the caller reaped with its pid fails
 * with the `ECHILD` error (`ChildProcessError` in Python).
 *
 * Returns: (skip): `TRUE` once the child has exited
 */
gboolean
io_pipe_stream_wait (IoPipeStream  *self,
                     int           *returncode,
                     GError       **error)
{
  IoChild *child;
  int status;
  int errsv = 0;

  g_return_val_if_fail (IO_IS_PIPE_STREAM (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  child = g_object_get_qdata (G_OBJECT (self), io_pipe_stream_child_quark ());
  if (child == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           "The stream is not connected to a child process");
      return FALSE;
    }

  g_mutex_lock (&child->lock);
  while (!g_atomic_int_get (&child->reaped))
    {
      if (waitpid (child->pid, &status, 0) < 0)
        {
          if (errno == EINTR)
            continue;
          errsv = errno;
          break;
        }
      child->returncode = WIFSIGNALED (status) ? -WTERMSIG (status) : WEXITSTATUS (status);
      g_atomic_int_set (&child->reaped, TRUE);
      g_spawn_close_pid (child->pid);
    }
  g_mutex_unlock (&child->lock);

  if (errsv != 0)
    {
      io_set_error_from_errno (error, errsv, NULL);
      return FALSE;
    }
  if (returncode != NULL)
    *returncode = child->returncode;
  return TRUE;
}

/**
 * io_pipe_stream_get_returncode:
 * @self: an #IoPipeStream
 * @returncode: (out) (optional): return location for the child's return
 *   code
 *
 * Gives the return code [method@Io.PipeStream.wait] got, without waiting:
 * `subprocess.Popen.returncode` (Python's `returncode` is `None` where
 * this returns `FALSE`).
 *
 * Returns: `TRUE` if the stream's child has been waited for
 */
gboolean
io_pipe_stream_get_returncode (IoPipeStream *self,
                               int          *returncode)
{
  IoChild *child;

  g_return_val_if_fail (IO_IS_PIPE_STREAM (self), FALSE);

  child = g_object_get_qdata (G_OBJECT (self), io_pipe_stream_child_quark ());
  if (child == NULL || !g_atomic_int_get (&child->reaped))
    return FALSE;
  if (returncode != NULL)
    *returncode = child->returncode;
  return TRUE;
}
