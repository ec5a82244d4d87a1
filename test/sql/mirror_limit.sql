-- options->'max_delete': a mirror whose source lacks more of the target's
-- rows than it allows (a source query that broke and returns nothing, say)
-- is an ERROR before it commits, on every kind of target, and the target
-- keeps every row; within the limit it runs as any mirror.
\i test/sql/include/mysql.psql
\i test/sql/include/remote_pg.psql
\i test/sql/include/starrocks.psql
\set VERBOSITY terse
CREATE TABLE ml_src (id int PRIMARY KEY, v text);
INSERT INTO ml_src SELECT g, 'v' || g FROM generate_series(1, 10) g;
CREATE TABLE ml_t (id int PRIMARY KEY, v text);
SELECT ds_exec('pg2', 'DROP TABLE IF EXISTS ml_t');
SELECT ds_exec('pg2', 'CREATE TABLE ml_t (id int PRIMARY KEY, v text)');
SELECT ds_exec('my', 'CREATE OR REPLACE TABLE ml_t (id INT PRIMARY KEY, v TEXT)');
SELECT ds_exec('sr', 'DROP TABLE IF EXISTS ml_t');
SELECT ds_exec('sr', $$CREATE TABLE ml_t (id INT NOT NULL, v VARCHAR(20)) PRIMARY KEY (id)
                       DISTRIBUTED BY HASH (id) BUCKETS 1 PROPERTIES ("replication_num" = "1")$$);
CREATE FUNCTION ml_count(store text) RETURNS bigint LANGUAGE sql AS $$
  SELECT (r->>'n')::bigint FROM ds_query(store, 'SELECT COUNT(*) AS n FROM ml_t') r
$$;
SELECT store, ds_sync('local', 'SELECT * FROM ml_src', store, 'ml_t')->>'NumberLoadedRows' AS loaded
  FROM unnest(ARRAY['local', 'pg2', 'my', 'sr']) store;

-- The source returns nothing: a mirror would empty each target.  Refused,
-- and each still has its ten rows.
SELECT store, ml_count(store) AS rows_before FROM unnest(ARRAY['local', 'pg2', 'my', 'sr']) store;
DO $$
DECLARE
  s text;
BEGIN
  FOREACH s IN ARRAY ARRAY['local', 'pg2', 'my', 'sr'] LOOP
    BEGIN
      PERFORM ds_sync('local', 'SELECT * FROM ml_src WHERE false', s, 'ml_t',
                      '{"mode": "mirror", "max_delete": 3}');
      RAISE NOTICE '%: mirrored', s;
    EXCEPTION WHEN check_violation THEN
      RAISE NOTICE '%: refused', s;
    END;
  END LOOP;
END $$;
SELECT store, ml_count(store) AS rows_after FROM unnest(ARRAY['local', 'pg2', 'my', 'sr']) store;
-- One message, for a kind that counts its deletes and one that finds them as it sends.
SELECT ds_sync('local', 'SELECT * FROM ml_src WHERE id > 5', 'pg2', 'ml_t', '{"mode": "mirror", "max_delete": 4}');
\set VERBOSITY default
SELECT ds_sync('local', 'SELECT * FROM ml_src WHERE id > 5', 'sr', 'ml_t', '{"mode": "mirror", "max_delete": 4}');
\set VERBOSITY terse

-- Within the limit: two rows go, as many as allowed.
UPDATE ml_src SET v = 'changed' WHERE id = 1;
SELECT store, ds_sync('local', 'SELECT * FROM ml_src WHERE id <= 8', store, 'ml_t',
                      '{"mode": "mirror", "max_delete": 2}') ->> 'NumberDeletedRows' AS deleted
  FROM unnest(ARRAY['local', 'pg2', 'my', 'sr']) store;
-- (a StarRocks transaction load commits with the statement's transaction)
SELECT store, ml_count(store) AS rows_after FROM unnest(ARRAY['local', 'pg2', 'my', 'sr']) store;
SELECT count(*) AS differ FROM ds_diff('local', 'SELECT * FROM ml_src WHERE id <= 8', 'my', 'SELECT * FROM ml_t', '{id}');
-- 0 allows none: a mirror with nothing to delete runs.
SELECT ds_sync('local', 'SELECT * FROM ml_src WHERE id <= 8', 'local', 'ml_t',
               '{"mode": "mirror", "max_delete": 0}') ->> 'NumberDeletedRows' AS deleted;

-- A MariaDB table that is not transactional (Aria keeps what a later
-- ERROR would undo): the deletes are counted before any runs, so it too
-- keeps every row.
SELECT ds_exec('my', 'CREATE OR REPLACE TABLE ml_aria (id INT PRIMARY KEY, v TEXT) ENGINE = Aria TRANSACTIONAL = 0');
SELECT ds_sync('local', 'SELECT * FROM ml_src', 'my', 'ml_aria')->>'NumberLoadedRows' AS loaded;
SELECT ds_sync('local', 'SELECT * FROM ml_src WHERE id > 5', 'my', 'ml_aria', '{"mode": "mirror", "max_delete": 4}');
SELECT r->>'n' AS rows_after FROM ds_query('my', 'SELECT COUNT(*) AS n FROM ml_aria') r;
SELECT ds_exec('my', 'DROP TABLE ml_aria');

-- What the option takes.
SELECT ds_sync('local', 'SELECT * FROM ml_src', 'local', 'ml_t', '{"mode": "upsert", "max_delete": 3}');
SELECT ds_sync('local', 'SELECT * FROM ml_src', 'local', 'ml_t', '{"max_delete": 3}');
SELECT ds_sync('local', 'SELECT * FROM ml_src', 'local', 'ml_t', '{"mode": "mirror", "max_delete": -1}');
SELECT ds_sync('local', 'SELECT * FROM ml_src', 'local', 'ml_t', '{"mode": "mirror", "max_delete": 1.5}');
SELECT ds_sync('local', 'SELECT * FROM ml_src', 'local', 'ml_t', '{"mode": "mirror", "max_delete": "3"}');

SELECT ds_exec('pg2', 'DROP TABLE ml_t');
SELECT ds_exec('my', 'DROP TABLE ml_t');
SELECT ds_exec('sr', 'DROP TABLE ml_t');
DROP TABLE ml_src, ml_t;
DROP FUNCTION ml_count(text);
