/* test-state-matrix.c: every public method in every stream state, from one table
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The rows of `matrix` are the public methods of IoStream and
 * IoMemoryStream, the columns the states a stream can be in; each cell is
 * the expected outcome. Every backend that can reach a state runs that
 * column: the memory stream, the callback backend, the file stream (on a
 * file, on the ends of a pipe and on a socket), the two ends of a pipe (and
 * a socket), a file stream wrapping a descriptor it does not own, a
 * pass-through filter over the callback backend, a fault stream over
 * memory (whose close can fail without a descriptor), and a converter
 * stream (in the states it can be in: it never seeks), an Io.GioStream
 * over GIO's file, memory and descriptor streams, and the four buffered
 * layers over callback backends (in the column that matches their
 * capabilities, and detached). Each cell gets a fresh stream holding
 * "ab\ncd\n" at position 0 (where it can hold anything), so one cell cannot
 * hide another.
 *
 * The second half is hostile input: offsets and sizes at the edges, NULL
 * and empty buffers, whence values no enum has, for every backend.
 */

#include <fcntl.h>
#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#include <glib/gstdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include "libstream.h"
#include "io-buffer-private.h"
#include "test-util.h"

#define CONTENT "ab\ncd\n"
#define CONTENT_LEN 6

typedef enum {
  STATE_OPEN,
  STATE_CLOSED,
  STATE_CLOSE_FAILED,   /* closed by a close() whose backend failed */
  STATE_EXPORTED,       /* a memory stream with a buffer export held */
  STATE_UNSEEKABLE,
  STATE_READ_ONLY,
  STATE_WRITE_ONLY,
  STATE_READER,         /* read-only and not seekable: a pipe's read end */
  STATE_WRITER,         /* write-only and not seekable: a pipe's write end */
  STATE_DETACHED,       /* a layer whose raw stream detach() gave back */
  N_STATES
} State;

static const char *state_names[N_STATES] = {
  "open", "closed", "close-failed", "exported", "unseekable", "read-only",
  "write-only", "reader", "writer", "detached",
};

/* Outcomes: a G_IO_ERROR code, or one of these. */
enum {
  T = 1000,   /* succeeds with TRUE, data, or a count or offset */
  F,          /* succeeds with FALSE, nothing, or 0 */
  FD,         /* succeeds on backends with a descriptor, else NOT_SUPPORTED */
  NA,         /* not applicable: the method does not exist for this state */
};

#define CL G_IO_ERROR_CLOSED
#define NS G_IO_ERROR_NOT_SUPPORTED
#define BZ G_IO_ERROR_BUSY

typedef enum {
  BACKEND_MEMORY,
  BACKEND_FUNCS,
  BACKEND_FILE,
  BACKEND_PIPE,
  BACKEND_FILE_FD,      /* a file stream wrapping a descriptor, closefd=FALSE */
  BACKEND_FAULT,        /* a fault stream over a memory stream */
  BACKEND_FILTER,       /* a pass-through filter over a callback stream */
  BACKEND_CONVERTER,    /* a converter stream (Latin-1 to UTF-8) over the callback backend */
  BACKEND_GIO,          /* an IoGioStream over GIO's streams */
  BACKEND_BUFFERED_READER,  /* the layers, over callback backends */
  BACKEND_BUFFERED_WRITER,
  BACKEND_BUFFERED_RANDOM,
  BACKEND_BUFFERED_RW_PAIR,
  N_BACKENDS
} Backend;

static const char *backend_names[N_BACKENDS] = {
  "memory", "funcs", "file", "pipe", "file-fd", "fault", "filter",
  "converter", "gio",
  "buffered-reader", "buffered-writer", "buffered-random", "buffered-rw-pair",
};

#define IS_BUFFERED(backend) ((backend) >= BACKEND_BUFFERED_READER)

typedef struct
{
  Backend backend;
  State state;
  IoStream *stream;
  IoStream *peer;   /* the other end of a pipe, kept open */
  int fd;           /* the descriptor a closefd=FALSE stream wraps, or -1 */
  char *dir;
  guint exports;
} Subject;

/* A method call: 1 for a true result, 0 for a false one, -1 on error. */
typedef int (*Call) (Subject *s, GError **error);

/* The helpers take @error by address: the call that sets it is an argument
 * too, and C leaves the order of evaluation open. */
static int
bool_result (gboolean   result,
             GError   **error)
{
  if (*error != NULL)
    {
      g_assert_false (result);
      return -1;
    }
  return result ? 1 : 0;
}

static int
size_result (gssize   n,
             GError **error)
{
  if (n < 0)
    {
      g_assert_nonnull (*error);
      return -1;
    }
  g_assert_null (*error);
  return n > 0 ? 1 : 0;
}

static int
bytes_result (GBytes  *bytes,
              GError **error)
{
  int result;

  if (bytes == NULL)
    {
      g_assert_nonnull (*error);
      return -1;
    }
  g_assert_null (*error);
  result = g_bytes_get_size (bytes) > 0 ? 1 : 0;
  g_bytes_unref (bytes);
  return result;
}

static int
array_result (guint8  *data,
              gsize    len,
              GError **error)
{
  if (data == NULL)
    {
      g_assert_nonnull (*error);
      g_assert_cmpuint (len, ==, 0);
      return -1;
    }
  g_assert_null (*error);
  g_free (data);
  return len > 0 ? 1 : 0;
}

#define CALL(name) static int call_##name (Subject *s, GError **error)

CALL (readable) { return bool_result (io_stream_readable (s->stream, error), error); }
CALL (writable) { return bool_result (io_stream_writable (s->stream, error), error); }
CALL (seekable) { return bool_result (io_stream_seekable (s->stream, error), error); }
CALL (is_closed) { return io_stream_is_closed (s->stream) ? 1 : 0; }
CALL (isatty) { return bool_result (io_stream_isatty (s->stream, error), error); }
CALL (fileno) { return size_result (io_stream_fileno (s->stream, error) >= 0 ? 1 : -1, error); }

CALL (read)
{
  guint8 buffer[4];

  return size_result (io_stream_read (s->stream, buffer, sizeof buffer, error), error);
}

CALL (read1)
{
  guint8 buffer[4];

  return size_result (io_stream_read1 (s->stream, buffer, sizeof buffer, error), error);
}

CALL (readinto_address)
{
  guint8 buffer[4];

  return size_result (io_stream_readinto_address (s->stream, (guintptr) buffer, sizeof buffer,
                                                  error), error);
}

CALL (readinto1_address)
{
  guint8 buffer[4];

  return size_result (io_stream_readinto1_address (s->stream, (guintptr) buffer, sizeof buffer,
                                                   error), error);
}

CALL (read_bytes) { return bytes_result (io_stream_read_bytes (s->stream, 4, error), error); }
CALL (read1_bytes) { return bytes_result (io_stream_read1_bytes (s->stream, -1, error), error); }
CALL (readall) { return bytes_result (io_stream_readall (s->stream, error), error); }
CALL (peek) { return bytes_result (io_stream_peek (s->stream, 1, error), error); }
CALL (readline) { return bytes_result (io_stream_readline (s->stream, -1, error), error); }

/* The readers that return an array, each with the size it is given. */
#define ARRAY_CALL(name, size) \
  CALL (name) \
  { \
    gsize len; \
    guint8 *data = io_stream_##name (s->stream, size, &len, error); \
    \
    return array_result (data, len, error); \
  }

ARRAY_CALL (read_array, -1)
ARRAY_CALL (read1_array, 4)
ARRAY_CALL (readline_array, 2)
ARRAY_CALL (readlines_joined, 0)

#undef ARRAY_CALL

CALL (readlines)
{
  GPtrArray *lines = io_stream_readlines (s->stream, -1, error);
  int result;

  if (lines == NULL)
    {
      g_assert_nonnull (*error);
      return -1;
    }
  g_assert_null (*error);
  result = lines->len > 0 ? 1 : 0;
  g_ptr_array_unref (lines);
  return result;
}

CALL (write)
{
  gssize n = io_stream_write (s->stream, (const guint8 *) "xy", 2, error);

  g_assert_true (n == -1 || n == 2);
  return size_result (n, error);
}

CALL (write_bytes)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static ("xyz", 3);
  gssize n = io_stream_write_bytes (s->stream, bytes, error);

  g_assert_true (n == -1 || n == 3);
  return size_result (n, error);
}

CALL (write_all)
{
  gsize written = 99;
  gboolean ok = io_stream_write_all (s->stream, (const guint8 *) "xy", 2, &written, error);

  g_assert_cmpuint (written, ==, ok ? 2 : 0);
  return bool_result (ok, error);
}

CALL (write_all_bytes)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static ("xyz", 3);
  gsize written = 99;
  gboolean ok = io_stream_write_all_bytes (s->stream, bytes, &written, error);

  g_assert_cmpuint (written, ==, ok ? 3 : 0);
  return bool_result (ok, error);
}

CALL (writelines_all)
{
  GBytes *lines[2] = { g_bytes_new_static ("x\n", 2), g_bytes_new_static ("y", 1) };
  gsize n_lines = 99, written = 99;
  gboolean ok = io_stream_writelines_all (s->stream, lines, G_N_ELEMENTS (lines), &n_lines,
                                          &written, error);

  g_assert_cmpuint (n_lines, ==, ok ? 2 : 0);
  g_assert_cmpuint (written, ==, 0);
  g_bytes_unref (lines[0]);
  g_bytes_unref (lines[1]);
  return bool_result (ok, error);
}

CALL (writelines)
{
  GBytes *lines[2] = { g_bytes_new_static ("x\n", 2), g_bytes_new_static ("y", 1) };
  gboolean ok = io_stream_writelines (s->stream, lines, G_N_ELEMENTS (lines), error);

  g_bytes_unref (lines[0]);
  g_bytes_unref (lines[1]);
  return bool_result (ok, error);
}

CALL (flush) { return bool_result (io_stream_flush (s->stream, error), error); }

CALL (seek)
{
  gint64 position = io_stream_seek (s->stream, 1, IO_WHENCE_SET, error);

  g_assert_true (position == -1 || position == 1);
  return size_result (position, error);
}

CALL (tell)
{
  gint64 position = io_stream_tell (s->stream, error);

  g_assert_true (position == -1 || position == 0);
  return position == 0 ? 1 : size_result (position, error);
}

CALL (truncate)
{
  gint64 size = io_stream_truncate (s->stream, 3, error);

  g_assert_true (size == -1 || size == 3);
  return size_result (size, error);
}

CALL (close)
{
  gboolean ok = io_stream_close (s->stream, error);

  /* Only a refused close (BUSY) leaves the stream open. */
  g_assert_true (io_stream_is_closed (s->stream) ==
                 !g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_BUSY));
  return bool_result (ok, error);
}

/* The asynchronous methods: the same outcome as their synchronous twins,
 * the result taken in the default main context. */
static void
async_done (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static GAsyncResult *
async_wait (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

typedef GAsyncResult *AsyncSlot;
/* A weak pointer on the task would not do: it is cleared at the task's
 * dispose, before the task lets go of the stream. */
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AsyncSlot, test_util_clear_result)

/* @args: the operation's arguments before io_priority, each followed by a
 * comma. */
#define ASYNC_CALL(name, result, ...)                                          \
  CALL (name##_async)                                                          \
  {                                                                            \
    g_auto (AsyncSlot) done = NULL;                                       \
                                                                               \
    io_stream_##name##_async (s->stream, __VA_ARGS__ G_PRIORITY_DEFAULT, NULL, \
                              async_done, &done);                              \
    return result (io_stream_##name##_finish (s->stream, async_wait (&done),   \
                                              error), error);                  \
  }

ASYNC_CALL (read_bytes, bytes_result, 4,)
ASYNC_CALL (read1_bytes, bytes_result, -1,)
ASYNC_CALL (readall, bytes_result)
ASYNC_CALL (readline, bytes_result, -1,)
ASYNC_CALL (flush, bool_result)

CALL (write_bytes_async)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static ("xyz", 3);
  g_auto (AsyncSlot) done = NULL;
  gssize n;

  io_stream_write_bytes_async (s->stream, bytes, G_PRIORITY_DEFAULT, NULL, async_done, &done);
  n = io_stream_write_bytes_finish (s->stream, async_wait (&done), error);
  g_assert_true (n == -1 || n == 3);
  return size_result (n, error);
}

CALL (write_all_async)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static ("xyz", 3);
  g_auto (AsyncSlot) done = NULL;
  gsize written = 99;
  gboolean ok;

  io_stream_write_all_async (s->stream, bytes, G_PRIORITY_DEFAULT, NULL, async_done, &done);
  ok = io_stream_write_all_finish (s->stream, async_wait (&done), &written, error);
  g_assert_cmpuint (written, ==, ok ? 3 : 0);
  return bool_result (ok, error);
}

CALL (close_async)
{
  g_auto (AsyncSlot) done = NULL;
  gboolean ok;

  io_stream_close_async (s->stream, G_PRIORITY_DEFAULT, NULL, async_done, &done);
  ok = io_stream_close_finish (s->stream, async_wait (&done), error);
  g_assert_true (io_stream_is_closed (s->stream) ==
                 !g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_BUSY));
  return bool_result (ok, error);
}

CALL (readline_into)
{
  g_autofree guint8 *line = NULL;
  gsize capacity = 0;
  gssize n = io_stream_readline_into (s->stream, -1, &line, &capacity, error);

  g_assert_true (n < 0 || line[n] == '\0');
  return size_result (n, error);
}

CALL (getc)
{
  int c = io_stream_getc (s->stream, error);

  if (c >= 0)
    {
      g_assert_null (*error);
      g_assert_cmpint (c, ==, CONTENT[0]);
      return 1;
    }
  return *error != NULL ? -1 : 0;
}

CALL (write_address)
{
  gssize n = io_stream_write_address (s->stream, (guintptr) "xy", 2, error);

  g_assert_true (n == -1 || n == 2);
  return size_result (n, error);
}

CALL (file_get_name)
{
  const char *name = io_file_stream_get_name (IO_FILE_STREAM (s->stream));

  g_assert_true (g_str_has_prefix (name, s->dir));
  return 1;
}

CALL (file_get_mode)
{
  return io_file_stream_get_mode (IO_FILE_STREAM (s->stream))[0] != '\0';
}

CALL (file_get_closefd)
{
  return io_file_stream_get_closefd (IO_FILE_STREAM (s->stream)) ? 1 : 0;
}

/* IoFdStream's getters, on every descriptor backend: -1 once closed. */
CALL (fd_get_fd)
{
  int fd = io_fd_stream_get_fd (IO_FD_STREAM (s->stream));

  g_assert_true (fd == -1 || fd == io_stream_fileno (s->stream, NULL));
  return fd >= 0;
}

CALL (fd_get_mode)
{
  const char *mode = io_fd_stream_get_mode (IO_FD_STREAM (s->stream));

  return mode[0] != '\0' && mode[1] == 'b';
}

CALL (fd_get_closefd)
{
  gboolean closefd = io_fd_stream_get_closefd (IO_FD_STREAM (s->stream));

  return !closefd == (s->backend == BACKEND_FILE_FD);
}

CALL (pipe_get_mode)
{
  const char *mode = io_pipe_stream_get_mode (IO_PIPE_STREAM (s->stream));

  g_assert_cmpstr (mode, ==, s->state == STATE_WRITER ? "wb" : "rb");
  return 1;
}

CALL (pipe_get_closefd)
{
  return io_pipe_stream_get_closefd (IO_PIPE_STREAM (s->stream)) ? 1 : 0;
}

CALL (pipe_get_nonblocking)
{
  return io_pipe_stream_get_nonblocking (IO_PIPE_STREAM (s->stream)) ? 1 : 0;
}

CALL (pipe_set_nonblocking)
{
  if (!io_pipe_stream_set_nonblocking (IO_PIPE_STREAM (s->stream), TRUE, error))
    return bool_result (FALSE, error);
  g_assert_true (io_pipe_stream_get_nonblocking (IO_PIPE_STREAM (s->stream)));
  return bool_result (io_pipe_stream_set_nonblocking (IO_PIPE_STREAM (s->stream), FALSE, error),
                      error);
}

CALL (get_value)
{
  return bytes_result (io_memory_stream_get_value (IO_MEMORY_STREAM (s->stream), error), error);
}

CALL (acquire_buffer)
{
  guint8 *data = NULL;
  gsize len = 0;

  if (!io_memory_stream_acquire_buffer (IO_MEMORY_STREAM (s->stream), &data, &len, error))
    {
      g_assert_null (data);
      return -1;
    }
  g_assert_cmpmem (data, len, CONTENT, CONTENT_LEN);
  s->exports++;
  return 1;
}

CALL (acquire_buffer_address)
{
  gsize len = 0;
  guintptr address = io_memory_stream_acquire_buffer_address (IO_MEMORY_STREAM (s->stream),
                                                              &len, error);

  if (*error != NULL)
    {
      g_assert_cmpuint (address, ==, 0);
      return -1;
    }
  g_assert_cmpmem ((const guint8 *) address, len, CONTENT, CONTENT_LEN);
  s->exports++;
  return 1;
}

CALL (release_buffer)
{
  io_memory_stream_release_buffer (IO_MEMORY_STREAM (s->stream));
  s->exports--;
  /* The export lock is gone: a write works again. */
  return size_result (io_stream_write (s->stream, (const guint8 *) "z", 1, error), error);
}

CALL (reset)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (CONTENT, CONTENT_LEN);

  return bool_result (io_memory_stream_reset (IO_MEMORY_STREAM (s->stream), bytes, error),
                      error);
}

CALL (get_exports)
{
  return io_memory_stream_get_exports (IO_MEMORY_STREAM (s->stream)) > 0 ? 1 : 0;
}

CALL (detach)
{
  g_autoptr(IoStream) raw = io_filter_stream_detach (IO_FILTER_STREAM (s->stream), error);

  if (raw == NULL)
    return -1;
  g_assert_false (io_stream_is_closed (raw));
  return 1;
}

CALL (buffered_get_raw)
{
  IoStream *raw = IO_IS_BUFFERED_RW_PAIR (s->stream)
    ? io_buffered_rw_pair_get_reader (IO_BUFFERED_RW_PAIR (s->stream))
    : io_filter_stream_get_base_stream (IO_FILTER_STREAM (s->stream));
  IoStream *got = NULL;

  g_object_get (s->stream, IO_IS_BUFFERED_RW_PAIR (s->stream) ? "reader" : "raw", &got, NULL);
  g_assert_true (got == raw);
  g_clear_object (&got);
  return raw != NULL ? 1 : 0;
}

CALL (buffer_size)
{
  guint64 size = 0;

  g_object_get (s->stream, "buffer-size", &size, NULL);
  g_assert_cmpuint (size, ==, 4);
  return 1;
}

typedef struct
{
  const char *name;
  Call call;
  /* The backend whose own method this is, FD_ for IoFdStream's, or ALL
   * for IoStream's. */
  Backend only;
  int expect[N_STATES];
} Row;

#define ALL N_BACKENDS
#define MEMORY BACKEND_MEMORY
#define FILE_ BACKEND_FILE
#define PIPE BACKEND_PIPE
#define FD_ (N_BACKENDS + 1)
#define LAYERS_ (N_BACKENDS + 2)

#define READS { T, CL, CL, T, T, T, NS, T, NS, CL }
#define WRITES { T, CL, CL, BZ, T, NS, T, NS, T, CL }

/* The table: one row per public method, one column per State. A row
 * limited to one backend is that backend's own method. */
static const Row matrix[] = {
#define ROW(name, only, ...) { #name, call_##name, only, __VA_ARGS__ }
  /*                                open closed c-fail export unseek r-only w-only reader writer detach */
  ROW (readable, ALL,                   { T,  CL, CL, T,  T,  T,  F,  T,  F,  CL }),
  ROW (writable, ALL,                   { T,  CL, CL, T,  T,  F,  T,  F,  T,  CL }),
  ROW (seekable, ALL,                   { T,  CL, CL, T,  F,  T,  T,  F,  F,  CL }),
  ROW (is_closed, ALL,                  { F,  T,  T,  F,  F,  F,  F,  F,  F,  T }),
  ROW (isatty, ALL,                     { F,  CL, CL, F,  F,  F,  F,  F,  F,  CL }),
  ROW (fileno, ALL,                     { FD, CL, CL, FD, FD, FD, FD, FD, FD, CL }),
  ROW (read, ALL,                       READS),
  ROW (read1, ALL,                      READS),
  ROW (readinto_address, ALL,           READS),
  ROW (readinto1_address, ALL,          READS),
  ROW (read_bytes, ALL,                 READS),
  ROW (read_array, ALL,                 READS),
  ROW (read1_bytes, ALL,                READS),
  ROW (read1_array, ALL,                READS),
  ROW (readall, ALL,                    READS),
  ROW (getc, ALL,                       READS),
  ROW (peek, ALL,                       { T,  CL, CL, T,  NS, T,  NS, NS, NS, CL }),
  ROW (readline, ALL,                   READS),
  ROW (readline_array, ALL,             READS),
  ROW (readline_into, ALL,              READS),
  ROW (readlines, ALL,                  READS),
  ROW (readlines_joined, ALL,           READS),
  ROW (write, ALL,                      WRITES),
  ROW (write_bytes, ALL,                WRITES),
  ROW (write_address, ALL,              WRITES),
  ROW (writelines, ALL,                 WRITES),
  ROW (write_all, ALL,                  WRITES),
  ROW (write_all_bytes, ALL,            WRITES),
  ROW (writelines_all, ALL,             WRITES),
  ROW (flush, ALL,                      { T,  CL, CL, T,  T,  T,  T,  T,  T,  CL }),
  ROW (seek, ALL,                       { T,  CL, CL, T,  NS, T,  T,  NS, NS, CL }),
  ROW (tell, ALL,                       { T,  CL, CL, T,  NS, T,  T,  NS, NS, CL }),
  ROW (truncate, ALL,                   { T,  CL, CL, BZ, NS, NS, T,  NS, NS, CL }),
  ROW (close, ALL,                      { T,  T,  T,  BZ, T,  T,  T,  T,  T,  T }),
  ROW (read_bytes_async, ALL,           READS),
  ROW (read1_bytes_async, ALL,          READS),
  ROW (readall_async, ALL,              READS),
  ROW (readline_async, ALL,             READS),
  ROW (write_bytes_async, ALL,          WRITES),
  ROW (write_all_async, ALL,            WRITES),
  ROW (flush_async, ALL,                { T,  CL, CL, T,  T,  T,  T,  T,  T,  CL }),
  ROW (close_async, ALL,                { T,  T,  T,  BZ, T,  T,  T,  T,  T,  T }),
  ROW (get_value, MEMORY,               { T,  CL, NA, T,  NA, NA, NA, NA, NA, NA }),
  ROW (acquire_buffer, MEMORY,          { T,  CL, NA, T,  NA, NA, NA, NA, NA, NA }),
  ROW (acquire_buffer_address, MEMORY,  { T,  CL, NA, T,  NA, NA, NA, NA, NA, NA }),
  ROW (release_buffer, MEMORY,          { NA, NA, NA, T,  NA, NA, NA, NA, NA, NA }),
  ROW (get_exports, MEMORY,             { F,  F,  NA, T,  NA, NA, NA, NA, NA, NA }),
  ROW (reset, MEMORY,                   { T,  CL, NA, BZ, NA, NA, NA, NA, NA, NA }),
  ROW (file_get_name, FILE_,            { T,  T,  T,  NA, NA, T,  T,  NA, NA, NA }),
  ROW (file_get_mode, FILE_,            { T,  T,  T,  NA, NA, T,  T,  NA, NA, NA }),
  ROW (file_get_closefd, FILE_,         { T,  T,  T,  NA, NA, T,  T,  NA, NA, NA }),
  ROW (fd_get_fd, FD_,                  { T,  F,  F,  NA, NA, T,  T,  T,  T,  NA }),
  ROW (fd_get_mode, FD_,                { T,  T,  T,  NA, NA, T,  T,  T,  T,  NA }),
  ROW (fd_get_closefd, FD_,             { T,  T,  T,  NA, NA, T,  T,  T,  T,  NA }),
  ROW (pipe_get_mode, PIPE,             { NA, T,  NA, NA, NA, NA, NA, T,  T,  NA }),
  ROW (pipe_get_closefd, PIPE,          { NA, T,  NA, NA, NA, NA, NA, T,  T,  NA }),
  ROW (pipe_get_nonblocking, PIPE,      { NA, F,  NA, NA, NA, NA, NA, F,  F,  NA }),
  ROW (detach, LAYERS_,                 { T,  CL, CL, NA, T,  T,  T,  NA, NA, CL }),
  ROW (buffered_get_raw, LAYERS_,       { T,  T,  T,  NA, T,  T,  T,  NA, NA, F  }),
  ROW (buffer_size, LAYERS_,            { T,  T,  T,  NA, T,  T,  T,  NA, NA, T  }),
  ROW (pipe_set_nonblocking, PIPE,      { NA, CL, NA, NA, NA, NA, NA, T,  T,  NA }),
#undef ROW
};

/* The callback backend: a buffer with a position, and a close that may
 * fail. */
typedef struct
{
  GByteArray *data;
  gsize position;
  gboolean fail_close;
} FuncsBuffer;

static gssize
funcs_read (gpointer  user_data,
            guint8   *buffer,
            gsize     count,
            GError  **error)
{
  FuncsBuffer *b = user_data;
  gsize n = b->position < b->data->len ? MIN (count, b->data->len - b->position) : 0;

  if (n > 0)
    memcpy (buffer, b->data->data + b->position, n);
  b->position += n;
  return (gssize) n;
}

static gssize
funcs_write (gpointer       user_data,
             const guint8  *buffer,
             gsize          count,
             GError       **error)
{
  FuncsBuffer *b = user_data;

  if (b->position + count > b->data->len)
    g_byte_array_set_size (b->data, (guint) (b->position + count));
  if (count > 0)
    memcpy (b->data->data + b->position, buffer, count);
  b->position += count;
  return (gssize) count;
}

static gint64
funcs_seek (gpointer   user_data,
            gint64     offset,
            IoWhence   whence,
            GError   **error)
{
  FuncsBuffer *b = user_data;
  gint64 to = test_util_seek_position ((gint64) b->position, (gint64) b->data->len, G_MAXINT32,
                                       offset, whence, "Invalid argument", error);

  if (to >= 0)
    b->position = (gsize) to;
  return to;
}

static gint64
funcs_truncate (gpointer   user_data,
                gint64     size,
                GError   **error)
{
  FuncsBuffer *b = user_data;

  if (size > G_MAXINT32)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "File too large");
      return -1;
    }
  g_byte_array_set_size (b->data, (guint) size);
  return size;
}

static gboolean
funcs_close (gpointer   user_data,
             GError   **error)
{
  FuncsBuffer *b = user_data;

  if (b->fail_close)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "injected close failure");
      return FALSE;
    }
  return TRUE;
}

static void
funcs_buffer_free (gpointer user_data)
{
  FuncsBuffer *b = user_data;

  g_byte_array_unref (b->data);
  g_free (b);
}

static IoStream *
new_funcs_stream (gboolean can_read,
                  gboolean can_write,
                  gboolean can_seek,
                  gboolean fail_close)
{
  IoStreamFuncs funcs = { sizeof (IoStreamFuncs), };
  FuncsBuffer *b = g_new0 (FuncsBuffer, 1);

  b->data = g_byte_array_new ();
  g_byte_array_append (b->data, (const guint8 *) CONTENT, CONTENT_LEN);
  b->fail_close = fail_close;
  funcs.read = can_read ? funcs_read : NULL;
  funcs.write = can_write ? funcs_write : NULL;
  funcs.seek = can_seek ? funcs_seek : NULL;
  funcs.truncate = funcs_truncate;
  funcs.close = funcs_close;
  return io_stream_new_from_funcs (&funcs, b, funcs_buffer_free);
}

/* A callback stream that can do what @state says. */
static IoStream *
new_funcs_stream_for (State state)
{
  return new_funcs_stream (state != STATE_WRITE_ONLY && state != STATE_WRITER,
                           state != STATE_READ_ONLY && state != STATE_READER,
                           state != STATE_UNSEEKABLE && state != STATE_READER &&
                           state != STATE_WRITER,
                           state == STATE_CLOSE_FAILED);
}

static IoStream *
new_file_stream (Subject    *s,
                 const char *mode)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  IoStream *stream;

  s->dir = test_util_make_tmp_dir ("io-state-matrix-XXXXXX");
  path = g_build_filename (s->dir, "file", NULL);
  test_util_write_file (path, CONTENT, CONTENT_LEN);
  stream = io_file_stream_new (path, mode, &error);
  g_assert_no_error (error);
  return stream;
}

/* A pipe for a reader or writer @state: the end @state names, and in
 * @peer the other, kept open for a writer; a reader gets the content and
 * then the end of the stream, so that no read blocks. */
static int
new_pipe_end (State      state,
              IoStream **peer)
{
  g_autoptr(GError) error = NULL;
  const char content[] = CONTENT;
  int fds[2];

  g_assert_no_errno (pipe (fds));
  if (state == STATE_WRITER)
    {
      *peer = io_pipe_stream_new_for_fd (fds[0], "rb", TRUE, &error);
      g_assert_no_error (error);
      return fds[1];
    }
  g_assert_cmpint (write (fds[1], content, CONTENT_LEN), ==, CONTENT_LEN);
  g_assert_no_errno (close (fds[1]));
  return fds[0];
}

/* For the unseekable state, where a stream both reads and writes: one end
 * of a socket pair, and in @peer the other, which has sent the content and
 * shut down its sending side, so that no read blocks. */
static int
new_socket_end (IoStream **peer)
{
  g_autoptr(GError) error = NULL;
  int fds[2];

  g_assert_no_errno (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds));
  g_assert_cmpint (write (fds[1], CONTENT, CONTENT_LEN), ==, CONTENT_LEN);
  g_assert_no_errno (shutdown (fds[1], SHUT_WR));
  *peer = io_file_stream_new_for_fd (fds[1], "r+b", TRUE, &error);
  g_assert_no_error (error);
  return fds[0];
}

/* A pass-through filter, to run the base class's forwarding. */
TEST_UTIL_DEFINE_EMPTY_SUBCLASS (MatrixFilter, matrix_filter, MATRIX, FILTER,
                                 IoFilterStream, IO_TYPE_FILTER_STREAM)

/* A stream for a file or pipe descriptor @fd, in @mode. */
static IoStream *
new_fd_file_stream (int         fd,
                    const char *mode,
                    gboolean    closefd)
{
  g_autoptr(GError) error = NULL;
  IoStream *stream = io_file_stream_new_for_fd (fd, mode, closefd, &error);

  g_assert_no_error (error);
  return stream;
}

/* Whether @backend's streams stand on a descriptor of their own. */
static gboolean
backend_has_fd (Backend backend)
{
  return backend == BACKEND_FILE || backend == BACKEND_PIPE || backend == BACKEND_FILE_FD;
}

/* A converter stream over a callback backend for @state (which only says
 * which ways it goes: it never seeks), converting the ASCII content from
 * Latin-1 to UTF-8, which leaves it as it is. */
static IoStream *
new_converter_stream (State state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCharsetConverter) converter = g_charset_converter_new ("UTF-8", "ISO-8859-1",
                                                                    &error);
  g_autoptr(IoStream) base = new_funcs_stream (state != STATE_WRITER, state != STATE_READER,
                                               FALSE, state == STATE_CLOSE_FAILED);

  g_assert_no_error (error);
  return io_converter_stream_new (base, G_CONVERTER (converter));
}

/* The column each layer's open state is in: its capabilities. */
static const State layer_open_state[] = {
  [BACKEND_BUFFERED_READER] = STATE_READ_ONLY,
  [BACKEND_BUFFERED_WRITER] = STATE_WRITE_ONLY,
  [BACKEND_BUFFERED_RANDOM] = STATE_OPEN,
  [BACKEND_BUFFERED_RW_PAIR] = STATE_UNSEEKABLE,
};

/* A layer with a buffer of 4 over callback backends, in the open state of
 * its capabilities, closed, closed by a failing raw close, or detached. */
static gboolean
layer_init (Subject *s,
            Backend  backend,
            State    state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IoStream) raw = NULL;
  gboolean fail_close = state == STATE_CLOSE_FAILED;

  if (state != layer_open_state[backend] && state != STATE_CLOSED &&
      state != STATE_CLOSE_FAILED && state != STATE_DETACHED)
    return FALSE;

  raw = new_funcs_stream (TRUE, TRUE, TRUE, fail_close);
  switch (backend)
    {
    case BACKEND_BUFFERED_READER:
      s->stream = io_buffered_reader_new (raw, 4, &error);
      break;

    case BACKEND_BUFFERED_WRITER:
      s->stream = io_buffered_writer_new (raw, 4, &error);
      break;

    case BACKEND_BUFFERED_RANDOM:
      s->stream = io_buffered_random_new (raw, 4, &error);
      break;

    default:
      {
        g_autoptr(IoStream) writer = new_funcs_stream (FALSE, TRUE, FALSE, fail_close);

        s->stream = io_buffered_rw_pair_new (raw, writer, 4, &error);
      }
    }
  g_assert_no_error (error);
  return TRUE;
}

/* An IoGioStream for @state: GIO's streams on a file holding the content
 * (r+, r or w), memory streams in a GSimpleIOStream (not seekable), or the
 * ends of a pipe. */
static IoStream *
new_gio_stream (Subject *s,
                State    state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GObject) gio = NULL;
  g_autofree char *path = NULL;
  IoStream *stream;

  if (state == STATE_READER || state == STATE_WRITER)
    {
      int fd = new_pipe_end (state, &s->peer);

      if (state == STATE_READER)
        gio = G_OBJECT (g_unix_input_stream_new (fd, TRUE));
      else
        gio = G_OBJECT (g_unix_output_stream_new (fd, TRUE));
      return state == STATE_READER ? io_stream_new_for_input_stream (G_INPUT_STREAM (gio)) :
                                     io_stream_new_for_output_stream (G_OUTPUT_STREAM (gio));
    }
  if (state == STATE_UNSEEKABLE)
    {
      g_autoptr(GInputStream) input =
        g_memory_input_stream_new_from_data (CONTENT, CONTENT_LEN, NULL);
      g_autoptr(GOutputStream) output = g_memory_output_stream_new_resizable ();

      gio = G_OBJECT (g_simple_io_stream_new (input, output));
      return io_stream_new_for_io_stream (G_IO_STREAM (gio));
    }

  s->dir = test_util_make_tmp_dir ("io-state-matrix-XXXXXX");
  path = g_build_filename (s->dir, "file", NULL);
  test_util_write_file (path, CONTENT, CONTENT_LEN);
  file = g_file_new_for_path (path);
  if (state == STATE_READ_ONLY)
    gio = G_OBJECT (g_file_read (file, NULL, &error));
  else if (state == STATE_WRITE_ONLY)
    gio = G_OBJECT (g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error));
  else
    gio = G_OBJECT (g_file_open_readwrite (file, NULL, &error));
  g_assert_no_error (error);
  if (state == STATE_READ_ONLY)
    stream = io_stream_new_for_input_stream (G_INPUT_STREAM (gio));
  else if (state == STATE_WRITE_ONLY)
    stream = io_stream_new_for_output_stream (G_OUTPUT_STREAM (gio));
  else
    stream = io_stream_new_for_io_stream (G_IO_STREAM (gio));
  return stream;
}

/* Whether @backend can be put in @state, and if so does it. */
static gboolean
subject_init (Subject *s,
              Backend  backend,
              State    state)
{
  g_autoptr(GError) error = NULL;
  IoStream *reader = NULL;
  IoStream *writer = NULL;

  memset (s, 0, sizeof *s);
  s->backend = backend;
  s->state = state;
  s->fd = -1;
  if (state == STATE_DETACHED && !IS_BUFFERED (backend))
    return FALSE;

  switch (backend)
    {
    case BACKEND_MEMORY:
      if (state != STATE_OPEN && state != STATE_CLOSED && state != STATE_EXPORTED)
        return FALSE;
      s->stream = io_memory_stream_new ((const guint8 *) CONTENT, CONTENT_LEN);
      if (state == STATE_EXPORTED)
        {
          guint8 *data;
          gsize len;

          g_assert_true (io_memory_stream_acquire_buffer (IO_MEMORY_STREAM (s->stream), &data,
                                                          &len, &error));
          g_assert_no_error (error);
          s->exports = 1;
        }
      break;

    case BACKEND_FUNCS:
      if (state == STATE_EXPORTED)
        return FALSE;
      s->stream = new_funcs_stream_for (state);
      break;

    case BACKEND_FILE:
      if (state == STATE_OPEN || state == STATE_CLOSED)
        s->stream = new_file_stream (s, "r+");
      else if (state == STATE_READ_ONLY)
        s->stream = new_file_stream (s, "r");
      else if (state == STATE_WRITE_ONLY)
        s->stream = new_file_stream (s, "w");
      else if (state == STATE_CLOSE_FAILED)
        s->stream = new_file_stream (s, "r+");
      else if (state == STATE_READER || state == STATE_WRITER)
        s->stream = new_fd_file_stream (new_pipe_end (state, &s->peer),
                                        state == STATE_READER ? "rb" : "wb", TRUE);
      else if (state == STATE_UNSEEKABLE)
        s->stream = new_fd_file_stream (new_socket_end (&s->peer), "r+b", TRUE);
      else
        return FALSE;
      break;

    case BACKEND_FILE_FD:
      if (state == STATE_READER || state == STATE_WRITER)
        {
          s->fd = new_pipe_end (state, &s->peer);
          s->stream = new_fd_file_stream (s->fd, state == STATE_READER ? "rb" : "wb", FALSE);
        }
      else if (state == STATE_UNSEEKABLE)
        {
          s->fd = new_socket_end (&s->peer);
          s->stream = new_fd_file_stream (s->fd, "r+b", FALSE);
        }
      else if (state == STATE_OPEN || state == STATE_CLOSED || state == STATE_READ_ONLY ||
               state == STATE_WRITE_ONLY)
        {
          const char *mode = state == STATE_READ_ONLY ? "r" : state == STATE_WRITE_ONLY ? "w" : "r+";
          IoStream *owner = new_file_stream (s, mode);

          /* The descriptor outlives the stream, which must leave it open. */
          s->fd = dup (io_stream_fileno (owner, &error));
          g_assert_cmpint (s->fd, >=, 0);
          g_assert_finalize_object (owner);
          s->stream = new_fd_file_stream (s->fd, mode, FALSE);
        }
      else
        return FALSE;
      break;

    case BACKEND_PIPE:
      if (state == STATE_CLOSE_FAILED)
        {
          s->stream = io_pipe_stream_new_for_fd (new_pipe_end (STATE_READER, NULL), "rb", TRUE,
                                                 &error);
          g_assert_no_error (error);
          break;
        }
      if (state == STATE_UNSEEKABLE)
        {
          s->stream = io_pipe_stream_new_for_fd (new_socket_end (&s->peer), "r+b", TRUE, &error);
          g_assert_no_error (error);
          break;
        }
      if (state != STATE_READER && state != STATE_WRITER && state != STATE_CLOSED)
        return FALSE;
      g_assert_true (io_pipe_stream_new_pair (&reader, &writer, &error));
      g_assert_no_error (error);
      if (state == STATE_WRITER)
        {
          s->stream = writer;
          s->peer = reader;
        }
      else
        {
          /* The content, then the end of the stream: no read blocks. */
          g_assert_cmpint (io_stream_write (writer, (const guint8 *) CONTENT, CONTENT_LEN,
                                            &error), ==, CONTENT_LEN);
          g_assert_no_error (error);
          g_assert_true (io_stream_close (writer, &error));
          g_assert_no_error (error);
          g_object_unref (writer);
          s->stream = reader;
        }
      break;

    case BACKEND_FAULT:
      if (state != STATE_OPEN && state != STATE_CLOSED && state != STATE_CLOSE_FAILED)
        return FALSE;
      {
        g_autoptr(IoStream) base = io_memory_stream_new ((const guint8 *) CONTENT, CONTENT_LEN);

        s->stream = io_fault_stream_new (base);
      }
      if (state == STATE_CLOSE_FAILED)
        io_fault_stream_add_fault (IO_FAULT_STREAM (s->stream), IO_FAULT_OP_CLOSE,
                                   IO_FAULT_KIND_FAIL, 0, -1, 0, 1);
      break;

    case BACKEND_FILTER:
      if (state == STATE_EXPORTED)
        return FALSE;
      {
        g_autoptr(IoStream) base = new_funcs_stream_for (state);

        s->stream = g_object_new (matrix_filter_get_type (), "base-stream", base, NULL);
      }
      break;

    case BACKEND_CONVERTER:
      /* Never seekable: only the states without seeks. */
      if (state != STATE_CLOSED && state != STATE_CLOSE_FAILED && state != STATE_UNSEEKABLE &&
          state != STATE_READER && state != STATE_WRITER)
        return FALSE;
      s->stream = new_converter_stream (state);
      break;

    case BACKEND_GIO:
      if (state == STATE_CLOSE_FAILED || state == STATE_EXPORTED)
        return FALSE;
      s->stream = new_gio_stream (s, state);
      break;

    case BACKEND_BUFFERED_READER:
    case BACKEND_BUFFERED_WRITER:
    case BACKEND_BUFFERED_RANDOM:
    case BACKEND_BUFFERED_RW_PAIR:
      if (!layer_init (s, backend, state))
        return FALSE;
      break;

    case N_BACKENDS:
    default:
      g_assert_not_reached ();
    }

  if (state == STATE_CLOSED)
    {
      g_assert_true (io_stream_close (s->stream, &error));
      g_assert_no_error (error);
    }
  else if (state == STATE_CLOSE_FAILED)
    {
      /* A descriptor backend's descriptor is closed behind its back, so
       * that its close() fails with EBADF. */
      gboolean has_fd = backend_has_fd (backend);

      if (has_fd)
        g_assert_no_errno (close (io_stream_fileno (s->stream, &error)));
      g_assert_no_error (error);
      g_assert_false (io_stream_close (s->stream, &error));
      if (!has_fd)
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
      g_assert_nonnull (error);
      g_assert_true (error->domain == G_IO_ERROR);
      g_assert_true (io_stream_is_closed (s->stream));
    }
  else if (state == STATE_DETACHED)
    {
      g_autoptr(IoStream) raw = io_filter_stream_detach (IO_FILTER_STREAM (s->stream), &error);

      g_assert_no_error (error);
      g_assert_nonnull (raw);
    }
  return TRUE;
}

static void
subject_clear (Subject *s)
{
  for (; s->exports > 0; s->exports--)
    io_memory_stream_release_buffer (IO_MEMORY_STREAM (s->stream));
  g_assert_finalize_object (s->stream);
  g_clear_object (&s->peer);
  if (s->fd >= 0)
    {
      /* Still open: the stream did not own it. */
      g_assert_no_errno (fcntl (s->fd, F_GETFD));
      g_assert_no_errno (close (s->fd));
    }
  if (s->dir != NULL)
    {
      g_autofree char *path = g_build_filename (s->dir, "file", NULL);

      g_assert_no_errno (g_unlink (path));
      g_assert_no_errno (g_rmdir (s->dir));
      g_free (s->dir);
    }
}

static gboolean
row_applies (const Row *row,
             Backend    backend)
{
  if (row->only == FD_)
    return backend_has_fd (backend);
  if (row->only == LAYERS_)
    return IS_BUFFERED (backend);
  return row->only == ALL || row->only == backend;
}

static void
test_matrix (gconstpointer data)
{
  Backend backend = GPOINTER_TO_UINT (data);
  guint n_cells = 0;

  for (State state = 0; state < N_STATES; state++)
    for (gsize i = 0; i < G_N_ELEMENTS (matrix); i++)
      {
        const Row *row = &matrix[i];
        int expect = row->expect[state];
        g_autoptr(GError) error = NULL;
        Subject s;
        int got;

        if (expect == NA || !row_applies (row, backend))
          continue;
        /* A file stream on a pipe has no reader or writer rows of its own. */
        if (row->only == BACKEND_FILE && (state == STATE_READER || state == STATE_WRITER))
          continue;
        if (!subject_init (&s, backend, state))
          break;

        if (expect == FD)
          expect = backend_has_fd (backend) ? T : NS;
        /* A converter peeks at what it has converted, and a buffered layer
         * at its buffer (the pair, in the unseekable column, too), though
         * neither can seek. */
        if (row->call == call_peek && expect == NS &&
            ((backend == BACKEND_CONVERTER &&
              (state == STATE_UNSEEKABLE || state == STATE_READER)) ||
             (IS_BUFFERED (backend) && state == STATE_UNSEEKABLE)))
          expect = T;
        /* GIO's file and pipe streams have descriptors, its memory
         * streams (the unseekable state) none. */
        if (expect == NS && backend == BACKEND_GIO && row->call == call_fileno &&
            state != STATE_UNSEEKABLE)
          expect = T;

        g_test_message ("%s stream, %s: %s", backend_names[backend], state_names[state],
                        row->name);
        got = row->call (&s, &error);
        if (expect == T || expect == F)
          {
            if (error != NULL)
              g_error ("%s stream, %s: %s failed: %s", backend_names[backend],
                       state_names[state], row->name, error->message);
            if (got != (expect == T ? 1 : 0))
              g_error ("%s stream, %s: %s returned %s, the table says %s", backend_names[backend],
                       state_names[state], row->name, got ? "TRUE" : "FALSE",
                       expect == T ? "TRUE" : "FALSE");
          }
        else
          {
            if (!g_error_matches (error, G_IO_ERROR, expect))
              g_error ("%s stream, %s: %s: expected G_IO_ERROR %d, got %s", backend_names[backend],
                       state_names[state], row->name, expect,
                       error != NULL ? error->message : "success");
            g_assert_cmpint (got, ==, -1);
          }
        subject_clear (&s);
        n_cells++;
      }

  g_assert_cmpuint (n_cells, >, 0);
  g_test_message ("%u cells checked", n_cells);
}

/* Hostile input. Each test runs on every backend that can take it; the
 * subject is a fresh open stream ("ab\ncd\n" at 0 where it can read). */

typedef void (*HostileTest) (Subject *s);

typedef struct
{
  HostileTest func;
  Backend backend;
  State state;
} HostileCase;

static void
run_hostile (gconstpointer data)
{
  const HostileCase *c = data;
  Subject s;

  g_assert_true (subject_init (&s, c->backend, c->state));
  c->func (&s);
  subject_clear (&s);
}

static void
assert_position (Subject *s,
                 gint64   expected)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (io_stream_tell (s->stream, &error), ==, expected);
  g_assert_no_error (error);
}

/* A seek to 2^62 succeeds; a write there cannot allocate and must fail
 * cleanly, without aborting, and leave the stream usable. */
static void
hostile_write_far (Subject *s)
{
  g_autoptr(GError) error = NULL;
  const gint64 far = (gint64) 1 << 62;

  if (io_stream_seek (s->stream, far, IO_WHENCE_SET, &error) < 0)
    {
      /* A file system may refuse the offset itself (EINVAL, like
       * FileIO.seek): a clean error, and the position stays. */
      g_assert_true (s->backend != BACKEND_MEMORY && error->domain == G_IO_ERROR);
      g_clear_error (&error);
      assert_position (s, 0);
      return;
    }
  g_assert_no_error (error);
  g_assert_cmpint (io_stream_write (s->stream, (const guint8 *) "x", 1, &error), ==, -1);
  if (s->backend == BACKEND_MEMORY)
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  else
    g_assert_nonnull (error);   /* EFBIG, or EINVAL from the file system */
  g_assert_true (error->domain == G_IO_ERROR);
  g_clear_error (&error);
  assert_position (s, far);

  /* Nothing was written, and the stream still works. */
  g_assert_cmpint (io_stream_seek (s->stream, 0, IO_WHENCE_END, &error), ==, CONTENT_LEN);
  g_assert_cmpint (io_stream_write (s->stream, (const guint8 *) "!", 1, &error), ==, 1);
  g_assert_no_error (error);
}

/* Positions at the top of gint64: reachable, but nothing can be written
 * there and a relative seek past them overflows cleanly. */
static void
hostile_seek_edges (Subject *s)
{
  g_autoptr(GError) error = NULL;
  guint8 buffer[4];
  GBytes *bytes;

  g_assert_cmpint (io_stream_seek (s->stream, G_MAXINT64, IO_WHENCE_SET, &error), ==, G_MAXINT64);
  g_assert_no_error (error);
  g_assert_cmpint (io_stream_seek (s->stream, 1, IO_WHENCE_CUR, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_cmpint (io_stream_seek (s->stream, G_MAXINT64, IO_WHENCE_END, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  assert_position (s, G_MAXINT64);

  g_assert_cmpint (io_stream_read (s->stream, buffer, sizeof buffer, &error), ==, 0);
  g_assert_no_error (error);
  bytes = io_stream_readline (s->stream, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, 0);
  g_bytes_unref (bytes);
  g_assert_cmpint (io_stream_write (s->stream, (const guint8 *) "x", 1, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_clear_error (&error);
  assert_position (s, G_MAXINT64);

  /* Relative seeks before the start clamp to 0, like BytesIO. */
  g_assert_cmpint (io_stream_seek (s->stream, G_MININT64, IO_WHENCE_CUR, &error), ==, 0);
  g_assert_cmpint (io_stream_seek (s->stream, G_MININT64, IO_WHENCE_END, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpint (io_stream_seek (s->stream, G_MININT64, IO_WHENCE_SET, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

/* Whence values outside IoWhence, as a binding may pass them. */
/* A file: relative seeks whose target overflows gint64, or falls before
 * the start, fail with INVALID_ARGUMENT (EINVAL) and leave the position. */
static void
hostile_seek_overflow (Subject *s)
{
  static const struct {
    gint64 offset;
    IoWhence whence;
  } cases[] = {
    { G_MAXINT64, IO_WHENCE_CUR },
    { G_MAXINT64, IO_WHENCE_END },
    { G_MININT64, IO_WHENCE_CUR },
    { G_MININT64, IO_WHENCE_END },
    { -3, IO_WHENCE_CUR },
    { -(CONTENT_LEN + 1), IO_WHENCE_END },
  };
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (io_stream_seek (s->stream, 2, IO_WHENCE_SET, &error), ==, 2);
  g_assert_no_error (error);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_cmpint (io_stream_seek (s->stream, cases[i].offset, cases[i].whence, &error), ==, -1);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_clear_error (&error);
      assert_position (s, 2);
    }
}

static void
hostile_whence (Subject *s)
{
  static const int bad[] = { 3, 4, -1, 255, G_MAXINT, G_MININT };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_cmpint (io_stream_seek (s->stream, 0, (IoWhence) bad[i], &error), ==, -1);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    }
  assert_position (s, 0);
}

/* Counts no buffer can have are refused before the buffer is touched. */
static void
hostile_counts (Subject *s)
{
  static const gsize counts[] = { (gsize) G_MAXSSIZE + 1, G_MAXSIZE };
  guint8 buffer[1] = { 0x5a };

  for (gsize i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      g_autoptr(GError) error = NULL;
      GBytes *bytes;

      if (s->state != STATE_WRITER)
        {
          g_assert_cmpint (io_stream_read (s->stream, buffer, counts[i], &error), ==, -1);
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
          g_clear_error (&error);
          g_assert_cmpint (io_stream_read1 (s->stream, buffer, counts[i], &error), ==, -1);
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
          g_clear_error (&error);
          g_assert_cmpint (io_stream_readinto_address (s->stream, (guintptr) buffer, counts[i],
                                                       &error), ==, -1);
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
          g_clear_error (&error);
          bytes = io_stream_peek (s->stream, counts[i], &error);
          g_assert_null (bytes);
          g_assert_nonnull (error);
          g_clear_error (&error);
          g_assert_cmpint (buffer[0], ==, 0x5a);
        }
      if (s->state != STATE_READER)
        {
          g_assert_cmpint (io_stream_write (s->stream, buffer, counts[i], &error), ==, -1);
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
        }
    }
}

/* Sizes of G_MAXSSIZE read what there is, allocating only that; sizes below
 * -1 are refused. */
static void
hostile_sizes (Subject *s)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  GBytes *bytes;

  bytes = io_stream_readline (s->stream, G_MAXSSIZE, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "ab\n", 3);
  g_bytes_unref (bytes);
  bytes = io_stream_read_bytes (s->stream, G_MAXSSIZE, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "cd\n", 3);
  g_bytes_unref (bytes);
  lines = io_stream_readlines (s->stream, G_MAXSSIZE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lines->len, ==, 0);

  g_assert_null (io_stream_read_bytes (s->stream, -2, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (io_stream_read1_bytes (s->stream, G_MINSSIZE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (io_stream_readline (s->stream, -2, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (io_stream_readlines (s->stream, G_MINSSIZE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  if (s->state == STATE_OPEN)
    {
      g_assert_cmpint (io_stream_truncate (s->stream, -2, &error), ==, -1);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_clear_error (&error);
      g_assert_cmpint (io_stream_truncate (s->stream, G_MININT64, &error), ==, -1);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    }
}

/* A memory stream never grows on truncate, whatever the size. */
static void
hostile_truncate_huge (Subject *s)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) value = NULL;

  g_assert_cmpint (io_stream_truncate (s->stream, G_MAXINT64, &error), ==, G_MAXINT64);
  g_assert_no_error (error);
  value = io_memory_stream_get_value (IO_MEMORY_STREAM (s->stream), &error);
  g_assert_cmpmem (g_bytes_get_data (value, NULL), g_bytes_get_size (value), CONTENT, CONTENT_LEN);
}

/* NULL and empty buffers where the API allows them (run under UBSan:
 * no arithmetic on NULL either). */
static void
hostile_empty (Subject *s)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  g_autoptr(GBytes) line = NULL;

  if (s->state != STATE_WRITER)
    {
      g_assert_cmpint (io_stream_read (s->stream, NULL, 0, &error), ==, 0);
      g_assert_cmpint (io_stream_read1 (s->stream, NULL, 0, &error), ==, 0);
      g_assert_cmpint (io_stream_readinto_address (s->stream, 0, 0, &error), ==, 0);
      g_assert_cmpint (io_stream_readinto1_address (s->stream, 0, 0, &error), ==, 0);
      g_assert_no_error (error);
      g_assert_cmpint (io_stream_readinto_address (s->stream, 0, 4, &error), ==, -1);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_clear_error (&error);
      g_assert_cmpint (io_stream_readinto1_address (s->stream, 0, 4, &error), ==, -1);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_clear_error (&error);
      line = io_stream_readline (s->stream, 0, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_bytes_get_size (line), ==, 0);
    }
  if (s->state != STATE_READER)
    {
      g_assert_cmpint (io_stream_write (s->stream, NULL, 0, &error), ==, 0);
      g_assert_cmpint (io_stream_write_bytes (s->stream, empty, &error), ==, 0);
      g_assert_true (io_stream_writelines (s->stream, NULL, 0, &error));
      g_assert_true (io_stream_writelines (s->stream, &empty, 1, &error));
      g_assert_no_error (error);
    }
  if (s->state != STATE_WRITER && s->state != STATE_READER)
    assert_position (s, 0);
}

/* A read failure after part of the lines was read: readlines returns what
 * came before it, the next call reports it, nothing leaks (regression:
 * readlines used to read past the failure and overwrite the kept error). */
typedef struct
{
  gsize position;
} FailingSource;

static gssize
failing_read (gpointer  user_data,
              guint8   *buffer,
              gsize     count,
              GError  **error)
{
  FailingSource *source = user_data;

  if (source->position >= 4)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "injected failure");
      return -1;
    }
  count = MIN (count, 4 - source->position);
  memcpy (buffer, CONTENT + source->position, count);
  source->position += count;
  return (gssize) count;
}

/* A read-only callback stream reading with @read from @source. */
static IoStream *
new_source_stream (gssize        (*read) (gpointer, guint8 *, gsize, GError **),
                   FailingSource  *source)
{
  IoStreamFuncs funcs = { sizeof (IoStreamFuncs), read, };

  return io_stream_new_from_funcs (&funcs, source, NULL);
}

/* Checks that readlines() gives the lines @expected, without an error. */
static void
assert_readlines (IoStream           *stream,
                  const char * const *expected)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *lines = io_stream_readlines (stream, -1, &error);

  g_assert_no_error (error);
  test_util_assert_lines (lines, expected);
  g_ptr_array_unref (lines);
}

static const char * const first_lines[] = { "ab\n", "c", NULL };

static void
test_readlines_failure (void)
{
  FailingSource source = { 0 };
  IoStream *stream = new_source_stream (failing_read, &source);
  g_autoptr(GError) error = NULL;

  assert_readlines (stream, first_lines);
  g_assert_null (io_stream_readlines (stream, -1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_finalize_object (stream);
}

/* A read that would block in the middle of a line: readlines() returns
 * the lines before and the start of that line, and the next call the rest
 * of it, so that no line is split inside one result (regression: the
 * would-block was dropped and the rest of the line read as a new one). */
static gssize
blocking_once_read (gpointer  user_data,
                    guint8   *buffer,
                    gsize     count,
                    GError  **error)
{
  FailingSource *source = user_data;

  if (source->position == 4)
    {
      source->position++;
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, "would block");
      return -1;
    }
  if (source->position > CONTENT_LEN)
    return 0;
  /* "ab\nc", the would-block (which takes position 4), then "d\n". */
  if (source->position < 4)
    count = MIN (count, 4 - source->position);
  else
    count = MIN (count, CONTENT_LEN + 1 - source->position);
  memcpy (buffer, CONTENT + source->position - (source->position > 4), count);
  source->position += count;
  return (gssize) count;
}

static void
test_readlines_would_block (void)
{
  static const char * const rest[] = { "d\n", NULL };
  FailingSource source = { 0 };
  IoStream *stream = new_source_stream (blocking_once_read, &source);

  assert_readlines (stream, first_lines);
  assert_readlines (stream, rest);
  g_assert_finalize_object (stream);
}

/* A line longer than the allocation limit (io_buffer_set_limit_for_testing()):
 * readline() returns what fitted, the next call fails with NO_SPACE, and
 * once memory is back the rest of the line follows, not a byte lost, on a
 * backend read in blocks (seekable) and on one read a byte at a time
 * (regression: the block or byte read when the line could not grow was
 * dropped). */
#define LONG_LINE_LEN 1000

typedef struct
{
  guint8 data[LONG_LINE_LEN];
  gsize position;
} LongLineSource;

static gssize
long_line_read (gpointer  user_data,
                guint8   *buffer,
                gsize     count,
                GError  **error)
{
  LongLineSource *source = user_data;

  count = MIN (count, LONG_LINE_LEN - source->position);
  memcpy (buffer, source->data + source->position, count);
  source->position += count;
  return (gssize) count;
}

static gint64
long_line_seek (gpointer   user_data,
                gint64     offset,
                IoWhence   whence,
                GError   **error)
{
  LongLineSource *source = user_data;
  gint64 to = test_util_seek_position ((gint64) source->position, LONG_LINE_LEN, LONG_LINE_LEN,
                                       offset, whence, "bad seek", error);

  if (to >= 0)
    source->position = (gsize) to;
  return to;
}

static void
test_readline_allocation_failure (gconstpointer data)
{
  gboolean seekable = GPOINTER_TO_INT (data);
  IoStreamFuncs funcs = {
    sizeof (IoStreamFuncs), long_line_read, NULL, seekable ? long_line_seek : NULL,
  };
  LongLineSource source = { { 0 }, 0 };
  g_autoptr(GError) error = NULL;
  IoStream *stream;
  guint8 *line;
  gsize first;
  gsize len;

  memset (source.data, 'x', LONG_LINE_LEN - 1);
  source.data[LONG_LINE_LEN - 1] = '\n';
  stream = io_stream_new_from_funcs (&funcs, &source, NULL);

  io_buffer_set_limit_for_testing (300);
  line = io_stream_readline_array (stream, -1, &first, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (first, >, 0);
  g_assert_cmpuint (first, <=, 300);
  g_assert_cmpmem (line, first, source.data, first);
  g_free (line);
  g_assert_null (io_stream_readline_array (stream, -1, &len, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_clear_error (&error);
  io_buffer_set_limit_for_testing (0);

  if (seekable)
    g_assert_cmpint (io_stream_tell (stream, NULL), ==, (gint64) first);
  line = io_stream_readline_array (stream, -1, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (line, len, source.data + first, LONG_LINE_LEN - first);
  g_free (line);
  g_assert_finalize_object (stream);
}

/* readline_into() on a line that fits the allocation limit but leaves no
 * byte for its NUL: it fails with NO_SPACE without consuming the line,
 * which the next call returns (regression: the line was read, then the NUL
 * could not be added and the line was lost). */
static void
test_readline_into_allocation_failure (void)
{
  guint8 content[300];
  g_autoptr(GError) error = NULL;
  IoStream *stream;
  guint8 *line = NULL;
  gsize capacity = 0;

  memset (content, 'x', sizeof content - 1);
  content[sizeof content - 1] = '\n';
  stream = io_memory_stream_new (content, sizeof content);

  io_buffer_set_limit_for_testing (sizeof content);
  g_assert_cmpint (io_stream_readline_into (stream, -1, &line, &capacity, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_clear_error (&error);
  io_buffer_set_limit_for_testing (0);

  g_assert_cmpint (io_stream_tell (stream, NULL), ==, 0);
  g_assert_cmpint (io_stream_readline_into (stream, -1, &line, &capacity, &error), ==,
                   sizeof content);
  g_assert_no_error (error);
  g_assert_cmpmem (line, sizeof content, content, sizeof content);
  g_assert_cmpint (line[sizeof content], ==, '\0');
  g_free (line);
  g_assert_finalize_object (stream);
}

/* A read or write callback that closes its own stream. Every vfunc runs
 * on an open stream only: after the close the outer call stops, returning
 * what it had already transferred (the next call fails with CLOSED), or
 * failing with CLOSED at once when it had nothing. The callback stream
 * moves at most two bytes a call, so every loop loops, and closes the
 * stream on its @close_at'th call before returning its bytes (none with
 * @empty). */
typedef struct
{
  IoStream *stream;
  gsize position;
  guint calls;
  guint close_at;
  gboolean empty;
  guint calls_when_closed;
} Closer;

/* The start of every callback: counts the call, and closes the stream on
 * the @close_at'th. Returns whether it did. */
static gboolean
closer_enter (Closer *c)
{
  g_autoptr(GError) error = NULL;

  if (io_stream_is_closed (c->stream))
    c->calls_when_closed++;
  if (++c->calls != c->close_at)
    return FALSE;
  g_assert_true (io_stream_close (c->stream, &error));
  g_assert_no_error (error);
  return TRUE;
}

static gsize
closer_step (Closer *c,
             gsize   count)
{
  if (closer_enter (c) && c->empty)
    return 0;
  count = MIN (count, MIN (2, CONTENT_LEN - c->position));
  c->position += count;
  return count;
}

static gssize
closer_read (gpointer  user_data,
             guint8   *buffer,
             gsize     count,
             GError  **error)
{
  Closer *c = user_data;
  gsize start = c->position;
  gsize n = closer_step (c, count);

  memcpy (buffer, CONTENT + start, n);
  return (gssize) n;
}

static gssize
closer_write (gpointer       user_data,
              const guint8  *buffer,
              gsize          count,
              GError       **error)
{
  return (gssize) closer_step (user_data, count);
}

static gint64
closer_seek (gpointer   user_data,
             gint64     offset,
             IoWhence   whence,
             GError   **error)
{
  Closer *c = user_data;
  gint64 to;

  (void) closer_enter (c);
  to = test_util_seek_position ((gint64) c->position, CONTENT_LEN, CONTENT_LEN, offset, whence,
                                "Invalid argument", error);
  if (to >= 0)
    c->position = (gsize) to;
  return to;
}

/* An entry point: the bytes it read or wrote (a prefix of CONTENT), or
 * NULL on error. */
typedef GBytes *(*ReentrantCall) (IoStream *stream, GError **error);

static GBytes *
bytes_or_null (gssize   n,
               guint8  *data)
{
  return n < 0 ? NULL : g_bytes_new (data, (gsize) n);
}

#define REENTRANT_CALL(name) static GBytes *reentrant_##name (IoStream *stream, GError **error)
#define REENTRANT_ARRAY_CALL(name, size) \
  REENTRANT_CALL (name) \
  { \
    gsize len; \
    guint8 *data = io_stream_##name (stream, size, &len, error); \
    \
    return data != NULL ? g_bytes_new_take (data, len) : NULL; \
  }

REENTRANT_CALL (read)
{
  guint8 buffer[CONTENT_LEN];

  return bytes_or_null (io_stream_read (stream, buffer, sizeof buffer, error), buffer);
}

REENTRANT_CALL (readinto_address)
{
  guint8 buffer[CONTENT_LEN];

  return bytes_or_null (io_stream_readinto_address (stream, (guintptr) buffer, sizeof buffer,
                                                    error), buffer);
}

REENTRANT_CALL (read1)
{
  guint8 buffer[CONTENT_LEN];

  return bytes_or_null (io_stream_read1 (stream, buffer, sizeof buffer, error), buffer);
}

REENTRANT_CALL (readline_into)
{
  g_autofree guint8 *line = NULL;
  gsize capacity = 0;
  gssize n = io_stream_readline_into (stream, -1, &line, &capacity, error);

  return bytes_or_null (n, line);
}

REENTRANT_CALL (read_bytes) { return io_stream_read_bytes (stream, CONTENT_LEN, error); }
REENTRANT_CALL (read1_bytes) { return io_stream_read1_bytes (stream, -1, error); }
REENTRANT_CALL (readall) { return io_stream_readall (stream, error); }
REENTRANT_CALL (readline) { return io_stream_readline (stream, -1, error); }
REENTRANT_CALL (peek) { return io_stream_peek (stream, CONTENT_LEN, error); }
REENTRANT_ARRAY_CALL (read_array, -1)
REENTRANT_ARRAY_CALL (read1_array, CONTENT_LEN)
REENTRANT_ARRAY_CALL (readline_array, -1)
REENTRANT_ARRAY_CALL (readlines_joined, -1)

REENTRANT_CALL (readlines)
{
  g_autoptr(GPtrArray) lines = io_stream_readlines (stream, -1, error);
  g_autoptr(GByteArray) joined = g_byte_array_new ();

  if (lines == NULL)
    return NULL;
  for (guint i = 0; i < lines->len; i++)
    g_byte_array_append (joined, g_bytes_get_data (lines->pdata[i], NULL),
                         (guint) g_bytes_get_size (lines->pdata[i]));
  return g_byte_array_free_to_bytes (g_steal_pointer (&joined));
}

REENTRANT_CALL (write)
{
  return bytes_or_null (io_stream_write (stream, (const guint8 *) CONTENT, CONTENT_LEN, error),
                        (guint8 *) CONTENT);
}

REENTRANT_CALL (writelines)
{
  g_autoptr(GBytes) all = g_bytes_new_static (CONTENT, CONTENT_LEN);

  return io_stream_writelines (stream, &all, 1, error) ? g_bytes_ref (all) : NULL;
}

typedef struct
{
  const char *name;
  ReentrantCall call;
  gboolean write;
  gboolean seekable;
  guint close_at;
  gboolean empty;
  gssize expected;   /* the bytes the call returns, or -1: CLOSED at once */
} ReentrantCase;

static const ReentrantCase reentrant_cases[] = {
  { "read", reentrant_read, FALSE, FALSE, 2, FALSE, 4 },
  { "read-empty", reentrant_read, FALSE, FALSE, 1, TRUE, -1 },
  { "readinto-address", reentrant_readinto_address, FALSE, FALSE, 2, FALSE, 4 },
  { "read1-empty", reentrant_read1, FALSE, FALSE, 1, TRUE, -1 },
  { "read-bytes", reentrant_read_bytes, FALSE, FALSE, 2, FALSE, 4 },
  { "read1-bytes-empty", reentrant_read1_bytes, FALSE, FALSE, 1, TRUE, -1 },
  { "read-array", reentrant_read_array, FALSE, FALSE, 2, FALSE, 4 },
  { "read1-array-empty", reentrant_read1_array, FALSE, FALSE, 1, TRUE, -1 },
  { "readall", reentrant_readall, FALSE, FALSE, 2, FALSE, 4 },
  { "readall-empty", reentrant_readall, FALSE, FALSE, 1, TRUE, -1 },
  { "readline", reentrant_readline, FALSE, FALSE, 2, FALSE, 2 },
  { "readline-seekable", reentrant_readline, FALSE, TRUE, 1, FALSE, 2 },
  { "readline-array", reentrant_readline_array, FALSE, FALSE, 2, FALSE, 2 },
  { "readline-into", reentrant_readline_into, FALSE, FALSE, 2, FALSE, 2 },
  { "readlines", reentrant_readlines, FALSE, FALSE, 4, FALSE, 4 },
  { "readlines-between-lines", reentrant_readlines, FALSE, FALSE, 3, FALSE, 3 },
  { "readlines-joined", reentrant_readlines_joined, FALSE, TRUE, 2, FALSE, 3 },
  { "peek", reentrant_peek, FALSE, TRUE, 2, FALSE, -1 },
  { "write", reentrant_write, TRUE, FALSE, 2, FALSE, 4 },
  { "writelines", reentrant_writelines, TRUE, FALSE, 2, FALSE, -1 },
};

static void
test_reentrant_close (gconstpointer data)
{
  const ReentrantCase *rc = data;
  IoStreamFuncs funcs = { sizeof (IoStreamFuncs), };
  Closer closer = { NULL, 0, 0, rc->close_at, rc->empty, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) result = NULL;
  IoStream *stream;

  funcs.read = rc->write ? NULL : closer_read;
  funcs.write = rc->write ? closer_write : NULL;
  funcs.seek = rc->seekable ? closer_seek : NULL;
  stream = closer.stream = io_stream_new_from_funcs (&funcs, &closer, NULL);

  result = rc->call (stream, &error);
  g_assert_true (io_stream_is_closed (stream));
  if (rc->expected < 0)
    {
      g_assert_null (result);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
      g_clear_error (&error);
    }
  else
    {
      g_assert_no_error (error);
      g_assert_cmpmem (g_bytes_get_data (result, NULL), g_bytes_get_size (result),
                       CONTENT, rc->expected);
      g_clear_pointer (&result, g_bytes_unref);
      /* The close is reported by the next call. */
      g_assert_null (rc->call (stream, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
    }
  g_assert_cmpuint (closer.calls_when_closed, ==, 0);
  g_assert_finalize_object (stream);
}

static gint64
closer_truncate (gpointer   user_data,
                 gint64     size,
                 GError   **error)
{
  (void) closer_enter (user_data);
  return size;
}

/* truncate(-1) asks tell(), here the seek callback, for the size: a seek
 * that closes the stream stops it before the truncate callback. */
static void
test_reentrant_close_truncate (void)
{
  IoStreamFuncs funcs = { sizeof (IoStreamFuncs), };
  Closer closer = { NULL, 0, 0, 1, FALSE, 0 };
  g_autoptr(GError) error = NULL;
  IoStream *stream;

  funcs.write = closer_write;
  funcs.seek = closer_seek;
  funcs.truncate = closer_truncate;
  stream = closer.stream = io_stream_new_from_funcs (&funcs, &closer, NULL);
  g_assert_cmpint (io_stream_truncate (stream, -1, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_assert_cmpuint (closer.calls_when_closed, ==, 0);
  g_assert_finalize_object (stream);
}

/* Invalid mode strings never open anything. */
static void
test_file_bad_modes (void)
{
  static const char *modes[] = { "", "rw", "rt", "q", "r+x", "ab+c", "++r", "rr", "wa", "x+a" };

  for (gsize i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autoptr(GError) error = NULL;
      IoStream *stream = io_file_stream_new ("/dev/null", modes[i], &error);

      g_assert_null (stream);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    }
}

/* The hostile cases of the layers over memory or callback streams. */
#define LAYERED (1 << BACKEND_FAULT | 1 << BACKEND_FILTER)

int
main (int    argc,
      char **argv)
{
  /* The layer whose open state is the hostile tests' open one: reads,
   * writes and seeks over a callback backend. */
  enum { RANDOM_LAYER = 1 << BACKEND_BUFFERED_RANDOM };
  static const struct {
    const char *name;
    HostileTest func;
    guint backends;   /* a mask of 1 << Backend */
    gboolean writer;  /* also on the write end of a pipe */
  } hostile[] = {
    { "write-far", hostile_write_far, 1 << BACKEND_MEMORY | 1 << BACKEND_FILE, FALSE },
    { "seek-edges", hostile_seek_edges, 1 << BACKEND_MEMORY, FALSE },
    { "seek-overflow", hostile_seek_overflow, 1 << BACKEND_FILE | 1 << BACKEND_FILE_FD, FALSE },
    { "whence", hostile_whence,
      1 << BACKEND_MEMORY | 1 << BACKEND_FUNCS | 1 << BACKEND_FILE | LAYERED | RANDOM_LAYER, FALSE },
    { "counts", hostile_counts, 0xf | LAYERED | RANDOM_LAYER | 1 << BACKEND_GIO, TRUE },
    { "sizes", hostile_sizes, 0xf | LAYERED | RANDOM_LAYER | 1 << BACKEND_GIO, FALSE },
    { "truncate-huge", hostile_truncate_huge, 1 << BACKEND_MEMORY, FALSE },
    { "empty", hostile_empty, 0xf | LAYERED | RANDOM_LAYER | 1 << BACKEND_GIO, TRUE },
  };
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (g_free);

  g_test_init (&argc, &argv, NULL);

  for (Backend backend = 0; backend < N_BACKENDS; backend++)
    {
      g_autofree char *path = g_strdup_printf ("/state-matrix/%s", backend_names[backend]);

      g_test_add_data_func (path, GUINT_TO_POINTER (backend), test_matrix);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (hostile); i++)
    for (Backend backend = 0; backend < N_BACKENDS; backend++)
      {
        HostileCase *c;
        g_autofree char *path = NULL;

        if ((hostile[i].backends & (1u << backend)) == 0)
          continue;
        c = g_new0 (HostileCase, 1);
        c->func = hostile[i].func;
        c->backend = backend;
        c->state = backend == BACKEND_PIPE ? STATE_READER : STATE_OPEN;
        g_ptr_array_add (cases, c);
        path = g_strdup_printf ("/hostile/%s/%s", hostile[i].name, backend_names[backend]);
        g_test_add_data_func (path, c, run_hostile);
        if (backend == BACKEND_PIPE && hostile[i].writer)
          {
            c = g_memdup2 (c, sizeof *c);
            c->state = STATE_WRITER;
            g_ptr_array_add (cases, c);
            g_free (path);
            path = g_strdup_printf ("/hostile/%s/pipe-writer", hostile[i].name);
            g_test_add_data_func (path, c, run_hostile);
          }
      }
  g_test_add_func ("/hostile/readlines-after-failure", test_readlines_failure);
  g_test_add_func ("/hostile/readlines-would-block", test_readlines_would_block);
  g_test_add_data_func ("/hostile/readline-allocation-failure/blocks", GINT_TO_POINTER (TRUE),
                        test_readline_allocation_failure);
  g_test_add_data_func ("/hostile/readline-allocation-failure/bytes", GINT_TO_POINTER (FALSE),
                        test_readline_allocation_failure);
  g_test_add_func ("/hostile/readline-into-allocation-failure",
                   test_readline_into_allocation_failure);
  g_test_add_func ("/hostile/file-bad-modes", test_file_bad_modes);
  g_test_add_func ("/hostile/reentrant-close-truncate", test_reentrant_close_truncate);
  for (gsize i = 0; i < G_N_ELEMENTS (reentrant_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/hostile/reentrant-close/%s",
                                               reentrant_cases[i].name);

      g_test_add_data_func (path, &reentrant_cases[i], test_reentrant_close);
    }

  return g_test_run ();
}
