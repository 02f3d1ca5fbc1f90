# Mark the TSC unstable at run time; buddy must take over and catch a lockup.
report_state
insmod /lib/modules/hpetwd_mark_tsc_unstable.ko
sleep 2
report_state
echo "HPETWD: inducing lockup cpu=1"
taskset -c 1 insmod1 /lib/modules/test_lockup.ko time_secs=8 disable_irq=1 iterations=1
echo "HPETWD: lockup over"
