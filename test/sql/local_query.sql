-- ds_query / ds_exec on the local store through SPI.
SET timezone = 'UTC';
SET extra_float_digits = 0;

SELECT * FROM ds_query('local', 'SELECT 1 AS a, ''x'' AS b');
SELECT r->>'g' AS g FROM ds_query('local', 'SELECT g FROM generate_series(1, 3) g ORDER BY g DESC') r;

-- Every column type comes out as to_jsonb() makes it.
\set q 'SELECT 1::int2 AS i2, 2147483647::int4 AS i4, ''-9223372036854775808''::int8 AS i8, 12345678901234567890.123456789::numeric AS n, ''NaN''::numeric AS nn, ''-Infinity''::numeric AS ni, 1.5::float8 AS f8, 0.1::float4 AS f4, ''Infinity''::float8 AS fi, ''NaN''::float4 AS fn, true AS b, ''txt''::text AS t, ''ab''::char(4) AS c, ''v''::varchar AS v, ''nm''::name AS nm, ''2024-01-02''::date AS d, ''2024-01-02 03:04:05.123''::timestamp AS ts, ''2024-01-02 03:04:05+02''::timestamptz AS tz, ''infinity''::timestamp AS tinf, ''{"a": [1, 2.50]}''::jsonb AS jb, ''"s"''::jsonb AS jbs, ''{"b": 1, "b": 2}''::json AS j, ARRAY[1, NULL, 3] AS arr, ROW(1, ''a'') AS rec, ''12:00''::time AS tm, ''e3b0c442-98fc-1c14-9afb-f4c8996fb924''::uuid AS u, ''\\xdeadbeef''::bytea AS by, ''1 day''::interval AS iv, ''[1,5)''::int4range AS rg, NULL::int AS nul, ''emoji 🐘 ünïcödé''::text AS uni'
SELECT * FROM ds_query('local', :'q');
SELECT r = (SELECT to_jsonb(sub) FROM (:q) sub) AS same_as_to_jsonb
  FROM ds_query('local', :'q') r;
-- Numbers stay numbers, numeric stays exact.
SELECT jsonb_typeof(r->'i8') AS i8, jsonb_typeof(r->'n') AS n, r->>'n' AS n_text,
       jsonb_typeof(r->'nn') AS nan, jsonb_typeof(r->'nul') AS nul
  FROM ds_query('local', :'q') r;

-- Domains and duplicate column names behave like to_jsonb as well.
CREATE DOMAIN posint AS int CHECK (VALUE > 0);
CREATE TYPE mood AS ENUM ('ok', 'meh');
\set q2 'SELECT 7::posint AS p, ''meh''::mood AS m, 1 AS dup, 2 AS dup'
SELECT r, r = (SELECT to_jsonb(sub) FROM (:q2) sub) AS same FROM ds_query('local', :'q2') r;

-- Parameters: every JSON type, bound, never spliced into the SQL.
SELECT * FROM ds_query('local',
  'SELECT $1::numeric * 2 AS n, upper($2) AS s, NOT $3::boolean AS b,
          $4::text IS NULL AS isnull, $5::jsonb -> ''k'' AS o,
          jsonb_array_length($6::jsonb) AS len, $7::numeric AS big',
  '[21.5, "abc", true, null, {"k": [1, "x"]}, [1, 2, 3], 123456789012345678901234567890.5]');
SELECT * FROM ds_query('local', 'SELECT $1 AS untyped', '["as text"]');
SELECT * FROM ds_query('local', 'SELECT $1 AS s, length($1) AS len',
  $$["x'); DROP TABLE pg_class; --"]$$);
SELECT * FROM ds_query('local', 'SELECT 1 AS one', NULL);
SELECT * FROM ds_query('local', 'SELECT 1 AS one', '[]');

CREATE TABLE events (id int PRIMARY KEY, at timestamptz, tag text, payload jsonb);
SELECT ds_exec('local',
  'INSERT INTO events VALUES ($1, $2, $3, $4), ($5, $6, $7, $8)',
  '[1, "2024-05-01 10:00:00+00", "a", {"x": 1},
    2, "2024-06-01 10:00:00+00", null, [1, 2]]');
-- Parameter types are inferred from where they are used.
SELECT * FROM ds_query('local', 'SELECT id, tag FROM events WHERE at > $1 ORDER BY id',
  '["2024-05-15"]');
SELECT * FROM ds_query('local', 'SELECT id FROM events WHERE id = $1', '[2]');
SELECT * FROM ds_query('local', 'SELECT id FROM events WHERE id = $1', '["2"]');
SELECT * FROM ds_query('local', 'SELECT payload FROM events WHERE id = $1', '[1]');
SELECT * FROM ds_query('local', 'SELECT id FROM events WHERE tag IS NOT DISTINCT FROM $1', '[null]');
-- Parameter errors.
SELECT * FROM ds_query('local', 'SELECT id FROM events WHERE id = $1', '[1.5]');
SELECT * FROM ds_query('local', 'SELECT $1, $2', '[1]');
SELECT * FROM ds_query('local', 'SELECT 1', '{"a": 1}');
SELECT * FROM ds_query('local', 'SELECT 1', '"scalar"');

-- Empty results, and NULL arguments.
SELECT count(*) FROM ds_query('local', 'SELECT 1 WHERE false');
SELECT ds_query(NULL, 'SELECT 1');
SELECT ds_query('local', NULL);

-- Errors keep the SQLSTATE of the underlying failure.
SELECT * FROM ds_query('local', 'SELEC 1');
SELECT * FROM ds_query('local', 'SELECT * FROM no_such_table');
SELECT * FROM ds_query('local', 'SELECT 1/0');
SELECT sqlstate_of($$SELECT * FROM ds_query('local', 'SELEC 1')$$);
SELECT sqlstate_of($$SELECT * FROM ds_query('local', 'SELECT * FROM no_such_table')$$);
SELECT sqlstate_of($$SELECT * FROM ds_query('local', 'SELECT 1/0')$$);
SELECT sqlstate_of($$SELECT ds_exec('local', 'INSERT INTO events VALUES (1)')$$);

-- ds_exec returns rows affected.
SELECT ds_exec('local', 'CREATE TABLE counts (n int)');
SELECT ds_exec('local', 'INSERT INTO counts SELECT g FROM generate_series(1, 10) g');
SELECT ds_exec('local', 'UPDATE counts SET n = n * 10 WHERE n > $1', '[7]');
SELECT ds_exec('local', 'DELETE FROM counts WHERE n < $1', '[3]');
SELECT ds_exec('local', 'UPDATE counts SET n = 0 WHERE false');
SELECT count(*), sum(n) FROM counts;
-- DML with RETURNING through ds_query.
SELECT * FROM ds_query('local', 'DELETE FROM counts WHERE n >= $1 RETURNING n', '[80]') r ORDER BY (r->>'n')::int;

-- The caller's transaction: a rollback undoes ds_exec.
BEGIN;
SELECT ds_exec('local', 'INSERT INTO counts VALUES (-1)');
SELECT count(*) FROM ds_query('local', 'SELECT * FROM counts WHERE n = -1');
ROLLBACK;
SELECT count(*) FROM counts WHERE n = -1;

-- Results feed ordinary SQL.
SELECT (jsonb_populate_record(NULL::events, r)).* FROM ds_query('local', 'SELECT * FROM events ORDER BY id') r;
