-- The MySQL client library is loaded on first use, never before.
\set SHOW_CONTEXT never
\getenv my_port DS_MYSQL_PORT
\getenv my_user DS_MYSQL_USER
\getenv my_password DS_MYSQL_PASSWORD
\getenv my_db DS_MYSQL_DATABASE
SELECT ds_register('my', 'mysql', host => '127.0.0.1', port => :my_port,
                   "user" => :'my_user', password => :'my_password', database => :'my_db',
                   max_connections => 3, min_connections => 1);

CREATE FUNCTION client_lib_mapped() RETURNS boolean LANGUAGE sql AS $$
	SELECT pg_read_file('/proc/' || pg_backend_pid() || '/maps') ~ 'lib(mariadb|mysqlclient)'
$$;

-- A fresh backend that ran only local queries has not mapped it.
SELECT count(*) FROM ds_query('local', 'SELECT 1');
SELECT * FROM ds_stores WHERE name = 'my' AND false;
SELECT client_lib_mapped();
SELECT driver, loaded FROM ds_drivers() ORDER BY driver;

-- The first use of a mysql store loads it.
SELECT * FROM ds_query('my', 'SELECT 1 AS one');
SELECT client_lib_mapped();
SELECT driver, library ~ '/libmariadb\.so\.3$' AS versioned_soname, loaded FROM ds_drivers() ORDER BY driver;
SELECT store, type, connections, busy FROM ds_pool_status();
-- Every session: UTC, and a day before the server gives up on a client that
-- neither reads nor writes (ds_diff reading the other store, a paused source).
SELECT * FROM ds_query('my', 'SELECT @@session.time_zone AS tz, @@session.net_write_timeout AS write_timeout,
                              @@session.net_read_timeout AS read_timeout');
