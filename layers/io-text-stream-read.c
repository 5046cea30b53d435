/* io-text-stream-read.c: Io.TextStream's chunks, reads and lines
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "io-text-stream-private.h"

/* The bytes per character of the last chunk read, CPython's b2cratio,
 * counted when first needed rather than for every chunk. */
double
io_text_stream_get_ratio (IoTextStream *self)
{
  if (self->ratio_bytes > 0)
    {
      gsize n_chars = io_text_utf8_count (self->decoded->str, self->decoded->len);

      self->ratio = n_chars > 0 ? (double) self->ratio_bytes / n_chars : 0.0;
      self->ratio_bytes = 0;
    }
  return self->ratio;
}

/* Forgets the decoded chunk and its snapshot. */
void
io_text_stream_clear_decoded (IoTextStream *self)
{
  io_text_stream_get_ratio (self);
  g_string_truncate (self->decoded, 0);
  self->used = 0;
  self->has_decoded = FALSE;
  self->decoded_ascii = FALSE;
  self->has_snapshot = FALSE;
}

/* _read_chunk(): decodes the next chunk of the buffer, at least 8192
 * bytes or what @size_hint characters take at the last chunk's ratio, and
 * keeps a snapshot of the decoder's state before it. Returns 1, 0 at the
 * end of the buffer when it made no characters, or -1 on error. */
int
io_text_stream_read_chunk (IoTextStream  *self,
                           gsize          size_hint,
                           GError       **error)
{
  gsize n_pending, size = CHUNK_SIZE;
  const guint8 *pending;
  guint8 *chunk;
  guint64 flags;
  gssize n;

  if (size_hint > 0)
    size = MAX (size, (gsize) (MAX (io_text_stream_get_ratio (self), 1.0) * size_hint));
  /* With tell() on, the chunk is read straight after the pending bytes
   * into the next snapshot, which needs them both. */
  pending = io_text_newline_decoder_get_state (&self->decoder, &n_pending, &flags);
  if (self->telling)
    {
      g_byte_array_set_size (self->spare_input, 0);
      g_byte_array_append (self->spare_input, pending, n_pending);
      g_byte_array_set_size (self->spare_input, n_pending + size);
      chunk = self->spare_input->data + n_pending;
    }
  else
    {
      if (size > self->chunk_capacity)
        {
          g_free (self->chunk);
          self->chunk = g_malloc (size);
          self->chunk_capacity = size;
        }
      chunk = self->chunk;
    }
  n = io_stream_read1 (self->buffer, chunk, size, error);
  if (self->telling)
    g_byte_array_set_size (self->spare_input, n_pending + MAX (n, 0));
  if (n < 0)
    return -1;
  g_string_truncate (self->decoded, 0);
  self->used = 0;
  self->has_decoded = TRUE;
  self->decoded_ascii = FALSE;
  self->offset += n;
  self->ratio = 0.0;
  self->ratio_bytes = 0;
  if (!io_text_newline_decoder_decode (&self->decoder, chunk, n, n == 0, self->offset - n,
                                       self->decoded, error))
    return -1;
  if (self->decoded->len > 0)
    self->ratio_bytes = n;
  self->decoded_ascii = io_text_decoder_was_ascii (self->decoder.decoder);
  if (self->telling)
    {
      GByteArray *input = self->spare_input;

      self->spare_input = self->snapshot_input;
      self->snapshot_input = input;
      self->snapshot_flags = flags;
      self->has_snapshot = TRUE;
    }
  return n > 0 || self->decoded->len > 0;
}

/* The byte length of the first @n_chars characters of @text (all of it
 * when shorter). */
gsize
io_text_chars_to_bytes (const char *text,
                        gsize       len,
                        gsize       n_chars)
{
  const char *p = text, *end = text + len;

  if (n_chars >= len)
    return len;
  for (; n_chars > 0 && p < end; n_chars--)
    p = g_utf8_next_char (p);
  return MIN (p, end) - text;
}

/* _get_decoded_chars(n): takes up to @n_chars (all when negative). */
static void
take_decoded (IoTextStream *self,
              gssize        n_chars,
              GString      *out)
{
  const char *text = self->decoded->str + self->used;
  gsize avail = self->decoded->len - self->used;
  gsize n = n_chars < 0 ? avail : io_text_chars_to_bytes (text, avail, n_chars);

  g_string_append_len (out, text, n);
  self->used += n;
}

static GString *
read_text (IoTextStream  *self,
           gssize         n_chars,
           GError       **error)
{
  g_autoptr(GString) result = g_string_new (NULL);

  if (!io_text_stream_check_readable (self, error))
    return NULL;
  if (n_chars < 0)
    {
      g_autoptr(GBytes) rest = NULL;
      gsize len;
      const guint8 *data;

      take_decoded (self, -1, result);
      rest = io_stream_readall (self->buffer, error);
      if (rest == NULL)
        return NULL;
      data = g_bytes_get_data (rest, &len);
      if (!io_text_newline_decoder_decode (&self->decoder, data, len, TRUE, self->offset,
                                           result, error))
        return NULL;
      self->offset += len;
      self->has_snapshot = FALSE;
      return g_steal_pointer (&result);
    }
  take_decoded (self, n_chars, result);
  for (gsize got = io_text_utf8_count (result->str, result->len); got < (gsize) n_chars;)
    {
      gsize before = result->len;
      int more = io_text_stream_read_chunk (self, n_chars - got, error);

      if (more < 0)
        return NULL;
      if (more == 0)
        break;
      take_decoded (self, n_chars - got, result);
      got += io_text_utf8_count (result->str + before, result->len - before);
    }
  return g_steal_pointer (&result);
}

/* The text of @string, with its length, for a C caller. */
static char *
steal_text (GString *string,
            gsize   *out_len)
{
  if (string == NULL)
    return NULL;
  if (out_len != NULL)
    *out_len = string->len;
  return g_string_free (string, FALSE);
}

/**
 * io_text_stream_read:
 * @self: an #IoTextStream
 * @n_chars: the number of characters to read, or -1 for all of them
 * @out_len: (out) (optional) (skip): return location for the text's length in bytes
 * @error: return location for a #GError
 *
 * Reads up to @n_chars characters, fewer only at the end of the stream
 * (Python's `read(n)`), or everything up to the end.
 *
 * Returns: (transfer full) (nullable): the UTF-8 text, empty at the end of
 *   the stream, or `NULL` on error
 */
char *
io_text_stream_read (IoTextStream  *self,
                     gssize         n_chars,
                     gsize         *out_len,
                     GError       **error)
{
  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), NULL);

  return steal_text (read_text (self, n_chars, error), out_len);
}

/**
 * io_text_stream_read_bytes:
 * @self: an #IoTextStream
 * @n_chars: the number of characters to read, or -1 for all of them
 * @error: return location for a #GError
 *
 * The same as [method@Io.TextStream.read], the text's UTF-8 bytes in a
 * #GBytes, for bindings and text holding NULs.
 *
 * Returns: (transfer full) (nullable): the UTF-8 bytes, or `NULL` on error
 */
GBytes *
io_text_stream_read_bytes (IoTextStream  *self,
                           gssize         n_chars,
                           GError       **error)
{
  GString *text;

  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), NULL);

  text = read_text (self, n_chars, error);
  return text != NULL ? g_string_free_to_bytes (text) : NULL;
}
