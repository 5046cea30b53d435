/* io-stream-async-private.h: how a backend chooses where its asynchronous
 * operations run
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "io-stream.h"

G_BEGIN_DECLS

/* The default asynchronous vfuncs of IoStream build a GTask for the
 * operation (its source object the stream, which the operation owns
 * already; see io_stream_begin_async()) and hand it to the runner of the
 * stream's class: the nearest one set on the class or an ancestor, the
 * thread runner when none is. A runner returns the task one way or
 * another, always from the thread-default main context of the caller. */
typedef void (*IoStreamAsyncRunner) (IoStream *self,
                                     GTask    *task);

void io_stream_class_set_async_runner (IoStreamClass       *klass,
                                       IoStreamAsyncRunner  runner);

/* Runs the synchronous method on a GTask thread: the default. */
void io_stream_async_run_in_thread    (IoStream            *self,
                                       GTask               *task);

/* Runs the synchronous method at once, in the calling thread, for a
 * backend whose operations never wait (memory); the callback still comes
 * from an idle of the caller's main context, as GTask delivers a result
 * returned in the iteration that created it. */
void io_stream_async_run_now          (IoStream            *self,
                                       GTask               *task);

/* Switches the backend's raw reads and writes between blocking and
 * "do not wait": fail with G_IO_ERROR_WOULD_BLOCK rather than wait, and
 * write no more than can be written without waiting. */
typedef void (*IoStreamNowaitFunc) (IoStream *self,
                                    gboolean  nowait);

/* Runs the operation in steps in the caller's main context, with no
 * thread: each step calls the stream's methods with the backend in
 * no-wait mode, and a step that would wait resumes when @fd is ready (a
 * GUnixFDSource) or the task's cancellable is cancelled. */
void io_stream_async_run_polled       (IoStream            *self,
                                       GTask               *task,
                                       int                  fd,
                                       IoStreamNowaitFunc   set_nowait);

/* Fills the asynchronous vfuncs of @klass with the defaults. */
void io_stream_class_init_async       (IoStreamClass       *klass);

G_END_DECLS
