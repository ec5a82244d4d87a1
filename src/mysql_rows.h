/*
 * mysql_rows.h
 *		A MySQL or StarRocks query result as rows to load (ds_sync).
 */
#ifndef DS_MYSQL_ROWS_H
#define DS_MYSQL_ROWS_H

#include "params.h"
#include "pool.h"
#include "row_source.h"

/*
 * Runs sql (with params bound as ds_query binds them) on a connection of
 * the pool and returns its rows as a source; close() gives the connection
 * back.  Column names are the given list or the result's.  If the load
 * fails before close(), the pool's cleanup discards the connection, which
 * also ends the statement on the server.
 */
extern DsRowSource *ds_mysql_rows_from_query(DsPool *pool, const char *sql,
											 DsParams *params, List *columns);

#endif							/* DS_MYSQL_ROWS_H */
