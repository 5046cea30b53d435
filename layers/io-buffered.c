/* io-buffered.c: the buffer logic of the four buffered layers, CPython
 * 3.11's Modules/_io/bufferedio.c in the shape of IoStream's vfuncs
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>

#include "io-buffered-private.h"
#include "io-error.h"
#include "io-open.h"
#include "io-stream-window.h"

/* The buffer lives in the window the layer lends its stream (see
 * io-stream-window.h): small reads, getc(), lines and small writes are
 * served inline from it, and only a read past the bytes read ahead, a
 * write that does not fit, and the other operations reach the vfuncs
 * here. Each vfunc takes the position back from the window first and
 * lends the window again when it returns:
 *
 *   g_auto (BufferClaim) claim = claim_buffer (self);
 *
 * The window is the bytes read ahead while reading, and the free space
 * after the bytes waiting to be written while writing (or while empty, in
 * a writable layer); a pair lends only its read buffer. */

static GParamSpec *properties[IO_BUFFERED_N_PROPS];

#define RAW(self) (io_filter_stream_get_base_stream ((IoFilterStream *) (self)))

static void
lend_buffer (IoStream *self)
{
  IoBuffered *b = IO_BUFFERED (self);

  if (b->data == NULL)
    io_stream_lend_window (self, NULL, NULL, NULL);
  else if (b->kind == IO_BUFFERED_KIND_RW_PAIR || b->mode == IO_BUFFERED_READ)
    io_stream_lend_window (self, b->data + b->read_pos, b->data + b->read_end, NULL);
  else
    io_stream_lend_window (self, b->data + b->write_len, b->data + b->write_len,
                           io_stream_get_caps (self)->can_write ? b->data + b->size : NULL);
}

typedef IoStream *BufferClaim;

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (BufferClaim, lend_buffer, NULL)

static inline BufferClaim
claim_buffer (IoStream *self)
{
  IoBuffered *b = IO_BUFFERED (self);
  const IoStreamWindow *window = io_stream_get_window (self);

  if (window->pos == NULL)
    return self;
  if (b->kind == IO_BUFFERED_KIND_RW_PAIR || b->mode == IO_BUFFERED_READ)
    b->read_pos = (gsize) (window->pos - b->data);
  else
    {
      /* Inline writes may have filled an empty buffer. */
      b->write_len = (gsize) (window->pos - b->data);
      b->mode = b->write_len > 0 ? IO_BUFFERED_WRITE : IO_BUFFERED_EMPTY;
    }
  return self;
}

/* The raw calls. EINTR never reaches the caller: a raw that reports it
 * (a backend of a binding, a callback table) is called again, as CPython
 * retries on InterruptedError (PEP 475). */

static gboolean
take_eintr (GError **local_error)
{
  if (*local_error == NULL || io_error_get_errno (*local_error) != EINTR)
    return FALSE;
  g_clear_error (local_error);
  return TRUE;
}

static gssize
raw_read (IoBuffered *b,
          IoStream   *raw,
          guint8     *buffer,
          gsize       count,
          GError    **error)
{
  GError *local_error = NULL;
  gssize n;

  do
    n = io_stream_read1 (raw, buffer, count, &local_error);
  while (n < 0 && take_eintr (&local_error));

  if (n < 0)
    g_propagate_error (error, local_error);
  else if (b->raw_pos >= 0)
    b->raw_pos += n;
  return n;
}

/* Writes some of @buffer (at least one byte) or fails. */
static gssize
raw_write (IoBuffered   *b,
           const guint8 *buffer,
           gsize         count,
           GError      **error)
{
  GError *local_error = NULL;
  gssize n;

  do
    n = io_stream_write (b->writer, buffer, count, &local_error);
  while (n < 0 && take_eintr (&local_error));

  if (n < 0)
    g_propagate_error (error, local_error);
  else if (b->raw_pos >= 0)
    b->raw_pos += n;
  return n;
}

static gint64
raw_seek (IoBuffered *b,
          IoStream   *raw,
          gint64      offset,
          IoWhence    whence,
          GError    **error)
{
  GError *local_error = NULL;
  gint64 result;

  do
    result = io_stream_seek (raw, offset, whence, &local_error);
  while (result < 0 && take_eintr (&local_error));

  if (result < 0)
    g_propagate_error (error, local_error);
  b->raw_pos = result;
  return result;
}

static gint64
raw_tell (IoStream  *raw,
          GError   **error)
{
  GError *local_error = NULL;
  gint64 result;

  do
    result = io_stream_tell (raw, &local_error);
  while (result < 0 && take_eintr (&local_error));

  if (result < 0)
    g_propagate_error (error, local_error);
  return result;
}

static gint64
raw_truncate (IoStream  *raw,
              gint64     size,
              GError   **error)
{
  GError *local_error = NULL;
  gint64 result;

  do
    result = io_stream_truncate (raw, size, &local_error);
  while (result < 0 && take_eintr (&local_error));

  if (result < 0)
    g_propagate_error (error, local_error);
  return result;
}

static gboolean
check_buffer (IoBuffered  *b,
              GError     **error)
{
  if G_LIKELY (b->data != NULL)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
               "Cannot allocate a buffer of %" G_GSIZE_FORMAT " bytes", b->size);
  return FALSE;
}

static void
reset_read (IoBuffered *b)
{
  b->read_pos = b->read_end = 0;
  if (b->mode == IO_BUFFERED_READ)
    b->mode = IO_BUFFERED_EMPTY;
}

/* Gives every byte waiting in the write buffer to the writer, retrying
 * short writes. On failure the bytes not written stay, at the start of the
 * buffer, for the next flush. */
static gboolean
flush_writes (IoBuffered  *b,
              GError     **error)
{
  gsize done = 0;

  while (done < b->write_len)
    {
      gssize n = raw_write (b, b->write_data + done, b->write_len - done, error);

      if (n < 0)
        {
          memmove (b->write_data, b->write_data + done, b->write_len - done);
          b->write_len -= done;
          return FALSE;
        }
      done += (gsize) n;
    }

  b->write_len = 0;
  if (b->mode == IO_BUFFERED_WRITE)
    b->mode = IO_BUFFERED_EMPTY;
  return TRUE;
}

/* Moves the raw back over the bytes read ahead and not consumed, so that
 * its position is the layer's again, and forgets them. */
static gboolean
rewind_reads (IoStream  *self,
              IoBuffered *b,
              GError   **error)
{
  gsize unread = b->read_end - b->read_pos;

  if (b->mode == IO_BUFFERED_READ && unread > 0 &&
      raw_seek (b, RAW (self), -(gint64) unread, IO_WHENCE_CUR, error) < 0)
    return FALSE;
  reset_read (b);
  return TRUE;
}

/* A read after writes in one buffer writes them out first. */
static gboolean
begin_reading (IoBuffered  *b,
               GError     **error)
{
  if (!check_buffer (b, error))
    return FALSE;
  if (b->kind != IO_BUFFERED_KIND_RW_PAIR && b->mode == IO_BUFFERED_WRITE)
    return flush_writes (b, error);
  return TRUE;
}

/* One raw read of a whole buffer; nothing read ahead at the end of the
 * stream. */
static gboolean
fill_buffer (IoStream   *self,
             IoBuffered *b,
             GError    **error)
{
  gssize n;

  reset_read (b);
  n = raw_read (b, RAW (self), b->data, b->size, error);
  if (n < 0)
    return FALSE;
  b->read_end = (gsize) n;
  if (n > 0)
    b->mode = IO_BUFFERED_READ;
  return TRUE;
}

/* IoStream calls this only once the bytes read ahead are used up (or for
 * more than they hold): they come first, without a raw read; then a read
 * of a buffer or more goes straight into the caller's memory, and a
 * smaller one fills the buffer with one raw read. */
static gssize
buffered_read (IoStream  *self,
               guint8    *buffer,
               gsize      count,
               GError   **error)
{
  g_auto (BufferClaim) claim = claim_buffer (self);
  IoBuffered *b = IO_BUFFERED (self);
  gsize n;

  if (!begin_reading (b, error))
    return -1;

  n = MIN (count, b->read_end - b->read_pos);
  if (n == 0)
    {
      if (count >= b->size)
        {
          reset_read (b);
          return raw_read (b, RAW (self), buffer, count, error);
        }
      if (!fill_buffer (self, b, error))
        return -1;
      n = MIN (count, b->read_end);
    }

  memcpy (buffer, b->data + b->read_pos, n);
  b->read_pos += n;
  return (gssize) n;
}

static GBytes *
buffered_peek (IoStream  *self,
               gsize      count,
               GError   **error)
{
  g_auto (BufferClaim) claim = claim_buffer (self);
  IoBuffered *b = IO_BUFFERED (self);

  if (!begin_reading (b, error))
    return NULL;
  if (b->read_pos == b->read_end && !fill_buffer (self, b, error))
    return NULL;
  return g_bytes_new (b->data + b->read_pos, MIN (count, b->read_end - b->read_pos));
}

static gssize
take_into_buffer (IoBuffered   *b,
                  const guint8 *buffer,
                  gsize         count)
{
  if (count == 0)
    return 0;
  memcpy (b->write_data + b->write_len, buffer, count);
  b->write_len += count;
  if (b->kind != IO_BUFFERED_KIND_RW_PAIR)
    b->mode = IO_BUFFERED_WRITE;
  return (gssize) count;
}

/* IoStream calls this for a write that does not fit in the space left
 * (and for the first write after reads): a write that fits in the buffer
 * is copied; otherwise the buffer is flushed, and a write larger than the
 * buffer goes straight to the raw. IoStream calls again for the rest of a
 * short count. A raw that would block gives CPython's BlockingIOError
 * semantics: as much as fits is taken into the buffer and counted; with
 * nothing taken the write fails with G_IO_ERROR_WOULD_BLOCK. */
static gssize
buffered_write (IoStream      *self,
                const guint8  *buffer,
                gsize          count,
                GError       **error)
{
  g_auto (BufferClaim) claim = claim_buffer (self);
  IoBuffered *b = IO_BUFFERED (self);
  GError *local_error = NULL;
  gssize n;

  if (!check_buffer (b, error))
    return -1;
  /* The raw is moved back to the position before it is written. */
  if (b->kind != IO_BUFFERED_KIND_RW_PAIR && !rewind_reads (self, b, error))
    return -1;

  if (count <= b->size - b->write_len)
    return take_into_buffer (b, buffer, count);

  if (!flush_writes (b, &local_error))
    {
      gsize room = b->size - b->write_len;

      if (room == 0 || !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          g_propagate_error (error, local_error);
          return -1;
        }
      g_error_free (local_error);
      return take_into_buffer (b, buffer, MIN (count, room));
    }
  if (count <= b->size)
    return take_into_buffer (b, buffer, count);

  n = raw_write (b, buffer, count, &local_error);
  if (n < 0 && g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    {
      g_error_free (local_error);
      return take_into_buffer (b, buffer, b->size);
    }
  if (n < 0)
    g_propagate_error (error, local_error);
  return n;
}

/* CPython's flush(): BufferedWriter and BufferedRWPair write their buffer
 * out, BufferedRandom also moves the raw back to the position over what
 * it read ahead. None flushes the raw itself (only close() does, by
 * closing it). */
static gboolean
buffered_flush (IoStream  *self,
                GError   **error)
{
  g_auto (BufferClaim) claim = claim_buffer (self);
  IoBuffered *b = IO_BUFFERED (self);

  if (!flush_writes (b, error))
    return FALSE;
  /* A raw closed under the layer keeps nothing to move back. */
  if (b->kind == IO_BUFFERED_KIND_RANDOM && !io_stream_is_closed (RAW (self)))
    return rewind_reads (self, b, error);
  return TRUE;
}

/* A reader's flush() flushes the raw, as CPython's does. */
static gboolean
reader_flush (IoStream  *self,
              GError   **error)
{
  GError *local_error = NULL;
  gboolean ok;

  /* As IoFilterStream: a raw closed under the layer has nothing to flush. */
  if (io_stream_is_closed (RAW (self)))
    return TRUE;
  do
    ok = io_stream_flush (RAW (self), &local_error);
  while (!ok && take_eintr (&local_error));

  if (!ok)
    g_propagate_error (error, local_error);
  return ok;
}

/* The raw position, as last seen or asked for. */
static gint64
raw_position (IoStream   *self,
              IoBuffered *b,
              GError    **error)
{
  if (b->raw_pos < 0)
    b->raw_pos = raw_tell (RAW (self), error);
  return b->raw_pos;
}

/* A seek that lands inside the bytes read ahead moves in the buffer, with
 * no raw seek; any other flushes what waits to be written and seeks the
 * raw, dropping the bytes read ahead (kept when the raw fails). */
static gint64
buffered_seek (IoStream  *self,
               gint64     offset,
               IoWhence   whence,
               GError   **error)
{
  g_auto (BufferClaim) claim = claim_buffer (self);
  IoBuffered *b = IO_BUFFERED (self);
  gint64 result;

  if (b->mode == IO_BUFFERED_READ && whence != IO_WHENCE_END)
    {
      gint64 raw_pos = raw_position (self, b, error);
      gint64 start, target;

      if (raw_pos < 0)
        return -1;
      start = raw_pos - (gint64) b->read_end;
      target = whence == IO_WHENCE_CUR ? start + (gint64) b->read_pos + offset : offset;
      if (target >= start && target <= raw_pos)
        {
          b->read_pos = (gsize) (target - start);
          return target;
        }
      if (whence == IO_WHENCE_CUR)
        offset -= (gint64) (b->read_end - b->read_pos);
    }

  if (!flush_writes (b, error))
    return -1;
  /* A raw that refuses the position has not moved: what was read ahead
   * is still the stream's. */
  result = raw_seek (b, RAW (self), offset, whence, error);
  if (result >= 0)
    reset_read (b);
  return result;
}

/* The raw's position (asked for every time, as CPython does) less what
 * was read ahead, plus what waits to be written. */
static gint64
buffered_tell (IoStream  *self,
               GError   **error)
{
  g_auto (BufferClaim) claim = claim_buffer (self);
  IoBuffered *b = IO_BUFFERED (self);
  gint64 position = raw_tell (RAW (self), error);

  b->raw_pos = position;
  if (position < 0)
    return -1;
  if (b->mode == IO_BUFFERED_READ)
    position -= (gint64) (b->read_end - b->read_pos);
  else if (b->mode == IO_BUFFERED_WRITE)
    position += (gint64) b->write_len;
  if (position < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "Raw stream returned invalid position %" G_GINT64_FORMAT, b->raw_pos);
      return -1;
    }
  return position;
}

static gint64
buffered_truncate (IoStream  *self,
                   gint64     size,
                   GError   **error)
{
  g_auto (BufferClaim) claim = claim_buffer (self);
  IoBuffered *b = IO_BUFFERED (self);
  gint64 result;

  if (!flush_writes (b, error) || !rewind_reads (self, b, error))
    return -1;
  result = raw_truncate (RAW (self), size, error);
  b->raw_pos = -1;
  return result;
}

static gboolean
reader_can_write (IoStream *self)
{
  return FALSE;
}

static gboolean
writer_can_read (IoStream *self)
{
  return FALSE;
}

static gboolean
pair_can_read (IoStream *self)
{
  return RAW (self) != NULL && io_stream_readable (RAW (self), NULL);
}

static gboolean
pair_can_write (IoStream *self)
{
  IoStream *writer = IO_BUFFERED (self)->writer;

  return writer != NULL && io_stream_writable (writer, NULL);
}

static gboolean
pair_can_seek (IoStream *self)
{
  return FALSE;
}

/* CPython's BufferedRWPair.close(): the writer, then the reader, the
 * first error reported. */
static gboolean
pair_close (IoStream  *self,
            GError   **error)
{
  IoBuffered *b = IO_BUFFERED (self);
  GError *writer_error = NULL;
  gboolean reader_ok;

  if (!io_filter_stream_get_close_base ((IoFilterStream *) self))
    return TRUE;
  (void) io_stream_close (b->writer, &writer_error);
  reader_ok = io_stream_close (RAW (self), writer_error == NULL ? error : NULL);
  if (writer_error != NULL)
    {
      g_propagate_error (error, writer_error);
      return FALSE;
    }
  return reader_ok;
}

static gboolean
pair_isatty (IoStream  *self,
             GError   **error)
{
  IoBuffered *b = IO_BUFFERED (self);
  GError *local_error = NULL;

  if (io_stream_isatty (b->writer, &local_error))
    return TRUE;
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return io_stream_isatty (RAW (self), error);
}

static gboolean
buffered_initable_init (GInitable     *initable,
                        GCancellable  *cancellable,
                        GError       **error)
{
  IoStream *self = IO_STREAM (initable);
  IoBuffered *b = IO_BUFFERED (self);
  IoStream *raw = RAW (self);
  IoStream *writer = b->kind == IO_BUFFERED_KIND_RW_PAIR ? b->writer : raw;
  gboolean need_read = b->kind != IO_BUFFERED_KIND_WRITER;
  gboolean need_write = b->kind != IO_BUFFERED_KIND_READER;
  gboolean need_seek = b->kind == IO_BUFFERED_KIND_RANDOM;
  const char *missing = NULL;
  GError *local_error = NULL;

  if (raw == NULL || writer == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "A raw stream is required");
      return FALSE;
    }
  if (!check_buffer (b, error))
    return FALSE;

  /* CPython's order: seekable, readable, writable. */
  if (need_seek && !io_stream_seekable (raw, &local_error))
    missing = "seekable";
  else if (need_read && !io_stream_readable (raw, &local_error))
    missing = "readable";
  else if (need_write && !io_stream_writable (writer, &local_error))
    missing = "writable";
  if (missing == NULL)
    return TRUE;

  if (local_error != NULL)
    g_propagate_error (error, local_error);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "File or stream is not %s.",
                 missing);
  return FALSE;
}

void
io_buffered_initable_iface_init (GInitableIface *iface)
{
  iface->init = buffered_initable_init;
}

IoStream *
io_buffered_new (GType      type,
                 IoStream  *raw,
                 IoStream  *writer,
                 gsize      buffer_size,
                 GError   **error)
{
  if (buffer_size == 0 || buffer_size > G_MAXSSIZE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   buffer_size == 0 ? "buffer size must be strictly positive"
                                    : "buffer size %" G_GSIZE_FORMAT " is too large",
                   buffer_size);
      return NULL;
    }
  if (writer != NULL)
    return g_initable_new (type, NULL, error,
                           "base-stream", raw,
                           "writer", writer,
                           "buffer-size", (guint64) buffer_size,
                           NULL);
  return g_initable_new (type, NULL, error,
                         "base-stream", raw,
                         "buffer-size", (guint64) buffer_size,
                         NULL);
}

IoStream *
io_buffered_get_raw (IoStream *self)
{
  g_auto (IoStreamHold) hold = IO_STREAM_HOLD_INIT;

  (void) io_stream_hold (self, &hold, NULL);
  return RAW (self);
}

IoStream *
io_buffered_get_writer (IoStream *self)
{
  g_auto (IoStreamHold) hold = IO_STREAM_HOLD_INIT;

  (void) io_stream_hold (self, &hold, NULL);
  return IO_BUFFERED (self)->writer;
}

gsize
io_buffered_get_buffer_size (IoStream *self)
{
  return IO_BUFFERED (self)->size;
}

static GObjectClass *
filter_class (void)
{
  return g_type_class_peek (IO_TYPE_FILTER_STREAM);
}

static void
buffered_constructed (GObject *object)
{
  IoStream *self = IO_STREAM (object);
  IoBuffered *b = IO_BUFFERED (self);

  filter_class ()->constructed (object);

  b->data = g_try_malloc (b->size);
  if (b->kind == IO_BUFFERED_KIND_RW_PAIR)
    {
      b->write_data = g_try_malloc (b->size);
      if (b->write_data == NULL)
        g_clear_pointer (&b->data, g_free);
      if (b->writer == NULL)
        g_critical ("%s needs a writer", G_OBJECT_TYPE_NAME (object));
    }
  else
    {
      b->write_data = b->data;
      b->writer = RAW (self) != NULL ? g_object_ref (RAW (self)) : NULL;
    }
  /* Lent from the start, so that IoStream knows to read lines through
   * the buffer. */
  lend_buffer (self);
}

static void
buffered_finalize (GObject *object)
{
  IoBuffered *b = IO_BUFFERED (object);

  if (b->write_data != b->data)
    g_free (b->write_data);
  g_clear_pointer (&b->data, g_free);
  g_clear_object (&b->writer);

  filter_class ()->finalize (object);
}

static void
buffered_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  IoStream *self = IO_STREAM (object);

  switch (prop_id)
    {
    case IO_BUFFERED_PROP_RAW:
      g_value_set_object (value, io_buffered_get_raw (self));
      break;

    case IO_BUFFERED_PROP_BUFFER_SIZE:
      g_value_set_uint64 (value, io_buffered_get_buffer_size (self));
      break;

    case IO_BUFFERED_PROP_WRITER:
      g_value_set_object (value, io_buffered_get_writer (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
buffered_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  IoBuffered *b = IO_BUFFERED (object);

  switch (prop_id)
    {
    case IO_BUFFERED_PROP_BUFFER_SIZE:
      b->size = (gsize) g_value_get_uint64 (value);
      break;

    case IO_BUFFERED_PROP_WRITER:
      b->writer = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

void
io_buffered_class_setup (GObjectClass   *klass,
                         IoBufferedKind  kind)
{
  IoStreamClass *stream_class = IO_STREAM_CLASS (klass);
  gboolean pair = kind == IO_BUFFERED_KIND_RW_PAIR;

  klass->constructed = buffered_constructed;
  klass->finalize = buffered_finalize;
  klass->get_property = buffered_get_property;
  klass->set_property = buffered_set_property;

  stream_class->read = buffered_read;
  stream_class->peek = buffered_peek;
  stream_class->write = buffered_write;

  switch (kind)
    {
    case IO_BUFFERED_KIND_READER:
      stream_class->can_write = reader_can_write;
      stream_class->flush = reader_flush;
      break;

    case IO_BUFFERED_KIND_WRITER:
      stream_class->can_read = writer_can_read;
      stream_class->flush = buffered_flush;
      break;

    case IO_BUFFERED_KIND_RANDOM:
      stream_class->flush = buffered_flush;
      break;

    case IO_BUFFERED_KIND_RW_PAIR:
      stream_class->can_read = pair_can_read;
      stream_class->can_write = pair_can_write;
      stream_class->can_seek = pair_can_seek;
      stream_class->flush = buffered_flush;
      stream_class->close = pair_close;
      stream_class->isatty = pair_isatty;
      stream_class->fileno = NULL;
      break;
    }

  if (!pair)
    {
      stream_class->seek = buffered_seek;
      stream_class->tell = buffered_tell;
      stream_class->truncate = buffered_truncate;
    }

  properties[IO_BUFFERED_PROP_RAW] =
    g_param_spec_object (pair ? "reader" : "raw", NULL, NULL,
                         IO_TYPE_STREAM,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[IO_BUFFERED_PROP_BUFFER_SIZE] =
    g_param_spec_uint64 ("buffer-size", NULL, NULL,
                         1, G_MAXSSIZE, IO_DEFAULT_BUFFER_SIZE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));
  properties[IO_BUFFERED_PROP_WRITER] =
    pair ? g_param_spec_object ("writer", NULL, NULL,
                                IO_TYPE_STREAM,
                                (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                                 G_PARAM_STATIC_STRINGS))
         : NULL;

  g_object_class_install_properties (klass, pair ? IO_BUFFERED_N_PROPS : IO_BUFFERED_N_PROPS - 1,
                                     properties);
}

void
io_buffered_init (IoStream       *self,
                  IoBufferedKind  kind)
{
  IoBuffered *b = IO_BUFFERED (self);

  b->kind = kind;
  b->size = IO_DEFAULT_BUFFER_SIZE;
  b->raw_pos = -1;
}
