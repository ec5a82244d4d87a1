/*
 * mysql_conn.c
 *		Connections to MySQL-protocol servers, driven through the client
 *		library's non-blocking API.
 *
 * Every network wait goes through ds_wait_socket() (core/wait.c), so statement_timeout,
 * pg_cancel_backend() and pg_terminate_backend() act at once.  When such an
 * interrupt (or any ERROR) abandons a statement, the pool closes the
 * connection with abort set: the statement is stopped on the server with
 * KILL from a short-lived side connection (MySQL 8.3 removed mysql_kill()),
 * the socket is shut down so that freeing the half-read result cannot block,
 * and only then are the library's handles released.
 *
 * Over TLS the non-blocking API gives way only if the socket itself does
 * (see keep_nonblocking()).
 */
#include "postgres.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>

#include "miscadmin.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include <errmsg.h>

#include "core/settings.h"
#include "core/wait.h"
#include "mysql/mysql_conn.h"
#include "mysql/mysql_int.h"
#include "mysql/placeholders.h"

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
int
ds_my_wait(DsMyConn *c, int status, TimestampTz deadline, const char *storename)
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
		int			want = 0;
		long		timeout = -1;
		int			rc;
		int			result = 0;

		if (status & (MYSQL_WAIT_READ | MYSQL_WAIT_EXCEPT))
			want |= DS_WAIT_READABLE;
		if (status & MYSQL_WAIT_WRITE)
			want |= DS_WAIT_WRITEABLE;
		if (status & MYSQL_WAIT_TIMEOUT)
			timeout = c->api->mysql_get_timeout_value_ms(c->mysql);
		rc = ds_wait_socket(sock, want, timeout, deadline, true, DS_WAIT_EVENT_MYSQL);
		if (rc & DS_WAIT_DEADLINE)
		{
			c->broken = true;
			ereport(ERROR,
					(errcode(ERRCODE_SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION),
					 errmsg("could not connect to datastore \"%s\": timeout after %d s",
							storename, ds_connect_timeout),
					 errhint("Check host and port, or raise datastore.connect_timeout.")));
		}
		if (rc & DS_WAIT_READABLE)
			result |= MYSQL_WAIT_READ;
		if (rc & DS_WAIT_WRITEABLE)
			result |= MYSQL_WAIT_WRITE;
		if ((rc & DS_WAIT_TIMEOUT) && (status & MYSQL_WAIT_TIMEOUT))
			result |= MYSQL_WAIT_TIMEOUT;
		if (result != 0)
			return result;
	}
}

/*
 * Connector/C's non-blocking API reads and writes a plain connection with
 * MSG_DONTWAIT, whatever the socket's mode, but a TLS one with SSL_read()
 * and SSL_write(), which hand the wait back to us (MYSQL_WAIT_READ/WRITE)
 * only when OpenSSL's read() or write() on the socket would block, that is
 * when the socket is non-blocking.  The library leaves the socket of an
 * established connection blocking, with no read timeout: so a TLS
 * statement on a server that stops answering (SIGSTOP, a dead link) would
 * block in read() for good, and neither statement_timeout nor a cancel got
 * through.  The socket of a TLS connection is therefore made non-blocking
 * once it is established, and checked again at every checkout.
 *
 * The library keeps its own idea of the socket's mode, and it stays
 * "blocking": a blocking call (mysql_close) "switches back" to blocking mode
 * without touching the socket, and its TLS reads and writes then poll()
 * when OpenSSL would block, as they should.  Not during the TLS handshake:
 * the library would poll() the connect timeout's seconds as milliseconds,
 * and there a server that stops answering is bounded by the socket timeout
 * it sets (datastore.connect_timeout + 1 s).
 */
static void
keep_nonblocking(DsMyConn *c)
{
	pgsocket	sock;
	int			flags;

	if (!c->tls)
		return;
	sock = c->api->mysql_get_socket(c->mysql);
	if (sock == PGINVALID_SOCKET)
		return;
	flags = fcntl(sock, F_GETFL);
	if (flags != -1 && !(flags & O_NONBLOCK))
		(void) fcntl(sock, F_SETFL, flags | O_NONBLOCK);
}

/*
 * options->'ssl' for the MySQL protocol.  Connector/C checks the host name
 * whenever it verifies the certificate, so verify-ca is verify-full here.
 *
 * Connector/C asks for TLS once any TLS option is set, and when the server
 * offers none it goes on in the clear unless it verifies the server's
 * certificate: so require is checked after the handshake (check_tls), not
 * left to the library.  prefer sets the cipher list to OpenSSL's default
 * when no file is named, which is such an option: TLS whenever the server
 * offers it, as libpq's prefer, its certificate not checked.
 */
static bool
apply_tls(const DsMysqlApi *api, MYSQL *mysql, const DsStore *store)
{
	DsTls		tls;
	my_bool		on = 1;
	my_bool		off = 0;

	ds_store_tls(store, &tls);
	if (tls.mode == DS_TLS_DISABLE)
		return false;
	if (tls.ca)
		api->mysql_options(mysql, MYSQL_OPT_SSL_CA, tls.ca);
	if (tls.cert)
		api->mysql_options(mysql, MYSQL_OPT_SSL_CERT, tls.cert);
	if (tls.key)
		api->mysql_options(mysql, MYSQL_OPT_SSL_KEY, tls.key);
	if (tls.mode == DS_TLS_PREFER)
	{
		if (!tls.ca && !tls.cert && !tls.key)
			api->mysql_options(mysql, MYSQL_OPT_SSL_CIPHER, "DEFAULT");
		api->mysql_options(mysql, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &off);
		return true;
	}
	api->mysql_options(mysql, MYSQL_OPT_SSL_ENFORCE, &on);
	api->mysql_options(mysql, MYSQL_OPT_SSL_VERIFY_SERVER_CERT,
					   tls.mode >= DS_TLS_VERIFY_CA ? &on : &off);
	return true;
}

/* ERROR if the store requires TLS and the connection went without it. */
static void
check_tls(const DsMysqlApi *api, MYSQL *mysql, const DsStore *store)
{
	DsTls		tls;

	ds_store_tls(store, &tls);
	if (tls.mode < DS_TLS_REQUIRE || api->mysql_get_ssl_cipher(mysql) != NULL)
		return;
	ereport(ERROR,
			(errcode(ERRCODE_SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION),
			 errmsg("could not connect to datastore \"%s\": the server does not offer TLS", store->name),
			 errdetail("The store requires TLS, and %s:%d logged it in without; the connection is closed before any statement.",
					   store->host, store->port),
			 errhint("Enable TLS on the server, or set the store's ssl mode to prefer or disable.")));
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
					(errcode(ds_my_errcode(c->api->mysql_errno(c->mysql), c->api->mysql_sqlstate(c->mysql))),
					 errmsg("could not set session variable on datastore \"%s\": %s",
							store->name, ds_my_text(c->api->mysql_error(c->mysql))),
					 errdetail("Statement: %s", sql)));
	}
}

/* A new handle for c with the options every connection has (ERROR if none). */
static void
new_handle(DsMyConn *c, const DsMySession *session)
{
	const DsMysqlApi *api = c->api;
	/* Our own deadline (with the clearer message) fires first. */
	unsigned int timeout = ds_connect_timeout + 1;
	unsigned int one = 1;

	c->mysql = api->mysql_init(NULL);
	if (c->mysql == NULL)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY),
						errmsg("out of memory in the MySQL client library")));
	api->mysql_options(c->mysql, MYSQL_OPT_NONBLOCK, NULL);
	api->mysql_options(c->mysql, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	api->mysql_options(c->mysql, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	api->mysql_options(c->mysql, MYSQL_OPT_LOCAL_INFILE, &one);
	/*
	 * The server gives up on a client that neither reads nor writes for
	 * net_write_timeout (60 s) or net_read_timeout (30 s): a ds_diff that
	 * reads the other store through a long run of keys this side lacks, a
	 * LOAD DATA whose source query pauses.  This backend is there all the
	 * while (a cancel or an ERROR ends the statement with KILL), so a day.
	 */
	if (session->utc)
		api->mysql_options(c->mysql, MYSQL_INIT_COMMAND,
						   "SET time_zone = '+00:00', max_error_count = 65535,"
						   " net_write_timeout = 86400, net_read_timeout = 86400");
	ds_my_infile_install(c);
}

static MYSQL *
connect_handle(DsMyConn *c, const DsStore *store, TimestampTz deadline)
{
	const DsMysqlApi *api = c->api;
	MYSQL	   *ret = NULL;

	MY_RUN(c, store->name, deadline,
		   api->mysql_real_connect_start(&ret, c->mysql, store->host, store->user,
										 store->password, store->database,
										 store->port, NULL, CLIENT_MULTI_RESULTS),
		   api->mysql_real_connect_cont(&ret, c->mysql, MY_READY));
	return ret;
}

void *
ds_my_connect(const DsStore *store, const DsMySession *session)
{
	const DsMysqlApi *api = ds_mysql_api();
	DsMyConn   *c;
	TimestampTz deadline;
	DsTls		tls;
	MYSQL	   *ret;
	/* Decided now: the side connection that KILLs runs during abort. */
	bool		limited = !ds_store_owner_is_superuser(store);

	ds_store_tls(store, &tls);
	c = MemoryContextAllocZero(TopMemoryContext, sizeof(DsMyConn));
	c->api = api;
	c->limited = limited;
	PG_TRY();
	{
		new_handle(c, session);
	}
	PG_CATCH();
	{
		pfree(c);
		PG_RE_THROW();
	}
	PG_END_TRY();

	deadline = TimestampTzPlusMilliseconds(GetCurrentTimestamp(),
										   ds_connect_timeout * 1000);
	/* Nothing may leak if the connect fails or is interrupted. */
	PG_TRY();
	{
		apply_owner_limits(api, c->mysql, store, c->limited);
		c->tls = apply_tls(api, c->mysql, store);
		ret = connect_handle(c, store, deadline);

		/*
		 * prefer, as libpq's: a TLS handshake the two sides cannot agree on
		 * (an old server's TLS 1.0, say) is tried again in the clear, once.
		 */
		if (ret == NULL && c->tls && tls.mode == DS_TLS_PREFER &&
			api->mysql_errno(c->mysql) == CR_SSL_CONNECTION_ERROR)
		{
			MYSQL	   *failed = c->mysql;

			ereport(LOG,
					(errmsg("TLS to datastore \"%s\" failed, connecting in the clear (ssl mode prefer): %s",
							store->name, ds_my_text(api->mysql_error(failed)))));
			c->mysql = NULL;
			api->mysql_close(failed);
			new_handle(c, session);
			apply_owner_limits(api, c->mysql, store, c->limited);
			c->tls = false;
			c->plain_fallback = true;
			ret = connect_handle(c, store, deadline);
		}
		if (ret == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION),
					 errmsg("could not connect to datastore \"%s\": %s",
							store->name, ds_my_text(api->mysql_error(c->mysql))),
					 errdetail("MySQL error %u connecting to %s:%d.",
							   api->mysql_errno(c->mysql), store->host, store->port)));
		check_tls(api, c->mysql, store);
		c->tls = api->mysql_get_ssl_cipher(c->mysql) != NULL;
		keep_nonblocking(c);
		apply_session_statements(c, store, session);
	}
	PG_CATCH();
	{
		if (c->mysql)
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
	/* as the pool's connection went: in the clear if its TLS failed */
	if (!c->plain_fallback)
		(void) apply_tls(api, side, store);
	ds_my_before_io(c);
	if (api->mysql_real_connect(side, store->host, store->user, store->password,
								NULL, store->port, NULL, 0) == NULL)
		ereport(WARNING,
				(errmsg("could not connect to datastore \"%s\" to stop an abandoned statement: %s",
						store->name, ds_my_text(api->mysql_error(side)))));
	else
	{
		snprintf(sql, sizeof(sql), "KILL %lu", c->thread_id);
		if (api->mysql_real_query(side, sql, strlen(sql)) != 0 &&
			api->mysql_errno(side) != 1094)	/* ER_NO_SUCH_THREAD: gone already */
			ereport(WARNING,
					(errmsg("could not stop an abandoned statement on datastore \"%s\": %s",
							store->name, ds_my_text(api->mysql_error(side)))));
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
	ds_my_before_io(c);
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

	keep_nonblocking(c);
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
