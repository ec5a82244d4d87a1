/*
 * pq_conn.c
 *		Connections to remote PostgreSQL servers through libpq's
 *		non-blocking API.
 *
 * Every network wait goes through WaitLatchOrSocket(), so statement_timeout,
 * pg_cancel_backend() and pg_terminate_backend() act at once.  When such an
 * interrupt (or any ERROR) abandons a statement, the pool closes the
 * connection with abort set and the statement is stopped on the server.
 *
 * The stop is a pg_cancel_backend() sent from a short-lived side connection
 * rather than PQcancel(): libpq 15's PQcancel() waits for the remote
 * postmaster to close the cancel socket with no timeout at all, so a frozen
 * server would hang this backend for good.  The side connection is made and
 * used with the same waits as everything else, within
 * datastore.cancel_timeout; when it cannot be made the connection is closed
 * anyway, which ends the remote session at its next read.
 *
 * Remote notices are copied into fixed buffers by the notice receiver (it
 * runs inside libpq, where an ERROR must not longjmp) and relayed as
 * NOTICE or WARNING once the libpq call has returned.
 */
#include "postgres.h"

#include <poll.h>

#include "core/compat.h"
#include "mb/pg_wchar.h"
#include "access/htup_details.h"
#include "miscadmin.h"
#include "storage/latch.h"
#include "utils/memutils.h"
#include "utils/wait_event.h"

#include "core/wait.h"
#include "core/settings.h"
#include "postgres/pq_conn.h"

#define DS_PQ_NOTICES 4
#define DS_PQ_NOTICE_LEN 512
#define DS_PQ_MAX_KEYWORDS 18

typedef struct DsPqConn
{
	const DsPqApi *api;
	PGconn	   *pg;
	bool		broken;			/* the link failed; never talk to it again */
	bool		limited;		/* the owner is no superuser: passwords only */
	/* connection settings, kept for the side connection that cancels */
	const char *keywords[DS_PQ_MAX_KEYWORDS + 1];
	const char *values[DS_PQ_MAX_KEYWORDS + 1];
	char		port[16];
	/* remote notices not yet relayed */
	int			nnotices;
	int			dropped;
	bool		notice_warning[DS_PQ_NOTICES];
	char		notices[DS_PQ_NOTICES][DS_PQ_NOTICE_LEN];
} DsPqConn;

#define PQCONN(conn) ((DsPqConn *) (conn)->handle)

typedef enum
{
	WAIT_READY,
	WAIT_TIMEOUT
} WaitResult;

const DsPqApi *
ds_pq_api_of(DsConn *conn)
{
	return PQCONN(conn)->api;
}

void
ds_pq_check_encoding(DsConn *conn)
{
	DsPqConn   *c = PQCONN(conn);

	if (c->api->PQclientEncoding(c->pg) == GetDatabaseEncoding())
		return;
	c->broken = true;
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("a statement changed the client_encoding of a connection to datastore \"%s\"",
					conn->pool->name),
			 errdetail("Text from the remote server is read as %s, this database's encoding; the connection was closed.",
					   GetDatabaseEncodingName()),
			 errhint("Leave client_encoding alone: the server converts text to this database's encoding.")));
}

int
ds_pq_server_version(DsConn *conn)
{
	DsPqConn   *c = PQCONN(conn);

	return c->api->PQserverVersion(c->pg);
}

/*
 * Waits until the socket is ready as asked, or the deadline (0: none).
 * Interrupts are served only when interruptible: cleanup during abort must
 * finish its (bounded) work.
 */
static WaitResult
pq_wait(pgsocket sock, bool rd, bool wr, TimestampTz deadline, bool interruptible)
{
	int			want = (rd ? DS_WAIT_READABLE : 0) | (wr ? DS_WAIT_WRITEABLE : 0);

	for (;;)
	{
		int			rc = ds_wait_socket(sock, want, -1, deadline, interruptible,
										DS_WAIT_EVENT_POSTGRES);

		if (rc & DS_WAIT_DEADLINE)
			return WAIT_TIMEOUT;
		if (rc & (DS_WAIT_READABLE | DS_WAIT_WRITEABLE))
			return WAIT_READY;
	}
}

/* libpq's message, one line, with the password masked should it appear. */
static char *
clean_message(const char *msg, const char *password)
{
	StringInfoData buf;
	const char *p = msg ? msg : "";
	size_t		pwlen = password ? strlen(password) : 0;
	int			len;

	initStringInfo(&buf);
	while (*p)
	{
		if (pwlen > 0 && strncmp(p, password, pwlen) == 0)
		{
			appendStringInfoString(&buf, "********");
			p += pwlen;
			continue;
		}
		appendStringInfoChar(&buf, *p++);
	}
	/* Remote text goes into our messages only as far as it is valid. */
	len = pg_encoding_verifymbstr(GetDatabaseEncoding(), buf.data, buf.len);
	while (len > 0 && (buf.data[len - 1] == '\n' || buf.data[len - 1] == ' '))
		len--;
	buf.data[len] = '\0';
	buf.len = len;
	return buf.data;
}

/* Runs inside libpq: copies, never allocates or raises. */
static void
notice_receiver(void *arg, const PGresult *res)
{
	DsPqConn   *c = (DsPqConn *) arg;
	const char *severity = c->api->PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED);
	const char *msg = c->api->PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);

	/*
	 * libpq hands an error that arrives on an idle connection to the notice
	 * receiver; a FATAL one is the server saying why it is about to hang up
	 * (a shutdown, pg_terminate_backend).  The connection is gone even if
	 * the socket has not yet said so.
	 */
	if (severity && (strcmp(severity, "FATAL") == 0 || strcmp(severity, "PANIC") == 0))
	{
		c->broken = true;
		return;
	}
	if (c->nnotices >= DS_PQ_NOTICES)
	{
		c->dropped++;
		return;
	}
	c->notice_warning[c->nnotices] = severity && strcmp(severity, "WARNING") == 0;
	strlcpy(c->notices[c->nnotices], msg ? msg : "", DS_PQ_NOTICE_LEN);
	c->nnotices++;
}

static void
relay_notices(DsPqConn *c)
{
	int			n = c->nnotices;
	int			dropped = c->dropped;

	c->nnotices = 0;
	c->dropped = 0;
	for (int i = 0; i < n; i++)
		ereport(c->notice_warning[i] ? WARNING : NOTICE,
				(errmsg_internal("%s", clean_message(c->notices[i], NULL)),
				 errdetail("Relayed from the remote server.")));
	if (dropped > 0)
		ereport(NOTICE,
				(errmsg("%d more remote notices were not relayed", dropped)));
}

static void
add_keyword(DsPqConn *c, int *n, const char *keyword, const char *value)
{
	if (value == NULL)
		return;
	Assert(*n < DS_PQ_MAX_KEYWORDS);
	c->keywords[*n] = keyword;
	c->values[*n] = MemoryContextStrdup(TopMemoryContext, value);
	(*n)++;
	c->keywords[*n] = NULL;
	c->values[*n] = NULL;
}

/*
 * The connection parameters.  The client encoding is the database's, so
 * text arrives ready to use.  options->'ssl' maps one to one onto libpq's
 * sslmode and files.
 */
static void
build_params(DsPqConn *c, const DsStore *store)
{
	static const char *const sslmodes[] = {"disable", "prefer", "require", "verify-ca", "verify-full"};
	DsTls		tls;
	int			n = 0;

	ds_store_tls(store, &tls);
	add_keyword(c, &n, "host", store->host);
	if (store->port > 0)
	{
		snprintf(c->port, sizeof(c->port), "%d", store->port);
		add_keyword(c, &n, "port", c->port);
	}
	add_keyword(c, &n, "user", store->user);
	add_keyword(c, &n, "password", store->password);
	add_keyword(c, &n, "dbname", store->database);
	add_keyword(c, &n, "application_name", "datastore");
	add_keyword(c, &n, "client_encoding", GetDatabaseEncodingName());
	add_keyword(c, &n, "sslmode", sslmodes[tls.mode]);
	if (tls.ca == NULL && tls.mode >= DS_TLS_VERIFY_CA)
	{
		/* The system's roots; before libpq 16 it would read ~/.postgresql/root.crt. */
		if (c->api->PQlibVersion() < 160000)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("ssl mode %s for datastore \"%s\" needs a ca with libpq %d",
							sslmodes[tls.mode], store->name, c->api->PQlibVersion() / 10000),
					 errhint("Name the CA file (ssl ca, a superuser's store), or use libpq 16 or later, which can trust the system's roots.")));
		add_keyword(c, &n, "sslrootcert", "system");
	}
	else
		add_keyword(c, &n, "sslrootcert", tls.ca);
	add_keyword(c, &n, "sslcert", tls.cert);
	add_keyword(c, &n, "sslkey", tls.key);

	/*
	 * libpq would otherwise present the server OS user's own certificate
	 * (~/.postgresql/postgresql.crt) for a store that names none: only a
	 * superuser's store may lend out the server's identity.  A path that
	 * cannot exist makes libpq send no certificate, on every version.
	 */
	if (tls.cert == NULL && c->limited)
		add_keyword(c, &n, "sslcert", "/dev/null/datastore-sends-no-client-certificate");

	/*
	 * Without a verified server, a man in the middle could ask for the
	 * password in clear; libpq 16 can refuse to send it that way.
	 */
	if (c->limited && c->api->PQlibVersion() >= 160000)
		add_keyword(c, &n, "require_auth", "!password");
}

static void
free_conn(DsPqConn *c)
{
	for (int i = 0; c->keywords[i] != NULL; i++)
		pfree((char *) c->values[i]);
	pfree(c);
}

/* Drives PQconnectPoll() to the end; false on failure or timeout. */
static bool
poll_connect(const DsPqApi *api, PGconn *pg, TimestampTz deadline,
			 bool interruptible, bool *timed_out)
{
	PostgresPollingStatusType st = PGRES_POLLING_WRITING;

	*timed_out = false;
	if (pg == NULL || api->PQstatus(pg) == CONNECTION_BAD)
		return false;
	for (;;)
	{
		if (st == PGRES_POLLING_OK)
			return true;
		if (st == PGRES_POLLING_FAILED)
			return false;
		/* The socket can change between attempts (several addresses). */
		if (pq_wait(api->PQsocket(pg), st == PGRES_POLLING_READING,
					st == PGRES_POLLING_WRITING, deadline, interruptible) == WAIT_TIMEOUT)
		{
			*timed_out = true;
			return false;
		}
		st = api->PQconnectPoll(pg);
	}
}

/* Sends what libpq has queued; false on failure or timeout. */
static bool
flush_output(const DsPqApi *api, PGconn *pg, TimestampTz deadline, bool interruptible)
{
	for (;;)
	{
		int			r = api->PQflush(pg);

		if (r == 0)
			return true;
		if (r < 0)
			return false;
		/* Read too: the server may be waiting for us to take its output. */
		if (pq_wait(api->PQsocket(pg), true, true, deadline, interruptible) == WAIT_TIMEOUT)
			return false;
		if (!api->PQconsumeInput(pg))
			return false;
	}
}

/* The next result, waiting as needed; NULL at the end or on failure. */
static PGresult *
get_result(const DsPqApi *api, PGconn *pg, TimestampTz deadline, bool interruptible,
		   bool *failed)
{
	*failed = false;
	while (api->PQisBusy(pg))
	{
		if (pq_wait(api->PQsocket(pg), true, false, deadline, interruptible) == WAIT_TIMEOUT ||
			!api->PQconsumeInput(pg))
		{
			*failed = true;
			return NULL;
		}
	}
	return api->PQgetResult(pg);
}

/* A statement at connect time or in cleanup; false if it failed. */
static bool
run_simple(const DsPqApi *api, PGconn *pg, const char *sql, int nparams,
		   const char *const *params, TimestampTz deadline, bool interruptible)
{
	bool		ok;
	bool		failed;
	PGresult   *res;

	ok = (nparams > 0 ? api->PQsendQueryParams(pg, sql, nparams, NULL, params, NULL, NULL, 0)
		  : api->PQsendQuery(pg, sql));
	/* Rows a server sends here anyway are dropped one by one, never held. */
	if (ok)
		(void) api->PQsetSingleRowMode(pg);
	ok = ok && flush_output(api, pg, deadline, interruptible);
	while (ok)
	{
		res = get_result(api, pg, deadline, interruptible, &failed);
		if (res == NULL)
		{
			ok = !failed;
			break;
		}
		if (api->PQresultStatus(res) != PGRES_COMMAND_OK &&
			api->PQresultStatus(res) != PGRES_TUPLES_OK &&
			api->PQresultStatus(res) != PGRES_SINGLE_TUPLE &&
			api->PQresultStatus(res) != PGRES_EMPTY_QUERY)
			ok = false;
		api->PQclear(res);
	}
	return ok;
}

/*
 * Session settings under which values print the same on every server, as
 * postgres_fdw sets them: ISO dates (parsed back here without ambiguity),
 * the default interval style, floats with every digit even on servers
 * older than 12.
 */
#define DS_PQ_SESSION_SETUP \
	"SET DateStyle = ISO; SET IntervalStyle = postgres; SET extra_float_digits = 3"

/* libpq's first line is the message; its further lines are hints. */
pg_noreturn static void
connect_error(const DsStore *store, char *msg)
{
	char	   *nl = strchr(msg, '\n');
	char	   *rest = NULL;

	if (nl != NULL)
	{
		*nl = '\0';
		for (rest = nl + 1; *rest == '\t' || *rest == ' ' || *rest == '\n'; rest++)
			;
	}
	ereport(ERROR,
			(errcode(ERRCODE_SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION),
			 errmsg("could not connect to datastore \"%s\": %s", store->name, msg),
			 rest && *rest ? errdetail_internal("%s", rest) : 0));
}

static void *
pq_connect(const DsStore *store)
{
	const DsPqApi *api = ds_pq_api();
	DsPqConn   *c = MemoryContextAllocZero(TopMemoryContext, sizeof(DsPqConn));
	TimestampTz deadline;

	c->api = api;
	/* Decided now: the side connection that cancels runs during abort. */
	c->limited = !ds_store_owner_is_superuser(store);
	/*
	 * As postgres_fdw does: a store whose owner is not a superuser must
	 * authenticate with its own password, or it could borrow the server's
	 * trust, peer or ~/.pgpass credentials.
	 */
	if (c->limited && store->password == NULL)
	{
		pfree(c);
		ereport(ERROR,
				(errcode(ERRCODE_S_R_E_PROHIBITED_SQL_STATEMENT_ATTEMPTED),
				 errmsg("password is required to connect to datastore \"%s\"", store->name),
				 errdetail("The store's owner is not a superuser."),
				 errhint("Register the store with a password or a password_file.")));
	}
	build_params(c, store);
	deadline = TimestampTzPlusMilliseconds(GetCurrentTimestamp(), ds_connect_timeout * 1000);

	/* Nothing may leak if the connect fails or is interrupted. */
	PG_TRY();
	{
		bool		timed_out;

		c->pg = api->PQconnectStartParams(c->keywords, c->values, 0);
		if (c->pg == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("out of memory in libpq")));
		if (!poll_connect(api, c->pg, deadline, true, &timed_out))
		{
			if (timed_out)
				ereport(ERROR,
						(errcode(ERRCODE_SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION),
						 errmsg("could not connect to datastore \"%s\": timeout after %d s",
								store->name, ds_connect_timeout),
						 errhint("Check host and port, or raise datastore.connect_timeout.")));
			connect_error(store, clean_message(api->PQerrorMessage(c->pg), store->password));
		}
		if (c->limited && !api->PQconnectionUsedPassword(c->pg))
			ereport(ERROR,
					(errcode(ERRCODE_S_R_E_PROHIBITED_SQL_STATEMENT_ATTEMPTED),
					 errmsg("password is required to connect to datastore \"%s\"", store->name),
					 errdetail("The remote server did not ask for the password, and the store's owner is not a superuser."),
					 errhint("Make the remote server authenticate this user with a password.")));
		if (api->PQsetnonblocking(c->pg, 1) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_CONNECTION_FAILURE),
					 errmsg("could not make the connection to datastore \"%s\" non-blocking", store->name)));
		api->PQsetNoticeReceiver(c->pg, notice_receiver, c);
		if (!run_simple(api, c->pg, DS_PQ_SESSION_SETUP, 0, NULL, deadline, true))
			ereport(ERROR,
					(errcode(ERRCODE_SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION),
					 errmsg("could not set up the session on datastore \"%s\": %s", store->name,
							clean_message(api->PQerrorMessage(c->pg), store->password))));
		c->nnotices = 0;
	}
	PG_CATCH();
	{
		if (c->pg)
			api->PQfinish(c->pg);
		free_conn(c);
		PG_RE_THROW();
	}
	PG_END_TRY();
	return c;
}

/*
 * Stops the connection's statement on the server from a side connection,
 * within datastore.cancel_timeout.  Runs during abort: never ERRORs.
 */
static void
cancel_remote(DsPqConn *c, const DsStore *store)
{
	const DsPqApi *api = c->api;
	TimestampTz deadline = TimestampTzPlusMilliseconds(GetCurrentTimestamp(),
													   ds_cancel_timeout * 1000);
	char		pid[16];
	const char *params[1] = {pid};
	PGconn	   *side;
	bool		timed_out;
	bool		ok = false;

	const char *keywords[DS_PQ_MAX_KEYWORDS + 4];
	const char *values[DS_PQ_MAX_KEYWORDS + 4];
	const char *hostaddr = api->PQhostaddr(c->pg);
	int			n = 0;
	bool		refused = false;

	/*
	 * The server the connection is on, and no other: a host list or a name
	 * with several addresses must not let the side connection land on
	 * another server (where the same user may need no password), nor a
	 * server of the store's choosing tell it which backend to cancel there.
	 */
	for (int i = 0; c->keywords[i] != NULL; i++)
		if (strcmp(c->keywords[i], "host") != 0 && strcmp(c->keywords[i], "port") != 0)
		{
			keywords[n] = c->keywords[i];
			values[n++] = c->values[i];
		}
	keywords[n] = "host";
	values[n++] = api->PQhost(c->pg);
	keywords[n] = "port";
	values[n++] = api->PQport(c->pg);
	if (hostaddr && hostaddr[0] != '\0')
	{
		keywords[n] = "hostaddr";
		values[n++] = hostaddr;
	}
	keywords[n] = NULL;
	values[n] = NULL;

	snprintf(pid, sizeof(pid), "%d", api->PQbackendPID(c->pg));
	side = api->PQconnectStartParams(keywords, values, 0);
	if (poll_connect(api, side, deadline, false, &timed_out) &&
		api->PQsetnonblocking(side, 1) == 0)
	{
		/* The same password rule as for the connection it cancels for. */
		if (c->limited && !api->PQconnectionUsedPassword(side))
			refused = true;
		else
			ok = run_simple(api, side, "SELECT pg_catalog.pg_cancel_backend($1::pg_catalog.int4)", 1, params,
							deadline, false);
	}
	if (!ok)
		ereport(WARNING,
				(errmsg("could not stop an abandoned statement on datastore \"%s\"", store->name),
				 errdetail("%s", refused ? "The server did not ask the side connection for the password." :
						   timed_out ? "No answer within datastore.cancel_timeout." :
						   side ? clean_message(api->PQerrorMessage(side), store->password) :
						   "out of memory"),
				 errhint("Closing the connection ends the remote session once it next reads.")));
	if (side)
		api->PQfinish(side);
}

static void
pq_disconnect(void *handle, const DsStore *store, bool abort)
{
	DsPqConn   *c = (DsPqConn *) handle;
	const DsPqApi *api = c->api;

	if (abort && !c->broken && api->PQstatus(c->pg) == CONNECTION_OK &&
		api->PQtransactionStatus(c->pg) == PQTRANS_ACTIVE)
		cancel_remote(c, store);
	/* Non-blocking: the goodbye message is dropped rather than waited for. */
	api->PQfinish(c->pg);
	free_conn(c);
}

static bool
pq_alive(void *handle, bool ping)
{
	DsPqConn   *c = (DsPqConn *) handle;
	const DsPqApi *api = c->api;
	struct pollfd pfd;
	PGnotify   *notify;

	if (c->broken || api->PQstatus(c->pg) != CONNECTION_OK)
		return false;
	/* An idle connection has nothing to read unless the server said bye. */
	pfd.fd = api->PQsocket(c->pg);
	pfd.events = POLLIN;
	pfd.revents = 0;
	if (poll(&pfd, 1, 0) != 0)
	{
		if (!api->PQconsumeInput(c->pg) || api->PQstatus(c->pg) != CONNECTION_OK)
			return false;
		/* Parses what came: a FATAL goodbye marks the connection broken. */
		(void) api->PQisBusy(c->pg);
		if (c->broken)
			return false;
		while ((notify = api->PQnotifies(c->pg)) != NULL)
			api->PQfreemem(notify);
	}
	c->nnotices = 0;
	if (!ping)
		return true;
	return run_simple(api, c->pg, "", 0, NULL,
					  TimestampTzPlusMilliseconds(GetCurrentTimestamp(), ds_connect_timeout * 1000),
					  true);
}

const DsDriver ds_pq_driver = {
	.name = "libpq",
	.connect = pq_connect,
	.disconnect = pq_disconnect,
	.alive = pq_alive,
};

/* The link failed: ERROR; the pool drops the connection when it is next checked. */
pg_noreturn static void
conn_error(DsConn *conn)
{
	DsPqConn   *c = PQCONN(conn);

	c->broken = true;
	conn->pool->errors++;
	ereport(ERROR,
			(errcode(ERRCODE_CONNECTION_FAILURE),
			 errmsg("lost the connection to datastore \"%s\": %s", conn->pool->name,
					clean_message(c->api->PQerrorMessage(c->pg), conn->pool->store->password))));
}

void
ds_pq_send(DsConn *conn, const char *sql, const DsParams *params, bool single_row)
{
	DsPqConn   *c = PQCONN(conn);
	const DsPqApi *api = c->api;
	int			ok;

	conn->in_flight = true;
	if (params == NULL || params->count == 0)
		ok = api->PQsendQuery(c->pg, sql);
	else
	{
		const char **values = palloc(sizeof(char *) * params->count);

		for (int i = 0; i < params->count; i++)
			values[i] = params->items[i].kind == DS_PARAM_NULL ? NULL : params->items[i].text;
		/* Type 0 everywhere: the server infers each one from the statement. */
		ok = api->PQsendQueryParams(c->pg, sql, params->count, NULL, values, NULL, NULL, 0);
		pfree(values);
	}
	if (!ok)
	{
		/* Refused before anything was sent (too many params, link gone). */
		if (api->PQstatus(c->pg) != CONNECTION_OK)
			conn_error(conn);
		conn->in_flight = false;
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("could not send a statement to datastore \"%s\": %s", conn->pool->name,
						clean_message(api->PQerrorMessage(c->pg), NULL))));
	}
	if (single_row)
		api->PQsetSingleRowMode(c->pg);
	if (!flush_output(api, c->pg, 0, true))
		conn_error(conn);
}

/* Waits for the next result; ERROR if the link fails meanwhile. */
static PGresult *
next_raw(DsConn *conn)
{
	DsPqConn   *c = PQCONN(conn);
	bool		failed;
	PGresult   *res = get_result(c->api, c->pg, 0, true, &failed);

	if (failed)
		conn_error(conn);
	if (c->nnotices > 0)
		relay_notices(c);
	return res;
}

/*
 * Raises a remote error as the remote server reported it, as postgres_fdw
 * does.  The statement's remaining results are read first, so a server
 * error leaves the connection clean for the pool.
 */
pg_noreturn static void
remote_error(DsConn *conn, PGresult *res)
{
	DsPqConn   *c = PQCONN(conn);
	const DsPqApi *api = c->api;
	const char *state = api->PQresultErrorField(res, PG_DIAG_SQLSTATE);
	const char *primary = api->PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	const char *detail = api->PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
	const char *hint = api->PQresultErrorField(res, PG_DIAG_MESSAGE_HINT);
	const char *context = api->PQresultErrorField(res, PG_DIAG_CONTEXT);
	int			code = ERRCODE_CONNECTION_FAILURE;
	char	   *msg;

	/* libpq's own failures carry no SQLSTATE; a server's must be one. */
	if (state && strlen(state) == 5 && strspn(state, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") == 5)
		code = MAKE_SQLSTATE(state[0], state[1], state[2], state[3], state[4]);
	else if (state)
		code = ERRCODE_FDW_ERROR;
	msg = clean_message(primary ? primary : api->PQresultErrorMessage(res),
						conn->pool->store->password);
	detail = detail ? clean_message(detail, conn->pool->store->password) : NULL;
	hint = hint ? clean_message(hint, conn->pool->store->password) : NULL;
	context = context ? clean_message(context, conn->pool->store->password) : NULL;
	api->PQclear(res);
	conn->pool->errors++;

	if (api->PQstatus(c->pg) != CONNECTION_OK)
		c->broken = true;
	else
	{
		PGresult   *rest;

		while ((rest = next_raw(conn)) != NULL)
			api->PQclear(rest);
		conn->in_flight = false;
	}
	ereport(ERROR,
			(errcode(code),
			 errmsg_internal("%s", msg),
			 detail ? errdetail_internal("%s", detail) : 0,
			 hint ? errhint("%s", hint) : 0,
			 context ? errcontext("remote %s", context) : 0));
}

typedef struct TrackedResult
{
	MemoryContextCallback cb;
	const DsPqApi *api;
	PGresult   *res;
} TrackedResult;

static void
clear_tracked(void *arg)
{
	TrackedResult *t = (TrackedResult *) arg;

	t->api->PQclear(t->res);
}

PGresult *
ds_pq_next_result(DsConn *conn)
{
	DsPqConn   *c = PQCONN(conn);
	/* Allocated first, so that nothing can fail between result and tracking. */
	TrackedResult *t = palloc(sizeof(TrackedResult));
	PGresult   *res = next_raw(conn);

	if (res == NULL)
	{
		pfree(t);
		conn->in_flight = false;
		return NULL;
	}
	if (c->api->PQresultStatus(res) == PGRES_FATAL_ERROR)
		remote_error(conn, res);
	/* No PostgreSQL result has more columns than a tuple can. */
	if (c->api->PQnfields(res) > MaxTupleAttributeNumber)
	{
		int			n = c->api->PQnfields(res);

		c->api->PQclear(res);
		ds_pq_bad_answer(conn, "a query result", psprintf("%d columns", n));
	}
	t->api = c->api;
	t->res = res;
	t->cb.func = clear_tracked;
	t->cb.arg = t;
	MemoryContextRegisterResetCallback(CurrentMemoryContext, &t->cb);
	return res;
}

PGresult *
ds_pq_next_result_in(DsConn *conn, MemoryContext tmp)
{
	MemoryContext old;
	PGresult   *res;

	MemoryContextReset(tmp);
	old = MemoryContextSwitchTo(tmp);
	res = ds_pq_next_result(conn);
	MemoryContextSwitchTo(old);
	return res;
}

void
ds_pq_each_row(DsConn *conn, const char *sql, const DsParams *params, int ncolumns,
			   const char *what, DsPqRowFn fn, void *arg)
{
	const DsPqApi *api = PQCONN(conn)->api;
	MemoryContext tmp = AllocSetContextCreate(CurrentMemoryContext, "datastore remote rows",
											  ALLOCSET_SMALL_SIZES);
	PGresult   *res;

	ds_pq_send(conn, sql, params, true);
	/* A row at a time, however many a server sends. */
	while ((res = ds_pq_next_result_in(conn, tmp)) != NULL)
	{
		if (api->PQresultStatus(res) != PGRES_SINGLE_TUPLE)
			continue;
		/* The server's answer, so its shape is checked before any value is read. */
		if (api->PQnfields(res) != ncolumns)
			ds_pq_bad_answer(conn, what, psprintf("%d columns instead of %d",
												  api->PQnfields(res), ncolumns));
		for (int r = 0; r < api->PQntuples(res); r++)
			fn(conn, res, r, arg);
	}
	MemoryContextDelete(tmp);
}

uint64
ds_pq_cmd_tuples(DsConn *conn, PGresult *res)
{
	const char *n = PQCONN(conn)->api->PQcmdTuples(res);
	char	   *end;
	uint64		count;

	if (n == NULL || *n == '\0')
		return 0;
	errno = 0;
	count = strtou64(n, &end, 10);
	if (errno != 0 || *end != '\0')
		ds_pq_bad_answer(conn, "a command's row count", psprintf("\"%s\"", ds_pq_excerpt(n)));
	return count;
}

char *
ds_pq_excerpt(const char *s)
{
	int			len = strnlen(s, 64);

	/* The server's text, shown only as far as it is valid. */
	return pnstrdup(s, pg_encoding_verifymbstr(GetDatabaseEncoding(), s, len));
}

void
ds_pq_bad_answer(DsConn *conn, const char *what, const char *why)
{
	/* Whatever else it sends, nobody reads it: the connection is closed. */
	PQCONN(conn)->broken = true;
	conn->pool->errors++;
	ereport(ERROR,
			(errcode(ERRCODE_FDW_ERROR),
			 errmsg("datastore \"%s\" sent an answer of the wrong shape for %s", conn->pool->name, what),
			 errdetail_internal("%s.", why),
			 errhint("The server is not behaving as PostgreSQL does; the connection was closed.")));
}

uint64
ds_pq_command(DsConn *conn, const char *sql)
{
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext, "datastore pq command",
											  ALLOCSET_SMALL_SIZES);
	MemoryContext old = MemoryContextSwitchTo(cxt);
	uint64		count = 0;
	PGresult   *res;

	/* Rows (a merge's RETURNING, or a server's whim) come and go one at a time. */
	ds_pq_send(conn, sql, NULL, true);
	for (;;)
	{
		ExecStatusType st;

		MemoryContextReset(cxt);
		if ((res = ds_pq_next_result(conn)) == NULL)
			break;
		st = PQCONN(conn)->api->PQresultStatus(res);
		if (st == PGRES_COPY_IN || st == PGRES_COPY_OUT || st == PGRES_COPY_BOTH)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("COPY to or from the client is not supported here"),
					 errhint("Use ds_stream_load to copy rows into a remote table.")));
		if (st != PGRES_SINGLE_TUPLE)
			count = ds_pq_cmd_tuples(conn, res);
	}
	MemoryContextSwitchTo(old);
	MemoryContextDelete(cxt);
	return count;
}

void
ds_pq_copy_begin(DsConn *conn, const char *sql)
{
	DsPqConn   *c = PQCONN(conn);
	PGresult   *res;

	/* Single-row mode: a server that answers with rows is not buffered whole. */
	ds_pq_send(conn, sql, NULL, true);
	res = next_raw(conn);
	if (res != NULL && c->api->PQresultStatus(res) == PGRES_FATAL_ERROR)
		remote_error(conn, res);
	if (res == NULL || c->api->PQresultStatus(res) != PGRES_COPY_IN)
	{
		/* Still in_flight: the pool drops a connection in this state. */
		if (res)
			c->api->PQclear(res);
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("datastore \"%s\" did not start the COPY", conn->pool->name)));
	}
	c->api->PQclear(res);
}

bool
ds_pq_copy_put(DsConn *conn, const char *data, int len)
{
	DsPqConn   *c = PQCONN(conn);
	const DsPqApi *api = c->api;

	/* The previous piece must be on its way before this one is queued. */
	if (!flush_output(api, c->pg, 0, true))
		conn_error(conn);
	for (;;)
	{
		int			r = api->PQputCopyData(c->pg, data, len);

		if (r < 0)
		{
			if (api->PQstatus(c->pg) != CONNECTION_OK)
				conn_error(conn);
			return false;
		}
		if (r == 1)
			break;
		if (pq_wait(api->PQsocket(c->pg), true, true, 0, true) == WAIT_READY &&
			!api->PQconsumeInput(c->pg))
			conn_error(conn);
	}
	/* Send what the socket takes now; the rest goes out before the next piece. */
	if (api->PQflush(c->pg) < 0)
		conn_error(conn);
	return true;
}

void
ds_pq_copy_push(DsConn *conn)
{
	DsPqConn   *c = PQCONN(conn);

	if (c->api->PQflush(c->pg) < 0)
		conn_error(conn);
}

uint64
ds_pq_copy_end(DsConn *conn)
{
	DsPqConn   *c = PQCONN(conn);
	const DsPqApi *api = c->api;
	uint64		rows = 0;
	PGresult   *res;

	for (;;)
	{
		int			r = api->PQputCopyEnd(c->pg, NULL);

		if (r == 1)
		{
			if (!flush_output(api, c->pg, 0, true))
				conn_error(conn);
			break;
		}
		if (r < 0)
		{
			/* Ended by the server already: its error is among the results. */
			if (api->PQstatus(c->pg) != CONNECTION_OK)
				conn_error(conn);
			break;
		}
		if (pq_wait(api->PQsocket(c->pg), true, true, 0, true) == WAIT_READY &&
			!api->PQconsumeInput(c->pg))
			conn_error(conn);
	}
	while ((res = next_raw(conn)) != NULL)
	{
		if (api->PQresultStatus(res) == PGRES_FATAL_ERROR)
			remote_error(conn, res);
		rows = ds_pq_cmd_tuples(conn, res);
		api->PQclear(res);
	}
	conn->in_flight = false;
	return rows;
}
