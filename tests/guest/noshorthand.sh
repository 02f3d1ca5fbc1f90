# ipi mode without IPI shorthands (maxcpus= parks a CPU): each monitored
# CPU gets its own NMI; CPU1 outside watchdog_cpumask gets none.
report_state
sleep 2
echo 0,2 > /proc/sys/kernel/watchdog_cpumask
sleep 1
a=$(nmi_count 1); sleep 4; b=$(nmi_count 1)
echo "HPETWD: cpu1 nmis while excluded $((b - a))"
sed 's/^/HPETWD: excluded /' /sys/kernel/debug/hpet_nmi_watchdog/cpus
echo 0-2 > /proc/sys/kernel/watchdog_cpumask
sleep 1
echo "HPETWD: lock cpu2"
taskset -c 2 insmod1 /lib/modules/test_lockup.ko time_secs=4 disable_irq=1 iterations=1
echo "HPETWD: unlocked cpu2"
report_state
