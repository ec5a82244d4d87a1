-- Bulk loads into MySQL (LOAD DATA LOCAL fed from memory) and into the local
-- store: every value round-trips exactly.
\i test/sql/include/mysql.psql
\set SHOW_CONTEXT never
SET timezone = 'UTC';

-- Values that break naive encoders.
CREATE TABLE hostile (id int PRIMARY KEY, s text, n numeric(20,6), ts timestamptz,
                      d date, b boolean, raw bytea, doc jsonb);
INSERT INTO hostile VALUES
 (1, E'tab\there', 1.5, '2024-01-02 03:04:05.123456+02', '2024-02-29', true, '\x00ff0a09', '{"a": [1, "x"]}'),
 (2, E'new\nline and \r\n crlf', -0.000001, '1999-12-31 23:59:59+00', '1000-01-01', false, '\x5c4e', '[]'),
 (3, '\N', 0, NULL, NULL, NULL, NULL, NULL),
 (4, '', NULL, '2024-06-01 00:00:00+00', '2024-06-01', true, '', '"str"'),
 (5, NULL, 99999999999999.999999, '2024-06-01 00:00:00+00', '2024-06-01', false, '\x', '{}'),
 (6, E'back\\slash \\N \\\\ \\t', 1, NULL, NULL, NULL, NULL, NULL),
 (7, E'emoji 🐘🚀 ünïcödé 中文 \u00a0 quotes '' " `', 2, NULL, NULL, NULL, NULL, NULL),
 (8, E'control \x01\x02\x1a chars', 3, NULL, NULL, NULL, NULL, NULL);
SELECT ds_exec('my', 'DROP TABLE IF EXISTS hostile');
SELECT ds_exec('my', 'CREATE TABLE hostile (id INT PRIMARY KEY, s TEXT, n DECIMAL(20,6), ts DATETIME(6), d DATE, b BOOLEAN, raw BLOB, doc JSON) CHARACTER SET utf8mb4');
SELECT r - 'LoadTimeMs' - 'LoadBytes' AS result FROM ds_stream_load_query('my', 'hostile', 'SELECT * FROM hostile') r;
-- Back through ds_query: the same rows, both ways.
CREATE FUNCTION hostile_back() RETURNS SETOF hostile LANGUAGE sql AS $$
	SELECT (jsonb_populate_record(NULL::hostile, r)).*
	  FROM ds_query('my', 'SELECT * FROM hostile') r
$$;
SELECT * FROM hostile EXCEPT SELECT * FROM hostile_back();
SELECT * FROM hostile_back() EXCEPT SELECT * FROM hostile;
SELECT id, s IS NULL AS is_null, s = '' AS is_empty, s FROM hostile_back() WHERE id IN (3, 4, 5) ORDER BY id;
-- A JSON document that is JSON null reads back as null, like SQL NULL:
-- a jsonb row cannot tell them apart (see docs/stores.md).
SELECT ds_exec('my', $$UPDATE hostile SET doc = 'null' WHERE id = 5$$);
SELECT r->'doc' AS doc FROM ds_query('my', 'SELECT doc FROM hostile WHERE id = 5') r;

-- 100,000 rows local -> MySQL -> local, compared both ways.
CREATE TABLE big AS
SELECT g AS id,
       CASE g % 7 WHEN 0 THEN NULL WHEN 1 THEN '' WHEN 2 THEN E'tab\there'
                  WHEN 3 THEN E'new\nline\r\n' WHEN 4 THEN '\N' WHEN 5 THEN E'back\\slash'
                  ELSE 'emoji 🐘 ' || g END AS s,
       g * 1.25 AS n,
       timestamp '2024-01-01' + g * interval '1 minute 0.5 second' AS ts
  FROM generate_series(1, 100000) g;
SELECT ds_exec('my', 'DROP TABLE IF EXISTS big');
SELECT ds_exec('my', 'CREATE TABLE big (id INT PRIMARY KEY, s TEXT, n DECIMAL(12,2), ts DATETIME(6))');
SELECT r->>'Status' AS status, r->'NumberTotalRows' AS total, r->'NumberLoadedRows' AS loaded,
       r->'NumberFilteredRows' AS filtered
  FROM ds_stream_load_query('my', 'big', 'SELECT * FROM big') r;
CREATE TABLE big_back AS
SELECT (jsonb_populate_record(NULL::big, r)).* FROM ds_query('my', 'SELECT * FROM big') r;
SELECT count(*) AS missing_in_mysql FROM (SELECT * FROM big EXCEPT SELECT * FROM big_back) x;
SELECT count(*) AS extra_in_mysql FROM (SELECT * FROM big_back EXCEPT SELECT * FROM big) x;
-- The same rows again, as a jsonb array, into another table.
SELECT ds_exec('my', 'CREATE TABLE big2 LIKE big');
SELECT r->>'Status' AS status, r->'NumberLoadedRows' AS loaded
  FROM ds_stream_load('my', 'big2', (SELECT jsonb_agg(to_jsonb(b)) FROM big b WHERE id <= 20000)) r;
SELECT * FROM ds_query('my', 'SELECT COUNT(*) AS n, SUM(id) AS s FROM big2');

-- JSON arrays: missing keys are NULL; a key no column takes is an ERROR
-- unless options->'columns' says which keys to load.
SELECT ds_exec('my', 'DROP TABLE IF EXISTS kv');
SELECT ds_exec('my', 'CREATE TABLE kv (k VARCHAR(20) PRIMARY KEY, v INT, note VARCHAR(20))');
SELECT r->>'Status' AS status, r->'NumberLoadedRows' AS loaded
  FROM ds_stream_load('my', 'kv', '[{"k": "a", "v": 1, "note": "x"}, {"k": "b", "v": null}, {"v": 3, "k": "c", "note": "z"}]') r;
SELECT ds_stream_load('my', 'kv', '[{"k": "d", "v": 1}, {"k": "e", "v": 2, "surprise": true}]');
SELECT r->>'Status' AS status, r->'NumberLoadedRows' AS loaded
  FROM ds_stream_load('my', 'kv', '[{"k": "d", "v": 1}, {"k": "e", "v": 2, "surprise": true}]',
                      '{"columns": ["k", "v"]}') r;
SELECT * FROM ds_query('my', 'SELECT * FROM kv ORDER BY k');
SELECT ds_stream_load('my', 'kv', '[1, 2]');
SELECT ds_stream_load('my', 'kv', '{"k": "x"}');
SELECT ds_stream_load('my', 'kv', '[]', '{"colums": ["k"]}');

-- Rejected values make the load fail as a whole: nothing is loaded.
SELECT ds_stream_load('my', 'kv', '[{"k": "f", "v": 1}, {"k": "g", "v": "not a number"}]');
SELECT * FROM ds_query('my', $$SELECT COUNT(*) AS n FROM kv WHERE k IN ('f', 'g')$$);
-- MySQL would store such rows anyway, changed (LOCAL turns its errors into
-- warnings): so no max_filter_ratio can let them through.  The four rows of
-- the issue, a string too long, a NULL into NOT NULL, 'abc' into INT and a
-- good row: none lands, none changed.
SELECT ds_exec('my', 'DROP TABLE IF EXISTS strict_kv');
SELECT ds_exec('my', 'CREATE TABLE strict_kv (k VARCHAR(5) NOT NULL, v INT)');
SELECT ds_stream_load('my', 'strict_kv', '[{"k": "waytoolong", "v": 1}, {"k": null, "v": 2}, {"k": "c", "v": "abc"}, {"k": "good", "v": 4}]',
                      '{"max_filter_ratio": 0.9}');
SELECT sqlstate_of($$SELECT ds_stream_load('my', 'strict_kv', '[{"k": "waytoolong", "v": 1}, {"k": null, "v": 2}, {"k": "c", "v": "abc"}, {"k": "good", "v": 4}]')$$) ~ '^22000' AS refused;
SELECT * FROM ds_query('my', 'SELECT COUNT(*) AS n FROM strict_kv');
-- Neither local nor remote PostgreSQL targets can leave rows out.
SELECT ds_stream_load('local', 'local_kv_none', '[]', '{"max_filter_ratio": 0.5}');
SELECT ds_stream_load('my', 'strict_kv', '[]', '{"max_filter_ratio": 0}')->>'Status' AS zero_is_fine;
-- Duplicate keys are skipped rows too; "replace": true replaces them, and
-- the counts are rows: one loaded, one replaced (MySQL's affected rows say 2).
SELECT ds_stream_load('my', 'kv', '[{"k": "a", "v": 100}]');
SELECT r->>'Status' AS status, r->'NumberLoadedRows' AS loaded, r->'NumberReplacedRows' AS replaced
  FROM ds_stream_load('my', 'kv', '[{"k": "a", "v": 100}]', '{"replace": true}') r;
SELECT r->'NumberLoadedRows' AS loaded, r->'NumberReplacedRows' AS replaced
  FROM ds_stream_load('my', 'kv', '[{"k": "a", "v": 101}, {"k": "new", "v": 1}]', '{"replace": true}') r;
SELECT * FROM ds_query('my', $$SELECT v FROM kv WHERE k = 'a'$$);
SELECT ds_exec('my', $$DELETE FROM kv WHERE k = 'new'$$);
-- A target or column the server does not know is named as such.
SELECT ds_stream_load('my', 'no_such_table', '[{"k": "a"}]');
SELECT ds_stream_load('my', 'kv', '[{"k": "a", "extra": 1}]');

-- The local store loads through one INSERT in the caller's transaction.
CREATE TABLE local_kv (k text PRIMARY KEY, v int, note text);
SELECT r->>'Status' AS status, r->'NumberLoadedRows' AS loaded
  FROM ds_stream_load('local', 'local_kv', '[{"k": "a", "v": 1}, {"k": "b", "note": "n"}]') r;
SELECT r->>'Status' AS status, r->'NumberLoadedRows' AS loaded
  FROM ds_stream_load_query('local', 'public.local_kv', 'SELECT ''c'' AS k, 3 AS v;') r;
-- A source query that ends in a comment.
SELECT r->>'NumberLoadedRows' AS loaded
  FROM ds_stream_load_query('local', 'public.local_kv', 'SELECT ''d'' AS k, 4 AS v -- the last one') r;
SELECT ds_stream_load('local', 'local_kv', '[{"k": "z", "nope": 1}]');
BEGIN;
SELECT ds_stream_load('local', 'local_kv', '[{"k": "rolled back"}]')->>'Status' AS status;
ROLLBACK;
SELECT * FROM local_kv ORDER BY k;
-- Every row of a query from MySQL into a local table, through ds_query.
SELECT r->'NumberLoadedRows' AS loaded
  FROM ds_stream_load('local', 'local_kv', (SELECT jsonb_agg(r) FROM ds_query('my', 'SELECT CONCAT(''my-'', k) AS k, v FROM kv') r)) r;
SELECT count(*) FROM local_kv WHERE k LIKE 'my-%';
