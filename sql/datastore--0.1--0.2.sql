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
