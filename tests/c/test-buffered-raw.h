/* test-buffered-raw.h: a raw stream for the buffered layers' tests that
 * counts its calls and fails on command
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "libstream.h"

G_BEGIN_DECLS

#define TEST_TYPE_RAW (test_raw_get_type ())
G_DECLARE_FINAL_TYPE (TestRaw, test_raw, TEST, RAW, IoStream)

/* Everything public: tests read the counters and set the faults. */
struct _TestRaw
{
  IoStream parent_instance;

  GByteArray *data;
  gsize position;
  gboolean readable;
  gboolean writable;
  gboolean seekable;

  /* Calls of each vfunc, and the count the last read and write asked. */
  guint reads;
  guint writes;
  guint seeks;
  guint tells;
  guint truncates;
  guint flushes;
  guint closes;
  gsize last_read_count;
  gsize last_write_count;

  /* Faults: the most bytes one read or write moves (0: no limit); how many
   * calls fail with EINTR first; how many bytes writes take before they
   * would block (-1: no limit); reads that would block; an error for every
   * write, flush or close (a G_IO_ERROR code, or -1 for none). */
  gsize max_read;
  gsize max_write;
  guint eintr_calls;
  gssize write_room;
  gboolean read_would_block;
  int read_error;
  int write_error;
  int flush_error;
  int close_error;
};

/* A raw over a copy of @content (@len bytes), readable, writable and
 * seekable. */
TestRaw  *test_raw_new          (const char *content,
                                 gsize       len);
/* Checks that the content is @expected_len bytes of @expected. */
void      test_raw_assert_data  (TestRaw    *raw,
                                 const char *expected,
                                 gsize       expected_len);
/* Sets every counter back to 0. */
void      test_raw_reset_counts (TestRaw    *raw);

G_END_DECLS
