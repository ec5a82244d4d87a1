#!/usr/bin/env bash
# libFuzzer on the stream-load encoders (test/fuzz/fuzz_encoders.c): every
# MySQL, StarRocks CSV, PostgreSQL COPY and JSON encoding must decode back
# to the same values.  Replays test/fuzz/corpus, then fuzzes for DS_FUZZ_SECONDS
# (15 in the suite; 60 for the full run) on a copy of it.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$DS_ENV"
seconds=${DS_FUZZ_SECONDS:-15}
out="$DS_TMP/fuzz"
mkdir -p "$out/corpus"
bash "$DS_ROOT/test/fuzz/build.sh" "$out" >"$out/build.log" 2>&1 || { cat "$out/build.log"; exit 1; }
cp "$DS_ROOT"/test/fuzz/corpus/encoders/* "$out/corpus/"
cd "$out"
./fuzz_encoders -runs=0 "$DS_ROOT/test/fuzz/corpus/encoders" >"$out/replay.log" 2>&1 ||
	{ tail -20 "$out/replay.log"; exit 1; }
echo "corpus replayed: $(ls "$DS_ROOT/test/fuzz/corpus/encoders" | wc -l) inputs"
./fuzz_encoders -max_total_time="$seconds" -print_final_stats=1 "$out/corpus" >"$out/fuzz.log" 2>&1 ||
	{ tail -30 "$out/fuzz.log"; exit 1; }
units=$(grep -m1 'stat::number_of_executed_units' "$out/fuzz.log" | awk '{print $2}')
echo "fuzzed $seconds s: $units inputs, no encoding that fails to round-trip"
echo "reliability: hostile $units $units"
