/*
 * load_encode.h
 *		Stream-load encodings: rows into the bytes a bulk loader reads.
 *
 * Free of backend headers (StringInfo and palloc come from libpgcommon in
 * frontend builds), so test/fuzz builds the same code into fuzzers.
 */
#ifndef DS_LOAD_ENCODE_H
#define DS_LOAD_ENCODE_H

#include "lib/stringinfo.h"

#include "core/value_kind.h"

/* One row to encode; the leading fields of DsRowSource have this shape. */
typedef struct DsEncodeRow
{
	int			ncolumns;
	char	  **columns;		/* names (JSON keys) */
	DsParamKind *kinds;			/* DS_PARAM_NULL for NULL */
	char	  **values;			/* UTF-8 text */
	int		   *lengths;
} DsEncodeRow;

/*
 * MySQL LOAD DATA with its defaults: fields ended by tab, lines by newline,
 * backslash escapes, \N for NULL.  Every byte round-trips.
 */
extern void ds_encode_mysql_row(StringInfo buf, const DsEncodeRow *row);

/* The matching clauses of the LOAD DATA statement. */
#define DS_MYSQL_LOAD_FORMAT \
	"CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n'"

/*
 * StarRocks CSV: columns ended by \x01, rows by \x02, \N for NULL; a value
 * holding a separator, the quote or the backslash, or being the text \N, is
 * enclosed in quotes with quote and backslash escaped by a backslash.
 * The matching stream-load headers are DS_SR_CSV_HEADERS.
 */
#define DS_SR_CSV_COLUMN_SEP '\x01'
#define DS_SR_CSV_ROW_SEP '\x02'
extern void ds_encode_sr_csv_row(StringInfo buf, const DsEncodeRow *row);

/*
 * PostgreSQL COPY text format with its defaults: columns ended by tab, rows
 * by newline, \N for NULL; backslash, tab, newline and carriage return
 * escaped by a backslash (so the text \N, escaped as \\N, stays text).
 * Booleans go as t/f, which COPY TO writes.  Every byte round-trips.
 */
extern void ds_encode_pg_copy_row(StringInfo buf, const DsEncodeRow *row);

/* One JSON object keyed by column name; numbers and JSON stay unquoted. */
extern void ds_encode_json_row(StringInfo buf, const DsEncodeRow *row);

#endif							/* DS_LOAD_ENCODE_H */
