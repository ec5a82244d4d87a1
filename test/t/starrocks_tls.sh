#!/usr/bin/env bash
# TLS for a StarRocks store's HTTP side and its MySQL side: a second
# emulator serving HTTPS, and its MySQL front TLS, with the test CA's
# certificate for 127.0.0.1.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$DS_ENV"
db=ds_t_srtls
tls="$DS_TLS_DIR"
ds_test_db "$db"
fe=$(ds_free_port 19030)
be=$(ds_free_port $((fe + 1)))
front=$(ds_free_port $((be + 1)))
/usr/bin/python3 "$DS_ROOT/test/starrocks_emulator/emulator.py" --fe-port "$fe" --be-port "$be" \
	--mysql-listen-port "$front" \
	--mysql-port "$DS_MYSQL_PORT" --mysql-user "$DS_MYSQL_USER" --mysql-password "$DS_MYSQL_PASSWORD" \
	--tls-cert "$tls/server.pem" --tls-key "$tls/server.key" \
	--pid-file "$DS_TMP/srtls.pid" --log-file "$DS_TMP/srtls.log" >/dev/null 2>&1 &
trap 'ds_stop_pidfile "$DS_TMP/srtls.pid" 10' EXIT
for i in $(seq 1 100); do
	[ -s "$DS_TMP/srtls.pid" ] &&
		curl -sf -o /dev/null --cacert "$tls/ca.pem" "https://127.0.0.1:$fe/_emulator/stats" && break
	sleep 0.2
done
# The MySQL front's connections, and those of them that used TLS.
export SRTLS_STATS="https://127.0.0.1:$fe/_emulator/stats" SRTLS_CA="$tls/ca.pem"
psql -X -d "$db" -v fe="$fe" -v sr_port="$front" -v my_user="$DS_MYSQL_USER" \
	-v my_password="$DS_MYSQL_PASSWORD" -v sr_db="$DS_SR_DATABASE" -v tls="$tls" \
	>"$DS_TMP/srtls.out" 2>&1 <<'SQL'
\set VERBOSITY terse
CREATE TABLE conf AS SELECT :sr_port AS sr_port, :'my_user'::text AS u, :'my_password'::text AS pw,
                            :'sr_db'::text AS db, :fe AS fe;
CREATE FUNCTION reg(name text, ssl jsonb) RETURNS void LANGUAGE sql AS $$
	SELECT ds_register(name, 'starrocks', host => '127.0.0.1', port => c.sr_port, "user" => c.u,
	                   password => c.pw, database => c.db, http_port => c.fe,
	                   options => jsonb_build_object('ssl', ssl))
	  FROM conf c
$$;
SELECT reg('tls_full', jsonb_build_object('mode', 'verify-full', 'ca', :'tls' || '/ca.pem'));
SELECT ds_exec('tls_full', 'DROP TABLE IF EXISTS tlsload');
SELECT ds_exec('tls_full', 'CREATE TABLE tlsload (k INT, v STRING)
  DUPLICATE KEY (k) DISTRIBUTED BY HASH (k) BUCKETS 1 PROPERTIES ("replication_num" = "1")');
-- tls_full's are the front's only connections so far: each used TLS.
\! curl -s --cacert "$SRTLS_CA" "$SRTLS_STATS" | python3 -c 'import json, sys; s = json.load(sys.stdin); n, t = s["mysql_connections"], s["mysql_tls_connections"]; print("mysql side: %s (%d of %d connections TLS)" % (n > 0 and t == n, t, n))'
SELECT 'load: ' || (ds_stream_load('tls_full', 'tlsload', '[{"k": 1, "v": "over https"}]', '{"label": "tls-1"}')->>'Status') AS result;
SELECT 'sql api: ' || r::text AS result FROM ds_http_query('tls_full', 'SELECT k, v FROM tlsload') r;
SELECT 'state: ' || ds_load_state('tls_full', 'tls-1') AS result;
SELECT reg('tls_require', '{"mode": "require"}');
SELECT 'require: ' || (ds_stream_load('tls_require', 'tlsload', '[{"k": 2, "v": "unverified"}]')->>'Status') AS result;
SELECT reg('tls_wrong', jsonb_build_object('mode', 'verify-full', 'ca', :'tls' || '/other-ca.pem'));
SELECT ds_stream_load('tls_wrong', 'tlsload', '[{"k": 3, "v": "never"}]');
SELECT reg('tls_http', '{"mode": "disable"}');
SELECT ds_stream_load('tls_http', 'tlsload', '[{"k": 4, "v": "plain http to an https port"}]');
SELECT 'rows: ' || (r->>'n') AS result FROM ds_query('tls_full', 'SELECT COUNT(*) AS n FROM tlsload') r;
SQL
cat "$DS_TMP/srtls.out"
grep -q 'mysql side: True' "$DS_TMP/srtls.out"
grep -q 'load: Success' "$DS_TMP/srtls.out"
grep -q 'sql api: {"k": 1, "v": "over https"}' "$DS_TMP/srtls.out"
grep -q 'state: VISIBLE' "$DS_TMP/srtls.out"
grep -q 'require: Success' "$DS_TMP/srtls.out"
grep -q 'ERROR:  HTTP request to datastore "tls_wrong" failed: .*certificate' "$DS_TMP/srtls.out"
grep -q 'ERROR:  HTTP request to datastore "tls_http" failed' "$DS_TMP/srtls.out"
grep -q 'rows: 2' "$DS_TMP/srtls.out"
psql -Xq -d postgres -c "DROP DATABASE $db"
