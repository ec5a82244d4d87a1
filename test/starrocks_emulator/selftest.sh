#!/bin/bash
# Self-test of the StarRocks emulator: starts a throwaway MariaDB (test/lib.sh)
# and the emulator on free loopback ports, drives them with curl, the mariadb
# client and pymysql, prints one line per check and "N passed, N failed";
# exits non-zero on any failure.
# Everything it starts is stopped by pid on exit.
set -u

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"
PY=/usr/bin/python3

if ! "$PY" -c 'import pymysql' 2>/dev/null; then
	if ds_is_root; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pymysql >/dev/null 2>&1 ||
			{ apt-get update -qq >/dev/null 2>&1 &&
				DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pymysql >/dev/null 2>&1; }
	fi
	"$PY" -c 'import pymysql' 2>/dev/null || { echo "python3-pymysql is missing" >&2; exit 1; }
fi

PASSED=0
FAILED=0
pass() { echo "ok   - $1"; PASSED=$((PASSED + 1)); }
fail() { echo "FAIL - $1${2:+ ($2)}"; FAILED=$((FAILED + 1)); }
# check NAME COMMAND...: passes when the command succeeds.
check() {
	local name=$1
	shift
	if "$@"; then pass "$name"; else fail "$name"; fi
}

EMU_PID=
cleanup() {
	if [ -n "$EMU_PID" ]; then
		kill "$EMU_PID" 2>/dev/null
		ds_wait_gone "$EMU_PID" 15 || kill -9 "$EMU_PID" 2>/dev/null
	fi
	ds_stop_servers
}
trap cleanup EXIT

DS_TMP=$(mktemp -d /tmp/sr-emulator-test.XXXXXX)
chmod 755 "$DS_TMP"
ds_start_mariadb >/dev/null || { echo "cannot start MariaDB" >&2; exit 1; }

FE_PORT=$(ds_free_port 18030)
BE_PORT=$(ds_free_port $((FE_PORT + 1)))
MY_PORT=$(ds_free_port $((BE_PORT + 1)))
FE=http://127.0.0.1:$FE_PORT
BE=http://127.0.0.1:$BE_PORT
U="$DS_MYSQL_USER:$DS_MYSQL_PASSWORD"
DB=$DS_MYSQL_DATABASE
W=$DS_TMP/work
mkdir -p "$W"

"$PY" "$HERE/emulator.py" --fe-port "$FE_PORT" --be-port "$BE_PORT" \
	--mysql-listen-port "$MY_PORT" --mysql-tls-cert "$DS_TMP/tls/server.pem" --mysql-tls-key "$DS_TMP/tls/server.key" \
	--mysql-host 127.0.0.1 --mysql-port "$DS_MYSQL_PORT" \
	--mysql-user "$DS_MYSQL_USER" --mysql-password "$DS_MYSQL_PASSWORD" \
	--pid-file "$DS_TMP/emulator.pid" --log-file "$DS_TMP/emulator.log" \
	>"$DS_TMP/emulator.out" 2>&1 &
EMU_PID=$!
for _ in $(seq 1 100); do
	[ -s "$DS_TMP/emulator.pid" ] && curl -sf "$FE/api/health" >/dev/null 2>&1 && break
	kill -0 "$EMU_PID" 2>/dev/null || break
	sleep 0.1
done
if ! curl -sf "$FE/api/health" >/dev/null 2>&1; then
	echo "emulator did not start" >&2
	cat "$DS_TMP/emulator.out" "$DS_TMP/emulator.log" >&2 2>/dev/null
	exit 1
fi
check "pid file holds the emulator pid" [ "$(cat "$DS_TMP/emulator.pid")" = "$EMU_PID" ]

sql() { mariadb --no-defaults -h127.0.0.1 -P"$DS_MYSQL_PORT" -u"$DS_MYSQL_USER" -p"$DS_MYSQL_PASSWORD" -N -B "$DB" -e "$1"; }
# jq-like: jget FILE KEY
jget() { "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); v=d.get(sys.argv[2]); print("" if v is None else v)' "$1" "$2"; }
# load TABLE OUTFILE curl-args...: stream load through the FE, following the
# redirect with the credentials.
load() {
	local tbl=$1 out=$2
	shift 2
	curl -s --location-trusted -u "$U" -H "Expect: 100-continue" "$@" -o "$out" \
		"$FE/api/$DB/$tbl/_stream_load"
}
cfg() { curl -s -X POST -H 'Content-Type: application/json' -d "$1" "$FE/_emulator/config" >/dev/null; }
state() { curl -s -u "$U" "$FE/api/$DB/get_load_state?label=$1" -o "$W/state.json"; jget "$W/state.json" state; }
sqlapi() { # sqlapi JSON OUTFILE -> prints http code
	curl -s -u "$U" -H 'Content-Type: application/json' -d "$1" -o "$2" -w '%{http_code}' \
		"$FE/api/v1/catalogs/default_catalog/databases/$DB/sql"
}

# check's "bash -c" snippets use these
export PY U FE BE DB W DS_MYSQL_PORT DS_MYSQL_USER DS_MYSQL_PASSWORD
export -f sql jget state

sql "CREATE TABLE t1 (id INT PRIMARY KEY, name VARCHAR(20), v INT);
     CREATE TABLE t2 (a INT, b VARCHAR(20));
     CREATE TABLE tx (a INT, b VARCHAR(20));
     CREATE TABLE sink (a INT, b VARCHAR(20));"

# --- FE redirect ---------------------------------------------------------
printf '1\ta\t10\n2\tb\t\\N\n' >"$W/d1.csv"
curl -s -i -X PUT -u "$U" -H "Expect: 100-continue" -H "label: r0" -T "$W/d1.csv" \
	"$FE/api/$DB/t1/_stream_load?foo=bar" >"$W/redir.txt"
check "FE answers 307 without 100 Continue" \
	bash -c "head -1 '$W/redir.txt' | grep -q '^HTTP/1.1 307' && ! grep -q '100 Continue' '$W/redir.txt'"
check "FE 307 Location points at the BE with the query, Connection: close" \
	bash -c "grep -qi '^Location: http://127.0.0.1:$BE_PORT/api/$DB/t1/_stream_load?foo=bar' '$W/redir.txt' && grep -qi '^Connection: close' '$W/redir.txt'"

load t1 "$W/r1.json" -H "label: l1" -T "$W/d1.csv"
check "--location-trusted load succeeds" [ "$(jget "$W/r1.json" Status)" = Success ]
check "CSV default tab separator and \\N as NULL stored" \
	[ "$(sql "SELECT CONCAT(id,':',name,':',IFNULL(v,'NULL')) FROM t1 ORDER BY id" | tr '\n' ' ')" = "1:a:10 2:b:NULL " ]
check "response has all StarRocks keys" "$PY" -c '
import json,sys
d=json.load(open(sys.argv[1]))
keys=["TxnId","Label","Status","Message","NumberTotalRows","NumberLoadedRows","NumberFilteredRows",
"NumberUnselectedRows","LoadBytes","LoadTimeMs","BeginTxnTimeMs","StreamLoadPlanTimeMs","ReadDataTimeMs",
"WriteDataTimeMs","CommitAndPublishTimeMs"]
sys.exit(0 if all(k in d for k in keys) and d["NumberLoadedRows"]==2 and d["LoadBytes"]==14 else 1)' "$W/r1.json"

code=$(curl -s --location -u "$U" -H "Expect: 100-continue" -H "label: l_notrust" -T "$W/d1.csv" \
	-o "$W/r2.json" -w '%{http_code}' "$FE/api/$DB/t1/_stream_load")
check "plain --location loses the credentials: 401 at the BE" \
	bash -c "[ '$code' = 401 ] && grep -q '\"status\": \"FAILED\"' '$W/r2.json'"

code=$(curl -s -u "$DS_MYSQL_USER:wrong" -H "Expect: 100-continue" -T "$W/d1.csv" -o "$W/r3.json" \
	-w '%{http_code}' "$FE/api/$DB/t1/_stream_load")
check "wrong password: 401 at the FE" [ "$code" = 401 ]

curl -s -u "$U" -H "Expect:" -H "label: l_noexpect" -T "$W/d1.csv" -o "$W/r4.json" "$FE/api/$DB/t1/_stream_load"
check "missing Expect: 100-continue rejected with FAILED" \
	bash -c "[ \"\$(jget '$W/r4.json' Status)\" = FAILED ] && grep -q 'no 100-continue header' '$W/r4.json'"

# --- CSV options ---------------------------------------------------------
printf '20\x01h\x01\\N\x0221\x01i\x0122\x02' >"$W/hex.csv"
load t1 "$W/r5.json" -H "label: hex1" -H 'column_separator: \x01' -H 'row_delimiter: 0x02' -T "$W/hex.csv"
check "hex separators \\x01 / 0x02 with \\N" \
	bash -c "[ \"\$(jget '$W/r5.json' NumberLoadedRows)\" = 2 ] && [ \"\$(sql 'SELECT IFNULL(v,\"NULL\") FROM t1 WHERE id=20')\" = NULL ]"

printf '30\tj\t1\n' >"$W/tab.csv"
load t1 "$W/r6.json" -H "label: tab1" -H 'column_separator: \t' -T "$W/tab.csv"
check "the two characters \\t are not a tab (row filtered, load fails)" \
	bash -c "[ \"\$(jget '$W/r6.json' Status)\" = Fail ] && [ \"\$(jget '$W/r6.json' NumberFilteredRows)\" = 1 ]"

printf '50,"x, y",5\n51,"q""uote",\\N\n52,,7\n' >"$W/enc.csv"
load t1 "$W/r7.json" -H "label: enc1" -H 'column_separator: ,' -H 'enclose: "' -T "$W/enc.csv"
check "enclose: quoted separator, doubled quote, empty string" \
	bash -c "[ \"\$(jget '$W/r7.json' NumberLoadedRows)\" = 3 ] && [ \"\$(sql 'SELECT CONCAT(name,\"|\") FROM t1 WHERE id IN (50,51,52) ORDER BY id' | tr '\n' ' ')\" = 'x, y| q\"uote| | ' ]"

printf 'id,name,v\n60,sixty,6\n' >"$W/hdr.csv"
load t1 "$W/r8.json" -H "label: hdr1" -H 'column_separator: ,' -H 'skip_header: 1' -T "$W/hdr.csv"
check "skip_header" [ "$(jget "$W/r8.json" NumberLoadedRows)" = 1 ]

printf '7,seven,70\n' >"$W/cols.csv"
load t1 "$W/r9.json" -H "label: cols1" -H 'column_separator: ,' -H 'columns: v,name,id' -T "$W/cols.csv"
check "columns header maps data columns" [ "$(sql 'SELECT v FROM t1 WHERE id=70')" = 7 ]
load t1 "$W/r10.json" -H "label: cols2" -H 'column_separator: ,' -H 'columns: id,name,v=v+1' -T "$W/cols.csv"
check "columns expressions rejected with Fail" [ "$(jget "$W/r10.json" Status)" = Fail ]

printf '70,1\n' >"$W/del.csv"
load t1 "$W/r11.json" -H "label: del1" -H 'column_separator: ,' -H 'columns: id,__op' -T "$W/del.csv"
check "__op=1 deletes by primary key" [ "$(sql 'SELECT COUNT(*) FROM t1 WHERE id=70')" = 0 ]

# --- JSON ----------------------------------------------------------------
echo '[{"id":40,"name":"js","v":4},{"id":41,"name":null}]' >"$W/arr.json"
load t1 "$W/r12.json" -H "label: json1" -H 'format: json' -H 'strip_outer_array: true' -T "$W/arr.json"
check "JSON array with strip_outer_array" \
	bash -c "[ \"\$(jget '$W/r12.json' NumberLoadedRows)\" = 2 ] && [ \"\$(sql 'SELECT COUNT(*) FROM t1 WHERE id IN (40,41) AND (id=40 OR name IS NULL)')\" = 2 ]"
load t1 "$W/r13.json" -H "label: json2" -H 'format: json' -T "$W/arr.json"
check "JSON array without strip_outer_array fails" [ "$(jget "$W/r13.json" Status)" = Fail ]
echo '{"id":42,"name":"one","v":1}' >"$W/obj.json"
load t1 "$W/r14.json" -H "label: json3" -H 'format: json' -T "$W/obj.json"
check "JSON single object" [ "$(jget "$W/r14.json" NumberLoadedRows)" = 1 ]

# --- filtered rows -------------------------------------------------------
printf '80,a,1\n81,b\n82,c,notanumber\n' >"$W/bad.csv"
load t1 "$W/r15.json" -H "label: bad1" -H 'column_separator: ,' -T "$W/bad.csv"
check "filtered rows with max_filter_ratio 0: Fail, nothing loaded" \
	bash -c "[ \"\$(jget '$W/r15.json' Status)\" = Fail ] && [ \"\$(jget '$W/r15.json' NumberFilteredRows)\" = 2 ] && [ \"\$(sql 'SELECT COUNT(*) FROM t1 WHERE id=80')\" = 0 ]"
url=$(jget "$W/r15.json" ErrorURL)
curl -s "$url" -o "$W/errlog.txt"
check "ErrorURL on the BE serves the error lines" \
	bash -c "[[ '$url' == http://127.0.0.1:$BE_PORT/api/_load_error_log?file=* ]] && grep -q 'Error: Value count does not match column count. Expect 3, but got 2. Row: 81,b' '$W/errlog.txt' && grep -q 'notanumber' '$W/errlog.txt'"
check "get_load_state ABORTED for a failed load" [ "$(state bad1)" = ABORTED ]
load t1 "$W/r16.json" -H "label: bad1" -H 'column_separator: ,' -H 'max_filter_ratio: 0.7' -T "$W/bad.csv"
check "failed label reused; max_filter_ratio 0.7 loads the good row" \
	bash -c "[ \"\$(jget '$W/r16.json' Status)\" = Success ] && [ \"\$(jget '$W/r16.json' NumberLoadedRows)\" = 1 ] && [ -n \"\$(jget '$W/r16.json' ErrorURL)\" ] && [ \"\$(sql 'SELECT COUNT(*) FROM t1 WHERE id=80')\" = 1 ]"

# --- labels --------------------------------------------------------------
load t1 "$W/r17.json" -H "label: l1" -T "$W/d1.csv"
check "duplicate label: Label Already Exists / FINISHED" \
	bash -c "[ \"\$(jget '$W/r17.json' Status)\" = 'Label Already Exists' ] && [ \"\$(jget '$W/r17.json' ExistingJobStatus)\" = FINISHED ]"
check "get_load_state VISIBLE" [ "$(state l1)" = VISIBLE ]
check "get_load_state UNKNOWN" [ "$(state never-used)" = UNKNOWN ]
check "get_load_state shape" bash -c "[ \"\$(jget '$W/state.json' status)\" = OK ] && [ \"\$(jget '$W/state.json' msg)\" = Success ]"
load nosuch "$W/r18.json" -H "label: nt1" -T "$W/d1.csv"
check "unknown table: Fail before the body" bash -c "[ \"\$(jget '$W/r18.json' Status)\" = Fail ] && grep -q 'unknown table' '$W/r18.json'"

# --- chunked upload ------------------------------------------------------
printf '90\tc\t9\n91\td\t9\n' | curl -s --location-trusted -u "$U" -H "Expect: 100-continue" \
	-H "label: chunk1" -T - -o "$W/r19.json" -v "$FE/api/$DB/t1/_stream_load" 2>"$W/chunk.trace"
check "chunked upload (curl -T -)" \
	bash -c "grep -qi 'Transfer-Encoding: chunked' '$W/chunk.trace' && [ \"\$(jget '$W/r19.json' NumberLoadedRows)\" = 2 ]"

# --- SQL API -------------------------------------------------------------
code=$(sqlapi '{"query":"select id, name, v from t1 where id in (1,2) order by id;"}' "$W/s1.txt")
check "SQL API SELECT: NDJSON lines" "$PY" -c '
import json,sys
lines=[json.loads(l) for l in open(sys.argv[1]) if l.strip()]
ok = (sys.argv[2]=="200" and len(lines)==5 and isinstance(lines[0].get("connectionId"),int)
  and lines[1]["meta"][0]=={"name":"id","type":"int(11)"}
  and lines[2]=={"data":[1,"a",10]} and lines[3]=={"data":[2,"b",None]}
  and lines[4]=={"statistics":{"scanRows":0,"scanBytes":0,"returnRows":2}})
sys.exit(0 if ok else 1)' "$W/s1.txt" "$code"
code=$(sqlapi '{"query":"show tables"}' "$W/s2.txt")
check "SQL API SHOW: one object with meta/data/statistics" "$PY" -c '
import json,sys
txt=open(sys.argv[1]).read().strip().splitlines()
d=json.loads(txt[0])
ok = (sys.argv[2]=="200" and len(txt)==1 and set(d)=={"meta","data","statistics"}
  and {"Tables_in_'"$DB"'":"t1"} in d["data"])
sys.exit(0 if ok else 1)' "$W/s2.txt" "$code"
code=$(sqlapi '{"query":"delete from t1"}' "$W/s3.txt")
check "SQL API rejects DML with 400 FAILED" \
	bash -c "[ '$code' = 400 ] && [ \"\$(jget '$W/s3.txt' status)\" = FAILED ] && [ \"\$(jget '$W/s3.txt' code)\" = 1 ]"
code=$(sqlapi '{"query":"select * from no_such_table"}' "$W/s4.txt")
check "SQL API error: 500 FAILED with msg" \
	bash -c "[ '$code' = 500 ] && [ \"\$(jget '$W/s4.txt' status)\" = FAILED ] && grep -q no_such_table '$W/s4.txt'"
code=$(sqlapi '{"query":"select 1; select 2"}' "$W/s5.txt")
check "SQL API rejects several statements" [ "$code" = 400 ]
code=$(sqlapi '{"query":"select @@max_statement_time","sessionVariables":{"query_timeout":17,"pipeline_dop":2}}' "$W/s6.txt")
check "SQL API sessionVariables: query_timeout -> max_statement_time" \
	bash -c "[ '$code' = 200 ] && grep -q '\"data\":\\[17' '$W/s6.txt'"
cfg '{"break_after_rows":2,"break_scope":"sql"}'
curl -s -u "$U" -H 'Content-Type: application/json' -d '{"query":"select id from t1 order by id"}' \
	-o "$W/s7.txt" "$FE/api/v1/catalogs/default_catalog/databases/$DB/sql"
rc=$?
cfg '{"break_after_rows":null,"break_scope":"all"}'
check "break_after_rows truncates the SQL stream (no statistics, curl error)" \
	bash -c "[ $rc -ne 0 ] && [ \$(grep -c '\"data\"' '$W/s7.txt') = 2 ] && ! grep -q statistics '$W/s7.txt'"

# --- fault injection -----------------------------------------------------
seq 1000 1999 | awk '{print $1"\tbrk\t1"}' >"$W/brk.csv"
cfg '{"break_after_rows":5,"break_scope":"load","break_count":1}'
load t1 "$W/r20.json" -H "label: brk1" -T "$W/brk.csv"
rc=$?
check "break_after_rows closes the BE connection, nothing loaded" \
	bash -c "[ $rc -ne 0 ] && [ \"\$(sql 'SELECT COUNT(*) FROM t1 WHERE id>=1000')\" = 0 ] && [ \"\$(state brk1)\" = ABORTED ]"
load t1 "$W/r21.json" -H "label: brk1" -T "$W/brk.csv"
check "break_count 1 disarms after one break" [ "$(jget "$W/r21.json" NumberLoadedRows)" = 1000 ]

cfg '{"stall_seconds":2,"stall_count":1}'
load t1 "$W/r22.json" -H "label: stall1" --max-time 1 -T "$W/d1.csv"
rc=$?
sleep 2
check "stall_seconds: client gives up, load aborted" bash -c "[ $rc = 28 ] && [ \"\$(state stall1)\" = ABORTED ]"

cfg '{"fe_failed_mode":"failed","fe_failed_count":1}'
load t1 "$W/r23.json" -H "label: fe1" -T "$W/d1.csv"
check "fe_failed_mode failed: FE says FAILED" [ "$(jget "$W/r23.json" Status)" = FAILED ]
cfg '{"fe_failed_mode":"500"}'
code=$(curl -s --location-trusted -u "$U" -H "Expect: 100-continue" -H "label: fe1" -T "$W/d1.csv" \
	-o /dev/null -w '%{http_code}' "$FE/api/$DB/t2/_stream_load")
cfg '{"fe_failed_mode":null}'
check "fe_failed_mode 500: HTTP 500" [ "$code" = 500 ]

cfg '{"publish_timeout":true,"publish_visible_delay":1}'
printf '3\tc\t30\n' >"$W/pt.csv"
load t1 "$W/r24.json" -H "label: pt1" -T "$W/pt.csv"
s1=$(state pt1)
sleep 1.2
s2=$(state pt1)
cfg '{"publish_timeout":false}'
check "publish_timeout: Publish Timeout, data loaded, COMMITTED then VISIBLE" \
	bash -c "[ \"\$(jget '$W/r24.json' Status)\" = 'Publish Timeout' ] && [ '$s1' = COMMITTED ] && [ '$s2' = VISIBLE ] && [ \"\$(sql 'SELECT COUNT(*) FROM t1 WHERE id=3')\" = 1 ]"

"$PY" -c '
import sys
with open(sys.argv[1], "w") as f:
    for i in range(200000): f.write("%d\tname-%d\n" % (i, i))' "$W/sink.csv"
cfg '{"sink":true}'
load sink "$W/r25.json" -H "label: sink1" -T "$W/sink.csv"
printf '{"a":1}' >"$W/sink.json"
load sink "$W/r26.json" -H "label: sink2" -H 'format: json' -T "$W/sink.json"
cfg '{"sink":false}'
check "sink mode counts rows and bytes, stores nothing" \
	bash -c "[ \"\$(jget '$W/r25.json' NumberLoadedRows)\" = 200000 ] && [ \"\$(jget '$W/r25.json' LoadBytes)\" = $(stat -c %s "$W/sink.csv") ] && [ \"\$(jget '$W/r26.json' NumberLoadedRows)\" = 1 ] && [ \"\$(sql 'SELECT COUNT(*) FROM sink')\" = 0 ]"

# --- transaction stream load --------------------------------------------
txn() { # txn OP LABEL OUTFILE [curl args]
	local op=$1 label=$2 out=$3
	shift 3
	curl -s --location-trusted -u "$U" -H "label: $label" -H "db: $DB" -H "table: tx" "$@" -o "$out" \
		"$FE/api/transaction/$op"
}
printf '1,a\n2,b\n' >"$W/tx1.csv"
printf '3,c\n' >"$W/tx2.csv"
txn begin txa "$W/t1.json" -X POST
check "txn begin OK" [ "$(jget "$W/t1.json" Status)" = OK ]
txn load txa "$W/t2.json" -X PUT -H "Expect: 100-continue" -H "column_separator: ," -T "$W/tx1.csv"
txn load txa "$W/t3.json" -X PUT -H "Expect: 100-continue" -H "column_separator: ," -T "$W/tx2.csv"
check "txn load OK twice, data invisible before commit" \
	bash -c "[ \"\$(jget '$W/t2.json' Status)\" = OK ] && [ \"\$(jget '$W/t3.json' Status)\" = OK ] && [ \"\$(sql 'SELECT COUNT(*) FROM tx')\" = 0 ]"
txn commit txa "$W/t4.json" -X POST
check "txn commit applies all rows" \
	bash -c "[ \"\$(jget '$W/t4.json' Status)\" = OK ] && [ \"\$(jget '$W/t4.json' NumberLoadedRows)\" = 3 ] && [ \"\$(sql 'SELECT COUNT(*) FROM tx')\" = 3 ] && [ \"\$(state txa)\" = VISIBLE ]"
txn begin txa "$W/t5.json" -X POST
check "txn begin on a used label: LABEL_ALREADY_EXISTS" [ "$(jget "$W/t5.json" Status)" = LABEL_ALREADY_EXISTS ]
txn begin txb "$W/t6.json" -X POST
txn load txb "$W/t7.json" -X PUT -H "Expect: 100-continue" -H "column_separator: ," -T "$W/tx1.csv"
txn rollback txb "$W/t8.json" -X POST
txn commit txb "$W/t9.json" -X POST
check "txn rollback discards; commit afterwards TXN_NOT_EXISTS" \
	bash -c "[ \"\$(jget '$W/t8.json' Status)\" = OK ] && [ \"\$(jget '$W/t9.json' Status)\" = TXN_NOT_EXISTS ] && [ \"\$(sql 'SELECT COUNT(*) FROM tx')\" = 3 ] && [ \"\$(state txb)\" = ABORTED ]"
txn begin txc "$W/t10.json" -X POST
txn load txc "$W/t11.json" -X PUT -H "Expect: 100-continue" -H "column_separator: ," -T "$W/tx2.csv"
txn prepare txc "$W/t12.json" -X POST
s1=$(state txc)
n1=$(sql 'SELECT COUNT(*) FROM tx')
txn commit txc "$W/t13.json" -X POST
check "txn prepare then commit" \
	bash -c "[ \"\$(jget '$W/t12.json' Status)\" = OK ] && [ '$s1' = PREPARED ] && [ '$n1' = 3 ] && [ \"\$(jget '$W/t13.json' Status)\" = OK ] && [ \"\$(sql 'SELECT COUNT(*) FROM tx')\" = 4 ]"
# Every /load of a transaction sends the request of its first one
# (TransactionStreamLoadAction::_exec_plan_fragment): other columns fail it.
txn begin txf "$W/t20.json" -X POST
txn load txf "$W/t21.json" -X PUT -H "Expect: 100-continue" -H "column_separator: ," -T "$W/tx1.csv"
txn load txf "$W/t22.json" -X PUT -H "Expect: 100-continue" -H "column_separator: ," -H "columns: a" -T "$W/tx2.csv"
check "txn load with another request than the first: INTERNAL_ERROR, transaction aborted" \
	bash -c "[ \"\$(jget '$W/t22.json' Status)\" = INTERNAL_ERROR ] && grep -q 'load request not equal last' '$W/t22.json' && [ \"\$(state txf)\" = ABORTED ] && [ \"\$(sql 'SELECT COUNT(*) FROM tx')\" = 4 ]"
# A client that goes away leaves the server's timeouts to clean up: timeout
# for a begun transaction, prepared_timeout for a prepared one.
txn begin txd "$W/t14.json" -X POST -H "timeout: 1"
txn load txd "$W/t15.json" -X PUT -H "Expect: 100-continue" -H "column_separator: ," -T "$W/tx1.csv"
txn begin txe "$W/t16.json" -X POST -H "prepared_timeout: 1"
txn load txe "$W/t17.json" -X PUT -H "Expect: 100-continue" -H "column_separator: ," -T "$W/tx1.csv"
txn prepare txe "$W/t18.json" -X POST
s2=$(state txe)
for i in $(seq 1 100); do
	[ "$(state txd)" = ABORTED ] && [ "$(state txe)" = ABORTED ] && break
	sleep 0.1
done
txn commit txe "$W/t19.json" -X POST
check "txn timeout and prepared_timeout abort abandoned transactions" \
	bash -c "[ '$s2' = PREPARED ] && [ \"\$(state txd)\" = ABORTED ] && [ \"\$(state txe)\" = ABORTED ] && [ \"\$(jget '$W/t19.json' Status)\" = TXN_NOT_EXISTS ] && [ \"\$(sql 'SELECT COUNT(*) FROM tx')\" = 4 ]"

# --- control endpoints ---------------------------------------------------
curl -s "$FE/_emulator/stats" -o "$W/stats.json"
check "stats report loads and per-label results" "$PY" -c '
import json,sys
d=json.load(open(sys.argv[1]))
ok = d["loads"]>0 and d["rows_loaded"]>0 and d["labels"]["'"$DB"'/l1"]["Status"]=="Success" and d["txn_committed"]==2
sys.exit(0 if ok else 1)' "$W/stats.json"
curl -s "$FE/_emulator/config" -o "$W/config.json"
check "config endpoint shows defaults back" bash -c "[ \"\$(jget '$W/config.json' sink)\" = False ] && [ -z \"\$(jget '$W/config.json' break_after_rows)\" ]"

# --- MySQL front ---------------------------------------------------------
# fq SQL: statements through the emulator's MySQL front (mariadb client);
# prints the rows, or the client's "ERROR N (STATE) at line 1: message".
fq() { mariadb --no-defaults -h127.0.0.1 -P"$MY_PORT" -u"$DS_MYSQL_USER" -p"$DS_MYSQL_PASSWORD" -N -B "$DB" -e "$1" 2>&1; }
# fqp SQL...: statements through the front with pymysql, one connection;
# prints "affected|info" per statement, or "ERROR errno message".
fqp() {
	"$PY" - "$MY_PORT" "$DS_MYSQL_USER" "$DS_MYSQL_PASSWORD" "$DB" "$@" <<'PYEOF'
import sys, pymysql
c = pymysql.connect(host="127.0.0.1", port=int(sys.argv[1]), user=sys.argv[2], password=sys.argv[3], database=sys.argv[4])
cur = c.cursor()
for sql in sys.argv[5:]:
    try:
        n = cur.execute(sql)
        m = c._result.message or b""
        print("%d|%s" % (n, m[1:1 + m[0]].decode() if m else ""))   # a length-encoded info string
    except pymysql.MySQLError as e:
        print("ERROR %d %s" % (e.args[0], e.args[1]))
PYEOF
}
# has TEXT NEEDLE...: TEXT contains every NEEDLE.
has() {
	local text=$1 n
	shift
	for n in "$@"; do [[ "$text" == *"$n"* ]] || { echo "    missing: $n" >&2; echo "    in: $text" >&2; return 1; }; done
}
rows() { fq "$1" | tr '\t\n' ', '; }

"$PY" - "$MY_PORT" >"$W/greet.txt" <<'PYEOF'
import socket, struct, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
d = s.recv(4096)[4:]
ver = d[1:d.index(b"\0", 1)]
pos = d.index(b"\0", 1) + 1 + 4 + 9
lo = struct.unpack_from("<H", d, pos)[0]
hi = struct.unpack_from("<H", d, pos + 5)[0]
print(ver.decode(), d[pos + 2], lo | hi << 16)
PYEOF
read -r g_ver g_cs g_caps <"$W/greet.txt"
check "MySQL front greeting: version 5.1.0, charset 33, CLIENT_SSL (certificate given), no multi-statements / LOCAL INFILE / DEPRECATE_EOF" \
	[ "$g_ver $g_cs $(( g_caps & 2048 )) $(( g_caps & (65536 | 128 | 16777216) ))" = "5.1.0 33 2048 0" ]
check "SELECT current_version() / version() / @@version_comment" \
	has "$(fq 'SELECT current_version(), version(), @@version_comment')" $'3.3.0-emulator\t5.1.0\tStarRocks version 3.3.0-emulator'
"$PY" - "$MY_PORT" "$DS_MYSQL_USER" "$DS_MYSQL_PASSWORD" >"$W/kill.txt" 2>&1 <<'PYEOF'
import sys, pymysql
kw = dict(host="127.0.0.1", port=int(sys.argv[1]), user=sys.argv[2], password=sys.argv[3])
a, b = pymysql.connect(**kw), pymysql.connect(**kw)
ca = a.cursor()
ca.execute("SELECT CONNECTION_ID()")
cid = ca.fetchone()[0]
print(cid == a.thread_id())
b.cursor().execute("KILL %d" % cid)
try:
    ca.execute("SELECT 1")
    print("alive")
except pymysql.MySQLError as e:
    print("gone", e.args[0])
PYEOF
check "the connection id is MariaDB's thread id, so KILL works through the front" \
	[ "$(tr '\n' ' ' <"$W/kill.txt")" = "True gone 2013 " ]

check "MySQL DDL refused: inline PRIMARY KEY is a syntax error (1064 HY000, StarRocks' message)" \
	has "$(fq 'CREATE TABLE my1 (id INT PRIMARY KEY, v INT)')" \
	"ERROR 1064 (HY000) at line 1: Getting syntax error at line 1, column 25. Detail message: Unexpected input 'PRIMARY', the most similar input is {"
check "MySQL DDL refused: ENGINE=InnoDB" has "$(fq 'CREATE TABLE my2 (id INT, v INT) ENGINE=InnoDB')" \
	"Getting analyzing error. Detail message: Unknown engine name: InnoDB."
check "MySQL DDL refused: MEDIUMINT, ENUM, TIMESTAMP ... ON UPDATE, DATETIME(6)" \
	has "$(fq 'CREATE TABLE my3 (id INT, v MEDIUMINT)'; fq "CREATE TABLE my3 (id INT, e ENUM('a'))"
		fq 'CREATE TABLE my3 (id INT, t TIMESTAMP DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP)'
		fq 'CREATE TABLE my3 (id INT, t DATETIME(6))')" \
	"Unexpected input 'MEDIUMINT'" "Unexpected input 'ENUM'" "Unexpected input 'TIMESTAMP'" "column 36. Detail message: Unexpected input '('"
check "MySQL DDL refused: AUTO_INCREMENT on INT, UNIQUE KEY clause, CHARSET utf8mb4, table option AUTO_INCREMENT=" \
	has "$(fq 'CREATE TABLE my4 (id INT NOT NULL AUTO_INCREMENT, v INT) PRIMARY KEY (id) DISTRIBUTED BY HASH (id)'
		fq 'CREATE TABLE my4 (id INT, v INT, UNIQUE KEY u (v))'; fq 'CREATE TABLE my4 (id INT) DEFAULT CHARSET=utf8mb4'
		fq 'CREATE TABLE my4 (id INT) AUTO_INCREMENT=5')" \
	"The AUTO_INCREMENT column must be BIGINT" "Unexpected input 'UNIQUE'" "Unknown charset name: utf8mb4" \
	"Unexpected input 'AUTO_INCREMENT', the most similar input is {<EOF>, ';'}"
check "StarRocks DDL rules: keys first, PK not nullable, PK needs HASH, Aggregate needs agg types, __op reserved" \
	has "$(fq 'CREATE TABLE my5 (v INT, k INT) DUPLICATE KEY (k)'
		fq 'CREATE TABLE my5 (k INT NULL, v INT) PRIMARY KEY (k) DISTRIBUTED BY HASH (k)'
		fq 'CREATE TABLE my5 (k INT, v INT) PRIMARY KEY (k)'
		fq 'CREATE TABLE my5 (k INT, v INT) PRIMARY KEY (k) DISTRIBUTED BY RANDOM'
		fq 'CREATE TABLE my5 (k INT, v INT) AGGREGATE KEY (k) DISTRIBUTED BY HASH (k)'
		fq 'CREATE TABLE my5 (k INT, __op INT)')" \
	"Key columns should be a ordered prefix of the schema" "primary key column[k] cannot be nullable" \
	"Currently only support default distribution in DUP_KEYS" "PRIMARY KEY must use hash distribution" \
	"AGG_KEYS table should specify aggregate type for non-key column[v]" "Incorrect column name '__op'"

out=$(fq 'CREATE TABLE IF NOT EXISTS pk1 (
    id BIGINT NOT NULL COMMENT "the id",
    name VARCHAR(20) DEFAULT "nobody",
    score INT NOT NULL,
    amount DECIMAL(10, 2),
    tags ARRAY<VARCHAR(10)>,
    attrs MAP<VARCHAR(10), INT>,
    st STRUCT<a INT, b STRING>,
    j JSON,
    big LARGEINT,
    flag BOOLEAN,
    ts DATETIME,
    s STRING
) ENGINE = OLAP PRIMARY KEY (id) COMMENT "scores"
PARTITION BY RANGE (id) (PARTITION p1 VALUES LESS THAN ("1000"), PARTITION p2 VALUES LESS THAN (MAXVALUE))
DISTRIBUTED BY HASH (id) BUCKETS 4 ORDER BY (id) PROPERTIES ("replication_num" = "1")')
check "StarRocks CREATE TABLE accepted: PRIMARY KEY, COMMENT, PARTITION BY, DISTRIBUTED BY HASH ... BUCKETS, ORDER BY, PROPERTIES, complex types" \
	[ -z "$out" ]
check "CREATE TABLE IF NOT EXISTS on an existing table is OK; without it 1050" \
	has "<$(fq 'CREATE TABLE IF NOT EXISTS pk1 (id BIGINT) PRIMARY KEY (id) DISTRIBUTED BY HASH (id)')>
		$(fq 'CREATE TABLE pk1 (id BIGINT) PRIMARY KEY (id) DISTRIBUTED BY HASH (id)')" "<>" \
	"ERROR 1050 (42S01) at line 1: Getting analyzing error. Detail message: Table 'pk1' already exists."
mariadb --no-defaults -h127.0.0.1 -P"$MY_PORT" -u"$DS_MYSQL_USER" -p"$DS_MYSQL_PASSWORD" "$DB" -e 'SHOW CREATE TABLE pk1\G' \
	>"$W/showcreate.txt" 2>&1
check "SHOW CREATE TABLE in StarRocks form" has "$(cat "$W/showcreate.txt")" 'CREATE TABLE `pk1` (' \
	'  `id` bigint(20) NOT NULL COMMENT "the id",' '  `amount` decimal64(10, 2) NULL COMMENT "",' \
	'  `tags` array<varchar(10)> NULL' ') ENGINE=OLAP' 'PRIMARY KEY(`id`)' 'COMMENT "scores"' \
	'PARTITION BY RANGE (id)' 'DISTRIBUTED BY HASH(`id`) BUCKETS 4' 'ORDER BY(`id`)' 'PROPERTIES (' '"replication_num" = "1"'
check "DESC in StarRocks form (Field Type Null Key Default Extra)" \
	[ "$(fq 'DESC pk1' | head -2 | tr '\t\n' '| ')" = "id|BIGINT|NO|true|NULL| name|VARCHAR(20)|YES|false|nobody| " ]
check "information_schema.COLUMNS gives StarRocks' DATA_TYPE / COLUMN_TYPE / COLUMN_KEY" \
	[ "$(rows "SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, COLUMN_KEY FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'pk1' AND COLUMN_NAME IN ('id', 'big', 's') ORDER BY ORDINAL_POSITION")" \
		= "id,bigint,bigint(20),PRI big,bigint unsigned,bigint(20) unsigned, s,varchar,varchar(65533), " ]
code=$(sqlapi '{"query":"show create table pk1"}' "$W/s8.txt")
check "SQL API SHOW CREATE TABLE in StarRocks form too" has "$code $(cat "$W/s8.txt")" "200 " "DISTRIBUTED BY HASH"
check "SHOW DATABASES does not list the emulator's own database" bash -c "! grep -q _sr_emulator <<<'$(fq 'SHOW DATABASES')'"

out=$(fq 'CREATE TABLE agg1 (k INT, s BIGINT SUM, mx INT MAX, mn INT MIN, r VARCHAR(10) REPLACE, rn INT REPLACE_IF_NOT_NULL)
    AGGREGATE KEY (k) DISTRIBUTED BY HASH (k) BUCKETS 1'
	fq 'CREATE TABLE uq1 (k INT, v VARCHAR(10)) UNIQUE KEY (k) DISTRIBUTED BY HASH (k)'
	fq 'CREATE TABLE dup1 (k INT, v VARCHAR(10)) DUPLICATE KEY (k) DISTRIBUTED BY RANDOM'
	fq 'CREATE TABLE pk2 (id INT NOT NULL, name VARCHAR(10), score INT NOT NULL, note VARCHAR(5) DEFAULT "n")
	    PRIMARY KEY (id) DISTRIBUTED BY HASH (id)')
check "Aggregate, Unique, Duplicate and Primary Key tables created" [ -z "$out" ]

out=$(fqp "INSERT INTO pk2 VALUES (1, 'a', 10, 'x'), (2, 'b', 20, 'y'), (1, 'c', 30, 'z')")
check "INSERT into a Primary Key table upserts, the last row of a key wins; affected = rows sent; StarRocks' label info" \
	has "$out $(rows 'SELECT id, name, score FROM pk2 ORDER BY id')" "3|{'label':'insert_" "'status':'VISIBLE', 'txnId':'" \
	" 1,c,30 2,b,20 "
fq "INSERT INTO pk2 (id, score) VALUES (2, 21)" >/dev/null
check "INSERT with a column list replaces the whole row (the others get their defaults)" \
	[ "$(fq 'SELECT CONCAT_WS(",", id, IFNULL(name, "NULL"), score, note) FROM pk2 WHERE id = 2')" = "2,NULL,21,n" ]
fq "INSERT INTO agg1 VALUES (1, 5, 5, 5, 'a', 1), (1, 2, 9, 1, 'b', NULL), (2, NULL, NULL, NULL, NULL, NULL)" >/dev/null
fq "INSERT INTO agg1 VALUES (1, NULL, 3, 0, 'c', 7), (2, 4, 4, 4, 'x', 4)" >/dev/null
check "INSERT into an Aggregate table: SUM, MAX, MIN, REPLACE, REPLACE_IF_NOT_NULL (NULLs skipped)" \
	[ "$(rows 'SELECT k, s, mx, mn, r, rn FROM agg1 ORDER BY k')" = "1,7,9,0,c,7 2,4,4,4,x,4 " ]
fq "INSERT INTO uq1 VALUES (1, 'a'), (1, 'b'), (2, 'c')" >/dev/null
fq "INSERT INTO dup1 VALUES (1, 'a'), (1, 'a'), (2, 'c')" >/dev/null
check "INSERT: a Unique Key table replaces, a Duplicate Key table appends" \
	[ "$(rows 'SELECT k, v FROM uq1 ORDER BY k') $(fq 'SELECT COUNT(*) FROM dup1')" = "1,b 2,c  3" ]
check "MySQL-only DML refused: REPLACE INTO, INSERT IGNORE, ON DUPLICATE KEY UPDATE, INSERT ... SET, TRUNCATE without TABLE" \
	has "$(fq 'REPLACE INTO pk2 VALUES (1, 1, 1, 1)'; fq 'INSERT IGNORE INTO pk2 VALUES (1, 1, 1, 1)'
		fq 'INSERT INTO pk2 VALUES (1, 1, 1, 1) ON DUPLICATE KEY UPDATE score = 2'; fq 'INSERT INTO pk2 SET id = 1'
		fq 'TRUNCATE pk2')" \
	"No viable statement for input 'REPLACE'" "Unexpected input 'IGNORE'" "Unexpected input 'ON'" "Unexpected input 'SET'" \
	"Unexpected input 'pk2', the most similar input is {'TABLE'}"
out=$(fqp "DELETE FROM pk2 WHERE score > 25 OR name = 'zz'" "DELETE FROM uq1 WHERE v = 'b'" "DELETE FROM uq1 WHERE k IN (1)" \
	"DELETE FROM dup1 WHERE v = 'a'" "DELETE FROM pk2")
check "DELETE: any WHERE on a Primary Key table; key columns only on Unique / Aggregate; any column on Duplicate; WHERE required" \
	has "$out $(fq 'SELECT COUNT(*) FROM pk2') $(fq 'SELECT COUNT(*) FROM uq1') $(fq 'SELECT COUNT(*) FROM dup1')" \
	"1|{'label':'delete_" "ERROR 1064 Getting analyzing error. Detail message: Column[v] is not key column or storage model is not duplicate" \
	$'\n0|{\'label\':\'delete_' "Delete must specify where clause to prevent full table delete" " 1 1 1"
check "BEGIN / ROLLBACK answer OK and do nothing (unsupportedStatement); one statement per COM_QUERY" \
	has "$(fqp "BEGIN" "INSERT INTO dup1 VALUES (9, 'tx')" "ROLLBACK" "SELECT 1; SELECT 2") $(fq 'SELECT COUNT(*) FROM dup1 WHERE k = 9')" \
	$'0|\n1|{\'label\'' $'\n0|\nERROR 1064 emulator: one statement per query' " 1"
fq "DELETE FROM dup1 WHERE k = 9" >/dev/null
check "UPDATE only on Primary Key tables" \
	has "$(fq "UPDATE uq1 SET v = 'z' WHERE k = 2"; fq 'UPDATE pk2 SET score = 99 WHERE id = 2'; fq 'SELECT score FROM pk2 WHERE id = 2')" \
	"only primary key table supports update" $'\n99'
check "SET of StarRocks session variables: query_timeout, pipeline_dop with sql_select_limit, SET GLOBAL" \
	[ "$(fq 'SET query_timeout = 7; SET pipeline_dop = 2, sql_select_limit = 5; SET GLOBAL enable_profile = true; SELECT @@query_timeout, @@pipeline_dop, @@sql_select_limit')" \
		= "$(printf '7\t2\t5')" ]
check "query_timeout is enforced, with StarRocks' timeout error (5024)" \
	has "$(fqp "SET query_timeout = 1" "SELECT SLEEP(3)")" "ERROR 5024 Query reached its timeout of 1 seconds, please increase the 'query_timeout' session variable and retry"
check "SET / SELECT of a variable StarRocks does not know: 1193 with the nearest names" \
	has "$(fq 'SET max_statement_time = 3'; fq 'SELECT @@innodb_lock_wait_timeout')" \
	"ERROR 1193 (HY000) at line 1: Unknown system variable 'max_statement_time', the most similar variables are {'" \
	"ERROR 1193 (HY000) at line 1: Unknown system variable 'innodb_lock_wait_timeout'"
"$PY" - "$MY_PORT" "$DS_MYSQL_USER" "$DS_MYSQL_PASSWORD" "$DB" >"$W/prep.txt" 2>&1 <<'PYEOF'
import struct, sys, pymysql
from pymysql.constants import COMMAND
c = pymysql.connect(host="127.0.0.1", port=int(sys.argv[1]), user=sys.argv[2], password=sys.argv[3], database=sys.argv[4])
def prepare(sql):
    c._execute_command(COMMAND.COM_STMT_PREPARE, sql)
    try:
        p = c._read_packet()
    except pymysql.MySQLError as e:
        return "ERR %d %s" % e.args
    ncols, nparams = struct.unpack_from("<HH", p.get_all_data(), 5)
    for n in (nparams, ncols):
        for _ in range(n + 1 if n else 0):
            c._read_packet()
    return "OK %d %d" % (ncols, nparams)
print(prepare("SELECT id, name FROM pk2 WHERE id = ?"))
print(prepare("INSERT INTO pk2 VALUES (?, ?, ?, ?)"))
PYEOF
check "prepared statements: SELECT yes, INSERT 1295 (StarRocks prepares SELECT only)" \
	has "$(cat "$W/prep.txt")" $'OK 2 1\nERR 1295 This command is not supported in the prepared statement protocol yet'
check "TLS through the front: verify-full with the test CA; MariaDB's REQUIRE SSL user gets in" \
	has "$(mariadb --no-defaults -h127.0.0.1 -P"$MY_PORT" -uds_tls -p"$DS_MYSQL_PASSWORD" --ssl --ssl-ca="$DS_TMP/tls/ca.pem" \
		--ssl-verify-server-cert -N -B -e "SHOW SESSION STATUS LIKE 'Ssl_cipher'" 2>&1)" $'Ssl_cipher\tTLS'

# loads follow the table model
printf '1,a,10\n3,b,20\n3,c,30\n' >"$W/m1.csv"
load pk2 "$W/m1.json" -H "label: m1" -H 'column_separator: ,' -H 'columns: id,name,score' -T "$W/m1.csv"
check "stream load into a Primary Key table upserts, the last row of a key wins" \
	[ "$(jget "$W/m1.json" Status) $(rows 'SELECT id, IFNULL(name, "-"), score FROM pk2 ORDER BY id')" = "Success 1,a,10 2,-,99 3,c,30 " ]
printf '1\n3\n' >"$W/m2.csv"
# A load that lacks a NOT NULL column without a default (score) is refused
# by the planner (Load.initColumns), a key-only delete too, unless it is a
# partial update ("partial update do not check default value").
load pk2 "$W/m2a.json" -H "label: m2a" -H "columns: id, __op='delete'" -T "$W/m2.csv"
check "a load lacking a NOT NULL column without a default: Fail, nothing deleted" \
	[ "$(jget "$W/m2a.json" Status) $(jget "$W/m2a.json" Message) $(fq 'SELECT COUNT(*) FROM pk2')" = "Fail Column has no default value. column: score 3" ]
load pk2 "$W/m2.json" -H "label: m2" -H "columns: id, __op='delete'" -H 'partial_update: true' -T "$W/m2.csv"
check "columns: __op='delete' deletes by key; deleted rows count in NumberLoadedRows" \
	[ "$(jget "$W/m2.json" NumberLoadedRows) $(fq 'SELECT GROUP_CONCAT(id) FROM pk2')" = "2 2" ]
printf '5,e,50,0\n6,f,60,0\n5,e,50,1\n' >"$W/m3.csv"
load pk2 "$W/m3.json" -H "label: m3" -H 'column_separator: ,' -H 'columns: id,name,score,temp,__op=temp' -T "$W/m3.csv"
printf '7\tg\t70\t0\n6\tf\t60\t1\n' >"$W/m4.csv"
load pk2 "$W/m4.json" -H "label: m4" -H 'columns: id,name,score,__op' -T "$W/m4.csv"
check "__op from a data column (columns: ...,__op and ...,temp,__op=temp), applied in row order" \
	[ "$(jget "$W/m3.json" Status) $(jget "$W/m4.json" NumberLoadedRows) $(fq 'SELECT GROUP_CONCAT(id ORDER BY id) FROM pk2')" = "Success 2 2,7" ]
echo '[{"id":7,"__op":1},{"id":8,"name":"h","score":80,"__op":"upsert"},{"id":9,"name":"i","score":90}]' >"$W/m5.json"
load pk2 "$W/m5.out" -H "label: m5" -H 'format: json' -H 'strip_outer_array: true' -T "$W/m5.json"
check "JSON key __op (1 / \"upsert\" / absent)" \
	[ "$(jget "$W/m5.out" NumberLoadedRows) $(fq 'SELECT GROUP_CONCAT(id ORDER BY id) FROM pk2')" = "3 2,8,9" ]
printf '8,H\n10,NEW\n' >"$W/m6.csv"
load pk2 "$W/m6.json" -H "label: m6" -H 'column_separator: ,' -H 'partial_update: true' -H 'columns: id,name' -T "$W/m6.csv"
check "partial_update: existing rows get only the listed columns; new rows defaults, 0 where NOT NULL has none" \
	[ "$(jget "$W/m6.json" Status) $(rows 'SELECT id, name, score, note FROM pk2 WHERE id IN (8, 10) ORDER BY id')" = "Success 8,H,80,NULL 10,NEW,0,n " ]
load uq1 "$W/m7.json" -H "label: m7" -H 'partial_update: true' -H 'columns: k' -T "$W/m2.csv"
load uq1 "$W/m8.json" -H "label: m8" -H "columns: k, __op='delete'" -T "$W/m2.csv"
check "partial_update and __op refused on the other models" \
	has "$(cat "$W/m7.json") $(jget "$W/m8.json" Status)" "Only primary key table support partial update" " Fail"
printf '2\tc2\n2\tc3\n4\td\n' >"$W/m9.csv"
load uq1 "$W/m9.json" -H "label: m9" -T "$W/m9.csv"
load dup1 "$W/m10.json" -H "label: m10" -T "$W/m9.csv"
printf '1\t100\t1\t1\tz\t\\N\n3\t1\t1\t1\tw\t3\n1\t1\t\\N\t-5\ty\t\\N\n' >"$W/m11.csv"
load agg1 "$W/m11.json" -H "label: m11" -T "$W/m11.csv"
check "stream load: a Unique Key table replaces, a Duplicate Key table appends, an Aggregate Key table aggregates" \
	[ "$(rows 'SELECT k, v FROM uq1 ORDER BY k')|$(fq 'SELECT COUNT(*) FROM dup1')|$(rows 'SELECT k, s, mx, mn, r, rn FROM agg1 ORDER BY k')" \
		= "2,c3 4,d |4|1,108,9,-5,y,7 2,4,4,4,x,4 3,1,1,1,w,3 " ]
curl -s --location-trusted -u "$U" -H "label: mt1" -H "db: $DB" -H "table: agg1" -X POST -o "$W/mt1.json" \
	"$FE/api/transaction/begin"
curl -s --location-trusted -u "$U" -H "label: mt1" -H "db: $DB" -H "table: agg1" -X PUT -H "Expect: 100-continue" \
	-T "$W/m11.csv" -o "$W/mt2.json" "$FE/api/transaction/load"
curl -s --location-trusted -u "$U" -H "label: mt1" -H "db: $DB" -X POST -o "$W/mt3.json" "$FE/api/transaction/commit"
check "transaction stream load follows the model too" \
	[ "$(jget "$W/mt3.json" Status) $(fq 'SELECT s FROM agg1 WHERE k = 1')" = "OK 209" ]
curl -s "$FE/_emulator/stats" -o "$W/stats2.json"
check "the MySQL front's counters" "$PY" -c '
import json,sys
d=json.load(open(sys.argv[1]))
sys.exit(0 if d["mysql_connections"] > 10 and d["mysql_tls_connections"] >= 1 and d["mysql_refused"] > 10 else 1)' "$W/stats2.json"

kill "$EMU_PID"
if ds_wait_gone "$EMU_PID" 10; then
	check "SIGTERM stops the emulator and removes its pid file" [ ! -e "$DS_TMP/emulator.pid" ]
	EMU_PID=
else
	fail "SIGTERM stops the emulator"
fi

if [ "$FAILED" -ne 0 ]; then
	echo "--- emulator log (tail) ---"
	tail -30 "$DS_TMP/emulator.log" 2>/dev/null
fi
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
