-- StarRocks table models, as loads see them: a Primary Key table upserts
-- (the last row of a key wins) and deletes the keys whose __op is 1
-- (from a JSON array, from CSV through the columns header, from a local
-- query through ds_sync); partial_update changes only the columns sent;
-- Duplicate Key appends, Unique Key replaces, Aggregate Key aggregates.
-- A transaction load that upserts and deletes shows nothing before the
-- local COMMIT.  Every statement is StarRocks SQL, sent through the
-- emulator's MySQL front.
\set ECHO none
\o /dev/null
\getenv sr_port DS_SR_MYSQL_PORT
\getenv fe_port DS_SR_FE_PORT
\getenv my_user DS_MYSQL_USER
\getenv my_password DS_MYSQL_PASSWORD
\getenv sr_db DS_SR_DATABASE
SELECT ds_register('srm', 'starrocks', host => '127.0.0.1', port => :sr_port,
                   "user" => :'my_user', password => :'my_password', database => :'sr_db',
                   http_port => :fe_port);
\o
\set ECHO all
-- What a load answered, without the parts that differ from run to run.
CREATE FUNCTION load_counts(r jsonb) RETURNS jsonb LANGUAGE sql AS $$
	SELECT jsonb_build_object('Status', r->'Status', 'NumberTotalRows', r->'NumberTotalRows',
	                          'NumberLoadedRows', r->'NumberLoadedRows',
	                          'NumberFilteredRows', r->'NumberFilteredRows')
$$;
CREATE FUNCTION sr_rows(q text) RETURNS SETOF jsonb LANGUAGE sql AS $$
	SELECT j FROM ds_query('srm', q) j
$$;

-- Primary Key: the same keys loaded twice leave two rows, with the second values.
SELECT ds_exec('srm', 'DROP TABLE IF EXISTS m_pk');
SELECT ds_exec('srm', $$CREATE TABLE m_pk (id INT NOT NULL, name VARCHAR(20), qty INT NOT NULL DEFAULT "0")
                        PRIMARY KEY (id) DISTRIBUTED BY HASH (id) BUCKETS 1
                        PROPERTIES ("replication_num" = "1")$$);
SELECT load_counts(ds_stream_load('srm', 'm_pk', '[{"id": 1, "name": "a", "qty": 1}, {"id": 2, "name": "b", "qty": 2}]'));
SELECT load_counts(ds_stream_load('srm', 'm_pk', '[{"id": 1, "name": "a2", "qty": 10}, {"id": 2, "name": "b2", "qty": 20}]'));
SELECT * FROM sr_rows('SELECT id, name, qty FROM m_pk ORDER BY id');
-- Within one load the last row of a key wins, in CSV (a local query) as in JSON.
SELECT load_counts(ds_stream_load_query('srm', 'm_pk',
  $$SELECT * FROM (VALUES (3, 'c', 3), (3, 'c-last', 30), (4, 'd', 4)) v(id, name, qty)$$));
SELECT load_counts(ds_stream_load('srm', 'm_pk', '[{"id": 4, "name": "d", "qty": 4}, {"id": 4, "name": "d-last", "qty": 40}]',
                                  '{"format": "json"}'));
SELECT * FROM sr_rows('SELECT id, name, qty FROM m_pk ORDER BY id');

-- Deletes: __op 1 deletes by key, 0 upserts; deleted rows count as loaded.
-- A delete needs only the key; options->'columns' lets the objects differ.
SELECT load_counts(ds_stream_load('srm', 'm_pk', '[{"id": 1, "__op": 1}, {"id": 5, "name": "e", "qty": 5, "__op": 0}]',
                                  '{"format": "json", "columns": ["id", "name", "qty", "__op"]}'));
SELECT * FROM sr_rows('SELECT id, name, qty FROM m_pk ORDER BY id');
-- ... in CSV: a query column named __op goes into the columns header.
SELECT load_counts(ds_stream_load_query('srm', 'm_pk',
  $$SELECT 2 AS id, NULL::text AS name, 0 AS qty, 1 AS __op UNION ALL SELECT 6, 'f', 6, 0$$));
SELECT * FROM sr_rows('SELECT id, name, qty FROM m_pk ORDER BY id');
-- ... and from any store's query through ds_sync.
CREATE TABLE gone (id int);
INSERT INTO gone VALUES (3), (4);
SELECT load_counts(ds_sync('local', 'SELECT id, 1 AS __op FROM gone', 'srm', 'm_pk'));
SELECT * FROM sr_rows('SELECT id, name, qty FROM m_pk ORDER BY id');

-- partial_update: only the columns sent change; the others keep their values.
SELECT load_counts(ds_stream_load('srm', 'm_pk', '[{"id": 5, "qty": 55}]',
                                  '{"format": "json", "columns": ["id", "qty"], "partial_update": "true"}'));
SELECT load_counts(ds_stream_load_query('srm', 'm_pk', 'SELECT 6 AS id, 66 AS qty',
                                        '{"partial_update": "true"}'));
SELECT * FROM sr_rows('SELECT id, name, qty FROM m_pk ORDER BY id');

-- Duplicate Key: every row is kept, repeated keys too.
SELECT ds_exec('srm', 'DROP TABLE IF EXISTS m_dup');
SELECT ds_exec('srm', $$CREATE TABLE m_dup (id INT, note STRING) DUPLICATE KEY (id)
                        DISTRIBUTED BY HASH (id) BUCKETS 1 PROPERTIES ("replication_num" = "1")$$);
SELECT load_counts(ds_stream_load('srm', 'm_dup', '[{"id": 1, "note": "x"}, {"id": 1, "note": "y"}]'));
SELECT load_counts(ds_stream_load('srm', 'm_dup', '[{"id": 1, "note": "x"}]'));
SELECT * FROM sr_rows('SELECT id, note, COUNT(*) AS n FROM m_dup GROUP BY id, note ORDER BY note');
-- __op means something only to a Primary Key table: a CSV load naming it
-- in the columns header fails, and in JSON it is a key like any other that
-- matches no column, so the "delete" is appended.
SELECT sqlstate_of($$SELECT ds_stream_load_query('srm', 'm_dup', 'SELECT 1 AS id, 1 AS __op')$$) ~ 'needs a Primary Key table' AS op_in_csv_needs_a_primary_key_table;
SELECT load_counts(ds_stream_load('srm', 'm_dup', '[{"id": 1, "__op": 1}]', '{"format": "json"}'));
SELECT * FROM sr_rows('SELECT id, note, COUNT(*) AS n FROM m_dup GROUP BY id, note ORDER BY note');

-- Unique Key: a repeated key replaces the whole row.
SELECT ds_exec('srm', 'DROP TABLE IF EXISTS m_uniq');
SELECT ds_exec('srm', $$CREATE TABLE m_uniq (id INT, v INT, note VARCHAR(10)) UNIQUE KEY (id)
                        DISTRIBUTED BY HASH (id) BUCKETS 1 PROPERTIES ("replication_num" = "1")$$);
SELECT load_counts(ds_stream_load('srm', 'm_uniq', '[{"id": 1, "v": 1, "note": "first"}, {"id": 2, "v": 2, "note": "first"}]'));
SELECT load_counts(ds_stream_load('srm', 'm_uniq', '[{"id": 1, "v": 10, "note": null}]'));
SELECT * FROM sr_rows('SELECT id, v, note FROM m_uniq ORDER BY id');

-- Aggregate Key: each value column's aggregate (SUM, MAX, REPLACE, REPLACE_IF_NOT_NULL).
SELECT ds_exec('srm', 'DROP TABLE IF EXISTS m_agg');
SELECT ds_exec('srm', $$CREATE TABLE m_agg (day DATE, site VARCHAR(10), hits BIGINT SUM DEFAULT "0",
                                            peak INT MAX, last_note VARCHAR(20) REPLACE,
                                            last_tag VARCHAR(20) REPLACE_IF_NOT_NULL)
                        AGGREGATE KEY (day, site) DISTRIBUTED BY HASH (site) BUCKETS 1
                        PROPERTIES ("replication_num" = "1")$$);
SELECT load_counts(ds_stream_load('srm', 'm_agg', $$[
  {"day": "2026-12-01", "site": "a", "hits": 3, "peak": 7, "last_note": "n1", "last_tag": "t1"},
  {"day": "2026-12-01", "site": "a", "hits": 4, "peak": 5, "last_note": "n2", "last_tag": null},
  {"day": "2026-12-01", "site": "b", "hits": 1, "peak": 1, "last_note": "n3", "last_tag": "t3"}]$$));
SELECT load_counts(ds_stream_load_query('srm', 'm_agg',
  $$SELECT date '2026-12-01' AS day, 'a' AS site, 10 AS hits, 9 AS peak, 'n4' AS last_note, NULL::text AS last_tag$$));
SELECT * FROM sr_rows('SELECT day, site, hits, peak, last_note, last_tag FROM m_agg ORDER BY site');

-- A transaction load into a Primary Key table that upserts and deletes:
-- nothing changes on the server before the local COMMIT, all of it after.
SELECT * FROM sr_rows('SELECT id, name, qty FROM m_pk ORDER BY id');
BEGIN;
SELECT ds_stream_load('srm', 'm_pk',
  '[{"id": 5, "__op": 1}, {"id": 6, "name": "f2", "qty": 600, "__op": 0}, {"id": 7, "name": "g", "qty": 7, "__op": 0}]',
  '{"format": "json", "columns": ["id", "name", "qty", "__op"], "transaction": true, "label": "models-txn"}')->>'Status' AS status;
SELECT * FROM sr_rows('SELECT id, name, qty FROM m_pk ORDER BY id');
COMMIT;
SELECT * FROM sr_rows('SELECT id, name, qty FROM m_pk ORDER BY id');
-- ... and one that rolls back changes nothing.
BEGIN;
SELECT ds_stream_load_query('srm', 'm_pk', 'SELECT 7 AS id, 1 AS __op',
                            '{"transaction": true, "label": "models-txn-2"}')->>'Status' AS status;
ROLLBACK;
SELECT * FROM sr_rows('SELECT id, name, qty FROM m_pk ORDER BY id');
SELECT ds_load_state('srm', 'models-txn') AS committed, ds_load_state('srm', 'models-txn-2') AS rolled_back;

SELECT ds_exec('srm', 'DROP TABLE m_pk');
SELECT ds_exec('srm', 'DROP TABLE m_dup');
SELECT ds_exec('srm', 'DROP TABLE m_uniq');
SELECT ds_exec('srm', 'DROP TABLE m_agg');
SELECT ds_unregister('srm');
