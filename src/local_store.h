/*
 * local_store.h
 *		The local PostgreSQL store, served in-process through SPI.
 */
#ifndef DS_LOCAL_STORE_H
#define DS_LOCAL_STORE_H

#include "executor/spi.h"
#include "utils/tuplestore.h"

#include "params.h"
#include "stream_load.h"

/*
 * Prepares sql in the current SPI connection with parameter types inferred
 * by the parser, and binds params through those types' input functions.
 */
extern SPIPlanPtr ds_local_prepare(const char *sql, DsParams *params,
								   ParamListInfo *paramLI);

/* Appends one jsonb per result row to ts (whose descriptor is tsdesc). */
extern void ds_local_query(const char *sql, DsParams *params,
						   Tuplestorestate *ts, TupleDesc tsdesc);

/* Runs sql; returns the rows processed by its last statement. */
extern uint64 ds_local_exec(const char *sql, DsParams *params);

/* Bulk loads into a local table: one INSERT ... SELECT through SPI. */
extern Jsonb *ds_local_load_jsonb(const char *target, Jsonb *data,
								  const DsLoadOptions *opts);
extern Jsonb *ds_local_load_query(const char *target, const char *query,
								  const DsLoadOptions *opts);

#endif							/* DS_LOCAL_STORE_H */
