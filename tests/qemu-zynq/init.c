// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * /init of the ARM (Zynq) test guest: a static armhf program, since there is no armhf
 * busybox. It mounts devtmpfs, proc, sysfs and debugfs, then follows /init.conf line by line:
 *
 *   insmod PATH [PARAM=VALUE]...  load a module (finit_module), the rest of the line its params
 *   env VAR=VALUE                 add to the environment of the programs run after it
 *   arg WORD                      append one word (the whole rest of the line) to the next run
 *   run                           run the words given since the last run; wait for it
 *   show PATH                     print a file (sysfs, debugfs) as "ZACCEL_SHOW PATH: ..."
 *
 * It stops at the first insmod or run that fails, prints "ZACCEL_QEMU_EXIT=<status>" (0, the
 * failing program's exit status, 128 + its signal, or 1 for a failed insmod) and restarts
 * the machine: Zynq has no power-off, but its restart (the SLCR's soft reset) ends QEMU when
 * it runs with -no-reboot.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/reboot.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_WORDS 64

static char *words[MAX_WORDS + 1];
static int nwords;
static char *envp[MAX_WORDS + 3] = { "PATH=/bin", "TERM=dumb" };
static int nenv = 2;

static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fflush(stdout);
}

/* Seconds since boot, from /proc/uptime, as a string ("?" without it). */
static const char *uptime(void)
{
	static char buf[32];
	FILE *f = fopen("/proc/uptime", "r");

	if (!f || !fgets(buf, sizeof(buf), f))
		strcpy(buf, "?");
	else
		buf[strcspn(buf, " \n")] = '\0';
	if (f)
		fclose(f);
	return buf;
}

static int mount_fs(const char *type, const char *dir)
{
	mkdir(dir, 0755);
	if (mount(type, dir, type, 0, NULL) && errno != EBUSY) {
		say("ZACCEL_QEMU: mount %s on %s: %s\n", type, dir, strerror(errno));
		return -1;
	}
	return 0;
}

/* devtmpfs first: the initramfs has no /dev/console (making one needs root). */
static void setup(void)
{
	int fd;

	mkdir("/dev", 0755);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	fd = open("/dev/console", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	mount_fs("proc", "/proc");
	mount_fs("sysfs", "/sys");
	mount_fs("debugfs", "/sys/kernel/debug");
	mkdir("/tmp", 01777);
}

static int insmod(char *line)
{
	char *path = line, *params = "";
	char *sp = strchr(line, ' ');
	int fd, ret;

	if (sp) {
		*sp = '\0';
		params = sp + 1;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		say("ZACCEL_QEMU: insmod %s: %s\n", path, strerror(errno));
		return -1;
	}
	ret = syscall(SYS_finit_module, fd, params, 0);
	if (ret)
		say("ZACCEL_QEMU: insmod %s %s: %s\n", path, params, strerror(errno));
	close(fd);
	return ret ? -1 : 0;
}

static void show(const char *path)
{
	char buf[4096];
	FILE *f = fopen(path, "r");

	if (!f) {
		say("ZACCEL_SHOW %s: %s\n", path, strerror(errno));
		return;
	}
	while (fgets(buf, sizeof(buf), f))
		say("ZACCEL_SHOW %s: %s%s", path, buf, strchr(buf, '\n') ? "" : "\n");
	fclose(f);
}

/* Runs words[] and waits for it, reaping whatever else exits meanwhile (we are PID 1). */
static int run(void)
{
	pid_t pid, done;
	int status;

	if (!nwords) {
		say("ZACCEL_QEMU: run without arg lines\n");
		return 1;
	}
	words[nwords] = NULL;
	envp[nenv] = NULL;
	pid = fork();
	if (pid < 0) {
		say("ZACCEL_QEMU: fork: %s\n", strerror(errno));
		return 1;
	}
	if (pid == 0) {
		execve(words[0], words, envp);
		say("ZACCEL_QEMU: exec %s: %s\n", words[0], strerror(errno));
		_exit(127);
	}
	for (;;) {
		done = waitpid(-1, &status, 0);
		if (done < 0 && errno == EINTR)
			continue;
		if (done < 0)
			return 1;
		if (done == pid)
			break;
	}
	nwords = 0;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

static int follow(FILE *conf)
{
	char line[4096];
	char *arg;
	int rc = 0;

	while (!rc && fgets(line, sizeof(line), conf)) {
		line[strcspn(line, "\n")] = '\0';
		arg = strchr(line, ' ');
		arg = arg ? arg + 1 : line + strlen(line);
		if (!strncmp(line, "insmod ", 7)) {
			rc = insmod(arg) ? 1 : 0;
		} else if (!strncmp(line, "env ", 4) && nenv < MAX_WORDS + 2) {
			envp[nenv++] = strdup(arg);
		} else if (!strncmp(line, "arg ", 4) && nwords < MAX_WORDS) {
			words[nwords++] = strdup(arg);
		} else if (!strcmp(line, "run")) {
			say("ZACCEL_QEMU_RUN %s uptime=%ss\n", nwords ? words[0] : "", uptime());
			rc = run();
		} else if (!strncmp(line, "show ", 5)) {
			show(arg);
		} else if (line[0] && line[0] != '#') {
			say("ZACCEL_QEMU: /init.conf: cannot do \"%s\"\n", line);
			rc = 1;
		}
	}
	return rc;
}

int main(void)
{
	FILE *conf;
	int rc;

	setup();
	say("ZACCEL_QEMU_INIT uptime=%ss\n", uptime());
	conf = fopen("/init.conf", "r");
	if (!conf) {
		say("ZACCEL_QEMU: /init.conf: %s\n", strerror(errno));
		rc = 1;
	} else {
		rc = follow(conf);
		fclose(conf);
	}
	say("ZACCEL_QEMU_EXIT=%d uptime=%ss\n", rc, uptime());
	sync();
	reboot(LINUX_REBOOT_CMD_RESTART);
	/* Not reached; PID 1 must not exit (the kernel would panic, which also ends QEMU). */
	for (;;)
		pause();
}
