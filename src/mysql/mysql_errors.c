/*
 * mysql_errors.c
 *		What a MySQL-protocol server (or its client library) reports, as
 *		PostgreSQL errors and warnings: SQLSTATEs mapped, messages checked
 *		to be text, a load's unknown table or column named as the load's,
 *		and answers of the wrong shape refused.
 */
#include "postgres.h"

#include "core/compat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"

#include <errmsg.h>
#include <mysqld_error.h>

#include "mysql/mysql_conn.h"
#include "mysql/mysql_int.h"

/*
 * MySQL SQLSTATEs are five characters like PostgreSQL's, so most pass
 * through (42S02 stays class 42).  Client-side failures (CR_* codes) and the
 * catch-all HY000 are mapped to PostgreSQL's connection and FDW codes.
 */
int
ds_my_errcode(unsigned int code, const char *sqlstate)
{
	if (code >= CR_MIN_ERROR && code <= CR_MAX_ERROR)
		return ERRCODE_CONNECTION_FAILURE;
	if (sqlstate && strlen(sqlstate) == 5 && strspn(sqlstate, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") == 5 &&
		strncmp(sqlstate, "HY", 2) != 0 && strcmp(sqlstate, "00000") != 0)
		return MAKE_SQLSTATE(sqlstate[0], sqlstate[1], sqlstate[2],
							 sqlstate[3], sqlstate[4]);
	return ERRCODE_FDW_ERROR;
}

/* A message of the library or the server, safe to put in ours. */
char *
ds_my_text(const char *msg)
{
	return ds_my_server_text(msg, msg ? strlen(msg) : 0);
}

bool
ds_my_is_client_error(unsigned int code)
{
	return code >= CR_MIN_ERROR && code <= CR_MAX_ERROR;
}

/*
 * A load's statement names the target and its columns: say which of them
 * the server does not know, rather than what it calls them in its SQL.
 */
pg_noreturn static void
load_target_error(DsConn *conn, const char *target, unsigned int code, const char *state,
				  const char *msg)
{
	const char *q1 = strchr(msg, '\'');
	const char *q2 = q1 ? strchr(q1 + 1, '\'') : NULL;
	char	   *column = (q1 && q2) ? pnstrdup(q1 + 1, q2 - q1 - 1) : NULL;

	if (code == ER_NO_SUCH_TABLE)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("table \"%s\" does not exist on datastore \"%s\"", target,
						conn->pool->name),
				 errdetail("MySQL error %u, SQLSTATE %s: %s", code, state, msg),
				 errhint("Create the table first, or name it as db.table.")));
	ereport(ERROR,
			(errcode(ERRCODE_UNDEFINED_COLUMN),
			 errmsg("column \"%s\" is not in the target \"%s\" on datastore \"%s\"",
					column ? column : "?", target, conn->pool->name),
			 errdetail("MySQL error %u, SQLSTATE %s: %s", code, state, msg),
			 errhint("Load only the target's columns: list them in options->'columns', or alias the source query's.")));
}

/*
 * Raises the server's (or the library's) error.  A server error leaves the
 * protocol clean, so the statement is released and the connection can go
 * back to the pool; a client-side error means the link is gone.
 */
void
ds_my_error(DsConn *conn, unsigned int code, const char *sqlstate, const char *message)
{
	DsMyConn   *c = MYCONN(conn);
	char	   *msg = ds_my_server_text(message, message ? strlen(message) : 0);
	const char *target = c->load_target;
	char	   *state = ds_my_server_text(sqlstate ? sqlstate : "HY000", sqlstate ? strlen(sqlstate) : 5);

	conn->pool->errors++;
	if (ds_my_is_client_error(code))
		c->broken = true;
	else
	{
		ds_my_release_statement(c, conn->pool->name);
		conn->in_flight = false;
	}
	c->load_target = NULL;
	if (target && (code == ER_NO_SUCH_TABLE || code == ER_BAD_FIELD_ERROR))
		load_target_error(conn, target, code, state, msg);
	ereport(ERROR,
			(errcode(ds_my_errcode(code, state)),
			 errmsg("%s", msg),
			 errdetail("MySQL error %u, SQLSTATE %s, from datastore \"%s\".",
					   code, state, conn->pool->name)));
}

void
ds_my_conn_error(DsConn *conn)
{
	DsMyConn   *c = MYCONN(conn);

	ds_my_error(conn, c->api->mysql_errno(c->mysql), c->api->mysql_sqlstate(c->mysql),
			 c->api->mysql_error(c->mysql));
}

void
ds_my_stmt_error(DsConn *conn)
{
	DsMyConn   *c = MYCONN(conn);

	ds_my_error(conn, c->api->mysql_stmt_errno(c->stmt), c->api->mysql_stmt_sqlstate(c->stmt),
			 c->api->mysql_stmt_error(c->stmt));
}

#define DS_MY_RELAYED_WARNINGS 10

void
ds_my_relay_warnings(DsConn *conn)
{
	DsMyConn   *c = MYCONN(conn);
	unsigned int count = c->api->mysql_warning_count(c->mysql);
	uint64		affected;
	DsMyResult *res;
	int			relayed = 0;

	if (count == 0)
		return;
	res = ds_my_execute(conn, "SHOW WARNINGS", -1, NULL, &affected);
	if (res == NULL || res->nfields < 3)
		ds_my_bad_answer(conn, "SHOW WARNINGS", "no Level, Code and Message columns");
	while (ds_my_fetch(res))
	{
		char	   *level;

		/* The rest are only counted: a server may send any number. */
		if (relayed++ >= DS_MY_RELAYED_WARNINGS)
			continue;
		level = ds_my_server_text(res->values[0], res->lengths[0]);
		/* A Note is what PostgreSQL says with a NOTICE ("... does not exist, skipping"). */
		ereport(pg_strcasecmp(level, "Note") == 0 ? NOTICE : WARNING,
				(errmsg_internal("%s", ds_my_server_text(res->values[2], res->lengths[2])),
				 errdetail("%s %s from datastore \"%s\".", level,
						   ds_my_server_text(res->values[1], res->lengths[1]),
						   conn->pool->name)));
	}
	ds_my_finish(res);
	if (count > DS_MY_RELAYED_WARNINGS)
		ereport(WARNING,
				(errmsg("%u more warnings from datastore \"%s\" were not relayed",
						count - DS_MY_RELAYED_WARNINGS, conn->pool->name)));
}

void
ds_my_bad_answer(DsConn *conn, const char *what, const char *why)
{
	/* Nobody reads what else it sends: the pool closes a broken connection. */
	MYCONN(conn)->broken = true;
	conn->in_flight = true;
	conn->pool->errors++;
	ereport(ERROR,
			(errcode(ERRCODE_FDW_ERROR),
			 errmsg("datastore \"%s\" sent an answer of the wrong shape to %s",
					conn->pool->name, what),
			 errdetail_internal("%s.", why),
			 errhint("The server is not behaving as MySQL does; the connection was closed.")));
}

char *
ds_my_server_text(const char *s, unsigned long len)
{
	int			valid;
	char	   *text;

	if (s == NULL)
		return pstrdup("");
	/* utf8mb4 from the server: its valid start, in the database encoding. */
	valid = pg_encoding_verifymbstr(PG_UTF8, s, (int) Min(len, 1024));
	text = pg_any_to_server(s, valid, PG_UTF8);
	return text == s ? pnstrdup(s, valid) : text;
}
