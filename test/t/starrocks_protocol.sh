#!/usr/bin/env bash
# The emulator really enforces what datastore's client must get right:
# credentials must survive the FE's 307 to another port (curl only resends
# them with --location-trusted, libcurl with CURLOPT_UNRESTRICTED_AUTH, or
# datastore's own probe-then-send), and a load without
# "Expect: 100-continue" is refused by the FE.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$DS_ENV"
db=ds_t_srproto
ds_test_db "$db"
fe="http://127.0.0.1:$DS_SR_FE_PORT/api/$DS_SR_DATABASE/proto/_stream_load"
# The store, and its table made with StarRocks DDL over the MySQL protocol.
psql -XAtq -d "$db" -v ON_ERROR_STOP=1 >/dev/null <<SQL
SELECT ds_register('sr', 'starrocks', host => '127.0.0.1', port => $DS_SR_MYSQL_PORT,
  "user" => '$DS_MYSQL_USER', password => '$DS_MYSQL_PASSWORD', database => '$DS_SR_DATABASE',
  http_port => $DS_SR_FE_PORT);
SELECT ds_exec('sr', 'DROP TABLE IF EXISTS proto');
SELECT ds_exec('sr', 'CREATE TABLE proto (k INT, v VARCHAR(10))
  DUPLICATE KEY (k) DISTRIBUTED BY HASH (k) BUCKETS 1 PROPERTIES ("replication_num" = "1")');
SQL
data=$(printf '1\tone\n2\ttwo\n')

# Without trusted redirects the BE sees no credentials: 401.
code=$(printf '%s' "$data" | curl -s -o "$DS_TMP/proto.1" -w '%{http_code}' --location \
	-u "$DS_MYSQL_USER:$DS_MYSQL_PASSWORD" -H 'Expect: 100-continue' -H 'label: proto-1' \
	-T - "$fe")
echo "curl --location: HTTP $code $(cat "$DS_TMP/proto.1")"
[ "$code" = 401 ]

# With them, the load goes through.
printf '%s' "$data" | curl -s -o "$DS_TMP/proto.2" --location-trusted \
	-u "$DS_MYSQL_USER:$DS_MYSQL_PASSWORD" -H 'Expect: 100-continue' -H 'label: proto-2' \
	-H 'column_separator: \x09' -T - "$fe"
echo "curl --location-trusted: $(cat "$DS_TMP/proto.2")"
grep -q '"Status": *"Success"' "$DS_TMP/proto.2"

# Without Expect: 100-continue the FE refuses (HTTP 200, Status FAILED).
printf '%s' "$data" | curl -s -o "$DS_TMP/proto.3" --location-trusted \
	-u "$DS_MYSQL_USER:$DS_MYSQL_PASSWORD" -H 'Expect:' -H 'label: proto-3' -T - "$fe"
echo "no 100-continue: $(cat "$DS_TMP/proto.3")"
grep -q 'There is no 100-continue header' "$DS_TMP/proto.3"

# The FE answers 307 without reading the body, pointing at another port.
curl -s -o /dev/null -D "$DS_TMP/proto.h" -u "$DS_MYSQL_USER:$DS_MYSQL_PASSWORD" \
	-H 'Expect: 100-continue' -H 'label: proto-4' -T /dev/null "$fe"
grep -qi "^HTTP/1.1 307" "$DS_TMP/proto.h"
grep -qi "^Location: http://127.0.0.1:$DS_SR_BE_PORT/" "$DS_TMP/proto.h"
echo "FE: $(grep -i '^HTTP/1.1' "$DS_TMP/proto.h" | tr -d '\r'), $(grep -i '^Location' "$DS_TMP/proto.h" | tr -d '\r')"

# datastore's client loads through the same FE.
psql -XAt -d "$db" -c "SELECT ds_stream_load('sr', 'proto', '[{\"k\": 3, \"v\": \"three\"}]')->>'Status'" | grep -qx Success
rows=$(ds_mariadb -N -e "SELECT COUNT(*) FROM $DS_SR_DATABASE.proto")
echo "rows loaded: $rows"
[ "$rows" = 3 ]
psql -Xq -d postgres -c "DROP DATABASE $db"
