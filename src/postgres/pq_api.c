/*
 * pq_api.c
 *		libpq, loaded on first use.
 *
 * The versioned soname comes first: the unversioned libpq.so exists only
 * with the -dev package.  libpq's ABI has been stable under soname 5 since
 * PostgreSQL 8.x; PQconnectStartParams and PQsetSingleRowMode (9.2) are the
 * newest calls used, so an older build is refused with the missing name.
 */
#include "postgres.h"

#include <dlfcn.h>

#include "core/dynload.h"
#include "postgres/pq_api.h"

static DsPqApi api;

static bool
accept_pq(void *handle, const char *name, StringInfo why)
{
	DsPqApi		candidate;
	const char *missing = NULL;

#define DS_PQ_FN_LOAD(ret, fname, args) \
	if (missing == NULL && \
		(candidate.fname = (ret (*) args) dlsym(handle, #fname)) == NULL) \
		missing = #fname;
	DS_PQ_FUNCTIONS(DS_PQ_FN_LOAD)
#undef DS_PQ_FN_LOAD

	if (missing != NULL)
	{
		appendStringInfo(why, "\n  %s: loaded, but it has no %s (not libpq 9.3 or later)",
						 name, missing);
		return false;
	}
	api = candidate;
	return true;
}

static DsLibrary library = {
	.driver = "libpq",
	.what = "libpq",
	.setting = "datastore.libpq_library",
	.description = "libpq builds to try, in order, for remote postgres stores.",
	.candidates = "libpq.so.5, libpq.so",
	.hint = "Install the Debian package libpq5 (apt-get install libpq5), or point datastore.libpq_library at libpq.so.5.",
	.accept = accept_pq,
};

const DsPqApi *
ds_pq_api(void)
{
	ds_library_load(&library);
	return &api;
}

void
ds_pq_define_library(void)
{
	ds_library_define(&library);
}
