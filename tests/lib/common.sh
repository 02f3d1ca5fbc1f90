# Shared settings for the hpetwd test bed. Sourced, never run.
# HPETWD_CACHE holds everything slow to make (unpacked base, work tree,
# object tree, ccache, built QEMU); build/ in the checkout holds what a user
# boots. Both are overridable from the environment or make's command line.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HPETWD_CACHE=${HPETWD_CACHE:-/var/cache/hpetwd}
BUILD=${BUILD:-$TOP/build}
JOBS=${JOBS:-$(nproc)}
PATCHES=${PATCHES:-$TOP/patches}
USRSRC=${USRSRC:-/usr/src}
export CCACHE_DIR=${CCACHE_DIR:-$HPETWD_CACHE/ccache}

say()  { printf '==> %s\n' "$*" >&2; }
die()  { printf 'error: %s\n' "$*" >&2; exit 1; }

# The kernel tree we patch: KSRC, else Debian's linux-source-6.12 unpacked
# into the cache. Prints its path.
base_tree() {
	local tarball dir
	if [ -n "${KSRC:-}" ]; then
		[ -f "$KSRC/Makefile" ] && [ -f "$KSRC/kernel/watchdog.c" ] &&
			[ -d "$KSRC/arch/x86" ] && grep -q '^VERSION = ' "$KSRC/Makefile" ||
			die "KSRC=$KSRC is not a Linux kernel tree (no Makefile with VERSION, kernel/watchdog.c or arch/x86)"
		(cd "$KSRC" && pwd)
		return
	fi
	tarball=$(ls "$USRSRC"/linux-source-6.12.tar.* 2>/dev/null | head -n 1)
	[ -n "$tarball" ] ||
		die "no base kernel: $USRSRC/linux-source-6.12.tar.* is missing (install linux-source-6.12, run 'make deps', or give KSRC=/path/to/linux)"
	dir=$HPETWD_CACHE/base/linux-source-6.12
	if [ ! -f "$dir/.unpacked" ] || [ "$tarball" -nt "$dir/.unpacked" ]; then
		say "unpacking $tarball into $HPETWD_CACHE/base"
		rm -rf "$dir"
		mkdir -p "$HPETWD_CACHE/base"
		tar -C "$HPETWD_CACHE/base" -xf "$tarball" || die "cannot unpack $tarball"
		touch "$dir/.unpacked"
	fi
	echo "$dir"
}

# A stable short name for the base, used to key the work and object trees.
base_id() {
	local src=$1
	printf '%s' "$src" | md5sum | cut -c1-8
}

# New kernel files of this repo, relative to the kernel root.
overlay_files() {
	(cd "$TOP" && find arch drivers kernel include lib Documentation tools \
		-type f 2>/dev/null | sort)
}

# Patches in quilt series order.
series_patches() {
	grep -v '^[[:space:]]*\(#\|$\)' "$PATCHES/series" | awk '{print $1}'
}
