/*
 * diff_ordered.c
 *		ds_diff in key order: both queries read at once, each as ORDER BY the
 *		key, and merged as the rows come.  Nothing is sorted or hashed here
 *		(rows are compared by their canonical bytes), and the two servers
 *		send while this backend compares.
 *
 * Only for keys every column of which is an integer on both sides: the one
 * order two kinds agree on whatever their collations (a text key sorts by
 * MySQL's collation on one side and PostgreSQL's on the other).  Two kinds
 * of rows have no place in that merge, and go to the sorted path
 * (diff_sorted.c), which merges them after the rest: those whose key holds
 * a NULL (NULLs come first on MySQL, last on PostgreSQL), and every row of
 * a key a side has twice (the order of such rows is the server's whim; the
 * sorted path pairs them by their digests).  What the servers send is
 * checked as it comes: a key that is not an integer, or one below the key
 * before it, is an ERROR, not a wrong answer.
 */
#include "postgres.h"

#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"

#include "api/call.h"
#include "api/diff.h"
#include "core/progress.h"
#include "core/schema.h"

/*
 * Is every column of the key an integer in the query's description?  A
 * store that cannot describe the query, or a key it lacks, leaves the
 * choice to the sorted path, whose ERROR names the missing column.
 */
static bool
integer_key(DiffSide *side, char **names, int nkeys, DsDialect *dialect)
{
	DsSchema   *schema;

	if (!ds_routine_has(side->kind, offsetof(DsStoreRoutine, describe)))
		return false;
	schema = side->kind->describe(side->pool, side->query, true, ds_params_from_jsonb(NULL));
	*dialect = schema->dialect;
	for (int k = 0; k < nkeys; k++)
	{
		DsColumn   *col = ds_schema_column(schema, names[k]);

		if (col == NULL || col->type.cls < DS_TYPE_INT8 || col->type.cls > DS_TYPE_INT128)
			return false;
	}
	return true;
}

/*
 * integer_key of both sides, in a subtransaction: a query a store cannot
 * describe (a derived table of it refused: MySQL's "Duplicate column name"
 * for a.id, b.id, a SHOW) is left to the sorted path, which reads it as it
 * is, rather than failing the diff.
 */
typedef struct IntegerKeys
{
	DiffSide   *source;
	DiffSide   *target;
	char	  **names;
	int			nkeys;
	DsDialect	source_dialect;
	DsDialect	target_dialect;
	bool		ok;
} IntegerKeys;

static void
integer_keys(void *arg)
{
	IntegerKeys *k = arg;

	k->ok = integer_key(k->source, k->names, k->nkeys, &k->source_dialect) &&
		integer_key(k->target, k->names, k->nkeys, &k->target_dialect);
}

static bool
both_integer_keys(IntegerKeys *k)
{
	ErrorData  *edata = ds_call_trapped(integer_keys, k);

	if (edata == NULL)
		return k->ok;

	/*
	 * Only what a refused query says (its syntax, names, an unsupported
	 * feature, a value, a server's own ERROR relayed as HV000) goes
	 * quietly; a cancel, a lost connection, out of memory, a lock or
	 * serialization failure does not.
	 */
	if (ERRCODE_TO_CATEGORY(edata->sqlerrcode) != ERRCODE_SYNTAX_ERROR_OR_ACCESS_RULE_VIOLATION &&
		ERRCODE_TO_CATEGORY(edata->sqlerrcode) != ERRCODE_FEATURE_NOT_SUPPORTED &&
		ERRCODE_TO_CATEGORY(edata->sqlerrcode) != ERRCODE_DATA_EXCEPTION &&
		ERRCODE_TO_CATEGORY(edata->sqlerrcode) != ERRCODE_FDW_ERROR)
		ReThrowError(edata);
	FreeErrorData(edata);
	return false;
}

bool
diff_ordered_possible(DiffSide *source, DiffSide *target, ArrayType *key)
{
	Datum	   *datums;
	IntegerKeys k = {.source = source, .target = target};

	/* One connection cannot stream two results at once. */
	if (strcmp(source->store, target->store) == 0)
		return false;
	source->pool = ds_open_store(source->store, &source->kind);
	target->pool = ds_open_store(target->store, &target->kind);

	/*
	 * Two stores served in this backend would read through two SPI cursors,
	 * whose connections must end in the order they began.
	 */
	if (source->kind->driver == NULL && target->kind->driver == NULL)
		return false;
	deconstruct_array(key, TEXTOID, -1, false, TYPALIGN_INT, &datums, NULL, &k.nkeys);
	k.names = palloc(sizeof(char *) * k.nkeys);
	for (int i = 0; i < k.nkeys; i++)
		k.names[i] = TextDatumGetCString(datums[i]);
	if (!both_integer_keys(&k))
		return false;
	source->query = ds_query_ordered(source->query, k.source_dialect, k.names, k.nkeys);
	target->query = ds_query_ordered(target->query, k.target_dialect, k.names, k.nkeys);
	return true;
}

/*
 * An integer as a server writes one: an optional minus, then digits (a
 * ZEROFILL column's 00007 is 7, here as in the canonical form).
 */
static bool
integer_text(const char *s, int len)
{
	int			i = (len > 0 && s[0] == '-') ? 1 : 0;

	if (i == len)
		return false;
	for (; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* Compares two integer texts by value, of any number of digits. */
static int
integer_cmp(const char *a, int alen, const char *b, int blen)
{
	bool		aneg = alen > 0 && a[0] == '-';
	bool		bneg = blen > 0 && b[0] == '-';
	int			c;

	if (aneg)
		a++, alen--;
	if (bneg)
		b++, blen--;
	while (alen > 1 && a[0] == '0')
		a++, alen--;
	while (blen > 1 && b[0] == '0')
		b++, blen--;
	/* -0 is 0 */
	if (alen == 1 && a[0] == '0')
		aneg = false;
	if (blen == 1 && b[0] == '0')
		bneg = false;
	if (aneg != bneg)
		return aneg ? -1 : 1;
	c = (alen > blen) - (alen < blen);
	if (c == 0)
		c = memcmp(a, b, alen);
	return aneg ? -c : c;
}

/* Two records' keys (their values as sent, after their lengths), by value. */
static int
record_key_cmp(const DiffRecord *a, const DiffRecord *b, int nkeys)
{
	const char *p = a->keytext.data;
	const char *q = b->keytext.data;

	for (int k = 0; k < nkeys; k++)
	{
		int			plen;
		int			qlen;
		int			c;

		memcpy(&plen, p, sizeof(int));
		memcpy(&qlen, q, sizeof(int));
		c = integer_cmp(p + sizeof(int), plen, q + sizeof(int), qlen);
		if (c != 0)
			return c;
		p += sizeof(int) + plen;
		q += sizeof(int) + qlen;
	}
	return 0;
}

pg_noreturn static void
bad_key(const DiffSide *side, int i, const char *why)
{
	const DsEncodeRow *row = &side->src->row;
	/* The server's bytes, shown only as far as they are valid UTF-8. */
	int			shown = pg_encoding_verifymbstr(PG_UTF8, row->values[i], Min(row->lengths[i], 40));

	ereport(ERROR,
			(errcode(ERRCODE_PROTOCOL_VIOLATION),
			 errmsg("the %s store \"%s\" sent a key %s", side->what, side->store, why),
			 errdetail("Row " UINT64_FORMAT " has \"%s\" = \"%.*s\".", side->src->rownum,
					   row->columns[i], shown, row->values[i]),
			 errhint("Set options->'sort' of ds_diff to true to sort the rows here.")));
}

/*
 * A side read in key order: the row the merge takes next (head), read
 * ahead of the one it took last (taken), so that a key the side has twice
 * is seen before its first row is compared.
 */
typedef struct OrderedSide
{
	DiffSide   *side;
	DiffRecord	recs[2];
	DiffRecord *head;
	DiffRecord *taken;
	bool		have_head;
	bool		have_taken;
} OrderedSide;

/*
 * Reads the side's next row with a key of integers into head, checked to
 * be in order after taken; rows with a NULL in the key go to the side's
 * sort.  False at the end.
 */
static bool
read_head(OrderedSide *os, ArrayType *key, bool summary)
{
	DiffSide   *side = os->side;

	for (;;)
	{
		const DsEncodeRow *row;
		bool		null_key = false;

		if (!diff_side_next(side, key))
			return false;
		row = &side->src->row;
		for (int k = 0; k < side->nkeys; k++)
			null_key |= row->kinds[side->keycols[k]] == DS_PARAM_NULL;
		diff_side_record(side, os->head, summary);
		if (null_key)
		{
			diff_sorted_put(side, os->head);
			continue;
		}
		resetStringInfo(&os->head->keytext);
		for (int k = 0; k < side->nkeys; k++)
		{
			int			i = side->keycols[k];

			if (!integer_text(row->values[i], row->lengths[i]))
				bad_key(side, i, "that is not an integer");
			appendBinaryStringInfo(&os->head->keytext, (const char *) &row->lengths[i], sizeof(int));
			appendBinaryStringInfo(&os->head->keytext, row->values[i], row->lengths[i]);
		}
		if (os->have_taken && record_key_cmp(os->taken, os->head, side->nkeys) > 0)
			bad_key(side, side->keycols[0], "out of order");
		ds_progress_add(0, os->head->canon.len);
		return true;
	}
}

static void
ordered_open(OrderedSide *os, DiffSide *side, ArrayType *key, bool summary)
{
	os->side = side;
	diff_record_init(&os->recs[0]);
	diff_record_init(&os->recs[1]);
	os->head = &os->recs[0];
	os->taken = &os->recs[1];
	os->have_taken = false;
	diff_side_open(side);
	os->have_head = read_head(os, key, summary);
}

/* Takes the head if its key is the one given (NULL: any): then it is taken. */
static bool
take(OrderedSide *os, const DiffRecord *key_of, ArrayType *key, bool summary)
{
	DiffRecord *r;

	if (!os->have_head ||
		(key_of && record_key_cmp(os->head, key_of, os->side->nkeys) != 0))
		return false;
	r = os->taken;
	os->taken = os->head;
	os->head = r;
	os->have_taken = true;
	os->have_head = read_head(os, key, summary);
	return true;
}

/* Is the head of the same key as what was just taken? */
static bool
head_repeats(const OrderedSide *os)
{
	return os->have_head && record_key_cmp(os->head, os->taken, os->side->nkeys) == 0;
}

void
diff_ordered_run(DiffSide *source, DiffSide *target, ArrayType *key, DiffOutput *out)
{
	OrderedSide s;
	OrderedSide t;
	DiffRecord	group;

	diff_record_init(&group);
	ordered_open(&s, source, key, out->summary);
	ordered_open(&t, target, key, out->summary);
	while (s.have_head || t.have_head)
	{
		int			c = !s.have_head ? 1 : !t.have_head ? -1 :
			record_key_cmp(s.head, t.head, source->nkeys);
		bool		have_s = c <= 0 && take(&s, NULL, key, out->summary);
		bool		have_t = c >= 0 && take(&t, NULL, key, out->summary);

		/*
		 * A key either side has more than once is left to the sorted path,
		 * with every row of that key on both sides: it pairs them as it
		 * pairs all rows.
		 */
		if ((have_s && head_repeats(&s)) || (have_t && head_repeats(&t)))
		{
			const DiffRecord *of = have_s ? s.taken : t.taken;

			resetStringInfo(&group.keytext);
			appendBinaryStringInfo(&group.keytext, of->keytext.data, of->keytext.len);
			if (have_s)
				diff_sorted_put(source, s.taken);
			if (have_t)
				diff_sorted_put(target, t.taken);
			while (take(&s, &group, key, out->summary))
				diff_sorted_put(source, s.taken);
			while (take(&t, &group, key, out->summary))
				diff_sorted_put(target, t.taken);
			continue;
		}
		if (have_s && have_t)
		{
			if (s.taken->canon.len == t.taken->canon.len &&
				memcmp(s.taken->canon.data, t.taken->canon.data, s.taken->canon.len) == 0)
				diff_found(out, DIFF_SAME, NULL, NULL, NULL);
			else
			{
				DiffText	k = DIFF_TEXT(s.taken->keyjson);
				DiffText	sr = DIFF_TEXT(s.taken->rowjson);
				DiffText	tr = DIFF_TEXT(t.taken->rowjson);

				diff_found(out, DIFF_CHANGED, &k, &sr, &tr);
			}
		}
		else if (have_s)
		{
			DiffText	k = DIFF_TEXT(s.taken->keyjson);
			DiffText	sr = DIFF_TEXT(s.taken->rowjson);

			diff_found(out, DIFF_MISSING, &k, &sr, NULL);
		}
		else
		{
			DiffText	k = DIFF_TEXT(t.taken->keyjson);
			DiffText	tr = DIFF_TEXT(t.taken->rowjson);

			diff_found(out, DIFF_EXTRA, &k, NULL, &tr);
		}
	}
}
