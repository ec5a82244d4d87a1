/*
 * functions.c
 *		The SQL-callable ds_* functions on one store: open it through the
 *		registry and hand the work to its kind's routine.
 */
#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"

#include "api/call.h"
#include "core/catalog.h"
#include "core/dynload.h"
#include "core/params.h"
#include "core/pool.h"

PG_FUNCTION_INFO_V1(ds_connect);
PG_FUNCTION_INFO_V1(ds_disconnect);
PG_FUNCTION_INFO_V1(ds_disconnect_all);
PG_FUNCTION_INFO_V1(ds_connect_all);
PG_FUNCTION_INFO_V1(ds_query);
PG_FUNCTION_INFO_V1(ds_exec);
PG_FUNCTION_INFO_V1(ds_pool_status);
PG_FUNCTION_INFO_V1(ds_drivers);
PG_FUNCTION_INFO_V1(ds_http_query);
PG_FUNCTION_INFO_V1(ds_load_state);

/* Connecting proves the settings work, even with min_connections 0. */
static void
connect_pool(DsPool *pool)
{
	ds_pool_warm(pool);
	if (pool->driver != NULL && pool->nconns == 0)
		ds_pool_checkin(ds_pool_checkout(pool));
}

Datum
ds_connect(PG_FUNCTION_ARGS)
{
	DsCall		call;

	ds_call_open(&call, ds_arg_text(fcinfo, 0, "ds_connect", "store"));
	connect_pool(call.pool);
	ds_call_end(&call);
	PG_RETURN_BOOL(true);
}

Datum
ds_disconnect(PG_FUNCTION_ARGS)
{
	char	   *name = ds_arg_text(fcinfo, 0, "ds_disconnect", "store");
	DsStore    *store = ds_catalog_lookup(name, true);

	/*
	 * A store the caller may not use looks exactly like one that does not
	 * exist, even when this backend holds a pool for it (opened under
	 * another role).  A pool whose store is gone may be closed.
	 */
	if (store != NULL && !ds_catalog_may_use(store))
		ds_catalog_report_missing(name);
	if (ds_pool_close(name))
		PG_RETURN_BOOL(true);
	/* Unconnected is fine; a name that was never registered is a typo. */
	if (store == NULL)
		ds_catalog_report_missing(name);
	PG_RETURN_BOOL(false);
}

Datum
ds_disconnect_all(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(ds_pool_close_all() > 0);
}

static void
connect_store(void *name)
{
	connect_pool(ds_open_store((const char *) name, NULL));
}

/*
 * Opens every registered store the caller may use (the others are passed
 * over without a word, as if they did not exist).  One store that cannot be
 * reached must not stop the others, so each is tried in its own
 * subtransaction and a failure becomes a WARNING.
 */
Datum
ds_connect_all(PG_FUNCTION_ARGS)
{
	List	   *names = ds_catalog_store_names();
	ListCell   *lc;
	int			connected = 0;

	foreach(lc, names)
	{
		char	   *name = lfirst(lc);
		DsStore    *store = ds_catalog_lookup(name, true);
		ErrorData  *edata;

		if (store == NULL || !ds_catalog_may_use(store))
			continue;
		edata = ds_call_trapped(connect_store, name);
		if (edata == NULL)
			connected++;
		else
		{
			ereport(WARNING,
					(errcode(edata->sqlerrcode),
					 errmsg_internal("%s", edata->message),
					 edata->detail ? errdetail_internal("%s", edata->detail) : 0,
					 edata->hint ? errhint("%s", edata->hint) : 0,
					 errcontext("datastore \"%s\" skipped by ds_connect_all()", name)));
			FreeErrorData(edata);
		}
	}
	PG_RETURN_INT32(connected);
}

Datum
ds_query(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	char	   *name = ds_arg_text(fcinfo, 0, "ds_query", "store");
	char	   *sql = ds_arg_text(fcinfo, 1, "ds_query", "sql");
	DsParams   *params = ds_params_from_jsonb(ds_arg_jsonb(fcinfo, 2));
	DsCall		call;

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	ds_call_begin(&call, name, DS_PROGRESS_QUERY, NULL);
	call.routine->query(call.pool, sql, params, rsinfo->setResult, rsinfo->setDesc);
	ds_call_end(&call);
	return (Datum) 0;
}

Datum
ds_exec(PG_FUNCTION_ARGS)
{
	char	   *name = ds_arg_text(fcinfo, 0, "ds_exec", "store");
	char	   *sql = ds_arg_text(fcinfo, 1, "ds_exec", "sql");
	DsParams   *params = ds_params_from_jsonb(ds_arg_jsonb(fcinfo, 2));
	DsCall		call;
	uint64		processed;

	ds_call_begin(&call, name, DS_PROGRESS_EXEC, NULL);
	processed = call.routine->exec(call.pool, sql, params);
	ds_call_end(&call);
	PG_RETURN_INT64((int64) processed);
}

Datum
ds_pool_status(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	ListCell   *lc;

	InitMaterializedSRF(fcinfo, 0);
	foreach(lc, ds_pool_list())
	{
		DsPool	   *pool = lfirst(lc);
		Datum		values[7];
		bool		nulls[7] = {0};
		DsStore    *store = ds_catalog_lookup(pool->name, true);

		/* Pools another role opened in this backend are its own business. */
		if (store != NULL && !ds_catalog_may_use(store))
			continue;

		values[0] = CStringGetTextDatum(pool->name);
		values[1] = CStringGetTextDatum(pool->store->type);
		values[2] = Int32GetDatum(pool->nconns);
		values[3] = Int32GetDatum(ds_pool_busy_count(pool));
		values[4] = Int64GetDatum(pool->queries);
		values[5] = Int64GetDatum(pool->errors);
		values[6] = Int64GetDatum(pool->reconnects);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/* The client libraries, and which of them this backend has loaded. */
Datum
ds_drivers(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	InitMaterializedSRF(fcinfo, 0);
	for (const DsLibrary *lib = ds_libraries(); lib; lib = lib->next)
	{
		Datum		values[3];
		bool		nulls[3] = {0};

		values[0] = CStringGetTextDatum(lib->driver);
		values[1] = CStringGetTextDatum(lib->loaded ? lib->loaded : lib->names ? lib->names : "");
		values[2] = BoolGetDatum(lib->loaded != NULL);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/* Rows through an HTTP SQL API (StarRocks'). */
Datum
ds_http_query(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	char	   *name = ds_arg_text(fcinfo, 0, "ds_http_query", "store");
	char	   *sql = ds_arg_text(fcinfo, 1, "ds_http_query", "sql");
	DsCall		call;

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	ds_call_begin(&call, name, DS_PROGRESS_HTTP_QUERY, NULL);
	ds_call_require(&call, offsetof(DsStoreRoutine, http_query), "ds_http_query");
	call.routine->http_query(call.pool, sql, rsinfo->setResult, rsinfo->setDesc);
	ds_call_end(&call);
	return (Datum) 0;
}

/* The state of a load label. */
Datum
ds_load_state(PG_FUNCTION_ARGS)
{
	char	   *name = ds_arg_text(fcinfo, 0, "ds_load_state", "store");
	char	   *label = ds_arg_text(fcinfo, 1, "ds_load_state", "label");
	DsCall		call;
	char	   *state;

	ds_call_open(&call, name);
	ds_call_require(&call, offsetof(DsStoreRoutine, load_state), "ds_load_state");
	state = call.routine->load_state(call.pool, label);
	ds_call_end(&call);
	PG_RETURN_TEXT_P(cstring_to_text(state));
}
