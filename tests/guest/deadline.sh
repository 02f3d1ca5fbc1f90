# The patched QEMU loses one FSB message of the watchdog's one-shot
# channel (HPET_DROP): the safety net must re-arm it, the NMIs go on,
# and a lockup afterwards is caught. settle=S: how long to wait first;
# train=RATE: an emulated PMI train on every CPU throughout.
[ -z "${arg_train:-}" ] ||
	insmod /lib/modules/hpetwd_nmi_train.ko rate_hz="$arg_train" cpus=all sender=0
report_state
sleep "${arg_settle:-12}"
report_state
echo "HPETWD: inducing lockup cpu=1 secs=$arg_secs"
taskset -c 1 insmod1 /lib/modules/test_lockup.ko time_secs="$arg_secs" disable_irq=1 iterations=1
echo "HPETWD: lockup over"
report_state
[ -z "${arg_train:-}" ] || rmmod hpetwd_nmi_train
