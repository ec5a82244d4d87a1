/*
 * functions.c
 *		The SQL-callable ds_* functions: look the store up, reach its pool,
 *		hand the work to the store's driver.
 */
#include "postgres.h"

#include "access/xact.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/resowner.h"

#include "catalog.h"
#include "functions.h"
#include "local_store.h"
#include "mysql_api.h"
#include "mysql_conn.h"
#include "mysql_store.h"
#include "params.h"
#include "pool.h"
#include "pq_api.h"
#include "pq_conn.h"
#include "pq_store.h"
#include "progress.h"
#include "curl_api.h"
#include "starrocks.h"

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

/* Says which store a failing statement ran on. */
static void
store_error_context(void *arg)
{
	errcontext("datastore \"%s\"", (const char *) arg);
}

void
ds_push_store_context(ErrorContextCallback *cb, const char *name)
{
	cb->callback = store_error_context;
	cb->arg = (void *) name;
	cb->previous = error_context_stack;
	error_context_stack = cb;
}

/* The driver that serves a store; NULL for the local store. */
static const DsDriver *
store_driver(const DsStore *store)
{
	if (ds_store_is_local(store))
		return NULL;
	if (store->type == DS_STORE_POSTGRES)
		return &ds_pq_driver;
	return &ds_mysql_driver;
}

/*
 * Looks the store up and returns its open pool; a store that vanished from
 * the catalog loses this backend's pool on the way to the ERROR.
 */
DsPool *
ds_open_store(const char *name)
{
	DsStore    *store = ds_catalog_lookup(name, true);

	if (store == NULL)
	{
		ds_pool_close(name);
		ds_catalog_lookup(name, false);
	}
	ds_catalog_check_usage(store);
	/* Whatever became of its owner since the row was written. */
	ds_store_check_owner_rights(store);
	/* password_file is read when the pool opens (again after ds_disconnect). */
	if (store->password == NULL && !ds_store_is_local(store))
		store->password = ds_store_password(store);
	return ds_pool_open(store, store_driver(store));
}

void
ds_store_query(DsPool *pool, const char *sql, DsParams *params,
			   Tuplestorestate *ts, TupleDesc tsdesc)
{
	if (pool->local)
		ds_local_query(sql, params, ts, tsdesc);
	else if (pool->driver == &ds_pq_driver)
		ds_pq_query(pool, sql, params, ts, tsdesc);
	else
		ds_mysql_query(pool, sql, params, ts, tsdesc);
}

Datum
ds_connect(PG_FUNCTION_ARGS)
{
	char	   *name = text_to_cstring(PG_GETARG_TEXT_PP(0));
	ErrorContextCallback errcb;
	DsPool	   *pool;

	ds_push_store_context(&errcb, name);
	pool = ds_open_store(name);
	ds_pool_warm(pool);
	/* Connecting proves the settings work, even with min_connections 0. */
	if (!pool->local && pool->nconns == 0)
		ds_pool_checkin(ds_pool_checkout(pool));
	error_context_stack = errcb.previous;
	PG_RETURN_BOOL(true);
}

Datum
ds_disconnect(PG_FUNCTION_ARGS)
{
	char	   *name = text_to_cstring(PG_GETARG_TEXT_PP(0));

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
	MemoryContext cxt = CurrentMemoryContext;
	ResourceOwner owner = CurrentResourceOwner;
	ListCell   *lc;
	int			connected = 0;

	foreach(lc, names)
	{
		char	   *name = lfirst(lc);
		DsStore    *store = ds_catalog_lookup(name, true);

		if (store == NULL || !ds_catalog_may_use(store))
			continue;
		BeginInternalSubTransaction(NULL);
		MemoryContextSwitchTo(cxt);
		PG_TRY();
		{
			DsPool	   *pool = ds_open_store(name);

			ds_pool_warm(pool);
			if (!pool->local && pool->nconns == 0)
				ds_pool_checkin(ds_pool_checkout(pool));
			ReleaseCurrentSubTransaction();
			MemoryContextSwitchTo(cxt);
			CurrentResourceOwner = owner;
			connected++;
		}
		PG_CATCH();
		{
			ErrorData  *edata;

			MemoryContextSwitchTo(cxt);
			edata = CopyErrorData();
			FlushErrorState();
			RollbackAndReleaseCurrentSubTransaction();
			MemoryContextSwitchTo(cxt);
			CurrentResourceOwner = owner;
			ereport(WARNING,
					(errcode(edata->sqlerrcode),
					 errmsg_internal("%s", edata->message),
					 edata->detail ? errdetail_internal("%s", edata->detail) : 0,
					 edata->hint ? errhint("%s", edata->hint) : 0,
					 errcontext("datastore \"%s\" skipped by ds_connect_all()", name)));
			FreeErrorData(edata);
		}
		PG_END_TRY();
	}
	PG_RETURN_INT32(connected);
}

static Jsonb *
params_arg(FunctionCallInfo fcinfo, int argno)
{
	return PG_ARGISNULL(argno) ? NULL : PG_GETARG_JSONB_P(argno);
}

static void
require_args(FunctionCallInfo fcinfo, const char *fname)
{
	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s: store must not be NULL", fname)));
	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s: sql must not be NULL", fname)));
}

Datum
ds_query(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	char	   *name;
	char	   *sql;
	DsParams   *params;
	ErrorContextCallback errcb;
	DsPool	   *pool;

	require_args(fcinfo, "ds_query");
	name = text_to_cstring(PG_GETARG_TEXT_PP(0));
	sql = text_to_cstring(PG_GETARG_TEXT_PP(1));
	params = ds_params_from_jsonb(params_arg(fcinfo, 2));

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);

	ds_push_store_context(&errcb, name);
	ds_progress_begin(DS_PROGRESS_QUERY, name, NULL, NULL);
	pool = ds_open_store(name);
	ds_store_query(pool, sql, params, rsinfo->setResult, rsinfo->setDesc);
	ds_progress_end();
	error_context_stack = errcb.previous;
	return (Datum) 0;
}

Datum
ds_exec(PG_FUNCTION_ARGS)
{
	char	   *name;
	char	   *sql;
	DsParams   *params;
	ErrorContextCallback errcb;
	DsPool	   *pool;
	uint64		processed;

	require_args(fcinfo, "ds_exec");
	name = text_to_cstring(PG_GETARG_TEXT_PP(0));
	sql = text_to_cstring(PG_GETARG_TEXT_PP(1));
	params = ds_params_from_jsonb(params_arg(fcinfo, 2));

	ds_push_store_context(&errcb, name);
	ds_progress_begin(DS_PROGRESS_EXEC, name, NULL, NULL);
	pool = ds_open_store(name);
	if (pool->local)
		processed = ds_local_exec(sql, params);
	else if (pool->driver == &ds_pq_driver)
		processed = ds_pq_exec(pool, sql, params);
	else
		processed = ds_mysql_exec(pool, sql, params);
	ds_progress_end();
	error_context_stack = errcb.previous;
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
		values[1] = CStringGetTextDatum(ds_store_type_name(pool->store->type));
		values[2] = Int32GetDatum(pool->nconns);
		values[3] = Int32GetDatum(ds_pool_busy_count(pool));
		values[4] = Int64GetDatum(pool->queries);
		values[5] = Int64GetDatum(pool->errors);
		values[6] = Int64GetDatum(pool->reconnects);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/* Which client libraries this backend has loaded. */
Datum
ds_drivers(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Datum		values[3];
	bool		nulls[3] = {0};
	const char *lib = ds_mysql_loaded_library();

	InitMaterializedSRF(fcinfo, 0);
	values[0] = CStringGetTextDatum("mysql");
	values[1] = CStringGetTextDatum(lib ? lib : ds_mysql_library_names);
	values[2] = BoolGetDatum(lib != NULL);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	lib = ds_pq_loaded_library();
	values[0] = CStringGetTextDatum("libpq");
	values[1] = CStringGetTextDatum(lib ? lib : ds_pq_library_names);
	values[2] = BoolGetDatum(lib != NULL);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	lib = ds_curl_loaded_library();
	values[0] = CStringGetTextDatum("curl");
	values[1] = CStringGetTextDatum(lib ? lib : ds_curl_library_names);
	values[2] = BoolGetDatum(lib != NULL);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	return (Datum) 0;
}

/* The store's pool, which must be a StarRocks store's. */
static DsPool *
open_starrocks(const char *name, const char *fname)
{
	DsPool	   *pool = ds_open_store(name);

	if (pool->store->type != DS_STORE_STARROCKS)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("%s needs a starrocks datastore; \"%s\" is %s",
						fname, name, ds_store_type_name(pool->store->type))));
	return pool;
}

/* Rows through StarRocks' HTTP SQL API. */
Datum
ds_http_query(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	char	   *name;
	char	   *sql;
	ErrorContextCallback errcb;

	require_args(fcinfo, "ds_http_query");
	name = text_to_cstring(PG_GETARG_TEXT_PP(0));
	sql = text_to_cstring(PG_GETARG_TEXT_PP(1));
	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	ds_push_store_context(&errcb, name);
	ds_progress_begin(DS_PROGRESS_HTTP_QUERY, name, NULL, NULL);
	ds_sr_http_query(open_starrocks(name, "ds_http_query"), sql,
					 rsinfo->setResult, rsinfo->setDesc);
	ds_progress_end();
	error_context_stack = errcb.previous;
	return (Datum) 0;
}

Datum
ds_load_state(PG_FUNCTION_ARGS)
{
	char	   *name = text_to_cstring(PG_GETARG_TEXT_PP(0));
	char	   *label = text_to_cstring(PG_GETARG_TEXT_PP(1));
	ErrorContextCallback errcb;
	char	   *state;

	ds_push_store_context(&errcb, name);
	state = ds_sr_load_state(open_starrocks(name, "ds_load_state"), label);
	error_context_stack = errcb.previous;
	PG_RETURN_TEXT_P(cstring_to_text(state));
}
