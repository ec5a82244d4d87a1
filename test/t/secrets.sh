#!/usr/bin/env bash
# Passwords never reach an error, a notice, ds_stores, ds_pool_status, a
# curl error or the server log at default settings: provoke every failure
# path with a recognisable password, then search all of them.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$DS_ENV"
db=ds_t_secrets
secret="Pw-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
ds_test_db "$db"
out="$DS_TMP/secrets.out"
psql -X -d "$db" -v secret="$secret" -v my_port="$DS_MYSQL_PORT" -v my_user="$DS_MYSQL_USER" \
	-v sr_port="$DS_SR_MYSQL_PORT" -v fe_port="$DS_SR_FE_PORT" -v sr_db="$DS_SR_DATABASE" >"$out" 2>&1 <<'SQL'
\set VERBOSITY verbose
SELECT ds_register('wrongpw', 'mysql', host => '127.0.0.1', port => :my_port, "user" => :'my_user', password => :'secret');
SELECT ds_register('wrongsr', 'starrocks', host => '127.0.0.1', port => :sr_port, "user" => :'my_user',
                   password => :'secret', database => :'sr_db', http_port => :fe_port);
SELECT ds_register('nohost', 'mysql', host => '127.0.0.1', port => 1, "user" => 'x', password => :'secret');
SELECT * FROM ds_query('wrongpw', 'SELECT 1');
SELECT ds_connect('nohost');
SELECT ds_connect_all();
SELECT ds_stream_load('wrongsr', 'x', '[{"a": 1}]');
SELECT * FROM ds_http_query('wrongsr', 'SELECT 1');
SELECT ds_load_state('wrongsr', 'l');
SELECT * FROM ds_stores;
SELECT * FROM ds_pool_status();
SET client_min_messages = debug5;
SELECT * FROM ds_query('wrongpw', 'SELECT 1');
SQL
for f in "$out" "$DS_TMP/pg/server.log" "$DS_TMP/sr/emulator.log" "$DS_TMP/sr/stdout.log"; do
	[ -f "$f" ] || continue
	if grep -q -- "$secret" "$f"; then
		echo "password found in $f:"
		grep -n -- "$secret" "$f" | head -5
		exit 1
	fi
	if grep -q -- "$DS_MYSQL_PASSWORD" "$f"; then
		echo "the MariaDB password found in $f:"
		grep -n -- "$DS_MYSQL_PASSWORD" "$f" | head -5
		exit 1
	fi
done
errors=$(grep -c 'ERROR\|WARNING' "$out")
echo "provoked $errors errors and warnings; no password in them, in ds_stores, ds_pool_status, the server log or the emulator's logs"
[ "$errors" -ge 6 ]
echo "reliability: hostile $errors $errors"
psql -Xq -d postgres -c "DROP DATABASE $db"
