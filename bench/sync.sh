#!/usr/bin/env bash
# ds_sync from MariaDB into the StarRocks emulator's BE in sink mode (it
# counts rows and stores nothing) against the shell way: `mariadb --quick`
# exporting the rows, then curl stream-loading them; timed as the sum of the
# two steps through a file (the issue's yardstick) and as one pipe.  One run,
# same servers.
#   bash bench/sync.sh [rows] [repetitions]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rows=${1:-1000000}
reps=${2:-3}

ds_install_deps
ds_build
trap ds_stop_servers EXIT
ds_start_servers
. "$DS_ENV"
ds_mariadb -e "CREATE TABLE src (id INT, name VARCHAR(50), amount DECIMAL(12,2), created DATETIME, note TEXT);
	SET SESSION max_recursive_iterations = $((rows + 1));
	INSERT INTO src WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < $rows)
		SELECT i, CONCAT('name-', i), i / 100, TIMESTAMP '2024-01-01 00:00:00' + INTERVAL i SECOND, REPEAT('x', i % 40) FROM g;
	CREATE TABLE $DS_SR_DATABASE.sink LIKE src;"
bench_db
psql -Xq -d bench >/dev/null <<SQL
SELECT ds_register('my', 'mysql', host => '127.0.0.1', port => $DS_MYSQL_PORT,
                   "user" => '$DS_MYSQL_USER', password => '$DS_MYSQL_PASSWORD', database => '$DS_MYSQL_DATABASE',
                   options => '{"ssl": {"mode": "disable"}}');
SELECT ds_register('sr', 'starrocks', host => '127.0.0.1', port => $DS_MYSQL_PORT,
                   "user" => '$DS_MYSQL_USER', password => '$DS_MYSQL_PASSWORD',
                   database => '$DS_SR_DATABASE', http_port => $DS_SR_FE_PORT);
SQL
ds_sr_config '{"sink": true}'


export_cmd="mariadb --no-defaults -h 127.0.0.1 -P $DS_MYSQL_PORT -u $DS_MYSQL_USER -p$DS_MYSQL_PASSWORD --quick --batch --skip-column-names $DS_MYSQL_DATABASE -e 'SELECT * FROM src'"
upload="curl -sf --location-trusted -u '$DS_MYSQL_USER:$DS_MYSQL_PASSWORD' -H 'Expect: 100-continue' -H 'column_separator: \\x09' -H \"label: bench-\$RANDOM\$RANDOM\" -T FILE 'http://127.0.0.1:$DS_SR_FE_PORT/api/$DS_SR_DATABASE/sink/_stream_load' | grep -q '\"NumberLoadedRows\": *$rows'"
file="$DS_TMP/export.tsv"

ds_log "syncing $rows rows, $reps times each"
ds=$(median_ms "psql -XAtq -d bench -c \"SELECT ds_sync('my', 'SELECT * FROM src', 'sr', 'sink')->>'NumberLoadedRows'\" | grep -qx $rows")
exp=$(median_ms "$export_cmd > '$file'")
up=$(median_ms "${upload/FILE/$file}")
pipe=$(median_ms "$export_cmd | ${upload/FILE/-}")
sum=$(awk -v a="$exp" -v b="$up" 'BEGIN {printf "%.1f", a + b}')

echo
echo "| $rows rows MariaDB -> the emulator's BE (sink), median of $reps | ms | ratio to export + upload |"
echo "|---|---:|---:|"
echo "| \`mariadb --quick ... > file\` | $exp | |"
echo "| \`curl -T file .../_stream_load\` | $up | |"
echo "| sum of the two steps | $sum | 1.00 |"
echo "| \`mariadb --quick ... \\| curl -T - ...\` (one pipe) | $pipe | $(ratio "$pipe" "$sum") |"
echo "| \`ds_sync('my', 'SELECT * FROM src', 'sr', 'sink')\` | $ds | $(ratio "$ds" "$sum") |"
echo
echo "$(bench_machine), PostgreSQL $(q 'SHOW server_version'), MariaDB $(ds_mariadb -N -e 'SELECT VERSION()'), curl $(curl --version | head -1 | cut -d' ' -f2)"
