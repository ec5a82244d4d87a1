/*
 * pq_store.c
 *		ds_query, ds_exec and bulk loading on remote PostgreSQL stores.
 *
 * Rows come in single-row mode and go into the caller's tuplestore one at a
 * time, each result cleared with the row's memory context, so neither libpq
 * nor the backend ever holds a whole result.
 *
 * Loads are one COPY ... FROM STDIN in text format inside one remote
 * transaction: rows are encoded in pieces of at most
 * datastore.load_batch_size (and 1 MB), each queued once the previous one
 * is on its way, so memory stays bounded and encoding overlaps sending.
 * Any ERROR or cancel on the way leaves the connection in the transaction,
 * so the pool closes it (stopping the COPY on the server) and nothing of the
 * load stays.  With temp_table the rows go into a temporary copy of the
 * target first, and a merge statement moves them in the same transaction.
 */
#include "postgres.h"

#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "portability/instr_time.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"

#include "datastore.h"
#include "jsonb_row.h"
#include "load_encode.h"
#include "pq_conn.h"
#include "pq_store.h"
#include "pq_types.h"
#include "progress.h"

/* Larger pieces gain nothing once the socket buffers are full. */
#define DS_PQ_MAX_PIECE (1024 * 1024)

/*
 * Runs a statement and hands every row to ts, or (ts NULL) only counts
 * them.  Returns the row count of the last result, which for a statement
 * with rows is the rows it returned.
 */
static uint64
run_statement(DsPool *pool, const char *sql, DsParams *params,
			  Tuplestorestate *ts, TupleDesc tsdesc)
{
	DsConn	   *conn = ds_pool_checkout(pool);
	const DsPqApi *api = ds_pq_api_of(conn);
	MemoryContext cxt = CurrentMemoryContext;
	MemoryContext rowcxt = AllocSetContextCreate(cxt, "datastore pq row",
												 ALLOCSET_DEFAULT_SIZES);
	DsPqRowEncoder *enc = NULL;
	uint64		rows = 0;
	uint64		count = 0;
	PGresult   *res;

	ds_pq_send(conn, sql, params, true);
	for (;;)
	{
		MemoryContext old = MemoryContextSwitchTo(rowcxt);

		res = ds_pq_next_result(conn);
		if (res == NULL)
		{
			MemoryContextSwitchTo(old);
			break;
		}
		switch (api->PQresultStatus(res))
		{
			case PGRES_SINGLE_TUPLE:
				rows++;
				if (ts != NULL)
				{
					Datum		value;
					bool		isnull = false;

					if (enc == NULL)
					{
						/* The first row of a result set plans its columns. */
						MemoryContextSwitchTo(cxt);
						enc = ds_pq_row_encoder_create(api, res);
						MemoryContextSwitchTo(rowcxt);
					}
					value = JsonbPGetDatum(ds_pq_row_to_jsonb(enc, res, 0));
					tuplestore_putvalues(ts, tsdesc, &value, &isnull);
					ds_progress_add(1, VARSIZE(DatumGetPointer(value)));
				}
				break;
			case PGRES_TUPLES_OK:
				/* The end of one result set; another statement may follow. */
				enc = NULL;
				count = rows;
				rows = 0;
				break;
			case PGRES_COMMAND_OK:
				count = ds_pq_cmd_tuples(conn, res);
				break;
			case PGRES_COPY_IN:
			case PGRES_COPY_OUT:
			case PGRES_COPY_BOTH:
				/* The connection stays in_flight: the pool drops it. */
				ereport(ERROR,
						(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
						 errmsg("COPY to or from the client is not supported by ds_query and ds_exec"),
						 errhint("Use ds_stream_load to copy rows into a remote table.")));
				break;
			default:
				break;
		}
		MemoryContextSwitchTo(old);
		MemoryContextReset(rowcxt);
	}
	ds_pool_checkin(conn);
	MemoryContextDelete(rowcxt);
	return count;
}

void
ds_pq_query(DsPool *pool, const char *sql, DsParams *params,
			Tuplestorestate *ts, TupleDesc tsdesc)
{
	run_statement(pool, sql, params, ts, tsdesc);
}

uint64
ds_pq_exec(DsPool *pool, const char *sql, DsParams *params)
{
	return run_statement(pool, sql, params, NULL, NULL);
}

/* "table" or "schema.table", each part quoted. */
static char *
quote_target(const char *target)
{
	const char *dot = strchr(target, '.');

	if (dot == NULL)
		return (char *) quote_identifier(target);
	return psprintf("%s.%s", quote_identifier(pnstrdup(target, dot - target)),
					quote_identifier(dot + 1));
}

static char *
column_list(DsRowSource *src)
{
	StringInfoData buf;

	initStringInfo(&buf);
	for (int i = 0; i < src->row.ncolumns; i++)
		appendStringInfo(&buf, "%s%s", i > 0 ? ", " : "",
						 quote_identifier(src->row.columns[i]));
	return buf.data;
}

/* options->>'merge' with every {temp} replaced by the temporary table. */
static char *
merge_statement(const DsLoadOptions *opts, const char *target, const char *cols)
{
	StringInfoData buf;
	const char *p;

	if (opts->merge == NULL)
		return psprintf("INSERT INTO %s (%s) SELECT %s FROM %s",
						quote_target(target), cols, cols, DS_PQ_TEMP_TABLE);
	initStringInfo(&buf);
	for (p = opts->merge; *p; p++)
	{
		if (strncmp(p, "{temp}", 6) == 0)
		{
			appendStringInfoString(&buf, DS_PQ_TEMP_TABLE);
			p += 5;
		}
		else
			appendStringInfoChar(&buf, *p);
	}
	return buf.data;
}

static Jsonb *
add_merged(Jsonb *result, int64 merged)
{
	DsJsonbObject b;
	JsonbValue	k;
	JsonbValue	v;

	ds_jsonb_object_begin(&b);
	k.type = jbvString;
	k.val.string.val = "NumberMergedRows";
	k.val.string.len = strlen(k.val.string.val);
	v.type = jbvNumeric;
	v.val.numeric = int64_to_numeric(merged);
	ds_jsonb_object_add(&b, &k, &v);
	return DatumGetJsonbP(DirectFunctionCall2(jsonb_concat, JsonbPGetDatum(result),
											  JsonbPGetDatum(ds_jsonb_object_finish(&b))));
}

Jsonb *
ds_pq_stream_load(DsPool *pool, const char *target, DsRowSource *src,
				  const DsLoadOptions *opts)
{
	DsConn	   *conn = ds_pool_checkout(pool);
	char	   *cols = column_list(src);
	const char *into = opts->temp_table ? DS_PQ_TEMP_TABLE : quote_target(target);
	size_t		piece = Min((size_t) ds_load_batch_kb * 1024, DS_PQ_MAX_PIECE);
	StringInfoData buf;
	DsLoadResult result = {0};
	int64		merged = 0;
	bool		copying = true;
	instr_time	start;
	instr_time	elapsed;

	INSTR_TIME_SET_CURRENT(start);
	initStringInfo(&buf);
	/* PostgreSQL's text forms of bytea, and timestamps without zone in UTC. */
	src->bytea_hex = true;

	/*
	 * The rows are UTF-8 and timestamps without a zone mean UTC, as for
	 * MySQL loads: say so for this transaction only.
	 */
	ds_pq_command(conn, GetDatabaseEncoding() == PG_UTF8
				  ? "BEGIN; SET LOCAL TimeZone = 'UTC'"
				  : "BEGIN; SET LOCAL TimeZone = 'UTC'; SET LOCAL client_encoding = 'UTF8'");
	conn->in_xact = true;
	if (opts->temp_table)
		ds_pq_command(conn, psprintf("CREATE TEMP TABLE %s (LIKE %s INCLUDING DEFAULTS) ON COMMIT DROP",
									 DS_PQ_TEMP_TABLE, quote_target(target)));
	ds_pq_copy_begin(conn, src->row.ncolumns > 0
					 ? psprintf("COPY %s (%s) FROM STDIN", into, cols)
					 : psprintf("COPY %s FROM STDIN", into));
	while (copying)
	{
		bool		more = true;

		while ((size_t) buf.len < piece && (more = src->next(src)))
		{
			ds_encode_pg_copy_row(&buf, &src->row);
			result.total++;
			if ((result.total & 255) == 0)
			{
				CHECK_FOR_INTERRUPTS();
				ds_pq_copy_push(conn);
			}
		}
		if (buf.len > 0)
		{
			/* false: the server gave up; its error comes with copy_end. */
			copying = ds_pq_copy_put(conn, buf.data, buf.len);
			result.bytes += buf.len;
			ds_progress_add(0, buf.len);
			resetStringInfo(&buf);
		}
		if (!more)
			break;
	}
	src->close(src);
	result.loaded = ds_pq_copy_end(conn);
	if (opts->temp_table)
		merged = ds_pq_command(conn, merge_statement(opts, target, cols));
	ds_pq_command(conn, "COMMIT");
	conn->in_xact = false;
	ds_pool_checkin(conn);

	INSTR_TIME_SET_CURRENT(elapsed);
	INSTR_TIME_SUBTRACT(elapsed, start);
	result.time_ms = (int64) INSTR_TIME_GET_MILLISEC(elapsed);
	result.status = "Success";
	result.message = "OK";
	if (opts->temp_table)
		return add_merged(ds_load_result_jsonb(&result), merged);
	return ds_load_result_jsonb(&result);
}
