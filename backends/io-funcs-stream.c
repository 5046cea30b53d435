/* io-funcs-stream.c: a stream backed by a plain table of C callbacks
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "io-funcs-stream.h"

/* A private final subclass: one instance per callback table. The vfuncs it
 * lacks stay NULL so that the base class reports them unsupported. */
typedef struct
{
  IoStream parent_instance;
  IoStreamFuncs funcs;
  gpointer user_data;
  GDestroyNotify destroy;
} IoFuncsStream;

typedef struct
{
  IoStreamClass parent_class;
} IoFuncsStreamClass;

static GType io_funcs_stream_get_type (void) G_GNUC_CONST;

G_DEFINE_FINAL_TYPE (IoFuncsStream, io_funcs_stream, IO_TYPE_STREAM)

#define FUNCS(stream) (&((IoFuncsStream *) (stream))->funcs)
#define USER_DATA(stream) (((IoFuncsStream *) (stream))->user_data)

static gboolean
io_funcs_stream_can_read (IoStream *stream)
{
  return FUNCS (stream)->read != NULL;
}

static gboolean
io_funcs_stream_can_write (IoStream *stream)
{
  return FUNCS (stream)->write != NULL;
}

static gboolean
io_funcs_stream_can_seek (IoStream *stream)
{
  return FUNCS (stream)->seek != NULL;
}

static gssize
io_funcs_stream_read (IoStream  *stream,
                      guint8    *buffer,
                      gsize      count,
                      GError   **error)
{
  return FUNCS (stream)->read (USER_DATA (stream), buffer, count, error);
}

static gssize
io_funcs_stream_write (IoStream      *stream,
                       const guint8  *buffer,
                       gsize          count,
                       GError       **error)
{
  return FUNCS (stream)->write (USER_DATA (stream), buffer, count, error);
}

static gint64
io_funcs_stream_seek (IoStream  *stream,
                      gint64     offset,
                      IoWhence   whence,
                      GError   **error)
{
  return FUNCS (stream)->seek (USER_DATA (stream), offset, whence, error);
}

static gint64
io_funcs_stream_truncate (IoStream  *stream,
                          gint64     size,
                          GError   **error)
{
  if (FUNCS (stream)->truncate == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "truncate");
      return -1;
    }
  return FUNCS (stream)->truncate (USER_DATA (stream), size, error);
}

static gboolean
io_funcs_stream_flush (IoStream  *stream,
                       GError   **error)
{
  return FUNCS (stream)->flush == NULL || FUNCS (stream)->flush (USER_DATA (stream), error);
}

static gboolean
io_funcs_stream_close (IoStream  *stream,
                       GError   **error)
{
  return FUNCS (stream)->close == NULL || FUNCS (stream)->close (USER_DATA (stream), error);
}

static void
io_funcs_stream_finalize (GObject *object)
{
  IoFuncsStream *self = (IoFuncsStream *) object;

  if (self->destroy != NULL)
    self->destroy (self->user_data);

  G_OBJECT_CLASS (io_funcs_stream_parent_class)->finalize (object);
}

static void
io_funcs_stream_class_init (IoFuncsStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  IoStreamClass *stream_class = IO_STREAM_CLASS (klass);

  object_class->finalize = io_funcs_stream_finalize;

  stream_class->can_read = io_funcs_stream_can_read;
  stream_class->can_write = io_funcs_stream_can_write;
  stream_class->can_seek = io_funcs_stream_can_seek;
  stream_class->read = io_funcs_stream_read;
  stream_class->write = io_funcs_stream_write;
  stream_class->seek = io_funcs_stream_seek;
  stream_class->truncate = io_funcs_stream_truncate;
  stream_class->flush = io_funcs_stream_flush;
  stream_class->close = io_funcs_stream_close;
}

static void
io_funcs_stream_init (IoFuncsStream *self)
{
}

/* The size of the table in version 1.0, the smallest one accepted. */
#define IO_STREAM_FUNCS_SIZE_1_0 (G_STRUCT_OFFSET (IoStreamFuncs, close) + sizeof (gpointer))

/**
 * io_stream_new_from_funcs: (skip)
 * @funcs: the backend's operations; copied
 * @user_data: passed to every callback
 * @destroy: (nullable): frees @user_data when the stream is finalized
 *
 * Creates a stream whose operations are the C callbacks in @funcs, with
 * every [class@Io.Stream] invariant enforced around them.
 *
 * @funcs->struct_size says which version of the table the caller was
 * compiled with: callbacks a later version adds are left unset for an
 * older table, and the callbacks of a newer table that this version does
 * not know are not called.
 *
 * Returns: (transfer full): a new stream
 */
IoStream *
io_stream_new_from_funcs (const IoStreamFuncs *funcs,
                          gpointer             user_data,
                          GDestroyNotify       destroy)
{
  IoFuncsStream *self;

  g_return_val_if_fail (funcs != NULL, NULL);
  g_return_val_if_fail (funcs->struct_size >= IO_STREAM_FUNCS_SIZE_1_0, NULL);

  /* A table from an older caller lacks the callbacks added since: they
   * stay NULL. One from a newer caller has callbacks this version does not
   * know of, which it cannot call. */
  self = g_object_new (io_funcs_stream_get_type (), NULL);
  memcpy (&self->funcs, funcs, MIN (funcs->struct_size, sizeof (IoStreamFuncs)));
  self->funcs.struct_size = sizeof (IoStreamFuncs);
  self->user_data = user_data;
  self->destroy = destroy;
  return IO_STREAM (self);
}
