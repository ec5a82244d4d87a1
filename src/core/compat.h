/*
 * compat.h
 *		The PostgreSQL APIs that changed between the supported majors (15 to
 *		18), each guarded at the major where upstream changed it, so that one
 *		source tree builds against all of them.  The code is written the way
 *		the newest major spells it; this header makes the older ones agree.
 */
#ifndef DS_COMPAT_H
#define DS_COMPAT_H

/* 18 replaced pg_attribute_noreturn() (after a declaration) by pg_noreturn (before). */
#ifndef pg_noreturn
#define pg_noreturn pg_attribute_noreturn()
#endif

/*
 * 16: the JSON parser's semantic actions return JsonParseErrorType (the
 * parser reads that value, so a void action would stop it at random).
 */
#if PG_VERSION_NUM >= 160000
#define DS_JSON_ACTION JsonParseErrorType
#define DS_JSON_ACTION_DONE return JSON_SUCCESS
#else
#define DS_JSON_ACTION void
#define DS_JSON_ACTION_DONE return
#endif

/* 17: makeJsonLexContextCstringLen() takes a context to fill (NULL: a new one). */
#if PG_VERSION_NUM >= 170000
#define ds_json_lex_context(json, len, encoding) \
	makeJsonLexContextCstringLen(NULL, (json), (len), (encoding), true)
#else
#define ds_json_lex_context(json, len, encoding) \
	makeJsonLexContextCstringLen((char *) (json), (len), (encoding), true)
#endif

/* 16: stringToQualifiedNameList() reports soft errors through an escontext. */
#if PG_VERSION_NUM >= 160000
#define ds_qualified_name_list(s) stringToQualifiedNameList((s), NULL)
#else
#define ds_qualified_name_list(s) stringToQualifiedNameList(s)
#endif

/* 17: backends are numbered by ProcNumber (from 0), no longer BackendId (from 1). */
#if PG_VERSION_NUM >= 170000
#define DS_MY_BACKEND_INDEX ((int) MyProcNumber)
#else
#define DS_MY_BACKEND_INDEX ((int) MyBackendId - 1)
#endif

/*
 * 16: type input functions can report bad input as soft errors, into an
 * ErrorSaveContext.  Before, ds_input_safe() is only for input the caller
 * knows to be valid (it ERRORs).
 */
#ifndef FRONTEND
#include "fmgr.h"
#if PG_VERSION_NUM >= 160000
#include "nodes/miscnodes.h"
static inline bool
ds_input_safe(PGFunction fn, char *text, Datum *result)
{
	ErrorSaveContext escontext = {.type = T_ErrorSaveContext};

	return DirectInputFunctionCallSafe(fn, text, InvalidOid, -1, (Node *) &escontext, result);
}
#else
static inline bool
ds_input_safe(PGFunction fn, char *text, Datum *result)
{
	*result = DirectFunctionCall3(fn, CStringGetDatum(text), ObjectIdGetDatum(InvalidOid),
								  Int32GetDatum(-1));
	return true;
}
#endif
#endif							/* !FRONTEND */

/* 16: tuplesort_getdatum() copies a by-reference datum only when told to. */
#if PG_VERSION_NUM >= 160000
#define ds_tuplesort_getdatum(state, val, isnull) \
	tuplesort_getdatum((state), true, true, (val), (isnull), NULL)
#else
#define ds_tuplesort_getdatum(state, val, isnull) \
	tuplesort_getdatum((state), true, (val), (isnull), NULL)
#endif

#endif							/* DS_COMPAT_H */
