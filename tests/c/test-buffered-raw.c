/* test-buffered-raw.c: a raw stream that counts its calls and fails on
 * command, for the buffered layers' tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <errno.h>
#include <string.h>

#include "test-buffered-raw.h"

G_DEFINE_FINAL_TYPE (TestRaw, test_raw, IO_TYPE_STREAM)

/* The faults every call may meet first. */
static gboolean
take_eintr (TestRaw  *self,
            GError  **error)
{
  if (self->eintr_calls == 0)
    return FALSE;
  self->eintr_calls--;
  io_error_set_from_errno (EINTR, NULL, NULL, error);
  return TRUE;
}

static gboolean
set_fault (int       code,
           GError  **error)
{
  if (code < 0)
    return FALSE;
  g_set_error (error, G_IO_ERROR, code, "injected fault %d", code);
  return TRUE;
}

static gssize
test_raw_read (IoStream  *stream,
               guint8    *buffer,
               gsize      count,
               GError   **error)
{
  TestRaw *self = TEST_RAW (stream);
  gsize n;

  self->reads++;
  self->last_read_count = count;
  if (take_eintr (self, error) || set_fault (self->read_error, error))
    return -1;
  if (self->read_would_block)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, "would block");
      return -1;
    }
  n = self->position < self->data->len ? MIN (count, self->data->len - self->position) : 0;
  if (self->max_read > 0)
    n = MIN (n, self->max_read);
  memcpy (buffer, self->data->data + self->position, n);
  self->position += n;
  return (gssize) n;
}

/* Resizes the content, a file's way: a gap reads as zeros. */
static void
resize (TestRaw *self,
        gsize    size)
{
  gsize old = self->data->len;

  g_byte_array_set_size (self->data, (guint) size);
  if (size > old)
    memset (self->data->data + old, 0, size - old);
}

static gssize
test_raw_write (IoStream      *stream,
                const guint8  *buffer,
                gsize          count,
                GError       **error)
{
  TestRaw *self = TEST_RAW (stream);
  gsize n = count;

  self->writes++;
  self->last_write_count = count;
  if (take_eintr (self, error) || set_fault (self->write_error, error))
    return -1;
  if (self->max_write > 0)
    n = MIN (n, self->max_write);
  if (self->write_room >= 0)
    {
      if (self->write_room == 0)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, "would block");
          return -1;
        }
      n = MIN (n, (gsize) self->write_room);
      self->write_room -= (gssize) n;
    }
  resize (self, MAX (self->data->len, self->position + n));
  memcpy (self->data->data + self->position, buffer, n);
  self->position += n;
  return (gssize) n;
}

static gint64
test_raw_seek (IoStream  *stream,
               gint64     offset,
               IoWhence   whence,
               GError   **error)
{
  TestRaw *self = TEST_RAW (stream);
  gint64 base = whence == IO_WHENCE_SET ? 0
              : whence == IO_WHENCE_CUR ? (gint64) self->position
              : (gint64) self->data->len;

  self->seeks++;
  if (take_eintr (self, error))
    return -1;
  if (base + offset < 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "before the start");
      return -1;
    }
  self->position = (gsize) (base + offset);
  return base + offset;
}

static gint64
test_raw_tell (IoStream  *stream,
               GError   **error)
{
  TestRaw *self = TEST_RAW (stream);

  self->tells++;
  return (gint64) self->position;
}

static gint64
test_raw_truncate (IoStream  *stream,
                   gint64     size,
                   GError   **error)
{
  TestRaw *self = TEST_RAW (stream);

  self->truncates++;
  resize (self, (gsize) size);
  return size;
}

static gboolean
test_raw_flush (IoStream  *stream,
                GError   **error)
{
  TestRaw *self = TEST_RAW (stream);

  self->flushes++;
  return !set_fault (self->flush_error, error);
}

static gboolean
test_raw_close (IoStream  *stream,
                GError   **error)
{
  TestRaw *self = TEST_RAW (stream);

  self->closes++;
  return !set_fault (self->close_error, error);
}

static gboolean
test_raw_can_read (IoStream *stream)
{
  return TEST_RAW (stream)->readable;
}

static gboolean
test_raw_can_write (IoStream *stream)
{
  return TEST_RAW (stream)->writable;
}

static gboolean
test_raw_can_seek (IoStream *stream)
{
  return TEST_RAW (stream)->seekable;
}

static void
test_raw_finalize (GObject *object)
{
  g_byte_array_unref (TEST_RAW (object)->data);

  G_OBJECT_CLASS (test_raw_parent_class)->finalize (object);
}

static void
test_raw_class_init (TestRawClass *klass)
{
  IoStreamClass *stream_class = IO_STREAM_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = test_raw_finalize;
  stream_class->can_read = test_raw_can_read;
  stream_class->can_write = test_raw_can_write;
  stream_class->can_seek = test_raw_can_seek;
  stream_class->read = test_raw_read;
  stream_class->write = test_raw_write;
  stream_class->seek = test_raw_seek;
  stream_class->tell = test_raw_tell;
  stream_class->truncate = test_raw_truncate;
  stream_class->flush = test_raw_flush;
  stream_class->close = test_raw_close;
}

static void
test_raw_init (TestRaw *self)
{
  self->data = g_byte_array_new ();
  self->readable = self->writable = self->seekable = TRUE;
  self->write_room = -1;
  self->read_error = self->write_error = self->flush_error = self->close_error = -1;
}

TestRaw *
test_raw_new (const char *content,
              gsize       len)
{
  TestRaw *self = g_object_new (TEST_TYPE_RAW, NULL);

  g_byte_array_append (self->data, (const guint8 *) content, (guint) len);
  return self;
}

void
test_raw_assert_data (TestRaw    *raw,
                      const char *expected,
                      gsize       expected_len)
{
  g_assert_cmpmem (raw->data->data, raw->data->len, expected, expected_len);
}

void
test_raw_reset_counts (TestRaw *raw)
{
  raw->reads = raw->writes = raw->seeks = raw->tells = 0;
  raw->truncates = raw->flushes = raw->closes = 0;
}
