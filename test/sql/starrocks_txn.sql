-- Transaction stream loads ({"transaction": true}) against the emulator:
-- prepared during the call, committed with the local transaction, rolled
-- back with it.  Visibility is checked from the storage side (ds_query over
-- the MySQL protocol) and through get_load_state (ds_load_state).  The
-- tables are Duplicate Key tables: a row loaded twice would be counted twice.
\set SHOW_CONTEXT never
\set VERBOSITY terse
\getenv sr_port DS_SR_MYSQL_PORT
\getenv my_user DS_MYSQL_USER
\getenv my_password DS_MYSQL_PASSWORD
\getenv fe_port DS_SR_FE_PORT
\getenv sr_db DS_SR_DATABASE
SELECT ds_register('srt', 'starrocks', host => '127.0.0.1', port => :sr_port,
                   "user" => :'my_user', password => :'my_password', database => :'sr_db',
                   http_port => :fe_port);
SELECT ds_exec('srt', 'DROP TABLE IF EXISTS ' || t) FROM unnest(ARRAY['txn_a', 'txn_b', 'txn_events']) t;
SELECT ds_exec('srt', 'CREATE TABLE txn_a (id INT NOT NULL, v VARCHAR(20))
  DUPLICATE KEY (id) DISTRIBUTED BY HASH (id) BUCKETS 1 PROPERTIES ("replication_num" = "1")');
SELECT ds_exec('srt', 'CREATE TABLE txn_b LIKE txn_a');
CREATE FUNCTION sr_count(tbl text) RETURNS bigint LANGUAGE sql AS $$
	SELECT (r->>'n')::bigint FROM ds_query('srt', 'SELECT COUNT(*) AS n FROM ' || tbl) r
$$;

-- Commit: prepared (invisible) during the transaction, visible after COMMIT.
BEGIN;
SELECT r->>'Status' AS status, r->>'Label' AS label, r->'NumberLoadedRows' AS loaded,
       r->'NumberOfLoads' AS loads, (r->>'TxnId')::bigint > 0 AS has_txn_id
  FROM ds_stream_load('srt', 'txn_a', '[{"id": 1, "v": "a"}, {"id": 2, "v": "b"}]',
                      options => '{"transaction": true, "label": "txn-commit"}') r;
SELECT ds_load_state('srt', 'txn-commit') AS state_before_commit, sr_count('txn_a') AS rows_before_commit;
COMMIT;
SELECT ds_load_state('srt', 'txn-commit') AS state_after_commit, sr_count('txn_a') AS rows_after_commit;

-- The same label again: that transaction committed, so nothing is sent.
SELECT r->>'Status' AS status, r->>'ExistingJobStatus' AS existing
  FROM ds_stream_load('srt', 'txn_a', '[{"id": 1, "v": "a"}, {"id": 2, "v": "b"}]',
                      options => '{"transaction": true, "label": "txn-commit"}') r;
SELECT sr_count('txn_a') AS rows_after_retry;

-- Local ROLLBACK: the remote transaction is rolled back, nothing visible.
BEGIN;
SELECT ds_stream_load('srt', 'txn_a', '[{"id": 3, "v": "c"}]',
                      options => '{"transaction": true, "label": "txn-rollback"}')->>'Status' AS status;
ROLLBACK;
SELECT ds_load_state('srt', 'txn-rollback') AS state, sr_count('txn_a') AS rows_after_rollback;
-- An aborted label may be used again.
SELECT ds_stream_load('srt', 'txn_a', '[{"id": 3, "v": "c"}]',
                      options => '{"transaction": true, "label": "txn-rollback"}')->>'Status' AS status;
SELECT ds_load_state('srt', 'txn-rollback') AS state, sr_count('txn_a') AS rows_after_reuse;

-- An ERROR after the load in the same transaction: nothing visible.
BEGIN;
SELECT ds_stream_load('srt', 'txn_a', '[{"id": 4, "v": "d"}]',
                      options => '{"transaction": true, "label": "txn-error"}')->>'Status' AS status;
SELECT 1 / 0;
COMMIT;
SELECT ds_load_state('srt', 'txn-error') AS state, sr_count('txn_a') AS rows_after_error;
-- The same within one statement (autocommit).
DO $$
BEGIN
	PERFORM ds_stream_load('srt', 'txn_a', '[{"id": 5, "v": "e"}]',
	                       options => '{"transaction": true, "label": "txn-error-do"}');
	RAISE EXCEPTION 'failure after the load';
END
$$;
SELECT ds_load_state('srt', 'txn-error-do') AS state, sr_count('txn_a') AS rows_after_do;

-- Savepoints: a rolled-back savepoint rolls its loads back remotely; a
-- released one hands them to the parent.
BEGIN;
SELECT ds_stream_load('srt', 'txn_a', '[{"id": 10, "v": "kept"}]',
                      options => '{"transaction": true, "label": "txn-sp-keep"}')->>'Status' AS status;
SAVEPOINT s1;
SELECT ds_stream_load('srt', 'txn_a', '[{"id": 11, "v": "dropped"}]',
                      options => '{"transaction": true, "label": "txn-sp-drop"}')->>'Status' AS status;
ROLLBACK TO SAVEPOINT s1;
SELECT ds_load_state('srt', 'txn-sp-drop') AS dropped_state_before_commit;
SAVEPOINT s2;
SELECT ds_stream_load('srt', 'txn_a', '[{"id": 12, "v": "released"}]',
                      options => '{"transaction": true, "label": "txn-sp-release"}')->>'Status' AS status;
RELEASE SAVEPOINT s2;
COMMIT;
SELECT ds_load_state('srt', 'txn-sp-keep') AS kept, ds_load_state('srt', 'txn-sp-drop') AS dropped,
       ds_load_state('srt', 'txn-sp-release') AS released;
SELECT r->>'id' AS id, r->>'v' AS v FROM ds_query('srt', 'SELECT id, v FROM txn_a WHERE id >= 10 ORDER BY id') r;
-- A plpgsql exception block is a subtransaction too.
DO $$
BEGIN
	BEGIN
		PERFORM ds_stream_load('srt', 'txn_a', '[{"id": 13, "v": "caught"}]',
		                       options => '{"transaction": true, "label": "txn-caught"}');
		RAISE EXCEPTION 'caught below';
	EXCEPTION WHEN OTHERS THEN
		RAISE NOTICE 'caught: %', SQLERRM;
	END;
END
$$;
SELECT ds_load_state('srt', 'txn-caught') AS state;

-- Several loads, two tables, batches: all committed together.
BEGIN;
SELECT r->>'Status' AS status, r->'NumberLoadedRows' AS loaded, r->'NumberOfLoads' AS loads
  FROM ds_stream_load_query('srt', 'txn_b', 'SELECT g AS id, ''b'' || g AS v FROM generate_series(1, 5) g',
                            options => '{"transaction": true, "label": "txn-batches", "batch_rows": 2}') r;
SELECT ds_stream_load('srt', 'txn_a', '[{"id": 20, "v": "x"}]',
                      options => '{"transaction": true, "label": "txn-two-tables"}')->>'Status' AS status;
SELECT sr_count('txn_b') AS b_before, sr_count('txn_a') AS a_before;
COMMIT;
SELECT sr_count('txn_b') AS b_after, sr_count('txn_a') AS a_after;

-- Rows the server filters fail the prepare: an ERROR, nothing visible.
SELECT sqlstate_of($$SELECT ds_stream_load('srt', 'txn_a', '[{"id": "not a number", "v": "x"}]',
                      options => '{"transaction": true, "label": "txn-filtered"}')$$) AS filtered;
SELECT ds_load_state('srt', 'txn-filtered') AS state;

-- A remote transaction that outlives its prepared_timeout is aborted by the
-- server; the local COMMIT then fails and takes the local work with it.
CREATE TABLE txn_local_marks (id int);
BEGIN;
INSERT INTO txn_local_marks VALUES (1);
SELECT ds_stream_load('srt', 'txn_a', '[{"id": 30, "v": "late"}]',
                      options => '{"transaction": true, "label": "txn-expired", "prepared_timeout": 1}')->>'Status' AS status;
SELECT wait_until($$SELECT ds_load_state('srt', 'txn-expired') = 'ABORTED'$$) AS aborted_by_server;
COMMIT;
SELECT count(*) AS local_rows FROM txn_local_marks;
SELECT sr_count('txn_a WHERE id = 30') AS remote_rows;

-- The window StarRocks cannot close: of two loads, the first commits and the
-- second cannot, so the local transaction rolls back with the first load
-- already visible.  Retrying the whole transaction with the same labels
-- skips the first load (already loaded) and completes the rest.
BEGIN;
INSERT INTO txn_local_marks VALUES (2);
SELECT ds_stream_load('srt', 'txn_a', '[{"id": 31, "v": "first"}]',
                      options => '{"transaction": true, "label": "txn-window-1"}')->>'Status' AS status;
SELECT ds_stream_load('srt', 'txn_a', '[{"id": 32, "v": "second"}]',
                      options => '{"transaction": true, "label": "txn-window-2", "prepared_timeout": 1}')->>'Status' AS status;
SELECT wait_until($$SELECT ds_load_state('srt', 'txn-window-2') = 'ABORTED'$$) AS aborted_by_server;
COMMIT;
SELECT ds_load_state('srt', 'txn-window-1') AS first, ds_load_state('srt', 'txn-window-2') AS second,
       (SELECT count(*) FROM txn_local_marks) AS local_rows;
BEGIN;
INSERT INTO txn_local_marks VALUES (2);
SELECT ds_stream_load('srt', 'txn_a', '[{"id": 31, "v": "first"}]',
                      options => '{"transaction": true, "label": "txn-window-1"}')->>'Status' AS status;
SELECT ds_stream_load('srt', 'txn_a', '[{"id": 32, "v": "second"}]',
                      options => '{"transaction": true, "label": "txn-window-2"}')->>'Status' AS status;
COMMIT;
SELECT ds_load_state('srt', 'txn-window-2') AS second, (SELECT count(*) FROM txn_local_marks) AS local_rows,
       sr_count('txn_a WHERE id IN (31, 32)') AS remote_rows;

-- PREPARE TRANSACTION cannot carry a remote transaction along.
BEGIN;
SELECT ds_stream_load('srt', 'txn_a', '[{"id": 40, "v": "2pc"}]',
                      options => '{"transaction": true, "label": "txn-2pc"}')->>'Status' AS status;
PREPARE TRANSACTION 'ds_txn_test';
SELECT ds_load_state('srt', 'txn-2pc') AS state;

-- A watermark-style procedure: the batch and the watermark move together.
SELECT ds_exec('srt', 'CREATE TABLE txn_events LIKE txn_a');
CREATE TABLE txn_src_events (id int PRIMARY KEY, v text);
INSERT INTO txn_src_events SELECT g, 'e' || g FROM generate_series(1, 10) g;
CREATE TABLE txn_watermark (name text PRIMARY KEY, upto int NOT NULL);
INSERT INTO txn_watermark VALUES ('events', 0);
CREATE PROCEDURE ship_events(upto int, fail_after_load boolean) LANGUAGE plpgsql AS $$
DECLARE
	done_upto int;
BEGIN
	SELECT w.upto INTO done_upto FROM txn_watermark w WHERE name = 'events' FOR UPDATE;
	PERFORM ds_stream_load_query('srt', 'txn_events',
		format('SELECT id, v FROM txn_src_events WHERE id > %s AND id <= %s', done_upto, upto),
		options => jsonb_build_object('transaction', true,
		                              'label', format('events-%s-%s', done_upto, upto)));
	UPDATE txn_watermark SET upto = ship_events.upto WHERE name = 'events';
	IF fail_after_load THEN
		RAISE EXCEPTION 'failure after the load';
	END IF;
	COMMIT;
END
$$;
CALL ship_events(5, true);
SELECT upto AS watermark, sr_count('txn_events') AS shipped FROM txn_watermark;
CALL ship_events(5, false);
SELECT upto AS watermark, sr_count('txn_events') AS shipped FROM txn_watermark;
CALL ship_events(10, false);
SELECT upto AS watermark, sr_count('txn_events') AS shipped FROM txn_watermark;

-- Options.
SELECT sqlstate_of($$SELECT ds_stream_load('srt', 'txn_a', '[{"id": 50}]', options => '{"transaction": "yes"}')$$) AS not_boolean;
SELECT ds_unregister('srt');
