-- The datastore demo: what a sync procedure looks like from SQL.
\set ECHO queries
\pset footer off
SET client_min_messages = warning;
CREATE EXTENSION datastore;

-- Register stores.  'local' is this database, reached through SPI as the
-- calling user.
SELECT ds_register('local', 'postgres');
SELECT name, type, host, port, has_password FROM ds_stores;

-- Some source data.
CREATE TABLE orders (id int PRIMARY KEY, customer text, amount numeric(10,2), placed timestamptz);
SELECT ds_exec('local',
  'INSERT INTO orders SELECT g, $1 || (g % 3), g * 10.25, $2::timestamptz + g * interval ''1 hour''
     FROM generate_series(1, 6) g',
  '["customer-", "2026-01-01 00:00:00+00"]') AS rows_inserted;

-- Query any store: one jsonb object per row, parameters bound, never spliced.
SELECT * FROM ds_query('local',
  'SELECT customer, count(*) AS orders, sum(amount) AS total FROM orders
    WHERE placed >= $1 GROUP BY customer ORDER BY customer',
  '["2026-01-01 02:00:00+00"]');

-- A sync step a stored procedure would run: read from one store, write to
-- another (here both are local; MySQL and StarRocks stores plug in the same way).
CREATE TABLE customer_totals (customer text PRIMARY KEY, orders int, total numeric);
CREATE PROCEDURE sync_totals() LANGUAGE plpgsql AS $$
DECLARE
	r jsonb;
	n bigint := 0;
BEGIN
	FOR r IN SELECT * FROM ds_query('local',
		'SELECT customer, count(*) AS orders, sum(amount) AS total FROM orders GROUP BY customer')
	LOOP
		n := n + ds_exec('local',
			'INSERT INTO customer_totals VALUES ($1, $2, $3)
			 ON CONFLICT (customer) DO UPDATE SET orders = EXCLUDED.orders, total = EXCLUDED.total',
			jsonb_build_array(r->'customer', r->'orders', r->'total'));
	END LOOP;
	RAISE NOTICE 'synced % customers', n;
END $$;
SET client_min_messages = notice;
CALL sync_totals();
SELECT * FROM customer_totals ORDER BY customer;

-- Errors keep the underlying SQLSTATE and say which store failed.
\set VERBOSITY default
SELECT * FROM ds_query('local', 'SELECT * FROM no_such_table');
