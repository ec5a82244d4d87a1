/*
 * mysql_rows.c
 *		A MySQL or StarRocks query result as rows to load (ds_sync).
 *
 * Rows stream from the socket one at a time, as the server prints them,
 * straight into whichever bulk path the target store has: nothing holds the
 * whole result.  Values keep the server's text, which MySQL, StarRocks and
 * PostgreSQL all read back the same way; the few that would not survive
 * are changed here (see load_kind).
 */
#include "postgres.h"

#include "mb/pg_wchar.h"
#include "utils/memutils.h"

#include "mysql_rows.h"
#include "mysql_store.h"
#include "progress.h"

typedef enum MyLoadKind
{
	MLK_NUMBER,
	MLK_JSON,
	MLK_DATE,					/* zero dates are NULL, as in ds_query */
	MLK_TIMESTAMP,				/* the same; an instant, in UTC on our
								 * connections */
	MLK_TEXT,					/* UTF-8 text, checked */
	MLK_BYTES					/* binary strings: raw bytes, or bytea hex for
								 * PostgreSQL targets */
} MyLoadKind;

typedef struct MyRows
{
	DsRowSource pub;
	DsPool	   *pool;
	DsConn	   *conn;
	DsMyResult *res;
	MyLoadKind *kinds;
	bool		open;
	MemoryContext rowcxt;		/* the current row's hex forms */
} MyRows;

#define BINARY_CHARSET 63

static MyLoadKind
load_kind(const MYSQL_FIELD *f)
{
	switch (f->type)
	{
		case MYSQL_TYPE_TINY:
		case MYSQL_TYPE_SHORT:
		case MYSQL_TYPE_INT24:
		case MYSQL_TYPE_LONG:
		case MYSQL_TYPE_LONGLONG:
		case MYSQL_TYPE_YEAR:
		case MYSQL_TYPE_DECIMAL:
		case MYSQL_TYPE_NEWDECIMAL:
		case MYSQL_TYPE_FLOAT:
		case MYSQL_TYPE_DOUBLE:
			return MLK_NUMBER;
		case MYSQL_TYPE_JSON:
			return MLK_JSON;
		case MYSQL_TYPE_DATE:
		case MYSQL_TYPE_NEWDATE:
		case MYSQL_TYPE_DATETIME:
			return MLK_DATE;
		case MYSQL_TYPE_TIMESTAMP:
			return MLK_TIMESTAMP;
		case MYSQL_TYPE_BIT:
		case MYSQL_TYPE_GEOMETRY:
			return MLK_BYTES;
		default:
			return f->charsetnr == BINARY_CHARSET ? MLK_BYTES : MLK_TEXT;
	}
}

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
			case MLK_NUMBER:
				kind = DS_PARAM_NUMBER;
				break;
			case MLK_JSON:
				kind = DS_PARAM_JSON;
				break;
			case MLK_DATE:
			case MLK_TIMESTAMP:
				kind = DS_PARAM_STRING;
				if (v && len >= 10 && strncmp(v, "0000-00-00", 10) == 0)
					v = NULL;

				/*
				 * A PostgreSQL target would read the UTC wall-clock time in
				 * its session's time zone: say which instant it is.
				 */
				if (v && mr->kinds[i] == MLK_TIMESTAMP && src->pg_text)
				{
					char	   *t = MemoryContextAlloc(mr->rowcxt, len + 4);

					memcpy(t, v, len);
					memcpy(t + len, "+00", 4);
					v = t;
					len += 3;
				}
				break;
			case MLK_TEXT:
				kind = DS_PARAM_STRING;
				/* Every target reads UTF-8; a bad byte must not pass on. */
				if (v && pg_encoding_verifymbstr(PG_UTF8, v, len) != len)
					ereport(ERROR,
							(errcode(ERRCODE_CHARACTER_NOT_IN_REPERTOIRE),
							 errmsg("row %llu, column \"%s\" of the source is not valid UTF-8",
									(unsigned long long) src->rownum, src->row.columns[i])));
				break;
			case MLK_BYTES:
				kind = DS_PARAM_STRING;

				/*
				 * A PostgreSQL target reads bytea in its text form; raw bytes
				 * would be taken for escapes, or refused as bad UTF-8.
				 */
				if (v && src->pg_text)
					v = bytea_hex_in(mr->rowcxt, v, &len);
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
ds_mysql_rows_from_query(DsPool *pool, const char *sql, DsParams *params, List *columns)
{
	MyRows	   *mr = palloc0(sizeof(MyRows));
	DsRowSource *src = &mr->pub;
	DsMyResult *res;
	int			n;

	mr->pool = pool;
	mr->rowcxt = AllocSetContextCreate(CurrentMemoryContext, "datastore mysql rows",
									   ALLOCSET_SMALL_SIZES);
	res = mr->res = ds_mysql_open_query(pool, sql, params, &mr->conn);
	mr->open = true;
	n = (int) res->nfields;
	ds_row_source_columns(src, n, columns);
	mr->kinds = palloc(sizeof(MyLoadKind) * Max(n, 1));
	for (int i = 0; i < n; i++)
	{
		if (columns == NIL)
			src->row.columns[i] = pnstrdup(res->fields[i].name, res->fields[i].name_length);
		mr->kinds[i] = load_kind(&res->fields[i]);
	}
	src->next = my_next;
	src->close = my_close;
	return src;
}
