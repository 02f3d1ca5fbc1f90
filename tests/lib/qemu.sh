# QEMU for the test bed: one function builds the argv from the scenario's
# variables, one runs it with a timeout. Sourced.
#   SMP        vCPUs (default 2)
#   IOMMU      "", intel, intel-x2apic (eim=on: x2APIC remapping; the
#              patched QEMU 10), amd or amd-x2apic (xtsup=on)
#   HPET_MSI   on/off (default on)
#   HPET_TIMERS number of HPET channels ("" = QEMU's default, 3)
#   HPET_MODEL "" = QEMU's idealized HPET (every timer periodic, 64-bit,
#              FSB wins over legacy replacement); intel = the Intel
#              PCH/SoC datasheets' HPET: 8 timers, only timer 0 periodic
#              and 64-bit, 1-7 32-bit one-shot, 4-7 FSB only, legacy
#              replacement owns 0 and 1 (patched QEMU, tests/qemu/0002)
#   HPET_FREQ  main counter frequency in Hz ("" = QEMU's 100 MHz)
#   HPET_FSB   bitmask of the timers that can send FSB messages ("" = all)
#   HPET_DROP  N: the patched QEMU loses the Nth HPET FSB message
#   MACHINE    extra -machine options (e.g. hpet=off)
#   APPEND     kernel command line after console=ttyS0
#   QEMU       binary (default qemu-system-x86_64)
#   CPU        -cpu model (default max)
#   TRACE      QEMU trace event patterns, written to LOG.trace
#   MONITOR    path of a unix socket for the QEMU monitor ("" = none)
#   INITRD     initramfs under build/ (default initramfs.cpio.gz;
#              initramfs-kdump.cpio.gz carries a capture kernel)
#   KDB_SOCK   path of a unix socket for a second serial port (ttyS1,
#              kgdboc's), driven by tests/lib/kdb.py ("" = none)
#   PIN        host CPUs QEMU may run on (taskset list, "" = any): fewer
#              host CPUs than vCPUs oversubscribes them
#   NO_LPJ     1: no lpj= on the command line, so the APs calibrate their
#              delay loop the slow way, as in a guest whose TSC
#              calibration fails

# Under TCG the APs' delay-loop calibration often fails ("calibrate_delay_direct()
# failed") and leaves them a loops_per_jiffy far too small, so mdelay() -
# and test_lockup's state=R lockups - end early on those CPUs. Give every
# CPU the TSC-based value: host TSC (the guest's TSC runs at the host's
# rate under TCG) / CONFIG_HZ.
host_lpj() {
	local mhz hz
	mhz=$(awk -F: '/^cpu MHz/ { print $2; exit }' /proc/cpuinfo)
	hz=$(sed -n 's/^CONFIG_HZ=//p' "$BUILD/kernel.config" 2>/dev/null)
	[ -n "$mhz" ] && [ -n "$hz" ] && awk -v m="$mhz" -v h="$hz" 'BEGIN { printf "lpj=%d", m * 1e6 / h }'
}

qemu_argv() {
	local mon=none
	[ -z "${MONITOR:-}" ] || mon="unix:$MONITOR,server=on,wait=off"
	QARGV=("${QEMU:-qemu-system-x86_64}" -machine "q35${MACHINE:+,$MACHINE}"
		-accel tcg -cpu "${CPU:-max}" -smp "${SMP:-2}" -m 512
		-display none -monitor "$mon" -serial stdio -nic none -no-reboot
		-kernel "$BUILD/bzImage" -initrd "$BUILD/${INITRD:-initramfs.cpio.gz}"
		-append "console=ttyS0 panic=-1 $([ "${NO_LPJ:-}" = 1 ] || host_lpj) $APPEND"
		-global "hpet.msi=${HPET_MSI:-on}")
	case "${HPET_MODEL:-}" in
	"") ;;
	intel) QARGV+=(-global hpet.timers=8 -global hpet.periodic-timers=0x1
		-global hpet.wide-timers=0x1 -global hpet.ioapic-timers=0xf
		-global hpet.legacy-wins=on) ;;
	*) die "unknown HPET_MODEL '$HPET_MODEL' (intel or empty)" ;;
	esac
	[ -n "${HPET_TIMERS:-}" ] && QARGV+=(-global "hpet.timers=$HPET_TIMERS")
	[ -n "${HPET_FREQ:-}" ] && QARGV+=(-global "hpet.frequency=$HPET_FREQ")
	[ -n "${HPET_FSB:-}" ] && QARGV+=(-global "hpet.fsb-timers=$HPET_FSB")
	[ -n "${HPET_DROP:-}" ] && QARGV+=(-global "hpet.drop-fsb=$HPET_DROP")
	case "${IOMMU:-}" in
	"") ;;
	intel) QARGV+=(-device intel-iommu,intremap=on) ;;
	intel-x2apic) QARGV+=(-device intel-iommu,intremap=on,eim=on) ;;
	amd) QARGV+=(-device amd-iommu,intremap=on) ;;
	amd-x2apic) QARGV+=(-device amd-iommu,intremap=on,xtsup=on) ;;
	*) die "unknown IOMMU '$IOMMU' (intel, intel-x2apic, amd or amd-x2apic)" ;;
	esac
	# A QEMU built from source has no firmware of its own: use Debian's.
	# -nodefaults: with QEMU 10's default devices, bookworm's SeaBIOS
	# spends ~32 s before it starts the kernel (3 s without them); the
	# serial port and monitor are given explicitly above.
	[ -z "${QEMU:-}" ] || QARGV+=(-nodefaults -L /usr/share/seabios -L /usr/share/qemu)
	[ -z "${KDB_SOCK:-}" ] || QARGV+=(-serial "unix:$KDB_SOCK,server=on,wait=off")
	QARGV+=(${QEMU_EXTRA:-})
	local t
	for t in ${TRACE:-}; do
		QARGV+=(-trace "$t")
	done
}

# qemu_run LOG TIMEOUT: boots, returns 0, or 124 after a timeout.
qemu_run() {
	local log=$1 limit=$2 rc=0
	command -v "${QEMU:-qemu-system-x86_64}" >/dev/null ||
		die "QEMU (${QEMU:-qemu-system-x86_64}) is not installed (run 'make deps')"
	qemu_argv
	[ -z "${TRACE:-}" ] || QARGV+=(-D "$log.trace")
	rm -f "$log.trace"
	printf '%q ' "${QARGV[@]}" > "$log.cmd"
	# Line-buffered: a host hook (run-scenario) may follow the log live.
	local pin=()
	[ -z "${PIN:-}" ] || pin=(taskset -c "$PIN")
	timeout -k 5 "$limit" "${pin[@]}" "${QARGV[@]}" < /dev/null 2>&1 | stdbuf -oL tr -d '\r' > "$log"
	rc=${PIPESTATUS[0]}
	return $rc
}

# monitor_send CMD [answer]: one command to the running QEMU's monitor
# (MONITOR); with "answer", print what QEMU answered.
monitor_send() {
	python3 - "$MONITOR" "$1" "${2:-}" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.settimeout(2)
s.recv(4096)
s.sendall(sys.argv[2].encode() + b"\n")
if sys.argv[3] != "answer":
    time.sleep(0.2)
    s.close()
    sys.exit(0)
time.sleep(0.5)
out = b""
try:
    while True:
        b = s.recv(4096)
        if not b:
            break
        out += b
except socket.timeout:
    pass
s.close()
print(out.decode(errors="replace").replace("\r", ""))
PY
}

# monitor_cmd CMD: send one monitor command. monitor_query CMD: and print
# QEMU's answer.
monitor_cmd() { monitor_send "$1"; }
monitor_query() { monitor_send "$1" answer; }

# wait_log LINE TIMEOUT: until the live log has a line matching ERE LINE.
wait_log() {
	local i=0
	while ! grep -Eq -- "$1" "$LOG" 2>/dev/null; do
		i=$((i + 1))
		[ $i -le $(($2 * 5)) ] || return 1
		sleep 0.2
	done
}
