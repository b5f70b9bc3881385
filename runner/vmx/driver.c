// SPDX-License-Identifier: MIT
/* The raw VMX harness under Bochs (see driver.h). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "errmsg.h"
#include "driver.h"

#define FLOPPY_SIZE	1474560
#define IMAGE_OFFSET	1024	/* boot sector + command-line sector */
#define KSECTORS_OFF	0x1f0

bool vmx_bochs_model_ok(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') || s[n] == '_'))
			return false;
	return n > 0 && n < 64;
}

static int read_file(const char *path, unsigned char **buf, size_t *len, char *err,
		     size_t errlen)
{
	FILE *f = fopen(path, "rb");
	long n;

	*buf = NULL;
	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		ERR("cannot read %.200s: %.100s", path, strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	*buf = malloc((size_t)n + 1);
	if (!*buf || fread(*buf, 1, (size_t)n, f) != (size_t)n) {
		ERR("cannot read %.200s", path);
		free(*buf);
		*buf = NULL;
		fclose(f);
		return -1;
	}
	fclose(f);
	*len = (size_t)n;
	return 0;
}

/* Floppy: boot sector, command line, then the flat multiboot image. */
static int write_floppy(const struct vmx_bochs_opts *o, const char *path, char *err,
			size_t errlen)
{
	char p[4096], cmd[512];
	unsigned char *boot = NULL, *image = NULL, *disk = NULL;
	size_t blen, ilen;
	int rc = -1;
	FILE *f;

	snprintf(p, sizeof(p), "%s/vmxboot.bin", o->image_dir);
	if (read_file(p, &boot, &blen, err, errlen))
		goto out;
	snprintf(p, sizeof(p), "%s/vmxbench.bin", o->image_dir);
	if (read_file(p, &image, &ilen, err, errlen))
		goto out;
	if (blen != 512 || boot[510] != 0x55 || boot[511] != 0xaa) {
		ERR("%.200s/vmxboot.bin is not a boot sector", o->image_dir);
		goto out;
	}
	/* The boot sector loads below 640 KiB, from 0x10000. */
	if (ilen > 0x8f000 - IMAGE_OFFSET) {
		ERR("image too large for the floppy loader (%zu bytes)", ilen);
		goto out;
	}
	snprintf(cmd, sizeof(cmd), "timing=emulated exit=bochs iters=%u warmup=%u msr-area=%s%s%s%s%s",
		 o->iters, o->warmup, o->msr_area, o->benches ? " benches=" : "",
		 o->benches ? o->benches : "", o->areas ? " areas=" : "",
		 o->areas ? o->areas : "");
	disk = calloc(1, FLOPPY_SIZE);
	if (!disk) {
		ERR("out of memory");
		goto out;
	}
	memcpy(disk, boot, 512);
	disk[KSECTORS_OFF] = (unsigned char)((ilen + 511) / 512);
	disk[KSECTORS_OFF + 1] = (unsigned char)(((ilen + 511) / 512) >> 8);
	memcpy(disk + 512, cmd, strlen(cmd));
	memcpy(disk + IMAGE_OFFSET, image, ilen);
	f = fopen(path, "wb");
	if (!f || fwrite(disk, 1, FLOPPY_SIZE, f) != FLOPPY_SIZE || fclose(f)) {
		ERR("cannot write %.200s", path);
		goto out;
	}
	rc = 0;
out:
	free(boot);
	free(image);
	free(disk);
	return rc;
}

static int write_bochsrc(const struct vmx_bochs_opts *o, const char *dir, char *err,
			 size_t errlen)
{
	char p[4096];
	FILE *f;

	snprintf(p, sizeof(p), "%s/bochsrc", dir);
	f = fopen(p, "w");
	if (!f)
		return ERR("cannot write %.200s: %.100s", p, strerror(errno));
	/* rfb with timeout=0: this build has no nogui, and must not wait for a viewer */
	fprintf(f, "megs: 64\n"
		"cpu: model=%s, count=1, ips=50000000, reset_on_triple_fault=0\n"
		"display_library: rfb, options=\"timeout=0\"\n"
		"sound: driver=dummy\nspeaker: enabled=0\n"
		"romimage: file=$BXSHARE/BIOS-bochs-latest\n"
		"vgaromimage: file=$BXSHARE/VGABIOS-lgpl-latest\n"
		"boot: floppy\nfloppya: 1_44=%s/floppy.img, status=inserted\n"
		"com1: enabled=1, mode=file, dev=%s/serial.txt\n"
		"log: %s/bochs.log\npanic: action=fatal\n"
		"clock: sync=none, time0=1\n", o->cpu, dir, dir, dir);
	if (fclose(f))
		return ERR("cannot write %.200s", p);
	snprintf(p, sizeof(p), "%s/debugger.in", dir);
	f = fopen(p, "w");
	/* The Debian build includes the debugger, which wants "c" to start. */
	if (!f || fputs("c\n", f) < 0 || fclose(f))
		return ERR("cannot write %.200s", p);
	return 0;
}

/* "VMXB 1 done ok" or "... done fail", the verdict whole (the image ends it without a newline). */
static bool whole_done(const char *line)
{
	const char *p = strstr(line, "VMXB 1 done ");
	size_t n;

	if (!p)
		return false;
	p += strlen("VMXB 1 done ");
	n = !strncmp(p, "ok", 2) ? 2 : !strncmp(p, "fail", 4) ? 4 : 0;
	return n && (!p[n] || p[n] == '\r' || p[n] == '\n' || p[n] == ' ');
}

/*
 * The done line has arrived whole: Bochs writes the serial port a few bytes
 * at a time, and a log cut at "VMXB 1 done o" (stopping Bochs as soon as
 * the prefix showed) is a log without its verdict.
 */
bool vmx_serial_done(const char *path)
{
	char line[1024];
	bool done = false;
	FILE *f = fopen(path, "r");

	if (!f)
		return false;
	while (!done && fgets(line, sizeof(line), f))
		done = whole_done(line);
	fclose(f);
	return done;
}

static pid_t spawn_bochs(const char *dir)
{
	char rc[4096], in[4096], out[4096];
	pid_t pid = fork();

	if (pid)
		return pid;
	snprintf(rc, sizeof(rc), "%s/bochsrc", dir);
	snprintf(in, sizeof(in), "%s/debugger.in", dir);
	snprintf(out, sizeof(out), "%s/bochs.out", dir);
	int fi = open(in, O_RDONLY), fo = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fi < 0 || fo < 0 || dup2(fi, 0) < 0 || dup2(fo, 1) < 0 || dup2(fo, 2) < 0)
		_exit(127);
	if (!getenv("BXSHARE"))
		setenv("BXSHARE", "/usr/share/bochs", 1);
	setpgid(0, 0);
	execlp("bochs", "bochs", "-q", "-f", rc, (char *)NULL);
	_exit(127);
}

static void stop_child(pid_t pid)
{
	int st;

	kill(pid, SIGTERM);
	for (int i = 0; i < 20; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			return;
		usleep(50000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
}

/* Runs Bochs until the image prints its done line, exits, or time runs out. */
static int run_bochs(const struct vmx_bochs_opts *o, const char *dir, char *err,
		     size_t errlen)
{
	char serial[4096];
	struct timespec t0, t;
	pid_t pid;
	int st;

	snprintf(serial, sizeof(serial), "%s/serial.txt", dir);
	pid = spawn_bochs(dir);
	if (pid < 0)
		return ERR("fork: %.200s", strerror(errno));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		if (waitpid(pid, &st, WNOHANG) == pid) {
			if (vmx_serial_done(serial))
				return 0;
			if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
				ERR("cannot run bochs (is it installed?)");
			else
				ERR("bochs stopped before the image finished; see %.200s/bochs.log",
					 dir);
			return -1;
		}
		if (vmx_serial_done(serial)) {
			stop_child(pid);
			return 0;
		}
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec >= (time_t)o->timeout) {
			stop_child(pid);
			return ERR("no done line after %u s under bochs", o->timeout);
		}
		usleep(100000);
	}
}

void vmx_bochs_remove(const struct vmx_bochs_dir *d)
{
	static const char *const names[] = { "bochsrc", "debugger.in", "floppy.img",
					     "serial.txt", "bochs.log", "bochs.out" };
	char p[4096];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", d->path, names[i]);
		unlink(p);
	}
	rmdir(d->path);
}

int vmx_bochs_run(const struct vmx_bochs_opts *o, struct vmx_bochs_dir *d, char *err,
		  size_t errlen)
{
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char p[4096];

	d->serial[0] = 0;
	if (strlen(tmp) > 3000) {
		d->path[0] = 0;
		return ERR("TMPDIR is too long");
	}
	snprintf(d->path, sizeof(d->path), "%s/vmxb-bochs-XXXXXX", tmp);
	if (!mkdtemp(d->path)) {
		ERR("mkdtemp %.200s: %.100s", d->path, strerror(errno));
		d->path[0] = 0;
		return -1;
	}
	snprintf(d->serial, sizeof(d->serial), "%s/serial.txt", d->path);
	snprintf(p, sizeof(p), "%s/floppy.img", d->path);
	if (write_floppy(o, p, err, errlen) || write_bochsrc(o, d->path, err, errlen) ||
	    run_bochs(o, d->path, err, errlen))
		return -1;
	return 0;
}
