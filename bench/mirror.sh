#!/usr/bin/env bash
# Keeping a copy equal to its source after a day of changes: ds_sync in mode
# mirror against truncating the copy and loading it again, in one run on
# throwaway servers.  The copy is a table with a primary key on a remote
# PostgreSQL, then on MariaDB; the source is a local table in which, since
# the copy was made, 1% of the rows changed and 0.5% were deleted (and as
# many new ones came).  Every run starts from the same stale copy and ends
# checked equal to the source.  Prints a markdown table; bench/README.md carries the
# latest run.
#   bash bench/mirror.sh [rows] [repetitions]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rows=${1:-1000000}
reps=${2:-3}

ds_install_deps
ds_build
trap ds_stop_servers EXIT
ds_start_servers
. "$DS_ENV"

ds_log "preparing $rows rows"
ds_pg2 -q -c "CREATE TABLE bench_copy (id int PRIMARY KEY, name text, amount numeric(12,2),
                created timestamptz, flag bool, score float8, note text)" \
	-c "ALTER TABLE bench_copy OWNER TO $DS_PG2_USER"
bench_db
psql -Xq -d bench >/dev/null <<SQL
SELECT ds_register('local', 'postgres');
SELECT ds_register('my', 'mysql', host => '127.0.0.1', port => $DS_MYSQL_PORT,
                   "user" => '$DS_MYSQL_USER', password => '$DS_MYSQL_PASSWORD',
                   database => '$DS_MYSQL_DATABASE',
                   options => '{"ssl": {"mode": "disable"}}');
SELECT ds_register('pg2', 'postgres', host => '$DS_PG2_HOST', port => $DS_PG2_PORT,
                   "user" => '$DS_PG2_USER', password => '$DS_PG2_PASSWORD',
                   database => '$DS_PG2_DATABASE');
-- Yesterday's rows (what the copy holds before each run) ...
CREATE TABLE stale AS
  SELECT g AS id, 'name-' || g AS name, (g / 100.0)::numeric(12,2) AS amount,
         '2024-01-01'::timestamptz + g * interval '1 second' AS created, g % 2 = 0 AS flag,
         g * 1.5::float8 AS score, repeat('x', g % 40) AS note
    FROM generate_series(1, $rows) g;
-- ... and today's: every 100th row changed, every 200th (offset by 1) gone, as many new.
CREATE TABLE src (LIKE stale, PRIMARY KEY (id));
INSERT INTO src
  SELECT id, name, CASE WHEN id % 100 = 0 THEN amount + 1 ELSE amount END, created, flag, score,
         CASE WHEN id % 100 = 0 THEN 'changed' ELSE note END
    FROM stale WHERE id % 200 <> 1
  UNION ALL
  SELECT g, 'new-' || g, 1, '2025-01-01', true, 0, 'new' FROM generate_series($rows + 1, $rows + $rows / 200) g;
VACUUM ANALYZE stale, src;
SQL

remote_psql="PGPASSWORD='$DS_PG2_PASSWORD' psql -XAtq -h $DS_PG2_HOST -p $DS_PG2_PORT -U $DS_PG2_USER -d $DS_PG2_DATABASE"
# An order-independent digest of a table's rows, the same on both servers
# (same types, same text forms: both sessions in UTC).
digest="SELECT count(*) || ' ' || sum(hashtext(t::text)::bigint) FROM %s t"
want=$(PGOPTIONS="-c timezone=UTC" q "$(printf "$digest" src)")
stale_digest=$(PGOPTIONS="-c timezone=UTC" q "$(printf "$digest" stale)")

# Each method runs once to warm up, then reps times in turn (A B C A B C
# ...); before each run the copy is made stale again and a checkpoint is
# taken, untimed; after it the copy must equal the source.
interleaved_ms() {
	local n=$# i j start end got
	local -a cmds=("$@") times
	for i in $(seq 0 "$reps"); do
		for j in $(seq 0 $((n - 1))); do
			eval "$remote_psql -c 'TRUNCATE bench_copy'"
			q "SELECT ds_stream_load_query('pg2', 'bench_copy', 'SELECT * FROM stale')" >/dev/null
			got=$(eval "PGOPTIONS='-c timezone=UTC' $remote_psql -c \"$(printf "$digest" bench_copy)\"")
			[ "$got" = "$stale_digest" ] || { echo "the stale copy is not stale: $got" >&2; exit 1; }
			ds_pg2 -q -c "VACUUM ANALYZE bench_copy" -c CHECKPOINT
			start=$(date +%s%N)
			eval "${cmds[$j]}" >/dev/null
			end=$(date +%s%N)
			[ "$i" -gt 0 ] && times[$j]="${times[$j]:-} $(((end - start) / 1000))"
			got=$(eval "PGOPTIONS='-c timezone=UTC' $remote_psql -c \"$(printf "$digest" bench_copy)\"")
			[ "$got" = "$want" ] || { echo "${cmds[$j]}: the copy is $got, the source $want" >&2; exit 1; }
		done
	done
	for j in $(seq 0 $((n - 1))); do
		printf '%s ' "$(median ${times[$j]})"
	done
	echo
}

ds_log "mirror against truncate + reload, interleaved"
interleaved_ms \
	"q \"SELECT ds_sync('local', 'SELECT * FROM src', 'pg2', 'bench_copy', '{\\\"mode\\\": \\\"mirror\\\"}')\"" \
	"q \"SELECT ds_exec('pg2', 'TRUNCATE bench_copy'), ds_sync('local', 'SELECT * FROM src', 'pg2', 'bench_copy')\"" \
	"q \"SELECT ds_sync('local', 'SELECT * FROM src', 'pg2', 'bench_copy', '{\\\"temp_table\\\": true, \\\"merge\\\": \\\"TRUNCATE bench_copy; INSERT INTO bench_copy SELECT * FROM {temp}\\\"}')\"" \
	>"$DS_TMP/ms"
read -r mirror reload reload_atomic <"$DS_TMP/ms"
result=$(q "SELECT ds_sync('local', 'SELECT * FROM src', 'pg2', 'bench_copy', '{\"mode\": \"mirror\"}') - 'LoadTimeMs' - 'LoadBytes'")

# The same on MariaDB, checked by a digest both servers compute of the
# columns that change (md5 of id|name|amount|note, first 60 bits, summed).
ds_mariadb -e "CREATE TABLE bench_copy (id INT PRIMARY KEY, name TEXT, amount DECIMAL(12,2),
	created DATETIME(6), flag BOOLEAN, score DOUBLE, note TEXT)"
my_digest() {
	ds_mariadb -N -e "SELECT CONCAT(COUNT(*), ' ', COALESCE(SUM(CAST(CONV(SUBSTR(MD5(CONCAT_WS('|',
		id, name, amount, note)), 1, 15), 16, 10) AS UNSIGNED)), 0)) FROM bench_copy"
}
pg_digest() {
	q "SELECT count(*) || ' ' || COALESCE(sum(('x' || substr(md5(concat_ws('|', id, name, amount, note)),
		1, 15))::bit(60)::bigint), 0) FROM $1"
}
my_want=$(pg_digest src)
my_stale=$(pg_digest stale)
my_interleaved_ms() {
	local n=$# i j start end got
	local -a cmds=("$@") times
	for i in $(seq 0 "$reps"); do
		for j in $(seq 0 $((n - 1))); do
			ds_mariadb -e "TRUNCATE bench_copy"
			q "SELECT ds_stream_load_query('my', 'bench_copy', 'SELECT * FROM stale')" >/dev/null
			got=$(my_digest)
			[ "$got" = "$my_stale" ] || { echo "the stale MariaDB copy is not stale: $got" >&2; exit 1; }
			ds_mariadb -e "ANALYZE TABLE bench_copy" >/dev/null
			start=$(date +%s%N)
			eval "${cmds[$j]}" >/dev/null
			end=$(date +%s%N)
			[ "$i" -gt 0 ] && times[$j]="${times[$j]:-} $(((end - start) / 1000))"
			got=$(my_digest)
			[ "$got" = "$my_want" ] || { echo "${cmds[$j]}: the copy is $got, the source $my_want" >&2; exit 1; }
		done
	done
	for j in $(seq 0 $((n - 1))); do
		printf '%s ' "$(median ${times[$j]})"
	done
	echo
}
ds_log "MariaDB: mirror against truncate + reload, interleaved"
my_interleaved_ms \
	"q \"SELECT ds_sync('local', 'SELECT * FROM src', 'my', 'bench_copy', '{\\\"mode\\\": \\\"mirror\\\"}')\"" \
	"q \"SELECT ds_exec('my', 'TRUNCATE bench_copy'), ds_sync('local', 'SELECT * FROM src', 'my', 'bench_copy')\"" \
	>"$DS_TMP/ms"
read -r my_mirror my_reload <"$DS_TMP/ms"
my_result=$(q "SELECT ds_sync('local', 'SELECT * FROM src', 'my', 'bench_copy', '{\"mode\": \"mirror\"}') - 'LoadTimeMs' - 'LoadBytes'")

echo
echo "| $rows rows (int, text, numeric, timestamptz, bool, float8, text) in a remote PostgreSQL copy; 1% changed, 0.5% deleted, 0.5% new at the source; median of $reps | ms | ratio to mirror |"
echo "|---|---:|---:|"
echo "| \`ds_sync(..., '{\"mode\": \"mirror\"}')\`: one transaction, readers see the old rows until it commits | $mirror | 1.00 |"
echo "| \`ds_exec('pg2', 'TRUNCATE bench_copy')\`, then \`ds_sync\` (append): readers see an empty table in between | $reload | $(ratio "$reload" "$mirror") |"
echo "| \`ds_sync\` with \`temp_table\` and merge \`TRUNCATE; INSERT ... SELECT FROM {temp}\`: one transaction | $reload_atomic | $(ratio "$reload_atomic" "$mirror") |"
echo
echo "A mirror of the copy once it is equal: $result"
echo
echo "| the same into a MariaDB copy (InnoDB), median of $reps | ms | ratio to mirror |"
echo "|---|---:|---:|"
echo "| \`ds_sync(..., '{\"mode\": \"mirror\"}')\`: one transaction | $my_mirror | 1.00 |"
echo "| \`ds_exec('my', 'TRUNCATE bench_copy')\`, then \`ds_sync\` (append): TRUNCATE commits at once, readers see an empty table in between | $my_reload | $(ratio "$my_reload" "$my_mirror") |"
echo
echo "A mirror of the MariaDB copy once it is equal: $my_result"
echo
echo "$(bench_machine), PostgreSQL $(q 'SHOW server_version') on both sides, MariaDB $(ds_mariadb -N -e 'SELECT VERSION()'), over TCP on loopback"
