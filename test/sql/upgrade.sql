-- 0.1 shipped: a database that installed it updates to the current version
-- with its stores intact.  (A fresh install runs datastore--0.2.sql;
-- test/t/packaging.sh checks that both end with the same objects.)
\set SHOW_CONTEXT never
SET client_min_messages = warning;
DROP DATABASE IF EXISTS ds_upgrade;
CREATE DATABASE ds_upgrade;
RESET client_min_messages;
\c ds_upgrade
CREATE EXTENSION datastore VERSION '0.1';
SELECT extversion FROM pg_extension WHERE extname = 'datastore';
SELECT ds_register('here', 'postgres', database => current_database());
SELECT ds_exec('here', 'CREATE TABLE kept (id int)');
SELECT ds_exec('here', 'INSERT INTO kept VALUES (1), (2)');
-- What 0.1 does not have yet.
SELECT count(*) AS has_ds_sync FROM pg_proc WHERE proname = 'ds_sync';
ALTER EXTENSION datastore UPDATE;
SELECT extversion = (SELECT default_version FROM pg_available_extensions WHERE name = 'datastore') AS current
  FROM pg_extension WHERE extname = 'datastore';
-- The store registered under 0.1 still works, and so do the new functions.
SELECT * FROM ds_query('here', 'SELECT sum(id) AS s FROM kept');
CREATE TABLE copied (id int);
SELECT r->'NumberLoadedRows' AS loaded FROM ds_sync('here', 'SELECT id FROM kept', 'here', 'copied') r;
SELECT ds_unregister('here');
DROP EXTENSION datastore;
\c contrib_regression
DROP DATABASE ds_upgrade;
