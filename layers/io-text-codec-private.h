/* io-text-codec-private.h: the incremental decoder and encoder of Io.TextStream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The error handlers, by their Python names. */
typedef enum {
  IO_TEXT_ERRORS_STRICT,
  IO_TEXT_ERRORS_REPLACE,
  IO_TEXT_ERRORS_IGNORE,
  IO_TEXT_ERRORS_BACKSLASHREPLACE,
  IO_TEXT_ERRORS_SURROGATEESCAPE,
  IO_TEXT_ERRORS_SURROGATEPASS,
} IoTextErrors;

/* How a charset is converted: the two that need no iconv, or iconv. */
typedef enum {
  IO_TEXT_CODEC_UTF8,
  IO_TEXT_CODEC_LATIN1,
  IO_TEXT_CODEC_ICONV,
} IoTextCodecKind;

/* How a charset's byte order mark is handled, as CPython's codecs do:
 * utf-8-sig drops one at the start and writes one; utf-16 and utf-32 pick
 * their byte order from it (native without one) and write one, in native
 * order, before the first character. */
typedef enum {
  IO_TEXT_BOM_NONE,
  IO_TEXT_BOM_UTF8_SIG,
  IO_TEXT_BOM_UTF16,
  IO_TEXT_BOM_UTF32,
} IoTextBom;

/* Appends the replacement of @len undecodable or unencodable units at
 * @p (bytes when decoding, one character when encoding) that @errors
 * makes; FALSE when the handler gives none and the error stands (strict,
 * and surrogateescape for a byte below 0x80 or a character other than
 * U+DC80..U+DCFF, as CPython). surrogateescape's replacement is the
 * 3-byte generalized UTF-8 of U+DC80..U+DCFF when decoding, the raw byte
 * when encoding. */
gboolean      io_text_errors_replace     (IoTextErrors    errors,
                                          gboolean        decoding,
                                          const guint8   *p,
                                          gsize           len,
                                          GString        *out);
/* Whether the 3 bytes at @p are the generalized UTF-8 of a surrogate
 * (ED A0..BF 80..BF), which surrogateescape decodes to. */
#define IO_TEXT_IS_SURROGATE(p) ((p)[0] == 0xed && (p)[1] >= 0xa0)

/* A charset name resolved: Python's codec names and aliases, then iconv's. */
typedef struct {
  IoTextCodecKind kind;
  IoTextBom bom;
  char *iconv_name;      /* for IO_TEXT_CODEC_ICONV without a BOM */
  guint unit;            /* bytes an invalid sequence is skipped by */
  gboolean iso2022;      /* a stateful ISO-2022 charset, see io-text-iso2022.c */
} IoTextCharset;

/* The decoding state of an ISO-2022 charset (the character sets
 * designated to G0, G1 and G2, and whether SO shifted G1 in) as a
 * number that fits the decoder's flags of a tell() cookie: 0 is the
 * initial state. */
/* The length of what to give iconv next from the @n > 0 bytes at @data:
 * an escape sequence, SO or SI alone, or the bytes up to the next one. */
gsize         io_text_iso2022_segment    (const guint8   *data,
                                          gsize           n);
/* The state after the segment @seq, which iconv took without writing. */
guint32       io_text_iso2022_apply      (guint32         state,
                                          const guint8   *seq,
                                          gsize           len);
/* The escape sequences that take a fresh decoder to @state. */
GByteArray   *io_text_iso2022_restore    (guint32         state);

gboolean      io_text_charset_lookup     (const char     *encoding,
                                          IoTextCharset  *charset,
                                          GError        **error);
void          io_text_charset_clear      (IoTextCharset  *charset);
/* g_iconv_open(), failing as an unknown @encoding. */
GIConv        io_text_iconv_open         (const char     *to,
                                          const char     *from,
                                          const char     *encoding,
                                          GError        **error);
gboolean      io_text_errors_lookup      (const char     *errors,
                                          IoTextErrors   *out_errors,
                                          GError        **error);

/* The incremental decoder: bytes in, UTF-8 out, with CPython's getstate()
 * and setstate() (the pending bytes of a split character and the flags of
 * the byte order mark). */
typedef struct _IoTextDecoder IoTextDecoder;

IoTextDecoder *io_text_decoder_new       (const char     *encoding,
                                          IoTextErrors    errors,
                                          GError        **error);
void          io_text_decoder_free       (IoTextDecoder  *self);
/* Appends the characters @input completes to @out; @offset is the stream
 * position of @input's first byte, named by errors. */
gboolean      io_text_decoder_decode     (IoTextDecoder  *self,
                                          const guint8   *input,
                                          gsize           len,
                                          gboolean        final,
                                          gint64          offset,
                                          GString        *out,
                                          GError        **error);
/* Whether all the last decode() appended was ASCII (FALSE when unknown). */
gboolean      io_text_decoder_was_ascii  (IoTextDecoder  *self);
const guint8 *io_text_decoder_get_pending (IoTextDecoder *self,
                                          gsize          *n_pending);
guint64       io_text_decoder_get_flags  (IoTextDecoder  *self);
/* setstate((b'', flags)) */
void          io_text_decoder_set_flags  (IoTextDecoder  *self,
                                          guint64         flags);
void          io_text_decoder_reset      (IoTextDecoder  *self);
/* Whether @self has nothing pending, flags 0, and reads ASCII bytes as
 * the same characters, one each: UTF-8, Latin-1 and ASCII. */
gboolean      io_text_decoder_is_clean_ascii (IoTextDecoder *self);

/* The incremental encoder: UTF-8 in, bytes out. */
typedef struct _IoTextEncoder IoTextEncoder;

IoTextEncoder *io_text_encoder_new       (const char     *encoding,
                                          IoTextErrors    errors,
                                          GError        **error);
void          io_text_encoder_free       (IoTextEncoder  *self);
gboolean      io_text_encoder_encode     (IoTextEncoder  *self,
                                          const char     *text,
                                          gsize           len,
                                          GByteArray     *out,
                                          GError        **error);
/* reset(): the next encode() starts with a byte order mark, if any. */
void          io_text_encoder_reset      (IoTextEncoder  *self);
/* setstate(0): the stream is past its start, no byte order mark, no
 * shift. */
void          io_text_encoder_skip_bom   (IoTextEncoder  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (IoTextDecoder, io_text_decoder_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (IoTextEncoder, io_text_encoder_free)

G_END_DECLS
