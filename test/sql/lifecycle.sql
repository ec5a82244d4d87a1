-- ds_connect / ds_disconnect are idempotent; calls connect lazily.
\set SHOW_CONTEXT never

SELECT ds_connect('local');
SELECT ds_connect('local');
SELECT ds_disconnect('local');
SELECT ds_disconnect('local');

-- Unknown stores are errors, not silent no-ops.
SELECT ds_connect('nosuch');
SELECT ds_disconnect('nosuch');
SELECT ds_connect(NULL);

-- Lazy: a query opens the store; disconnect then has something to close.
SELECT count(*) FROM ds_query('local', 'SELECT 1');
SELECT ds_disconnect('local');

-- A remote postgres server that is not there: a clean ERROR naming the store.
SELECT ds_register('pg2', 'postgres', host => '127.0.0.1', port => 1);
SELECT ds_connect('pg2');
SELECT ds_unregister('pg2');

-- A server that is not there: a clean ERROR naming the store.
SELECT ds_register('my1', 'mysql', host => '127.0.0.1', port => 1);
SELECT ds_connect('my1');
SELECT ds_query('my1', 'SELECT 1');
SELECT sqlstate_of($$SELECT ds_connect('my1')$$) ~ '^08001' AS unable_to_connect;

-- connect_all: every store it can open; the others become warnings.
-- (Every store but my1: those of the other tests are reachable too.)
SELECT ds_connect_all() = (SELECT count(*) FROM ds_stores WHERE name <> 'my1') AS all_but_my1;
SELECT ds_disconnect();
SELECT ds_disconnect();

-- The pool view lists remote pools only: none yet.
SELECT * FROM ds_pool_status();

-- An unregistered store is gone, even for a backend that had it open.
SELECT ds_register('local2', 'postgres', database => current_database());
SELECT ds_connect('local2');
SELECT ds_unregister('local2');
SELECT ds_disconnect('local2');
SELECT ds_query('local2', 'SELECT 1');
