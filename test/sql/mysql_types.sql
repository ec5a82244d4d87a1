-- MySQL values become exact jsonb: one table with every type, read as text
-- protocol (no params) and as a prepared statement (with a param): both
-- paths must give the same objects.
\i test/sql/include/mysql.psql
\set SHOW_CONTEXT never
SET timezone = 'UTC';
SELECT ds_exec('my', 'DROP TABLE IF EXISTS alltypes');
SELECT ds_exec('my', $$
CREATE TABLE alltypes (
  id INT PRIMARY KEY,
  ti TINYINT, tb TINYINT(1), bo BOOLEAN, si SMALLINT, mi MEDIUMINT, i INT,
  bi BIGINT, ubi BIGINT UNSIGNED, ui INT UNSIGNED,
  de DECIMAL(65,30), d2 DECIMAL(10,2), fl FLOAT, db DOUBLE,
  bt BIT(1), b10 BIT(10), b64 BIT(64),
  dt DATE, dtm DATETIME, dtm6 DATETIME(6), ts TIMESTAMP NULL, tm TIME, tm3 TIME(3), yr YEAR,
  ch CHAR(5), vc VARCHAR(100), tx TEXT, bin BINARY(4), vb VARBINARY(10), bl BLOB,
  en ENUM('small','large'), st SET('a','b','c'), js JSON
) CHARACTER SET utf8mb4$$);
-- Zero dates need a lax sql_mode, for this statement only.
SELECT ds_exec('my', $$SET STATEMENT sql_mode = '' FOR
INSERT INTO alltypes VALUES
 (1, -128, 1, TRUE, -32768, -8388608, -2147483648,
  -9223372036854775808, 18446744073709551615, 4294967295,
  12345678901234567890123456789012345.123456789012345678901234567890, -0.01, 0.1, 0.1,
  b'1', b'1010101010', b'1111111111111111111111111111111111111111111111111111111111111111',
  '2024-02-29', '2024-02-29 23:59:59', '2024-02-29 23:59:59.123456', '2024-01-02 03:04:05', '-838:59:59', '12:00:00.5', 2024,
  'ab', 'emoji 🐘 and ünïcödé', 'line1\nline2\ttab \\ backslash', 'ab', x'00ff10', x'deadbeef',
  'large', 'a,c', '{"k": [1, 2.5, "x", null], "n": {"m": true}}'),
 (2, 127, 0, FALSE, 32767, 8388607, 2147483647,
  9223372036854775807, 0, 0,
  -0.000000000000000000000000000001, 99999999.99, -3.4e38, 1.7976931348623157e308,
  b'0', b'0', b'0',
  '0000-00-00', '0000-00-00 00:00:00', '1000-01-01 00:00:00.000001', NULL, '00:00:00', '838:59:59.999', 1901,
  '', '', '', '', '', '',
  'small', '', 'null'),
 (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)$$);

\a\t
SELECT jsonb_pretty(r) FROM ds_query('my', 'SELECT * FROM alltypes ORDER BY id') r;
\a\t

-- The prepared path gives the same objects.
SELECT a.r = b.r AS same, a.r->>'id' AS id
  FROM ds_query('my', 'SELECT * FROM alltypes ORDER BY id') WITH ORDINALITY a(r, n)
  JOIN ds_query('my', 'SELECT * FROM alltypes WHERE id > $1 ORDER BY id', '[0]') WITH ORDINALITY b(r, n)
    USING (n);

-- Numbers are JSON numbers and exact.
SELECT jsonb_typeof(r->'ubi') AS ubi_type, r->>'ubi' AS ubi, r->>'de' AS de,
       (r->>'ubi')::numeric = 18446744073709551615 AS ubi_exact,
       (r->>'b64')::numeric = 18446744073709551615 AS bit64_exact,
       r->'b10' AS b10, r->'tb' AS tinyint1, r->'bo' AS bool
  FROM ds_query('my', 'SELECT * FROM alltypes WHERE id = 1') r;
-- DATETIME and TIMESTAMP look like to_jsonb(timestamp / timestamptz).
SELECT r->>'dtm6' = to_jsonb('2024-02-29 23:59:59.123456'::timestamp) #>> '{}' AS dtm6_like_pg,
       r->>'ts' = to_jsonb('2024-01-02 03:04:05+00'::timestamptz) #>> '{}' AS ts_like_pg
  FROM ds_query('my', 'SELECT * FROM alltypes WHERE id = 1') r;
-- Zero dates are null, not an error.
SELECT r->'dt' AS dt, r->'dtm' AS dtm FROM ds_query('my', 'SELECT dt, dtm FROM alltypes WHERE id = 2') r;
-- Computed columns and expressions.
SELECT * FROM ds_query('my', 'SELECT 1 + 1 AS two, 10 / 4 AS quot, NULL AS nothing, ''x'' AS s, CAST(''2024-01-01'' AS DATE) AS d, 1e30 AS big, JSON_OBJECT(''a'', 1) AS jo');
-- Emoji survive a round trip through a parameter and back.
SELECT * FROM ds_query('my', 'SELECT ? AS back, CHAR_LENGTH(?) AS chars', '["🐘🚀 ok", "🐘🚀 ok"]');
-- Binary strings are hex even when they hold a NUL; a NUL inside text
-- cannot be PostgreSQL text: an ERROR, not a mangled value.
SELECT * FROM ds_query('my', 'SELECT CONCAT(''a'', CHAR(0), ''b'') AS bin');
SELECT * FROM ds_query('my', 'SELECT CONCAT(''a'', CHAR(0 USING utf8mb4), ''b'') AS nul');
SELECT * FROM ds_query('my', 'SELECT ''still works'' AS after_error');
-- Other character sets arrive converted.
SELECT * FROM ds_query('my', 'SELECT CONVERT(''é€'' USING latin1) AS l1, CONVERT(''ж'' USING koi8r) AS k');
