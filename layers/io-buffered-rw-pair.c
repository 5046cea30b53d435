/* io-buffered-rw-pair.c: a buffered reader and writer over two streams,
 * Python's io.BufferedRWPair
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "io-buffered-private.h"
#include "io-buffered-rw-pair.h"

/**
 * IoBufferedRWPair:
 *
 * A read buffer over one stream and a write buffer over another: CPython
 * 3.11's `io.BufferedRWPair`, for the two ends of a pipe pair or the two
 * halves of a socket.
 *
 * Reads behave as in [class@Io.BufferedReader] over the reader, writes as
 * in [class@Io.BufferedWriter] over the writer; the pair cannot seek and
 * has no file descriptor. Closing closes the writer, then the reader, and
 * returns the first error. The reader is the pair's
 * [property@Io.FilterStream:base-stream]; [method@Io.FilterStream.detach],
 * which CPython's pair refuses, flushes the writer and gives the reader
 * back, leaving the writer open.
 *
 * See [Buffered layers](buffered.html).
 */

/**
 * IoBufferedRWPairClass:
 * @parent_class: the parent class
 *
 * The class of [class@Io.BufferedRWPair], a final type: it cannot be subclassed.
 */

struct _IoBufferedRWPair
{
  IoFilterStream parent_instance;
  IoBuffered buffered;
};

G_DEFINE_FINAL_TYPE_WITH_CODE (IoBufferedRWPair, io_buffered_rw_pair, IO_TYPE_FILTER_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      io_buffered_initable_iface_init))

G_STATIC_ASSERT (G_STRUCT_OFFSET (IoBufferedRWPair, buffered) ==
                 G_STRUCT_OFFSET (IoBufferedInstance, buffered));

/**
 * io_buffered_rw_pair_new:
 * @reader: a readable stream
 * @writer: a writable stream
 * @buffer_size: the size of each buffer, at least 1 (usually
 *   %IO_DEFAULT_BUFFER_SIZE)
 * @error: return location for a #GError
 *
 * Puts a read buffer over @reader and a write buffer over @writer
 * (Python's `BufferedRWPair(reader, writer, buffer_size)`). Fails with
 * %G_IO_ERROR_NOT_SUPPORTED when @reader is not readable or @writer not
 * writable, and with %G_IO_ERROR_INVALID_ARGUMENT for a size of 0.
 *
 * Returns: (transfer full) (type IoBufferedRWPair) (nullable): the new
 *   stream, or `NULL` on error
 */
IoStream *
io_buffered_rw_pair_new (IoStream  *reader,
                         IoStream  *writer,
                         gsize      buffer_size,
                         GError   **error)
{
  g_return_val_if_fail (IO_IS_STREAM (reader), NULL);
  g_return_val_if_fail (IO_IS_STREAM (writer), NULL);

  return io_buffered_new (IO_TYPE_BUFFERED_RW_PAIR, reader, writer, buffer_size, error);
}

/**
 * io_buffered_rw_pair_get_reader: (get-property reader)
 * @self: an #IoBufferedRWPair
 *
 * The stream reads come from.
 *
 * Returns: (transfer none) (nullable): the reader, or `NULL` once detached
 */
IoStream *
io_buffered_rw_pair_get_reader (IoBufferedRWPair *self)
{
  g_return_val_if_fail (IO_IS_BUFFERED_RW_PAIR (self), NULL);

  return io_buffered_get_raw (IO_STREAM (self));
}

/**
 * io_buffered_rw_pair_get_writer: (get-property writer)
 * @self: an #IoBufferedRWPair
 *
 * The stream writes go to.
 *
 * Returns: (transfer none): the writer
 */
IoStream *
io_buffered_rw_pair_get_writer (IoBufferedRWPair *self)
{
  g_return_val_if_fail (IO_IS_BUFFERED_RW_PAIR (self), NULL);

  return io_buffered_get_writer (IO_STREAM (self));
}

/**
 * io_buffered_rw_pair_get_buffer_size: (get-property buffer-size)
 * @self: an #IoBufferedRWPair
 *
 * The size of each of the two buffers, in bytes.
 *
 * Returns: the buffer size
 */
gsize
io_buffered_rw_pair_get_buffer_size (IoBufferedRWPair *self)
{
  g_return_val_if_fail (IO_IS_BUFFERED_RW_PAIR (self), 0);

  return io_buffered_get_buffer_size (IO_STREAM (self));
}

static void
io_buffered_rw_pair_class_init (IoBufferedRWPairClass *klass)
{
  io_buffered_class_setup (G_OBJECT_CLASS (klass), IO_BUFFERED_KIND_RW_PAIR);

  /**
   * IoBufferedRWPair:reader: (getter get_reader)
   *
   * The stream reads come from: [property@Io.FilterStream:base-stream].
   */

  /**
   * IoBufferedRWPair:writer: (getter get_writer)
   *
   * The stream writes go to, given at construction.
   */

  /**
   * IoBufferedRWPair:buffer-size: (getter get_buffer_size)
   *
   * The size of each of the two buffers, in bytes.
   */
}

static void
io_buffered_rw_pair_init (IoBufferedRWPair *self)
{
  io_buffered_init (IO_STREAM (self), IO_BUFFERED_KIND_RW_PAIR);
}
