/*
 * jsonb_row.c
 *		Where a PostgreSQL row becomes a jsonb object.
 *
 * to_jsonb(record) looks up every column's type category for every row and
 * turns integers into numbers by printing and re-parsing them.  Here the
 * category is decided once per result and the common scalar types take a
 * direct path; anything else goes through to_jsonb() itself, so the output
 * is always what to_jsonb() gives.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/jsonapi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/fmgroids.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"

#include "core/jsonb_row.h"

void
ds_jsonb_object_begin(DsJsonbObject *obj)
{
	obj->state = NULL;
	pushJsonbValue(&obj->state, WJB_BEGIN_OBJECT, NULL);
}

void
ds_jsonb_object_add(DsJsonbObject *obj, JsonbValue *key, JsonbValue *value)
{
	pushJsonbValue(&obj->state, WJB_KEY, key);
	pushJsonbValue(&obj->state, WJB_VALUE, value);
}

Jsonb *
ds_jsonb_object_finish(DsJsonbObject *obj)
{
	return JsonbValueToJsonb(pushJsonbValue(&obj->state, WJB_END_OBJECT, NULL));
}

void
ds_jsonb_to_value(Jsonb *jb, JsonbValue *out)
{
	if (JB_ROOT_IS_SCALAR(jb))
		JsonbExtractScalar(&jb->root, out);
	else
	{
		/* pushJsonbValue() unpacks a binary container into the object */
		out->type = jbvBinary;
		out->val.binary.data = &jb->root;
		out->val.binary.len = VARSIZE(jb) - VARHDRSZ;
	}
}

struct DsJsonbKeys
{
	int			n;				/* distinct keys */
	JsonbPair  *pairs;			/* keys in jsonb order; values filled per row */
	int		   *source;			/* for each pair, the index into values */
	bool		any_binary;		/* scratch: a row had a nested container */
};

/* jsonb's key order: shorter first, then bytewise. */
static int
key_cmp(const JsonbValue *a, const JsonbValue *b)
{
	if (a->val.string.len != b->val.string.len)
		return a->val.string.len > b->val.string.len ? 1 : -1;
	return memcmp(a->val.string.val, b->val.string.val, a->val.string.len);
}

/* Sorting column indexes by their key; equal keys by column order. */
typedef struct KeySort
{
	const JsonbValue *keys;
} KeySort;

static int
index_cmp(const void *a, const void *b, void *arg)
{
	const JsonbValue *keys = ((KeySort *) arg)->keys;
	int			i = *(const int *) a;
	int			j = *(const int *) b;
	int			c = key_cmp(&keys[i], &keys[j]);

	return c != 0 ? c : (i > j) - (i < j);
}

DsJsonbKeys *
ds_jsonb_keys_create(JsonbValue *keys, int n)
{
	DsJsonbKeys *k = palloc0(sizeof(DsJsonbKeys));
	int		   *order = palloc(sizeof(int) * Max(n, 1));
	KeySort		ks = {keys};

	/*
	 * A server decides how many columns a result has: sort in O(n log n),
	 * once per result.
	 */
	for (int i = 0; i < n; i++)
		order[i] = i;
	qsort_arg(order, n, sizeof(int), index_cmp, &ks);
	CHECK_FOR_INTERRUPTS();

	k->pairs = palloc0(sizeof(JsonbPair) * Max(n, 1));
	k->source = palloc0(sizeof(int) * Max(n, 1));
	for (int i = 0; i < n; i++)
	{
		int			col = order[i];

		/* A repeated name: the later column wins, as in to_jsonb(). */
		if (k->n > 0 && key_cmp(&keys[col], &k->pairs[k->n - 1].key) == 0)
		{
			k->source[k->n - 1] = col;
			continue;
		}
		k->pairs[k->n].key = keys[col];
		k->pairs[k->n].order = k->n;
		k->source[k->n] = col;
		k->n++;
	}
	pfree(order);
	return k;
}

/* A binary container as a JsonbValue tree, which convertToJsonb() needs. */
static JsonbValue *
expand_binary(JsonbValue *v)
{
	JsonbParseState *state = NULL;
	JsonbIterator *it = JsonbIteratorInit(v->val.binary.data);
	JsonbValue	tok;
	JsonbIteratorToken r;
	JsonbValue *res = NULL;

	while ((r = JsonbIteratorNext(&it, &tok, false)) != WJB_DONE)
		res = pushJsonbValue(&state, r, r < WJB_BEGIN_ARRAY ? &tok : NULL);
	return res;
}

Jsonb *
ds_jsonb_keys_build(DsJsonbKeys *k, JsonbValue *values)
{
	JsonbValue	obj;

	for (int i = 0; i < k->n; i++)
	{
		JsonbValue *v = &values[k->source[i]];

		k->pairs[i].value = (v->type == jbvBinary) ? *expand_binary(v) : *v;
	}
	obj.type = jbvObject;
	obj.val.object.nPairs = k->n;
	obj.val.object.pairs = k->pairs;
	return JsonbValueToJsonb(&obj);
}

typedef enum DsPgColumnKind
{
	DS_COL_SKIP,				/* dropped column */
	DS_COL_BOOL,
	DS_COL_INT2,
	DS_COL_INT4,
	DS_COL_INT8,
	DS_COL_NUMERIC,
	DS_COL_FLOAT,				/* printed, number if it is a JSON number */
	DS_COL_TEXT,				/* text, varchar, bpchar: bytes as they are */
	DS_COL_NAME,
	DS_COL_DATETIME,
	DS_COL_JSONB,
	DS_COL_OTHER				/* to_jsonb() decides */
} DsPgColumnKind;

typedef struct DsPgColumn
{
	DsPgColumnKind kind;
	Oid			typid;			/* base type */
	JsonbValue	key;
	FmgrInfo	fn;				/* output function, or to_jsonb() */
} DsPgColumn;

struct DsPgRowEncoder
{
	int			ncolumns;
	DsPgColumn *columns;
	DsJsonbKeys *keys;			/* over the columns that are not dropped */
	int		   *live;			/* their column indexes */
	JsonbValue *values;
};

static DsPgColumnKind
column_kind(Oid basetype)
{
	switch (basetype)
	{
		case BOOLOID:
			return DS_COL_BOOL;
		case INT2OID:
			return DS_COL_INT2;
		case INT4OID:
			return DS_COL_INT4;
		case INT8OID:
			return DS_COL_INT8;
		case NUMERICOID:
			return DS_COL_NUMERIC;
		case FLOAT4OID:
		case FLOAT8OID:
			return DS_COL_FLOAT;
		case TEXTOID:
		case VARCHAROID:
		case BPCHAROID:
			return DS_COL_TEXT;
		case NAMEOID:
			return DS_COL_NAME;
		case DATEOID:
		case TIMESTAMPOID:
		case TIMESTAMPTZOID:
			return DS_COL_DATETIME;
		case JSONBOID:
			return DS_COL_JSONB;
		default:
			return DS_COL_OTHER;
	}
}

/*
 * to_jsonb() finds its argument type through fn_expr, so give it an
 * expression that carries the column's type.
 */
static void
init_to_jsonb(FmgrInfo *fn, Oid typid)
{
	FuncExpr   *expr;

	fmgr_info(F_TO_JSONB, fn);
	expr = makeFuncExpr(F_TO_JSONB, JSONBOID,
						list_make1(makeNullConst(typid, -1, InvalidOid)),
						InvalidOid, InvalidOid, COERCE_EXPLICIT_CALL);
	fn->fn_expr = (Node *) expr;
}

DsPgRowEncoder *
ds_pg_row_encoder_create(TupleDesc desc)
{
	DsPgRowEncoder *enc = palloc(sizeof(DsPgRowEncoder));

	enc->ncolumns = desc->natts;
	enc->columns = palloc0(sizeof(DsPgColumn) * desc->natts);
	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);
		DsPgColumn *col = &enc->columns[i];

		if (att->attisdropped)
		{
			col->kind = DS_COL_SKIP;
			continue;
		}
		col->typid = getBaseType(att->atttypid);
		col->kind = column_kind(col->typid);
		col->key.type = jbvString;
		col->key.val.string.val = pstrdup(NameStr(att->attname));
		col->key.val.string.len = strlen(col->key.val.string.val);

		if (col->kind == DS_COL_FLOAT)
		{
			Oid			outfunc;
			bool		isvarlena;

			getTypeOutputInfo(col->typid, &outfunc, &isvarlena);
			fmgr_info(outfunc, &col->fn);
		}
		else if (col->kind == DS_COL_OTHER)
			init_to_jsonb(&col->fn, att->atttypid);
	}
	{
		JsonbValue *keys = palloc(sizeof(JsonbValue) * Max(desc->natts, 1));
		int			n = 0;

		enc->live = palloc(sizeof(int) * Max(desc->natts, 1));
		for (int i = 0; i < desc->natts; i++)
		{
			if (enc->columns[i].kind == DS_COL_SKIP)
				continue;
			keys[n] = enc->columns[i].key;
			enc->live[n++] = i;
		}
		enc->keys = ds_jsonb_keys_create(keys, n);
		enc->values = palloc(sizeof(JsonbValue) * Max(n, 1));
	}
	return enc;
}

void
ds_jsonb_set_number_text(JsonbValue *v, char *text, int len)
{
	if (IsValidJsonNumber(text, len))
		ds_jsonb_set_number(v, text);
	else
		ds_jsonb_set_string(v, text, len);
}

JsonbValue *
ds_jsonb_member(Jsonb *jb, const char *key)
{
	JsonbValue	k;

	if (jb == NULL || !JB_ROOT_IS_OBJECT(jb))
		return NULL;
	k.type = jbvString;
	k.val.string.val = (char *) key;
	k.val.string.len = strlen(key);
	return findJsonbValueFromContainer(&jb->root, JB_FOBJECT, &k);
}

void
ds_jsonb_set_number(JsonbValue *v, char *text)
{
	v->type = jbvNumeric;
	v->val.numeric = DatumGetNumeric(DirectFunctionCall3(numeric_in,
														 CStringGetDatum(text),
														 ObjectIdGetDatum(InvalidOid),
														 Int32GetDatum(-1)));
}

static void
column_value(DsPgColumn *col, Datum d, JsonbValue *v)
{
	switch (col->kind)
	{
		case DS_COL_BOOL:
			v->type = jbvBool;
			v->val.boolean = DatumGetBool(d);
			break;
		case DS_COL_INT2:
			v->type = jbvNumeric;
			v->val.numeric = int64_to_numeric(DatumGetInt16(d));
			break;
		case DS_COL_INT4:
			v->type = jbvNumeric;
			v->val.numeric = int64_to_numeric(DatumGetInt32(d));
			break;
		case DS_COL_INT8:
			v->type = jbvNumeric;
			v->val.numeric = int64_to_numeric(DatumGetInt64(d));
			break;
		case DS_COL_NUMERIC:
			{
				Numeric		num = DatumGetNumeric(d);

				if (numeric_is_nan(num) || numeric_is_inf(num))
				{
					char	   *s = DatumGetCString(DirectFunctionCall1(numeric_out, d));

					ds_jsonb_set_string(v, s, strlen(s));
				}
				else
				{
					v->type = jbvNumeric;
					v->val.numeric = num;
				}
				break;
			}
		case DS_COL_FLOAT:
			{
				char	   *s = OutputFunctionCall(&col->fn, d);

				ds_jsonb_set_number_text(v, s, strlen(s));
				break;
			}
		case DS_COL_TEXT:
			{
				text	   *t = DatumGetTextPP(d);

				ds_jsonb_set_string(v, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
				break;
			}
		case DS_COL_NAME:
			{
				char	   *s = NameStr(*DatumGetName(d));

				ds_jsonb_set_string(v, s, strlen(s));
				break;
			}
		case DS_COL_DATETIME:
			{
				char	   *s = JsonEncodeDateTime(NULL, d, col->typid, NULL);

				ds_jsonb_set_string(v, s, strlen(s));
				break;
			}
		case DS_COL_JSONB:
			ds_jsonb_to_value(DatumGetJsonbP(d), v);
			break;
		case DS_COL_OTHER:
			ds_jsonb_to_value(DatumGetJsonbP(FunctionCall1(&col->fn, d)), v);
			break;
		case DS_COL_SKIP:
			Assert(false);
			break;
	}
}

Jsonb *
ds_pg_row_to_jsonb(DsPgRowEncoder *enc, Datum *values, bool *nulls)
{
	int			n = 0;

	for (int i = 0; i < enc->ncolumns; i++)
	{
		DsPgColumn *col = &enc->columns[i];
		JsonbValue *v = &enc->values[n];

		if (col->kind == DS_COL_SKIP)
			continue;
		if (nulls[i])
			v->type = jbvNull;
		else
			column_value(col, values[i], v);
		n++;
	}
	return ds_jsonb_keys_build(enc->keys, enc->values);
}
