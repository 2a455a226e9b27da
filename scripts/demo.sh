#!/bin/sh
# scripts/demo.sh BINDIR: runs the whole pipeline on generated sample data and
# writes the reports and charts into demo-out/.  Steps whose tool is not built
# yet are skipped with a note, so the demo grows with the suite.
set -eu
BIN=$(cd "${1:-build/bin}" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT="$ROOT/demo-out"
PATH="$BIN:$PATH"
export PATH
mkdir -p "$OUT"

have() { [ -x "$BIN/$1" ]; }
note() { echo "demo: $*"; }

note "tools built: $(cd "$BIN" && ls | tr '\n' ' ')"
if ! have jt-gen || ! have jt-ingest; then
	note "no data tools yet (jt-gen, jt-ingest come in the next steps);"
	note "checking the front door instead:"
	"$BIN/jt" --help
	exit 0
fi
