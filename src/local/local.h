/*
 * local.h
 *		The local PostgreSQL store: this database, served in this backend
 *		through SPI, as the calling user, in the caller's transaction.
 */
#ifndef DS_LOCAL_H
#define DS_LOCAL_H

#include "executor/spi.h"
#include "utils/tuplestore.h"

#include "core/routine.h"

extern const DsStoreRoutine ds_local_routine;

/* The options of a load into a local table. */
typedef struct LocalLoadOptions
{
	DsLoadOptions base;
	double		max_filter_ratio;	/* 0 only */
} LocalLoadOptions;

/* ---- in local_store.c ---- */

/*
 * Prepares sql in the current SPI connection with parameter types inferred
 * by the parser, and binds params through those types' input functions.
 */
extern SPIPlanPtr ds_local_prepare(const char *sql, DsParams *params,
								   ParamListInfo *paramLI);

/* Appends one jsonb per result row to ts (whose descriptor is tsdesc). */
extern void ds_local_query(DsPool *pool, const char *sql, DsParams *params,
						   Tuplestorestate *ts, TupleDesc tsdesc);

/* Runs sql; returns the rows processed by its last statement. */
extern uint64 ds_local_exec(DsPool *pool, const char *sql, DsParams *params);

/* Bulk loads into a local table: one INSERT ... SELECT through SPI. */
extern Jsonb *ds_local_load_jsonb(DsPool *pool, const char *target, Jsonb *data,
								  const DsLoadOptions *opts);
extern Jsonb *ds_local_load_query(DsPool *pool, const char *target, const char *query,
								  const DsLoadOptions *opts);

/* ---- in local_copy.c ---- */

/*
 * Loads every row of src into target (a possibly qualified table name) as
 * the calling user, with COPY's checks (INSERT privilege on the columns,
 * no row-level security, not in a read-only transaction), triggers and
 * constraints.  Closes src.  A mode other than append (opts may be NULL:
 * append) goes to ds_local_merge_rows.
 */
extern Jsonb *ds_local_load_rows(DsPool *pool, const char *target, DsRowSource *src,
								 const DsLoadOptions *opts);

/* ---- in local_merge.c ---- */

/*
 * A load in mode upsert, delete or mirror (opts->mode): src into a
 * temporary stage, then moved into target by its key (opts->key, else its
 * primary key).  The result counts the rows inserted, updated, deleted.
 */
extern Jsonb *ds_local_merge_rows(DsPool *pool, const char *target, DsRowSource *src,
								  const DsLoadOptions *opts);

/* ---- in local_rows.c ---- */

/*
 * A local query, read through an SPI cursor in batches so that memory stays
 * bounded, with $n params bound as ds_query binds them.  Columns are the
 * given list or the query's column names.  The source holds an SPI
 * connection until close().  pool may be NULL (a load's own source query).
 */
extern DsRowSource *ds_local_open_rows(DsPool *pool, const char *sql, DsParams *params,
									   List *columns);

/* ---- in local_schema.c ---- */

/* The routine's describe and create_table_sql (core/routine.h). */
extern DsSchema *ds_local_describe(DsPool *pool, const char *source, bool query,
								   DsParams *params);
extern char *ds_local_create_table_sql(DsPool *pool, const char *target,
									   const DsSchema *schema, const DsDdlOptions *opts);

#endif							/* DS_LOCAL_H */
