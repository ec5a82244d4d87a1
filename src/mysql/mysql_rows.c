/*
 * mysql_rows.c
 *		A MySQL or StarRocks query result as rows to load (ds_sync).
 *
 * Rows stream from the socket one at a time, as the server prints them,
 * straight into whichever bulk path the target store has: nothing holds the
 * whole result.  Values keep the server's text, which MySQL, StarRocks and
 * PostgreSQL all read back the same way; the few that would not survive
 * are changed here (see my_next).
 */
#include "postgres.h"

#include "mb/pg_wchar.h"
#include "utils/memutils.h"

#include "mysql/mysql.h"
#include "mysql/mysql_types.h"
#include "core/progress.h"

/*
 * How each kind of column goes on to a load, given the classifier of
 * mysql_types.c: numbers as printed, JSON as JSON, zero dates as NULL for
 * PostgreSQL targets (as in ds_query), TIMESTAMP with its UTC offset for PostgreSQL targets, binary
 * strings as raw bytes or bytea hex, everything else (TIME, ENUM, SET, text)
 * as checked UTF-8 text.  The server marks every non-string column with the
 * binary character set, so the type decides, never the character set alone.
 */
typedef struct MyRows
{
	DsRowSource pub;
	DsPool	   *pool;
	DsConn	   *conn;
	DsMyResult *res;
	DsMyKind   *kinds;
	bool		open;
	MemoryContext rowcxt;		/* the current row's hex forms */
} MyRows;

static char *
bytea_hex_in(MemoryContext cxt, const char *bytes, int *len)
{
	MemoryContext old = MemoryContextSwitchTo(cxt);
	char	   *hex = ds_bytea_hex(bytes, *len, len);

	MemoryContextSwitchTo(old);
	return hex;
}

static bool
my_next(DsRowSource *src)
{
	MyRows	   *mr = (MyRows *) src;
	DsMyResult *res = mr->res;

	MemoryContextReset(mr->rowcxt);
	if (!mr->open || !ds_my_fetch(res))
		return false;
	src->rownum++;
	ds_progress_add(1, 0);
	for (int i = 0; i < src->row.ncolumns; i++)
	{
		char	   *v = res->values[i];
		int			len = (int) res->lengths[i];
		DsParamKind kind = DS_PARAM_STRING;

		switch (mr->kinds[i])
		{
			case MYK_INT:
			case MYK_UBIGINT:
			case MYK_DECIMAL:
			case MYK_FLOAT:
				kind = DS_PARAM_NUMBER;
				break;
			case MYK_JSON:
				kind = DS_PARAM_JSON;
				if (v)
				{
					MemoryContext old = MemoryContextSwitchTo(mr->rowcxt);

					ds_row_check_json(v, len);
					MemoryContextSwitchTo(old);
				}
				break;
			case MYK_DATE:
			case MYK_DATETIME:
			case MYK_TIMESTAMP:
				/*
				 * PostgreSQL has no zero date: NULL, as ds_query reads it.
				 * A MySQL or StarRocks target takes it as it is (a NULL would
				 * become the current time in a TIMESTAMP NOT NULL column).
				 */
				if (v && src->pg_text && ds_my_zero_date(v, len))
					v = NULL;

				/*
				 * A PostgreSQL target would read the UTC wall-clock time in
				 * its session's time zone: say which instant it is.
				 */
				if (v && mr->kinds[i] == MYK_TIMESTAMP && src->pg_text)
				{
					char	   *t = MemoryContextAlloc(mr->rowcxt, len + 4);

					memcpy(t, v, len);
					memcpy(t + len, "+00", 4);
					v = t;
					len += 3;
				}
				break;
			case MYK_BIT:
			case MYK_BINARY:

				/*
				 * A PostgreSQL target reads bytea in its text form; raw bytes
				 * would be taken for escapes, or refused as bad UTF-8.
				 */
				if (v && src->pg_text)
					v = bytea_hex_in(mr->rowcxt, v, &len);
				break;
			case MYK_TIME:
			case MYK_TEXT:
				/* Every target reads UTF-8; a bad byte must not pass on. */
				if (v && pg_encoding_verifymbstr(PG_UTF8, v, len) != len)
					ereport(ERROR,
							(errcode(ERRCODE_CHARACTER_NOT_IN_REPERTOIRE),
							 errmsg("row %llu, column \"%s\" of the source is not valid UTF-8",
									(unsigned long long) src->rownum, src->row.columns[i])));
				break;
		}
		if (v == NULL)
			ds_row_set_null(src, i);
		else
		{
			src->row.kinds[i] = kind;
			src->row.values[i] = v;
			src->row.lengths[i] = len;
		}
	}
	return true;
}

static void
my_close(DsRowSource *src)
{
	MyRows	   *mr = (MyRows *) src;

	if (!mr->open)
		return;
	mr->open = false;
	ds_my_finish(mr->res);
	ds_pool_checkin(mr->conn);
}

DsRowSource *
ds_mysql_open_rows(DsPool *pool, const char *sql, DsParams *params, List *columns, bool splice)
{
	MyRows	   *mr = palloc0(sizeof(MyRows));
	DsRowSource *src = &mr->pub;
	DsMyResult *res;
	int			n;

	mr->pool = pool;
	mr->rowcxt = AllocSetContextCreate(CurrentMemoryContext, "datastore mysql rows",
									   ALLOCSET_SMALL_SIZES);
	res = mr->res = ds_mysql_open_query_as(pool, sql, params, splice, true, &mr->conn);
	mr->open = true;
	n = (int) res->nfields;
	ds_row_source_columns(src, n, columns);
	mr->kinds = palloc(sizeof(DsMyKind) * Max(n, 1));
	for (int i = 0; i < n; i++)
	{
		if (columns == NIL)
			src->row.columns[i] = pnstrdup(res->fields[i].name, res->fields[i].name_length);
		mr->kinds[i] = ds_my_field_kind(ds_my_api_of(mr->conn), &res->fields[i]);
	}
	src->next = my_next;
	src->close = my_close;
	return src;
}
