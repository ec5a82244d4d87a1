#!/usr/bin/env bash
# A MySQL server that lies (test/hostile/fake_mysql.py) answers every step
# datastore reads with shapes a real server never sends.  No answer may crash
# the backend (the one session runs every scenario, and the postmaster is
# never restarted), grow it past a bound, or get a file sent that nobody
# asked for; each is an ERROR naming the store or a value read exactly.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$DS_ENV"
db=ds_t_hostile_mysql
dir="$DS_TMP/hostile_mysql"
mkdir -p "$dir"
: >"$dir/log"
port=$(ds_free_port 33306)
/usr/bin/python3 "$DS_ROOT/test/hostile/fake_mysql.py" --port "$port" --pid-file "$dir/pid" \
	--log "$dir/log" >"$dir/out" 2>&1 &
trap 'ds_stop_pidfile "$dir/pid" 5' EXIT
for i in $(seq 1 50); do [ -f "$dir/pid" ] && break; sleep 0.1; done
ds_test_db "$db"
started=$(psql -X -At -d "$db" -c "SELECT pg_postmaster_start_time()")

scenarios="warn_ok warn_null warn_word warn_onecol warn_rows warn_badtext ok_for_rows bit_wide
	decimal_word double_word double_nan time_word datetime_word text_badutf8 text_nul error_badutf8
	truncated_row fewer_coldefs huge_value infile_unasked many_columns bad_greeting_after_auth"
{
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
	for s in $scenarios; do
		echo "SELECT ds_register('$s', 'mysql', host => '127.0.0.1', port => $port, \"user\" => 'u', password => 'pw', database => '$s');"
		case "$s" in
		warn_*)
			q="SELECT ds_stream_load_query('$s', 't', 'SELECT 1 AS a')::text" ;;
		huge_value)
			q="SELECT length(r->>'s')::text FROM ds_query('$s', 'SELECT s') r" ;;
		many_columns)
			q="SELECT count(*)::text FROM ds_query('$s', 'SELECT *') r" ;;
		*)
			q="SELECT string_agg(r::text, ',') FROM ds_query('$s', 'SELECT x') r" ;;
		esac
		printf "SELECT '%s ' || try(%s);\n" "$s" "\$q\$$q\$q\$"
		[ "$s" = warn_rows ] && echo "SELECT 'peak_after_warn_rows ' || peak_kb();"
	done
	echo "SELECT 'pid ' || pg_backend_pid();"
	echo "SELECT 'still ' || count(*) FROM ds_query('local', 'SELECT 1');"
} | psql -X -At -d "$db" >"$dir/results" 2>&1 || true
cat "$dir/results"

fail() { echo "FAIL: $*"; exit 1; }
got() { sed -n "s/^$1 //p" "$dir/results"; }
[ "$(psql -X -At -d "$db" -c "SELECT pg_postmaster_start_time()")" = "$started" ] ||
	fail "the postmaster restarted: a backend crashed"
[ "$(got pid | sort -u | wc -l)" = 1 ] || fail "the session did not survive every scenario"
[ "$(got still)" = 1 ] || fail "the session is not usable after the scenarios"
# Shapes a real server never sends are errors naming the store (HV000),
# values that are not what the column holds are conversion errors (22P02),
# a dead link is a connection failure (08xxx).
for s in warn_ok warn_null warn_word warn_onecol; do
	[ "$(got "$s")" = "error HV000" ] || fail "$s: $(got "$s")"
done
# Warnings about rows the batch does not have count no more than its rows.
case "$(got warn_rows)" in "error 22000") ;; *) fail "warn_rows: $(got warn_rows)" ;; esac
[ $(($(got peak_after_warn_rows) - $(got peak_before))) -lt 65536 ] || fail "warn_rows grew the backend"
case "$(got warn_badtext)" in "error 22000") ;; *) fail "warn_badtext: $(got warn_badtext)" ;; esac
[ "$(got ok_for_rows)" = "ok null" ] || fail "ok_for_rows: $(got ok_for_rows)"
for s in bit_wide decimal_word double_word time_word datetime_word; do
	[ "$(got "$s")" = "error 22P02" ] || fail "$s: $(got "$s")"
done
[ "$(got double_nan)" = 'ok {"f": "NaN"},{"f": "Infinity"},{"f": "-Infinity"},{"f": 2.5}' ] ||
	fail "double_nan: $(got double_nan)"
case "$(got text_badutf8)" in "error 22021") ;; *) fail "text_badutf8: $(got text_badutf8)" ;; esac
case "$(got text_nul)" in "error 22021") ;; *) fail "text_nul: $(got text_nul)" ;; esac
[ "$(got error_badutf8)" = "error HV000" ] || fail "error_badutf8: $(got error_badutf8)"
case "$(got truncated_row)" in "error 08"*) ;; *) fail "truncated_row: $(got truncated_row)" ;; esac
case "$(got fewer_coldefs)" in "error "*) ;; *) fail "fewer_coldefs: $(got fewer_coldefs)" ;; esac
[ "$(got huge_value)" = "ok 20971522" ] || fail "huge_value: $(got huge_value)"
case "$(got infile_unasked)" in "error "*) ;; *) fail "infile_unasked: $(got infile_unasked)" ;; esac
grep -q '"event": "infile_unasked", "bytes": 0' "$dir/log" || fail "a file went to a server that asked for one unasked"
[ "$(got many_columns)" = "ok 1" ] || fail "many_columns: $(got many_columns)"
case "$(got bad_greeting_after_auth)" in "error 08"*) ;; *) fail "bad_greeting_after_auth: $(got bad_greeting_after_auth)" ;; esac
echo "hostile MySQL server: $(echo $scenarios | wc -w) scenarios handled, no crash"
