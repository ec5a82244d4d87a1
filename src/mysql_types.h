/*
 * mysql_types.h
 *		Where a MySQL row becomes a jsonb object.
 */
#ifndef DS_MYSQL_TYPES_H
#define DS_MYSQL_TYPES_H

#include "utils/jsonb.h"

#include "mysql_api.h"

typedef struct DsMyRowEncoder DsMyRowEncoder;

/* Plans the conversion of each column once per result. */
extern DsMyRowEncoder *ds_my_row_encoder_create(const DsMysqlApi *api,
												MYSQL_FIELD *fields,
												unsigned int nfields);

/* values/lengths in the server's text form; a NULL value is SQL NULL. */
extern Jsonb *ds_my_row_to_jsonb(DsMyRowEncoder *enc, char **values,
								 unsigned long *lengths);

#endif							/* DS_MYSQL_TYPES_H */
