/*
 * pg_column_text.c
 *		Values of other kinds as a PostgreSQL column reads them
 *		(core/pg_column_text.h).
 */
#include "postgres.h"

#include "access/htup_details.h"

#include "mb/pg_wchar.h"
#include "utils/memutils.h"

#include "core/json_scan.h"
#include "core/pg_column_text.h"

/* As array_in nests them (MAXDIM). */
#define PG_ARRAY_MAX_DIMS 6

/* An element in double quotes, its quotes and backslashes escaped. */
static void
put_quoted(StringInfo out, const char *s, int len)
{
	appendStringInfoChar(out, '"');
	for (int i = 0; i < len; i++)
	{
		if (s[i] == '"' || s[i] == '\\')
			appendStringInfoChar(out, '\\');
		appendStringInfoChar(out, s[i]);
	}
	appendStringInfoChar(out, '"');
}

/* json[0..len) as {...} into out; false (out partly written) unless a JSON array. */
static bool
put_array(StringInfo out, const char *json, int len, int depth)
{
	DsJsonItems items = {0};
	char	   *error;

	if (depth > PG_ARRAY_MAX_DIMS ||
		!ds_json_scan(json, len, PG_UTF8, DS_JSON_ARRAY, &items, &error))
		return false;
	appendStringInfoChar(out, '{');
	for (int i = 0; i < items.count; i++)
	{
		DsJsonItem *item = &items.items[i];

		if (i > 0)
			appendStringInfoChar(out, ',');
		switch (item->kind)
		{
			case DS_PARAM_NULL:
				appendStringInfoString(out, "NULL");
				break;
			case DS_PARAM_NUMBER:
			case DS_PARAM_BOOL:
				appendBinaryStringInfo(out, item->text, item->len);
				break;
			case DS_PARAM_JSON:
				if (item->text[0] == '[')
				{
					if (!put_array(out, item->text, item->len, depth + 1))
						return false;
				}
				else
					put_quoted(out, item->text, item->len);
				break;
			default:
				put_quoted(out, item->text, item->len);
				break;
		}
	}
	appendStringInfoChar(out, '}');
	return true;
}

static bool
is_json_array(const char *s, int len)
{
	int			i = 0;

	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i++;
	return i < len && s[i] == '[';
}

static int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * \x followed by the hex of big-endian bytes as bits into out: the low n
 * (n < 0: all of them); false if it is no such text or a bit above n is set.
 */
static bool
put_bits(StringInfo out, const char *s, int len, int32 n)
{
	int			nbits;
	int			skip;

	/* no bytes, or more bits than a bit string holds: left to bit_in */
	if (len < 4 || s[0] != '\\' || s[1] != 'x' || (len - 2) % 2 != 0 ||
		(int64) (len - 2) * 4 > (int64) MaxAttrSize * BITS_PER_BYTE)
		return false;
	for (int i = 2; i < len; i++)
		if (hex_digit(s[i]) < 0)
			return false;
	nbits = (len - 2) * 4;
	if (n < 0)
		n = nbits;
	/* more bytes than n bits: the ones above must be zero; fewer: zeros in front */
	skip = nbits - n;
	for (int b = skip; b < 0; b++)
		appendStringInfoChar(out, '0');
	for (int b = 0; b < nbits; b++)
	{
		bool		set = (hex_digit(s[2 + b / 4]) >> (3 - b % 4)) & 1;

		if (b < skip)
		{
			if (set)
				return false;
			continue;
		}
		appendStringInfoChar(out, set ? '1' : '0');
	}
	return true;
}

DsPgColumns *
ds_pg_columns_new(int ncolumns)
{
	DsPgColumns *cols = palloc0(sizeof(DsPgColumns));

	cols->ncolumns = ncolumns;
	cols->forms = palloc0(sizeof(DsPgColumnForm) * Max(ncolumns, 1));
	cols->bits = palloc0(sizeof(int32) * Max(ncolumns, 1));
	initStringInfo(&cols->scratch);
	return cols;
}

bool
ds_pg_columns_any(const DsPgColumns *cols)
{
	for (int i = 0; i < cols->ncolumns; i++)
		if (cols->forms[i] != DS_PG_COLUMN_AS_IS)
			return true;
	return false;
}

void
ds_pg_columns_rewrite(DsPgColumns *cols, DsEncodeRow *row)
{
	static MemoryContext scancxt = NULL;
	StringInfo	scratch = &cols->scratch;
	int		   *at = NULL;
	MemoryContext old;

	resetStringInfo(scratch);
	for (int i = 0; i < row->ncolumns && i < cols->ncolumns; i++)
	{
		int			start = scratch->len;
		bool		ok;

		if (cols->forms[i] == DS_PG_COLUMN_AS_IS || row->kinds[i] == DS_PARAM_NULL)
			continue;
		if (cols->forms[i] == DS_PG_COLUMN_BIT)
			ok = put_bits(scratch, row->values[i], row->lengths[i], cols->bits[i]);
		else if (!is_json_array(row->values[i], row->lengths[i]) ||
				 !pg_verify_mbstr(PG_UTF8, row->values[i], row->lengths[i], true))
			ok = false;
		else
		{
			/* What the scan allocates goes once the value is written. */
			if (scancxt == NULL)
				scancxt = AllocSetContextCreate(TopMemoryContext, "datastore JSON arrays",
												ALLOCSET_SMALL_SIZES);
			old = MemoryContextSwitchTo(scancxt);
			ok = put_array(scratch, row->values[i], row->lengths[i], 1);
			MemoryContextSwitchTo(old);
			MemoryContextReset(scancxt);
		}
		if (!ok)
		{
			scratch->len = start;
			scratch->data[start] = '\0';
			continue;
		}
		/* Offsets for now: scratch may move as it grows. */
		if (at == NULL)
			at = palloc0(sizeof(int) * row->ncolumns * 2);
		at[2 * i] = start + 1;
		at[2 * i + 1] = scratch->len - start;
		appendStringInfoChar(scratch, '\0');
	}
	if (at == NULL)
		return;
	for (int i = 0; i < row->ncolumns; i++)
	{
		if (at[2 * i] == 0)
			continue;
		row->kinds[i] = DS_PARAM_STRING;
		row->values[i] = scratch->data + at[2 * i] - 1;
		row->lengths[i] = at[2 * i + 1];
	}
	pfree(at);
}
