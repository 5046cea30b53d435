/* io-text-decoder.c: the incremental decoder of Io.TextStream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "io-text-codec-private.h"

/* The decoder holds no more than the bytes of one split character, or of
 * a byte order mark still being recognised. */
#define MAX_PENDING 16

/* The order a utf-16 or utf-32 decoder has settled on. */
typedef enum {
  ORDER_UNDECIDED,
  ORDER_LITTLE,
  ORDER_BIG,
} Order;

#define NATIVE_ORDER (G_BYTE_ORDER == G_BIG_ENDIAN ? ORDER_BIG : ORDER_LITTLE)

struct _IoTextDecoder
{
  IoTextCharset charset;
  char *name;
  IoTextErrors errors;
  GIConv cd;                    /* the iconv in use, or -1 */
  GIConv cd_order[2];           /* utf-16/32: little and big endian */
  Order order;                  /* utf-8-sig: ORDER_LITTLE once decided */
  guint8 pending[MAX_PENDING];
  gsize n_pending;
  gboolean ascii;               /* the last decode() made only ASCII */
  guint32 iso2022;              /* the shift state of an ISO-2022 charset */
};

static GIConv
open_order (IoTextDecoder *self,
            gboolean       big_endian)
{
  static const char *const names[2][2] = {
    { "UTF-16LE", "UTF-16BE" }, { "UTF-32LE", "UTF-32BE" } };
  GIConv *cd = &self->cd_order[big_endian];

  if (*cd == (GIConv) -1)
    *cd = g_iconv_open ("UTF-8", names[self->charset.bom == IO_TEXT_BOM_UTF32][big_endian]);
  g_iconv (*cd, NULL, NULL, NULL, NULL);
  return *cd;
}

static void
choose_order (IoTextDecoder *self,
              Order          order)
{
  self->order = order;
  if (self->charset.bom == IO_TEXT_BOM_UTF16 || self->charset.bom == IO_TEXT_BOM_UTF32)
    self->cd = order == ORDER_UNDECIDED ? (GIConv) -1 : open_order (self, order == ORDER_BIG);
}

IoTextDecoder *
io_text_decoder_new (const char    *encoding,
                     IoTextErrors   errors,
                     GError       **error)
{
  g_autoptr(IoTextDecoder) self = g_new0 (IoTextDecoder, 1);

  self->cd = self->cd_order[0] = self->cd_order[1] = (GIConv) -1;
  if (!io_text_charset_lookup (encoding, &self->charset, error))
    return NULL;
  self->name = g_ascii_strdown (encoding, -1);
  self->errors = errors;
  if (self->charset.iconv_name != NULL)
    {
      self->cd = io_text_iconv_open ("UTF-8", self->charset.iconv_name, encoding, error);
      if (self->cd == (GIConv) -1)
        return NULL;
    }
  return g_steal_pointer (&self);
}

void
io_text_decoder_free (IoTextDecoder *self)
{
  if (self->charset.iconv_name != NULL && self->cd != (GIConv) -1)
    g_iconv_close (self->cd);
  for (int i = 0; i < 2; i++)
    if (self->cd_order[i] != (GIConv) -1)
      g_iconv_close (self->cd_order[i]);
  io_text_charset_clear (&self->charset);
  g_free (self->name);
  g_free (self);
}

gboolean
io_text_decoder_was_ascii (IoTextDecoder *self)
{
  return self->ascii;
}

const guint8 *
io_text_decoder_get_pending (IoTextDecoder *self,
                             gsize         *n_pending)
{
  *n_pending = self->n_pending;
  return self->pending;
}

/* The flags are CPython's: utf-8-sig's decoder says 1 before the mark
 * and 0 after it; utf-16's and utf-32's 2 before it, then 0 for the
 * native order and 1 for the other. */
guint64
io_text_decoder_get_flags (IoTextDecoder *self)
{
  switch (self->charset.bom)
    {
    case IO_TEXT_BOM_UTF8_SIG:
      return self->order == ORDER_UNDECIDED;
    case IO_TEXT_BOM_UTF16:
    case IO_TEXT_BOM_UTF32:
      return self->order == ORDER_UNDECIDED ? 2 : self->order != NATIVE_ORDER;
    case IO_TEXT_BOM_NONE:
    default:
      return self->iso2022;
    }
}

gboolean
io_text_decoder_is_clean_ascii (IoTextDecoder *self)
{
  return (self->charset.kind != IO_TEXT_CODEC_ICONV ||
          g_strcmp0 (self->charset.iconv_name, "ASCII") == 0) &&
         self->n_pending == 0 && io_text_decoder_get_flags (self) == 0;
}

/* Resets iconv, then takes it to the ISO-2022 state @iso2022 by feeding
 * it the escape sequences that make it, which decode to nothing. */
static void
reset_iconv (IoTextDecoder *self,
             guint32        iso2022)
{
  g_autoptr(GByteArray) seqs = NULL;
  char out[16], *inp, *outp = out;
  gsize inleft, outleft = sizeof out;

  g_iconv (self->cd, NULL, NULL, NULL, NULL);
  self->iso2022 = iso2022;
  if (iso2022 == 0)
    return;
  seqs = io_text_iso2022_restore (iso2022);
  inp = (char *) seqs->data;
  inleft = seqs->len;
  g_iconv (self->cd, &inp, &inleft, &outp, &outleft);
}

void
io_text_decoder_set_flags (IoTextDecoder *self,
                           guint64        flags)
{
  Order other = NATIVE_ORDER == ORDER_BIG ? ORDER_LITTLE : ORDER_BIG;

  self->n_pending = 0;
  switch (self->charset.bom)
    {
    case IO_TEXT_BOM_UTF8_SIG:
      choose_order (self, flags == 0 ? ORDER_LITTLE : ORDER_UNDECIDED);
      break;
    case IO_TEXT_BOM_UTF16:
    case IO_TEXT_BOM_UTF32:
      choose_order (self, flags == 0 ? NATIVE_ORDER : flags == 1 ? other : ORDER_UNDECIDED);
      break;
    case IO_TEXT_BOM_NONE:
    default:
      break;
    }
  if (self->charset.iconv_name != NULL)
    reset_iconv (self, self->charset.iso2022 ? flags : 0);
}

void
io_text_decoder_reset (IoTextDecoder *self)
{
  self->n_pending = 0;
  choose_order (self, ORDER_UNDECIDED);
  if (self->charset.iconv_name != NULL)
    reset_iconv (self, 0);
}

static gboolean
fail (IoTextDecoder  *self,
      const guint8   *bad,
      gsize           len,
      gint64          offset,
      const char     *reason,
      GError        **error)
{
  if (len == 1)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 "'%s' codec can't decode byte 0x%02x in position %" G_GINT64_FORMAT ": %s",
                 self->name, bad[0], offset, reason);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 "'%s' codec can't decode bytes in position %" G_GINT64_FORMAT "-%"
                 G_GINT64_FORMAT ": %s",
                 self->name, offset, offset + (gint64) len - 1, reason);
  return FALSE;
}

/* The length of the longest start of a UTF-8 sequence at @p (Unicode's
 * "maximal subpart", what CPython replaces by one U+FFFD), and whether it
 * is only cut short by the end of the @n bytes; for a whole, valid
 * sequence, its length, with @truncated FALSE. */
static gsize
utf8_subpart (const guint8 *p,
              gsize         n,
              gboolean     *truncated)
{
  guint8 lo = 0x80, hi = 0xbf;
  gsize need;

  *truncated = FALSE;
  if (p[0] >= 0xc2 && p[0] <= 0xdf)
    need = 1;
  else if (p[0] >= 0xe0 && p[0] <= 0xef)
    {
      need = 2;
      lo = p[0] == 0xe0 ? 0xa0 : 0x80;
      hi = p[0] == 0xed ? 0x9f : 0xbf;
    }
  else if (p[0] >= 0xf0 && p[0] <= 0xf4)
    {
      need = 3;
      lo = p[0] == 0xf0 ? 0x90 : 0x80;
      hi = p[0] == 0xf4 ? 0x8f : 0xbf;
    }
  else
    return 1;
  for (gsize k = 1; k <= need; k++)
    {
      if (k == n)
        {
          *truncated = TRUE;
          return k;
        }
      if (p[k] < lo || p[k] > hi)
        return k;
      lo = 0x80;
      hi = 0xbf;
    }
  return need + 1;
}

/* The length of the valid UTF-8 at the start of the @n bytes at @p, NULs
 * included; @ascii is cleared when it holds a byte above 0x7f. ASCII is
 * skipped 64 bytes at a time (with SSE2, else eight), which makes text
 * that is mostly ASCII several times cheaper than g_utf8_validate(). */
static gsize
utf8_valid_prefix (const guint8 *p,
                   gsize         n,
                   gboolean     *ascii)
{
  gsize i = 0;

  while (i < n)
    {
      gboolean truncated;
      gsize len;

#ifdef __SSE2__
      while (i + 64 <= n)
        {
          const __m128i *block = (const __m128i *) (const void *) (p + i);
          __m128i any = _mm_or_si128 (_mm_or_si128 (_mm_loadu_si128 (block),
                                                    _mm_loadu_si128 (block + 1)),
                                      _mm_or_si128 (_mm_loadu_si128 (block + 2),
                                                    _mm_loadu_si128 (block + 3)));

          if (_mm_movemask_epi8 (any) != 0)
            break;
          i += 64;
        }
#endif
      while (i + 8 <= n)
        {
          guint64 word;

          memcpy (&word, p + i, 8);
          if (word & G_GUINT64_CONSTANT (0x8080808080808080))
            break;
          i += 8;
        }
      while (i < n && p[i] < 0x80)
        i++;
      if (i == n)
        break;
      *ascii = FALSE;
      len = utf8_subpart (p + i, n - i, &truncated);
      if (truncated || len == 1 || len < (p[i] >= 0xf0 ? 4u : p[i] >= 0xe0 ? 3u : 2u))
        break;
      i += len;
    }
  return i;
}

/* Decodes @data, keeping a character it ends inside of in the pending
 * bytes unless @final. Returns how far it got, or -1 on an error. */
static gssize
decode_utf8 (IoTextDecoder  *self,
             const guint8   *data,
             gsize           n,
             gboolean        final,
             gint64          offset,
             GString        *out,
             GError        **error)
{
  gsize i = 0;

  while (i < n)
    {
      gboolean truncated;
      gsize bad = i + utf8_valid_prefix (data + i, n - i, &self->ascii);

      g_string_append_len (out, (const char *) data + i, bad - i);
      i = bad;
      if (i == n)
        break;
      bad = utf8_subpart (data + i, n - i, &truncated);
      if (truncated && !final)
        return i;
      /* surrogatepass: a surrogate's 3 bytes are text, as they are. */
      if (self->errors == IO_TEXT_ERRORS_SURROGATEPASS && data[i] == 0xed &&
          i + 1 < n && data[i + 1] >= 0xa0 && data[i + 1] <= 0xbf)
        {
          if (i + 2 == n && !final)
            return i;
          if (i + 2 < n && data[i + 2] >= 0x80 && data[i + 2] <= 0xbf)
            {
              g_string_append_len (out, (const char *) data + i, 3);
              i += 3;
              continue;
            }
        }
      if (!io_text_errors_replace (self->errors, TRUE, data + i, bad, out))
        {
          fail (self, data + i, bad, offset + i,
                truncated ? "unexpected end of data" :
                bad == 1 && (data[i] < 0xc2 || data[i] > 0xf4) ? "invalid start byte" :
                "invalid continuation byte", error);
          return -1;
        }
      i += bad;
    }
  return n;
}

static gssize
decode_latin1 (const guint8 *data,
               gsize         n,
               GString      *out)
{
  for (gsize i = 0; i < n; i++)
    {
      if (data[i] < 0x80)
        g_string_append_c (out, (char) data[i]);
      else
        g_string_append_unichar (out, data[i]);
    }
  return n;
}

static gssize
decode_iconv (IoTextDecoder  *self,
              const guint8   *data,
              gsize           n,
              gboolean        final,
              gint64          offset,
              GString        *out,
              GError        **error)
{
  gsize i = 0;
  guint more = 0;

  while (i < n)
    {
      gsize end = n;
      gsize start = out->len;
      gsize room, inleft, outleft, r;
      char *inp = (char *) data + i, *outp;
      int errsv;
      gsize bad;

      /* ISO-2022: each escape sequence alone, to follow the shifts (and
       * @more bytes with it when iconv needs them to tell, as after a
       * stray ESC or SS2). */
      if (self->charset.iso2022)
        end = MIN (i + io_text_iso2022_segment (data + i, n - i) + more, n);
      room = (end - i) * 4 + 16;
      inleft = end - i;
      outleft = room;
      g_string_set_size (out, start + room);
      outp = out->str + start;
      r = g_iconv (self->cd, &inp, &inleft, &outp, &outleft);
      errsv = errno;
      g_string_set_size (out, start + (room - outleft));
      if (self->charset.iso2022 && more == 0 && inleft == 0 && outleft == room)
        self->iso2022 = io_text_iso2022_apply (self->iso2022, data + i, end - i);
      /* A segment iconv sees as cut short is one it takes a byte of (a
       * stray ESC, as text), or one it needs the next segment for. */
      if (r == (gsize) -1 && errsv == EINVAL && end < n && (const guint8 *) inp == data + i)
        more++;
      else
        more = 0;
      if (r != (gsize) -1 || errsv == E2BIG || (errsv == EINVAL && end < n))
        {
          i = (const guint8 *) inp - data;
          continue;
        }
      i = (const guint8 *) inp - data;
      if (errsv == EINVAL && !final)
        return i;
      bad = errsv == EINVAL ? n - i : MIN (self->charset.unit, n - i);
      /* An error resets iconv: the shifts start again after it. */
      g_iconv (self->cd, NULL, NULL, NULL, NULL);
      self->iso2022 = 0;
      if (!io_text_errors_replace (self->errors, TRUE, data + i, bad, out))
        {
          fail (self, data + i, bad, offset + i,
                errsv == EINVAL ? "truncated data" : "illegal multibyte sequence", error);
          return -1;
        }
      i += bad;
    }
  return n;
}

/* Reads a byte order mark at the start of @data; returns how many bytes
 * it takes, -1 when more bytes are needed to tell, or -2 when a utf-16 or
 * utf-32 stream lacks one (decoded in native order to find errors first,
 * then refused as CPython's incremental decoders do). */
static gssize
read_bom (IoTextDecoder *self,
          const guint8  *data,
          gsize          n,
          gboolean       final)
{
  static const guint8 utf8_bom[] = { 0xef, 0xbb, 0xbf };
  static const guint8 le16[] = { 0xff, 0xfe }, be16[] = { 0xfe, 0xff };
  static const guint8 le32[] = { 0xff, 0xfe, 0, 0 }, be32[] = { 0, 0, 0xfe, 0xff };
  gboolean native_be = G_BYTE_ORDER == G_BIG_ENDIAN;
  gsize size;

  switch (self->charset.bom)
    {
    case IO_TEXT_BOM_UTF8_SIG:
      /* As CPython, even at the end: a cut mark is held, not decoded. */
      if (n < 3 && memcmp (data, utf8_bom, n) == 0)
        return -1;
      choose_order (self, ORDER_LITTLE);
      return n >= 3 && memcmp (data, utf8_bom, 3) == 0 ? 3 : 0;
    case IO_TEXT_BOM_UTF16:
    case IO_TEXT_BOM_UTF32:
      size = self->charset.unit;
      if (n == 0 || (n < size && !final))
        return -1;
      if (n >= size && memcmp (data, size == 2 ? le16 : le32, size) == 0)
        native_be = FALSE;
      else if (n >= size && memcmp (data, size == 2 ? be16 : be32, size) == 0)
        native_be = TRUE;
      else if (n >= size)
        return -2;
      else
        size = 0;
      choose_order (self, native_be ? ORDER_BIG : ORDER_LITTLE);
      return size;
    case IO_TEXT_BOM_NONE:
    default:
      g_assert_not_reached ();
    }
}

gboolean
io_text_decoder_decode (IoTextDecoder  *self,
                        const guint8   *input,
                        gsize           len,
                        gboolean        final,
                        gint64          offset,
                        GString        *out,
                        GError        **error)
{
  g_autofree guint8 *joined = NULL;
  /* A final call may pass no bytes as NULL: "data + skip" needs a real
   * pointer even when both are 0. */
  const guint8 *data = input != NULL ? input : (const guint8 *) "";
  gsize n = len, out_start = out->len;
  gssize done, skip = 0;
  gboolean missing_bom = FALSE;

  /* Only the UTF-8 decoder tells: any byte above 0x7f clears it. */
  self->ascii = self->charset.kind == IO_TEXT_CODEC_UTF8;
  if (self->n_pending > 0)
    {
      joined = g_malloc (self->n_pending + len + 1);
      memcpy (joined, self->pending, self->n_pending);
      if (len > 0)
        memcpy (joined + self->n_pending, input, len);
      data = joined;
      n += self->n_pending;
      offset -= self->n_pending;
    }
  if (self->charset.bom != IO_TEXT_BOM_NONE && self->order == ORDER_UNDECIDED)
    {
      skip = read_bom (self, data, n, final);
      if (skip == -2)
        {
          choose_order (self, NATIVE_ORDER);
          missing_bom = TRUE;
          skip = 0;
        }
      if (skip < 0)
        {
          memmove (self->pending, data, n);
          self->n_pending = n;
          return TRUE;
        }
    }
  switch (self->charset.kind)
    {
    case IO_TEXT_CODEC_UTF8:
      done = decode_utf8 (self, data + skip, n - skip, final, offset + skip, out, error);
      break;
    case IO_TEXT_CODEC_LATIN1:
      done = decode_latin1 (data + skip, n - skip, out);
      break;
    case IO_TEXT_CODEC_ICONV:
      done = decode_iconv (self, data + skip, n - skip, final, offset + skip, out, error);
      break;
    default:
      g_assert_not_reached ();
    }
  if (missing_bom)
    {
      choose_order (self, ORDER_UNDECIDED);
      if (done >= 0)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                     "UTF-%u stream does not start with BOM", self->charset.unit * 8);
      done = -1;
    }
  if (done < 0)
    {
      g_string_truncate (out, out_start);
      return FALSE;
    }
  done += skip;
  g_assert (n - done <= MAX_PENDING);
  /* Nothing left is no copy: @data may be NULL for an empty input. */
  if (n > (gsize) done)
    memmove (self->pending, data + done, n - done);
  self->n_pending = n - done;
  return TRUE;
}
