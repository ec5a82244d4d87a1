/*
 * sync.c
 *		ds_sync(source_store, source_query, target_store, target, options,
 *		params): one store's query result streamed into another store's
 *		bulk path.
 *
 * The source is read as a row source (an SPI cursor locally, the socket on
 * MySQL and StarRocks) and handed to the same load code as ds_stream_load,
 * so rows flow from one server to the other a batch at a time: memory stays
 * bounded and the result is the target's load result.  Both stores are
 * checked for the caller's privileges before anything connects.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

#include "catalog.h"
#include "functions.h"
#include "mysql_rows.h"
#include "params.h"
#include "pq_rows.h"
#include "progress.h"
#include "row_source.h"
#include "stream_load.h"

PG_FUNCTION_INFO_V1(ds_sync);

typedef struct SyncContext
{
	const char *source;
	const char *target;
} SyncContext;

static void
sync_error_context(void *arg)
{
	SyncContext *sc = (SyncContext *) arg;

	errcontext("ds_sync from datastore \"%s\" to datastore \"%s\"", sc->source, sc->target);
}

static DsRowSource *
open_source(DsPool *pool, const char *sql, DsParams *params, List *columns)
{
	if (pool->local)
		return ds_rows_from_query_params(sql, params, columns);
	switch (pool->store->type)
	{
		case DS_STORE_MYSQL:
		case DS_STORE_STARROCKS:
			return ds_mysql_rows_from_query(pool, sql, params, columns);
		case DS_STORE_POSTGRES:
			return ds_pq_rows_from_query(pool, sql, params, columns);
	}
	elog(ERROR, "unexpected store type %d", (int) pool->store->type);
	return NULL;				/* keep compiler quiet */
}

Datum
ds_sync(PG_FUNCTION_ARGS)
{
	static const char *const args[] = {"source_store", "source_query", "target_store", "target"};
	SyncContext sc;
	ErrorContextCallback errcb;
	DsPool	   *source;
	DsPool	   *target;
	DsLoadOptions opts;
	DsParams   *params;
	DsRowSource *src;
	Jsonb	   *result;
	char	   *query;
	char	   *table;

	for (int i = 0; i < 4; i++)
		if (PG_ARGISNULL(i))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("ds_sync: %s must not be NULL", args[i])));
	sc.source = text_to_cstring(PG_GETARG_TEXT_PP(0));
	query = text_to_cstring(PG_GETARG_TEXT_PP(1));
	sc.target = text_to_cstring(PG_GETARG_TEXT_PP(2));
	table = text_to_cstring(PG_GETARG_TEXT_PP(3));
	params = ds_params_from_jsonb(PG_ARGISNULL(5) ? NULL : PG_GETARG_JSONB_P(5));

	errcb.callback = sync_error_context;
	errcb.arg = &sc;
	errcb.previous = error_context_stack;
	error_context_stack = &errcb;

	ds_progress_begin(DS_PROGRESS_SYNC, sc.target, table, NULL);
	/* Both privilege checks pass before either store connects. */
	ds_catalog_check_usage(ds_catalog_lookup(sc.source, false));
	ds_catalog_check_usage(ds_catalog_lookup(sc.target, false));
	target = ds_open_store(sc.target);
	ds_load_options_parse(PG_ARGISNULL(4) ? NULL : PG_GETARG_JSONB_P(4), target->store, &opts);
	source = ds_open_store(sc.source);
	src = open_source(source, query, params, opts.columns);
	result = ds_load_rows(target, table, src, &opts);
	ds_progress_end();

	error_context_stack = errcb.previous;
	PG_RETURN_JSONB_P(result);
}
