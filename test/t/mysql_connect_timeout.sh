#!/usr/bin/env bash
# Connecting to a host that accepts TCP but never answers: the connect
# timeout fires, and statement_timeout or a cancel interrupt it sooner.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$DS_ENV"
db=ds_t_connect
ds_test_db "$db"

# A listener that accepts and stays silent (a MySQL server sends a greeting);
# the kernel picks its port.
/usr/bin/python3 -c "
import socket, time, sys
s = socket.socket()
s.bind(('127.0.0.1', 0)); s.listen(16)
print(s.getsockname()[1], flush=True)
held = []
end = time.time() + 60
while time.time() < end:
    s.settimeout(1)
    try: held.append(s.accept()[0])
    except socket.timeout: pass
" >"$DS_TMP/silent.port" &
silent=$!
trap 'kill $silent 2>/dev/null || true' EXIT
for i in $(seq 1 50); do [ -s "$DS_TMP/silent.port" ] && break; sleep 0.1; done
port=$(cat "$DS_TMP/silent.port")

timed() {
	local start end
	start=$(date +%s%N)
	psql -X -d "$db" >"$DS_TMP/connect.out" 2>&1 <<-SQL || true
		SELECT ds_register('silent', 'mysql', host => '127.0.0.1', port => $port, "user" => 'x');
		$1
		SELECT * FROM ds_query('silent', 'SELECT 1');
	SQL
	end=$(date +%s%N)
	echo $(((end - start) / 1000000))
}

ms=$(timed "SET datastore.connect_timeout = 1;")
echo "connect_timeout=1s: $ms ms: $(grep -m1 ERROR "$DS_TMP/connect.out")"
grep -q 'could not connect to datastore "silent": timeout after 1 s' "$DS_TMP/connect.out"
[ "$ms" -lt 15000 ]

ms=$(timed "SET datastore.connect_timeout = 60; SET statement_timeout = '1s';")
echo "statement_timeout=1s: $ms ms: $(grep -m1 ERROR "$DS_TMP/connect.out")"
grep -q 'canceling statement due to statement timeout' "$DS_TMP/connect.out"
[ "$ms" -lt 15000 ]
echo "reliability: faults 2 2"
psql -Xq -d postgres -c "DROP DATABASE $db"
