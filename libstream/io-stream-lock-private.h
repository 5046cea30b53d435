/* io-stream-lock-private.h: io_stream_lock() without the wait, for the
 * Python accelerator
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "io-version-macros.h"
#include "io-stream.h"

G_BEGIN_DECLS

/* io_stream_lock() when it would not wait: TRUE when the calling thread
 * now holds @self (taken free with nobody queued for it, or held already
 * with io_stream_lock()), one io_stream_unlock() then owed; FALSE, at
 * once, when another thread or an asynchronous operation owns it, when
 * others wait for it, or when the calling thread is inside a call on it.
 * Private ABI, not API: exported for the Python accelerator
 * (gi/overrides/_ioaccel.c), which keeps the GIL for a call on a memory
 * stream that cannot wait and lets it go for one that may, since the
 * thread it waits for may need the GIL to let the stream go. */
IO_AVAILABLE_IN_ALL
gboolean _io_stream_try_lock (IoStream *self);

G_END_DECLS
