/* io-error-private.h: OS errors as GErrors that read like Python's OSError
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

#include "io-error.h"

G_BEGIN_DECLS

/* Sets @error to a G_IO_ERROR with the code g_io_error_from_errno (@errsv)
 * and the message Python's str(OSError) would print:
 *
 *   [Errno 2] No such file or directory: '/no/such/file'
 *
 * The ": 'filename'" part is there only when @filename is not NULL; the
 * filename is written as a Python string literal (repr()). The errno and
 * the filename are recorded for io_error_get_errno() and
 * io_error_get_filename() (io_error_set_from_errno() without filename2). */
void      io_set_error_from_errno   (GError     **error,
                                     int          errsv,
                                     const char  *filename);

/* The same for an error about a file descriptor given without a name:
 * Python prints the descriptor as the filename ("...: 3"), and
 * io_error_get_filename() gives it in decimal. */
void      io_set_error_from_errno_fd (GError    **error,
                                      int         errsv,
                                      int         fd);

/* The same, returning -1 for vfuncs that return a count or an offset. */
gssize    io_set_error_from_errno_n (GError     **error,
                                     int          errsv,
                                     const char  *filename);

/* Appends @filename to @string the way Python's repr() writes the str that
 * os.fsdecode() makes of it (undecodable bytes become \udcXX escapes). */
void      io_append_python_repr     (GString     *string,
                                     const char  *filename);

G_END_DECLS
