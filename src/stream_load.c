/*
 * stream_load.c
 *		ds_stream_load(store, target, data jsonb, options) and
 *		ds_stream_load_query(store, target, query, options).
 *
 * Rows come from a row source (a jsonb array, or a local query read through
 * an SPI cursor) and go to the store's bulk path; the result has the keys of
 * a StarRocks stream-load response whatever the store.  A load that does not
 * succeed raises an ERROR (with that result in the detail) after making sure
 * nothing of it stays loaded: a caller that ignores a status can lose no data.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "catalog.h"
#include "functions.h"
#include "jsonb_row.h"
#include "local_copy.h"
#include "local_store.h"
#include "mysql_store.h"
#include "pq_store.h"
#include "progress.h"
#include "row_source.h"
#include "starrocks.h"
#include "stream_load.h"

PG_FUNCTION_INFO_V1(ds_stream_load);
PG_FUNCTION_INFO_V1(ds_stream_load_query);

static void
add_pair(DsJsonbObject *b, const char *key, JsonbValue *v)
{
	JsonbValue	k;

	k.type = jbvString;
	k.val.string.val = (char *) key;
	k.val.string.len = strlen(key);
	ds_jsonb_object_add(b, &k, v);
}

static void
add_int(DsJsonbObject *b, const char *key, int64 n)
{
	JsonbValue	v;

	v.type = jbvNumeric;
	v.val.numeric = int64_to_numeric(n);
	add_pair(b, key, &v);
}

static void
add_str(DsJsonbObject *b, const char *key, const char *s)
{
	JsonbValue	v;

	v.type = jbvString;
	v.val.string.val = (char *) s;
	v.val.string.len = strlen(s);
	add_pair(b, key, &v);
}

static Jsonb *
result_jsonb(const DsLoadResult *r, bool with_time)
{
	DsJsonbObject b;

	ds_jsonb_object_begin(&b);
	add_str(&b, "Status", r->status);
	add_int(&b, "NumberTotalRows", r->total);
	add_int(&b, "NumberLoadedRows", r->loaded);
	add_int(&b, "NumberFilteredRows", r->filtered);
	add_int(&b, "LoadBytes", r->bytes);
	if (with_time)
		add_int(&b, "LoadTimeMs", r->time_ms);
	add_str(&b, "Message", r->message ? r->message : "");
	return ds_jsonb_object_finish(&b);
}

Jsonb *
ds_load_result_jsonb(const DsLoadResult *r)
{
	return result_jsonb(r, true);
}

Jsonb *
ds_load_result_with(Jsonb *result, const char *key, JsonbValue *v)
{
	DsJsonbObject b;
	JsonbValue	k;

	ds_jsonb_object_begin(&b);
	k.type = jbvString;
	k.val.string.val = (char *) key;
	k.val.string.len = strlen(key);
	ds_jsonb_object_add(&b, &k, v);
	return DatumGetJsonbP(DirectFunctionCall2(jsonb_concat, JsonbPGetDatum(result),
											  JsonbPGetDatum(ds_jsonb_object_finish(&b))));
}

void
ds_load_failed(const char *store, const char *target, const DsLoadResult *r)
{
	Jsonb	   *jb = result_jsonb(r, false);

	ereport(ERROR,
			(errcode(ERRCODE_DATA_EXCEPTION),
			 errmsg("stream load into \"%s\" on datastore \"%s\" failed: the server refused or changed %lld of %lld rows",
					target, store, (long long) r->filtered, (long long) r->total),
			 errdetail("Nothing was loaded. Result: %s",
					   JsonbToCString(NULL, &jb->root, VARSIZE(jb))),
			 errhint("Fix or filter the rows in the source query: the target keeps no load in which it refused or changed a row.")));
}

static List *
parse_columns(JsonbValue *v)
{
	List	   *cols = NIL;

	if (v->type == jbvString)
	{
		char	   *s = pnstrdup(v->val.string.val, v->val.string.len);
		char	   *tok;
		char	   *save;

		for (tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		{
			while (*tok == ' ')
				tok++;
			for (char *e = tok + strlen(tok) - 1; e >= tok && *e == ' '; e--)
				*e = '\0';
			if (*tok)
				cols = lappend(cols, pstrdup(tok));
		}
	}
	else if (v->type == jbvBinary && JsonContainerIsArray(v->val.binary.data))
	{
		JsonbIterator *it = JsonbIteratorInit(v->val.binary.data);
		JsonbValue	e;
		JsonbIteratorToken tok;

		while ((tok = JsonbIteratorNext(&it, &e, true)) != WJB_DONE)
		{
			if (tok != WJB_ELEM)
				continue;
			if (e.type != jbvString)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("options->'columns' must hold column names as strings")));
			cols = lappend(cols, pnstrdup(e.val.string.val, e.val.string.len));
		}
	}
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("options->'columns' must be an array of names or a comma-separated string")));
	if (cols == NIL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("options->'columns' is empty")));
	return cols;
}

/* "mysql", "local postgres", "remote postgres", "starrocks". */
static const char *
store_kind_name(const DsStore *store)
{
	if (store->type == DS_STORE_POSTGRES)
		return ds_store_is_local(store) ? "local postgres" : "remote postgres";
	return ds_store_type_name(store->type);
}

static bool
option_is(JsonbValue *key, const char *name)
{
	return key->val.string.len == (int) strlen(name) &&
		memcmp(key->val.string.val, name, key->val.string.len) == 0;
}

/*
 * Reads the options every store understands.  Keys a store does not know
 * are an ERROR on MySQL and local stores (a typo must not be ignored).
 */
void
ds_load_options_parse(Jsonb *options, const DsStore *store, DsLoadOptions *opts)
{
	JsonbIterator *it;
	JsonbValue	key;
	JsonbValue	val;
	JsonbIteratorToken tok;
	bool		remote_pg = store->type == DS_STORE_POSTGRES && !ds_store_is_local(store);

	memset(opts, 0, sizeof(*opts));
	opts->raw = options;
	if (options == NULL)
		return;
	if (!JB_ROOT_IS_OBJECT(options))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("options must be a JSON object")));
	it = JsonbIteratorInit(&options->root);
	while ((tok = JsonbIteratorNext(&it, &key, true)) != WJB_DONE)
	{
		if (tok != WJB_KEY)
			continue;
		JsonbIteratorNext(&it, &val, true);
		if (option_is(&key, "columns"))
			opts->columns = parse_columns(&val);
		else if (option_is(&key, "max_filter_ratio"))
		{
			char	   *s = val.type == jbvNumeric
				? DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(val.val.numeric)))
				: val.type == jbvString ? pnstrdup(val.val.string.val, val.val.string.len) : "x";
			char	   *end;

			opts->max_filter_ratio = strtod(s, &end);
			if (*end != '\0' || opts->max_filter_ratio < 0 || opts->max_filter_ratio > 1)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("max_filter_ratio must be a number between 0 and 1")));

			/*
			 * Only StarRocks leaves out the rows it filters.  MySQL's LOAD
			 * DATA LOCAL stores them anyway, truncated or converted (its
			 * errors become warnings), and COPY cannot skip a row: a ratio
			 * above 0 would let changed values land.
			 */
			if (opts->max_filter_ratio > 0 && store->type != DS_STORE_STARROCKS)
				ereport(ERROR,
						(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
						 errmsg("max_filter_ratio is not supported by a %s store", store_kind_name(store)),
						 errdetail("%s", store->type == DS_STORE_MYSQL
								   ? "MySQL would store the rows it cannot take anyway, with their values truncated or converted."
								   : "COPY cannot leave rows out."),
						 errhint("Fix or filter the rows in the source query; a load with a row the target refuses loads nothing.")));
		}
		else if (option_is(&key, "replace") && store->type == DS_STORE_MYSQL)
		{
			if (val.type != jbvBool)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("options->'replace' must be true or false")));
			opts->replace = val.val.boolean;
		}
		else if (option_is(&key, "temp_table") && remote_pg)
		{
			if (val.type == jbvBool)
				opts->temp_table = val.val.boolean;
			else if (val.type == jbvString && val.val.string.len == 4 &&
					 memcmp(val.val.string.val, "true", 4) == 0)
				opts->temp_table = true;
			else if (!(val.type == jbvString && val.val.string.len == 5 &&
					   memcmp(val.val.string.val, "false", 5) == 0))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("options->'temp_table' must be true or false")));
		}
		else if (option_is(&key, "merge") && remote_pg)
		{
			if (val.type != jbvString)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("options->'merge' must be an SQL statement as a string")));
			opts->merge = pnstrdup(val.val.string.val, val.val.string.len);
		}
		else if (option_is(&key, "format") && remote_pg)
		{
			if (val.type == jbvString && val.val.string.len == 4 &&
				memcmp(val.val.string.val, "text", 4) == 0)
				opts->copy_format = DS_COPY_TEXT;
			else if (val.type == jbvString && val.val.string.len == 6 &&
					 memcmp(val.val.string.val, "binary", 6) == 0)
				opts->copy_format = DS_COPY_BINARY;
			else if (val.type == jbvString && val.val.string.len == 4 &&
					 memcmp(val.val.string.val, "auto", 4) == 0)
				opts->copy_format = DS_COPY_AUTO;
			else
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("options->'format' must be \"auto\", \"text\" or \"binary\""),
						 errhint("Leave it out to load in binary when every column can.")));
		}
		else if (store->type != DS_STORE_STARROCKS)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown stream load option \"%.*s\" for a %s store",
							key.val.string.len, key.val.string.val,
							ds_store_type_name(store->type)),
					 errhint("Known options: columns, max_filter_ratio%s.",
							 store->type == DS_STORE_MYSQL ? ", replace" :
							 remote_pg ? ", temp_table, merge, format" : "")));
	}
	if (opts->merge != NULL && !opts->temp_table)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("options->'merge' needs options->'temp_table' set to true"),
				 errhint("The merge statement reads the loaded rows from {temp}.")));
}

static Jsonb *
options_arg(FunctionCallInfo fcinfo, int argno)
{
	return PG_ARGISNULL(argno) ? NULL : PG_GETARG_JSONB_P(argno);
}

static void
require_arg(FunctionCallInfo fcinfo, int argno, const char *fname, const char *what)
{
	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s: %s must not be NULL", fname, what)));
}

Jsonb *
ds_load_rows(DsPool *pool, const char *target, DsRowSource *src, const DsLoadOptions *opts)
{
	if (pool->local)
		return ds_local_load_rows(target, src, opts);
	if (pool->store->type == DS_STORE_STARROCKS)
		return ds_sr_stream_load(pool, target, src, opts);
	if (pool->store->type == DS_STORE_POSTGRES)
		return ds_pq_stream_load(pool, target, src, opts);
	return ds_mysql_stream_load(pool, target, src, opts);
}

/* Both SQL functions: (store, target, data jsonb | query text, options). */
static Datum
run_load(FunctionCallInfo fcinfo, const char *fname, bool from_query)
{
	char	   *name;
	char	   *target;
	DsLoadOptions opts;
	DsPool	   *pool;
	ErrorContextCallback errcb;
	Jsonb	   *result;
	DsRowSource *src;

	require_arg(fcinfo, 0, fname, "store");
	require_arg(fcinfo, 1, fname, "target");
	require_arg(fcinfo, 2, fname, from_query ? "query" : "data");
	name = text_to_cstring(PG_GETARG_TEXT_PP(0));
	target = text_to_cstring(PG_GETARG_TEXT_PP(1));

	ds_push_store_context(&errcb, name);
	ds_progress_begin(from_query ? DS_PROGRESS_STREAM_LOAD_QUERY : DS_PROGRESS_STREAM_LOAD,
					  name, target, NULL);
	pool = ds_open_store(name);
	ds_load_options_parse(options_arg(fcinfo, 3), pool->store, &opts);
	if (from_query)
	{
		char	   *query = text_to_cstring(PG_GETARG_TEXT_PP(2));

		if (pool->local)
			result = ds_local_load_query(target, query, &opts);
		else
		{
			src = ds_rows_from_query(query, opts.columns);
			result = ds_load_rows(pool, target, src, &opts);
		}
	}
	else
	{
		Jsonb	   *data = PG_GETARG_JSONB_P(2);

		if (pool->local)
			result = ds_local_load_jsonb(target, data, &opts);
		else
		{
			src = ds_rows_from_jsonb(data, opts.columns);
			result = ds_load_rows(pool, target, src, &opts);
		}
	}
	ds_progress_end();
	error_context_stack = errcb.previous;
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
