#!/bin/bash
# Build the patched QEMU used by the interrupt-remapping and datasheet-HPET
# scenarios from Debian trixie's qemu source package (QEMU 10.0: TCG x2APIC
# and intel-iommu eim=on, which bookworm's 7.2 lacks) plus tests/qemu/*.patch.
# Everything is fetched through a private apt list (the system's apt sources
# are not touched): the source, and trixie's architecture-independent meson
# and pycotap (QEMU 10 needs meson >= 1.5), unpacked on PYTHONPATH. Stock
# QEMU (Debian 12's qemu-system-x86) stays the one of the other scenarios.
# Only the devices the test bed uses are built (q35, HPET, both vIOMMUs,
# VGA). The binary is cached under HPETWD_CACHE by source version + patch
# hash; prints its path.
set -euo pipefail
. "$(dirname "$0")/common.sh"

dir=$HPETWD_CACHE/qemu-src
apt=$dir/apt
mkdir -p "$apt/sources.list.d" "$apt/lists/partial"
cat > "$apt/sources.list.d/debsrc.sources" <<SRC
Types: deb deb-src
URIs: http://deb.debian.org/debian
Suites: trixie trixie-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb deb-src
URIs: http://deb.debian.org/debian-security
Suites: trixie-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
aptopt=(-o "Dir::Etc::SourceParts=$apt/sources.list.d" -o Dir::Etc::SourceList=/dev/null
	-o "Dir::State::Lists=$apt/lists")

# The newest trixie source (looked up once; a cached build is reused
# offline). Set QEMU_SRC_VERSION to pin another.
verfile=$dir/version
if [ -n "${QEMU_SRC_VERSION:-}" ]; then
	ver=$QEMU_SRC_VERSION
elif [ -s "$verfile" ]; then
	ver=$(cat "$verfile")
else
	apt-get "${aptopt[@]}" update -qq >&2 || die "apt-get update of the trixie list failed"
	ver=$(apt-cache "${aptopt[@]}" showsrc qemu 2>/dev/null |
		sed -n 's/^Version: //p' | sort -V | tail -1)
	[ -n "$ver" ] || die "no qemu source in Debian trixie's Sources"
	echo "$ver" > "$verfile"
fi
phash=$(cat "$TOP"/tests/qemu/*.patch | md5sum | cut -c1-8)
out=$dir/bin-${ver//[:+~]/_}-$phash
if [ -x "$out/qemu-system-x86_64" ]; then
	echo "$out/qemu-system-x86_64"
	exit 0
fi

src=$dir/src-${ver//[:+~]/_}
if [ ! -f "$src/.unpacked" ]; then
	say "fetching Debian trixie's qemu $ver source"
	[ -d "$apt/lists" ] && ls "$apt"/lists/*Sources* >/dev/null 2>&1 ||
		apt-get "${aptopt[@]}" update -qq >&2 || die "apt-get update of the trixie list failed"
	(cd "$dir" && apt-get "${aptopt[@]}" source --download-only -qq "qemu=$ver" >&2) ||
		die "cannot download qemu $ver source"
	rm -rf "$src"
	dpkg-source --no-check -x "$dir/qemu_${ver#*:}.dsc" "$src" >&2 ||
		die "cannot unpack the qemu source"
	touch "$src/.unpacked"
fi

# The work tree is a copy of the source; patched files are staged from the
# pristine source and copied over only when they change, so the build tree
# beside it stays incremental.
work=$dir/work
if [ ! -f "$work/.from-$(basename "$src")" ]; then
	rm -rf "$work" "$dir/build"
	cp -a "$src" "$work"
	touch "$work/.from-$(basename "$src")"
fi
stage=$dir/stage
rm -rf "$stage"
for f in $(sed -n 's|^+++ b/\([^[:space:]]*\).*|\1|p' "$TOP"/tests/qemu/*.patch | sort -u); do
	mkdir -p "$stage/$(dirname "$f")"
	cp "$src/$f" "$stage/$f"
done
for p in "$TOP"/tests/qemu/*.patch; do
	patch -d "$stage" -p1 -s -N --no-backup-if-mismatch < "$p" ||
		die "tests/qemu/$(basename "$p") does not apply to qemu $ver"
done
(cd "$stage" && find . -type f) | while read -r f; do
	cmp -s "$stage/$f" "$work/$f" || cp "$stage/$f" "$work/$f"
done

# meson >= 1.5 and pycotap from trixie (arch: all), unpacked, not installed.
py=$dir/py
if [ ! -f "$py/.unpacked" ]; then
	say "fetching trixie's meson and pycotap (QEMU 10 needs meson >= 1.5)"
	rm -rf "$py"; mkdir -p "$py"
	(cd "$py" && apt-get "${aptopt[@]}" download -qq meson python3-pycotap >&2) ||
		die "cannot download trixie's meson and python3-pycotap"
	for d in "$py"/*.deb; do
		dpkg-deb -x "$d" "$py/root" || die "cannot unpack $d"
	done
	touch "$py/.unpacked"
fi
export PYTHONPATH=$py/root/usr/lib/python3/dist-packages${PYTHONPATH:+:$PYTHONPATH}

# The devices the test bed uses; the rest of QEMU's x86 board zoo is not built.
mkdir -p "$work/configs/devices/x86_64-softmmu"
cat > "$work/configs/devices/x86_64-softmmu/hpetwd.mak.new" <<MAK
CONFIG_Q35=y
CONFIG_HPET=y
CONFIG_VTD=y
CONFIG_AMD_IOMMU=y
CONFIG_VGA_PCI=y
MAK
cmp -s "$work/configs/devices/x86_64-softmmu/hpetwd.mak.new" \
	"$work/configs/devices/x86_64-softmmu/hpetwd.mak" ||
	mv "$work/configs/devices/x86_64-softmmu/hpetwd.mak.new" \
		"$work/configs/devices/x86_64-softmmu/hpetwd.mak"
rm -f "$work/configs/devices/x86_64-softmmu/hpetwd.mak.new"

mkdir -p "$dir/build"
if [ ! -f "$dir/build/build.ninja" ]; then
	say "configuring QEMU $ver (x86_64-softmmu, TCG only, test-bed devices)"
	(cd "$dir/build" && "$work/configure" --target-list=x86_64-softmmu \
		--without-default-features --without-default-devices \
		--with-devices-x86_64=hpetwd --enable-tcg --enable-fdt=system \
		--disable-install-blobs --disable-debug-info \
		--disable-werror >&2) || die "QEMU configure failed"
fi
say "building QEMU"
ninja -C "$dir/build" -j"$JOBS" qemu-system-x86_64 >&2 || die "QEMU build failed"
mkdir -p "$out"
cp "$dir/build/qemu-system-x86_64" "$out/"
echo "$out/qemu-system-x86_64"
