/* io-text-stream.h: decoded text over a binary stream, as TextIOWrapper
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(IO_INSIDE) && !defined(IO_COMPILATION)
# error "Only <libstream.h> can be included directly."
#endif

#include "io-stream.h"

G_BEGIN_DECLS

/**
 * IoTextCookie:
 * @position: the byte position the decoder restarts from
 * @dec_flags: the decoder's state there (byte order, a held `\r`)
 * @bytes_to_feed: how many bytes to decode from @position
 * @chars_to_skip: how many of their characters are already read
 * @need_eof: whether the bytes are decoded as the end of the stream
 *
 * A position in an [class@Io.TextStream], as [method@Io.TextStream.tell]
 * gives it and [method@Io.TextStream.seek] takes it: CPython's tell
 * cookie, unpacked. When only @position is non-zero the cookie is a plain
 * byte offset. Python packs it into one integer as CPython's C
 * `io.TextIOWrapper` does: `position | dec_flags << 64 | bytes_to_feed << 96
 * | chars_to_skip << 128 | need_eof << 160`.
 */
typedef struct {
  gint64 position;
  guint64 dec_flags;
  guint64 bytes_to_feed;
  guint64 chars_to_skip;
  gboolean need_eof;
} IoTextCookie;

#define IO_TYPE_TEXT_COOKIE (io_text_cookie_get_type ())

IO_AVAILABLE_IN_ALL
GType         io_text_cookie_get_type         (void) G_GNUC_CONST;
IO_AVAILABLE_IN_ALL
IoTextCookie *io_text_cookie_copy             (const IoTextCookie  *cookie);
IO_AVAILABLE_IN_ALL
void          io_text_cookie_free             (IoTextCookie        *cookie);

#define IO_TYPE_TEXT_STREAM (io_text_stream_get_type ())

IO_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (IoTextStream, io_text_stream, IO, TEXT_STREAM, GObject)

IO_AVAILABLE_IN_ALL
IoTextStream *io_text_stream_new              (IoStream            *buffer,
                                               const char          *encoding,
                                               const char          *errors,
                                               const char          *newline,
                                               gboolean             line_buffering,
                                               gboolean             write_through,
                                               GError             **error) G_GNUC_WARN_UNUSED_RESULT;

/* Configuration */

IO_AVAILABLE_IN_ALL
IoStream     *io_text_stream_get_buffer       (IoTextStream        *self);
IO_AVAILABLE_IN_ALL
const char   *io_text_stream_get_encoding     (IoTextStream        *self);
IO_AVAILABLE_IN_ALL
const char   *io_text_stream_get_errors       (IoTextStream        *self);
IO_AVAILABLE_IN_ALL
const char   *io_text_stream_get_newline      (IoTextStream        *self);
IO_AVAILABLE_IN_ALL
gboolean      io_text_stream_get_line_buffering (IoTextStream      *self);
IO_AVAILABLE_IN_ALL
gboolean      io_text_stream_get_write_through (IoTextStream       *self);
IO_AVAILABLE_IN_ALL
char        **io_text_stream_get_newlines     (IoTextStream        *self) G_GNUC_WARN_UNUSED_RESULT;
IO_AVAILABLE_IN_ALL
gboolean      io_text_stream_reconfigure      (IoTextStream        *self,
                                               const char          *encoding,
                                               const char          *errors,
                                               gboolean             set_newline,
                                               const char          *newline,
                                               int                  line_buffering,
                                               int                  write_through,
                                               GError             **error);

/* Capabilities and state */

IO_AVAILABLE_IN_ALL
gboolean      io_text_stream_readable         (IoTextStream        *self,
                                               GError             **error);
IO_AVAILABLE_IN_ALL
gboolean      io_text_stream_writable         (IoTextStream        *self,
                                               GError             **error);
IO_AVAILABLE_IN_ALL
gboolean      io_text_stream_seekable         (IoTextStream        *self,
                                               GError             **error);
IO_AVAILABLE_IN_ALL
gboolean      io_text_stream_is_closed        (IoTextStream        *self);

/* Reading */

IO_AVAILABLE_IN_ALL
char         *io_text_stream_read             (IoTextStream        *self,
                                               gssize               n_chars,
                                               gsize               *out_len,
                                               GError             **error) G_GNUC_WARN_UNUSED_RESULT;
IO_AVAILABLE_IN_ALL
GBytes       *io_text_stream_read_bytes       (IoTextStream        *self,
                                               gssize               n_chars,
                                               GError             **error) G_GNUC_WARN_UNUSED_RESULT;
IO_AVAILABLE_IN_ALL
char         *io_text_stream_readline         (IoTextStream        *self,
                                               gssize               limit,
                                               gsize               *out_len,
                                               GError             **error) G_GNUC_WARN_UNUSED_RESULT;
IO_AVAILABLE_IN_ALL
GBytes       *io_text_stream_readline_bytes   (IoTextStream        *self,
                                               gssize               limit,
                                               GError             **error) G_GNUC_WARN_UNUSED_RESULT;
IO_AVAILABLE_IN_ALL
gssize        io_text_stream_readline_into    (IoTextStream        *self,
                                               gssize               limit,
                                               char               **buffer,
                                               gsize               *capacity,
                                               GError             **error);
IO_AVAILABLE_IN_ALL
char         *io_text_stream_next_line        (IoTextStream        *self,
                                               gsize               *out_len,
                                               GError             **error) G_GNUC_WARN_UNUSED_RESULT;
IO_AVAILABLE_IN_ALL
GBytes       *io_text_stream_next_line_bytes  (IoTextStream        *self,
                                               GError             **error) G_GNUC_WARN_UNUSED_RESULT;
IO_AVAILABLE_IN_ALL
char        **io_text_stream_readlines        (IoTextStream        *self,
                                               gssize               hint,
                                               GError             **error) G_GNUC_WARN_UNUSED_RESULT;

/* Writing */

IO_AVAILABLE_IN_ALL
gssize        io_text_stream_write            (IoTextStream        *self,
                                               const char          *text,
                                               gssize               len,
                                               GError             **error);
IO_AVAILABLE_IN_ALL
gssize        io_text_stream_write_bytes      (IoTextStream        *self,
                                               GBytes              *text,
                                               GError             **error);
IO_AVAILABLE_IN_ALL
gboolean      io_text_stream_flush            (IoTextStream        *self,
                                               GError             **error);

/* Positioning */

IO_AVAILABLE_IN_ALL
gboolean      io_text_stream_tell             (IoTextStream        *self,
                                               IoTextCookie        *cookie,
                                               GError             **error);
IO_AVAILABLE_IN_ALL
gboolean      io_text_stream_seek             (IoTextStream        *self,
                                               const IoTextCookie  *cookie,
                                               GError             **error);
IO_AVAILABLE_IN_ALL
gint64        io_text_stream_seek_end         (IoTextStream        *self,
                                               GError             **error);
IO_AVAILABLE_IN_ALL
gint64        io_text_stream_truncate         (IoTextStream        *self,
                                               gint64               size,
                                               GError             **error);

/* Lifecycle */

IO_AVAILABLE_IN_ALL
gboolean      io_text_stream_close            (IoTextStream        *self,
                                               GError             **error);
IO_AVAILABLE_IN_ALL
IoStream     *io_text_stream_detach           (IoTextStream        *self,
                                               GError             **error) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (IoTextCookie, io_text_cookie_free)

G_END_DECLS
