/*
 * curl_api.c
 *		libcurl, loaded on first use, like the MySQL client library.
 */
#include "postgres.h"

#include <dlfcn.h>

#include "core/curl_api.h"
#include "core/dynload.h"

static DsCurlApi api;

static bool
accept_curl(void *handle, const char *name, StringInfo why)
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

static DsLibrary library = {
	.driver = "curl",
	.what = "libcurl",
	.setting = "datastore.curl_library",
	.description = "libcurl builds to try, in order, for HTTP endpoints.",
	.candidates = "libcurl.so.4, libcurl-gnutls.so.4, libcurl.so",
	.hint = "Install the Debian package libcurl4 (apt-get install libcurl4).",
	.accept = accept_curl,
};

const DsCurlApi *
ds_curl_api(void)
{
	ds_library_load(&library);
	return &api;
}

void
ds_curl_define_library(void)
{
	ds_library_define(&library);
}
