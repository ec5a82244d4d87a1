/*
 * mysql_conn.c
 *		Connections to MySQL-protocol servers, driven through the client
 *		library's non-blocking API.
 *
 * Every network wait goes through WaitLatchOrSocket(), so statement_timeout,
 * pg_cancel_backend() and pg_terminate_backend() act at once.  When such an
 * interrupt (or any ERROR) abandons a statement, the pool closes the
 * connection with abort set: the statement is stopped on the server with
 * KILL from a short-lived side connection (MySQL 8.3 removed mysql_kill()),
 * the socket is shut down so that freeing the half-read result cannot block,
 * and only then are the library's handles released.
 *
 * LOAD DATA LOCAL INFILE is served from memory by our own infile handler.
 * That handler runs inside the library (on its coroutine stack in
 * non-blocking mode), so it only copies bytes prepared beforehand and never
 * calls into PostgreSQL.  It is installed on every connection, so a server
 * asking for a local file at any other time gets nothing.
 */
#include "postgres.h"

#include <poll.h>
#include <sys/socket.h>

#include "common/shortest_dec.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "storage/latch.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/wait_event.h"

#include <errmsg.h>
#include <mysqld_error.h>

#include "core/settings.h"
#include "mysql/mysql_conn.h"
#include "core/params.h"
#include "mysql/placeholders.h"

typedef struct DsMyConn
{
	const DsMysqlApi *api;
	MYSQL	   *mysql;
	unsigned long thread_id;
	bool		broken;			/* the client library saw the link fail */
	bool		limited;		/* TCP and password only (apply_owner_limits) */
	/* the statement under way, released by ds_my_finish() or on abort */
	MYSQL_RES  *res;
	MYSQL_STMT *stmt;
	MYSQL_RES  *meta;
	/* LOAD DATA LOCAL source */
	bool		infile_armed;
	const char *infile_data;
	size_t		infile_len;
	size_t		infile_pos;
	/* the target of the LOAD DATA under way, for its errors */
	const char *load_target;
	/* work to do while the server is busy (see ds_my_load_data) */
	bool		(*idle) (void *arg);
	void	   *idle_arg;
} DsMyConn;

#define MYCONN(conn) ((DsMyConn *) (conn)->handle)

const DsMysqlApi *
ds_my_api_of(DsConn *conn)
{
	return MYCONN(conn)->api;
}

MYSQL *
ds_my_handle(DsConn *conn)
{
	return MYCONN(conn)->mysql;
}

/*
 * Waits for what the library asked for (socket readable/writable, or its
 * own timeout) while serving interrupts.  A deadline of 0 means none.
 */
static int
my_wait(DsMyConn *c, int status, TimestampTz deadline, const char *storename)
{
	pgsocket	sock = c->api->mysql_get_socket(c->mysql);

	/*
	 * Before sleeping, do the caller's idle work (encoding the next batch of
	 * a load) for as long as the socket is not ready and there is some.
	 */
	if (c->idle)
	{
		struct pollfd pfd;

		pfd.fd = sock;
		pfd.events = ((status & (MYSQL_WAIT_READ | MYSQL_WAIT_EXCEPT)) ? POLLIN : 0) |
			((status & MYSQL_WAIT_WRITE) ? POLLOUT : 0);
		for (;;)
		{
			pfd.revents = 0;
			if (poll(&pfd, 1, 0) != 0 || !c->idle(c->idle_arg))
				break;
			CHECK_FOR_INTERRUPTS();
		}
	}

	for (;;)
	{
		int			events = WL_LATCH_SET | WL_EXIT_ON_PM_DEATH;
		long		timeout = -1;
		int			rc;
		int			result = 0;

		if (status & (MYSQL_WAIT_READ | MYSQL_WAIT_EXCEPT))
			events |= WL_SOCKET_READABLE;
		if (status & MYSQL_WAIT_WRITE)
			events |= WL_SOCKET_WRITEABLE;
		if (status & MYSQL_WAIT_TIMEOUT)
			timeout = c->api->mysql_get_timeout_value_ms(c->mysql);
		if (deadline != 0)
		{
			long		left = TimestampDifferenceMilliseconds(GetCurrentTimestamp(), deadline);

			if (left <= 0)
			{
				c->broken = true;
				ereport(ERROR,
						(errcode(ERRCODE_SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION),
						 errmsg("could not connect to datastore \"%s\": timeout after %d s",
								storename, ds_connect_timeout),
						 errhint("Check host and port, or raise datastore.connect_timeout.")));
			}
			timeout = (timeout < 0) ? left : Min(timeout, left);
		}
		if (timeout >= 0)
			events |= WL_TIMEOUT;

		rc = WaitLatchOrSocket(MyLatch, events, sock, timeout, PG_WAIT_EXTENSION);
		if (rc & WL_LATCH_SET)
		{
			ResetLatch(MyLatch);
			CHECK_FOR_INTERRUPTS();
		}
		/* Our deadline, not the library's timeout, decides (and says why). */
		if (deadline != 0 && !(rc & (WL_SOCKET_READABLE | WL_SOCKET_WRITEABLE)) &&
			GetCurrentTimestamp() >= deadline)
			continue;
		if (rc & WL_SOCKET_READABLE)
			result |= MYSQL_WAIT_READ;
		if (rc & WL_SOCKET_WRITEABLE)
			result |= MYSQL_WAIT_WRITE;
		if ((rc & WL_TIMEOUT) && (status & MYSQL_WAIT_TIMEOUT))
			result |= MYSQL_WAIT_TIMEOUT;
		if (result != 0)
			return result;
	}
}

/* Runs a non-blocking start/cont pair to completion. */
#define MY_RUN(c, storename, deadline, start_call, cont_call) \
	do { \
		int			status_ = (start_call); \
		while (status_ != 0) \
		{ \
			int			ready_ = my_wait((c), status_, (deadline), (storename)); \
			status_ = (cont_call); \
		} \
	} while (0)
#define MY_READY ready_

/*
 * MySQL SQLSTATEs are five characters like PostgreSQL's, so most pass
 * through (42S02 stays class 42).  Client-side failures (CR_* codes) and the
 * catch-all HY000 are mapped to PostgreSQL's connection and FDW codes.
 */
static int
my_errcode(unsigned int code, const char *sqlstate)
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
static char *
my_text(const char *msg)
{
	return ds_my_server_text(msg, msg ? strlen(msg) : 0);
}

static bool
is_client_error(unsigned int code)
{
	return code >= CR_MIN_ERROR && code <= CR_MAX_ERROR;
}

static void release_statement(DsMyConn *c, const char *storename);

/*
 * A load's statement names the target and its columns: say which of them
 * the server does not know, rather than what it calls them in its SQL.
 */
static void
pg_attribute_noreturn()
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
static void
pg_attribute_noreturn()
my_error(DsConn *conn, unsigned int code, const char *sqlstate, const char *message)
{
	DsMyConn   *c = MYCONN(conn);
	char	   *msg = ds_my_server_text(message, message ? strlen(message) : 0);
	const char *target = c->load_target;
	char	   *state = ds_my_server_text(sqlstate ? sqlstate : "HY000", sqlstate ? strlen(sqlstate) : 5);

	conn->pool->errors++;
	if (is_client_error(code))
		c->broken = true;
	else
	{
		release_statement(c, conn->pool->name);
		conn->in_flight = false;
	}
	c->load_target = NULL;
	if (target && (code == ER_NO_SUCH_TABLE || code == ER_BAD_FIELD_ERROR))
		load_target_error(conn, target, code, state, msg);
	ereport(ERROR,
			(errcode(my_errcode(code, state)),
			 errmsg("%s", msg),
			 errdetail("MySQL error %u, SQLSTATE %s, from datastore \"%s\".",
					   code, state, conn->pool->name)));
}

static void
pg_attribute_noreturn()
my_conn_error(DsConn *conn)
{
	DsMyConn   *c = MYCONN(conn);

	my_error(conn, c->api->mysql_errno(c->mysql), c->api->mysql_sqlstate(c->mysql),
			 c->api->mysql_error(c->mysql));
}

static void
pg_attribute_noreturn()
my_stmt_error(DsConn *conn)
{
	DsMyConn   *c = MYCONN(conn);

	my_error(conn, c->api->mysql_stmt_errno(c->stmt), c->api->mysql_stmt_sqlstate(c->stmt),
			 c->api->mysql_stmt_error(c->stmt));
}

/* Infile handler: pure byte copying, see the file header. */
static int
infile_init(void **ptr, const char *filename, void *userdata)
{
	DsMyConn   *c = (DsMyConn *) userdata;

	*ptr = c;
	return c->infile_armed ? 0 : 1;
}

static int
infile_read(void *ptr, char *buf, unsigned int buf_len)
{
	DsMyConn   *c = (DsMyConn *) ptr;
	size_t		n = Min((size_t) buf_len, c->infile_len - c->infile_pos);

	memcpy(buf, c->infile_data + c->infile_pos, n);
	c->infile_pos += n;
	return (int) n;
}

static void
infile_end(void *ptr)
{
}

static int
infile_error(void *ptr, char *msg, unsigned int msg_len)
{
	snprintf(msg, msg_len, "datastore serves LOCAL INFILE only to its own LOAD DATA statements");
	return CR_UNKNOWN_ERROR;
}

/*
 * options->'ssl' for the MySQL protocol.  Connector/C checks the host name
 * whenever it verifies the certificate, so verify-ca is verify-full here.
 */
static void
apply_tls(const DsMysqlApi *api, MYSQL *mysql, const DsStore *store)
{
	DsTls		tls;
	my_bool		on = 1;
	my_bool		off = 0;

	ds_store_tls(store, &tls);
	if (tls.mode == DS_TLS_DISABLE)
		return;
	if (tls.ca)
		api->mysql_options(mysql, MYSQL_OPT_SSL_CA, tls.ca);
	if (tls.cert)
		api->mysql_options(mysql, MYSQL_OPT_SSL_CERT, tls.cert);
	if (tls.key)
		api->mysql_options(mysql, MYSQL_OPT_SSL_KEY, tls.key);
	if (tls.mode == DS_TLS_PREFER)
		return;
	api->mysql_options(mysql, MYSQL_OPT_SSL_ENFORCE, &on);
	api->mysql_options(mysql, MYSQL_OPT_SSL_VERIFY_SERVER_CERT,
					   tls.mode >= DS_TLS_VERIFY_CA ? &on : &off);
}

/*
 * A store whose owner is not a superuser must not lend out the server's own
 * identity (src/catalog.h): its connections go over TCP, never the Unix
 * socket that "localhost" means to the library (where unix_socket
 * authentication would log in as the server's OS user), and may only
 * authenticate with the password.  A library that cannot restrict the
 * authentication plugins cannot serve such a store.
 */
#define DS_MY_PASSWORD_PLUGINS \
	"mysql_native_password,caching_sha2_password,sha256_password,client_ed25519,parsec"

static void
apply_owner_limits(const DsMysqlApi *api, MYSQL *mysql, const DsStore *store, bool limited)
{
	unsigned int tcp = MYSQL_PROTOCOL_TCP;

	if (!limited)
		return;
	if (api->mysql_options(mysql, MYSQL_OPT_PROTOCOL, &tcp) != 0 ||
		api->mysql_options(mysql, MARIADB_OPT_RESTRICTED_AUTH, DS_MY_PASSWORD_PLUGINS) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("the MySQL client library cannot restrict datastore \"%s\" to password authentication over TCP",
						store->name),
				 errdetail("Its owner is not a superuser, so it may only log in with its password."),
				 errhint("Use MariaDB Connector/C 3.3 or later, or have a superuser register the store.")));
}

/* DsEscapeFn over mysql_real_escape_string(). */
static char *
escape_for(void *arg, const char *from, size_t len)
{
	DsMyConn   *c = (DsMyConn *) arg;
	char	   *to = palloc(len * 2 + 1);

	c->api->mysql_real_escape_string(c->mysql, to, from, len);
	return to;
}

char *
ds_my_escape(DsConn *conn, const char *from, size_t len)
{
	return escape_for(conn->handle, from, len);
}

/*
 * The session's own statements (StarRocks' session variables), run on
 * every new connection, so a reconnect never silently drops them.
 */
static void
apply_session_statements(DsMyConn *c, const DsStore *store, const DsMySession *session)
{
	ListCell   *lc;

	if (session->statements == NULL)
		return;
	foreach(lc, session->statements(store, escape_for, c))
	{
		const char *sql = lfirst(lc);
		int			err = 0;

		MY_RUN(c, store->name, 0,
			   c->api->mysql_real_query_start(&err, c->mysql, sql, strlen(sql)),
			   c->api->mysql_real_query_cont(&err, c->mysql, MY_READY));
		if (err)
			ereport(ERROR,
					(errcode(my_errcode(c->api->mysql_errno(c->mysql), c->api->mysql_sqlstate(c->mysql))),
					 errmsg("could not set session variable on datastore \"%s\": %s",
							store->name, my_text(c->api->mysql_error(c->mysql))),
					 errdetail("Statement: %s", sql)));
	}
}

void *
ds_my_connect(const DsStore *store, const DsMySession *session)
{
	const DsMysqlApi *api = ds_mysql_api();
	DsMyConn   *c = MemoryContextAllocZero(TopMemoryContext, sizeof(DsMyConn));
	/* Our own deadline (with the clearer message) fires first. */
	unsigned int timeout = ds_connect_timeout + 1;
	unsigned int one = 1;
	TimestampTz deadline;
	MYSQL	   *ret = NULL;

	c->api = api;
	/* Decided now: the side connection that KILLs runs during abort. */
	c->limited = !ds_store_owner_is_superuser(store);
	c->mysql = api->mysql_init(NULL);
	if (c->mysql == NULL)
	{
		pfree(c);
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY),
						errmsg("out of memory in the MySQL client library")));
	}
	api->mysql_options(c->mysql, MYSQL_OPT_NONBLOCK, NULL);
	api->mysql_options(c->mysql, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	api->mysql_options(c->mysql, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	api->mysql_options(c->mysql, MYSQL_OPT_LOCAL_INFILE, &one);
	if (session->utc)
		api->mysql_options(c->mysql, MYSQL_INIT_COMMAND,
						   "SET time_zone = '+00:00', max_error_count = 65535");
	api->mysql_set_local_infile_handler(c->mysql, infile_init, infile_read,
										infile_end, infile_error, c);

	deadline = TimestampTzPlusMilliseconds(GetCurrentTimestamp(),
										   ds_connect_timeout * 1000);
	/* Nothing may leak if the connect fails or is interrupted. */
	PG_TRY();
	{
		apply_owner_limits(api, c->mysql, store, c->limited);
		apply_tls(api, c->mysql, store);
		MY_RUN(c, store->name, deadline,
			   api->mysql_real_connect_start(&ret, c->mysql, store->host, store->user,
											 store->password, store->database,
											 store->port, NULL, CLIENT_MULTI_RESULTS),
			   api->mysql_real_connect_cont(&ret, c->mysql, MY_READY));
		if (ret == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION),
					 errmsg("could not connect to datastore \"%s\": %s",
							store->name, my_text(api->mysql_error(c->mysql))),
					 errdetail("MySQL error %u connecting to %s:%d.",
							   api->mysql_errno(c->mysql), store->host, store->port)));
		apply_session_statements(c, store, session);
	}
	PG_CATCH();
	{
		api->mysql_close(c->mysql);
		pfree(c);
		PG_RE_THROW();
	}
	PG_END_TRY();

	c->thread_id = api->mysql_thread_id(c->mysql);
	return c;
}

/*
 * Stops the connection's statement on the server.  Runs during abort with
 * the client library's own (short) timeouts and never ERRORs.
 */
static void
kill_remote(DsMyConn *c, const DsStore *store)
{
	const DsMysqlApi *api = c->api;
	MYSQL	   *side = api->mysql_init(NULL);
	unsigned int timeout = ds_cancel_timeout;
	char		sql[64];

	if (side == NULL)
		return;
	api->mysql_options(side, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	api->mysql_options(side, MYSQL_OPT_READ_TIMEOUT, &timeout);
	api->mysql_options(side, MYSQL_OPT_WRITE_TIMEOUT, &timeout);
	/* The pool's connection got this far, so these settings are valid. */
	apply_owner_limits(api, side, store, c->limited);
	apply_tls(api, side, store);
	if (api->mysql_real_connect(side, store->host, store->user, store->password,
								NULL, store->port, NULL, 0) == NULL)
		ereport(WARNING,
				(errmsg("could not connect to datastore \"%s\" to stop an abandoned statement: %s",
						store->name, my_text(api->mysql_error(side)))));
	else
	{
		snprintf(sql, sizeof(sql), "KILL %lu", c->thread_id);
		if (api->mysql_real_query(side, sql, strlen(sql)) != 0 &&
			api->mysql_errno(side) != 1094)	/* ER_NO_SUCH_THREAD: gone already */
			ereport(WARNING,
					(errmsg("could not stop an abandoned statement on datastore \"%s\": %s",
							store->name, my_text(api->mysql_error(side)))));
	}
	api->mysql_close(side);
}

void
ds_my_disconnect(void *handle, const DsStore *store, bool abort)
{
	DsMyConn   *c = (DsMyConn *) handle;
	const DsMysqlApi *api = c->api;

	if (abort)
	{
		if (!c->broken)
			kill_remote(c, store);
		/* From here on every read or write fails at once. */
		shutdown(api->mysql_get_socket(c->mysql), SHUT_RDWR);
	}
	if (c->res)
		api->mysql_free_result(c->res);
	if (c->meta)
		api->mysql_free_result(c->meta);
	/* Closing the connection detaches the statement; closing it is then local. */
	api->mysql_close(c->mysql);
	if (c->stmt)
		api->mysql_stmt_close(c->stmt);
	pfree(c);
}

bool
ds_my_alive(void *handle, bool ping)
{
	DsMyConn   *c = (DsMyConn *) handle;
	struct pollfd pfd;
	int			ret = 0;

	/* An idle connection has nothing to read unless the server closed it. */
	pfd.fd = c->api->mysql_get_socket(c->mysql);
	pfd.events = POLLIN;
	pfd.revents = 0;
	if (poll(&pfd, 1, 0) != 0)
		return false;
	if (!ping)
		return true;
	MY_RUN(c, "", TimestampTzPlusMilliseconds(GetCurrentTimestamp(), ds_connect_timeout * 1000),
		   c->api->mysql_ping_start(&ret, c->mysql),
		   c->api->mysql_ping_cont(&ret, c->mysql, MY_READY));
	return ret == 0;
}

/* Releases the statement's library objects; the connection stays usable. */
static void
release_statement(DsMyConn *c, const char *storename)
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
			my_conn_error(conn);
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
				my_conn_error(conn);
			release_statement(c, conn->pool->name);
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
		my_conn_error(conn);
	if (api->mysql_field_count(c->mysql) == 0)
	{
		*affected = api->mysql_affected_rows(c->mysql);
		drain_more_results(conn);
		return NULL;
	}
	c->res = api->mysql_use_result(c->mysql);
	if (c->res == NULL)
		my_conn_error(conn);
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
		my_stmt_error(conn);
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
		my_stmt_error(conn);
}

static DsMyResult *
execute_prepared(DsConn *conn, const char *sql, int nparams, DsMyParam *params,
				 uint64 *affected)
{
	DsMyConn   *c = MYCONN(conn);
	const DsMysqlApi *api = c->api;
	int			err = 0;
	unsigned long expected;
	DsMyResult *res;

	c->stmt = api->mysql_stmt_init(c->mysql);
	if (c->stmt == NULL)
		my_conn_error(conn);
	MY_RUN(c, conn->pool->name, 0,
		   api->mysql_stmt_prepare_start(&err, c->stmt, sql, strlen(sql)),
		   api->mysql_stmt_prepare_cont(&err, c->stmt, MY_READY));
	if (err)
		my_stmt_error(conn);
	expected = api->mysql_stmt_param_count(c->stmt);
	if (expected != (unsigned long) nparams)
	{
		release_statement(c, conn->pool->name);
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
		my_stmt_error(conn);

	c->meta = api->mysql_stmt_result_metadata(c->stmt);
	if (c->meta == NULL)
	{
		*affected = api->mysql_stmt_affected_rows(c->stmt);
		release_statement(c, conn->pool->name);
		return NULL;
	}
	res = new_result(conn, api->mysql_fetch_fields(c->meta), api->mysql_num_fields(c->meta));
	bind_results(conn, res);
	return res;
}

DsMyResult *
ds_my_execute(DsConn *conn, const char *sql, int nparams, DsMyParam *params,
			  uint64 *affected)
{
	DsMyResult *res;

	*affected = 0;
	conn->in_flight = true;
	if (nparams < 0)
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
		my_stmt_error(conn);

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
					my_stmt_error(conn);
				/* Later rows fetch into the grown buffer. */
				if (api->mysql_stmt_bind_result(c->stmt, res->binds))
					my_stmt_error(conn);
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
			my_conn_error(conn);
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

	release_statement(c, conn->pool->name);
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
ds_my_load_data(DsConn *conn, const char *sql, const char *target,
				const char *data, size_t len,
				bool (*idle) (void *arg), void *idle_arg,
				unsigned int *warnings, char **info)
{
	DsMyConn   *c = MYCONN(conn);
	const DsMysqlApi *api = c->api;
	int			err = 0;
	const char *i;

	conn->in_flight = true;
	c->infile_armed = true;
	c->infile_data = data;
	c->infile_len = len;
	c->infile_pos = 0;
	c->idle = idle;
	c->idle_arg = idle_arg;
	PG_TRY();
	{
		MY_RUN(c, conn->pool->name, 0,
			   api->mysql_real_query_start(&err, c->mysql, sql, strlen(sql)),
			   api->mysql_real_query_cont(&err, c->mysql, MY_READY));
	}
	PG_FINALLY();
	{
		c->idle = NULL;
		c->infile_armed = false;
	}
	PG_END_TRY();
	if (err)
	{
		c->load_target = target;
		my_conn_error(conn);
	}
	*warnings = api->mysql_warning_count(c->mysql);
	i = api->mysql_info(c->mysql);
	*info = i ? pstrdup(i) : NULL;
	conn->in_flight = false;
	return api->mysql_affected_rows(c->mysql);
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
