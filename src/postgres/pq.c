/*
 * pq.c
 *		The remote PostgreSQL store's routine, its load options, and what
 *		its settings must not be for an owner that is no superuser.
 */
#include "postgres.h"

#include <ctype.h>

#include "core/pg_sql.h"
#include "postgres/pq.h"
#include "postgres/pq_api.h"
#include "postgres/pq_conn.h"

static bool
serves_remote(const DsStore *store)
{
	return store->host != NULL || store->port != 0;
}

/* A libpq host list naming a Unix socket (or none, which means the default one). */
static bool
host_is_socket(const char *host)
{
	const char *p = host;

	if (host == NULL)
		return true;
	for (;;)
	{
		const char *end = strchr(p, ',');
		size_t		len = end ? (size_t) (end - p) : strlen(p);

		while (len > 0 && isspace((unsigned char) *p))
			p++, len--;
		if (len == 0 || *p == '/' || *p == '@')
			return true;
		if (end == NULL)
			return false;
		p = end + 1;
	}
}

/* Peer and trust authentication on the server's own socket lend out its identity. */
static void
check_remote(const DsStore *store)
{
	if (!ds_store_owner_is_superuser(store) && host_is_socket(store->host))
		ds_store_refuse_owner_rights(store, "connect through a Unix socket");
}

static const char *const copy_formats[] = {"auto", "text", "binary", NULL};

static const DsOptionDef pq_load_options[] = {
	{.name = "columns", .type = DS_OPT_COLUMNS},
	{"max_filter_ratio", DS_OPT_NO_FILTER, offsetof(PqLoadOptions, max_filter_ratio),
	 .message = "max_filter_ratio must be a number between 0 and 1",
	 .hint = "COPY cannot leave rows out."},
	{"temp_table", DS_OPT_FLAG, offsetof(PqLoadOptions, temp_table),
	 .message = "options->'temp_table' must be true or false"},
	{"merge", DS_OPT_TEXT, offsetof(PqLoadOptions, merge),
	 .message = "options->'merge' must be an SQL statement as a string",
	 .requires = "temp_table",
	 .requires_hint = "The merge statement reads the loaded rows from {temp}."},
	{"format", DS_OPT_CHOICE, offsetof(PqLoadOptions, copy_format),
	 .message = "options->'format' must be \"auto\", \"text\" or \"binary\"",
	 .hint = "Leave it out to load in binary when every column can.",
	 .choices = copy_formats},
	{0}
};

const DsStoreRoutine ds_pq_routine = {
	.type = "postgres",
	.name = "remote postgres",
	.serves = serves_remote,
	.driver = &ds_pq_driver,
	.init = ds_pq_define_library,
	.check_store = check_remote,
	.load_options = pq_load_options,
	.load_options_size = sizeof(PqLoadOptions),
	.query = ds_pq_query,
	.exec = ds_pq_exec,
	.open_rows = ds_pq_rows_from_query,
	.load_rows = ds_pq_stream_load,
	.tables_sql = DS_PG_TABLES_SQL,
	.columns_sql = DS_PG_COLUMNS_SQL,
	.describe = ds_pq_describe,
	.create_table_sql = ds_pq_create_table_sql,
};
