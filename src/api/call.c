/*
 * call.c
 *		The frame every ds_* function works in (see call.h).
 */
#include "postgres.h"

#include "access/xact.h"
#include "utils/builtins.h"
#include "utils/resowner.h"

#include "api/call.h"

/* Says which store a failing statement ran on. */
static void
store_error_context(void *arg)
{
	errcontext("datastore \"%s\"", (const char *) arg);
}

static void
push_context(DsCall *call, const char *name)
{
	memset(call, 0, sizeof(*call));
	call->name = name;
	call->errcb.callback = store_error_context;
	call->errcb.arg = (void *) name;
	call->errcb.previous = error_context_stack;
	error_context_stack = &call->errcb;
}

void
ds_call_open(DsCall *call, const char *name)
{
	push_context(call, name);
	call->pool = ds_open_store(name, &call->routine);
}

void
ds_call_begin(DsCall *call, const char *name, DsProgressKind kind, const char *target)
{
	push_context(call, name);
	ds_progress_begin(kind, name, target, NULL);
	call->progress = true;
	call->pool = ds_open_store(name, &call->routine);
}

void
ds_call_end(DsCall *call)
{
	if (call->progress)
		ds_progress_end();
	error_context_stack = call->errcb.previous;
}

void
ds_call_require(const DsCall *call, size_t callback, const char *what)
{
	if (!ds_routine_has(call->routine, callback))
		ds_routine_missing(call->routine, call->name, what, callback);
}

void
ds_arg_require(FunctionCallInfo fcinfo, int argno, const char *fname, const char *what)
{
	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s: %s must not be NULL", fname, what)));
}

char *
ds_arg_text(FunctionCallInfo fcinfo, int argno, const char *fname, const char *what)
{
	ds_arg_require(fcinfo, argno, fname, what);
	return text_to_cstring(PG_GETARG_TEXT_PP(argno));
}

Jsonb *
ds_arg_jsonb(FunctionCallInfo fcinfo, int argno)
{
	return PG_ARGISNULL(argno) ? NULL : PG_GETARG_JSONB_P(argno);
}

ErrorData *
ds_call_trapped(void (*fn) (void *arg), void *arg)
{
	MemoryContext cxt = CurrentMemoryContext;
	ResourceOwner owner = CurrentResourceOwner;
	ErrorData  *volatile edata = NULL;

	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(cxt);
	PG_TRY();
	{
		fn(arg);
		ReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(cxt);
		CurrentResourceOwner = owner;
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		FlushErrorState();
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(cxt);
		CurrentResourceOwner = owner;
	}
	PG_END_TRY();
	return edata;
}
