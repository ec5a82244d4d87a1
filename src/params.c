/*
 * params.c
 *		Unpacking the params array of ds_query/ds_exec.
 */
#include "postgres.h"

#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "params.h"

static void
param_from_value(DsParam *p, JsonbValue *v)
{
	switch (v->type)
	{
		case jbvNull:
			p->kind = DS_PARAM_NULL;
			p->text = NULL;
			p->len = 0;
			return;
		case jbvString:
			p->kind = DS_PARAM_STRING;
			p->text = pnstrdup(v->val.string.val, v->val.string.len);
			break;
		case jbvNumeric:
			p->kind = DS_PARAM_NUMBER;
			p->text = DatumGetCString(DirectFunctionCall1(numeric_out,
														  NumericGetDatum(v->val.numeric)));
			break;
		case jbvBool:
			p->kind = DS_PARAM_BOOL;
			p->text = pstrdup(v->val.boolean ? "true" : "false");
			break;
		case jbvBinary:
			p->kind = DS_PARAM_JSON;
			p->text = JsonbToCString(NULL, v->val.binary.data, v->val.binary.len);
			break;
		default:
			elog(ERROR, "unexpected jsonb value type %d in params", (int) v->type);
	}
	p->len = strlen(p->text);
}

DsParams *
ds_params_from_jsonb(Jsonb *params)
{
	DsParams   *result = palloc0(sizeof(DsParams));
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	int			i = 0;

	if (params == NULL)
		return result;

	if (!JB_ROOT_IS_ARRAY(params) || JB_ROOT_IS_SCALAR(params))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("params must be a JSON array"),
				 errdetail("Got %s.", JB_ROOT_IS_OBJECT(params) ? "an object" : "a scalar"),
				 errhint("Pass the values for $1, $2, ... in order, e.g. '[42, \"text\", null]'.")));

	result->count = JB_ROOT_COUNT(params);
	result->items = palloc0(sizeof(DsParam) * Max(result->count, 1));

	it = JsonbIteratorInit(&params->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		if (tok == WJB_ELEM)
			param_from_value(&result->items[i++], &v);
	}
	Assert(i == result->count);
	return result;
}
