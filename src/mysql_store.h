/*
 * mysql_store.h
 *		ds_query, ds_exec and bulk loading on MySQL/MariaDB stores.
 */
#ifndef DS_MYSQL_STORE_H
#define DS_MYSQL_STORE_H

#include "utils/tuplestore.h"

#include "params.h"
#include "pool.h"
#include "row_source.h"
#include "stream_load.h"

extern void ds_mysql_query(DsPool *pool, const char *sql, DsParams *params,
						   Tuplestorestate *ts, TupleDesc tsdesc);
extern uint64 ds_mysql_exec(DsPool *pool, const char *sql, DsParams *params);
extern Jsonb *ds_mysql_stream_load(DsPool *pool, const char *target,
								   DsRowSource *src, const DsLoadOptions *opts);

#endif							/* DS_MYSQL_STORE_H */
