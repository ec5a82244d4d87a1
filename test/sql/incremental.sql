-- The incremental sync of docs/sync.md under concurrent writers.  An
-- AUTO_INCREMENT id (or a sequence) is handed out in insert order, not in
-- commit order: a watermark on the id alone skips, for good, a row whose
-- transaction commits after a later id was synced.  Re-reading a window of
-- ids below the watermark with mode upsert catches it; a nightly mirror
-- catches deletes and updates of old rows.  Both on a MySQL source and on
-- a remote PostgreSQL one, into local tables.
\set SHOW_CONTEXT never
\getenv my_port DS_MYSQL_PORT
\getenv my_user DS_MYSQL_USER
\getenv my_password DS_MYSQL_PASSWORD
\getenv my_db DS_MYSQL_DATABASE
\getenv pg2_host DS_PG2_HOST
\getenv pg2_port DS_PG2_PORT
\getenv pg2_user DS_PG2_USER
\getenv pg2_password DS_PG2_PASSWORD
\getenv pg2_db DS_PG2_DATABASE
-- Two stores on each server: two sessions, so that one holds a transaction
-- open while the other commits.
SELECT ds_register('inc_my', 'mysql', host => '127.0.0.1', port => :my_port,
                   "user" => :'my_user', password => :'my_password', database => :'my_db');
SELECT ds_register('inc_my2', 'mysql', host => '127.0.0.1', port => :my_port,
                   "user" => :'my_user', password => :'my_password', database => :'my_db');
SELECT ds_register('inc_pg', 'postgres', host => :'pg2_host', port => :pg2_port,
                   "user" => :'pg2_user', password => :'pg2_password', database => :'pg2_db');
SELECT ds_register('inc_pg2', 'postgres', host => :'pg2_host', port => :pg2_port,
                   "user" => :'pg2_user', password => :'pg2_password', database => :'pg2_db');

SELECT ds_exec('inc_my', 'DROP TABLE IF EXISTS inc_orders');
SELECT ds_exec('inc_my', 'CREATE TABLE inc_orders (id bigint AUTO_INCREMENT PRIMARY KEY, v varchar(20))');
SELECT ds_exec('inc_pg', 'DROP TABLE IF EXISTS inc_orders');
SELECT ds_exec('inc_pg', 'CREATE TABLE inc_orders (id bigserial PRIMARY KEY, v varchar(20))');

-- The targets, made from the sources; one synced by the id alone, one with
-- a window.
SELECT ds_create_table('inc_my', 'inc_orders', 'local', 'inc_my_idonly');
SELECT ds_create_table('inc_my', 'inc_orders', 'local', 'inc_my_window');
SELECT ds_create_table('inc_pg', 'inc_orders', 'local', 'inc_pg_idonly');
SELECT ds_create_table('inc_pg', 'inc_orders', 'local', 'inc_pg_window');

CREATE TABLE inc_watermark (job text PRIMARY KEY, last_id bigint NOT NULL);
INSERT INTO inc_watermark VALUES ('inc_my_idonly', 0), ('inc_my_window', 0),
                                 ('inc_pg_idonly', 0), ('inc_pg_window', 0);

-- docs/sync.md's procedure, with the source's queries as arguments: the
-- ids up to the source's highest, from <overlap> below the watermark, upserted.
CREATE PROCEDURE inc_sync(job text, source text, max_sql text, rows_sql text, overlap bigint)
LANGUAGE plpgsql AS $$
DECLARE
	low bigint;
	high bigint;
	r jsonb;
BEGIN
	SELECT w.last_id INTO low FROM inc_watermark w WHERE w.job = inc_sync.job FOR UPDATE;
	SELECT (q->>'high')::bigint INTO high FROM ds_query(source, max_sql) q;
	high := greatest(low, coalesce(high, 0));
	r := ds_sync(source, rows_sql, 'local', job, '{"mode": "upsert"}',
	             jsonb_build_array(greatest(low - overlap, 0), high));
	UPDATE inc_watermark w SET last_id = high WHERE w.job = inc_sync.job;
	RAISE NOTICE '%: ids above % up to %: % inserted, % updated', job, greatest(low - overlap, 0), high,
		r->>'NumberInsertedRows', r->>'NumberUpdatedRows';
END
$$;
CREATE PROCEDURE inc_sync_all() LANGUAGE plpgsql AS $$
DECLARE
	my_max text := 'SELECT max(id) AS high FROM inc_orders';
	my_rows text := 'SELECT id, v FROM inc_orders WHERE id > ? AND id <= ?';
	pg_rows text := 'SELECT id, v FROM inc_orders WHERE id > $1 AND id <= $2';
BEGIN
	CALL inc_sync('inc_my_idonly', 'inc_my', my_max, my_rows, 0);
	CALL inc_sync('inc_my_window', 'inc_my', my_max, my_rows, 5);
	CALL inc_sync('inc_pg_idonly', 'inc_pg', my_max, pg_rows, 0);
	CALL inc_sync('inc_pg_window', 'inc_pg', my_max, pg_rows, 5);
END
$$;
CREATE FUNCTION inc_diff(source text, target text) RETURNS SETOF text LANGUAGE sql AS $$
  SELECT format('%s %s', d.key->>'id', d.status)
    FROM ds_diff(source, 'SELECT id, v FROM inc_orders', 'local',
                 format('SELECT id, v FROM %I', target), '{id}') d ORDER BY 1
$$;

-- Ten rows, synced.
SELECT ds_exec('inc_my', 'INSERT INTO inc_orders (v) VALUES ' ||
               (SELECT string_agg(format('(''r%s'')', i), ', ') FROM generate_series(1, 10) i));
SELECT ds_exec('inc_pg', 'INSERT INTO inc_orders (v) SELECT ''r'' || i FROM generate_series(1, 10) i');
CALL inc_sync_all();

-- A writer takes id 11 and has not committed when another commits id 12
-- and the sync runs; then it commits.
SELECT ds_exec('inc_my2', 'START TRANSACTION');
SELECT ds_exec('inc_my2', 'INSERT INTO inc_orders (v) VALUES (''slow'')');
SELECT ds_exec('inc_my', 'INSERT INTO inc_orders (v) VALUES (''fast'')');
SELECT ds_exec('inc_pg2', 'BEGIN');
SELECT ds_exec('inc_pg2', 'INSERT INTO inc_orders (v) VALUES (''slow'')');
SELECT ds_exec('inc_pg', 'INSERT INTO inc_orders (v) VALUES (''fast'')');
CALL inc_sync_all();
SELECT ds_exec('inc_my2', 'COMMIT');
SELECT ds_exec('inc_pg2', 'COMMIT');
CALL inc_sync_all();

-- By the id alone, id 11 is lost for good; the window has every row.
SELECT * FROM inc_diff('inc_my', 'inc_my_idonly');
SELECT * FROM inc_diff('inc_my', 'inc_my_window');
SELECT * FROM inc_diff('inc_pg', 'inc_pg_idonly');
SELECT * FROM inc_diff('inc_pg', 'inc_pg_window');
CALL inc_sync_all();
SELECT * FROM inc_diff('inc_my', 'inc_my_idonly');

-- An update of an old row and a delete are beyond any window: the nightly
-- mirror brings them, and the row the id alone lost.
SELECT ds_exec('inc_my', 'UPDATE inc_orders SET v = ''changed'' WHERE id = 2');
SELECT ds_exec('inc_my', 'DELETE FROM inc_orders WHERE id = 3');
SELECT ds_exec('inc_pg', 'UPDATE inc_orders SET v = ''changed'' WHERE id = 2');
SELECT ds_exec('inc_pg', 'DELETE FROM inc_orders WHERE id = 3');
CALL inc_sync_all();
SELECT * FROM inc_diff('inc_my', 'inc_my_window');
SELECT * FROM inc_diff('inc_pg', 'inc_pg_window');
SELECT r - 'LoadTimeMs' - 'LoadBytes' - 'Format' AS nightly
  FROM ds_sync('inc_my', 'SELECT id, v FROM inc_orders', 'local', 'inc_my_idonly', '{"mode": "mirror", "max_delete": 100}') r;
SELECT r - 'LoadTimeMs' - 'LoadBytes' - 'Format' AS nightly
  FROM ds_sync('inc_my', 'SELECT id, v FROM inc_orders', 'local', 'inc_my_window', '{"mode": "mirror", "max_delete": 100}') r;
SELECT r - 'LoadTimeMs' - 'LoadBytes' - 'Format' AS nightly
  FROM ds_sync('inc_pg', 'SELECT id, v FROM inc_orders', 'local', 'inc_pg_window', '{"mode": "mirror", "max_delete": 100}') r;
SELECT * FROM inc_diff('inc_my', 'inc_my_idonly');
SELECT * FROM inc_diff('inc_my', 'inc_my_window');
SELECT * FROM inc_diff('inc_pg', 'inc_pg_window');
SELECT * FROM inc_my_window ORDER BY id;

DROP PROCEDURE inc_sync_all(), inc_sync(text, text, text, text, bigint);
DROP FUNCTION inc_diff(text, text);
DROP TABLE inc_watermark, inc_my_idonly, inc_my_window, inc_pg_idonly, inc_pg_window;
SELECT ds_exec('inc_my', 'DROP TABLE inc_orders');
SELECT ds_exec('inc_pg', 'DROP TABLE inc_orders');
SELECT ds_unregister(s) FROM unnest('{inc_my,inc_my2,inc_pg,inc_pg2}'::text[]) s;
