-- ds_diff: the rows two stores disagree on, by key, across kinds.  The same
-- rows copied with ds_sync to MariaDB, a remote PostgreSQL and StarRocks
-- compare equal (numbers by value, booleans as 1/0, date-times in one
-- form); then each kind of difference is found, and nothing else.
\i test/sql/include/mysql.psql
\i test/sql/include/remote_pg.psql
\i test/sql/include/starrocks.psql
CREATE TABLE d_src (id int PRIMARY KEY, amount numeric(12,3), ratio float8, flag boolean, at timestamp,
                    day date, note text, big bigint);
INSERT INTO d_src VALUES
  (1, 1.5, 0.25, true, '2024-01-02 03:04:05', '2024-01-02', 'plain', 9007199254740993),
  (2, -2, 1e-7, false, '2024-01-02 03:04:05.5', '2024-02-29', E'tab\there', -1),
  (3, 1234567.125, NULL, NULL, NULL, NULL, 'emoji 🐘', NULL),
  (4, 0, 3.5, true, '1999-12-31 23:59:59.999999', '1999-12-31', '', 0);
SELECT ds_exec('my', 'CREATE OR REPLACE TABLE d_my (id INT PRIMARY KEY, amount DECIMAL(12,3), ratio DOUBLE,
                      flag BOOLEAN, at DATETIME(6), day DATE, note TEXT, big BIGINT)');
SELECT ds_exec('pg2', 'DROP TABLE IF EXISTS d_pg');
SELECT ds_exec('pg2', 'CREATE TABLE d_pg (id int PRIMARY KEY, amount numeric(12,3), ratio float8, flag boolean,
                       at timestamp, day date, note text, big bigint)');
SELECT ds_exec('sr', 'DROP TABLE IF EXISTS d_sr');
SELECT ds_exec('sr', 'CREATE TABLE d_sr (id INT NOT NULL, amount DECIMAL(12,3), ratio DOUBLE, flag BOOLEAN,
                      at DATETIME, day DATE, note STRING, big BIGINT)
                      PRIMARY KEY (id) DISTRIBUTED BY HASH (id) BUCKETS 1 PROPERTIES ("replication_num" = "1")');
SELECT ds_sync('local', 'SELECT * FROM d_src', 'my', 'd_my')->>'NumberLoadedRows' AS to_mysql,
       ds_sync('local', 'SELECT * FROM d_src', 'pg2', 'd_pg')->>'NumberLoadedRows' AS to_pg2,
       ds_sync('local', 'SELECT * FROM d_src', 'sr', 'd_sr')->>'NumberLoadedRows' AS to_starrocks;

-- Equal on every pair of kinds: no rows, and the summary counts them same.
SELECT * FROM ds_diff('local', 'SELECT * FROM d_src', 'my', 'SELECT * FROM d_my', '{id}');
SELECT * FROM ds_diff('local', 'SELECT * FROM d_src', 'pg2', 'SELECT * FROM d_pg', '{id}');
SELECT * FROM ds_diff('local', 'SELECT * FROM d_src', 'sr', 'SELECT * FROM d_sr', '{id}');
SELECT * FROM ds_diff('my', 'SELECT * FROM d_my', 'pg2', 'SELECT * FROM d_pg', '{id}');
SELECT * FROM ds_diff('pg2', 'SELECT * FROM d_pg', 'sr', 'SELECT * FROM d_sr', '{id}');
SELECT key FROM ds_diff('sr', 'SELECT * FROM d_sr', 'my', 'SELECT * FROM d_my', '{id}', '{"summary": true}');

-- Each kind of difference: a row the target lacks, one it has extra, one
-- changed; a key of two columns; the source's order does not matter.
SELECT ds_exec('my', 'DELETE FROM d_my WHERE id = 2');
SELECT ds_exec('my', 'UPDATE d_my SET note = ''edited'' WHERE id = 3');
SELECT ds_exec('my', 'INSERT INTO d_my VALUES (9, 9, NULL, 1, NULL, NULL, ''new'', 9)');
SELECT * FROM ds_diff('local', 'SELECT * FROM d_src ORDER BY id DESC', 'my', 'SELECT * FROM d_my', '{id}');
SELECT key FROM ds_diff('local', 'SELECT * FROM d_src', 'my', 'SELECT * FROM d_my', '{id}', '{"summary": true}');
SELECT key, status FROM ds_diff('local', 'SELECT id, day, note FROM d_src', 'pg2', 'SELECT id, day, note FROM d_pg WHERE id <> 4',
                                '{day,id}') ORDER BY 1;

-- The rule: numbers by value, true is 1, a date-time has one form; a
-- string "1" is not the number 1.
SELECT key, status, source_row, target_row FROM ds_diff('local',
  $$SELECT 1 AS id, 1.50::numeric AS n, true AS b, '2024-01-02T03:04:05'::timestamp AS t, '1' AS s, NULL::int AS z$$,
  'my', $$SELECT 1 AS id, 1.5 AS n, 1 AS b, CAST('2024-01-02 03:04:05.000000' AS DATETIME(6)) AS t, 1 AS s, NULL AS z$$,
  '{id}');

-- Times of day too: PostgreSQL's time and MySQL's TIME(n), negative and
-- beyond 24 hours, with a zone; "12:00" is no time and stays text.
SELECT key, status, source_row, target_row FROM ds_diff('local',
  $$SELECT 1 AS id, '12:34:56.5'::time AS t, '-838:59:59' AS m, '12:34:56+02'::timetz AS z$$,
  'my', $$SELECT 1 AS id, CAST('12:34:56.5' AS TIME(6)) AS t, CAST('-838:59:59' AS TIME(3)) AS m,
          '12:34:56.000+02:00' AS z$$, '{id}');
SELECT key, status, source_row, target_row FROM ds_diff('local', $$SELECT 1 AS id, '12:00' AS s$$,
                                                       'my', $$SELECT 1 AS id, '12:00:00' AS s$$, '{id}');
-- Keys of two columns do not run together ("user", "s1" is not "users",
-- "1"), the order of the columns does not count, and JSON that jsonb cannot
-- hold (a \u0000) is compared as its text.
SELECT key, status FROM ds_diff('local', $$SELECT 'user' AS a, 's1' AS b, 1 AS v$$,
                                'my', $$SELECT 'users' AS a, '1' AS b, 1 AS v$$, '{a,b}') ORDER BY 2;
SELECT * FROM ds_diff('local', 'SELECT id, note, day FROM d_src', 'pg2', 'SELECT day, id, note FROM d_pg', '{id}');
SELECT status, source_row FROM ds_diff('local', $$SELECT 1 AS id, '{"a": "\u0000"}'::json AS j$$,
                                       'local', $$SELECT 1 AS id, '{"a": "x"}'::json AS j$$, '{id}');

-- Integer keys on two connections are read from both stores at once, each
-- ORDER BY the key, and merged as they come; any other key is sorted here
-- ({"sort": true} asks for that).  Both find the same: negative and
-- 64-bit keys, a key of two columns, a key twice, NULL keys (first in
-- MySQL's order, last in PostgreSQL's).  The rows come in key order; keys
-- that hold a NULL, or that a side has twice, after the rest.
CREATE TABLE d_int (a bigint, b int, v text);
INSERT INTO d_int VALUES (-9223372036854775808, 1, 'min'), (-10, 1, 'a'), (-10, 2, 'b'), (-2, 1, 'c'),
  (0, 0, 'zero'), (2, 1, 'two'), (10, 1, 'ten'), (10, 1, 'ten again'), (100, NULL, 'null b'),
  (NULL, 5, 'null a'), (9223372036854775807, 1, 'max');
SELECT ds_exec('my', 'CREATE OR REPLACE TABLE d_int (a BIGINT, b INT, v TEXT)');
SELECT ds_exec('pg2', 'DROP TABLE IF EXISTS d_int');
SELECT ds_exec('pg2', 'CREATE TABLE d_int (a bigint, b int, v text)');
SELECT ds_exec('sr', 'DROP TABLE IF EXISTS d_int');
SELECT ds_exec('sr', 'CREATE TABLE d_int (a BIGINT, b INT, v STRING) DUPLICATE KEY (a)
                      DISTRIBUTED BY HASH (a) BUCKETS 1 PROPERTIES ("replication_num" = "1")');
SELECT ds_sync('local', 'SELECT * FROM d_int', 'my', 'd_int')->>'NumberLoadedRows' AS to_mysql,
       ds_sync('local', 'SELECT * FROM d_int', 'pg2', 'd_int')->>'NumberLoadedRows' AS to_pg2,
       ds_sync('local', 'SELECT * FROM d_int', 'sr', 'd_int')->>'NumberLoadedRows' AS to_starrocks;
-- Every pair with a store of its own, in key order and sorted here: the
-- same counts.
SELECT x.store, o.key = s.key AS same_counts, o.key AS counts
  FROM (VALUES ('my'), ('pg2'), ('sr')) AS x(store),
       LATERAL (SELECT key FROM ds_diff('local', 'SELECT * FROM d_int', x.store,
                'SELECT * FROM d_int WHERE a > -5 OR a IS NULL', '{a,b}', '{"summary": true, "sort": true}')) s,
       LATERAL (SELECT key FROM ds_diff('local', 'SELECT * FROM d_int', x.store,
                'SELECT * FROM d_int WHERE a > -5 OR a IS NULL', '{a,b}', '{"summary": true}')) o
 ORDER BY 1;
SELECT ds_exec('my', $$UPDATE d_int SET v = 'changed' WHERE a IN (2, 100) OR a IS NULL$$);
SELECT ds_exec('my', 'DELETE FROM d_int WHERE a = -10 AND b = 2');
SELECT ds_exec('my', 'INSERT INTO d_int VALUES (-3, 1, ''new''), (NULL, 6, ''new null'')');
SELECT key, status FROM ds_diff('local', 'SELECT * FROM d_int', 'my', 'SELECT * FROM d_int', '{a,b}');
SELECT key, status FROM ds_diff('my', 'SELECT a, b, v FROM d_int', 'local', 'SELECT * FROM d_int;', '{a,b}');
SELECT key, status FROM ds_diff('my', 'SELECT a, b, v FROM d_int', 'local', 'SELECT * FROM d_int', '{a,b}',
                                '{"sort": true}') ORDER BY 1;
SELECT x.store, (SELECT key FROM ds_diff('my', 'SELECT * FROM d_int', x.store, 'SELECT * FROM d_int', '{a,b}',
                                         '{"summary": true}')) AS counts
  FROM (VALUES ('pg2'), ('sr')) AS x(store);
-- The other row of a key twice is what one side has more of.
SELECT ds_exec('sr', $$INSERT INTO d_int VALUES (2, 1, 'two')$$);
SELECT key, status, source_row->>'v' AS source_v, target_row->>'v' AS target_v
  FROM ds_diff('pg2', 'SELECT * FROM d_int WHERE a <> 0', 'sr', 'SELECT * FROM d_int', '{a,b}');
SELECT ds_exec('my', 'DROP TABLE d_int');
SELECT ds_exec('pg2', 'DROP TABLE d_int');
SELECT ds_exec('sr', 'DROP TABLE d_int');
DROP TABLE d_int;

-- A query a store cannot describe as a derived table (MariaDB refuses one
-- with two columns named id) is left to the sorted path, which reads it as
-- it is.
SELECT ds_exec('my', 'CREATE OR REPLACE TABLE d_a (id INT PRIMARY KEY)');
SELECT ds_exec('my', 'INSERT INTO d_a VALUES (1), (2)');
SELECT key FROM ds_diff('my', 'SELECT x.id, y.id FROM d_a x JOIN d_a y ON x.id = y.id', 'local',
                        'SELECT g AS id, g AS id FROM generate_series(1, 2) g', '{id}', '{"summary": true}');
SELECT ds_exec('my', 'DROP TABLE d_a');

-- An ERROR while both stores are read (the local query fails halfway, the
-- remote one fails at row 1000) leaves each store usable, its result gone.
SELECT ds_exec('my', 'CREATE OR REPLACE TABLE d_many (id INT PRIMARY KEY)');
SELECT ds_sync('local', 'SELECT g AS id FROM generate_series(1, 20000) g', 'my', 'd_many')->>'NumberLoadedRows' AS to_mysql;
SELECT key FROM ds_diff('my', 'SELECT * FROM d_many', 'local',
                        'SELECT g AS id, 1 / (g - 10000) AS v FROM generate_series(1, 20000) g', '{id}');
SELECT count(*) FROM ds_query('my', 'SELECT * FROM d_many');
SELECT key FROM ds_diff('pg2', 'SELECT g AS id, 1 / (g - 1000) AS v FROM generate_series(1, 20000) g',
                        'my', 'SELECT * FROM d_many', '{id}');
SELECT count(*) FROM ds_query('pg2', 'SELECT 1') UNION ALL SELECT count(*) FROM ds_query('my', 'SELECT * FROM d_many');
SELECT ds_exec('my', 'DROP TABLE d_many');

-- Errors: a key column a query lacks, a bad option, no key.
SELECT * FROM ds_diff('local', 'SELECT 1 AS x', 'my', 'SELECT 1 AS id', '{id}');
SELECT * FROM ds_diff('local', 'SELECT 1 AS id', 'my', 'SELECT 1 AS id', '{id}', '{"summarize": true}');
SELECT * FROM ds_diff('local', 'SELECT 1 AS id', 'my', 'SELECT 1 AS id', '{id}', '{"sort": "yes"}');
SELECT * FROM ds_diff('local', 'SELECT 1 AS id', 'my', 'SELECT 1 AS id', '{}');

SELECT ds_exec('my', 'DROP TABLE d_my');
SELECT ds_exec('pg2', 'DROP TABLE d_pg');
SELECT ds_exec('sr', 'DROP TABLE d_sr');
DROP TABLE d_src;
