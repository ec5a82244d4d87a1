/*
 * local.c
 *		The local store's routine: what a postgres store without host and
 *		port is, and does.
 */
#include "postgres.h"

#include "core/pg_sql.h"
#include "local/local.h"

static bool
serves_local(const DsStore *store)
{
	return store->host == NULL && store->port == 0;
}

static const DsOptionDef local_load_options[] = {
	{.name = "columns", .type = DS_OPT_COLUMNS},
	{"max_filter_ratio", DS_OPT_NO_FILTER, offsetof(LocalLoadOptions, max_filter_ratio),
	 .message = "max_filter_ratio must be a number between 0 and 1",
	 .hint = "COPY cannot leave rows out."},
	{0}
};

const DsStoreRoutine ds_local_routine = {
	.type = "postgres",
	.name = "local postgres",
	.serves = serves_local,
	.load_options = local_load_options,
	.load_options_size = sizeof(LocalLoadOptions),
	.query = ds_local_query,
	.exec = ds_local_exec,
	.open_rows = ds_local_open_rows,
	.load_rows = ds_local_load_rows,
	.load_jsonb = ds_local_load_jsonb,
	.load_query = ds_local_load_query,
	.tables_sql = DS_PG_TABLES_SQL,
	.columns_sql = DS_PG_COLUMNS_SQL,
	.describe = ds_local_describe,
	.create_table_sql = ds_local_create_table_sql,
};
