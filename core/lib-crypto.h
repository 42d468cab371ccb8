/* SPDX-License-Identifier: Apache-2.0 */
#ifndef DD_CORE_LIB_CRYPTO_H
#define DD_CORE_LIB_CRYPTO_H

/*
 * OpenSSL's libcrypto (digests, base64), loaded on first use: see
 * core/lazylib.h. Include this instead of <openssl/evp.h> and
 * <openssl/sha.h>; a function not listed here does not link: add it.
 */

#include <openssl/evp.h>
#include <openssl/sha.h>

#include "core/lazylib.h"

#define DD_LIB_CRYPTO_FNS(X) \
	X(EVP_DecodeBlock) \
	X(EVP_Digest) \
	X(EVP_DigestFinal_ex) \
	X(EVP_DigestInit_ex) \
	X(EVP_DigestUpdate) \
	X(EVP_EncodeBlock) \
	X(EVP_MD_CTX_free) \
	X(EVP_MD_CTX_new) \
	X(EVP_sha1) \
	X(EVP_sha256) \
	X(SHA1)

DD_LAZY_LIB(crypto, DD_LIB_CRYPTO_FNS)

#define EVP_DecodeBlock (dd_lib_crypto()->EVP_DecodeBlock)
#define EVP_Digest (dd_lib_crypto()->EVP_Digest)
#define EVP_DigestFinal_ex (dd_lib_crypto()->EVP_DigestFinal_ex)
#define EVP_DigestInit_ex (dd_lib_crypto()->EVP_DigestInit_ex)
#define EVP_DigestUpdate (dd_lib_crypto()->EVP_DigestUpdate)
#define EVP_EncodeBlock (dd_lib_crypto()->EVP_EncodeBlock)
#define EVP_MD_CTX_free (dd_lib_crypto()->EVP_MD_CTX_free)
#define EVP_MD_CTX_new (dd_lib_crypto()->EVP_MD_CTX_new)
#define EVP_sha1 (dd_lib_crypto()->EVP_sha1)
#define EVP_sha256 (dd_lib_crypto()->EVP_sha256)
#define SHA1 (dd_lib_crypto()->SHA1)

#endif
