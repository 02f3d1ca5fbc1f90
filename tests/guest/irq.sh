# Let interrupts flow for secs=S, then print the interrupt lines.
sleep "${arg_secs:-3}"
grep -E 'HPET|IR-' /proc/interrupts | tr -s ' ' | sed 's/^/HPETWD: irq /'
report_state
