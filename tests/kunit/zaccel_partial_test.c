// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * KUnit: the no-hardware configuration port's reading of synthetic partials
 * (driver/zaccel_partial.c), on partials built here the way emulator/bitstream/partial.cc
 * builds them, and on each kind of damage the emulator refuses.
 */
#include <kunit/test.h>
#include <linux/crc32.h>

#include "zaccel_partial.h"

#define IFACE 0x5a520001
#define WORDS 256 /* a small region: 256 words */

static const u32 preamble[] = {
	0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff,
	0xffffffff, 0x000000bb, 0x11220044, 0xffffffff, 0xffffffff, 0xaa995566, 0x20000000,
};

static void put(__be32 *p, u32 w, u32 v)
{
	p[w] = cpu_to_be32(v);
}

/* A partial holding one conv IP with 18 embedded weights and 2 biases. */
static __be32 *build(struct kunit *test, struct drm_zaccel_ip_id *id)
{
	__be32 *p = kunit_kzalloc(test, WORDS * 4, GFP_KERNEL);
	u32 w = 0, i;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p);
	*id = (struct drm_zaccel_ip_id){
		.magic = ZACCEL_IP_MAGIC, .kind = DRM_ZACCEL_IP_CONV, .in_c = 1, .in_h = 6,
		.in_w = 6, .out_c = 2, .out_h = 4, .out_w = 4, .kernel = 3 << 16 | 3,
		.stride = 1 << 16 | 1, .bits = 8 << 16 | 8 << 8 | 8,
		.weight_mode = DRM_ZACCEL_WEIGHTS_EMBEDDED, .lanes = 9,
	};
	for (i = 0; i < ARRAY_SIZE(preamble); i++)
		put(p, w++, preamble[i]);
	put(p, w++, 0x5a415042);
	put(p, w++, 2);
	put(p, w++, IFACE);
	put(p, w++, 1);
	for (i = 0; i < sizeof(*id) / 4; i++)
		put(p, w++, ((u32 *)id)[i]);
	put(p, w++, 18);
	put(p, w++, 2);
	w += 9 + 4; /* weights and biases, zero here */
	put(p, WORDS - 2, 0x30008001);
	put(p, WORDS - 1, 0x0000000d);
	return p;
}

static void seal(__be32 *p)
{
	put(p, WORDS - 3, ~crc32_le(~0U, (u8 *)p + 48, WORDS * 4 - 48 - 12));
}

static int parse(__be32 *p, struct drm_zaccel_ip_id *ids, u32 *n)
{
	return zaccel_partial_parse((u8 *)p, WORDS * 4, IFACE, ids, n);
}

static void partial_good(struct kunit *test)
{
	struct drm_zaccel_ip_id id, ids[DRM_ZACCEL_MAX_SLOTS];
	__be32 *p = build(test, &id);
	u32 n = 0;

	seal(p);
	KUNIT_EXPECT_EQ(test, zaccel_partial_check_header((u8 *)p, WORDS * 4, IFACE), 0);
	KUNIT_EXPECT_EQ(test, parse(p, ids, &n), 0);
	KUNIT_EXPECT_EQ(test, n, 1);
	KUNIT_EXPECT_EQ(test, memcmp(&ids[0], &id, sizeof(id)), 0);
}

static void partial_damaged(struct kunit *test)
{
	struct drm_zaccel_ip_id id, ids[DRM_ZACCEL_MAX_SLOTS];
	__be32 *p = build(test, &id);
	u32 n;

	seal(p);
	((u8 *)p)[WORDS * 2] ^= 0x10; /* a bit flipped in the payload */
	KUNIT_EXPECT_EQ(test, parse(p, ids, &n), -EBADMSG);

	p = build(test, &id);
	put(p, 12, 0xaa995565); /* no sync word */
	seal(p);
	KUNIT_EXPECT_EQ(test, zaccel_partial_check_header((u8 *)p, WORDS * 4, IFACE), -EBADMSG);

	p = build(test, &id);
	seal(p);
	KUNIT_EXPECT_EQ(test, zaccel_partial_check_header((u8 *)p, WORDS * 4, IFACE + 1), -ENODEV);

	p = build(test, &id);
	put(p, 17, 0); /* no IPs */
	seal(p);
	KUNIT_EXPECT_EQ(test, parse(p, ids, &n), -EBADMSG);

	p = build(test, &id);
	put(p, 18 + 16, 17); /* 17 weights: not what the IP takes */
	seal(p);
	KUNIT_EXPECT_EQ(test, parse(p, ids, &n), -EBADMSG);

	p = build(test, &id);
	put(p, 18 + 16, 1000); /* more weights than the partial holds */
	seal(p);
	KUNIT_EXPECT_EQ(test, parse(p, ids, &n), -EBADMSG);

	p = build(test, &id);
	put(p, WORDS - 1, 0); /* no DESYNC */
	seal(p);
	KUNIT_EXPECT_EQ(test, parse(p, ids, &n), -EBADMSG);

	KUNIT_EXPECT_EQ(test, zaccel_partial_check_header((u8 *)p, 40, IFACE), -EBADMSG);
}

static struct kunit_case partial_cases[] = {
	KUNIT_CASE(partial_good),
	KUNIT_CASE(partial_damaged),
	{}
};

static struct kunit_suite partial_suite = {
	.name = "zaccel_partial",
	.test_cases = partial_cases,
};

kunit_test_suite(partial_suite);
