-- Remote errors keep their SQLSTATE, name the store, and leak nothing.
\i test/sql/include/mysql.psql
\set SHOW_CONTEXT never
SELECT ds_exec('my', 'CREATE OR REPLACE TABLE dup_keys (id INT PRIMARY KEY)');
SELECT ds_exec('my', 'INSERT INTO dup_keys (id) VALUES (1)');
SELECT * FROM ds_query('my', 'SELEC 1');
SELECT * FROM ds_query('my', 'SELECT * FROM no_such_table');
SELECT ds_exec('my', 'INSERT INTO dup_keys (id) VALUES (1)');
SELECT sqlstate_of($$SELECT * FROM ds_query('my', 'SELEC 1')$$);
SELECT sqlstate_of($$SELECT * FROM ds_query('my', 'SELECT * FROM no_such_table')$$);
SELECT sqlstate_of($$SELECT ds_exec('my', 'INSERT INTO dup_keys (id) VALUES (1)')$$);

-- 1,000 failing statements, and 100 that fail half way through a result,
-- leave the pool and the server's connection count as they were.
SELECT (r->>'n')::int AS server_threads_before
  FROM ds_query('my', 'SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST') r \gset
DO $$
DECLARE
	failed int := 0;
BEGIN
	FOR i IN 1..1000 LOOP
		BEGIN
			PERFORM ds_query('my', 'SELECT * FROM no_such_table_' || (i % 10));
		EXCEPTION WHEN OTHERS THEN
			failed := failed + 1;
		END;
	END LOOP;
	FOR i IN 1..100 LOOP
		BEGIN
			-- The NUL makes row 3 fail while the rest are still on the wire.
			PERFORM ds_query('my', 'SELECT IF(seq = 3, CONCAT(''a'', CHAR(0 USING utf8mb4)), ''ok'') AS v FROM seq_1_to_5000');
		EXCEPTION WHEN OTHERS THEN
			failed := failed + 1;
		END;
	END LOOP;
	RAISE NOTICE 'failed: %', failed;
END $$;
SELECT store, connections, busy, connections <= 3 AS within_max FROM ds_pool_status();
SELECT (r->>'n')::int <= :server_threads_before AS no_server_leak
  FROM ds_query('my', 'SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST') r;

-- statement_timeout stops a remote SLEEP, and the remote statement dies too.
SET statement_timeout = '1s';
SELECT * FROM ds_query('my', 'SELECT SLEEP(60) AS slept');
RESET statement_timeout;
-- (KILL acts asynchronously on the server: give it a moment.)
SELECT wait_until($q$SELECT (r->>'sleeping')::int = 0 FROM ds_query('my', $$SELECT COUNT(*) AS sleeping FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT SLEEP(60)%'$$) r$q$) AS remote_sleep_gone;
SELECT * FROM ds_query('my', 'SELECT ''usable'' AS after_timeout');

-- Pool limits: a load whose source query calls the same store needs a
-- second connection; with max_connections 1 that is a clear ERROR.
SELECT ds_exec('my', 'DROP TABLE IF EXISTS nested');
SELECT ds_exec('my', 'CREATE TABLE nested (n INT, remote_answer INT)');
CREATE FUNCTION remote_double(n int) RETURNS int LANGUAGE sql AS $$
	SELECT (r->>'d')::int FROM ds_query('my', 'SELECT $1 * 2 AS d', jsonb_build_array(n)) r
$$;
SELECT ds_stream_load_query('my', 'nested',
  'SELECT g AS n, remote_double(g) AS remote_answer FROM generate_series(1, 5) g')->>'NumberLoadedRows' AS loaded;
SELECT * FROM ds_query('my', 'SELECT SUM(remote_answer) AS s FROM nested');
SELECT ds_register('my_one', 'mysql', host => '127.0.0.1', port => (SELECT port FROM ds_stores WHERE name = 'my'),
                   "user" => (SELECT "user" FROM ds_stores WHERE name = 'my'),
                   password => (SELECT password FROM datastore.stores WHERE name = 'my'),
                   database => (SELECT database FROM ds_stores WHERE name = 'my'),
                   max_connections => 1, min_connections => 0);
CREATE FUNCTION remote_double_one(n int) RETURNS int LANGUAGE sql AS $$
	SELECT (r->>'d')::int FROM ds_query('my_one', 'SELECT $1 * 2 AS d', jsonb_build_array(n)) r
$$;
SELECT ds_stream_load_query('my_one', 'nested',
  'SELECT g AS n, remote_double_one(g) AS remote_answer FROM generate_series(1, 5) g');
SELECT sqlstate_of($$SELECT ds_stream_load_query('my_one', 'nested', 'SELECT g AS n, remote_double_one(g) AS remote_answer FROM generate_series(1, 5) g')$$);
-- Nothing of the failed load arrived, and the pool is whole again.
SELECT * FROM ds_query('my_one', 'SELECT COUNT(*) AS rows_in_nested FROM nested');
SELECT store, connections, busy FROM ds_pool_status() ORDER BY store;
