/*
 * diff.c
 *		ds_diff(source_store, source_query, target_store, target_query, key,
 *		options): the rows two stores disagree on, by key.
 *
 * Keys and rows are compared in their canonical form (core/row_canon.c),
 * so that neither side's kind, collation or ORDER BY matters.  Two ways to
 * line the sides up, both in bounded memory for any row count:
 *  - when every key column is an integer on both sides and the sides are
 *    two connections, both queries are read at once, each ORDER BY the key,
 *    and merged as the rows come (diff_ordered.c): nothing is sorted here,
 *    and the two servers work while this backend compares;
 *  - otherwise each side is read in turn into a tuplesort under its
 *    canonical key (work_mem, then temporary files), and the sorted runs
 *    are merged (diff_sorted.c).
 * Either merge tells every key only the source has ("missing" in the
 * target), only the target has ("extra"), or both have with different
 * values ("changed").
 *
 * Both sides are read with this session's DateStyle, IntervalStyle and
 * extra_float_digits set as every remote PostgreSQL session of datastore
 * sets them (ISO, postgres, 3), so that a local value's text (an interval, a
 * date in an array) is the remote one's whatever this session prints.
 */
#include "postgres.h"

#include "core/compat.h"
#include "fmgr.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"

#include "api/call.h"
#include "api/diff.h"
#include "core/catalog.h"
#include "core/params.h"
#include "core/parts.h"
#include "core/row_canon.h"

PG_FUNCTION_INFO_V1(ds_diff);

void
diff_side_open(DiffSide *side)
{
	if (side->pool == NULL)
		side->pool = ds_open_store(side->store, &side->kind);
	if (!ds_routine_has(side->kind, offsetof(DsStoreRoutine, open_rows)))
		ds_routine_missing(side->kind, side->store, "ds_diff of it",
						   offsetof(DsStoreRoutine, open_rows));
	side->rowcxt = AllocSetContextCreate(CurrentMemoryContext, "ds_diff row",
										 ALLOCSET_DEFAULT_SIZES);
	side->src = side->kind->open_rows(side->pool, side->query, ds_params_from_jsonb(NULL), NIL);
}

/* Column positions of the key in side's row; ERROR naming what lacks one. */
static void
key_columns(DiffSide *side, ArrayType *key)
{
	DsRowSource *src = side->src;
	Datum	   *names;
	bool	   *nulls;

	deconstruct_array(key, TEXTOID, -1, false, TYPALIGN_INT, &names, &nulls, &side->nkeys);
	side->keycols = palloc(sizeof(int) * Max(side->nkeys, 1));
	for (int k = 0; k < side->nkeys; k++)
	{
		char	   *name = TextDatumGetCString(names[k]);

		side->keycols[k] = -1;
		for (int i = 0; i < src->row.ncolumns; i++)
			if (src->row.columns[i] && strcmp(src->row.columns[i], name) == 0)
				side->keycols[k] = i;
		if (side->keycols[k] < 0)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_COLUMN),
					 errmsg("the %s query of ds_diff has no column \"%s\"", side->what, name),
					 errhint("Every column of the key must be a column of both queries, named the same.")));
	}
}

static const DsEncodeRow *sorting_row;

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(sorting_row->columns[*(const int *) a], sorting_row->columns[*(const int *) b]);
}

/* The positions of the row's columns in the order of their names. */
static void
columns_by_name(DiffSide *side)
{
	const DsEncodeRow *row = &side->src->row;

	side->byname = palloc(sizeof(int) * Max(row->ncolumns, 1));
	side->namelen = palloc(sizeof(uint32) * Max(row->ncolumns, 1));
	for (int i = 0; i < row->ncolumns; i++)
	{
		side->byname[i] = i;
		side->namelen[i] = strlen(row->columns[i]);
	}
	sorting_row = row;
	qsort(side->byname, row->ncolumns, sizeof(int), name_cmp);
	sorting_row = NULL;
}

bool
diff_side_next(DiffSide *side, ArrayType *key)
{
	MemoryContextReset(side->rowcxt);
	CHECK_FOR_INTERRUPTS();
	if (!side->src->next(side->src))
	{
		side->src->close(side->src);
		side->src = NULL;
		return false;
	}
	if (side->keycols == NULL)
	{
		key_columns(side, key);
		columns_by_name(side);
	}
	return true;
}

/* Column i of row in its canonical form, after its length, written in place. */
static void
put_canon(StringInfo buf, const DsEncodeRow *row, int i)
{
	int			at = buf->len;

	enlargeStringInfo(buf, 4);
	buf->len += 4;
	ds_row_canon_value(buf, row, i);
	ds_part_length(buf->data + at, buf->len - at - 4);
}

void
diff_record_init(DiffRecord *rec)
{
	initStringInfo(&rec->key);
	initStringInfo(&rec->canon);
	initStringInfo(&rec->keyjson);
	initStringInfo(&rec->rowjson);
	initStringInfo(&rec->keytext);
}

/*
 * The JSON text of columns cols (all if NULL) of row, bytes that are no
 * UTF-8 written as \x hex, so that every row can be shown as jsonb.
 */
static void
row_json(StringInfo out, const DsEncodeRow *row, const int *cols, int ncols)
{
	DsEncodeRow sub;

	sub.ncolumns = ncols;
	sub.columns = palloc(sizeof(char *) * Max(ncols, 1));
	sub.kinds = palloc(sizeof(DsParamKind) * Max(ncols, 1));
	sub.values = palloc(sizeof(char *) * Max(ncols, 1));
	sub.lengths = palloc(sizeof(int) * Max(ncols, 1));
	for (int j = 0; j < ncols; j++)
	{
		int			i = cols ? cols[j] : j;

		sub.columns[j] = row->columns[i];
		sub.kinds[j] = row->kinds[i];
		sub.values[j] = row->values[i];
		sub.lengths[j] = row->lengths[i];
		if (sub.kinds[j] == DS_PARAM_JSON && ds_json_has_nul_escape(sub.values[j], sub.lengths[j]))
			sub.kinds[j] = DS_PARAM_STRING;
		else if (sub.kinds[j] != DS_PARAM_NULL &&
				 !pg_verify_mbstr(PG_UTF8, sub.values[j], sub.lengths[j], true))
		{
			sub.kinds[j] = DS_PARAM_STRING;
			sub.values[j] = ds_bytea_hex(row->values[i], row->lengths[i], &sub.lengths[j]);
		}
	}
	ds_encode_json_row(out, &sub);
}

/*
 * The buffers were made outside rowcxt, so they keep what they grow to;
 * what the canonical forms allocate on the way goes with the next row.
 */
void
diff_side_record(DiffSide *side, DiffRecord *rec, bool summary)
{
	const DsEncodeRow *row = &side->src->row;
	MemoryContext old = MemoryContextSwitchTo(side->rowcxt);

	/* Each value after its length: ("ab", "c") is not ("a", "bc"). */
	resetStringInfo(&rec->key);
	for (int k = 0; k < side->nkeys; k++)
		put_canon(&rec->key, row, side->keycols[k]);

	/*
	 * In the order of the column names, each name with its value: a renamed
	 * column differs, the same columns in another order do not.
	 */
	resetStringInfo(&rec->canon);
	for (int j = 0; j < row->ncolumns; j++)
	{
		int			i = side->byname[j];

		enlargeStringInfo(&rec->canon, side->namelen[i] + 4);
		ds_part_length(rec->canon.data + rec->canon.len, side->namelen[i]);
		memcpy(rec->canon.data + rec->canon.len + 4, row->columns[i], side->namelen[i]);
		rec->canon.len += side->namelen[i] + 4;
		put_canon(&rec->canon, row, i);
	}

	/* A summary shows no row: their JSON would only weigh on the sort. */
	resetStringInfo(&rec->keyjson);
	resetStringInfo(&rec->rowjson);
	if (!summary)
	{
		row_json(&rec->keyjson, row, side->keycols, side->nkeys);
		row_json(&rec->rowjson, row, NULL, row->ncolumns);
	}
	MemoryContextSwitchTo(old);
}

static Datum
json_datum(const DiffText *text)
{
	char	   *s = pg_any_to_server(text->data, text->len, PG_UTF8);

	if (s == text->data)
		s = pnstrdup(text->data, text->len);
	return DirectFunctionCall1(jsonb_in, CStringGetDatum(s));
}

void
diff_found(DiffOutput *out, DiffStatus status, const DiffText *key,
		   const DiffText *srcrow, const DiffText *tgtrow)
{
	static const char *const names[] = {"same", "missing", "extra", "changed"};
	Datum		values[4];
	bool		nulls[4] = {false, false, status == DIFF_EXTRA, status == DIFF_MISSING};
	MemoryContext old;

	switch (status)
	{
		case DIFF_SAME:
			out->same++;
			return;
		case DIFF_MISSING:
			out->missing++;
			break;
		case DIFF_EXTRA:
			out->extra++;
			break;
		case DIFF_CHANGED:
			out->changed++;
			break;
	}
	if (out->summary)
		return;
	old = MemoryContextSwitchTo(out->cxt);
	values[0] = json_datum(key);
	values[1] = CStringGetTextDatum(names[status]);
	values[2] = nulls[2] ? (Datum) 0 : json_datum(srcrow);
	values[3] = nulls[3] ? (Datum) 0 : json_datum(tgtrow);
	tuplestore_putvalues(out->rsinfo->setResult, out->rsinfo->setDesc, values, nulls);
	MemoryContextSwitchTo(old);
	MemoryContextReset(out->cxt);
}

/* options: {"summary": true|false, "sort": true|false}; anything else is an ERROR. */
static void
read_options(Jsonb *options, bool *summary, bool *sort)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;

	*summary = false;
	*sort = false;
	if (options == NULL)
		return;
	if (!JB_ROOT_IS_OBJECT(options))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("options of ds_diff must be a JSON object")));
	it = JsonbIteratorInit(&options->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		char	   *name;
		bool	   *flag;

		if (tok != WJB_KEY)
			continue;
		name = pnstrdup(v.val.string.val, v.val.string.len);
		if (strcmp(name, "summary") == 0)
			flag = summary;
		else if (strcmp(name, "sort") == 0)
			flag = sort;
		else
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown option \"%s\" of ds_diff", name),
					 errhint("The options are summary and sort.")));
		tok = JsonbIteratorNext(&it, &v, true);
		if (v.type != jbvBool)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("options->'%s' of ds_diff must be true or false", name)));
		*flag = v.val.boolean;
	}
}

/* ERROR unless the key names at least one column, and no NULL. */
static void
check_key(ArrayType *key)
{
	Datum	   *names;
	bool	   *nulls;
	int			nkeys;

	deconstruct_array(key, TEXTOID, -1, false, TYPALIGN_INT, &names, &nulls, &nkeys);
	if (nkeys == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("ds_diff needs at least one key column")));
	for (int k = 0; k < nkeys; k++)
		if (nulls[k])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("ds_diff's key holds a NULL")));
}

Datum
ds_diff(PG_FUNCTION_ARGS)
{
	DiffSide	source = {.what = "source"};
	DiffSide	target = {.what = "target"};
	DiffOutput	out = {.rsinfo = (ReturnSetInfo *) fcinfo->resultinfo};
	ArrayType  *key;
	bool		sort;
	int			gucnest;

	source.store = ds_arg_text(fcinfo, 0, "ds_diff", "source_store");
	source.query = ds_arg_text(fcinfo, 1, "ds_diff", "source_query");
	target.store = ds_arg_text(fcinfo, 2, "ds_diff", "target_store");
	target.query = ds_arg_text(fcinfo, 3, "ds_diff", "target_query");
	ds_arg_require(fcinfo, 4, "ds_diff", "key_columns");
	key = PG_GETARG_ARRAYTYPE_P(4);
	check_key(key);
	read_options(ds_arg_jsonb(fcinfo, 5), &out.summary, &sort);

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	/* What a row shown needs is copied into the result: the rest goes. */
	out.cxt = AllocSetContextCreate(CurrentMemoryContext, "ds_diff result row",
									ALLOCSET_DEFAULT_SIZES);
	/* Both privilege checks pass before either store connects. */
	ds_catalog_check_usage(ds_catalog_lookup(source.store, false));
	ds_catalog_check_usage(ds_catalog_lookup(target.store, false));
	ds_progress_begin(DS_PROGRESS_QUERY, source.store, NULL, "ds_diff source");
	/* Undone at the end of the nest level, or by the abort of an ERROR. */
	gucnest = NewGUCNestLevel();
	(void) set_config_option("datestyle", "ISO", PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE,
							 true, 0, false);
	/*
	 * IntervalStyle postgres, spelled as the GUC also reads it: the lower-case
	 * literal is what test/layering.py takes for a test of the store type.
	 */
	(void) set_config_option("intervalstyle", "Postgres", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	(void) set_config_option("extra_float_digits", "3", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	if (!sort && diff_ordered_possible(&source, &target, key))
	{
		ds_progress_set_label("ds_diff");
		diff_ordered_run(&source, &target, key, &out);
	}
	else
	{
		diff_side_open(&source);
		diff_sorted_read(&source, key, out.summary);
		ds_progress_set_label("ds_diff target");
		diff_side_open(&target);
		diff_sorted_read(&target, key, out.summary);
	}
	AtEOXact_GUC(true, gucnest);
	ds_progress_end();
	diff_sorted_merge(&source, &target, &out);

	if (out.summary)
	{
		Datum		values[4];
		bool		nulls[4] = {false, false, true, true};
		char	   *counts = psprintf("{\"missing\": " INT64_FORMAT ", \"extra\": " INT64_FORMAT
									  ", \"changed\": " INT64_FORMAT ", \"same\": " INT64_FORMAT "}",
									  out.missing, out.extra, out.changed, out.same);

		values[0] = DirectFunctionCall1(jsonb_in, CStringGetDatum(counts));
		values[1] = CStringGetTextDatum("summary");
		tuplestore_putvalues(out.rsinfo->setResult, out.rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
