-- A backend that cannot find the client library gets a clear ERROR that
-- lists every candidate and why it failed.  (This backend has not loaded the
-- library yet, so the setting decides what it tries.)
\i test/sql/include/mysql.psql
\set SHOW_CONTEXT never
COPY (SELECT 'not a shared library') TO '/tmp/datastore_regress_fake_lib.so';
SET datastore.mysql_client_library = 'libmariadb-nonexistent.so.3, /tmp/datastore_regress_fake_lib.so';
SELECT * FROM ds_query('my', 'SELECT 1');
SELECT sqlstate_of($$SELECT * FROM ds_query('my', 'SELECT 1')$$) ~ '^58000' AS class_58;
SELECT loaded FROM ds_drivers() WHERE driver = 'mysql';
-- Local stores do not need it.
SELECT * FROM ds_query('local', 'SELECT 1 AS still_fine');
-- A library without the non-blocking API (here: libc) is refused by name.
SET datastore.mysql_client_library = 'libc.so.6';
SELECT * FROM ds_query('my', 'SELECT 1');
-- With a good name it loads.
RESET datastore.mysql_client_library;
SELECT * FROM ds_query('my', 'SELECT 1 AS loaded_now');
-- Only superusers may point the backend at a library.
CREATE ROLE regress_ds_lib;
SET ROLE regress_ds_lib;
SET datastore.mysql_client_library = '/tmp/evil.so';
RESET ROLE;
DROP ROLE regress_ds_lib;
