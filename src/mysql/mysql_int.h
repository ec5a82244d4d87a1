/*
 * mysql_int.h
 *		The insides of a MySQL-protocol connection, shared by the files of
 *		src/mysql only: the connection (mysql_conn.c), its statements
 *		(mysql_stmt.c), LOAD DATA LOCAL INFILE (mysql_infile.c) and its
 *		errors (mysql_errors.c).
 */
#ifndef DS_MYSQL_INT_H
#define DS_MYSQL_INT_H

#include "core/compat.h"
#include "datatype/timestamp.h"

#include "core/pool.h"
#include "mysql/mysql_api.h"

typedef struct DsMyConn
{
	const DsMysqlApi *api;
	MYSQL	   *mysql;
	unsigned long thread_id;
	bool		broken;			/* the client library saw the link fail */
	bool		tls;			/* TLS asked for (connecting) or in use */
	bool		plain_fallback; /* prefer: TLS failed, connected in the clear */
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

/*
 * Waits for what the library asked for (status: MYSQL_WAIT_*) while serving
 * interrupts; a deadline (0: none) that passes is an ERROR naming the store.
 */
extern int	ds_my_wait(DsMyConn *c, int status, TimestampTz deadline, const char *storename);

/*
 * Before each call that may read or write a TLS connection: OpenSSL's
 * SSL_get_error(), with which the library tells "would block" from a
 * failure, reads this thread's error queue, and another OpenSSL user of the
 * backend (libcurl after a refused certificate, libpq) may have left errors
 * there: with the socket non-blocking (see mysql_conn.c), a mere "would
 * block" would then be taken for a lost connection.  OpenSSL asks for an
 * empty queue before each I/O call.
 */
static inline void
ds_my_before_io(const DsMyConn *c)
{
	if (c->tls && c->api->tls_clear_errors)
		c->api->tls_clear_errors();
}

/* Runs a non-blocking start/cont pair to completion. */
#define MY_RUN(c, storename, deadline, start_call, cont_call) \
	do { \
		int			status_; \
		ds_my_before_io(c); \
		status_ = (start_call); \
		while (status_ != 0) \
		{ \
			int			ready_ = ds_my_wait((c), status_, (deadline), (storename)); \
			ds_my_before_io(c); \
			status_ = (cont_call); \
		} \
	} while (0)
#define MY_READY ready_

/* ---- mysql_errors.c ---- */

/* PostgreSQL's SQLSTATE for a MySQL error. */
extern int	ds_my_errcode(unsigned int code, const char *sqlstate);

/* A message of the library or the server, safe to put in ours. */
extern char *ds_my_text(const char *msg);

/* A client-side failure (CR_*): the link is gone. */
extern bool ds_my_is_client_error(unsigned int code);

/*
 * Raise the server's (or the library's) error, the connection's or the
 * statement's.  A server error leaves the protocol clean, so the statement
 * is released and the connection can go back to the pool.
 */
pg_noreturn extern void ds_my_error(DsConn *conn, unsigned int code, const char *sqlstate,
									const char *message);
pg_noreturn extern void ds_my_conn_error(DsConn *conn);
pg_noreturn extern void ds_my_stmt_error(DsConn *conn);

/* ---- mysql_stmt.c ---- */

/* Releases the statement's library objects; the connection stays usable. */
extern void ds_my_release_statement(DsMyConn *c, const char *storename);

/* ---- mysql_infile.c ---- */

/* Installs the handler that serves LOCAL INFILE from c's armed bytes only. */
extern void ds_my_infile_install(DsMyConn *c);

#endif							/* DS_MYSQL_INT_H */
