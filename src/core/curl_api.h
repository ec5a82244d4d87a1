/*
 * curl_api.h
 *		libcurl, loaded with dlopen() on first use of an HTTP endpoint.
 */
#ifndef DS_CURL_API_H
#define DS_CURL_API_H

/* Its type-checking macros would rewrite our api->curl_easy_setopt(...). */
#define CURL_DISABLE_TYPECHECK
#include <curl/curl.h>

#define DS_CURL_FUNCTIONS(X) \
	X(curl_version_info_data *, curl_version_info, (CURLversion)) \
	X(CURL *, curl_easy_init, (void)) \
	X(CURLcode, curl_easy_setopt, (CURL *, CURLoption, ...)) \
	X(CURLcode, curl_easy_getinfo, (CURL *, CURLINFO, ...)) \
	X(void, curl_easy_reset, (CURL *)) \
	X(void, curl_easy_cleanup, (CURL *)) \
	X(CURLcode, curl_easy_pause, (CURL *, int)) \
	X(const char *, curl_easy_strerror, (CURLcode)) \
	X(CURLM *, curl_multi_init, (void)) \
	X(CURLMcode, curl_multi_add_handle, (CURLM *, CURL *)) \
	X(CURLMcode, curl_multi_remove_handle, (CURLM *, CURL *)) \
	X(CURLMcode, curl_multi_perform, (CURLM *, int *)) \
	X(CURLMcode, curl_multi_fdset, (CURLM *, fd_set *, fd_set *, fd_set *, int *)) \
	X(CURLMcode, curl_multi_timeout, (CURLM *, long *)) \
	X(CURLMsg *, curl_multi_info_read, (CURLM *, int *)) \
	X(CURLMcode, curl_multi_cleanup, (CURLM *)) \
	X(struct curl_slist *, curl_slist_append, (struct curl_slist *, const char *)) \
	X(void, curl_slist_free_all, (struct curl_slist *)) \
	X(CURLU *, curl_url, (void)) \
	X(void, curl_url_cleanup, (CURLU *)) \
	X(CURLUcode, curl_url_set, (CURLU *, CURLUPart, const char *, unsigned int)) \
	X(CURLUcode, curl_url_get, (const CURLU *, CURLUPart, char **, unsigned int)) \
	X(void, curl_free, (void *))

#define DS_CURL_FN_FIELD(ret, name, args) ret (*name) args;

typedef struct DsCurlApi
{
DS_CURL_FUNCTIONS(DS_CURL_FN_FIELD)
} DsCurlApi;

/* Loads libcurl on first call; ERROR if no candidate can be used. */
extern const DsCurlApi *ds_curl_api(void);

/* From _PG_init: defines datastore.curl_library. */
extern void ds_curl_define_library(void);

#endif							/* DS_CURL_API_H */
