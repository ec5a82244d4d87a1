/*
 * local_copy.h
 *		Rows from any source into a local table through COPY FROM.
 */
#ifndef DS_LOCAL_COPY_H
#define DS_LOCAL_COPY_H

#include "row_source.h"
#include "stream_load.h"

/*
 * Loads every row of src into target (a possibly qualified table name) as
 * the calling user, with COPY's checks (INSERT privilege on the columns,
 * no row-level security, not in a read-only transaction), triggers and
 * constraints.  Closes src.
 */
extern Jsonb *ds_local_load_rows(const char *target, DsRowSource *src,
								 const DsLoadOptions *opts);

#endif							/* DS_LOCAL_COPY_H */
