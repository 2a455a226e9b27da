#!/bin/sh
# scripts/demo.sh BINDIR: runs the pipeline on the bundled sample exports
# (testdata/ingest: a web tag's JSON lines, an access log, an e-mail
# platform's CSV, a call-center export, a point-of-sale file) and writes
# the results into demo-out/.  Steps whose tool is not built yet are
# skipped with a note, so the demo grows with the suite.
set -eu
BIN=$(cd "${1:-build/bin}" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
IN="$ROOT/testdata/ingest"
OUT="$ROOT/demo-out"
PATH="$BIN:$PATH"
export PATH
mkdir -p "$OUT"
note() { echo "demo: $*"; }
have() { [ -x "$BIN/$1" ]; }

note "tools built: $(cd "$BIN" && ls | tr '\n' ' ')"
note "1. jt-ingest: every silo's export to events (demo-out/*.events.csv)"
jt-ingest -f jsonl --channels web --keep '' --rejects "$OUT/web.rejects.csv" \
	--map ts=timestamp,id_cookie=anonymous_id,id_user=user_id,event=event \
	--map utm_source=context.campaign.source,utm_medium=context.campaign.medium \
	--map url=context.page.url,referrer=context.page.referrer,value=properties.revenue \
	-o "$OUT/web.events.csv" "$IN/web.jsonl"
jt-ingest -f combined --channels web --site shop.example.com \
	--set event=request --map id_user=user --keep method,url,status \
	--rejects "$OUT/app.rejects.csv" -o "$OUT/app.events.csv" "$IN/access.log"
jt-ingest --map 'ts=sent_at,id_email=Email Address' --set channel=email \
	-o "$OUT/email.events.csv" "$IN/email.csv"
jt-ingest -d ';' --map 'ts=Start (local),id_phone=Caller' \
	--ts-format '%m/%d/%Y %H:%M' --tz America/New_York --phone-country 1 \
	--set channel=call_center,event=call --rejects "$OUT/calls.rejects.csv" \
	-o "$OUT/calls.events.csv" "$IN/calls.csv"
jt-ingest --map id_loyalty=loyalty_card,id_email=email,value=total \
	--set channel=store,event=purchase -o "$OUT/pos.events.csv" "$IN/pos.csv"
for f in "$OUT"/*.events.csv; do
	printf '  %-18s %s events\n' "$(basename "$f")" "$(($(wc -l <"$f") - 1))"
done
# One stream over the union of the silos' columns (jt-events(5)); count
# touches per channel (empty = internal navigation, resolved by jt-journey).
jt-ingest -q --keep '' -o "$OUT/all.events.csv" "$OUT"/app.events.csv \
	"$OUT"/calls.events.csv "$OUT"/email.events.csv "$OUT"/pos.events.csv \
	"$OUT"/web.events.csv
note "events by channel, all silos (demo-out/all.events.csv):"
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "channel") c = i; next }
	{ n[$c == "" ? "(internal)" : $c]++ }
	END { for (k in n) printf "  %-18s %d\n", k, n[k] }' "$OUT/all.events.csv" | sort
for step in stitch journey attribute friction plot; do
	have "jt-$step" || note "jt-$step: not built yet (a later step of the plan)"
done
note "done: results in demo-out/"
