/* io-stream-lines-private.h: lines handed out of the window, for the
 * Python accelerator
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "io-version-macros.h"
#include "io-stream.h"

G_BEGIN_DECLS

/* Makes the caller's object for the @len bytes of a line at @data, or
 * returns NULL to leave them in the stream. It runs while the stream is
 * taken: it must not call into the stream, nor start a thread. */
typedef gpointer (*IoWindowLineTaker) (const guint8 *data,
                                       gsize         len,
                                       gpointer      user_data);

/* The next line of @self (with its `\n`, or @limit bytes of one) when the
 * window holds it whole and the calling thread may take the stream without
 * waiting: @take's object for it, the line then consumed. NULL when the
 * line is not there (or @take returned NULL): the caller then makes the
 * ordinary call, which reads, waits and reports errors. Never blocks.
 * Private ABI, not API: exported for the Python accelerator
 * (gi/overrides/_ioaccel.c), whose `bytes` are made straight from the
 * window instead of through a line buffer. */
IO_AVAILABLE_IN_ALL
gpointer _io_stream_take_window_line (IoStream          *self,
                                      gssize             limit,
                                      IoWindowLineTaker  take,
                                      gpointer           user_data);

G_END_DECLS
