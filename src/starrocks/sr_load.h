/*
 * sr_load.h
 *		A StarRocks load's options (sr_options.c): the ones datastore reads
 *		itself and the stream-load headers it lets through.
 */
#ifndef DS_SR_LOAD_H
#define DS_SR_LOAD_H

#include "core/load.h"
#include "core/pool.h"
#include "core/row_source.h"

typedef enum SrLoadFormat
{
	SR_FORMAT_CSV,
	SR_FORMAT_JSON
} SrLoadFormat;

typedef struct SrLoadOptions
{
	DsLoadOptions base;
	double		max_filter_ratio;
	char	   *label;			/* NULL: generated */
	int			format;			/* SrLoadFormat */
	int64		batch_rows;		/* 0: no limit */
	int64		batch_bytes;
	bool		transaction;	/* tied to the local transaction */
	bool		waive_label_guarantee;
	bool		merge_commit;	/* enable_merge_commit asked for */
	List	   *headers;		/* the passed headers, "name: value" */
} SrLoadOptions;

extern const DsOptionDef ds_sr_load_options[];

/* The most bytes of JSON one load carries unless told (StarRocks: 100 MB). */
#define DS_SR_JSON_BATCH_BYTES (64 * 1024 * 1024)

/* Does headers ("name: value") hold name, in any letter case? */
extern bool ds_sr_has_header(List *headers, const char *name);

/* DsOptionOther: a key the table lacks is a stream-load header, or an ERROR. */
extern bool ds_sr_header_option(void *opts, JsonbValue *key, JsonbValue *value);

/*
 * The headers of every request of this load (the passed ones, the format's,
 * the columns of src), with its label checked or generated into *label.
 */
extern List *ds_sr_load_headers(DsPool *pool, DsRowSource *src,
								const SrLoadOptions *opts, char **label);

#endif							/* DS_SR_LOAD_H */
