# Helpers for guest scripts: arguments arrive as name=value words.
for kv in $args; do
	case "$kv" in *=*) eval "arg_${kv%%=*}=\"${kv#*=}\"" ;; esac
done

# Report the detector and counters in one greppable block.
report_state() {
	echo "HPETWD: detector=$(cat /proc/sys/kernel/hardlockup_detector 2>/dev/null)"
	echo "HPETWD: nmi_watchdog=$(cat /proc/sys/kernel/nmi_watchdog) thresh=$(cat /proc/sys/kernel/watchdog_thresh) cpumask=$(cat /proc/sys/kernel/watchdog_cpumask)"
	echo "HPETWD: $(grep '^ *NMI:' /proc/interrupts | tr -s ' ')"
	grep 'HPET' /proc/interrupts | tr -s ' ' | sed 's/^/HPETWD: /'
	# Logical CPU -> APIC ID, as the kernel enumerated them.
	echo "HPETWD: apicids $(awk -F': ' '/^processor/ { p = $2 } /^apicid/ { printf "%s:%s ", p, $2 }' /proc/cpuinfo)"
	# The HPET detector's own counters, when it runs.
	for f in channel cpus; do
		[ -r /sys/kernel/debug/hpet_nmi_watchdog/$f ] &&
			sed 's/^/HPETWD: stat /' /sys/kernel/debug/hpet_nmi_watchdog/$f
	done
	return 0
}

# Count of NMIs on one CPU (column cpu+2 of the NMI line).
nmi_count() {
	grep '^ *NMI:' /proc/interrupts | awk -v c="$1" '{print $(c + 2)}'
}

# Hold CPU $1 (all: every CPU) with interrupts off for $2 s (test_lockup).
hold_cpu() {
	if [ "$1" = all ]; then
		insmod1 /lib/modules/test_lockup.ko time_secs="$2" disable_irq=1 all_cpus=1 iterations=1
	else
		taskset -c "$1" insmod1 /lib/modules/test_lockup.ko time_secs="$2" disable_irq=1 iterations=1
	fi
}
