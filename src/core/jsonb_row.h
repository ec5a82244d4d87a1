/*
 * jsonb_row.h
 *		Turning rows into jsonb objects keyed by column name.
 */
#ifndef DS_JSONB_ROW_H
#define DS_JSONB_ROW_H

#include "access/tupdesc.h"
#include "utils/jsonb.h"

/* Builds one object from (key, value) pairs; keys may repeat, last wins. */
typedef struct DsJsonbObject
{
	JsonbParseState *state;
} DsJsonbObject;

extern void ds_jsonb_object_begin(DsJsonbObject *obj);
extern void ds_jsonb_object_add(DsJsonbObject *obj, JsonbValue *key,
								JsonbValue *value);
extern Jsonb *ds_jsonb_object_finish(DsJsonbObject *obj);

/*
 * Rows with a fixed set of keys: the keys' jsonb order (and which of two
 * equal names wins) is worked out once, so building a row sorts nothing.
 */
typedef struct DsJsonbKeys DsJsonbKeys;

extern DsJsonbKeys *ds_jsonb_keys_create(JsonbValue *keys, int n);

/* values[i] belongs to keys[i]; a jbvBinary value is nested as it is. */
extern Jsonb *ds_jsonb_keys_build(DsJsonbKeys *k, JsonbValue *values);

static inline void
ds_jsonb_set_string(JsonbValue *v, char *s, int len)
{
	v->type = jbvString;
	v->val.string.val = s;
	v->val.string.len = len;
}

/*
 * A number in text form: a JSON number when it is one (exact, through
 * numeric_in), else the text as a string ("NaN", "Infinity"), which is what
 * to_jsonb() does with printed floats.
 */
extern void ds_jsonb_set_number_text(JsonbValue *v, char *text, int len);

/* The same for text known to be a JSON number (NUL-terminated). */
extern void ds_jsonb_set_number(JsonbValue *v, char *text);

/* The member key of an object (NULL when jb is no object or has none). */
extern JsonbValue *ds_jsonb_member(Jsonb *jb, const char *key);

/* Sets *out to represent a whole jsonb document (scalar or container). */
extern void ds_jsonb_to_value(Jsonb *jb, JsonbValue *out);

/*
 * PostgreSQL tuples: the column plan is made once per result, so the per-row
 * work does no catalog lookups.  Values come out exactly as to_jsonb() would
 * make them.
 */
typedef struct DsPgRowEncoder DsPgRowEncoder;

extern DsPgRowEncoder *ds_pg_row_encoder_create(TupleDesc desc);
extern Jsonb *ds_pg_row_to_jsonb(DsPgRowEncoder *enc, Datum *values,
								 bool *nulls);

#endif							/* DS_JSONB_ROW_H */
