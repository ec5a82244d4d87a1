/*
 * mysql_conn.h
 *		One connection to a MySQL-protocol server (MySQL, MariaDB, StarRocks):
 *		connect, run statements and read rows without ever blocking the
 *		backend uninterruptibly.
 */
#ifndef DS_MYSQL_CONN_H
#define DS_MYSQL_CONN_H

#include "core/compat.h"
#include "mysql/mysql_api.h"
#include "mysql/placeholders.h"
#include "core/pool.h"

/*
 * What a kind that speaks the MySQL protocol sets up on each connection:
 * MySQL's session in UTC (timestamps read and written as UTC), StarRocks'
 * session variables.
 */
typedef struct DsMySession
{
	bool		utc;			/* SET time_zone = '+00:00', max_error_count */
	/* statements to run on each new connection, escaped by escape(); or NULL */
	List	   *(*statements) (const DsStore *store, DsEscapeFn escape, void *arg);
} DsMySession;

/* A kind's DsDriver is these three (its connect passing its session). */
extern void *ds_my_connect(const DsStore *store, const DsMySession *session);
extern void ds_my_disconnect(void *handle, const DsStore *store, bool abort);
extern bool ds_my_alive(void *handle, bool ping);

/*
 * An open result set, read row by row from the socket.  Rows come as text
 * (the server's text form) whether the statement was prepared or not.
 */
typedef struct DsMyResult
{
	DsConn	   *conn;
	MYSQL_FIELD *fields;
	unsigned int nfields;
	char	  **values;			/* current row; NULL entry = SQL NULL */
	unsigned long *lengths;
	/* prepared statements only */
	MYSQL_BIND *binds;
	my_bool    *bind_nulls;
	my_bool    *bind_errors;
	unsigned long *bind_lengths;
	MYSQL_TIME *times;
	double	   *doubles;
	float	   *floats;
	unsigned long *capacity;
	char	  **buffers;		/* owned; values[i] points here or is NULL */
} DsMyResult;

/* Parameters to bind server-side: text plus the JSON kind of each. */
typedef struct DsMyParam
{
	int			kind;			/* DsParamKind */
	const char *text;
	unsigned long len;
} DsMyParam;

/*
 * Runs sql on a checked-out connection.  With nparams >= 0 the statement is
 * prepared and the parameters bound server-side; with -1 it goes as text;
 * with DS_MY_EXACT (no parameters) as text unless its result has a FLOAT
 * column, which only a prepared statement reads whole (mysql_stmt.c).
 * Returns an open result when the statement produced rows, else NULL
 * (affected rows in *affected).
 */
#define DS_MY_EXACT (-2)
extern DsMyResult *ds_my_execute(DsConn *conn, const char *sql, int nparams,
								 DsMyParam *params, uint64 *affected);

/* Next row into res->values/lengths; false at the end.  ERROR on failure. */
extern bool ds_my_fetch(DsMyResult *res);

/* Finishes the statement; the connection is clean again afterwards. */
extern void ds_my_finish(DsMyResult *res);

/* Runs a statement that returns no rows; ERROR on failure. */
extern uint64 ds_my_command(DsConn *conn, const char *sql);

/*
 * Runs a LOAD DATA LOCAL INFILE statement whose file is the given bytes.
 * While the server is busy, idle(arg) is called (in the backend, never
 * inside the library) until it returns false: the caller encodes its next
 * batch there.  Returns affected rows; warnings are counted in *warnings.
 * An unknown table or column is reported as the load's target (target).
 */
extern uint64 ds_my_load_data(DsConn *conn, const char *sql, const char *target,
							  const char *data, size_t len,
							  bool (*idle) (void *arg), void *idle_arg,
							  unsigned int *warnings, char **info);

/*
 * Runs a statement that names a load's target and columns (ds_my_command),
 * an unknown table or column reported as the target's (target).
 */
extern uint64 ds_my_target_command(DsConn *conn, const char *sql, const char *target);

/* What the server said of the last statement: mysql_info(), or NULL. */
extern const char *ds_my_info(DsConn *conn);

/* The warnings of the last statement. */
extern unsigned int ds_my_warning_count(DsConn *conn);

/*
 * After a statement: the server's warnings about it (a value truncated, a
 * string cut to fit a type) as WARNINGs, the first few of them in full, so
 * that nothing the server changed goes unsaid.
 */
extern void ds_my_relay_warnings(DsConn *conn);

/* Escapes a string's body for a single-quoted literal on this connection. */
extern char *ds_my_escape(DsConn *conn, const char *from, size_t len);

/*
 * An answer that is not what MySQL sends (missing columns, a NULL or a word
 * where a count must be): ERROR naming the store and the statement; the
 * connection is closed rather than read again.
 */
pg_noreturn extern void ds_my_bad_answer(DsConn *conn, const char *what, const char *why);

/* Text from the server (a message), valid and in the database encoding. */
extern char *ds_my_server_text(const char *s, unsigned long len);

/* Quotes an identifier with backticks. */
extern char *ds_my_quote_ident(const char *ident);

extern const DsMysqlApi *ds_my_api_of(DsConn *conn);
extern MYSQL *ds_my_handle(DsConn *conn);

#endif							/* DS_MYSQL_CONN_H */
