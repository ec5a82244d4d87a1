/*
 * mysql_store.c
 *		ds_query, ds_exec and bulk loading on MySQL/MariaDB stores.
 *
 * Parameters are bound server-side: $1..$n (or ?) become a prepared
 * statement.  Rows stream from the socket one at a time into the caller's
 * tuplestore, so neither the client library nor the backend holds a whole
 * result.
 *
 * Bulk loads use LOAD DATA LOCAL INFILE fed from memory, in batches of
 * datastore.load_batch_size, all inside one remote transaction: the load
 * commits only when every batch went in and the warnings are within
 * max_filter_ratio, and any ERROR (or cancel) on the way closes the
 * connection, which rolls it back.  With LOCAL, MySQL turns bad values and
 * duplicate keys into warnings; SHOW WARNINGS tells which rows they hit.
 * A load by key (mode upsert, delete, mirror) loads into a temporary stage
 * instead, and mysql_merge.c's statements move the rows from there in the
 * same transaction; a warning on their way fails the load just the same.
 */
#include "postgres.h"

#include "miscadmin.h"
#include "nodes/bitmapset.h"
#include "portability/instr_time.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"
#include "utils/memutils.h"
#include "utils/numeric.h"

#include "core/settings.h"
#include "core/load_encode.h"
#include "mysql/mysql_conn.h"
#include "mysql/mysql.h"
#include "mysql/mysql_types.h"
#include "mysql/placeholders.h"
#include "core/progress.h"

/* NULL params or [] run as plain text (see start_statement); otherwise prepared and bound. */
static const char *
bind_plan(const char *sql, DsParams *params, int *nbind, DsMyParam **binds)
{
	int		   *order;
	int			norder;
	char	   *qsql;

	*nbind = -1;
	*binds = NULL;
	if (params->count == 0)
		return sql;
	qsql = ds_sql_qmarks(sql, params->count, &order, &norder);
	*nbind = order ? norder : params->count;
	*binds = palloc(sizeof(DsMyParam) * Max(*nbind, 1));
	for (int i = 0; i < *nbind; i++)
	{
		DsParam    *p = &params->items[order ? order[i] : i];
		DsMyParam  *b = &(*binds)[i];

		b->kind = p->kind;
		b->text = p->text;
		b->len = p->len;
	}
	return qsql;
}

static char *
escape_on(void *arg, const char *from, size_t len)
{
	return ds_my_escape((DsConn *) arg, from, len);
}

/*
 * "2024-01-02T03:04:05.5+01:00" and the like: a date, a time and an explicit
 * UTC offset (Z, +HH, +HHMM or +HH:MM), which MySQL would drop.
 */
static bool
is_timestamp_with_offset(const char *s, int len)
{
	int			i = 0;

	for (; i < len && i < 10; i++)
		if ((i == 4 || i == 7) ? s[i] != '-' : !isdigit((unsigned char) s[i]))
			return false;
	if (len < 16 || (s[10] != 'T' && s[10] != ' ') || !isdigit((unsigned char) s[11]) ||
		!isdigit((unsigned char) s[12]) || s[13] != ':' || !isdigit((unsigned char) s[14]) ||
		!isdigit((unsigned char) s[15]))
		return false;
	i = 16;
	if (i < len && s[i] == ':')
	{
		if (i + 2 >= len || !isdigit((unsigned char) s[i + 1]) || !isdigit((unsigned char) s[i + 2]))
			return false;
		i += 3;
		if (i < len && s[i] == '.')
		{
			i++;
			if (i >= len || !isdigit((unsigned char) s[i]))
				return false;
			while (i < len && isdigit((unsigned char) s[i]))
				i++;
		}
	}
	while (i < len && s[i] == ' ')
		i++;
	if (i + 1 == len && s[i] == 'Z')
		return true;
	if (i >= len || (s[i] != '+' && s[i] != '-'))
		return false;
	i++;
	if (len - i == 2 || len - i == 4)
		return strspn(s + i, "0123456789") == (size_t) (len - i);
	return len - i == 5 && isdigit((unsigned char) s[i]) && isdigit((unsigned char) s[i + 1]) &&
		s[i + 2] == ':' && isdigit((unsigned char) s[i + 3]) && isdigit((unsigned char) s[i + 4]);
}

/*
 * Every datastore MySQL session runs in UTC and loads write timestamptz as
 * UTC wall-clock time: a parameter that is a timestamp with an offset is
 * bound the same way, as the UTC time of that instant.  (MySQL would cut the
 * offset off with only a warning, and a watermark query ahead of UTC would
 * skip rows.)  Other values are bound as given.
 */
static DsParams *
utc_timestamps(DsParams *params)
{
	DsParams   *out = NULL;

	for (int i = 0; i < params->count; i++)
	{
		DsParam    *p = &params->items[i];
		TimestampTz ts;
		struct pg_tm tm;
		fsec_t		fsec;
		char		buf[64];

		if (p->kind != DS_PARAM_STRING || !is_timestamp_with_offset(p->text, p->len))
			continue;
		ts = DatumGetTimestampTz(DirectFunctionCall3(timestamptz_in, CStringGetDatum(p->text),
													 ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
		if (TIMESTAMP_NOT_FINITE(ts) || timestamp2tm(ts, NULL, &tm, &fsec, NULL, NULL) != 0 ||
			tm.tm_year < 1 || tm.tm_year > 9999)
			continue;
		if (out == NULL)
		{
			out = palloc(sizeof(DsParams));
			out->count = params->count;
			out->items = palloc(sizeof(DsParam) * params->count);
			memcpy(out->items, params->items, sizeof(DsParam) * params->count);
		}
		snprintf(buf, sizeof(buf), "%04d-%02d-%02d %02d:%02d:%02d.%06d", tm.tm_year, tm.tm_mon,
				 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int) fsec);
		out->items[i].text = pstrdup(buf);
		out->items[i].len = strlen(buf);
	}
	return out ? out : params;
}

/*
 * Checks out a connection and runs the statement with its parameters:
 * bound server-side, or (splice: StarRocks, which prepares only SELECT and
 * only from 3.2) spliced in as literals escaped by the client library for
 * this very connection.  exact: a query without parameters that reads a
 * FLOAT runs prepared all the same (ds_my_execute's DS_MY_EXACT).
 */
static DsMyResult *
start_statement(DsPool *pool, const char *sql, DsParams *params, bool splice,
				bool exact, DsConn **conn, uint64 *affected)
{
	DsMyParam  *binds = NULL;
	int			nbind = -1;
	const char *run = sql;

	params = utc_timestamps(params);
	if (!splice)
		run = bind_plan(sql, params, &nbind, &binds);
	if (exact && !splice && nbind < 0)
		nbind = DS_MY_EXACT;
	*conn = ds_pool_checkout(pool);
	if (splice && params->count > 0)
		run = ds_sql_inline_params(sql, params, escape_on, *conn);
	return ds_my_execute(*conn, run, nbind, binds, affected);
}

DsMyResult *
ds_mysql_open_query(DsPool *pool, const char *sql, DsParams *params, bool splice,
					DsConn **conn)
{
	return ds_mysql_open_query_as(pool, sql, params, splice, false, conn);
}

DsMyResult *
ds_mysql_open_query_as(DsPool *pool, const char *sql, DsParams *params, bool splice,
					   bool exact, DsConn **conn)
{
	uint64		affected;
	DsMyResult *res = start_statement(pool, sql, params, splice, exact, conn, &affected);

	if (res == NULL)
	{
		ds_pool_checkin(*conn);
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_CURSOR_DEFINITION),
				 errmsg("the source query of datastore \"%s\" returned no result set", pool->name),
				 errhint("ds_sync reads the rows of a SELECT (or SHOW); run other statements with ds_exec.")));
	}
	return res;
}

void
ds_mysql_run_query(DsPool *pool, const char *sql, DsParams *params, bool splice,
				   Tuplestorestate *ts, TupleDesc tsdesc)
{
	DsConn	   *conn;
	uint64		affected;
	DsMyResult *res = start_statement(pool, sql, params, splice, true, &conn, &affected);

	if (res != NULL)
	{
		DsMyRowEncoder *enc = ds_my_row_encoder_create(ds_my_api_of(conn),
													   res->fields, res->nfields);
		MemoryContext rowcxt = AllocSetContextCreate(CurrentMemoryContext,
													 "datastore mysql row",
													 ALLOCSET_DEFAULT_SIZES);

		while (ds_my_fetch(res))
		{
			MemoryContext old = MemoryContextSwitchTo(rowcxt);
			Datum		value = JsonbPGetDatum(ds_my_row_to_jsonb(enc, res->values,
																   res->lengths));
			bool		isnull = false;

			tuplestore_putvalues(ts, tsdesc, &value, &isnull);
			ds_progress_add(1, VARSIZE(DatumGetPointer(value)));
			MemoryContextSwitchTo(old);
			MemoryContextReset(rowcxt);
		}
		ds_my_finish(res);
		MemoryContextDelete(rowcxt);
	}
	ds_my_relay_warnings(conn);
	ds_pool_checkin(conn);
}

uint64
ds_mysql_run_exec(DsPool *pool, const char *sql, DsParams *params, bool splice)
{
	DsConn	   *conn;
	uint64		affected;
	DsMyResult *res = start_statement(pool, sql, params, splice, false, &conn, &affected);

	/* A statement that returns rows counts them, as on the local store. */
	if (res != NULL)
	{
		while (ds_my_fetch(res))
			affected++;
		ds_my_finish(res);
	}
	ds_my_relay_warnings(conn);
	ds_pool_checkin(conn);
	return affected;
}

/* "db.table" or "table"; each part quoted with backticks. */
static char *
quote_target(const char *target)
{
	const char *dot = strchr(target, '.');

	if (dot == NULL)
		return ds_my_quote_ident(target);
	return psprintf("%s.%s", ds_my_quote_ident(pnstrdup(target, dot - target)),
					ds_my_quote_ident(dot + 1));
}

/* LOAD DATA into into (quoted): the target, or a load by key's stage. */
static char *
load_statement(const char *into, DsRowSource *src, const MyLoadOptions *opts)
{
	StringInfoData sql;

	initStringInfo(&sql);
	appendStringInfo(&sql, "LOAD DATA LOCAL INFILE 'datastore' %sINTO TABLE %s " DS_MYSQL_LOAD_FORMAT " (",
					 opts->replace ? "REPLACE " : "", into);
	for (int i = 0; i < src->row.ncolumns; i++)
		appendStringInfo(&sql, "%s%s", i > 0 ? ", " : "", ds_my_quote_ident(src->row.columns[i]));
	appendStringInfoChar(&sql, ')');
	return sql.data;
}

typedef struct WarningTally
{
	int64		rows;			/* distinct rows warned about */
	int			kept;			/* messages kept for the result */
	StringInfoData messages;
} WarningTally;

/*
 * The server's count of warnings (the protocol's is 16 bits).  The answer is
 * the server's, so its shape is checked before it is read.
 */
static int64
server_warning_count(DsConn *conn)
{
	uint64		affected;
	DsMyResult *res = ds_my_execute(conn, "SELECT @@warning_count", -1, NULL, &affected);
	int64		total = -1;

	if (res == NULL || res->nfields != 1)
		ds_my_bad_answer(conn, "SELECT @@warning_count", "no single column");
	while (ds_my_fetch(res))
	{
		char	   *end;

		if (res->values[0] == NULL)
			ds_my_bad_answer(conn, "SELECT @@warning_count", "NULL");
		errno = 0;
		total = strtoll(res->values[0], &end, 10);
		if (errno != 0 || end == res->values[0] || *end != '\0' || total < 0)
			ds_my_bad_answer(conn, "SELECT @@warning_count", "not a count");
	}
	ds_my_finish(res);
	if (total < 0)
		ds_my_bad_answer(conn, "SELECT @@warning_count", "no row");
	return total;
}

/*
 * Reads SHOW WARNINGS after one batch of nrows rows (or a statement of a
 * load by key over them): which rows, and the first messages.  With
 * skip_notes a Note counts for nothing (it changes no row).
 */
static void
tally_warnings(DsConn *conn, unsigned int count, int64 nrows, bool skip_notes,
			   WarningTally *tally)
{
	uint64		affected;
	DsMyResult *res;
	Bitmapset  *rows = NULL;
	int64		unplaced = 0;
	int64		seen = 0;
	int64		total = count >= 65535 ? server_warning_count(conn) : count;
	MemoryContext cxt = CurrentMemoryContext;
	MemoryContext rowcxt = AllocSetContextCreate(cxt, "datastore warning row",
												 ALLOCSET_SMALL_SIZES);

	res = ds_my_execute(conn, "SHOW WARNINGS", -1, NULL, &affected);
	/* Level, Code, Message. */
	if (res != NULL && res->nfields < 3)
		ds_my_bad_answer(conn, "SHOW WARNINGS", psprintf("%u columns", res->nfields));
	/* Each row's text in a context of its own: a server may send any number. */
	while (res && (MemoryContextReset(rowcxt), ds_my_fetch(res)))
	{
		char	   *msg;
		const char *at;
		long		row = -1;

		seen++;
		MemoryContextSwitchTo(rowcxt);
		if (skip_notes &&
			pg_strcasecmp(ds_my_server_text(res->values[0], res->lengths[0]), "Note") == 0)
		{
			MemoryContextSwitchTo(cxt);
			continue;
		}
		msg = ds_my_server_text(res->values[2], res->lengths[2]);
		at = strstr(msg, " at row ");
		MemoryContextSwitchTo(cxt);

		if (at != NULL)
			row = strtol(at + 8, NULL, 10);
		/* A row this batch does not have is no row at all. */
		if (row >= 1 && row <= nrows)
			rows = bms_add_member(rows, (int) row);
		else
			unplaced++;
		if (tally->kept < 3)
		{
			appendStringInfo(&tally->messages, "%s%s", tally->kept > 0 ? "; " : "", msg);
			tally->kept++;
		}
	}
	if (res)
		ds_my_finish(res);
	MemoryContextDelete(rowcxt);
	/* Beyond max_error_count the server lists no more: count one per row. */
	tally->rows += Min(bms_num_members(rows) + unplaced + (total > seen ? total - seen : 0),
					   nrows);
	bms_free(rows);
}

/* "Records: 3  Deleted: 1  Skipped: 0  Warnings: 0", what LOAD DATA reports. */
static bool
load_info(const char *info, int64 *records, int64 *deleted, int64 *skipped)
{
	long long	r,
				d,
				s,
				w;

	if (info == NULL ||
		sscanf(info, "Records: %lld Deleted: %lld Skipped: %lld Warnings: %lld", &r, &d, &s, &w) != 4 ||
		r < 0 || d < 0 || s < 0 || s > r)
		return false;
	*records = r;
	*deleted = d;
	*skipped = s;
	return true;
}

/*
 * Encodes rows into a batch buffer up to the batch size.  Called directly,
 * and as idle work while the server loads the previous batch, so encoding
 * and loading overlap.
 */
typedef struct BatchFill
{
	DsRowSource *src;
	StringInfo	buf;
	size_t		limit;
	int64		rows;
	bool		done;			/* the source is exhausted */
} BatchFill;

static bool
fill_some(void *arg)
{
	BatchFill  *f = (BatchFill *) arg;

	for (int n = 0; n < 256; n++)
	{
		int			before = f->buf->len;

		if (f->done || (size_t) f->buf->len >= f->limit)
			return false;
		if (!f->src->next(f->src))
		{
			f->done = true;
			return false;
		}
		ds_encode_mysql_row(f->buf, &f->src->row);
		ds_progress_add(0, f->buf->len - before);
		f->rows++;
	}
	return true;
}

/* A load that did not go in: rolled back by closing the connection (in_xact). */
pg_noreturn static void
fail_load(DsPool *pool, DsConn *conn, const char *target, DsLoadResult *result)
{
	result->status = "Fail";
	result->loaded = 0;
	ds_pool_checkin(conn);
	ds_load_failed(pool->name, target, result);
}

/*
 * A load by key: the statements that move the stage into the target, each
 * one's warnings tallied as the load's (a row MySQL changed on the way
 * fails the load), then the stage dropped.
 */
static void
run_merge(DsConn *conn, const DsMyMerge *m, const DsLoadOptions *opts, int64 nrows,
		  WarningTally *tally, int64 *counts)
{
	ListCell   *lc;

	/* Before the first step, which deletes: see ds_my_merge_missing. */
	if (opts->has_max_delete && m->mode == DS_MODE_MIRROR)
		ds_load_check_deletes(opts, ds_my_merge_missing(conn, m), true, conn->pool->name, m->target);

	foreach(lc, ds_my_merge_steps(m))
	{
		const DsMyStep *s = lfirst(lc);
		uint64		affected = ds_my_command(conn, s->sql);
		unsigned int warnings = ds_my_warning_count(conn);

		/* before SHOW WARNINGS, which has its own info */
		ds_my_merge_count(conn, s, affected, ds_my_info(conn), counts);
		if (warnings > 0)
			tally_warnings(conn, warnings, nrows, true, tally);
	}
	ds_my_command(conn, ds_my_merge_end_sql(m));
}

Jsonb *
ds_mysql_stream_load(DsPool *pool, const char *target, DsRowSource *src,
					 const DsLoadOptions *base)
{
	const MyLoadOptions *opts = (const MyLoadOptions *) base;
	DsConn	   *conn;
	char	   *sql;
	const char *target_sql = quote_target(target);
	DsMyMerge  *merge = NULL;
	int64		counts[3] = {0, 0, 0};
	StringInfoData bufs[2];
	BatchFill	fill;
	DsLoadResult result = {0};
	WarningTally tally = {0};
	instr_time	start;
	instr_time	elapsed;
	int			cur = 0;
	int64		rows_before = 0;
	int64		replaced = 0;

	if (base->mode != DS_MODE_APPEND && opts->replace)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("options->'replace' cannot be combined with mode \"%s\"",
						ds_load_mode_names[base->mode]),
				 errhint("replace adds the rows, replacing any row a key of theirs clashes with; a load in mode upsert, delete or mirror goes by its key. Use one or the other.")));
	INSTR_TIME_SET_CURRENT(start);
	initStringInfo(&bufs[0]);
	initStringInfo(&bufs[1]);
	initStringInfo(&tally.messages);
	fill.src = src;
	fill.limit = (size_t) ds_load_batch_kb * 1024;
	fill.rows = 0;
	fill.done = false;

	conn = ds_pool_checkout(pool);
	ds_my_command(conn, "START TRANSACTION");
	conn->in_xact = true;
	/* From here any ERROR closes the connection: rolled back, the stage gone. */
	if (base->mode != DS_MODE_APPEND)
		merge = ds_my_merge_begin(conn, pool->name, target, target_sql, src, base);
	sql = load_statement(merge ? merge->stage_sql : target_sql, src, opts);
	fill.buf = &bufs[cur];
	while (fill_some(&fill))
		CHECK_FOR_INTERRUPTS();
	while (bufs[cur].len > 0)
	{
		unsigned int warnings = 0;
		char	   *info;

		int64		batch_rows = fill.rows - rows_before;
		uint64		affected;
		int64		records,
					deleted,
					skipped;

		/* The next batch fills while the server loads this one. */
		fill.buf = &bufs[1 - cur];
		rows_before = fill.rows;
		affected = ds_my_load_data(conn, sql, target, bufs[cur].data, bufs[cur].len,
								   fill_some, &fill, &warnings, &info);

		/*
		 * With REPLACE a replaced row counts twice in the affected rows (one
		 * deleted, one inserted): the rows are the server's Records, less
		 * those it Skipped.
		 */
		if (load_info(info, &records, &deleted, &skipped))
		{
			result.loaded += records - skipped;
			replaced += deleted;
		}
		else if (opts->replace)
			ds_my_bad_answer(conn, "LOAD DATA", "no Records/Deleted/Skipped counts to tell rows from replacements");
		else
			result.loaded += affected;
		result.bytes += bufs[cur].len;
		if (warnings > 0)
			tally_warnings(conn, warnings, batch_rows, false, &tally);
		resetStringInfo(&bufs[cur]);
		cur = 1 - cur;
		while (fill_some(&fill))
			CHECK_FOR_INTERRUPTS();
	}
	result.total = fill.rows;
	src->close(src);

	result.filtered = tally.rows;
	INSTR_TIME_SET_CURRENT(elapsed);
	INSTR_TIME_SUBTRACT(elapsed, start);
	result.time_ms = (int64) INSTR_TIME_GET_MILLISEC(elapsed);
	result.message = tally.kept > 0 ? tally.messages.data : "OK";

	if (result.filtered > 0 &&
		(double) result.filtered / (double) Max(result.total, 1) > opts->max_filter_ratio)
		fail_load(pool, conn, target, &result);
	if (merge)
	{
		run_merge(conn, merge, base, result.total, &tally, counts);
		INSTR_TIME_SET_CURRENT(elapsed);
		INSTR_TIME_SUBTRACT(elapsed, start);
		result.time_ms = (int64) INSTR_TIME_GET_MILLISEC(elapsed);
		result.filtered = tally.rows;
		result.message = tally.kept > 0 ? tally.messages.data : "OK";
		if (result.filtered > 0)
			fail_load(pool, conn, target, &result);
		/* Before COMMIT: the ERROR drops the connection, and the server rolls back. */
		ds_load_check_deletes(base, counts[2], true, pool->name, target);
	}
	ds_my_command(conn, "COMMIT");
	conn->in_xact = false;
	ds_pool_checkin(conn);
	result.status = "Success";
	if (opts->replace)
	{
		JsonbValue	v;

		v.type = jbvNumeric;
		v.val.numeric = int64_to_numeric(replaced);
		return ds_load_result_with(ds_load_result_jsonb(&result), "NumberReplacedRows", &v);
	}
	if (merge)
		return ds_load_result_changes(ds_load_result_jsonb(&result), merge->mode,
									  counts[0], counts[1], counts[2]);
	return ds_load_result_jsonb(&result);
}
