#!/usr/bin/env bash
# ds_stream_load_query of 5 million rows to StarRocks (the emulator's BE in
# sink mode, which counts rows and stores nothing) keeps the backend's peak
# RSS growth under 64 MB: the body is produced from an SPI cursor while it
# is sent, chunked.  JIT is off: compiling the source query with LLVM alone
# costs ~60 MB of RSS, which is PostgreSQL's, not the load's.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$DS_ENV"
db=ds_t_srmem
rows=${DS_SR_MEMORY_ROWS:-5000000}
ds_test_db "$db"
psql -XAtq -d "$db" >/dev/null <<SQL
SELECT ds_register('sr', 'starrocks', host => '127.0.0.1', port => $DS_SR_MYSQL_PORT,
  "user" => '$DS_MYSQL_USER', password => '$DS_MYSQL_PASSWORD', database => '$DS_SR_DATABASE',
  http_port => $DS_SR_FE_PORT);
SELECT ds_exec('sr', 'DROP TABLE IF EXISTS sinkmem');
SELECT ds_exec('sr', 'CREATE TABLE sinkmem (k INT, v STRING, n DECIMAL(12,2))
  DUPLICATE KEY (k) DISTRIBUTED BY HASH (k) BUCKETS 1 PROPERTIES ("replication_num" = "1")');
SQL
ds_sr_config '{"sink": true}'
trap "ds_sr_config '{\"sink\": false}'" EXIT
out=$(psql -XAtq -d "$db" -v rows="$rows" <<'SQL'
CREATE FUNCTION pg_temp.hwm_kb() RETURNS bigint LANGUAGE sql AS
$$ SELECT (regexp_match(pg_read_file('/proc/' || pg_backend_pid() || '/status'),
                        'VmHWM:\s+(\d+)'))[1]::bigint $$;
SET jit = off;
SELECT pg_temp.hwm_kb() AS before \gset
SELECT ds_stream_load_query('sr', 'sinkmem',
    format('SELECT a * 1000 + b AS k, md5(b::text) AS v, b / 100.0 AS n
              FROM generate_series(0, %s / 1000 - 1) a, generate_series(0, 999) b', :rows))
    ->>'NumberLoadedRows' AS loaded \gset
SELECT :loaded || ' ' || (pg_temp.hwm_kb() - :before) / 1024;
SQL
)
loaded=${out% *}
growth=${out#* }
echo "rows loaded (sink): $loaded, peak RSS growth: $growth MB"
[ "$loaded" = "$rows" ]
[ "$growth" -lt 64 ]
echo "reliability: rows $rows $loaded"
psql -Xq -d postgres -c "DROP DATABASE $db"
