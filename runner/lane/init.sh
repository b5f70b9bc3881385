#!/bin/busybox sh
# shellcheck shell=dash
# SPDX-License-Identifier: MIT
# /init of the lane's guest (see lane.sh): load KVM, run vmexit-bench, send
# /out back over the second serial port, power off. Every failure is named
# on the console with a LANE-ERROR line, and the guest still powers off.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null ||
	echo "LANE-NOTE: tracefs could not be mounted"

lane_error() {
	echo "LANE-ERROR: $*"
	echo "LANE-ERROR: $*" >>/out/lane.err
}

params=$(cat /lane/params)
last=
for m in $(cat /lane/modules); do last=$m; done
for m in $(cat /lane/modules); do
	p=
	[ "$m" != "$last" ] || p=$params
	# shellcheck disable=SC2086 # the parameters are separate words
	insmod /lane/mod/$m.ko $p || lane_error "insmod $m $p failed: $(dmesg | tail -1)"
done
[ -c /dev/kvm ] || lane_error "no /dev/kvm after loading the modules: $(dmesg | grep -i -m1 -E 'kvm|svm|vmx')"
for f in /sys/module/kvm_amd/parameters/npt /sys/module/kvm_intel/parameters/ept; do
	[ ! -f "$f" ] || echo "LANE-NOTE: $f=$(cat "$f")"
done

cd /tmp || lane_error "no /tmp"
if [ -f /lane/cmd ]; then
	sh -c "$(cat /lane/cmd)" >/out/stdout.txt 2>/out/stderr.txt
	rc=$?
else
	set --
	while IFS= read -r a; do
		set -- "$@" "$a"
	done </lane/args
	"$@" >/out/stdout.txt 2>/out/stderr.txt
	rc=$?
fi
echo "$rc" >/out/lane.rc
echo "LANE-NOTE: exit status $rc"
dmesg >/out/dmesg.txt

stty -F /dev/ttyS1 115200 raw 2>/dev/null
{
	echo LANE-RESULTS-BEGIN
	tar -C /out -cf - . | base64
	echo LANE-RESULTS-END
} >/dev/ttyS1
sync
poweroff -f
