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
} DsLoadOptions;

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

/* A load that failed: ERROR with the result in the detail. */
pg_noreturn extern void ds_load_failed(const char *store, const char *target,
									   const DsLoadResult *r);

#endif							/* DS_LOAD_H */
