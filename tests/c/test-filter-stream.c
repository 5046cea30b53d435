/* test-filter-stream.c: IoFilterStream, a stream over another stream
 *
 * Two filters: PassFilter overrides nothing, so everything it does is the
 * base class's forwarding; UpperFilter upper-cases what it reads and can
 * be told to fail its flush, as a layer with a buffer might.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <glib/gstdio.h>

#include "libstream.h"
#include "test-util.h"

#define PASS_TYPE_FILTER (pass_filter_get_type ())
TEST_UTIL_DEFINE_EMPTY_SUBCLASS (PassFilter, pass_filter, PASS, FILTER,
                                 IoFilterStream, IO_TYPE_FILTER_STREAM)

#define UPPER_TYPE_FILTER (upper_filter_get_type ())
G_DECLARE_FINAL_TYPE (UpperFilter, upper_filter, UPPER, FILTER, IoFilterStream)

struct _UpperFilter
{
  IoFilterStream parent_instance;
  gboolean fail_flush;
};

G_DEFINE_FINAL_TYPE (UpperFilter, upper_filter, IO_TYPE_FILTER_STREAM)

static gssize
upper_filter_read (IoStream  *stream,
                   guint8    *buffer,
                   gsize      count,
                   GError   **error)
{
  IoStream *base = io_filter_stream_get_base_stream (IO_FILTER_STREAM (stream));
  gssize n = io_stream_read1 (base, buffer, count, error);

  for (gssize i = 0; i < n; i++)
    buffer[i] = (guint8) g_ascii_toupper ((char) buffer[i]);
  return n;
}

static gboolean
upper_filter_flush (IoStream  *stream,
                    GError   **error)
{
  if (UPPER_FILTER (stream)->fail_flush)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "buffer lost");
      return FALSE;
    }
  return IO_STREAM_CLASS (upper_filter_parent_class)->flush (stream, error);
}

static void
upper_filter_class_init (UpperFilterClass *klass)
{
  IO_STREAM_CLASS (klass)->read = upper_filter_read;
  IO_STREAM_CLASS (klass)->flush = upper_filter_flush;
}

static void
upper_filter_init (UpperFilter *self)
{
}

static IoStream *
new_filter (GType     type,
            IoStream *base)
{
  return g_object_new (type, "base-stream", base, NULL);
}

static void
test_properties (void)
{
  IoStream *base = io_memory_stream_new (NULL, 0);
  IoStream *filter = new_filter (PASS_TYPE_FILTER, base);
  IoStream *got = NULL;
  gboolean close_base = FALSE;

  g_assert_true (G_TYPE_IS_ABSTRACT (IO_TYPE_FILTER_STREAM));
  g_assert_true (IO_IS_FILTER_STREAM (filter));
  g_object_get (filter, "base-stream", &got, "close-base", &close_base, NULL);
  g_assert_true (got == base);
  g_assert_true (close_base);
  g_assert_true (io_filter_stream_get_base_stream (IO_FILTER_STREAM (filter)) == base);
  g_object_unref (got);

  io_filter_stream_set_close_base (IO_FILTER_STREAM (filter), FALSE);
  g_assert_false (io_filter_stream_get_close_base (IO_FILTER_STREAM (filter)));

  g_assert_finalize_object (filter);
  g_assert_finalize_object (base);
}

static void
test_forwards_operations (void)
{
  IoStream *base = io_memory_stream_new ((const guint8 *) "one\ntwo\n", 8);
  IoStream *filter = new_filter (PASS_TYPE_FILTER, base);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) line = NULL;
  g_autoptr(GBytes) value = NULL;

  g_assert_true (io_stream_readable (filter, &error));
  g_assert_true (io_stream_writable (filter, &error));
  g_assert_true (io_stream_seekable (filter, &error));
  g_assert_no_error (error);

  line = io_stream_readline (filter, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (line, NULL), g_bytes_get_size (line), "one\n", 4);
  g_assert_cmpint (io_stream_tell (filter, &error), ==, 4);
  g_assert_cmpint (io_stream_tell (base, &error), ==, 4);

  g_assert_cmpint (io_stream_seek (filter, 0, IO_WHENCE_END, &error), ==, 8);
  g_assert_cmpint (io_stream_write (filter, (const guint8 *) "six\n", 4, &error), ==, 4);
  g_assert_cmpint (io_stream_truncate (filter, 10, &error), ==, 10);
  g_assert_true (io_stream_flush (filter, &error));
  g_assert_no_error (error);

  value = io_memory_stream_get_value (IO_MEMORY_STREAM (base), &error);
  g_assert_cmpmem (g_bytes_get_data (value, NULL), g_bytes_get_size (value), "one\ntwo\nsi", 10);

  /* What the base cannot do, the filter cannot either, with its error. */
  g_assert_false (io_stream_isatty (filter, &error));
  g_assert_no_error (error);
  g_assert_cmpint (io_stream_fileno (filter, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);

  g_assert_finalize_object (filter);
  g_assert_finalize_object (base);
}

static void
test_forwards_capabilities_and_fileno (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  IoStream *base;
  IoStream *filter;
  int fd = g_file_open_tmp ("io-filter-XXXXXX", &path, &error);

  g_assert_no_error (error);
  g_assert_cmpint (close (fd), ==, 0);
  base = io_file_stream_new (path, "r", &error);
  g_assert_no_error (error);
  filter = new_filter (PASS_TYPE_FILTER, base);

  g_assert_true (io_stream_readable (filter, &error));
  g_assert_false (io_stream_writable (filter, &error));
  g_assert_no_error (error);
  g_assert_cmpint (io_stream_fileno (filter, &error), ==, io_stream_fileno (base, NULL));
  g_assert_no_error (error);
  g_assert_cmpint (io_stream_write (filter, (const guint8 *) "x", 1, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);

  g_assert_finalize_object (filter);
  g_assert_finalize_object (base);
  g_unlink (path);
}

static void
test_subclass_transforms (void)
{
  IoStream *base = io_memory_stream_new ((const guint8 *) "shout\nquietly", 13);
  IoStream *filter = new_filter (UPPER_TYPE_FILTER, base);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) line = io_stream_readline (filter, -1, &error);

  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (line, NULL), g_bytes_get_size (line), "SHOUT\n", 6);
  test_util_assert_read (filter, -1, "QUIETLY");
  g_assert_finalize_object (filter);
  g_assert_finalize_object (base);
}

static void
test_close_closes_base (void)
{
  IoStream *base = io_memory_stream_new (NULL, 0);
  IoStream *filter = new_filter (PASS_TYPE_FILTER, base);
  g_autoptr(GError) error = NULL;

  g_assert_true (io_stream_close (filter, &error));
  g_assert_no_error (error);
  g_assert_true (io_stream_is_closed (base));
  g_assert_finalize_object (filter);
  g_assert_finalize_object (base);

  /* Dropped open, it closes its base too. */
  base = io_memory_stream_new (NULL, 0);
  filter = new_filter (PASS_TYPE_FILTER, base);
  g_assert_finalize_object (filter);
  g_assert_true (io_stream_is_closed (base));
  g_assert_finalize_object (base);
}

static void
test_close_base_false (void)
{
  IoStream *base = io_memory_stream_new (NULL, 0);
  IoStream *filter = g_object_new (PASS_TYPE_FILTER, "base-stream", base,
                                   "close-base", FALSE, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (io_stream_close (filter, &error));
  g_assert_false (io_stream_is_closed (base));
  g_assert_finalize_object (filter);

  filter = g_object_new (PASS_TYPE_FILTER, "base-stream", base, "close-base", FALSE, NULL);
  g_assert_finalize_object (filter);
  g_assert_false (io_stream_is_closed (base));
  g_assert_cmpint (io_stream_write (base, (const guint8 *) "ok", 2, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_finalize_object (base);
}

static void
test_detach (void)
{
  IoStream *base = io_memory_stream_new ((const guint8 *) "abc", 3);
  IoStream *filter = new_filter (PASS_TYPE_FILTER, base);
  g_autoptr(GError) error = NULL;
  IoStream *detached;
  guint8 byte;

  g_assert_cmpint (io_stream_read (filter, &byte, 1, &error), ==, 1);
  detached = io_filter_stream_detach (IO_FILTER_STREAM (filter), &error);
  g_assert_no_error (error);
  g_assert_true (detached == base);
  g_assert_false (io_stream_is_closed (base));
  g_assert_null (io_filter_stream_get_base_stream (IO_FILTER_STREAM (filter)));

  /* The filter is closed and says why. */
  g_assert_true (io_stream_is_closed (filter));
  g_assert_cmpint (io_stream_read (filter, &byte, 1, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_assert_cmpstr (error->message, ==, "raw stream has been detached");
  g_clear_error (&error);
  g_assert_null (io_filter_stream_detach (IO_FILTER_STREAM (filter), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);

  /* Closing or dropping it leaves the base alone. */
  g_assert_true (io_stream_close (filter, NULL));
  g_assert_finalize_object (filter);
  test_util_assert_read (base, -1, "bc");
  g_object_unref (detached);
  g_assert_finalize_object (base);
}

/* The capabilities are loaded on first use, which may come after detach():
 * the filter then answers as a closed stream, without touching a base it
 * no longer has. */
static void
test_capabilities_first_asked_after_detach (void)
{
  IoStream *base = io_memory_stream_new ((const guint8 *) "abc", 3);
  IoStream *filter = new_filter (PASS_TYPE_FILTER, base);
  g_autoptr(GError) error = NULL;
  IoStream *detached = io_filter_stream_detach (IO_FILTER_STREAM (filter), &error);

  g_assert_no_error (error);
  g_assert_false (io_stream_readable (filter, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_clear_error (&error);
  g_assert_cmpint (io_stream_write (filter, (const guint8 *) "x", 1, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_assert_finalize_object (filter);
  g_object_unref (detached);
  g_assert_finalize_object (base);
}

static void
test_detach_keeps_base_when_flush_fails (void)
{
  IoStream *base = io_memory_stream_new (NULL, 0);
  IoStream *filter = new_filter (UPPER_TYPE_FILTER, base);
  g_autoptr(GError) error = NULL;

  UPPER_FILTER (filter)->fail_flush = TRUE;
  g_assert_null (io_filter_stream_detach (IO_FILTER_STREAM (filter), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_clear_error (&error);
  g_assert_false (io_stream_is_closed (filter));
  g_assert_true (io_filter_stream_get_base_stream (IO_FILTER_STREAM (filter)) == base);

  /* close() reports the flush error and still closes the base. */
  g_assert_false (io_stream_close (filter, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_true (io_stream_is_closed (base));
  g_assert_finalize_object (filter);
  g_assert_finalize_object (base);
}

static void
test_base_errors_pass_unchanged (void)
{
  IoStream *base = io_memory_stream_new (NULL, 0);
  IoStream *filter = new_filter (PASS_TYPE_FILTER, base);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (io_stream_seek (filter, -1, IO_WHENCE_SET, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* The base closed under the filter: the filter's calls fail as the
   * base's do. */
  g_assert_true (io_stream_close (base, NULL));
  g_assert_cmpint (io_stream_tell (filter, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_clear_error (&error);
  g_assert_true (io_stream_close (filter, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (filter);
  g_assert_finalize_object (base);
}

static void
test_stacked_filters (void)
{
  IoStream *base = io_memory_stream_new ((const guint8 *) "deep", 4);
  IoStream *middle = new_filter (PASS_TYPE_FILTER, base);
  IoStream *top = new_filter (UPPER_TYPE_FILTER, middle);

  test_util_assert_read (top, -1, "DEEP");
  g_assert_true (io_stream_close (top, NULL));
  g_assert_true (io_stream_is_closed (middle));
  g_assert_true (io_stream_is_closed (base));
  g_assert_finalize_object (top);
  g_assert_finalize_object (middle);
  g_assert_finalize_object (base);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/FilterStream/properties", test_properties);
  g_test_add_func ("/FilterStream/forwards-operations", test_forwards_operations);
  g_test_add_func ("/FilterStream/forwards-capabilities-and-fileno",
                   test_forwards_capabilities_and_fileno);
  g_test_add_func ("/FilterStream/subclass-transforms", test_subclass_transforms);
  g_test_add_func ("/FilterStream/close-closes-base", test_close_closes_base);
  g_test_add_func ("/FilterStream/close-base-false", test_close_base_false);
  g_test_add_func ("/FilterStream/detach", test_detach);
  g_test_add_func ("/FilterStream/capabilities-first-asked-after-detach",
                   test_capabilities_first_asked_after_detach);
  g_test_add_func ("/FilterStream/detach-keeps-base-when-flush-fails",
                   test_detach_keeps_base_when_flush_fails);
  g_test_add_func ("/FilterStream/base-errors-pass-unchanged", test_base_errors_pass_unchanged);
  g_test_add_func ("/FilterStream/stacked", test_stacked_filters);

  return g_test_run ();
}
