/*
 * mysql_store.h
 *		ds_query, ds_exec and bulk loading on MySQL/MariaDB stores.
 */
#ifndef DS_MYSQL_STORE_H
#define DS_MYSQL_STORE_H

#include "utils/tuplestore.h"

#include "mysql_conn.h"
#include "params.h"
#include "pool.h"
#include "row_source.h"
#include "stream_load.h"

extern void ds_mysql_query(DsPool *pool, const char *sql, DsParams *params,
						   Tuplestorestate *ts, TupleDesc tsdesc);
/*
 * Runs a query on a checked-out connection and returns its open result;
 * the caller reads it with ds_my_fetch(), then ds_my_finish() and
 * ds_pool_checkin(*conn).  A statement without a result set is an ERROR.
 */
extern DsMyResult *ds_mysql_open_query(DsPool *pool, const char *sql,
									   DsParams *params, DsConn **conn);
extern uint64 ds_mysql_exec(DsPool *pool, const char *sql, DsParams *params);
extern Jsonb *ds_mysql_stream_load(DsPool *pool, const char *target,
								   DsRowSource *src, const DsLoadOptions *opts);

#endif							/* DS_MYSQL_STORE_H */
