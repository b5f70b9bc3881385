// SPDX-License-Identifier: (MIT OR GPL-2.0)
/*
 * The exit handler, the measurement points and what they print. One point
 * is one guest launch: the guest runs warm-up + iterations of one payload,
 * optionally a verification round for the MSR areas, then VMCALL(DONE).
 */
#include "vmxb.h"
#include "vmxb_defs.h"
#include "vmxb_hw.h"
#include "vmxb_setup.h"

static const char *const bench_names[VMXB_B_COUNT] = {
	"floor", "null", "cpuid", "rdmsr", "wrmsr", "pio-out", "pio-in", "ept", "vmcall",
};

static const u32 bench_reason[VMXB_B_COUNT] = {
	~0u, EXIT_INVD, EXIT_CPUID, EXIT_RDMSR, EXIT_WRMSR, EXIT_IO, EXIT_IO,
	EXIT_EPT_VIOLATION, EXIT_VMCALL,
};

static const char *const area_names[VMXB_A_COUNT] = {
	"exit-store", "exit-load", "entry-load",
};

const char *vmxb_bench_name(int b)
{
	return b >= 0 && b < VMXB_B_COUNT ? bench_names[b] : "?";
}

const char *vmxb_area_name(int a)
{
	return a >= 0 && a < VMXB_A_COUNT ? area_names[a] : "-";
}

void vmxb_default_config(struct vmxb_config *cfg)
{
	static const u32 counts[] = { 0, 1, 2, 4, 8, 16, 32, 64 };

	cfg->iters = 1000;
	cfg->warmup = 100;
	cfg->ncounts = sizeof(counts) / sizeof(counts[0]);
	for (u32 i = 0; i < cfg->ncounts; i++)
		cfg->counts[i] = counts[i];
	cfg->benches = (1u << VMXB_B_COUNT) - 1;
	cfg->areas = (1u << VMXB_A_COUNT) - 1;
	cfg->quiet_samples = 0;
}

int vmxb_parse_counts(struct vmxb_config *cfg, const char *s, u32 len)
{
	u32 n = 0, v = 0, digits = 0;

	for (u32 i = 0; i <= len; i++) {
		char c = i < len ? s[i] : ',';

		if (c >= '0' && c <= '9') {
			if (v > 100000)
				return -1;
			v = v * 10 + (u32)(c - '0');
			digits++;
			continue;
		}
		if (c != ',' || !digits || n == VMXB_MAX_COUNTS)
			return -1;
		cfg->counts[n++] = v;
		v = 0;
		digits = 0;
	}
	cfg->ncounts = n;
	return 0;
}

static struct vmxb_frame *cur_frame(struct vmxb *e)
{
	return e->frame;
}

static void skip_instruction(u64 len)
{
	vmxb_vmwrite(GUEST_RIP, vmxb_vmread(GUEST_RIP) + len);
}

static int emulate_io(struct vmxb *e, struct vmxb_frame *f)
{
	u64 q = vmxb_vmread(EXIT_QUALIFICATION);

	/* bits 2:0 size-1, bit 3 IN, bit 4 string, bits 31:16 port */
	if ((q >> 16) != VMXB_BENCH_PORT || (q & 7) != 3 || (q & 0x10)) {
		vmxb_error(e, "unexpected I/O exit, qualification 0x%lx", (unsigned long)q);
		return -1;
	}
	if (q & 8)
		f->rax = (f->rax & ~0xffffffffull) | VMXB_PIO_IN_VALUE;
	return 0;
}

static int emulate_msr(struct vmxb *e, struct vmxb_frame *f, u32 reason)
{
	if ((u32)f->rcx != VMXB_MSR_VIRTUAL) {
		vmxb_error(e, "guest accessed intercepted MSR 0x%x", (u32)f->rcx);
		return -1;
	}
	if (reason == EXIT_RDMSR) {
		f->rax = (u32)e->vmsr_shadow;
		f->rdx = (u32)(e->vmsr_shadow >> 32);
	} else {
		e->vmsr_shadow = ((f->rdx & 0xffffffff) << 32) | (f->rax & 0xffffffff);
	}
	return 0;
}

static int emulate_ept(struct vmxb *e)
{
	u64 gpa = vmxb_vmread(GUEST_PHYS_ADDR);
	const u8 *rip = (const u8 *)(unsigned long)vmxb_vmread(GUEST_RIP);

	if ((gpa & ~0xfffull) != e->hole.pa) {
		vmxb_error(e, "EPT violation at unexpected GPA 0x%lx", (unsigned long)gpa);
		return -1;
	}
	/* Guest RIP is an address of ours: check the encoding we skip. */
	if (e->idx <= 1 && (rip[0] != 0x8b || rip[1] != 0x07)) {
		vmxb_error(e, "EPT access is not the expected 2-byte load");
		return -1;
	}
	skip_instruction(2);
	return 0;
}

static int emulate(struct vmxb *e, struct vmxb_frame *f, u32 reason)
{
	u32 r[4];

	switch (reason) {
	case EXIT_CPUID:
		vmxb_cpuid((u32)f->rax, (u32)f->rcx, r);
		f->rax = r[0];
		f->rbx = r[1];
		f->rcx = r[2];
		f->rdx = r[3];
		break;
	case EXIT_RDMSR:
	case EXIT_WRMSR:
		if (emulate_msr(e, f, reason))
			return -1;
		break;
	case EXIT_IO:
		if (emulate_io(e, f))
			return -1;
		break;
	case EXIT_EPT_VIOLATION:
		return emulate_ept(e);
	case EXIT_INVD:
	case EXIT_VMCALL:
		break;
	default:
		return -1;
	}
	skip_instruction(vmxb_vmread(EXIT_INSTR_LEN));
	return 0;
}

static void verify_fail(struct vmxb *e, const char *what, u32 j, u64 want, u64 got)
{
	if (e->verify_failed)
		return;
	e->verify_failed = 1;
	vmxb_snprintf(e->verify_msg, sizeof(e->verify_msg),
		      "%s entry=%u msr=0x%x want=0x%lx got=0x%lx", what, j,
		      vmxb_msr_of_entry(j), (unsigned long)want, (unsigned long)got);
}

/* Index of the last area entry that names set MSR @m, or -1. */
static s64 last_entry_for(u32 count, u32 m)
{
	if (m >= count)
		return -1;
	return (s64)(m + ((count - 1 - m) / VMXB_MSR_SET_SIZE) * VMXB_MSR_SET_SIZE);
}

/*
 * The guest has just written fresh sentinels to the set: the store area
 * must hold them, and a load area must have overridden them on exit.
 */
static void verify_on_exit(struct vmxb *e)
{
	struct vmxb_msr_entry *a = e->area[e->area_kind].va;
	struct vmxb_gctl *g = e->g;

	if (e->area_kind == VMXB_A_EXIT_STORE) {
		for (u32 j = 0; j < e->area_count; j++)
			if (a[j].data != g->sentinel[j % VMXB_MSR_SET_SIZE])
				verify_fail(e, "store", j, g->sentinel[j % VMXB_MSR_SET_SIZE],
					    a[j].data);
	} else if (e->area_kind == VMXB_A_EXIT_LOAD) {
		for (u32 m = 0; m < g->nmsr; m++) {
			s64 j = last_entry_for(e->area_count, m);
			u64 got;

			/* MSRs outside the area may be host-state fields (SYSENTER_*). */
			if (j < 0)
				continue;
			got = vmxb_rdmsr(g->msr[m]);
			if (got != a[j].data)
				verify_fail(e, "exit-load", (u32)j, a[j].data, got);
		}
	} else if (e->area_kind == VMXB_A_ENTRY_LOAD) {
		/* Host values that the entry must replace before the guest reads. */
		for (u32 m = 0; m < g->nmsr; m++)
			vmxb_wrmsr(g->msr[m], g->sentinel[m] ^ 0x0f000000);
	}
}

static void verify_at_done(struct vmxb *e)
{
	struct vmxb_msr_entry *a = e->area[VMXB_A_ENTRY_LOAD].va;
	struct vmxb_gctl *g = e->g;

	if (!g->verify || e->area_kind != VMXB_A_ENTRY_LOAD)
		return;
	for (u32 m = 0; m < g->nmsr; m++) {
		s64 j = last_entry_for(e->area_count, m);

		if (j >= 0 && g->readback[m] != a[j].data)
			verify_fail(e, "entry-load", (u32)j, a[j].data, g->readback[m]);
	}
}

static int control_exit(struct vmxb *e, struct vmxb_frame *f)
{
	if (f->rax == VMXB_HC_DONE) {
		verify_at_done(e);
		e->stopped_ok = 1;
		return 1;
	}
	if (f->rax == VMXB_HC_VERIFY && e->g->verify) {
		verify_on_exit(e);
		skip_instruction(vmxb_vmread(EXIT_INSTR_LEN));
		return 0;
	}
	vmxb_error(e, "unknown hypercall %lu", (unsigned long)f->rax);
	return 1;
}

static void report_unexpected(struct vmxb *e, u32 reason)
{
	vmxb_error(e, "bench %s: unexpected exit reason %u%s qual=0x%lx intr=0x%lx rip=0x%lx insn_err=%lu",
		   vmxb_bench_name(e->bench), reason & 0xffff,
		   reason & EXIT_REASON_ENTRY_FAIL ? " (entry failure)" : "",
		   (unsigned long)vmxb_vmread(EXIT_QUALIFICATION),
		   (unsigned long)vmxb_vmread(EXIT_INTR_INFO),
		   (unsigned long)vmxb_vmread(GUEST_RIP),
		   (unsigned long)vmxb_vmread(VM_INSTR_ERROR));
}

int VMXB_NOTRACE vmxb_handle_exit(struct vmxb_frame *f)
{
	struct vmxb *e = f->engine;
	u32 reason = (u32)vmxb_vmread(EXIT_REASON);
	u32 basic = reason & 0xffff;

	f->out_slot = &f->dummy;
	e->last_reason = reason;
	if (reason & EXIT_REASON_ENTRY_FAIL)
		goto bad;
	if (basic == e->expect_reason &&
	    !(basic == EXIT_VMCALL && f->rax != VMXB_HC_BENCH)) {
		if (e->idx < e->cap) {
			e->t_in[e->idx] = f->t_in;
			f->out_slot = &e->t_out[e->idx];
		}
		e->idx++;
		e->exits++;
		if (emulate(e, f, basic))
			goto bad;
		return 0;
	}
	if (basic == EXIT_VMCALL)
		return control_exit(e, f);
	/* An NMI belongs to the host: pass it on; only this sample is disturbed. */
	if (basic == EXIT_EXCEPTION_NMI && ((vmxb_vmread(EXIT_INTR_INFO) >> 8) & 7) == 2 &&
	    e->plat->nmi) {
		e->nmis++;
		e->plat->nmi(e->plat->ctx);
		return 0;
	}
	/* Reading back the emulated MSR is part of the wrmsr payload's check. */
	if ((basic == EXIT_RDMSR || basic == EXIT_WRMSR) && !emulate(e, f, basic))
		return 0;
bad:
	report_unexpected(e, reason);
	e->point_failed = 1;
	return 1;
}

static void fill_areas(struct vmxb *e)
{
	struct vmxb_msr_entry *a = e->area[e->area_kind].va;
	struct vmxb_gctl *g = e->g;

	g->nmsr = VMXB_MSR_SET_SIZE;
	for (u32 m = 0; m < VMXB_MSR_SET_SIZE; m++) {
		g->msr[m] = vmxb_msr_of_entry(m);
		/* below 2^32: canonical, and within FMASK's 32 bits */
		g->sentinel[m] = 0x3c000000u | ((e->nonce & 0xfff) << 12) | m;
	}
	for (u32 j = 0; j < e->area_count; j++) {
		a[j].index = vmxb_msr_of_entry(j);
		a[j].reserved = 0;
		/* unique per entry, so the last one processed is identifiable */
		a[j].data = e->area_kind == VMXB_A_EXIT_STORE ? 0 :
			    0x5a000000u | ((e->nonce & 0xfff) << 12) | (j & 0xfff);
	}
}

static void prepare_point(struct vmxb *e, int bench, int area, u32 count)
{
	struct vmxb_gctl *g = e->g;
	struct vmxb_frame *f = cur_frame(e);
	e->bench = bench;
	e->area_kind = area;
	e->area_count = count;
	e->expect_reason = bench_reason[bench];
	e->idx = e->exits = e->nmis = 0;
	e->stopped_ok = e->point_failed = e->verify_failed = 0;
	e->verify_msg[0] = 0;
	e->nonce++;
	e->vmsr_shadow = 0x5eed000000000000ull | e->nonce;
	g->check_fail = 0;
	g->bench = (u32)bench;
	g->n = e->cap;
	g->before = e->t_before;
	g->after = e->t_after;
	g->hole = e->hole.va;
	g->verify = area != VMXB_A_NONE;
	g->result[1] = 0x1234abcd00000000ull | e->nonce;
	if (area != VMXB_A_NONE)
		fill_areas(e);
	for (u32 i = 0; i < sizeof(*f) / 8; i++)
		((u64 *)f)[i] = 0;
	f->engine = e;
	f->out_slot = &f->dummy;
	f->rdi = (u64)(unsigned long)g;
}

/* One batch: VMX on, launch, VMX off, inside the platform's bracket. */
static int run_batch(struct vmxb *e)
{
	int rc = -1, lr;

	if (e->plat->batch_begin(e->plat->ctx)) {
		vmxb_error(e, "platform refused to start a batch");
		return -1;
	}
	if (vmxb_vmx_on(e))
		goto out;
	if (vmxb_setup_vmcs(e))
		goto off;
	lr = vmxb_launch(e->frame);
	if (lr != VMXB_LAUNCH_STOPPED) {
		vmxb_error(e, "%s failed: VM-instruction error %lu",
			   lr == VMXB_LAUNCH_FAILED ? "VMLAUNCH" : "VMRESUME",
			   (unsigned long)vmxb_vmread(VM_INSTR_ERROR));
		goto off;
	}
	rc = e->stopped_ok && !e->point_failed ? 0 : -1;
off:
	vmxb_vmx_off(e);
out:
	e->plat->batch_end(e->plat->ctx);
	return rc;
}

static u64 median_total(struct vmxb *e)
{
	u32 n = e->cfg.iters, w = e->cfg.warmup;
	u64 *v = e->t_in;	/* reused as scratch once the samples are printed */

	for (u32 i = 0; i < n; i++)
		v[i] = e->t_after[w + i] - e->t_before[w + i];
	/* insertion sort: n is small where this matters, and it needs no memory */
	for (u32 i = 1; i < n; i++) {
		u64 x = v[i];
		u32 k = i;

		while (k && v[k - 1] > x) {
			v[k] = v[k - 1];
			k--;
		}
		v[k] = x;
	}
	return v[(n - 1) / 2];
}

static void print_samples(struct vmxb *e, const char *kind, const char *name, u32 count)
{
	u32 w = e->cfg.warmup;

	if (e->cfg.quiet_samples)
		return;
	for (u32 i = 0; i < e->cfg.iters; i++) {
		u64 b = e->t_before[w + i], a = e->t_after[w + i];
		char head[48];

		if (count == ~0u)
			vmxb_snprintf(head, sizeof(head), "%s %s", kind, name);
		else
			vmxb_snprintf(head, sizeof(head), "%s %s %u", kind, name, count);
		if (e->bench == VMXB_B_FLOOR) {
			vmxb_out(e, "%s %u %ld - - -", head, i, (long)(a - b));
			continue;
		}
		vmxb_out(e, "%s %u %ld %ld %ld %ld", head, i, (long)(a - b),
			 (long)(e->t_in[w + i] - b), (long)(e->t_out[w + i] - e->t_in[w + i]),
			 (long)(a - e->t_out[w + i]));
	}
}

static int check_results(struct vmxb *e)
{
	u32 r[4];

	if (e->g->check_fail)
		return -1;
	if (e->bench == VMXB_B_CPUID) {
		vmxb_cpuid(0, 0, r);
		for (int k = 0; k < 4; k++)
			if (e->g->result[k] != r[k])
				return -1;
	}
	if (e->bench == VMXB_B_RDMSR && e->g->result[0] != e->vmsr_shadow)
		return -1;
	return 0;
}

static void run_bench(struct vmxb *e, int bench)
{
	const char *name = vmxb_bench_name(bench);
	int rc;

	prepare_point(e, bench, VMXB_A_NONE, 0);
	rc = run_batch(e);
	if (rc) {
		vmxb_error(e, "bench %s did not complete", name);
		return;
	}
	if (bench != VMXB_B_FLOOR && e->exits != e->cap) {
		vmxb_error(e, "bench %s: %u exits for %u iterations", name, e->exits, e->cap);
		return;
	}
	if (check_results(e)) {
		vmxb_error(e, "bench %s: emulated result wrong in the guest", name);
		return;
	}
	if (e->nmis)
		vmxb_out(e, "info nmi bench=%s count=%u", name, e->nmis);
	print_samples(e, "sample", name, ~0u);
	if (bench != VMXB_B_FLOOR)
		vmxb_out(e, "exit %s reason=%u count=%u ok", name, e->expect_reason, e->exits);
}

static void run_sweep_point(struct vmxb *e, int area, u32 count)
{
	const char *name = vmxb_area_name(area);

	prepare_point(e, VMXB_B_NULL, area, count);
	if (run_batch(e)) {
		vmxb_error(e, "sweep %s %u did not complete", name, count);
		return;
	}
	if (e->exits != e->cap) {
		vmxb_error(e, "sweep %s %u: %u exits for %u iterations", name, count,
			   e->exits, e->cap);
		return;
	}
	if (e->verify_failed)
		vmxb_out(e, "verify %s %u fail %s", name, count, e->verify_msg);
	else
		vmxb_out(e, "verify %s %u ok", name, count);
	if (e->verify_failed)
		e->errors++;
	print_samples(e, "sweep-sample", name, count);
	vmxb_out(e, "sweep %s %u samples=%u median=%lu", name, count, e->cfg.iters,
		 (unsigned long)median_total(e));
}

static void print_header(struct vmxb *e)
{
	static const char *const timing[] = { "native", "virtualized", "emulated" };
	u32 r[4], v[4];
	char counts[VMXB_MAX_COUNTS * 7 + 1];
	u32 n = 0;

	vmxb_cpuid(0, 0, r);
	vmxb_cpuid(1, 0, v);
	vmxb_out(e, "info timing %s", timing[e->plat->timing]);
	vmxb_out(e, "info cpu %c%c%c%c%c%c%c%c%c%c%c%c signature=0x%x",
		 r[1], r[1] >> 8, r[1] >> 16, r[1] >> 24, r[3], r[3] >> 8, r[3] >> 16,
		 r[3] >> 24, r[2], r[2] >> 8, r[2] >> 16, r[2] >> 24, v[0]);
	vmxb_out(e, "info vmx basic=0x%lx misc=0x%lx ept=0x%lx msr_max=%u",
		 (unsigned long)e->basic, (unsigned long)e->misc,
		 (unsigned long)e->ept_cap, e->msr_max);
	vmxb_out(e, "info controls pin=0x%x proc=0x%x proc2=0x%x exit=0x%x entry=0x%x",
		 e->pin, e->proc, e->proc2, e->exit_ctl, e->entry_ctl);
	counts[0] = 0;
	for (u32 i = 0; i < e->cfg.ncounts; i++)
		n += (u32)vmxb_snprintf(counts + n, sizeof(counts) - n, "%s%u",
					i ? "," : "", e->cfg.counts[i]);
	vmxb_out(e, "config iters=%u warmup=%u msr-area=%s", e->cfg.iters, e->cfg.warmup,
		 e->cfg.ncounts ? counts : "-");
}

int vmxb_run(struct vmxb *e)
{
	print_header(e);
	for (int b = 0; b < VMXB_B_COUNT; b++)
		if (e->cfg.benches & (1u << b))
			run_bench(e, b);
	for (int a = 0; a < VMXB_A_COUNT; a++) {
		if (!(e->cfg.areas & (1u << a)))
			continue;
		for (u32 i = 0; i < e->cfg.ncounts; i++)
			run_sweep_point(e, a, e->cfg.counts[i]);
	}
	return e->errors ? -1 : 0;
}
