/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "phases.h"

/* First index in sorted @v whose value is > @t. */
static size_t upper_bound(const uint64_t *v, size_t n, uint64_t t)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid] <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Whether a non-benchmark KVM_RUN return lies strictly inside (a, b). */
static bool other_inside(const uint64_t *other, size_t nother, uint64_t a, uint64_t b)
{
	size_t i = upper_bound(other, nother, a);

	return i < nother && other[i] < b;
}

size_t phases_split(const struct sample *s, const struct host_stamps *h, size_t n,
		    const uint64_t *other_ret, size_t nother, double floor,
		    double *exit, double *handler, double *entry,
		    struct phase_split_stats *st)
{
	size_t k = 0;

	memset(st, 0, sizeof(*st));
	for (size_t i = 0; i < n; i++) {
		const struct sample *x = &s[i];
		double e, hd, en;

		if (!(x->before <= h[i].ret && h[i].ret <= h[i].enter &&
		      h[i].enter <= x->after)) {
			st->unbracketed++;
			continue;
		}
		if (other_inside(other_ret, nother, x->before, x->after)) {
			st->extra_return++;
			continue;
		}
		e = (double)(h[i].ret - x->before) - floor / 2;
		hd = (double)(h[i].enter - h[i].ret);
		en = (double)(x->after - h[i].enter) - floor / 2;
		if (e < 0 || en < 0) {
			st->negative++;
			continue;
		}
		exit[k] = e;
		handler[k] = hd;
		entry[k] = en;
		k++;
	}
	st->used = k;
	st->disturbed = st->unbracketed + st->extra_return + st->negative;
	return k;
}

static void tighten(struct tsc_bound *b, int64_t lo, int64_t hi)
{
	if (lo > b->lo)
		b->lo = lo;
	if (hi < b->hi)
		b->hi = hi;
}

int phases_tsc_bound(const struct sample *s, const struct host_stamps *h, size_t n,
		     struct tsc_bound *b)
{
	b->lo = INT64_MIN;
	b->hi = INT64_MAX;
	b->rounds = n;
	if (!n)
		return -1;
	for (size_t i = 0; i < n; i++) {
		/* host(before) <= ret and enter <= host(after), host(x) = x - d. */
		tighten(b, (int64_t)(s[i].before - h[i].ret), (int64_t)(s[i].after - h[i].enter));
		/* The next exit follows this sample's end; this entry precedes the next start. */
		if (i + 1 < n)
			tighten(b, (int64_t)(s[i].after - h[i + 1].ret),
				(int64_t)(s[i + 1].before - h[i].enter));
	}
	return 0;
}

bool phases_tsc_agree(const struct tsc_bound *b)
{
	return b->rounds && b->lo <= b->hi && b->lo <= 0 && b->hi >= 0;
}

void phases_trace_match(const struct sample *s, size_t n, const struct trace_ev *ev,
			size_t nev, struct trace_match *out, struct trace_match_stats *st)
{
	size_t j = 0;

	memset(st, 0, sizeof(*st));
	for (size_t i = 0; i < n; i++) {
		struct trace_match *m = &out[i];
		size_t nexit = 0, nentry = 0;
		bool order_ok = true;

		memset(m, 0, sizeof(*m));
		for (; j < nev && ev[j].ts < s[i].before; j++)
			st->outside++;
		for (; j < nev && ev[j].ts <= s[i].after; j++) {
			if (ev[j].type == TRACE_EV_EXIT) {
				if (!nexit++)
					m->exit_ts = ev[j].ts;
			} else {
				if (!nentry++)
					m->entry_ts = ev[j].ts;
				/* An entry with no exit before it in this sample. */
				if (!nexit)
					order_ok = false;
			}
		}
		st->lost += (nexit ? 0 : 1) + (nentry ? 0 : 1);
		st->extra += (nexit > 1 ? nexit - 1 : 0) + (nentry > 1 ? nentry - 1 : 0);
		if (nexit > 1 || nentry > 1) {
			m->status = MATCH_EXTRA;
		} else if (!nexit || !nentry) {
			m->status = MATCH_LOST;
		} else if (!order_ok) {
			/*
			 * The entry belongs to an exit the trace lost and this
			 * exit's entry is missing: one lost, one extra.
			 */
			m->status = MATCH_ORDER;
			st->lost++;
			st->extra++;
		} else {
			m->status = MATCH_OK;
		}
		if (m->status == MATCH_OK)
			st->matched++;
		else
			st->unmatched++;
	}
	st->outside += nev - j;
}

size_t phases_from_trace(const struct sample *s, const struct trace_match *m, size_t n,
			 double floor, double *exit, double *handler, double *entry)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (m[i].status != MATCH_OK)
			continue;
		exit[k] = (double)(m[i].exit_ts - s[i].before) - floor / 2;
		handler[k] = (double)(m[i].entry_ts - m[i].exit_ts);
		entry[k] = (double)(s[i].after - m[i].entry_ts) - floor / 2;
		k++;
	}
	return k;
}
