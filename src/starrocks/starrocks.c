/*
 * starrocks.c
 *		The StarRocks store's routine.  Its FE speaks the MySQL protocol, so
 *		queries go through src/mysql, with two differences: parameters are
 *		spliced as literals escaped for the connection (StarRocks has no
 *		server-side prepared statements for every statement kind), and each
 *		new connection gets the store's session variables in the session's
 *		own time zone.  Loads, the SQL API and labels are HTTP.
 */
#include "postgres.h"

#include "mysql/mysql.h"
#include "starrocks/sr_http.h"
#include "starrocks/sr_load.h"
#include "starrocks/starrocks.h"

static const DsMySession sr_session = {
	.utc = false,
	.statements = ds_sr_session_statements,
};

/* Both endpoints, so that a wrong http_port shows now, not at a load. */
static void *
sr_connect(const DsStore *store)
{
	void	   *conn = ds_my_connect(store, &sr_session);

	PG_TRY();
	{
		ds_sr_check_fe(store);
	}
	PG_CATCH();
	{
		ds_my_disconnect(conn, store, false);
		PG_RE_THROW();
	}
	PG_END_TRY();
	return conn;
}

static const DsDriver sr_driver = {
	.name = "starrocks",
	.connect = sr_connect,
	.disconnect = ds_my_disconnect,
	.alive = ds_my_alive,
};

static void
sr_query(DsPool *pool, const char *sql, DsParams *params, Tuplestorestate *ts,
		 TupleDesc tsdesc)
{
	ds_mysql_run_query(pool, sql, params, true, ts, tsdesc);
}

static uint64
sr_exec(DsPool *pool, const char *sql, DsParams *params)
{
	return ds_mysql_run_exec(pool, sql, params, true);
}

static DsRowSource *
sr_open_rows(DsPool *pool, const char *sql, DsParams *params, List *columns)
{
	return ds_mysql_open_rows(pool, sql, params, columns, true);
}

const DsStoreRoutine ds_sr_routine = {
	.type = "starrocks",
	.name = "starrocks",
	.driver = &sr_driver,
	.load_options = ds_sr_load_options,
	.load_options_size = sizeof(SrLoadOptions),
	.load_option_other = ds_sr_header_option,
	.query = sr_query,
	.exec = sr_exec,
	.open_rows = sr_open_rows,
	.load_rows = ds_sr_stream_load,
	.http_query = ds_sr_http_query,
	.load_state = ds_sr_load_state,
	.tables_sql = DS_MY_TABLES_SQL,
	.columns_sql = DS_MY_COLUMNS_SQL,
	.describe = ds_sr_describe,
	.create_table_sql = ds_sr_create_table_sql,
};
