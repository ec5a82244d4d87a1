-- Values arrive as they left: each case here changed on the way before.
\i test/sql/include/mysql.psql
\i test/sql/include/starrocks.psql
\i test/sql/include/remote_pg.psql
\set SHOW_CONTEXT never

-- 1. Arrays of every built-in element type from a remote PostgreSQL are JSON
-- arrays, exactly as to_jsonb() makes them (also with a delimiter that is
-- not a comma, bounds, NULLs, quoting and several dimensions).
\set arrays 'SELECT ''{=r/postgres,postgres=arwdDxt/postgres}''::aclitem[] AS acl, ''{int4,text}''::regtype[] AS types, ''{1,2}''::xid[] AS xids, ''{(1,1),(0,0);(2,2),(1,1)}''::box[] AS boxes, ''[0:1]={"a b",NULL}''::name[] AS bounded, ''{{"x\\"y",z},{" w ",NULL}}''::name[] AS nested, ''{}''::cid[] AS empty, ''{1.5,NaN}''::float8[] AS floats, ''{"[1,3)","empty"}''::int4range[] AS ranges, ''{}''::pg_lsn[] AS lsns, ''{0/16B3748}''::pg_lsn[] AS lsn'
CREATE TEMP TABLE remote_arrays AS
SELECT r AS via_ds,
       (SELECT (x->>'j')::jsonb FROM ds_query('pg2', 'SELECT to_jsonb(t)::text AS j FROM (' || :'arrays' || ') t') x) AS via_to_jsonb
  FROM ds_query('pg2', :'arrays') r;
SELECT via_ds FROM remote_arrays;
SELECT via_ds = via_to_jsonb AS same_as_to_jsonb FROM remote_arrays;
-- Every ACL column of the remote catalogs, row by row, against the remote
-- server's own to_jsonb().
SELECT count(*) AS catalog_rows_that_differ FROM (
  (SELECT r FROM ds_query('pg2', 'SELECT oid, relacl FROM pg_class WHERE relacl IS NOT NULL') r
   EXCEPT ALL
   SELECT (j->>'j')::jsonb FROM ds_query('pg2', 'SELECT to_jsonb(t)::text AS j FROM (SELECT oid, relacl FROM pg_class WHERE relacl IS NOT NULL) t') j)
  UNION ALL
  (SELECT (j->>'j')::jsonb FROM ds_query('pg2', 'SELECT to_jsonb(t)::text AS j FROM (SELECT oid, proacl, proargtypes, proallargtypes FROM pg_proc WHERE proacl IS NOT NULL OR proallargtypes IS NOT NULL) t') j
   EXCEPT ALL
   SELECT r FROM ds_query('pg2', 'SELECT oid, proacl, proargtypes, proallargtypes FROM pg_proc WHERE proacl IS NOT NULL OR proallargtypes IS NOT NULL') r)) d;
-- A literal the server could never have written is an ERROR, not a guess.
SELECT sqlstate_of($$SELECT * FROM ds_query('pg2', 'SELECT ''{a,b}''::aclitem[]')$$) ~ '^22P02' AS bad_acl_refused;
-- An aclitem[] naming a role only the remote has (its login role): read out
-- of the remote's text, not through this server's aclitem input, which
-- would look the role up here; and loaded that way into a text column.
SELECT r->'acl' = to_jsonb(ARRAY[:'pg2_user' || '=r/' || :'pg2_user']) AS remote_role_acl
  FROM ds_query('pg2', format('SELECT %L::aclitem[] AS acl', '{' || :'pg2_user' || '=r/' || :'pg2_user' || '}')) r;
CREATE TABLE ex_acl (acl text);
SELECT ds_sync('pg2', format('SELECT %L::aclitem[] AS acl', '{' || :'pg2_user' || '=r/' || :'pg2_user' || '}'),
               'local', 'ex_acl')->>'NumberLoadedRows' AS loaded;
SELECT acl = '{' || :'pg2_user' || '=r/' || :'pg2_user' || '}' AS acl_as_text FROM ex_acl;
DROP TABLE ex_acl;

-- 2. ds_sync of MySQL TIME (and every other type the server marks binary)
-- into PostgreSQL text and interval columns: the value, not its bytes.
SELECT ds_exec('my', 'DROP TABLE IF EXISTS ex_time');
SELECT ds_exec('my', 'CREATE TABLE ex_time (t TIME, t6 TIME(6), y YEAR, d DATE, e ENUM(''a'', ''b''), s SET(''x'', ''y''), b BIT(4), bin VARBINARY(4))');
SELECT ds_exec('my', $$INSERT INTO ex_time VALUES ('-00:30:20', '838:59:59.5', 2024, '2024-02-29', 'b', 'x,y', b'1010', 'ab')$$);
CREATE TABLE ex_time_text (t text, t6 text, y text, d text, e text, s text, b bytea, bin bytea);
CREATE TABLE ex_time_typed (t interval, t6 interval, y int, d date, e text, s text, b bytea, bin bytea);
SELECT ds_sync('my', 'SELECT * FROM ex_time', 'local', 'ex_time_text')->>'NumberLoadedRows' AS loaded;
SELECT ds_sync('my', 'SELECT * FROM ex_time', 'local', 'ex_time_typed')->>'NumberLoadedRows' AS loaded;
SELECT * FROM ex_time_text;
SELECT * FROM ex_time_typed;
SELECT ds_exec('pg2', 'DROP TABLE IF EXISTS ex_time_typed');
SELECT ds_exec('pg2', 'CREATE TABLE ex_time_typed (t interval, t6 interval, y int, d date, e text, s text, b bytea, bin bytea)');
SELECT ds_sync('my', 'SELECT * FROM ex_time', 'pg2', 'ex_time_typed')->>'NumberLoadedRows' AS loaded;
SELECT * FROM ds_query('pg2', 'SELECT * FROM ex_time_typed');
-- The same through StarRocks' MySQL protocol.  StarRocks has no TIME
-- column type, but TIMEDIFF() answers TIME values.
TRUNCATE ex_time_text;
SELECT ds_sync('sr', $$SELECT TIMEDIFF('2024-01-01 00:00:00', '2024-01-01 00:30:20') AS t,
                              TIMEDIFF('2024-02-04 22:59:59.5', '2024-01-01 00:00:00') AS t6$$,
               'local', 'ex_time_text', '{"columns": ["t", "t6"]}')->>'NumberLoadedRows' AS loaded;
SELECT t, t6 FROM ex_time_text;

-- 3. Zero dates (a zero year, month or day) are NULL on both paths.
SELECT ds_exec('my', 'DROP TABLE IF EXISTS ex_zero');
SELECT ds_exec('my', 'CREATE TABLE ex_zero (id INT, d DATE, dt DATETIME)');
SELECT ds_exec('my', $$SET SESSION sql_mode = ''$$);
SELECT ds_exec('my', $$INSERT INTO ex_zero VALUES (1, '0000-00-00', '0000-00-00 00:00:00'), (2, '2024-00-00', '2024-01-00 10:00:00'), (3, '2024-02-29', '2024-02-29 10:00:00')$$);
SELECT ds_exec('my', $$SET SESSION sql_mode = DEFAULT$$);
SELECT * FROM ds_query('my', 'SELECT * FROM ex_zero ORDER BY id');
CREATE TABLE ex_zero (id int, d date, dt timestamp);
SELECT ds_sync('my', 'SELECT * FROM ex_zero', 'local', 'ex_zero')->>'NumberLoadedRows' AS loaded;
SELECT * FROM ex_zero ORDER BY id;

-- 5. A timestamp parameter with an offset means its instant: MySQL sessions
-- run in UTC, so it is bound as the UTC time (MySQL would drop the offset).
SET TimeZone = 'Europe/Berlin';
SELECT ds_exec('my', 'DROP TABLE IF EXISTS ex_ts');
SELECT ds_exec('my', 'CREATE TABLE ex_ts (id INT, updated_at DATETIME(6))');
SELECT ds_exec('my', $$INSERT INTO ex_ts VALUES (1, '2024-01-01 00:30:00'), (2, '2024-01-01 01:30:00')$$);
-- 01:00 in Berlin is 00:00 UTC: both rows are later.
SELECT * FROM ds_query('my', 'SELECT COUNT(*) AS n FROM ex_ts WHERE updated_at > ?',
                       jsonb_build_array('2024-01-01 01:00:00+01'::timestamptz));
SELECT * FROM ds_query('my', 'SELECT COUNT(*) AS n FROM ex_ts WHERE updated_at > $1',
                       '["2024-01-01T01:00:00.000001+01:00"]');
SELECT * FROM ds_query('sr', 'SELECT ? AS bound', '["2024-01-01T01:00:00Z"]');
-- A timestamp without an offset is wall-clock time, as given.
SELECT * FROM ds_query('my', 'SELECT COUNT(*) AS n FROM ex_ts WHERE updated_at > ?', '["2024-01-01 01:00:00"]');
RESET TimeZone;
-- What the server changed on its own, it says: its warnings are relayed.
SELECT * FROM ds_query('my', $$SELECT CAST('12abc' AS SIGNED) AS n$$);
SELECT ds_exec('my', $$INSERT IGNORE INTO ex_ts VALUES ('7x', NULL)$$);

-- 7. A StarRocks load refused as a whole says why, and not to fix rows.
CREATE FUNCTION error_and_hint(q text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE m text; h text;
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS m = MESSAGE_TEXT, h = PG_EXCEPTION_HINT;
	RETURN SQLSTATE || ': ' || regexp_replace(m, 'datastore_sr_[0-9_]+', 'LABEL') || ' / ' || h;
END $f$;
SELECT error_and_hint($$SELECT ds_stream_load('sr', 'no_such_table', '[{"k": 1}]')$$);

-- 8. MySQL FLOAT whole: the text protocol prints it with 6 significant
-- digits (16777216 as 1.67772e7, FLT_MIN as 1.17549e-38), so a query reading
-- one runs prepared and its binary rows carry the float.  MariaDB itself
-- says which floats the column holds; ds_query, ds_sync and a parameter
-- query all read those.
SELECT ds_exec('my', 'CREATE OR REPLACE TABLE ex_float (id INT PRIMARY KEY, f FLOAT)');
SELECT ds_exec('my', 'INSERT INTO ex_float VALUES (1, 16777216), (2, 1.17549435e-38), (3, -123.456789), (4, 3.40282e38)');
SELECT r->>'id' AS id, r->>'exact' AS server_says FROM ds_query('my',
  'SELECT id, f = CASE id WHEN 1 THEN 16777216 WHEN 2 THEN CAST(1.17549435e-38 AS FLOAT) WHEN 3 THEN CAST(-123.456789 AS FLOAT) ELSE CAST(3.40282e38 AS FLOAT) END AS exact FROM ex_float ORDER BY id') r;
SELECT r FROM ds_query('my', 'SELECT f FROM ex_float ORDER BY id') r;
SELECT r FROM ds_query('my', 'SELECT f FROM ex_float WHERE id = ?', '[1]') r;
CREATE TABLE ex_float (id int PRIMARY KEY, f real);
SELECT ds_sync('my', 'SELECT * FROM ex_float', 'local', 'ex_float')->>'NumberLoadedRows' AS loaded;
SELECT id, f, f = ANY (ARRAY[16777216, 1.17549435e-38, -123.456789, 3.40282e38]::real[]) AS exact FROM ex_float ORDER BY id;
DROP TABLE ex_float;
SELECT ds_exec('my', 'DROP TABLE ex_float');

-- 9. bit(n) and MySQL's BIT(n) both ways: PostgreSQL's bits go to MySQL as
-- the bytes BIT(n) holds, MySQL's bytes come back as n bits, into local and
-- remote tables; MariaDB's own BIN() and ds_diff say they are the same.
CREATE TABLE ex_bit (id int PRIMARY KEY, b1 bit(1), b5 bit(5), b16 bit(16), b64 bit(64));
INSERT INTO ex_bit VALUES (1, '1', '10101', '1000000000000001', repeat('1', 64)::bit(64)),
  (2, '0', '00000', '0000000000000000', repeat('0', 63)::bit(63) || '1'), (3, NULL, NULL, NULL, NULL);
SELECT ds_create_table('local', 'ex_bit', 'my', 'ex_bit') IS NOT NULL AS created;
SELECT ds_sync('local', 'SELECT * FROM ex_bit', 'my', 'ex_bit')->>'NumberLoadedRows' AS to_mysql;
SELECT r->>'id' AS id, r->>'b1' AS b1, r->>'b5' AS b5, r->>'b16' AS b16, r->>'b64' AS b64
  FROM ds_query('my', 'SELECT id, BIN(b1) AS b1, BIN(b5) AS b5, BIN(b16) AS b16, BIN(b64) AS b64 FROM ex_bit ORDER BY id') r;
CREATE TABLE ex_bit_back (LIKE ex_bit);
SELECT ds_sync('my', 'SELECT * FROM ex_bit', 'local', 'ex_bit_back')->>'NumberLoadedRows' AS back;
SELECT count(*) AS differ FROM ((TABLE ex_bit EXCEPT TABLE ex_bit_back) UNION ALL (TABLE ex_bit_back EXCEPT TABLE ex_bit)) x;
SELECT ds_exec('pg2', 'DROP TABLE IF EXISTS ex_bit');
SELECT ds_exec('pg2', 'CREATE TABLE ex_bit (id int PRIMARY KEY, b1 bit(1), b5 bit(5), b16 bit(16), b64 bit(64))');
SELECT ds_sync('my', 'SELECT * FROM ex_bit', 'pg2', 'ex_bit')->>'NumberLoadedRows' AS to_pg2;
SELECT (SELECT count(*) FROM ds_diff('local', 'SELECT * FROM ex_bit', 'my', 'SELECT * FROM ex_bit', '{id}')) AS local_my,
       (SELECT count(*) FROM ds_diff('pg2', 'SELECT * FROM ex_bit', 'my', 'SELECT * FROM ex_bit', '{id}')) AS pg2_my,
       (SELECT count(*) FROM ds_diff('local', 'SELECT * FROM ex_bit', 'pg2', 'SELECT * FROM ex_bit', '{id}')) AS local_pg2;
-- A changed bit is a changed row.
SELECT ds_exec('my', $$UPDATE ex_bit SET b5 = b'10100' WHERE id = 1$$);
SELECT key, status FROM ds_diff('local', 'SELECT * FROM ex_bit', 'my', 'SELECT * FROM ex_bit', '{id}');
SELECT ds_exec('pg2', 'DROP TABLE ex_bit');
SELECT ds_exec('my', 'DROP TABLE ex_bit');
DROP TABLE ex_bit, ex_bit_back;
