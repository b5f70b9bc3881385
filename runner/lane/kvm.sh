#!/bin/busybox sh
# SPDX-License-Identifier: MIT
# lane-kvm load|unload: loads the lane's KVM modules (dependencies first,
# the vendor module with the lane's --kvm-param) or unloads them in reverse
# order. /init loads them before the run unless lane.sh was given
# --defer-kvm; a --guest-cmd can then run something with VMX to itself
# first (the raw VMX module) and load KVM after it.
mods=$(cat /lane/modules)
case $1 in
load)
	last=
	for m in $mods; do last=$m; done
	for m in $mods; do
		p=
		[ "$m" != "$last" ] || p=$(cat /lane/params)
		# shellcheck disable=SC2086 # the parameters are separate words
		insmod /lane/mod/$m.ko $p || {
			echo "lane-kvm: insmod $m $p failed: $(dmesg | tail -1)" >&2
			exit 1
		}
	done
	[ -c /dev/kvm ] || {
		echo "lane-kvm: no /dev/kvm after loading the modules: $(dmesg | grep -i -m1 -E 'kvm|svm|vmx')" >&2
		exit 1
	}
	;;
unload)
	rev=
	for m in $mods; do rev="$m $rev"; done
	for m in $rev; do
		rmmod "$(echo "$m" | tr - _)" || exit 1
	done
	;;
*)
	echo "usage: lane-kvm load|unload" >&2
	exit 2
	;;
esac
