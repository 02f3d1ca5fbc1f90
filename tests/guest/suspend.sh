# Suspend and resume through the syscore stage (pm_test=core: everything
# but the platform's sleep), then check the channel runs and catches a lockup.
report_state
echo "HPETWD: power states: $(cat /sys/power/state)"
echo core > /sys/power/pm_test
echo mem > /sys/power/state
echo "HPETWD: resumed rc=$?"
a=$(nmi_count 0); b=$(nmi_count 1); sleep 3
echo "HPETWD: nmis after resume $(( $(nmi_count 0) - a )) $(( $(nmi_count 1) - b ))"
echo "HPETWD: inducing lockup cpu=1"
taskset -c 1 insmod1 /lib/modules/test_lockup.ko time_secs=6 disable_irq=1 iterations=1
echo "HPETWD: lockup over"
