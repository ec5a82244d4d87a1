/*
 * options.c
 *		A load's options, read once by the target's kind from the table of
 *		its own (DsOptionDef), the way postgres_fdw's option.c reads every
 *		option from one table: the same rules for every kind, and an unknown
 *		key's hint listing what the kind knows.
 */
#include "postgres.h"

#include "fmgr.h"
#include "core/compat.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "core/routine.h"

static List *
parse_columns(JsonbValue *v, const char *what)
{
	List	   *cols = NIL;

	if (v->type == jbvString)
	{
		char	   *s = pnstrdup(v->val.string.val, v->val.string.len);
		char	   *tok;
		char	   *save;

		for (tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		{
			while (*tok == ' ')
				tok++;
			for (char *e = tok + strlen(tok) - 1; e >= tok && *e == ' '; e--)
				*e = '\0';
			if (*tok)
				cols = lappend(cols, pstrdup(tok));
		}
	}
	else if (v->type == jbvBinary && JsonContainerIsArray(v->val.binary.data))
	{
		JsonbIterator *it = JsonbIteratorInit(v->val.binary.data);
		JsonbValue	e;
		JsonbIteratorToken tok;

		while ((tok = JsonbIteratorNext(&it, &e, true)) != WJB_DONE)
		{
			if (tok != WJB_ELEM)
				continue;
			if (e.type != jbvString)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("options->'%s' must hold column names as strings", what)));
			cols = lappend(cols, pnstrdup(e.val.string.val, e.val.string.len));
		}
	}
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("options->'%s' must be an array of names or a comma-separated string", what)));
	if (cols == NIL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("options->'%s' is empty", what)));
	return cols;
}

char *
ds_option_text(JsonbValue *v)
{
	switch (v->type)
	{
		case jbvString:
			return pnstrdup(v->val.string.val, v->val.string.len);
		case jbvNumeric:
			return DatumGetCString(DirectFunctionCall1(numeric_out,
													   NumericGetDatum(v->val.numeric)));
		case jbvBool:
			return pstrdup(v->val.boolean ? "true" : "false");
		default:
			return NULL;
	}
}

/*
 * The options every kind has, whatever its table: what the load does with
 * its rows, and by which key.
 */
static bool
common_option(DsLoadOptions *opts, JsonbValue *key, JsonbValue *val)
{
	const char *name = key->val.string.val;
	int			len = key->val.string.len;

	if (len == 4 && memcmp(name, "mode", 4) == 0)
	{
		char	   *text = val->type == jbvString ? ds_option_text(val) : NULL;
		int			i;

		for (i = 0; text && ds_load_mode_names[i]; i++)
			if (strcmp(text, ds_load_mode_names[i]) == 0)
				break;
		if (text == NULL || ds_load_mode_names[i] == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 text ? errmsg("options->'mode' must be append, upsert, delete or mirror, not \"%s\"", text)
					 : errmsg("options->'mode' must be append, upsert, delete or mirror"),
					 errhint("append adds the rows; upsert inserts or updates them by key; delete deletes the target's rows with their keys; mirror makes the target hold exactly them.")));
		opts->mode = i;
		return true;
	}
	if (len == 10 && memcmp(name, "max_delete", 10) == 0)
	{
		char	   *text = val->type == jbvNumeric ? ds_option_text(val) : NULL;
		char	   *end;

		errno = 0;
		opts->max_delete = text ? strtoi64(text, &end, 10) : -1;
		if (text == NULL || *end != '\0' || errno != 0 || opts->max_delete < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("options->'max_delete' must be a whole number of rows, 0 or more")));
		opts->has_max_delete = true;
		return true;
	}
	if (len == 3 && memcmp(name, "key", 3) == 0)
	{
		ListCell   *a;
		ListCell   *b;

		opts->key = parse_columns(val, "key");
		foreach(a, opts->key)
			foreach(b, opts->key)
			{
				if (b == a)
					break;
				if (strcmp(lfirst(a), lfirst(b)) == 0)
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("options->'key' names column \"%s\" twice", (char *) lfirst(a))));
			}
		if (list_length(opts->key) > INDEX_MAX_KEYS)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("options->'key' names more than %d columns", INDEX_MAX_KEYS)));
		return true;
	}
	return false;
}

static const DsOptionDef *
find_def(const DsOptionDef *defs, const char *name, int len)
{
	for (const DsOptionDef *d = defs; d->name; d++)
		if ((int) strlen(d->name) == len && memcmp(d->name, name, len) == 0)
			return d;
	return NULL;
}

pg_noreturn static void
bad_value(const DsOptionDef *d, const char *value)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 d->show_value && value
			 ? errmsg("%s, not \"%s\"", d->message, value)
			 : errmsg("%s", d->message),
			 d->hint ? errhint("%s", d->hint) : 0));
}

static double
ratio(const DsOptionDef *d, JsonbValue *v)
{
	char	   *s = (v->type == jbvNumeric || v->type == jbvString) ? ds_option_text(v) : "x";
	char	   *end;
	double		r = strtod(s, &end);

	if (*end != '\0' || r < 0 || r > 1)
		bad_value(d, NULL);
	return r;
}

static void
read_value(const DsOptionDef *d, JsonbValue *v, DsLoadOptions *opts, const char *kind)
{
	char	   *field = (char *) opts + d->offset;
	char	   *text;

	switch (d->type)
	{
		case DS_OPT_COLUMNS:
			opts->columns = parse_columns(v, "columns");
			return;
		case DS_OPT_BOOL:
			if (v->type != jbvBool)
				bad_value(d, NULL);
			*(bool *) field = v->val.boolean;
			return;
		case DS_OPT_FLAG:
			text = (v->type == jbvBool || v->type == jbvString) ? ds_option_text(v) : NULL;
			if (text == NULL || (strcmp(text, "true") != 0 && strcmp(text, "false") != 0))
				bad_value(d, NULL);
			*(bool *) field = strcmp(text, "true") == 0;
			return;
		case DS_OPT_TEXT:
			if (v->type != jbvString)
				bad_value(d, NULL);
			*(char **) field = ds_option_text(v);
			return;
		case DS_OPT_SCALAR:
		case DS_OPT_CHOICE:
		case DS_OPT_COUNT:
			text = ds_option_text(v);
			if (text == NULL)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("stream load option \"%s\" must be a string, number or boolean", d->name)));
			if (d->type == DS_OPT_SCALAR)
				*(char **) field = text;
			else if (d->type == DS_OPT_CHOICE)
			{
				int			i;

				for (i = 0; d->choices[i]; i++)
					if (d->nocase ? pg_strcasecmp(text, d->choices[i]) == 0
						: strcmp(text, d->choices[i]) == 0)
						break;
				if (d->choices[i] == NULL)
					bad_value(d, text);
				*(int *) field = i;
			}
			else
			{
				char	   *end;
				long long	n = strtoll(text, &end, 10);

				if (*end != '\0' || n < 1)
					bad_value(d, NULL);
				*(int64 *) field = n;
			}
			return;
		case DS_OPT_RATIO:
			*(double *) field = ratio(d, v);
			return;
		case DS_OPT_NO_FILTER:

			/*
			 * Only a target that leaves out the rows it refuses can honour a
			 * ratio above 0: elsewhere such rows would land changed, or
			 * fail the load anyway.
			 */
			if (ratio(d, v) > 0)
				ereport(ERROR,
						(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
						 errmsg("max_filter_ratio is not supported by a %s store", kind),
						 errdetail("%s", d->hint),
						 errhint("Fix or filter the rows in the source query; a load with a row the target refuses loads nothing.")));
			return;
	}
}

DsLoadOptions *
ds_load_options_parse(const DsStoreRoutine *routine, Jsonb *options)
{
	const DsOptionDef *defs = routine->load_options;
	DsLoadOptions *opts = palloc0(routine->load_options_size);
	JsonbIterator *it;
	JsonbValue	key;
	JsonbValue	val;
	JsonbIteratorToken tok;

	opts->raw = options;
	if (options == NULL)
		return opts;
	if (!JB_ROOT_IS_OBJECT(options))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("options must be a JSON object")));
	it = JsonbIteratorInit(&options->root);
	while ((tok = JsonbIteratorNext(&it, &key, true)) != WJB_DONE)
	{
		const DsOptionDef *d;

		if (tok != WJB_KEY)
			continue;
		JsonbIteratorNext(&it, &val, true);
		if (common_option(opts, &key, &val))
			continue;
		if ((d = find_def(defs, key.val.string.val, key.val.string.len)) != NULL)
			read_value(d, &val, opts, routine->name);
		else if (routine->load_option_other == NULL ||
				 !routine->load_option_other(opts, &key, &val))
		{
			StringInfoData known;

			initStringInfo(&known);
			for (d = defs; d->name; d++)
				appendStringInfo(&known, "%s%s", d == defs ? "" : ", ", d->name);
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown stream load option \"%.*s\" for a %s store",
							key.val.string.len, key.val.string.val, routine->type),
					 errhint("Known options: %s, mode, key, max_delete.", known.data)));
		}
	}
	if (opts->has_max_delete && opts->mode != DS_MODE_MIRROR)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("options->'max_delete' limits a mirror's deletes, not a load in mode \"%s\"",
						ds_load_mode_names[opts->mode]),
				 errhint("Set options->'mode' to mirror, or leave out max_delete.")));
	if (opts->key != NIL && opts->mode == DS_MODE_APPEND)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("options->'key' means nothing to a load in mode \"append\""),
				 errhint("Set options->'mode' to upsert, delete or mirror, or leave out the key.")));
	/* An option that means nothing without another one. */
	for (const DsOptionDef *d = defs; d->name; d++)
	{
		const DsOptionDef *r;

		if (d->requires == NULL ||
			(r = find_def(defs, d->requires, strlen(d->requires))) == NULL)
			continue;
		if (*(char **) ((char *) opts + d->offset) != NULL && !*(bool *) ((char *) opts + r->offset))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("options->'%s' needs options->'%s' set to true", d->name, d->requires),
					 d->requires_hint ? errhint("%s", d->requires_hint) : 0));
	}
	return opts;
}
