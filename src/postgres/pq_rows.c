/*
 * pq_rows.c
 *		A remote PostgreSQL query result as rows to load (ds_sync).
 *
 * Rows come one result each (single-row mode) and are handed on before the
 * next is read, so no result is ever held whole.  Values are made to look
 * exactly as the local query source makes them (row_source.c): booleans
 * 1/0, date and time types through this server's input function and then
 * ISO 8601 (timestamptz in UTC), bytea as raw bytes or, for a PostgreSQL
 * target, its \x text, everything else as the remote server prints it, in
 * UTF-8.
 */
#include "postgres.h"

#include "access/transam.h"
#include "catalog/pg_type.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "postgres/pq_conn.h"
#include "postgres/pq.h"
#include "postgres/pq_types.h"
#include "core/progress.h"

typedef struct PqRows
{
	DsRowSource pub;
	DsConn	   *conn;
	const DsPqApi *api;
	DsRowValueKind *kinds;
	Oid		   *types;
	PGresult   *pending;		/* read ahead by open, not yet handed on */
	bool		done;			/* the statement is complete */
	bool		open;
	MemoryContext rowcxt;		/* the current result and its values */
} PqRows;

/* The next result that carries a row, or NULL once the statement is done. */
static PGresult *
next_row_result(PqRows *pr)
{
	for (;;)
	{
		PGresult   *res = ds_pq_next_result(pr->conn);

		if (res == NULL)
		{
			pr->done = true;
			return NULL;
		}
		switch (pr->api->PQresultStatus(res))
		{
			case PGRES_SINGLE_TUPLE:
			case PGRES_TUPLES_OK:
				return res;
			default:
				/* A command's completion: no rows in it. */
				continue;
		}
	}
}

static void
set_value(PqRows *pr, PGresult *res, int i)
{
	DsRowSource *src = &pr->pub;
	char	   *v = pr->api->PQgetvalue(res, 0, i);
	int			len = pr->api->PQgetlength(res, 0, i);
	DsParamKind kind = DS_PARAM_STRING;

	switch (pr->kinds[i])
	{
		case DS_ROW_NUMBER:
			kind = DS_PARAM_NUMBER;
			break;
		case DS_ROW_BOOL:
			kind = DS_PARAM_BOOL;
			v = v[0] == 't' ? "1" : "0";
			len = 1;
			break;
		case DS_ROW_JSON:
			kind = DS_PARAM_JSON;
			ds_row_check_json(v, len);
			break;
		case DS_ROW_DATETIME:
		case DS_ROW_TIMESTAMPTZ:
			{
				Oid			typinput;
				Oid			typioparam;
				Datum		d;

				getTypeInputInfo(pr->types[i], &typinput, &typioparam);
				d = OidInputFunctionCall(typinput, v, typioparam, -1);
				v = pr->kinds[i] == DS_ROW_TIMESTAMPTZ ? ds_timestamptz_text(src, d)
					: JsonEncodeDateTime(NULL, d, pr->types[i], NULL);
				len = strlen(v);
				break;
			}
		case DS_ROW_ARRAY:
			if (!src->pg_text)
			{
				char	   *json = ds_pq_array_json(pr->types[i], v, len);

				if (json)
				{
					kind = DS_PARAM_JSON;
					v = json;
					len = strlen(v);
				}
			}
			break;
		case DS_ROW_BIT:
			if (!src->pg_text)
				v = ds_bits_bytes(v, len, &len);
			break;
		case DS_ROW_BPCHAR:
			if (!src->pg_text && ds_bpchar_length(v, len) < len)
			{
				len = ds_bpchar_length(v, len);
				v = pnstrdup(v, len);
			}
			break;
		case DS_ROW_BYTEA:
			if (!src->pg_text)
			{
				bytea	   *b = DatumGetByteaPP(DirectFunctionCall1(byteain, CStringGetDatum(v)));

				v = VARDATA_ANY(b);
				len = VARSIZE_ANY_EXHDR(b);
			}
			break;
		default:
			break;
	}
	if (kind != DS_PARAM_BOOL && pr->kinds[i] != DS_ROW_BYTEA &&
		!(pr->kinds[i] == DS_ROW_BIT && !src->pg_text))
	{
		/* The connection speaks the database encoding; loads take UTF-8. */
		char	   *u = pg_server_to_any(v, len, PG_UTF8);

		if (u != v)
		{
			v = u;
			len = strlen(u);
		}
	}
	src->row.kinds[i] = kind;
	src->row.values[i] = v;
	src->row.lengths[i] = len;
}

static bool
pq_next(DsRowSource *src)
{
	PqRows	   *pr = (PqRows *) src;
	MemoryContext caller = CurrentMemoryContext;
	PGresult   *res;

	if (!pr->open || pr->done)
		return false;
	if (pr->pending != NULL)
	{
		/* Read by open(), in this context already. */
		res = pr->pending;
		pr->pending = NULL;
	}
	else
	{
		MemoryContextReset(pr->rowcxt);
		MemoryContextSwitchTo(pr->rowcxt);
		res = next_row_result(pr);
		MemoryContextSwitchTo(caller);
	}
	/* TUPLES_OK ends the rows; what follows is the end of the statement. */
	while (res != NULL && pr->api->PQresultStatus(res) != PGRES_SINGLE_TUPLE)
	{
		MemoryContextReset(pr->rowcxt);
		MemoryContextSwitchTo(pr->rowcxt);
		res = next_row_result(pr);
		MemoryContextSwitchTo(caller);
	}
	if (res == NULL)
		return false;
	if (!ds_pq_same_shape(pr->api, res, src->row.ncolumns, pr->types))
		ds_pq_bad_answer(pr->conn, "the source query",
						 "a row whose columns differ from the result's first");
	src->rownum++;
	ds_progress_add(1, 0);
	MemoryContextSwitchTo(pr->rowcxt);
	for (int i = 0; i < src->row.ncolumns; i++)
	{
		if (pr->api->PQgetisnull(res, 0, i))
			ds_row_set_null(src, i);
		else
			set_value(pr, res, i);
	}
	MemoryContextSwitchTo(caller);
	return true;
}

static void
pq_close(DsRowSource *src)
{
	PqRows	   *pr = (PqRows *) src;
	MemoryContext caller = CurrentMemoryContext;

	if (!pr->open)
		return;
	pr->open = false;
	/* A source closed early reads the rest off, so the connection is clean. */
	MemoryContextSwitchTo(pr->rowcxt);
	while (!pr->done)
	{
		MemoryContextReset(pr->rowcxt);
		(void) next_row_result(pr);
	}
	MemoryContextSwitchTo(caller);
	MemoryContextDelete(pr->rowcxt);
	ds_pool_checkin(pr->conn);
}

DsRowSource *
ds_pq_rows_from_query(DsPool *pool, const char *sql, DsParams *params, List *columns)
{
	PqRows	   *pr = palloc0(sizeof(PqRows));
	DsRowSource *src = &pr->pub;
	MemoryContext caller = CurrentMemoryContext;
	PGresult   *res;
	int			n;

	pr->rowcxt = AllocSetContextCreate(caller, "datastore pq rows", ALLOCSET_DEFAULT_SIZES);
	pr->conn = ds_pool_checkout(pool);
	pr->api = ds_pq_api_of(pr->conn);
	pr->open = true;
	ds_pq_send(pr->conn, sql, params, true);

	/* The first result, a row or an empty set, describes the columns. */
	MemoryContextSwitchTo(pr->rowcxt);
	res = next_row_result(pr);
	MemoryContextSwitchTo(caller);
	if (res == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_CURSOR_DEFINITION),
				 errmsg("the source query of datastore \"%s\" returned no result set", pool->name),
				 errhint("ds_sync reads the rows of a SELECT; run other statements with ds_exec.")));
	pr->pending = res;
	n = pr->api->PQnfields(res);
	ds_row_source_columns(src, n, columns);
	pr->kinds = palloc(sizeof(DsRowValueKind) * Max(n, 1));
	pr->types = palloc(sizeof(Oid) * Max(n, 1));
	for (int i = 0; i < n; i++)
	{
		if (columns == NIL)
			src->row.columns[i] = pstrdup(pr->api->PQfname(res, i));
		pr->types[i] = pr->api->PQftype(res, i);
		pr->kinds[i] = ds_row_value_kind(pr->types[i]);
		/* Only a built-in type's OID means the same here: others stay text. */
		if (pr->types[i] >= FirstNormalObjectId)
			pr->kinds[i] = DS_ROW_TEXT;
	}
	src->next = pq_next;
	src->close = pq_close;
	return src;
}
