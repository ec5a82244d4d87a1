/*
 * local_store.c
 *		The local PostgreSQL store: SPI in the caller's transaction.
 *
 * Statements run as the calling user with no privilege change, inside the
 * caller's transaction and with a fresh snapshot per statement, exactly as a
 * volatile PL/pgSQL function would run them.
 *
 * Parameters are bound the way libpq binds untyped parameters: the parser
 * infers each $n's type from the query, and the JSON value's text goes
 * through that type's input function.  So '$1' compared to a timestamp
 * column takes a timestamp, and nothing is ever spliced into the SQL text.
 *
 * Rows go straight from the executor into the caller's tuplestore through a
 * DestReceiver: no SPI tuple table, so memory stays at work_mem however many
 * rows come back.
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "nodes/value.h"
#include "parser/parse_param.h"
#include "portability/instr_time.h"
#include "tcop/dest.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/regproc.h"
#include "utils/syscache.h"

#include "core/compat.h"
#include "core/jsonb_row.h"
#include "core/progress.h"
#include "local/local.h"

typedef struct ParamTypeState
{
	Oid		   *types;
	int			ntypes;
} ParamTypeState;

static void
parser_setup(struct ParseState *pstate, void *arg)
{
	ParamTypeState *st = (ParamTypeState *) arg;

	setup_parse_variable_parameters(pstate, &st->types, &st->ntypes);
}

/*
 * Parses and plans sql with inferred parameter types, then binds params
 * (NULL: none).
 * The type array is preallocated here, so that the parser fills it in our
 * memory rather than in SPI's short-lived execution context.
 */
SPIPlanPtr
ds_local_prepare(const char *sql, DsParams *params, ParamListInfo *paramLI)
{
	static DsParams none = {0};
	ParamTypeState st;
	SPIPlanPtr	plan;
	ParamListInfo li;

	if (params == NULL)
		params = &none;
	st.ntypes = params->count;
	st.types = params->count > 0 ? palloc0(sizeof(Oid) * params->count) : NULL;

	plan = SPI_prepare_params(sql, parser_setup, &st, 0);
	if (plan == NULL)
		elog(ERROR, "SPI_prepare_params failed: %s",
			 SPI_result_code_string(SPI_result));
	if (st.ntypes > params->count)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_PARAMETER),
				 errmsg("query uses parameter $%d but params has %d value%s",
						st.ntypes, params->count, params->count == 1 ? "" : "s"),
				 errhint("Pass one element of the params array for each $n.")));

	li = makeParamList(params->count);
	for (int i = 0; i < params->count; i++)
	{
		ParamExternData *prm = &li->params[i];
		DsParam    *p = &params->items[i];
		Oid			type = OidIsValid(st.types[i]) ? st.types[i] : TEXTOID;

		prm->ptype = type;
		prm->pflags = PARAM_FLAG_CONST;
		prm->isnull = (p->kind == DS_PARAM_NULL);
		if (prm->isnull)
			prm->value = (Datum) 0;
		else
		{
			Oid			typinput;
			Oid			typioparam;

			getTypeInputInfo(type, &typinput, &typioparam);
			prm->value = OidInputFunctionCall(typinput, p->text, typioparam, -1);
		}
	}
	*paramLI = li;
	return plan;
}

typedef struct JsonbTupleDest
{
	DestReceiver pub;
	Tuplestorestate *ts;
	TupleDesc	tsdesc;
	MemoryContext cxt;			/* column plans, one per statement */
	MemoryContext rowcxt;		/* reset after every row */
	DsPgRowEncoder *enc;
} JsonbTupleDest;

static void
dest_startup(DestReceiver *self, int operation, TupleDesc desc)
{
	JsonbTupleDest *d = (JsonbTupleDest *) self;
	MemoryContext old = MemoryContextSwitchTo(d->cxt);

	d->enc = ds_pg_row_encoder_create(desc);
	MemoryContextSwitchTo(old);
}

static bool
dest_receive(TupleTableSlot *slot, DestReceiver *self)
{
	JsonbTupleDest *d = (JsonbTupleDest *) self;
	MemoryContext old;
	Datum		value;
	bool		isnull = false;

	slot_getallattrs(slot);
	old = MemoryContextSwitchTo(d->rowcxt);
	value = JsonbPGetDatum(ds_pg_row_to_jsonb(d->enc, slot->tts_values,
											  slot->tts_isnull));
	tuplestore_putvalues(d->ts, d->tsdesc, &value, &isnull);
	ds_progress_add(1, VARSIZE(DatumGetPointer(value)));
	MemoryContextSwitchTo(old);
	MemoryContextReset(d->rowcxt);
	return true;
}

static void
dest_shutdown(DestReceiver *self)
{
}

static void
dest_destroy(DestReceiver *self)
{
}

void
ds_local_query(DsPool *pool, const char *sql, DsParams *params,
			   Tuplestorestate *ts, TupleDesc tsdesc)
{
	JsonbTupleDest dest;
	SPIExecuteOptions options;
	SPIPlanPtr	plan;
	int			rc;

	memset(&dest, 0, sizeof(dest));
	dest.pub.receiveSlot = dest_receive;
	dest.pub.rStartup = dest_startup;
	dest.pub.rShutdown = dest_shutdown;
	dest.pub.rDestroy = dest_destroy;
	dest.pub.mydest = DestNone;
	dest.ts = ts;
	dest.tsdesc = tsdesc;
	dest.cxt = AllocSetContextCreate(CurrentMemoryContext,
									 "datastore local query",
									 ALLOCSET_DEFAULT_SIZES);
	dest.rowcxt = AllocSetContextCreate(dest.cxt,
										"datastore local row",
										ALLOCSET_DEFAULT_SIZES);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");

	memset(&options, 0, sizeof(options));
	plan = ds_local_prepare(sql, params, &options.params);
	options.read_only = false;
	options.dest = &dest.pub;
	rc = SPI_execute_plan_extended(plan, &options);
	if (rc < 0)
		elog(ERROR, "SPI_execute_plan_extended failed: %s",
			 SPI_result_code_string(rc));

	SPI_finish();
	MemoryContextDelete(dest.cxt);
}

uint64
ds_local_exec(DsPool *pool, const char *sql, DsParams *params)
{
	SPIExecuteOptions options;
	SPIPlanPtr	plan;
	uint64		processed;
	int			rc;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");

	memset(&options, 0, sizeof(options));
	plan = ds_local_prepare(sql, params, &options.params);
	options.read_only = false;
	rc = SPI_execute_plan_extended(plan, &options);
	if (rc < 0)
		elog(ERROR, "SPI_execute_plan_extended failed: %s",
			 SPI_result_code_string(rc));
	processed = SPI_processed;

	SPI_finish();
	return processed;
}

/* A possibly qualified, possibly quoted table name, quoted safely. */
static char *
quote_target(const char *target)
{
	List	   *names = ds_qualified_name_list(target);
	StringInfoData buf;
	ListCell   *lc;

	initStringInfo(&buf);
	foreach(lc, names)
		appendStringInfo(&buf, "%s%s", buf.len > 0 ? "." : "",
						 quote_identifier(strVal(lfirst(lc))));
	return buf.data;
}

static char *
column_list(List *columns)
{
	StringInfoData buf;
	ListCell   *lc;

	initStringInfo(&buf);
	foreach(lc, columns)
		appendStringInfo(&buf, "%s%s", buf.len > 0 ? ", " : "",
						 quote_identifier(lfirst(lc)));
	return buf.data;
}

/* Counts the rows RETURNING hands back: one per row inserted. */
static bool
count_receive(TupleTableSlot *slot, DestReceiver *self)
{
	ds_progress_add(1, 0);
	return true;
}

static void
count_startup(DestReceiver *self, int operation, TupleDesc desc)
{
}

/*
 * A load's rows can be counted as they go in by adding RETURNING 1, but
 * only where that changes nothing else: a plain or partitioned table with no
 * rules (a DO INSTEAD rule may not support RETURNING) and no row security
 * (RETURNING would apply the SELECT policies too).  Other targets show their
 * rows when the load ends.
 */
static bool
can_count_inserts(const char *target)
{
	RangeVar   *rv = makeRangeVarFromNameList(ds_qualified_name_list(target));
	Oid			relid = RangeVarGetRelid(rv, NoLock, true);
	HeapTuple	tup;
	bool		ok;

	if (!OidIsValid(relid))
		return false;
	tup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	if (!HeapTupleIsValid(tup))
		return false;
	{
		Form_pg_class rel = (Form_pg_class) GETSTRUCT(tup);

		ok = (rel->relkind == RELKIND_RELATION ||
			  rel->relkind == RELKIND_PARTITIONED_TABLE) &&
			!rel->relhasrules && !rel->relrowsecurity;
	}
	ReleaseSysCache(tup);
	return ok;
}

/* Runs a load's INSERT, counting its rows for ds_progress() where it can. */
static uint64
run_insert(const char *sql, const char *target, ParamListInfo params)
{
	SPIExecuteOptions options;
	DestReceiver dest;
	bool		counting = can_count_inserts(target);
	int			rc;

	memset(&options, 0, sizeof(options));
	options.params = params;
	options.read_only = false;
	if (counting)
	{
		memset(&dest, 0, sizeof(dest));
		dest.receiveSlot = count_receive;
		dest.rStartup = count_startup;
		dest.rShutdown = dest_shutdown;
		dest.rDestroy = dest_destroy;
		dest.mydest = DestNone;
		options.dest = &dest;
		sql = psprintf("%s RETURNING 1", sql);
	}
	rc = SPI_execute_extended(sql, &options);
	if (rc != (counting ? SPI_OK_INSERT_RETURNING : SPI_OK_INSERT))
		elog(ERROR, "could not insert into %s: %s", target, SPI_result_code_string(rc));
	if (!counting)
		ds_progress_add(SPI_processed, 0);
	return SPI_processed;
}

static Jsonb *
local_result(uint64 rows, instr_time start)
{
	DsLoadResult r = {0};
	instr_time	elapsed;

	INSTR_TIME_SET_CURRENT(elapsed);
	INSTR_TIME_SUBTRACT(elapsed, start);
	r.status = "Success";
	r.total = r.loaded = (int64) rows;
	r.time_ms = (int64) INSTR_TIME_GET_MILLISEC(elapsed);
	r.message = "OK";
	return ds_load_result_jsonb(&r);
}

Jsonb *
ds_local_load_jsonb(DsPool *pool, const char *target, Jsonb *data, const DsLoadOptions *opts)
{
	char	   *table = quote_target(target);
	List	   *columns = opts->columns;
	Oid			argtypes[1] = {JSONBOID};
	Datum		args[1] = {JsonbPGetDatum(data)};
	MemoryContext cxt = CurrentMemoryContext;
	instr_time	start;
	char	   *cols;
	uint64		rows;
	ParamListInfo params;

	INSTR_TIME_SET_CURRENT(start);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");

	if (columns == NIL)
	{
		/* Every key of every object: a key with no column is an ERROR. */
		if (SPI_execute_with_args("SELECT DISTINCT k FROM pg_catalog.jsonb_array_elements($1) e, "
								  "pg_catalog.jsonb_object_keys(e) k ORDER BY 1",
								  1, argtypes, args, NULL, true, 0) != SPI_OK_SELECT)
			elog(ERROR, "could not read the keys of data");
		for (uint64 i = 0; i < SPI_processed; i++)
		{
			MemoryContext old = MemoryContextSwitchTo(cxt);

			columns = lappend(columns, SPI_getvalue(SPI_tuptable->vals[i],
													SPI_tuptable->tupdesc, 1));
			MemoryContextSwitchTo(old);
		}
	}
	if (columns == NIL)
	{
		SPI_finish();
		return local_result(0, start);
	}
	cols = column_list(columns);
	params = makeParamList(1);
	params->params[0].ptype = JSONBOID;
	params->params[0].pflags = PARAM_FLAG_CONST;
	params->params[0].value = args[0];
	params->params[0].isnull = false;
	rows = run_insert(psprintf("INSERT INTO %s (%s) SELECT %s FROM pg_catalog.jsonb_populate_recordset(NULL::%s, $1)",
							   table, cols, cols, table), target, params);
	SPI_finish();
	return local_result(rows, start);
}

Jsonb *
ds_local_load_query(DsPool *pool, const char *target, const char *query,
					const DsLoadOptions *opts)
{
	char	   *table = quote_target(target);
	List	   *columns = opts->columns;
	MemoryContext cxt = CurrentMemoryContext;
	instr_time	start;
	char	   *src = pstrdup(query);
	int			len = strlen(src);
	uint64		rows;

	INSTR_TIME_SET_CURRENT(start);
	/* The query becomes a subquery: drop a trailing semicolon. */
	while (len > 0 && (src[len - 1] == ';' || isspace((unsigned char) src[len - 1])))
		src[--len] = '\0';

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (columns == NIL)
	{
		/* The query's own column names, from its plan; nothing runs. */
		SPIPlanPtr	plan = SPI_prepare(src, 0, NULL);
		Portal		portal;
		TupleDesc	desc;

		if (plan == NULL)
			elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
		portal = SPI_cursor_open(NULL, plan, NULL, NULL, true);
		desc = portal->tupDesc;
		if (desc == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_CURSOR_DEFINITION),
					 errmsg("the source query of a load must return rows")));
		for (int i = 0; i < desc->natts; i++)
		{
			MemoryContext old = MemoryContextSwitchTo(cxt);

			columns = lappend(columns, pstrdup(NameStr(TupleDescAttr(desc, i)->attname)));
			MemoryContextSwitchTo(old);
		}
		SPI_cursor_close(portal);
	}
	/* The newline ends a trailing -- comment of the query before the ")". */
	rows = run_insert(psprintf("INSERT INTO %s (%s) SELECT * FROM (%s\n) AS ds_source",
							   table, column_list(columns), src), target, NULL);
	SPI_finish();
	return local_result(rows, start);
}
