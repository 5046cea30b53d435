/* test-util.h: helpers the C suites share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <pthread.h>

#include "libstream.h"

G_BEGIN_DECLS

/* Descriptors */

/* The number of open descriptors, from /proc/self/fd. */
guint     test_util_count_fds         (void);
/* Whether @fd is an open descriptor. */
gboolean  test_util_is_open           (int          fd);
/* Makes GLib open, once and for good, the descriptors it would otherwise
 * open on the first g_test_trap_subprocess() where it cannot watch the
 * child with a pidfd (under valgrind): its worker context, which waits for
 * SIGCHLD. Call it before the first test of a suite that counts
 * descriptors. */
void      test_util_settle_glib_fds   (void);

/* The message Python's str(OSError) prints; @quoted_filename is already
 * in repr() form, or NULL. */
char     *test_util_os_error_message  (int          errsv,
                                       const char  *quoted_filename);

/* Files */

/* A new temporary directory from @tmpl (as for g_dir_make_tmp()). */
char     *test_util_make_tmp_dir      (const char  *tmpl);
/* Removes the directory @path and everything below it. */
void      test_util_remove_tree       (const char  *path);
/* Replaces the file at @path by @len bytes of @content (-1: a string). */
void      test_util_write_file        (const char  *path,
                                       const char  *content,
                                       gssize       len);
/* The whole content of the file at @path, its length in @len. */
char     *test_util_read_file         (const char  *path,
                                       gsize       *len);

/* Streams */

/* A memory stream holding a copy of @text. */
IoStream *test_util_memory_stream_new (const char  *text);
/* Writes all of @text, in one call that must take it all. */
void      test_util_write_text        (IoStream    *stream,
                                       const char  *text);
/* Seeks and checks the new position. */
void      test_util_seek_to           (IoStream    *stream,
                                       gint64       offset,
                                       IoWhence     whence,
                                       gint64       expected);
/* Checks that @bytes is not NULL and holds @expected_len bytes of @expected. */
void      test_util_assert_bytes      (GBytes      *bytes,
                                       const char  *expected,
                                       gsize        expected_len);
/* Checks that a read of @size gives the text @expected. */
void      test_util_assert_read       (IoStream    *stream,
                                       gssize       size,
                                       const char  *expected);
/* Checks that reading to the end gives the text @expected. */
void      test_util_assert_read_all   (IoStream    *stream,
                                       const char  *expected);
/* Checks that @lines holds the NULL-terminated texts @expected, in order. */
void      test_util_assert_lines      (GPtrArray          *lines,
                                       const char * const *expected);
/* Closes and checks that it worked. */
void      test_util_close_ok          (IoStream    *stream);
/* A "notify" handler counting its calls in the guint at @user_data. */
void      test_util_count_notify      (GObject     *object,
                                       GParamSpec  *pspec,
                                       gpointer     user_data);

/* Callback backends */

/* Where a callback backend's seek of @offset from @whence lands, given its
 * @position and @size; past [0, @limit] it fails with @message. */
gint64    test_util_seek_position     (gint64       position,
                                       gint64       size,
                                       gint64       limit,
                                       gint64       offset,
                                       IoWhence     whence,
                                       const char  *message,
                                       GError     **error);

/* Threads: a gate that a backend call waits at, without a main loop.
 * pthread primitives, which ThreadSanitizer sees (GLib's futexes it
 * cannot). */
typedef struct
{
  pthread_mutex_t lock;
  pthread_cond_t cond;
  gboolean inside;
  gboolean open;
} TestUtilGate;

#define TEST_UTIL_GATE_INIT { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, FALSE, FALSE }

/* Called from inside a call: says so, then waits until the gate opens. */
void      test_util_gate_enter        (TestUtilGate *gate);
/* Waits until a call is inside the gate. */
void      test_util_gate_wait_inside  (TestUtilGate *gate);
/* Lets the call inside go on. */
void      test_util_gate_open         (TestUtilGate *gate);
/* Frees what the gate holds. */
void      test_util_gate_clear        (TestUtilGate *gate);
/* A thread that opens the gate 20 ms from now; join it. */
GThread  *test_util_gate_open_soon    (TestUtilGate *gate);
/* A thread that reads one byte with io_stream_read1(), which must give
 * one; join it. */
GThread  *test_util_read1_in_thread   (IoStream     *stream);

/* Drops *@result once it holds the last reference to its task, so that the
 * task, and the stream it holds, are let go in this thread: a GTask thread
 * drops its own reference a moment after the callback may have run, under
 * GLib's atomics, which ThreadSanitizer cannot see. Iterates the default
 * main context meanwhile. */
void      test_util_clear_result      (GAsyncResult **result);

/* Registration */

/* One test of a table: its path under the suite's prefix, and its
 * function and data, as for g_test_add(). */
typedef struct
{
  const char *path;
  GTestFixtureFunc func;
  gconstpointer data;
} TestUtilCase;

#define TEST_UTIL_CASE_DATA(path, func, data) \
  { (path), (GTestFixtureFunc) (void (*) (void)) (func), (data) }
#define TEST_UTIL_CASE(path, func) TEST_UTIL_CASE_DATA (path, func, NULL)

/* Adds each case of @cases as @prefix + its path, with a fixture of
 * @fixture_size made by @setup and @teardown. */
void      test_util_add_cases         (const char         *prefix,
                                       gsize               fixture_size,
                                       GTestFixtureFunc    setup,
                                       GTestFixtureFunc    teardown,
                                       const TestUtilCase *cases,
                                       gsize               n_cases);

/* Declares and defines TypeName, a final subclass of @ParentName
 * (@PARENT_TYPE) that adds and overrides nothing. */
#define TEST_UTIL_DEFINE_EMPTY_SUBCLASS(TypeName, type_name, MODULE, OBJ_NAME, ParentName, PARENT_TYPE) \
  G_DECLARE_FINAL_TYPE (TypeName, type_name, MODULE, OBJ_NAME, ParentName)                          \
  struct _##TypeName { ParentName parent_instance; };                                              \
  G_DEFINE_FINAL_TYPE (TypeName, type_name, PARENT_TYPE)                                           \
  static void type_name##_class_init (TypeName##Class *klass) { }                                  \
  static void type_name##_init (TypeName *self) { }

G_END_DECLS
