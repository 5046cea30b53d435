/* libstream.h: the one header to include for libstream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#define IO_INSIDE

#include "io-version.h"
#include "io-version-macros.h"
#include "io-types.h"
#include "io-enum-types.h"
#include "io-stream.h"
#include "io-stream-async.h"
#include "io-stream-window.h"
#include "io-stream-drop.h"
#include "io-filter-stream.h"
#include "io-funcs-stream.h"
#include "io-memory-stream.h"
#include "io-fd-stream.h"
#include "io-file-stream.h"
#include "io-pipe-stream.h"
/* layers/ */
#include "io-fault-stream.h"
#include "io-converter-stream.h"
#include "io-buffered-reader.h"
#include "io-buffered-writer.h"
#include "io-buffered-random.h"
#include "io-buffered-rw-pair.h"
#include "io-open.h"
#include "io-text-stream.h"
/* gio/ */
#include "io-gio.h"
#include "io-error.h"

#undef IO_INSIDE
