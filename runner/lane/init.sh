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
# What udev would add: programs write to /dev/stdout and friends.
for i in 0:stdin 1:stdout 2:stderr; do
	ln -sf /proc/self/fd/${i%%:*} /dev/${i#*:}
done
ln -sf /proc/self/fd /dev/fd
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null ||
	echo "LANE-NOTE: tracefs could not be mounted"
# Where the kernel's text is (KASLR), so that the host can name the code
# a stuck CPU is in (lane.sh's dump_cpus, against System.map).
echo "LANE-NOTE: _text at $(sed -n 's/^\([0-9a-f]*\) T _text$/\1/p' /proc/kallsyms)"

lane_error() {
	echo "LANE-ERROR: $*"
	echo "LANE-ERROR: $*" >>/out/lane.err
}

if [ ! -f /lane/defer-kvm ]; then
	msg=$(lane-kvm load 2>&1) || lane_error "$msg"
	# One VM alive through the run: KVM then never patches __schedule
	# (kvm_hold.c). It dies with the guest.
	[ ! -x /bin/lane-kvm-hold ] || lane-kvm-hold &
fi
for f in /sys/module/kvm_amd/parameters/npt /sys/module/kvm_intel/parameters/ept; do
	[ ! -f "$f" ] || echo "LANE-NOTE: $f=$(cat "$f")"
done

# The TSC becomes a clocksource only after its refined calibration, about
# a second after boot; until then vmexit-bench (rightly) does not trust
# guest stamps against host stamps. The wait is idle time, which the
# emulators pass quickly.
cs=/sys/devices/system/clocksource/clocksource0/current_clocksource
i=0
while [ "$(cat $cs 2>/dev/null)" = tsc-early ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
echo "LANE-NOTE: clocksource $(cat $cs 2>/dev/null)"

# A heartbeat on the console: lane.sh ends a guest that stops beating
# (both CPUs stuck with interrupts off, where no kernel watchdog speaks).
# Its period, in guest seconds, is lane.sh's choice for the emulator.
beat=$(cat /lane/heartbeat 2>/dev/null || echo 10)
(while :; do echo "LANE-ALIVE"; sleep "$beat"; done) &
echo $! >/tmp/lane-heartbeat.pid
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
	tar -C /out -cf - . | gzip -c | base64
	echo LANE-RESULTS-END
} >/dev/ttyS1
sync
poweroff -f
