#!/bin/bash
# Make the work tree = base + patches/ (series order) + this repo's new
# files. Only files whose content changed are rewritten, so kbuild rebuilds
# only what the change touches. Prints the work tree's path.
set -euo pipefail
. "$(dirname "$0")/common.sh"

src=$(base_tree)
id=$(base_id "$src")
work=$HPETWD_CACHE/work-$id
stage=$HPETWD_CACHE/stage-$id
manifest=$work/.hpetwd-managed

if [ ! -f "$work/.hpetwd-ready" ]; then
	say "creating work tree $work from $src"
	rm -rf "$work"
	cp -al "$src" "$work" 2>/dev/null || cp -a "$src" "$work"
	rm -f "$work/.unpacked"
	touch "$work/.hpetwd-ready"
fi

rm -rf "$stage"
mkdir -p "$stage"
: > "$stage/.files"

# Stage every file a patch touches, from the pristine base.
for p in $(series_patches); do
	f=$PATCHES/$p
	[ -f "$f" ] || die "patches/series names $p, but $PATCHES/$p does not exist"
	for path in $(sed -n 's|^+++ b/\([^[:space:]]*\).*|\1|p' "$f"); do
		grep -qxF "$path" "$stage/.files" && continue
		echo "$path" >> "$stage/.files"
		mkdir -p "$stage/$(dirname "$path")"
		if [ -f "$src/$path" ]; then
			cp "$src/$path" "$stage/$path"
		fi
	done
	if ! out=$(patch -d "$stage" -p1 -N -F0 --no-backup-if-mismatch -r - < "$f" 2>&1); then
		file=$(printf '%s\n' "$out" | awk '/^patching file / { f = $3 } /FAILED|malformed|No file to patch/ { print f; exit }')
		die "patch $PATCHES/$p does not apply to $src${file:+ (file $file)}:
$out"
	fi
done

# Overlay the new files.
for path in $(overlay_files); do
	grep -qxF "$path" "$stage/.files" && die "$path is both a new file and patched by patches/"
	echo "$path" >> "$stage/.files"
	mkdir -p "$stage/$(dirname "$path")"
	cp "$TOP/$path" "$stage/$path"
done

# Files we managed last time but no longer do go back to the base.
if [ -f "$manifest" ]; then
	while read -r path; do
		grep -qxF "$path" "$stage/.files" && continue
		if [ -f "$src/$path" ]; then
			cp --remove-destination "$src/$path" "$work/$path"
		else
			rm -f "$work/$path"
		fi
	done < "$manifest"
fi

changed=0
while read -r path; do
	if ! cmp -s "$stage/$path" "$work/$path"; then
		mkdir -p "$work/$(dirname "$path")"
		cp --remove-destination "$stage/$path" "$work/$path"
		changed=$((changed + 1))
	fi
done < "$stage/.files"
cp "$stage/.files" "$manifest"
say "work tree ready: $(series_patches | wc -l) patches, $(overlay_files | wc -l) new files, $changed files updated"
echo "$work"
