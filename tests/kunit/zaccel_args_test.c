// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * KUnit: zaccel's ioctl validation. RECONFIG's and SUBMIT's scalar arguments, buffer
 * arguments, extension links and ranges (driver/zaccel_args.c); the identities RECONFIG
 * expects and the jobs SUBMIT passes, against the IP (driver/zaccel_ip.c). Each case names the
 * errno the uapi documents for it.
 */
#include <kunit/test.h>

#include "zaccel_args.h"
#include "zaccel_ip.h"

#define PARTIAL 727200

static struct drm_zaccel_reconfig good_reconfig(void)
{
	struct drm_zaccel_reconfig a = { .region = 1, .slot_count = 1, .size = PARTIAL };

	return a;
}

static void args_reconfig(struct kunit *test)
{
	struct drm_zaccel_reconfig a = good_reconfig();

	KUNIT_EXPECT_EQ(test, zaccel_args_check_reconfig(&a, 2, PARTIAL), 0);
	a.region = 2;
	KUNIT_EXPECT_EQ(test, zaccel_args_check_reconfig(&a, 2, PARTIAL), -EINVAL);
	a = good_reconfig();
	a.flags = 1;
	KUNIT_EXPECT_EQ(test, zaccel_args_check_reconfig(&a, 2, PARTIAL), -EINVAL);
	a = good_reconfig();
	a.slot_count = 0;
	KUNIT_EXPECT_EQ(test, zaccel_args_check_reconfig(&a, 2, PARTIAL), -EINVAL);
	a.slot_count = DRM_ZACCEL_MAX_SLOTS + 1;
	KUNIT_EXPECT_EQ(test, zaccel_args_check_reconfig(&a, 2, PARTIAL), -EINVAL);
	a = good_reconfig();
	a.size = PARTIAL - 4;
	KUNIT_EXPECT_EQ(test, zaccel_args_check_reconfig(&a, 2, PARTIAL), -EINVAL);
	a = good_reconfig();
	a.in_sync_count = DRM_ZACCEL_MAX_SYNCS + 1;
	KUNIT_EXPECT_EQ(test, zaccel_args_check_reconfig(&a, 2, PARTIAL), -EINVAL);
}

static struct drm_zaccel_submit good_submit(void)
{
	struct drm_zaccel_submit a = { .region = 0, .slot = 7, .arg_count = 2, .reg_count = 2 };

	return a;
}

static void args_submit(struct kunit *test)
{
	struct drm_zaccel_submit a = good_submit();

	KUNIT_EXPECT_EQ(test, zaccel_args_check_submit(&a, 2), 0);
	a.slot = DRM_ZACCEL_MAX_SLOTS;
	KUNIT_EXPECT_EQ(test, zaccel_args_check_submit(&a, 2), -EINVAL);
	a = good_submit();
	a.region = 5;
	KUNIT_EXPECT_EQ(test, zaccel_args_check_submit(&a, 2), -EINVAL);
	a = good_submit();
	a.pad = 1;
	KUNIT_EXPECT_EQ(test, zaccel_args_check_submit(&a, 2), -EINVAL);
	a = good_submit();
	a.flags = 0x80000000;
	KUNIT_EXPECT_EQ(test, zaccel_args_check_submit(&a, 2), -EINVAL);
	a = good_submit();
	a.arg_count = 0;
	KUNIT_EXPECT_EQ(test, zaccel_args_check_submit(&a, 2), -EINVAL);
	a.arg_count = DRM_ZACCEL_MAX_ARGS + 1;
	KUNIT_EXPECT_EQ(test, zaccel_args_check_submit(&a, 2), -EINVAL);
	a = good_submit();
	a.reg_count = DRM_ZACCEL_MAX_REGS + 1;
	KUNIT_EXPECT_EQ(test, zaccel_args_check_submit(&a, 2), -EINVAL);
	a = good_submit();
	a.in_sync_count = DRM_ZACCEL_MAX_SYNCS + 1;
	KUNIT_EXPECT_EQ(test, zaccel_args_check_submit(&a, 2), -EINVAL);
}

static void args_buffers_and_extensions(struct kunit *test)
{
	struct drm_zaccel_arg arg = { .flags = DRM_ZACCEL_ARG_READ };
	struct drm_zaccel_extension ext = { .id = DRM_ZACCEL_EXT_REPORT };

	KUNIT_EXPECT_EQ(test, zaccel_args_check_arg(&arg), 0);
	arg.flags = 0;
	KUNIT_EXPECT_EQ(test, zaccel_args_check_arg(&arg), -EINVAL);
	arg.flags = DRM_ZACCEL_ARG_WRITE | 4;
	KUNIT_EXPECT_EQ(test, zaccel_args_check_arg(&arg), -EINVAL);

	KUNIT_EXPECT_EQ(test, zaccel_args_check_extension(&ext, 0, false), 0);
	KUNIT_EXPECT_EQ(test, zaccel_args_check_extension(&ext, 1, true), -EINVAL);
	KUNIT_EXPECT_EQ(test, zaccel_args_check_extension(&ext, DRM_ZACCEL_MAX_EXTENSIONS, false),
			-EINVAL);
	ext.flags = 1;
	KUNIT_EXPECT_EQ(test, zaccel_args_check_extension(&ext, 0, false), -EINVAL);
	ext.flags = 0;
	ext.id = 99;
	KUNIT_EXPECT_EQ(test, zaccel_args_check_extension(&ext, 0, false), -EINVAL);

	KUNIT_EXPECT_TRUE(test, zaccel_args_range_ok(0, 4096, 4096));
	KUNIT_EXPECT_TRUE(test, zaccel_args_range_ok(4088, 8, 4096));
	KUNIT_EXPECT_FALSE(test, zaccel_args_range_ok(4088, 16, 4096));
	KUNIT_EXPECT_FALSE(test, zaccel_args_range_ok(0, 0, 4096));
	KUNIT_EXPECT_FALSE(test, zaccel_args_range_ok(4, 8, 4096));
	KUNIT_EXPECT_FALSE(test, zaccel_args_range_ok(8, U64_MAX, 4096));
	KUNIT_EXPECT_FALSE(test, zaccel_args_range_ok(U64_MAX - 7, 8, 4096));
}

/* conv 1x6x6 -> 2x4x4, 3x3 window, 8 bits, as the conformance suite's test IP. */
static struct drm_zaccel_ip_id conv_id(u32 weight_mode)
{
	struct drm_zaccel_ip_id id = {
		.magic = ZACCEL_IP_MAGIC, .kind = DRM_ZACCEL_IP_CONV, .version = 1 << 16,
		.flags = DRM_ZACCEL_IP_RELU, .in_c = 1, .in_h = 6, .in_w = 6, .out_c = 2,
		.out_h = 4, .out_w = 4, .kernel = 3 << 16 | 3, .stride = 1 << 16 | 1,
		.bits = 8 << 16 | 8 << 8 | 8, .weight_mode = weight_mode, .lanes = 9,
	};
	return id;
}

static void ip_identity(struct kunit *test)
{
	struct drm_zaccel_ip_id id = conv_id(DRM_ZACCEL_WEIGHTS_EMBEDDED);
	struct drm_zaccel_ip_id fc = {
		.magic = ZACCEL_IP_MAGIC, .kind = DRM_ZACCEL_IP_FC, .in_c = 400, .in_h = 1,
		.in_w = 1, .out_c = 120, .out_h = 1, .out_w = 1, .bits = 16 << 16 | 16 << 8 | 16,
		.weight_mode = DRM_ZACCEL_WEIGHTS_STREAMED, .lanes = 16,
	};

	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), 0);
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&fc), 0);
	id.magic = 0;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), -EINVAL);
	id = conv_id(DRM_ZACCEL_WEIGHTS_EMBEDDED);
	id.kind = 4;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), -EINVAL);
	id = conv_id(DRM_ZACCEL_WEIGHTS_EMBEDDED);
	id.flags |= 1U << 5;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), -EINVAL);
	id = conv_id(DRM_ZACCEL_WEIGHTS_EMBEDDED);
	id.lanes = 0;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), -EINVAL);
	id = conv_id(DRM_ZACCEL_WEIGHTS_EMBEDDED);
	id.bits = 17 << 16 | 8 << 8 | 8;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), -EINVAL);
	id = conv_id(DRM_ZACCEL_WEIGHTS_NONE);
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), -EINVAL);
	id = conv_id(DRM_ZACCEL_WEIGHTS_EMBEDDED);
	id.out_h = 5;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), -EINVAL);
	id = conv_id(DRM_ZACCEL_WEIGHTS_EMBEDDED);
	id.flags = DRM_ZACCEL_IP_RELU | DRM_ZACCEL_IP_ACC_OUT;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), -EINVAL);
	id = conv_id(DRM_ZACCEL_WEIGHTS_EMBEDDED);
	id.flags = DRM_ZACCEL_IP_AVG_POOL;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), -EINVAL);
	fc.kernel = 1 << 16 | 1;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&fc), -EINVAL);
}

struct job_case {
	struct drm_zaccel_arg args[DRM_ZACCEL_MAX_ARGS];
	u32 regs[5];
	struct zaccel_job_desc desc;
};

/* The conformance suite's standard job: 2 images, packed, shift 4. */
static void standard_job(struct job_case *c, u32 arg_count)
{
	static const u32 sizes[] = { 144, 128, 36, 16 };
	u32 i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		c->args[i].flags = i == 1 ? DRM_ZACCEL_ARG_WRITE : DRM_ZACCEL_ARG_READ;
		c->args[i].size = sizes[i];
	}
	c->regs[0] = 2;
	c->regs[1] = 4;
	c->desc.args = c->args;
	c->desc.arg_count = arg_count;
	c->desc.regs = c->regs;
	c->desc.reg_count = 2;
}

static void ip_job_embedded(struct kunit *test)
{
	struct drm_zaccel_ip_id id = conv_id(DRM_ZACCEL_WEIGHTS_EMBEDDED);
	struct zaccel_job_plan plan;
	struct job_case c;

	standard_job(&c, 2);
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), 0);
	KUNIT_EXPECT_EQ(test, plan.images, 2);
	KUNIT_EXPECT_EQ(test, plan.in_bytes, 144);
	KUNIT_EXPECT_EQ(test, plan.out_bytes, 128);
	c.desc.arg_count = 3;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), -EINVAL);
	standard_job(&c, 2);
	c.args[1].size = 127;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), -EINVAL);
	standard_job(&c, 2);
	c.args[1].flags = DRM_ZACCEL_ARG_READ;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), -EINVAL);
	standard_job(&c, 2);
	c.regs[0] = 0;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), -EINVAL);
	standard_job(&c, 2);
	c.desc.reg_count = 4;
	c.regs[3] = 31; /* an output stride shorter than an image's 32 values */
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), -EINVAL);
	c.regs[3] = 64; /* room for two images 64 values apart: 96 values */
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), -EINVAL);
	c.args[1].size = 192;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), 0);
	standard_job(&c, 2);
	c.desc.reg_count = 3;
	c.regs[2] = 2; /* an unknown control bit */
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), -EINVAL);
	c.regs[2] = DRM_ZACCEL_JOB_KEEP_WEIGHTS; /* the IP is not batch-cached */
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), -EINVAL);
}

static void ip_job_batch_cached(struct kunit *test)
{
	struct drm_zaccel_ip_id id = conv_id(DRM_ZACCEL_WEIGHTS_BATCH_CACHED);
	struct zaccel_job_plan plan;
	struct job_case c;

	standard_job(&c, 4);
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), 0);
	KUNIT_EXPECT_TRUE(test, plan.loads_cache);
	KUNIT_EXPECT_EQ(test, plan.in_bytes, 144 + 36 + 16);
	c.args[2].size = 35;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), -EINVAL);
	standard_job(&c, 2);
	c.desc.reg_count = 3;
	c.regs[2] = DRM_ZACCEL_JOB_KEEP_WEIGHTS;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), -ENODATA);
	c.desc.kept = true;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), 0);
	KUNIT_EXPECT_FALSE(test, plan.loads_cache);
}

static void ip_embedded_weights(struct kunit *test)
{
	struct drm_zaccel_ip_id id = conv_id(DRM_ZACCEL_WEIGHTS_EMBEDDED);

	KUNIT_EXPECT_EQ(test, zaccel_ip_check_embedded(&id, 18, 2), 0);
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_embedded(&id, 18, 0), 0);
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_embedded(&id, 17, 2), -EBADMSG);
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_embedded(&id, 18, 1), -EBADMSG);
	id = conv_id(DRM_ZACCEL_WEIGHTS_STREAMED);
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_embedded(&id, 0, 0), 0);
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_embedded(&id, 18, 0), -EBADMSG);
}

static struct kunit_case args_cases[] = {
	KUNIT_CASE(args_reconfig),
	KUNIT_CASE(args_submit),
	KUNIT_CASE(args_buffers_and_extensions),
	KUNIT_CASE(ip_identity),
	KUNIT_CASE(ip_job_embedded),
	KUNIT_CASE(ip_job_batch_cached),
	KUNIT_CASE(ip_embedded_weights),
	{}
};

static struct kunit_suite args_suite = {
	.name = "zaccel_ioctl_args",
	.test_cases = args_cases,
};

kunit_test_suite(args_suite);
