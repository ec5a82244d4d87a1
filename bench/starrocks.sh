#!/usr/bin/env bash
# ds_stream_load_query into the StarRocks emulator's BE in sink mode (it
# counts rows and stores nothing) against psql's COPY piped into curl, the
# usual shell way to stream-load a query, in one run on the same servers.
#   bash bench/starrocks.sh [rows] [repetitions]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rows=${1:-1000000}
reps=${2:-3}

ds_install_deps
ds_build
trap ds_stop_servers EXIT
ds_start_servers
. "$DS_ENV"
bench_db
psql -Xq -d bench >/dev/null <<SQL
SELECT ds_register('sr', 'starrocks', host => '127.0.0.1', port => $DS_MYSQL_PORT,
                   "user" => '$DS_MYSQL_USER', password => '$DS_MYSQL_PASSWORD',
                   database => '$DS_SR_DATABASE', http_port => $DS_SR_FE_PORT);
SELECT ds_exec('sr', 'CREATE TABLE sink (id INT, name VARCHAR(50), amount DECIMAL(12,2), created DATETIME, note TEXT)');
CREATE TABLE src AS
SELECT g AS id, 'name-' || g AS name, g / 100.0 AS amount,
       timestamp '2024-01-01' + g * interval '1 second' AS created, repeat('x', g % 40) AS note
  FROM generate_series(1, $rows) g;
SQL
ds_sr_config '{"sink": true}'


ds_log "loading $rows rows, $reps times each"
ds=$(median_ms "psql -XAtq -d bench -c \"SELECT ds_stream_load_query('sr', 'sink', 'SELECT * FROM src')->>'NumberLoadedRows'\" | grep -qx $rows")
pipe=$(median_ms "psql -XAtq -d bench -c 'COPY src TO STDOUT' | curl -sf --location-trusted -u '$DS_MYSQL_USER:$DS_MYSQL_PASSWORD' -H 'Expect: 100-continue' -H 'column_separator: \\x09' -H \"label: bench-\$RANDOM\$RANDOM\" -T - 'http://127.0.0.1:$DS_SR_FE_PORT/api/$DS_SR_DATABASE/sink/_stream_load' | grep -q '\"NumberLoadedRows\": *$rows'")
ratio=$(ratio "$ds" "$pipe")

echo
echo "| $rows rows into the emulator's BE (sink), median of $reps | ms | ratio |"
echo "|---|---:|---:|"
echo "| \`psql -c 'COPY src TO STDOUT' \\| curl -T - ...\` | $pipe | 1.00 |"
echo "| \`ds_stream_load_query('sr', 'sink', 'SELECT * FROM src')\` | $ds | $ratio |"
echo
echo "$(bench_machine), PostgreSQL $(q 'SHOW server_version'), curl $(curl --version | head -1 | cut -d' ' -f2)"
