/*
 * registry.h
 *		The store kinds, listed in one place, and a store opened through its
 *		kind's routine.  The SQL functions (src/api) reach the kinds only
 *		through here.
 */
#ifndef DS_REGISTRY_H
#define DS_REGISTRY_H

#include "core/compat.h"
#include "core/routine.h"

/* The routine of the kind that serves the store. */
extern const DsStoreRoutine *ds_store_routine(const DsStore *store);

/* Each kind's init (its settings), from _PG_init. */
extern void ds_registry_init(void);

/*
 * Looks the store up, checks the caller may use it and that its settings
 * are allowed for its owner, and returns its open pool (opening it if
 * needed) and its kind's routine.  A store that vanished from the catalog
 * loses this backend's pool on the way to the ERROR.
 */
extern DsPool *ds_open_store(const char *name, const DsStoreRoutine **routine);

/*
 * A query on this database as a row source, for the loads that send it to
 * a store of another kind.
 */
extern DsRowSource *ds_rows_of_local_query(const char *query, DsParams *params,
										   List *columns);

/*
 * Whether the kind has a callback (callback: its offsetof() in
 * DsStoreRoutine), and the one ERROR for one it lacks: what ("ds_http_query")
 * needs another kind of store.
 */
extern bool ds_routine_has(const DsStoreRoutine *routine, size_t callback);
pg_noreturn extern void ds_routine_missing(const DsStoreRoutine *routine, const char *store,
										   const char *what, size_t callback);

#endif							/* DS_REGISTRY_H */
