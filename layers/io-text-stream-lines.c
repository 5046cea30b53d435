/* io-text-stream-lines.c: Io.TextStream's lines
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <gio/gio.h>
#include <string.h>

#include "io-buffer-private.h"
#include "io-stream-inline-private.h"
#include "io-text-lines-private.h"
#include "io-text-stream-private.h"

#ifdef __SSE2__
/* A bit for each @a or @b among the 16 bytes at @p. */
static inline guint
either_in_16 (const char *p,
              __m128i     va,
              __m128i     vb)
{
  __m128i block = _mm_loadu_si128 ((const __m128i *) (const void *) p);

  return (guint) _mm_movemask_epi8 (_mm_or_si128 (_mm_cmpeq_epi8 (block, va),
                                                  _mm_cmpeq_epi8 (block, vb)));
}
#endif

/* The first @a or @b among the @n bytes at @p, or NULL: with SSE2, 32
 * bytes a step, the last step overlapping the one before, so that a line
 * of some 80 bytes takes three steps and no call. */
static inline const char *
find_either (const char *p,
             gsize       n,
             char        a,
             char        b)
{
#ifdef __SSE2__
  const __m128i va = _mm_set1_epi8 (a), vb = _mm_set1_epi8 (b);
  gsize i = 0;

  if G_LIKELY (n >= 32)
    for (;; i += 32)
      {
        guint32 mask;

        if (i + 32 > n)
          i = n - 32;
        mask = either_in_16 (p + i, va, vb) | either_in_16 (p + i + 16, va, vb) << 16;
        if (mask != 0)
          return p + i + __builtin_ctz (mask);
        if (i + 32 == n)
          return NULL;
      }
  for (; i < n; i++)
    if (p[i] == a || p[i] == b)
      return p + i;
  return NULL;
#else
  const char *found = memchr (p, a, n);

  if (a != b)
    {
      const char *other = memchr (p, b, found != NULL ? (gsize) (found - p) : n);

      if (other != NULL)
        found = other;
    }
  return found;
#endif
}

/* Where the line in @text that a search from @start finds ends, as
 * TextIOWrapper.readline() looks for it in each newline mode: '\n' once
 * translated, '\n' or '\r' (and the '\n' after it) in universal mode, the
 * newline itself otherwise. */
static inline gboolean
find_line_end (IoTextStream *self,
               const char   *text,
               gsize         len,
               gsize         start,
               gsize        *endpos)
{
  const char *p = text + start, *end = text + len, *found;

  if (self->readtranslate)
    found = find_either (p, end - p, '\n', '\n');
  else if (self->readuniversal)
    {
      found = find_either (p, end - p, '\n', '\r');
      if (found != NULL && *found == '\r' && found + 1 < end && found[1] == '\n')
        found++;
    }
  else if (self->newline[1] == '\0')
    found = find_either (p, end - p, self->newline[0], self->newline[0]);
  else
    {
      /* "\r\n" may straddle the text searched before and the new text. */
      if (start > 0)
        p--;
      for (; (found = memchr (p, '\r', end - p)) != NULL; p = found + 1)
        if (found + 1 < end && found[1] == '\n')
          {
            found++;
            break;
          }
    }
  if (found == NULL)
    return FALSE;
  *endpos = found + 1 - text;
  return TRUE;
}

/* Makes room for @needed bytes in the caller's buffer. */
static inline gboolean
grow_line (char   **buffer,
           gsize   *capacity,
           gsize    needed,
           GError **error)
{
  guint8 *data = (guint8 *) *buffer;
  gboolean grown;

  if G_LIKELY (needed <= *capacity)
    return TRUE;
  grown = io_grow_capacity (&data, capacity, needed, error);
  *buffer = (char *) data;
  return grown;
}

/* memcpy() of a line, inline in 16-byte moves when it is shorter than
 * 128 bytes (the last move overlapping the one before). */
static inline void
copy_line (char       *dst,
           const char *src,
           gsize       n)
{
  if (n < 16 || n > 128)
    {
      memcpy (dst, src, n);
      return;
    }
  for (gsize i = 0; i + 16 < n; i += 16)
    memcpy (dst + i, src + i, 16);
  memcpy (dst + n - 16, src + n - 16, 16);
}

#ifdef __SSE2__
/* A line this short is found and copied in fixed work. */
#define SHORT_LINE_SPAN 128

/* Copies the 64 or 128 bytes at @src to @dst and returns the length of
 * the line they start when its '\n' is among them, 0 otherwise: the same
 * loads, stores and compares for every line up to 64 bytes and for every
 * one from 65 to 128, so that few branches depend on the length. */
static inline gsize
copy_short_line (char       *dst,
                 const char *src)
{
  const __m128i newline = _mm_set1_epi8 ('\n');
  guint64 found = 0;
  gsize base;

  for (base = 0; base < SHORT_LINE_SPAN; base += 64)
    {
      for (guint i = 0; i < 4; i++)
        {
          __m128i block = _mm_loadu_si128 ((const __m128i *) (const void *) (src + base + 16 * i));

          _mm_storeu_si128 ((__m128i *) (void *) (dst + base + 16 * i), block);
          found |= (guint64) (guint) _mm_movemask_epi8 (_mm_cmpeq_epi8 (block, newline)) << (16 * i);
        }
      if (found != 0)
        return base + (gsize) __builtin_ctzll (found) + 1;
    }
  return 0;
}
#endif

/* The line that starts the @available bytes at @text, found and copied
 * into the caller's reused buffer in fixed work when '\n' ends it within
 * SHORT_LINE_SPAN bytes: its length in *@len, or FALSE. */
static inline gboolean
take_short_line (const char  *text,
                 gsize        available,
                 char       **buffer,
                 gsize       *capacity,
                 gsize       *len)
{
#ifdef __SSE2__
  if (available >= SHORT_LINE_SPAN && *buffer != NULL &&
      grow_line (buffer, capacity, SHORT_LINE_SPAN + 1, NULL))
    *len = copy_short_line (*buffer, text);
  return *len > 0;
#else
  return FALSE;
#endif
}

/* The line the decoded chunk holds whole, when the caller's buffer has
 * room for it or is still to be allocated (then at the line's size): one
 * search and one copy, inline. */
G_ALWAYS_INLINE static inline gboolean
take_decoded_line (IoTextStream  *self,
                   char         **buffer,
                   gsize         *capacity,
                   gsize         *out_len,
                   gboolean      *ascii)
{
  const char *text = self->decoded->str + self->used;
  gsize endpos = 0, available = self->decoded->len - self->used;

  /* Only '\n' ends a line when it is translated, or the newline. */
  if (!((self->readtranslate || self->window_stop == '\n') &&
        take_short_line (text, available, buffer, capacity, &endpos)))
    {
      if (!find_line_end (self, text, available, 0, &endpos))
        return FALSE;
      if (endpos >= *capacity)
        {
          if (*buffer != NULL || (*buffer = g_try_malloc (endpos + 1)) == NULL)
            return FALSE;
          *capacity = endpos + 1;
        }
      copy_line (*buffer, text, endpos);
    }
  (*buffer)[endpos] = '\0';
  self->used += endpos;
  *out_len = endpos;
  *ascii = self->decoded_ascii;
  return TRUE;
}

/* The next line of the window chunk (see
 * io_text_stream_begin_window_chunk()), which has bytes left, when it
 * holds the line whole: one search and one copy, as a binary line is
 * read, and no decoding, the chunk being plain ASCII. */
G_ALWAYS_INLINE static inline gboolean
take_window_line (IoTextStream  *self,
                  char         **buffer,
                  gsize         *capacity,
                  gsize         *out_len,
                  gboolean      *ascii)
{
  IoStreamPrivate *priv;
  const char *text, *end;
  gboolean taken;
  gsize len = 0;

  if ((priv = io_stream_inline_enter_stream (self->buffer, &taken)) == NULL)
    return FALSE;
  text = (const char *) priv->window.pos;
  /* The window as the chunk left it: not closed, refilled or moved. */
  if G_LIKELY (io_window_readable (&priv->window) >= self->window_left)
    {
      if (!take_short_line (text, self->window_left, buffer, capacity, &len) &&
          (end = memchr (text, '\n', self->window_left)) != NULL &&
          grow_line (buffer, capacity, (end - text) + 2, NULL))
        {
          len = end + 1 - text;
          copy_line (*buffer, text, len);
        }
    }
  priv->window.pos += len;
  io_stream_inline_leave (priv, taken);
  if (len == 0)
    return FALSE;
  (*buffer)[len] = '\0';
  self->window_left -= len;
  *out_len = len;
  *ascii = TRUE;
  return TRUE;
}

/* A whole line without a call: from the decoded chunk while it has text,
 * else from the window chunk. FALSE leaves the line, and any error, to
 * read_line_into(). */
G_ALWAYS_INLINE static inline gboolean
take_whole_line (IoTextStream  *self,
                 char         **buffer,
                 gsize         *capacity,
                 gsize         *out_len,
                 gboolean      *ascii)
{
  /* A window chunk has no decoded text beside it. */
  if (self->window_left > 0)
    return take_window_line (self, buffer, capacity, out_len, ascii);
  return self->used < self->decoded->len && io_text_stream_can_read (self) &&
         take_decoded_line (self, buffer, capacity, out_len, ascii);
}

/* What gather_window_line() did. */
typedef enum {
  GATHERED_ERROR = -1,
  GATHERED_CHUNK_END,           /* the chunk's bytes, and it ended */
  GATHERED_LINE_END,            /* the line's bytes, up to its '\n' */
  GATHERED_SETTLED,             /* nothing: the chunk is now decoded */
} Gathered;

/* Appends the window chunk's bytes up to its next '\n' (or all of them) to
 * the @len bytes gathered in @buffer. A window the calling thread cannot
 * use now, or that is no longer the chunk's (a flush of a buffered random
 * drops what it read ahead), turns the rest of the chunk into an ordinary
 * one instead. */
static Gathered
gather_window_line (IoTextStream  *self,
                    char         **buffer,
                    gsize         *capacity,
                    gsize         *len,
                    GError       **error)
{
  IoStreamPrivate *priv;
  const char *text, *end;
  gboolean taken, grown;
  gsize piece;

  if ((priv = io_stream_inline_enter_stream (self->buffer, &taken)) == NULL ||
      io_window_readable (&priv->window) < self->window_left)
    {
      if (priv != NULL)
        io_stream_inline_leave (priv, taken);
      return io_text_stream_settle_window (self, error) ? GATHERED_SETTLED : GATHERED_ERROR;
    }
  text = (const char *) priv->window.pos;
  end = memchr (text, '\n', self->window_left);
  piece = end != NULL ? (gsize) (end + 1 - text) : self->window_left;
  grown = grow_line (buffer, capacity, *len + piece + 1, error);
  if (grown)
    {
      memcpy (*buffer + *len, text, piece);
      priv->window.pos += piece;
    }
  io_stream_inline_leave (priv, taken);
  if (!grown)
    return GATHERED_ERROR;
  *len += piece;
  self->window_left -= piece;
  return end != NULL ? GATHERED_LINE_END : GATHERED_CHUNK_END;
}

/* readline(), as CPython's C TextIOWrapper, into the caller's @buffer: the
 * line is looked for in the decoded chunk, or in the window chunk, and
 * copied once; only a line that spans chunks is gathered in @buffer chunk
 * by chunk. @ascii is set when every chunk the line came from was ASCII. */
static gssize
read_line_into (IoTextStream  *self,
                gssize         limit,
                char         **buffer,
                gsize         *capacity,
                gboolean      *ascii,
                GError       **error)
{
  gboolean gathering = FALSE, line_ascii = TRUE;
  gsize start = 0, endpos = 0, len = 0;
  const char *text;

  if (!io_text_stream_check_readable (self, error))
    return -1;
  /* A limit counts characters, in decoded text. */
  if (limit >= 0 && !io_text_stream_settle_window (self, error))
    return -1;
  for (;;)
    {
      IoTextWindowChunk window = IO_TEXT_WINDOW_CHUNK_NONE;
      int more = 1;

      if (limit < 0 && self->used >= self->decoded->len &&
          (self->window_left > 0 ||
           (window = io_text_stream_begin_window_chunk (self, error)) == IO_TEXT_WINDOW_CHUNK_STARTED))
        {
          /* A window chunk has no decoded text beside it, and a line not
           * yet gathered has no bytes: it appends to @len from 0. */
          Gathered gathered = gather_window_line (self, buffer, capacity, &len, error);

          if (gathered == GATHERED_ERROR)
            return -1;
          if (gathered == GATHERED_SETTLED)
            continue;
          gathering = TRUE;
          text = *buffer;
          if (gathered == GATHERED_LINE_END)
            {
              endpos = len;
              break;
            }
          start = len;
          continue;
        }
      if (window == IO_TEXT_WINDOW_CHUNK_ERROR)
        return -1;
      if (window == IO_TEXT_WINDOW_CHUNK_END)
        more = 0;
      while (more > 0 && self->decoded->len == 0 &&
             (more = io_text_stream_read_chunk (self, 0, 0, error)) > 0)
        ;
      if (more < 0)
        return -1;
      if (more == 0)
        {
          /* The end: what was gathered, if anything, is the line. */
          io_text_stream_clear_decoded (self);
          if (!gathering && !grow_line (buffer, capacity, 1, error))
            return -1;
          gathering = TRUE;
          endpos = len;
          text = *buffer;
          break;
        }
      line_ascii = line_ascii && self->decoded_ascii;
      if (gathering)
        {
          if (!grow_line (buffer, capacity, len + self->decoded->len + 1, error))
            return -1;
          memcpy (*buffer + len, self->decoded->str, self->decoded->len);
          len += self->decoded->len;
          self->used = self->decoded->len;
          text = *buffer;
        }
      else
        {
          text = self->decoded->str + self->used;
          len = self->decoded->len - self->used;
        }
      if (find_line_end (self, text, len, start, &endpos))
        break;
      start = len;
      if (limit >= 0 && len >= (gsize) limit && io_text_utf8_count (text, len) >= (gsize) limit)
        {
          endpos = len;
          break;
        }
      if (!gathering)
        {
          if (!grow_line (buffer, capacity, len + 1, error))
            return -1;
          memcpy (*buffer, text, len);
          gathering = TRUE;
        }
      g_string_truncate (self->decoded, 0);
      self->used = 0;
    }
  if (limit >= 0)
    endpos = io_text_chars_to_bytes (text, endpos, limit);
  if (!gathering)
    {
      /* Nothing is taken from the chunk until the line has its room. */
      if (!grow_line (buffer, capacity, endpos + 1, error))
        return -1;
      copy_line (*buffer, text, endpos);
      self->used += endpos;
    }
  else
    self->used -= len - endpos;
  (*buffer)[endpos] = '\0';
  *ascii = line_ascii;
  return (gssize) endpos;
}

/**
 * io_text_stream_readline_into: (skip)
 * @self: an #IoTextStream
 * @limit: the most characters to return, or -1 for no limit
 * @buffer: (inout): a buffer allocated with g_malloc(), or a pointer to `NULL`
 * @capacity: (inout): the size of the `*buffer` in bytes, 0 for `NULL`
 * @error: return location for a #GError
 *
 * Reads a line as [method@Io.TextStream.readline] does into a buffer the
 * caller reuses from line to line, like POSIX `getline()`: the UTF-8 line
 * keeps its line end, is followed by a `\0` that the returned length does
 * not count, and `*buffer` is grown with g_realloc() (updating
 * `*capacity`) when it is too small. Free it with g_free().
 *
 * This is the line reader for C loops: no allocation per line.
 * [method@Io.TextStream.readline_bytes] is the same for bindings.
 *
 * Returns: the line's length in bytes, 0 at the end of the stream, or -1
 *   on error (`*buffer` then stays valid, and is still the caller's to free)
 */
G_NO_INLINE static gssize
readline_into_slow (IoTextStream  *self,
                    gssize         limit,
                    char         **buffer,
                    gsize         *capacity,
                    GError       **error)
{
  static const char func[] = "io_text_stream_readline_into";
  gboolean ascii;

  io_return_val_if_fail_text_in (func, IO_IS_TEXT_STREAM (self), "IO_IS_TEXT_STREAM (self)", -1);
  io_return_val_if_fail_in (func, buffer != NULL && capacity != NULL, -1);
  io_return_val_if_fail_in (func, *buffer != NULL || *capacity == 0, -1);

  return read_line_into (self, limit, buffer, capacity, &ascii, error);
}

gssize
io_text_stream_readline_into (IoTextStream  *self,
                              gssize         limit,
                              char         **buffer,
                              gsize         *capacity,
                              GError       **error)
{
  gboolean ascii;
  gsize len;

  /* The checks of the slow half, without a call. */
  if G_LIKELY (io_text_stream_is_text_stream (self) && limit < 0 && buffer != NULL &&
               capacity != NULL && (*buffer != NULL || *capacity == 0) &&
               take_whole_line (self, buffer, capacity, &len, &ascii))
    return (gssize) len;
  return readline_into_slow (self, limit, buffer, capacity, error);
}

/* A new allocation of the line. */
static char *
read_line (IoTextStream  *self,
           gssize         limit,
           gsize         *out_len,
           GError       **error)
{
  char *line = NULL;
  gsize capacity = 0, whole;
  gboolean ascii;
  gssize len;

  if G_LIKELY (limit < 0 && take_whole_line (self, &line, &capacity, &whole, &ascii))
    {
      *out_len = whole;
      return line;
    }
  len = read_line_into (self, limit, &line, &capacity, &ascii, error);

  if (len < 0)
    {
      g_free (line);
      return NULL;
    }
  *out_len = len;
  return line;
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
 * [method@Io.TextStream.readline_into] reads into a reused buffer.
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

/* next(): a line, with tell() off as in CPython until the loop ends; -2
 * when it needs a read and not @may_read. */
static gssize
next_line_into (IoTextStream  *self,
                char         **buffer,
                gsize         *capacity,
                gboolean      *ascii,
                gboolean       may_read,
                GError       **error)
{
  gsize whole;
  gssize len;

  self->telling = FALSE;
  if G_LIKELY (take_whole_line (self, buffer, capacity, &whole, ascii))
    return (gssize) whole;
  if (!may_read)
    return -2;
  len = read_line_into (self, -1, buffer, capacity, ascii, error);
  if (len != 0)
    return len;
  self->has_snapshot = FALSE;
  self->telling = self->seekable;
  return 0;
}

gssize
_io_text_stream_next_line_into (IoTextStream  *self,
                                char         **buffer,
                                gsize         *capacity,
                                gboolean      *ascii,
                                gboolean       may_read,
                                GError       **error)
{
  g_return_val_if_fail (IO_IS_TEXT_STREAM (self), -1);
  g_return_val_if_fail (buffer != NULL && capacity != NULL && ascii != NULL, -1);
  g_return_val_if_fail (*buffer != NULL || *capacity == 0, -1);

  return next_line_into (self, buffer, capacity, ascii, may_read, error);
}

static char *
next_line (IoTextStream  *self,
           gsize         *out_len,
           GError       **error)
{
  char *line = NULL;
  gsize capacity = 0;
  gboolean ascii;
  gssize len = next_line_into (self, &line, &capacity, &ascii, TRUE, error);

  if (len <= 0)
    {
      g_free (line);
      return NULL;
    }
  *out_len = len;
  return line;
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
