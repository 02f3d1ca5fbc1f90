# Run-time control of the HPET detector; prints measurements for the
# scenario's assertions (counts from /proc/interrupts, sysctl values).
total_nmis() { grep '^ *NMI:' /proc/interrupts | awk '{ for (i = 2; i <= NF; i++) if ($i ~ /^[0-9]+$/) s += $i } END { print s }'; }
nmis_over() { # secs -> NMIs taken by all CPUs in that time
	local a b
	a=$(total_nmis); sleep "$1"; b=$(total_nmis)
	echo $((b - a))
}
lock() { # cpu secs
	echo "HPETWD: lock cpu$1"
	taskset -c "$1" insmod1 /lib/modules/test_lockup.ko time_secs="$2" disable_irq=1 iterations=1
	echo "HPETWD: unlocked cpu$1"
}
report_state
echo "HPETWD: rate thresh=2 $(nmis_over 4)"
echo 4 > /proc/sys/kernel/watchdog_thresh
echo "HPETWD: rate thresh=4 $(nmis_over 4)"
echo 2 > /proc/sys/kernel/watchdog_thresh

echo 0 > /proc/sys/kernel/nmi_watchdog
sleep 1
echo "HPETWD: rate off $(nmis_over 3)"
echo 1 > /proc/sys/kernel/nmi_watchdog
echo "HPETWD: rate on $(nmis_over 3)"

# CPU1 left out of the mask: not checked, and in rr mode not targeted.
echo 0,2-3 > /proc/sys/kernel/watchdog_cpumask
report_state
a=$(nmi_count 1); sleep 3; b=$(nmi_count 1)
echo "HPETWD: cpu1 nmis while excluded $((b - a))"
lock 1 5
echo 0-3 > /proc/sys/kernel/watchdog_cpumask

# The handling CPU (first of the mask) goes offline; a lockup elsewhere.
echo 1-3 > /proc/sys/kernel/watchdog_cpumask
report_state
echo 0 > /sys/devices/system/cpu/cpu1/online
echo "HPETWD: cpu1 offline"
report_state
lock 2 6
echo 1 > /sys/devices/system/cpu/cpu1/online
echo "HPETWD: cpu1 online"
report_state
lock 1 6
