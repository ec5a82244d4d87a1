/*
 * settings.c
 *		The datastore.* settings of the shared core (each store kind defines
 *		its own from its routine's init).
 */
#include "postgres.h"

#include "utils/guc.h"

#include "core/curl_api.h"
#include "core/settings.h"

int			ds_connect_timeout = 10;
int			ds_health_check_interval = 30;
int			ds_idle_timeout = 300;
int			ds_cancel_timeout = 5;
int			ds_load_batch_kb = 16384;
int			ds_http_timeout = 3600;
int			ds_http_max_response_kb = 8192;

void
ds_settings_define(void)
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
	ds_curl_define_library();
}
