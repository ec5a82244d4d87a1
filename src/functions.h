/*
 * functions.h
 *		What the SQL-callable functions share: finding a store's pool and
 *		naming the store in error context.
 */
#ifndef DS_FUNCTIONS_H
#define DS_FUNCTIONS_H

#include "utils/tuplestore.h"

#include "params.h"
#include "pool.h"

/* Looks the store up and returns its open pool (opening it if needed). */
extern DsPool *ds_open_store(const char *name);

/* Runs a query on the store, one jsonb per row into ts (tsdesc: one jsonb column). */
extern void ds_store_query(DsPool *pool, const char *sql, DsParams *params,
						   Tuplestorestate *ts, TupleDesc tsdesc);

/* Adds 'datastore "name"' to the CONTEXT of errors until popped. */
extern void ds_push_store_context(ErrorContextCallback *cb, const char *name);

#endif							/* DS_FUNCTIONS_H */
