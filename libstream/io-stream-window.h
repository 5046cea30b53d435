/* io-stream-window.h: the window a backend lends its stream, and getc
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
 * IoStreamWindow: (skip)
 * @pos: the byte at the stream position, or `NULL` while no window is lent
 * @read_end: the end of the bytes readable from @pos (the end of the content)
 * @write_end: the end of the space writable in place from @pos, or `NULL`
 *   when every write must go through the backend
 *
 * The bytes around the position that a backend (or a layer) keeps in one
 * block of memory and lends to [class@Io.Stream], which then serves reads,
 * lines, [method@Io.Stream.getc] and writes that fit in the window inline,
 * without a vfunc call: a read copies from @pos and moves it on; a write
 * copies to @pos, moves it on and moves @read_end up to it if it passed it
 * (the content grew). Reads that need more than the window holds, and
 * writes that do not fit, go to the backend's vfuncs.
 *
 * The backend owns the meaning of the window. Lend one with
 * [method@Io.Stream.lend_window]; at the start of every vfunc and of every
 * method of its own, take the position (and, for a writable window, the
 * size) back from [method@Io.Stream.get_window], since the stream may have
 * moved @pos and @read_end since; lend the window again before returning.
 *
 * Lend a read window only while the stream is readable and a write window
 * only while it is writable, and only over memory where an inline copy is
 * exactly what the backend's own read or write would do (no copy-on-write
 * pending, no lock on the size, no gap to fill with zeros). An empty window
 * is not the end of the stream: the stream then asks the backend's read
 * vfunc, which may refill its memory and lend a new window.
 *
 * The stream withdraws the window when it closes, and stops serving reads
 * inline while an error from an earlier partial read waits to be reported.
 *
 * For C backends; bindings cannot lend memory.
 */
typedef struct _IoStreamWindow IoStreamWindow;

struct _IoStreamWindow
{
  guint8 *pos;
  guint8 *read_end;
  guint8 *write_end;

  /*< private >*/
  /* Where inline reads stop: @read_end as lent, or NULL while an error is
   * pending. Inline writes that extend the content leave it behind, which
   * is safe (it stays below @read_end). */
  guint8 *read_stop;
};

IO_AVAILABLE_IN_ALL
void                  io_stream_lend_window (IoStream  *self,
                                             guint8    *pos,
                                             guint8    *read_end,
                                             guint8    *write_end);
IO_AVAILABLE_IN_ALL
const IoStreamWindow *io_stream_get_window  (IoStream  *self);

IO_AVAILABLE_IN_ALL
int                   io_stream_getc        (IoStream  *self,
                                             GError   **error);

#ifndef __GI_SCANNER__
/* Where the window lies in every instance, set when the class is made, so
 * the inline getc below reaches it without a call while the rest of the
 * instance's layout stays private. */
IO_AVAILABLE_IN_ALL
gssize io_stream_window_offset;

static inline int
io_stream_getc_inline (IoStream  *self,
                       GError   **error)
{
  /* NULL goes to the function, which reports it as every method does. */
  if G_LIKELY (self != NULL)
    {
      IoStreamWindow *window =
        (IoStreamWindow *) (gpointer) ((guint8 *) self + io_stream_window_offset);

      if G_LIKELY (window->pos < window->read_stop)
        return *window->pos++;
    }
  return (io_stream_getc) (self, error);
}

#define io_stream_getc(self, error) io_stream_getc_inline ((self), (error))
#endif

G_END_DECLS
