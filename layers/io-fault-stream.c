/* io-fault-stream.c: a stream that injects the faults of a real backend
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>

#include "io-error-private.h"
#include "io-fault-stream.h"
#include "io-memory-stream.h"

/**
 * IoFaultStream:
 *
 * A raw stream over another stream, or over memory of its own, that fails
 * the way a real backend fails, when a script or a seeded random generator
 * says so: the test double of every layer and every caller of a stream,
 * public so that backend and layer authors outside libstream test with it
 * too.
 *
 * Each raw operation the stream is asked for (an [flags@Io.FaultOp]: one
 * `read`, one `write`, `flush`, `close`, `seek`, `tell`, `truncate`) is
 * either passed to the base stream, one base call per operation as in
 * [class@Io.FilterStream], or hit by a fault ([flags@Io.FaultKind]):
 *
 * - %IO_FAULT_KIND_SHORT: the read or write moves at most the fault's
 *   size, with no error. [method@Io.Stream.read1] shows it; the loops of
 *   [method@Io.Stream.read] and [method@Io.Stream.write] call again, as
 *   they do on a real descriptor;
 * - the errors, each the #GError a descriptor backend sets for its
 *   `errno` ([func@Io.error_get_errno] gives it back, and Python raises
 *   the `OSError` subclass CPython raises for it): `EINTR`
 *   (%IO_FAULT_KIND_INTERRUPTED, `InterruptedError`), `EAGAIN`
 *   (%IO_FAULT_KIND_WOULD_BLOCK, %G_IO_ERROR_WOULD_BLOCK,
 *   `BlockingIOError`), `ENOSPC` (%IO_FAULT_KIND_NO_SPACE,
 *   %G_IO_ERROR_NO_SPACE) and `EIO` (%IO_FAULT_KIND_FAIL). The failed call
 *   moves nothing and the base is not called, except for `close`: the base
 *   is still closed, as close(2) releases a descriptor even when it
 *   fails, and the stream is closed afterwards, as every stream is.
 *
 * Where an error comes after bytes moved, [class@Io.Stream] does what it
 * does for every backend: a write that wrote some bytes returns their
 * count and the error waits for the next write, flush or close; a read
 * keeps its bytes and the next read reports the error. So a fault of
 * %IO_FAULT_KIND_NO_SPACE at offset 10 makes a 16-byte write at 0 return
 * 10, and the next write fail with `ENOSPC`, as a full disk does.
 *
 * A scripted fault ([method@Io.FaultStream.add_fault]) hits the calls of
 * the operations it names from a chosen call on, or from a byte offset on:
 * the stream follows its position through its own reads, writes, seeks
 * and tells (from the base's position when it was made, or 0). A read or
 * write that crosses the offset is first cut short at it. Random faults
 * ([method@Io.FaultStream.set_random]) come from a generator seeded by the
 * caller, so the same seed over the same calls gives the same faults.
 * [method@Io.FaultStream.get_calls] and [method@Io.FaultStream.get_faults]
 * count what the stream saw and did.
 *
 * The stream is raw, as `FileIO` is: it lends no window and has no `peek`
 * of its own ([method@Io.Stream.peek] reads and seeks back), so every read
 * and write is a call its faults can hit. A buffered layer over it sees the
 * faults of a file. See [Testing with faults](fault-injection.html).
 *
 * ```c
 * // A disk that fills up at 4 KiB, under the layer being tested.
 * g_autoptr(IoStream) raw = io_fault_stream_new (NULL);
 * io_fault_stream_add_fault (IO_FAULT_STREAM (raw), IO_FAULT_OP_WRITE,
 *                            IO_FAULT_KIND_NO_SPACE, 0, 4096, 0, 0);
 * ```
 */

/**
 * IoFaultStreamClass:
 * @parent_class: the parent class
 *
 * The class of [class@Io.FaultStream], a final type: it cannot be subclassed.
 */

struct _IoFaultStream
{
  IoFilterStream parent_instance;

  GMutex lock;
  GArray *faults;               /* of Fault, in the order they were added */
  GRand *rand;                  /* NULL without random faults */
  double probability;
  IoFaultOp random_ops;
  IoFaultKind random_kinds;
  guint64 calls[7];             /* by operation: the bit's index */
  guint64 fired[7];
  gint64 offset;
};

typedef struct
{
  IoFaultOp ops;
  IoFaultKind kind;
  guint64 at_call;
  gint64 at_offset;
  gsize size;
  guint left;                   /* fires left; 0 with @forever */
  gboolean forever;
  guint64 seen;                 /* calls of @ops since it was added */
} Fault;

G_DEFINE_FLAGS_TYPE (IoFaultOp, io_fault_op,
  G_DEFINE_ENUM_VALUE (IO_FAULT_OP_NONE, "none"),
  G_DEFINE_ENUM_VALUE (IO_FAULT_OP_READ, "read"),
  G_DEFINE_ENUM_VALUE (IO_FAULT_OP_WRITE, "write"),
  G_DEFINE_ENUM_VALUE (IO_FAULT_OP_FLUSH, "flush"),
  G_DEFINE_ENUM_VALUE (IO_FAULT_OP_CLOSE, "close"),
  G_DEFINE_ENUM_VALUE (IO_FAULT_OP_SEEK, "seek"),
  G_DEFINE_ENUM_VALUE (IO_FAULT_OP_TELL, "tell"),
  G_DEFINE_ENUM_VALUE (IO_FAULT_OP_TRUNCATE, "truncate"),
  G_DEFINE_ENUM_VALUE (IO_FAULT_OP_ALL, "all"))

G_DEFINE_FLAGS_TYPE (IoFaultKind, io_fault_kind,
  G_DEFINE_ENUM_VALUE (IO_FAULT_KIND_NONE, "none"),
  G_DEFINE_ENUM_VALUE (IO_FAULT_KIND_SHORT, "short"),
  G_DEFINE_ENUM_VALUE (IO_FAULT_KIND_INTERRUPTED, "interrupted"),
  G_DEFINE_ENUM_VALUE (IO_FAULT_KIND_WOULD_BLOCK, "would-block"),
  G_DEFINE_ENUM_VALUE (IO_FAULT_KIND_NO_SPACE, "no-space"),
  G_DEFINE_ENUM_VALUE (IO_FAULT_KIND_FAIL, "fail"),
  G_DEFINE_ENUM_VALUE (IO_FAULT_KIND_ALL, "all"))

G_DEFINE_FINAL_TYPE (IoFaultStream, io_fault_stream, IO_TYPE_FILTER_STREAM)

#define TRANSFERS (IO_FAULT_OP_READ | IO_FAULT_OP_WRITE)

#define PARENT_CLASS IO_STREAM_CLASS (io_fault_stream_parent_class)
#define BASE(self) io_filter_stream_get_base_stream (IO_FILTER_STREAM (self))

/* The index of a single operation's bit. */
static guint
op_index (IoFaultOp op)
{
  return (guint) g_bit_nth_lsf ((gulong) op, -1);
}

static int
kind_errno (IoFaultKind kind)
{
  switch (kind)
    {
    case IO_FAULT_KIND_INTERRUPTED:
      return EINTR;
    case IO_FAULT_KIND_WOULD_BLOCK:
      return EAGAIN;
    case IO_FAULT_KIND_NO_SPACE:
      return ENOSPC;
    case IO_FAULT_KIND_FAIL:
      return EIO;
    default:
      g_assert_not_reached ();
    }
}

/* Whether @fault hits a call of @op at @offset; a read or write of *count
 * bytes that it does not hit but that crosses its offset is cut there. */
static gboolean
fault_hits (Fault     *fault,
            IoFaultOp  op,
            gint64     offset,
            gsize     *count)
{
  if ((fault->ops & op) == 0 || (!fault->forever && fault->left == 0))
    return FALSE;
  fault->seen++;
  if (fault->seen < fault->at_call)
    return FALSE;
  if (fault->at_offset < 0 || offset >= fault->at_offset)
    return TRUE;
  if ((op & TRANSFERS) != 0 && (guint64) (fault->at_offset - offset) < *count)
    *count = (gsize) (fault->at_offset - offset);
  return FALSE;
}

/* A random kind out of @kinds for a call of @op moving *count bytes, or
 * NONE when none applies. */
static IoFaultKind
random_kind (IoFaultStream *self,
             IoFaultOp      op,
             gsize          count)
{
  IoFaultKind kinds = self->random_kinds;
  IoFaultKind choice[5];
  guint n = 0;

  if ((op & TRANSFERS) == 0 || count < 2)
    kinds &= ~IO_FAULT_KIND_SHORT;
  for (guint bit = 0; bit < G_N_ELEMENTS (choice); bit++)
    if ((kinds & (1u << bit)) != 0)
      choice[n++] = 1u << bit;
  if (n == 0)
    return IO_FAULT_KIND_NONE;
  return choice[g_rand_int_range (self->rand, 0, (gint32) n)];
}

/* Decides the fate of a call of @op: FALSE with @error set when a fault
 * fails it; otherwise *count (for a read or write) is what the base may
 * move. */
static gboolean
decide (IoFaultStream  *self,
        IoFaultOp       op,
        gsize          *count,
        GError        **error)
{
  IoFaultKind kind = IO_FAULT_KIND_NONE;
  gsize dummy = 0;
  gsize size = 0;

  if (count == NULL)
    count = &dummy;

  g_mutex_lock (&self->lock);
  self->calls[op_index (op)]++;
  for (guint i = 0; i < self->faults->len; i++)
    {
      Fault *fault = &g_array_index (self->faults, Fault, i);

      /* Every fault sees the call, even after one hit it. */
      if (fault_hits (fault, op, self->offset, count) && kind == IO_FAULT_KIND_NONE)
        {
          kind = fault->kind;
          size = fault->size;
          if (!fault->forever)
            fault->left--;
        }
    }
  if (kind == IO_FAULT_KIND_NONE && self->rand != NULL && (self->random_ops & op) != 0 &&
      g_rand_double (self->rand) < self->probability)
    {
      kind = random_kind (self, op, *count);
      if (kind == IO_FAULT_KIND_SHORT)
        size = (gsize) g_rand_int_range (self->rand, 1, (gint32) MIN (*count, G_MAXINT32));
    }
  if (kind != IO_FAULT_KIND_NONE)
    self->fired[op_index (op)]++;
  g_mutex_unlock (&self->lock);

  if (kind == IO_FAULT_KIND_NONE)
    return TRUE;
  if (kind == IO_FAULT_KIND_SHORT)
    {
      *count = MIN (*count, size);
      return TRUE;
    }
  return io_error_set_from_errno (kind_errno (kind), NULL, NULL, error);
}

static void
set_offset (IoFaultStream *self,
            gint64         offset)
{
  g_mutex_lock (&self->lock);
  self->offset = offset;
  g_mutex_unlock (&self->lock);
}

static void
advance (IoFaultStream *self,
         gssize         n)
{
  if (n <= 0)
    return;
  g_mutex_lock (&self->lock);
  self->offset += n;
  g_mutex_unlock (&self->lock);
}

static gssize
fault_read (IoStream  *stream,
            guint8    *buffer,
            gsize      count,
            GError   **error)
{
  IoFaultStream *self = IO_FAULT_STREAM (stream);
  gssize n;

  if (!decide (self, IO_FAULT_OP_READ, &count, error))
    return -1;
  n = io_stream_read1 (BASE (self), buffer, count, error);
  advance (self, n);
  return n;
}

static gssize
fault_write (IoStream      *stream,
             const guint8  *buffer,
             gsize          count,
             GError       **error)
{
  IoFaultStream *self = IO_FAULT_STREAM (stream);
  gssize n;

  if (!decide (self, IO_FAULT_OP_WRITE, &count, error))
    return -1;
  n = PARENT_CLASS->write (stream, buffer, count, error);
  advance (self, n);
  return n;
}

static gboolean
fault_flush (IoStream  *stream,
             GError   **error)
{
  return decide (IO_FAULT_STREAM (stream), IO_FAULT_OP_FLUSH, NULL, error) &&
         PARENT_CLASS->flush (stream, error);
}

static gboolean
fault_close (IoStream  *stream,
             GError   **error)
{
  GError *fault_error = NULL;
  gboolean hit = !decide (IO_FAULT_STREAM (stream), IO_FAULT_OP_CLOSE, NULL, &fault_error);
  gboolean closed;

  /* The base is closed either way; the fault's error comes first. */
  closed = PARENT_CLASS->close (stream, hit ? NULL : error);
  if (hit)
    {
      g_propagate_error (error, fault_error);
      return FALSE;
    }
  return closed;
}

/* seek, tell and truncate: the base's answer, or the fault's error. */
static gint64
position_result (IoFaultStream *self,
                 gint64         result,
                 gboolean       moves)
{
  if (result >= 0 && moves)
    set_offset (self, result);
  return result;
}

static gint64
fault_seek (IoStream  *stream,
            gint64     offset,
            IoWhence   whence,
            GError   **error)
{
  IoFaultStream *self = IO_FAULT_STREAM (stream);

  if (!decide (self, IO_FAULT_OP_SEEK, NULL, error))
    return -1;
  return position_result (self, PARENT_CLASS->seek (stream, offset, whence, error), TRUE);
}

static gint64
fault_tell (IoStream  *stream,
            GError   **error)
{
  IoFaultStream *self = IO_FAULT_STREAM (stream);

  if (!decide (self, IO_FAULT_OP_TELL, NULL, error))
    return -1;
  return position_result (self, PARENT_CLASS->tell (stream, error), TRUE);
}

static gint64
fault_truncate (IoStream  *stream,
                gint64     size,
                GError   **error)
{
  IoFaultStream *self = IO_FAULT_STREAM (stream);

  if (!decide (self, IO_FAULT_OP_TRUNCATE, NULL, error))
    return -1;
  return position_result (self, PARENT_CLASS->truncate (stream, size, error), FALSE);
}

/**
 * io_fault_stream_new:
 * @base: (nullable): the stream to inject faults in front of, or `NULL`
 *   for a new empty [class@Io.MemoryStream]
 *
 * Makes a fault stream over @base (which it closes when it is closed, see
 * [property@Io.FilterStream:close-base]), with no faults yet.
 *
 * Returns: (transfer full) (type Io.FaultStream): the new stream
 */
IoStream *
io_fault_stream_new (IoStream *base)
{
  g_return_val_if_fail (base == NULL || IO_IS_STREAM (base), NULL);

  return g_object_new (IO_TYPE_FAULT_STREAM, "base-stream", base, NULL);
}

/**
 * io_fault_stream_add_fault:
 * @self: an #IoFaultStream
 * @ops: the operations the fault hits
 * @kind: what it does to them: one [flags@Io.FaultKind]
 * @at_call: the first call it hits, counting from 1 the calls of @ops
 *   made after it was added (0 is the same as 1)
 * @at_offset: the byte offset from which on it hits, or -1 for any
 * @size: for %IO_FAULT_KIND_SHORT, the most bytes a call hit moves (at
 *   least 1); ignored for the other kinds
 * @count: how many calls it hits, one after the other; 0 for every call
 *   from then on (a full disk stays full)
 *
 * Adds a fault to the script. It hits the calls of @ops from the
 * @at_call-th on that reach @at_offset, until it has hit @count of them. A
 * read or write that starts before @at_offset and would cross it is cut
 * short at @at_offset first (with no error), so the fault hits the next
 * call, which starts there. For the other operations the offset is the
 * stream's position.
 *
 * When several faults would hit one call, the first added does; the
 * others still count the call. Random faults hit only calls no scripted
 * fault hits.
 *
 * %IO_FAULT_KIND_SHORT applies only to %IO_FAULT_OP_READ and
 * %IO_FAULT_OP_WRITE.
 */
void
io_fault_stream_add_fault (IoFaultStream *self,
                           IoFaultOp      ops,
                           IoFaultKind    kind,
                           guint64        at_call,
                           gint64         at_offset,
                           gsize          size,
                           guint          count)
{
  Fault fault = { 0 };

  g_return_if_fail (IO_IS_FAULT_STREAM (self));
  g_return_if_fail (ops != 0 && (ops & ~IO_FAULT_OP_ALL) == 0);
  g_return_if_fail (kind != 0 && (kind & ~IO_FAULT_KIND_ALL) == 0 && (kind & (kind - 1)) == 0);
  g_return_if_fail (at_offset >= -1);
  g_return_if_fail (kind != IO_FAULT_KIND_SHORT || ((ops & ~TRANSFERS) == 0 && size > 0));

  fault.ops = ops;
  fault.kind = kind;
  fault.at_call = at_call;
  fault.at_offset = at_offset;
  fault.size = size;
  fault.left = count;
  fault.forever = count == 0;

  g_mutex_lock (&self->lock);
  g_array_append_val (self->faults, fault);
  g_mutex_unlock (&self->lock);
}

/**
 * io_fault_stream_set_random:
 * @self: an #IoFaultStream
 * @seed: the seed of the generator
 * @probability: the chance, from 0 to 1, that a call of @ops is hit; 0
 *   turns random faults off
 * @ops: the operations random faults hit
 * @kinds: the kinds they are drawn from, with equal chances: a short read
 *   or write moves from 1 byte to one less than asked, and is drawn only
 *   for reads and writes of 2 bytes or more
 *
 * Hits calls with faults drawn from a generator seeded with @seed
 * (GLib's #GRand, the same in every process and on every platform): the
 * same seed, script and calls give the same faults, so a failure found
 * with a seed can be replayed with it. Setting it again restarts the
 * generator.
 */
void
io_fault_stream_set_random (IoFaultStream *self,
                            guint32        seed,
                            double         probability,
                            IoFaultOp      ops,
                            IoFaultKind    kinds)
{
  g_return_if_fail (IO_IS_FAULT_STREAM (self));
  g_return_if_fail (probability >= 0.0 && probability <= 1.0);
  g_return_if_fail ((ops & ~IO_FAULT_OP_ALL) == 0);
  g_return_if_fail ((kinds & ~IO_FAULT_KIND_ALL) == 0);

  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->rand, g_rand_free);
  if (probability > 0.0 && ops != 0 && kinds != 0)
    self->rand = g_rand_new_with_seed (seed);
  self->probability = probability;
  self->random_ops = ops;
  self->random_kinds = kinds;
  g_mutex_unlock (&self->lock);
}

/**
 * io_fault_stream_clear:
 * @self: an #IoFaultStream
 *
 * Removes every scripted fault and turns random faults off: the stream
 * then passes every call to its base. The counts stay.
 */
void
io_fault_stream_clear (IoFaultStream *self)
{
  g_return_if_fail (IO_IS_FAULT_STREAM (self));

  g_mutex_lock (&self->lock);
  g_array_set_size (self->faults, 0);
  g_clear_pointer (&self->rand, g_rand_free);
  g_mutex_unlock (&self->lock);
}

static guint64
sum_counts (IoFaultStream *self,
            const guint64 *counts,
            IoFaultOp      ops)
{
  guint64 sum = 0;

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < G_N_ELEMENTS (self->calls); i++)
    if ((ops & (1u << i)) != 0)
      sum += counts[i];
  g_mutex_unlock (&self->lock);
  return sum;
}

/**
 * io_fault_stream_get_calls:
 * @self: an #IoFaultStream
 * @ops: the operations to count
 *
 * How many calls of @ops the stream has had, hit by a fault or not.
 *
 * Returns: the number of calls
 */
guint64
io_fault_stream_get_calls (IoFaultStream *self,
                           IoFaultOp      ops)
{
  g_return_val_if_fail (IO_IS_FAULT_STREAM (self), 0);

  return sum_counts (self, self->calls, ops);
}

/**
 * io_fault_stream_get_faults:
 * @self: an #IoFaultStream
 * @ops: the operations to count
 *
 * How many calls of @ops a fault, scripted or random, has hit (cutting a
 * call short at a fault's offset does not count).
 *
 * Returns: the number of faults
 */
guint64
io_fault_stream_get_faults (IoFaultStream *self,
                            IoFaultOp      ops)
{
  g_return_val_if_fail (IO_IS_FAULT_STREAM (self), 0);

  return sum_counts (self, self->fired, ops);
}

/**
 * io_fault_stream_get_offset:
 * @self: an #IoFaultStream
 *
 * The position the stream's byte offsets are measured against: where its
 * base was when it was made (0 if the base could not tell), moved by every
 * read, write, seek and tell since, with no call to the base.
 *
 * Returns: the offset
 */
gint64
io_fault_stream_get_offset (IoFaultStream *self)
{
  gint64 offset;

  g_return_val_if_fail (IO_IS_FAULT_STREAM (self), 0);

  g_mutex_lock (&self->lock);
  offset = self->offset;
  g_mutex_unlock (&self->lock);
  return offset;
}

/* A fault stream built without a base (g_object_new() from a binding as
 * well as io_fault_stream_new (NULL)) gets an empty memory stream. */
static GObject *
io_fault_stream_constructor (GType                  type,
                             guint                  n_params,
                             GObjectConstructParam *params)
{
  for (guint i = 0; i < n_params; i++)
    if (g_strcmp0 (params[i].pspec->name, "base-stream") == 0 &&
        g_value_get_object (params[i].value) == NULL)
      g_value_take_object (params[i].value, io_memory_stream_new (NULL, 0));

  return G_OBJECT_CLASS (io_fault_stream_parent_class)->constructor (type, n_params, params);
}

static void
io_fault_stream_constructed (GObject *object)
{
  IoFaultStream *self = IO_FAULT_STREAM (object);
  IoStream *base;

  G_OBJECT_CLASS (io_fault_stream_parent_class)->constructed (object);

  base = BASE (self);
  if (base != NULL && !io_stream_is_closed (base) && io_stream_seekable (base, NULL))
    self->offset = MAX (io_stream_tell (base, NULL), 0);
}

static void
io_fault_stream_finalize (GObject *object)
{
  IoFaultStream *self = IO_FAULT_STREAM (object);

  g_array_unref (self->faults);
  g_clear_pointer (&self->rand, g_rand_free);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (io_fault_stream_parent_class)->finalize (object);
}

static void
io_fault_stream_class_init (IoFaultStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  IoStreamClass *stream_class = IO_STREAM_CLASS (klass);

  object_class->constructor = io_fault_stream_constructor;
  object_class->constructed = io_fault_stream_constructed;
  object_class->finalize = io_fault_stream_finalize;

  stream_class->read = fault_read;
  stream_class->write = fault_write;
  stream_class->flush = fault_flush;
  stream_class->close = fault_close;
  stream_class->seek = fault_seek;
  stream_class->tell = fault_tell;
  stream_class->truncate = fault_truncate;
  /* Raw: every read is a call the faults can hit. */
  stream_class->peek = NULL;
}

static void
io_fault_stream_init (IoFaultStream *self)
{
  g_mutex_init (&self->lock);
  self->faults = g_array_new (FALSE, TRUE, sizeof (Fault));
}
