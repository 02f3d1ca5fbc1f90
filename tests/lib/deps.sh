#!/bin/bash
# Install the Debian packages the test bed needs, saying which.
set -euo pipefail
. "$(dirname "$0")/common.sh"

pkgs="build-essential flex bison bc libelf-dev libssl-dev cpio ccache
xz-utils kmod busybox-static qemu-system-x86 linux-source-6.12 patch
python3 git perl"
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
