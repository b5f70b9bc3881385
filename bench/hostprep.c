/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "hostprep.h"

#define ERR(...) snprintf(err, errlen, __VA_ARGS__)

/* One page per iteration: the slot's size caps a run. */
static struct memslot *page_slot(struct vm *vm, enum vm_slot which, const struct bench_def *b,
				 uint64_t iterations, char *err, size_t errlen)
{
	struct memslot *m = vm_memslot(vm, which, err, errlen);

	if (!m)
		return NULL;
	if (iterations > memslot_pages(m)) {
		ERR("%s writes one new page per iteration and its memslot holds %llu pages "
		    "(%zu MiB): --iterations + --warmup must stay <= %llu", b->name,
		    (unsigned long long)memslot_pages(m), m->size >> 20,
		    (unsigned long long)memslot_pages(m));
		return NULL;
	}
	/* Frees what an earlier run touched: every page is fresh again. */
	return memslot_discard(m, err, errlen) ? NULL : m;
}

/*
 * The timed pass must hit write-protected pages that are otherwise mapped:
 * an untimed pass writes them all (mapping them and setting their dirty
 * bits), then reading and clearing the log write-protects exactly those.
 */
static int arm_dirty_log(struct vm *vm, struct memslot *m, const struct run_req *req,
			 char *err, size_t errlen)
{
	struct run_req touch = *req;
	struct run_res res;
	uint64_t n;

	touch.host_ret = touch.host_enter = touch.other_ret = NULL;
	touch.handler_work = NULL;
	touch.payload = PAYLOAD_PAGE_WRITE;
	touch.arg0 = m->gpa;
	if (run_payload(vm, &touch, &res)) {
		ERR("the pass that pre-touches the dirty-logged pages failed: %s", res.err);
		return -1;
	}
	if (memslot_dirty_log(m, &n, err, errlen))
		return -1;
	if (n != req->iterations) {
		ERR("pre-touching %llu pages dirtied %llu in KVM's log: dirty logging does not "
		    "track this slot", (unsigned long long)req->iterations,
		    (unsigned long long)n);
		return -1;
	}
	return 0;
}

int hostprep_before(struct vm *vm, const struct bench_def *b, const struct run_req *req,
		    struct host_proof *p, char *err, size_t errlen)
{
	bool pio = b->payload == PAYLOAD_PIO_OUT_VAL;

	memset(p, 0, sizeof(*p));
	p->io.efd = -1;
	switch (b->setup) {
	case SETUP_NONE:
		return 0;
	case SETUP_FRESH_PAGES:
		p->slot = page_slot(vm, VM_SLOT_FRESH, b, req->iterations, err, errlen);
		return p->slot ? 0 : -1;
	case SETUP_DIRTY_LOG:
		p->slot = page_slot(vm, VM_SLOT_DIRTY, b, req->iterations, err, errlen);
		return p->slot ? arm_dirty_log(vm, p->slot, req, err, errlen) : -1;
	case SETUP_IOEVENTFD:
	case SETUP_IOEVENTFD_MATCH:
		/* Both payloads store 32 bits. */
		return ioevent_assign(&p->io, vm->vm_fd, pio, b->arg0, 4,
				      b->setup == SETUP_IOEVENTFD_MATCH, b->arg1, err, errlen);
	}
	return 0;
}

void hostprep_after(struct vm *vm, const struct bench_def *b, struct host_proof *p)
{
	char err[256];

	(void)vm;
	switch (b->setup) {
	case SETUP_NONE:
		break;
	case SETUP_FRESH_PAGES:
	case SETUP_DIRTY_LOG:
		if (!p->slot)
			break;
		if (b->setup == SETUP_DIRTY_LOG) {
			p->has_dirty = memslot_dirty_log(p->slot, &p->dirty_pages, p->err,
							 sizeof(p->err)) == 0;
		}
		/* The pages go back to the host between runs: no run keeps more. */
		memslot_discard(p->slot, err, sizeof(err));
		break;
	case SETUP_IOEVENTFD:
	case SETUP_IOEVENTFD_MATCH:
		if (p->io.efd < 0)
			break;
		p->has_eventfd = ioevent_take(&p->io, &p->eventfd_count) == 0;
		if (!p->has_eventfd)
			snprintf(p->err, sizeof(p->err), "the eventfd counter could not be read");
		ioevent_deassign(&p->io);
		break;
	}
}
