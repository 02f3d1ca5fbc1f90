# No false positives: idle, then CPU- and interrupt-heavy load, for secs=S.
report_state
half=$((arg_secs / 2))
echo "HPETWD: idle for ${half}s"
sleep "$half"
echo "HPETWD: load for $((arg_secs - half))s"
n=$(nproc)
i=0
while [ $i -lt "$n" ]; do
	(while :; do :; done) &
	i=$((i + 1))
done
# Interrupt-heavy: timer wakeups and console output.
(while :; do sleep 0.01; done) &
(while :; do cat /proc/interrupts > /dev/null; done) &
sleep $((arg_secs - half))
kill $(jobs -p) 2>/dev/null
echo "HPETWD: load over"
report_state
