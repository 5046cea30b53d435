/* io-stream-private.h: the window a contiguous-memory backend lends IoStream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "io-stream.h"

G_BEGIN_DECLS

/*
 * IoStreamWindow:
 * @pos: the byte at the stream position, or %NULL when there is no window
 * @read_end: the end of the bytes readable from @pos
 * @write_end: the end of the space writable in place from @pos, or %NULL
 *   when writes must go through the backend (the stream writes inline only
 *   while @pos < @write_end: reads move @pos on)
 *
 * A backend that keeps the bytes around its position in one block of memory
 * may lend them to [class@Io.Stream], which then serves reads and writes
 * that fit in the window inline, without a vfunc call: a read copies from
 * @pos and advances it; a write copies to @pos, advances it and moves
 * @read_end up to @pos if it passed it (the content grew).
 *
 * The backend owns the window's meaning. Before it looks at its own
 * position or size, in every vfunc and public method, it takes them back
 * from the window (`position = pos - base`, `size = read_end - base`), and
 * before returning it publishes the window again with
 * io_stream_set_window(). It must publish a read window only if it is
 * readable and a write window only if it is writable, and only over memory
 * where an inline copy is exactly what its own read or write vfunc would do
 * (no copy-on-write pending, no export lock, no gap to zero-fill).
 *
 * The stream empties the window when it closes and ignores it while an
 * error from an earlier partial read is pending, so every check the public
 * methods make still holds on the inline path.
 */
typedef struct
{
  guint8 *pos;
  guint8 *read_end;
  guint8 *write_end;
} IoStreamWindow;

/* The window of @self, to take the position back from (read-only use). */
const IoStreamWindow *io_stream_get_window (IoStream *self);

/* Publishes a window; pass %NULL for @pos to withdraw it. Ignored (the
 * window stays empty) once the stream is closed. */
void                  io_stream_set_window (IoStream *self,
                                            guint8   *pos,
                                            guint8   *read_end,
                                            guint8   *write_end);

/*
 * IoStreamHold:
 *
 * A public method's claim on its stream, which is what makes the contract
 * of docs/concurrency.md hold: one thread at a time is inside a stream.
 * io_stream_hold() takes the stream for the calling thread, waiting while
 * another thread is inside, or finds it already taken by the calling
 * thread (a backend or a callback calling back into its own stream, which
 * goes on). io_stream_hold_clear(), which g_auto() runs when the method
 * returns, gives the stream back if this hold took it. Backends hold their
 * own public methods the same way:
 *
 *   g_auto (IoStreamHold) hold = IO_STREAM_HOLD_INIT;
 *   ...
 *   io_stream_hold (stream, &hold);
 */
typedef struct
{
  IoStream *stream;
  gboolean taken;
} IoStreamHold;

#define IO_STREAM_HOLD_INIT { NULL, FALSE }

void io_stream_hold       (IoStream     *self,
                           IoStreamHold *hold);
void io_stream_hold_clear (IoStreamHold *hold);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (IoStreamHold, io_stream_hold_clear)

G_END_DECLS
