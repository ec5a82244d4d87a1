/*
 * pg_schema.h
 *		PostgreSQL's types in the neutral column model, both ways, for the
 *		local store and a remote one alike: a type OID and typmod read as a
 *		DsType, a table's catalog as a DsSchema, and a DsSchema written as
 *		PostgreSQL's CREATE TABLE.
 */
#ifndef DS_PG_SCHEMA_H
#define DS_PG_SCHEMA_H

#include "utils/jsonb.h"

#include "core/schema.h"

/*
 * The columns of a table: $1 is its name as SQL (quoted, maybe qualified),
 * resolved by the store's search_path as its loads resolve it.  One row per
 * column: name, type_oid, typmod (a domain's base type and typmod), notnull,
 * spelling (format_type), typtype, category, elem_oid, labels (an enum's or
 * an enum array's, a JSON array), key_pos (in the primary key, from 1).
 */
extern const char *const ds_pg_describe_sql;

/*
 * One type's row of the same columns (but name, notnull, key_pos): $1 its
 * OID, $2 its typmod; for a type of a remote query's result that is not
 * built in.
 */
extern const char *const ds_pg_type_sql;

/* The type of one row of ds_pg_describe_sql or ds_pg_type_sql into *t. */
extern void ds_pg_type_from_row(DsType *t, Jsonb *row, bool remote);

/*
 * The schema of the rows of ds_pg_describe_sql.  remote: the OIDs are
 * another server's, of which only built-in ones mean the same here; any
 * other type is an enum (by its labels) or DS_TYPE_OTHER by its spelling.
 */
extern DsSchema *ds_pg_schema_from_rows(List *rows, bool remote);

/*
 * The type of typid with typmod into *t (a type of this server, or a
 * built-in one with remote).  spelling NULL: format_type's.
 */
extern void ds_pg_type(DsType *t, Oid typid, int32 typmod, bool remote,
					   const char *spelling);

/* Whether typid is built in, so the same on every PostgreSQL server. */
extern bool ds_pg_type_is_builtin(Oid typid);

/*
 * CREATE TABLE [IF NOT EXISTS] nsp.rel (NULL nsp: unqualified) for schema,
 * every name quoted; target_kind names the store's kind in messages.
 */
extern char *ds_pg_create_table_sql(const char *nsp, const char *rel,
									const DsSchema *schema, const DsDdlOptions *opts,
									const char *target_kind);

#endif							/* DS_PG_SCHEMA_H */
