-- The local store runs as the calling user: no privilege gain.
\set SHOW_CONTEXT never
CREATE TABLE secrets (k text, v text);
INSERT INTO secrets VALUES ('root', 'swordfish');
CREATE ROLE regress_ds_reader;

-- Using a store needs a grant, even the local one.
SET ROLE regress_ds_reader;
SELECT * FROM ds_query('local', 'SELECT 1');
RESET ROLE;
SELECT ds_grant('local', 'regress_ds_reader');

SET ROLE regress_ds_reader;
SELECT * FROM ds_query('local', 'SELECT current_user AS u, session_user = current_user AS same');
SELECT * FROM ds_query('local', 'SELECT * FROM secrets');
SELECT ds_exec('local', 'DELETE FROM secrets');
SELECT sqlstate_of($$SELECT * FROM ds_query('local', 'SELECT * FROM secrets')$$);
-- Nor through the catalog functions.
SELECT * FROM ds_query('local', 'SELECT password FROM datastore.stores');
RESET ROLE;

GRANT SELECT ON secrets TO regress_ds_reader;
SET ROLE regress_ds_reader;
SELECT * FROM ds_query('local', 'SELECT * FROM secrets');
SELECT ds_exec('local', 'DELETE FROM secrets');
RESET ROLE;

SELECT count(*) FROM secrets;
DROP TABLE secrets;
SELECT ds_revoke('local', 'regress_ds_reader');
DROP ROLE regress_ds_reader;
