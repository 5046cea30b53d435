/* fuzz-readline.c: readline() and readlines() against a line splitter
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The content (long lines, no final newline, NUL bytes, lines longer than
 * the 256-byte block and the 64 KiB chunk) is read through each of the
 * three paths of the line reader: the borrowed window of a memory stream,
 * block reads with a seek back on a seekable callback stream, and byte
 * reads on a non-seekable one (and on a pipe). The callback streams return short reads of
 * a fuzzed size and may fail at a fuzzed offset, once or every time, or
 * report once that the read would block: the bytes before the failure must
 * come back, and a failure must be reported by the next call.
 */

#include "fuzz-model.h"
#include "test-util.h"

#define MAX_CONTENT ((gsize) 256 * 1024)

typedef enum {
  KIND_MEMORY,
  KIND_SEEKABLE,
  KIND_UNSEEKABLE,
  KIND_PIPE,            /* the read end of a pipe already holding it all */
} Kind;

typedef struct
{
  const guint8 *data;
  gsize size;
  gsize position;
  gsize chunk;
  gsize fail_at;
  gboolean armed;
  gboolean persistent;
  int code;
} Source;

typedef struct
{
  FuzzInput in;
  Model model;
  Kind kind;
  gsize chunk;
  gsize fail_at;
  gboolean armed;
  gboolean persistent;
  int code;
  gboolean pending;
  IoStream *stream;
  /* The caller's buffer of readline_into(), reused from call to call. */
  guint8 *line;
  gsize line_capacity;
} Fuzz;

static gssize
source_read (gpointer  user_data,
             guint8   *buffer,
             gsize     count,
             GError  **error)
{
  Source *source = user_data;
  gsize n;

  if (source->armed && source->position == source->fail_at)
    {
      source->armed = source->persistent;
      g_set_error_literal (error, G_IO_ERROR, source->code, "injected failure");
      return -1;
    }
  if (source->position >= source->size)
    return 0;
  n = MIN (MIN (count, source->chunk), source->size - source->position);
  if (source->armed && source->position < source->fail_at)
    n = MIN (n, source->fail_at - source->position);
  memcpy (buffer, source->data + source->position, n);
  source->position += n;
  return (gssize) n;
}

static gint64
source_seek (gpointer   user_data,
             gint64     offset,
             IoWhence   whence,
             GError   **error)
{
  Source *source = user_data;
  gint64 to = test_util_seek_position ((gint64) source->position, (gint64) source->size,
                                       G_MAXINT64, offset, whence, "bad seek", error);

  if (to >= 0)
    source->position = (gsize) to;
  return to;
}

/* Whether reading a line of at most @limit bytes from the position needs
 * the byte at the failure offset; *@before is how many bytes come first. */
static gboolean
model_hits_failure (Fuzz   *f,
                    gint64  limit,
                    gsize  *before)
{
  gsize position = (gsize) f->model.position;
  gsize max;

  if (!f->armed || position > f->fail_at)
    return FALSE;
  max = f->fail_at - position;
  if (limit != -1 && (guint64) limit <= max)
    return FALSE;
  if (max > 0 && memchr (f->model.data + position, '\n', max) != NULL)
    return FALSE;
  *before = max;
  return TRUE;
}

/* The error of a failure: reported now if nothing was read, else kept for
 * the next call; a would-block after some bytes is no error at all. */
static int
model_fail (Fuzz  *f,
            gsize  done)
{
  f->armed = f->persistent;
  if (done == 0)
    return f->code;
  if (f->code != G_IO_ERROR_WOULD_BLOCK)
    f->pending = TRUE;
  return FUZZ_OK;
}

static ModelResult
model_readline_faulty (Fuzz   *f,
                       gint64  limit)
{
  ModelResult r;
  gsize before;

  /* The stream reports a pending error before it looks at arguments. */
  if (f->pending)
    {
      f->pending = FALSE;
      return model_error (G_IO_ERROR_FAILED);
    }
  if (limit < -1)
    return model_error (G_IO_ERROR_INVALID_ARGUMENT);
  if (!model_hits_failure (f, limit, &before))
    return model_readline (&f->model, limit);
  r = model_consume (&f->model, before);
  r.error = model_fail (f, before);
  return r;
}

static ModelResult
model_readlines_faulty (Fuzz   *f,
                        gint64  hint)
{
  ModelResult r = { FUZZ_OK, 0, NULL, 0 };

  /* The stream reports a pending error before it looks at arguments. */
  if (f->pending)
    {
      f->pending = FALSE;
      return model_error (G_IO_ERROR_FAILED);
    }
  if (hint < -1)
    return model_error (G_IO_ERROR_INVALID_ARGUMENT);
  r.data = f->model.data + f->model.position;
  for (;;)
    {
      gsize before;
      ModelResult line;

      if (model_hits_failure (f, -1, &before))
        {
          line = model_consume (&f->model, before);
          r.len += line.len;
          r.value += line.len > 0;
          r.error = model_fail (f, r.len);
          return r;
        }
      line = model_readline (&f->model, -1);
      if (line.len == 0)
        return r;
      r.len += line.len;
      r.value++;
      if (hint > 0 && r.len >= (guint64) hint)
        return r;
    }
}

static ModelResult
model_read1 (Fuzz  *f,
             gsize  size)
{
  gsize position = (gsize) f->model.position;
  gsize max = size;

  if (f->pending)
    {
      f->pending = FALSE;
      return model_error (G_IO_ERROR_FAILED);
    }
  if (max == 0)
    return model_consume (&f->model, 0);
  if (f->kind != KIND_MEMORY)
    max = MIN (max, f->chunk);
  if (f->armed && position == f->fail_at)
    {
      f->armed = f->persistent;
      return model_error (f->code);
    }
  if (f->armed && position < f->fail_at)
    max = MIN (max, f->fail_at - position);
  return model_consume (&f->model, max);
}

/* read(size), readall() and read() into a buffer: one backend call after
 * another until @size bytes or the end, stopping at a failure. */
static ModelResult
model_read_faulty (Fuzz   *f,
                   gint64  size)
{
  gsize position = (gsize) f->model.position;
  ModelResult r;

  if (f->pending)
    {
      f->pending = FALSE;
      return model_error (G_IO_ERROR_FAILED);
    }
  if (size < -1)
    return model_error (G_IO_ERROR_INVALID_ARGUMENT);
  if (!f->armed || position > f->fail_at ||
      (size != -1 && f->fail_at - position >= (guint64) size))
    return model_read_sized (&f->model, size);
  r = model_consume (&f->model, f->fail_at - position);
  r.error = model_fail (f, r.len);
  return r;
}

static void
run_op (Fuzz *f)
{
  g_autoptr(GError) error = NULL;
  guint8 op = fuzz_u8 (&f->in) % 9;
  gint64 arg = fuzz_i64 (&f->in);
  ModelResult want;
  gsize len = 0;
  guint8 *got;

  switch (op)
    {
    case 0:
      f->in.op_name = "readline";
      want = model_readline_faulty (f, arg);
      got = io_stream_readline_array (f->stream, (gssize) arg, &len, &error);
      model_check_array (&f->in, &want, got, len, &error);
      break;

    case 1:
      f->in.op_name = "readlines_joined";
      want = model_readlines_faulty (f, arg);
      got = io_stream_readlines_joined (f->stream, (gssize) arg, &len, &error);
      model_check_array (&f->in, &want, got, len, &error);
      break;

    case 2:
      {
        g_autoptr(GPtrArray) lines = NULL;

        f->in.op_name = "readlines";
        want = model_readlines_faulty (f, arg);
        lines = io_stream_readlines (f->stream, (gssize) arg, &error);
        model_check_lines (&f->in, &want, lines, &error);
      }
      break;

    case 4:
      {
        gssize n;

        f->in.op_name = "readline_into";
        if (arg >= 0 && arg < 8)
          {
            /* A new small buffer, or none. */
            g_clear_pointer (&f->line, g_free);
            f->line_capacity = (gsize) arg;
            f->line = arg > 0 ? g_malloc ((gsize) arg) : NULL;
          }
        arg = fuzz_i64 (&f->in);
        want = model_readline_faulty (f, arg);
        n = io_stream_readline_into (f->stream, (gssize) arg, &f->line, &f->line_capacity, &error);
        fuzz_check_error (&f->in, &error, want.error);
        if (want.error != FUZZ_OK)
          {
            fuzz_assert (&f->in, n == -1, "a failed readline_into returned %" G_GSSIZE_FORMAT, n);
            break;
          }
        fuzz_assert (&f->in, n >= 0 && (gsize) n < f->line_capacity, "line length");
        fuzz_check_data (&f->in, "line", f->line, (gsize) n, want.data, want.len);
        fuzz_assert (&f->in, f->line[n] == '\0', "the line is not NUL-terminated");
      }
      break;

    case 5:
      {
        int c;

        f->in.op_name = "getc";
        want = model_read1 (f, 1);
        c = io_stream_getc (f->stream, &error);
        fuzz_check_error (&f->in, &error, want.error);
        if (want.error != FUZZ_OK || want.len == 0)
          fuzz_assert (&f->in, c == -1, "getc returned %d, model has none", c);
        else
          fuzz_assert (&f->in, c == want.data[0], "getc returned %d, model %d", c, want.data[0]);
      }
      break;

    case 6:
      f->in.op_name = "read_array";
      want = model_read_faulty (f, arg);
      got = io_stream_read_array (f->stream, (gssize) arg, &len, &error);
      model_check_array (&f->in, &want, got, len, &error);
      break;

    case 7:
      {
        GBytes *bytes;

        f->in.op_name = "readall";
        want = model_read_faulty (f, -1);
        bytes = io_stream_readall (f->stream, &error);
        fuzz_check_error (&f->in, &error, want.error);
        if (want.error == FUZZ_OK)
          fuzz_check_bytes (&f->in, "result", bytes, want.data, want.len);
        else
          fuzz_assert (&f->in, bytes == NULL, "a failed readall returned bytes");
        g_clear_pointer (&bytes, g_bytes_unref);
      }
      break;

    case 8:
      {
        gsize count = arg < 0 ? 0 : (gsize) arg % 4096;
        g_autofree guint8 *buffer = g_malloc (MAX (count, 1));
        gssize n;

        f->in.op_name = "read";
        want = model_read_faulty (f, (gint64) count);
        n = io_stream_read (f->stream, buffer, count, &error);
        fuzz_check_error (&f->in, &error, want.error);
        if (want.error == FUZZ_OK)
          fuzz_check_data (&f->in, "buffer", buffer, (gsize) n, want.data, want.len);
        else
          fuzz_assert (&f->in, n == -1, "a failed read returned %" G_GSSIZE_FORMAT, n);
      }
      break;

    default:
      f->in.op_name = "read1";
      arg = arg < 0 ? 0 : arg % 1024;
      want = model_read1 (f, (gsize) arg);
      got = io_stream_read1_array (f->stream, (gssize) arg, &len, &error);
      model_check_array (&f->in, &want, got, len, &error);
      break;
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static const IoStreamFuncs seekable_funcs = {
    sizeof (IoStreamFuncs), source_read, NULL, source_seek, NULL, NULL, NULL,
  };
  static const IoStreamFuncs unseekable_funcs = {
    sizeof (IoStreamFuncs), source_read, NULL, NULL, NULL, NULL, NULL,
  };
  Fuzz f = { { data, size, 0, 0, NULL } };
  /* Allocated once, as the model's storage is (see model_storage()); each
   * input writes its content from the start and reads no further. */
  static guint8 *content;
  Source source = { NULL, };
  gsize content_len = 0;
  guint8 kind_byte;
  guint8 n_pieces;

  fuzz_init_logging ();
  if (content == NULL)
    content = g_malloc (MAX_CONTENT);

  /* The pipe came last: inputs made before it keep their meaning. */
  kind_byte = fuzz_u8 (&f.in);
  f.kind = kind_byte >= 0xf0 ? KIND_PIPE : kind_byte % KIND_PIPE;
  f.chunk = 1 + fuzz_u8 (&f.in) % 64;
  if (fuzz_u8 (&f.in) == 0xff)
    f.chunk = 70000;
  f.fail_at = fuzz_u16 (&f.in);
  f.armed = f.kind != KIND_MEMORY && f.kind != KIND_PIPE && (f.fail_at & 0x8000) == 0;
  f.persistent = ((f.fail_at >> 13) & 3) == 2;
  f.code = ((f.fail_at >> 13) & 3) == 3 ? G_IO_ERROR_WOULD_BLOCK : G_IO_ERROR_FAILED;

  /* The content: pieces of the input, each repeated a fuzzed number of
   * times, so that short inputs still make lines longer than every block. */
  n_pieces = 1 + fuzz_u8 (&f.in) % 8;
  for (guint i = 0; i < n_pieces && !fuzz_done (&f.in); i++)
    {
      const guint8 *piece;
      gsize piece_len = fuzz_take (&f.in, fuzz_u8 (&f.in) % 64, &piece);
      guint16 repeat = fuzz_u8 (&f.in) >= 0xf0 ? fuzz_u16 (&f.in) : 1;

      for (guint r = 0; r < repeat && content_len + piece_len <= MAX_CONTENT; r++)
        {
          memcpy (content + content_len, piece, piece_len);
          content_len += piece_len;
        }
    }
  f.fail_at = MIN (f.fail_at & 0x1fff, content_len);
  if (f.kind == KIND_PIPE)
    {
      /* What an empty pipe takes without blocking; a read returns all it
       * holds up to the count. */
      content_len = MIN (content_len, 65536);
      f.chunk = G_MAXSIZE;
    }

  model_init (&f.model, MODEL_BYTES_IO, content, content_len);
  source = (Source) {
    content, content_len, 0, f.chunk, f.fail_at, f.armed, f.persistent, f.code,
  };
  switch (f.kind)
    {
    case KIND_MEMORY:
      f.stream = io_memory_stream_new (content, content_len);
      break;
    case KIND_SEEKABLE:
      f.stream = io_stream_new_from_funcs (&seekable_funcs, &source, NULL);
      break;
    case KIND_PIPE:
      {
        g_autoptr(GError) error = NULL;
        IoStream *writer = NULL;

        if (!io_pipe_stream_new_pair (&f.stream, &writer, &error) ||
            io_stream_write (writer, content, content_len, &error) != (gssize) content_len ||
            !io_stream_close (writer, &error))
          fuzz_fail (&f.in, "cannot fill a pipe: %s", error->message);
        g_object_unref (writer);
      }
      break;
    default:
      f.stream = io_stream_new_from_funcs (&unseekable_funcs, &source, NULL);
      break;
    }

  while (!fuzz_done (&f.in))
    {
      f.in.op_index++;
      run_op (&f);
      if (f.kind != KIND_MEMORY && f.kind != KIND_PIPE)
        fuzz_assert (&f.in, source.position == (gsize) f.model.position,
                     "position %" G_GSIZE_FORMAT ", model %" G_GINT64_FORMAT,
                     source.position, f.model.position);
    }

  g_object_unref (f.stream);
  g_free (f.line);
  model_clear (&f.model);
  return 0;
}
