# Shared by the test/t/hostile_*.sh tests: start a lying server from
# test/hostile/, run every scenario in one psql session, and check that the
# backend survived them all.  Source it after lib.sh and $DS_ENV.
#
#   hostile_start NAME SCRIPT PORT_FROM   -> $hdir, $hport, the server running
#   hostile_sql                           -> helper functions, printed as SQL
#   hostile_session FILE                  -> runs FILE, results in $hdir/results
#   hostile_got KEY                       -> what the line "KEY ..." said
#   hostile_expect KEY GLOB               -> FAIL unless it matches
#   hostile_survived                      -> FAIL if the backend crashed

hostile_fail() { echo "FAIL: $*"; exit 1; }

hostile_start() {
	hdir="$DS_TMP/hostile_$1"
	mkdir -p "$hdir"
	: >"$hdir/log"
	rm -f "$hdir/pid"
	hport=$(ds_free_port "$3")
	/usr/bin/python3 "$DS_ROOT/test/hostile/$2" --port "$hport" --pid-file "$hdir/pid" \
		--log "$hdir/log" >"$hdir/out" 2>&1 &
	trap 'ds_stop_pidfile "$hdir/pid" 5' EXIT
	for _ in $(seq 1 50); do [ -f "$hdir/pid" ] && break; sleep 0.1; done
	[ -f "$hdir/pid" ] || { cat "$hdir/out"; hostile_fail "$2 did not start"; }
}

# try(q): 'ok <the query's text result>' or 'error <SQLSTATE>'; peak_kb():
# this backend's peak resident size.
hostile_sql() {
	cat <<-'SQL'
		\set VERBOSITY terse
		CREATE FUNCTION try(q text) RETURNS text LANGUAGE plpgsql AS $$
		DECLARE r text;
		BEGIN
			EXECUTE q INTO r;
			RETURN 'ok ' || coalesce(r, 'null');
		EXCEPTION WHEN OTHERS THEN
			RETURN 'error ' || SQLSTATE;
		END $$;
		CREATE FUNCTION peak_kb() RETURNS bigint LANGUAGE sql AS $$
			SELECT (regexp_match(pg_read_file('/proc/self/status'), 'VmHWM:\s+(\d+)'))[1]::bigint
		$$;
		SELECT 'pid ' || pg_backend_pid();
		SELECT 'peak_before ' || peak_kb();
	SQL
}

# hostile_try KEY QUERY: one scenario line of the session.
hostile_try() {
	printf "SELECT '%s ' || try(%s);\n" "$1" "\$q\$$2\$q\$"
}

hostile_session() {
	hstarted=$(psql -X -At -d "$hdb" -c "SELECT pg_postmaster_start_time()")
	{
		cat "$1"
		echo "SELECT 'pid ' || pg_backend_pid();"
		echo "SELECT 'still ' || count(*) FROM ds_query('local', 'SELECT 1');"
	} | psql -X -At -d "$hdb" >"$hdir/results" 2>&1 || true
	grep -v '^$' "$hdir/results"
}

hostile_got() { sed -n "s/^$1 //p" "$hdir/results"; }

hostile_expect() {
	local v
	v=$(hostile_got "$1")
	# shellcheck disable=SC2254
	case "$v" in $2) ;; *) hostile_fail "$1: $v (expected $2)" ;; esac
}

hostile_survived() {
	[ "$(psql -X -At -d "$hdb" -c "SELECT pg_postmaster_start_time()")" = "$hstarted" ] ||
		hostile_fail "the postmaster restarted: a backend crashed"
	[ "$(hostile_got pid | sort -u | wc -l)" = 1 ] || hostile_fail "the session did not survive every scenario"
	[ "$(hostile_got still)" = 1 ] || hostile_fail "the session is not usable after the scenarios"
}
