/* io-text-stream-private.h: the state Io.TextStream's files share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "io-stream-private.h"
#include "io-text-stream.h"
#include "io-text-cookie-private.h"
#include "io-text-newline-private.h"

G_BEGIN_DECLS

#define CHUNK_SIZE 8192

struct _IoTextStream
{
  GObject parent_instance;

  IoStream *buffer;
  char *encoding;
  char *errors_name;
  char *newline;
  gboolean line_buffering;
  gboolean write_through;

  gboolean readuniversal;
  gboolean readtranslate;
  /* What a window chunk may not hold: '\r' in universal mode; '\n'
   * (nothing more) with newline "\n"; 0: no window chunks. */
  char window_stop;
  const char *writenl;          /* NULL: '\n' is written as is */
  gboolean seekable;
  gboolean telling;

  IoTextNewlineDecoder decoder; /* .decoder NULL when not readable */
  IoTextEncoder *encoder;       /* NULL when not writable */

  GString *decoded;             /* the last chunk's text */
  gsize used;                   /* bytes of it already returned */
  gboolean has_decoded;         /* CPython's decoded_chars is not None */
  gboolean decoded_ascii;       /* @decoded is known to be all ASCII */
  gboolean has_snapshot;
  guint64 snapshot_flags;
  GByteArray *snapshot_input;
  GByteArray *spare_input;      /* the next snapshot's storage */
  double ratio;                 /* bytes per character of the last chunk */
  gsize ratio_bytes;            /* not yet in @ratio: the last chunk's size */
  gint64 offset;                /* the buffer's position, for errors */
  gsize window_left;            /* the window chunk's bytes not yet taken */
  guint8 *chunk;
  gsize chunk_capacity;
};

/* IO_IS_TEXT_STREAM() without a call: the type is final, and set when its
 * class is made, before there is an instance. */
extern GType io_text_stream_type;

static inline gboolean
io_text_stream_is_text_stream (gconstpointer self)
{
  const GTypeInstance *instance = self;

  return instance != NULL && instance->g_class != NULL &&
         instance->g_class->g_type == __atomic_load_n (&io_text_stream_type, __ATOMIC_RELAXED);
}

/* What io_text_stream_check_readable() checks, inline and without its
 * errors, for the line loop: attached, readable, the buffer open
 * (io_stream_is_closed() without its call and type check). */
static inline gboolean
io_text_stream_can_read (IoTextStream *self)
{
  return self->buffer != NULL && self->decoder.decoder != NULL &&
         !g_atomic_int_get (&IO_STREAM_PRIV (self->buffer)->closed);
}

/* The checks of every method, with CPython's messages. */
gboolean  io_text_stream_check_open     (IoTextStream  *self,
                                         GError       **error);
gboolean  io_text_stream_check_readable (IoTextStream  *self,
                                         GError       **error);
/* _read_chunk(): decodes the next chunk into @decoded, of at most
 * @max_size bytes when not 0; 1, 0 at the end of the buffer, -1 on
 * error. */
int       io_text_stream_read_chunk     (IoTextStream  *self,
                                         gsize          size_hint,
                                         gsize          max_size,
                                         GError       **error);
/* What io_text_stream_begin_window_chunk() did. */
typedef enum {
  IO_TEXT_WINDOW_CHUNK_NONE,    /* nothing: the next chunk is an ordinary one */
  IO_TEXT_WINDOW_CHUNK_STARTED,
  IO_TEXT_WINDOW_CHUNK_END,     /* the buffer is at its end */
  IO_TEXT_WINDOW_CHUNK_ERROR,
} IoTextWindowChunk;

/* Whether the @n bytes at @p are all ASCII other than @stop (0: none):
 * whether a chunk may be a window chunk. The SSE2 loop, and the AVX2 one
 * chosen where the CPU has it; the tests hold them to each other. */
#if defined(__x86_64__) && defined(__GNUC__)
#define IO_TEXT_HAVE_AVX2 1
#endif
gboolean  io_text_is_plain_sse2         (const guint8  *p,
                                         gsize          n,
                                         char           stop);
#ifdef IO_TEXT_HAVE_AVX2
gboolean  io_text_is_plain_avx2         (const guint8  *p,
                                         gsize          n,
                                         char           stop);
#endif

/* Starts a window chunk when it can (see io-text-stream-read.c). */
IoTextWindowChunk io_text_stream_begin_window_chunk (IoTextStream  *self,
                                                     GError       **error);
/* Reads the rest of the window chunk as an ordinary chunk. */
gboolean  io_text_stream_settle_window  (IoTextStream  *self,
                                         GError       **error);
/* Forgets the decoded chunk and its snapshot. */
void      io_text_stream_clear_decoded  (IoTextStream  *self);
/* CPython's b2cratio: bytes per character of the last chunk read. */
double    io_text_stream_get_ratio      (IoTextStream  *self);
/* The byte length of the first @n_chars characters of @text (all of it
 * when shorter). */
gsize     io_text_chars_to_bytes        (const char    *text,
                                         gsize          len,
                                         gsize          n_chars);

G_END_DECLS
