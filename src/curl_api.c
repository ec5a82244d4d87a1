/*
 * curl_api.c
 *		Lazy loading of libcurl, like the MySQL client library.
 */
#include "postgres.h"

#include <dlfcn.h>
#include <link.h>

#include "lib/stringinfo.h"
#include "utils/memutils.h"
#include "utils/varlena.h"

#include "curl_api.h"

char	   *ds_curl_library_names = NULL;

static DsCurlApi api;
static bool api_loaded = false;
static char *loaded_path = NULL;

static bool
try_library(const char *name, StringInfo why)
{
	void	   *handle;
	const char *missing = NULL;
	DsCurlApi	candidate;
	curl_version_info_data *info;
	struct link_map *map = NULL;

	dlerror();
	handle = dlopen(name, RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
	if (handle == NULL)
	{
		const char *err = dlerror();

		appendStringInfo(why, "\n  %s: %s", name, err ? err : "unknown dlopen error");
		return false;
	}
#define DS_CURL_FN_LOAD(ret, fname, args) \
	if (missing == NULL && \
		(candidate.fname = (ret (*) args) dlsym(handle, #fname)) == NULL) \
		missing = #fname;
	DS_CURL_FUNCTIONS(DS_CURL_FN_LOAD)
#undef DS_CURL_FN_LOAD
	if (missing != NULL)
	{
		appendStringInfo(why, "\n  %s: loaded, but it has no %s", name, missing);
		dlclose(handle);
		return false;
	}
	/* CURLOPT_PROTOCOLS_STR, which keeps transfers to http/https, is 7.85+. */
	info = candidate.curl_version_info(CURLVERSION_NOW);
	if (info == NULL || info->version_num < 0x075500)
	{
		appendStringInfo(why, "\n  %s: libcurl %s is older than 7.85.0", name,
						 info ? info->version : "?");
		dlclose(handle);
		return false;
	}
	api = candidate;
	if (dlinfo(handle, RTLD_DI_LINKMAP, &map) == 0 && map && map->l_name[0])
		loaded_path = MemoryContextStrdup(TopMemoryContext, map->l_name);
	else
		loaded_path = MemoryContextStrdup(TopMemoryContext, name);
	return true;
}

const DsCurlApi *
ds_curl_api(void)
{
	StringInfoData why;
	char	   *names;
	List	   *candidates = NIL;
	ListCell   *lc;

	if (api_loaded)
		return &api;
	names = pstrdup(ds_curl_library_names ? ds_curl_library_names : "");
	if (!SplitGUCList(names, ',', &candidates) || candidates == NIL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("datastore.curl_library is not a list of library names")));
	initStringInfo(&why);
	foreach(lc, candidates)
	{
		if (try_library(lfirst(lc), &why))
		{
			api_loaded = true;
			return &api;
		}
	}
	ereport(ERROR,
			(errcode(ERRCODE_SYSTEM_ERROR),
			 errmsg("could not load libcurl for datastore"),
			 errdetail("Tried:%s", why.data),
			 errhint("Install the Debian package libcurl4 (apt-get install libcurl4).")));
	pg_unreachable();
}

const char *
ds_curl_loaded_library(void)
{
	return api_loaded ? loaded_path : NULL;
}
