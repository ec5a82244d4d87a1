/*
 * pq_store.h
 *		ds_query, ds_exec and bulk loading on remote PostgreSQL stores.
 */
#ifndef DS_PQ_STORE_H
#define DS_PQ_STORE_H

#include "utils/tuplestore.h"

#include "params.h"
#include "pool.h"
#include "row_source.h"
#include "stream_load.h"

extern void ds_pq_query(DsPool *pool, const char *sql, DsParams *params,
						Tuplestorestate *ts, TupleDesc tsdesc);
extern uint64 ds_pq_exec(DsPool *pool, const char *sql, DsParams *params);
extern Jsonb *ds_pq_stream_load(DsPool *pool, const char *target,
								DsRowSource *src, const DsLoadOptions *opts);

/* The name {temp} stands for in options->>'merge'. */
#define DS_PQ_TEMP_TABLE "pg_temp.datastore_load"

#endif							/* DS_PQ_STORE_H */
