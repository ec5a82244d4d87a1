/*
 * pq_rows.h
 *		A remote PostgreSQL query result as rows to load (ds_sync).
 */
#ifndef DS_PQ_ROWS_H
#define DS_PQ_ROWS_H

#include "params.h"
#include "pool.h"
#include "row_source.h"

/*
 * Runs sql (params bound as ds_query binds them) on a connection of the
 * pool, in single-row mode, and returns its rows as a source; close() gives
 * the connection back.  If the load fails first, the pool's cleanup drops
 * the connection, which also stops the statement on the server.
 */
extern DsRowSource *ds_pq_rows_from_query(DsPool *pool, const char *sql,
										  DsParams *params, List *columns);

#endif							/* DS_PQ_ROWS_H */
