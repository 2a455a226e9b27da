#!/usr/bin/env bats
# jt-nightly: the whole pipeline on a small jt-gen world's exports
# (testdata/examples/exports), its reports and the promises of a cron job:
# atomic publishing, stable person keys, the lock, one-line failures.

load helper

EXPORTS="$TD/examples/exports"

# One night's run into reports/, once per file (the pipeline takes seconds).
night() {
	jt-nightly -q --date "${1:-2026-10-31}" "$EXPORTS" reports
}

# The header of a CSV file.
header() { head -1 "$1"; }

@test "a night publishes every report, every chart and the index" {
	run night
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ -z "$output" ]
	d=reports/2026-10-31
	for f in identity-map identity-audit events journeys paths sessions \
	    variants dfg attribution removal-effects transitions friction funnel; do
		[ -s "$d/$f.csv" ] || { echo "missing $f.csv"; false; }
	done
	for s in web app email calls chat store crm; do
		[ -s "$d/silos/$s.csv" ] || { echo "missing silos/$s.csv"; false; }
	done
	for c in attribution paths funnel friction transitions timeline; do
		[ "$(head -c 8 "$d/$c.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
			{ echo "$c.png is not a PNG"; false; }
		grep -q "src=\"$c.png\"" "$d/index.html"
	done
	for f in $(cd "$d" && find . -name '*.csv' | sed 's|^\./||'); do
		grep -qF "href=\"$f\"" "$d/index.html" || { echo "index lacks $f"; false; }
	done
	[ "$(readlink reports/latest)" = 2026-10-31 ]
	cmp reports/identity-map.csv "$d/identity-map.csv"
	# nothing half-made is left behind
	[ -z "$(find reports -name '.*tmp*')" ]
}

@test "every report has its documented header" {
	night
	d=reports/2026-10-31
	[ "$(header "$d/identity-map.csv")" = id_type,id_value,person,first_seen,last_seen ]
	[ "$(header "$d/journeys.csv")" = person,journey,start,end,touches,sessions,path,path_age_s,converted,conversions,value,duration_s ]
	[ "$(header "$d/paths.csv")" = path,total_conversions,total_conversion_value,total_null ]
	[ "$(header "$d/sessions.csv")" = person,session,channel,start,end,events,first_event,last_event ]
	[ "$(header "$d/variants.csv")" = path,count,conversions,conversion_rate,median_duration_s ]
	[ "$(header "$d/dfg.csv")" = from,to,count,median_s,p90_s ]
	[ "$(header "$d/attribution.csv")" = model,channel,conversions,value,share ]
	[ "$(header "$d/transitions.csv")" = from,to,probability,count ]
	[ "$(header "$d/friction.csv")" = signal,channel,step,group,journeys,share,conv_with,conv_without,impact,z,ranked,example ]
	[ "$(header "$d/funnel.csv")" = stage,journeys,from_previous,from_first,median_s_from_previous ]
	[[ "$(header "$d/events.csv")" == ts,person,* ]]
	[[ "$(header "$d/events.csv")" == *,journey,session,step* ]]
}

@test "the tools agree: every model credits the conversions jt-journey counted" {
	night
	d=reports/2026-10-31
	conv=$(awk -F, 'NR > 1 { n += $10 } END { print n }' "$d/journeys.csv")
	value=$(awk -F, 'NR > 1 { v += $11 } END { printf "%.2f", v }' "$d/journeys.csv")
	[ "$conv" -gt 0 ]
	# the path table sums to the same conversions
	[ "$(awk -F, 'NR > 1 { n += $(NF-2) } END { print n }' "$d/paths.csv")" -eq "$conv" ]
	models=$(awk -F, 'NR > 1 { print $1 }' "$d/attribution.csv" | sort -u)
	[ "$(echo "$models" | wc -l)" -ge 9 ]
	for m in $models; do
		[ "$m" = participation ] && continue
		awk -F, -v m="$m" -v c="$conv" -v v="$value" '
			NR > 1 && $1 == m { n += $3; x += $4; s += $5 }
			END {
				if (n < c - 1e-6 || n > c + 1e-6 || x < v - 0.01 || x > v + 0.01 ||
				    s < 1 - 1e-6 || s > 1 + 1e-6) {
					printf "%s: %s conversions, %s value, share %s (want %s, %s)\n",
					    m, n, x, s, c, v
					exit 1
				}
			}' "$d/attribution.csv"
	done
	# events: every ingested event is in events.csv or rejected by
	# jt-journey (no identifier, so no person), none lost
	ev=$(($(wc -l <"$d/events.csv") - 1))
	rej=0
	[ ! -f "$d/rejects/journey.csv" ] || rej=$(($(wc -l <"$d/rejects/journey.csv") - 1))
	in=0
	for s in web app email calls chat store; do
		in=$((in + $(wc -l <"$d/silos/$s.csv") - 1))
	done
	[ "$rej" -lt 10 ]
	[ $((ev + rej)) -eq "$in" ]
}

@test "person keys stay the same from one night to the next" {
	night 2026-10-30
	night 2026-10-31
	sort reports/2026-10-30/identity-map.csv >a
	sort reports/2026-10-31/identity-map.csv >b
	cmp a b
	[ "$(ls -d reports/2026-*)" = "$(printf 'reports/2026-10-30\nreports/2026-10-31')" ]
	[ "$(readlink reports/latest)" = 2026-10-31 ]
}

@test "a run while another holds the lock fails at once, with the reason" {
	mkdir reports
	flock reports/.jt-nightly.lock sleep 20 &
	holder=$!
	sleep 0.3
	run night
	kill $holder
	[ "$status" -eq 1 ]
	[[ "$output" == "jt-nightly: another run holds the lock "*"(log: "* ]]
	[ "${#lines[@]}" -eq 1 ]
	[ ! -e reports/2026-10-31 ]
}

@test "a failed step ends the run with one line and keeps the published report" {
	night
	before=$(ls -l reports/2026-10-31 | md5sum)
	cp -r "$EXPORTS" exports
	printf 'journey --session-gap nonsense\n' >>exports/jt-nightly.conf
	run jt-nightly -q --date 2026-10-31 exports reports
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == "jt-nightly: jt-journey --output events failed (status 2): "*"--session-gap"* ]]
	[ "$(ls -l reports/2026-10-31 | md5sum)" = "$before" ]
	[ -z "$(find reports -name '.*tmp*')" ]
	grep -q 'FAILED: jt-journey' reports/jt-nightly.log
}

@test "configuration errors name the file and line" {
	cp -r "$EXPORTS" exports
	printf '\nbogus directive\n' >>exports/jt-nightly.conf
	run jt-nightly -q exports reports
	[ "$status" -eq 1 ]
	[[ "$output" == *"exports/jt-nightly.conf:$(wc -l <exports/jt-nightly.conf): unknown directive 'bogus'"* ]]
	printf 'events web missing.csv\n' >other.conf
	run jt-nightly -q --config other.conf exports reports
	[ "$status" -eq 1 ]
	[[ "$output" == *"no such file"*"missing.csv"* ]]
	printf 'stitch --limit id_user=1\n' >none.conf
	run jt-nightly -q --config none.conf exports reports
	[ "$status" -eq 1 ]
	[[ "$output" == *"no 'events' line"* ]]
}

@test "--keep N keeps the newest N reports" {
	for d in 2026-10-28 2026-10-29 2026-10-30; do
		mkdir -p "reports/$d"
	done
	run jt-nightly -q --keep 2 --date 2026-10-31 "$EXPORTS" reports
	[ "$status" -eq 0 ]
	[ "$(ls reports | grep -c '^2026')" -eq 2 ]
	[ -d reports/2026-10-30 ] && [ -d reports/2026-10-31 ]
}

@test "usage errors: status 2 with the hint" {
	run jt-nightly
	[ "$status" -eq 2 ]
	[[ "$output" == *"expected INDIR and OUTDIR"* ]]
	run jt-nightly --date 31/10/2026 "$EXPORTS" reports
	[ "$status" -eq 2 ]
	[[ "$output" == *"--date: '31/10/2026' is not YYYY-MM-DD"* ]]
	run jt-nightly --keep two "$EXPORTS" reports
	[ "$status" -eq 2 ]
	run jt-nightly --date
	[ "$status" -eq 2 ]
	[[ "$output" == *"Try 'jt-nightly --help' for more information."* ]]
	[ ! -e reports ]
	run jt-nightly no-such-folder reports
	[ "$status" -eq 1 ]
	[[ "$output" == "jt-nightly: no-such-folder: no such folder" ]]
}

@test "make demo's pipeline runs on the bundled world and prints its summary" {
	JT_DEMO_OUT="$SCRATCH/demo" run sh "$JT_ROOT/scripts/demo.sh" "$JT_BIN"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[[ "$output" == *"b3_precision 0.99"* ]]
	[[ "$output" == *"household_pairs_merged 0"* ]]
	[[ "$output" == *"journeys,"*"conversions, revenue"* ]]
	[[ "$output" == *"top channels by Markov credit"* ]]
	# the checkout error, the world's costliest friction, is found first
	echo "$output" | grep -A1 'top friction points' | tail -1 | grep -q 'error.*checkout_error'
	for c in attribution paths funnel friction transitions timeline; do
		[ -s demo/$c.png ]
	done
	[ -s demo/identity-audit.csv ] && [ -s demo/index.html ]
}
