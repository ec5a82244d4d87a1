-- The privilege model, tried as a new non-superuser and as an admin would,
-- each attack checked by its side effect rather than by an error's wording.
\i test/sql/include/starrocks.psql
\set SHOW_CONTEXT never
CREATE ROLE regress_ds_app;
CREATE ROLE regress_ds_ops;
GRANT datastore_admin TO regress_ds_ops;
\getenv my_port DS_MYSQL_PORT
\getenv my_user DS_MYSQL_USER
\getenv my_password DS_MYSQL_PASSWORD
\getenv pg_socket PGHOST
\getenv pg_port PGPORT

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
-- Learns nothing about stores it may not use: ds_connect_all() passes them
-- over without a word, and ds_disconnect() answers as for a missing store.
SELECT ds_connect_all() AS connected;
SELECT sqlstate_of($$SELECT ds_disconnect('my')$$) AS ungranted,
       sqlstate_of($$SELECT ds_disconnect('no_such_store')$$) AS missing;
-- Cannot make the server connect to a host of its choosing.
SELECT ds_register('evil', 'mysql', host => '203.0.113.1', "user" => 'root');
SELECT ds_register('my', 'mysql', host => '203.0.113.1');
UPDATE datastore.stores SET host = '203.0.113.1' WHERE name = 'my';
INSERT INTO datastore.grants VALUES ('my', 'regress_ds_app');
SELECT ds_grant('my', 'regress_ds_app');
RESET ROLE;
SELECT host FROM datastore.stores WHERE name = 'my';

-- A datastore_admin member manages its own stores.
SET ROLE regress_ds_ops;
SELECT ds_register('ops_store', 'mysql', host => '127.0.0.1', port => :my_port,
                   "user" => :'my_user', password => :'my_password');
SELECT name, owner, has_password FROM ds_stores WHERE name = 'ops_store';
SELECT ds_grant('ops_store', 'regress_ds_app');
RESET ROLE;
SET ROLE regress_ds_app;
SELECT * FROM ds_query('ops_store', 'SELECT 1 AS granted_by_its_owner');
RESET ROLE;

-- But it is not a superuser, and nothing lets it act as one.  A store a
-- superuser registered can be neither replaced, changed, removed nor
-- granted by it, through the functions or by writing the tables.
SET ROLE regress_ds_ops;
SELECT ds_register('my', 'mysql', host => '203.0.113.1', "user" => 'root', password => 'x');
UPDATE datastore.stores SET host = '203.0.113.1' WHERE name = 'my';
DELETE FROM datastore.stores WHERE name = 'my';
SELECT ds_unregister('my');
SELECT ds_grant('my', 'regress_ds_ops');
INSERT INTO datastore.grants VALUES ('my', 'regress_ds_ops');
RESET ROLE;
SELECT name, host, owner FROM datastore.stores WHERE name = 'my';
SELECT count(*) AS grants_on_my FROM datastore.grants WHERE store = 'my';

-- Its own store stays its own: it cannot hand it to a superuser (who may
-- do what it may not), neither by UPDATE nor by INSERT.
SET ROLE regress_ds_ops;
UPDATE datastore.stores SET owner = 'postgres' WHERE name = 'ops_store';
INSERT INTO datastore.stores (name, type, host, port, "user", password, max_connections,
                              min_connections, owner)
VALUES ('ops_hand', 'mysql', '127.0.0.1', 1, 'x', 'pw', 1, 0, 'postgres');
RESET ROLE;
SELECT name, owner FROM datastore.stores WHERE name IN ('ops_store', 'ops_hand') ORDER BY name;

-- Server files, sockets and the server's own identity are a superuser's
-- to lend: an admin's store may not name a password_file or TLS files,
-- reach a Unix socket, or connect without a password, however it writes it.
SET ROLE regress_ds_ops;
SELECT ds_register('ops_file', 'mysql', host => '127.0.0.1', port => 1, options => '{"password_file": "/etc/shadow"}');
UPDATE datastore.stores SET password = NULL, options = '{"password_file": "/etc/shadow"}' WHERE name = 'ops_store';
UPDATE datastore.stores SET options = '{"ssl": {"mode": "require", "key": "/etc/ssl/private/ssl-cert-snakeoil.key"}}' WHERE name = 'ops_store';
SELECT ds_register('ops_nopw', 'mysql', host => '127.0.0.1', port => :my_port, "user" => :'my_user');
-- The attack that worked in 0.1: the local server's socket as postgres,
-- then a statement that makes the admin a superuser.
SELECT ds_register('ops_sock', 'postgres', host => :'pg_socket', port => :pg_port, "user" => 'postgres', password => 'x');
SELECT ds_register('ops_sock', 'postgres', host => '127.0.0.1,' || :'pg_socket', port => :pg_port, "user" => 'postgres', password => 'x');
SELECT ds_register('ops_sock', 'postgres', port => :pg_port, "user" => 'postgres', password => 'x');
SELECT sqlstate_of($$SELECT ds_exec('ops_sock', 'ALTER ROLE regress_ds_ops SUPERUSER')$$);
RESET ROLE;
SELECT options FROM datastore.stores WHERE name = 'ops_store';
SELECT count(*) AS refused_stores FROM datastore.stores WHERE name IN ('ops_file', 'ops_nopw', 'ops_sock');
SELECT rolsuper AS ops_became_superuser FROM pg_roles WHERE rolname = 'regress_ds_ops';

-- The same rules hold in C whenever a store is opened: a store whose owner
-- was a superuser when it registered it, and is not any more, cannot use
-- the socket, the password-less login or the password_file it was given.
CREATE ROLE regress_ds_former_su SUPERUSER;
GRANT datastore_admin TO regress_ds_former_su;
SET ROLE regress_ds_former_su;
SELECT ds_register('former_sock', 'postgres', host => :'pg_socket', port => :pg_port, "user" => 'postgres');
SELECT ds_grant('former_sock', 'regress_ds_ops');
SELECT ds_register('former_file', 'mysql', host => '127.0.0.1', port => :my_port, "user" => :'my_user',
                   options => '{"password_file": "/etc/hostname"}');
RESET ROLE;
ALTER ROLE regress_ds_former_su NOSUPERUSER;
SET ROLE regress_ds_ops;
SELECT sqlstate_of($$SELECT ds_exec('former_sock', 'ALTER ROLE regress_ds_ops SUPERUSER')$$);
RESET ROLE;
SELECT sqlstate_of($$SELECT * FROM ds_query('former_file', 'SELECT 1')$$);
SELECT rolsuper AS ops_became_superuser FROM pg_roles WHERE rolname = 'regress_ds_ops';

-- "localhost" is the Unix socket to the MySQL client library: for a store
-- of a role that is not a superuser it means TCP, where socket
-- authentication cannot lend it the server's OS user.
SET ROLE regress_ds_ops;
SELECT ds_register('ops_localhost', 'mysql', host => 'localhost', port => :my_port,
                   "user" => :'my_user', password => :'my_password');
SELECT r->>'via' AS via FROM ds_query('ops_localhost', 'SELECT SUBSTRING_INDEX(USER(), ''@'', -1) AS via') r;
SELECT ds_unregister('ops_localhost');
RESET ROLE;

-- Granted, a store works; the password still does not show.
SELECT ds_grant('my', 'regress_ds_app');
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
\set pwfile '/tmp/datastore_regress_password'
COPY (SELECT :'my_password') TO :'pwfile';
SELECT ds_register('my_file', 'mysql', host => '127.0.0.1', port => :my_port, "user" => :'my_user',
                   options => jsonb_build_object('password_file', :'pwfile'));
SELECT * FROM ds_query('my_file', 'SELECT 1 AS via_password_file');
SELECT name, has_password, options ? 'password_file' AS uses_file FROM ds_stores WHERE name = 'my_file';
-- Which server paths exist is for superusers to learn, not for grantees.
SELECT ds_register('my_nofile', 'mysql', host => '127.0.0.1', port => :my_port, "user" => :'my_user',
                   options => '{"password_file": "/nonexistent/pw"}');
SELECT * FROM ds_query('my_nofile', 'SELECT 1');
SELECT ds_grant('my_nofile', 'regress_ds_app');
SET ROLE regress_ds_app;
SELECT * FROM ds_query('my_nofile', 'SELECT 1');
RESET ROLE;

-- A wrong password never shows in the error.
SELECT ds_register('my_wrong', 'mysql', host => '127.0.0.1', port => :my_port, "user" => :'my_user',
                   password => 'Sup3r-Secret-Word');
SELECT sqlstate_of($$SELECT * FROM ds_query('my_wrong', 'SELECT 1')$$) ~ 'Sup3r' AS password_in_error;
SELECT sqlstate_of($$SELECT * FROM ds_query('my_wrong', 'SELECT 1')$$) ~ '^08001' AS connect_error;

SELECT ds_unregister('ops_store');
SELECT ds_unregister('ops_hand');
SELECT ds_unregister('former_sock');
SELECT ds_unregister('former_file');
SELECT ds_unregister('my_file');
SELECT ds_unregister('my_nofile');
SELECT ds_unregister('my_wrong');
SELECT ds_revoke('my', 'regress_ds_team');
DROP ROLE regress_ds_team;
DROP ROLE regress_ds_former_su;
DROP ROLE regress_ds_ops;
DROP ROLE regress_ds_app;
