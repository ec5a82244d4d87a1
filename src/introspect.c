/*
 * introspect.c
 *		ds_tables(store) and ds_columns(store, table): what a store holds,
 *		read from its information_schema like any query on the store.
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
#include "executor/tuptable.h"
#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "catalog.h"
#include "functions.h"
#include "jsonb_row.h"
#include "params.h"
#include "progress.h"

PG_FUNCTION_INFO_V1(ds_tables);
PG_FUNCTION_INFO_V1(ds_columns);

#define PG_TABLES_SQL \
	"SELECT table_name, table_type FROM information_schema.tables" \
	" WHERE table_schema OPERATOR(pg_catalog.=) pg_catalog.current_schema()" \
	" ORDER BY table_name"
#define PG_COLUMNS_SQL \
	"SELECT column_name, data_type," \
	" is_nullable OPERATOR(pg_catalog.=) 'YES' AS is_nullable," \
	" ordinal_position AS ordinal" \
	" FROM information_schema.columns" \
	" WHERE table_schema OPERATOR(pg_catalog.=) COALESCE($1, pg_catalog.current_schema())" \
	" AND table_name OPERATOR(pg_catalog.=) $2" \
	" ORDER BY ordinal_position"
#define MY_TABLES_SQL \
	"SELECT TABLE_NAME AS table_name, TABLE_TYPE AS table_type" \
	" FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME"
#define MY_COLUMNS_SQL \
	"SELECT COLUMN_NAME AS column_name, COLUMN_TYPE AS data_type," \
	" IS_NULLABLE = 'YES' AS is_nullable, ORDINAL_POSITION AS ordinal" \
	" FROM information_schema.COLUMNS" \
	" WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?" \
	" ORDER BY ORDINAL_POSITION"

/* The answer is the store's: a member of the wrong shape is an ERROR. */
static void
pg_attribute_noreturn()
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
introspect(FunctionCallInfo fcinfo, const char *fname, const char *pg_sql,
		   const char *my_sql, DsParams *params, EmitRow emit)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	char	   *name;
	ErrorContextCallback errcb;
	DsPool	   *pool;
	TupleDesc	rowdesc;
	Tuplestorestate *rows;
	TupleTableSlot *slot;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s: store must not be NULL", fname)));
	name = text_to_cstring(PG_GETARG_TEXT_PP(0));
	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);

	rowdesc = CreateTemplateTupleDesc(1);
	TupleDescInitEntry(rowdesc, 1, "row", JSONBOID, -1, 0);
	rows = tuplestore_begin_heap(false, false, work_mem);

	ds_push_store_context(&errcb, name);
	ds_progress_begin(DS_PROGRESS_QUERY, name, NULL, NULL);
	pool = ds_open_store(name);
	ds_store_query(pool, pool->store->type == DS_STORE_POSTGRES ? pg_sql : my_sql,
				   params, rows, rowdesc);
	ds_progress_end();

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
	error_context_stack = errcb.previous;
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

	introspect(fcinfo, "ds_tables", PG_TABLES_SQL, MY_TABLES_SQL, &none, emit_table);
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

	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("ds_columns: table_name must not be NULL")));
	table = text_to_cstring(PG_GETARG_TEXT_PP(1));
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
	introspect(fcinfo, "ds_columns", PG_COLUMNS_SQL, MY_COLUMNS_SQL, &params, emit_column);
	return (Datum) 0;
}
