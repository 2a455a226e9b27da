#!/usr/bin/env bats
# Every command in a man page's EXAMPLES section runs, and succeeds, in a
# scratch folder holding the files of testdata/examples/.

load helper

# Prints each example of page $1 as one line (continuations joined).
examples() {
	awk '
		/^\.Sh / { ex = ($2 == "EXAMPLES") }
		!ex { next }
		/^\.Bd -literal/ { lit = 1; cmd = ""; next }
		/^\.Ed/ { lit = 0; next }
		/^\.Dl / && !lit { sub(/^\.Dl /, ""); if ($0 ~ /^jt/) print; next }
		lit {
			line = $0
			gsub(/\\e/, "\\", line)
			if (line ~ /\\$/) { sub(/\\$/, "", line); cmd = cmd line; next }
			line = cmd line; cmd = ""
			if (line ~ /^jt/) print line
		}
	' "$1"
}

run_examples() {
	local page=$1 dir
	dir=$(mktemp -d)
	cp -r "$JT_ROOT"/testdata/examples/. "$dir"/
	local n=0
	while IFS= read -r cmd; do
		n=$((n + 1))
		(cd "$dir" && sh -c "$cmd" >"$dir/.out" 2>"$dir/.err")
		local st=$?
		if [ $st -ne 0 ]; then
			echo "example failed (status $st): $cmd"
			cat "$dir/.err"
			rm -rf "$dir"
			return 1
		fi
	done < <(examples "$page")
	rm -rf "$dir"
	[ $n -gt 0 ]
}

@test "jt-ingest(1) EXAMPLES run" {
	run_examples "$JT_ROOT/man/jt-ingest.1"
}

@test "jt(1) EXAMPLES run" {
	run_examples "$JT_ROOT/man/jt.1"
}

@test "jt(7) and jt-events(5) EXAMPLES run" {
	run_examples "$JT_ROOT/man/jt.7"
	run_examples "$JT_ROOT/man/jt-events.5"
}

@test "jt-gen(1) EXAMPLES run" {
	run_examples "$JT_ROOT/man/jt-gen.1"
}

@test "jt-stitch(1) EXAMPLES run" {
	run_examples "$JT_ROOT/man/jt-stitch.1"
}

@test "jt-journey(1) EXAMPLES run" {
	run_examples "$JT_ROOT/man/jt-journey.1"
}

@test "jt-attribute(1) EXAMPLES run" {
	run_examples "$JT_ROOT/man/jt-attribute.1"
}

@test "jt-friction(1) EXAMPLES run" {
	run_examples "$JT_ROOT/man/jt-friction.1"
}

@test "jt-plot(1) EXAMPLES run" {
	run_examples "$JT_ROOT/man/jt-plot.1"
}

@test "jt-nightly(1) EXAMPLES run" {
	run_examples "$JT_ROOT/man/jt-nightly.1"
}
