/* _ioaccel.c: the compiled half of the Io override (gi/overrides/Io.py)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * `StreamBase` holds the hot methods of `Io.Stream` in C: they call
 * libstream directly, through the buffer protocol, with no copy of the
 * caller's data and no object layout assumed beyond the documented C APIs
 * of CPython and PyGObject. The override mixes `StreamBase` into its
 * `Stream` class and puts these methods in place of its pure-Python ones,
 * which stay the fallback: whenever an argument is not the plain case (a
 * size that is not an `int`, a buffer that is not contiguous, keywords),
 * the C method calls the Python method of the same name, so argument
 * errors read exactly as before. libstream errors are turned into the
 * override's exceptions by the override's own translate function.
 *
 * The GIL is let go around every call but those on an `Io.MemoryStream`,
 * which never block and never call back into Python: a file, a pipe or a
 * Python backend may block, or need the GIL in a `do_*` method. A memory
 * stream's call keeps it only where it cannot wait for the stream either
 * (CALL()): another Python thread may hold the stream with lock() and need
 * the GIL to give it back.
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <pygobject.h>

#include <libstream.h>
#include <io-fd-private.h>
#include <io-stream-lines-private.h>
#include <io-stream-lock-private.h>
#include <io-text-lines-private.h>

#include <errno.h>

/* Above this, reads go through C's growing allocation rather than one
 * bytes object of the size asked: read(huge) of a short stream must not
 * reserve `huge`. */
#define DIRECT_READ_MAX (64 * 1024 * 1024)

static PyObject *translate;  /* _translate(error, stream, iobase, access) */
static PyObject *fallbacks;  /* method name -> the pure-Python method */
static GType memory_type;
static GType file_type, pipe_type;
static IoStreamClass *fd_class;  /* IoFdStream's: its read and write vfuncs */
static unsigned long main_thread;  /* the thread where Python runs signal handlers */
static IoWindowLines window_lines;  /* where lines are taken from a window */

/* The buffer the line readers read into, one per thread: a call may be
 * made without the GIL. */
typedef struct
{
  guint8 *data;
  gsize capacity;
} LineBuffer;

static __thread LineBuffer thread_line;

/* Takes the thread's line buffer for the length of a call: the read may
 * run Python code (a Python backend or buffer) that loops over another
 * stream in this thread, which then reads into a buffer of its own. */
static inline LineBuffer
line_buffer_take (void)
{
  LineBuffer mine = thread_line;

  thread_line = (LineBuffer) { NULL, 0 };
  return mine;
}

/* Gives @mine back to the thread, or frees it if a nested call already
 * left its own there. */
static inline void
line_buffer_give_back (LineBuffer mine)
{
  if G_LIKELY (thread_line.data == NULL)
    thread_line = mine;
  else
    g_free (mine.data);
}

#define MAY_BLOCK(stream) (G_TYPE_FROM_INSTANCE (stream) != memory_type)

/* Whether this process never started a second thread: then no other
 * thread can hold a stream. */
#define ONE_THREAD() (*window_lines.single_threaded != 0)

/* Whether the calling thread may make a call on @stream, which never
 * blocks, with the GIL: where it cannot wait for the stream, which
 * another thread may hold (lock() from Python) and need the GIL to give
 * back. In a process with one thread it cannot; otherwise the stream is
 * taken for the call with _io_stream_try_lock() (*@locked: give it back
 * with io_stream_unlock()), and FALSE when that would wait. */
static inline gboolean
keeps_gil (IoStream *stream,
           gboolean *locked)
{
  *locked = FALSE;
  if G_LIKELY (ONE_THREAD ())
    return TRUE;
  return *locked = _io_stream_try_lock (stream);
}

/* @statement, a call on @stream, without the GIL unless @stream is a
 * memory stream that keeps_gil(). */
#define CALL_DO(stream, statement)                            \
  do {                                                        \
    IoStream *call_stream_ = (stream);                        \
    gboolean call_locked_;                                    \
    if (!MAY_BLOCK (call_stream_) &&                          \
        keeps_gil (call_stream_, &call_locked_))              \
      {                                                       \
        statement;                                            \
        if (call_locked_)                                     \
          io_stream_unlock (call_stream_);                    \
      }                                                       \
    else                                                      \
      {                                                       \
        Py_BEGIN_ALLOW_THREADS                                \
        statement;                                            \
        Py_END_ALLOW_THREADS                                  \
      }                                                       \
  } while (0)

/* result = call, a call on @stream, as CALL_DO(). */
#define CALL(stream, result, call) CALL_DO (stream, result = (call))

static IoStream *
stream_of (PyObject *self)
{
  GObject *object = pygobject_get (self);

  /* StreamBase is a base of the override's Stream only: any object
   * there is an IoStream. */
  if G_UNLIKELY (object == NULL)
    {
      PyErr_SetString (PyExc_TypeError, "the Io.Stream was not initialised");
      return NULL;
    }
  return (IoStream *) object;
}

/* The exception being raised, taken: its normalized value (a new
 * reference). */
static PyObject *
take_exception (void)
{
  PyObject *type, *value, *traceback;

  PyErr_Fetch (&type, &value, &traceback);
  PyErr_NormalizeException (&type, &value, &traceback);
  Py_XDECREF (type);
  Py_XDECREF (traceback);
  return value;
}

/* Raises @exc (stolen) in place of the exception a translator was given;
 * NULL leaves the translator's own exception raised. */
static PyObject *
raise_instead (PyObject *exc)
{
  if (exc != NULL)
    {
      PyErr_SetObject ((PyObject *) Py_TYPE (exc), exc);
      Py_DECREF (exc);
    }
  return NULL;
}

/* Raises the override's exception for @error (freed) from a call on
 * @self; @access is "r" or "w" for reads and writes, else NULL. */
static PyObject *
raise_error (PyObject   *self,
             GError     *error,
             const char *access)
{
  PyObject *value, *exc;

  pyg_error_check (&error);
  if (translate == NULL)
    return NULL;  /* before setup(): the GLib.Error as it is */
  value = take_exception ();
  exc = PyObject_CallFunction (translate, "OOOz", value, self, Py_False, access);
  Py_XDECREF (value);
  return raise_instead (exc);
}

/* The count a read or write returned, or its error raised. */
static PyObject *
count_result (PyObject   *self,
              gssize      count,
              GError     *error,
              const char *access)
{
  if (count < 0)
    return raise_error (self, error, access);
  return PyLong_FromSsize_t (count);
}

/* @arg's buffer with @flags, or FALSE (and no exception) for an object
 * that has none: the Python method then says what is wrong. */
static gboolean
borrow_buffer (PyObject  *arg,
               Py_buffer *view,
               int        flags)
{
  if (PyObject_GetBuffer (arg, view, flags) == 0)
    return TRUE;
  PyErr_Clear ();
  return FALSE;
}

/* @bytes (freed) as a bytes object, or @error raised if it is NULL. */
static PyObject *
take_gbytes (PyObject *self,
             GBytes   *bytes,
             GError   *error)
{
  PyObject *result;
  gsize len;
  const void *data;

  if (bytes == NULL)
    return raise_error (self, error, NULL);
  data = g_bytes_get_data (bytes, &len);
  result = PyBytes_FromStringAndSize (data, len);
  g_bytes_unref (bytes);
  return result;
}

/* The waiting state of @stream for a call from this thread
 * (_io_fd_stream_get_waits()): 0 outside the main thread, where Python
 * runs no signal handler, and for streams other than FileStream and
 * PipeStream (the exact types first: the override's classes are theirs). */
static guint
descriptor_waits (IoStream *stream)
{
  GType type;

  if (PyThread_get_thread_ident () != main_thread)
    return 0;
  type = G_TYPE_FROM_INSTANCE (stream);
  if (type != file_type && type != pipe_type &&
      !g_type_is_a (type, file_type) && !g_type_is_a (type, pipe_type))
    return 0;
  return _io_fd_stream_get_waits (stream);
}

/* Whether a call on @stream that may wait is the override's, in Python
 * (FileStream and PipeStream in the main thread, on a descriptor that is
 * not a regular file or a block device): it waits with poll(), where the
 * signal handlers run (PEP 475), then comes back to the `_*_now` methods. */
static gboolean
waits_in_python (IoStream *stream)
{
  return (descriptor_waits (stream) & IO_FD_WAITS) != 0;
}

/* Whether @stream's read(2) comes back to Python on a signal: in the main
 * thread, where Python runs the signal handlers, on a stream whose read is
 * the descriptor streams' own (a Python `do_read` may call other streams,
 * which must retry as usual). */
static gboolean
signals_interrupt (IoStream *stream)
{
  return PyThread_get_thread_ident () == main_thread &&
         IO_STREAM_GET_CLASS (stream)->read == fd_class->read;
}

/* Whether *@error says a signal interrupted the call; if so it is freed,
 * and Python's handlers are to run before the call is made again. */
static gboolean
interrupted (GError **error)
{
  if (io_error_get_errno (*error) != EINTR)
    return FALSE;
  g_clear_error (error);
  return TRUE;
}

/* One io_stream_read1() of @stream, without the GIL unless @stream is a
 * memory stream. Where signals_interrupt(), the read(2) fails with EINTR
 * on a signal rather than being retried in C: Python's handlers run, and
 * the read is made again unless one raised, as in FileIO (PEP 475), so
 * that Ctrl-C ends a read blocked on a pipe. -1 with @error set for the
 * stream's errors, -1 without it for a handler's exception. */
static gssize
read_once (IoStream *stream,
           guint8   *buffer,
           gsize     count,
           GError  **error)
{
  gboolean signals;
  gssize n;

  if (!MAY_BLOCK (stream))
    {
      CALL (stream, n, io_stream_read1 (stream, buffer, count, error));
      return n;
    }
  signals = signals_interrupt (stream);
  for (;;)
    {
      Py_BEGIN_ALLOW_THREADS
      if (signals)
        {
          gboolean was = _io_fd_set_interruptible (TRUE);

          n = io_stream_read1 (stream, buffer, count, error);
          _io_fd_set_interruptible (was);
        }
      else
        n = io_stream_read1 (stream, buffer, count, error);
      Py_END_ALLOW_THREADS
      if (n >= 0 || !signals || !interrupted (error))
        return n;
      if (PyErr_CheckSignals () < 0)
        return -1;
    }
}

/* The Python method @name of @self, with the same arguments. */
static PyObject *
call_method (const char       *name,
             PyObject         *self,
             PyObject *const  *args,
             Py_ssize_t        nargs,
             PyObject         *kwnames)
{
  PyObject *method = PyObject_GetAttrString (self, name);
  PyObject *result;

  if (method == NULL)
    return NULL;
  result = PyObject_Vectorcall (method, args, nargs, kwnames);
  Py_DECREF (method);
  return result;
}

/* The pure-Python method @name, called with the same arguments. */
static PyObject *
fall_back (const char       *name,
           PyObject         *self,
           PyObject *const  *args,
           Py_ssize_t        nargs,
           PyObject         *kwnames)
{
  PyObject *stack[8];
  Py_ssize_t total = nargs + (kwnames != NULL ? PyTuple_GET_SIZE (kwnames) : 0);
  PyObject *func = fallbacks != NULL ? PyDict_GetItemString (fallbacks, name) : NULL;
  Py_ssize_t i;

  if (func == NULL || total >= (Py_ssize_t) G_N_ELEMENTS (stack))
    return PyErr_Format (PyExc_TypeError, "%s(): unexpected arguments", name);
  stack[0] = self;
  for (i = 0; i < total; i++)
    stack[i + 1] = args[i];
  return PyObject_Vectorcall (func, stack, nargs + 1, kwnames);
}

/* An `int` (exactly) within Py_ssize_t, as *@value; FALSE for anything
 * else, without an exception: the caller falls back. */
static gboolean
plain_int (PyObject   *arg,
           Py_ssize_t *value)
{
  int overflow;
  long long v;

  if (!PyLong_CheckExact (arg))
    return FALSE;
  v = PyLong_AsLongLongAndOverflow (arg, &overflow);
  if (overflow != 0)
    return FALSE;
  *value = (Py_ssize_t) v;
  return TRUE;
}

/* The single optional size argument of read(), read1(), readline() and
 * peek(), or FALSE if the call must fall back. */
static gboolean
optional_size (PyObject *const *args,
               Py_ssize_t       nargs,
               PyObject        *kwnames,
               Py_ssize_t      *size)
{
  if (kwnames != NULL || nargs > 1)
    return FALSE;
  return nargs == 0 || plain_int (args[0], size);
}

/* What a method taking one optional size does with it. */
typedef PyObject *(*SizedCall) (PyObject   *self,
                                IoStream   *stream,
                                Py_ssize_t  size);

/* @call with the size of a call to the method @name (@size if none is
 * given), or the Python method @name for any other arguments. */
static PyObject *
call_sized (const char       *name,
            SizedCall         call,
            Py_ssize_t        size,
            PyObject         *self,
            PyObject *const  *args,
            Py_ssize_t        nargs,
            PyObject         *kwnames)
{
  IoStream *stream;

  if (!optional_size (args, nargs, kwnames, &size) || (stream = stream_of (self)) == NULL)
    return fall_back (name, self, args, nargs, kwnames);
  return call (self, stream, size);
}

#define SIZED_METHOD(name, default_size)                                     \
  static PyObject *                                                          \
  base_##name (PyObject *self, PyObject *const *args, Py_ssize_t nargs,      \
               PyObject *kwnames)                                            \
  {                                                                          \
    return call_sized (#name, do_##name, default_size, self, args, nargs,    \
                       kwnames);                                             \
  }

/* A sized method that may wait: the override's `_waiting_<name>` where it
 * waits in Python, and `_<name>_now` is the same without that check. */
#define WAITING_SIZED_METHOD(name, default_size)                             \
  static PyObject *                                                          \
  base_##name (PyObject *self, PyObject *const *args, Py_ssize_t nargs,      \
               PyObject *kwnames)                                            \
  {                                                                          \
    GObject *object = pygobject_get (self);                                  \
    if (object != NULL && waits_in_python ((IoStream *) object))             \
      return call_method ("_waiting_" #name, self, args, nargs, kwnames);    \
    return call_sized (#name, do_##name, default_size, self, args, nargs,    \
                       kwnames);                                             \
  }                                                                          \
  static PyObject *                                                          \
  base__##name##_now (PyObject *self, PyObject *const *args,                 \
                      Py_ssize_t nargs, PyObject *kwnames)                   \
  {                                                                          \
    return call_sized ("_" #name "_now", do_##name, default_size, self,      \
                       args, nargs, kwnames);                                \
  }

/* @size bytes (fewer at the end; -1: all) read in a new bytes object. */
static PyObject *
read_new (PyObject *self,
          IoStream *stream,
          gssize    size,
          gboolean  once)
{
  GError *error = NULL;
  PyObject *bytes;
  gssize count;

  if (size == 0)
    {
      guint8 none;

      /* Still a call: it checks the stream (closed, not readable). */
      CALL (stream, count, once ? io_stream_read1 (stream, &none, 0, &error)
                                : io_stream_read (stream, &none, 0, &error));
      if (count < 0)
        return raise_error (self, error, "r");
      return PyBytes_FromStringAndSize (NULL, 0);
    }
  if (size < 0 || size > DIRECT_READ_MAX)
    {
      guint8 *data;
      gsize len = 0;

      CALL (stream, data, once ? io_stream_read1_array (stream, size, &len, &error)
                               : io_stream_read_array (stream, size, &len, &error));
      if (error != NULL)
        return raise_error (self, error, "r");
      bytes = PyBytes_FromStringAndSize ((const char *) data, len);
      g_free (data);
      return bytes;
    }

  /* A fresh object of @size bytes nobody else has seen (sizes 0 and 1
   * with data are the shared ones), filled in place. */
  bytes = PyBytes_FromStringAndSize (NULL, size);
  if (bytes == NULL)
    return NULL;
  if (once)
    count = read_once (stream, (guint8 *) PyBytes_AS_STRING (bytes), size, &error);
  else
    CALL (stream, count, io_stream_read (stream, (guint8 *) PyBytes_AS_STRING (bytes), size, &error));
  if (count < 0)
    {
      Py_DECREF (bytes);
      return error != NULL ? raise_error (self, error, "r") : NULL;
    }
  if (count != size)
    _PyBytes_Resize (&bytes, count);
  return bytes;
}

/* read(-1): on a seekable stream in one block of the size its end gives,
 * as FileIO.readall() does, then whatever the stream grew by meanwhile. */
static PyObject *
read_all (PyObject *self,
          IoStream *stream)
{
  GError *error = NULL;
  gint64 position = -1, end = -1;
  gboolean seekable;
  PyObject *block, *rest;

  CALL (stream, seekable, io_stream_seekable (stream, NULL));
  if (seekable)
    {
      CALL (stream, position, io_stream_tell (stream, &error));
      if (position >= 0)
        CALL (stream, end, io_stream_seek (stream, 0, IO_WHENCE_END, &error));
      if (end >= 0)
        CALL (stream, end, io_stream_seek (stream, position, IO_WHENCE_SET, &error) < 0
                           ? -1 : end);
      if (error != NULL)
        return raise_error (self, error, "r");
    }
  if (!seekable || end - position <= 0 || end - position > DIRECT_READ_MAX)
    return read_new (self, stream, -1, FALSE);

  block = read_new (self, stream, end - position, FALSE);
  if (block == NULL || PyBytes_GET_SIZE (block) < end - position)
    return block;
  rest = read_new (self, stream, -1, FALSE);
  if (rest == NULL)
    Py_CLEAR (block);
  else if (PyBytes_GET_SIZE (rest) == 0)
    Py_DECREF (rest);
  else
    PyBytes_ConcatAndDel (&block, rest);
  return block;
}

static PyObject *
do_read (PyObject   *self,
         IoStream   *stream,
         Py_ssize_t  size)
{
  return size < 0 ? read_all (self, stream) : read_new (self, stream, size, FALSE);
}

static PyObject *
do_read1 (PyObject   *self,
          IoStream   *stream,
          Py_ssize_t  size)
{
  return read_new (self, stream, size < 0 ? -1 : size, TRUE);
}

/* readinto() and its twins: straight into the caller's writable,
 * contiguous buffer; anything else falls back to @name. */
static PyObject *
read_into (PyObject   *self,
           PyObject   *arg,
           gboolean    once,
           const char *name)
{
  GError *error = NULL;
  IoStream *stream;
  Py_buffer view;
  gssize count;

  if ((stream = stream_of (self)) == NULL)
    return NULL;
  if (!borrow_buffer (arg, &view, PyBUF_WRITABLE))
    return fall_back (name, self, &arg, 1, NULL);
  if (once)
    count = read_once (stream, view.buf, view.len, &error);
  else
    CALL (stream, count, io_stream_read (stream, view.buf, view.len, &error));
  PyBuffer_Release (&view);
  if (count < 0 && error == NULL)
    return NULL;  /* a signal handler raised */
  return count_result (self, count, error, "r");
}

/* readinto() and readinto1(); _raw_readinto() is FileIO's readinto(): one
 * system call, with the Python fallback that words errors as readinto(). */
#define READINTO_METHOD(name, once)                           \
  static PyObject *                                           \
  base_##name (PyObject *self, PyObject *arg)                 \
  {                                                           \
    return read_into (self, arg, once, #name);                \
  }

READINTO_METHOD (readinto, FALSE)
READINTO_METHOD (_readinto1_now, TRUE)
READINTO_METHOD (_raw_readinto, TRUE)

static PyObject *
base_readinto1 (PyObject *self,
                PyObject *arg)
{
  GObject *object = pygobject_get (self);

  if (object != NULL && waits_in_python ((IoStream *) object))
    return call_method ("_waiting_readinto1", self, &arg, 1, NULL);
  return read_into (self, arg, TRUE, "readinto1");
}

static gpointer
new_line_bytes (const guint8 *data,
                gsize         len,
                gpointer      user_data)
{
  return PyBytes_FromStringAndSize ((const char *) data, (Py_ssize_t) len);
}

/* The next line (at most @limit bytes, -1: no limit) as a new bytes
 * object made straight from the stream's window, as BytesIO makes its
 * lines: no call that can wait, so the GIL stays held. In a process with
 * one thread, on a stream nobody holds, that is BytesIO's own work, a
 * search and the bytes, with no call into libstream; otherwise
 * _io_stream_take_window_line() takes the stream for it. NULL without an
 * exception when the window does not hold the line whole. */
static inline PyObject *
window_line (IoStream *stream,
             gssize    limit)
{
  IoStreamWindow *window = _io_stream_window_untaken (&window_lines, stream);

  if G_LIKELY (window != NULL)
    {
      gsize len = io_window_line_length (window, limit);
      PyObject *line;

      if G_UNLIKELY (len == 0)
        return NULL;
      /* Making the bytes runs no Python code and starts no thread. */
      line = PyBytes_FromStringAndSize ((const char *) window->pos, (Py_ssize_t) len);
      if G_LIKELY (line != NULL)
        window->pos += len;
      return line;
    }
  return _io_stream_take_window_line (stream, limit, new_line_bytes, NULL);
}

/* One line, at most @limit bytes (-1: no limit), as a new bytes object,
 * copied through the line buffer: the call that reads and may wait. It
 * comes after the window did not give the line, which may be because
 * another thread holds the stream (io_stream_lock() from Python) and
 * needs the GIL to give it back: CALL() then lets it go. */
static PyObject *
read_line_copied (PyObject *self,
                  IoStream *stream,
                  gssize    limit)
{
  LineBuffer mine = line_buffer_take ();
  GError *error = NULL;
  PyObject *result;
  gssize count;

  CALL (stream, count, io_stream_readline_into (stream, limit, &mine.data, &mine.capacity, &error));
  if (count < 0)
    result = raise_error (self, error, "r");
  else
    result = PyBytes_FromStringAndSize ((const char *) mine.data, count);
  line_buffer_give_back (mine);
  return result;
}

/* One line, at most @limit bytes (-1: no limit), as a new bytes object. */
static PyObject *
read_line (PyObject *self,
           IoStream *stream,
           gssize    limit)
{
  PyObject *line = window_line (stream, limit);

  if (line != NULL || PyErr_Occurred ())
    return line;
  return read_line_copied (self, stream, limit);
}

static PyObject *
do_readline (PyObject   *self,
             IoStream   *stream,
             Py_ssize_t  size)
{
  return read_line (self, stream, size < 0 ? -1 : size);
}

static PyObject *
base_iter (PyObject *self)
{
  return Py_NewRef (self);
}

/* next(stream): one line from C per call, so the stream is always right
 * after the last line taken. A last line without a newline may be the
 * start of a line cut by a failed read (kept for the next call): on a
 * seekable stream it is read again, so that the failure is raised now
 * and the whole line comes on the next call. */
G_NO_INLINE static PyObject *
next_line_read (PyObject *self,
                IoStream *stream)
{
  PyObject *line;
  Py_ssize_t len;
  GError *error = NULL;
  gint64 position;
  gboolean seekable;

  if (PyErr_Occurred ())
    return NULL;
  if (waits_in_python (stream))
    {
      line = call_method ("_waiting_next", self, NULL, 0, NULL);
      if (line == NULL && PyErr_ExceptionMatches (PyExc_StopIteration))
        PyErr_Clear ();
      return line;
    }
  line = read_line_copied (self, stream, -1);
  if (line == NULL)
    return NULL;
  len = PyBytes_GET_SIZE (line);
  if (len == 0)
    {
      Py_DECREF (line);
      return NULL;  /* StopIteration */
    }
  if (PyBytes_AS_STRING (line)[len - 1] == '\n')
    return line;

  CALL (stream, seekable, io_stream_seekable (stream, NULL));
  if (!seekable)
    return line;
  Py_DECREF (line);
  CALL (stream, position, io_stream_seek (stream, -len, IO_WHENCE_CUR, &error));
  if (position < 0)
    return raise_error (self, error, "r");
  line = read_line (self, stream, -1);
  if (line != NULL && PyBytes_GET_SIZE (line) == 0)
    Py_CLEAR (line);
  return line;
}

/* The common step first, with no stack frame of its own to set up: a
 * whole line in the window ends with its newline, and is the answer. */
static PyObject *
base_iternext (PyObject *self)
{
  IoStream *stream = stream_of (self);
  PyObject *line;

  if G_UNLIKELY (stream == NULL)
    return NULL;
  line = window_line (stream, -1);
  if G_LIKELY (line != NULL)
    return line;
  return next_line_read (self, stream);
}

static PyObject *
base_write (PyObject *self,
            PyObject *arg)
{
  GError *error = NULL;
  IoStream *stream;
  Py_buffer view;
  gssize count;

  if ((stream = stream_of (self)) == NULL)
    return NULL;
  if (PyBytes_CheckExact (arg))
    {
      CALL (stream, count, io_stream_write (stream, (const guint8 *) PyBytes_AS_STRING (arg),
                                            PyBytes_GET_SIZE (arg), &error));
    }
  else
    {
      /* PyBUF_SIMPLE: any C-contiguous bytes-like object, read-only too. */
      if (!borrow_buffer (arg, &view, PyBUF_SIMPLE))
        return fall_back ("write", self, &arg, 1, NULL);
      CALL (stream, count, io_stream_write (stream, view.buf, view.len, &error));
      PyBuffer_Release (&view);
    }
  return count_result (self, count, error, "w");
}

static PyObject *
do_peek (PyObject   *self,
         IoStream   *stream,
         Py_ssize_t  size)
{
  GError *error = NULL;
  GBytes *bytes;

  CALL (stream, bytes, io_stream_peek (stream, MAX (size, 0), &error));
  return take_gbytes (self, bytes, error);
}

static PyObject *
base_tell (PyObject *self,
           PyObject *unused)
{
  GError *error = NULL;
  IoStream *stream = stream_of (self);
  gint64 position;

  if (stream == NULL)
    return NULL;
  CALL (stream, position, io_stream_tell (stream, &error));
  if (position < 0)
    return raise_error (self, error, NULL);
  return PyLong_FromLongLong (position);
}

static PyObject *
base_seek (PyObject         *self,
           PyObject *const  *args,
           Py_ssize_t        nargs,
           PyObject         *kwnames)
{
  GError *error = NULL;
  Py_ssize_t offset, whence = 0;
  IoStream *stream;
  gint64 position;

  if (kwnames != NULL || nargs < 1 || nargs > 2 || !plain_int (args[0], &offset) ||
      (nargs == 2 && !plain_int (args[1], &whence)) || whence < 0 || whence > 2 ||
      (stream = stream_of (self)) == NULL)
    return fall_back ("seek", self, args, nargs, kwnames);
  CALL (stream, position, io_stream_seek (stream, offset, (IoWhence) whence, &error));
  if (position < 0)
    return raise_error (self, error, NULL);
  return PyLong_FromLongLong (position);
}

static PyObject *
base_getvalue (PyObject *self,
               PyObject *unused)
{
  GError *error = NULL;
  IoStream *stream = stream_of (self);
  GBytes *bytes;

  if (stream == NULL)
    return NULL;
  if (!IO_IS_MEMORY_STREAM (stream))
    return PyErr_Format (PyExc_TypeError, "getvalue() needs an Io.MemoryStream");
  CALL (stream, bytes, io_memory_stream_get_value (IO_MEMORY_STREAM (stream), &error));
  return take_gbytes (self, bytes, error);
}

/* --- getbuffer(): an exporter of the memory stream's live buffer ------ */

/* Holds one export of the stream (io_memory_stream_acquire_buffer()) for
 * its life: memoryview keeps it while any view derived from the one
 * getbuffer() returns is alive, and its end releases the export. */
typedef struct
{
  PyObject_HEAD
  PyObject *owner;  /* the Python stream: the views keep it alive */
  guint8 *data;
  gsize len;
} Export;

static int
export_getbuffer (PyObject  *self,
                  Py_buffer *view,
                  int        flags)
{
  Export *export = (Export *) self;
  static guint8 empty;

  return PyBuffer_FillInfo (view, self, export->len ? export->data : &empty,
                            (Py_ssize_t) export->len, 0, flags);
}

static void
export_dealloc (PyObject *self)
{
  Export *export = (Export *) self;
  IoStream *stream = (IoStream *) pygobject_get (export->owner);

  CALL_DO (stream, io_memory_stream_release_buffer (IO_MEMORY_STREAM (stream)));
  Py_DECREF (export->owner);
  Py_TYPE (self)->tp_free (self);
}

static PyBufferProcs export_as_buffer = {
  .bf_getbuffer = export_getbuffer,
};

static PyTypeObject export_type = {
  PyVarObject_HEAD_INIT (NULL, 0)
  .tp_name = "gi.overrides._ioaccel.Export",
  .tp_doc = "One export of an Io.MemoryStream's buffer.",
  .tp_basicsize = sizeof (Export),
  .tp_flags = Py_TPFLAGS_DEFAULT,
  .tp_dealloc = export_dealloc,
  .tp_as_buffer = &export_as_buffer,
};

static PyObject *
base_getbuffer (PyObject *self,
                PyObject *unused)
{
  GError *error = NULL;
  IoStream *stream = stream_of (self);
  Export *export;
  PyObject *view;
  guint8 *data = NULL;
  gsize len = 0;
  gboolean acquired;

  if (stream == NULL)
    return NULL;
  if (!IO_IS_MEMORY_STREAM (stream))
    return PyErr_Format (PyExc_TypeError, "getbuffer() needs an Io.MemoryStream");
  CALL (stream, acquired,
        io_memory_stream_acquire_buffer (IO_MEMORY_STREAM (stream), &data, &len, &error));
  if (!acquired)
    return raise_error (self, error, NULL);
  export = PyObject_New (Export, &export_type);
  if (export == NULL)
    {
      CALL_DO (stream, io_memory_stream_release_buffer (IO_MEMORY_STREAM (stream)));
      return NULL;
    }
  export->owner = Py_NewRef (self);
  export->data = data;
  export->len = len;
  view = PyMemoryView_FromObject ((PyObject *) export);
  Py_DECREF (export);
  return view;
}

/* --- FileStream and PipeStream: io.FileIO ------------------------------ */

/* Gives @self its instance dict if it has none yet. CPython 3.11
 * specializes `stream.read` and the like, on an instance whose class has
 * a __dict__ slot, only once that dict exists (FileIO's holds its name):
 * a PipeStream has none, so each lookup would go the generic way. */
static inline void
ensure_instance_dict (PyObject *self)
{
  PyObject *dict;

  if G_LIKELY (((PyGObject *) self)->inst_dict != NULL)
    return;
  dict = PyObject_GenericGetDict (self, NULL);
  if (dict == NULL)
    PyErr_Clear ();  /* only slower */
  Py_XDECREF (dict);
}

/* @result, or None for the BlockingIOError of a non-blocking descriptor
 * with nothing to give or no room, as FileIO returns. */
static PyObject *
none_if_would_block (PyObject *result)
{
  if (result != NULL || !PyErr_ExceptionMatches (PyExc_BlockingIOError))
    return result;
  PyErr_Clear ();
  Py_RETURN_NONE;
}

/* read(size): FileIO's, one system call (read_once()); read(-1) and
 * other arguments are the override's. */
static PyObject *
base__fd_read (PyObject         *self,
               PyObject *const  *args,
               Py_ssize_t        nargs,
               PyObject         *kwnames)
{
  Py_ssize_t size = -1;
  IoStream *stream;

  ensure_instance_dict (self);
  if (!optional_size (args, nargs, kwnames, &size) || size < 0)
    return fall_back ("_fd_read", self, args, nargs, kwnames);
  if ((stream = stream_of (self)) == NULL)
    return NULL;
  return none_if_would_block (read_new (self, stream, size, TRUE));
}

/* readinto(buffer): FileIO's, one system call (read_once()). */
static PyObject *
base__fd_readinto (PyObject *self,
                   PyObject *arg)
{
  ensure_instance_dict (self);
  return none_if_would_block (read_into (self, arg, TRUE, "_raw_readinto"));
}

/* FileIO's write() on a pipe, socket or terminal in the main thread,
 * where Python runs the signal handlers: one call of the backend's write
 * (one write(2)) under the stream's lock, where io_stream_write() would
 * loop until every byte is written. A signal cuts it short as it cuts
 * FileIO's: after some bytes, their count; before any, Python's handlers
 * run and the write is made again unless one raised (read_once()). The
 * count written, or None (a new reference) when the stream's own write
 * must do the work or say what is wrong (another thread, a file, closed,
 * not writable, not a contiguous buffer, nothing to write). */
static PyObject *
write_once (PyObject *self,
            IoStream *stream,
            PyObject *arg)
{
  IoStreamClass *klass = IO_STREAM_GET_CLASS (stream);
  /* The descriptor streams' own write, which signals interrupt (a Python
   * `do_write` may call other streams, which must retry as usual). */
  gboolean own = klass->write == fd_class->write;
  GError *error = NULL;
  Py_buffer view;
  gssize count = -1;
  gboolean usable = FALSE;

  if ((descriptor_waits (stream) & IO_FD_WAITS_WRITABLE) == 0 ||
      !borrow_buffer (arg, &view, PyBUF_SIMPLE))
    Py_RETURN_NONE;
  while (view.len > 0)
    {
      Py_BEGIN_ALLOW_THREADS
      if (io_stream_lock (stream, NULL))
        {
          /* Writable: IO_FD_WAITS_WRITABLE says so, and the mode never
           * changes. */
          usable = klass->write != NULL && !io_stream_is_closed (stream);
          if (usable)
            {
              gboolean was = own && _io_fd_set_interruptible (TRUE);

              count = klass->write (stream, view.buf, (gsize) view.len, &error);
              if (own)
                _io_fd_set_interruptible (was);
            }
          io_stream_unlock (stream);
        }
      Py_END_ALLOW_THREADS
      if (!usable || !own || count >= 0 || error == NULL || !interrupted (&error))
        break;
      if (PyErr_CheckSignals () < 0)
        {
          PyBuffer_Release (&view);
          return NULL;
        }
    }
  PyBuffer_Release (&view);
  if (!usable)
    {
      g_clear_error (&error);
      Py_RETURN_NONE;
    }
  if (count < 0 && error == NULL)
    Py_RETURN_NONE;  /* a backend that failed without an error */
  return count_result (self, count, error, "w");
}

/* write(b): FileIO's, write_once() where it applies, else the stream's
 * write. */
static PyObject *
base__fd_write (PyObject *self,
                PyObject *arg)
{
  IoStream *stream = stream_of (self);
  PyObject *written;

  if (stream == NULL)
    return NULL;
  ensure_instance_dict (self);
  written = write_once (self, stream, arg);
  if (written != Py_None)
    return none_if_would_block (written);
  Py_DECREF (written);
  return none_if_would_block (base_write (self, arg));
}

/* --- The mixin and the module ---------------------------------------- */

SIZED_METHOD (read, -1)
WAITING_SIZED_METHOD (read1, -1)
WAITING_SIZED_METHOD (readline, -1)
SIZED_METHOD (peek, 0)

#define FASTCALL(name, func, doc) \
  { name, (PyCFunction) (void (*) (void)) func, METH_FASTCALL | METH_KEYWORDS, doc }

static PyMethodDef base_methods[] = {
  FASTCALL ("read", base_read, "read(size=-1): at most size bytes, all if negative."),
  FASTCALL ("read1", base_read1, "read1(size=-1): at most size bytes, one backend read."),
  { "readinto", base_readinto, METH_O, "readinto(b): fills b, returns the count." },
  { "readinto1", base_readinto1, METH_O, "readinto1(b): readinto() with one backend read." },
  { "_raw_readinto", base__raw_readinto, METH_O, "FileIO.readinto(): one system call." },
  FASTCALL ("readline", base_readline, "readline(size=-1): one line."),
  FASTCALL ("_read1_now", base__read1_now, "read1() without waiting in Python first."),
  { "_readinto1_now", base__readinto1_now, METH_O, "readinto1() without waiting in Python first." },
  FASTCALL ("_readline_now", base__readline_now, "readline() without waiting in Python first."),
  FASTCALL ("peek", base_peek, "peek(size=0): bytes ahead, without moving."),
  { "write", base_write, METH_O, "write(b): writes any bytes-like object." },
  { "tell", base_tell, METH_NOARGS, "tell(): the position." },
  FASTCALL ("seek", base_seek, "seek(pos, whence=0): moves, returns the position."),
  { "getvalue", base_getvalue, METH_NOARGS, "getvalue(): the whole contents." },
  { "getbuffer", base_getbuffer, METH_NOARGS, "getbuffer(): a view of the live buffer." },
  FASTCALL ("_fd_read", base__fd_read, "FileIO.read(size): one system call."),
  { "_fd_readinto", base__fd_readinto, METH_O, "FileIO.readinto(b): one system call." },
  { "_fd_write", base__fd_write, METH_O, "FileIO.write(b): one system call where it may wait." },
  { NULL }
};

static PyTypeObject base_type = {
  PyVarObject_HEAD_INIT (NULL, 0)
  .tp_name = "gi.overrides._ioaccel.StreamBase",
  .tp_doc = "The compiled methods of Io.Stream, mixed into the override's Stream.",
  .tp_basicsize = sizeof (PyObject),
  .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
  .tp_iter = base_iter,
  .tp_iternext = base_iternext,
  .tp_methods = base_methods,
  .tp_new = NULL,
};

static PyObject *
accel_setup (PyObject *module,
             PyObject *args)
{
  PyObject *new_translate, *new_fallbacks;

  if (!PyArg_ParseTuple (args, "OO!k:setup", &new_translate, &PyDict_Type, &new_fallbacks,
                         &main_thread))
    return NULL;
  Py_XSETREF (translate, Py_NewRef (new_translate));
  Py_XSETREF (fallbacks, Py_NewRef (new_fallbacks));
  Py_RETURN_NONE;
}

/* method_for(cls, name): the compiled method @name as a method of @cls
 * itself. CPython 3.11 calls a builtin method without its generic checks
 * only on an instance of exactly the class the method belongs to: the
 * methods of StreamBase, inherited, take the slow call on every stream. */
static PyObject *
accel_method_for (PyObject *module,
                  PyObject *args)
{
  PyTypeObject *cls;
  const char *name;
  PyMethodDef *def;

  if (!PyArg_ParseTuple (args, "O!s:method_for", &PyType_Type, &cls, &name))
    return NULL;
  if (!PyType_IsSubtype (cls, &base_type))
    return PyErr_Format (PyExc_TypeError, "method_for() needs a subclass of StreamBase");
  for (def = base_methods; def->ml_name != NULL; def++)
    if (strcmp (def->ml_name, name) == 0)
      return PyDescr_NewMethod (cls, def);
  return PyErr_Format (PyExc_AttributeError, "StreamBase has no method %s", name);
}

/* --- Io.TextStream ---------------------------------------------------- */

static PyObject *text_translate;  /* the override's _text_error(error) */
static PyObject *text_error_type; /* GLib.Error, the errors it translates */

/* next(text): Io.TextStream's next line as a str, NULL (no exception) at
 * the end, read into the thread's reused buffer without the introspected
 * call and its GBytes. A line the C side knows to be ASCII is copied into
 * a new str rather than decoded. */
static PyObject *
text_iternext (PyObject *self)
{
  GObject *object = pygobject_get (self);
  IoTextStream *text;
  IoStream *buffer;
  LineBuffer mine;
  GError *error = NULL;
  PyObject *result = NULL;
  char *line;
  gboolean ascii = FALSE, may_read;
  gssize len;

  if (object == NULL || !IO_IS_TEXT_STREAM (object))
    {
      PyErr_SetString (PyExc_TypeError, "the Io.TextStream was not initialised");
      return NULL;
    }
  text = IO_TEXT_STREAM (object);
  buffer = _io_text_stream_peek_buffer (text);
  mine = line_buffer_take ();
  line = (char *) mine.data;
  /* A memory buffer never blocks nor calls back into Python, and neither
   * does a line the decoded text holds whole: the GIL is let go only for
   * the reads of the others, and for a memory buffer's where other
   * threads exist (one may hold the buffer: see keeps_gil()), once per
   * chunk decoded. */
  may_read = buffer != NULL && !MAY_BLOCK (buffer) && ONE_THREAD ();
  len = _io_text_stream_next_line_into (text, &line, &mine.capacity, &ascii, may_read, &error);
  if (len == -2)
    {
      Py_BEGIN_ALLOW_THREADS
      len = _io_text_stream_next_line_into (text, &line, &mine.capacity, &ascii, TRUE, &error);
      Py_END_ALLOW_THREADS
    }
  if (len > 0 && !ascii)
    result = PyUnicode_DecodeUTF8 (line, len, "surrogatepass");
  else if (len > 0 && (result = PyUnicode_New (len, 127)) != NULL)
    memcpy (PyUnicode_1BYTE_DATA (result), line, len);
  mine.data = (guint8 *) line;
  line_buffer_give_back (mine);
  if (len >= 0)
    return result;  /* NULL at the end: StopIteration */
  pyg_error_check (&error);
  if (text_translate != NULL && PyErr_ExceptionMatches (text_error_type))
    {
      PyObject *value = take_exception ();
      PyObject *exc = PyObject_CallOneArg (text_translate, value);

      Py_XDECREF (value);
      return raise_instead (exc);
    }
  return NULL;
}

static PyTypeObject text_base_type = {
  PyVarObject_HEAD_INIT (NULL, 0)
  .tp_name = "gi.overrides._ioaccel.TextBase",
  .tp_doc = "The compiled __next__ of Io.TextStream, mixed into the override's TextStream.",
  .tp_basicsize = sizeof (PyObject),
  .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
  .tp_iternext = text_iternext,
  .tp_new = NULL,
};

static PyObject *
accel_text_setup (PyObject *module,
                  PyObject *args)
{
  PyObject *new_translate, *new_error_type;

  if (!PyArg_ParseTuple (args, "OO:text_setup", &new_translate, &new_error_type))
    return NULL;
  Py_XSETREF (text_translate, Py_NewRef (new_translate));
  Py_XSETREF (text_error_type, Py_NewRef (new_error_type));
  Py_RETURN_NONE;
}

static PyMethodDef module_methods[] = {
  { "method_for", accel_method_for, METH_VARARGS,
    "method_for(cls, name): StreamBase's method name, bound to the class cls." },
  { "text_setup", accel_text_setup, METH_VARARGS,
    "text_setup(translate, error_type): how TextBase raises the errors of error_type." },
  { "setup", accel_setup, METH_VARARGS,
    "setup(translate, fallbacks, main_thread): the override's error translation, "
    "its pure-Python methods by name, and the ident of the main thread." },
  { NULL }
};

static struct PyModuleDef module_def = {
  PyModuleDef_HEAD_INIT,
  .m_name = "_ioaccel",
  .m_doc = "The compiled hot paths of the Io override.",
  .m_size = -1,
  .m_methods = module_methods,
};

PyMODINIT_FUNC PyInit__ioaccel (void);

PyMODINIT_FUNC
PyInit__ioaccel (void)
{
  PyObject *module;

  if (pygobject_init (3, 0, 0) == NULL)
    return NULL;
  memory_type = IO_TYPE_MEMORY_STREAM;
  _io_window_lines_init (&window_lines);
  fd_class = g_type_class_ref (IO_TYPE_FD_STREAM);
  file_type = IO_TYPE_FILE_STREAM;
  pipe_type = IO_TYPE_PIPE_STREAM;
  if (PyType_Ready (&base_type) < 0 || PyType_Ready (&export_type) < 0 ||
      PyType_Ready (&text_base_type) < 0)
    return NULL;
  module = PyModule_Create (&module_def);
  if (module == NULL)
    return NULL;
  if (PyModule_AddObjectRef (module, "StreamBase", (PyObject *) &base_type) < 0 ||
      PyModule_AddObjectRef (module, "TextBase", (PyObject *) &text_base_type) < 0)
    {
      Py_DECREF (module);
      return NULL;
    }
  return module;
}
