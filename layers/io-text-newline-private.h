/* io-text-newline-private.h: Io.TextStream's universal newlines decoder
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "io-text-codec-private.h"

G_BEGIN_DECLS

/* The newline kinds seen, for the newlines property. */
typedef enum {
  IO_TEXT_SEEN_CR = 1 << 0,
  IO_TEXT_SEEN_LF = 1 << 1,
  IO_TEXT_SEEN_CRLF = 1 << 2,
} IoTextSeenNewlines;

/* CPython's IncrementalNewlineDecoder over an IoTextDecoder: with
 * @universal it holds a trailing '\r' back until the next character shows
 * whether it starts "\r\n", and with @translate it turns "\r\n" and '\r'
 * into '\n'. Without @universal it passes the text and the decoder's
 * flags through; with it, the flags are the decoder's shifted left by one,
 * the held '\r' in bit 0. */
typedef struct {
  IoTextDecoder *decoder;       /* owned */
  gboolean universal;
  gboolean translate;
  gboolean pendingcr;
  IoTextSeenNewlines seen;
  /* Nothing held, nothing pending, flags 0, and ASCII read as itself:
   * ASCII text without a '\r' decodes to itself, and a position in it
   * needs no decoder state. */
  gboolean clean_ascii;
} IoTextNewlineDecoder;

void      io_text_newline_decoder_init      (IoTextNewlineDecoder  *self,
                                             IoTextDecoder         *decoder,
                                             gboolean               universal,
                                             gboolean               translate);
void      io_text_newline_decoder_clear     (IoTextNewlineDecoder  *self);
gboolean  io_text_newline_decoder_decode    (IoTextNewlineDecoder  *self,
                                             const guint8          *input,
                                             gsize                  len,
                                             gboolean               final,
                                             gint64                 offset,
                                             GString               *out,
                                             GError               **error);
/* getstate(): the pending bytes, and the flags. */
const guint8 *io_text_newline_decoder_get_state (IoTextNewlineDecoder  *self,
                                             gsize                 *n_pending,
                                             guint64               *flags);
/* setstate((b'', flags)) */
void      io_text_newline_decoder_set_flags (IoTextNewlineDecoder  *self,
                                             guint64                flags);
/* setstate((pending, flags)): what get_state() gave back. */
void      io_text_newline_decoder_set_state (IoTextNewlineDecoder  *self,
                                             const guint8          *pending,
                                             gsize                  n_pending,
                                             guint64                flags);
void      io_text_newline_decoder_reset     (IoTextNewlineDecoder  *self);

/* Appends @text to @out with each '\n' written as @newline. */
void      io_text_newline_translate_write   (const char            *text,
                                             gsize                  len,
                                             const char            *newline,
                                             GString               *out);

G_END_DECLS
