-- Loads by key into StarRocks: options->'mode' upsert, delete and mirror,
-- StarRocks' own way (a Primary Key table upserts by key, __op 1 deletes),
-- the final state read back with ds_query; what StarRocks cannot do is an
-- ERROR; a mirror that fails midway leaves the table as it was.
\set SHOW_CONTEXT never
SET timezone = 'UTC';
\set ECHO none
\o /dev/null
\getenv sr_port DS_SR_MYSQL_PORT
\getenv fe_port DS_SR_FE_PORT
\getenv my_user DS_MYSQL_USER
\getenv my_password DS_MYSQL_PASSWORD
\getenv sr_db DS_SR_DATABASE
SELECT ds_register('srmodes', 'starrocks', host => '127.0.0.1', port => :sr_port,
                   "user" => :'my_user', password => :'my_password', database => :'sr_db',
                   http_port => :fe_port);
\o
\set ECHO all

-- The target: a Primary Key table (StarRocks SQL through the emulator's
-- MySQL front); a NOT NULL value column without a default, a short VARCHAR.
SELECT ds_exec('srmodes', 'DROP TABLE IF EXISTS srmodes_t');
SELECT ds_exec('srmodes', $$CREATE TABLE srmodes_t (id INT NOT NULL, v VARCHAR(10) NOT NULL, n INT)
                            PRIMARY KEY (id) DISTRIBUTED BY HASH (id) BUCKETS 1
                            PROPERTIES ("replication_num" = "1")$$);
CREATE TABLE srmodes_start (id int, v text, n int);
INSERT INTO srmodes_start VALUES (1, 'one', 1), (2, 'two', 2), (3, 'three', 3), (4, 'four', 4);
CREATE FUNCTION srmodes_rows() RETURNS SETOF text LANGUAGE sql AS $$
  SELECT r::text FROM ds_query('srmodes', 'SELECT id, v, n FROM srmodes_t ORDER BY id') r
$$;
CREATE FUNCTION srmodes_reset() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ds_exec('srmodes', 'TRUNCATE TABLE srmodes_t');
  PERFORM ds_stream_load_query('srmodes', 'srmodes_t', 'SELECT * FROM srmodes_start');
END $$;
-- The load's result without what varies from run to run.
CREATE FUNCTION srmodes_result(r jsonb) RETURNS jsonb LANGUAGE sql AS $$
  SELECT jsonb_strip_nulls(jsonb_build_object(
    'Mode', r->'Mode', 'Status', r->'Status', 'NumberTotalRows', r->'NumberTotalRows',
    'NumberLoadedRows', r->'NumberLoadedRows', 'NumberFilteredRows', r->'NumberFilteredRows',
    'NumberInsertedRows', r->'NumberInsertedRows', 'NumberUpdatedRows', r->'NumberUpdatedRows',
    'NumberDeletedRows', r->'NumberDeletedRows', 'NumberOfLoads', r->'NumberOfLoads',
    'Message', r->'Message'))
$$;
SELECT srmodes_reset();

-- upsert: a plain load, which the Primary Key table applies by key: 3
-- changed, 5 new.  StarRocks does not tell inserted from updated rows.
CREATE TABLE srmodes_src (id int, v text, n int);
INSERT INTO srmodes_src VALUES (2, 'two', 2), (3, 'THREE', 33), (5, 'five', 5);
SELECT srmodes_result(ds_stream_load_query('srmodes', 'srmodes_t', 'SELECT * FROM srmodes_src',
                                         '{"mode": "upsert"}'));
SELECT * FROM srmodes_rows();
-- ... in JSON, in batches, and in a transaction load: the same
SELECT srmodes_result(ds_stream_load('srmodes', 'srmodes_t', '[{"id": 5, "v": "FIVE", "n": 55}, {"id": 6, "v": "six", "n": 6}]',
                                   '{"mode": "upsert", "format": "json", "batch_rows": 1}'));
BEGIN;
SELECT srmodes_result(ds_stream_load('srmodes', 'srmodes_t', '[{"id": 6, "v": "SIX", "n": 66}]',
                                   '{"mode": "upsert", "transaction": true, "key": "id"}'));
COMMIT;
SELECT * FROM srmodes_rows();

-- delete: the rows are keys (other columns may come along); __op 1 for
-- every row, only the key sent.  A key the table lacks deletes nothing,
-- and StarRocks does not say how many it had: no NumberDeletedRows.
SELECT srmodes_result(ds_stream_load('srmodes', 'srmodes_t', '[{"id": 1}, {"id": 99}]', '{"mode": "delete"}'));
SELECT srmodes_result(ds_stream_load_query('srmodes', 'srmodes_t', $$SELECT 6 AS id, 'ignored' AS v$$,
                                         '{"mode": "delete", "format": "json"}'));
SELECT * FROM srmodes_rows();

-- mirror: the rows with __op 0, then the table's rows whose key they lack
-- with __op 1, in one StarRocks transaction: 4 and 5 deleted, 3 updated,
-- 7 new.  The deletes counted are exactly the keys found missing.
SELECT srmodes_reset();
TRUNCATE srmodes_src;
INSERT INTO srmodes_src VALUES (1, 'one', 1), (2, 'two', NULL), (3, 'three!', 3), (7, 'seven', 7);
SELECT ds_stream_load_query('srmodes', 'srmodes_t', $$SELECT 5 AS id, 'five' AS v, 5 AS n$$) ->> 'Status' AS status;
SELECT * FROM srmodes_rows();
SELECT srmodes_result(ds_sync('local', 'SELECT * FROM srmodes_src', 'srmodes', 'srmodes_t', '{"mode": "mirror"}'));
SELECT * FROM srmodes_rows();
SELECT count(*) AS differ FROM ds_diff('local', 'SELECT * FROM srmodes_src', 'srmodes', 'SELECT * FROM srmodes_t', '{id}');
-- the same mirror again deletes nothing, and leaves the table as it is
SELECT srmodes_result(ds_sync('local', 'SELECT * FROM srmodes_src', 'srmodes', 'srmodes_t', '{"mode": "mirror"}'));
SELECT * FROM srmodes_rows();
-- a mirror inside a local transaction is visible at its COMMIT, and gone with a ROLLBACK
BEGIN;
SELECT srmodes_result(ds_stream_load('srmodes', 'srmodes_t', '[{"id": 1, "v": "only", "n": 0}]',
                                   '{"mode": "mirror", "format": "json"}'));
SELECT count(*) AS rows_before_commit FROM srmodes_rows();
ROLLBACK;
SELECT * FROM srmodes_rows();
-- in batches of one transaction: the rows and the deletes are loads of it
SELECT srmodes_result(ds_stream_load_query('srmodes', 'srmodes_t', 'SELECT * FROM srmodes_src WHERE id <> 7',
                                         '{"mode": "mirror", "transaction": true, "batch_rows": 2}'));
SELECT * FROM srmodes_rows();
-- a mirror of no rows empties the table; then one of no rows into an empty table does nothing
SELECT srmodes_result(ds_stream_load_query('srmodes', 'srmodes_t', 'SELECT * FROM srmodes_src WHERE false',
                                         '{"mode": "mirror"}'));
SELECT count(*) AS left_rows FROM srmodes_rows();
SELECT srmodes_result(ds_stream_load('srmodes', 'srmodes_t', '[]', '{"mode": "mirror", "columns": "id,v,n"}'));
-- (without columns, an empty array names no key)
SELECT ds_stream_load('srmodes', 'srmodes_t', '[]', '{"mode": "mirror"}');

-- A failure midway changes nothing: the last row is filtered by StarRocks
-- (a value too long for VARCHAR(10); max_filter_ratio 0), after the rows
-- and the deletes were sent: the whole transaction is rolled back, the
-- deletes included.
SELECT srmodes_reset();
INSERT INTO srmodes_src VALUES (8, 'far too long for ten', 8);
\set VERBOSITY terse
SELECT ds_sync('local', 'SELECT * FROM srmodes_src ORDER BY id', 'srmodes', 'srmodes_t',
               '{"mode": "mirror", "label": "modes-too-long"}');
SELECT * FROM srmodes_rows();
-- ... and a value that is not a number
SELECT ds_stream_load('srmodes', 'srmodes_t', '[{"id": 1, "v": "one", "n": "x"}]',
                      '{"mode": "mirror", "label": "modes-not-a-number"}');
\set VERBOSITY default
SELECT * FROM srmodes_rows();
SELECT ds_load_state('srmodes', 'modes-too-long') AS too_long, ds_load_state('srmodes', 'modes-not-a-number') AS nan;
-- A key twice among the rows of a mirror: which would win is not defined.
SELECT ds_stream_load('srmodes', 'srmodes_t', '[{"id": 1, "v": "a", "n": 1}, {"id": 1, "v": "b", "n": 2}]',
                      '{"mode": "mirror"}');
SELECT * FROM srmodes_rows();
DELETE FROM srmodes_src WHERE id = 8;

-- ds_sync local -> StarRocks, mode mirror, into a table ds_create_table
-- made from the local one (a Primary Key table, from its primary key).
CREATE TABLE srmodes_local (k text PRIMARY KEY, d date, x numeric(6,2));
INSERT INTO srmodes_local VALUES ('a', '2026-01-01', 1.5), ('b', '2026-01-02', NULL), ('c', NULL, 3);
SELECT ds_exec('srmodes', 'DROP TABLE IF EXISTS srmodes_synced');
SELECT ds_create_table('local', 'public.srmodes_local', 'srmodes', 'srmodes_synced',
                       '{"properties": {"replication_num": "1"}}');
SELECT srmodes_result(ds_sync('local', 'SELECT * FROM srmodes_local', 'srmodes', 'srmodes_synced', '{"mode": "mirror"}'));
DELETE FROM srmodes_local WHERE k = 'b';
UPDATE srmodes_local SET x = 30 WHERE k = 'c';
INSERT INTO srmodes_local VALUES ('d', '2026-01-04', 4);
SELECT srmodes_result(ds_sync('local', 'SELECT * FROM srmodes_local', 'srmodes', 'srmodes_synced', '{"mode": "mirror"}'));
SELECT r::text FROM ds_query('srmodes', 'SELECT k, d, x FROM srmodes_synced ORDER BY k') r;
SELECT * FROM ds_diff('local', 'SELECT * FROM srmodes_local', 'srmodes', 'SELECT * FROM srmodes_synced', '{k}');

-- What StarRocks cannot do is an ERROR before anything is sent.
-- A Duplicate Key table keeps every row: no upsert, delete or mirror.
SELECT ds_exec('srmodes', 'DROP TABLE IF EXISTS srmodes_dup');
SELECT ds_exec('srmodes', $$CREATE TABLE srmodes_dup (id INT, v VARCHAR(10)) DUPLICATE KEY (id)
                            DISTRIBUTED BY HASH (id) BUCKETS 1 PROPERTIES ("replication_num" = "1")$$);
SELECT ds_stream_load('srmodes', 'srmodes_dup', '[{"id": 1, "v": "a"}]', '{"mode": "upsert"}');
SELECT ds_sync('local', 'SELECT * FROM srmodes_src', 'srmodes', 'srmodes_dup', '{"mode": "mirror"}');
-- ... and the emulator refuses __op on it, as StarRocks does
\set VERBOSITY terse
SELECT ds_stream_load_query('srmodes', 'srmodes_dup', 'SELECT 1 AS id, 1 AS __op', '{"label": "modes-dup-op"}');
-- (and, as StarRocks' planner does, a load lacking a NOT NULL column
-- without a default, unless it is a partial update: why a delete by key
-- alone is sent as one)
SELECT ds_stream_load('srmodes', 'srmodes_t', '[{"id": 1, "__op": 1}]',
                      '{"format": "json", "columns": ["id", "__op"], "label": "modes-no-default"}');
\set VERBOSITY default
-- A Unique Key table replaces by key (upsert works) but cannot delete.
SELECT ds_exec('srmodes', 'DROP TABLE IF EXISTS srmodes_uniq');
SELECT ds_exec('srmodes', $$CREATE TABLE srmodes_uniq (id INT NOT NULL, v VARCHAR(10)) UNIQUE KEY (id)
                            DISTRIBUTED BY HASH (id) BUCKETS 1 PROPERTIES ("replication_num" = "1")$$);
SELECT srmodes_result(ds_stream_load('srmodes', 'srmodes_uniq', '[{"id": 1, "v": "a"}, {"id": 1, "v": "b"}]', '{"mode": "upsert"}'));
SELECT * FROM ds_query('srmodes', 'SELECT id, v FROM srmodes_uniq');
SELECT ds_stream_load('srmodes', 'srmodes_uniq', '[{"id": 1}]', '{"mode": "delete"}');
-- options->'key' must be the table's primary key, which StarRocks upserts by.
SELECT ds_stream_load('srmodes', 'srmodes_t', '[{"id": 1, "v": "a", "n": 1}]', '{"mode": "upsert", "key": "v"}');
SELECT ds_stream_load('srmodes', 'srmodes_t', '[{"id": 1, "v": "a", "n": 1}]', '{"mode": "upsert", "key": ["id", "v"]}');
-- The key must be loaded.
SELECT ds_stream_load('srmodes', 'srmodes_t', '[{"v": "a"}]', '{"mode": "delete"}');
-- The mode decides __op.
SELECT ds_stream_load_query('srmodes', 'srmodes_t', 'SELECT 1 AS id, 1 AS __op', '{"mode": "delete"}');
-- Options that would break the mirror's guarantee: batches committed one
-- by one, rows left out or loaded otherwise than they are.
SELECT ds_sync('local', 'SELECT * FROM srmodes_src', 'srmodes', 'srmodes_t', '{"mode": "mirror", "batch_rows": 2}');
SELECT ds_sync('local', 'SELECT * FROM srmodes_src', 'srmodes', 'srmodes_t', '{"mode": "mirror", "max_filter_ratio": 0.5}');
SELECT ds_sync('local', 'SELECT * FROM srmodes_src', 'srmodes', 'srmodes_t', '{"mode": "mirror", "partial_update": "true"}');
SELECT ds_sync('local', 'SELECT * FROM srmodes_src', 'srmodes', 'srmodes_t', '{"mode": "mirror", "where": "id > 1"}');
SELECT * FROM srmodes_rows();

-- Keys compare as StarRocks stores them (numbers from the source into a
-- VARCHAR key are the same keys), and memory stays bounded: 20000 rows
-- with work_mem at 64 kB, so both sorts of keys spill to disk.
SELECT ds_exec('srmodes', 'DROP TABLE IF EXISTS srmodes_big');
SELECT ds_exec('srmodes', $$CREATE TABLE srmodes_big (k VARCHAR(20) NOT NULL, v INT NOT NULL) PRIMARY KEY (k)
                            DISTRIBUTED BY HASH (k) BUCKETS 1 PROPERTIES ("replication_num" = "1")$$);
SET work_mem = '64kB';
SELECT srmodes_result(ds_stream_load_query('srmodes', 'srmodes_big', 'SELECT g AS k, g AS v FROM generate_series(1, 20000) g',
                                           '{"mode": "mirror"}'));
SELECT srmodes_result(ds_stream_load_query('srmodes', 'srmodes_big', 'SELECT g AS k, -g AS v FROM generate_series(5001, 25000) g',
                                           '{"mode": "mirror"}'));
RESET work_mem;
SELECT * FROM ds_query('srmodes', 'SELECT COUNT(*) AS n, MIN(v) AS lo, MAX(v) AS hi, SUM(v) AS s FROM srmodes_big');

SELECT ds_exec('srmodes', 'DROP TABLE srmodes_big');
SELECT ds_exec('srmodes', 'DROP TABLE srmodes_t');
SELECT ds_exec('srmodes', 'DROP TABLE srmodes_dup');
SELECT ds_exec('srmodes', 'DROP TABLE srmodes_uniq');
SELECT ds_exec('srmodes', 'DROP TABLE srmodes_synced');
SELECT ds_unregister('srmodes');
DROP TABLE srmodes_start, srmodes_src, srmodes_local;
DROP FUNCTION srmodes_rows(), srmodes_reset(), srmodes_result(jsonb);
