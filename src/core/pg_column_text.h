/*
 * pg_column_text.h
 *		What a PostgreSQL target's column reads, from a value another kind
 *		writes its own way: a JSON array (StarRocks' ARRAY, a MySQL JSON
 *		array) into an array column as {...}, the bytes of MySQL's BIT(n)
 *		into a bit(n) column as its bits.  Both PostgreSQL targets (local and
 *		remote) rewrite such values before COPY reads them.
 */
#ifndef DS_PG_COLUMN_TEXT_H
#define DS_PG_COLUMN_TEXT_H

#include "lib/stringinfo.h"

#include "core/load_encode.h"

typedef enum DsPgColumnForm
{
	DS_PG_COLUMN_AS_IS = 0,
	DS_PG_COLUMN_ARRAY,			/* an array (or a domain over one) */
	DS_PG_COLUMN_BIT			/* bit(n) or varbit(n): bits holds n, -1 if none */
} DsPgColumnForm;

/* The target's forms of the load's columns, and the buffer they write in. */
typedef struct DsPgColumns
{
	int			ncolumns;
	DsPgColumnForm *forms;
	int32	   *bits;
	StringInfoData scratch;
} DsPgColumns;

/*
 * A new set of forms for ncolumns, all as is (palloc'd); the caller sets
 * forms[i] (and bits[i]) of the columns that need it.
 */
extern DsPgColumns *ds_pg_columns_new(int ncolumns);

/* Does any column need a rewrite? */
extern bool ds_pg_columns_any(const DsPgColumns *cols);

/*
 * Points the row's values at what their columns read, written into the
 * scratch buffer (valid until the next call):
 *  - an array column's JSON array ([...], nested arrays as dimensions,
 *    null as NULL, strings quoted, objects as their JSON text) as {...};
 *  - a bit column's bytea text (\x..., the bytes of MySQL's BIT(n), big
 *    endian) as its low n bits (all of them if n is not known), when the
 *    bits above n are zero.
 * Any other value stays as it is, for PostgreSQL's input function to
 * judge: a {...} from a PostgreSQL source, one with bounds ([1:2]={1,2},
 * which is no JSON), a bit string's own text.
 */
extern void ds_pg_columns_rewrite(DsPgColumns *cols, DsEncodeRow *row);

#endif							/* DS_PG_COLUMN_TEXT_H */
