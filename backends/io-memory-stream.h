/* io-memory-stream.h: an in-memory stream, Python's io.BytesIO in C
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(IO_INSIDE) && !defined(IO_COMPILATION)
# error "Only <libstream.h> can be included directly."
#endif

#include "io-stream.h"

G_BEGIN_DECLS

#define IO_TYPE_MEMORY_STREAM (io_memory_stream_get_type ())

IO_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (IoMemoryStream, io_memory_stream, IO, MEMORY_STREAM, IoStream)

IO_AVAILABLE_IN_ALL
IoStream *io_memory_stream_new                    (const guint8   *data,
                                                   gsize           len) G_GNUC_WARN_UNUSED_RESULT;
IO_AVAILABLE_IN_ALL
IoStream *io_memory_stream_new_from_bytes         (GBytes         *bytes) G_GNUC_WARN_UNUSED_RESULT;
IO_AVAILABLE_IN_ALL
GBytes   *io_memory_stream_get_value              (IoMemoryStream *self,
                                                   GError        **error) G_GNUC_WARN_UNUSED_RESULT;
IO_AVAILABLE_IN_ALL
gboolean  io_memory_stream_acquire_buffer         (IoMemoryStream *self,
                                                   guint8        **data,
                                                   gsize          *len,
                                                   GError        **error);
IO_AVAILABLE_IN_ALL
guintptr  io_memory_stream_acquire_buffer_address (IoMemoryStream *self,
                                                   gsize          *len,
                                                   GError        **error);
IO_AVAILABLE_IN_ALL
void      io_memory_stream_release_buffer         (IoMemoryStream *self);
IO_AVAILABLE_IN_ALL
guint     io_memory_stream_get_exports            (IoMemoryStream *self);
IO_AVAILABLE_IN_ALL
gboolean  io_memory_stream_reset                  (IoMemoryStream *self,
                                                   GBytes         *bytes,
                                                   GError        **error);

G_END_DECLS
