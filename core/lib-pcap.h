/* SPDX-License-Identifier: Apache-2.0 */
#ifndef DD_CORE_LIB_PCAP_H
#define DD_CORE_LIB_PCAP_H

/*
 * libpcap (packet captures), loaded on first use: see core/lazylib.h.
 * Include this instead of the library's own headers; a function not
 * listed here does not link: add it.
 */

#include <pcap/pcap.h>

#include "core/lazylib.h"

#define DD_LIB_PCAP_FNS(X) \
	X(pcap_close) \
	X(pcap_datalink) \
	X(pcap_datalink_val_to_name) \
	X(pcap_dump) \
	X(pcap_dump_close) \
	X(pcap_dump_flush) \
	X(pcap_dump_fopen) \
	X(pcap_fopen_offline_with_tstamp_precision) \
	X(pcap_geterr) \
	X(pcap_next_ex) \
	X(pcap_open_dead_with_tstamp_precision) \
	X(pcap_snapshot)

DD_LAZY_LIB(pcap, DD_LIB_PCAP_FNS)

#define pcap_close (dd_lib_pcap()->pcap_close)
#define pcap_datalink (dd_lib_pcap()->pcap_datalink)
#define pcap_datalink_val_to_name (dd_lib_pcap()->pcap_datalink_val_to_name)
#define pcap_dump (dd_lib_pcap()->pcap_dump)
#define pcap_dump_close (dd_lib_pcap()->pcap_dump_close)
#define pcap_dump_flush (dd_lib_pcap()->pcap_dump_flush)
#define pcap_dump_fopen (dd_lib_pcap()->pcap_dump_fopen)
#define pcap_fopen_offline_with_tstamp_precision (dd_lib_pcap()->pcap_fopen_offline_with_tstamp_precision)
#define pcap_geterr (dd_lib_pcap()->pcap_geterr)
#define pcap_next_ex (dd_lib_pcap()->pcap_next_ex)
#define pcap_open_dead_with_tstamp_precision (dd_lib_pcap()->pcap_open_dead_with_tstamp_precision)
#define pcap_snapshot (dd_lib_pcap()->pcap_snapshot)

#endif
