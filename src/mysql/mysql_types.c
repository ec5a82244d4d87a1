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

#include "core/compat.h"
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

#include "core/jsonb_row.h"
#include "mysql/mysql_types.h"


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
	DsJsonbKeys *keys;
	JsonbValue *values;
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

DsMyKind
ds_my_field_kind(const DsMysqlApi *api, const MYSQL_FIELD *f)
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
		col->kind = ds_my_field_kind(api, &fields[i]);
		col->name = name;
		col->key.type = jbvString;
		col->key.val.string.val = name;
		col->key.val.string.len = strlen(name);
	}
	{
		JsonbValue *keys = palloc(sizeof(JsonbValue) * Max(nfields, 1));

		for (unsigned int i = 0; i < nfields; i++)
			keys[i] = enc->columns[i].key;
		enc->keys = ds_jsonb_keys_create(keys, nfields);
		enc->values = palloc(sizeof(JsonbValue) * Max(nfields, 1));
	}
	return enc;
}


pg_noreturn static void
bad_value(DsMyRowEncoder *enc, DsMyColumn *col, const char *what, const char *value)
{
	/* The server's bytes, shown only as far as they are valid text. */
	int			valid = pg_encoding_verifymbstr(PG_UTF8, value, strnlen(value, 64));
	char	   *shown = pg_any_to_server(value, valid, PG_UTF8);

	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("cannot convert MySQL %s \"%s\"", what,
					shown == value ? pnstrdup(value, valid) : shown)));
}

/* Integers that fit int64 (all but UNSIGNED BIGINT, handled apart). */
static void
set_int(DsMyRowEncoder *enc, DsMyColumn *col, const char *s, JsonbValue *v)
{
	const char *p = s;
	bool		neg = false;
	uint64		n = 0;

	if (*p == '-')
	{
		neg = true;
		p++;
	}
	if (*p == '\0')
		bad_value(enc, col, "integer", s);
	for (; *p; p++)
	{
		if (*p < '0' || *p > '9' || n > (PG_UINT64_MAX - 9) / 10)
			bad_value(enc, col, "integer", s);
		n = n * 10 + (*p - '0');
	}
	if (n > (uint64) PG_INT64_MAX + (neg ? 1 : 0))
		bad_value(enc, col, "integer", s);
	v->type = jbvNumeric;
	v->val.numeric = int64_to_numeric(neg ? (int64) (0 - n) : (int64) n);
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
		ds_jsonb_set_number_text(v, buf, snprintf(buf, sizeof(buf), UINT64_FORMAT, n));
	}
}

/* n digits at s; -1 if any is not a digit. */
static int
digits(const char *s, int n)
{
	int			v = 0;

	for (int i = 0; i < n; i++)
	{
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

bool
ds_my_zero_date(const char *s, unsigned long len)
{
	return len >= 10 && s[4] == '-' && s[7] == '-' &&
		(digits(s, 4) == 0 || digits(s + 5, 2) == 0 || digits(s + 8, 2) == 0);
}

/*
 * Parses "YYYY-MM-DD[ HH:MM:SS[.ffffff]]", the only form the server sends.
 * Returns false for a zero date (any of year, month, day zero), which MySQL
 * allows and PostgreSQL has no value for.
 */
static bool
parse_datetime(DsMyRowEncoder *enc, DsMyColumn *col, const char *s, unsigned long len,
			   struct pg_tm *tm, fsec_t *fsec)
{
	memset(tm, 0, sizeof(*tm));
	*fsec = 0;
	if (len < 10 || s[4] != '-' || s[7] != '-' ||
		(tm->tm_year = digits(s, 4)) < 0 || (tm->tm_mon = digits(s + 5, 2)) < 0 ||
		(tm->tm_mday = digits(s + 8, 2)) < 0)
		bad_value(enc, col, "date", s);
	if (ds_my_zero_date(s, len))
		return false;
	if (len == 10)
		return true;
	if (len < 19 || (s[10] != ' ' && s[10] != 'T') || s[13] != ':' || s[16] != ':' ||
		(tm->tm_hour = digits(s + 11, 2)) < 0 || (tm->tm_min = digits(s + 14, 2)) < 0 ||
		(tm->tm_sec = digits(s + 17, 2)) < 0)
		bad_value(enc, col, "datetime", s);
	if (len > 19)
	{
		int			scale = 100000;

		if (s[19] != '.' || len > 26)
			bad_value(enc, col, "datetime", s);
		for (unsigned long i = 20; i < len; i++)
		{
			if (s[i] < '0' || s[i] > '9')
				bad_value(enc, col, "datetime", s);
			*fsec += (s[i] - '0') * scale;
			scale /= 10;
		}
	}
	return true;
}

static void
set_datetime(DsMyRowEncoder *enc, DsMyColumn *col, char *s, unsigned long len,
			 JsonbValue *v)
{
	struct pg_tm tm;
	fsec_t		fsec;
	Timestamp	ts;
	char	   *out;

	if (!parse_datetime(enc, col, s, len, &tm, &fsec))
	{
		v->type = jbvNull;
		return;
	}
	if (col->kind == MYK_DATE)
	{
		/* Already what to_jsonb(date) prints. */
		ds_jsonb_set_string(v, s, 10);
		return;
	}
	if (col->kind == MYK_DATETIME)
	{
		/*
		 * to_jsonb(timestamp) prints the same digits with a T and without
		 * trailing zeros in the fraction: rewrite in place.
		 */
		int			n = len;

		s[10] = 'T';
		if (n > 19)
		{
			while (n > 20 && s[n - 1] == '0')
				n--;
			if (n == 20)
				n = 19;
		}
		ds_jsonb_set_string(v, s, n);
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
	ds_jsonb_set_string(v, out, strlen(out));
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
	ds_jsonb_set_string(v, out, len * 2 + 2);
}

/* [-]H+:MM:SS[.f{1,6}], the form the server prints a TIME in. */
static bool
is_time_text(const char *s, unsigned long len)
{
	unsigned long i = (len > 0 && s[0] == '-') ? 1 : 0;
	unsigned long hours = 0;

	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++, hours++;
	if (hours == 0 || hours > 4 || len - i < 6 || s[i] != ':' || digits(s + i + 1, 2) < 0 ||
		s[i + 3] != ':' || digits(s + i + 4, 2) < 0)
		return false;
	i += 6;
	if (i == len)
		return true;
	if (s[i] != '.' || len - i < 2 || len - i > 7)
		return false;
	return digits(s + i + 1, len - i - 1) >= 0;
}

/*
 * A number as the server prints it.  Only floats have values that are no
 * JSON number (StarRocks prints nan and inf), and they become what
 * to_jsonb() makes of a float8 NaN or Infinity; anything else that is not a
 * number is not what a numeric column holds.
 */
static void
set_number(DsMyRowEncoder *enc, DsMyColumn *col, char *s, unsigned long len,
		   JsonbValue *v)
{
	if (IsValidJsonNumber(s, len))
	{
		ds_jsonb_set_number(v, s);
		return;
	}
	if (col->kind == MYK_FLOAT)
	{
		if (len == 3 && pg_strncasecmp(s, "nan", 3) == 0)
		{
			ds_jsonb_set_string(v, "NaN", 3);
			return;
		}
		if ((len == 3 && pg_strncasecmp(s, "inf", 3) == 0) ||
			(len == 8 && pg_strncasecmp(s, "infinity", 8) == 0))
		{
			ds_jsonb_set_string(v, "Infinity", 8);
			return;
		}
		if ((len == 4 && pg_strncasecmp(s, "-inf", 4) == 0) ||
			(len == 9 && pg_strncasecmp(s, "-infinity", 9) == 0))
		{
			ds_jsonb_set_string(v, "-Infinity", 9);
			return;
		}
	}
	bad_value(enc, col, "number", pnstrdup(s, len));
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
		case MYK_FLOAT:
			set_number(enc, col, s, len, v);
			break;
		case MYK_BIT:
			/* BIT(n) is at most 64 bits: at most 8 bytes. */
			if (len > 8)
				bad_value(enc, col, "BIT value", psprintf("%lu bytes", len));
			set_bit((unsigned char *) s, len, v);
			break;
		case MYK_DATE:
		case MYK_DATETIME:
		case MYK_TIMESTAMP:
			set_datetime(enc, col, s, len, v);
			break;
		case MYK_TIME:
			if (!is_time_text(s, len))
				bad_value(enc, col, "time", pnstrdup(s, len));
			ds_jsonb_set_string(v, pnstrdup(s, len), len);
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

				ds_jsonb_set_string(v, text, text == s ? (int) len : (int) strlen(text));
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
	ErrorContextCallback errcb;
	Jsonb	   *result;

	enc->row++;
	errcb.callback = row_error_context;
	errcb.arg = enc;
	errcb.previous = error_context_stack;
	error_context_stack = &errcb;
	for (unsigned int i = 0; i < enc->ncolumns; i++)
	{
		JsonbValue *v = &enc->values[i];

		enc->column = i;
		if (values[i] == NULL)
			v->type = jbvNull;
		else
			column_value(enc, &enc->columns[i], values[i], lengths[i], v);
	}
	enc->column = -1;
	result = ds_jsonb_keys_build(enc->keys, enc->values);
	error_context_stack = errcb.previous;
	return result;
}
