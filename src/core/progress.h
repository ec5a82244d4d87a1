/*
 * progress.h
 *		Running totals of long datastore calls, visible to other sessions
 *		through ds_progress() and to this one through NOTICEs.
 *
 * The SQL-callable functions bracket their work with begin/end; the row
 * sources, encoders and result loops report with ds_progress_add().  Calls
 * may nest (a load's source query that calls ds_query): the innermost one
 * is what runs right now, so it gets the counts and the shared slot, and the
 * outer one is shown again when it ends.  An ERROR ends every call begun in
 * the aborted (sub)transaction, so no slot outlives its work.
 */
#ifndef DS_PROGRESS_H
#define DS_PROGRESS_H

typedef enum DsProgressKind
{
	DS_PROGRESS_QUERY,
	DS_PROGRESS_EXEC,
	DS_PROGRESS_HTTP_QUERY,
	DS_PROGRESS_STREAM_LOAD,
	DS_PROGRESS_STREAM_LOAD_QUERY,
	DS_PROGRESS_SYNC
} DsProgressKind;

/* datastore.progress_notice_rows: a NOTICE every that many rows; 0 = off. */
extern int	ds_progress_notice_rows;

/* From _PG_init: shared memory when preloaded, and the abort callbacks. */
extern void ds_progress_init(void);

/* target and label may be NULL. */
extern void ds_progress_begin(DsProgressKind kind, const char *store,
							  const char *target, const char *label);
extern void ds_progress_set_label(const char *label);
extern void ds_progress_end(void);

/*
 * The hot path, called per row or per batch: cheap when nothing is running
 * (it does nothing) and otherwise a few stores.  Must be called from
 * backend code, never from inside a client library's callback, since it may
 * emit a NOTICE.
 */
extern void ds_progress_add(int64 rows, int64 bytes);

/* From _PG_init: defines datastore.progress_notice_rows. */
extern void ds_progress_define_settings(void);

#endif							/* DS_PROGRESS_H */
