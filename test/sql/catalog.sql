-- Registration, replacement, validation, and who may see what.
\set SHOW_CONTEXT never

SELECT ds_register('my1', 'mysql', host => '127.0.0.1', "user" => 'app',
                   password => 'hunter2', database => 'shop');
SELECT * FROM ds_stores ORDER BY name;

-- The view has every column of the table but the password.
SELECT column_name FROM information_schema.columns
 WHERE table_schema = 'datastore' AND table_name = 'stores'
EXCEPT
SELECT column_name FROM information_schema.columns
 WHERE table_schema = 'public' AND table_name = 'ds_stores'
ORDER BY 1;

-- Registering an existing name replaces it and bumps its generation.
CREATE TEMP TABLE gen AS SELECT generation FROM datastore.stores WHERE name = 'my1';
SELECT ds_register('my1', 'MySQL', host => 'db.internal', port => 3307,
                   max_connections => 4, min_connections => 2,
                   options => '{"note": "replaced"}');
SELECT * FROM ds_stores WHERE name = 'my1';
SELECT s.generation > g.generation AS generation_bumped
  FROM datastore.stores s, gen g WHERE s.name = 'my1';
-- A change made by hand bumps it too.
UPDATE gen SET generation = (SELECT generation FROM datastore.stores WHERE name = 'my1');
UPDATE datastore.stores SET max_connections = 5 WHERE name = 'my1';
SELECT s.generation > g.generation AS generation_bumped
  FROM datastore.stores s, gen g WHERE s.name = 'my1';

-- StarRocks: port defaults to the FE MySQL port, http_port is required.
SELECT ds_register('sr', 'starrocks', host => 'fe.internal', http_port => 8030);
SELECT name, type, port, http_port FROM ds_stores WHERE name = 'sr';

-- Every validation error.
SELECT ds_register('bad', 'oracle');
SELECT ds_register('bad', NULL);
SELECT ds_register('bad name', 'postgres');
SELECT ds_register('', 'postgres');
SELECT ds_register(repeat('x', 64), 'postgres');
SELECT ds_register('bad', 'mysql');
SELECT ds_register('bad', 'mysql', host => 'h', port => 0);
SELECT ds_register('bad', 'mysql', host => 'h', port => 65536);
SELECT ds_register('bad', 'mysql', host => 'h', max_connections => 0);
SELECT ds_register('bad', 'mysql', host => 'h', min_connections => -1);
SELECT ds_register('bad', 'mysql', host => 'h', max_connections => 2, min_connections => 3);
SELECT ds_register('bad', 'mysql', host => 'h', max_connections => NULL);
SELECT ds_register('bad', 'starrocks', host => 'h');
SELECT ds_register('bad', 'starrocks', host => 'h', http_port => 70000);
SELECT ds_register('bad', 'mysql', host => 'h', http_port => 8030);
SELECT ds_register('bad', 'mysql', host => 'h', options => '[1]');
SELECT ds_register('bad', 'mysql', host => 'h', options => NULL);
SELECT ds_register('bad', 'postgres', "user" => 'someone');
SELECT ds_register('bad', 'postgres', password => 'pw');
SELECT ds_register('bad', 'postgres', database => 'some_other_db');
SELECT sqlstate_of($$SELECT ds_register('bad', 'oracle')$$);
SELECT count(*) AS bad_rows FROM ds_stores WHERE name = 'bad';
-- The table's constraints hold even for hand-made rows.
SELECT sqlstate_of($$INSERT INTO datastore.stores (name, type, max_connections, min_connections)
                     VALUES ('hand', 'starrocks', 1, 0)$$);
SELECT sqlstate_of($$INSERT INTO datastore.stores (name, type, max_connections, min_connections)
                     VALUES ('hand', 'mysql', 1, 2)$$);

-- Unregister: true once, then false.
SELECT ds_unregister('sr');
SELECT ds_unregister('sr');
SELECT name FROM ds_stores ORDER BY name;

-- A role without privileges sees the view but never the table.
CREATE ROLE regress_ds_nobody;
SET ROLE regress_ds_nobody;
SELECT name, type, has_password FROM ds_stores ORDER BY name;
SELECT password FROM datastore.stores;
SELECT * FROM datastore.stores;
SELECT ds_register('mine', 'postgres');
SELECT ds_unregister('my1');
UPDATE datastore.stores SET host = 'evil.example';
RESET ROLE;
-- Granted to PUBLIC, a store shows (still without its password).
SELECT ds_grant('my1', 'public');
SET ROLE regress_ds_nobody;
SELECT name, type, has_password FROM ds_stores ORDER BY name;
RESET ROLE;
SELECT ds_revoke('my1', 'public');
SELECT ds_revoke('my1', 'public');
DROP ROLE regress_ds_nobody;
SELECT host FROM ds_stores WHERE name = 'my1';
