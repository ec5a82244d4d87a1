-- The pool: counters, reopening after re-registration, transparent
-- reconnect of a dead idle connection, idle timeout.
\i test/sql/include/mysql.psql
\set SHOW_CONTEXT never
SELECT ds_disconnect();
SELECT ds_connect('my');
SELECT ds_connect('my');
SELECT store, type, connections, busy, queries, errors, reconnects FROM ds_pool_status();

-- A connection killed on the server while idle is replaced on next use,
-- without an error: nothing was running on it.
SELECT (r->>'id')::bigint AS victim FROM ds_query('my', 'SELECT CONNECTION_ID() AS id') r \gset
SELECT ds_register('my_admin', 'mysql', host => '127.0.0.1', port => (SELECT port FROM ds_stores WHERE name = 'my'),
                   "user" => (SELECT "user" FROM ds_stores WHERE name = 'my'),
                   password => (SELECT password FROM datastore.stores WHERE name = 'my'),
                   database => (SELECT database FROM ds_stores WHERE name = 'my'));
SELECT ds_exec('my_admin', 'KILL ' || :victim);
SELECT wait_until(format($$SELECT (r->>'n')::int = 0 FROM ds_query('my_admin', 'SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE ID = %s') r$$, :victim)) AS victim_gone;
SELECT (r->>'id')::bigint <> :victim AS new_connection FROM ds_query('my', 'SELECT CONNECTION_ID() AS id') r;
SELECT store, connections, reconnects FROM ds_pool_status() WHERE store = 'my';
-- With health_check_interval 0 the connection is pinged before every reuse.
SET datastore.health_check_interval = 0;
SELECT * FROM ds_query('my', 'SELECT 1 AS pinged_first');
RESET datastore.health_check_interval;

-- Re-registering a store reopens its pool on next use (new settings apply).
SELECT (r->>'id')::bigint AS before_id FROM ds_query('my', 'SELECT CONNECTION_ID() AS id') r \gset
UPDATE datastore.stores SET max_connections = 4 WHERE name = 'my';
SELECT (r->>'id')::bigint <> :before_id AS reopened FROM ds_query('my', 'SELECT CONNECTION_ID() AS id') r;
SELECT store, connections, queries FROM ds_pool_status() WHERE store = 'my';

-- Connections above min_connections close after idle_timeout.
CREATE FUNCTION hold_two() RETURNS int LANGUAGE sql AS $$
	SELECT count(*)::int FROM ds_query('my', 'SELECT 1') a,
	       LATERAL (SELECT ds_stream_load_query('my', 'nested', 'SELECT 1 AS n, (SELECT (r->>''x'')::int FROM ds_query(''my'', ''SELECT 2 AS x'') r) AS remote_answer')) b
$$;
SELECT hold_two();
SELECT store, connections FROM ds_pool_status() WHERE store = 'my';
SET datastore.idle_timeout = 0;
SELECT * FROM ds_query('my', 'SELECT 1 AS pruned');
SELECT store, connections FROM ds_pool_status() WHERE store = 'my';
RESET datastore.idle_timeout;

-- ds_disconnect closes the pool, and the server sees the sessions go.
SELECT (r->>'n')::int AS sessions_before FROM ds_query('my_admin', 'SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST') r \gset
SELECT ds_disconnect('my');
SELECT wait_until(format($$SELECT (r->>'n')::int = %s - 1 FROM ds_query('my_admin', 'SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST') r$$, :sessions_before)) AS one_session_closed;
SELECT ds_disconnect('my');
SELECT * FROM ds_pool_status() WHERE store = 'my';
