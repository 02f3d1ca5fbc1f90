#!/bin/bash
# make series: export base + patches/ + our new files as a git am-able
# series in build/series/. New files join the patch that patches/new-files
# names for them. The series is made by git am in a repository of the
# base's touched files, so every patch is known to apply in order.
set -euo pipefail
. "$(dirname "$0")/common.sh"

src=$(base_tree)
repo=$BUILD/series-repo
out=$BUILD/series
rm -rf "$repo" "$out"
mkdir -p "$repo"
git -C "$repo" init -q
git -C "$repo" config user.name "hpetwd test bed"
git -C "$repo" config user.email "hpetwd@example.org"
for p in $(series_patches); do
	for path in $(sed -n 's|^+++ b/\([^[:space:]]*\).*|\1|p' "$TOP/patches/$p"); do
		[ -f "$src/$path" ] && [ ! -f "$repo/$path" ] || continue
		mkdir -p "$repo/$(dirname "$path")"
		cp "$src/$path" "$repo/$path"
	done
done
git -C "$repo" add -A
git -C "$repo" commit -qm "base: $(sed -n 's/^\(VERSION\|PATCHLEVEL\|SUBLEVEL\) = //p' "$src/Makefile" | paste -sd.) (files touched by the series)"
base=$(git -C "$repo" rev-parse HEAD)

for p in $(series_patches); do
	git -C "$repo" am -q "$TOP/patches/$p" || die "git am of patches/$p failed"
	added=0
	while read -r patch file; do
		case "$patch" in ''|\#*) continue ;; esac
		[ "$patch" = "$p" ] || continue
		mkdir -p "$repo/$(dirname "$file")"
		cp "$TOP/$file" "$repo/$file"
		git -C "$repo" add "$file"
		added=1
	done < "$TOP/patches/new-files"
	[ $added = 0 ] || git -C "$repo" commit -q --amend --no-edit
done
# Every new file of this repo must be in some patch.
for f in $(overlay_files); do
	grep -q " $f\$" "$TOP/patches/new-files" || die "$f is not assigned to a patch in patches/new-files"
done
git -C "$repo" format-patch -q -o "$out" "$base"..HEAD
say "series: $(ls "$out" | wc -l) patches in $out (apply with git am on $src)"
ls "$out"
