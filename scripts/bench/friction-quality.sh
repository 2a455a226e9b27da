#!/bin/sh
# Quality of jt-friction against a jt-gen world's truth: FRICTION_PERSONS
# (default 20000) persons, seeds FRICTION_SEEDS (default "1 2 3 4 5").  For
# each of the four injected frictions, the best-ranked matching row of
# jt-friction, its rank among the ranked rows, and its impact over the
# world's true conversions lost (truth/frictions.csv); then the recall
# (frictions found in the top 8 ranked rows) and whether every impact is
# within a factor of 2.
#
# The events go through jt-journey --output events when it is built;
# until then through build/bench/friction-journey, a stand-in with the
# same visit and journey rules (30-minute visits per channel, a journey
# ends with a conversion), which the output says.
set -eu
BUILD=${BUILD:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
make -s "$BUILD/bin/jt-friction" "$BUILD/bin/jt-gen" "$BUILD/bench/friction-journey" >/dev/null
P=${FRICTION_PERSONS:-20000}
SEEDS=${FRICTION_SEEDS:-1 2 3 4 5}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/jt-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

if [ -x "$BUILD/bin/jt-journey" ]; then
	journey() { "$BUILD/bin/jt-journey" --output events "$1"; }
	echo "journeys: jt-journey --output events"
else
	journey() {
		{ head -1 "$1"; tail -n +2 "$1" | sort -t, -k2,2 -k1,1; } |
			"$BUILD/bench/friction-journey"
	}
	echo "journeys: build/bench/friction-journey (jt-journey is not built)"
fi

for seed in $SEEDS; do
	"$BUILD/bin/jt-gen" -q --persons "$P" --seed "$seed" --out "$tmp/w"
	"$BUILD/bin/jt-gen" -q --events --persons "$P" --seed "$seed" -o "$tmp/e.csv"
	journey "$tmp/e.csv" >"$tmp/j.csv"
	"$BUILD/bin/jt-friction" -q --channel-by source --slow-by app_version \
		-o "$tmp/f.csv" "$tmp/j.csv"
	echo "== $P persons, seed $seed"
	awk -F, -f scripts/bench/friction-quality.awk "$tmp/w/truth/frictions.csv" "$tmp/f.csv"
	rm -rf "$tmp/w"
done
