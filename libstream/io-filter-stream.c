/* io-filter-stream.c: the base of a stream that sits on another stream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <gio/gio.h>

#include "io-filter-stream.h"
#include "io-stream-inline-private.h"

/**
 * IoFilterStream:
 *
 * An abstract stream over another stream, its base: the floor a layer
 * (a buffer, a converter, a text decoder) is built on, as
 * `GFilterInputStream` is in GIO and `_BufferedIOMixin` in CPython's io.
 *
 * The filter keeps a reference on [property@Io.FilterStream:base-stream],
 * given when it is made and never changed. What it forwards:
 *
 * - capabilities: the filter is readable, writable and seekable when its
 *   base is (a subclass may narrow them with the `can_*` vfuncs), and
 *   `fileno()` and `isatty()` are always the base's;
 * - the operations `read_chunk`, `write`, `seek`, `tell`, `truncate`,
 *   `flush` and `peek` pass through to the base's public methods until a
 *   subclass overrides them: one base call per vfunc call, so a `read1()`
 *   on the filter is one `read1()` on the base. A C subclass overrides
 *   `read` (which comes before `read_chunk`), a subclass in Python,
 *   JavaScript or Vala `read_chunk`;
 * - closing the filter flushes it, then closes the base when
 *   [property@Io.FilterStream:close-base] is `TRUE` (the default), as
 *   CPython closes the raw stream under a buffered one;
 * - errors of the base reach the caller unchanged; a base closed under the
 *   filter makes every forwarded call fail with %G_IO_ERROR_CLOSED, and
 *   closing the filter then succeeds, with nothing to flush.
 *
 * [method@Io.FilterStream.detach] flushes the filter and gives its base
 * back; the filter is then closed, and every method fails with
 * %G_IO_ERROR_CLOSED and CPython's message "raw stream has been detached".
 */

typedef struct
{
  IoStream *base_stream;
  gboolean close_base;
} IoFilterStreamPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (IoFilterStream, io_filter_stream, IO_TYPE_STREAM)

enum {
  PROP_0,
  PROP_BASE_STREAM,
  PROP_CLOSE_BASE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define FILTER_PRIV(self) \
  ((IoFilterStreamPrivate *) io_filter_stream_get_instance_private ((IoFilterStream *) (self)))

/* The base of an open filter: vfuncs are called only on open streams, and
 * an open filter always has its base. The capabilities are the exception:
 * they may be asked for the first time after detach(). */
#define BASE(self) (FILTER_PRIV (self)->base_stream)

static gboolean
filter_can_read (IoStream *self)
{
  return BASE (self) != NULL && io_stream_readable (BASE (self), NULL);
}

static gboolean
filter_can_write (IoStream *self)
{
  return BASE (self) != NULL && io_stream_writable (BASE (self), NULL);
}

static gboolean
filter_can_seek (IoStream *self)
{
  return BASE (self) != NULL && io_stream_seekable (BASE (self), NULL);
}

/* The pass-through read is read_chunk, not read, so that a subclass in a
 * language binding, which implements read_chunk, replaces it, while a C
 * subclass's read still comes first. */
static GBytes *
filter_read_chunk (IoStream  *self,
                   gsize      count,
                   GError   **error)
{
  return io_stream_read1_bytes (BASE (self), (gssize) count, error);
}

static gssize
filter_write (IoStream      *self,
              const guint8  *buffer,
              gsize          count,
              GError       **error)
{
  return io_stream_write (BASE (self), buffer, count, error);
}

static gint64
filter_seek (IoStream  *self,
             gint64     offset,
             IoWhence   whence,
             GError   **error)
{
  return io_stream_seek (BASE (self), offset, whence, error);
}

static gint64
filter_tell (IoStream  *self,
             GError   **error)
{
  return io_stream_tell (BASE (self), error);
}

static gint64
filter_truncate (IoStream  *self,
                 gint64     size,
                 GError   **error)
{
  return io_stream_truncate (BASE (self), size, error);
}

static gboolean
filter_flush (IoStream  *self,
              GError   **error)
{
  /* A base closed under the filter has nothing left to flush, and the
   * filter can still be closed (or dropped) without an error, as CPython
   * closes a buffered object whose raw stream was closed. */
  if (io_stream_is_closed (BASE (self)))
    return TRUE;
  return io_stream_flush (BASE (self), error);
}

static GBytes *
filter_peek (IoStream  *self,
             gsize      count,
             GError   **error)
{
  return io_stream_peek (BASE (self), count, error);
}

static gboolean
filter_close (IoStream  *self,
              GError   **error)
{
  IoFilterStreamPrivate *priv = FILTER_PRIV (self);

  if (!priv->close_base)
    return TRUE;
  return io_stream_close (priv->base_stream, error);
}

static gboolean
filter_isatty (IoStream  *self,
               GError   **error)
{
  return io_stream_isatty (BASE (self), error);
}

static int
filter_fileno (IoStream  *self,
               GError   **error)
{
  return io_stream_fileno (BASE (self), error);
}

/**
 * io_filter_stream_get_base_stream: (get-property base-stream)
 * @self: an #IoFilterStream
 *
 * The stream under the filter.
 *
 * Returns: (transfer none) (nullable): the base stream, or `NULL` once
 *   [method@Io.FilterStream.detach] has given it back
 */
IoStream *
io_filter_stream_get_base_stream (IoFilterStream *self)
{
  g_return_val_if_fail (IO_IS_FILTER_STREAM (self), NULL);

  return FILTER_PRIV (self)->base_stream;
}

/**
 * io_filter_stream_get_close_base: (get-property close-base)
 * @self: an #IoFilterStream
 *
 * Whether closing the filter closes its base.
 *
 * Returns: `TRUE` if the base is closed with the filter
 */
gboolean
io_filter_stream_get_close_base (IoFilterStream *self)
{
  g_return_val_if_fail (IO_IS_FILTER_STREAM (self), FALSE);

  return FILTER_PRIV (self)->close_base;
}

/**
 * io_filter_stream_set_close_base: (set-property close-base)
 * @self: an #IoFilterStream
 * @close_base: whether closing the filter closes its base
 *
 * Sets whether closing the filter (or dropping it open) closes its base.
 */
void
io_filter_stream_set_close_base (IoFilterStream *self,
                                 gboolean        close_base)
{
  IoFilterStreamPrivate *priv;

  g_return_if_fail (IO_IS_FILTER_STREAM (self));

  priv = FILTER_PRIV (self);
  close_base = !!close_base;
  if (priv->close_base == close_base)
    return;
  priv->close_base = close_base;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOSE_BASE]);
}

/**
 * io_filter_stream_detach:
 * @self: an #IoFilterStream
 * @error: return location for a #GError
 *
 * Flushes the filter and gives its base stream back, open, whatever
 * [property@Io.FilterStream:close-base] says (Python's `detach()`).
 *
 * The filter is then closed: every method fails with %G_IO_ERROR_CLOSED,
 * "raw stream has been detached". If the flush fails, nothing is detached
 * and the error is returned.
 *
 * Returns: (transfer full) (nullable): the base stream, or `NULL` on error
 */
IoStream *
io_filter_stream_detach (IoFilterStream  *self,
                         GError         **error)
{
  g_auto (IoStreamHold) hold = IO_STREAM_HOLD_INIT;
  IoStream *stream = (IoStream *) self;
  IoStreamPrivate *stream_priv;

  g_return_val_if_fail (IO_IS_FILTER_STREAM (self), NULL);

  if (!io_stream_hold (stream, &hold, error) || !io_stream_flush (stream, error))
    return NULL;

  stream_priv = IO_STREAM_PRIV (stream);
  stream_priv->detached = 1;
  io_stream_mark_closed (stream);
  return g_steal_pointer (&FILTER_PRIV (self)->base_stream);
}

static void
io_filter_stream_constructed (GObject *object)
{
  G_OBJECT_CLASS (io_filter_stream_parent_class)->constructed (object);

  if (FILTER_PRIV (object)->base_stream == NULL)
    g_critical ("%s needs a base-stream", G_OBJECT_TYPE_NAME (object));
}

static void
io_filter_stream_finalize (GObject *object)
{
  g_clear_object (&FILTER_PRIV (object)->base_stream);

  G_OBJECT_CLASS (io_filter_stream_parent_class)->finalize (object);
}

static void
io_filter_stream_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  IoFilterStream *self = IO_FILTER_STREAM (object);

  switch (prop_id)
    {
    case PROP_BASE_STREAM:
      g_value_set_object (value, io_filter_stream_get_base_stream (self));
      break;

    case PROP_CLOSE_BASE:
      g_value_set_boolean (value, io_filter_stream_get_close_base (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
io_filter_stream_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  IoFilterStream *self = IO_FILTER_STREAM (object);

  switch (prop_id)
    {
    case PROP_BASE_STREAM:
      FILTER_PRIV (self)->base_stream = g_value_dup_object (value);
      break;

    case PROP_CLOSE_BASE:
      io_filter_stream_set_close_base (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
io_filter_stream_class_init (IoFilterStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  IoStreamClass *stream_class = IO_STREAM_CLASS (klass);

  object_class->constructed = io_filter_stream_constructed;
  object_class->finalize = io_filter_stream_finalize;
  object_class->get_property = io_filter_stream_get_property;
  object_class->set_property = io_filter_stream_set_property;

  stream_class->can_read = filter_can_read;
  stream_class->can_write = filter_can_write;
  stream_class->can_seek = filter_can_seek;
  stream_class->read_chunk = filter_read_chunk;
  stream_class->write = filter_write;
  stream_class->seek = filter_seek;
  stream_class->tell = filter_tell;
  stream_class->truncate = filter_truncate;
  stream_class->flush = filter_flush;
  stream_class->close = filter_close;
  stream_class->peek = filter_peek;
  stream_class->isatty = filter_isatty;
  stream_class->fileno = filter_fileno;

  /**
   * IoFilterStream:base-stream: (getter get_base_stream)
   *
   * The stream under the filter, given at construction.
   */
  properties[PROP_BASE_STREAM] =
    g_param_spec_object ("base-stream", NULL, NULL,
                         IO_TYPE_STREAM,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  /**
   * IoFilterStream:close-base: (getter get_close_base) (setter set_close_base)
   *
   * Whether closing the filter closes its base stream. `TRUE` by default.
   */
  properties[PROP_CLOSE_BASE] =
    g_param_spec_boolean ("close-base", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
io_filter_stream_init (IoFilterStream *self)
{
  FILTER_PRIV (self)->close_base = TRUE;
}
