/*
 * pool.h
 *		This backend's open stores and their connections.
 */
#ifndef DS_POOL_H
#define DS_POOL_H

#include "catalog.h"

typedef struct DsPool
{
	char		name[NAMEDATALEN];	/* hash key: the store name */
	DsStore    *store;			/* configuration the pool was opened with */
	MemoryContext cxt;			/* owns store and everything else here */
	bool		local;			/* served through SPI: no connections */
	int			connections;
	int			busy;
	int64		queries;
	int64		errors;
	int64		reconnects;
} DsPool;

/*
 * Returns the open pool for the store, opening it if needed.  A pool opened
 * with an older registration (generation) is closed and opened anew.
 */
extern DsPool *ds_pool_open(const DsStore *store);

/* Closes the named pool; false if this backend had none. */
extern bool ds_pool_close(const char *name);

/* Closes every pool; returns how many there were. */
extern int	ds_pool_close_all(void);

/* Open remote pools, in name order, for ds_pool_status(). */
extern List *ds_pool_list(void);

#endif							/* DS_POOL_H */
