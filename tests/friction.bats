#!/usr/bin/env bats
# jt-friction: every signal on hand-computed journeys, the impact and the
# ranking, the funnel, the options, every error path, and the quality bar
# on a jt-gen world (when jt-journey is built).

load helper
bats_require_minimum_version 1.5.0

FR="$JT_BIN/jt-friction"
EX="$TD/examples/journey-events.csv"

# the row of signal $1 at step $2 in CSV text $3
row() { printf '%s\n' "$3" | awk -F, -v s="$1" -v t="$2" '$1 == s && $3 == t'; }

@test "each signal on the examples: exposures, rates, impact, z (computed by hand)" {
	run --separate-stderr "$FR" --channel-by source --slow-by app_version --min-journeys 1 "$EX"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "signal,channel,step,group,journeys,share,conv_with,conv_without,impact,z,ranked,example" ]
	# app 5.2.0 takes 90 s from checkout to payment; 5.3.0 3 to 7 s (p90
	# 6.1 s): the bar is 18.3 s; with: p3 (lost), without: p4, p7-p15
	# (all bought); p = 10/11, z = 1 / sqrt(p (1 - p) (1 + 1/10)) = 3.32
	[ "${lines[1]}" = "slow_step,app,checkout > payment,app_version=5.2.0 median_s=90.0/5.0,1,0.0909,0.0000,1.0000,1.0,3.32,1,p3:1" ]
	# anchor checkout: visits p1 (error, then an order by phone) and p6
	[ "$(row error checkout_error "$output")" = "error,web,checkout_error,,1,0.5000,1.0000,1.0000,0.0,0.00,1,p1:1" ]
	# p5: unresolved, then resolved 26 h later: 2 service contacts;
	# repeat rates 1/1 and 0/1, z = 1 / sqrt(1/4 * 2) = 1.41 < 2: the
	# exposure with it is the repeated contact
	[ "$(row repeat_contact unresolved "$output")" = "repeat_contact,call_center,unresolved,with=repeated repeat_rate=1.000/0.000,1,0.5000,0.0000,0.0000,0.0,0.00,1,p5:1" ]
	# p2: the login page 3 times; no visit with it once to compare with
	[ "$(row loop login_page "$output")" = "loop,web,login_page,,1,1.0000,0.0000,,0.0,,0,p2:1" ]
	# p1: the error page was the last web event before the call, 2 h later
	[ "$(row channel_switch checkout_error "$output")" = "channel_switch,web,checkout_error,,1,1.0000,1.0000,,0.0,,0,p1:1" ]
	# three unconverted journeys, one exit each, after the other rows
	[ "${lines[6]}" = "dead_end,app,payment,,1,0.3333,,,1.0,,0,p3:1" ]
	[ "${lines[7]}" = "dead_end,call_center,resolved,,1,0.3333,,,1.0,,0,p5:1" ]
	[ "${lines[8]}" = "dead_end,web,login_page,,1,0.3333,,,1.0,,0,p2:1" ]
	[ "${#lines[@]}" -eq 9 ]
	[[ "$stderr" == *"51 events, 0 rejected; 15 journeys, 12 converted (80.0%); repeat-contact rate 50.0% (1 of 2 service contacts"* ]]
}

@test "without --slow-by the overall p90 is the bar; --slow-factor" {
	# overall p90 of the 11 durations: 7 s; 90 s >= 21 s; median_s: of
	# the slow ones and of the others
	run --separate-stderr "$FR" --channel-by source "$EX"
	[ "$status" -eq 0 ]
	[ "$(row slow_step 'checkout > payment' "$output")" = "slow_step,app,checkout > payment,median_s=90.0/5.0,1,0.0909,0.0000,1.0000,1.0,3.32,0,p3:1" ]
	run --separate-stderr "$FR" --channel-by source --slow-factor 13 "$EX"
	[[ "$output" != *slow_step* ]]
	run --separate-stderr "$FR" --channel-by source --slow-factor 12.8 "$EX"
	[[ "$output" == *slow_step* ]]
}

@test "--channel-by: the default names the marketing channel, empty ones take the source" {
	run --separate-stderr "$FR" "$EX"
	[ "$status" -eq 0 ]
	# web hits without a channel are placed at their source
	[[ "$output" == *"error,web,checkout_error,"* ]]
	printf 'ts,person,channel,event,journey,session,step,where\n' >in.csv
	printf '2026-10-01T10:00:00.000Z,a,paid_search,page_view,a:1,1,1,site\n' >>in.csv
	printf '2026-10-01T10:00:10.000Z,a,,oops_error,a:1,1,2,\n' >>in.csv
	run --separate-stderr "$FR" in.csv
	[[ "$output" == *"error,paid_search,oops_error,"* ]] # the visit's place
	run --separate-stderr "$FR" --channel-by where in.csv
	[[ "$output" == *"error,site,oops_error,"* ]]
	run --separate-stderr "$FR" --channel-by nowhere in.csv
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"in.csv: no 'nowhere' column: named by --channel-by"* ]]
}

@test "funnel: eventual path, from_previous, from_first, medians; dropoff rows" {
	run --separate-stderr "$FR" --funnel 'cart=cart,checkout=^checkout$,buy=^(purchase|order)$' --output funnel "$EX"
	[ "$status" -eq 0 ]
	[ "$output" = "stage,journeys,from_previous,from_first,median_s_from_previous
cart,4,0.2667,1.0000,
checkout,4,1.0000,1.0000,30.0
buy,3,0.7500,0.7500,40.0" ]
	run --separate-stderr "$FR" --channel-by source --funnel 'cart=cart,checkout=^checkout$,buy=^(purchase|order)$' "$EX"
	# p3 reached checkout in the app and did not buy; listed with dead ends
	[ "$(row dropoff buy "$output")" = "dropoff,app,buy,,1,0.2500,,,1.0,,0,p3:1" ]
	[[ "$output" != *"dropoff,"*",cart,"* ]] # no drop-off before the first stage
	# stages out of order are not reached: buy before cart
	printf 'ts,person,channel,event,journey,session,step\n' >in.csv
	printf '2026-10-01T10:00:00.000Z,a,web,purchase,a:1,1,1\n' >>in.csv
	printf '2026-10-01T10:00:10.000Z,a,web,cart,a:1,1,2\n' >>in.csv
	run --separate-stderr "$FR" --funnel 'cart=cart,buy=purchase' --output funnel in.csv
	[ "${lines[1]}" = "cart,1,1.0000,1.0000," ]
	[ "${lines[2]}" = "buy,0,0.0000,0.0000," ]
}

# 40 journeys with an error at checkout (10 convert) and 40 without (30
# convert); 2 loops; persons q1..q80.
many() {
	echo ts,person,channel,event,journey,session,step
	for i in $(seq 1 80); do
		p=q$i
		echo "2026-10-01T10:00:00.000Z,$p,web,checkout,$p:1,1,1"
		if [ "$i" -le 40 ]; then
			echo "2026-10-01T10:00:10.000Z,$p,web,payment_error,$p:1,1,2"
			[ "$i" -le 10 ] && echo "2026-10-01T10:00:20.000Z,$p,web,purchase,$p:1,1,3"
		else
			[ "$i" -le 70 ] && echo "2026-10-01T10:00:20.000Z,$p,web,purchase,$p:1,1,2"
		fi
	done
	for i in 1 2 3; do echo "2026-10-02T10:00:0$i.000Z,r1,web,retry,r1:1,1,$i"; done
	for i in 1 2 3; do echo "2026-10-02T10:00:0$i.000Z,r2,web,retry,r2:1,1,$i"; done
}

@test "impact = journeys x (conv_without - conv_with); z; --min-journeys ranks" {
	many >in.csv
	run --separate-stderr "$FR" in.csv
	[ "$status" -eq 0 ]
	# 40 x (30/40 - 10/40) = 20; p = .5, se = sqrt(.25 * 2/40) = .0791
	[ "${lines[1]}" = "error,web,payment_error,,40,0.5000,0.2500,0.7500,20.0,4.47,1,q1:1" ]
	run --separate-stderr "$FR" --min-journeys 41 in.csv
	[ "${lines[1]}" = "error,web,payment_error,,40,0.5000,0.2500,0.7500,20.0,4.47,0,q1:1" ]
	# unranked behavioural rows come before dead ends whatever their impact
	[[ "${lines[2]}" == loop,web,retry,* ]]
	[[ "${lines[3]}" == dead_end,web,payment_error,* ]]
	# --top
	run --separate-stderr "$FR" --top 1 in.csv
	[ "${#lines[@]}" -eq 2 ]
	run --separate-stderr "$FR" --top 0 in.csv
	[ "$output" = "signal,channel,step,group,journeys,share,conv_with,conv_without,impact,z,ranked,example" ]
}

@test "--error, --conversion, --loop-min, --assisted, the windows" {
	many >in.csv
	run --separate-stderr "$FR" --error 'nomatch' in.csv
	[[ "$output" != *payment_error* || "$output" != error,* ]]
	[ -z "$(row error payment_error "$output")" ]
	run --separate-stderr "$FR" --loop-min 4 in.csv
	[ -z "$(row loop retry "$output")" ]
	# a conversion regex that matches nothing: nobody converts
	run --separate-stderr "$FR" --conversion '^never$' in.csv
	[[ "$stderr" == *"82 journeys, 0 converted"* ]]
	# p5 called twice 26 h apart
	run --separate-stderr "$FR" --channel-by source --repeat-window 1d "$EX"
	[ -z "$(row repeat_contact unresolved "$output")" ]
	run --separate-stderr "$FR" --channel-by source --assisted chat "$EX"
	[ -z "$(row repeat_contact unresolved "$output")" ]
	[ -z "$(row channel_switch checkout_error "$output")" ]
	# p1 called 1 h 58 m after the error page
	run --separate-stderr "$FR" --channel-by source --switch-window 1h "$EX"
	[ -z "$(row channel_switch checkout_error "$output")" ]
	run --separate-stderr "$FR" --channel-by source --switch-window 2h "$EX"
	[ -n "$(row channel_switch checkout_error "$output")" ]
}

@test "a repeat contact in the person's next journey counts; a sale is not a repeat" {
	cat >in.csv <<'X'
ts,person,channel,event,journey,session,step
2026-10-01T10:00:00.000Z,a,call_center,unresolved,a:1,1,1
2026-10-01T12:00:00.000Z,a,store,purchase,a:1,2,2
2026-10-02T10:00:00.000Z,a,call_center,resolved,a:2,1,1
2026-10-05T10:00:00.000Z,b,call_center,unresolved,b:1,1,1
2026-10-05T12:00:00.000Z,b,call_center,order,b:1,2,2
X
	run --separate-stderr "$FR" in.csv
	[ "$status" -eq 0 ]
	# a: the next service contact is in a:2, within 7 days; b's second call
	# sold.  Both unresolved calls convert within 7 days, a's resolved one
	# not: with a's first call 1/1, without 1/2
	[ "$(row repeat_contact unresolved "$output")" = "repeat_contact,call_center,unresolved,with=repeated repeat_rate=0.500/0.000,1,0.3333,1.0000,0.5000,-0.5,-0.87,0,a:1" ]
	[[ "$stderr" == *"repeat-contact rate 33.3% (1 of 3 service contacts"* ]]
}

# u1-u3: an unresolved call, a resolved one a day later; u1 buys on day 2.
# u4: an unresolved call, a purchase on day 10.  r1-r4: a resolved call,
# r1 and r2 buy the next day.
outcome_world() {
	echo 'ts,person,channel,event,journey,session,step'
	for i in 1 2 3 4; do
		echo "2026-10-01T10:00:00.000Z,u$i,call_center,unresolved,u$i:1,1,1"
		[ $i -lt 4 ] && echo "2026-10-02T10:00:00.000Z,u$i,call_center,resolved,u$i:1,2,2"
		[ $i -eq 1 ] && echo "2026-10-03T10:00:00.000Z,u$i,web,purchase,u$i:1,3,3"
		[ $i -eq 4 ] && echo "2026-10-11T10:00:00.000Z,u$i,web,purchase,u$i:1,2,2"
	done
	for i in 1 2 3 4; do
		echo "2026-10-01T10:00:00.000Z,r$i,call_center,resolved,r$i:1,1,1"
		[ $i -le 2 ] && echo "2026-10-02T10:00:00.000Z,r$i,web,purchase,r$i:1,2,2"
	done
	return 0
}

@test "an outcome repeated more than the place's others exposes all its contacts; the outcome window" {
	outcome_world >in.csv
	run --separate-stderr "$FR" --min-journeys 1 in.csv
	[ "$status" -eq 0 ]
	# unresolved repeated 3/4, the other calls 0/7: p = 3/11, z = 0.75 /
	# sqrt(3/11 * 8/11 * (1/4 + 1/7)) = 2.69: all 4 unresolved calls are
	# the exposures with it, u1's converts within 7 days (u4's too late):
	# 1/4; without, the 7 resolved calls: u1's follow-up, r1, r2: 3/7;
	# impact 4 (3/7 - 1/4) = 0.71; z = (5/28) / sqrt(4/11 * 7/11 * 11/28)
	[ "$(row repeat_contact unresolved "$output")" = "repeat_contact,call_center,unresolved,with=outcome repeat_rate=0.750/0.000,4,0.3636,0.2500,0.4286,0.7,0.59,1,u1:1" ]
	# no resolved call was repeated
	[ -z "$(row repeat_contact resolved "$output")" ]
	[[ "$stderr" == *"repeat-contact rate 27.3% (3 of 11 service contacts"* ]]
	# a 10-day window: u4's purchase counts, 2/4; u1's follow-up, r1, r2
	# still 3/7; impact 4 (3/7 - 1/2) = -0.29
	run --separate-stderr "$FR" --min-journeys 1 --repeat-window 10d in.csv
	[ "$(row repeat_contact unresolved "$output")" = "repeat_contact,call_center,unresolved,with=outcome repeat_rate=0.750/0.000,4,0.3636,0.5000,0.4286,-0.3,-0.23,1,u1:1" ]
	# a 12-hour window: no repeats, no row
	run --separate-stderr "$FR" --min-journeys 1 --repeat-window 12h in.csv
	[ -z "$(row repeat_contact unresolved "$output")" ]
}

@test "without a person column each journey stands alone" {
	cut -d, -f1,3- "$EX" >noperson.csv
	run --separate-stderr "$FR" --channel-by source noperson.csv
	[ "$status" -eq 0 ]
	[ "$(row repeat_contact unresolved "$output")" = "repeat_contact,call_center,unresolved,with=repeated repeat_rate=1.000/0.000,1,0.5000,0.0000,0.0000,0.0,0.00,0,p5:1" ]
}

@test "-o writes atomically; several inputs are read as one" {
	run --separate-stderr "$FR" -q --channel-by source -o out.csv "$EX"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ -z "$stderr" ]
	[ "$(head -1 out.csv)" = "signal,channel,step,group,journeys,share,conv_with,conv_without,impact,z,ranked,example" ]
	head -10 "$EX" >a.csv
	{ head -1 "$EX"; tail -n +11 "$EX"; } >b.csv
	"$FR" -q --channel-by source a.csv b.csv >ab.csv
	cmp out.csv ab.csv
	run "$FR" -o /nonexistent/dir/out.csv "$EX"
	[ "$status" -eq 1 ]
}

@test "bad rows are rejected with file and line; --rejects; --max-rejects" {
	cat >in.csv <<'X'
ts,person,channel,event,journey,session,step
2026-10-01T10:00:00.000Z,a,web,page_view,a:1,1,1
yesterday,a,web,page_view,a:1,1,2
,a,web,page_view,a:1,1,3
2026-10-01T10:00:03.000Z,a,web,,a:1,1,4
2026-10-01T10:00:04.000Z,a,web,page_view,,1,5
2026-10-01T10:00:05.000Z,a,web,page_view,a:1,1
X
	run --separate-stderr "$FR" --rejects rej.csv in.csv
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"in.csv:3: column 'ts': invalid time"* ]]
	[[ "$stderr" == *"in.csv:4: column 'ts': empty time"* ]]
	[[ "$stderr" == *"in.csv:5: column 'event': empty"* ]]
	[[ "$stderr" == *"in.csv:6: column 'journey': empty"* ]]
	[[ "$stderr" == *"in.csv:7: expected 7 fields, found 6"* ]]
	[[ "$stderr" == *"1 events, 5 rejected"* ]]
	[ "$(wc -l <rej.csv)" -eq 6 ]
	head -1 rej.csv | grep -qx 'file,line,reason,raw'
	run "$FR" -q --max-rejects 2 in.csv
	[ "$status" -eq 1 ]
}

@test "errors: missing columns, unordered input, bad options" {
	printf 'ts,person,channel,event,session,step\n' >nojourney.csv
	run "$FR" nojourney.csv
	[ "$status" -eq 1 ]
	[[ "$output" == *"nojourney.csv: no 'journey' column: the input must be jt-journey --output events"* ]]
	for c in ts session step event channel; do
		head -1 "$EX" | tr , '\n' | grep -vx "$c" | paste -sd, >h.csv
		run "$FR" h.csv
		[ "$status" -eq 1 ]
		[[ "$output" == *"no '$c' column"* ]] || { echo "$c: $output"; false; }
	done
	run "$FR" --slow-by version "$EX"
	[ "$status" -eq 1 ]
	[[ "$output" == *"no 'version' column: named by --slow-by"* ]]
	printf 'ts,person,channel,event,journey,session,step\n2026-10-02T00:00:00.000Z,a,web,x,a:1,1,1\n2026-10-01T00:00:00.000Z,a,web,y,a:1,1,2\n' >unordered.csv
	run "$FR" unordered.csv
	[ "$status" -eq 1 ]
	[[ "$output" == *"unordered.csv:3: time '2026-10-01T00:00:00.000Z' before the previous row's"* ]]
	bad() {
		run "$FR" "$@" "$EX"
		[ "$status" -eq 2 ] || { echo "$*: status $status"; return 1; }
		[[ "$output" == *"Try 'jt-friction --help'"* ]] || { echo "$*: $output"; return 1; }
	}
	bad --output funnel
	bad --output table
	bad --funnel cart
	bad --funnel =x
	bad --funnel 'a=('
	bad --error '('
	bad --conversion '['
	bad --loop-min 1
	bad --loop-min x
	bad --repeat-window soon
	bad --switch-window 0
	bad --slow-factor 0.5
	bad --slow-factor x
	bad --min-journeys -1
	bad --top -2
	bad --assisted '"a'
}

@test "an empty input gives the header alone" {
	: >empty.csv
	run --separate-stderr "$FR" -q empty.csv
	[ "$status" -eq 0 ]
	[ "$output" = "signal,channel,step,group,journeys,share,conv_with,conv_without,impact,z,ranked,example" ]
	printf 'ts,person,channel,event,journey,session,step\n' >header.csv
	run --separate-stderr "$FR" header.csv
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "$stderr" == *"0 events, 0 rejected; 0 journeys"* ]]
}

@test "a closed stdout ends quietly" {
	many >in.csv
	run bash -c "'$FR' -q in.csv | head -1"
	[ "$status" -eq 0 ]
	[ "$output" = "signal,channel,step,group,journeys,share,conv_with,conv_without,impact,z,ranked,example" ]
}

@test "quality: on a 20,000-person jt-gen world the four frictions are in the top 8, impacts within 2x of the truth" {
	[ -x "$JT_BIN/jt-journey" ] || skip "jt-journey is not built"
	jt-gen -q --persons 20000 --seed 1 --out world
	jt-gen -q --events --persons 20000 --seed 1 -o events.csv
	jt-journey --output events events.csv >journeys.csv
	"$FR" -q --channel-by source --slow-by app_version -o friction.csv journeys.csv
	awk -F, -f "$JT_ROOT/scripts/bench/friction-quality.awk" world/truth/frictions.csv friction.csv >q.txt
	cat q.txt
	grep -qx 'recall 4/4' q.txt
	grep -qx 'within2 4/4' q.txt
	# each of the four, ranked in the top 8, its impact over the truth in
	# [0.5, 2]; the unresolved call is its own row of the truth
	for k in checkout_error login_loop unresolved_call slow_payment; do
		awk -v k=$k '$1 == k && $2 == "rank" { f = 1; exit !($3 <= 8 && $NF >= 0.5 && $NF <= 2) }
			END { if (!f) exit 1 }' q.txt ||
			{ echo "$k: not in the top 8 or impact not within 2x"; false; }
	done
}
