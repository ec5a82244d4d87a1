/*
 * routine.h
 *		What a store kind provides: one table of callbacks, filled by the
 *		kind (src/local, src/postgres, src/mysql, src/starrocks) and listed in
 *		one place (src/registry/registry.c), as an FdwRoutine is filled by a
 *		foreign data wrapper.  The SQL functions call these and never ask
 *		which kind a store is; a callback a kind leaves NULL is what that
 *		kind does not do, which is one ERROR for all (ds_routine_missing).
 */
#ifndef DS_ROUTINE_H
#define DS_ROUTINE_H

#include "utils/tuplestore.h"

#include "core/catalog.h"
#include "core/load.h"
#include "core/params.h"
#include "core/pool.h"
#include "core/row_source.h"
#include "core/schema.h"

typedef struct DsStoreRoutine
{
	/* the stores.type it serves, and its name in messages */
	const char *type;
	const char *name;

	/*
	 * Whether it serves this store of its type (NULL: every one): a postgres
	 * store without host and port is this database, any other a remote one.
	 */
	bool		(*serves) (const DsStore *store);

	/* Its connections; NULL: served in this backend, nothing to connect. */
	const DsDriver *driver;

	/* From _PG_init: its settings (datastore.*_library...); may be NULL. */
	void		(*init) (void);

	/*
	 * ERROR if its settings ask for what only a superuser's store may do,
	 * beyond what catalog.c checks for every kind (a Unix socket host, for
	 * remote PostgreSQL).  May be NULL.
	 */
	void		(*check_store) (const DsStore *store);

	/* Its load options: the table, the size of its struct (which begins
	 * with DsLoadOptions), and what takes the keys the table lacks. */
	const DsOptionDef *load_options;
	size_t		load_options_size;
	DsOptionOther load_option_other;

	/* ds_query: one jsonb per row into ts; ds_exec: the rows affected. */
	void		(*query) (DsPool *pool, const char *sql, DsParams *params,
						  Tuplestorestate *ts, TupleDesc tsdesc);
	uint64		(*exec) (DsPool *pool, const char *sql, DsParams *params);

	/* A query's rows as a source for a load (ds_sync). */
	DsRowSource *(*open_rows) (DsPool *pool, const char *sql, DsParams *params,
							   List *columns);

	/* Every row of src into target; closes src. */
	Jsonb	   *(*load_rows) (DsPool *pool, const char *target, DsRowSource *src,
							  const DsLoadOptions *opts);

	/* Optional faster paths of ds_stream_load and ds_stream_load_query. */
	Jsonb	   *(*load_jsonb) (DsPool *pool, const char *target, Jsonb *data,
							   const DsLoadOptions *opts);
	Jsonb	   *(*load_query) (DsPool *pool, const char *target, const char *query,
							   const DsLoadOptions *opts);

	/* Optional: the HTTP SQL API and load labels (StarRocks). */
	void		(*http_query) (DsPool *pool, const char *sql, Tuplestorestate *ts,
							   TupleDesc tsdesc);
	char	   *(*load_state) (DsPool *pool, const char *label);

	/*
	 * Optional: introspection, run through query.  tables_sql returns
	 * table_name, table_type; columns_sql, with $1 the schema (or NULL) and
	 * $2 the table, returns column_name, data_type, is_nullable, ordinal.
	 */
	const char *tables_sql;
	const char *columns_sql;

	/*
	 * Optional: ds_ddl and ds_create_table (and ds_sync's "create").
	 * describe reads a source's columns, types, nullability and primary key
	 * into the neutral model (core/schema.h): source is a table ("db.table",
	 * "schema.table", "table") read from the store's catalog, or with query
	 * a query (params bound as ds_query binds them) described from its
	 * result's metadata without reading its rows; a query has no key.
	 * create_table_sql writes the kind's CREATE TABLE for target (parsed as
	 * the kind's loads parse it, every name quoted) holding those columns
	 * and that key; it says in a WARNING what the table holds otherwise
	 * than the source (ds_ddl_inexact) and raises the ERROR for what it
	 * cannot hold (ds_ddl_unmappable), so it never narrows in silence.
	 */
	DsSchema   *(*describe) (DsPool *pool, const char *source, bool query,
							 DsParams *params);
	char	   *(*create_table_sql) (DsPool *pool, const char *target,
									 const DsSchema *schema, const DsDdlOptions *opts);
} DsStoreRoutine;

/*
 * Reads a load's options (NULL: all defaults) for the kind, from its table,
 * into a new struct of its options' size (core/options.c).  An unknown key
 * is an ERROR whose hint lists the table's names.
 */
extern DsLoadOptions *ds_load_options_parse(const DsStoreRoutine *routine, Jsonb *options);

#endif							/* DS_ROUTINE_H */
