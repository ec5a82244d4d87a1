/*
 * diff_sorted.c
 *		ds_diff by sorting: each side's rows into a tuplesort under their
 *		canonical key (work_mem for any row count, the rest in temporary
 *		files), then one merge of the two sorted runs.  Every row of a side
 *		read in turn goes here, and the rows with a NULL key of sides read in
 *		key order (their place in ORDER BY differs between kinds).
 */
#include "postgres.h"

#include "core/compat.h"
#include "catalog/pg_operator_d.h"
#include "catalog/pg_type_d.h"
#include "common/sha2.h"
#include "miscadmin.h"

#include "api/diff.h"
#include "core/parts.h"
#include "core/progress.h"

/*
 * One row in the sort, a bytea: the key's canonical bytes, the SHA-256 of
 * the row's, and the key and the row as JSON text, each after a 4-byte
 * big-endian length.  The digest stands for the row's canonical bytes in
 * the comparison (a collision is not to be found, even on purpose), so the
 * sort moves 32 bytes per row for them, not the row again.
 * bytea order compares the key (length first) before anything else, so
 * sorting the whole value sorts by key.
 */
typedef struct SortedRow
{
	bytea	   *packed;
	const char *key;
	uint32		keylen;			/* with its length word: what the merge compares */
	const char *digest;
	uint32		digestlen;
	DiffText	keyjson;
	DiffText	rowjson;
} SortedRow;

static void
unpack(bytea *packed, SortedRow *r)
{
	const char *p = VARDATA_ANY(packed);

	r->packed = packed;
	r->key = p;
	ds_part_get(&p, &r->keylen);
	r->keylen += 4;
	r->digest = ds_part_get(&p, &r->digestlen);
	r->keyjson.data = ds_part_get(&p, &r->keyjson.len);
	r->rowjson.data = ds_part_get(&p, &r->rowjson.len);
}

/* As bytea order compares the keys: bytes, then length. */
static int
key_cmp(const SortedRow *a, const SortedRow *b)
{
	int			c = memcmp(a->key, b->key, Min(a->keylen, b->keylen));

	if (c != 0)
		return c;
	return (a->keylen > b->keylen) - (a->keylen < b->keylen);
}

void
diff_sorted_put(DiffSide *side, const DiffRecord *rec)
{
	StringInfo	buf = &side->packed;
	uint8		digest[PG_SHA256_DIGEST_LENGTH];

	if (side->sort == NULL)
	{
		side->sort = tuplesort_begin_datum(BYTEAOID, ByteaLessOperator, InvalidOid, false,
										   work_mem, NULL, TUPLESORT_NONE);
		side->sha = pg_cryptohash_create(PG_SHA256);
		initStringInfo(buf);
	}
	resetStringInfo(buf);
	/* The bytea's header, filled in below. */
	appendStringInfoSpaces(buf, VARHDRSZ);
	ds_part_put(buf, rec->key.data, rec->key.len);
	/* One update per row: each call into the library costs more than its bytes. */
	if (pg_cryptohash_init(side->sha) < 0 ||
		pg_cryptohash_update(side->sha, (const uint8 *) rec->canon.data, rec->canon.len) < 0 ||
		pg_cryptohash_final(side->sha, digest, sizeof(digest)) < 0)
		elog(ERROR, "could not compute a SHA-256 digest: %s", pg_cryptohash_error(side->sha));
	ds_part_put(buf, (const char *) digest, sizeof(digest));
	ds_part_put(buf, rec->keyjson.data, rec->keyjson.len);
	ds_part_put(buf, rec->rowjson.data, rec->rowjson.len);
	SET_VARSIZE(buf->data, buf->len);
	tuplesort_putdatum(side->sort, PointerGetDatum(buf->data), false);
	ds_progress_add(0, buf->len);
}

void
diff_sorted_read(DiffSide *side, ArrayType *key, bool summary)
{
	DiffRecord	rec;

	diff_record_init(&rec);
	while (diff_side_next(side, key))
	{
		diff_side_record(side, &rec, summary);
		diff_sorted_put(side, &rec);
	}
}

/* The next row of a sorted side, or false; the one before is freed. */
static bool
next_row(DiffSide *side, SortedRow *r)
{
	Datum		d;
	bool		isnull;

	if (r->packed)
		pfree(r->packed);
	r->packed = NULL;
	if (side->sort == NULL || !ds_tuplesort_getdatum(side->sort, &d, &isnull))
		return false;
	unpack(DatumGetByteaPP(d), r);
	return true;
}

void
diff_sorted_merge(DiffSide *source, DiffSide *target, DiffOutput *out)
{
	SortedRow	s = {0};
	SortedRow	t = {0};
	bool		have_s;
	bool		have_t;

	if (source->sort)
		tuplesort_performsort(source->sort);
	if (target->sort)
		tuplesort_performsort(target->sort);
	have_s = next_row(source, &s);
	have_t = next_row(target, &t);
	while (have_s || have_t)
	{
		int			c = !have_s ? 1 : !have_t ? -1 : key_cmp(&s, &t);

		if (c < 0)
			diff_found(out, DIFF_MISSING, &s.keyjson, &s.rowjson, NULL);
		else if (c > 0)
			diff_found(out, DIFF_EXTRA, &t.keyjson, NULL, &t.rowjson);
		else if (s.digestlen != t.digestlen || memcmp(s.digest, t.digest, s.digestlen) != 0)
			diff_found(out, DIFF_CHANGED, &s.keyjson, &s.rowjson, &t.rowjson);
		else
			diff_found(out, DIFF_SAME, NULL, NULL, NULL);
		if (c <= 0)
			have_s = next_row(source, &s);
		if (c >= 0)
			have_t = next_row(target, &t);
		CHECK_FOR_INTERRUPTS();
	}
	if (source->sort)
		tuplesort_end(source->sort);
	if (target->sort)
		tuplesort_end(target->sort);
	source->sort = target->sort = NULL;
	if (source->sha)
		pg_cryptohash_free(source->sha);
	if (target->sha)
		pg_cryptohash_free(target->sha);
	source->sha = target->sha = NULL;
}
