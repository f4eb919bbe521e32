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
	id.kind = DRM_ZACCEL_IP_ELTWISE + 1;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), -EINVAL);
	id.kind = 0;
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

/* The activation field of the flags (uapi 2): conv and fc only, alone, of a known kind. */
static void ip_activation(struct kunit *test)
{
	struct drm_zaccel_ip_id id = conv_id(DRM_ZACCEL_WEIGHTS_EMBEDDED);
	struct drm_zaccel_ip_id pool = {
		.magic = ZACCEL_IP_MAGIC, .kind = DRM_ZACCEL_IP_POOL, .in_c = 2, .in_h = 4,
		.in_w = 4, .out_c = 2, .out_h = 2, .out_w = 2, .kernel = 2 << 16 | 2,
		.stride = 2 << 16 | 2, .bits = 8 << 8 | 8, .lanes = 4,
	};
	u32 act;

	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&pool), 0);
	for (act = DRM_ZACCEL_ACT_CLIP; act <= DRM_ZACCEL_ACT_MAX; act++) {
		id.flags = DRM_ZACCEL_IP_ACT(act);
		KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), 0);
		id.flags |= DRM_ZACCEL_IP_RELU;
		KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), -EINVAL);
		id.flags = DRM_ZACCEL_IP_ACT(act) | DRM_ZACCEL_IP_ACC_OUT;
		KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), -EINVAL);
		pool.flags = DRM_ZACCEL_IP_ACT(act);
		KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&pool), -EINVAL);
	}
	id.flags = DRM_ZACCEL_IP_ACT(DRM_ZACCEL_ACT_MAX + 1);
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), -EINVAL);
}

struct job_case {
	struct drm_zaccel_arg args[DRM_ZACCEL_MAX_ARGS];
	u32 regs[8];
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

/* The groups field of the flags (uapi 3): conv only, dividing both channel counts. */
static void ip_groups(struct kunit *test)
{
	struct drm_zaccel_ip_id id = conv_id(DRM_ZACCEL_WEIGHTS_EMBEDDED);

	id.in_c = 2;
	id.flags = DRM_ZACCEL_IP_GROUPS(2);
	KUNIT_EXPECT_EQ(test, DRM_ZACCEL_IP_GROUPS_OF(id.flags), 2);
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), 0);
	/* Depthwise: 2 filters of 1 channel, 3x3. */
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_embedded(&id, 18, 2), 0);
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_embedded(&id, 36, 2), -EBADMSG);
	id.flags = DRM_ZACCEL_IP_GROUPS(3);
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), -EINVAL);
	id.flags = DRM_ZACCEL_IP_GROUPS(2) | DRM_ZACCEL_IP_ACC_IN;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), -EINVAL);
	id.kind = DRM_ZACCEL_IP_FC;
	id.flags = 0;
	id.in_h = 1;
	id.in_w = 1;
	id.out_h = 1;
	id.out_w = 1;
	id.kernel = 0;
	id.stride = 0;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), 0);
	id.flags = DRM_ZACCEL_IP_GROUPS(2);
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), -EINVAL);
}

/* Job register 5: a clip's lo (low half) must not be above hi; a leaky slope is Q0.15. */
static void ip_job_clip(struct kunit *test)
{
	struct drm_zaccel_ip_id id = conv_id(DRM_ZACCEL_WEIGHTS_EMBEDDED);
	struct zaccel_job_plan plan;
	struct job_case c;

	id.flags = DRM_ZACCEL_IP_ACT(DRM_ZACCEL_ACT_CLIP);
	standard_job(&c, 2);
	c.desc.reg_count = 6;
	c.regs[DRM_ZACCEL_JOB_REG_ACT] = 96 << 16 | 0;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), 0);
	c.regs[DRM_ZACCEL_JOB_REG_ACT] = 0xfff0 << 16 | 0; /* lo 0 above hi -16 */
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), -EINVAL);
	c.regs[DRM_ZACCEL_JOB_REG_ACT] = 0 << 16 | 0xfff0; /* lo -16, hi 0 */
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), 0);
	/* A leaky ReLU's slope is Q0.15: at most 0x7fff. */
	id.flags = DRM_ZACCEL_IP_ACT(DRM_ZACCEL_ACT_LEAKY);
	c.regs[DRM_ZACCEL_JOB_REG_ACT] = 0x7fff;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), 0);
	c.regs[DRM_ZACCEL_JOB_REG_ACT] = 0x8000;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), -EINVAL);
}

/* Job register 5: a hard sigmoid's b << 16 | a (a at most 0x7fff), a hard swish's f. */
static void ip_job_hard_acts(struct kunit *test)
{
	struct drm_zaccel_ip_id id = conv_id(DRM_ZACCEL_WEIGHTS_EMBEDDED);
	struct zaccel_job_plan plan;
	struct job_case c;

	id.flags = DRM_ZACCEL_IP_ACT(DRM_ZACCEL_ACT_HARDSIGMOID);
	standard_job(&c, 2);
	c.desc.reg_count = 6;
	c.regs[DRM_ZACCEL_JOB_REG_ACT] = 0xc000 << 16 | 0x7fff; /* b -0.5, a just below 1 */
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), 0);
	c.regs[DRM_ZACCEL_JOB_REG_ACT] = 0x4000 << 16 | 0x8000;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), -EINVAL);
	id.flags = DRM_ZACCEL_IP_ACT(DRM_ZACCEL_ACT_HARDSWISH);
	c.regs[DRM_ZACCEL_JOB_REG_ACT] = (u32)-32;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), 0);
	c.regs[DRM_ZACCEL_JOB_REG_ACT] = 32;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), 0);
	c.regs[DRM_ZACCEL_JOB_REG_ACT] = 33;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), -EINVAL);
	c.regs[DRM_ZACCEL_JOB_REG_ACT] = (u32)-33;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), -EINVAL);
}

/*
 * PRelu (uapi 6): a conv or fc activation like any other, alone; its slopes are in the bias
 * words, so its job register 5 must be zero and its biases cannot be left out.
 */
static void ip_prelu(struct kunit *test)
{
	struct drm_zaccel_ip_id id = conv_id(DRM_ZACCEL_WEIGHTS_EMBEDDED);
	struct zaccel_job_plan plan;
	struct job_case c;

	id.flags = DRM_ZACCEL_IP_ACT(DRM_ZACCEL_ACT_PRELU);
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), 0);
	id.flags |= DRM_ZACCEL_IP_RELU;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), -EINVAL);
	/* On partial sums, which have no biases to hold the slopes. */
	id.flags = DRM_ZACCEL_IP_ACT(DRM_ZACCEL_ACT_PRELU) | DRM_ZACCEL_IP_ACC_OUT;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), -EINVAL);
	/* The last IP of a cascade adds the bias: its slopes are there. */
	id.flags = DRM_ZACCEL_IP_ACT(DRM_ZACCEL_ACT_PRELU) | DRM_ZACCEL_IP_ACC_IN;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), 0);
	id.flags = DRM_ZACCEL_IP_ACT(8); /* above DRM_ZACCEL_ACT_MAX */
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), -EINVAL);

	id.flags = DRM_ZACCEL_IP_ACT(DRM_ZACCEL_ACT_PRELU);
	standard_job(&c, 2);
	c.desc.reg_count = 6;
	c.regs[DRM_ZACCEL_JOB_REG_ACT] = 0;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), 0);
	c.regs[DRM_ZACCEL_JOB_REG_ACT] = 1;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), -EINVAL);

	/* Its biases are required: embedded in the partial, or passed by a streaming job. */
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_embedded(&id, 18, 2), 0);
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_embedded(&id, 18, 0), -EBADMSG);
	id = conv_id(DRM_ZACCEL_WEIGHTS_STREAMED);
	standard_job(&c, 3);
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), 0);
	id.flags = DRM_ZACCEL_IP_ACT(DRM_ZACCEL_ACT_PRELU);
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), -EINVAL);
	standard_job(&c, 4);
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), 0);
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

/* A max pool of one channel, @h x @w, 1x1 window: its output is its input. */
static struct drm_zaccel_ip_id pool_id(u32 h, u32 w)
{
	struct drm_zaccel_ip_id id = {
		.magic = ZACCEL_IP_MAGIC, .kind = DRM_ZACCEL_IP_POOL, .version = 1 << 16,
		.in_c = 1, .in_h = h, .in_w = w, .out_c = 1, .out_h = h, .out_w = w,
		.kernel = 1 << 16 | 1, .stride = 1 << 16 | 1, .bits = 8 << 8 | 8, .lanes = 1,
	};
	return id;
}

/* Identities whose counts or window extents wrap describe no IP. */
static void ip_identity_overflow(struct kunit *test)
{
	struct drm_zaccel_ip_id id = pool_id(U32_MAX, U32_MAX);

	id.in_c = U32_MAX;
	id.out_c = U32_MAX;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), -EINVAL); /* (2^32 - 1)^3 values */
	/* 2^32 - 1 rows padded by 255 each side: 2^32 + 509 rows out, 509 in 32 bits. */
	id = pool_id(U32_MAX, 1);
	id.padding = 255U << 24 | 255U << 8;
	id.out_h = 509;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), -EINVAL);
	id.out_h = U32_MAX;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), -EINVAL);
	id.padding = 0;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), 0); /* the largest extent there is */
	/* (2^32 - 1)^2 * 2^16 weights: inputs and outputs fit, weights do not. */
	id = conv_id(DRM_ZACCEL_WEIGHTS_EMBEDDED);
	id.in_c = U32_MAX;
	id.out_c = U32_MAX;
	id.in_h = 1;
	id.in_w = 1;
	id.out_h = 1;
	id.out_w = 1;
	id.kernel = 256 << 16 | 256;
	id.padding = 255U << 24 | 255U << 16;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), -EINVAL);
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_embedded(&id, 0, 0), -EBADMSG);
}

/* Dilated windows (uapi 6): k taps at dilation d span (k - 1) * d + 1 positions. */
static void ip_dilation(struct kunit *test)
{
	u32 dilated = DRM_ZACCEL_IP_STEP(1, 2) << 16 | DRM_ZACCEL_IP_STEP(1, 2);
	struct drm_zaccel_ip_id id = conv_id(DRM_ZACCEL_WEIGHTS_EMBEDDED);
	struct drm_zaccel_ip_id pool = {
		.magic = ZACCEL_IP_MAGIC, .kind = DRM_ZACCEL_IP_POOL, .version = 1 << 16,
		.in_c = 2, .in_h = 8, .in_w = 8, .out_c = 2, .out_h = 3, .out_w = 3,
		.kernel = 2 << 16 | 2,
		.stride = DRM_ZACCEL_IP_STEP(2, 2) << 16 | DRM_ZACCEL_IP_STEP(2, 2),
		.bits = 8 << 8 | 8, .lanes = 4,
	};

	KUNIT_EXPECT_EQ(test, DRM_ZACCEL_IP_STEP(1, 1), 1);
	KUNIT_EXPECT_EQ(test, DRM_ZACCEL_IP_STEP_STRIDE(DRM_ZACCEL_IP_STEP(255, 256)), 255);
	KUNIT_EXPECT_EQ(test, DRM_ZACCEL_IP_STEP_DILATION(DRM_ZACCEL_IP_STEP(255, 256)), 256);
	/* conv 7x7, 3x3 at dilation 2: a span of 5, 3x3 out. */
	id.in_h = 7;
	id.in_w = 7;
	id.out_h = 3;
	id.out_w = 3;
	id.stride = dilated;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), 0);
	/* Dilation leaves the weights alone: 2 filters of 1 channel, 3x3. */
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_embedded(&id, 18, 2), 0);
	id.out_h = 5;
	id.out_w = 5; /* what the undilated window gives */
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), -EINVAL);
	id.stride = 1 << 16 | 1;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), 0);
	/* Each half its own dilation: 2 vertically, 1 horizontally. */
	id.out_h = 3;
	id.stride = DRM_ZACCEL_IP_STEP(1, 2) << 16 | DRM_ZACCEL_IP_STEP(1, 1);
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), 0);
	id.stride = DRM_ZACCEL_IP_STEP(1, 1) << 16 | DRM_ZACCEL_IP_STEP(1, 2);
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), -EINVAL);
	/* Padded by 2 on each side: (7 + 4 - 5) / 1 + 1 = 7. */
	id.stride = dilated;
	id.padding = 2U << 24 | 2U << 16 | 2U << 8 | 2U;
	id.out_h = 7;
	id.out_w = 7;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), 0);
	id.out_h = 3;
	id.out_w = 3;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), -EINVAL);

	/* max pool 8x8, 2x2 at stride 2 and dilation 2: a span of 3, (8 - 3) / 2 + 1 = 3. */
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&pool), 0);
	pool.out_h = 4;
	pool.out_w = 4; /* what the undilated window gives */
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&pool), -EINVAL);
	pool.stride = 2 << 16 | 2;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&pool), 0);

	/* A stride of 0 is refused whatever its dilation: 256 (0x100) is stride 0, dilation 2. */
	id = conv_id(DRM_ZACCEL_WEIGHTS_EMBEDDED);
	id.stride = DRM_ZACCEL_IP_STEP(0, 2) << 16 | DRM_ZACCEL_IP_STEP(1, 1);
	KUNIT_EXPECT_EQ(test, id.stride, 0x100U << 16 | 1);
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), -EINVAL);
	id.stride = DRM_ZACCEL_IP_STEP(1, 1) << 16 | DRM_ZACCEL_IP_STEP(0, 256);
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), -EINVAL);
}

/* Jobs whose extents overflow 64 bits, against buffers their wrapped extents would fit. */
static void ip_job_overflow(struct kunit *test)
{
	/* 2761311370 * 3340214413 = 2^63 + 2 values in, as many out: the sum wraps to 4. */
	struct drm_zaccel_ip_id id = pool_id(2761311370U, 3340214413U);
	struct drm_zaccel_ip_id fc = {
		.magic = ZACCEL_IP_MAGIC, .kind = DRM_ZACCEL_IP_FC, .flags = DRM_ZACCEL_IP_ACC_OUT,
		.in_c = 1, .in_h = 1, .in_w = 1, .out_c = 1, .out_h = 1, .out_w = 1, .lanes = 1,
		.bits = 8 << 16 | 8 << 8 | 8, .weight_mode = DRM_ZACCEL_WEIGHTS_EMBEDDED,
	};
	struct zaccel_job_plan plan;
	struct job_case c;

	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), 0);
	standard_job(&c, 2);
	c.regs[0] = 1;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), -EINVAL);
	c.regs[0] = 2;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), -EINVAL);

	/*
	 * 2^30 + 1 images of one 64-bit sum, 2^31 values apart: the output extent is
	 * (2^30 * 2^31 + 1) * 8 = 2^64 + 8 bytes, 8 wrapped. No buffer holds it.
	 */
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&fc), 0);
	standard_job(&c, 2);
	c.args[0].size = U64_MAX;
	c.args[1].size = U64_MAX;
	c.regs[0] = (1U << 30) + 1;
	c.regs[3] = 1U << 31;
	c.desc.reg_count = 4;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&fc, &c.desc, &plan), -EINVAL);
	c.regs[3] = 1U << 30; /* 2^63 + 8 bytes: fits a buffer of U64_MAX */
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&fc, &c.desc, &plan), 0);
	KUNIT_EXPECT_EQ(test, plan.out_bytes, ((1ULL << 30) + 1) * 8);

	/* conv 2^31 channels of 1x1 to 2^16, 256x256 window: 2^63 weights, 2^64 bytes. */
	id = conv_id(DRM_ZACCEL_WEIGHTS_STREAMED);
	id.in_c = 1U << 31;
	id.out_c = 1U << 16;
	id.in_h = 1;
	id.in_w = 1;
	id.out_h = 1;
	id.out_w = 1;
	id.kernel = 256 << 16 | 256;
	id.padding = 255U << 24 | 255U << 16;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), 0);
	standard_job(&c, 4);
	c.args[0].size = U64_MAX;
	c.args[1].size = U64_MAX;
	c.args[3].size = U64_MAX;
	c.regs[0] = 1;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), -EINVAL);
	c.args[2].size = U64_MAX;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), -EINVAL);
}

/* add 2x3x4 + 2x3x4 -> 2x3x4, 8 bits in and out, ReLU. */
static struct drm_zaccel_ip_id eltwise_id(void)
{
	struct drm_zaccel_ip_id id = {
		.magic = ZACCEL_IP_MAGIC, .kind = DRM_ZACCEL_IP_ELTWISE, .version = 1 << 16,
		.flags = DRM_ZACCEL_IP_ELTWISE_OP(DRM_ZACCEL_ELTWISE_ADD) | DRM_ZACCEL_IP_RELU,
		.in_c = 2, .in_h = 3, .in_w = 4, .out_c = 2, .out_h = 3, .out_w = 4,
		.kernel = 1 << 16 | 1, .stride = 1 << 16 | 1, .bits = 8 << 8 | 8, .lanes = 4,
	};
	return id;
}

/* The element-wise IP (uapi 4): its operation, no other flag but ReLU, no weights, 1x1. */
static void ip_eltwise_identity(struct kunit *test)
{
	struct drm_zaccel_ip_id id = eltwise_id();

	KUNIT_EXPECT_EQ(test, DRM_ZACCEL_IP_ELTWISE_OF(id.flags), DRM_ZACCEL_ELTWISE_ADD);
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), 0);
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_embedded(&id, 0, 0), 0);
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_embedded(&id, 0, 2), -EBADMSG);
	id.flags &= ~DRM_ZACCEL_IP_RELU;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), 0);
	id.flags = DRM_ZACCEL_IP_RELU; /* operation 0 */
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), -EINVAL);
	id.flags = DRM_ZACCEL_IP_ELTWISE_OP(DRM_ZACCEL_ELTWISE_MAX + 1);
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), -EINVAL);
	id = eltwise_id();
	id.kernel = 3 << 16 | 3;
	id.padding = 1U << 24 | 1U << 16 | 1U << 8 | 1U; /* 3x3, padded: still 2x3x4 out */
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), -EINVAL);
	id = eltwise_id();
	id.stride = 2 << 16 | 2;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), -EINVAL);
	id = eltwise_id();
	id.padding = 1;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), -EINVAL);
	id = eltwise_id();
	id.out_h = 2;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), -EINVAL);
	id = eltwise_id();
	id.out_c = 1;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), -EINVAL);
	id = eltwise_id();
	id.bits = 8 << 16 | 8 << 8 | 8;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), -EINVAL);
	id = eltwise_id();
	id.weight_mode = DRM_ZACCEL_WEIGHTS_EMBEDDED;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), -EINVAL);
	id.weight_mode = DRM_ZACCEL_WEIGHTS_STREAMED;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), -EINVAL);
	id = eltwise_id();
	id.flags = DRM_ZACCEL_IP_ELTWISE_OP(DRM_ZACCEL_ELTWISE_ADD) |
		   DRM_ZACCEL_IP_ACT(DRM_ZACCEL_ACT_CLIP);
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), -EINVAL);
	id.flags = DRM_ZACCEL_IP_ELTWISE_OP(DRM_ZACCEL_ELTWISE_ADD) | DRM_ZACCEL_IP_ACC_IN;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), -EINVAL);
	id.flags = DRM_ZACCEL_IP_ELTWISE_OP(DRM_ZACCEL_ELTWISE_ADD) | DRM_ZACCEL_IP_GROUPS(2);
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), -EINVAL);
	id = eltwise_id();
	id.lanes = 0;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), -EINVAL);
	id = eltwise_id();
	id.in_c = 0;
	id.out_c = 0;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), -EINVAL);
}

/* An element-wise operation on an IP of any other kind. */
static void ip_eltwise_flags_elsewhere(struct kunit *test)
{
	struct drm_zaccel_ip_id id = conv_id(DRM_ZACCEL_WEIGHTS_EMBEDDED);

	id.flags |= DRM_ZACCEL_IP_ELTWISE_OP(DRM_ZACCEL_ELTWISE_ADD);
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), -EINVAL);
	id.flags = DRM_ZACCEL_IP_ELTWISE_MASK;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), -EINVAL);
	id = pool_id(4, 4);
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), 0);
	id.flags = DRM_ZACCEL_IP_ELTWISE_OP(DRM_ZACCEL_ELTWISE_ADD);
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), -EINVAL);
}

/* 2 images of 24 values packed in each of a, the output and b: 96 bytes each. */
static void eltwise_job(struct job_case *c)
{
	standard_job(c, 3);
	c->args[0].size = 96;
	c->args[1].size = 96;
	c->args[2].size = 96;
}

/* Arguments a, out, b; register 6 the alignment, register 7 b's stride. */
static void ip_job_eltwise(struct kunit *test)
{
	struct drm_zaccel_ip_id id = eltwise_id();
	struct zaccel_job_plan plan;
	struct job_case c;

	eltwise_job(&c);
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), 0);
	KUNIT_EXPECT_EQ(test, plan.images, 2);
	KUNIT_EXPECT_EQ(test, plan.in_bytes, 96 + 96);
	KUNIT_EXPECT_EQ(test, plan.out_bytes, 96);
	KUNIT_EXPECT_FALSE(test, plan.loads_cache);
	c.desc.arg_count = 2;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), -EINVAL);
	c.desc.arg_count = 4;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), -EINVAL);
	eltwise_job(&c);
	c.args[2].size = 95;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), -EINVAL);
	eltwise_job(&c);
	c.args[2].flags = DRM_ZACCEL_ARG_WRITE;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), -EINVAL);
	eltwise_job(&c);
	c.desc.reg_count = 3;
	c.regs[2] = DRM_ZACCEL_JOB_KEEP_WEIGHTS; /* the IP is not batch-cached */
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), -EINVAL);

	/* Register 6, signed: -32 to 32. */
	eltwise_job(&c);
	c.desc.reg_count = 7;
	c.regs[DRM_ZACCEL_JOB_REG_ALIGN] = 32;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), 0);
	c.regs[DRM_ZACCEL_JOB_REG_ALIGN] = (u32)-32;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), 0);
	c.regs[DRM_ZACCEL_JOB_REG_ALIGN] = 33;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), -EINVAL);
	c.regs[DRM_ZACCEL_JOB_REG_ALIGN] = (u32)-33;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), -EINVAL);
	c.regs[DRM_ZACCEL_JOB_REG_ALIGN] = 0x80000000;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), -EINVAL);

	/* Register 7: b's stride, as register 4 is a's. */
	eltwise_job(&c);
	c.desc.reg_count = 8;
	c.regs[DRM_ZACCEL_JOB_REG_IN2_STRIDE] = 23; /* shorter than an image's 24 values */
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), -EINVAL);
	c.regs[DRM_ZACCEL_JOB_REG_IN2_STRIDE] = 24;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), 0);
	c.regs[DRM_ZACCEL_JOB_REG_IN2_STRIDE] = 48; /* two images 48 values apart: 72 values */
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), -EINVAL);
	c.args[2].size = 144;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), 0);
	KUNIT_EXPECT_EQ(test, plan.in_bytes, 96 + 96);
	c.regs[DRM_ZACCEL_JOB_REG_IN_STRIDE] = 48; /* a's stride too: a is 96 bytes */
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), -EINVAL);
	c.args[0].size = 144;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), 0);

	/* Registers 6 and 7 are read by element-wise IPs only. */
	id = conv_id(DRM_ZACCEL_WEIGHTS_EMBEDDED);
	standard_job(&c, 2);
	c.desc.reg_count = 8;
	c.regs[DRM_ZACCEL_JOB_REG_ALIGN] = 33;
	c.regs[DRM_ZACCEL_JOB_REG_IN2_STRIDE] = 1;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), 0);
}

/*
 * b's extent in 64 bits: 2^31 images of one value, the most a job may take, 2^32 - 1 values
 * apart, reach ((2^31 - 1) * (2^32 - 1) + 1) * 2 bytes, near 2^64.
 */
static void ip_job_eltwise_extent(struct kunit *test)
{
	struct drm_zaccel_ip_id id = eltwise_id();
	u64 reach = (((1ULL << 31) - 1) * U32_MAX + 1) * 2;
	struct zaccel_job_plan plan;
	struct job_case c;

	id.in_c = 1;
	id.in_h = 1;
	id.in_w = 1;
	id.out_c = 1;
	id.out_h = 1;
	id.out_w = 1;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_id(&id), 0);
	eltwise_job(&c);
	c.args[0].size = 1ULL << 32;
	c.args[1].size = 1ULL << 32;
	c.args[2].size = reach - 1;
	c.regs[0] = 1U << 31;
	c.desc.reg_count = 8;
	c.regs[DRM_ZACCEL_JOB_REG_IN2_STRIDE] = U32_MAX;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), -EINVAL);
	c.args[2].size = reach;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), 0);
	KUNIT_EXPECT_EQ(test, plan.in_bytes, 2ULL << 32);
	c.regs[0] = (1U << 31) + 1; /* 2^32 + 2 values in and out */
	c.args[2].size = U64_MAX;
	KUNIT_EXPECT_EQ(test, zaccel_ip_check_job(&id, &c.desc, &plan), -EINVAL);
}

static struct kunit_case args_cases[] = {
	KUNIT_CASE(args_reconfig),
	KUNIT_CASE(args_submit),
	KUNIT_CASE(args_buffers_and_extensions),
	KUNIT_CASE(ip_identity),
	KUNIT_CASE(ip_activation),
	KUNIT_CASE(ip_groups),
	KUNIT_CASE(ip_job_clip),
	KUNIT_CASE(ip_job_hard_acts),
	KUNIT_CASE(ip_prelu),
	KUNIT_CASE(ip_job_embedded),
	KUNIT_CASE(ip_job_batch_cached),
	KUNIT_CASE(ip_embedded_weights),
	KUNIT_CASE(ip_identity_overflow),
	KUNIT_CASE(ip_dilation),
	KUNIT_CASE(ip_job_overflow),
	KUNIT_CASE(ip_eltwise_identity),
	KUNIT_CASE(ip_eltwise_flags_elsewhere),
	KUNIT_CASE(ip_job_eltwise),
	KUNIT_CASE(ip_job_eltwise_extent),
	{}
};

static struct kunit_suite args_suite = {
	.name = "zaccel_ioctl_args",
	.test_cases = args_cases,
};

kunit_test_suite(args_suite);
