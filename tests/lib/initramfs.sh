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
	uname yes dd kill test printf expr sort uniq tee true false timeout nproc; do
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
