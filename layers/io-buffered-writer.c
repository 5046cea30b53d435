/* io-buffered-writer.c: a buffered writer over a writable stream, Python's
 * io.BufferedWriter
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "io-buffered-private.h"
#include "io-buffered-writer.h"

/**
 * IoBufferedWriter:
 *
 * A write buffer over a writable stream, its raw stream: CPython 3.11's
 * `io.BufferedWriter` over any [class@Io.Stream].
 *
 * - A write that fits in the space left is copied into the buffer inline,
 *   as into a memory stream; one that does not flushes the buffer, and a
 *   write larger than the buffer then goes straight to the raw, with no
 *   copy. Short raw writes are retried; `EINTR` never reaches the caller.
 * - `flush()` writes the buffer out (it does not flush the raw, as in
 *   CPython); so do [method@Io.Stream.seek], [method@Io.Stream.truncate],
 *   [method@Io.FilterStream.detach] and [method@Io.Stream.close] first.
 *   [method@Io.Stream.tell] is the raw's position plus what waits.
 * - `close()` flushes, then closes the raw even when the flush failed, and
 *   returns the flush error. Dropping a writer that still holds data
 *   flushes it; an error there goes to the handler of
 *   [func@Io.Stream.set_drop_error_handler].
 * - A raw that would block: [method@Io.Stream.write] returns how many
 *   bytes it took into the buffer (CPython's `characters_written`), and
 *   fails with %G_IO_ERROR_WOULD_BLOCK when it could take none; the bytes
 *   taken are written by a later flush.
 *
 * See [Buffered layers](buffered.html).
 */

/**
 * IoBufferedWriterClass:
 * @parent_class: the parent class
 *
 * The class of [class@Io.BufferedWriter], a final type: it cannot be subclassed.
 */

struct _IoBufferedWriter
{
  IoFilterStream parent_instance;
  IoBuffered buffered;
};

G_DEFINE_FINAL_TYPE_WITH_CODE (IoBufferedWriter, io_buffered_writer, IO_TYPE_FILTER_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      io_buffered_initable_iface_init))

G_STATIC_ASSERT (G_STRUCT_OFFSET (IoBufferedWriter, buffered) ==
                 G_STRUCT_OFFSET (IoBufferedInstance, buffered));

/**
 * io_buffered_writer_new:
 * @raw: a writable stream
 * @buffer_size: the size of the buffer, at least 1 (usually
 *   %IO_DEFAULT_BUFFER_SIZE)
 * @error: return location for a #GError
 *
 * Puts a write buffer over @raw (Python's `BufferedWriter(raw,
 * buffer_size)`). Fails with %G_IO_ERROR_NOT_SUPPORTED when @raw is not
 * writable and with %G_IO_ERROR_INVALID_ARGUMENT for a size of 0.
 *
 * Returns: (transfer full) (type IoBufferedWriter) (nullable): the new
 *   stream, or `NULL` on error
 */
IoStream *
io_buffered_writer_new (IoStream  *raw,
                        gsize      buffer_size,
                        GError   **error)
{
  g_return_val_if_fail (IO_IS_STREAM (raw), NULL);

  return io_buffered_new (IO_TYPE_BUFFERED_WRITER, raw, NULL, buffer_size, error);
}

/**
 * io_buffered_writer_get_raw: (get-property raw)
 * @self: an #IoBufferedWriter
 *
 * The stream under the buffer (Python's `raw`).
 *
 * Returns: (transfer none) (nullable): the raw stream, or `NULL` once
 *   detached
 */
IoStream *
io_buffered_writer_get_raw (IoBufferedWriter *self)
{
  g_return_val_if_fail (IO_IS_BUFFERED_WRITER (self), NULL);

  return io_buffered_get_raw (IO_STREAM (self));
}

/**
 * io_buffered_writer_get_buffer_size: (get-property buffer-size)
 * @self: an #IoBufferedWriter
 *
 * The size of the buffer, in bytes.
 *
 * Returns: the buffer size
 */
gsize
io_buffered_writer_get_buffer_size (IoBufferedWriter *self)
{
  g_return_val_if_fail (IO_IS_BUFFERED_WRITER (self), 0);

  return io_buffered_get_buffer_size (IO_STREAM (self));
}

static void
io_buffered_writer_class_init (IoBufferedWriterClass *klass)
{
  io_buffered_class_setup (G_OBJECT_CLASS (klass), IO_BUFFERED_KIND_WRITER);

  /**
   * IoBufferedWriter:raw: (getter get_raw)
   *
   * The stream under the buffer: [property@Io.FilterStream:base-stream].
   */

  /**
   * IoBufferedWriter:buffer-size: (getter get_buffer_size)
   *
   * The size of the buffer, in bytes.
   */
}

static void
io_buffered_writer_init (IoBufferedWriter *self)
{
  io_buffered_init (IO_STREAM (self), IO_BUFFERED_KIND_WRITER);
}
