/* io-filter-stream.h: the base of a stream that sits on another stream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(IO_INSIDE) && !defined(IO_COMPILATION)
# error "Only <libstream.h> can be included directly."
#endif

#include "io-stream.h"

G_BEGIN_DECLS

#define IO_TYPE_FILTER_STREAM (io_filter_stream_get_type ())

IO_AVAILABLE_IN_ALL
G_DECLARE_DERIVABLE_TYPE (IoFilterStream, io_filter_stream, IO, FILTER_STREAM, IoStream)

/**
 * IoFilterStreamClass:
 * @parent_class: the parent class, whose vfuncs the filter fills with
 *   ones that pass through to the base stream
 *
 * The class of a stream over another stream. A subclass overrides the
 * [`IoStreamClass`](class.Stream.html#class-struct) vfuncs it transforms and inherits the rest.
 */
struct _IoFilterStreamClass
{
  IoStreamClass parent_class;

  /*< private >*/
  gpointer _reserved[8];
};

IO_AVAILABLE_IN_ALL
IoStream *io_filter_stream_get_base_stream (IoFilterStream  *self);
IO_AVAILABLE_IN_ALL
gboolean  io_filter_stream_get_close_base  (IoFilterStream  *self);
IO_AVAILABLE_IN_ALL
void      io_filter_stream_set_close_base  (IoFilterStream  *self,
                                            gboolean         close_base);
IO_AVAILABLE_IN_ALL
IoStream *io_filter_stream_detach          (IoFilterStream  *self,
                                            GError         **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
