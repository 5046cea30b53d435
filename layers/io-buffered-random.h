/* io-buffered-random.h: one buffer for reading and writing a seekable stream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(IO_INSIDE) && !defined(IO_COMPILATION)
# error "Only <libstream.h> can be included directly."
#endif

#include "io-filter-stream.h"

G_BEGIN_DECLS

#define IO_TYPE_BUFFERED_RANDOM (io_buffered_random_get_type ())

IO_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (IoBufferedRandom, io_buffered_random, IO, BUFFERED_RANDOM, IoFilterStream)

IO_AVAILABLE_IN_ALL
IoStream *io_buffered_random_new             (IoStream          *raw,
                                              gsize              buffer_size,
                                              GError           **error) G_GNUC_WARN_UNUSED_RESULT;
IO_AVAILABLE_IN_ALL
IoStream *io_buffered_random_get_raw         (IoBufferedRandom  *self);
IO_AVAILABLE_IN_ALL
gsize     io_buffered_random_get_buffer_size (IoBufferedRandom  *self);

G_END_DECLS
