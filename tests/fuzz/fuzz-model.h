/* fuzz-model.h: a reference model of a seekable byte stream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Written from CPython's documented behaviour (io.BytesIO and io.FileIO,
 * see ../shared/research/semantics-anchors.md §3), independently of the
 * library: plain arrays, 128-bit arithmetic for positions, and the order
 * of the argument checks that IoStream documents.
 */

#pragma once

#include "fuzz-common.h"

G_BEGIN_DECLS

typedef enum {
  /* io.BytesIO: truncate never extends, relative seeks before 0 clamp. */
  MODEL_BYTES_IO,
  /* io.FileIO on a regular file: truncate extends with zeros, a seek to a
   * negative position fails with EINVAL. */
  MODEL_FILE_IO,
} ModelFlavor;

typedef struct
{
  ModelFlavor flavor;
  guint8 *data;
  gsize size;
  /* The most of @data this input has used, cleared when it ends. */
  gsize used;
  gint64 position;
  gboolean closed;
  guint exports;
  /* A file opened without read or write access, or for appending. */
  gboolean no_read;
  gboolean no_write;
  gboolean append;
  /* 0, or the size above which every allocation fails while a write runs
   * (io_buffer_set_limit_for_testing()). The stream's storage then never
   * grows past it, so a write ending beyond it must fail with
   * G_IO_ERROR_NO_SPACE and change nothing, and one ending within it must
   * succeed (io_grow_capacity() falls back from doubling to the exact
   * size). It must be at least the initial content's size. */
  gsize limit;
} Model;

/* What an operation did in the model: an error code or FUZZ_OK, a value,
 * and for reads the bytes at @data (pointing into the model). */
typedef struct
{
  int error;
  gint64 value;
  const guint8 *data;
  gsize len;
} ModelResult;

#define MODEL_SKIP (-2)

/* The model's storage, FUZZ_MAX_SIZE bytes, is allocated once per process:
 * under AddressSanitizer a fresh megabyte for each input (an mmap(), a
 * munmap() and the quarantine) cost 67 times the run of a small input. It
 * is never freed, and stays reachable for the leak checkers. */
static inline guint8 *
model_storage (void)
{
  static guint8 *storage;

  if (storage == NULL)
    storage = g_malloc0 (FUZZ_MAX_SIZE);
  return storage;
}

/* Marks @m->data up to @end as used (written by this input). */
static inline void
model_use (Model *m,
           gsize  end)
{
  m->used = MAX (m->used, end);
}

static inline void
model_init (Model        *m,
            ModelFlavor   flavor,
            const guint8 *data,
            gsize         len)
{
  memset (m, 0, sizeof *m);
  m->flavor = flavor;
  m->data = model_storage ();
  if (len > 0)
    memcpy (m->data, data, len);
  m->size = len;
  model_use (m, len);
}

/* Clears what this input wrote, so the next one starts from zeros and
 * cannot depend on the inputs run before it. */
static inline void
model_clear (Model *m)
{
  if (m->data != NULL)
    memset (m->data, 0, m->used);
  m->data = NULL;
  m->used = 0;
}

static inline ModelResult
model_error (int code)
{
  ModelResult r = { code, -1, NULL, 0 };

  return r;
}

static inline ModelResult
model_value (gint64 value)
{
  ModelResult r = { FUZZ_OK, value, NULL, 0 };

  return r;
}

static inline gsize
model_remaining (Model *m)
{
  return (guint64) m->position < m->size ? m->size - (gsize) m->position : 0;
}

/* Consumes up to @count bytes (G_MAXSIZE for all) at the position. */
static inline ModelResult
model_consume (Model *m,
               gsize  count)
{
  ModelResult r = { FUZZ_OK, 0, NULL, 0 };

  r.len = MIN (count, model_remaining (m));
  r.data = m->data + (r.len > 0 ? (gsize) m->position : 0);
  r.value = (gint64) r.len;
  m->position += (gint64) r.len;
  return r;
}

/* The checks of every read and of every write: open, then allowed (both
 * before the arguments); FUZZ_OK if the operation may go on. */
static inline int
model_read_check (Model *m)
{
  if (m->closed)
    return G_IO_ERROR_CLOSED;
  return m->no_read ? G_IO_ERROR_NOT_SUPPORTED : FUZZ_OK;
}

static inline int
model_write_check (Model *m)
{
  if (m->closed)
    return G_IO_ERROR_CLOSED;
  return m->no_write ? G_IO_ERROR_NOT_SUPPORTED : FUZZ_OK;
}

/* read(), read1() and readinto() with a caller buffer of @count bytes. */
static inline ModelResult
model_read_into (Model *m,
                 gsize  count)
{
  if (model_read_check (m) != FUZZ_OK)
    return model_error (model_read_check (m));
  if (count > G_MAXSSIZE)
    return model_error (G_IO_ERROR_INVALID_ARGUMENT);
  return model_consume (m, count);
}

/* read(size), read1(size), readall(): -1 is everything. */
static inline ModelResult
model_read_sized (Model  *m,
                  gint64  size)
{
  if (model_read_check (m) != FUZZ_OK)
    return model_error (model_read_check (m));
  if (size < -1)
    return model_error (G_IO_ERROR_INVALID_ARGUMENT);
  return model_consume (m, size == -1 ? G_MAXSIZE : (gsize) size);
}

/* What one backend read returns at most without a window: IoStream reads
 * in chunks of 64 KiB when it cannot see how much is there. */
#define MODEL_CHUNK ((gsize) 64 * 1024)

/* read1(size): one backend call, all that is there for a memory stream. */
static inline ModelResult
model_read1_sized (Model  *m,
                   gint64  size)
{
  if (m->flavor == MODEL_FILE_IO && (size == -1 || size > (gint64) MODEL_CHUNK))
    size = MODEL_CHUNK;
  return model_read_sized (m, size);
}

static inline ModelResult
model_peek (Model *m,
            gsize  count)
{
  ModelResult r;
  gint64 position = m->position;

  if (model_read_check (m) != FUZZ_OK)
    return model_error (model_read_check (m));
  if (count > G_MAXSSIZE)
    return model_error (G_IO_ERROR_INVALID_ARGUMENT);
  if (count == 0 || (m->flavor == MODEL_FILE_IO && count > MODEL_CHUNK))
    count = MODEL_CHUNK;
  r = model_consume (m, count);
  m->position = position;
  return r;
}

/* Up to and including the next newline, at most @limit bytes. */
static inline ModelResult
model_readline (Model  *m,
                gint64  limit)
{
  gsize max;
  const guint8 *start;
  const guint8 *newline;

  if (model_read_check (m) != FUZZ_OK)
    return model_error (model_read_check (m));
  if (limit < -1)
    return model_error (G_IO_ERROR_INVALID_ARGUMENT);
  max = MIN (model_remaining (m), limit == -1 ? G_MAXSIZE : (gsize) limit);
  start = m->data + (gsize) MIN ((guint64) m->position, m->size);
  newline = max > 0 ? memchr (start, '\n', max) : NULL;
  return model_consume (m, newline != NULL ? (gsize) (newline - start) + 1 : max);
}

/* readlines(hint): the lines joined; value is how many lines. */
static inline ModelResult
model_readlines (Model  *m,
                 gint64  hint)
{
  ModelResult r = { FUZZ_OK, 0, NULL, 0 };

  if (model_read_check (m) != FUZZ_OK)
    return model_error (model_read_check (m));
  if (hint < -1)
    return model_error (G_IO_ERROR_INVALID_ARGUMENT);
  r.data = m->data + (gsize) MIN ((guint64) m->position, m->size);
  for (;;)
    {
      ModelResult line = model_readline (m, -1);

      if (line.len == 0)
        break;
      r.len += line.len;
      r.value++;
      if (hint > 0 && r.len >= (guint64) hint)
        break;
    }
  return r;
}

/* write() of @count bytes; MODEL_SKIP when the result would depend on how
 * much memory the machine has. */
static inline ModelResult
model_write (Model        *m,
             const guint8 *data,
             gsize         count)
{
  guint64 start, end;

  if (model_write_check (m) != FUZZ_OK)
    return model_error (model_write_check (m));
  if (count > G_MAXSSIZE)
    return model_error (G_IO_ERROR_INVALID_ARGUMENT);
  if (m->exports > 0)
    return model_error (G_IO_ERROR_BUSY);
  if (count == 0)
    return model_value (0);
  /* O_APPEND: every write goes to the end, and the position with it. */
  start = m->append ? m->size : (guint64) m->position;
  if (start > (guint64) G_MAXSSIZE - count)
    return model_error (G_IO_ERROR_NO_SPACE);
  end = start + count;
  if (end >= FUZZ_IMPOSSIBLE_SIZE)
    return model_error (G_IO_ERROR_NO_SPACE);
  if (m->limit > 0 && end > m->limit)
    return model_error (G_IO_ERROR_NO_SPACE);
  if (end > FUZZ_MAX_SIZE)
    return model_error (MODEL_SKIP);

  if ((gsize) start > m->size)
    memset (m->data + m->size, 0, (gsize) start - m->size);
  memcpy (m->data + start, data, count);
  m->size = MAX (m->size, (gsize) end);
  model_use (m, m->size);
  m->position = (gint64) end;
  return model_value ((gint64) count);
}

static inline ModelResult
model_seek (Model    *m,
            gint64    offset,
            IoWhence  whence)
{
  __int128 target;

  if (m->closed)
    return model_error (G_IO_ERROR_CLOSED);
  if ((int) whence < 0 || (int) whence > 2)
    return model_error (G_IO_ERROR_INVALID_ARGUMENT);
  if (whence == IO_WHENCE_SET && offset < 0)
    return model_error (G_IO_ERROR_INVALID_ARGUMENT);

  target = offset;
  if (whence == IO_WHENCE_CUR)
    target += m->position;
  else if (whence == IO_WHENCE_END)
    target += m->size;
  if (target > G_MAXINT64)
    return model_error (G_IO_ERROR_INVALID_ARGUMENT);
  if (target < 0)
    {
      if (m->flavor == MODEL_FILE_IO)
        return model_error (G_IO_ERROR_INVALID_ARGUMENT);
      target = 0;
    }
  m->position = (gint64) target;
  return model_value (m->position);
}

static inline ModelResult
model_tell (Model *m)
{
  if (m->closed)
    return model_error (G_IO_ERROR_CLOSED);
  return model_value (m->position);
}

static inline ModelResult
model_truncate (Model  *m,
                gint64  size)
{
  if (model_write_check (m) != FUZZ_OK)
    return model_error (model_write_check (m));
  if (size < -1)
    return model_error (G_IO_ERROR_INVALID_ARGUMENT);
  if (size == -1)
    size = m->position;
  if (m->exports > 0)
    return model_error (G_IO_ERROR_BUSY);
  if ((guint64) size < m->size)
    m->size = (gsize) size;
  else if (m->flavor == MODEL_FILE_IO && (guint64) size > m->size)
    {
      if ((guint64) size > FUZZ_MAX_SIZE)
        return model_error (MODEL_SKIP);
      memset (m->data + m->size, 0, (gsize) size - m->size);
      m->size = (gsize) size;
      model_use (m, m->size);
    }
  return model_value (size);
}

/* flush(), get_value(), readable() and the like: only the closed check. */
static inline ModelResult
model_open_check (Model *m)
{
  if (m->closed)
    return model_error (G_IO_ERROR_CLOSED);
  return model_value (1);
}

static inline ModelResult
model_close (Model *m)
{
  if (m->closed)
    return model_value (1);
  if (m->exports > 0)
    return model_error (G_IO_ERROR_BUSY);
  m->closed = TRUE;
  return model_value (1);
}

/* Checks an array a read returned (freed here) against the model. */
static inline void
model_check_array (FuzzInput    *in,
                   ModelResult  *want,
                   guint8       *got,
                   gsize         got_len,
                   GError      **error)
{
  fuzz_check_error (in, error, want->error);
  if (want->error == FUZZ_OK)
    {
      fuzz_assert (in, got != NULL, "NULL array without an error");
      fuzz_check_data (in, "result", got, got_len, want->data, want->len);
    }
  else
    fuzz_assert (in, got == NULL && got_len == 0, "a failed call returned data");
  g_free (got);
}

/* Checks what readlines() returned against model_readlines(): the lines
 * joined are the model's bytes, each ends at its only newline, and only the
 * last may lack one. */
static inline void
model_check_lines (FuzzInput    *in,
                   ModelResult  *want,
                   GPtrArray    *lines,
                   GError      **error)
{
  gsize offset = 0;

  fuzz_check_error (in, error, want->error);
  if (want->error != FUZZ_OK)
    {
      fuzz_assert (in, lines == NULL, "a failed readlines returned lines");
      return;
    }
  fuzz_assert (in, lines != NULL && lines->len == (guint) want->value,
               "model has %" G_GINT64_FORMAT " lines", want->value);
  for (guint i = 0; i < lines->len; i++)
    {
      gsize line_len;
      const guint8 *line = g_bytes_get_data (lines->pdata[i], &line_len);
      const guint8 *newline = line_len > 0 ? memchr (line, '\n', line_len) : NULL;

      fuzz_assert (in, line_len > 0, "an empty line");
      fuzz_assert (in, offset + line_len <= want->len, "the lines are too long");
      fuzz_check_data (in, "line", line, line_len, want->data + offset, line_len);
      fuzz_assert (in, newline == NULL || newline == line + line_len - 1,
                   "a line with a newline before its end");
      fuzz_assert (in, newline != NULL || i == lines->len - 1,
                   "a line without a newline before the last");
      offset += line_len;
    }
  fuzz_assert (in, offset == want->len, "the lines are too short");
}

G_END_DECLS
