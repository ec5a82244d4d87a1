-- Loads by key into MySQL/MariaDB: options->'mode' upsert, delete and
-- mirror, through a temporary stage in the load's transaction, with the
-- counts of the rows each changed; a load that fails midway changing
-- nothing and leaving no stage behind on the pooled connection.
\i test/sql/include/mysql.psql
\set SHOW_CONTEXT never
SET timezone = 'UTC';
-- A store of one connection, to see what a load leaves on it.
SELECT ds_register('my1', 'mysql', host => '127.0.0.1', port => :my_port,
                   "user" => :'my_user', password => :'my_password', database => :'my_db',
                   max_connections => 1);

-- The target: its primary key is its only unique key, and a CHECK that a
-- later load breaks (MySQL checks it in the target, not in the stage).
SELECT ds_exec('my', 'DROP TABLE IF EXISTS mm_t, mm_u, mm_pair, mm_nokey, mm_req, `mm``h`');
SELECT ds_exec('my', 'CREATE TABLE mm_t (id INT PRIMARY KEY, v VARCHAR(10) NOT NULL, n DECIMAL(10,2),
                      CHECK (n IS NULL OR n <> -1)) ENGINE=InnoDB');
CREATE TABLE modes_start (id int, v text, n numeric(10,2));
INSERT INTO modes_start VALUES (1, 'one', 1), (2, 'two', 2), (3, 'three', 3), (4, 'four', 4);
CREATE FUNCTION mm_rows() RETURNS SETOF jsonb LANGUAGE sql AS $$
  SELECT r FROM ds_query('my', 'SELECT id, v, n FROM mm_t ORDER BY id') r
$$;
CREATE FUNCTION mm_reset() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ds_exec('my', 'DELETE FROM mm_t');
  PERFORM ds_stream_load_query('my', 'mm_t', 'SELECT * FROM modes_start');
END $$;
-- The load's result without the keys that vary from run to run.
CREATE FUNCTION modes_result(r jsonb) RETURNS jsonb LANGUAGE sql AS $$
  SELECT r - 'LoadTimeMs' - 'LoadBytes'
$$;
SELECT mm_reset();

-- upsert: 2 as it was (left alone, not counted), 3 changed, 5 new.
CREATE TABLE modes_src (id int, v text, n numeric(10,2));
INSERT INTO modes_src VALUES (2, 'two', 2), (3, 'THREE', 3.5), (5, 'five', 5);
SELECT modes_result(ds_sync('local', 'SELECT * FROM modes_src', 'my', 'mm_t', '{"mode": "upsert"}'));
SELECT * FROM mm_rows();
-- the same again changes nothing
SELECT modes_result(ds_stream_load_query('my', 'mm_t', 'SELECT * FROM modes_src', '{"mode": "upsert"}'));

-- delete: the rows are keys; a key the target lacks deletes nothing.
SELECT modes_result(ds_stream_load('my', 'mm_t', '[{"id": 1}, {"id": 99}]', '{"mode": "delete"}'));
SELECT modes_result(ds_sync('local', 'SELECT 5 AS id', 'my', 'mm_t', '{"mode": "delete"}'));
SELECT * FROM mm_rows();

-- mirror: the target ends equal to the source: 4 deleted, 3 updated, 6 new.
SELECT mm_reset();
TRUNCATE modes_src;
INSERT INTO modes_src VALUES (1, 'one', 1), (2, 'two', 2), (3, 'three 2', 3), (6, 'six', NULL);
SELECT modes_result(ds_sync('local', 'SELECT * FROM modes_src', 'my', 'mm_t', '{"mode": "mirror"}'));
SELECT * FROM mm_rows();
SELECT count(*) AS differ FROM (
  (SELECT * FROM modes_src EXCEPT SELECT (jsonb_populate_record(NULL::modes_src, r)).* FROM mm_rows() r)
  UNION ALL
  (SELECT (jsonb_populate_record(NULL::modes_src, r)).* FROM mm_rows() r EXCEPT SELECT * FROM modes_src)) d;
-- the same mirror again changes nothing
SELECT modes_result(ds_sync('local', 'SELECT * FROM modes_src', 'my', 'mm_t', '{"mode": "mirror"}'));
-- a jsonb array in mode mirror
SELECT modes_result(ds_stream_load('my', 'mm_t',
  '[{"id": 1, "v": "one", "n": 1}, {"id": 6, "v": "six", "n": 6}]', '{"mode": "mirror"}'));
SELECT * FROM mm_rows();

-- A failure midway changes nothing: the last row breaks the target's CHECK
-- in an upsert, and in a mirror once its delete has run.
SELECT mm_reset();
TRUNCATE modes_src;
INSERT INTO modes_src VALUES (2, 'two', 2), (3, 'THREE', 3.5), (5, 'five', 5), (7, 'bad', -1);
SELECT ds_sync('local', 'SELECT * FROM modes_src ORDER BY id', 'my', 'mm_t', '{"mode": "upsert"}');
SELECT ds_sync('local', 'SELECT * FROM modes_src ORDER BY id', 'my', 'mm_t', '{"mode": "mirror"}');
-- a value too long for the column (strict mode), last
SELECT ds_stream_load('my', 'mm_t', '[{"id": 2, "v": "TWO", "n": 2}, {"id": 8, "v": "much too long", "n": 8}]',
                      '{"mode": "mirror"}');
-- NULL into the NOT NULL column
SELECT ds_stream_load('my', 'mm_t', '[{"id": 2, "v": "TWO", "n": 2}, {"id": 8, "v": null, "n": 8}]',
                      '{"mode": "upsert"}');
-- a key twice among the rows
SELECT ds_sync('local', 'SELECT * FROM modes_src WHERE id < 7 UNION ALL SELECT 2, ''x'', 0', 'my', 'mm_t',
               '{"mode": "mirror"}');
-- still modes_start's four rows
SELECT * FROM mm_rows();

-- What a load leaves on its connection: on success no stage; after a
-- failure the connection itself is closed (it was in the transaction),
-- which rolls back and takes the stage with it.
CREATE TEMP TABLE conn_ids (step text, id text);
INSERT INTO conn_ids SELECT 'before', r->>'c' FROM ds_query('my1', 'SELECT CONNECTION_ID() AS c') r;
SELECT modes_result(ds_stream_load('my1', 'mm_t', '[{"id": 4, "v": "four", "n": 4}]', '{"mode": "upsert"}'));
INSERT INTO conn_ids SELECT 'after success', r->>'c' FROM ds_query('my1', 'SELECT CONNECTION_ID() AS c') r;
SELECT ds_query('my1', 'SELECT COUNT(*) FROM datastore_stage');
SELECT ds_sync('local', 'SELECT * FROM modes_src ORDER BY id', 'my1', 'mm_t', '{"mode": "mirror"}');
INSERT INTO conn_ids SELECT 'after failure', r->>'c' FROM ds_query('my1', 'SELECT CONNECTION_ID() AS c') r;
SELECT ds_query('my1', 'SELECT COUNT(*) FROM datastore_stage');
SELECT step, id = (SELECT id FROM conn_ids WHERE step = 'before') AS same_connection
  FROM conn_ids WHERE step <> 'before' ORDER BY step DESC;
-- A stage some earlier statement left on the session is dropped first.
SELECT ds_exec('my1', 'CREATE TEMPORARY TABLE datastore_stage (x INT)');
SELECT modes_result(ds_stream_load('my1', 'mm_t', '[{"id": 4, "v": "four", "n": 4}]', '{"mode": "upsert"}'));

-- A row MySQL would change is a failure, not silent: without strict mode
-- an insert without a NOT NULL column's value stores '' with a warning.
SELECT ds_exec('my', 'CREATE TABLE mm_req (id INT PRIMARY KEY, v TEXT, req VARCHAR(5) NOT NULL)');
SELECT ds_exec('my', 'INSERT INTO mm_req VALUES (1, ''one'', ''r'')');
SELECT ds_stream_load('my1', 'mm_req', '[{"id": 1, "v": "ONE"}, {"id": 2, "v": "two"}]', '{"mode": "upsert"}');
SELECT ds_exec('my1', 'SET SESSION sql_mode = ''''');
SELECT ds_stream_load('my1', 'mm_req', '[{"id": 1, "v": "ONE"}, {"id": 2, "v": "two"}]', '{"mode": "upsert"}');
SELECT * FROM ds_query('my', 'SELECT * FROM mm_req ORDER BY id');
-- (the failure closed that connection: the next one is strict again)
SELECT * FROM ds_query('my1', 'SELECT @@sql_mode LIKE ''%STRICT_TRANS_TABLES%'' AS strict');

-- A second unique key: upserts update by join and insert the rest, so a
-- row clashing on the other key is an ERROR, not an update of another row.
SELECT ds_exec('my', 'CREATE TABLE mm_u (id INT AUTO_INCREMENT PRIMARY KEY, code VARCHAR(5) NOT NULL UNIQUE, v TEXT)');
SELECT ds_exec('my', 'INSERT INTO mm_u VALUES (1, ''a'', ''same''), (2, ''b'', ''old'')');
SELECT modes_result(ds_stream_load('my', 'mm_u',
  '[{"id": 1, "code": "a", "v": "same"}, {"id": 2, "code": "b", "v": "new"}, {"id": 3, "code": "c", "v": "added"}]',
  '{"mode": "upsert"}'));
SELECT ds_stream_load('my', 'mm_u', '[{"id": 4, "code": "a", "v": "clash"}]', '{"mode": "upsert"}');
-- by the other key (a new row's id from its AUTO_INCREMENT)
SELECT modes_result(ds_stream_load('my', 'mm_u', '[{"code": "c", "v": "by code"}, {"code": "d", "v": "new"}]',
                                   '{"mode": "upsert", "key": "code"}'));
SELECT * FROM ds_query('my', 'SELECT code, v FROM mm_u ORDER BY code');
SELECT modes_result(ds_stream_load('my', 'mm_u', '[{"code": "b", "v": "kept"}, {"code": "d", "v": "new"}]',
                                   '{"mode": "mirror", "key": ["code"]}'));
SELECT * FROM ds_query('my', 'SELECT code, v FROM mm_u ORDER BY code');

-- A table with only a UNIQUE key of two columns, NULLs allowed: the key is
-- named; a NULL in a key matches nothing.
SELECT ds_exec('my', 'CREATE TABLE mm_nokey (a INT, b VARCHAR(5), v TEXT, UNIQUE KEY ab (a, b))');
SELECT modes_result(ds_stream_load('my', 'mm_nokey',
  '[{"a": 1, "b": "x", "v": "old"}, {"a": 2, "b": "x", "v": "old"}, {"a": 3, "b": null, "v": "null b"}]'));
SELECT ds_stream_load('my', 'mm_nokey', '[{"a": 1, "b": "x", "v": "new"}]', '{"mode": "upsert"}');
SELECT modes_result(ds_stream_load('my', 'mm_nokey',
  '[{"a": 1, "b": "x", "v": "new"}, {"a": 1, "b": "y", "v": "other"}]', '{"mode": "upsert", "key": ["a", "b"]}'));
SELECT modes_result(ds_stream_load('my', 'mm_nokey', '[{"b": "x", "a": 2}, {"a": 3, "b": null}]',
                                   '{"mode": "delete", "key": "b, a"}'));
SELECT * FROM ds_query('my', 'SELECT * FROM mm_nokey ORDER BY a, b');

-- A composite primary key, read from the server.
SELECT ds_exec('my', 'CREATE TABLE mm_pair (k1 INT, k2 VARCHAR(5), v INT, PRIMARY KEY (k2, k1))');
SELECT modes_result(ds_stream_load('my', 'mm_pair', '[{"k1": 1, "k2": "a", "v": 1}, {"k1": 1, "k2": "b", "v": 2}]',
                                   '{"mode": "upsert"}'));
SELECT modes_result(ds_stream_load('my', 'mm_pair', '[{"k1": 1, "k2": "a", "v": 10}, {"k1": 2, "k2": "a", "v": 3}]',
                                   '{"mode": "mirror"}'));
SELECT * FROM ds_query('my', 'SELECT * FROM mm_pair ORDER BY k1, k2');

-- Hostile names stay names: a key column and a table with a backtick.
SELECT ds_exec('my', 'CREATE TABLE `mm``h` (`k``ey` INT PRIMARY KEY, `v``al` TEXT)');
SELECT modes_result(ds_stream_load('my', 'mm`h', '[{"k`ey": 1, "v`al": "one"}, {"k`ey": 2, "v`al": "two"}]',
                                   '{"mode": "upsert"}'));
SELECT modes_result(ds_stream_load('my', 'mm`h', '[{"k`ey": 1, "v`al": "ONE"}]',
                                   '{"mode": "mirror", "key": ["k`ey"]}'));
SELECT * FROM ds_query('my', 'SELECT * FROM `mm``h`');
SELECT ds_stream_load('my', 'mm_t', '[{"id` = 1 OR 1 = 1 OR `id": 1}]',
                      '{"mode": "delete", "key": ["id` = 1 OR 1 = 1 OR `id"]}');
-- a quote in the table's name (a literal in the key lookup)
SELECT ds_stream_load('my', 'mm_t'' OR ''1''=''1', '[{"id": 1}]', '{"mode": "delete"}');
SELECT count(*) FROM mm_rows();

-- Options that do not fit together, and keys that do not fit.
SELECT ds_stream_load('my', 'mm_t', '[{"v": "no id"}]', '{"mode": "upsert"}');
SELECT ds_stream_load('my', 'mm_t', '[{"id": 1, "v": "x"}]', '{"mode": "upsert", "key": ["v"]}');
SELECT ds_stream_load('my', 'mm_t', '[{"id": 1, "v": "x"}]', '{"mode": "upsert", "replace": true}');
SELECT ds_stream_load('my', 'mm_nokey', '[{"a": 1, "b": "x"}]', '{"mode": "delete"}');
SELECT ds_stream_load('my', 'mm_nosuch', '[{"id": 1}]', '{"mode": "upsert"}');
SELECT ds_stream_load('my', 'mm_t', '[{"id": 1, "nosuch": 1}]', '{"mode": "upsert"}');
SELECT count(*) FROM mm_rows();

-- MySQL into the local store by key (the local path), and back.
CREATE TABLE modes_back (id int PRIMARY KEY, v text, n numeric(10,2));
INSERT INTO modes_back VALUES (1, 'old', 0), (9, 'nine', 9);
SELECT modes_result(ds_sync('my', 'SELECT id, v, n FROM mm_t WHERE id > ?', 'local', 'modes_back',
                            '{"mode": "upsert"}', params => '[0]'));
SELECT * FROM modes_back ORDER BY id;

DROP FUNCTION mm_rows(), mm_reset(), modes_result(jsonb);
DROP TABLE modes_start, modes_src, modes_back;
SELECT ds_exec('my', 'DROP TABLE mm_t, mm_u, mm_pair, mm_nokey, mm_req, `mm``h`');
SELECT ds_unregister('my1');
