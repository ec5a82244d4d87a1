#!/bin/bash
# Self-test of the StarRocks emulator: starts a throwaway MariaDB (test/lib.sh)
# and the emulator on free loopback ports, drives them with curl, prints one
# line per check and "N passed, N failed"; exits non-zero on any failure.
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
FE=http://127.0.0.1:$FE_PORT
BE=http://127.0.0.1:$BE_PORT
U="$DS_MYSQL_USER:$DS_MYSQL_PASSWORD"
DB=$DS_MYSQL_DATABASE
W=$DS_TMP/work
mkdir -p "$W"

"$PY" "$HERE/emulator.py" --fe-port "$FE_PORT" --be-port "$BE_PORT" \
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
