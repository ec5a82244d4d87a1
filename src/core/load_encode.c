/*
 * load_encode.c
 *		Stream-load encodings.
 */
#ifdef FRONTEND
#include "postgres_fe.h"
#else
#include "postgres.h"
#endif

#include "core/load_encode.h"

/*
 * LOAD DATA reads \t, \n, \r, \0, \b, \Z, \N and \\ as escapes and any other
 * escaped byte as itself; only the field and line terminators and the
 * backslash must be escaped, plus \r (a client's CRLF handling must not eat
 * it) and NUL (kept readable in logs).
 */
static const char mysql_escape[256] = {
	['\\'] = '\\', ['\t'] = 't', ['\n'] = 'n', ['\r'] = 'r', ['\0'] = '0',
};

static void
encode_mysql_value(StringInfo buf, const char *s, int len)
{
	int			start = 0;

	enlargeStringInfo(buf, len);
	for (int i = 0; i < len; i++)
	{
		char		e = mysql_escape[(unsigned char) s[i]];

		if (e == 0)
			continue;
		appendBinaryStringInfo(buf, s + start, i - start);
		appendStringInfoChar(buf, '\\');
		appendStringInfoChar(buf, e);
		start = i + 1;
	}
	appendBinaryStringInfo(buf, s + start, len - start);
}

void
ds_encode_mysql_row(StringInfo buf, const DsEncodeRow *row)
{
	for (int i = 0; i < row->ncolumns; i++)
	{
		if (i > 0)
			appendStringInfoChar(buf, '\t');
		if (row->kinds[i] == DS_PARAM_NULL)
			appendBinaryStringInfo(buf, "\\N", 2);
		else
			encode_mysql_value(buf, row->values[i], row->lengths[i]);
	}
	appendStringInfoChar(buf, '\n');
}

/* COPY text needs no more: other control bytes may stand as they are. */
static const char pg_copy_escape[256] = {
	['\\'] = '\\', ['\t'] = 't', ['\n'] = 'n', ['\r'] = 'r',
};

void
ds_encode_pg_copy_row(StringInfo buf, const DsEncodeRow *row)
{
	for (int i = 0; i < row->ncolumns; i++)
	{
		const char *s = row->values[i];
		int			len = row->lengths[i];
		int			start = 0;

		if (i > 0)
			appendStringInfoChar(buf, '\t');
		if (row->kinds[i] == DS_PARAM_NULL)
		{
			appendBinaryStringInfo(buf, "\\N", 2);
			continue;
		}
		if (row->kinds[i] == DS_PARAM_BOOL)
		{
			appendStringInfoChar(buf, s[0] == '1' || s[0] == 't' ? 't' : 'f');
			continue;
		}
		enlargeStringInfo(buf, len);
		for (int j = 0; j < len; j++)
		{
			char		e = pg_copy_escape[(unsigned char) s[j]];

			if (e == 0)
				continue;
			appendBinaryStringInfo(buf, s + start, j - start);
			appendStringInfoChar(buf, '\\');
			appendStringInfoChar(buf, e);
			start = j + 1;
		}
		appendBinaryStringInfo(buf, s + start, len - start);
	}
	appendStringInfoChar(buf, '\n');
}

static void
append_json_string(StringInfo buf, const char *s, int len)
{
	appendStringInfoChar(buf, '"');
	for (int i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];

		switch (c)
		{
			case '"':
				appendBinaryStringInfo(buf, "\\\"", 2);
				break;
			case '\\':
				appendBinaryStringInfo(buf, "\\\\", 2);
				break;
			case '\n':
				appendBinaryStringInfo(buf, "\\n", 2);
				break;
			case '\r':
				appendBinaryStringInfo(buf, "\\r", 2);
				break;
			case '\t':
				appendBinaryStringInfo(buf, "\\t", 2);
				break;
			default:
				if (c < 0x20)
					appendStringInfo(buf, "\\u%04x", c);
				else
					appendStringInfoChar(buf, c);
		}
	}
	appendStringInfoChar(buf, '"');
}

/*
 * A value is enclosed (and escaped) only when it must be: when it holds a
 * separator, the enclose or escape byte, or is the text \N (bare, that is
 * NULL).  Everything else goes bare, which the server parses fastest.
 */
static bool
csv_needs_enclose(const char *s, int len)
{
	if (len == 2 && s[0] == '\\' && s[1] == 'N')
		return true;
	for (int i = 0; i < len; i++)
		if (s[i] == DS_SR_CSV_COLUMN_SEP || s[i] == DS_SR_CSV_ROW_SEP || s[i] == '"' || s[i] == '\\')
			return true;
	return false;
}

void
ds_encode_sr_csv_row(StringInfo buf, const DsEncodeRow *src)
{
	for (int i = 0; i < src->ncolumns; i++)
	{
		const char *s = src->values[i];
		int			len = src->lengths[i];

		if (i > 0)
			appendStringInfoChar(buf, DS_SR_CSV_COLUMN_SEP);
		if (src->kinds[i] == DS_PARAM_NULL)
		{
			appendBinaryStringInfo(buf, "\\N", 2);
			continue;
		}
		if (!csv_needs_enclose(s, len))
		{
			appendBinaryStringInfo(buf, s, len);
			continue;
		}
		appendStringInfoChar(buf, '"');
		for (int j = 0; j < len; j++)
		{
			if (s[j] == '"' || s[j] == '\\')
				appendStringInfoChar(buf, '\\');
			appendStringInfoChar(buf, s[j]);
		}
		appendStringInfoChar(buf, '"');
	}
	appendStringInfoChar(buf, DS_SR_CSV_ROW_SEP);
}

/* JSON's number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)? */
static bool
is_json_number(const char *s, int len)
{
	int			i = 0;
	int			start;

	if (i < len && s[i] == '-')
		i++;
	if (i < len && s[i] == '0')
		i++;
	else
	{
		start = i;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == start || s[start] == '0')
			return false;
	}
	if (i < len && s[i] == '.')
	{
		start = ++i;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == start)
			return false;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E'))
	{
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		start = i;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == start)
			return false;
	}
	return i == len;
}

void
ds_encode_json_row(StringInfo buf, const DsEncodeRow *src)
{
	appendStringInfoChar(buf, '{');
	for (int i = 0; i < src->ncolumns; i++)
	{
		if (i > 0)
			appendStringInfoChar(buf, ',');
		append_json_string(buf, src->columns[i], strlen(src->columns[i]));
		appendStringInfoChar(buf, ':');
		switch (src->kinds[i])
		{
			case DS_PARAM_NULL:
				appendStringInfoString(buf, "null");
				break;
			case DS_PARAM_NUMBER:
				/*
				 * A number that JSON cannot write (NaN, Infinity, or
				 * whatever a source server sent) goes as a string: spliced
				 * in raw, it would end the object and begin rows of its own.
				 */
				if (is_json_number(src->values[i], src->lengths[i]))
					appendBinaryStringInfo(buf, src->values[i], src->lengths[i]);
				else
					append_json_string(buf, src->values[i], src->lengths[i]);
				break;
			case DS_PARAM_JSON:
				/* Checked to be one JSON value by the row source. */
				appendBinaryStringInfo(buf, src->values[i], src->lengths[i]);
				break;
			case DS_PARAM_BOOL:
				appendStringInfoString(buf, src->values[i][0] == '1' ? "true" : "false");
				break;
			case DS_PARAM_STRING:
				append_json_string(buf, src->values[i], src->lengths[i]);
				break;
		}
	}
	appendStringInfoChar(buf, '}');
}

