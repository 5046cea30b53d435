/* io-buffer.c: growable byte buffers that fail instead of aborting
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "io-buffer-private.h"

#define IO_MIN_CAPACITY 64

#ifdef IO_BUFFER_TESTING
static gsize io_buffer_limit = G_MAXSIZE;

void
io_buffer_set_limit_for_testing (gsize limit)
{
  io_buffer_limit = limit > 0 ? limit : G_MAXSIZE;
}

/* Allocations above the limit fail, as on a machine short of memory: both
 * of io_grow_capacity_with()'s attempts go through here. */
static inline gboolean
io_buffer_may_allocate (gsize size)
{
  return size <= io_buffer_limit;
}
#else
# define io_buffer_may_allocate(size) TRUE
#endif

static guint8 *
realloc_resize (guint8   *data,
                gsize     capacity,
                gsize     new_capacity,
                gpointer  user_data)
{
  return g_try_realloc (data, new_capacity);
}

/*
 * io_grow_capacity_with:
 * @data: (inout): the allocation to grow
 * @capacity: (inout): its size in bytes
 * @needed: the size it must have at least
 * @resize: makes the new allocation of at least the size it is given,
 *   keeping the content, or returns %NULL and leaves @data alone
 * @user_data: for @resize
 *
 * Grows @data geometrically (doubling, up to %IO_BUFFER_MAX) so that
 * appending is amortised O(1); when the doubled size cannot be had, tries
 * the size needed. The new capacity is not zero-filled. A size that cannot
 * be allocated fails with %G_IO_ERROR_NO_SPACE and leaves @data untouched.
 */
gboolean
io_grow_capacity_with (guint8       **data,
                       gsize         *capacity,
                       gsize          needed,
                       IoResizeFunc   resize,
                       gpointer       user_data,
                       GError       **error)
{
  gsize new_capacity;
  guint8 *grown = NULL;

  if (needed <= *capacity)
    return TRUE;

  if (needed > IO_BUFFER_MAX)
    goto no_space;

  new_capacity = MAX (*capacity, IO_MIN_CAPACITY);
  while (new_capacity < needed)
    new_capacity = MIN (new_capacity * 2, IO_BUFFER_MAX);

  if (io_buffer_may_allocate (new_capacity))
    grown = resize (*data, *capacity, new_capacity, user_data);
  if (grown == NULL && new_capacity > needed)
    {
      new_capacity = needed;
      if (io_buffer_may_allocate (new_capacity))
        grown = resize (*data, *capacity, new_capacity, user_data);
    }
  if (grown == NULL)
    goto no_space;

  *data = grown;
  *capacity = new_capacity;
  return TRUE;

no_space:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
               "Cannot allocate a buffer of %" G_GSIZE_FORMAT " bytes", needed);
  return FALSE;
}

/*
 * io_grow_capacity:
 *
 * io_grow_capacity_with() for a block of g_malloc()'s.
 */
gboolean
io_grow_capacity (guint8 **data,
                  gsize   *capacity,
                  gsize    needed,
                  GError **error)
{
  return io_grow_capacity_with (data, capacity, needed, realloc_resize, NULL, error);
}

gboolean
io_buffer_append (IoBuffer     *buffer,
                  const guint8 *data,
                  gsize         count,
                  GError      **error)
{
  if (count > G_MAXSIZE - buffer->len)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                           "Buffer size overflow");
      return FALSE;
    }
  if (!io_grow_capacity (&buffer->data, &buffer->capacity, buffer->len + count, error))
    return FALSE;
  if (count > 0)
    memcpy (buffer->data + buffer->len, data, count);
  buffer->len += count;
  return TRUE;
}

/* Returns the contents (never NULL, even when empty) and resets @buffer. */
guint8 *
io_buffer_steal (IoBuffer *buffer,
                 gsize    *out_len)
{
  guint8 *data = buffer->data != NULL ? buffer->data : g_malloc (1);

  *out_len = buffer->len;
  buffer->data = NULL;
  buffer->len = buffer->capacity = 0;
  return data;
}

void
io_buffer_clear (IoBuffer *buffer)
{
  g_clear_pointer (&buffer->data, g_free);
  buffer->len = buffer->capacity = 0;
}
