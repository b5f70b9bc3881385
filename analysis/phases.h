/* SPDX-License-Identifier: MIT */
/*
 * Splitting one exit's round trip into exit, handler and entry time.
 * Pure functions on stamps already collected, so they are unit-tested
 * without KVM or tracefs. All stamps are TSC ticks on one clock: the
 * caller has checked that guest and host TSC agree.
 */
#ifndef VMEXIT_PHASES_H
#define VMEXIT_PHASES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "control.h"
#include "stamps.h"

/* Why samples were left out of the phase statistics. */
struct phase_split_stats {
	size_t used;
	size_t disturbed;	/* sum of the three below (a sample counts once) */
	size_t unbracketed;	/* not before <= ret <= enter <= after */
	size_t extra_return;	/* another KVM_RUN return inside the sample */
	size_t negative;	/* a phase below zero after the floor came off */
};

/*
 * exit = ret - before, handler = enter - ret, entry = after - enter, with
 * half of @floor taken from exit and half from entry (the guest's start
 * stamp opens the exit phase, its end stamp closes the entry phase), so
 * the three add up to the floor-subtracted total sample by sample.
 *
 * @other_ret (sorted, @nother entries) are host stamps of KVM_RUN returns
 * that were not benchmark exits (signals, the watchdog): a sample holding
 * one was disturbed. Undisturbed samples' phases go, compacted, to
 * @exit, @handler, @entry (each @n long). Returns the number written.
 */
size_t phases_split(const struct sample *s, const struct host_stamps *h, size_t n,
		    const uint64_t *other_ret, size_t nother, double floor,
		    double *exit, double *handler, double *entry,
		    struct phase_split_stats *st);

/*
 * Bound on d = guest TSC - host TSC from stamps that causality orders:
 * the guest's stamp before exit i precedes the host's return i, the host's
 * entry stamp i precedes the guest's stamp after exit i, and so on across
 * neighbouring samples. d lies in [lo, hi]; lo > hi means no constant
 * offset explains the stamps (scaling, drift, or a broken offset).
 */
struct tsc_bound {
	int64_t lo, hi;
	size_t rounds;
};

int phases_tsc_bound(const struct sample *s, const struct host_stamps *h, size_t n,
		     struct tsc_bound *b);

/* True when the bound is consistent and allows d == 0. */
bool phases_tsc_agree(const struct tsc_bound *b);

enum match_status {
	MATCH_OK,		/* exactly one exit, then one entry */
	MATCH_LOST,		/* the exit or the entry is missing */
	MATCH_EXTRA,		/* more than one exit or entry: a second exit, or duplicates */
	MATCH_ORDER,		/* the entry came before the exit */
};

struct trace_match {
	enum match_status status;
	uint64_t exit_ts, entry_ts;	/* valid for MATCH_OK */
};

struct trace_match_stats {
	size_t matched;
	size_t unmatched;
	size_t lost;		/* events a sample needed but did not get */
	size_t extra;		/* events inside samples beyond one exit and one entry */
	size_t outside;		/* events between samples (other exits: not errors) */
};

/*
 * Matches events to samples by time. @s: @n samples, sorted and not
 * overlapping; @ev: @nev events sorted by ts. An event belongs to the
 * sample whose [before, after] holds it. One result per sample in @out.
 */
void phases_trace_match(const struct sample *s, size_t n, const struct trace_ev *ev,
			size_t nev, struct trace_match *out, struct trace_match_stats *st);

/*
 * Phases from matched samples, as phases_split() but from the events;
 * unmatched samples are left out. Returns the number written.
 */
size_t phases_from_trace(const struct sample *s, const struct trace_match *m, size_t n,
			 double floor, double *exit, double *handler, double *entry);

#endif
