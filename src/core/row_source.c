/*
 * row_source.c
 *		What every row source shares, and the source of a jsonb array: rows
 *		to load, as text in the form MySQL and StarRocks take.
 *
 * PostgreSQL values are put into a form the targets parse the same way
 * whatever this session's DateStyle or TimeZone: booleans as 1/0, dates and
 * timestamps in ISO 8601 (timestamptz in UTC, which is the time zone every
 * datastore MySQL connection uses), bytea as its raw bytes, numbers as
 * printed.  Text is converted to UTF-8 when the database uses another
 * encoding.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "core/progress.h"
#include "core/row_source.h"

void
ds_row_source_alloc(DsRowSource *src)
{
	src->row.kinds = palloc0(sizeof(DsParamKind) * Max(src->row.ncolumns, 1));
	src->row.values = palloc0(sizeof(char *) * Max(src->row.ncolumns, 1));
	src->row.lengths = palloc0(sizeof(int) * Max(src->row.ncolumns, 1));
}

void
ds_row_source_columns(DsRowSource *src, int ncolumns, List *columns)
{
	if (columns != NIL && list_length(columns) != ncolumns)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("options->'columns' names %d columns but the source query returns %d",
						list_length(columns), ncolumns)));
	src->row.ncolumns = ncolumns;
	src->row.columns = palloc0(sizeof(char *) * Max(ncolumns, 1));
	for (int i = 0; i < list_length(columns); i++)
		src->row.columns[i] = list_nth(columns, i);
	ds_row_source_alloc(src);
}

DsRowValueKind
ds_row_value_kind(Oid type)
{
	switch (type)
	{
		case BOOLOID:
			return DS_ROW_BOOL;
		case INT2OID:
		case INT4OID:
		case INT8OID:
		case FLOAT4OID:
		case FLOAT8OID:
		case NUMERICOID:
		case OIDOID:
			return DS_ROW_NUMBER;
		case DATEOID:
		case TIMESTAMPOID:
			return DS_ROW_DATETIME;
		case TIMESTAMPTZOID:
			return DS_ROW_TIMESTAMPTZ;
		case BYTEAOID:
			return DS_ROW_BYTEA;
		case BPCHAROID:
			return DS_ROW_BPCHAR;
		case BITOID:
			/* varbit stays text: its length is part of its value, which bytes lose */
			return DS_ROW_BIT;
		case JSONOID:
		case JSONBOID:
			return DS_ROW_JSON;
		default:
			/*
			 * Other kinds have no {...}: StarRocks' ARRAY reads [...], and
			 * MySQL keeps arrays in JSON.
			 */
			if (OidIsValid(get_element_type(type)))
				return DS_ROW_ARRAY;
			return DS_ROW_TEXT;
	}
}

char *
ds_bits_bytes(const char *bits, int nbits, int *len)
{
	int			nbytes = (nbits + 7) / 8;
	int			pad = nbytes * 8 - nbits;
	unsigned char *out = palloc0(nbytes + 1);

	for (int i = 0; i < nbits; i++)
	{
		int			p = pad + i;

		if (bits[i] == '1')
			out[p / 8] |= 0x80 >> (p % 8);
		else if (bits[i] != '0')
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("\"%.*s\" is not a bit string", Min(nbits, 64), bits)));
	}
	*len = nbytes;
	return (char *) out;
}

char *
ds_array_json(Datum array, int *len)
{
	char	   *s = TextDatumGetCString(DirectFunctionCall1(array_to_json, array));

	*len = strlen(s);
	return ds_row_utf8(s, len);
}

char *
ds_timestamptz_text(const DsRowSource *src, Datum d)
{
	static const int utc = 0;

	/* A timestamptz is UTC microseconds: as a timestamp, it is UTC time. */
	if (src->pg_text)
		return JsonEncodeDateTime(NULL, d, TIMESTAMPTZOID, &utc);
	return JsonEncodeDateTime(NULL, d, TIMESTAMPOID, NULL);
}

void
ds_row_check_json(const char *text, int len)
{
	/* json_in validates and keeps the text as it is; the copy is the row's. */
	(void) DirectFunctionCall1(json_in, CStringGetDatum(pnstrdup(text, len)));
}

char *
ds_bytea_hex(const char *bytes, int len, int *hexlen)
{
	char	   *hex = palloc((Size) len * 2 + 3);

	hex[0] = '\\';
	hex[1] = 'x';
	*hexlen = 2 + hex_encode(bytes, len, hex + 2);
	hex[*hexlen] = '\0';
	return hex;
}

char *
ds_row_utf8(char *s, int *len)
{
	char	   *u = pg_server_to_any(s, *len, PG_UTF8);

	if (u != s)
		*len = strlen(u);
	return u;
}

/* ---- jsonb array source ---- */

typedef struct JsonbRows
{
	DsRowSource pub;
	JsonbIterator *it;
	bool		columns_given;
	MemoryContext rowcxt;
} JsonbRows;

static int
column_index(DsRowSource *src, const char *key, int keylen)
{
	for (int i = 0; i < src->row.ncolumns; i++)
		if ((int) strlen(src->row.columns[i]) == keylen &&
			memcmp(src->row.columns[i], key, keylen) == 0)
			return i;
	return -1;
}

static void
value_text(JsonbValue *v, DsParamKind *kind, char **text, int *len)
{
	switch (v->type)
	{
		case jbvNull:
			*kind = DS_PARAM_NULL;
			*text = NULL;
			*len = 0;
			return;
		case jbvString:
			*kind = DS_PARAM_STRING;
			*len = v->val.string.len;
			*text = ds_row_utf8(pnstrdup(v->val.string.val, v->val.string.len), len);
			return;
		case jbvNumeric:
			*kind = DS_PARAM_NUMBER;
			*text = DatumGetCString(DirectFunctionCall1(numeric_out,
														NumericGetDatum(v->val.numeric)));
			break;
		case jbvBool:
			*kind = DS_PARAM_BOOL;
			*text = pstrdup(v->val.boolean ? "1" : "0");
			break;
		case jbvBinary:
			*kind = DS_PARAM_JSON;
			*text = JsonbToCString(NULL, v->val.binary.data, v->val.binary.len);
			*len = strlen(*text);
			*text = ds_row_utf8(*text, len);
			return;
		default:
			elog(ERROR, "unexpected jsonb value type %d", (int) v->type);
	}
	*len = strlen(*text);
}

static bool
jsonb_next(DsRowSource *src)
{
	JsonbRows  *js = (JsonbRows *) src;
	JsonbValue	v;
	JsonbIteratorToken tok;
	MemoryContext old;

	MemoryContextReset(js->rowcxt);
	old = MemoryContextSwitchTo(js->rowcxt);
	for (;;)
	{
		tok = JsonbIteratorNext(&js->it, &v, true);
		if (tok == WJB_DONE || tok == WJB_END_ARRAY)
		{
			MemoryContextSwitchTo(old);
			return false;
		}
		if (tok == WJB_ELEM)
			break;
	}
	src->rownum++;
	ds_progress_add(1, 0);
	if (v.type != jbvBinary || !JsonContainerIsObject(v.val.binary.data))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("element %llu of data is not a JSON object",
						(unsigned long long) src->rownum),
				 errhint("data must be an array of objects keyed by column name.")));

	for (int i = 0; i < src->row.ncolumns; i++)
		ds_row_set_null(src, i);
	{
		JsonbIterator *oit = JsonbIteratorInit(v.val.binary.data);
		JsonbValue	key;
		JsonbValue	val;

		while ((tok = JsonbIteratorNext(&oit, &key, true)) != WJB_DONE)
		{
			int			idx;

			if (tok != WJB_KEY)
				continue;
			tok = JsonbIteratorNext(&oit, &val, true);
			idx = column_index(src, key.val.string.val, key.val.string.len);
			if (idx < 0)
			{
				if (js->columns_given)
					continue;
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("element %llu of data has key \"%.*s\" that the first element does not have",
								(unsigned long long) src->rownum,
								key.val.string.len, key.val.string.val),
						 errhint("List every column in options->'columns', or give every object the same keys.")));
			}
			value_text(&val, &src->row.kinds[idx], &src->row.values[idx], &src->row.lengths[idx]);
		}
	}
	MemoryContextSwitchTo(old);
	return true;
}

static void
jsonb_close(DsRowSource *src)
{
	MemoryContextDelete(((JsonbRows *) src)->rowcxt);
}

DsRowSource *
ds_rows_from_jsonb(Jsonb *data, List *columns)
{
	JsonbRows  *js = palloc0(sizeof(JsonbRows));
	DsRowSource *src = &js->pub;
	JsonbValue	v;
	JsonbIteratorToken tok;

	if (!JB_ROOT_IS_ARRAY(data) || JB_ROOT_IS_SCALAR(data))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("data must be a JSON array of objects")));

	if (columns != NIL)
	{
		ListCell   *lc;
		int			i = 0;

		js->columns_given = true;
		src->row.ncolumns = list_length(columns);
		src->row.columns = palloc(sizeof(char *) * src->row.ncolumns);
		foreach(lc, columns)
			src->row.columns[i++] = lfirst(lc);
	}
	else
	{
		/* The keys of the first object. */
		JsonbIterator *it = JsonbIteratorInit(&data->root);
		List	   *keys = NIL;
		ListCell   *lc;
		int			i = 0;

		tok = JsonbIteratorNext(&it, &v, true);	/* BEGIN_ARRAY */
		tok = JsonbIteratorNext(&it, &v, true);
		if (tok == WJB_ELEM && v.type == jbvBinary && JsonContainerIsObject(v.val.binary.data))
		{
			JsonbIterator *oit = JsonbIteratorInit(v.val.binary.data);
			JsonbValue	key;

			while ((tok = JsonbIteratorNext(&oit, &key, true)) != WJB_DONE)
				if (tok == WJB_KEY)
					keys = lappend(keys, pnstrdup(key.val.string.val, key.val.string.len));
		}
		src->row.ncolumns = list_length(keys);
		src->row.columns = palloc(sizeof(char *) * Max(src->row.ncolumns, 1));
		foreach(lc, keys)
			src->row.columns[i++] = lfirst(lc);
	}

	ds_row_source_alloc(src);
	js->it = JsonbIteratorInit(&data->root);
	JsonbIteratorNext(&js->it, &v, true);	/* BEGIN_ARRAY */
	js->rowcxt = AllocSetContextCreate(CurrentMemoryContext, "datastore jsonb rows",
									   ALLOCSET_DEFAULT_SIZES);
	src->next = jsonb_next;
	src->close = jsonb_close;
	return src;
}

