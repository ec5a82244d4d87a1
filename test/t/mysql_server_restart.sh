#!/usr/bin/env bash
# MariaDB stopped in the middle of a session: a clean ERROR, the backend
# lives on, and once MariaDB is back the next call works in the same session.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$DS_ENV"
db=ds_t_restart
ds_test_db "$db"
lib="$DS_ROOT/test/lib.sh"

psql -X -d "$db" >"$DS_TMP/restart.out" 2>&1 <<SQL
\set SHOW_CONTEXT never
SELECT pg_backend_pid() AS pid \gset
SELECT * FROM ds_query('my', 'SELECT ''before'' AS phase');
\! bash -c '. $lib; . \$DS_ENV; ds_mariadb_down'
SELECT * FROM ds_query('my', 'SELECT ''down'' AS phase');
SELECT * FROM ds_query('my', 'SELECT ''down again'' AS phase');
SELECT pg_backend_pid() = :pid AS same_backend, 'local still works' AS note;
\! bash -c '. $lib; . \$DS_ENV; ds_mariadb_up'
SELECT * FROM ds_query('my', 'SELECT ''after'' AS phase');
SELECT store, connections, busy FROM ds_pool_status();
SQL
cat "$DS_TMP/restart.out"
grep -q '"phase": "before"' "$DS_TMP/restart.out"
[ "$(grep -c 'ERROR:' "$DS_TMP/restart.out")" = 2 ]
grep -q "ERROR:  could not connect to datastore \"my\"\|ERROR:  Lost connection\|ERROR:  Server has gone away" "$DS_TMP/restart.out"
grep -q 'same_backend' "$DS_TMP/restart.out"
grep -A2 same_backend "$DS_TMP/restart.out" | grep -q ' t '
grep -q '"phase": "after"' "$DS_TMP/restart.out"
echo "reliability: faults 1 1"
psql -Xq -d postgres -c "DROP DATABASE $db"
