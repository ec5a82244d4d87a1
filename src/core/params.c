/*
 * params.c
 *		Unpacking the params array of ds_query/ds_exec.
 *
 * The array is read as JSON text through json_scan, so the binder that the
 * backend runs is the one test/fuzz builds into a standalone fuzzer.
 */
#ifdef FRONTEND
#include "postgres_fe.h"
#else
#include "postgres.h"

#include "mb/pg_wchar.h"
#include "utils/jsonb.h"
#endif

#include "core/json_scan.h"
#include "core/params.h"

bool
ds_params_parse(const char *json, int len, int encoding, DsParams *out, char **error)
{
	DsJsonItems items;

	out->count = 0;
	out->items = NULL;
	if (!ds_json_scan(json, len, encoding, DS_JSON_ARRAY, &items, error))
		return false;
	out->count = items.count;
	out->items = palloc0(sizeof(DsParam) * Max(items.count, 1));
	for (int i = 0; i < items.count; i++)
	{
		DsJsonItem *item = &items.items[i];
		DsParam    *p = &out->items[i];

		p->kind = item->kind;
		p->len = item->len;
		switch (item->kind)
		{
			case DS_PARAM_NULL:
				p->text = NULL;
				break;
			case DS_PARAM_JSON:
				/* A container's text points into the input. */
				p->text = pnstrdup(item->text, item->len);
				break;
			default:
				p->text = item->text;
				break;
		}
	}
	return true;
}

#ifndef FRONTEND
DsParams *
ds_params_from_jsonb(Jsonb *params)
{
	DsParams   *result = palloc0(sizeof(DsParams));
	char	   *text;
	char	   *error;

	if (params == NULL)
		return result;

	if (!JB_ROOT_IS_ARRAY(params) || JB_ROOT_IS_SCALAR(params))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("params must be a JSON array"),
				 errdetail("Got %s.", JB_ROOT_IS_OBJECT(params) ? "an object" : "a scalar"),
				 errhint("Pass the values for $1, $2, ... in order, e.g. '[42, \"text\", null]'.")));

	text = JsonbToCString(NULL, &params->root, VARSIZE(params));
	if (!ds_params_parse(text, strlen(text), GetDatabaseEncoding(), result, &error))
		elog(ERROR, "could not read back the params array: %s", error);
	return result;
}
#endif
