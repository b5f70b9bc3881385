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
#
# Exit status: 0 the guest ran vmexit-bench and its results are in OUT
# (vmexit-bench's own exit status is in OUT/lane.rc); 77 the lane cannot run
# here (no QEMU/Bochs, no kernel package), with the reason on stderr; 2 bad
# usage; 1 anything else (the guest hung, crashed or sent nothing back).
set -eu

prog=lane
die() { echo "$prog: $*" >&2; exit 1; }
usage() { echo "$prog: $*" >&2; exit 2; }
skip() { echo "$prog: SKIP: $*" >&2; exit 77; }

vendor='' bin='' out='' cache=./lane-cache pkg='' kernel='' moddir='' params=''
timeout=900 log='' guest_cmd='' append=default files='' abs_files='' defer=''
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
	case $f in
	*.ko) cp "$f" "$root/lane/mod/$m.ko" ;;
	*) die "$f is compressed; busybox insmod needs plain .ko modules" ;;
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
cp "$(dirname "$0")/init.sh" "$root/init"
cp "$(dirname "$0")/kvm.sh" "$root/bin/lane-kvm"
chmod +x "$root/init" "$root/bin/lane-kvm"
(cd "$root" && find . | cpio -o -H newc --quiet) >"$work/initrd" || die "cpio failed"

# --- boot ------------------------------------------------------------------
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
cmdline="console=ttyS0,115200 panic=-1 oops=panic quiet loglevel=4 mitigations=off $append"
if [ $vendor = amd ]; then
	timeout -k 5 "$timeout" qemu-system-x86_64 -accel tcg,thread=multi -cpu EPYC,+svm,+npt \
		-m 2048 -smp 2 -display none -monitor none -no-reboot \
		-chardev file,id=con,path="$log" -serial chardev:con \
		-chardev file,id=xfer,path="$xfer" -serial chardev:xfer \
		-kernel "$kernel" -initrd "$work/initrd" -append "$cmdline" \
		</dev/null >"$work/qemu.err" 2>&1 &
	qpid=$!
	wait "$qpid" && rc=0 || rc=$?
	qpid=
	emu="QEMU $(qemu-system-x86_64 --version | sed -n '1s/.*version \([^ ]*\).*/\1/p') TCG, -cpu EPYC,+svm,+npt"
else
	. "$(dirname "$0")/bochs.sh"
fi
wall=$(( $(date +%s) - start ))
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
	die "the guest did not finish within ${timeout}s (console: $log; last line: $(tail -1 "$log" | tr -d '\r'))"
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
	echo "wall_seconds=$wall"
} >"$out/lane.env"
echo "$prog: $vendor guest ($kver, $emu) finished in ${wall}s; results in $out" >&2
