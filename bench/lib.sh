# What every bench script shares: the test harness (deps, build, throwaway
# servers), a bench database with a timing function, medians and ratios.
# Source it; the scripts set rows and reps first.
. "$(dirname "${BASH_SOURCE[0]}")/../test/lib.sh"

# bench_peer_extension NAME [PACKAGE]: makes sure the peer extension NAME is
# installed for PG_CONFIG's PostgreSQL: Debian's (or PGDG's)
# postgresql-MAJOR-PACKAGE for a packaged major (none: it comes with
# postgresql-contrib), else it must already be in that PostgreSQL's tree (a
# private build: make install it there with the same PG_CONFIG).
bench_peer_extension() {
	if [ ${#DS_PG_PACKAGES[@]} -gt 0 ]; then
		[ -z "${2:-}" ] || ds_install_deps "postgresql-$DS_PG_MAJOR-$2"
	elif [ ! -f "$("$PG_CONFIG" --sharedir)/extension/$1.control" ]; then
		echo "$1 is not installed for $("$PG_CONFIG" --version) ($PG_CONFIG);" \
			"build it with: make USE_PGXS=1 PG_CONFIG=$PG_CONFIG install" >&2
		exit 1
	fi
}

# bench_db [extension...]: creates the database bench with datastore, the
# given extensions and bench_ms(q, reps, setup): the median wall time in ms
# of reps runs of q, after one warm-up run, setup (if given) run untimed
# before each.
bench_db() {
	local ext
	export PGOPTIONS="-c client_min_messages=warning"
	psql -Xq -d postgres -c "CREATE DATABASE bench"
	for ext in datastore "$@"; do
		psql -Xq -d bench -c "CREATE EXTENSION $ext"
	done
	psql -Xq -d bench <<'SQL'
CREATE FUNCTION bench_ms(q text, reps int, setup text DEFAULT NULL) RETURNS numeric LANGUAGE plpgsql AS $$
DECLARE
	t0 timestamptz;
	times float8[] := '{}';
BEGIN
	IF setup IS NOT NULL THEN EXECUTE setup; END IF;
	EXECUTE q;
	FOR i IN 1..reps LOOP
		IF setup IS NOT NULL THEN EXECUTE setup; END IF;
		t0 := clock_timestamp();
		EXECUTE q;
		times := times || extract(epoch FROM clock_timestamp() - t0) * 1000;
	END LOOP;
	RETURN round((SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY t) FROM unnest(times) t)::numeric, 1);
END $$;
SQL
}

# q SQL: a query's result from the bench database.
q() { psql -XAtq -d bench -c "$1"; }

# median ...: the median of the numbers given (microseconds), in ms.
median() {
	printf '%s\n' "$@" | sort -n |
		awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.1f", m/1000}'
}

# median_ms CMD [SETUP]: the median in ms of $reps runs of a shell command,
# after one warm-up run, SETUP (if given) run untimed before each.  A run
# that fails stops the bench: a broken peer must not look fast.
median_ms() {
	local times=() i start end
	for i in $(seq 0 "$reps"); do
		[ -n "${2:-}" ] && eval "$2" >/dev/null
		start=$(date +%s%N)
		eval "$1" >/dev/null || { echo "failed: $1" >&2; exit 1; }
		end=$(date +%s%N)
		[ "$i" -gt 0 ] && times+=($(((end - start) / 1000)))
	done
	median "${times[@]}"
}

# bench_interleaved CMD...: runs each shell command once to warm up, then
# $reps times in turn (A B A B ...), so that a shared machine's drift hits
# them alike; prints the median ms of each, space-separated.  The caller may
# define bench_before J (untimed, before each run of command J: drop or
# truncate the target, checkpoint) and bench_after J (untimed, after it:
# check what it did and exit on anything wrong).  A command that fails
# stops the bench: a broken peer must not look fast.
bench_interleaved() {
	local n=$# i j start end
	local -a cmds=("$@") times=()
	for i in $(seq 0 "$reps"); do
		for j in $(seq 0 $((n - 1))); do
			if declare -F bench_before >/dev/null; then bench_before "$j"; fi
			start=$(date +%s%N)
			eval "${cmds[$j]}" >/dev/null || { echo "failed: ${cmds[$j]}" >&2; exit 1; }
			end=$(date +%s%N)
			[ "$i" -gt 0 ] && times[$j]="${times[$j]:-} $(((end - start) / 1000))"
			if declare -F bench_after >/dev/null; then bench_after "$j"; fi
		done
	done
	for j in $(seq 0 $((n - 1))); do
		printf '%s ' "$(median ${times[$j]})"
	done
	echo
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

# The start of the closing line: date, cores, CPU model.
bench_machine() {
	echo "$(date -u +%Y-%m-%d), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
}

# bench_mariadb_table ROWS: the mixed-type table bench in MariaDB's test
# database (INT key, VARCHAR, DECIMAL, DATETIME, TINYINT, DOUBLE, TEXT), ids
# 1 to ROWS, made by the sequence engine; mysql.sh reads it, migrate.sh and
# diff.sh copy it into PostgreSQL.
bench_mariadb_table() {
	ds_mariadb <<SQL
CREATE TABLE bench (id INT PRIMARY KEY, name VARCHAR(50), amount DECIMAL(12,2), created DATETIME,
                    flag TINYINT, score DOUBLE, note TEXT) CHARACTER SET utf8mb4;
INSERT INTO bench SELECT seq, CONCAT('name-', seq), seq / 100, '2024-01-01' + INTERVAL seq SECOND,
                         seq % 2, seq * 1.5, REPEAT('x', seq % 40) FROM seq_1_to_$1;
SQL
}

# An order-independent digest of bench's rows, the same text computed by
# each server on its side: "count sum", the sum over the rows of the first
# 60 bits of the md5 of the row written out (id|name|amount|created|flag|
# score|note, the date-time as YYYY-MM-DD HH:MM:SS).  Any value that differs
# changes it; equal digests on both sides say the copy is exact (bench has
# no NULLs, which concat_ws would skip).
# bench_digest_mariadb: bench's digest in MariaDB.
bench_digest_mariadb() {
	ds_mariadb -N -e "SELECT CONCAT(COUNT(*), ' ', COALESCE(SUM(CAST(CONV(SUBSTR(MD5(CONCAT_WS('|',
		id, name, amount, DATE_FORMAT(created, '%Y-%m-%d %H:%i:%s'), flag, score, note)), 1, 15), 16, 10)
		AS UNSIGNED)), 0)) FROM bench"
}

# bench_digest_pg TABLE: the same digest of a PostgreSQL copy in database
# bench.  flag::int reads a boolean or a smallint alike; a timestamptz is
# written in UTC, the zone MariaDB's DATETIME values are read in.
bench_digest_pg() {
	psql -XAtq -d bench -c "SET TimeZone = 'UTC'" -c "SELECT count(*) || ' ' || COALESCE(sum(('x' ||
		substr(md5(concat_ws('|', id, name, amount, to_char(created, 'YYYY-MM-DD HH24:MI:SS'),
		flag::int, score, note)), 1, 15))::bit(60)::bigint), 0) FROM $1"
}
