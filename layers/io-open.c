/* io-open.c: Python's open()
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include "io-buffered-random.h"
#include "io-buffered-reader.h"
#include "io-buffered-writer.h"
#include "io-error-private.h"
#include "io-file-stream.h"
#include "io-open.h"
#include "io-text-stream.h"

/* @mode as Python's repr() writes it, as open()'s messages quote it. */
static char *
quote_mode (const char *mode)
{
  GString *quoted = g_string_new (NULL);

  io_append_python_repr (quoted, mode);
  return g_string_free (quoted, FALSE);
}

/* open()'s own checks of @mode, in its order, before FileIO sees it;
 * @text says whether the mode is to be a text one (without `b`) or a
 * binary one. */
static gboolean
check_mode (const char  *mode,
            gboolean     text,
            GError     **error)
{
  g_autofree char *quoted = quote_mode (mode);
  const char *s;
  guint main_modes = 0;

  for (s = mode; *s != '\0'; s++)
    {
      if (strchr ("axrwb+t", *s) == NULL || strchr (s + 1, *s) != NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "invalid mode: %s", quoted);
          return FALSE;
        }
      if (strchr ("axrw", *s) != NULL)
        main_modes++;
    }
  if (strchr (mode, 't') != NULL && strchr (mode, 'b') != NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         "can't have text and binary mode at once");
  else if (main_modes != 1)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         "must have exactly one of create/read/write/append mode");
  else if (!text && strchr (mode, 'b') == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                 "text mode %s: io_open() opens binary modes, io_open_text() text ones",
                 quoted);
  else if (text && strchr (mode, 'b') != NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                 "binary mode %s: io_open_text() opens text modes, io_open() binary ones",
                 quoted);
  else
    return TRUE;
  return FALSE;
}

/* The buffer size for @buffering: the file's block size for a negative
 * one, as open() takes st_blksize. */
static gsize
buffer_size_for (IoStream *raw,
                 int       buffering)
{
  struct stat st;
  int fd;

  if (buffering > 0)
    return (gsize) buffering;
  fd = io_stream_fileno (raw, NULL);
  if (fd >= 0 && fstat (fd, &st) == 0 && st.st_blksize > 1)
    return (gsize) st.st_blksize;
  return IO_DEFAULT_BUFFER_SIZE;
}

/* The layer open() puts over @raw (which it takes) for @mode. */
static IoStream *
open_buffered (IoStream    *raw,
               const char  *mode,
               int          buffering,
               GError     **error)
{
  gsize size;
  IoStream *stream;

  if (raw == NULL || buffering == 0)
    return raw;

  size = buffer_size_for (raw, buffering);
  if (strchr (mode, '+') != NULL)
    stream = io_buffered_random_new (raw, size, error);
  else if (strchr (mode, 'r') != NULL)
    stream = io_buffered_reader_new (raw, size, error);
  else
    stream = io_buffered_writer_new (raw, size, error);
  if (stream == NULL)
    (void) io_stream_close (raw, NULL);
  g_object_unref (raw);
  return stream;
}

static gboolean
check_arguments (const char  *mode,
                 int          buffering,
                 GError     **error)
{
  if (!check_mode (mode, FALSE, error))
    return FALSE;
  if (buffering == 1)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "line buffering (buffering=1) isn't supported in binary mode");
      return FALSE;
    }
  return TRUE;
}

/**
 * io_open:
 * @path: (type filename): the file to open
 * @mode: (nullable): a binary mode string: `rb`, `wb`, `xb`, `ab`, with an
 *   optional `+`; `NULL` means `rb`
 * @buffering: 0 for no buffer, -1 for a buffer of the file's block size
 *   (`st_blksize`), or the size of the buffer
 * @error: return location for a #GError
 *
 * Opens @path as Python's `open(path, mode, buffering)` does in a binary
 * mode: an [class@Io.FileStream] (`FileIO`) under the buffered layer the
 * mode calls for, an [class@Io.BufferedReader] for `r`, an
 * [class@Io.BufferedWriter] for `w`, `x` and `a`, an
 * [class@Io.BufferedRandom] with `+`, or the file stream itself with
 * @buffering 0.
 *
 * The errors are `open()`'s: %G_IO_ERROR_INVALID_ARGUMENT for a bad mode
 * and for @buffering 1 (line buffering, which CPython ignores in binary
 * mode with a warning), the errors of [ctor@Io.FileStream.new] for the
 * file, and %G_IO_ERROR_NOT_SUPPORTED for a text mode (one without `b`),
 * which [func@Io.open_text] opens.
 *
 * Returns: (transfer full) (nullable): the new stream, or `NULL` on error
 */
IoStream *
io_open (const char  *path,
         const char  *mode,
         int          buffering,
         GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  if (mode == NULL)
    mode = "rb";
  if (!check_arguments (mode, buffering, error))
    return NULL;
  return open_buffered (io_file_stream_new (path, mode, error), mode, buffering, error);
}

/**
 * io_open_fd:
 * @fd: an open file descriptor
 * @mode: (nullable): a binary mode string, as for [func@Io.open]; `NULL`
 *   means `rb`
 * @buffering: 0, -1 or a buffer size, as for [func@Io.open]
 * @closefd: whether closing the stream closes @fd
 * @error: return location for a #GError
 *
 * [func@Io.open] for a descriptor: Python's `open(fd, mode, buffering,
 * closefd=closefd)`. On failure @fd is left open unless the file stream
 * over it was made (with @closefd) and then closed.
 *
 * Returns: (transfer full) (nullable): the new stream, or `NULL` on error
 */
IoStream *
io_open_fd (int          fd,
            const char  *mode,
            int          buffering,
            gboolean     closefd,
            GError     **error)
{
  if (mode == NULL)
    mode = "rb";
  if (!check_arguments (mode, buffering, error))
    return NULL;
  return open_buffered (io_file_stream_new_for_fd (fd, mode, closefd, error), mode, buffering,
                        error);
}

/**
 * io_open_text:
 * @path: (type filename): the file to open
 * @mode: (nullable): a text mode string: `r`, `w`, `x`, `a`, with an
 *   optional `+` and `t`; `NULL` means `r`
 * @buffering: -1 for a buffer of the file's block size, 1 for line
 *   buffering, or the size of the buffer (0, no buffer, is refused)
 * @encoding: (nullable): the text's encoding, `NULL` for UTF-8 (see
 *   [ctor@Io.TextStream.new])
 * @errors: (nullable): the error handler, `NULL` for `strict`
 * @newline: (nullable): the newline mode, `NULL` for universal newlines
 * @error: return location for a #GError
 *
 * Opens @path as Python's `open(path, mode, buffering, encoding, errors,
 * newline)` does in a text mode: an [class@Io.TextStream] over what
 * [func@Io.open] gives for the same mode with `b`. @buffering 1 is line
 * buffering (`line_buffering` of the text stream, over a buffer of the
 * block size), and 0 fails with %G_IO_ERROR_INVALID_ARGUMENT ("can't have
 * unbuffered text I/O"), as in CPython. A binary mode fails with
 * %G_IO_ERROR_NOT_SUPPORTED: [func@Io.open] opens those. Unlike CPython,
 * which defaults to the locale's encoding, libstream defaults to UTF-8.
 *
 * Returns: (transfer full) (nullable): the new text stream, or `NULL` on
 *   error
 */
IoTextStream *
io_open_text (const char  *path,
              const char  *mode,
              int          buffering,
              const char  *encoding,
              const char  *errors,
              const char  *newline,
              GError     **error)
{
  g_autofree char *binary_mode = NULL;
  g_autoptr(IoStream) buffer = NULL;
  IoTextStream *text;
  gboolean line_buffering = buffering == 1;

  g_return_val_if_fail (path != NULL, NULL);

  if (mode == NULL)
    mode = "r";
  if (!check_mode (mode, TRUE, error))
    return NULL;
  if (buffering == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "can't have unbuffered text I/O");
      return NULL;
    }

  /* The same mode, binary: `t` taken out, `b` added. */
  binary_mode = g_strconcat (mode, "b", NULL);
  for (char *t = strchr (binary_mode, 't'); t != NULL; t = strchr (t, 't'))
    memmove (t, t + 1, strlen (t));
  buffer = io_open (path, binary_mode, line_buffering ? -1 : buffering, error);
  if (buffer == NULL)
    return NULL;
  text = io_text_stream_new (buffer, encoding, errors, newline, line_buffering, FALSE, error);
  if (text == NULL)
    (void) io_stream_close (buffer, NULL);
  return text;
}
