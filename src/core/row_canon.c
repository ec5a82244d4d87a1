/*
 * row_canon.c
 *		The canonical form of a row source's value, so that the same value
 *		read from two kinds of store compares equal: MySQL's 1.50 and
 *		PostgreSQL's 1.5, a BOOLEAN true and a TINYINT 1, PostgreSQL's
 *		2024-01-02T03:04:05 and MySQL's 2024-01-02 03:04:05.000000, a
 *		time 12:34:56.5 and a TIME(6) 12:34:56.500000.  And
 *		nothing else: a string "1" is not the number 1.
 */
#include "postgres.h"

#include <ctype.h>

#include "core/compat.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "core/row_canon.h"

static bool
digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (!isdigit((unsigned char) s[i]))
			return false;
	return true;
}

/*
 * The rest of a time of day from s[p]: the fraction without its trailing
 * zeros (none if it is all zeros), then a zone of +00 for Z, +00:00 and +00,
 * and +HH for +HH:00.  false if it is no such rest.
 */
static bool
canon_time_rest(StringInfo out, const char *s, int p, int len)
{
	if (p < len && s[p] == '.')
	{
		int			start = ++p;
		int			end;

		while (p < len && isdigit((unsigned char) s[p]))
			p++;
		if (p == start)
			return false;
		end = p;
		while (end > start && s[end - 1] == '0')
			end--;
		if (end > start)
		{
			appendStringInfoChar(out, '.');
			appendBinaryStringInfo(out, s + start, end - start);
		}
	}
	if (p == len)
		return true;
	if (s[p] == 'Z' && p + 1 == len)
	{
		appendStringInfoString(out, "+00");
		return true;
	}
	if ((s[p] == '+' || s[p] == '-') && p + 3 <= len && digits(s + p + 1, 2))
	{
		bool		zero = (s[p + 1] == '0' && s[p + 2] == '0');
		const char *mm = NULL;

		if (p + 3 == len)
			;
		else if (p + 6 == len && s[p + 3] == ':' && digits(s + p + 4, 2))
			mm = s + p + 4;
		else
			return false;
		if (zero && (mm == NULL || (mm[0] == '0' && mm[1] == '0')))
		{
			appendStringInfoString(out, "+00");
			return true;
		}
		appendBinaryStringInfo(out, s + p, 3);
		if (mm != NULL && !(mm[0] == '0' && mm[1] == '0'))
		{
			appendStringInfoChar(out, ':');
			appendBinaryStringInfo(out, mm, 2);
		}
		return true;
	}
	return false;
}

/*
 * A date-time written one way: space between date and time, then the time's
 * rest as canon_time_rest writes it.  false if s is no date-time.
 */
static bool
canon_datetime(StringInfo out, const char *s, int len)
{
	if (len < 10 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' ||
		!digits(s + 8, 2))
		return false;
	if (len == 10)
	{
		appendBinaryStringInfo(out, s, 10);
		return true;
	}
	if (len < 19 || (s[10] != ' ' && s[10] != 'T') || !digits(s + 11, 2) || s[13] != ':' ||
		!digits(s + 14, 2) || s[16] != ':' || !digits(s + 17, 2))
		return false;
	appendBinaryStringInfo(out, s, 10);
	appendStringInfoChar(out, ' ');
	appendBinaryStringInfo(out, s + 11, 8);
	return canon_time_rest(out, s, 19, len);
}

/*
 * A time of day (PostgreSQL's time and timetz, MySQL's TIME, which may be
 * negative and beyond 24 hours: -838:59:59) written one way: [-]HH:MM:SS or
 * [-]HHH:MM:SS, then its rest as canon_time_rest writes it, so that
 * PostgreSQL's 12:34:56.5 is MySQL's TIME(6) 12:34:56.500000.  false if s is
 * no time.
 */
static bool
canon_time(StringInfo out, const char *s, int len)
{
	int			p = (len > 0 && s[0] == '-') ? 1 : 0;
	int			h = p;

	while (p < len && p - h < 3 && isdigit((unsigned char) s[p]))
		p++;
	if (p - h < 2 || p + 6 > len || s[p] != ':' || !digits(s + p + 1, 2) || s[p + 3] != ':' ||
		!digits(s + p + 4, 2))
		return false;
	appendBinaryStringInfo(out, s, p + 6);
	return canon_time_rest(out, s, p + 6, len);
}

/* [-+]digits[.digits][(e|E)[-+]digits]: what numeric_in reads without fail. */
static bool
plain_number(const char *s, int len)
{
	int			p = 0;
	int			d;

	if (p < len && (s[p] == '-' || s[p] == '+'))
		p++;
	for (d = p; p < len && isdigit((unsigned char) s[p]); p++)
		;
	if (p == d)
		return false;
	if (p < len && s[p] == '.')
	{
		for (d = ++p; p < len && isdigit((unsigned char) s[p]); p++)
			;
		if (p == d)
			return false;
	}
	if (p < len && (s[p] == 'e' || s[p] == 'E'))
	{
		p++;
		if (p < len && (s[p] == '-' || s[p] == '+'))
			p++;
		for (d = p; p < len && isdigit((unsigned char) s[p]); p++)
			;
		if (p == d || p - d > 4)
			return false;
	}
	return p == len;
}

/*
 * A plain number without an exponent as numeric_normalize() prints its
 * value, by its text alone (numeric_in was a tenth of a 1M-row diff):
 * no sign but a minus, no leading zeros, no trailing zeros of the fraction
 * nor a point without one, and zero as 0.
 */
static void
canon_decimal(StringInfo out, const char *s, int len)
{
	int			p = 0;
	int			end = len;
	int			point;
	bool		minus = false;
	bool		zero = true;

	if (s[p] == '-' || s[p] == '+')
		minus = s[p++] == '-';
	while (p < end - 1 && s[p] == '0' && s[p + 1] != '.')
		p++;
	point = p;
	while (point < end && s[point] != '.')
		point++;
	if (point < end)
	{
		while (end > point + 1 && s[end - 1] == '0')
			end--;
		if (end == point + 1)
			end = point;		/* the point with nothing after it */
	}
	for (int i = p; i < end; i++)
		if (s[i] != '0' && s[i] != '.')
			zero = false;
	if (zero)
	{
		appendStringInfoChar(out, '0');
		return;
	}
	if (minus)
		appendStringInfoChar(out, '-');
	appendBinaryStringInfo(out, s + p, end - p);
}

/* A number's value, as numeric prints it normalized; its text if it is no plain number. */
static void
canon_number(StringInfo out, const char *s, int len)
{
	char	   *text;
	Datum		d;

	if (!plain_number(s, len))
	{
		appendBinaryStringInfo(out, s, len);
		return;
	}
	if (memchr(s, 'e', len) == NULL && memchr(s, 'E', len) == NULL)
	{
		canon_decimal(out, s, len);
		return;
	}
	text = pnstrdup(s, len);
	if (ds_input_safe(numeric_in, text, &d))
		appendStringInfoString(out, numeric_normalize(DatumGetNumeric(d)));
	else
		appendBinaryStringInfo(out, s, len);
	pfree(text);
}

bool
ds_json_has_nul_escape(const char *s, int len)
{
	for (int i = 0; i + 5 < len; i++)
		if (s[i] == '\\')
		{
			if (s[i + 1] == 'u' && s[i + 2] == '0' && s[i + 3] == '0' && s[i + 4] == '0' &&
				s[i + 5] == '0')
				return true;
			i++;				/* an escaped character, maybe a backslash */
		}
	return false;
}

void
ds_row_canon_value(StringInfo out, const DsEncodeRow *row, int i)
{
	const char *s = row->values[i];
	int			len = row->lengths[i];

	switch (row->kinds[i])
	{
		case DS_PARAM_NULL:
			appendStringInfoChar(out, 'n');
			break;
		case DS_PARAM_BOOL:
			appendStringInfoChar(out, '#');
			appendStringInfoChar(out, s[0] == '1' ? '1' : '0');
			break;
		case DS_PARAM_NUMBER:
			appendStringInfoChar(out, '#');
			canon_number(out, s, len);
			break;
		case DS_PARAM_JSON:
			{
				/* jsonb orders the keys and forgets the spacing. */
				char	   *text = pnstrdup(s, len);
				Datum		d;

				appendStringInfoChar(out, 'j');
				if (!ds_json_has_nul_escape(s, len) && ds_input_safe(jsonb_in, text, &d))
					appendStringInfoString(out, JsonbToCString(NULL, &DatumGetJsonbP(d)->root, len));
				else
					appendBinaryStringInfo(out, s, len);
				pfree(text);
				break;
			}
		case DS_PARAM_STRING:
			{
				int			mark = out->len;

				appendStringInfoChar(out, 'd');
				if (canon_datetime(out, s, len))
					break;
				out->len = mark + 1;
				out->data[mark] = 't';
				out->data[mark + 1] = '\0';
				if (canon_time(out, s, len))
					break;
				out->len = mark;
				out->data[mark] = '\0';
				appendStringInfoChar(out, 's');
				appendBinaryStringInfo(out, s, len);
				break;
			}
	}
}
