/*
 * load.h
 *		What every store kind's bulk path shares: the options every load has
 *		(and the table each kind describes its own with), and the result,
 *		which has the keys of a StarRocks stream-load response whatever the
 *		store.
 */
#ifndef DS_LOAD_H
#define DS_LOAD_H

#include "core/compat.h"
#include "nodes/pg_list.h"
#include "utils/jsonb.h"

/*
 * The options of one load, as the target's kind read them from its table:
 * a kind's own options struct begins with this one.
 */
typedef struct DsLoadOptions
{
	List	   *columns;		/* NIL: from the data */
	Jsonb	   *raw;			/* everything as given (NULL: none) */
	int			mode;			/* DsLoadMode */
	List	   *key;			/* names; NIL: the target's primary key */
	bool		has_max_delete; /* a mirror deletes at most max_delete rows */
	int64		max_delete;
} DsLoadOptions;

/*
 * What a load does with its rows (options->'mode', every kind): append
 * them; upsert them by key; delete the target's rows with their keys; or
 * make the target hold exactly them (mirror: upsert, then delete the
 * target's rows whose keys are not among them).
 */
typedef enum DsLoadMode
{
	DS_MODE_APPEND,
	DS_MODE_UPSERT,
	DS_MODE_DELETE,
	DS_MODE_MIRROR
} DsLoadMode;

extern const char *const ds_load_mode_names[];

/* How a load option's value is read (and where it goes). */
typedef enum DsOptionType
{
	DS_OPT_COLUMNS,				/* an array of names or a comma list: columns */
	DS_OPT_BOOL,				/* true or false (bool) */
	DS_OPT_FLAG,				/* true or false, or "true"/"false" (bool) */
	DS_OPT_TEXT,				/* a string (char *) */
	DS_OPT_SCALAR,				/* a string, number or boolean, as text (char *) */
	DS_OPT_CHOICE,				/* one of choices, as text (int: its index) */
	DS_OPT_COUNT,				/* a positive integer, as text (int64) */
	DS_OPT_RATIO,				/* a number from 0 to 1 (double) */
	DS_OPT_NO_FILTER			/* max_filter_ratio where no row can be left out: 0 only */
} DsOptionType;

typedef struct DsOptionDef
{
	const char *name;
	DsOptionType type;
	size_t		offset;			/* into the kind's options struct */
	const char *message;		/* the ERROR for a value of the wrong form */
	const char *hint;			/* its HINT (DS_OPT_NO_FILTER: the DETAIL) */
	const char *const *choices; /* DS_OPT_CHOICE, NULL-terminated */
	bool		nocase;			/* DS_OPT_CHOICE: any letter case */
	bool		show_value;		/* the message ends in the value given */
	const char *requires;		/* a DS_OPT_FLAG/BOOL this (text) one needs set */
	const char *requires_hint;
} DsOptionDef;

/*
 * A key the table does not name: the kind takes it (true) or it is an
 * unknown option (false).  text is the value as a scalar's text, or NULL.
 */
typedef bool (*DsOptionOther) (void *opts, JsonbValue *key, JsonbValue *value);

/* A scalar jsonb value as text (containers and null: NULL). */
extern char *ds_option_text(JsonbValue *v);

/* Same keys as a StarRocks stream-load response. */
typedef struct DsLoadResult
{
	const char *status;
	int64		total;
	int64		loaded;
	int64		filtered;
	int64		bytes;
	int64		time_ms;
	const char *message;
} DsLoadResult;

extern Jsonb *ds_load_result_jsonb(const DsLoadResult *r);

/* A result with one more key (NumberMergedRows, Format...). */
extern Jsonb *ds_load_result_with(Jsonb *result, const char *key, JsonbValue *v);

/*
 * A result of a load in a mode other than append: Mode and the rows
 * inserted, updated and deleted (a negative count: the server cannot tell,
 * and the key is left out).
 */
extern Jsonb *ds_load_result_changes(Jsonb *result, int mode, int64 inserted,
									 int64 updated, int64 deleted);

/*
 * ERROR naming target when a name of key is not among cols (ncols names):
 * a load by key must carry every key column.
 */
extern void ds_load_require_key_columns(List *key, int ncols, char **cols, const char *target);

/* ERROR: a mode other than append needs a key and target has none. */
pg_noreturn extern void ds_load_no_key(const char *store, const char *target, int mode);

/*
 * ERROR if a mirror would delete more of the target's rows than
 * options->'max_delete' allows (the kind calls it before it commits, so
 * that the ERROR leaves the target as it was).  exact: deleted is the
 * count; else at least that many would go (StarRocks, which finds them
 * while it sends).
 */
extern void ds_load_check_deletes(const DsLoadOptions *opts, int64 deleted, bool exact,
								  const char *store, const char *target);

/* A load that failed: ERROR with the result in the detail. */
pg_noreturn extern void ds_load_failed(const char *store, const char *target,
									   const DsLoadResult *r);

#endif							/* DS_LOAD_H */
