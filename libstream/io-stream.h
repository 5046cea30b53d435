/* io-stream.h: the abstract stream every libstream backend implements
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(IO_INSIDE) && !defined(IO_COMPILATION)
# error "Only <libstream.h> can be included directly."
#endif

#include <gio/gio.h>

#include "io-types.h"
#include "io-version-macros.h"

G_BEGIN_DECLS

#define IO_TYPE_STREAM (io_stream_get_type ())

IO_AVAILABLE_IN_ALL
G_DECLARE_DERIVABLE_TYPE (IoStream, io_stream, IO, STREAM, GObject)

/**
 * IoStreamClass:
 * @parent_class: the parent class
 * @can_read: whether reading is possible; the default is `TRUE` when the
 *   class implements @read or @read_chunk
 * @can_write: whether writing is possible; the default is `TRUE` when the
 *   class implements @write
 * @can_seek: whether seeking is possible; the default is `TRUE` when the
 *   class implements @seek
 * @read: read at most @count bytes into @buffer with at most one underlying
 *   operation; 0 means end of stream. For C and Vala backends
 * @read_chunk: the same as @read, returning new bytes (empty at end of
 *   stream); the read vfunc bindings implement. Never return `NULL` without
 *   an error
 * @write: write at most @count bytes with at most one underlying operation
 *   and return how many were written (at least one)
 * @seek: move to @offset relative to @whence and return the new position
 * @tell: return the current position; the default seeks by 0 from the
 *   current position
 * @truncate: resize the stream to @size bytes (never negative) and return
 *   the size the caller asked for
 * @flush: write out buffered data; the default does nothing
 * @close: release the backend's resources; fail with %G_IO_ERROR_BUSY to
 *   refuse and keep the stream open
 * @peek: return buffered data at the position without consuming it
 * @isatty: whether the stream is an interactive terminal; the default is
 *   `FALSE`
 * @fileno: return the underlying file descriptor; the default fails with
 *   %G_IO_ERROR_NOT_SUPPORTED
 * @read_bytes_async: start [method@Io.Stream.read_bytes_async]
 * @read_bytes_finish: finish [method@Io.Stream.read_bytes_async]
 * @read1_bytes_async: start [method@Io.Stream.read1_bytes_async]
 * @read1_bytes_finish: finish [method@Io.Stream.read1_bytes_async]
 * @readall_async: start [method@Io.Stream.readall_async]
 * @readall_finish: finish [method@Io.Stream.readall_async]
 * @readline_async: start [method@Io.Stream.readline_async]
 * @readline_finish: finish [method@Io.Stream.readline_async]
 * @write_bytes_async: start [method@Io.Stream.write_bytes_async]
 * @write_bytes_finish: finish [method@Io.Stream.write_bytes_async]
 * @write_all_async: start [method@Io.Stream.write_all_async]
 * @write_all_finish: finish [method@Io.Stream.write_all_async]
 * @flush_async: start [method@Io.Stream.flush_async]
 * @flush_finish: finish [method@Io.Stream.flush_async]
 * @close_async: start [method@Io.Stream.close_async]
 * @close_finish: finish [method@Io.Stream.close_async]
 *
 * The virtual table a backend fills.
 *
 * Every vfunc is called only on an open stream with arguments that
 * [class@Io.Stream] has already validated, so a backend does the raw
 * operation and nothing else. A vfunc left `NULL` makes its public method
 * fail with %G_IO_ERROR_NOT_SUPPORTED.
 *
 * A backend that keeps its bytes in contiguous memory also lends them to
 * the stream (see [struct@Io.StreamWindow]), which then serves small reads,
 * lines and writes inline, without calling the vfuncs.
 *
 * The asynchronous vfuncs are called with the stream already owned by the
 * operation (the checks and GIO's pending rule are the public methods'
 * job); their defaults run the synchronous method on a #GTask thread, so a
 * backend overrides them only when it can do better. A binding whose
 * backends cannot run in another thread (GJS) overrides them too.
 */
struct _IoStreamClass
{
  GObjectClass parent_class;

  gboolean       (*can_read)    (IoStream      *self);
  gboolean       (*can_write)   (IoStream      *self);
  gboolean       (*can_seek)    (IoStream      *self);

  gssize         (*read)        (IoStream      *self,
                                 guint8        *buffer,
                                 gsize          count,
                                 GError       **error);
  GBytes        *(*read_chunk)  (IoStream      *self,
                                 gsize          count,
                                 GError       **error);
  gssize         (*write)       (IoStream      *self,
                                 const guint8  *buffer,
                                 gsize          count,
                                 GError       **error);
  gint64         (*seek)        (IoStream      *self,
                                 gint64         offset,
                                 IoWhence       whence,
                                 GError       **error);
  gint64         (*tell)        (IoStream      *self,
                                 GError       **error);
  gint64         (*truncate)    (IoStream      *self,
                                 gint64         size,
                                 GError       **error);
  gboolean       (*flush)       (IoStream      *self,
                                 GError       **error);
  gboolean       (*close)       (IoStream      *self,
                                 GError       **error);
  GBytes        *(*peek)        (IoStream      *self,
                                 gsize          count,
                                 GError       **error);
  gboolean       (*isatty)      (IoStream      *self,
                                 GError       **error);
  int            (*fileno)      (IoStream      *self,
                                 GError       **error);

  /* Asynchronous operations (see io-stream-async.h) */
  void           (*read_bytes_async)   (IoStream             *self,
                                        gssize                size,
                                        int                   io_priority,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
  GBytes        *(*read_bytes_finish)  (IoStream             *self,
                                        GAsyncResult         *result,
                                        GError              **error);
  void           (*read1_bytes_async)  (IoStream             *self,
                                        gssize                size,
                                        int                   io_priority,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
  GBytes        *(*read1_bytes_finish) (IoStream             *self,
                                        GAsyncResult         *result,
                                        GError              **error);
  void           (*readall_async)      (IoStream             *self,
                                        int                   io_priority,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
  GBytes        *(*readall_finish)     (IoStream             *self,
                                        GAsyncResult         *result,
                                        GError              **error);
  void           (*readline_async)     (IoStream             *self,
                                        gssize                limit,
                                        int                   io_priority,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
  GBytes        *(*readline_finish)    (IoStream             *self,
                                        GAsyncResult         *result,
                                        GError              **error);
  void           (*write_bytes_async)  (IoStream             *self,
                                        GBytes               *bytes,
                                        int                   io_priority,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
  gssize         (*write_bytes_finish) (IoStream             *self,
                                        GAsyncResult         *result,
                                        GError              **error);
  void           (*write_all_async)    (IoStream             *self,
                                        GBytes               *bytes,
                                        int                   io_priority,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
  gboolean       (*write_all_finish)   (IoStream             *self,
                                        GAsyncResult         *result,
                                        gsize                *bytes_written,
                                        GError              **error);
  void           (*flush_async)        (IoStream             *self,
                                        int                   io_priority,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
  gboolean       (*flush_finish)       (IoStream             *self,
                                        GAsyncResult         *result,
                                        GError              **error);
  void           (*close_async)        (IoStream             *self,
                                        int                   io_priority,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
  gboolean       (*close_finish)       (IoStream             *self,
                                        GAsyncResult         *result,
                                        GError              **error);

  /*< private >*/
  gpointer _reserved[2];
};

/* Capabilities and state */

IO_AVAILABLE_IN_ALL
gboolean      io_stream_readable          (IoStream      *self,
                                           GError       **error);
IO_AVAILABLE_IN_ALL
gboolean      io_stream_writable          (IoStream      *self,
                                           GError       **error);
IO_AVAILABLE_IN_ALL
gboolean      io_stream_seekable          (IoStream      *self,
                                           GError       **error);
IO_AVAILABLE_IN_ALL
gboolean      io_stream_is_closed         (IoStream      *self);
IO_AVAILABLE_IN_ALL
gboolean      io_stream_isatty            (IoStream      *self,
                                           GError       **error);
IO_AVAILABLE_IN_ALL
int           io_stream_fileno            (IoStream      *self,
                                           GError       **error);

/* Reading */

IO_AVAILABLE_IN_ALL
gssize        io_stream_read              (IoStream      *self,
                                           guint8        *buffer,
                                           gsize          count,
                                           GError       **error);
IO_AVAILABLE_IN_ALL
gssize        io_stream_read1             (IoStream      *self,
                                           guint8        *buffer,
                                           gsize          count,
                                           GError       **error);
IO_AVAILABLE_IN_ALL
GBytes       *io_stream_read_bytes        (IoStream      *self,
                                           gssize         size,
                                           GError       **error) G_GNUC_WARN_UNUSED_RESULT;
IO_AVAILABLE_IN_ALL
guint8       *io_stream_read_array        (IoStream      *self,
                                           gssize         size,
                                           gsize         *out_len,
                                           GError       **error) G_GNUC_WARN_UNUSED_RESULT;
IO_AVAILABLE_IN_ALL
GBytes       *io_stream_read1_bytes       (IoStream      *self,
                                           gssize         size,
                                           GError       **error) G_GNUC_WARN_UNUSED_RESULT;
IO_AVAILABLE_IN_ALL
guint8       *io_stream_read1_array       (IoStream      *self,
                                           gssize         size,
                                           gsize         *out_len,
                                           GError       **error) G_GNUC_WARN_UNUSED_RESULT;
IO_AVAILABLE_IN_ALL
GBytes       *io_stream_readall           (IoStream      *self,
                                           GError       **error) G_GNUC_WARN_UNUSED_RESULT;
IO_AVAILABLE_IN_ALL
gssize        io_stream_readinto_address  (IoStream      *self,
                                           guintptr       address,
                                           gsize          count,
                                           GError       **error);
IO_AVAILABLE_IN_ALL
gssize        io_stream_readinto1_address (IoStream      *self,
                                           guintptr       address,
                                           gsize          count,
                                           GError       **error);
IO_AVAILABLE_IN_ALL
GBytes       *io_stream_peek              (IoStream      *self,
                                           gsize          count,
                                           GError       **error) G_GNUC_WARN_UNUSED_RESULT;
IO_AVAILABLE_IN_ALL
GBytes       *io_stream_readline          (IoStream      *self,
                                           gssize         limit,
                                           GError       **error) G_GNUC_WARN_UNUSED_RESULT;
IO_AVAILABLE_IN_ALL
guint8       *io_stream_readline_array    (IoStream      *self,
                                           gssize         limit,
                                           gsize         *out_len,
                                           GError       **error) G_GNUC_WARN_UNUSED_RESULT;
IO_AVAILABLE_IN_ALL
gssize        io_stream_readline_into     (IoStream      *self,
                                           gssize         limit,
                                           guint8       **line,
                                           gsize         *capacity,
                                           GError       **error);
IO_AVAILABLE_IN_ALL
GPtrArray    *io_stream_readlines         (IoStream      *self,
                                           gssize         hint,
                                           GError       **error) G_GNUC_WARN_UNUSED_RESULT;
IO_AVAILABLE_IN_ALL
guint8       *io_stream_readlines_joined  (IoStream      *self,
                                           gssize         hint,
                                           gsize         *out_len,
                                           GError       **error) G_GNUC_WARN_UNUSED_RESULT;

/* Writing */

IO_AVAILABLE_IN_ALL
gssize        io_stream_write             (IoStream      *self,
                                           const guint8  *buffer,
                                           gsize          count,
                                           GError       **error);
IO_AVAILABLE_IN_ALL
gssize        io_stream_write_bytes       (IoStream      *self,
                                           GBytes        *bytes,
                                           GError       **error);
IO_AVAILABLE_IN_ALL
gssize        io_stream_write_address     (IoStream      *self,
                                           guintptr       address,
                                           gsize          count,
                                           GError       **error);
IO_AVAILABLE_IN_ALL
gboolean      io_stream_write_all         (IoStream      *self,
                                           const guint8  *buffer,
                                           gsize          count,
                                           gsize         *bytes_written,
                                           GError       **error);
IO_AVAILABLE_IN_ALL
gboolean      io_stream_write_all_bytes   (IoStream      *self,
                                           GBytes        *bytes,
                                           gsize         *bytes_written,
                                           GError       **error);
IO_AVAILABLE_IN_ALL
gboolean      io_stream_writelines        (IoStream      *self,
                                           GBytes *const *lines,
                                           gsize          n_lines,
                                           GError       **error);
IO_AVAILABLE_IN_ALL
gboolean      io_stream_writelines_all    (IoStream      *self,
                                           GBytes *const *lines,
                                           gsize          n_lines,
                                           gsize         *lines_written,
                                           gsize         *bytes_written,
                                           GError       **error);
IO_AVAILABLE_IN_ALL
gboolean      io_stream_flush             (IoStream      *self,
                                           GError       **error);

/* Positioning */

IO_AVAILABLE_IN_ALL
gint64        io_stream_seek              (IoStream      *self,
                                           gint64         offset,
                                           IoWhence       whence,
                                           GError       **error);
IO_AVAILABLE_IN_ALL
gint64        io_stream_tell              (IoStream      *self,
                                           GError       **error);
IO_AVAILABLE_IN_ALL
gint64        io_stream_truncate          (IoStream      *self,
                                           gint64         size,
                                           GError       **error);

/* Lifecycle */

IO_AVAILABLE_IN_ALL
gboolean      io_stream_close             (IoStream      *self,
                                           GError       **error);
IO_AVAILABLE_IN_ALL
void          io_stream_require_explicit_close (GType     type);

/* Threads */

IO_AVAILABLE_IN_ALL
gboolean      io_stream_lock              (IoStream      *self,
                                           GError       **error);
IO_AVAILABLE_IN_ALL
void          io_stream_unlock            (IoStream      *self);

G_END_DECLS
