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
extern Jsonb *ds_mysql_stream_load(DsPool *pool, const char *target,
								   DsRowSource *src, const DsLoadOptions *opts);

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
