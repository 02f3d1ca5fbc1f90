#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run-time interface of the boot-selectable hard lockup detector and of the
# HPET NMI watchdog: /proc/sys/kernel/hardlockup_detector, nmi_watchdog on
# and off, watchdog_thresh. Expects the HPET detector to run
# (nmi_watchdog=hpet); skips otherwise.

DIR="$(dirname "$0")"
. "$DIR"/../kselftest/ktap_helpers.sh

SYS=/proc/sys/kernel

nmis() {
	grep '^ *NMI:' /proc/interrupts |
		awk '{ for (i = 2; i <= NF; i++) if ($i ~ /^[0-9]+$/) s += $i } END { print s + 0 }'
}

nmis_over() {
	a=$(nmis)
	sleep "$1"
	echo $(($(nmis) - a))
}

ktap_print_header
if [ ! -r $SYS/hardlockup_detector ]; then
	ktap_skip_all "no /proc/sys/kernel/hardlockup_detector"
	exit "$KSFT_SKIP"
fi
det=$(cat $SYS/hardlockup_detector)
case "$det" in
hpet\ *) ;;
*)
	ktap_skip_all "the HPET detector does not run (detector: $det)"
	exit "$KSFT_SKIP"
	;;
esac
ktap_set_plan 6

echo "$det" | grep -Eq '^hpet channel=[0-9]+ mode=(rr|ipi) cpus=[0-9,-]+ latched=[0-9]+$'
ktap_test_result "hardlockup_detector format ($det)" [ $? -eq 0 ]

old_thresh=$(cat $SYS/watchdog_thresh)
ktap_test_result "HPET NMIs arrive while enabled" [ "$(nmis_over 2)" -gt 0 ]

echo 0 > $SYS/nmi_watchdog
sleep 1
ktap_test_result "no NMIs with nmi_watchdog=0" [ "$(nmis_over 2)" -eq 0 ]

echo 1 > $SYS/nmi_watchdog
ktap_test_result "NMIs again with nmi_watchdog=1" [ "$(nmis_over 2)" -gt 0 ]

echo $((old_thresh + 1)) > $SYS/watchdog_thresh
ktap_test_result "watchdog_thresh reads back $((old_thresh + 1))" \
	[ "$(cat $SYS/watchdog_thresh)" -eq $((old_thresh + 1)) ]
echo "$old_thresh" > $SYS/watchdog_thresh

# ktap_test_result splits its command into words: compare here.
same=no
[ "$(cut -d' ' -f1-3 $SYS/hardlockup_detector)" = "$(echo "$det" | cut -d' ' -f1-3)" ] && same=yes
ktap_test_result "detector, channel and mode unchanged after reconfiguration" [ $same = yes ]

ktap_finished
