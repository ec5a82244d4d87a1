/*
 * pq_types.c
 *		Remote PostgreSQL values as jsonb.
 *
 * The remote server sends every value as text.  A column whose to_jsonb()
 * form depends on more than that text (numbers, booleans, date and time
 * values, intervals and bytea, which print by this session's settings,
 * json, arrays) is read back with this server's input function for the same
 * built-in type and handed to the local row encoder, so the result is what
 * to_jsonb() makes of the same value here.  Built-in type OIDs are the same
 * on every server version; a type this server does not have, or whose text
 * could not be read back safely (money depends on the remote lc_monetary,
 * reg* types name remote objects), and every user-defined type, is a JSON
 * string of its remote text.  Domains arrive as their base type.
 *
 * The session settings from pq_conn.c (ISO DateStyle, postgres
 * IntervalStyle, all float digits) make the remote text unambiguous.
 */
#include "postgres.h"


#include "core/compat.h"
#include "access/transam.h"
#include "access/tupdesc.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "parser/scansup.h"
#include "utils/array.h"
#include "utils/lsyscache.h"

#include "core/jsonb_row.h"
#include "core/row_source.h"
#include "postgres/pq_types.h"

struct DsPqRowEncoder
{
	const DsPqApi *api;
	int			ncolumns;
	Oid		   *remote_types;	/* the shape every row must have */
	int		   *reads;			/* PqColumnRead of each column */
	char	   *delims;			/* PQ_READ_TEXT_ARRAY: the element delimiter */
	FmgrInfo   *infns;
	Oid		   *ioparams;
	DsPgRowEncoder *rows;
	Datum	   *values;
	bool	   *nulls;
};

/*
 * Types whose to_jsonb() form is derived from the parsed value: those a load
 * reads as more than text (ds_row_value_kind), and interval, whose text
 * follows this session's IntervalStyle; oid is a string in jsonb.
 */
static bool
parsed_scalar(Oid type)
{
	DsRowValueKind kind = ds_row_value_kind(type);

	/* Arrays have their own path here; char(n) and bit strings are text. */
	return type == INTERVALOID ||
		(type != OIDOID && kind != DS_ROW_TEXT && kind != DS_ROW_ARRAY && kind != DS_ROW_BPCHAR &&
		 kind != DS_ROW_BIT);
}

/* Types whose text is canonical, so to_jsonb() gives exactly that string. */
static bool
text_scalar(Oid type)
{
	switch (type)
	{
		case TEXTOID:
		case VARCHAROID:
		case BPCHAROID:
		case NAMEOID:
		case CHAROID:
		case UUIDOID:
		case INETOID:
		case CIDROID:
		case MACADDROID:
		case MACADDR8OID:
		case TIMEOID:
		case TIMETZOID:
		case BITOID:
		case VARBITOID:
		case OIDOID:
			return true;
		default:
			return false;
	}
}

/* How a column's remote text becomes its value. */
typedef enum PqColumnRead
{
	PQ_READ_TEXT,				/* the text is the value: a JSON string */
	PQ_READ_INPUT,				/* this server's input function for the type */
	PQ_READ_TEXT_ARRAY			/* an array whose elements are their text */
} PqColumnRead;

/*
 * How to read a remote column, and as which local type (for PQ_READ_INPUT)
 * or delimiter (for PQ_READ_TEXT_ARRAY).  Arrays of every other built-in
 * type (aclitem[], regtype[], xid[], box[]...) are JSON arrays of their
 * elements' text, as to_jsonb() makes them: their elements are read out of
 * the remote array literal rather than through local input functions,
 * which would resolve role and type names (aclitem, reg*) here, not there.
 */
static PqColumnRead
column_read(Oid remote, Oid *type, char *delim)
{
	*type = TEXTOID;
	if (parsed_scalar(remote))
	{
		*type = remote;
		return PQ_READ_INPUT;
	}
	if (remote < FirstGenbkiObjectId)
	{
		Oid			elem = get_element_type(remote);

		if (!OidIsValid(elem))
			return PQ_READ_TEXT;
		if (parsed_scalar(elem) || text_scalar(elem))
		{
			*type = remote;
			return PQ_READ_INPUT;
		}
		/* Composite elements become objects in to_jsonb(): not text. */
		if (get_typtype(elem) == TYPTYPE_COMPOSITE)
			return PQ_READ_TEXT;
		{
			int16		typlen;
			bool		typbyval;
			char		typalign;
			Oid			typioparam;
			Oid			func;

			get_type_io_data(elem, IOFunc_output, &typlen, &typbyval, &typalign,
							 delim, &typioparam, &func);
		}
		*type = JSONBOID;
		return PQ_READ_TEXT_ARRAY;
	}
	return PQ_READ_TEXT;
}

/* ---- an array literal, read as nested JSON arrays of strings ---- */

typedef struct ArrayText
{
	const char *p;
	const char *end;
	char		delim;
	const char *literal;		/* for the error message */
	JsonbParseState *state;
	StringInfoData elem;
} ArrayText;

pg_noreturn static void
bad_array(ArrayText *a)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("malformed array literal from the remote server: \"%.*s\"",
					(int) Min(a->end - a->literal, 80), a->literal)));
}

static void
skip_space(ArrayText *a)
{
	while (a->p < a->end && scanner_isspace(*a->p))
		a->p++;
}

/* One element: quoted (with backslash escapes), or bare up to a delimiter or brace. */
static void
array_element(ArrayText *a)
{
	JsonbValue	v;
	bool		quoted = false;

	resetStringInfo(&a->elem);
	skip_space(a);
	if (a->p < a->end && *a->p == '"')
	{
		quoted = true;
		a->p++;
		for (;;)
		{
			if (a->p >= a->end)
				bad_array(a);
			if (*a->p == '"')
			{
				a->p++;
				break;
			}
			if (*a->p == '\\')
			{
				if (++a->p >= a->end)
					bad_array(a);
			}
			appendStringInfoChar(&a->elem, *a->p++);
		}
		skip_space(a);
	}
	else
	{
		int			keep = 0;

		while (a->p < a->end && *a->p != a->delim && *a->p != '}' && *a->p != '{' && *a->p != '"')
		{
			if (*a->p == '\\')
			{
				if (++a->p >= a->end)
					bad_array(a);
				appendStringInfoChar(&a->elem, *a->p++);
				keep = a->elem.len;
				continue;
			}
			appendStringInfoChar(&a->elem, *a->p);
			if (!scanner_isspace(*a->p))
				keep = a->elem.len;
			a->p++;
		}
		/* Trailing white space of a bare element is not part of it. */
		a->elem.len = keep;
		a->elem.data[keep] = '\0';
		if (a->elem.len == 0)
			bad_array(a);
	}
	if (!quoted && pg_strcasecmp(a->elem.data, "NULL") == 0)
		v.type = jbvNull;
	else
		ds_jsonb_set_string(&v, pstrdup(a->elem.data), a->elem.len);
	(void) pushJsonbValue(&a->state, WJB_ELEM, &v);
}

/* {elem, elem, {nested}, ...} at a->p; returns what ending it returned. */
static JsonbValue *
array_level(ArrayText *a, int depth)
{
	if (depth > MAXDIM)
		bad_array(a);
	skip_space(a);
	if (a->p >= a->end || *a->p != '{')
		bad_array(a);
	a->p++;
	(void) pushJsonbValue(&a->state, WJB_BEGIN_ARRAY, NULL);
	skip_space(a);
	if (a->p < a->end && *a->p == '}')
		a->p++;
	else
	{
		for (;;)
		{
			skip_space(a);
			if (a->p < a->end && *a->p == '{')
				(void) array_level(a, depth + 1);
			else
				array_element(a);
			skip_space(a);
			if (a->p < a->end && *a->p == a->delim)
			{
				a->p++;
				continue;
			}
			if (a->p < a->end && *a->p == '}')
			{
				a->p++;
				break;
			}
			bad_array(a);
		}
	}
	return pushJsonbValue(&a->state, WJB_END_ARRAY, NULL);
}

/*
 * The remote text of an array (as array_out writes it: an optional
 * "[l:u]...=" of dimension bounds, then nested braces) as jsonb.  Bounds
 * are dropped, as to_jsonb() drops them.
 */
static Datum
array_text_to_jsonb(const char *s, int len, char delim)
{
	ArrayText	a = {0};
	JsonbValue *root;

	a.p = a.literal = s;
	a.end = s + len;
	a.delim = delim;
	initStringInfo(&a.elem);
	if (a.p < a.end && *a.p == '[')
	{
		while (a.p < a.end && *a.p != '=')
			a.p++;
		if (a.p >= a.end)
			bad_array(&a);
		a.p++;
	}
	root = array_level(&a, 1);
	skip_space(&a);
	if (a.p != a.end)
		bad_array(&a);
	return JsonbPGetDatum(JsonbValueToJsonb(root));
}

char *
ds_pq_array_json(Oid remote, const char *value, int len)
{
	Oid			type;
	char		delim = ',';
	char	   *literal;

	if (remote >= FirstGenbkiObjectId || !OidIsValid(get_element_type(remote)))
		return NULL;
	/* The server's text, taken no further than it is valid. */
	(void) pg_verify_mbstr(GetDatabaseEncoding(), value, len, false);
	switch (column_read(remote, &type, &delim))
	{
		case PQ_READ_INPUT:
			{
				Oid			typinput;
				Oid			typioparam;

				/* the type's own input: int2vector's and oidvector's text has no braces */
				getTypeInputInfo(remote, &typinput, &typioparam);
				literal = pnstrdup(value, len);
				return TextDatumGetCString(DirectFunctionCall1(array_to_json,
															   OidInputFunctionCall(typinput, literal,
																					typioparam, -1)));
			}
		case PQ_READ_TEXT_ARRAY:
			{
				Jsonb	   *j = DatumGetJsonbP(array_text_to_jsonb(value, len, delim));

				return JsonbToCString(NULL, &j->root, VARSIZE(j));
			}
		default:
			return NULL;
	}
}

DsPqRowEncoder *
ds_pq_row_encoder_create(const DsPqApi *api, const PGresult *res)
{
	DsPqRowEncoder *enc = palloc0(sizeof(DsPqRowEncoder));
	int			n = api->PQnfields(res);
	TupleDesc	desc = CreateTemplateTupleDesc(n);

	enc->api = api;
	enc->ncolumns = n;
	enc->remote_types = palloc0(sizeof(Oid) * Max(n, 1));
	enc->reads = palloc0(sizeof(PqColumnRead) * Max(n, 1));
	enc->delims = palloc0(Max(n, 1));
	enc->infns = palloc0(sizeof(FmgrInfo) * Max(n, 1));
	enc->ioparams = palloc0(sizeof(Oid) * Max(n, 1));
	enc->values = palloc0(sizeof(Datum) * Max(n, 1));
	enc->nulls = palloc0(sizeof(bool) * Max(n, 1));
	for (int i = 0; i < n; i++)
	{
		Oid			type;

		enc->remote_types[i] = api->PQftype(res, i);
		enc->reads[i] = column_read(enc->remote_types[i], &type, &enc->delims[i]);

		TupleDescInitEntry(desc, (AttrNumber) (i + 1), api->PQfname(res, i), type, -1, 0);
		if (enc->reads[i] == PQ_READ_INPUT)
		{
			Oid			infn;

			getTypeInputInfo(type, &infn, &enc->ioparams[i]);
			fmgr_info(infn, &enc->infns[i]);
		}
	}
	enc->rows = ds_pg_row_encoder_create(desc);
	return enc;
}

bool
ds_pq_same_shape(const DsPqApi *api, const PGresult *res, int ncolumns, const Oid *types)
{
	if (api->PQnfields(res) != ncolumns)
		return false;
	for (int i = 0; i < ncolumns; i++)
		if (api->PQftype(res, i) != types[i])
			return false;
	return true;
}

bool
ds_pq_row_encoder_fits(DsPqRowEncoder *enc, const PGresult *res)
{
	return ds_pq_same_shape(enc->api, res, enc->ncolumns, enc->remote_types);
}

Jsonb *
ds_pq_row_to_jsonb(DsPqRowEncoder *enc, const PGresult *res, int row)
{
	const DsPqApi *api = enc->api;

	for (int i = 0; i < enc->ncolumns; i++)
	{
		char	   *s;
		int			len;

		enc->nulls[i] = api->PQgetisnull(res, row, i);
		if (enc->nulls[i])
			continue;
		s = api->PQgetvalue(res, row, i);
		len = api->PQgetlength(res, row, i);
		/* The server converted to our encoding; still, take nothing unchecked. */
		pg_verifymbstr(s, len, false);
		switch (enc->reads[i])
		{
			case PQ_READ_TEXT:
				enc->values[i] = PointerGetDatum(cstring_to_text_with_len(s, len));
				break;
			case PQ_READ_INPUT:
				enc->values[i] = InputFunctionCall(&enc->infns[i], s, enc->ioparams[i], -1);
				break;
			case PQ_READ_TEXT_ARRAY:
				enc->values[i] = array_text_to_jsonb(s, len, enc->delims[i]);
				break;
		}
	}
	return ds_pg_row_to_jsonb(enc->rows, enc->values, enc->nulls);
}
