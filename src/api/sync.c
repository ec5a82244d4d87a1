/*
 * sync.c
 *		ds_sync(source_store, source_query, target_store, target, options,
 *		params): one store's query result streamed into another store's
 *		bulk path.
 *
 * The source is read as a row source (an SPI cursor locally, the socket on
 * the others) and handed to the target kind's load_rows, as ds_stream_load
 * does, so rows flow from one server to the other a batch at a time: memory
 * stays bounded and the result is the target's load result.  Both stores
 * are checked for the caller's privileges before anything connects.
 *
 * options->'create' (true, or ds_create_table's options: api/ddl.c) first
 * makes a missing target from the source query's columns; the rest of the
 * options are the load's.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

#include "api/call.h"
#include "api/ddl.h"
#include "core/catalog.h"
#include "core/params.h"

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

Datum
ds_sync(PG_FUNCTION_ARGS)
{
	SyncContext sc;
	ErrorContextCallback errcb;
	const DsStoreRoutine *source_kind;
	const DsStoreRoutine *target_kind;
	DsPool	   *source;
	DsPool	   *target;
	DsLoadOptions *opts;
	DsParams   *params;
	DsRowSource *src;
	Jsonb	   *result;
	char	   *query;
	char	   *table;
	Jsonb	   *options;
	Jsonb	   *create;

	sc.source = ds_arg_text(fcinfo, 0, "ds_sync", "source_store");
	query = ds_arg_text(fcinfo, 1, "ds_sync", "source_query");
	sc.target = ds_arg_text(fcinfo, 2, "ds_sync", "target_store");
	table = ds_arg_text(fcinfo, 3, "ds_sync", "target");
	params = ds_params_from_jsonb(ds_arg_jsonb(fcinfo, 5));

	errcb.callback = sync_error_context;
	errcb.arg = &sc;
	errcb.previous = error_context_stack;
	error_context_stack = &errcb;

	ds_progress_begin(DS_PROGRESS_SYNC, sc.target, table, NULL);
	/* Both privilege checks pass before either store connects. */
	ds_catalog_check_usage(ds_catalog_lookup(sc.source, false));
	ds_catalog_check_usage(ds_catalog_lookup(sc.target, false));
	target = ds_open_store(sc.target, &target_kind);
	options = ds_ddl_take_create(ds_arg_jsonb(fcinfo, 4), &create);
	opts = ds_load_options_parse(target_kind, options);
	if (!ds_routine_has(target_kind, offsetof(DsStoreRoutine, load_rows)))
		ds_routine_missing(target_kind, sc.target, "ds_sync into it",
						   offsetof(DsStoreRoutine, load_rows));
	source = ds_open_store(sc.source, &source_kind);
	if (!ds_routine_has(source_kind, offsetof(DsStoreRoutine, open_rows)))
		ds_routine_missing(source_kind, sc.source, "ds_sync from it",
						   offsetof(DsStoreRoutine, open_rows));
	if (create)
		ds_ddl_create_for_sync(create, source, source_kind, sc.source, query, params,
							   target, target_kind, sc.target, table, opts->columns);
	src = source_kind->open_rows(source, query, params, opts->columns);
	result = target_kind->load_rows(target, table, src, opts);
	ds_progress_end();

	error_context_stack = errcb.previous;
	PG_RETURN_JSONB_P(result);
}
