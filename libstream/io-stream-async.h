/* io-stream-async.h: the asynchronous methods of IoStream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(IO_INSIDE) && !defined(IO_COMPILATION)
# error "Only <libstream.h> can be included directly."
#endif

#include "io-stream.h"

G_BEGIN_DECLS

IO_AVAILABLE_IN_ALL
void          io_stream_read_bytes_async    (IoStream             *self,
                                             gssize                size,
                                             int                   io_priority,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
IO_AVAILABLE_IN_ALL
GBytes       *io_stream_read_bytes_finish   (IoStream             *self,
                                             GAsyncResult         *result,
                                             GError              **error) G_GNUC_WARN_UNUSED_RESULT;
IO_AVAILABLE_IN_ALL
void          io_stream_read1_bytes_async   (IoStream             *self,
                                             gssize                size,
                                             int                   io_priority,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
IO_AVAILABLE_IN_ALL
GBytes       *io_stream_read1_bytes_finish  (IoStream             *self,
                                             GAsyncResult         *result,
                                             GError              **error) G_GNUC_WARN_UNUSED_RESULT;
IO_AVAILABLE_IN_ALL
void          io_stream_readall_async       (IoStream             *self,
                                             int                   io_priority,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
IO_AVAILABLE_IN_ALL
GBytes       *io_stream_readall_finish      (IoStream             *self,
                                             GAsyncResult         *result,
                                             GError              **error) G_GNUC_WARN_UNUSED_RESULT;
IO_AVAILABLE_IN_ALL
void          io_stream_readline_async      (IoStream             *self,
                                             gssize                limit,
                                             int                   io_priority,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
IO_AVAILABLE_IN_ALL
GBytes       *io_stream_readline_finish     (IoStream             *self,
                                             GAsyncResult         *result,
                                             GError              **error) G_GNUC_WARN_UNUSED_RESULT;
IO_AVAILABLE_IN_ALL
void          io_stream_write_bytes_async   (IoStream             *self,
                                             GBytes               *bytes,
                                             int                   io_priority,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
IO_AVAILABLE_IN_ALL
gssize        io_stream_write_bytes_finish  (IoStream             *self,
                                             GAsyncResult         *result,
                                             GError              **error);
IO_AVAILABLE_IN_ALL
void          io_stream_write_all_async     (IoStream             *self,
                                             GBytes               *bytes,
                                             int                   io_priority,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
IO_AVAILABLE_IN_ALL
gboolean      io_stream_write_all_finish    (IoStream             *self,
                                             GAsyncResult         *result,
                                             gsize                *bytes_written,
                                             GError              **error);
IO_AVAILABLE_IN_ALL
gsize         io_stream_get_write_all_progress (IoStream     *self,
                                                GAsyncResult *result);
IO_AVAILABLE_IN_ALL
void          io_stream_flush_async         (IoStream             *self,
                                             int                   io_priority,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
IO_AVAILABLE_IN_ALL
gboolean      io_stream_flush_finish        (IoStream             *self,
                                             GAsyncResult         *result,
                                             GError              **error);
IO_AVAILABLE_IN_ALL
void          io_stream_close_async         (IoStream             *self,
                                             int                   io_priority,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
IO_AVAILABLE_IN_ALL
gboolean      io_stream_close_finish        (IoStream             *self,
                                             GAsyncResult         *result,
                                             GError              **error);

G_END_DECLS
