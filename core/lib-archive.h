/* SPDX-License-Identifier: Apache-2.0 */
#ifndef DD_CORE_LIB_ARCHIVE_H
#define DD_CORE_LIB_ARCHIVE_H

/*
 * libarchive (archives: image layers, tarballs, zips), loaded on first
 * use: see core/lazylib.h.
 * Include this instead of the library's own headers; a function not
 * listed here does not link: add it.
 */

#include <archive.h>
#include <archive_entry.h>

#include "core/lazylib.h"

#define DD_LIB_ARCHIVE_FNS(X) \
	X(archive_entry_filetype) \
	X(archive_entry_free) \
	X(archive_entry_new) \
	X(archive_entry_pathname) \
	X(archive_entry_set_filetype) \
	X(archive_entry_set_pathname) \
	X(archive_entry_set_perm) \
	X(archive_entry_set_size) \
	X(archive_entry_size) \
	X(archive_entry_size_is_set) \
	X(archive_error_string) \
	X(archive_read_data) \
	X(archive_read_free) \
	X(archive_read_new) \
	X(archive_read_next_header) \
	X(archive_read_open) \
	X(archive_read_open1) \
	X(archive_read_open_fd) \
	X(archive_read_open_memory) \
	X(archive_read_set_callback_data) \
	X(archive_read_set_read_callback) \
	X(archive_read_set_skip_callback) \
	X(archive_read_support_filter_all) \
	X(archive_read_support_format_gnutar) \
	X(archive_read_support_format_raw) \
	X(archive_read_support_format_tar) \
	X(archive_read_support_format_zip) \
	X(archive_read_support_format_zip_streamable) \
	X(archive_set_error) \
	X(archive_write_close) \
	X(archive_write_data) \
	X(archive_write_free) \
	X(archive_write_header) \
	X(archive_write_new) \
	X(archive_write_open_fd) \
	X(archive_write_open_memory) \
	X(archive_write_set_format_pax_restricted) \
	X(archive_write_set_format_zip)

DD_LAZY_LIB(archive, DD_LIB_ARCHIVE_FNS)

#define archive_entry_filetype (dd_lib_archive()->archive_entry_filetype)
#define archive_entry_free (dd_lib_archive()->archive_entry_free)
#define archive_entry_new (dd_lib_archive()->archive_entry_new)
#define archive_entry_pathname (dd_lib_archive()->archive_entry_pathname)
#define archive_entry_set_filetype (dd_lib_archive()->archive_entry_set_filetype)
#define archive_entry_set_pathname (dd_lib_archive()->archive_entry_set_pathname)
#define archive_entry_set_perm (dd_lib_archive()->archive_entry_set_perm)
#define archive_entry_set_size (dd_lib_archive()->archive_entry_set_size)
#define archive_entry_size (dd_lib_archive()->archive_entry_size)
#define archive_entry_size_is_set (dd_lib_archive()->archive_entry_size_is_set)
#define archive_error_string (dd_lib_archive()->archive_error_string)
#define archive_read_data (dd_lib_archive()->archive_read_data)
#define archive_read_free (dd_lib_archive()->archive_read_free)
#define archive_read_new (dd_lib_archive()->archive_read_new)
#define archive_read_next_header (dd_lib_archive()->archive_read_next_header)
#define archive_read_open (dd_lib_archive()->archive_read_open)
#define archive_read_open1 (dd_lib_archive()->archive_read_open1)
#define archive_read_open_fd (dd_lib_archive()->archive_read_open_fd)
#define archive_read_open_memory (dd_lib_archive()->archive_read_open_memory)
#define archive_read_set_callback_data (dd_lib_archive()->archive_read_set_callback_data)
#define archive_read_set_read_callback (dd_lib_archive()->archive_read_set_read_callback)
#define archive_read_set_skip_callback (dd_lib_archive()->archive_read_set_skip_callback)
#define archive_read_support_filter_all (dd_lib_archive()->archive_read_support_filter_all)
#define archive_read_support_format_gnutar (dd_lib_archive()->archive_read_support_format_gnutar)
#define archive_read_support_format_raw (dd_lib_archive()->archive_read_support_format_raw)
#define archive_read_support_format_tar (dd_lib_archive()->archive_read_support_format_tar)
#define archive_read_support_format_zip (dd_lib_archive()->archive_read_support_format_zip)
#define archive_read_support_format_zip_streamable (dd_lib_archive()->archive_read_support_format_zip_streamable)
#define archive_set_error (dd_lib_archive()->archive_set_error)
#define archive_write_close (dd_lib_archive()->archive_write_close)
#define archive_write_data (dd_lib_archive()->archive_write_data)
#define archive_write_free (dd_lib_archive()->archive_write_free)
#define archive_write_header (dd_lib_archive()->archive_write_header)
#define archive_write_new (dd_lib_archive()->archive_write_new)
#define archive_write_open_fd (dd_lib_archive()->archive_write_open_fd)
#define archive_write_open_memory (dd_lib_archive()->archive_write_open_memory)
#define archive_write_set_format_pax_restricted (dd_lib_archive()->archive_write_set_format_pax_restricted)
#define archive_write_set_format_zip (dd_lib_archive()->archive_write_set_format_zip)

#endif
