/* fuzz-common.h: decoding fuzzer input and comparing a stream with a model
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every harness turns its input into a sequence of operations, applies
 * each one to a real stream and to a reference model written here from the
 * Python semantics, and aborts on the first difference, so libFuzzer saves
 * the input as a reproducer. The same harnesses are linked with
 * fuzz-replay.c to run the committed corpus as plain tests.
 */

#pragma once

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libstream.h"

G_BEGIN_DECLS

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

/* Content beyond this size is not modelled: a write that would grow the
 * stream past it is skipped unless it must fail for any memory size, or
 * for the allocation limit the input set (Model.limit). */
#define FUZZ_MAX_SIZE ((gsize) 1 << 20)

/* The library refuses a buffer larger than 2^47 bytes (IO_BUFFER_MAX in
 * libstream/io-buffer-private.h) without allocating it, so a write ending
 * past it fails with G_IO_ERROR_NO_SPACE on any machine. */
#define FUZZ_IMPOSSIBLE_SIZE (((guint64) 1 << 47) + 1)

/* The expected outcome of an operation: success, or a G_IO_ERROR code. */
#define FUZZ_OK (-1)

typedef struct
{
  const guint8 *data;
  gsize size;
  gsize pos;
  guint op_index;
  const char *op_name;
} FuzzInput;

static inline gboolean
fuzz_done (FuzzInput *in)
{
  return in->pos >= in->size;
}

static inline guint8
fuzz_u8 (FuzzInput *in)
{
  return in->pos < in->size ? in->data[in->pos++] : 0;
}

static inline guint16
fuzz_u16 (FuzzInput *in)
{
  guint16 lo = fuzz_u8 (in);

  return (guint16) (lo | (fuzz_u8 (in) << 8));
}

static inline guint64
fuzz_u64 (FuzzInput *in)
{
  guint64 value = 0;

  for (guint i = 0; i < 8; i++)
    value |= (guint64) fuzz_u8 (in) << (8 * i);
  return value;
}

/* Takes up to @max bytes of the input as data; returns how many. */
static inline gsize
fuzz_take (FuzzInput     *in,
           gsize          max,
           const guint8 **out)
{
  gsize n = MIN (max, in->size - MIN (in->pos, in->size));

  *out = in->data + MIN (in->pos, in->size);
  in->pos += n;
  return n;
}

/* A signed offset or size: mostly small, sometimes one of the values at
 * the edges of every integer type the API uses. */
static inline gint64
fuzz_i64 (FuzzInput *in)
{
  static const gint64 edges[] = {
    -1, -2, -3, G_MININT64, G_MININT64 + 1, G_MAXINT64, G_MAXINT64 - 1,
    G_MAXINT32, (gint64) G_MAXINT32 + 1, G_MININT32, G_MAXUINT32,
    (gint64) 1 << 62, ((gint64) 1 << 62) + 1, (gint64) 1 << 58, (gint64) 1 << 48,
    (gint64) 1 << 40, 1 << 20, (1 << 20) + 1, 65535, 65536, 65537, 255, 256, 257,
    4095, 4096, -4096, -65536, -((gint64) 1 << 62),
  };
  guint8 selector = fuzz_u8 (in);

  if (selector < 0xc0)
    return (gint64) selector - 16;
  if (selector < 0xf0)
    return edges[(selector - 0xc0) % G_N_ELEMENTS (edges)];
  if (selector < 0xf8)
    return (gint64) fuzz_u16 (in);
  return (gint64) fuzz_u64 (in);
}

/* An unsigned count: mostly small, sometimes at or past G_MAXSSIZE. */
static inline gsize
fuzz_count (FuzzInput *in)
{
  static const gsize edges[] = {
    G_MAXSIZE, G_MAXSSIZE, (gsize) G_MAXSSIZE + 1, G_MAXSIZE - 1,
    (gsize) 1 << 62, (gsize) 1 << 32, G_MAXUINT32, 1 << 20, 65535, 65536, 65537,
    255, 256, 257, 4096,
  };
  guint8 selector = fuzz_u8 (in);

  if (selector < 0xd0)
    return selector;
  if (selector < 0xf0)
    return edges[(selector - 0xd0) % G_N_ELEMENTS (edges)];
  return fuzz_u16 (in);
}

/* A whence, including values outside IoWhence as a binding may pass them. */
static inline IoWhence
fuzz_whence (FuzzInput *in)
{
  static const int bad[] = { 3, 4, -1, G_MININT, G_MAXINT, 255 };
  guint8 selector = fuzz_u8 (in);

  if (selector < 0xf0)
    return (IoWhence) (selector % 3);
  return (IoWhence) bad[(selector - 0xf0) % G_N_ELEMENTS (bad)];
}

#define fuzz_fail(in, ...) \
  G_STMT_START { \
    fprintf (stderr, "fuzz mismatch at operation %u (%s): ", (in)->op_index, \
             (in)->op_name != NULL ? (in)->op_name : "setup"); \
    fprintf (stderr, __VA_ARGS__); \
    fputc ('\n', stderr); \
    abort (); \
  } G_STMT_END

#define fuzz_assert(in, cond, ...) \
  G_STMT_START { \
    if G_UNLIKELY (!(cond)) \
      fuzz_fail (in, "failed: " #cond ": " __VA_ARGS__); \
  } G_STMT_END

/* Checks that @error is what the model expected (FUZZ_OK or a
 * G_IO_ERROR code) and clears it. */
static inline void
fuzz_check_error (FuzzInput  *in,
                  GError    **error,
                  int         expected)
{
  if (expected == FUZZ_OK)
    {
      if (*error != NULL)
        fuzz_fail (in, "expected success, got %s error %d: %s",
                   g_quark_to_string ((*error)->domain), (*error)->code, (*error)->message);
      return;
    }
  if (*error == NULL)
    fuzz_fail (in, "expected G_IO_ERROR %d, got success", expected);
  if (!g_error_matches (*error, G_IO_ERROR, expected))
    fuzz_fail (in, "expected G_IO_ERROR %d, got %s error %d: %s", expected,
               g_quark_to_string ((*error)->domain), (*error)->code, (*error)->message);
  g_clear_error (error);
}

static inline void
fuzz_check_data (FuzzInput    *in,
                 const char   *what,
                 const guint8 *got,
                 gsize         got_len,
                 const guint8 *want,
                 gsize         want_len)
{
  if (got_len != want_len)
    fuzz_fail (in, "%s: got %" G_GSIZE_FORMAT " bytes, model has %" G_GSIZE_FORMAT,
               what, got_len, want_len);
  if (want_len > 0 && memcmp (got, want, want_len) != 0)
    fuzz_fail (in, "%s: the %" G_GSIZE_FORMAT " bytes differ from the model", what, want_len);
}

static inline void
fuzz_check_bytes (FuzzInput    *in,
                  const char   *what,
                  GBytes       *got,
                  const guint8 *want,
                  gsize         want_len)
{
  gsize len;
  const guint8 *data;

  if (got == NULL)
    fuzz_fail (in, "%s: NULL bytes without an error", what);
  data = g_bytes_get_data (got, &len);
  fuzz_check_data (in, what, data, len, want, want_len);
}

/* Criticals and warnings are bugs in the harness or the library: abort so
 * the fuzzer keeps the input. */
static inline void
fuzz_init_logging (void)
{
  static gsize initialised = 0;

  if (g_once_init_enter (&initialised))
    {
      g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
      g_once_init_leave (&initialised, 1);
    }
}

G_END_DECLS
