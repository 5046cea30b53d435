/* io-text-stream-read.c: Io.TextStream's chunks, reads and lines
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "io-text-stream-private.h"

#ifdef IO_TEXT_HAVE_AVX2
#include <immintrin.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <gio/gio.h>
#include <string.h>

#include "io-buffered-private.h"
#include "io-buffered-random.h"
#include "io-buffered-reader.h"
#include "io-stream-inline-private.h"

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
  self->window_left = 0;
}

/* Window chunks. CPython's readline() decodes the buffer a chunk of 8192
 * bytes at a time (a read1()), and looks for lines in the decoded text.
 * When the chunk that read1() would return is all in the buffer's window,
 * plain ASCII and, in universal mode, without '\r', its text is its bytes:
 * the lines are then taken straight from the window instead
 * (io-text-stream-lines.c), as a binary readline takes them, with no copy
 * into a decoded chunk. Everything CPython shows of a chunk is kept: a
 * decoding error anywhere in it stops the chunk from being a window chunk,
 * so the ordinary read fails where CPython's does; the newlines seen and
 * the bytes-per-character ratio are those of its decoding; tell() gives
 * the position CPython's computes for ASCII text; and whatever would see
 * the buffer's position, or the decoded text (read(), a write, truncate(),
 * detach(), the buffer property), first reads the rest of the chunk as an
 * ordinary one, leaving the buffer where CPython leaves it. */

/* 64 bytes a step, with no branch until the end: a chunk is mostly
 * plain. */
gboolean
io_text_is_plain_sse2 (const guint8 *p,
                       gsize         n,
                       char          stop)
{
  gsize i = 0;

#ifdef __SSE2__
  const __m128i vstop = _mm_set1_epi8 (stop);
  __m128i bad = _mm_setzero_si128 ();

  for (; i + 64 <= n; i += 64)
    for (guint j = 0; j < 64; j += 16)
      {
        __m128i block = _mm_loadu_si128 ((const __m128i *) (const void *) (p + i + j));

        bad = _mm_or_si128 (bad, _mm_or_si128 (block, _mm_cmpeq_epi8 (block, vstop)));
      }
  if (_mm_movemask_epi8 (bad) != 0)
    return FALSE;
#endif
  for (; i < n; i++)
    if (p[i] >= 0x80 || p[i] == (guint8) stop)
      return FALSE;
  return TRUE;
}

#ifdef IO_TEXT_HAVE_AVX2
/* Two 32-byte halves a step: half the instructions of the SSE2 loop. */
__attribute__ ((target ("avx2"))) gboolean
io_text_is_plain_avx2 (const guint8 *p,
                       gsize         n,
                       char          stop)
{
  const __m256i vstop = _mm256_set1_epi8 (stop);
  __m256i bad = _mm256_setzero_si256 ();
  gsize i = 0;

  for (; i + 64 <= n; i += 64)
    {
      __m256i lo = _mm256_loadu_si256 ((const __m256i *) (const void *) (p + i));
      __m256i hi = _mm256_loadu_si256 ((const __m256i *) (const void *) (p + i + 32));

      bad = _mm256_or_si256 (bad, _mm256_or_si256 (_mm256_or_si256 (lo, hi),
                                                   _mm256_or_si256 (_mm256_cmpeq_epi8 (lo, vstop),
                                                                    _mm256_cmpeq_epi8 (hi, vstop))));
    }
  return _mm256_movemask_epi8 (bad) == 0 && io_text_is_plain_sse2 (p + i, n - i, stop);
}
#endif

typedef gboolean (*IsPlainFunc) (const guint8 *p,
                                 gsize         n,
                                 char          stop);

static gboolean
is_plain (const guint8 *p,
          gsize         n,
          char          stop)
{
  static IsPlainFunc chosen;
  IsPlainFunc func = __atomic_load_n (&chosen, __ATOMIC_RELAXED);

  if G_UNLIKELY (func == NULL)
    {
      func = io_text_is_plain_sse2;
#ifdef IO_TEXT_HAVE_AVX2
      if (__builtin_cpu_supports ("avx2"))
        func = io_text_is_plain_avx2;
#endif
      __atomic_store_n (&chosen, func, __ATOMIC_RELAXED);
    }
  return func (p, n, stop);
}

/* Whether io_stream_peek() fills @buffer's window with the very raw read
 * that the read1() of a chunk would make: a buffered reader's or random's
 * larger than a chunk (a read1() of a buffer or more bypasses it). */
static gboolean
peek_fills_as_read1 (IoStream *buffer)
{
  return (IO_IS_BUFFERED_READER (buffer) || IO_IS_BUFFERED_RANDOM (buffer)) &&
         io_buffered_get_buffer_size (buffer) > CHUNK_SIZE;
}

/* The chunk read1() would return next, when it is all in the buffer's
 * window: its size, with *@plain saying whether it may be a window
 * chunk; 0 when the window is empty (or the buffer cannot be used now). */
static gsize
window_chunk (IoTextStream *self,
              gboolean     *plain,
              gboolean     *has_lf)
{
  IoStreamPrivate *priv;
  gboolean taken;
  gsize n;

  if ((priv = io_stream_inline_enter_stream (self->buffer, &taken)) == NULL)
    return 0;
  n = MIN (io_window_readable (&priv->window), CHUNK_SIZE);
  if (n > 0)
    {
      /* With newline "\n", '\r' is text like any other. */
      *plain = is_plain (priv->window.pos, n, self->window_stop == '\n' ? '\0' : self->window_stop);
      *has_lf = *plain && memchr (priv->window.pos, '\n', n) != NULL;
    }
  io_stream_inline_leave (priv, taken);
  return n;
}

IoTextWindowChunk
io_text_stream_begin_window_chunk (IoTextStream  *self,
                                   GError       **error)
{
  gboolean plain = FALSE, has_lf = FALSE;
  gsize n;

  if (self->window_stop == '\0' || !self->decoder.clean_ascii || self->buffer == NULL)
    return IO_TEXT_WINDOW_CHUNK_NONE;
  n = window_chunk (self, &plain, &has_lf);
  if (n == 0 && peek_fills_as_read1 (self->buffer))
    {
      GBytes *ahead = io_stream_peek (self->buffer, 1, error);

      if (ahead == NULL)
        return IO_TEXT_WINDOW_CHUNK_ERROR;
      n = g_bytes_get_size (ahead);
      g_bytes_unref (ahead);
      /* The end, which a read1() must not be asked again (a terminal
       * would wait for more): what its empty chunk would leave. */
      if (n == 0)
        {
          io_text_stream_clear_decoded (self);
          self->has_decoded = TRUE;
          self->ratio = 0.0;
          return IO_TEXT_WINDOW_CHUNK_END;
        }
      n = window_chunk (self, &plain, &has_lf);
    }
  if (n == 0 || !plain)
    return IO_TEXT_WINDOW_CHUNK_NONE;
  g_string_truncate (self->decoded, 0);
  self->used = 0;
  self->window_left = n;
  /* As a read chunk counts: the buffer's position after it. */
  self->offset += n;
  self->has_decoded = TRUE;
  self->has_snapshot = FALSE;
  self->ratio = 1.0;
  self->ratio_bytes = 0;
  if (self->decoder.universal && has_lf)
    self->decoder.seen |= IO_TEXT_SEEN_LF;
  return IO_TEXT_WINDOW_CHUNK_STARTED;
}

gboolean
io_text_stream_settle_window (IoTextStream  *self,
                              GError       **error)
{
  gsize left = self->window_left;

  if (left == 0)
    return TRUE;
  self->window_left = 0;
  self->offset -= left;
  return io_text_stream_read_chunk (self, 0, left, error) >= 0;
}

/* _read_chunk(): decodes the next chunk of the buffer, at least 8192
 * bytes or what @size_hint characters take at the last chunk's ratio, at
 * most @max_size when not 0, and keeps a snapshot of the decoder's state
 * before it. Returns 1, 0 at the end of the buffer when it made no
 * characters, or -1 on error. */
int
io_text_stream_read_chunk (IoTextStream  *self,
                           gsize          size_hint,
                           gsize          max_size,
                           GError       **error)
{
  gsize n_pending, size = CHUNK_SIZE;
  const guint8 *pending;
  guint8 *chunk;
  guint64 flags;
  gssize n;

  if (size_hint > 0)
    size = MAX (size, (gsize) (MAX (io_text_stream_get_ratio (self), 1.0) * size_hint));
  if (max_size > 0)
    size = MIN (size, max_size);
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

  if (!io_text_stream_check_readable (self, error) || !io_text_stream_settle_window (self, error))
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
      int more = io_text_stream_read_chunk (self, n_chars - got, 0, error);

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
