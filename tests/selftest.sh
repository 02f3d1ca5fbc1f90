#!/bin/bash
# Self-tests of the test bed: each bad input must stop with a clear
# message and a non-zero exit. Prints PASS/FAIL lines (tests/lib/assert.sh).
set -uo pipefail
. "$(dirname "$0")/lib/common.sh"
. "$TOP/tests/lib/assert.sh"
SCN=testbed
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# refuses CMD... : exit status non-zero and the output matches ERE.
refuses() {
	local what=$1 re=$2 out rc
	shift 2
	out=$("$@" 2>&1); rc=$?
	[ $rc != 0 ] && printf '%s\n' "$out" | grep -Eq -- "$re"
	_result $? "$what: exit $rc, message /$re/"
	[ $rc != 0 ] && printf '%s\n' "$out" | grep -Eq -- "$re" || printf '%s\n' "$out" | tail -n 5 >&2
}

mkdir -p "$tmp/notakernel"
echo hello > "$tmp/notakernel/Makefile"
refuses "KSRC at a non-kernel directory" "KSRC=.*is not a Linux kernel tree" \
	env KSRC="$tmp/notakernel" "$TOP/tests/lib/prepare-tree.sh"

refuses "missing base tarball" "no base kernel: .*linux-source-6.12.tar.* is missing" \
	env USRSRC="$tmp/empty" HPETWD_CACHE="$tmp/cache" "$TOP/tests/lib/prepare-tree.sh"

mkdir -p "$tmp/patches"
cp "$PATCHES"/*.patch "$PATCHES/series" "$tmp/patches/"
first=$(series_patches | head -n 1)
awk '/^@@/ { h = 1 } h && /^ / && !d { $0 = " hpetwd-selftest-breaks-this-context"; d = 1 } { print }' \
	"$PATCHES/$first" > "$tmp/patches/$first"
refuses "a patch that does not apply" "patch .*$first does not apply to .* \\(file [^)]+\\)" \
	env PATCHES="$tmp/patches" "$TOP/tests/lib/prepare-tree.sh"

refuses "QEMU missing" "QEMU \\(/nonexistent/qemu-system-x86_64\\) is not installed" \
	env QEMU=/nonexistent/qemu-system-x86_64 "$TOP/tests/run-scenario" demo

refuses "a scenario that times out" "FAIL harness-timeout: guest timed out after 15s" \
	"$TOP/tests/run-scenario" harness-timeout
grep -q "HPETWD: sleeping" "$BUILD/logs/harness-timeout.log"
_result $? "the timed-out guest had booted (its log is kept)"

refuses "an unknown scenario" "unknown scenario 'no-such-scenario'" \
	"$TOP/tests/run-scenario" no-such-scenario
echo "testbed: $PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
