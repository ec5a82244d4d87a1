/*
 * starrocks.h
 *		StarRocks stores: queries over the MySQL protocol (src/mysql, with
 *		parameters spliced as literals and the store's session variables),
 *		loads by HTTP stream load, the HTTP SQL API and load labels.
 */
#ifndef DS_STARROCKS_H
#define DS_STARROCKS_H

#include "utils/tuplestore.h"

#include "core/routine.h"
#include "mysql/placeholders.h"

extern const DsStoreRoutine ds_sr_routine;

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

/* ---- in sr_ddl.c: the routine's describe and create_table_sql ---- */
extern DsSchema *ds_sr_describe(DsPool *pool, const char *source, bool query,
								DsParams *params);
extern char *ds_sr_create_table_sql(DsPool *pool, const char *target,
									const DsSchema *schema, const DsDdlOptions *opts);

#endif							/* DS_STARROCKS_H */
