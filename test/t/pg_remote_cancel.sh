#!/usr/bin/env bash
# Remote PostgreSQL stores, stopped from here:
#  1. pg_cancel_backend and statement_timeout stop a remote pg_sleep(60) at
#     once, and the remote statement dies too (pg_stat_activity on the
#     second cluster).
#  2. pg_terminate_backend during a load: the client gets its FATAL, no
#     remote session of the store is left and nothing of the load is
#     visible.
#  3. A frozen remote server (SIGSTOP): statement_timeout still fires and the
#     cleanup is bounded by datastore.cancel_timeout; after SIGCONT no remote
#     session is left.
# Elapsed times are printed; the test only asserts they are far below the
# sleeps involved.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$DS_ENV"
db=ds_t_pq_cancel
PGOPTIONS="-c client_min_messages=warning" psql -Xq -d postgres \
	-c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
psql -Xq -d "$db" -v ON_ERROR_STOP=1 >/dev/null <<SQL
CREATE EXTENSION datastore;
SELECT ds_register('pg2', 'postgres', host => '$DS_PG2_HOST', port => $DS_PG2_PORT,
                   "user" => '$DS_PG2_USER', password => '$DS_PG2_PASSWORD',
                   database => '$DS_PG2_DATABASE', min_connections => 0);
SQL
pg2_pid() { head -1 "$DS_PG2_SOCKET/data/postmaster.pid"; }
trap 'kill -CONT $(pg2_pid) 2>/dev/null || true' EXIT

# Remote sessions of the store, and those running a given statement.
remote_sessions() {
	ds_pg2 -XAt -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'datastore'"
}
remote_running() {
	ds_pg2 -XAt -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'datastore' AND query LIKE '$1%' AND state = 'active'"
}
wait_for() {
	local i
	for i in $(seq 1 100); do
		[ "$(eval "$1")" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

# run_and_stop HOW EXPECTED_MESSAGE
run_and_stop() {
	local how=$1 expect=$2 out="$DS_TMP/pqcancel.$1.out" pid start end ms opts=""
	[ "$how" = statement_timeout ] && opts="-c statement_timeout=1500"
	PGOPTIONS="$opts" PGAPPNAME=ds_pq_victim psql -X -d "$db" \
		-c "SELECT * FROM ds_query('pg2', 'SELECT pg_sleep(60)')" >"$out" 2>&1 &
	local client=$!
	wait_for "remote_running 'SELECT pg_sleep(60)'" 1 ||
		{ echo "remote pg_sleep never started"; cat "$out"; return 1; }
	start=$(date +%s%N)
	if [ "$how" != statement_timeout ]; then
		pid=$(psql -XAt -d "$db" -c "SELECT pid FROM pg_stat_activity WHERE application_name = 'ds_pq_victim'")
		psql -XAt -d "$db" -c "SELECT $how($pid)" >/dev/null
	fi
	wait "$client" || true
	end=$(date +%s%N)
	ms=$(((end - start) / 1000000))
	echo "$how: client returned after $ms ms: $(grep -m1 -E 'ERROR|FATAL' "$out" || true)"
	grep -q "$expect" "$out" || { echo "expected '$expect'"; cat "$out"; return 1; }
	[ "$ms" -lt 20000 ] || { echo "too slow to stop: $ms ms"; return 1; }
	wait_for "remote_running 'SELECT pg_sleep(60)'" 0 || true
	echo "$how: remote pg_sleep still running: $(remote_running 'SELECT pg_sleep(60)')"
	[ "$(remote_running 'SELECT pg_sleep(60)')" = 0 ]
}

echo "== 1. cancel a remote statement"
run_and_stop pg_cancel_backend "canceling statement due to user request"
run_and_stop statement_timeout "canceling statement due to statement timeout"
run_and_stop pg_terminate_backend "terminating connection due to administrator command"
wait_for remote_sessions 0 || true
echo "remote sessions after the terminated backend: $(remote_sessions)"
[ "$(remote_sessions)" = 0 ]

echo "== 2. pg_terminate_backend during a load"
psql -XAtq -d "$db" -c "SELECT ds_exec('pg2', 'DROP TABLE IF EXISTS cancel_load; CREATE TABLE cancel_load (k int, v text)')" >/dev/null
# A slow source: the load's COPY is open for seconds.
PGAPPNAME=ds_pq_load psql -X -d "$db" -c "SELECT ds_stream_load_query('pg2', 'cancel_load',
  'SELECT g AS k, md5(g::text) AS v FROM generate_series(1, 200000) g WHERE pg_sleep(CASE WHEN g % 20000 = 0 THEN 1 ELSE 0 END) IS NOT NULL')" \
	>"$DS_TMP/pqcancel.load.out" 2>&1 &
client=$!
wait_for "remote_running 'COPY'" 1 || { echo "remote COPY never started"; cat "$DS_TMP/pqcancel.load.out"; exit 1; }
# Let some pieces go out inside the remote transaction.
sleep 1.5
psql -XAtq -d "$db" -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'ds_pq_load'" >/dev/null
wait "$client" || true
cat "$DS_TMP/pqcancel.load.out"
grep -q 'terminating connection due to administrator command' "$DS_TMP/pqcancel.load.out"
wait_for remote_sessions 0 || true
echo "remote sessions after the terminated load: $(remote_sessions)"
[ "$(remote_sessions)" = 0 ]
rows=$(ds_pg2 -XAt -c "SELECT count(*) FROM cancel_load")
echo "rows visible from the terminated load: $rows"
[ "$rows" = 0 ]

echo "== 3. frozen remote server"
psql -X -d "$db" >"$DS_TMP/pqcancel.frozen.out" 2>&1 <<SQL || true
SELECT (r->>'remote_pid')::int AS rpid FROM ds_query('pg2', 'SELECT pg_backend_pid() AS remote_pid') r \gset
\setenv RPID :rpid
\! kill -STOP \$RPID \$(head -1 $DS_PG2_SOCKET/data/postmaster.pid)
SET statement_timeout = '2s';
SET datastore.cancel_timeout = 1;
SELECT extract(epoch FROM clock_timestamp()) AS t0 \gset
SELECT * FROM ds_query('pg2', 'SELECT 1 AS frozen');
SELECT round((extract(epoch FROM clock_timestamp()) - :t0) * 1000) AS elapsed_ms;
\! kill -CONT \$RPID \$(head -1 $DS_PG2_SOCKET/data/postmaster.pid)
RESET statement_timeout;
SELECT * FROM ds_query('pg2', 'SELECT 2 AS thawed');
SQL
cat "$DS_TMP/pqcancel.frozen.out"
grep -q 'canceling statement due to statement timeout' "$DS_TMP/pqcancel.frozen.out"
grep -q 'could not stop an abandoned statement on datastore "pg2"' "$DS_TMP/pqcancel.frozen.out"
ms=$(grep -A2 elapsed_ms "$DS_TMP/pqcancel.frozen.out" | tail -1 | tr -d ' ')
echo "statement_timeout 2s + cancel_timeout 1s: the frozen statement gave up after $ms ms"
[ "$ms" -lt 15000 ]
grep -q '"thawed": 2' "$DS_TMP/pqcancel.frozen.out"
echo "pool works after SIGCONT"
psql -Xq -d postgres -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$db'" >/dev/null
wait_for remote_sessions 0 || true
echo "remote sessions at the end: $(remote_sessions)"
[ "$(remote_sessions)" = 0 ]

echo "reliability: faults 5 5"
echo "reliability: leaked $(remote_sessions)"
psql -Xq -d postgres -c "DROP DATABASE $db"
