#!/bin/sh
# SPDX-License-Identifier: MIT
#
# The real-KVM lane: runs vmexit-bench against Debian's own kvm_amd (under
# QEMU's TCG, which emulates SVM with nested paging) or kvm_intel (under
# Bochs, which emulates VMX with EPT), inside a Linux guest booted from
# Debian's kernel package, and brings the results directory back.
#
# The guest is an initramfs: busybox-static, the KVM modules and their
# dependencies from the kernel package, the vmexit-bench binary with its
# shared libraries, and an /init that loads the modules, runs the binary
# and sends the results directory (tar, base64) over the second serial
# port. Nothing is installed into /boot; the kernel package is fetched with
# `apt-get download` and unpacked with `dpkg-deb -x` into the cache. QEMU
# boots the kernel directly; Bochs boots it from an isolinux CD image
# (bochs.sh, LANE_BOCHS_CPU/MEGS/IPS in the environment).
#
# Usage: lane.sh --vendor amd|intel --bin VMEXIT_BENCH --out DIR [options] [-- RUN-ARGS...]
#   --cache DIR             kernel packages and guest images (default ./lane-cache)
#   --kernel-package NAME   Debian package (default: what linux-image-amd64 depends on)
#   --kernel BZIMAGE --modules DIR
#                           a kernel of your own and its lib/modules/VERSION tree
#   --kvm-param 'P=V ...'   parameters for kvm_amd / kvm_intel (e.g. npt=0)
#   --timeout SEC           wall-clock bound for the whole guest (default 900)
#   --log FILE              the guest's console (default OUT.console)
#   --append 'ARGS'         guest kernel command-line additions (default, amd:
#                           tsc=reliable; see below; '' for none)
#   --guest-cmd 'CMD'       run CMD in the guest instead of `vmexit-bench run`
#                           (the results directory is then what CMD leaves in /out)
#   --add FILE              put FILE into the guest as /lane/files/NAME (repeatable)
#   --add-at-path FILE      put FILE into the guest at its own absolute path, with
#                           its shared libraries if it has any (repeatable): a test
#                           program and the paths its arguments name
#   --defer-kvm             do not load KVM before CMD: CMD runs `lane-kvm load`
#                           itself (and may unload it with `lane-kvm unload`)
# RUN-ARGS go to `vmexit-bench run` inside the guest (default: the default
# catalog with --iterations 300 --warmup 50 --runs 1 --plot none).
# Environment (amd): LANE_QEMU_THREAD (TCG's thread=, default multi),
# LANE_QEMU_ICOUNT (-icount settings; TCG single-threaded then),
# LANE_QEMU_SMP (guest CPUs, default 2), LANE_KVM_HOLD=0 (no VM held open
# through the run; see kvm_hold.c: the guest can then hang on a loaded host).
# LANE_SILENCE: seconds a guest whose /init beats may stay silent before it
# is stopped as stuck (default 120 amd, 900 intel).
#
# The console is watched while the guest runs: a soft lockup, an RCU stall
# (or its starved kthread), a hung task, a panic, an oops or a BUG ends the
# boot at once (within about 10 s of the line), with that line quoted; so
# does a console that stops its heartbeat (LANE_SILENCE), and the --timeout
# bound, with the console's last line. Before QEMU is
# stopped, its CPUs' registers go to OUT/cpus.txt.
#
# Exit status: 0 the guest ran vmexit-bench and its results are in OUT
# (vmexit-bench's own exit status is in OUT/lane.rc); 77 the lane cannot run
# here (no QEMU/Bochs, no kernel package), with the reason on stderr; 2 bad
# usage; 1 anything else (the guest hung: "did not finish within"; its kernel
# locked up: "the guest's kernel locked up"; it crashed: "the guest's kernel
# crashed"; or it sent nothing back).
set -eu

prog=lane
die() { echo "$prog: $*" >&2; exit 1; }
usage() { echo "$prog: $*" >&2; exit 2; }
skip() { echo "$prog: SKIP: $*" >&2; exit 77; }

vendor='' bin='' out='' cache=./lane-cache pkg='' kernel='' moddir='' params=''
timeout=900 log='' guest_cmd='' append=default files='' abs_files='' defer=''
qemu_thread=${LANE_QEMU_THREAD:-multi} qemu_smp=${LANE_QEMU_SMP:-2} kvm_hold=${LANE_KVM_HOLD:-1}
# LANE_QEMU_ICOUNT: QEMU's -icount settings (instruction-counted virtual
# clock, e.g. shift=0,sleep=off); TCG is then single-threaded, as icount needs.
qemu_icount=${LANE_QEMU_ICOUNT:-}
[ -z "$qemu_icount" ] || qemu_thread=single
while [ $# -gt 0 ]; do
	case $1 in
	--vendor) vendor=$2; shift 2 ;;
	--bin) bin=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--cache) cache=$2; shift 2 ;;
	--kernel-package) pkg=$2; shift 2 ;;
	--kernel) kernel=$2; shift 2 ;;
	--modules) moddir=$2; shift 2 ;;
	--kvm-param) params=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--log) log=$2; shift 2 ;;
	--guest-cmd) guest_cmd=$2; shift 2 ;;
	--append) append=$2; shift 2 ;;
	--add) [ -f "$2" ] || die "--add: '$2' is not a file"
		files="$files
$2"; shift 2 ;;
	--add-at-path) [ -f "$2" ] || die "--add-at-path: '$2' is not a file"
		abs_files="$abs_files
$(realpath "$2")"; shift 2 ;;
	--defer-kvm) defer=1; shift ;;
	--) shift; break ;;
	*) usage "unknown option '$1' (see the header of $0)" ;;
	esac
done
case $vendor in
amd) kvm_mod=kvm-amd ;;
intel) kvm_mod=kvm-intel ;;
*) usage "--vendor must be amd or intel" ;;
esac
[ -n "$bin" ] && [ -x "$bin" ] || usage "--bin: '$bin' is not an executable"
[ -n "$out" ] || usage "--out is required"
[ ! -e "$out" ] || [ -z "$(ls -A "$out" 2>/dev/null)" ] || die "--out $out exists and is not empty"
case $timeout in *[!0-9]*|'') usage "--timeout takes whole seconds" ;; esac
[ -z "$kernel" ] || [ -n "$moddir" ] || usage "--kernel needs --modules"
# A Debian package name, never a path: the cache's directory of it is replaced.
pkg_ok() {
	case $1 in
	[a-z0-9]?*) case $1 in *[!a-z0-9+.-]*) return 1 ;; esac ;;
	*) return 1 ;;
	esac
}
[ -z "$pkg" ] || pkg_ok "$pkg" || usage "--kernel-package '$pkg' is not a Debian package name"
[ -n "$log" ] || log=$out.console
# Absolute: Bochs runs in the work directory and writes the console by name.
case $out in /*) ;; *) out=$PWD/$out ;; esac
case $log in /*) ;; *) log=$PWD/$log ;; esac
# One run by default: the lane proves behaviour, and every boot costs time.
[ $# -gt 0 ] || set -- --iterations 300 --warmup 50 --runs 1 --plot none
for t in cpio base64 tar ldd modinfo timeout; do
	command -v $t >/dev/null 2>&1 || skip "'$t' is not installed"
done
[ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1 ||
	skip "busybox-static is not installed (/bin/busybox must be static)"
if [ $vendor = amd ]; then
	command -v qemu-system-x86_64 >/dev/null 2>&1 || skip "qemu-system-x86 is not installed"
else
	command -v bochs >/dev/null 2>&1 || skip "bochs is not installed"
	[ -f /usr/share/bochs/BIOS-bochs-latest ] || skip "bochsbios is not installed"
	[ -f /usr/lib/ISOLINUX/isolinux.bin ] || skip "isolinux is not installed"
	[ -f /usr/lib/syslinux/modules/bios/ldlinux.c32 ] || skip "syslinux-common is not installed"
	command -v genisoimage >/dev/null 2>&1 || skip "genisoimage is not installed"
fi
# The kernel in the cache is booted: a directory of this user's that no one
# else can write (made so here when missing).
(umask 077 && mkdir -p "$cache") 2>/dev/null || usage "cannot create the cache $cache"
cache=$(cd "$cache" && pwd) || usage "--cache $cache is not a directory"
[ -O "$cache" ] || usage "the cache $cache is not this user's"
[ -z "$(find "$cache" -maxdepth 0 -perm /022)" ] || usage "the cache $cache is writable by others"

# --- the kernel: Debian's package, unpacked once into the cache -------------
kernel_package() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[^ ]*\)$/\1/p' | head -1
}
if [ -z "$kernel" ]; then
	if [ -z "$pkg" ]; then
		pkg=$(kernel_package)
		# A machine whose package lists were never fetched: root can fetch them.
		if [ -z "$pkg" ] && [ "$(id -u)" -eq 0 ]; then
			apt-get update -qq >/dev/null 2>&1
			pkg=$(kernel_package)
		fi
		[ -n "$pkg" ] || skip "apt-cache knows no linux-image-amd64 (run apt-get update)"
	fi
	pkg_ok "$pkg" || die "apt-cache named '$pkg', not a Debian package name"
	kdir=$cache/$pkg
	# Filled once, under a lock (lanes that start together share it), into
	# a temporary directory renamed into place when complete.
	if [ ! -f "$kdir/.unpacked" ]; then
		exec 9>>"$cache/.lock"
		flock 9 || die "cannot lock $cache/.lock"
		if [ ! -f "$kdir/.unpacked" ]; then
			# What a filler that was killed left (none runs: the lock is ours).
			rm -rf "$kdir" "$cache/.$pkg.fill-"*
			fill=$(mktemp -d "$cache/.$pkg.fill-XXXXXX") || die "mktemp in $cache failed"
			mkdir "$fill/deb"
			(cd "$fill/deb" && apt-get download "$pkg" >/dev/null 2>"$fill/download.err") ||
				skip "apt-get download $pkg failed: $(tail -1 "$fill/download.err")"
			dpkg-deb -x "$fill"/deb/*.deb "$fill/root" || die "dpkg-deb -x of $pkg failed"
			rm -rf "$fill/deb"
			touch "$fill/.unpacked"
			mv "$fill" "$kdir" || die "cannot move $fill to $kdir"
		fi
		exec 9>&-
	fi
	[ -O "$kdir" ] || usage "$kdir is not this user's"
	kernel=$(ls "$kdir"/root/boot/vmlinuz-* | head -1)
	moddir=$(ls -d "$kdir"/root/lib/modules/* | head -1)
fi
[ -f "$kernel" ] || die "no kernel image '$kernel'"
[ -d "$moddir" ] || die "no module tree '$moddir'"
kver=$(basename "$moddir")

# Modules in load order: dependencies first (modinfo's `depends`).
find_mod() {
	f=$(find "$moddir" -name "$1.ko" -o -name "$1.ko.xz" -o -name "$1.ko.zst" | head -1)
	[ -n "$f" ] || f=$(find "$moddir" -name "$(echo "$1" | tr _ -).ko" | head -1)
	[ -n "$f" ] || die "module $1 is not in $moddir"
	echo "$f"
}
order=
add_mod() {
	case " $order " in *" $1 "*) return ;; esac
	f=$(find_mod "$1")
	for d in $(modinfo -F depends "$f" | tr , ' '); do
		add_mod "$d"
	done
	order="$order $1"
}
add_mod $kvm_mod

# --- the initramfs ---------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/vmexit-lane.XXXXXX")
qpid=
cleanup() {
	[ -z "$qpid" ] || kill "$qpid" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
root=$work/root
mkdir -p "$root/bin" "$root/lane/mod" "$root/proc" "$root/sys" "$root/dev" "$root/out" "$root/tmp"
cp /bin/busybox "$root/bin/busybox"
for m in $order; do
	f=$(find_mod "$m")
	# busybox's insmod takes plain modules: later kernels ship them compressed.
	case $f in
	*.ko) cp "$f" "$root/lane/mod/$m.ko" ;;
	*.ko.xz) xz -dc "$f" >"$root/lane/mod/$m.ko" || die "cannot decompress $f" ;;
	*.ko.zst) zstd -qdc "$f" >"$root/lane/mod/$m.ko" || die "cannot decompress $f" ;;
	esac
done
# $1's shared libraries at their own paths in the guest (none for a static
# program or a script).
copy_libs() {
	ldd "$1" 2>/dev/null |
		sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) .*/\1/p' |
		while read -r lib; do
			mkdir -p "$root$(dirname "$lib")"
			cp -L "$lib" "$root$lib"
		done
}
cp "$bin" "$root/bin/vmexit-bench"
copy_libs "$bin"
printf '%s\n' "$abs_files" | while IFS= read -r f; do
	[ -n "$f" ] || continue
	mkdir -p "$root$(dirname "$f")"
	cp "$f" "$root$f"
	copy_libs "$f"
done
# libtraceevent's plugins.
p=/usr/lib/x86_64-linux-gnu/traceevent
[ ! -d "$p" ] || { mkdir -p "$root$p"; cp -r "$p/." "$root$p/"; }
echo "$order" >"$root/lane/modules"
# The heartbeat's period in the guest's seconds (init.sh). TCG's guest clock
# is the host's; Bochs's counts emulated instructions, and on a busy 2-core
# host 11.5 guest seconds took 480 s: a beat each of those comes every
# minute or so, well within the bound below.
[ $vendor = amd ] && echo 10 >"$root/lane/heartbeat" || echo 1 >"$root/lane/heartbeat"
echo "$params" >"$root/lane/params"
if [ -n "$guest_cmd" ]; then
	printf '%s\n' "$guest_cmd" >"$root/lane/cmd"
else
	# The run's arguments, one per line (no word splitting in the guest).
	for a in /bin/vmexit-bench run --output /out/run "$@"; do
		printf '%s\n' "$a"
	done >"$root/lane/args"
fi
mkdir -p "$root/lane/files"
printf '%s\n' "$files" | while IFS= read -r f; do
	[ -z "$f" ] || cp "$f" "$root/lane/files/"
done
[ -z "$defer" ] || : >"$root/lane/defer-kvm"
# amd: a VM held open through the run (kvm_hold.c says why): the
# lane-kvm-hold that the build put beside this script (installed with it),
# with its shared libraries, or else, from a source tree, built static once
# per source into the cache.
# Without either the lane runs without it, and says so.
if [ $vendor = amd ] && [ "$kvm_hold" != 0 ]; then
	src_hold=$(dirname "$0")/kvm_hold.c
	hold=$(dirname "$0")/lane-kvm-hold
	if [ ! -x "$hold" ] && [ ! -f "$src_hold" ]; then
		echo "$prog: note: no VM is held open through the run (no $hold)" >&2
	elif [ ! -x "$hold" ]; then
		hold=$cache/lane-kvm-hold-$(cksum <"$src_hold" | cut -d' ' -f1)
	fi
	if [ ! -x "$hold" ] && [ -f "$src_hold" ]; then
		cc -static -O2 -o "$hold.$$" "$src_hold" 2>"$work/hold.err" && mv "$hold.$$" "$hold" || {
			rm -f "$hold.$$"
			echo "$prog: note: no VM is held open through the run (cc -static: $(tail -1 "$work/hold.err"))" >&2
		}
	fi
	if [ -x "$hold" ]; then
		cp "$hold" "$root/bin/lane-kvm-hold"
		copy_libs "$hold"
	fi
fi
cp "$(dirname "$0")/init.sh" "$root/init"
cp "$(dirname "$0")/kvm.sh" "$root/bin/lane-kvm"
chmod +x "$root/init" "$root/bin/lane-kvm"
(cd "$root" && find . | cpio -o -H newc --quiet) >"$work/initrd" || die "cpio failed"

# --- boot ------------------------------------------------------------------
# The console lines by which the guest's kernel says that it is stuck, and
# those by which it says that it crashed. Either ends the boot at once.
lockup_re='soft lockup|rcu_[a-z]+ (self-)?detected (expedited )?stall|RCU stall|kthread starved|blocked for more than [0-9]+ seconds'
crash_re='Kernel panic|Oops:|BUG:'
console_trouble() {
	grep -a -m1 -E "$lockup_re|$crash_re" "$log" 2>/dev/null | tr -d '\r'
}
# What each emulated CPU is doing (QEMU's monitor: registers and the next
# instructions, twice, two seconds apart), into OUT/cpus.txt. A RIP in the
# kernel is also given as an offset from _text (init.sh notes where KASLR
# put it): Debian's System.map is a stub, but the offset names the code
# against /proc/kallsyms of any boot of the same kernel, or its -dbg package.
dump_cpus() {
	[ $vendor = amd ] && [ -S "$work/monitor" ] && command -v python3 >/dev/null 2>&1 || return 0
	timeout 20 python3 - "$work/monitor" "$log" >"$out/cpus.txt" 2>&1 <<'PY' || true
import re, socket, sys, time
base = re.search(r'LANE-NOTE: _text at ([0-9a-f]+)', open(sys.argv[2], errors='replace').read())
base = int(base.group(1), 16) if base else None
def where(rip):
    if base is not None and 0 <= rip - base < 1 << 26:
        return '_text+0x%x' % (rip - base)
    return 'outside the kernel text (a module, user space or a nested guest)'
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.settimeout(3)
def read():
    # Up to the monitor's next prompt (or 3 s of silence).
    buf = b''
    try:
        while not buf.endswith(b'(qemu) '):
            d = s.recv(65536)
            if not d:
                break
            buf += d
    except socket.timeout:
        pass
    return buf.decode(errors='replace')
read()
for snap in (1, 2):
    s.sendall(b'info registers -a\n')
    text = read()
    print('--- snapshot %d' % snap)
    cpus = [(m.group(1), re.search(r'[RE]IP=([0-9a-f]+)', m.group(2)))
            for m in re.finditer(r'^CPU#(\d+)[^\n]*\n(.*?)(?=^CPU#|\Z)', text, re.S | re.M)]
    for cpu, rip in cpus:
        if rip:
            print('CPU#%s IP=%s %s' % (cpu, rip.group(1), where(int(rip.group(1), 16))))
    print('\n'.join(l for l in text.splitlines() if '\x1b' not in l and '(qemu)' not in l))
    # The instructions at each RIP (a breakpoint of live patching shows as int3).
    for cpu, _ in cpus:
        s.sendall(b'cpu %s\n' % cpu.encode())
        read()
        s.sendall(b'x/4i $pc\n')
        print('CPU#%s code:' % cpu)
        print('\n'.join(l for l in read().splitlines() if '\x1b' not in l and '(qemu)' not in l))
    if snap == 1:
        time.sleep(2)
PY
}
# Stops the emulator: after its CPUs are dumped, TERM, then KILL.
stop_guest() {
	dump_cpus
	kill "$qpid" 2>/dev/null || true
	i=0
	while kill -0 "$qpid" 2>/dev/null && [ $i -lt 5 ]; do
		sleep 1
		i=$((i + 1))
	done
	kill -9 "$qpid" 2>/dev/null || true
	wait "$qpid" 2>/dev/null || true
}
# Waits for the emulator ($qpid), watching the console, and sets rc: the
# emulator's exit status; 124 when the guest outlived $timeout; 125 when
# the console showed a lockup or a crash ($trouble: that line). The guest
# is stopped at once in both cases; its stack trace gets two seconds.
# With "results", complete results also end the run, with rc 0: an emulator
# may stay up after the guest powers off (Bochs: its ACPI S5 is not an exit
# everywhere). 126: the guest's /init beats (LANE-ALIVE on the console every
# 10 s of guest time) and then fell silent for $silence s: its CPUs are stuck
# with interrupts off, where no kernel watchdog can speak.
watch_guest() {
	rc= trouble= heard=$(date +%s) size=0
	while [ -z "$rc" ]; do
		now=$(date +%s)
		grown=$(wc -c <"$log" 2>/dev/null || echo 0)
		if [ "$grown" != "$size" ]; then
			size=$grown heard=$now
		fi
		if ! kill -0 "$qpid" 2>/dev/null; then
			wait "$qpid" && rc=0 || rc=$?
		elif [ $((now - heard)) -ge "$silence" ] && grep -q '^LANE-ALIVE' "$log" 2>/dev/null &&
			! grep -q '^LANE-RESULTS-END' "$xfer" 2>/dev/null; then
			stop_guest
			rc=126
		elif [ "${1:-}" = results ] && grep -q '^LANE-RESULTS-END' "$xfer" 2>/dev/null; then
			sleep 2
			kill "$qpid" 2>/dev/null || true
			wait "$qpid" 2>/dev/null || true
			rc=0
		elif trouble=$(console_trouble) && [ -n "$trouble" ]; then
			sleep 2
			stop_guest
			rc=125
		elif [ $(($(date +%s) - start)) -ge "$timeout" ]; then
			stop_guest
			rc=124
		else
			sleep 1
		fi
	done
	qpid=
}
mkdir -p "$out"
xfer=$work/xfer
: >"$xfer"
: >"$log"
start=$(date +%s)
# TCG's EPYC model has no invariant-TSC bit, so Linux marks an AMD guest's
# TSC unstable as soon as it has two CPUs, and KVM then re-bases the nested
# guest's TSC at every vCPU load. QEMU's TSC is the host's, on every vCPU:
# tsc=reliable tells the guest kernel so. (--append '' shows the other case.)
if [ "$append" = default ]; then
	append=
	[ $vendor != amd ] || append=tsc=reliable
fi
# An exact lane (Bochs; QEMU with -icount) counts instructions, and where
# the kernel lays out its text (KASLR) and each syscall's stack (the random
# kernel stack offset) moves a path by a few of them from boot to boot
# (docs/mitigations.md, "Exact across boots"): fixed, so two boots agree.
layout=
[ $vendor = amd ] && [ -z "$qemu_icount" ] || layout="nokaslr randomize_kstack_offset=off"
cmdline="console=ttyS0,115200 panic=-1 oops=panic quiet loglevel=4 mitigations=off $layout $append"
# How long a beating guest may stay silent: twelve beats of TCG's guest time
# (the host's clock), or about twenty of Bochs's (a beat a guest second, 40
# or more host seconds on a busy host), with room for a loaded host.
silence=${LANE_SILENCE:-120}
[ $vendor = amd ] || silence=${LANE_SILENCE:-900}
if [ $vendor = amd ]; then
	qemu-system-x86_64 -accel tcg,thread="$qemu_thread" -cpu EPYC,+svm,+npt \
		${qemu_icount:+-icount "$qemu_icount"} \
		-m 2048 -smp "$qemu_smp" -display none -no-reboot \
		-monitor unix:"$work/monitor",server=on,wait=off \
		-chardev file,id=con,path="$log" -serial chardev:con \
		-chardev file,id=xfer,path="$xfer" -serial chardev:xfer \
		-kernel "$kernel" -initrd "$work/initrd" -append "$cmdline" \
		</dev/null >"$work/qemu.err" 2>&1 &
	qpid=$!
	watch_guest
	emu="QEMU $(qemu-system-x86_64 --version | sed -n '1s/.*version \([^ ]*\).*/\1/p') TCG thread=$qemu_thread${qemu_icount:+, -icount $qemu_icount}, -cpu EPYC,+svm,+npt -smp $qemu_smp"
else
	. "$(dirname "$0")/bochs.sh"
fi
wall=$(( $(date +%s) - start ))
cpus=
[ ! -s "$out/cpus.txt" ] || cpus="; its CPUs: $out/cpus.txt"
# A guest that died by itself (a panic reboots, and QEMU then exits) is
# named by its console too, unless its results came back whole.
[ -n "$trouble" ] || grep -q '^LANE-RESULTS-END' "$xfer" || trouble=$(console_trouble)
if [ -n "$trouble" ]; then
	if printf '%s\n' "$trouble" | grep -q -E "$lockup_re"; then
		die "the guest's kernel locked up, stopped ${wall}s into the boot: '$trouble' (console: $log$cpus)"
	fi
	die "the guest's kernel crashed, stopped ${wall}s into the boot: '$trouble' (console: $log$cpus)"
fi
if [ "$rc" -eq 126 ]; then
	die "the guest stopped: its console has been silent for ${silence}s, heartbeat included, ${wall}s into the boot (CPUs stuck with interrupts off?; console: $log$cpus)"
fi
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
	die "the guest did not finish within ${timeout}s (console: $log; last line: $(tail -1 "$log" | tr -d '\r')$cpus)"
fi
grep -q '^LANE-RESULTS-BEGIN' "$xfer" ||
	die "the guest sent no results (emulator exit $rc; console $log: $(grep -m1 -E 'LANE-ERROR|Kernel panic|BUG:' "$log" | tr -d '\r'))"
grep -q '^LANE-RESULTS-END' "$xfer" || die "the guest's results are cut short (console: $log)"
sed -n '/^LANE-RESULTS-BEGIN/,/^LANE-RESULTS-END/p' "$xfer" | sed '1d;$d' | tr -d '\r' |
	base64 -d | gzip -dc | tar -x -C "$out" || die "the guest's results do not unpack"
{
	echo "emulator=$emu"
	echo "kernel_package=${pkg:-custom}"
	echo "kernel=$kver"
	echo "kvm_module=$kvm_mod"
	echo "kvm_params=$params"
	echo "kernel_cmdline=$cmdline"
	[ $vendor != amd ] || echo "kvm_hold=$([ -f "$root/bin/lane-kvm-hold" ] && echo 1 || echo 0)"
	echo "wall_seconds=$wall"
} >"$out/lane.env"
echo "$prog: $vendor guest ($kver, $emu) finished in ${wall}s; results in $out" >&2
