/*
 * curl_api.c
 *		libcurl, loaded on first use, like the MySQL client library.
 */
#include "postgres.h"

#include <dlfcn.h>

#include "curl_api.h"
#include "dynload.h"

char	   *ds_curl_library_names = NULL;

static DsCurlApi api;
static char *loaded_path = NULL;

static bool
accept_curl(void *handle, const char *name, StringInfo why, void *arg)
{
	DsCurlApi	candidate;
	const char *missing = NULL;
	curl_version_info_data *info;

#define DS_CURL_FN_LOAD(ret, fname, args) \
	if (missing == NULL && \
		(candidate.fname = (ret (*) args) dlsym(handle, #fname)) == NULL) \
		missing = #fname;
	DS_CURL_FUNCTIONS(DS_CURL_FN_LOAD)
#undef DS_CURL_FN_LOAD

	if (missing != NULL)
	{
		appendStringInfo(why, "\n  %s: loaded, but it has no %s", name, missing);
		return false;
	}
	/* CURLOPT_PROTOCOLS_STR, which keeps transfers to http/https, is 7.85+. */
	info = candidate.curl_version_info(CURLVERSION_NOW);
	if (info == NULL || info->version_num < 0x075500)
	{
		appendStringInfo(why, "\n  %s: libcurl %s is older than 7.85.0", name,
						 info ? info->version : "?");
		return false;
	}
	api = candidate;
	return true;
}

const DsCurlApi *
ds_curl_api(void)
{
	if (loaded_path == NULL)
		loaded_path = ds_load_library("libcurl", ds_curl_library_names,
									  "datastore.curl_library", accept_curl, NULL,
									  "Install the Debian package libcurl4 (apt-get install libcurl4).");
	return &api;
}

const char *
ds_curl_loaded_library(void)
{
	return loaded_path;
}
