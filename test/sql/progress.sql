-- Progress: datastore.progress_notice_rows NOTICEs and ds_progress() as seen
-- from the calling session (test/t/progress.sh watches from another one).
\set SHOW_CONTEXT never
SHOW datastore.progress_notice_rows;

-- A NOTICE every N rows, with the running totals: rows counted as they
-- enter the result; bytes are the jsonb sizes of the rows.
SET datastore.progress_notice_rows = 1000;
SELECT count(*) FROM ds_query('local', 'SELECT g FROM generate_series(1, 3500) g');
-- Loads count the rows as they go in (bytes: the local store encodes none).
CREATE TABLE progress_t (g int, note text);
SELECT ds_stream_load_query('local', 'progress_t', 'SELECT g, null AS note FROM generate_series(1, 2500) g')->>'NumberLoadedRows' AS loaded;
SELECT ds_stream_load('local', 'public.progress_t', '[{"g": 1}, {"g": 2}, {"g": 3}]')->>'NumberLoadedRows' AS loaded;
SET datastore.progress_notice_rows = 2;
SELECT ds_stream_load('local', 'progress_t', '[{"g": 1}, {"g": 2}, {"g": 3}]')->>'NumberLoadedRows' AS loaded;
-- A view with a DO INSTEAD rule cannot take RETURNING: its rows are counted
-- once the INSERT is done, and the load works as before.
CREATE VIEW progress_v AS SELECT g, note FROM progress_t;
CREATE RULE progress_v_ins AS ON INSERT TO progress_v DO INSTEAD
	INSERT INTO progress_t VALUES (NEW.g, 'via rule');
SELECT ds_stream_load_query('local', 'progress_v', 'SELECT g, null AS note FROM generate_series(1, 5) g')->>'NumberLoadedRows' AS loaded;
SELECT count(*) FROM progress_t WHERE note = 'via rule';
SET datastore.progress_notice_rows = 0;
SELECT count(*) FROM ds_query('local', 'SELECT g FROM generate_series(1, 3500) g');

-- A running call is visible from inside itself: its kind, store and target.
SELECT * FROM ds_query('local', $$SELECT pid = pg_backend_pid() AS mine, kind, store, target, label, rows,
	started BETWEEN now() AND clock_timestamp() AS started_ok, datname = current_database() AS db_ok, usename = current_user AS user_ok
	FROM ds_progress()$$);
-- Inside a load's source query, the load shows, with the rows inserted so
-- far (a function, so that ds_progress() runs again for every row).
CREATE FUNCTION my_progress(g int) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	RETURN (SELECT string_agg(concat_ws(' ', kind, target, rows), ',') FROM ds_progress()
			 WHERE pid = pg_backend_pid());
END
$$;
TRUNCATE progress_t;
SELECT ds_stream_load_query('local', 'progress_t',
	'SELECT g, my_progress(g) AS note FROM generate_series(1, 3) g')->>'NumberLoadedRows' AS loaded;
SELECT g, note FROM progress_t ORDER BY g;
-- A nested call shows while it runs, then the outer call again.
TRUNCATE progress_t;
SELECT ds_stream_load_query('local', 'progress_t',
	$$SELECT g, (SELECT string_agg(r->>'p', ',') FROM ds_query('local',
	                 'SELECT my_progress(0) AS p') r WHERE g > 0) || ' then ' || my_progress(g) AS note
	    FROM generate_series(1, 2) g$$)->>'NumberLoadedRows' AS loaded;
SELECT g, note FROM progress_t ORDER BY g;

-- Finished, failed or cancelled calls leave nothing behind.
SELECT count(*) AS mine FROM ds_progress() WHERE pid = pg_backend_pid();
SELECT sqlstate_of($$SELECT * FROM ds_query('local', 'SELECT 1 / 0')$$);
SELECT count(*) AS mine FROM ds_progress() WHERE pid = pg_backend_pid();
SELECT * FROM ds_query('local', 'SELECT 1 / 0');
SELECT count(*) AS mine FROM ds_progress() WHERE pid = pg_backend_pid();
SET statement_timeout = '100ms';
SELECT ds_stream_load_query('local', 'progress_t', 'SELECT g, pg_sleep(1)::text AS note FROM generate_series(1, 2) g');
RESET statement_timeout;
SELECT count(*) AS mine FROM ds_progress() WHERE pid = pg_backend_pid();
-- An error caught inside a call (a subtransaction) ends only the calls begun
-- in it: the outer ds_query is still shown afterwards.
CREATE FUNCTION progress_after_failure() RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	BEGIN
		PERFORM * FROM ds_query('local', 'SELECT 1 / 0');
	EXCEPTION WHEN division_by_zero THEN
		NULL;
	END;
	RETURN (SELECT string_agg(kind, ',') FROM ds_progress() WHERE pid = pg_backend_pid());
END
$$;
SELECT * FROM ds_query('local', 'SELECT progress_after_failure() AS kinds');
SELECT count(*) AS mine FROM ds_progress() WHERE pid = pg_backend_pid();

-- Like pg_stat_activity: another role's call shows its pid, database and
-- role, and what it does only to that role, superusers and pg_read_all_stats.
CREATE ROLE regress_ds_watcher;
CREATE FUNCTION watcher_view() RETURNS TABLE (mine boolean, usename name, kind text, store text, rows bigint)
	LANGUAGE sql SECURITY DEFINER AS
	$$ SELECT pid = pg_backend_pid(), usename, kind, store, rows FROM ds_progress() $$;
ALTER FUNCTION watcher_view() OWNER TO regress_ds_watcher;
SELECT * FROM ds_query('local', 'SELECT * FROM watcher_view()');
GRANT pg_read_all_stats TO regress_ds_watcher;
SELECT * FROM ds_query('local', 'SELECT * FROM watcher_view()');
REVOKE pg_read_all_stats FROM regress_ds_watcher;

-- A role allowed to INSERT but not to SELECT can still load (counting with
-- RETURNING needs no SELECT privilege).
GRANT INSERT ON progress_t TO regress_ds_watcher;
SELECT ds_grant('local', 'regress_ds_watcher');
SET ROLE regress_ds_watcher;
SELECT ds_stream_load_query('local', 'progress_t', 'SELECT 7 AS g, $$w$$ AS note')->>'NumberLoadedRows' AS loaded;
SELECT sqlstate_of('SELECT * FROM progress_t');
RESET ROLE;
SELECT ds_revoke('local', 'regress_ds_watcher');

DROP FUNCTION watcher_view();
DROP FUNCTION progress_after_failure();
DROP FUNCTION my_progress(int);
REVOKE ALL ON progress_t FROM regress_ds_watcher;
DROP ROLE regress_ds_watcher;
DROP VIEW progress_v;
DROP TABLE progress_t;
