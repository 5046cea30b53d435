/* io-fault-stream.h: a stream that injects the faults of a real backend
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(IO_INSIDE) && !defined(IO_COMPILATION)
# error "Only <libstream.h> can be included directly."
#endif

#include "io-filter-stream.h"

G_BEGIN_DECLS

/**
 * IoFaultOp:
 * @IO_FAULT_OP_NONE: no operation
 * @IO_FAULT_OP_READ: the raw read (one `read(2)`)
 * @IO_FAULT_OP_WRITE: the raw write (one `write(2)`)
 * @IO_FAULT_OP_FLUSH: [method@Io.Stream.flush]
 * @IO_FAULT_OP_CLOSE: [method@Io.Stream.close]
 * @IO_FAULT_OP_SEEK: [method@Io.Stream.seek]
 * @IO_FAULT_OP_TELL: [method@Io.Stream.tell]
 * @IO_FAULT_OP_TRUNCATE: [method@Io.Stream.truncate]
 * @IO_FAULT_OP_ALL: every operation above
 *
 * The operations of an [class@Io.FaultStream] a fault can hit: one for
 * each raw operation its base is asked for.
 */
typedef enum {
  IO_FAULT_OP_NONE     = 0,
  IO_FAULT_OP_READ     = 1 << 0,
  IO_FAULT_OP_WRITE    = 1 << 1,
  IO_FAULT_OP_FLUSH    = 1 << 2,
  IO_FAULT_OP_CLOSE    = 1 << 3,
  IO_FAULT_OP_SEEK     = 1 << 4,
  IO_FAULT_OP_TELL     = 1 << 5,
  IO_FAULT_OP_TRUNCATE = 1 << 6,
  IO_FAULT_OP_ALL      = (1 << 7) - 1,
} IoFaultOp;

/**
 * IoFaultKind:
 * @IO_FAULT_KIND_NONE: no fault
 * @IO_FAULT_KIND_SHORT: a read or write that moves fewer bytes than asked
 *   (the fault's size), without an error
 * @IO_FAULT_KIND_INTERRUPTED: a call interrupted by a signal before it
 *   moved anything: `EINTR`, Python's `InterruptedError`
 * @IO_FAULT_KIND_WOULD_BLOCK: a non-blocking call that would wait:
 *   `EAGAIN`, %G_IO_ERROR_WOULD_BLOCK, Python's `BlockingIOError`
 * @IO_FAULT_KIND_NO_SPACE: a full device: `ENOSPC`, %G_IO_ERROR_NO_SPACE,
 *   Python's `OSError` with `errno.ENOSPC`
 * @IO_FAULT_KIND_FAIL: a failing device: `EIO`, %G_IO_ERROR_FAILED,
 *   Python's `OSError` with `errno.EIO`
 * @IO_FAULT_KIND_ALL: every kind above
 *
 * What an [class@Io.FaultStream] does to a call a fault hits. A call that
 * fails moves nothing; a fault placed at a byte offset first cuts the
 * call that crosses it short at the offset, as a real device does.
 *
 * [method@Io.FaultStream.add_fault] takes one kind;
 * [method@Io.FaultStream.set_random] a set of them.
 */
typedef enum {
  IO_FAULT_KIND_NONE        = 0,
  IO_FAULT_KIND_SHORT       = 1 << 0,
  IO_FAULT_KIND_INTERRUPTED = 1 << 1,
  IO_FAULT_KIND_WOULD_BLOCK = 1 << 2,
  IO_FAULT_KIND_NO_SPACE    = 1 << 3,
  IO_FAULT_KIND_FAIL        = 1 << 4,
  IO_FAULT_KIND_ALL         = (1 << 5) - 1,
} IoFaultKind;

#define IO_TYPE_FAULT_OP (io_fault_op_get_type ())
IO_AVAILABLE_IN_ALL
GType io_fault_op_get_type (void) G_GNUC_CONST;

#define IO_TYPE_FAULT_KIND (io_fault_kind_get_type ())
IO_AVAILABLE_IN_ALL
GType io_fault_kind_get_type (void) G_GNUC_CONST;

#define IO_TYPE_FAULT_STREAM (io_fault_stream_get_type ())

IO_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (IoFaultStream, io_fault_stream, IO, FAULT_STREAM, IoFilterStream)

IO_AVAILABLE_IN_ALL
IoStream *io_fault_stream_new        (IoStream       *base) G_GNUC_WARN_UNUSED_RESULT;
IO_AVAILABLE_IN_ALL
void      io_fault_stream_add_fault  (IoFaultStream  *self,
                                      IoFaultOp       ops,
                                      IoFaultKind     kind,
                                      guint64         at_call,
                                      gint64          at_offset,
                                      gsize           size,
                                      guint           count);
IO_AVAILABLE_IN_ALL
void      io_fault_stream_set_random (IoFaultStream  *self,
                                      guint32         seed,
                                      double          probability,
                                      IoFaultOp       ops,
                                      IoFaultKind     kinds);
IO_AVAILABLE_IN_ALL
void      io_fault_stream_clear      (IoFaultStream  *self);
IO_AVAILABLE_IN_ALL
guint64   io_fault_stream_get_calls  (IoFaultStream  *self,
                                      IoFaultOp       ops);
IO_AVAILABLE_IN_ALL
guint64   io_fault_stream_get_faults (IoFaultStream  *self,
                                      IoFaultOp       ops);
IO_AVAILABLE_IN_ALL
gint64    io_fault_stream_get_offset (IoFaultStream  *self);

G_END_DECLS
