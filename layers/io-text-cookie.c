/* io-text-cookie.c: Io.TextStream's tell() cookie and its snapshot replay
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "io-text-cookie-private.h"

G_DEFINE_BOXED_TYPE (IoTextCookie, io_text_cookie, io_text_cookie_copy, io_text_cookie_free)

/**
 * io_text_cookie_copy:
 * @cookie: a cookie
 *
 * Copies @cookie.
 *
 * Returns: (transfer full): a copy of @cookie
 */
IoTextCookie *
io_text_cookie_copy (const IoTextCookie *cookie)
{
  g_return_val_if_fail (cookie != NULL, NULL);

  return g_memdup2 (cookie, sizeof *cookie);
}

/**
 * io_text_cookie_free:
 * @cookie: a cookie from [method@Io.TextCookie.copy]
 *
 * Frees @cookie.
 */
void
io_text_cookie_free (IoTextCookie *cookie)
{
  g_free (cookie);
}

gsize
io_text_utf8_count (const char *text,
                    gsize       len)
{
  gsize n = 0;

  for (gsize i = 0; i < len; i++)
    n += ((guchar) text[i] & 0xc0) != 0x80;
  return n;
}

/* How many characters @decoder makes of @len bytes (not the end). */
static gboolean
count_decoded (IoTextNewlineDecoder  *decoder,
               const guint8          *input,
               gsize                  len,
               gboolean               final,
               gint64                 offset,
               GString               *scratch,
               gsize                 *n_chars,
               GError               **error)
{
  g_string_truncate (scratch, 0);
  if (!io_text_newline_decoder_decode (decoder, input, len, final, offset, scratch, error))
    return FALSE;
  *n_chars = io_text_utf8_count (scratch->str, scratch->len);
  return TRUE;
}

/* The saved state of a decoder: its flags and pending bytes. */
typedef struct {
  guint64 flags;
  guint8 pending[32];
  gsize n_pending;
} SavedState;

static void
save_state (IoTextNewlineDecoder *decoder,
            SavedState           *saved)
{
  const guint8 *pending = io_text_newline_decoder_get_state (decoder, &saved->n_pending,
                                                             &saved->flags);

  g_assert (saved->n_pending <= sizeof saved->pending);
  memcpy (saved->pending, pending, saved->n_pending);
}

static void
restore_state (IoTextNewlineDecoder *decoder,
               SavedState           *saved)
{
  io_text_newline_decoder_set_state (decoder, saved->pending, saved->n_pending, saved->flags);
}

static gboolean
reconstruct (IoTextNewlineDecoder  *decoder,
             guint64                dec_flags,
             const guint8          *next_input,
             gsize                  len,
             gint64                 position,
             gsize                  chars_to_skip,
             double                 ratio,
             IoTextCookie          *cookie,
             GString               *scratch,
             GError               **error)
{
  gsize skip_bytes = MIN ((gsize) (ratio * chars_to_skip), len), skip_back = 1;
  gsize bytes_fed = 0, chars_decoded = 0, n, n_pending;
  guint64 start_flags;
  gint64 start_pos;

  /* Look for the most recent point before the position where the decoder
   * holds nothing, starting from the guess @ratio gives. */
  while (skip_bytes > 0)
    {
      io_text_newline_decoder_set_flags (decoder, dec_flags);
      if (!count_decoded (decoder, next_input, skip_bytes, FALSE, position, scratch, &n, error))
        return FALSE;
      if (n <= chars_to_skip)
        {
          guint64 flags;

          io_text_newline_decoder_get_state (decoder, &n_pending, &flags);
          if (n_pending == 0)
            {
              dec_flags = flags;
              chars_to_skip -= n;
              break;
            }
          skip_bytes -= n_pending;
          skip_back = 1;
        }
      else
        {
          skip_bytes -= MIN (skip_back, skip_bytes);
          skip_back *= 2;
        }
    }
  if (skip_bytes == 0)
    io_text_newline_decoder_set_flags (decoder, dec_flags);

  start_pos = position + skip_bytes;
  start_flags = dec_flags;
  memset (cookie, 0, sizeof *cookie);
  cookie->position = start_pos;
  cookie->dec_flags = start_flags;
  if (chars_to_skip == 0)
    return TRUE;

  /* Feed the decoder one byte at a time, noting each point where it holds
   * nothing, until it has made the characters to skip. */
  for (gsize i = skip_bytes; i < len; i++)
    {
      guint64 flags;

      bytes_fed++;
      if (!count_decoded (decoder, next_input + i, 1, FALSE, position + i, scratch, &n, error))
        return FALSE;
      chars_decoded += n;
      io_text_newline_decoder_get_state (decoder, &n_pending, &flags);
      if (n_pending == 0 && chars_decoded <= chars_to_skip)
        {
          start_pos += bytes_fed;
          chars_to_skip -= chars_decoded;
          start_flags = flags;
          bytes_fed = chars_decoded = 0;
        }
      if (chars_decoded >= chars_to_skip)
        goto found;
    }
  if (!count_decoded (decoder, NULL, 0, TRUE, position + len, scratch, &n, error))
    return FALSE;
  chars_decoded += n;
  cookie->need_eof = TRUE;
  if (chars_decoded < chars_to_skip)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "can't reconstruct logical file position");
      return FALSE;
    }

found:
  cookie->position = start_pos;
  cookie->dec_flags = start_flags;
  cookie->bytes_to_feed = bytes_fed;
  cookie->chars_to_skip = chars_to_skip;
  return TRUE;
}

gboolean
io_text_cookie_reconstruct (IoTextNewlineDecoder  *decoder,
                            guint64                dec_flags,
                            const guint8          *next_input,
                            gsize                  len,
                            gint64                 position,
                            gsize                  chars_to_skip,
                            double                 ratio,
                            IoTextCookie          *cookie,
                            GError               **error)
{
  g_autoptr(GString) scratch = g_string_new (NULL);
  SavedState saved;
  IoTextSeenNewlines seen = decoder->seen;
  gboolean ok;

  save_state (decoder, &saved);
  ok = reconstruct (decoder, dec_flags, next_input, len, position, chars_to_skip, ratio,
                    cookie, scratch, error);
  restore_state (decoder, &saved);
  decoder->seen = seen;
  return ok;
}
