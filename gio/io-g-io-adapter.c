/* io-g-io-adapter.c: a GIOStream over a libstream stream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "io-gio-private.h"

/* IoGIOAdapter: what io_stream_as_io_stream() returns, documented there.
 * Its two streams are adapters that leave the base open; the GIOStream
 * closes it. */

G_DEFINE_TYPE_WITH_CODE (IoGIOAdapter, io_g_io_adapter, G_TYPE_IO_STREAM,
                         G_IMPLEMENT_INTERFACE (G_TYPE_SEEKABLE, io_gio_seekable_iface_init))

static GInputStream *
io_adapter_get_input_stream (GIOStream *stream)
{
  return ((IoGIOAdapter *) stream)->input;
}

static GOutputStream *
io_adapter_get_output_stream (GIOStream *stream)
{
  return ((IoGIOAdapter *) stream)->output;
}

static gboolean
io_adapter_close (GIOStream     *stream,
                  GCancellable  *cancellable,
                  GError       **error)
{
  IoGIOAdapter *self = (IoGIOAdapter *) stream;
  GError *local_error = NULL;

  /* GIOStream's own close closes (and so flushes) both streams; the base
   * is closed even if that failed, and the first error is reported. */
  if (!G_IO_STREAM_CLASS (io_g_io_adapter_parent_class)->close_fn (stream, cancellable,
                                                                   &local_error))
    {
      if (self->link.close_base)
        io_stream_close (self->link.base, NULL);
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return io_gio_link_close (&self->link, error);
}

static void
io_g_io_adapter_constructed (GObject *object)
{
  IoGIOAdapter *self = (IoGIOAdapter *) object;

  G_OBJECT_CLASS (io_g_io_adapter_parent_class)->constructed (object);
  self->input = io_g_input_adapter_new (self->link.base, FALSE);
  self->output = io_g_output_adapter_new (self->link.base, FALSE);
}

static void
io_g_io_adapter_finalize (GObject *object)
{
  IoGIOAdapter *self = (IoGIOAdapter *) object;

  g_clear_object (&self->input);
  g_clear_object (&self->output);
  io_gio_link_clear (&self->link);
  G_OBJECT_CLASS (io_g_io_adapter_parent_class)->finalize (object);
}

static void
io_g_io_adapter_class_init (IoGIOAdapterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GIOStreamClass *stream_class = G_IO_STREAM_CLASS (klass);

  object_class->constructed = io_g_io_adapter_constructed;
  object_class->finalize = io_g_io_adapter_finalize;
  stream_class->get_input_stream = io_adapter_get_input_stream;
  stream_class->get_output_stream = io_adapter_get_output_stream;
  stream_class->close_fn = io_adapter_close;
  io_gio_adapter_class_init (object_class);
}

static void
io_g_io_adapter_init (IoGIOAdapter *self)
{
  /* Its streams have the descriptor, if any. */
  self->link.fd = -1;
}
