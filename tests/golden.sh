#!/bin/sh
# Golden cases: tests/cases/TOOL/NNN-slug/ holds
#   cmd     a shell command line run from the case folder (tools on PATH)
#   in      optional, given on stdin
#   expout  expected stdout, byte for byte
#   experr  optional: expected stderr, byte for byte
#   status  optional: expected exit status (default 0)
# Prints one TAP line per case.
set -u
ROOT=${JT_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
n=0
for dir in "$ROOT"/tests/cases/*/*/; do
	[ -f "$dir/cmd" ] || continue
	n=$((n + 1))
	name=${dir%/}; name=${name#"$ROOT"/tests/cases/}
	tmp=$(mktemp -d)
	want_status=0
	[ -f "$dir/status" ] && want_status=$(cat "$dir/status")
	input=/dev/null
	[ -f "$dir/in" ] && input="$dir/in"
	(cd "$dir" && sh ./cmd <"$input" >"$tmp/out" 2>"$tmp/err")
	got=$?
	ok=1
	why=""
	if [ "$got" != "$want_status" ]; then ok=0; why="status $got, want $want_status"; fi
	if ! cmp -s "$tmp/out" "$dir/expout"; then ok=0; why="$why stdout differs"; fi
	if [ -f "$dir/experr" ] && ! cmp -s "$tmp/err" "$dir/experr"; then
		ok=0; why="$why stderr differs"
	fi
	if [ $ok = 1 ]; then
		echo "ok $n golden $name"
	else
		echo "not ok $n golden $name:$why"
		diff "$dir/expout" "$tmp/out" | head -20 | sed 's/^/# /'
		[ -f "$dir/experr" ] && diff "$dir/experr" "$tmp/err" | head -10 | sed 's/^/# /'
	fi
	rm -rf "$tmp"
done
echo "1..$n"
