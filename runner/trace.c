/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event-parse.h>
#include <tracefs.h>

#include "trace.h"

#define INSTANCE_NAME "vmexit_bench"
/* Per CPU: two ~50-byte events per exit, 100k exits fit. */
#define BUFFER_KB "16384"

struct trace_session {
	struct tracefs_instance *inst;
	struct tep_handle *tep;
	int exit_id, entry_id;
};

struct collect {
	struct trace_ev *ev;
	size_t n, cap;
	uint64_t lost;
	int exit_id, entry_id;
	int err;
};

void trace_close(struct trace_session *t)
{
	if (!t)
		return;
	if (t->inst) {
		tracefs_trace_off(t->inst);
		tracefs_event_disable(t->inst, "kvm", NULL);
		tracefs_instance_destroy(t->inst);
		tracefs_instance_free(t->inst);
	}
	if (t->tep)
		tep_free(t->tep);
	free(t);
}

static int write_file(struct trace_session *t, const char *file, const char *val)
{
	return tracefs_instance_file_write(t->inst, file, val) < 0 ? -1 : 0;
}

struct trace_session *trace_open(int tid, char *why, size_t whylen)
{
	const char *systems[] = { "kvm", NULL };
	struct trace_session *t;
	struct tep_event *e;
	char pid[32];

	if (geteuid() != 0) {
		snprintf(why, whylen, "tracing kvm:kvm_exit/kvm_entry needs root");
		return NULL;
	}
	if (!tracefs_tracing_dir()) {
		snprintf(why, whylen, "tracefs is not mounted and cannot be mounted");
		return NULL;
	}
	t = calloc(1, sizeof(*t));
	if (!t) {
		snprintf(why, whylen, "out of memory");
		return NULL;
	}
	t->tep = tracefs_local_events_system(NULL, systems);
	e = t->tep ? tep_find_event_by_name(t->tep, "kvm", "kvm_exit") : NULL;
	if (!e) {
		snprintf(why, whylen, "this kernel has no kvm:kvm_exit tracepoint");
		goto fail;
	}
	t->exit_id = e->id;
	e = tep_find_event_by_name(t->tep, "kvm", "kvm_entry");
	if (!e) {
		snprintf(why, whylen, "this kernel has no kvm:kvm_entry tracepoint");
		goto fail;
	}
	t->entry_id = e->id;
	/* A stale instance from a killed run would otherwise make create fail. */
	t->inst = tracefs_instance_alloc(NULL, INSTANCE_NAME);
	if (t->inst && tracefs_instance_exists(INSTANCE_NAME))
		tracefs_instance_destroy(t->inst);
	tracefs_instance_free(t->inst);
	t->inst = tracefs_instance_create(INSTANCE_NAME);
	if (!t->inst) {
		snprintf(why, whylen, "cannot create tracefs instance '%s': %s", INSTANCE_NAME,
			 strerror(errno));
		goto fail;
	}
	snprintf(pid, sizeof(pid), "%d", tid);
	tracefs_trace_off(t->inst);
	if (write_file(t, "trace_clock", "x86-tsc")) {
		snprintf(why, whylen, "the x86-tsc trace clock is not available");
		goto fail;
	}
	if (write_file(t, "buffer_size_kb", BUFFER_KB) ||
	    write_file(t, "set_event_pid", pid) ||
	    tracefs_event_enable(t->inst, "kvm", "kvm_exit") ||
	    tracefs_event_enable(t->inst, "kvm", "kvm_entry")) {
		snprintf(why, whylen, "cannot set up the tracefs instance: %s", strerror(errno));
		goto fail;
	}
	return t;
fail:
	trace_close(t);
	return NULL;
}

int trace_start(struct trace_session *t)
{
	if (tracefs_instance_file_clear(t->inst, "trace") < 0)
		return -1;
	return tracefs_trace_on(t->inst);
}

int trace_stop(struct trace_session *t)
{
	return tracefs_trace_off(t->inst);
}

static int collect_one(struct tep_event *e, struct tep_record *rec, int cpu, void *arg)
{
	struct collect *c = arg;

	(void)cpu;
	if (rec->missed_events > 0)
		c->lost += (uint64_t)rec->missed_events;
	if (e->id != c->exit_id && e->id != c->entry_id)
		return 0;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 4096;
		void *p = realloc(c->ev, cap * sizeof(*c->ev));

		if (!p) {
			c->err = ENOMEM;
			return 1;	/* stops the iteration */
		}
		c->ev = p;
		c->cap = cap;
	}
	c->ev[c->n].ts = rec->ts;
	c->ev[c->n].type = e->id == c->exit_id ? TRACE_EV_EXIT : TRACE_EV_ENTRY;
	c->n++;
	return 0;
}

static int cmp_ev(const void *a, const void *b)
{
	const struct trace_ev *x = a, *y = b;

	return x->ts < y->ts ? -1 : x->ts > y->ts;
}

long trace_collect(struct trace_session *t, struct trace_ev **out, uint64_t *lost,
		   char *why, size_t whylen)
{
	struct collect c = { .exit_id = t->exit_id, .entry_id = t->entry_id };

	*out = NULL;
	if (tracefs_iterate_raw_events(t->tep, t->inst, NULL, 0, collect_one, &c) < 0 &&
	    !c.err) {
		snprintf(why, whylen, "reading the trace buffer failed");
		free(c.ev);
		return -1;
	}
	if (c.err) {
		snprintf(why, whylen, "out of memory reading the trace");
		free(c.ev);
		return -1;
	}
	/* Per-CPU buffers: merge into one time order (qsort wants a non-NULL array). */
	if (c.n > 1)
		qsort(c.ev, c.n, sizeof(*c.ev), cmp_ev);
	*out = c.ev;
	*lost = c.lost;
	return (long)c.n;
}
