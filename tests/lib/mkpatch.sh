#!/bin/bash
# mk.sh OUT "Subject" "body file" files...
out=$1; subj=$2; body=$3; shift 3
{
echo "From: hpetwd developers <hpetwd@example.org>"
echo "Subject: [PATCH] $subj"
echo
cat "$body"
echo
echo "Signed-off-by: hpetwd developers <hpetwd@example.org>"
echo "---"
for f in "$@"; do
  echo "diff --git a/$f b/$f"
  diff -u --label a/$f --label b/$f a/$f b/$f
done
} > "$out"
