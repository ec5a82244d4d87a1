#!/usr/bin/env bash
# ds_query on the local store keeps backend memory bounded: a million rows
# go through a work_mem-sized tuplestore that spills to disk.  The same
# query with a huge work_mem must grow the backend, which shows that the
# measurement can see the difference.
set -euo pipefail
. "$DS_ENV"
db=ds_t_memory
export PGOPTIONS="-c client_min_messages=warning"
psql -Xq -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
psql -Xq -d "$db" -c "CREATE EXTENSION datastore" -c "SELECT ds_register('local', 'postgres')" >/dev/null

growth_mb() {
	psql -XAtq -d "$db" -v wm="$1" <<-'SQL'
		CREATE FUNCTION pg_temp.hwm_kb() RETURNS bigint LANGUAGE sql AS
		$$ SELECT (regexp_match(pg_read_file('/proc/' || pg_backend_pid() || '/status'),
		                        'VmHWM:\s+(\d+)'))[1]::bigint $$;
		SELECT pg_temp.hwm_kb() AS before \gset
		SET work_mem = :'wm';
		SELECT count(*) AS n FROM ds_query('local',
		    'SELECT g, g::text t FROM generate_series(1, 1000000) g') \gset
		SELECT CASE WHEN :n = 1000000 THEN (pg_temp.hwm_kb() - :before) / 1024 END;
	SQL
}

bounded=$(growth_mb 4MB)
unbounded=$(growth_mb 1GB)
echo "peak RSS growth: work_mem=4MB ${bounded} MB, work_mem=1GB ${unbounded} MB"
[ -n "$bounded" ] && [ -n "$unbounded" ] || { echo "query did not return 1000000 rows"; exit 1; }
[ "$bounded" -lt 40 ] || { echo "FAIL: grew ${bounded} MB with work_mem=4MB"; exit 1; }
[ "$unbounded" -gt 80 ] || { echo "FAIL: the in-memory case grew only ${unbounded} MB"; exit 1; }
psql -Xq -d postgres -c "DROP DATABASE $db"
