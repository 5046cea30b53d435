/* assertions.vala: the checks the Vala suites share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

namespace IoTest {
  /* An operation that may throw, for assert_io_error (). */
  public delegate void Operation () throws GLib.Error;

  /* Fails unless @data holds exactly the bytes of @expected. */
  public void assert_data (uint8[]? data, string expected) {
    GLib.assert_cmpmem (data ?? new uint8[0], expected.data);
  }

  /* Fails unless @bytes holds exactly the bytes of @expected. */
  public void assert_bytes (GLib.Bytes? bytes, string expected) {
    GLib.assert_nonnull (bytes);
    assert_data (bytes.get_data (), expected);
  }

  /* Fails unless @operation throws the G_IO_ERROR @code. */
  public void assert_io_error (Operation operation, int code) {
    try {
      operation ();
    } catch (GLib.Error e) {
      GLib.assert_error (e, GLib.IOError.quark (), code);
      return;
    }
    GLib.error ("expected G_IO_ERROR code %d, but nothing was thrown", code);
  }
}
