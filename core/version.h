/* SPDX-License-Identifier: Apache-2.0 */
/* version.h: drydock's version. */
#ifndef CORE_VERSION_H
#define CORE_VERSION_H

#define DD_VERSION "0.1.0"

#endif
