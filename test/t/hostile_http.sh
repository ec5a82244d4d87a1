#!/usr/bin/env bash
# A StarRocks FE/BE that lies over HTTP (test/hostile/fake_http.py):
# redirects where datastore must not follow, an ErrorURL on another server,
# endless and huge answers, endless lines; and options that try to put
# headers of their own into the requests.  Nothing may crash the backend,
# grow it past datastore.http_max_response_size, or send a credential or a
# header where it was not meant to go.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$DS_ENV"
. "$DS_ROOT/test/hostile/harness.sh"
hdb=ds_t_hostile_http
hostile_start http fake_http.py 18330
capture=$((hport + 1))
ds_test_db "$hdb"
secret='Secret-Http-Pw-4711'

scenarios="redirect_path redirect_userinfo redirect_emptyuser redirect_ftp errorurl_elsewhere errorurl_same huge_answer
	endless_state endless_line many_lines plain dotdot wide_meta meta_twice capture_body"
# A lying MySQL source too, for what it can put into a JSON load.
mdir="$DS_TMP/hostile_http_mysql"
mkdir -p "$mdir"
: >"$mdir/log"
mport=$(ds_free_port 33406)
/usr/bin/python3 "$DS_ROOT/test/hostile/fake_mysql.py" --port "$mport" --pid-file "$mdir/pid" --log "$mdir/log" >"$mdir/out" 2>&1 &
trap 'ds_stop_pidfile "$hdir/pid" 5; ds_stop_pidfile "$mdir/pid" 5' EXIT
for _ in $(seq 1 50); do [ -f "$mdir/pid" ] && break; sleep 0.1; done
load="'[{\"a\": 1}]'"
{
	hostile_sql
	for s in $scenarios; do
		d=$s
		[ "$s" = dotdot ] && d=..
		opts='{}'
		[ "$s" = redirect_emptyuser ] && opts='{"be_host": "127.0.0.1"}'
		echo "SELECT ds_register('$s', 'starrocks', host => '127.0.0.1', port => 1, http_port => $hport, \"user\" => 'u', password => '$secret', database => '$d', options => '$opts');"
	done
	for s in redirect_path redirect_userinfo redirect_emptyuser redirect_ftp errorurl_elsewhere errorurl_same huge_answer dotdot; do
		hostile_try "$s" "SELECT ds_stream_load('$s', 't', $load)::text"
	done
	hostile_try endless_state "SELECT ds_load_state('endless_state', 'x')"
	echo "SELECT 'peak_after_endless_state ' || peak_kb();"
	hostile_try endless_line "SELECT count(*)::text FROM ds_http_query('endless_line', 'SELECT 1')"
	echo "SELECT 'peak_after_endless_line ' || peak_kb();"
	hostile_try many_lines "SELECT count(*)::text FROM ds_http_query('many_lines', 'SELECT n')"
	hostile_try wide_meta "SELECT count(*)::text FROM ds_http_query('wide_meta', 'SELECT 1')"
	hostile_try meta_twice "SELECT count(*)::text FROM ds_http_query('meta_twice', 'SELECT 1')"
	echo "SELECT 'peak_after_meta ' || peak_kb();"
	echo "SELECT ds_register('decimal_inject', 'mysql', host => '127.0.0.1', port => $mport, \"user\" => 'u', password => 'pw', database => 'decimal_inject');"
	hostile_try json_inject "SELECT ds_sync('decimal_inject', 'SELECT a', 'capture_body', 't', '{\"format\": \"json\"}')->>'Status'"
	# Headers an option or a target would smuggle into the request.
	hostile_try inject_target "SELECT ds_stream_load('plain', E'plain.t\\r\\nX-Injected: yes', $load, '{\"transaction\": true}')::text"
	hostile_try inject_table "SELECT ds_stream_load('plain', E't\\nX-Injected: yes', $load)::text"
	hostile_try inject_value "SELECT ds_stream_load('plain', 't', $load, jsonb_build_object('where', E'a > 0\\r\\nX-Injected: yes'))::text"
	for h in Authorization AUTHORIZATION Host Label Transfer-Encoding Content-Length Expect db txn_id skip_header compression X-Injected; do
		hostile_try "header_$h" "SELECT ds_stream_load('plain', 't', $load, '{\"$h\": \"Basic Zm9vOmJhcg==\"}')::text"
	done
	hostile_try framing "SELECT ds_stream_load('plain', 't', $load, '{\"Transfer-Encoding\": \"identity\", \"Content-Length\": \"5\"}')::text"
	hostile_try merge_commit "SELECT ds_stream_load('plain', 't', $load, '{\"enable_merge_commit\": true}')::text"
	hostile_try merge_commit_waived "SELECT ds_stream_load('plain', 't', $load, '{\"enable_merge_commit\": true, \"waive_label_guarantee\": true}')->>'Status'"
	hostile_try passed_header "SELECT ds_stream_load('plain', 't', $load, '{\"STRICT_MODE\": true}')->>'Status'"
} >"$hdir/session.sql"
hostile_session "$hdir/session.sql"
hostile_survived

for s in redirect_path redirect_userinfo redirect_emptyuser redirect_ftp; do hostile_expect "$s" "error HV000"; done
hostile_expect errorurl_elsewhere "error HV000"
hostile_expect errorurl_same "error HV000"
hostile_expect huge_answer "error 54000"
hostile_expect dotdot "error 42602"
hostile_expect endless_state "error 54000"
hostile_expect endless_line "error 54000"
for k in endless_state endless_line; do
	[ $(($(hostile_got "peak_after_$k") - $(hostile_got peak_before))) -lt 65536 ] || hostile_fail "$k grew the backend"
done
hostile_expect many_lines "ok 200000"
hostile_expect wide_meta "error HV000"
hostile_expect meta_twice "error HV000"
[ $(($(hostile_got peak_after_meta) - $(hostile_got peak_before))) -lt 65536 ] || hostile_fail "meta lines grew the backend"
hostile_expect json_inject "ok Success"
hostile_expect inject_target "error 42602"
hostile_expect inject_table "error 42602"
for k in inject_value framing merge_commit; do hostile_expect "$k" "error 22023"; done
for h in Authorization AUTHORIZATION Host Label Transfer-Encoding Content-Length Expect db txn_id skip_header compression X-Injected; do
	hostile_expect "header_$h" "error 22023"
done
hostile_expect merge_commit_waived "ok Success"
hostile_expect passed_header "ok Success"

# What reached the servers: nothing at the capture port, no path the FE
# redirected to that datastore refuses, no smuggled header, the error log
# fetched without credentials, the password nowhere but in Basic auth to the
# FE and the BE of a load.
python3 - "$hdir/log" "$hport" "$capture" "$secret" <<'PY'
import base64, json, sys
log, port, capture, secret = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
reqs = [json.loads(l) for l in open(log)]
def fail(msg):
    print("FAIL:", msg); sys.exit(1)
reqs_all = reqs
reqs = [r for r in reqs_all if "headers" in r]
if any(r["port"] == capture for r in reqs):
    fail("a request reached the capture server: %s" % [r for r in reqs if r["port"] == capture][0])
for r in reqs:
    h = r["headers"]
    if r["path"].startswith("/api/other/"):
        fail("datastore followed a redirect to another path")
    if "x-injected" in h or any("X-Injected" in v for v in h.values()):
        fail("a smuggled header arrived: %s" % r)
    if h.get("authorization", "").endswith(base64.b64encode(b"foo:bar").decode()):
        fail("an option replaced the credentials")
    if r["path"].startswith("/api/_load_error_log") and "authorization" in h:
        fail("the error log was fetched with the store's credentials")
    if secret in json.dumps(h):
        fail("the password went out in clear")
logs = [r for r in reqs if r["path"].startswith("/api/_load_error_log")]
if len(logs) != 1:
    fail("expected one error log fetch (from the server that answered), saw %d" % len(logs))
bodies = [r["body"] for r in reqs_all if "body" in r]
if len(bodies) != 1:
    fail("expected the one JSON load body, saw %d" % len(bodies))
rows = json.loads(bodies[0])
if rows != [{"a": '1},{"a":2'}]:
    fail("a source's number changed the JSON load's rows: %s" % bodies[0])
reqs = [r for r in reqs if "headers" in r]
merge = [r for r in reqs if "enable_merge_commit" in r["headers"]]
if len(merge) != 2:   # the FE's redirect and the BE's load of the waived call
    fail("the waived merge commit load did not carry its header (%d requests)" % len(merge))
print("requests checked:", len(reqs))
PY
echo "hostile StarRocks HTTP server: every scenario handled, nothing sent where it was not meant to go"
n=$(grep -c "^SELECT .* || try(" "$hdir/session.sql")
echo "reliability: answers $n $n"
