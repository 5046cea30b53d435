/* io-buffered-random.c: one buffer for reading and writing a seekable
 * stream, Python's io.BufferedRandom
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "io-buffered-private.h"
#include "io-buffered-random.h"

/**
 * IoBufferedRandom:
 *
 * One buffer for reading and writing a seekable stream, its raw stream:
 * CPython 3.11's `io.BufferedRandom`, with the reads of
 * [class@Io.BufferedReader] and the writes of [class@Io.BufferedWriter].
 *
 * The buffer holds either bytes read ahead or bytes waiting to be written.
 * A read that follows writes flushes them first; a write that follows
 * reads moves the raw back over what was read ahead and not consumed.
 * `flush()` writes the buffer out and, like CPython's, moves the raw back
 * to the stream position, dropping what was read ahead.
 *
 * See [Buffered layers](buffered.html).
 */

/**
 * IoBufferedRandomClass:
 * @parent_class: the parent class
 *
 * The class of [class@Io.BufferedRandom], a final type: it cannot be subclassed.
 */

struct _IoBufferedRandom
{
  IoFilterStream parent_instance;
  IoBuffered buffered;
};

G_DEFINE_FINAL_TYPE_WITH_CODE (IoBufferedRandom, io_buffered_random, IO_TYPE_FILTER_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      io_buffered_initable_iface_init))

G_STATIC_ASSERT (G_STRUCT_OFFSET (IoBufferedRandom, buffered) ==
                 G_STRUCT_OFFSET (IoBufferedInstance, buffered));

/**
 * io_buffered_random_new:
 * @raw: a seekable stream that reads and writes
 * @buffer_size: the size of the buffer, at least 1 (usually
 *   %IO_DEFAULT_BUFFER_SIZE)
 * @error: return location for a #GError
 *
 * Puts one read and write buffer over @raw (Python's `BufferedRandom(raw,
 * buffer_size)`). Fails with %G_IO_ERROR_NOT_SUPPORTED when @raw cannot
 * seek, read or write, and with %G_IO_ERROR_INVALID_ARGUMENT for a size
 * of 0.
 *
 * Returns: (transfer full) (type IoBufferedRandom) (nullable): the new
 *   stream, or `NULL` on error
 */
IoStream *
io_buffered_random_new (IoStream  *raw,
                        gsize      buffer_size,
                        GError   **error)
{
  g_return_val_if_fail (IO_IS_STREAM (raw), NULL);

  return io_buffered_new (IO_TYPE_BUFFERED_RANDOM, raw, NULL, buffer_size, error);
}

/**
 * io_buffered_random_get_raw: (get-property raw)
 * @self: an #IoBufferedRandom
 *
 * The stream under the buffer (Python's `raw`).
 *
 * Returns: (transfer none) (nullable): the raw stream, or `NULL` once
 *   detached
 */
IoStream *
io_buffered_random_get_raw (IoBufferedRandom *self)
{
  g_return_val_if_fail (IO_IS_BUFFERED_RANDOM (self), NULL);

  return io_buffered_get_raw (IO_STREAM (self));
}

/**
 * io_buffered_random_get_buffer_size: (get-property buffer-size)
 * @self: an #IoBufferedRandom
 *
 * The size of the buffer, in bytes.
 *
 * Returns: the buffer size
 */
gsize
io_buffered_random_get_buffer_size (IoBufferedRandom *self)
{
  g_return_val_if_fail (IO_IS_BUFFERED_RANDOM (self), 0);

  return io_buffered_get_buffer_size (IO_STREAM (self));
}

static void
io_buffered_random_class_init (IoBufferedRandomClass *klass)
{
  io_buffered_class_setup (G_OBJECT_CLASS (klass), IO_BUFFERED_KIND_RANDOM);

  /**
   * IoBufferedRandom:raw: (getter get_raw)
   *
   * The stream under the buffer: [property@Io.FilterStream:base-stream].
   */

  /**
   * IoBufferedRandom:buffer-size: (getter get_buffer_size)
   *
   * The size of the buffer, in bytes.
   */
}

static void
io_buffered_random_init (IoBufferedRandom *self)
{
  io_buffered_init (IO_STREAM (self), IO_BUFFERED_KIND_RANDOM);
}
