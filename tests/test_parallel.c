/* SPDX-License-Identifier: MIT */
/*
 * --parallel N: a row on N vCPUs of one VM at once. On KVM: the siblings
 * run the same payload with their own control blocks, stacks and samples
 * (an exception on one lands in its own report), every vCPU's exits are
 * proven by its own counters, the pooled row is exactly its vCPUs'
 * samples, and the rows that cannot run at once say why. Without KVM
 * these cases run in the lane (tests/kvm_test.h).
 */
#define _GNU_SOURCE
#include "check_main.h"
#include <string.h>

#include "cli.h"
#include "kvm_test.h"
#include "parallel.h"
#include "probe.h"
#include "run.h"
#include "suite.h"
#include "suite_fixture.h"
#include "vm.h"

/*
 * Enough for the vCPUs' loops to overlap on a loaded emulator, whose host
 * runs each emulated CPU as a thread that may wait a time slice or more.
 */
#define ITER 2000
#define WARM 200
#define NVCPU 2

/*
 * Whether this host shares CPUs between the vCPUs under Bochs, where a
 * spinning vCPU never gives a shared CPU back: the plan refuses --parallel
 * there (bench/plan.c), and these cases take that branch.
 */
static bool bochs_shares_cpus(void)
{
	struct host_caps c = { 0 };

	probe_host_facts(&c);
	return caps_spin_starves(&c, NVCPU);
}

/* The run_payload level: vCPU 0 here, a sibling on its thread. */
START_TEST(sibling_reports_its_own_exception)
{
	struct run_req rq = { .payload = PAYLOAD_PROBE_UD2, .cpl = 0, .iterations = 1,
			      .timeout_s = 2 };
	struct par_run *p = calloc(1, sizeof(*p));
	struct run_res res0;
	struct vm vm;
	char err[256];

	ck_assert_ptr_nonnull(p);
	if (bochs_shares_cpus()) {
		printf("NOTE: sibling_reports_its_own_exception: not run here: Bochs with one "
		       "CPU (the vCPUs would stall at the start gate)\n");
		free(p);
		return;
	}
	ck_assert_msg(run_init(err, sizeof(err)) == 0, "%s", err);
	ck_assert_msg(vm_create(&vm, 4 * par_sample_stride(1), err, sizeof(err)) == 0, "%s", err);
	ck_assert_msg(par_start(p, &vm, NVCPU, &rq, par_sample_stride(1), 0, sched_getcpu(), err,
				sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(run_payload(&vm, &rq, &res0), -1);
	par_join(p);
	/* Each vCPU's #UD is in its own control block, reported by its own thread. */
	ck_assert_int_eq(res0.status, RUN_EXCEPTION);
	ck_assert_int_eq(p->v[1].res.status, RUN_EXCEPTION);
	ck_assert_msg(strstr(p->v[1].res.err, "#UD (vector 6"), "%s", p->v[1].res.err);
	ck_assert_uint_eq(vm_ctl(&p->v[1].view)->exc_vector, 6);
	ck_assert_uint_eq(vm_ctl(&vm)->exc_vector, 6);
	ck_assert_ptr_ne(vm_ctl(&p->v[1].view), vm_ctl(&vm));
	/* CPL3 is refused before anything runs: the vCPUs would share one ring-0 stack. */
	rq.cpl = 3;
	ck_assert_int_eq(par_start(p, &vm, NVCPU, &rq, par_sample_stride(1), 0, 0, err,
				   sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "CPL0"));
	ck_assert_int_eq(p->n, 0);
	vm_destroy(&vm);
	free(p);
}
END_TEST

/* A few rows through the suite with --parallel, as `vmexit-bench --parallel 2` runs them. */
static struct options opt;
static struct suite suite;

static const struct bench_record *find(const char *name)
{
	return suite_fixture_find(&suite, name);
}

static void suite_setup(void)
{
	static const char *const args[] = {
		"--iterations", "2000", "--warmup", "200", "--cpl", "0", "--parallel", "2",
		"nop", "cpuid", "vmcall", "pio_out_user", "rdmsr_user", "hlt_user", "cr0_toggle",
		"ept_fault_in", "ept_write_protect", "x2apic_self_ipi", "pio_out_kernel",
	};

	suite_fixture_run(&suite, &opt, args, (int)(sizeof(args) / sizeof(args[0])));
}

static void suite_teardown(void)
{
	suite_free(&suite);
}

/* Of a row measured at once: NAME, then NAME@vcpu0 .. NAME@vcpuN-1, each proven. */
START_TEST(each_vcpu_proven_and_pooled)
{
	const char *rows[] = { "cpuid", "vmcall", "pio_out_user", "rdmsr_user", "hlt_user",
			       "cr0_toggle", "ept_fault_in" };
	int measured = 0;

	ck_assert_uint_eq(suite.rec.parallel, NVCPU);
	/* The floor is measured on vCPU 0 alone: it is the stamps' cost, not an exit's. */
	ck_assert_ptr_nonnull(find("nop"));
	ck_assert_ptr_null(find("nop@vcpu0"));
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct bench_record *pool = find(rows[i]), *v[NVCPU];
		double lo = 1e300, hi = -1e300;
		size_t sum = 0;
		char name[64];

		ck_assert_msg(pool, "%s: no pooled row", rows[i]);
		snprintf(name, sizeof(name), "%s@vcpu0", rows[i]);
		if (!find(name)) {
			/* Decided before running (the plan): one row with its reason. */
			ck_assert_msg(pool->status != BENCH_OK && pool->reason[0], "%s", rows[i]);
			continue;
		}
		for (int k = 0; k < NVCPU; k++) {
			snprintf(name, sizeof(name), "%s@vcpu%d", rows[i], k);
			v[k] = find(name);
			ck_assert_msg(v[k], "%s: no row", name);
			/* One verdict for the row: a vCPU that did not prove it, none do. */
			ck_assert_msg(v[k]->status == pool->status, "%s: %s / %s", name, v[k]->reason,
				      pool->reason);
		}
		if (pool->status != BENCH_OK) {
			ck_assert_msg(pool->reason[0], "%s: no reason", rows[i]);
			/* The verdict's opening words first, then which vCPU gave it. */
			if (pool->status == BENCH_UNSUPPORTED)
				ck_assert_msg(!strncmp(pool->reason, "unsupported here: ", 18), "%s",
					      pool->reason);
			ck_assert(!pool->has_phase[PHASE_TOTAL]);
			continue;
		}
		measured++;
		for (int k = 0; k < NVCPU; k++) {
			const struct summary_row *t = &v[k]->rows[PHASE_TOTAL];

			/* Its own exits, from its own counters, beside its own samples. */
			ck_assert_msg(v[k]->exits_seen + v[k]->stepped_over >= ITER + WARM, "%s@vcpu%d: %s",
				      rows[i], k, v[k]->exit_check);
			ck_assert_msg(strstr(v[k]->exit_check, "while all 2 vCPUs"), "%s",
				      v[k]->exit_check);
			ck_assert(v[k]->nsamples > 0 && v[k]->nsamples <= ITER);
			sum += v[k]->nsamples;
			lo = t->median < lo ? t->median : lo;
			hi = t->median > hi ? t->median : hi;
		}
		/* The pool is exactly its vCPUs' samples: its median lies between theirs. */
		ck_assert_uint_eq(pool->nsamples, sum);
		ck_assert_msg(pool->rows[PHASE_TOTAL].median >= lo &&
			      pool->rows[PHASE_TOTAL].median <= hi, "%s: pooled median %.0f "
			      "outside [%.0f, %.0f]", rows[i], pool->rows[PHASE_TOTAL].median, lo, hi);
		ck_assert_msg(strstr(pool->exit_check, "2 vCPUs at once"), "%s", pool->exit_check);
		ck_assert_msg(strstr(pool->phase_note, "--parallel"), "%s", pool->phase_note);
	}
	/* Exits to userspace are taken on every backend: something was measured ... */
	if (!bochs_shares_cpus()) {
		ck_assert_int_ge(measured, 2);
		return;
	}
	/* ... except where the plan refuses --parallel, and says so for every row. */
	ck_assert_int_eq(measured, 0);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		ck_assert_msg(strstr(find(rows[i])->reason, "--parallel"), "%s: %s", rows[i],
			      find(rows[i])->reason);
}
END_TEST

START_TEST(rows_that_cannot_run_at_once_say_why)
{
	/* ept_write_protect's refusal is in test_cli: under PML it is unsupported for its own reason. */
	const char *rows[] = { "x2apic_self_ipi", "pio_out_kernel" };

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct bench_record *r = find(rows[i]);
		char name[64];

		ck_assert_msg(r, "%s: missing", rows[i]);
		ck_assert_int_eq(r->status, BENCH_UNSUPPORTED);
		ck_assert_msg(strstr(r->reason, "--parallel"), "%s: %s", rows[i], r->reason);
		snprintf(name, sizeof(name), "%s@vcpu0", rows[i]);
		ck_assert_ptr_null(find(name));
	}
}
END_TEST

int main(void)
{
	int ntests = 0;
	Suite *s = suite_create("parallel");
	TCase *raw = tcase_create("siblings");
	TCase *cat = tcase_create("suite");

	tcase_set_timeout(raw, 30);
	tcase_add_test(raw, sibling_reports_its_own_exception);
	ntests++;
	kvm_tcase_add(s, raw);
	tcase_add_unchecked_fixture(cat, suite_setup, suite_teardown);
	tcase_set_timeout(cat, 60);
	tcase_add_test(cat, each_vcpu_proven_and_pooled);
	tcase_add_test(cat, rows_that_cannot_run_at_once_say_why);
	ntests += 2;
	kvm_tcase_add(s, cat);
	if (!kvm_cases_run_here(ntests))
		return 77;
	return check_run(s, true);
}
