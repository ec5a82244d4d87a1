/*
 * pq.h
 *		Remote PostgreSQL stores: a postgres store with a host or a port,
 *		reached through libpq (loaded on first use).
 */
#ifndef DS_PQ_H
#define DS_PQ_H

#include "utils/tuplestore.h"

#include "core/pg_merge.h"
#include "core/routine.h"

extern const DsStoreRoutine ds_pq_routine;

/* options->>'format' of a load into a remote PostgreSQL */
typedef enum DsCopyFormat
{
	DS_COPY_AUTO,				/* binary when every column can, else text */
	DS_COPY_TEXT,
	DS_COPY_BINARY
} DsCopyFormat;

typedef struct PqLoadOptions
{
	DsLoadOptions base;
	double		max_filter_ratio;	/* 0 only */
	bool		temp_table;		/* load a temp table, then merge */
	char	   *merge;			/* the merge statement, or NULL */
	int			copy_format;	/* DsCopyFormat */
} PqLoadOptions;

/* ---- in pq_store.c ---- */

extern void ds_pq_query(DsPool *pool, const char *sql, DsParams *params,
						Tuplestorestate *ts, TupleDesc tsdesc);
extern uint64 ds_pq_exec(DsPool *pool, const char *sql, DsParams *params);
extern Jsonb *ds_pq_stream_load(DsPool *pool, const char *target,
								DsRowSource *src, const DsLoadOptions *opts);

/* The name {temp} stands for in options->>'merge'. */
#define DS_PQ_TEMP_TABLE "pg_temp.datastore_load"

/* A statement of a load's transaction (UTF-8) from this database's text. */
extern char *ds_pq_load_sql(const char *sql);

/* ---- in pq_merge.c ---- */

/*
 * The primary key's columns of the remote table target_sql (quoted), read
 * in the load's transaction; NIL: it has none.
 */
extern List *ds_pq_primary_key(DsConn *conn, const char *target_sql);

/*
 * Moves the stage into the target by m's mode and drops the stage; adds
 * the rows inserted, updated and deleted to counts[0..2].  ERROR if the
 * rows hold a key twice.
 */
extern void ds_pq_merge(DsConn *conn, const DsPgMerge *m, int64 *counts);

/* ---- in pq_rows.c ---- */

/*
 * Runs sql (params bound as ds_query binds them) on a connection of the
 * pool, in single-row mode, and returns its rows as a source; close() gives
 * the connection back.  If the load fails first, the pool's cleanup drops
 * the connection, which also stops the statement on the server.
 */
extern DsRowSource *ds_pq_rows_from_query(DsPool *pool, const char *sql,
										  DsParams *params, List *columns);

/* ---- in pq_schema.c ---- */

/* The routine's describe and create_table_sql (core/routine.h). */
extern DsSchema *ds_pq_describe(DsPool *pool, const char *source, bool query,
								DsParams *params);
extern char *ds_pq_create_table_sql(DsPool *pool, const char *target,
									const DsSchema *schema, const DsDdlOptions *opts);

#endif							/* DS_PQ_H */
