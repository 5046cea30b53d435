/* io-fd-stream.h: the base class of the streams over a file descriptor
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(IO_INSIDE) && !defined(IO_COMPILATION)
# error "Only <libstream.h> can be included directly."
#endif

#include "io-stream.h"

G_BEGIN_DECLS

#define IO_TYPE_FD_STREAM (io_fd_stream_get_type ())

IO_AVAILABLE_IN_ALL
G_DECLARE_DERIVABLE_TYPE (IoFdStream, io_fd_stream, IO, FD_STREAM, IoStream)

/**
 * IoFdStreamClass:
 * @parent_class: the parent class
 *
 * The class of the streams over a file descriptor. It adds no virtual
 * function to [`IoStreamClass`](class.Stream.html#class-struct): the descriptor streams differ in how
 * they get their descriptor, which stays inside the library.
 */
struct _IoFdStreamClass
{
  IoStreamClass parent_class;

  /*< private >*/
  gpointer _reserved[8];
};

IO_AVAILABLE_IN_ALL
int         io_fd_stream_get_fd       (IoFdStream  *self);
IO_AVAILABLE_IN_ALL
const char *io_fd_stream_get_mode     (IoFdStream  *self);
IO_AVAILABLE_IN_ALL
gboolean    io_fd_stream_get_closefd  (IoFdStream  *self);

G_END_DECLS
