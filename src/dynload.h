/*
 * dynload.h
 *		Loading a client library with dlopen() on first use.
 */
#ifndef DS_DYNLOAD_H
#define DS_DYNLOAD_H

#include "lib/stringinfo.h"

/*
 * Accepts or refuses a loaded candidate (filling the caller's function
 * table); on refusal appends the reason to why.
 */
typedef bool (*DsLibAccept) (void *handle, const char *name, StringInfo why, void *arg);

/*
 * Tries each name of the comma-separated list in turn.  Returns the path of
 * the file that was mapped (in TopMemoryContext); if none can be used,
 * ERRORs naming the library, each candidate with its reason, and the hint.
 */
extern char *ds_load_library(const char *what, const char *names, const char *setting,
							 DsLibAccept accept, void *arg, const char *hint);

#endif							/* DS_DYNLOAD_H */
