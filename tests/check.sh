#!/bin/bash
# Every test layer: checkpatch --strict on our files and patches, then the
# scenario matrix (lockups, KUnit in the guest, no-false-positive load,
# fallbacks and bad input). Ends with "N passed, N failed".
set -uo pipefail
. "$(dirname "$0")/lib/common.sh"
. "$TOP/tests/lib/assert.sh"

work=$("$TOP/tests/lib/prepare-tree.sh") || die "cannot prepare the kernel tree"
SCN=checkpatch
for f in $(cd "$TOP" && find arch drivers kernel include lib tools -name '*.[ch]' 2>/dev/null | sort); do
	# In file mode checkpatch cannot see that patches/0006 documents our
	# __setup, and <asm/nmi.h> is what declares register_nmi_handler().
	out=$(cd "$work" && perl scripts/checkpatch.pl --strict -q \
		--ignore UNDOCUMENTED_SETUP,INCLUDE_LINUX -f "$f" 2>&1)
	[ -z "$out" ] || printf '%s\n' "$out"
	[ -z "$out" ]; _result $? "$f is checkpatch --strict clean"
done
for p in $(series_patches); do
	out=$(cd "$work" && perl scripts/checkpatch.pl --strict -q "$TOP/patches/$p" 2>&1)
	[ -z "$out" ] || printf '%s\n' "$out"
	[ -z "$out" ]; _result $? "patches/$p is checkpatch --strict clean"
done

export RESULTS_DIR=$BUILD/results
rm -f "$RESULTS_DIR/latency.txt"
out=$("$TOP/tests/run-scenario" --all 2>&1 | tee /dev/stderr | tail -n 1)
sp=$(printf '%s\n' "$out" | sed -n 's/^scenarios: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
sf=$(printf '%s\n' "$out" | sed -n 's/^scenarios: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
[ -n "$sp" ] || { sp=0; sf=$((${sf:-0} + 1)); echo "FAIL scenario runner did not finish" >&2; }
PASSED=$((PASSED + sp))
FAILED=$((FAILED + sf))
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
