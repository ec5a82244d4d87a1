#!/usr/bin/env bash
# Builds the libFuzzer harnesses from the extension's own sources (frontend
# build, libpgcommon for StringInfo, palloc and the JSON parser).
#   bash test/fuzz/build.sh OUTDIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-$here/bin}
pgc=/usr/lib/postgresql/15/bin/pg_config
mkdir -p "$out"
"${CLANG:-clang-14}" -g -O1 -fsanitize=fuzzer,address,undefined -DFRONTEND -Wno-ignored-attributes \
	-I"$root/src" -I"$($pgc --includedir-server)" \
	"$here/fuzz_encoders.c" "$root/src/load_encode.c" \
	"$($pgc --pkglibdir)/libpgcommon.a" "$($pgc --pkglibdir)/libpgport.a" -lm \
	-o "$out/fuzz_encoders"
