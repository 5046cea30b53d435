/* io-error.c: OS errors as GErrors that read like Python's OSError
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

void
io_set_error_from_errno (GError    **error,
                         int         errsv,
                         const char *filename)
{
  GString *message;

  if (error == NULL)
    return;

  message = g_string_new (NULL);
  g_string_append_printf (message, "[Errno %d] %s", errsv, g_strerror (errsv));
  if (filename != NULL)
    {
      g_string_append (message, ": ");
      io_append_python_repr (message, filename);
    }

  g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (errsv), message->str);
  g_string_free (message, TRUE);
}

void
io_set_error_from_errno_fd (GError **error,
                            int      errsv,
                            int      fd)
{
  if (error == NULL)
    return;

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
               "[Errno %d] %s: %d", errsv, g_strerror (errsv), fd);
}

gssize
io_set_error_from_errno_n (GError    **error,
                           int         errsv,
                           const char *filename)
{
  io_set_error_from_errno (error, errsv, filename);
  return -1;
}
