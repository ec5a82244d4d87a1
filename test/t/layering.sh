#!/usr/bin/env bash
# The tree keeps its layering (test/layering.py): no cycle between files or
# folders, dependencies that run api -> registry -> kinds -> core, and no
# store kind named outside the registry and its own folder.  Controls: the
# same check on copies of src/ with one such fault put in must fail.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
cd "$DS_ROOT"
fail() { echo "FAIL: $*"; exit 1; }

python3 test/layering.py src || fail "src/ breaks its layering"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
control() {
	local what=$1 file=$2 line=$3
	rm -rf "$work/src" && cp -r src "$work/src"
	printf '%s\n' "$line" >>"$work/src/$file"
	if python3 test/layering.py "$work/src" >"$work/out"; then
		fail "control not caught: $what"
	fi
	echo "control caught: $what: $(grep -v '^layering:' "$work/out" | head -1)"
}
control "the core reaching up to the SQL functions" core/pool.h '#include "api/call.h"'
control "a kind reaching another kind" postgres/pq.h '#include "mysql/mysql.h"'
control "the SQL functions reaching a kind" api/call.h '#include "starrocks/starrocks.h"'
control "a kind's routine named in the SQL functions" api/sync.c 'static const void *p = &ds_mysql_routine;'
control "a store type tested in the core" core/pool.c 'static int t(const char *s) { return strcmp(s, "starrocks"); }'
control "a cycle between two files" core/catalog.c '#include "core/pool.h"'
