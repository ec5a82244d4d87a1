/*
 * placeholders.h
 *		$n and ? placeholders in MySQL-dialect SQL.
 */
#ifndef DS_PLACEHOLDERS_H
#define DS_PLACEHOLDERS_H

#include "core/params.h"

/*
 * Rewrites $1..$n to ? for a server-side prepared statement.  *order gets,
 * for each ? of the result, the 0-based index into params.  Without any $n
 * the SQL is returned unchanged and *order is NULL (plain ? placeholders,
 * bound in order).  Mixing both styles is an ERROR.
 */
extern char *ds_sql_qmarks(const char *sql, int nparams, int **order, int *norder);

/*
 * Splices params into the SQL as escaped literals, for servers that cannot
 * prepare statements (StarRocks).  escape(from, len) must return the
 * server-escaped body of a single-quoted string.
 */
typedef char *(*DsEscapeFn) (void *arg, const char *from, size_t len);
extern char *ds_sql_inline_params(const char *sql, DsParams *params,
								  DsEscapeFn escape, void *arg);

#endif							/* DS_PLACEHOLDERS_H */
