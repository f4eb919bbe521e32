// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * A small static armhf client of zaccel.ko for the Zynq guest, independent of libaccel: opens
 * the accel node, checks the driver's name and uapi version, reads the regions, and takes a
 * buffer object through create, mmap, CPU write, BO_FINI, BO_PREP and read back. It proves the
 * guest's path (module, device tree, node, ioctls from 32-bit userspace) before or besides the
 * armhf conformance suite. Exit 0 when every step gives what it should, else 1.
 * Usage: accel_probe [NODE]   (default /dev/accel/accel0)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "zaccel_drm.h"

static int failures;

static void check(int ok, const char *what)
{
	printf("accel_probe: %s: %s\n", ok ? "ok" : "FAIL", what);
	if (!ok)
		failures++;
}

static int xioctl(int fd, unsigned long request, void *arg)
{
	int ret;

	do
		ret = ioctl(fd, request, arg);
	while (ret && (errno == EINTR || errno == EAGAIN));
	return ret ? -errno : 0;
}

static uint64_t param(int fd, uint32_t p, uint32_t index)
{
	struct drm_zaccel_get_param gp = { .param = p, .index = index };

	return xioctl(fd, DRM_IOCTL_ZACCEL_GET_PARAM, &gp) ? UINT64_MAX : gp.value;
}

int main(int argc, char **argv)
{
	const char *node = argc > 1 ? argv[1] : "/dev/accel/accel0";
	struct drm_zaccel_bo_create create = { .size = 1 << 16 };
	struct drm_zaccel_region_query query = { 0 };
	struct drm_gem_close close_bo = { 0 };
	struct drm_version version = { 0 };
	char name[32] = "";
	uint32_t *map;
	uint64_t regions;
	int fd, ret;
	size_t i;

	fd = open(node, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		printf("accel_probe: FAIL: open %s: %s\n", node, strerror(errno));
		return 1;
	}
	version.name = name;
	version.name_len = sizeof(name) - 1;
	ret = xioctl(fd, DRM_IOCTL_VERSION, &version);
	printf("accel_probe: %s: driver %s %d.%d\n", node, name, version.version_major,
	       version.version_minor);
	check(!ret && !strcmp(name, "zaccel"), "DRM_IOCTL_VERSION names zaccel");
	check(param(fd, DRM_ZACCEL_PARAM_API_VERSION, 0) == ZACCEL_API_VERSION, "uapi version");
	check(param(fd, DRM_ZACCEL_PARAM_CAPABILITIES, 0) & DRM_ZACCEL_CAP_NO_HW,
	      "no-hardware test mode reported");
	regions = param(fd, DRM_ZACCEL_PARAM_NUM_REGIONS, 0);
	check(regions == 2, "two regions (the PYNQ-Z2 overlay)");
	check(param(fd, DRM_ZACCEL_PARAM_REGION_FRAMES, 0) == 1800, "region 0: 1800 frames");
	check(param(fd, DRM_ZACCEL_PARAM_NUM_REGIONS, 1) == UINT64_MAX,
	      "a global parameter with an index is refused");
	ret = xioctl(fd, DRM_IOCTL_ZACCEL_REGION_QUERY, &query);
	check(!ret && query.frames == 1800 && !query.slots, "REGION_QUERY of region 0");

	ret = xioctl(fd, DRM_IOCTL_ZACCEL_BO_CREATE, &create);
	check(!ret && create.handle && create.dev_addr && create.dev_addr < (1ull << 32),
	      "BO_CREATE of 64 KiB below 4 GiB");
	if (ret)
		return 1;
	map = mmap(NULL, create.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		   create.mmap_offset);
	check(map != MAP_FAILED, "mmap of the BO");
	if (map != MAP_FAILED) {
		struct drm_zaccel_bo_prep prep = { .handle = create.handle,
						   .flags = DRM_ZACCEL_PREP_READ |
							    DRM_ZACCEL_PREP_WRITE };
		struct drm_zaccel_bo_fini fini = { .handle = create.handle };
		struct timespec now;
		int same = 1;

		clock_gettime(CLOCK_MONOTONIC, &now);
		prep.timeout_ns = now.tv_sec * 1000000000ull + now.tv_nsec + 1000000000ull;
		check(!xioctl(fd, DRM_IOCTL_ZACCEL_BO_PREP, &prep), "BO_PREP for the CPU");
		for (i = 0; i < create.size / 4; i++)
			map[i] = 0x5a000000u ^ i;
		check(!xioctl(fd, DRM_IOCTL_ZACCEL_BO_FINI, &fini), "BO_FINI for the device");
		check(!xioctl(fd, DRM_IOCTL_ZACCEL_BO_PREP, &prep), "BO_PREP again");
		for (i = 0; i < create.size / 4; i++)
			same &= map[i] == (0x5a000000u ^ i);
		check(same, "the BO reads back what was written");
		fini.pad = 1;
		check(xioctl(fd, DRM_IOCTL_ZACCEL_BO_FINI, &fini) == -EINVAL,
		      "BO_FINI with a non-zero pad gets -EINVAL");
		munmap(map, create.size);
	}
	close_bo.handle = create.handle;
	check(!xioctl(fd, DRM_IOCTL_GEM_CLOSE, &close_bo), "GEM_CLOSE");
	close(fd);
	printf("accel_probe: %d failures\n", failures);
	return failures ? 1 : 0;
}
