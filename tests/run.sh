#!/bin/bash
# Boot build/bzImage interactively: make run [CMDLINE="..."] [SMP=n]
# [IOMMU=intel|amd] [QEMU=/path/to/qemu-system-x86_64]. Ctrl-a x quits.
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"
. "$TOP/tests/lib/qemu.sh"
APPEND=${CMDLINE:-nmi_watchdog=hpet watchdog_thresh=4}
qemu_argv
for i in "${!QARGV[@]}"; do
	[ "${QARGV[$i]}" = -monitor ] && QARGV[$((i + 1))]=none
	[ "${QARGV[$i]}" = -serial ] && QARGV[$((i + 1))]=mon:stdio
done
say "${QARGV[*]}"
exec "${QARGV[@]}"
