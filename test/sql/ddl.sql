-- ds_ddl and ds_create_table: a table for one store's table or query on
-- another store, for every pair of kinds (local, remote PostgreSQL, MariaDB,
-- StarRocks); what does not map exactly is a WARNING or an ERROR; tables
-- made and loaded with ds_sync there and back hold the same rows; names
-- with backticks and double quotes arrive as they are; ds_sync's "create".
\i test/sql/include/mysql.psql
\i test/sql/include/remote_pg.psql
\i test/sql/include/starrocks.psql
\set SHOW_CONTEXT never
SET TimeZone = 'UTC';
-- Leftovers of an earlier run on the same servers.
SET client_min_messages = warning;
SELECT count(ds_exec('my', 'DROP TABLE IF EXISTS ' || t))
  FROM unnest(ARRAY['mk_rt', 'mk_m', 'mk_m_rt', 'mk_sync_my', '`mk_odd``na"me`']) t;
SELECT count(ds_exec('sr', 'DROP TABLE IF EXISTS ' || t))
  FROM unnest(ARRAY['mk_rt', 'mk_s', 'mk_s_rt', 'mk_sync_sr', 'mk_arr', '`mk_odd``na"me`']) t;
SELECT ds_exec('pg2', 'DROP TABLE IF EXISTS mk_rt, mk_p, mk_sync_pg, "mk_odd`na""me"; DROP TYPE IF EXISTS mk_pmood; DROP DOMAIN IF EXISTS mk_pdom');
RESET client_min_messages;
\pset format unaligned
\pset tuples_only on

-- A local table of many types, with a primary key.
CREATE TYPE mk_mood AS ENUM ('sad', 'ok', 'it''s \ fine');
CREATE TABLE mk_src (id int PRIMARY KEY, i2 smallint, i8 bigint NOT NULL, n numeric(12,3),
  nu numeric, f4 real, f8 float8, b boolean, c char(5), vc varchar(40), t text, by bytea, d date,
  tm time, ts timestamp, tstz timestamptz(3), j json, jb jsonb, e mk_mood, u uuid, ai int[],
  at text[]);
INSERT INTO mk_src VALUES
  (1, -3, 9007199254740993, 1234.5, 1.25, 0.5, 1e-7, true, 'ab', 'x"y`z', E'tab\there 🐘', '\x00ff',
   '2024-02-29', '12:34:56.789', '2024-01-02 03:04:05.123456', '2024-01-02 03:04:05.123+02',
   '{"a": 1}', '{"b": [1, 2]}', 'it''s \ fine', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{1,2,NULL}',
   '{"a","b c"}'),
  (2, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
   NULL, NULL, NULL, NULL);
-- Its DDL on each kind (StarRocks: a Primary Key table, the key leading).
SELECT ds_ddl('local', 'mk_src', 'local', 'public.mk_copy');
SELECT ds_ddl('local', 'mk_src', 'pg2', 'mk_copy');
SELECT ds_ddl('local', 'mk_src', 'my', 'mk_copy');
SELECT ds_ddl('local', 'mk_src', 'sr', 'mk_copy',
              '{"buckets": 4, "properties": {"replication_num": 1, "k\"ey": "v\\al"}}');

-- To remote PostgreSQL and back: the same types, the same rows.
SELECT ds_create_table('local', 'mk_src', 'pg2', 'mk_rt') IS NOT NULL AS created;
SELECT ds_sync('local', 'SELECT * FROM mk_src', 'pg2', 'mk_rt')->>'NumberLoadedRows' AS to_pg2;
SELECT ds_ddl('pg2', 'mk_rt', 'local', 'mk_back_pg');
SELECT ds_create_table('pg2', 'mk_rt', 'local', 'mk_back_pg') IS NOT NULL AS created;
SELECT ds_sync('pg2', 'SELECT * FROM mk_rt', 'local', 'mk_back_pg')->>'NumberLoadedRows' AS back;
CREATE VIEW mk_src_cmp AS
  SELECT id, i2, i8, n, nu, f4, f8, b, c, vc, t, by, d, tm, ts, tstz, j::jsonb AS j, jb, e::text AS e,
         u::text AS u, ai::text AS ai, at::text AS at FROM mk_src;
SELECT count(*) AS differ FROM (
  (SELECT * FROM mk_src_cmp EXCEPT
   SELECT id, i2, i8, n, nu, f4, f8, b, c, vc, t, by, d, tm, ts, tstz, j::jsonb, jb, e, u::text, ai::text, at::text FROM mk_back_pg)
  UNION ALL
  (SELECT id, i2, i8, n, nu, f4, f8, b, c, vc, t, by, d, tm, ts, tstz, j::jsonb, jb, e, u::text, ai::text, at::text FROM mk_back_pg
   EXCEPT SELECT * FROM mk_src_cmp)) x;

-- To MariaDB and back: arrays become JSON (loaded as JSON arrays), uuid
-- CHAR(36), the enum an ENUM and back a text with its labels checked.
SELECT ds_create_table('local', 'mk_src', 'my', 'mk_rt') IS NOT NULL AS created;
SELECT ds_sync('local', 'SELECT * FROM mk_src', 'my', 'mk_rt')->>'NumberLoadedRows' AS to_mysql;
SELECT ds_ddl('my', 'mk_rt', 'local', 'mk_back_my');
SELECT ds_create_table('my', 'mk_rt', 'local', 'mk_back_my') IS NOT NULL AS created;
SELECT ds_sync('my', 'SELECT * FROM mk_rt', 'local', 'mk_back_my')->>'NumberLoadedRows' AS back;
SELECT count(*) AS differ FROM (
  (SELECT id, i2, i8, n, nu, f4, f8, b, c, vc, t, by, d, tm, ts, tstz, j, jb, e, u, to_jsonb(ai::int[]), to_jsonb(at::text[]) FROM mk_src_cmp
   EXCEPT SELECT id, i2, i8, n, nu, f4, f8, b, c, vc, t, by, d, tm, ts, tstz, j, jb, e, u, ai, at FROM mk_back_my)
  UNION ALL
  (SELECT id, i2, i8, n, nu, f4, f8, b, c, vc, t, by, d, tm, ts, tstz, j, jb, e, u, ai, at FROM mk_back_my
   EXCEPT SELECT id, i2, i8, n, nu, f4, f8, b, c, vc, t, by, d, tm, ts, tstz, j, jb, e, u, to_jsonb(ai::int[]), to_jsonb(at::text[]) FROM mk_src_cmp)) x;

-- To StarRocks and back, from a query with its key given (bytea left out:
-- the StarRocks loads send text).  CHAR becomes VARCHAR there, padded as it
-- was written, and time its text.
SELECT ds_create_table('local', 'SELECT id, i2, i8, n, nu, f4, f8, b, c, vc, t, d, tm, ts, tstz, j, jb, e, u, ai, at FROM mk_src',
                       'sr', 'mk_rt', '{"key": ["id"], "buckets": 1, "properties": {"replication_num": "1"}}') IS NOT NULL AS created;
SELECT ds_sync('local', 'SELECT id, i2, i8, n, nu, f4, f8, b, c, vc, t, d, tm, ts, tstz, j, jb, e, u, ai, at FROM mk_src',
               'sr', 'mk_rt')->>'NumberLoadedRows' AS to_starrocks;
SELECT ds_ddl('sr', 'mk_rt', 'local', 'mk_back_sr');
SELECT ds_create_table('sr', 'mk_rt', 'local', 'mk_back_sr') IS NOT NULL AS created;
SELECT ds_sync('sr', 'SELECT * FROM mk_rt', 'local', 'mk_back_sr')->>'NumberLoadedRows' AS back;
SELECT count(*) AS differ FROM (
  (SELECT id, i2, i8, n, nu, f4, f8, b, c, vc, t, d, tm, ts, tstz, j, jb, e, u, ai, at FROM mk_src_cmp
   EXCEPT SELECT id, i2, i8, n, nu, f4, f8, b, c::char(5), vc, t, d, tm::time, ts, tstz, j, jb, e, u, ai::text, at::text FROM mk_back_sr)
  UNION ALL
  (SELECT id, i2, i8, n, nu, f4, f8, b, c::char(5), vc, t, d, tm::time, ts, tstz, j, jb, e, u, ai::text, at::text FROM mk_back_sr
   EXCEPT SELECT id, i2, i8, n, nu, f4, f8, b, c, vc, t, d, tm, ts, tstz, j, jb, e, u, ai, at FROM mk_src_cmp)) x;

-- A MariaDB table of MariaDB's types, unsigned integers, ENUM, TIMESTAMP,
-- YEAR, the TEXT and BLOB kinds, with a two-column key; its DDL on each kind.
SELECT ds_exec('my', $$CREATE TABLE mk_m (id INT UNSIGNED NOT NULL, k2 VARCHAR(10) NOT NULL, ti TINYINT,
  tu TINYINT UNSIGNED, si SMALLINT UNSIGNED, mi MEDIUMINT, bu BIGINT UNSIGNED, flag TINYINT(1),
  d DECIMAL(30,10), fl FLOAT, db DOUBLE, ch CHAR(3), tt TINYTEXT, mt MEDIUMTEXT, lt LONGTEXT,
  bi BINARY(4), vb VARBINARY(100), bl BLOB, dt DATETIME(3), ts TIMESTAMP(6) NULL, tm TIME, y YEAR,
  j JSON, e ENUM('a', 'b''c', 'd\\e'), PRIMARY KEY (id, k2))$$);
SELECT ds_exec('my', $$INSERT INTO mk_m VALUES
  (4294967295, 'k', -128, 255, 65535, -8388608, 18446744073709551615, 1, 12345678901234567890.0123456789,
   1.5, 2.25, 'abc', 'tiny', 'medium', 'long 🐘', X'00010203', X'ff', X'00', '2024-01-02 03:04:05.678',
   '2024-01-02 03:04:05.123456', '12:00:01', 2024, '{"k": [1]}', 'd\\e'),
  (0, '', 0, 0, 0, 0, 0, 0, 0, 0, 0, '', '', '', '', X'', X'', X'', NULL, NULL, NULL, NULL, NULL, NULL)$$);
SELECT ds_ddl('my', 'mk_m', 'local', 'mk_m_copy');
SELECT ds_ddl('my', 'mk_m', 'pg2', 'mk_m_copy');
SELECT ds_ddl('my', 'mk_m', 'my', 'mk_m_copy');
SELECT ds_ddl('my', 'mk_m', 'sr', 'mk_m_copy');
-- A query's columns, from its field metadata (ENUM is a VARCHAR there).
SELECT ds_ddl('my', 'SELECT id, bu, d, ch, lt, vb, ts, e FROM mk_m', 'local', 'mk_m_copy');
-- To the local server and back to MariaDB: the same rows.
SELECT ds_create_table('my', 'mk_m', 'local', 'mk_m_local') IS NOT NULL AS created;
SELECT ds_sync('my', 'SELECT * FROM mk_m', 'local', 'mk_m_local')->>'NumberLoadedRows' AS to_local;
SELECT ds_ddl('local', 'mk_m_local', 'my', 'mk_m_rt');
SELECT ds_create_table('local', 'mk_m_local', 'my', 'mk_m_rt') IS NOT NULL AS created;
SELECT ds_sync('local', 'SELECT * FROM mk_m_local', 'my', 'mk_m_rt')->>'NumberLoadedRows' AS back;
SELECT * FROM ds_query('my', 'SELECT COUNT(*) AS differ FROM ((SELECT * FROM mk_m EXCEPT SELECT * FROM mk_m_rt)
                              UNION ALL (SELECT * FROM mk_m_rt EXCEPT SELECT * FROM mk_m)) x');

-- A StarRocks table of StarRocks' types: LARGEINT, STRING, DATETIME, JSON,
-- ARRAY; its DDL on each kind, and to the local server and back.
SELECT ds_exec('sr', $$CREATE TABLE mk_s (k BIGINT NOT NULL, li LARGEINT, s STRING, v VARCHAR(30), dt DATETIME,
  dd DATE, dc DECIMAL(20,4), bo BOOLEAN, j JSON, a ARRAY<INT>)
  PRIMARY KEY (k) DISTRIBUTED BY HASH (k) BUCKETS 1 PROPERTIES ("replication_num" = "1")$$);
SELECT ds_exec('sr', $$INSERT INTO mk_s VALUES
  (1, 170141183460469231731687303715884105727, 'str 🐘', 'var', '2024-01-02 03:04:05', '2024-01-02',
   1234567890123456.1234, true, '{"x": 1}', '[1,2]'),
  (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)$$);
SELECT ds_ddl('sr', 'mk_s', 'local', 'mk_s_copy');
SELECT ds_ddl('sr', 'mk_s', 'pg2', 'mk_s_copy');
SELECT ds_ddl('sr', 'mk_s', 'my', 'mk_s_copy');
SELECT ds_ddl('sr', 'mk_s', 'sr', 'mk_s_copy', '{"properties": {"replication_num": "1"}}');
SELECT ds_create_table('sr', 'mk_s', 'local', 'mk_s_local') IS NOT NULL AS created;
SELECT ds_sync('sr', 'SELECT * FROM mk_s', 'local', 'mk_s_local')->>'NumberLoadedRows' AS to_local;
SELECT ds_create_table('local', 'mk_s_local', 'sr', 'mk_s_rt', '{"properties": {"replication_num": "1"}}') IS NOT NULL AS created;
SELECT ds_sync('local', 'SELECT * FROM mk_s_local', 'sr', 'mk_s_rt')->>'NumberLoadedRows' AS back;
SELECT r->>'differ' AS differ
  FROM ds_query('sr', 'SELECT COUNT(*) AS differ FROM ((SELECT * FROM mk_s EXCEPT SELECT * FROM mk_s_rt)
                       UNION ALL (SELECT * FROM mk_s_rt EXCEPT SELECT * FROM mk_s)) x') r;

-- Arrays as StarRocks reads and prints them, [...]: PostgreSQL's arrays go
-- there as JSON arrays (NULL elements, quotes and commas in text, two
-- dimensions), come back as {...} into local and remote arrays alike; a
-- PostgreSQL {...} as text is no StarRocks array (NULL, strict mode off).
CREATE TABLE mk_arr (id int PRIMARY KEY, ai int[], at text[], ad date[], a2 int[][], ab boolean[]);
INSERT INTO mk_arr VALUES (1, '{1,NULL,-3}', '{"a","b \"q\", c","NULL",""}', '{2024-02-29}', '{{1,2},{3,4}}', '{t,f}'),
  (2, '{}', '{}', '{}', NULL, NULL), (3, NULL, NULL, NULL, NULL, NULL);
SELECT ds_create_table('local', 'mk_arr', 'sr', 'mk_arr', '{"buckets": 1, "properties": {"replication_num": "1"}}') IS NOT NULL AS created;
SELECT ds_sync('local', 'SELECT * FROM mk_arr', 'sr', 'mk_arr')->>'NumberLoadedRows' AS to_starrocks;
SELECT r FROM ds_query('sr', 'SELECT * FROM mk_arr ORDER BY id') r;
CREATE TABLE mk_arr_back (LIKE mk_arr);
SELECT ds_sync('sr', 'SELECT * FROM mk_arr', 'local', 'mk_arr_back')->>'NumberLoadedRows' AS to_local;
SELECT ds_exec('pg2', 'DROP TABLE IF EXISTS mk_arr');
SELECT ds_exec('pg2', 'CREATE TABLE mk_arr (id int PRIMARY KEY, ai int[], at text[], ad date[], a2 int[][], ab boolean[])');
SELECT ds_sync('sr', 'SELECT * FROM mk_arr', 'pg2', 'mk_arr')->>'NumberLoadedRows' AS to_pg2;
SELECT count(*) AS differ FROM ((TABLE mk_arr EXCEPT TABLE mk_arr_back) UNION ALL (TABLE mk_arr_back EXCEPT TABLE mk_arr)) x;
SELECT count(*) AS differ FROM ds_diff('local', 'SELECT * FROM mk_arr', 'pg2', 'SELECT * FROM mk_arr', '{id}');
SELECT ds_sync('local', $$SELECT 4 AS id, '{1,2}' AS ai$$, 'sr', 'mk_arr')->>'NumberLoadedRows' AS loaded;
SELECT r FROM ds_query('sr', 'SELECT id, ai FROM mk_arr WHERE id = 4') r;
-- Remote arrays whose elements have no JSON form of their own (inet[],
-- oid[]) go as JSON arrays of the elements' text, as ds_query reads them;
-- int2vector and oidvector (arrays written without braces) as arrays too.
SELECT ds_exec('my', 'CREATE OR REPLACE TABLE mk_arr_my (id INT PRIMARY KEY, ips JSON, oids JSON, ai JSON,
                      iv JSON, ov JSON)');
SELECT ds_sync('pg2', $$SELECT 1 AS id, '{10.0.0.1,::1/128}'::inet[] AS ips, '{1,2}'::oid[] AS oids, '{1,NULL}'::int[] AS ai,
                       '1 2'::int2vector AS iv, '23 25'::oidvector AS ov$$,
               'my', 'mk_arr_my')->>'NumberLoadedRows' AS to_mysql;
SELECT r FROM ds_query('my', 'SELECT id, ips, oids, ai, iv, ov FROM mk_arr_my') r;
SELECT ds_exec('my', 'DROP TABLE mk_arr_my');
SELECT ds_exec('pg2', 'DROP TABLE mk_arr');
DROP TABLE mk_arr, mk_arr_back;

-- A remote table with its own enum, an array of it, a domain and a point:
-- the enum by its labels, the domain as its base type, the point by name.
SELECT ds_exec('pg2', $$CREATE TYPE mk_pmood AS ENUM ('x', 'y'); CREATE DOMAIN mk_pdom AS varchar(7);
  CREATE TABLE mk_p (id int PRIMARY KEY, m mk_pmood, ms mk_pmood[], d mk_pdom, p point)$$);
SELECT ds_ddl('pg2', 'mk_p', 'local', 'mk_p_copy');
SELECT ds_ddl('pg2', 'SELECT id, m, d FROM mk_p', 'my', 'mk_p_copy');
SELECT ds_ddl('pg2', 'SELECT id, m, d FROM mk_p', 'sr', 'mk_p_copy', '{"key": ["id"]}');
SELECT ds_ddl('pg2', 'mk_p', 'my', 'mk_p_copy');
SELECT ds_ddl('pg2', 'mk_p', 'pg2', 'mk_p_copy');
SELECT ds_ddl('pg2', 'SELECT id, m, ms, d FROM mk_p', 'sr', 'mk_p_copy', '{"key": ["id"]}');

-- What cannot map: an ERROR naming the column, never a narrower type.
SELECT ds_ddl('local', 'SELECT 1::numeric(50,2) AS big', 'sr', 'x');
SELECT ds_ddl('local', 'SELECT 1::numeric(70,2) AS big', 'my', 'x');
SELECT ds_ddl('local', 'SELECT interval ''1 day'' AS i', 'my', 'x');
SELECT ds_ddl('local', 'SELECT interval ''1 day'' AS i', 'sr', 'x');
SELECT ds_ddl('local', 'SELECT point(1, 2) AS p', 'my', 'x');
SELECT ds_ddl('local', 'SELECT point(1, 2) AS p', 'local', 'x');
SELECT ds_ddl('local', 'SELECT 1.5::float8 AS f, 1 AS n', 'sr', 'x', '{"key": ["f"]}');
SELECT ds_ddl('local', 'SELECT 1.5::float8 AS f, 1 AS n', 'sr', 'x');
SELECT ds_ddl('local', 'SELECT ''{}''::jsonb AS j', 'my', 'x', '{"key": ["j"]}');
SELECT ds_ddl('local', 'SELECT 1 AS __op', 'sr', 'x');
SELECT ds_ddl('my', $$SELECT CAST('x' AS CHAR(3)) AS s$$, 'local', 'x', '{"key": ["s"]}');
SELECT ds_ddl('local', 'SELECT ''x''::text AS k', 'my', 'x', '{"key": ["k"]}');
-- Wrong arguments.
SELECT ds_ddl('local', 'SELECT 1 AS a, 2 AS a', 'local', 'x');
SELECT ds_ddl('local', 'SELECT 1 AS a', 'local', 'x', '{"key": ["b"]}');
SELECT ds_ddl('local', 'SELECT 1 AS a', 'local', 'x', '{"key": []}');
SELECT ds_ddl('local', 'SELECT 1 AS a', 'local', 'x', '{"nope": 1}');
SELECT ds_ddl('local', 'SELECT 1 AS a', 'local', 'x', '{"buckets": 2}');
SELECT ds_ddl('local', 'SELECT 1 AS a', 'sr', 'x', '{"buckets": 0}');
SELECT ds_ddl('local', 'mk_nothing', 'local', 'x');
SELECT ds_ddl('my', 'mk_nothing', 'local', 'x');
SELECT ds_ddl('pg2', 'mk_nothing', 'local', 'x');
SELECT ds_ddl('local', 'SELECT 1 AS a', 'mk_nostore', 'x');
SELECT ds_ddl('local', NULL, 'local', 'x');

-- A source is a query by its first word, or by options->'query'.
SELECT ds_ddl('local', '  (SELECT 1 AS a)', 'my', 'x');
SELECT ds_ddl('local', E'WITH w AS (SELECT 2 AS b) SELECT * FROM w', 'my', 'x');
SELECT ds_ddl('local', 'VALUES (1, ''a'')', 'my', 'x');
SELECT ds_ddl('local', 'TABLE mk_src', 'my', 'x') = ds_ddl('local', 'SELECT * FROM mk_src', 'my', 'x') AS same;
SELECT ds_ddl('local', 'mk_src', 'my', 'x', '{"query": true}');
SELECT ds_ddl('local', 'SELECT $1::int AS a, $2::text AS b', 'local', 'x', '{"params": [1, "b"], "key": ["a"]}');

-- Names with a backtick and a double quote arrive as they are.
CREATE TABLE "mk_odd`na""me" ("a`b""c" int PRIMARY KEY, "x y" text);
INSERT INTO "mk_odd`na""me" VALUES (7, 'seven');
SELECT ds_ddl('local', '"mk_odd`na""me"', 'my', 'mk_odd`na"me');
SELECT ds_create_table('local', '"mk_odd`na""me"', 'my', 'mk_odd`na"me') IS NOT NULL AS created;
SELECT ds_create_table('local', '"mk_odd`na""me"', 'pg2', 'mk_odd`na"me') IS NOT NULL AS created;
SELECT ds_create_table('local', '"mk_odd`na""me"', 'sr', 'mk_odd`na"me') IS NOT NULL AS created;
SELECT s, column_name, data_type FROM unnest(ARRAY['my', 'pg2', 'sr']) s, ds_columns(s, 'mk_odd`na"me')
 ORDER BY s, ordinal;
SELECT ds_sync('local', 'SELECT * FROM "mk_odd`na""me"', 'pg2', 'mk_odd`na"me')->>'NumberLoadedRows' AS to_pg2,
       ds_sync('local', 'SELECT * FROM "mk_odd`na""me"', 'my', 'mk_odd`na"me')->>'NumberLoadedRows' AS to_mysql;
SELECT * FROM ds_query('pg2', 'SELECT * FROM "mk_odd`na""me"');
SELECT * FROM ds_query('my', 'SELECT * FROM `mk_odd``na"me`');

-- ds_sync {"create": true}: the target made from the query's columns (IF
-- NOT EXISTS, so a second call loads into it), or with ds_create_table's
-- options as an object.
SELECT ds_sync('local', 'SELECT id, n, t FROM mk_src', 'my', 'mk_sync_my', '{"create": true}')->>'NumberLoadedRows' AS to_mysql;
SELECT ds_sync('local', 'SELECT id, n, t FROM mk_src', 'my', 'mk_sync_my', '{"create": true}')->>'NumberLoadedRows' AS again;
SELECT ds_sync('my', 'SELECT * FROM mk_sync_my', 'sr', 'mk_sync_sr',
               '{"create": {"key": ["id"], "buckets": 1, "properties": {"replication_num": "1"}}}')->>'NumberLoadedRows' AS to_starrocks;
SELECT ds_sync('sr', 'SELECT * FROM mk_sync_sr', 'pg2', 'mk_sync_pg',
               '{"create": true, "columns": ["a", "b", "c"]}')->>'NumberLoadedRows' AS to_pg2;
SELECT ds_sync('pg2', 'SELECT * FROM mk_sync_pg', 'local', 'mk_sync_local', '{"create": true}')->>'NumberLoadedRows' AS to_local;
SELECT * FROM mk_sync_local ORDER BY a;
SELECT ds_sync('pg2', 'SELECT * FROM mk_sync_pg', 'local', 'mk_sync_local', '{"create": 1}');
SELECT ds_sync('pg2', 'SELECT * FROM mk_sync_pg', 'local', 'mk_sync_none', '{"create": false}');
SELECT ds_sync('pg2', 'SELECT * FROM mk_sync_pg', 'local', 'mk_sync_none', '{"create": {"query": true}}');

-- Nothing of this test stays on the other servers.
SET client_min_messages = warning;
SELECT count(ds_exec('my', 'DROP TABLE IF EXISTS ' || t))
  FROM unnest(ARRAY['mk_rt', 'mk_m', 'mk_m_rt', 'mk_sync_my', '`mk_odd``na"me`']) t;
SELECT count(ds_exec('sr', 'DROP TABLE IF EXISTS ' || t))
  FROM unnest(ARRAY['mk_rt', 'mk_s', 'mk_s_rt', 'mk_sync_sr', 'mk_arr', '`mk_odd``na"me`']) t;
SELECT ds_exec('pg2', 'DROP TABLE IF EXISTS mk_rt, mk_p, mk_sync_pg, "mk_odd`na""me"; DROP TYPE IF EXISTS mk_pmood; DROP DOMAIN IF EXISTS mk_pdom');
