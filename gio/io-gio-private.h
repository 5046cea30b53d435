/* io-gio-private.h: what the GIO adapters of a libstream stream share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>
#include <gio/gfiledescriptorbased.h>

#include "io-stream.h"

G_BEGIN_DECLS

/* What every adapter holds: the libstream stream under it, and whether
 * closing the adapter closes that stream (GFilterInputStream's close-base). */
typedef struct
{
  IoStream *base;
  gboolean close_base;
  /* The descriptor of the base, for the descriptor subclasses, and
   * whether poll(2) can wait on it (see io_gio_base_fd()). */
  int fd;
  gboolean can_poll;
  /* Counts the handoffs between threads (see io_gio_link_take()). */
  int handoffs;
} IoGioLink;

/* GIO's default asynchronous methods run the synchronous vfuncs in a GTask
 * thread and hand the adapter, its base and the caller's buffer over under
 * GLib's locks, which ThreadSanitizer cannot see (GLib is not built with
 * it). Under TSan the adapters make the handoffs visible: a thread reads
 * the count before it uses the link and counts one when done (a new
 * adapter, each read, and the read_finish that follows a read in a
 * thread). Elsewhere they cost nothing: the order is GLib's already. */
#ifdef __SANITIZE_THREAD__
# define io_gio_link_take(link)      ((void) g_atomic_int_get (&(link)->handoffs))
# define io_gio_link_hand_over(link) g_atomic_int_inc (&(link)->handoffs)
#else
# define io_gio_link_take(link)      ((void) (link))
# define io_gio_link_hand_over(link) ((void) (link))
#endif

enum {
  IO_GIO_LINK_PROP_0,
  IO_GIO_LINK_PROP_BASE_STREAM,
  IO_GIO_LINK_PROP_CLOSE_BASE,
  IO_GIO_LINK_N_PROPS
};

/* The adapters, one per GIO class, and a subclass of the input and output
 * ones for a stream with a descriptor (GFileDescriptorBased and the
 * pollable interface). */
typedef struct
{
  GInputStream parent_instance;
  IoGioLink link;
} IoGInputAdapter;

typedef struct
{
  GInputStreamClass parent_class;
} IoGInputAdapterClass;

typedef struct
{
  GOutputStream parent_instance;
  IoGioLink link;
} IoGOutputAdapter;

typedef struct
{
  GOutputStreamClass parent_class;
} IoGOutputAdapterClass;

typedef struct
{
  GIOStream parent_instance;
  IoGioLink link;
  GInputStream *input;
  GOutputStream *output;
} IoGIOAdapter;

typedef struct
{
  GIOStreamClass parent_class;
} IoGIOAdapterClass;

GType io_g_input_adapter_get_type     (void) G_GNUC_CONST;
GType io_g_fd_input_adapter_get_type  (void) G_GNUC_CONST;
GType io_g_output_adapter_get_type    (void) G_GNUC_CONST;
GType io_g_fd_output_adapter_get_type (void) G_GNUC_CONST;
GType io_g_io_adapter_get_type        (void) G_GNUC_CONST;

#define IO_TYPE_G_INPUT_ADAPTER     (io_g_input_adapter_get_type ())
#define IO_TYPE_G_FD_INPUT_ADAPTER  (io_g_fd_input_adapter_get_type ())
#define IO_TYPE_G_OUTPUT_ADAPTER    (io_g_output_adapter_get_type ())
#define IO_TYPE_G_FD_OUTPUT_ADAPTER (io_g_fd_output_adapter_get_type ())
#define IO_TYPE_G_IO_ADAPTER        (io_g_io_adapter_get_type ())

/* A new adapter over @base: of @fd_type when @base has a descriptor,
 * else of @type. */
gpointer   io_gio_adapter_new          (GType     type,
                                        GType     fd_type,
                                        IoStream *base,
                                        gboolean  close_base);
/* The link of any adapter. */
IoGioLink *io_gio_adapter_get_link     (gpointer  adapter);

#define io_g_input_adapter_new(base, close_base) \
  ((GInputStream *) io_gio_adapter_new (IO_TYPE_G_INPUT_ADAPTER, IO_TYPE_G_FD_INPUT_ADAPTER, \
                                        (base), (close_base)))
#define io_g_output_adapter_new(base, close_base) \
  ((GOutputStream *) io_gio_adapter_new (IO_TYPE_G_OUTPUT_ADAPTER, IO_TYPE_G_FD_OUTPUT_ADAPTER, \
                                         (base), (close_base)))

/* The properties every adapter has, base-stream and close-base, with
 * their get_property and set_property. */
void io_gio_adapter_class_init      (GObjectClass *klass);
void io_gio_link_clear              (IoGioLink    *link);
/* Closes the base if the link says so. */
gboolean io_gio_link_close          (IoGioLink    *link,
                                     GError      **error);

/* GSeekable over the base, the same for every adapter; and
 * GFileDescriptorBased for the descriptor subclasses. */
void io_gio_seekable_iface_init     (GSeekableIface *iface);
void io_gio_descriptor_iface_init   (GFileDescriptorBasedIface *iface);

/* The descriptor of @base, -1 if it has none; @can_poll is set when it is
 * a raw descriptor stream on a pipe, socket or terminal, which poll(2)
 * tells the truth about (a layer may hold bytes the descriptor no longer
 * shows). */
int      io_gio_base_fd             (IoStream     *base,
                                     gboolean     *can_poll);
/* Whether @fd is ready for @condition now (@timeout_ms 0), or waits for it
 * or for @cancellable (-1), then fails with G_IO_ERROR_CANCELLED if it was
 * cancelled. */
gboolean io_gio_fd_poll             (int           fd,
                                     GIOCondition  condition,
                                     int           timeout_ms,
                                     GCancellable *cancellable,
                                     GError      **error);

G_END_DECLS
