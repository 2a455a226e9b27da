#!/usr/bin/env bats
# jt-ingest: every format, option and reject reason, on real-shaped exports
# in testdata/ingest, and on the real files of ../shared/realdata.

load helper
bats_require_minimum_version 1.5.0

ING="$JT_BIN/jt-ingest"
WEBMAP=(--map ts=timestamp,id_cookie=anonymous_id,id_user=user_id,event=event
	--map utm_source=context.campaign.source,utm_medium=context.campaign.medium
	--map url=context.page.url,referrer=context.page.referrer,value=properties.revenue)

@test "jsonl: dotted paths, UTC across a DST change, channels, rejects" {
	run --separate-stderr "$ING" -q -f jsonl --channels web --keep '' "${WEBMAP[@]}" "$TD/ingest/web.jsonl"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "ts,id_cookie,id_user,channel,event,value,source,utm_source,utm_medium,url,referrer" ]
	[ "${lines[1]}" = "2026-03-08T04:58:10.120Z,c-7f3a91,,paid_search,page_view,,web,google,cpc,https://shop.example.com/?utm_source=google&utm_medium=cpc,https://www.google.com/" ]
	# internal navigation: empty channel
	[[ "${lines[2]}" == "2026-03-08T06:59:59.000Z,c-7f3a91,,,page_view,"* ]]
	[[ "${lines[4]}" == "2026-03-08T07:04:30.500Z,c-7f3a91,U-1001,,purchase,129.9,"* ]]
	[[ "${lines[5]}" == *",email,page_view,"* ]]
	[[ "${lines[6]}" == "2026-03-09T10:15:00.000Z,c-0b22e4,,organic_social,"* ]]
	[[ "${lines[7]}" == *",direct,page_view,"* ]]
	[[ "${lines[9]}" == *",referral,page_view,"* ]]
	[ "${#lines[@]}" -eq 10 ] # header + 9 rows
	[ "${#stderr_lines[@]}" -eq 3 ] # the 3 rejects
}

@test "jsonl: reject reasons with line numbers, junk ids counted in the summary" {
	run "$ING" -f jsonl --keep '' "${WEBMAP[@]}" "$TD/ingest/web.jsonl"
	[[ "$output" == *"web.jsonl:8: invalid JSON: "*" at column "* ]]
	[[ "$output" == *"web.jsonl:9: column 'timestamp': invalid time 'not a time'"* ]]
	[[ "$output" == *"web.jsonl:10: not a JSON object"* ]]
	[[ "$output" == *"jt-ingest: 12 rows read, 9 written, 3 rejected"* ]]
	[[ "$output" == *"1 junk id_user"* ]]
}

@test "jsonl without --keep: every leaf path becomes a column (first pass, stdin too)" {
	run --separate-stderr sh -c "\"$ING\" -q -f jsonl --map ts=timestamp <\"$TD/ingest/web.jsonl\""
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "ts,event,source,type,anonymous_id,user_id,context.campaign.source,"* ]]
	[[ "${lines[0]}" == *",properties.revenue,"* ]]
	[[ "${lines[1]}" == *",stdin,"* ]]
}

@test "combined log: columns, UTC, query columns, corrupt lines rejected" {
	run --separate-stderr "$ING" -f combined --query-columns --set channel=app,event=request --map id_user=user "$TD/ingest/access.log"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "ts,id_user,channel,event,source,ip,ident,method,url,protocol,status,bytes,referrer,user_agent,q_utm_source,q_utm_medium,q_gclid,q_ref,q_q,q_utm_campaign" ]]
	[[ "$output" == *"2026-03-08T07:01:02.000Z,jane,app,request,access,198.51.100.23,,POST,/api/v2/cart,HTTP/2.0,201,312,,ShopApp/4.2.1 (Android 14),,,,,,"* ]]
	[[ "$output" == *",red shoes,spring sale"* ]]
	[[ "$stderr" == *"access.log:5: not a combined log line: expected [time]"* ]]
	[[ "$stderr" == *"access.log:6: invalid time '31/Feb/2026:10:00:00 +0000'"* ]]
}

@test "clf and combined web channels with --site" {
	run --separate-stderr "$ING" -q -f combined --channels web --site shop.example.com --keep '' "$TD/ingest/access.log"
	[ "${lines[1]}" = "2026-03-08T06:58:10.000Z,paid_search,access" ]
	[ "${lines[2]}" = "2026-03-08T06:58:40.000Z,,access" ]
	[ "${lines[5]}" = "2026-03-09T10:00:00.000Z,organic_search,access" ]
	printf '%s\n' '1.2.3.4 - - [08/Mar/2026:06:58:10 +0000] "GET / HTTP/1.1" 200 51' >c.log
	run "$ING" -q -f clf --keep ip c.log
	[ "$output" = "$(printf 'ts,source,ip\n2026-03-08T06:58:10.000Z,c,1.2.3.4')" ]
	run "$ING" -f clf "$TD/ingest/access.log"
	[[ "$output" == *"access.log:1: not a common log line: text after the byte count"* ]]
}

@test "csv call-center export: ';', CRLF, BOM, local times over DST, five phone formats" {
	run --separate-stderr "$ING" -q -d ';' --map 'ts=Start (local),id_phone=Caller' --ts-format '%m/%d/%Y %H:%M' \
		--tz America/New_York --phone-country 1 --set channel=call_center,event=call "$TD/ingest/calls.csv"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "ts,id_phone,channel,event,source,Call ID,Agent,Outcome,Duration (s)" ]
	[ "${lines[1]}" = "2026-03-08T06:30:00.000Z,15550102030,call_center,call,calls,9001,A17,resolved,312" ]
	[ "${lines[2]}" = "2026-03-08T07:30:00.000Z,15550102030,call_center,call,calls,9002,A17,transferred,45" ]
	[ "${lines[3]}" = "2026-03-08T07:15:00.000Z,15550102030,call_center,call,calls,9003,A04,resolved,128" ]
	[ "${lines[4]}" = "2026-11-01T05:30:00.000Z,15550102030,call_center,call,calls,9004,A04,callback; escalated,601" ]
	[ "${lines[5]}" = "2026-11-01T14:05:00.000Z,15550107788,call_center,call,calls,9005,A09,resolved,95" ]
	[ "${lines[6]}" = "2026-11-02T15:00:00.000Z,,call_center,call,calls,9007,A01,abandoned,0" ]
}

@test "csv: the documented bad-time message, junk phone counted, rejects file" {
	run "$ING" -d ';' --map 'ts=Start (local),id_phone=Caller' --ts-format '%m/%d/%Y %H:%M' \
		--tz America/New_York --phone-country 1 --rejects rej.csv -o out.csv "$TD/ingest/calls.csv"
	[ "$status" -eq 0 ]
	[[ "$output" == *"jt-ingest: "*"calls.csv:7: column 'Start (local)': invalid time '13/45/2026 25:00'"* ]]
	[[ "$output" == *"1 junk id_phone; rows without identifier: 1"* ]]
	[[ "$(sed -n 2p rej.csv)" == *"calls.csv,7,column 'Start (local)': invalid time '13/45/2026 25:00',9006;13/45/2026 25:00;555 010 9999;A09;resolved;40" ]]
	[ "$(wc -l <out.csv)" -eq 7 ]
}

@test "csv e-mail export: epoch seconds and milliseconds, e-mails lower-cased, junk emptied" {
	run --separate-stderr "$ING" -q --map 'ts=sent_at,id_email=Email Address' --set channel=email "$TD/ingest/email.csv"
	[ "${lines[1]}" = "2026-03-08T11:00:00.000Z,jane.doe@example.com,email,email_sent,email,spring_sale,0" ]
	[ "${lines[2]}" = "2026-03-08T12:00:00.000Z,jane.doe@example.com,email,email_open,email,spring_sale,1" ]
	[ "${lines[4]}" = "2026-03-08T12:01:40.000Z,,email,email_sent,email,spring_sale,0" ]
	[ "${lines[6]}" = "2026-03-08T14:26:40.000Z,carol@example.net,email,email_click,email,spring_sale,1" ]
}

@test "csv POS export: rows without identifier kept and counted, bad value rejected" {
	run "$ING" --map id_loyalty=loyalty_card,id_email=email,value=total --set channel=store,event=purchase "$TD/ingest/pos.csv"
	[ "$status" -eq 0 ]
	[[ "$output" == *"2026-03-10T11:05:30.000Z,,,store,purchase,12.00,pos,R-2,Berlin-Mitte"* ]]
	[[ "$output" == *"pos.csv:6: column 'total': invalid number 'abc'"* ]]
	[[ "$output" == *"1 junk id_loyalty; rows without identifier: 2"* ]]
}

@test "tsv, --where, --keep, --source, --set precedence" {
	printf 'when\twho\tkind\tnote\n2026-01-01T10:00:00Z\tu1\tview\ta\n2026-01-01T11:00:00Z\tu2\terror\tb\n' >x.tsv
	run "$ING" -q -f tsv --map ts=when,id_user=who,event=kind --keep note --source crm --where 'event!~^view$' x.tsv
	[ "$output" = "$(printf 'ts,id_user,event,source,note\n2026-01-01T11:00:00.000Z,u2,error,crm,b')" ]
	run "$ING" -f tsv --map ts=when --where 'kind~view' --set kind=x x.tsv
	[[ "$output" == *"2 rows read, 0 written, 2 filtered by --where"* ]]
}

@test "--no-header: columns c1..cN, the first line is data" {
	printf '2026-01-01T00:00:00Z,u1,view\n2026-01-02T00:00:00Z,u2,buy\n' >h.csv
	run --separate-stderr "$ING" -q --no-header --map ts=c1,id_user=c2,event=c3 h.csv
	[ "$output" = "$(printf 'ts,id_user,event,source\n2026-01-01T00:00:00.000Z,u1,view,h\n2026-01-02T00:00:00.000Z,u2,buy,h')" ]
	run "$ING" -f jsonl --no-header h.csv
	[ "$status" -eq 2 ]
}

@test "regex format: named groups, non-matching lines rejected" {
	printf '2026-03-08T10:00:00Z dev-1 checkout 200\nbroken\n2026-03-08T10:00:05Z dev-1 checkout 503\n' >g.log
	run "$ING" -f regex --regex '^(?<ts>\S+) (?<id_device>\S+) (?<event>\S+) (?<status>\d+)$' --where 'status~^5' g.log
	[ "$status" -eq 0 ]
	[[ "$output" == *"2026-03-08T10:00:05.000Z,dev-1,checkout,g,503"* ]]
	[[ "$output" == *"g.log:2: line does not match --regex"* ]]
	run "$ING" -f regex --regex '(' g.log
	[ "$status" -eq 2 ]
	run "$ING" -f regex --regex 'x' g.log
	[ "$status" -eq 1 ]
	[[ "$output" == *"no named groups"* ]]
}

@test "channel rules: first match wins, then the built-in grouping" {
	printf '# rules\nretail_media\tutm_source~^(criteo|rmn)\nsms\tutm_medium~^sms$\treferrer!~.\n' >rules.tsv
	printf 'ts,utm_source,utm_medium,referrer\n2026-01-01T00:00:00Z,criteo,cpc,\n2026-01-01T00:00:01Z,,sms,\n2026-01-01T00:00:02Z,google,cpc,\n' >h.csv
	run --separate-stderr "$ING" -q --channel-rules rules.tsv --channels web h.csv
	[ "${lines[1]}" = "2026-01-01T00:00:00.000Z,retail_media,h,criteo,cpc," ]
	[ "${lines[2]}" = "2026-01-01T00:00:01.000Z,sms,h,,sms," ]
	[ "${lines[3]}" = "2026-01-01T00:00:02.000Z,paid_search,h,google,cpc," ]
	printf 'x\tnocondition~(\n' >bad.tsv
	run "$ING" --channel-rules bad.tsv h.csv
	[ "$status" -eq 2 ]
	[[ "$output" == *"bad.tsv:1: regex '(': offset 1: "* ]]
	printf 'nochannel tab\n' >bad2.tsv
	run "$ING" --channel-rules bad2.tsv h.csv
	[ "$status" -eq 2 ]
	[[ "$output" == *"bad2.tsv:1: expected CHANNEL<TAB>COLUMN~REGEX (no tab)"* ]]
}

@test "free-form channels become lower_snake_case" {
	printf 'ts,channel\n2026-01-01T00:00:00Z,Online Display\n2026-01-01T00:00:00Z, E-Mail \n' >c.csv
	run --separate-stderr "$ING" -q c.csv
	[ "${lines[1]}" = "2026-01-01T00:00:00.000Z,online_display,c" ]
	[ "${lines[2]}" = "2026-01-01T00:00:00.000Z,e_mail,c" ]
}

@test "several files with different headers: one stream over the union" {
	run --separate-stderr "$ING" -q --set channel=store "$TD/examples/pos.csv" "$TD/examples/pos-2.csv"
	[ "${lines[0]}" = "ts,channel,source,receipt,store,loyalty_card,email,total,cashier" ]
	[ "${lines[6]}" = "2026-03-11T09:00:00.000Z,store,pos-2,R-9,,,bob@example.org,19.90,K2" ]
}

@test "errors: missing map column, no ts, bad options" {
	run "$ING" --map ts=nope "$TD/ingest/pos.csv"
	[ "$status" -eq 1 ]
	[[ "$output" == *"--map ts=nope: no column 'nope' in the input"* ]]
	run "$ING" "$TD/ingest/email.csv"
	[ "$status" -eq 1 ]
	[[ "$output" == *"no 'ts' column"* ]]
	run "$ING" -f xml x
	[ "$status" -eq 2 ]
	run "$ING" --tz Mars/Olympus x
	[ "$status" -eq 2 ]
	[[ "$output" == *"--tz 'Mars/Olympus': unknown time zone"* ]]
	run "$ING" --ts-format '%Q' x
	[ "$status" -eq 2 ]
	run "$ING" --where novalue x
	[ "$status" -eq 2 ]
	run "$ING" --map 'a' x
	[ "$status" -eq 2 ]
	run "$ING" --phone-country 1x x
	[ "$status" -eq 2 ]
	run "$ING" nosuchfile.csv
	[ "$status" -eq 1 ]
	[[ "$output" == *"nosuchfile.csv: No such file or directory"* ]]
}

@test "binary garbage, invalid UTF-8 and overlong lines are rejects, not crashes" {
	{ echo '{"ts":"2026-01-01T00:00:00Z"}'; head -c 3000 /dev/urandom | tr -d '\n'; echo; printf '{"ts":"\xff"}\n'; head -c 3000 /dev/zero | tr '\0' a; echo; echo '{"ts":"2026-01-02T00:00:00Z"}'; } >g.jsonl
	run "$ING" -f jsonl --keep '' --map ts=ts --max-field 2K g.jsonl
	[ "$status" -eq 0 ]
	[[ "$output" == *"g.jsonl:3: invalid UTF-8"* ]]
	[[ "$output" == *"g.jsonl:4: line longer than 2048 bytes"* ]]
	[[ "$output" == *"5 rows read, 2 written, 3 rejected"* ]]
}

@test "truncated gzip JSON lines: earlier rows kept, reject reported" {
	for i in $(seq 1 3000); do echo "{\"ts\":$((1772000000 + i)),\"e\":\"x\"}"; done | gzip -c | head -c 3000 >t.jsonl.gz
	run "$ING" -f jsonl --keep e --map ts=ts t.jsonl.gz
	[ "$status" -eq 0 ]
	[[ "$output" == *"truncated gzip input"* ]]
}

@test "--max-rejects stops the run with status 1 and no output file" {
	run "$ING" --max-rejects 0 -o out.csv --map 'ts=sent_at' "$TD/ingest/email.csv"
	[ "$status" -eq 1 ]
	[ ! -e out.csv ]
}

@test "--encoding latin1 and cp1252 convert 8-bit exports to UTF-8" {
	printf 'ts,name,note\n2026-01-01T00:00:00Z,Jos\xe9,\x80 5 \x93ok\x94\n' >l.csv
	run --separate-stderr "$ING" -q --encoding latin1 l.csv
	[ "${lines[1]}" = "$(printf '2026-01-01T00:00:00.000Z,l,Jos\xc3\xa9,\xc2\x80 5 \xc2\x93ok\xc2\x94')" ]
	run --separate-stderr "$ING" -q --encoding cp1252 l.csv
	[ "${lines[1]}" = "$(printf '2026-01-01T00:00:00.000Z,l,Jos\xc3\xa9,\xe2\x82\xac 5 \xe2\x80\x9cok\xe2\x80\x9d')" ]
	run "$ING" l.csv
	[[ "$output" == *"l.csv:2: column 'name': invalid UTF-8"* ]]
	printf '{"ts":"2026-01-01T00:00:00Z","n":"Jos\xe9"}\n' >l.jsonl
	run --separate-stderr "$ING" -q -f jsonl --encoding latin1 --keep n --map ts=ts l.jsonl
	[ "${lines[1]}" = "$(printf '2026-01-01T00:00:00.000Z,l,Jos\xc3\xa9')" ]
	run "$ING" --encoding ebcdic l.csv
	[ "$status" -eq 2 ]
}

real_or_skip() { [ -f "$REAL/$1" ] || skip "$REAL/$1 not present"; }

@test "real data: apache_logs.gz (combined) ingests every line" {
	real_or_skip apache_logs.gz
	run "$ING" -f combined --channels web -o out.csv "$REAL/apache_logs.gz"
	[ "$status" -eq 0 ]
	# line 8899 of the real log is cut inside its user agent
	[[ "$output" == *"apache_logs.gz:8899: not a combined log line: missing user agent field"* ]]
	[[ "$output" == *"10000 rows read, 9999 written, 1 rejected"* ]]
	[ "$(sed -n 2p out.csv | cut -d, -f1-3)" = "2015-05-17T10:05:03.000Z,referral,apache_logs" ]
}

@test "real data: Apache_2k.log (an error log) through --regex and --ts-format" {
	real_or_skip Apache_2k.log
	run "$ING" -f regex --regex '^\[(?<ts>[^\]]+)\] \[(?<level>[a-z]+)\] (?<message>.*)$' \
		--ts-format '%a %b %d %H:%M:%S %Y' --set channel=web_server,event=log -o out.csv "$REAL/Apache_2k.log"
	[ "$status" -eq 0 ]
	[[ "$output" == *"jt-ingest: 2000 rows read, 2000 written, 0 rejected"* ]]
	[ "$(sed -n 3p out.csv)" = "2005-12-04T04:47:44.000Z,web_server,log,Apache_2k,error,mod_jk child workerEnv in error state 6" ]
}

@test "real data: attribution_si05.csv.gz with free-form channels" {
	real_or_skip attribution_si05.csv.gz
	run "$ING" --map ts=time,id_user=customer_id,event=interaction,value=conversion_value -o out.csv "$REAL/attribution_si05.csv.gz"
	[ "$status" -eq 0 ]
	[[ "$output" == *"jt-ingest: 62483 rows read, 62483 written, 0 rejected"* ]]
	[ "$(sed -n 2p out.csv)" = "2018-07-22T20:40:41.000Z,A000100,online_display,impression,0,attribution_si05,0" ]
}

@test "real data: BPI2016_Complaints.csv (';', dates)" {
	real_or_skip BPI2016_Complaints.csv
	run "$ING" -d ';' --map ts=ContactDate,id_user=CustomerID,channel=ContactChannelID --keep ComplaintTopic_EN -o out.csv "$REAL/BPI2016_Complaints.csv"
	[ "$status" -eq 0 ]
	# the file is ISO-8859-1: ten rows hold non-ASCII bytes, rejected as
	# invalid UTF-8 with their line ...
	[[ "$output" == *"jt-ingest: 289 rows read, 279 written, 10 rejected (10 column 'ComplaintTopic': invalid UTF-8)"* ]]
	# ... and read whole with --encoding latin1
	run "$ING" -d ';' --encoding latin1 --map ts=ContactDate --keep ComplaintTopic -o out2.csv "$REAL/BPI2016_Complaints.csv"
	[[ "$output" == *"289 rows read, 289 written, 0 rejected"* ]]
	[[ "$(sed -n 45p out2.csv)" == *",boos over be$(printf '\xc3\xab')indiging gesprek" ]]
	[ "$(sed -n 2p out.csv)" = "2016-01-12T00:00:00.000Z,1945807,8,BPI2016_Complaints,(Revision) Decision not/too late taken" ]
}

@test "real data: calls_one_day.csv (times of one day)" {
	real_or_skip calls_one_day.csv
	run "$ING" --map ts=vru_entry,event=outcome --ts-format '%H:%M:%S' --set channel=call_center --keep call_id -o out.csv "$REAL/calls_one_day.csv"
	[ "$status" -eq 0 ]
	[[ "$output" == *"jt-ingest: 2375 rows read, 2375 written, 0 rejected; rows without identifier: 2375"* ]]
	[ "$(sed -n 2p out.csv)" = "1970-01-01T00:10:10.000Z,call_center,HANG,calls_one_day,43678" ]
}

@test "more error paths: --where/--keep on missing columns, bad specs, unwritable -o" {
	printf 'ts,a\n2026-01-01T00:00:00Z,1\n' >x.csv
	run "$ING" --where 'nope~x' x.csv
	[ "$status" -eq 1 ]
	[[ "$output" == *"--where: no column 'nope' in the output"* ]]
	run "$ING" --keep nope x.csv
	[ "$status" -eq 1 ]
	[[ "$output" == *"--keep: no column 'nope' in the input"* ]]
	run "$ING" --set '"open=x' x.csv
	[ "$status" -eq 2 ]
	[[ "$output" == *"--set '\"open=x': unterminated quote"* ]]
	run "$ING" --where 'a~(' x.csv
	[ "$status" -eq 2 ]
	run "$ING" -o /nonexistent/dir/out.csv x.csv
	[ "$status" -eq 1 ]
	[[ "$output" == *"/nonexistent/dir/out.csv: No such file or directory"* ]]
	run "$ING" -f tsv -d ';' x.csv
	[ "$status" -eq 2 ]
	run "$ING" --query-columns x.csv
	[ "$status" -eq 2 ]
	run "$ING" -f regex x.csv
	[ "$status" -eq 2 ]
}

@test "stdin: messages name <stdin>, the source column is 'stdin'" {
	run --separate-stderr sh -c "printf 'ts,x\n2026-01-01T00:00:00Z,1\nbad,2\n' | \"$ING\""
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "2026-01-01T00:00:00.000Z,stdin,1" ]
	[[ "$stderr" == *"jt-ingest: <stdin>:3: column 'ts': invalid time 'bad'"* ]]
}

@test "--max-field applies to CSV fields and to JSON lines" {
	{ echo ts,x; echo "2026-01-01T00:00:00Z,$(head -c 3000 /dev/zero | tr '\0' a)"; echo 2026-01-01T00:00:00Z,ok; } >w.csv
	run "$ING" --max-field 1K w.csv
	[[ "$output" == *"w.csv:2: field longer than 1024 bytes"* ]]
	[[ "$output" == *",ok"* ]]
}

@test "| head: jt-ingest ends quietly on a closed stdout" {
	{ echo ts,x; for i in $(seq 1 100000); do echo "2026-01-01T00:00:00Z,$i"; done; } >big.csv
	run bash -c "\"$ING\" -q big.csv 2>err | head -2; echo \${PIPESTATUS[0]}; cat err"
	[ "${lines[0]}" = "ts,source,x" ]
	[ "${lines[2]}" = "141" ]
	[ "${#lines[@]}" -eq 3 ]
}

@test "an empty export is a warning, not an error; the others still come through" {
	: >empty.csv
	printf 'ts,x\n2026-01-01T00:00:00Z,1\n' >one.csv
	run --separate-stderr "$ING" empty.csv one.csv
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'ts,source,x\n2026-01-01T00:00:00.000Z,one,1')" ]
	[[ "$stderr" == *"jt-ingest: warning: empty.csv: empty input"* ]]
	run --separate-stderr "$ING" -f jsonl empty.csv
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "reject reasons through jt-ingest: empty time, wrong field count, NUL byte" {
	printf 'ts,x\n,1\n2026-01-01T00:00:00Z\n2026-01-01T00:00:00Z,a\0b\n2026-01-01T00:00:00Z,ok\n' >r.csv
	run "$ING" --rejects rej.csv r.csv
	[ "$status" -eq 0 ]
	[[ "$output" == *"r.csv:2: column 'ts': empty time"* ]]
	[[ "$output" == *"r.csv:3: expected 2 fields, found 1"* ]]
	[[ "$output" == *"r.csv:4: column 'x': NUL byte"* ]]
	[[ "$output" == *"4 rows read, 1 written, 3 rejected"* ]]
	[ "$(wc -l <rej.csv)" -eq 4 ]
}
