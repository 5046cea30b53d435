/* io-pipe-stream.h: a stream over one end of a pipe
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(IO_INSIDE) && !defined(IO_COMPILATION)
# error "Only <libstream.h> can be included directly."
#endif

#include "io-fd-stream.h"

G_BEGIN_DECLS

#define IO_TYPE_PIPE_STREAM (io_pipe_stream_get_type ())

IO_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (IoPipeStream, io_pipe_stream, IO, PIPE_STREAM, IoFdStream)

IO_AVAILABLE_IN_ALL
gboolean    io_pipe_stream_new_pair          (IoStream           **reader,
                                              IoStream           **writer,
                                              GError             **error);
IO_AVAILABLE_IN_ALL
IoStream   *io_pipe_stream_new_for_fd        (int                  fd,
                                              const char          *mode,
                                              gboolean             closefd,
                                              GError             **error) G_GNUC_WARN_UNUSED_RESULT;
IO_AVAILABLE_IN_ALL
IoStream   *io_pipe_stream_new_stdin         (GError             **error) G_GNUC_WARN_UNUSED_RESULT;
IO_AVAILABLE_IN_ALL
IoStream   *io_pipe_stream_new_stdout        (GError             **error) G_GNUC_WARN_UNUSED_RESULT;
IO_AVAILABLE_IN_ALL
IoStream   *io_pipe_stream_new_stderr        (GError             **error) G_GNUC_WARN_UNUSED_RESULT;
IO_AVAILABLE_IN_ALL
gboolean    io_pipe_stream_spawn             (char               **argv,
                                              const char          *working_directory,
                                              IoSpawnStderr        stderr_mode,
                                              IoStream           **stdin_stream,
                                              IoStream           **stdout_stream,
                                              IoStream           **stderr_stream,
                                              GPid                *child_pid,
                                              GError             **error);
IO_AVAILABLE_IN_ALL
gboolean    io_pipe_stream_wait              (IoPipeStream        *self,
                                              int                 *returncode,
                                              GError             **error);
IO_AVAILABLE_IN_ALL
gboolean    io_pipe_stream_get_returncode    (IoPipeStream        *self,
                                              int                 *returncode);
IO_AVAILABLE_IN_ALL
const char *io_pipe_stream_get_mode          (IoPipeStream        *self);
IO_AVAILABLE_IN_ALL
gboolean    io_pipe_stream_get_closefd       (IoPipeStream        *self);
IO_AVAILABLE_IN_ALL
gboolean    io_pipe_stream_get_nonblocking   (IoPipeStream        *self);
IO_AVAILABLE_IN_ALL
gboolean    io_pipe_stream_set_nonblocking   (IoPipeStream        *self,
                                              gboolean             nonblocking,
                                              GError             **error);

G_END_DECLS
