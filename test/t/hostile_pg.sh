#!/usr/bin/env bash
# A PostgreSQL server that lies (test/hostile/fake_pg.py): the catalog
# lookup of a binary load with the wrong columns, NULL or a word for an OID,
# rows whose shape changes, values that are not their type, floods of
# notices, text that is not UTF-8, links cut mid-row.  No answer may crash
# the backend or grow it past a bound; each is an ERROR naming the store.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$DS_ENV"
. "$DS_ROOT/test/hostile/harness.sh"
hdb=ds_t_hostile_pg
hostile_start pg fake_pg.py 54400
ds_test_db "$hdb"

scenarios="attr_onecol attr_null attr_word attr_ok second_rowdesc second_rowdesc_sync datarow_short
	type_lie array_lie bad_utf8_error bad_utf8_value notice_flood cmd_tuples_word copy_out_instead
	close_midrow giant_length fatal_midquery wide_result rows_for_set pk_flood pk_dup count_huge count_multi
	keq_inject keq_extra"
{
	hostile_sql
	echo "CREATE TABLE tt (a int, b text);"
	for s in $scenarios; do
		d=${s%_sync}
		echo "SELECT ds_register('$s', 'postgres', host => '127.0.0.1', port => $hport, \"user\" => 'u', password => 'pw', database => '$d');"
		case "$s" in
		attr_* | copy_out_instead) hostile_try "$s" "SELECT ds_stream_load_query('$s', 't', 'SELECT 1 AS a')->>'NumberLoadedRows'" ;;
		*_sync) hostile_try "$s" "SELECT ds_sync('$s', 'SELECT x', 'local', 'tt')->>'NumberLoadedRows'" ;;
		pk_* | count_* | keq_*) hostile_try "$s" "SELECT ds_stream_load('$s', 't', '[{\"a\": 1}]', '{\"mode\": \"mirror\"}')->>'NumberLoadedRows'" ;;
		cmd_tuples_word) hostile_try "$s" "SELECT ds_exec('$s', 'UPDATE x SET y = 1')::text" ;;
		*) hostile_try "$s" "SELECT string_agg(r::text, ',') FROM ds_query('$s', 'SELECT x') r" ;;
		esac
		[ "$s" = giant_length ] && echo "SELECT 'peak_after_giant ' || peak_kb();"
		[ "$s" = rows_for_set ] && echo "SELECT 'peak_after_rows_for_set ' || peak_kb();"
		[ "$s" = pk_flood ] && echo "SELECT 'peak_after_pk_flood ' || peak_kb();"
	done
} >"$hdir/session.sql"
hostile_session "$hdir/session.sql"
hostile_survived

for s in attr_onecol attr_null attr_word second_rowdesc_sync bad_utf8_error copy_out_instead; do
	hostile_expect "$s" "error HV000"
done
hostile_expect attr_ok "ok 1"
# A second row description starts a second result set (libpq ends the first):
# each row is read with the columns of its own.  A load's source must keep
# the shape of its first row.
hostile_expect second_rowdesc 'ok {"a": 1},{"a": "x", "b": "y"}'
hostile_expect datarow_short "error 08*"
hostile_expect type_lie "error 22P02"
hostile_expect array_lie "error 22P02"
hostile_expect bad_utf8_value "error 22021"
hostile_expect notice_flood 'ok {"a": 7}'
# libpq itself says it cannot read the count, which then counts nothing.
hostile_expect cmd_tuples_word "ok 0"
hostile_expect close_midrow "error 08*"
hostile_expect giant_length "error 08*"
[ $(($(hostile_got peak_after_giant) - $(hostile_got peak_before))) -lt 65536 ] ||
	hostile_fail "giant_length grew the backend"
hostile_expect fatal_midquery "error 08006"
# 32768 columns wrapped AttrNumber and crashed the backend.
hostile_expect wide_result "error HV000"
# 200,000 rows where a SET answers none: dropped one by one, never held.
hostile_expect rows_for_set 'ok {"a": 1}'
[ $(($(hostile_got peak_after_rows_for_set) - $(hostile_got peak_before))) -lt 65536 ] ||
	hostile_fail "rows_for_set grew the backend"
# A load by key: a key of 30 million columns stops at the 33rd (it grew the
# backend past 2 GB), a column twice, counts past 2^63 (they wrapped and
# vanished from a result that said Success), two rows of counts.
for s in pk_flood pk_dup count_huge count_multi; do
	hostile_expect "$s" "error HV000"
done
[ $(($(hostile_got peak_after_pk_flood) - $(hostile_got peak_before))) -lt 65536 ] ||
	hostile_fail "pk_flood grew the backend"
# The key's equality operators, read off the stage's index: a name that is
# no operator's (it would have carried SQL into the merge) or more of them
# than key columns; no merge statement is sent after either.
for s in keq_inject keq_extra; do
	hostile_expect "$s" "error HV000"
	grep -q "\"sql\": \"WITH ds_.*\"db\": \"$s\"\|\"db\": \"$s\".*\"sql\": \"WITH ds_" "$hdir/log" &&
		hostile_fail "$s: a merge statement was sent"
done
echo "hostile PostgreSQL server: $(echo $scenarios | wc -w) scenarios handled, no crash"
echo "reliability: answers $(echo $scenarios | wc -w) $(echo $scenarios | wc -w)"
