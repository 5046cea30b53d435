/* io-text-stream-seek.c: Io.TextStream's tell(), seek() and truncate()
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "io-text-stream-private.h"

static gboolean
check_seekable (IoTextStream  *self,
                GError       **error)
{
  if (!io_text_stream_check_open (self, error))
    return FALSE;
  if (!self->seekable)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           "underlying stream is not seekable");
      return FALSE;
    }
  return TRUE;
}

/**
 * io_text_stream_tell:
 * @self: an #IoTextStream
 * @cookie: (out caller-allocates): return location for the position
 * @error: return location for a #GError
 *
 * Gives the position of the next character to read (Python's `tell()`):
 * the byte position where decoding can restart and how to get from there
 * to the character, found by replaying the decoder as CPython does.
 *
 * Returns: `TRUE` on success
 */
gboolean
io_text_stream_tell (IoTextStream  *self,
                     IoTextCookie  *cookie,
                     GError       **error)
{
  gint64 position;
  gsize chars_to_skip;

  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), FALSE);
  g_return_val_if_fail (cookie != NULL, FALSE);

  memset (cookie, 0, sizeof *cookie);
  if (!check_seekable (self, error))
    return FALSE;
  if (!self->telling)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           "telling position disabled by next() call");
      return FALSE;
    }
  if (!io_stream_flush (self->buffer, error))
    return FALSE;
  position = io_stream_tell (self->buffer, error);
  if (position < 0)
    return FALSE;
  if (self->decoder.decoder == NULL || !self->has_snapshot)
    {
      cookie->position = position;
      return TRUE;
    }
  position -= self->snapshot_input->len;
  chars_to_skip = io_text_utf8_count (self->decoded->str, self->used);
  if (chars_to_skip == 0)
    {
      cookie->position = position;
      cookie->dec_flags = self->snapshot_flags;
      return TRUE;
    }
  return io_text_cookie_reconstruct (&self->decoder, self->snapshot_flags,
                                     self->snapshot_input->data, self->snapshot_input->len,
                                     position, chars_to_skip, io_text_stream_get_ratio (self), cookie, error);
}

/* _reset_encoder(): a byte order mark only at the start of the stream. */
static void
reset_encoder (IoTextStream *self,
               gboolean      at_start)
{
  if (self->encoder == NULL)
    return;
  if (at_start)
    io_text_encoder_reset (self->encoder);
  else
    io_text_encoder_skip_bom (self->encoder);
}

/**
 * io_text_stream_seek:
 * @self: an #IoTextStream
 * @cookie: a position from [method@Io.TextStream.tell], or one holding
 *   only a byte @position
 * @error: return location for a #GError
 *
 * Goes back to a position [method@Io.TextStream.tell] gave (Python's
 * `seek(cookie)`), restoring the decoder's state. A zeroed cookie is the
 * start of the stream.
 *
 * Returns: `TRUE` on success
 */
gboolean
io_text_stream_seek (IoTextStream        *self,
                     const IoTextCookie  *cookie,
                     GError             **error)
{
  gboolean at_start;

  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), FALSE);
  g_return_val_if_fail (cookie != NULL, FALSE);

  if (!check_seekable (self, error))
    return FALSE;
  if (cookie->position < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "negative seek position %" G_GINT64_FORMAT, cookie->position);
      return FALSE;
    }
  if (!io_text_stream_flush (self, error) ||
      io_stream_seek (self->buffer, cookie->position, IO_WHENCE_SET, error) < 0)
    return FALSE;
  self->offset = cookie->position;
  io_text_stream_clear_decoded (self);
  /* As CPython, a cookie at byte 0 with no flags resets the decoder and
   * the encoder, for the byte order mark. */
  at_start = cookie->position == 0 && cookie->dec_flags == 0;
  if (self->decoder.decoder != NULL)
    {
      if (at_start)
        io_text_newline_decoder_reset (&self->decoder);
      else
        io_text_newline_decoder_set_flags (&self->decoder, cookie->dec_flags);
      self->has_snapshot = TRUE;
      self->snapshot_flags = cookie->dec_flags;
      g_byte_array_set_size (self->snapshot_input, 0);
    }
  if (cookie->chars_to_skip > 0)
    {
      g_autoptr(GBytes) input = NULL;
      const guint8 *data;
      gsize len;

      if (!io_text_stream_check_readable (self, error))
        return FALSE;
      input = io_stream_read_bytes (self->buffer, cookie->bytes_to_feed, error);
      if (input == NULL)
        return FALSE;
      data = g_bytes_get_data (input, &len);
      if (!io_text_newline_decoder_decode (&self->decoder, data, len, cookie->need_eof,
                                           self->offset, self->decoded, error))
        return FALSE;
      self->offset += len;
      self->has_decoded = TRUE;
      g_byte_array_append (self->snapshot_input, data, len);
      if (io_text_utf8_count (self->decoded->str, self->decoded->len) < cookie->chars_to_skip)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                               "can't restore logical file position");
          return FALSE;
        }
      self->used = io_text_chars_to_bytes (self->decoded->str, self->decoded->len,
                                   cookie->chars_to_skip);
    }
  reset_encoder (self, at_start);
  return TRUE;
}

/**
 * io_text_stream_seek_end:
 * @self: an #IoTextStream
 * @error: return location for a #GError
 *
 * Goes to the end of the stream (Python's `seek(0, SEEK_END)`).
 *
 * Returns: the byte position of the end, or -1 on error
 */
gint64
io_text_stream_seek_end (IoTextStream  *self,
                         GError       **error)
{
  gint64 position;

  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), -1);

  if (!check_seekable (self, error) || !io_text_stream_flush (self, error))
    return -1;
  position = io_stream_seek (self->buffer, 0, IO_WHENCE_END, error);
  if (position < 0)
    return -1;
  self->offset = position;
  io_text_stream_clear_decoded (self);
  if (self->decoder.decoder != NULL)
    io_text_newline_decoder_reset (&self->decoder);
  reset_encoder (self, position == 0);
  return position;
}

/**
 * io_text_stream_truncate:
 * @self: an #IoTextStream
 * @size: the new size in bytes, or -1 for the buffer's position
 * @error: return location for a #GError
 *
 * Flushes, then resizes the buffer (Python's `truncate(pos)`). As in
 * CPython, -1 is the buffer's position, which is past the characters
 * decoded ahead of the text's position.
 *
 * Returns: the new size, or -1 on error
 */
gint64
io_text_stream_truncate (IoTextStream  *self,
                         gint64         size,
                         GError       **error)
{
  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), -1);

  /* Without a size, the buffer's position: the end of the chunk read. */
  if (!io_text_stream_flush (self, error) || !io_text_stream_settle_window (self, error))
    return -1;
  return io_stream_truncate (self->buffer, size, error);
}

