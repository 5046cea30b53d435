/* io-stream-lines-private.h: lines handed out of the window, for the
 * Python accelerator
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "io-version-macros.h"
#include "io-stream.h"
#include "io-stream-window-private.h"

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

/* Where a caller that takes lines from the window itself finds what it
 * needs in every stream: the window, the owner word (NULL while nobody
 * holds the stream), and the flag that is nonzero while the process has
 * never started a second thread (glibc's __libc_single_threaded; a
 * constant zero without it, which keeps the caller on the ordinary path). */
typedef struct
{
  gssize window_offset;
  gssize owner_offset;
  const char *single_threaded;
} IoWindowLines;

/* Fills @lines, once, before the first _io_stream_window_untaken().
 * Private ABI, not API, like _io_stream_take_window_line(): for the
 * accelerator's `for line in stream`, which makes each line from the
 * window with no call into the library. */
IO_AVAILABLE_IN_ALL
void _io_window_lines_init (IoWindowLines *lines);

/* The window of @self (a stream: no type check) when the calling thread
 * may read it and move its position without taking the stream, as
 * libstream's own inline paths do: the process has one thread, so nobody
 * can race, and nobody holds the stream (no call inside it, no
 * io_stream_lock(), no asynchronous operation). NULL otherwise: the caller
 * then makes the call that takes it, _io_stream_take_window_line(). Nothing
 * that may start a thread or call into the stream may run between this
 * and the move. */
static inline IoStreamWindow *
_io_stream_window_untaken (const IoWindowLines *lines,
                           IoStream            *self)
{
  guint8 *instance = (guint8 *) self;

  if G_LIKELY (*lines->single_threaded != 0 &&
               __atomic_load_n ((gpointer *) (gpointer) (instance + lines->owner_offset),
                                __ATOMIC_RELAXED) == NULL)
    return (IoStreamWindow *) (gpointer) (instance + lines->window_offset);
  return NULL;
}

G_END_DECLS
