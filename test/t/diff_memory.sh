#!/usr/bin/env bash
# ds_diff of 1,000,000 rows against 1,000,000 keeps the backend's peak RSS
# growth under 64 MB, both ways it lines the sides up: read in key order
# from both at once (an integer key, two connections), the merge holds two
# rows of each; sorted here ({"sort": true}), each side goes into a
# tuplesort (work_mem, then temporary files).  Local against a remote
# PostgreSQL, with differences of every kind, counted, in a session each.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$DS_ENV"
db=ds_t_diffmem
rows=${DS_DIFF_MEMORY_ROWS:-1000000}
ds_test_db "$db"
psql -XAtq -d "$db" -v ON_ERROR_STOP=1 >/dev/null <<SQL
SELECT ds_register('pg2', 'postgres', host => '$DS_PG2_HOST', port => $DS_PG2_PORT,
                   "user" => '$DS_PG2_USER', password => '$DS_PG2_PASSWORD',
                   database => '$DS_PG2_DATABASE');
SQL
diff_once() {
	psql -XAtq -d "$db" -v ON_ERROR_STOP=1 -v rows="$rows" -v opts="$1" <<'SQL'
CREATE FUNCTION pg_temp.hwm_kb() RETURNS bigint LANGUAGE sql AS
$$ SELECT (regexp_match(pg_read_file('/proc/' || pg_backend_pid() || '/status'),
                        'VmHWM:\s+(\d+)'))[1]::bigint $$;
SET jit = off;
SELECT pg_temp.hwm_kb() AS before \gset
-- The target lacks every 1000th key, changed every 500th, and has keys of its own.
SELECT key AS counts FROM ds_diff('local',
    format('SELECT g AS id, md5(g::text) AS v, g * 1.5 AS n FROM generate_series(1, %s) g', :rows),
    'pg2',
    format($$SELECT g AS id, CASE WHEN g %% 500 = 0 THEN 'x' ELSE md5(g::text) END AS v, g * 1.5 AS n
               FROM generate_series(1, %s) g WHERE g %% 1000 <> 0
             UNION ALL SELECT -g, 'extra', 0 FROM generate_series(1, 10) g$$, :rows),
    '{id}', :'opts') \gset
SELECT :'counts' || '|' || (pg_temp.hwm_kb() - :before) / 1024;
SQL
}
expect=$(python3 -c "
n = $rows
missing = n // 1000
changed = n // 500 - n // 1000
print('{\"same\": %d, \"extra\": 10, \"changed\": %d, \"missing\": %d}' % (n - missing - changed, changed, missing))")
for opts in '{"summary": true}' '{"summary": true, "sort": true}'; do
	out=$(diff_once "$opts")
	counts=${out%|*}
	growth=${out#*|}
	echo "ds_diff of $rows x $rows rows, $opts: $counts, peak RSS growth: $growth MB"
	[ "$counts" = "$expect" ] || { echo "FAIL: expected $expect"; exit 1; }
	[ "$growth" -lt 64 ] || { echo "FAIL: grew by $growth MB"; exit 1; }
done
echo "reliability: rows $rows $rows"
psql -Xq -d postgres -c "DROP DATABASE $db"
