#!/bin/bash
# The `make` demo: lock CPU1 with interrupts off and show what the kernel
# reported, summarised from the guest's own log.
set -uo pipefail
. "$(dirname "$0")/lib/common.sh"
"$TOP/tests/run-scenario" demo
rc=$?
log=$BUILD/logs/demo.log
echo
echo "== what the guest kernel printed =="
grep -E 'NMI watchdog: hpet|Hard lockup detector|Start on CPU|hard LOCKUP|RIP: .*test_|Perf NMI' "$log" | head -n 8
det=$(sed -n 's/.*Hard lockup detector: \(.*\)/\1/p' "$log" | head -n 1)
chan=$(sed -n 's/.*HPETWD: detector=\(.*\)/\1/p' "$log" | head -n 1)
t0=$(grep -m1 'Start on CPU' "$log" | sed 's/^\[ *\([0-9.]*\)\].*Start on CPU\([0-9]*\).*/\1 \2/')
t1=$(grep -m1 'hard LOCKUP on cpu' "$log" | sed 's/^\[ *\([0-9.]*\)\].*cpu \([0-9]*\).*/\1 \2/')
echo
echo "== summary =="
echo "detector:  ${det:-none} (${chan:-no detector state read})"
if [ -n "$t1" ]; then
	awk -v a="$t0" -v b="$t1" -v th="$(grep -o 'watchdog_thresh=[0-9]*' "$log.cmd" | head -n1 | cut -d= -f2)" 'BEGIN {
		split(a, s, " "); split(b, e, " ");
		printf "lockup:    CPU%s from %.3f s (guest time)\n", s[2], s[1];
		printf "detected:  CPU%s at %.3f s, %.3f s later = %.2f x watchdog_thresh (%s s)\n",
			e[2], e[1], e[1] - s[1], (e[1] - s[1]) / th, th }'
else
	echo "detected:  nothing - no hard lockup report in $log"
fi
exit $rc
