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

#include "access/transam.h"
#include "access/tupdesc.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "jsonb_row.h"
#include "pq_types.h"

struct DsPqRowEncoder
{
	const DsPqApi *api;
	int			ncolumns;
	Oid		   *remote_types;	/* the shape every row must have */
	bool	   *as_text;		/* the remote text is the value */
	FmgrInfo   *infns;
	Oid		   *ioparams;
	DsPgRowEncoder *rows;
	Datum	   *values;
	bool	   *nulls;
};

/* Types whose to_jsonb() form is derived from the parsed value. */
static bool
parsed_scalar(Oid type)
{
	switch (type)
	{
		case BOOLOID:
		case INT2OID:
		case INT4OID:
		case INT8OID:
		case FLOAT4OID:
		case FLOAT8OID:
		case NUMERICOID:
		case DATEOID:
		case TIMESTAMPOID:
		case TIMESTAMPTZOID:
		case INTERVALOID:
		case BYTEAOID:
		case JSONOID:
		case JSONBOID:
			return true;
		default:
			return false;
	}
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

/* The local type to read the remote text as; TEXTOID for a plain string. */
static Oid
local_type(Oid remote)
{
	if (parsed_scalar(remote))
		return remote;
	/* Arrays of built-in types this server has, with readable elements. */
	if (remote < FirstGenbkiObjectId)
	{
		Oid			elem = get_element_type(remote);

		if (OidIsValid(elem) && (parsed_scalar(elem) || text_scalar(elem)))
			return remote;
	}
	return TEXTOID;
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
	enc->as_text = palloc0(sizeof(bool) * Max(n, 1));
	enc->infns = palloc0(sizeof(FmgrInfo) * Max(n, 1));
	enc->ioparams = palloc0(sizeof(Oid) * Max(n, 1));
	enc->values = palloc0(sizeof(Datum) * Max(n, 1));
	enc->nulls = palloc0(sizeof(bool) * Max(n, 1));
	for (int i = 0; i < n; i++)
	{
		Oid			type;

		enc->remote_types[i] = api->PQftype(res, i);
		type = local_type(enc->remote_types[i]);

		TupleDescInitEntry(desc, (AttrNumber) (i + 1), api->PQfname(res, i), type, -1, 0);
		if (type == TEXTOID)
			enc->as_text[i] = true;
		else
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
		if (enc->as_text[i])
			enc->values[i] = PointerGetDatum(cstring_to_text_with_len(s, len));
		else
			enc->values[i] = InputFunctionCall(&enc->infns[i], s, enc->ioparams[i], -1);
	}
	return ds_pg_row_to_jsonb(enc->rows, enc->values, enc->nulls);
}
