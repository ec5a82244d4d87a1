#!/usr/bin/env bash
# pg_cancel_backend and pg_terminate_backend stop a remote SELECT SLEEP(60)
# at once, and the statement dies on the server too.  The elapsed times are
# printed; the test only asserts they are far below the 60 s sleep.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$DS_ENV"
db=ds_t_cancel
ds_test_db "$db"

sleepers() {
	ds_mariadb -N -e "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT SLEEP(60)%'"
}

# run_and_stop FUNCTION EXPECTED_MESSAGE
run_and_stop() {
	local fn=$1 expect=$2 out="$DS_TMP/cancel.$1.out" pid= i start end
	PGAPPNAME=ds_victim psql -X -d "$db" -c "SELECT * FROM ds_query('my', 'SELECT SLEEP(60)')" >"$out" 2>&1 &
	local client=$!
	for i in $(seq 1 100); do
		[ "$(sleepers)" = 1 ] && break
		sleep 0.1
	done
	[ "$(sleepers)" = 1 ] || { echo "remote SLEEP never started"; cat "$out"; return 1; }
	pid=$(psql -XAt -d "$db" -c "SELECT pid FROM pg_stat_activity WHERE application_name = 'ds_victim'")
	start=$(date +%s%N)
	psql -XAt -d "$db" -c "SELECT $fn($pid)" >/dev/null
	wait "$client" || true
	end=$(date +%s%N)
	local ms=$(((end - start) / 1000000))
	echo "$fn: client returned after $ms ms: $(grep -m1 -E 'ERROR|FATAL' "$out" || true)"
	grep -q "$expect" "$out" || { echo "expected '$expect'"; cat "$out"; return 1; }
	[ "$ms" -lt 20000 ] || { echo "too slow to stop: $ms ms"; return 1; }
	for i in $(seq 1 50); do
		[ "$(sleepers)" = 0 ] && break
		sleep 0.1
	done
	echo "$fn: remote sleepers left: $(sleepers)"
	[ "$(sleepers)" = 0 ]
}

run_and_stop pg_cancel_backend "canceling statement due to user request"
run_and_stop pg_terminate_backend "terminating connection due to administrator command"

# The pool of a surviving backend stays usable after a cancel.
psql -X -d "$db" -v ON_ERROR_STOP=1 <<'SQL' >"$DS_TMP/cancel.reuse.out" 2>&1 || { cat "$DS_TMP/cancel.reuse.out"; exit 1; }
SET statement_timeout = '500ms';
DO $$ BEGIN PERFORM ds_query('my', 'SELECT SLEEP(60)'); EXCEPTION WHEN query_canceled THEN NULL; END $$;
RESET statement_timeout;
SELECT * FROM ds_query('my', 'SELECT 42 AS still_works');
SQL
grep -q '"still_works": 42' "$DS_TMP/cancel.reuse.out"
echo "pool usable after cancel"
echo "reliability: faults 3 3"
echo "reliability: leaked $(sleepers)"
psql -Xq -d postgres -c "DROP DATABASE $db"
