#!/usr/bin/env bash
# A MySQL -> PostgreSQL migration of one table, schema included: datastore
# (ds_create_table from MariaDB's catalog, then ds_sync) against Debian's
# pgloader, each into a fresh table in the same throwaway cluster, run in
# turn (A B A B ...), every copy checked against MariaDB's rows by a digest
# computed on each side.  Prints a markdown table of medians and the ratio;
# bench/README.md carries the latest run.
#   bash bench/migrate.sh [rows] [repetitions]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rows=${1:-1000000}
reps=${2:-3}

ds_install_deps pgloader
ds_build
trap ds_stop_servers EXIT
ds_start_servers
. "$DS_ENV"

ds_log "preparing $rows rows in MariaDB"
bench_mariadb_table "$rows"
source_digest=$(bench_digest_mariadb)
bench_db
psql -Xq -d bench >/dev/null <<SQL
SELECT ds_register('local', 'postgres');
SELECT ds_register('my', 'mysql', host => '127.0.0.1', port => $DS_MYSQL_PORT,
                   "user" => '$DS_MYSQL_USER', password => '$DS_MYSQL_PASSWORD',
                   database => '$DS_MYSQL_DATABASE',
                   options => '{"ssl": {"mode": "disable"}}');
SQL

# pgloader's defaults for a MySQL source, as its command line runs them:
# drop and create the tables, load them (several threads), then create the
# indexes and primary keys, reset sequences; the tables go into a schema
# named as the MySQL database.  Its logs stay in the temp dir.
pgloader_cmd="pgloader --root-dir '$DS_TMP/pgloader' \
	'mysql://$DS_MYSQL_USER:$DS_MYSQL_PASSWORD@127.0.0.1:$DS_MYSQL_PORT/$DS_MYSQL_DATABASE' \
	'postgresql://postgres@unix:$PGHOST:$PGPORT/bench'"
ds_cmd="psql -XAtq -d bench -v ON_ERROR_STOP=1 \
	-c \"SELECT ds_create_table('my', '$DS_MYSQL_DATABASE.bench', 'local', 'public.bench_ds')\" \
	-c \"SELECT ds_sync('my', 'SELECT * FROM bench', 'local', 'public.bench_ds')\""
copies=(public.bench_ds "$DS_MYSQL_DATABASE.bench")

# Each run starts with no target (pgloader's without its schema: nothing
# left for it to reuse) and a checkpoint, so that none pays for writing out
# the one before.  The other method's last copy stays, for the types below.
drops=("DROP TABLE IF EXISTS public.bench_ds" "DROP SCHEMA IF EXISTS $DS_MYSQL_DATABASE CASCADE")
bench_before() {
	psql -Xq -d bench -c "${drops[$1]}" -c CHECKPOINT
}
# Each copy must hold MariaDB's rows, every value: a fast wrong copy is no
# result.
bench_after() {
	local got
	got=$(bench_digest_pg "${copies[$1]}")
	if [ "$got" != "$source_digest" ]; then
		echo "${copies[$1]}: digest '$got' differs from MariaDB's '$source_digest'" >&2
		exit 1
	fi
}

ds_log "migrating $rows rows: datastore, pgloader, interleaved"
bench_interleaved "$ds_cmd" "$pgloader_cmd" >"$DS_TMP/ms"
read -r ms_ds ms_pgloader <"$DS_TMP/ms"

# The last run of each is still there: how each typed the columns.
types() {
	q "SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod) ||
	          CASE WHEN attnotnull THEN ' not null' ELSE '' END, ', ' ORDER BY attnum)
	     FROM pg_attribute WHERE attrelid = '$1'::regclass AND attnum > 0 AND NOT attisdropped"
}
pk() {
	q "SELECT coalesce(string_agg(pg_get_constraintdef(oid), ', '), 'none') FROM pg_constraint
	    WHERE conrelid = '$1'::regclass AND contype = 'p'"
}

echo
echo "| $rows-row mixed-type MariaDB table -> PostgreSQL, schema included, median of $reps | ms | ratio to datastore |"
echo "|---|---:|---:|"
echo "| \`ds_create_table('my', '$DS_MYSQL_DATABASE.bench', 'local', 'public.bench_ds')\` + \`ds_sync('my', 'SELECT * FROM bench', 'local', 'public.bench_ds')\` | $ms_ds | 1.00 |"
echo "| \`pgloader mysql://... postgresql://...\` (its defaults) | $ms_pgloader | $(ratio "$ms_pgloader" "$ms_ds") |"
echo
echo "datastore's table: $(types public.bench_ds); $(pk public.bench_ds)"
echo "pgloader's table: $(types "$DS_MYSQL_DATABASE.bench"); $(pk "$DS_MYSQL_DATABASE.bench")"
echo "both equal to MariaDB's rows after every run (count and digest $source_digest)"
echo
echo "$(bench_machine), PostgreSQL $(q 'SHOW server_version'), MariaDB $(ds_mariadb -N -e 'SELECT VERSION()'), pgloader $(dpkg-query -W -f='${Version}' pgloader) (it says: $(pgloader --version | head -1))"
