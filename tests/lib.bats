#!/usr/bin/env bats
# The library's plumbing end to end, through build/bench/csvcat (a copy
# loop over csvin/evin/csvout/io/reject): what every tool inherits.

load helper

csvcat() { "$JT_BENCH/csvcat" "$@"; }

@test "union of two headers: reserved columns first, attributes by first appearance" {
	printf 'page,ts,id_cookie\n/a,2026-01-01T00:00:00.000Z,c1\n' >a.csv
	printf 'event,id_email,ts,agent\ncall,x@y.z,2026-01-02T00:00:00.000Z,A1\n' >b.csv
	run csvcat -q a.csv b.csv
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "ts,id_cookie,id_email,event,page,agent" ]
	[ "${lines[1]}" = "2026-01-01T00:00:00.000Z,c1,,,/a," ]
	[ "${lines[2]}" = "2026-01-02T00:00:00.000Z,,x@y.z,call,,A1" ]
}

@test "CRLF, BOM, quoted delimiters, doubled quotes and multi-line fields" {
	printf '\xef\xbb\xbfa,b\r\n"x,1","say ""hi"""\r\n"two\r\nlines",3\r\n' >in.csv
	run csvcat -q in.csv
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'a,b\n"x,1","say ""hi"""\n"two\nlines",3')" ]
}

@test "bad rows are reported with file:line and reason, good rows kept, status 0" {
	printf 'a,b\n1,2\n3\n"4,5\n6,7\n8,"x"y\n9,\xff\n' >in.csv
	run csvcat in.csv
	[ "$status" -eq 0 ]
	[[ "$output" == *"csvcat: in.csv:3: expected 2 fields, found 1"* ]]
	# the quote opened on line 4 closes on line 6, then text follows:
	# line 4 is rejected and lines 5-6 are read again
	[[ "$output" == *"csvcat: in.csv:4: malformed quoted field"* ]]
	[[ "$output" == *"csvcat: in.csv:6: malformed quoted field"* ]]
	[[ "$output" == *"csvcat: in.csv:7: column 'b': invalid UTF-8"* ]]
	[[ "$output" == *"6,7"* ]]
	[[ "$output" == *"2 rows written, 4 rejected"* ]]
}

@test "--rejects writes file,line,reason,raw" {
	printf 'a,b\n1,2\n3\n' >in.csv
	run csvcat -q --rejects rej.csv -o out.csv in.csv
	[ "$status" -eq 0 ]
	[ "$(cat rej.csv)" = "$(printf 'file,line,reason,raw\nin.csv,3,"expected 2 fields, found 1",3')" ]
}

@test "past --max-rejects: status 1, -o target not created, rejects file complete" {
	printf 'a,b\n1\n2\n3\n4,4\n' >in.csv
	run csvcat --max-rejects 2 --rejects rej.csv -o out.csv in.csv
	[ "$status" -eq 1 ]
	[[ "$output" == *"more than 2 rejected rows; stopping"* ]]
	[ ! -e out.csv ]
	[ "$(wc -l <rej.csv)" -eq 4 ]
	[ -z "$(ls -A | grep -v -e '^in.csv$' -e '^rej.csv$')" ]
}

@test "-o replaces the target only on success and leaves no temporary file" {
	printf 'a\n1\n' >in.csv
	echo old >out.csv
	run csvcat -q -o out.csv in.csv
	[ "$status" -eq 0 ]
	[ "$(cat out.csv)" = "$(printf 'a\n1')" ]
	[ "$(ls -A | sort | tr '\n' ' ')" = "in.csv out.csv " ]
	run csvcat -q -o out.csv missing.csv
	[ "$status" -eq 1 ]
	[[ "$output" == "csvcat: missing.csv: No such file or directory" ]]
	[ "$(cat out.csv)" = "$(printf 'a\n1')" ]
	[ "$(ls -A | sort | tr '\n' ' ')" = "in.csv out.csv " ]
}

@test "gzip input is detected by its magic bytes, on stdin too" {
	printf 'a,b\n1,2\n' | gzip -c >in.data
	run csvcat -q in.data
	[ "$output" = "$(printf 'a,b\n1,2')" ]
	run sh -c "\"$JT_BENCH/csvcat\" -q <in.data"
	[ "$output" = "$(printf 'a,b\n1,2')" ]
	cat in.data in.data >two.gz
	run csvcat -q two.gz
	[ "$output" = "$(printf 'a,b\n1,2\na,b\n1,2')" ]
}

@test "truncated gzip: rows before it kept, reported as a reject" {
	seq 1 20000 | sed '1i n' | gzip -c | head -c 20000 >t.gz
	run csvcat t.gz
	[ "$status" -eq 0 ]
	[[ "$output" == *"truncated gzip input"* ]]
	[[ "$output" == *"rows written, 1 rejected"* ]]
}

@test "a closed stdout ends quietly with SIGPIPE" {
	seq 1 300000 | sed '1i n' >big.csv
	run bash -c "\"$JT_BENCH/csvcat\" -q big.csv 2>err | head -1; echo \${PIPESTATUS[0]}"
	[ "${lines[0]}" = "n" ]
	[ "${lines[1]}" = "141" ]
	[ ! -s err ]
}

@test "SIGTERM during a run removes the temporary output" {
	(printf 'a\n1\n'; sleep 3) | "$JT_BENCH/csvcat" -q -o out.csv &
	pid=$!
	sleep 0.5
	[ -n "$(ls -A | grep '^\.out\.csv\.')" ]
	kill -TERM "$pid"
	wait "$pid" || true
	[ -z "$(ls -A | grep '^\.out\.csv\.')" ]
	[ ! -e out.csv ]
}

@test "usage errors: status 2 with a hint" {
	run csvcat --bogus
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown option '--bogus'"* ]]
	[[ "$output" == *"Try 'csvcat --help' for more information."* ]]
	run csvcat --max-rejects
	[ "$status" -eq 2 ]
	[[ "$output" == *"option '--max-rejects' needs an argument"* ]]
	run csvcat --max-field 0 x
	[ "$status" -eq 2 ]
	run csvcat --max-rejects abc x
	[ "$status" -eq 2 ]
	[[ "$output" == *"invalid number 'abc'"* ]]
}

@test "--max-field: a longer field is rejected, memory stays bounded" {
	{ echo a,b; printf 'x,'; head -c 5000 /dev/zero | tr '\0' y; echo; echo 1,2; } >in.csv
	run csvcat --max-field 1K in.csv
	[ "$status" -eq 0 ]
	[[ "$output" == *"in.csv:2: field longer than 1024 bytes"* ]]
	[[ "$output" == *"1,2"* ]]
}

@test "empty input: a warning, no rows, status 0" {
	: >empty.csv
	run csvcat empty.csv
	[ "$status" -eq 0 ]
	[[ "$output" == *"csvcat: warning: empty.csv: empty input"* ]]
}

@test "duplicate header names are an error" {
	printf 'a,a\n1,2\n' >in.csv
	run csvcat in.csv
	[ "$status" -eq 1 ]
	[[ "$output" == *"in.csv:1: duplicate column 'a'"* ]]
}

@test "a progress line on stderr only when it is a terminal" {
	command -v script >/dev/null || skip "script(1) not installed"
	cat >slow.sh <<SH
(echo n; seq 1 70000; sleep 1.2; seq 1 70000) | "$JT_BENCH/csvcat" -q >/dev/null
SH
	run script -qec "sh slow.sh" /dev/null
	[ "$status" -eq 0 ]
	[[ "$output" == *"csvcat: 131072 rows"* ]]
	# not a terminal: no progress at all
	run sh -c "sh slow.sh 2>err; cat err"
	[ -z "$output" ]
}

@test "-o onto a FIFO or a device writes in place, never replacing it" {
	printf 'ts,id_user,event\n2026-10-01T00:00:00Z,u1,a\n' >in.csv
	mkfifo pipe
	cat pipe >got &
	jt-ingest -q -o pipe in.csv
	wait
	[ -p pipe ]
	[ "$(sed -n 2p got | cut -c1-24)" = 2026-10-01T00:00:00.000Z ]
	# the character device /dev/null stays one (a rename would make it a
	# file); only checked where it is one to begin with
	if [ -c /dev/null ]; then
		jt-ingest -q -o /dev/null in.csv
		[ -c /dev/null ]
	fi
	run jt-ingest -q -o . in.csv
	[ "$status" -eq 1 ]
	[[ "$output" == *"jt-ingest: .: Is a directory"* ]]
}
