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
sleep "${arg_wait:-4}"
report_state
