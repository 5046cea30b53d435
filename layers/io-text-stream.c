/* io-text-stream.c: decoded text over a binary stream, as TextIOWrapper
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "io-text-stream.h"
#include "io-text-cookie-private.h"
#include "io-text-newline-private.h"

/**
 * IoTextStream:
 *
 * Text over a binary [class@Io.Stream], its buffer: CPython's
 * `io.TextIOWrapper`, with the same algorithm.
 *
 * Reads take the buffer's bytes with `read1()` in chunks of 8192 and keep
 * the decoded chunk, so any readable stream will do, buffered or not.
 * Text is UTF-8 in C (`char *` with a length, embedded NULs allowed) and
 * strings in the bindings; a length or limit counts characters, as
 * Python's do.
 *
 * - @encoding: UTF-8 by default (validated with `g_utf8_validate()`, no
 *   iconv); Python's codec names and aliases (`latin-1`, `utf-8-sig`,
 *   `utf_16`, `shift_jis`, …) and any name iconv knows.
 * - @errors: `strict` (the default), `replace`, `ignore` and
 *   `backslashreplace`. A decoding error is %G_IO_ERROR_INVALID_DATA
 *   naming the byte's offset in the stream.
 * - @newline: `NULL` (universal newlines, `\n` written as is), `""`
 *   (universal newlines, untranslated), `"\n"`, `"\r"` or `"\r\n"`
 *   (the line end, and what `\n` is written as), exactly as CPython.
 *
 * [method@Io.TextStream.tell] returns an [struct@Io.TextCookie] from
 * which [method@Io.TextStream.seek] restores the decoder's state, even in
 * the middle of a character of a stateful charset (UTF-16, utf-8-sig).
 *
 * Writes go to the buffer at once (as with `write_through`); with
 * @line_buffering a write holding `\n` or `\r` also flushes the buffer.
 */

#define CHUNK_SIZE 8192

struct _IoTextStream
{
  GObject parent_instance;

  IoStream *buffer;
  char *encoding;
  char *errors_name;
  char *newline;
  gboolean line_buffering;
  gboolean write_through;

  gboolean readuniversal;
  gboolean readtranslate;
  const char *writenl;          /* NULL: '\n' is written as is */
  gboolean seekable;
  gboolean telling;

  IoTextNewlineDecoder decoder; /* .decoder NULL when not readable */
  IoTextEncoder *encoder;       /* NULL when not writable */

  GString *decoded;             /* the last chunk's text */
  gsize used;                   /* bytes of it already returned */
  gboolean has_decoded;         /* CPython's decoded_chars is not None */
  gboolean has_snapshot;
  guint64 snapshot_flags;
  GByteArray *snapshot_input;
  GByteArray *spare_input;      /* the next snapshot's storage */
  double ratio;                 /* bytes per character of the last chunk */
  gsize ratio_bytes;            /* not yet in @ratio: the last chunk's size */
  gint64 offset;                /* the buffer's position, for errors */
  guint8 *chunk;
  gsize chunk_capacity;
};

G_DEFINE_FINAL_TYPE (IoTextStream, io_text_stream, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BUFFER,
  PROP_ENCODING,
  PROP_ERRORS,
  PROP_NEWLINE,
  PROP_LINE_BUFFERING,
  PROP_WRITE_THROUGH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
io_text_stream_finalize (GObject *object)
{
  IoTextStream *self = IO_TEXT_STREAM (object);

  g_clear_object (&self->buffer);
  g_free (self->encoding);
  g_free (self->errors_name);
  g_free (self->newline);
  io_text_newline_decoder_clear (&self->decoder);
  g_clear_pointer (&self->encoder, io_text_encoder_free);
  g_string_free (self->decoded, TRUE);
  g_byte_array_unref (self->snapshot_input);
  g_byte_array_unref (self->spare_input);
  g_free (self->chunk);

  G_OBJECT_CLASS (io_text_stream_parent_class)->finalize (object);
}

static void
io_text_stream_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  IoTextStream *self = IO_TEXT_STREAM (object);

  switch (prop_id)
    {
    case PROP_BUFFER:
      g_value_set_object (value, self->buffer);
      break;
    case PROP_ENCODING:
      g_value_set_string (value, self->encoding);
      break;
    case PROP_ERRORS:
      g_value_set_string (value, self->errors_name);
      break;
    case PROP_NEWLINE:
      g_value_set_string (value, self->newline);
      break;
    case PROP_LINE_BUFFERING:
      g_value_set_boolean (value, self->line_buffering);
      break;
    case PROP_WRITE_THROUGH:
      g_value_set_boolean (value, self->write_through);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
io_text_stream_class_init (IoTextStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = io_text_stream_finalize;
  object_class->get_property = io_text_stream_get_property;

  /**
   * IoTextStream:buffer: (getter get_buffer)
   *
   * The binary stream under the text, `NULL` once detached.
   */
  properties[PROP_BUFFER] =
    g_param_spec_object ("buffer", NULL, NULL, IO_TYPE_STREAM, flags);
  /**
   * IoTextStream:encoding: (getter get_encoding)
   *
   * The charset's name, as it was given.
   */
  properties[PROP_ENCODING] = g_param_spec_string ("encoding", NULL, NULL, NULL, flags);
  /**
   * IoTextStream:errors: (getter get_errors)
   *
   * The error handler's name.
   */
  properties[PROP_ERRORS] = g_param_spec_string ("errors", NULL, NULL, NULL, flags);
  /**
   * IoTextStream:newline: (getter get_newline)
   *
   * The newline mode: `NULL`, `""`, `"\n"`, `"\r"` or `"\r\n"`.
   */
  properties[PROP_NEWLINE] = g_param_spec_string ("newline", NULL, NULL, NULL, flags);
  /**
   * IoTextStream:line-buffering: (getter get_line_buffering)
   *
   * Whether a write holding a line end flushes the buffer.
   */
  properties[PROP_LINE_BUFFERING] =
    g_param_spec_boolean ("line-buffering", NULL, NULL, FALSE, flags);
  /**
   * IoTextStream:write-through: (getter get_write_through)
   *
   * Whether writes go to the buffer at once; they always do, the flag is
   * kept for `io.TextIOWrapper`'s API.
   */
  properties[PROP_WRITE_THROUGH] =
    g_param_spec_boolean ("write-through", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
io_text_stream_init (IoTextStream *self)
{
  self->decoded = g_string_new (NULL);
  self->snapshot_input = g_byte_array_new ();
  self->spare_input = g_byte_array_new ();
}

/* Errors of a detached or closed text stream, as CPython words them. */
static gboolean
check_open (IoTextStream  *self,
            GError       **error)
{
  if (self->buffer == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED,
                           "underlying buffer has been detached");
      return FALSE;
    }
  if (io_stream_is_closed (self->buffer))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED,
                           "I/O operation on closed file.");
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_readable (IoTextStream  *self,
                GError       **error)
{
  if (!check_open (self, error))
    return FALSE;
  if (self->decoder.decoder == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "not readable");
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_newline (const char  *newline,
               GError     **error)
{
  if (newline == NULL || g_strv_contains ((const char *const[]) { "", "\n", "\r", "\r\n", NULL },
                                          newline))
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               "illegal newline value: %s", newline);
  return FALSE;
}

/* _configure(): sets the charset, handlers and newline mode. */
static gboolean
configure (IoTextStream  *self,
           const char    *encoding,
           const char    *errors,
           const char    *newline,
           GError       **error)
{
  g_autoptr(IoTextDecoder) decoder = NULL;
  g_autoptr(IoTextEncoder) encoder = NULL;
  IoTextErrors handler;
  gint64 position;

  if (encoding == NULL)
    encoding = "utf-8";
  if (errors == NULL)
    errors = "strict";
  if (!check_newline (newline, error) || !io_text_errors_lookup (errors, &handler, error))
    return FALSE;
  if (io_stream_readable (self->buffer, NULL) &&
      (decoder = io_text_decoder_new (encoding, handler, error)) == NULL)
    return FALSE;
  if (io_stream_writable (self->buffer, NULL) &&
      (encoder = io_text_encoder_new (encoding, handler, error)) == NULL)
    return FALSE;
  if (decoder == NULL && encoder == NULL)
    {
      /* Still look the name up, as CPython does. */
      g_autoptr(IoTextEncoder) probe = io_text_encoder_new (encoding, handler, error);
      if (probe == NULL)
        return FALSE;
    }
  self->seekable = self->telling = io_stream_seekable (self->buffer, NULL);
  /* Not at the start of the stream, no byte order mark is written. */
  if (encoder != NULL && self->seekable)
    {
      position = io_stream_tell (self->buffer, error);
      if (position < 0)
        return FALSE;
      if (position != 0)
        io_text_encoder_skip_bom (encoder);
    }

  g_free (self->encoding);
  self->encoding = g_strdup (encoding);
  g_free (self->errors_name);
  self->errors_name = g_strdup (errors);
  g_free (self->newline);
  self->newline = g_strdup (newline);
  self->readuniversal = newline == NULL || newline[0] == '\0';
  self->readtranslate = newline == NULL;
  self->writenl = newline != NULL && newline[0] != '\0' && strcmp (newline, "\n") != 0 ?
                  self->newline : NULL;
  io_text_newline_decoder_clear (&self->decoder);
  io_text_newline_decoder_init (&self->decoder, g_steal_pointer (&decoder),
                                self->readuniversal, self->readtranslate);
  g_clear_pointer (&self->encoder, io_text_encoder_free);
  self->encoder = g_steal_pointer (&encoder);
  return TRUE;
}

/**
 * io_text_stream_new:
 * @buffer: the binary stream to read and write
 * @encoding: (nullable): the charset, `NULL` for UTF-8
 * @errors: (nullable): the error handler, `NULL` for `strict`
 * @newline: (nullable): the newline mode, see [class@Io.TextStream]
 * @line_buffering: whether a write holding a line end flushes @buffer
 * @write_through: kept for `io.TextIOWrapper`'s API: writes always go to
 *   @buffer at once
 * @error: return location for a #GError
 *
 * Makes a text stream over @buffer (`io.TextIOWrapper(buffer, encoding,
 * errors, newline, line_buffering, write_through)`). An unknown @encoding
 * fails with %G_IO_ERROR_NOT_SUPPORTED (Python's `LookupError`), an
 * unknown @errors or @newline with %G_IO_ERROR_INVALID_ARGUMENT.
 *
 * Returns: (transfer full) (nullable): the text stream, or `NULL` on error
 */
IoTextStream *
io_text_stream_new (IoStream    *buffer,
                    const char  *encoding,
                    const char  *errors,
                    const char  *newline,
                    gboolean     line_buffering,
                    gboolean     write_through,
                    GError     **error)
{
  g_autoptr(IoTextStream) self = NULL;

  g_return_val_if_fail (IO_IS_STREAM (buffer), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (IO_TYPE_TEXT_STREAM, NULL);
  self->buffer = g_object_ref (buffer);
  if (!check_open (self, error) || !configure (self, encoding, errors, newline, error))
    return NULL;
  self->line_buffering = line_buffering;
  self->write_through = write_through;
  if (self->seekable)
    self->offset = MAX (io_stream_tell (buffer, NULL), 0);
  return g_steal_pointer (&self);
}

/* The bytes per character of the last chunk read, CPython's b2cratio,
 * counted when first needed rather than for every chunk. */
static double
get_ratio (IoTextStream *self)
{
  if (self->ratio_bytes > 0)
    {
      gsize n_chars = io_text_utf8_count (self->decoded->str, self->decoded->len);

      self->ratio = n_chars > 0 ? (double) self->ratio_bytes / n_chars : 0.0;
      self->ratio_bytes = 0;
    }
  return self->ratio;
}

/* Forgets the decoded chunk and its snapshot. */
static void
clear_decoded (IoTextStream *self)
{
  get_ratio (self);
  g_string_truncate (self->decoded, 0);
  self->used = 0;
  self->has_decoded = FALSE;
  self->has_snapshot = FALSE;
}

/* _read_chunk(): decodes the next chunk of the buffer, at least 8192
 * bytes or what @size_hint characters take at the last chunk's ratio, and
 * keeps a snapshot of the decoder's state before it. Returns 1, 0 at the
 * end of the buffer when it made no characters, or -1 on error. */
static int
read_chunk (IoTextStream  *self,
            gsize          size_hint,
            GError       **error)
{
  gsize n_pending, size = CHUNK_SIZE;
  const guint8 *pending;
  guint8 *chunk;
  guint64 flags;
  gssize n;

  if (size_hint > 0)
    size = MAX (size, (gsize) (MAX (get_ratio (self), 1.0) * size_hint));
  /* With tell() on, the chunk is read straight after the pending bytes
   * into the next snapshot, which needs them both. */
  pending = io_text_newline_decoder_get_state (&self->decoder, &n_pending, &flags);
  if (self->telling)
    {
      g_byte_array_set_size (self->spare_input, 0);
      g_byte_array_append (self->spare_input, pending, n_pending);
      g_byte_array_set_size (self->spare_input, n_pending + size);
      chunk = self->spare_input->data + n_pending;
    }
  else
    {
      if (size > self->chunk_capacity)
        {
          g_free (self->chunk);
          self->chunk = g_malloc (size);
          self->chunk_capacity = size;
        }
      chunk = self->chunk;
    }
  n = io_stream_read1 (self->buffer, chunk, size, error);
  if (self->telling)
    g_byte_array_set_size (self->spare_input, n_pending + MAX (n, 0));
  if (n < 0)
    return -1;
  g_string_truncate (self->decoded, 0);
  self->used = 0;
  self->has_decoded = TRUE;
  self->offset += n;
  self->ratio = 0.0;
  self->ratio_bytes = 0;
  if (!io_text_newline_decoder_decode (&self->decoder, chunk, n, n == 0, self->offset - n,
                                       self->decoded, error))
    return -1;
  if (self->decoded->len > 0)
    self->ratio_bytes = n;
  if (self->telling)
    {
      GByteArray *input = self->spare_input;

      self->spare_input = self->snapshot_input;
      self->snapshot_input = input;
      self->snapshot_flags = flags;
      self->has_snapshot = TRUE;
    }
  return n > 0 || self->decoded->len > 0;
}

/* The byte length of the first @n_chars characters of @text (all of it
 * when shorter). */
static gsize
chars_to_bytes (const char *text,
                gsize       len,
                gsize       n_chars)
{
  const char *p = text, *end = text + len;

  if (n_chars >= len)
    return len;
  for (; n_chars > 0 && p < end; n_chars--)
    p = g_utf8_next_char (p);
  return MIN (p, end) - text;
}

/* _get_decoded_chars(n): takes up to @n_chars (all when negative). */
static void
take_decoded (IoTextStream *self,
              gssize        n_chars,
              GString      *out)
{
  const char *text = self->decoded->str + self->used;
  gsize avail = self->decoded->len - self->used;
  gsize n = n_chars < 0 ? avail : chars_to_bytes (text, avail, n_chars);

  g_string_append_len (out, text, n);
  self->used += n;
}

static GString *
read_text (IoTextStream  *self,
           gssize         n_chars,
           GError       **error)
{
  g_autoptr(GString) result = g_string_new (NULL);

  if (!check_readable (self, error))
    return NULL;
  if (n_chars < 0)
    {
      g_autoptr(GBytes) rest = NULL;
      gsize len;
      const guint8 *data;

      take_decoded (self, -1, result);
      rest = io_stream_readall (self->buffer, error);
      if (rest == NULL)
        return NULL;
      data = g_bytes_get_data (rest, &len);
      if (!io_text_newline_decoder_decode (&self->decoder, data, len, TRUE, self->offset,
                                           result, error))
        return NULL;
      self->offset += len;
      self->has_snapshot = FALSE;
      return g_steal_pointer (&result);
    }
  take_decoded (self, n_chars, result);
  for (gsize got = io_text_utf8_count (result->str, result->len); got < (gsize) n_chars;)
    {
      gsize before = result->len;
      int more = read_chunk (self, n_chars - got, error);

      if (more < 0)
        return NULL;
      if (more == 0)
        break;
      take_decoded (self, n_chars - got, result);
      got += io_text_utf8_count (result->str + before, result->len - before);
    }
  return g_steal_pointer (&result);
}

/* Where the line in @text that a search from @start finds ends, as
 * TextIOWrapper.readline() looks for it in each newline mode. */
static gboolean
find_line_end (IoTextStream *self,
               const char   *text,
               gsize         len,
               gsize         start,
               gsize        *endpos)
{
  const char *p = text + start, *end = text + len, *nl, *cr;

  if (self->readtranslate)
    {
      nl = memchr (p, '\n', end - p);
      if (nl == NULL)
        return FALSE;
      *endpos = nl + 1 - text;
      return TRUE;
    }
  if (self->readuniversal)
    {
      nl = memchr (p, '\n', end - p);
      cr = memchr (p, '\r', (nl != NULL ? nl : end) - p);
      if (cr != NULL)
        *endpos = cr + 1 - text + (cr + 1 < end && cr[1] == '\n');
      else if (nl != NULL)
        *endpos = nl + 1 - text;
      return cr != NULL || nl != NULL;
    }
  if (self->newline[1] == '\0')
    {
      nl = memchr (p, self->newline[0], end - p);
      if (nl == NULL)
        return FALSE;
      *endpos = nl + 1 - text;
      return TRUE;
    }
  /* "\r\n" may straddle the text searched before and the new text. */
  if (start > 0)
    p--;
  for (; (cr = memchr (p, '\r', end - p)) != NULL; p = cr + 1)
    if (cr + 1 < end && cr[1] == '\n')
      {
        *endpos = cr + 2 - text;
        return TRUE;
      }
  return FALSE;
}

/* readline(), as CPython's C TextIOWrapper: the line is looked for in the
 * decoded chunk and copied once; only a line that spans chunks is
 * gathered in @line. */
static char *
read_line (IoTextStream  *self,
           gssize         limit,
           gsize         *out_len,
           GError       **error)
{
  g_autoptr(GString) line = NULL;
  gsize start = 0, endpos = 0;
  const char *text;
  gsize len;

  if (!check_readable (self, error))
    return NULL;
  for (;;)
    {
      int more = 1;

      while (self->decoded->len == 0 && (more = read_chunk (self, 0, error)) > 0)
        ;
      if (more < 0)
        return NULL;
      if (more == 0)
        {
          clear_decoded (self);
          *out_len = line != NULL ? line->len : 0;
          return line != NULL ? g_string_free (g_steal_pointer (&line), FALSE) : g_strdup ("");
        }
      if (line != NULL)
        {
          g_string_append_len (line, self->decoded->str, self->decoded->len);
          self->used = self->decoded->len;
        }
      text = line != NULL ? line->str : self->decoded->str + self->used;
      len = line != NULL ? line->len : self->decoded->len - self->used;
      if (find_line_end (self, text, len, start, &endpos))
        break;
      start = len;
      if (limit >= 0 && len >= (gsize) limit && io_text_utf8_count (text, len) >= (gsize) limit)
        {
          endpos = len;
          break;
        }
      if (line == NULL)
        line = g_string_new_len (text, len);
      g_string_truncate (self->decoded, 0);
      self->used = 0;
    }
  if (limit >= 0)
    endpos = chars_to_bytes (text, endpos, limit);
  *out_len = endpos;
  if (line == NULL)
    {
      char *result = g_malloc (endpos + 1);

      memcpy (result, text, endpos);
      result[endpos] = '\0';
      self->used += endpos;
      return result;
    }
  self->used -= len - endpos;
  g_string_truncate (line, endpos);
  return g_string_free (g_steal_pointer (&line), FALSE);
}

/* The text of @string, with its length, for a C caller. */
static char *
steal_text (GString *string,
            gsize   *out_len)
{
  if (string == NULL)
    return NULL;
  if (out_len != NULL)
    *out_len = string->len;
  return g_string_free (string, FALSE);
}

/**
 * io_text_stream_read:
 * @self: an #IoTextStream
 * @n_chars: the number of characters to read, or -1 for all of them
 * @out_len: (out) (optional) (skip): return location for the text's length in bytes
 * @error: return location for a #GError
 *
 * Reads up to @n_chars characters, fewer only at the end of the stream
 * (Python's `read(n)`), or everything up to the end.
 *
 * Returns: (transfer full) (nullable): the UTF-8 text, empty at the end of
 *   the stream, or `NULL` on error
 */
char *
io_text_stream_read (IoTextStream  *self,
                     gssize         n_chars,
                     gsize         *out_len,
                     GError       **error)
{
  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), NULL);

  return steal_text (read_text (self, n_chars, error), out_len);
}

/**
 * io_text_stream_read_bytes:
 * @self: an #IoTextStream
 * @n_chars: the number of characters to read, or -1 for all of them
 * @error: return location for a #GError
 *
 * The same as [method@Io.TextStream.read], the text's UTF-8 bytes in a
 * #GBytes, for bindings and text holding NULs.
 *
 * Returns: (transfer full) (nullable): the UTF-8 bytes, or `NULL` on error
 */
GBytes *
io_text_stream_read_bytes (IoTextStream  *self,
                           gssize         n_chars,
                           GError       **error)
{
  GString *text;

  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), NULL);

  text = read_text (self, n_chars, error);
  return text != NULL ? g_string_free_to_bytes (text) : NULL;
}

/**
 * io_text_stream_readline:
 * @self: an #IoTextStream
 * @limit: the most characters to return, or -1 for no limit
 * @out_len: (out) (optional) (skip): return location for the line's length in bytes
 * @error: return location for a #GError
 *
 * Reads a line, its line end included (Python's `readline(limit)`); the
 * line end is the one of the newline mode.
 *
 * Returns: (transfer full) (nullable): the line, empty at the end of the
 *   stream, or `NULL` on error
 */
char *
io_text_stream_readline (IoTextStream  *self,
                         gssize         limit,
                         gsize         *out_len,
                         GError       **error)
{
  gsize len;
  char *line;

  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), NULL);

  line = read_line (self, limit, &len, error);
  if (line != NULL && out_len != NULL)
    *out_len = len;
  return line;
}

/**
 * io_text_stream_readline_bytes:
 * @self: an #IoTextStream
 * @limit: the most characters to return, or -1 for no limit
 * @error: return location for a #GError
 *
 * The same as [method@Io.TextStream.readline], the line's UTF-8 bytes in
 * a #GBytes.
 *
 * Returns: (transfer full) (nullable): the line's bytes, or `NULL` on error
 */
GBytes *
io_text_stream_readline_bytes (IoTextStream  *self,
                               gssize         limit,
                               GError       **error)
{
  gsize len;
  char *line;

  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), NULL);

  line = read_line (self, limit, &len, error);
  return line != NULL ? g_bytes_new_take (line, len) : NULL;
}

static char *
next_line (IoTextStream  *self,
           gsize         *len,
           GError       **error)
{
  char *line;

  self->telling = FALSE;
  line = read_line (self, -1, len, error);
  if (line == NULL || *len > 0)
    return line;
  g_free (line);
  self->has_snapshot = FALSE;
  self->telling = self->seekable;
  return NULL;
}

/**
 * io_text_stream_next_line:
 * @self: an #IoTextStream
 * @out_len: (out) (optional) (skip): return location for the line's length in bytes
 * @error: return location for a #GError
 *
 * The next line of a loop over the lines (Python's `next()`): as
 * [method@Io.TextStream.readline], but `NULL` without an error at the end
 * of the stream, and, as in CPython, [method@Io.TextStream.tell] fails
 * until the loop reaches the end or the stream is sought.
 *
 * Returns: (transfer full) (nullable): the line, or `NULL` at the end of
 *   the stream or on error
 */
char *
io_text_stream_next_line (IoTextStream  *self,
                          gsize         *out_len,
                          GError       **error)
{
  gsize len;
  char *line;

  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), NULL);

  line = next_line (self, &len, error);
  if (line != NULL && out_len != NULL)
    *out_len = len;
  return line;
}

/**
 * io_text_stream_next_line_bytes:
 * @self: an #IoTextStream
 * @error: return location for a #GError
 *
 * The same as [method@Io.TextStream.next_line], the line's UTF-8 bytes in
 * a #GBytes.
 *
 * Returns: (transfer full) (nullable): the line's bytes, or `NULL` at the
 *   end of the stream or on error
 */
GBytes *
io_text_stream_next_line_bytes (IoTextStream  *self,
                                GError       **error)
{
  gsize len;
  char *line;

  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), NULL);

  line = next_line (self, &len, error);
  return line != NULL ? g_bytes_new_take (line, len) : NULL;
}

/**
 * io_text_stream_readlines:
 * @self: an #IoTextStream
 * @hint: stop once the lines hold this many characters; 0 or less for
 *   no limit
 * @error: return location for a #GError
 *
 * Reads lines to the end of the stream, or until they hold @hint
 * characters (Python's `readlines(hint)`, a loop of
 * [method@Io.TextStream.next_line]).
 *
 * Returns: (transfer full) (array zero-terminated=1) (nullable): the lines,
 *   or `NULL` on error
 */
char **
io_text_stream_readlines (IoTextStream  *self,
                          gssize         hint,
                          GError       **error)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  GError *local_error = NULL;
  gsize total = 0;
  char *line;
  gsize len;

  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), NULL);

  while ((line = io_text_stream_next_line (self, &len, &local_error)) != NULL)
    {
      g_ptr_array_add (lines, line);
      total += io_text_utf8_count (line, len);
      if (hint > 0 && total >= (gsize) hint)
        break;
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  return (char **) g_ptr_array_steal (lines, NULL);
}

static gssize
write_text (IoTextStream  *self,
            const char    *text,
            gsize          len,
            GError       **error)
{
  g_autoptr(GString) translated = NULL;
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  gboolean haslf;
  gsize n_chars = io_text_utf8_count (text, len);

  if (!check_open (self, error))
    return -1;
  if (self->encoder == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "not writable");
      return -1;
    }
  haslf = (self->writenl != NULL || self->line_buffering) && memchr (text, '\n', len) != NULL;
  if (haslf && self->writenl != NULL)
    {
      translated = g_string_sized_new (len + 16);
      io_text_newline_translate_write (text, len, self->writenl, translated);
      text = translated->str;
      len = translated->len;
    }
  if (!io_text_encoder_encode (self->encoder, text, len, bytes, error))
    return -1;
  if (!io_stream_write_all (self->buffer, bytes->data, bytes->len, NULL, error))
    return -1;
  self->offset += bytes->len;
  if (self->line_buffering && (haslf || memchr (text, '\r', len) != NULL) &&
      !io_stream_flush (self->buffer, error))
    return -1;
  clear_decoded (self);
  if (self->decoder.decoder != NULL)
    io_text_newline_decoder_reset (&self->decoder);
  return n_chars;
}

/**
 * io_text_stream_write:
 * @self: an #IoTextStream
 * @text: UTF-8 text
 * @len: the length of @text in bytes, or -1 when it ends with a NUL (in
 *   the bindings, always -1; [method@Io.TextStream.write_bytes] takes text
 *   holding NULs)
 * @error: return location for a #GError
 *
 * Encodes @text, each `\n` as the newline mode says, and writes it all to
 * the buffer (Python's `write(str)`). Text the charset cannot encode fails
 * with %G_IO_ERROR_INVALID_DATA under `strict`; text that is not UTF-8
 * with %G_IO_ERROR_INVALID_ARGUMENT.
 *
 * Returns: the number of characters written, or -1 on error
 */
gssize
io_text_stream_write (IoTextStream  *self,
                      const char    *text,
                      gssize         len,
                      GError       **error)
{
  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), -1);
  g_return_val_if_fail (text != NULL || len == 0, -1);

  return write_text (self, text, len < 0 ? strlen (text) : (gsize) len, error);
}

/**
 * io_text_stream_write_bytes:
 * @self: an #IoTextStream
 * @text: UTF-8 text
 * @error: return location for a #GError
 *
 * The same as [method@Io.TextStream.write], for text in a #GBytes.
 *
 * Returns: the number of characters written, or -1 on error
 */
gssize
io_text_stream_write_bytes (IoTextStream  *self,
                            GBytes        *text,
                            GError       **error)
{
  gsize len;
  const char *data;

  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), -1);
  g_return_val_if_fail (text != NULL, -1);

  data = g_bytes_get_data (text, &len);
  return write_text (self, data != NULL ? data : "", len, error);
}

/**
 * io_text_stream_flush:
 * @self: an #IoTextStream
 * @error: return location for a #GError
 *
 * Flushes the buffer, and lets [method@Io.TextStream.tell] work again
 * after a loop over the lines.
 *
 * Returns: `TRUE` on success
 */
gboolean
io_text_stream_flush (IoTextStream  *self,
                      GError       **error)
{
  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), FALSE);

  if (!check_open (self, error))
    return FALSE;
  self->telling = self->seekable;
  return io_stream_flush (self->buffer, error);
}

static gboolean
check_seekable (IoTextStream  *self,
                GError       **error)
{
  if (!check_open (self, error))
    return FALSE;
  if (!self->seekable)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           "underlying stream is not seekable");
      return FALSE;
    }
  return TRUE;
}

/**
 * io_text_stream_tell:
 * @self: an #IoTextStream
 * @cookie: (out caller-allocates): return location for the position
 * @error: return location for a #GError
 *
 * Gives the position of the next character to read (Python's `tell()`):
 * the byte position where decoding can restart and how to get from there
 * to the character, found by replaying the decoder as CPython does.
 *
 * Returns: `TRUE` on success
 */
gboolean
io_text_stream_tell (IoTextStream  *self,
                     IoTextCookie  *cookie,
                     GError       **error)
{
  gint64 position;
  gsize chars_to_skip;

  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), FALSE);
  g_return_val_if_fail (cookie != NULL, FALSE);

  memset (cookie, 0, sizeof *cookie);
  if (!check_seekable (self, error))
    return FALSE;
  if (!self->telling)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           "telling position disabled by next() call");
      return FALSE;
    }
  if (!io_stream_flush (self->buffer, error))
    return FALSE;
  position = io_stream_tell (self->buffer, error);
  if (position < 0)
    return FALSE;
  if (self->decoder.decoder == NULL || !self->has_snapshot)
    {
      cookie->position = position;
      return TRUE;
    }
  position -= self->snapshot_input->len;
  chars_to_skip = io_text_utf8_count (self->decoded->str, self->used);
  if (chars_to_skip == 0)
    {
      cookie->position = position;
      cookie->dec_flags = self->snapshot_flags;
      return TRUE;
    }
  return io_text_cookie_reconstruct (&self->decoder, self->snapshot_flags,
                                     self->snapshot_input->data, self->snapshot_input->len,
                                     position, chars_to_skip, get_ratio (self), cookie, error);
}

/* _reset_encoder(): a byte order mark only at the start of the stream. */
static void
reset_encoder (IoTextStream *self,
               gboolean      at_start)
{
  if (self->encoder == NULL)
    return;
  if (at_start)
    io_text_encoder_reset (self->encoder);
  else
    io_text_encoder_skip_bom (self->encoder);
}

/**
 * io_text_stream_seek:
 * @self: an #IoTextStream
 * @cookie: a position from [method@Io.TextStream.tell], or one holding
 *   only a byte @position
 * @error: return location for a #GError
 *
 * Goes back to a position [method@Io.TextStream.tell] gave (Python's
 * `seek(cookie)`), restoring the decoder's state. A zeroed cookie is the
 * start of the stream.
 *
 * Returns: `TRUE` on success
 */
gboolean
io_text_stream_seek (IoTextStream        *self,
                     const IoTextCookie  *cookie,
                     GError             **error)
{
  gboolean at_start;

  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), FALSE);
  g_return_val_if_fail (cookie != NULL, FALSE);

  if (!check_seekable (self, error))
    return FALSE;
  if (cookie->position < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "negative seek position %" G_GINT64_FORMAT, cookie->position);
      return FALSE;
    }
  if (!io_text_stream_flush (self, error) ||
      io_stream_seek (self->buffer, cookie->position, IO_WHENCE_SET, error) < 0)
    return FALSE;
  self->offset = cookie->position;
  clear_decoded (self);
  /* As CPython, a cookie at byte 0 with no flags resets the decoder and
   * the encoder, for the byte order mark. */
  at_start = cookie->position == 0 && cookie->dec_flags == 0;
  if (self->decoder.decoder != NULL)
    {
      if (at_start)
        io_text_newline_decoder_reset (&self->decoder);
      else
        io_text_newline_decoder_set_flags (&self->decoder, cookie->dec_flags);
      self->has_snapshot = TRUE;
      self->snapshot_flags = cookie->dec_flags;
      g_byte_array_set_size (self->snapshot_input, 0);
    }
  if (cookie->chars_to_skip > 0)
    {
      g_autoptr(GBytes) input = NULL;
      const guint8 *data;
      gsize len;

      if (!check_readable (self, error))
        return FALSE;
      input = io_stream_read_bytes (self->buffer, cookie->bytes_to_feed, error);
      if (input == NULL)
        return FALSE;
      data = g_bytes_get_data (input, &len);
      if (!io_text_newline_decoder_decode (&self->decoder, data, len, cookie->need_eof,
                                           self->offset, self->decoded, error))
        return FALSE;
      self->offset += len;
      self->has_decoded = TRUE;
      g_byte_array_append (self->snapshot_input, data, len);
      if (io_text_utf8_count (self->decoded->str, self->decoded->len) < cookie->chars_to_skip)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                               "can't restore logical file position");
          return FALSE;
        }
      self->used = chars_to_bytes (self->decoded->str, self->decoded->len,
                                   cookie->chars_to_skip);
    }
  reset_encoder (self, at_start);
  return TRUE;
}

/**
 * io_text_stream_seek_end:
 * @self: an #IoTextStream
 * @error: return location for a #GError
 *
 * Goes to the end of the stream (Python's `seek(0, SEEK_END)`).
 *
 * Returns: the byte position of the end, or -1 on error
 */
gint64
io_text_stream_seek_end (IoTextStream  *self,
                         GError       **error)
{
  gint64 position;

  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), -1);

  if (!check_seekable (self, error) || !io_text_stream_flush (self, error))
    return -1;
  position = io_stream_seek (self->buffer, 0, IO_WHENCE_END, error);
  if (position < 0)
    return -1;
  self->offset = position;
  clear_decoded (self);
  if (self->decoder.decoder != NULL)
    io_text_newline_decoder_reset (&self->decoder);
  reset_encoder (self, position == 0);
  return position;
}

/**
 * io_text_stream_truncate:
 * @self: an #IoTextStream
 * @size: the new size in bytes, or -1 for the buffer's position
 * @error: return location for a #GError
 *
 * Flushes, then resizes the buffer (Python's `truncate(pos)`). As in
 * CPython, -1 is the buffer's position, which is past the characters
 * decoded ahead of the text's position.
 *
 * Returns: the new size, or -1 on error
 */
gint64
io_text_stream_truncate (IoTextStream  *self,
                         gint64         size,
                         GError       **error)
{
  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), -1);

  if (!io_text_stream_flush (self, error))
    return -1;
  return io_stream_truncate (self->buffer, size, error);
}

/**
 * io_text_stream_close:
 * @self: an #IoTextStream
 * @error: return location for a #GError
 *
 * Flushes and closes the buffer; closing a closed or detached stream
 * does nothing.
 *
 * Returns: `TRUE` on success
 */
gboolean
io_text_stream_close (IoTextStream  *self,
                      GError       **error)
{
  GError *flush_error = NULL;
  gboolean closed;

  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), FALSE);

  if (self->buffer == NULL || io_stream_is_closed (self->buffer))
    return TRUE;
  io_stream_flush (self->buffer, &flush_error);
  closed = io_stream_close (self->buffer, flush_error == NULL ? error : NULL);
  if (flush_error != NULL)
    {
      g_propagate_error (error, flush_error);
      return FALSE;
    }
  return closed;
}

/**
 * io_text_stream_is_closed:
 * @self: an #IoTextStream
 *
 * Whether the buffer is closed (Python's `closed`), or detached.
 *
 * Returns: `TRUE` if the stream is closed or detached
 */
gboolean
io_text_stream_is_closed (IoTextStream *self)
{
  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), TRUE);

  return self->buffer == NULL || io_stream_is_closed (self->buffer);
}

/**
 * io_text_stream_detach:
 * @self: an #IoTextStream
 * @error: return location for a #GError
 *
 * Flushes, then gives the buffer back (Python's `detach()`); every other
 * method then fails with %G_IO_ERROR_CLOSED.
 *
 * Returns: (transfer full) (nullable): the buffer, or `NULL` on error
 */
IoStream *
io_text_stream_detach (IoTextStream  *self,
                       GError       **error)
{
  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), NULL);

  if (!io_text_stream_flush (self, error))
    return NULL;
  clear_decoded (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUFFER]);
  return g_steal_pointer (&self->buffer);
}

/**
 * io_text_stream_readable:
 * @self: an #IoTextStream
 * @error: return location for a #GError
 *
 * Whether the text can be read: whether the buffer can.
 *
 * Returns: `TRUE` if readable; `FALSE` with @error set when closed
 */
gboolean
io_text_stream_readable (IoTextStream  *self,
                         GError       **error)
{
  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), FALSE);

  return check_open (self, error) && io_stream_readable (self->buffer, error);
}

/**
 * io_text_stream_writable:
 * @self: an #IoTextStream
 * @error: return location for a #GError
 *
 * Whether text can be written: whether the buffer can.
 *
 * Returns: `TRUE` if writable; `FALSE` with @error set when closed
 */
gboolean
io_text_stream_writable (IoTextStream  *self,
                         GError       **error)
{
  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), FALSE);

  return check_open (self, error) && io_stream_writable (self->buffer, error);
}

/**
 * io_text_stream_seekable:
 * @self: an #IoTextStream
 * @error: return location for a #GError
 *
 * Whether [method@Io.TextStream.tell] and [method@Io.TextStream.seek]
 * work: whether the buffer can seek.
 *
 * Returns: `TRUE` if seekable; `FALSE` with @error set when closed
 */
gboolean
io_text_stream_seekable (IoTextStream  *self,
                         GError       **error)
{
  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), FALSE);

  return check_open (self, error) && self->seekable;
}

/**
 * io_text_stream_get_buffer: (get-property buffer)
 * @self: an #IoTextStream
 *
 * The binary stream under the text.
 *
 * Returns: (transfer none) (nullable): the buffer, `NULL` once detached
 */
IoStream *
io_text_stream_get_buffer (IoTextStream *self)
{
  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), NULL);

  return self->buffer;
}

/**
 * io_text_stream_get_encoding: (get-property encoding)
 * @self: an #IoTextStream
 *
 * The charset's name, as it was given (`utf-8` for the default).
 *
 * Returns: (transfer none): the charset's name
 */
const char *
io_text_stream_get_encoding (IoTextStream *self)
{
  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), NULL);

  return self->encoding;
}

/**
 * io_text_stream_get_errors: (get-property errors)
 * @self: an #IoTextStream
 *
 * The error handler's name (`strict` for the default).
 *
 * Returns: (transfer none): the error handler's name
 */
const char *
io_text_stream_get_errors (IoTextStream *self)
{
  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), NULL);

  return self->errors_name;
}

/**
 * io_text_stream_get_newline: (get-property newline)
 * @self: an #IoTextStream
 *
 * The newline mode.
 *
 * Returns: (transfer none) (nullable): `NULL`, `""`, `"\n"`, `"\r"` or
 *   `"\r\n"`
 */
const char *
io_text_stream_get_newline (IoTextStream *self)
{
  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), NULL);

  return self->newline;
}

/**
 * io_text_stream_get_line_buffering: (get-property line-buffering)
 * @self: an #IoTextStream
 *
 * Whether a write holding a line end flushes the buffer.
 *
 * Returns: the line buffering flag
 */
gboolean
io_text_stream_get_line_buffering (IoTextStream *self)
{
  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), FALSE);

  return self->line_buffering;
}

/**
 * io_text_stream_get_write_through: (get-property write-through)
 * @self: an #IoTextStream
 *
 * The write-through flag given (writes always reach the buffer at once).
 *
 * Returns: the write-through flag
 */
gboolean
io_text_stream_get_write_through (IoTextStream *self)
{
  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), FALSE);

  return self->write_through;
}

/**
 * io_text_stream_get_newlines:
 * @self: an #IoTextStream
 *
 * The line ends read so far in the universal newline modes (Python's
 * `newlines`), in the order `\r`, `\n`, `\r\n`.
 *
 * Returns: (transfer full) (array zero-terminated=1) (nullable): the line
 *   ends seen, or `NULL` when none was or the mode is not universal
 */
char **
io_text_stream_get_newlines (IoTextStream *self)
{
  static const char *const names[] = { "\r", "\n", "\r\n" };
  g_autoptr(GStrvBuilder) builder = NULL;
  gboolean any = FALSE;

  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), NULL);

  builder = g_strv_builder_new ();
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (self->decoder.seen & (1u << i))
      {
        g_strv_builder_add (builder, names[i]);
        any = TRUE;
      }
  return any ? g_strv_builder_end (builder) : NULL;
}

/**
 * io_text_stream_reconfigure:
 * @self: an #IoTextStream
 * @encoding: (nullable): the new charset, or `NULL` to keep it
 * @errors: (nullable): the new error handler, or `NULL` to keep it
 *   (`strict` when @encoding changes)
 * @set_newline: whether to change the newline mode to @newline
 * @newline: (nullable): the new newline mode when @set_newline
 * @line_buffering: 1 or 0 to set line buffering, -1 to keep it
 * @write_through: 1 or 0 to set write-through, -1 to keep it
 * @error: return location for a #GError
 *
 * Changes the configuration (Python's `reconfigure()`), after flushing.
 * The charset and newline mode cannot change once text has been read and
 * not given up by a seek or a write (%G_IO_ERROR_NOT_SUPPORTED).
 *
 * Returns: `TRUE` on success
 */
gboolean
io_text_stream_reconfigure (IoTextStream  *self,
                            const char    *encoding,
                            const char    *errors,
                            gboolean       set_newline,
                            const char    *newline,
                            int            line_buffering,
                            int            write_through,
                            GError       **error)
{
  g_autofree char *old_newline = NULL;

  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), FALSE);

  if (self->has_decoded && (encoding != NULL || errors != NULL || set_newline))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           "It is not possible to set the encoding or newline "
                           "of stream after the first read");
      return FALSE;
    }
  if (!check_open (self, error))
    return FALSE;
  if (errors == NULL)
    errors = encoding == NULL ? self->errors_name : "strict";
  if (encoding == NULL)
    encoding = self->encoding;
  old_newline = g_strdup (self->newline);
  if (!set_newline)
    newline = old_newline;
  if (!check_newline (newline, error) || !io_text_stream_flush (self, error))
    return FALSE;
  if (encoding != self->encoding || errors != self->errors_name || set_newline)
    {
      g_autofree char *enc = g_strdup (encoding), *err = g_strdup (errors);

      if (!configure (self, enc, err, newline, error))
        return FALSE;
    }
  if (line_buffering >= 0)
    self->line_buffering = line_buffering != 0;
  if (write_through >= 0)
    self->write_through = write_through != 0;
  return TRUE;
}
