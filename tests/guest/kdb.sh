# Stop the machine in kdb (sysrq g from CPU master=N; the host types the
# commands on ttyS1 and "go"), then wait wait=S s and lock CPU lock=N for
# secs=S with interrupts off. Uptime, clocksource and the detector's
# counters are printed on each side of the stop.
report_state
# holdbp=N: perf breakpoint events hold N hardware breakpoint slots.
[ -z "${arg_holdbp:-}" ] || insmod1 /lib/modules/hpetwd_hwbp.ko slots="$arg_holdbp"
sleep "${arg_settle:-3}"
cs=/sys/devices/system/clocksource/clocksource0/current_clocksource
stats=/sys/kernel/debug/hpet_nmi_watchdog/cpus
[ -r $stats ] && sed 's/^/HPETWD: before /' $stats
echo "HPETWD: kdb enter from CPU$arg_master uptime $(cut -d' ' -f1 /proc/uptime) clocksource $(cat $cs)"
taskset -c "$arg_master" sh -c 'echo g > /proc/sysrq-trigger'
echo "HPETWD: kdb resumed uptime $(cut -d' ' -f1 /proc/uptime) clocksource $(cat $cs)"
sleep "$arg_wait"
[ -r $stats ] && sed 's/^/HPETWD: after /' $stats
echo "HPETWD: kdb quiet period over clocksource $(cat $cs) detector=$(cat /proc/sys/kernel/hardlockup_detector)"
echo "HPETWD: inducing lockup cpu=$arg_lock secs=$arg_secs"
hold_cpu "$arg_lock" "$arg_secs"
echo "HPETWD: lockup over"
report_state
