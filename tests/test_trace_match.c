/* SPDX-License-Identifier: MIT */
/*
 * Matching kvm:kvm_exit/kvm_entry events to guest samples by time, on
 * synthetic event streams: the clean case, lost and extra events, events
 * between samples, and the phase values computed from a match.
 */
#include "check_main.h"
#include <string.h>

#include "phases.h"

#define N 8
/* Sample i spans [1000 i + 100, 1000 i + 900]; its exit at +300, its entry at +600. */
static struct sample smp[N];
static struct trace_ev ev[4 * N];
static struct trace_match m[N];
static struct trace_match_stats st;

static void make_samples(void)
{
	for (int i = 0; i < N; i++) {
		smp[i].before = 1000ull * i + 100;
		smp[i].after = 1000ull * i + 900;
	}
}

/* The clean stream: one exit and one entry inside each sample. */
static size_t clean_stream(struct trace_ev *e)
{
	size_t k = 0;

	for (int i = 0; i < N; i++) {
		e[k++] = (struct trace_ev){ 1000ull * i + 300, TRACE_EV_EXIT };
		e[k++] = (struct trace_ev){ 1000ull * i + 600, TRACE_EV_ENTRY };
	}
	return k;
}

static void drop(struct trace_ev *e, size_t *n, size_t at)
{
	memmove(&e[at], &e[at + 1], (*n - at - 1) * sizeof(*e));
	(*n)--;
}

static void insert(struct trace_ev *e, size_t *n, size_t at, struct trace_ev x)
{
	memmove(&e[at + 1], &e[at], (*n - at) * sizeof(*e));
	e[at] = x;
	(*n)++;
}

static void assert_only_bad(int bad, enum match_status want)
{
	for (int i = 0; i < N; i++)
		ck_assert_int_eq(m[i].status, i == bad ? want : MATCH_OK);
	ck_assert_uint_eq(st.matched, N - 1);
	ck_assert_uint_eq(st.unmatched, 1);
}

START_TEST(clean_stream_matches_every_sample)
{
	size_t n = clean_stream(ev);

	make_samples();
	phases_trace_match(smp, N, ev, n, m, &st);
	ck_assert_uint_eq(st.matched, N);
	ck_assert_uint_eq(st.unmatched + st.lost + st.extra + st.outside, 0);
	for (int i = 0; i < N; i++) {
		ck_assert_int_eq(m[i].status, MATCH_OK);
		ck_assert_uint_eq(m[i].exit_ts, 1000ull * i + 300);
		ck_assert_uint_eq(m[i].entry_ts, 1000ull * i + 600);
	}
}
END_TEST

START_TEST(lost_exit_is_counted)
{
	size_t n = clean_stream(ev);

	make_samples();
	drop(ev, &n, 2 * 3);		/* sample 3's exit */
	phases_trace_match(smp, N, ev, n, m, &st);
	assert_only_bad(3, MATCH_LOST);
	ck_assert_uint_eq(st.lost, 1);
	ck_assert_uint_eq(st.extra, 0);
}
END_TEST

START_TEST(lost_entry_is_counted)
{
	size_t n = clean_stream(ev);

	make_samples();
	drop(ev, &n, 2 * 5 + 1);	/* sample 5's entry */
	phases_trace_match(smp, N, ev, n, m, &st);
	assert_only_bad(5, MATCH_LOST);
	ck_assert_uint_eq(st.lost, 1);
	ck_assert_uint_eq(st.extra, 0);
}
END_TEST

START_TEST(second_exit_inside_sample_is_extra)
{
	size_t n = clean_stream(ev);

	make_samples();
	/* An interrupt exit and its entry inside sample 2, after the benchmark's. */
	insert(ev, &n, 2 * 2 + 2, (struct trace_ev){ 2000 + 700, TRACE_EV_EXIT });
	insert(ev, &n, 2 * 2 + 3, (struct trace_ev){ 2000 + 800, TRACE_EV_ENTRY });
	phases_trace_match(smp, N, ev, n, m, &st);
	assert_only_bad(2, MATCH_EXTRA);
	ck_assert_uint_eq(st.extra, 2);
	ck_assert_uint_eq(st.lost, 0);
}
END_TEST

START_TEST(duplicate_entry_is_extra)
{
	size_t n = clean_stream(ev);

	make_samples();
	insert(ev, &n, 2 * 6 + 2, (struct trace_ev){ 6000 + 650, TRACE_EV_ENTRY });
	phases_trace_match(smp, N, ev, n, m, &st);
	assert_only_bad(6, MATCH_EXTRA);
	ck_assert_uint_eq(st.extra, 1);
}
END_TEST

START_TEST(entry_before_exit_is_unmatched)
{
	size_t n = clean_stream(ev);

	make_samples();
	/* Sample 4's stream: an orphan entry, then an exit whose entry is missing. */
	ev[2 * 4] = (struct trace_ev){ 4000 + 300, TRACE_EV_ENTRY };
	ev[2 * 4 + 1] = (struct trace_ev){ 4000 + 600, TRACE_EV_EXIT };
	phases_trace_match(smp, N, ev, n, m, &st);
	assert_only_bad(4, MATCH_ORDER);
	ck_assert_uint_eq(st.lost, 1);
	ck_assert_uint_eq(st.extra, 1);
}
END_TEST

START_TEST(events_between_samples_are_outside)
{
	size_t n = clean_stream(ev);

	make_samples();
	/* Exits between samples (the guest's own ucall, an interrupt): not errors. */
	insert(ev, &n, 0, (struct trace_ev){ 50, TRACE_EV_EXIT });
	insert(ev, &n, 1, (struct trace_ev){ 60, TRACE_EV_ENTRY });
	insert(ev, &n, 2 + 2 * 1, (struct trace_ev){ 950, TRACE_EV_EXIT });
	ev[n++] = (struct trace_ev){ 1000ull * N + 5, TRACE_EV_ENTRY };
	phases_trace_match(smp, N, ev, n, m, &st);
	ck_assert_uint_eq(st.matched, N);
	ck_assert_uint_eq(st.outside, 4);
	ck_assert_uint_eq(st.lost + st.extra, 0);
}
END_TEST

START_TEST(empty_stream_loses_everything)
{
	make_samples();
	phases_trace_match(smp, N, ev, 0, m, &st);
	ck_assert_uint_eq(st.matched, 0);
	ck_assert_uint_eq(st.unmatched, N);
	ck_assert_uint_eq(st.lost, 2 * N);
	for (int i = 0; i < N; i++)
		ck_assert_int_eq(m[i].status, MATCH_LOST);
}
END_TEST

START_TEST(boundary_events_belong_to_the_sample)
{
	size_t n = 0;

	make_samples();
	/* Stamps equal to the guest's own: still inside (clock granularity). */
	for (int i = 0; i < N; i++) {
		ev[n++] = (struct trace_ev){ smp[i].before, TRACE_EV_EXIT };
		ev[n++] = (struct trace_ev){ smp[i].after, TRACE_EV_ENTRY };
	}
	phases_trace_match(smp, N, ev, n, m, &st);
	ck_assert_uint_eq(st.matched, N);
}
END_TEST

START_TEST(phases_from_matches_add_up)
{
	double ex[N], hd[N], en[N];
	size_t n = clean_stream(ev), k;

	make_samples();
	drop(ev, &n, 0);		/* sample 0 unmatched: left out */
	phases_trace_match(smp, N, ev, n, m, &st);
	k = phases_from_trace(smp, m, N, 40, ex, hd, en);
	ck_assert_uint_eq(k, N - 1);
	for (size_t i = 0; i < k; i++) {
		ck_assert_double_eq(ex[i], 200 - 20);
		ck_assert_double_eq(hd[i], 300);
		ck_assert_double_eq(en[i], 300 - 20);
		/* The three add up to the floor-subtracted total. */
		ck_assert_double_eq(ex[i] + hd[i] + en[i], 800 - 40);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("trace_match");
	TCase *t = tcase_create("match");

	tcase_add_test(t, clean_stream_matches_every_sample);
	tcase_add_test(t, lost_exit_is_counted);
	tcase_add_test(t, lost_entry_is_counted);
	tcase_add_test(t, second_exit_inside_sample_is_extra);
	tcase_add_test(t, duplicate_entry_is_extra);
	tcase_add_test(t, entry_before_exit_is_unmatched);
	tcase_add_test(t, events_between_samples_are_outside);
	tcase_add_test(t, empty_stream_loses_everything);
	tcase_add_test(t, boundary_events_belong_to_the_sample);
	tcase_add_test(t, phases_from_matches_add_up);
	suite_add_tcase(s, t);
	return check_run(s, false);
}
