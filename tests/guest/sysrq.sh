# All-CPU backtraces (sysrq l: NMI IPIs claimed by nmi_backtrace) while the
# HPET detector runs, n=N times gap=G s apart, with its counters after.
report_state
sleep 2
sed 's/^/HPETWD: before /' /sys/kernel/debug/hpet_nmi_watchdog/cpus
i=0
while [ $i -lt "$arg_n" ]; do
	i=$((i + 1))
	echo "HPETWD: sysrq l $i"
	echo l > /proc/sysrq-trigger
	sleep "$arg_gap"
done
sed 's/^/HPETWD: after /' /sys/kernel/debug/hpet_nmi_watchdog/cpus
echo "HPETWD: sysrq over"
report_state
