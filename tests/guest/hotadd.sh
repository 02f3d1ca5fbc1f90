# A CPU that was not present at boot: the host hot-adds it (scenario
# host_hook, QEMU monitor device_add) once the guest says it waits; the
# guest brings it online, then its lockup must be caught.
c=$arg_cpu
report_state
echo "HPETWD: waiting for cpu$c"
i=0
while [ ! -e "/sys/devices/system/cpu/cpu$c/online" ] && [ $i -lt 60 ]; do
	sleep 1; i=$((i + 1))
done
echo "HPETWD: cpu$c present after ${i}s"
echo 1 > "/sys/devices/system/cpu/cpu$c/online"
echo "HPETWD: cpu$c online rc=$? now=$(cat "/sys/devices/system/cpu/cpu$c/online" 2>/dev/null)"
sleep 2
report_state
a=$(nmi_count "$c"); sleep 4; b=$(nmi_count "$c")
echo "HPETWD: cpu$c nmis in 4s $((b - a))"
echo "HPETWD: inducing lockup cpu=$c secs=$arg_secs"
taskset -c "$c" insmod1 /lib/modules/test_lockup.ko time_secs="$arg_secs" disable_irq=1 iterations=1
echo "HPETWD: lockup over"
report_state
