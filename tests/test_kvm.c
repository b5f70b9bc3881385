/* SPDX-License-Identifier: MIT */
/*
 * Integration tests on /dev/kvm: every benchmark with a small iteration
 * count, the exits it must cause, and the failure paths (faulting guest,
 * hung guest). Skipped, and reported so, where /dev/kvm is not usable.
 */
#define _GNU_SOURCE
#include "check_main.h"
#include <string.h>
#include <time.h>

#include "kvm_test.h"
#include "run.h"
#include "suite.h"

#define ITER 300
#define WARM 50

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static struct vm vm;

static void vm_setup(void)
{
	char err[256];

	ck_assert_msg(run_init(err, sizeof(err)) == 0, "%s", err);
	ck_assert_msg(vm_create(&vm, 1 << 20, err, sizeof(err)) == 0, "%s", err);
}

static void vm_teardown(void)
{
	vm_destroy(&vm);
}

static struct run_req req(enum payload p, int cpl, uint64_t iters, double timeout)
{
	struct run_req r = {
		.payload = p, .cpl = cpl, .iterations = iters, .timeout_s = timeout,
		.arg0 = p == PAYLOAD_PIO_OUT || p == PAYLOAD_PIO_IN ? BENCH_PORT :
			p == PAYLOAD_MMIO_WRITE || p == PAYLOAD_MMIO_READ ? GPA_MMIO : 0,
	};
	return r;
}

START_TEST(guest_stamps_are_ordered)
{
	struct run_req r = req(PAYLOAD_NOP, 3, 1000, 2);
	struct run_res res;
	const struct sample *s = (const struct sample *)(vm.mem + GPA_SAMPLES);

	ck_assert_msg(run_payload(&vm, &r, &res) == 0, "%s", res.err);
	ck_assert_uint_eq(res.completed, 1000);
	for (int i = 0; i < 1000; i++) {
		ck_assert_uint_le(s[i].before, s[i].after);
		if (i)
			ck_assert_uint_ge(s[i].before, s[i - 1].after);
	}
}
END_TEST

START_TEST(each_iteration_exits_once)
{
	const enum payload p[] = { PAYLOAD_PIO_OUT, PAYLOAD_PIO_IN, PAYLOAD_MMIO_WRITE,
				   PAYLOAD_MMIO_READ };
	struct run_res res;

	for (size_t i = 0; i < sizeof(p) / sizeof(p[0]); i++) {
		struct run_req r = req(p[i], 3, 257, 2);

		ck_assert_msg(run_payload(&vm, &r, &res) == 0, "%s", res.err);
		ck_assert_uint_eq(res.bench_io + res.bench_mmio, 257);
		ck_assert_uint_eq(p[i] <= PAYLOAD_PIO_IN ? res.bench_io : res.bench_mmio, 257);
	}
}
END_TEST

START_TEST(faulting_guest_is_reported)
{
	for (int cpl = 3; cpl >= 0; cpl -= 3) {
		struct run_req r = req(PAYLOAD_PROBE_UD2, cpl, 1, 2);
		struct run_res res;

		ck_assert_int_eq(run_payload(&vm, &r, &res), -1);
		ck_assert_int_eq(res.status, RUN_EXCEPTION);
		ck_assert_msg(strstr(res.err, "#UD (vector 6"), "%s", res.err);
		ck_assert_ptr_nonnull(strstr(res.err, "RIP 0x"));
		ck_assert_ptr_null(strchr(res.err, '\n'));
		ck_assert_msg(strstr(res.dump, "code at RIP"), "%s", res.dump);
		ck_assert_ptr_nonnull(strstr(res.dump, "RAX"));
	}
}
END_TEST

START_TEST(hung_guest_is_stopped)
{
	struct run_req r = req(PAYLOAD_PROBE_SPIN, 3, 1, 0.3);
	struct run_res res;
	char err[256];
	double t0 = now();

	ck_assert_int_eq(run_payload(&vm, &r, &res), -1);
	ck_assert_int_eq(res.status, RUN_TIMEOUT);
	ck_assert_msg(strstr(res.err, "watchdog"), "%s", res.err);
	ck_assert_double_lt(now() - t0, 2.0);
	ck_assert_ptr_nonnull(strstr(res.dump, "RIP"));
	/* A fresh VM runs normally afterwards. */
	vm_destroy(&vm);
	ck_assert_msg(vm_create(&vm, 1 << 20, err, sizeof(err)) == 0, "%s", err);
	r = req(PAYLOAD_PIO_OUT, 3, 10, 2);
	ck_assert_msg(run_payload(&vm, &r, &res) == 0, "%s", res.err);
}
END_TEST

START_TEST(unknown_payload_fails_cleanly)
{
	struct run_req r = req(PAYLOAD_MAX, 3, 1, 2);
	struct run_res res;

	ck_assert_int_eq(run_payload(&vm, &r, &res), -1);
	ck_assert_int_eq(res.status, RUN_GUEST_FAILED);
	ck_assert_msg(strstr(res.err, "unknown payload"), "%s", res.err);
}
END_TEST

/* The whole catalog through the suite, as `vmexit-bench` runs it. */
static struct options opt;
static struct suite suite;
static bool selected[64];

static const struct bench_record *find(const char *name)
{
	for (size_t i = 0; i < suite.rec.nbench; i++)
		if (strcmp(suite.rec.bench[i].name, name) == 0)
			return &suite.rec.bench[i];
	return NULL;
}

static void suite_setup(void)
{
	char err[256];
	char *argv[] = { "vmexit-bench", "--iterations", "300", "--warmup", "50",
			 "--timeout", "0.5", NULL };

	ck_assert_int_eq(cli_parse(7, argv, &opt, err, sizeof(err)), 0);
	ck_assert_int_eq(cli_select(&opt, selected, err, sizeof(err)), 0);
	ck_assert_msg(suite_init(&suite, &opt, err, sizeof(err)) == 0, "%s", err);
	suite_run(&suite, selected);
}

static void suite_teardown(void)
{
	suite_free(&suite);
}

START_TEST(catalog_results_are_honest)
{
	for (size_t i = 0; i < bench_catalog_size; i++) {
		const struct bench_def *b = &bench_catalog[i];
		const struct bench_record *r = find(b->name);

		if (b->needs & HIDDEN)
			continue;
		ck_assert_msg(r, "%s has no result", b->name);
		if (r->status != BENCH_OK) {
			/* No number, and a reason instead. */
			ck_assert_msg(r->reason[0], "%s: no reason", b->name);
			ck_assert(!r->has_phase[PHASE_TOTAL]);
			if (r->status == BENCH_UNSUPPORTED)
				ck_assert_msg(strncmp(r->reason, "unsupported here: ", 18) == 0,
					      "%s", r->reason);
			continue;
		}
		const struct summary_row *t = &r->rows[PHASE_TOTAL];

		ck_assert_uint_eq(r->nsamples, ITER);
		ck_assert_uint_eq(t->samples, ITER);
		ck_assert(t->min <= t->p25 && t->p25 <= t->median && t->median <= t->p75 &&
			  t->p75 <= t->p99 && t->p99 <= t->max);
		ck_assert_str_eq(t->unit, "tsc_ticks");
		if (b->check == CHECK_NONE) {
			ck_assert_double_eq(t->median, 0);	/* the floor subtracts itself */
			continue;
		}
		/* An exit costs far more than the fenced stamps around a NOP. */
		ck_assert_msg(t->median > 100, "%s median %.0f", b->name, t->median);
		ck_assert_msg(r->exits_seen >= ITER + WARM, "%s: %s", b->name, r->exit_check);
	}
}
END_TEST

START_TEST(user_exits_measured_everywhere)
{
	/* KVM always returns these to userspace, on any backend. */
	const char *must[] = { "nop", "pio_out_user", "pio_in_user", "mmio_write_user",
			       "mmio_read_user", "hlt_user" };

	for (size_t i = 0; i < sizeof(must) / sizeof(must[0]); i++) {
		const struct bench_record *r = find(must[i]);

		ck_assert_msg(r && r->status == BENCH_OK, "%s: %s", must[i],
			      r ? r->reason : "missing");
	}
	if (suite.caps.cpl0_emulated) {
		ck_assert_int_eq(find("pio_out_user")->cpl, 3);
		ck_assert(find("hlt_user")->emulated);
	}
}
END_TEST

START_TEST(cpuid_answer_is_checked)
{
	const struct bench_record *r = find("cpuid");

	ck_assert_ptr_nonnull(r);
	/* Measured only when KVM answered; otherwise refused with that reason. */
	if (r->status == BENCH_OK)
		ck_assert_ptr_nonnull(strstr(r->exit_check, "exits"));
	else
		ck_assert_msg(strstr(r->reason, "CPUID") || strstr(r->reason, "emulated"),
			      "%s", r->reason);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("kvm");
	TCase *raw = tcase_create("run_payload");
	TCase *cat = tcase_create("catalog");

	require_kvm_or_skip(8);
	tcase_add_checked_fixture(raw, vm_setup, vm_teardown);
	tcase_set_timeout(raw, 30);
	tcase_add_test(raw, guest_stamps_are_ordered);
	tcase_add_test(raw, each_iteration_exits_once);
	tcase_add_test(raw, faulting_guest_is_reported);
	tcase_add_test(raw, hung_guest_is_stopped);
	tcase_add_test(raw, unknown_payload_fails_cleanly);
	suite_add_tcase(s, raw);
	tcase_add_unchecked_fixture(cat, suite_setup, suite_teardown);
	tcase_set_timeout(cat, 60);
	tcase_add_test(cat, catalog_results_are_honest);
	tcase_add_test(cat, user_exits_measured_everywhere);
	tcase_add_test(cat, cpuid_answer_is_checked);
	suite_add_tcase(s, cat);
	/* One process: the suite fixture runs the catalog once for three tests. */
	return check_run(s, true);
}
