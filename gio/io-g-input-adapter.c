/* io-g-input-adapter.c: a GInputStream that reads a libstream stream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib-unix.h>

#include "io-gio-private.h"

/* IoGInputAdapter: what io_stream_as_input_stream() returns, documented
 * there. IoGFdInputAdapter adds what a stream with a descriptor offers. */

G_DEFINE_TYPE_WITH_CODE (IoGInputAdapter, io_g_input_adapter, G_TYPE_INPUT_STREAM,
                         G_IMPLEMENT_INTERFACE (G_TYPE_SEEKABLE, io_gio_seekable_iface_init))

#define LINK(stream) (&((IoGInputAdapter *) (stream))->link)

static gssize
input_adapter_read (GInputStream  *stream,
                    void          *buffer,
                    gsize          count,
                    GCancellable  *cancellable,
                    GError       **error)
{
  IoGioLink *link = LINK (stream);
  gssize n = -1;

  io_gio_link_take (link);
  /* No call at all without a cancellable: this is the hot path under a
   * GDataInputStream. read1() serves a lent window inline: one copy, no
   * vfunc call. */
  if (cancellable == NULL || !g_cancellable_set_error_if_cancelled (cancellable, error))
    n = io_stream_read1 (link->base, buffer, count, error);
  io_gio_link_hand_over (link);
  return n;
}

#ifdef __SANITIZE_THREAD__
/* GIO's default read_finish, after the thread that read (see
 * io_gio_link_take()). GIO's read_async stays: GIO tells by it whether
 * its own read_async runs the read in a thread. */
static gssize
input_adapter_read_finish (GInputStream  *stream,
                           GAsyncResult  *result,
                           GError       **error)
{
  io_gio_link_take (LINK (stream));
  return G_INPUT_STREAM_CLASS (io_g_input_adapter_parent_class)->read_finish (stream, result,
                                                                             error);
}
#endif

static gssize
input_adapter_skip (GInputStream  *stream,
                    gsize          count,
                    GCancellable  *cancellable,
                    GError       **error)
{
  IoStream *base = LINK (stream)->base;
  gint64 position, end, target;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return -1;
  /* GIO's own skip reads and discards; a seekable stream moves instead,
   * stopping at its end as a read would. */
  if (!io_stream_seekable (base, NULL))
    return G_INPUT_STREAM_CLASS (io_g_input_adapter_parent_class)->skip (stream, count,
                                                                         cancellable, error);
  position = io_stream_tell (base, error);
  if (position < 0)
    return -1;
  end = io_stream_seek (base, 0, IO_WHENCE_END, error);
  if (end < 0)
    return -1;
  target = position + (gint64) MIN (count, (gsize) MAX (end - position, 0));
  if (io_stream_seek (base, target, IO_WHENCE_SET, error) < 0)
    return -1;
  return (gssize) (target - position);
}

static gboolean
input_adapter_close (GInputStream  *stream,
                     GCancellable  *cancellable,
                     GError       **error)
{
  return io_gio_link_close (LINK (stream), error);
}

static void
io_g_input_adapter_finalize (GObject *object)
{
  io_gio_link_clear (LINK (object));
  G_OBJECT_CLASS (io_g_input_adapter_parent_class)->finalize (object);
}

static void
io_g_input_adapter_class_init (IoGInputAdapterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = io_g_input_adapter_finalize;
  stream_class->read_fn = input_adapter_read;
#ifdef __SANITIZE_THREAD__
  stream_class->read_finish = input_adapter_read_finish;
#endif
  stream_class->skip = input_adapter_skip;
  stream_class->close_fn = input_adapter_close;
  io_gio_adapter_class_init (object_class);
}

static void
io_g_input_adapter_init (IoGInputAdapter *self)
{
}

/* The descriptor subclass */

/* The descriptor and whether it polls are in the link. */
typedef IoGInputAdapter IoGFdInputAdapter;
typedef IoGInputAdapterClass IoGFdInputAdapterClass;

static void fd_input_pollable_iface_init (GPollableInputStreamInterface *iface);

G_DEFINE_TYPE_WITH_CODE (IoGFdInputAdapter, io_g_fd_input_adapter, IO_TYPE_G_INPUT_ADAPTER,
                         G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                fd_input_pollable_iface_init)
                         G_IMPLEMENT_INTERFACE (G_TYPE_FILE_DESCRIPTOR_BASED,
                                                io_gio_descriptor_iface_init))

static gssize
fd_input_read (GInputStream  *stream,
               void          *buffer,
               gsize          count,
               GCancellable  *cancellable,
               GError       **error)
{
  IoGioLink *link = LINK (stream);

  /* A cancellable ends the wait for data, as GUnixInputStream's does. */
  if (link->can_poll && cancellable != NULL &&
      !io_gio_fd_poll (link->fd, G_IO_IN, -1, cancellable, error))
    return -1;
  return G_INPUT_STREAM_CLASS (io_g_fd_input_adapter_parent_class)->read_fn (stream, buffer, count,
                                                                             cancellable, error);
}

static gboolean
fd_input_can_poll (GPollableInputStream *stream)
{
  return LINK (stream)->can_poll;
}

static gboolean
fd_input_is_readable (GPollableInputStream *stream)
{
  return io_gio_fd_poll (LINK (stream)->fd, G_IO_IN, 0, NULL, NULL);
}

static GSource *
fd_input_create_source (GPollableInputStream *stream,
                        GCancellable         *cancellable)
{
  g_autoptr(GSource) ready = g_unix_fd_source_new (LINK (stream)->fd, G_IO_IN);

  return g_pollable_source_new_full (stream, ready, cancellable);
}

static void
fd_input_pollable_iface_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = fd_input_can_poll;
  iface->is_readable = fd_input_is_readable;
  iface->create_source = fd_input_create_source;
}

static void
io_g_fd_input_adapter_class_init (IoGFdInputAdapterClass *klass)
{
  G_INPUT_STREAM_CLASS (klass)->read_fn = fd_input_read;
}

static void
io_g_fd_input_adapter_init (IoGFdInputAdapter *self)
{
}
