# Real system sleep, woken by the host (scenario host_hook through the
# QEMU monitor): state=freeze (s2idle: no syscore; on hardware the ticks
# freeze too) or mem
# (S3 with mem_sleep_default=deep). Then the channel must run again and
# catch a lockup.
report_state
echo "HPETWD: mem_sleep: $(cat /sys/power/mem_sleep)"
echo "HPETWD: sleeping state=$arg_state"
echo "$arg_state" > /sys/power/state
echo "HPETWD: woke rc=$?"
a=$(nmi_count 0); b=$(nmi_count 1); sleep 3
echo "HPETWD: nmis after wake $(( $(nmi_count 0) - a )) $(( $(nmi_count 1) - b ))"
report_state
echo "HPETWD: inducing lockup cpu=1"
taskset -c 1 insmod1 /lib/modules/test_lockup.ko time_secs=4 disable_irq=1 iterations=1
echo "HPETWD: lockup over"
