/*
 * pq_merge.c
 *		A load by key into a remote table (upsert, delete, mirror): the
 *		steps around the load's COPY that core/pg_merge.c writes, run in the
 *		load's remote transaction, so that an ERROR anywhere (the pool then
 *		drops the connection, rolling it back) leaves the target as it was.
 *
 * What the server answers is checked for shape before a value is read: a
 * key column's name must be text without a NUL, a count a number.
 */
#include "postgres.h"

#include "common/int.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "core/load.h"
#include "core/pg_merge.h"
#include "core/pg_sql.h"
#include "postgres/pq.h"
#include "postgres/pq_conn.h"

List *
ds_pq_primary_key(DsConn *conn, const char *target_sql)
{
	const DsPqApi *api = ds_pq_api_of(conn);
	MemoryContext cxt = CurrentMemoryContext;
	MemoryContext tmp = AllocSetContextCreate(cxt, "datastore remote key",
											  ALLOCSET_SMALL_SIZES);
	DsParam		name = {DS_PARAM_STRING, ds_pq_load_sql(target_sql), 0};
	DsParams	params = {1, &name};
	List	   *key = NIL;
	ListCell   *lc;
	PGresult   *res;

	name.len = strlen(name.text);
	ds_pq_send(conn, DS_PG_PRIMARY_KEY_SQL, &params, true);
	for (;;)
	{
		const char *v;

		res = ds_pq_next_result_in(conn, tmp);
		if (res == NULL)
			break;
		if (api->PQresultStatus(res) != PGRES_SINGLE_TUPLE)
			continue;
		if (api->PQnfields(res) != 1 || api->PQntuples(res) != 1 ||
			api->PQgetisnull(res, 0, 0))
			ds_pq_bad_answer(conn, "the primary key of the target", "not one name per row");
		v = api->PQgetvalue(res, 0, 0);
		if ((int) strlen(v) != api->PQgetlength(res, 0, 0) || strlen(v) >= NAMEDATALEN)
			ds_pq_bad_answer(conn, "the primary key of the target",
							 psprintf("column name \"%s\" is not a name", ds_pq_excerpt(v)));
		/* the load's transaction speaks UTF-8; the names here are this database's */
		v = pg_any_to_server(v, strlen(v), PG_UTF8);
		foreach(lc, key)
			if (strcmp(lfirst(lc), v) == 0)
				ds_pq_bad_answer(conn, "the primary key of the target",
								 psprintf("column \"%s\" twice", ds_pq_excerpt(v)));
		if (list_length(key) == INDEX_MAX_KEYS)
			ds_pq_bad_answer(conn, "the primary key of the target",
							 psprintf("more than %d columns", INDEX_MAX_KEYS));
		key = lappend(key, pstrdup(v));
	}
	MemoryContextDelete(tmp);
	return key;
}

static int64
count_value(DsConn *conn, PGresult *res, int col)
{
	const DsPqApi *api = ds_pq_api_of(conn);
	const char *v;
	char	   *end;
	long long	n;

	if (api->PQgetisnull(res, 0, col))
		ds_pq_bad_answer(conn, "the rows a merge changed", "a NULL count");
	v = api->PQgetvalue(res, 0, col);
	errno = 0;
	n = strtoll(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || n < 0)
		ds_pq_bad_answer(conn, "the rows a merge changed",
						 psprintf("count \"%s\" is not a number", ds_pq_excerpt(v)));
	return n;
}

/* An operator's name: operator characters only, so it goes unquoted. */
static bool
operator_name(const char *s, int len)
{
	if (len == 0 || len >= NAMEDATALEN || (int) strlen(s) != len)
		return false;
	for (int i = 0; i < len; i++)
		if (strchr("+-*/<>=~!@#%^&|`?", s[i]) == NULL)
			return false;
	/* as PostgreSQL's lexer: a comment would start inside the name */
	return strstr(s, "--") == NULL && strstr(s, "/*") == NULL && strstr(s, "*/") == NULL;
}

typedef struct KeyEqualities
{
	char	  **eq;
	int			n;
	int			nkeys;
	MemoryContext cxt;
} KeyEqualities;

static void
key_equality_row(DsConn *conn, PGresult *res, int r, void *arg)
{
	const DsPqApi *api = ds_pq_api_of(conn);
	KeyEqualities *ke = arg;
	const char *nsp;
	const char *opr;

	if (api->PQgetisnull(res, r, 0) || api->PQgetisnull(res, r, 1) || ke->n >= ke->nkeys)
		ds_pq_bad_answer(conn, "the key's equality operators",
						 "not one schema and operator per key column");
	nsp = api->PQgetvalue(res, r, 0);
	opr = api->PQgetvalue(res, r, 1);
	if ((int) strlen(nsp) != api->PQgetlength(res, r, 0) || strlen(nsp) >= NAMEDATALEN ||
		!operator_name(opr, api->PQgetlength(res, r, 1)))
		ds_pq_bad_answer(conn, "the key's equality operators",
						 psprintf("\"%s\".\"%s\" is not an operator's name",
								  ds_pq_excerpt(nsp), ds_pq_excerpt(opr)));
	ke->eq[ke->n++] = MemoryContextStrdup(ke->cxt,
										  psprintf("OPERATOR(%s.%s)",
												   quote_identifier(pg_any_to_server(nsp, strlen(nsp), PG_UTF8)),
												   opr));
}

/*
 * The key's equalities as the remote's stage index compares (citext's = on
 * a citext key): the merge's joins then match what ON CONFLICT does.
 */
static char **
stage_key_equalities(DsConn *conn, const DsPgMerge *m, MemoryContext cxt)
{
	KeyEqualities ke = {.nkeys = list_length(m->key), .cxt = cxt};

	ke.eq = MemoryContextAllocZero(cxt, sizeof(char *) * ke.nkeys);
	ds_pq_each_row(conn, DS_PG_STAGE_KEY_EQ_SQL, NULL, 2, "the key's equality operators",
				   key_equality_row, &ke);
	if (ke.n != ke.nkeys)
		ds_pq_bad_answer(conn, "the key's equality operators",
						 psprintf("%d operators for %d key columns", ke.n, ke.nkeys));
	return ke.eq;
}

void
ds_pq_merge(DsConn *conn, const DsPgMerge *target, int64 *counts)
{
	DsPgMerge	merge = *target;
	const DsPgMerge *m = &merge;
	const DsPqApi *api = ds_pq_api_of(conn);
	MemoryContext cxt = CurrentMemoryContext;
	MemoryContext tmp = AllocSetContextCreate(cxt, "datastore remote merge",
											  ALLOCSET_SMALL_SIZES);
	ErrorContextCallback errcb;
	ListCell   *lc;

	errcb.callback = ds_pg_stage_ready_context;
	errcb.arg = (void *) m;
	errcb.previous = error_context_stack;
	error_context_stack = &errcb;
	ds_pq_command(conn, ds_pq_load_sql(ds_pg_stage_ready_sql(m)));
	error_context_stack = errcb.previous;
	merge.key_eq = stage_key_equalities(conn, m, cxt);
	foreach(lc, ds_pg_merge_sql(m))
	{
		int			rows = 0;
		PGresult   *res;

		ds_pq_send(conn, ds_pq_load_sql(lfirst(lc)), NULL, false);
		for (;;)
		{
			res = ds_pq_next_result_in(conn, tmp);
			if (res == NULL)
				break;
			if (api->PQresultStatus(res) != PGRES_TUPLES_OK)
				continue;
			if (api->PQnfields(res) != 3 || api->PQntuples(res) != 1)
				ds_pq_bad_answer(conn, "the rows a merge changed",
								 "not one row of three counts");
			for (int i = 0; i < 3; i++)
				if (pg_add_s64_overflow(counts[i], count_value(conn, res, i), &counts[i]))
					ds_pq_bad_answer(conn, "the rows a merge changed", "counts past 2^63");
			rows++;
		}
		if (rows != 1)
			ds_pq_bad_answer(conn, "the rows a merge changed", "no row of counts");
	}
	MemoryContextDelete(tmp);
	ds_pq_command(conn, DS_PG_DROP_STAGE_SQL);
}
