# SPDX-License-Identifier: MIT
# shellcheck shell=sh
#
# The Intel half of lane.sh's boot step (sourced, not run): boots $kernel
# with $work/initrd and $cmdline under Bochs, which emulates VMX with EPT,
# from an isolinux CD image (Bochs has no direct kernel boot). Writes the
# console (COM1) to $log and the second serial port (COM2) to $xfer; sets
# rc (Bochs's exit status, 124 when $timeout ran out, 125 when the console
# showed a lockup or a crash: lane.sh's watch_guest) and emu.
#
# Bochs's TSC counts emulated instructions (clock: sync=none: no wall-clock
# pacing), so every tick the guest measures is an instruction retired by
# the emulated CPU, and a run repeats to the tick.
#
# Tunables (environment): LANE_BOCHS_CPU (default corei7_skylake_x),
# LANE_BOCHS_MEGS (default 512), LANE_BOCHS_IPS (default 100000000).

bochs_cpu=${LANE_BOCHS_CPU:-corei7_skylake_x}
bochs_megs=${LANE_BOCHS_MEGS:-512}
bochs_ips=${LANE_BOCHS_IPS:-100000000}
iso=$work/iso
mkdir -p "$iso/isolinux"
cp /usr/lib/ISOLINUX/isolinux.bin /usr/lib/syslinux/modules/bios/ldlinux.c32 "$iso/isolinux/"
cp "$kernel" "$iso/vmlinuz"
mv "$work/initrd" "$iso/initrd"
cat >"$iso/isolinux/isolinux.cfg" <<EOF
default lane
prompt 0
timeout 0
label lane
  kernel /vmlinuz
  append initrd=/initrd $cmdline
EOF
genisoimage -quiet -o "$work/lane.iso" -b isolinux/isolinux.bin -c isolinux/boot.cat \
	-no-emul-boot -boot-load-size 4 -boot-info-table -J -R "$iso" 2>"$work/genisoimage.err" ||
	die "genisoimage failed: $(tail -1 "$work/genisoimage.err")"
rm -rf "$iso"
# rfb with timeout=0: Debian's Bochs has no nogui, and must not wait for a
# viewer. The VGA BIOS is needed by the system BIOS even with nothing shown.
cat >"$work/bochsrc" <<EOF
megs: $bochs_megs
cpu: model=$bochs_cpu, count=1, ips=$bochs_ips, reset_on_triple_fault=0
display_library: rfb, options="timeout=0"
sound: driver=dummy
speaker: enabled=0
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/bochs/VGABIOS-lgpl-latest
ata0: enabled=1, ioaddr1=0x1f0, ioaddr2=0x3f0, irq=14
ata0-master: type=cdrom, path=$work/lane.iso, status=inserted
boot: cdrom
com1: enabled=1, mode=file, dev=$log
com2: enabled=1, mode=file, dev=$xfer
log: $work/bochs.log
panic: action=fatal
error: action=report
clock: sync=none, time0=1
EOF
# Debian's Bochs includes the debugger, which wants "c" to start.
echo c >"$work/debugger.in"
(cd "$work" && exec bochs -q -f "$work/bochsrc") <"$work/debugger.in" >"$work/bochs.out" 2>&1 &
qpid=$!
watch_guest results
cp "$work/bochs.log" "$out/bochs.log" 2>/dev/null || true
emu="Bochs $(dpkg-query -W -f='${Version}' bochs 2>/dev/null | sed 's/[+~].*//'), cpu $bochs_cpu, ips=$bochs_ips, megs=$bochs_megs"
