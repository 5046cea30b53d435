/* io-text-newline.c: newline translation for Io.TextStream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "io-text-newline-private.h"

static void
update_clean (IoTextNewlineDecoder *self)
{
  self->clean_ascii = self->decoder != NULL && !self->pendingcr &&
                     io_text_decoder_is_clean_ascii (self->decoder);
}

void
io_text_newline_decoder_init (IoTextNewlineDecoder *self,
                              IoTextDecoder        *decoder,
                              gboolean              universal,
                              gboolean              translate)
{
  memset (self, 0, sizeof *self);
  self->decoder = decoder;
  self->universal = universal;
  self->translate = universal && translate;
  update_clean (self);
}

void
io_text_newline_decoder_clear (IoTextNewlineDecoder *self)
{
  g_clear_pointer (&self->decoder, io_text_decoder_free);
  update_clean (self);
}

/* Notes the newlines of @text and, when translating, rewrites "\r\n" and
 * '\r' as '\n' in place; returns the new length. */
static gsize
scan_newlines (IoTextNewlineDecoder *self,
               char                 *text,
               gsize                 len)
{
  char *end = text + len, *cr = memchr (text, '\r', len), *w;

  if (memchr (text, '\n', (cr != NULL ? cr : end) - text) != NULL)
    self->seen |= IO_TEXT_SEEN_LF;
  if (cr == NULL)
    return len;
  w = cr;
  for (char *p = cr; p < end; p++)
    {
      if (*p == '\r')
        {
          gboolean crlf = p + 1 < end && p[1] == '\n';

          self->seen |= crlf ? IO_TEXT_SEEN_CRLF : IO_TEXT_SEEN_CR;
          p += crlf;
          if (self->translate)
            *w++ = '\n';
          continue;
        }
      if (*p == '\n')
        self->seen |= IO_TEXT_SEEN_LF;
      if (self->translate)
        *w++ = *p;
    }
  return self->translate ? (gsize) (w - text) : len;
}

gboolean
io_text_newline_decoder_decode (IoTextNewlineDecoder  *self,
                                const guint8          *input,
                                gsize                  len,
                                gboolean               final,
                                gint64                 offset,
                                GString               *out,
                                GError               **error)
{
  gsize start = out->len;
  gboolean decoded = io_text_decoder_decode (self->decoder, input, len, final, offset, out, error);

  if (decoded && self->universal)
    {
      if (self->pendingcr && (out->len > start || final))
        {
          g_string_insert_c (out, start, '\r');
          self->pendingcr = FALSE;
        }
      if (out->len > start && out->str[out->len - 1] == '\r' && !final)
        {
          g_string_truncate (out, out->len - 1);
          self->pendingcr = TRUE;
        }
      g_string_truncate (out, start + scan_newlines (self, out->str + start, out->len - start));
    }
  update_clean (self);
  return decoded;
}

const guint8 *
io_text_newline_decoder_get_state (IoTextNewlineDecoder *self,
                                   gsize                *n_pending,
                                   guint64              *flags)
{
  *flags = io_text_decoder_get_flags (self->decoder);
  if (self->universal)
    *flags = *flags << 1 | (self->pendingcr ? 1 : 0);
  return io_text_decoder_get_pending (self->decoder, n_pending);
}

void
io_text_newline_decoder_set_flags (IoTextNewlineDecoder *self,
                                   guint64               flags)
{
  io_text_decoder_set_flags (self->decoder, self->universal ? flags >> 1 : flags);
  self->pendingcr = self->universal && (flags & 1) != 0;
  update_clean (self);
}

void
io_text_newline_decoder_set_state (IoTextNewlineDecoder *self,
                                   const guint8         *pending,
                                   gsize                 n_pending,
                                   guint64               flags)
{
  g_autoptr(GString) scratch = g_string_new (NULL);
  gboolean pendingcr = self->universal && (flags & 1) != 0;

  /* The pending bytes cannot make characters alone, and the held '\r'
   * is set last so that they do not release it. */
  io_text_newline_decoder_set_flags (self, self->universal ? flags & ~(guint64) 1 : flags);
  io_text_newline_decoder_decode (self, pending, n_pending, FALSE, 0, scratch, NULL);
  self->pendingcr = pendingcr;
  update_clean (self);
}

void
io_text_newline_decoder_reset (IoTextNewlineDecoder *self)
{
  io_text_decoder_reset (self->decoder);
  self->pendingcr = FALSE;
  self->seen = 0;
  update_clean (self);
}

void
io_text_newline_translate_write (const char *text,
                                 gsize       len,
                                 const char *newline,
                                 GString    *out)
{
  const char *end = text + len, *nl;

  while ((nl = memchr (text, '\n', end - text)) != NULL)
    {
      g_string_append_len (out, text, nl - text);
      g_string_append (out, newline);
      text = nl + 1;
    }
  g_string_append_len (out, text, end - text);
}
