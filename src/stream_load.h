/*
 * stream_load.h
 *		ds_stream_load / ds_stream_load_query: options and results shared by
 *		every store's bulk path.
 */
#ifndef DS_STREAM_LOAD_H
#define DS_STREAM_LOAD_H

#include "nodes/pg_list.h"
#include "utils/jsonb.h"

/* options->>'format' of a load into a remote PostgreSQL */
typedef enum DsCopyFormat
{
	DS_COPY_AUTO,				/* binary when every column can, else text */
	DS_COPY_TEXT,
	DS_COPY_BINARY
} DsCopyFormat;

typedef struct DsLoadOptions
{
	List	   *columns;		/* NIL: from the data */
	double		max_filter_ratio;
	bool		replace;		/* MySQL: REPLACE rows with duplicate keys */
	bool		temp_table;		/* remote postgres: load a temp table, then merge */
	char	   *merge;			/* remote postgres: the merge statement, or NULL */
	DsCopyFormat copy_format;	/* remote postgres: COPY's format */
	Jsonb	   *raw;			/* everything as given */
} DsLoadOptions;

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

/* Reads a load's options jsonb (NULL: defaults) for the given store. */
struct DsStore;
extern void ds_load_options_parse(Jsonb *options, const struct DsStore *store,
								  DsLoadOptions *opts);

/* Sends every row of src to the store's bulk path; closes src. */
struct DsPool;
struct DsRowSource;
extern Jsonb *ds_load_rows(struct DsPool *pool, const char *target,
						   struct DsRowSource *src, const DsLoadOptions *opts);

/* A load that failed: ERROR with the result in the detail. */
extern void ds_load_failed(const char *store, const char *target,
						   const DsLoadResult *r) pg_attribute_noreturn();

#endif							/* DS_STREAM_LOAD_H */
