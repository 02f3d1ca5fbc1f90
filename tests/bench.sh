#!/bin/bash
# make bench: figures, not pass/fail. For hpet-rr, hpet-ipi and buddy on
# the same kernel in the same run: detection latency of a one-CPU lockup
# (guest time from test_lockup's first "Start on CPU1" after each marker to
# the report) over RUNS lockups, worst and median / watchdog_thresh; and
# NMIs per CPU per second when idle; and the round trip of NMIs that
# another handler claims (NMIS= self-NMIs on CPU1), with and without the
# HPET detector's NMI_LOCAL helper in the path. Results:
# build/results/bench.txt.
set -uo pipefail
. "$(dirname "$0")/lib/common.sh"
. "$TOP/tests/lib/qemu.sh"
RUNS=${RUNS:-10} THRESH=${THRESH:-2} NMIS=${NMIS:-100000}
# Buddy needs up to two of its checks (every 3 x 2 x thresh / 5 s) to
# report: hold each lockup well past that so every detector can catch it.
HOLD=${HOLD:-8}
out=$BUILD/results/bench.txt
mkdir -p "$BUILD/results" "$BUILD/logs"
{
	echo "# hpetwd bench $(date -u +%F) thresh=${THRESH}s runs=$RUNS, 2 vCPUs, QEMU TCG"
	printf '%-9s %8s %8s %8s %8s %10s %14s\n' detector runs caught "worst/T" "median/T" "worst/buddy" "idle NMI/s/cpu"
} > "$out.tmp"
declare -A worst
for det in buddy hpet-rr hpet-ipi; do
	case $det in
	buddy) APPEND="nmi_watchdog=buddy" ;;
	hpet-*) APPEND="nmi_watchdog=hpet hpet_nmi_watchdog=${det#hpet-}" ;;
	esac
	SMP=2 IOMMU= HPET_MSI=on HPET_TIMERS= MACHINE= QEMU= CPU= TRACE= QEMU_EXTRA=
	LOG=$BUILD/logs/bench-$det.log
	APPEND="$APPEND watchdog_thresh=$THRESH hpetwd.run=bench hpetwd.args=runs=$RUNS,hold=$HOLD,secs=10,nmis=$NMIS"
	say "bench: $det ($RUNS lockups)"
	qemu_run "$LOG" $((120 + RUNS * (2 * HOLD + 6) + NMIS / 1000)) || say "bench: $det guest did not finish (log $LOG)"
	lat=$(awk '
		/HPETWD: bench lock/ { armed = 1; start = ""; next }
		armed && start == "" && /Start on CPU1$/ { match($0, /[0-9]+\.[0-9]+/); start = substr($0, RSTART, RLENGTH); next }
		armed && start != "" && /hard LOCKUP on cpu 1$/ { match($0, /[0-9]+\.[0-9]+/); print substr($0, RSTART, RLENGTH) - start; armed = 0 }' "$LOG" | sort -n)
	n=$(printf '%s\n' "$lat" | grep -c . || true)
	w=$(printf '%s\n' "$lat" | tail -n 1)
	m=$(printf '%s\n' "$lat" | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)] }')
	idle=$(sed -n 's/^HPETWD: bench idle nmis \([0-9]*\)s \([0-9]*\) \([0-9]*\)/\1 \2 \3/p' "$LOG")
	rate=$(echo "$idle" | awk '{ if ($1) printf "%.2f", ($2 + $3) / 2 / $1 }')
	worst[$det]=$w
	printf '%-9s %8s %8s %8s %8s %10s %14s\n' "$det" "$RUNS" "$n" \
		"$(awk -v w="${w:-0}" -v t="$THRESH" 'BEGIN { printf "%.3f", w / t }')" \
		"$(awk -v w="${m:-0}" -v t="$THRESH" 'BEGIN { printf "%.3f", w / t }')" \
		"$(awk -v w="${w:-0}" -v b="${worst[buddy]:-0}" 'BEGIN { if (b > 0) printf "%.2f", w / b; else print "-" }')" \
		"${rate:--}" >> "$out.tmp"
done
grep -c 'Permanently consumes one hw-PMU counter' "$BUILD"/logs/bench-*.log | sed 's/^/# perf counters claimed by the watchdog (log: count): /' >> "$out.tmp"
# The cost of an NMI another handler claims (a perf PMI): round trip of
# self-NMIs on CPU1, with the HPET detector's NMI_LOCAL helper in the
# path (hpet-*) and without it (buddy registers no NMI handler).
{
	echo "# declined NMI: $NMIS self-NMIs on CPU1 claimed by another NMI_LOCAL handler, round trip in TSC cycles (TCG)"
	printf '%-9s %10s %10s %12s %12s\n' detector median p99 "median/buddy" "p99/buddy"
} >> "$out.tmp"
bmed= bp99=
for det in buddy hpet-rr hpet-ipi; do
	line=$(grep -m1 'hpetwd_nmi_train: bench:' "$BUILD/logs/bench-$det.log" || true)
	med=$(echo "$line" | sed -n 's/.* median=\([0-9]*\).*/\1/p')
	p99=$(echo "$line" | sed -n 's/.* p99=\([0-9]*\).*/\1/p')
	[ "$det" = buddy ] && bmed=$med bp99=$p99
	printf '%-9s %10s %10s %12s %12s\n' "$det" "${med:--}" "${p99:--}" \
		"$(awk -v a="${med:-0}" -v b="${bmed:-0}" 'BEGIN { if (a > 0 && b > 0) printf "%.3f", a / b; else print "-" }')" \
		"$(awk -v a="${p99:-0}" -v b="${bp99:-0}" 'BEGIN { if (a > 0 && b > 0) printf "%.3f", a / b; else print "-" }')" >> "$out.tmp"
done
mv "$out.tmp" "$out"
cat "$out"
