/* io-error.c: OS errors as GErrors that read like Python's OSError, with
 * their errno and filenames kept for io_error_get_errno()
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <string.h>

#include "io-error-private.h"

/* str.isprintable(): everything but the "Other" and "Separator" categories
 * (the ASCII space aside, which is handled by the caller). */
static gboolean
is_python_printable (gunichar c)
{
  switch (g_unichar_type (c))
    {
    case G_UNICODE_CONTROL:
    case G_UNICODE_FORMAT:
    case G_UNICODE_UNASSIGNED:
    case G_UNICODE_PRIVATE_USE:
    case G_UNICODE_SURROGATE:
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
    case G_UNICODE_SPACE_SEPARATOR:
      return FALSE;
    default:
      return TRUE;
    }
}

static void
append_code_point (GString  *string,
                   gunichar  c,
                   char      quote)
{
  switch (c)
    {
    case '\\':
      g_string_append (string, "\\\\");
      return;
    case '\n':
      g_string_append (string, "\\n");
      return;
    case '\r':
      g_string_append (string, "\\r");
      return;
    case '\t':
      g_string_append (string, "\\t");
      return;
    default:
      break;
    }

  if (c == (gunichar) quote)
    g_string_append_c (string, '\\');

  if (c < 0x20 || c == 0x7f)
    g_string_append_printf (string, "\\x%02x", c);
  else if (c < 0x80 || is_python_printable (c))
    g_string_append_unichar (string, c);
  else if (c <= 0xff)
    g_string_append_printf (string, "\\x%02x", c);
  else if (c <= 0xffff)
    g_string_append_printf (string, "\\u%04x", c);
  else
    g_string_append_printf (string, "\\U%08x", c);
}

void
io_append_python_repr (GString    *string,
                       const char *filename)
{
  const char *p;
  const char *end = filename + strlen (filename);
  char quote = '\'';

  /* repr() picks double quotes when the text has a single quote and no
   * double quote. */
  if (strchr (filename, '\'') != NULL && strchr (filename, '"') == NULL)
    quote = '"';

  g_string_append_c (string, quote);
  for (p = filename; p < end;)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          /* os.fsdecode() maps an undecodable byte to a lone surrogate. */
          g_string_append_printf (string, "\\udc%02x", (guint8) *p);
          p++;
          continue;
        }
      append_code_point (string, c, quote);
      p = g_utf8_next_char (p);
    }
  g_string_append_c (string, quote);
}

/* The table behind io_error_get_errno(): the last IO_ERROR_RECORDS
 * distinct (domain, code, message) triples libstream set from an errno,
 * each with its errno and filenames. A message is a function of them all,
 * so finding it again by equality is exact, and survives a binding copying
 * the GError into its own exception and freeing the original. */
#define IO_ERROR_RECORDS 256

typedef struct
{
  GQuark  domain;
  int     code;
  char   *message;
  int     errsv;
  char   *filename;
  char   *filename2;
} IoErrorRecord;

static GMutex records_lock;
static IoErrorRecord records[IO_ERROR_RECORDS];
static guint records_next;

/* The record of @error, or NULL; records_lock is held. */
static IoErrorRecord *
find_record (GQuark      domain,
             int         code,
             const char *message)
{
  guint i;

  for (i = 0; i < IO_ERROR_RECORDS; i++)
    {
      IoErrorRecord *record = &records[i];

      if (record->message != NULL && record->domain == domain && record->code == code &&
          strcmp (record->message, message) == 0)
        return record;
    }
  return NULL;
}

static void
remember (const GError *error,
          int           errsv,
          const char   *filename,
          const char   *filename2)
{
  IoErrorRecord *record;

  g_mutex_lock (&records_lock);
  /* The same message always comes with the same errno and filenames. */
  if (find_record (error->domain, error->code, error->message) == NULL)
    {
      record = &records[records_next];
      records_next = (records_next + 1) % IO_ERROR_RECORDS;
      g_free (record->message);
      g_free (record->filename);
      g_free (record->filename2);
      record->domain = error->domain;
      record->code = error->code;
      record->message = g_strdup (error->message);
      record->errsv = errsv;
      record->filename = g_strdup (filename);
      record->filename2 = g_strdup (filename2);
    }
  g_mutex_unlock (&records_lock);
}

/* A copy of @field of the record of @error, or NULL. */
static char *
recorded_filename (const GError *error,
                   gsize         field)
{
  IoErrorRecord *record;
  char *filename = NULL;

  if (error == NULL || error->message == NULL)
    return NULL;
  g_mutex_lock (&records_lock);
  record = find_record (error->domain, error->code, error->message);
  if (record != NULL)
    filename = g_strdup (G_STRUCT_MEMBER (char *, record, field));
  g_mutex_unlock (&records_lock);
  return filename;
}

/**
 * io_error_get_errno:
 * @error: a #GError
 *
 * Returns the `errno` behind an error that libstream set from a failed
 * system call, Python's `OSError.errno`. The code of such an error is
 * always the %G_IO_ERROR code g_io_error_from_errno() gives for the
 * `errno`; this gives the `errno` itself, with no parsing of the message.
 *
 * The error may be a copy of the one libstream set (bindings copy errors
 * into their exceptions): errors are found again by their domain, code and
 * message, among the last 256 distinct ones libstream set from an `errno`
 * in the process. An older error, an error libstream did not set from an
 * `errno`, or an error from elsewhere gives 0.
 *
 * Returns: the `errno`, or 0 if there is none
 */
int
io_error_get_errno (const GError *error)
{
  IoErrorRecord *record;
  int errsv = 0;

  if (error == NULL || error->message == NULL)
    return 0;
  g_mutex_lock (&records_lock);
  record = find_record (error->domain, error->code, error->message);
  if (record != NULL)
    errsv = record->errsv;
  g_mutex_unlock (&records_lock);
  return errsv;
}

/**
 * io_error_get_filename:
 * @error: a #GError
 *
 * Returns the file the system call behind @error was about, Python's
 * `OSError.filename`, for the errors [func@Io.error_get_errno] knows. A
 * stream opened from a descriptor without a name gives the descriptor's
 * number in decimal, as Python prints it.
 *
 * Returns: (transfer full) (nullable) (type filename): the filename, or
 *   %NULL if the error has none
 */
char *
io_error_get_filename (const GError *error)
{
  return recorded_filename (error, G_STRUCT_OFFSET (IoErrorRecord, filename));
}

/**
 * io_error_get_filename2:
 * @error: a #GError
 *
 * Returns the second file of a system call about two (such as rename(2)),
 * Python's `OSError.filename2`, for the errors [func@Io.error_get_errno]
 * knows.
 *
 * Returns: (transfer full) (nullable) (type filename): the second
 *   filename, or %NULL if the error has none
 */
char *
io_error_get_filename2 (const GError *error)
{
  return recorded_filename (error, G_STRUCT_OFFSET (IoErrorRecord, filename2));
}

/**
 * io_error_set_from_errno:
 * @errsv: an `errno` value
 * @filename: (nullable) (type filename): the file the failed call was about
 * @filename2: (nullable) (type filename): its second file, if it had two
 * @error: return location for a #GError
 *
 * Sets @error to the error libstream sets when a system call fails with
 * the `errno` @errsv: in %G_IO_ERROR with the code g_io_error_from_errno() gives, with
 * the message Python's `str(OSError)` prints (for instance
 * `[Errno 2] No such file or directory: 'data.bin'`), and known to
 * [func@Io.error_get_errno], [func@Io.error_get_filename] and
 * [func@Io.error_get_filename2].
 *
 * Backends written outside libstream, in C or in a binding, use it to
 * report an OS error the way libstream's own backends do.
 *
 * Returns: %FALSE, always
 */
gboolean
io_error_set_from_errno (int          errsv,
                         const char  *filename,
                         const char  *filename2,
                         GError     **error)
{
  GString *message;
  GError *local_error;

  if (error == NULL)
    return FALSE;

  message = g_string_new (NULL);
  g_string_append_printf (message, "[Errno %d] %s", errsv, g_strerror (errsv));
  if (filename != NULL)
    {
      g_string_append (message, ": ");
      io_append_python_repr (message, filename);
      if (filename2 != NULL)
        {
          g_string_append (message, " -> ");
          io_append_python_repr (message, filename2);
        }
    }

  local_error = g_error_new_literal (G_IO_ERROR, g_io_error_from_errno (errsv), message->str);
  g_string_free (message, TRUE);
  remember (local_error, errsv, filename, filename2);
  g_propagate_error (error, local_error);
  return FALSE;
}

void
io_set_error_from_errno (GError    **error,
                         int         errsv,
                         const char *filename)
{
  io_error_set_from_errno (errsv, filename, NULL, error);
}

void
io_set_error_from_errno_fd (GError **error,
                            int      errsv,
                            int      fd)
{
  GError *local_error;
  char number[16];

  if (error == NULL)
    return;

  /* Python prints the descriptor unquoted: "[Errno 9] ...: 3". */
  g_snprintf (number, sizeof number, "%d", fd);
  local_error = g_error_new (G_IO_ERROR, g_io_error_from_errno (errsv),
                             "[Errno %d] %s: %s", errsv, g_strerror (errsv), number);
  remember (local_error, errsv, number, NULL);
  g_propagate_error (error, local_error);
}

gssize
io_set_error_from_errno_n (GError    **error,
                           int         errsv,
                           const char *filename)
{
  io_set_error_from_errno (error, errsv, filename);
  return -1;
}
