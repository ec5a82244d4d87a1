#!/usr/bin/env bash
# Without datastore in shared_preload_libraries, everything but ds_progress()
# works (the NOTICEs too), and ds_progress() says what to do: 55000 with a
# hint.  Runs its own small cluster, since the suite's one preloads datastore.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$DS_ENV"
dir="$DS_TMP/nopreload"
mkdir -p "$dir"
ds_is_root && chown postgres:postgres "$dir"
port=$(ds_free_port $((PGPORT + 1)))
ds_as_pg "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
	>"$dir/initdb.log" 2>&1
stop() { ds_as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true; }
trap stop EXIT
ds_as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start -o \
	"-c port=$port -c listen_addresses='' -c unix_socket_directories='$dir' -c unix_socket_permissions=0700 -c fsync=off" \
	>/dev/null
export PGHOST="$dir" PGPORT="$port"

out=$(psql -X -d postgres 2>&1 <<'SQL'
\set VERBOSITY verbose
SHOW shared_preload_libraries;
CREATE EXTENSION datastore;
SELECT ds_register('local', 'postgres');
SET datastore.progress_notice_rows = 2;
SELECT count(*) FROM ds_query('local', 'SELECT 1 AS x FROM generate_series(1, 3)');
SELECT * FROM ds_progress();
SQL
)
echo "$out"
grep -q 'NOTICE:  00000: datastore: 2 rows, 56 bytes so far (ds_query on "local")' <<<"$out"
grep -q '^ *3$' <<<"$out"
grep -q 'ERROR:  55000: ds_progress() needs datastore to be loaded at server start' <<<"$out"
grep -q 'HINT:  Add datastore to shared_preload_libraries and restart the server.' <<<"$out"
echo "without the preload: ds_query and NOTICEs work, ds_progress() is 55000 with the hint"
