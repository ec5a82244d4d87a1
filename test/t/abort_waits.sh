#!/usr/bin/env bash
# Waits that run while a transaction aborts.  When a statement is stopped,
# datastore cleans up in the abort: it cancels the remote PostgreSQL
# statement (a side connection it waits on), KILLs the MySQL one, and rolls
# a StarRocks transaction load back over HTTP.  From PostgreSQL 17 on a wait
# registered with the resource owner being released is an ERROR of its own
# ("ResourceOwnerEnlarge called after release started"), so every such path
# is run here, on whatever PostgreSQL the suite runs on: a remote statement
# stopped by statement_timeout, by pg_cancel_backend, and by an ERROR later
# in the statement or the transaction, for each kind of store.  Each case
# checks the error the client got, that the remote statement is gone, that
# nothing of a load stays, that the same session then works, and that the
# server log holds no error of the cleanup itself.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$DS_ENV"
db=ds_t_abort
ds_test_db "$db"
psql -XAtq -d "$db" -v ON_ERROR_STOP=1 >/dev/null <<SQL
SELECT ds_register('pg2', 'postgres', host => '$DS_PG2_HOST', port => $DS_PG2_PORT,
                   "user" => '$DS_PG2_USER', password => '$DS_PG2_PASSWORD',
                   database => '$DS_PG2_DATABASE');
SELECT ds_register('sr', 'starrocks', host => '127.0.0.1', port => $DS_SR_MYSQL_PORT,
  "user" => '$DS_MYSQL_USER', password => '$DS_MYSQL_PASSWORD', database => '$DS_SR_DATABASE',
  http_port => $DS_SR_FE_PORT);
SELECT ds_exec('pg2', 'DROP TABLE IF EXISTS abort_load');
SELECT ds_exec('pg2', 'CREATE TABLE abort_load (k int, v int)');
SELECT ds_exec('my', 'CREATE OR REPLACE TABLE abort_load (k INT, v INT)');
SELECT ds_exec('sr', 'DROP TABLE IF EXISTS abort_load');
SELECT ds_exec('sr', 'CREATE TABLE abort_load (k INT, v INT)
  DUPLICATE KEY (k) DISTRIBUTED BY HASH (k) BUCKETS 1 PROPERTIES ("replication_num" = "1")');
SQL
log="$DS_TMP/pg/server.log"
log_lines_before=$(wc -l <"$log")
failures=0
cases=0

pg2_running() {
	ds_pg2 -XAt -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'datastore' AND state = 'active' AND query LIKE '$1%'"
}
my_running() {
	ds_mariadb -N -e "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE '$1%'"
}
label_state() { ds_sr_label_state "$1"; }
# wait_for COMMAND VALUE: until COMMAND prints VALUE (10 s at most).
wait_for() {
	local i
	for i in $(seq 1 100); do
		[ "$(eval "$1")" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}
check() {
	cases=$((cases + 1))
	if eval "$2"; then
		echo "ok   - $1"
	else
		echo "FAIL - $1"
		failures=$((failures + 1))
	fi
}

# run_case NAME EXPECTED_ERROR GONE_CHECK SQL [CANCEL_WHEN]: runs SQL and
# then, in the same session, a query on every store; with CANCEL_WHEN (a
# command that prints 1 once the remote statement runs), another session
# cancels the backend then.
run_case() {
	local name=$1 expect=$2 gone=$3 sql=$4 when=${5:-} out="$DS_TMP/abort.$1.out" client pid
	PGAPPNAME=ds_abort_victim psql -X -d "$db" >"$out" 2>&1 <<-SQL &
		\set VERBOSITY terse
		$sql
		RESET statement_timeout;
		SELECT r->>'ok' AS after_pg2 FROM ds_query('pg2', 'SELECT 1 AS ok') r;
		SELECT r->>'ok' AS after_my FROM ds_query('my', 'SELECT 1 AS ok') r;
		SELECT r->>'ok' AS after_sr FROM ds_query('sr', 'SELECT 1 AS ok') r;
	SQL
	client=$!
	if [ -n "$when" ]; then
		if wait_for "$when" 1; then
			pid=$(psql -XAt -d "$db" -c "SELECT pid FROM pg_stat_activity WHERE application_name = 'ds_abort_victim'")
			psql -XAtq -d "$db" -c "SELECT pg_cancel_backend($pid)" >/dev/null
		else
			echo "  $name: the remote statement never started"
		fi
	fi
	wait "$client" || true
	echo "  $name: $(grep -m1 -E 'ERROR|FATAL' "$out" || echo 'no error')"
	check "$name: stopped with the expected error" "grep -q '$expect' '$out'"
	check "$name: the remote side is clean" "$gone"
	check "$name: the session works afterwards on every store" \
		"[ \$(grep -cx ' 1' '$out') = 3 ]"
	check "$name: no error of the cleanup itself" \
		"! grep -qiE 'release started|resource owner|could not (stop|cancel)|unexpected' '$out'"
}

slow_remote_pg="SELECT * FROM ds_query('pg2', 'SELECT pg_sleep(30)');"
slow_remote_my="SELECT * FROM ds_query('my', 'SELECT SLEEP(30)');"
# A source that fails after 150,000 rows have gone into the open remote load.
failing_source="'SELECT g AS k, 1 / (150000 - g) AS v FROM generate_series(1, 300000) g'"

echo "== remote PostgreSQL"
run_case pg_statement_timeout "canceling statement due to statement timeout" \
	"wait_for \"pg2_running 'SELECT pg_sleep(30)'\" 0" \
	"SET statement_timeout = '1s'; $slow_remote_pg"
run_case pg_cancel_backend "canceling statement due to user request" \
	"wait_for \"pg2_running 'SELECT pg_sleep(30)'\" 0" \
	"$slow_remote_pg" "pg2_running 'SELECT pg_sleep(30)'"
run_case pg_error_mid_load "division by zero" \
	"wait_for \"pg2_running 'COPY'\" 0 && [ \$(ds_pg2 -XAt -c 'SELECT count(*) FROM abort_load') = 0 ]" \
	"SELECT ds_stream_load_query('pg2', 'abort_load', $failing_source);"

echo "== MySQL"
run_case my_statement_timeout "canceling statement due to statement timeout" \
	"wait_for \"my_running 'SELECT SLEEP(30)'\" 0" \
	"SET statement_timeout = '1s'; $slow_remote_my"
run_case my_cancel_backend "canceling statement due to user request" \
	"wait_for \"my_running 'SELECT SLEEP(30)'\" 0" \
	"$slow_remote_my" "my_running 'SELECT SLEEP(30)'"
run_case my_error_mid_load "division by zero" \
	"wait_for \"my_running 'LOAD DATA'\" 0 && [ \$(ds_mariadb -N -e 'SELECT COUNT(*) FROM abort_load') = 0 ]" \
	"SELECT ds_stream_load_query('my', 'abort_load', $failing_source, '{\"columns\": \"k,v\"}');"

echo "== StarRocks transaction loads"
sr_rows() { ds_mariadb -N -e "SELECT COUNT(*) FROM $DS_SR_DATABASE.abort_load"; }
run_case sr_error_later_in_transaction "division by zero" \
	"wait_for \"label_state abort-later\" ABORTED && [ \$(sr_rows) = 0 ]" \
	"BEGIN;
	 SELECT ds_stream_load_query('sr', 'abort_load', 'SELECT g AS k, g AS v FROM generate_series(1, 1000) g',
	   '{\"transaction\": true, \"label\": \"abort-later\"}')->>'Status' AS status;
	 SELECT 1 / 0;
	 ROLLBACK;"
run_case sr_statement_timeout "canceling statement due to statement timeout" \
	"wait_for \"label_state abort-timeout\" ABORTED && [ \$(sr_rows) = 0 ]" \
	"BEGIN;
	 SELECT ds_stream_load_query('sr', 'abort_load', 'SELECT g AS k, g AS v FROM generate_series(1, 1000) g',
	   '{\"transaction\": true, \"label\": \"abort-timeout\"}')->>'Status' AS status;
	 SET LOCAL statement_timeout = '1s';
	 SELECT pg_sleep(30);
	 ROLLBACK;"
run_case sr_cancel_backend "canceling statement due to user request" \
	"wait_for \"label_state abort-cancel\" ABORTED && [ \$(sr_rows) = 0 ]" \
	"BEGIN;
	 SELECT ds_stream_load_query('sr', 'abort_load', 'SELECT g AS k, g AS v FROM generate_series(1, 1000) g',
	   '{\"transaction\": true, \"label\": \"abort-cancel\"}')->>'Status' AS status;
	 SELECT pg_sleep(30);
	 ROLLBACK;" "[ \"\$(label_state abort-cancel)\" = PREPARED ] && echo 1"

# The server's own log of this test: no cleanup that failed.
check "server log: no error of a cleanup during abort" \
	"! tail -n +$((log_lines_before + 1)) '$log' | grep -iE 'release started|resource owner|could not (stop|cancel)|TRAP|terminated by signal'"

psql -Xq -d postgres -c "DROP DATABASE $db"
echo "abort waits: $((cases - failures)) of $cases checks passed on $("$PG_CONFIG" --version)"
[ "$failures" = 0 ]
