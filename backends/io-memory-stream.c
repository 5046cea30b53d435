/* io-memory-stream.c: an in-memory stream, Python's io.BytesIO in C
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#ifndef _GNU_SOURCE
# define _GNU_SOURCE  /* mremap() */
#endif

#include <string.h>
#ifdef __linux__
# include <sys/mman.h>
#endif

#include "io-buffer-private.h"
#include "io-memory-stream.h"
#include "io-stream-async-private.h"
#include "io-stream-private.h"
#include "io-stream-window.h"

/**
 * IoMemoryStream:
 *
 * A growable in-memory stream with the semantics of CPython 3.11's
 * `io.BytesIO`, traps included.
 *
 * - One position serves reads and writes: after writing `hello`, a read
 *   returns nothing until [method@Io.Stream.seek] moves back.
 * - Seeking past the end is allowed; a read there returns nothing and a
 *   write there fills the gap with zeros. A relative seek before the start
 *   stops at 0.
 * - [method@Io.Stream.truncate] shrinks but never extends, keeps the
 *   position, and returns the size it was given.
 * - [method@Io.MemoryStream.get_value] returns the whole content whatever
 *   the position, without copying: a stream made from a `GBytes` shares it,
 *   and two calls with no write between them return the same bytes. The
 *   first write after that copies (copy-on-write).
 * - [method@Io.MemoryStream.acquire_buffer] exports the live buffer
 *   (Python's `getbuffer()`). While any export is held, writes (even in
 *   place), truncation and closing fail with %G_IO_ERROR_BUSY; reads, seeks
 *   and `get_value()` still work.
 * - Growth doubles the capacity, so appending is amortised O(1), and leaves
 *   the spare capacity uninitialised. From 2 MiB up the storage is an
 *   anonymous mapping (on Linux) that asks for transparent huge pages and
 *   grows with `mremap()`. A size that cannot be allocated fails
 *   with %G_IO_ERROR_NO_SPACE; so does one above 128 TiB (2^47 bytes, the
 *   address space of a 64-bit process), without an allocation attempt.
 *
 * ```c
 * g_autoptr(IoStream) stream = io_memory_stream_new (NULL, 0);
 * io_stream_write (stream, (const guint8 *) "hello", 5, &error);
 * io_stream_seek (stream, 0, IO_WHENCE_SET, &error);
 * g_autoptr(GBytes) word = io_stream_read_bytes (stream, -1, &error);
 * ```
 */

/**
 * IoMemoryStreamClass:
 * @parent_class: the parent class
 *
 * The class of [class@Io.MemoryStream], a final type: it cannot be subclassed.
 */

struct _IoMemoryStream
{
  IoStream parent_instance;

  /* The content is `size` bytes at `view`: either `data`, which this stream
   * owns and may write, or the read-only contents of `shared`. */
  const guint8 *view;
  gsize size;
  gint64 position;

  guint8 *data;
  gsize capacity;

  GBytes *shared;
  /* `data` as it was lent to `shared` by get_value(), so the allocation
   * and its capacity come back without a copy if nobody kept the bytes.
   * A mapped allocation is lent through `lent_map` instead. */
  const guint8 *lent;
  gsize lent_capacity;
  struct _LentMap *lent_map;

  guint exports;
};

G_DEFINE_FINAL_TYPE (IoMemoryStream, io_memory_stream, IO_TYPE_STREAM)

enum {
  PROP_0,
  PROP_INITIAL_BYTES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];


/* Storage
 *
 * Below IO_MAP_THRESHOLD the storage is a g_malloc() block grown with
 * g_realloc(), like any buffer. From it up, it is an anonymous mapping,
 * 2 MiB-aligned and advised MADV_HUGEPAGE, grown with mremap(): a cold
 * fill then takes one page fault per 2 MiB huge page instead of one per
 * 4 KiB page, which a plain realloc() never gets (glibc's mmap()ed chunks
 * are neither aligned nor advised). Which one a block is follows from its
 * capacity alone: capacity >= IO_MAP_THRESHOLD means mapped. */
#define IO_MAP_THRESHOLD ((gsize) 2 << 20)
#define IO_MAP_ALIGN ((gsize) 2 << 20)

#if defined(__linux__) && defined(MREMAP_MAYMOVE) && defined(MREMAP_FIXED)
# define IO_USE_MAP 1
#else
# define IO_USE_MAP 0
#endif

static inline gboolean
storage_is_mapped (gsize capacity)
{
  return IO_USE_MAP && capacity >= IO_MAP_THRESHOLD;
}

#if IO_USE_MAP
static gsize
map_length (gsize capacity)
{
  gsize page = IO_MAP_ALIGN;

  return (capacity + page - 1) & ~(page - 1);
}

/* A fresh anonymous mapping of @length (a multiple of IO_MAP_ALIGN) bytes
 * at an IO_MAP_ALIGN boundary, or NULL. */
static guint8 *
map_aligned (gsize length)
{
  guint8 *raw;
  guint8 *start;
  gsize head;

  if (length > G_MAXSIZE - IO_MAP_ALIGN)
    return NULL;
  raw = mmap (NULL, length + IO_MAP_ALIGN, PROT_READ | PROT_WRITE,
              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED)
    return NULL;
  start = (guint8 *) (((guintptr) raw + IO_MAP_ALIGN - 1) &
                      ~(guintptr) (IO_MAP_ALIGN - 1));
  head = (gsize) (start - raw);
  if (head > 0)
    munmap (raw, head);
  munmap (start + length, IO_MAP_ALIGN - head);
#ifdef MADV_HUGEPAGE
  (void) madvise (start, length, MADV_HUGEPAGE);  /* only a hint */
#endif
  return start;
}
#endif

/* Resizes @data from @capacity to @new_capacity bytes (not less), keeping
 * its first @used bytes; NULL, with @data untouched, on failure. */
static guint8 *
storage_resize (guint8 *data,
                gsize   capacity,
                gsize   used,
                gsize   new_capacity)
{
#if IO_USE_MAP
  if (storage_is_mapped (new_capacity))
    {
      gsize length = map_length (new_capacity);
      guint8 *grown;

      if (!storage_is_mapped (capacity))
        {
          grown = map_aligned (length);
          if (grown != NULL && used > 0)
            memcpy (grown, data, used);
          if (grown != NULL)
            g_free (data);
          return grown;
        }

      /* In place if the addresses above are free, otherwise the pages
       * move (no copy) to the start of a fresh aligned mapping. */
      if (map_length (capacity) == length ||
          mremap (data, map_length (capacity), length, 0) != MAP_FAILED)
        return data;
      grown = map_aligned (length);
      if (grown == NULL)
        return NULL;
      if (mremap (data, map_length (capacity), map_length (capacity),
                  MREMAP_MAYMOVE | MREMAP_FIXED, grown) == MAP_FAILED)
        {
          munmap (grown, length);
          return NULL;
        }
      return grown;
    }
#endif
  return g_try_realloc (data, new_capacity);
}

static void
storage_free (guint8 *data,
              gsize   capacity)
{
#if IO_USE_MAP
  if (storage_is_mapped (capacity))
    {
      munmap (data, map_length (capacity));
      return;
    }
#endif
  g_free (data);
}

/* storage_resize() as io_grow_capacity_with() calls it: @user_data points
 * to how many bytes of the storage are used. */
static guint8 *
storage_resize_used (guint8   *data,
                     gsize     capacity,
                     gsize     new_capacity,
                     gpointer  user_data)
{
  return storage_resize (data, capacity, *(const gsize *) user_data, new_capacity);
}

/* io_grow_capacity() for the storage: doubling, up to IO_BUFFER_MAX, and
 * %G_IO_ERROR_NO_SPACE with @data untouched when it cannot be had. */
static gboolean
storage_grow (guint8 **data,
              gsize   *capacity,
              gsize    used,
              gsize    needed,
              GError **error)
{
  return io_grow_capacity_with (data, capacity, needed, storage_resize_used, &used, error);
}

/* Lending mapped storage to a GBytes
 *
 * g_bytes_unref_to_data() steals only a block freed with g_free(); for
 * any other free function it copies. So the free function of a lent
 * mapping cooperates with unshare_storage() instead: while the stream is
 * RECLAIMING, the last unref does not unmap but leaves the mapping to the
 * stream, which learns so from the state whichever thread dropped that
 * reference. */
enum { LENT, RECLAIMING, RECLAIMED };

typedef struct _LentMap
{
  guint8 *data;
  gsize capacity;
  gint state;  /* atomic */
} LentMap;

static void
lent_map_free (gpointer user_data)
{
  LentMap *map = user_data;

  if (g_atomic_int_compare_and_exchange (&map->state, RECLAIMING, RECLAIMED))
    return;
  storage_free (map->data, map->capacity);
  g_free (map);
}

static gboolean
check_not_exported (IoMemoryStream  *self,
                    GError         **error)
{
  if G_UNLIKELY (self->exports > 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                           "Existing exports of data: object cannot be re-sized");
      return FALSE;
    }
  return TRUE;
}

/* IoStream serves small reads and writes inline from a window over the
 * content (see io-stream-window.h), so while the window is out the
 * position and the size live in it. Every vfunc and method claims the
 * window first, which takes them back, and the claim lends the window
 * again when it goes out of scope:
 *
 *   g_auto (WindowClaim) claim = claim_window (self);
 *
 * The window is writable only where a write needs nothing but a copy: the
 * storage is ours (no copy-on-write pending), no export locks it, and the
 * position is not past the end (no gap to zero-fill). */
static void
lend_window (IoMemoryStream *self)
{
  guint8 *pos;

  if (self->view == NULL || (guint64) self->position > self->size)
    {
      io_stream_lend_window ((IoStream *) self, NULL, NULL, NULL);
      return;
    }
  pos = (guint8 *) self->view + self->position;
  io_stream_lend_window ((IoStream *) self, pos, (guint8 *) self->view + self->size,
                         self->shared == NULL && self->exports == 0
                           ? self->data + self->capacity : NULL);
}

typedef IoMemoryStream *WindowClaim;

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (WindowClaim, lend_window, NULL)

static inline WindowClaim
claim_window (IoMemoryStream *self)
{
  const IoStreamWindow *window = io_stream_get_window ((IoStream *) self);

  if (window->pos != NULL)
    {
      self->position = (gint64) (window->pos - self->view);
      self->size = (gsize) (window->read_end - self->view);
    }
  return self;
}

/* unshare_storage() for mapped storage lent as @shared (our reference,
 * dropped on success): the mapping comes back if @shared was the last
 * reference, and is copied otherwise. The copy's storage is had first, so that failing
 * leaves @shared as it was; it is only address space until written. */
static gboolean
reclaim_map (IoMemoryStream  *self,
             GBytes          *shared,
             GError         **error)
{
  LentMap *map = self->lent_map;
  gsize size = g_bytes_get_size (shared);
  guint8 *copy = storage_resize (NULL, 0, 0, size);

  if (copy == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                   "Cannot allocate a buffer of %" G_GSIZE_FORMAT " bytes", size);
      return FALSE;
    }

  g_atomic_int_set (&map->state, RECLAIMING);
  g_bytes_unref (shared);
  /* While RECLAIMING the mapping stays alive whoever unrefs last. */
  if (g_atomic_int_get (&map->state) != RECLAIMED)
    {
      memcpy (copy, map->data, size);
      if (g_atomic_int_compare_and_exchange (&map->state, RECLAIMING, LENT))
        {
          self->data = copy;
          self->capacity = size;
          return TRUE;
        }
      /* The other holder let go meanwhile: the mapping is ours after all. */
    }
  storage_free (copy, size);
  self->data = map->data;
  self->capacity = map->capacity;
  g_free (map);
  return TRUE;
}

/* Takes the content back from `shared` so it can be written; copies only
 * when someone else still holds the bytes. */
static gboolean
unshare_storage (IoMemoryStream  *self,
                 GError         **error)
{
  GBytes *shared = g_steal_pointer (&self->shared);
  gsize size;

  if (g_bytes_get_size (shared) == 0)
    {
      g_bytes_unref (shared);
      self->capacity = 0;
    }
  else if (self->lent_map != NULL && g_bytes_get_data (shared, NULL) == self->lent_map->data)
    {
      if (!reclaim_map (self, shared, error))
        {
          self->shared = shared;
          return FALSE;
        }
    }
  else if (self->lent != NULL && g_bytes_get_data (shared, NULL) == self->lent)
    {
      /* Steals when we hold the only reference, copies otherwise. */
      self->data = g_bytes_unref_to_data (shared, &size);
      self->capacity = self->data == self->lent ? self->lent_capacity : size;
    }
  else
    {
      const guint8 *src = g_bytes_get_data (shared, &size);

      self->data = storage_resize (NULL, 0, 0, size);
      if (self->data == NULL)
        {
          self->shared = shared;
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                       "Cannot allocate a buffer of %" G_GSIZE_FORMAT " bytes", size);
          return FALSE;
        }
      memcpy (self->data, src, size);
      self->capacity = size;
      g_bytes_unref (shared);
    }

  self->lent = NULL;
  self->lent_map = NULL;
  self->view = self->data;
  return TRUE;
}

static gssize
memory_read (IoStream  *stream,
             guint8    *buffer,
             gsize      count,
             GError   **error)
{
  IoMemoryStream *self = (IoMemoryStream *) stream;
  g_auto (WindowClaim) claim = claim_window (self);
  gsize n;

  if G_UNLIKELY ((guint64) self->position >= self->size)
    return 0;

  n = MIN (count, self->size - (gsize) self->position);
  /* @buffer may be our own storage, exported: the ranges may overlap. */
  memmove (buffer, self->view + self->position, n);
  self->position += n;
  return (gssize) n;
}

/* Makes the storage ours and at least @end bytes long. *@source, the bytes
 * about to be written, may lie in the content itself (an exported buffer
 * since released, get_value() bytes the caller let go of), which unsharing
 * and growing may free: as g_string_insert_len() does, its offset is kept
 * and *@source moved to the same bytes in the new storage. */
static gboolean
reserve (IoMemoryStream  *self,
         gsize            end,
         const guint8   **source,
         GError         **error)
{
  const guint8 *base = self->shared != NULL ? self->view : self->data;
  gsize extent = self->shared != NULL ? self->size : self->capacity;
  guintptr offset = (guintptr) *source - (guintptr) base;
  gboolean inside = base != NULL && offset < extent;

  if (self->shared != NULL && !unshare_storage (self, error))
    return FALSE;
  if (end > self->capacity)
    {
      if (!storage_grow (&self->data, &self->capacity, self->size, end, error))
        return FALSE;
      self->view = self->data;
    }
  if (inside)
    *source = self->data + offset;
  return TRUE;
}

static gssize
memory_write (IoStream      *stream,
              const guint8  *buffer,
              gsize          count,
              GError       **error)
{
  IoMemoryStream *self = (IoMemoryStream *) stream;
  g_auto (WindowClaim) claim = claim_window (self);
  gsize position;
  gsize end;

  if G_UNLIKELY (!check_not_exported (self, error))
    return -1;
  if G_UNLIKELY (count == 0)
    return 0;
  if G_UNLIKELY ((guint64) self->position > G_MAXSSIZE - count)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                           "new buffer size too large");
      return -1;
    }

  position = (gsize) self->position;
  end = position + count;

  if G_UNLIKELY ((self->shared != NULL || end > self->capacity) &&
                 !reserve (self, end, &buffer, error))
    return -1;
  /* The source may overlap the destination; and it is copied before the
   * gap is zero-filled, in case it lies there. */
  memmove (self->data + position, buffer, count);
  if G_UNLIKELY (position > self->size)
    memset (self->data + self->size, 0, position - self->size);
  if (end > self->size)
    self->size = end;
  self->position = (gint64) end;
  return (gssize) count;
}

static gint64
memory_seek (IoStream  *stream,
             gint64     offset,
             IoWhence   whence,
             GError   **error)
{
  IoMemoryStream *self = (IoMemoryStream *) stream;
  g_auto (WindowClaim) claim = claim_window (self);
  gint64 base = 0;

  if (whence == IO_WHENCE_CUR)
    base = self->position;
  else if (whence == IO_WHENCE_END)
    base = (gint64) self->size;

  if (offset > 0 && base > G_MAXINT64 - offset)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "new position too large");
      return -1;
    }

  /* Like BytesIO: relative seeks before the start stop at 0. */
  self->position = MAX (base + offset, 0);
  return self->position;
}

static gint64
memory_tell (IoStream  *stream,
             GError   **error)
{
  IoMemoryStream *self = (IoMemoryStream *) stream;
  g_auto (WindowClaim) claim = claim_window (self);

  return self->position;
}

static gint64
memory_truncate (IoStream  *stream,
                 gint64     size,
                 GError   **error)
{
  IoMemoryStream *self = (IoMemoryStream *) stream;
  g_auto (WindowClaim) claim = claim_window (self);

  if (!check_not_exported (self, error))
    return -1;

  if ((guint64) size < self->size)
    {
      if (self->shared != NULL)
        {
          GBytes *shorter = g_bytes_new_from_bytes (self->shared, 0, (gsize) size);

          g_bytes_unref (self->shared);
          self->shared = shorter;
          self->view = g_bytes_get_data (shorter, NULL);
          self->lent = NULL;
          self->lent_map = NULL;
        }
      self->size = (gsize) size;
    }
  return size;
}

static void
release_storage (IoMemoryStream *self)
{
  g_clear_pointer (&self->shared, g_bytes_unref);
  if (self->data != NULL)
    storage_free (g_steal_pointer (&self->data), self->capacity);
  self->view = NULL;
  self->lent = NULL;
  self->lent_map = NULL;
  self->size = self->capacity = 0;
}

static gboolean
memory_close (IoStream  *stream,
              GError   **error)
{
  IoMemoryStream *self = (IoMemoryStream *) stream;
  g_auto (WindowClaim) claim = claim_window (self);

  if (!check_not_exported (self, error))
    return FALSE;
  release_storage (self);
  return TRUE;
}

static gboolean
check_open (IoMemoryStream  *self,
            GError         **error)
{
  if (io_stream_is_closed (IO_STREAM (self)))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED,
                           "I/O operation on closed stream");
      return FALSE;
    }
  return TRUE;
}

/**
 * io_memory_stream_get_value:
 * @self: an #IoMemoryStream
 * @error: return location for a #GError
 *
 * Returns the whole content, whatever the position (Python's
 * `getvalue()`).
 *
 * No copy is made unless a buffer is exported: the stream lends its
 * storage to the result, and two calls with no write between them return
 * the same bytes. The next write takes the storage back, copying it only
 * if the result is still alive.
 *
 * Returns: (transfer full) (nullable): the content, or `NULL` if the stream
 *   is closed
 */
GBytes *
io_memory_stream_get_value (IoMemoryStream  *self,
                            GError         **error)
{
  g_auto (IoStreamHold) hold = IO_STREAM_HOLD_INIT;
  g_auto (WindowClaim) claim = NULL;

  g_return_val_if_fail (IO_IS_MEMORY_STREAM (self), NULL);

  if (!io_stream_hold (IO_STREAM (self), &hold, error) || !check_open (self, error))
    return NULL;

  claim = claim_window (self);
  if (self->shared == NULL)
    {
      if (self->exports > 0 || self->size == 0)
        return g_bytes_new (self->view, self->size);

      if (storage_is_mapped (self->capacity))
        {
          LentMap *map = g_new (LentMap, 1);

          map->data = self->data;
          map->capacity = self->capacity;
          map->state = LENT;
          self->shared = g_bytes_new_with_free_func (self->data, self->size,
                                                     lent_map_free, map);
          self->lent_map = map;
        }
      else
        {
          self->shared = g_bytes_new_with_free_func (self->data, self->size,
                                                     g_free, self->data);
          self->lent = self->data;
          self->lent_capacity = self->capacity;
        }
      self->data = NULL;
      self->capacity = 0;
    }
  return g_bytes_ref (self->shared);
}

/**
 * io_memory_stream_acquire_buffer: (skip)
 * @self: an #IoMemoryStream
 * @data: (out) (transfer none): the start of the live buffer
 * @len: (out): the size of the content
 * @error: return location for a #GError
 *
 * Exports the live buffer for reading and writing in place (Python's
 * `getbuffer()`).
 *
 * Each export holds a reference on @self and locks its size: until every
 * export is given back with [method@Io.MemoryStream.release_buffer],
 * writes, truncation and closing fail with %G_IO_ERROR_BUSY.
 *
 * Returns: `TRUE` on success, `FALSE` if the stream is closed or its
 *   content could not be copied out of shared bytes
 */
gboolean
io_memory_stream_acquire_buffer (IoMemoryStream  *self,
                                 guint8         **data,
                                 gsize           *len,
                                 GError         **error)
{
  g_auto (IoStreamHold) hold = IO_STREAM_HOLD_INIT;
  g_auto (WindowClaim) claim = NULL;

  g_return_val_if_fail (IO_IS_MEMORY_STREAM (self), FALSE);
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (len != NULL, FALSE);

  *data = NULL;
  *len = 0;
  if (!io_stream_hold (IO_STREAM (self), &hold, error) || !check_open (self, error))
    return FALSE;
  claim = claim_window (self);
  if (self->shared != NULL && !unshare_storage (self, error))
    return FALSE;

  self->exports++;
  g_object_ref (self);
  *data = self->data;
  *len = self->size;
  return TRUE;
}

/**
 * io_memory_stream_acquire_buffer_address:
 * @self: an #IoMemoryStream
 * @len: (out): the size of the content
 * @error: return location for a #GError
 *
 * [method@Io.MemoryStream.acquire_buffer] returning an address, for the
 * Python layer's `getbuffer()`.
 *
 * Returns: the address of the live buffer (0 when it is empty), or 0 with
 *   @error set
 */
guintptr
io_memory_stream_acquire_buffer_address (IoMemoryStream  *self,
                                         gsize           *len,
                                         GError         **error)
{
  guint8 *data;

  g_return_val_if_fail (IO_IS_MEMORY_STREAM (self), 0);
  g_return_val_if_fail (len != NULL, 0);

  if (!io_memory_stream_acquire_buffer (self, &data, len, error))
    return 0;
  return (guintptr) data;
}

/**
 * io_memory_stream_release_buffer:
 * @self: an #IoMemoryStream
 *
 * Gives back one export taken by [method@Io.MemoryStream.acquire_buffer].
 * When the last one is released the stream can be resized again.
 */
void
io_memory_stream_release_buffer (IoMemoryStream *self)
{
  g_auto (IoStreamHold) hold = IO_STREAM_HOLD_INIT;

  g_return_if_fail (IO_IS_MEMORY_STREAM (self));

  if (!io_stream_hold (IO_STREAM (self), &hold, NULL))
    {
      g_critical ("io_memory_stream_release_buffer: %p has an asynchronous operation "
                  "pending", self);
      return;
    }
  g_return_if_fail (self->exports > 0);

  (void) claim_window (self);
  self->exports--;
  lend_window (self);
  io_stream_hold_clear (&hold);
  g_object_unref (self);
}

/**
 * io_memory_stream_get_exports:
 * @self: an #IoMemoryStream
 *
 * Returns how many exports of the buffer are held.
 *
 * Returns: the number of exports not yet released
 */
guint
io_memory_stream_get_exports (IoMemoryStream *self)
{
  g_auto (IoStreamHold) hold = IO_STREAM_HOLD_INIT;

  g_return_val_if_fail (IO_IS_MEMORY_STREAM (self), 0);

  /* Waits for a synchronous call inside; a count read during an
   * asynchronous operation is only as old as that operation. */
  (void) io_stream_hold (IO_STREAM (self), &hold, NULL);
  return self->exports;
}

/* Makes @bytes (shared, or nothing for NULL) the whole content, at 0. */
static void
replace_content (IoMemoryStream *self,
                 GBytes         *bytes)
{
  release_storage (self);
  if (bytes != NULL)
    {
      self->shared = g_bytes_ref (bytes);
      self->view = g_bytes_get_data (bytes, &self->size);
    }
  self->position = 0;
}

static void
set_initial_bytes (IoMemoryStream *self,
                   GBytes         *bytes)
{
  replace_content (self, bytes);
  lend_window (self);
}

/**
 * io_memory_stream_reset:
 * @self: an #IoMemoryStream
 * @bytes: (nullable): the new content, shared without a copy until the
 *   first write, or `NULL` for none
 * @error: return location for a #GError
 *
 * Replaces the whole content of @self with @bytes and moves the position
 * to 0, as calling Python's `BytesIO.__init__()` again does: the stream is
 * then as [ctor@Io.MemoryStream.new_from_bytes] would have made it.
 *
 * While a buffer is exported (see [method@Io.MemoryStream.acquire_buffer])
 * this fails with %G_IO_ERROR_BUSY, and on a closed stream with
 * %G_IO_ERROR_CLOSED; the stream is left as it was.
 *
 * Returns: `TRUE` on success, `FALSE` with @error set
 */
gboolean
io_memory_stream_reset (IoMemoryStream  *self,
                        GBytes          *bytes,
                        GError         **error)
{
  g_auto (IoStreamHold) hold = IO_STREAM_HOLD_INIT;
  g_auto (WindowClaim) claim = NULL;

  g_return_val_if_fail (IO_IS_MEMORY_STREAM (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!io_stream_hold (IO_STREAM (self), &hold, error) || !check_open (self, error))
    return FALSE;
  claim = claim_window (self);
  if (!check_not_exported (self, error))
    return FALSE;

  replace_content (self, bytes);
  return TRUE;
}

static void
io_memory_stream_finalize (GObject *object)
{
  release_storage (IO_MEMORY_STREAM (object));

  G_OBJECT_CLASS (io_memory_stream_parent_class)->finalize (object);
}

static void
io_memory_stream_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  IoMemoryStream *self = IO_MEMORY_STREAM (object);

  switch (prop_id)
    {
    case PROP_INITIAL_BYTES:
      set_initial_bytes (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
io_memory_stream_class_init (IoMemoryStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  IoStreamClass *stream_class = IO_STREAM_CLASS (klass);

  object_class->finalize = io_memory_stream_finalize;
  object_class->set_property = io_memory_stream_set_property;

  stream_class->read = memory_read;
  stream_class->write = memory_write;
  stream_class->seek = memory_seek;
  stream_class->tell = memory_tell;
  stream_class->truncate = memory_truncate;
  stream_class->close = memory_close;
  /* Nothing here waits: asynchronous operations run at once. */
  io_stream_class_set_async_runner (stream_class, io_stream_async_run_now);

  /**
   * IoMemoryStream:initial-bytes:
   *
   * The content the stream starts with, shared without a copy until the
   * first write. The position starts at 0.
   */
  properties[PROP_INITIAL_BYTES] =
    g_param_spec_boxed ("initial-bytes", NULL, NULL,
                        G_TYPE_BYTES,
                        (G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
io_memory_stream_init (IoMemoryStream *self)
{
}

/**
 * io_memory_stream_new:
 * @data: (array length=len) (element-type guint8) (nullable): the initial
 *   content, copied
 * @len: the length of @data
 *
 * Creates a memory stream holding a copy of @data, positioned at 0.
 *
 * Returns: (transfer full) (type IoMemoryStream): a new memory stream
 */
IoStream *
io_memory_stream_new (const guint8 *data,
                      gsize         len)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (len > 0)
    bytes = g_bytes_new (data, len);
  return g_object_new (IO_TYPE_MEMORY_STREAM, "initial-bytes", bytes, NULL);
}

/**
 * io_memory_stream_new_from_bytes:
 * @bytes: (nullable): the initial content, shared without a copy
 *
 * Creates a memory stream over @bytes, positioned at 0. The bytes are
 * copied only when the stream is first written.
 *
 * Returns: (transfer full) (type IoMemoryStream): a new memory stream
 */
IoStream *
io_memory_stream_new_from_bytes (GBytes *bytes)
{
  return g_object_new (IO_TYPE_MEMORY_STREAM, "initial-bytes", bytes, NULL);
}
