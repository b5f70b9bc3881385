/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "split.h"
#include "stats.h"
#include "suite_state.h"
#include "tsc_stamp.h"

int split_stamps_alloc(struct user_stamps *u, uint64_t n)
{
	if (n < CAL_ITERATIONS)
		n = CAL_ITERATIONS;
	memset(u, 0, sizeof(*u));
	u->ret = malloc(n * sizeof(*u->ret));
	u->enter = malloc(n * sizeof(*u->enter));
	u->other = malloc(OTHER_RET_CAP * sizeof(*u->other));
	if (u->ret && u->enter && u->other)
		return 0;
	split_stamps_free(u);
	return -1;
}

void split_stamps_free(struct user_stamps *u)
{
	free(u->ret);
	free(u->enter);
	free(u->other);
	u->ret = u->enter = u->other = NULL;
}

static void handler_spin(void *arg)
{
	uint64_t end = stamp_begin() + *(const uint64_t *)arg;

	while (stamp_begin() < end)
		__builtin_ia32_pause();
}

void split_user_request(struct suite *s, struct user_stamps *u, struct run_req *req)
{
	req->host_ret = u->ret;
	req->host_enter = u->enter;
	req->other_ret = u->other;
	req->other_cap = OTHER_RET_CAP;
	if (s->handler_ticks) {
		req->handler_work = handler_spin;
		req->handler_arg = &s->handler_ticks;
	}
}

/* Guest and host stamps of the first @n exits, paired. NULL when out of memory. */
static struct host_stamps *pair_stamps(const struct user_stamps *u, size_t first, size_t n)
{
	struct host_stamps *h = malloc((n ? n : 1) * sizeof(*h));

	for (size_t i = 0; h && i < n; i++)
		h[i] = (struct host_stamps){ u->ret[first + i], u->enter[first + i] };
	return h;
}

/*
 * Guest and host stamps may only be mixed when both read one clock. The
 * offset was set to 0; this exchange checks that it took: the guest stamps
 * and OUTs, the host stamps when KVM_RUN returns and before re-entering,
 * and causality bounds guest - host (phases_tsc_bound). A bound that
 * excludes 0 or contradicts itself means the clocks differ (TSC scaling,
 * drift, an offset that did not stick).
 */
int split_calibrate(struct suite *s, int cpl, struct user_stamps *u, char *err,
		    size_t errlen)
{
	struct run_req req = {
		.payload = PAYLOAD_PIO_OUT, .cpl = cpl, .flags = suite_run_flags(s, cpl),
		.iterations = CAL_ITERATIONS, .arg0 = BENCH_PORT, .timeout_s = PROBE_TIMEOUT_S,
		.host_ret = u->ret, .host_enter = u->enter,
	};
	struct host_stamps *h;
	struct run_res res;

	u->cal_ok = false;
	if (s->tsc_untrusted[0]) {
		snprintf(u->cal_why, sizeof(u->cal_why), "%s", s->tsc_untrusted);
		return 0;
	}
	if (!s->vmh.vm.tsc_offset_zero) {
		snprintf(u->cal_why, sizeof(u->cal_why), "guest TSC offset could not be set "
			 "to 0 (%.140s)", s->vmh.vm.tsc_note);
		return 0;
	}
	if (run_payload(&s->vmh.vm, &req, &res) || res.bench_exits != CAL_ITERATIONS) {
		snprintf(u->cal_why, sizeof(u->cal_why), "the TSC calibration run failed: %.150s",
			 res.status != RUN_OK ? res.err : "not one OUT exit per iteration");
		return vmhold_renew(&s->vmh, err, errlen);
	}
	h = pair_stamps(u, 0, CAL_ITERATIONS);
	if (!h) {
		snprintf(u->cal_why, sizeof(u->cal_why), "out of memory");
		return 0;
	}
	phases_tsc_bound(vm_samples(&s->vmh.vm), h, CAL_ITERATIONS, &u->cal);
	free(h);
	u->cal_ok = phases_tsc_agree(&u->cal);
	if (!u->cal_ok)
		snprintf(u->cal_why, sizeof(u->cal_why), "guest and host TSC disagree: %d OUT "
			 "exchanges bound guest - host to [%lld, %lld] ticks, which %s",
			 CAL_ITERATIONS, (long long)u->cal.lo, (long long)u->cal.hi,
			 u->cal.lo > u->cal.hi ? "is empty (different rates or a jump)" :
			 "excludes 0");
	return 0;
}

int split_user(struct suite *s, struct bench_record *r, const struct user_stamps *u,
	       const struct run_res *res)
{
	const struct options *o = s->opt;
	const struct sample *smp = vm_samples(&s->vmh.vm) + o->warmup;
	size_t n = o->iterations, k;
	double *ph[PHASE_COUNT];
	struct phase_split_stats st;
	struct host_stamps *h;
	struct tsc_bound own;

	if (!u->cal_ok) {
		record_phase_note(r, "unavailable: %s", u->cal_why);
		return 0;
	}
	if (res->other_lost) {
		record_phase_note(r, "unavailable: more than %d other KVM_RUN returns, so "
				  "disturbed samples cannot be told apart", OTHER_RET_CAP);
		return 0;
	}
	h = pair_stamps(u, o->warmup, n);
	if (!h || record_split_alloc(ph, n)) {
		free(h);
		return -1;
	}
	/* The run's own stamps must obey the same causality as the calibration's. */
	phases_tsc_bound(smp, h, n, &own);
	k = 0;
	if (!phases_tsc_agree(&own)) {
		record_phase_note(r, "unavailable: this run's stamps bound guest - host TSC to "
				  "[%lld, %lld] ticks: the clocks disagree", (long long)own.lo,
				  (long long)own.hi);
	} else {
		k = phases_split(smp, h, n, u->other, res->nother, r->floor, ph[PHASE_EXIT],
				 ph[PHASE_HANDLER], ph[PHASE_ENTRY], &st);
		r->disturbed = st.disturbed;
		if (!k)
			record_phase_note(r, "unavailable: all %zu samples were disturbed", n);
		else
			record_phase_note(r, "host stamps around KVM_RUN; guest - host TSC in "
					  "[%lld, %lld] ticks (%d exchanges); %zu disturbed excluded "
					  "(%zu unbracketed, %zu other KVM_RUN return, %zu negative)",
					  (long long)u->cal.lo, (long long)u->cal.hi, CAL_ITERATIONS,
					  st.disturbed, st.unbracketed, st.extra_return, st.negative);
	}
	free(h);
	return record_split_store(r, ph, k);
}

const char *split_kernel_unsplit(const struct suite *s, const struct bench_def *b,
				 char *buf, size_t len)
{
	if (catalog_holds_several(b))
		snprintf(buf, len, "not split: a latency, not one exit: %s", b->latency);
	else if (b->interval == INTERVAL_ONE_STAMP)
		snprintf(buf, len, "not split: a wake-up latency (from the timer deadline to the "
			 "first instruction after HLT) holds the halt, the timer and the wake-up, "
			 "not one exit");
	else if (s->tsc_untrusted[0])
		snprintf(buf, len, "unavailable: %.240s", s->tsc_untrusted);
	else if (!s->trace)
		snprintf(buf, len, "unavailable: %s", s->trace_why);
	else
		return NULL;
	return buf;
}

int split_kernel(struct suite *s, struct bench_record *r, const struct trace_ev *ev, long nev,
		 uint64_t lost)
{
	const struct sample *smp = vm_samples(&s->vmh.vm) + s->opt->warmup;
	size_t n = s->opt->iterations, k;
	double *ph[PHASE_COUNT], *tot, on, off;
	struct trace_match_stats st;
	struct trace_match *m;

	m = malloc(n * sizeof(*m));
	tot = malloc(n * sizeof(*tot));
	if (!m || !tot || record_split_alloc(ph, n)) {
		free(m);
		free(tot);
		return -1;
	}
	phases_trace_match(smp, n, ev, (size_t)nev, m, &st);
	k = phases_from_trace(smp, m, n, r->floor, ph[PHASE_EXIT], ph[PHASE_HANDLER],
			      ph[PHASE_ENTRY]);
	r->disturbed = st.unmatched;
	for (size_t i = 0; i < n; i++)
		tot[i] = (double)(int64_t)(smp[i].after - smp[i].before) - r->floor;
	on = stats_median(tot, n);
	off = stats_median_of(r->samples[PHASE_TOTAL], r->nsamples);
	/* The phases' own total: the traced samples they were split from. */
	for (size_t i = 0, j = 0; i < n; i++)
		if (m[i].status == MATCH_OK)
			tot[j++] = (double)(int64_t)(smp[i].after - smp[i].before) - r->floor;
	r->split_total_median = k ? stats_median(tot, k) : 0;
	free(m);
	free(tot);
	if (!k)
		record_phase_note(r, "unavailable: no sample matched one kvm_exit and one "
				  "kvm_entry (%zu events lost, %zu extra, %llu dropped by the ring "
				  "buffer)", st.lost, st.extra, (unsigned long long)lost);
	else
		record_phase_note(r, "kvm_exit/kvm_entry, x86-tsc clock, traced rerun: tracing "
				  "adds %.0f ticks to the total median (%.0f off, %.0f on); %zu "
				  "unmatched excluded (%zu events lost, %zu extra, %llu dropped)",
				  on - off, off, on,
				  st.unmatched, st.lost, st.extra, (unsigned long long)lost);
	return record_split_store(r, ph, k);
}
