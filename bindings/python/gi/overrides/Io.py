# Io.py: the PyGObject override that makes libstream streams Python file objects
#
# SPDX-License-Identifier: LGPL-2.1-or-later

"""Python binary file objects over libstream.

With this override every `Io.Stream` has the interface of
`io.BufferedIOBase` (it is registered with that ABC), and
`Io.MemoryStream` is a drop-in `io.BytesIO`.

Errors from C arrive as exceptions that are at once the exception `io`
raises (`ValueError` on a closed stream, `io.UnsupportedOperation`,
`BufferError`, `BlockingIOError`, an `OSError` subclass with the `errno`
and `filename` C records for the error, from `Io.error_get_errno()`)
and a `GLib.Error` (subclasses of `Io.Error`), so `except GLib.Error` and
`error.matches()` keep working.

A Python class may subclass `Io.Stream` and implement `do_read_chunk`,
`do_write`, `do_seek`, ...: its `do_*` methods are wrapped so that any
exception they raise reaches C as a `GError` rather than a silent end of
stream, and `do_read_chunk` may return `bytes`. `Io.MemoryStream` is a
final type: Python subclasses of it, as of `io.BytesIO`, add Python methods
but no vfuncs.

Speed: the hot methods (read, readinto, readline, iteration, write, seek,
tell, peek, getvalue, getbuffer) come from the compiled module
`gi.overrides._ioaccel` when it is there, which calls libstream directly
through the buffer protocol; the methods here are its fallback, for the
arguments it does not handle itself and when it is absent (or disabled
with the environment variable IO_PYTHON_NO_ACCEL=1). Either way
`for line in stream` takes one line from C per step.

The plain introspected methods stay reachable through the class, e.g.
`Io.Stream.read_bytes(stream, 4)` returns a `GLib.Bytes`.
"""

import atexit
import copy
import copyreg
import errno as errno_codes
import fcntl
import functools
import gi
import io
import operator
import os
import select
import stat
import sys
import termios
import threading
import warnings
import weakref

from gi.repository import GLib, Gio

from ..module import get_introspection_module
from ..overrides import override

Io = get_introspection_module('Io')

__all__ = []

_accel = None
if not os.environ.get('IO_PYTHON_NO_ACCEL'):
    try:
        from . import _ioaccel as _accel
    except ImportError:
        pass

_IO_DOMAIN = 'g-io-error-quark'
_E = Gio.IOErrorEnum

# The raw methods, looked up once: the override shadows most of them.
# Touching Io.MemoryStream here would fix its base before Stream is overridden.
_gi_readline = Io.Stream.readline_array
_gi_readlines_joined = Io.Stream.readlines_joined
_gi_peek = Io.Stream.peek
_gi_write = Io.Stream.write
_gi_seek = Io.Stream.seek
_gi_tell = Io.Stream.tell
_gi_truncate = Io.Stream.truncate
_gi_flush = Io.Stream.flush
_gi_close = Io.Stream.close
_gi_is_closed = Io.Stream.is_closed
_gi_readable = Io.Stream.readable
_gi_writable = Io.Stream.writable
_gi_seekable = Io.Stream.seekable
_gi_isatty = Io.Stream.isatty
_gi_fileno = Io.Stream.fileno
_gi_error_get_errno = Io.error_get_errno
_gi_error_get_filename = Io.error_get_filename
_gi_error_get_filename2 = Io.error_get_filename2
_gi_error_set_from_errno = Io.error_set_from_errno

_CLOSED_MESSAGE = 'I/O operation on closed file.'


def _reader(read_array, read_gbytes):
    """A read(stream, size) returning bytes, without the accelerator.
    PyGObject copies a returned C array into bytes one item at a time:
    beyond a few KiB a GBytes, copied in one piece, is much faster."""
    def read(stream, size):
        if 0 <= size <= 256:
            return read_array(stream, size)
        data = read_gbytes(stream, size)
        return data.get_data() if data.get_size() else b''
    return read


_gi_read = _reader(Io.Stream.read, Io.Stream.read_bytes)
_gi_read1 = _reader(Io.Stream.read1, Io.Stream.read1_bytes)


def _read_all(stream):
    """read(-1) without the accelerator: on a seekable stream in one block
    of the size the end of the stream gives, as FileIO.readall() does (C
    reading to an unknown end grows its buffer as it goes)."""
    if _gi_seekable(stream):
        position = _gi_tell(stream)
        size = _gi_seek(stream, 0, Io.Whence.END) - position
        _gi_seek(stream, position, Io.Whence.SET)
        if size > 0:
            data = _gi_read(stream, size)
            if len(data) == size:
                # The stream may have grown meanwhile.
                data += _gi_read(stream, -1)
            return data
    return _gi_read(stream, -1)


# --- Exceptions ----------------------------------------------------------

class Error(GLib.Error):
    """Base of the exceptions raised for libstream errors.

    Each concrete class also derives from the exception `io` raises in the
    same situation, which comes first in the MRO so that `str()` and
    `repr()` read like CPython's.
    """

    __str__ = BaseException.__str__
    __repr__ = BaseException.__repr__


class ClosedError(ValueError, Error):
    """An operation on a closed stream (`G_IO_ERROR_CLOSED`)."""


class NotSupportedError(io.UnsupportedOperation, Error):
    """An operation the stream does not support (`G_IO_ERROR_NOT_SUPPORTED`)."""


class InvalidArgumentError(ValueError, Error):
    """A bad argument value (`G_IO_ERROR_INVALID_ARGUMENT`)."""


class ArgumentTypeError(TypeError, Error):
    """An argument of the wrong type (`G_IO_ERROR_INVALID_ARGUMENT`)."""


class BusyError(BufferError, Error):
    """A resize while the buffer is exported (`G_IO_ERROR_BUSY`)."""


class WouldBlockError(BlockingIOError, Error):
    """A non-blocking operation that would block (`G_IO_ERROR_WOULD_BLOCK`)."""


class NoSpaceError(MemoryError, Error):
    """A memory stream that cannot grow (`G_IO_ERROR_NO_SPACE` without errno)."""


__all__ += ['Error', 'ClosedError', 'NotSupportedError', 'InvalidArgumentError',
            'ArgumentTypeError', 'BusyError', 'WouldBlockError', 'NoSpaceError']

_CLASS_BY_CODE = {
    int(_E.CLOSED): ClosedError,
    int(_E.NOT_SUPPORTED): NotSupportedError,
    int(_E.INVALID_ARGUMENT): InvalidArgumentError,
    int(_E.BUSY): BusyError,
}

# The errno of the G_IO_ERROR codes that have one, for errors C did not set
# from an errno (a GError from elsewhere).
_ERRNO_BY_CODE = {int(getattr(_E, code)): getattr(errno_codes, name) for code, name in (
    ('NOT_FOUND', 'ENOENT'), ('EXISTS', 'EEXIST'), ('IS_DIRECTORY', 'EISDIR'),
    ('NOT_DIRECTORY', 'ENOTDIR'), ('NOT_EMPTY', 'ENOTEMPTY'),
    ('FILENAME_TOO_LONG', 'ENAMETOOLONG'), ('PERMISSION_DENIED', 'EACCES'),
    ('TOO_MANY_LINKS', 'ELOOP'), ('READ_ONLY', 'EROFS'), ('CANCELLED', 'ECANCELED'),
    ('TIMED_OUT', 'ETIMEDOUT'), ('TOO_MANY_OPEN_FILES', 'EMFILE'),
    ('BROKEN_PIPE', 'EPIPE'), ('CONNECTION_REFUSED', 'ECONNREFUSED'),
    ('NOT_CONNECTED', 'ENOTCONN'), ('ADDRESS_IN_USE', 'EADDRINUSE'),
    ('HOST_UNREACHABLE', 'EHOSTUNREACH'), ('NETWORK_UNREACHABLE', 'ENETUNREACH'),
    ('MESSAGE_TOO_LARGE', 'EMSGSIZE'), ('WOULD_BLOCK', 'EAGAIN'))}

_OS_ERROR_CLASSES = {BlockingIOError: WouldBlockError}


def _os_error_class(errno):
    """The `Io.Error` twin of the `OSError` subclass CPython picks for @errno."""
    std = type(OSError(errno, '')) if errno is not None else OSError
    cls = _OS_ERROR_CLASSES.get(std)
    if cls is None:
        cls = type(std.__name__, (std, Error), {
            '__module__': __name__,
            '__qualname__': 'Error.' + std.__name__,
            '__doc__': 'An `%s` that is also a `GLib.Error`.' % std.__name__,
            '__str__': std.__str__,
        })
        _OS_ERROR_CLASSES[std] = cls
    return cls


def _os_error(error, errno):
    """The `OSError` for a GError that C set from @errno."""
    args = [errno, GLib.strerror(errno)]
    filename = _gi_error_get_filename(error)
    if filename is not None:
        args.append(filename)
        filename2 = _gi_error_get_filename2(error)
        if filename2 is not None:
            args += [None, filename2]
    return _os_error_class(errno)(*args)


def _other_error(code, message):
    """The exception for a GError without errno of a code that has no class
    of its own."""
    errno = _ERRNO_BY_CODE.get(code)
    if errno is not None:
        return _os_error_class(errno)(errno, message)
    if code == _E.NO_SPACE:
        return NoSpaceError(message)
    return _os_error_class(None)(message)


def _attach(exc, message, code):
    exc.message = message
    exc.domain = _IO_DOMAIN
    exc.code = int(code)
    return exc


def _translate(error, stream=None, iobase=False, access=None):
    """The Python exception for a `GLib.Error` raised by a libstream call.

    An error C set from an errno is the `OSError` of that errno whatever
    its code, as in FileIO (`seek()` before the start is `OSError(EINVAL)`,
    not a `ValueError`). With @stream, the text is the one its class's
    Python twin gives (FileIO words some errors differently from BytesIO):
    @iobase says the method is one that class inherits from `IOBase`, which
    words the closed error as BytesIO does, and @access is 'r' or 'w' in
    the methods that read or write, where an unsupported operation means
    the mode does not allow it."""
    if isinstance(error, Error) or error.domain != _IO_DOMAIN:
        return error
    if getattr(_stashed, 'entries', None):
        stashed = _unstash(error)
        if stashed is not None:
            return stashed
    code = error.code
    message = error.message
    errno = _gi_error_get_errno(error)
    cls = _CLASS_BY_CODE.get(code)
    if errno:
        exc = _os_error(error, errno)
    elif cls is ClosedError:
        exc = ClosedError(_closed_message(stream, iobase))
    elif cls is NotSupportedError and stream is not None:
        exc = cls(stream._access_messages.get(access, message))
    elif cls is not None:
        exc = cls(message)
    else:
        exc = _other_error(code, message)
    return _attach(exc, message, code)


def _error(cls, message, code=_E.INVALID_ARGUMENT):
    return _attach(cls(message), message, code)


def _closed_message(stream, iobase):
    return _CLOSED_MESSAGE if stream is None or iobase else stream._closed_message


def _closed_error(stream=None, iobase=False):
    message = _closed_message(stream, iobase)
    return _attach(ClosedError(message), message, _E.CLOSED)


# --- Argument conversions ------------------------------------------------

# What CPython's argument conversions raise for an int out of C's range.
_SSIZE_MAX = 2 ** 63 - 1
_SIZE_OVERFLOW = "cannot fit 'int' into an index-sized integer"
_SSIZE_OVERFLOW = 'Python int too large to convert to C ssize_t'
_LONG_OVERFLOW = 'Python int too large to convert to C long'
_INT_OVERFLOW = 'Python int too large to convert to C int'


def _in_range(value, low=-_SSIZE_MAX - 1, high=_SSIZE_MAX):
    return low <= value <= high


def _check_int_range(value):
    """Raises CPython's OverflowError for a value beyond a C int (a whence,
    a descriptor)."""
    if not _in_range(value, -2 ** 31, 2 ** 31 - 1):
        raise OverflowError(_INT_OVERFLOW)


def _optional_size(size):
    """`size` of read()/read1()/readline(): None or negative mean -1."""
    if size is None:
        return -1
    try:
        size = operator.index(size)
    except TypeError:
        raise _error(ArgumentTypeError, "argument should be integer or None, not '%s'"
                     % type(size).__name__) from None
    if not _in_range(size):
        raise OverflowError(_SIZE_OVERFLOW)
    return size if size >= 0 else -1


def _index(value):
    try:
        return operator.index(value)
    except TypeError as exc:
        raise _error(ArgumentTypeError, str(exc)) from None


def _as_view(stream, data):
    """A C-contiguous memoryview of @data, or the error BytesIO.write raises
    (after the errors it checks first, when writing to @stream)."""
    try:
        view = memoryview(data)
    except TypeError:
        if stream is not None:
            stream._check_resizable()
        raise _error(ArgumentTypeError, "a bytes-like object is required, not '%s'"
                     % type(data).__name__) from None
    if not view.c_contiguous:
        view.release()
        raise _error(BusyError, 'memoryview: underlying buffer is not C-contiguous',
                     _E.INVALID_ARGUMENT)
    return view


def _as_bytes(stream, data):
    """@data as `bytes`, in one copy (none for `bytes`)."""
    if isinstance(data, bytes):
        return bytes(data)
    with _as_view(stream, data) as view:
        return view.tobytes()


# --- Python subclasses driven by C ---------------------------------------

def _to_gbytes(result, args):
    if isinstance(result, GLib.Bytes):
        return result
    if result is None:
        raise _error(WouldBlockError, 'read would block', _E.WOULD_BLOCK)
    if result.__class__ is not bytes:
        try:
            view = memoryview(result)
        except TypeError:
            raise TypeError('a bytes-like object is required, not %r'
                            % type(result).__name__) from None
        with view:
            if not view.c_contiguous:
                raise BufferError('memoryview: underlying buffer is not C-contiguous')
            result = view.tobytes()
    return GLib.Bytes.new(result)


def _position(result, args):
    """A position or size, checked here, where the error can reach the
    caller, rather than by PyGObject, which prints it and hands C a 0."""
    if result.__class__ is not int:
        result = operator.index(result)
    if not _in_range(result):
        raise OverflowError('%d is beyond a C gint64' % result)
    return result


def _true_if_none(result, args):
    return True if result is None else result


def _first_arg_if_none(result, args):
    return args[0] if result is None else _position(result, args)


def _count_if_none(result, args):
    if result is None:
        return args[-1]
    # Checked here, where the error can reach the caller, rather than by
    # PyGObject, which prints it and hands C a 0.
    if result.__class__ is not int:
        result = operator.index(result)
    if not _in_range(result):
        raise OverflowError('do_write() returned %d, beyond a C ssize_t' % result)
    return result


# How a `do_*` return value is made acceptable to C.
_VFUNC_RESULTS = {
    'do_read_chunk': _to_gbytes,
    'do_peek': _to_gbytes,
    'do_write': _count_if_none,
    'do_seek': _position,
    'do_tell': _position,
    'do_truncate': _first_arg_if_none,
    'do_flush': _true_if_none,
    'do_close': _true_if_none,
}


def _to_gerror(exc):
    """A `GLib.Error` in G_IO_ERROR that C can receive for any exception."""
    if isinstance(exc, io.UnsupportedOperation):
        code = _E.NOT_SUPPORTED
    elif isinstance(exc, OSError) and exc.errno is not None:
        code = Gio.io_error_from_errno(exc.errno)
    elif isinstance(exc, (ValueError, TypeError)):
        code = _E.INVALID_ARGUMENT
    elif isinstance(exc, BufferError):
        code = _E.BUSY
    elif isinstance(exc, MemoryError):
        code = _E.NO_SPACE
    else:
        code = _E.FAILED
    if isinstance(exc, OSError) and exc.errno is not None and 0 < exc.errno < 2 ** 31:
        # Recorded in C with its errno and filenames (the strerror is C's).
        try:
            _gi_error_set_from_errno(exc.errno, _filename_for_c(exc.filename),
                                     _filename_for_c(exc.filename2))
        except GLib.Error as error:
            return error
    if isinstance(exc, OSError) or code == _E.INVALID_ARGUMENT:
        message = str(exc)
    else:
        message = '%s: %s' % (type(exc).__name__, exc)
    return GLib.Error(message, _IO_DOMAIN, int(code))


def _filename_for_c(filename):
    """An `OSError` filename as C takes it: str and bytes as they are,
    path-like objects through os.fspath(), anything else as its str()."""
    if filename is None or isinstance(filename, (str, bytes)):
        return filename
    try:
        return os.fspath(filename)
    except TypeError:
        return str(filename)


# Per thread, the Python exception a `do_*` method raised that must reach
# the Python caller as itself, with the GError C got for it: see _stash().
_stashed = threading.local()


def _stash(exc, error=None):
    """The GError for @exc, which the caller of the outer call is to get
    back as itself: a BaseException that is not an Exception (Ctrl-C's
    KeyboardInterrupt, SystemExit), which `except OSError` must not
    swallow, or the error of a bad return value, which PyGObject would
    print and hand C as a 0. _translate() gives @exc back for that GError
    when it comes back from C in this thread, and forgets it. @error, when
    given, is the GError to use instead of the one @exc maps to."""
    if error is None:
        error = _to_gerror(exc)
    # A list, newest last: a collection that runs a dropped stream's
    # __del__ between the stash and the translation stashes its own.
    entries = _stashed.__dict__.setdefault('entries', [])
    entries.append((error.code, error.message, exc))
    del entries[:-_STASH_DEPTH]
    return error


# How many stashed exceptions a thread keeps at most.
_STASH_DEPTH = 8


def _unstash(error):
    """The exception _stash() kept for @error, or None."""
    entries = getattr(_stashed, 'entries', ())
    for i in range(len(entries) - 1, -1, -1):
        code, message, exc = entries[i]
        if code == error.code and message == error.message:
            del entries[i]
            return exc
    return None


def _guard_vfunc(name, func):
    convert = _VFUNC_RESULTS.get(name)

    @functools.wraps(func)
    def guarded(self, *args):
        try:
            result = func(self, *args)
        except GLib.Error:
            raise
        except Exception as exc:
            raise _to_gerror(exc) from exc
        except BaseException as exc:
            raise _stash(exc) from exc
        if convert is None:
            return result
        try:
            return convert(result, args)
        except GLib.Error:
            raise
        except BaseException as exc:
            raise _stash(exc) from exc

    guarded._io_guarded = True
    return guarded


# --- Streams -------------------------------------------------------------

# Instances of Python classes, which may implement vfuncs in Python: they
# are closed at exit while Python can still run their do_close, rather than
# disposed once the interpreter is half gone.
_python_streams = weakref.WeakSet()


@atexit.register
def _close_python_streams():
    for stream in list(_python_streams):
        try:
            if not _gi_is_closed(stream):
                _gi_close(stream)
        except GLib.Error:
            pass


def _translated(gi_method, name, doc, returns=True, iobase=False):
    """A method calling @gi_method with the errors translated; it returns
    what @gi_method returns, or None unless @returns."""
    def method(self):
        try:
            result = gi_method(self)
        except GLib.Error as e:
            raise _translate(e, self, iobase) from None
        return result if returns else None
    method.__name__ = method.__qualname__ = name
    method.__doc__ = doc
    return method


# The compiled methods, when the accelerator is there: its StreamBase is a
# base of Stream, so that they apply to every stream.
_ACCEL_BASES = (_accel.StreamBase,) if _accel is not None else ()


class Stream(Io.Stream, *_ACCEL_BASES):
    """A libstream stream with the interface of `io.BufferedIOBase`."""

    # How errors read: as BytesIO words them. The closed error's text, and
    # the texts of an operation the mode does not allow, by access ('r' for
    # the reading methods, 'w' for the writing ones): BytesIO has none.
    _closed_message = _CLOSED_MESSAGE
    _access_messages = {}
    # The OverflowError of a position out of range.
    _position_overflow = _SSIZE_OVERFLOW

    def _check_position_range(self):
        """What seek() checks before a position out of range: nothing."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name, value in list(vars(cls).items()):
            if (name.startswith('do_') and callable(value)
                    and not getattr(value, '_io_guarded', False)):
                setattr(cls, name, _guard_vfunc(name, value))

    def __new__(cls, *args, **kwargs):
        self = super().__new__(cls)
        if cls.__module__ != __name__:
            _python_streams.add(self)
            _is_python_backend(cls)  # for __del__, which may run at shutdown
        return self

    # Reading

    def read(self, size=-1):
        if size.__class__ is not int or size < 0:
            size = _optional_size(size)
        try:
            return _read_all(self) if size < 0 else _gi_read(self, size)
        except GLib.Error as e:
            raise _translate(e, self, access='r') from None
        except OverflowError:
            raise OverflowError(_SIZE_OVERFLOW) from None

    def read1(self, size=-1):
        if size.__class__ is not int or size < 0:
            size = _optional_size(size)
        try:
            return _gi_read1(self, size)
        except GLib.Error as e:
            raise _translate(e, self, access='r') from None
        except OverflowError:
            raise OverflowError(_SIZE_OVERFLOW) from None

    def readall(self):
        return self.read(-1)

    def _readinto(self, buffer, read, name):
        """readinto() through @read (`_gi_read` or `_gi_read1`): the bytes
        are read, then copied into @buffer."""
        try:
            view = memoryview(buffer)
        except TypeError:
            view = None
        if view is None or view.readonly or not view.c_contiguous:
            if view is not None:
                view.release()
            raise _error(ArgumentTypeError, '%s() argument must be read-write bytes-like '
                         'object, not %s' % (name, type(buffer).__name__))
        with view, view.cast('B') as target:
            try:
                data = read(self, target.nbytes)
            except GLib.Error as e:
                raise _translate(e, self, access='r') from None
            target[:len(data)] = data
            return len(data)

    def readinto(self, buffer):
        return self._readinto(buffer, _gi_read, 'readinto')

    def readinto1(self, buffer):
        return self._readinto(buffer, _gi_read1, 'readinto1')

    def _raw_readinto(self, buffer):
        """FileIO's readinto(): one backend read."""
        return self._readinto(buffer, _gi_read1, 'readinto')

    # What the descriptor streams call once they waited in Python: the
    # same methods (the accelerator's check first whether to wait there).
    _read1_now = read1
    _readinto1_now = readinto1

    def peek(self, size=0):
        size = _index(size)
        try:
            return _gi_peek(self, max(size, 0)).get_data()
        except GLib.Error as e:
            raise _translate(e, self) from None

    def readline(self, size=-1):
        if size.__class__ is not int or size < 0:
            size = _optional_size(size)
        try:
            return _gi_readline(self, size)
        except GLib.Error as e:
            raise _translate(e, self, access='r') from None
        except OverflowError:
            raise OverflowError(_SIZE_OVERFLOW) from None

    _readline_now = readline

    def readlines(self, hint=None):
        if hint is None:
            hint = 0
        elif hint.__class__ is not int:
            try:
                hint = operator.index(hint)
            except TypeError:
                if _gi_is_closed(self):
                    raise _closed_error() from None
                raise _error(ArgumentTypeError, "integer argument expected, got '%s'"
                             % type(hint).__name__) from None
        if not _in_range(hint):
            self._check_hint_range()
        return self._readlines(hint)

    def _readlines(self, hint):
        """readlines() of an int @hint."""
        try:
            joined = _gi_readlines_joined(self, max(hint, 0))
        except GLib.Error as e:
            raise _translate(e, self, True, 'r') from None
        return io.BytesIO(joined).readlines()

    def _check_hint_range(self):
        """Raises what readlines() raises for a hint out of range: BytesIO
        looks at the stream first."""
        if _gi_is_closed(self):
            raise _closed_error()
        raise OverflowError(_SSIZE_OVERFLOW)

    def __iter__(self):
        return self

    def __next__(self):
        """One line from C per call, so the stream is always right after
        the last line taken. A last line without a newline may be the start
        of a line cut by a failed read (kept for the next call): on a
        seekable stream it is read again, so that the failure is raised now
        and the whole line comes on the next call."""
        line = self.readline()
        if line[-1:] == b'\n':
            return line
        if line and _gi_seekable(self):
            try:
                _gi_seek(self, -len(line), Io.Whence.CUR)
            except GLib.Error as e:
                raise _translate(e, self, access='r') from None
            line = self.readline()
        if not line:
            raise StopIteration
        return line

    # Writing

    def write(self, b):
        try:
            return _gi_write(self, b if b.__class__ is bytes else _as_bytes(self, b))
        except GLib.Error as e:
            raise _translate(e, self, access='w') from None

    def writelines(self, lines):
        if _gi_is_closed(self):
            raise _closed_error()
        batch = []
        done = 0
        try:
            for line in lines:
                batch.append(line if line.__class__ is bytes else _as_bytes(self, line))
                if len(batch) >= 1024:
                    data = b''.join(batch)
                    batch.clear()  # never written twice, whatever happens
                    done = self._write_all(data, done)
        finally:
            if batch:
                data = b''.join(batch)
                batch.clear()
                self._write_all(data, done)

    def _write_all(self, data, done):
        """Writes @data after the @done bytes of the lines already written;
        a failure says how many were written in all, characters_written."""
        written = self.write(data)
        if written < len(data):
            if not _gi_is_closed(self):
                # The error that stopped the write short, kept for the next
                # call: raised now, with the count.
                try:
                    _gi_flush(self)
                except GLib.Error as e:
                    exc = _translate(e, self, access='w')
                    exc.characters_written = done + written
                    raise exc from None
            # A non-blocking stream took part of it, as BufferedWriter says.
            message = 'write could not complete without blocking'
            exc = WouldBlockError(errno_codes.EAGAIN, message)
            exc.characters_written = done + written  # only BlockingIOError itself takes it
            raise _attach(exc, message, _E.WOULD_BLOCK)
        return done + written

    flush = _translated(_gi_flush, 'flush', 'Writes out what the stream buffers.', False, True)

    # Positioning

    def seek(self, pos, whence=0):
        if pos.__class__ is not int:
            pos = _index(pos)
        if whence.__class__ is not int:
            whence = _index(whence)
        if whence not in (0, 1, 2):
            if not _in_range(pos):
                raise OverflowError(self._position_overflow)
            _check_int_range(whence)
            if _gi_is_closed(self):
                raise _closed_error(self)
            raise _error(InvalidArgumentError,
                         'invalid whence (%d, should be 0, 1 or 2)' % whence)
        try:
            return _gi_seek(self, pos, whence)
        except GLib.Error as e:
            raise _translate(e, self) from None
        except OverflowError:
            self._check_position_range()
            raise OverflowError(self._position_overflow) from None

    def tell(self):
        try:
            return _gi_tell(self)
        except GLib.Error as e:
            raise _translate(e, self) from None

    def truncate(self, size=None):
        if size is None:
            size = -1
        else:
            try:
                size = operator.index(size)
            except TypeError:
                raise _error(ArgumentTypeError, "argument should be integer or None, not '%s'"
                             % type(size).__name__) from None
            if size < 0:
                if not _in_range(size):
                    raise OverflowError(_SIZE_OVERFLOW)
                self._check_resizable()
                raise _error(InvalidArgumentError, 'negative size value %d' % size)
        try:
            return _gi_truncate(self, size)
        except GLib.Error as e:
            raise _translate(e, self, access='w') from None
        except OverflowError:
            raise OverflowError(_SIZE_OVERFLOW) from None

    # State and lifecycle

    def _check_resizable(self):
        """Raises what a resize would raise before looking at its arguments."""
        if _gi_is_closed(self):
            raise _closed_error(self)

    @property
    def closed(self):
        return _gi_is_closed(self)

    readable = _translated(_gi_readable, 'readable', 'Whether the stream can be read.')
    writable = _translated(_gi_writable, 'writable', 'Whether the stream can be written.')
    seekable = _translated(_gi_seekable, 'seekable', 'Whether the stream can seek.')
    isatty = _translated(_gi_isatty, 'isatty', 'Whether the stream is a terminal.')
    fileno = _translated(_gi_fileno, 'fileno', 'The file descriptor under the stream.')

    def detach(self):
        raise _error(NotSupportedError, 'detach', _E.NOT_SUPPORTED)

    # IOBase's checks, which buffered objects call on their raw stream
    # (_pyio.BufferedRandom calls raw._checkSeekable()): the stream's own
    # closed error and capability methods, else an UnsupportedOperation.

    def _checkClosed(self):
        if _gi_is_closed(self):
            raise _closed_error()

    def _check_capability(self, name):
        """IOBase's check that `self.<name>()` is True: readable, writable
        or seekable."""
        if getattr(self, name)() is not True:
            raise _error(NotSupportedError, 'File or stream is not %s.' % name,
                         _E.NOT_SUPPORTED)
        return True

    def _checkReadable(self):
        return self._check_capability('readable')

    def _checkWritable(self):
        return self._check_capability('writable')

    def _checkSeekable(self):
        return self._check_capability('seekable')

    def close(self):
        try:
            _gi_close(self)
        except GLib.Error as e:
            raise _translate(e, self) from None

    def __enter__(self):
        if _gi_is_closed(self):
            raise _closed_error()
        return self

    def __exit__(self, *exc_info):
        self.close()

    def __del__(self):
        # IOBase.__del__'s: a backend written in Python and dropped while
        # open is closed now, while this object and its attributes live, so
        # its do_close() can still flush; disposing it later would run
        # do_close() on a fresh wrapper without them.
        try:
            if not _is_python_backend(type(self)) or _gi_is_closed(self):
                return
            warnings.warn('unclosed stream %r' % (self,), ResourceWarning, stacklevel=2,
                          source=self)
            self.close()
        except Exception:
            pass


@functools.lru_cache(maxsize=None)
def _is_python_backend(cls):
    """Whether @cls is a GObject type registered from Python (a backend
    subclass), rather than one libstream's typelib describes. (Asked first
    when such an object is made, so that the answer is there at interpreter
    shutdown, when nothing can be imported any more.)"""
    gi.require_version('GIRepository', '2.0')
    from gi.repository import GIRepository
    return GIRepository.Repository.get_default().find_by_gtype(cls.__gtype__) is None


# The pure-Python methods the accelerator's stand in for, by name: they
# serve the arguments it leaves to them.
_accel_fallbacks = {}
if _accel is not None:
    _accel.setup(_translate, _accel_fallbacks, threading.main_thread().ident)


def _accelerate(cls, names, prefix=''):
    """Puts the accelerator's methods @names (named @prefix + name there)
    in place of those of @cls, which become their fallbacks."""
    if _accel is None:
        return
    compiled = vars(_accel.StreamBase)
    for name in names:
        _accel_fallbacks[prefix + name] = vars(cls)[name]
        setattr(cls, name, compiled[prefix + name])


def _accelerate_own(cls, names, prefix=''):
    """Gives @cls copies of its base's accelerated methods @names (named
    @prefix + name in the accelerator) that belong to @cls itself: CPython
    calls a compiled method without its generic checks only on an
    instance of exactly the class the method belongs to."""
    if _accel is None:
        return
    for name in names:
        setattr(cls, name, _accel.method_for(cls, prefix + name))


_accelerate(Stream, ('read', 'read1', 'readinto', 'readinto1', '_raw_readinto', 'readline',
                     '_read1_now', '_readinto1_now', '_readline_now',
                     'peek', 'write', 'tell', 'seek', '__iter__', '__next__'))

Stream = override(Stream)
__all__.append('Stream')
io.BufferedIOBase.register(Stream)


# Io.MemoryStream is looked up only now, so that its base is the override.
_gi_get_value = Io.MemoryStream.get_value
_gi_acquire_buffer = Io.MemoryStream.acquire_buffer_address
_gi_release_buffer = Io.MemoryStream.release_buffer
_gi_get_exports = Io.MemoryStream.get_exports
_gi_reset = Io.MemoryStream.reset


def _is_constructed(stream):
    """Whether the GObject under @stream exists: `cls.__new__(cls)` (what
    pickle and copy call) makes the wrapper alone, and PyGObject creates
    the object in `__init__()`."""
    try:
        stream.__grefcount__
    except TypeError:
        return False
    return True


def _release_export(stream):
    _gi_release_buffer(stream)


def _restore_memory_stream(cls, value, position, state):
    """What pickles made before `__reduce_ex__()` followed copyreg's
    protocol call to load them."""
    stream = cls(value)
    stream.seek(position)
    if state:
        stream.__dict__.update(state)
    return stream


_restore_memory_stream.__module__ = 'gi.repository.Io'


class MemoryStream(Io.MemoryStream):
    """An in-memory stream, a drop-in `io.BytesIO`.

    `MemoryStream(initial_bytes=None)` takes any bytes-like object and
    starts at position 0.
    """

    def __init_subclass__(cls, **kwargs):
        # IoMemoryStream is a final GType, so a Python subclass (as of
        # io.BytesIO) keeps it: it adds Python behaviour, not vfuncs.
        super().__init_subclass__(**kwargs)
        vfuncs = sorted(name for name in vars(cls) if name.startswith('do_'))
        if vfuncs:
            raise TypeError('%s: Io.MemoryStream is final and cannot override %s; '
                            'subclass Io.Stream instead' % (cls.__name__, ', '.join(vfuncs)))
        cls.__gtype__ = Io.MemoryStream.__gtype__

    def __init__(self, initial_bytes=None, **kwargs):
        if _is_constructed(self):
            self._reinit(initial_bytes, kwargs)
            return
        if initial_bytes is not None:
            if not isinstance(initial_bytes, GLib.Bytes):
                initial_bytes = GLib.Bytes.new(_as_bytes(None, initial_bytes))
            kwargs['initial_bytes'] = initial_bytes
        super().__init__(**kwargs)

    def _reinit(self, initial_bytes, kwargs):
        """`__init__()` called again, as on a BytesIO: new content at
        position 0, with BytesIO's checks and their order. Nothing changes
        on a BufferError; a TypeError leaves the stream empty."""
        if kwargs:
            raise TypeError('%r is an invalid keyword argument for re-initialising %s'
                            % (next(iter(kwargs)), type(self).__name__))
        if _gi_is_closed(self):
            if initial_bytes is None:
                return  # BytesIO does nothing either
            raise _closed_error(self)
        if _gi_get_exports(self):
            raise _error(BusyError, 'Existing exports of data: object cannot be re-sized',
                         _E.BUSY)
        if initial_bytes is not None and not isinstance(initial_bytes, GLib.Bytes):
            try:
                initial_bytes = GLib.Bytes.new(_as_bytes(None, initial_bytes))
            except (TypeError, BufferError):
                _gi_reset(self, None)
                raise
        try:
            _gi_reset(self, initial_bytes)
        except GLib.Error as e:
            raise _translate(e, self) from None

    def getvalue(self):
        try:
            return _gi_get_value(self).get_data()
        except GLib.Error as e:
            raise _translate(e, self) from None

    def getbuffer(self):
        """A writable `memoryview` over the live buffer.

        While any view derived from it is alive the stream cannot be
        resized or closed (`BufferError`); the export ends when the last
        view is released or garbage-collected.
        """
        # Without the accelerator: ctypes over the stream's own mutable
        # buffer, the one place the fallback needs it.
        import ctypes

        try:
            address, length = _gi_acquire_buffer(self)
        except GLib.Error as e:
            raise _translate(e, self) from None
        if length:
            owner = (ctypes.c_ubyte * length).from_address(address)
        else:
            owner = (ctypes.c_ubyte * 0)()
        weakref.finalize(owner, _release_export, self)
        return memoryview(owner).cast('B')

    def _check_resizable(self):
        super()._check_resizable()
        if _gi_get_exports(self):
            message = 'Existing exports of data: object cannot be re-sized'
            raise _error(BusyError, message, _E.BUSY)

    def fileno(self):
        raise _error(NotSupportedError, 'fileno', _E.NOT_SUPPORTED)

    def __reduce_ex__(self, protocol):
        """What `object.__reduce_ex__()` gives a BytesIO (subclass): the
        copy is made by `cls.__new__(cls)`, without `__init__()`, whose
        arguments may be anything, then filled by `__setstate__()`. Unlike
        BytesIO, protocols 0 and 1 work too."""
        return (copyreg.__newobj__, (type(self),), self.__getstate__(), None, None)

    def __reduce__(self):
        return self.__reduce_ex__(2)

    def __getstate__(self):
        """`(value, position, dict or None)`, as BytesIO's."""
        return (self.getvalue(), self.tell(), dict(vars(self)) or None)

    def __setstate__(self, state):
        """Takes what `__getstate__()` returns, with BytesIO's checks."""
        if not isinstance(state, tuple) or len(state) < 3:
            raise TypeError('Io.MemoryStream.__setstate__ argument should be 3-tuple, got %s'
                            % type(state).__name__)
        value, position, attributes = state[:3]
        if not _is_constructed(self):
            # Made by __new__() alone, as pickle and copy make it.
            super().__init__()
        if _gi_get_exports(self):
            raise _error(BusyError, 'Existing exports of data: object cannot be re-sized',
                         _E.BUSY)
        # Emptied first, as BytesIO is, whatever fails next.
        if not _gi_is_closed(self):
            self.seek(0)
            self.truncate(0)
        self.write(value)
        if not isinstance(position, int):
            raise TypeError('second item of state must be an integer, not %s'
                            % type(position).__name__)
        if not _in_range(position):
            raise OverflowError(_SSIZE_OVERFLOW)
        if position < 0:
            raise ValueError('position value cannot be negative')
        self.seek(position)
        if attributes is not None and not isinstance(attributes, dict):
            raise TypeError('third item of state should be a dict, got a %s'
                            % type(attributes).__name__)
        if attributes:
            self.__dict__.update(attributes)

    # copy.copy() and copy.deepcopy() of a BytesIO go through
    # __reduce_ex__(); PyGObject's own __copy__ and __deepcopy__ refuse.
    def __copy__(self):
        clone = type(self).__new__(type(self))
        clone.__setstate__(self.__getstate__())
        return clone

    def __deepcopy__(self, memo):
        state = self.__getstate__()
        clone = type(self).__new__(type(self))
        memo[id(self)] = clone
        clone.__setstate__(copy.deepcopy(state, memo))
        return clone


_accelerate(MemoryStream, ('getvalue', 'getbuffer'))
_accelerate_own(MemoryStream, ('read', 'read1', 'readinto', 'readinto1', 'readline', 'peek',
                               'write', 'tell', 'seek'))
MemoryStream = override(MemoryStream)
__all__ += ['MemoryStream', '_restore_memory_stream']


class FilterStream(Io.FilterStream):
    """A stream over another stream (`base-stream`), as CPython's buffered
    objects sit on their raw stream; after detach() it says so as they do."""

    @property
    def _closed_message(self):
        if self.get_base_stream() is None:
            return 'raw stream has been detached'
        return _CLOSED_MESSAGE


FilterStream = override(FilterStream)
__all__.append('FilterStream')


# --- Files and pipes: io.FileIO -------------------------------------------

_gi_file_new_full = Io.FileStream.new_full
_gi_file_new_for_fd = Io.FileStream.new_for_fd
_gi_pipe_new_for_fd = Io.PipeStream.new_for_fd
_gi_pipe_spawn = Io.PipeStream.spawn


def _open_error(error, file):
    """The exception of a failed open: like FileIO, its `filename` is the
    object given (bytes stay bytes, a descriptor is an int)."""
    exc = _translate(error)
    if isinstance(exc, OSError) and exc.filename is not None:
        # C's filename is the path decoded, or the descriptor in decimal.
        exc.filename = file
    return exc


def _einval():
    exc = _os_error_class(errno_codes.EINVAL)(errno_codes.EINVAL,
                                              GLib.strerror(errno_codes.EINVAL))
    return _attach(exc, str(exc), _E.INVALID_ARGUMENT)


_gi_lock = Io.Stream.lock
_gi_unlock = Io.Stream.unlock
_gi_fd_write = Io.FdStream.do_write
_FIONREAD = termios.FIONREAD


def _available(fd):
    """How many bytes @fd holds to read (at least 1: a read then says what
    there is, the end of the stream included)."""
    try:
        count = int.from_bytes(fcntl.ioctl(fd, _FIONREAD, b'\0\0\0\0'), sys.byteorder)
    except OSError:
        return 1
    return max(count, 1)


# What readall() of a descriptor that may wait reads at a time.
_READALL_CHUNK = 64 * 1024
# Python runs signal handlers in this thread only.
_MAIN_THREAD_ID = threading.main_thread().ident
_get_ident = threading.get_ident


class _RawFile:
    """What `io.FileIO` does differently from `BufferedIOBase`, for the
    descriptor backends: `read()` and `readinto()` are one system call
    and may be short; on a non-blocking descriptor with nothing to give,
    `read()`, `readall()`, `readinto()` and `write()` return `None`; a
    position or size below 0 is `OSError(EINVAL)`. Errors read as FileIO
    words them, in the methods FileIO has of its own."""

    _closed_message = 'I/O operation on closed file'
    _access_messages = {'r': 'File not open for reading', 'w': 'File not open for writing'}
    _position_overflow = _LONG_OVERFLOW

    def _check_position_range(self):
        # FileIO converts the position after it checked the stream.
        self._check_resizable()

    def _check_hint_range(self):
        # IOBase.readlines() converts the hint first.
        raise OverflowError(_SIZE_OVERFLOW)

    def _wait(self, events):
        """Waits until the descriptor is ready for @events (select.POLLIN or
        POLLOUT) in Python, where the signal handlers run while it waits, as
        FileIO's system calls let them run (PEP 475): a handler that raises
        ends the call before anything is read or written. C would wait in
        read(2) or write(2) and retry them on EINTR, leaving the handlers,
        Ctrl-C included, to run only once data came.

        Only the main thread waits here, since only it runs handlers; files
        never wait, and a non-blocking descriptor is left to say it would
        block."""
        waits = self._waits()
        if not waits or _gi_is_closed(self):
            return
        fd, pollers = waits
        poller = pollers.get(events)
        if poller is not None and not poller.poll(0) and os.get_blocking(fd):
            poller.poll()

    def _waits(self):
        """`_descriptor_waits()` in the main thread, False in the others."""
        if _get_ident() != _MAIN_THREAD_ID:
            return False
        waits = self.__dict__.get('_io_waits')
        return self._descriptor_waits() if waits is None else waits

    def _descriptor_waits(self):
        """How to wait for the descriptor: its number and a poller for each
        direction, or False if it never waits (a regular file or a block
        device). Kept for the stream's life, its descriptor's."""
        waits = False
        try:
            fd = _gi_fileno(self)
            mode = os.fstat(fd).st_mode
            allowed = {select.POLLIN: _gi_readable(self), select.POLLOUT: _gi_writable(self)}
        except (GLib.Error, OSError):
            return False
        if not (stat.S_ISREG(mode) or stat.S_ISBLK(mode)):
            # A direction the stream does not allow never waits: the call
            # fails at once.
            pollers = {}
            for events in (select.POLLIN, select.POLLOUT):
                if allowed[events]:
                    pollers[events] = select.poll()
                    pollers[events].register(fd, events)
            waits = (fd, pollers)
        self._io_waits = waits
        return waits

    def read(self, size=-1):
        if size.__class__ is not int or size < 0:
            size = _optional_size(size)
            if size < 0:
                return self.readall()
        if size:
            self._wait(select.POLLIN)
        try:
            return self._read1_now(size)
        except WouldBlockError:
            return None

    # read1(), readinto1(), readline() and next(), in Python: the
    # accelerator's own call these where they would wait (in the main
    # thread, on a descriptor that may wait), and without it they are the
    # methods themselves.

    def _waiting_read1(self, size=-1):
        if size.__class__ is not int:
            size = _optional_size(size)
        if size:
            self._wait(select.POLLIN)
        return self._read1_now(size)

    def _waiting_readinto1(self, buffer):
        self._wait(select.POLLIN)
        return self._readinto1_now(buffer)

    def _waiting_readline(self, size=-1):
        if size.__class__ is not int or size < 0:
            size = _optional_size(size)
        waits = self._waits() if size else False
        if not waits:
            return self._readline_now(size)
        return self._readline_waiting(waits, size)

    def _waiting_next(self):
        if not self._waits():
            # The pure-Python step, which the accelerator's would send back.
            return _accel_fallbacks.get('__next__', Stream.__next__)(self)
        line = self._waiting_readline()
        if not line:
            raise StopIteration
        return line

    def _readline_waiting(self, waits, size):
        """readline() of a pipe, terminal or socket in the main thread: C
        reads the line one byte at a time (no byte past the newline is
        taken) and would wait there for the rest, so it is asked each time
        for no more than the descriptor holds, after a wait in which the
        signal handlers run. A handler that raises loses the part of the
        line read so far, as with FileIO's readline()."""
        fd, pollers = waits
        poller = pollers.get(select.POLLIN)
        if poller is None:
            return self._readline_now(size)
        chunks = []
        got = 0
        while True:
            if not poller.poll(0):
                if _gi_is_closed(self) or not os.get_blocking(fd):
                    # The errors, or what a non-blocking descriptor gives.
                    rest = self._readline_now(size - got if size > 0 else size)
                    return b''.join(chunks) + rest if chunks else rest
                poller.poll()
            limit = _available(fd)
            if size > 0:
                limit = min(limit, size - got)
            part = self._readline_now(limit)
            if not part:
                break
            chunks.append(part)
            got += len(part)
            if part[-1:] == b'\n' or got == size:
                break
        return b''.join(chunks) if len(chunks) != 1 else chunks[0]

    if _accel is None:
        read1 = _waiting_read1
        readinto1 = _waiting_readinto1
        readline = _waiting_readline
        __next__ = _waiting_next

    def _readlines(self, hint):
        if not self._waits():
            return super()._readlines(hint)
        lines = []
        total = 0
        while True:
            line = self._waiting_readline()
            if not line:
                return lines
            lines.append(line)
            total += len(line)
            if 0 < hint <= total:
                return lines

    def readall(self):
        if self._waits():
            return self._readall_waiting()
        try:
            return Stream.read(self, -1)
        except WouldBlockError:
            return None

    def _readall_waiting(self):
        """readall() of a pipe, terminal or socket: a read per chunk, each
        after a wait in which the signal handlers run, as in read()."""
        chunks = []
        while True:
            self._wait(select.POLLIN)
            try:
                chunk = self._read1_now(_READALL_CHUNK)
            except WouldBlockError:
                if not chunks:
                    return None
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b''.join(chunks)

    def readinto(self, buffer):
        self._wait(select.POLLIN)
        try:
            return self._raw_readinto(buffer)
        except BlockingIOError:
            return None

    def write(self, b):
        if self._waits():
            written = self._write_once(b)
            if written is not None:
                return written
        try:
            return super().write(b)
        except BlockingIOError:
            return None

    def _write_once(self, b):
        """FileIO's write() in the main thread: one write(2) after a wait
        in which the signal handlers run. C's write() loops until every
        byte is written, and a signal then ends neither the wait inside
        write(2) nor the loop; one backend write, made once the descriptor
        takes data, is cut short by a signal as FileIO's is, and its count
        returned (the handler runs when the call returns). None when the
        stream's own write must do it or say what is wrong. The
        accelerator's write() does the same in C."""
        if _gi_is_closed(self) or not os.get_blocking(self._waits()[0]):
            return None
        with _as_view(self, b) as view:
            if not view.nbytes:
                return None
            self._wait(select.POLLOUT)
            try:
                _gi_lock(self)
                try:
                    if _gi_is_closed(self) or not _gi_writable(self):
                        return None
                    return _gi_fd_write(self, b if b.__class__ is bytes else view.tobytes())
                finally:
                    _gi_unlock(self)
            except GLib.Error as e:
                raise _translate(e, self, access='w') from None

    def _write_all(self, data, done):
        """writelines()'s write: in the main thread, where write() may be
        cut short by a signal whose handler returned, the rest is written
        (PEP 475); a handler that raises ends the call. An error after
        progress (kept by the short write, raised by the next) says how
        much was written in all, as Stream._write_all() does."""
        waits = self._waits()
        if not waits or not os.get_blocking(waits[0]):
            return super()._write_all(data, done)
        written = 0
        with memoryview(data) as view:
            try:
                written = self.write(view)
                while written < len(view):
                    with view[written:] as rest:
                        written += self.write(rest)
            except OSError as exc:
                exc.characters_written = done + written
                raise
        return done + written

    def seek(self, pos, whence=0):
        if pos.__class__ is int and pos < 0 and whence == 0:
            self._check_resizable()
            if not _in_range(pos):
                raise OverflowError(_LONG_OVERFLOW)
            raise _einval()
        if whence.__class__ is int and whence not in (0, 1, 2):
            # What FileIO hands to lseek(2) beyond Io.Whence: SEEK_DATA,
            # SEEK_HOLE, and EINVAL for the rest.
            _check_int_range(whence)
            self._check_resizable()
            try:
                return os.lseek(self.fileno(), _index(pos), whence)
            except OSError as e:
                exc = _os_error_class(e.errno)(e.errno, e.strerror)
                raise _attach(exc, str(exc), Gio.io_error_from_errno(e.errno)) from None
        return super().seek(pos, whence)

    def truncate(self, size=None):
        if size is not None and (size.__class__ is not int or not 0 <= size <= _SSIZE_MAX):
            # FileIO checks the stream and its mode before the argument.
            self._check_resizable()
            if not self.writable():
                raise _error(NotSupportedError, 'File not open for writing', _E.NOT_SUPPORTED)
            size = _index(size)
            if not _in_range(size):
                raise OverflowError(_LONG_OVERFLOW)
            if size < 0:
                raise _einval()
        return super().truncate(size)

    def __iter__(self):
        # IOBase's, which FileIO keeps: it checks at once (BytesIO has its
        # own, which waits for next()).
        if _gi_is_closed(self):
            raise _closed_error()
        return super().__iter__()

    @property
    def mode(self):
        return self.props.mode

    @property
    def closefd(self):
        return self.props.closefd

    @property
    def _blksize(self):
        # What io.open() sizes a buffer with, from the descriptor.
        try:
            return max(os.fstat(self.fileno()).st_blksize, 1)
        except OSError:
            return io.DEFAULT_BUFFER_SIZE

    def __del__(self):
        # FileIO's: an open stream that owns its descriptor warns that it
        # was not closed, then closes (disposing would close it anyway).
        # Only the last owner does: a layer holding the stream (a
        # BufferedReader's raw, a ConverterStream's base) keeps it open,
        # as CPython's BufferedReader keeps its FileIO alive.
        try:
            if _gi_is_closed(self) or not self.props.closefd or self.__grefcount__ > 1:
                return
            warnings.warn('unclosed file %r' % (self,), ResourceWarning, stacklevel=2,
                          source=self)
            self.close()
        except Exception:
            pass

    def __repr__(self):
        name = 'Io.%s' % type(self).__name__
        if _gi_is_closed(self):
            return '<%s [closed]>' % name
        return '<%s name=%r mode=%r closefd=%r>' % (name, self.name, self.mode, self.closefd)


# FileIO's read(), readinto() and write() in C: the same calls, the wait
# in which the signal handlers run included.
_FD_METHODS = ('read', 'readinto', 'write')
_accelerate(_RawFile, _FD_METHODS, '_fd_')


def _open_flags(mode):
    """The open(2) flags FileIO hands an opener for @mode, with FileIO's
    checks and messages for a mode it refuses."""
    bad = ValueError('Must have exactly one of create/read/write/append mode '
                     'and at most one plus')
    flags = 0
    main = plus = readable = writable = False
    for c in mode:
        if c in 'rwxa':
            if main:
                raise bad
            main = True
            readable = c == 'r'
            writable = c != 'r'
            flags |= {'r': 0, 'w': os.O_CREAT | os.O_TRUNC, 'x': os.O_CREAT | os.O_EXCL,
                      'a': os.O_CREAT | os.O_APPEND}[c]
        elif c == '+':
            if plus:
                raise bad
            plus = readable = writable = True
        elif c != 'b':
            raise ValueError('invalid mode: %.200s' % mode)
    if not main:
        raise bad
    if readable and writable:
        flags |= os.O_RDWR
    elif writable:
        flags |= os.O_WRONLY
    return flags | os.O_CLOEXEC


def _open_with(opener, file, mode):
    """FileIO's `opener=`: the descriptor `opener(file, flags)` returns,
    owned by the new stream (and closed if the stream cannot take it)."""
    fd = opener(file, _open_flags(mode))
    if not isinstance(fd, int):
        raise TypeError('expected integer from opener')
    _check_int_range(fd)
    if fd < 0:
        raise ValueError('opener returned %d' % fd)
    try:
        stream = _gi_file_new_for_fd(fd, mode, True)
    except GLib.Error:
        os.close(fd)
        raise
    if 'a' in mode:
        # As FileIO: an appending file starts at its end.
        _gi_seek(stream, 0, Io.Whence.END)
    return stream


def _check_no_nul(mode):
    """FileIO's first check of a mode: C would see a NUL as its end."""
    if '\0' in mode:
        raise ValueError('embedded null character')


class FileStream(_RawFile, Io.FileStream):
    """A raw file stream, a drop-in `io.FileIO`.

    `FileStream(file, mode='r', closefd=True)` opens a path (str, bytes or
    path-like) or wraps a file descriptor, raising the `OSError` subclass
    FileIO raises (`FileNotFoundError`, `IsADirectoryError`, ...).
    """

    def __new__(cls, file, mode='r', closefd=True, opener=None):
        if isinstance(file, float):
            raise TypeError('expected str, bytes or os.PathLike object, not float')
        if mode.__class__ is not str:
            raise TypeError('FileStream() argument \'mode\' must be str, not %s'
                            % type(mode).__name__)
        _check_no_nul(mode)
        try:
            if isinstance(file, int):
                stream = _gi_file_new_for_fd(file, mode, bool(closefd))
            else:
                path = os.fspath(file)
                if not closefd:
                    raise _error(InvalidArgumentError, 'Cannot use closefd=False with file name')
                if opener is None:
                    stream = _gi_file_new_full(path, mode, 0o666)
                else:
                    stream = _open_with(opener, file, mode)
        except GLib.Error as e:
            raise _open_error(e, file) from None
        stream._file_name = file
        return stream

    def __init__(self, *args, **kwargs):
        # Built by __new__ through the C constructors.
        pass

    @property
    def name(self):
        name = self.__dict__.get('_file_name')
        if name is None:
            name = self.props.name
        return name if name is not None else self.props.fd


FileStream = override(FileStream)
_accelerate_own(FileStream, _FD_METHODS, '_fd_')


class PipeStream(_RawFile, Io.PipeStream):
    """One end of a pipe, with the raw semantics of `io.FileIO` on a pipe.

    `PipeStream(fd, mode=None, closefd=True)` wraps a descriptor (the mode
    defaults to the descriptor's access mode); `PipeStream.new_pair()`,
    `new_stdin()` (and stdout, stderr) and `spawn()` make the others.
    """

    def __new__(cls, fd, mode=None, closefd=True):
        if mode is not None:
            _check_no_nul(mode)
        try:
            stream = _gi_pipe_new_for_fd(_index(fd), mode, bool(closefd))
        except GLib.Error as e:
            raise _open_error(e, fd) from None
        return stream

    def __init__(self, *args, **kwargs):
        # Built by __new__ through the C constructor.
        pass

    @property
    def name(self):
        return self.props.fd

    @staticmethod
    def spawn(argv, cwd=None, stderr=Io.SpawnStderr.INHERIT):
        """`(stdin, stdout, stderr, pid)` of a child running @argv in
        @cwd (str, bytes or path-like); @stderr is an `Io.SpawnStderr`.
        A child that cannot start raises the `OSError` subprocess raises
        (`FileNotFoundError`, `PermissionError`, ...)."""
        try:
            return _gi_pipe_spawn(argv, None if cwd is None else os.fspath(cwd), stderr)
        except GLib.Error as e:
            raise _translate(e) from None

    @property
    def returncode(self):
        """The child's return code once `wait()` has reaped it, else `None`
        (`subprocess.Popen.returncode`)."""
        waited, code = self.get_returncode()
        return code if waited else None


PipeStream = override(PipeStream)
_accelerate_own(PipeStream, _FD_METHODS, '_fd_')
__all__ += ['FileStream', 'PipeStream']

# Raw streams, as FileIO is one (they are also buffered ones, as every
# Io.Stream: the registration of Stream covers its subclasses).
io.RawIOBase.register(FileStream)
io.RawIOBase.register(PipeStream)


# --- Errors of every other introspected method ----------------------------

def _raising_translated(raw, is_method):
    """@raw raising the translated exceptions (worded for its stream's
    class, if it is a method)."""
    @functools.wraps(raw)
    def call(*args, **kwargs):
        try:
            return raw(*args, **kwargs)
        except GLib.Error as e:
            raise _translate(e, args[0] if is_method else None) from None
    return call


def _translate_errors_of(cls, raw_cls):
    """Makes the introspected methods of @raw_cls that throw raise the
    translated exceptions, on @cls, unless @cls defines them itself."""
    for info in raw_cls.__info__.get_methods():
        name = info.get_name()
        if not info.can_throw_gerror() or (cls is not raw_cls and name in vars(cls)):
            continue
        raw = getattr(raw_cls, name)
        if info.is_method():
            setattr(cls, name, _raising_translated(raw, True))
        else:
            setattr(cls, name, staticmethod(_raising_translated(raw, False)))


def _translate_all_errors():
    """Every stream class of the namespace, the backends included."""
    overrides = {'Stream': Stream, 'MemoryStream': MemoryStream}
    for name in dir(Io):
        raw_cls = getattr(Io, name)
        if isinstance(raw_cls, type) and issubclass(raw_cls, Io.Stream):
            _translate_errors_of(overrides.get(name, raw_cls), raw_cls)


_translate_all_errors()


# ---- FaultStream ----

class FaultStream(Io.FaultStream):
    """A raw stream that fails as a real backend fails, when told to:
    `FaultStream(base=None)` wraps @base, or an empty `Io.MemoryStream`.
    Its errors are the exceptions CPython raises for their errno:
    `InterruptedError`, `BlockingIOError`, `OSError(ENOSPC)`,
    `OSError(EIO)`."""

    def __init__(self, base=None, **kwargs):
        if base is not None:
            kwargs['base_stream'] = base
        super().__init__(**kwargs)

    def add_fault(self, ops, kind, at_call=0, at_offset=-1, size=0, count=1):
        """Adds a fault: by default one that hits the next call of @ops."""
        Io.FaultStream.add_fault(self, ops, kind, at_call, at_offset, size, count)


FaultStream = override(FaultStream)
__all__.append('FaultStream')
# ---- ConverterStream ----

class TruncatedInputError(EOFError, Error):
    """Input that ends before its conversion does (`G_IO_ERROR_PARTIAL_INPUT`),
    the `EOFError` CPython's `gzip` raises for a truncated file."""


_CLASS_BY_CODE[int(_E.PARTIAL_INPUT)] = TruncatedInputError


class ConverterStream(Io.ConverterStream):
    """A layer that runs a `Gio.Converter` on what is read from, or written
    to, `base_stream`: `ConverterStream(base_stream, converter)`, with
    `close_base` as keyword (see `Io.ConverterStream`)."""

    def __init__(self, base_stream=None, converter=None, **kwargs):
        if base_stream is not None:
            kwargs['base_stream'] = base_stream
        if converter is not None:
            kwargs['converter'] = converter
        super().__init__(**kwargs)


ConverterStream = override(ConverterStream)
__all__ += ['TruncatedInputError', 'ConverterStream']


# ---- async ----
# The asynchronous methods (io-stream-async.c) in PyGObject's callback form,
# with a GLib.MainLoop: PyGObject on Debian 12 has no asyncio integration,
# and none is made up here. Each `*_finish()` raises the translated
# exceptions, as every other throwing method does (_translate_all_errors()
# above wraps them with the rest): a cancellation is `OSError(ECANCELED)`
# and an outstanding operation `OSError` with G_IO_ERROR_PENDING, both
# `GLib.Error`s too. A Python backend works through the default, which
# calls its `do_*` methods on a GTask thread (PyGObject takes the GIL).

def _async_writer(gi_method):
    """@gi_method taking any bytes-like object, as write() does, where C
    wants a GLib.Bytes."""
    @functools.wraps(gi_method)
    def method(self, data, *args, **kwargs):
        if not isinstance(data, GLib.Bytes):
            data = GLib.Bytes.new(_as_bytes(self, data))
        return gi_method(self, data, *args, **kwargs)
    return method


Stream.write_bytes_async = _async_writer(Io.Stream.write_bytes_async)
Stream.write_all_async = _async_writer(Io.Stream.write_all_async)

_gi_write_all_finish = Io.Stream.write_all_finish
_gi_get_write_all_progress = Io.Stream.get_write_all_progress


def _write_all_finish(self, result):
    """write_all_finish() whose exception says how many bytes went out
    first, as characters_written (PyGObject drops the out-parameter of a
    call that raises)."""
    try:
        return _gi_write_all_finish(self, result)
    except GLib.Error as e:
        exc = _translate(e, self, access='w')
        exc.characters_written = _gi_get_write_all_progress(self, result)
        raise exc from None


_write_all_finish.__name__ = _write_all_finish.__qualname__ = 'write_all_finish'
Stream.write_all_finish = _write_all_finish


# ---- TextStream ----

import codecs  # noqa: E402
import locale  # noqa: E402
import re  # noqa: E402

_gi_text_new = Io.TextStream.new
_TEXT_DECODE_ERROR = re.compile(
    r"'(?P<enc>[^']*)' codec can't decode bytes? (?:0x(?P<byte>[0-9a-f]{2}) )?"
    r"in position (?P<start>\d+)(?:-(?P<last>\d+))?: (?P<reason>.*)", re.S)
_TEXT_ENCODE_ERROR = re.compile(
    r"'(?P<enc>[^']*)' codec can't encode character '[^']*' "
    r"in position (?P<start>\d+): (?P<reason>.*)", re.S)


class _StreamDecodeError(UnicodeDecodeError):
    """A UnicodeDecodeError whose start and end are offsets in the stream
    while its object holds only the bad bytes: worded as CPython words
    one whose object holds them at those offsets."""

    def __str__(self):
        if self.end - self.start == 1 and len(self.object) == 1:
            return "'%s' codec can't decode byte 0x%02x in position %d: %s" % (
                self.encoding, self.object[0], self.start, self.reason)
        return "'%s' codec can't decode bytes in position %d-%d: %s" % (
            self.encoding, self.start, self.end - 1, self.reason)


def _text_error(error, text=''):
    """The exception for a GError of Io.TextStream: a decoding error is a
    UnicodeDecodeError naming the stream offset, an encoding error a
    UnicodeEncodeError naming the position in @text."""
    if isinstance(error, GLib.Error) and error.domain == _IO_DOMAIN \
            and error.code == _E.INVALID_DATA:
        if error.message.endswith('stream does not start with BOM'):
            return UnicodeError(error.message)
        match = _TEXT_DECODE_ERROR.match(error.message)
        if match is not None:
            start = int(match['start'])
            end = int(match['last'] or start) + 1
            bad = bytes.fromhex(match['byte']) if match['byte'] else b''
            exc = _StreamDecodeError(match['enc'], bad, 0, len(bad), match['reason'])
            exc.start, exc.end = start, end
            return exc
        match = _TEXT_ENCODE_ERROR.match(error.message)
        if match is not None:
            start = int(match['start'])
            return UnicodeEncodeError(match['enc'], text, start, start + 1, match['reason'])
    if isinstance(error, GLib.Error) and error.domain == _IO_DOMAIN \
            and error.code == _E.CLOSED:
        # Closed or detached, in the text stream's own words (CPython's).
        return _error(ClosedError, error.message, _E.CLOSED)
    return _translate(error)


def _text_call(method, *args, text=''):
    try:
        return method(*args)
    except GLib.Error as e:
        raise _text_error(e, text) from None


def _text(gbytes):
    # surrogatepass: surrogateescape's U+DC80..U+DCFF come as their
    # generalized UTF-8; valid UTF-8 decodes the same either way.
    return gbytes.get_data().decode('utf-8', 'surrogatepass') if gbytes is not None else None


def _python_encoding(encoding):
    """Python's codec name for @encoding, as io.TextIOWrapper resolves it."""
    if encoding is None or encoding == 'locale':
        encoding = locale.getpreferredencoding(False)
    if not isinstance(encoding, str):
        raise TypeError('TextIOWrapper() argument \'encoding\' must be str or None, not %s'
                        % type(encoding).__name__)
    return codecs.lookup(encoding).name


def _check_newline(newline):
    if newline is not None and not isinstance(newline, str):
        raise TypeError('illegal newline type: %r' % (type(newline),))
    if newline not in (None, '', '\n', '\r', '\r\n'):
        raise ValueError('illegal newline value: %r' % (newline,))


# The cookie packs its fields as CPython's C TextIOWrapper does: a 64-bit
# position, then 32-bit flags, bytes to feed and characters to skip, then
# the need_eof byte.
_COOKIE_POSITION = (1 << 63) - 1
_COOKIE_FIELD = (1 << 32) - 1


class _PythonBuffer(Stream):
    """A Python binary file object (io.BytesIO, io.BufferedReader, ...) as
    an Io stream, so that Io.TextStream takes what io.TextIOWrapper takes.
    A Python backend like any other, so in neither this override's module,
    whose classes PyGObject does not register as GTypes, nor gi.repository,
    whose classes' vfuncs it does not hook."""

    __module__ = 'Io'
    __gtype_name__ = 'IoPythonTextBuffer'

    def __init__(self, raw):
        super().__init__()
        self._wrapped = raw

    def do_can_read(self):
        return self._wrapped.readable()

    def do_can_write(self):
        return self._wrapped.writable()

    def do_can_seek(self):
        return self._wrapped.seekable()

    def do_read_chunk(self, count):
        read1 = getattr(self._wrapped, 'read1', None)
        data = read1(count) if read1 is not None else self._wrapped.read(count)
        return b'' if data is None else bytes(data)

    def do_write(self, buffer, count):
        return self._wrapped.write(bytes(buffer[:count]))

    def do_seek(self, offset, whence):
        return self._wrapped.seek(offset, whence)

    def do_tell(self):
        return self._wrapped.tell()

    def do_truncate(self, size):
        return self._wrapped.truncate(size)

    def do_flush(self):
        if not self._wrapped.closed:
            self._wrapped.flush()

    def do_close(self):
        self._wrapped.close()


# The compiled __next__, when the accelerator is there.
_TEXT_ACCEL_BASES = (_accel.TextBase,) if _accel is not None else ()


class TextStream(Io.TextStream, *_TEXT_ACCEL_BASES):
    """`io.TextIOWrapper` over an Io stream: `str` read and written through
    a charset, with CPython's newline modes and tell() cookies."""

    def __new__(cls, buffer, encoding=None, errors=None, newline=None,
                line_buffering=False, write_through=False):
        _check_newline(newline)
        if errors is None:
            errors = 'strict'
        elif not isinstance(errors, str):
            raise TypeError('TextIOWrapper() argument \'errors\' must be str or None, not %s'
                            % type(errors).__name__)
        given = encoding
        codec = _python_encoding(encoding)
        stream = buffer if isinstance(buffer, Io.Stream) else _PythonBuffer(buffer)
        self = _text_call(_gi_text_new, stream, codec, errors, newline,
                          bool(line_buffering), bool(write_through))
        self._encoding = given if given not in (None, 'locale') else codec
        return self

    def __init__(self, *args, **kwargs):
        pass

    # Configuration

    @staticmethod
    def _given(stream):
        """The buffer as it was given: a Python object adapted comes back."""
        return stream._wrapped if isinstance(stream, _PythonBuffer) else stream

    @property
    def buffer(self):
        return self._given(self.get_buffer())

    @property
    def encoding(self):
        return self._encoding

    @property
    def errors(self):
        return self.get_errors()

    @property
    def line_buffering(self):
        return self.get_line_buffering()

    @property
    def write_through(self):
        return self.get_write_through()

    @property
    def newlines(self):
        seen = self.get_newlines()
        if not seen:
            return None
        return seen[0] if len(seen) == 1 else tuple(seen)

    @property
    def name(self):
        return self._attached().name

    @property
    def closed(self):
        # is_closed() first: get_buffer() ends a window chunk (docs/text.md).
        return self.is_closed() and self._attached().closed

    def _attached(self):
        buffer = self.get_buffer()
        if buffer is None:
            raise _error(ClosedError, 'underlying buffer has been detached', _E.CLOSED)
        return buffer

    def reconfigure(self, *, encoding=None, errors=None, newline=Ellipsis,
                    line_buffering=None, write_through=None):
        if errors is not None and not isinstance(errors, str):
            raise TypeError('reconfigure() argument \'errors\' must be str or None, not %s'
                            % type(errors).__name__)
        if newline is not Ellipsis:
            _check_newline(newline)
        codec = _python_encoding(encoding) if encoding is not None else None
        _text_call(Io.TextStream.reconfigure, self, codec, errors, newline is not Ellipsis,
                   None if newline is Ellipsis else newline,
                   -1 if line_buffering is None else int(bool(line_buffering)),
                   -1 if write_through is None else int(bool(write_through)))
        if encoding is not None:
            self._encoding = encoding

    # Capabilities

    def readable(self):
        return _text_call(Io.TextStream.readable, self)

    def writable(self):
        return _text_call(Io.TextStream.writable, self)

    def seekable(self):
        return _text_call(Io.TextStream.seekable, self)

    def fileno(self):
        return self._attached().fileno()

    def isatty(self):
        return self._attached().isatty()

    # Reading

    def read(self, size=-1):
        size = -1 if size is None else _index(size)
        return _text(_text_call(Io.TextStream.read_bytes, self, max(size, -1)))

    def readline(self, size=-1):
        size = -1 if size is None else _index(size)
        return _text(_text_call(Io.TextStream.readline_bytes, self, max(size, -1)))

    def __iter__(self):
        self._check_open()
        return self

    if _accel is None:
        def __next__(self):
            line = _text(_text_call(Io.TextStream.next_line_bytes, self))
            if line is None:
                raise StopIteration
            return line

    def readlines(self, hint=-1):
        hint = -1 if hint is None else _index(hint)
        lines = []
        total = 0
        for line in self:
            lines.append(line)
            total += len(line)
            if 0 < hint <= total:
                break
        return lines

    # Writing

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError('write() argument must be str, not %s' % type(s).__name__)
        data = s.encode('utf-8', 'surrogatepass')
        return _text_call(Io.TextStream.write_bytes, self, GLib.Bytes.new(data), text=s)

    def writelines(self, lines):
        self._check_open()
        for line in lines:
            self.write(line)

    def flush(self):
        _text_call(Io.TextStream.flush, self)

    # Positioning

    def tell(self):
        cookie = _text_call(Io.TextStream.tell, self)[1]
        return (cookie.position | cookie.dec_flags << 64 | cookie.bytes_to_feed << 96
                | cookie.chars_to_skip << 128 | int(cookie.need_eof) << 160)

    def _check_open(self):
        if self.closed:
            raise _closed_error()

    def seek(self, cookie, whence=0):
        cookie = _index(cookie)
        whence = _index(whence)
        self._check_open()
        if not self.seekable():
            raise _error(NotSupportedError, 'underlying stream is not seekable',
                         _E.NOT_SUPPORTED)
        if whence == io.SEEK_CUR:
            if cookie != 0:
                raise _error(NotSupportedError, "can't do nonzero cur-relative seeks",
                             _E.NOT_SUPPORTED)
            cookie = self.tell()
        elif whence == io.SEEK_END:
            if cookie != 0:
                raise _error(NotSupportedError, "can't do nonzero end-relative seeks",
                             _E.NOT_SUPPORTED)
            return _text_call(Io.TextStream.seek_end, self)
        elif whence != io.SEEK_SET:
            raise ValueError('invalid whence (%r, should be %d, %d or %d)'
                             % (whence, io.SEEK_SET, io.SEEK_CUR, io.SEEK_END))
        if cookie < 0:
            raise ValueError('negative seek position %r' % (cookie,))
        if cookie >> 168:
            raise OverflowError('int too big to convert')
        unpacked = Io.TextCookie()
        unpacked.position = cookie & _COOKIE_POSITION
        unpacked.dec_flags = cookie >> 64 & _COOKIE_FIELD
        unpacked.bytes_to_feed = cookie >> 96 & _COOKIE_FIELD
        unpacked.chars_to_skip = cookie >> 128 & _COOKIE_FIELD
        unpacked.need_eof = bool(cookie >> 160)
        _text_call(Io.TextStream.seek, self, unpacked)
        return cookie

    def truncate(self, pos=None):
        pos = -1 if pos is None else _index(pos)
        return _text_call(Io.TextStream.truncate, self, pos)

    # Lifecycle

    def close(self):
        if not self._attached().closed:
            _text_call(Io.TextStream.close, self)

    def detach(self):
        return self._given(_text_call(Io.TextStream.detach, self))

    def __enter__(self):
        self._check_open()
        return self

    def __exit__(self, *args):
        self.close()

    def __repr__(self):
        result = '<Io.TextStream'
        try:
            result += ' name=%r' % (self.name,)
        except Exception:
            pass
        return result + ' encoding=%r>' % (self.encoding,)


TextStream = override(TextStream)
if _accel is not None:
    _accel.text_setup(_text_error, GLib.Error)
io.TextIOBase.register(TextStream)
__all__ += ['TextStream']


# ---- buffered layers ----

def _raw_call(func, *args):
    """Calls a method of a Python raw file object for a vfunc: its
    exceptions reach the Python caller of the layer as themselves (see
    _stash()). io retries no InterruptedError here: the layer sees it
    without its errno, so as not to retry it either (a message of its own,
    so that io_error_get_errno() cannot take it for a recorded EINTR)."""
    try:
        return func(*args)
    except InterruptedError as exc:
        error = GLib.Error('%s (not retried)' % exc, _IO_DOMAIN, int(_E.FAILED))
        raise _stash(exc, error) from exc
    except BaseException as exc:
        raise _stash(exc) from exc


def _raw_transfer(func, view):
    """_raw_call() for readinto() and write(), where io retries an
    InterruptedError (PEP 475): it becomes the EINTR the layer retries."""
    try:
        return func(view)
    except InterruptedError as exc:
        raise _to_gerror(exc) from exc
    except BaseException as exc:
        raise _stash(exc) from exc


def _would_block():
    return GLib.Error('raw stream would block', _IO_DOMAIN, int(_E.WOULD_BLOCK))


class _PythonRaw(Stream):
    """The Io.Stream a buffered layer sees over a Python raw file object
    (an io.RawIOBase, a FileIO, anything with readinto/write/seek/...):
    each vfunc is one call of the raw's method, as CPython's buffered
    objects make it."""

    __gtype_name__ = 'IoPythonRawAdapter'
    # Registered as a GType of its own, which PyGObject does only for
    # classes outside gi.overrides.
    __module__ = 'libstream.python_raw'

    def __init__(self, raw):
        super().__init__()
        self._raw = raw
        self._owns_raw = True

    def __del__(self):
        # The layer over it closes it (see _Buffered.__del__), or gave the
        # raw back: never closed here.
        pass

    def _ask(self, name):
        try:
            return getattr(self._raw, name)() is True
        except Exception:
            return False

    def do_can_read(self):
        return self._ask('readable')

    def do_can_write(self):
        return self._ask('writable')

    def do_can_seek(self):
        return self._ask('seekable')

    def do_read_chunk(self, count):
        buffer = bytearray(count)
        n = _raw_transfer(self._raw.readinto, memoryview(buffer))
        if n is None:
            raise _would_block()
        if not isinstance(n, int) or n < 0 or n > count:
            raise _stash(OSError('raw readinto() returned invalid length %r '
                                 '(should have been between 0 and %d)' % (n, count)))
        del buffer[n:]
        return GLib.Bytes.new(buffer)

    def do_write(self, buffer, count=None):
        with memoryview(bytes(buffer)) as view:
            n = _raw_transfer(self._raw.write, view)
        if n is None:
            raise _would_block()
        if not isinstance(n, int) or n < 0 or n > len(buffer):
            raise _stash(OSError('raw write() returned invalid length %r '
                                 '(should have been between 0 and %d)' % (n, len(buffer))))
        return n

    def do_seek(self, offset, whence):
        position = _raw_call(self._raw.seek, offset, int(whence))
        if not isinstance(position, int) or position < 0:
            raise _stash(OSError('Raw stream returned invalid position %r' % (position,)))
        return position

    def do_tell(self):
        position = _raw_call(self._raw.tell)
        if not isinstance(position, int) or position < 0:
            raise _stash(OSError('Raw stream returned invalid position %r' % (position,)))
        return position

    def do_truncate(self, size):
        return _raw_call(self._raw.truncate, size)

    def do_flush(self):
        _raw_call(self._raw.flush)
        return True

    def do_close(self):
        if self._owns_raw:
            _raw_call(self._raw.close)
        return True

    def do_isatty(self):
        return bool(_raw_call(self._raw.isatty))

    def do_fileno(self):
        return _raw_call(self._raw.fileno)


# The vfuncs above do their own translation: not wrapped again.
for _name, _value in list(vars(_PythonRaw).items()):
    if _name.startswith('do_'):
        _value._io_guarded = True
del _name, _value


def _as_raw_stream(raw):
    """The Io.Stream for @raw: itself, or a _PythonRaw over it."""
    return raw if isinstance(raw, Io.Stream) else _PythonRaw(raw)


def _check_raw(raw, capability):
    """io's check that `raw.<capability>()` is True, before anything."""
    if getattr(raw, capability)() is not True:
        raise _error(NotSupportedError, 'File or stream is not %s.' % capability,
                     _E.NOT_SUPPORTED)


def _check_buffer_size(buffer_size):
    buffer_size = operator.index(buffer_size)
    if buffer_size <= 0:
        raise _error(InvalidArgumentError, 'buffer size must be strictly positive')
    return buffer_size


def _blocked_write(written):
    """io's BlockingIOError for a write that took @written bytes."""
    message = 'write could not complete without blocking'
    exc = WouldBlockError(errno_codes.EAGAIN, message)
    exc.characters_written = written  # only BlockingIOError itself takes it
    return _attach(exc, message, _E.WOULD_BLOCK)


class _Buffered:
    """What io's buffered classes have beyond Io.Stream: `raw`, detach()
    giving back the object passed in, and BlockingIOError's count."""

    _capabilities = ()
    _closed_message = FilterStream._closed_message

    def __new__(cls, raw, buffer_size=io.DEFAULT_BUFFER_SIZE):
        for capability in cls._capabilities:
            _check_raw(raw, capability)
        buffer_size = _check_buffer_size(buffer_size)
        stream = cls._new(_as_raw_stream(raw), buffer_size)
        stream._python_raw = raw
        return stream

    def __init__(self, *args, **kwargs):
        # Built by __new__ through the C constructors, which check the raw.
        pass

    def _raw_of(self, stream):
        """The object the user gave for @stream, the layer's raw."""
        if isinstance(stream, _PythonRaw):
            return stream._raw
        return stream

    @property
    def raw(self):
        stream = self.get_base_stream()
        return None if stream is None else self._raw_of(stream)

    def _check_attached(self):
        if self.get_base_stream() is None:
            raise _error(ClosedError, 'raw stream has been detached', _E.CLOSED)

    @property
    def name(self):
        return self.raw.name

    @property
    def mode(self):
        return self.raw.mode

    @property
    def closed(self):
        stream = self.get_base_stream()
        if isinstance(stream, _PythonRaw):
            return stream._raw.closed
        self._check_attached()
        return _gi_is_closed(self)

    def _asking_raw(name):
        """io's method @name, which asks the raw whatever the layer's
        state: a Python raw is asked directly."""
        stream_method = getattr(Stream, name)

        def method(self):
            stream = self.get_base_stream()
            if isinstance(stream, _PythonRaw):
                return getattr(stream._raw, name)()
            return stream_method(self)
        method.__name__ = method.__qualname__ = name
        return method

    readable = _asking_raw('readable')
    writable = _asking_raw('writable')
    seekable = _asking_raw('seekable')
    isatty = _asking_raw('isatty')
    fileno = _asking_raw('fileno')
    del _asking_raw

    def detach(self):
        try:
            stream = Io.FilterStream.detach(self)
        except GLib.Error as e:
            raise _translate(e, self) from None
        if isinstance(stream, _PythonRaw):
            # The raw goes back open: the adapter lets go of it.
            stream._owns_raw = False
            _gi_close(stream)
        return self._raw_of(stream)

    def __del__(self):
        # IOBase.__del__: a layer dropped open is closed here, where Python
        # can run its raw's methods, and a failure goes where CPython's
        # development mode sends it, to sys.unraisablehook.
        try:
            if _gi_is_closed(self):
                return
        except Exception:
            return
        try:
            _gi_close(self)
        except GLib.Error as e:
            _report_drop_error(self, e)
        except BaseException as exc:
            _report_unraisable(exc, self)

    # A raw that would block with nothing to give: io's None.
    def read(self, size=-1):
        try:
            return Stream.read(self, size)
        except WouldBlockError:
            return None

    def read1(self, size=-1):
        size = operator.index(size)  # no None, as in io
        if size < 0:
            # io reads a buffer at most.
            size = self.props.buffer_size
        try:
            return Stream.read1(self, size)
        except WouldBlockError:
            return b''

    def readinto(self, buffer):
        try:
            return Stream.readinto(self, buffer)
        except WouldBlockError:
            return None

    def readinto1(self, buffer):
        try:
            return Stream.readinto1(self, buffer)
        except WouldBlockError:
            return None

    def seek(self, pos, whence=0):
        if (whence == 0 and pos.__class__ is int and pos < 0 and not _gi_is_closed(self)
                and _gi_seekable(self)):
            # io leaves a position before the start to the raw (the layer
            # would refuse it), after writing the buffer out: the layer
            # lets go of its buffer by going to the end, and comes back
            # where it was if the raw fails.
            self.flush()
            start = Stream.tell(self)
            Stream.seek(self, 0, 2)
            try:
                pos = self.raw.seek(pos, 0)
            except BaseException:
                Stream.seek(self, start, 0)
                raise
        return Stream.seek(self, pos, whence)

    def truncate(self, size=None):
        # io's order of checks; a negative size is the raw's to refuse.
        self._check_attached()
        if _gi_is_closed(self):
            raise _error(ClosedError, 'truncate of closed file', _E.CLOSED)
        if not self.writable():
            raise _error(NotSupportedError, 'truncate', _E.NOT_SUPPORTED)
        if size is not None and operator.index(size) < 0:
            self.flush()
            return self.raw.truncate(size)
        if size is None:
            # io truncates at the raw's position once the buffer is out:
            # in append mode, past the position tell() gave before.
            self.flush()
        return Stream.truncate(self, size)

    def close(self):
        self._check_attached()
        stream = self.get_base_stream()
        if isinstance(stream, _PythonRaw) and _gi_is_closed(self) and not stream._raw.closed:
            # io's closed is the raw's: a raw whose close failed leaves the
            # layer open, without its buffer; closing it again fails in
            # the flush, and closes the raw all the same.
            flush_error = _error(InvalidArgumentError, 'flush of closed file', _E.CLOSED)
            try:
                stream._raw.close()
            except BaseException as exc:
                exc.__context__ = flush_error
                raise
            raise flush_error
        Stream.close(self)

    def flush(self):
        try:
            _gi_flush(self)
        except GLib.Error as e:
            exc = _translate(e, self)
            if isinstance(exc, ClosedError) and self.get_base_stream() is not None:
                raise _error(ClosedError, 'flush of closed file', _E.CLOSED) from None
            raise exc from None

    def write(self, b):
        data = b if b.__class__ is bytes else _as_bytes(self, b)
        try:
            written = Stream.write(self, data)
        except WouldBlockError:
            # Nothing taken.
            raise _blocked_write(0) from None
        if written < len(data) and not _gi_is_closed(self):
            # Short: an error kept for the next call (raised now), or a raw
            # that would block, which took @written bytes into the buffer.
            try:
                _gi_write(self, b'')
            except GLib.Error as e:
                raise _translate(e, self, access='w') from None
            raise _blocked_write(written)
        return written

    def __repr__(self):
        name = type(self).__name__
        try:
            return '<Io.%s name=%r>' % (name, self.name)
        except Exception:
            return '<Io.%s>' % name


def _unsupported(name, message):
    """io.BufferedIOBase's method @name, which io.BufferedWriter keeps:
    refused whatever the state of the stream."""
    def method(self, *args):
        raise _error(NotSupportedError, message, _E.NOT_SUPPORTED)
    method.__name__ = method.__qualname__ = name
    return method


class BufferedReader(_Buffered, Io.BufferedReader):
    """`io.BufferedReader(raw, buffer_size=io.DEFAULT_BUFFER_SIZE)` over an
    Io.Stream or any Python raw file object."""

    _capabilities = ('readable',)
    _new = staticmethod(Io.BufferedReader.new)

    write = _unsupported('write', 'write')

    def writable(self):
        return False


class BufferedWriter(_Buffered, Io.BufferedWriter):
    """`io.BufferedWriter(raw, buffer_size=io.DEFAULT_BUFFER_SIZE)`."""

    _capabilities = ('writable',)
    _new = staticmethod(Io.BufferedWriter.new)

    read = _unsupported('read', 'read')
    read1 = _unsupported('read1', 'read1')
    readinto = _unsupported('readinto', 'read')
    readinto1 = _unsupported('readinto1', 'read1')

    def readline(self, size=-1):
        # IOBase's, which reads nothing for a size of 0.
        if size is not None and operator.index(size) == 0:
            return b''
        raise _error(NotSupportedError, 'read', _E.NOT_SUPPORTED)

    def readable(self):
        return False

    @property
    def peek(self):
        raise AttributeError("'BufferedWriter' object has no attribute 'peek'")


class BufferedRandom(_Buffered, Io.BufferedRandom):
    """`io.BufferedRandom(raw, buffer_size=io.DEFAULT_BUFFER_SIZE)`."""

    _capabilities = ('seekable', 'readable', 'writable')
    _new = staticmethod(Io.BufferedRandom.new)


class BufferedRWPair(_Buffered, Io.BufferedRWPair):
    """`io.BufferedRWPair(reader, writer, buffer_size=...)`: no `raw`, and
    detach() is refused, as in io."""

    def __new__(cls, reader, writer, buffer_size=io.DEFAULT_BUFFER_SIZE):
        _check_raw(reader, 'readable')
        _check_raw(writer, 'writable')
        buffer_size = _check_buffer_size(buffer_size)
        stream = Io.BufferedRWPair.new(_as_raw_stream(reader), _as_raw_stream(writer),
                                       buffer_size)
        stream._python_raw = reader
        return stream

    @property
    def raw(self):
        raise AttributeError("'BufferedRWPair' object has no attribute 'raw'")

    @property
    def closed(self):
        writer = self.get_writer()
        if isinstance(writer, _PythonRaw):
            return writer._raw.closed
        return _gi_is_closed(self)

    def detach(self):
        raise _error(NotSupportedError, 'detach', _E.NOT_SUPPORTED)


for _cls in (BufferedReader, BufferedWriter, BufferedRandom, BufferedRWPair):
    _translate_errors_of(_cls, getattr(Io, _cls.__name__))
del _cls
BufferedReader = override(BufferedReader)
BufferedWriter = override(BufferedWriter)
BufferedRandom = override(BufferedRandom)
BufferedRWPair = override(BufferedRWPair)
__all__ += ['BufferedReader', 'BufferedWriter', 'BufferedRandom', 'BufferedRWPair']


# open(): the binary modes, as io.open() checks and builds them.

def _check_open_mode(mode):
    seen = set()
    for c in mode:
        if c not in 'axrwb+t' or c in seen:
            raise _error(InvalidArgumentError, 'invalid mode: %r' % mode)
        seen.add(c)
    if 't' in seen and 'b' in seen:
        raise _error(InvalidArgumentError, "can't have text and binary mode at once")
    if len(seen & set('xrwa')) > 1:
        raise _error(InvalidArgumentError,
                     'must have exactly one of create/read/write/append mode')
    return 'b' in seen


def open(file, mode='r', buffering=-1, encoding=None, errors=None, newline=None,
         closefd=True, opener=None):
    """io.open(): in a binary mode the Io.FileStream itself with
    `buffering=0`, else the Io.BufferedReader, BufferedWriter or
    BufferedRandom over it; in a text mode an Io.TextStream over that
    buffered layer (UTF-8 unless told otherwise, where open() takes the
    locale's encoding)."""
    if not isinstance(file, int):
        file = os.fspath(file)
    if mode.__class__ is not str:
        raise TypeError("open() argument 'mode' must be str, not %s" % type(mode).__name__)
    buffering = operator.index(buffering)
    binary = _check_open_mode(mode)
    if binary:
        for name, value in (('an encoding', encoding), ('an errors', errors),
                            ('a newline', newline)):
            if value is not None:
                raise _error(InvalidArgumentError,
                             "binary mode doesn't take %s argument" % name)
    elif buffering == 0:
        raise _error(InvalidArgumentError, "can't have unbuffered text I/O")
    line_buffering = False
    if buffering == 1:
        if binary:
            warnings.warn("line buffering (buffering=1) isn't supported in binary mode, the "
                          "default buffer size will be used", RuntimeWarning, 2)
        else:
            line_buffering = True
        buffering = -1
    raw = FileStream(file, mode.replace('b', '').replace('t', ''), closefd, opener=opener)
    if buffering == 0:
        return raw
    try:
        if not binary and buffering < 0 and raw.isatty():
            line_buffering = True
        if buffering < 0:
            buffering = raw._blksize if raw._blksize > 1 else io.DEFAULT_BUFFER_SIZE
        if '+' in mode:
            buffer = BufferedRandom(raw, buffering)
        elif 'r' in mode:
            buffer = BufferedReader(raw, buffering)
        else:
            buffer = BufferedWriter(raw, buffering)
        if binary:
            return buffer
        text = TextStream(buffer, encoding, errors, newline, line_buffering)
        text.mode = mode
        return text
    except BaseException:
        raw.close()
        raise


__all__.append('open')


# A buffered writer dropped with bytes it cannot write: the close error
# goes to sys.unraisablehook, as IOBase.__del__ sends it in CPython's
# development mode.

def _unraisable_args_type():
    caught = []
    hook = sys.unraisablehook
    sys.unraisablehook = caught.append

    class Dropped:
        def __del__(self):
            raise RuntimeError

    try:
        Dropped()
    finally:
        sys.unraisablehook = hook
    return type(caught[0])


_UnraisableHookArgs = _unraisable_args_type()


def _report_unraisable(exc, obj):
    try:
        sys.unraisablehook(_UnraisableHookArgs((type(exc), exc, exc.__traceback__, None, obj)))
    except BaseException:
        pass


def _report_drop_error(stream, error):
    _report_unraisable(_translate(error, stream), stream)


Io.Stream.set_drop_error_handler(_report_drop_error)
