/*
 * json_scan.h
 *		The top level of a JSON object or array: its members or elements as
 *		(kind, text), nested containers kept as their raw JSON text.
 *
 * Free of backend headers: the StarRocks answer parsers and the params
 * binder read JSON through this, and test/fuzz builds the same code into
 * standalone fuzzers.
 */
#ifndef DS_JSON_SCAN_H
#define DS_JSON_SCAN_H

#include "core/value_kind.h"

typedef struct DsJsonItem
{
	char	   *key;			/* member name; NULL for array elements */
	DsParamKind kind;
	char	   *text;			/* NULL for null; a string de-escaped; a
								 * number or boolean as its token; a
								 * container as its JSON text (pointing into
								 * the input, not NUL-terminated) */
	int			len;
} DsJsonItem;

typedef struct DsJsonItems
{
	int			count;
	DsJsonItem *items;
} DsJsonItems;

typedef enum DsJsonShape
{
	DS_JSON_OBJECT,
	DS_JSON_ARRAY
} DsJsonShape;

/*
 * Parses json[0..len) (valid text in the given encoding: the caller checks
 * or converts it first) and returns true with the items of its top level if
 * it is valid JSON of the wanted shape.  Otherwise returns false and sets
 * *error to a description.  Strings are de-escaped into the same encoding.
 */
extern bool ds_json_scan(const char *json, int len, int encoding, DsJsonShape shape,
						 DsJsonItems *out, char **error);

/* The last member named key (JSON objects may repeat keys; jsonb keeps the last). */
extern DsJsonItem *ds_json_member(const DsJsonItems *items, const char *key);

#endif							/* DS_JSON_SCAN_H */
