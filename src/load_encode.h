/*
 * load_encode.h
 *		Stream-load encodings: rows into the bytes a bulk loader reads.
 */
#ifndef DS_LOAD_ENCODE_H
#define DS_LOAD_ENCODE_H

#include "lib/stringinfo.h"

#include "row_source.h"

/*
 * MySQL LOAD DATA with its defaults: fields ended by tab, lines by newline,
 * backslash escapes, \N for NULL.  Every byte round-trips.
 */
extern void ds_encode_mysql_row(StringInfo buf, DsRowSource *src);

/* The matching clauses of the LOAD DATA statement. */
#define DS_MYSQL_LOAD_FORMAT \
	"CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n'"

#endif							/* DS_LOAD_ENCODE_H */
