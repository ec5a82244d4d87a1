/*
 * pq_types.h
 *		Rows of a remote PostgreSQL result as jsonb, exactly as to_jsonb()
 *		makes them from the same row locally.
 */
#ifndef DS_PQ_TYPES_H
#define DS_PQ_TYPES_H

#include "utils/jsonb.h"

#include "postgres/pq_api.h"

typedef struct DsPqRowEncoder DsPqRowEncoder;

/* Plans the columns of res once; the plan serves every row of its shape. */
extern DsPqRowEncoder *ds_pq_row_encoder_create(const DsPqApi *api, const PGresult *res);

/*
 * Does res have the columns the plan was made for?  A server may send any
 * description with any row; a row is read only through the plan of its own
 * shape.
 */
extern bool ds_pq_row_encoder_fits(DsPqRowEncoder *enc, const PGresult *res);
extern bool ds_pq_same_shape(const DsPqApi *api, const PGresult *res, int ncolumns,
							 const Oid *types);

extern Jsonb *ds_pq_row_to_jsonb(DsPqRowEncoder *enc, const PGresult *res, int row);

/*
 * A remote array of a built-in type (value: its text) as the JSON array a
 * load into another kind writes, its elements as ds_query reads them
 * (through this server's input for types whose text says the same here,
 * else each element's remote text), or NULL for an array this cannot read
 * so (user-defined and composite element types): it then goes as its text.
 */
extern char *ds_pq_array_json(Oid remote, const char *value, int len);

#endif							/* DS_PQ_TYPES_H */
