/*
 * pq_store.c
 *		ds_query, ds_exec and bulk loading on remote PostgreSQL stores.
 *
 * Rows come in single-row mode and go into the caller's tuplestore one at a
 * time, each result cleared with the row's memory context, so neither libpq
 * nor the backend ever holds a whole result.
 *
 * Loads are one COPY ... FROM STDIN inside one remote transaction, in
 * binary when the rows come from a local query whose every column the
 * remote table reads in binary (pq_copy_binary.c), else in text: rows are
 * encoded in pieces of at most datastore.load_batch_size (and 1 MB), each
 * queued once the previous one is on its way, so memory stays bounded and
 * encoding overlaps sending.  Any ERROR or cancel on the way leaves the connection in the transaction,
 * so the pool closes it (stopping the COPY on the server) and nothing of the
 * load stays.  With temp_table the rows go into a temporary copy of the
 * target first, and a merge statement moves them in the same transaction;
 * a load by key (mode upsert, delete, mirror) stages them likewise and
 * pq_merge.c moves them.
 */
#include "postgres.h"

#include "access/htup_details.h"

#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "portability/instr_time.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"

#include "core/settings.h"
#include "core/jsonb_row.h"
#include "core/load_encode.h"
#include "core/pg_column_text.h"
#include "postgres/pq_conn.h"
#include "postgres/pq_copy_binary.h"
#include "postgres/pq.h"
#include "postgres/pq_types.h"
#include "core/progress.h"

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
					else if (!ds_pq_row_encoder_fits(enc, res))
						ds_pq_bad_answer(conn, "a query result",
										 "a row whose columns differ from the rows before it");
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
	ds_pq_check_encoding(conn);
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

/*
 * A statement of the load transaction, whose client_encoding is UTF-8: the
 * names in it (target, columns, a merge statement) are in this database's
 * encoding.
 */
char *
ds_pq_load_sql(const char *sql)
{
	return pg_server_to_any(sql, strlen(sql), PG_UTF8);
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
merge_statement(const PqLoadOptions *opts, const char *target, const char *cols)
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

/* The load's columns (their names in the load's encoding) and what each row says of them. */
typedef struct RemoteColumns
{
	DsRowSource *src;
	char	  **names;
	Oid		   *types;
	DsPgColumns *forms;
} RemoteColumns;

static void
column_type_row(DsConn *conn, PGresult *res, int r, void *arg)
{
	const DsPqApi *api = ds_pq_api_of(conn);
	RemoteColumns *rc = arg;
	const char *attname;
	const char *typid;
	char	   *end;
	unsigned long oid;

	if (api->PQgetisnull(res, r, 0) || api->PQgetisnull(res, r, 1))
		ds_pq_bad_answer(conn, "the column types of the target", "a NULL name or type");
	attname = api->PQgetvalue(res, r, 0);
	typid = api->PQgetvalue(res, r, 1);
	errno = 0;
	oid = strtoul(typid, &end, 10);
	if (errno != 0 || end == typid || *end != '\0' || oid > PG_UINT32_MAX)
		ds_pq_bad_answer(conn, "the column types of the target",
						 psprintf("type \"%s\" is not an OID", ds_pq_excerpt(typid)));
	for (int i = 0; i < rc->src->row.ncolumns; i++)
		if (strcmp(attname, rc->names[i]) == 0)
			rc->types[i] = (Oid) oid;
}

static RemoteColumns
remote_columns(DsRowSource *src)
{
	RemoteColumns rc = {.src = src};

	rc.names = palloc(sizeof(char *) * Max(src->row.ncolumns, 1));
	for (int i = 0; i < src->row.ncolumns; i++)
		rc.names[i] = ds_pq_load_sql(src->row.columns[i]);
	return rc;
}

/*
 * The remote types of the load's columns, InvalidOid for a name the target
 * does not have (COPY then says so).  Read in the load's transaction, so
 * they are the types COPY will see.
 */
static Oid *
remote_column_types(DsConn *conn, const char *target, DsRowSource *src)
{
	RemoteColumns rc = remote_columns(src);
	DsParam		name = {DS_PARAM_STRING, ds_pq_load_sql(quote_target(target)), 0};
	DsParams	params = {1, &name};

	name.len = strlen(name.text);
	rc.types = palloc0(sizeof(Oid) * Max(src->row.ncolumns, 1));
	ds_pq_each_row(conn,
				   "SELECT attname, atttypid FROM pg_catalog.pg_attribute"
				   " WHERE attrelid OPERATOR(pg_catalog.=) pg_catalog.to_regclass($1::pg_catalog.text)"
				   " AND attnum OPERATOR(pg_catalog.>) 0 AND NOT attisdropped",
				   &params, 2, "the column types of the target", column_type_row, &rc);
	return rc.types;
}

static void
column_form_row(DsConn *conn, PGresult *res, int r, void *arg)
{
	const DsPqApi *api = ds_pq_api_of(conn);
	RemoteColumns *rc = arg;
	const char *attname;
	const char *category;
	const char *typmod;
	char	   *end;
	long		n;

	if (api->PQgetisnull(res, r, 0) || api->PQgetisnull(res, r, 1) || api->PQgetisnull(res, r, 2))
		ds_pq_bad_answer(conn, "the array and bit columns of the target", "a NULL");
	attname = api->PQgetvalue(res, r, 0);
	category = api->PQgetvalue(res, r, 1);
	typmod = api->PQgetvalue(res, r, 2);
	errno = 0;
	n = strtol(typmod, &end, 10);
	if ((strcmp(category, "A") != 0 && strcmp(category, "V") != 0) ||
		errno != 0 || end == typmod || *end != '\0' || n < -1 || n > (long) MaxAttrSize * BITS_PER_BYTE)
		ds_pq_bad_answer(conn, "the array and bit columns of the target",
						 psprintf("category \"%s\" and length \"%s\"",
								  ds_pq_excerpt(category), ds_pq_excerpt(typmod)));
	for (int i = 0; i < rc->src->row.ncolumns; i++)
		if (strcmp(attname, rc->names[i]) == 0)
		{
			rc->forms->forms[i] = category[0] == 'A' ? DS_PG_COLUMN_ARRAY : DS_PG_COLUMN_BIT;
			rc->forms->bits[i] = (int32) n;
		}
}

/*
 * The forms the target's columns read (core/pg_column_text.h), or NULL if
 * every column takes the rows as they come: arrays (a domain over one too)
 * and bit strings, with a bit column's length.
 */
static DsPgColumns *
remote_column_forms(DsConn *conn, const char *quoted, DsRowSource *src)
{
	RemoteColumns rc = remote_columns(src);
	DsParam		name = {DS_PARAM_STRING, ds_pq_load_sql(quoted), 0};
	DsParams	params = {1, &name};

	name.len = strlen(name.text);
	rc.forms = ds_pg_columns_new(src->row.ncolumns);
	ds_pq_each_row(conn,
				   "SELECT a.attname, t.typcategory, GREATEST(a.atttypmod, t.typtypmod)"
				   " FROM pg_catalog.pg_attribute a"
				   " JOIN pg_catalog.pg_type t ON t.oid OPERATOR(pg_catalog.=) a.atttypid"
				   " WHERE a.attrelid OPERATOR(pg_catalog.=) pg_catalog.to_regclass($1::pg_catalog.text)"
				   " AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped"
				   " AND (t.typcategory OPERATOR(pg_catalog.=) 'A' OR t.typcategory OPERATOR(pg_catalog.=) 'V')",
				   &params, 3, "the array and bit columns of the target", column_form_row, &rc);
	return ds_pg_columns_any(rc.forms) ? rc.forms : NULL;
}

/* The binary plan for this load, or NULL to load in text. */
static DsPqBinary *
binary_plan(DsConn *conn, const char *target, DsRowSource *src,
			const PqLoadOptions *opts)
{
	DsPqBinary *plan;
	char	   *why = NULL;

	if (opts->copy_format == DS_COPY_TEXT)
		return NULL;
	if (src->types == NULL)
	{
		if (opts->copy_format == DS_COPY_BINARY)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("only the rows of a local query can be loaded in binary"),
					 errdetail("JSON data and the rows of other stores have no PostgreSQL types to send."),
					 errhint("Leave options->'format' out, or set it to \"text\".")));
		return NULL;
	}

	/*
	 * From version 10 on, dates and times are always 64-bit integers (older
	 * servers may have been built with floats), and the type lookup below
	 * needs to_regclass (9.4).
	 */
	if (ds_pq_server_version(conn) < 100000)
	{
		if (opts->copy_format == DS_COPY_BINARY)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("binary loads need a remote server of PostgreSQL 10 or later"),
					 errdetail("The server of datastore \"%s\" is version %d.",
							   conn->pool->name, ds_pq_server_version(conn)),
					 errhint("Leave options->'format' out, or set it to \"text\".")));
		return NULL;
	}
	plan = ds_pq_binary_plan(src->row.ncolumns, (const char *const *) src->row.columns,
							 src->types, remote_column_types(conn, target, src), &why);
	if (plan == NULL && opts->copy_format == DS_COPY_BINARY)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cannot load \"%s\" in binary", target),
				 errdetail_internal("%s", why),
				 errhint("Leave options->'format' out to load in text when a column cannot go in binary.")));
	return plan;
}

Jsonb *
ds_pq_stream_load(DsPool *pool, const char *target, DsRowSource *src,
				  const DsLoadOptions *base)
{
	const PqLoadOptions *opts = (const PqLoadOptions *) base;
	DsConn	   *conn = ds_pool_checkout(pool);
	char	   *cols = column_list(src);
	const char *into = opts->temp_table ? DS_PQ_TEMP_TABLE : quote_target(target);
	DsPgMerge	m = {quote_target(target), src->row.ncolumns, src->row.columns,
	base->key, base->mode, NULL};
	int64		counts[3] = {0, 0, 0};
	size_t		piece = Min((size_t) ds_load_batch_kb * 1024, DS_PQ_MAX_PIECE);
	StringInfoData buf;
	DsLoadResult result = {0};
	DsPqBinary *binary;
	DsPgColumns *forms = NULL;
	Jsonb	   *answer;
	JsonbValue	v;
	int64		merged = 0;
	bool		copying = true;
	instr_time	start;
	instr_time	elapsed;

	if (m.mode != DS_MODE_APPEND && opts->temp_table)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("options->'temp_table' cannot be combined with mode \"%s\"",
						ds_load_mode_names[m.mode]),
				 errhint("A load by key stages its rows itself; use temp_table and merge only for a merge statement of your own.")));
	INSTR_TIME_SET_CURRENT(start);
	initStringInfo(&buf);
	/* PostgreSQL's text forms of bytea and timestamptz. */
	src->pg_text = true;

	/*
	 * The rows are UTF-8 and timestamps without a zone mean UTC, as for
	 * MySQL loads: say so for this transaction only, whatever a SET run on
	 * this pooled connection earlier left in place.
	 */
	ds_pq_command(conn, "BEGIN; SET LOCAL TimeZone = 'UTC'; SET LOCAL client_encoding = 'UTF8'");
	conn->in_xact = true;
	if (opts->temp_table)
		ds_pq_command(conn, ds_pq_load_sql(psprintf("CREATE TEMP TABLE %s (LIKE %s INCLUDING DEFAULTS) ON COMMIT DROP",
											  DS_PQ_TEMP_TABLE, quote_target(target))));
	if (m.mode != DS_MODE_APPEND)
	{
		/* first: a target that does not exist is named so by the server */
		ds_pq_command(conn, ds_pq_load_sql(ds_pg_stage_sql(&m)));
		if (m.key == NIL)
			m.key = ds_pq_primary_key(conn, m.target);
		if (m.key == NIL)
			ds_load_no_key(pool->name, target, m.mode);
		ds_load_require_key_columns(m.key, m.ncolumns, m.columns, target);
		ds_pq_command(conn, ds_pq_load_sql(ds_pg_stage_key_sql(&m)));
		into = DS_PG_STAGE_TABLE;
	}
	binary = binary_plan(conn, target, src, opts);
	/* Rows of another kind: arrays may come as JSON, bit strings as bytes. */
	if (!binary && src->types == NULL)
		forms = remote_column_forms(conn, into, src);
	ds_pq_copy_begin(conn, ds_pq_load_sql(psprintf("COPY %s%s FROM STDIN%s", into,
											 src->row.ncolumns > 0 ? psprintf(" (%s)", cols) : "",
											 binary ? " (FORMAT binary)" : "")));
	if (binary)
	{
		src->datums_only = true;
		ds_pq_binary_header(&buf);
	}

	while (copying)
	{
		bool		more = true;

		while ((size_t) buf.len < piece && (more = src->next(src)))
		{
			if (binary)
				ds_pq_binary_row(&buf, binary, src->datums, src->nulls);
			else
			{
				if (forms)
					ds_pg_columns_rewrite(forms, &src->row);
				ds_encode_pg_copy_row(&buf, &src->row);
			}
			result.total++;
			if ((result.total & 255) == 0)
			{
				CHECK_FOR_INTERRUPTS();
				ds_pq_copy_push(conn);
			}
		}
		if (!more && binary)
			ds_pq_binary_trailer(&buf);
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
		merged = ds_pq_command(conn, ds_pq_load_sql(merge_statement(opts, target, cols)));
	if (m.mode != DS_MODE_APPEND)
		ds_pq_merge(conn, &m, counts);
	/* Before COMMIT: the ERROR drops the connection, and the server rolls back. */
	ds_load_check_deletes(base, counts[2], true, pool->name, target);
	ds_pq_command(conn, "COMMIT");
	conn->in_xact = false;
	ds_pool_checkin(conn);

	INSTR_TIME_SET_CURRENT(elapsed);
	INSTR_TIME_SUBTRACT(elapsed, start);
	result.time_ms = (int64) INSTR_TIME_GET_MILLISEC(elapsed);
	result.status = "Success";
	result.message = "OK";
	answer = ds_load_result_jsonb(&result);
	v.type = jbvString;
	v.val.string.val = binary ? "binary" : "text";
	v.val.string.len = strlen(v.val.string.val);
	answer = ds_load_result_with(answer, "Format", &v);
	if (opts->temp_table)
	{
		v.type = jbvNumeric;
		v.val.numeric = int64_to_numeric(merged);
		answer = ds_load_result_with(answer, "NumberMergedRows", &v);
	}
	if (m.mode != DS_MODE_APPEND)
		answer = ds_load_result_changes(answer, m.mode, counts[0], counts[1], counts[2]);
	return answer;
}
