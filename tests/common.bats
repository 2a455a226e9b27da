#!/usr/bin/env bats
# The contract every tool shares (jt(7)): --help, --version, usage errors,
# a man page that lints clean and documents every long option of --help.

load helper

tools() {
	for t in "$JT_BIN"/jt-*; do
		[ -x "$t" ] && basename "$t"
	done
}

@test "every man page passes mandoc -Tlint" {
	run mandoc -Tlint -W warning "$JT_ROOT"/man/*.[1-9]
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "every tool answers --help on stdout with its usage line, status 0" {
	for t in $(tools); do
		run "$JT_BIN/$t" --help
		[ "$status" -eq 0 ] || { echo "$t: status $status"; false; }
		[[ "${lines[0]}" == "Usage: $t "* ]] || { echo "$t: ${lines[0]}"; false; }
	done
}

@test "every tool answers --version, status 0" {
	for t in $(tools); do
		run "$JT_BIN/$t" --version
		[ "$status" -eq 0 ]
		[[ "$output" == "$t (jt) "* ]] || { echo "$t: $output"; false; }
	done
}

@test "every tool rejects an unknown option with status 2 and a hint" {
	for t in $(tools); do
		run "$JT_BIN/$t" --no-such-option
		[ "$status" -eq 2 ] || { echo "$t: status $status"; false; }
		[[ "$output" == *"$t: unknown option '--no-such-option'"* ]]
		[[ "$output" == *"Try '$t --help' for more information."* ]]
	done
}

@test "every tool has a man page documenting each long option of --help" {
	for t in $(tools); do
		page="$JT_ROOT/man/$t.1"
		[ -f "$page" ] || { echo "no man page for $t"; false; }
		for opt in $("$JT_BIN/$t" --help | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u); do
			name=${opt#--}
			grep -qE -- "Fl (\\\\-|-)$name\b" "$page" ||
				{ echo "$t: $opt missing from $page"; false; }
		done
	done
}

@test "every tool's man page has an EXAMPLES section" {
	for t in $(tools); do
		grep -q '^\.Sh EXAMPLES' "$JT_ROOT/man/$t.1" ||
			{ echo "$t: no EXAMPLES"; false; }
	done
}
