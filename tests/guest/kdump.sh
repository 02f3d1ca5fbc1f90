# Load a kdump capture kernel (this bzImage, this initramfs, nr_cpus=1,
# running vmcore.sh; capwd=hpet: with the HPET detector), then lock CPU
# cpu=N (or all) with interrupts off for secs=S: with ",panic" the report
# panics into the capture kernel.
report_state
lpj=$(tr ' ' '\n' < /proc/cmdline | grep '^lpj=')
cap="console=ttyS0 panic=-1 $lpj nr_cpus=1 reset_devices hpetwd.run=vmcore"
[ "${arg_capwd:-}" != hpet ] ||
	cap="$cap nmi_watchdog=hpet watchdog_thresh=$(cat /proc/sys/kernel/watchdog_thresh)"
kexec-crash /kdump/bzImage /kdump/initrd.cpio.gz "$cap"
echo "HPETWD: kexec_crash_loaded=$(cat /sys/kernel/kexec_crash_loaded)"
sleep "${arg_settle:-2}"
echo "HPETWD: inducing lockup cpu=$arg_cpu secs=$arg_secs"
hold_cpu "$arg_cpu" "$arg_secs"
echo "HPETWD: lockup over without a panic"
