/*
 * row_source.h
 *		Rows to load, from any source into any store's bulk path: the
 *		interface every source implements (a jsonb array here; a local query
 *		in local/, a remote result in postgres/ and mysql/).
 */
#ifndef DS_ROW_SOURCE_H
#define DS_ROW_SOURCE_H

#include "nodes/pg_list.h"
#include "utils/jsonb.h"

#include "core/load_encode.h"
#include "core/params.h"

typedef struct DsRowSource DsRowSource;

struct DsRowSource
{
	/* target column names, and the current row (valid until next()) */
	DsEncodeRow row;
	uint64		rownum;			/* 1-based, of the current row */
	/*
	 * Set by PostgreSQL targets: values in the text forms PostgreSQL reads
	 * back whatever the session, bytea as \x hex (not raw bytes) and
	 * timestamptz with its +00:00 offset (not UTC wall-clock time, which
	 * COPY would read in the session's time zone).
	 */
	bool		pg_text;

	/*
	 * A local query source also offers its rows as Datums, which a consumer
	 * can send in binary: types is then set (the columns' types, else NULL),
	 * and a consumer that sets datums_only before the first next() gets
	 * datums and nulls filled (valid until next()) instead of row's text.
	 */
	Oid		   *types;
	bool		datums_only;
	Datum	   *datums;
	bool	   *nulls;
	bool		(*next) (DsRowSource *src);
	void		(*close) (DsRowSource *src);
};

/*
 * How a row source writes a PostgreSQL value of a built-in type: the one
 * classifier of the local query source (local/local_rows.c) and the remote
 * one (postgres/pq_rows.c).
 */
typedef enum DsRowValueKind
{
	DS_ROW_BOOL,				/* 1 or 0 */
	DS_ROW_NUMBER,				/* as printed */
	DS_ROW_DATETIME,			/* date, timestamp: ISO 8601 */
	DS_ROW_TIMESTAMPTZ,			/* ds_timestamptz_text */
	DS_ROW_BYTEA,				/* raw bytes, or \x hex for PostgreSQL targets */
	DS_ROW_JSON,				/* JSON text, nested in JSON loads */
	DS_ROW_ARRAY,				/* {...} for PostgreSQL targets, else a JSON array */
	DS_ROW_BPCHAR,				/* char(n): padded for PostgreSQL targets, else not */
	DS_ROW_BIT,					/* bit(n): 10101 for PostgreSQL targets, else the
								 * bytes of MySQL's BIT(n) */
	DS_ROW_TEXT					/* the output function's text, in UTF-8 */
} DsRowValueKind;

extern DsRowValueKind ds_row_value_kind(Oid type);

/*
 * The length of a char(n) value without its trailing blanks: PostgreSQL
 * compares char(n) without them, and MySQL's CHAR reads back without them,
 * so they are no part of the value for other kinds (and ds_diff).
 */
static inline int
ds_bpchar_length(const char *s, int len)
{
	while (len > 0 && s[len - 1] == ' ')
		len--;
	return len;
}

/* Text in the database encoding as UTF-8 (*len updated). */
extern char *ds_row_utf8(char *s, int *len);

/* Allocates the current row's kinds, values and lengths for row.ncolumns. */
extern void ds_row_source_alloc(DsRowSource *src);

/* Column i of the current row is NULL. */
static inline void
ds_row_set_null(DsRowSource *src, int i)
{
	src->row.kinds[i] = DS_PARAM_NULL;
	src->row.values[i] = NULL;
	src->row.lengths[i] = 0;
}

/*
 * A timestamptz as src's target reads it back: with its +00:00 offset for
 * PostgreSQL targets (pg_text), else as UTC wall-clock time (palloc'd).
 */
extern char *ds_timestamptz_text(const DsRowSource *src, Datum d);

/*
 * A bit string's text (nbits of '0' and '1') as MySQL's BIT(n) holds it:
 * the bits as an unsigned number, in big-endian bytes, as few as hold n
 * bits (palloc'd; *len set).  ERROR if the text is no bit string.
 */
extern char *ds_bits_bytes(const char *bits, int nbits, int *len);

/*
 * An array as the JSON array StarRocks' ARRAY and MySQL's JSON read (with
 * array_to_json: elements in their JSON forms, NULL as null, dimensions as
 * nested arrays), in UTF-8 (palloc'd; *len set).
 */
extern char *ds_array_json(Datum array, int *len);

/*
 * ERROR unless text is one JSON value: a source server's JSON goes into JSON
 * loads as it is, where anything else would change the rows around it.
 */
extern void ds_row_check_json(const char *text, int len);

/* bytes as PostgreSQL's bytea text: \x and two hex digits a byte (palloc'd). */
extern char *ds_bytea_hex(const char *bytes, int len, int *hexlen);

/*
 * Sizes a query source's row for the ncolumns its query returns.  The
 * column names are options->'columns' when given (ERROR unless it names as
 * many), else left NULL for the source to fill from its query.
 */
extern void ds_row_source_columns(DsRowSource *src, int ncolumns, List *columns);

/*
 * A jsonb array of objects.  Columns are the given list, or the keys of the
 * first object; then a later object with a key outside them is an ERROR,
 * since its value would be lost.  Missing keys are NULL.
 */
extern DsRowSource *ds_rows_from_jsonb(Jsonb *data, List *columns);

#endif							/* DS_ROW_SOURCE_H */
