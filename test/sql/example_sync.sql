-- The incremental sync procedure of docs/sync.md, exercised: a watermark
-- table, a batch query, an atomic load and the watermark update, which
-- either all happen or none does.
\set SHOW_CONTEXT never
\set VERBOSITY terse
\getenv sr_port DS_SR_MYSQL_PORT
\getenv my_user DS_MYSQL_USER
\getenv my_password DS_MYSQL_PASSWORD
\getenv fe_port DS_SR_FE_PORT
\getenv sr_db DS_SR_DATABASE
SELECT ds_register('ex_local', 'postgres', database => current_database());
SELECT ds_register('ex_olap', 'starrocks', host => '127.0.0.1', port => :sr_port,
                   "user" => :'my_user', password => :'my_password', database => :'sr_db',
                   http_port => :fe_port);
SELECT ds_exec('ex_olap', 'DROP TABLE IF EXISTS orders');
-- A Duplicate Key table: each batch appends, and a batch loaded twice would
-- show in the counts below.
SELECT ds_exec('ex_olap', 'CREATE TABLE orders (id BIGINT NOT NULL, customer VARCHAR(20), amount DECIMAL(12,2))
  DUPLICATE KEY (id) DISTRIBUTED BY HASH (id) BUCKETS 1 PROPERTIES ("replication_num" = "1")');

-- The source and the watermark (docs/sync.md shows exactly this).
CREATE TABLE orders (id bigserial PRIMARY KEY, customer text NOT NULL, amount numeric(12,2) NOT NULL);
CREATE TABLE sync_watermark (job text PRIMARY KEY, last_id bigint NOT NULL, synced_at timestamptz);
INSERT INTO sync_watermark VALUES ('orders', 0, NULL);

CREATE PROCEDURE sync_orders(batch_size int DEFAULT 1000)
LANGUAGE plpgsql AS $$
DECLARE
	low  bigint;
	high bigint;
	result jsonb;
BEGIN
	LOOP
		SELECT last_id INTO low FROM sync_watermark WHERE job = 'orders' FOR UPDATE;
		SELECT max(id) INTO high
		  FROM (SELECT id FROM orders WHERE id > low ORDER BY id LIMIT batch_size) b;
		EXIT WHEN high IS NULL;
		-- The label names the batch: a retry of the same batch loads nothing twice.
		result := ds_sync('ex_local', 'SELECT id, customer, amount FROM orders WHERE id > $1 AND id <= $2',
		                  'ex_olap', 'orders',
		                  jsonb_build_object('transaction', true, 'label', format('orders-%s-%s', low, high)),
		                  jsonb_build_array(low, high));
		UPDATE sync_watermark SET last_id = high, synced_at = now() WHERE job = 'orders';
		RAISE NOTICE 'orders % to %: %', low + 1, high, result->>'Status';
		-- StarRocks commits here, in the local commit's pre-commit, with the watermark.
		COMMIT;
	END LOOP;
END
$$;

CREATE FUNCTION olap_orders() RETURNS TABLE(n bigint, total numeric) LANGUAGE sql AS
$$ SELECT (r->>'n')::bigint, (r->>'total')::numeric
     FROM ds_query('ex_olap', 'SELECT COUNT(*) AS n, COALESCE(SUM(amount), 0) AS total FROM orders') r $$;

-- Three batches, then nothing to do.
INSERT INTO orders (customer, amount) SELECT 'c' || (g % 7), g FROM generate_series(1, 25) g;
CALL sync_orders(10);
SELECT * FROM olap_orders();
SELECT last_id FROM sync_watermark;
CALL sync_orders(10);

-- A batch StarRocks refuses (a customer name too long for its column):
-- the procedure stops with an ERROR, the watermark stays where it was, and
-- nothing of the batch is visible.
INSERT INTO orders (customer, amount) VALUES ('a name far too long for varchar(20)', 1), ('ok', 2);
CALL sync_orders(10);
SELECT * FROM olap_orders();
SELECT last_id FROM sync_watermark;
-- Fixed at the source, the next run picks the batch up again.
UPDATE orders SET customer = 'shortened' WHERE id = 26;
CALL sync_orders(10);
SELECT * FROM olap_orders();
SELECT last_id FROM sync_watermark;

-- The remaining window: StarRocks committed and the local commit did not
-- happen (a crash between the two).  Here the batch the procedure would
-- load next is committed by hand, without moving the watermark.  The next
-- run finds its label already loaded, loads nothing twice, and moves on.
INSERT INTO orders (customer, amount) VALUES ('late', 5);
BEGIN;
SELECT ds_sync('ex_local', 'SELECT id, customer, amount FROM orders WHERE id > $1 AND id <= $2',
               'ex_olap', 'orders', '{"transaction": true, "label": "orders-27-28"}', '[27, 28]')->>'Status' AS status;
COMMIT;
SELECT * FROM olap_orders();
CALL sync_orders(10);
SELECT * FROM olap_orders();
SELECT last_id FROM sync_watermark;

SELECT ds_exec('ex_olap', 'DROP TABLE orders');
SELECT ds_unregister('ex_local'), ds_unregister('ex_olap');
