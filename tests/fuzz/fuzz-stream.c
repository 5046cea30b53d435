/* fuzz-stream.c: IoMemoryStream against io.BytesIO, IoFileStream against io.FileIO
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Two targets from one source: fuzz-memory-stream, and fuzz-file-stream
 * (built with FUZZ_FILE_STREAM) on a temporary file.
 *
 * The input picks a constructor and initial content, then a sequence of
 * operations covering every public method of IoStream (and of
 * IoMemoryStream), with sizes, offsets and whence values at the edges.
 * After every operation the result, the error code and the position are
 * compared with the model; for a memory stream also the export count, the
 * live exported buffer and every GBytes handed out earlier (which
 * copy-on-write must never change); for a file, its content on disk.
 */

#include <glib/gstdio.h>
#include <unistd.h>

#include "fuzz-model.h"
#include "io-buffer-private.h"

#ifdef FUZZ_FILE_STREAM
# define FUZZ_FLAVOR MODEL_FILE_IO
/* Positions past this depend on the file system (the largest file it
 * allows): seeks there are not modelled. */
# define FUZZ_FILE_MAX_POSITION ((gint64) 1 << 31)
#else
# define FUZZ_FLAVOR MODEL_BYTES_IO
#endif

#define N_KEPT 4

typedef enum {
  OP_WRITE,
  OP_WRITE_BYTES,
  OP_WRITELINES,
  OP_READ,
  OP_READ1,
  OP_READINTO,
  OP_READINTO1,
  OP_READ_SIZED,
  OP_READ1_SIZED,
  OP_READALL,
  OP_PEEK,
  OP_READLINE,
  OP_READLINES,
  OP_READLINES_JOINED,
  OP_SEEK,
  OP_TELL,
  OP_TRUNCATE,
  OP_FLUSH,
  OP_GET_VALUE,
  OP_DROP_VALUE,
  OP_ACQUIRE,
  OP_RELEASE,
  OP_VIEW_POKE,
  OP_CLOSE,
  OP_CAPABILITIES,
  OP_WRITE_ADDRESS,
  OP_GETC,
  OP_READLINE_INTO,
  N_OPS
} Op;

static const char *op_names[N_OPS] = {
  "write", "write_bytes", "writelines", "read", "read1", "readinto_address",
  "readinto1_address", "read(size)", "read1(size)", "readall", "peek",
  "readline", "readlines", "readlines_joined", "seek", "tell", "truncate",
  "flush", "get_value", "drop value", "acquire_buffer", "release_buffer",
  "poke the view", "close", "capabilities", "write_address", "getc",
  "readline_into",
};

typedef struct
{
  FuzzInput in;
  Model model;
  IoStream *stream;
  /* What earlier get_value() calls returned, with copies to compare. */
  GBytes *kept[N_KEPT];
  guint8 *kept_copy[N_KEPT];
  guint n_kept_next;
  /* The constructor's bytes: the stream shares them and must never write
   * into them. */
  GBytes *initial;
  guint8 *initial_copy;
  guint8 *view;
  gsize view_len;
  /* The file under a file stream. */
  char *path;
  /* The caller's buffer of readline_into(), reused from call to call. */
  guint8 *line;
  gsize line_capacity;
} Fuzz;

/* Bytes to write: from the input, or a long run of one byte. */
static gsize
take_write_data (Fuzz          *f,
                 const guint8 **data)
{
  static guint8 pattern[70000];
  static const gsize long_sizes[] = { 256, 4096, 65535, 65536, sizeof pattern };
  guint8 selector = fuzz_u8 (&f->in);

  if (selector < 0xf0)
    return fuzz_take (&f->in, selector, data);

  memset (pattern, fuzz_u8 (&f->in), sizeof pattern);
  *data = pattern;
  return long_sizes[(selector - 0xf0) % G_N_ELEMENTS (long_sizes)];
}

static void
check_result_bytes (Fuzz        *f,
                    ModelResult *want,
                    GBytes      *got,
                    GError     **error)
{
  fuzz_check_error (&f->in, error, want->error);
  if (want->error == FUZZ_OK)
    fuzz_check_bytes (&f->in, "result", got, want->data, want->len);
  else
    fuzz_assert (&f->in, got == NULL, "a failed call returned bytes");
  g_clear_pointer (&got, g_bytes_unref);
}

static void
check_result_value (Fuzz        *f,
                    ModelResult *want,
                    gint64       got,
                    GError     **error)
{
  fuzz_check_error (&f->in, error, want->error);
  if (want->error == FUZZ_OK)
    fuzz_assert (&f->in, got == want->value,
                 "got %" G_GINT64_FORMAT ", model %" G_GINT64_FORMAT, got, want->value);
  else
    fuzz_assert (&f->in, got == -1, "a failed call returned %" G_GINT64_FORMAT, got);
}

static void
do_write (Fuzz *f,
          Op    op)
{
  g_autoptr(GError) error = NULL;
  const guint8 *data;
  gsize len = take_write_data (f, &data);
  gsize count = len;
  ModelResult want;
  gssize n;

  /* Now and then a count no buffer can have: it must be refused before
   * the buffer is touched. */
  if (op != OP_WRITE_BYTES && fuzz_u8 (&f->in) == 0xff)
    count = (gsize) G_MAXSSIZE + 1 + fuzz_u8 (&f->in);
  /* And a NULL address, refused when there is something to write. */
  if (op == OP_WRITE_ADDRESS && fuzz_u8 (&f->in) == 0xff)
    data = NULL;

  if (data == NULL && count > 0)
    want = model_error (G_IO_ERROR_INVALID_ARGUMENT);
  else
    want = model_write (&f->model, data, count);
  if (want.error == MODEL_SKIP)
    return;

  io_buffer_set_limit_for_testing (f->model.limit);
  if (op == OP_WRITE)
    n = io_stream_write (f->stream, data, count, &error);
  else if (op == OP_WRITE_ADDRESS)
    n = io_stream_write_address (f->stream, (guintptr) data, count, &error);
  else
    {
      g_autoptr(GBytes) bytes = g_bytes_new (data, len);

      n = io_stream_write_bytes (f->stream, bytes, &error);
    }
  io_buffer_set_limit_for_testing (0);
  check_result_value (f, &want, n, &error);
}

static void
do_writelines (Fuzz *f)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GError) error = NULL;
  guint n_lines = fuzz_u8 (&f->in) % 5;
  ModelResult want = model_write_check (&f->model) == FUZZ_OK
                     ? model_value (1) : model_error (model_write_check (&f->model));
  gboolean ok;

  for (guint i = 0; i < n_lines; i++)
    {
      const guint8 *data;
      gsize len = take_write_data (f, &data);

      g_ptr_array_add (lines, g_bytes_new (data, len));
    }

  /* The model writes line by line and stops at the first failure. */
  for (guint i = 0; i < lines->len && want.error == FUZZ_OK; i++)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (lines->pdata[i], &len);

      want = model_write (&f->model, data, len);
      if (want.error == MODEL_SKIP)
        {
          /* Apply only the lines the model could, one by one. */
          g_ptr_array_set_size (lines, i);
          want = model_value (1);
          break;
        }
    }

  io_buffer_set_limit_for_testing (f->model.limit);
  ok = io_stream_writelines (f->stream, (GBytes *const *) lines->pdata, lines->len, &error);
  io_buffer_set_limit_for_testing (0);
  fuzz_check_error (&f->in, &error, want.error);
  fuzz_assert (&f->in, ok == (want.error == FUZZ_OK), "return value and error disagree");
}

static void
do_read_into (Fuzz *f,
              Op    op)
{
  g_autoptr(GError) error = NULL;
  gsize count = fuzz_count (&f->in);
  gboolean null_address = (op == OP_READINTO || op == OP_READINTO1) && fuzz_u8 (&f->in) == 0xff;
  ModelResult want;
  guint8 *buffer;
  gsize buffer_size;
  gssize n;

#ifdef FUZZ_FILE_STREAM
  /* The kernel checks the whole buffer a count claims (EFAULT), so a file
   * read gets a buffer as large as its count, unless the count is one the
   * stream must refuse before any system call. */
  if (count <= G_MAXSSIZE)
    count = MIN (count, FUZZ_MAX_SIZE + 1);
#endif
  if (null_address && count > 0)
    want = model_error (G_IO_ERROR_INVALID_ARGUMENT);
  else
    want = model_read_into (&f->model, count);

  /* A buffer exactly as large as what may be written, so that AddressSanitizer
   * catches a byte too many. */
  buffer_size = want.error == FUZZ_OK ? want.len : 0;
#ifdef FUZZ_FILE_STREAM
  if (count <= G_MAXSSIZE)
    buffer_size = count;
#endif
  buffer = g_malloc (MAX (buffer_size, 1));
  if (null_address)
    buffer = (g_free (buffer), NULL);

  switch (op)
    {
    case OP_READ:
      n = io_stream_read (f->stream, buffer, count, &error);
      break;
    case OP_READ1:
      n = io_stream_read1 (f->stream, buffer, count, &error);
      break;
    case OP_READINTO:
      n = io_stream_readinto_address (f->stream, (guintptr) buffer, count, &error);
      break;
    default:
      n = io_stream_readinto1_address (f->stream, (guintptr) buffer, count, &error);
      break;
    }
  check_result_value (f, &want, n, &error);
  if (want.error == FUZZ_OK)
    fuzz_check_data (&f->in, "buffer", buffer, (gsize) n, want.data, want.len);
  g_free (buffer);
}

static void
do_read_sized (Fuzz *f,
               Op    op)
{
  g_autoptr(GError) error = NULL;
  gint64 size = op == OP_READALL ? -1 : fuzz_i64 (&f->in);
  gboolean as_array = fuzz_u8 (&f->in) & 1;
  ModelResult want = op == OP_READ1_SIZED ? model_read1_sized (&f->model, size)
                                           : model_read_sized (&f->model, size);
  gsize len = 0;

  if (op == OP_READALL)
    check_result_bytes (f, &want, io_stream_readall (f->stream, &error), &error);
  else if (op == OP_READ_SIZED && as_array)
    {
      guint8 *got = io_stream_read_array (f->stream, (gssize) size, &len, &error);

      model_check_array (&f->in, &want, got, len, &error);
    }
  else if (op == OP_READ_SIZED)
    check_result_bytes (f, &want, io_stream_read_bytes (f->stream, (gssize) size, &error), &error);
  else if (as_array)
    {
      guint8 *got = io_stream_read1_array (f->stream, (gssize) size, &len, &error);

      model_check_array (&f->in, &want, got, len, &error);
    }
  else
    check_result_bytes (f, &want, io_stream_read1_bytes (f->stream, (gssize) size, &error), &error);
}

static void
do_lines (Fuzz *f,
          Op    op)
{
  g_autoptr(GError) error = NULL;
  gint64 arg = fuzz_i64 (&f->in);
  gboolean as_array = fuzz_u8 (&f->in) & 1;
  gsize len = 0;

  if (op == OP_READLINE)
    {
      ModelResult want = model_readline (&f->model, arg);

      if (as_array)
        {
          guint8 *got = io_stream_readline_array (f->stream, (gssize) arg, &len, &error);

          model_check_array (&f->in, &want, got, len, &error);
        }
      else
        check_result_bytes (f, &want, io_stream_readline (f->stream, (gssize) arg, &error), &error);
    }
  else if (op == OP_READLINES_JOINED)
    {
      ModelResult want = model_readlines (&f->model, arg);
      guint8 *got = io_stream_readlines_joined (f->stream, (gssize) arg, &len, &error);

      model_check_array (&f->in, &want, got, len, &error);
    }
  else
    {
      ModelResult want = model_readlines (&f->model, arg);
      g_autoptr(GPtrArray) lines = io_stream_readlines (f->stream, (gssize) arg, &error);

      model_check_lines (&f->in, &want, lines, &error);
    }
}

#ifdef FUZZ_FILE_STREAM
/* FileIO does not buffer: the file holds exactly the model's content. */
static void
check_file_content (Fuzz *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  if (!g_file_get_contents (f->path, &contents, &len, &error))
    fuzz_fail (&f->in, "cannot read %s: %s", f->path, error->message);
  fuzz_check_data (&f->in, "file content", (const guint8 *) contents, len,
                   f->model.data, f->model.size);
}
#else
static void
keep_value (Fuzz   *f,
            GBytes *value)
{
  guint slot = f->n_kept_next++ % N_KEPT;
  gsize len;
  const guint8 *data = g_bytes_get_data (value, &len);

  g_clear_pointer (&f->kept[slot], g_bytes_unref);
  g_clear_pointer (&f->kept_copy[slot], g_free);
  f->kept[slot] = value;
  f->kept_copy[slot] = g_memdup2 (data, len);
}

static void
do_get_value (Fuzz *f)
{
  g_autoptr(GError) error = NULL;
  ModelResult want = model_open_check (&f->model);
  GBytes *value = io_memory_stream_get_value (IO_MEMORY_STREAM (f->stream), &error);

  fuzz_check_error (&f->in, &error, want.error);
  if (want.error != FUZZ_OK)
    {
      fuzz_assert (&f->in, value == NULL, "a closed stream returned a value");
      return;
    }
  fuzz_check_bytes (&f->in, "value", value, f->model.data, f->model.size);
  if (fuzz_u8 (&f->in) & 1)
    keep_value (f, value);
  else
    g_bytes_unref (value);
}

static void
do_acquire (Fuzz *f)
{
  g_autoptr(GError) error = NULL;
  ModelResult want = model_open_check (&f->model);
  guint8 *data = (guint8 *) "junk";
  gsize len = 12345;
  gboolean ok;

  if (fuzz_u8 (&f->in) & 1)
    {
      guintptr address = io_memory_stream_acquire_buffer_address (IO_MEMORY_STREAM (f->stream),
                                                                  &len, &error);

      ok = error == NULL;
      data = (guint8 *) address;
      fuzz_assert (&f->in, ok || address == 0, "an address with an error");
    }
  else
    ok = io_memory_stream_acquire_buffer (IO_MEMORY_STREAM (f->stream), &data, &len, &error);

  fuzz_check_error (&f->in, &error, want.error);
  fuzz_assert (&f->in, ok == (want.error == FUZZ_OK), "return value and error disagree");
  if (!ok)
    return;
  f->model.exports++;
  fuzz_check_data (&f->in, "exported buffer", data, len, f->model.data, f->model.size);
  fuzz_assert (&f->in, f->model.exports == 1 || data == f->view,
               "a second export moved the buffer");
  f->view = data;
  f->view_len = len;
}

#endif

/* A few bytes through the inline getc(), which must agree with read1(). */
static void
do_getc (Fuzz *f)
{
  guint n = 1 + fuzz_u8 (&f->in) % 16;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      ModelResult want = model_read_into (&f->model, 1);
      int c = io_stream_getc (f->stream, &error);

      fuzz_check_error (&f->in, &error, want.error);
      if (want.error != FUZZ_OK || want.len == 0)
        fuzz_assert (&f->in, c == -1, "getc returned %d, model has none", c);
      else
        fuzz_assert (&f->in, c == want.data[0], "getc returned %d, model %d", c, want.data[0]);
    }
}

/* readline_into() with the caller's buffer kept from call to call, now and
 * then replaced by none or by a small one. */
static void
do_readline_into (Fuzz *f)
{
  g_autoptr(GError) error = NULL;
  gint64 limit = fuzz_i64 (&f->in);
  guint8 buffer_choice = fuzz_u8 (&f->in);
  ModelResult want;
  gssize n;

  if (buffer_choice >= 0xe0)
    {
      g_clear_pointer (&f->line, g_free);
      f->line_capacity = buffer_choice & 0x0f;
      if (f->line_capacity > 0)
        f->line = g_malloc (f->line_capacity);
    }

  want = model_readline (&f->model, limit);
  n = io_stream_readline_into (f->stream, (gssize) limit, &f->line, &f->line_capacity, &error);
  check_result_value (f, &want, n, &error);
  fuzz_assert (&f->in, f->line != NULL || f->line_capacity == 0, "a capacity without a buffer");
  if (want.error != FUZZ_OK)
    return;
  fuzz_assert (&f->in, (gsize) n < f->line_capacity, "no room for the terminating NUL");
  fuzz_check_data (&f->in, "line", f->line, (gsize) n, want.data, want.len);
  fuzz_assert (&f->in, f->line[n] == '\0', "the line is not NUL-terminated");
}

static void
do_capabilities (Fuzz *f)
{
  g_autoptr(GError) error = NULL;
  ModelResult want = model_open_check (&f->model);
  gboolean closed = f->model.closed;

  fuzz_assert (&f->in, io_stream_is_closed (f->stream) == closed, "closed flag");
  fuzz_assert (&f->in, io_stream_readable (f->stream, &error) == (!closed && !f->model.no_read),
               "readable");
  fuzz_check_error (&f->in, &error, want.error);
  fuzz_assert (&f->in, io_stream_writable (f->stream, &error) == (!closed && !f->model.no_write),
               "writable");
  fuzz_check_error (&f->in, &error, want.error);
  fuzz_assert (&f->in, io_stream_seekable (f->stream, &error) == !closed, "seekable");
  fuzz_check_error (&f->in, &error, want.error);
  fuzz_assert (&f->in, !io_stream_isatty (f->stream, &error), "isatty");
  fuzz_check_error (&f->in, &error, want.error);
#ifdef FUZZ_FILE_STREAM
  fuzz_assert (&f->in, (io_stream_fileno (f->stream, &error) >= 0) == !closed, "fileno");
  fuzz_check_error (&f->in, &error, want.error);
#else
  fuzz_assert (&f->in, io_stream_fileno (f->stream, &error) == -1, "fileno");
  fuzz_check_error (&f->in, &error, closed ? G_IO_ERROR_CLOSED : G_IO_ERROR_NOT_SUPPORTED);
#endif
}

static void
run_op (Fuzz *f,
        Op    op)
{
  g_autoptr(GError) error = NULL;
  ModelResult want;

  switch (op)
    {
    case OP_WRITE:
    case OP_WRITE_BYTES:
      do_write (f, op);
      break;

    case OP_WRITELINES:
      do_writelines (f);
      break;

    case OP_READ:
    case OP_READ1:
    case OP_READINTO:
    case OP_READINTO1:
      do_read_into (f, op);
      break;

    case OP_READ_SIZED:
    case OP_READ1_SIZED:
    case OP_READALL:
      do_read_sized (f, op);
      break;

    case OP_PEEK:
      {
        gsize count = fuzz_count (&f->in);

        want = model_peek (&f->model, count);
        check_result_bytes (f, &want, io_stream_peek (f->stream, count, &error), &error);
      }
      break;

    case OP_READLINE:
    case OP_READLINES:
    case OP_READLINES_JOINED:
      do_lines (f, op);
      break;

    case OP_SEEK:
      {
        gint64 offset = fuzz_i64 (&f->in);
        IoWhence whence = fuzz_whence (&f->in);

        gint64 position = f->model.position;

        want = model_seek (&f->model, offset, whence);
#ifdef FUZZ_FILE_STREAM
        if (want.error == FUZZ_OK && want.value > FUZZ_FILE_MAX_POSITION)
          {
            f->model.position = position;
            break;
          }
#else
        (void) position;
#endif
        check_result_value (f, &want, io_stream_seek (f->stream, offset, whence, &error), &error);
      }
      break;

    case OP_TELL:
      want = model_tell (&f->model);
      check_result_value (f, &want, io_stream_tell (f->stream, &error), &error);
      break;

    case OP_TRUNCATE:
      {
        gint64 size = fuzz_i64 (&f->in);

        want = model_truncate (&f->model, size);
        if (want.error == MODEL_SKIP)
          break;
        check_result_value (f, &want, io_stream_truncate (f->stream, size, &error), &error);
      }
      break;

    case OP_FLUSH:
      want = model_open_check (&f->model);
      fuzz_assert (&f->in, io_stream_flush (f->stream, &error) == (want.error == FUZZ_OK),
                   "flush result");
      fuzz_check_error (&f->in, &error, want.error);
      break;

#ifdef FUZZ_FILE_STREAM
    case OP_GET_VALUE:
      check_file_content (f);
      break;

    case OP_DROP_VALUE:
    case OP_ACQUIRE:
    case OP_RELEASE:
    case OP_VIEW_POKE:
      break;
#else
    case OP_GET_VALUE:
      do_get_value (f);
      break;

    case OP_DROP_VALUE:
      {
        guint slot = fuzz_u8 (&f->in) % N_KEPT;

        g_clear_pointer (&f->kept[slot], g_bytes_unref);
        g_clear_pointer (&f->kept_copy[slot], g_free);
      }
      break;

    case OP_ACQUIRE:
      do_acquire (f);
      break;

    case OP_RELEASE:
      if (f->model.exports > 0)
        {
          io_memory_stream_release_buffer (IO_MEMORY_STREAM (f->stream));
          f->model.exports--;
        }
      break;

    case OP_VIEW_POKE:
      if (f->model.exports > 0 && f->view_len > 0)
        {
          gsize at = fuzz_u16 (&f->in) % f->view_len;
          guint8 value = fuzz_u8 (&f->in);

          f->view[at] = value;
          f->model.data[at] = value;
        }
      break;

#endif

    case OP_CLOSE:
      want = model_close (&f->model);
      fuzz_assert (&f->in, io_stream_close (f->stream, &error) == (want.error == FUZZ_OK),
                   "close result");
      fuzz_check_error (&f->in, &error, want.error);
      break;

    case OP_CAPABILITIES:
      do_capabilities (f);
      break;

    case OP_WRITE_ADDRESS:
      do_write (f, op);
      break;

    case OP_GETC:
      do_getc (f);
      break;

    case OP_READLINE_INTO:
      do_readline_into (f);
      break;

    case N_OPS:
    default:
      g_assert_not_reached ();
    }
}

/* What must hold between any two operations. */
static void
check_invariants (Fuzz *f)
{
  g_autoptr(GError) error = NULL;
  ModelResult want = model_tell (&f->model);

  check_result_value (f, &want, io_stream_tell (f->stream, &error), &error);
  fuzz_assert (&f->in, io_stream_is_closed (f->stream) == f->model.closed, "closed flag");
#ifndef FUZZ_FILE_STREAM
  fuzz_assert (&f->in,
               io_memory_stream_get_exports (IO_MEMORY_STREAM (f->stream)) == f->model.exports,
               "export count");
  if (f->model.exports > 0)
    fuzz_check_data (&f->in, "live export", f->view, f->view_len, f->model.data, f->model.size);
  for (guint i = 0; i < N_KEPT; i++)
    if (f->kept[i] != NULL)
      fuzz_check_bytes (&f->in, "an earlier get_value()", f->kept[i], f->kept_copy[i],
                        g_bytes_get_size (f->kept[i]));
  if (f->initial != NULL)
    fuzz_check_bytes (&f->in, "the constructor's bytes", f->initial, f->initial_copy,
                      g_bytes_get_size (f->initial));
#endif
}

#ifdef FUZZ_FILE_STREAM
/* The modes a file is opened in. The high bits of the input's first byte
 * (which also gives the content's length) pick one, so the operations that
 * follow decode from the same bytes as when every file was opened r+. */
static const struct {
  const char *mode;
  gboolean no_read, no_write, truncates, appends, creates;
} file_modes[] = {
  { "r+", FALSE, FALSE, FALSE, FALSE, FALSE },
  { "r", FALSE, TRUE, FALSE, FALSE, FALSE },
  { "w", TRUE, FALSE, TRUE, FALSE, FALSE },
  { "w+", FALSE, FALSE, TRUE, FALSE, FALSE },
  { "a", TRUE, FALSE, FALSE, TRUE, FALSE },
  { "a+", FALSE, FALSE, FALSE, TRUE, FALSE },
  { "x+", FALSE, FALSE, TRUE, FALSE, TRUE },
  { "rb+", FALSE, FALSE, FALSE, FALSE, FALSE },
};

static IoStream *
make_stream (Fuzz *f)
{
  g_autoptr(GError) error = NULL;
  const guint8 *data;
  guint8 first = fuzz_u8 (&f->in);
  gsize len = fuzz_take (&f->in, first, &data);
  guint kind = (first >> 5) % G_N_ELEMENTS (file_modes);
  IoStream *stream;

  f->path = g_strdup_printf ("%s/io-fuzz-file-%d", g_get_tmp_dir (), (int) getpid ());
  if (file_modes[kind].creates)
    (void) g_unlink (f->path);
  else if (!g_file_set_contents (f->path, (const char *) data, (gssize) len, &error))
    fuzz_fail (&f->in, "cannot write %s: %s", f->path, error->message);
  if (file_modes[kind].truncates)
    len = 0;
  model_init (&f->model, MODEL_FILE_IO, data, len);
  f->model.no_read = file_modes[kind].no_read;
  f->model.no_write = file_modes[kind].no_write;
  f->model.append = file_modes[kind].appends;
  /* FileIO starts an appending file at its end. */
  if (file_modes[kind].appends)
    f->model.position = (gint64) len;
  stream = io_file_stream_new (f->path, file_modes[kind].mode, &error);
  if (stream == NULL)
    fuzz_fail (&f->in, "cannot open %s: %s", f->path, error->message);
  return stream;
}
#else
/* The allocation limits a memory stream's writes may run under: at
 * IO_MIN_CAPACITY's doublings and between them (where growth falls back
 * from doubling to the exact size), at the long writes' sizes, and at
 * FUZZ_MAX_SIZE, beyond which no write is skipped any more. Each is above
 * the initial content's 255 bytes. */
static const gsize write_limits[] = {
  256, 300, 4096, 4097, 65536, 70000, 200000, FUZZ_MAX_SIZE,
};

static IoStream *
make_memory_stream (Fuzz         *f,
                    guint8        kind,
                    const guint8 *data,
                    gsize         len)
{
  switch (kind % 5)
    {
    case 0:
      model_init (&f->model, FUZZ_FLAVOR, data, len);
      return io_memory_stream_new (len > 0 ? data : NULL, len);
    case 1:
      /* A slice in the middle of a larger allocation. */
      {
        g_autoptr(GBytes) whole = NULL;
        guint8 *padded = g_malloc (len + 16);

        memset (padded, 0xaa, len + 16);
        if (len > 0)
          memcpy (padded + 8, data, len);
        whole = g_bytes_new_take (padded, len + 16);
        f->initial = g_bytes_new_from_bytes (whole, 8, len);
      }
      break;
    case 2:
      model_init (&f->model, FUZZ_FLAVOR, NULL, 0);
      return io_memory_stream_new_from_bytes (NULL);
    default:
      f->initial = g_bytes_new (data, len);
      break;
    }

  f->initial_copy = g_memdup2 (data, len);
  model_init (&f->model, FUZZ_FLAVOR, data, len);
  return io_memory_stream_new_from_bytes (f->initial);
}

static IoStream *
make_stream (Fuzz *f)
{
  guint8 kind = fuzz_u8 (&f->in);
  const guint8 *data;
  gsize len = fuzz_take (&f->in, fuzz_u8 (&f->in), &data);
  /* The high half of the constructor byte: inputs made before the limit
   * existed mostly keep their meaning. */
  gsize limit = kind >= 0x80 ? write_limits[(kind >> 3) % G_N_ELEMENTS (write_limits)] : 0;
  IoStream *stream;

  stream = make_memory_stream (f, kind, data, len);
  f->model.limit = limit;
  return stream;
}
#endif

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  Fuzz f = { { data, size, 0, 0, NULL }, };

  fuzz_init_logging ();

  f.stream = make_stream (&f);
  g_object_add_weak_pointer (G_OBJECT (f.stream), (gpointer *) &f.stream);
  check_invariants (&f);

  while (!fuzz_done (&f.in))
    {
      Op op = fuzz_u8 (&f.in) % N_OPS;

      f.in.op_index++;
      f.in.op_name = op_names[op];
      run_op (&f, op);
      check_invariants (&f);
    }

  f.in.op_name = "teardown";
  g_clear_pointer (&f.line, g_free);
#ifdef FUZZ_FILE_STREAM
  check_file_content (&f);
  g_object_unref (f.stream);
  fuzz_assert (&f.in, f.stream == NULL, "the stream outlived its last reference");
  g_unlink (f.path);
  g_free (f.path);
#else
  if (!f.model.closed && f.model.exports == 0)
    {
      g_autoptr(GBytes) value = io_memory_stream_get_value (IO_MEMORY_STREAM (f.stream), NULL);

      fuzz_check_bytes (&f.in, "final value", value, f.model.data, f.model.size);
    }
  for (; f.model.exports > 0; f.model.exports--)
    io_memory_stream_release_buffer (IO_MEMORY_STREAM (f.stream));
  g_object_unref (f.stream);
  fuzz_assert (&f.in, f.stream == NULL, "the stream outlived its last reference");

  for (guint i = 0; i < N_KEPT; i++)
    {
      if (f.kept[i] != NULL)
        fuzz_check_bytes (&f.in, "a value after the stream died", f.kept[i], f.kept_copy[i],
                          g_bytes_get_size (f.kept[i]));
      g_clear_pointer (&f.kept[i], g_bytes_unref);
      g_clear_pointer (&f.kept_copy[i], g_free);
    }
  if (f.initial != NULL)
    fuzz_check_bytes (&f.in, "the constructor's bytes", f.initial, f.initial_copy,
                      g_bytes_get_size (f.initial));
  g_clear_pointer (&f.initial, g_bytes_unref);
  g_clear_pointer (&f.initial_copy, g_free);
#endif
  model_clear (&f.model);
  return 0;
}
