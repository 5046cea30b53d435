/* io-text-encoder.c: the incremental encoder of Io.TextStream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <string.h>

#include "io-text-codec-private.h"

struct _IoTextEncoder
{
  IoTextCharset charset;
  char *name;
  IoTextErrors errors;
  GIConv cd;
  gboolean bom_pending;
  gboolean jis;                 /* ISO-2022-JP and its variants */
  gboolean g0_unknown;          /* after setstate(0), see skip_bom() */
};

IoTextEncoder *
io_text_encoder_new (const char    *encoding,
                     IoTextErrors   errors,
                     GError       **error)
{
  g_autoptr(IoTextEncoder) self = g_new0 (IoTextEncoder, 1);
  const char *to;
  gboolean be = G_BYTE_ORDER == G_BIG_ENDIAN;

  self->cd = (GIConv) -1;
  if (!io_text_charset_lookup (encoding, &self->charset, error))
    return NULL;
  self->name = g_ascii_strdown (encoding, -1);
  self->errors = errors;
  self->bom_pending = self->charset.bom != IO_TEXT_BOM_NONE;
  self->jis = self->charset.iso2022 && strstr (self->name, "jp") != NULL;
  /* utf-16 and utf-32 write their mark, then native order, as CPython. */
  if (self->charset.bom == IO_TEXT_BOM_UTF16)
    to = be ? "UTF-16BE" : "UTF-16LE";
  else if (self->charset.bom == IO_TEXT_BOM_UTF32)
    to = be ? "UTF-32BE" : "UTF-32LE";
  else
    to = self->charset.iconv_name;
  if (to != NULL)
    {
      self->cd = io_text_iconv_open (to, "UTF-8", encoding, error);
      if (self->cd == (GIConv) -1)
        return NULL;
    }
  return g_steal_pointer (&self);
}

void
io_text_encoder_free (IoTextEncoder *self)
{
  if (self->cd != (GIConv) -1)
    g_iconv_close (self->cd);
  io_text_charset_clear (&self->charset);
  g_free (self->name);
  g_free (self);
}

void
io_text_encoder_reset (IoTextEncoder *self)
{
  self->bom_pending = self->charset.bom != IO_TEXT_BOM_NONE;
  self->g0_unknown = FALSE;
  if (self->cd != (GIConv) -1)
    g_iconv (self->cd, NULL, NULL, NULL, NULL);
}

void
io_text_encoder_skip_bom (IoTextEncoder *self)
{
  self->bom_pending = FALSE;
  /* As CPython's setstate(0): an ISO-2022 encoder forgets its shift,
   * and an ISO-2022-JP one does not know what G0 holds, so it designates
   * ASCII again before an ASCII character. */
  self->g0_unknown = self->jis;
  if (self->cd != (GIConv) -1)
    g_iconv (self->cd, NULL, NULL, NULL, NULL);
}

static gboolean
fail (IoTextEncoder  *self,
      const char     *text,
      const char     *bad,
      const char     *reason,
      GError        **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               "'%s' codec can't encode character '\\u%04x' in position %ld: %s",
               self->name, g_utf8_get_char (bad),
               g_utf8_pointer_to_offset (text, bad), reason);
  return FALSE;
}

static gboolean encode_iconv (IoTextEncoder  *self,
                              const char     *text,
                              gsize           len,
                              GByteArray     *out,
                              GError        **error);

/* Appends what the error handler makes of the character at @p, or
 * returns FALSE if the error stands. The replacement is ASCII, which every
 * charset writes, or surrogateescape's byte, written as it is; a charset
 * of 2- or 4-byte units takes no single byte, as in CPython. */
static gboolean
replace (IoTextEncoder *self,
         const char    *p,
         GByteArray    *out)
{
  g_autoptr(GString) repl = g_string_new (NULL);

  if (!io_text_errors_replace (self->errors, FALSE, (const guint8 *) p,
                               g_utf8_next_char (p) - p, repl))
    return FALSE;
  if (self->errors == IO_TEXT_ERRORS_SURROGATEESCAPE && self->charset.unit > 1)
    return FALSE;
  if (self->errors == IO_TEXT_ERRORS_SURROGATEESCAPE || self->charset.kind != IO_TEXT_CODEC_ICONV)
    {
      g_byte_array_append (out, (const guint8 *) repl->str, repl->len);
      return TRUE;
    }
  return repl->len == 0 || encode_iconv (self, repl->str, repl->len, out, NULL);
}

static gboolean
encode_latin1 (IoTextEncoder  *self,
               const char     *text,
               gsize           len,
               GByteArray     *out,
               GError        **error)
{
  const char *end = text + len;

  for (const char *p = text; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = (guchar) *p < 0x80 ? (guchar) *p : g_utf8_get_char (p);
      guint8 byte = c;

      if (c < 0x100)
        {
          g_byte_array_append (out, &byte, 1);
          continue;
        }
      if (!replace (self, p, out))
        return fail (self, text, p, "ordinal not in range(256)", error);
    }
  return TRUE;
}

/* UTF-8 is written as it is, but for the surrogates of surrogateescape's
 * text, which are errors (written as they are under surrogatepass). */
static gboolean
encode_utf8 (IoTextEncoder  *self,
             const char     *text,
             gsize           len,
             GByteArray     *out,
             GError        **error)
{
  const guint8 *p = (const guint8 *) text, *end = p + len, *done = p;

  while ((p = memchr (p, 0xed, end - p)) != NULL)
    {
      if (!IO_TEXT_IS_SURROGATE (p))
        {
          p++;
          continue;
        }
      g_byte_array_append (out, done, p - done);
      if (self->errors == IO_TEXT_ERRORS_SURROGATEPASS)
        g_byte_array_append (out, p, 3);
      else if (!replace (self, (const char *) p, out))
        return fail (self, text, (const char *) p, "surrogates not allowed", error);
      p += 3;
      done = p;
    }
  g_byte_array_append (out, done, end - done);
  return TRUE;
}

static gboolean
encode_iconv (IoTextEncoder  *self,
              const char     *text,
              gsize           len,
              GByteArray     *out,
              GError        **error)
{
  gsize i = 0;

  while (i < len)
    {
      gsize start = out->len, room = (len - i) * 4 + 16;
      char *inp = (char *) text + i, *outp;
      gsize inleft = len - i, outleft = room;
      gsize r;
      int errsv;

      g_byte_array_set_size (out, start + room);
      outp = (char *) out->data + start;
      r = g_iconv (self->cd, &inp, &inleft, &outp, &outleft);
      errsv = errno;
      g_byte_array_set_size (out, start + (room - outleft));
      i = inp - text;
      if (r != (gsize) -1 || errsv == E2BIG)
        continue;
      if (errsv != EILSEQ)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "text is not valid UTF-8");
          return FALSE;
        }
      if (!replace (self, text + i, out))
        return fail (self, text, text + i, "illegal multibyte sequence", error);
      i = g_utf8_next_char (text + i) - text;
    }
  return TRUE;
}

/* Whether @text is UTF-8, embedded NULs and the surrogates of
 * surrogateescape's text included. */
static gboolean
valid_text (const char *text,
            gsize       len)
{
  const char *end = text + len, *stop;

  while (!g_utf8_validate_len (text, end - text, &stop))
    {
      const guint8 *p = (const guint8 *) stop;

      if (*stop == '\0')
        text = stop + 1;
      else if (end - stop >= 3 && IO_TEXT_IS_SURROGATE (p) && p[1] <= 0xbf
               && p[2] >= 0x80 && p[2] <= 0xbf)
        text = stop + 3;
      else
        return FALSE;
    }
  return TRUE;
}

gboolean
io_text_encoder_encode (IoTextEncoder  *self,
                        const char     *text,
                        gsize           len,
                        GByteArray     *out,
                        GError        **error)
{
  static const guint8 bom_utf8[] = { 0xef, 0xbb, 0xbf };
  static const guint8 bom_le[] = { 0xff, 0xfe, 0, 0 }, bom_be[] = { 0, 0, 0xfe, 0xff };

  if (!valid_text (text, len))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "text is not valid UTF-8");
      return FALSE;
    }
  if (self->bom_pending)
    {
      gboolean be = G_BYTE_ORDER == G_BIG_ENDIAN;

      switch (self->charset.bom)
        {
        case IO_TEXT_BOM_UTF8_SIG:
          g_byte_array_append (out, bom_utf8, 3);
          break;
        case IO_TEXT_BOM_UTF16:
          g_byte_array_append (out, be ? bom_be + 2 : bom_le, 2);
          break;
        case IO_TEXT_BOM_UTF32:
          g_byte_array_append (out, be ? bom_be : bom_le, 4);
          break;
        case IO_TEXT_BOM_NONE:
        default:
          g_assert_not_reached ();
        }
      self->bom_pending = FALSE;
    }
  if (self->g0_unknown && len > 0)
    {
      if ((guchar) text[0] < 0x80)
        g_byte_array_append (out, (const guint8 *) "\x1b(B", 3);
      self->g0_unknown = FALSE;
    }
  switch (self->charset.kind)
    {
    case IO_TEXT_CODEC_UTF8:
      return encode_utf8 (self, text, len, out, error);
    case IO_TEXT_CODEC_LATIN1:
      return encode_latin1 (self, text, len, out, error);
    case IO_TEXT_CODEC_ICONV:
      return encode_iconv (self, text, len, out, error);
    default:
      g_assert_not_reached ();
    }
}
