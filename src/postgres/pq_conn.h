/*
 * pq_conn.h
 *		One connection to a remote PostgreSQL server over libpq: connect,
 *		send statements, read results and feed COPY without ever blocking the
 *		backend uninterruptibly.
 */
#ifndef DS_PQ_CONN_H
#define DS_PQ_CONN_H

#include "core/compat.h"
#include "core/params.h"
#include "core/pool.h"
#include "postgres/pq_api.h"

/* The pool's driver for remote postgres stores. */
extern const DsDriver ds_pq_driver;

extern const DsPqApi *ds_pq_api_of(DsConn *conn);

/* The remote server's version number (PQserverVersion), e.g. 150004. */
extern int	ds_pq_server_version(DsConn *conn);

/*
 * Sends sql on a checked-out connection.  Without params (NULL or none) it
 * goes as a simple query, so several statements may be given; with params
 * they are bound to $1..$n as text of unknown type (the server infers it,
 * as for any libpq client), JSON null as SQL NULL.  single_row makes the
 * rows come one result each, so no result is ever held whole in memory.
 */
extern void ds_pq_send(DsConn *conn, const char *sql, const DsParams *params,
					   bool single_row);

/*
 * The statement's next result, NULL once it is complete (the connection is
 * then clean).  The result is cleared when CurrentMemoryContext is reset or
 * deleted, so an ERROR can never leak it.  A remote error is raised with the
 * remote SQLSTATE, message, detail, hint and context.
 */
extern PGresult *ds_pq_next_result(DsConn *conn);

/*
 * The same, the result living in tmp, which is reset first (clearing the
 * result before): an answer read a result at a time, whatever its size.
 */
extern PGresult *ds_pq_next_result_in(DsConn *conn, MemoryContext tmp);

/*
 * Sends sql in single-row mode and hands each row of its answer to fn,
 * once the answer is seen to have ncolumns columns (else ds_pq_bad_answer
 * naming what); each result lives in a scratch context until the next, so
 * fn copies what it keeps.
 */
typedef void (*DsPqRowFn) (DsConn *conn, PGresult *res, int row, void *arg);
extern void ds_pq_each_row(DsConn *conn, const char *sql, const DsParams *params, int ncolumns,
						   const char *what, DsPqRowFn fn, void *arg);

/* Runs a command (or several); returns the last one's row count. */
extern uint64 ds_pq_command(DsConn *conn, const char *sql);

/*
 * ERROR, closing the connection, if a statement changed its client_encoding:
 * remote text is read as this database's encoding.
 */
extern void ds_pq_check_encoding(DsConn *conn);

/* A result's row count (PQcmdTuples), 0 when it has none. */
extern uint64 ds_pq_cmd_tuples(DsConn *conn, PGresult *res);

/*
 * An answer that is not what PostgreSQL sends (too few columns, a NULL or a
 * number where neither can be): ERROR naming the store and what was being
 * read; the connection is marked broken so nobody reads it again.
 */
pg_noreturn extern void ds_pq_bad_answer(DsConn *conn, const char *what, const char *why);

/* The start of a value from the server, as valid text for a message. */
extern char *ds_pq_excerpt(const char *s);

/* Starts COPY ... FROM STDIN; ERROR unless the server is ready for data. */
extern void ds_pq_copy_begin(DsConn *conn, const char *sql);

/*
 * Queues one piece of COPY data, after waiting until the previous piece has
 * left libpq's buffer, so at most one piece is held there.  false when the
 * server has ended the COPY (an error is waiting in ds_pq_copy_end).
 */
extern bool ds_pq_copy_put(DsConn *conn, const char *data, int len);

/*
 * Hands the kernel whatever of the queued piece it takes now, never
 * waiting: called while the next piece is encoded, so the server is not
 * left idle with data still in libpq's buffer.
 */
extern void ds_pq_copy_push(DsConn *conn);

/* Ends the COPY; returns the rows the server copied, or raises its error. */
extern uint64 ds_pq_copy_end(DsConn *conn);

#endif							/* DS_PQ_CONN_H */
