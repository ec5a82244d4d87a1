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

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

# The start of the closing line: date, cores, CPU model.
bench_machine() {
	echo "$(date -u +%Y-%m-%d), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
}
