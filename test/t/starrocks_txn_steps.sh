#!/usr/bin/env bash
# pg_terminate_backend during each step of a StarRocks transaction load
# (begin, load, prepare, the commit at the local COMMIT, and the rollback
# of an aborting transaction), each step held up on the server for a few
# seconds (the emulator's txn_delay_op, like a step waiting for a table
# lock).  What must hold every time: the remote outcome and the local one
# agree (rows visible exactly when the local transaction committed), the
# backend exits, and no message claims an outcome the server did not
# reach.  A commit held longer than datastore.cancel_timeout is the one case
# where they cannot agree: then the messages must say the outcome was not
# known, and nothing false.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$DS_ENV"
db=ds_t_srtxnsteps
ds_test_db "$db"
psql -XAtq -d "$db" -v ON_ERROR_STOP=1 >/dev/null <<SQL
SELECT ds_register('sr', 'starrocks', host => '127.0.0.1', port => $DS_SR_MYSQL_PORT,
  "user" => '$DS_MYSQL_USER', password => '$DS_MYSQL_PASSWORD', database => '$DS_SR_DATABASE',
  http_port => $DS_SR_FE_PORT);
SELECT ds_exec('sr', 'DROP TABLE IF EXISTS txnsteps');
SELECT ds_exec('sr', 'CREATE TABLE txnsteps (k INT NOT NULL, v STRING) PRIMARY KEY (k)
                      DISTRIBUTED BY HASH (k) BUCKETS 1 PROPERTIES ("replication_num" = "1")');
CREATE TABLE marks (label text);
SQL
log="$DS_TMP/pg/server.log"
log_start=$(wc -l <"$log")
# Labels are kept by the server: a name of this run's own.
run=$$
failures=0
cases=0

label_state() { ds_sr_label_state "$1"; }
stat() { ds_sr_stat "$1"; }
# wait_for COMMAND VALUE SECONDS: until COMMAND prints VALUE.
wait_for() {
	local i
	for i in $(seq 1 $(($3 * 10))); do
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
remote_rows() {
	ds_mariadb -N -e "SELECT COUNT(*) FROM $DS_SR_DATABASE.txnsteps WHERE v LIKE '$1-%'"
}
local_marks() { psql -XAtq -d "$db" -c "SELECT count(*) FROM marks WHERE label = '$1'"; }

# run_step NAME OP SECONDS END [SETTINGS]: a session loads 100 rows in a
# transaction load labelled NAME and ends its transaction with END (COMMIT
# or ROLLBACK); the server holds step OP for SECONDS, and the backend is
# terminated while it does.
run_step() {
	local name=$1 op=$2 secs=$3 end=$4 settings=${5:-} out="$DS_TMP/txnsteps.$1.out" client lines
	lines=$(wc -l <"$log")
	delays=$(stat txn_delays)
	ds_sr_config "{\"txn_delay_op\": \"$op\", \"txn_delay_seconds\": $secs, \"txn_delay_count\": 1}"
	PGAPPNAME=ds_txnsteps psql -X -d "$db" >"$out" 2>&1 <<-SQL &
		$settings
		BEGIN;
		INSERT INTO marks VALUES ('$name');
		SELECT ds_stream_load_query('sr', 'txnsteps',
		  \$\$SELECT g AS k, '$name-' || g AS v FROM generate_series(1, 100) g\$\$,
		  '{"transaction": true, "label": "$name", "timeout": 30, "prepared_timeout": 30}')->>'Status';
		$end;
	SQL
	client=$!
	# Terminate while the server holds the step.
	wait_for "stat txn_delays" $((delays + 1)) 30 || echo "  $name: the $op step never came"
	sleep 0.5
	psql -XAtq -d "$db" -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'ds_txnsteps'" >/dev/null
	wait "$client" || true
	# What the session was told, and what the backend logged (on its way
	# out too, after the client was gone).
	step_log=$( (cat "$out"; tail -n +$((lines + 1)) "$log") | grep -F "\"$name\"" || true)
	echo "  $name: label $(label_state "$name"), $(remote_rows "$name") rows remote, $(local_marks "$name") local mark"
	[ -z "$step_log" ] || printf '%s\n' "$step_log" | sed 's/^/    log: /'
}
# The log of the last step claims nothing is visible.
claims_invisible() { printf '%s\n' "$step_log" | grep -qiE 'not visible|nothing of it is visible'; }

# Terminated during begin, load or prepare: the local transaction never
# commits, and the exit rolls the remote one back (the server's timeouts
# are only the last resort): nothing visible.
for op in begin load prepare; do
	name="steps-$op-$run"
	rolled=$(stat txn_rolled_back)
	aborted=$(stat txn_aborted)
	run_step "$name" "$op" 3 COMMIT
	check "$op: the remote transaction ends aborted" "wait_for 'label_state $name' ABORTED 15"
	check "$op: no row visible, no local mark" "[ \"\$(remote_rows $name)\" = 0 ] && [ \"\$(local_marks $name)\" = 0 ]"
	# Rolled back by the exit; a load the backend walked away from fails on
	# the server, which may abort the transaction itself first.
	check "$op: rolled back by the exit (or aborted by the failed load)" \
		"[ \"\$(stat txn_rolled_back)\" -gt $rolled ] || { [ $op = load ] && [ \"\$(stat txn_aborted)\" -gt $aborted ]; }"
done

# Terminated during the commit: the commit is finished first (it takes 3 s,
# under datastore.cancel_timeout), and then the local commit: both sides.
run_step steps-commit-$run commit 3 COMMIT
check "commit: the rows are visible" "wait_for 'label_state steps-commit-$run' VISIBLE 15 && [ \"\$(remote_rows steps-commit-$run)\" = 100 ]"
check "commit: and the local transaction committed" "[ \"\$(local_marks steps-commit-$run)\" = 1 ]"
check "commit: no message of a failure" "! printf '%s\n' \"\$step_log\" | grep -qE 'WARNING|ERROR'"

# Terminated during the rollback of ROLLBACK: the rollback is finished.
rolled=$(stat txn_rolled_back)
run_step steps-rollback-$run rollback 3 ROLLBACK
check "rollback: the remote transaction is rolled back" "wait_for 'label_state steps-rollback-$run' ABORTED 15 && [ \"\$(stat txn_rolled_back)\" -gt $rolled ]"
check "rollback: no row visible, no local mark" "[ \"\$(remote_rows steps-rollback-$run)\" = 0 ] && [ \"\$(local_marks steps-rollback-$run)\" = 0 ]"
check "rollback: no message of a failure" "! printf '%s\n' \"\$step_log\" | grep -qE 'WARNING|ERROR'"

# A commit held longer than datastore.cancel_timeout: the backend stops
# waiting, and the server commits after all.  The sides disagree (no
# two-phase commit can be had); what is said must not be false.
run_step steps-slow-commit-$run commit 4 COMMIT "SET datastore.cancel_timeout = 1;"
check "slow commit: the server committed after all" "wait_for 'label_state steps-slow-commit-$run' VISIBLE 15"
check "slow commit: the local transaction did not" "[ \"\$(local_marks steps-slow-commit-$run)\" = 0 ]"
check "slow commit: the session was told the outcome was not known" \
	"printf '%s\n' \"\$step_log\" | grep -q 'could not tell whether transaction load'"
check "slow commit: no message claims nothing is visible" "! claims_invisible"

ds_sr_config '{"txn_delay_op": null}'
check "server log: no backend crashed" \
	"! tail -n +$((log_start + 1)) '$log' | grep -E 'terminated by signal|TRAP|PANIC'"
psql -Xq -d postgres -c "DROP DATABASE $db"
echo "starrocks transaction steps: $((cases - failures)) of $cases checks passed"
[ "$failures" -eq 0 ]
