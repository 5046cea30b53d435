/* io-stream-drop.c: where the error of closing a dropped stream goes
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "io-stream-drop.h"
#include "io-stream-private.h"

static GMutex drop_lock;
static IoStreamDropErrorFunc drop_func;
static gpointer drop_data;
static GDestroyNotify drop_destroy;

/**
 * io_stream_set_drop_error_handler:
 * @func: (nullable) (scope notified) (closure user_data) (destroy destroy):
 *   the new handler, or `NULL` for the default
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data when the handler is replaced
 *
 * Sets what receives the error when disposing an open stream closes it and
 * the close fails: the last flush of a buffered writer that could not write
 * its data, for instance. The error cannot be returned to anybody, and must
 * not be lost.
 *
 * The default handler logs it with `g_warning()`, naming the stream and
 * the error ("Error closing IoBufferedWriter 0x… while disposing it: …").
 * The Python binding routes it to `sys.unraisablehook`, as CPython does for
 * an error in `__del__`. The handler is process-wide and may be called from
 * any thread that drops a stream; replace it while no other thread drops
 * one, since the old @user_data is destroyed at once.
 */
void
io_stream_set_drop_error_handler (IoStreamDropErrorFunc func,
                                  gpointer              user_data,
                                  GDestroyNotify        destroy)
{
  GDestroyNotify old_destroy;
  gpointer old_data;

  g_mutex_lock (&drop_lock);
  old_destroy = drop_destroy;
  old_data = drop_data;
  drop_func = func;
  drop_data = user_data;
  drop_destroy = func != NULL ? destroy : NULL;
  g_mutex_unlock (&drop_lock);

  if (old_destroy != NULL)
    old_destroy (old_data);
}

/* Hands @error, from closing @self while disposing it, to the handler. */
void
io_stream_report_drop_error (IoStream     *self,
                             const GError *error)
{
  IoStreamDropErrorFunc func;
  gpointer data;

  g_mutex_lock (&drop_lock);
  func = drop_func;
  data = drop_data;
  g_mutex_unlock (&drop_lock);

  if (func == NULL)
    g_warning ("Error closing %s %p while disposing it: %s",
               G_OBJECT_TYPE_NAME (self), self, error->message);
  else
    func (self, error, data);
}
