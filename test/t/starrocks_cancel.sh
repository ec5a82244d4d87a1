#!/usr/bin/env bash
# A stream load stalled by the BE is stopped by statement_timeout and by
# pg_cancel_backend (times printed, asserted only far below the stall), the
# load leaves nothing behind, and a second load with the label of one still
# running is an ERROR, not a success.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$DS_ENV"
db=ds_t_srcancel
ds_test_db "$db"
psql -XAtq -d "$db" >/dev/null <<SQL
SELECT ds_register('sr', 'starrocks', host => '127.0.0.1', port => $DS_SR_MYSQL_PORT,
  "user" => '$DS_MYSQL_USER', password => '$DS_MYSQL_PASSWORD', database => '$DS_SR_DATABASE',
  http_port => $DS_SR_FE_PORT);
SELECT ds_exec('sr', 'DROP TABLE IF EXISTS stall');
-- A Duplicate Key table: a row loaded twice would be counted twice.
SELECT ds_exec('sr', 'CREATE TABLE stall (k INT NOT NULL, v STRING)
  DUPLICATE KEY (k) DISTRIBUTED BY HASH (k) BUCKETS 1 PROPERTIES ("replication_num" = "1")');
SQL
load="SELECT ds_stream_load_query('sr', 'stall', 'SELECT g AS k, md5(g::text) AS v FROM generate_series(1, 200000) g', '{\"label\": \"stalled-1\"}')"

ds_sr_config '{"stall_seconds": 30, "stall_count": 1}'
start=$(date +%s%N)
psql -X -d "$db" -c "SET statement_timeout = '1s'" -c "$load" >"$DS_TMP/srstall.1" 2>&1 || true
end=$(date +%s%N)
echo "statement_timeout: $(((end - start) / 1000000)) ms: $(grep -m1 ERROR "$DS_TMP/srstall.1")"
grep -q "canceling statement due to statement timeout" "$DS_TMP/srstall.1"
[ $(((end - start) / 1000000)) -lt 20000 ]

# pg_cancel_backend while the BE stalls; meanwhile the same label is RUNNING.
ds_sr_config '{"stall_seconds": 30, "stall_count": 1}'
PGAPPNAME=ds_srstall psql -X -d "$db" -c "${load/stalled-1/stalled-2}" >"$DS_TMP/srstall.2" 2>&1 &
client=$!
# Wait until the emulator has the label (its load is running, stalled).
for i in $(seq 1 100); do
	state=$(curl -s -u "$DS_MYSQL_USER:$DS_MYSQL_PASSWORD" \
		"http://127.0.0.1:$DS_SR_FE_PORT/api/$DS_SR_DATABASE/get_load_state?label=stalled-2" |
		sed -n 's/.*"state": *"\([A-Z]*\)".*/\1/p')
	[ -n "$state" ] && [ "$state" != UNKNOWN ] && break
	sleep 0.1
done
echo "state of the stalled load: $state"
psql -X -d "$db" -c "${load/stalled-1/stalled-2}" >"$DS_TMP/srstall.3" 2>&1 || true
echo "same label while running: $(grep -m1 ERROR "$DS_TMP/srstall.3")"
grep -q 'is already in use (RUNNING)' "$DS_TMP/srstall.3"
start=$(date +%s%N)
psql -XAtq -d "$db" -c "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'ds_srstall'" >/dev/null
wait "$client" || true
end=$(date +%s%N)
echo "pg_cancel_backend: $(((end - start) / 1000000)) ms: $(grep -m1 ERROR "$DS_TMP/srstall.2")"
grep -q "canceling statement due to user request" "$DS_TMP/srstall.2"
[ $(((end - start) / 1000000)) -lt 20000 ]

sleep 1
rows=$(ds_mariadb -N -e "SELECT COUNT(*) FROM $DS_SR_DATABASE.stall")
echo "rows after two cancelled loads: $rows"
[ "$rows" = 0 ]
# The next load goes through.
psql -XAt -d "$db" -c "${load/stalled-1/stalled-3}" | grep -q '"Status": "Success"'
echo "unstalled load: $(ds_mariadb -N -e "SELECT COUNT(*) FROM $DS_SR_DATABASE.stall") rows"
echo "reliability: faults 3 3"
echo "reliability: rows 200000 $(ds_mariadb -N -e "SELECT COUNT(*) FROM $DS_SR_DATABASE.stall")"
psql -Xq -d postgres -c "DROP DATABASE $db"
