-- A StarRocks store speaks StarRocks' SQL (here the emulator's MySQL front):
-- MySQL-only DDL and session variables are refused with StarRocks' errors
-- (1064 / HY000 syntax and analysis errors, 1193 unknown variables) and
-- leave nothing behind; StarRocks DDL of each key model is accepted, and
-- SHOW CREATE TABLE answers in StarRocks' form.
\i test/sql/include/starrocks.psql
\set SHOW_CONTEXT never

-- MySQL-only DDL.
SELECT ds_exec('sr', 'CREATE TABLE ddl_t (k INT PRIMARY KEY, v INT)');
SELECT ds_exec('sr', 'CREATE TABLE ddl_t (k INT, v INT) ENGINE=InnoDB');
SELECT ds_exec('sr', 'CREATE TABLE ddl_t (k INT, v INT) DEFAULT CHARSET=utf8mb4');
SELECT ds_exec('sr', 'CREATE TABLE ddl_t (k INT, v MEDIUMINT)');
SELECT ds_exec('sr', 'CREATE TABLE ddl_t (k INT, e ENUM(''a'', ''b''))');
SELECT ds_exec('sr', 'CREATE TABLE ddl_t (k INT, ts DATETIME(6))');
SELECT ds_exec('sr', 'CREATE TABLE ddl_t (k INT UNSIGNED, v INT)');
-- StarRocks' own rules: key columns lead, a Primary Key is NOT NULL and
-- needs DISTRIBUTED BY HASH, an Aggregate table's values an aggregate type.
SELECT ds_exec('sr', 'CREATE TABLE ddl_t (k INT, v INT) DUPLICATE KEY (v) DISTRIBUTED BY HASH (v)');
SELECT ds_exec('sr', 'CREATE TABLE ddl_t (k INT NULL, v INT) PRIMARY KEY (k) DISTRIBUTED BY HASH (k)');
SELECT ds_exec('sr', 'CREATE TABLE ddl_t (k INT NOT NULL, v INT) PRIMARY KEY (k) DISTRIBUTED BY RANDOM');
SELECT ds_exec('sr', 'CREATE TABLE ddl_t (k INT, v INT) AGGREGATE KEY (k) DISTRIBUTED BY HASH (k)');
-- Nothing of it was made.
SELECT count(*) AS ddl_tables FROM ds_query('sr', $$SHOW TABLES LIKE 'ddl\_%'$$);
-- A MariaDB-only session variable: the store cannot connect.
SELECT ds_register('sr_mysqlvar', 'starrocks', host => '127.0.0.1', port => :sr_port,
                   "user" => :'my_user', password => :'my_password', database => :'sr_db',
                   http_port => :fe_port,
                   options => '{"session_variables": {"max_statement_time": 300}}');
SELECT ds_connect('sr_mysqlvar');
SELECT ds_unregister('sr_mysqlvar');
SELECT * FROM ds_query('sr', 'SELECT @@max_statement_time AS t');

-- StarRocks DDL: each key model.
SELECT ds_exec('sr', $$CREATE TABLE ddl_dup (k INT NOT NULL, v VARCHAR(20))
  DUPLICATE KEY (k) DISTRIBUTED BY HASH (k) BUCKETS 1 PROPERTIES ("replication_num" = "1")$$);
SELECT ds_exec('sr', $$CREATE TABLE ddl_agg (k INT NOT NULL, total BIGINT SUM DEFAULT "0", top INT MAX, last_v VARCHAR(20) REPLACE)
  AGGREGATE KEY (k) DISTRIBUTED BY HASH (k) BUCKETS 1 PROPERTIES ("replication_num" = "1")$$);
SELECT ds_exec('sr', $$CREATE TABLE ddl_uniq (k INT NOT NULL, v VARCHAR(20))
  UNIQUE KEY (k) DISTRIBUTED BY HASH (k) BUCKETS 1 PROPERTIES ("replication_num" = "1")$$);
SELECT ds_exec('sr', $$CREATE TABLE ddl_pk (k BIGINT NOT NULL, d DATE NOT NULL, v DECIMAL(10,2), s STRING, dt DATETIME, j JSON)
  PRIMARY KEY (k, d) COMMENT "orders by day" DISTRIBUTED BY HASH (k) BUCKETS 4
  ORDER BY (d) PROPERTIES ("replication_num" = "1")$$);
-- No key clause and no distribution: a Duplicate Key table (StarRocks 3.1+).
SELECT ds_exec('sr', 'CREATE TABLE ddl_default (k INT, s STRING) PROPERTIES ("replication_num" = "1")');
-- The table exists now: 1050 / 42S01.
SELECT ds_exec('sr', 'CREATE TABLE ddl_default (k INT, s STRING)');
SELECT ds_exec('sr', 'CREATE TABLE IF NOT EXISTS ddl_default (k INT, s STRING)');

-- SHOW CREATE TABLE and DESC answer in StarRocks' form.
SELECT r->>'Table' AS tbl, r->>'Create Table' AS ddl
  FROM unnest(ARRAY['ddl_dup', 'ddl_agg', 'ddl_uniq', 'ddl_pk', 'ddl_default']) t,
       ds_query('sr', 'SHOW CREATE TABLE ' || t) r;
SELECT r->>'Field' AS field, r->>'Type' AS type, r->>'Null' AS "null", r->>'Key' AS key,
       r->>'Default' AS "default", r->>'Extra' AS extra
  FROM ds_query('sr', 'DESC ddl_agg') r;

-- MySQL-only forms of other statements.
SELECT ds_exec('sr', 'TRUNCATE ddl_dup');
SELECT ds_exec('sr', 'DROP TABLE ddl_dup, ddl_uniq');
SELECT ds_exec('sr', $$REPLACE INTO ddl_dup VALUES (1, 'x')$$);
SELECT ds_exec('sr', 'ALTER TABLE ddl_dup ENGINE = InnoDB');
-- StarRocks' forms: TRUNCATE TABLE, ALTER TABLE ... ADD COLUMN, DROP TABLE
-- of one table each.
SELECT ds_exec('sr', 'TRUNCATE TABLE ddl_dup');
SELECT ds_exec('sr', 'ALTER TABLE ddl_dup ADD COLUMN note STRING AFTER v');
SELECT r->>'Create Table' AS ddl FROM ds_query('sr', 'SHOW CREATE TABLE ddl_dup') r;
SELECT ds_exec('sr', 'DROP TABLE ' || t) FROM unnest(ARRAY['ddl_dup', 'ddl_agg', 'ddl_uniq', 'ddl_pk', 'ddl_default']) t;
SELECT count(*) AS ddl_tables FROM ds_query('sr', $$SHOW TABLES LIKE 'ddl\_%'$$);
