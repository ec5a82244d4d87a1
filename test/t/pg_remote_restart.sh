#!/usr/bin/env bash
# The remote PostgreSQL server restarted, then stopped, in the middle of a
# session:
#  1. After a restart the pooled connection is dead (the server said FATAL
#     and hung up): the next call notices before using it, reconnects and
#     works, with no ERROR, on a new remote backend.
#  2. With the server down, a call is a clean ERROR and the backend lives on.
#  3. Once the server is back, queries and loads work in the same session.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$DS_ENV"
db=ds_t_pq_restart
ds_test_db "$db"
lib="$DS_ROOT/test/lib.sh"
psql -Xq -d "$db" -v ON_ERROR_STOP=1 >/dev/null <<SQL
SELECT ds_register('pg2r', 'postgres', host => '$DS_PG2_HOST', port => $DS_PG2_PORT,
                   "user" => '$DS_PG2_USER', password => '$DS_PG2_PASSWORD',
                   database => '$DS_PG2_DATABASE');
SQL
# pg_ctl restart reuses the options the server was started with, also when
# it is not running.
restart='bash -c ". '"$lib"'; . \$DS_ENV; (ds_detached ds_as_pg \$PG_BIN/pg_ctl -D \$DS_TMP/pg2/data -l \$DS_TMP/pg2/server.log -m fast -w -t 60 restart) >/dev/null 2>&1"'
stop='bash -c ". '"$lib"'; . \$DS_ENV; ds_as_pg \$PG_BIN/pg_ctl -D \$DS_TMP/pg2/data -m fast -w -t 60 stop >/dev/null"'

psql -X -d "$db" >"$DS_TMP/pq_restart.out" 2>&1 <<SQL
\set SHOW_CONTEXT never
SELECT pg_backend_pid() AS pid \gset
SELECT r->>'pid' AS remote_pid FROM ds_query('pg2r', 'SELECT pg_backend_pid() AS pid') r \gset
SELECT * FROM ds_query('pg2r', 'SELECT ''before'' AS phase');
\! $restart
SELECT r->>'phase' AS phase, r->>'pid' <> :'remote_pid' AS new_remote_backend
  FROM ds_query('pg2r', 'SELECT ''after restart'' AS phase, pg_backend_pid() AS pid') r;
SELECT reconnects >= 1 AS reconnected, errors = 0 AS no_errors FROM ds_pool_status() WHERE store = 'pg2r';
\! $stop
SELECT * FROM ds_query('pg2r', 'SELECT ''down'' AS phase');
SELECT pg_backend_pid() = :pid AS same_backend, 'local still works' AS note;
\! $restart
SELECT * FROM ds_query('pg2r', 'SELECT ''after'' AS phase');
SELECT ds_exec('pg2r', 'CREATE TABLE restart_load (id int)');
SELECT ds_stream_load_query('pg2r', 'restart_load', 'SELECT generate_series(1, 1000) AS id')->>'NumberLoadedRows' AS loaded;
SELECT * FROM ds_query('pg2r', 'SELECT count(*) AS n FROM restart_load');
SELECT ds_exec('pg2r', 'DROP TABLE restart_load');
SQL
cat "$DS_TMP/pq_restart.out"
grep -q '"phase": "before"' "$DS_TMP/pq_restart.out"
grep -A2 new_remote_backend "$DS_TMP/pq_restart.out" | grep -q 'after restart | t'
grep -A2 reconnected "$DS_TMP/pq_restart.out" | grep -q ' t  *| t'
[ "$(grep -c 'ERROR:' "$DS_TMP/pq_restart.out")" = 1 ]
grep -q 'ERROR:  could not connect to datastore "pg2r"' "$DS_TMP/pq_restart.out"
grep -A2 same_backend "$DS_TMP/pq_restart.out" | grep -q ' t '
grep -q '"phase": "after"' "$DS_TMP/pq_restart.out"
grep -A2 ' loaded' "$DS_TMP/pq_restart.out" | grep -qx ' 1000'
grep -q '{"n": 1000}' "$DS_TMP/pq_restart.out"
echo "reliability: faults 2 2"
psql -Xq -d postgres -c "DROP DATABASE $db"
