/*
 * local_rows.c
 *		A local query's rows as a source for a load: an SPI cursor read in
 *		batches, so that memory stays bounded whatever the row count.
 *
 * PostgreSQL values are put into a form the targets parse the same way
 * whatever this session's DateStyle or TimeZone (core/row_source.h):
 * booleans as 1/0, dates and timestamps in ISO 8601, timestamptz in UTC,
 * bytea as its raw bytes or, for PostgreSQL targets, its \x text, numbers
 * as printed; text in UTF-8.  Consumers that can send binary (pq_copy_binary)
 * take the Datums instead.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "core/progress.h"
#include "core/row_source.h"
#include "local/local.h"

#define DS_FETCH_BATCH 1000

typedef struct QueryRows
{
	DsRowSource pub;
	Portal		portal;
	SPITupleTable *batch;
	uint64		batch_pos;
	DsRowValueKind *colkinds;
	FmgrInfo   *outfns;
	Oid		   *types;
	MemoryContext rowcxt;
	MemoryContext cxt;			/* where the source lives */
} QueryRows;

static void
datum_text(QueryRows *qs, int i, Datum d)
{
	DsRowSource *src = &qs->pub;
	char	   *s;
	int			len;

	switch (qs->colkinds[i])
	{
		case DS_ROW_BOOL:
			src->row.kinds[i] = DS_PARAM_BOOL;
			s = pstrdup(DatumGetBool(d) ? "1" : "0");
			len = 1;
			break;
		case DS_ROW_DATETIME:
			src->row.kinds[i] = DS_PARAM_STRING;
			s = JsonEncodeDateTime(NULL, d, getBaseType(qs->types[i]), NULL);
			len = strlen(s);
			break;
		case DS_ROW_TIMESTAMPTZ:
			src->row.kinds[i] = DS_PARAM_STRING;
			s = ds_timestamptz_text(src, d);
			len = strlen(s);
			break;
		case DS_ROW_BYTEA:
			{
				bytea	   *b = DatumGetByteaPP(d);

				src->row.kinds[i] = DS_PARAM_STRING;
				s = VARDATA_ANY(b);
				len = VARSIZE_ANY_EXHDR(b);
				if (src->pg_text)
					s = ds_bytea_hex(s, len, &len);
				break;
			}
		case DS_ROW_ARRAY:
			if (!src->pg_text)
			{
				src->row.kinds[i] = DS_PARAM_JSON;
				s = ds_array_json(d, &len);
				break;
			}
			/* {...}, as its output function writes it */
			/* FALLTHROUGH */
		default:
			src->row.kinds[i] = qs->colkinds[i] == DS_ROW_NUMBER ? DS_PARAM_NUMBER :
				qs->colkinds[i] == DS_ROW_JSON ? DS_PARAM_JSON : DS_PARAM_STRING;
			s = OutputFunctionCall(&qs->outfns[i], d);
			len = strlen(s);
			if (qs->colkinds[i] == DS_ROW_BPCHAR && !src->pg_text)
			{
				len = ds_bpchar_length(s, len);
				s[len] = '\0';
			}
			/* A bit string's bytes are no text to convert. */
			if (qs->colkinds[i] == DS_ROW_BIT && !src->pg_text)
				s = ds_bits_bytes(s, len, &len);
			else
				s = ds_row_utf8(s, &len);
			break;
	}
	src->row.values[i] = s;
	src->row.lengths[i] = len;
}

static bool
query_next(DsRowSource *src)
{
	QueryRows  *qs = (QueryRows *) src;
	HeapTuple	tuple;
	TupleDesc	desc;
	MemoryContext caller = CurrentMemoryContext;

	MemoryContextReset(qs->rowcxt);
	if (qs->batch == NULL || qs->batch_pos >= qs->batch->numvals)
	{
		if (qs->batch)
			SPI_freetuptable(qs->batch);
		qs->batch = NULL;

		/*
		 * SPI leaves its own procedure context current after a fetch, and
		 * that context goes away at SPI_finish: whatever the caller allocated
		 * after this call would go with it.  Give the caller its context back.
		 */
		SPI_cursor_fetch(qs->portal, true, DS_FETCH_BATCH);
		MemoryContextSwitchTo(caller);
		if (SPI_processed == 0)
		{
			SPI_freetuptable(SPI_tuptable);
			return false;
		}
		qs->batch = SPI_tuptable;
		qs->batch_pos = 0;
	}
	tuple = qs->batch->vals[qs->batch_pos++];
	desc = qs->batch->tupdesc;
	src->rownum++;
	ds_progress_add(1, 0);

	/* All columns at once: one by one, each after a varlena walks the row again. */
	heap_deform_tuple(tuple, desc, src->datums, src->nulls);
	if (src->datums_only)
		return true;

	MemoryContextSwitchTo(qs->rowcxt);
	for (int i = 0; i < src->row.ncolumns; i++)
	{
		if (src->nulls[i])
			ds_row_set_null(src, i);
		else
			datum_text(qs, i, src->datums[i]);
	}
	MemoryContextSwitchTo(caller);
	return true;
}

static void
query_close(DsRowSource *src)
{
	QueryRows  *qs = (QueryRows *) src;
	MemoryContext caller = CurrentMemoryContext;

	if (qs->batch)
		SPI_freetuptable(qs->batch);
	SPI_cursor_close(qs->portal);
	SPI_finish();
	MemoryContextSwitchTo(caller);
	MemoryContextDelete(qs->rowcxt);
}

DsRowSource *
ds_local_open_rows(DsPool *pool, const char *sql, DsParams *params, List *columns)
{
	MemoryContext cxt = CurrentMemoryContext;
	QueryRows  *qs = palloc0(sizeof(QueryRows));
	DsRowSource *src = &qs->pub;
	SPIPlanPtr	plan;
	ParamListInfo paramLI;
	TupleDesc	desc;

	qs->cxt = cxt;
	qs->rowcxt = AllocSetContextCreate(cxt, "datastore query rows",
									   ALLOCSET_DEFAULT_SIZES);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	plan = ds_local_prepare(sql, params, &paramLI);
	qs->portal = SPI_cursor_open_with_paramlist(NULL, plan, paramLI, false);
	desc = qs->portal->tupDesc;
	if (desc == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_CURSOR_DEFINITION),
				 errmsg("the source query of a load must return rows")));

	MemoryContextSwitchTo(cxt);
	ds_row_source_columns(src, desc->natts, columns);
	qs->colkinds = palloc(sizeof(DsRowValueKind) * Max(desc->natts, 1));
	qs->outfns = palloc0(sizeof(FmgrInfo) * Max(desc->natts, 1));
	qs->types = palloc(sizeof(Oid) * Max(desc->natts, 1));
	src->types = qs->types;
	src->datums = palloc(sizeof(Datum) * Max(desc->natts, 1));
	src->nulls = palloc(sizeof(bool) * Max(desc->natts, 1));
	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);
		Oid			outfn;
		bool		isvarlena;

		if (columns == NIL)
			src->row.columns[i] = pstrdup(NameStr(att->attname));
		qs->types[i] = att->atttypid;
		qs->colkinds[i] = ds_row_value_kind(getBaseType(att->atttypid));
		getTypeOutputInfo(att->atttypid, &outfn, &isvarlena);
		fmgr_info_cxt(outfn, &qs->outfns[i], cxt);
	}
	src->next = query_next;
	src->close = query_close;
	return src;
}
