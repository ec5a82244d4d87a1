#!/usr/bin/env bash
# Builds the libFuzzer harnesses from the extension's own sources (frontend
# build, libpgcommon for StringInfo, palloc and the JSON parser).
#   bash test/fuzz/build.sh OUTDIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-$here/bin}
pgc=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
mkdir -p "$out"
cc=("${CLANG:-clang-14}" -g -O1 -fsanitize=fuzzer,address,undefined -DFRONTEND -Wno-ignored-attributes
	-I"$root/src" -I"$here" -I"$($pgc --includedir-server)" -I/usr/include/mariadb)
# Debian keeps the static libraries in pkglibdir, a source build in libdir.
pglib=$($pgc --pkglibdir)
[ -f "$pglib/libpgcommon.a" ] || pglib=$($pgc --libdir)
pglibs=("$pglib/libpgcommon.a" "$pglib/libpgport.a" -lm)

"${cc[@]}" "$here/fuzz_encoders.c" "$root/src/core/load_encode.c" "${pglibs[@]}" -o "$out/fuzz_encoders"
"${cc[@]}" "$here/fuzz_starrocks.c" "$root/src/starrocks/sr_answer.c" "$root/src/core/json_scan.c" \
	"${pglibs[@]}" -o "$out/fuzz_starrocks"
# placeholders.c raises ERRORs: fe_ereport.h turns them into a jump back.
"${cc[@]}" -include "$here/fe_ereport.h" "$here/fuzz_params.c" "$root/src/core/params.c" \
	"$root/src/core/json_scan.c" "$root/src/mysql/placeholders.c" "${pglibs[@]}" -lmariadb \
	-o "$out/fuzz_params"
