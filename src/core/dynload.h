/*
 * dynload.h
 *		Client libraries loaded with dlopen() on first use, each with the
 *		setting that lists the builds to try.
 */
#ifndef DS_DYNLOAD_H
#define DS_DYNLOAD_H

#include "lib/stringinfo.h"

/*
 * Accepts or refuses a loaded candidate (filling the caller's function
 * table); on refusal appends the reason to why.
 */
typedef bool (*DsLibAccept) (void *handle, const char *name, StringInfo why);

typedef struct DsLibrary
{
	const char *driver;			/* its name in ds_drivers(): "mysql", "libpq" */
	const char *what;			/* in messages: "the MySQL client library" */
	const char *setting;		/* datastore.*_library */
	const char *description;	/* the setting's short description */
	const char *candidates;		/* the setting's default */
	const char *hint;			/* how to install it, when nothing loads */
	DsLibAccept accept;
	char	   *names;			/* the setting's value */
	char	   *loaded;			/* the file mapped, once loaded; else NULL */
	struct DsLibrary *next;
} DsLibrary;

/* From _PG_init: defines lib's setting and lists it for ds_drivers(). */
extern void ds_library_define(DsLibrary *lib);

/*
 * Maps the first candidate of lib->names that accept takes, unless one is
 * mapped already; if none can be used, ERRORs naming each candidate with
 * its reason, and the hint.
 */
extern void ds_library_load(DsLibrary *lib);

/* Every library defined, in the order defined. */
extern const DsLibrary *ds_libraries(void);

#endif							/* DS_DYNLOAD_H */
