/* io-text-iso2022.c: the shift state of ISO-2022 charsets, for tell()
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "io-text-codec-private.h"

/* An ISO-2022 decoder's state is the last escape sequence that designated
 * a character set to each of G0, G1 and G2 (ESC ( B, ESC $ B, ESC $ ) C,
 * ESC . A, …) and the last locking shift (SO, SI); iconv keeps it where
 * tell() cannot see it, so the decoder gives iconv each escape sequence
 * (and SO, SI) alone, and follows those iconv takes without writing a
 * character (glibc writes the ones it does not know as text).
 *
 * Each of the three designations takes 9 bits: the final byte (0 for
 * none), a bit for a multibyte set ("$") and one for a 96-character set
 * ("-", "."); bit 27 is SO. 28 bits leave room for the newline decoder's
 * bit in a cookie's 32-bit flags. G3 (ISO-2022-CN-EXT's SS3 sets) is not
 * followed. */

#define ESC 0x1b
#define SO 0x0e
#define SI 0x0f
#define SLOT_BITS 9
#define MULTIBYTE 0x80
#define SET96 0x100
#define SHIFTED (1u << 27)

/* The intermediate byte that designates a 94- or a 96-character set to
 * each of G0, G1, G2. */
static const char set94[] = "()*";
static const char set96[] = "?-.";

/* The state after the escape sequence @seq of @len bytes (ESC included,
 * which ends at its final byte). */
static guint32
designate (guint32       state,
           const guint8 *seq,
           gsize         len)
{
  const guint8 *p = seq + 1, *final = seq + len - 1;
  guint32 set = *final;
  const char *found;
  guint slot;

  if (p < final && *p == '$')
    {
      set |= MULTIBYTE;
      p++;
    }
  if (p == final && (set & MULTIBYTE))
    slot = 0;             /* ESC $ @, ESC $ A, ESC $ B */
  else if (p + 1 == final && *p != '?' && (found = memchr (set94, *p, 3)) != NULL)
    slot = found - set94;
  else if (p + 1 == final && *p != '?' && (found = memchr (set96, *p, 3)) != NULL)
    {
      slot = found - set96;
      set |= SET96;
    }
  else
    return state;         /* SS2, SS3, an announcer, G3: no state followed */
  slot *= SLOT_BITS;
  return (state & ~(0x1ffu << slot)) | set << slot;
}

gsize
io_text_iso2022_segment (const guint8 *data,
                         gsize         n)
{
  gsize end = 1;

  if (data[0] == SO || data[0] == SI)
    return 1;
  if (data[0] != ESC)
    {
      while (end < n && data[end] != ESC && data[end] != SO && data[end] != SI)
        end++;
      return end;
    }
  /* ESC, its intermediate bytes, then one more: the final byte if the
   * sequence is one. */
  while (end < n && data[end] >= 0x20 && data[end] <= 0x2f)
    end++;
  return MIN (end + 1, n);
}

guint32
io_text_iso2022_apply (guint32       state,
                       const guint8 *seq,
                       gsize         len)
{
  if (seq[0] == SO)
    return state | SHIFTED;
  if (seq[0] == SI)
    return state & ~SHIFTED;
  if (seq[0] != ESC || len < 2 || seq[len - 1] < 0x30 || seq[len - 1] > 0x7e)
    return state;
  return designate (state, seq, len);
}

GByteArray *
io_text_iso2022_restore (guint32 state)
{
  GByteArray *seqs = g_byte_array_new ();

  for (guint g = 0; g < 3; g++)
    {
      guint32 set = state >> (g * SLOT_BITS) & 0x1ff;
      guint8 seq[4] = { ESC }, *p = seq + 1;

      if ((set & 0x7f) == 0)
        continue;
      if (set & MULTIBYTE)
        *p++ = '$';
      /* ESC $ @, ESC $ A and ESC $ B have no "(" for G0. */
      if (g > 0 || !(set & MULTIBYTE) || (set & 0x7f) > 'B')
        *p++ = (set & SET96) ? set96[g] : set94[g];
      *p++ = set & 0x7f;
      g_byte_array_append (seqs, seq, p - seq);
    }
  if (state & SHIFTED)
    g_byte_array_append (seqs, (const guint8 *) "\x0e", 1);
  return seqs;
}
