-- The datastore demo: syncs between the local PostgreSQL, MariaDB and
-- StarRocks (here the emulator in test/starrocks_emulator), written the way
-- a stored procedure would do it.
\set ECHO queries
\pset footer off
SET client_min_messages = warning;
CREATE EXTENSION datastore;

-- Register the stores: 'local' is this database (SPI, as the calling user),
-- 'shop' a MariaDB server (its client library loads on first use).
SELECT ds_register('local', 'postgres');
SELECT ds_register('shop', 'mysql', host => '127.0.0.1', port => :my_port,
                   "user" => :'my_user', password => :'my_password', database => :'my_db');
-- 'olap' a StarRocks cluster: MySQL protocol on port (the FE's, 9030 by
-- default), HTTP (stream load, SQL API) on http_port; its session variables
-- follow every connection.
SELECT ds_register('olap', 'starrocks', host => '127.0.0.1', port => :sr_port,
                   "user" => :'my_user', password => :'my_password', database => :'sr_db',
                   http_port => :sr_http_port,
                   options => '{"session_variables": {"query_timeout": 600}}');
SELECT name, type, host, has_password FROM ds_stores ORDER BY name;

-- Source data in PostgreSQL, with values that break naive CSV exports.
CREATE TABLE orders (id int PRIMARY KEY, customer text, amount numeric(10,2), placed timestamptz, note text);
INSERT INTO orders
SELECT g, 'customer-' || (g % 3), g * 10.25, '2026-01-01 00:00:00+00'::timestamptz + g * interval '1 hour',
       CASE g % 4 WHEN 0 THEN E'tab\there' WHEN 1 THEN E'two\nlines' WHEN 2 THEN 'emoji 🐘' END
  FROM generate_series(1, 100000) g;

-- PostgreSQL -> MariaDB: create the table there from the local one (its
-- types mapped to MariaDB's, docs/ddl.md), stream the rows in bulk.
SELECT ds_create_table('local', 'orders', 'shop', 'orders');
SELECT ds_stream_load_query('shop', 'orders', 'SELECT * FROM orders') - 'LoadTimeMs' AS load_result;

-- Query MariaDB: one jsonb object per row, parameters bound server-side.
SELECT * FROM ds_query('shop',
  'SELECT customer, COUNT(*) AS orders, SUM(amount) AS total, MAX(placed) AS last_order
     FROM orders WHERE placed >= $1 GROUP BY customer ORDER BY customer',
  '["2026-06-01"]');

-- MariaDB -> PostgreSQL: a procedure that refreshes a local summary.
CREATE TABLE customer_totals (customer text PRIMARY KEY, orders int, total numeric);
CREATE PROCEDURE sync_totals() LANGUAGE plpgsql AS $$
DECLARE
	result jsonb;
BEGIN
	TRUNCATE customer_totals;
	result := ds_stream_load('local', 'customer_totals',
		(SELECT jsonb_agg(r) FROM ds_query('shop',
			'SELECT customer, COUNT(*) AS orders, SUM(amount) AS total FROM orders GROUP BY customer') r));
	RAISE NOTICE 'synced % customers', result->>'NumberLoadedRows';
END $$;
SET client_min_messages = notice;
CALL sync_totals();
SELECT * FROM customer_totals ORDER BY customer;

-- Every row made the round trip unchanged.
SELECT count(*) AS rows_that_differ FROM (
  SELECT id, customer, amount, placed, note FROM orders
  EXCEPT
  SELECT (r->>'id')::int, r->>'customer', (r->>'amount')::numeric, (r->>'placed')::timestamp AT TIME ZONE 'UTC', r->>'note'
    FROM ds_query('shop', 'SELECT * FROM orders') r) d;

-- PostgreSQL -> StarRocks: create the table there with StarRocks DDL made
-- from the local query's columns (a query has no key: a Duplicate Key
-- table, rows append), then HTTP stream load straight from a query, in
-- batches with labels, so a retry of the whole call loads nothing twice.
SELECT ds_create_table('local', 'SELECT * FROM orders', 'olap', 'orders',
                       '{"buckets": 4, "properties": {"replication_num": "1"}}');
SELECT r - 'Loads' AS load_result
  FROM ds_stream_load_query('olap', 'orders', 'SELECT * FROM orders',
                            '{"label": "demo-orders", "batch_rows": 40000}') r;
SELECT r->'NumberOfLoads' AS loads, r->'NumberLoadedRows' AS loaded_again
  FROM ds_stream_load_query('olap', 'orders', 'SELECT * FROM orders',
                            '{"label": "demo-orders", "batch_rows": 40000}') r;
SELECT ds_load_state('olap', 'demo-orders-1') AS state_of_first_batch;

-- MariaDB -> StarRocks, as JSON: the rows of a MariaDB query, into a
-- Primary Key table made from the local customer_totals' columns, cast to
-- the sizes they need (a customer's row is replaced by a later load).
SELECT ds_create_table('local', 'SELECT customer::varchar(40) AS customer, orders, total::numeric(20,2) AS total
                                   FROM customer_totals', 'olap', 'totals',
                       '{"key": ["customer"], "buckets": 1, "properties": {"replication_num": "1"}}');
SELECT ds_stream_load('olap', 'totals',
  (SELECT jsonb_agg(r) FROM ds_query('shop', 'SELECT customer, COUNT(*) AS orders, SUM(amount) AS total FROM orders GROUP BY customer') r),
  '{"format": "json"}')->>'Status' AS status;

-- StarRocks' HTTP SQL API: the three stores agree.
SELECT * FROM ds_http_query('olap', 'SELECT customer, orders, total FROM totals ORDER BY customer');
SELECT (SELECT count(*) FROM orders) AS postgres_rows,
       (SELECT (r->>'n')::int FROM ds_query('shop', 'SELECT COUNT(*) AS n FROM orders') r) AS mariadb_rows,
       (SELECT (r->>'n')::int FROM ds_http_query('olap', 'SELECT COUNT(*) AS n FROM orders') r) AS starrocks_rows;

-- A remote PostgreSQL server (libpq, loaded on first use): ds_sync streams
-- MariaDB's rows into it through COPY, and reads them back into StarRocks.
SELECT ds_register('archive', 'postgres', host => :'pg2_host', port => :pg2_port,
                   "user" => :'pg2_user', password => :'pg2_password', database => :'pg2_db');
SELECT ds_create_table('shop', 'orders', 'archive', 'orders');
SELECT r - 'LoadTimeMs' AS sync_result
  FROM ds_sync('shop', 'SELECT * FROM orders WHERE id <= ?', 'archive', 'orders', params => '[50000]') r;
SELECT * FROM ds_query('archive', 'SELECT count(*) AS n, sum(amount) AS total FROM orders');

-- Atomic loads: a procedure moves one batch at a time into StarRocks and
-- advances its watermark; StarRocks commits with the local COMMIT, so each
-- batch and its watermark move together (labels make retries safe).  The
-- target is a Primary Key table: a batch loaded again, or a row synced again
-- after it changed, replaces what is there.  Made from the remote table,
-- whose key it takes.
SELECT ds_create_table('archive', 'orders', 'olap', 'archived',
                       '{"buckets": 4, "properties": {"replication_num": "1"}}');
CREATE TABLE watermark (job text PRIMARY KEY, last_id int NOT NULL);
INSERT INTO watermark VALUES ('archived', 0);
CREATE PROCEDURE ship_archive(batch int) LANGUAGE plpgsql AS $$
DECLARE
	low int;
	high int;
	result jsonb;
BEGIN
	LOOP
		SELECT last_id INTO low FROM watermark WHERE job = 'archived' FOR UPDATE;
		high := least(low + batch, 50000);
		EXIT WHEN high <= low;
		result := ds_sync('archive', 'SELECT * FROM orders WHERE id > $1 AND id <= $2', 'olap', 'archived',
		                  jsonb_build_object('transaction', true, 'label', format('archived-%s-%s', low, high)),
		                  jsonb_build_array(low, high));
		UPDATE watermark SET last_id = high WHERE job = 'archived';
		RAISE NOTICE 'rows % to %: % (% rows)', low + 1, high, result->>'Status', result->>'NumberLoadedRows';
		COMMIT;
	END LOOP;
END $$;
CALL ship_archive(20000);
SELECT last_id FROM watermark;
SELECT * FROM ds_query('olap', 'SELECT COUNT(*) AS n FROM archived');

-- Changed and deleted rows: the changed ones synced again are upserted, and
-- keys sent with __op = 1 are deleted; StarRocks then agrees with the source.
SELECT ds_exec('archive', 'UPDATE orders SET amount = amount + 1 WHERE id <= 10');
SELECT ds_exec('archive', 'DELETE FROM orders WHERE id > 49990');
SELECT ds_sync('archive', 'SELECT * FROM orders WHERE id <= 10', 'olap', 'archived')->>'NumberLoadedRows' AS upserted;
SELECT ds_sync('local', 'SELECT g AS id, 1 AS __op FROM generate_series(49991, 50000) g', 'olap', 'archived')->>'NumberLoadedRows' AS deleted;
SELECT (SELECT r FROM ds_query('olap', 'SELECT COUNT(*) AS n, SUM(amount) AS total FROM archived') r) AS starrocks,
       (SELECT r FROM ds_query('archive', 'SELECT count(*) AS n, sum(amount) AS total FROM orders') r) AS source;
-- ... row by row too: ds_diff compares both sides by key, value by value.
SELECT key AS counts FROM ds_diff('archive', 'SELECT * FROM orders', 'olap', 'SELECT * FROM archived',
                                  '{id}', '{"summary": true}');

-- The connection pools and client libraries of this backend.
SELECT * FROM ds_drivers();
SELECT * FROM ds_pool_status();

-- Errors keep the remote SQLSTATE and say which store failed.
SELECT * FROM ds_query('shop', 'SELECT * FROM no_such_table');
