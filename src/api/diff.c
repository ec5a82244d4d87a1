/*
 * diff.c
 *		ds_diff(source_store, source_query, target_store, target_query, key,
 *		options): the rows two stores disagree on, by key.
 *
 * Each side is read as a row source (an SPI cursor locally, the socket on
 * the others), one after the other, and every row goes into a tuplesort
 * under its key: memory is work_mem for any row count, the rest spills to
 * temporary files.  Keys and rows are compared in their canonical form
 * (core/row_canon.c), and sorted by those bytes, so neither side's collation
 * or ORDER BY matters.  One merge of the two sorted runs then tells every
 * key that only the source has ("missing" in the target), only the target
 * has ("extra"), or both have with different values ("changed").
 *
 * Both sides are read with this session's DateStyle, IntervalStyle and
 * extra_float_digits set as every remote PostgreSQL session of datastore
 * sets them (ISO, postgres, 3), so that a local value's text (an interval, a
 * date in an array) is the remote one's whatever this session prints.
 */
#include "postgres.h"

#include "core/compat.h"
#include "catalog/pg_operator_d.h"
#include "common/cryptohash.h"
#include "common/sha2.h"
#include "fmgr.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/jsonb.h"
#include "utils/array.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/tuplesort.h"

#include "api/call.h"
#include "core/catalog.h"
#include "core/params.h"
#include "core/row_canon.h"

PG_FUNCTION_INFO_V1(ds_diff);

typedef struct DiffSide
{
	const char *store;
	const char *query;
	const char *what;			/* "source" or "target", for messages */
	Tuplesortstate *sort;
} DiffSide;

/*
 * One row in the sort, a bytea: the key's canonical bytes, the SHA-256 of
 * the row's, and the key and the row as JSON text, each after a 4-byte
 * big-endian length.  The digest stands for the row's canonical bytes in
 * the comparison (a collision is not to be found, even on purpose), so the
 * sort moves 32 bytes per row for them, not the row again.
 * bytea order compares the key (length first) before anything else, so
 * sorting the whole value sorts by key.
 */
typedef struct DiffRow
{
	bytea	   *packed;
	const char *key;
	uint32		keylen;			/* with its length word: what the merge compares */
	const char *canon;			/* the digest of the canonical row */
	uint32		canonlen;
	const char *keyjson;
	uint32		keyjsonlen;
	const char *rowjson;
	uint32		rowjsonlen;
} DiffRow;

static inline void
put_length(char *p, uint32 len)
{
	p[0] = (char) (len >> 24);
	p[1] = (char) (len >> 16);
	p[2] = (char) (len >> 8);
	p[3] = (char) len;
}

/* Once per value of a million rows: one enlarge, not one per append. */
static void
put_part(StringInfo buf, const char *data, uint32 len)
{
	enlargeStringInfo(buf, len + 4);
	put_length(buf->data + buf->len, len);
	memcpy(buf->data + buf->len + 4, data, len);
	buf->len += len + 4;
	buf->data[buf->len] = '\0';
}

/* Column i of row in its canonical form, after its length, written in place. */
static void
put_canon(StringInfo buf, const DsEncodeRow *row, int i)
{
	int			at = buf->len;

	enlargeStringInfo(buf, 4);
	buf->len += 4;
	ds_row_canon_value(buf, row, i);
	put_length(buf->data + at, buf->len - at - 4);
}

static const char *
get_part(const char **p, uint32 *len)
{
	const unsigned char *u = (const unsigned char *) *p;
	const char *data;

	*len = ((uint32) u[0] << 24) | ((uint32) u[1] << 16) | ((uint32) u[2] << 8) | u[3];
	data = *p + 4;
	*p = data + *len;
	return data;
}

static void
unpack(bytea *packed, DiffRow *r)
{
	const char *p = VARDATA_ANY(packed);

	r->packed = packed;
	r->key = p;
	get_part(&p, &r->keylen);
	r->keylen += 4;
	r->canon = get_part(&p, &r->canonlen);
	r->keyjson = get_part(&p, &r->keyjsonlen);
	r->rowjson = get_part(&p, &r->rowjsonlen);
}

/* As bytea order compares the keys: bytes, then length. */
static int
key_cmp(const DiffRow *a, const DiffRow *b)
{
	int			c = memcmp(a->key, b->key, Min(a->keylen, b->keylen));

	if (c != 0)
		return c;
	return (a->keylen > b->keylen) - (a->keylen < b->keylen);
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

/* Column positions of the key in src's row; ERROR naming what lacks one. */
static int *
key_columns(DsRowSource *src, ArrayType *key, const char *what, int *nkeys)
{
	Datum	   *names;
	bool	   *nulls;
	int		   *cols;

	deconstruct_array(key, TEXTOID, -1, false, TYPALIGN_INT, &names, &nulls, nkeys);
	if (*nkeys == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("ds_diff needs at least one key column")));
	cols = palloc(sizeof(int) * *nkeys);
	for (int k = 0; k < *nkeys; k++)
	{
		char	   *name;

		if (nulls[k])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("ds_diff's key holds a NULL")));
		name = TextDatumGetCString(names[k]);
		cols[k] = -1;
		for (int i = 0; i < src->row.ncolumns; i++)
			if (src->row.columns[i] && strcmp(src->row.columns[i], name) == 0)
				cols[k] = i;
		if (cols[k] < 0)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_COLUMN),
					 errmsg("the %s query of ds_diff has no column \"%s\"", what, name),
					 errhint("Every column of the key must be a column of both queries, named the same.")));
	}
	return cols;
}

static const DsEncodeRow *sorting_row;

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(sorting_row->columns[*(const int *) a], sorting_row->columns[*(const int *) b]);
}

/* The positions of row's columns in the order of their names. */
static int *
columns_by_name(const DsEncodeRow *row)
{
	int		   *order = palloc(sizeof(int) * Max(row->ncolumns, 1));

	for (int i = 0; i < row->ncolumns; i++)
		order[i] = i;
	sorting_row = row;
	qsort(order, row->ncolumns, sizeof(int), name_cmp);
	sorting_row = NULL;
	return order;
}

/*
 * Reads one side into its sort, then sorts it.  The buffers live across
 * rows (the sort copies what it is given).
 */
static void
read_side(DiffSide *side, ArrayType *key, bool summary)
{
	const DsStoreRoutine *kind;
	DsPool	   *pool = ds_open_store(side->store, &kind);
	DsRowSource *src;
	MemoryContext rowcxt;
	MemoryContext old;
	int		   *cols = NULL;
	int		   *byname = NULL;
	uint32	   *namelen = NULL;
	int			nkeys = 0;
	pg_cryptohash_ctx *sha = pg_cryptohash_create(PG_SHA256);
	uint8		digest[PG_SHA256_DIGEST_LENGTH];
	StringInfoData keybuf;
	StringInfoData buf;

	if (!ds_routine_has(kind, offsetof(DsStoreRoutine, open_rows)))
		ds_routine_missing(kind, side->store, "ds_diff of it", offsetof(DsStoreRoutine, open_rows));
	side->sort = tuplesort_begin_datum(BYTEAOID, ByteaLessOperator, InvalidOid, false,
									   work_mem, NULL, TUPLESORT_NONE);
	src = kind->open_rows(pool, side->query, ds_params_from_jsonb(NULL), NIL);
	rowcxt = AllocSetContextCreate(CurrentMemoryContext, "ds_diff row", ALLOCSET_DEFAULT_SIZES);
	initStringInfo(&keybuf);
	initStringInfo(&buf);
	while (src->next(src))
	{
		if (cols == NULL)
		{
			cols = key_columns(src, key, side->what, &nkeys);
			byname = columns_by_name(&src->row);
			namelen = palloc(sizeof(uint32) * Max(src->row.ncolumns, 1));
			for (int i = 0; i < src->row.ncolumns; i++)
				namelen[i] = strlen(src->row.columns[i]);
		}
		old = MemoryContextSwitchTo(rowcxt);
		/* Each value after its length: ("ab", "c") is not ("a", "bc"). */
		resetStringInfo(&keybuf);
		for (int k = 0; k < nkeys; k++)
			put_canon(&keybuf, &src->row, cols[k]);
		resetStringInfo(&buf);
		/* The bytea's header, filled in below. */
		appendStringInfoSpaces(&buf, VARHDRSZ);
		put_part(&buf, keybuf.data, keybuf.len);
		resetStringInfo(&keybuf);
		for (int j = 0; j < src->row.ncolumns; j++)
		{
			/*
			 * In the order of the column names, each name with its value:
			 * a renamed column differs, the same columns in another order
			 * do not.
			 */
			int			i = byname[j];

			put_part(&keybuf, src->row.columns[i], namelen[i]);
			put_canon(&keybuf, &src->row, i);
		}
		/* One update per row: each call into the library costs more than its bytes. */
		if (pg_cryptohash_init(sha) < 0 ||
			pg_cryptohash_update(sha, (const uint8 *) keybuf.data, keybuf.len) < 0 ||
			pg_cryptohash_final(sha, digest, sizeof(digest)) < 0)
			elog(ERROR, "could not compute a SHA-256 digest: %s", pg_cryptohash_error(sha));
		put_part(&buf, (const char *) digest, sizeof(digest));
		/* A summary shows no row: their JSON would only weigh on the sort. */
		resetStringInfo(&keybuf);
		if (!summary)
			row_json(&keybuf, &src->row, cols, nkeys);
		put_part(&buf, keybuf.data, keybuf.len);
		resetStringInfo(&keybuf);
		if (!summary)
			row_json(&keybuf, &src->row, NULL, src->row.ncolumns);
		put_part(&buf, keybuf.data, keybuf.len);
		SET_VARSIZE(buf.data, buf.len);
		MemoryContextSwitchTo(old);
		tuplesort_putdatum(side->sort, PointerGetDatum(buf.data), false);
		ds_progress_add(1, buf.len);
		MemoryContextReset(rowcxt);
		CHECK_FOR_INTERRUPTS();
	}
	src->close(src);
	pg_cryptohash_free(sha);
	pfree(keybuf.data);
	pfree(buf.data);
	MemoryContextDelete(rowcxt);
	tuplesort_performsort(side->sort);
}

/* The next row of a sorted side, or false; the one before is freed. */
static bool
next_row(DiffSide *side, DiffRow *r)
{
	Datum		d;
	bool		isnull;

	if (r->packed)
		pfree(r->packed);
	r->packed = NULL;
	if (!ds_tuplesort_getdatum(side->sort, &d, &isnull))
		return false;
	unpack(DatumGetByteaPP(d), r);
	return true;
}

static Datum
json_datum(const char *text, uint32 len)
{
	char	   *s = pg_any_to_server(text, len, PG_UTF8);

	if (s == text)
		s = pnstrdup(text, len);
	return DirectFunctionCall1(jsonb_in, CStringGetDatum(s));
}

static void
emit(ReturnSetInfo *rsinfo, const char *status, const DiffRow *src, const DiffRow *tgt)
{
	Datum		values[4];
	bool		nulls[4] = {false, false, src == NULL, tgt == NULL};
	const DiffRow *any = src ? src : tgt;

	values[0] = json_datum(any->keyjson, any->keyjsonlen);
	values[1] = CStringGetTextDatum(status);
	values[2] = src ? json_datum(src->rowjson, src->rowjsonlen) : (Datum) 0;
	values[3] = tgt ? json_datum(tgt->rowjson, tgt->rowjsonlen) : (Datum) 0;
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

/* options: {"summary": true|false}; anything else is an ERROR. */
static bool
summary_option(Jsonb *options)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	bool		summary = false;

	if (options == NULL)
		return false;
	if (!JB_ROOT_IS_OBJECT(options))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("options of ds_diff must be a JSON object")));
	it = JsonbIteratorInit(&options->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		if (tok != WJB_KEY)
			continue;
		if (v.val.string.len != 7 || strncmp(v.val.string.val, "summary", 7) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown option \"%.*s\" of ds_diff", v.val.string.len, v.val.string.val),
					 errhint("The option is summary.")));
		tok = JsonbIteratorNext(&it, &v, true);
		if (v.type != jbvBool)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("options->'summary' of ds_diff must be true or false")));
		summary = v.val.boolean;
	}
	return summary;
}

Datum
ds_diff(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	DiffSide	source = {.what = "source"};
	DiffSide	target = {.what = "target"};
	ArrayType  *key;
	bool		summary;
	DiffRow		s = {0};
	DiffRow		t = {0};
	MemoryContext emitcxt;
	MemoryContext old;
	bool		have_s;
	bool		have_t;
	int			gucnest;
	int64		missing = 0,
				extra = 0,
				changed = 0,
				same = 0;

	source.store = ds_arg_text(fcinfo, 0, "ds_diff", "source_store");
	source.query = ds_arg_text(fcinfo, 1, "ds_diff", "source_query");
	target.store = ds_arg_text(fcinfo, 2, "ds_diff", "target_store");
	target.query = ds_arg_text(fcinfo, 3, "ds_diff", "target_query");
	ds_arg_require(fcinfo, 4, "ds_diff", "key_columns");
	key = PG_GETARG_ARRAYTYPE_P(4);
	summary = summary_option(ds_arg_jsonb(fcinfo, 5));

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
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
	read_side(&source, key, summary);
	ds_progress_set_label("ds_diff target");
	read_side(&target, key, summary);
	AtEOXact_GUC(true, gucnest);
	ds_progress_end();

	/* What a row shown needs is copied into the result: the rest goes. */
	emitcxt = AllocSetContextCreate(CurrentMemoryContext, "ds_diff result row",
									ALLOCSET_DEFAULT_SIZES);
	have_s = next_row(&source, &s);
	have_t = next_row(&target, &t);
	while (have_s || have_t)
	{
		int			c = !have_s ? 1 : !have_t ? -1 : key_cmp(&s, &t);

		old = MemoryContextSwitchTo(emitcxt);

		if (c < 0)
		{
			missing++;
			if (!summary)
				emit(rsinfo, "missing", &s, NULL);
		}
		else if (c > 0)
		{
			extra++;
			if (!summary)
				emit(rsinfo, "extra", NULL, &t);
		}
		else if (s.canonlen != t.canonlen || memcmp(s.canon, t.canon, s.canonlen) != 0)
		{
			changed++;
			if (!summary)
				emit(rsinfo, "changed", &s, &t);
		}
		else
			same++;
		MemoryContextSwitchTo(old);
		MemoryContextReset(emitcxt);
		if (c <= 0)
			have_s = next_row(&source, &s);
		if (c >= 0)
			have_t = next_row(&target, &t);
		CHECK_FOR_INTERRUPTS();
	}
	tuplesort_end(source.sort);
	tuplesort_end(target.sort);

	if (summary)
	{
		Datum		values[4];
		bool		nulls[4] = {false, false, true, true};
		char	   *counts = psprintf("{\"missing\": " INT64_FORMAT ", \"extra\": " INT64_FORMAT
									  ", \"changed\": " INT64_FORMAT ", \"same\": " INT64_FORMAT "}",
									  missing, extra, changed, same);

		values[0] = DirectFunctionCall1(jsonb_in, CStringGetDatum(counts));
		values[1] = CStringGetTextDatum("summary");
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
