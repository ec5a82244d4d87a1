#!/usr/bin/env bash
# Faults, each with its own assertion:
#  1. MariaDB stopped in the middle of a query: a clean ERROR, the backend
#     lives, and after a restart the same session's next call works.
#  2. MariaDB frozen (SIGSTOP): statement_timeout fires, the cleanup is
#     bounded by datastore.cancel_timeout, and after SIGCONT the pool works.
#  3. pg_terminate_backend during a MySQL load: no remote session is left
#     and nothing of the load is visible.
#  4. As 2, over TLS ("ssl": {"mode": "require"}): the library's TLS reads
#     must not block in the socket, so statement_timeout still fires.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$DS_ENV"
lib="$DS_ROOT/test/lib.sh"
db=ds_t_faults
ds_test_db "$db"
mpid() { cat "$DS_TMP/my/mariadb.pid"; }
trap 'kill -CONT $(mpid) 2>/dev/null || true' EXIT

echo "== 1. MariaDB stopped mid-query"
psql -X -d "$db" >"$DS_TMP/f1.out" 2>&1 <<SQL
\set SHOW_CONTEXT never
SELECT pg_backend_pid() AS pid \gset
SELECT * FROM ds_query('my', 'SELECT ''before'' AS phase');
\! (sleep 1; bash -c '. $lib; . \$DS_ENV; ds_mariadb_down') &
SELECT * FROM ds_query('my', 'SELECT SLEEP(30) AS interrupted');
\! bash -c '. $lib; . \$DS_ENV; ds_mariadb_up'
SELECT pg_backend_pid() = :pid AS same_backend;
SELECT * FROM ds_query('my', 'SELECT ''after'' AS phase');
SQL
cat "$DS_TMP/f1.out"
grep -q 'ERROR:  Lost connection\|ERROR:  Server has gone away\|ERROR:  .*connection' "$DS_TMP/f1.out"
grep -A2 same_backend "$DS_TMP/f1.out" | grep -q ' t$'
grep -q '"phase": "after"' "$DS_TMP/f1.out"

echo "== 2. MariaDB frozen"
# One session: its pooled connection is open when the server freezes, so
# the statement is abandoned mid-flight and must be cleaned up.
psql -X -d "$db" >"$DS_TMP/f2.out" 2>&1 <<SQL || true
SELECT * FROM ds_query('my', 'SELECT 1 AS warm');
\! kill -STOP \$(cat $DS_TMP/my/mariadb.pid)
SET statement_timeout = '2s';
SET datastore.cancel_timeout = 1;
SELECT extract(epoch FROM clock_timestamp()) AS t0 \gset
SELECT * FROM ds_query('my', 'SELECT 1 AS frozen');
SELECT round((extract(epoch FROM clock_timestamp()) - :t0) * 1000) AS elapsed_ms;
\! kill -CONT \$(cat $DS_TMP/my/mariadb.pid)
RESET statement_timeout;
SELECT * FROM ds_query('my', 'SELECT 2 AS thawed');
SQL
cat "$DS_TMP/f2.out"
grep -q 'canceling statement due to statement timeout' "$DS_TMP/f2.out"
ms=$(grep -A2 elapsed_ms "$DS_TMP/f2.out" | tail -1 | tr -d ' ')
echo "statement_timeout 2s + cancel_timeout 1s: the frozen statement gave up after $ms ms"
[ "$ms" -lt 15000 ]
grep -q '"thawed": 2' "$DS_TMP/f2.out"
echo "pool works after SIGCONT"

echo "== 3. pg_terminate_backend during a load"
psql -XAtq -d "$db" -c "SELECT ds_exec('my', 'DROP TABLE IF EXISTS faultload')" \
	-c "SELECT ds_exec('my', 'CREATE TABLE faultload (k INT, v TEXT) ENGINE=InnoDB')" >/dev/null
sessions() {
	ds_mariadb -N -e "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = '$DS_MYSQL_USER'"
}
before=$(sessions)
# A slow source: the load's remote transaction is open for seconds.
PGAPPNAME=ds_fault_load psql -X -d "$db" -c "SELECT ds_stream_load_query('my', 'faultload',
  'SELECT g AS k, md5(g::text) AS v FROM generate_series(1, 200000) g WHERE pg_sleep(CASE WHEN g % 20000 = 0 THEN 1 ELSE 0 END) IS NOT NULL')" \
	>"$DS_TMP/f3.out" 2>&1 &
client=$!
for i in $(seq 1 50); do [ "$(sessions)" -gt "$before" ] && break; sleep 0.1; done
# Let the load send some batches inside its remote transaction.
sleep 1.5
psql -XAtq -d "$db" -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'ds_fault_load'" >/dev/null
wait "$client" || true
cat "$DS_TMP/f3.out"
grep -q 'terminating connection due to administrator command' "$DS_TMP/f3.out"
for i in $(seq 1 50); do [ "$(sessions)" -le "$before" ] && break; sleep 0.1; done
echo "MariaDB sessions of the test user: before $before, after $(sessions)"
[ "$(sessions)" -le "$before" ]
rows=$(ds_mariadb -N -e "SELECT COUNT(*) FROM faultload")
echo "rows visible from the terminated load: $rows"
[ "$rows" = 0 ]

echo "== 4. MariaDB frozen under a TLS connection"
psql -Xq -d "$db" >/dev/null -c "SELECT ds_register('mytls', 'mysql', host => '127.0.0.1',
  port => $DS_MYSQL_PORT, \"user\" => '$DS_MYSQL_USER', password => '$DS_MYSQL_PASSWORD',
  database => '$DS_MYSQL_DATABASE', options => '{\"ssl\": {\"mode\": \"require\"}}')"
psql -X -d "$db" >"$DS_TMP/f4.out" 2>&1 <<SQL &
SELECT r->>'Value' <> '' AS encrypted FROM ds_query('mytls', \$\$SHOW SESSION STATUS LIKE 'Ssl_cipher'\$\$) r;
\! kill -STOP \$(cat $DS_TMP/my/mariadb.pid)
SET statement_timeout = '2s';
SET datastore.cancel_timeout = 1;
SELECT extract(epoch FROM clock_timestamp()) AS t0 \gset
SELECT * FROM ds_query('mytls', 'SELECT 1 AS frozen');
SELECT round((extract(epoch FROM clock_timestamp()) - :t0) * 1000) AS elapsed_ms;
\! kill -CONT \$(cat $DS_TMP/my/mariadb.pid)
RESET statement_timeout;
SELECT * FROM ds_query('mytls', 'SELECT 2 AS thawed');
SQL
client=$!
# Without interruptible TLS reads the backend blocks in read() until the
# server answers: thaw it after 30 s so the session can end, and fail.
for i in $(seq 1 300); do kill -0 "$client" 2>/dev/null || break; sleep 0.1; done
hung=0
if kill -0 "$client" 2>/dev/null; then
	hung=1
	kill -CONT "$(mpid)"
fi
wait "$client" || true
cat "$DS_TMP/f4.out"
[ "$hung" = 0 ] || { echo "the frozen TLS statement was still running after 30 s"; exit 1; }
grep -A2 encrypted "$DS_TMP/f4.out" | grep -q ' t$'
grep -q 'canceling statement due to statement timeout' "$DS_TMP/f4.out"
ms=$(grep -A2 elapsed_ms "$DS_TMP/f4.out" | tail -1 | tr -d ' ')
echo "over TLS, statement_timeout 2s + cancel_timeout 1s: the frozen statement gave up after $ms ms"
[ "$ms" -lt 15000 ]
grep -q '"thawed": 2' "$DS_TMP/f4.out"
echo "TLS pool works after SIGCONT"

echo "reliability: faults 4 4"
echo "reliability: leaked $(( $(sessions) > before ? $(sessions) - before : 0 ))"
psql -Xq -d postgres -c "DROP DATABASE $db"
