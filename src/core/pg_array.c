/*
 * pg_array.c
 *		JSON arrays as PostgreSQL's array text (core/pg_array.h).
 */
#include "postgres.h"

#include "mb/pg_wchar.h"
#include "utils/memutils.h"

#include "core/json_scan.h"
#include "core/pg_array.h"

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

void
ds_pg_arrays_from_json(DsEncodeRow *row, const bool *arrays, StringInfo scratch)
{
	static MemoryContext scancxt = NULL;
	int		   *at = NULL;
	MemoryContext old;

	resetStringInfo(scratch);
	for (int i = 0; i < row->ncolumns; i++)
	{
		int			start = scratch->len;
		bool		ok;

		if (!arrays[i] || row->kinds[i] == DS_PARAM_NULL ||
			!is_json_array(row->values[i], row->lengths[i]))
			continue;
		/* What the scan allocates goes once the value is written. */
		if (scancxt == NULL)
			scancxt = AllocSetContextCreate(TopMemoryContext, "datastore JSON arrays",
											ALLOCSET_SMALL_SIZES);
		old = MemoryContextSwitchTo(scancxt);
		ok = put_array(scratch, row->values[i], row->lengths[i], 1);
		MemoryContextSwitchTo(old);
		MemoryContextReset(scancxt);
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
