# QEMU for the test bed: one function builds the argv from the scenario's
# variables, one runs it with a timeout. Sourced.
#   SMP        vCPUs (default 2)
#   IOMMU      "", intel or amd
#   HPET_MSI   on/off (default on)
#   HPET_TIMERS number of HPET channels ("" = QEMU's default, 3)
#   MACHINE    extra -machine options (e.g. hpet=off)
#   APPEND     kernel command line after console=ttyS0
#   QEMU       binary (default qemu-system-x86_64)
#   CPU        -cpu model (default max)
#   TRACE      QEMU trace event patterns, written to LOG.trace
#   MONITOR    path of a unix socket for the QEMU monitor ("" = none)

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
		-kernel "$BUILD/bzImage" -initrd "$BUILD/initramfs.cpio.gz"
		-append "console=ttyS0 panic=-1 $(host_lpj) $APPEND"
		-global "hpet.msi=${HPET_MSI:-on}")
	[ -n "${HPET_TIMERS:-}" ] && QARGV+=(-global "hpet.timers=$HPET_TIMERS")
	case "${IOMMU:-}" in
	"") ;;
	intel) QARGV+=(-device intel-iommu,intremap=on) ;;
	amd) QARGV+=(-device amd-iommu,intremap=on) ;;
	*) die "unknown IOMMU '$IOMMU' (intel or amd)" ;;
	esac
	# A QEMU built from source has no firmware of its own: use Debian's.
	[ -z "${QEMU:-}" ] || QARGV+=(-L /usr/share/seabios -L /usr/share/qemu)
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
	timeout -k 5 "$limit" "${QARGV[@]}" < /dev/null 2>&1 | stdbuf -oL tr -d '\r' > "$log"
	rc=${PIPESTATUS[0]}
	return $rc
}

# monitor_cmd CMD: one command to the running QEMU's monitor (MONITOR).
monitor_cmd() {
	python3 - "$MONITOR" "$1" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.settimeout(2)
s.recv(4096)
s.sendall(sys.argv[2].encode() + b"\n")
time.sleep(0.2)
s.close()
PY
}

# wait_log LINE TIMEOUT: until the live log has a line matching ERE LINE.
wait_log() {
	local i=0
	while ! grep -Eq -- "$1" "$LOG" 2>/dev/null; do
		i=$((i + 1))
		[ $i -le $(($2 * 5)) ] || return 1
		sleep 0.2
	done
}
