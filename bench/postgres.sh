#!/usr/bin/env bash
# Loading a remote PostgreSQL: datastore against its peers, in one run on one
# pair of throwaway clusters: psql piping COPY TO STDOUT into COPY FROM
# STDIN, and postgres_fdw (Debian's postgresql-contrib) with batch_size
# 1000.  Prints a markdown table of medians and ratios; bench/README.md carries
# the latest run.
#   bash bench/postgres.sh [rows] [repetitions]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rows=${1:-1000000}
reps=${2:-3}

ds_install_deps
bench_peer_extension postgres_fdw
ds_build
trap ds_stop_servers EXIT
ds_start_servers pg-pair
. "$DS_ENV"

ds_log "preparing $rows rows"
ds_pg2 -q -c "CREATE TABLE bench_load (id int PRIMARY KEY, name text, amount numeric(12,2),
                created timestamptz, flag bool, score float8, note text)" -c "ALTER TABLE bench_load OWNER TO $DS_PG2_USER"
bench_db postgres_fdw
psql -Xq -d bench >/dev/null <<SQL
SELECT ds_register('local', 'postgres');
SELECT ds_register('pg2', 'postgres', host => '$DS_PG2_HOST', port => $DS_PG2_PORT,
                   "user" => '$DS_PG2_USER', password => '$DS_PG2_PASSWORD',
                   database => '$DS_PG2_DATABASE');
CREATE SERVER pg2_fdw FOREIGN DATA WRAPPER postgres_fdw
  OPTIONS (host '$DS_PG2_HOST', port '$DS_PG2_PORT', dbname '$DS_PG2_DATABASE', batch_size '1000');
CREATE USER MAPPING FOR CURRENT_USER SERVER pg2_fdw
  OPTIONS (user '$DS_PG2_USER', password '$DS_PG2_PASSWORD');
CREATE FOREIGN TABLE ft_load (id int, name text, amount numeric(12,2), created timestamptz,
                              flag bool, score float8, note text)
  SERVER pg2_fdw OPTIONS (table_name 'bench_load');
CREATE TABLE src AS
  SELECT g AS id, 'name-' || g AS name, (g / 100.0)::numeric(12,2) AS amount,
         '2024-01-01'::timestamptz + g * interval '1 second' AS created, g % 2 = 0 AS flag,
         g * 1.5::float8 AS score, repeat('x', g % 40) AS note
    FROM generate_series(1, $rows) g;
VACUUM ANALYZE src;
SQL

remote_psql="PGPASSWORD='$DS_PG2_PASSWORD' psql -Xq -h $DS_PG2_HOST -p $DS_PG2_PORT -U $DS_PG2_USER -d $DS_PG2_DATABASE"

# Runs each command once to warm up, then reps times in turn (A B C A B C
# ...), so that drifts of a shared machine hit them alike; prints the median
# ms of each, space-separated.  Each run starts from the same state: the
# target truncated and a checkpoint taken on its server, so that no run pays
# for writing out the one before.  $target is "remote" (bench_load there)
# or "local" (dst here).
target=remote
interleaved_ms() {
	local n=$# i j start end
	local -a cmds=("$@") times
	for i in $(seq 0 "$reps"); do
		for j in $(seq 0 $((n - 1))); do
			if [ "$target" = remote ]; then
				eval "$remote_psql -c 'TRUNCATE bench_load'"
				ds_pg2 -q -c CHECKPOINT
			else
				psql -Xq -d bench -c 'TRUNCATE dst' -c CHECKPOINT
			fi
			start=$(date +%s%N)
			eval "${cmds[$j]}" >/dev/null
			end=$(date +%s%N)
			[ "$i" -gt 0 ] && times[$j]="${times[$j]:-} $(((end - start) / 1000))"
			if [ "$target" = remote ]; then
				loaded=$(ds_pg2 -XAt -c "SELECT count(*) FROM bench_load")
			else
				loaded=$(q "SELECT count(*) FROM dst")
			fi
			[ "$loaded" = "$rows" ] || { echo "${cmds[$j]}: loaded $loaded of $rows rows" >&2; exit 1; }
		done
	done
	for j in $(seq 0 $((n - 1))); do
		printf '%s ' "$(median ${times[$j]})"
	done
	echo
}

ds_log "loading $rows rows: datastore (binary, text, temp_table), psql | psql (text, binary), postgres_fdw, interleaved"
interleaved_ms \
	"psql -XAtq -d bench -c \"SELECT ds_stream_load_query('pg2', 'bench_load', 'SELECT * FROM src')\"" \
	"psql -XAtq -d bench -c \"SELECT ds_stream_load_query('pg2', 'bench_load', 'SELECT * FROM src', '{\\\"format\\\": \\\"text\\\"}')\"" \
	"psql -XAtq -d bench -c \"SELECT ds_stream_load_query('pg2', 'bench_load', 'SELECT * FROM src', '{\\\"temp_table\\\": true}')\"" \
	"psql -Xq -d bench -c 'COPY src TO STDOUT' | $remote_psql -c 'COPY bench_load FROM STDIN'" \
	"psql -Xq -d bench -c 'COPY src TO STDOUT (FORMAT binary)' | $remote_psql -c 'COPY bench_load FROM STDIN (FORMAT binary)'" \
	"psql -Xq -d bench -c 'INSERT INTO ft_load SELECT * FROM src'" >"$DS_TMP/ms"
read -r load_ds load_ds_text load_ds_temp load_pipe load_pipe_bin load_fdw <"$DS_TMP/ms"
format=$(q "SELECT ds_stream_load_query('pg2', 'bench_load', 'SELECT * FROM src WHERE false') ->> 'Format'")
[ "$format" = binary ] || { echo "datastore loaded src in $format, not binary" >&2; exit 1; }

ds_log "reading $rows rows from the remote table into a local one: ds_sync, psql | psql, postgres_fdw, interleaved"
eval "$remote_psql -c 'TRUNCATE bench_load'"
psql -Xq -d bench -c "SELECT ds_stream_load_query('pg2', 'bench_load', 'SELECT * FROM src')" >/dev/null
psql -Xq -d bench -c "CREATE TABLE dst (LIKE src INCLUDING ALL, PRIMARY KEY (id))"
target=local
interleaved_ms \
	"psql -XAtq -d bench -c \"SELECT ds_sync('pg2', 'SELECT * FROM bench_load', 'local', 'dst')\"" \
	"$remote_psql -c 'COPY bench_load TO STDOUT' | psql -Xq -d bench -c 'COPY dst FROM STDIN'" \
	"psql -Xq -d bench -c 'INSERT INTO dst SELECT * FROM ft_load'" >"$DS_TMP/ms"
read -r read_ds read_pipe read_fdw <"$DS_TMP/ms"

echo
echo "| $rows rows (int, text, numeric, timestamptz, bool, float8, text) into a remote PostgreSQL table with a primary key, median of $reps | ms | ratio to datastore |"
echo "|---|---:|---:|"
echo "| \`ds_stream_load_query('pg2', 'bench_load', 'SELECT * FROM src')\` (binary COPY, chosen by itself) | $load_ds | 1.00 |"
echo "| the same with \`{\"format\": \"text\"}\` | $load_ds_text | $(ratio "$load_ds_text" "$load_ds") |"
echo "| the same with \`{\"temp_table\": true}\` (COPY into a temp table, then INSERT ... SELECT) | $load_ds_temp | $(ratio "$load_ds_temp" "$load_ds") |"
echo "| \`psql -c \"COPY src TO STDOUT\" \| psql -c \"COPY bench_load FROM STDIN\"\` | $load_pipe | $(ratio "$load_pipe" "$load_ds") |"
echo "| the same pipe with \`(FORMAT binary)\` on both sides | $load_pipe_bin | $(ratio "$load_pipe_bin" "$load_ds") |"
echo "| postgres_fdw \`INSERT INTO ft_load SELECT * FROM src\`, batch_size 1000 | $load_fdw | $(ratio "$load_fdw" "$load_ds") |"
echo
echo "| the same $rows rows from the remote table into a local table with a primary key, median of $reps | ms | ratio to datastore |"
echo "|---|---:|---:|"
echo "| \`ds_sync('pg2', 'SELECT * FROM bench_load', 'local', 'dst')\` | $read_ds | 1.00 |"
echo "| \`psql -c \"COPY bench_load TO STDOUT\" \| psql -c \"COPY dst FROM STDIN\"\` | $read_pipe | $(ratio "$read_pipe" "$read_ds") |"
echo "| postgres_fdw \`INSERT INTO dst SELECT * FROM ft_load\` (default fetch_size 100) | $read_fdw | $(ratio "$read_fdw" "$read_ds") |"
echo
echo "$(bench_machine), PostgreSQL $(q 'SHOW server_version') on both sides, over TCP on loopback"
