/*
 * pg_array.h
 *		PostgreSQL's array text from a JSON array: what a PostgreSQL target
 *		loads into an array column when the value comes from a kind that
 *		writes arrays as JSON (StarRocks' ARRAY, a MySQL JSON array).
 */
#ifndef DS_PG_ARRAY_H
#define DS_PG_ARRAY_H

#include "lib/stringinfo.h"

#include "core/load_encode.h"

/*
 * For each column i with arrays[i] whose value is a JSON array ([...],
 * nested arrays as dimensions, null as NULL, strings quoted, objects as
 * their JSON text), points the row at its {...} text instead, written into
 * scratch (reset here; valid until the next call).  Any other value stays
 * as it is: PostgreSQL's array input then judges it, as it judges a {...}
 * from a PostgreSQL source, or one with bounds ([1:2]={1,2}), which is no
 * JSON.
 */
extern void ds_pg_arrays_from_json(DsEncodeRow *row, const bool *arrays, StringInfo scratch);

#endif							/* DS_PG_ARRAY_H */
