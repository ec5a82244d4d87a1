/*
 * mysql.c
 *		The MySQL/MariaDB store's routine: its connections (in UTC), its load
 *		options, and statements with their parameters bound server-side.
 */
#include "postgres.h"

#include "mysql/mysql.h"

static const DsMySession mysql_session = {.utc = true};

static void *
mysql_connect(const DsStore *store)
{
	return ds_my_connect(store, &mysql_session);
}

static const DsDriver mysql_driver = {
	.name = "mysql",
	.connect = mysql_connect,
	.disconnect = ds_my_disconnect,
	.alive = ds_my_alive,
};

static void
my_query(DsPool *pool, const char *sql, DsParams *params, Tuplestorestate *ts,
			TupleDesc tsdesc)
{
	ds_mysql_run_query(pool, sql, params, false, ts, tsdesc);
}

static uint64
my_exec(DsPool *pool, const char *sql, DsParams *params)
{
	return ds_mysql_run_exec(pool, sql, params, false);
}

static DsRowSource *
my_open_rows(DsPool *pool, const char *sql, DsParams *params, List *columns)
{
	return ds_mysql_open_rows(pool, sql, params, columns, false);
}

static const DsOptionDef mysql_load_options[] = {
	{.name = "columns", .type = DS_OPT_COLUMNS},
	{"max_filter_ratio", DS_OPT_NO_FILTER, offsetof(MyLoadOptions, max_filter_ratio),
	 .message = "max_filter_ratio must be a number between 0 and 1",
	 .hint = "MySQL would store the rows it cannot take anyway, with their values truncated or converted."},
	{"replace", DS_OPT_BOOL, offsetof(MyLoadOptions, replace),
	 .message = "options->'replace' must be true or false"},
	{0}
};

const DsStoreRoutine ds_mysql_routine = {
	.type = "mysql",
	.name = "mysql",
	.driver = &mysql_driver,
	.init = ds_mysql_define_library,
	.load_options = mysql_load_options,
	.load_options_size = sizeof(MyLoadOptions),
	.query = my_query,
	.exec = my_exec,
	.open_rows = my_open_rows,
	.load_rows = ds_mysql_stream_load,
	.tables_sql = DS_MY_TABLES_SQL,
	.columns_sql = DS_MY_COLUMNS_SQL,
	.describe = ds_mysql_describe,
	.create_table_sql = ds_mysql_create_table_sql,
};
