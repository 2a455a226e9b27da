#!/usr/bin/env bats
# jt-plot: every chart renders a valid image of the requested size, the
# format follows the flags or the extension, --script prints the script
# that would run, and every error path (usage, missing column, bad values,
# empty input, gnuplot missing or failing) has its message and status.

load helper
bats_require_minimum_version 1.5.0

PL="$JT_BIN/jt-plot"
P="$TD/plot"

# hex bytes of file $1: $3 bytes from offset $2
bytes() { od -An -tx1 -j"$2" -N"$3" "$1" | tr -d ' \n'; }

# png_ok FILE W H: a complete PNG (signature, IHDR first, IEND last) of W x H
png_ok() {
	[ "$(bytes "$1" 0 8)" = 89504e470d0a1a0a ] || { echo "$1: not a PNG"; return 1; }
	[ "$(bytes "$1" 12 4)" = 49484452 ] || { echo "$1: no IHDR"; return 1; }
	local size w h
	size=$(wc -c <"$1")
	[ "$(bytes "$1" $((size - 12)) 12)" = 0000000049454e44ae426082 ] ||
		{ echo "$1: no IEND at the end"; return 1; }
	w=$((0x$(bytes "$1" 16 4)))
	h=$((0x$(bytes "$1" 20 4)))
	[ "$w" = "$2" ] && [ "$h" = "$3" ] || { echo "$1: ${w}x$h, want $2x$3"; return 1; }
}

# svg_ok FILE W H: well-formed XML whose root is an svg of W x H
svg_ok() {
	[ -x "$(command -v xmllint)" ] || skip "xmllint (libxml2-utils) not installed"
	xmllint --noout "$1" || { echo "$1: not well-formed XML"; return 1; }
	[ "$(xmllint --xpath 'name(/*)' "$1")" = svg ]
	[ "$(xmllint --xpath 'string(/*/@width)' "$1")" = "$2" ]
	[ "$(xmllint --xpath 'string(/*/@height)' "$1")" = "$3" ]
}

@test "attribution: grouped bars, every model, a PNG of the requested size" {
	run --separate-stderr "$PL" attribution --width 800 --height 500 -o a.png "$P/attribution.csv"
	[ "$status" -eq 0 ]
	png_ok a.png 800 500
	[ "$stderr" = "jt-plot: attribution: 65 rows, 0 rejected; wrote a.png" ]
	"$PL" attribution --script "$P/attribution.csv" >a.gp
	# one bar per model, in the input's order, each its model colour
	[ "$(grep -c 'with boxxyerror' a.gp)" -eq 5 ]
	grep -q "title 'first', \\\\$" a.gp
	grep -q "lc rgb '#4e79a7' title 'markov'" a.gp
	# channels sorted by their total over the models: organic_search first
	sed -n '/^\$attribution << EOD/,/^EOD/p' a.gp | sed -n 3p | grep -q '^"organic_search" '
	grep -q "^set ytics ('organic_search' 0, 'paid_search' 1, 'direct' 2," a.gp
	grep -q "^set xlabel 'conversions credited'" a.gp
	grep -q "^set ylabel 'channel'" a.gp
}

@test "attribution with lo,hi: error bars; a single model takes the channels' colours" {
	"$PL" -q attribution -o ci.png <"$P/attribution-ci.csv"
	png_ok ci.png 1000 600
	"$PL" attribution --script <"$P/attribution-ci.csv" >ci.gp
	grep -q 'with xerrorbars' ci.gp
	# value, lo, hi, then paid_search's own colour (0x1f77b4)
	grep -qx '"paid_search" 142.4179 112.0104 172.8255 2062260' ci.gp
	grep -q 'lc rgb variable' ci.gp
	# without intervals, no error bars
	"$PL" attribution --script <"$P/attribution.csv" >noci.gp
	! grep -q xerrorbars noci.gp
}

@test "attribution --measure value and share; --top adds up the rest" {
	"$PL" attribution --measure value --top 3 --script <"$P/attribution.csv" >v.gp
	grep -q "^set xlabel 'value credited'" v.gp
	grep -q '^"(other 10 channels)" ' v.gp
	[ "$(sed -n '/^\$attribution << EOD/,/^EOD/p' v.gp | grep -c '^"')" -eq 4 ]
	"$PL" attribution --measure share --script <"$P/attribution-ci.csv" >s.gp
	grep -q "^set xlabel 'share of conversions (%)'" s.gp
	# 0.189638 as a percentage; no intervals for a share
	grep -qx '"paid_search" 18.9638 2062260' s.gp
}

@test "attribution --models: only the listed models, a warning for one without rows" {
	run --separate-stderr "$PL" attribution --models shapley,markov,nope --script "$P/attribution.csv"
	[ "$status" -eq 0 ]
	[ "${stderr_lines[0]}" = "jt-plot: warning: $P/attribution.csv: no row of model 'nope'" ]
	[ "${stderr_lines[1]}" = "jt-plot: attribution: 26 rows, 0 rejected; script written" ]
	echo "$output" >m.gp
	grep -qx 'K = 2' m.gp
	grep -qx '# channel markov shapley colour' m.gp
	! grep -q "title 'first'" m.gp
	run "$PL" paths --models markov "$P/paths.csv"
	[ "$status" -eq 2 ]
	[[ "$output" == "jt-plot: --models is for the attribution chart"* ]]
}

@test "paths from a path table: journeys are conversions + null, top N, PNG" {
	"$PL" -q paths -o p.png --width 1200 --height 900 "$P/paths.csv"
	png_ok p.png 1200 900
	"$PL" -q paths -o p.png "$P/paths.csv"
	png_ok p.png 1000 660
	"$PL" paths --top 3 --script "$P/paths.csv" >p.gp
	grep -q "^set title 'Top 3 paths by journeys'" p.gp
	# direct: 43 conversions + 377 null = 420 journeys, 10.2% converted
	grep -qx '"direct" 420 43 10.2381 "  420 journeys, 10.2% converted"' p.gp
	[ "$(sed -n '/^\$paths << EOD/,/^EOD/p' p.gp | grep -c '^"')" -eq 3 ]
	# the long path is shortened, its steps kept whole, its full text kept
	"$PL" paths --top 200 --script "$P/paths.csv" >all.gp
	grep -q '^"paid_search > email > ... > email (12 steps)" 3 1 ' all.gp
	grep -q '^# paid_search > email > email > direct > organic_search' all.gp
}

@test "paths from variants: detected by the header, loose column names, the median" {
	"$PL" -q paths -o v.png --width 640 --height 480 "$P/variants.csv"
	png_ok v.png 640 480
	"$PL" paths --top 1 --script "$P/variants.csv" >v.gp
	grep -qx '"direct" 420 43 10.2381 "  420 journeys, 10.2% converted, median 0s"' v.gp
	# a rate column under another name, no conversions column
	printf 'path,count,rate_converted,median_s\nweb > app,200,0.25,3700\n' >loose.csv
	"$PL" paths --script loose.csv >l.gp
	grep -qx '"web > app" 200 50 25.0000 "  200 journeys, 25.0% converted, median 1h 1m"' l.gp
}

@test "paths tables are mergeable: the rows of several inputs add up" {
	printf 'path,total_conversions,total_conversion_value,total_null\na > b,1,10,4\n' >p1.csv
	printf 'path,total_null,total_conversions\na > b,5,2\nc,1,0\n' >p2.csv
	"$PL" paths --script p1.csv p2.csv >m.gp
	grep -qx '"a > b" 12 3 25.0000 "  12 journeys, 25.0% converted"' m.gp
}

@test "funnel: stages in order, shares of the previous and the first, PNG" {
	"$PL" -q funnel -o f.png --width 700 --height 350 "$P/funnel.csv"
	png_ok f.png 700 350
	"$PL" funnel --script "$P/funnel.csv" >f.gp
	grep -qx '"cart" 622 1411 44.0822 32.8753 "  622: 44.1% of previous, 32.9% of first; median 6m 52s"' f.gp
	# without the share columns they are computed from the journeys
	printf 'stage,journeys\nview,200\ncart,50\nbuy,10\n' >g.csv
	"$PL" funnel --script g.csv >g.gp
	grep -qx '"cart" 50 200 25.0000 25.0000 "  50: 25.0% of previous, 25.0% of first"' g.gp
	grep -qx '"buy" 10 50 20.0000 5.0000 "  10: 20.0% of previous, 5.0% of first"' g.gp
}

@test "friction: ranked signals by impact, then the unranked hatched; channel colours" {
	"$PL" -q friction -o fr.png --width 1400 --height 720 "$P/friction.csv"
	png_ok fr.png 1400 720
	"$PL" friction --top 8 --script "$P/friction.csv" >fr.gp
	sed -n '/^\$friction << EOD/,/^EOD/p' fr.gp | grep '^"' | cut -d'"' -f2 >order
	cat >want <<'W'
error: checkout_error (web)
channel_switch: call (call_center) [web>call_center]
repeat_contact: call (call_center)
slow_step: payment (app) [app_version=5.2.0]
loop: login_page (web)
loop: cart (web)
error: payment_failed (app)
W
	diff want order
	# drop-offs and dead ends only when asked for, after the others
	"$PL" friction --all-signals --top 8 --script "$P/friction.csv" >all.gp
	sed -n '/^\$friction << EOD/,/^EOD/p' all.gp | grep '^"' | cut -d'"' -f2 | sed -n '7,8p' >order
	printf 'dropoff: cart (web) [cart]\ndead_end: product (web)\n' >want
	diff want order
	# a report of drop-offs and dead ends only still draws them
	awk -F, 'NR == 1 || $1 == "dropoff" || $1 == "dead_end"' "$P/friction.csv" >only.csv
	"$PL" friction --script only.csv | grep -q '^"dropoff: cart (web) \[cart\]"'
	grep -q "fs pattern 4" fr.gp
	grep -q "keyentry with boxes fs solid 0.85 lc rgb '#d62728' title 'call_center'" fr.gp
	grep -q "title 'not ranked'" fr.gp
}

@test "transitions: Markov probabilities as a heat map, start first, absorbing states last" {
	"$PL" -q transitions -o t.png --width 900 --height 900 "$P/transitions.csv"
	png_ok t.png 900 900
	"$PL" transitions --script "$P/transitions.csv" >t.gp
	grep -q "^set ytics ('(start)' 0, " t.gp
	grep -q ", '(conversion)' 9, '(null)' 10) rotate by 40 right scale 0$" t.gp
	grep -q 'with boxxyerror fs solid 1 noborder fc palette' t.gp
	grep -q "^set cblabel 'transition probability'" t.gp
	# --top keeps the states with most flow between start and the end
	"$PL" transitions --top 3 --script "$P/transitions.csv" >t3.gp
	grep -q '^# --top 3: 6 other states left out' t3.gp
	[ "$(grep -c '^[0-9][0-9]* [0-9][0-9]* ' t3.gp)" -eq $((4 * 5)) ]
}

@test "transitions: a dfg (no probability) is shown as each row's share, labelled with counts" {
	"$PL" -q transitions -o d.png --height 800 "$P/dfg.csv"
	png_ok d.png 1000 800
	printf 'from,to,count,median_s,p90_s\na,b,3,10,20\na,c,1,5,9\nb,c,1500,1,2\n' >d.csv
	"$PL" transitions --script d.csv >d.gp
	grep -q "^set ytics ('a' 0, 'b' 1) scale 0" d.gp
	grep -q "^set xtics ('b' 0, 'c' 1) " d.gp
	grep -qx '0 0 0.75 16777215 "3"' d.gp
	grep -qx '1 0 0.25 2105376 "1"' d.gp
	grep -qx '0 1 0 2105376 ""' d.gp
	grep -qx '1 1 1 16777215 "1,500"' d.gp
	# a table of one row is drawn too, without a message from gnuplot
	printf 'from,to,probability\na,b,1\n' >one.csv
	run --separate-stderr "$PL" transitions -o one.png one.csv
	[ "$status" -eq 0 ]
	[ "$stderr" = "jt-plot: transitions: 1 rows, 0 rejected; wrote one.png" ]
	png_ok one.png 1000 600
}

@test "timeline: events per day (UTC) per channel, empty days as zeros, PNG" {
	"$PL" -q timeline -o tl.png --width 1600 --height 400 "$P/events.csv"
	png_ok tl.png 1600 400
	"$PL" timeline --script "$P/events.csv" >tl.gp
	sed -n '/^\$timeline << EOD/,/^EOD/p' tl.gp >data
	cat >want <<'W'
$timeline << EOD
# day seconds paid_search email (none) call_center store
2026-10-01 1790812800 1 1 1 0 0
2026-10-02 1790899200 1 1 0 1 0
2026-10-03 1790985600 0 0 0 0 0
2026-10-04 1791072000 1 0 0 0 1
EOD
W
	diff want data
	grep -q "lc rgb '#1f77b4' title 'paid_search'" tl.gp
	# several silos' files at once, --top folds the rest into (other)
	"$PL" timeline --top 2 --script "$TD"/examples/ev/web.csv "$TD"/examples/ev/email.csv >t2.gp
	grep -q "title '(other " t2.gp
}

@test "a channel has the same colour in every chart" {
	"$PL" attribution --script <"$P/attribution-ci.csv" | grep -q '^"email" .* 16744206$'
	"$PL" timeline --script "$P/events.csv" | grep -q "lc rgb '#ff7f0e' title 'email'"
	printf 'signal,channel,step,impact\nerror,email,bounce,3\n' |
		"$PL" friction --script | grep -q "lc rgb '#ff7f0e' title 'email'"
	# an unknown channel: a colour of its own, the same in two charts
	printf 'model,channel,conversions\nlast,partner_network_of_affiliates_east,2\n' >u.csv
	c=$("$PL" attribution --script u.csv | grep '^"partner_network' | awk '{print $NF}')
	printf 'ts,channel\n2026-10-01T00:00:00Z,partner_network_of_affiliates_east\n' >ue.csv
	"$PL" timeline --script ue.csv | grep -q "lc rgb '#$(printf %06x "$c")' title 'partner_network_of_affiliates_east'"
	# and its name is written in full
	"$PL" attribution --script u.csv | grep -q "^set ytics ('partner_network_of_affiliates_east' 0)"
}

@test "names with quotes, commas, spaces and UTF-8 are drawn as written" {
	cat >a.csv <<'E'
model,channel,conversions,value,share,lo,hi
markov,"o'reilly ""books""",3,30,0.3,2,4
markov,"café, Zürich",5,50,0.5,4,6
shapley,"o'reilly ""books""",2,20,0.2,1,3
shapley,"café, Zürich",6,60,0.6,5,7
E
	"$PL" attribution --script --title "Bob's \"chart\"" a.csv >a.gp
	grep -qx "set ytics ('café, Zürich' 0, 'o''reilly \"books\"' 1)" a.gp
	grep -qx "\"o'reilly 'books'\" 3 2 4 2 1 3 [0-9]*" a.gp
	grep -qx "set title 'Bob''s \"chart\"' font ',13'" a.gp
	# two models with intervals: an error bar per model
	[ "$(grep -c 'with xerrorbars' a.gp)" -eq 2 ]
	gnuplot -d a.gp >a.png 2>err
	[ ! -s err ] || { cat err; false; }
	png_ok a.png 1000 600
	"$PL" -q attribution --svg -o a.svg a.csv
	svg_ok a.svg 1000 600
	grep -q '>café, Zürich<' a.svg
}

@test "SVG: well-formed XML of the requested size, by flag or by extension" {
	"$PL" -q attribution --svg --width 900 --height 700 -o a.out "$P/attribution.csv"
	svg_ok a.out 900 700
	"$PL" -q funnel -o f.SVG "$P/funnel.csv"
	svg_ok f.SVG 1000 500
	"$PL" -q timeline --svg "$P/events.csv" >t.svg
	svg_ok t.svg 1000 600
	# an explicit format wins over the extension
	"$PL" -q paths --svg -o p.png "$P/paths.csv"
	svg_ok p.png 1000 660
}

@test "PDF by flag or extension; PNG to standard output by default" {
	"$PL" -q transitions -o t.pdf "$P/transitions.csv"
	[ "$(head -c 5 t.pdf)" = "%PDF-" ]
	"$PL" -q friction --pdf "$P/friction.csv" >f.out
	[ "$(head -c 5 f.out)" = "%PDF-" ]
	"$PL" -q funnel "$P/funnel.csv" >f.png
	png_ok f.png 1000 500
}

@test "--script: the script that would run, data inline, runnable by gnuplot" {
	run --separate-stderr "$PL" funnel --script --title "Bob's funnel" --width 700 --height 400 \
		-o out.png "$P/funnel.csv"
	[ "$status" -eq 0 ]
	[ "$stderr" = "jt-plot: funnel: 6 rows, 0 rejected; script written" ]
	echo "$output" >s.gp
	grep -qx "set title 'Bob''s funnel' font ',13'" s.gp
	grep -qx "set output 'out.png'" s.gp
	grep -q "^set terminal pngcairo size 700,400 noenhanced" s.gp
	grep -qx '$funnel << EOD' s.gp
	# no file is named but the output: the data is inline
	[ "$(grep -c "'[^']*\.\(csv\|dat\|txt\)'" s.gp)" -eq 0 ]
	[ ! -e out.png ]
	gnuplot s.gp
	png_ok out.png 700 400
	# without -o, the script's image goes to gnuplot's standard output
	"$PL" funnel --script "$P/funnel.csv" >t.gp
	! grep -q '^set output' t.gp
	gnuplot t.gp >t.png
	png_ok t.png 1000 500
}

@test "no temporary file is left behind, and the output is written atomically" {
	mkdir tmp
	TMPDIR=$PWD/tmp "$PL" -q attribution -o a.png "$P/attribution.csv"
	png_ok a.png 1000 790
	[ -z "$(ls -A tmp)" ]
	[ "$(ls -A | sort | tr '\n' ' ')" = "a.png tmp " ]
}

@test "an image is never written to a terminal, nor read from one; --script may be" {
	[ -x "$(command -v script)" ] || skip "script (util-linux) not installed"
	: >empty
	run script -qec "'$PL' funnel '$P/funnel.csv'" ts.out <empty
	[ "$status" -eq 2 ]
	grep -q "jt-plot: not writing a png image to a terminal: use -o FILE, or --script" ts.out
	run script -qec "'$PL' -q funnel --script '$P/funnel.csv'" ts2.out <empty
	[ "$status" -eq 0 ]
	grep -q '^[$]funnel << EOD' ts2.out
	# no operand and a terminal on stdin: the usage, not a hang
	run script -qec "'$PL' funnel -o f.png" ts3.out <empty
	[ "$status" -eq 2 ]
	grep -q "^Usage: jt-plot attribution|paths|funnel" ts3.out
}

@test "gnuplot missing: a clear error naming the Debian package, status 1; --script still works" {
	echo old >a.png
	run --separate-stderr env PATH=/nonexistent "$PL" attribution -o a.png "$P/attribution.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "jt-plot: gnuplot not found on PATH: install the Debian package gnuplot-nox (apt-get install gnuplot-nox), or use --script" ]
	[ "$(cat a.png)" = old ]
	[ "$(ls -A)" = a.png ]
	run --separate-stderr env PATH=/nonexistent "$PL" attribution --script "$P/attribution.csv"
	[ "$status" -eq 0 ]
	[[ "$output" == "# jt-plot attribution: "* ]]
}

@test "gnuplot failing: its messages relayed, status 1, no image left" {
	mkdir bin
	printf '#!/bin/sh\ncat >\"$0.in\"\necho "         line 12: undefined variable: foo" >&2\nexit 1\n' >bin/gnuplot
	chmod +x bin/gnuplot
	run --separate-stderr env PATH="$PWD/bin:$PATH" "$PL" funnel -o f.png "$P/funnel.csv"
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "jt-plot: gnuplot: line 12: undefined variable: foo" ]
	[ "${stderr_lines[1]}" = "jt-plot: gnuplot failed (exit status 1)" ]
	[ ! -e f.png ]
	[ "$(ls -A | tr '\n' ' ')" = "bin " ]
	# a gnuplot that succeeds without drawing anything
	printf '#!/bin/sh\ncat >\"$0.in\"\nexit 0\n' >bin/gnuplot
	run --separate-stderr env PATH="$PWD/bin:$PATH" "$PL" funnel -o f.png "$P/funnel.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "jt-plot: gnuplot wrote no image" ]
	[ ! -e f.png ]
	# one that dies before reading its input does not take jt-plot with it
	printf '#!/bin/sh\nexit 3\n' >bin/gnuplot
	run --separate-stderr env PATH="$PWD/bin:$PATH" "$PL" timeline -o t.png "$TD"/examples/ev/web.csv
	[ "$status" -eq 1 ]
	[ "$stderr" = "jt-plot: gnuplot failed (exit status 3)" ]
}

@test "usage errors: status 2 with the hint" {
	for args in "" "pie" "attribution --png --svg" "attribution -o a.jpg" \
		"attribution --width abc" "attribution --width 50" "paths --top 0" \
		"attribution --measure revenue" "paths --measure value"; do
		run "$PL" $args "$P/attribution.csv"
		[ "$status" -eq 2 ] || { echo "$args: status $status"; false; }
		[[ "$output" == *"Try 'jt-plot --help' for more information."* ]]
	done
	run "$PL" pie
	[[ "$output" == "jt-plot: unknown chart 'pie' (attribution, paths, funnel, friction, transitions or timeline)"* ]]
	run "$PL" attribution -o a.jpg "$P/attribution.csv"
	[[ "$output" == "jt-plot: cannot tell the format of 'a.jpg' from its extension: use --png, --svg or --pdf"* ]]
	run "$PL" attribution --svg --pdf "$P/attribution.csv"
	[[ "$output" == "jt-plot: --svg and --pdf: choose one format"* ]]
}

@test "a missing column names the column and what the chart reads, status 1" {
	check() {
		run --separate-stderr "$PL" "$1" --script "$2"
		[ "$status" -eq 1 ] || { echo "$1 $2: status $status"; return 1; }
		[[ "$stderr" == "$3"* ]] || { echo "$stderr"; return 1; }
	}
	check attribution "$P/paths.csv" "jt-plot: $P/paths.csv: no 'model' column: attribution reads jt-attribute's model,channel,conversions"
	check paths "$P/funnel.csv" "jt-plot: $P/funnel.csv: no 'path' column: paths reads jt-journey's"
	printf 'path,journeys\na,1\n' >p.csv
	check paths p.csv "jt-plot: p.csv: no 'total_conversions' and 'total_null' columns, nor 'count'"
	printf 'path,count,median_s\na,1,3\n' >q.csv
	check paths q.csv "jt-plot: q.csv: no 'conversions' or conversion rate column beside 'count'"
	check funnel "$P/friction.csv" "jt-plot: $P/friction.csv: no 'stage' column: funnel reads"
	check friction "$P/funnel.csv" "jt-plot: $P/funnel.csv: no 'signal' column: friction reads"
	check transitions "$P/funnel.csv" "jt-plot: $P/funnel.csv: no 'from' column: transitions reads"
	printf 'from,to,median_s\na,b,3\n' >t.csv
	check transitions t.csv "jt-plot: t.csv: no 'probability' or 'count' column"
	check timeline "$P/funnel.csv" "jt-plot: $P/funnel.csv: no 'ts' column: timeline reads events"
	printf 'model,channel,conversions,lo\nm,c,1,0\n' >l.csv
	check attribution l.csv "jt-plot: l.csv: a 'lo' column without 'hi'"
	run --separate-stderr "$PL" attribution --measure value --script "$P/attribution-ci.csv"
	[ "$status" -eq 0 ]
	printf 'model,channel,conversions\nm,c,1\n' >nv.csv
	check attribution nv.csv "jt-plot: nv.csv: no 'conversions' column" && false || true
	run --separate-stderr "$PL" attribution --measure value --script nv.csv
	[ "$status" -eq 1 ]
	[[ "$stderr" == "jt-plot: nv.csv: no 'value' column: attribution reads"* ]]
}

@test "bad values are rejected with file:line and reason; the rest is drawn" {
	cat >a.csv <<'E'
model,channel,conversions,value,share
markov,email,12.5,900,0.5
markov,app,n/a,,
markov,web,,1,0.1
,store,3,1,0.1
markov,"chat,2,1,0.1
E
	run --separate-stderr "$PL" attribution --script --rejects rej.csv a.csv
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"jt-plot: a.csv:3: column 'conversions': invalid number 'n/a'"* ]]
	[[ "$stderr" == *"jt-plot: a.csv:4: column 'conversions': empty"* ]]
	[[ "$stderr" == *"jt-plot: a.csv:5: column 'model': empty"* ]]
	[[ "$stderr" == *"jt-plot: a.csv:6: "* ]]
	[[ "$stderr" == *"jt-plot: attribution: 1 rows, 4 rejected; script written" ]]
	[[ "$output" == *'"email" 12.5 '* ]]
	[ "$(sed -n 2p rej.csv)" = 'a.csv,3,column '"'"'conversions'"'"': invalid number '"'"'n/a'"'"',"markov,app,n/a,,"' ]
	[ "$(wc -l <rej.csv)" -eq 5 ]
	run --separate-stderr "$PL" attribution --script --max-rejects 1 a.csv
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"more than 1 rejected rows; stopping"* ]]
	# out of range and malformed values of the other charts
	printf 'stage,journeys,from_previous\nview,10,1\ncart,5,50\n' >f.csv
	run --separate-stderr "$PL" funnel --script f.csv
	[[ "$stderr" == *"f.csv:3: column 'from_previous': '50' is not a fraction between 0 and 1"* ]]
	printf 'from,to,probability\na,b,1.5\na,c,-0.1\na,d,0.5\n' >t.csv
	run --separate-stderr "$PL" transitions --script t.csv
	[[ "$stderr" == *"t.csv:2: column 'probability': value out of range"* ]]
	[[ "$stderr" == *"1 rows, 2 rejected"* ]]
	printf 'signal,impact,ranked\nloop,3,maybe\n' >r.csv
	run --separate-stderr "$PL" friction --script r.csv
	[[ "$stderr" == *"r.csv:2: column 'ranked': 'maybe' is not 0 or 1"* ]]
	printf 'path,total_conversions,total_null\na,-1,3\n' >n.csv
	run --separate-stderr "$PL" paths --script n.csv
	[[ "$stderr" == *"n.csv:2: negative journeys or conversions"* ]]
	printf 'ts,channel\nyesterday,web\n,web\n2026-10-01T00:00:00Z,web\n' >e.csv
	run --separate-stderr "$PL" timeline --script e.csv
	[[ "$stderr" == *"e.csv:2: column 'ts': invalid time 'yesterday'"* ]]
	[[ "$stderr" == *"e.csv:3: column 'ts': empty"* ]]
	[[ "$stderr" == *"timeline: 1 events, 2 rejected"* ]]
}

@test "empty input: status 1; a header without rows draws 'no data'" {
	run --separate-stderr bash -c ': | "$0" attribution -o a.png' "$PL"
	[ "$status" -eq 1 ]
	[ "$stderr" = "jt-plot: warning: <stdin>: empty input
jt-plot: <stdin>: empty input: no report to plot" ]
	: >e.csv
	run --separate-stderr "$PL" -q funnel -o a.png e.csv
	[ "$status" -eq 1 ]
	[ "$stderr" = "jt-plot: e.csv: empty input: no report to plot" ]
	[ ! -e a.png ]
	head -1 "$P/friction.csv" >h.csv
	run --separate-stderr "$PL" friction -o f.png h.csv
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"jt-plot: warning: h.csv: no rows: the chart says 'no data'"* ]]
	png_ok f.png 1000 600
	for c in attribution paths funnel transitions timeline; do
		case $c in
		attribution) h=model,channel,conversions ;;
		paths) h=path,total_conversions,total_null ;;
		funnel) h=stage,journeys ;;
		transitions) h=from,to,probability ;;
		timeline) h=ts,channel ;;
		esac
		echo "$h" >e.csv
		"$PL" -q "$c" -o "$c.png" e.csv
		png_ok "$c.png" 1000 600
		"$PL" -q "$c" --script e.csv | grep -q "^set label 1 'no data'"
	done
}

@test "a gzipped report is read like any other" {
	gzip -c "$P/funnel.csv" >f.csv.gz
	cmp <("$PL" -q funnel --script f.csv.gz) <("$PL" -q funnel --script "$P/funnel.csv")
}

@test "every golden script runs in gnuplot without a message and draws an image" {
	for d in "$JT_ROOT"/tests/cases/jt-plot/*/; do
		gnuplot -d "$d/expout" >img 2>err || { echo "$d"; cat err; false; }
		[ ! -s err ] || { echo "$d"; cat err; false; }
		case $(sed -n 's/^set terminal \([a-z]*\) .*/\1/p' "$d/expout") in
		pngcairo) [ "$(bytes img 0 4)" = 89504e47 ] ;;
		svg) [ -s funnel.svg ] ;;
		pdfcairo) [ "$(head -c 5 img)" = "%PDF-" ] ;;
		*) false ;;
		esac || { echo "$d: no image"; false; }
	done
	svg_ok funnel.svg 800 450
}
