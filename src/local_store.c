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

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "parser/parse_param.h"
#include "tcop/dest.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "jsonb_row.h"
#include "local_store.h"

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
 * Parses and plans sql with inferred parameter types, then binds params.
 * The type array is preallocated here, so that the parser fills it in our
 * memory rather than in SPI's short-lived execution context.
 */
static SPIPlanPtr
prepare_with_params(const char *sql, DsParams *params, ParamListInfo *paramLI)
{
	ParamTypeState st;
	SPIPlanPtr	plan;
	ParamListInfo li;

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
ds_local_query(const char *sql, DsParams *params,
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
	plan = prepare_with_params(sql, params, &options.params);
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
ds_local_exec(const char *sql, DsParams *params)
{
	SPIExecuteOptions options;
	SPIPlanPtr	plan;
	uint64		processed;
	int			rc;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");

	memset(&options, 0, sizeof(options));
	plan = prepare_with_params(sql, params, &options.params);
	options.read_only = false;
	rc = SPI_execute_plan_extended(plan, &options);
	if (rc < 0)
		elog(ERROR, "SPI_execute_plan_extended failed: %s",
			 SPI_result_code_string(rc));
	processed = SPI_processed;

	SPI_finish();
	return processed;
}
