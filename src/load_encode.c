/*
 * load_encode.c
 *		Stream-load encodings.
 */
#include "postgres.h"

#include "load_encode.h"

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
ds_encode_mysql_row(StringInfo buf, DsRowSource *src)
{
	for (int i = 0; i < src->ncolumns; i++)
	{
		if (i > 0)
			appendStringInfoChar(buf, '\t');
		if (src->kinds[i] == DS_PARAM_NULL)
			appendBinaryStringInfo(buf, "\\N", 2);
		else
			encode_mysql_value(buf, src->values[i], src->lengths[i]);
	}
	appendStringInfoChar(buf, '\n');
}
