/*
 * local_merge.c
 *		A load by key into a local table (upsert, delete, mirror): the rows
 *		go by COPY into a temporary stage (local_copy.c), then the statements
 *		of core/pg_merge.c move them, all in the caller's transaction, so an
 *		ERROR anywhere leaves the target as it was.
 *
 * The target is named by its schema in every statement, resolved once by
 * the caller's search_path.  The row source may hold an SPI connection of
 * its own (a local query), so this file's SPI work is bracketed before and
 * after the rows are read, never around it.
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "catalog/pg_operator.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/regproc.h"
#include "utils/syscache.h"
#include "utils/typcache.h"

#include "core/compat.h"
#include "core/pg_merge.h"
#include "core/pg_sql.h"
#include "local/local.h"

static void
run(const char *sql, int expect)
{
	int			rc = SPI_execute(sql, false, 0);

	if (rc != expect)
		elog(ERROR, "SPI_execute failed: %s", SPI_result_code_string(rc));
}

/* The target's primary key columns, in the caller's memory context. */
static List *
primary_key(const char *qualified, MemoryContext outer)
{
	Oid			argtypes[1] = {TEXTOID};
	Datum		args[1] = {CStringGetTextDatum(qualified)};
	List	   *key = NIL;
	int			rc;

	rc = SPI_execute_with_args(DS_PG_PRIMARY_KEY_SQL, 1, argtypes, args, NULL, true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_with_args failed: %s", SPI_result_code_string(rc));
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		char	   *name = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1);
		MemoryContext old = MemoryContextSwitchTo(outer);

		key = lappend(key, pstrdup(name));
		MemoryContextSwitchTo(old);
	}
	return key;
}

/*
 * Each key column's equality as OPERATOR(schema.op): its type's default
 * btree equality, the one a unique index on it uses (citext's, not text's).
 */
static char **
key_equalities(Oid relid, List *key, MemoryContext outer)
{
	char	  **eq = MemoryContextAlloc(outer, sizeof(char *) * list_length(key));
	ListCell   *lc;

	foreach(lc, key)
	{
		const char *name = lfirst(lc);
		AttrNumber	attnum = get_attnum(relid, name);
		TypeCacheEntry *tce;
		HeapTuple	tup;
		Form_pg_operator op;
		MemoryContext old;

		if (attnum == InvalidAttrNumber)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_COLUMN),
					 errmsg("key column \"%s\" of relation \"%s\" does not exist",
							name, get_rel_name(relid))));
		tce = lookup_type_cache(get_atttype(relid, attnum), TYPECACHE_EQ_OPR);
		if (!OidIsValid(tce->eq_opr))
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_FUNCTION),
					 errmsg("key column \"%s\" has a type with no default equality", name),
					 errhint("Key a load by columns whose type a unique index can hold.")));
		tup = SearchSysCache1(OPEROID, ObjectIdGetDatum(tce->eq_opr));
		if (!HeapTupleIsValid(tup))
			elog(ERROR, "cache lookup failed for operator %u", tce->eq_opr);
		op = (Form_pg_operator) GETSTRUCT(tup);
		old = MemoryContextSwitchTo(outer);
		/* an operator's name is made of operator characters only: no quoting */
		eq[foreach_current_index(lc)] =
			psprintf("OPERATOR(%s.%s)", quote_identifier(get_namespace_name(op->oprnamespace)),
					 NameStr(op->oprname));
		MemoryContextSwitchTo(old);
		ReleaseSysCache(tup);
	}
	return eq;
}

/* One statement's row of (inserted, updated, deleted), added up. */
static void
run_merge(const char *sql, int64 *counts)
{
	int			rc = SPI_execute(sql, false, 0);

	if (rc != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "SPI_execute failed: %s", SPI_result_code_string(rc));
	for (int i = 0; i < 3; i++)
	{
		bool		isnull;
		Datum		d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, i + 1, &isnull);

		if (!isnull)
			counts[i] += DatumGetInt64(d);
	}
}

Jsonb *
ds_local_merge_rows(DsPool *pool, const char *target, DsRowSource *src,
					const DsLoadOptions *opts)
{
	MemoryContext outer = CurrentMemoryContext;
	RangeVar   *rv = makeRangeVarFromNameList(ds_qualified_name_list(target));
	Oid			relid = RangeVarGetRelid(rv, NoLock, false);
	DsPgMerge	m;
	int64		counts[3] = {0, 0, 0};
	Jsonb	   *result;
	ErrorContextCallback errcb;
	ListCell   *lc;

	m.target = quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)),
										  get_rel_name(relid));
	m.ncolumns = src->row.ncolumns;
	m.columns = src->row.columns;
	m.key = opts->key;
	m.mode = opts->mode;
	m.key_eq = NULL;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (m.key == NIL)
		m.key = primary_key(m.target, outer);
	if (m.key == NIL)
		ds_load_no_key(pool ? pool->name : "local", target, m.mode);
	ds_load_require_key_columns(m.key, m.ncolumns, m.columns, target);
	m.key_eq = key_equalities(relid, m.key, outer);
	run(ds_pg_stage_sql(&m), SPI_OK_UTILITY);
	run(ds_pg_stage_key_sql(&m), SPI_OK_UTILITY);
	SPI_finish();

	result = ds_local_load_rows(pool, DS_PG_STAGE_TABLE, src, NULL);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	errcb.callback = ds_pg_stage_ready_context;
	errcb.arg = &m;
	errcb.previous = error_context_stack;
	error_context_stack = &errcb;
	run(ds_pg_stage_ready_sql(&m), SPI_OK_UTILITY);
	error_context_stack = errcb.previous;
	foreach(lc, ds_pg_merge_sql(&m))
		run_merge(lfirst(lc), counts);
	/* in the caller's transaction, which the ERROR undoes */
	ds_load_check_deletes(opts, counts[2], true, pool ? pool->name : "local", target);
	run(DS_PG_DROP_STAGE_SQL, SPI_OK_UTILITY);
	SPI_finish();

	return ds_load_result_changes(result, m.mode, counts[0], counts[1], counts[2]);
}
