/*
 * mysql_api.c
 *		Lazy loading of the MySQL/MariaDB client library.
 *
 * The versioned soname comes first: the unversioned one exists only with
 * the -dev package.  RTLD_DEEPBIND keeps the library's calls to its own
 * helpers (it has a list_delete, as PostgreSQL has) inside the library.
 *
 * The calls are made through MariaDB Connector/C's ABI, including its
 * non-blocking API that keeps every wait interruptible.  Oracle's
 * libmysqlclient has neither that API nor the same struct layouts, so a
 * candidate that lacks a symbol is refused with the reason, and the next
 * one is tried.
 */
#include "postgres.h"

#include <dlfcn.h>
#include <link.h>

#include "lib/stringinfo.h"
#include "utils/memutils.h"
#include "utils/varlena.h"

#include "mysql_api.h"

char	   *ds_mysql_library_names = NULL;

static DsMysqlApi api;
static bool api_loaded = false;
static char *loaded_path = NULL;

/*
 * Tries one candidate.  On failure returns false with the reason appended
 * to why, and leaves nothing loaded.
 */
static bool
try_library(const char *name, StringInfo why)
{
	void	   *handle;
	const char *missing = NULL;
	DsMysqlApi	candidate;

	dlerror();
	handle = dlopen(name, RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
	if (handle == NULL)
	{
		const char *err = dlerror();

		appendStringInfo(why, "\n  %s: %s", name, err ? err : "unknown dlopen error");
		return false;
	}

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
		dlclose(handle);
		return false;
	}
	if (candidate.mysql_get_client_version() < 30000)
	{
		appendStringInfo(why, "\n  %s: client version %lu is older than MariaDB Connector/C 3.0",
						 name, candidate.mysql_get_client_version());
		dlclose(handle);
		return false;
	}

	api = candidate;
	{
		struct link_map *map = NULL;

		/* Report the file actually mapped, not the name asked for. */
		if (dlinfo(handle, RTLD_DI_LINKMAP, &map) == 0 && map && map->l_name[0])
			loaded_path = MemoryContextStrdup(TopMemoryContext, map->l_name);
		else
			loaded_path = MemoryContextStrdup(TopMemoryContext, name);
	}
	return true;
}

const DsMysqlApi *
ds_mysql_api(void)
{
	StringInfoData why;
	char	   *names;
	List	   *candidates = NIL;
	ListCell   *lc;

	if (api_loaded)
		return &api;

	names = pstrdup(ds_mysql_library_names ? ds_mysql_library_names : "");
	if (!SplitGUCList(names, ',', &candidates) || candidates == NIL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("datastore.mysql_client_library is not a list of library names"),
				 errdetail("It is \"%s\".", ds_mysql_library_names ? ds_mysql_library_names : "")));

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
			 errmsg("could not load the MySQL client library for datastore"),
			 errdetail("Tried:%s", why.data),
			 errhint("Install the Debian package libmariadb3 (apt-get install libmariadb3), or point datastore.mysql_client_library at MariaDB Connector/C.")));
	pg_unreachable();
}

const char *
ds_mysql_loaded_library(void)
{
	return api_loaded ? loaded_path : NULL;
}
