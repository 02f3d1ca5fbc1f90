#!/bin/bash
# Install the Debian packages the test bed needs, saying which.
set -euo pipefail
. "$(dirname "$0")/common.sh"

# Kernel build, test bed, and the patched QEMU's build (tests/lib/qemu-build.sh).
pkgs="build-essential flex bison bc libelf-dev libssl-dev cpio ccache
xz-utils kmod busybox-static qemu-system-x86 seabios ipxe-qemu
linux-source-6.12 patch python3 git perl
dpkg-dev ninja-build meson pkg-config libglib2.0-dev libpixman-1-dev
libfdt-dev zlib1g-dev"
missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
if [ -z "$missing" ]; then
	say "all packages present"
	exit 0
fi
[ "$(id -u)" = 0 ] || die "missing packages:$missing (run 'make deps' as root)"
say "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || die "apt-get update failed"
apt-get install -y -qq --no-install-recommends $missing >/dev/null ||
	die "apt-get install failed for:$missing"
