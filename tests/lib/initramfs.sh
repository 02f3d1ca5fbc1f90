#!/bin/bash
# Build build/initramfs.cpio.gz: busybox-static, the modules of
# build/modules, and the guest scripts of tests/guest.
set -euo pipefail
. "$(dirname "$0")/common.sh"

bb=$(command -v busybox || true)
[ -x /bin/busybox ] && bb=/bin/busybox
[ -n "$bb" ] && ! ldd "$bb" >/dev/null 2>&1 ||
	die "busybox-static is not installed (run 'make deps')"
root=$BUILD/initramfs
rm -rf "$root"
mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,lib/modules,guest,etc}
cp "$bb" "$root/bin/busybox"
for app in sh mount umount insmod rmmod cat echo grep sed awk sleep taskset \
	poweroff reboot dmesg head tail cut tr wc ls mkdir seq date sync dirname \
	uname yes dd kill test printf expr sort uniq tee true false timeout nproc \
	gzip base64; do
	ln -s busybox "$root/bin/$app"
done
# One finit_module() call per load (busybox insmod re-runs a failed init).
gcc -static -Os -s -o "$root/bin/insmod1" "$TOP/tests/lib/insmod1.c"
cp "$BUILD"/modules/*.ko "$root/lib/modules/" 2>/dev/null || true
cp "$TOP"/tests/guest/* "$root/guest/"
# kselftests: ours, with the kernel's KTAP helpers beside them.
mkdir -p "$root/selftests/kselftest"
cp "$(base_tree)/tools/testing/selftests/kselftest/ktap_helpers.sh" "$root/selftests/kselftest/"
cp -r "$TOP"/tools/testing/selftests/watchdog_hpet "$root/selftests/"
cp "$TOP/tests/guest/init" "$root/init"
chmod +x "$root/init" "$root"/guest/*
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$BUILD/initramfs.cpio.gz"
say "initramfs: $BUILD/initramfs.cpio.gz ($(du -k "$BUILD/initramfs.cpio.gz" | cut -f1) KiB)"

# kdump scenarios: the same, plus a capture kernel (this bzImage), its
# initrd and a static kexec_file_load helper, as a second cpio archive
# appended (the kernel unpacks concatenated archives). The capture
# kernel's initrd is the initramfs above plus Debian's vmcore-dmesg
# (kexec-tools, unpacked into the cache, not installed: its package would
# take over the host's reboots), which reads the crashed kernel's log out
# of /proc/vmcore: messages printed in NMI context before the panic never
# reached the console.
# makedumpfile (with liblzo2, which the host may not have) likewise:
# the capture kernel filters the whole vmcore with it, as fleets do.
kt=$HPETWD_CACHE/kdump-tools
for pkg in kexec-tools makedumpfile liblzo2-2; do
	[ -f "$kt/.$pkg" ] && continue
	say "fetching Debian's $pkg for the kdump capture kernel"
	mkdir -p "$kt"
	(cd "$kt" && rm -f "${pkg}"_*.deb && apt-get download -q "$pkg" >/dev/null 2>&1 &&
		dpkg-deb -x "${pkg}"_*.deb root && touch ".$pkg") ||
		die "could not fetch $pkg (apt-get download $pkg) for the kdump capture kernel"
done
vt=$BUILD/initramfs-vmcore
rm -rf "$vt"
mkdir -p "$vt/bin" "$vt/lib/x86_64-linux-gnu" "$vt/lib64"
cp "$kt/root/sbin/vmcore-dmesg" "$kt/root/usr/bin/makedumpfile" "$vt/bin/"
cp -L "$kt"/root/lib/x86_64-linux-gnu/liblzo2.so.2 "$vt/lib/x86_64-linux-gnu/"
for lib in $(ldd "$kt/root/usr/bin/makedumpfile" "$kt/root/sbin/vmcore-dmesg" | awk '$3 ~ /^\// { print $3 }' | sort -u); do
	cp -L "$lib" "$vt/lib/x86_64-linux-gnu/"
done
cp -L /lib64/ld-linux-x86-64.so.2 "$vt/lib64/"
kd=$BUILD/initramfs-kdump
rm -rf "$kd"
mkdir -p "$kd/kdump" "$kd/bin"
cp "$BUILD/bzImage" "$kd/kdump/bzImage"
{ cat "$BUILD/initramfs.cpio.gz"; (cd "$vt" && find . | cpio -o -H newc --quiet | gzip -1); } > "$kd/kdump/initrd.cpio.gz"
gcc -static -Os -s -o "$kd/bin/kexec-crash" "$TOP/tests/lib/kexec-crash.c"
{ cat "$BUILD/initramfs.cpio.gz"; (cd "$kd" && find . | cpio -o -H newc --quiet | gzip -1); } > "$BUILD/initramfs-kdump.cpio.gz"
say "initramfs: $BUILD/initramfs-kdump.cpio.gz ($(du -k "$BUILD/initramfs-kdump.cpio.gz" | cut -f1) KiB)"
