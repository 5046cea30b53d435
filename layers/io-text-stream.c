/* io-text-stream.c: decoded text over a binary stream, as TextIOWrapper
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "io-text-lines-private.h"
#include "io-text-stream-private.h"

/**
 * IoTextStream:
 *
 * Text over a binary [class@Io.Stream], its buffer: CPython's
 * `io.TextIOWrapper`, with the same algorithm.
 *
 * Reads take the buffer's bytes with `read1()` in chunks of 8192 and keep
 * the decoded chunk, so any readable stream will do, buffered or not.
 * Text is UTF-8 in C (`char *` with a length, embedded NULs allowed) and
 * strings in the bindings; a length or limit counts characters, as
 * Python's do.
 *
 * - @encoding: UTF-8 by default (validated with `g_utf8_validate()`, no
 *   iconv); Python's codec names and aliases (`latin-1`, `utf-8-sig`,
 *   `utf_16`, `shift_jis`, …) and any name iconv knows.
 * - @errors: `strict` (the default), `replace`, `ignore`,
 *   `backslashreplace`, `surrogateescape` and `surrogatepass`. A
 *   decoding error is %G_IO_ERROR_INVALID_DATA naming the byte's offset
 *   in the stream. With `surrogateescape` an undecodable byte reads as
 *   U+DC80..U+DCFF in the 3-byte generalized UTF-8 of a lone surrogate,
 *   which is not valid UTF-8, and is written back as the byte;
 *   `surrogatepass` reads and writes UTF-8's encoded surrogates so.
 * - @newline: `NULL` (universal newlines, `\n` written as is), `""`
 *   (universal newlines, untranslated), `"\n"`, `"\r"` or `"\r\n"`
 *   (the line end, and what `\n` is written as), exactly as CPython.
 *
 * [method@Io.TextStream.tell] returns an [struct@Io.TextCookie] from
 * which [method@Io.TextStream.seek] restores the decoder's state, even in
 * the middle of a character of a stateful charset (UTF-16, utf-8-sig)
 * and inside a shifted run of ISO-2022-JP, -KR or -CN.
 *
 * Writes go to the buffer at once (as with `write_through`); with
 * @line_buffering a write holding `\n` or `\r` also flushes the buffer.
 */

/**
 * IoTextStreamClass:
 * @parent_class: the parent class
 *
 * The class of [class@Io.TextStream], a final type: it cannot be subclassed.
 */

G_DEFINE_FINAL_TYPE (IoTextStream, io_text_stream, G_TYPE_OBJECT)

GType io_text_stream_type;

enum {
  PROP_0,
  PROP_BUFFER,
  PROP_ENCODING,
  PROP_ERRORS,
  PROP_NEWLINE,
  PROP_LINE_BUFFERING,
  PROP_WRITE_THROUGH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
io_text_stream_finalize (GObject *object)
{
  IoTextStream *self = IO_TEXT_STREAM (object);

  g_clear_object (&self->buffer);
  g_free (self->encoding);
  g_free (self->errors_name);
  g_free (self->newline);
  io_text_newline_decoder_clear (&self->decoder);
  g_clear_pointer (&self->encoder, io_text_encoder_free);
  g_string_free (self->decoded, TRUE);
  g_byte_array_unref (self->snapshot_input);
  g_byte_array_unref (self->spare_input);
  g_free (self->chunk);

  G_OBJECT_CLASS (io_text_stream_parent_class)->finalize (object);
}

static void
io_text_stream_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  IoTextStream *self = IO_TEXT_STREAM (object);

  switch (prop_id)
    {
    case PROP_BUFFER:
      g_value_set_object (value, io_text_stream_get_buffer (self));
      break;
    case PROP_ENCODING:
      g_value_set_string (value, self->encoding);
      break;
    case PROP_ERRORS:
      g_value_set_string (value, self->errors_name);
      break;
    case PROP_NEWLINE:
      g_value_set_string (value, self->newline);
      break;
    case PROP_LINE_BUFFERING:
      g_value_set_boolean (value, self->line_buffering);
      break;
    case PROP_WRITE_THROUGH:
      g_value_set_boolean (value, self->write_through);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
io_text_stream_class_init (IoTextStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  __atomic_store_n (&io_text_stream_type, G_TYPE_FROM_CLASS (klass), __ATOMIC_RELAXED);
  object_class->finalize = io_text_stream_finalize;
  object_class->get_property = io_text_stream_get_property;

  /**
   * IoTextStream:buffer: (getter get_buffer)
   *
   * The binary stream under the text, `NULL` once detached.
   */
  properties[PROP_BUFFER] =
    g_param_spec_object ("buffer", NULL, NULL, IO_TYPE_STREAM, flags);
  /**
   * IoTextStream:encoding: (getter get_encoding)
   *
   * The charset's name, as it was given.
   */
  properties[PROP_ENCODING] = g_param_spec_string ("encoding", NULL, NULL, NULL, flags);
  /**
   * IoTextStream:errors: (getter get_errors)
   *
   * The error handler's name.
   */
  properties[PROP_ERRORS] = g_param_spec_string ("errors", NULL, NULL, NULL, flags);
  /**
   * IoTextStream:newline: (getter get_newline)
   *
   * The newline mode: `NULL`, `""`, `"\n"`, `"\r"` or `"\r\n"`.
   */
  properties[PROP_NEWLINE] = g_param_spec_string ("newline", NULL, NULL, NULL, flags);
  /**
   * IoTextStream:line-buffering: (getter get_line_buffering)
   *
   * Whether a write holding a line end flushes the buffer.
   */
  properties[PROP_LINE_BUFFERING] =
    g_param_spec_boolean ("line-buffering", NULL, NULL, FALSE, flags);
  /**
   * IoTextStream:write-through: (getter get_write_through)
   *
   * Whether writes go to the buffer at once; they always do, the flag is
   * kept for `io.TextIOWrapper`'s API.
   */
  properties[PROP_WRITE_THROUGH] =
    g_param_spec_boolean ("write-through", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
io_text_stream_init (IoTextStream *self)
{
  self->decoded = g_string_new (NULL);
  self->snapshot_input = g_byte_array_new ();
  self->spare_input = g_byte_array_new ();
}

/* Errors of a detached or closed text stream, as CPython words them. */
gboolean
io_text_stream_check_open (IoTextStream  *self,
                           GError       **error)
{
  if (self->buffer == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED,
                           "underlying buffer has been detached");
      return FALSE;
    }
  if (io_stream_is_closed (self->buffer))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED,
                           "I/O operation on closed file.");
      return FALSE;
    }
  return TRUE;
}

gboolean
io_text_stream_check_readable (IoTextStream  *self,
                               GError       **error)
{
  if G_LIKELY (io_text_stream_can_read (self))
    return TRUE;
  if (!io_text_stream_check_open (self, error))
    return FALSE;
  if (self->decoder.decoder == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "not readable");
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_newline (const char  *newline,
               GError     **error)
{
  if (newline == NULL || g_strv_contains ((const char *const[]) { "", "\n", "\r", "\r\n", NULL },
                                          newline))
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               "illegal newline value: %s", newline);
  return FALSE;
}

/* _configure(): sets the charset, handlers and newline mode. */
static gboolean
configure (IoTextStream  *self,
           const char    *encoding,
           const char    *errors,
           const char    *newline,
           GError       **error)
{
  g_autoptr(IoTextDecoder) decoder = NULL;
  g_autoptr(IoTextEncoder) encoder = NULL;
  IoTextErrors handler;
  gint64 position;

  if (encoding == NULL)
    encoding = "utf-8";
  if (errors == NULL)
    errors = "strict";
  if (!check_newline (newline, error) || !io_text_errors_lookup (errors, &handler, error))
    return FALSE;
  if (io_stream_readable (self->buffer, NULL) &&
      (decoder = io_text_decoder_new (encoding, handler, error)) == NULL)
    return FALSE;
  if (io_stream_writable (self->buffer, NULL) &&
      (encoder = io_text_encoder_new (encoding, handler, error)) == NULL)
    return FALSE;
  if (decoder == NULL && encoder == NULL)
    {
      /* Still look the name up, as CPython does. */
      g_autoptr(IoTextEncoder) probe = io_text_encoder_new (encoding, handler, error);
      if (probe == NULL)
        return FALSE;
    }
  self->seekable = self->telling = io_stream_seekable (self->buffer, NULL);
  /* Not at the start of the stream, no byte order mark is written. */
  if (encoder != NULL && self->seekable)
    {
      position = io_stream_tell (self->buffer, error);
      if (position < 0)
        return FALSE;
      if (position != 0)
        io_text_encoder_skip_bom (encoder);
    }

  g_free (self->encoding);
  self->encoding = g_strdup (encoding);
  g_free (self->errors_name);
  self->errors_name = g_strdup (errors);
  g_free (self->newline);
  self->newline = g_strdup (newline);
  self->readuniversal = newline == NULL || newline[0] == '\0';
  self->readtranslate = newline == NULL;
  self->window_stop = self->readuniversal ? '\r' : strcmp (newline, "\n") == 0 ? '\n' : '\0';
  self->writenl = newline != NULL && newline[0] != '\0' && strcmp (newline, "\n") != 0 ?
                  self->newline : NULL;
  io_text_newline_decoder_clear (&self->decoder);
  io_text_newline_decoder_init (&self->decoder, g_steal_pointer (&decoder),
                                self->readuniversal, self->readtranslate);
  g_clear_pointer (&self->encoder, io_text_encoder_free);
  self->encoder = g_steal_pointer (&encoder);
  return TRUE;
}

/**
 * io_text_stream_new:
 * @buffer: the binary stream to read and write
 * @encoding: (nullable): the charset, `NULL` for UTF-8
 * @errors: (nullable): the error handler, `NULL` for `strict`
 * @newline: (nullable): the newline mode, see [class@Io.TextStream]
 * @line_buffering: whether a write holding a line end flushes @buffer
 * @write_through: kept for `io.TextIOWrapper`'s API: writes always go to
 *   @buffer at once
 * @error: return location for a #GError
 *
 * Makes a text stream over @buffer (`io.TextIOWrapper(buffer, encoding,
 * errors, newline, line_buffering, write_through)`). An unknown @encoding
 * fails with %G_IO_ERROR_NOT_SUPPORTED (Python's `LookupError`), an
 * unknown @errors or @newline with %G_IO_ERROR_INVALID_ARGUMENT.
 *
 * Returns: (transfer full) (nullable): the text stream, or `NULL` on error
 */
IoTextStream *
io_text_stream_new (IoStream    *buffer,
                    const char  *encoding,
                    const char  *errors,
                    const char  *newline,
                    gboolean     line_buffering,
                    gboolean     write_through,
                    GError     **error)
{
  g_autoptr(IoTextStream) self = NULL;

  g_return_val_if_fail (IO_IS_STREAM (buffer), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (IO_TYPE_TEXT_STREAM, NULL);
  self->buffer = g_object_ref (buffer);
  if (!io_text_stream_check_open (self, error) || !configure (self, encoding, errors, newline, error))
    return NULL;
  self->line_buffering = line_buffering;
  self->write_through = write_through;
  if (self->seekable)
    self->offset = MAX (io_stream_tell (buffer, NULL), 0);
  return g_steal_pointer (&self);
}

static gssize
write_text (IoTextStream  *self,
            const char    *text,
            gsize          len,
            GError       **error)
{
  g_autoptr(GString) translated = NULL;
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  gboolean haslf;
  gsize n_chars = io_text_utf8_count (text, len);

  if (!io_text_stream_check_open (self, error))
    return -1;
  if (self->encoder == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "not writable");
      return -1;
    }
  /* The text goes where CPython's would: after the chunk read last. */
  if (!io_text_stream_settle_window (self, error))
    return -1;
  haslf = (self->writenl != NULL || self->line_buffering) && memchr (text, '\n', len) != NULL;
  if (haslf && self->writenl != NULL)
    {
      translated = g_string_sized_new (len + 16);
      io_text_newline_translate_write (text, len, self->writenl, translated);
      text = translated->str;
      len = translated->len;
    }
  if (!io_text_encoder_encode (self->encoder, text, len, bytes, error))
    return -1;
  if (!io_stream_write_all (self->buffer, bytes->data, bytes->len, NULL, error))
    return -1;
  self->offset += bytes->len;
  if (self->line_buffering && (haslf || memchr (text, '\r', len) != NULL) &&
      !io_stream_flush (self->buffer, error))
    return -1;
  io_text_stream_clear_decoded (self);
  if (self->decoder.decoder != NULL)
    io_text_newline_decoder_reset (&self->decoder);
  return n_chars;
}

/**
 * io_text_stream_write:
 * @self: an #IoTextStream
 * @text: UTF-8 text
 * @len: the length of @text in bytes, or -1 when it ends with a NUL (in
 *   the bindings, always -1; [method@Io.TextStream.write_bytes] takes text
 *   holding NULs)
 * @error: return location for a #GError
 *
 * Encodes @text, each `\n` as the newline mode says, and writes it all to
 * the buffer (Python's `write(str)`). Text the charset cannot encode fails
 * with %G_IO_ERROR_INVALID_DATA under `strict`; text that is not UTF-8
 * with %G_IO_ERROR_INVALID_ARGUMENT.
 *
 * Returns: the number of characters written, or -1 on error
 */
gssize
io_text_stream_write (IoTextStream  *self,
                      const char    *text,
                      gssize         len,
                      GError       **error)
{
  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), -1);
  g_return_val_if_fail (text != NULL || len == 0, -1);

  return write_text (self, text, len < 0 ? strlen (text) : (gsize) len, error);
}

/**
 * io_text_stream_write_bytes:
 * @self: an #IoTextStream
 * @text: UTF-8 text
 * @error: return location for a #GError
 *
 * The same as [method@Io.TextStream.write], for text in a #GBytes.
 *
 * Returns: the number of characters written, or -1 on error
 */
gssize
io_text_stream_write_bytes (IoTextStream  *self,
                            GBytes        *text,
                            GError       **error)
{
  gsize len;
  const char *data;

  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), -1);
  g_return_val_if_fail (text != NULL, -1);

  data = g_bytes_get_data (text, &len);
  return write_text (self, data != NULL ? data : "", len, error);
}

/**
 * io_text_stream_flush:
 * @self: an #IoTextStream
 * @error: return location for a #GError
 *
 * Flushes the buffer, and lets [method@Io.TextStream.tell] work again
 * after a loop over the lines.
 *
 * Returns: `TRUE` on success
 */
gboolean
io_text_stream_flush (IoTextStream  *self,
                      GError       **error)
{
  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), FALSE);

  if (!io_text_stream_check_open (self, error))
    return FALSE;
  self->telling = self->seekable;
  return io_stream_flush (self->buffer, error);
}

/**
 * io_text_stream_close:
 * @self: an #IoTextStream
 * @error: return location for a #GError
 *
 * Flushes and closes the buffer; closing a closed or detached stream
 * does nothing.
 *
 * Returns: `TRUE` on success
 */
gboolean
io_text_stream_close (IoTextStream  *self,
                      GError       **error)
{
  GError *flush_error = NULL;
  gboolean closed;

  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), FALSE);

  if (self->buffer == NULL || io_stream_is_closed (self->buffer))
    return TRUE;
  io_stream_flush (self->buffer, &flush_error);
  closed = io_stream_close (self->buffer, flush_error == NULL ? error : NULL);
  if (flush_error != NULL)
    {
      g_propagate_error (error, flush_error);
      return FALSE;
    }
  return closed;
}

/**
 * io_text_stream_is_closed:
 * @self: an #IoTextStream
 *
 * Whether the buffer is closed (Python's `closed`), or detached.
 *
 * Returns: `TRUE` if the stream is closed or detached
 */
gboolean
io_text_stream_is_closed (IoTextStream *self)
{
  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), TRUE);

  return self->buffer == NULL || io_stream_is_closed (self->buffer);
}

/**
 * io_text_stream_detach:
 * @self: an #IoTextStream
 * @error: return location for a #GError
 *
 * Flushes, then gives the buffer back (Python's `detach()`); every other
 * method then fails with %G_IO_ERROR_CLOSED.
 *
 * Returns: (transfer full) (nullable): the buffer, or `NULL` on error
 */
IoStream *
io_text_stream_detach (IoTextStream  *self,
                       GError       **error)
{
  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), NULL);

  if (!io_text_stream_flush (self, error) || !io_text_stream_settle_window (self, error))
    return NULL;
  io_text_stream_clear_decoded (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUFFER]);
  return g_steal_pointer (&self->buffer);
}

/**
 * io_text_stream_readable:
 * @self: an #IoTextStream
 * @error: return location for a #GError
 *
 * Whether the text can be read: whether the buffer can.
 *
 * Returns: `TRUE` if readable; `FALSE` with @error set when closed
 */
gboolean
io_text_stream_readable (IoTextStream  *self,
                         GError       **error)
{
  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), FALSE);

  return io_text_stream_check_open (self, error) && io_stream_readable (self->buffer, error);
}

/**
 * io_text_stream_writable:
 * @self: an #IoTextStream
 * @error: return location for a #GError
 *
 * Whether text can be written: whether the buffer can.
 *
 * Returns: `TRUE` if writable; `FALSE` with @error set when closed
 */
gboolean
io_text_stream_writable (IoTextStream  *self,
                         GError       **error)
{
  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), FALSE);

  return io_text_stream_check_open (self, error) && io_stream_writable (self->buffer, error);
}

/**
 * io_text_stream_seekable:
 * @self: an #IoTextStream
 * @error: return location for a #GError
 *
 * Whether [method@Io.TextStream.tell] and [method@Io.TextStream.seek]
 * work: whether the buffer can seek.
 *
 * Returns: `TRUE` if seekable; `FALSE` with @error set when closed
 */
gboolean
io_text_stream_seekable (IoTextStream  *self,
                         GError       **error)
{
  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), FALSE);

  return io_text_stream_check_open (self, error) && self->seekable;
}

/**
 * io_text_stream_get_buffer: (get-property buffer)
 * @self: an #IoTextStream
 *
 * The binary stream under the text.
 *
 * Returns: (transfer none) (nullable): the buffer, `NULL` once detached
 */
IoStream *
io_text_stream_get_buffer (IoTextStream *self)
{
  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), NULL);

  /* Left where CPython's reads leave it. Reading the rest of the window
   * chunk from the window cannot fail; a failure would show again on the
   * next read. */
  io_text_stream_settle_window (self, NULL);
  return self->buffer;
}

IoStream *
_io_text_stream_peek_buffer (IoTextStream *self)
{
  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), NULL);

  return self->buffer;
}

/**
 * io_text_stream_get_encoding: (get-property encoding)
 * @self: an #IoTextStream
 *
 * The charset's name, as it was given (`utf-8` for the default).
 *
 * Returns: (transfer none): the charset's name
 */
const char *
io_text_stream_get_encoding (IoTextStream *self)
{
  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), NULL);

  return self->encoding;
}

/**
 * io_text_stream_get_errors: (get-property errors)
 * @self: an #IoTextStream
 *
 * The error handler's name (`strict` for the default).
 *
 * Returns: (transfer none): the error handler's name
 */
const char *
io_text_stream_get_errors (IoTextStream *self)
{
  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), NULL);

  return self->errors_name;
}

/**
 * io_text_stream_get_newline: (get-property newline)
 * @self: an #IoTextStream
 *
 * The newline mode.
 *
 * Returns: (transfer none) (nullable): `NULL`, `""`, `"\n"`, `"\r"` or
 *   `"\r\n"`
 */
const char *
io_text_stream_get_newline (IoTextStream *self)
{
  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), NULL);

  return self->newline;
}

/**
 * io_text_stream_get_line_buffering: (get-property line-buffering)
 * @self: an #IoTextStream
 *
 * Whether a write holding a line end flushes the buffer.
 *
 * Returns: the line buffering flag
 */
gboolean
io_text_stream_get_line_buffering (IoTextStream *self)
{
  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), FALSE);

  return self->line_buffering;
}

/**
 * io_text_stream_get_write_through: (get-property write-through)
 * @self: an #IoTextStream
 *
 * The write-through flag given (writes always reach the buffer at once).
 *
 * Returns: the write-through flag
 */
gboolean
io_text_stream_get_write_through (IoTextStream *self)
{
  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), FALSE);

  return self->write_through;
}

/**
 * io_text_stream_get_newlines:
 * @self: an #IoTextStream
 *
 * The line ends read so far in the universal newline modes (Python's
 * `newlines`), in the order `\r`, `\n`, `\r\n`.
 *
 * Returns: (transfer full) (array zero-terminated=1) (nullable): the line
 *   ends seen, or `NULL` when none was or the mode is not universal
 */
char **
io_text_stream_get_newlines (IoTextStream *self)
{
  static const char *const names[] = { "\r", "\n", "\r\n" };
  g_autoptr(GStrvBuilder) builder = NULL;
  gboolean any = FALSE;

  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), NULL);

  builder = g_strv_builder_new ();
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (self->decoder.seen & (1u << i))
      {
        g_strv_builder_add (builder, names[i]);
        any = TRUE;
      }
  return any ? g_strv_builder_end (builder) : NULL;
}

/**
 * io_text_stream_reconfigure:
 * @self: an #IoTextStream
 * @encoding: (nullable): the new charset, or `NULL` to keep it
 * @errors: (nullable): the new error handler, or `NULL` to keep it
 *   (`strict` when @encoding changes)
 * @set_newline: whether to change the newline mode to @newline
 * @newline: (nullable): the new newline mode when @set_newline
 * @line_buffering: 1 or 0 to set line buffering, -1 to keep it
 * @write_through: 1 or 0 to set write-through, -1 to keep it
 * @error: return location for a #GError
 *
 * Changes the configuration (Python's `reconfigure()`), after flushing.
 * The charset and newline mode cannot change once text has been read and
 * not given up by a seek or a write (%G_IO_ERROR_NOT_SUPPORTED).
 *
 * Returns: `TRUE` on success
 */
gboolean
io_text_stream_reconfigure (IoTextStream  *self,
                            const char    *encoding,
                            const char    *errors,
                            gboolean       set_newline,
                            const char    *newline,
                            int            line_buffering,
                            int            write_through,
                            GError       **error)
{
  g_autofree char *old_newline = NULL;

  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), FALSE);

  if (self->has_decoded && (encoding != NULL || errors != NULL || set_newline))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           "It is not possible to set the encoding or newline "
                           "of stream after the first read");
      return FALSE;
    }
  if (!io_text_stream_check_open (self, error))
    return FALSE;
  if (errors == NULL)
    errors = encoding == NULL ? self->errors_name : "strict";
  if (encoding == NULL)
    encoding = self->encoding;
  old_newline = g_strdup (self->newline);
  if (!set_newline)
    newline = old_newline;
  if (!check_newline (newline, error) || !io_text_stream_flush (self, error))
    return FALSE;
  if (encoding != self->encoding || errors != self->errors_name || set_newline)
    {
      g_autofree char *enc = g_strdup (encoding), *err = g_strdup (errors);

      if (!configure (self, enc, err, newline, error))
        return FALSE;
    }
  if (line_buffering >= 0)
    self->line_buffering = line_buffering != 0;
  if (write_through >= 0)
    self->write_through = write_through != 0;
  return TRUE;
}
