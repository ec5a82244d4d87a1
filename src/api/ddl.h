/*
 * ddl.h
 *		What ds_sync borrows from ds_ddl (ddl.c): its "create" option, a
 *		missing target made from the source query's columns first.
 */
#ifndef DS_API_DDL_H
#define DS_API_DDL_H

#include "utils/jsonb.h"

#include "core/routine.h"

/*
 * options without its "create" member (which the load options do not
 * know); *create is its options as an object (true: {}), NULL when it is
 * absent or false.  ERROR if it is anything else.
 */
extern Jsonb *ds_ddl_take_create(Jsonb *options, Jsonb **create);

/*
 * CREATE TABLE IF NOT EXISTS table on the target (as create's options
 * say: key, if_not_exists, buckets, properties), with the columns of the
 * source query (params bound); load_columns (the load's options->'columns',
 * or NIL) renames them, as the load will.
 */
extern void ds_ddl_create_for_sync(Jsonb *create, DsPool *source, const DsStoreRoutine *source_kind,
								   const char *source_store, const char *query,
								   DsParams *params, DsPool *target,
								   const DsStoreRoutine *target_kind,
								   const char *target_store, const char *table,
								   List *load_columns);

#endif							/* DS_API_DDL_H */
