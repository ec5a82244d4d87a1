/*
 * starrocks.h
 *		StarRocks stores: session variables, HTTP stream load, HTTP SQL API.
 *		(Queries over the MySQL protocol go through mysql_store.c.)
 */
#ifndef DS_STARROCKS_H
#define DS_STARROCKS_H

#include "utils/tuplestore.h"

#include "placeholders.h"
#include "pool.h"
#include "row_source.h"
#include "stream_load.h"

/*
 * "SET name = value" for each of options->'session_variables', with string
 * values escaped by escape().  Names are checked to be plain identifiers.
 */
extern List *ds_sr_session_statements(const DsStore *store, DsEscapeFn escape,
									  void *arg);

extern Jsonb *ds_sr_stream_load(DsPool *pool, const char *target,
								DsRowSource *src, const DsLoadOptions *opts);
extern void ds_sr_http_query(DsPool *pool, const char *sql,
							 Tuplestorestate *ts, TupleDesc tsdesc);
extern char *ds_sr_load_state(DsPool *pool, const char *label);

#endif							/* DS_STARROCKS_H */
