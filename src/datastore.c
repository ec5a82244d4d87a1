/*
 * datastore.c
 *		Module entry point and the datastore.* settings.
 *
 * Loading the library must stay cheap and must not touch any client
 * library: drivers are loaded on first use of a store that needs them.
 * That holds in shared_preload_libraries too, where the library is loaded
 * into the postmaster to set up the shared memory of ds_progress().
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/guc.h"

#include "curl_api.h"
#include "datastore.h"
#include "mysql_api.h"
#include "pq_api.h"
#include "progress.h"

PG_MODULE_MAGIC;

int			ds_connect_timeout = 10;
int			ds_health_check_interval = 30;
int			ds_idle_timeout = 300;
int			ds_cancel_timeout = 5;
int			ds_load_batch_kb = 16384;
int			ds_http_timeout = 3600;
int			ds_http_max_response_kb = 8192;

void		_PG_init(void);

void
_PG_init(void)
{
	DefineCustomIntVariable("datastore.connect_timeout",
							"Seconds to wait for a connection to a remote store.",
							NULL, &ds_connect_timeout, 10, 1, 3600,
							PGC_USERSET, GUC_UNIT_S, NULL, NULL, NULL);
	DefineCustomIntVariable("datastore.health_check_interval",
							"Idle time after which a pooled connection is pinged before reuse.",
							"0 pings before every reuse.",
							&ds_health_check_interval, 30, 0, 86400,
							PGC_USERSET, GUC_UNIT_S, NULL, NULL, NULL);
	DefineCustomIntVariable("datastore.idle_timeout",
							"Idle time after which connections above min_connections are closed.",
							NULL, &ds_idle_timeout, 300, 0, 86400,
							PGC_USERSET, GUC_UNIT_S, NULL, NULL, NULL);
	DefineCustomIntVariable("datastore.cancel_timeout",
							"Seconds allowed for stopping an abandoned remote statement.",
							NULL, &ds_cancel_timeout, 5, 1, 300,
							PGC_USERSET, GUC_UNIT_S, NULL, NULL, NULL);
	DefineCustomIntVariable("datastore.load_batch_size",
							"Bytes of encoded rows sent per bulk-load statement.",
							"Bounds the memory a load uses, whatever the row count.",
							&ds_load_batch_kb, 16384, 64, 1048576,
							PGC_USERSET, GUC_UNIT_KB, NULL, NULL, NULL);
	DefineCustomStringVariable("datastore.mysql_client_library",
							   "Client libraries to try, in order, for mysql and starrocks stores.",
							   "Names for dlopen(), or absolute paths, separated by commas.",
							   &ds_mysql_library_names,
							   "libmariadb.so.3, libmysqlclient.so.21, libmariadb.so, libmysqlclient.so",
							   PGC_SUSET, 0, NULL, NULL, NULL);
	DefineCustomStringVariable("datastore.libpq_library",
							   "libpq builds to try, in order, for remote postgres stores.",
							   "Names for dlopen(), or absolute paths, separated by commas.",
							   &ds_pq_library_names,
							   "libpq.so.5, libpq.so",
							   PGC_SUSET, 0, NULL, NULL, NULL);
	DefineCustomIntVariable("datastore.http_timeout",
							"Seconds an HTTP request (a stream load, an HTTP SQL query) may take in all.",
							"0 means no limit.",
							&ds_http_timeout, 3600, 0, 86400 * 7,
							PGC_USERSET, GUC_UNIT_S, NULL, NULL, NULL);
	DefineCustomIntVariable("datastore.http_max_response_size",
							"Largest HTTP answer a store may send, and longest line of a streamed one.",
							"Bounds what a server can make this backend hold; the streamed rows of ds_http_query are bounded per line.",
							&ds_http_max_response_kb, 8192, 64, 1048576,
							PGC_USERSET, GUC_UNIT_KB, NULL, NULL, NULL);
	DefineCustomStringVariable("datastore.curl_library",
							   "libcurl builds to try, in order, for HTTP endpoints.",
							   "Names for dlopen(), or absolute paths, separated by commas.",
							   &ds_curl_library_names,
							   "libcurl.so.4, libcurl-gnutls.so.4, libcurl.so",
							   PGC_SUSET, 0, NULL, NULL, NULL);
	DefineCustomIntVariable("datastore.progress_notice_rows",
							"Rows between NOTICEs with the running totals of a datastore call.",
							"0 turns the NOTICEs off.",
							&ds_progress_notice_rows, 0, 0, INT_MAX,
							PGC_USERSET, 0, NULL, NULL, NULL);
	MarkGUCPrefixReserved("datastore");
	/* Shared memory for ds_progress() exists only when preloaded. */
	ds_progress_init();
}
