/* io-buffered-rw-pair.h: a buffered reader and writer over two streams
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(IO_INSIDE) && !defined(IO_COMPILATION)
# error "Only <libstream.h> can be included directly."
#endif

#include "io-filter-stream.h"

G_BEGIN_DECLS

#define IO_TYPE_BUFFERED_RW_PAIR (io_buffered_rw_pair_get_type ())

IO_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (IoBufferedRWPair, io_buffered_rw_pair, IO, BUFFERED_RW_PAIR, IoFilterStream)

IO_AVAILABLE_IN_ALL
IoStream *io_buffered_rw_pair_new             (IoStream          *reader,
                                               IoStream          *writer,
                                               gsize              buffer_size,
                                               GError           **error) G_GNUC_WARN_UNUSED_RESULT;
IO_AVAILABLE_IN_ALL
IoStream *io_buffered_rw_pair_get_reader      (IoBufferedRWPair  *self);
IO_AVAILABLE_IN_ALL
IoStream *io_buffered_rw_pair_get_writer      (IoBufferedRWPair  *self);
IO_AVAILABLE_IN_ALL
gsize     io_buffered_rw_pair_get_buffer_size (IoBufferedRWPair  *self);

G_END_DECLS
