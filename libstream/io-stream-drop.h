/* io-stream-drop.h: where the error of closing a dropped stream goes
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(IO_INSIDE) && !defined(IO_COMPILATION)
# error "Only <libstream.h> can be included directly."
#endif

#include "io-stream.h"

G_BEGIN_DECLS

/**
 * IoStreamDropErrorFunc:
 * @stream: the stream being disposed, closed by now
 * @error: why closing it failed
 * @user_data: the data given to [func@Io.Stream.set_drop_error_handler]
 *
 * Receives the error of the close that disposing an open stream runs (a
 * buffered writer whose last flush failed, say), which no caller is there
 * to receive. Called in the thread that dropped the last reference.
 */
typedef void (*IoStreamDropErrorFunc) (IoStream     *stream,
                                       const GError *error,
                                       gpointer      user_data);

IO_AVAILABLE_IN_ALL
void io_stream_set_drop_error_handler (IoStreamDropErrorFunc  func,
                                       gpointer               user_data,
                                       GDestroyNotify         destroy);

G_END_DECLS
