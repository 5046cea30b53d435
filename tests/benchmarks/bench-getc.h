/* bench-getc.h: one byte at a time, as a read case of a count of 1 per
 * byte, for the programs that time getc_unlocked() and io_stream_getc()
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <stdio.h>

#include <libstream.h>

#include "bench-util.h"

static inline gssize
bench_stdio_getc (BenchCase *c,
                  FILE      *f,
                  guint8    *dst,
                  gsize      n)
{
  int ch = getc_unlocked (f);

  if (ch == EOF)
    return 0;
  dst[0] = (guint8) ch;
  return 1;
}

static inline gssize
bench_libstream_getc (BenchCase *c,
                      IoStream  *stream,
                      guint8    *dst,
                      gsize      n)
{
  GError *error = NULL;
  int ch = io_stream_getc (stream, &error);

  if G_UNLIKELY (error != NULL)
    bench_fail (c, "getc failed: %s", error->message);
  if (ch < 0)
    return 0;
  dst[0] = (guint8) ch;
  return 1;
}
