-- ds_tables / ds_columns on the local store and on MySQL.
\i test/sql/include/mysql.psql
\set SHOW_CONTEXT never
CREATE TABLE intro_local (id int PRIMARY KEY, label text NOT NULL, made timestamptz);
CREATE VIEW intro_view AS SELECT id FROM intro_local;
SELECT * FROM ds_tables('local') WHERE table_name LIKE 'intro%';
SELECT * FROM ds_columns('local', 'intro_local');
SELECT * FROM ds_columns('local', 'public.intro_local');
SELECT * FROM ds_columns('local', 'no_such_table');

SELECT ds_exec('my', 'DROP TABLE IF EXISTS intro_my');
SELECT ds_exec('my', 'CREATE TABLE intro_my (id BIGINT UNSIGNED PRIMARY KEY, label VARCHAR(20) NOT NULL, made DATETIME(3))');
SELECT ds_exec('my', 'CREATE OR REPLACE VIEW intro_my_view AS SELECT id FROM intro_my');
SELECT * FROM ds_tables('my') WHERE table_name LIKE 'intro%';
SELECT * FROM ds_columns('my', 'intro_my');
SELECT * FROM ds_columns('my', (SELECT database FROM ds_stores WHERE name = 'my') || '.intro_my');
SELECT * FROM ds_tables('nosuch');
