-- (The test's own queries write ->>'key'::text: the attacker's ->>(jsonb, jsonb) would capture
-- an unknown literal there, as it would in any query run with public on the path.)
-- A role that can create objects in the extension's schema plants functions
-- and operators that would win over pg_catalog's where a name is left
-- unqualified (an unknown literal prefers text over regclass; an exact
-- argument type beats an implicit cast or a polymorphic one), before and
-- after CREATE EXTENSION.  Then a superuser uses every ds_* function.  Each
-- trap, if it ever ran, would log itself and make its author a superuser:
-- both side effects are checked at the end.
\set SHOW_CONTEXT never
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
SET client_min_messages = warning;
DROP DATABASE IF EXISTS ds_shadow;
DROP DATABASE IF EXISTS ds_shadow01;
DROP DATABASE IF EXISTS ds_shadow_schema;
DROP ROLE IF EXISTS regress_ds_attacker;
RESET client_min_messages;
CREATE ROLE regress_ds_attacker;

-- The traps are in test/sql/include/shadowing_traps.psql, planted in each database below.

-- 1. The extension in public, where the attacker may create.
CREATE DATABASE ds_shadow;
\c ds_shadow
\set ECHO none
\set QUIET on
\i test/sql/include/shadowing_traps.psql
\set QUIET off
\set ECHO all
CREATE EXTENSION datastore;
-- Objects the attacker plants once the extension is there.
SET ROLE regress_ds_attacker;
CREATE FUNCTION public.ds_trap_later(text) RETURNS bigint LANGUAGE plpgsql AS $f$
BEGIN PERFORM public.trap('later'); RETURN 0; END $f$;
RESET ROLE;
-- Every function, as a superuser.
SELECT ds_register('local', 'postgres');
SELECT ds_register('my', 'mysql', host => '127.0.0.1', port => :my_port,
                   "user" => :'my_user', password => :'my_password', database => :'my_db');
SELECT ds_register('sr', 'starrocks', host => '127.0.0.1', port => :sr_port,
                   "user" => :'my_user', password => :'my_password', database => :'sr_db',
                   http_port => :fe_port);
SELECT ds_register('pg2', 'postgres', host => :'pg2_host', port => :pg2_port,
                   "user" => :'pg2_user', password => :'pg2_password', database => :'pg2_db');
SELECT ds_register('local', 'postgres');
SELECT count(*) AS stores FROM ds_stores;
SELECT ds_grant('my', 'regress_ds_attacker');
SELECT ds_revoke('my', 'regress_ds_attacker');
SELECT ds_connect('local'), ds_connect('my'), ds_connect('pg2');
SELECT ds_connect_all();
SELECT * FROM ds_query('local', 'SELECT 1 AS one');
SELECT * FROM ds_query('my', 'SELECT ? AS one', '[1]');
SELECT * FROM ds_query('pg2', 'SELECT $1::int AS one', '[1]');
SELECT ds_exec('local', 'SELECT 1');
SELECT ds_stream_load('local', 'victim', '[{"k": "a", "v": 1}, {"k": "b", "v": 2}]')->>'NumberLoadedRows'::text AS loaded;
SELECT ds_stream_load('local', 'public.victim', '[{"k": "c"}]', '{"columns": ["k"]}')->>'NumberLoadedRows'::text AS loaded;
SELECT ds_stream_load_query('local', 'victim', 'SELECT ''d'' AS k, 4 AS v')->>'NumberLoadedRows'::text AS loaded;
SELECT ds_sync('local', 'SELECT k, v FROM victim', 'local', 'victim')->>'NumberLoadedRows'::text AS synced;
SELECT ds_exec('my', 'DROP TABLE IF EXISTS shadow_t');
SELECT ds_exec('my', 'CREATE TABLE shadow_t (k VARCHAR(10), v INT)');
SELECT ds_sync('local', 'SELECT k, v FROM victim', 'my', 'shadow_t')->>'NumberLoadedRows'::text AS synced;
SELECT ds_exec('pg2', 'DROP TABLE IF EXISTS shadow_t');
SELECT ds_exec('pg2', 'CREATE TABLE shadow_t (k text, v int)');
SELECT ds_stream_load_query('pg2', 'shadow_t', 'SELECT k, v FROM victim')->>'NumberLoadedRows'::text AS loaded;
SELECT ds_sync('pg2', 'SELECT k, v FROM shadow_t', 'local', 'victim')->>'NumberLoadedRows'::text AS synced;
SELECT * FROM ds_tables('local');
SELECT * FROM ds_columns('local', 'victim');
SELECT * FROM ds_columns('local', 'public.victim');
SELECT * FROM ds_tables('pg2') WHERE table_name = 'shadow_t';
SELECT * FROM ds_columns('pg2', 'shadow_t');
SELECT * FROM ds_columns('my', 'shadow_t');
SELECT count(*) > 0 AS http_rows FROM ds_http_query('sr', 'SELECT 1 AS one');
SELECT ds_load_state('sr', 'no-such-label') IS NOT NULL AS load_state_answered;
SELECT count(*) >= 0 AS progress FROM ds_progress();
SELECT count(*) >= 0 AS pools FROM ds_pool_status();
SELECT count(*) = 3 AS drivers FROM ds_drivers();
SELECT ds_disconnect('my');
SELECT ds_disconnect();
SELECT ds_unregister('sr');
SELECT ds_exec('my', 'DROP TABLE shadow_t');
SELECT ds_exec('pg2', 'DROP TABLE shadow_t');
SELECT ds_unregister('my'), ds_unregister('pg2');
-- Nothing of the attacker's ran.
SELECT count(*) AS traps_run FROM public.trap_log;
SELECT rolsuper AS attacker_is_superuser FROM pg_roles WHERE rolname = 'regress_ds_attacker';

-- 2. A database that installed 0.1 with the traps already planted: 0.1's
-- column default took the attacker's nextval(text), its view the
-- attacker's operator.  The update binds them to pg_catalog's again.
\c contrib_regression
CREATE DATABASE ds_shadow01;
\c ds_shadow01
\set ECHO none
\set QUIET on
\i test/sql/include/shadowing_traps.psql
\set QUIET off
\set ECHO all
CREATE EXTENSION datastore VERSION '0.1';
-- What the stored expressions call outside pg_catalog and the extension's
-- own schema: the attacker's objects, in 0.1.
CREATE VIEW bound_to AS
	SELECT 'default of ' || a.attname AS expr, dep.refobjid::regprocedure::text AS calls
	  FROM pg_attrdef d
	  JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
	  JOIN pg_depend dep ON dep.classid = 'pg_attrdef'::regclass AND dep.objid = d.oid
	   AND dep.refclassid = 'pg_proc'::regclass
	 WHERE d.adrelid = 'datastore.stores'::regclass
	   AND (SELECT pronamespace FROM pg_proc WHERE oid = dep.refobjid) <> 'datastore'::regnamespace
	UNION ALL
	SELECT 'view ds_stores', dep.refobjid::regoperator::text
	  FROM pg_rewrite r
	  JOIN pg_depend dep ON dep.classid = 'pg_rewrite'::regclass AND dep.objid = r.oid
	   AND dep.refclassid = 'pg_operator'::regclass
	 WHERE r.ev_class = 'ds_stores'::regclass
	   AND (SELECT oprnamespace FROM pg_operator WHERE oid = dep.refobjid) <> 'pg_catalog'::regnamespace;
SELECT * FROM bound_to ORDER BY 1, 2;
ALTER EXTENSION datastore UPDATE;
SELECT * FROM bound_to ORDER BY 1, 2;
SELECT ds_register('local', 'postgres');
SELECT ds_register('my', 'mysql', host => '127.0.0.1', port => :my_port,
                   "user" => :'my_user', password => :'my_password', database => :'my_db');
SELECT ds_grant('my', 'public');
SELECT name FROM ds_stores ORDER BY name;
SELECT * FROM ds_query('my', 'SELECT 1 AS one');
SELECT ds_unregister('my');
SELECT count(*) AS traps_run FROM public.trap_log;
SELECT rolsuper AS attacker_is_superuser FROM pg_roles WHERE rolname = 'regress_ds_attacker';

-- 3. The advice of docs/security.md: install into a schema only trusted roles can
-- create in.  Overloads the attacker adds to public then capture nothing
-- that names the extension's schema, nor anything the extension calls
-- itself.
\c contrib_regression
CREATE DATABASE ds_shadow_schema;
\c ds_shadow_schema
\set ECHO none
\set QUIET on
\i test/sql/include/shadowing_traps.psql
\set QUIET off
\set ECHO all
CREATE SCHEMA ds;
CREATE EXTENSION datastore SCHEMA ds;
SET ROLE regress_ds_attacker;
CREATE FUNCTION public.ds_query(text, text, text) RETURNS SETOF jsonb LANGUAGE plpgsql AS $f$
BEGIN PERFORM public.trap('ds_query(text, text, text)'); RETURN; END $f$;
CREATE FUNCTION public.ds_disconnect(text) RETURNS boolean LANGUAGE plpgsql AS $f$
BEGIN PERFORM public.trap('ds_disconnect(text)'); RETURN true; END $f$;
CREATE FUNCTION public.ds_disconnect(name) RETURNS boolean LANGUAGE plpgsql AS $f$
BEGIN PERFORM public.trap('ds_disconnect(name)'); RETURN true; END $f$;
RESET ROLE;
SELECT ds.ds_register('local', 'postgres');
SELECT * FROM ds.ds_query('local', 'SELECT 1 AS one', '[]');
SELECT ds.ds_stream_load('local', 'victim', '[{"k": "x", "v": 9}]')->>'NumberLoadedRows'::text AS loaded;
SELECT * FROM ds.ds_tables('local');
SELECT ds.ds_unregister('local');
SELECT count(*) AS traps_run FROM public.trap_log;
SELECT rolsuper AS attacker_is_superuser FROM pg_roles WHERE rolname = 'regress_ds_attacker';

\c contrib_regression
DROP DATABASE ds_shadow;
DROP DATABASE ds_shadow01;
DROP DATABASE ds_shadow_schema;
DROP ROLE regress_ds_attacker;
