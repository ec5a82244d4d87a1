-- The privilege model, tried as a new non-superuser would.
\set SHOW_CONTEXT never
CREATE ROLE regress_ds_app;
CREATE ROLE regress_ds_ops;
GRANT datastore_admin TO regress_ds_ops;

SET ROLE regress_ds_app;
-- Cannot read passwords, nor see stores it was not granted.
SELECT password FROM datastore.stores;
SELECT count(*) AS visible_stores FROM ds_stores;
-- Cannot use an ungranted store: 42501 before any connection is made.
SELECT * FROM ds_query('my', 'SELECT 1');
SELECT sqlstate_of($$SELECT ds_exec('my', 'SELECT 1')$$);
SELECT ds_connect('my');
SELECT ds_stream_load('my', 'kv', '[{"k": "x"}]');
SELECT * FROM ds_http_query('sr', 'SELECT 1');
SELECT ds_load_state('sr', 'x');
SELECT * FROM ds_pool_status();
-- Cannot make the server connect to a host of its choosing.
SELECT ds_register('evil', 'mysql', host => '203.0.113.1', "user" => 'root');
SELECT ds_register('my', 'mysql', host => '203.0.113.1');
UPDATE datastore.stores SET host = '203.0.113.1' WHERE name = 'my';
INSERT INTO datastore.grants VALUES ('my', 'regress_ds_app');
SELECT ds_grant('my', 'regress_ds_app');
RESET ROLE;

-- A datastore_admin member manages stores, but may not name a password_file.
SET ROLE regress_ds_ops;
SELECT ds_register('ops_store', 'mysql', host => '127.0.0.1', port => 1, "user" => 'x', password => 'opsecret');
SELECT ds_register('ops_file', 'mysql', host => '127.0.0.1', port => 1, options => '{"password_file": "/etc/shadow"}');
SELECT name, owner, has_password FROM ds_stores WHERE name = 'ops_store';
SELECT ds_grant('my', 'regress_ds_app');
RESET ROLE;

-- Granted, it works; the password still does not show.
SET ROLE regress_ds_app;
SELECT * FROM ds_query('my', 'SELECT 1 AS granted');
SELECT name, has_password FROM ds_stores ORDER BY name;
RESET ROLE;
SELECT ds_revoke('my', 'regress_ds_app');
SET ROLE regress_ds_app;
SELECT * FROM ds_query('my', 'SELECT 1 AS revoked');
RESET ROLE;

-- Membership in a granted role is enough.
CREATE ROLE regress_ds_team;
GRANT regress_ds_team TO regress_ds_app;
SELECT ds_grant('my', 'regress_ds_team');
SET ROLE regress_ds_app;
SELECT * FROM ds_query('my', 'SELECT 1 AS via_team');
RESET ROLE;

-- password_file: a superuser's way to keep the password out of the table.
\getenv my_port DS_MYSQL_PORT
\getenv my_user DS_MYSQL_USER
\getenv my_password DS_MYSQL_PASSWORD
\set pwfile '/tmp/datastore_regress_password'
COPY (SELECT :'my_password') TO :'pwfile';
SELECT ds_register('my_file', 'mysql', host => '127.0.0.1', port => :my_port, "user" => :'my_user',
                   options => jsonb_build_object('password_file', :'pwfile'));
SELECT * FROM ds_query('my_file', 'SELECT 1 AS via_password_file');
SELECT name, has_password, options ? 'password_file' AS uses_file FROM ds_stores WHERE name = 'my_file';
SELECT ds_register('my_nofile', 'mysql', host => '127.0.0.1', port => :my_port, "user" => :'my_user',
                   options => '{"password_file": "/nonexistent/pw"}');
SELECT * FROM ds_query('my_nofile', 'SELECT 1');

-- A wrong password never shows in the error.
SELECT ds_register('my_wrong', 'mysql', host => '127.0.0.1', port => :my_port, "user" => :'my_user',
                   password => 'Sup3r-Secret-Word');
SELECT sqlstate_of($$SELECT * FROM ds_query('my_wrong', 'SELECT 1')$$) ~ 'Sup3r' AS password_in_error;
SELECT sqlstate_of($$SELECT * FROM ds_query('my_wrong', 'SELECT 1')$$) ~ '^08001' AS connect_error;

SELECT ds_unregister('ops_store');
SELECT ds_unregister('my_file');
SELECT ds_unregister('my_nofile');
SELECT ds_unregister('my_wrong');
SELECT ds_revoke('my', 'regress_ds_team');
DROP ROLE regress_ds_team;
DROP ROLE regress_ds_ops;
DROP ROLE regress_ds_app;
