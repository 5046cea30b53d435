/* io-converter-stream.c: a layer that runs a GConverter on read or on write
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "io-buffer-private.h"
#include "io-converter-stream.h"
#include "io-stream-private.h"
#include "io-stream-window.h"

/**
 * IoConverterStream:
 *
 * A layer over any [class@Io.Stream] that runs a `GConverter` on the bytes
 * going through it: `GZlibCompressor` and `GZlibDecompressor` for gzip,
 * zlib and raw deflate, `GCharsetConverter`, or any other. It is
 * `GConverterInputStream` and `GConverterOutputStream` in one class.
 *
 * - Reading converts what is read from the base; writing converts what is
 *   written to it. The first read (or peek) or write fixes the direction,
 *   and the other then fails with %G_IO_ERROR_NOT_SUPPORTED. Over a base
 *   that can only be read, or only be written, the direction is fixed from
 *   the start.
 * - [method@Io.Stream.readable] and [method@Io.Stream.writable] say what is
 *   still possible: before the direction is fixed, what the base allows;
 *   after, only the direction taken. The stream never seeks.
 * - On read, the end of the base is given to the converter with
 *   %G_CONVERTER_INPUT_AT_END; input that ends before the converter is done
 *   (a truncated gzip file, an incomplete character) is an error,
 *   %G_IO_ERROR_PARTIAL_INPUT, never a silent end of stream. A gzip file of
 *   several members (`cat a.gz b.gz`) reads as their concatenation, as
 *   `gunzip` and Python's `gzip` module read it (zeros between and after
 *   members are padding); other formats end where the converter reports
 *   %G_CONVERTER_FINISHED.
 * - On write, [method@Io.Stream.flush] converts with %G_CONVERTER_FLUSH and
 *   flushes the base, so that the reader gets every byte written so far;
 *   [method@Io.Stream.close] finishes the conversion
 *   (%G_CONVERTER_INPUT_AT_END: a gzip trailer) before closing the base,
 *   byte for byte what `GConverterOutputStream` writes. A stream closed
 *   before any read or write converts nothing.
 * - The converter's errors reach the caller with their codes
 *   (%G_IO_ERROR_INVALID_DATA for corrupt data).
 *
 * The converted bytes read are lent to the stream as its window (see
 * [struct@Io.StreamWindow]), so [method@Io.Stream.readline] and
 * [method@Io.Stream.getc] run on them without a call per byte; large reads
 * are converted straight into the caller's buffer.
 *
 * ```c
 * g_autoptr(GZlibDecompressor) gunzip =
 *   g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
 * g_autoptr(IoStream) file = io_file_stream_new ("log.gz", "rb", &error);
 * g_autoptr(IoStream) text = io_converter_stream_new (file, G_CONVERTER (gunzip));
 * g_autoptr(GBytes) line = io_stream_readline (text, -1, &error);
 * ```
 */

/* The size of the buffers, and how much a read fills at once. */
#define BUFFER_SIZE ((gsize) 64 * 1024)
/* Reads at least this large are converted into the caller's buffer. */
#define DIRECT_MIN ((gsize) 8 * 1024)

typedef enum {
  DIRECTION_NONE,
  DIRECTION_READ,
  DIRECTION_WRITE,
} Direction;

/* The bytes at data[start, end) of an allocation of capacity bytes. */
typedef struct
{
  guint8 *data;
  gsize start;
  gsize end;
  gsize capacity;
} Span;

/**
 * IoConverterStreamClass:
 * @parent_class: the parent class
 *
 * The class of [class@Io.ConverterStream], a final type: it cannot be subclassed.
 */

struct _IoConverterStream
{
  IoFilterStream parent_instance;

  GConverter *converter;
  Direction direction;
  /* Bytes the converter has not taken yet: read from the base, or written
   * to the stream (a partial character the converter needs the rest of). */
  Span input;
  /* Converted bytes: lent as the window when reading, not yet written to
   * the base when writing. */
  Span output;
  /* Reading: the base has ended. */
  gboolean input_at_end;
  gboolean finished;
};

G_DEFINE_FINAL_TYPE (IoConverterStream, io_converter_stream, IO_TYPE_FILTER_STREAM)

enum {
  PROP_0,
  PROP_CONVERTER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define BASE(self) io_filter_stream_get_base_stream ((IoFilterStream *) (self))


/* Spans */

static inline gsize
span_len (const Span *span)
{
  return span->end - span->start;
}

static void
span_consume (Span  *span,
              gsize  count)
{
  span->start += count;
  if (span->start == span->end)
    span->start = span->end = 0;
}

/* Makes room for at least @room bytes after the end, moving the bytes to
 * the start or growing the allocation. */
static gboolean
span_make_room (Span    *span,
                gsize    room,
                GError **error)
{
  gsize len = span_len (span);

  if (span->capacity - span->end >= room)
    return TRUE;
  if (span->start > 0)
    {
      memmove (span->data, span->data + span->start, len);
      span->start = 0;
      span->end = len;
    }
  if (span->capacity - len >= room)
    return TRUE;
  return io_grow_capacity (&span->data, &span->capacity, MAX (len + room, BUFFER_SIZE), error);
}

static void
span_clear (Span *span)
{
  g_clear_pointer (&span->data, g_free);
  span->start = span->end = span->capacity = 0;
}


/* The window
 *
 * While reading, the converted bytes not yet read are lent as the window,
 * so every vfunc claims it first, which takes the position back, and the
 * claim lends it again when it goes out of scope:
 *
 *   g_auto (WindowClaim) claim = claim_window (self);
 */
static void
lend_window (IoConverterStream *self)
{
  Span *output = &self->output;

  if (self->direction != DIRECTION_READ || output->data == NULL)
    io_stream_lend_window ((IoStream *) self, NULL, NULL, NULL);
  else
    io_stream_lend_window ((IoStream *) self, output->data + output->start,
                           output->data + output->end, NULL);
}

typedef IoConverterStream *WindowClaim;

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (WindowClaim, lend_window, NULL)

static inline WindowClaim
claim_window (IoConverterStream *self)
{
  const IoStreamWindow *window = io_stream_get_window ((IoStream *) self);

  if (window->pos != NULL)
    span_consume (&self->output, (gsize) (window->pos - self->output.data) - self->output.start);
  return self;
}

/* Fixes the direction at the first operation; the other one is then no
 * longer readable() or writable(). */
static gboolean
take_direction (IoConverterStream  *self,
                Direction           direction,
                GError            **error)
{
  if G_LIKELY (self->direction == direction)
    return TRUE;
  if (self->direction != DIRECTION_NONE)
    return io_stream_set_unsupported_error (error, direction == DIRECTION_READ
                                                     ? "Stream is not readable: it converts writes"
                                                     : "Stream is not writable: it converts reads");
  self->direction = direction;
  io_stream_load_caps ((IoStream *) self);
  return TRUE;
}


/* Reading */

/* Reads more of the base after the input the converter has not taken. */
static gboolean
fill_input (IoConverterStream  *self,
            GError            **error)
{
  Span *input = &self->input;
  gssize n;

  if (!span_make_room (input, BUFFER_SIZE / 2, error))
    return FALSE;
  n = io_stream_read1 (BASE (self), input->data + input->end, input->capacity - input->end,
                       error);
  if (n < 0)
    return FALSE;
  if (n == 0)
    self->input_at_end = TRUE;
  input->end += (gsize) n;
  return TRUE;
}

/* After the end of a gzip member, starts the next one if there is more
 * input; the stream has ended otherwise. Zeros after a member are padding,
 * as gunzip and Python's gzip module take them. */
static gboolean
start_next_member (IoConverterStream  *self,
                   GError            **error)
{
  Span *input = &self->input;
  GZlibCompressorFormat format;

  if (!G_IS_ZLIB_DECOMPRESSOR (self->converter))
    return TRUE;
  g_object_get (self->converter, "format", &format, NULL);
  if (format != G_ZLIB_COMPRESSOR_FORMAT_GZIP)
    return TRUE;

  for (;;)
    {
      while (span_len (input) > 0 && input->data[input->start] == 0)
        span_consume (input, 1);
      if (span_len (input) > 0 || self->input_at_end)
        break;
      if (!fill_input (self, error))
        return FALSE;
    }
  if (span_len (input) > 0)
    {
      g_converter_reset (self->converter);
      self->finished = FALSE;
    }
  return TRUE;
}

/* Converts input into @dest (@size bytes), reading the base as the
 * converter asks, until at least one byte is converted or the conversion
 * has ended (*@written is then 0). */
static gboolean
convert_read (IoConverterStream  *self,
              guint8             *dest,
              gsize               size,
              gsize              *written,
              GError            **error)
{
  Span *input = &self->input;

  *written = 0;
  for (;;)
    {
      GError *local_error = NULL;
      GConverterResult result;
      gsize bytes_read;
      gsize bytes_written;

      if (self->finished && !start_next_member (self, error))
        return FALSE;
      if (self->finished)
        return TRUE;
      if (span_len (input) == 0 && !self->input_at_end)
        {
          if (!fill_input (self, error))
            return FALSE;
          continue;
        }

      result = g_converter_convert (self->converter, input->data + input->start,
                                    span_len (input), dest, size,
                                    self->input_at_end ? G_CONVERTER_INPUT_AT_END
                                                       : G_CONVERTER_NO_FLAGS,
                                    &bytes_read, &bytes_written, &local_error);
      if (result == G_CONVERTER_ERROR)
        {
          if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
            {
              g_propagate_error (error, local_error);
              return FALSE;
            }
          g_clear_error (&local_error);
          bytes_read = bytes_written = 0;
        }
      else
        {
          span_consume (input, bytes_read);
          if (result == G_CONVERTER_FINISHED)
            self->finished = TRUE;
          if (bytes_written > 0)
            {
              *written = bytes_written;
              return TRUE;
            }
        }

      /* The converter needs more input than there is. */
      if (bytes_read == 0 && !self->finished)
        {
          if (self->input_at_end)
            {
              g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                                   "Truncated input: the converted stream ends too early");
              return FALSE;
            }
          if (!fill_input (self, error))
            return FALSE;
        }
    }
}

/* Converts into the output span, which is empty, growing it while the
 * converter needs more room than it has. */
static gboolean
fill_output (IoConverterStream  *self,
             GError            **error)
{
  Span *output = &self->output;
  gsize room = BUFFER_SIZE;

  for (;;)
    {
      GError *local_error = NULL;
      gsize written;

      if (!span_make_room (output, room, error))
        return FALSE;
      if (convert_read (self, output->data + output->end, output->capacity - output->end,
                        &written, &local_error))
        {
          output->end += written;
          return TRUE;
        }
      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
      g_clear_error (&local_error);
      room = output->capacity * 2;
    }
}

static gssize
converter_read (IoStream  *stream,
                guint8    *buffer,
                gsize      count,
                GError   **error)
{
  IoConverterStream *self = (IoConverterStream *) stream;
  g_auto (WindowClaim) claim = claim_window (self);
  Span *output = &self->output;
  gsize n;

  if (!take_direction (self, DIRECTION_READ, error))
    return -1;

  if (span_len (output) == 0)
    {
      /* Large reads skip the copy, as GConverterInputStream's do. */
      if (count >= DIRECT_MIN)
        {
          GError *local_error = NULL;

          if (convert_read (self, buffer, count, &n, &local_error))
            return (gssize) n;
          if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
            {
              g_propagate_error (error, local_error);
              return -1;
            }
          g_clear_error (&local_error);
        }
      if (!fill_output (self, error))
        return -1;
    }

  n = MIN (count, span_len (output));
  memcpy (buffer, output->data + output->start, n);
  span_consume (output, n);
  return (gssize) n;
}

static GBytes *
converter_peek (IoStream  *stream,
                gsize      count,
                GError   **error)
{
  IoConverterStream *self = (IoConverterStream *) stream;
  g_auto (WindowClaim) claim = claim_window (self);
  Span *output = &self->output;

  if (!take_direction (self, DIRECTION_READ, error))
    return NULL;
  if (span_len (output) == 0 && !fill_output (self, error))
    return NULL;
  return g_bytes_new (output->data + output->start, MIN (count, span_len (output)));
}


/* Writing */

/* Writes every converted byte held to the base. */
static gboolean
drain_output (IoConverterStream  *self,
              GError            **error)
{
  Span *output = &self->output;
  gsize written = 0;
  gboolean done;

  if (span_len (output) == 0)
    return TRUE;
  done = io_stream_write_all (BASE (self), output->data + output->start, span_len (output),
                              &written, error);
  span_consume (output, written);
  return done;
}

/* One conversion of @data into the output span, grown while the converter
 * needs more room; *@consumed says how much of @data it took. */
static GConverterResult
convert_write (IoConverterStream  *self,
               const guint8       *data,
               gsize               size,
               GConverterFlags     flags,
               gsize              *consumed,
               GError            **error)
{
  Span *output = &self->output;
  gsize room = BUFFER_SIZE;

  for (;;)
    {
      GError *local_error = NULL;
      GConverterResult result;
      gsize written;

      if (!span_make_room (output, room, error))
        return G_CONVERTER_ERROR;
      result = g_converter_convert (self->converter, data, size, output->data + output->end,
                                    output->capacity - output->end, flags, consumed, &written,
                                    &local_error);
      if (result != G_CONVERTER_ERROR)
        {
          output->end += written;
          if (result == G_CONVERTER_FINISHED)
            self->finished = TRUE;
          return result;
        }
      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
        {
          g_propagate_error (error, local_error);
          return G_CONVERTER_ERROR;
        }
      g_clear_error (&local_error);
      room = output->capacity * 2;
    }
}

/* Converts @data and writes the result to the base, and returns how much
 * of @data was taken: all of it but what the converter needs more input
 * for (*@waiting is then TRUE), or less if an error stopped it after some
 * progress (the error comes back at the next write). */
static gssize
convert_and_write (IoConverterStream  *self,
                   const guint8       *data,
                   gsize               size,
                   gboolean           *waiting,
                   GError            **error)
{
  gsize done = 0;

  *waiting = FALSE;
  while (done < size && !self->finished)
    {
      GError *local_error = NULL;
      gsize consumed = 0;

      if (convert_write (self, data + done, size - done, G_CONVERTER_NO_FLAGS, &consumed,
                         &local_error) == G_CONVERTER_ERROR)
        {
          *waiting = g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT);
          if (!*waiting && done == 0)
            {
              g_propagate_error (error, local_error);
              return -1;
            }
          g_clear_error (&local_error);
          break;
        }
      done += consumed;
      if (!drain_output (self, done > 0 ? NULL : error))
        return done > 0 ? (gssize) done : -1;
      if (consumed == 0)
        {
          *waiting = TRUE;
          break;
        }
    }
  return (gssize) done;
}

static gssize
converter_write (IoStream      *stream,
                 const guint8  *buffer,
                 gsize          count,
                 GError       **error)
{
  IoConverterStream *self = (IoConverterStream *) stream;
  Span *input = &self->input;
  gboolean waiting;
  gssize n;

  if (!take_direction (self, DIRECTION_WRITE, error) || !drain_output (self, error))
    return -1;
  if (self->finished)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                           "Unexpected data after end of conversion");
      return -1;
    }

  if (span_len (input) == 0)
    {
      n = convert_and_write (self, buffer, count, &waiting, error);
      if (n < 0 || !waiting)
        return n;
      /* The converter takes the rest once it has more. */
      if (!span_make_room (input, count - (gsize) n, error))
        return n > 0 ? n : -1;
      memcpy (input->data + input->end, buffer + n, count - (gsize) n);
      input->end += count - (gsize) n;
      return (gssize) count;
    }

  /* The bytes the converter waits for more of come first: some of the new
   * ones go after them. */
  count = MIN (count, BUFFER_SIZE);
  if (!span_make_room (input, count, error))
    return -1;
  memcpy (input->data + input->end, buffer, count);
  input->end += count;
  n = convert_and_write (self, input->data + input->start, span_len (input), &waiting, error);
  if (n < 0)
    {
      input->end -= count;
      return -1;
    }
  span_consume (input, (gsize) n);
  return (gssize) count;
}

/* Flushes the converter (finishes it while the stream closes) and writes
 * what it gives to the base. */
static gboolean
finish_writing (IoConverterStream  *self,
                gboolean            closing,
                GError            **error)
{
  GConverterFlags flags = closing ? G_CONVERTER_INPUT_AT_END : G_CONVERTER_FLUSH;
  Span *input = &self->input;

  if (!drain_output (self, error))
    return FALSE;
  while (!self->finished)
    {
      GConverterResult result;
      gsize before = span_len (&self->output);
      gsize consumed;

      result = convert_write (self, input->data + input->start, span_len (input), flags,
                              &consumed, error);
      if (result == G_CONVERTER_ERROR)
        return FALSE;
      span_consume (input, consumed);
      if (result == G_CONVERTER_FLUSHED && !closing)
        break;
      if (consumed == 0 && span_len (&self->output) == before && !self->finished)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       "%s made no progress", G_OBJECT_TYPE_NAME (self->converter));
          return FALSE;
        }
      if (!drain_output (self, error))
        return FALSE;
    }
  return drain_output (self, error);
}

static gboolean
converter_flush (IoStream  *stream,
                 GError   **error)
{
  IoConverterStream *self = (IoConverterStream *) stream;

  if (self->direction == DIRECTION_WRITE &&
      !finish_writing (self, IO_STREAM_PRIV (stream)->closing, error))
    return FALSE;
  return IO_STREAM_CLASS (io_converter_stream_parent_class)->flush (stream, error);
}

static gboolean
converter_close (IoStream  *stream,
                 GError   **error)
{
  IoConverterStream *self = (IoConverterStream *) stream;
  gboolean closed = IO_STREAM_CLASS (io_converter_stream_parent_class)->close (stream, error);

  span_clear (&self->input);
  span_clear (&self->output);
  return closed;
}

static gboolean
converter_can_read (IoStream *stream)
{
  return IO_CONVERTER_STREAM (stream)->direction != DIRECTION_WRITE &&
         IO_STREAM_CLASS (io_converter_stream_parent_class)->can_read (stream);
}

static gboolean
converter_can_write (IoStream *stream)
{
  return IO_CONVERTER_STREAM (stream)->direction != DIRECTION_READ &&
         IO_STREAM_CLASS (io_converter_stream_parent_class)->can_write (stream);
}

static gboolean
converter_can_seek (IoStream *stream)
{
  return FALSE;
}

/**
 * io_converter_stream_get_converter: (get-property converter)
 * @self: an #IoConverterStream
 *
 * The converter the stream runs.
 *
 * Returns: (transfer none): the converter
 */
GConverter *
io_converter_stream_get_converter (IoConverterStream *self)
{
  g_return_val_if_fail (IO_IS_CONVERTER_STREAM (self), NULL);

  return self->converter;
}

static void
io_converter_stream_constructed (GObject *object)
{
  IoConverterStream *self = IO_CONVERTER_STREAM (object);
  IoStream *base;

  G_OBJECT_CLASS (io_converter_stream_parent_class)->constructed (object);

  if (self->converter == NULL)
    g_critical ("%s needs a converter", G_OBJECT_TYPE_NAME (object));

  /* A base that can go one way only fixes the direction now. */
  base = BASE (self);
  if (base != NULL && !io_stream_is_closed (base))
    {
      gboolean readable = io_stream_readable (base, NULL);
      gboolean writable = io_stream_writable (base, NULL);

      if (readable != writable)
        self->direction = readable ? DIRECTION_READ : DIRECTION_WRITE;
    }
}

static void
io_converter_stream_finalize (GObject *object)
{
  IoConverterStream *self = IO_CONVERTER_STREAM (object);

  g_clear_object (&self->converter);
  span_clear (&self->input);
  span_clear (&self->output);

  G_OBJECT_CLASS (io_converter_stream_parent_class)->finalize (object);
}

static void
io_converter_stream_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  IoConverterStream *self = IO_CONVERTER_STREAM (object);

  switch (prop_id)
    {
    case PROP_CONVERTER:
      g_value_set_object (value, self->converter);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
io_converter_stream_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  IoConverterStream *self = IO_CONVERTER_STREAM (object);

  switch (prop_id)
    {
    case PROP_CONVERTER:
      self->converter = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
io_converter_stream_class_init (IoConverterStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  IoStreamClass *stream_class = IO_STREAM_CLASS (klass);

  object_class->constructed = io_converter_stream_constructed;
  object_class->finalize = io_converter_stream_finalize;
  object_class->get_property = io_converter_stream_get_property;
  object_class->set_property = io_converter_stream_set_property;

  stream_class->can_read = converter_can_read;
  stream_class->can_write = converter_can_write;
  stream_class->can_seek = converter_can_seek;
  stream_class->read = converter_read;
  stream_class->write = converter_write;
  stream_class->seek = NULL;
  stream_class->tell = NULL;
  stream_class->truncate = NULL;
  stream_class->flush = converter_flush;
  stream_class->close = converter_close;
  stream_class->peek = converter_peek;

  /**
   * IoConverterStream:converter: (getter get_converter)
   *
   * The converter run on the bytes read or written, given at construction.
   */
  properties[PROP_CONVERTER] =
    g_param_spec_object ("converter", NULL, NULL,
                         G_TYPE_CONVERTER,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
io_converter_stream_init (IoConverterStream *self)
{
}

/**
 * io_converter_stream_new:
 * @base_stream: the stream to read from or write to
 * @converter: the converter to run
 *
 * Creates a stream that converts with @converter what it reads from
 * @base_stream, or what is written to it before it goes to @base_stream.
 * The stream closes @base_stream when it closes (see
 * [property@Io.FilterStream:close-base]).
 *
 * Returns: (transfer full) (type IoConverterStream): a new converter stream
 */
IoStream *
io_converter_stream_new (IoStream   *base_stream,
                         GConverter *converter)
{
  g_return_val_if_fail (IO_IS_STREAM (base_stream), NULL);
  g_return_val_if_fail (G_IS_CONVERTER (converter), NULL);

  return g_object_new (IO_TYPE_CONVERTER_STREAM,
                       "base-stream", base_stream,
                       "converter", converter,
                       NULL);
}
