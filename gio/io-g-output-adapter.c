/* io-g-output-adapter.c: a GOutputStream that writes a libstream stream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
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

  object_class->finalize = io_g_output_adapter_finalize;
  stream_class->write_fn = output_adapter_write;
  stream_class->flush = output_adapter_flush;
  stream_class->close_fn = output_adapter_close;
  io_gio_adapter_class_init (object_class);
}

static void
io_g_output_adapter_init (IoGOutputAdapter *self)
{
}

/* The descriptor subclass */

/* The descriptor and whether it polls are in the link. */
typedef IoGOutputAdapter IoGFdOutputAdapter;
typedef IoGOutputAdapterClass IoGFdOutputAdapterClass;

static void fd_output_pollable_iface_init (GPollableOutputStreamInterface *iface);

G_DEFINE_TYPE_WITH_CODE (IoGFdOutputAdapter, io_g_fd_output_adapter, IO_TYPE_G_OUTPUT_ADAPTER,
                         G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_OUTPUT_STREAM,
                                                fd_output_pollable_iface_init)
                         G_IMPLEMENT_INTERFACE (G_TYPE_FILE_DESCRIPTOR_BASED,
                                                io_gio_descriptor_iface_init))

static gssize
fd_output_write (GOutputStream  *stream,
                 const void     *buffer,
                 gsize           count,
                 GCancellable   *cancellable,
                 GError        **error)
{
  IoGioLink *link = LINK (stream);

  /* A cancellable ends the wait for room, as GUnixOutputStream's does. */
  if (link->can_poll && cancellable != NULL &&
      !io_gio_fd_poll (link->fd, G_IO_OUT, -1, cancellable, error))
    return -1;
  return G_OUTPUT_STREAM_CLASS (io_g_fd_output_adapter_parent_class)->write_fn (stream, buffer,
                                                                                count, cancellable,
                                                                                error);
}

static gboolean
fd_output_can_poll (GPollableOutputStream *stream)
{
  return LINK (stream)->can_poll;
}

static gboolean
fd_output_is_writable (GPollableOutputStream *stream)
{
  return io_gio_fd_poll (LINK (stream)->fd, G_IO_OUT, 0, NULL, NULL);
}

static GSource *
fd_output_create_source (GPollableOutputStream *stream,
                         GCancellable          *cancellable)
{
  g_autoptr(GSource) ready = g_unix_fd_source_new (LINK (stream)->fd, G_IO_OUT);

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

static void
io_g_fd_output_adapter_class_init (IoGFdOutputAdapterClass *klass)
{
  G_OUTPUT_STREAM_CLASS (klass)->write_fn = fd_output_write;
}

static void
io_g_fd_output_adapter_init (IoGFdOutputAdapter *self)
{
}
