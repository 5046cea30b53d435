/* io-open.h: Python's open()
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(IO_INSIDE) && !defined(IO_COMPILATION)
# error "Only <libstream.h> can be included directly."
#endif

#include "io-stream.h"
#include "io-text-stream.h"

G_BEGIN_DECLS

/**
 * IO_DEFAULT_BUFFER_SIZE:
 *
 * The buffer size of a buffered layer made without one, 8 KiB: Python's
 * `io.DEFAULT_BUFFER_SIZE`.
 */
#define IO_DEFAULT_BUFFER_SIZE 8192

IO_AVAILABLE_IN_ALL
IoStream *io_open    (const char  *path,
                      const char  *mode,
                      int          buffering,
                      GError     **error) G_GNUC_WARN_UNUSED_RESULT;
IO_AVAILABLE_IN_ALL
IoStream *io_open_fd (int          fd,
                      const char  *mode,
                      int          buffering,
                      gboolean     closefd,
                      GError     **error) G_GNUC_WARN_UNUSED_RESULT;

IO_AVAILABLE_IN_ALL
IoTextStream *io_open_text (const char  *path,
                            const char  *mode,
                            int          buffering,
                            const char  *encoding,
                            const char  *errors,
                            const char  *newline,
                            GError     **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
