/*
 * stream_load.c
 *		ds_stream_load(store, target, data jsonb, options) and
 *		ds_stream_load_query(store, target, query, options).
 *
 * Rows come from a row source (a jsonb array, or a query on this database
 * read through an SPI cursor) and go to the target kind's bulk path; a kind
 * may take the jsonb or the query itself, as the local store does with one
 * INSERT ... SELECT (in mode append only: a load by key goes through the
 * kind's load_rows).  The result has the keys of a StarRocks stream-load
 * response whatever the store.  A load that does not succeed raises an
 * ERROR (with that result in the detail) after making sure nothing of it
 * stays loaded: a caller that ignores a status can lose no data.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

#include "api/call.h"
#include "core/row_source.h"

PG_FUNCTION_INFO_V1(ds_stream_load);
PG_FUNCTION_INFO_V1(ds_stream_load_query);

/* Both SQL functions: (store, target, data jsonb | query text, options). */
static Datum
run_load(FunctionCallInfo fcinfo, const char *fname, bool from_query)
{
	char	   *name = ds_arg_text(fcinfo, 0, fname, "store");
	char	   *target = ds_arg_text(fcinfo, 1, fname, "target");
	DsLoadOptions *opts;
	DsCall		call;
	Jsonb	   *result;
	DsRowSource *src;

	ds_arg_require(fcinfo, 2, fname, from_query ? "query" : "data");
	ds_call_begin(&call, name,
				  from_query ? DS_PROGRESS_STREAM_LOAD_QUERY : DS_PROGRESS_STREAM_LOAD,
				  target);
	opts = ds_load_options_parse(call.routine, ds_arg_jsonb(fcinfo, 3));
	if (from_query)
	{
		char	   *query = text_to_cstring(PG_GETARG_TEXT_PP(2));

		if (call.routine->load_query && opts->mode == DS_MODE_APPEND)
			result = call.routine->load_query(call.pool, target, query, opts);
		else
		{
			ds_call_require(&call, offsetof(DsStoreRoutine, load_rows), fname);
			src = ds_rows_of_local_query(query, NULL, opts->columns);
			result = call.routine->load_rows(call.pool, target, src, opts);
		}
	}
	else
	{
		Jsonb	   *data = PG_GETARG_JSONB_P(2);

		if (call.routine->load_jsonb && opts->mode == DS_MODE_APPEND)
			result = call.routine->load_jsonb(call.pool, target, data, opts);
		else
		{
			ds_call_require(&call, offsetof(DsStoreRoutine, load_rows), fname);
			src = ds_rows_from_jsonb(data, opts->columns);
			result = call.routine->load_rows(call.pool, target, src, opts);
		}
	}
	ds_call_end(&call);
	PG_RETURN_JSONB_P(result);
}

Datum
ds_stream_load(PG_FUNCTION_ARGS)
{
	return run_load(fcinfo, "ds_stream_load", false);
}

Datum
ds_stream_load_query(PG_FUNCTION_ARGS)
{
	return run_load(fcinfo, "ds_stream_load_query", true);
}
