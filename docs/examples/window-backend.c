/* window-backend.c: a backend that lends its memory to IoStream
 *
 * The example of docs/writing-a-backend.md. MyBufferStream reads and
 * writes a fixed-size buffer that the caller owns, like fmemopen(): the
 * whole buffer is the content, writes overwrite it in place and fail with
 * G_IO_ERROR_NO_SPACE at its end. The stream gets a window over the buffer
 * from the position to the end, for reading and for writing, so reads,
 * lines, getc() and writes that fit in it never reach the vfuncs.
 *
 * Built against the installed library by tests/install/test-oot-backend.sh
 * and in the build tree by docs/examples/meson.build; it runs and checks
 * what it reads.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <libstream.h>
#include <string.h>

#define MY_TYPE_BUFFER_STREAM (my_buffer_stream_get_type ())
G_DECLARE_FINAL_TYPE (MyBufferStream, my_buffer_stream, MY, BUFFER_STREAM, IoStream)

struct _MyBufferStream
{
  IoStream parent_instance;

  guint8 *data;
  gsize size;
  gsize position;       /* up to date only while the window is claimed */
};

G_DEFINE_FINAL_TYPE (MyBufferStream, my_buffer_stream, IO_TYPE_STREAM)

/* Lends the bytes from the position to the end of the buffer, readable
 * and writable in place: an inline copy is all our own read or write
 * would do there. */
static void
my_buffer_stream_lend (MyBufferStream *self)
{
  guint8 *end = self->data + self->size;

  io_stream_lend_window (IO_STREAM (self), self->data + self->position, end, end);
}

/* Claimed at the start of every vfunc: the stream has moved the position
 * inside the window since we lent it. The claim lends the window again
 * when it goes out of scope. */
typedef MyBufferStream *MyWindowClaim;
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (MyWindowClaim, my_buffer_stream_lend, NULL)

static MyWindowClaim
my_buffer_stream_claim (MyBufferStream *self)
{
  const IoStreamWindow *window = io_stream_get_window (IO_STREAM (self));

  if (window->pos != NULL)
    self->position = (gsize) (window->pos - self->data);
  return self;
}

/* Called only for what the window cannot serve: here, a read or a write
 * that runs past the end of the buffer. */
static gssize
my_buffer_stream_read (IoStream  *stream,
                       guint8    *buffer,
                       gsize      count,
                       GError   **error)
{
  MyBufferStream *self = MY_BUFFER_STREAM (stream);
  g_auto (MyWindowClaim) claim = my_buffer_stream_claim (self);
  gsize n = MIN (count, self->size - self->position);

  memcpy (buffer, self->data + self->position, n);
  self->position += n;
  return (gssize) n;
}

static gssize
my_buffer_stream_write (IoStream      *stream,
                        const guint8  *buffer,
                        gsize          count,
                        GError       **error)
{
  MyBufferStream *self = MY_BUFFER_STREAM (stream);
  g_auto (MyWindowClaim) claim = my_buffer_stream_claim (self);
  gsize n = MIN (count, self->size - self->position);

  if (n == 0 && count > 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "The buffer is full");
      return -1;
    }
  memcpy (self->data + self->position, buffer, n);
  self->position += n;
  return (gssize) n;
}

static gint64
my_buffer_stream_seek (IoStream  *stream,
                       gint64     offset,
                       IoWhence   whence,
                       GError   **error)
{
  MyBufferStream *self = MY_BUFFER_STREAM (stream);
  g_auto (MyWindowClaim) claim = my_buffer_stream_claim (self);
  gint64 base = whence == IO_WHENCE_SET ? 0
              : whence == IO_WHENCE_CUR ? (gint64) self->position
              : (gint64) self->size;

  if (offset < -base || offset > (gint64) self->size - base)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "Cannot seek outside the buffer");
      return -1;
    }
  self->position = (gsize) (base + offset);
  return (gint64) self->position;
}

static void
my_buffer_stream_class_init (MyBufferStreamClass *klass)
{
  IoStreamClass *stream_class = IO_STREAM_CLASS (klass);

  stream_class->read = my_buffer_stream_read;
  stream_class->write = my_buffer_stream_write;
  stream_class->seek = my_buffer_stream_seek;
}

static void
my_buffer_stream_init (MyBufferStream *self)
{
}

static IoStream *
my_buffer_stream_new (guint8 *data,
                      gsize   size)
{
  MyBufferStream *self = g_object_new (MY_TYPE_BUFFER_STREAM, NULL);

  self->data = data;
  self->size = size;
  my_buffer_stream_lend (self);        /* the first window */
  return IO_STREAM (self);
}

int
main (void)
{
  char memory[] = "one\ntwo\n...";
  g_autoptr (IoStream) stream = my_buffer_stream_new ((guint8 *) memory, strlen (memory));
  g_autoptr (GBytes) line = NULL;
  GError *error = NULL;

  line = io_stream_readline (stream, -1, &error);          /* from the window */
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (line, NULL), g_bytes_get_size (line), "one\n", 4);
  g_assert_cmpint (io_stream_getc (stream, &error), ==, 't');
  g_assert_cmpint (io_stream_write (stream, (const guint8 *) "W", 1, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpstr (memory, ==, "one\ntWo\n...");            /* written in place */

  /* The last byte fits in the window; the next write reaches the vfunc,
   * which refuses it. */
  g_assert_cmpint (io_stream_seek (stream, -1, IO_WHENCE_END, &error), ==, 10);
  g_assert_cmpint (io_stream_write (stream, (const guint8 *) "!", 1, &error), ==, 1);
  g_assert_cmpint (io_stream_write (stream, (const guint8 *) "?", 1, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_clear_error (&error);
  g_assert_cmpstr (memory, ==, "one\ntWo\n..!");

  g_print ("window-backend: ok\n");
  return 0;
}
