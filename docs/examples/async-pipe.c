/* async-pipe.c: the example of docs/async.md. A main loop writes lines into
 * a pipe and reads them back with readline_async(), with no thread; a
 * cancellable ends the wait if nothing comes for a second.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <libstream.h>

typedef struct
{
  IoStream *reader;
  IoStream *writer;
  GCancellable *cancellable;
  GMainLoop *loop;
  guint lines;
  guint watchdog;
} Demo;

static gboolean
give_up (gpointer data)
{
  Demo *demo = data;

  demo->watchdog = 0;
  g_cancellable_cancel (demo->cancellable);
  return G_SOURCE_REMOVE;
}

static void read_next (Demo *demo);

static void
got_line (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  Demo *demo = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) line = io_stream_readline_finish (demo->reader, result, &error);
  gsize len;
  const char *text;

  if (line == NULL)
    {
      /* G_IO_ERROR_CANCELLED when the watchdog fired. */
      g_printerr ("read failed: %s\n", error->message);
      g_main_loop_quit (demo->loop);
      return;
    }
  text = g_bytes_get_data (line, &len);
  if (len == 0)
    {
      g_print ("end of stream after %u lines\n", demo->lines);
      g_main_loop_quit (demo->loop);
      return;
    }
  demo->lines++;
  g_print ("line %u: %.*s", demo->lines, (int) len, text);
  read_next (demo);
}

static void
read_next (Demo *demo)
{
  io_stream_readline_async (demo->reader, -1, G_PRIORITY_DEFAULT, demo->cancellable,
                            got_line, demo);
}

static void
closed (GObject      *source,
        GAsyncResult *result,
        gpointer      data)
{
  Demo *demo = data;
  g_autoptr(GError) error = NULL;

  if (!io_stream_close_finish (demo->writer, result, &error))
    g_printerr ("close failed: %s\n", error->message);
}

static void
written (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  Demo *demo = data;
  g_autoptr(GError) error = NULL;
  gsize bytes_written = 0;

  /* On failure bytes_written still says how much went out. */
  if (!io_stream_write_all_finish (demo->writer, result, &bytes_written, &error))
    g_printerr ("write failed after %" G_GSIZE_FORMAT " bytes: %s\n",
                bytes_written, error->message);
  io_stream_close_async (demo->writer, G_PRIORITY_DEFAULT, NULL, closed, demo);
}

int
main (void)
{
  static const char text[] = "hello\nasync\nworld\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, sizeof text - 1);
  g_autoptr(GError) error = NULL;
  Demo demo = { 0 };

  if (!io_pipe_stream_new_pair (&demo.reader, &demo.writer, &error))
    g_error ("%s", error->message);
  demo.cancellable = g_cancellable_new ();
  demo.loop = g_main_loop_new (NULL, FALSE);
  demo.watchdog = g_timeout_add_seconds (1, give_up, &demo);

  io_stream_write_all_async (demo.writer, bytes, G_PRIORITY_DEFAULT, NULL, written, &demo);
  read_next (&demo);
  g_main_loop_run (demo.loop);

  if (demo.watchdog != 0)
    g_source_remove (demo.watchdog);
  g_main_loop_unref (demo.loop);
  g_object_unref (demo.cancellable);
  g_object_unref (demo.reader);
  g_object_unref (demo.writer);
  return demo.lines == 3 ? 0 : 1;
}
