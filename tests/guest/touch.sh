# Interrupts off on CPU1 for 8 s, touch_nmi_watchdog() every second.
report_state
sleep 2
echo "HPETWD: touching lockup cpu=1"
taskset -c 1 insmod1 /lib/modules/test_lockup.ko time_secs=1 iterations=8 touch_hardlockup=1 disable_irq=1
echo "HPETWD: lockup over"
