/* datastore 0.1: catalog, registration, local store over SPI */

\echo Use "CREATE EXTENSION datastore" to load this file. \quit

CREATE SCHEMA datastore;

-- Registering stores is for superusers and members of datastore_admin.
-- Roles belong to the cluster, so the role may exist already (another
-- database) and outlives DROP EXTENSION.
DO $do$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'datastore_admin') THEN
		CREATE ROLE datastore_admin NOLOGIN;
	END IF;
END
$do$;

-- Bumped on every (re-)registration: a backend compares the generation it
-- opened a pool with against the catalog on each use and reopens on change.
CREATE SEQUENCE datastore.store_generation;

-- Column order is read by position from C (src/catalog.c); only append.
CREATE TABLE datastore.stores (
	name			text PRIMARY KEY
		CHECK (name ~ '^[[:alnum:]_.-]+$' AND length(name) <= 63),
	type			text NOT NULL
		CHECK (type IN ('postgres', 'mysql', 'starrocks')),
	host			text,
	port			int CHECK (port BETWEEN 1 AND 65535),
	"user"			text,
	password		text,
	database		text,
	max_connections int NOT NULL CHECK (max_connections >= 1),
	min_connections int NOT NULL CHECK (min_connections >= 0),
	http_port		int CHECK (http_port BETWEEN 1 AND 65535),
	options			jsonb NOT NULL DEFAULT '{}'
		CHECK (jsonb_typeof(options) = 'object'),
	generation		bigint NOT NULL
		DEFAULT nextval('datastore.store_generation'),
	owner			regrole NOT NULL DEFAULT current_user::regrole,
	CONSTRAINT min_connections_not_above_max
		CHECK (min_connections <= max_connections),
	CONSTRAINT starrocks_needs_http_port
		CHECK (type <> 'starrocks' OR http_port IS NOT NULL)
);

-- Any change to a store, by ds_register or by hand, must make the backends
-- that hold a pool for it reopen.
CREATE FUNCTION datastore.bump_generation() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
	NEW.generation := nextval('datastore.store_generation');
	RETURN NEW;
END
$fn$;

CREATE TRIGGER stores_generation BEFORE UPDATE ON datastore.stores
	FOR EACH ROW EXECUTE FUNCTION datastore.bump_generation();

-- Who may use a store besides its owner; grantee 0 ('-') is PUBLIC.
CREATE TABLE datastore.grants (
	store			text NOT NULL REFERENCES datastore.stores (name)
		ON DELETE CASCADE ON UPDATE CASCADE,
	grantee			regrole NOT NULL,
	PRIMARY KEY (store, grantee)
);

-- The table holds passwords: only its owner and datastore_admin read it.
REVOKE ALL ON datastore.stores, datastore.grants FROM PUBLIC;
REVOKE ALL ON SEQUENCE datastore.store_generation FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON datastore.stores, datastore.grants TO datastore_admin;
GRANT USAGE ON SEQUENCE datastore.store_generation TO datastore_admin;
GRANT USAGE ON SCHEMA datastore TO PUBLIC;

SELECT pg_catalog.pg_extension_config_dump('datastore.stores', '');
SELECT pg_catalog.pg_extension_config_dump('datastore.grants', '');

-- Every column but the password, for the stores the current user may use:
-- the same rule as the C check in src/catalog.c (superuser, the owner or a
-- member of it, a grantee or PUBLIC).  The view reads both tables with its
-- owner's rights; current_user is the querying user.
CREATE VIEW @extschema@.ds_stores WITH (security_barrier) AS
	SELECT name, type, host, port, "user", database,
		   max_connections, min_connections, http_port, options,
		   password IS NOT NULL AS has_password, owner
	FROM datastore.stores s
	WHERE (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = current_user)
	   OR pg_catalog.pg_has_role(s.owner, 'USAGE')
	   OR EXISTS (SELECT 1 FROM datastore.grants g
				  WHERE g.store = s.name
					AND CASE WHEN g.grantee = 0 THEN true
							 ELSE pg_catalog.pg_has_role(g.grantee, 'USAGE') END);
GRANT SELECT ON @extschema@.ds_stores TO PUBLIC;

-- Raises 42501 unless the current user may manage stores.
CREATE FUNCTION datastore.require_admin(what text) RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
	IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
	   AND NOT pg_has_role('datastore_admin', 'MEMBER') THEN
		RAISE EXCEPTION 'permission denied to %', what
			USING ERRCODE = 'insufficient_privilege',
				  HINT = 'Only superusers and members of datastore_admin manage datastores.';
	END IF;
END
$fn$;

CREATE FUNCTION @extschema@.ds_register(
	name text,
	type text,
	host text DEFAULT NULL,
	port int DEFAULT NULL,
	"user" text DEFAULT NULL,
	password text DEFAULT NULL,
	database text DEFAULT NULL,
	max_connections int DEFAULT 10,
	min_connections int DEFAULT 1,
	http_port int DEFAULT NULL,
	options jsonb DEFAULT '{}')
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
	t text := lower(type);
	p int := port;
	is_local boolean;
BEGIN
	PERFORM datastore.require_admin('register datastores');
	IF name IS NULL OR name !~ '^[[:alnum:]_.-]+$' OR length(name) > 63 THEN
		RAISE EXCEPTION 'invalid datastore name "%"', name
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Use 1 to 63 letters, digits, "_", "." or "-".';
	END IF;
	IF t IS NULL THEN
		RAISE EXCEPTION 'datastore type must not be NULL'
			USING ERRCODE = 'null_value_not_allowed',
				  HINT = 'Valid types are postgres, mysql and starrocks.';
	END IF;
	IF t NOT IN ('postgres', 'mysql', 'starrocks') THEN
		RAISE EXCEPTION 'unknown datastore type "%"', type
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Valid types are postgres, mysql and starrocks.';
	END IF;
	IF p IS NOT NULL AND (p < 1 OR p > 65535) THEN
		RAISE EXCEPTION 'invalid port % for datastore "%"', p, name
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'A port must be between 1 and 65535.';
	END IF;
	IF http_port IS NOT NULL AND (http_port < 1 OR http_port > 65535) THEN
		RAISE EXCEPTION 'invalid http_port % for datastore "%"', http_port, name
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'A port must be between 1 and 65535.';
	END IF;
	IF max_connections IS NULL OR max_connections < 1 THEN
		RAISE EXCEPTION 'max_connections must be at least 1'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF min_connections IS NULL OR min_connections < 0 THEN
		RAISE EXCEPTION 'min_connections must not be negative'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF min_connections > max_connections THEN
		RAISE EXCEPTION 'min_connections (%) is greater than max_connections (%)',
			min_connections, max_connections
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF options IS NULL OR jsonb_typeof(options) <> 'object' THEN
		RAISE EXCEPTION 'options must be a JSON object'
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = format('Got %s.', coalesce(jsonb_typeof(options), 'NULL'));
	END IF;
	IF options ? 'password_file' THEN
		-- The server reads the file: only a superuser may name one.
		IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
			RAISE EXCEPTION 'only superusers may set password_file'
				USING ERRCODE = 'insufficient_privilege',
					  DETAIL = 'The server process reads the file.';
		END IF;
		IF password IS NOT NULL OR jsonb_typeof(options->'password_file') <> 'string' THEN
			RAISE EXCEPTION 'password_file must be a path, given instead of password'
				USING ERRCODE = 'invalid_parameter_value';
		END IF;
	END IF;

	IF t = 'postgres' THEN
		is_local := host IS NULL AND p IS NULL;
		IF is_local AND ("user" IS NOT NULL OR password IS NOT NULL) THEN
			RAISE EXCEPTION 'the local datastore "%" cannot have a user or password', name
				USING ERRCODE = 'invalid_parameter_value',
					  DETAIL = 'A postgres store without host and port runs in this database, as the calling user.',
					  HINT = 'Omit user and password, or give host and port for a remote PostgreSQL server.';
		END IF;
		IF is_local AND database IS NOT NULL AND database <> current_database() THEN
			RAISE EXCEPTION 'the local datastore "%" must use the current database', name
				USING ERRCODE = 'invalid_parameter_value',
					  DETAIL = format('database is "%s" but this is "%s".', database, current_database()),
					  HINT = 'Give host and port to reach another database.';
		END IF;
	ELSE
		IF host IS NULL THEN
			RAISE EXCEPTION '% datastore "%" needs a host', t, name
				USING ERRCODE = 'invalid_parameter_value';
		END IF;
		p := coalesce(p, CASE t WHEN 'mysql' THEN 3306 ELSE 9030 END);
	END IF;

	IF t = 'starrocks' AND http_port IS NULL THEN
		RAISE EXCEPTION 'starrocks datastore "%" needs an http_port', name
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'Stream load and the HTTP SQL API go to the FE HTTP port.',
				  HINT = 'StarRocks listens on 8030 by default.';
	ELSIF t <> 'starrocks' AND http_port IS NOT NULL THEN
		RAISE EXCEPTION 'http_port is only used by starrocks datastores'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;

	INSERT INTO datastore.stores AS s
		(name, type, host, port, "user", password, database,
		 max_connections, min_connections, http_port, options)
	VALUES
		(name, t, host, p, "user", password, database,
		 max_connections, min_connections, http_port, options)
	ON CONFLICT ON CONSTRAINT stores_pkey DO UPDATE SET
		type = EXCLUDED.type, host = EXCLUDED.host, port = EXCLUDED.port,
		"user" = EXCLUDED."user", password = EXCLUDED.password,
		database = EXCLUDED.database,
		max_connections = EXCLUDED.max_connections,
		min_connections = EXCLUDED.min_connections,
		http_port = EXCLUDED.http_port, options = EXCLUDED.options;
END
$fn$;

CREATE FUNCTION @extschema@.ds_unregister(name text)
RETURNS boolean
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
	PERFORM datastore.require_admin('unregister datastores');
	PERFORM 1 FROM datastore.stores s WHERE s.name = ds_unregister.name FOR UPDATE;
	IF NOT FOUND THEN
		RETURN false;
	END IF;
	-- This backend's pool goes now; other backends notice on next use.
	PERFORM @extschema@.ds_disconnect(ds_unregister.name);
	DELETE FROM datastore.stores s WHERE s.name = ds_unregister.name;
	RETURN true;
END
$fn$;

-- A role name, or 'public' (stored as role 0).
CREATE FUNCTION datastore.grantee_of(role text) RETURNS regrole
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $fn$
	SELECT CASE WHEN lower(role) = 'public' THEN 0::oid::regrole ELSE role::regrole END
$fn$;

-- Using a store: an admin grants it to roles (or PUBLIC).
CREATE FUNCTION @extschema@.ds_grant(store text, role text)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
	PERFORM datastore.require_admin('grant datastores');
	IF NOT EXISTS (SELECT 1 FROM datastore.stores s WHERE s.name = ds_grant.store) THEN
		RAISE EXCEPTION 'datastore "%" does not exist', store USING ERRCODE = 'undefined_object';
	END IF;
	INSERT INTO datastore.grants VALUES (store, datastore.grantee_of(role)) ON CONFLICT DO NOTHING;
END
$fn$;

CREATE FUNCTION @extschema@.ds_revoke(store text, role text)
RETURNS boolean
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
	PERFORM datastore.require_admin('revoke datastores');
	DELETE FROM datastore.grants g
	 WHERE g.store = ds_revoke.store AND g.grantee = datastore.grantee_of(role);
	RETURN FOUND;
END
$fn$;

CREATE FUNCTION @extschema@.ds_connect(store text)
RETURNS boolean
AS 'MODULE_PATHNAME', 'ds_connect'
LANGUAGE C STRICT VOLATILE;

CREATE FUNCTION @extschema@.ds_disconnect(store text)
RETURNS boolean
AS 'MODULE_PATHNAME', 'ds_disconnect'
LANGUAGE C STRICT VOLATILE;

CREATE FUNCTION @extschema@.ds_disconnect()
RETURNS boolean
AS 'MODULE_PATHNAME', 'ds_disconnect_all'
LANGUAGE C VOLATILE;

CREATE FUNCTION @extschema@.ds_connect_all()
RETURNS int
AS 'MODULE_PATHNAME', 'ds_connect_all'
LANGUAGE C VOLATILE;

CREATE FUNCTION @extschema@.ds_query(store text, sql text, params jsonb DEFAULT NULL)
RETURNS SETOF jsonb
AS 'MODULE_PATHNAME', 'ds_query'
LANGUAGE C VOLATILE;

CREATE FUNCTION @extschema@.ds_exec(store text, sql text, params jsonb DEFAULT NULL)
RETURNS bigint
AS 'MODULE_PATHNAME', 'ds_exec'
LANGUAGE C VOLATILE;

CREATE FUNCTION @extschema@.ds_pool_status(
	OUT store text, OUT type text, OUT connections int, OUT busy int,
	OUT queries bigint, OUT errors bigint, OUT reconnects bigint)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'ds_pool_status'
LANGUAGE C VOLATILE;

CREATE FUNCTION @extschema@.ds_drivers(
	OUT driver text, OUT library text, OUT loaded boolean)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'ds_drivers'
LANGUAGE C VOLATILE;

CREATE FUNCTION @extschema@.ds_stream_load(
	store text, target text, data jsonb, options jsonb DEFAULT '{}')
RETURNS jsonb
AS 'MODULE_PATHNAME', 'ds_stream_load'
LANGUAGE C VOLATILE;

CREATE FUNCTION @extschema@.ds_stream_load_query(
	store text, target text, query text, options jsonb DEFAULT '{}')
RETURNS jsonb
AS 'MODULE_PATHNAME', 'ds_stream_load_query'
LANGUAGE C VOLATILE;

-- Introspection runs through ds_query, so it uses the same connections,
-- privileges and errors as any query on the store.  A table name may be
-- qualified ('db.table' or 'schema.table'); unqualified means the store's
-- database (MySQL) or the caller's current schema (local), which is why
-- these two do not pin search_path (every name in them is qualified).
CREATE FUNCTION @extschema@.ds_tables(store text)
RETURNS TABLE(table_name text, table_type text)
LANGUAGE plpgsql
AS $fn$
DECLARE
	t text;
BEGIN
	SELECT s.type INTO t FROM @extschema@.ds_stores s WHERE s.name = store;
	IF t = 'postgres' THEN
		RETURN QUERY SELECT r->>'table_name', r->>'table_type'
		  FROM @extschema@.ds_query(store,
			'SELECT table_name, table_type FROM information_schema.tables
			  WHERE table_schema = current_schema() ORDER BY table_name') r;
	ELSE
		-- Unknown stores fall through to ds_query, which names the problem.
		RETURN QUERY SELECT r->>'table_name', r->>'table_type'
		  FROM @extschema@.ds_query(store,
			'SELECT TABLE_NAME AS table_name, TABLE_TYPE AS table_type
			   FROM information_schema.TABLES
			  WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME') r;
	END IF;
END
$fn$;

CREATE FUNCTION @extschema@.ds_columns(store text, table_name text)
RETURNS TABLE(column_name text, data_type text, is_nullable boolean, ordinal int)
LANGUAGE plpgsql
AS $fn$
DECLARE
	t text;
	schema_part text := pg_catalog.split_part(table_name, '.', 1);
	table_part text := pg_catalog.split_part(table_name, '.', 2);
BEGIN
	IF table_part = '' THEN
		table_part := schema_part;
		schema_part := NULL;
	END IF;
	SELECT s.type INTO t FROM @extschema@.ds_stores s WHERE s.name = store;
	IF t = 'postgres' THEN
		RETURN QUERY SELECT r->>'column_name', r->>'data_type',
				(r->>'is_nullable')::boolean, (r->>'ordinal')::int
		  FROM @extschema@.ds_query(store,
			'SELECT column_name, data_type, is_nullable = ''YES'' AS is_nullable,
			        ordinal_position AS ordinal
			   FROM information_schema.columns
			  WHERE table_schema = coalesce($1, current_schema()) AND table_name = $2
			  ORDER BY ordinal_position',
			pg_catalog.jsonb_build_array(schema_part, table_part)) r;
	ELSE
		RETURN QUERY SELECT r->>'column_name', r->>'data_type',
				(r->>'is_nullable')::int = 1, (r->>'ordinal')::int
		  FROM @extschema@.ds_query(store,
			'SELECT COLUMN_NAME AS column_name, COLUMN_TYPE AS data_type,
			        IS_NULLABLE = ''YES'' AS is_nullable, ORDINAL_POSITION AS ordinal
			   FROM information_schema.COLUMNS
			  WHERE TABLE_SCHEMA = coalesce($1, DATABASE()) AND TABLE_NAME = $2
			  ORDER BY ORDINAL_POSITION',
			pg_catalog.jsonb_build_array(schema_part, table_part)) r;
	END IF;
END
$fn$;

CREATE FUNCTION @extschema@.ds_http_query(store text, sql text)
RETURNS SETOF jsonb
AS 'MODULE_PATHNAME', 'ds_http_query'
LANGUAGE C VOLATILE;

CREATE FUNCTION @extschema@.ds_load_state(store text, label text)
RETURNS text
AS 'MODULE_PATHNAME', 'ds_load_state'
LANGUAGE C STRICT VOLATILE;
