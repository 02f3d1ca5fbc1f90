# In the kdump capture kernel: the size of /proc/vmcore, its first 16 KiB
# (ELF headers and notes: one PRSTATUS per CPU of the crashed kernel,
# VMCOREINFO), gzipped and in base64, for the host's readelf, the crashed kernel's log
# (vmcore-dmesg), then the NMI counters after wait=S s.
echo "HPETWD: capture kernel: /proc/vmcore $(ls -l /proc/vmcore | awk '{ print $5 }') bytes"
head -c 16384 /proc/vmcore | gzip -c | base64 -w 76 | sed 's/^/HPETWD: vmcore64 /'
echo "HPETWD: vmcore64 end"
# The crashed kernel's log, from its printk ring buffer in the vmcore.
vmcore-dmesg /proc/vmcore > /tmp/old-dmesg 2>&1
echo "HPETWD: vmcore-dmesg rc=$? lines=$(wc -l < /tmp/old-dmesg)"
sed 's/^/HPETWD: old /' /tmp/old-dmesg
# makedumpfile, as a fleet's kdump service runs it: the whole vmcore,
# filtered (-d 31) and compressed (-l), flattened to a pipe (the capture
# kernel's memory could not hold the dump), and its own dmesg extraction.
makedumpfile -F -l -d 31 /proc/vmcore 2>/tmp/mdf.err | wc -c > /tmp/mdf.size
echo "HPETWD: makedumpfile dump $(cat /tmp/mdf.size) bytes: $(grep -c . /tmp/mdf.err) lines on stderr, last: $(tail -1 /tmp/mdf.err)"
makedumpfile --dump-dmesg /proc/vmcore /tmp/mdf-dmesg > /dev/null 2>&1
echo "HPETWD: makedumpfile dmesg rc=$? lockup lines=$(grep -c 'Watchdog detected hard LOCKUP' /tmp/mdf-dmesg 2>/dev/null)"
sleep "${arg_wait:-4}"
report_state
