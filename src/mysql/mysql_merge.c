/*
 * mysql_merge.c
 *		A load by key into a MySQL/MariaDB table (mode upsert, delete,
 *		mirror): the rows go by LOAD DATA LOCAL into a temporary stage with
 *		the target's column types and a UNIQUE KEY on the key (a key twice
 *		among the rows is then a duplicate, which the load's warnings fail),
 *		and set-based statements move them, all in the load's transaction:
 *
 *		delete	DELETE ds_t FROM target ds_t JOIN stage ds_s ON key
 *		mirror	DELETE ds_t FROM target ds_t LEFT JOIN stage ds_s ON key
 *				WHERE ds_s.k IS NULL; then upsert
 *		upsert	INSERT INTO target (...) SELECT ... FROM stage ds_s
 *				ON DUPLICATE KEY UPDATE c = ds_s.c, ...   when the key is the
 *				target's only unique key; otherwise
 *				UPDATE target ds_t JOIN stage ds_s ON key SET ..., then
 *				INSERT INTO target (...) SELECT ... FROM stage ds_s
 *				WHERE NOT EXISTS (the key in target)
 *
 * ON DUPLICATE KEY UPDATE fires on a clash with any unique key of the
 * target, so with a second unique key a row clashing on it would update
 * another row than its key names; the UPDATE and the plain INSERT instead
 * make such a row an ERROR, as PostgreSQL's ON CONFLICT (key) does.  The
 * update refers to the stage's columns by name (ds_s.c), not VALUES(c):
 * MariaDB and MySQL 5.7/8 accept both, but MySQL 8.0.20 deprecates VALUES()
 * with a warning, and a warning fails the load.
 *
 * Keys are compared with =, so a NULL in a key matches nothing (as on
 * PostgreSQL).  The counts come from what the server reports for each
 * statement; connections are opened without CLIENT_FOUND_ROWS
 * (mysql_conn.c), so a row an update leaves as it was is not counted.
 *
 * The key is options->'key' or the target's PRIMARY KEY, read from
 * information_schema.STATISTICS with the names as literals the client
 * library escaped for the connection; the answer is checked for shape
 * before it is used (test/t/hostile_mysql.sh).
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"

#include "core/load.h"
#include "core/schema.h"
#include "mysql/mysql.h"

/*
 * A target's unique keys, one row per column, grouped by key in order.  The
 * names go in as literals escaped for the connection (%s: the database, or
 * DATABASE(); '%s': the table).
 */
#define MY_UNIQUE_KEYS_SQL \
	"SELECT INDEX_NAME, COLUMN_NAME, SUB_PART FROM information_schema.STATISTICS" \
	" WHERE TABLE_SCHEMA = %s AND TABLE_NAME = '%s' AND NON_UNIQUE = 0" \
	" ORDER BY INDEX_NAME, SEQ_IN_INDEX"

/* No table has more: MariaDB's 64 keys of 32 parts each, with room. */
#define MY_MAX_KEY_ROWS 4096
/* An identifier: 64 characters of up to 4 bytes. */
#define MY_MAX_NAME_BYTES 256

#define MY_STAGE "datastore_stage"

typedef struct UniqueKey
{
	char	   *name;
	List	   *columns;		/* names, in the database encoding */
	bool		whole;			/* every column whole (no prefix, no expression) */
} UniqueKey;

/* A name the server sent: UTF-8 text, no NUL, not too long. */
static char *
server_name(DsConn *conn, const char *v, unsigned long len, const char *what)
{
	if (v == NULL || len == 0 || len > MY_MAX_NAME_BYTES || memchr(v, '\0', len) != NULL ||
		!pg_verify_mbstr(PG_UTF8, v, (int) len, true))
		ds_my_bad_answer(conn, "the unique keys of the target",
						 psprintf("%s that is not a name", what));
	return pg_any_to_server(pnstrdup(v, len), (int) len, PG_UTF8);
}

/* The target's unique keys; the PRIMARY KEY first when it has one. */
static List *
unique_keys(DsConn *conn, const char *target)
{
	char	   *db;
	char	   *table;
	DsMyResult *res;
	uint64		affected;
	List	   *keys = NIL;
	UniqueKey  *cur = NULL;
	int			rows = 0;

	ds_split_qualified(target, &db, &table);
	/* as text, not prepared: the answer is the server's either way */
	res = ds_my_execute(conn,
						psprintf(MY_UNIQUE_KEYS_SQL,
								 db ? psprintf("'%s'", ds_my_escape(conn, db, strlen(db))) : "DATABASE()",
								 ds_my_escape(conn, table, strlen(table))),
						-1, NULL, &affected);
	if (res == NULL || res->nfields != 3)
		ds_my_bad_answer(conn, "the unique keys of the target", "not three columns");
	while (ds_my_fetch(res))
	{
		char	   *index;

		if (++rows > MY_MAX_KEY_ROWS)
			ds_my_bad_answer(conn, "the unique keys of the target", "more key columns than a table has");
		index = server_name(conn, res->values[0], res->lengths[0], "a key name");
		if (cur == NULL || strcmp(cur->name, index) != 0)
		{
			cur = palloc0(sizeof(UniqueKey));
			cur->name = index;
			cur->whole = true;
			if (strcmp(index, "PRIMARY") == 0)
				keys = lcons(cur, keys);
			else
				keys = lappend(keys, cur);
		}
		/* MySQL 8's functional key parts have no column */
		if (res->values[1] == NULL || res->values[2] != NULL)
			cur->whole = false;
		if (res->values[1] != NULL)
			cur->columns = lappend(cur->columns,
								   server_name(conn, res->values[1], res->lengths[1], "a column name"));
	}
	ds_my_finish(res);
	return keys;
}

static bool
same_name(const char *a, const char *b)
{
	/* MySQL's column names are case-insensitive */
	return pg_strcasecmp(a, b) == 0;
}

/* Whether key names exactly the columns of uk (in any order). */
static bool
key_is(const List *key, const UniqueKey *uk)
{
	ListCell   *a;
	ListCell   *b;

	if (!uk->whole || list_length(key) != list_length(uk->columns))
		return false;
	foreach(a, key)
	{
		bool		found = false;

		foreach(b, uk->columns)
			if (same_name(lfirst(a), lfirst(b)))
				found = true;
		if (!found)
			return false;
	}
	return true;
}

/* "`a`, `b`" */
static char *
name_list(const List *names)
{
	StringInfoData buf;
	ListCell   *lc;

	initStringInfo(&buf);
	foreach(lc, names)
		appendStringInfo(&buf, "%s%s", foreach_current_index(lc) > 0 ? ", " : "",
						 ds_my_quote_ident(lfirst(lc)));
	return buf.data;
}

/* "a.`k1` = b.`k1` AND ..." */
static void
append_match(StringInfo buf, const DsMyMerge *m, const char *a, const char *b)
{
	ListCell   *lc;

	foreach(lc, m->key)
	{
		const char *k = ds_my_quote_ident(lfirst(lc));

		appendStringInfo(buf, "%s%s.%s = %s.%s", foreach_current_index(lc) > 0 ? " AND " : "",
						 a, k, b, k);
	}
}

static bool
is_key(const DsMyMerge *m, const char *column)
{
	ListCell   *lc;

	foreach(lc, m->key)
		if (strcmp(lfirst(lc), column) == 0)
			return true;
	return false;
}

/* "c = src.c, ..." over the loaded columns not in the key ("" if none). */
static char *
set_list(const DsMyMerge *m, const char *dst, const char *src)
{
	StringInfoData buf;

	initStringInfo(&buf);
	for (int i = 0; i < m->ncolumns; i++)
	{
		const char *c;

		if (is_key(m, m->columns[i]))
			continue;
		c = ds_my_quote_ident(m->columns[i]);
		appendStringInfo(&buf, "%s%s%s%s = %s.%s", buf.len > 0 ? ", " : "",
						 dst ? dst : "", dst ? "." : "", c, src, c);
	}
	return buf.data;
}

static char *
columns_of(const DsMyMerge *m, const char *prefix)
{
	StringInfoData buf;

	initStringInfo(&buf);
	for (int i = 0; i < m->ncolumns; i++)
		appendStringInfo(&buf, "%s%s%s", i > 0 ? ", " : "", prefix,
						 ds_my_quote_ident(m->columns[i]));
	return buf.data;
}

DsMyMerge *
ds_my_merge_begin(DsConn *conn, const char *store, const char *target,
				  const char *target_sql, DsRowSource *src, const DsLoadOptions *opts)
{
	DsMyMerge  *m = palloc0(sizeof(DsMyMerge));
	List	   *keys = unique_keys(conn, target);
	UniqueKey  *primary = keys ? linitial(keys) : NULL;
	char	   *db;
	char	   *table;
	ListCell   *lc;

	m->target = target;
	m->target_sql = target_sql;
	m->ncolumns = src->row.ncolumns;
	m->columns = src->row.columns;
	m->mode = opts->mode;
	m->key = opts->key;
	/* no unique key at all: say so if it is the table that is missing */
	if (keys == NIL)
		ds_my_target_command(conn, psprintf("SELECT * FROM %s LIMIT 0", target_sql), target);
	if (m->key == NIL && primary && strcmp(primary->name, "PRIMARY") == 0)
	{
		/* the primary key's columns, spelled as the rows spell them */
		foreach(lc, primary->columns)
		{
			char	   *name = lfirst(lc);

			for (int i = 0; i < m->ncolumns; i++)
				if (same_name(m->columns[i], name))
					name = m->columns[i];
			m->key = lappend(m->key, name);
		}
	}
	if (m->key == NIL)
		ds_load_no_key(store, target, m->mode);
	ds_load_require_key_columns(m->key, m->ncolumns, m->columns, target);

	if (m->mode != DS_MODE_DELETE)
	{
		UniqueKey  *match = NULL;

		foreach(lc, keys)
			if (key_is(m->key, lfirst(lc)))
				match = lfirst(lc);
		if (match == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_COLUMN_REFERENCE),
					 errmsg("the key (%s) of a load in mode \"%s\" is not a unique key of \"%s\" on datastore \"%s\"",
							name_list(m->key), ds_load_mode_names[m->mode], target, store),
					 errhint("Name in options->'key' the columns of the target's PRIMARY KEY or of one of its UNIQUE keys (whole columns, not prefixes).")));
		m->only_unique = list_length(keys) == 1;
	}

	/*
	 * The stage goes into the target's database, under a name other than
	 * the target's: a temporary table hides a table of the same name.
	 */
	ds_split_qualified(target, &db, &table);
	m->stage_sql = psprintf("%s%s%s", db ? ds_my_quote_ident(db) : "", db ? "." : "",
							pg_strcasecmp(table, MY_STAGE) == 0 ? MY_STAGE "_2" : MY_STAGE);
	/* Not left on this session by an earlier load; a no-op otherwise. */
	ds_my_command(conn, psprintf("DROP TEMPORARY TABLE IF EXISTS %s", m->stage_sql));
	/* The target's types exactly, NOT NULL included; its CHECKs apply when the rows move there. */
	ds_my_target_command(conn,
						 psprintf("CREATE TEMPORARY TABLE %s (UNIQUE KEY (%s)) SELECT %s FROM %s LIMIT 0",
								  m->stage_sql, name_list(m->key), columns_of(m, ""), target_sql),
						 target);
	return m;
}

static DsMyStep *
step(DsMyStepKind kind, char *sql)
{
	DsMyStep   *s = palloc(sizeof(DsMyStep));

	s->kind = kind;
	s->sql = sql;
	return s;
}

static char *
delete_sql(const DsMyMerge *m, bool missing)
{
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "DELETE ds_t FROM %s AS ds_t %sJOIN %s AS ds_s ON ",
					 m->target_sql, missing ? "LEFT " : "", m->stage_sql);
	append_match(&buf, m, "ds_t", "ds_s");
	/* a row that matched has its key's first column not NULL */
	if (missing)
		appendStringInfo(&buf, " WHERE ds_s.%s IS NULL", ds_my_quote_ident(linitial(m->key)));
	return buf.data;
}

static List *
upsert_steps(const DsMyMerge *m)
{
	char	   *set = set_list(m, NULL, "ds_s");
	StringInfoData buf;
	List	   *steps = NIL;

	initStringInfo(&buf);
	if (m->only_unique && set[0] != '\0')
	{
		appendStringInfo(&buf, "INSERT INTO %s (%s) SELECT %s FROM %s AS ds_s ON DUPLICATE KEY UPDATE %s",
						 m->target_sql, columns_of(m, ""), columns_of(m, "ds_s."), m->stage_sql, set);
		return list_make1(step(DS_MY_STEP_UPSERT, buf.data));
	}
	if (set[0] != '\0')
	{
		appendStringInfo(&buf, "UPDATE %s AS ds_t JOIN %s AS ds_s ON ", m->target_sql, m->stage_sql);
		append_match(&buf, m, "ds_t", "ds_s");
		appendStringInfo(&buf, " SET %s", set_list(m, "ds_t", "ds_s"));
		steps = lappend(steps, step(DS_MY_STEP_UPDATE, buf.data));
		initStringInfo(&buf);
	}
	appendStringInfo(&buf, "INSERT INTO %s (%s) SELECT %s FROM %s AS ds_s"
					 " WHERE NOT EXISTS (SELECT 1 FROM %s AS ds_t WHERE ",
					 m->target_sql, columns_of(m, ""), columns_of(m, "ds_s."), m->stage_sql,
					 m->target_sql);
	append_match(&buf, m, "ds_t", "ds_s");
	appendStringInfoChar(&buf, ')');
	return lappend(steps, step(DS_MY_STEP_INSERT, buf.data));
}

List *
ds_my_merge_steps(const DsMyMerge *m)
{
	switch (m->mode)
	{
		case DS_MODE_UPSERT:
			return upsert_steps(m);
		case DS_MODE_DELETE:
			return list_make1(step(DS_MY_STEP_DELETE, delete_sql(m, false)));
		case DS_MODE_MIRROR:
			/* deletes first: a row gone frees its unique values for new ones */
			return lcons(step(DS_MY_STEP_DELETE, delete_sql(m, true)), upsert_steps(m));
	}
	elog(ERROR, "unexpected load mode %d", m->mode);
	return NIL;
}

int64
ds_my_merge_missing(DsConn *conn, const DsMyMerge *m)
{
	StringInfoData buf;
	DsMyResult *res;
	uint64		affected;
	int64		n = -1;
	int			rows = 0;

	initStringInfo(&buf);
	appendStringInfo(&buf, "SELECT COUNT(*) FROM %s AS ds_t LEFT JOIN %s AS ds_s ON ",
					 m->target_sql, m->stage_sql);
	append_match(&buf, m, "ds_t", "ds_s");
	appendStringInfo(&buf, " WHERE ds_s.%s IS NULL", ds_my_quote_ident(linitial(m->key)));
	res = ds_my_execute(conn, buf.data, -1, NULL, &affected);
	if (res == NULL || res->nfields != 1)
		ds_my_bad_answer(conn, "the rows a mirror would delete", "not one column");
	while (ds_my_fetch(res))
	{
		char	   *end;

		errno = 0;
		if (++rows > 1 || res->values[0] == NULL || !isdigit((unsigned char) res->values[0][0]) ||
			(n = strtoll(res->values[0], &end, 10), errno != 0 ||
			 end != res->values[0] + res->lengths[0] || n < 0))
			ds_my_bad_answer(conn, "the rows a mirror would delete", "not one count");
	}
	ds_my_finish(res);
	if (rows != 1)
		ds_my_bad_answer(conn, "the rows a mirror would delete", "no count");
	return n;
}

char *
ds_my_merge_end_sql(const DsMyMerge *m)
{
	return psprintf("DROP TEMPORARY TABLE %s", m->stage_sql);
}

void
ds_my_merge_count(DsConn *conn, const DsMyStep *s, uint64 affected, const char *info,
				  int64 *counts)
{
	long long	a,
				b,
				w;

	switch (s->kind)
	{
		case DS_MY_STEP_DELETE:
			counts[2] += affected;
			return;
		case DS_MY_STEP_INSERT:
			counts[0] += affected;
			return;
		case DS_MY_STEP_UPDATE:
			/* "Rows matched: 2  Changed: 1  Warnings: 0" */
			if (info == NULL ||
				sscanf(info, "Rows matched: %lld Changed: %lld Warnings: %lld", &a, &b, &w) != 3 ||
				b < 0 || b > a)
				ds_my_bad_answer(conn, "an UPDATE of a load by key", "no Rows matched/Changed counts");
			counts[1] += b;
			return;
		case DS_MY_STEP_UPSERT:

			/*
			 * "Records: 7  Duplicates: 2  Warnings: 0": Records are the rows,
			 * Duplicates those updated (a duplicate left as it was is not
			 * counted), and each updated row is 2 affected rows, each new one
			 * 1, each left alone 0.
			 */
			if (info == NULL ||
				sscanf(info, "Records: %lld Duplicates: %lld Warnings: %lld", &a, &b, &w) != 3 ||
				b < 0 || (uint64) (2 * b) > affected || (long long) affected - 2 * b > a - b)
				ds_my_bad_answer(conn, "an INSERT ... ON DUPLICATE KEY UPDATE of a load by key",
								 psprintf("counts that do not add up to %llu affected rows",
										  (unsigned long long) affected));
			counts[0] += (int64) affected - 2 * b;
			counts[1] += b;
			return;
	}
}
