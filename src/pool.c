/*
 * pool.c
 *		Per-backend registry of open stores.
 *
 * Pools live in TopMemoryContext for the life of the backend.  Each remembers
 * the catalog generation it was opened with; every use re-reads the catalog
 * (a single-row lookup) and reopens the pool when the registration changed,
 * so a ds_register() in one session reaches the pools of all the others
 * without any shared state.
 */
#include "postgres.h"

#include "utils/hsearch.h"
#include "utils/memutils.h"

#include "pool.h"

static HTAB *pools = NULL;

static void
ensure_pool_table(void)
{
	HASHCTL		ctl;

	if (pools != NULL)
		return;
	ctl.keysize = NAMEDATALEN;
	ctl.entrysize = sizeof(DsPool);
	pools = hash_create("datastore pools", 16, &ctl, HASH_ELEM | HASH_STRINGS);
}

static void
release_pool(DsPool *pool)
{
	MemoryContextDelete(pool->cxt);
	pool->cxt = NULL;
	pool->store = NULL;
}

static DsPool *
find_pool(const char *name)
{
	ensure_pool_table();
	return hash_search(pools, name, HASH_FIND, NULL);
}

DsPool *
ds_pool_open(const DsStore *store)
{
	DsPool	   *pool;
	bool		found;

	ensure_pool_table();
	pool = hash_search(pools, store->name, HASH_FIND, NULL);
	if (pool != NULL && pool->store->generation == store->generation)
		return pool;
	if (pool != NULL)
		ds_pool_close(store->name);

	/*
	 * Make everything before entering it into the table, so that an ERROR on
	 * the way leaves no half-made pool behind.
	 */
	{
		MemoryContext cxt = AllocSetContextCreate(TopMemoryContext,
												  "datastore pool",
												  ALLOCSET_SMALL_SIZES);
		DsStore    *copy = ds_store_copy(store, cxt);

		MemoryContextSetIdentifier(cxt, copy->name);
		pool = hash_search(pools, store->name, HASH_ENTER, &found);
		Assert(!found);
		pool->cxt = cxt;
		pool->store = copy;
		pool->local = ds_store_is_local(store);
		pool->connections = 0;
		pool->busy = 0;
		pool->queries = 0;
		pool->errors = 0;
		pool->reconnects = 0;
	}
	return pool;
}

bool
ds_pool_close(const char *name)
{
	DsPool	   *pool = find_pool(name);

	if (pool == NULL)
		return false;
	release_pool(pool);
	hash_search(pools, name, HASH_REMOVE, NULL);
	return true;
}

int
ds_pool_close_all(void)
{
	List	   *names = NIL;
	HASH_SEQ_STATUS seq;
	DsPool	   *pool;
	ListCell   *lc;

	ensure_pool_table();
	hash_seq_init(&seq, pools);
	while ((pool = hash_seq_search(&seq)) != NULL)
		names = lappend(names, pstrdup(pool->name));
	foreach(lc, names)
		ds_pool_close(lfirst(lc));
	return list_length(names);
}

static int
cmp_pool_names(const ListCell *a, const ListCell *b)
{
	return strcmp(((DsPool *) lfirst(a))->name, ((DsPool *) lfirst(b))->name);
}

List *
ds_pool_list(void)
{
	List	   *result = NIL;
	HASH_SEQ_STATUS seq;
	DsPool	   *pool;

	ensure_pool_table();
	hash_seq_init(&seq, pools);
	while ((pool = hash_seq_search(&seq)) != NULL)
	{
		if (!pool->local)
			result = lappend(result, pool);
	}
	list_sort(result, cmp_pool_names);
	return result;
}
