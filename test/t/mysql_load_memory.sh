#!/usr/bin/env bash
# ds_stream_load_query of a million rows into MariaDB keeps the backend's
# memory bounded by the batch size, whatever the row count.  A huge batch
# size must show up in the measurement, which proves it can see the buffer.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$DS_ENV"
db=ds_t_loadmem
ds_test_db "$db"
psql -Xq -d "$db" -c "SELECT ds_exec('my', 'DROP TABLE IF EXISTS loadmem')" \
	-c "SELECT ds_exec('my', 'CREATE TABLE loadmem (id INT, s VARCHAR(100), n DECIMAL(12,2))')" >/dev/null

growth_mb() {
	psql -XAtq -d "$db" -v batch="$1" <<-'SQL'
		CREATE FUNCTION pg_temp.hwm_kb() RETURNS bigint LANGUAGE sql AS
		$$ SELECT (regexp_match(pg_read_file('/proc/' || pg_backend_pid() || '/status'),
		                        'VmHWM:\s+(\d+)'))[1]::bigint $$;
		SELECT ds_exec('my', 'TRUNCATE loadmem');
		SELECT pg_temp.hwm_kb() AS before \gset
		SET datastore.load_batch_size = :'batch';
		SELECT (ds_stream_load_query('my', 'loadmem',
		    'SELECT g AS id, md5(g::text) || md5(g::text) AS s, round(g / 7.0, 2) AS n FROM generate_series(1, 1000000) g')
		    ->>'NumberLoadedRows')::int AS n \gset
		SELECT CASE WHEN :n = 1000000 THEN (pg_temp.hwm_kb() - :before) / 1024 END;
	SQL
}

bounded=$(growth_mb 8MB | tail -1)
unbounded=$(growth_mb 512MB | tail -1)
echo "peak RSS growth loading 1M rows: batch 8MB -> ${bounded} MB, batch 512MB -> ${unbounded} MB"
[ -n "$bounded" ] && [ -n "$unbounded" ] || { echo "the load did not report 1000000 rows"; exit 1; }
[ "$bounded" -lt 64 ] || { echo "FAIL: grew ${bounded} MB with 8MB batches"; exit 1; }
[ "$unbounded" -gt 64 ] || { echo "FAIL: a 512MB batch grew only ${unbounded} MB"; exit 1; }
echo "reliability: rows 1000000 $(ds_mariadb -N -e "SELECT COUNT(*) FROM loadmem")"
psql -Xq -d postgres -c "DROP DATABASE $db"
