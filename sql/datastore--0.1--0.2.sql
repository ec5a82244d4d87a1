/*
 * datastore 0.1 -> 0.2: remote PostgreSQL stores, atomic StarRocks loads,
 * progress, ds_sync.  0.1 shipped; it is never edited again, and a fresh
 * CREATE EXTENSION runs 0.1 and then this script.
 */

\echo Use "ALTER EXTENSION datastore UPDATE TO '0.2'" to load this file. \quit

-- One store's query result streamed into another store's bulk path.
CREATE FUNCTION @extschema@.ds_sync(
	source_store text, source_query text, target_store text, target text,
	options jsonb DEFAULT '{}', params jsonb DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'ds_sync'
LANGUAGE C VOLATILE;

-- Progress of the datastore calls running in every backend.  Needs datastore
-- in shared_preload_libraries.  Like pg_stat_activity, the columns from kind
-- on are NULL for calls of roles whose privileges the caller lacks, unless it
-- is a member of pg_read_all_stats.
CREATE FUNCTION @extschema@.ds_progress(
	OUT pid integer, OUT datid oid, OUT datname name, OUT usesysid oid, OUT usename name,
	OUT kind text, OUT store text, OUT target text, OUT label text,
	OUT rows bigint, OUT bytes bigint, OUT started timestamptz)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'ds_progress'
LANGUAGE C VOLATILE;
