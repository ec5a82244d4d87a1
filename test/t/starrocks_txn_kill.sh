#!/usr/bin/env bash
# A transaction stream load whose backend goes away before the local commit:
#  - pg_terminate_backend: the backend rolls the remote transaction back on
#    its way out (label ABORTED, nothing visible, a rollback counted);
#  - SIGKILL cannot say anything: the prepared transaction is left to the
#    server, which aborts it after its prepared_timeout.  Killing a backend
#    makes the postmaster restart every backend, so the test waits for
#    recovery before it checks.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$DS_ENV"
db=ds_t_srtxnkill
ds_test_db "$db"
psql -XAtq -d "$db" >/dev/null <<SQL
SELECT ds_register('sr', 'starrocks', host => '127.0.0.1', port => $DS_SR_MYSQL_PORT,
  "user" => '$DS_MYSQL_USER', password => '$DS_MYSQL_PASSWORD', database => '$DS_SR_DATABASE',
  http_port => $DS_SR_FE_PORT);
SELECT ds_exec('sr', 'DROP TABLE IF EXISTS txnkill');
-- A Duplicate Key table: a row loaded twice would be counted twice.
SELECT ds_exec('sr', 'CREATE TABLE txnkill (k INT NOT NULL, v STRING)
  DUPLICATE KEY (k) DISTRIBUTED BY HASH (k) BUCKETS 1 PROPERTIES ("replication_num" = "1")');
SQL

label_state() { ds_sr_label_state "$1"; }
stat() { ds_sr_stat "$1"; }
# wait_state LABEL STATE SECONDS
wait_state() {
	local i
	for i in $(seq 1 $(($3 * 10))); do
		[ "$(label_state "$1")" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}
rows() { ds_mariadb -N -e "SELECT COUNT(*) FROM $DS_SR_DATABASE.txnkill"; }

# A session that loads inside an open transaction and then waits.
# start_loader LABEL EXTRA_OPTIONS
start_loader() {
	PGAPPNAME=ds_txnkill psql -X -d "$db" >"$DS_TMP/txnkill.$1" 2>&1 <<-SQL &
		BEGIN;
		SELECT ds_stream_load_query('sr', 'txnkill',
		  'SELECT g AS k, md5(g::text) AS v FROM generate_series(1, 1000) g',
		  '{"transaction": true, "label": "$1"$2}')->>'Status';
		SELECT pg_sleep(300);
		COMMIT;
	SQL
	loader=$!
	wait_state "$1" PREPARED 30
}

# 1. pg_terminate_backend after the prepare.
rolled_back=$(stat txn_rolled_back)
start_loader txnkill-term ""
echo "before terminate: $(label_state txnkill-term), $(rows) rows visible"
psql -XAtq -d "$db" -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'ds_txnkill'" >/dev/null
wait "$loader" || true
wait_state txnkill-term ABORTED 30
echo "after terminate: $(label_state txnkill-term), $(rows) rows visible, rollbacks $rolled_back -> $(stat txn_rolled_back)"
[ "$(rows)" = 0 ]
[ "$(stat txn_rolled_back)" -gt "$rolled_back" ]

# 2. SIGKILL after the prepare, with a short prepared_timeout.
start_loader txnkill-kill ', "prepared_timeout": 8'
pid=$(psql -XAtq -d "$db" -c "SELECT pid FROM pg_stat_activity WHERE application_name = 'ds_txnkill'")
rolled_back=$(stat txn_rolled_back)
kill -KILL "$pid"
wait "$loader" || true
echo "after SIGKILL: $(label_state txnkill-kill), $(rows) rows visible"
[ "$(label_state txnkill-kill)" = PREPARED ]
wait_state txnkill-kill ABORTED 30
echo "after prepared_timeout: $(label_state txnkill-kill), $(rows) rows visible, rollbacks sent $(($(stat txn_rolled_back) - rolled_back))"
[ "$(rows)" = 0 ]
# Nothing said the rollback: the server's timeout did it.
[ "$(stat txn_rolled_back)" = "$rolled_back" ]

# The postmaster restarted every backend; once it is back, a retry with the
# same label loads everything, once.
for i in $(seq 1 300); do psql -XAtq -d "$db" -c "SELECT 1" >/dev/null 2>&1 && break; sleep 0.2; done
psql -XAtq -d "$db" -c "SELECT ds_stream_load_query('sr', 'txnkill',
  'SELECT g AS k, md5(g::text) AS v FROM generate_series(1, 1000) g',
  '{\"transaction\": true, \"label\": \"txnkill-kill\"}')->>'Status'" | grep -qx PREPARED
echo "retry: $(label_state txnkill-kill), $(rows) rows visible"
[ "$(label_state txnkill-kill)" = VISIBLE ]
[ "$(rows)" = 1000 ]
echo "reliability: faults 2 2"
echo "reliability: rows 1000 $(rows)"
psql -Xq -d postgres -c "DROP DATABASE $db"
