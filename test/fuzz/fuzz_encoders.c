/*
 * fuzz_encoders.c
 *		libFuzzer harness for the stream-load encoders (src/load_encode.c,
 *		built from the same source with -DFRONTEND and libpgcommon).
 *
 * The input describes rows of NULLs, strings and booleans.  Each encoding is
 * decoded again by an independent reader that follows the format's rules
 * (MySQL LOAD DATA defaults; StarRocks CSV with \x01/\x02, enclose " and
 * escape \; PostgreSQL COPY text; JSON), and every value must come back
 * byte for byte: an encoder that ever writes a corrupted or ambiguous row
 * aborts the run.
 */
#include "postgres_fe.h"

#include "common/jsonapi.h"
#include "mb/pg_wchar.h"

#include "core/compat.h"
#include "core/load_encode.h"

#define MAX_COLS 6
#define MAX_ROWS 64

typedef struct Row
{
	DsEncodeRow r;
	DsParamKind kinds[MAX_COLS];
	char	   *values[MAX_COLS];
	int			lengths[MAX_COLS];
	char	   *columns[MAX_COLS];
} Row;

static void
fail(const char *what, int row, int col)
{
	fprintf(stderr, "%s: row %d column %d does not round-trip\n", what, row, col);
	abort();
}

/* Compares a decoded field (NULL if SQL NULL) with the original. */
static void
check_field(const char *what, Row *rows, int row, int col, const char *got, int gotlen)
{
	Row		   *r = &rows[row];

	if (row >= MAX_ROWS || col >= r->r.ncolumns)
		fail(what, row, col);
	if (r->kinds[col] == DS_PARAM_NULL)
	{
		if (got != NULL)
			fail(what, row, col);
		return;
	}
	if (got == NULL || gotlen != r->lengths[col] || memcmp(got, r->values[col], gotlen) != 0)
		fail(what, row, col);
}

/* MySQL LOAD DATA: \t fields, \n lines, backslash escapes, \N alone is NULL. */
static void
decode_mysql(const char *s, int len, Row *rows, int nrows)
{
	char	   *field = malloc(len + 1);
	int			flen = 0;
	int			row = 0;
	int			col = 0;
	bool		bare_null = false;

	for (int i = 0; i < len; i++)
	{
		char		c = s[i];

		if (c == '\\' && i + 1 < len)
		{
			char		n = s[++i];

			if (n == 'N' && flen == 0 && (i + 1 == len || s[i + 1] == '\t' || s[i + 1] == '\n'))
			{
				bare_null = true;
				continue;
			}
			field[flen++] = n == 't' ? '\t' : n == 'n' ? '\n' : n == 'r' ? '\r' :
				n == '0' ? '\0' : n == 'b' ? '\b' : n == 'Z' ? '\032' : n;
			continue;
		}
		if (c == '\t' || c == '\n')
		{
			check_field("mysql", rows, row, col, bare_null ? NULL : field, flen);
			flen = 0;
			bare_null = false;
			col++;
			if (c == '\n')
			{
				if (col != rows[row].r.ncolumns)
					fail("mysql column count", row, col);
				row++;
				col = 0;
			}
			continue;
		}
		field[flen++] = c;
	}
	if (row != nrows || col != 0)
		fail("mysql row count", row, col);
	free(field);
}

/* StarRocks CSV: \x01 fields, \x02 rows, "..." with \ escapes, bare \N is NULL. */
static void
decode_sr_csv(const char *s, int len, Row *rows, int nrows)
{
	char	   *field = malloc(len + 1);
	int			flen = 0;
	int			row = 0;
	int			col = 0;
	int			start = 0;
	bool		quoted = false;

	for (int i = 0; i < len; i++)
	{
		char		c = s[i];

		if (i == start && c == '"')
		{
			quoted = true;
			for (i++; i < len && s[i] != '"'; i++)
			{
				if (s[i] == '\\' && i + 1 < len)
					i++;
				field[flen++] = s[i];
			}
			if (i >= len)
				fail("csv unterminated quote", row, col);
			continue;
		}
		if (c == DS_SR_CSV_COLUMN_SEP || c == DS_SR_CSV_ROW_SEP)
		{
			bool		is_null = !quoted && flen == 2 && field[0] == '\\' && field[1] == 'N';

			check_field("csv", rows, row, col, is_null ? NULL : field, flen);
			flen = 0;
			quoted = false;
			start = i + 1;
			col++;
			if (c == DS_SR_CSV_ROW_SEP)
			{
				if (col != rows[row].r.ncolumns)
					fail("csv column count", row, col);
				row++;
				col = 0;
			}
			continue;
		}
		if (quoted)
			fail("csv bytes after a closing quote", row, col);
		field[flen++] = c;
	}
	if (row != nrows || col != 0)
		fail("csv row count", row, col);
	free(field);
}

/* COPY writes booleans as t/f; the rows hold them as 1/0. */
static void
check_pg_field(Row *rows, int row, int col, const char *got, int gotlen)
{
	if (row < MAX_ROWS && col < rows[row].r.ncolumns && rows[row].kinds[col] == DS_PARAM_BOOL)
	{
		if (got == NULL || gotlen != 1 || got[0] != (rows[row].values[col][0] == '1' ? 't' : 'f'))
			fail("copy bool", row, col);
		return;
	}
	check_field("copy", rows, row, col, got, gotlen);
}

static int
hex_value(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
		c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/*
 * PostgreSQL COPY FROM in text format, as CopyReadAttributesText() reads
 * it: \t fields, \n lines, a field whose raw text is \N is NULL, backslash
 * escapes \b \f \n \r \t \v, octal \ooo and hex \xhh, any other escaped
 * byte is itself; a line that is \. ends the data.
 */
static void
decode_pg_copy(const char *s, int len, Row *rows, int nrows)
{
	char	   *field = malloc(len + 1);
	int			flen = 0;
	int			row = 0;
	int			col = 0;
	int			raw_start = 0;

	for (int i = 0; i < len; i++)
	{
		char		c = s[i];

		if (c == '\\' && i + 1 < len)
		{
			char		n = s[++i];

			if (n == '.' && col == 0 && i - 1 == raw_start)
				fail("copy end-of-data marker", row, col);
			if (n >= '0' && n <= '7')
			{
				int			v = n - '0';

				for (int k = 0; k < 2 && i + 1 < len && s[i + 1] >= '0' && s[i + 1] <= '7'; k++)
					v = v * 8 + (s[++i] - '0');
				field[flen++] = (char) v;
			}
			else if (n == 'x' && i + 1 < len && hex_value(s[i + 1]) >= 0)
			{
				int			v = hex_value(s[++i]);

				if (i + 1 < len && hex_value(s[i + 1]) >= 0)
					v = v * 16 + hex_value(s[++i]);
				field[flen++] = (char) v;
			}
			else
				field[flen++] = n == 'b' ? '\b' : n == 'f' ? '\f' : n == 'n' ? '\n' :
					n == 'r' ? '\r' : n == 't' ? '\t' : n == 'v' ? '\v' : n;
			continue;
		}
		if (c == '\r')
			fail("copy raw carriage return", row, col);
		if (c == '\t' || c == '\n')
		{
			bool		is_null = i - raw_start == 2 && s[raw_start] == '\\' && s[raw_start + 1] == 'N';

			check_pg_field(rows, row, col, is_null ? NULL : field, flen);
			flen = 0;
			raw_start = i + 1;
			col++;
			if (c == '\n')
			{
				if (col != rows[row].r.ncolumns)
					fail("copy column count", row, col);
				row++;
				col = 0;
			}
			continue;
		}
		field[flen++] = c;
	}
	if (row != nrows || col != 0)
		fail("copy row count", row, col);
	free(field);
}

static bool
valid_utf8(Row *rows, int nrows)
{
	for (int r = 0; r < nrows; r++)
		for (int c = 0; c < rows[r].r.ncolumns; c++)
			if (rows[r].kinds[c] == DS_PARAM_STRING &&
				(memchr(rows[r].values[c], '\0', rows[r].lengths[c]) != NULL ||
				 pg_encoding_verifymbstr(PG_UTF8, rows[r].values[c], rows[r].lengths[c]) != rows[r].lengths[c]))
				return false;
	return true;
}

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *names[MAX_COLS] = {"a", "b", "c\"d", "e\\f", "g\x01h", "i j"};
	Row		   *rows = calloc(MAX_ROWS, sizeof(Row));
	int			nrows = 0;
	size_t		pos = 1;
	int			ncols;
	StringInfoData buf;

	if (size == 0)
	{
		free(rows);
		return 0;
	}
	ncols = data[0] % MAX_COLS + 1;
	while (pos < size && nrows < MAX_ROWS)
	{
		Row		   *r = &rows[nrows++];

		r->r.ncolumns = ncols;
		r->r.columns = names;
		r->r.kinds = r->kinds;
		r->r.values = r->values;
		r->r.lengths = r->lengths;
		for (int c = 0; c < ncols; c++)
		{
			uint8_t		k = pos < size ? data[pos++] : 0;
			int			len = pos < size ? data[pos++] : 0;

			r->columns[c] = names[c];
			if (len > (int) (size - pos))
				len = size - pos;
			switch (k % 4)
			{
				case 0:
					r->kinds[c] = DS_PARAM_NULL;
					r->values[c] = NULL;
					r->lengths[c] = 0;
					break;
				case 1:
					r->kinds[c] = DS_PARAM_BOOL;
					r->values[c] = (k & 4) ? "1" : "0";
					r->lengths[c] = 1;
					break;
				default:
					r->kinds[c] = DS_PARAM_STRING;
					r->values[c] = (char *) data + pos;
					r->lengths[c] = len;
					pos += len;
					break;
			}
		}
	}

	initStringInfo(&buf);
	for (int r = 0; r < nrows; r++)
		ds_encode_mysql_row(&buf, &rows[r].r);
	decode_mysql(buf.data, buf.len, rows, nrows);

	resetStringInfo(&buf);
	for (int r = 0; r < nrows; r++)
		ds_encode_sr_csv_row(&buf, &rows[r].r);
	decode_sr_csv(buf.data, buf.len, rows, nrows);

	resetStringInfo(&buf);
	for (int r = 0; r < nrows; r++)
		ds_encode_pg_copy_row(&buf, &rows[r].r);
	decode_pg_copy(buf.data, buf.len, rows, nrows);

	/* JSON: text must be UTF-8 (PostgreSQL text is); then it must parse. */
	if (valid_utf8(rows, nrows))
	{
		JsonLexContext *lex;
		JsonParseErrorType err;

		resetStringInfo(&buf);
		appendStringInfoChar(&buf, '[');
		for (int r = 0; r < nrows; r++)
		{
			if (r > 0)
				appendStringInfoChar(&buf, ',');
			ds_encode_json_row(&buf, &rows[r].r);
		}
		appendStringInfoChar(&buf, ']');
		lex = ds_json_lex_context(buf.data, buf.len, PG_UTF8);
		err = pg_parse_json(lex, &nullSemAction);
		if (err != JSON_SUCCESS)
		{
			fprintf(stderr, "json: parse error %d\n", (int) err);
			abort();
		}
#if PG_VERSION_NUM >= 170000
		freeJsonLexContext(lex);
#else
		/* PostgreSQL 15 and 16 have no freeJsonLexContext(). */
		if (lex->strval)
		{
			pfree(lex->strval->data);
			pfree(lex->strval);
		}
		pfree(lex);
#endif
	}
	pfree(buf.data);
	free(rows);
	return 0;
}
