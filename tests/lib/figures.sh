#!/bin/bash
# Figures of the last make check, from what the scenarios measured in the
# guests (build/results/*.txt), so README quotes one run, not a mix:
# detection latency over every lockup (median, max, per family),
# the safety net's rescue times, and the PMI-train check counts.
# Writes build/results/figures.txt and prints it.
set -uo pipefail
. "$(dirname "$0")/common.sh"
R=${RESULTS_DIR:-$BUILD/results}
out=$R/figures.txt
{
	echo "# hpetwd figures, $(date -u '+%F %H:%M') UTC, commit $(git -C "$TOP" describe --always --dirty 2>/dev/null || echo unknown)"
	if [ -s "$R/latency.txt" ]; then
		# "SCN [cpuN] latency D": family = scenario name without its
		# CPU count and target (lockup-rr, ir-intel-ipi, train, ...).
		# The HPET detector's figure; buddy's comparison runs
		# (scenarios named *buddy*) apart.
		for who in hpet buddy; do
			if [ $who = hpet ]; then sel='!/buddy/'; else sel='/buddy/'; fi
			awk "$sel"' { print $NF }' "$R/latency.txt" | sort -n | awk -v t="${THRESH:-2}" -v w="$who" '
				{ v[NR] = $1 }
				END { n = NR; if (!n) exit
				      m = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
				      printf "detection latency (%s), thresh %s s: %d lockups, median %.3f s, max %.3f s = %.3f x thresh\n", w, t, n, m, v[n], v[n] / t }'
		done
		# Family: the scenario name without CPU count and target.
		awk -v t="${THRESH:-2}" '
			{ d = $NF; f = $1; sub(/-[0-9]+cpu-.*$/, "", f)
			  if (!(f in mx) || d > mx[f]) mx[f] = d; c[f]++ }
			END { for (f in mx) printf "  %-28s %3d lockups, max %.3f s = %.3f x thresh\n", f, c[f], mx[f], mx[f] / t }' \
			"$R/latency.txt" | sort
	else
		echo "detection latency: no lockups measured"
	fi
	if [ -s "$R/deadline.txt" ]; then
		echo "safety net (lost FSB message): $(awk '{ sub(/.*rescue_after_us=/, ""); printf "%s%s us", sep, $0; sep = ", " }' "$R/deadline.txt")"
	fi
	if [ -s "$R/train.txt" ]; then
		echo "PMI trains, checks per CPU in each phase (nominal secs / (0.225 x thresh)):"
		grep ' checks:' "$R/train.txt" | sed 's/^/  /'
	fi
} > "$out"
cat "$out"
