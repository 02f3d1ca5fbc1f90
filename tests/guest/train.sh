# Emulated PMI trains (tests/modules/hpetwd_nmi_train.c) while the HPET
# detector runs. phases=RATE/CPUS/SECS+...: one train per phase, with the
# detector's per-CPU counters before and after. lockall=S and lockone=CPU
# then induce an all-CPU and a one-CPU lockup with a 1 kHz train on every
# CPU still running (sender CPU0). window=MS: the train also claims every
# NMI within MS of one of its own, as AMD perf does. pauses=S+S+...: after
# phase i, sleep the ((i - 1) mod n) + 1-th of them with no train loaded.
# skew=PPM: first make the detector's window period PPM off (debugfs).
stats() { # tag
	sed "s/^/HPETWD: $1 /" /sys/kernel/debug/hpet_nmi_watchdog/cpus
}
train() { # rate cpus
	insmod /lib/modules/hpetwd_nmi_train.ko rate_hz="$1" cpus="$2" sender=0 \
		${arg_window:+late_window_ms=$arg_window}
}
report_state
if [ -n "${arg_skew:-}" ]; then
	# Test-bed fault: the window's period off by skew ppm (TSC calibration).
	f=/sys/kernel/debug/hpet_nmi_watchdog/skew_ppm
	echo 20000 > $f 2>/dev/null && echo "HPETWD: skew_ppm accepted 20000" ||
		echo "HPETWD: skew_ppm refused 20000, now $(cat $f)"
	echo "$arg_skew" > $f
	echo "HPETWD: skew_ppm=$(cat $f)"
fi
sleep "${arg_settle:-2}"
i=0
for ph in $(echo "${arg_phases:-}" | tr '+' ' '); do
	i=$((i + 1))
	rate=${ph%%/*}; rest=${ph#*/}; cpus=${rest%%/*}; secs=${rest#*/}
	echo "HPETWD: phase $i begin rate=$rate cpus=$cpus secs=$secs"
	stats "before $i"
	train "$rate" "$cpus"
	sleep "$secs"
	stats "after $i"
	rmmod hpetwd_nmi_train
	echo "HPETWD: phase $i end"
	if [ -n "${arg_pauses:-}" ]; then
		n=$(echo "$arg_pauses" | tr '+' '\n' | wc -l)
		sleep "$(echo "$arg_pauses" | tr '+' '\n' | sed -n "$(( (i - 1) % n + 1 ))p")"
	fi
done
if [ -n "${arg_lockall:-}" ] || [ -n "${arg_lockone:-}" ]; then
	train 1000 all
	# Loading a module queues the freeing of its init memory, which
	# flushes TLBs on every CPU: let that finish before CPUs are held,
	# or the CPU doing it waits on them (a soft lockup report).
	sleep 2
	if [ -n "${arg_lockall:-}" ]; then
		echo "HPETWD: lock all secs=$arg_lockall"
		insmod1 /lib/modules/test_lockup.ko time_secs="$arg_lockall" disable_irq=1 all_cpus=1 iterations=1
		echo "HPETWD: unlocked all"
		sleep 2
	fi
	if [ -n "${arg_lockone:-}" ]; then
		echo "HPETWD: lock one cpu=$arg_lockone"
		taskset -c "$arg_lockone" insmod1 /lib/modules/test_lockup.ko time_secs=4 disable_irq=1 iterations=1
		echo "HPETWD: unlocked one"
	fi
	rmmod hpetwd_nmi_train
fi
report_state
