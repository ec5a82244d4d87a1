/*
 * ddl.c
 *		ds_ddl(source_store, source, target_store, target, options) and
 *		ds_create_table(...): the CREATE TABLE that makes on one store a
 *		table for what another store's table or query holds, returned or
 *		run.
 *
 * The source kind's describe reads the columns into the neutral model
 * (core/schema.h), the target kind's create_table_sql writes its dialect's
 * statement from it: no kind knows another, and what a target cannot hold
 * as the source does is a WARNING or an ERROR there.  Both stores are
 * checked for the caller's privileges before either connects.
 *
 * A source is a query when options->'query' says so, or else when it
 * begins, after white space and opening parentheses, with SELECT, WITH,
 * VALUES or TABLE (or a parenthesis); anything else names a table.
 */
#include "postgres.h"

#include <ctype.h>

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/jsonb.h"

#include "api/call.h"
#include "api/ddl.h"
#include "core/catalog.h"
#include "core/jsonb_row.h"
#include "core/params.h"

PG_FUNCTION_INFO_V1(ds_ddl);
PG_FUNCTION_INFO_V1(ds_create_table);

typedef struct DdlContext
{
	const char *fname;
	const char *source;
	const char *target;
} DdlContext;

static void
ddl_error_context(void *arg)
{
	DdlContext *dc = (DdlContext *) arg;

	errcontext("%s from datastore \"%s\" to datastore \"%s\"", dc->fname, dc->source, dc->target);
}

typedef struct DdlArgs
{
	DsDdlOptions ddl;
	int			query;			/* -1: by its first word */
	List	   *key;			/* NIL: the source's */
	bool		key_given;
	DsParams   *params;
} DdlArgs;

static const char *const ddl_option_names =
"query, key, if_not_exists, params, buckets, properties";

pg_noreturn static void
bad_option(const char *fname, const char *message)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s: %s", fname, message)));
}

static char *
json_scalar_text(JsonbValue *v)
{
	switch (v->type)
	{
		case jbvString:
			return pnstrdup(v->val.string.val, v->val.string.len);
		case jbvNumeric:
			return DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(v->val.numeric)));
		case jbvBool:
			return pstrdup(v->val.boolean ? "true" : "false");
		default:
			return NULL;
	}
}

/* The strings of a JSON array (key): from SQL, to_jsonb() of a text[]. */
static List *
name_list(const char *fname, JsonbValue *v)
{
	List	   *names = NIL;

	if (v->type == jbvBinary && JsonContainerIsArray(v->val.binary.data))
	{
		JsonbIterator *it = JsonbIteratorInit(v->val.binary.data);
		JsonbValue	e;
		JsonbIteratorToken tok;

		while ((tok = JsonbIteratorNext(&it, &e, true)) != WJB_DONE)
		{
			if (tok != WJB_ELEM)
				continue;
			if (e.type != jbvString || e.val.string.len == 0)
				bad_option(fname, "options->'key' must be an array of column names");
			names = lappend(names, pnstrdup(e.val.string.val, e.val.string.len));
		}
	}
	else
		bad_option(fname, "options->'key' must be an array of column names");
	if (names == NIL)
		bad_option(fname, "options->'key' must name at least one column");
	return names;
}

static void
parse_options(const char *fname, Jsonb *options, bool if_not_exists, DdlArgs *args)
{
	JsonbIterator *it;
	JsonbValue	k;
	JsonbValue	v;
	JsonbIteratorToken tok;

	memset(args, 0, sizeof(*args));
	args->ddl.if_not_exists = if_not_exists;
	args->query = -1;
	args->params = ds_params_from_jsonb(NULL);
	if (options == NULL)
		return;
	if (!JB_ROOT_IS_OBJECT(options))
		bad_option(fname, "options must be a JSON object");
	it = JsonbIteratorInit(&options->root);
	while ((tok = JsonbIteratorNext(&it, &k, true)) != WJB_DONE)
	{
		char	   *key;

		if (tok != WJB_KEY)
			continue;
		key = pnstrdup(k.val.string.val, k.val.string.len);
		tok = JsonbIteratorNext(&it, &v, true);
		if (strcmp(key, "query") == 0 || strcmp(key, "if_not_exists") == 0)
		{
			if (v.type != jbvBool)
				bad_option(fname, psprintf("options->'%s' must be true or false", key));
			if (key[0] == 'q')
				args->query = v.val.boolean ? 1 : 0;
			else
				args->ddl.if_not_exists = v.val.boolean;
		}
		else if (strcmp(key, "key") == 0)
		{
			args->key = name_list(fname, &v);
			args->key_given = true;
		}
		else if (strcmp(key, "params") == 0)
		{
			if (v.type != jbvBinary || !JsonContainerIsArray(v.val.binary.data))
				bad_option(fname, "options->'params' must be a JSON array");
			args->params = ds_params_from_jsonb(JsonbValueToJsonb(&v));
		}
		else if (strcmp(key, "buckets") == 0)
		{
			char	   *text = json_scalar_text(&v);
			char	   *end;
			long		n;

			n = (v.type == jbvNumeric && text) ? strtol(text, &end, 10) : 0;
			if (v.type != jbvNumeric || *end != '\0' || n < 1 || n > 100000)
				bad_option(fname, "options->'buckets' must be an integer from 1 to 100000");
			args->ddl.buckets = (int) n;
		}
		else if (strcmp(key, "properties") == 0)
		{
			JsonbIterator *pit;
			JsonbValue	pk;
			JsonbValue	pv;

			if (v.type != jbvBinary || !JsonContainerIsObject(v.val.binary.data))
				bad_option(fname, "options->'properties' must be a JSON object");
			pit = JsonbIteratorInit(v.val.binary.data);
			while ((tok = JsonbIteratorNext(&pit, &pk, true)) != WJB_DONE)
			{
				DsDdlProperty *p;

				if (tok != WJB_KEY)
					continue;
				JsonbIteratorNext(&pit, &pv, true);
				p = palloc(sizeof(DsDdlProperty));
				p->name = pnstrdup(pk.val.string.val, pk.val.string.len);
				p->value = json_scalar_text(&pv);
				if (p->value == NULL || pv.type == jbvNull)
					bad_option(fname, psprintf("options->'properties'->'%s' must be a string, a number or a boolean",
											   p->name));
				args->ddl.properties = lappend(args->ddl.properties, p);
			}
		}
		else
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: unknown option \"%s\"", fname, key),
					 errhint("The options are: %s.", ddl_option_names)));
	}
}

/* SELECT, WITH, VALUES, TABLE or "(" first: a query. */
static bool
looks_like_query(const char *source)
{
	static const char *const words[] = {"select", "with", "values", "table", NULL};
	const char *p = source;

	while (isspace((unsigned char) *p))
		p++;
	if (*p == '(')
		return true;
	for (int i = 0; words[i]; i++)
	{
		size_t		n = strlen(words[i]);

		if (pg_strncasecmp(p, words[i], n) == 0 &&
			(p[n] == '\0' || isspace((unsigned char) p[n]) || p[n] == '(' || p[n] == '*'))
			return true;
	}
	return false;
}

static DsPool *
open_with(const char *name, const char *fname, size_t callback, const char *what,
		  const DsStoreRoutine **kind)
{
	DsPool	   *pool = ds_open_store(name, kind);

	if (!ds_routine_has(*kind, callback))
		ds_routine_missing(*kind, name, psprintf("%s %s", fname, what), callback);
	return pool;
}

/* The statement for the arguments; *target_pool and *target_kind to run it. */
static char *
build(FunctionCallInfo fcinfo, const char *fname, bool if_not_exists,
	  DsPool **target_pool, const DsStoreRoutine **target_kind)
{
	DdlContext	dc;
	ErrorContextCallback errcb;
	const DsStoreRoutine *source_kind;
	DsPool	   *source_pool;
	DsSchema   *schema;
	DdlArgs		args;
	char	   *source;
	char	   *target;
	bool		query;
	char	   *sql;

	dc.fname = fname;
	dc.source = ds_arg_text(fcinfo, 0, fname, "source_store");
	source = ds_arg_text(fcinfo, 1, fname, "source");
	dc.target = ds_arg_text(fcinfo, 2, fname, "target_store");
	target = ds_arg_text(fcinfo, 3, fname, "target");
	parse_options(fname, ds_arg_jsonb(fcinfo, 4), if_not_exists, &args);
	query = args.query >= 0 ? args.query == 1 : looks_like_query(source);

	errcb.callback = ddl_error_context;
	errcb.arg = &dc;
	errcb.previous = error_context_stack;
	error_context_stack = &errcb;

	/* Both privilege checks pass before either store connects. */
	ds_catalog_check_usage(ds_catalog_lookup(dc.source, false));
	ds_catalog_check_usage(ds_catalog_lookup(dc.target, false));
	source_pool = open_with(dc.source, fname, offsetof(DsStoreRoutine, describe), "from it",
							&source_kind);
	*target_pool = open_with(dc.target, fname, offsetof(DsStoreRoutine, create_table_sql),
							 "into it", target_kind);
	schema = source_kind->describe(source_pool, source, query, args.params);
	ds_schema_check(schema, dc.source);
	if (query)
		schema->key = NIL;
	if (args.key_given)
	{
		/* the source's own key gives its NOT NULL back unless named again */
		ds_schema_set_key(schema, args.key, "options->'key'");
	}
	sql = (*target_kind)->create_table_sql(*target_pool, target, schema, &args.ddl);
	error_context_stack = errcb.previous;
	return sql;
}

Datum
ds_ddl(PG_FUNCTION_ARGS)
{
	DsPool	   *pool;
	const DsStoreRoutine *kind;

	PG_RETURN_TEXT_P(cstring_to_text(build(fcinfo, "ds_ddl", false, &pool, &kind)));
}

Datum
ds_create_table(PG_FUNCTION_ARGS)
{
	DsPool	   *pool;
	const DsStoreRoutine *kind;
	char	   *sql = build(fcinfo, "ds_create_table", true, &pool, &kind);
	DsCall		call;

	ds_call_begin(&call, text_to_cstring(PG_GETARG_TEXT_PP(2)), DS_PROGRESS_EXEC, NULL);
	kind->exec(pool, sql, ds_params_from_jsonb(NULL));
	ds_call_end(&call);
	PG_RETURN_TEXT_P(cstring_to_text(sql));
}

Jsonb *
ds_ddl_take_create(Jsonb *options, Jsonb **create)
{
	JsonbValue *v;

	*create = NULL;
	if (options == NULL || !JB_ROOT_IS_OBJECT(options) ||
		(v = ds_jsonb_member(options, "create")) == NULL)
		return options;
	if (v->type == jbvBinary && JsonContainerIsObject(v->val.binary.data))
		*create = JsonbValueToJsonb(v);
	else if (v->type == jbvBool)
	{
		if (v->val.boolean)
		{
			JsonbParseState *state = NULL;

			pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
			*create = JsonbValueToJsonb(pushJsonbValue(&state, WJB_END_OBJECT, NULL));
		}
	}
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("options->'create' must be true, false or an object of ds_create_table's options")));
	return DatumGetJsonbP(DirectFunctionCall2(jsonb_delete, JsonbPGetDatum(options),
											  CStringGetTextDatum("create")));
}

void
ds_ddl_create_for_sync(Jsonb *create, DsPool *source, const DsStoreRoutine *source_kind,
					   const char *source_store, const char *query, DsParams *params,
					   DsPool *target, const DsStoreRoutine *target_kind,
					   const char *target_store, const char *table, List *load_columns)
{
	DdlArgs		args;
	DsSchema   *schema;

	if (!ds_routine_has(source_kind, offsetof(DsStoreRoutine, describe)))
		ds_routine_missing(source_kind, source_store, "ds_sync's \"create\" from it",
						   offsetof(DsStoreRoutine, describe));
	if (!ds_routine_has(target_kind, offsetof(DsStoreRoutine, create_table_sql)))
		ds_routine_missing(target_kind, target_store, "ds_sync's \"create\" into it",
						   offsetof(DsStoreRoutine, create_table_sql));
	parse_options("ds_sync's options->'create'", create, true, &args);
	if (args.query >= 0 || args.params->count > 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("options->'create' takes key, if_not_exists, buckets and properties"),
				 errhint("The source is ds_sync's query, with its params.")));
	schema = source_kind->describe(source, query, true, params);
	schema->key = NIL;
	if (load_columns != NIL)
	{
		ListCell   *name;
		ListCell   *col;

		if (list_length(load_columns) != list_length(schema->columns))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("options->'columns' names %d columns but the source query has %d",
							list_length(load_columns), list_length(schema->columns))));
		forboth(name, load_columns, col, schema->columns)
			((DsColumn *) lfirst(col))->name = pstrdup(lfirst(name));
	}
	ds_schema_check(schema, source_store);
	if (args.key_given)
		ds_schema_set_key(schema, args.key, "options->'create'->'key'");
	target_kind->exec(target, target_kind->create_table_sql(target, table, schema, &args.ddl),
					  ds_params_from_jsonb(NULL));
}
