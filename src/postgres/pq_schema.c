/*
 * pq_schema.c
 *		ds_ddl on a remote PostgreSQL store: a remote table's columns from
 *		its pg_catalog, a remote query's from its result's description
 *		(type OIDs and typmods, with no row read), and PostgreSQL's CREATE
 *		TABLE (core/pg_schema.c) for a remote target.
 *
 * Only the remote's built-in type OIDs mean here what they mean there; any
 * other type of a result is looked up in the remote catalog by OID, so an
 * enum is known by its labels and anything else by its name.  Names are
 * read as the remote loads read them: "schema.table" split at the first
 * dot, each part as it is.
 */
#include "postgres.h"

#include "utils/builtins.h"
#include "utils/memutils.h"

#include "core/pg_schema.h"
#include "postgres/pq.h"
#include "postgres/pq_conn.h"

static char *
quote_name(const char *name)
{
	char	   *first;
	char	   *second;

	ds_split_qualified(name, &first, &second);
	if (first == NULL)
		return (char *) quote_identifier(second);
	return quote_qualified_identifier(first, second);
}

/* The columns' names, OIDs and typmods, as the remote describes them. */
typedef struct RemoteColumn
{
	char	   *name;
	Oid			type;
	int32		typmod;
} RemoteColumn;

static List *
result_columns(DsPool *pool, const char *sql, DsParams *params)
{
	DsConn	   *conn = ds_pool_checkout(pool);
	const DsPqApi *api = ds_pq_api_of(conn);
	MemoryContext cxt = CurrentMemoryContext;
	MemoryContext rescxt = AllocSetContextCreate(cxt, "datastore pq describe",
												 ALLOCSET_DEFAULT_SIZES);
	List	   *cols = NIL;
	bool		seen = false;

	ds_pq_send(conn, sql, params, false);
	for (;;)
	{
		MemoryContext old = MemoryContextSwitchTo(rescxt);
		PGresult   *res = ds_pq_next_result(conn);

		MemoryContextSwitchTo(old);
		if (res == NULL)
			break;
		if (api->PQresultStatus(res) == PGRES_TUPLES_OK && !seen)
		{
			int			n = api->PQnfields(res);

			seen = true;
			for (int i = 0; i < n; i++)
			{
				RemoteColumn *rc = palloc(sizeof(RemoteColumn));
				const char *name = api->PQfname(res, i);

				if (name == NULL)
					ds_pq_bad_answer(conn, "a query's description", "a column without a name");
				rc->name = pstrdup(name);
				rc->type = api->PQftype(res, i);
				rc->typmod = api->PQfmod(res, i);
				cols = lappend(cols, rc);
			}
		}
		MemoryContextReset(rescxt);
	}
	ds_pq_check_encoding(conn);
	ds_pool_checkin(conn);
	MemoryContextDelete(rescxt);
	if (!seen)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the source query on datastore \"%s\" returns no rows to describe", pool->name)));
	return cols;
}

static DsSchema *
describe_query(DsPool *pool, const char *query, DsParams *params)
{
	DsSchema   *schema = palloc0(sizeof(DsSchema));
	ListCell   *lc;

	schema->dialect = DS_DIALECT_POSTGRES;
	foreach(lc, result_columns(pool, ds_query_no_rows(query), params))
	{
		RemoteColumn *rc = lfirst(lc);
		DsColumn   *col = ds_column_new(rc->name, DS_TYPE_OTHER, NULL);

		if (ds_pg_type_is_builtin(rc->type))
			ds_pg_type(&col->type, rc->type, rc->typmod, true, NULL);
		else
		{
			List	   *rows = ds_schema_query_rows(ds_pq_query, pool, ds_pg_type_sql,
													ds_params_strings(psprintf("%u", rc->type),
																	  psprintf("%d", rc->typmod)));

			if (list_length(rows) != 1)
				ereport(ERROR,
						(errcode(ERRCODE_FDW_ERROR),
						 errmsg("datastore \"%s\" does not know the type %u of its own column \"%s\"",
								pool->name, rc->type, rc->name)));
			ds_pg_type_from_row(&col->type, linitial(rows), true);
		}
		schema->columns = lappend(schema->columns, col);
	}
	return schema;
}

DsSchema *
ds_pq_describe(DsPool *pool, const char *source, bool query, DsParams *params)
{
	List	   *rows;

	if (query)
		return describe_query(pool, source, params);
	rows = ds_schema_query_rows(ds_pq_query, pool, ds_pg_describe_sql,
								ds_params_strings(quote_name(source), NULL));
	if (rows == NIL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation \"%s\" does not exist on datastore \"%s\"", source, pool->name)));
	return ds_pg_schema_from_rows(rows, true);
}

char *
ds_pq_create_table_sql(DsPool *pool, const char *target, const DsSchema *schema,
					   const DsDdlOptions *opts)
{
	char	   *nsp;
	char	   *rel;

	ds_split_qualified(target, &nsp, &rel);
	return ds_pg_create_table_sql(nsp, rel, schema, opts, "remote postgres");
}
