#!/usr/bin/env bash
# Load: pgbench, 16 clients, mixing ds_query, ds_exec and small
# ds_stream_load calls on all three kinds of store.  Asserts zero failed
# transactions, MariaDB sessions never above 16 x max_connections, and each
# backend's RSS flat between the start and the end of the run.
#   DS_LOAD_SECONDS (default 20 here; the issue's full run is 60).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$DS_ENV"
seconds=${DS_LOAD_SECONDS:-20}
clients=16
db=ds_t_load
ds_test_db "$db"
psql -XAtq -d "$db" >/dev/null <<SQL
SELECT ds_register('sr', 'starrocks', host => '127.0.0.1', port => $DS_SR_MYSQL_PORT,
  "user" => '$DS_MYSQL_USER', password => '$DS_MYSQL_PASSWORD', database => '$DS_SR_DATABASE',
  http_port => $DS_SR_FE_PORT);
SELECT ds_exec('my', 'DROP TABLE IF EXISTS loadt');
SELECT ds_exec('my', 'CREATE TABLE loadt (k INT PRIMARY KEY, v INT)');
SELECT ds_exec('sr', 'DROP TABLE IF EXISTS loadsr');
-- A Duplicate Key table: every load appends its row, whatever its key.
SELECT ds_exec('sr', 'CREATE TABLE loadsr (k INT, v INT)
  DUPLICATE KEY (k) DISTRIBUTED BY HASH (k) BUCKETS 1 PROPERTIES ("replication_num" = "1")');
CREATE TABLE loadlocal (k int, v int);
SQL
cat >"$DS_TMP/load.pgbench" <<'SQL'
\set k random(1, 100000)
SELECT count(*) FROM ds_query('my', 'SELECT $1 AS k, NOW() AS t', jsonb_build_array(:k));
SELECT ds_exec('my', 'INSERT INTO loadt VALUES ($1, 1) ON DUPLICATE KEY UPDATE v = v + 1', jsonb_build_array(:k));
SELECT count(*) FROM ds_query('local', 'SELECT $1::int AS k', jsonb_build_array(:k));
SELECT ds_stream_load('my', 'loadt', jsonb_build_array(jsonb_build_object('k', :k + 200000, 'v', 1)), '{"replace": true}')->>'Status';
SELECT ds_stream_load('sr', 'loadsr', jsonb_build_array(jsonb_build_object('k', :k, 'v', 1)))->>'Status';
SELECT count(*) FROM ds_query('sr', 'SELECT ? AS k', jsonb_build_array(:k));
SELECT count(*) FROM ds_http_query('sr', 'SELECT 1 AS one');
SELECT ds_stream_load('local', 'loadlocal', jsonb_build_array(jsonb_build_object('k', :k, 'v', 1)))->>'Status';
SQL

sessions() {
	ds_mariadb -N -e "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = '$DS_MYSQL_USER'"
}
rss_of_clients() {
	psql -XAtq -d "$db" -c "SELECT pid FROM pg_stat_activity WHERE application_name = 'pgbench'" |
		while read -r pid; do
			awk -v p="$pid" '/VmRSS/ {print p, $2}' "/proc/$pid/status" 2>/dev/null || true
		done
}

"$PG_BIN/pgbench" -n -c "$clients" -j 2 -T "$seconds" -f "$DS_TMP/load.pgbench" "$db" >"$DS_TMP/pgbench.out" 2>&1 &
bench=$!
max_sessions=0
sleep 3
rss_of_clients >"$DS_TMP/rss.start"
while kill -0 "$bench" 2>/dev/null; do
	n=$(sessions)
	[ "$n" -gt "$max_sessions" ] && max_sessions=$n
	if [ "$(date +%s)" -ge $(($(stat -c %Y "$DS_TMP/rss.start") + seconds - 5)) ] && [ ! -s "$DS_TMP/rss.end" ]; then
		rss_of_clients >"$DS_TMP/rss.end"
	fi
	sleep 0.5
done
wait "$bench"
cat "$DS_TMP/pgbench.out" | grep -E "number of (transactions|failed)|tps|latency average"
failed=$(sed -n 's/.*number of failed transactions: \([0-9]*\).*/\1/p' "$DS_TMP/pgbench.out")
done_tx=$(sed -n 's/.*number of transactions actually processed: \([0-9]*\).*/\1/p' "$DS_TMP/pgbench.out")
echo "transactions: $done_tx, failed: ${failed:-?}, max MariaDB sessions: $max_sessions (limit $((clients * 10)))"
[ "${failed:-1}" = 0 ] && [ "${done_tx:-0}" -gt 0 ]
[ "$max_sessions" -le $((clients * 10)) ]
# Every small load landed once: one row per transaction in each target.
landed_local=$(psql -XAtq -d "$db" -c "SELECT count(*) FROM loadlocal")
landed_sr=$(ds_mariadb -N -e "SELECT COUNT(*) FROM $DS_SR_DATABASE.loadsr")
echo "rows sent per target: $done_tx; landed: local $landed_local, StarRocks $landed_sr"
[ "$landed_local" = "$done_tx" ] && [ "$landed_sr" = "$done_tx" ]
echo "reliability: rows $((2 * done_tx)) $((landed_local + landed_sr))"
# RSS: the same backends at the start and near the end.
worst=$(join <(sort "$DS_TMP/rss.start") <(sort "$DS_TMP/rss.end") | awk '{d = ($3 - $2) / 1024; if (d > m) m = d} END {printf "%d", m}')
echo "largest backend RSS growth between second 3 and second $((seconds - 5)): ${worst} MB over $(wc -l <"$DS_TMP/rss.end") backends"
[ "$(wc -l <"$DS_TMP/rss.end")" -gt 0 ]
[ "$worst" -lt 16 ]

psql -Xq -d postgres -c "DROP DATABASE $db"
