/*
 * call.h
 *		What every SQL-callable function does around its work: read its
 *		arguments, name the store in the CONTEXT of errors, show the call in
 *		ds_progress(), and open the store through the registry.
 */
#ifndef DS_CALL_H
#define DS_CALL_H

#include "fmgr.h"
#include "utils/jsonb.h"

#include "core/progress.h"
#include "registry/registry.h"

typedef struct DsCall
{
	const char *name;			/* the store */
	DsPool	   *pool;
	const DsStoreRoutine *routine;
	bool		progress;		/* ds_progress_begin() was called */
	ErrorContextCallback errcb;
} DsCall;

/* Opens the store, errors naming it from here on. */
extern void ds_call_open(DsCall *call, const char *name);

/* The same, shown in ds_progress() as kind (target may be NULL). */
extern void ds_call_begin(DsCall *call, const char *name, DsProgressKind kind,
						  const char *target);

/* After the work: the progress entry ends, errors no longer name the store. */
extern void ds_call_end(DsCall *call);

/*
 * ERROR unless the store's kind has the callback, given as its offsetof()
 * in DsStoreRoutine (what: "ds_http_query").
 */
extern void ds_call_require(const DsCall *call, size_t callback, const char *what);

/* An argument that must not be NULL, as text; fname and what for the ERROR. */
extern char *ds_arg_text(FunctionCallInfo fcinfo, int argno, const char *fname,
						 const char *what);

/* ERROR if the argument is NULL. */
extern void ds_arg_require(FunctionCallInfo fcinfo, int argno, const char *fname,
						   const char *what);

/*
 * Runs fn(arg) in a subtransaction of its own: NULL if it returned, else
 * its ERROR, the subtransaction rolled back and the caller's memory context
 * and resource owner current again, for the caller to report, or raise
 * with ReThrowError.
 */
extern ErrorData *ds_call_trapped(void (*fn) (void *arg), void *arg);

/* A jsonb argument, NULL if it is NULL. */
extern Jsonb *ds_arg_jsonb(FunctionCallInfo fcinfo, int argno);

#endif							/* DS_CALL_H */
