/* io-version-macros.h: symbol visibility and availability annotations
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(IO_INSIDE) && !defined(IO_COMPILATION)
# error "Only <libstream.h> can be included directly."
#endif

#include <glib.h>

#include "io-version.h"

#ifndef _IO_EXTERN
# if defined(IO_COMPILATION) && defined(__GNUC__)
#  define _IO_EXTERN __attribute__((visibility("default"))) extern
# else
#  define _IO_EXTERN extern
# endif
#endif

#define IO_VERSION_1_0 (G_ENCODE_VERSION (1, 0))

#define IO_VERSION_CUR_STABLE (G_ENCODE_VERSION (IO_MAJOR_VERSION, IO_MINOR_VERSION))

#ifndef IO_VERSION_MIN_REQUIRED
# define IO_VERSION_MIN_REQUIRED (IO_VERSION_CUR_STABLE)
#endif

#ifndef IO_VERSION_MAX_ALLOWED
# if IO_VERSION_MIN_REQUIRED > IO_VERSION_CUR_STABLE
#  define IO_VERSION_MAX_ALLOWED (IO_VERSION_MIN_REQUIRED)
# else
#  define IO_VERSION_MAX_ALLOWED (IO_VERSION_CUR_STABLE)
# endif
#endif

#if IO_VERSION_MAX_ALLOWED < IO_VERSION_MIN_REQUIRED
# error "IO_VERSION_MAX_ALLOWED must be >= IO_VERSION_MIN_REQUIRED"
#endif

#define IO_AVAILABLE_IN_ALL _IO_EXTERN
#define IO_UNAVAILABLE(maj,min) G_UNAVAILABLE(maj,min) _IO_EXTERN

#if IO_VERSION_MAX_ALLOWED < IO_VERSION_1_0
# define IO_AVAILABLE_IN_1_0 IO_UNAVAILABLE(1, 0)
#else
# define IO_AVAILABLE_IN_1_0 _IO_EXTERN
#endif
