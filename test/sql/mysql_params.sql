-- Parameters are bound server-side; hostile strings are just strings.
\i test/sql/include/mysql.psql
\set SHOW_CONTEXT never
SELECT ds_exec('my', 'DROP TABLE IF EXISTS people');
SELECT ds_exec('my', 'CREATE TABLE people (id INT PRIMARY KEY, name VARCHAR(200), score DECIMAL(30,10), born DATE, flag BOOLEAN, meta JSON)');
SELECT ds_exec('my', 'INSERT INTO people VALUES ($1, $2, $3, $4, $5, $6)',
  '[1, "Robert''); DROP TABLE people; --", 12345678901234567890.0123456789, "1990-05-17", true, {"a": [1, 2]}]');
SELECT ds_exec('my', 'INSERT INTO people VALUES (?, ?, ?, ?, ?, ?)',
  $$[2, "quote ' double \" backtick ` backslash \\ nul-free \t tab", -0.0000000001, null, false, "[]"]$$);
SELECT ds_exec('my', 'INSERT INTO people (id, name) VALUES ($1, $1)', '[3]');
SELECT * FROM ds_query('my', 'SELECT id, name, score, born, flag, meta FROM people ORDER BY id');
-- The table is still there, and the hostile string matches itself exactly.
SELECT * FROM ds_query('my', 'SELECT id FROM people WHERE name = $1',
  '["Robert''); DROP TABLE people; --"]');
-- Placeholders inside quotes, comments and identifiers are not placeholders.
SELECT * FROM ds_query('my', $q$SELECT '$1 ?' AS lit, $1 AS p /* $2 ? */ -- $3 ?
  , `a$1` FROM (SELECT 7 AS `a$1`) t # ?$q$, '["x"]');
-- Numbers too large for BIGINT travel as exact decimals.
SELECT * FROM ds_query('my', 'SELECT $1 + 0 AS big, $2 AS neg', '[123456789012345678901234567890, -9223372036854775808]');
-- Errors.
SELECT * FROM ds_query('my', 'SELECT $2', '[1]');
SELECT * FROM ds_query('my', 'SELECT ?, ?', '[1]');
SELECT * FROM ds_query('my', 'SELECT ?, $1', '[1]');
SELECT * FROM ds_query('my', 'SELECT $0', '[1]');
SELECT * FROM ds_query('my', 'SELECT 1', '{"not": "an array"}');
-- The connection is fine after each of them.
SELECT * FROM ds_query('my', 'SELECT count(*) AS n FROM people');
SELECT store, connections, busy FROM ds_pool_status();
