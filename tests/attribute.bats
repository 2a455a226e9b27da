#!/usr/bin/env bats
# jt-attribute: every model on hand-computed cases, the ChannelAttribution
# heuristics on its own example data, exact Markov removal effects, the
# transition matrix, Shapley, per-journey credit, bootstrap intervals,
# the edge cases (empty, no conversions, null-only channel, one channel)
# and every error path.

load helper
bats_require_minimum_version 1.5.0

AT="$JT_BIN/jt-attribute"
EX="$TD/examples"
HEUR=first,last,last_non_direct,linear,participation,position,j,inverse_j

# Compares two files of model,channel,x,y rows numerically (tolerance
# 1e-9 relative), in any order; prints the rows that differ.
same_numbers() {
	awk -F, 'NR == FNR { a[$1 "," $2] = $3 " " $4; next }
		($1 "," $2) in a {
			split(a[$1 "," $2], w, " ")
			for (i = 1; i <= 2; i++) {
				g = $(i + 2); d = g - w[i]; if (d < 0) d = -d
				m = w[i] < 0 ? -w[i] : w[i]; if (m < 1) m = 1
				if (d > 1e-9 * m) { print "differs: " $0 " want " a[$1 "," $2]; bad = 1 }
			}
			n++; next
		}
		{ print "unexpected: " $0; bad = 1 }
		END { if (n == 0) { print "nothing compared"; bad = 1 }; exit bad }' "$1" "$2"
}

# Sums of conversions and value per model: model,conversions,value
sums() {
	awk -F, 'NR > 1 { c[$1] += $3; v[$1] += $4 } END { for (m in c) printf "%s,%.9f,%.9f\n", m, c[m], v[m] }' "$1" | sort
}

@test "heuristics on a path table: the hand-computed credit of every rule" {
	run --separate-stderr "$AT" -m $HEUR "$EX/paths.csv"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "model,channel,conversions,value,share" ]
	echo "$output" >out.csv
	# email > search (2 conv, 100), search (1, 30), display > email >
	# search (1, 60), display > email (0), direct > email > direct (1, 20)
	grep -qx 'first,email,2,100,0.4' out.csv
	grep -qx 'first,display,1,60,0.2' out.csv
	grep -qx 'first,direct,1,20,0.2' out.csv
	grep -qx 'last,search,4,190,0.8' out.csv
	grep -qx 'last,email,0,0,0' out.csv
	grep -qx 'last_non_direct,email,1,20,0.2' out.csv
	grep -qx 'last_non_direct,direct,0,0,0' out.csv
	# linear: email 1 + 1/3 + 1/3, search 1 + 1 + 1/3, direct 2/3
	grep -qx 'linear,email,1.66666666667,76.6666666667,0.333333333333' out.csv
	grep -qx 'linear,search,2.33333333333,100,0.466666666667' out.csv
	grep -qx 'linear,direct,0.666666666667,13.3333333333,0.133333333333' out.csv
	# participation: full credit to each distinct channel
	grep -qx 'participation,email,4,180,0.4' out.csv
	grep -qx 'participation,search,4,190,0.4' out.csv
	# position 40/20/40, two touches 50/50: email 1 + .2 + .2
	grep -qx 'position,email,1.4,66,0.28' out.csv
	grep -qx 'position,search,2.4,104,0.48' out.csv
	grep -qx 'position,direct,0.8,16,0.16' out.csv
	# j 20/60 (two touches 25/75), inverse_j 60/20 (75/25)
	grep -qx 'j,email,0.9,41,0.18' out.csv
	grep -qx 'j,search,3.1,141,0.62' out.csv
	grep -qx 'inverse_j,email,1.9,91,0.38' out.csv
	grep -qx 'inverse_j,display,0.6,36,0.12' out.csv
	[ "$(wc -l <out.csv)" -eq 33 ] # 8 models x 4 channels + header
	[[ "$stderr" == *"5 paths, 11 journeys, 5 conversions, value 210, 4 channels, 0 rejected"* ]]
}

@test "--linear unique, --position, --direct change the rules as documented" {
	"$AT" -q -m linear --linear unique "$EX/paths.csv" >out.csv
	# direct > email > direct: 1/2 each instead of 2/3, 1/3
	grep -qx 'linear,direct,0.5,10,0.1' out.csv
	grep -qx 'linear,email,1.83333333333,80,0.366666666667' out.csv
	"$AT" -q -m position --position 0.3,0.5 "$EX/paths.csv" >out.csv
	# email > search x2: two touches, half each whatever F and L;
	# display > email > search: .3 .2 .5; direct > email > direct: .8, .2
	grep -qx 'position,email,1.4,66,0.28' out.csv
	grep -qx 'position,search,2.5,110,0.5' out.csv
	grep -qx 'position,display,0.3,18,0.06' out.csv
	"$AT" -q -m last_non_direct --direct search "$EX/paths.csv" >out.csv
	# search is now "direct": email > search goes to email
	grep -qx 'last_non_direct,email,3,160,0.6' out.csv
	grep -qx 'last_non_direct,search,1,30,0.2' out.csv
	grep -qx 'last_non_direct,direct,1,20,0.2' out.csv
}

@test "journeys: detected from the header; time_decay from path_age_s" {
	run --separate-stderr "$AT" -m time_decay,first "$EX/journeys.csv"
	[ "$status" -eq 0 ]
	echo "$output" >out.csv
	# p1: ages 14d, 7d, 0 weigh 1/4, 1/2, 1 -> 1/7, 2/7, 4/7 of 1 (50);
	# p2: 7d, 0 -> 1/3, 2/3 (30); p5: search 1 (12.5)
	grep -qx 'time_decay,direct,0.571428571429,28.5714285714,0.190476190476' out.csv
	grep -qx 'time_decay,email,0.809523809524,27.1428571429,0.269841269841' out.csv
	grep -qx 'time_decay,search,1.61904761905,36.7857142857,0.539682539683' out.csv
	grep -qx 'time_decay,display,0,0,0' out.csv
	grep -qx 'first,email,1,50,0.333333333333' out.csv
	[[ "$stderr" == *"5 journeys, 3 conversions, value 92.5, 4 channels, 0 rejected"* ]]
	# a longer half-life flattens the weights: 14d gives 2^-1, 2^-.5, 1
	# to p1's touches, direct 1/(1.5 + 2^-.5) = 0.4531
	"$AT" -q -m time_decay --half-life 14d "$EX/journeys.csv" >out.csv
	awk -F, '$2 == "direct" { f = 1; exit !($3 > 0.453 && $3 < 0.4532) } END { exit !f }' out.csv
}

@test "journeys without a conversions column use converted" {
	cat >j.csv <<'CSV'
journey,path,converted,value
1,a > b,1,10
2,b,0,
3,a,1,4
CSV
	run -0 "$AT" -q -m first,last j.csv
	[[ "$output" == *"first,a,2,14,1"* ]]
	[[ "$output" == *"last,b,1,10,0.5"* ]]
}

@test "paths split on '>' with spaces trimmed; fractional counts" {
	printf 'path,total_conversions,total_conversion_value,total_null\na>b,0.5,2.5,1\n  a  >  b ,0.25,1,0\nb,1.25,0,0\n' >p.csv
	"$AT" -q -m first,linear p.csv >out.csv
	grep -qx 'first,a,0.75,3.5,0.375' out.csv
	grep -qx 'first,b,1.25,0,0.625' out.csv
	grep -qx 'linear,a,0.375,1.75,0.1875' out.csv
	[ "$(grep -c ',a,' out.csv)" -eq 2 ] # one channel a, not "a" and "  a"
}

@test "ChannelAttribution's PathData: first, last and linear equal its heuristic sums" {
	[ -f "$REAL/PathData.csv" ] || skip "PathData.csv not present"
	# heuristic_models(): channels split on '>' and trimmed; first and
	# last take the path's conversions and value; linear gives each touch
	# 1/length of them (repeats counted)
	awk -F, 'NR > 1 {
		gsub(/"/, "")
		n = split($1, ch, ">")
		for (i = 1; i <= n; i++) { gsub(/^[ \t]+|[ \t]+$/, "", ch[i]); seen[ch[i]] = 1 }
		fc[ch[1]] += $2; fv[ch[1]] += $3; lc[ch[n]] += $2; lv[ch[n]] += $3
		for (i = 1; i <= n; i++) { nc[ch[i]] += $2 / n; nv[ch[i]] += $3 / n }
	} END {
		for (k in seen) {
			printf "first,%s,%.12f,%.12f\n", k, fc[k], fv[k]
			printf "last,%s,%.12f,%.12f\n", k, lc[k], lv[k]
			printf "linear,%s,%.12f,%.12f\n", k, nc[k], nv[k]
		}
	}' "$REAL/PathData.csv" >want.csv
	[ "$(wc -l <want.csv)" -eq 36 ]
	"$AT" -q -m first,last,linear "$REAL/PathData.csv" | tail -n +2 >got.csv
	[ "$(wc -l <got.csv)" -eq 36 ]
	same_numbers want.csv got.csv
	# the first-touch conversions are integers: exactly equal
	grep -q '^first,alpha,6308,' got.csv
	grep -q '^first,alpha,6308.000000000000,' want.csv
}

@test "sums preserved: conversions and value in = out for every model but participation" {
	[ -f "$REAL/PathData.csv" ] || skip "PathData.csv not present"
	"$JT_BENCH/attrgen" 3000 5 >gen.csv
	for f in "$REAL/PathData.csv" gen.csv "$EX/journeys.csv"; do
		"$AT" -q --order 2 "$f" >out.csv
		tot=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) { gsub(/"/, "", $i); c[$i] = i }; next }
			{ gsub(/"/, "")
			  if ("total_conversions" in c) { n += $c["total_conversions"]; v += $c["total_conversion_value"] }
			  else { n += $c["conversions"]; v += $c["value"] } }
			END { printf "%.9f,%.9f", n, v }' "$f")
		models=$(sums out.csv | grep -vc '^participation,')
		[ "$models" -ge 9 ]
		sums out.csv | grep -v '^participation,' >s.csv
		awk -F, -v t="$tot" '{
			split(t, w, ",")
			if (($2 - w[1])^2 > (1e-9 * w[1])^2 || ($3 - w[2])^2 > (1e-9 * w[2])^2) {
				print $0 " want " t; bad = 1 } } END { exit bad }' s.csv
		# participation credits every distinct channel in full: more
		part=$(sums out.csv | awk -F, '$1 == "participation" { print $2 }')
		awk -v p="$part" -v t="$tot" 'BEGIN { split(t, w, ","); exit !(p > w[1]) }'
		# shares sum to 1 in every model
		awk -F, 'NR > 1 { s[$1] += $5 } END { for (m in s) if ((s[m] - 1)^2 > 1e-18) { print m, s[m]; exit 1 } }' out.csv
	done
}

@test "markov: exact removal effects of a chain solved by hand" {
	# a > b (1 conv, 1 null), a (2 null), b (1 conv): start->a 4/5,
	# start->b 1/5, a->b 1/2, b->conv 2/3.  P = 2/5; without a 2/15
	# (RE 2/3), without b 0 (RE 1).  2 conversions split 2/3 : 1.
	printf 'path,total_conversions,total_conversion_value,total_null\na > b,1,10,1\na,0,0,2\nb,1,10,0\n' >p.csv
	run -0 "$AT" -q --removal-effects p.csv
	[ "${lines[0]}" = "channel,removal_effect,removal_effect_value" ]
	[ "${lines[1]}" = "a,0.666666666667,0.666666666667" ]
	[ "${lines[2]}" = "b,1,1" ]
	run -0 "$AT" -q -m markov p.csv
	[ "${lines[1]}" = "markov,a,0.8,8,0.4" ]
	[ "${lines[2]}" = "markov,b,1.2,12,0.6" ]
}

@test "markov --order 2: windows of two channels; short paths are one state" {
	# a > b > c converts, a > b null, c converts and has a null: P = 1/2;
	# without a 1/4, without b 1/4, without c 0
	printf 'path,total_conversions,total_conversion_value,total_null\na > b > c,1,1,0\na > b,0,0,1\nc,1,1,1\n' >p.csv
	run -0 "$AT" -q --order 2 --removal-effects p.csv
	[ "${lines[1]}" = "a,0.5,0.5" ]
	[ "${lines[2]}" = "b,0.5,0.5" ]
	[ "${lines[3]}" = "c,1,1" ]
	run -0 "$AT" -q --order 2 --transitions p.csv
	[[ "$output" == *"(start),a > b,0.5,2"* ]]
	[[ "$output" == *"a > b,b > c,0.5,1"* ]]
	[[ "$output" == *"(start),c,0.5,2"* ]]
}

@test "--transitions: the long-form matrix with (start), (conversion), (null)" {
	printf 'path,total_conversions,total_conversion_value,total_null\na > b,1,10,1\na,0,0,2\nb,1,10,0\na > a > b,0,0,0\n' >p.csv
	run -0 "$AT" -q --transitions p.csv
	cat >want <<'CSV'
from,to,probability,count
(start),a,0.8,4
(start),b,0.2,1
a,(null),0.5,2
a,b,0.5,2
b,(conversion),0.666666666667,2
b,(null),0.333333333333,1
CSV
	diff want <(echo "$output")
	# probabilities of each state sum to 1
	echo "$output" | awk -F, 'NR > 1 { s[$1] += $3 } END { for (k in s) if ((s[k] - 1)^2 > 1e-20) exit 1 }'
}

@test "markov removal effects do not depend on the order of the rows" {
	[ -f "$REAL/PathData.csv" ] || skip "PathData.csv not present"
	"$AT" -q --order 3 --removal-effects "$REAL/PathData.csv" >a.csv
	{ head -1 "$REAL/PathData.csv"; tail -n +2 "$REAL/PathData.csv" | tac; } >rev.csv
	"$AT" -q --order 3 --removal-effects rev.csv >b.csv
	[ "$(wc -l <a.csv)" -eq 13 ]
	paste -d, a.csv b.csv | awk -F, 'NR > 1 {
		if ($1 != $4) exit 1
		d = $2 - $5; if (d < 0) d = -d; if (d > 1e-10) { print; exit 1 }
		d = $3 - $6; if (d < 0) d = -d; if (d > 1e-10) { print; exit 1 } }'
	# every removal effect is a probability ratio in [0, 1]
	awk -F, 'NR > 1 && ($2 < 0 || $2 > 1) { exit 1 }' a.csv
}

@test "shapley: coalition values are conversion rates; credit by each set's values" {
	# v(a) = 1/2, v(b) = 1/4, v(ab) = 3/4: phi_a = 1/2, phi_b = 1/4, so
	# a > b's 3 conversions go 2 : 1; a and b keep their own
	printf 'path,total_conversions,total_conversion_value,total_null\na,1,10,1\nb,1,10,3\na > b,3,30,1\nb > a > b,0,0,0\n' >p.csv
	run -0 "$AT" -q -m shapley p.csv
	[ "${lines[1]}" = "shapley,a,3,30,0.6" ]
	[ "${lines[2]}" = "shapley,b,2,20,0.4" ]
}

@test "shapley beyond 16 channels in a set: sampled, deterministic for a seed" {
	# one converting path of 18 channels; each channel alone never converts
	{
		echo path,total_conversions,total_conversion_value,total_null
		p=c1; for i in $(seq 2 18); do p="$p > c$i"; done
		echo "$p,1,10,1"
		for i in $(seq 1 18); do echo "c$i,0,0,1"; done
	} >p.csv
	"$AT" -q -m shapley --seed 5 --permutations 300 p.csv >a.csv
	"$AT" -q -m shapley --seed 5 --permutations 300 p.csv | cmp - a.csv
	"$AT" -q -m shapley --seed 6 --permutations 300 p.csv >b.csv
	! cmp -s a.csv b.csv
	# the conversion and its value are split whole; about 1/18 each
	awk -F, 'NR > 1 { c += $3; v += $4; if ($3 < 0.01 || $3 > 0.12) bad = 1 }
		END { exit !((c - 1)^2 < 1e-18 && (v - 10)^2 < 1e-16 && !bad) }' a.csv
	[ "$(wc -l <a.csv)" -eq 19 ]
}

@test "--per-journey: each journey's credit per channel, summing to the model" {
	run -0 "$AT" -q -m linear,position,markov --per-journey "$EX/journeys.csv"
	[ "${lines[0]}" = "journey,model,channel,credit,value" ]
	echo "$output" >pj.csv
	grep -qx '1,linear,email,0.333333333333,16.6666666667' pj.csv
	grep -qx '1,position,search,0.2,10' pj.csv
	grep -qx '5,linear,search,1,12.5' pj.csv
	grep -q '^2,markov,' pj.csv
	! grep -q '^3,' pj.csv # no conversion, no credit
	# heuristic credits add up to the model's table
	"$AT" -q -m linear,position "$EX/journeys.csv" | tail -n +2 | cut -d, -f1-4 >table.csv
	awk -F, 'NR > 1 && $2 != "markov" { c[$2 "," $3] += $4; v[$2 "," $3] += $5 }
		END { for (k in c) printf "%s,%.9f,%.9f\n", k, c[k], v[k] }' pj.csv >sums.csv
	# (display earns nothing, so it has no per-journey row)
	grep -v ',display,' table.csv >t.csv
	same_numbers t.csv sums.csv
	# path tables: the journey is the path
	"$AT" -q -m first --per-journey "$EX/paths.csv" | grep -qx 'email > search,first,email,2,100'
}

@test "--ci: bootstrap intervals, deterministic for a seed" {
	run -0 "$AT" -q -m first,markov --ci 0.9 --bootstrap 50 --seed 3 "$EX/paths.csv"
	[ "${lines[0]}" = "model,channel,conversions,value,share,lo,hi" ]
	echo "$output" >a.csv
	awk -F, 'NR > 1 && !($6 <= $7 && $6 >= 0) { exit 1 }' a.csv
	# an interval with width for the channel with the most conversions
	awk -F, '$1 == "first" && $2 == "email" { exit !($7 > $6) }' a.csv
	"$AT" -q -m first,markov --ci 0.9 --bootstrap 50 --seed 3 "$EX/paths.csv" | cmp - a.csv
	"$AT" -q -m first,markov --ci 0.9 --bootstrap 50 --seed 4 "$EX/paths.csv" >b.csv
	! cmp -s a.csv b.csv
	# journeys: each journey drawn Poisson(1) times
	run -0 "$AT" -q -m linear --ci 0.95 "$EX/journeys.csv"
	[ "${#lines[@]}" -eq 5 ]
}

@test "a channel seen only in non-converting journeys gets no heuristic credit" {
	"$AT" -q -m $HEUR,shapley "$EX/journeys.csv" >out.csv
	[ "$(grep -c ',display,0,0,0$' out.csv)" -eq 9 ]
	# but in markov it earns a share when its state leads to converting
	# ones: x > a (2 nulls), a (1 conv, 1 null).  start->x 1/2, x->a,
	# a->conv 1/4: P = 1/4, without x 1/8 (RE 1/2), without a 0 (RE 1)
	printf 'path,total_conversions,total_conversion_value,total_null\nx > a,0,0,2\na,1,9,1\n' >p.csv
	run -0 "$AT" -q -m first,linear,markov p.csv
	[[ "$output" == *"linear,x,0,0,0"* ]]
	[[ "$output" == *"markov,x,0.333333333333,3,0.333333333333"* ]]
	[[ "$output" == *"markov,a,0.666666666667,6,0.666666666667"* ]]
}

@test "a single-channel world: the channel earns everything in every model" {
	printf 'path,total_conversions,total_conversion_value,total_null\nemail,3,30,1\nemail > email,1,5,2\n' >p.csv
	run -0 "$AT" -q p.csv
	echo "$output" >out.csv
	[ "$(grep -c '^[a-z_]*,email,4,35,1$' out.csv)" -eq 10 ]
	grep -qx 'participation,email,4,35,1' out.csv
	run -0 "$AT" -q --removal-effects p.csv
	[ "${lines[1]}" = "email,1,1" ]
}

@test "a path table without conversions: zeros and shares 0, never NaN" {
	printf 'path,total_conversions,total_conversion_value,total_null\na > b,0,0,3\nb,0,0,1\n' >p.csv
	run -0 "$AT" -q p.csv
	[[ "$output" != *nan* && "$output" != *inf* ]]
	[ "$(echo "$output" | grep -c ',0,0,0$')" -eq 20 ]
	run -0 "$AT" -q --removal-effects p.csv
	[ "${lines[1]}" = "a,0,0" ]
}

@test "empty input: the header only; a header without rows too" {
	: >empty.csv
	run --separate-stderr "$AT" empty.csv
	[ "$status" -eq 0 ]
	[ "$output" = "model,channel,conversions,value,share" ]
	printf 'path,total_conversions,total_conversion_value,total_null\n' >h.csv
	run -0 "$AT" -q h.csv
	[ "$output" = "model,channel,conversions,value,share" ]
	run -0 "$AT" -q --transitions h.csv
	[ "$output" = "from,to,probability,count" ]
	run -0 "$AT" -q --per-journey <empty.csv
	[ "$output" = "journey,model,channel,credit,value" ]
}

@test "several inputs are one table; gzip input" {
	{ head -1 "$EX/paths.csv"; tail -n +2 "$EX/paths.csv" | head -2; } >p1.csv
	{ head -1 "$EX/paths.csv"; tail -n +4 "$EX/paths.csv"; } | gzip >p2.csv.gz
	"$AT" -q p1.csv p2.csv.gz >split.csv
	"$AT" -q "$EX/paths.csv" | cmp - split.csv
}

@test "--model all leaves out what the input cannot support, with a warning" {
	run --separate-stderr "$AT" "$EX/paths.csv"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"jt-attribute: warning: model time_decay left out: it needs journeys with a path_age_s column"* ]]
	! grep -q '^time_decay' <<<"$output"
	printf 'path,total_conversions\na,1\na > b,2\n' >nonull.csv
	run --separate-stderr "$AT" nonull.csv
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"warning: model shapley left out: it needs non-converting journeys"* ]]
}

@test "a model the input cannot support, asked for by name, is an error" {
	run --separate-stderr "$AT" -m time_decay "$EX/paths.csv"
	[ "$status" -eq 1 ]
	[[ "$stderr" == "jt-attribute: model time_decay needs journeys with a path_age_s column"* ]]
	printf 'path,total_conversions\na,1\n' >nonull.csv
	run --separate-stderr "$AT" -m shapley nonull.csv
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"model shapley needs non-converting journeys"* ]]
}

@test "bad rows are rejected with file:line and reason, and counted" {
	cat >p.csv <<'CSV'
path,total_conversions,total_conversion_value,total_null
a > b,1,2,3
a > > b,1,2,3
,1,0,0
a,x,0,0
a,-1,0,0
a,1,nan,0
b,1,1,1
"a,1
c,0,5,1
CSV
	run --separate-stderr "$AT" --rejects rej.csv p.csv
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"jt-attribute: p.csv:3: column 'path': empty channel in path"* ]]
	[[ "$stderr" == *"jt-attribute: p.csv:4: column 'path': empty path"* ]]
	[[ "$stderr" == *"jt-attribute: p.csv:5: column 'total_conversions': not a number >= 0 'x'"* ]]
	[[ "$stderr" == *"p.csv:6: column 'total_conversions': not a number >= 0 '-1'"* ]]
	[[ "$stderr" == *"p.csv:7: column 'total_conversion_value': not a number >= 0 'nan'"* ]]
	[[ "$stderr" == *"p.csv:9: "* ]]
	[[ "$stderr" == *"p.csv:10: column 'total_conversion_value': value without conversions '5'"* ]]
	[[ "$stderr" == *"2 paths, 6 journeys, 2 conversions, value 3, 2 channels, 7 rejected"* ]]
	[ "$(grep -c '^p.csv,' rej.csv)" -eq 7 ]
	grep -q '^p.csv,5,' rej.csv
	run --separate-stderr "$AT" --max-rejects 2 p.csv
	[ "$status" -eq 1 ]
}

@test "a journeys file read with a path table: its rows are rejected, not zeros" {
	run --separate-stderr "$AT" -m first "$EX/paths.csv" "$EX/journeys.csv"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"journeys.csv:2: column 'total_conversions': empty"* ]]
	[[ "$stderr" == *"5 paths, 11 journeys, 5 conversions, value 210, 4 channels, 5 rejected"* ]]
}

@test "bad journeys: converted, conversions, path_age_s" {
	cat >j.csv <<'CSV'
journey,path,path_age_s,converted,conversions,value
1,a > b,10;0,1,1,5
2,a > b,10,1,1,5
3,a,x,1,1,5
4,a,0,2,1,5
5,a,0,0,1,5
6,a,0,1,1,-5
7,b,0,1,,2
CSV
	run --separate-stderr "$AT" -m time_decay j.csv
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"j.csv:3: column 'path_age_s': does not have one age per touch"* ]]
	[[ "$stderr" == *"j.csv:4: column 'path_age_s': not a number of seconds >= 0"* ]]
	[[ "$stderr" == *"j.csv:5: column 'converted': not 0 or 1 '2'"* ]]
	[[ "$stderr" == *"j.csv:6: column 'conversions': does not agree with converted '1'"* ]]
	[[ "$stderr" == *"j.csv:7: column 'value': not a number >= 0 '-5'"* ]]
	# an empty conversions is taken from converted
	[[ "$stderr" == *"2 journeys, 2 conversions, value 7, 2 channels, 5 rejected"* ]]
}

@test "input that is neither journeys nor a path table is an error" {
	printf 'ts,channel\n2026-01-01T00:00:00.000Z,email\n' >ev.csv
	run --separate-stderr "$AT" ev.csv
	[ "$status" -eq 1 ]
	[[ "$stderr" == "jt-attribute: ev.csv: no 'path' column: jt-attribute reads journeys"* ]]
	printf 'path,x\na,1\n' >x.csv
	run --separate-stderr "$AT" x.csv
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"x.csv: neither a path table"* ]]
	run --separate-stderr "$AT" no-such-file.csv
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"no-such-file.csv: No such file or directory"* ]]
}

@test "usage errors: status 2 and the hint" {
	for args in "-m bogus" "-m first,bogus" "--order 5" "--order 0" "--position 0.7,0.5" \
		"--position 0.5" "--position x,0.1" "--ci 1.5" "--ci 0" "--bootstrap 10" \
		"--per-journey --transitions" "--removal-effects --per-journey" \
		"--ci 0.9 --per-journey" "--linear both" "--half-life soon" "--half-life 0" \
		"--direct ''" "--permutations 0" "--seed -1"; do
		run --separate-stderr sh -c "\"$AT\" $args \"$EX/paths.csv\""
		[ "$status" -eq 2 ] || { echo "$args: status $status"; false; }
		[[ "$stderr" == *"Try 'jt-attribute --help' for more information."* ]] ||
			{ echo "$args: $stderr"; false; }
	done
	run --separate-stderr "$AT" -m bogus "$EX/paths.csv"
	[[ "$stderr" == "jt-attribute: --model: unknown model 'bogus'"* ]]
}

@test "-o writes atomically; a closed stdout ends quietly" {
	run -0 "$AT" -q -o out.csv "$EX/paths.csv"
	[ -z "$output" ]
	[ "$(head -1 out.csv)" = "model,channel,conversions,value,share" ]
	[ "$(ls | wc -l)" -eq 1 ]
	# a failed run leaves the old file alone
	run "$AT" -q -m time_decay -o out.csv "$EX/paths.csv"
	[ "$status" -eq 1 ]
	[ "$(head -1 out.csv)" = "model,channel,conversions,value,share" ]
	[ "$(ls | wc -l)" -eq 1 ]
	"$JT_BENCH/attrgen" 20000 >big.csv
	run bash -c "set -o pipefail; \"$AT\" -q --per-journey big.csv | head -1"
	[ "$status" -eq 141 ]
	[ "$output" = "journey,model,channel,credit,value" ]
}
