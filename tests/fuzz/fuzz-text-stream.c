/* fuzz-text-stream.c: IoTextStream over short reads against one whole read
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The input picks a charset, a newline mode, an error handler and a read
 * size, then gives the content and a sequence of operations. The model is
 * the whole content decoded by one read() of a text stream over a memory
 * stream; the stream under test reads the same bytes through a callback
 * stream whose reads return at most the fuzzed size, so that characters,
 * byte order marks and "\r\n" pairs are split at every offset; with the
 * read size's high bit set, an IoBufferedReader of a fuzzed size sits
 * between them, so that ASCII lines come from the window chunks of a
 * window as small as a byte or larger than a chunk. Each read(n),
 * readline(limit) and readline_into() must return the model's next
 * characters and lines, each seek() to a tell() cookie must come back to
 * the same character, and a decoding error must show as
 * G_IO_ERROR_INVALID_DATA when, and only when, the model has one.
 */

#include "fuzz-common.h"

typedef struct
{
  const guint8 *data;
  gsize size;
  gsize position;
  gsize step;
} Source;

static gssize
source_read (gpointer  user_data,
             guint8   *buffer,
             gsize     count,
             GError  **error)
{
  Source *source = user_data;
  gsize n = MIN (MIN (count, source->step), source->size - MIN (source->position, source->size));

  if (n > 0)
    memcpy (buffer, source->data + source->position, n);
  source->position += n;
  return n;
}

static gint64
source_seek (gpointer   user_data,
             gint64     offset,
             IoWhence   whence,
             GError   **error)
{
  Source *source = user_data;
  gint64 base = whence == IO_WHENCE_SET ? 0 : whence == IO_WHENCE_CUR ?
                (gint64) source->position : (gint64) source->size;

  if (base + offset < 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "negative");
      return -1;
    }
  source->position = base + offset;
  return source->position;
}

static const IoStreamFuncs source_funcs = {
  sizeof source_funcs, .read = source_read, .seek = source_seek,
};

/* The line at the start of @text as the newline mode splits it. */
static gsize
model_line (const char *text,
            gsize       len,
            const char *newline)
{
  for (gsize i = 0; i < len; i++)
    {
      if (newline == NULL || newline[0] == '\0')
        {
          if (text[i] == '\n')
            return i + 1;
          if (text[i] == '\r')
            return i + 1 + (i + 1 < len && text[i + 1] == '\n');
        }
      else if (strncmp (text + i, newline, strlen (newline)) == 0 &&
               i + strlen (newline) <= len)
        return i + strlen (newline);
    }
  return len;
}

/* The byte length of @n_chars characters at the start of @text. */
static gsize
model_chars (const char *text,
             gsize       len,
             gssize      n_chars)
{
  const char *p = text, *end = text + len;

  if (n_chars < 0)
    return len;
  for (; n_chars > 0 && p < end; n_chars--)
    p = g_utf8_next_char (p);
  return p - text;
}

typedef struct
{
  IoTextCookie cookie;
  gsize position;
} Mark;

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static const char *const encodings[] = { "utf-8", "utf-8-sig", "utf-16", "latin-1",
                                           "shift_jis", "iso2022_jp" };
  static const char *const newlines[] = { NULL, "", "\n", "\r", "\r\n" };
  static const char *const handlers[] = { "strict", "replace", "ignore", "surrogateescape" };
  /* Around the 8 KiB chunks the text reads with read1(). */
  static const gsize buffer_sizes[] = { 1, 2, 16, 100, 4096, 8192, 8193, 65536 };
  FuzzInput in = { data, size, 0, 0, NULL };
  const char *encoding = encodings[fuzz_u8 (&in) % G_N_ELEMENTS (encodings)];
  const char *newline = newlines[fuzz_u8 (&in) % G_N_ELEMENTS (newlines)];
  const char *errors = handlers[fuzz_u8 (&in) % G_N_ELEMENTS (handlers)];
  guint8 reads = fuzz_u8 (&in);
  Source source = { NULL, 0, 0, 1 + (reads & 0x7f) % 7 };
  g_autoptr(IoStream) memory = NULL, trickle = NULL;
  g_autoptr(IoTextStream) model = NULL, text = NULL;
  g_autoptr(GArray) marks = g_array_new (FALSE, FALSE, sizeof (Mark));
  g_autoptr(GError) model_error = NULL, error = NULL;
  g_autofree char *expected = NULL, *rest = NULL, *reused = NULL;
  gsize reused_capacity = 0;
  gsize expected_len = 0, position = 0;

  source.size = fuzz_take (&in, fuzz_u16 (&in) % 2048, &source.data);
  memory = io_memory_stream_new (source.data, source.size);
  model = io_text_stream_new (memory, encoding, errors, newline, FALSE, FALSE, NULL);
  expected = io_text_stream_read (model, -1, &expected_len, &model_error);
  trickle = io_stream_new_from_funcs (&source_funcs, &source, NULL);
  if (reads & 0x80)
    {
      IoStream *reader = io_buffered_reader_new (trickle, buffer_sizes[(reads >> 4) & 7], NULL);

      g_object_unref (trickle);
      trickle = reader;
    }
  text = io_text_stream_new (trickle, encoding, errors, newline, FALSE, FALSE, NULL);
  fuzz_assert (&in, text != NULL);

  if (model_error != NULL)
    {
      /* The error may come from any read that meets the bad bytes. */
      for (guint i = 0; i < source.size + 2 && error == NULL; i++)
        {
          g_autofree char *line = io_text_stream_readline (text, -1, NULL, &error);
        }
      fuzz_assert (&in, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA),
                   "the model failed with %s", model_error->message);
      return 0;
    }

  while (!fuzz_done (&in))
    {
      guint8 op = fuzz_u8 (&in);
      gssize n = (gssize) (fuzz_u8 (&in) % 19) - 1;
      g_autofree char *got = NULL;
      gsize len = 0, want;
      Mark mark;

      in.op_index++;
      switch (op % 4)
        {
        case 0:
          in.op_name = "read";
          got = io_text_stream_read (text, n, &len, &error);
          want = model_chars (expected + position, expected_len - position, n);
          break;
        case 1:
          if (op & 0x80)
            {
              /* The caller's buffer, reused from line to line. */
              gssize got_len = io_text_stream_readline_into (text, n, &reused, &reused_capacity,
                                                             &error);

              in.op_name = "readline_into";
              if (got_len >= 0)
                {
                  fuzz_assert (&in, reused != NULL && reused[got_len] == '\0');
                  /* Not g_strndup(): a line may hold U+0000. */
                  got = g_memdup2 (reused, got_len + 1);
                  len = (gsize) got_len;
                }
            }
          else
            {
              in.op_name = "readline";
              got = io_text_stream_readline (text, n, &len, &error);
            }
          want = model_line (expected + position, expected_len - position, newline);
          want = MIN (want, model_chars (expected + position, want, n));
          break;
        case 2:
          in.op_name = "tell";
          fuzz_assert (&in, io_text_stream_tell (text, &mark.cookie, &error), "%s",
                       error->message);
          mark.position = position;
          g_array_append_val (marks, mark);
          continue;
        default:
          in.op_name = "seek";
          if (marks->len == 0)
            continue;
          mark = g_array_index (marks, Mark, op % marks->len);
          fuzz_assert (&in, io_text_stream_seek (text, &mark.cookie, &error), "%s",
                       error->message);
          position = mark.position;
          continue;
        }
      fuzz_assert (&in, got != NULL, "%s", error->message);
      fuzz_assert (&in, len == want && memcmp (got, expected + position, len) == 0,
                   "got %" G_GSIZE_FORMAT " bytes, expected %" G_GSIZE_FORMAT, len, want);
      position += len;
    }
  in.op_name = "read to the end";
  rest = io_text_stream_read (text, -1, NULL, &error);
  fuzz_assert (&in, rest != NULL && strlen (rest) <= expected_len - position &&
               memcmp (rest, expected + position, expected_len - position) == 0);
  return 0;
}
