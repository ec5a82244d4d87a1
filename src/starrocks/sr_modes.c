/*
 * sr_modes.c
 *		Loads by key into StarRocks (options->>'mode' upsert, delete, mirror),
 *		the way StarRocks does them: a Primary Key table upserts every loaded
 *		row by its key, and deletes the rows whose column __op is 1.
 *
 * The table's model and key are read from SHOW CREATE TABLE (the model
 * clause StarRocks prints after the column list), its columns from DESC.
 * upsert is a plain load (a Unique Key table takes it too: it replaces rows
 * by key); delete sends only the key columns, and __op 1 on every row;
 * mirror sends the rows with __op 0, then, in the same remote transaction,
 * the target's rows whose key is not among theirs with __op 1.
 *
 * Mirror in bounded memory: before the load the target's keys (and the
 * values a row needs to pass StarRocks' checks) are read into a tuplesort,
 * and the rows' keys go into another while they are sent; both sort in
 * work_mem and spill to temporary files.  One merge of the two then yields
 * the rows to delete.  Keys are compared in one form per column type of the
 * target (a number by value, a date-time one way, text as its bytes), so a
 * source's 7 and a VARCHAR key's "7", or 2024-01-02T00:00 and DATETIME
 * 2024-01-02 00:00:00, are the same key as StarRocks stores them.
 *
 * StarRocks' transaction stream load plans a transaction at its first /load
 * and requires every later /load to send the same request (headers,
 * columns): so both phases of a mirror send the same columns, __op among
 * them, and a delete row carries the target's own values for the NOT NULL
 * columns (NULL for the others), which any check of the row passes.
 */
#include "postgres.h"

#include "catalog/pg_operator_d.h"
#include "catalog/pg_type_d.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/tuplesort.h"

#include "core/compat.h"
#include "core/parts.h"
#include "core/row_canon.h"
#include "core/schema.h"
#include "mysql/mysql.h"
#include "mysql/mysql_conn.h"
#include "starrocks/sr_http.h"
#include "starrocks/sr_load.h"

/* How a key column's values compare, by the target column's type. */
typedef enum SrKeyForm
{
	SR_KEY_NUMBER,				/* integers, LARGEINT, BOOLEAN */
	SR_KEY_DATETIME,			/* DATE, DATETIME */
	SR_KEY_TEXT					/* VARCHAR, STRING, CHAR and the rest: bytes */
} SrKeyForm;

/* A table column as DESC shows it. */
typedef struct SrColumn
{
	char	   *name;
	bool		nullable;
	bool		has_default;	/* a default or AUTO_INCREMENT */
	SrKeyForm	form;
} SrColumn;

/* A row source wrapped: some of its columns, then __op. */
typedef struct OpSource
{
	DsRowSource pub;
	DsRowSource *inner;
	int		   *map;			/* per output column but __op: inner position */
	const char *op;				/* "0" or "1" */
	struct SrKeyed *keyed;		/* collects the keys (mirror), or NULL */
} OpSource;

struct SrKeyed
{
	DsPool	   *pool;
	const char *target;
	int			mode;
	int			nkeys;
	SrKeyForm  *forms;			/* per key column */
	int		   *src_key;		/* key columns' positions in the rows */
	/* mirror */
	int			nout;			/* output columns, __op last */
	char	  **out_columns;
	int		   *out_read;		/* per output column but __op: target read column, or -1 */
	int			nread;
	Tuplesortstate *target_sort;
	Tuplesortstate *source_sort;
	bool		merged;			/* the deletes were handed out */
	int64		deleted;
	const DsLoadOptions *opts;	/* its max_delete */
};

static void
sr_query(DsPool *pool, const char *sql, DsParams *params, Tuplestorestate *ts,
		 TupleDesc tsdesc)
{
	ds_mysql_run_query(pool, sql, params, true, ts, tsdesc);
}

/* ---- the table: its model and key (SHOW CREATE TABLE), its columns (DESC) ---- */

/* Past a quoted string or identifier at *p (quote q), backslash escapes honoured. */
static const char *
skip_quoted(const char *p)
{
	char		q = *p++;

	while (*p && *p != q)
	{
		if (*p == '\\' && q != '`' && p[1])
			p++;
		p++;
	}
	return *p ? p + 1 : p;
}

static bool
word_at(const char *p, const char *word)
{
	size_t		n = strlen(word);

	return pg_strncasecmp(p, word, n) == 0 && !isalnum((unsigned char) p[n]) && p[n] != '_';
}

/*
 * The model clause of StarRocks' CREATE TABLE text: the first of PRIMARY,
 * UNIQUE, DUPLICATE or AGGREGATE KEY(...) outside quotes after the column
 * list.  Its model into *model, its columns as a list of names.
 */
static List *
model_clause(const char *ddl, const char **model)
{
	const char *p = ddl;
	int			depth = 0;
	bool		after_columns = false;
	static const char *const models[] = {"PRIMARY", "UNIQUE", "DUPLICATE", "AGGREGATE", NULL};

	*model = NULL;
	while (*p)
	{
		if (*p == '"' || *p == '\'' || *p == '`')
		{
			p = skip_quoted(p);
			continue;
		}
		if (*p == '(')
			depth++;
		else if (*p == ')' && --depth == 0)
			after_columns = true;
		else if (after_columns && depth == 0 && isalpha((unsigned char) *p) &&
				 (p == ddl || !isalnum((unsigned char) p[-1])))
		{
			for (int m = 0; models[m]; m++)
			{
				const char *q = p + strlen(models[m]);
				List	   *names = NIL;

				if (!word_at(p, models[m]))
					continue;
				while (*q == ' ')
					q++;
				if (!word_at(q, "KEY"))
					continue;
				q += 3;
				while (*q == ' ')
					q++;
				if (*q != '(')
					continue;
				q++;
				for (;;)
				{
					while (*q == ' ' || *q == ',')
						q++;
					if (*q == '`')
					{
						const char *end = skip_quoted(q);
						StringInfoData name;

						initStringInfo(&name);
						for (const char *c = q + 1; c < end - 1; c++)
						{
							if (*c == '`' && c[1] == '`')
								c++;
							appendStringInfoChar(&name, *c);
						}
						names = lappend(names, name.data);
						q = end;
					}
					else if (isalnum((unsigned char) *q) || *q == '_')
					{
						const char *start = q;

						while (isalnum((unsigned char) *q) || *q == '_')
							q++;
						names = lappend(names, pnstrdup(start, q - start));
					}
					else
						break;
				}
				if (*q != ')' || names == NIL)
					return NIL;
				*model = models[m];
				return names;
			}
			while (isalnum((unsigned char) *p) || *p == '_')
				p++;
			continue;
		}
		p++;
	}
	return NIL;
}

static SrKeyForm
form_of(const char *type)
{
	static const char *const numbers[] = {"TINYINT", "SMALLINT", "INT", "INTEGER", "BIGINT",
	"LARGEINT", "BOOLEAN", NULL};

	for (int i = 0; numbers[i]; i++)
		if (word_at(type, numbers[i]))
			return SR_KEY_NUMBER;
	if (word_at(type, "DATE") || word_at(type, "DATETIME"))
		return SR_KEY_DATETIME;
	return SR_KEY_TEXT;
}

static const char *
model_name(const char *model)
{
	if (strcmp(model, "PRIMARY") == 0)
		return "a Primary Key table";
	if (strcmp(model, "UNIQUE") == 0)
		return "a Unique Key table";
	if (strcmp(model, "AGGREGATE") == 0)
		return "an Aggregate table";
	return "a Duplicate Key table";
}

/* The table's model, key (in the key clause's order) and columns. */
static List *
read_table(DsPool *pool, const char *target, const char *db, const char *table,
		   const char **model, List **columns)
{
	char	   *qualified = psprintf("%s.%s", ds_my_quote_ident(db), ds_my_quote_ident(table));
	List	   *rows = ds_schema_query_rows(sr_query, pool, psprintf("SHOW CREATE TABLE %s", qualified), NULL);
	char	   *ddl = rows != NIL ? ds_row_text(linitial(rows), "Create Table") : NULL;
	List	   *key;
	ListCell   *lc;

	if (ddl == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("\"%s\" on datastore \"%s\" is not a table that loads can change by key", target,
						pool->name),
				 errdetail("SHOW CREATE TABLE answered no table definition.")));
	key = model_clause(ddl, model);
	if (*model == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("cannot tell the model of \"%s\" on datastore \"%s\"", target, pool->name),
				 errdetail("SHOW CREATE TABLE answered no PRIMARY, UNIQUE, DUPLICATE or AGGREGATE KEY clause.")));
	*columns = NIL;
	foreach(lc, ds_schema_query_rows(sr_query, pool, psprintf("DESC %s", qualified), NULL))
	{
		Jsonb	   *row = lfirst(lc);
		SrColumn   *c = palloc0(sizeof(SrColumn));
		char	   *type = ds_row_text(row, "Type");
		char	   *null = ds_row_text(row, "Null");
		char	   *extra = ds_row_text(row, "Extra");

		c->name = ds_row_text(row, "Field");
		if (c->name == NULL || type == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_FDW_ERROR),
					 errmsg("datastore \"%s\" answered DESC without a column's name or type", pool->name)));
		c->nullable = null == NULL || pg_strcasecmp(null, "YES") == 0;
		c->has_default = ds_row_text(row, "Default") != NULL ||
			(extra != NULL && pg_strcasecmp(extra, "AUTO_INCREMENT") == 0);
		c->form = form_of(type);
		*columns = lappend(*columns, c);
	}
	return key;
}

static SrColumn *
find_column(List *columns, const char *name)
{
	ListCell   *lc;

	foreach(lc, columns)
		if (pg_strcasecmp(((SrColumn *) lfirst(lc))->name, name) == 0)
			return lfirst(lc);
	return NULL;
}

static int
find_name(int n, char **names, const char *name)
{
	for (int i = 0; i < n; i++)
		if (names[i] && pg_strcasecmp(names[i], name) == 0)
			return i;
	return -1;
}

static char *
name_list(List *names)
{
	StringInfoData buf;
	ListCell   *lc;

	initStringInfo(&buf);
	foreach(lc, names)
		appendStringInfo(&buf, "%s%s", foreach_current_index(lc) > 0 ? ", " : "", (char *) lfirst(lc));
	return buf.data;
}

/* ---- keys in one form ---- */

/* Column i of row as key column k compares, after its length. */
static void
key_value(StringInfo out, const SrKeyed *k, int key, const DsEncodeRow *row, int i)
{
	StringInfoData v;
	DsEncodeRow one;
	DsParamKind kind = row->kinds[i];

	initStringInfo(&v);
	if (kind == DS_PARAM_NULL)
		appendStringInfoChar(&v, 'n');
	else if (k->forms[key] == SR_KEY_TEXT)
	{
		appendStringInfoChar(&v, 's');
		appendBinaryStringInfo(&v, row->values[i], row->lengths[i]);
	}
	else
	{
		if (kind != DS_PARAM_BOOL)
			kind = k->forms[key] == SR_KEY_NUMBER ? DS_PARAM_NUMBER : DS_PARAM_STRING;
		one.ncolumns = 1;
		one.columns = &row->columns[i];
		one.kinds = &kind;
		one.values = &row->values[i];
		one.lengths = &row->lengths[i];
		ds_row_canon_value(&v, &one, 0);
	}
	ds_part_put(out, v.data, v.len);
	pfree(v.data);
}

/* A sort entry: [length][key], then the rest (none for the rows' keys). */
static StringInfo
key_entry(const SrKeyed *k, const DsEncodeRow *row, const int *pos)
{
	StringInfo	buf = makeStringInfo();
	StringInfoData key;

	initStringInfo(&key);
	for (int i = 0; i < k->nkeys; i++)
		key_value(&key, k, i, row, pos[i]);
	appendStringInfoSpaces(buf, VARHDRSZ);
	ds_part_put(buf, key.data, key.len);
	pfree(key.data);
	return buf;
}

static void
put_entry(Tuplesortstate *sort, StringInfo buf)
{
	SET_VARSIZE(buf->data, buf->len);
	tuplesort_putdatum(sort, PointerGetDatum(buf->data), false);
	pfree(buf->data);
	pfree(buf);
}

/* The key part of an entry (its length word included). */
static uint32
entry_key(bytea *e, const char **key)
{
	const char *p = VARDATA_ANY(e);
	uint32		len;

	*key = p;
	(void) ds_part_get(&p, &len);
	return len + 4;
}

static int
entry_cmp(bytea *a, bytea *b)
{
	const char *ka;
	const char *kb;
	uint32		la = entry_key(a, &ka);
	uint32		lb = entry_key(b, &kb);
	int			c = memcmp(ka, kb, Min(la, lb));

	if (c != 0)
		return c;
	return (la > lb) - (la < lb);
}

static bytea *
next_entry(Tuplesortstate *sort)
{
	Datum		d;
	bool		isnull;

	if (!ds_tuplesort_getdatum(sort, &d, &isnull))
		return NULL;
	return DatumGetByteaPP(d);
}

/* ---- the rows, with __op ---- */

static bool
op_next(DsRowSource *s)
{
	OpSource   *o = (OpSource *) s;
	int			n = o->pub.row.ncolumns;

	if (!o->inner->next(o->inner))
		return false;
	for (int j = 0; j < n - 1; j++)
	{
		int			i = o->map[j];

		o->pub.row.kinds[j] = o->inner->row.kinds[i];
		o->pub.row.values[j] = o->inner->row.values[i];
		o->pub.row.lengths[j] = o->inner->row.lengths[i];
	}
	o->pub.row.kinds[n - 1] = DS_PARAM_NUMBER;
	o->pub.row.values[n - 1] = (char *) o->op;
	o->pub.row.lengths[n - 1] = 1;
	o->pub.rownum = o->inner->rownum;
	if (o->keyed)
		put_entry(o->keyed->source_sort, key_entry(o->keyed, &o->inner->row, o->keyed->src_key));
	return true;
}

static void
op_close(DsRowSource *s)
{
	OpSource   *o = (OpSource *) s;

	o->inner->close(o->inner);
}

/* src's columns at map (n of them), then __op = op. */
static DsRowSource *
op_source(DsRowSource *src, int n, const int *map, const char *op, SrKeyed *keyed)
{
	OpSource   *o = palloc0(sizeof(OpSource));

	o->inner = src;
	o->op = op;
	o->keyed = keyed;
	o->map = palloc(sizeof(int) * Max(n, 1));
	memcpy(o->map, map, sizeof(int) * n);
	o->pub.row.ncolumns = n + 1;
	ds_row_source_alloc(&o->pub);
	o->pub.row.columns = palloc(sizeof(char *) * (n + 1));
	for (int j = 0; j < n; j++)
		o->pub.row.columns[j] = src->row.columns[map[j]];
	o->pub.row.columns[n] = "__op";
	o->pub.next = op_next;
	o->pub.close = op_close;
	return &o->pub;
}

/* ---- the target's rows, read before the load (mirror) ---- */

static void
read_target(SrKeyed *k, const char *db, const char *table, List *key, List *extra)
{
	StringInfoData sql;
	DsRowSource *t;
	MemoryContext rowcxt;
	int		   *pos;
	ListCell   *lc;

	initStringInfo(&sql);
	appendStringInfoString(&sql, "SELECT ");
	foreach(lc, list_concat_copy(key, extra))
		appendStringInfo(&sql, "%s%s", foreach_current_index(lc) > 0 ? ", " : "",
						 ds_my_quote_ident(lfirst(lc)));
	appendStringInfo(&sql, " FROM %s.%s", ds_my_quote_ident(db), ds_my_quote_ident(table));
	k->nread = list_length(key) + list_length(extra);
	pos = palloc(sizeof(int) * k->nkeys);
	for (int i = 0; i < k->nkeys; i++)
		pos[i] = i;
	k->target_sort = tuplesort_begin_datum(BYTEAOID, ByteaLessOperator, InvalidOid, false,
										   work_mem, NULL, TUPLESORT_NONE);
	t = ds_mysql_open_rows(k->pool, sql.data, ds_params_from_jsonb(NULL), NIL, true);
	rowcxt = AllocSetContextCreate(CurrentMemoryContext, "datastore mirror target row",
								   ALLOCSET_DEFAULT_SIZES);
	while (t->next(t))
	{
		MemoryContext old = MemoryContextSwitchTo(rowcxt);
		StringInfo	e = key_entry(k, &t->row, pos);

		/* then every column read: its kind, its value */
		for (int i = 0; i < k->nread; i++)
		{
			appendStringInfoChar(e, (char) t->row.kinds[i]);
			ds_part_put(e, t->row.kinds[i] == DS_PARAM_NULL ? "" : t->row.values[i],
					 t->row.kinds[i] == DS_PARAM_NULL ? 0 : t->row.lengths[i]);
		}
		MemoryContextSwitchTo(old);
		SET_VARSIZE(e->data, e->len);
		tuplesort_putdatum(k->target_sort, PointerGetDatum(e->data), false);
		MemoryContextReset(rowcxt);
		CHECK_FOR_INTERRUPTS();
	}
	t->close(t);
	MemoryContextDelete(rowcxt);
	tuplesort_performsort(k->target_sort);
}

/* The rows to delete: the target's whose key the rows lack, with __op = 1. */
typedef struct DeleteSource
{
	DsRowSource pub;
	SrKeyed    *k;
	bytea	   *s;				/* the rows' current key, or NULL at their end */
	bytea	   *prev;			/* the one before (a key twice is an ERROR) */
	bytea	   *t;				/* the target's current row */
	char	  **read_values;
	int		   *read_lengths;
	DsParamKind *read_kinds;
} DeleteSource;

static void
advance_source(DeleteSource *d)
{
	if (d->prev)
		pfree(d->prev);
	d->prev = d->s;
	d->s = next_entry(d->k->source_sort);
	if (d->s && d->prev && entry_cmp(d->s, d->prev) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNIQUE_VIOLATION),
				 errmsg("a key is twice among the rows of a load in mode \"mirror\" into \"%s\" on datastore \"%s\"",
						d->k->target, d->k->pool->name),
				 errdetail("Which row would win is not defined; the load is rolled back and the target is unchanged."),
				 errhint("Make the source query return each key once.")));
}

static bool
delete_next(DsRowSource *s)
{
	DeleteSource *d = (DeleteSource *) s;
	SrKeyed    *k = d->k;

	for (;;)
	{
		int			c;

		if (d->t)
			pfree(d->t);
		d->t = next_entry(k->target_sort);
		if (d->t == NULL)
		{
			/* the rest of the rows' keys, for a key twice */
			while (d->s)
				advance_source(d);
			return false;
		}
		while (d->s && (c = entry_cmp(d->s, d->t)) < 0)
			advance_source(d);
		if (d->s && c == 0)
			continue;
		break;
	}
	/* d->t is a target row the rows lack */
	{
		const char *p;
		uint32		len;
		int			n = s->row.ncolumns;

		(void) entry_key(d->t, &p);
		(void) ds_part_get(&p, &len);
		for (int i = 0; i < k->nread; i++)
		{
			d->read_kinds[i] = (DsParamKind) (unsigned char) *p++;
			d->read_values[i] = (char *) ds_part_get(&p, &len);
			d->read_lengths[i] = len;
		}
		for (int j = 0; j < n - 1; j++)
		{
			int			r = k->out_read[j];

			if (r < 0 || d->read_kinds[r] == DS_PARAM_NULL)
				ds_row_set_null(s, j);
			else
			{
				s->row.kinds[j] = d->read_kinds[r];
				s->row.values[j] = d->read_values[r];
				s->row.lengths[j] = d->read_lengths[r];
			}
		}
		s->row.kinds[n - 1] = DS_PARAM_NUMBER;
		s->row.values[n - 1] = "1";
		s->row.lengths[n - 1] = 1;
		s->rownum++;
		k->deleted++;
		/* Found while they go: the ERROR aborts the one transaction load. */
		ds_load_check_deletes(k->opts, k->deleted, false, k->pool->name, k->target);
	}
	return true;
}

static void
delete_close(DsRowSource *s)
{
	DeleteSource *d = (DeleteSource *) s;

	tuplesort_end(d->k->source_sort);
	tuplesort_end(d->k->target_sort);
	d->k->source_sort = d->k->target_sort = NULL;
}

DsRowSource *
ds_sr_mirror_deletes(SrKeyed *k)
{
	DeleteSource *d;

	if (k == NULL || k->mode != DS_MODE_MIRROR || k->merged)
		return NULL;
	k->merged = true;
	tuplesort_performsort(k->source_sort);
	d = palloc0(sizeof(DeleteSource));
	d->k = k;
	d->pub.row.ncolumns = k->nout;
	ds_row_source_alloc(&d->pub);
	d->pub.row.columns = k->out_columns;
	d->read_values = palloc(sizeof(char *) * k->nread);
	d->read_lengths = palloc(sizeof(int) * k->nread);
	d->read_kinds = palloc(sizeof(DsParamKind) * k->nread);
	d->s = next_entry(k->source_sort);
	d->pub.next = delete_next;
	d->pub.close = delete_close;
	return &d->pub;
}

/* ---- the checks, and the load's rows ---- */

/* A mode that StarRocks' model of the table cannot do: ERROR saying why. */
pg_noreturn static void
wrong_model(SrKeyed *k, const char *model)
{
	const char *mode = ds_load_mode_names[k->mode];

	ereport(ERROR,
			(errcode(ERRCODE_WRONG_OBJECT_TYPE),
			 errmsg("a load in mode \"%s\" needs a Primary Key table: \"%s\" on datastore \"%s\" is %s",
					mode, k->target, k->pool->name, model_name(model)),
			 strcmp(model, "UNIQUE") == 0
			 ? errdetail("A Unique Key table replaces the rows of a key (mode upsert works), but StarRocks reads __op, which deletes, only for Primary Key tables.")
			 : strcmp(model, "AGGREGATE") == 0
			 ? errdetail("An Aggregate table combines the rows of a key by each column's aggregate function: a load neither replaces nor deletes them.")
			 : errdetail("A Duplicate Key table keeps every row loaded: a load neither updates nor deletes rows."),
			 errhint("Load into a Primary Key table (ds_create_table makes one from a source with a primary key), or use mode append.")));
}

pg_noreturn static void
breaks_mirror(const char *what, const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s cannot go with mode \"mirror\" on a StarRocks store", what),
			 errdetail("%s", why),
			 errhint("Leave it out: mode mirror makes the target hold exactly the rows.")));
}

SrKeyed *
ds_sr_keyed_begin(DsPool *pool, const char *target, const char *db, const char *table,
				  DsRowSource **srcp, SrLoadOptions *opts)
{
	DsRowSource *src = *srcp;
	SrKeyed    *k = palloc0(sizeof(SrKeyed));
	const char *model;
	List	   *columns;
	List	   *key;
	int			ncols = src->row.ncolumns;
	int		   *map = palloc(sizeof(int) * Max(ncols, 1));
	int			nmap = 0;
	ListCell   *lc;

	k->pool = pool;
	k->target = target;
	k->mode = opts->base.mode;
	k->opts = &opts->base;

	if (find_name(ncols, src->row.columns, "__op") >= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the rows of a load in mode \"%s\" have a column \"__op\"", ds_load_mode_names[k->mode]),
				 errdetail("The mode decides what __op StarRocks gets."),
				 errhint("Leave the column out, or load in mode append, where a column __op goes to StarRocks as it is.")));
	if (k->mode == DS_MODE_MIRROR)
	{
		if ((opts->batch_rows > 0 || opts->batch_bytes > 0) && !opts->transaction)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("batch_rows and batch_bytes cannot go with mode \"mirror\" unless \"transaction\" is true"),
					 errdetail("Batches are loads committed one by one: one that fails would leave the target neither as it was nor equal to the rows."),
					 errhint("Add \"transaction\": true (the batches then go as loads of one StarRocks transaction), or leave out batch_rows and batch_bytes.")));
		if (opts->max_filter_ratio > 0)
			breaks_mirror("max_filter_ratio above 0",
						  "A row StarRocks leaves out would keep the target's old row of its key, or none.");
		foreach(lc, opts->headers)
		{
			const char *h = lfirst(lc);

			if (strncmp(h, "where:", 6) == 0 || strncmp(h, "partial_update:", 15) == 0 ||
				strncmp(h, "partial_update_mode:", 20) == 0 || strncmp(h, "merge_condition:", 16) == 0 ||
				strncmp(h, "negative:", 9) == 0)
				breaks_mirror(psprintf("The stream-load header \"%.*s\"", (int) (strchr(h, ':') - h), h),
							  "It loads other rows, or other values, than the rows hold.");
		}
	}
	else if (k->mode == DS_MODE_DELETE && ds_sr_has_header(opts->headers, "partial_update"))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("partial_update means nothing to a load in mode \"delete\""),
				 errhint("A delete sends only the key columns; leave partial_update out.")));

	key = read_table(pool, target, db, table, &model, &columns);
	if (strcmp(model, "PRIMARY") != 0 && !(strcmp(model, "UNIQUE") == 0 && k->mode == DS_MODE_UPSERT))
		wrong_model(k, model);
	if (opts->base.key != NIL)
	{
		bool		same = list_length(opts->base.key) == list_length(key);

		foreach(lc, opts->base.key)
		{
			ListCell   *lk;
			bool		found = false;

			foreach(lk, key)
				if (pg_strcasecmp(lfirst(lc), lfirst(lk)) == 0)
					found = true;
			same = same && found;
		}
		if (!same)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("options->'key' (%s) is not the %s key of \"%s\" on datastore \"%s\"",
							name_list(opts->base.key), strcmp(model, "UNIQUE") == 0 ? "unique" : "primary",
							target, pool->name),
					 errdetail("StarRocks upserts and deletes by the table's own key only: (%s).", name_list(key)),
					 errhint("Leave out options->'key', or name exactly the columns of that key.")));
	}

	/* the key columns among the rows' */
	k->nkeys = list_length(key);
	k->forms = palloc(sizeof(SrKeyForm) * k->nkeys);
	k->src_key = palloc(sizeof(int) * k->nkeys);
	foreach(lc, key)
	{
		int			i = foreach_current_index(lc);
		SrColumn   *c = find_column(columns, lfirst(lc));

		k->forms[i] = c ? c->form : SR_KEY_TEXT;
		k->src_key[i] = find_name(ncols, src->row.columns, lfirst(lc));
		if (k->src_key[i] < 0)
			ds_load_require_key_columns(list_make1(lfirst(lc)), ncols, src->row.columns, target);
	}

	if (k->mode == DS_MODE_UPSERT)
		return k;
	if (k->mode == DS_MODE_DELETE)
	{
		/*
		 * Only the key goes: StarRocks' planner (Load.initColumns) refuses a
		 * load lacking a NOT NULL column without a default, except in a
		 * partial update, whose deletes are keys all the same.
		 */
		bool		partial = false;

		for (int i = 0; i < k->nkeys; i++)
			map[nmap++] = k->src_key[i];
		foreach(lc, columns)
		{
			SrColumn   *c = lfirst(lc);

			bool		is_key = false;
			ListCell   *lk;

			foreach(lk, key)
				if (pg_strcasecmp(lfirst(lk), c->name) == 0)
					is_key = true;
			if (!is_key && !c->nullable && !c->has_default)
				partial = true;
		}
		if (partial)
			opts->headers = lappend(list_copy(opts->headers), "partial_update: true");
		*srcp = op_source(src, nmap, map, "1", NULL);
		return k;
	}

	/*
	 * mirror: every column, __op 0, in one transaction with the deletes;
	 * the target's keys, and the values of its NOT NULL columns among the
	 * rows', read first.
	 */
	{
		List	   *extra = NIL;

		for (int i = 0; i < ncols; i++)
			map[nmap++] = i;
		k->nout = ncols + 1;
		k->out_read = palloc(sizeof(int) * ncols);
		for (int j = 0; j < ncols; j++)
		{
			SrColumn   *c = find_column(columns, src->row.columns[j]);
			int			kpos = -1;

			for (int i = 0; i < k->nkeys; i++)
				if (k->src_key[i] == j)
					kpos = i;
			if (kpos >= 0)
				k->out_read[j] = kpos;
			else if (c != NULL && !c->nullable)
			{
				extra = lappend(extra, c->name);
				k->out_read[j] = k->nkeys + list_length(extra) - 1;
			}
			else
				k->out_read[j] = -1;
		}
		opts->transaction = true;
		read_target(k, db, table, key, extra);
		k->source_sort = tuplesort_begin_datum(BYTEAOID, ByteaLessOperator, InvalidOid, false,
											   work_mem, NULL, TUPLESORT_NONE);
		*srcp = op_source(src, nmap, map, "0", k);
		k->out_columns = (*srcp)->row.columns;
	}
	return k;
}

void
ds_sr_keyed_unsent(SrKeyed *k)
{
	if (k != NULL)
		k->deleted = -1;
}

Jsonb *
ds_sr_keyed_result(SrKeyed *k, Jsonb *result)
{
	/*
	 * StarRocks says neither which rows it inserted and which it updated,
	 * nor how many of the keys sent to delete it had: only a mirror knows
	 * its deletes, the target's rows whose keys it found missing.
	 */
	return ds_load_result_changes(result, k->mode, -1, -1,
								  k->mode == DS_MODE_MIRROR ? k->deleted : -1);
}
