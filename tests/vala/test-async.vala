/* test-async.vala: the asynchronous methods from Vala with `yield`, on a
 * memory stream and a pipe, with and without cancellation
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

using IoTest;

/* Ends the main loop of a test once its async body ended, failing on
 * any error it threw. */
static void finish (GLib.MainLoop loop, GLib.Error? failure) {
  if (failure != null)
    GLib.error ("%s", failure.message);
  loop.quit ();
}

static async void every_op (Io.Stream reader, Io.Stream writer) throws GLib.Error {
  size_t written;

  ssize_t count = yield writer.write_bytes_async (new GLib.Bytes ("one\n".data), GLib.Priority.DEFAULT, null);
  assert (count == 4);
  bool all = yield writer.write_all_async (new GLib.Bytes ("two\nthree".data), GLib.Priority.DEFAULT, null, out written);
  assert (all);
  assert (written == 9);
  yield writer.flush_async (GLib.Priority.DEFAULT, null);
  if (reader == writer)
    reader.seek (0, Io.Whence.SET);
  else
    yield writer.close_async (GLib.Priority.DEFAULT, null);

  assert_bytes (yield reader.readline_async (-1, GLib.Priority.DEFAULT, null), "one\n");
  assert_bytes (yield reader.read_bytes_async (2, GLib.Priority.DEFAULT, null), "tw");
  assert_bytes (yield reader.read1_bytes_async (1, GLib.Priority.DEFAULT, null), "o");
  assert_bytes (yield reader.readall_async (GLib.Priority.DEFAULT, null), "\nthree");
  yield reader.close_async (GLib.Priority.DEFAULT, null);
  assert (reader.closed);
}

static void test_memory () {
  var loop = new GLib.MainLoop (null, false);
  var stream = new Io.MemoryStream (null);
  every_op.begin (stream, stream, (obj, res) => {
    GLib.Error? failure = null;
    try {
      every_op.end (res);
    } catch (GLib.Error e) {
      failure = e;
    }
    finish (loop, failure);
  });
  loop.run ();
}

static void test_pipe () {
  var loop = new GLib.MainLoop (null, false);
  Io.Stream reader, writer;
  try {
    Io.PipeStream.new_pair (out reader, out writer);
  } catch (GLib.IOError e) {
    GLib.error ("%s", e.message);
  }
  every_op.begin (reader, writer, (obj, res) => {
    GLib.Error? failure = null;
    try {
      every_op.end (res);
    } catch (GLib.Error e) {
      failure = e;
    }
    finish (loop, failure);
  });
  loop.run ();
}

/* A read waiting on an empty pipe ends with IOError.CANCELLED as soon as
 * a timeout cancels it. */
static async void cancel_blocked_read () throws GLib.Error {
  Io.Stream reader, writer;
  Io.PipeStream.new_pair (out reader, out writer);
  var cancellable = new GLib.Cancellable ();
  GLib.Timeout.add (20, () => {
    cancellable.cancel ();
    return GLib.Source.REMOVE;
  });
  try {
    yield reader.read_bytes_async (10, GLib.Priority.DEFAULT, cancellable);
    assert_not_reached ();
  } catch (GLib.IOError.CANCELLED e) {
  }

  /* Cancelled before the start: nothing moves, the memory stream too. */
  var memory = new Io.MemoryStream ("abc".data);
  try {
    yield memory.read_bytes_async (1, GLib.Priority.DEFAULT, cancellable);
    assert_not_reached ();
  } catch (GLib.IOError.CANCELLED e) {
  }
  assert (memory.tell () == 0);
}

static void test_cancel () {
  var loop = new GLib.MainLoop (null, false);
  cancel_blocked_read.begin ((obj, res) => {
    GLib.Error? failure = null;
    try {
      cancel_blocked_read.end (res);
    } catch (GLib.Error e) {
      failure = e;
    }
    finish (loop, failure);
  });
  loop.run ();
}

int main (string[] args) {
  GLib.Test.init (ref args);
  GLib.Test.add_func ("/vala/async/memory", test_memory);
  GLib.Test.add_func ("/vala/async/pipe", test_pipe);
  GLib.Test.add_func ("/vala/async/cancel", test_cancel);
  return GLib.Test.run ();
}
