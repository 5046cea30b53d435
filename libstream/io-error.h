/* io-error.h: the errno and filenames behind libstream's OS errors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(IO_INSIDE) && !defined(IO_COMPILATION)
# error "Only <libstream.h> can be included directly."
#endif

#include <glib.h>

#include "io-version-macros.h"

G_BEGIN_DECLS

IO_AVAILABLE_IN_ALL
int       io_error_get_errno        (const GError  *error);
IO_AVAILABLE_IN_ALL
char     *io_error_get_filename     (const GError  *error) G_GNUC_WARN_UNUSED_RESULT;
IO_AVAILABLE_IN_ALL
char     *io_error_get_filename2    (const GError  *error) G_GNUC_WARN_UNUSED_RESULT;
IO_AVAILABLE_IN_ALL
gboolean  io_error_set_from_errno   (int            errsv,
                                     const char    *filename,
                                     const char    *filename2,
                                     GError       **error);

G_END_DECLS
