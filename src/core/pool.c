/*
 * pool.c
 *		Per-backend pools of connections, one pool per store.
 *
 * Pools live in TopMemoryContext for the life of the backend.  Each remembers
 * the catalog generation it was opened with; every use re-reads the catalog
 * (a single-row lookup) and reopens the pool when the registration changed,
 * so a ds_register() in one session reaches the pools of all the others
 * without any shared state.
 *
 * A checked-out connection belongs to the resource owner that was current at
 * checkout.  When that owner is released by an abort, the connection comes
 * back: closed, with its statement stopped on the server, if it was in the
 * middle of one, else returned idle.  So an ERROR anywhere, a cancel, or a
 * statement_timeout can neither leak a connection nor leave one in an unknown
 * protocol state in the pool.
 */
#include "postgres.h"

#include "miscadmin.h"
#include "storage/ipc.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"

#include "core/pool.h"
#include "core/settings.h"

static HTAB *pools = NULL;

static void pool_resowner_release(ResourceReleasePhase phase, bool isCommit,
								  bool isTopLevel, void *arg);
static void pool_proc_exit(int code, Datum arg);

static void
ensure_pool_table(void)
{
	HASHCTL		ctl;

	if (pools != NULL)
		return;
	ctl.keysize = NAMEDATALEN;
	ctl.entrysize = sizeof(DsPool);
	pools = hash_create("datastore pools", 16, &ctl, HASH_ELEM | HASH_STRINGS);
	/* Registered with the first pool, so only backends that use one pay. */
	RegisterResourceReleaseCallback(pool_resowner_release, NULL);
	before_shmem_exit(pool_proc_exit, (Datum) 0);
}

static DsPool *
find_pool(const char *name)
{
	ensure_pool_table();
	return hash_search(pools, name, HASH_FIND, NULL);
}

static void
remove_conn(DsPool *pool, int i)
{
	pfree(pool->conns[i]);
	pool->conns[i] = pool->conns[pool->nconns - 1];
	pool->conns[pool->nconns - 1] = NULL;
	pool->nconns--;
}

static void
close_conn(DsPool *pool, int i, bool abort)
{
	DsConn	   *conn = pool->conns[i];

	pool->driver->disconnect(conn->handle, pool->store, abort);
	remove_conn(pool, i);
}

static int
conn_index(DsConn *conn)
{
	DsPool	   *pool = conn->pool;

	for (int i = 0; i < pool->nconns; i++)
		if (pool->conns[i] == conn)
			return i;
	elog(ERROR, "datastore connection not found in pool \"%s\"", pool->name);
	pg_unreachable();
}

/*
 * Opens one more connection.  The slot is filled only after the driver
 * succeeded, so a failed connect leaves the pool as it was.
 */
static DsConn *
add_conn(DsPool *pool)
{
	void	   *handle;
	DsConn	   *conn;
	TimestampTz now = GetCurrentTimestamp();

	Assert(pool->nconns < pool->store->max_connections);
	handle = pool->driver->connect(pool->store);
	conn = MemoryContextAllocZero(pool->cxt, sizeof(DsConn));
	conn->pool = pool;
	conn->handle = handle;
	conn->last_used = now;
	conn->last_checked = now;
	pool->conns[pool->nconns++] = conn;
	return conn;
}

int
ds_pool_busy_count(DsPool *pool)
{
	int			busy = 0;

	for (int i = 0; i < pool->nconns; i++)
		busy += pool->conns[i]->busy ? 1 : 0;
	return busy;
}

/* Closes idle connections above min_connections unused for idle_timeout. */
static void
prune_idle(DsPool *pool)
{
	TimestampTz now = GetCurrentTimestamp();

	for (int i = pool->nconns - 1; i >= 0 && pool->nconns > pool->store->min_connections; i--)
	{
		DsConn	   *conn = pool->conns[i];

		if (!conn->busy &&
			TimestampDifferenceExceeds(conn->last_used, now, ds_idle_timeout * 1000))
			close_conn(pool, i, false);
	}
}

DsPool *
ds_pool_open(const DsStore *store, const DsDriver *driver)
{
	DsPool	   *pool;
	bool		found;

	ensure_pool_table();
	pool = hash_search(pools, store->name, HASH_FIND, NULL);
	if (pool != NULL && pool->store->generation == store->generation)
		return pool;
	if (pool != NULL)
	{
		if (ds_pool_busy_count(pool) > 0)
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_IN_USE),
					 errmsg("datastore \"%s\" was registered anew while this backend is using it",
							store->name),
					 errhint("Retry once the statements using it have finished.")));
		ds_pool_close(store->name);
	}

	{
		MemoryContext cxt = AllocSetContextCreate(TopMemoryContext,
												  "datastore pool",
												  ALLOCSET_SMALL_SIZES);
		DsStore    *copy = ds_store_copy(store, cxt);

		MemoryContextSetIdentifier(cxt, copy->name);
		pool = hash_search(pools, store->name, HASH_ENTER, &found);
		Assert(!found);
		MemSet((char *) pool + offsetof(DsPool, store), 0,
			   sizeof(DsPool) - offsetof(DsPool, store));
		pool->cxt = cxt;
		pool->store = copy;
		pool->driver = driver;
		pool->conns = MemoryContextAllocZero(cxt, sizeof(DsConn *) * copy->max_connections);
	}

	return pool;
}

void
ds_pool_warm(DsPool *pool)
{
	/* A failure here leaves the pool as it was; the next use retries. */
	while (pool->driver != NULL && pool->nconns < pool->store->min_connections)
		add_conn(pool);
}

bool
ds_pool_close(const char *name)
{
	DsPool	   *pool = find_pool(name);

	if (pool == NULL)
		return false;
	if (ds_pool_busy_count(pool) > 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_IN_USE),
				 errmsg("datastore \"%s\" is in use by a running statement", name)));
	while (pool->nconns > 0)
		close_conn(pool, pool->nconns - 1, false);
	if (pool->extra)
		pool->extra_free(pool->extra);
	MemoryContextDelete(pool->cxt);
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
		if (pool->driver != NULL)
			result = lappend(result, pool);
	}
	list_sort(result, cmp_pool_names);
	return result;
}

/*
 * An idle connection is checked before reuse: a free local test every time
 * (a closed socket shows up as readable), a round trip once it has been
 * idle for health_check_interval.  A dead one is reopened transparently:
 * nothing was running on it.
 */
static DsConn *
checked_idle_conn(DsPool *pool, int i)
{
	DsConn	   *conn = pool->conns[i];
	TimestampTz now = GetCurrentTimestamp();
	bool		ping = TimestampDifferenceExceeds(conn->last_checked, now,
												  ds_health_check_interval * 1000);
	bool		alive;

	/* Checked out while the ping runs, so a cancel cleans it up. */
	conn->busy = true;
	conn->owner = CurrentResourceOwner;
	conn->in_flight = ping;
	alive = pool->driver->alive(conn->handle, ping);
	conn->in_flight = false;
	conn->busy = false;
	if (alive)
	{
		if (ping)
			conn->last_checked = now;
		return conn;
	}
	close_conn(pool, i, false);
	pool->reconnects++;
	return add_conn(pool);
}

DsConn *
ds_pool_checkout(DsPool *pool)
{
	DsConn	   *conn = NULL;

	Assert(pool->driver != NULL);
	prune_idle(pool);
	ds_pool_warm(pool);
	for (int i = 0; i < pool->nconns; i++)
	{
		if (!pool->conns[i]->busy)
		{
			conn = checked_idle_conn(pool, i);
			break;
		}
	}
	if (conn == NULL)
	{
		if (pool->nconns >= pool->store->max_connections)
			ereport(ERROR,
					(errcode(ERRCODE_TOO_MANY_CONNECTIONS),
					 errmsg("all %d connections of datastore \"%s\" are in use",
							pool->store->max_connections, pool->name),
					 errdetail("Every connection is held by a statement still running in this backend, e.g. a load whose source query calls the same store."),
					 errhint("Raise max_connections with ds_register().")));
		conn = add_conn(pool);
	}
	conn->busy = true;
	conn->in_flight = false;
	conn->in_xact = false;
	conn->owner = CurrentResourceOwner;
	pool->queries++;
	return conn;
}

void
ds_pool_checkin(DsConn *conn)
{
	DsPool	   *pool = conn->pool;

	Assert(conn->busy);
	if (conn->in_flight || conn->in_xact)
	{
		/* The caller gave up half way: the connection state is unknown. */
		close_conn(pool, conn_index(conn), true);
		return;
	}
	conn->busy = false;
	conn->owner = NULL;
	conn->last_used = GetCurrentTimestamp();
}

/*
 * Resource-owner release: give back what the released owner had checked
 * out.  Runs during abort, so nothing here may ERROR.
 */
static void
pool_resowner_release(ResourceReleasePhase phase, bool isCommit,
					  bool isTopLevel, void *arg)
{
	HASH_SEQ_STATUS seq;
	DsPool	   *pool;

	if (phase != RESOURCE_RELEASE_BEFORE_LOCKS || pools == NULL)
		return;
	hash_seq_init(&seq, pools);
	while ((pool = hash_seq_search(&seq)) != NULL)
	{
		for (int i = pool->nconns - 1; i >= 0; i--)
		{
			DsConn	   *conn = pool->conns[i];

			if (!conn->busy || conn->owner != CurrentResourceOwner)
				continue;
			if (isCommit)
				elog(WARNING, "datastore connection to \"%s\" was not released",
					 pool->name);
			if (conn->in_flight || conn->in_xact)
			{
				pool->errors++;
				close_conn(pool, i, true);
			}
			else
			{
				conn->busy = false;
				conn->owner = NULL;
				conn->last_used = GetCurrentTimestamp();
			}
		}
	}
}

/* At backend exit, close everything; stop statements still running. */
static void
pool_proc_exit(int code, Datum arg)
{
	HASH_SEQ_STATUS seq;
	DsPool	   *pool;

	if (pools == NULL)
		return;
	hash_seq_init(&seq, pools);
	while ((pool = hash_seq_search(&seq)) != NULL)
	{
		while (pool->nconns > 0)
		{
			DsConn	   *conn = pool->conns[pool->nconns - 1];

			close_conn(pool, pool->nconns - 1,
					   conn->busy && (conn->in_flight || conn->in_xact));
		}
	}
}
