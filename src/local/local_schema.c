/*
 * local_schema.c
 *		ds_ddl on the local store: a local table's columns from pg_catalog, a
 *		local query's from its plan (never run), and PostgreSQL's CREATE
 *		TABLE (core/pg_schema.c) for a local target.
 *
 * Names are read as the local loads read them, as SQL identifiers
 * (schema.table, unquoted parts folded to lower case), so a table made
 * here is the one ds_sync then loads.
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/plancache.h"
#include "utils/regproc.h"
#include "utils/varlena.h"

#include "core/compat.h"
#include "core/pg_schema.h"
#include "local/local.h"

static DsSchema *
describe_query(const char *sql, DsParams *params)
{
	DsSchema   *schema = palloc0(sizeof(DsSchema));
	MemoryContext outer = CurrentMemoryContext;
	ParamListInfo li;
	SPIPlanPtr	plan;
	List	   *sources;
	CachedPlanSource *ps;
	TupleDesc	desc;

	schema->dialect = DS_DIALECT_POSTGRES;
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	plan = ds_local_prepare(sql, params, &li);
	sources = SPI_plan_get_plan_sources(plan);
	if (list_length(sources) != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a query source must be one statement")));
	ps = (CachedPlanSource *) linitial(sources);
	desc = ps->resultDesc;
	if (desc == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the source query returns no rows to describe"),
				 errhint("A query source is a SELECT, VALUES, TABLE or WITH query.")));
	/* the columns live past SPI_finish */
	{
		MemoryContext spi = MemoryContextSwitchTo(outer);

		for (int i = 0; i < desc->natts; i++)
		{
			Form_pg_attribute att = TupleDescAttr(desc, i);
			DsColumn   *col;

			if (att->attisdropped)
				continue;
			col = ds_column_new(NameStr(att->attname), DS_TYPE_OTHER, NULL);
			ds_pg_type(&col->type, att->atttypid, att->atttypmod, false, NULL);
			schema->columns = lappend(schema->columns, col);
		}
		MemoryContextSwitchTo(spi);
	}
	SPI_finish();
	return schema;
}

DsSchema *
ds_local_describe(DsPool *pool, const char *source, bool query, DsParams *params)
{
	List	   *rows;
	char	   *name;

	if (query)
		return describe_query(source, params);
	name = NameListToQuotedString(ds_qualified_name_list(source));
	rows = ds_schema_query_rows(ds_local_query, pool, ds_pg_describe_sql,
								ds_params_strings(name, NULL));
	if (rows == NIL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation \"%s\" does not exist", source)));
	return ds_pg_schema_from_rows(rows, false);
}

char *
ds_local_create_table_sql(DsPool *pool, const char *target, const DsSchema *schema,
					   const DsDdlOptions *opts)
{
	List	   *names = ds_qualified_name_list(target);

	if (list_length(names) > 2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_NAME),
				 errmsg("target \"%s\" must be table or schema.table", target)));
	return ds_pg_create_table_sql(list_length(names) == 2 ? strVal(linitial(names)) : NULL,
								  strVal(llast(names)), schema, opts, "local postgres");
}
