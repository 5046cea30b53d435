/* io-funcs-stream.h: a stream backed by a plain table of C callbacks
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(IO_INSIDE) && !defined(IO_COMPILATION)
# error "Only <libstream.h> can be included directly."
#endif

#include "io-stream.h"

G_BEGIN_DECLS

/**
 * IoStreamFuncs:
 * @struct_size: `sizeof (IoStreamFuncs)` as the caller compiled it, so the
 *   table can grow in later versions
 * @read: read at most @count bytes into @buffer; 0 means end of stream
 * @write: write at most @count bytes and return how many were written
 * @seek: move to @offset from @whence and return the new position
 * @truncate: resize to @size bytes and return @size
 * @flush: write out buffered data
 * @close: release the backend; called once
 *
 * The operations of a backend written without GObject, in the spirit of
 * `fopencookie()` and `SDL_OpenIO()`. Every callback gets the `user_data`
 * given to [ctor@Io.Stream.new_from_funcs] and is called only with
 * arguments the stream has validated. A `NULL` callback makes the stream
 * unable to do that operation: no @read means not readable, no @seek not
 * seekable.
 */
typedef struct {
  gsize    struct_size;
  gssize   (*read)     (gpointer       user_data,
                        guint8        *buffer,
                        gsize          count,
                        GError       **error);
  gssize   (*write)    (gpointer       user_data,
                        const guint8  *buffer,
                        gsize          count,
                        GError       **error);
  gint64   (*seek)     (gpointer       user_data,
                        gint64         offset,
                        IoWhence       whence,
                        GError       **error);
  gint64   (*truncate) (gpointer       user_data,
                        gint64         size,
                        GError       **error);
  gboolean (*flush)    (gpointer       user_data,
                        GError       **error);
  gboolean (*close)    (gpointer       user_data,
                        GError       **error);
} IoStreamFuncs;

IO_AVAILABLE_IN_ALL
IoStream *io_stream_new_from_funcs (const IoStreamFuncs *funcs,
                                    gpointer             user_data,
                                    GDestroyNotify       destroy) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
