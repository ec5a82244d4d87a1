#!/usr/bin/env bash
# libFuzzer on what the extension reads from users and servers, each harness
# built from the same sources as the extension (test/fuzz/build.sh):
#   fuzz_encoders  stream-load encodings (MySQL, StarRocks CSV, PostgreSQL COPY,
#                  JSON) must decode back to the same values
#   fuzz_starrocks StarRocks answers and NDJSON lines: well-formed items,
#                  verdicts that follow Status, lines independent of chunking
#   fuzz_params    params binder: $n rewriting and spliced literals change
#                  nothing but the placeholders and read back as the values
# Each replays its corpus in test/fuzz/corpus/<name>, then fuzzes for
# DS_FUZZ_SECONDS (15 in the suite; 60 for the full run) on a copy of it.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$DS_ENV"
seconds=${DS_FUZZ_SECONDS:-15}
out="$DS_TMP/fuzz"
mkdir -p "$out"
bash "$DS_ROOT/test/fuzz/build.sh" "$out" >"$out/build.log" 2>&1 || { cat "$out/build.log"; exit 1; }
cd "$out"
total=0
for name in encoders starrocks params; do
	corpus="$DS_ROOT/test/fuzz/corpus/$name"
	rm -rf "$out/corpus-$name"
	mkdir -p "$out/corpus-$name"
	cp "$corpus"/* "$out/corpus-$name/"
	./fuzz_$name -runs=0 "$corpus" >"$out/replay-$name.log" 2>&1 ||
		{ tail -20 "$out/replay-$name.log"; exit 1; }
	./fuzz_$name -max_total_time="$seconds" -print_final_stats=1 "$out/corpus-$name" \
		>"$out/fuzz-$name.log" 2>&1 || { tail -30 "$out/fuzz-$name.log"; exit 1; }
	units=$(grep -m1 'stat::number_of_executed_units' "$out/fuzz-$name.log" | awk '{print $2}')
	echo "fuzz_$name: corpus of $(ls "$corpus" | wc -l) replayed, then $units inputs in $seconds s, every check held"
	total=$((total + units))
done
echo "reliability: hostile $total $total"
