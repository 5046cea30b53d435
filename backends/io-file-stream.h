/* io-file-stream.h: a stream over a file descriptor, Python's io.FileIO in C
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(IO_INSIDE) && !defined(IO_COMPILATION)
# error "Only <libstream.h> can be included directly."
#endif

#include "io-fd-stream.h"

G_BEGIN_DECLS

#define IO_TYPE_FILE_STREAM (io_file_stream_get_type ())

IO_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (IoFileStream, io_file_stream, IO, FILE_STREAM, IoFdStream)

IO_AVAILABLE_IN_ALL
IoStream   *io_file_stream_new          (const char    *path,
                                         const char    *mode,
                                         GError       **error) G_GNUC_WARN_UNUSED_RESULT;
IO_AVAILABLE_IN_ALL
IoStream   *io_file_stream_new_full     (const char    *path,
                                         const char    *mode,
                                         guint          creation_mode,
                                         GError       **error) G_GNUC_WARN_UNUSED_RESULT;
IO_AVAILABLE_IN_ALL
IoStream   *io_file_stream_new_for_fd   (int            fd,
                                         const char    *mode,
                                         gboolean       closefd,
                                         GError       **error) G_GNUC_WARN_UNUSED_RESULT;
IO_AVAILABLE_IN_ALL
const char *io_file_stream_get_name     (IoFileStream  *self);
IO_AVAILABLE_IN_ALL
const char *io_file_stream_get_mode     (IoFileStream  *self);
IO_AVAILABLE_IN_ALL
gboolean    io_file_stream_get_closefd  (IoFileStream  *self);

G_END_DECLS
