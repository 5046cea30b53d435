/* io-converter-stream.h: a layer that runs a GConverter on read or on write
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(IO_INSIDE) && !defined(IO_COMPILATION)
# error "Only <libstream.h> can be included directly."
#endif

#include "io-filter-stream.h"

G_BEGIN_DECLS

#define IO_TYPE_CONVERTER_STREAM (io_converter_stream_get_type ())

IO_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (IoConverterStream, io_converter_stream, IO, CONVERTER_STREAM, IoFilterStream)

IO_AVAILABLE_IN_ALL
IoStream   *io_converter_stream_new           (IoStream          *base_stream,
                                               GConverter        *converter);
IO_AVAILABLE_IN_ALL
GConverter *io_converter_stream_get_converter (IoConverterStream *self);

G_END_DECLS
