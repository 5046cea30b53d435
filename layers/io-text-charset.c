/* io-text-charset.c: charset and error handler names for Io.TextStream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "io-text-codec-private.h"

/* Python's spelling of a name: lower case, '_' and ' ' as '-'. */
static char *
normalize (const char *name)
{
  char *norm = g_ascii_strdown (name, -1);

  for (char *p = norm; *p; p++)
    if (*p == '_' || *p == ' ')
      *p = '-';
  return norm;
}

static gboolean
is_one_of (const char *name,
           const char *const *names)
{
  for (; *names; names++)
    if (strcmp (name, *names) == 0)
      return TRUE;
  return FALSE;
}

/* Python's codec names (and the common aliases) whose iconv name differs
 * or whose behaviour libstream implements itself; any other name goes to
 * iconv as it is. */
static const char *const utf8_names[] = { "utf-8", "utf8", "u8", "utf", "cp65001", NULL };
static const char *const utf8_sig_names[] = { "utf-8-sig", "utf8-sig", NULL };
static const char *const latin1_names[] = {
  "latin-1", "latin1", "latin", "l1", "iso-8859-1", "iso8859-1", "8859",
  "cp819", "iso-ir-100", NULL };
static const char *const utf16_names[] = { "utf-16", "utf16", "u16", NULL };
static const char *const utf32_names[] = { "utf-32", "utf32", "u32", NULL };
static const struct { const char *python; const char *iconv; guint unit; } iconv_aliases[] = {
  { "utf-16-le", "UTF-16LE", 2 }, { "utf-16le", "UTF-16LE", 2 },
  { "utf-16-be", "UTF-16BE", 2 }, { "utf-16be", "UTF-16BE", 2 },
  { "utf-32-le", "UTF-32LE", 4 }, { "utf-32le", "UTF-32LE", 4 },
  { "utf-32-be", "UTF-32BE", 4 }, { "utf-32be", "UTF-32BE", 4 },
  { "shift-jis", "SHIFT_JIS", 1 }, { "sjis", "SHIFT_JIS", 1 },
  { "s-jis", "SHIFT_JIS", 1 }, { "euc-jp", "EUC-JP", 1 },
  { "ascii", "ASCII", 1 }, { "us-ascii", "ASCII", 1 },
  { "iso2022-jp", "ISO-2022-JP", 1 }, { "iso2022-jp-2", "ISO-2022-JP-2", 1 },
  { "iso2022-jp-3", "ISO-2022-JP-3", 1 }, { "iso2022-kr", "ISO-2022-KR", 1 },
};

/* Whether iconv's @name is a stateful ISO-2022 charset (ISO-2022-JP,
 * iso2022jp2, csISO2022KR, …), whose shifts the decoder follows. */
static gboolean
is_iso2022 (const char *name)
{
  g_autofree char *letters = g_ascii_strdown (name, -1);
  char *to = letters;

  for (const char *p = letters; *p; p++)
    if (g_ascii_isalnum (*p))
      *to++ = *p;
  *to = '\0';
  return g_str_has_prefix (letters, "iso2022") || g_str_has_prefix (letters, "csiso2022");
}

/* Whether iconv converts between @name and UTF-8 both ways. */
static gboolean
iconv_knows (const char  *name,
             GError     **error)
{
  GIConv to = io_text_iconv_open ("UTF-8", name, name, error);
  GIConv from;

  if (to == (GIConv) -1)
    return FALSE;
  g_iconv_close (to);
  from = io_text_iconv_open (name, "UTF-8", name, error);
  if (from == (GIConv) -1)
    return FALSE;
  g_iconv_close (from);
  return TRUE;
}

/*
 * io_text_charset_lookup:
 * Resolves @encoding, failing with %G_IO_ERROR_NOT_SUPPORTED (Python's
 * LookupError) for a charset neither libstream nor iconv knows.
 */
gboolean
io_text_charset_lookup (const char     *encoding,
                        IoTextCharset  *charset,
                        GError        **error)
{
  g_autofree char *norm = normalize (encoding);

  memset (charset, 0, sizeof *charset);
  charset->unit = 1;
  if (is_one_of (norm, utf8_names))
    return TRUE;
  if (is_one_of (norm, utf8_sig_names))
    {
      charset->bom = IO_TEXT_BOM_UTF8_SIG;
      return TRUE;
    }
  if (is_one_of (norm, latin1_names))
    {
      charset->kind = IO_TEXT_CODEC_LATIN1;
      return TRUE;
    }
  charset->kind = IO_TEXT_CODEC_ICONV;
  if (is_one_of (norm, utf16_names) || is_one_of (norm, utf32_names))
    {
      charset->bom = is_one_of (norm, utf16_names) ? IO_TEXT_BOM_UTF16 : IO_TEXT_BOM_UTF32;
      charset->unit = charset->bom == IO_TEXT_BOM_UTF16 ? 2 : 4;
      return TRUE;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (iconv_aliases); i++)
    if (strcmp (norm, iconv_aliases[i].python) == 0)
      {
        charset->iconv_name = g_strdup (iconv_aliases[i].iconv);
        charset->unit = iconv_aliases[i].unit;
        charset->iso2022 = is_iso2022 (charset->iconv_name);
        return TRUE;
      }
  if (!iconv_knows (encoding, error))
    return FALSE;
  charset->iconv_name = g_strdup (encoding);
  charset->iso2022 = is_iso2022 (encoding);
  return TRUE;
}

GIConv
io_text_iconv_open (const char  *to,
                    const char  *from,
                    const char  *encoding,
                    GError     **error)
{
  GIConv cd = g_iconv_open (to, from);

  if (cd == (GIConv) -1)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                 "unknown encoding: %s", encoding);
  return cd;
}

void
io_text_charset_clear (IoTextCharset *charset)
{
  g_clear_pointer (&charset->iconv_name, g_free);
}

/*
 * io_text_errors_lookup:
 * Resolves an error handler name (`NULL` is "strict"); unknown names fail
 * with %G_IO_ERROR_INVALID_ARGUMENT.
 */
gboolean
io_text_errors_lookup (const char    *errors,
                       IoTextErrors  *out_errors,
                       GError       **error)
{
  static const struct { const char *name; IoTextErrors value; } handlers[] = {
    { "strict", IO_TEXT_ERRORS_STRICT },
    { "replace", IO_TEXT_ERRORS_REPLACE },
    { "ignore", IO_TEXT_ERRORS_IGNORE },
    { "backslashreplace", IO_TEXT_ERRORS_BACKSLASHREPLACE },
    { "surrogateescape", IO_TEXT_ERRORS_SURROGATEESCAPE },
    { "surrogatepass", IO_TEXT_ERRORS_SURROGATEPASS },
  };

  if (errors == NULL)
    errors = "strict";
  for (gsize i = 0; i < G_N_ELEMENTS (handlers); i++)
    if (strcmp (errors, handlers[i].name) == 0)
      {
        *out_errors = handlers[i].value;
        return TRUE;
      }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               "unknown error handler name '%s'", errors);
  return FALSE;
}

/* surrogateescape: each byte 0x80..0xFF is U+DC80..U+DCFF, which is
 * appended as its 3 bytes of generalized UTF-8 (not valid UTF-8). */
static gboolean
escape_bytes (const guint8 *p,
              const guint8 *end,
              GString      *out)
{
  const guint8 *low = p;

  while (low < end && *low >= 0x80)
    low++;
  if (low < end)
    return FALSE;
  for (; p < end; p++)
    {
      const char escape[3] = { (char) 0xed, (char) (0xb0 | *p >> 6), (char) (0x80 | (*p & 0x3f)) };

      g_string_append_len (out, escape, 3);
    }
  return TRUE;
}

gboolean
io_text_errors_replace (IoTextErrors  errors,
                        gboolean      decoding,
                        const guint8 *p,
                        gsize         len,
                        GString      *out)
{
  gunichar c;

  switch (errors)
    {
    case IO_TEXT_ERRORS_STRICT:
    case IO_TEXT_ERRORS_SURROGATEPASS:  /* the UTF-8 codec's own, see callers */
      return FALSE;
    case IO_TEXT_ERRORS_IGNORE:
      break;
    case IO_TEXT_ERRORS_REPLACE:
      g_string_append (out, decoding ? "\xef\xbf\xbd" : "?");
      break;
    case IO_TEXT_ERRORS_BACKSLASHREPLACE:
      if (decoding)
        {
          for (gsize i = 0; i < len; i++)
            g_string_append_printf (out, "\\x%02x", p[i]);
          break;
        }
      c = g_utf8_get_char ((const char *) p);
      if (c < 0x100)
        g_string_append_printf (out, "\\x%02x", c);
      else if (c < 0x10000)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_printf (out, "\\U%08x", c);
      break;
    case IO_TEXT_ERRORS_SURROGATEESCAPE:
      if (decoding)
        return escape_bytes (p, p + len, out);
      c = g_utf8_get_char ((const char *) p);
      if (c < 0xdc80 || c > 0xdcff)
        return FALSE;
      g_string_append_c (out, (char) (c - 0xdc00));
      break;
    default:
      g_assert_not_reached ();
    }
  return TRUE;
}
