/* test-util.h: helpers the C suites share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "libstream.h"

G_BEGIN_DECLS

/* The number of open descriptors, from /proc/self/fd. */
guint     test_util_count_fds         (void);
gboolean  test_util_is_open           (int          fd);

/* The message Python's str(OSError) prints; @quoted_filename is already
 * in repr() form, or NULL. */
char     *test_util_os_error_message  (int          errsv,
                                     const char  *quoted_filename);

void      test_util_write_text        (IoStream    *stream,
                                     const char  *text);
void      test_util_assert_read_all   (IoStream    *stream,
                                     const char  *expected);
void      test_util_close_ok          (IoStream    *stream);

G_END_DECLS
