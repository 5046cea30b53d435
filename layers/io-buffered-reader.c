/* io-buffered-reader.c: a buffered reader over a readable stream, Python's
 * io.BufferedReader
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "io-buffered-private.h"
#include "io-buffered-reader.h"

/**
 * IoBufferedReader:
 *
 * A read buffer over a readable stream, its raw stream: CPython 3.11's
 * `io.BufferedReader` over any [class@Io.Stream] (a file, a pipe, a
 * callback table, a backend written in Python, JavaScript or Vala, or
 * another layer).
 *
 * - Small reads, [method@Io.Stream.getc], lines and iteration are served
 *   from the buffer inline, as from a memory stream; the raw is read a
 *   whole buffer at a time, once the buffer is used up.
 * - [method@Io.Stream.peek] returns at least one byte (unless at the end)
 *   and at most the buffer, reading the raw only when the buffer is empty;
 *   the `read1` family serves the buffer first and makes at most one raw
 *   read; [method@Io.Stream.read] reads the raw until it has the count or
 *   the raw ends, and a read of a buffer or more goes straight into the
 *   caller's memory.
 * - [method@Io.Stream.tell] is the raw's position less what was read
 *   ahead; a [method@Io.Stream.seek] that lands in the buffer moves inside
 *   it, without a raw seek.
 * - `flush()` flushes the raw; [method@Io.FilterStream.detach] gives the
 *   raw back (what was read ahead is dropped, as in CPython); closing
 *   closes the raw.
 * - A raw that reports `EINTR` is asked again; one that would block makes
 *   the read fail with %G_IO_ERROR_WOULD_BLOCK (Python's `None`) when
 *   nothing was read.
 *
 * See [Buffered layers](buffered.html).
 */

/**
 * IoBufferedReaderClass:
 * @parent_class: the parent class
 *
 * The class of [class@Io.BufferedReader], a final type: it cannot be subclassed.
 */

struct _IoBufferedReader
{
  IoFilterStream parent_instance;
  IoBuffered buffered;
};

G_DEFINE_FINAL_TYPE_WITH_CODE (IoBufferedReader, io_buffered_reader, IO_TYPE_FILTER_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      io_buffered_initable_iface_init))

G_STATIC_ASSERT (G_STRUCT_OFFSET (IoBufferedReader, buffered) ==
                 G_STRUCT_OFFSET (IoBufferedInstance, buffered));

/**
 * io_buffered_reader_new:
 * @raw: a readable stream
 * @buffer_size: the size of the buffer, at least 1 (usually
 *   %IO_DEFAULT_BUFFER_SIZE)
 * @error: return location for a #GError
 *
 * Puts a read buffer over @raw (Python's `BufferedReader(raw,
 * buffer_size)`). Fails with %G_IO_ERROR_NOT_SUPPORTED when @raw is not
 * readable and with %G_IO_ERROR_INVALID_ARGUMENT for a size of 0.
 *
 * Returns: (transfer full) (type IoBufferedReader) (nullable): the new
 *   stream, or `NULL` on error
 */
IoStream *
io_buffered_reader_new (IoStream  *raw,
                        gsize      buffer_size,
                        GError   **error)
{
  g_return_val_if_fail (IO_IS_STREAM (raw), NULL);

  return io_buffered_new (IO_TYPE_BUFFERED_READER, raw, NULL, buffer_size, error);
}

/**
 * io_buffered_reader_get_raw: (get-property raw)
 * @self: an #IoBufferedReader
 *
 * The stream under the buffer (Python's `raw`).
 *
 * Returns: (transfer none) (nullable): the raw stream, or `NULL` once
 *   detached
 */
IoStream *
io_buffered_reader_get_raw (IoBufferedReader *self)
{
  g_return_val_if_fail (IO_IS_BUFFERED_READER (self), NULL);

  return io_buffered_get_raw (IO_STREAM (self));
}

/**
 * io_buffered_reader_get_buffer_size: (get-property buffer-size)
 * @self: an #IoBufferedReader
 *
 * The size of the buffer, in bytes.
 *
 * Returns: the buffer size
 */
gsize
io_buffered_reader_get_buffer_size (IoBufferedReader *self)
{
  g_return_val_if_fail (IO_IS_BUFFERED_READER (self), 0);

  return io_buffered_get_buffer_size (IO_STREAM (self));
}

static void
io_buffered_reader_class_init (IoBufferedReaderClass *klass)
{
  io_buffered_class_setup (G_OBJECT_CLASS (klass), IO_BUFFERED_KIND_READER);

  /**
   * IoBufferedReader:raw: (getter get_raw)
   *
   * The stream under the buffer: [property@Io.FilterStream:base-stream].
   */

  /**
   * IoBufferedReader:buffer-size: (getter get_buffer_size)
   *
   * The size of the buffer, in bytes.
   */
}

static void
io_buffered_reader_init (IoBufferedReader *self)
{
  io_buffered_init (IO_STREAM (self), IO_BUFFERED_KIND_READER);
}
