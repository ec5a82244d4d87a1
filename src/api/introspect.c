/*
 * introspect.c
 *		ds_tables(store) and ds_columns(store, table): what a store holds,
 *		read from its information_schema like any query on the store, with
 *		the statements its kind gives (core/pg_sql.h, DS_MY_*_SQL).
 *
 * These are C rather than SQL functions so that they need no search_path of
 * their own: an unqualified table is looked up in the caller's current
 * schema on a PostgreSQL store, which a function that pins search_path could
 * not see, while a function that does not pin it would resolve its own
 * operators through the caller's path.  The statements below name every
 * function and operator with its schema, so they mean the same on the local
 * server and on a remote one whatever their search_path holds.
 */
#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "core/compat.h"
#include "executor/tuptable.h"
#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "api/call.h"
#include "core/jsonb_row.h"
#include "core/params.h"

PG_FUNCTION_INFO_V1(ds_tables);
PG_FUNCTION_INFO_V1(ds_columns);

/* The answer is the store's: a member of the wrong shape is an ERROR. */
pg_noreturn static void
bad_member(const char *store, const char *key)
{
	ereport(ERROR,
			(errcode(ERRCODE_FDW_ERROR),
			 errmsg("datastore \"%s\" answered the introspection query without a usable \"%s\"",
					store, key)));
}

static Datum
text_member(Jsonb *row, const char *key, const char *store, bool *isnull)
{
	JsonbValue *v = ds_jsonb_member(row, key);

	*isnull = (v == NULL || v->type == jbvNull);
	if (*isnull)
		return (Datum) 0;
	if (v->type != jbvString)
		bad_member(store, key);
	return PointerGetDatum(cstring_to_text_with_len(v->val.string.val, v->val.string.len));
}

/* true/false, or MySQL's 1/0. */
static Datum
bool_member(Jsonb *row, const char *key, const char *store, bool *isnull)
{
	JsonbValue *v = ds_jsonb_member(row, key);

	*isnull = (v == NULL || v->type == jbvNull);
	if (*isnull)
		return (Datum) 0;
	if (v->type == jbvBool)
		return BoolGetDatum(v->val.boolean);
	if (v->type == jbvNumeric)
		return BoolGetDatum(!DatumGetBool(DirectFunctionCall2(numeric_eq,
															  NumericGetDatum(v->val.numeric),
															  NumericGetDatum(int64_to_numeric(0)))));
	bad_member(store, key);
}

static Datum
int_member(Jsonb *row, const char *key, const char *store, bool *isnull)
{
	JsonbValue *v = ds_jsonb_member(row, key);
	bool		failed = false;
	int32		n;

	*isnull = (v == NULL || v->type == jbvNull);
	if (*isnull)
		return (Datum) 0;
	if (v->type != jbvNumeric)
		bad_member(store, key);
	n = numeric_int4_opt_error(v->val.numeric, &failed);
	if (failed)
		bad_member(store, key);
	return Int32GetDatum(n);
}

/*
 * Runs the query on the store into a scratch tuplestore of jsonb rows, then
 * hands each row to emit.
 */
typedef void (*EmitRow) (ReturnSetInfo *rsinfo, Jsonb *row, const char *store);

static void
introspect(FunctionCallInfo fcinfo, const char *fname, bool columns,
		   DsParams *params, EmitRow emit)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	char	   *name = ds_arg_text(fcinfo, 0, fname, "store");
	DsCall		call;
	const char *sql;
	TupleDesc	rowdesc;
	Tuplestorestate *rows;
	TupleTableSlot *slot;

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);

	rowdesc = CreateTemplateTupleDesc(1);
	TupleDescInitEntry(rowdesc, 1, "row", JSONBOID, -1, 0);
	rows = tuplestore_begin_heap(false, false, work_mem);

	ds_call_begin(&call, name, DS_PROGRESS_QUERY, NULL);
	ds_call_require(&call, columns ? offsetof(DsStoreRoutine, columns_sql)
					: offsetof(DsStoreRoutine, tables_sql), fname);
	sql = columns ? call.routine->columns_sql : call.routine->tables_sql;
	call.routine->query(call.pool, sql, params, rows, rowdesc);

	slot = MakeSingleTupleTableSlot(rowdesc, &TTSOpsMinimalTuple);
	while (tuplestore_gettupleslot(rows, true, false, slot))
	{
		bool		isnull;
		Datum		d = slot_getattr(slot, 1, &isnull);

		if (!isnull)
			emit(rsinfo, DatumGetJsonbP(d), name);
		ExecClearTuple(slot);
	}
	ExecDropSingleTupleTableSlot(slot);
	tuplestore_end(rows);
	ds_call_end(&call);
}

static void
emit_table(ReturnSetInfo *rsinfo, Jsonb *row, const char *store)
{
	Datum		values[2];
	bool		nulls[2];

	values[0] = text_member(row, "table_name", store, &nulls[0]);
	values[1] = text_member(row, "table_type", store, &nulls[1]);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

static void
emit_column(ReturnSetInfo *rsinfo, Jsonb *row, const char *store)
{
	Datum		values[4];
	bool		nulls[4];

	values[0] = text_member(row, "column_name", store, &nulls[0]);
	values[1] = text_member(row, "data_type", store, &nulls[1]);
	values[2] = bool_member(row, "is_nullable", store, &nulls[2]);
	values[3] = int_member(row, "ordinal", store, &nulls[3]);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

Datum
ds_tables(PG_FUNCTION_ARGS)
{
	DsParams	none = {0};

	introspect(fcinfo, "ds_tables", false, &none, emit_table);
	return (Datum) 0;
}

/* table_name is "table" or "schema.table" ("db.table"). */
Datum
ds_columns(PG_FUNCTION_ARGS)
{
	DsParams	params;
	DsParam    *items = palloc0(sizeof(DsParam) * 2);
	char	   *table;
	char	   *dot;

	table = ds_arg_text(fcinfo, 1, "ds_columns", "table_name");
	dot = strchr(table, '.');
	if (dot != NULL)
	{
		*dot = '\0';
		items[0].kind = DS_PARAM_STRING;
		items[0].text = table;
		items[0].len = strlen(table);
		table = dot + 1;
	}
	else
		items[0].kind = DS_PARAM_NULL;
	items[1].kind = DS_PARAM_STRING;
	items[1].text = table;
	items[1].len = strlen(table);
	params.count = 2;
	params.items = items;
	introspect(fcinfo, "ds_columns", true, &params, emit_column);
	return (Datum) 0;
}
