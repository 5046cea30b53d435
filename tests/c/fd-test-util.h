/* fd-test-util.h: helpers the file and pipe suites share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "libstream.h"

G_BEGIN_DECLS

/* The number of open descriptors, from /proc/self/fd. */
guint     fd_test_count_fds        (void);
gboolean  fd_test_is_open          (int          fd);

/* The message Python's str(OSError) prints; @quoted_filename is already
 * in repr() form, or NULL. */
char     *fd_test_os_error_message (int          errsv,
                                    const char  *quoted_filename);

void      fd_test_write_text       (IoStream    *stream,
                                    const char  *text);
void      fd_test_assert_read_all  (IoStream    *stream,
                                    const char  *expected);
void      fd_test_close_ok         (IoStream    *stream);

G_END_DECLS
