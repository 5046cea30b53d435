/* io-gio-adapter.c: what the GIO adapters share, and io_stream_as_*()
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <poll.h>
#include <sys/stat.h>

#include "io-fd-stream.h"
#include "io-gio.h"
#include "io-gio-private.h"

/* The adapters (io-g-input-adapter.c, io-g-output-adapter.c,
 * io-g-io-adapter.c) are private types: a caller sees a GInputStream,
 * GOutputStream or GIOStream with two properties, `base-stream` and
 * `close-base`. What they promise is documented on io_stream_as_*() below
 * and in docs/gnome-integration.md. */

static void
adapter_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  IoGioLink *link = io_gio_adapter_get_link (object);

  if (prop_id == IO_GIO_LINK_PROP_BASE_STREAM)
    g_value_set_object (value, link->base);
  else
    g_value_set_boolean (value, link->close_base);
}

static void
adapter_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  IoGioLink *link = io_gio_adapter_get_link (object);

  if (prop_id == IO_GIO_LINK_PROP_BASE_STREAM)
    link->base = g_value_dup_object (value);
  else
    link->close_base = g_value_get_boolean (value);
}

void
io_gio_adapter_class_init (GObjectClass *klass)
{
  klass->get_property = adapter_get_property;
  klass->set_property = adapter_set_property;
  g_object_class_install_property (klass, IO_GIO_LINK_PROP_BASE_STREAM,
    g_param_spec_object ("base-stream", NULL, NULL, IO_TYPE_STREAM,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (klass, IO_GIO_LINK_PROP_CLOSE_BASE,
    g_param_spec_boolean ("close-base", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));
}

void
io_gio_link_clear (IoGioLink *link)
{
  g_clear_object (&link->base);
}

gboolean
io_gio_link_close (IoGioLink  *link,
                   GError    **error)
{
  return !link->close_base || io_stream_close (link->base, error);
}

/* GSeekable, for every adapter. */

IoGioLink *
io_gio_adapter_get_link (gpointer adapter)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (adapter, IO_TYPE_G_INPUT_ADAPTER))
    return &((IoGInputAdapter *) adapter)->link;
  if (G_TYPE_CHECK_INSTANCE_TYPE (adapter, IO_TYPE_G_OUTPUT_ADAPTER))
    return &((IoGOutputAdapter *) adapter)->link;
  return &((IoGIOAdapter *) adapter)->link;
}

gpointer
io_gio_adapter_new (GType     type,
                    GType     fd_type,
                    IoStream *base,
                    gboolean  close_base)
{
  gboolean can_poll;
  int fd = io_gio_base_fd (base, &can_poll);
  gpointer adapter = g_object_new (fd >= 0 ? fd_type : type, "base-stream", base,
                                   "close-base", close_base, NULL);
  IoGioLink *link = io_gio_adapter_get_link (adapter);

  link->fd = fd;
  link->can_poll = can_poll;
  /* For the thread of GIO's default asynchronous methods. */
  io_gio_link_hand_over (link);
  return adapter;
}

static int
descriptor_get_fd (GFileDescriptorBased *adapter)
{
  return io_gio_adapter_get_link (adapter)->fd;
}

void
io_gio_descriptor_iface_init (GFileDescriptorBasedIface *iface)
{
  iface->get_fd = descriptor_get_fd;
}

/* GIO's rule for an operation on a stream: not while another is pending,
 * not once closed (G_IO_ERROR_PENDING, G_IO_ERROR_CLOSED). */
static gboolean
seekable_begin (GSeekable     *seekable,
                GCancellable  *cancellable,
                GError       **error)
{
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (G_IS_INPUT_STREAM (seekable))
    return g_input_stream_set_pending (G_INPUT_STREAM (seekable), error);
  if (G_IS_OUTPUT_STREAM (seekable))
    return g_output_stream_set_pending (G_OUTPUT_STREAM (seekable), error);
  return g_io_stream_set_pending (G_IO_STREAM (seekable), error);
}

static void
seekable_end (GSeekable *seekable)
{
  if (G_IS_INPUT_STREAM (seekable))
    g_input_stream_clear_pending (G_INPUT_STREAM (seekable));
  else if (G_IS_OUTPUT_STREAM (seekable))
    g_output_stream_clear_pending (G_OUTPUT_STREAM (seekable));
  else
    g_io_stream_clear_pending (G_IO_STREAM (seekable));
}

static goffset
seekable_tell (GSeekable *seekable)
{
  /* GSeekable's tell() has no error: -1 when the stream cannot tell. */
  return io_stream_tell (io_gio_adapter_get_link (seekable)->base, NULL);
}

static gboolean
seekable_can_seek (GSeekable *seekable)
{
  return io_stream_seekable (io_gio_adapter_get_link (seekable)->base, NULL);
}

/* GLib's GSeekType and libstream's IoWhence (POSIX, Python) order CUR and
 * SET differently: map by name, never by value. */
static IoWhence
whence_from_seek_type (GSeekType type)
{
  switch (type)
    {
    case G_SEEK_SET:
      return IO_WHENCE_SET;
    case G_SEEK_END:
      return IO_WHENCE_END;
    case G_SEEK_CUR:
    default:
      return IO_WHENCE_CUR;
    }
}

static gboolean
seekable_seek (GSeekable     *seekable,
               goffset        offset,
               GSeekType      type,
               GCancellable  *cancellable,
               GError       **error)
{
  gint64 position;

  if (type != G_SEEK_SET && type != G_SEEK_CUR && type != G_SEEK_END)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Invalid GSeekType %d",
                   (int) type);
      return FALSE;
    }
  if (!seekable_begin (seekable, cancellable, error))
    return FALSE;
  position = io_stream_seek (io_gio_adapter_get_link (seekable)->base, offset,
                             whence_from_seek_type (type), error);
  seekable_end (seekable);
  return position >= 0;
}

static gboolean
seekable_can_truncate (GSeekable *seekable)
{
  IoStream *base = io_gio_adapter_get_link (seekable)->base;

  /* An input stream never changes the size, as in GIO. */
  return !G_IS_INPUT_STREAM (seekable) && io_stream_writable (base, NULL) &&
         io_stream_seekable (base, NULL);
}

static gboolean
seekable_truncate (GSeekable     *seekable,
                   goffset        offset,
                   GCancellable  *cancellable,
                   GError       **error)
{
  gint64 size;

  if (G_IS_INPUT_STREAM (seekable))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           "Truncate not allowed on input stream");
      return FALSE;
    }
  if (!seekable_begin (seekable, cancellable, error))
    return FALSE;
  size = io_stream_truncate (io_gio_adapter_get_link (seekable)->base, offset, error);
  seekable_end (seekable);
  return size >= 0;
}

void
io_gio_seekable_iface_init (GSeekableIface *iface)
{
  iface->tell = seekable_tell;
  iface->can_seek = seekable_can_seek;
  iface->seek = seekable_seek;
  iface->can_truncate = seekable_can_truncate;
  iface->truncate_fn = seekable_truncate;
}

/* Descriptors */

int
io_gio_base_fd (IoStream *base,
                gboolean *can_poll)
{
  struct stat st;
  int fd = io_stream_fileno (base, NULL);

  *can_poll = FALSE;
  if (fd < 0)
    return -1;
  *can_poll = IO_IS_FD_STREAM (base) && fstat (fd, &st) == 0 &&
              (S_ISFIFO (st.st_mode) || S_ISSOCK (st.st_mode) || S_ISCHR (st.st_mode));
  return fd;
}

gboolean
io_gio_fd_poll (int            fd,
                GIOCondition   condition,
                int            timeout_ms,
                GCancellable  *cancellable,
                GError       **error)
{
  struct pollfd fds[2] = { { fd, condition == G_IO_IN ? POLLIN : POLLOUT, 0 } };
  GPollFD cancel_fd;
  nfds_t n_fds = 1;
  int ready;

  if (g_cancellable_make_pollfd (cancellable, &cancel_fd))
    {
      fds[1].fd = cancel_fd.fd;
      fds[1].events = POLLIN;
      n_fds = 2;
    }
  do
    ready = poll (fds, n_fds, timeout_ms);
  while (ready < 0 && errno == EINTR);
  if (n_fds == 2)
    g_cancellable_release_fd (cancellable);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  /* An error or hang-up counts as ready: the read or write that follows
   * reports it. */
  return ready > 0 && fds[0].revents != 0;
}

/* The constructors */

/**
 * io_stream_as_input_stream:
 * @self: a readable #IoStream
 *
 * Returns a `GInputStream` that reads from @self, for any GIO consumer
 * (`GDataInputStream`, `gdk_pixbuf_new_from_stream()`, splicing...).
 *
 * Each `read()` of the adapter is one [method@Io.Stream.read1] of @self,
 * so a memory stream serves it from its window with a single copy into
 * the caller's buffer, as `GMemoryInputStream` does. The adapter
 * implements `GSeekable` (answering `can_seek()` from
 * [method@Io.Stream.seekable]; GIO's `G_SEEK_SET` and `G_SEEK_CUR` are
 * mapped to their [enum@Io.Whence] namesakes); when @self has a file
 * descriptor it also implements `GFileDescriptorBased` and
 * `GPollableInputStream`, whose `can_poll()` is `TRUE` for a raw descriptor
 * stream on a pipe, socket or terminal. A blocking read of such a stream
 * is also ended by its `GCancellable`.
 *
 * Closing the adapter closes @self unless its `close-base` property
 * (default `TRUE`) is set to `FALSE`. Errors are those of @self, in
 * %G_IO_ERROR. The asynchronous methods are GIO's defaults.
 *
 * Returns: (transfer full): a new input stream over @self
 */
GInputStream *
io_stream_as_input_stream (IoStream *self)
{
  g_return_val_if_fail (IO_IS_STREAM (self), NULL);

  return io_g_input_adapter_new (self, TRUE);
}

/**
 * io_stream_as_output_stream:
 * @self: a writable #IoStream
 *
 * Returns a `GOutputStream` that writes to @self.
 *
 * Each `write()` of the adapter is one [method@Io.Stream.write] of @self,
 * `flush()` is [method@Io.Stream.flush]. The interfaces and the close
 * rule are those of [method@Io.Stream.as_input_stream], with
 * `GPollableOutputStream`; `GSeekable.can_truncate()` is `TRUE` when @self
 * is writable and seekable.
 *
 * Returns: (transfer full): a new output stream over @self
 */
GOutputStream *
io_stream_as_output_stream (IoStream *self)
{
  g_return_val_if_fail (IO_IS_STREAM (self), NULL);

  return io_g_output_adapter_new (self, TRUE);
}

/**
 * io_stream_as_io_stream:
 * @self: an #IoStream
 *
 * Returns a `GIOStream` over @self, whose input and output streams are
 * adapters as [method@Io.Stream.as_input_stream] and
 * [method@Io.Stream.as_output_stream] make, sharing the position of @self.
 *
 * The `GIOStream` implements `GSeekable`. Closing one of its streams
 * leaves @self open; closing the `GIOStream` closes @self unless its
 * `close-base` property is `FALSE`.
 *
 * Returns: (transfer full): a new #GIOStream over @self
 */
GIOStream *
io_stream_as_io_stream (IoStream *self)
{
  g_return_val_if_fail (IO_IS_STREAM (self), NULL);

  return g_object_new (IO_TYPE_G_IO_ADAPTER, "base-stream", self, NULL);
}
