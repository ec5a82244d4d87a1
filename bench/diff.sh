#!/usr/bin/env bash
# ds_diff of a MariaDB table against its PostgreSQL copy, against the
# floor of reading both sides with ds_query (as they are, and ordered by
# key), all in turn (A B C ...) on one pair of throwaway servers.  On equal
# data the summary must say 0 differences; on a copy with a few hundred rows
# changed, deleted and added it must count each.  Prints a markdown table of
# medians and ratios; bench/README.md carries the latest run.
#   bash bench/diff.sh [rows] [repetitions]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rows=${1:-1000000}
reps=${2:-3}
# Every step-th row of the changed copy differs: about 300 of them.
step=$(((rows + 299) / 300))

ds_install_deps
ds_build
trap ds_stop_servers EXIT
ds_start_servers
. "$DS_ENV"

ds_log "preparing $rows rows in MariaDB and PostgreSQL"
bench_mariadb_table "$rows"
bench_db
psql -Xq -d bench -v ON_ERROR_STOP=1 >/dev/null <<SQL
SELECT ds_register('local', 'postgres');
SELECT ds_register('my', 'mysql', host => '127.0.0.1', port => $DS_MYSQL_PORT,
                   "user" => '$DS_MYSQL_USER', password => '$DS_MYSQL_PASSWORD',
                   database => '$DS_MYSQL_DATABASE',
                   options => '{"ssl": {"mode": "disable"}}');
SELECT ds_create_table('my', '$DS_MYSQL_DATABASE.bench', 'local', 'public.bench_pg');
SELECT ds_sync('my', 'SELECT * FROM bench', 'local', 'public.bench_pg');
CREATE TABLE bench_changed (LIKE bench_pg INCLUDING ALL);
INSERT INTO bench_changed SELECT * FROM bench_pg;
SQL
# The copy was made by datastore: the digest, computed by each server on
# its own, says it is MariaDB's rows, so that a diff of 0 means something.
source_digest=$(bench_digest_mariadb)
[ "$(bench_digest_pg bench_pg)" = "$source_digest" ] ||
	{ echo "bench_pg is not MariaDB's rows" >&2; exit 1; }
# The changed copy: every step-th row with an amount a cent more (even ids)
# or a longer note (odd ones), every (6 step)-th of the others deleted, and 25
# rows that MariaDB does not have.
changed=$(q "WITH u AS (UPDATE bench_changed SET amount = amount + (id % 2 = 0)::int * 0.01,
                                              note = note || CASE WHEN id % 2 = 1 THEN '!' ELSE '' END
                          WHERE id % $step = 0 RETURNING 1) SELECT count(*) FROM u")
missing=$(q "WITH d AS (DELETE FROM bench_changed WHERE id % ($step * 6) = 1 RETURNING 1) SELECT count(*) FROM d")
extra=$(q "WITH i AS (INSERT INTO bench_changed SELECT id + $rows, name, amount, created, flag, score, note
                        FROM bench_pg WHERE id <= 25 RETURNING 1) SELECT count(*) FROM i")
same=$((rows - changed - missing))
[ "$(bench_digest_pg bench_changed)" != "$source_digest" ] ||
	{ echo "the digest does not see the changed rows" >&2; exit 1; }
psql -Xq -d bench -c "VACUUM ANALYZE bench_pg" -c "VACUUM ANALYZE bench_changed"

summary="SELECT concat_ws(' ', key->>'same', key->>'changed', key->>'missing', key->>'extra')"
out="$DS_TMP/out"
cmds=(
	"psql -XAtq -d bench -c \"SELECT count(*) FROM ds_query('my', 'SELECT * FROM bench')\" \
		-c \"SELECT count(*) FROM ds_query('local', 'SELECT * FROM bench_pg')\" >$out"
	"psql -XAtq -d bench -c \"SELECT count(*) FROM ds_query('my', 'SELECT * FROM bench ORDER BY id')\" \
		-c \"SELECT count(*) FROM ds_query('local', 'SELECT * FROM bench_pg ORDER BY id')\" >$out"
	"psql -XAtq -d bench -c \"$summary FROM ds_diff('my', 'SELECT * FROM bench', \
		'local', 'SELECT * FROM bench_pg', '{id}', '{\\\"summary\\\": true}')\" >$out"
	"psql -XAtq -d bench -c \"$summary FROM ds_diff('my', 'SELECT * FROM bench', \
		'local', 'SELECT * FROM bench_changed', '{id}', '{\\\"summary\\\": true}')\" >$out"
	"psql -XAtq -d bench -c \"$summary FROM ds_diff('my', 'SELECT * FROM bench', \
		'local', 'SELECT * FROM bench_pg', '{id}', '{\\\"summary\\\": true, \\\"sort\\\": true}')\" >$out"
	"psql -XAtq -d bench -c \"$summary FROM ds_diff('my', 'SELECT * FROM bench', \
		'local', 'SELECT * FROM bench_changed', '{id}', '{\\\"summary\\\": true, \\\"sort\\\": true}')\" >$out"
	"psql -XAtq -d bench -c \"SET work_mem = '256MB'\" -c \"$summary FROM ds_diff('my', 'SELECT * FROM bench', \
		'local', 'SELECT * FROM bench_pg', '{id}', '{\\\"summary\\\": true, \\\"sort\\\": true}')\" >$out"
)
# What each must have answered: both counts, or the summary's same,
# changed, missing and extra.
expect=("$rows $rows" "$rows $rows" "$rows 0 0 0" "$same $changed $missing $extra"
	"$rows 0 0 0" "$same $changed $missing $extra" "$rows 0 0 0")
bench_after() {
	local got
	got=$(tr '\n' ' ' <"$out" | sed 's/ $//')
	if [ "$got" != "${expect[$1]}" ]; then
		echo "${cmds[$1]}: answered '$got', not '${expect[$1]}'" >&2
		exit 1
	fi
}

ds_log "reading and diffing $rows rows: ds_query both sides (as they are, ordered), ds_diff in key order (equal, changed), sorted (equal, changed, work_mem 256MB), interleaved"
bench_interleaved "${cmds[@]}" >"$DS_TMP/ms"
read -r ms_read ms_read_ordered ms_diff ms_diff_changed ms_sort ms_sort_changed ms_sort_mem <"$DS_TMP/ms"

# The rows themselves, not only the summary: each changed, missing and extra
# key is listed once, under its status.
listed=$(q "SELECT string_agg(status || ' ' || n, ', ' ORDER BY status) FROM (SELECT status, count(*) AS n
              FROM ds_diff('my', 'SELECT * FROM bench', 'local', 'SELECT * FROM bench_changed', '{id}')
             GROUP BY status) s")
want="changed $changed, extra $extra, missing $missing"
[ "$listed" = "$want" ] || { echo "ds_diff listed $listed, not $want" >&2; exit 1; }

echo
echo "| $rows-row mixed-type MariaDB table against its PostgreSQL copy, median of $reps | ms | ratio to reading both |"
echo "|---|---:|---:|"
echo "| read both: \`count(*) FROM ds_query('my', 'SELECT * FROM bench')\`, then \`ds_query('local', 'SELECT * FROM bench_pg')\` | $ms_read | 1.00 |"
echo "| read both ordered: the same with \`ORDER BY id\` on each side | $ms_read_ordered | $(ratio "$ms_read_ordered" "$ms_read") |"
echo "| \`ds_diff('my', 'SELECT * FROM bench', 'local', 'SELECT * FROM bench_pg', '{id}', '{\"summary\": true}')\`, equal data: both read at once in key order | $ms_diff | $(ratio "$ms_diff" "$ms_read") |"
echo "| the same against \`bench_changed\` ($changed changed, $missing missing, $extra extra) | $ms_diff_changed | $(ratio "$ms_diff_changed" "$ms_read") |"
echo "| sorted here, \`'{\"summary\": true, \"sort\": true}'\`: equal data, each side read in turn | $ms_sort | $(ratio "$ms_sort" "$ms_read") |"
echo "| sorted here, against \`bench_changed\` | $ms_sort_changed | $(ratio "$ms_sort_changed" "$ms_read") |"
echo "| sorted here, equal data with \`SET work_mem = '256MB'\` (default: $(q 'SHOW work_mem')) | $ms_sort_mem | $(ratio "$ms_sort_mem" "$ms_read") |"
echo
echo "summaries checked after every run: equal data same $rows and 0 changed, missing, extra; changed copy same $same, changed $changed, missing $missing, extra $extra; listed without summary: $listed"
echo
echo "$(bench_machine), PostgreSQL $(q 'SHOW server_version'), MariaDB $(ds_mariadb -N -e 'SELECT VERSION()')"
