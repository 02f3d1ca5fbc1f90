# Scenario table. A scenario = kernel command line + QEMU options + a guest
# script + assertions on the serial log. scenario NAME sets the variables
# of tests/lib/qemu.sh plus GUEST, ARGS, TIMEOUT, and defines assertions().
# Sourced.

THRESH=2          # watchdog_thresh of the lockup scenarios (s)
LOCK_SECS=6       # how long test_lockup holds a CPU (insmod runs it twice)

list_scenarios() {
	local m n t
	echo demo
	for m in rr ipi; do
		for n in 1 2 4 8; do
			for t in cpu0 last all; do
				[ "$n" = 1 ] && [ "$t" = last ] && continue
				echo "lockup-$m-${n}cpu-$t"
			done
		done
	done
	echo kunit
	echo noload-rr noload-ipi
	echo fallback-default fallback-perf fallback-nohpet fallback-hpet-disable
	echo fallback-nomsi fallback-ir-stock fallback-tsc-unstable
	echo bad-mode bad-option
	echo selftest-wrong-expectation
}

# Shared by every lockup scenario: the HPET detector ran and reported the
# locked CPU with test_lockup on its stack within 1.25 x thresh.
assert_lockup_caught() { # cpu
	local c=$1 limit
	limit=$(awk -v t="$THRESH" 'BEGIN { print 1.25 * t }')
	expect "Hard lockup detector: hpet" "hpet detector chosen"
	expect "Watchdog detected hard LOCKUP on cpu $c\$" "lockup on CPU$c reported"
	expect_latency "Start on CPU" "Watchdog detected hard LOCKUP on cpu $c\$" "$limit"
	# The stuck CPU's own registers/stack: test_lockup frames after the report.
	awk -v re="hard LOCKUP on cpu $c\$" '$0 ~ re { s = 1 } s && /test_lockup|test_work/ { f = 1 } END { exit !f }' "$LOG"
	_result $? "report for CPU$c shows test_lockup on the stack"
}

scenario() {
	SMP=2 IOMMU= HPET_MSI=on HPET_TIMERS= MACHINE= QEMU_EXTRA=
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
	lockup-*)
		local rest=${1#lockup-} mode n t cpu
		mode=${rest%%-*}; rest=${rest#*-}; n=${rest%%cpu-*}; t=${rest#*cpu-}
		SMP=$n
		APPEND="$base hpet_nmi_watchdog=$mode"
		case $t in cpu0) cpu=0 ;; last) cpu=$((n - 1)) ;; all) cpu=all ;; esac
		GUEST=lockup ARGS="cpu=$cpu,secs=$LOCK_SECS" TIMEOUT=$((100 + 10 * n))
		LOCK_CPU=$cpu LOCK_N=$n LOCK_MODE=$mode
		assertions() {
			local c
			expect "NMI watchdog: hpet: channel [0-9]+ at [0-9]+ Hz, $LOCK_MODE mode"
			if [ "$LOCK_CPU" = all ]; then
				for c in $(seq 0 $((LOCK_N - 1))); do
					assert_lockup_caught "$c"
				done
			else
				assert_lockup_caught "$LOCK_CPU"
			fi
			expect_none "Uhhuh. NMI received for unknown reason" "no unknown NMIs"
			expect "HPETWD: end lockup" "guest finished the scenario"
		}
		;;
	kunit)
		SMP=4 APPEND="$base" GUEST=kunit ARGS="module=watchdog_hpet_test"
		assertions() {
			expect "# Subtest: hpet_nmi_watchdog" "KUnit suite ran"
			expect "ok [0-9]+ hpet_nmi_watchdog$" "KUnit suite passed"
			expect_none "not ok" "no KUnit case failed"
			expect_none "# SKIP" "no KUnit case skipped"
			expect_count "^.*    ok [0-9]+ " -ge 12
		}
		;;
	noload-*)
		local mode=${1#noload-}
		SMP=2 APPEND="nmi_watchdog=hpet watchdog_thresh=1 hpet_nmi_watchdog=$mode"
		GUEST=load ARGS="secs=${NOLOAD_SECS:-120}" TIMEOUT=$((${NOLOAD_SECS:-120} + 90))
		NOLOAD_MODE=$mode
		assertions() {
			expect "NMI watchdog: hpet: channel [0-9]+ at [0-9]+ Hz, $NOLOAD_MODE mode"
			expect "HPETWD: load over" "load phase completed"
			expect_none "hard LOCKUP" "no false hard lockup report"
			expect_none "Uhhuh. NMI received for unknown reason" "no unknown NMIs"
			# Both CPUs took NMIs from the detector: > 4 per thresh second.
			awk '/HPETWD: load over/ { s = 1 } s && /HPETWD: NMI:/ { print; exit }' "$LOG" |
				awk -v min=$((${NOLOAD_SECS:-120} * 2)) '{ exit !($3 > min && $4 > min) }'
			_result $? "every CPU received > $((${NOLOAD_SECS:-120} * 2)) NMIs"
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
			expect "NMI watchdog: hpet: not used: interrupt remapping is on"
			expect "Hard lockup detector: buddy, not hpet: -95"
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
			local before=$FAILED out
			out=$(expect "this line is never printed by any guest")
			case "$out" in FAIL*) _result 0 "a wrong expectation is reported as FAIL" ;;
			*) _result 1 "a wrong expectation was not reported as FAIL" ;; esac
		}
		;;
	*) die "unknown scenario '$1' (tests/run-scenario --list)" ;;
	esac
}
