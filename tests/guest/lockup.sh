# Induce a hard lockup with test_lockup (interrupts off).
# cpu=N: lock CPU N; cpu=all: lock every CPU. secs=S: how long.
report_state
sleep "${arg_settle:-3}"
echo "HPETWD: inducing lockup cpu=$arg_cpu secs=$arg_secs"
hold_cpu "$arg_cpu" "$arg_secs"
echo "HPETWD: lockup over"
report_state
