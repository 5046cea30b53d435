/* io-pipe-stream-private.h: what the pipe stream's files share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "io-pipe-stream.h"

G_BEGIN_DECLS

/* A blocking pipe stream owning @fd (opened by libstream itself), or NULL
 * with @error set and @fd closed. */
IoStream   *io_pipe_stream_wrap_own_fd       (int                  fd,
                                              const char          *mode,
                                              GError             **error);

G_END_DECLS
