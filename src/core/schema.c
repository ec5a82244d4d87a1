/*
 * schema.c
 *		The neutral column model's helpers (see schema.h): keys, the checks
 *		every generated CREATE TABLE needs, the one WARNING and ERROR for a
 *		column a target cannot hold as the source does, and reading catalog
 *		answers as rows.
 */
#include "postgres.h"

#include <ctype.h>

#include "catalog/pg_type.h"
#include "executor/tuptable.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "core/compat.h"
#include "core/jsonb_row.h"
#include "core/schema.h"

DsColumn *
ds_column_new(const char *name, DsTypeClass cls, const char *spelling)
{
	DsColumn   *col = palloc0(sizeof(DsColumn));

	col->name = pstrdup(name);
	col->type.cls = cls;
	col->type.length = -1;
	col->type.precision = -1;
	col->type.spelling = pstrdup(spelling ? spelling : "");
	col->nullable = true;
	return col;
}

DsColumn *
ds_schema_column(const DsSchema *schema, const char *name)
{
	ListCell   *lc;

	foreach(lc, schema->columns)
	{
		DsColumn   *col = lfirst(lc);

		if (strcmp(col->name, name) == 0)
			return col;
	}
	return NULL;
}

void
ds_schema_set_key(DsSchema *schema, List *key, const char *what)
{
	ListCell   *lc;
	List	   *seen = NIL;

	foreach(lc, key)
	{
		char	   *name = lfirst(lc);
		DsColumn   *col = ds_schema_column(schema, name);
		ListCell   *s;

		if (col == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_COLUMN),
					 errmsg("%s names column \"%s\", which the source does not have", what, name)));
		foreach(s, seen)
			if (strcmp(lfirst(s), name) == 0)
				ereport(ERROR,
						(errcode(ERRCODE_DUPLICATE_COLUMN),
						 errmsg("%s names column \"%s\" twice", what, name)));
		seen = lappend(seen, name);
		/* a primary key holds no NULL, on every kind */
		col->nullable = false;
	}
	schema->key = key;
}

void
ds_schema_check(const DsSchema *schema, const char *store)
{
	ListCell   *lc;

	if (schema->columns == NIL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("the source on datastore \"%s\" has no columns", store),
				 errhint("A table source must exist and be visible to the store's user.")));
	foreach(lc, schema->columns)
	{
		DsColumn   *col = lfirst(lc);
		ListCell   *rest;

		ds_ddl_check_name(col->name, "a column");
		for_each_cell(rest, schema->columns, lnext(schema->columns, lc))
			if (strcmp(((DsColumn *) lfirst(rest))->name, col->name) == 0)
				ereport(ERROR,
						(errcode(ERRCODE_DUPLICATE_COLUMN),
						 errmsg("the source on datastore \"%s\" has two columns named \"%s\"",
								store, col->name),
						 errhint("Alias the columns of a query source so that each name is used once.")));
	}
}

void
ds_ddl_inexact(const DsColumn *col, const char *target_kind, const char *target_type,
			   const char *why)
{
	ereport(WARNING,
			(errcode(ERRCODE_WARNING),
			 errmsg("column \"%s\" (%s) becomes %s on %s", col->name, col->type.spelling,
					target_type, target_kind),
			 errdetail("%s", why)));
}

void
ds_ddl_unmappable(const DsColumn *col, const char *target_kind, const char *why,
				  const char *hint)
{
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("column \"%s\" (%s) has no type on %s that holds it", col->name,
					col->type.spelling, target_kind),
			 errdetail("%s", why),
			 hint ? errhint("%s", hint) :
			 errhint("Make the source a query that casts the column to a type the target has.")));
}

void
ds_ddl_options_unused(const DsDdlOptions *opts, const char *target_kind)
{
	if (opts->buckets != 0 || opts->properties != NIL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("options->'%s' is for StarRocks tables, not for %s",
						opts->buckets != 0 ? "buckets" : "properties", target_kind)));
}

void
ds_ddl_check_name(const char *name, const char *what)
{
	if (name == NULL || name[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_NAME),
				 errmsg("%s has an empty name", what)));
}

void
ds_split_qualified(const char *name, char **first, char **second)
{
	const char *dot = strchr(name, '.');

	if (dot == NULL)
	{
		*first = NULL;
		*second = pstrdup(name);
	}
	else
	{
		*first = pnstrdup(name, dot - name);
		*second = pstrdup(dot + 1);
	}
}

List *
ds_schema_query_rows(DsQueryFn query, DsPool *pool, const char *sql, DsParams *params)
{
	static DsParams none = {0};
	TupleDesc	rowdesc = CreateTemplateTupleDesc(1);
	Tuplestorestate *ts = tuplestore_begin_heap(false, false, work_mem);
	TupleTableSlot *slot;
	List	   *rows = NIL;

	TupleDescInitEntry(rowdesc, 1, "row", JSONBOID, -1, 0);
	query(pool, sql, params ? params : &none, ts, rowdesc);
	slot = MakeSingleTupleTableSlot(rowdesc, &TTSOpsMinimalTuple);
	while (tuplestore_gettupleslot(ts, true, false, slot))
	{
		bool		isnull;
		Datum		d = slot_getattr(slot, 1, &isnull);

		if (!isnull)
			rows = lappend(rows, DatumGetJsonbPCopy(d));
		ExecClearTuple(slot);
	}
	ExecDropSingleTupleTableSlot(slot);
	tuplestore_end(ts);
	return rows;
}

char *
ds_row_text(Jsonb *row, const char *key)
{
	JsonbValue *v = ds_jsonb_member(row, key);

	if (v == NULL || v->type == jbvNull)
		return NULL;
	if (v->type == jbvString)
		return pnstrdup(v->val.string.val, v->val.string.len);
	if (v->type == jbvNumeric)
		return DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(v->val.numeric)));
	if (v->type == jbvBool)
		return pstrdup(v->val.boolean ? "true" : "false");
	return NULL;
}

/* Numbers, or their text: every kind prints some counts as strings. */
int64
ds_row_int(Jsonb *row, const char *key, int64 missing)
{
	char	   *s = ds_row_text(row, key);
	char	   *end;
	long long	n;

	if (s == NULL)
		return missing;
	errno = 0;
	n = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0')
		return missing;
	return (int64) n;
}

/* true/false, MySQL's 1/0, or "YES"/"NO". */
bool
ds_row_bool(Jsonb *row, const char *key)
{
	JsonbValue *v = ds_jsonb_member(row, key);

	if (v == NULL || v->type == jbvNull)
		return false;
	if (v->type == jbvBool)
		return v->val.boolean;
	if (v->type == jbvNumeric)
		return ds_row_int(row, key, 0) != 0;
	if (v->type == jbvString)
		return (v->val.string.len == 3 && pg_strncasecmp(v->val.string.val, "yes", 3) == 0) ||
			(v->val.string.len == 4 && pg_strncasecmp(v->val.string.val, "true", 4) == 0) ||
			(v->val.string.len == 1 && v->val.string.val[0] == '1');
	return false;
}

/* The query's length without its trailing semicolons and spaces. */
static int
query_body_length(const char *query)
{
	int			len = strlen(query);

	while (len > 0 && (query[len - 1] == ';' || isspace((unsigned char) query[len - 1])))
		len--;
	return len;
}

char *
ds_query_no_rows(const char *query)
{
	return psprintf("SELECT * FROM (\n%.*s\n) AS ds_describe LIMIT 0",
					query_body_length(query), query);
}

char *
ds_query_ordered(const char *query, DsDialect dialect, char *const *names, int nnames)
{
	/* Backticks on MySQL and StarRocks whatever sql_mode, else double quotes. */
	char		quote = dialect == DS_DIALECT_POSTGRES ? '"' : '`';
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "SELECT * FROM (\n%.*s\n) AS ds_ordered ORDER BY ",
					 query_body_length(query), query);
	for (int i = 0; i < nnames; i++)
	{
		if (i > 0)
			appendStringInfoString(&buf, ", ");
		appendStringInfoChar(&buf, quote);
		for (const char *p = names[i]; *p; p++)
		{
			if (*p == quote)
				appendStringInfoChar(&buf, quote);
			appendStringInfoChar(&buf, *p);
		}
		appendStringInfoChar(&buf, quote);
	}
	return buf.data;
}

DsParams *
ds_params_strings(const char *a, const char *b)
{
	DsParams   *p = palloc0(sizeof(DsParams));
	const char *v[2] = {a, b};

	p->count = b ? 2 : 1;
	p->items = palloc0(sizeof(DsParam) * 2);
	for (int i = 0; i < p->count; i++)
	{
		p->items[i].kind = v[i] ? DS_PARAM_STRING : DS_PARAM_NULL;
		p->items[i].text = v[i] ? pstrdup(v[i]) : NULL;
		p->items[i].len = v[i] ? strlen(v[i]) : 0;
	}
	return p;
}
