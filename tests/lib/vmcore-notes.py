#!/usr/bin/env python3
"""The crashed kernel's notes, from what the kdump capture kernel printed.

usage: vmcore-notes.py LOG SYSTEM_MAP
The capture kernel (tests/guest/vmcore.sh) prints the first 16 KiB of
/proc/vmcore, gzipped, as base64 "HPETWD: vmcore64 ..." lines. They are decoded to
LOG.vmcore (ELF headers and the PT_NOTE segment: enough for readelf -n)
and, for each NT_PRSTATUS note (one per possible CPU of the crashed
kernel, in CPU order), one line is printed:
  cpu N pid P rip 0xADDR SYMBOL+0xOFF
with the symbol from SYSTEM_MAP after VMCOREINFO's KERNELOFFSET (KASLR);
"-" when the address is not in the kernel image (a module, or 0).
Exit 1 when there is no vmcore in the log or it is not an ELF core.
"""
import base64
import bisect
import gzip
import struct
import sys

NT_PRSTATUS = 1
PRSTATUS_PID = 32          # struct elf_prstatus: pr_pid
PRSTATUS_REG = 112         # pr_reg: struct user_regs_struct
RIP_INDEX = 16             # r15 r14 r13 r12 bp bx r11 r10 r9 r8 ax cx dx si di orig_ax ip


def notes(data):
    if data[:4] != b"\x7fELF" or data[4] != 2:
        raise ValueError("not a 64-bit ELF file")
    phoff, = struct.unpack_from("<Q", data, 32)
    phentsize, phnum = struct.unpack_from("<HH", data, 54)
    for i in range(phnum):
        p_type, _, p_offset, _, _, p_filesz = struct.unpack_from("<IIQQQQ", data, phoff + i * phentsize)
        if p_type != 4:  # PT_NOTE
            continue
        off, end = p_offset, p_offset + p_filesz
        while off + 12 <= end:
            namesz, descsz, ntype = struct.unpack_from("<III", data, off)
            off += 12
            name = data[off:off + namesz].rstrip(b"\0").decode(errors="replace")
            off += (namesz + 3) & ~3
            desc = data[off:off + descsz]
            off += (descsz + 3) & ~3
            if namesz == 0 and descsz == 0:
                break
            yield name, ntype, desc


def main():
    log, sysmap = sys.argv[1], sys.argv[2]
    b64 = []
    with open(log, errors="replace") as f:
        for line in f:
            if line.startswith("HPETWD: vmcore64 ") and line.strip() != "HPETWD: vmcore64 end":
                b64.append(line[len("HPETWD: vmcore64 "):].strip())
    if not b64:
        print("no vmcore in the log")
        return 1
    data = gzip.decompress(base64.b64decode("".join(b64)))
    with open(log + ".vmcore", "wb") as f:
        f.write(data)
    syms = []
    end = 0
    with open(sysmap) as f:
        for line in f:
            a, t, n = line.split()[:3]
            if n == "_etext":
                end = int(a, 16)
            if t in "tTwW":
                syms.append((int(a, 16), n))
    syms.sort()
    addrs = [a for a, _ in syms]
    try:
        found = list(notes(data))
    except (ValueError, struct.error) as e:
        print("vmcore: %s" % e)
        return 1
    offset = 0
    for name, ntype, desc in found:
        if name == "VMCOREINFO":
            for kv in desc.decode(errors="replace").splitlines():
                if kv.startswith("KERNELOFFSET="):
                    offset = int(kv.split("=")[1], 16)
    cpu = 0
    for name, ntype, desc in found:
        if name != "CORE" or ntype != NT_PRSTATUS:
            continue
        pid, = struct.unpack_from("<i", desc, PRSTATUS_PID)
        rip, = struct.unpack_from("<Q", desc, PRSTATUS_REG + 8 * RIP_INDEX)
        sym = "-"
        a = rip - offset
        i = bisect.bisect_right(addrs, a) - 1
        if rip and i >= 0 and addrs[0] <= a < end:
            sym = "%s+0x%x" % (syms[i][1], a - syms[i][0])
        print("cpu %d pid %d rip 0x%x %s" % (cpu, pid, rip, sym))
        cpu += 1
    print("kerneloffset 0x%x" % offset)
    return 0


if __name__ == "__main__":
    sys.exit(main())
