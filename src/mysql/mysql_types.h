/*
 * mysql_types.h
 *		Where a MySQL row becomes a jsonb object.
 */
#ifndef DS_MYSQL_TYPES_H
#define DS_MYSQL_TYPES_H

#include "utils/jsonb.h"

#include "mysql/mysql_api.h"

/*
 * What a MySQL column holds, decided once per result from its metadata:
 * the one classifier both ds_query's jsonb rows (below) and the row source
 * of ds_sync (mysql_rows.c) read values by.
 */
typedef enum DsMyKind
{
	MYK_INT,					/* fits int64 */
	MYK_UBIGINT,				/* unsigned 64-bit */
	MYK_DECIMAL,
	MYK_FLOAT,
	MYK_BIT,
	MYK_DATE,
	MYK_DATETIME,
	MYK_TIMESTAMP,
	MYK_TIME,
	MYK_JSON,
	MYK_BINARY,
	MYK_TEXT
} DsMyKind;

extern DsMyKind ds_my_field_kind(const DsMysqlApi *api, const MYSQL_FIELD *field);

/*
 * A DATE, DATETIME or TIMESTAMP in the server's text with a zero year,
 * month or day (0000-00-00, 2024-00-00): PostgreSQL has no such value, so
 * both paths read it as NULL.
 */
extern bool ds_my_zero_date(const char *s, unsigned long len);

typedef struct DsMyRowEncoder DsMyRowEncoder;

/* Plans the conversion of each column once per result. */
extern DsMyRowEncoder *ds_my_row_encoder_create(const DsMysqlApi *api,
												MYSQL_FIELD *fields,
												unsigned int nfields);

/* values/lengths in the server's text form; a NULL value is SQL NULL. */
extern Jsonb *ds_my_row_to_jsonb(DsMyRowEncoder *enc, char **values,
								 unsigned long *lengths);

#endif							/* DS_MYSQL_TYPES_H */
