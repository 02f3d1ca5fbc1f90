# Induce a hard lockup with test_lockup (interrupts off).
# cpu=N: lock CPU N; cpu=all: lock every CPU. secs=S: how long.
report_state
sleep "${arg_settle:-3}"
echo "HPETWD: inducing lockup cpu=$arg_cpu secs=$arg_secs"
if [ "$arg_cpu" = all ]; then
	insmod1 /lib/modules/test_lockup.ko time_secs="$arg_secs" disable_irq=1 all_cpus=1 iterations=1
else
	taskset -c "$arg_cpu" insmod1 /lib/modules/test_lockup.ko time_secs="$arg_secs" disable_irq=1 iterations=1
fi
echo "HPETWD: lockup over"
report_state
