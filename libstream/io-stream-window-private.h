/* io-stream-window-private.h: what the readers of a lent window share,
 * libstream's inline paths and the Python accelerator's lines
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <string.h>

#include "io-stream-window.h"

G_BEGIN_DECLS

/* How many bytes the window can serve inline for a read, or 0 when the
 * read must go to the backend (no window, or an error is pending). */
static inline gsize
io_window_readable (const IoStreamWindow *window)
{
  if G_UNLIKELY (window->pos >= window->read_stop)
    return 0;
  return (gsize) (window->read_stop - window->pos);
}

/* The length of the line (or the @limit bytes of one; -1: no limit) that
 * @window holds whole from its position, or 0 when the backend must be
 * asked. */
static inline gsize
io_window_line_length (const IoStreamWindow *window,
                       gssize                limit)
{
  gsize available = io_window_readable (window);
  gsize span;
  const guint8 *newline;

  if (available == 0 || limit == 0 || limit < -1)
    return 0;
  span = limit < 0 ? available : MIN (available, (gsize) limit);
  newline = memchr (window->pos, '\n', span);
  if (newline != NULL)
    return (gsize) (newline - window->pos) + 1;
  return span == (gsize) limit ? span : 0;
}

G_END_DECLS
