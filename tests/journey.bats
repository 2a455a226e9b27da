#!/usr/bin/env bats
# jt-journey: visits, touches, journeys and every output, on hand-made
# events whose answers are worked out in the comments; the sort (memory,
# spilled runs, --sorted, detection); errors; the real attribution data.

load helper
bats_require_minimum_version 1.5.0

JJ="$JT_BIN/jt-journey"

# Two persons, rows out of order.  p1: an e-mail click and an internal page
# (empty channel: same visit) on the 1st; a paid search visit on the 3rd
# with two purchases (40.5 + 9.5) in it; a display view on the 5th.  p2:
# two internal pages 40 minutes apart, no visit in progress: two direct
# visits.
two_persons() {
	cat >a.csv <<'EOF'
ts,person,channel,event,value
2026-10-03T09:10:00.000Z,p1,,purchase,40.5
2026-10-02T08:00:00.000Z,p2,,page_view,
2026-10-01T10:00:00.000Z,p1,email,email_click,
2026-10-05T12:00:00.000Z,p1,display,page_view,
2026-10-01T10:05:00.000Z,p1,,page_view,
2026-10-03T09:00:00.000Z,p1,paid_search,page_view,
2026-10-02T08:40:00.000Z,p2,,page_view,
2026-10-03T09:12:00.000Z,p1,,purchase,9.5
EOF
}

@test "journeys: a conversion closes the journey, the next touch opens one, the rest is unconverted" {
	two_persons
	run --separate-stderr "$JJ" a.csv
	[ "$status" -eq 0 ]
	# p1:1 from the click (10-01 10:00) to the second purchase (10-03
	# 09:12): 47h12m = 169920 s; the search touch is 12 min = 720 s
	# before the end
	[ "$output" = "person,journey,start,end,touches,sessions,path,path_age_s,converted,conversions,value,duration_s
p1,p1:1,2026-10-01T10:00:00.000Z,2026-10-03T09:12:00.000Z,2,2,email > paid_search,169920;720,1,2,50,169920
p1,p1:2,2026-10-05T12:00:00.000Z,2026-10-05T12:00:00.000Z,1,1,display,0,0,0,0,0
p2,p2:1,2026-10-02T08:00:00.000Z,2026-10-02T08:40:00.000Z,2,2,direct > direct,2400;0,0,0,0,2400" ]
	[ "$stderr" = "jt-journey: 8 events, 0 rejected; 2 persons, 5 visits, 3 journeys (1 converted, 2 conversions); sorted in memory" ]
}

@test "sessions: one row per visit; an empty channel takes the visit in progress, else direct" {
	two_persons
	run -0 "$JJ" -q --output sessions a.csv
	[ "$output" = "person,session,channel,start,end,events,first_event,last_event
p1,1,email,2026-10-01T10:00:00.000Z,2026-10-01T10:05:00.000Z,2,email_click,page_view
p1,2,paid_search,2026-10-03T09:00:00.000Z,2026-10-03T09:12:00.000Z,3,page_view,purchase
p1,3,display,2026-10-05T12:00:00.000Z,2026-10-05T12:00:00.000Z,1,page_view,page_view
p2,1,direct,2026-10-02T08:00:00.000Z,2026-10-02T08:00:00.000Z,1,page_view,page_view
p2,2,direct,2026-10-02T08:40:00.000Z,2026-10-02T08:40:00.000Z,1,page_view,page_view" ]
}

@test "events: ordered by person and time, journey,session,step added, channel from the visit" {
	two_persons
	run -0 "$JJ" -q --output events a.csv
	[ "$output" = "ts,person,channel,event,value,journey,session,step
2026-10-01T10:00:00.000Z,p1,email,email_click,,p1:1,1,1
2026-10-01T10:05:00.000Z,p1,email,page_view,,p1:1,1,2
2026-10-03T09:00:00.000Z,p1,paid_search,page_view,,p1:1,2,3
2026-10-03T09:10:00.000Z,p1,paid_search,purchase,40.5,p1:1,2,4
2026-10-03T09:12:00.000Z,p1,paid_search,purchase,9.5,p1:1,2,5
2026-10-05T12:00:00.000Z,p1,display,page_view,,p1:2,3,1
2026-10-02T08:00:00.000Z,p2,direct,page_view,,p2:1,1,1
2026-10-02T08:40:00.000Z,p2,direct,page_view,,p2:1,2,2" ]
	# the output read again: same events, same journeys, no sort needed
	echo "$output" >ev.csv
	run --separate-stderr "$JJ" --output events ev.csv
	[ "$output" = "$(cat ev.csv)" ]
	[[ "$stderr" == *"; input already in order" ]]
	cmp <("$JJ" -q ev.csv) <("$JJ" -q a.csv)
}

@test "events: attributes after journey,session,step, quoted as needed; old journey columns replaced" {
	cat >in.csv <<'EOF'
page,ts,person,journey,step,event,source
"/a,b",2026-10-01T10:00:00.000Z,p1,old,9,page_view,web
"say ""hi""",2026-10-01T10:01:00.000Z,p1,old,9,purchase,web
EOF
	run -0 "$JJ" -q --output events in.csv
	[ "$output" = 'ts,person,event,source,journey,session,step,page
2026-10-01T10:00:00.000Z,p1,page_view,web,p1:1,1,1,"/a,b"
2026-10-01T10:01:00.000Z,p1,purchase,web,p1:1,1,2,"say ""hi"""' ]
}

@test "paths: the ChannelAttribution table, summed by path, in byte order" {
	two_persons
	run -0 "$JJ" -q --output paths a.csv
	[ "$output" = "path,total_conversions,total_conversion_value,total_null
direct > direct,0,0,1
display,0,0,1
email > paid_search,2,50,0" ]
}

@test "variants and dfg: the process-mining views" {
	two_persons
	run -0 "$JJ" -q --output variants a.csv
	[ "$output" = "path,count,conversions,conversion_rate,median_duration_s
direct > direct,1,0,0,2400
display,1,0,0,0
email > paid_search,1,1,1,169920" ]
	run -0 "$JJ" -q --output dfg a.csv
	# email -> paid_search: 10-01 10:00 to 10-03 09:00 = 169200 s; the
	# last step to (end) is the time to the journey's end
	[ "$output" = "from,to,count,median_s,p90_s
(start),direct,1,0,0
(start),display,1,0,0
(start),email,1,0,0
direct,(end),1,0,0
direct,direct,1,2400,2400
display,(end),1,0,0
email,paid_search,1,169200,169200
paid_search,(end),1,720,720" ]
}

@test "variants: count, converted journeys, rate, median; dfg p90 by interpolation" {
	# four persons, each web then email a day apart; q converts; the
	# gaps are 1, 2, 3 and 4 hours
	{
		echo ts,person,channel,event
		i=0
		for p in p q r s; do
			i=$((i + 1))
			echo "2026-10-01T00:00:00.000Z,$p,web,page_view"
			echo "2026-10-01T0$i:00:00.000Z,$p,email,email_click"
		done
		echo "2026-10-01T02:00:00.000Z,q,email,purchase"
	} >v.csv
	run -0 "$JJ" -q --output variants v.csv
	# durations 1, 2, 3, 4 h: median 2.5 h = 9000 s
	[ "$output" = "path,count,conversions,conversion_rate,median_duration_s
web > email,4,1,0.25,9000" ]
	run -0 "$JJ" -q --output dfg v.csv
	# web -> email: 3600, 7200, 10800, 14400; p90 at rank 2.7 = 10800 +
	# 0.7 * 3600 = 13320
	[[ "$output" == *$'\nweb,email,4,9000,13320'* ]]
}

@test "--session-gap: a gap under it continues the visit, a gap of exactly it starts one" {
	cat >g.csv <<'EOF'
ts,person,channel,event
2026-10-01T10:00:00.000Z,p,web,page_view
2026-10-01T10:29:59.999Z,p,web,page_view
2026-10-01T10:59:59.999Z,p,web,page_view
2026-10-01T12:00:00.000Z,p,web,page_view
EOF
	run -0 "$JJ" -q --output sessions g.csv
	[ "${#lines[@]}" -eq 4 ]
	[[ "${lines[1]}" == "p,1,web,2026-10-01T10:00:00.000Z,2026-10-01T10:29:59.999Z,2,"* ]]
	[[ "${lines[2]}" == "p,2,web,2026-10-01T10:59:59.999Z,"* ]]
	run -0 "$JJ" -q --output sessions --session-gap 1h g.csv
	[ "${#lines[@]}" -eq 3 ]
	run -0 "$JJ" -q --output sessions --session-gap 0.5h g.csv
	[ "${#lines[@]}" -eq 4 ]
	# 0: every event is its own visit
	run -0 "$JJ" -q --output sessions --session-gap 0 g.csv
	[ "${#lines[@]}" -eq 5 ]
	run -0 "$JJ" -q --session-gap 2w g.csv
	[[ "${lines[1]}" == *",1,1,web,"* ]]
}

@test "a run in one channel: another channel in between starts new visits" {
	cat >c.csv <<'EOF'
ts,person,channel,event
2026-10-01T10:00:00.000Z,p,web,page_view
2026-10-01T10:01:00.000Z,p,email,email_click
2026-10-01T10:02:00.000Z,p,web,page_view
EOF
	run -0 "$JJ" -q c.csv
	[[ "${lines[1]}" == *",3,3,web > email > web,120;60;0,0,0,0,120" ]]
	run -0 "$JJ" -q --collapse c.csv
	[[ "${lines[1]}" == *",3,3,web > email > web,"* ]]
}

@test "--lookback: touches older than it before the conversion are left out" {
	cat >l.csv <<'EOF'
ts,person,channel,event,value
2026-09-01T00:00:00.000Z,p,email,email_click,
2026-09-05T00:00:00.000Z,p,display,page_view,
2026-09-20T00:00:00.000Z,p,paid_search,page_view,
2026-10-05T00:00:00.000Z,p,web,purchase,10
EOF
	# 2026-09-05 is exactly 30 days before: kept; 09-01 (34 days): out
	run -0 "$JJ" -q l.csv
	[ "${lines[1]}" = "p,p:1,2026-09-05T00:00:00.000Z,2026-10-05T00:00:00.000Z,3,3,display > paid_search > web,2592000;1296000;0,1,1,10,2592000" ]
	run -0 "$JJ" -q --lookback 7d l.csv
	[[ "${lines[1]}" == *",1,1,web,0,1,1,10,0" ]]
	run -0 "$JJ" -q --lookback 0 l.csv
	[[ "${lines[1]}" == *",4,4,email > display > paid_search > web,"* ]]
	# --max-touches keeps the last ones
	run -0 "$JJ" -q --lookback 0 --max-touches 2 l.csv
	[[ "${lines[1]}" == "p,p:1,2026-09-20T00:00:00.000Z,"*",2,2,paid_search > web,1296000;0,1,1,10,1296000" ]]
}

@test "conversion as the first event; a conversion in a later visit starts its own journey" {
	cat >f.csv <<'EOF'
ts,person,channel,event,value
2026-10-01T10:00:00.000Z,p,store,purchase,20
2026-10-01T15:00:00.000Z,p,store,purchase,5
2026-10-02T15:00:00.000Z,p,web,page_view,
EOF
	run -0 "$JJ" -q f.csv
	[ "$output" = "person,journey,start,end,touches,sessions,path,path_age_s,converted,conversions,value,duration_s
p,p:1,2026-10-01T10:00:00.000Z,2026-10-01T10:00:00.000Z,1,1,store,0,1,1,20,0
p,p:2,2026-10-01T15:00:00.000Z,2026-10-01T15:00:00.000Z,1,1,store,0,1,1,5,0
p,p:3,2026-10-02T15:00:00.000Z,2026-10-02T15:00:00.000Z,1,1,web,0,0,0,0,0" ]
}

@test "--conversion and --touch: which events convert, which may be a visit's touch" {
	cat >t.csv <<'EOF'
ts,person,channel,event,value
2026-10-01T10:00:00.000Z,p,email,email_open,
2026-10-01T10:01:00.000Z,p,email,email_click,
2026-10-02T10:00:00.000Z,p,email,email_open,
2026-10-03T10:00:00.000Z,p,web,signup,3
EOF
	run -0 "$JJ" -q t.csv
	[[ "${lines[1]}" == *",3,3,email > email > web,"*",0,0,0,"* ]]
	run -0 "$JJ" -q --conversion '^signup$' --touch '^(email_click|signup)$' t.csv
	# the first visit's touch is the click (10:01); the open alone is no
	# touch; the signup visit is one
	[ "${lines[1]}" = "p,p:1,2026-10-01T10:01:00.000Z,2026-10-03T10:00:00.000Z,2,3,email > web,172740;0,1,1,3,172740" ]
}

@test "ties keep the input order (stable), in memory and spilled" {
	cat >tie.csv <<'EOF'
ts,person,channel,event
2026-10-01T10:00:00.000Z,p,email,email_click
2026-10-01T10:00:00.000Z,p,web,page_view
2026-10-01T10:00:00.000Z,p,display,page_view
EOF
	run -0 "$JJ" -q tie.csv
	[[ "${lines[1]}" == *",email > web > display,"* ]]
	{ head -1 tie.csv; tail -n +2 tie.csv | tac; } >tac.csv
	run -0 "$JJ" -q tac.csv
	[[ "${lines[1]}" == *",display > web > email,"* ]]
	# across spilled runs too: 3000 persons' worth of ties, 1M of memory
	awk 'BEGIN { print "ts,person,channel,event"
		for (i = 0; i < 30000; i++)
			printf "2026-10-01T10:00:00.000Z,p%d,c%d,e\n", i % 3000, i }' >many.csv
	"$JJ" -q --output events --memory 1M many.csv >spilled.csv
	"$JJ" -q --output events many.csv >mem.csv
	cmp spilled.csv mem.csv
	# p0's channels in input order: c0, c3000, c6000, ...
	[ "$(grep ',p0,' mem.csv | cut -d, -f3 | head -3 | tr '\n' ' ')" = "c0 c3000 c6000 " ]
}

@test "one large person, in reverse order, spilled: one visit of every event" {
	# 50,000 events a minute apart, newest first, and a second person
	awk 'BEGIN { print "ts,person,channel,event"
		for (i = 49999; i >= 0; i--)
			printf "%d,bot,web,page_view\n", 1790000000 + 60 * i
		print "2026-10-01T00:00:00Z,zed,email,email_click" }' >bot.csv
	run -0 "$JJ" -q --output sessions --memory 1M bot.csv
	[ "$output" = "person,session,channel,start,end,events,first_event,last_event
bot,1,web,2026-09-21T14:13:20.000Z,2026-10-26T07:32:20.000Z,50000,page_view,page_view
zed,1,email,2026-10-01T00:00:00.000Z,2026-10-01T00:00:00.000Z,1,email_click,email_click" ]
	"$JJ" -q --output events --memory 1M bot.csv >ev.csv
	[ "$(sed -n 2p ev.csv)" = "1790000000,bot,web,page_view,bot:1,1,1" ]
	[ "$(sed -n 50001p ev.csv)" = "1792999940,bot,web,page_view,bot:1,1,50000" ]
	run -0 "$JJ" -q --sorted --output sessions ev.csv
	[ "${lines[1]}" = "bot,1,web,2026-09-21T14:13:20.000Z,2026-10-26T07:32:20.000Z,50000,page_view,page_view" ]
}

@test "times are UTC: a DST change in any zone changes nothing" {
	# 2026-03-08 07:00Z is 2am in New York, the clocks jump to 3am
	cat >dst.csv <<'EOF'
ts,person,channel,event
2026-03-08T06:50:00.000Z,p,web,page_view
2026-03-08T07:10:00.000Z,p,web,page_view
2026-11-01T05:50:00.000Z,p,web,page_view
2026-11-01T06:10:00.000Z,p,web,page_view
EOF
	run -0 env TZ=America/New_York "$JJ" -q --output sessions dst.csv
	[ "${#lines[@]}" -eq 3 ]
	[[ "${lines[1]}" == *",2026-03-08T06:50:00.000Z,2026-03-08T07:10:00.000Z,2,"* ]]
	[[ "${lines[2]}" == *",2026-11-01T05:50:00.000Z,2026-11-01T06:10:00.000Z,2,"* ]]
}

@test "--path-by event or a column; --by another key" {
	cat >pm.csv <<'EOF'
case,ts,event,resource
c2,2026-10-01T10:00:00.000Z,register,ann
c1,2026-10-01T09:00:00.000Z,register,bob
c1,2026-10-01T09:05:00.000Z,check,ann
c2,2026-10-01T10:01:00.000Z,check,
c1,2026-10-01T09:09:00.000Z,pay,bob
EOF
	run -0 "$JJ" -q --by case --path-by event --session-gap 0 --output variants pm.csv
	[ "$output" = "path,count,conversions,conversion_rate,median_duration_s
register > check,1,0,0,60
register > check > pay,1,0,0,540" ]
	run -0 "$JJ" -q --by case --path-by resource --session-gap 0 pm.csv
	[[ "${lines[1]}" == "c1,c1:1,"*",bob > ann > bob,"* ]]
	[[ "${lines[2]}" == "c2,c2:1,"*",ann > (none),"* ]]
	run -0 "$JJ" -q --by case --path-by event --session-gap 0 --output dfg pm.csv
	[[ "$output" == *$'\nregister,check,2,180,276\n'* ]]
}

@test "--merge sums path tables (partitions combine)" {
	two_persons
	head -5 a.csv >part1.csv
	{ head -1 a.csv; tail -n +6 a.csv; } >part2.csv
	cat >t1.csv <<'EOF'
path,total_conversions,total_conversion_value,total_null
web,1,10.5,2
email > web,0,0,1
EOF
	cat >t2.csv <<'EOF'
total_null,path,total_conversions,total_conversion_value
3,web,2,0.25
0,search,1,4
EOF
	run --separate-stderr "$JJ" --merge t1.csv t2.csv
	[ "$status" -eq 0 ]
	[ "$output" = "path,total_conversions,total_conversion_value,total_null
email > web,0,0,1
search,1,4,0
web,3,10.75,5" ]
	[ "$stderr" = "jt-journey: 4 path rows, 0 rejected" ]
	# a person's events in one partition each: the merged tables are the
	# whole table
	"$JJ" -q --output paths a.csv >whole.csv
	awk -F, 'NR == 1 || $2 != "p2"' a.csv >pa.csv
	awk -F, 'NR == 1 || $2 == "p2"' a.csv >pb.csv
	"$JJ" -q --output paths pa.csv >ta.csv
	"$JJ" -q --output paths pb.csv >tb.csv
	cmp whole.csv <("$JJ" -q --merge ta.csv tb.csv)
	run -0 "$JJ" -q --merge --output paths t1.csv
}

@test "--merge: a missing column and bad numbers" {
	printf 'path,total_conversions\nweb,1\n' >bad.csv
	run "$JJ" --merge bad.csv
	[ "$status" -eq 1 ]
	[[ "$output" == *"jt-journey: bad.csv: no 'total_conversion_value' column: --merge reads path tables"* ]]
	printf 'path,total_conversions,total_conversion_value,total_null\nweb,x,1,1\nok,1,1,1\n' >num.csv
	run --separate-stderr "$JJ" --merge num.csv
	[ "$status" -eq 0 ]
	[ "$output" = "path,total_conversions,total_conversion_value,total_null
ok,1,1,1" ]
	[[ "$stderr" == *"jt-journey: num.csv:2: column 'total_conversions': invalid number 'x'"* ]]
	run "$JJ" --merge --output journeys num.csv
	[ "$status" -eq 2 ]
	[[ "$output" == *"--merge sums path tables: it writes --output paths, not journeys"* ]]
}

@test "unsorted input of any size: spilled runs give the same bytes, and leave no file" {
	"$JT_BIN/jt-gen" -q --events --persons 3000 -o ev.csv
	{ head -1 ev.csv; tail -n +2 ev.csv | shuf --random-source=ev.csv; } >shuf.csv
	mkdir tmp
	for kind in journeys events paths sessions; do
		"$JJ" -q --output $kind ev.csv >mem.$kind
		run --separate-stderr "$JJ" --output $kind --memory 1M --tmpdir tmp shuf.csv
		[ "$status" -eq 0 ]
		[[ "$stderr" == *"; sorted with "*" runs on disk ("* ]]
		[ "$output" = "$(cat mem.$kind)" ]
	done
	[ -z "$(ls -A tmp)" ]
	# the generator writes in time order: sorting by person was needed
	[[ "$(cat mem.events | head -1)" == "ts,person,"*",journey,session,step,"* ]]
}

@test "a --tmpdir that cannot be written is an error, and -o is left alone" {
	"$JT_BIN/jt-gen" -q --events --persons 3000 -o ev.csv
	echo old >out.csv
	run "$JJ" --memory 1M --tmpdir "$PWD/none" -o out.csv ev.csv
	[ "$status" -eq 1 ]
	[ "$output" = "jt-journey: $PWD/none: cannot make a temporary file: No such file or directory" ]
	[ "$(cat out.csv)" = old ]
	[ "$(ls)" = "$(printf 'ev.csv\nout.csv')" ]
}

@test "--sorted streams; out-of-order input with --sorted is an error naming the line" {
	two_persons
	"$JJ" -q --output events a.csv >ev.csv
	run --separate-stderr "$JJ" --sorted ev.csv
	[ "$status" -eq 0 ]
	[ "$output" = "$("$JJ" -q a.csv)" ]
	[[ "$stderr" != *"sorted"* ]]
	run "$JJ" --sorted -o out.csv a.csv
	[ "$status" -eq 1 ]
	[[ "$output" == *"jt-journey: a.csv:4: input not ordered by person, then ts (--sorted)"* ]]
	[ ! -e out.csv ]
	# a time going back within a person
	printf 'ts,person\n2026-10-02T00:00:00Z,p\n2026-10-01T00:00:00Z,p\n' >back.csv
	run "$JJ" --sorted back.csv
	[ "$status" -eq 1 ]
	[[ "$output" == *"back.csv:3: input not ordered by person, then ts (--sorted)"* ]]
}

# N persons of canonical events: gen.csv in time order (as jt-gen writes
# them), in.csv the same in order of person, then ts.
in_order() {
	"$JT_BIN/jt-gen" -q --events --persons "$1" -o gen.csv
	"$JJ" -q --output events --memory 1G gen.csv >in.csv
}

# Peak resident memory in KB of a command (under ASan, with a small
# quarantine: freed memory held back for checks is not the tool's).
peak_kb() {
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=1" \
		/usr/bin/time -f %M -o kb "$@" >/dev/null
	cat kb
}

@test "input in order larger than --memory is found in order and streamed: same bytes, memory bounded by a person" {
	in_order 10000
	size=$(stat -c %s in.csv)
	for kind in journeys events paths; do
		"$JJ" -q --sorted --output $kind in.csv >sorted.$kind
		run --separate-stderr "$JJ" --output $kind --memory 1G in.csv
		[ "$status" -eq 0 ]
		[[ "$stderr" == *"; input already in order" ]]
		[ "$output" = "$(cat sorted.$kind)" ]
		run --separate-stderr "$JJ" --output $kind --memory 1M in.csv
		[ "$status" -eq 0 ]
		[[ "$stderr" == *"; input in order: streamed" ]]
		[ "$output" = "$(cat sorted.$kind)" ]
	done
	# the rows and their texts held would take more than the input's size
	# (events mode); streamed, the run takes little more than with no rows
	base=$(peak_kb "$JJ" --output events --sorted <(head -3 in.csv))
	held=$(peak_kb "$JJ" --output events --memory 1G in.csv)
	streamed=$(peak_kb "$JJ" --output events --memory 1M in.csv)
	echo "input $((size / 1024)) KB; peak: base $base, held $held, streamed $streamed KB"
	[ $((held - base)) -gt $((size / 1024)) ]
	[ $(((streamed - base) * 3)) -lt $((size / 1024)) ]
	# the rule: more than --memory on disk; exactly --memory is held
	run --separate-stderr "$JJ" -o out.csv --memory $size in.csv
	[[ "$stderr" == *"; input already in order" ]]
	run --separate-stderr "$JJ" -o out.csv --memory $((size - 1)) in.csv
	[[ "$stderr" == *"; input in order: streamed" ]]
	cmp out.csv sorted.journeys
}

@test "unsorted input larger than --memory: the pre-scan stops, the sort runs as before" {
	in_order 3000
	for kind in journeys events; do
		"$JJ" -q --sorted --output $kind in.csv >sorted.$kind
		run --separate-stderr "$JJ" --output $kind --memory 1M gen.csv
		[ "$status" -eq 0 ]
		[[ "$stderr" == *"; sorted with "*" runs on disk ("* ]]
		[ "$output" = "$(cat sorted.$kind)" ]
	done
	# out of order only at the last row (a person before all): found,
	# and sorted
	cp in.csv last.csv
	sed -n 2p in.csv | awk -F, -v OFS=, '{ $2 = "A0"; print }' >>last.csv
	"$JJ" -q --memory 1G last.csv >held.csv
	run --separate-stderr "$JJ" --memory 1M last.csv
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"; sorted with "*" runs on disk ("* ]]
	[ "$output" = "$(cat held.csv)" ]
	[ "${lines[1]}" = "$(sed -n 2p held.csv)" ]
	[[ "${lines[1]}" == A0,A0:1,* ]]
	# two inputs each in order, the second going back: sorted
	n=$(($(wc -l <in.csv) / 2))
	head -n $n in.csv >a.csv
	{ head -1 in.csv; tail -n +$((n + 1)) in.csv; } >b.csv
	run --separate-stderr "$JJ" --memory 1M b.csv a.csv
	[[ "$stderr" == *"; sorted with "*" runs on disk ("* ]]
	[ "$output" = "$(cat sorted.journeys)" ]
	# and in order across them: streamed
	run --separate-stderr "$JJ" --memory 1M a.csv b.csv
	[[ "$stderr" == *"; input in order: streamed" ]]
	[ "$output" = "$(cat sorted.journeys)" ]
}

@test "input in order: gzip counts four times its size; stdin and pipes are not pre-scanned" {
	in_order 3000
	"$JJ" -q --sorted in.csv >sorted.csv
	gzip -c in.csv >in.csv.gz
	gz=$(stat -c %s in.csv.gz)
	[ $((gz * 4)) -lt $(stat -c %s in.csv) ]
	run --separate-stderr "$JJ" --memory $((gz * 4 - 1)) in.csv.gz
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"; input in order: streamed" ]]
	[ "$output" = "$(cat sorted.csv)" ]
	run --separate-stderr "$JJ" --memory $((gz * 4)) in.csv.gz
	[[ "$stderr" == *"; input already in order" ]]
	[ "$output" = "$(cat sorted.csv)" ]
	# stdin, a pipe, '-': read once, held (spilled past --memory)
	for how in file pipe dash; do
		case $how in
		file) run --separate-stderr "$JJ" --memory 1M <in.csv ;;
		pipe) run --separate-stderr bash -c "cat in.csv | '$JJ' --memory 1M" ;;
		dash) run --separate-stderr "$JJ" --memory 1M - <in.csv ;;
		esac
		[ "$status" -eq 0 ]
		[[ "$stderr" == *"; sorted with "*" runs on disk ("* ]]
		[ "$output" = "$(cat sorted.csv)" ]
	done
	# a named file among them that is not regular: no pre-scan
	run --separate-stderr "$JJ" --memory 1M in.csv <(head -1 in.csv)
	[[ "$stderr" == *"; sorted with "*" runs on disk ("* ]]
	[ "$output" = "$(cat sorted.csv)" ]
}

@test "input in order with rows the reading rejects: the pre-scan skips them too" {
	in_order 3000
	"$JJ" -q --sorted in.csv >sorted.csv
	# each out of order if it counted: an empty person, a bad time, a
	# bad value and a short row, all with small keys, amid the rows
	n=$(wc -l <in.csv)
	awk -v n=$n 'NR == 1 { nf = split($0, h, ",") }
		{ print }
		NR == int(n / 4) { print "2026-10-01T00:00:00.000Z,,web,page_view" substr(",,,,,,,,,,,,,,,,,,,,", 1, nf - 4) }
		NR == int(n / 2) { print "yesterday,A" substr(",,,,,,,,,,,,,,,,,,,,", 1, nf - 2) }
		NR == int(n * 3 / 4) { printf "2026-10-01T00:00:00.000Z,A"; for (i = 3; i <= nf; i++) printf ",%s", h[i] == "value" ? "12abc" : ""; print "" }
		NR == n - 1 { print "2026-10-01T00:00:00.000Z,A,web" }' in.csv >rej.csv
	[ $(wc -l <rej.csv) -eq $((n + 4)) ]
	run --separate-stderr "$JJ" --memory 1M rej.csv
	[ "$status" -eq 0 ]
	[[ "$stderr" == *" 4 rejected ("*"; input in order: streamed" ]]
	[[ "$stderr" == *"column 'person': empty"* ]]
	[[ "$stderr" == *"column 'ts': invalid time 'yesterday'"* ]]
	[[ "$stderr" == *"column 'value': invalid number '12abc'"* ]]
	[ "$output" = "$(cat sorted.csv)" ]
	# --by another column: its order is checked, not person's
	cut -d, -f1,2 in.csv | sed '1s/person/case/' >case.csv
	run --separate-stderr "$JJ" --by case --memory 1M case.csv
	[[ "$stderr" == *"; input in order: streamed" ]]
	run --separate-stderr "$JJ" --memory 1M --by ts case.csv
	[[ "$stderr" == *"; sorted with "*" runs on disk ("* ]]
}

@test "input found in order that changes before it is read again: an error naming the line" {
	command -v gdb >/dev/null || skip "no gdb"
	in_order 3000
	# after the pre-scan (its keyorder_free), the last row's person becomes
	# A00000000, before every other
	off=$(($(stat -c %s in.csv) - $(tail -1 in.csv | wc -c) + 25))
	[ "$(tail -c +$((off + 1)) in.csv | cut -c1)" = P ]
	n=$(wc -l <in.csv)
	# (LeakSanitizer cannot run under a debugger)
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		run timeout 120 gdb -q -batch -ex 'break keyorder_free' -ex run \
		-ex "shell printf A0000000 | dd of=in.csv bs=1 seek=$off conv=notrunc status=none" \
		-ex delete -ex continue --args "$JJ" --memory 1M -o out.csv in.csv
	[[ "$output" == *"jt-journey: in.csv:$n: input not ordered by person, then ts, though it was when first read (did it change?)"* ]]
	[[ "$output" == *"exited with code 01"* ]]
	[ ! -e out.csv ]
}

@test "rejects: no person, bad time, bad value; counted, reported, written; --max-rejects" {
	cat >r.csv <<'EOF'
ts,person,channel,event,value
2026-10-01T10:00:00.000Z,,web,page_view,
yesterday,p,web,page_view,
2026-10-01T10:00:00.000Z,p,web,purchase,12abc
,p,web,page_view,
2026-10-01T10:00:00+02:00,p,web,purchase,7
EOF
	run --separate-stderr "$JJ" --rejects rej.csv r.csv
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "p,p:1,2026-10-01T08:00:00.000Z,2026-10-01T08:00:00.000Z,1,1,web,0,1,1,7,0" ]
	[[ "$stderr" == *"jt-journey: r.csv:2: column 'person': empty"* ]]
	[[ "$stderr" == *"jt-journey: r.csv:3: column 'ts': invalid time 'yesterday'"* ]]
	[[ "$stderr" == *"jt-journey: r.csv:4: column 'value': invalid number '12abc'"* ]]
	[[ "$stderr" == *"jt-journey: r.csv:5: column 'ts': empty time"* ]]
	[[ "$stderr" == *"1 events, 4 rejected ("* ]]
	[ "$(head -1 rej.csv)" = "file,line,reason,raw" ]
	grep -qx "r.csv,3,column 'ts': invalid time 'yesterday',\"yesterday,p,web,page_view,\"" rej.csv
	[ "$(wc -l <rej.csv)" -eq 5 ]
	run "$JJ" --max-rejects 2 -o out.csv r.csv
	[ "$status" -eq 1 ]
	[ ! -e out.csv ]
}

@test "missing columns are errors naming them" {
	printf 'ts,id_user,event\n2026-10-01T10:00:00Z,u,x\n' >np.csv
	run "$JJ" np.csv
	[ "$status" -eq 1 ]
	[ "$output" = "jt-journey: np.csv: no 'person' column (jt-stitch writes it; --by names another)" ]
	run "$JJ" --by case np.csv
	[ "$status" -eq 1 ]
	[ "$output" = "jt-journey: np.csv: no 'case' column (--by)" ]
	printf 'person,event\np,x\n' >nt.csv
	run "$JJ" nt.csv
	[ "$status" -eq 1 ]
	[ "$output" = "jt-journey: nt.csv: no 'ts' column" ]
	run "$JJ" --path-by app_version np.csv --by id_user
	[ "$status" -eq 1 ]
	[ "$output" = "jt-journey: np.csv: no 'app_version' column (--path-by)" ]
}

@test "empty input: the header alone; a header without rows likewise" {
	: >empty.csv
	run --separate-stderr "$JJ" empty.csv
	[ "$status" -eq 0 ]
	[ "$output" = "person,journey,start,end,touches,sessions,path,path_age_s,converted,conversions,value,duration_s" ]
	run -0 "$JJ" -q --output paths empty.csv
	[ "$output" = "path,total_conversions,total_conversion_value,total_null" ]
	run -0 "$JJ" -q --output events empty.csv
	[ -z "$output" ]
	printf 'ts,person,event\n' >hdr.csv
	run -0 "$JJ" -q --output events hdr.csv
	[ "$output" = "ts,person,event,journey,session,step" ]
	run -0 "$JJ" -q --output dfg hdr.csv
	[ "$output" = "from,to,count,median_s,p90_s" ]
	run -0 "$JJ" -q --merge empty.csv
	[ "$output" = "path,total_conversions,total_conversion_value,total_null" ]
}

@test "usage errors: status 2 and the hint" {
	bad() {
		run "$JJ" "$@" /dev/null
		[ "$status" -eq 2 ] || { echo "$*: status $status"; false; }
		[[ "$output" == *"Try 'jt-journey --help' for more information."* ]]
	}
	bad --output tree
	bad --session-gap 30x
	bad --lookback -1d
	bad --conversion '('
	bad --touch '['
	bad --max-touches -1
	bad --memory 10K
	bad --memory lots
	bad --by ''
	bad --path-by ''
	bad --no-such
	run "$JJ" --output tree /dev/null
	[[ "$output" == "jt-journey: --output takes journeys, paths, events, sessions, variants or dfg, not 'tree'"* ]]
	run "$JJ" --session-gap 30x /dev/null
	[[ "$output" == "jt-journey: --session-gap: invalid duration '30x' (a number with s, m, h, d or w)"* ]]
}

@test "stdin, gzip input, -o written atomically, a closed stdout ends quietly" {
	two_persons
	gzip -k a.csv
	run -0 "$JJ" -q a.csv.gz
	[ "$output" = "$("$JJ" -q <a.csv)" ]
	"$JJ" -q -o out.csv a.csv
	cmp out.csv <("$JJ" -q a.csv)
	"$JT_BIN/jt-gen" -q --events --persons 2000 -o big.csv
	run bash -c "'$JJ' --output events big.csv | head -1"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "ts,person,id_user,id_email,id_phone,id_loyalty,id_device,id_cookie,channel,event,value,source,journey,session,step,record,app_version" ]
	run bash -c "set -o pipefail; '$JJ' --output events big.csv 2>err | head -1 >/dev/null"
	[ "$status" -eq 141 ]
	[ ! -s err ]
}

@test "a signal during the sort leaves no temporary file" {
	"$JT_BIN/jt-gen" -q --events --persons 20000 -o big.csv
	mkdir tmp
	"$JJ" -q --memory 1M --tmpdir tmp -o out.csv big.csv big.csv big.csv &
	pid=$!
	sleep 0.3
	kill -TERM $pid
	wait $pid || true
	[ -z "$(ls -A tmp)" ]
	[ ! -e out.csv ]
	[ -z "$(ls -A . | grep -v -e '^big.csv$' -e '^tmp$')" ]
}

@test "the bundled world: ingest, stitch, journeys; every purchase is a conversion" {
	JT_INGEST="$JT_BIN/jt-ingest" sh "$TD/world/ingest.sh" ev 2>/dev/null
	"$JT_BIN/jt-stitch" -q --links ev/crm.csv ev/web.csv ev/app.csv ev/email.csv \
		ev/calls.csv ev/chat.csv ev/store.csv >st.csv
	run --separate-stderr "$JJ" --output events st.csv -o events.csv
	[ "$status" -eq 0 ]
	# the events without any identifier have no person: rejected
	nop=$(awk -F, 'NR > 1 && $2 == ""' st.csv | wc -l)
	[[ "$stderr" == *"$nop rejected ($nop column 'person': empty)"* ]]
	purchases=$(awk -F, 'NR > 1 && $2 != "" && $10 ~ /^(purchase|conversion|order)$/' st.csv | wc -l)
	"$JJ" -q events.csv >journeys.csv
	[ "$(awk -F, 'NR > 1 { s += $10 } END { print s }' journeys.csv)" -eq "$purchases" ]
	"$JJ" -q --output paths events.csv >paths.csv
	[ "$(awk -F, 'NR > 1 { s += $2 } END { print s }' paths.csv)" -eq "$purchases" ]
	[ "$(awk -F, 'NR > 1 { s += $4 } END { print s }' paths.csv)" -eq \
		"$(awk -F, 'NR > 1 && $9 == 0' journeys.csv | wc -l)" ]
}

real_or_skip() { [ -f "$REAL/$1" ] || skip "$REAL/$1 not present"; }

@test "real data: attribution_si05 gives the published path table totals" {
	real_or_skip attribution_si05.csv.gz
	"$JT_BIN/jt-ingest" -q --map id_cookie=customer_id,ts=time,event=interaction,value=conversion_value \
		-o si.csv "$REAL/attribution_si05.csv.gz"
	"$JT_BIN/jt-stitch" -q -o sis.csv si.csv
	run -0 "$JJ" -q --output paths --conversion '^conversion$' --session-gap 0 --lookback 0 sis.csv
	echo "$output" >paths.csv
	[ "$(head -1 paths.csv)" = "path,total_conversions,total_conversion_value,total_null" ]
	[ "$(awk -F, 'NR > 1 { n++; c += $2; v += $3; z += $4 } END { printf "%d %d %.1f %d", n, c, v, z }' paths.csv)" = "7083 1838 11423.5 7668" ]
	# spilled, the same bytes
	"$JJ" -q --output paths --conversion '^conversion$' --session-gap 0 --lookback 0 --memory 1M sis.csv | cmp - paths.csv
}
