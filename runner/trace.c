/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event-parse.h>
#include <tracefs.h>

#include "hostwatch.h"
#include "trace.h"

/* Per process ("vmexit_bench_<pid>"): two runs at once must not share one. */
#define INSTANCE_PREFIX "vmexit_bench_"
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

struct stale {
	char names[64][64];
	int n;
};

/* "vmexit_bench_<pid>" whose process is gone: a killed run's. */
static int note_stale(const char *name, void *arg)
{
	struct stale *st = arg;
	size_t k = strlen(INSTANCE_PREFIX);
	char *end;
	long pid;

	if (strncmp(name, INSTANCE_PREFIX, k) || !name[k] || name[k] < '0' || name[k] > '9')
		return 0;
	pid = strtol(name + k, &end, 10);
	if (*end || pid <= 0 || pid == getpid() || !(kill((pid_t)pid, 0) && errno == ESRCH))
		return 0;
	if (st->n < 64)
		snprintf(st->names[st->n++], sizeof(st->names[0]), "%s", name);
	return 0;
}

int trace_remove_stale(void)
{
	struct stale st = { .n = 0 };
	int removed = 0;

	/* Collected first: the walk must not see the directory change under it. */
	tracefs_instances_walk(note_stale, &st);
	for (int i = 0; i < st.n; i++) {
		struct tracefs_instance *inst = tracefs_instance_alloc(NULL, st.names[i]);

		if (!inst)
			continue;
		tracefs_trace_off(inst);
		tracefs_event_disable(inst, NULL, NULL);
		removed += tracefs_instance_destroy(inst) == 0;
		tracefs_instance_free(inst);
	}
	return removed;
}

struct trace_session *trace_open(int tid, char *why, size_t whylen)
{
	const char *systems[] = { "kvm", NULL };
	struct trace_session *t;
	struct tep_event *e;
	char name[64], filter[64];

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
	trace_remove_stale();
	snprintf(name, sizeof(name), INSTANCE_PREFIX "%d", (int)getpid());
	t->inst = tracefs_instance_create(name);
	if (!t->inst) {
		snprintf(why, whylen, "cannot create tracefs instance '%s': %s", name,
			 strerror(errno));
		goto fail;
	}
	tracefs_trace_off(t->inst);
	if (write_file(t, "trace_clock", "x86-tsc")) {
		snprintf(why, whylen, "the x86-tsc trace clock is not available");
		goto fail;
	}
	/*
	 * The thread's events only: a filter on each event, set once. (Not
	 * set_event_pid, which hooks the scheduler's tracepoints: enabling and
	 * disabling them at every traced rerun patched __schedule's code each
	 * time, IPIs to every CPU included.)
	 */
	snprintf(filter, sizeof(filter), "common_pid == %d", tid);
	/*
	 * No comm recording: it hooks sched_switch whenever an event is
	 * enabled, which would patch __schedule at every start and stop. The
	 * events' pids are all we read. (Best effort: where the option is
	 * missing, tracing works as before.)
	 */
	write_file(t, "options/record-cmd", "0");
	if (write_file(t, "buffer_size_kb", BUFFER_KB) ||
	    tracefs_event_file_write(t->inst, "kvm", "kvm_exit", "filter", filter) < 0 ||
	    tracefs_event_file_write(t->inst, "kvm", "kvm_entry", "filter", filter) < 0) {
		snprintf(why, whylen, "cannot set up the tracefs instance: %s", strerror(errno));
		goto fail;
	}
	/* The events can be enabled: checked once here, so a run knows early. */
	if (trace_start(t) || trace_stop(t)) {
		snprintf(why, whylen, "cannot enable kvm:kvm_exit/kvm_entry for thread %d: %s",
			 tid, strerror(errno));
		goto fail;
	}
	return t;
fail:
	trace_close(t);
	return NULL;
}

/*
 * An enabled event costs every exit of every VM its tracepoint's work
 * (hundreds of instructions under Bochs), recording or not: the events
 * exist only between start and stop, so nothing of the tracing is live
 * while a total is measured. (Enabling one patches KVM's exit path, which
 * only a running vCPU executes: the measuring thread is not in KVM_RUN.)
 */
int trace_start(struct trace_session *t)
{
	if (tracefs_instance_file_clear(t->inst, "trace") < 0 ||
	    tracefs_event_enable(t->inst, "kvm", "kvm_exit") ||
	    tracefs_event_enable(t->inst, "kvm", "kvm_entry"))
		return -1;
	return tracefs_trace_on(t->inst);
}

int trace_stop(struct trace_session *t)
{
	int rc = tracefs_trace_off(t->inst);

	/* The buffer is kept for trace_collect. */
	rc |= tracefs_event_disable(t->inst, "kvm", NULL) < 0 ? -1 : 0;
	return rc;
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
	int rc;

	*out = NULL;
	hostwatch_arm("reading the kvm_exit/kvm_entry trace");
	rc = tracefs_iterate_raw_events(t->tep, t->inst, NULL, 0, collect_one, &c);
	hostwatch_disarm();
	if (rc < 0 && !c.err) {
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
