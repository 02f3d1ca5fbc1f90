#!/bin/bash
# The assertion helpers on stored guest logs (tests/fixtures: a real
# one-CPU lockup of CPU1, a real inject-rr run, a real kdb stop, a real
# kdump) and on
# doctored copies of
# them, without QEMU: the
# real log must pass, every doctored one must fail the check it names.
# Ends with "assert: N passed, N failed".
set -uo pipefail
. "$(dirname "$0")/lib/common.sh"
. "$TOP/tests/lib/assert.sh"
. "$TOP/tests/scenarios.sh"

THRESH=2 RESULTS_DIR=$(mktemp -d) tmp=$(mktemp -d)
trap 'rm -rf "$tmp" "$RESULTS_DIR"' EXIT
good=$TOP/tests/fixtures/lockup-cpu1.log
P=0 F=0

# verdict WANT NAME CMD...: run one assertion with its own counters; WANT
# is pass or fail.
verdict() {
	local want=$1 name=$2 got
	shift 2
	PASSED=0 FAILED=0
	"$@" > "$tmp/out" 2>&1
	got=$([ "$FAILED" -gt 0 ] && echo fail || echo pass)
	[ "$PASSED" -gt 0 ] || [ "$FAILED" -gt 0 ] || got=none
	if [ "$got" = "$want" ]; then
		P=$((P + 1)); echo "PASS assert: $name: $want"
	else
		F=$((F + 1)); echo "FAIL assert: $name: expected $want, got $got"; sed 's/^/    /' "$tmp/out"
	fi
}

on() { # LOGFILE CMD...: run CMD with LOG=LOGFILE
	LOG=$1 SCN=assert
	shift
	"$@"
}

verdict pass "real log: lockup caught" on "$good" assert_lockup_caught 1
grep -v '+0x.*\[test_lockup\]' "$good" > "$tmp/nostack"
verdict fail "stack frames deleted" on "$tmp/nostack" expect_report_dump 1
sed 's/CPU: 1 UID/CPU: 0 UID/' "$good" > "$tmp/wrongcpu"
verdict fail "register dump of another CPU" on "$tmp/wrongcpu" expect_report_dump 1
sed '0,/hard LOCKUP on cpu 1$/s//&\n[    7.1] watchdog: Watchdog detected hard LOCKUP on cpu 0/' "$good" > "$tmp/extra"
verdict fail "extra report of an idle CPU" on "$tmp/extra" assert_lockup_caught 1
awk '/Watchdog detected hard LOCKUP on cpu 1$/ && !d { sub(/\[ *[0-9.]+\]/, "[    9.000000]"); d = 1 } { print }' "$good" > "$tmp/late"
verdict fail "report 3.9 s after the start (> 1.25 x thresh)" on "$tmp/late" assert_lockup_caught 1
verdict fail "missing log, expect_none" on /nonexistent/log expect_none "hard LOCKUP"
verdict fail "missing log, expect" on /nonexistent/log expect "hard LOCKUP"
verdict fail "wrong expectation" on "$good" expect "this line is never printed by any guest"
verdict pass "expect_none on the real log" on "$good" expect_none "Uhhuh. NMI received"

# inject-rr's rounds (a real run with the 1 kHz train in round 2).
cp "$TOP/tests/fixtures/inject-rr.log" "$tmp/inject"
INJECT_N=5
verdict pass "inject: real log, every injection reported" on "$tmp/inject" assert_inject_rounds
# The line number of the k-th unknown NMI of round R in FILE.
nth_unknown() { # round k file
	awk -v r="HPETWD: inject round $1 start" -v k="$2" 'index($0, r) { s = 1 } s && /Uhhuh/ && ++n == k { print NR; exit }' "$3"
}
sed "$(nth_unknown 2 1 "$tmp/inject")d" "$tmp/inject" > "$tmp/merged"
verdict pass "inject: one round-2 report missing, nothing absorbed (a merge)" on "$tmp/merged" assert_inject_rounds
sed 's/^\(HPETWD: round 2 after cpu1 .*\)stray=0/\1stray=1/' "$tmp/merged" > "$tmp/swallowed"
verdict fail "inject: one round-2 report missing, the detector absorbed one" on "$tmp/swallowed" assert_inject_rounds
sed "$(nth_unknown 2 1 "$tmp/merged")d" "$tmp/merged" > "$tmp/two"
verdict fail "inject: two round-2 reports missing" on "$tmp/two" assert_inject_rounds
sed "$(nth_unknown 1 1 "$tmp/inject")d" "$tmp/inject" > "$tmp/round1"
verdict fail "inject: a round-1 report missing (no train to merge with)" on "$tmp/round1" assert_inject_rounds
grep -v '^HPETWD: round ' "$tmp/merged" > "$tmp/nocounters"
verdict fail "inject: round-2 report missing and no detector counters" on "$tmp/nocounters" assert_inject_rounds

# kdb-rr: a real 20 s stop in kdb (CPU1 master), then a CPU0 lockup; the
# guest's kdb port output beside it (LOG.kdb).
KDB_DET=hpet KDB_MASTER=1 KDB_LOCK=0 KDB_STOP=20 KDB_SWITCH= KDB_BPH= KDB_HOLDBP= IR=
kdb() { # NAME: a copy of the real log (and its kdb transcript) as $tmp/NAME
	cp "$TOP/tests/fixtures/kdb-rr.log" "$tmp/$1"
	cp "$TOP/tests/fixtures/kdb-rr.log.kdb" "$tmp/$1.kdb"
}
kdb real
verdict pass "kdb: real log" on "$tmp/real" assert_kdb_stop
kdb report
sed -i '/HPETWD: kdb resumed/a [   25.000000] watchdog: Watchdog detected hard LOCKUP on cpu 1' "$tmp/report"
verdict fail "kdb: a lockup report from the stop" on "$tmp/report" assert_kdb_stop
kdb clock
sed -i 's/^\(HPETWD: kdb resumed uptime \)[0-9.]*/\16.00/' "$tmp/clock"
verdict fail "kdb: uptime advanced 2 s across a 20 s stop" on "$tmp/clock" assert_kdb_stop
kdb hpetcs
sed -i 's/^\(HPETWD: kdb quiet period over clocksource \)tsc/\1hpet/' "$tmp/hpetcs"
verdict fail "kdb: clocksource switched to hpet after the stop" on "$tmp/hpetcs" assert_kdb_stop
kdb nokdb
rm "$tmp/nokdb.kdb"
verdict fail "kdb: no kdb output on ttyS1" on "$tmp/nokdb" assert_kdb_stop
kdb unchecked
awk '$1 == "HPETWD:" && $2 == "before" && $3 == "cpu1" { b = $5 } $1 == "HPETWD:" && $2 == "after" && $3 == "cpu1" { $5 = b } { print }' "$tmp/real" > "$tmp/unchecked"
verdict fail "kdb: CPU1 never checked again after the stop" on "$tmp/unchecked" assert_kdb_stop

# kdump-rr: a real panic of CPU1 into the capture kernel, with its
# vmcore head and the crashed kernel's log (vmcore-dmesg) in the log; the
# System.map lines its notes' addresses need.
KDUMP_CPU=1 KDUMP_DET=hpet KDUMP_CAPWD= KDUMP_MODE=rr SMP=2
mkdir -p "$tmp/build"
cp "$TOP/tests/fixtures/kdump-rr.System.map" "$tmp/build/System.map"
kd() { # WANT DESCRIPTION SED-SCRIPT: assert_kdump on a doctored copy
	sed "$3" "$TOP/tests/fixtures/kdump-rr.log" > "$tmp/kdump"
	BUILD=$tmp/build verdict "$1" "kdump: $2" on "$tmp/kdump" assert_kdump
}
kd pass "real log" ''
kd fail "no panic in the crashed kernel's log" '/^HPETWD: old .*Kernel panic - not syncing/d'
kd fail "the report names another CPU" 's/^\(HPETWD: old .*hard LOCKUP on cpu \)1$/\10/'
kd fail "40 NMIs reached the capture kernel (old channel)" 's/^\(HPETWD: NMI: \)1 /\140 /'
kd pass "one (latched) unknown NMI in the capture kernel" '/^HPETWD: run vmcore/a [    1.0] Uhhuh. NMI received for unknown reason 30 on CPU 0.'
kd fail "two unknown NMIs in the capture kernel" '/^HPETWD: run vmcore/{p;s/.*/[    1.0] Uhhuh. NMI received for unknown reason 30 on CPU 0./p;s/.*/[    1.1] Uhhuh. NMI received for unknown reason 30 on CPU 0./}'
kd fail "no vmcore head" '/^HPETWD: vmcore64 /d'
kd fail "makedumpfile did not complete" 's/makedumpfile Completed\./makedumpfile Failed./'
KDUMP_CPU=0 kd fail "CPU0 expected to be the panicking CPU" ''

PASSED=$P FAILED=$F
echo "assert: $PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
