#!/usr/bin/env bash
# StarRocks refuses a JSON stream-load body above 100 MB unless the load
# sets ignore_json_size: a JSON load with no batch options of its own goes
# in loads of about 64 MB, the first under its label and the next under
# <label>-2, ...; with ignore_json_size it is one load.  Into the
# emulator's BE in sink mode (it parses and counts, stores nothing).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$DS_ENV"
db=ds_t_srjson
rows=900000
ds_test_db "$db"
psql -XAtq -d "$db" -v ON_ERROR_STOP=1 >/dev/null <<SQL
SELECT ds_register('sr', 'starrocks', host => '127.0.0.1', port => $DS_SR_MYSQL_PORT,
  "user" => '$DS_MYSQL_USER', password => '$DS_MYSQL_PASSWORD', database => '$DS_SR_DATABASE',
  http_port => $DS_SR_FE_PORT);
SELECT ds_exec('sr', 'DROP TABLE IF EXISTS jsonbatch');
SELECT ds_exec('sr', 'CREATE TABLE jsonbatch (k INT, v STRING, w STRING)
  DUPLICATE KEY (k) DISTRIBUTED BY HASH (k) BUCKETS 1 PROPERTIES ("replication_num" = "1")');
SQL
ds_sr_config '{"sink": true}'
trap "ds_sr_config '{\"sink\": false}'" EXIT
label_state() { ds_sr_label_state "$1"; }
fail() { echo "FAIL: $*"; exit 1; }
run=$$
# About 80 bytes of JSON a row: some 72 MB in all.
query="SELECT g AS k, md5(g::text) AS v, md5((g + 1)::text) AS w FROM generate_series(1, $rows) g"
out=$(psql -XAtq -d "$db" -v ON_ERROR_STOP=1 -c "SELECT r->>'NumberOfLoads', r->>'NumberLoadedRows', r->>'LoadBytes', r->'Loads'->0->>'Label', r->'Loads'->1->>'Label'
  FROM ds_stream_load_query('sr', 'jsonbatch', \$\$$query\$\$, '{\"format\": \"json\", \"label\": \"jb-$run\"}') r")
echo "json, no batch options: loads|rows|bytes|labels = $out"
IFS='|' read -r loads loaded bytes first second <<<"$out"
[ "$loads" = 2 ] || fail "expected 2 loads"
[ "$loaded" = "$rows" ] || fail "expected $rows rows"
[ "$bytes" -gt $((64 * 1024 * 1024)) ] || fail "expected more than 64 MB"
[ "$first" = "jb-$run" ] && [ "$second" = "jb-$run-2" ] || fail "labels $first, $second"
[ "$(label_state "jb-$run")" = VISIBLE ] && [ "$(label_state "jb-$run-2")" = VISIBLE ] || fail "labels not visible"

out=$(psql -XAtq -d "$db" -v ON_ERROR_STOP=1 -c "SELECT coalesce(r->>'NumberOfLoads', '1'), r->>'NumberLoadedRows', r->>'Label'
  FROM ds_stream_load_query('sr', 'jsonbatch', \$\$$query\$\$, '{\"format\": \"json\", \"label\": \"jb1-$run\", \"ignore_json_size\": \"true\"}') r")
echo "json, ignore_json_size: loads|rows|label = $out"
[ "$out" = "1|$rows|jb1-$run" ] || fail "expected one load of $rows rows labelled jb1-$run"
psql -Xq -d postgres -c "DROP DATABASE $db"
echo "reliability: rows $rows $loaded"
