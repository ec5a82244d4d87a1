#!/usr/bin/env bash
# A bulk load that stalls (the target table is locked by another MariaDB
# session) is stopped by statement_timeout and by pg_cancel_backend: the
# LOAD DATA dies on the server and nothing of it is loaded.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$DS_ENV"
db=ds_t_stall
ds_test_db "$db"
psql -Xq -d "$db" -c "SELECT ds_exec('my', 'DROP TABLE IF EXISTS stall')" \
	-c "SELECT ds_exec('my', 'CREATE TABLE stall (id INT PRIMARY KEY, s TEXT) ENGINE=InnoDB')" >/dev/null

loaders() {
	ds_mariadb -N -e "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'LOAD DATA%stall%'"
}

lock_table() {
	ds_mariadb -e "LOCK TABLES stall WRITE; SELECT SLEEP(30)" >/dev/null 2>&1 &
	locker=$!
	sleep 0.5
}

unlock_table() {
	local id
	id=$(ds_mariadb -N -e "SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT SLEEP(30)%'")
	[ -n "$id" ] && ds_mariadb -e "KILL $id"
	wait "$locker" 2>/dev/null || true
}

check_stopped() {
	local i
	for i in $(seq 1 50); do
		[ "$(loaders)" = 0 ] && break
		sleep 0.1
	done
	echo "LOAD DATA statements left on the server: $(loaders)"
	[ "$(loaders)" = 0 ]
}

lock_table
start=$(date +%s%N)
psql -X -d "$db" >"$DS_TMP/stall.out" 2>&1 <<'SQL' || true
SET statement_timeout = '1s';
SELECT ds_stream_load_query('my', 'stall', 'SELECT g AS id, repeat(''x'', 100) AS s FROM generate_series(1, 50000) g');
SQL
end=$(date +%s%N)
echo "statement_timeout: $(((end - start) / 1000000)) ms: $(grep -m1 ERROR "$DS_TMP/stall.out")"
grep -q "canceling statement due to statement timeout" "$DS_TMP/stall.out"
check_stopped

# The same with pg_cancel_backend from another session.
PGAPPNAME=ds_stall psql -X -d "$db" -c "SELECT ds_stream_load_query('my', 'stall', 'SELECT g AS id, ''y'' AS s FROM generate_series(1, 1000) g')" >"$DS_TMP/stall2.out" 2>&1 &
client=$!
for i in $(seq 1 50); do [ "$(loaders)" = 1 ] && break; sleep 0.1; done
[ "$(loaders)" = 1 ] || { echo "the load never reached the server"; cat "$DS_TMP/stall2.out"; exit 1; }
start=$(date +%s%N)
psql -XAtq -d "$db" -c "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'ds_stall'" >/dev/null
wait "$client" || true
end=$(date +%s%N)
echo "pg_cancel_backend: $(((end - start) / 1000000)) ms: $(grep -m1 ERROR "$DS_TMP/stall2.out")"
grep -q "canceling statement due to user request" "$DS_TMP/stall2.out"
check_stopped
unlock_table

rows=$(ds_mariadb -N -e "SELECT COUNT(*) FROM stall")
echo "rows in the target after two cancelled loads: $rows"
[ "$rows" = 0 ]
# And a load that is not stalled goes through.
psql -XAt -d "$db" -c "SELECT ds_stream_load_query('my', 'stall', 'SELECT g AS id, ''z'' AS s FROM generate_series(1, 1000) g')->>'NumberLoadedRows'" | grep -qx 1000
echo "unstalled load: 1000 rows"
echo "reliability: faults 2 2"
echo "reliability: rows 1000 $(ds_mariadb -N -e "SELECT COUNT(*) FROM stall")"
echo "reliability: leaked $(loaders)"
psql -Xq -d postgres -c "DROP DATABASE $db"
