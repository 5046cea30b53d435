# Io.py: the PyGObject override that makes libstream streams Python file objects
#
# SPDX-License-Identifier: LGPL-2.1-or-later

"""Python binary file objects over libstream.

With this override every `Io.Stream` has the interface of
`io.BufferedIOBase` (it is registered with that ABC), and
`Io.MemoryStream` is a drop-in `io.BytesIO`.

Errors from C arrive as exceptions that are at once the exception `io`
raises (`ValueError` on a closed stream, `io.UnsupportedOperation`,
`BufferError`, `BlockingIOError`, an `OSError` subclass with `errno`,
`strerror` and `filename` parsed from the `[Errno N] text: 'file'` message)
and a `GLib.Error` (subclasses of `Io.Error`), so `except GLib.Error` and
`error.matches()` keep working.

A Python class may subclass `Io.Stream` and implement `do_read_chunk`,
`do_write`, `do_seek`, ...: its `do_*` methods are wrapped so that any
exception they raise reaches C as a `GError` rather than a silent end of
stream, and `do_read_chunk` may return `bytes`. `Io.MemoryStream` is a
final type: Python subclasses of it, as of `io.BytesIO`, add Python methods
but no vfuncs.

Speed: bytes-like objects cross into C in one piece (large reads fill a new
`bytes` object in place, `readinto()` and large writes of `bytearray` or
`memoryview` pass addresses), and `for line in stream` fetches whole lines
in growing batches served from an `io.BytesIO`. While such a loop runs, the
C position may be after the lines not yet yielded; every method here, and
every introspected method, first gives them back, so Python code always
sees the position of the last line yielded. An iterator returned by
`iter(stream)` ends at the end of the stream for good (`next(stream)`
resumes after more data is written, as with a file).

The plain introspected methods stay reachable through the class, e.g.
`Io.Stream.read_bytes(stream, 4)` returns a `GLib.Bytes`.
"""

import ast
import atexit
import copy
import ctypes
import errno as errno_codes
import functools
import io
import itertools
import operator
import re
import select
import stat
import threading
import warnings
import weakref

from gi.repository import GLib, Gio

from ..module import get_introspection_module
from ..overrides import override

Io = get_introspection_module('Io')

__all__ = []

_IO_DOMAIN = 'g-io-error-quark'
_E = Gio.IOErrorEnum

# The raw methods, looked up once: the override shadows most of them.
# Touching Io.MemoryStream here would fix its base before Stream is overridden.
_gi_read = Io.Stream.read
_gi_read1 = Io.Stream.read1
_gi_readinto = Io.Stream.readinto_address
_gi_readinto1 = Io.Stream.readinto1_address
_gi_readline = Io.Stream.readline_array
_gi_readlines_joined = Io.Stream.readlines_joined
_gi_peek = Io.Stream.peek
_gi_write = Io.Stream.write
_gi_write_address = Io.Stream.write_address
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

_CLOSED_MESSAGE = 'I/O operation on closed file.'


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

# The errno of the G_IO_ERROR codes that have one, for errors whose message
# does not follow the `[Errno N] ...` convention.
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


_QUOTED = r"""b?(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
# str(OSError): `[Errno N] strerror`, then `: 'filename'`, then ` -> 'filename2'`.
_ERRNO_MESSAGE = re.compile(r'\[Errno (-?\d+)\] (.*?)(?:: (%s)(?: -> (%s))?)?\Z'
                            % (_QUOTED, _QUOTED), re.S)


def _os_error(code, message):
    match = _ERRNO_MESSAGE.match(message)
    if match is not None:
        errno = int(match.group(1))
        args = [errno, match.group(2)]
        if match.group(3) is not None:
            args.append(ast.literal_eval(match.group(3)))
            if match.group(4) is not None:
                args += [None, ast.literal_eval(match.group(4))]
        return _os_error_class(errno)(*args)
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


def _translate(error, stream=None, iobase=False):
    """The Python exception for a `GLib.Error` raised by a libstream call.

    With @stream, the text is the one its class's Python twin gives (FileIO
    words some errors differently from BytesIO); @iobase says the method is
    one that class inherits from `IOBase`, which words the closed error as
    BytesIO does."""
    if isinstance(error, Error) or error.domain != _IO_DOMAIN:
        return error
    code = error.code
    message = error.message
    cls = _CLASS_BY_CODE.get(code)
    if cls is ClosedError:
        exc = ClosedError(_closed_message(stream, iobase))
    elif cls is not None:
        exc = cls(message if stream is None else stream._mode_messages.get(message, message))
    else:
        exc = _os_error(code, message)
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


# --- Reading into new bytes without a second copy -------------------------

# C fills a bytes object that nobody else has seen yet, as C extensions do
# with PyBytes_FromStringAndSize (NULL, n): large reads then cost one copy,
# as in io.BytesIO, instead of a copy into a C array and one out of it.
# Sizes past _DIRECT_READ_MAX go through C's allocation, which grows with
# the data, so that read(huge) on a short stream never reserves `huge`.
_new_bytes = ctypes.pythonapi.PyBytes_FromStringAndSize
_new_bytes.restype = ctypes.py_object
_new_bytes.argtypes = (ctypes.c_void_p, ctypes.c_ssize_t)
_BYTES_DATA_OFFSET = bytes.__basicsize__ - 1
_DIRECT_READ_MIN = 32 * 1024
_DIRECT_READ_MAX = 64 * 1024 * 1024


def _read_direct(stream, size):
    """read(@size) through a new bytes object of @size bytes (at least 2:
    CPython shares its empty and one-byte bytes objects)."""
    if size < 2:
        return _gi_read(stream, size)
    data = _new_bytes(None, size)
    count = _gi_readinto(stream, id(data) + _BYTES_DATA_OFFSET, size)
    return data if count == size else data[:count]


# Writes of other bytes-likes this large go to C by address, with no
# temporary bytes object: a fresh megabyte costs page faults, not only a copy.
_DIRECT_WRITE_MIN = 32 * 1024


class _PyBuffer(ctypes.Structure):
    """CPython's Py_buffer, to borrow the address of any bytes-like object."""

    _fields_ = [('buf', ctypes.c_void_p), ('obj', ctypes.c_void_p),
                ('len', ctypes.c_ssize_t), ('itemsize', ctypes.c_ssize_t),
                ('readonly', ctypes.c_int), ('ndim', ctypes.c_int),
                ('format', ctypes.c_char_p), ('shape', ctypes.c_void_p),
                ('strides', ctypes.c_void_p), ('suboffsets', ctypes.c_void_p),
                ('internal', ctypes.c_void_p)]


_get_buffer = ctypes.pythonapi.PyObject_GetBuffer
_get_buffer.argtypes = (ctypes.py_object, ctypes.POINTER(_PyBuffer), ctypes.c_int)
_get_buffer.restype = ctypes.c_int
_release_buffer = ctypes.pythonapi.PyBuffer_Release
_release_buffer.argtypes = (ctypes.POINTER(_PyBuffer),)
_release_buffer.restype = None


def _write_view(stream, view):
    """Writes the C-contiguous memoryview @view from where it lies."""
    count = view.nbytes
    if count < _DIRECT_WRITE_MIN:
        return _gi_write(stream, view.tobytes())
    buffer = _PyBuffer()
    _get_buffer(view, buffer, 0)  # PyBUF_SIMPLE: read-only views too
    try:
        return _gi_write_address(stream, buffer.buf, count)
    finally:
        _release_buffer(buffer)


def _read_all(stream):
    """Everything up to the end: on a seekable stream in one block of the
    size the end of the stream gives, as FileIO.readall() does."""
    if not _gi_seekable(stream):
        return _gi_read(stream, -1)
    position = _gi_tell(stream)
    size = _gi_seek(stream, 0, Io.Whence.END) - position
    _gi_seek(stream, position, Io.Whence.SET)
    if size < _DIRECT_READ_MIN:
        return _gi_read(stream, -1)
    data = _read_direct(stream, size)
    if len(data) == size:
        # The stream may have grown meanwhile (or may not know its end).
        data += _gi_read(stream, -1)
    return data


# --- Python subclasses driven by C ---------------------------------------

def _to_gbytes(result, args):
    if isinstance(result, GLib.Bytes):
        return result
    if result is None:
        raise _error(WouldBlockError, 'read would block', _E.WOULD_BLOCK)
    if result.__class__ is not bytes:
        result = _as_bytes(None, result)
    return GLib.Bytes.new(result)


def _true_if_none(result, args):
    return True if result is None else result


def _first_arg_if_none(result, args):
    return args[0] if result is None else result


def _count_if_none(result, args):
    return args[-1] if result is None else result


# How a `do_*` return value is made acceptable to C.
_VFUNC_RESULTS = {
    'do_read_chunk': _to_gbytes,
    'do_peek': _to_gbytes,
    'do_write': _count_if_none,
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
    if isinstance(exc, OSError) or code == _E.INVALID_ARGUMENT:
        message = str(exc)
    else:
        message = '%s: %s' % (type(exc).__name__, exc)
    return GLib.Error(message, _IO_DOMAIN, int(code))


def _guard_vfunc(name, func):
    convert = _VFUNC_RESULTS.get(name)

    @functools.wraps(func)
    def guarded(self, *args):
        try:
            result = func(self, *args)
            return convert(result, args) if convert is not None else result
        except GLib.Error:
            raise
        except BaseException as exc:
            raise _to_gerror(exc) from exc

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


class _Raise:
    """An iterator that raises @exc once, then is exhausted."""

    def __init__(self, exc):
        self.exc = exc

    def __iter__(self):
        return self

    def __next__(self):
        exc, self.exc = self.exc, None
        if exc is None:
            raise StopIteration
        raise exc


# `for line in stream` reads lines in batches of this many bytes, doubling
# from the first size to the last while nothing else touches the stream.
_FIRST_BATCH = 4096
_LAST_BATCH = 256 * 1024
_chain = itertools.chain.from_iterable
# `_ahead` while a batch is being fetched: another thread's call that finds
# it waits for the batch and gives it back (see Stream._sync).
_FETCHING = io.BytesIO()


class Stream(Io.Stream):
    """A libstream stream with the interface of `io.BufferedIOBase`."""

    # While a `for line in stream` loop runs, the io.BytesIO holding the
    # lines fetched from C that it has not yielded yet; the C position is
    # after them.
    _ahead = None

    # How errors read: as BytesIO words them. The closed error's text, and
    # the texts of libstream's wrong-mode errors (never seen on BytesIO).
    _closed_message = _CLOSED_MESSAGE
    _mode_messages = {}
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
        return self

    def _batch_lock(self):
        """The lock that makes fetching a batch of lines, and giving one back,
        happen whole with respect to other threads (made on first use)."""
        lock = self.__dict__.get('_io_batch_lock')
        if lock is None:
            lock = self.__dict__.setdefault('_io_batch_lock', threading.Lock())
        return lock

    def _sync(self):
        """Gives the lines read ahead back to the stream (seeks over them).

        Another thread's `for line in stream` may be taking lines from the
        batch meanwhile: the rest is taken in one call, which the GIL makes
        atomic, so every line goes either to that loop or back to the
        stream, and the lock keeps the loop from fetching the next batch
        before the stream is back at the first line not taken."""
        with self._batch_lock():
            self._give_back()

    def _give_back(self):
        """`_sync()` under the batch lock, which the caller holds."""
        ahead = self._ahead
        if ahead is None:
            return
        self._ahead = None
        rest = len(ahead.read())
        if rest:
            try:
                _gi_seek(self, -rest, Io.Whence.CUR)
            except GLib.Error as e:
                raise _translate(e, self) from None

    def _unread(self):
        """How many bytes the running line iteration has read ahead."""
        ahead = self._ahead
        if ahead is None:
            return 0
        # The batch never changes size: one look at its position.
        return len(ahead.getbuffer()) - ahead.tell()

    def _with_batch_locked(self, call, *args):
        """@call(*args), under the batch lock if lines are read ahead."""
        if self._ahead is None:
            return call(*args)
        with self._batch_lock():
            return call(*args)

    # Reading

    def read(self, size=-1):
        if self._ahead is not None:
            self._sync()
        if size.__class__ is not int or size < 0:
            size = _optional_size(size)
        try:
            if size < 0:
                return _read_all(self)
            if _DIRECT_READ_MIN <= size <= _DIRECT_READ_MAX:
                return _read_direct(self, size)
            return _gi_read(self, size)
        except GLib.Error as e:
            raise _translate(e, self) from None
        except OverflowError:
            raise OverflowError(_SIZE_OVERFLOW) from None

    def read1(self, size=-1):
        if self._ahead is not None:
            self._sync()
        if size.__class__ is not int or size < 0:
            size = _optional_size(size)
        try:
            return _gi_read1(self, size)
        except GLib.Error as e:
            raise _translate(e, self) from None
        except OverflowError:
            raise OverflowError(_SIZE_OVERFLOW) from None

    def readall(self):
        return self.read(-1)

    def _readinto(self, buffer, method, name):
        if self._ahead is not None:
            self._sync()
        try:
            view = memoryview(buffer)
        except TypeError:
            view = None
        if view is None or view.readonly or not view.c_contiguous:
            if view is not None:
                view.release()
            raise _error(ArgumentTypeError, '%s() argument must be read-write bytes-like '
                         'object, not %s' % (name, type(buffer).__name__))
        with view:
            count = view.nbytes
            if count == 0:
                first = None
                address = 0
            else:
                first = ctypes.c_char.from_buffer(view)
                address = ctypes.addressof(first)
            try:
                return method(self, address, count)
            except GLib.Error as e:
                raise _translate(e, self) from None
            finally:
                del first

    def readinto(self, buffer):
        return self._readinto(buffer, _gi_readinto, 'readinto')

    def readinto1(self, buffer):
        return self._readinto(buffer, _gi_readinto1, 'readinto1')

    def peek(self, size=0):
        if self._ahead is not None:
            self._sync()
        size = _index(size)
        try:
            return _gi_peek(self, max(size, 0)).get_data()
        except GLib.Error as e:
            raise _translate(e, self) from None

    def readline(self, size=-1):
        if size.__class__ is not int or size < 0:
            size = _optional_size(size)
        ahead = self._ahead
        if ahead is not None:
            # The batch holds whole lines from the position on: the next
            # line comes from it unless it is used up.
            line = ahead.readline(size)
            if line:
                return line
            self._sync()
        try:
            return _gi_readline(self, size)
        except GLib.Error as e:
            raise _translate(e, self) from None
        except OverflowError:
            raise OverflowError(_SIZE_OVERFLOW) from None

    def readlines(self, hint=None):
        if self._ahead is not None:
            self._sync()
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
        try:
            joined = _gi_readlines_joined(self, max(hint, 0))
        except GLib.Error as e:
            raise _translate(e, self, True) from None
        return io.BytesIO(joined).readlines()

    def _check_hint_range(self):
        """Raises what readlines() raises for a hint out of range: BytesIO
        looks at the stream first."""
        if _gi_is_closed(self):
            raise _closed_error()
        raise OverflowError(_SSIZE_OVERFLOW)

    def __iter__(self):
        return _chain(self._batches())

    def _batches(self):
        """Yields io.BytesIO batches of lines fetched from C, growing in size.

        A batch holds whole lines, and `__iter__` chains the batches in C,
        so a line costs what it costs with io.BytesIO. While a batch is being
        consumed it is `_ahead` and the C position is after it: any other
        operation on the stream first seeks back over the lines not yet
        yielded (`_sync`), which also empties the batch, so the next line
        comes from C at the position that operation left.

        Errors are yielded as `_Raise` iterators: raised here, they would end
        the generator and with it every later `next()`.
        """
        hint = _FIRST_BATCH
        seekable = None
        ahead = None
        try:
            while True:
                try:
                    if seekable is None:
                        seekable = _gi_seekable(self)
                    ahead = self._fetch_batch(hint if seekable else 0)
                except GLib.Error as e:
                    # Raised through the chain, which outlives it: the next
                    # line is tried again, as a file object would.
                    yield _Raise(_translate(e, self))
                    continue
                if ahead is None:
                    return
                yield ahead
                if self._ahead is ahead:
                    self._ahead = None
                    hint = min(hint * 2, _LAST_BATCH)
                else:
                    hint = _FIRST_BATCH
        finally:
            if ahead is not None and self._ahead is ahead:
                try:
                    self._sync()
                except (GLib.Error, ValueError):
                    pass

    def _fetch_batch(self, size):
        """Fetches the next batch (`_fetch_lines(size)`) and makes it
        `_ahead`; None at the end."""
        with self._batch_lock():
            self._give_back()
            self._ahead = _FETCHING
            try:
                data = self._fetch_lines(size)
            finally:
                self._ahead = None
            if not data:
                return None
            self._ahead = ahead = io.BytesIO(data)
            return ahead

    def _fetch_lines(self, size):
        """Whole lines, about @size bytes of them (one line if @size is 0).

        A seekable stream is read in one block cut after its last newline,
        seeking back over the rest, so C does no per-line work.
        """
        if size == 0:
            return _gi_readlines_joined(self, 1)
        data = _read_direct(self, size)
        end = data.rfind(b'\n') + 1
        if end == len(data):
            return data
        if end > 0:
            # A short read may end anywhere, an error may follow: the
            # partial line is read again with the next batch.
            _gi_seek(self, end - len(data), Io.Whence.CUR)
            return data[:end]
        # A line longer than the batch, or the last one: C finishes it.
        try:
            return data + _gi_readline(self, -1)
        except GLib.Error:
            _gi_seek(self, -len(data), Io.Whence.CUR)
            raise

    def __next__(self):
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    # Writing

    def write(self, b):
        if self._ahead is not None:
            self._sync()
        try:
            if b.__class__ is bytes:
                return _gi_write(self, b)
            with _as_view(self, b) as view:
                return _write_view(self, view)
        except GLib.Error as e:
            raise _translate(e, self) from None

    def writelines(self, lines):
        if _gi_is_closed(self):
            raise _closed_error()
        batch = []
        try:
            for line in lines:
                batch.append(line if line.__class__ is bytes else _as_bytes(self, line))
                if len(batch) >= 1024:
                    self._write_all(b''.join(batch))
                    batch.clear()
        finally:
            if batch:
                self._write_all(b''.join(batch))

    def _write_all(self, data):
        written = self.write(data)
        if written < len(data):
            # A non-blocking stream took part of it, as BufferedWriter says.
            message = 'write could not complete without blocking'
            exc = WouldBlockError(errno_codes.EAGAIN, message)
            exc.characters_written = written  # only BlockingIOError itself takes it
            raise _attach(exc, message, _E.WOULD_BLOCK)

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
        return self._with_batch_locked(self._seek, pos, whence)

    def _seek(self, pos, whence):
        ahead = self._ahead
        if ahead is not None and whence == 1:
            pos -= self._unread()
        try:
            position = _gi_seek(self, pos, whence)
        except GLib.Error as e:
            raise _translate(e, self) from None
        except OverflowError:
            self._check_position_range()
            raise OverflowError(self._position_overflow) from None
        if ahead is not None and self._ahead is ahead:
            # The batch is dropped only now: a failed seek moves nothing.
            ahead.seek(0, 2)
            self._ahead = None
        return position

    def tell(self):
        return self._with_batch_locked(self._tell)

    def _tell(self):
        try:
            position = _gi_tell(self)
        except GLib.Error as e:
            raise _translate(e, self) from None
        if self._ahead is not None:
            position -= self._unread()
        return position

    def truncate(self, size=None):
        if self._ahead is not None:
            self._sync()
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
            raise _translate(e, self) from None
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

    def close(self):
        if self._ahead is not None:
            # Given back first: a close refused with BufferError keeps the
            # stream open, at its logical position.
            try:
                self._sync()
            except Error:
                pass
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


Stream = override(Stream)
__all__.append('Stream')
io.BufferedIOBase.register(Stream)


# Io.MemoryStream is looked up only now, so that its base is the override.
_gi_get_value = Io.MemoryStream.get_value
_gi_acquire_buffer = Io.MemoryStream.acquire_buffer_address
_gi_release_buffer = Io.MemoryStream.release_buffer
_gi_get_exports = Io.MemoryStream.get_exports


def _release_export(stream):
    _gi_release_buffer(stream)


def _restore_memory_stream(cls, value, position, state):
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
        if initial_bytes is not None:
            if not isinstance(initial_bytes, GLib.Bytes):
                initial_bytes = GLib.Bytes.new(_as_bytes(None, initial_bytes))
            kwargs['initial_bytes'] = initial_bytes
        super().__init__(**kwargs)

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

    def __reduce__(self):
        return (_restore_memory_stream, (type(self),) + self.__getstate__())

    def __getstate__(self):
        """`(value, position, dict or None)`, as BytesIO's."""
        attributes = {key: item for key, item in vars(self).items()
                      if key not in ('_ahead', '_io_batch_lock')}
        return (self.getvalue(), self.tell(), attributes or None)

    def __setstate__(self, state):
        """Takes what `__getstate__()` returns, with BytesIO's checks."""
        if not isinstance(state, tuple) or len(state) < 3:
            raise TypeError('Io.MemoryStream.__setstate__ argument should be 3-tuple, got %s'
                            % type(state).__name__)
        value, position, attributes = state[:3]
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

    def __copy__(self):
        return _restore_memory_stream(*self.__reduce__()[1])

    def __deepcopy__(self, memo):
        cls, value, position, state = self.__reduce__()[1]
        return _restore_memory_stream(cls, value, position, copy.deepcopy(state, memo))


MemoryStream = override(MemoryStream)
__all__ += ['MemoryStream', '_restore_memory_stream']


# --- Files and pipes: io.FileIO -------------------------------------------

_gi_file_new_full = Io.FileStream.new_full
_gi_file_new_for_fd = Io.FileStream.new_for_fd
_gi_pipe_new_for_fd = Io.PipeStream.new_for_fd


def _os_error_of(error, stream):
    """The exception for a `GLib.Error` of a descriptor backend: an
    `[Errno N]` message is an `OSError` whatever the code, as in FileIO
    (`seek()` before the start is `OSError(EINVAL)`, not a `ValueError`)."""
    if error.domain == _IO_DOMAIN and _ERRNO_MESSAGE.match(error.message):
        return _attach(_os_error(error.code, error.message), error.message, error.code)
    return _translate(error, stream)


def _open_error(error, file):
    """The exception of a failed open: like FileIO, its `filename` is the
    object given (bytes stay bytes, a descriptor is an int)."""
    exc = _os_error_of(error, None)
    if not isinstance(exc, OSError) or exc.errno is None:
        return exc
    if exc.filename is not None:
        exc.filename = file
    elif isinstance(file, int) and error.message.endswith(': %d' % file):
        exc = _attach(_os_error_class(exc.errno)(exc.errno, GLib.strerror(exc.errno), file),
                      error.message, error.code)
    return exc


def _einval():
    message = '[Errno %d] %s' % (errno_codes.EINVAL, GLib.strerror(errno_codes.EINVAL))
    return _attach(_os_error(_E.INVALID_ARGUMENT, message), message, _E.INVALID_ARGUMENT)


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
    _mode_messages = {'Stream is not readable': 'File not open for reading',
                      'Stream is not writable': 'File not open for writing'}
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
        poller = pollers[events]
        if not poller.poll(0) and __import__('os').get_blocking(fd):
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
            mode = __import__('os').fstat(fd).st_mode
        except (GLib.Error, OSError):
            return False
        if not (stat.S_ISREG(mode) or stat.S_ISBLK(mode)):
            pollers = {}
            for events in (select.POLLIN, select.POLLOUT):
                pollers[events] = select.poll()
                pollers[events].register(fd, events)
            waits = (fd, pollers)
        self._io_waits = waits
        return waits

    def read(self, size=-1):
        if self._ahead is not None:
            self._sync()
        if size.__class__ is not int or size < 0:
            size = _optional_size(size)
            if size < 0:
                return self.readall()
        if size:
            self._wait(select.POLLIN)
        try:
            if size < 2 or size > _DIRECT_READ_MAX:
                return _gi_read1(self, size)
            data = _new_bytes(None, size)
            count = _gi_readinto1(self, id(data) + _BYTES_DATA_OFFSET, size)
            return data if count == size else data[:count]
        except GLib.Error as e:
            if e.matches(Gio.io_error_quark(), _E.WOULD_BLOCK):
                return None
            raise _os_error_of(e, self) from None
        except OverflowError:
            raise OverflowError(_SIZE_OVERFLOW) from None

    def readall(self):
        if self._ahead is not None:
            self._sync()
        if self._waits():
            return self._readall_waiting()
        try:
            return _read_all(self)
        except GLib.Error as e:
            if e.matches(Gio.io_error_quark(), _E.WOULD_BLOCK):
                return None
            raise _os_error_of(e, self) from None

    def _readall_waiting(self):
        """readall() of a pipe, terminal or socket: a read per chunk, each
        after a wait in which the signal handlers run, as in read()."""
        chunks = []
        while True:
            self._wait(select.POLLIN)
            try:
                chunk = _gi_read1(self, _READALL_CHUNK)
            except GLib.Error as e:
                if not e.matches(Gio.io_error_quark(), _E.WOULD_BLOCK):
                    raise _os_error_of(e, self) from None
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
            return self._readinto(buffer, _gi_readinto1, 'readinto')
        except BlockingIOError:
            return None

    def write(self, b):
        self._wait(select.POLLOUT)
        try:
            return super().write(b)
        except BlockingIOError:
            return None

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
                return __import__('os').lseek(self.fileno(), _index(pos), whence)
            except OSError as e:
                message = '[Errno %d] %s' % (e.errno, e.strerror)
                raise _attach(_os_error_class(e.errno)(e.errno, e.strerror), message,
                              Gio.io_error_from_errno(e.errno)) from None
        try:
            return super().seek(pos, whence)
        except InvalidArgumentError as e:
            if _ERRNO_MESSAGE.match(e.message):
                raise _attach(_os_error(e.code, e.message), e.message, e.code) from None
            raise

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
            return max(__import__('os').fstat(self.fileno()).st_blksize, 1)
        except OSError:
            return io.DEFAULT_BUFFER_SIZE

    def __del__(self):
        # FileIO's: an open stream that owns its descriptor warns that it
        # was not closed, then closes (disposing would close it anyway).
        try:
            if _gi_is_closed(self) or not self.props.closefd:
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


def _open_flags(mode):
    """The open(2) flags FileIO hands an opener for @mode, with FileIO's
    checks and messages for a mode it refuses."""
    os = __import__('os')
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
        __import__('os').close(fd)
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
                path = __import__('os').fspath(file)
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


PipeStream = override(PipeStream)
__all__ += ['FileStream', 'PipeStream']


# --- Errors of every other introspected method ----------------------------

def _raising_translated(raw):
    @functools.wraps(raw)
    def call(*args, **kwargs):
        try:
            return raw(*args, **kwargs)
        except GLib.Error as e:
            raise _translate(e) from None
    return call


def _method_raising_translated(raw):
    """The same for a method, which also gives C back the lines a running
    `for line in stream` has read ahead, so C sees the logical position."""
    @functools.wraps(raw)
    def call(self, *args, **kwargs):
        if self._ahead is not None:
            self._sync()
        try:
            return raw(self, *args, **kwargs)
        except GLib.Error as e:
            raise _translate(e, self) from None
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
            setattr(cls, name, _method_raising_translated(raw))
        else:
            setattr(cls, name, staticmethod(_raising_translated(raw)))


def _translate_all_errors():
    """Every stream class of the namespace, the backends included."""
    overrides = {'Stream': Stream, 'MemoryStream': MemoryStream}
    for name in dir(Io):
        raw_cls = getattr(Io, name)
        if isinstance(raw_cls, type) and issubclass(raw_cls, Io.Stream):
            _translate_errors_of(overrides.get(name, raw_cls), raw_cls)


_translate_all_errors()
