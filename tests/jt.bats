#!/usr/bin/env bats
# The front door.

load helper

fake_tree() {
	mkdir bin
	cp "$JT_BIN/jt" bin/jt
	cat >bin/jt-foo <<'SH'
#!/bin/sh
if [ "$1" = --help ]; then echo "Usage: jt-foo [X]"; echo "make foo out of bar"; exit 0; fi
echo "foo:$*"
SH
	chmod +x bin/jt-foo
}

@test "jt TOOL ARGS runs jt-TOOL next to jt with the arguments" {
	fake_tree
	run env PATH=/usr/bin:/bin bin/jt foo a 'b c'
	[ "$status" -eq 0 ]
	[ "$output" = "foo:a b c" ]
}

@test "jt --help lists the tools with their summary" {
	fake_tree
	run env PATH=/usr/bin:/bin bin/jt --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"foo          make foo out of bar"* ]]
}

@test "jt --help: a tool with a two-line usage still shows its summary" {
	run "$JT_BIN/jt" --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"gen          generate a synthetic world of silo exports with known truth"* ]]
	[[ "$output" != *"  gen          jt-gen"* ]]
}

@test "an unknown tool is a usage error naming the tools" {
	fake_tree
	run env PATH=/usr/bin:/bin bin/jt nosuch
	[ "$status" -eq 2 ]
	[[ "$output" == *"jt: unknown tool 'nosuch'"* ]]
	[[ "$output" == *"Tools: foo"* ]]
}

@test "no arguments: usage on stderr, status 2" {
	run "$JT_BIN/jt"
	[ "$status" -eq 2 ]
	[[ "$output" == *"Usage: jt TOOL"* ]]
}

@test "jt --version, and bad tool names" {
	run "$JT_BIN/jt" --version
	[ "$status" -eq 0 ]
	[[ "$output" == "jt "* ]]
	run "$JT_BIN/jt" ../etc
	[ "$status" -eq 2 ]
	run "$JT_BIN/jt" help ../x
	[ "$status" -eq 2 ]
	run "$JT_BIN/jt" --bogus
	[ "$status" -eq 2 ]
}

@test "jt ingest reaches the real jt-ingest" {
	run "$JT_BIN/jt" ingest --version
	[ "$status" -eq 0 ]
	[[ "$output" == "jt-ingest (jt) "* ]]
}
