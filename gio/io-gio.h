/* io-gio.h: libstream streams as GIO streams, and GIO streams as libstream's
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(IO_INSIDE) && !defined(IO_COMPILATION)
# error "Only <libstream.h> can be included directly."
#endif

#include <gio/gio.h>

#include "io-stream.h"

G_BEGIN_DECLS

/* libstream -> GIO */

IO_AVAILABLE_IN_ALL
GInputStream  *io_stream_as_input_stream       (IoStream       *self) G_GNUC_WARN_UNUSED_RESULT;
IO_AVAILABLE_IN_ALL
GOutputStream *io_stream_as_output_stream      (IoStream       *self) G_GNUC_WARN_UNUSED_RESULT;
IO_AVAILABLE_IN_ALL
GIOStream     *io_stream_as_io_stream          (IoStream       *self) G_GNUC_WARN_UNUSED_RESULT;

/* GIO -> libstream */

#define IO_TYPE_GIO_STREAM (io_gio_stream_get_type ())

IO_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (IoGioStream, io_gio_stream, IO, GIO_STREAM, IoStream)

IO_AVAILABLE_IN_ALL
IoStream      *io_stream_new_for_input_stream  (GInputStream   *stream) G_GNUC_WARN_UNUSED_RESULT;
IO_AVAILABLE_IN_ALL
IoStream      *io_stream_new_for_output_stream (GOutputStream  *stream) G_GNUC_WARN_UNUSED_RESULT;
IO_AVAILABLE_IN_ALL
IoStream      *io_stream_new_for_io_stream     (GIOStream      *stream) G_GNUC_WARN_UNUSED_RESULT;
IO_AVAILABLE_IN_ALL
IoStream      *io_stream_new_for_file          (GFile          *file,
                                                const char     *mode,
                                                GCancellable   *cancellable,
                                                GError        **error) G_GNUC_WARN_UNUSED_RESULT;

IO_AVAILABLE_IN_ALL
gboolean       io_gio_stream_get_close_base    (IoGioStream    *self);
IO_AVAILABLE_IN_ALL
void           io_gio_stream_set_close_base    (IoGioStream    *self,
                                                gboolean        close_base);

G_END_DECLS
