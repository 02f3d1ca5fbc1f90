#!/bin/bash
# Every test layer, in order: checkpatch --strict on our files and patches,
# the series export, the test bed's self-tests, then the scenario matrix in
# QEMU (lockups, KUnit in the guest, no-false-positive load, fallbacks and
# bad input). Ends with "N passed, N failed"; non-zero exit on any failure.
set -uo pipefail
. "$(dirname "$0")/lib/common.sh"
. "$TOP/tests/lib/assert.sh"

work=$("$TOP/tests/lib/prepare-tree.sh") || die "cannot prepare the kernel tree"
SCN=checkpatch
for f in $(cd "$TOP" && find arch drivers kernel include lib tools -name '*.[ch]' 2>/dev/null | sort); do
	# In file mode checkpatch cannot see that patches/0007 documents our
	# __setup, and <asm/nmi.h> is what declares register_nmi_handler().
	out=$(cd "$work" && perl scripts/checkpatch.pl --strict -q \
		--ignore UNDOCUMENTED_SETUP,ARCH_INCLUDE_LINUX -f "$f" 2>&1)
	[ -z "$out" ] || printf '%s\n' "$out"
	[ -z "$out" ]; _result $? "$f is checkpatch --strict clean"
done
for p in $(series_patches); do
	out=$(cd "$work" && perl scripts/checkpatch.pl --strict -q "$PATCHES/$p" 2>&1)
	[ -z "$out" ] || printf '%s\n' "$out"
	[ -z "$out" ]; _result $? "patches/$p is checkpatch --strict clean"
done

SCN=series
n=$(series_patches | wc -l)
"$TOP/tests/lib/series.sh" > "$BUILD/series.log" 2>&1
_result $? "make series exports the series with git am (log build/series.log)"
[ "$(ls "$BUILD/series" 2>/dev/null | wc -l)" = "$n" ]
_result $? "build/series has one patch per patches/series entry ($n)"

# layer CMD...: run a sub-runner and add its closing "name: N passed, N failed".
layer() {
	local out p f tmp=$BUILD/layer.out
	# Stream to stderr through the inherited descriptor (tee /dev/stderr
	# would reopen, and truncate, a log file that stderr points to).
	"$@" 2>&1 | tee "$tmp" >&2
	out=$(tail -n 1 "$tmp")
	p=$(printf '%s\n' "$out" | sed -n 's/^[a-z]*: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
	f=$(printf '%s\n' "$out" | sed -n 's/^[a-z]*: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
	if [ -z "$p" ]; then
		SCN=$1 _result 1 "runner $* did not finish"
		return
	fi
	PASSED=$((PASSED + p))
	FAILED=$((FAILED + f))
}

export RESULTS_DIR=$BUILD/results
# This run's figures only (README quotes build/results/figures.txt).
mkdir -p "$RESULTS_DIR"
rm -f "$RESULTS_DIR"/{latency,train,deadline,ir-proof,figures}.txt
layer "$TOP/tests/selftest-assert.sh"
layer "$TOP/tests/selftest.sh"
layer "$TOP/tests/run-scenario" --all
"$TOP/tests/lib/figures.sh" || true
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
