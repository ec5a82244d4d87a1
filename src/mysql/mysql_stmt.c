/*
 * mysql_stmt.c
 *		Statements on a MySQL-protocol connection: as text, or prepared with
 *		their parameters bound server-side, and their rows read one at a
 *		time from the socket, in the server's text form either way.
 */
#include "postgres.h"

#include "common/shortest_dec.h"
#include "utils/builtins.h"

#include "core/params.h"
#include "mysql/mysql_conn.h"
#include "mysql/mysql_int.h"

/* Releases the statement's library objects; the connection stays usable. */
void
ds_my_release_statement(DsMyConn *c, const char *storename)
{
	const DsMysqlApi *api = c->api;

	if (c->res)
	{
		MYSQL_RES  *res = c->res;

		c->res = NULL;
		MY_RUN(c, storename, 0,
			   api->mysql_free_result_start(res),
			   api->mysql_free_result_cont(res, MY_READY));
	}
	if (c->meta)
	{
		api->mysql_free_result(c->meta);
		c->meta = NULL;
	}
	if (c->stmt)
	{
		MYSQL_STMT *stmt = c->stmt;
		my_bool		ret;

		c->stmt = NULL;
		MY_RUN(c, storename, 0,
			   api->mysql_stmt_close_start(&ret, stmt),
			   api->mysql_stmt_close_cont(&ret, stmt, MY_READY));
	}
}

/* Skips any further result sets (CALL returns an extra status result). */
static void
drain_more_results(DsConn *conn)
{
	DsMyConn   *c = MYCONN(conn);
	const DsMysqlApi *api = c->api;

	while (api->mysql_more_results(c->mysql))
	{
		int			ret = 0;

		MY_RUN(c, conn->pool->name, 0,
			   api->mysql_next_result_start(&ret, c->mysql),
			   api->mysql_next_result_cont(&ret, c->mysql, MY_READY));
		if (ret > 0)
			ds_my_conn_error(conn);
		if (api->mysql_field_count(c->mysql) > 0)
		{
			MYSQL_RES  *extra = api->mysql_use_result(c->mysql);
			MYSQL_ROW	row;

			c->res = extra;
			do
			{
				MY_RUN(c, conn->pool->name, 0,
					   api->mysql_fetch_row_start(&row, extra),
					   api->mysql_fetch_row_cont(&row, extra, MY_READY));
			} while (row != NULL);
			if (api->mysql_errno(c->mysql) != 0)
				ds_my_conn_error(conn);
			ds_my_release_statement(c, conn->pool->name);
		}
	}
}

/* MySQL's own limit on the columns of a table; no result of a server has more. */
#define DS_MY_MAX_COLUMNS 4096

static DsMyResult *
new_result(DsConn *conn, MYSQL_FIELD *fields, unsigned int nfields)
{
	DsMyResult *res;

	if (nfields > DS_MY_MAX_COLUMNS || (nfields > 0 && fields == NULL))
		ds_my_bad_answer(conn, "a query", psprintf("%u columns", nfields));
	res = palloc0(sizeof(DsMyResult));

	res->conn = conn;
	res->fields = fields;
	res->nfields = nfields;
	return res;
}

static DsMyResult *
execute_text(DsConn *conn, const char *sql, uint64 *affected)
{
	DsMyConn   *c = MYCONN(conn);
	const DsMysqlApi *api = c->api;
	int			err = 0;

	MY_RUN(c, conn->pool->name, 0,
		   api->mysql_real_query_start(&err, c->mysql, sql, strlen(sql)),
		   api->mysql_real_query_cont(&err, c->mysql, MY_READY));
	if (err)
		ds_my_conn_error(conn);
	if (api->mysql_field_count(c->mysql) == 0)
	{
		*affected = api->mysql_affected_rows(c->mysql);
		drain_more_results(conn);
		return NULL;
	}
	c->res = api->mysql_use_result(c->mysql);
	if (c->res == NULL)
		ds_my_conn_error(conn);
	return new_result(conn, api->mysql_fetch_fields(c->res), api->mysql_num_fields(c->res));
}

static void
bind_params(DsConn *conn, int nparams, DsMyParam *params)
{
	DsMyConn   *c = MYCONN(conn);
	MYSQL_BIND *binds = palloc0(sizeof(MYSQL_BIND) * Max(nparams, 1));
	int64	   *ints = palloc0(sizeof(int64) * Max(nparams, 1));
	char	   *bools = palloc0(Max(nparams, 1));

	for (int i = 0; i < nparams; i++)
	{
		DsMyParam  *p = &params[i];
		MYSQL_BIND *b = &binds[i];

		switch (p->kind)
		{
			case DS_PARAM_NULL:
				b->buffer_type = MYSQL_TYPE_NULL;
				break;
			case DS_PARAM_BOOL:
				bools[i] = (p->text[0] == 't') ? 1 : 0;
				b->buffer_type = MYSQL_TYPE_TINY;
				b->buffer = &bools[i];
				break;
			case DS_PARAM_NUMBER:
				{
					char	   *end;

					errno = 0;
					ints[i] = strtoll(p->text, &end, 10);
					if (errno == 0 && *end == '\0')
					{
						b->buffer_type = MYSQL_TYPE_LONGLONG;
						b->buffer = &ints[i];
					}
					else
					{
						/* Exact: decimals travel as their digits. */
						b->buffer_type = MYSQL_TYPE_NEWDECIMAL;
						b->buffer = (void *) p->text;
						b->buffer_length = p->len;
						b->length = &p->len;
					}
					break;
				}
			default:
				b->buffer_type = MYSQL_TYPE_STRING;
				b->buffer = (void *) p->text;
				b->buffer_length = p->len;
				b->length = &p->len;
				break;
		}
	}
	if (c->api->mysql_stmt_bind_param(c->stmt, binds))
		ds_my_stmt_error(conn);
}

#define DS_MY_STR_INITIAL 256
#define DS_MY_TEXT_MIN 64

static bool
is_time_type(enum enum_field_types t)
{
	return t == MYSQL_TYPE_DATE || t == MYSQL_TYPE_NEWDATE ||
		t == MYSQL_TYPE_DATETIME || t == MYSQL_TYPE_TIMESTAMP ||
		t == MYSQL_TYPE_TIME;
}

static void
bind_results(DsConn *conn, DsMyResult *res)
{
	DsMyConn   *c = MYCONN(conn);
	unsigned int n = res->nfields;

	res->binds = palloc0(sizeof(MYSQL_BIND) * n);
	res->bind_nulls = palloc0(sizeof(my_bool) * n);
	res->bind_errors = palloc0(sizeof(my_bool) * n);
	res->bind_lengths = palloc0(sizeof(unsigned long) * n);
	res->times = palloc0(sizeof(MYSQL_TIME) * n);
	res->doubles = palloc0(sizeof(double) * n);
	res->floats = palloc0(sizeof(float) * n);
	res->capacity = palloc0(sizeof(unsigned long) * n);
	res->buffers = palloc0(sizeof(char *) * n);
	res->values = palloc0(sizeof(char *) * n);
	res->lengths = palloc0(sizeof(unsigned long) * n);

	for (unsigned int i = 0; i < n; i++)
	{
		MYSQL_BIND *b = &res->binds[i];
		enum enum_field_types t = res->fields[i].type;

		b->is_null = &res->bind_nulls[i];
		b->error = &res->bind_errors[i];
		b->length = &res->bind_lengths[i];
		res->capacity[i] = DS_MY_STR_INITIAL;
		res->buffers[i] = palloc(DS_MY_STR_INITIAL + 1);
		if (t == MYSQL_TYPE_DOUBLE)
		{
			b->buffer_type = MYSQL_TYPE_DOUBLE;
			b->buffer = &res->doubles[i];
		}
		else if (t == MYSQL_TYPE_FLOAT)
		{
			b->buffer_type = MYSQL_TYPE_FLOAT;
			b->buffer = &res->floats[i];
		}
		else if (is_time_type(t))
		{
			b->buffer_type = t;
			b->buffer = &res->times[i];
		}
		else
		{
			/* Integers, decimals, strings, bits: the server's text form. */
			b->buffer_type = MYSQL_TYPE_STRING;
			b->buffer = res->buffers[i];
			b->buffer_length = DS_MY_STR_INITIAL;
		}
	}
	if (c->api->mysql_stmt_bind_result(c->stmt, res->binds))
		ds_my_stmt_error(conn);
}

/* Prepares sql as c->stmt; false (the statement released) if the server refuses and quiet. */
static bool
prepare(DsConn *conn, const char *sql, bool quiet)
{
	DsMyConn   *c = MYCONN(conn);
	const DsMysqlApi *api = c->api;
	int			err = 0;

	c->stmt = api->mysql_stmt_init(c->mysql);
	if (c->stmt == NULL)
		ds_my_conn_error(conn);
	MY_RUN(c, conn->pool->name, 0,
		   api->mysql_stmt_prepare_start(&err, c->stmt, sql, strlen(sql)),
		   api->mysql_stmt_prepare_cont(&err, c->stmt, MY_READY));
	if (err && quiet)
	{
		ds_my_release_statement(c, conn->pool->name);
		return false;
	}
	if (err)
		ds_my_stmt_error(conn);
	return true;
}

/* Executes the prepared c->stmt with its parameters; its result, or NULL. */
static DsMyResult *
run_prepared(DsConn *conn, int nparams, DsMyParam *params, uint64 *affected)
{
	DsMyConn   *c = MYCONN(conn);
	const DsMysqlApi *api = c->api;
	int			err = 0;
	unsigned long expected;
	DsMyResult *res;

	expected = api->mysql_stmt_param_count(c->stmt);
	if (expected != (unsigned long) nparams)
	{
		ds_my_release_statement(c, conn->pool->name);
		conn->in_flight = false;
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_PARAMETER),
				 errmsg("statement has %lu placeholder%s but params has %d value%s",
						expected, expected == 1 ? "" : "s", nparams, nparams == 1 ? "" : "s"),
				 errhint("Use ? or $1..$n placeholders, one element of params for each.")));
	}
	bind_params(conn, nparams, params);
	MY_RUN(c, conn->pool->name, 0,
		   api->mysql_stmt_execute_start(&err, c->stmt),
		   api->mysql_stmt_execute_cont(&err, c->stmt, MY_READY));
	if (err)
		ds_my_stmt_error(conn);

	c->meta = api->mysql_stmt_result_metadata(c->stmt);
	if (c->meta == NULL)
	{
		*affected = api->mysql_stmt_affected_rows(c->stmt);
		ds_my_release_statement(c, conn->pool->name);
		return NULL;
	}
	res = new_result(conn, api->mysql_fetch_fields(c->meta), api->mysql_num_fields(c->meta));
	bind_results(conn, res);
	return res;
}

static DsMyResult *
execute_prepared(DsConn *conn, const char *sql, int nparams, DsMyParam *params,
				 uint64 *affected)
{
	prepare(conn, sql, false);
	return run_prepared(conn, nparams, params, affected);
}

/*
 * MySQL's text protocol prints FLOAT with 6 significant digits (16777216
 * as 1.67772e7), which loses what the column holds, where a prepared
 * statement's binary rows carry the float itself (printed in the fewest
 * digits that read back the same).  So the statement is prepared first: if
 * its result has a FLOAT column it runs prepared, else in text, as any
 * statement the server cannot prepare (or one with a ? of its own) does.
 * The cost is the prepare's round trip.
 */
static DsMyResult *
execute_exact(DsConn *conn, const char *sql, uint64 *affected)
{
	DsMyConn   *c = MYCONN(conn);
	const DsMysqlApi *api = c->api;
	bool		floats = false;

	if (!prepare(conn, sql, true))
		return execute_text(conn, sql, affected);
	c->meta = api->mysql_stmt_result_metadata(c->stmt);
	if (c->meta != NULL && api->mysql_stmt_param_count(c->stmt) == 0)
	{
		MYSQL_FIELD *fields = api->mysql_fetch_fields(c->meta);

		for (unsigned int i = 0; i < api->mysql_num_fields(c->meta); i++)
			floats |= fields[i].type == MYSQL_TYPE_FLOAT;
	}
	if (!floats)
	{
		ds_my_release_statement(c, conn->pool->name);
		return execute_text(conn, sql, affected);
	}
	api->mysql_free_result(c->meta);
	c->meta = NULL;
	return run_prepared(conn, 0, NULL, affected);
}

DsMyResult *
ds_my_execute(DsConn *conn, const char *sql, int nparams, DsMyParam *params,
			  uint64 *affected)
{
	DsMyResult *res;

	*affected = 0;
	conn->in_flight = true;
	if (nparams == DS_MY_EXACT)
		res = execute_exact(conn, sql, affected);
	else if (nparams < 0)
		res = execute_text(conn, sql, affected);
	else
		res = execute_prepared(conn, sql, nparams, params, affected);
	if (res == NULL)
		conn->in_flight = false;
	return res;
}

static void
format_time(DsMyResult *res, unsigned int i)
{
	MYSQL_TIME *t = &res->times[i];
	char	   *out = res->buffers[i];
	int			decimals = res->fields[i].decimals;
	int			len;

	switch (res->fields[i].type)
	{
		case MYSQL_TYPE_DATE:
		case MYSQL_TYPE_NEWDATE:
			len = snprintf(out, DS_MY_TEXT_MIN, "%04u-%02u-%02u", t->year, t->month, t->day);
			break;
		case MYSQL_TYPE_TIME:
			len = snprintf(out, DS_MY_TEXT_MIN, "%s%02u:%02u:%02u", t->neg ? "-" : "",
						   t->day * 24 + t->hour, t->minute, t->second);
			break;
		default:
			len = snprintf(out, DS_MY_TEXT_MIN, "%04u-%02u-%02u %02u:%02u:%02u",
						   t->year, t->month, t->day, t->hour, t->minute, t->second);
			break;
	}
	if (res->fields[i].type != MYSQL_TYPE_DATE && decimals > 0 && decimals <= 6)
	{
		char		frac[8];

		snprintf(frac, sizeof(frac), "%06lu", t->second_part);
		len += snprintf(out + len, DS_MY_TEXT_MIN - len, ".%.*s", decimals, frac);
	}
	res->lengths[i] = len;
}

static bool
fetch_prepared(DsMyResult *res)
{
	DsConn	   *conn = res->conn;
	DsMyConn   *c = MYCONN(conn);
	const DsMysqlApi *api = c->api;
	int			ret = 0;

	MY_RUN(c, conn->pool->name, 0,
		   api->mysql_stmt_fetch_start(&ret, c->stmt),
		   api->mysql_stmt_fetch_cont(&ret, c->stmt, MY_READY));
	if (ret == MYSQL_NO_DATA)
		return false;
	if (ret != 0 && ret != MYSQL_DATA_TRUNCATED)
		ds_my_stmt_error(conn);

	for (unsigned int i = 0; i < res->nfields; i++)
	{
		MYSQL_BIND *b = &res->binds[i];

		if (res->bind_nulls[i])
		{
			res->values[i] = NULL;
			res->lengths[i] = 0;
			continue;
		}
		res->values[i] = res->buffers[i];
		if (b->buffer_type == MYSQL_TYPE_DOUBLE)
			res->lengths[i] = double_to_shortest_decimal_buf(res->doubles[i], res->buffers[i]);
		else if (b->buffer_type == MYSQL_TYPE_FLOAT)
			res->lengths[i] = float_to_shortest_decimal_buf(res->floats[i], res->buffers[i]);
		else if (b->buffer_type != MYSQL_TYPE_STRING)
			format_time(res, i);
		else
		{
			unsigned long len = res->bind_lengths[i];

			if (len > res->capacity[i])
			{
				/* Truncated: grow the buffer and fetch the whole value. */
				res->buffers[i] = repalloc(res->buffers[i], len + 1);
				res->values[i] = res->buffers[i];
				res->capacity[i] = len;
				b->buffer = res->buffers[i];
				b->buffer_length = len;
				if (api->mysql_stmt_fetch_column(c->stmt, b, i, 0) != 0)
					ds_my_stmt_error(conn);
				/* Later rows fetch into the grown buffer. */
				if (api->mysql_stmt_bind_result(c->stmt, res->binds))
					ds_my_stmt_error(conn);
			}
			res->values[i][len] = '\0';
			res->lengths[i] = len;
		}
	}
	return true;
}

bool
ds_my_fetch(DsMyResult *res)
{
	DsConn	   *conn = res->conn;
	DsMyConn   *c = MYCONN(conn);
	const DsMysqlApi *api = c->api;
	MYSQL_ROW	row = NULL;

	if (c->stmt)
		return fetch_prepared(res);

	MY_RUN(c, conn->pool->name, 0,
		   api->mysql_fetch_row_start(&row, c->res),
		   api->mysql_fetch_row_cont(&row, c->res, MY_READY));
	if (row == NULL)
	{
		/* End of data or a failure: never take the one for the other. */
		if (api->mysql_errno(c->mysql) != 0)
			ds_my_conn_error(conn);
		return false;
	}
	res->values = row;
	res->lengths = api->mysql_fetch_lengths(c->res);
	return true;
}

void
ds_my_finish(DsMyResult *res)
{
	DsConn	   *conn = res->conn;
	DsMyConn   *c = MYCONN(conn);

	ds_my_release_statement(c, conn->pool->name);
	if (!c->stmt)
		drain_more_results(conn);
	conn->in_flight = false;
}

uint64
ds_my_command(DsConn *conn, const char *sql)
{
	uint64		affected;
	DsMyResult *res = ds_my_execute(conn, sql, -1, NULL, &affected);

	if (res != NULL)
	{
		while (ds_my_fetch(res))
			affected++;
		ds_my_finish(res);
	}
	return affected;
}

uint64
ds_my_target_command(DsConn *conn, const char *sql, const char *target)
{
	uint64		affected;

	/* ds_my_error() reads it and clears it */
	MYCONN(conn)->load_target = target;
	affected = ds_my_command(conn, sql);
	MYCONN(conn)->load_target = NULL;
	return affected;
}

const char *
ds_my_info(DsConn *conn)
{
	return MYCONN(conn)->api->mysql_info(MYCONN(conn)->mysql);
}

unsigned int
ds_my_warning_count(DsConn *conn)
{
	return MYCONN(conn)->api->mysql_warning_count(MYCONN(conn)->mysql);
}

char *
ds_my_quote_ident(const char *ident)
{
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '`');
	for (const char *p = ident; *p; p++)
	{
		if (*p == '`')
			appendStringInfoChar(&buf, '`');
		appendStringInfoChar(&buf, *p);
	}
	appendStringInfoChar(&buf, '`');
	return buf.data;
}
