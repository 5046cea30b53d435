/* io-gio-file.c: io_stream_new_for_file(), Python's open() on any GFile
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "io-file-stream.h"
#include "io-gio.h"

/* The main mode letter of @mode and whether it has a plus, as FileIO
 * reads it: exactly one of r, w, x and a, at most one +, and b. */
static gboolean
parse_mode (const char  *mode,
            char        *main_mode,
            gboolean    *plus,
            GError     **error)
{
  *main_mode = '\0';
  *plus = FALSE;
  for (const char *s = mode; *s != '\0'; s++)
    {
      if (strchr ("rwxa", *s) != NULL && *main_mode == '\0')
        *main_mode = *s;
      else if (*s == '+' && !*plus)
        *plus = TRUE;
      else if (*s != 'b' || strchr (s + 1, 'b') != NULL)
        {
          *main_mode = '\0';
          break;
        }
    }
  if (*main_mode == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "invalid mode: '%s'", mode);
      return FALSE;
    }
  return TRUE;
}

/**
 * io_stream_new_for_file:
 * @file: a #GFile
 * @mode: (nullable): a Python mode string such as `rb`, `w`, `a` or `r+`;
 *   `NULL` is `r`
 * @cancellable: (nullable): a #GCancellable for the opening
 * @error: return location for a #GError
 *
 * Opens @file like Python's `open(file, mode, buffering=0)`, on any GIO
 * file system.
 *
 * A file with a local path gets an [class@Io.FileStream], with every mode
 * and error of [ctor@Io.FileStream.new]. Any other file (`resource://`, a
 * GVfs mount) is opened with GIO and wrapped as an [class@Io.GioStream]:
 * `r` is `g_file_read()`, `w` `g_file_replace()`, `x` `g_file_create()`,
 * `a` `g_file_append_to()`, and with `+` `g_file_open_readwrite()`,
 * `g_file_replace_readwrite()` and `g_file_create_readwrite()`; `a+` has no
 * GIO equivalent there and fails with %G_IO_ERROR_NOT_SUPPORTED, as does
 * whatever the file system cannot do.
 *
 * Returns: (transfer full): a new stream, or `NULL` with @error set
 */
IoStream *
io_stream_new_for_file (GFile         *file,
                        const char    *mode,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GObject) gio = NULL;
  GError *local_error = NULL;
  gboolean plus;
  char main_mode;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (mode == NULL)
    mode = "r";
  if (g_file_is_native (file) && (path = g_file_get_path (file)) != NULL)
    return io_file_stream_new (path, mode, error);

  if (!parse_mode (mode, &main_mode, &plus, error))
    return NULL;
  switch (main_mode)
    {
    case 'r':
      gio = plus ? G_OBJECT (g_file_open_readwrite (file, cancellable, &local_error)) :
                   G_OBJECT (g_file_read (file, cancellable, &local_error));
      break;
    case 'w':
      gio = plus ? G_OBJECT (g_file_replace_readwrite (file, NULL, FALSE, G_FILE_CREATE_NONE,
                                                       cancellable, &local_error)) :
                   G_OBJECT (g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE,
                                             cancellable, &local_error));
      break;
    case 'x':
      gio = plus ? G_OBJECT (g_file_create_readwrite (file, G_FILE_CREATE_NONE, cancellable,
                                                      &local_error)) :
                   G_OBJECT (g_file_create (file, G_FILE_CREATE_NONE, cancellable, &local_error));
      break;
    default:
      if (plus)
        g_set_error (&local_error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                     "mode 'a+' needs a local file");
      else
        gio = G_OBJECT (g_file_append_to (file, G_FILE_CREATE_NONE, cancellable, &local_error));
      break;
    }
  if (gio == NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (G_IS_IO_STREAM (gio))
    return io_stream_new_for_io_stream (G_IO_STREAM (gio));
  if (G_IS_INPUT_STREAM (gio))
    return io_stream_new_for_input_stream (G_INPUT_STREAM (gio));
  return io_stream_new_for_output_stream (G_OUTPUT_STREAM (gio));
}
