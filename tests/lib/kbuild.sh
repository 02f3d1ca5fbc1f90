#!/bin/bash
# Configure (tinyconfig + tests/config/hpetwd.config) and build bzImage and
# modules through ccache in the cache's object tree, then copy the
# artifacts users boot to build/: bzImage, modules/*.ko, System.map, .config.
set -euo pipefail
. "$(dirname "$0")/common.sh"

work=$("$TOP/tests/lib/prepare-tree.sh")
obj=$HPETWD_CACHE/obj-$(base_id "$(base_tree)")
frag=$TOP/tests/config/hpetwd.config
mkdir -p "$obj" "$BUILD/modules" "$CCACHE_DIR"
kmake() { make -C "$work" O="$obj" ARCH=x86_64 CC="ccache gcc" -j"$JOBS" "$@"; }

stamp=$obj/.hpetwd-config-$(cat "$frag" | md5sum | cut -c1-8)
if [ ! -f "$stamp" ] || [ ! -f "$obj/.config" ]; then
	say "configuring: tinyconfig + $(basename "$frag")"
	kmake -s tinyconfig >/dev/null
	"$work/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "$frag" >/dev/null
	kmake -s olddefconfig
	# Every line of the fragment must have survived olddefconfig.
	bad=0
	while read -r line; do
		case "$line" in
		CONFIG_*=*) grep -qxF "$line" "$obj/.config" || { echo "  lost: $line" >&2; bad=1; } ;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }; sym=${sym%% *}
			grep -q "^$sym=" "$obj/.config" && { echo "  lost: $line" >&2; bad=1; } ;;
		esac
	done < "$frag"
	[ $bad = 0 ] || die "config fragment lines did not survive olddefconfig (see above)"
	rm -f "$obj"/.hpetwd-config-*
	touch "$stamp"
else
	kmake -s olddefconfig
fi

say "building bzImage and modules (ccache: $CCACHE_DIR)"
start=$(date +%s)
kmake -s bzImage modules >&2 || die "kernel build failed (see the compiler output above)"
say "kernel built in $(( $(date +%s) - start )) s"

# Test-bed helper modules (tests/modules), built outside the checkout.
mods=$HPETWD_CACHE/test-modules
mkdir -p "$mods"
for f in "$TOP"/tests/modules/*; do
	cmp -s "$f" "$mods/$(basename "$f")" || cp "$f" "$mods/"
done
kmake -s M="$mods" modules >&2 || die "building tests/modules failed"

cp "$obj/arch/x86/boot/bzImage" "$obj/System.map" "$BUILD/"
cp "$obj/.config" "$BUILD/kernel.config"
rm -f "$BUILD"/modules/*.ko
find "$obj" "$mods" -name '*.ko' -exec cp {} "$BUILD/modules/" \;
ls "$BUILD/modules" | sed 's/^/  module: /' >&2
