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
#include "local_store.h"
#include "params.h"
#include "pool.h"

PG_FUNCTION_INFO_V1(ds_connect);
PG_FUNCTION_INFO_V1(ds_disconnect);
PG_FUNCTION_INFO_V1(ds_disconnect_all);
PG_FUNCTION_INFO_V1(ds_connect_all);
PG_FUNCTION_INFO_V1(ds_query);
PG_FUNCTION_INFO_V1(ds_exec);
PG_FUNCTION_INFO_V1(ds_pool_status);

/* Says which store a failing statement ran on. */
static void
store_error_context(void *arg)
{
	errcontext("datastore \"%s\"", (const char *) arg);
}

static void
push_store_context(ErrorContextCallback *cb, const char *name)
{
	cb->callback = store_error_context;
	cb->arg = (void *) name;
	cb->previous = error_context_stack;
	error_context_stack = cb;
}

static void
unsupported_store(const DsStore *store)
{
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("%s datastores are not supported by this version of datastore",
					store->type == DS_STORE_POSTGRES ? "remote postgres" :
					ds_store_type_name(store->type)),
			 errdetail("Datastore \"%s\" is registered as type %s%s.",
					   store->name, ds_store_type_name(store->type),
					   store->host ? " with a host" : ""),
			 errhint("Only the local PostgreSQL store (type postgres without host and port) can be used so far.")));
}

/*
 * Looks the store up and returns its open pool; a store that vanished from
 * the catalog loses this backend's pool on the way to the ERROR.
 */
static DsPool *
open_store(const char *name)
{
	DsStore    *store = ds_catalog_lookup(name, true);

	if (store == NULL)
	{
		ds_pool_close(name);
		ds_catalog_lookup(name, false);
	}
	if (!ds_store_is_local(store))
		unsupported_store(store);
	return ds_pool_open(store);
}

Datum
ds_connect(PG_FUNCTION_ARGS)
{
	char	   *name = text_to_cstring(PG_GETARG_TEXT_PP(0));

	open_store(name);
	PG_RETURN_BOOL(true);
}

Datum
ds_disconnect(PG_FUNCTION_ARGS)
{
	char	   *name = text_to_cstring(PG_GETARG_TEXT_PP(0));

	if (ds_pool_close(name))
		PG_RETURN_BOOL(true);
	/* Unconnected is fine; a name that was never registered is a typo. */
	ds_catalog_lookup(name, false);
	PG_RETURN_BOOL(false);
}

Datum
ds_disconnect_all(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(ds_pool_close_all() > 0);
}

/*
 * Opens every registered store.  One store that cannot be reached must not
 * stop the others, so each is tried in its own subtransaction and a failure
 * becomes a WARNING.
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

		BeginInternalSubTransaction(NULL);
		MemoryContextSwitchTo(cxt);
		PG_TRY();
		{
			open_store(name);
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
					 errmsg("could not connect datastore \"%s\": %s",
							name, edata->message),
					 edata->detail ? errdetail_internal("%s", edata->detail) : 0,
					 edata->hint ? errhint("%s", edata->hint) : 0));
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

	require_args(fcinfo, "ds_query");
	name = text_to_cstring(PG_GETARG_TEXT_PP(0));
	sql = text_to_cstring(PG_GETARG_TEXT_PP(1));
	params = ds_params_from_jsonb(params_arg(fcinfo, 2));

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);

	push_store_context(&errcb, name);
	open_store(name);
	ds_local_query(sql, params, rsinfo->setResult, rsinfo->setDesc);
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
	uint64		processed;

	require_args(fcinfo, "ds_exec");
	name = text_to_cstring(PG_GETARG_TEXT_PP(0));
	sql = text_to_cstring(PG_GETARG_TEXT_PP(1));
	params = ds_params_from_jsonb(params_arg(fcinfo, 2));

	push_store_context(&errcb, name);
	open_store(name);
	processed = ds_local_exec(sql, params);
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

		values[0] = CStringGetTextDatum(pool->name);
		values[1] = CStringGetTextDatum(ds_store_type_name(pool->store->type));
		values[2] = Int32GetDatum(pool->connections);
		values[3] = Int32GetDatum(pool->busy);
		values[4] = Int64GetDatum(pool->queries);
		values[5] = Int64GetDatum(pool->errors);
		values[6] = Int64GetDatum(pool->reconnects);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
