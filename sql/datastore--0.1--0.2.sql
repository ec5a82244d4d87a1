/*
 * datastore 0.1 -> 0.2: remote PostgreSQL stores, atomic StarRocks loads,
 * progress, ds_sync; and the repairs of 0.1's security holes.  0.1 shipped
 * and is never edited again; a fresh install of 0.2 runs datastore--0.2.sql,
 * and this script brings a 0.1 database to exactly the same objects
 * (test/t/packaging.sh compares the two).
 *
 * 0.1 stored expressions that a role able to create objects in the
 * extension's schema could have bound to its own functions before the
 * install (the generation default's nextval('...') preferred a
 * nextval(text); the view's grantee = 0 an =(regrole, integer)), and its
 * ds_register let an admin replace and re-point another role's store.  The
 * defaults, checks and view are recreated schema-qualified, every function
 * pins search_path, and guard triggers enforce who may write the catalog.
 */

\echo Use "ALTER EXTENSION datastore UPDATE TO '0.2'" to load this file. \quit

-- The role running this statement.  By OID, not CURRENT_USER::regrole:
-- regrole's input would read the name as an identifier (case-folded) or
-- as an OID when it is all digits (a role named "10" is the bootstrap
-- superuser's OID).
CREATE FUNCTION datastore.calling_role() RETURNS pg_catalog.regrole
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $fn$
	SELECT r.oid::pg_catalog.regrole FROM pg_catalog.pg_roles r
	 WHERE r.rolname OPERATOR(pg_catalog.=) CURRENT_USER
$fn$;

-- Stored expressions, bound again to pg_catalog's objects.
ALTER TABLE datastore.stores
	ALTER COLUMN options SET DEFAULT '{}'::pg_catalog.jsonb,
	ALTER COLUMN generation SET DEFAULT pg_catalog.nextval('datastore.store_generation'::pg_catalog.regclass),
	ALTER COLUMN owner SET DEFAULT datastore.calling_role(),
	DROP CONSTRAINT stores_name_check,
	DROP CONSTRAINT stores_type_check,
	DROP CONSTRAINT stores_port_check,
	DROP CONSTRAINT stores_max_connections_check,
	DROP CONSTRAINT stores_min_connections_check,
	DROP CONSTRAINT stores_http_port_check,
	DROP CONSTRAINT stores_options_check,
	DROP CONSTRAINT min_connections_not_above_max,
	DROP CONSTRAINT starrocks_needs_http_port,
	ADD CONSTRAINT stores_name_check
		CHECK (name OPERATOR(pg_catalog.~) '^[[:alnum:]_.-]+$'
			   AND pg_catalog.length(name) OPERATOR(pg_catalog.<=) 63),
	ADD CONSTRAINT stores_type_check
		CHECK (type OPERATOR(pg_catalog.=) ANY (ARRAY['postgres', 'mysql', 'starrocks']::pg_catalog.text[])),
	ADD CONSTRAINT stores_port_check
		CHECK (port OPERATOR(pg_catalog.>=) 1 AND port OPERATOR(pg_catalog.<=) 65535),
	ADD CONSTRAINT stores_max_connections_check
		CHECK (max_connections OPERATOR(pg_catalog.>=) 1),
	ADD CONSTRAINT stores_min_connections_check
		CHECK (min_connections OPERATOR(pg_catalog.>=) 0),
	ADD CONSTRAINT stores_http_port_check
		CHECK (http_port OPERATOR(pg_catalog.>=) 1 AND http_port OPERATOR(pg_catalog.<=) 65535),
	ADD CONSTRAINT stores_options_check
		CHECK (pg_catalog.jsonb_typeof(options) OPERATOR(pg_catalog.=) 'object'),
	ADD CONSTRAINT min_connections_not_above_max
		CHECK (min_connections OPERATOR(pg_catalog.<=) max_connections),
	ADD CONSTRAINT starrocks_needs_http_port
		CHECK (type OPERATOR(pg_catalog.<>) 'starrocks' OR http_port IS NOT NULL);

-- The guard trigger below bumps the generation itself.
DROP TRIGGER stores_generation ON datastore.stores;
DROP FUNCTION datastore.bump_generation();

REVOKE SELECT ON datastore.stores FROM datastore_admin;
-- Admins read every column but the password: a superuser's store's password
-- would let them register a store of their own that logs in as it.
GRANT SELECT (name, type, host, port, "user", database, max_connections, min_connections,
			  http_port, options, generation, owner)
	ON datastore.stores TO datastore_admin;
GRANT INSERT, UPDATE, DELETE ON datastore.stores TO datastore_admin;
GRANT SELECT, INSERT, UPDATE, DELETE ON datastore.grants TO datastore_admin;

-- Is the current user a superuser?  (current_user: these functions run as
-- their caller, and so does a trigger, as the role that wrote the row.)
CREATE FUNCTION datastore.current_user_is_superuser() RETURNS pg_catalog.bool
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $fn$
	SELECT COALESCE((SELECT r.rolsuper FROM pg_catalog.pg_roles r
					 WHERE r.rolname OPERATOR(pg_catalog.=) CURRENT_USER), false)
$fn$;

-- Raises 42501 unless the current user may manage stores.
CREATE OR REPLACE FUNCTION datastore.require_admin(what pg_catalog.text) RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
	IF NOT datastore.current_user_is_superuser()
	   AND NOT pg_catalog.pg_has_role('datastore_admin'::pg_catalog.name, 'MEMBER'::pg_catalog.text) THEN
		RAISE EXCEPTION 'permission denied to %', what
			USING ERRCODE = 'insufficient_privilege',
				  HINT = 'Only superusers and members of datastore_admin manage datastores.';
	END IF;
END
$fn$;

-- Raises 42501 unless the current user may change what the store's owner
-- decides: a superuser, or a role with the owner's privileges.
CREATE FUNCTION datastore.require_owner(store pg_catalog.text, owner pg_catalog.regrole,
										what pg_catalog.text) RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
	IF NOT datastore.current_user_is_superuser()
	   AND NOT pg_catalog.pg_has_role(owner::pg_catalog.oid, 'USAGE'::pg_catalog.text) THEN
		RAISE EXCEPTION 'permission denied to % datastore "%"', what, store
			USING ERRCODE = 'insufficient_privilege',
				  DETAIL = pg_catalog.format('The store belongs to %s.', owner),
				  HINT = 'Only its owner or a superuser may replace it, remove it, or grant it.';
	END IF;
END
$fn$;

/*
 * What only a store owned by a superuser may do, because the server itself
 * would act for the store's users: read a file of the server (password_file,
 * TLS files), connect through a Unix socket (peer and socket
 * authentication), or connect without a password (trust, ~/.pgpass, the
 * server's own certificate).  Checked again in C whenever a store is opened.
 */
CREATE FUNCTION datastore.check_owner_rights(s datastore.stores) RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
	is_local boolean := s.type = 'postgres' AND s.host IS NULL AND s.port IS NULL;
	why text;
BEGIN
	IF (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.oid = s.owner::oid) THEN
		RETURN;
	END IF;
	IF s.options ? 'password_file' THEN
		why := 'name a password_file, which the server reads';
	ELSIF jsonb_typeof(s.options->'ssl') = 'object' AND (s.options->'ssl') ?| ARRAY['ca', 'cert', 'key'] THEN
		why := 'name TLS files (ssl ca, cert, key), which the server reads';
	ELSIF s.type = 'postgres' AND NOT is_local
		  AND (s.host IS NULL OR s.host = ''
			   OR EXISTS (SELECT 1 FROM unnest(string_to_array(s.host, ',')) h
						  WHERE btrim(h) = '' OR btrim(h) ~ '^[/@]')) THEN
		why := 'connect through a Unix socket';
	ELSIF NOT is_local AND (s.password IS NULL OR s.password = '') THEN
		why := 'connect without a password';
	ELSE
		RETURN;
	END IF;
	RAISE EXCEPTION 'datastore "%" may not %', s.name, why
		USING ERRCODE = 'insufficient_privilege',
			  DETAIL = format('Its owner %s is not a superuser; only a superuser''s store may lend out the server''s own files, sockets or identity.', s.owner),
			  HINT = 'Give the store a password and a TCP host, or have a superuser register it.';
END
$fn$;

-- Every write to datastore.stores, through ds_register or by hand: the
-- owner is the role that wrote the row (a superuser may name another), only
-- the owner or a superuser may change or remove a row, the owner's rights
-- are checked, and the generation moves so that pools reopen.
CREATE FUNCTION datastore.guard_store() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		PERFORM datastore.require_owner(OLD.name, OLD.owner,
										CASE TG_OP WHEN 'UPDATE' THEN 'change' ELSE 'remove' END);
	END IF;
	IF TG_OP = 'DELETE' THEN
		RETURN OLD;
	END IF;
	IF NOT datastore.current_user_is_superuser() THEN
		NEW.owner := datastore.calling_role();
	END IF;
	NEW.generation := nextval('datastore.store_generation'::regclass);
	PERFORM datastore.check_owner_rights(NEW);
	-- Grants are the old owner's to make: a store that changes hands (a
	-- name registered again by someone else) keeps none of them.
	IF TG_OP = 'UPDATE' AND NEW.owner IS DISTINCT FROM OLD.owner THEN
		DELETE FROM datastore.grants g WHERE g.store = OLD.name;
		IF FOUND THEN
			RAISE NOTICE 'the grants of datastore "%" were revoked: it has a new owner', OLD.name;
		END IF;
	END IF;
	RETURN NEW;
END
$fn$;

CREATE TRIGGER stores_guard BEFORE INSERT OR UPDATE OR DELETE ON datastore.stores
	FOR EACH ROW EXECUTE FUNCTION datastore.guard_store();

-- Granting a store lends its connection: only its owner or a superuser may.
-- (Cascades from datastore.stores run as the tables' owner, a superuser.)
CREATE FUNCTION datastore.guard_grant() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
	g datastore.grants := CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
	o regrole;
BEGIN
	-- Locked, so that its owner cannot change until this grant is decided.
	SELECT s.owner INTO o FROM datastore.stores s WHERE s.name = g.store FOR SHARE;
	IF FOUND THEN
		PERFORM datastore.require_owner(g.store, o,
										CASE TG_OP WHEN 'DELETE' THEN 'revoke' ELSE 'grant' END);
	ELSIF TG_OP <> 'DELETE' THEN
		-- A store this statement cannot see yet has no owner to ask.
		RAISE EXCEPTION 'datastore "%" does not exist', g.store USING ERRCODE = 'undefined_object';
	END IF;
	IF TG_OP = 'UPDATE' AND OLD.store <> NEW.store THEN
		SELECT s.owner INTO o FROM datastore.stores s WHERE s.name = OLD.store;
		IF FOUND THEN
			PERFORM datastore.require_owner(OLD.store, o, 'revoke');
		END IF;
	END IF;
	RETURN g;
END
$fn$;

CREATE TRIGGER grants_guard BEFORE INSERT OR UPDATE OR DELETE ON datastore.grants
	FOR EACH ROW EXECUTE FUNCTION datastore.guard_grant();

-- Every column but the password, for the stores the current user may use:
-- the same rule as the C check in src/catalog.c (superuser, the owner or a
-- member of it, a grantee or PUBLIC).  The view reads both tables with its
-- owner's rights; current_user is the querying user.
CREATE OR REPLACE VIEW @extschema@.ds_stores WITH (security_barrier) AS
	SELECT s.name, s.type, s.host, s.port, s."user", s.database,
		   s.max_connections, s.min_connections, s.http_port, s.options,
		   s.password IS NOT NULL AS has_password, s.owner
	FROM datastore.stores s
	WHERE (SELECT r.rolsuper FROM pg_catalog.pg_roles r
		   WHERE r.rolname OPERATOR(pg_catalog.=) CURRENT_USER)
	   OR pg_catalog.pg_has_role(s.owner::pg_catalog.oid, 'USAGE'::pg_catalog.text)
	   OR EXISTS (SELECT 1 FROM datastore.grants g
				  WHERE g.store OPERATOR(pg_catalog.=) s.name
					AND (g.grantee::pg_catalog.oid OPERATOR(pg_catalog.=) 0::pg_catalog.oid
						 OR pg_catalog.pg_has_role(g.grantee::pg_catalog.oid, 'USAGE'::pg_catalog.text)));
GRANT SELECT ON @extschema@.ds_stores TO PUBLIC;

CREATE OR REPLACE FUNCTION @extschema@.ds_register(
	name pg_catalog.text,
	type pg_catalog.text,
	host pg_catalog.text DEFAULT NULL,
	port pg_catalog.int4 DEFAULT NULL,
	"user" pg_catalog.text DEFAULT NULL,
	password pg_catalog.text DEFAULT NULL,
	database pg_catalog.text DEFAULT NULL,
	max_connections pg_catalog.int4 DEFAULT 10,
	min_connections pg_catalog.int4 DEFAULT 1,
	http_port pg_catalog.int4 DEFAULT NULL,
	options pg_catalog.jsonb DEFAULT '{}')
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
	-- Whether the caller may name one is the guard trigger's to decide.
	IF options ? 'password_file' AND
	   (password IS NOT NULL OR jsonb_typeof(options->'password_file') <> 'string') THEN
		RAISE EXCEPTION 'password_file must be a path, given instead of password'
			USING ERRCODE = 'invalid_parameter_value';
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
		-- Each kind's own default; a kind without one needs the port given.
		p := coalesce(p, CASE t WHEN 'mysql' THEN 3306 WHEN 'starrocks' THEN 9030 END);
		IF p IS NULL THEN
			RAISE EXCEPTION '% datastore "%" needs a port', t, name
				USING ERRCODE = 'invalid_parameter_value';
		END IF;
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

	-- Replacing a store makes the caller its owner; the guard trigger lets
	-- only the old owner or a superuser do it.  (Not INSERT ... ON CONFLICT:
	-- its EXCLUDED.password would need SELECT on the passwords.)
	LOOP
		UPDATE datastore.stores s SET
			type = t, host = ds_register.host, port = p, "user" = ds_register."user",
			password = ds_register.password, database = ds_register.database,
			max_connections = ds_register.max_connections,
			min_connections = ds_register.min_connections,
			http_port = ds_register.http_port, options = ds_register.options,
			owner = datastore.calling_role()
		 WHERE s.name = ds_register.name;
		EXIT WHEN FOUND;
		BEGIN
			INSERT INTO datastore.stores
				(name, type, host, port, "user", password, database,
				 max_connections, min_connections, http_port, options, owner)
			VALUES
				(name, t, host, p, "user", password, database,
				 max_connections, min_connections, http_port, options, datastore.calling_role());
			EXIT;
		EXCEPTION WHEN unique_violation THEN
			-- Registered meanwhile by another session: replace it, as above.
		END;
	END LOOP;
END
$fn$;

CREATE OR REPLACE FUNCTION @extschema@.ds_unregister(name pg_catalog.text)
RETURNS pg_catalog.bool
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
	o regrole;
BEGIN
	PERFORM datastore.require_admin('unregister datastores');
	SELECT s.owner INTO o FROM datastore.stores s WHERE s.name = ds_unregister.name FOR UPDATE;
	IF NOT FOUND THEN
		RETURN false;
	END IF;
	PERFORM datastore.require_owner(ds_unregister.name, o, 'remove');
	-- This backend's pool goes now; other backends notice on next use.
	PERFORM @extschema@.ds_disconnect(ds_unregister.name);
	DELETE FROM datastore.stores s WHERE s.name = ds_unregister.name;
	RETURN true;
END
$fn$;

-- A role name, or 'public' (stored as role 0).
CREATE OR REPLACE FUNCTION datastore.grantee_of(role pg_catalog.text) RETURNS pg_catalog.regrole
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $fn$
	SELECT CASE WHEN pg_catalog.lower(role) OPERATOR(pg_catalog.=) 'public'
				THEN 0::pg_catalog.oid::pg_catalog.regrole
				ELSE role::pg_catalog.regrole END
$fn$;

-- Using a store: its owner (or a superuser) grants it to roles (or PUBLIC).
CREATE OR REPLACE FUNCTION @extschema@.ds_grant(store pg_catalog.text, role pg_catalog.text)
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

CREATE OR REPLACE FUNCTION @extschema@.ds_revoke(store pg_catalog.text, role pg_catalog.text)
RETURNS pg_catalog.bool
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

-- Introspection runs on the store like any query, with its privileges and
-- errors.  A table name may be qualified ('db.table' or 'schema.table');
-- unqualified means the store's database (MySQL) or the caller's current
-- schema (PostgreSQL), which is why these are C: a SQL function that pins
-- search_path could not see the caller's.
CREATE OR REPLACE FUNCTION @extschema@.ds_tables(store pg_catalog.text)
RETURNS TABLE(table_name pg_catalog.text, table_type pg_catalog.text)
AS 'MODULE_PATHNAME', 'ds_tables'
LANGUAGE C VOLATILE;

CREATE OR REPLACE FUNCTION @extschema@.ds_columns(store pg_catalog.text, table_name pg_catalog.text)
RETURNS TABLE(column_name pg_catalog.text, data_type pg_catalog.text,
			  is_nullable pg_catalog.bool, ordinal pg_catalog.int4)
AS 'MODULE_PATHNAME', 'ds_columns'
LANGUAGE C VOLATILE;

-- One store's query result streamed into another store's bulk path.
CREATE FUNCTION @extschema@.ds_sync(
	source_store pg_catalog.text, source_query pg_catalog.text,
	target_store pg_catalog.text, target pg_catalog.text,
	options pg_catalog.jsonb DEFAULT '{}', params pg_catalog.jsonb DEFAULT NULL)
RETURNS pg_catalog.jsonb
AS 'MODULE_PATHNAME', 'ds_sync'
LANGUAGE C VOLATILE;

-- The rows two stores' queries disagree on, by key: "missing" (source only),
-- "extra" (target only), "changed"; {"summary": true} gives the counts.
CREATE FUNCTION @extschema@.ds_diff(
	source_store pg_catalog.text, source_query pg_catalog.text,
	target_store pg_catalog.text, target_query pg_catalog.text,
	key_columns pg_catalog.text[], options pg_catalog.jsonb DEFAULT '{}')
RETURNS TABLE (key pg_catalog.jsonb, status pg_catalog.text,
			   source_row pg_catalog.jsonb, target_row pg_catalog.jsonb)
AS 'MODULE_PATHNAME', 'ds_diff'
LANGUAGE C VOLATILE;

-- The CREATE TABLE that makes on target_store a table for what a table or a
-- query of source_store holds (docs/ddl.md); ds_create_table runs it (IF NOT
-- EXISTS unless options say otherwise) and returns it.
CREATE FUNCTION @extschema@.ds_ddl(
	source_store pg_catalog.text, source pg_catalog.text,
	target_store pg_catalog.text, target pg_catalog.text,
	options pg_catalog.jsonb DEFAULT '{}')
RETURNS pg_catalog.text
AS 'MODULE_PATHNAME', 'ds_ddl'
LANGUAGE C VOLATILE;

CREATE FUNCTION @extschema@.ds_create_table(
	source_store pg_catalog.text, source pg_catalog.text,
	target_store pg_catalog.text, target pg_catalog.text,
	options pg_catalog.jsonb DEFAULT '{}')
RETURNS pg_catalog.text
AS 'MODULE_PATHNAME', 'ds_create_table'
LANGUAGE C VOLATILE;

-- Progress of the datastore calls running in every backend.  Needs datastore
-- in shared_preload_libraries.  Like pg_stat_activity, the columns from kind
-- on are NULL for calls of roles whose privileges the caller lacks, unless it
-- is a member of pg_read_all_stats.
CREATE FUNCTION @extschema@.ds_progress(
	OUT pid pg_catalog.int4, OUT datid pg_catalog.oid, OUT datname pg_catalog.name,
	OUT usesysid pg_catalog.oid, OUT usename pg_catalog.name,
	OUT kind pg_catalog.text, OUT store pg_catalog.text, OUT target pg_catalog.text,
	OUT label pg_catalog.text, OUT rows pg_catalog.int8, OUT bytes pg_catalog.int8,
	OUT started pg_catalog.timestamptz)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'ds_progress'
LANGUAGE C VOLATILE;

-- Under 0.1 an admin could re-point and grant a superuser's store; the
-- grants such a store has now are worth a look.
DO $do$
DECLARE
	s record;
BEGIN
	FOR s IN SELECT DISTINCT g.store FROM datastore.grants g JOIN datastore.stores st ON st.name OPERATOR(pg_catalog.=) g.store
			  JOIN pg_catalog.pg_roles r ON r.oid OPERATOR(pg_catalog.=) st.owner::pg_catalog.oid
			 WHERE r.rolsuper ORDER BY 1 LOOP
		RAISE WARNING 'datastore "%" belongs to a superuser and is granted to other roles', s.store
			USING DETAIL = 'Under 0.1 a member of datastore_admin could change and grant it.',
				  HINT = 'Check its settings and its grants (datastore.grants); ds_revoke() what should not be there.';
	END LOOP;
END
$do$;
