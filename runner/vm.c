/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <cpuid.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "hostwatch.h"
#include "irqchip.h"
#include "layout.h"
#include "vm.h"

#include "errmsg.h"

const char *kvm_device(void)
{
	const char *dev = getenv("VMEXIT_KVM_DEVICE");

	return dev && *dev ? dev : "/dev/kvm";
}

int kvm_open(char *err, size_t errlen)
{
	const char *dev = kvm_device();
	int fd = open(dev, O_RDWR | O_CLOEXEC);
	int version;

	if (fd < 0) {
		if (errno == ENOENT)
			ERR("no %s: KVM is not available on this host (load kvm_intel or "
			    "kvm_amd, or enable nested virtualization for this VM)", dev);
		else if (errno == EACCES || errno == EPERM)
			ERR("permission denied opening %s: add your user to group 'kvm' "
			    "(sudo usermod -aG kvm $USER, then log in again) or run as root", dev);
		else
			ERR("cannot open %s: %s", dev, strerror(errno));
		return -1;
	}
	version = ioctl(fd, KVM_GET_API_VERSION, 0);
	if (version != KVM_API_VERSION) {
		ERR("%s is not KVM (KVM_GET_API_VERSION gave %d, expected %d)", dev,
		    version, KVM_API_VERSION);
		close(fd);
		return -1;
	}
	return fd;
}

static bool host_is_amd(void)
{
	unsigned a, b, c, d;

	__cpuid(0, a, b, c, d);
	/* "AuthenticAMD" / "HygonGenuine": both use VMMCALL. */
	return (b == 0x68747541 && d == 0x69746e65) || (b == 0x6f677948 && d == 0x6e65476e);
}

void vm_cpuid_fixup(struct kvm_cpuid2 *cpuid, bool tsc_deadline)
{
	for (uint32_t i = 0; i < cpuid->nent; i++) {
		struct kvm_cpuid_entry2 *e = &cpuid->entries[i];

		if (e->function == 1 && tsc_deadline)
			e->ecx |= CPUID1_ECX_TSC_DEADLINE_BIT;
	}
}

struct kvm_cpuid2 *kvm_supported_cpuid(int kvm_fd, int *r)
{
	struct kvm_cpuid2 *cpuid = NULL;
	int nent = 64;

	/* The kernel says E2BIG until the buffer holds every entry. */
	for (;;) {
		free(cpuid);
		cpuid = calloc(1, sizeof(*cpuid) + nent * sizeof(struct kvm_cpuid_entry2));
		if (!cpuid)
			return NULL;
		cpuid->nent = nent;
		*r = ioctl(kvm_fd, KVM_GET_SUPPORTED_CPUID, cpuid);
		if (*r == 0 || errno != E2BIG || nent >= 4096)
			return cpuid;
		nent *= 2;
	}
}

int vm_setup_cpuid(struct vm *vm, int vcpu_fd, char *err, size_t errlen)
{
	int r = -1;
	struct kvm_cpuid2 *cpuid = kvm_supported_cpuid(vm->kvm_fd, &r);

	if (!cpuid) {
		ERR("out of memory");
		return -1;
	}
	if (r == 0) {
		/* KVM's table is nent entries long; the marker goes at the end. */
		struct kvm_cpuid2 *grown = realloc(cpuid, sizeof(*cpuid) +
						   (cpuid->nent + 1) * sizeof(struct kvm_cpuid_entry2));

		if (!grown) {
			free(cpuid);
			ERR("out of memory");
			return -1;
		}
		cpuid = grown;
		vm_cpuid_fixup(cpuid, vm->irqchip && ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION,
							   KVM_CAP_TSC_DEADLINE_TIMER) > 0);
		cpuid->entries[cpuid->nent++] = (struct kvm_cpuid_entry2){
			.function = CPUID_MARKER_LEAF,
			.eax = CPUID_MARKER_EAX, .ebx = CPUID_MARKER_EBX,
			.ecx = CPUID_MARKER_ECX, .edx = CPUID_MARKER_EDX,
		};
		r = ioctl(vcpu_fd, KVM_SET_CPUID2, cpuid);
	}
	if (r)
		ERR("KVM_GET_SUPPORTED_CPUID/KVM_SET_CPUID2 failed: %s", strerror(errno));
	free(cpuid);
	return r ? -1 : 0;
}

/* Guest TSC offset 0 on @vcpu_fd: false, with the reason in @note, where it cannot be set. */
bool vm_tsc_offset_zero(int vcpu_fd, char *note, size_t len)
{
	int64_t offset = 0;
	struct kvm_device_attr attr = {
		.group = KVM_VCPU_TSC_CTRL,
		.attr = KVM_VCPU_TSC_OFFSET,
		.addr = (uint64_t)(uintptr_t)&offset,
	};

	if (ioctl(vcpu_fd, KVM_HAS_DEVICE_ATTR, &attr)) {
		snprintf(note, len, "KVM_VCPU_TSC_OFFSET not supported by this kernel");
		return false;
	}
	if (ioctl(vcpu_fd, KVM_SET_DEVICE_ATTR, &attr)) {
		snprintf(note, len, "setting KVM_VCPU_TSC_OFFSET failed: %s", strerror(errno));
		return false;
	}
	return true;
}

/* Guest TSC == host TSC lets host stamps be mixed with guest stamps. */
static void setup_tsc(struct vm *vm)
{
	int khz = ioctl(vm->vcpu_fd, KVM_GET_TSC_KHZ, 0);

	vm->tsc_khz = khz > 0 ? (uint32_t)khz : 0;
	vm->tsc_offset_zero = vm_tsc_offset_zero(vm->vcpu_fd, vm->tsc_note, sizeof(vm->tsc_note));
}

static int load_image(struct vm *vm, char *err, size_t errlen)
{
	if (guest_image_size < sizeof(vm->img) ||
	    GPA_IMAGE + guest_image_size > GPA_IMAGE_MAX) {
		ERR("embedded guest image has a bad size (%zu bytes)", guest_image_size);
		return -1;
	}
	memcpy(&vm->img, guest_image, sizeof(vm->img));
	if (vm->img.magic != GUEST_IMAGE_MAGIC || vm->img.entry < GPA_IMAGE ||
	    vm->img.end > GPA_IMAGE_MAX) {
		ERR("embedded guest image header is corrupt");
		return -1;
	}
	memcpy(vm->mem + GPA_IMAGE, guest_image, guest_image_size);
	/* .bss is not in the flat image. */
	if (vm->img.end > GPA_IMAGE + guest_image_size)
		memset(vm->mem + GPA_IMAGE + guest_image_size, 0,
		       vm->img.end - GPA_IMAGE - guest_image_size);
	layout_page_tables(vm->mem, vm->mem_size);
	layout_gdt(vm->mem);
	layout_idt(vm->mem, vm->img.exc_stubs, EXC_STUB_SIZE);
	layout_tss(vm->mem);
	return 0;
}

static int create_memory(struct vm *vm, size_t sample_bytes, char *err, size_t errlen)
{
	const size_t align = 2ull << 20;
	struct kvm_userspace_memory_region region = { 0 };

	vm->mem_size = (GPA_SAMPLES + sample_bytes + align - 1) & ~(align - 1);
	if (vm->mem_size > GPA_SAMPLES_END) {
		ERR("sample buffer of %zu bytes does not fit below GPA %#llx", sample_bytes,
		    GPA_SAMPLES_END);
		return -1;
	}
	/* Populated now so host page faults stay out of the timed loops. */
	vm->mem = mmap(NULL, vm->mem_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_POPULATE, -1, 0);
	if (vm->mem == MAP_FAILED) {
		vm->mem = NULL;
		ERR("cannot allocate %zu MiB of guest memory: %s", vm->mem_size >> 20,
		    strerror(errno));
		return -1;
	}
	region.slot = 0;
	region.guest_phys_addr = 0;
	region.memory_size = vm->mem_size;
	region.userspace_addr = (uint64_t)(uintptr_t)vm->mem;
	if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region)) {
		ERR("KVM_SET_USER_MEMORY_REGION failed: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int vm_create(struct vm *vm, size_t sample_bytes, char *err, size_t errlen)
{
	return vm_create_flavour(vm, sample_bytes, 0, err, errlen);
}

int vm_create_flavour(struct vm *vm, size_t sample_bytes, unsigned flags, char *err,
		      size_t errlen)
{
	int mmap_size;

	memset(vm, 0, sizeof(*vm));
	vm->vm_fd = vm->vcpu_fd = vm->ap_fd = -1;
	vm->stats.fd = -1;
	for (int k = 0; k < PAR_MAX; k++)
		vm->par_fd[k] = vm->par_stats[k].fd = -1;
	vm->ctl_gpa = GPA_CTL;
	vm->stack0_top = GPA_STACK0_TOP;
	vm->samples_gpa = GPA_SAMPLES;
	vm->amd = host_is_amd();
	vm->kvm_fd = kvm_open(err, errlen);
	if (vm->kvm_fd < 0)
		return -1;
	vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	if (vm->vm_fd < 0) {
		ERR("KVM_CREATE_VM failed: %s", strerror(errno));
		goto fail;
	}
	if (create_memory(vm, sample_bytes, err, errlen))
		goto fail;
	/* The irqchip must exist before the vCPU, which gets its LAPIC from it. */
	if (flags & VM_IRQCHIP) {
		if (irqchip_create(vm->kvm_fd, vm->vm_fd, err, errlen))
			goto fail;
		vm->irqchip = true;
	}
	vm->vcpu_fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, 0);
	mmap_size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (vm->vcpu_fd < 0 || mmap_size <= 0) {
		ERR("KVM_CREATE_VCPU failed: %s", strerror(errno));
		goto fail;
	}
	vm->run_size = mmap_size;
	vm->run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vm->vcpu_fd, 0);
	if (vm->run == MAP_FAILED) {
		vm->run = NULL;
		ERR("cannot map kvm_run: %s", strerror(errno));
		goto fail;
	}
	if (vm_setup_cpuid(vm, vm->vcpu_fd, err, errlen) || load_image(vm, err, errlen))
		goto fail;
	setup_tsc(vm);
	kvm_stats_open(&vm->stats, vm->vcpu_fd);
	return 0;
fail:
	vm_destroy(vm);
	return -1;
}

struct memslot *vm_memslot(struct vm *vm, enum vm_slot which, char *err, size_t errlen)
{
	static const struct {
		uint64_t gpa, size;
		bool log_dirty;
	} def[VM_SLOT_COUNT] = {
		[VM_SLOT_FRESH] = { GPA_FRESH, GPA_FRESH_SIZE, false },
		[VM_SLOT_DIRTY] = { GPA_DIRTY, GPA_DIRTY_SIZE, true },
	};
	struct memslot *m;

	/* The APIC pages must stay without a memslot: KVM's LAPIC and IOAPIC answer there. */
	_Static_assert(GPA_DIRTY + GPA_DIRTY_SIZE <= GPA_IOAPIC && GPA_IOAPIC < GPA_LAPIC,
		       "a memslot covers the LAPIC or IOAPIC");
	if (vm->slots[which])
		return vm->slots[which];
	m = calloc(1, sizeof(*m));
	if (!m) {
		ERR("out of memory");
		return NULL;
	}
	/* Slot 0 is guest RAM; these follow it. */
	if (memslot_create(m, vm->vm_fd, 1 + which, def[which].gpa, def[which].size,
			   def[which].log_dirty, err, errlen)) {
		free(m);
		return NULL;
	}
	vm->slots[which] = m;
	return m;
}

void vm_destroy(struct vm *vm)
{
	hostwatch_arm("tearing the VM down");
	for (int i = 0; i < VM_SLOT_COUNT; i++) {
		if (vm->slots[i])
			memslot_destroy(vm->slots[i]);
		free(vm->slots[i]);
		vm->slots[i] = NULL;
	}
	kvm_stats_close(&vm->stats);
	if (vm->ap_run)
		munmap(vm->ap_run, vm->run_size);
	if (vm->ap_fd >= 0)
		close(vm->ap_fd);
	vm->ap_run = NULL;
	vm->ap_fd = -1;
	for (int k = 0; k < PAR_MAX; k++) {
		kvm_stats_close(&vm->par_stats[k]);
		if (vm->par_run[k])
			munmap(vm->par_run[k], vm->run_size);
		if (vm->par_fd[k] >= 0)
			close(vm->par_fd[k]);
		vm->par_run[k] = NULL;
		vm->par_fd[k] = -1;
	}
	if (vm->run)
		munmap(vm->run, vm->run_size);
	if (vm->vcpu_fd >= 0)
		close(vm->vcpu_fd);
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	if (vm->mem)
		munmap(vm->mem, vm->mem_size);
	if (vm->kvm_fd >= 0)
		close(vm->kvm_fd);
	vm->run = NULL;
	vm->mem = NULL;
	vm->vcpu_fd = vm->vm_fd = vm->kvm_fd = -1;
	hostwatch_disarm();
}

static struct kvm_segment flat_segment(uint16_t sel, bool code, int dpl)
{
	struct kvm_segment s = {
		.base = 0, .limit = 0xffffffff, .selector = sel,
		.type = code ? 11 : 3, .present = 1, .dpl = dpl, .s = 1,
		.l = code, .db = !code, .g = 1,
	};
	return s;
}

static void setup_sregs(struct kvm_sregs *s, int cpl)
{
	bool user = cpl == 3;

	s->cr0 = 0x80050033;	/* PG | AM | WP | NE | ET | MP | PE */
	s->cr3 = GPA_PML4;
	s->cr4 = 0x620;		/* OSXMMEXCPT | OSFXSR | PAE */
	s->efer = 0x500;	/* LMA | LME */
	s->gdt.base = GPA_GDT;
	s->gdt.limit = GDT_ENTRIES * 8 - 1;
	s->idt.base = GPA_IDT;
	s->idt.limit = IDT_VECTORS * 16 - 1;
	s->cs = flat_segment(user ? SEL_CODE3 : SEL_CODE0, true, cpl);
	s->ss = flat_segment(user ? SEL_DATA3 : SEL_DATA0, false, cpl);
	s->ds = s->es = s->fs = s->gs = s->ss;
	s->tr = (struct kvm_segment){
		.base = GPA_TSS, .limit = TSS_LIMIT, .selector = SEL_TSS,
		.type = 11, .present = 1,
	};
	s->ldt = (struct kvm_segment){ .unusable = 1 };
}

int vm_reset_vcpu(struct vm *vm, int cpl, char *err, size_t errlen)
{
	return vm_reset_vcpu_fd(vm, vm->vcpu_fd, cpl, cpl == 3 ? GPA_STACK3_TOP : vm->stack0_top,
				vm->ctl_gpa, err, errlen);
}

int vm_reset_vcpu_fd(struct vm *vm, int vcpu_fd, int cpl, uint64_t rsp, uint64_t ctl,
		     char *err, size_t errlen)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs = { 0 };

	if (ioctl(vcpu_fd, KVM_GET_SREGS, &sregs)) {
		ERR("KVM_GET_SREGS failed: %s", strerror(errno));
		return -1;
	}
	setup_sregs(&sregs, cpl);
	if (ioctl(vcpu_fd, KVM_SET_SREGS, &sregs)) {
		ERR("KVM_SET_SREGS (CPL%d) failed: %s", cpl, strerror(errno));
		return -1;
	}
	regs.rip = vm->img.entry;
	regs.rsp = rsp;
	regs.rdi = ctl;
	/* IOPL=3 lets CPL3 payloads do port I/O; IF=0: nothing interrupts the guest. */
	regs.rflags = 0x2 | (cpl == 3 ? 3ull << 12 : 0);
	if (ioctl(vcpu_fd, KVM_SET_REGS, &regs)) {
		ERR("KVM_SET_REGS failed: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static void dump_code(struct vm *vm, uint64_t cr3, uint64_t rip, FILE *out)
{
	struct walk w;

	if (layout_walk(vm->mem, vm->mem_size, cr3, rip, &w)) {
		fprintf(out, "  RIP %#llx is not mapped by the guest page tables (CR3 %#llx)\n",
			(unsigned long long)rip, (unsigned long long)cr3);
		return;
	}
	fprintf(out, "  page walk of RIP: PML4E %#llx PDPTE %#llx PDE %#llx -> PA %#llx (%s, %s)\n",
		(unsigned long long)w.entries[0], (unsigned long long)w.entries[1],
		(unsigned long long)w.entries[2], (unsigned long long)w.pa,
		w.user ? "user" : "supervisor", w.write ? "writable" : "read-only");
	if (w.pa + 16 > vm->mem_size) {
		fprintf(out, "  code at PA %#llx is outside guest RAM\n", (unsigned long long)w.pa);
		return;
	}
	fprintf(out, "  code at RIP:");
	for (int i = 0; i < 16; i++)
		fprintf(out, " %02x", vm->mem[w.pa + i]);
	fprintf(out, "\n");
}

void vm_dump(struct vm *vm, FILE *out)
{
	struct kvm_regs r;
	struct kvm_sregs s;

	if (ioctl(vm->vcpu_fd, KVM_GET_REGS, &r) || ioctl(vm->vcpu_fd, KVM_GET_SREGS, &s)) {
		fprintf(out, "  (cannot read vCPU registers: %s)\n", strerror(errno));
		return;
	}
	fprintf(out, "  RIP %016llx RSP %016llx RFLAGS %08llx CPL %d\n",
		r.rip, r.rsp, r.rflags, s.cs.dpl);
	fprintf(out, "  RAX %016llx RBX %016llx RCX %016llx RDX %016llx\n",
		r.rax, r.rbx, r.rcx, r.rdx);
	fprintf(out, "  RSI %016llx RDI %016llx RBP %016llx R8  %016llx\n",
		r.rsi, r.rdi, r.rbp, r.r8);
	fprintf(out, "  CR0 %llx CR2 %llx CR3 %llx CR4 %llx EFER %llx CS %x SS %x\n",
		s.cr0, s.cr2, s.cr3, s.cr4, s.efer, s.cs.selector, s.ss.selector);
	dump_code(vm, s.cr3, r.rip, out);
}
