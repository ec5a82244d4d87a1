/*
 * sr_session.c
 *		The session variables every StarRocks connection gets, from the
 *		store's options->'session_variables' (the HTTP SQL API sends the
 *		same ones with each query).
 */
#include "postgres.h"

#include <ctype.h>

#include "utils/builtins.h"
#include "utils/jsonb.h"

#include "starrocks/sr_http.h"
#include "starrocks/starrocks.h"

List *
ds_sr_session_statements(const DsStore *store, DsEscapeFn escape, void *arg)
{
	Jsonb	   *vars = ds_sr_option(store->options, "session_variables");
	List	   *stmts = NIL;
	JsonbIterator *it;
	JsonbValue	k;
	JsonbValue	v;
	JsonbIteratorToken tok;

	if (vars == NULL)
		return NIL;
	if (!JB_ROOT_IS_OBJECT(vars))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("options->'session_variables' of datastore \"%s\" must be a JSON object",
						store->name)));
	it = JsonbIteratorInit(&vars->root);
	while ((tok = JsonbIteratorNext(&it, &k, true)) != WJB_DONE)
	{
		char	   *name;
		char	   *value;

		if (tok != WJB_KEY)
			continue;
		JsonbIteratorNext(&it, &v, true);
		name = pnstrdup(k.val.string.val, k.val.string.len);
		for (char *p = name; *p; p++)
			if (!(isalnum((unsigned char) *p) || *p == '_' || *p == '.'))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("invalid session variable name \"%s\" for datastore \"%s\"",
								name, store->name)));
		switch (v.type)
		{
			case jbvNumeric:
				value = DatumGetCString(DirectFunctionCall1(numeric_out,
															NumericGetDatum(v.val.numeric)));
				break;
			case jbvBool:
				value = pstrdup(v.val.boolean ? "true" : "false");
				break;
			case jbvString:
				value = psprintf("'%s'", escape(arg, v.val.string.val, v.val.string.len));
				break;
			default:
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("session variable \"%s\" of datastore \"%s\" must be a string, number or boolean",
								name, store->name)));
		}
		stmts = lappend(stmts, psprintf("SET %s = %s", name, value));
	}
	return stmts;
}
