/*
 * registry.c
 *		The one list of store kinds.  A new kind is its folder, a line here,
 *		the Makefile, and the upgrade script that lets stores.type name it.
 */
#include "postgres.h"

#include "lib/stringinfo.h"

#include "core/catalog.h"
#include "registry/registry.h"

#include "local/local.h"
#include "mysql/mysql.h"
#include "postgres/pq.h"
#include "starrocks/starrocks.h"

/* In order: the first that serves a store of its type is its kind. */
static const DsStoreRoutine *const kinds[] = {
	&ds_local_routine,
	&ds_pq_routine,
	&ds_mysql_routine,
	&ds_sr_routine,
};

const DsStoreRoutine *
ds_store_routine(const DsStore *store)
{
	for (int i = 0; i < (int) lengthof(kinds); i++)
		if (strcmp(kinds[i]->type, store->type) == 0 &&
			(kinds[i]->serves == NULL || kinds[i]->serves(store)))
			return kinds[i];
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("datastore.stores holds unknown type \"%s\"", store->type)));
	pg_unreachable();
}

void
ds_registry_init(void)
{
	for (int i = 0; i < (int) lengthof(kinds); i++)
		if (kinds[i]->init)
			kinds[i]->init();
}

DsPool *
ds_open_store(const char *name, const DsStoreRoutine **routine)
{
	DsStore    *store = ds_catalog_lookup(name, true);
	const DsStoreRoutine *r;

	if (store == NULL)
	{
		ds_pool_close(name);
		ds_catalog_report_missing(name);
	}
	ds_catalog_check_usage(store);
	r = ds_store_routine(store);
	/* Whatever became of its owner since the row was written. */
	ds_store_check_owner_files(store);
	if (r->check_store)
		r->check_store(store);
	if (r->driver != NULL)
		ds_store_check_owner_password(store);
	/* password_file is read when the pool opens (again after ds_disconnect). */
	if (store->password == NULL && r->driver != NULL)
		store->password = ds_store_password(store);
	if (routine)
		*routine = r;
	return ds_pool_open(store, r->driver);
}

DsRowSource *
ds_rows_of_local_query(const char *query, DsParams *params, List *columns)
{
	return ds_local_routine.open_rows(NULL, query, params, columns);
}

static bool
has_callback(const DsStoreRoutine *routine, size_t callback)
{
	return *(void *const *) ((const char *) routine + callback) != NULL;
}

bool
ds_routine_has(const DsStoreRoutine *routine, size_t callback)
{
	return has_callback(routine, callback);
}

/* Names the kinds that have it, which is what the caller needs to know. */
void
ds_routine_missing(const DsStoreRoutine *routine, const char *store, const char *what,
				   size_t callback)
{
	StringInfoData kinds_with;
	const char *last = NULL;

	initStringInfo(&kinds_with);
	for (int i = 0; i < (int) lengthof(kinds); i++)
		if (has_callback(kinds[i], callback) &&
			(last == NULL || strcmp(last, kinds[i]->type) != 0))
		{
			appendStringInfo(&kinds_with, "%s%s", last ? " or " : "", kinds[i]->type);
			last = kinds[i]->type;
		}

	ereport(ERROR,
			(errcode(ERRCODE_WRONG_OBJECT_TYPE),
			 errmsg("%s needs a %s datastore; \"%s\" is %s",
					what, kinds_with.len > 0 ? kinds_with.data : "different", store, routine->type)));
}
