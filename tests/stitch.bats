#!/usr/bin/env bats
# jt-stitch: linking, the guards against over-merging, shared devices,
# stable keys across runs, the audit, errors, and quality on a jt-gen world.

load helper
bats_require_minimum_version 1.5.0

ST="$JT_BIN/jt-stitch"

# person of the row whose column record is $2, in file $1
person_of() {
	awk -F, -v r="$2" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["record"] == r { print $c["person"] }' "$1"
}

@test "identifiers on one row link; person comes after ts; rows keep their order" {
	cat >in.csv <<'EOF'
ts,id_cookie,id_user,event,record
2026-10-01T10:00:00.000Z,c1,,page_view,r1
2026-10-01T10:05:00.000Z,c1,u1,login,r2
2026-10-02T09:00:00.000Z,,u1,call,r3
2026-10-03T09:00:00.000Z,c2,,page_view,r4
EOF
	run --separate-stderr "$ST" in.csv
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "ts,person,id_cookie,id_user,event,record" ]
	[[ "${lines[1]}" == "2026-10-01T10:00:00.000Z,p"*",c1,,page_view,r1" ]]
	echo "$output" >out.csv
	p1=$(person_of out.csv r1)
	[ -n "$p1" ]
	[ "$(person_of out.csv r2)" = "$p1" ]
	[ "$(person_of out.csv r3)" = "$p1" ]
	[ "$(person_of out.csv r4)" != "$p1" ]
	[[ "$stderr" == *"4 events, 0 rejected; 3 identifiers, 2 persons, 1 merges, 0 merges refused"* ]]
}

@test "the same data in another order gives the same persons" {
	world=$TD/world
	JT_INGEST="$JT_BIN/jt-ingest" sh "$world/ingest.sh" ev 2>/dev/null
	"$ST" -q --links ev/crm.csv ev/web.csv ev/app.csv ev/email.csv >a.csv
	# rows reversed, files in another order
	for f in ev/email.csv ev/web.csv ev/app.csv; do
		{ head -1 "$f"; tail -n +2 "$f" | tac; } >"r.$(basename "$f")"
	done
	"$ST" -q --links ev/crm.csv r.app.csv r.email.csv r.web.csv >b.csv
	cols=record,person
	cmp <(awk -v COLS=$cols -f "$JT_ROOT/tests/lib/csvcols.awk" a.csv | sort) \
		<(awk -v COLS=$cols -f "$JT_ROOT/tests/lib/csvcols.awk" b.csv | sort)
}

@test "junk values link nobody: the built-in list, --block, --block-file" {
	cat >in.csv <<'EOF'
ts,id_email,id_cookie,record
2026-10-01T10:00:00.000Z,test@test.com,c1,r1
2026-10-01T11:00:00.000Z,TEST@test.com ,c2,r2
2026-10-01T12:00:00.000Z,noreply@shop.example,c3,r3
2026-10-01T13:00:00.000Z,noreply@shop.example,c4,r4
2026-10-01T14:00:00.000Z,desk@shop.example,c5,r5
2026-10-01T15:00:00.000Z,desk@shop.example,c6,r6
EOF
	"$ST" -q in.csv >out.csv
	[ "$(person_of out.csv r1)" != "$(person_of out.csv r2)" ]
	[ "$(person_of out.csv r3)" = "$(person_of out.csv r4)" ] # not blocked yet
	printf '# the shop\nDESK@shop.example\n' >block.txt
	run --separate-stderr "$ST" --block '^noreply@' --block-file block.txt --audit audit.csv in.csv
	[ "$status" -eq 0 ]
	echo "$output" >out.csv
	[ "$(person_of out.csv r3)" != "$(person_of out.csv r4)" ]
	[ "$(person_of out.csv r5)" != "$(person_of out.csv r6)" ]
	grep -qx 'junk,id_email,test@test.com,,1,built-in junk list' audit.csv
	grep -qx 'junk,id_email,noreply@shop.example,,2,--block' audit.csv
	grep -qx 'junk,id_email,desk@shop.example,,2,--block-file' audit.csv
	[[ "$stderr" == *"4 junk identifiers (list 2, --block 1, --block-file 1, --max-degree 0, --max-per-type 0)"* ]]
}

@test "--limit: two accounts on one computer stay two persons" {
	cat >in.csv <<'EOF'
ts,id_user,id_email,id_cookie,record
2026-10-01T10:00:00.000Z,u1,,c1,r1
2026-10-05T10:00:00.000Z,u2,,c1,r2
2026-10-06T10:00:00.000Z,,a@x.example,c1,r3
2026-10-07T10:00:00.000Z,u2,b@x.example,,r4
2026-10-08T10:00:00.000Z,u1,a@x.example,,r5
EOF
	"$ST" -q --audit audit.csv in.csv >out.csv
	[ "$(person_of out.csv r1)" != "$(person_of out.csv r2)" ]
	[ "$(person_of out.csv r4)" = "$(person_of out.csv r2)" ]
	[ "$(person_of out.csv r5)" = "$(person_of out.csv r1)" ]
	grep -qx 'refused,id_cookie,c1,id_user=u2,1,limit id_user=1' audit.csv
	grep -q '^shared,id_cookie,c1,2,3,' audit.csv
	# allowing two accounts merges them
	"$ST" -q --limit id_user=2 in.csv >out2.csv
	[ "$(person_of out2.csv r1)" = "$(person_of out2.csv r2)" ]
	# a limit on e-mails refuses the second address
	cat >in2.csv <<'EOF'
ts,id_email,id_cookie,record
2026-10-01T10:00:00.000Z,a@x.example,c1,r1
2026-10-02T10:00:00.000Z,b@x.example,c1,r2
EOF
	"$ST" -q --limit id_email=1 in2.csv >out3.csv
	[ "$(person_of out3.csv r1)" != "$(person_of out3.csv r2)" ]
}

@test "--max-degree: a hub links nobody and is reported" {
	{
		echo ts,id_loyalty,id_email,record
		for i in 1 2 3 4; do
			echo "2026-10-0${i}T10:00:00.000Z,LC9999999999,p$i@x.example,r$i"
		done
	} >in.csv
	"$ST" -q --max-degree 3 --audit audit.csv in.csv >out.csv
	[ "$(person_of out.csv r1)" != "$(person_of out.csv r2)" ]
	grep -qx 'junk,id_loyalty,LC9999999999,4,4,linked to 4 identifiers (--max-degree 3)' audit.csv
	"$ST" -q --max-degree 4 in.csv >out.csv
	[ "$(person_of out.csv r1)" = "$(person_of out.csv r2)" ]
	"$ST" -q --max-degree 0 in.csv >out.csv
	[ "$(person_of out.csv r1)" = "$(person_of out.csv r4)" ]
}

@test "--max-per-type: a value on many cards of others is a hub, a user with many cookies is not" {
	{
		echo ts,id_user,id_email,id_loyalty,id_cookie,record
		for i in $(seq 1 12); do
			echo "2026-10-01T10:00:$(printf %02d $i).000Z,,noreceipt@shop.example,LC$i,,s$i"
		done
		for i in $(seq 1 30); do
			echo "2026-10-02T10:00:$(printf %02d $i).000Z,u1,,,c$i,w$i"
		done
	} >in.csv
	"$ST" -q --audit audit.csv in.csv >out.csv
	[ "$(person_of out.csv s1)" != "$(person_of out.csv s2)" ]
	[ "$(person_of out.csv w1)" = "$(person_of out.csv w30)" ]
	grep -qx 'junk,id_email,noreceipt@shop.example,12,12,linked to 12 id_loyalty values (--max-per-type 4)' audit.csv
	"$ST" -q --max-per-type 12 in.csv >out.csv
	[ "$(person_of out.csv s1)" = "$(person_of out.csv s2)" ]
	"$ST" -q --max-per-type 0 in.csv >out.csv
	[ "$(person_of out.csv s1)" = "$(person_of out.csv s12)" ]
}

@test "a shared device's anonymous events go to the person closest in time, or to the first" {
	cat >in.csv <<'EOF'
ts,id_user,id_cookie,record
2026-10-01T10:00:00.000Z,u1,c1,login1
2026-10-03T10:00:00.000Z,u1,c1,login1b
2026-10-10T10:00:00.000Z,u2,c1,login2
2026-10-12T10:00:00.000Z,u2,c1,login2b
2026-10-02T10:00:00.000Z,,c1,inside1
2026-10-04T10:00:00.000Z,,c1,near1
2026-10-09T10:00:00.000Z,,c1,near2
2026-10-11T10:00:00.000Z,,c1,inside2
2026-10-30T10:00:00.000Z,,c1,after
EOF
	"$ST" -q in.csv >out.csv
	p1=$(person_of out.csv login1) p2=$(person_of out.csv login2)
	[ "$p1" != "$p2" ]
	[ "$(person_of out.csv login2b)" = "$p2" ]
	[ "$(person_of out.csv inside1)" = "$p1" ]
	[ "$(person_of out.csv near1)" = "$p1" ]
	[ "$(person_of out.csv near2)" = "$p2" ]
	[ "$(person_of out.csv inside2)" = "$p2" ]
	[ "$(person_of out.csv after)" = "$p2" ]
	"$ST" -q --shared first in.csv >out.csv
	for r in inside1 near1 near2 inside2 after; do
		[ "$(person_of out.csv $r)" = "$p1" ]
	done
	[ "$(person_of out.csv login2)" = "$p2" ]
}

@test "--map-in keeps yesterday's keys; merged persons keep the older key, with an alias" {
	cat >day1.csv <<'EOF'
ts,id_user,id_email,id_cookie,record
2026-10-01T10:00:00.000Z,u1,,c1,a
2026-10-02T10:00:00.000Z,,b@x.example,c2,b
2026-10-03T10:00:00.000Z,u3,,c3,c
EOF
	"$ST" -q --map-out map.csv day1.csv >out1.csv
	head -1 map.csv | grep -qx 'id_type,id_value,person,first_seen,last_seen'
	grep -q '^id_cookie,c1,p[0-9a-f]\{16\},2026-10-01T10:00:00.000Z,2026-10-01T10:00:00.000Z$' map.csv
	ka=$(person_of out1.csv a) kb=$(person_of out1.csv b) kc=$(person_of out1.csv c)
	# day 2: c1 alone, and a row that joins person b into person a
	cat >day2.csv <<'EOF'
ts,id_email,id_cookie,record
2026-10-04T10:00:00.000Z,,c1,d
2026-10-05T10:00:00.000Z,b@x.example,c1,e
EOF
	"$ST" -q --map-in map.csv --map-out map.csv --audit audit.csv day2.csv >out2.csv
	[ "$(person_of out2.csv d)" = "$ka" ]
	[ "$(person_of out2.csv e)" = "$ka" ] # a first seen on the 1st, b on the 2nd
	grep -qx "person,$kb,$ka,," map.csv
	grep -qx "alias,person,$kb,$ka,,persons of the previous map merged; the older key survives" audit.csv
	# identifiers not seen today stay in the map with their person
	grep -q "^id_user,u3,$kc," map.csv
	grep -q "^id_email,b@x.example,$ka," map.csv
	# day 3: the alias chain follows the survivor
	"$ST" -q --map-in map.csv --map-out map.csv day2.csv >/dev/null
	grep -qx "person,$kb,$ka,," map.csv
}

@test "--links rows link but are not written" {
	cat >crm.csv <<'EOF'
ts,id_user,id_email,id_phone
2025-01-01T00:00:00.000Z,u1,a@x.example,15550102030
EOF
	cat >ev.csv <<'EOF'
ts,id_email,id_phone,record
2026-10-01T10:00:00.000Z,a@x.example,,r1
2026-10-02T10:00:00.000Z,,15550102030,r2
EOF
	run --separate-stderr "$ST" --links crm.csv ev.csv
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 3 ]
	echo "$output" >out.csv
	[ "$(person_of out.csv r1)" = "$(person_of out.csv r2)" ]
	[[ "$stderr" == *"2 events (and 1 link rows)"* ]]
	"$ST" -q ev.csv >out.csv
	[ "$(person_of out.csv r1)" != "$(person_of out.csv r2)" ]
}

@test "files with different columns: the union, in jt-events order; a person column is replaced" {
	printf 'ts,id_cookie,url\n2026-10-01T10:00:00.000Z,c1,/a\n' >a.csv
	printf 'ts,person,id_user,id_cookie,value\n2026-10-01T11:00:00.000Z,old,u1,c1,9.5\n' >b.csv
	run --separate-stderr "$ST" a.csv b.csv
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "ts,person,id_cookie,id_user,value,url" ]
	[[ "${lines[2]}" == "2026-10-01T11:00:00.000Z,p"*",c1,u1,9.5," ]]
	[[ "${lines[2]}" != *old* ]]
	p1=$(echo "${lines[1]}" | cut -d, -f2) p2=$(echo "${lines[2]}" | cut -d, -f2)
	[ "$p1" = "$p2" ]
}

@test "spooled to disk or kept in memory, the output is the same" {
	JT_INGEST="$JT_BIN/jt-ingest" sh "$TD/world/ingest.sh" ev 2>/dev/null
	"$ST" -q ev/web.csv ev/calls.csv >mem.csv
	mkdir tmp
	"$ST" -q --memory 10K --tmpdir tmp ev/web.csv ev/calls.csv >disk.csv
	cmp mem.csv disk.csv
	[ -z "$(ls tmp)" ] # the spool file was never visible
	run "$ST" -q --memory 1K --tmpdir /nonexistent ev/calls.csv
	[ "$status" -eq 1 ]
	[[ "$output" == *"/nonexistent: cannot make a temporary file"* ]]
}

@test "rows read back from the input file, from the spool or re-encoded: the same bytes" {
	# plain lines are read again from the file in pass 2; quoted, CRLF,
	# multi-line and gzip rows and stdin go through the spool
	printf '\xef\xbb\xbfts,person,id_user,id_cookie,note\n' >in.csv
	printf '2026-10-01T00:00:00.000Z,,u1,c1,plain\n' >>in.csv
	printf '2026-10-01T00:00:01.000Z,old,u1,c2,"quoted, comma"\n' >>in.csv
	printf '2026-10-01T00:00:02.000Z,,u2,c2,"two\nlines"\n' >>in.csv
	printf '2026-10-01T00:00:03.000Z,,u3,c3,crlf\r\n' >>in.csv
	printf '"2026-10-01T00:00:04.000Z","p",u1,c4,quoted ts\n' >>in.csv
	printf '2026-10-01T00:00:05.000Z,,u5,c5,cr\rinside\n' >>in.csv
	printf '2026-10-01T00:00:06.000Z,x,,c1,no final LF' >>in.csv
	"$ST" -q in.csv >file.csv
	"$ST" -q <in.csv >stdin.csv
	gzip -c in.csv >in.csv.gz
	"$ST" -q in.csv.gz >gz.csv
	"$ST" -q --memory 1K --tmpdir . in.csv >disk.csv
	cmp file.csv stdin.csv
	cmp file.csv gz.csv
	cmp file.csv disk.csv
	p1=$(sed -n 2p file.csv | cut -d, -f2) p3=$(sed -n 6p file.csv | cut -d, -f2)
	[ -n "$p1" ] && [ -n "$p3" ] && [ "$p1" != "$p3" ]
	{
		echo "ts,person,id_user,id_cookie,note"
		echo "2026-10-01T00:00:00.000Z,$p1,u1,c1,plain"
		echo "2026-10-01T00:00:01.000Z,$p1,u1,c2,\"quoted, comma\""
		printf '2026-10-01T00:00:02.000Z,%s,u2,c2,"two\nlines"\n' "$(sed -n 4p file.csv | cut -d, -f2)"
		printf '2026-10-01T00:00:03.000Z,%s,u3,c3,crlf\n' "$p3"
		printf '2026-10-01T00:00:04.000Z,%s,u1,c4,quoted ts\n' "$p1"
		printf '2026-10-01T00:00:05.000Z,%s,u5,c5,"cr\rinside"\n' "$(sed -n 8p file.csv | cut -d, -f2)"
		printf '2026-10-01T00:00:06.000Z,%s,,c1,no final LF\n' "$p1"
	} >want.csv
	cmp want.csv file.csv
	# two files with the same header, both read back
	cp in.csv in2.csv
	"$ST" -q in.csv in2.csv >two.csv
	"$ST" -q in.csv.gz in2.csv >two-gz.csv
	cmp two.csv two-gz.csv
	[ "$(wc -l <two.csv)" -eq 17 ]
}

@test "bad rows are rejected with file and line; events without identifier are counted" {
	cat >in.csv <<'EOF'
ts,id_user,record
2026-10-01T10:00:00.000Z,u1,r1
yesterday,u1,r2
,u1,r3
2026-10-01T11:00:00.000Z,,r4
2026-10-01T12:00:00.000Z,u1,r5,extra
EOF
	run --separate-stderr "$ST" --rejects rej.csv in.csv
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 3 ]
	[[ "$stderr" == *"in.csv:3: column 'ts': invalid time"* ]]
	[[ "$stderr" == *"in.csv:4: column 'ts': empty time"* ]]
	[[ "$stderr" == *"in.csv:6: expected 3 fields, found 4"* ]]
	[[ "$stderr" == *"2 events, 3 rejected"* ]]
	[[ "$stderr" == *"1 events without identifier"* ]]
	[[ "${lines[2]}" == "2026-10-01T11:00:00.000Z,,,r4" ]]
	[ "$(wc -l <rej.csv)" -eq 4 ]
	run "$ST" -q --max-rejects 1 in.csv
	[ "$status" -eq 1 ]
}

@test "errors: no ts, no identifier, bad options, bad map" {
	printf 'time,id_user\n1,u1\n' >nots.csv
	run "$ST" nots.csv
	[ "$status" -eq 1 ]
	[[ "$output" == *"nots.csv: no 'ts' column"* ]]
	printf 'ts,user\n2026-10-01T10:00:00.000Z,u1\n' >noid.csv
	run "$ST" noid.csv
	[ "$status" -eq 1 ]
	[[ "$output" == *"no identifier column"* ]]
	run "$ST" --ids user noid.csv
	[ "$status" -eq 2 ]
	run "$ST" --shared sometimes noid.csv
	[ "$status" -eq 2 ]
	run "$ST" --limit id_user=many noid.csv
	[ "$status" -eq 2 ]
	run "$ST" --limit user=1 noid.csv
	[ "$status" -eq 2 ]
	run "$ST" --block '(' noid.csv
	[ "$status" -eq 2 ]
	run "$ST" --max-degree -3 noid.csv
	[ "$status" -eq 2 ]
	printf 'a,b\n1,2\n' >badmap.csv
	printf 'ts,id_user\n2026-10-01T10:00:00.000Z,u1\n' >ok.csv
	run "$ST" --map-in badmap.csv ok.csv
	[ "$status" -eq 1 ]
	[[ "$output" == *"badmap.csv: not an identity map"* ]]
	run "$ST" --map-in /nonexistent/map.csv ok.csv
	[ "$status" -eq 1 ]
	run "$ST" --block-file /nonexistent/list ok.csv
	[ "$status" -eq 1 ]
}

@test "identifier columns that are all empty: every event kept, person empty" {
	printf 'ts,id_user,id_cookie\n2026-10-01T10:00:00.000Z,,\n2026-10-01T11:00:00.000Z, ,null\n' >in.csv
	run --separate-stderr "$ST" --map-out map.csv --audit audit.csv --stats in.csv
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "2026-10-01T10:00:00.000Z,,," ]
	[ "${lines[2]}" = "2026-10-01T11:00:00.000Z,, ,null" ]
	[[ "$stderr" == *"0 persons"*"2 events without identifier"* ]]
	[ "$(cat map.csv)" = "id_type,id_value,person,first_seen,last_seen" ]
	grep -qx 'junk,id_cookie,null,,1,built-in junk list' audit.csv
}

@test "an empty input gives an empty output" {
	: >empty.csv
	run --separate-stderr "$ST" empty.csv
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "--stats: sizes and the largest persons" {
	JT_INGEST="$JT_BIN/jt-ingest" sh "$TD/world/ingest.sh" ev 2>/dev/null
	run --separate-stderr "$ST" --links ev/crm.csv --stats -o out.csv ev/web.csv ev/app.csv
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"persons by count of identifiers: 1: "*", 2: "*", 65+: "* ]]
	[[ "$stderr" == *"largest persons:"* ]]
	[ "$(echo "$stderr" | grep -c '^  p[0-9a-f]\{16\} [0-9]* identifiers: id_user 1')" -ge 5 ]
}

@test "quality on testdata/world: precision >= 0.99, recall within 0.01 of the best possible, no household or junk merge" {
	JT_INGEST="$JT_BIN/jt-ingest" sh "$TD/world/ingest.sh" ev 2>/dev/null
	"$ST" -q --links ev/crm.csv -o out.csv ev/web.csv ev/app.csv ev/email.csv \
		ev/calls.csv ev/chat.csv ev/store.csv
	w=truth
	mkdir truth
	cp "$TD"/world/truth/*.csv truth/
	zcat "$TD/world/truth/records.csv.gz" >truth/records.csv
	awk -F, -f "$JT_ROOT/scripts/stitch-quality.awk" "$w/records.csv" \
		"$w/persons.csv" "$w/identifiers.csv" out.csv ev/crm.csv >q.txt
	cat q.txt
	val() { awk -v k="$1" '$1 == k { print $2 }' q.txt; }
	awk -v p="$(val b3_precision)" 'BEGIN { exit !(p >= 0.99) }'
	awk -v p="$(val pairwise_precision)" 'BEGIN { exit !(p >= 0.99) }'
	awk -v p="$(val reachable_recall)" 'BEGIN { exit !(p >= 0.99) }'
	# recall against the truth itself, next to the best any stitcher can
	# do with these identifiers (records nothing links stay apart)
	awk -v r="$(val b3_recall)" -v c="$(val b3_recall_ceiling)" \
		'BEGIN { exit !(r >= c - 0.01 && c < 1 && r <= c + 0.0001) }'
	awk -v r="$(val pairwise_recall)" -v c="$(val pairwise_recall_ceiling)" \
		'BEGIN { exit !(r >= c - 0.01 && r <= c + 0.0001) }'
	[ "$(val household_pairs_merged)" -eq 0 ]
	[ "$(val household_pairs)" -gt 5 ]
	[ "$(val junk_links)" -eq 0 ]
	# the naive graph (no limit, no hub guard) does merge households
	"$ST" -q --links ev/crm.csv --limit id_user=0 --max-degree 0 --max-per-type 0 -o naive.csv \
		ev/web.csv ev/app.csv ev/email.csv ev/calls.csv ev/chat.csv ev/store.csv
	awk -F, -f "$JT_ROOT/scripts/stitch-quality.awk" "$w/records.csv" \
		"$w/persons.csv" "$w/identifiers.csv" naive.csv >n.txt
	[ "$(awk '$1 == "household_pairs_merged" { print $2 }' n.txt)" -gt 0 ]
}
