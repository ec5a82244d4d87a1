/*
 * pg_merge.c
 *		The statements of a load by key into PostgreSQL (pg_merge.h).
 *
 * Every function and operator is named with its schema, so the statements
 * mean the same whatever the search_path holds; key columns are compared
 * with their type's default equality named by its schema where the caller
 * knows it (the one the key's unique index uses), else with pg_catalog's.
 * An upsert leaves alone a row whose values other than the key are the
 * same (record image equality, so it works for types without an equality
 * operator, json among them), which is also why it can tell inserted rows
 * (xmax still 0) from updated ones.
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "utils/builtins.h"

#include "core/load.h"
#include "core/pg_merge.h"

static bool
is_key(const DsPgMerge *m, const char *name)
{
	ListCell   *lc;

	foreach(lc, m->key)
		if (strcmp(lfirst(lc), name) == 0)
			return true;
	return false;
}

static void
append_columns(StringInfo buf, const DsPgMerge *m, const char *prefix)
{
	for (int i = 0; i < m->ncolumns; i++)
		appendStringInfo(buf, "%s%s%s", i > 0 ? ", " : "", prefix,
						 quote_identifier(m->columns[i]));
}

/* "k1, k2" over the key. */
static void
append_key_names(StringInfo buf, const DsPgMerge *m)
{
	ListCell   *lc;

	foreach(lc, m->key)
		appendStringInfo(buf, "%s%s", foreach_current_index(lc) > 0 ? ", " : "",
						 quote_identifier(lfirst(lc)));
}

/* "a.k1 = b.k1 AND a.k2 = b.k2" over the key. */
static void
append_key_match(StringInfo buf, const DsPgMerge *m, const char *a, const char *b)
{
	ListCell   *lc;

	foreach(lc, m->key)
	{
		int			i = foreach_current_index(lc);
		const char *k = quote_identifier(lfirst(lc));

		appendStringInfo(buf, "%s%s.%s %s %s.%s", i > 0 ? " AND " : "", a, k,
						 m->key_eq && m->key_eq[i] ? m->key_eq[i] : "OPERATOR(pg_catalog.=)",
						 b, k);
	}
}

char *
ds_pg_stage_sql(const DsPgMerge *m)
{
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "CREATE TEMP TABLE %s ON COMMIT DROP AS SELECT ", DS_PG_STAGE_TABLE);
	append_columns(&buf, m, "");
	appendStringInfo(&buf, " FROM %s WITH NO DATA", m->target);
	return buf.data;
}

char *
ds_pg_stage_key_sql(const DsPgMerge *m)
{
	StringInfoData buf;
	ListCell   *lc;

	initStringInfo(&buf);
	appendStringInfo(&buf, "ALTER TABLE %s", DS_PG_STAGE_TABLE);
	foreach(lc, m->key)
		appendStringInfo(&buf, "%s ALTER COLUMN %s SET NOT NULL",
						 foreach_current_index(lc) > 0 ? "," : "", quote_identifier(lfirst(lc)));
	return buf.data;
}

char *
ds_pg_stage_ready_sql(const DsPgMerge *m)
{
	StringInfoData buf;

	/*
	 * A key twice among the rows is an ERROR: otherwise which row wins
	 * would depend on the order they came in.  A unique index built once
	 * the rows are in (one sort) finds it at half the cost of a GROUP BY;
	 * the statistics let the planner join the stage by hash.
	 */
	initStringInfo(&buf);
	appendStringInfoString(&buf, "CREATE UNIQUE INDEX datastore_stage_key ON " DS_PG_STAGE_TABLE " (");
	append_key_names(&buf, m);
	appendStringInfoString(&buf, "); ANALYZE " DS_PG_STAGE_TABLE);
	return buf.data;
}

void
ds_pg_stage_ready_context(void *arg)
{
	const DsPgMerge *m = arg;

	errcontext("checking that the rows of a load in mode \"%s\" into %s hold each key once",
			   ds_load_mode_names[m->mode], m->target);
}

/* Whether a column is loaded that is not in the key. */
static bool
has_values(const DsPgMerge *m)
{
	for (int i = 0; i < m->ncolumns; i++)
		if (!is_key(m, m->columns[i]))
			return true;
	return false;
}

/* " SET c = src.c, ..." over the columns not in the key. */
static void
append_set(StringInfo buf, const DsPgMerge *m, const char *src)
{
	bool		any = false;

	for (int i = 0; i < m->ncolumns; i++)
	{
		const char *c;

		if (is_key(m, m->columns[i]))
			continue;
		c = quote_identifier(m->columns[i]);
		appendStringInfo(buf, "%s%s = %s.%s", any ? ", " : " SET ", c, src, c);
		any = true;
	}
}

/* a.c, ... over the columns not in the key */
static void
append_values(StringInfo buf, const DsPgMerge *m, const char *a)
{
	bool		any = false;

	for (int i = 0; i < m->ncolumns; i++)
	{
		if (is_key(m, m->columns[i]))
			continue;
		appendStringInfo(buf, "%s%s.%s", any ? ", " : "", a, quote_identifier(m->columns[i]));
		any = true;
	}
}

/*
 * "record_image_ne(ROW(a.c, ...), ROW(b.c, ...))" over the columns not in
 * the key (which are equal, if not byte for byte): a row that changes.
 */
static void
append_differs(StringInfo buf, const DsPgMerge *m, const char *a, const char *b)
{
	/* a function: ROW() op ROW() would compare column by column */
	appendStringInfoString(buf, "pg_catalog.record_image_ne(ROW(");
	append_values(buf, m, a);
	appendStringInfoString(buf, "), ROW(");
	append_values(buf, m, b);
	appendStringInfoString(buf, "))");
}

/*
 * The rows whose key the target has and whose values differ, updated in
 * one join (no index probe per row of the stage).
 */
static char *
update_sql(const DsPgMerge *m)
{
	StringInfoData buf;

	if (!has_values(m))
		return NULL;
	initStringInfo(&buf);
	appendStringInfo(&buf, "WITH ds_changed AS (UPDATE %s AS ds_t", m->target);
	append_set(&buf, m, "ds_s");
	appendStringInfo(&buf, " FROM %s AS ds_s WHERE ", DS_PG_STAGE_TABLE);
	append_key_match(&buf, m, "ds_t", "ds_s");
	appendStringInfoString(&buf, " AND ");
	append_differs(&buf, m, "ds_t", "ds_s");
	appendStringInfoString(&buf, " RETURNING 1)"
						   " SELECT 0::pg_catalog.int8, pg_catalog.count(*), 0::pg_catalog.int8 FROM ds_changed");
	return buf.data;
}

/*
 * The rows whose key the target lacks, inserted.  ON CONFLICT still
 * updates a row that a concurrent session inserted meanwhile, so the
 * upsert holds whatever else writes the target.
 */
static char *
insert_sql(const DsPgMerge *m)
{
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "WITH ds_merged AS (INSERT INTO %s AS ds_t (", m->target);
	append_columns(&buf, m, "");
	appendStringInfoString(&buf, ") SELECT ");
	append_columns(&buf, m, "ds_s.");
	appendStringInfo(&buf, " FROM %s AS ds_s WHERE NOT EXISTS (SELECT FROM %s AS ds_o WHERE ",
					 DS_PG_STAGE_TABLE, m->target);
	append_key_match(&buf, m, "ds_o", "ds_s");
	appendStringInfoString(&buf, ") ON CONFLICT (");
	append_key_names(&buf, m);
	if (has_values(m))
	{
		appendStringInfoString(&buf, ") DO UPDATE");
		append_set(&buf, m, "EXCLUDED");
		appendStringInfoString(&buf, " WHERE ");
		append_differs(&buf, m, "ds_t", "EXCLUDED");
	}
	else
		appendStringInfoString(&buf, ") DO NOTHING");
	appendStringInfoString(&buf,
						   " RETURNING ds_t.xmax OPERATOR(pg_catalog.=) '0'::pg_catalog.xid AS ds_new)"
						   " SELECT pg_catalog.count(*) FILTER (WHERE ds_new),"
						   " pg_catalog.count(*) FILTER (WHERE NOT ds_new), 0::pg_catalog.int8"
						   " FROM ds_merged");
	return buf.data;
}

static List *
upsert_sql(const DsPgMerge *m)
{
	char	   *update = update_sql(m);

	return update ? list_make2(update, insert_sql(m)) : list_make1(insert_sql(m));
}

static char *
delete_sql(const DsPgMerge *m, bool missing)
{
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "WITH ds_gone AS (DELETE FROM %s AS ds_t", m->target);
	if (missing)
	{
		/* mirror: the target's rows whose key the stage does not hold */
		appendStringInfo(&buf, " WHERE NOT EXISTS (SELECT FROM %s AS ds_s WHERE ", DS_PG_STAGE_TABLE);
		append_key_match(&buf, m, "ds_t", "ds_s");
		appendStringInfoChar(&buf, ')');
	}
	else
	{
		appendStringInfo(&buf, " USING %s AS ds_s WHERE ", DS_PG_STAGE_TABLE);
		append_key_match(&buf, m, "ds_t", "ds_s");
	}
	appendStringInfoString(&buf, " RETURNING 1)"
						   " SELECT 0::pg_catalog.int8, 0::pg_catalog.int8, pg_catalog.count(*) FROM ds_gone");
	return buf.data;
}

List *
ds_pg_merge_sql(const DsPgMerge *m)
{
	switch (m->mode)
	{
		case DS_MODE_UPSERT:
			return upsert_sql(m);
		case DS_MODE_DELETE:
			return list_make1(delete_sql(m, false));
		case DS_MODE_MIRROR:
			/* deletes first: a row gone frees its unique values for new ones */
			return lcons(delete_sql(m, true), upsert_sql(m));
	}
	elog(ERROR, "unexpected load mode %d", m->mode);
	return NIL;
}
