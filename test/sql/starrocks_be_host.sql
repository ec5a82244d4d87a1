-- BEs that advertise an address this server cannot reach (a Kubernetes pod
-- network, a Docker bridge): the FE's 307 names it, and without be_host the
-- load fails before a byte is sent; with be_host every redirected request
-- (stream load, transaction steps) goes there instead, the BE's port kept.
\set ECHO none
\o /dev/null
\getenv sr_port DS_SR_MYSQL_PORT
\getenv fe_port DS_SR_FE_PORT
\getenv my_user DS_MYSQL_USER
\getenv my_password DS_MYSQL_PASSWORD
\getenv sr_db DS_SR_DATABASE
SELECT ds_register('sr_k8s', 'starrocks', host => '127.0.0.1', port => :sr_port,
                   "user" => :'my_user', password => :'my_password', database => :'sr_db',
                   http_port => :fe_port);
SELECT ds_register('sr_k8s_lb', 'starrocks', host => '127.0.0.1', port => :sr_port,
                   "user" => :'my_user', password => :'my_password', database => :'sr_db',
                   http_port => :fe_port, options => '{"be_host": "127.0.0.1"}');
\o
\set ECHO all
SELECT ds_exec('sr_k8s', 'DROP TABLE IF EXISTS behost');
SELECT ds_exec('sr_k8s', $$CREATE TABLE behost (id INT NOT NULL, v STRING) PRIMARY KEY (id)
                           DISTRIBUTED BY HASH (id) BUCKETS 1 PROPERTIES ("replication_num" = "1")$$);
\! curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' --data '{"be_advertise_host": "be-0.be-search.starrocks.svc.invalid"}' "http://127.0.0.1:$DS_SR_FE_PORT/_emulator/config"
SELECT sqlstate_of($$SELECT ds_stream_load('sr_k8s', 'behost', '[{"id": 1, "v": "a"}]')$$) ~ 'be-0.be-search.starrocks.svc.invalid' AS unreachable_be_fails;
SELECT ds_stream_load('sr_k8s_lb', 'behost', '[{"id": 1, "v": "a"}, {"id": 2, "v": "b"}]')->>'Status' AS through_be_host;
BEGIN;
SELECT ds_stream_load_query('sr_k8s_lb', 'behost', 'SELECT 2 AS id, 1 AS __op',
                            '{"transaction": true, "label": "behost-txn"}')->>'Status' AS txn_through_be_host;
COMMIT;
SELECT * FROM ds_query('sr_k8s', 'SELECT id, v FROM behost ORDER BY id');
\! curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' --data '{"be_advertise_host": null}' "http://127.0.0.1:$DS_SR_FE_PORT/_emulator/config"
-- be_host is a host or host:port, nothing else.
SELECT ds_register('sr_k8s_bad', 'starrocks', host => '127.0.0.1', port => :sr_port,
                   "user" => :'my_user', password => :'my_password', database => :'sr_db',
                   http_port => :fe_port, options => '{"be_host": "evil.example/x?"}');
SELECT ds_stream_load('sr_k8s_bad', 'behost', '[{"id": 3, "v": "c"}]');
SELECT ds_exec('sr_k8s', 'DROP TABLE behost');
SELECT ds_unregister('sr_k8s'), ds_unregister('sr_k8s_lb'), ds_unregister('sr_k8s_bad');
