/* SPDX-License-Identifier: MIT */
/* Guest dispatch: run the payload the host asked for, then report. */
#include "guest.h"
#include "payloads.h"

struct exc_frame {
	uint64_t vector, error, rip, cs, rflags, rsp, ss;
};

static void fail(volatile struct ctl_block *ctl, const char *why)
{
	unsigned i;

	for (i = 0; why[i] && i < sizeof(ctl->msg) - 1; i++)
		ctl->msg[i] = why[i];
	ctl->msg[i] = 0;
	ucall(UCALL_FAIL);
}

void guest_main(volatile struct ctl_block *ctl)
{
	if (ctl->magic != CTL_MAGIC || ctl->version != CTL_VERSION) {
		fail(ctl, "control block magic/version mismatch");
		return;
	}
	if (ctl->payload == 0 || ctl->payload >= PAYLOAD_MAX ||
	    !payload_table[ctl->payload]) {
		fail(ctl, "unknown payload");
		return;
	}
	/*
	 * --parallel: every vCPU in before any starts timing. A plain spin,
	 * not PAUSE: pause-loop exits would add to the exits the run proves.
	 */
	if (ctl->gate_gpa) {
		volatile uint64_t *gate = (volatile uint64_t *)(uintptr_t)ctl->gate_gpa;

		__atomic_add_fetch(gate, 1, __ATOMIC_SEQ_CST);
		while (*gate < ctl->gate_count)
			;
	}
	payload_table[ctl->payload]((struct ctl_block *)ctl);
	ucall(UCALL_DONE);
}

/*
 * The control block of the vCPU whose ring-0 stack @sp is on: each vCPU
 * has its own stack (control.h), so its exception reaches its own host
 * thread's report.
 */
static volatile struct ctl_block *ctl_of_stack(uint64_t sp)
{
	if (sp > GPA_PAR_STACK_BASE && sp <= GPA_PAR_STACK_TOP(PAR_MAX - 1))
		return (volatile struct ctl_block *)GPA_PAR_CTL((sp - GPA_PAR_STACK_BASE - 1) /
								PAR_STACK_SIZE + 1);
	if (sp > GPA_STACK_AP_TOP - GPA_STACK_AP_SIZE && sp <= GPA_STACK_AP_TOP)
		return (volatile struct ctl_block *)GPA_CTL_AP;
	return (volatile struct ctl_block *)GPA_CTL;
}

/* Called from exc_common at CPL0; never returns. */
void guest_exception(struct exc_frame *f);
void guest_exception(struct exc_frame *f)
{
	volatile struct ctl_block *ctl = ctl_of_stack((uint64_t)(uintptr_t)f);
	uint64_t cr2;

	__asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
	ctl->exc_vector = f->vector;
	ctl->exc_error = f->error;
	ctl->exc_rip = f->rip;
	ctl->exc_cs = f->cs;
	ctl->exc_rflags = f->rflags;
	ctl->exc_rsp = f->rsp;
	ctl->exc_cr2 = cr2;
	ucall(UCALL_EXCEPTION);
}
