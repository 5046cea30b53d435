/* io-buffered-private.h: the buffer the four buffered layers share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "io-filter-stream.h"
#include "io-stream-private.h"

G_BEGIN_DECLS

/* What the buffer holds:
 *
 * - EMPTY: nothing; the raw position is the stream position.
 * - READ: bytes read ahead from the raw, [0, read_end), the stream
 *   position at read_pos; the raw position is at read_end.
 * - WRITE: bytes written and not yet given to the raw, [0, write_len); the
 *   raw position is at 0.
 *
 * A BufferedRWPair has two buffers: the read one (EMPTY or READ) over its
 * reader, and a write one over its writer, with its own write_len. */
typedef enum
{
  IO_BUFFERED_EMPTY,
  IO_BUFFERED_READ,
  IO_BUFFERED_WRITE,
} IoBufferedMode;

/* Which of CPython's four classes a layer is. */
typedef enum
{
  IO_BUFFERED_KIND_READER,
  IO_BUFFERED_KIND_WRITER,
  IO_BUFFERED_KIND_RANDOM,
  IO_BUFFERED_KIND_RW_PAIR,
} IoBufferedKind;

typedef struct
{
  guint8 *data;
  /* The write buffer: data itself but in a pair. */
  guint8 *write_data;
  gsize size;
  gsize read_pos;
  gsize read_end;
  gsize write_len;
  /* The raw writes go to: the base stream but in a pair. */
  IoStream *writer;
  /* The raw position as the layer last saw it, or -1 when unknown: what a
   * seek inside the buffer counts from, as CPython's abs_pos. */
  gint64 raw_pos;
  IoBufferedMode mode;
  IoBufferedKind kind;
} IoBuffered;

/* The instance of every buffered layer: its buffer right after the filter,
 * so one set of vfuncs serves the four final types. */
typedef struct
{
  IoFilterStream parent_instance;
  IoBuffered buffered;
} IoBufferedInstance;

#define IO_BUFFERED(self) (&((IoBufferedInstance *) (gpointer) (self))->buffered)

enum {
  IO_BUFFERED_PROP_0,
  IO_BUFFERED_PROP_RAW,
  IO_BUFFERED_PROP_BUFFER_SIZE,
  IO_BUFFERED_PROP_WRITER,
  IO_BUFFERED_N_PROPS
};

/* Fills @klass with the vfuncs of layer @kind and installs its properties:
 * `raw` (or, for a pair, `reader` and `writer`) and `buffer-size`. */
void      io_buffered_class_setup        (GObjectClass   *klass,
                                          IoBufferedKind  kind);
/* The instance init of every layer. */
void      io_buffered_init               (IoStream       *self,
                                          IoBufferedKind  kind);
/* GInitable.init: refuses a raw that cannot do what layer needs. */
void      io_buffered_initable_iface_init (GInitableIface *iface);

/* The public constructors: a new layer of @type over @raw (and @writer
 * for a pair), or NULL with @error set. */
IoStream *io_buffered_new                (GType           type,
                                          IoStream       *raw,
                                          IoStream       *writer,
                                          gsize           buffer_size,
                                          GError        **error);

/* The getters behind the public accessors, holding the stream. */
IoStream *io_buffered_get_raw            (IoStream       *self);
IoStream *io_buffered_get_writer         (IoStream       *self);
gsize     io_buffered_get_buffer_size    (IoStream       *self);

G_END_DECLS
