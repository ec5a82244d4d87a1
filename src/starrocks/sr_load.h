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

/* ---- in sr_modes.c: loads by key (mode upsert, delete, mirror) ---- */

typedef struct SrKeyed SrKeyed;

/*
 * Checks that target (db.table) can take a load in opts' mode (a Primary
 * Key table, or a Unique Key one for upsert; options->'key' its own key; no
 * option that breaks the mode) and returns the load's state.  *src becomes
 * the rows to send (delete: their key and __op 1; mirror: all and __op 0,
 * their keys kept to compare), opts the options to send them with (mirror:
 * a transaction load).  A mirror reads the target's keys here.
 */
extern SrKeyed *ds_sr_keyed_begin(DsPool *pool, const char *target, const char *db,
								  const char *table, DsRowSource **src, SrLoadOptions *opts);

/*
 * Mirror, once the rows are sent: the target's rows whose key they lack,
 * with __op 1, to send in the same transaction; NULL the second time, and
 * for the other modes.  A key twice among the rows is an ERROR.
 */
extern DsRowSource *ds_sr_mirror_deletes(SrKeyed *keyed);

/* Nothing was sent (the label's transaction committed earlier): no counts. */
extern void ds_sr_keyed_unsent(SrKeyed *keyed);

/* The load's result with Mode and the counts StarRocks lets one know. */
extern Jsonb *ds_sr_keyed_result(SrKeyed *keyed, Jsonb *result);

#endif							/* DS_SR_LOAD_H */
