#!/bin/bash
# Build the patched QEMU used by the interrupt-remapping scenarios from
# Debian's qemu source package (fetched through a private deb-src list; the
# system's apt sources are not touched) plus tests/qemu/*.patch. The binary
# is cached under HPETWD_CACHE by source version + patch hash; prints its
# path.
set -euo pipefail
. "$(dirname "$0")/common.sh"

dir=$HPETWD_CACHE/qemu-src
apt=$dir/apt
mkdir -p "$apt/sources.list.d" "$apt/lists/partial"
cat > "$apt/sources.list.d/debsrc.sources" <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
aptopt=(-o "Dir::Etc::SourceParts=$apt/sources.list.d" -o Dir::Etc::SourceList=/dev/null
	-o "Dir::State::Lists=$apt/lists")

# The source version that matches the installed qemu-system-x86.
ver=$(dpkg-query -W -f='${source:Version}' qemu-system-x86 2>/dev/null) ||
	die "qemu-system-x86 is not installed (run 'make deps')"
phash=$(cat "$TOP"/tests/qemu/*.patch | md5sum | cut -c1-8)
out=$dir/bin-${ver//[:+~]/_}-$phash
if [ -x "$out/qemu-system-x86_64" ]; then
	echo "$out/qemu-system-x86_64"
	exit 0
fi

src=$dir/src-${ver//[:+~]/_}
if [ ! -f "$src/.unpacked" ]; then
	say "fetching Debian's qemu $ver source"
	apt-get "${aptopt[@]}" update -qq >&2 || die "apt-get update of the deb-src list failed"
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

mkdir -p "$dir/build"
if [ ! -f "$dir/build/build.ninja" ]; then
	say "configuring QEMU (x86_64-softmmu, TCG only)"
	(cd "$dir/build" && "$work/configure" --target-list=x86_64-softmmu \
		--without-default-features --enable-tcg --enable-fdt=system \
		--disable-werror >&2) || die "QEMU configure failed"
fi
say "building QEMU"
ninja -C "$dir/build" -j"$JOBS" qemu-system-x86_64 >&2 || die "QEMU build failed"
mkdir -p "$out"
cp "$dir/build/qemu-system-x86_64" "$out/"
echo "$out/qemu-system-x86_64"
