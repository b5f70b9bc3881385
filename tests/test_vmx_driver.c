/* SPDX-License-Identifier: MIT */
/*
 * The raw VMX harness's Bochs driver without Bochs: what it writes into
 * its work directory, how it refuses bad inputs, and when it stops Bochs.
 * (tests/vmx_bochs_test.sh boots the real image.)
 */
#include "check_main.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tmp_dir.h"
#include "vmx/driver.h"

/* The work directories go into the test's own TMPDIR. */
static void setup(void)
{
	tmp_dir_setup();
	ck_assert_int_eq(setenv("TMPDIR", tmp_dir, 1), 0);
}

static void put(const char *name, const unsigned char *data, size_t len)
{
	FILE *f = fopen(tmp_path(name), "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

/* A boot sector and an image of @ilen bytes (a pattern, so its place can be checked). */
static void put_image(size_t ilen, bool signed_boot)
{
	unsigned char boot[512] = { 0 }, *image = malloc(ilen);

	ck_assert_ptr_nonnull(image);
	boot[510] = signed_boot ? 0x55 : 0;
	boot[511] = signed_boot ? 0xaa : 0;
	for (size_t i = 0; i < ilen; i++)
		image[i] = (unsigned char)(i * 7 + 1);
	put("vmxboot.bin", boot, sizeof(boot));
	put("vmxbench.bin", image, ilen);
	free(image);
}

static struct vmx_bochs_opts opts(void)
{
	return (struct vmx_bochs_opts){
		.image_dir = tmp_dir, .cpu = "corei7_skylake_x", .timeout = 5,
		.iters = 3, .warmup = 1, .msr_area = "0,2",
	};
}

/* A file in the work directory @d. */
static char *slurp(const struct vmx_bochs_dir *d, const char *name, size_t *len)
{
	char p[4096];

	snprintf(p, sizeof(p), "%s/%s", d->path, name);
	return tmp_read(p, len);
}

/* Bochs not on PATH: the floppy and bochsrc are written, then "is it installed?". */
START_TEST(writes_the_floppy_and_bochsrc)
{
	struct vmx_bochs_opts o = opts();
	struct vmx_bochs_dir d;
	const char *cmd = "timing=emulated exit=bochs iters=3 warmup=1 msr-area=0,2 "
			  "benches=null,cpuid areas=exit-load";
	char err[512], *disk, *rc;
	struct stat st;
	size_t len;

	put_image(1500, true);
	o.benches = "null,cpuid";
	o.areas = "exit-load";
	ck_assert_int_eq(setenv("PATH", "/nonexistent", 1), 0);
	ck_assert_int_eq(vmx_bochs_run(&o, &d, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "cannot run bochs (is it installed?)");
	ck_assert(!strncmp(d.path, tmp_dir, strlen(tmp_dir)));
	ck_assert(strstr(d.path, "/vmxb-bochs-"));
	ck_assert(!strcmp(d.serial + strlen(d.path), "/serial.txt"));

	disk = slurp(&d, "floppy.img", &len);
	ck_assert_uint_eq(len, 1474560);
	ck_assert_int_eq((unsigned char)disk[510], 0x55);
	/* three sectors of image, then the command line, then the image itself */
	ck_assert_int_eq(disk[0x1f0], 3);
	ck_assert_int_eq(disk[0x1f1], 0);
	ck_assert_str_eq(disk + 512, cmd);
	for (size_t i = 0; i < 1500; i++)
		ck_assert_int_eq((unsigned char)disk[1024 + i], (unsigned char)(i * 7 + 1));
	ck_assert_int_eq(disk[1024 + 1500], 0);
	free(disk);

	rc = slurp(&d, "bochsrc", &len);
	ck_assert_msg(strstr(rc, "cpu: model=corei7_skylake_x, count=1"), "%s", rc);
	ck_assert(strstr(rc, "display_library: rfb, options=\"timeout=0\""));
	ck_assert(strstr(rc, "com1: enabled=1, mode=file, dev="));
	ck_assert(strstr(rc, d.serial));
	free(rc);
	rc = slurp(&d, "debugger.in", &len);
	ck_assert_str_eq(rc, "c\n");
	free(rc);

	vmx_bochs_remove(&d);
	ck_assert_int_eq(stat(d.path, &st), -1);
}
END_TEST

START_TEST(without_benches_or_areas_the_command_line_has_none)
{
	struct vmx_bochs_opts o = opts();
	struct vmx_bochs_dir d;
	char err[512], *disk;
	size_t len;

	put_image(10, true);
	ck_assert_int_eq(setenv("PATH", "/nonexistent", 1), 0);
	ck_assert_int_eq(vmx_bochs_run(&o, &d, err, sizeof(err)), -1);
	disk = slurp(&d, "floppy.img", &len);
	ck_assert_str_eq(disk + 512, "timing=emulated exit=bochs iters=3 warmup=1 msr-area=0,2");
	ck_assert_int_eq(disk[0x1f0], 1);
	free(disk);
	vmx_bochs_remove(&d);
}
END_TEST

static const struct {
	size_t ilen;		/* 0: no files at all */
	bool signed_boot;
	const char *why;
} bad_images[] = {
	{ 0, true, "cannot read " },
	{ 100, false, "/vmxboot.bin is not a boot sector" },
	{ 0x8f000 - 1024 + 1, true, "image too large for the floppy loader (584705 bytes)" },
};

START_TEST(refuses_a_missing_or_bad_image)
{
	struct vmx_bochs_opts o = opts();
	struct vmx_bochs_dir d;
	char err[512];
	struct stat st;

	if (bad_images[_i].ilen)
		put_image(bad_images[_i].ilen, bad_images[_i].signed_boot);
	ck_assert_int_eq(vmx_bochs_run(&o, &d, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, bad_images[_i].why), "'%s' does not say '%s'", err,
		      bad_images[_i].why);
	ck_assert_ptr_null(strchr(err, '\n'));
	/* the work directory exists, to be kept or removed */
	ck_assert_int_eq(stat(d.path, &st), 0);
	vmx_bochs_remove(&d);
	ck_assert_int_eq(stat(d.path, &st), -1);
}
END_TEST

START_TEST(no_work_directory_no_path)
{
	struct vmx_bochs_opts o = opts();
	struct vmx_bochs_dir d;
	char err[512], tmp[3100];

	ck_assert_int_eq(setenv("TMPDIR", "/nonexistent", 1), 0);
	ck_assert_int_eq(vmx_bochs_run(&o, &d, err, sizeof(err)), -1);
	ck_assert_msg(!strncmp(err, "mkdtemp /nonexistent/vmxb-bochs-", 32), "%s", err);
	ck_assert_str_eq(d.path, "");
	memset(tmp, 'x', sizeof(tmp) - 1);
	tmp[0] = '/';
	tmp[sizeof(tmp) - 1] = 0;
	ck_assert_int_eq(setenv("TMPDIR", tmp, 1), 0);
	ck_assert_int_eq(vmx_bochs_run(&o, &d, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "TMPDIR is too long");
	ck_assert_str_eq(d.path, "");
}
END_TEST

START_TEST(model_names_cannot_reach_past_their_line)
{
	char longest[65];

	ck_assert(vmx_bochs_model_ok("corei7_skylake_x"));
	ck_assert(vmx_bochs_model_ok("p4_prescott_celeron_336"));
	ck_assert(!vmx_bochs_model_ok(""));
	ck_assert(!vmx_bochs_model_ok("a b"));
	ck_assert(!vmx_bochs_model_ok("x\nmegs: 1"));
	ck_assert(!vmx_bochs_model_ok("x, count=2"));
	ck_assert(!vmx_bochs_model_ok("Corei7"));
	memset(longest, 'a', 64);
	longest[64] = 0;
	ck_assert(!vmx_bochs_model_ok(longest));
	longest[63] = 0;
	ck_assert(vmx_bochs_model_ok(longest));
}
END_TEST

/*
 * Bochs was stopped as soon as "VMXB 1 done" showed in its serial file,
 * which it writes a few bytes at a time: the log then ended "done o".
 * Only a whole done line counts.
 */
START_TEST(bochs_is_stopped_after_a_whole_done_line)
{
	char path[] = "/tmp/vmexit-serial-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");

	ck_assert_ptr_nonnull(f);
	fputs("VMXB 1 hello engine=1\r\nVMXB 1 done o", f);
	fflush(f);
	ck_assert(!vmx_serial_done(path));
	fputs("k", f);	/* the image ends its log without a newline */
	fflush(f);
	ck_assert(vmx_serial_done(path));
	fclose(f);
	unlink(path);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vmx_driver");
	TCase *tc = tcase_create("vmx_driver");

	tcase_add_checked_fixture(tc, setup, tmp_dir_teardown);
	tcase_add_test(tc, writes_the_floppy_and_bochsrc);
	tcase_add_test(tc, without_benches_or_areas_the_command_line_has_none);
	tcase_add_loop_test(tc, refuses_a_missing_or_bad_image, 0,
			    sizeof(bad_images) / sizeof(bad_images[0]));
	tcase_add_test(tc, no_work_directory_no_path);
	tcase_add_test(tc, model_names_cannot_reach_past_their_line);
	tcase_add_test(tc, bochs_is_stopped_after_a_whole_done_line);
	suite_add_tcase(s, tc);
	return check_run(s, false);
}
