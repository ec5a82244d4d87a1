-- Loads by key into PostgreSQL, local and remote: options->'mode' upsert,
-- delete and mirror, with the counts of the rows each changed, and a load
-- that fails midway changing nothing.
\set SHOW_CONTEXT never
SET timezone = 'UTC';
\getenv pg2_host DS_PG2_HOST
\getenv pg2_port DS_PG2_PORT
\getenv pg2_user DS_PG2_USER
\getenv pg2_password DS_PG2_PASSWORD
\getenv pg2_db DS_PG2_DATABASE
SELECT ds_register('modes_pg2', 'postgres', host => :'pg2_host', port => :pg2_port,
                   "user" => :'pg2_user', password => :'pg2_password', database => :'pg2_db');

-- The same target on both: four rows, a json column (no equality operator)
-- and a CHECK that a later load breaks.
CREATE TABLE modes_t (id int PRIMARY KEY, v text, n numeric(10,2), j json,
                      CHECK (n IS DISTINCT FROM -1));
SELECT ds_exec('modes_pg2', 'DROP TABLE IF EXISTS modes_t');
SELECT ds_exec('modes_pg2', 'CREATE TABLE modes_t (id int PRIMARY KEY, v text, n numeric(10,2), j json,
                             CHECK (n IS DISTINCT FROM -1))');
CREATE TABLE modes_start (id int, v text, n numeric(10,2), j json);
INSERT INTO modes_start VALUES (1, 'one', 1, '{"a": 1}'), (2, 'two', 2, '[2]'),
                               (3, 'three', 3, NULL), (4, 'four', 4, '"4"');

-- What each store's target holds, in one comparable form.
CREATE FUNCTION modes_rows(store text) RETURNS SETOF text LANGUAGE sql AS $$
  SELECT r::text FROM ds_query(store, 'SELECT id, v, n, j::text AS j FROM modes_t ORDER BY id') r
$$;
CREATE FUNCTION modes_reset(store text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ds_exec(store, 'DELETE FROM modes_t');
  PERFORM ds_stream_load_query(store, 'modes_t', 'SELECT * FROM modes_start');
END $$;
-- The load's result without the keys that vary from run to run.
CREATE FUNCTION modes_result(r jsonb) RETURNS jsonb LANGUAGE sql AS $$
  SELECT r - 'LoadTimeMs' - 'LoadBytes' - 'Format'
$$;

SELECT modes_reset('local'), modes_reset('modes_pg2');

-- upsert: 2 as it was (left alone), 3 changed, 5 new.
CREATE TABLE modes_src (id int, v text, n numeric(10,2), j json);
INSERT INTO modes_src VALUES (2, 'two', 2, '[2]'), (3, 'THREE', 3.5, '{"b": null}'),
                             (5, 'five', 5, '[5]');
SELECT modes_result(ds_stream_load_query('local', 'modes_t', 'SELECT * FROM modes_src',
                                         '{"mode": "upsert"}'));
SELECT modes_result(ds_stream_load_query('modes_pg2', 'modes_t', 'SELECT * FROM modes_src',
                                         '{"mode": "upsert"}'));
SELECT * FROM modes_rows('local');
SELECT (SELECT array_agg(x) FROM modes_rows('local') x) = (SELECT array_agg(x) FROM modes_rows('modes_pg2') x) AS same;

-- delete: the rows are keys; a key the target lacks deletes nothing.
SELECT modes_result(ds_stream_load('local', 'modes_t', '[{"id": 1}, {"id": 99}]', '{"mode": "delete"}'));
SELECT modes_result(ds_stream_load('modes_pg2', 'modes_t', '[{"id": 1}, {"id": 99}]', '{"mode": "delete"}'));
SELECT * FROM modes_rows('local');
SELECT (SELECT array_agg(x) FROM modes_rows('local') x) = (SELECT array_agg(x) FROM modes_rows('modes_pg2') x) AS same;

-- mirror: the target ends equal to the source: 4 deleted, 3 updated, 6 new.
TRUNCATE modes_src;
INSERT INTO modes_src VALUES (2, 'two', 2, '[2]'), (3, 'three again', 3, NULL),
                             (5, 'five', 5, '[5]'), (6, 'six', NULL, '{}');
SELECT modes_result(ds_sync('local', 'SELECT * FROM modes_src', 'local', 'modes_t', '{"mode": "mirror"}'));
SELECT modes_result(ds_sync('local', 'SELECT * FROM modes_src', 'modes_pg2', 'modes_t', '{"mode": "mirror"}'));
SELECT * FROM modes_rows('local');
SELECT count(*) AS differ FROM (
  (SELECT id, v, n, j::text FROM modes_src EXCEPT SELECT id, v, n, j::text FROM modes_t)
  UNION ALL
  (SELECT id, v, n, j::text FROM modes_t EXCEPT SELECT id, v, n, j::text FROM modes_src)) d;
SELECT (SELECT array_agg(x) FROM modes_rows('local') x) = (SELECT array_agg(x) FROM modes_rows('modes_pg2') x) AS same;
-- the same mirror again changes nothing
SELECT modes_result(ds_sync('local', 'SELECT * FROM modes_src', 'modes_pg2', 'modes_t', '{"mode": "mirror"}'));

-- A failure midway changes nothing: the last row breaks the CHECK in an
-- upsert, and in a mirror once its deletes have run; a key repeats.
SELECT modes_reset('local'), modes_reset('modes_pg2');
INSERT INTO modes_src VALUES (7, 'bad', -1, NULL);
SELECT ds_sync('local', 'SELECT * FROM modes_src ORDER BY id', 'local', 'modes_t', '{"mode": "upsert"}');
SELECT ds_sync('local', 'SELECT * FROM modes_src ORDER BY id', 'modes_pg2', 'modes_t', '{"mode": "upsert"}');
SELECT ds_sync('local', 'SELECT * FROM modes_src ORDER BY id', 'local', 'modes_t', '{"mode": "mirror"}');
SELECT ds_sync('local', 'SELECT * FROM modes_src ORDER BY id', 'modes_pg2', 'modes_t', '{"mode": "mirror"}');
DELETE FROM modes_src WHERE id = 7;
\set SHOW_CONTEXT always
SELECT ds_sync('local', 'SELECT * FROM modes_src UNION ALL SELECT 2, ''x'', 0, NULL', 'modes_pg2', 'modes_t', '{"mode": "mirror"}');
SELECT ds_sync('local', 'SELECT * FROM modes_src UNION ALL SELECT 2, ''x'', 0, NULL', 'local', 'modes_t', '{"mode": "mirror"}');
\set SHOW_CONTEXT never
-- both still hold modes_start's four rows
SELECT * FROM modes_rows('local');
SELECT (SELECT array_agg(x) FROM modes_rows('local') x) = (SELECT array_agg(x) FROM modes_rows('modes_pg2') x) AS same;
-- and the pooled remote connection is usable after it
SELECT * FROM ds_query('modes_pg2', 'SELECT count(*) AS n FROM modes_t');

-- A key of one's own where the target has none, and a key of two columns.
CREATE TABLE modes_nokey (a int, b text, v text, UNIQUE (a, b));
SELECT ds_exec('modes_pg2', 'DROP TABLE IF EXISTS modes_nokey');
SELECT ds_exec('modes_pg2', 'CREATE TABLE modes_nokey (a int, b text, v text, UNIQUE (a, b))');
SELECT modes_result(ds_stream_load('local', 'modes_nokey', '[{"a": 1, "b": "x", "v": "old"}]'));
SELECT modes_result(ds_stream_load('modes_pg2', 'modes_nokey', '[{"a": 1, "b": "x", "v": "old"}]'));
SELECT ds_stream_load('local', 'modes_nokey', '[{"a": 1, "b": "x", "v": "new"}]', '{"mode": "upsert"}');
SELECT ds_stream_load('modes_pg2', 'modes_nokey', '[{"a": 1, "b": "x", "v": "new"}]', '{"mode": "upsert"}');
SELECT modes_result(ds_stream_load('local', 'modes_nokey',
  '[{"a": 1, "b": "x", "v": "new"}, {"a": 1, "b": "y", "v": "other"}]', '{"mode": "upsert", "key": ["a", "b"]}'));
SELECT modes_result(ds_stream_load('modes_pg2', 'modes_nokey',
  '[{"a": 1, "b": "x", "v": "new"}, {"a": 1, "b": "y", "v": "other"}]', '{"mode": "upsert", "key": "a, b"}'));
SELECT * FROM modes_nokey ORDER BY a, b;
SELECT * FROM ds_query('modes_pg2', 'SELECT * FROM modes_nokey ORDER BY a, b');

-- Options that do not fit together.
SELECT ds_stream_load('local', 'modes_t', '[{"v": "no id"}]', '{"mode": "upsert"}');
SELECT ds_stream_load('modes_pg2', 'modes_t', '[{"v": "no id"}]', '{"mode": "delete"}');
SELECT ds_stream_load('local', 'modes_t', '[{"id": 1}]', '{"key": ["id"]}');
SELECT ds_stream_load('local', 'modes_t', '[{"id": 1}]', '{"mode": "merge"}');
SELECT ds_stream_load('local', 'modes_t', '[{"id": 1}]', '{"mode": 1}');
SELECT ds_stream_load('local', 'modes_t', '[{"id": 1}]', '{"mode": "upsert", "key": []}');
SELECT ds_stream_load('modes_pg2', 'modes_t', '[{"id": 1}]', '{"mode": "upsert", "temp_table": true}');

-- A NULL key matches nothing (an upsert would add its row on every run):
-- an ERROR, nothing changed.
SELECT ds_stream_load('local', 'modes_nokey', '[{"a": null, "b": "x", "v": "?"}]', '{"mode": "upsert", "key": ["a", "b"]}');
SELECT ds_stream_load('modes_pg2', 'modes_nokey', '[{"a": 1, "b": null, "v": "?"}]', '{"mode": "upsert", "key": ["a", "b"]}');
SELECT count(*) FROM modes_nokey;
-- Keys compare as the key's unique index compares them: citext's equality,
-- not text's; and a row whose key is 1.0 here and 1.00 there, its other
-- values the same, is left alone.
CREATE EXTENSION IF NOT EXISTS citext;
CREATE TABLE modes_ci (k citext PRIMARY KEY, v text);
INSERT INTO modes_ci VALUES ('abc', '1'), ('def', '2');
SELECT ds_stream_load('local', 'modes_ci', '[{"k": "ABC"}]', '{"mode": "delete"}')->>'NumberDeletedRows' AS deleted;
SELECT modes_result(ds_stream_load('local', 'modes_ci', '[{"k": "DEF", "v": "2"}, {"k": "ghi", "v": "3"}]', '{"mode": "mirror"}'));
SELECT * FROM modes_ci ORDER BY k;
-- The same on a remote target: its stage's unique index says which
-- equality the key has there (citext's, in the remote's schema of it).
SELECT ds_exec('modes_pg2', 'CREATE EXTENSION IF NOT EXISTS citext');
SELECT ds_exec('modes_pg2', 'DROP TABLE IF EXISTS modes_ci');
SELECT ds_exec('modes_pg2', 'CREATE TABLE modes_ci (k citext PRIMARY KEY, v text)');
SELECT ds_exec('modes_pg2', $$INSERT INTO modes_ci VALUES ('abc', '1'), ('def', '2')$$);
SELECT ds_stream_load('modes_pg2', 'modes_ci', '[{"k": "ABC"}]', '{"mode": "delete"}')->>'NumberDeletedRows' AS deleted;
SELECT modes_result(ds_stream_load('modes_pg2', 'modes_ci', '[{"k": "DEF", "v": "2"}, {"k": "ghi", "v": "3"}]', '{"mode": "mirror"}'));
SELECT modes_result(ds_stream_load('modes_pg2', 'modes_ci', '[{"k": "GHI", "v": "4"}]', '{"mode": "upsert"}'));
SELECT r FROM ds_query('modes_pg2', 'SELECT k::text, v FROM modes_ci ORDER BY k') r;
SELECT ds_exec('modes_pg2', 'DROP TABLE modes_ci');
SELECT ds_exec('modes_pg2', 'DROP EXTENSION citext');
CREATE TABLE modes_num (k numeric PRIMARY KEY, v text);
INSERT INTO modes_num VALUES (1.0, 'one');
SELECT modes_result(ds_stream_load('local', 'modes_num', '[{"k": 1.00, "v": "one"}]', '{"mode": "upsert"}'));
SELECT ds_stream_load('local', 'modes_t', '[{"id": 1}]', '{"mode": "upsert", "key": "id, id"}');
-- A remote target that does not exist is named so.
SELECT ds_stream_load('modes_pg2', 'modes_missing', '[{"id": 1}]', '{"mode": "upsert"}');

-- A hostile target name stays a name.
SELECT ds_stream_load('local', 'modes_t; DROP TABLE modes_start', '[{"id": 1}]', '{"mode": "upsert"}');
SELECT count(*) FROM modes_start;

DROP FUNCTION modes_rows(text), modes_reset(text), modes_result(jsonb);
DROP TABLE modes_t, modes_start, modes_src, modes_nokey, modes_ci, modes_num;
DROP EXTENSION citext;
SELECT ds_exec('modes_pg2', 'DROP TABLE modes_t, modes_nokey');
SELECT ds_unregister('modes_pg2');
