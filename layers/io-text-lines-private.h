/* io-text-lines-private.h: Io.TextStream's line loop for the Python accelerator
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "io-text-stream.h"

G_BEGIN_DECLS

/* io_text_stream_next_line()'s loop step into a reused buffer, as
 * io_text_stream_readline_into() reads: the line's length, 0 at the end
 * of the stream (tell() back on), -1 on error. @ascii is set when every
 * byte of the line is known to be below 0x80 (FALSE says nothing). Unless
 * @may_read, only a line the decoded text holds whole is taken, and -2,
 * with nothing consumed, says the buffer must be read. Private ABI, not
 * API: exported for the Python accelerator (gi/overrides/_ioaccel.c),
 * which makes a str of an ASCII line without decoding it, and keeps the
 * GIL for the lines that need no read. */
IO_AVAILABLE_IN_ALL
gssize    _io_text_stream_next_line_into (IoTextStream  *self,
                                          char         **buffer,
                                          gsize         *capacity,
                                          gboolean      *ascii,
                                          gboolean       may_read,
                                          GError       **error);

/* The buffer, leaving a window chunk (docs/text.md) as it is, where
 * io_text_stream_get_buffer() first reads the rest of it, which may wait
 * for the buffer: for the accelerator, which holds the GIL and only asks
 * what kind of stream the buffer is. Private ABI, not API. */
IO_AVAILABLE_IN_ALL
IoStream *_io_text_stream_peek_buffer     (IoTextStream  *self);

G_END_DECLS
