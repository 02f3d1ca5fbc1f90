# NMIs injected from the QEMU monitor while the HPET detector runs: the
# host hook sends "nmi" n=N times, gap=G s apart, on every "inject round R
# start" line; QEMU raises it as LINT1, an NMI on the boot CPU. Round 1
# alone, round 2 with a 1 kHz emulated PMI train on every CPU. Round 3 sets unknown_nmi_panic,
# runs the train for 10 s (no NMI may be unknown), then one injection must
# panic the kernel.
report_state
sleep 2
for round in 1 2 3; do
	[ $round = 1 ] || insmod /lib/modules/hpetwd_nmi_train.ko rate_hz=1000 cpus=all sender=0
	if [ $round = 3 ]; then
		echo 1 > /proc/sys/kernel/unknown_nmi_panic
		echo "HPETWD: unknown_nmi_panic=$(cat /proc/sys/kernel/unknown_nmi_panic), train for 10 s"
		sleep 10
		echo "HPETWD: still running after 10 s"
	fi
	# What the detector absorbed (latched, stray, handoff, wrap, overdue)
	# on each CPU, around the round.
	sed "s/^/HPETWD: round $round before /" /sys/kernel/debug/hpet_nmi_watchdog/cpus
	echo "HPETWD: inject round $round start n=$arg_n"
	sleep $((arg_n * arg_gap + 3))
	echo "HPETWD: inject round $round end"
	sed "s/^/HPETWD: round $round after /" /sys/kernel/debug/hpet_nmi_watchdog/cpus
	[ $round = 1 ] || rmmod hpetwd_nmi_train
done
