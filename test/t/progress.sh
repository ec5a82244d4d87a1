#!/usr/bin/env bash
# ds_progress() from a second session: a MySQL load that finishes, a batched
# StarRocks load and a MariaDB ds_query that are cancelled.  Each must show
# its pid, kind, store and target, with rows and bytes growing between two
# polls; once the call is over (the backend alive and idle in a later
# pg_sleep) its slot must be gone.  The sources sleep every few hundred
# rows, so the calls last seconds whatever the machine; every wait is
# bounded but no duration is asserted.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$DS_ENV"
db=ds_t_progress
ds_test_db "$db"
psql -XAtq -d "$db" >/dev/null <<SQL
SELECT ds_register('sr', 'starrocks', host => '127.0.0.1', port => $DS_SR_MYSQL_PORT,
  "user" => '$DS_MYSQL_USER', password => '$DS_MYSQL_PASSWORD', database => '$DS_SR_DATABASE',
  http_port => $DS_SR_FE_PORT);
SELECT ds_exec('my', 'DROP TABLE IF EXISTS progress_t');
SELECT ds_exec('my', 'CREATE TABLE progress_t (k INT, v TEXT)');
SELECT ds_exec('sr', 'DROP TABLE IF EXISTS progress_sink');
SELECT ds_exec('sr', 'CREATE TABLE progress_sink (k INT, v STRING)
  DUPLICATE KEY (k) DISTRIBUTED BY HASH (k) BUCKETS 1 PROPERTIES ("replication_num" = "1")');
SQL
ds_sr_config '{"sink": true}'
trap "ds_sr_config '{\"sink\": false}'" EXIT

q() { psql -XAtq -d "$db" -c "$1"; }

# wait_for SQL: until the query prints t (60 s at most).
wait_for() {
	local i
	for i in $(seq 1 600); do
		[ "$(q "$1")" = t ] && return 0
		sleep 0.1
	done
	echo "gave up waiting for: $1"
	return 1
}

# watch APPNAME KIND STORE TARGET: the call of the session named APPNAME
# shows with these, and its rows and bytes grow.  Sets $pid.
watch() {
	local app=$1 kind=$2 store=$3 target=$4 first
	wait_for "SELECT count(*) = 1 FROM pg_stat_activity WHERE application_name = '$app'"
	pid=$(q "SELECT pid FROM pg_stat_activity WHERE application_name = '$app'")
	wait_for "SELECT rows > 0 FROM ds_progress() WHERE pid = $pid"
	q "SELECT kind, store, coalesce(target, '-'), coalesce(label, '-'), rows, bytes,
	          started <= clock_timestamp(), usename FROM ds_progress() WHERE pid = $pid"
	[ "$(q "SELECT kind || ' ' || store || ' ' || coalesce(target, '-') || ' ' || usename
	          FROM ds_progress() WHERE pid = $pid")" = "$kind $store $target postgres" ]
	first=$(q "SELECT rows || ' ' || bytes FROM ds_progress() WHERE pid = $pid")
	wait_for "SELECT rows > ${first% *} AND bytes > ${first#* } FROM ds_progress() WHERE pid = $pid"
	echo "$app: $first, then $(q "SELECT rows || ' ' || bytes FROM ds_progress() WHERE pid = $pid")"
}

# gone_when_idle: the backend has moved on to its pg_sleep(600), and no
# longer has a slot; then its sleep is cancelled.
gone_when_idle() {
	wait_for "SELECT query LIKE 'SELECT pg_sleep(600)%' FROM pg_stat_activity WHERE pid = $pid"
	[ "$(q "SELECT count(*) FROM ds_progress() WHERE pid = $pid")" = 0 ] ||
		{ echo "stale slot:"; q "SELECT * FROM ds_progress() WHERE pid = $pid"; return 1; }
	q "SELECT pg_cancel_backend($pid)" >/dev/null
}

# 1. A MySQL load that finishes: 80,000 rows, 50 ms of sleep every 500.
out="$DS_TMP/progress.mysql.out"
PGAPPNAME=ds_progress_my psql -X -d "$db" -c "SELECT ds_stream_load_query('my', 'progress_t',
	\$\$SELECT g AS k, md5(g::text) AS v FROM generate_series(1, 80000) g
	    WHERE g % 500 <> 0 OR pg_sleep(0.05) IS NOT NULL\$\$)->>'NumberLoadedRows' AS loaded" \
	-c "SELECT pg_sleep(600)" >"$out" 2>&1 &
client=$!
watch ds_progress_my stream_load_query my progress_t
gone_when_idle
wait "$client" || true
grep -qx ' 80000' "$out" || { echo "load did not finish:"; cat "$out"; exit 1; }
[ "$(ds_mariadb -N -e 'SELECT COUNT(*) FROM progress_t')" = 80000 ]
echo "mysql: loaded 80000, slot gone after the load"

# 2. A StarRocks load in batches of 20,000 rows, cancelled: the label
# follows the batches.  (A billion rows from a set-returning function in the
# select list, which streams: in FROM it would be materialized first.)
label="progress_$(date +%s%N)"
out="$DS_TMP/progress.sr.out"
PGAPPNAME=ds_progress_sr psql -X -d "$db" -c "SELECT ds_stream_load_query('sr', 'progress_sink',
	\$\$SELECT g AS k, md5(g::text) AS v FROM (SELECT generate_series(1, 1000000000) AS g) s
	    WHERE g % 500 <> 0 OR pg_sleep(0.05) IS NOT NULL\$\$,
	'{\"label\": \"$label\", \"batch_rows\": 20000}')" \
	-c "SELECT pg_sleep(600)" >"$out" 2>&1 &
client=$!
watch ds_progress_sr stream_load_query sr progress_sink
batch=$(q "SELECT substring(label FROM '^$label-([0-9]+)\$') FROM ds_progress() WHERE pid = $pid")
[ -n "$batch" ] || { echo "no batch label:"; q "SELECT label FROM ds_progress() WHERE pid = $pid"; exit 1; }
wait_for "SELECT substring(label FROM '^$label-([0-9]+)\$')::int > $batch FROM ds_progress() WHERE pid = $pid"
q "SELECT pg_cancel_backend($pid)" >/dev/null
gone_when_idle
wait "$client" || true
grep -q "canceling statement due to user request" "$out" || { cat "$out"; exit 1; }
echo "starrocks: label $label-$batch, then a later batch, slot gone after the cancel"

# 3. A MariaDB ds_query streaming slowly, cancelled.
out="$DS_TMP/progress.query.out"
PGAPPNAME=ds_progress_q psql -X -d "$db" \
	-c "SELECT count(*) FROM ds_query('my', 'SELECT seq FROM seq_1_to_100000000 WHERE SLEEP(0.0005) = 0')" \
	-c "SELECT pg_sleep(600)" >"$out" 2>&1 &
client=$!
watch ds_progress_q query my -
q "SELECT pg_cancel_backend($pid)" >/dev/null
gone_when_idle
wait "$client" || true
grep -q "canceling statement due to user request" "$out" || { cat "$out"; exit 1; }
echo "query: slot gone after the cancel"

psql -Xq -d postgres -c "DROP DATABASE $db"
