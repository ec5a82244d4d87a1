#!/usr/bin/env bash
# Loads into a remote PostgreSQL keep every character whatever the encodings:
#  1. From a LATIN1 database, a table and a column with non-ASCII names, in
#     binary, in text, and through temp_table + merge: the names reach the
#     remote server as the names they are, and so do the values.
#  2. In a UTF-8 database, a client_encoding SET through ds_exec is refused
#     and its connection closed (remote text is read as this database's
#     encoding); the next calls work, and loads mean the same.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$DS_ENV"
db=ds_t_pq_latin1
PGOPTIONS="-c client_min_messages=warning" psql -Xq -d postgres -c "DROP DATABASE IF EXISTS $db" \
	-c "CREATE DATABASE $db ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0"
register="SELECT ds_register('pg2', 'postgres', host => '$DS_PG2_HOST', port => $DS_PG2_PORT,
                   \"user\" => '$DS_PG2_USER', password => '$DS_PG2_PASSWORD', database => '$DS_PG2_DATABASE');"

PGCLIENTENCODING=UTF8 psql -X -d "$db" -v ON_ERROR_STOP=1 >"$DS_TMP/pq_latin1.out" 2>&1 <<SQL
CREATE EXTENSION datastore;
$register
SELECT ds_exec('pg2', 'CREATE TABLE "çà_latin" (id int PRIMARY KEY, "prénom" text, "nöte" varchar(20), "étiquettes" text[])');
CREATE TABLE src (id int, "prénom" text, "nöte" varchar(20), "étiquettes" text[]);
INSERT INTO src VALUES (1, 'Zoë', 'crème brûlée', '{crème,NULL,brûlée}'), (2, 'Ærøskøbing', NULL, '{}'), (3, '', 'ÿ', '{{à,é},{ï,õ}}');
SELECT ds_stream_load_query('pg2', 'çà_latin', 'SELECT * FROM src WHERE id = 1')->>'Format' AS first;
SELECT ds_stream_load_query('pg2', 'çà_latin', 'SELECT * FROM src WHERE id = 2', '{"format": "text"}')->>'Format' AS second;
SELECT ds_stream_load_query('pg2', 'çà_latin', 'SELECT * FROM src WHERE id = 3', '{"temp_table": true,
  "merge": "INSERT INTO \"çà_latin\" SELECT * FROM {temp} ON CONFLICT (id) DO NOTHING"}')->>'NumberMergedRows' AS merged;
SELECT (SELECT jsonb_agg(r ORDER BY (r->>'id')::int) FROM ds_query('pg2', 'SELECT * FROM "çà_latin"') r)
     = (SELECT jsonb_agg(to_jsonb(s) ORDER BY id) FROM src s) AS same_rows;
SELECT ds_exec('pg2', 'DROP TABLE "çà_latin"');
SQL
cat "$DS_TMP/pq_latin1.out"
grep -A2 ' first' "$DS_TMP/pq_latin1.out" | grep -qx ' binary'
grep -A2 ' second' "$DS_TMP/pq_latin1.out" | grep -qx ' text'
grep -A2 ' merged' "$DS_TMP/pq_latin1.out" | grep -qx ' 1'
grep -A2 ' same_rows' "$DS_TMP/pq_latin1.out" | grep -qx ' t'
psql -Xq -d postgres -c "DROP DATABASE $db"

db=ds_t_pq_set_encoding
PGOPTIONS="-c client_min_messages=warning" psql -Xq -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
psql -X -d "$db" >"$DS_TMP/pq_setenc.out" 2>&1 <<SQL
\set SHOW_CONTEXT never
CREATE EXTENSION datastore;
-- One connection, so that the loads use the one the SET ran on.
SELECT ds_register('pg2', 'postgres', host => '$DS_PG2_HOST', port => $DS_PG2_PORT,
                   "user" => '$DS_PG2_USER', password => '$DS_PG2_PASSWORD', database => '$DS_PG2_DATABASE',
                   max_connections => 1);
SELECT ds_exec('pg2', 'CREATE TABLE enc_t (id int, t text, j jsonb)');
SELECT ds_exec('pg2', 'SET client_encoding = ''LATIN1''');
SELECT * FROM ds_query('pg2', 'SELECT current_setting(''client_encoding'') AS enc');
CREATE TABLE src (id int, t text, j jsonb);
INSERT INTO src VALUES (1, 'Zoë', '{"é": "ü"}');
SELECT ds_stream_load_query('pg2', 'enc_t', 'SELECT * FROM src')->>'Format' AS binary_load;
SELECT ds_stream_load_query('pg2', 'enc_t', 'SELECT * FROM src', '{"format": "text"}')->>'Format' AS text_load;
SELECT ds_stream_load('pg2', 'enc_t', '[{"id": 1, "t": "Zoë", "j": {"é": "ü"}}]')->>'NumberLoadedRows' AS json_load;
SELECT count(*) AS same FROM ds_query('pg2', 'SELECT * FROM enc_t') r WHERE r = '{"id": 1, "t": "Zoë", "j": {"é": "ü"}}';
SELECT ds_exec('pg2', 'DROP TABLE enc_t');
SQL
cat "$DS_TMP/pq_setenc.out"
[ "$(grep -c 'ERROR:' "$DS_TMP/pq_setenc.out")" = 1 ]
grep -q 'ERROR:  a statement changed the client_encoding of a connection to datastore "pg2"' "$DS_TMP/pq_setenc.out"
grep -q '{"enc": "UTF8"}' "$DS_TMP/pq_setenc.out"
grep -A2 ' same' "$DS_TMP/pq_setenc.out" | grep -qx ' *3'
psql -Xq -d postgres -c "DROP DATABASE $db"
