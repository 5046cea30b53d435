/* io-g-output-adapter.c: a GOutputStream that writes a libstream stream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <gio/gfiledescriptorbased.h>
#include <glib-unix.h>
#include <limits.h>

#include "io-gio-private.h"

/* IoGOutputAdapter: what io_stream_as_output_stream() returns, documented
 * there. IoGFdOutputAdapter adds what a stream with a descriptor offers. */

G_DEFINE_TYPE_WITH_CODE (IoGOutputAdapter, io_g_output_adapter, G_TYPE_OUTPUT_STREAM,
                         G_IMPLEMENT_INTERFACE (G_TYPE_SEEKABLE, io_gio_seekable_iface_init))

#define LINK(stream) (&((IoGOutputAdapter *) (stream))->link)

static gssize
output_adapter_write (GOutputStream  *stream,
                      const void     *buffer,
                      gsize           count,
                      GCancellable   *cancellable,
                      GError        **error)
{
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return -1;
  return io_stream_write (LINK (stream)->base, buffer, count, error);
}

static gboolean
output_adapter_flush (GOutputStream  *stream,
                      GCancellable   *cancellable,
                      GError        **error)
{
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  return io_stream_flush (LINK (stream)->base, error);
}

static gboolean
output_adapter_close (GOutputStream  *stream,
                      GCancellable   *cancellable,
                      GError        **error)
{
  /* GIO has flushed the adapter already. */
  return io_gio_link_close (LINK (stream), error);
}

static void
io_g_output_adapter_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  io_gio_link_get_property (LINK (object), prop_id, value, pspec);
}

static void
io_g_output_adapter_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  io_gio_link_set_property (LINK (object), prop_id, value, pspec);
}

static void
io_g_output_adapter_finalize (GObject *object)
{
  io_gio_link_clear (LINK (object));
  G_OBJECT_CLASS (io_g_output_adapter_parent_class)->finalize (object);
}

static void
io_g_output_adapter_class_init (IoGOutputAdapterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GOutputStreamClass *stream_class = G_OUTPUT_STREAM_CLASS (klass);

  object_class->get_property = io_g_output_adapter_get_property;
  object_class->set_property = io_g_output_adapter_set_property;
  object_class->finalize = io_g_output_adapter_finalize;
  stream_class->write_fn = output_adapter_write;
  stream_class->flush = output_adapter_flush;
  stream_class->close_fn = output_adapter_close;
  io_gio_link_install_properties (object_class);
}

static void
io_g_output_adapter_init (IoGOutputAdapter *self)
{
}

/* The descriptor subclass */

typedef struct
{
  IoGOutputAdapter parent_instance;
  int fd;
  gboolean can_poll;
} IoGFdOutputAdapter;

typedef IoGOutputAdapterClass IoGFdOutputAdapterClass;

static void fd_output_pollable_iface_init (GPollableOutputStreamInterface *iface);
static void fd_output_descriptor_iface_init (GFileDescriptorBasedIface *iface);

G_DEFINE_TYPE_WITH_CODE (IoGFdOutputAdapter, io_g_fd_output_adapter, IO_TYPE_G_OUTPUT_ADAPTER,
                         G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_OUTPUT_STREAM,
                                                fd_output_pollable_iface_init)
                         G_IMPLEMENT_INTERFACE (G_TYPE_FILE_DESCRIPTOR_BASED,
                                                fd_output_descriptor_iface_init))

static gssize
fd_output_write (GOutputStream  *stream,
                 const void     *buffer,
                 gsize           count,
                 GCancellable   *cancellable,
                 GError        **error)
{
  IoGFdOutputAdapter *self = (IoGFdOutputAdapter *) stream;

  /* A cancellable ends the wait for room, as GUnixOutputStream's does. */
  if (self->can_poll && cancellable != NULL &&
      !io_gio_fd_poll (self->fd, G_IO_OUT, -1, cancellable, error))
    return -1;
  return G_OUTPUT_STREAM_CLASS (io_g_fd_output_adapter_parent_class)->write_fn (stream, buffer,
                                                                                count, cancellable,
                                                                                error);
}

static gboolean
fd_output_can_poll (GPollableOutputStream *stream)
{
  return ((IoGFdOutputAdapter *) stream)->can_poll;
}

static gboolean
fd_output_is_writable (GPollableOutputStream *stream)
{
  return io_gio_fd_poll (((IoGFdOutputAdapter *) stream)->fd, G_IO_OUT, 0, NULL, NULL);
}

static GSource *
fd_output_create_source (GPollableOutputStream *stream,
                         GCancellable          *cancellable)
{
  g_autoptr(GSource) ready = g_unix_fd_source_new (((IoGFdOutputAdapter *) stream)->fd, G_IO_OUT);

  return g_pollable_source_new_full (stream, ready, cancellable);
}

static gssize
fd_output_write_nonblocking (GPollableOutputStream  *stream,
                             const void             *buffer,
                             gsize                   count,
                             GError                **error)
{
  if (!fd_output_is_writable (stream))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK,
                           g_strerror (EAGAIN));
      return -1;
    }
  /* The descriptor may be blocking: a writable pipe takes PIPE_BUF bytes
   * without waiting, not necessarily more. */
  return io_stream_write (LINK (stream)->base, buffer, MIN (count, PIPE_BUF), error);
}

static void
fd_output_pollable_iface_init (GPollableOutputStreamInterface *iface)
{
  iface->can_poll = fd_output_can_poll;
  iface->is_writable = fd_output_is_writable;
  iface->create_source = fd_output_create_source;
  iface->write_nonblocking = fd_output_write_nonblocking;
}

static int
fd_output_get_fd (GFileDescriptorBased *stream)
{
  return ((IoGFdOutputAdapter *) stream)->fd;
}

static void
fd_output_descriptor_iface_init (GFileDescriptorBasedIface *iface)
{
  iface->get_fd = fd_output_get_fd;
}

static void
io_g_fd_output_adapter_class_init (IoGFdOutputAdapterClass *klass)
{
  G_OUTPUT_STREAM_CLASS (klass)->write_fn = fd_output_write;
}

static void
io_g_fd_output_adapter_init (IoGFdOutputAdapter *self)
{
  self->fd = -1;
}

GOutputStream *
io_g_output_adapter_new (IoStream *base,
                         gboolean  close_base)
{
  gboolean can_poll;
  int fd = io_gio_base_fd (base, &can_poll);
  IoGFdOutputAdapter *self;

  if (fd < 0)
    return g_object_new (IO_TYPE_G_OUTPUT_ADAPTER, "base-stream", base,
                         "close-base", close_base, NULL);
  self = g_object_new (IO_TYPE_G_FD_OUTPUT_ADAPTER, "base-stream", base,
                       "close-base", close_base, NULL);
  self->fd = fd;
  self->can_poll = can_poll;
  return G_OUTPUT_STREAM (self);
}
