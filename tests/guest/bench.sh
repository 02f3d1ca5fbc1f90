# Benchmark guest: runs=N single-CPU lockups on CPU1 (each preceded by a
# marker), then idle NMI counts over secs=S, and with nmis=N the round
# trip of N self-NMIs claimed by the train module's handler.
report_state
a0=$(nmi_count 0); a1=$(nmi_count 1); sleep "${arg_secs:-10}"
echo "HPETWD: bench idle nmis ${arg_secs:-10}s $(( $(nmi_count 0) - a0 )) $(( $(nmi_count 1) - a1 ))"
# nmis=N: the cost of an NMI that another handler claims, on CPU1.
[ -z "${arg_nmis:-}" ] ||
	taskset -c 1 insmod1 /lib/modules/hpetwd_nmi_train.ko bench_nmis="$arg_nmis" 2>/dev/null
i=1
while [ $i -le "${arg_runs:-10}" ]; do
	echo "HPETWD: bench lock $i"
	taskset -c 1 insmod1 /lib/modules/test_lockup.ko time_secs="${arg_hold:-5}" disable_irq=1 iterations=1
	sleep 2
	i=$((i + 1))
done
echo "HPETWD: bench done"
