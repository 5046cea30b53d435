/* io-buffer-private.h: growable byte buffers that fail instead of aborting
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A growable byte buffer. Allocation failures become G_IO_ERROR_NO_SPACE
 * instead of g_malloc()'s abort, because callers control the sizes. */
typedef struct {
  guint8 *data;
  gsize   len;
  gsize   capacity;
} IoBuffer;

#define IO_BUFFER_INIT { NULL, 0, 0 }

/* The most a buffer may hold: 2^47 bytes (128 TiB), the user address space
 * of x86-64 and of 48-bit aarch64. A larger size could never be allocated,
 * so it fails at once, without asking the allocator for it (which under
 * AddressSanitizer would abort instead of returning NULL). */
#if GLIB_SIZEOF_SIZE_T > 4
# define IO_BUFFER_MAX ((gsize) 1 << 47)
#else
# define IO_BUFFER_MAX ((gsize) G_MAXSSIZE)
#endif

/* Makes the allocation of @data @new_capacity bytes (from @capacity),
 * keeping its content; NULL, with @data untouched, when it cannot. */
typedef guint8 *(*IoResizeFunc) (guint8   *data,
                                 gsize     capacity,
                                 gsize     new_capacity,
                                 gpointer  user_data);

gboolean  io_grow_capacity_with (guint8       **data,
                                 gsize         *capacity,
                                 gsize          needed,
                                 IoResizeFunc   resize,
                                 gpointer       user_data,
                                 GError       **error);

gboolean  io_grow_capacity  (guint8   **data,
                             gsize     *capacity,
                             gsize      needed,
                             GError   **error);
gboolean  io_buffer_append  (IoBuffer  *buffer,
                             const guint8 *data,
                             gsize      count,
                             GError   **error);
guint8   *io_buffer_steal   (IoBuffer  *buffer,
                             gsize     *out_len);
void      io_buffer_clear   (IoBuffer  *buffer);

#ifdef IO_BUFFER_TESTING
/* Only in the internal static library the tests and the fuzzers link
 * (libstream/meson.build compiles io-buffer.c a second time for it):
 * libstream-1 has neither the function nor the check. From the call on,
 * io_grow_capacity() behaves as if every allocation larger than @limit
 * bytes failed; 0 lifts the limit. */
void      io_buffer_set_limit_for_testing (gsize limit);
#endif

G_END_DECLS
