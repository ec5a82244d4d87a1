#!/usr/bin/env bash
# A MySQL server that lies (test/hostile/fake_mysql.py) answers every step
# datastore reads with shapes a real server never sends.  No answer may crash
# the backend (the one session runs every scenario, and the postmaster is
# never restarted), grow it past a bound, or get a file sent that nobody
# asked for; each is an ERROR naming the store or a value read exactly.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$DS_ENV"
. "$DS_ROOT/test/hostile/harness.sh"
hdb=ds_t_hostile_mysql
hostile_start mysql fake_mysql.py 33306
ds_test_db "$hdb"

scenarios="warn_ok warn_null warn_word warn_onecol warn_rows warn_badtext ok_for_rows bit_wide
	decimal_word double_word double_nan time_word datetime_word text_badutf8 text_nul error_badutf8
	truncated_row fewer_coldefs huge_value infile_unasked many_columns too_many_columns bad_greeting_after_auth
	key_nul key_badutf8 key_nullname key_twocols key_counts key_noinfo tls_require diff_order diff_word"
{
	hostile_sql
	for s in $scenarios; do
		opts='{}'
		[ "$s" = tls_require ] && opts='{"ssl": {"mode": "require"}}'
		echo "SELECT ds_register('$s', 'mysql', host => '127.0.0.1', port => $hport, \"user\" => 'u', password => 'pw', database => '$s', options => '$opts');"
		case "$s" in
		warn_*) hostile_try "$s" "SELECT ds_stream_load_query('$s', 't', 'SELECT 1 AS a')::text" ;;
		key_*) hostile_try "$s" "SELECT ds_stream_load_query('$s', 't', 'SELECT 1 AS a, 2 AS b', '{\"mode\": \"upsert\"}')::text" ;;
		diff_*) hostile_try "$s" "SELECT key::text FROM ds_diff('$s', 'SELECT id, v FROM t', 'local',
			\$\$SELECT * FROM (VALUES (1, 'a'), (2, 'b'), (3, 'c')) AS v(id, v)\$\$, '{id}', '{\"summary\": true}')" ;;
		huge_value) hostile_try "$s" "SELECT length(r->>'s')::text FROM ds_query('$s', 'SELECT s') r" ;;
		many_columns) hostile_try "$s" "SELECT count(*)::text FROM ds_query('$s', 'SELECT *') r" ;;
		*) hostile_try "$s" "SELECT string_agg(r::text, ',') FROM ds_query('$s', 'SELECT x') r" ;;
		esac
		[ "$s" = warn_rows ] && echo "SELECT 'peak_after_warn_rows ' || peak_kb();"
	done
} >"$hdir/session.sql"
hostile_session "$hdir/session.sql"
hostile_survived

# Shapes a real server never sends are errors naming the store (HV000),
# values that are not what the column holds are conversion errors (22P02),
# a dead link is a connection failure (08xxx).
for s in warn_ok warn_null warn_word warn_onecol error_badutf8 fewer_coldefs; do
	hostile_expect "$s" "error HV000"
done
# Warnings about rows the batch does not have count no more than its rows.
hostile_expect warn_rows "error 22000"
[ $(($(hostile_got peak_after_warn_rows) - $(hostile_got peak_before))) -lt 65536 ] ||
	hostile_fail "warn_rows grew the backend"
hostile_expect warn_badtext "error 22000"
hostile_expect ok_for_rows "ok null"
for s in bit_wide decimal_word double_word time_word datetime_word; do
	hostile_expect "$s" "error 22P02"
done
hostile_expect double_nan 'ok {"f": "NaN"},{"f": "Infinity"},{"f": "-Infinity"},{"f": 2.5}'
hostile_expect text_badutf8 "error 22021"
hostile_expect text_nul "error 22021"
hostile_expect truncated_row "error 08*"
# A BINARY value of 10 MB, as bytea hex: \x and two digits a byte.
hostile_expect huge_value "ok 20971522"
hostile_expect infile_unasked "error *"
grep -q '"event": "infile_unasked", "bytes": 0' "$hdir/log" ||
	hostile_fail "a file went to a server that asked for one unasked"
hostile_expect many_columns "ok 1"
hostile_expect too_many_columns "error HV000"
hostile_expect bad_greeting_after_auth "error 08*"
# A load by key reads the target's keys and the upsert's counts: names that
# are not names, and counts that do not add up, are errors naming the store.
for s in key_nul key_badutf8 key_nullname key_twocols key_counts key_noinfo; do
	hostile_expect "$s" "error HV000"
done
# This server offers TLS but fails every handshake: the stores above (ssl
# mode prefer, the default) asked for it, and went on in the clear as
# libpq's prefer does (every scenario above got its answer); one that
# requires TLS is refused, before any statement.
hostile_expect tls_require "error 08001"
grep -q '"sql": "SELECT x", "db": "tls_require"' "$hdir/log" &&
	hostile_fail "a statement went to a server without TLS for a store that requires it"
[ "$(grep -c '"event": "ssl_request"' "$hdir/log")" -ge "$(echo $scenarios | wc -w)" ] ||
	hostile_fail "the stores in mode prefer did not ask for TLS"
# ds_diff reads both sides in key order and merges as the rows come: a
# server that sends them in another order, or keys that are no integers,
# would make it report keys as missing and extra that both sides have.
# Each is an ERROR, never a count.
hostile_expect diff_order "error 08P01"
hostile_expect diff_word "error 08P01"
echo "hostile MySQL server: $(echo $scenarios | wc -w) scenarios handled, no crash"
echo "reliability: answers $(echo $scenarios | wc -w) $(echo $scenarios | wc -w)"
