/* SPDX-License-Identifier: MIT */
/*
 * run.json: the self-describing record of one run (environment, settings,
 * every benchmark's status and statistics). results/README.md documents
 * the schema; bump RUN_JSON_SCHEMA on any change a reader must know about.
 */
#ifndef VMEXIT_RUN_JSON_H
#define VMEXIT_RUN_JSON_H

#include <jansson.h>

#include "env.h"
#include "run_record.h"

#define RUN_JSON_SCHEMA 1

/* More benchmarks than a reader takes: the catalog has a few dozen. */
#define RUN_JSON_MAX_BENCH 4096

const char *bench_status_name(enum bench_status s);
/* "exit", "latency", "floor". */
const char *bench_kind_name(enum bench_kind k);
/* Returns -1 for an unknown name. */
int bench_status_from_name(const char *name);
/*
 * Files written before "no_exit" and "refused" were statuses of their own
 * said "unsupported" with a reason that began "no exit:" or "refused:":
 * the status such a file means. Only readers of old files call this.
 */
enum bench_status bench_status_of_old(enum bench_status s, const char *reason);

/*
 * run_record.timer (and floor) are indexed by CPL; clamp so a 3-entry
 * array (CPL 3 in the last slot) and a 4-entry one both work.
 */
static inline size_t run_json_timer_slot(const struct run_record *r, int cpl)
{
	size_t slots = sizeof(r->timer) / sizeof(r->timer[0]);

	return (size_t)cpl < slots ? (size_t)cpl : slots - 1;
}

json_t *run_json_build(const struct run_record *r, const struct env_record *e);
/* Writes run.json atomically. */
int run_json_write(const char *path, const struct run_record *r,
		   const struct env_record *e, char *err, size_t errlen);

/*
 * Reads @path (run_json_read.c) into @r and @e (the environment fields
 * this tool uses: version, date, hostname, cpu vendor/brand/codename,
 * kernel, kvm module, tsc). Every field read is validated; on error
 * returns -1 with "<path>: <field>: <problem>" in @err and leaves nothing
 * allocated. Samples are not in run.json: r->bench[i].samples[] are NULL.
 */
int run_json_read(const char *path, struct run_record *r, struct env_record *e,
		  char *err, size_t errlen);

/* Frees what run_json_read (and samples loaded later) allocated. */
void run_record_free(struct run_record *r);

/*
 * The benchmark @name at @cpl in @r, NULL if there is none. A loaded run
 * gives its rows to the first one of a name and CPL (results_dir_load).
 */
struct bench_record *run_record_find(const struct run_record *r, const char *name, int cpl);

#endif
