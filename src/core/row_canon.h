/*
 * row_canon.h
 *		One form per value, whatever store it came from: the rule ds_diff
 *		compares by (row_canon.c; docs/sync.md states it for users).
 */
#ifndef DS_ROW_CANON_H
#define DS_ROW_CANON_H

#include "lib/stringinfo.h"

#include "core/load_encode.h"

/*
 * Appends column i of row in its canonical form: a tag byte for the kind of
 * value, then its text.  Numbers (and booleans, as 1 and 0) by value, JSON
 * with its keys ordered, date-times and times of day written one way (T or
 * space, fraction zeros, +00 / +00:00 / Z); any other text and bytes as they
 * are.
 */
extern void ds_row_canon_value(StringInfo out, const DsEncodeRow *row, int i);

/*
 * Does this JSON text hold a \u0000 escape?  Valid JSON, but not a jsonb
 * value: such JSON is compared, and shown, as the text it is.
 */
extern bool ds_json_has_nul_escape(const char *s, int len);

#endif							/* DS_ROW_CANON_H */
