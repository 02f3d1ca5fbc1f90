# Scenario table. A scenario = kernel command line + QEMU options + a guest
# script + assertions on the serial log. scenario NAME sets the variables
# of tests/lib/qemu.sh plus GUEST, ARGS, TIMEOUT, and defines assertions().
# Sourced.

THRESH=2          # watchdog_thresh of the lockup scenarios (s)
USER_QEMU=${USER_QEMU-${QEMU:-}}   # QEMU= from the caller, kept across scenarios
LOCK_SECS=6       # how long test_lockup holds a CPU
LOCK_SECS_ONE=4   # the same for the matrix's one-CPU lockups (reported by 2.5 s)
TRAIN_SECS=${TRAIN_SECS:-30}  # guest seconds of each emulated PMI train phase

list_scenarios() {
	local i m n t
	echo demo
	for m in rr ipi; do
		for n in 1 4 8; do
			for t in cpu0 last all; do
				[ "$n" = 1 ] && [ "$t" = last ] && continue
				echo "lockup-$m-${n}cpu-$t"
			done
		done
	done
	# QEMU's idealized HPET (periodic channel 2), and the datasheet
	# HPET at 14.318 and 100 MHz: one family each.
	echo ideal-rr-4cpu-last ideal-ipi-4cpu-all f14-rr-4cpu-all f14-ipi-4cpu-last
	echo f100-rr-4cpu-last f100-ipi-4cpu-all
	for i in intel amd; do
		for m in rr ipi; do
			for n in 2 4 8; do
				for t in last all; do
					# 2 CPUs: one-CPU lockups only; 4 CPUs: all
					# (2 and 8 cover the last CPU; make check's
					# time budget).
					[ "$n" = 2 ] && [ "$t" = all ] && continue
					[ "$n" = 4 ] && [ "$t" = last ] && continue
					# VT-d's 4- and 8-CPU runs are in x2APIC
					# mode (below), as servers run it.
					[ "$i" = intel ] && [ "$n" != 2 ] && continue
					echo "ir-$i-$m-${n}cpu-$t"
				done
			done
		done
	done
	# VT-d in x2APIC mode (eim=on), as servers run it.
	echo ir-x2apic-rr-4cpu-all ir-x2apic-ipi-4cpu-all ir-x2apic-rr-8cpu-last ir-x2apic-ipi-8cpu-last
	echo ir-x2apic-proof-rr
	echo apicid256-x2apic-rr apicid256-amd-rr apicid256-noir-rr
	echo ir-intel-proof-rr ir-x2apic-runtime-rr
	# A CPU hot-added into an empty slot, then onlined and locked.
	echo hotadd-ipi ir-x2apic-hotadd-rr
	echo ir-intel-sid-mismatch
	echo ir-amd-proof-rr
	# make soak also runs: noload-ipi runtime-ipi ir-amd-runtime-rr
	# ir-amd-proof-ipi ir-x2apic-proof-ipi hotadd-rr ir-amd-hotadd-ipi
	# train-ir-amd-ipi train-amdwin-ipi ir-intel-sleep-s3-rr deadline-ipi
	# relock-buddy (make check's 45-minute budget).
	echo ir-amd-nmipass-elsewhere ir-intel-tsc-unstable ir-amd-tsc-unstable
	echo kunit kunit-ir kselftest
	echo noload-rr
	echo fallback-default fallback-perf fallback-nohpet fallback-hpet-disable
	echo fallback-nomsi fallback-ir-stock fallback-ir-amd-stock fallback-tsc-unstable
	echo bad-mode bad-option
	echo selftest-wrong-expectation
	echo runtime-rr tsc-unstable-runtime suspend-rr
	echo panic-on-lockup all-cpu-backtrace clockevent-contention touch-nmi-watchdog
	echo relock-hpet
	echo train-rr train-ipi train-ir-intel-rr
	echo train-amdwin-rr train-amdwin-gaps-rr train-amdwin-skew-rr
	echo inject-rr sysrq-rr sysrq-ipi ipi-noshorthand
	echo oversub-rr oversub-ipi
	echo deadline-rr deadline-train-rr deadline-train-ipi legacy-owned wrap-rr
	echo sleep-s2idle-rr sleep-s3-ipi
	# Stopped in kdb (kgdboc on ttyS1) for 20 s or 60 s, then resumed.
	echo kdb-rr kdb-long-rr kdb-ipi-master kdb-ipi-slave kdb-buddy ir-intel-kdb-rr kdb-bph-rr kdb-bph-full-rr
	# A hard-lockup panic into a kdump capture kernel that reads the vmcore.
	echo kdump-rr kdump-ipi kdump-all-rr kdump-buddy ir-intel-kdump-rr ir-amd-kdump-rr kdump-kgdboc-rr
	echo qemu-ir-intel qemu-ir-amd
}

# The patched QEMU (tests/qemu/, built by tests/lib/qemu-build.sh).
patched_qemu() {
	[ -x "${PATCHED_QEMU:-}" ] || PATCHED_QEMU=$("$TOP/tests/lib/qemu-build.sh") ||
		die "the patched QEMU could not be built (tests/lib/qemu-build.sh)"
	echo "$PATCHED_QEMU"
}

# The HPET of Intel's PCH/SoC datasheets (tests/lib/qemu.sh HPET_MODEL):
# the watchdog gets a 32-bit one-shot FSB-only channel. Default 24 MHz.
real_hpet() { # [frequency]
	HPET_MODEL=intel HPET_FREQ=${1:-24000000} QEMU=$(patched_qemu)
}

# The channel the watchdog takes: 4 on the datasheet HPET (the first
# FSB-only one), 2 on QEMU's idealized one.
wdt_timer() {
	[ "$HPET_MODEL" = intel ] && echo 4 || echo 2
}

# What the probe line says about the channel the HPET model offers.
channel_kind() {
	if [ "$HPET_MODEL" = intel ]; then
		echo "channel 4 at $HPET_FREQ Hz, .* one-shot FSB-only channel"
	else
		echo "channel 2 at 100000000 Hz, .* periodic channel"
	fi
}

# ir-intel-* / ir-amd-*: IR names the vIOMMU; it runs on the patched QEMU,
# which puts the HPET behind it.
# ir-x2apic-*: VT-d with extended interrupt mode (eim=on), so the guest runs
# x2APIC and its remapping entries hold x2APIC destinations.
use_ir() { # scenario name
	IR=${1#ir-}; IR=${IR%%-*}
	if [ "$IR" = x2apic ]; then
		IR=intel IOMMU=intel-x2apic
	else
		IOMMU=$IR
	fi
	QEMU=$(patched_qemu)
}

# The detector's VT-d entries (index range from the probe line, read back by
# the vIOMMU at each remap: vtd_ir_irte_get) hold x2APIC destinations: the
# 32-bit destination field (bits 63:32 of the entry's low qword, which QEMU
# prints as "high") is the APIC ID itself; an xAPIC-format entry would hold
# it in bits 47:40 (ID << 8). Every CPU's entry was used.
assert_x2apic_entries() { # [expected APIC IDs, default 0..n-1]
	local first n dests want=${1:-}
	first=$(sed -n 's/.*DMAR-IR: HPET 0: \([0-9]*\) NMI entries at index \([0-9]*\) on IR0.*/\2/p' "$LOG" | head -1)
	n=$(sed -n 's/.*DMAR-IR: HPET 0: \([0-9]*\) NMI entries at index \([0-9]*\) on IR0.*/\1/p' "$LOG" | head -1)
	dests=$(awk -v f="${first:-0}" -v n="${n:-0}" '/^vtd_ir_irte_get / && $3 >= f && $3 < f + n { print $7 }' "$LOG.trace" |
		while read -r q; do echo $((q >> 32)); done | sort -un | tr '\n' ' ')
	echo "$SCN: destinations in the detector's entries $first..$((${first:-0} + ${n:-0} - 1)): $dests"
	[ -n "$want" ] || want=$(seq -s ' ' 0 $((${n:-1} - 1)))
	[ -n "$first" ] && [ "$dests" = "$want " ]
	_result $? "each CPU's entry holds its x2APIC ID as destination ($dests)"
}

# Under IOMMU=intel-x2apic: the guest runs x2APIC with x2APIC-mode remapping.
assert_x2apic_mode() {
	[ "${IOMMU:-}" = intel-x2apic ] || return 0
	expect "DMAR-IR: Enabled IRQ remapping in x2apic mode" "VT-d remaps in x2APIC mode (eim=on)"
	expect "APIC: Switched APIC routing to: (cluster|physical) x2apic" "the guest runs x2APIC"
}

# Count QEMU trace lines of an event in LOG.trace.
trace_count() {
	grep -c "$1 " "$LOG.trace" 2>/dev/null || true
}

# Shared by every lockup scenario: the HPET detector ran and reported the
# locked CPU with test_lockup on its stack within 1.25 x thresh.
assert_lockup_caught() { # cpu
	local c=$1 limit
	limit=$(awk -v t="$THRESH" 'BEGIN { print 1.25 * t }')
	expect "Hard lockup detector: hpet" "hpet detector chosen"
	expect "Watchdog detected hard LOCKUP on cpu $c\$" "lockup on CPU$c reported"
	expect_latency "Start on CPU" "Watchdog detected hard LOCKUP on cpu $c\$" "$limit"
	expect_report_dump "$c"
	assert_only_cpu_reported "$c"
}

# Only the locked CPU: an idle one reported would be a false report.
assert_only_cpu_reported() { # cpu
	awk -v c="$1" 'match($0, /hard LOCKUP on cpu [0-9]+$/) { split(substr($0, RSTART, RLENGTH), w, " "); if (w[5] != c) f = 1 } END { exit f }' "$LOG"
	_result $? "no CPU other than CPU$1 reported"
}

# all_cpus=1: test_lockup's per-CPU works do not all hold their CPU for
# time_secs under TCG (the insmod CPU's often finishes in milliseconds), so
# read from its "Finish on CPUn in X ns" lines which CPUs were really held.
# In the first run, every CPU held >= 1.25 x thresh + 0.3 s is reported
# (right CPU, test_lockup on its stack, within 1.25 x thresh of its own
# start) and no CPU held < 0.9 x thresh is.
assert_all_cpus_caught() {
	local long short c t0 t1 d limit
	limit=$(awk -v t="$THRESH" 'BEGIN { print 1.25 * t }')
	awk '/test_lockup: FINISH/ { exit } { print }' "$LOG" > "$LOG.run1"
	long=$(awk -v t="$THRESH" 'match($0, /Finish on CPU[0-9]+ in [0-9]+ ns/) {
		split(substr($0, RSTART, RLENGTH), w, " "); c = substr(w[3], 4);
		if (w[5] >= (1.25 * t + 0.3) * 1e9) print c }' "$LOG.run1")
	short=$(awk -v t="$THRESH" 'match($0, /Finish on CPU[0-9]+ in [0-9]+ ns/) {
		split(substr($0, RSTART, RLENGTH), w, " "); c = substr(w[3], 4);
		if (w[5] < 0.9 * t * 1e9) print c }' "$LOG.run1")
	[ "$(echo $long | wc -w)" = "$LOCK_N" ]
	_result $? "all $LOCK_N CPUs were held long enough to be caught (held: $(echo $long))"
	for c in $long; do
		grep -q "Watchdog detected hard LOCKUP on cpu $c\$" "$LOG.run1"
		_result $? "held CPU$c reported"
		t0=$(LOG=$LOG.run1 ts_of "Start on CPU$c\$")
		t1=$(LOG=$LOG.run1 ts_of "Watchdog detected hard LOCKUP on cpu $c\$" "Start on CPU$c\$")
		d=$(awk -v a="$t0" -v b="$t1" 'BEGIN { if (a == "" || b == "") print "none"; else printf "%.3f", b - a }')
		[ "$d" != none ] && awk -v d="$d" -v l="$limit" 'BEGIN { exit !(d <= l) }'
		_result $? "CPU$c latency $d s <= $limit s"
		[ "$d" = none ] || echo "$SCN cpu$c latency $d" >> "$RESULTS_DIR/latency.txt"
		LOG=$LOG.run1 expect_report_dump "$c"
	done
	for c in $short; do
		! grep -q "Watchdog detected hard LOCKUP on cpu $c\$" "$LOG.run1"
		_result $? "CPU$c, held only briefly, not reported"
	done
}

# Negative IR scenarios: the vIOMMU refused every NMI of channel 2 (QEMU's
# hpet_fsb_msi result), so the guest saw none while CPU1 was locked.
assert_all_hpet_nmis_dropped() { # "why" "what that proves"
	local sent bad
	sent=$(grep -c "hpet_fsb_msi timer $(wdt_timer) " "$LOG.trace")
	bad=$(grep "hpet_fsb_msi timer $(wdt_timer) " "$LOG.trace" | awk '$NF != 0' | wc -l)
	[ "$sent" -gt 0 ] && [ "$sent" = "$bad" ]
	_result $? "every HPET NMI $1 was dropped by the vIOMMU ($bad of $sent)"
	awk '/HPETWD: NMI:/ { if (over) { same = (before == $0); found = 1; exit } before = $0 }
		/HPETWD: lockup over/ { over = 1 }
		END { exit !(found && same) }' "$LOG"
	_result $? "no NMI reached the guest while CPU1 was locked (NMI counts unchanged)"
	expect_none "hard LOCKUP" "the lockup goes unseen: $2"
}

# Emulated PMI train phases (tests/guest/train.sh): for each phase, no
# report and no unknown NMI while it ran, the train's NMIs all claimed by
# its own handler, and every monitored CPU checked at >= 90% of its
# nominal rate (1 / (0.225 x thresh) per second) by the detector's own
# counters (debugfs hpet_nmi_watchdog/cpus).
assert_train_phases() {
	local i n rate cpus secs line sent claimed frac ok bad m
	n=$(grep -c "HPETWD: phase [0-9]* end" "$LOG")
	[ "$n" -ge 1 ] && [ "$n" = "$TRAIN_NPHASES" ]
	_result $? "all $TRAIN_NPHASES train phases ran ($n)"
	for i in $(seq 1 "$n"); do
		line=$(grep -m1 "HPETWD: phase $i begin" "$LOG")
		rate=$(echo "$line" | sed -n 's/.*rate=\([0-9]*\).*/\1/p')
		cpus=$(echo "$line" | sed -n 's/.* cpus=\([^ ]*\).*/\1/p')
		secs=$(echo "$line" | sed -n 's/.*secs=\([0-9]*\).*/\1/p')
		awk -v b="HPETWD: phase $i begin" -v e="HPETWD: phase $i end" \
			'index($0, b) { s = 1 } s && /hard LOCKUP|Uhhuh. NMI received/ { f = 1 } index($0, e) { exit } END { exit f }' "$LOG"
		_result $? "phase $i ($rate Hz on CPUs $cpus, ${secs}s): no lockup report, no unknown NMI"
		line=$(awk -v b="HPETWD: phase $i begin" 'index($0, b) { s = 1 } s && /hpetwd_nmi_train: stopped:/ { print; exit }' "$LOG")
		sent=$(echo "$line" | sed -n 's/.* sent=\([0-9]*\).*/\1/p')
		claimed=$(echo "$line" | sed -n 's/.* claimed=\([0-9]*\).*/\1/p')
		[ -n "$sent" ] && [ "$sent" -gt 0 ] && [ "$sent" = "$claimed" ]
		_result $? "phase $i: the train sent ${sent:-?} NMIs and its handler claimed ${claimed:-?}"
		echo "$SCN phase $i rate=$rate cpus=$cpus secs=$secs sent=${sent:-0}" >> "$RESULTS_DIR/train.txt"
		# Each tick that merges into a train NMI costs one check. Under
		# TCG an NMI takes ~100 us, so a train of several kHz keeps a
		# CPU in NMI context a third of the time and a third of the
		# ticks merge (README); up to 1 kHz the bound is 90%.
		frac=$([ "$rate" -gt 1000 ] && echo 0.5 || echo 0.9)
		awk -v i="$i" -v secs="$secs" -v t="$THRESH" -v f="$frac" '
			$1 == "HPETWD:" && $2 == "before" && $3 == i { split($6, c, "="); b[$4] = c[2] }
			$1 == "HPETWD:" && $2 == "after" && $3 == i && $5 == "monitored=1" {
				split($6, c, "="); d = c[2] - b[$4]; m++
				if (d < f * secs / (0.225 * t)) { bad = bad " " $4 "=" d } else ok = ok " " $4 "=" d }
			END { printf "%s|%s|%d\n", ok, bad, m }' "$LOG" > "$LOG.checks"
		IFS='|' read -r ok bad m < "$LOG.checks"
		[ "${m:-0}" -gt 0 ] && [ -z "$bad" ]
		_result $? "phase $i: every monitored CPU checked >= $frac x $(awk -v s="$secs" -v t="$THRESH" 'BEGIN { printf "%.1f", s / (0.225 * t) }') times (${ok# }${bad:+; too few:$bad})"
		echo "$SCN phase $i rate=$rate cpus=$cpus secs=$secs checks:$ok$bad" >> "$RESULTS_DIR/train.txt"
	done
}

# A lockup of CPU $1 started after log line $2 is reported, right CPU,
# within 1.25 x thresh (or $3 x thresh) of its own start, test_lockup on
# its stack.
assert_caught_after() { # cpu marker [factor]
	local c=$1 t0 t1 d limit
	limit=$(awk -v t="$THRESH" -v f="${3:-1.25}" 'BEGIN { print f * t }')
	t0=$(ts_of "Start on CPU$c\$" "$2")
	t1=$(ts_of "Watchdog detected hard LOCKUP on cpu $c\$" "$2")
	d=$(awk -v a="$t0" -v b="$t1" 'BEGIN { if (a == "" || b == "") print "none"; else printf "%.3f", b - a }')
	[ "$d" != none ] && awk -v d="$d" -v l="$limit" 'BEGIN { exit !(d >= 0 && d <= l) }'
	_result $? "CPU$c lockup after /$2/ reported in $d s <= $limit s"
	[ "$d" = none ] || echo "$SCN cpu$c latency $d" >> "$RESULTS_DIR/latency.txt"
	expect_report_dump "$c" "$2" "after /$2/"
}

# Count of unknown-NMI reports on CPU $1 between two log lines.
unknown_between() { # cpu from to
	awk -v c="$1" -v a="$2" -v b="$3" 'index($0, a) { s = 1 } index($0, b) { exit }
		s && $0 ~ ("Uhhuh. NMI received for unknown reason .* on CPU " c "\\.") { n++ } END { print n + 0 }' "$LOG"
}

# Exactly $1 emulated PMI trains stopped, and each one's handler claimed
# exactly the NMIs it sent (and sent some).
assert_train_claims() { # trains description
	awk -v want="$1" '/hpetwd_nmi_train: stopped:/ { n++; if (!match($0, / sent=[0-9]+ claimed=[0-9]+/)) exit 1
		split(substr($0, RSTART, RLENGTH), w, /[ =]/); if (w[3] != w[5] || w[3] == 0) exit 1 } END { exit n != want }' "$LOG"
	_result $? "$2"
}

# inject-rr: each round of $INJECT_N monitor NMIs reported as unknown. With
# the train (round 2), an injection that comes while a train NMI is still
# pending on CPU0 merges with it (one NMI latch; under TCG one
# pending-NMI flag per vCPU) and the train's handler claims both:
# hardware, not the detector. One such loss is allowed only if the
# detector absorbed nothing on any CPU during the round (its absorbs are
# the only way it can swallow an NMI it did not claim as a tick; one it
# takes for a tick makes the tick itself unknown, count unchanged).
assert_inject_rounds() {
	local r n c
	for r in 1 2; do
		n=$(unknown_between "[0-9]+" "HPETWD: inject round $r start" "HPETWD: inject round $r end")
		c=$(unknown_between 0 "HPETWD: inject round $r start" "HPETWD: inject round $r end")
		awk -v r="$r" '$1 == "HPETWD:" && $2 == "round" && $3 == r {
			a = 0; for (i = 6; i <= NF; i++) { split($i, kv, "=")
				if (kv[1] ~ /^(latched|stray|handoff|wrap)$/) a += kv[2]
				if (kv[1] == "overdue") { split(kv[2], o, "/"); a += o[2] } }
			if ($4 == "before") b[$5] = a; else { d += a - b[$5]; m++ } }
			END { print (m ? d + 0 : "unknown (no counters)") }' "$LOG" > "$LOG.absorbed$r"
		if [ "$r" = 2 ] && [ "$n" = $((INJECT_N - 1)) ] && [ "$(cat "$LOG.absorbed$r")" = 0 ]; then
			_result 0 "round 2 (1 kHz train): $INJECT_N injected NMIs, $n unknown NMIs reported ($c on CPU0); the detector absorbed nothing, so the other merged with a train NMI"
			echo "inject-rr round 2: 1 of $INJECT_N injections merged with a train NMI" >> "$RESULTS_DIR/merges.txt"
			continue
		fi
		[ "$n" = "$INJECT_N" ] && [ "$(cat "$LOG.absorbed$r")" = 0 ]
		_result $? "round $r$([ $r = 2 ] && echo ' (1 kHz train)'): $INJECT_N injected NMIs, $n unknown NMIs reported ($c on CPU0), none swallowed (detector absorbed $(cat "$LOG.absorbed$r"))"
	done
}

# kdump-*: the report panicked into the capture kernel, which read a
# vmcore whose notes (decoded by tests/lib/vmcore-notes.py, listed by
# readelf) hold one PRSTATUS per CPU: the panicking CPU's registers in
# the crash path, every other CPU's its own (stopped by the crash NMI);
# the old channel's NMIs did not follow into the capture kernel.
assert_kdump() {
	local crash c line sym n cap=$LOG.capture old=$LOG.old
	expect "kexec-crash: capture kernel loaded" "capture kernel loaded with kexec_file_load"
	expect "HPETWD: kexec_crash_loaded=1" "the kernel holds a crash kernel"
	if [ "$KDUMP_DET" = buddy ]; then
		expect "Hard lockup detector: buddy" "buddy runs"
	else
		expect "NMI watchdog: hpet: channel [0-9]+ at [0-9]+ Hz, $KDUMP_MODE mode" "hpet detector runs ($KDUMP_MODE)"
	fi
	# The capture kernel: what follows the second "Linux version"; the
	# crashed kernel's own log as vmcore-dmesg read it there (the report
	# and the panic are printed in NMI context: the console never saw
	# them).
	awk '/Linux version / { n++ } n >= 2 && !/^HPETWD: old /' "$LOG" > "$cap"
	LOG=$cap expect "HPETWD: run vmcore" "the capture kernel booted and ran its script"
	awk '/Linux version / { n++ } n >= 2' "$LOG" | sed -n 's/^HPETWD: old //p' > "$old"
	LOG=$cap expect "HPETWD: vmcore-dmesg rc=0 lines=[1-9]" "vmcore-dmesg read the crashed kernel's log"
	if [ "$KDUMP_CPU" = all ]; then
		crash=$(sed -n 's/.*Watchdog detected hard LOCKUP on cpu \([0-9]*\)$/\1/p' "$old" | head -1)
		[ -n "$crash" ]
		_result $? "all-CPU lockup: CPU${crash:-?} reported first (vmcore's log)"
	else
		LOG=$old assert_caught_after "$KDUMP_CPU" "test_lockup: START" "$([ "$KDUMP_DET" = buddy ] && echo 3.75 || echo 1.25)"
		LOG=$old assert_only_cpu_reported "$KDUMP_CPU"
		crash=$KDUMP_CPU
		[ "$KDUMP_DET" != buddy ] || crash=$((1 - KDUMP_CPU))
	fi
	LOG=$old expect "Kernel panic - not syncing: Hard LOCKUP" "the report panicked (vmcore's log)"
	# Debian's makedumpfile read the whole vmcore in the capture kernel.
	n=$(sed -n 's/^HPETWD: makedumpfile dump \([0-9]*\) bytes: .*last: makedumpfile Completed\.$/\1/p' "$cap")
	[ "${n:-0}" -gt 1000000 ]
	_result $? "makedumpfile -d 31 filtered the whole vmcore (${n:-no} bytes of dump)"
	LOG=$cap expect "HPETWD: makedumpfile dmesg rc=0 lockup lines=[1-9]" "makedumpfile's dmesg holds the report"
	n=$(sed -n 's/^HPETWD: capture kernel: \/proc\/vmcore \([0-9]*\) bytes$/\1/p' "$cap")
	[ "${n:-0}" -gt 300000000 ]
	_result $? "/proc/vmcore holds the old memory (${n:-0} bytes)"
	python3 "$TOP/tests/lib/vmcore-notes.py" "$LOG" "$BUILD/System.map" > "$LOG.notes"
	_result $? "the vmcore's head decoded (ELF core)"
	sed 's/^/  notes: /' "$LOG.notes"
	readelf -n "$LOG.vmcore" > "$LOG.readelf" 2>&1
	n=$(grep -c "NT_PRSTATUS" "$LOG.readelf")
	[ "$n" = "$SMP" ] && grep -q "VMCOREINFO" "$LOG.readelf"
	_result $? "readelf: $n PRSTATUS notes for $SMP CPUs, and VMCOREINFO"
	for c in $(seq 0 $((SMP - 1))); do
		line=$(grep "^cpu $c " "$LOG.notes")
		sym=${line##* }
		if [ "$c" = "$crash" ]; then
			echo "$sym" | grep -Eq "crash|panic"
			_result $? "CPU$c (it panicked): its registers are in the crash path ($sym)"
		else
			[ -n "$line" ] && [ "${line#* rip 0x0 }" = "$line" ] && ! echo "$sym" | grep -Eq "crash_kexec|panic"
			_result $? "CPU$c: its own registers, stopped by the crash NMI (${line:-no note})"
		fi
	done
	# One NMI the old channel had latched on the crashing CPU may come
	# (it is unknown to the capture kernel); more would be the channel
	# still running.
	n=$(grep -c "Uhhuh. NMI received for unknown reason" "$cap")
	[ "$n" -le 1 ]
	_result $? "capture kernel: $n unknown NMIs (1 latched allowed)"
	LOG=$cap expect_none "hard LOCKUP" "no lockup report in the capture kernel"
	n=$(awk '$1 == "HPETWD:" && $2 == "NMI:" { n = $3 } END { print n + 0 }' "$cap")
	if [ -z "$KDUMP_CAPWD" ]; then
		# Its own NMI selftest (DEBUG_NMI_SELFTEST) sends itself one.
		[ "$n" -le 2 ]
		_result $? "no stream of NMIs from the old channel in the capture kernel ($n NMIs: 1 from its NMI selftest, 1 latched allowed)"
	elif LOG=$cap grep -q "NMI watchdog: hpet: not used:" "$cap"; then
		_result 0 "capture kernel: the detector refused in one line ($(grep -o 'NMI watchdog: hpet: not used:.*' "$cap" | head -1))"
	else
		LOG=$cap expect "NMI watchdog: hpet: channel [0-9]+ at [0-9]+ Hz" "capture kernel runs the HPET detector"
		[ "$n" -ge 5 ]
		_result $? "capture kernel: the detector's NMIs arrive ($n)"
	fi
}

# kdb-bph-rr: the hardware breakpoint kdb set (at the address kdb named
# for the function: KASLR) was hit, listed by bl, and after "bc" and "go"
# kdb was never entered again (the guest's output on ttyS1).
assert_kdb_bph() {
	local addr n
	addr=$(2>/dev/null <"$LOG.kdb" sed -n "s/^Instruction(Register) BP #0 at \(0x[0-9a-f]*\) ($KDB_BPH)\$/\1/p" | head -1)
	n=$(2>/dev/null <"$LOG.kdb" sed -n "s/.* on processor \([0-9]*\) due to Breakpoint @ ${addr:-none}\$/\1/p" | sort -u | tr '\n' ' ')
	[ "$n" = "0 1 " ]
	_result $? "bph $KDB_BPH: kdb entered at its breakpoint (${addr:-not set}) on each CPU (CPUs: ${n:-none})"
	n=$(2>/dev/null <"$LOG.kdb" grep -c "BP #0 at ${addr:-none} ($KDB_BPH)")
	[ "${n:-0}" -ge 2 ]
	_result $? "bl lists the hardware breakpoint (${n:-0} lines: bph and bl)"
	! 2>/dev/null <"$LOG.kdb" grep -q "BP #[0-9]* at .* (hpet_wdt_nmi_handler)" &&
		2>/dev/null <"$LOG.kdb" grep -A1 "kdb> bph hpet_wdt_nmi_handler" | tail -1 | grep -qv "kdb>"
	_result $? "bph on the detector's NMI handler refused ($(2>/dev/null <"$LOG.kdb" grep -A1 "kdb> bph hpet_wdt_nmi_handler" | tail -1))"
	# The data breakpoint (kdb names the address by its alias jiffies):
	# kdb entered once more, in the code that writes jiffies_64 (kdb's
	# bt of that entry).
	2>/dev/null <"$LOG.kdb" grep -Eq "Data Write BP #0 at 0x[0-9a-f]* \((jiffies|jiffies_64)\)" &&
		2>/dev/null <"$LOG.kdb" awk '/kdb> bph jiffies_64/ { s = 1 } s && /kdb> bt/ { b = 1; next } b && /kdb>/ { exit } b && /jiffies|do_timer|tick_/ { f = 1 } END { exit !f }'
	_result $? "data write breakpoint on jiffies_64 hit in the code that writes it"
	# kdb keeps its step-over state globally: a hit on one CPU while
	# the other steps over the breakpoint can show up as an "SS trap"
	# entry (upstream kdb); what counts is that nothing comes after bc.
	n=$(2>/dev/null <"$LOG.kdb" awk '/^Breakpoint 0 at 0x[0-9a-f]* cleared/ { n = 0; c = 1; next } c && /Entering kdb/ { n++ } END { print c ? n : "no bc" }')
	[ "$n" = 0 ]
	_result $? "after the last bc and go, kdb never entered again ($n entries after it)"
}

# kdb-*: the stop and what followed it, from the guest's serial logs (ttyS0
# in LOG, kdb's own port ttyS1 in LOG.kdb).
assert_kdb_stop() {
	local pre n
	if [ "$KDB_DET" = buddy ]; then
		expect "Hard lockup detector: buddy" "buddy runs"
	else
		expect "NMI watchdog: hpet: channel [0-9]+ at [0-9]+ Hz, [a-z]+ mode" "hpet detector runs"
		[ "$IR" != intel ] || expect "Hz, rr mode, remapped" "through the remapped entries"
	fi
	expect "KGDB: Registered I/O driver kgdboc" "kgdboc took ttyS1"
	grep -q "Entering kdb (current=.*) on processor $KDB_MASTER due to" "$LOG.kdb" 2>/dev/null
	_result $? "kdb entered on CPU$KDB_MASTER (its output on ttyS1)"
	if [ -n "$KDB_SWITCH" ]; then
		grep -q "^\[$KDB_SWITCH\]kdb> " "$LOG.kdb" 2>/dev/null
		_result $? "kdb switched to CPU$KDB_SWITCH and back"
	fi
	# Uptime across the stop: the guest's own clock went on.
	awk -v s="$KDB_STOP" '/HPETWD: kdb enter from/ { a = $(NF - 2) } /HPETWD: kdb resumed uptime/ { b = $(NF - 2) }
		END { d = b - a; printf "%.1f\n", d; exit !(a != "" && b != "" && d >= s && d <= s + 20) }' "$LOG" > "$LOG.stop"
	_result $? "guest uptime advanced $(cat "$LOG.stop") s across the ${KDB_STOP} s stop"
	expect "HPETWD: kdb resumed uptime [0-9.]+ clocksource tsc\$" "TSC is the clocksource after the stop"
	expect "HPETWD: kdb quiet period over clocksource tsc detector=$KDB_DET( |$)" "still TSC and $KDB_DET 3 x thresh later"
	expect_none "[Uu]nstable|Marking clocksource" "no clocksource marked unstable"
	pre=$(awk '/HPETWD: inducing lockup/ { exit } /hard LOCKUP|soft lockup|rcu: INFO|self-detected stall|Uhhuh/ { n++ } END { print n + 0 }' "$LOG")
	[ "$pre" = 0 ]
	_result $? "no lockup report, RCU stall or unknown NMI from the stop ($pre lines)"
	if [ "$KDB_DET" = hpet ]; then
		awk '$1 == "HPETWD:" && $2 == "before" { split($5, c, "="); b[$3] = c[2] }
			$1 == "HPETWD:" && $2 == "after" { split($5, c, "="); if (!($3 in b) || c[2] <= b[$3]) bad = 1; n++ }
			END { exit bad || n != 2 }' "$LOG"
		_result $? "the detector kept checking both CPUs after the stop"
	fi
	# buddy checks its neighbour every third hrtimer tick (1.2 x
	# thresh) against the count it saw at the previous check, and skips
	# one check after a touch (test_lockup's "Start" line on the serial
	# console touches): up to 3 intervals, 3.6 x thresh.
	if [ -n "$KDB_HOLDBP" ]; then
		expect "hpetwd_hwbp: $KDB_HOLDBP breakpoint slots held by perf events" "perf breakpoint events hold every slot"
		2>/dev/null <"$LOG.kdb" grep -q "failed to set breakpoint at 0x"
		_result $? "kdb says it could not set its breakpoint"
		n=$(grep -c "Entering kdb" "$LOG.kdb" 2>/dev/null)
		[ "${n:-0}" = 1 ]
		_result $? "kdb not entered again (${n:-0} entries)"
	elif [ -n "$KDB_BPH" ]; then
		assert_kdb_bph
	fi
	assert_caught_after "$KDB_LOCK" "HPETWD: inducing lockup" "$([ "$KDB_DET" = buddy ] && echo 3.75 || echo 1.25)"
	assert_only_cpu_reported "$KDB_LOCK"
	expect_none "Uhhuh. NMI received for unknown reason" "no unknown NMIs"
	expect "HPETWD: end kdb" "guest finished the scenario"
}

scenario() {
	SMP=2 IOMMU= IR= HPET_MSI=on HPET_TIMERS= MACHINE= QEMU_EXTRA= CPU= TRACE= MONITOR= KDB_SOCK= INITRD=
	PIN= NO_LPJ= HPET_MODEL= HPET_FREQ= HPET_FSB= HPET_DROP=
	QEMU=$USER_QEMU
	GUEST=state ARGS= TIMEOUT=60
	local base="nmi_watchdog=hpet watchdog_thresh=$THRESH"
	case "$1" in
	demo)
		APPEND="$base"
		GUEST=lockup ARGS="cpu=1,secs=$LOCK_SECS" TIMEOUT=90
		assertions() {
			expect "NMI watchdog: hpet: channel [0-9]+ at [0-9]+ Hz, rr mode"
			assert_lockup_caught 1
			expect "HPETWD: end lockup" "guest finished the scenario"
		}
		;;
	lockup-*|ideal-*|f14-*|f100-*|ir-intel-[ri][rp]*-*cpu-*|ir-amd-[ri][rp]*-*cpu-*|ir-x2apic-[ri][rp]*-*cpu-*)
		local rest=${1#*-} mode n t cpu
		case $1 in
		ideal-*) ;;
		f14-*) real_hpet 14318180 ;;
		f100-*) real_hpet 100000000 ;;
		*) real_hpet ;;
		esac
		if [ "${1#ir-}" != "$1" ]; then
			use_ir "$1"; rest=${1#ir-*-}
		fi
		mode=${rest%%-*}; rest=${rest#*-}; n=${rest%%cpu-*}; t=${rest#*cpu-}
		SMP=$n
		APPEND="$base hpet_nmi_watchdog=$mode"
		case $t in cpu0) cpu=0 ;; last) cpu=$((n - 1)) ;; all) cpu=all ;; esac
		GUEST=lockup TIMEOUT=$((100 + 10 * n))
		ARGS="cpu=$cpu,secs=$([ "$cpu" = all ] && echo $LOCK_SECS || echo $LOCK_SECS_ONE),settle=2"
		LOCK_CPU=$cpu LOCK_N=$n LOCK_MODE=$mode
		assertions() {
			local c
			expect "NMI watchdog: hpet: channel [0-9]+ at [0-9]+ Hz, $LOCK_MODE mode"
			expect "NMI watchdog: hpet: $(channel_kind)" "the watchdog took the channel this HPET offers ($HPET_MODEL${HPET_MODEL:+ }${HPET_FREQ:-100000000} Hz)"
			assert_x2apic_mode
			if [ "$IR" = intel ]; then
				expect "DMAR-IR: HPET id 0 under DRHD" "the HPET is under interrupt remapping"
				expect "DMAR-IR: HPET 0: $LOCK_N NMI entries at index [0-9]+ on IR0, source-id ff08" "one NMI entry reserved per CPU"
				expect "Hz, $LOCK_MODE mode, remapped" "the detector uses the remapped entries"
			elif [ "$IR" = amd ]; then
				expect "AMD-Vi: Interrupt remapping enabled" "AMD-Vi interrupt remapping is on"
				expect "AMD-Vi: HPET 0: NMIPass set for devid 0000:00:14.0, $LOCK_N unremapped NMI targets" "NMIPass set in the HPET's device table entry"
				expect "Hz, $LOCK_MODE mode, NMIPass" "the detector sends unremapped NMIs"
			fi
			if [ "$LOCK_CPU" = all ]; then
				assert_all_cpus_caught
			else
				assert_lockup_caught "$LOCK_CPU"
			fi
			expect_none "Uhhuh. NMI received for unknown reason" "no unknown NMIs"
			expect "HPETWD: end lockup" "guest finished the scenario"
		}
		;;
	apicid256-*)
		# A CPU whose APIC ID is 256 (socket 1 of 200-core sockets,
		# cold-plugged; 398 more possible CPUs are hot-plug slots).
		# Only x2APIC-format remapping reaches it; xAPIC-format and
		# AMD-Vi compatibility-format NMIs carry 8-bit destinations.
		local v=${1#apicid256-}
		real_hpet
		case $v in
		x2apic-*) use_ir ir-x2apic; TRACE=vtd_ir_irte_get ;;
		amd-*) use_ir ir-amd; IOMMU=amd-x2apic ;;
		esac
		A256_MODE=${v#*-}
		SMP=1,sockets=2,cores=200,maxcpus=400
		# Two sockets: Linux trusts their TSCs to be in sync only on
		# Intel or with an invariant TSC, which TCG cannot offer; an
		# Intel-vendor CPU models the Xeon this topology stands for.
		CPU=max,vendor=GenuineIntel
		QEMU_EXTRA="-device max-x86_64-cpu,socket-id=1,core-id=0,thread-id=0"
		APPEND="$base hpet_nmi_watchdog=$A256_MODE"
		# buddy (the amd variant's fallback) checks every third hrtimer
		# tick and needs two checks without progress (6.8 s seen at thresh 2).
		GUEST=lockup TIMEOUT=120 ARGS="cpu=1,secs=$([ "$IOMMU" = amd-x2apic ] && echo 10 || echo $LOCK_SECS_ONE),settle=2"
		assertions() {
			[ "${IOMMU:-}" = "" ] || expect "HPETWD: apicids 0:0 1:256 " "CPU1's APIC ID is 256"
			if [ "${IOMMU:-}" = intel-x2apic ]; then
				assert_x2apic_mode
				expect "NMI watchdog: hpet: channel 4 at [0-9]+ Hz, $A256_MODE mode, remapped" "the detector runs through x2APIC remapping"
				assert_lockup_caught 1
				[ "$A256_MODE" != rr ] || assert_x2apic_entries "0 256"
			elif [ "${IOMMU:-}" = amd-x2apic ]; then
				# AMD-Vi x2APIC remapping (XT) brings CPU1 up, but
				# the detector's NMIs bypass remapping (NMIPass) in
				# compatibility format: 8-bit destinations.
				expect "AMD-Vi: HPET 0: APIC ID 256 is beyond the physical destinations of an unremapped NMI" "AMD-Vi names the unreachable APIC ID"
				expect "NMI watchdog: hpet: not used: interrupt remapping cannot address every CPU with an NMI" "the detector refuses with its reason"
				expect_none "NMIPass set" "nothing was changed in the IOMMU"
				expect "Hard lockup detector: buddy" "buddy runs instead"
				expect "Watchdog detected hard LOCKUP on cpu 1\$" "buddy reports the lockup on CPU1"
			else
				# No remapping: Linux cannot run x2APIC, so it cannot
				# bring CPU1 up at all; the detector refuses first.
				expect "NMI watchdog: hpet: not used: CPU1 has APIC ID 0x100, beyond compatibility-format NMIs" "the detector refuses, naming the unreachable APIC ID"
				expect "smpboot: CPU 1 has invalid APIC ID 100" "the kernel cannot bring the CPU up without x2APIC"
				expect "Hard lockup detector: buddy" "buddy runs instead"
				expect_none "hard LOCKUP" "no lockup report"
			fi
			expect_none "Uhhuh. NMI received for unknown reason" "no unknown NMIs"
			expect "HPETWD: end lockup" "guest finished the scenario"
		}
		;;
	kunit|kunit-ir)
		# kunit: the detector's window/rotation logic; kunit-ir: the
		# VT-d IRTE / FSB message and AMD-Vi NMI message builders.
		SMP=4 APPEND="$base" GUEST=kunit
		if [ "$1" = kunit ]; then
			ARGS="module=watchdog_hpet_test" KUNIT_SUITE=hpet_nmi_watchdog
			KUNIT_SRC=arch/x86/kernel/watchdog_hpet_test.c
		else
			ARGS="module=irq_remapping_hpet_nmi_test" KUNIT_SUITE=irq_remap_hpet_nmi
			KUNIT_SRC=drivers/iommu/irq_remapping_hpet_nmi_test.c
		fi
		# Every case the source lists, counted by KUnit's suite summary.
		KUNIT_CASES=$(grep -c '^[[:space:]]*KUNIT_CASE' "$TOP/$KUNIT_SRC")
		assertions() {
			expect "# Subtest: $KUNIT_SUITE" "KUnit suite ran"
			expect "ok [0-9]+ $KUNIT_SUITE$" "KUnit suite passed"
			expect_none "not ok" "no KUnit case failed"
			expect_none "# SKIP" "no KUnit case skipped"
			expect "# $KUNIT_SUITE: pass:$KUNIT_CASES fail:0 skip:0 total:$KUNIT_CASES\$" \
				"all $KUNIT_CASES cases of $KUNIT_SRC ran and passed"
		}
		;;
	kselftest)
		APPEND="$base" GUEST=kselftest
		assertions() {
			expect "^TAP version 13" "KTAP output"
			expect "^1\.\.6$" "6 tests planned"
			expect "^# Totals: pass:6 fail:0 xfail:0 xpass:0 skip:0 error:0$" "all 6 kselftest cases passed"
			expect_none "^not ok" "no kselftest case failed"
			expect "HPETWD: kselftest rc=0" "kselftest exit status 0"
		}
		;;
	noload-*)
		local mode=${1#noload-}
		real_hpet
		SMP=2 APPEND="nmi_watchdog=hpet watchdog_thresh=1 hpet_nmi_watchdog=$mode"
		GUEST=load ARGS="secs=${NOLOAD_SECS:-60}" TIMEOUT=$((${NOLOAD_SECS:-60} + 90))
		NOLOAD_MODE=$mode
		assertions() {
			expect "NMI watchdog: hpet: channel [0-9]+ at [0-9]+ Hz, $NOLOAD_MODE mode"
			expect "HPETWD: load over" "load phase completed"
			expect_none "hard LOCKUP" "no false hard lockup report"
			expect_none "Uhhuh. NMI received for unknown reason" "no unknown NMIs"
			# Both CPUs took NMIs from the detector: > 4 per thresh second.
			awk '/HPETWD: load over/ { s = 1 } s && /HPETWD: NMI:/ { print; exit }' "$LOG" |
				awk -v min=$((${NOLOAD_SECS:-60} * 2)) '{ exit !($3 > min && $4 > min) }'
			_result $? "every CPU received > $((${NOLOAD_SECS:-60} * 2)) NMIs"
		}
		;;
	fallback-default)
		APPEND="watchdog_thresh=$THRESH"
		assertions() {
			expect "Perf NMI watchdog permanently disabled" "perf probed and failed"
			expect "Hard lockup detector: buddy, not perf: -?[0-9]+" "buddy runs, says why perf did not"
			expect_none "NMI watchdog: hpet:" "hpet is opt-in, not probed"
			expect "HPETWD: detector=buddy" "detector readable at run time"
		}
		;;
	fallback-perf)
		APPEND="nmi_watchdog=perf watchdog_thresh=$THRESH"
		assertions() {
			expect "Hard lockup detector: buddy, not perf: -?[0-9]+"
			expect "HPETWD: nmi_watchdog=1" "hard lockup detection on"
		}
		;;
	fallback-nohpet)
		MACHINE=hpet=off APPEND="$base"
		assertions() {
			expect "NMI watchdog: hpet: not used: no HPET"
			expect "Hard lockup detector: buddy, not hpet: -19, perf: -?[0-9]+"
			expect "HPETWD: end state" "boot completed"
		}
		;;
	fallback-hpet-disable)
		APPEND="$base hpet=disable"
		assertions() {
			expect "NMI watchdog: hpet: not used: no HPET"
			expect "Hard lockup detector: buddy, not hpet"
			expect "HPETWD: end state" "boot completed"
		}
		;;
	fallback-nomsi)
		HPET_MSI=off APPEND="$base"
		assertions() {
			expect "NMI watchdog: hpet: not used: no free HPET channel with FSB delivery"
			expect "Hard lockup detector: buddy, not hpet: -16"
			expect "HPETWD: end state" "boot completed"
		}
		;;
	fallback-ir-stock)
		IOMMU=intel APPEND="$base"
		assertions() {
			expect "Enabled IRQ remapping" "guest enabled interrupt remapping"
			expect_none "DMAR-IR: HPET id" "stock QEMU does not describe the HPET"
			expect "NMI watchdog: hpet: not used: interrupt remapping is on and HPET 0 is not described to the IOMMU"
			expect "Hard lockup detector: buddy, not hpet: -2"
			expect "HPETWD: end state" "boot completed"
		}
		;;
	fallback-tsc-unstable)
		APPEND="$base tsc=unstable"
		assertions() {
			expect "Marking TSC unstable due to boot parameter"
			expect "NMI watchdog: hpet: not used: TSC absent or unstable"
			expect "Hard lockup detector: buddy, not hpet: -19"
			expect "HPETWD: end state" "boot completed"
		}
		;;
	bad-mode)
		APPEND="$base hpet_nmi_watchdog=fast"
		assertions() {
			expect "NMI watchdog: hpet: unknown mode 'fast' in hpet_nmi_watchdog=, using rr"
			expect "Hard lockup detector: hpet" "hpet still runs, in rr mode"
			expect "HPETWD: detector=hpet channel=[0-9]+ mode=rr"
		}
		;;
	bad-option)
		APPEND="nmi_watchdog=hpet,bogus,panic watchdog_thresh=$THRESH"
		assertions() {
			expect "nmi_watchdog: unknown option 'bogus' ignored"
			expect "Hard lockup detector: hpet" "named detector still chosen"
			expect "HPETWD: end state" "boot completed"
		}
		;;
	selftest-wrong-expectation)
		# The harness must fail a wrong expectation: expect a line the
		# guest never prints and check that it is counted as a failure.
		APPEND="$base"
		assertions() {
			local p=$PASSED f=$FAILED out
			# Through the real counters, not a subshell's copy; then
			# the counts are put back and the outcome judged.
			out=$(expect "this line is never printed by any guest"; echo "n=$PASSED/$FAILED")
			expect "this line is never printed by any guest" > /dev/null
			[ "$FAILED" = $((f + 1)) ] && [ "$PASSED" = "$p" ]; local ok=$?
			PASSED=$p FAILED=$f
			[ $ok = 0 ] && case "$out" in FAIL*) true ;; *) false ;; esac
			_result $? "a wrong expectation is counted as FAIL (${out%%:*})"
			f=$FAILED
			LOG=/nonexistent/log expect_none "anything" > /dev/null
			[ "$FAILED" = $((f + 1)) ]; ok=$?
			FAILED=$f
			_result $ok "expect_none on a missing log is counted as FAIL"
		}
		;;
	qemu-ir-intel|qemu-ir-amd)
		# The QEMU patch: the HPET is described to the vIOMMU and its FSB
		# messages are remapped. No ARAT, so the kernel's own HPET MSI
		# clockevents (through the IR-HPET-MSI domain) are the traffic.
		QEMU=$(patched_qemu) CPU=max,-arat SMP=2 HPET_TIMERS=4
		IOMMU=${1#qemu-ir-} APPEND="watchdog_thresh=$THRESH"
		GUEST=irq ARGS="secs=3"
		if [ "$IOMMU" = intel ]; then
			TRACE="vtd_ir_remap_msi hpet_fsb_msi"
		else
			TRACE="amdvi_ir_remap_msi amdvi_ir_err hpet_fsb_msi"
		fi
		IR_KIND=$IOMMU
		assertions() {
			local fsb remapped
			if [ "$IR_KIND" = intel ]; then
				expect "DMAR-IR: HPET id 0 under DRHD base 0xfed90000" "guest DMAR lists the HPET under IR"
				expect "Enabled IRQ remapping in xapic mode"
			else
				expect "AMD-Vi: Interrupt remapping enabled" "guest enabled AMD-Vi interrupt remapping"
			fi
			expect "HPETWD: irq .*IR-HPET-MSI" "HPET MSI interrupts are remapped (IR-HPET-MSI)"
			awk '/HPETWD: irq .*IR-HPET-MSI/ { for (i = 3; i <= NF; i++) if ($i ~ /^[0-9]+$/) n += $i } END { exit !(n > 0) }' "$LOG"
			_result $? "the guest received remapped HPET MSIs"
			fsb=$(trace_count hpet_fsb_msi)
			if [ "$IR_KIND" = intel ]; then
				remapped=$(trace_count vtd_ir_remap_msi)
			else
				remapped=$(trace_count amdvi_ir_remap_msi)
			fi
			echo "$SCN: trace: ${fsb:-0} HPET FSB messages, ${remapped:-0} remapped MSIs"
			[ "${fsb:-0}" -gt 0 ] && [ "${remapped:-0}" -ge "${fsb:-0}" ]
			_result $? "HPET FSB messages were sent and remapped (fsb=${fsb:-0} remapped=${remapped:-0})"
			# Each send went through the vIOMMU's address space and was
			# accepted (result 0 = MEMTX_OK; a rejected MSI is an error).
			awk '/hpet_fsb_msi/ { n++; if ($NF != 0) bad++ } END { exit !(n > 0 && !bad) }' "$LOG.trace"
			_result $? "every HPET FSB message was accepted by the vIOMMU"
			if [ "$IR_KIND" = intel ]; then
				# Linux programmed remappable-format addresses (bit 4).
				local a n=0 bad=0
				for a in $(sed -n 's/.*hpet_fsb_msi .* addr \(0x[0-9a-f]*\) .*/\1/p' "$LOG.trace" | sort -u); do
					n=$((n + 1))
					(( a & 0x10 )) || bad=$((bad + 1))
				done
				[ $n -gt 0 ] && [ $bad = 0 ]
				_result $? "every HPET FSB address is in remappable format ($n distinct, $bad not)"
			fi
		}
		;;
	runtime-*)
		real_hpet
		SMP=4 APPEND="$base hpet_nmi_watchdog=${1#runtime-}"
		GUEST=runtime TIMEOUT=150 RT_MODE=${1#runtime-}
		assertions() {
			local r2 r4 off on x
			r2=$(sed -n 's/^HPETWD: rate thresh=2 //p' "$LOG")
			r4=$(sed -n 's/^HPETWD: rate thresh=4 //p' "$LOG")
			off=$(sed -n 's/^HPETWD: rate off //p' "$LOG")
			on=$(sed -n 's/^HPETWD: rate on //p' "$LOG")
			# 4 s at 0.225 x thresh: about 18 NMIs per CPU at thresh 2.
			awk -v a="${r2:-0}" -v b="${r4:-0}" 'BEGIN { exit !(b > 0 && a > 1.6 * b && a < 2.4 * b) }'
			_result $? "watchdog_thresh 2 -> 4 halves the NMI rate (${r2:-?} -> ${r4:-?} NMIs in 4 s)"
			[ "${off:-x}" = 0 ] && [ "${on:-0}" -gt 0 ]
			_result $? "nmi_watchdog=0 stops the channel, =1 restarts it (${off:-?} then ${on:-?} NMIs in 3 s)"
			expect "HPETWD: detector=hpet channel=[0-9]+ mode=$RT_MODE cpus=0,2-3" "cpumask 0,2-3: CPU1 not monitored"
			if [ "$RT_MODE" = rr ]; then
				x=$(sed -n 's/^HPETWD: cpu1 nmis while excluded //p' "$LOG")
				[ "${x:-1}" = 0 ]; _result $? "rr: CPU1 outside the mask gets no NMI (${x:-?} in 3 s)"
			fi
			awk '/HPETWD: lock cpu1/ { s = 1 } /HPETWD: unlocked cpu1/ { exit } s && /hard LOCKUP on cpu 1$/ { f = 1 } END { exit f }' "$LOG"
			_result $? "lockup on excluded CPU1 not reported"
			expect "HPETWD: detector=hpet channel=[0-9]+ mode=$RT_MODE cpus=2-3" "CPU1 (first of the mask) offline: CPUs 2-3 monitored"
			awk '/HPETWD: lock cpu2/ { s = 1 } /HPETWD: unlocked cpu2/ { exit } s && /hard LOCKUP on cpu 2$/ { f = 1 } END { exit !f }' "$LOG"
			_result $? "after the handling CPU went offline, a lockup on CPU2 is reported"
			awk '/HPETWD: cpu1 online/ { s = 1 } s && /hard LOCKUP on cpu 1$/ { f = 1 } END { exit !f }' "$LOG"
			_result $? "CPU1 back online is monitored again: its lockup is reported"
			expect_none "Uhhuh. NMI received for unknown reason" "no unknown NMIs"
			expect "HPETWD: end runtime" "guest finished the scenario"
		}
		;;
	tsc-unstable-runtime|ir-intel-tsc-unstable|ir-amd-tsc-unstable)
		APPEND="$base" GUEST=tsc_unstable TIMEOUT=90
		[ "$1" = tsc-unstable-runtime ] || use_ir "$1"
		assertions() {
			expect "Hard lockup detector: hpet" "hpet ran first"
			expect "NMI watchdog: hpet: released channel 2" "hpet gave its channel back after the handover"
			if [ "$IR" = intel ]; then
				expect "DMAR-IR: HPET NMI entries at index [0-9]+ released" "the VT-d NMI entries were freed"
			elif [ "$IR" = amd ]; then
				expect "AMD-Vi: HPET NMIPass released for devid 0000:00:14.0" "NMIPass was cleared again"
			fi
			expect "Marking TSC unstable due to hpetwd test module"
			expect "Hard lockup detector hpet: TSC marked unstable, falling back to buddy"
			expect "watchdog: Hard lockup detector: buddy$" "buddy took over"
			expect "HPETWD: detector=buddy" "detector readable as buddy after the handover"
			awk '/HPETWD: inducing lockup/ { s = 1 } s && /hard LOCKUP on cpu 1$/ { f = 1 } END { exit !f }' "$LOG"
			_result $? "buddy catches the lockup on CPU1 after the handover"
			expect_none "Uhhuh. NMI received for unknown reason" "no unknown NMIs"
		}
		;;
	suspend-rr)
		APPEND="$base" GUEST=suspend TIMEOUT=90
		assertions() {
			expect "HPETWD: power states: .*mem" "the guest offers suspend to RAM"
			expect "PM: suspend debug: Waiting for" "suspend went through the syscore stage (pm_test=core)"
			expect "HPETWD: resumed rc=0" "resume completed"
			awk '/HPETWD: nmis after resume/ { exit !($5 > 0 && $6 > 0) }' "$LOG"
			_result $? "the channel runs again after resume (NMIs on both CPUs)"
			expect_latency "Start on CPU1" "Watchdog detected hard LOCKUP on cpu 1\$" \
				"$(awk -v t="$THRESH" 'BEGIN { print 1.25 * t }')"
			expect_none "Uhhuh. NMI received for unknown reason" "no unknown NMIs"
		}
		;;
	panic-on-lockup)
		APPEND="nmi_watchdog=hpet,panic watchdog_thresh=$THRESH"
		GUEST=lockup ARGS="cpu=1,secs=$LOCK_SECS"
		assertions() {
			expect "Hard lockup detector: hpet" "hpet chosen with nmi_watchdog=hpet,panic"
			expect "Watchdog detected hard LOCKUP on cpu 1$"
			expect "Kernel panic - not syncing: Hard LOCKUP" "hardlockup_panic from nmi_watchdog=...,panic"
			expect_none "HPETWD: lockup over" "the guest did not continue after the panic"
		}
		;;
	all-cpu-backtrace)
		SMP=4 APPEND="$base sysctl.kernel.hardlockup_all_cpu_backtrace=1"
		GUEST=lockup ARGS="cpu=2,secs=$LOCK_SECS"
		assertions() {
			expect "Watchdog detected hard LOCKUP on cpu 2$"
			local c
			for c in 0 1 3; do
				awk -v re="NMI backtrace for cpu $c( |\$)" '/hard LOCKUP on cpu 2$/ { s = 1 } s && $0 ~ re { f = 1 } END { exit !f }' "$LOG"
				_result $? "all-CPU backtrace includes CPU$c"
			done
		}
		;;
	clockevent-contention)
		# No ARAT: hpet_late_init() turns free FSB channels into per-CPU
		# clockevents. The watchdog reserved its channel first.
		CPU=max,-arat HPET_TIMERS=4 APPEND="$base"
		GUEST=lockup ARGS="cpu=1,secs=$LOCK_SECS"
		assertions() {
			expect "NMI watchdog: hpet: channel 2 at" "watchdog took channel 2"
			expect "HPETWD: .*HPET-MSI" "per-CPU HPET clockevents use the other channels"
			expect_none "HPET-MSI +2-edge" "channel 2 is not a clockevent"
			assert_lockup_caught 1
		}
		;;
	fallback-ir-amd-stock)
		IOMMU=amd APPEND="$base"
		assertions() {
			expect "AMD-Vi: Interrupt remapping enabled" "guest enabled AMD-Vi interrupt remapping"
			expect "NMI watchdog: hpet: not used: interrupt remapping is on and HPET 0 is not described to the IOMMU"
			expect "Hard lockup detector: buddy, not hpet: -2"
			expect_none "NMIPass set" "nothing was changed in the IOMMU"
			expect "HPETWD: end state" "boot completed"
		}
		;;
	ir-amd-nmipass-elsewhere)
		# Negative: ivrs_hpet= makes Linux set NMIPass on 00:14.1 while
		# QEMU's HPET sends from 00:14.0, whose entry (the IOAPIC's,
		# remapping on) lacks it: the vIOMMU must drop every HPET NMI.
		use_ir "$1"; TRACE="hpet_fsb_msi amdvi_ir_err"
		APPEND="$base ivrs_hpet[0]=00:14.1" GUEST=lockup ARGS="cpu=1,secs=$LOCK_SECS"
		assertions() {
			expect "AMD-Vi: HPET 0: NMIPass set for devid 0000:00:14.1" "NMIPass set on the devid ivrs_hpet= names"
			expect "Hz, rr mode, NMIPass" "the watchdog runs with unremapped NMIs"
			grep -q "amdvi_ir_err passthrough is not enabled" "$LOG.trace"
			_result $? "the vIOMMU reports the missing NMIPass (amdvi_ir_err trace)"
			assert_all_hpet_nmis_dropped "without NMIPass" "the vIOMMU really checks NMIPass"
		}
		;;
	ir-intel-proof-*|ir-amd-proof-*|ir-x2apic-proof-*)
		# Lockless proof: once the boot-time setup is over (the last
		# IOMMU invalidation/command and the last HPET register read),
		# >= 100 HPET NMIs go through the vIOMMU with neither.
		# tsc=reliable stops the clocksource watchdog's HPET reads.
		real_hpet; use_ir "$1"; SMP=4 PROOF_MODE=${1##*-}
		APPEND="nmi_watchdog=hpet watchdog_thresh=1 hpet_nmi_watchdog=$PROOF_MODE tsc=reliable"
		# ipi sends one HPET NMI per round (4.4/s at thresh 1), rr four.
		GUEST=irq ARGS="secs=$([ "$PROOF_MODE" = rr ] && echo 15 || echo 30)" TIMEOUT=90
		if [ "$IR" = intel ]; then
			# Intel: any interrupt-entry-cache invalidation counts.
			PROOF_IOMMU="vtd_inv_desc_iec" PROOF_REMAP=vtd_ir_remap_msi PROOF_TAG=remapped
		else
			# AMD: any command the IOMMU executed (device table or
			# interrupt table invalidation, completion wait).
			PROOF_IOMMU="amdvi_command_exec amdvi_devtab_inval amdvi_intr_inval amdvi_completion_wait"
			PROOF_REMAP=amdvi_ir_remap_msi PROOF_TAG=NMIPass
		fi
		TRACE="$PROOF_IOMMU hpet_ram_read hpet_ram_write $PROOF_REMAP hpet_fsb_msi"
		[ "$IOMMU" != intel-x2apic ] || TRACE="$TRACE vtd_ir_irte_get"
		assertions() {
			local steady nmis inv reads writes dests nmimode re
			expect "Hz, $PROOF_MODE mode, $PROOF_TAG"
			assert_x2apic_mode
			# ipi uses the handling CPU's entry only (APIC ID 0 reads
			# the same in both formats): rr checks the format.
			[ "$IOMMU" != intel-x2apic ] || [ "$PROOF_MODE" != rr ] || assert_x2apic_entries
			re="^(${PROOF_IOMMU// /|}|hpet_ram_read) "
			# Trace lines after the last IOMMU invalidation and the last read.
			steady=$(awk -v re="$re" '$0 ~ re { last = NR } END { print last + 0 }' "$LOG.trace")
			nmis=$(awk -v WT="$(wdt_timer)" -v s="$steady" 'NR > s && $0 ~ ("hpet_fsb_msi timer " WT " ") { n++ } END { print n + 0 }' "$LOG.trace")
			writes=$(awk -v s="$steady" 'NR > s && /hpet_ram_write/ { n++ } END { print n + 0 }' "$LOG.trace")
			inv=$(grep -Ec "^(${PROOF_IOMMU// /|}) " "$LOG.trace")
			reads=$(grep -c '^hpet_ram_read ' "$LOG.trace")
			echo "$SCN: trace: $inv IOMMU invalidations/commands and $reads HPET reads in all (boot), then $nmis HPET NMIs with 0 of either and $writes HPET register writes"
			echo "$SCN steady-state nmis=$nmis iommu_inval=0 hpet_reads=0 hpet_writes=$writes (boot: $inv, $reads)" >> "$RESULTS_DIR/ir-proof.txt"
			[ "$inv" -gt 0 ] && [ "$reads" -gt 0 ]
			_result $? "the trace holds the boot-time IOMMU commands and HPET reads ($inv, $reads): the events are live"
			[ "$nmis" -ge 100 ]
			_result $? ">= 100 HPET NMIs in steady state with 0 IOMMU invalidations and 0 HPET reads ($nmis)"
			awk -v WT="$(wdt_timer)" -v s="$steady" 'NR > s && $0 ~ ("hpet_fsb_msi timer " WT " ") && $NF != 0 { bad++ } END { exit bad > 0 }' "$LOG.trace"
			_result $? "every steady-state HPET NMI was accepted by the vIOMMU"
			# Fields of "(addr A, data D) -> (addr A2, data D2)": $3 $5 $8 $10.
			local hpetaddrs
			hpetaddrs=$(awk -v WT="$(wdt_timer)" -v s="$steady" 'NR > s && $0 ~ ("hpet_fsb_msi timer " WT " ") { print $5 }' "$LOG.trace" | sort -u | tr '\n' ' ')
			if [ "$IR" = intel ]; then
				# Remapped: one input address (the block's handle),
				# a per-CPU entry behind it chosen by the data.
				dests=$(awk -v s="$steady" -v a="${hpetaddrs%% *}" 'NR > s && /^vtd_ir_remap_msi/ {
					gsub(/[(),]/, " "); if ($3 == a) print $8 }' "$LOG.trace" | sort -u | wc -l)
				nmimode=$(awk -v s="$steady" -v a="${hpetaddrs%% *}" 'NR > s && /^vtd_ir_remap_msi/ {
					gsub(/[(),]/, " "); if ($3 == a) print $10 }' "$LOG.trace" | sort -u | tr '\n' ' ')
			else
				# NMIPass: the vIOMMU passes the HPET's own
				# per-CPU message through unchanged. Matched on the
				# (address, data) pairs channel 2 sent.
				local pass='NR > s && $0 ~ ("^hpet_fsb_msi timer " WT " ") { h[$5 " " $7] = 1 }
					NR > s && /^amdvi_ir_remap_msi/ { gsub(/[(),]/, " ");'
				dests=$(awk -v WT="$(wdt_timer)" -v s="$steady" "$pass"' if (($3 " " $5) in h && $3 == $8 && $5 == $10) print $8 }' \
					"$LOG.trace" | sort -u | wc -l)
				nmimode=$(awk -v WT="$(wdt_timer)" -v s="$steady" "$pass"' if (($3 " " $5) in h) print $10 }' "$LOG.trace" | sort -u | tr '\n' ' ')
			fi
			echo "$SCN: HPET NMI destinations after the vIOMMU: $dests, output data: $nmimode"
			if [ "$PROOF_MODE" = rr ]; then
				[ "$dests" = 4 ]; _result $? "rr: the HPET NMI reached all 4 CPUs through the vIOMMU ($dests destinations)"
			else
				[ "$dests" = 1 ]; _result $? "ipi: the HPET NMI goes to the handling CPU only ($dests destination)"
			fi
			local d ok=0
			for d in $nmimode; do (( (d >> 8 & 7) == 4 )) || ok=1; done
			[ -n "$nmimode" ] && [ $ok = 0 ]; _result $? "messages leaving the vIOMMU carry NMI delivery mode ($nmimode)"
		}
		;;
	ir-intel-runtime-rr|ir-x2apic-runtime-rr|ir-amd-runtime-rr)
		# runtime-rr under IR. thresh, cpumask and hotplug changes
		# never reprogram the IOMMU: the entries of all possible CPUs
		# (VT-d) or NMIPass (AMD-Vi) are set up once at probe, before
		# channel 2 sends its first NMI, and kept. x2apic: the same in
		# x2APIC mode, every CPU reached through its own entry.
		scenario runtime-rr
		use_ir "$1"
		if [ "$IR" = intel ]; then
			TRACE="hpet_fsb_msi vtd_inv_desc_iec"
			[ "$IOMMU" != intel-x2apic ] || TRACE="$TRACE vtd_ir_irte_get"
		else
			TRACE="hpet_fsb_msi amdvi_devtab_inval"
		fi
		eval "$(declare -f assertions | sed '1s/assertions/rt_assertions/')"
		assertions() {
			local idx pat after
			rt_assertions
			assert_x2apic_mode
			[ "$IOMMU" != intel-x2apic ] || assert_x2apic_entries
			if [ "$IR" = intel ]; then
				idx=$(sed -En 's/.*DMAR-IR: HPET 0: 4 NMI entries at index ([0-9]+) on IR0.*/\1/p' "$LOG")
				expect "DMAR-IR: HPET 0: 4 NMI entries at index [0-9]+ on IR0" "4 NMI entries reserved at probe"
				# QEMU prints the index in hex.
				pat="^vtd_inv_desc_iec .* index $([ -n "$idx" ] && printf '0x%x' "$idx" || echo none) "
			else
				expect "AMD-Vi: HPET 0: NMIPass set for devid 0000:00:14.0, 4 unremapped NMI targets" "NMIPass set at probe"
				pat="^amdvi_devtab_inval .* 00:14.0"
			fi
			grep -Eq "$pat" "$LOG.trace"
			_result $? "the trace shows the probe's invalidation of the HPET's entries (/$pat/)"
			after=$(awk -v WT="$(wdt_timer)" -v p="$pat" '$0 ~ ("^hpet_fsb_msi timer " WT " ") { on = 1 } on && $0 ~ p { n++ } END { print n + 0 }' "$LOG.trace")
			[ "$after" = 0 ]
			_result $? "no invalidation of the HPET's entries once channel 2 ran, through thresh/cpumask/hotplug changes ($after)"
			expect_none "HPET NMI entries at index|NMIPass released" "the entries are kept, not released, at run time"
		}
		;;
	hotadd-rr|hotadd-ipi|ir-x2apic-hotadd-rr|ir-amd-hotadd-ipi)
		# A CPU absent at boot: the firmware lists an empty slot (MADT
		# Online Capable, patched QEMU x-online-capable), the host
		# hot-adds a vCPU there (device_add) and the guest onlines it.
		# The detector learns its APIC ID only then (under VT-d it
		# re-aims the CPU's reserved entry) and must monitor it.
		local mode=${1##*-}
		real_hpet
		[ "${1#ir-}" = "$1" ] || use_ir "$1"
		SMP=2,sockets=1,cores=4,threads=1,maxcpus=4 MACHINE=x-online-capable=on
		# no_ipi_broadcast=1: with IPI shorthands, QEMU 10 TCG resets
		# the boot CPUs (INIT) within seconds of the hot-added CPU
		# coming online, with or without any NMI watchdog.
		APPEND="$base hpet_nmi_watchdog=$mode no_ipi_broadcast=1"
		GUEST=hotadd ARGS="cpu=2,secs=$LOCK_SECS_ONE" TIMEOUT=120
		MONITOR=$BUILD/logs/$1.monitor
		[ "$IR" != intel ] || TRACE="hpet_fsb_msi vtd_inv_desc_iec vtd_ir_irte_get"
		host_hook() {
			wait_log "HPETWD: waiting for cpu2" 90 || return
			monitor_cmd "device_add max-x86_64-cpu,socket-id=0,core-id=2,thread-id=0,id=hot2"
		}
		assertions() {
			local what idx pat after
			expect "Allowing 2 present CPUs plus 2 hotplug CPUs" "the guest sees 2 empty CPU slots"
			expect "NMI watchdog: hpet: $(channel_kind)" "the watchdog runs on the one-shot channel"
			expect "HPETWD: cpu2 online rc=0 now=1" "the hot-added CPU2 came online"
			case "$IR" in
			intel) what="remapping entry" ;;
			amd) what="NMIPass message" ;;
			*) what="NMI message" ;;
			esac
			expect "hpet: CPU2 was not present at boot: $what for APIC ID 0x2\$" "CPU2's $what made when it came online"
			awk '/HPETWD: cpu2 nmis in 4s/ { f = 1; exit !($NF > 0) } END { if (!f) exit 1 }' "$LOG"
			_result $? "CPU2 takes watchdog NMIs once online ($(sed -n 's/.*HPETWD: cpu2 nmis in 4s //p' "$LOG"))"
			awk '/HPETWD: inducing lockup/ { exit } /hard LOCKUP/ { f = 1 } END { exit f }' "$LOG"
			_result $? "no hard lockup report through boot, hot-add and online"
			assert_caught_after 2 "HPETWD: inducing lockup"
			assert_only_cpu_reported 2
			expect_none "Uhhuh. NMI received for unknown reason" "no unknown NMIs"
			expect_none "cannot address" "no CPU left unmonitored"
			assert_x2apic_mode
			if [ "$IR" = intel ]; then
				# The hot-added CPU's entry (probe index + 2) was
				# invalidated after the channel ran: re-aimed.
				idx=$(sed -En 's/.*DMAR-IR: HPET 0: 4 NMI entries at index ([0-9]+) on IR0.*/\1/p' "$LOG")
				pat="^vtd_inv_desc_iec .* index $([ -n "$idx" ] && printf '0x%x' $((idx + 2)) || echo none) "
				after=$(awk -v WT="$(wdt_timer)" -v p="$pat" '$0 ~ ("^hpet_fsb_msi timer " WT " ") { on = 1 } on && $0 ~ p { n++ } END { print n + 0 }' "$LOG.trace")
				[ "$after" -ge 1 ]
				_result $? "CPU2's entry was invalidated after the channel ran (/$pat/: $after)"
				[ "$IOMMU" != intel-x2apic ] || assert_x2apic_entries "0 1 2"
			fi
			expect "HPETWD: end hotadd" "guest finished the scenario"
		}
		;;
	ir-intel-sid-mismatch)
		# Negative: FSB messages with another source id (bus 0xfe) than
		# the HPET's entries verify must be rejected by the vIOMMU, and
		# the watchdog then sees no NMI at all.
		use_ir "$1"; QEMU_EXTRA="-global hpet.requester-id=0xfe08"
		APPEND="$base" GUEST=lockup ARGS="cpu=1,secs=$LOCK_SECS" TRACE="hpet_fsb_msi"
		assertions() {
			expect "Hz, rr mode, remapped" "the watchdog runs with remapped entries"
			expect "vtd_irte_get: invalid IRTE SID" "the vIOMMU reports the source-id mismatch"
			assert_all_hpet_nmis_dropped "with the wrong source id" "source-id verification is really on"
		}
		;;
	touch-nmi-watchdog)
		APPEND="$base" GUEST=touch TIMEOUT=90
		assertions() {
			awk '/Finish on CPU1 in/ { n = $(NF - 1) } END { exit !(n >= 7e9) }' "$LOG"
			_result $? "CPU1 ran with interrupts off for >= 7 s (test_lockup's Finish line)"
			expect "touch_hardlockup" "test_lockup touched the NMI watchdog between iterations"
			expect_none "hard LOCKUP" "touch_nmi_watchdog() every second is honoured: no report"
		}
		;;
	relock-*)
		# Two lockups of CPU1 with a pause between: each is reported,
		# although the reports' console output touched the watchdog.
		local det=${1#relock-}
		APPEND="nmi_watchdog=$det watchdog_thresh=$THRESH"
		GUEST=bench ARGS="runs=2,hold=8,secs=1" TIMEOUT=120 RELOCK_DET=$det
		assertions() {
			expect "Hard lockup detector: $RELOCK_DET" "$RELOCK_DET runs"
			local i
			for i in 1 2; do
				awk -v m="HPETWD: bench lock $i$" '$0 ~ m { s = 1; next } s && /HPETWD: bench (lock|done)/ { exit } s && /hard LOCKUP on cpu 1$/ { f = 1 } END { exit !f }' "$LOG"
				_result $? "lockup $i of CPU1 reported"
			done
		}
		;;
	train-rr|train-ipi|train-ir-intel-rr|train-ir-amd-ipi)
		# Emulated perf PMIs (one outstanding per CPU, claimed by their
		# own NMI_LOCAL handler) at rates that sweep the HPET's phase,
		# on the rr target's CPU / the ipi handling CPU / every CPU.
		local mode=${1##*-} ph T=$TRAIN_SECS
		SMP=4 APPEND="$base hpet_nmi_watchdog=$mode"
		[ "${1#train-ir-}" = "$1" ] || use_ir "${1#train-}"
		if [ -n "$IR" ]; then
			ph="1000/all/$T" TRAIN_NPHASES=1
		elif [ "$mode" = rr ]; then
			ph="10/all/$T+143/1/$T+1000/1/$T+10000/all/$T" TRAIN_NPHASES=4
		else
			ph="10/0/$T+143/0/$T+1000/all/$T+10000/0/$T" TRAIN_NPHASES=4
		fi
		GUEST=train ARGS="phases=$ph,lockall=$LOCK_SECS,lockone=3"
		TIMEOUT=$((TRAIN_NPHASES * (T + 10) + 120)) LOCK_N=4
		assertions() {
			expect "Hard lockup detector: hpet" "hpet detector chosen"
			assert_train_phases
			# With the 1 kHz train on every CPU still running.
			assert_all_cpus_caught
			assert_caught_after 3 "HPETWD: lock one"
			awk '/HPETWD: lock one/ { s = 1 } /HPETWD: unlocked one/ { exit } s && /hard LOCKUP on cpu [012]$/ { f = 1 } END { exit f }' "$LOG"
			_result $? "only the locked CPU3 is reported during the one-CPU lockup"
			expect_none "Uhhuh. NMI received for unknown reason" "no unknown NMIs"
			expect "HPETWD: end train" "guest finished the scenario"
		}
		;;
	train-amdwin-rr|train-amdwin-ipi)
		# AMD perf claims every NMI that arrives within 100 ms of one
		# of its own (amd_pmu_adjust_nmi_window()), the watchdog's
		# included: with perf sampling, the NMI_WATCHDOG stage never
		# sees a tick. The detector must go on sampling from its
		# NMI_LOCAL helper (overdue ticks, merged ipi marks). rr on the
		# datasheet HPET (one-shot), ipi on QEMU's (periodic). No
		# all-CPU lockup: the emulated PMIs stop with their sender.
		local T=$TRAIN_SECS
		TW_MODE=${1##*-}
		SMP=4 APPEND="$base hpet_nmi_watchdog=$TW_MODE" TRAIN_NPHASES=1
		[ "$TW_MODE" = ipi ] || real_hpet
		GUEST=train ARGS="phases=1000/all/$T,lockone=3,window=100"
		TIMEOUT=$((T + 130))
		assertions() {
			local sw od kind=one-shot
			[ "$TW_MODE" = ipi ] && kind=periodic
			expect "Hard lockup detector: hpet" "hpet detector chosen"
			expect "NMI watchdog: hpet: channel .*, $kind" "on a $kind channel"
			expect "hpetwd_nmi_train: started: 1000 Hz .* late window 100 ms" "the train emulates AMD perf's late-NMI window"
			assert_train_phases
			sw=$(sed -n 's/.*hpetwd_nmi_train: stopped:.* swallowed=\([0-9]*\).*/\1/p' "$LOG" | head -n 1)
			[ "${sw:-0}" -gt 0 ]; _result $? "the window swallowed NMIs it did not raise (${sw:-none})"
			awk '/^HPETWD: after 1 cpu[0-9]+ monitored=1/ { for (i = 5; i <= NF; i++) if ($i ~ /^overdue=/) { split(substr($i, 9), o, "/"); n += o[1] } } END { print n + 0 }' "$LOG" > "$LOG.overdue"
			od=$(cat "$LOG.overdue")
			[ "$od" -gt 0 ]; _result $? "ticks taken as overdue on the train's NMIs ($od)"
			assert_caught_after 3 "HPETWD: lock one"
			awk '/HPETWD: lock one/ { s = 1 } /HPETWD: unlocked one/ { exit } s && /hard LOCKUP on cpu [012]$/ { f = 1 } END { exit f }' "$LOG"
			_result $? "only the locked CPU3 is reported during the one-CPU lockup"
			expect_none "Uhhuh. NMI received for unknown reason" "no unknown NMIs"
			expect "HPETWD: end train" "guest finished the scenario"
		}
		;;
	train-amdwin-gaps-rr)
		# The AMD window swallows a tick, then the train stops before
		# a later NMI of its could take that tick as lost: the one-shot
		# channel stays silent until the hrtimer safety net re-arms it,
		# and the train may come back just then. 20 one-second trains
		# with pauses that sweep the gap against the 112 ms period.
		# Each stop loses the last tick with probability ~1/2, so some
		# rescues are all but certain; none may leave the window off
		# the comparator's grid (an unknown NMI on the next target).
		local i ph=
		for i in $(seq 20); do ph="$ph${ph:++}1000/all/1"; done
		SMP=4 APPEND="$base hpet_nmi_watchdog=rr" TRAIN_NPHASES=20
		real_hpet
		GUEST=train ARGS="phases=$ph,window=100,pauses=0.15+0.3+0.45+0.6+0.25"
		TIMEOUT=150
		assertions() {
			local n resc
			n=$(grep -c "HPETWD: phase [0-9]* end" "$LOG")
			[ "$n" = 20 ]; _result $? "all 20 trains ran ($n)"
			assert_train_claims 20 "each train's handler claimed exactly what it sent"
			expect "hpetwd_nmi_train: stopped:.* swallowed=[1-9]" "the window swallowed NMIs it did not raise"
			resc=$(sed -n 's/^HPETWD: stat channel=.* rescues=\([0-9]*\)$/\1/p' "$LOG" | tail -n 1)
			[ "${resc:-0}" -ge 1 ]; _result $? "the safety net re-armed the silent channel (${resc:-0} rescues)"
			expect "channel 4 silent for [0-9]* us .* re-armed at" "each rescue said so"
			expect_none "Uhhuh. NMI received for unknown reason" "no unknown NMIs"
			expect_none "hard LOCKUP" "no lockup report"
			# Checks over all 20 s of trains (the pauses come on top).
			awk '$1 == "HPETWD:" && $2 == "before" && $3 == 1 { split($6, c, "="); b[$4] = c[2] }
				$1 == "HPETWD:" && $2 == "after" && $3 == 20 && $5 == "monitored=1" { split($6, c, "="); m++; if (c[2] - b[$4] < 0.9 * 20 / 0.45) bad = bad " " $4 "=" c[2] - b[$4] }
				END { if (bad != "") print bad; exit !(m == 4 && bad == "") }' "$LOG" > "$LOG.checks"
			_result $? "every CPU checked >= 0.9 x 44.4 times over the trains$(cat "$LOG.checks")"
		}
		;;
	train-amdwin-skew-rr)
		# The window converts the comparator's grid to the TSC with the
		# nominal ratio; under AMD perf's window only lost ticks move
		# it, so a TSC calibration error accumulates: 300 ppm for a
		# 30 s train is 9 ms, past the 7 ms early side. Without the
		# once-a-second sync every later tick was refused (an unknown
		# NMI per rescue, no check at all). Then a pause without any
		# train, and a CPU3 lockup under a new train.
		SMP=4 APPEND="$base hpet_nmi_watchdog=rr" TRAIN_NPHASES=1
		real_hpet
		GUEST=train ARGS="phases=1000/all/$TRAIN_SECS,window=100,pauses=4,skew=300,lockone=3"
		TIMEOUT=$((TRAIN_SECS + 130))
		assertions() {
			local sy
			expect "HPETWD: skew_ppm refused 20000, now 0" "an out-of-range skew is refused"
			expect "NMI watchdog: hpet: skew_ppm=20000 out of range -10000..10000, unchanged" "... with one line"
			expect "HPETWD: skew_ppm=300" "window skewed by 300 ppm"
			expect "hpetwd_nmi_train: started: 1000 Hz .* late window 100 ms" "the train emulates AMD perf's late-NMI window"
			assert_train_phases
			sy=$(sed -n 's/^HPETWD: stat channel=.* skew_ppm=300 syncs=\([0-9]*\) .*/\1/p' "$LOG" | tail -n 1)
			[ "${sy:-0}" -ge 1 ]; _result $? "the sync put the window back on the comparator's grid (${sy:-0} corrections)"
			expect "window -?[0-9]+ us off the comparator's grid, corrected" "each correction said so"
			assert_caught_after 3 "HPETWD: lock one"
			assert_only_cpu_reported 3
			expect_none "Uhhuh. NMI received for unknown reason" "no unknown NMIs"
			expect "HPETWD: end train" "guest finished the scenario"
		}
		;;
	inject-rr)
		# QEMU monitor "nmi" (LINT1, claimed by nobody)
		# must stay an unknown NMI with the detector running, with and
		# without an emulated PMI train, and reach unknown_nmi_panic.
		SMP=2 APPEND="$base" GUEST=inject ARGS="n=5,gap=3" TIMEOUT=150
		MONITOR=$BUILD/logs/$1.monitor INJECT_N=5
		host_hook() {
			local r i
			for r in 1 2 3; do
				wait_log "HPETWD: inject round $r start" 100 || return
				if [ $r = 3 ]; then
					monitor_cmd nmi; continue
				fi
				for i in $(seq "$INJECT_N"); do
					sleep 1; monitor_cmd nmi; sleep 2
				done
			done
		}
		assertions() {
			local r c n
			# QEMU raises it as LINT1, which Linux unmasks on the boot
			# CPU only (like a BMC's NMI button): CPU0, a target of the
			# rr rotation, must report every one.
			# An injection that lands in the channel's window on the
			# rr target (1/16 period before the tick, ~3 % of the
			# time) is taken for the tick, and the tick itself then
			# reaches the next CPU as the unknown NMI: the count of
			# unknown NMIs is what cannot change.
			assert_inject_rounds
			assert_train_claims 1 "round 2: the train's handler claimed exactly what it sent"
			awk '/HPETWD: inject round [12] start/ { s = 1; in_r = 1 } /HPETWD: inject round [12] end/ { in_r = 0 }
				/HPETWD: inject round 3 start/ { exit } s && !in_r && /Uhhuh. NMI received/ { n++ } END { exit n != 0 }' "$LOG"
			_result $? "no unknown NMI other than the injected ones (none outside the injection rounds)"
			expect "HPETWD: still running after 10 s" "unknown_nmi_panic=1 and a 1 kHz train: no unknown NMI for 10 s"
			expect "Kernel panic - not syncing: NMI: Not continuing" "an injected NMI still reaches unknown_nmi_panic"
			expect_none "hard LOCKUP" "no lockup report"
		}
		;;
	kdb-*|ir-intel-kdb-rr)
		# The machine stopped in kdb (sysrq g from CPU KDB_MASTER, the
		# host types on ttyS1) for KDB_STOP s, then "go": the HPET
		# keeps firing meanwhile (its NMIs reach CPUs parked in kgdb's
		# NMI handler, and the master CPU waiting in kdb), so nothing
		# may be reported for the stop, the TSC stays the clocksource,
		# the detector keeps checking every CPU, and a lockup 3 x
		# thresh after resuming is caught in time.
		# kdb-long-rr: 60 s on the 100 MHz HPET, past its 32-bit
		# counter's 43 s wrap. kdb-ipi-master: the ipi handling CPU
		# (CPU0) is kdb's master and kdb switches to CPU1 and back
		# ("cpu 1": CPU1 runs kdb from inside its NMI). kdb-ipi-slave:
		# the handling CPU is a slave. kdb-buddy: buddy, for comparison.
		local mode=rr
		real_hpet
		KDB_STOP=20 KDB_MASTER=1 KDB_LOCK=0 KDB_SWITCH= KDB_DET=hpet KDB_BPH= KDB_HOLDBP=
		case $1 in
		kdb-bph-rr) KDB_STOP=2 KDB_BPH=watchdog_timer_fn ;;
		kdb-bph-full-rr) KDB_STOP=2 KDB_BPH=watchdog_timer_fn KDB_HOLDBP=4 ;;
		kdb-long-rr) real_hpet 100000000; KDB_STOP=60 KDB_MASTER=0 KDB_LOCK=1 ;;
		kdb-ipi-master) mode=ipi KDB_MASTER=0 KDB_LOCK=1 KDB_SWITCH=1 ;;
		kdb-ipi-slave) mode=ipi ;;
		kdb-buddy) KDB_DET=buddy ;;
		ir-intel-kdb-rr) use_ir ir-intel; KDB_MASTER=0 KDB_LOCK=1 ;;
		esac
		if [ $KDB_DET = buddy ]; then
			APPEND="watchdog_thresh=$THRESH kgdboc=ttyS1"
		else
			APPEND="$base hpet_nmi_watchdog=$mode kgdboc=ttyS1"
		fi
		GUEST=kdb TIMEOUT=$((KDB_STOP + 100))
		ARGS="master=$KDB_MASTER,lock=$KDB_LOCK,wait=$((3 * THRESH)),secs=$([ $KDB_DET = buddy ] && echo 10 || echo $LOCK_SECS_ONE)${KDB_HOLDBP:+,holdbp=$KDB_HOLDBP}"
		KDB_SOCK=$BUILD/logs/$1.kdb.sock
		host_hook() {
			local steps=("wait:kdb>:90" "send:set LINES 10000" "wait:kdb>:10")
			[ -z "$KDB_SWITCH" ] || steps+=("send:cpu $KDB_SWITCH" "wait:\\[$KDB_SWITCH\\]kdb>:20"
				"send:bt" "wait:\\[$KDB_SWITCH\\]kdb>:20"
				"send:cpu $KDB_MASTER" "wait:\\[$KDB_MASTER\\]kdb>:20")
			steps+=("sleep:$KDB_STOP")
			# kdb-bph-rr: a hardware breakpoint on the hrtimer
			# callback (it runs with interrupts off on every CPU each
			# 0.4 x thresh): hit, listed, cleared, never hit again.
			# kdb-bph-full-rr: perf breakpoint events hold every
			# slot, so kdb's breakpoint cannot be installed at "go".
			[ -z "$KDB_HOLDBP" ] || steps+=("send:bph $KDB_BPH" "wait:kdb>:10")
			# Refused on the detector's NMI handler (NOKPROBE: kgdb's
			# blocklist); then six hits, so that both CPUs take one;
			# then a data write breakpoint on jiffies_64, hit once.
			if [ -n "$KDB_BPH" ] && [ -z "$KDB_HOLDBP" ]; then
				steps+=("send:bph hpet_wdt_nmi_handler" "wait:kdb>:10" "send:bph $KDB_BPH" "wait:kdb>:10")
				for _ in 1 2 3 4 5 6; do
					steps+=("send:go" "wait:due to (Breakpoint|SS trap) @:20" "wait:kdb>:10")
				done
				steps+=("send:bl" "wait:kdb>:10" "send:bc 0" "wait:kdb>:10"
				"send:bph jiffies_64 dataw 8" "wait:kdb>:10" "send:go"
				"wait:Entering kdb:20" "wait:kdb>:10" "send:bt" "wait:kdb>:10"
				"send:bc 0" "wait:kdb>:10")
			fi
			steps+=("send:go")
			rm -f "$LOG.kdb"
			python3 "$TOP/tests/lib/kdb.py" "$KDB_SOCK" "$LOG.kdb" "${steps[@]}"
		}
		assertions() { assert_kdb_stop; }
		;;
	kdump-*|ir-intel-kdump-rr|ir-amd-kdump-rr)
		# nmi_watchdog=hpet,panic crashkernel=64M: the guest loads a
		# capture kernel (kexec_file_load), a lockup panics into it,
		# and it prints the head of /proc/vmcore for the host's
		# readelf. kdump-ipi and the IR variants boot the capture
		# kernel with the HPET detector too. kdump-buddy: buddy, for
		# comparison (it panics on the CPU that noticed, not the
		# stuck one).
		local mode=rr
		real_hpet
		KDUMP_CPU=1 KDUMP_DET=hpet KDUMP_CAPWD= KDUMP_KGDBOC=
		case $1 in
		kdump-kgdboc-rr) KDUMP_KGDBOC=1 ;;
		kdump-ipi) mode=ipi KDUMP_CPU=0 KDUMP_CAPWD=hpet ;;
		kdump-all-rr) KDUMP_CPU=all ;;
		kdump-buddy) KDUMP_DET=buddy ;;
		ir-*) use_ir "$1"; KDUMP_CAPWD=hpet ;;
		esac
		SMP=2 INITRD=initramfs-kdump.cpio.gz KDUMP_MODE=$mode
		if [ $KDUMP_DET = buddy ]; then
			APPEND="nmi_watchdog=panic watchdog_thresh=$THRESH crashkernel=64M"
		else
			APPEND="nmi_watchdog=hpet,panic watchdog_thresh=$THRESH hpet_nmi_watchdog=$mode crashkernel=64M"
		fi
		GUEST=kdump TIMEOUT=120
		ARGS="cpu=$KDUMP_CPU,secs=$([ $KDUMP_DET = buddy ] && echo 10 || echo $LOCK_SECS),capwd=${KDUMP_CAPWD:-none}"
		# kdump-kgdboc-rr: with kgdboc= and panic=0 the panic stops in
		# kdb first (kgdb_panic()); kdump follows only after "go".
		if [ -n "$KDUMP_KGDBOC" ]; then
			APPEND="$APPEND kgdboc=ttyS1 panic=0" KDB_SOCK=$BUILD/logs/$1.kdb.sock
			host_hook() {
				rm -f "$LOG.kdb"
				python3 "$TOP/tests/lib/kdb.py" "$KDB_SOCK" "$LOG.kdb" \
					"wait:PANIC\\: Hard LOCKUP:90" "wait:kdb>:10" "sleep:3" "send:go" "sleep:2" "send:go"
			}
		fi
		assertions() {
			if [ -n "$KDUMP_KGDBOC" ]; then
				2>/dev/null <"$LOG.kdb" grep -q "^PANIC: Hard LOCKUP"
				_result $? "panic=0 with kgdboc: the panic stopped in kdb first"
			fi
			assert_kdump
		}
		;;
	sysrq-rr|sysrq-ipi)
		# nmi_backtrace's NMIs are claimed by it, never by the detector.
		SMP=4 APPEND="$base hpet_nmi_watchdog=${1#sysrq-}" GUEST=sysrq
		ARGS="n=8,gap=1" TIMEOUT=120 SYSRQ_N=8
		assertions() {
			local c n
			for c in 0 1 2 3; do
				n=$(grep -c "NMI backtrace for cpu $c\( \|$\)" "$LOG")
				[ "$n" -ge "$SYSRQ_N" ]
				_result $? "CPU$c printed $n of $SYSRQ_N backtraces"
			done
			awk '$1 == "HPETWD:" && $2 == "before" { split($5, c, "="); b[$3] = c[2] }
				$1 == "HPETWD:" && $2 == "after" { split($5, c, "="); if (c[2] <= b[$3]) bad = 1; n++ }
				END { exit bad || n != 4 }' "$LOG"
			_result $? "every CPU was still checked by the detector meanwhile"
			expect_none "Uhhuh. NMI received for unknown reason" "no unknown NMIs"
			expect_none "hard LOCKUP" "no lockup report"
			expect "HPETWD: sysrq over" "guest finished the backtraces"
		}
		;;
	ipi-noshorthand)
		# maxcpus=3 of 4: not every present CPU booted, so the kernel
		# allows no IPI shorthand and the handling CPU sends one NMI
		# per monitored CPU; CPU1 outside watchdog_cpumask gets none.
		SMP=4 APPEND="$base hpet_nmi_watchdog=ipi maxcpus=3" GUEST=noshorthand TIMEOUT=90
		assertions() {
			local x
			expect "HPETWD: detector=hpet channel=[0-9]+ mode=ipi cpus=0-2 " "CPUs 0-2 monitored"
			x=$(sed -n 's/^HPETWD: cpu1 nmis while excluded //p' "$LOG")
			[ "${x:-1}" = 0 ]; _result $? "CPU1 outside the mask gets no NMI (${x:-?} in 4 s)"
			assert_caught_after 2 "HPETWD: lock cpu2"
			expect_none "Uhhuh. NMI received for unknown reason" "no unknown NMIs"
		}
		;;
	oversub-rr|oversub-ipi)
		# 4 vCPUs on one host core, no lpj= (slow AP calibration): the
		# kernel keeps time on jiffies until clocksource_done_booting(),
		# lost ticks make the watchdog hrtimers lag the TSC, and a CPU
		# that only waited for its hrtimer must not be reported (HEAD
		# before the fix: CPUs 1 and 2 at 1.4-1.6 s). Boot and 30 s idle,
		# then a real lockup is still caught in time. 8:1 reproduces it
		# too (74 reports), but TCG then stalls for minutes at boot.
		SMP=${OVERSUB_SMP:-4} PIN=0 NO_LPJ=1 OVS_MODE=${1#oversub-}
		APPEND="$base hpet_nmi_watchdog=$OVS_MODE"
		# Without lpj= the APs' delay loop is miscalibrated (test_lockup's
		# mdelay() on an AP held 0.7 s of 16 s asked); the boot CPU's is
		# computed from the timer frequency: lock CPU0 (an rr target,
		# the ipi handling CPU), checked from test_lockup's Finish line.
		GUEST=lockup ARGS="cpu=0,secs=$LOCK_SECS_ONE,settle=30" TIMEOUT=240
		assertions() {
			expect "NMI watchdog: hpet: channel [0-9]+ at [0-9]+ Hz, $OVS_MODE mode"
			expect "smp: Brought up 1 node, $SMP CPUs" "all $SMP vCPUs came up on one host core"
			awk -v t="$THRESH" '/Finish on CPU0 in/ { n = $(NF - 1); exit } END { exit !(n >= (1.25 * t + 0.3) * 1e9) }' "$LOG"
			_result $? "CPU0 was held with interrupts off >= 1.25 x thresh + 0.3 s (test_lockup's Finish line)"
			awk '/HPETWD: inducing lockup/ { exit } /hard LOCKUP/ { f = 1 } END { exit f }' "$LOG"
			_result $? "no hard lockup report over boot and 30 s idle with $SMP vCPUs on one host core"
			assert_caught_after 0 "HPETWD: inducing lockup"
			awk '/HPETWD: inducing lockup/ { s = 1 } s && /hard LOCKUP on cpu [1-9][0-9]*$/ { f = 1 } END { exit f }' "$LOG"
			_result $? "only the locked CPU0 is reported"
			expect_none "Uhhuh. NMI received for unknown reason" "no unknown NMIs"
			expect "HPETWD: end lockup" "guest finished the scenario"
		}
		;;
	sleep-s2idle-*|sleep-s3-*|ir-intel-sleep-s3-*)
		# s2idle freezes the ticks (every check would see no progress)
		# and skips syscore; S3 loses the channel and resume restarts
		# the HPET counter. Sleep ~8 s, wake from the monitor.
		local rest=${1#*sleep-}
		SL_STATE=${rest%%-*} SL_MODE=${rest#*-}
		real_hpet
		[ "${1#ir-}" = "$1" ] || use_ir "$1"
		SMP=2 APPEND="$base hpet_nmi_watchdog=$SL_MODE"
		if [ "$SL_STATE" = s3 ]; then
			APPEND="$APPEND mem_sleep_default=deep" ARGS="state=mem" SL_WAKE=system_wakeup
		else
			ARGS="state=freeze" SL_WAKE=system_powerdown
		fi
		GUEST=pmsleep TIMEOUT=120 MONITOR=$BUILD/logs/$1.monitor
		host_hook() {
			wait_log "HPETWD: sleeping" 90 || return
			sleep 4
			# QEMU's own account of the guest while it sleeps.
			monitor_query "info status" > "$LOG.status"
			sleep 4
			monitor_cmd "$SL_WAKE"
			# After an S3 cycle QEMU 7.2 ignores the guest's S5.
			wait_log "HPETWD: end pmsleep" 90 && sleep 2 && monitor_cmd quit
		}
		assertions() {
			local kind
			kind=$([ "$SL_STATE" = s3 ] && echo deep || echo s2idle)
			expect "NMI watchdog: hpet: $(channel_kind)" "the watchdog runs on the one-shot channel"
			expect "PM: suspend entry \\($kind\\)" "the guest entered $kind"
			expect "PM: suspend exit" "the guest resumed"
			expect "HPETWD: woke rc=0" "resume completed"
			if [ "$SL_STATE" = s3 ]; then
				grep -q "VM status: paused (suspended)" "$LOG.status" 2>/dev/null
				_result $? "QEMU had the guest suspended 4 s after it went to sleep (info status: $(grep -o 'VM status: .*' "$LOG.status" 2>/dev/null))"
			else
				# No cpuidle driver with an s2idle state under TCG:
				# the CPUs idle with their ticks running, so the
				# sleep shows on the printk clock.
				local t0 t1
				t0=$(ts_of "PM: suspend entry")
				t1=$(ts_of "PM: suspend exit")
				awk -v a="$t0" -v b="$t1" 'BEGIN { exit !(a != "" && b != "" && b - a >= 6) }'
				_result $? "the guest stayed in s2idle until woken (${t0:-?} -> ${t1:-?} s)"
			fi
			awk '/HPETWD: sleeping/ { s = 1 } /HPETWD: inducing lockup/ { exit } s && /hard LOCKUP/ { f = 1 } END { exit f }' "$LOG"
			_result $? "no hard lockup report while asleep or on resume"
			awk '/HPETWD: nmis after wake/ { f = 1; exit !($5 > 0 && $6 > 0) } END { if (!f) exit 1 }' "$LOG"
			_result $? "the channel runs again after resume (NMIs on both CPUs)"
			assert_caught_after 1 "HPETWD: inducing lockup"
			expect_none "Uhhuh. NMI received for unknown reason" "no unknown NMIs"
		}
		;;
	deadline-rr|deadline-ipi)
		# Missed deadline: the datasheet HPET's one-shot channel loses
		# its 20th FSB message (about 5 s after it starts). Without the
		# safety net it would stay silent until the 32-bit counter
		# wraps (179 s at 24 MHz) and the lockup would go unseen.
		real_hpet; HPET_DROP=20 TRACE="hpet_fsb_drop hpet_fsb_msi"
		DL_MODE=${1#deadline-} SMP=2
		APPEND="$base hpet_nmi_watchdog=$DL_MODE"
		GUEST=deadline ARGS="secs=$LOCK_SECS_ONE,settle=16" TIMEOUT=100
		assertions() {
			local us bound n
			expect "NMI watchdog: hpet: $(channel_kind)" "the watchdog runs on the one-shot channel"
			n=$(grep -c "hpet_fsb_drop timer $(wdt_timer) message 20 dropped" "$LOG.trace")
			[ "$n" = 1 ]; _result $? "QEMU dropped one FSB message of the watchdog's channel ($n)"
			expect_count "NMI watchdog: hpet: channel $(wdt_timer) silent for [0-9]+ us" -eq 1
			us=$(sed -En 's/.*NMI watchdog: hpet: channel [0-9]+ silent for ([0-9]+) us.*/\1/p' "$LOG" | head -n 1)
			# Noticed by the first watchdog hrtimer (every 0.4 x thresh
			# on each CPU) after two silent periods: period + 2 periods
			# + 0.4 x thresh at most (rr: period = 0.225 x thresh / 2).
			bound=$(awk -v t="$THRESH" -v m="$DL_MODE" 'BEGIN { p = 0.225 * t / (m == "rr" ? 2 : 1); printf "%d", (3 * p + 0.4 * t) * 1e6 }')
			[ -n "$us" ] && [ "$us" -le "$bound" ]
			_result $? "the safety net re-armed the channel after ${us:-?} us of silence (<= $bound us)"
			echo "$SCN rescue_after_us=${us:-none}" >> "$RESULTS_DIR/deadline.txt"
			# The last two snapshots (after the drop, after the lockup);
			# the first, at boot, may be cut by kernel output on the
			# serial console.
			awk '/^HPETWD: stat cpu[0-9]+ monitored=1 checks=[0-9]+ / { split($5, c, "="); n[$3]++; v[$3, n[$3]] = c[2] }
				END { for (k in n) { m++; if (n[k] < 2 || !(v[k, n[k]] > v[k, n[k] - 1])) exit 1 } exit m != 2 }' "$LOG"
			_result $? "both CPUs kept being checked after the lost message"
			assert_caught_after 1 "HPETWD: inducing lockup"
			expect_none "Uhhuh. NMI received for unknown reason" "no unknown NMIs"
		}
		;;
	deadline-train-rr|deadline-train-ipi)
		# A tick lost while another source's NMIs keep coming, as one
		# merged into a perf PMI is: the same lost 20th message, with
		# a 1 kHz emulated PMI train on both CPUs. The target's next
		# NMI finds the tick half a period overdue and re-arms the
		# channel from NMI context - the only way back when every CPU
		# is stuck and no hrtimer runs - so no rescue is needed.
		real_hpet; HPET_DROP=20 TRACE="hpet_fsb_drop hpet_fsb_msi"
		DL_MODE=${1#deadline-train-} SMP=2
		APPEND="$base hpet_nmi_watchdog=$DL_MODE"
		GUEST=deadline ARGS="secs=$LOCK_SECS_ONE,settle=16,train=1000" TIMEOUT=100
		assertions() {
			local n
			expect "NMI watchdog: hpet: $(channel_kind)" "the watchdog runs on the one-shot channel"
			n=$(grep -c "hpet_fsb_drop timer $(wdt_timer) message 20 dropped" "$LOG.trace")
			[ "$n" = 1 ]; _result $? "QEMU dropped one FSB message of the watchdog's channel ($n)"
			expect "hpetwd_nmi_train: started: 1000 Hz" "the train ran"
			awk '/^HPETWD: stat cpu[0-9]+ monitored=1/ { for (i = 4; i <= NF; i++) if ($i ~ /^overdue=/) { split(substr($i, 9), o, "/"); last[$3] = o[1] } }
				END { for (c in last) n += last[c]; print n + 0 }' "$LOG" > "$LOG.overdue"
			[ "$(cat "$LOG.overdue")" -ge 1 ]
			_result $? "the lost tick was taken as overdue on another NMI ($(cat "$LOG.overdue"))"
			expect_count "NMI watchdog: hpet: channel [0-9]+ silent for" -eq 0
			awk '/^HPETWD: stat channel=/ { r = $0 } END { exit r !~ / rescues=0$/ }' "$LOG"
			_result $? "no hrtimer rescue was needed (debugfs rescues=0)"
			awk '/^HPETWD: stat cpu[0-9]+ monitored=1 checks=[0-9]+ / { split($5, c, "="); n[$3]++; v[$3, n[$3]] = c[2] }
				END { for (k in n) { m++; if (n[k] < 2 || !(v[k, n[k]] > v[k, n[k] - 1])) exit 1 } exit m != 2 }' "$LOG"
			_result $? "both CPUs kept being checked after the lost message"
			assert_caught_after 1 "HPETWD: inducing lockup"
			awk '/hpetwd_nmi_train: stopped:/ { split($0, a, "sent="); split(a[2], b, " "); split($0, c, "claimed="); split(c[2], d, " "); ok = b[1] > 0 && b[1] == d[1] } END { exit !ok }' "$LOG"
			_result $? "the train's NMIs were all claimed by its own handler"
			expect_none "Uhhuh. NMI received for unknown reason" "no unknown NMIs"
		}
		;;
	wrap-rr)
		# 32-bit one-shot timers also interrupt when the counter wraps.
		# At 24 MHz that is every 179 s, beyond any scenario here; the
		# datasheet HPET clocked at 1 GHz wraps every 4.3 s, so 20 s
		# hold several wraps. Each must be absorbed, none unknown.
		real_hpet 1000000000
		SMP=4 APPEND="$base" GUEST=lockup ARGS="cpu=3,secs=$LOCK_SECS_ONE,settle=20" TIMEOUT=90
		assertions() {
			expect "NMI watchdog: hpet: $(channel_kind)" "the watchdog runs on the one-shot channel at 1 GHz"
			awk '/HPETWD: stat cpu[0-9]+ monitored=1/ { for (i = 4; i <= NF; i++) if ($i ~ /^wrap=/) { split($i, w, "="); last[$3] = w[2] } }
				END { for (c in last) n += last[c]; print n + 0 }' "$LOG" > "$LOG.wraps"
			[ "$(cat "$LOG.wraps")" -ge 3 ]
			_result $? "counter-wrap interrupts absorbed ($(cat "$LOG.wraps"), >= 3 in ~25 s at 1 GHz)"
			expect_none "Uhhuh. NMI received for unknown reason" "no unknown NMIs"
			assert_caught_after 3 "HPETWD: inducing lockup"
		}
		;;
	legacy-owned)
		# Only channels 0 and 1 can send FSB messages, and legacy
		# replacement owns both (it routes them to IRQ0/IRQ8 whatever
		# their FSB bit says): the detector must refuse, not pick one
		# whose NMIs never arrive, and buddy catches the lockup.
		real_hpet; HPET_TIMERS=3 HPET_FSB=0x3
		APPEND="$base" GUEST=lockup ARGS="cpu=1,secs=8,settle=2" TIMEOUT=90
		assertions() {
			expect "NMI watchdog: hpet: not used: no free HPET channel with FSB delivery outside legacy replacement"
			expect "Hard lockup detector: buddy, not hpet: -16" "buddy runs, says why hpet did not"
			expect "HPETWD: detector=buddy" "detector readable at run time"
			awk '/HPETWD: inducing lockup/ { s = 1 } s && /hard LOCKUP on cpu 1$/ { f = 1 } END { exit !f }' "$LOG"
			_result $? "buddy reports the CPU1 lockup"
		}
		;;
	soak-train-rr|soak-train-ipi)
		# make soak only: a 4 kHz emulated PMI train on every CPU for
		# SOAK_SECS (default 600) guest seconds, datasheet HPET.
		local mode=${1##*-} T=${SOAK_SECS:-600}
		real_hpet
		SMP=4 APPEND="$base hpet_nmi_watchdog=$mode" TRAIN_NPHASES=1
		GUEST=train ARGS="phases=4000/all/$T" TIMEOUT=$((T + 120))
		assertions() {
			expect "Hard lockup detector: hpet" "hpet detector chosen"
			assert_train_phases
			expect_none "hard LOCKUP" "no lockup report"
			expect_none "Uhhuh. NMI received for unknown reason" "no unknown NMIs"
			expect "HPETWD: end train" "guest finished the scenario"
		}
		;;
	harness-timeout)
		# Not in the list: tests/selftest.sh runs it to prove that a
		# guest that never finishes is reported as a timeout.
		APPEND="$base" GUEST=sleep ARGS="secs=600" TIMEOUT=15
		assertions() { expect "never reached"; }
		;;
	*) die "unknown scenario '$1' (tests/run-scenario --list)" ;;
	esac
}
