/*
 * mysql.h
 *		MySQL/MariaDB stores, and the MySQL protocol for the kinds that speak
 *		it (StarRocks wraps what is here: src/starrocks).
 */
#ifndef DS_MYSQL_H
#define DS_MYSQL_H

#include "utils/tuplestore.h"

#include "core/routine.h"
#include "mysql/mysql_conn.h"

extern const DsStoreRoutine ds_mysql_routine;

typedef struct MyLoadOptions
{
	DsLoadOptions base;
	double		max_filter_ratio;	/* 0 only */
	bool		replace;		/* REPLACE rows with duplicate keys */
} MyLoadOptions;

/* information_schema as MySQL and StarRocks have it, for ds_tables / ds_columns. */
#define DS_MY_TABLES_SQL \
	"SELECT TABLE_NAME AS table_name, TABLE_TYPE AS table_type" \
	" FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME"
#define DS_MY_COLUMNS_SQL \
	"SELECT COLUMN_NAME AS column_name, COLUMN_TYPE AS data_type," \
	" IS_NULLABLE = 'YES' AS is_nullable, ORDINAL_POSITION AS ordinal" \
	" FROM information_schema.COLUMNS" \
	" WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?" \
	" ORDER BY ORDINAL_POSITION"

/* ---- in mysql_store.c ---- */

/*
 * ds_query and ds_exec over the MySQL protocol.  With splice the params are
 * spliced into the SQL as literals escaped for the connection (StarRocks),
 * else bound server-side in a prepared statement.
 */
extern void ds_mysql_run_query(DsPool *pool, const char *sql, DsParams *params, bool splice,
							   Tuplestorestate *ts, TupleDesc tsdesc);
extern uint64 ds_mysql_run_exec(DsPool *pool, const char *sql, DsParams *params, bool splice);

/*
 * Runs a query on a checked-out connection and returns its open result;
 * the caller reads it with ds_my_fetch(), then ds_my_finish() and
 * ds_pool_checkin(*conn).  A statement without a result set is an ERROR.
 */
extern DsMyResult *ds_mysql_open_query(DsPool *pool, const char *sql,
									   DsParams *params, bool splice, DsConn **conn);

/*
 * The same; exact: a query without parameters whose result has a FLOAT
 * column runs prepared, as the text protocol cuts FLOAT to 6 digits.
 */
extern DsMyResult *ds_mysql_open_query_as(DsPool *pool, const char *sql, DsParams *params,
										  bool splice, bool exact, DsConn **conn);
extern Jsonb *ds_mysql_stream_load(DsPool *pool, const char *target,
								   DsRowSource *src, const DsLoadOptions *opts);

/* ---- in mysql_merge.c ---- */

/* A load by key (mode upsert, delete, mirror): its target, key and stage. */
typedef struct DsMyMerge
{
	const char *target;			/* as given: table or db.table */
	const char *target_sql;		/* quoted */
	const char *stage_sql;		/* the temporary stage, quoted */
	int			ncolumns;		/* the columns loaded */
	char	  **columns;
	List	   *key;			/* names, all among columns */
	int			mode;			/* DsLoadMode, not append */
	bool		only_unique;	/* the key is the target's only unique key */
} DsMyMerge;

/* The statements that move the stage into the target, and what they count. */
typedef enum DsMyStepKind
{
	DS_MY_STEP_DELETE,			/* rows deleted: affected rows */
	DS_MY_STEP_UPDATE,			/* rows changed: "Changed" of its info */
	DS_MY_STEP_INSERT,			/* rows inserted: affected rows */
	DS_MY_STEP_UPSERT			/* ON DUPLICATE KEY UPDATE: both, from its info */
} DsMyStepKind;

typedef struct DsMyStep
{
	DsMyStepKind kind;
	char	   *sql;
} DsMyStep;

/*
 * In the load's open transaction on conn: the key (options->'key' or the
 * target's PRIMARY KEY) checked against the rows' columns and, for an
 * upsert, against the target's unique keys; then the stage created, empty,
 * with the target's types of the columns loaded and a UNIQUE KEY on the
 * key.  ERROR (naming store and target) when the load cannot go by key.
 */
extern DsMyMerge *ds_my_merge_begin(DsConn *conn, const char *store, const char *target,
									const char *target_sql, DsRowSource *src,
									const DsLoadOptions *opts);

/* The DsMyStep statements, to run in order once the stage holds the rows. */
extern List *ds_my_merge_steps(const DsMyMerge *m);

/*
 * Adds to counts (inserted, updated, deleted) what step s did, from its
 * affected rows and mysql_info() text (NULL: none); an answer whose counts
 * do not add up is an ERROR.
 */
extern void ds_my_merge_count(DsConn *conn, const DsMyStep *s, uint64 affected,
							  const char *info, int64 *counts);

/* The statement that drops the stage. */
extern char *ds_my_merge_end_sql(const DsMyMerge *m);

/*
 * How many of the target's rows a mirror would delete (their keys not in
 * the stage), counted before anything is deleted: a table that is not
 * transactional (MyISAM, Aria, MEMORY) keeps nothing a later ERROR undoes.
 */
extern int64 ds_my_merge_missing(DsConn *conn, const DsMyMerge *m);

/* ---- in mysql_rows.c ---- */

/*
 * Runs sql (with params bound, or spliced, as ds_query does) on a connection
 * of the pool and returns its rows as a source; close() gives the connection
 * back.  Column names are the given list or the result's.  If the load
 * fails before close(), the pool's cleanup discards the connection, which
 * also ends the statement on the server.
 */
extern DsRowSource *ds_mysql_open_rows(DsPool *pool, const char *sql, DsParams *params,
									   List *columns, bool splice);

/* ---- in mysql_schema.c ---- */

/*
 * A table's columns from information_schema, read through query (with
 * splice, as StarRocks binds); a query's from its field metadata.
 */
extern DsSchema *ds_mysql_describe_table(DsPool *pool, const char *source, DsQueryFn query,
										 bool splice);
extern DsSchema *ds_mysql_describe_query(DsPool *pool, const char *sql, DsParams *params,
										 bool splice);

/* The routine's describe and create_table_sql (core/routine.h). */
extern DsSchema *ds_mysql_describe(DsPool *pool, const char *source, bool query,
								   DsParams *params);
extern char *ds_mysql_create_table_sql(DsPool *pool, const char *target,
									   const DsSchema *schema, const DsDdlOptions *opts);

#endif							/* DS_MYSQL_H */
