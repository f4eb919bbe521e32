// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * zaccel: reading a synthetic partial bitstream, as emulator/bitstream/partial.h defines it.
 * Laid out as a 7-series .bin (big-endian words): 8 pad words, the bus-width detection pattern,
 * 2 pad words, the sync word and a NOOP; then a header (magic "ZAPB", format version,
 * interface ID, IP count), per IP its identity words, weight and bias counts and embedded
 * weights (two per word) and biases (two words each); zero fill; a CRC-32 (zlib's) of
 * everything from the sync word on; and a write to CMD with DESYNC.
 */
#include <asm/byteorder.h>
#include <linux/crc32.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "zaccel_ip.h"
#include "zaccel_partial.h"

#define ZACCEL_PREAMBLE_WORDS 14
#define ZACCEL_SYNC_OFFSET (12 * 4)
#define ZACCEL_PAYLOAD_MAGIC 0x5a415042
#define ZACCEL_FORMAT_VERSION 2
#define ZACCEL_HEADER_WORDS 4
#define ZACCEL_ID_WORDS (sizeof(struct drm_zaccel_ip_id) / 4)
#define ZACCEL_IP_HEADER_WORDS (ZACCEL_ID_WORDS + 2)
#define ZACCEL_TRAILER_WORDS 3
#define ZACCEL_CMD_WRITE 0x30008001
#define ZACCEL_CMD_DESYNC 0x0000000d

static const u32 zaccel_preamble[ZACCEL_PREAMBLE_WORDS] = {
	0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff,
	0xffffffff, 0x000000bb, 0x11220044, 0xffffffff, 0xffffffff, 0xaa995566, 0x20000000,
};

static u32 zaccel_word(const u8 *buf, size_t word)
{
	return be32_to_cpu(((const __be32 *)buf)[word]);
}

/**
 * zaccel_partial_check_header() - Check what the configuration port sees first.
 * @buf: The partial's first bytes, at least %ZACCEL_PARTIAL_HEADER_BYTES, 4-byte aligned.
 * @size: Bytes at @buf.
 * @interface_id: The interface of the region being configured.
 *
 * Return: 0; -EBADMSG for a bad preamble, sync word, descriptor magic, version or IP count;
 * -ENODEV for a partial implemented against another interface.
 */
int zaccel_partial_check_header(const u8 *buf, size_t size, u32 interface_id)
{
	size_t w = ZACCEL_PREAMBLE_WORDS;
	u32 n;

	if (size < ZACCEL_PARTIAL_HEADER_BYTES)
		return -EBADMSG;
	for (n = 0; n < ZACCEL_PREAMBLE_WORDS; n++)
		if (zaccel_word(buf, n) != zaccel_preamble[n])
			return -EBADMSG;
	if (zaccel_word(buf, w) != ZACCEL_PAYLOAD_MAGIC ||
	    zaccel_word(buf, w + 1) != ZACCEL_FORMAT_VERSION)
		return -EBADMSG;
	if (zaccel_word(buf, w + 2) != interface_id)
		return -ENODEV;
	n = zaccel_word(buf, w + 3);
	return n && n <= DRM_ZACCEL_MAX_SLOTS ? 0 : -EBADMSG;
}

static u64 zaccel_ip_words(u64 nweights, u64 nbias)
{
	return ZACCEL_IP_HEADER_WORDS + (nweights + 1) / 2 + 2 * nbias;
}

/**
 * zaccel_partial_parse() - Check a whole partial and read its IPs' identities.
 * @buf: The partial, 4-byte aligned.
 * @size: Its size, a multiple of 4.
 * @interface_id: The interface of the region being configured.
 * @ids: Out: the identities, %DRM_ZACCEL_MAX_SLOTS entries.
 * @count: Out: how many IPs the partial holds.
 *
 * Return: 0; the errors of zaccel_partial_check_header(); -EBADMSG for a bad trailer or CRC,
 * descriptors that run past the partial, or embedded weights that do not match their IP.
 */
int zaccel_partial_parse(const u8 *buf, size_t size, u32 interface_id,
			 struct drm_zaccel_ip_id *ids, u32 *count)
{
	size_t words = size / 4, w = ZACCEL_PREAMBLE_WORDS + ZACCEL_HEADER_WORDS, left;
	u32 crc, nweights, nbias, i, j;
	int ret;

	ret = zaccel_partial_check_header(buf, size, interface_id);
	if (ret)
		return ret;
	if (size % 4 || words < w + ZACCEL_TRAILER_WORDS)
		return -EBADMSG;
	if (zaccel_word(buf, words - 2) != ZACCEL_CMD_WRITE ||
	    zaccel_word(buf, words - 1) != ZACCEL_CMD_DESYNC)
		return -EBADMSG;
	crc = ~crc32_le(~0U, buf + ZACCEL_SYNC_OFFSET,
			size - ZACCEL_SYNC_OFFSET - ZACCEL_TRAILER_WORDS * 4);
	if (crc != zaccel_word(buf, words - 3))
		return -EBADMSG;
	*count = zaccel_word(buf, w - 1);
	left = words - w - ZACCEL_TRAILER_WORDS;
	for (i = 0; i < *count; i++) {
		if (left < ZACCEL_IP_HEADER_WORDS)
			return -EBADMSG;
		for (j = 0; j < ZACCEL_ID_WORDS; j++)
			((u32 *)&ids[i])[j] = zaccel_word(buf, w + j);
		nweights = zaccel_word(buf, w + ZACCEL_ID_WORDS);
		nbias = zaccel_word(buf, w + ZACCEL_ID_WORDS + 1);
		if (zaccel_ip_words(nweights, nbias) > left)
			return -EBADMSG;
		if (zaccel_ip_check_embedded(&ids[i], nweights, nbias))
			return -EBADMSG;
		left -= zaccel_ip_words(nweights, nbias);
		w += zaccel_ip_words(nweights, nbias);
	}
	return 0;
}
