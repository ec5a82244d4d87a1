/*
 * pool.h
 *		This backend's open stores and their connections.
 */
#ifndef DS_POOL_H
#define DS_POOL_H

#include "utils/resowner.h"
#include "utils/timestamp.h"

#include "core/catalog.h"

/* What the pool needs from a driver to manage its connections. */
typedef struct DsDriver
{
	const char *name;
	/* Opens a connection; ERRORs on failure without leaking the handle. */
	void	   *(*connect) (const DsStore *store);
	/*
	 * Closes a connection; never ERRORs.  With abort, a statement may still
	 * be running: stop it on the server first.
	 */
	void		(*disconnect) (void *handle, const DsStore *store, bool abort);
	/* Is an idle connection still usable?  ping: ask the server. */
	bool		(*alive) (void *handle, bool ping);
} DsDriver;

typedef struct DsPool DsPool;

typedef struct DsConn
{
	DsPool	   *pool;
	void	   *handle;
	bool		busy;			/* checked out */
	bool		in_flight;		/* a statement or result is unfinished */
	bool		in_xact;		/* a remote transaction is open */
	ResourceOwner owner;		/* who checked it out */
	TimestampTz last_used;
	TimestampTz last_checked;
} DsConn;

struct DsPool
{
	char		name[NAMEDATALEN];	/* hash key: the store name */
	DsStore    *store;			/* configuration the pool was opened with */
	MemoryContext cxt;			/* owns store and the connection slots */
	const DsDriver *driver;		/* NULL: served in this backend, no connections */
	int			nconns;
	DsConn	  **conns;			/* max_connections slots */
	int64		queries;
	int64		errors;
	int64		reconnects;
	/* state kept beside the connections (StarRocks: the HTTP client) */
	void	   *extra;
	void		(*extra_free) (void *extra);
};

/*
 * Returns the open pool for the store, opening it if needed (without
 * connecting).  A pool opened with an older registration is reopened.
 */
extern DsPool *ds_pool_open(const DsStore *store, const DsDriver *driver);

/*
 * Opens connections up to min_connections: on ds_connect() and on the first
 * checkout.  (A StarRocks store used only over HTTP never connects.)
 */
extern void ds_pool_warm(DsPool *pool);

/* Closes the named pool; false if this backend had none. */
extern bool ds_pool_close(const char *name);

/* Closes every pool; returns how many there were. */
extern int	ds_pool_close_all(void);

/* Open remote pools, in name order, for ds_pool_status(). */
extern List *ds_pool_list(void);
extern int	ds_pool_busy_count(DsPool *pool);

/*
 * A connection for one statement.  Until ds_pool_checkin(), an ERROR
 * anywhere releases it: a connection left in_flight or in_xact is closed
 * (its statement stopped on the server, its transaction rolled back by the
 * disconnect), any other goes back to the pool.
 */
extern DsConn *ds_pool_checkout(DsPool *pool);
extern void ds_pool_checkin(DsConn *conn);

#endif							/* DS_POOL_H */
