/* io-gio-stream.c: a libstream stream over a GIO stream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <gio/gfiledescriptorbased.h>
#include <unistd.h>

#include "io-gio.h"
#include "io-stream-private.h"

/**
 * IoGioStream:
 *
 * An [class@Io.Stream] over a GIO stream: a `GInputStream`, a
 * `GOutputStream` or a `GIOStream`, made with
 * [ctor@Io.Stream.new_for_input_stream],
 * [ctor@Io.Stream.new_for_output_stream],
 * [ctor@Io.Stream.new_for_io_stream] or [ctor@Io.Stream.new_for_file].
 *
 * - It is readable when it has an input stream and writable when it has
 *   an output stream. It is seekable when the GIO object that carries the
 *   position (the `GIOStream` itself, or the one stream) implements
 *   `GSeekable` and `can_seek()`; `truncate()` needs `can_truncate()`.
 *   Seeking past the end, which Python allows, fails where the GIO stream
 *   refuses it (`GMemoryInputStream` does).
 * - Each read is one `g_input_stream_read()`, each write one
 *   `g_output_stream_write()`, `flush()` is `g_output_stream_flush()`.
 * - [method@Io.Stream.peek] shows the buffer of a `GBufferedInputStream`
 *   (filling it when it is empty); over another seekable stream it reads and
 *   seeks back; otherwise it fails with %G_IO_ERROR_NOT_SUPPORTED.
 * - [method@Io.Stream.fileno] is that of a `GFileDescriptorBased` stream
 *   or of a `GSocketConnection`'s socket.
 * - Closing it closes the GIO stream unless
 *   [property@Io.GioStream:close-base] is `FALSE`.
 * - Errors are the GIO stream's, in %G_IO_ERROR.
 *
 * It never unwraps: [method@Io.Stream.as_input_stream] on it returns an
 * adapter over it, not the GIO stream it wraps, so the close rules of both
 * sides hold whatever was wrapped.
 */

/**
 * IoGioStreamClass:
 * @parent_class: the parent class
 *
 * The class of [class@Io.GioStream], a final type: it cannot be subclassed.
 */

struct _IoGioStream
{
  IoStream parent_instance;

  GInputStream *input;
  GOutputStream *output;
  GIOStream *io_stream;
  gboolean close_base;
};

G_DEFINE_FINAL_TYPE (IoGioStream, io_gio_stream, IO_TYPE_STREAM)

enum {
  PROP_0,
  PROP_INPUT_STREAM,
  PROP_OUTPUT_STREAM,
  PROP_IO_STREAM,
  PROP_CLOSE_BASE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The object that owns the position, if it can seek at all. */
static GSeekable *
gio_seekable (IoGioStream *self)
{
  GObject *owner = self->io_stream != NULL ? G_OBJECT (self->io_stream) :
                   self->input != NULL ? G_OBJECT (self->input) : G_OBJECT (self->output);

  return G_IS_SEEKABLE (owner) ? G_SEEKABLE (owner) : NULL;
}

static gboolean
gio_can_read (IoStream *stream)
{
  return IO_GIO_STREAM (stream)->input != NULL;
}

static gboolean
gio_can_write (IoStream *stream)
{
  return IO_GIO_STREAM (stream)->output != NULL;
}

static gboolean
gio_can_seek (IoStream *stream)
{
  GSeekable *seekable = gio_seekable (IO_GIO_STREAM (stream));

  return seekable != NULL && g_seekable_can_seek (seekable);
}

static gssize
gio_read (IoStream  *stream,
          guint8    *buffer,
          gsize      count,
          GError   **error)
{
  /* GIO wants a buffer even for nothing. */
  if (count == 0)
    return 0;
  return g_input_stream_read (IO_GIO_STREAM (stream)->input, buffer, count, NULL, error);
}

static gssize
gio_write (IoStream      *stream,
           const guint8  *buffer,
           gsize          count,
           GError       **error)
{
  if (count == 0)
    return 0;
  return g_output_stream_write (IO_GIO_STREAM (stream)->output, buffer, count, NULL, error);
}

static gint64
gio_tell (IoStream  *stream,
          GError   **error)
{
  return g_seekable_tell (gio_seekable (IO_GIO_STREAM (stream)));
}

static gint64
gio_seek (IoStream  *stream,
          gint64     offset,
          IoWhence   whence,
          GError   **error)
{
  GSeekable *seekable = gio_seekable (IO_GIO_STREAM (stream));
  /* IoWhence and GSeekType order SET and CUR differently. */
  GSeekType type = whence == IO_WHENCE_SET ? G_SEEK_SET :
                   whence == IO_WHENCE_CUR ? G_SEEK_CUR : G_SEEK_END;

  if (!g_seekable_seek (seekable, offset, type, NULL, error))
    return -1;
  return g_seekable_tell (seekable);
}

static gint64
gio_truncate (IoStream  *stream,
              gint64     size,
              GError   **error)
{
  if (!g_seekable_truncate (gio_seekable (IO_GIO_STREAM (stream)), size, NULL, error))
    return -1;
  return size;
}

static gboolean
gio_flush (IoStream  *stream,
           GError   **error)
{
  IoGioStream *self = IO_GIO_STREAM (stream);

  /* A GIO stream closed under this one has nothing left to flush. */
  if (self->output == NULL || g_output_stream_is_closed (self->output))
    return TRUE;
  return g_output_stream_flush (self->output, NULL, error);
}

static gboolean
gio_close (IoStream  *stream,
           GError   **error)
{
  IoGioStream *self = IO_GIO_STREAM (stream);

  if (!self->close_base)
    return TRUE;
  if (self->io_stream != NULL)
    return g_io_stream_close (self->io_stream, NULL, error);
  if (self->input != NULL)
    return g_input_stream_close (self->input, NULL, error);
  /* An IoGioStream made from properties may wrap nothing at all. */
  return self->output == NULL || g_output_stream_close (self->output, NULL, error);
}

static GBytes *
gio_peek (IoStream  *stream,
          gsize      count,
          GError   **error)
{
  IoGioStream *self = IO_GIO_STREAM (stream);
  GSeekable *seekable;
  g_autoptr(GBytes) ahead = NULL;
  goffset position;

  if (G_IS_BUFFERED_INPUT_STREAM (self->input))
    {
      GBufferedInputStream *buffered = G_BUFFERED_INPUT_STREAM (self->input);
      const guint8 *data;
      gsize available;

      data = g_buffered_input_stream_peek_buffer (buffered, &available);
      if (available == 0)
        {
          if (g_buffered_input_stream_fill (buffered, -1, NULL, error) < 0)
            return NULL;
          data = g_buffered_input_stream_peek_buffer (buffered, &available);
        }
      return g_bytes_new (data, MIN (available, count));
    }

  /* What IoStream does for a seekable stream without a peek of its own. */
  seekable = gio_seekable (self);
  if (seekable == NULL || !g_seekable_can_seek (seekable))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "peek");
      return NULL;
    }
  position = g_seekable_tell (seekable);
  ahead = g_input_stream_read_bytes (self->input, count, NULL, error);
  if (ahead == NULL || !g_seekable_seek (seekable, position, G_SEEK_SET, NULL, error))
    return NULL;
  return g_steal_pointer (&ahead);
}

static int
gio_fileno (IoStream  *stream,
            GError   **error)
{
  IoGioStream *self = IO_GIO_STREAM (stream);
  GObject *objects[] = { G_OBJECT (self->io_stream), G_OBJECT (self->input),
                         G_OBJECT (self->output) };

  if (G_IS_SOCKET_CONNECTION (self->io_stream))
    return g_socket_get_fd (g_socket_connection_get_socket (G_SOCKET_CONNECTION (self->io_stream)));
  for (gsize i = 0; i < G_N_ELEMENTS (objects); i++)
    if (G_IS_FILE_DESCRIPTOR_BASED (objects[i]))
      return g_file_descriptor_based_get_fd (G_FILE_DESCRIPTOR_BASED (objects[i]));
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "fileno");
  return -1;
}

static gboolean
gio_isatty (IoStream  *stream,
            GError   **error)
{
  int fd = gio_fileno (stream, NULL);

  return fd >= 0 && isatty (fd);
}

/**
 * io_gio_stream_get_close_base: (get-property close-base)
 * @self: an #IoGioStream
 *
 * Whether closing @self closes the GIO stream under it.
 *
 * Returns: `TRUE` if the GIO stream is closed with @self
 */
gboolean
io_gio_stream_get_close_base (IoGioStream *self)
{
  g_return_val_if_fail (IO_IS_GIO_STREAM (self), FALSE);

  return self->close_base;
}

/**
 * io_gio_stream_set_close_base: (set-property close-base)
 * @self: an #IoGioStream
 * @close_base: whether to close the GIO stream with @self
 *
 * Sets whether closing @self closes the GIO stream under it.
 */
void
io_gio_stream_set_close_base (IoGioStream *self,
                              gboolean     close_base)
{
  g_return_if_fail (IO_IS_GIO_STREAM (self));

  close_base = !!close_base;
  if (self->close_base == close_base)
    return;
  self->close_base = close_base;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOSE_BASE]);
}

static void
io_gio_stream_constructed (GObject *object)
{
  IoGioStream *self = IO_GIO_STREAM (object);

  G_OBJECT_CLASS (io_gio_stream_parent_class)->constructed (object);
  if (self->io_stream != NULL)
    {
      /* Its streams, whatever else was given. */
      g_set_object (&self->input, g_io_stream_get_input_stream (self->io_stream));
      g_set_object (&self->output, g_io_stream_get_output_stream (self->io_stream));
    }
}

static void
io_gio_stream_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  IoGioStream *self = IO_GIO_STREAM (object);

  switch (prop_id)
    {
    case PROP_INPUT_STREAM:
      g_value_set_object (value, self->input);
      break;
    case PROP_OUTPUT_STREAM:
      g_value_set_object (value, self->output);
      break;
    case PROP_IO_STREAM:
      g_value_set_object (value, self->io_stream);
      break;
    case PROP_CLOSE_BASE:
      g_value_set_boolean (value, self->close_base);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
io_gio_stream_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  IoGioStream *self = IO_GIO_STREAM (object);

  switch (prop_id)
    {
    case PROP_INPUT_STREAM:
      g_set_object (&self->input, g_value_get_object (value));
      break;
    case PROP_OUTPUT_STREAM:
      g_set_object (&self->output, g_value_get_object (value));
      break;
    case PROP_IO_STREAM:
      g_set_object (&self->io_stream, g_value_get_object (value));
      break;
    case PROP_CLOSE_BASE:
      io_gio_stream_set_close_base (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
io_gio_stream_finalize (GObject *object)
{
  IoGioStream *self = IO_GIO_STREAM (object);

  g_clear_object (&self->input);
  g_clear_object (&self->output);
  g_clear_object (&self->io_stream);
  G_OBJECT_CLASS (io_gio_stream_parent_class)->finalize (object);
}

static void
io_gio_stream_class_init (IoGioStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  IoStreamClass *stream_class = IO_STREAM_CLASS (klass);

  object_class->constructed = io_gio_stream_constructed;
  object_class->get_property = io_gio_stream_get_property;
  object_class->set_property = io_gio_stream_set_property;
  object_class->finalize = io_gio_stream_finalize;

  stream_class->can_read = gio_can_read;
  stream_class->can_write = gio_can_write;
  stream_class->can_seek = gio_can_seek;
  stream_class->read = gio_read;
  stream_class->write = gio_write;
  stream_class->seek = gio_seek;
  stream_class->tell = gio_tell;
  stream_class->truncate = gio_truncate;
  stream_class->flush = gio_flush;
  stream_class->close = gio_close;
  stream_class->peek = gio_peek;
  stream_class->isatty = gio_isatty;
  stream_class->fileno = gio_fileno;

  /**
   * IoGioStream:input-stream:
   *
   * The GIO stream reads come from, or `NULL` for a write-only stream.
   */
  properties[PROP_INPUT_STREAM] =
    g_param_spec_object ("input-stream", NULL, NULL, G_TYPE_INPUT_STREAM,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * IoGioStream:output-stream:
   *
   * The GIO stream writes go to, or `NULL` for a read-only stream.
   */
  properties[PROP_OUTPUT_STREAM] =
    g_param_spec_object ("output-stream", NULL, NULL, G_TYPE_OUTPUT_STREAM,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * IoGioStream:io-stream:
   *
   * The `GIOStream` under the stream, or `NULL` when it wraps one input
   * or output stream. Its two streams are then
   * [property@Io.GioStream:input-stream] and
   * [property@Io.GioStream:output-stream].
   */
  properties[PROP_IO_STREAM] =
    g_param_spec_object ("io-stream", NULL, NULL, G_TYPE_IO_STREAM,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * IoGioStream:close-base: (setter set_close_base) (getter get_close_base)
   *
   * Whether closing the stream closes the GIO stream under it, as
   * `GFilterInputStream:close-base`.
   */
  properties[PROP_CLOSE_BASE] =
    g_param_spec_boolean ("close-base", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
io_gio_stream_init (IoGioStream *self)
{
  self->close_base = TRUE;
}

/**
 * io_stream_new_for_input_stream:
 * @stream: a #GInputStream
 *
 * Wraps @stream as a read-only [class@Io.Stream] (see [class@Io.GioStream]).
 *
 * Returns: (transfer full): a new stream reading @stream
 */
IoStream *
io_stream_new_for_input_stream (GInputStream *stream)
{
  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);

  return g_object_new (IO_TYPE_GIO_STREAM, "input-stream", stream, NULL);
}

/**
 * io_stream_new_for_output_stream:
 * @stream: a #GOutputStream
 *
 * Wraps @stream as a write-only [class@Io.Stream] (see [class@Io.GioStream]).
 *
 * Returns: (transfer full): a new stream writing @stream
 */
IoStream *
io_stream_new_for_output_stream (GOutputStream *stream)
{
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), NULL);

  return g_object_new (IO_TYPE_GIO_STREAM, "output-stream", stream, NULL);
}

/**
 * io_stream_new_for_io_stream:
 * @stream: a #GIOStream
 *
 * Wraps @stream as a readable and writable [class@Io.Stream] (see
 * [class@Io.GioStream]): a socket connection, a `GFileIOStream`...
 *
 * Returns: (transfer full): a new stream over @stream
 */
IoStream *
io_stream_new_for_io_stream (GIOStream *stream)
{
  g_return_val_if_fail (G_IS_IO_STREAM (stream), NULL);

  return g_object_new (IO_TYPE_GIO_STREAM, "io-stream", stream, NULL);
}
