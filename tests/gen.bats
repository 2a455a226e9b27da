#!/usr/bin/env bats
# jt-gen: determinism, the truth files against the exports, the ingest
# script's round trip, events mode against the ingested exports, errors.

load helper
bats_require_minimum_version 1.5.0

GEN="$JT_BIN/jt-gen"
COLS="$JT_ROOT/tests/lib/csvcols.awk"
IDS=id_user,id_email,id_phone,id_loyalty,id_device,id_cookie
COMMON=ts,$IDS,channel,event,value,source,record

# A small world in w/, ingested into ev/.
world() {
	"$GEN" -q --persons "${1:-300}" --seed "${2:-11}" --out w "${@:3}"
	JT_INGEST="$JT_BIN/jt-ingest" sh w/ingest.sh ev 2>ingest.err
}

# Prints column $2 of truth/summary.csv row $1.
summary() {
	awk -F, -v m="$1" '$1 == m { print $2 }' w/truth/summary.csv
}

@test "same arguments, same bytes; another seed, another world" {
	"$GEN" -q --persons 200 --seed 5 --out a
	"$GEN" -q --persons 200 --seed 5 --out b
	diff -r a b
	"$GEN" -q --persons 200 --seed 6 --out c
	! cmp -s a/web.jsonl c/web.jsonl
	"$GEN" -q --persons 200 --seed 5 --gzip --out d
	"$GEN" -q --persons 200 --seed 5 --gzip --out e
	diff -r d e
	cmp <(zcat d/web.jsonl.gz) a/web.jsonl
}

@test "a person is the same whatever the size of the world" {
	"$GEN" -q --events --persons 40 --seed 3 -o small.csv
	"$GEN" -q --events --persons 400 --seed 3 -o big.csv
	grep ',P00000007,' small.csv >p7a
	grep ',P00000007,' big.csv >p7b
	[ -s p7a ]
	cmp p7a p7b
}

@test "ingest.sh reads every record of every export, none rejected" {
	world 300
	[ "$(grep -c ' 0 rejected' ingest.err)" -eq 7 ]
	for s in web:web app:app email:email call_center:calls chat:chat store:store crm:crm; do
		src=${s%%:*} file=${s#*:}
		n=$(($(wc -l <"ev/$file.csv") - 1))
		[ "$n" -eq "$(summary "records_$src")" ] ||
			{ echo "$src: $n events, truth $(summary "records_$src")"; false; }
		# the same record ids as the truth
		cmp <(awk -v COLS=record -f "$COLS" "ev/$file.csv" | sort) \
			<(awk -F, -v s="$src" 'NR > 1 && $1 == s { print $2 }' w/truth/records.csv | sort)
	done
}

@test "events mode writes what ingest.sh makes of the exports" {
	world 300
	"$GEN" -q --events --persons 300 --seed 11 -o events.csv
	head -1 events.csv | grep -q '^ts,person,id_user,'
	awk -v COLS="$COMMON" -f "$COLS" events.csv | sort >a
	# the account table is identity links, not events: not in events mode
	for f in ev/*.csv; do
		[ "$f" = ev/crm.csv ] || awk -v COLS="$COMMON" -f "$COLS" "$f"
	done | sort >b
	[ "$(wc -l <a)" -gt 1000 ]
	diff a b
}

@test "truth/records.csv: the right line of each export, the right person" {
	world 300
	"$GEN" -q --events --persons 300 --seed 11 -o events.csv
	# each record id is on its line of its export
	for s in web:web.jsonl app:app-gateway.log email:esp-events.csv \
		call_center:callcenter.csv chat:chat.csv store:pos.tsv crm:crm-accounts.csv; do
		src=${s%%:*} file=${s#*:}
		awk -F, -v s="$src" 'NR > 1 && $1 == s { print $3, $2 }' w/truth/records.csv >want
		awk 'NR == FNR { id[$1] = $2; next } (FNR in id) && index($0, id[FNR]) { n++ }
			END { print n + 0 }' want "w/$file" >found
		[ "$(cat found)" -eq "$(wc -l <want)" ] ||
			{ echo "$src: $(cat found) of $(wc -l <want)"; false; }
	done
	# the person of each record is the person events mode gives it
	awk -v COLS=source,record,person -f "$COLS" events.csv | sort >a
	awk -F, 'NR > 1 && $1 != "crm" { print $1 "," $2 "," $4 }' w/truth/records.csv | sort >b
	diff a b
	# an account row is its person's account
	awk -F, 'NR == FNR { if ($1 == "id_user") p[$2] = $3; next }
		$1 == "crm" && p[$2] != $4 { bad++ } END { exit bad > 0 }' \
		w/truth/identifiers.csv w/truth/records.csv
}

@test "truth/identifiers.csv holds every identifier the events carry" {
	world 300
	"$GEN" -q --events --persons 300 --seed 11 -o events.csv
	awk -F, 'NR > 1 { print $1 "," $2 "," $3 }' w/truth/identifiers.csv | sort -u >known
	awk -F, '$4 == "junk" { print $1 "," $2 }' w/truth/identifiers.csv >junk
	grep -q '^id_email,noreceipt@shop.example$' junk
	grep -q '^id_loyalty,LC9999999999$' junk
	awk -F, 'NR > 1 { print $1 "," $2 }' w/truth/identifiers.csv | grep -c . >/dev/null
	# every (type, value, person) of the events, junk aside, is known
	awk -v COLS="person,$IDS" -f "$COLS" events.csv |
		awk -F, -v t="$IDS" 'BEGIN { split(t, n, ",") }
			{ for (i = 2; i <= 7; i++) if ($i != "") print n[i - 1] "," $i "," $1 }' |
		sort -u >seen
	grep -v -F -f <(sed 's/$/,/' junk) seen >seen.personal || true
	comm -23 seen.personal known >unknown
	[ ! -s unknown ] || { head unknown; false; }
	# household cookies belong to two persons
	[ "$(awk -F, '$4 == "household"' w/truth/identifiers.csv | wc -l)" -eq \
		$((2 * $(summary households))) ]
}

@test "truth/channels.csv: the touches seen in the exports" {
	world 400
	for ch in direct organic_search paid_search display paid_social organic_social affiliate referral email; do
		seen=$(awk -v COLS=channel,event -f "$COLS" ev/web.csv | grep -c "^$ch,page_view$" || true)
		truth=$(awk -F, -v c="$ch" '$1 == c { print $3 }' w/truth/channels.csv)
		[ "$seen" -eq "$truth" ] || { echo "$ch: $seen landings, truth $truth"; false; }
	done
	[ "$(grep -c ',app,session,' ev/app.csv)" -eq "$(awk -F, '$1 == "app" { print $3 }' w/truth/channels.csv)" ]
	[ "$(($(wc -l <ev/calls.csv) - 1))" -eq "$(awk -F, '$1 == "call_center" { print $3 }' w/truth/channels.csv)" ]
	[ "$(($(wc -l <ev/chat.csv) - 1))" -eq "$(awk -F, '$1 == "chat" { print $3 }' w/truth/channels.csv)" ]
	# a store visit is seen only when it sells
	[ "$(($(wc -l <ev/store.csv) - 1))" -eq "$(awk -F, '$1 == "store" { print $4 }' w/truth/channels.csv)" ]
	# conversions in the exports: purchases, app orders, phone orders
	conv=$(cat ev/[!c]*.csv ev/calls.csv | awk -F, '/,(purchase|order),/' | wc -l)
	[ "$conv" -eq "$(summary conversions)" ]
	# removal effects are fractions, and the attributed credit sums to the total
	awk -F, 'NR > 1 && ($6 < -0.2 || $6 > 1) { exit 1 } NR > 1 { s += $7 }
		END { exit (s - c > 0.5 || c - s > 0.5) }' c="$(summary conversions)" w/truth/channels.csv
}

@test "truth/frictions.csv: occurrences seen in the exports" {
	world 2000 4
	occ() { awk -F, -v f="$1" '$1 == f { print $4 }' w/truth/frictions.csv; }
	[ "$(grep -c ',checkout_error,' ev/web.csv)" -eq "$(occ checkout_error)" ]
	[ "$(occ checkout_error)" -gt 0 ]
	# unresolved contacts, one truth row per channel
	[ "$(grep -c ',unresolved,' ev/calls.csv)" -eq "$(occ unresolved_call)" ]
	[ "$(awk -v COLS=resolved -f "$COLS" ev/chat.csv | grep -c '^no$')" -eq "$(occ unresolved_chat)" ]
	[ "$(occ unresolved_call)" -gt 0 ]
	[ "$(occ unresolved_chat)" -gt 0 ]
	# their repeat calls: the follow-ups the call center logged
	extra() { awk -F, -v f="$1" '$1 == f { print $9 }' w/truth/frictions.csv; }
	[ $(($(extra unresolved_call) + $(extra unresolved_chat))) -eq "$(grep -c ',follow-up,' ev/calls.csv)" ]
	[ "$(awk -v COLS=event,app_version -f "$COLS" ev/app.csv | grep -c '^payment,5.2.0$')" -eq "$(occ slow_payment)" ]
	# a login loop is a run of 3 or more login pages of one person
	"$GEN" -q --events --persons 2000 --seed 4 -o events.csv
	loops=$(awk -v COLS=person,ts,event -f "$COLS" events.csv | sort -t, -k1,1 -k2,2 |
		awk -F, '{ if ($1 == p && $3 == "login_page") run++; else { if (run >= 3) n++; run = ($3 == "login_page") }
			p = $1 } END { if (run >= 3) n++; print n + 0 }')
	[ "$loops" -eq "$(occ login_loop)" ]
	# the slow step is slow: checkout to payment on 5.2.0
	awk -v COLS=id_device,ts,event,app_version -f "$COLS" ev/app.csv | sort -t, -k1,1 -k2,2 |
		awk -F, '$3 == "checkout" { t = $2; d = $1 } $3 == "payment" && $1 == d {
			split(substr(t, 12, 8), a, ":"); split(substr($2, 12, 8), b, ":")
			s = (b[1] - a[1]) * 3600 + (b[2] - a[2]) * 60 + b[3] - a[3]
			if ($4 == "5.2.0" && s < 30 && s >= 0) bad++; if ($4 != "5.2.0" && s > 9) bad++ }
			END { exit bad > 0 }'
}

@test "the README describes every file of the world" {
	"$GEN" -q --persons 50 --out w
	for f in $(cd w && find . -type f ! -name README | sed 's|^\./||'); do
		grep -qF "$f" w/README || { echo "README does not mention $f"; false; }
	done
	grep -q "^jt-gen --persons 50 --seed 1 --days 30 --start 2026-10-01$" w/README
}

@test "testdata/world is what jt-gen makes" {
	"$GEN" -q --persons 2000 --seed 1 --gzip --out w
	for f in $(cd "$TD/world" && find . -type f | sed 's|^\./||'); do
		case $f in
		*.gz) cmp <(zcat "$TD/world/$f") <(zcat "w/$f") ;;
		*) cmp "$TD/world/$f" "w/$f" ;;
		esac || { echo "$f differs: run 'make world'"; false; }
	done
	[ "$(cd w && find . -type f | wc -l)" -eq "$(cd "$TD/world" && find . -type f | wc -l)" ]
}

@test "usage errors: status 2, nothing written" {
	run "$GEN" --persons 10
	[ "$status" -eq 2 ]
	[[ "$output" == *"--out DIR"* ]]
	run "$GEN" --persons 0 --out w
	[ "$status" -eq 2 ]
	run "$GEN" --persons ten --out w
	[ "$status" -eq 2 ]
	run "$GEN" --start 2026-13-01 --out w
	[ "$status" -eq 2 ]
	run "$GEN" --days 0 --out w
	[ "$status" -eq 2 ]
	run "$GEN" --out w extra
	[ "$status" -eq 2 ]
	[ ! -e w ]
}

@test "an existing folder is kept unless --force, which replaces it whole" {
	mkdir w
	echo mine >w/keep
	run "$GEN" -q --persons 10 --out w
	[ "$status" -eq 1 ]
	[[ "$output" == *"w: exists (--force replaces it)"* ]]
	[ "$(cat w/keep)" = mine ]
	"$GEN" -q --persons 10 --out w --force
	[ ! -e w/keep ]
	[ -f w/truth/summary.csv ]
	[ -z "$(ls -d w.tmp-* w.old-* 2>/dev/null)" ]
}

@test "a failed or interrupted run leaves no half world" {
	mkdir ro && chmod 555 ro
	if [ "$(id -u)" -ne 0 ]; then
		run "$GEN" -q --persons 10 --out ro/w
		[ "$status" -eq 1 ]
		[ -z "$(ls ro)" ]
	fi
	"$GEN" -q --persons 3000000 --out big &
	pid=$!
	sleep 0.5
	kill -TERM $pid
	wait $pid || true
	[ ! -e big ]
	[ -z "$(ls -d big.tmp-* 2>/dev/null)" ]
}

@test "--events: to stdout or a file, gzip on request" {
	"$GEN" -q --events --persons 30 >a.csv
	"$GEN" -q --events --persons 30 -o b.csv
	cmp a.csv b.csv
	"$GEN" -q --events --persons 30 --gzip -o c.csv.gz
	cmp a.csv <(zcat c.csv.gz)
	run --separate-stderr "$GEN" --events --persons 30 -o d.csv
	[[ "$stderr" == "jt-gen: 30 persons, "*" touches, "*" conversions"* ]]
}
