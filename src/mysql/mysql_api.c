/*
 * mysql_api.c
 *		The MySQL/MariaDB client library, loaded on first use.
 *
 * The versioned soname comes first: the unversioned one exists only with
 * the -dev package.  The calls are made through MariaDB Connector/C's ABI,
 * including its non-blocking API that keeps every wait interruptible.
 * Oracle's libmysqlclient has neither that API nor the same struct layouts,
 * so a candidate that lacks a symbol is refused with the reason, and the
 * next one is tried.
 */
#include "postgres.h"

#include <dlfcn.h>

#include "core/dynload.h"
#include "mysql/mysql_api.h"

static DsMysqlApi api;

static bool
accept_mysql(void *handle, const char *name, StringInfo why)
{
	DsMysqlApi	candidate;
	const char *missing = NULL;

#define DS_MYSQL_FN_LOAD(ret, fname, args) \
	if (missing == NULL && \
		(candidate.fname = (ret (*) args) dlsym(handle, #fname)) == NULL) \
		missing = #fname;
	DS_MYSQL_FUNCTIONS(DS_MYSQL_FN_LOAD)
#undef DS_MYSQL_FN_LOAD

	if (missing != NULL)
	{
		appendStringInfo(why, "\n  %s: loaded, but it has no %s (not MariaDB Connector/C 3.x)",
						 name, missing);
		return false;
	}
	if (candidate.mysql_get_client_version() < 30000)
	{
		appendStringInfo(why, "\n  %s: client version %lu is older than MariaDB Connector/C 3.0",
						 name, candidate.mysql_get_client_version());
		return false;
	}
	/* Optional: found when the library is built with OpenSSL. */
	candidate.tls_clear_errors = (void (*) (void)) dlsym(handle, "ERR_clear_error");
	api = candidate;
	return true;
}

static DsLibrary library = {
	.driver = "mysql",
	.what = "the MySQL client library",
	.setting = "datastore.mysql_client_library",
	.description = "Client libraries to try, in order, for mysql and starrocks stores.",
	.candidates = "libmariadb.so.3, libmysqlclient.so.21, libmariadb.so, libmysqlclient.so",
	.hint = "Install the Debian package libmariadb3 (apt-get install libmariadb3), or point datastore.mysql_client_library at MariaDB Connector/C.",
	.accept = accept_mysql,
};

const DsMysqlApi *
ds_mysql_api(void)
{
	ds_library_load(&library);
	return &api;
}

void
ds_mysql_define_library(void)
{
	ds_library_define(&library);
}
