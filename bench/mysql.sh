#!/usr/bin/env bash
# datastore against its peers on MariaDB, in one run on one pair of
# throwaway servers: mysql_fdw (Debian's package, or built into a private
# PostgreSQL's tree), dblink-style reconnects and the mariadb command-line
# client.  Prints markdown tables of medians and ratios; bench/README.md carries the latest run.
#   bash bench/mysql.sh [rows] [repetitions]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rows=${1:-1000000}
reps=${2:-3}
fdw_rows=$((rows / 50))

ds_install_deps
bench_peer_extension mysql_fdw mysql-fdw
ds_build
trap ds_stop_servers EXIT
ds_start_servers
. "$DS_ENV"

ds_log "preparing $rows rows in MariaDB and PostgreSQL"
bench_mariadb_table "$rows"
ds_mariadb <<SQL
CREATE TABLE bench_load LIKE bench;
CREATE VIEW one AS SELECT 1 AS x;
SQL
bench_db mysql_fdw
psql -Xq -d bench >/dev/null <<SQL
SELECT ds_register('my', 'mysql', host => '127.0.0.1', port => $DS_MYSQL_PORT,
                   "user" => '$DS_MYSQL_USER', password => '$DS_MYSQL_PASSWORD',
                   database => '$DS_MYSQL_DATABASE',
                   options => '{"ssl": {"mode": "disable"}}');
CREATE SERVER my_fdw FOREIGN DATA WRAPPER mysql_fdw OPTIONS (host '127.0.0.1', port '$DS_MYSQL_PORT');
CREATE USER MAPPING FOR CURRENT_USER SERVER my_fdw
  OPTIONS (username '$DS_MYSQL_USER', password '$DS_MYSQL_PASSWORD');
CREATE FOREIGN TABLE ft_bench (id int, name varchar(50), amount numeric(12,2), created timestamp,
                               flag smallint, score float8, note text)
  SERVER my_fdw OPTIONS (dbname '$DS_MYSQL_DATABASE', table_name 'bench');
CREATE FOREIGN TABLE ft_load (id int, name varchar(50), amount numeric(12,2), created timestamp,
                              flag smallint, score float8, note text)
  SERVER my_fdw OPTIONS (dbname '$DS_MYSQL_DATABASE', table_name 'bench_load');
CREATE FOREIGN TABLE ft_one (x int) SERVER my_fdw OPTIONS (dbname '$DS_MYSQL_DATABASE', table_name 'one');
CREATE TABLE src AS SELECT t.* FROM ds_query('my', 'SELECT * FROM bench') r,
  jsonb_to_record(r) AS t(id int, name varchar(50), amount numeric(12,2), created timestamp,
                          flag smallint, score float8, note text);
SQL

mcli="mariadb --no-defaults -h127.0.0.1 -P$DS_MYSQL_PORT -u$DS_MYSQL_USER -p$DS_MYSQL_PASSWORD $DS_MYSQL_DATABASE"

ds_log "reading $rows rows"
read_ds=$(q "SELECT bench_ms('SELECT count(r) FROM ds_query(''my'', ''SELECT * FROM bench'') r', $reps)")
read_fdw=$(q "SELECT bench_ms('SELECT count(j) FROM (SELECT to_jsonb(f) AS j FROM ft_bench f) x', $reps)")
read_cli=$(median_ms "$mcli --quick -e 'SELECT * FROM bench' >/dev/null")

ds_log "loading $rows rows"
tsv="$DS_TMP/bench.tsv"
psql -Xq -d bench -c "\copy src TO '$tsv'"
load_ds=$(q "SELECT bench_ms('SELECT ds_stream_load_query(''my'', ''bench_load'', ''SELECT * FROM src'')', $reps,
                              'SELECT ds_exec(''my'', ''TRUNCATE bench_load'')')")
load_cli=$(median_ms "$mcli --local-infile=1 -e \"LOAD DATA LOCAL INFILE '$tsv' INTO TABLE bench_load\"" \
	"$mcli -e 'TRUNCATE bench_load'")
load_fdw_small=$(q "SELECT bench_ms('INSERT INTO ft_load SELECT * FROM src WHERE id <= $fdw_rows', 1,
                                    'SELECT ds_exec(''my'', ''TRUNCATE bench_load'')')")
load_fdw=$(awk -v t="$load_fdw_small" -v r="$rows" -v f="$fdw_rows" 'BEGIN {printf "%.1f", t * r / f}')

ds_log "10,000 small queries"
small_ds=$(q "SELECT bench_ms('DO \$\$ BEGIN FOR i IN 1..10000 LOOP PERFORM ds_query(''my'', ''SELECT 1''); END LOOP; END \$\$', $reps)")
small_fdw=$(q "SELECT bench_ms('DO \$\$ BEGIN FOR i IN 1..10000 LOOP PERFORM * FROM ft_one; END LOOP; END \$\$', $reps)")
small_reconnect=$(q "SELECT bench_ms('DO \$\$ BEGIN FOR i IN 1..1000 LOOP PERFORM ds_disconnect(''my''); PERFORM ds_query(''my'', ''SELECT 1''); END LOOP; END \$\$', $reps) * 10")

echo
echo "| $rows-row mixed-type MariaDB table, median of $reps | ms | ratio to datastore |"
echo "|---|---:|---:|"
echo "| read: \`count(r) FROM ds_query('my', 'SELECT * FROM bench')\` | $read_ds | 1.00 |"
echo "| read: mysql_fdw + \`to_jsonb(row)\` | $read_fdw | $(ratio "$read_fdw" "$read_ds") |"
echo "| read: \`mariadb --quick\` to /dev/null | $read_cli | $(ratio "$read_cli" "$read_ds") |"
echo "| load: \`ds_stream_load_query('my', ...)\` from a local table | $load_ds | 1.00 |"
echo "| load: \`mariadb -e \"LOAD DATA LOCAL INFILE\"\` of the same rows from a file | $load_cli | $(ratio "$load_cli" "$load_ds") |"
echo "| load: \`INSERT INTO mysql_fdw_table SELECT\` ($fdw_rows rows, scaled) | $load_fdw | $(ratio "$load_fdw" "$load_ds") |"
echo "| 10,000 \`ds_query('my', 'SELECT 1')\`, warm pool | $small_ds | 1.00 |"
echo "| 10,000 \`SELECT\` through mysql_fdw's cached connection | $small_fdw | $(ratio "$small_fdw" "$small_ds") |"
echo "| 10,000 \`ds_query\` reconnecting each time (1,000 run, scaled) | $small_reconnect | $(ratio "$small_reconnect" "$small_ds") |"
echo
echo "$(bench_machine), PostgreSQL $(q 'SHOW server_version'), MariaDB $($mcli -N -e 'SELECT VERSION()'), mysql_fdw $(q "SELECT extversion FROM pg_extension WHERE extname = 'mysql_fdw'")"
