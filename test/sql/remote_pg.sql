-- Remote PostgreSQL stores over libpq, against the suite's second cluster.
\set SHOW_CONTEXT never
\getenv pg2_host DS_PG2_HOST
\getenv pg2_port DS_PG2_PORT
\getenv pg2_user DS_PG2_USER
\getenv pg2_password DS_PG2_PASSWORD
\getenv pg2_db DS_PG2_DATABASE
\getenv pg2_tls_user DS_PG2_TLS_USER
\getenv tls_dir DS_TLS_DIR
SELECT ds_register('pg2', 'postgres', host => :'pg2_host', port => :pg2_port,
                   "user" => :'pg2_user', password => :'pg2_password', database => :'pg2_db',
                   max_connections => 3, min_connections => 1);

-- libpq is mapped on first use of a remote postgres store, never before.
CREATE FUNCTION libpq_mapped() RETURNS boolean LANGUAGE sql AS $$
	SELECT pg_read_file('/proc/' || pg_backend_pid() || '/maps') ~ '/libpq\.so'
$$;
SELECT count(*) FROM ds_query('local', 'SELECT 1');
SELECT libpq_mapped();
SELECT driver, loaded FROM ds_drivers() WHERE driver = 'libpq';
SELECT * FROM ds_query('pg2', 'SELECT 1 AS one');
SELECT libpq_mapped();
SELECT driver, library ~ '/libpq\.so\.5' AS versioned_soname, loaded
  FROM ds_drivers() WHERE driver = 'libpq';
-- The session is the remote one, set up for unambiguous text.
SELECT * FROM ds_query('pg2', 'SELECT current_user = $1 AS as_user, current_database() = $2 AS in_db,
    current_setting(''application_name'') AS app, current_setting(''client_encoding'') AS enc,
    current_setting(''DateStyle'') AS datestyle, inet_server_port() = $3 AS remote_port',
    jsonb_build_array(:'pg2_user', :'pg2_db', :pg2_port));

-- Rows as jsonb: exactly what to_jsonb() gives for the same row here, over
-- a wide set of types (timestamptz in this session's TimeZone, numbers
-- exact, NaN and infinities as strings).
SELECT $q$SELECT 32767::int2 AS i2, '-2147483648'::int4 AS i4, 9223372036854775807::int8 AS i8, 12345678901234567890.123456789012345678901234567890::numeric AS num, 'NaN'::numeric AS num_nan, 'Infinity'::numeric AS num_inf, 0.1::float4 AS f4, 1e300::float8 AS f8, 0.1::float8 AS f8b, '-Infinity'::float8 AS f8_inf, 'NaN'::float8 AS f8_nan, true AS b, 'héllo ✓ 🐘' AS t, 'tab\there'::varchar(20) AS vc, 'ab'::char(4) AS ch, 'nm'::name AS nm, 'x'::"char" AS c1, '2024-02-29'::date AS d, 'infinity'::date AS d_inf, '2024-02-29 23:59:59.123456'::timestamp AS ts, '2024-01-02 03:04:05.5+02'::timestamptz AS tstz, '-infinity'::timestamptz AS tstz_inf, '12:34:56.789'::time AS tm, '12:34:56+05:30'::timetz AS tmtz, '1 year 2 mons 3 days 04:05:06.7'::interval AS iv, '{"b": 1, "a": [1, 2.50, null], "b": 2}'::json AS js, '{"x": {"y": [true, "z"]}}'::jsonb AS jb, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid AS u, '\x00ff10'::bytea AS by, '192.168.0.1/24'::inet AS ip, '10.0.0.0/8'::cidr AS net, '08:00:2b:01:02:03'::macaddr AS mac, ARRAY[1, NULL, 3]::int[] AS ia, ARRAY['a b', NULL, '"q"']::text[] AS ta, ARRAY['2024-01-02 03:04:05+00']::timestamptz[] AS tsa, ARRAY[[1.5, 2], [3, 4]]::numeric[] AS na, B'1011'::bit(4) AS bt, B'10'::varbit AS vb, 12.34::money AS mo, point(1.5, -2) AS pt, int4range(1, 10) AS rng, 'a fat cat'::tsvector AS tsv, 1234::oid AS o, 'pg_class'::regclass AS rc, '<a>x</a>'::xml AS x$q$ AS typed \gset
SELECT (SELECT r FROM ds_query('pg2', :'typed') r) = (SELECT to_jsonb(local_row) FROM (:typed) local_row) AS same_as_to_jsonb;
SELECT jsonb_pretty(r) FROM ds_query('pg2', :'typed') r;
-- NULLs of every type are JSON null.
SELECT $q$SELECT 1 AS id, NULL::int AS i, NULL::numeric AS n, NULL::text AS t, NULL::timestamptz AS ts, NULL::jsonb AS j, NULL::int[] AS a, NULL::bytea AS b$q$ AS typed_nulls \gset
SELECT (SELECT r FROM ds_query('pg2', :'typed_nulls') r) = (SELECT to_jsonb(local_row) FROM (:typed_nulls) local_row) AS nulls_same;
-- A remote row type (a record or composite) arrives as its text.
SELECT * FROM ds_query('pg2', 'SELECT ROW(1, ''a'') AS rec');
-- Many rows stream through; repeated names keep the last value.
SELECT count(*), sum((r->>'g')::int) FROM ds_query('pg2', 'SELECT g FROM generate_series(1, 20000) g') r;
SELECT * FROM ds_query('pg2', 'SELECT 1 AS a, 2 AS a');

-- Parameters: every JSON kind, bound (never spliced), types inferred remotely.
SELECT * FROM ds_query('pg2', 'SELECT $1::int + 1 AS n, $2::numeric * 2 AS d, $3::text AS s,
    $4::bool AS b, $5::jsonb -> ''k'' AS j, $6::int IS NULL AS was_null, $1 = 41 AS inferred_int',
    '[41, 1.25, "it''s ''quoted''; DROP TABLE x; --", true, {"k": [1, 2]}, null]');
SELECT * FROM ds_query('pg2', 'SELECT d FROM (VALUES (''2024-01-02''::date)) v(d) WHERE d = $1',
    '["2024-01-02"]');
SELECT * FROM ds_query('pg2', 'SELECT $2 AS second, $1 AS first, $2 AS again', '["a", "b"]');
SELECT sqlstate_of($$SELECT * FROM ds_query('pg2', 'SELECT $1, $2', '[1]')$$);
SELECT sqlstate_of($$SELECT * FROM ds_query('pg2', 'SELECT 1', '{"a": 1}')$$);
SELECT sqlstate_of($$SELECT * FROM ds_query('pg2', 'SELECT $1::int', '["x"]')$$);

-- ds_exec: rows affected; without params several statements may go at once.
SET client_min_messages = warning;  -- the remote NOTICEs depend on earlier runs
SELECT ds_exec('pg2', 'DROP TABLE IF EXISTS items CASCADE; DROP TABLE IF EXISTS loaded; DROP TABLE IF EXISTS kv');
RESET client_min_messages;
SELECT ds_exec('pg2', 'CREATE TABLE items (id int PRIMARY KEY, label text NOT NULL, price numeric(10,2), made timestamptz DEFAULT now())');
SELECT ds_exec('pg2', 'INSERT INTO items (id, label, price) SELECT g, ''item '' || g, g * 1.5 FROM generate_series(1, 10) g');
SELECT ds_exec('pg2', 'UPDATE items SET price = price + $1 WHERE id <= $2', '[1, 3]');
SELECT ds_exec('pg2', 'DELETE FROM items WHERE id = $1', '[10]');
SELECT ds_exec('pg2', 'SELECT * FROM items');
SELECT * FROM ds_query('pg2', 'SELECT id, label, price FROM items WHERE id <= 3 ORDER BY id');

-- Remote errors keep the remote SQLSTATE, message, detail and hint.
SELECT * FROM ds_query('pg2', 'SELECT 1 / 0');
SELECT ds_exec('pg2', 'INSERT INTO items (id, label) VALUES (1, ''dup'')');
SELECT * FROM ds_query('pg2', 'SELECT no_such_function(1)');
SELECT ds_exec('pg2', $x$DO $d$ BEGIN RAISE EXCEPTION 'custom failure' USING ERRCODE = 'P1234', DETAIL = 'the detail', HINT = 'the hint'; END $d$$x$);
SELECT sqlstate_of($$SELECT * FROM ds_query('pg2', 'SELECT * FROM no_such_table')$$);
SELECT sqlstate_of($$SELECT * FROM ds_query('pg2', 'SELEC 1')$$);
SELECT sqlstate_of($$SELECT * FROM ds_query('pg2', 'COPY items TO STDOUT')$$);
-- An error part way through the rows: nothing is half-returned.
SELECT sqlstate_of($$SELECT * FROM ds_query('pg2', 'SELECT 10 / (5000 - g) FROM generate_series(1, 6000) g')$$);
-- Remote notices are relayed.
SELECT ds_exec('pg2', $x$DO $d$ BEGIN RAISE NOTICE 'hello from afar'; RAISE WARNING 'careful'; END $d$$x$);
-- The connection survived all of that.
SELECT * FROM ds_query('pg2', 'SELECT count(*) AS items FROM items');
SELECT store, type, connections, busy, errors > 0 AS had_errors FROM ds_pool_status() WHERE store = 'pg2';

-- Introspection.
SELECT ds_exec('pg2', 'CREATE OR REPLACE VIEW items_view AS SELECT id FROM items');
SELECT * FROM ds_tables('pg2') WHERE table_name LIKE 'items%';
SELECT * FROM ds_columns('pg2', 'items');
SELECT * FROM ds_columns('pg2', 'public.items');

-- Loads through COPY: hostile text round-trips byte for byte.
SELECT ds_exec('pg2', 'CREATE TABLE loaded (id int PRIMARY KEY, t text, b bool, n numeric, ts timestamptz, d date, j jsonb, by bytea, ia int[], f float8)');
SELECT ds_stream_load('pg2', 'loaded', $$[
  {"id": 1, "t": "tab\there", "b": true, "n": 1.50, "ts": null, "d": null, "j": null, "ia": null},
  {"id": 2, "t": "line\nbreak\r\nwindows", "b": false, "n": -0.000001},
  {"id": 3, "t": "back\\slash \\N \\t", "b": null},
  {"id": 4, "t": "\\N"},
  {"id": 5, "t": null},
  {"id": 6, "t": ""},
  {"id": 7, "t": "ünïcödé ✓ 🐘", "j": {"a": [1, "x\ty"]}},
  {"id": 8, "t": "\\.", "ts": "2024-01-02T03:04:05+02:00", "d": "2024-02-29", "ia": "{1,2}"}
]$$) - 'LoadTimeMs' AS result;
SELECT r->>'id' AS id, r->'t' AS t, r->'b' AS b, r->'n' AS n, r->'j' AS j, r->'ts' AS ts, r->'ia' AS ia
  FROM ds_query('pg2', 'SELECT * FROM loaded ORDER BY id') r;
SELECT * FROM ds_query('pg2', 'SELECT id FROM loaded WHERE t IS NULL OR t = '''' ORDER BY id');

-- From a local query: every type loads as to_jsonb() sees it on both sides.
CREATE TABLE local_src (id int PRIMARY KEY, t text, b bool, n numeric, ts timestamptz, d date,
                        j jsonb, by bytea, ia int[], f float8);
INSERT INTO local_src VALUES
  (101, E'tab\there\nnew\\line \\N', true, 12345678901234567890.12345, '2024-01-02 03:04:05.123456+00', '2024-02-29',
   '{"k": "v\tw"}', '\x00ff5c0a'::bytea, '{1,NULL,3}', 0.1),
  (102, '\N', false, 'NaN', '-infinity', 'infinity', 'null', ''::bytea, '{}', 'Infinity'),
  (103, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (104, 'ünïcödé 🐘', true, -1, '1999-12-31 23:59:59-08', '0044-03-15 BC', '[1, 2.5, "x"]', '\x5c4e'::bytea, '{-1}', -1.5e-300);
SELECT ds_stream_load_query('pg2', 'public.loaded', 'SELECT * FROM local_src') - 'LoadTimeMs' AS result;
SELECT (SELECT jsonb_agg(r ORDER BY (r->>'id')::int) FROM ds_query('pg2', 'SELECT * FROM loaded WHERE id > 100') r)
     = (SELECT jsonb_agg(to_jsonb(s) ORDER BY id) FROM local_src s) AS loaded_as_local;
-- options->'columns' and an unknown option.
SELECT ds_stream_load('pg2', 'loaded', '[{"id": 200, "t": "x", "extra": 1}]', '{"columns": ["id", "t"]}') ->> 'NumberLoadedRows' AS loaded;
SELECT sqlstate_of($$SELECT ds_stream_load('pg2', 'loaded', '[{"id": 201}]', '{"replace": true}')$$);
SELECT sqlstate_of($$SELECT ds_stream_load('pg2', 'loaded', '[{"id": 201}]', '{"merge": "SELECT 1"}')$$);

-- A failing load leaves nothing: a bad value in row 3, a duplicate key, a
-- local query failing after thousands of rows were sent.
SELECT * FROM ds_query('pg2', 'SELECT count(*) AS before FROM loaded');
SELECT ds_stream_load('pg2', 'loaded', '[{"id": 300, "n": 1}, {"id": 301, "n": 2}, {"id": 302, "n": "not a number"}]');
SELECT sqlstate_of($$SELECT ds_stream_load('pg2', 'loaded', '[{"id": 300}, {"id": 101}]')$$);
SELECT sqlstate_of($$SELECT ds_stream_load_query('pg2', 'loaded', 'SELECT g AS id, md5(g::text) AS t, 1 / (50000 - g) AS n FROM generate_series(1000, 60000) g')$$);
SELECT sqlstate_of($$SELECT ds_stream_load('pg2', 'no_such_table', '[{"id": 1}]')$$);
SELECT * FROM ds_query('pg2', 'SELECT count(*) AS after FROM loaded');
SELECT store, connections, busy FROM ds_pool_status() WHERE store = 'pg2';

-- temp_table: COPY into a temporary copy of the target, then merge, all in
-- one remote transaction.  An upsert:
SELECT ds_exec('pg2', 'CREATE TABLE kv (k int PRIMARY KEY, v text NOT NULL, seen int DEFAULT 1)');
SELECT ds_exec('pg2', 'INSERT INTO kv (k, v) VALUES (1, ''one''), (2, ''two'')');
SELECT ds_stream_load('pg2', 'kv', '[{"k": 2, "v": "TWO"}, {"k": 3, "v": "three"}]',
    '{"temp_table": true, "merge": "INSERT INTO kv (k, v) SELECT k, v FROM {temp} ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v, seen = kv.seen + 1"}')
    - 'LoadTimeMs' AS result;
SELECT * FROM ds_query('pg2', 'SELECT * FROM kv ORDER BY k');
-- Without merge: INSERT of the loaded columns; the target's defaults fill the rest.
SELECT ds_stream_load_query('pg2', 'kv', 'SELECT g AS k, ''v'' || g AS v FROM generate_series(10, 14) g',
    '{"temp_table": "true"}') - 'LoadTimeMs' AS result;
SELECT * FROM ds_query('pg2', 'SELECT count(*) AS n, sum(seen) AS seen FROM kv WHERE k >= 10');
-- A failing merge rolls back the copy too; the temporary table never outlives it.
SELECT sqlstate_of($$SELECT ds_stream_load('pg2', 'kv', '[{"k": 20, "v": "x"}]', '{"temp_table": true, "merge": "INSERT INTO kv SELECT * FROM {temp} WHERE 1 / 0 = 1"}')$$);
SELECT sqlstate_of($$SELECT ds_stream_load('pg2', 'kv', '[{"k": 1, "v": "dup"}]', '{"temp_table": true}')$$);
SELECT * FROM ds_query('pg2', 'SELECT count(*) AS total FROM kv');
SELECT * FROM ds_query('pg2', 'SELECT count(*) AS temp_tables FROM pg_class WHERE relname = ''datastore_load''');

-- Binary COPY: a local query whose every column the target reads in binary
-- goes in binary, values exact; the same rows in text must land the same.
-- Character types mix (text into varchar and back), json and jsonb both ways.
CREATE TABLE bin_src (id int, s smallint, i8 bigint, o oid, b bool, f4 real, f8 float8, n numeric(30,10),
  d date, t time, tz timetz, ts timestamp, tstz timestamptz, iv interval, u uuid, ip inet, nw cidr,
  mac macaddr, by bytea, tx text, vc varchar(10), bp char(4), j json, jb jsonb, jj json, jbj jsonb,
  ia int[], na numeric[], tsa timestamptz[], ta text[], va varchar(5)[]);
INSERT INTO bin_src VALUES
  (1, 7, 9007199254740993, 42, true, 1.5, 0.1, 12345678901234567890.0123456789, '2024-02-29', '13:14:15.123456',
   '13:14:15+05:30', '2024-01-02 03:04:05.678901', '2024-01-02 03:04:05.678901+00', '1 year 2 mons 3 days 04:05:06.7',
   'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '192.168.0.1/24', '10.0.0.0/8', '08:00:2b:01:02:03', '\x00ff5c0a',
   E'tab\there\nnew \\N ünïcödé 🐘', 'short', 'ab', ' {"a" : [1, 2.50]} ', '{"k": "v\tw"}', '[1, "x"]', '{"b": null}',
   '{1,NULL,3}', '{{1.5,NULL},{-2,NaN}}', '{2024-01-02 03:04:05+00,infinity}',
   ARRAY[E'tab\there', NULL, 'ünïcödé 🐘', '', 'NULL', '\N', '"{,}"'], '{{a,b},{c,NULL}}'),
  (2, -32768, -9223372036854775808, 4294967295, false, 'NaN', '-Infinity', 'NaN', 'infinity', '24:00',
   '00:00:00-15:59', '-infinity', 'infinity', '-178000000 years', '00000000-0000-0000-0000-000000000000',
   '::1/128', '2001:db8::/32', 'ff:ff:ff:ff:ff:ff', '', '', '', '', 'null', '[]', '"s"', '0', '{}', '[0:1]={7,8}', NULL, '{}', '[2:2]={xyz}'),
  (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (4, 0, 0, 0, true, '-0', '-0', '-0.0000000001', '0044-03-15 BC', '00:00', '23:59:59.999999+15:59', '4713-11-24 00:00:00 BC',
   '294276-12-31 23:59:59.999999+00', '-1 microsecond', 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF', '0.0.0.0/0', '0.0.0.0/0',
   '00:00:00:00:00:00', '\x5c4e', '\N', '\', 'abcd', '{}', '{"a": {"b": [true, false, null]}}', '{"x": 1}', '[]',
   '{NULL}', '{}', '{}', '{NULL}', '{""}');
SELECT ds_exec('pg2', 'CREATE TABLE bin_dst (id int PRIMARY KEY, s smallint, i8 bigint, o oid, b bool, f4 real, f8 float8,
  n numeric(30,10), d date, t time, tz timetz, ts timestamp, tstz timestamptz, iv interval, u uuid, ip inet, nw cidr,
  mac macaddr, by bytea, tx varchar(40), vc text, bp char(4), j json, jb jsonb, jj jsonb, jbj json,
  ia int[], na numeric[], tsa timestamptz[], ta text[], va varchar(5)[])');
SELECT ds_exec('pg2', 'CREATE TABLE bin_dst_text (LIKE bin_dst)');
SET TimeZone = 'America/Los_Angeles';
SELECT ds_stream_load_query('pg2', 'bin_dst', 'SELECT * FROM bin_src') - 'LoadTimeMs' - 'LoadBytes' AS result;
SELECT ds_stream_load_query('pg2', 'bin_dst_text', 'SELECT * FROM bin_src', '{"format": "text"}') - 'LoadTimeMs' - 'LoadBytes' AS result;
RESET TimeZone;
SELECT * FROM ds_query('pg2', 'SELECT count(*) AS differing FROM bin_dst x FULL JOIN bin_dst_text y ON x::text = y::text
                                 WHERE x.id IS NULL OR y.id IS NULL');
SELECT * FROM ds_query('pg2', 'SELECT count(*) AS rows, count(*) FILTER (WHERE f8::text = ''-0'') AS negative_zero,
                                 min(tstz) = ''294276-12-31 23:59:59.999999+00'' AS last_microsecond FROM bin_dst WHERE id = 4');
-- Every value as the remote side shows it, against this side's to_jsonb()
-- (json keeps its spacing, so compare it as jsonb).
SELECT (SELECT jsonb_agg(r - 'j' || jsonb_build_object('j', (r->>'j')::jsonb) ORDER BY (r->>'id')::int)
          FROM ds_query('pg2', 'SELECT * FROM bin_dst') r)
     = (SELECT jsonb_agg(to_jsonb(l) - 'j' - 'jj' || jsonb_build_object('j', l.j::jsonb, 'jj', l.jj::jsonb) ORDER BY id)
          FROM bin_src l) AS binary_as_local;
-- A column the target reads differently goes in text, unless binary is demanded.
SELECT ds_exec('pg2', 'CREATE TABLE bin_wide (id bigint, v text)');
SELECT ds_stream_load_query('pg2', 'bin_wide', 'SELECT id, tx AS v FROM bin_src') ->> 'Format' AS format;
SELECT ds_stream_load_query('pg2', 'bin_wide', 'SELECT id, tx AS v FROM bin_src', '{"format": "binary"}');
SELECT ds_stream_load_query('pg2', 'bin_wide', 'SELECT id::bigint, tx AS nope FROM bin_src', '{"format": "binary"}');
SELECT ds_exec('pg2', 'CREATE TABLE bin_jsons (ja jsonb[])');
SELECT ds_stream_load_query('pg2', 'bin_jsons', 'SELECT ARRAY[jb] AS ja FROM bin_src') ->> 'Format' AS jsonb_array_format;
SELECT ds_stream_load_query('pg2', 'bin_jsons', 'SELECT ARRAY[jb] AS ja FROM bin_src', '{"format": "binary"}');
SELECT (SELECT r->>'m' FROM ds_query('pg2', 'SELECT md5(string_agg(ja::text, '','' ORDER BY ja::text COLLATE "C")) AS m FROM bin_jsons') r)
     = (SELECT md5(string_agg(ARRAY[jb]::text, ',' ORDER BY ARRAY[jb]::text COLLATE "C")) FROM bin_src) AS jsonb_arrays_same;
SELECT ds_stream_load('pg2', 'bin_wide', '[{"id": 1}]', '{"format": "binary"}');
SELECT ds_stream_load('pg2', 'bin_wide', '[{"id": 1}]', '{"format": "csv"}');
SELECT ds_stream_load('pg2', 'bin_wide', '[{"id": 1}]') ->> 'Format' AS json_data_format;
SELECT ds_stream_load_query('pg2', 'bin_wide', 'SELECT id::bigint, tx AS v FROM bin_src', '{"format": "binary", "temp_table": true}')
    - 'LoadTimeMs' - 'LoadBytes' AS result;
SELECT * FROM ds_query('pg2', 'SELECT count(*) AS n FROM bin_wide');
-- Many pieces, and values stored out of line or compressed here, in binary.
CREATE TABLE bin_big (id int, t text, ext text, comp text, n numeric);
ALTER TABLE bin_big ALTER COLUMN ext SET STORAGE EXTERNAL;
INSERT INTO bin_big SELECT g, md5(g::text), CASE WHEN g % 10000 = 0 THEN repeat(md5(g::text), 20000) END,
                           CASE WHEN g % 10000 = 1 THEN repeat(md5(g::text), 20000) END, g * 0.5
                      FROM generate_series(1, 60000) g;
SELECT ds_exec('pg2', 'CREATE TABLE bin_big (id int, t text, ext text, comp text, n numeric)');
SELECT ds_stream_load_query('pg2', 'bin_big', 'SELECT * FROM bin_big') - 'LoadTimeMs' AS result;
SELECT (SELECT r FROM ds_query('pg2', 'SELECT count(*), md5(string_agg(concat_ws(''|'', id, t, ext, comp, n), '','' ORDER BY id)) FROM bin_big') r)
     = (SELECT to_jsonb(x) FROM (SELECT count(*), md5(string_agg(concat_ws('|', id, t, ext, comp, n), ',' ORDER BY id)) FROM bin_big) x)
       AS same_rows;
-- A failing binary load leaves nothing either.
SELECT sqlstate_of($$SELECT ds_stream_load_query('pg2', 'bin_dst', 'SELECT g AS id FROM generate_series(100, 5000) g UNION ALL SELECT 1')$$);
SELECT * FROM ds_query('pg2', 'SELECT count(*) AS n FROM bin_dst');
SELECT ds_exec('pg2', 'DROP TABLE bin_dst, bin_dst_text, bin_wide, bin_big, bin_jsons');

-- Cancel: statement_timeout stops the remote statement too.
SET statement_timeout = '300ms';
SELECT * FROM ds_query('pg2', 'SELECT pg_sleep(30) AS slept');
RESET statement_timeout;
SELECT wait_until($$SELECT count(*) = 0 FROM ds_query('pg2', 'SELECT 1 FROM pg_stat_activity WHERE query = ''SELECT pg_sleep(30) AS slept''')$$) AS remote_sleep_gone;
SELECT * FROM ds_query('pg2', 'SELECT 42 AS still_works');

-- Connection failures: a closed port, a wrong password (never echoed).
SELECT ds_register('pg2bad', 'postgres', host => '127.0.0.1', port => 1, "user" => 'x', password => 'sekrit-1');
SELECT ds_connect('pg2bad');
SELECT ds_register('pg2bad', 'postgres', host => :'pg2_host', port => :pg2_port,
                   "user" => :'pg2_user', password => 'wrong-sekrit-2', database => :'pg2_db');
SELECT regexp_replace(sqlstate_of($$SELECT ds_connect('pg2bad')$$), 'port [0-9]+', 'port N') AS err,
       strpos(sqlstate_of($$SELECT ds_connect('pg2bad')$$), 'sekrit') = 0 AS password_hidden;
SELECT ds_unregister('pg2bad');

-- TLS: ds_remote_tls may only log in over TLS.
SELECT ds_register('pg2tls', 'postgres', host => :'pg2_host', port => :pg2_port,
                   "user" => :'pg2_tls_user', password => :'pg2_password', database => :'pg2_db',
                   options => '{"ssl": {"mode": "require"}}');
SELECT * FROM ds_query('pg2tls', 'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
SELECT ds_register('pg2tls', 'postgres', host => :'pg2_host', port => :pg2_port,
                   "user" => :'pg2_tls_user', password => :'pg2_password', database => :'pg2_db',
                   options => jsonb_build_object('ssl', jsonb_build_object('mode', 'verify-full', 'ca', :'tls_dir' || '/ca.pem')));
SELECT * FROM ds_query('pg2tls', 'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
SELECT ds_register('pg2tls', 'postgres', host => :'pg2_host', port => :pg2_port,
                   "user" => :'pg2_tls_user', password => :'pg2_password', database => :'pg2_db',
                   options => jsonb_build_object('ssl', jsonb_build_object('mode', 'verify-full', 'ca', :'tls_dir' || '/other-ca.pem')));
SELECT sqlstate_of($$SELECT ds_connect('pg2tls')$$) ~ 'certificate verify failed' AS untrusted_ca_refused;
SELECT ds_register('pg2tls', 'postgres', host => :'pg2_host', port => :pg2_port,
                   "user" => :'pg2_tls_user', password => :'pg2_password', database => :'pg2_db',
                   options => '{"ssl": {"mode": "disable"}}');
SELECT sqlstate_of($$SELECT ds_connect('pg2tls')$$) ~ '^08001: .*pg_hba.conf rejects connection' AS plain_refused;
SELECT ds_unregister('pg2tls');

-- A store owned by a role that is not a superuser must use a password: it
-- cannot be registered without one, and a store whose owner has lost
-- superuser since is refused when it is opened, before any connection.
CREATE ROLE ds_pq_admin LOGIN IN ROLE datastore_admin;
SET ROLE ds_pq_admin;
SELECT ds_register('pg2nopw', 'postgres', host => :'pg2_host', port => :pg2_port,
                   "user" => :'pg2_user', database => :'pg2_db');
RESET ROLE;
CREATE ROLE ds_pq_su SUPERUSER;
SET ROLE ds_pq_su;
SELECT ds_register('pg2nopw', 'postgres', host => :'pg2_host', port => :pg2_port,
                   "user" => :'pg2_user', database => :'pg2_db');
RESET ROLE;
ALTER ROLE ds_pq_su NOSUPERUSER;
SELECT sqlstate_of($$SELECT ds_connect('pg2nopw')$$);
SELECT ds_unregister('pg2nopw');
DROP ROLE ds_pq_su;
DROP ROLE ds_pq_admin;

SELECT ds_disconnect('pg2');
SELECT store FROM ds_pool_status();
