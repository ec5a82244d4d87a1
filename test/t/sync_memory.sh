#!/usr/bin/env bash
# ds_sync streams: a million rows from MariaDB into StarRocks (the emulator's
# BE in sink mode, which counts rows and stores nothing), and a million rows
# from StarRocks (its MySQL side) into a local table through COPY, with the
# backend's peak RSS growth under 64 MB although each result is ~80 MB of
# text: nothing holds a whole result.  Rows sent = rows landed.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$DS_ENV"
db=ds_t_syncmem
rows=1000000
ds_test_db "$db"
ds_mariadb -e "DROP TABLE IF EXISTS syncmem;
	CREATE TABLE syncmem (id INT PRIMARY KEY, s VARCHAR(100), n DECIMAL(12,2));
	SET SESSION max_recursive_iterations = $((rows + 1));
	INSERT INTO syncmem WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < $rows)
		SELECT i, CONCAT(MD5(i), MD5(i)), ROUND(i / 7, 2) FROM g;"
# The StarRocks table, made with StarRocks DDL and filled from MariaDB's.
psql -XAtq -d "$db" -v ON_ERROR_STOP=1 >/dev/null <<SQL
SELECT ds_register('sr', 'starrocks', host => '127.0.0.1', port => $DS_SR_MYSQL_PORT,
  "user" => '$DS_MYSQL_USER', password => '$DS_MYSQL_PASSWORD', database => '$DS_SR_DATABASE',
  http_port => $DS_SR_FE_PORT);
SELECT ds_exec('sr', 'DROP TABLE IF EXISTS syncmem');
SELECT ds_exec('sr', 'CREATE TABLE syncmem (id INT NOT NULL, s VARCHAR(100), n DECIMAL(12,2))
  DUPLICATE KEY (id) DISTRIBUTED BY HASH (id) BUCKETS 1 PROPERTIES ("replication_num" = "1")');
SELECT ds_exec('sr', 'INSERT INTO syncmem SELECT * FROM $DS_MYSQL_DATABASE.syncmem');
SQL
ds_sr_config '{"sink": true}'
trap "ds_sr_config '{\"sink\": false}'" EXIT

out=$(psql -XAtq -d "$db" -v ON_ERROR_STOP=1 <<-'SQL'
	SET jit = off;
	CREATE FUNCTION pg_temp.hwm_kb() RETURNS bigint LANGUAGE sql AS
	$$ SELECT (regexp_match(pg_read_file('/proc/' || pg_backend_pid() || '/status'),
	                        'VmHWM:\s+(\d+)'))[1]::bigint $$;
	CREATE TABLE syncmem_back (id int PRIMARY KEY, s text, n numeric(12,2));
	-- Warm up connections and caches, so the measurement sees only the rows.
	SELECT ds_sync('sr', 'SELECT * FROM syncmem LIMIT 10', 'local', 'syncmem_back') IS NOT NULL;
	SELECT ds_sync('my', 'SELECT * FROM syncmem LIMIT 10', 'sr', 'syncmem') IS NOT NULL;
	TRUNCATE syncmem_back;
	SELECT pg_temp.hwm_kb() AS before \gset
	SELECT ds_sync('my', 'SELECT * FROM syncmem', 'sr', 'syncmem')->>'NumberLoadedRows';
	SELECT ds_sync('sr', 'SELECT * FROM syncmem', 'local', 'syncmem_back')->>'NumberLoadedRows';
	SELECT (pg_temp.hwm_kb() - :before) / 1024;
	SELECT count(*) FROM syncmem_back;
	SQL
)
set -- $(echo "$out" | tail -4)
echo "MariaDB -> StarRocks: $1 rows; StarRocks -> local: $2 rows; peak RSS growth $3 MB"
[ "$1" = "$rows" ] && [ "$2" = "$rows" ] && [ "$4" = "$rows" ] || { echo "FAIL: rows were lost"; exit 1; }
[ "$3" -lt 64 ] || { echo "FAIL: the backend grew $3 MB"; exit 1; }
echo "reliability: rows $((2 * rows)) $(($1 + $4))"
psql -XAtq -d "$db" -c "SELECT ds_exec('sr', 'DROP TABLE syncmem')" >/dev/null
psql -Xq -d postgres -c "DROP DATABASE $db"
ds_mariadb -e "DROP TABLE syncmem"
