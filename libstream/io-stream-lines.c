/* io-stream-lines.c: the line readers of IoStream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "io-buffer-private.h"
#include "io-stream-inline-private.h"
#include "io-stream-lines-private.h"

/* Appends to @line up to and including the next newline, at most @limit
 * bytes in all, with room for @spare bytes more after them. A lent window is searched in place. Past it, a backend that
 * lends windows is read one byte at a time (its read refills its memory and
 * lends a new window to search); other seekable ones are read in blocks and
 * repositioned after the newline; the rest one byte at a time, like
 * Python's RawIOBase.readline(), so no byte past the newline is consumed. */
static gboolean
read_line_into (IoStream *self,
                IoBuffer *line,
                gsize     limit,
                gsize     spare,
                GError  **error)
{
  IoStreamPrivate *priv = IO_STREAM_PRIV (self);
  GError *local_error = NULL;
  guint8 block[256];

  while (line->len < limit)
    {
      gsize want = limit - line->len;
      gsize available = io_window_readable (&priv->window);
      const guint8 *data = priv->window.pos;
      const guint8 *newline;
      gsize take;
      gssize n = 0;

      if (available == 0)
        {
          want = priv->can_seek && !priv->lends_window ? MIN (want, sizeof block) : 1;
          /* Room for all the read may return, made before it: bytes taken
           * from the backend and then not appended would be lost (an
           * unseekable backend cannot give them back). */
          if (!io_grow_capacity (&line->data, &line->capacity, line->len + want + spare,
                                 &local_error))
            break;
          n = io_stream_read_once (self, block, want, &local_error);
          if (n <= 0)
            break;
          data = block;
          available = (gsize) n;
        }

      take = MIN (available, want);
      newline = memchr (data, '\n', take);
      if (newline != NULL)
        take = (gsize) (newline - data) + 1;
      if (!io_grow_capacity (&line->data, &line->capacity, line->len + take + spare,
                             &local_error) ||
          !io_buffer_append (line, data, take, &local_error))
        break;
      if (data != block)
        priv->window.pos += take;
      else if (take < (gsize) n &&
               io_stream_seek (self, (gint64) take - n, IO_WHENCE_CUR, &local_error) < 0)
        break;
      if (newline != NULL)
        return TRUE;
    }

  if (local_error != NULL)
    return io_stream_partial_read_result (self, line->len, local_error, error) >= 0;
  return TRUE;
}

G_NO_INLINE static guint8 *
readline_slow (IoStream  *self,
               gssize     limit,
               gsize     *out_len,
               GError   **error)
{
  g_auto (IoStreamHold) hold = IO_STREAM_HOLD_INIT;
  IoBuffer line = IO_BUFFER_INIT;

  io_return_val_if_not_stream_in ("io_stream_readline_array", self, NULL);
  io_return_val_if_fail_in ("io_stream_readline_array", out_len != NULL, NULL);

  *out_len = 0;
  if (!io_stream_hold (self, &hold, error))
    return NULL;
  if (!io_stream_check_readable (self, error) || !io_stream_check_size (limit, "size", error))
    return NULL;

  if (!read_line_into (self, &line, limit < 0 ? G_MAXSSIZE : (gsize) limit, 0, error))
    {
      io_buffer_clear (&line);
      return NULL;
    }
  return io_buffer_steal (&line, out_len);
}

/**
 * io_stream_readline_array:
 * @self: an #IoStream
 * @limit: the most bytes to return, or -1 for no limit
 * @out_len: (out): the length of the line
 * @error: return location for a #GError
 *
 * Reads one line, keeping its `\n` (Python's `readline(size)`).
 *
 * With a @limit the line may be split. The last line of a stream may lack
 * its newline; an empty result means the end of the stream.
 *
 * Returns: (transfer full) (array length=out_len) (nullable): the line, or
 *   `NULL` on error
 */
guint8 *
io_stream_readline_array (IoStream  *self,
                          gssize     limit,
                          gsize     *out_len,
                          GError   **error)
{
  /* A line the backend's window holds whole: one search, one allocation of
   * the exact size, one copy. */
  IoStreamPrivate *priv;
  gboolean taken;

  if G_LIKELY (out_len != NULL && (priv = io_stream_inline_enter (self, &taken)) != NULL)
    {
      gsize len = io_window_line_length (&priv->window, limit);
      guint8 *data = len > 0 ? g_try_malloc (len) : NULL;

      if G_LIKELY (data != NULL)
        {
          memcpy (data, priv->window.pos, len);
          priv->window.pos += len;
          *out_len = len;
        }
      io_stream_inline_leave (priv, taken);
      if G_LIKELY (data != NULL)
        return data;
    }

  return readline_slow (self, limit, out_len, error);
}

void
_io_window_lines_init (IoWindowLines *lines)
{
#ifdef HAVE_SYS_SINGLE_THREADED_H
  const char *single_threaded = &__libc_single_threaded;
#else
  static const char single_threaded_unknown = 0;
  const char *single_threaded = &single_threaded_unknown;
#endif

  g_return_if_fail (lines != NULL);

  /* The offsets are set when the class is made; a static type's class
   * is never freed, so the reference is simply kept. */
  g_type_class_ref (IO_TYPE_STREAM);
  lines->window_offset = io_stream_window_offset;
  lines->owner_offset = io_stream_private_offset + (gssize) G_STRUCT_OFFSET (IoStreamPrivate, owner);
  lines->single_threaded = single_threaded;
}

gpointer
_io_stream_take_window_line (IoStream          *self,
                             gssize             limit,
                             IoWindowLineTaker  take,
                             gpointer           user_data)
{
  IoStreamPrivate *priv;
  gboolean taken;
  gpointer result = NULL;
  gsize len;

  /* The full type check first makes @self's type the cached one. */
  if (take == NULL || !io_stream_check_instance (self) ||
      (priv = io_stream_inline_enter (self, &taken)) == NULL)
    return NULL;
  len = io_window_line_length (&priv->window, limit);
  if (len > 0 && (result = take (priv->window.pos, len, user_data)) != NULL)
    priv->window.pos += len;
  io_stream_inline_leave (priv, taken);
  return result;
}

/* Lines up to this long are found and copied inline by
 * io_stream_readline_into(), with no call and no stack frame. */
#define IO_INLINE_LINE_MAX 128

/* The length of the line that starts the @n bytes at @p when 16-byte loads
 * inside the @n find its newline within IO_INLINE_LINE_MAX bytes; 0 leaves
 * the search to memchr(). */
#ifdef __SSE2__
/* A bit for each newline among the 64 bytes at @p. */
static inline guint64
newlines_in_64 (const guint8 *p)
{
  const __m128i newline = _mm_set1_epi8 ('\n');
  guint64 mask = 0;

  for (guint i = 0; i < 4; i++)
    {
      __m128i block = _mm_loadu_si128 ((const __m128i *) (const void *) (p + 16 * i));

      mask |= (guint64) (guint) _mm_movemask_epi8 (_mm_cmpeq_epi8 (block, newline)) << (16 * i);
    }
  return mask;
}
#endif

static inline gsize
short_line_length (const guint8 *p,
                   gsize         n)
{
#ifdef __SSE2__
  const __m128i newline = _mm_set1_epi8 ('\n');

  /* With room for it, the whole span in two steps and few branches. */
  if G_LIKELY (n >= IO_INLINE_LINE_MAX)
    {
      guint64 mask = newlines_in_64 (p);

      if (mask != 0)
        return (gsize) __builtin_ctzll (mask) + 1;
      mask = newlines_in_64 (p + 64);
      return mask != 0 ? 64 + (gsize) __builtin_ctzll (mask) + 1 : 0;
    }

  for (gsize i = 0; i + 16 <= n && i < IO_INLINE_LINE_MAX; i += 16)
    {
      __m128i block = _mm_loadu_si128 ((const __m128i *) (const void *) (p + i));
      guint mask = (guint) _mm_movemask_epi8 (_mm_cmpeq_epi8 (block, newline));

      if (mask != 0)
        return i + (gsize) __builtin_ctz (mask) + 1;
    }
#endif
  return 0;
}

/* Copies 16 < @n <= IO_INLINE_LINE_MAX bytes in 16-byte moves, the last
 * one overlapping the one before. */
static inline void
copy_short_line (guint8       *dst,
                 const guint8 *src,
                 gsize         n)
{
  for (gsize i = 0; i + 16 < n; i += 16)
    memcpy (dst + i, src + i, 16);
  memcpy (dst + n - 16, src + n - 16, 16);
}

G_NO_INLINE static gssize
readline_into_slow (IoStream  *self,
                    gssize     limit,
                    guint8   **line,
                    gsize     *capacity,
                    GError   **error)
{
  g_auto (IoStreamHold) hold = IO_STREAM_HOLD_INIT;
  IoBuffer buffer = IO_BUFFER_INIT;
  GError *local_error = NULL;

  io_return_val_if_not_stream_in ("io_stream_readline_into", self, -1);
  io_return_val_if_fail_in ("io_stream_readline_into", line != NULL, -1);
  io_return_val_if_fail_in ("io_stream_readline_into", capacity != NULL, -1);
  io_return_val_if_fail_in ("io_stream_readline_into", *line != NULL || *capacity == 0, -1);
  if (!io_stream_hold (self, &hold, error))
    return -1;

  /* A line the window holds whole, too long for the inline search. */
  if (*line != NULL)
    {
      IoStreamPrivate *priv = IO_STREAM_PRIV (self);
      gsize len = io_window_line_length (&priv->window, limit);

      if (len > 0 && len < *capacity)
        {
          memcpy (*line, priv->window.pos, len);
          (*line)[len] = '\0';
          priv->window.pos += len;
          return (gssize) len;
        }
    }

  if (!io_stream_check_readable (self, error) || !io_stream_check_size (limit, "size", error))
    return -1;

  /* The line is read into the caller's buffer, grown as needed, with its
   * NUL's byte allocated along: were that allocation to fail after the
   * line was read, the line would be lost. */
  buffer.data = *line;
  buffer.capacity = *capacity;
  if (read_line_into (self, &buffer, limit < 0 ? G_MAXSSIZE - 1 : (gsize) limit, 1, &local_error))
    (void) io_grow_capacity (&buffer.data, &buffer.capacity, buffer.len + 1, &local_error);
  *line = buffer.data;
  *capacity = buffer.capacity;
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return -1;
    }
  buffer.data[buffer.len] = '\0';
  return (gssize) buffer.len;
}

/**
 * io_stream_readline_into: (skip)
 * @self: an #IoStream
 * @limit: the most bytes to return, or -1 for no limit
 * @line: (inout): a buffer allocated with g_malloc(), or a pointer to `NULL`
 * @capacity: (inout): the size of the `*line` buffer in bytes, 0 for `NULL`
 * @error: return location for a #GError
 *
 * Reads one line into a buffer the caller reuses from line to line, like
 * POSIX `getline()`: the line keeps its `\n`, is followed by a `\0` that
 * the returned length does not count, and `*line` is grown with g_realloc()
 * (updating `*capacity`) when it is too small. Free it with g_free().
 *
 * This is the line reader for C loops: no allocation per line.
 * [method@Io.Stream.readline_array] is the same returning a new array.
 *
 * Returns: the length of the line, 0 at the end of the stream, or -1 on
 *   error (`*line` then stays valid, and is still the caller's to free)
 */
gssize
io_stream_readline_into (IoStream  *self,
                         gssize     limit,
                         guint8   **line,
                         gsize     *capacity,
                         GError   **error)
{
  /* A short line the window holds whole that fits the caller's buffer,
   * found and copied inline; the rest, long lines included, is
   * readline_into_slow()'s. */
  IoStreamPrivate *priv;
  gboolean taken;

  if G_LIKELY (line != NULL && *line != NULL && capacity != NULL && limit >= -1 && limit != 0 &&
               (priv = io_stream_inline_enter (self, &taken)) != NULL)
    {
      gsize available = io_window_readable (&priv->window);
      gsize span = limit < 0 ? available : MIN (available, (gsize) limit);
      gsize len = short_line_length (priv->window.pos, span);
      gboolean served = len > 0 && len < *capacity;

      if G_LIKELY (served)
        {
          if (span >= IO_INLINE_LINE_MAX && *capacity >= IO_INLINE_LINE_MAX)
            memcpy (*line, priv->window.pos, IO_INLINE_LINE_MAX);
          else if (len > 16)
            copy_short_line (*line, priv->window.pos, len);
          else
            io_copy_small (*line, priv->window.pos, len);
          (*line)[len] = '\0';
          priv->window.pos += len;
        }
      io_stream_inline_leave (priv, taken);
      if G_LIKELY (served)
        return (gssize) len;
    }

  return readline_into_slow (self, limit, line, capacity, error);
}

/**
 * io_stream_readline:
 * @self: an #IoStream
 * @limit: the most bytes to return, or -1 for no limit
 * @error: return location for a #GError
 *
 * The `GBytes` twin of [method@Io.Stream.readline_array].
 *
 * Returns: (transfer full) (nullable): the line, empty at the end of the
 *   stream, or `NULL` on error
 */
GBytes *
io_stream_readline (IoStream  *self,
                    gssize     limit,
                    GError   **error)
{
  gsize len;

  io_return_val_if_not_stream (self, NULL);

  return io_stream_bytes_take_or_null (io_stream_readline_array (self, limit, &len, error), &len);
}

/* Reads whole lines into @joined until the end of the stream or until they
 * add up to @hint bytes; @ends receives where each line ends. */
static gboolean
read_lines_into (IoStream *self,
                 gssize    hint,
                 IoBuffer *joined,
                 GArray   *ends,
                 GError  **error)
{
  if (!io_stream_check_readable (self, error) || !io_stream_check_size (hint, "hint", error))
    return FALSE;

  for (;;)
    {
      gsize before = joined->len;

      if (!read_line_into (self, joined, G_MAXSSIZE, 0, error))
        return FALSE;
      if (joined->len == before)
        return TRUE;
      if (ends != NULL)
        g_array_append_val (ends, joined->len);
      if (hint > 0 && joined->len >= (gsize) hint)
        return TRUE;
      /* A failure after part of the lines was read is kept for the next
       * call: stop here rather than read past it (and lose it). So does a
       * close by the backend from inside a read. */
      if (IO_STREAM_PRIV (self)->pending_error != NULL || IO_STREAM_PRIV (self)->closed)
        return TRUE;
      /* So does a line cut short by a read that would block: the rest of
       * it, read later, would look like a line of its own. */
      if (joined->data[joined->len - 1] != '\n')
        return TRUE;
    }
}

/**
 * io_stream_readlines_joined:
 * @self: an #IoStream
 * @hint: stop once the lines read add up to this many bytes; 0 or -1 for
 *   no limit
 * @out_len: (out): the length of the result
 * @error: return location for a #GError
 *
 * Reads whole lines as [method@Io.Stream.readlines] does, returned joined
 * in one array.
 *
 * Every line but the last ends with `\n`, so splitting after each newline
 * recovers them. This is how the Python layer fetches lines in batches.
 *
 * Returns: (transfer full) (array length=out_len) (nullable): the lines, or
 *   `NULL` on error
 */
guint8 *
io_stream_readlines_joined (IoStream  *self,
                            gssize     hint,
                            gsize     *out_len,
                            GError   **error)
{
  g_auto (IoStreamHold) hold = IO_STREAM_HOLD_INIT;
  IoBuffer joined = IO_BUFFER_INIT;

  io_return_val_if_not_stream (self, NULL);
  g_return_val_if_fail (out_len != NULL, NULL);

  *out_len = 0;
  if (!io_stream_hold (self, &hold, error))
    return NULL;
  if (!read_lines_into (self, hint, &joined, NULL, error))
    {
      io_buffer_clear (&joined);
      return NULL;
    }
  return io_buffer_steal (&joined, out_len);
}

/**
 * io_stream_readlines:
 * @self: an #IoStream
 * @hint: stop once the lines read add up to this many bytes; 0 or -1 for
 *   no limit
 * @error: return location for a #GError
 *
 * Reads lines until the end of the stream, or until their total size
 * reaches @hint (Python's `readlines(hint)`).
 *
 * The array frees its lines itself: unreference it and nothing else. (It is
 * annotated `transfer container` because GJS and PyGObject would otherwise
 * take over lines the array still frees.)
 *
 * Returns: (transfer container) (element-type GBytes) (nullable): the lines,
 *   or `NULL` on error
 */
GPtrArray *
io_stream_readlines (IoStream  *self,
                     gssize     hint,
                     GError   **error)
{
  g_auto (IoStreamHold) hold = IO_STREAM_HOLD_INIT;
  IoBuffer joined = IO_BUFFER_INIT;
  GArray *ends;
  GPtrArray *lines = NULL;
  GBytes *all;
  guint8 *data;
  gsize len;
  gsize start = 0;

  io_return_val_if_not_stream (self, NULL);
  if (!io_stream_hold (self, &hold, error))
    return NULL;

  ends = g_array_new (FALSE, FALSE, sizeof (gsize));
  if (!read_lines_into (self, hint, &joined, ends, error))
    {
      io_buffer_clear (&joined);
      g_array_unref (ends);
      return NULL;
    }

  /* Two statements: the argument order would leave len unset. */
  data = io_buffer_steal (&joined, &len);
  all = g_bytes_new_take (data, len);
  lines = g_ptr_array_new_full (ends->len, (GDestroyNotify) g_bytes_unref);
  for (guint i = 0; i < ends->len; i++)
    {
      gsize end = g_array_index (ends, gsize, i);

      g_ptr_array_add (lines, g_bytes_new_from_bytes (all, start, end - start));
      start = end;
    }
  g_bytes_unref (all);
  g_array_unref (ends);
  return lines;
}

