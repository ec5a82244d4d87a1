#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, starts throwaway
# servers, runs pg_regress and the shell tests in test/t/, stops the servers
# and ends with the line "N passed, N failed".
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$DS_ROOT"

ds_install_deps
ds_build
trap ds_stop_servers EXIT
ds_start_servers
# pg_regress and the shell tests read the servers' settings from here.
. "$DS_ENV"

passed=0
failed=0
log="$DS_TMP/regress.log"

ds_log "pg_regress"
rm -rf results regression.diffs regression.out
make -s PG_CONFIG="$PG_CONFIG" installcheck >"$log" 2>&1 || true
# One line per test: "test name ... ok" / "... FAILED" up to PostgreSQL 15,
# TAP's "ok 1 - name" / "not ok 2 - name" from 16 on.
ok=$(grep -cE '\.\.\. ok( |$)|^ok [0-9]+ ' "$log" || true)
bad=$(grep -cE '\.\.\. FAILED|^not ok [0-9]+ ' "$log" || true)
grep -E '\.\.\. (ok|FAILED)|^(not )?ok [0-9]+ ' "$log" | sed 's/^/  /' || true
if [ "$ok" -eq 0 ] && [ "$bad" -eq 0 ]; then
	cat "$log"
	bad=1
fi
[ -f regression.diffs ] && head -200 regression.diffs
passed=$((passed + ok))
failed=$((failed + bad))

ds_run_shell_tests $(for t in test/t/*.sh; do basename "$t" .sh; done)

trap - EXIT
ds_stop_servers
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
