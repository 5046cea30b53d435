/* io-buffered-writer.h: a buffered writer over a writable stream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(IO_INSIDE) && !defined(IO_COMPILATION)
# error "Only <libstream.h> can be included directly."
#endif

#include "io-filter-stream.h"

G_BEGIN_DECLS

#define IO_TYPE_BUFFERED_WRITER (io_buffered_writer_get_type ())

IO_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (IoBufferedWriter, io_buffered_writer, IO, BUFFERED_WRITER, IoFilterStream)

IO_AVAILABLE_IN_ALL
IoStream *io_buffered_writer_new             (IoStream          *raw,
                                              gsize              buffer_size,
                                              GError           **error) G_GNUC_WARN_UNUSED_RESULT;
IO_AVAILABLE_IN_ALL
IoStream *io_buffered_writer_get_raw         (IoBufferedWriter  *self);
IO_AVAILABLE_IN_ALL
gsize     io_buffered_writer_get_buffer_size (IoBufferedWriter  *self);

G_END_DECLS
