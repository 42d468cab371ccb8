/* SPDX-License-Identifier: Apache-2.0 */
#ifndef DD_CORE_LIB_YARA_H
#define DD_CORE_LIB_YARA_H

/*
 * libyara (content rules), loaded on first use: see core/lazylib.h.
 * Include this instead of the library's own headers; a function not
 * listed here does not link: add it.
 */

#include <yara.h>

#include "core/lazylib.h"

#define DD_LIB_YARA_FNS(X) \
	X(yr_compiler_add_string) \
	X(yr_compiler_create) \
	X(yr_compiler_define_string_variable) \
	X(yr_compiler_destroy) \
	X(yr_compiler_get_rules) \
	X(yr_compiler_set_callback) \
	X(yr_finalize) \
	X(yr_initialize) \
	X(yr_rules_destroy) \
	X(yr_scanner_create) \
	X(yr_scanner_define_string_variable) \
	X(yr_scanner_destroy) \
	X(yr_scanner_scan_mem) \
	X(yr_scanner_set_callback) \
	X(yr_scanner_set_flags) \
	X(yr_scanner_set_timeout)

DD_LAZY_LIB(yara, DD_LIB_YARA_FNS)

#define yr_compiler_add_string (dd_lib_yara()->yr_compiler_add_string)
#define yr_compiler_create (dd_lib_yara()->yr_compiler_create)
#define yr_compiler_define_string_variable (dd_lib_yara()->yr_compiler_define_string_variable)
#define yr_compiler_destroy (dd_lib_yara()->yr_compiler_destroy)
#define yr_compiler_get_rules (dd_lib_yara()->yr_compiler_get_rules)
#define yr_compiler_set_callback (dd_lib_yara()->yr_compiler_set_callback)
#define yr_finalize (dd_lib_yara()->yr_finalize)
#define yr_initialize (dd_lib_yara()->yr_initialize)
#define yr_rules_destroy (dd_lib_yara()->yr_rules_destroy)
#define yr_scanner_create (dd_lib_yara()->yr_scanner_create)
#define yr_scanner_define_string_variable (dd_lib_yara()->yr_scanner_define_string_variable)
#define yr_scanner_destroy (dd_lib_yara()->yr_scanner_destroy)
#define yr_scanner_scan_mem (dd_lib_yara()->yr_scanner_scan_mem)
#define yr_scanner_set_callback (dd_lib_yara()->yr_scanner_set_callback)
#define yr_scanner_set_flags (dd_lib_yara()->yr_scanner_set_flags)
#define yr_scanner_set_timeout (dd_lib_yara()->yr_scanner_set_timeout)

#endif
