/* io-text-cookie-private.h: Io.TextStream's tell() snapshot replay
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "io-text-stream.h"
#include "io-text-newline-private.h"

G_BEGIN_DECLS

/* The number of characters in @len bytes of UTF-8. */
gsize     io_text_utf8_count        (const char            *text,
                                     gsize                  len);

/* CPython's tell() reconstruction: the cookie for the point @chars_to_skip
 * characters into what @decoder, set to @dec_flags, makes of @next_input,
 * which starts at byte @position; @ratio is the bytes per character of the
 * last chunk. Restores @decoder's state before returning. */
gboolean  io_text_cookie_reconstruct (IoTextNewlineDecoder  *decoder,
                                     guint64                dec_flags,
                                     const guint8          *next_input,
                                     gsize                  len,
                                     gint64                 position,
                                     gsize                  chars_to_skip,
                                     double                 ratio,
                                     IoTextCookie          *cookie,
                                     GError               **error);

G_END_DECLS
