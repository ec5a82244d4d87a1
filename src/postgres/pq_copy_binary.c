/*
 * pq_copy_binary.c
 *		Local rows as PostgreSQL's binary COPY format, for loads into a remote
 *		PostgreSQL table whose columns read exactly what this side sends.
 *
 * Binary COPY spares the remote server parsing every value (for timestamps
 * and numerics that is much of COPY's own work) and this backend printing
 * them, and it carries timestamps, floats and numerics exactly.  But the
 * remote side's receive function trusts the bytes, so a column goes in
 * binary only when the remote column has the same built-in type (built-in
 * type OIDs and their binary forms are the same on every server; arrays of
 * such types too), or when both sides are character types, whose binary
 * form is the characters.  A
 * load with any other column goes in text, where the remote input function
 * converts what it can.
 *
 * Fixed-width values are written here directly, in network byte order as
 * their send functions write them; the others go through the type's send
 * function.  Text is sent in UTF-8: the load transaction's client_encoding.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "mb/pg_wchar.h"
#include "port/pg_bswap.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "postgres/pq_copy_binary.h"

/* Built-in types have OIDs below this on every server (catalog/transam.h). */
#define DS_FIRST_NON_BUILTIN_OID 10000

typedef enum BinWire
{
	BW_BOOL,
	BW_INT2,
	BW_INT4,
	BW_INT8,
	BW_FLOAT4,
	BW_FLOAT8,
	BW_SEND,					/* the type's send function */
	BW_BYTES,					/* bytea: its bytes */
	BW_STRING,					/* character types: the characters */
	BW_JSON,					/* json or jsonb into json: the JSON text */
	BW_JSONB,					/* json or jsonb into jsonb: version 1, the text */
	BW_STRING_ARRAY				/* an array of a character type: array_send's
								 * layout, elements as UTF-8 */
} BinWire;

typedef struct BinColumn
{
	BinWire		wire;
	Oid			type;			/* local base type */
	FmgrInfo	send;			/* BW_SEND */
} BinColumn;

struct DsPqBinary
{
	int			ncolumns;
	BinColumn  *columns;
	bool		utf8;			/* this database is UTF-8: text goes as it is */
	MemoryContext rowcxt;
};

static bool
is_character_type(Oid type)
{
	return type == TEXTOID || type == VARCHAROID || type == BPCHAROID;
}

static bool
is_json_type(Oid type)
{
	return type == JSONOID || type == JSONBOID;
}

/* How a local value of base type local goes into a remote column of type remote. */
static bool
wire_for(Oid local, Oid remote, BinWire *wire)
{
	if (is_character_type(local) && is_character_type(remote))
	{
		*wire = BW_STRING;
		return true;
	}
	if (is_json_type(local) && is_json_type(remote))
	{
		*wire = remote == JSONBOID ? BW_JSONB : BW_JSON;
		return true;
	}
	if (local != remote)
		return false;
	if (OidIsValid(get_element_type(local)))
	{
		Oid			elem = get_element_type(local);
		BinWire		elemwire;

		/*
		 * array_send writes each element with its own send function; those
		 * of character and JSON types convert to this session's client
		 * encoding, not to the UTF-8 the load promises: arrays of character
		 * types are written here, those of JSON types go in text.
		 */
		if (!wire_for(elem, elem, &elemwire) ||
			elemwire == BW_JSON || elemwire == BW_JSONB)
			return false;
		*wire = elemwire == BW_STRING ? BW_STRING_ARRAY : BW_SEND;
		return true;
	}
	switch (local)
	{
		case BOOLOID:
			*wire = BW_BOOL;
			return true;
		case INT2OID:
			*wire = BW_INT2;
			return true;
		case INT4OID:
		case OIDOID:
		case DATEOID:
			*wire = BW_INT4;
			return true;
		case INT8OID:
		case TIMEOID:
		case TIMESTAMPOID:
		case TIMESTAMPTZOID:
			*wire = BW_INT8;
			return true;
		case FLOAT4OID:
			*wire = BW_FLOAT4;
			return true;
		case FLOAT8OID:
			*wire = BW_FLOAT8;
			return true;
		case BYTEAOID:
			*wire = BW_BYTES;
			return true;
		case NUMERICOID:
		case INTERVALOID:
		case TIMETZOID:
		case UUIDOID:
		case INETOID:
		case CIDROID:
		case MACADDROID:
			*wire = BW_SEND;
			return true;
		default:
			return false;
	}
}

static const char *
remote_type_name(Oid remote)
{
	if (!OidIsValid(remote))
		return "not a column of the target";
	if (remote >= DS_FIRST_NON_BUILTIN_OID)
		return "a type defined on the remote server";
	return format_type_be(remote);
}

DsPqBinary *
ds_pq_binary_plan(int ncolumns, const char *const *names, const Oid *local_types,
				  const Oid *remote_types, char **why)
{
	DsPqBinary *plan;
	BinColumn  *columns = palloc0(sizeof(BinColumn) * Max(ncolumns, 1));

	if (ncolumns == 0)
	{
		if (why)
			*why = pstrdup("the load has no columns");
		return NULL;
	}
	for (int i = 0; i < ncolumns; i++)
	{
		Oid			local = getBaseType(local_types[i]);

		columns[i].type = local;
		if (!wire_for(local, remote_types[i], &columns[i].wire))
		{
			if (why && local == remote_types[i])
				*why = psprintf("Column \"%s\" is %s, which is not sent in binary.", names[i],
								format_type_be(local_types[i]));
			else if (why)
				*why = psprintf("Column \"%s\" is %s here and %s there.", names[i],
								format_type_be(local_types[i]),
								remote_type_name(remote_types[i]));
			return NULL;
		}
		if (columns[i].wire == BW_SEND)
		{
			Oid			sendfn;
			bool		isvarlena;

			getTypeBinaryOutputInfo(local, &sendfn, &isvarlena);
			fmgr_info(sendfn, &columns[i].send);
		}
	}
	plan = palloc0(sizeof(DsPqBinary));
	plan->ncolumns = ncolumns;
	plan->columns = columns;
	plan->utf8 = GetDatabaseEncoding() == PG_UTF8;
	plan->rowcxt = AllocSetContextCreate(CurrentMemoryContext, "datastore binary copy row",
										 ALLOCSET_DEFAULT_SIZES);
	return plan;
}

void
ds_pq_binary_header(StringInfo buf)
{
	/* 11 bytes: the literal's own terminating zero is the last one. */
	static const char signature[] = "PGCOPY\n\377\r\n";
	uint32		zero = 0;

	appendBinaryStringInfo(buf, signature, sizeof(signature));
	appendBinaryStringInfo(buf, (char *) &zero, 4);	/* flags */
	appendBinaryStringInfo(buf, (char *) &zero, 4);	/* header extension */
}

void
ds_pq_binary_trailer(StringInfo buf)
{
	uint16		end = pg_hton16((uint16) -1);

	appendBinaryStringInfo(buf, (char *) &end, 2);
}

static inline void
put32(StringInfo buf, uint32 v)
{
	v = pg_hton32(v);
	appendBinaryStringInfo(buf, (char *) &v, 4);
}

static inline void
put_field(StringInfo buf, const char *data, int len)
{
	put32(buf, (uint32) len);
	appendBinaryStringInfo(buf, data, len);
}

/* Fields of 4 and 8 bytes, in network order as pq_sendint32/64 write them. */
static inline void
put_field32(StringInfo buf, uint32 v)
{
	put32(buf, 4);
	put32(buf, v);
}

static inline void
put_field64(StringInfo buf, uint64 v)
{
	v = pg_hton64(v);
	put_field(buf, (char *) &v, 8);
}

/* A field of the characters in s (server encoding), as UTF-8. */
static void
put_text(StringInfo buf, const DsPqBinary *plan, const char *s, int len, bool jsonb)
{
	if (!plan->utf8)
	{
		char	   *u = pg_server_to_any(s, len, PG_UTF8);

		if (u != s)
			len = strlen(u);
		s = u;
	}
	put32(buf, (uint32) (len + (jsonb ? 1 : 0)));
	if (jsonb)
		appendStringInfoChar(buf, 1);
	appendBinaryStringInfo(buf, s, len);
}

static void
put_json(StringInfo buf, const DsPqBinary *plan, const BinColumn *col, Datum d)
{
	bool		jsonb = col->wire == BW_JSONB;

	if (col->type == JSONBOID)
	{
		Jsonb	   *jb = DatumGetJsonbP(d);
		char	   *s = JsonbToCString(NULL, &jb->root, VARSIZE(jb));

		put_text(buf, plan, s, strlen(s), jsonb);
	}
	else
	{
		text	   *t = DatumGetTextPP(d);

		put_text(buf, plan, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), jsonb);
	}
}

/*
 * An array of a character type as array_recv reads it: dimensions, a flag
 * for NULLs, the element type (the same OID there: the column types match),
 * each dimension's length and lower bound, then the elements.
 */
static void
put_string_array(StringInfo buf, const DsPqBinary *plan, Datum d)
{
	ArrayType  *arr = DatumGetArrayTypeP(d);
	Oid			elemtype = ARR_ELEMTYPE(arr);
	int			ndim = ARR_NDIM(arr);
	int16		typlen;
	bool		typbyval;
	char		typalign;
	Datum	   *elems;
	bool	   *elemnulls;
	int			nelems;
	int			lenpos;
	uint32		len;

	get_typlenbyvalalign(elemtype, &typlen, &typbyval, &typalign);
	deconstruct_array(arr, elemtype, typlen, typbyval, typalign,
					  &elems, &elemnulls, &nelems);

	/* The field's length goes in front once the elements are written. */
	lenpos = buf->len;
	put32(buf, 0);
	put32(buf, (uint32) ndim);
	put32(buf, ARR_HASNULL(arr) ? 1 : 0);
	put32(buf, elemtype);
	for (int i = 0; i < ndim; i++)
	{
		put32(buf, (uint32) ARR_DIMS(arr)[i]);
		put32(buf, (uint32) ARR_LBOUND(arr)[i]);
	}
	for (int i = 0; i < nelems; i++)
	{
		if (elemnulls[i])
			put32(buf, (uint32) -1);
		else
		{
			text	   *t = DatumGetTextPP(elems[i]);

			put_text(buf, plan, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), false);
		}
	}
	len = pg_hton32((uint32) (buf->len - lenpos - 4));
	memcpy(buf->data + lenpos, &len, 4);
}

void
ds_pq_binary_row(StringInfo buf, DsPqBinary *plan, const Datum *values,
				 const bool *nulls)
{
	MemoryContext old = MemoryContextSwitchTo(plan->rowcxt);
	uint16		count = pg_hton16((uint16) plan->ncolumns);

	appendBinaryStringInfo(buf, (char *) &count, 2);
	for (int i = 0; i < plan->ncolumns; i++)
	{
		BinColumn  *col = &plan->columns[i];
		Datum		d = values[i];

		if (nulls[i])
		{
			put32(buf, (uint32) -1);
			continue;
		}
		switch (col->wire)
		{
			case BW_BOOL:
				{
					char		b = DatumGetBool(d) ? 1 : 0;

					put_field(buf, &b, 1);
					break;
				}
			case BW_INT2:
				{
					uint16		v = pg_hton16((uint16) DatumGetInt16(d));

					put_field(buf, (char *) &v, 2);
					break;
				}
			case BW_INT4:
				put_field32(buf, DatumGetUInt32(d));
				break;
			case BW_INT8:
				put_field64(buf, (uint64) DatumGetInt64(d));
				break;
			case BW_FLOAT4:
				{
					float4		f = DatumGetFloat4(d);
					uint32		v;

					memcpy(&v, &f, 4);
					put_field32(buf, v);
					break;
				}
			case BW_FLOAT8:
				{
					float8		f = DatumGetFloat8(d);
					uint64		v;

					memcpy(&v, &f, 8);
					put_field64(buf, v);
					break;
				}
			case BW_SEND:
				{
					bytea	   *b = SendFunctionCall(&col->send, d);

					put_field(buf, VARDATA(b), VARSIZE(b) - VARHDRSZ);
					break;
				}
			case BW_BYTES:
				{
					bytea	   *b = DatumGetByteaPP(d);

					put_field(buf, VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b));
					break;
				}
			case BW_STRING:
				{
					text	   *t = DatumGetTextPP(d);

					put_text(buf, plan, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), false);
					break;
				}
			case BW_JSON:
			case BW_JSONB:
				put_json(buf, plan, col, d);
				break;
			case BW_STRING_ARRAY:
				put_string_array(buf, plan, d);
				break;
		}
	}
	MemoryContextSwitchTo(old);
	MemoryContextReset(plan->rowcxt);
}
