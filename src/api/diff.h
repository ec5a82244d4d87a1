/*
 * diff.h
 *		The parts of ds_diff: each side's rows in canonical form (diff.c),
 *		read into sorts and merged (diff_sorted.c), or read in key order from
 *		both stores at once and merged as they come (diff_ordered.c).
 */
#ifndef DS_DIFF_H
#define DS_DIFF_H

#include "common/cryptohash.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/tuplesort.h"

#include "registry/registry.h"

/*
 * One row as the merges compare and show it: canonical bytes of its key
 * and of its columns, and (unless a summary) their JSON text.  The ordered
 * reads also keep the key's values as sent, each after its length.  The
 * buffers are reused from row to row.
 */
typedef struct DiffRecord
{
	StringInfoData key;
	StringInfoData canon;
	StringInfoData keyjson;
	StringInfoData rowjson;
	StringInfoData keytext;
} DiffRecord;

typedef struct DiffSide
{
	const char *store;
	const char *query;			/* as sent: the ordered reads wrap the user's */
	const char *what;			/* "source" or "target", for messages */
	const DsStoreRoutine *kind;
	DsPool	   *pool;
	DsRowSource *src;			/* NULL until opened, and once closed */

	/* From the first row: the key's columns, and the columns by name. */
	int		   *keycols;
	int			nkeys;
	int		   *byname;
	uint32	   *namelen;
	MemoryContext rowcxt;		/* what a row's canonical forms allocate */

	/* The sorted run: every row, or those the ordered reads leave to it. */
	Tuplesortstate *sort;
	pg_cryptohash_ctx *sha;
	StringInfoData packed;
} DiffSide;

/* Bytes of JSON text, in a row's packed form or a buffer. */
typedef struct DiffText
{
	const char *data;
	uint32		len;
} DiffText;

#define DIFF_TEXT(buf) ((DiffText) {(buf).data, (uint32) (buf).len})

/* What a key is: the same on both sides, or one of the differences shown. */
typedef enum DiffStatus
{
	DIFF_SAME,
	DIFF_MISSING,				/* only the source has it */
	DIFF_EXTRA,					/* only the target has it */
	DIFF_CHANGED				/* both have it, with other values */
} DiffStatus;

/* What the merge found, and where the rows shown go. */
typedef struct DiffOutput
{
	ReturnSetInfo *rsinfo;
	bool		summary;
	MemoryContext cxt;			/* of a row shown, reset after it */
	int64		missing;
	int64		extra;
	int64		changed;
	int64		same;
} DiffOutput;

/* Opens side's store and sends its query. */
extern void diff_side_open(DiffSide *side);

/*
 * The side's next row, or false (its row source closed).  The first row
 * finds the key's columns (ERROR naming what lacks one).
 */
extern bool diff_side_next(DiffSide *side, ArrayType *key);

/* Makes a record's buffers, in the current memory context. */
extern void diff_record_init(DiffRecord *rec);

/* The side's current row into rec: its canonical forms, and JSON unless summary. */
extern void diff_side_record(DiffSide *side, DiffRecord *rec, bool summary);

/*
 * Counts one key and, unless it is the same or this is a summary, shows it:
 * the JSON texts of its key and of the rows the status says each side has.
 * The texts are only read when shown (a summary passes NULLs).
 */
extern void diff_found(DiffOutput *out, DiffStatus status, const DiffText *key,
					   const DiffText *srcrow, const DiffText *tgtrow);

/* A record into the side's sort (begun on the first). */
extern void diff_sorted_put(DiffSide *side, const DiffRecord *rec);

/* Every row of an open side into its sort. */
extern void diff_sorted_read(DiffSide *side, ArrayType *key, bool summary);

/* Sorts both sides' runs (those that have one) and merges them into out. */
extern void diff_sorted_merge(DiffSide *source, DiffSide *target, DiffOutput *out);

/*
 * Whether both sides can be read in key order at once: two connections,
 * and every key column an integer on both sides, as their stores describe
 * the queries (the ones sent are then wrapped in ORDER BY the key).
 */
extern bool diff_ordered_possible(DiffSide *source, DiffSide *target, ArrayType *key);

/* Reads both sides at once, merging as the rows come. */
extern void diff_ordered_run(DiffSide *source, DiffSide *target, ArrayType *key,
							 DiffOutput *out);

#endif							/* DS_DIFF_H */
