/*
 * mysql_types.c
 *		Where a MySQL row becomes a jsonb object.
 *
 * Values arrive in the server's text form (prepared statements are brought
 * to the same form in mysql_conn.c), and each column's conversion is chosen
 * once from its field metadata:
 *
 *	integers of every size, signed or not, YEAR, BIT(n), TINYINT(1)/BOOLEAN
 *								JSON numbers, exact (UNSIGNED BIGINT too)
 *	DECIMAL						JSON number with every digit
 *	FLOAT, DOUBLE				JSON number, as the server prints it
 *	DATE						"2024-01-02"
 *	DATETIME					"2024-01-02T03:04:05.5", as to_jsonb(timestamp)
 *	TIMESTAMP					"2024-01-02T03:04:05+00:00", as to_jsonb(timestamptz)
 *	zero dates (0000-00-00...)	null
 *	TIME						"-838:59:59" as the server prints it (may exceed 24h)
 *	JSON						nested jsonb
 *	BINARY, VARBINARY, BLOB, GEOMETRY	"\x0aff..." hex text, as PostgreSQL bytea
 *	CHAR, VARCHAR, TEXT, ENUM, SET		strings (utf8mb4, converted to the
 *										database encoding)
 *
 * Anything that cannot be represented exactly is an ERROR, never a silently
 * altered value: a NUL byte or invalid UTF-8 in a string fails the query.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/jsonapi.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

#include "jsonb_row.h"
#include "mysql_types.h"

typedef enum DsMyKind
{
	MYK_INT,					/* fits int64 */
	MYK_UBIGINT,				/* unsigned 64-bit */
	MYK_DECIMAL,
	MYK_FLOAT,
	MYK_BIT,
	MYK_DATE,
	MYK_DATETIME,
	MYK_TIMESTAMP,
	MYK_TIME,
	MYK_JSON,
	MYK_BINARY,
	MYK_TEXT
} DsMyKind;

typedef struct DsMyColumn
{
	DsMyKind	kind;
	JsonbValue	key;
	const char *name;
} DsMyColumn;

struct DsMyRowEncoder
{
	unsigned int ncolumns;
	DsMyColumn *columns;
	uint64		row;			/* for error messages */
	int			column;
};

#define BINARY_CHARSET 63

static bool
is_json_field(const DsMysqlApi *api, const MYSQL_FIELD *f)
{
	MARIADB_CONST_STRING attr = {0};

	if (f->type == MYSQL_TYPE_JSON)
		return true;
	/* MariaDB's JSON is LONGTEXT, marked only in extended metadata. */
	if (api->mariadb_field_attr(&attr, f, MARIADB_FIELD_ATTR_FORMAT_NAME) == 0 &&
		attr.length == 4 && strncmp(attr.str, "json", 4) == 0)
		return true;
	return false;
}

static DsMyKind
field_kind(const DsMysqlApi *api, const MYSQL_FIELD *f)
{
	switch (f->type)
	{
		case MYSQL_TYPE_TINY:
		case MYSQL_TYPE_SHORT:
		case MYSQL_TYPE_INT24:
		case MYSQL_TYPE_LONG:
		case MYSQL_TYPE_YEAR:
			return MYK_INT;
		case MYSQL_TYPE_LONGLONG:
			return (f->flags & UNSIGNED_FLAG) ? MYK_UBIGINT : MYK_INT;
		case MYSQL_TYPE_DECIMAL:
		case MYSQL_TYPE_NEWDECIMAL:
			return MYK_DECIMAL;
		case MYSQL_TYPE_FLOAT:
		case MYSQL_TYPE_DOUBLE:
			return MYK_FLOAT;
		case MYSQL_TYPE_BIT:
			return MYK_BIT;
		case MYSQL_TYPE_DATE:
		case MYSQL_TYPE_NEWDATE:
			return MYK_DATE;
		case MYSQL_TYPE_DATETIME:
			return MYK_DATETIME;
		case MYSQL_TYPE_TIMESTAMP:
			return MYK_TIMESTAMP;
		case MYSQL_TYPE_TIME:
			return MYK_TIME;
		case MYSQL_TYPE_JSON:
			return MYK_JSON;
		case MYSQL_TYPE_GEOMETRY:
			return MYK_BINARY;
		default:
			if (is_json_field(api, f))
				return MYK_JSON;
			if (f->charsetnr == BINARY_CHARSET)
				return MYK_BINARY;
			return MYK_TEXT;
	}
}

DsMyRowEncoder *
ds_my_row_encoder_create(const DsMysqlApi *api, MYSQL_FIELD *fields,
						 unsigned int nfields)
{
	DsMyRowEncoder *enc = palloc0(sizeof(DsMyRowEncoder));

	enc->ncolumns = nfields;
	enc->columns = palloc0(sizeof(DsMyColumn) * Max(nfields, 1));
	for (unsigned int i = 0; i < nfields; i++)
	{
		DsMyColumn *col = &enc->columns[i];
		char	   *name = pg_any_to_server(fields[i].name, fields[i].name_length, PG_UTF8);

		/* pg_any_to_server may return its input: keep a copy we own. */
		if (name == fields[i].name)
			name = pnstrdup(fields[i].name, fields[i].name_length);
		col->kind = field_kind(api, &fields[i]);
		col->name = name;
		col->key.type = jbvString;
		col->key.val.string.val = name;
		col->key.val.string.len = strlen(name);
	}
	return enc;
}

static void
set_string(JsonbValue *v, char *s, int len)
{
	v->type = jbvString;
	v->val.string.val = s;
	v->val.string.len = len;
}

static void
set_numeric_text(JsonbValue *v, const char *s)
{
	v->type = jbvNumeric;
	v->val.numeric = DatumGetNumeric(DirectFunctionCall3(numeric_in,
														 CStringGetDatum(s),
														 ObjectIdGetDatum(InvalidOid),
														 Int32GetDatum(-1)));
}

static void
pg_attribute_noreturn()
bad_value(DsMyRowEncoder *enc, DsMyColumn *col, const char *what, const char *value)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("cannot convert MySQL %s \"%s\"", what, value)));
}

static void
set_int(DsMyRowEncoder *enc, DsMyColumn *col, const char *s, JsonbValue *v)
{
	char	   *end;
	long long	n;

	errno = 0;
	n = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || end == s)
		bad_value(enc, col, "integer", s);
	v->type = jbvNumeric;
	v->val.numeric = int64_to_numeric((int64) n);
}

static void
set_bit(const unsigned char *bytes, unsigned long len, JsonbValue *v)
{
	uint64		n = 0;
	char		buf[32];

	for (unsigned long i = 0; i < len; i++)
		n = (n << 8) | bytes[i];
	if (n <= (uint64) PG_INT64_MAX)
	{
		v->type = jbvNumeric;
		v->val.numeric = int64_to_numeric((int64) n);
	}
	else
	{
		snprintf(buf, sizeof(buf), UINT64_FORMAT, n);
		set_numeric_text(v, buf);
	}
}

/*
 * Parses "YYYY-MM-DD[ HH:MM:SS[.ffffff]]".  Returns false for a zero date
 * (any of year, month, day zero), which MySQL allows and PostgreSQL has no
 * value for.
 */
static bool
parse_datetime(DsMyRowEncoder *enc, DsMyColumn *col, const char *s,
			   struct pg_tm *tm, fsec_t *fsec)
{
	int			n = 0;
	int			consumed = 0;

	memset(tm, 0, sizeof(*tm));
	*fsec = 0;
	n = sscanf(s, "%4d-%2d-%2d%n", &tm->tm_year, &tm->tm_mon, &tm->tm_mday, &consumed);
	if (n != 3)
		bad_value(enc, col, "date", s);
	if (tm->tm_year == 0 || tm->tm_mon == 0 || tm->tm_mday == 0)
		return false;
	s += consumed;
	if (*s == ' ' || *s == 'T')
	{
		if (sscanf(s + 1, "%2d:%2d:%2d%n", &tm->tm_hour, &tm->tm_min, &tm->tm_sec, &consumed) != 3)
			bad_value(enc, col, "datetime", s);
		s += 1 + consumed;
		if (*s == '.')
		{
			int			scale = 100000;

			for (s++; *s >= '0' && *s <= '9'; s++)
			{
				*fsec += (*s - '0') * scale;
				scale /= 10;
			}
		}
	}
	if (*s != '\0')
		bad_value(enc, col, "datetime", s);
	return true;
}

static void
set_datetime(DsMyRowEncoder *enc, DsMyColumn *col, const char *s, JsonbValue *v)
{
	struct pg_tm tm;
	fsec_t		fsec;
	Timestamp	ts;
	char	   *out;

	if (!parse_datetime(enc, col, s, &tm, &fsec))
	{
		v->type = jbvNull;
		return;
	}
	if (col->kind == MYK_DATE)
	{
		out = pnstrdup(s, 10);
		set_string(v, out, 10);
		return;
	}
	if (tm2timestamp(&tm, fsec, NULL, &ts) != 0)
		bad_value(enc, col, "datetime", s);
	/*
	 * TIMESTAMP values are read in UTC (each connection sets time_zone), so
	 * the same instant is a timestamptz here.
	 */
	out = JsonEncodeDateTime(NULL, TimestampGetDatum(ts),
							 col->kind == MYK_TIMESTAMP ? TIMESTAMPTZOID : TIMESTAMPOID,
							 NULL);
	set_string(v, out, strlen(out));
}

static void
set_binary(const unsigned char *bytes, unsigned long len, JsonbValue *v)
{
	static const char hex[] = "0123456789abcdef";
	char	   *out = palloc(len * 2 + 3);

	out[0] = '\\';
	out[1] = 'x';
	for (unsigned long i = 0; i < len; i++)
	{
		out[2 + i * 2] = hex[bytes[i] >> 4];
		out[3 + i * 2] = hex[bytes[i] & 0xf];
	}
	out[len * 2 + 2] = '\0';
	set_string(v, out, len * 2 + 2);
}

static void
column_value(DsMyRowEncoder *enc, DsMyColumn *col, char *s, unsigned long len,
			 JsonbValue *v)
{
	switch (col->kind)
	{
		case MYK_INT:
			set_int(enc, col, s, v);
			break;
		case MYK_UBIGINT:
		case MYK_DECIMAL:
			set_numeric_text(v, s);
			break;
		case MYK_FLOAT:
			if (IsValidJsonNumber(s, len))
				set_numeric_text(v, s);
			else
				set_string(v, pnstrdup(s, len), len);
			break;
		case MYK_BIT:
			set_bit((unsigned char *) s, len, v);
			break;
		case MYK_DATE:
		case MYK_DATETIME:
		case MYK_TIMESTAMP:
			set_datetime(enc, col, s, v);
			break;
		case MYK_TIME:
			set_string(v, pnstrdup(s, len), len);
			break;
		case MYK_JSON:
			{
				char	   *text = pg_any_to_server(s, len, PG_UTF8);
				Jsonb	   *jb;

				if (text == s)
					text = pnstrdup(s, len);
				jb = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(text)));
				ds_jsonb_to_value(jb, v);
				break;
			}
		case MYK_BINARY:
			set_binary((unsigned char *) s, len, v);
			break;
		case MYK_TEXT:
			{
				/* Validates (and rejects NUL bytes) or converts. */
				char	   *text = pg_any_to_server(s, len, PG_UTF8);

				set_string(v, text, text == s ? (int) len : (int) strlen(text));
				break;
			}
	}
}

/* Names the column and row of a value that cannot be converted. */
static void
row_error_context(void *arg)
{
	DsMyRowEncoder *enc = (DsMyRowEncoder *) arg;

	if (enc->column >= 0)
		errcontext("column \"%s\" of result row %llu",
				   enc->columns[enc->column].name, (unsigned long long) enc->row);
}

Jsonb *
ds_my_row_to_jsonb(DsMyRowEncoder *enc, char **values, unsigned long *lengths)
{
	DsJsonbObject obj;
	ErrorContextCallback errcb;

	enc->row++;
	errcb.callback = row_error_context;
	errcb.arg = enc;
	errcb.previous = error_context_stack;
	error_context_stack = &errcb;
	ds_jsonb_object_begin(&obj);
	for (unsigned int i = 0; i < enc->ncolumns; i++)
	{
		DsMyColumn *col = &enc->columns[i];
		JsonbValue	v;

		enc->column = i;
		if (values[i] == NULL)
			v.type = jbvNull;
		else
			column_value(enc, col, values[i], lengths[i], &v);
		ds_jsonb_object_add(&obj, &col->key, &v);
	}
	enc->column = -1;
	error_context_stack = errcb.previous;
	return ds_jsonb_object_finish(&obj);
}
