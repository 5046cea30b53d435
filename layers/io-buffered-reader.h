/* io-buffered-reader.h: a buffered reader over a readable stream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(IO_INSIDE) && !defined(IO_COMPILATION)
# error "Only <libstream.h> can be included directly."
#endif

#include "io-filter-stream.h"

G_BEGIN_DECLS

#define IO_TYPE_BUFFERED_READER (io_buffered_reader_get_type ())

IO_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (IoBufferedReader, io_buffered_reader, IO, BUFFERED_READER, IoFilterStream)

IO_AVAILABLE_IN_ALL
IoStream *io_buffered_reader_new             (IoStream          *raw,
                                              gsize              buffer_size,
                                              GError           **error) G_GNUC_WARN_UNUSED_RESULT;
IO_AVAILABLE_IN_ALL
IoStream *io_buffered_reader_get_raw         (IoBufferedReader  *self);
IO_AVAILABLE_IN_ALL
gsize     io_buffered_reader_get_buffer_size (IoBufferedReader  *self);

G_END_DECLS
