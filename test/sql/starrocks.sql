-- StarRocks stores against the emulator (test/starrocks_emulator): MySQL
-- protocol (the emulator's MySQL front, in StarRocks' dialect) with managed
-- sessions, HTTP stream load, HTTP SQL API.
\i test/sql/include/mysql.psql
\set SHOW_CONTEXT never
SET timezone = 'UTC';
\getenv sr_port DS_SR_MYSQL_PORT
\getenv my_port DS_MYSQL_PORT
\getenv my_user DS_MYSQL_USER
\getenv my_password DS_MYSQL_PASSWORD
\getenv fe_port DS_SR_FE_PORT
\getenv sr_db DS_SR_DATABASE
SELECT ds_register('sr', 'starrocks', host => '127.0.0.1', port => :sr_port,
                   "user" => :'my_user', password => :'my_password', database => :'sr_db',
                   http_port => :fe_port,
                   options => '{"session_variables": {"sql_select_limit": 12345, "query_timeout": 600}}');

-- Reports an error's detail (minus its unstable parts) instead of raising it.
CREATE FUNCTION error_detail_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	d text;
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL;
	d := regexp_replace(d, 'error_log_[0-9a-f]+', 'error_log_X', 'g');
	d := regexp_replace(d, '127\.0\.0\.1:[0-9]+', '127.0.0.1:PORT', 'g');
	RETURN SQLSTATE || ': ' || regexp_replace(d, '"(Label|TxnId|LoadTimeMs|[A-Za-z]+TimeMs)": ("[^"]*"|-?[0-9]+)', '"\1": X', 'g');
END
$$;

-- Session variables are set on every new connection...  (query_timeout is
-- read as a number: the emulator answers StarRocks' own variables as text.)
SELECT r->'limit_var' AS limit_var, (r->>'timeout_var')::int AS timeout_var
  FROM ds_query('sr', 'SELECT @@sql_select_limit AS limit_var, @@query_timeout AS timeout_var') r;
-- ...so a connection that died comes back with them.
SELECT (r->>'id')::bigint AS victim FROM ds_query('sr', 'SELECT CONNECTION_ID() AS id') r \gset
SELECT ds_exec('my', 'KILL ' || :victim);
SELECT wait_until(format($$SELECT (r->>'n')::int = 0 FROM ds_query('my', 'SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE ID = %s') r$$, :victim)) AS victim_gone;
SELECT (r->>'id')::bigint <> :victim AS new_connection, r->'limit_var' AS limit_var,
       (r->>'timeout_var')::int AS timeout_var
  FROM ds_query('sr', 'SELECT CONNECTION_ID() AS id, @@sql_select_limit AS limit_var, @@query_timeout AS timeout_var') r;
SELECT store, reconnects FROM ds_pool_status() WHERE store = 'sr';
-- The HTTP SQL API sends them as sessionVariables.
SELECT * FROM ds_http_query('sr', 'SELECT @@sql_select_limit AS limit_var');
-- Names must be plain identifiers.
SELECT ds_register('sr_badvar', 'starrocks', host => '127.0.0.1', port => :sr_port,
                   "user" => :'my_user', password => :'my_password', http_port => :fe_port,
                   options => '{"session_variables": {"x = 1; DROP TABLE t; --": 1}}');
SELECT ds_connect('sr_badvar');
SELECT ds_unregister('sr_badvar');

-- Parameters are spliced client-side as escaped literals (StarRocks
-- prepares only SELECT): hostile strings stay strings.
SELECT * FROM ds_query('sr', 'SELECT ? AS s, ? + 1 AS n, ? IS NULL AS isnull',
  $$["x'); DROP TABLE t; -- \\ \" `", 41, null]$$);
SELECT * FROM ds_query('sr', 'SELECT $1 AS s, CHAR_LENGTH($1) AS n', '["🐘 \u0001 \n"]');
-- A literal next to a quote or a name stays a token of its own: 'a'$1 reads
-- as two adjacent literals (which MySQL joins), never as 'a''b'.
SELECT * FROM ds_query('sr', $$SELECT 'a'$1 AS joined$$, '["b"]');
SELECT * FROM ds_query('sr', 'SELECT ?AS n, ?', '[5, "x"]');

-- CSV stream load: every hostile value round-trips, back through ds_query.
CREATE TABLE sr_src (id int PRIMARY KEY, s text, n numeric(20,6), ts timestamp, d date, b boolean);
INSERT INTO sr_src VALUES
 (1, E'tab\there', 1.5, '2024-01-02 03:04:05.123456', '2024-02-29', true),
 (2, E'new\nline \r\n crlf', -0.000001, '1999-12-31 23:59:59', '1000-01-01', false),
 (3, '\N', 0, NULL, NULL, NULL),
 (4, '', NULL, '2024-06-01 00:00:00', '2024-06-01', true),
 (5, NULL, 99999999999999.999999, NULL, NULL, false),
 (6, E'back\\slash \\N \\\\ "quoted" ''single''', 1, NULL, NULL, NULL),
 (7, E'emoji 🐘🚀 ünïcödé 中文', 2, NULL, NULL, NULL),
 (8, E'separators \x01 and \x02 and comma, pipe |', 3, NULL, NULL, NULL),
 (9, '"', 4, NULL, NULL, NULL),
 (10, '\', 5, NULL, NULL, NULL);
SELECT ds_exec('sr', 'CREATE TABLE hostile (id INT NOT NULL, s STRING, n DECIMAL(20,6), ts DATETIME, d DATE, b BOOLEAN)
  PRIMARY KEY (id) DISTRIBUTED BY HASH (id) BUCKETS 1 PROPERTIES ("replication_num" = "1")');
SELECT r->>'Status' AS status, r->'NumberTotalRows' AS total, r->'NumberLoadedRows' AS loaded
  FROM ds_stream_load_query('sr', 'hostile', 'SELECT * FROM sr_src') r;
CREATE FUNCTION sr_back(tbl text) RETURNS SETOF sr_src LANGUAGE sql AS $$
	SELECT (jsonb_populate_record(NULL::sr_src, r)).* FROM ds_query('sr', 'SELECT * FROM ' || tbl) r
$$;
SELECT * FROM sr_src EXCEPT SELECT * FROM sr_back('hostile');
SELECT * FROM sr_back('hostile') EXCEPT SELECT * FROM sr_src;
SELECT id, s IS NULL AS is_null, s FROM sr_back('hostile') WHERE id IN (3, 4, 5) ORDER BY id;

-- JSON format, from a query and from a jsonb array.
SELECT ds_exec('sr', 'CREATE TABLE hostile_json LIKE hostile');
SELECT r->>'Status' AS status, r->'NumberLoadedRows' AS loaded
  FROM ds_stream_load_query('sr', 'hostile_json', 'SELECT * FROM sr_src', '{"format": "json"}') r;
SELECT count(*) AS differences FROM (SELECT * FROM sr_src EXCEPT SELECT * FROM sr_back('hostile_json')) d;
SELECT ds_exec('sr', 'TRUNCATE TABLE hostile_json');
SELECT r->>'Status' AS status, r->'NumberLoadedRows' AS loaded
  FROM ds_stream_load('sr', (SELECT database FROM ds_stores WHERE name = 'sr') || '.hostile_json',
                      (SELECT jsonb_agg(to_jsonb(src)) FROM sr_src src), '{"format": "json"}') r;
SELECT count(*) AS differences FROM (SELECT * FROM sr_back('hostile_json') EXCEPT SELECT * FROM sr_src) d;

-- Filtered rows fail the load (nothing visible) unless max_filter_ratio
-- allows them; the ERROR carries the Message, ErrorURL and the error log.
-- A Duplicate Key table, so that a row loaded twice would show; v is NOT
-- NULL, so that StarRocks filters a value it cannot convert even when
-- strict_mode is off (it would store NULL in a nullable column).
SELECT ds_exec('sr', 'CREATE TABLE nums (k INT NOT NULL, v INT NOT NULL)
  DUPLICATE KEY (k) DISTRIBUTED BY HASH (k) BUCKETS 1 PROPERTIES ("replication_num" = "1")');
SELECT error_detail_of($$SELECT ds_stream_load('sr', 'nums', '[{"k": 1, "v": 1}, {"k": 2, "v": "two"}]')$$);
SELECT * FROM ds_query('sr', 'SELECT COUNT(*) AS n FROM nums');
SELECT r->>'Status' AS status, r->'NumberLoadedRows' AS loaded, r->'NumberFilteredRows' AS filtered,
       r->>'ErrorURL' ~ '/api/_load_error_log\?file=' AS has_error_url
  FROM ds_stream_load('sr', 'nums', '[{"k": 1, "v": 1}, {"k": 2, "v": "two"}]', '{"max_filter_ratio": 0.5}') r;

-- Labels: a retry of a finished load is not an error and loads nothing.
SELECT r->>'Status' AS status, r->>'Label' AS label
  FROM ds_stream_load('sr', 'nums', '[{"k": 10, "v": 10}]', '{"label": "regress-once"}') r;
SELECT r->>'Status' AS status, r->>'ExistingJobStatus' AS existing
  FROM ds_stream_load('sr', 'nums', '[{"k": 10, "v": 10}]', '{"label": "regress-once"}') r;
SELECT ds_load_state('sr', 'regress-once');
SELECT ds_load_state('sr', 'never-used');
SELECT ds_stream_load('sr', 'nums', '[{"k": 11, "v": 11}]', '{"label": "bad label!"}');
-- Batches are loads <label>-1, -2, ...; retrying the whole call loads no row twice.
CREATE TABLE many AS SELECT g AS k, g * 10 AS v FROM generate_series(100, 109) g;
SELECT r->'NumberOfLoads' AS loads, r->'NumberLoadedRows' AS loaded
  FROM ds_stream_load_query('sr', 'nums', 'SELECT k, v FROM many ORDER BY k', '{"label": "regress-batch", "batch_rows": 3}') r;
SELECT r->'NumberOfLoads' AS loads, r->'NumberLoadedRows' AS loaded
  FROM ds_stream_load_query('sr', 'nums', 'SELECT k, v FROM many ORDER BY k', '{"label": "regress-batch", "batch_rows": 3}') r;
SELECT * FROM ds_query('sr', 'SELECT COUNT(*) AS n, SUM(v) AS s FROM nums WHERE k >= 100');
-- A batched load that failed half way, retried with the same label once the
-- bad row is fixed, loads every row exactly once.
CREATE TABLE retry_src AS SELECT g AS k, g::text AS v FROM generate_series(200, 209) g;
UPDATE retry_src SET v = 'bad' WHERE k = 207;
SELECT sqlstate_of($$SELECT ds_stream_load_query('sr', 'nums', 'SELECT k, v FROM retry_src ORDER BY k', '{"label": "regress-retry", "batch_rows": 3}')$$);
SELECT * FROM ds_query('sr', 'SELECT COUNT(*) AS n FROM nums WHERE k BETWEEN 200 AND 209');
UPDATE retry_src SET v = '207' WHERE k = 207;
SELECT r->'NumberOfLoads' AS loads, r->'NumberLoadedRows' AS loaded
  FROM ds_stream_load_query('sr', 'nums', 'SELECT k, v FROM retry_src ORDER BY k', '{"label": "regress-retry", "batch_rows": 3}') r;
SELECT * FROM ds_query('sr', 'SELECT COUNT(*) AS n, SUM(v) AS s FROM nums WHERE k BETWEEN 200 AND 209');

-- Other options go through as stream-load headers.
SELECT ds_stream_load('sr', 'nums', '[{"k": 20, "v": 20}]', '{"timeout": 600, "strict_mode": false}')->>'Status' AS status;
SELECT ds_stream_load('sr', 'nums', '[{"k": 21, "v": 21}]', '{"bad header": 1}');
SELECT ds_stream_load('sr', 'nums', '[]')->>'Message' AS empty_load;

-- Server failure shapes are ERRORs.  (Details name the emulator's ports,
-- which change from run to run: terse output from here on.)
\set VERBOSITY terse
\! curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' --data '{"fe_failed_mode": "failed", "fe_failed_count": 1}' "http://127.0.0.1:$DS_SR_FE_PORT/_emulator/config"
SELECT ds_stream_load('sr', 'nums', '[{"k": 30, "v": 30}]');
\! curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' --data '{"fe_failed_mode": "500", "fe_failed_count": 1}' "http://127.0.0.1:$DS_SR_FE_PORT/_emulator/config"
SELECT sqlstate_of($$SELECT ds_stream_load('sr', 'nums', '[{"k": 30, "v": 30}]')$$) ~ 'HTTP 500' AS http_500_is_error;
\! curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' --data '{"break_after_rows": 1, "break_count": 1, "break_scope": "load"}' "http://127.0.0.1:$DS_SR_FE_PORT/_emulator/config"
SELECT sqlstate_of($$SELECT ds_stream_load('sr', 'nums', '[{"k": 31, "v": 31}, {"k": 32, "v": 32}, {"k": 33, "v": 33}]')$$) ~ '^08006' AS broken_connection_is_error;
SELECT * FROM ds_query('sr', 'SELECT COUNT(*) AS n FROM nums WHERE k >= 30 AND k < 40');
SELECT ds_register('sr_badpw', 'starrocks', host => '127.0.0.1', port => :sr_port, "user" => :'my_user',
                   password => 'wrong', database => :'sr_db', http_port => :fe_port);
SELECT sqlstate_of($$SELECT ds_stream_load('sr_badpw', 'nums', '[{"k": 34, "v": 34}]')$$) ~ '^28000.*HTTP 401' AS unauthorized;
SELECT ds_unregister('sr_badpw');
-- A wrong http_port (here MariaDB's port) shows at connect: both endpoints
-- are checked, and the MySQL-protocol connection made first is closed (the
-- store logs in as a user of its own, so that its sessions can be counted).
SELECT ds_exec('my', $$CREATE USER IF NOT EXISTS 'ds_badhttp'@'%' IDENTIFIED BY 'badhttp-pw'$$);
SELECT ds_register('sr_badhttp', 'starrocks', host => '127.0.0.1', port => :sr_port, "user" => 'ds_badhttp',
                   password => 'badhttp-pw', http_port => :my_port);
SELECT sqlstate_of($$SELECT ds_connect('sr_badhttp')$$) ~ '^08001: datastore "sr_badhttp": the FE''s HTTP port' AS wrong_http_port_fails_at_connect;
SELECT sqlstate_of($$SELECT * FROM ds_query('sr_badhttp', 'SELECT 1')$$) ~ '^08001' AS and_at_a_query;
SELECT wait_until($q$SELECT (ds_query('my', $$SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE USER = 'ds_badhttp'$$)->>'n')::int = 0$q$) AS no_session_left_open;
SELECT ds_unregister('sr_badhttp');
SELECT ds_exec('my', $$DROP USER 'ds_badhttp'@'%'$$);
\! curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' --data '{"publish_timeout": true}' "http://127.0.0.1:$DS_SR_FE_PORT/_emulator/config"
SELECT ds_stream_load('sr', 'nums', '[{"k": 35, "v": 35}]', '{"label": "regress-publish"}')->>'Status' AS status;
\! curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' --data '{"publish_timeout": false}' "http://127.0.0.1:$DS_SR_FE_PORT/_emulator/config"

-- The HTTP SQL API: rows keyed by the meta names, SHOW's single object,
-- errors, and a stream that breaks off.
SELECT * FROM ds_http_query('sr', 'SELECT k, v, CAST(v AS DECIMAL(10,2)) AS d, NULL AS nothing FROM nums WHERE k < 3 ORDER BY k');
SELECT * FROM ds_http_query('sr', 'SHOW TABLES') r ORDER BY r::text;
SELECT * FROM ds_http_query('sr', 'SELECT nonsense FROM nums');
SELECT * FROM ds_http_query('sr', 'DELETE FROM nums');
\! curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' --data '{"break_after_rows": 2, "break_count": 1, "break_scope": "sql"}' "http://127.0.0.1:$DS_SR_FE_PORT/_emulator/config"
SELECT count(*) FROM ds_http_query('sr', 'SELECT * FROM nums');
SELECT count(*) > 2 AS complete_after FROM ds_http_query('sr', 'SELECT * FROM nums');
SELECT ds_http_query('my', 'SELECT 1');
SELECT driver, loaded FROM ds_drivers() ORDER BY driver;
