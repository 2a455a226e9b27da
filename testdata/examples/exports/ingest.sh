#!/bin/sh
# ingest.sh: every silo export of this jt-gen world to events of
# jt-events(5), one CSV per silo, with the options each one needs.
#
# usage: sh ingest.sh [OUTDIR]     (default: events/ next to this script)
# JT_INGEST names the jt-ingest to run (default: jt-ingest on the PATH).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/events}
ingest=${JT_INGEST:-jt-ingest}
mkdir -p "$out"

# The exports (jt-ingest reads them gzipped or not).
web="$here/web.jsonl"
app="$here/app-gateway.log"
esp="$here/esp-events.csv"
calls="$here/callcenter.csv"
chat="$here/chat.csv"
pos="$here/pos.tsv"
crm="$here/crm-accounts.csv"

# The web tag: JSON lines, ISO times in UTC, utm parameters parsed into
# context.campaign; the built-in grouping derives the channel, and hits
# whose referrer is the shop itself get none (internal navigation).
"$ingest" -f jsonl --channels web --site shop.example --source web --keep '' \
    --map ts=timestamp,id_cookie=anonymousId,id_user=userId,id_email=context.traits.email \
    --map event=event,value=properties.revenue,record=messageId \
    --map url=context.page.url,referrer=context.page.referrer \
    --map utm_source=context.campaign.source,utm_medium=context.campaign.medium \
    --map utm_campaign=context.campaign.name \
    -o "$out/web.csv" "$web"

# The app gateway: an access log with the account in the user field, the
# device and app version in the user agent, a request id at the end and
# times with the gateway's own UTC offset.
"$ingest" -f regex --source app --set channel=app --keep app_version,record \
    --regex '^\S+ \S+ (?<id_user>\S+) \[(?<ts>[^]]+)\] "[A-Z]+ /api/v2/(?<event>[a-z]+)\S*?(?:\?total=(?<value>[0-9.]+))? [^"]*" \d+ \d+ "[^"]*" "ShopApp/(?<app_version>[0-9.]+) \([^;]*; device (?<id_device>[0-9A-F-]+)\)" (?<record>\S+)$' \
    --ts-format '%d/%b/%Y:%H:%M:%S %z' \
    -o "$out/app.csv" "$app"

# The e-mail platform: epoch seconds, addresses as typed at sign-up.
"$ingest" --source email --set channel=email --keep '' \
    --map 'ts=Event Time,id_email=Email Address,event=Event Type' \
    --map 'record=Event ID,campaign=Campaign' \
    -o "$out/email.csv" "$esp"

# The call center: semicolons, CRLF, a byte order mark, 12-hour local times
# in New York and caller numbers written every which way.
"$ingest" -d ';' --source call_center --set channel=call_center --keep '' \
    --tz America/New_York --ts-format '%m/%d/%Y %I:%M:%S %p' --phone-country 1 \
    --map 'ts=Start (local),id_phone=Caller,id_user=Account,event=Disposition' \
    --map 'value=Order Amount,record=Call ID,reason=Reason,queue=Queue,agent=Agent' \
    -o "$out/calls.csv" "$calls"

# The chat desk: epoch milliseconds.
"$ingest" --source chat --set channel=chat,event=chat --keep '' \
    --map ts=started_ms,id_email=visitor_email,id_user=user_id,record=chat_id \
    --map topic=topic,resolved=resolved \
    -o "$out/chat.csv" "$chat"

# The stores' tills: tab-separated, local times in Chicago.
"$ingest" -f tsv --source store --set channel=store,event=purchase --keep '' \
    --tz America/Chicago \
    --map ts=local_time,id_loyalty=loyalty_card,id_email=email,value=total,record=receipt,store=store \
    -o "$out/store.csv" "$pos"

# The account database: not events but the links between an account and its
# e-mail, phone and loyalty card (give it to jt-stitch with --links).
"$ingest" --source crm --set event=account --keep '' --phone-country 1 \
    --map ts=created_at,id_user=account_id,id_email=email,id_phone=phone,id_loyalty=loyalty_card \
    --map record=account_id,marketing_opt_in=marketing_opt_in \
    -o "$out/crm.csv" "$crm"
