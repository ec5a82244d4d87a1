-- ds_sync: any store's query streamed into any store's bulk path.
\set SHOW_CONTEXT never
SET timezone = 'UTC';
\getenv my_port DS_MYSQL_PORT
\getenv my_user DS_MYSQL_USER
\getenv my_password DS_MYSQL_PASSWORD
\getenv my_db DS_MYSQL_DATABASE
\getenv sr_port DS_SR_MYSQL_PORT
\getenv fe_port DS_SR_FE_PORT
\getenv sr_db DS_SR_DATABASE
\getenv pg2_host DS_PG2_HOST
\getenv pg2_port DS_PG2_PORT
\getenv pg2_user DS_PG2_USER
\getenv pg2_password DS_PG2_PASSWORD
\getenv pg2_db DS_PG2_DATABASE
SELECT ds_register('sync_my', 'mysql', host => '127.0.0.1', port => :my_port,
                   "user" => :'my_user', password => :'my_password', database => :'my_db');
SELECT ds_register('sync_sr', 'starrocks', host => '127.0.0.1', port => :sr_port,
                   "user" => :'my_user', password => :'my_password', database => :'sr_db',
                   http_port => :fe_port);
SELECT ds_register('sync_local', 'postgres', database => current_database());
SELECT ds_register('sync_pg2', 'postgres', host => :'pg2_host', port => :pg2_port,
                   "user" => :'pg2_user', password => :'pg2_password', database => :'pg2_db');

-- Values that break naive encoders, and every kind of column.
CREATE TABLE sync_src (id int PRIMARY KEY, s text, n numeric(20,6), f float8, ts timestamp,
                       d date, b boolean, j jsonb);
INSERT INTO sync_src VALUES
  (1, E'tab\there', 1.5, 0.25, '2026-01-02 03:04:05.5', '2026-01-02', true, '{"a": [1, "x"]}'),
  (2, E'new\nline\r\n', -123456789012.123456, -1e10, '1999-12-31 23:59:59', '1999-12-31', false, '"s"'),
  (3, E'back\\slash \\N', 0, 1e-7, NULL, NULL, NULL, NULL),
  (4, '\N', NULL, NULL, '2026-06-30 12:00:00', '2026-06-30', true, '[]'),
  (5, '🐘 ünïcödé "quotes" ''single''', 42, 3, '2026-01-01', '2026-01-01', false, '[null]'),
  (6, NULL, 7, 7, '2026-01-01', '2026-01-01', true, '{}'),
  (7, '', 1, 1, '2026-01-01', '2026-01-01', true, '1');

SELECT ds_exec('sync_my', 'DROP TABLE IF EXISTS sync_t');
SELECT ds_exec('sync_my', 'CREATE TABLE sync_t (id int PRIMARY KEY, s text, n decimal(20,6), f double,
  ts datetime(6), d date, b boolean, j json)');

-- local -> MySQL, with a bound source parameter.
SELECT r->>'Status' AS status, r->'NumberLoadedRows' AS loaded
  FROM ds_sync('sync_local', 'SELECT * FROM sync_src WHERE id > $1 ORDER BY id', 'sync_my', 'sync_t',
               params => '[0]') r;
CREATE TABLE sync_seen AS
  SELECT (r->>'id')::int AS id, r->>'s' AS s, (r->>'n')::numeric AS n, (r->>'f')::float8 AS f,
         (r->>'ts')::timestamp AS ts, (r->>'d')::date AS d, (r->>'b')::int::boolean AS b,
         NULLIF(r->'j', 'null') AS j
    FROM ds_query('sync_my', 'SELECT * FROM sync_t') r;
SELECT 'missing on MySQL' AS diff, * FROM (SELECT * FROM sync_src EXCEPT SELECT * FROM sync_seen) x
UNION ALL
SELECT 'extra on MySQL', * FROM (SELECT * FROM sync_seen EXCEPT SELECT * FROM sync_src) y;

-- MySQL -> StarRocks (the emulator), with a label.
SELECT ds_exec('sync_sr', 'DROP TABLE IF EXISTS sync_t');
SELECT ds_exec('sync_sr', 'CREATE TABLE sync_t (id INT NOT NULL, s STRING, n DECIMAL(20,6), f DOUBLE,
  ts DATETIME, d DATE, b BOOLEAN, j JSON)
  PRIMARY KEY (id) DISTRIBUTED BY HASH (id) BUCKETS 1 PROPERTIES ("replication_num" = "1")');
SELECT r->>'Status' AS status, r->>'Label' AS label, r->'NumberLoadedRows' AS loaded
  FROM ds_sync('sync_my', 'SELECT * FROM sync_t', 'sync_sr', 'sync_t', '{"label": "sync-my-sr"}') r;

-- StarRocks -> local, through COPY.
CREATE TABLE sync_back (LIKE sync_src);
SELECT r->>'Status' AS status, r->'NumberLoadedRows' AS loaded
  FROM ds_sync('sync_sr', 'SELECT id, s, n, f, ts, d, b, j FROM sync_t', 'sync_local', 'sync_back') r;
SELECT 'missing after the round trip' AS diff, * FROM (SELECT * FROM sync_src EXCEPT SELECT * FROM sync_back) x
UNION ALL
SELECT 'extra after the round trip', * FROM (SELECT * FROM sync_back EXCEPT SELECT * FROM sync_src) y;

-- local -> remote PostgreSQL (COPY), remote PostgreSQL -> StarRocks, and
-- StarRocks -> remote PostgreSQL: every value survives every hop.
SET client_min_messages = warning;
SELECT ds_exec('sync_pg2', 'DROP TABLE IF EXISTS sync_t');
RESET client_min_messages;
SELECT ds_exec('sync_pg2', 'CREATE TABLE sync_t (id int PRIMARY KEY, s text, n numeric(20,6), f float8,
  ts timestamp, d date, b boolean, j jsonb)');
SELECT r->'NumberLoadedRows' AS loaded
  FROM ds_sync('sync_local', 'SELECT * FROM sync_src', 'sync_pg2', 'sync_t') r;
SELECT ds_exec('sync_sr', 'TRUNCATE TABLE sync_t');
SELECT r->'NumberLoadedRows' AS loaded
  FROM ds_sync('sync_pg2', 'SELECT * FROM sync_t WHERE id >= $1', 'sync_sr', 'sync_t',
               '{"label": "sync-pg2-sr"}', '[1]') r;
SELECT ds_exec('sync_pg2', 'TRUNCATE sync_t');
SELECT r->'NumberLoadedRows' AS loaded
  FROM ds_sync('sync_sr', 'SELECT * FROM sync_t', 'sync_pg2', 'sync_t') r;
TRUNCATE sync_back;
SELECT r->'NumberLoadedRows' AS loaded
  FROM ds_sync('sync_pg2', 'SELECT * FROM sync_t', 'sync_local', 'sync_back') r;
SELECT 'missing after local, pg2, sr, pg2, local' AS diff, * FROM (SELECT * FROM sync_src EXCEPT SELECT * FROM sync_back) x
UNION ALL
SELECT 'extra after local, pg2, sr, pg2, local', * FROM (SELECT * FROM sync_back EXCEPT SELECT * FROM sync_src) y;
-- bytea between PostgreSQL servers keeps every byte.
SELECT ds_exec('sync_pg2', 'CREATE TABLE sync_bin (id int, b bytea)');
SELECT ds_exec('sync_pg2', $$INSERT INTO sync_bin VALUES (1, '\x00ff5c0a'), (2, NULL)$$);
CREATE TABLE sync_bin (id int, b bytea);
SELECT r->'NumberLoadedRows' AS loaded FROM ds_sync('sync_pg2', 'SELECT * FROM sync_bin', 'sync_local', 'sync_bin') r;
SELECT * FROM sync_bin ORDER BY id;
SELECT ds_exec('sync_pg2', 'DROP TABLE sync_bin');
-- MySQL binary strings into bytea, here and on pg2: every byte, including
-- bytes that spell a bytea escape (\x41) or are not UTF-8.
SELECT ds_exec('sync_my', 'DROP TABLE IF EXISTS sync_blob');
SELECT ds_exec('sync_my', 'CREATE TABLE sync_blob (id int, vb varbinary(20), bl blob, bt bit(12))');
SELECT ds_exec('sync_my', $$INSERT INTO sync_blob VALUES (1, 0x00FF5C0A, 0x5C783431, b'101010101010'),
                                                          (2, '', 0x5C5C4E, b'0'), (3, NULL, NULL, NULL)$$);
CREATE TABLE sync_blob (id int, vb bytea, bl bytea, bt bytea);
SELECT r->'NumberLoadedRows' AS loaded FROM ds_sync('sync_my', 'SELECT * FROM sync_blob', 'sync_local', 'sync_blob') r;
SELECT * FROM sync_blob ORDER BY id;
SELECT ds_exec('sync_pg2', 'CREATE TABLE sync_blob (id int, vb bytea, bl bytea, bt bytea)');
SELECT r->'NumberLoadedRows' AS loaded FROM ds_sync('sync_my', 'SELECT * FROM sync_blob', 'sync_pg2', 'sync_blob') r;
SELECT * FROM ds_query('sync_pg2', 'SELECT * FROM sync_blob ORDER BY id');
SELECT ds_exec('sync_pg2', 'DROP TABLE sync_blob');
SELECT ds_exec('sync_my', 'DROP TABLE sync_blob');
SELECT ds_exec('sync_pg2', 'DROP TABLE sync_t');

-- timestamptz into PostgreSQL targets keeps the instant whatever the
-- session's time zone: from here, from pg2, and MySQL TIMESTAMP (an instant,
-- UTC on datastore's connections); MySQL DATETIME stays wall-clock time.
SET TimeZone = 'America/Los_Angeles';
CREATE TABLE sync_tz (id int, tz timestamptz, ts timestamp);
INSERT INTO sync_tz VALUES (1, '2024-01-01 00:00:00+00', '2024-01-01 00:00:00'),
                           (2, '4713-11-24 00:00:00+00 BC', '0044-03-15 12:00:00 BC'), (3, 'infinity', '-infinity');
CREATE TABLE sync_tz_back (LIKE sync_tz);
SELECT ds_sync('sync_local', 'SELECT * FROM sync_tz', 'sync_local', 'sync_tz_back')->'NumberLoadedRows' AS local_to_local;
SELECT ds_exec('sync_pg2', 'CREATE TABLE sync_tz (id int, tz timestamptz, ts timestamp)');
SELECT ds_sync('sync_local', 'SELECT * FROM sync_tz', 'sync_pg2', 'sync_tz', '{"format": "text"}')->'NumberLoadedRows' AS local_to_pg2;
SELECT ds_sync('sync_pg2', 'SELECT * FROM sync_tz', 'sync_local', 'sync_tz_back')->'NumberLoadedRows' AS pg2_to_local;
SELECT ds_exec('sync_my', 'DROP TABLE IF EXISTS sync_tz');
SELECT ds_exec('sync_my', 'CREATE TABLE sync_tz (id int, tz timestamp(6) NULL, ts datetime(6))');
SELECT ds_sync('sync_local', 'SELECT * FROM sync_tz WHERE id = 1', 'sync_my', 'sync_tz')->'NumberLoadedRows' AS local_to_my;
SELECT * FROM ds_query('sync_my', 'SELECT tz, ts FROM sync_tz');
SELECT ds_sync('sync_my', 'SELECT * FROM sync_tz', 'sync_local', 'sync_tz_back')->'NumberLoadedRows' AS my_to_local;
SELECT id, tz AT TIME ZONE 'UTC' AS tz_utc, ts, count(*) AS copies FROM sync_tz_back GROUP BY 1, 2, 3 ORDER BY 1;
SELECT ds_exec('sync_pg2', 'DROP TABLE sync_tz'), ds_exec('sync_my', 'DROP TABLE sync_tz');
RESET TimeZone;
SET timezone = 'UTC';

-- local -> local, with renamed columns.
CREATE TABLE sync_pairs (k int, v text);
SET datastore.progress_notice_rows = 400;
SELECT r->'NumberLoadedRows' AS loaded
  FROM ds_sync('sync_local', 'SELECT i, ''v'' || i FROM generate_series(1, 1000) i', 'sync_local',
               'sync_pairs', '{"columns": ["k", "v"]}') r;
RESET datastore.progress_notice_rows;
SELECT count(*), sum(k), min(v), max(v) FROM sync_pairs;

-- A source parameter that is not given, a source that returns no rows set,
-- a target column that does not exist, NULL arguments.
SELECT sqlstate_of($$SELECT ds_sync('sync_local', 'SELECT $1::int', 'sync_my', 'sync_t')$$);
SELECT sqlstate_of($$SELECT ds_sync('sync_my', 'DO 1', 'sync_local', 'sync_pairs')$$);
SELECT sqlstate_of($$SELECT ds_sync('sync_my', 'SELECT 1 AS nope', 'sync_local', 'sync_pairs')$$);
SELECT sqlstate_of($$SELECT ds_sync(NULL, 'SELECT 1', 'sync_local', 'sync_pairs')$$);
-- A failing target leaves nothing: the MySQL load is one remote transaction.
SELECT ds_exec('sync_my', 'CREATE TABLE IF NOT EXISTS sync_small (id int PRIMARY KEY, v varchar(3))');
SELECT sqlstate_of($$SELECT ds_sync('sync_local', 'SELECT i AS id, repeat(''x'', i) AS v FROM generate_series(1, 5) i', 'sync_my', 'sync_small')$$);
SELECT * FROM ds_query('sync_my', 'SELECT COUNT(*) AS n FROM sync_small');
-- The pool gave every connection back.
SELECT store, busy FROM ds_pool_status() WHERE store LIKE 'sync%' ORDER BY store;

-- Privileges: both stores are checked before either connects.
CREATE ROLE sync_user;
GRANT USAGE ON SCHEMA public TO sync_user;
SELECT ds_grant('sync_local', 'sync_user');
SET ROLE sync_user;
SELECT sqlstate_of($$SELECT ds_sync('sync_local', 'SELECT 1', 'sync_my', 'sync_t')$$);
SELECT sqlstate_of($$SELECT ds_sync('sync_my', 'SELECT 1', 'sync_local', 'sync_pairs')$$);
-- The local target is written as the calling user: no INSERT privilege, no load.
SELECT sqlstate_of($$SELECT ds_sync('sync_local', 'SELECT 1 AS k, ''x'' AS v', 'sync_local', 'sync_pairs')$$);
RESET ROLE;
-- Row-level security is refused, as COPY FROM refuses it.
ALTER TABLE sync_pairs ENABLE ROW LEVEL SECURITY;
GRANT INSERT ON sync_pairs TO sync_user;
SET ROLE sync_user;
SELECT sqlstate_of($$SELECT ds_sync('sync_local', 'SELECT 1 AS k, ''x'' AS v', 'sync_local', 'sync_pairs')$$);
RESET ROLE;
ALTER TABLE sync_pairs DISABLE ROW LEVEL SECURITY;
SELECT ds_revoke('sync_local', 'sync_user');
REVOKE ALL ON sync_pairs FROM sync_user;
REVOKE USAGE ON SCHEMA public FROM sync_user;
DROP ROLE sync_user;

SELECT ds_exec('sync_my', 'DROP TABLE sync_t');
SELECT ds_exec('sync_my', 'DROP TABLE sync_small');
SELECT ds_exec('sync_sr', 'DROP TABLE sync_t');
SELECT ds_unregister('sync_my'), ds_unregister('sync_sr'), ds_unregister('sync_local'),
       ds_unregister('sync_pg2');
