/*
 * pq_copy_binary.h
 *		Local rows as PostgreSQL's binary COPY format, for loads into a remote
 *		PostgreSQL table whose columns read exactly what this side sends.
 */
#ifndef DS_PQ_COPY_BINARY_H
#define DS_PQ_COPY_BINARY_H

#include "lib/stringinfo.h"

typedef struct DsPqBinary DsPqBinary;

/*
 * A plan for ncolumns local columns of types local_types going into remote
 * columns of types remote_types (InvalidOid: unknown there).  NULL when a
 * column cannot go in binary; then *why (if given) says which and why.
 */
extern DsPqBinary *ds_pq_binary_plan(int ncolumns, const char *const *names,
									 const Oid *local_types,
									 const Oid *remote_types, char **why);

/* The stream's header, one row, and the trailer. */
extern void ds_pq_binary_header(StringInfo buf);
extern void ds_pq_binary_row(StringInfo buf, DsPqBinary *plan,
							 const Datum *values, const bool *nulls);
extern void ds_pq_binary_trailer(StringInfo buf);

#endif							/* DS_PQ_COPY_BINARY_H */
