/* io-types.h: enumerations shared by every libstream stream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(IO_INSIDE) && !defined(IO_COMPILATION)
# error "Only <libstream.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

/**
 * IoWhence:
 * @IO_WHENCE_SET: the offset is relative to the start of the stream
 * @IO_WHENCE_CUR: the offset is relative to the current position
 * @IO_WHENCE_END: the offset is relative to the end of the stream
 *
 * Where [method@Io.Stream.seek] counts its offset from.
 *
 * The values are POSIX's `SEEK_SET`, `SEEK_CUR` and `SEEK_END` (0, 1, 2), the
 * numbers Python's `io` accepts, so `seek (0, 0)` rewinds in every language.
 * GLib's `GSeekType` orders them differently and is deliberately not used.
 */
typedef enum {
  IO_WHENCE_SET = 0,
  IO_WHENCE_CUR = 1,
  IO_WHENCE_END = 2,
} IoWhence;

/**
 * IoSpawnStderr:
 * @IO_SPAWN_STDERR_INHERIT: the child writes to the parent's standard error
 * @IO_SPAWN_STDERR_PIPE: the child's standard error is a pipe the parent
 *   reads as a stream (`subprocess.PIPE`)
 * @IO_SPAWN_STDERR_STDOUT: the child's standard error goes wherever its
 *   standard output goes (`subprocess.STDOUT`)
 * @IO_SPAWN_STDERR_DEVNULL: the child's standard error is `/dev/null`
 *   (`subprocess.DEVNULL`)
 *
 * What [func@Io.PipeStream.spawn] does with the child's standard error.
 */
typedef enum {
  IO_SPAWN_STDERR_INHERIT,
  IO_SPAWN_STDERR_PIPE,
  IO_SPAWN_STDERR_STDOUT,
  IO_SPAWN_STDERR_DEVNULL,
} IoSpawnStderr;

G_END_DECLS
